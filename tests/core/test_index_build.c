/* Tests for building the index (index_build.c): memory, an empty index,
 * many entities, and the argument checks of the whole index API. */
#include "index_fixture.h"

/* ------------------------------------------------------ memory, sizes */

static void test_memory(void **state) {
    (void)state;
    size_t bytes = df_corpus_bytes(W.corpus);
    size_t memory = df_index_memory(W.index);
    print_message("index memory %zu bytes for a corpus of %zu bytes\n", memory, bytes);
    assert_true(memory > bytes / 10);
    /* Mostly the compiled entity patterns, a fixed cost. */
    assert_true(memory < 1024 * 1024);
    assert_int_equal(df_index_memory(NULL), 0);

    /* What grows with the corpus stays below its size: index the corpus 40
     * times over. */
    size_t one = strlen("\n\n");
    df_fact f;
    char *text = NULL;
    size_t len = 0;
    for (int rep = 0; rep < 40; rep++)
        for (df_fact_id id = 1; id <= df_corpus_count(W.corpus); id++) {
            CHECK_OK(df_corpus_fact(W.corpus, id, &f, &err_));
            text = realloc(text, len + f.len + one + 1);
            assert_non_null(text);
            memcpy(text + len, f.text, f.len);
            memcpy(text + len + f.len, "\n\n", one);
            len += f.len + one;
        }
    text[len] = '\0';
    df_corpus *c = corpus_of(text);
    free(text);
    df_index *x = index_of(c, W.gazetteer, W.rules);
    size_t big = df_index_memory(x);
    print_message("index memory %zu bytes for a corpus of %zu bytes\n", big, df_corpus_bytes(c));
    assert_true(big > memory);
    assert_true(big - memory < df_corpus_bytes(c));
    df_index_free(x);
    df_corpus_free(c);
}

/* No gazetteer, no rules: an index with nothing in it, that still works. */
static void test_empty_index(void **state) {
    (void)state;
    df_index *x = index_of(W.corpus, NULL, NULL);
    assert_int_equal(df_index_entity_count(x), 0);
    assert_int_equal(df_index_tag_count(x), 0);
    assert_ptr_equal(df_index_corpus(x), W.corpus);
    size_t e;
    df_error err;
    assert_int_equal(df_index_lookup(x, "Refn", 4, &e, &err), DF_NOMATCH);
    const df_mention *m;
    size_t count;
    CHECK_OK(df_index_fact_mentions(x, 5, &m, &count, &err_));
    assert_int_equal(count, 0);
    static const uint16_t y8[] = {2007};
    expect_years(x, 8, y8, 1);
    expect_film(x, 8, 0, "No Country for Old Men", 2007, NULL);
    df_index_free(x);

    /* An empty gazetteer and rules, and an empty corpus. */
    df_gazetteer *g = gazetteer_of("");
    df_tag_rules *r;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    df_corpus *c = corpus_of("");
    x = index_of(c, g, r);
    assert_int_equal(df_index_entity_count(x), 0);
    const uint32_t *tags;
    expect_error(df_index_fact_tags(x, 1, &tags, &count, &err), &err, DF_ERANGE, "out of range");
    df_index_free(x);
    df_corpus_free(c);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
}

/* Several pattern chunks (a gazetteer too large for one PCRE2 pattern):
 * still leftmost-longest across chunks. */
static void test_many_entities(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("person: Alpha\nperson: Alpha Beta Gamma Delta\n");
    char name[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "Filler Person Number %05d", i);
        CHECK_OK(df_gazetteer_add(g, "person", name, NULL, 0, &err_));
    }
    assert_int_equal(df_gazetteer_count(g), 3002);
    df_corpus *c = corpus_of("Alpha Beta Gamma Delta met Alpha and filler person number 02999 "
                             "and Filler Person Number 00000.");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    char buf[64];
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 4);
    assert_string_equal(mention_text(x, 1, 0, buf, sizeof buf), "Alpha Beta Gamma Delta");
    assert_string_equal(mention_text(x, 1, 1, buf, sizeof buf), "Alpha");
    assert_string_equal(name_of(x, m[2].entity), "Filler Person Number 02999");
    assert_string_equal(name_of(x, m[3].entity), "Filler Person Number 00000");
    expect_lookup("Refn", "Nicolas Winding Refn"); /* the shared world is untouched */
    assert_string_equal(name_of(x, entity_of(x, "FILLER PERSON NUMBER 01500")),
                        "Filler Person Number 01500");
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

/* ------------------------------------------------------ argument checks */

static void test_null_arguments(void **state) {
    (void)state;
    df_error err;
    df_index *x = NULL;
    const uint32_t *list;
    const df_mention *mentions;
    const uint16_t *years;
    const df_film_ref *films;
    size_t count, e;
    df_entity entity;
    expect_error(df_index_build(W.corpus, NULL, NULL, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_build(NULL, NULL, NULL, &x, &err), &err, DF_EARG, "NULL");
    assert_null(x);
    expect_error(df_gazetteer_new(NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_new(NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_add_text(NULL, "", 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_add_text(W.gazetteer, NULL, 3, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_add_text(NULL, "", 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(NULL, 0, &entity, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(W.index, 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(W.index, df_index_entity_count(W.index), &entity, &err), &err,
                 DF_ERANGE, "out of range");
    expect_error(df_index_lookup(NULL, "x", 1, &e, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_lookup(W.index, NULL, 1, &e, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_lookup(W.index, "x", 1, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 0, NULL, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 0, &list, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 100000, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_mentions(NULL, 1, &mentions, &count, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_index_fact_mentions(W.index, 0, &mentions, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_entities(W.index, 123, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_tags(W.index, 1, NULL, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_fact_years(W.index, 1, &years, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_fact_films(W.index, 9999, &films, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_tag_facts(W.index, 999, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_tag_facts(NULL, 0, &list, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_tag_lookup(W.index, NULL, &e, &err), &err, DF_EARG, "NULL");
    /* Counts and names of NULL objects are zero and NULL; frees are no-ops. */
    assert_int_equal(df_index_entity_count(NULL), 0);
    assert_int_equal(df_index_tag_count(NULL), 0);
    assert_null(df_index_tag_name(NULL, 0));
    assert_null(df_index_corpus(NULL));
    assert_int_equal(df_gazetteer_count(NULL), 0);
    assert_int_equal(df_tag_rules_count(NULL), 0);
    df_index_free(NULL);
    df_gazetteer_free(NULL);
    df_tag_rules_free(NULL);
    /* A NULL err is allowed everywhere. */
    assert_int_equal(df_index_lookup(NULL, "x", 1, &e, NULL), DF_EARG);
    assert_int_equal(df_gazetteer_add(W.gazetteer, "", "x", NULL, 0, NULL), DF_EARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_empty_index),
        cmocka_unit_test(test_many_entities),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
