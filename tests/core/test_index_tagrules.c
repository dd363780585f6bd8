/* Tests for tag rules (index_tagrules.c) and the tags the index gives:
 * every fact tagged, samples, the tables agree, user rules, the rules'
 * format and files. */
#include "index_fixture.h"
#include "temp_files.h"

/* ------------------------------------------------------------------ tags */

/* Every embedded fact has a tag; no tag is on every fact (no catch-all). */
static void test_every_fact_tagged(void **state) {
    (void)state;
    size_t n = df_corpus_count(W.corpus), untagged = 0;
    for (df_fact_id id = 1; id <= n; id++) {
        const uint32_t *tags;
        size_t count;
        CHECK_OK(df_index_fact_tags(W.index, id, &tags, &count, &err_));
        if (count == 0) {
            print_message("fact %zu has no tag\n", (size_t)id);
            untagged++;
        }
        for (size_t i = 1; i < count; i++)
            assert_true(tags[i - 1] < tags[i]);
    }
    assert_int_equal(untagged, 0);
    size_t t_count = df_index_tag_count(W.index);
    assert_true(t_count >= 11);
    for (size_t t = 0; t < t_count; t++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_tag_facts(W.index, t, &facts, &count, &err_));
        assert_true(count > 0);
        assert_true(count < n / 2);
    }
}

static int has_tag(const df_index *x, df_fact_id id, const char *tag) {
    size_t t;
    df_error err;
    assert_int_equal(df_index_tag_lookup(x, tag, &t, &err), DF_OK);
    const uint32_t *tags;
    size_t count;
    assert_int_equal(df_index_fact_tags(x, id, &tags, &count, &err), DF_OK);
    return list_has(tags, count, (uint32_t)t);
}

static void test_tag_samples(void **state) {
    (void)state;
    static const struct {
        uint32_t fact;
        const char *tag;
        int expected;
    } sample[] = {
        {53, "music", 1},   {72, "music", 1},          {3, "casting", 1},
        {91, "casting", 1}, {47, "adaptation", 1},     {89, "adaptation", 1},
        {48, "reception", 1}, {9, "stunts", 1},        {1, "cars", 1},
        {24, "filming-locations", 1}, {8, "references", 1}, {25, "references", 1},
        {86, "cast-trivia", 1}, {65, "crew", 1},       {42, "production", 1},
        /* "A Most Violent Year" is a title, not violence. */
        {95, "violence", 0},
        /* "Drive" is the film, not driving; Drive is no reference to itself. */
        {83, "cars", 0},    {83, "references", 0},
    };
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        int got = has_tag(W.index, sample[i].fact, sample[i].tag);
        if (got != sample[i].expected)
            print_message("fact %u tag %s: expected %d\n", sample[i].fact, sample[i].tag,
                          sample[i].expected);
        assert_int_equal(got, sample[i].expected);
    }
}

/* fact -> tags and tag -> facts are transposes of each other. */
static void test_tag_tables_agree(void **state) {
    (void)state;
    size_t pairs = 0;
    for (size_t t = 0; t < df_index_tag_count(W.index); t++) {
        const uint32_t *facts;
        size_t count, again;
        CHECK_OK(df_index_tag_facts(W.index, t, &facts, &count, &err_));
        CHECK_OK(df_index_tag_lookup(W.index, df_index_tag_name(W.index, t), &again, &err_));
        assert_int_equal(again, t);
        for (size_t i = 0; i < count; i++) {
            const uint32_t *tags;
            size_t tcount;
            assert_true(i == 0 || facts[i - 1] < facts[i]);
            CHECK_OK(df_index_fact_tags(W.index, facts[i], &tags, &tcount, &err_));
            assert_true(list_has(tags, tcount, (uint32_t)t));
        }
        pairs += count;
    }
    size_t back = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(W.corpus); id++) {
        const uint32_t *tags;
        size_t count;
        CHECK_OK(df_index_fact_tags(W.index, id, &tags, &count, &err_));
        back += count;
    }
    assert_int_equal(pairs, back);
    size_t t;
    df_error err;
    assert_int_equal(df_index_tag_lookup(W.index, "no-such-tag", &t, &err), DF_NOMATCH);
    assert_int_equal(df_index_tag_lookup(W.index, "Music", &t, &err), DF_NOMATCH);
    assert_null(df_index_tag_name(W.index, df_index_tag_count(W.index)));
}

/* Rules added through the API: regex, kind, entity. */
static void test_user_rules(void **state) {
    (void)state;
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    CHECK_OK(df_tag_rules_add_regex(r, "toothpicks", "toothpick", 9, DF_CASELESS, &err_));
    CHECK_OK(df_tag_rules_add_kind(r, "has-car", "car", &err_));
    CHECK_OK(df_tag_rules_add_entity(r, "amini", "hussain amini", &err_));
    CHECK_OK(df_tag_rules_add_regex(r, "amini", "\\bAdapt", 7, 0, &err_));
    assert_int_equal(df_tag_rules_count(r), 4);
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 3);
    assert_string_equal(df_index_tag_name(x, 0), "toothpicks");
    static const uint32_t toothpicks[] = {86, 88, 120};
    static const uint32_t cars[] = {1, 114};
    static const uint32_t amini[] = {47, 60, 74, 89, 96};
    const uint32_t *expected[] = {toothpicks, cars, amini};
    size_t counts[] = {3, 2, 5};
    for (size_t t = 0; t < 3; t++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_tag_facts(x, t, &facts, &count, &err_));
        assert_int_equal(count, counts[t]);
        for (size_t i = 0; i < count; i++)
            assert_int_equal(facts[i], expected[t][i]);
    }
    df_index_free(x);

    /* An unknown entity fails the build, naming the rule. */
    CHECK_OK(df_tag_rules_add_entity(r, "ghosts", "Casper the Ghost", &err_));
    df_index *none = W.index; /* must be reset to NULL */
    expect_error(df_index_build(W.corpus, W.gazetteer, r, &none, &err), &err, DF_EARG,
                 "unknown entity 'Casper the Ghost'");
    assert_non_null(strstr(err.message, "ghosts"));
    assert_null(none);

    expect_error(df_tag_rules_add_regex(r, "bad", "(", 1, 0, &err), &err, DF_EPATTERN,
                 "offset");
    expect_error(df_tag_rules_add_regex(r, "bad tag", "x", 1, 0, &err), &err, DF_EARG,
                 "bad tag name");
    expect_error(df_tag_rules_add_regex(r, "", "x", 1, 0, &err), &err, DF_EARG, "bad tag name");
    expect_error(df_tag_rules_add_kind(r, "ok", "not a kind", &err), &err, DF_EARG,
                 "kind");
    expect_error(df_tag_rules_add_entity(r, "ok", "\xff", &err), &err, DF_EUTF8, "UTF-8");
    expect_error(df_tag_rules_add_regex(NULL, "t", "x", 1, 0, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_add_kind(r, NULL, "car", &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_add_entity(r, "t", NULL, &err), &err, DF_EARG, "NULL");
    assert_int_equal(df_tag_rules_count(r), 5);
    df_tag_rules_free(r);
}

/* The rules format, its errors (input and line named; nothing kept). */
static void expect_rules_error(const char *text, size_t line, df_status want,
                               const char *needle) {
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    CHECK_OK(df_tag_rules_add_text(r, "first: x\n", 9, "a", &err_));
    memset(&err, 0, sizeof err);
    expect_error_at(df_tag_rules_add_text(r, text, strlen(text), "my-tags.txt", &err), &err,
                    want, needle, "my-tags.txt", line);
    assert_int_equal(df_tag_rules_count(r), 1);
    /* The tag table rolled back too: a build lists one tag. */
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 1);
    df_index_free(x);
    df_tag_rules_free(r);
}

static void test_rules_format(void **state) {
    (void)state;
    df_tag_rules *r;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    const char *text = "# comment\n"
                       "\n"
                       "  music :  \\bsoundtrack\\b  \n"
                       "people: @person @character -{Nicolas Winding Refn} -{ Ryan Gosling }\n"
                       "nwr: {Refn}   {Carry Muligan}\n"
                       "music: @song\r\n";
    CHECK_OK(df_tag_rules_add_text(r, text, strlen(text), "t", &err_));
    assert_int_equal(df_tag_rules_count(r), 4);
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 3);
    assert_true(has_tag(x, 27, "music"));   /* "soundtrack" */
    assert_true(has_tag(x, 26, "music"));   /* "Wrong Floor" */
    assert_true(has_tag(x, 3, "people"));   /* Hugh Jackman */
    assert_false(has_tag(x, 45, "people")); /* only Refn */
    assert_false(has_tag(x, 86, "people")); /* only Gosling */
    assert_true(has_tag(x, 45, "nwr"));
    assert_true(has_tag(x, 35, "nwr"));     /* Carey Mulligan */
    df_index_free(x);
    df_tag_rules_free(r);

    expect_rules_error("ok: x\nno colon\n", 2, DF_EARG, "expected 'tag: rule'");
    expect_rules_error("bad tag!: x\n", 1, DF_EARG, "bad tag name");
    expect_rules_error("ok: x\n\nempty:   \n", 3, DF_EARG, "empty rule");
    expect_rules_error("cars: @car @per.son\n", 1, DF_EARG, "@per.son");
    expect_rules_error("cars: @\n", 1, DF_EARG, "@kind");
    expect_rules_error("cars: @car -{Ryan Gosling} @person\n", 1, DF_EARG, "@person");
    expect_rules_error("who: {Ryan Gosling\n", 1, DF_EARG, "missing '}'");
    expect_rules_error("who: {Ryan Gosling} x\n", 1, DF_EARG, "expected '{Name}'");
    expect_rules_error("who: {  }\n", 1, DF_EARG, "bad entity name");
    expect_rules_error("ok: x\nre: a(b\n", 2, DF_EPATTERN, "tag 're'");
    expect_rules_error("ok: x\nre: caf\xc3\n", 2, DF_EUTF8, "UTF-8");
}

static void test_rules_files(void **state) {
    (void)state;
    char path[512];
    const char bad[] = "pie: \\bpie\\b\nbroken: [\n";
    write_file(temp_path(path, sizeof path, "rules"), bad, sizeof bad - 1);
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    expect_error_at(df_tag_rules_add_file(r, path, &err), &err, DF_EPATTERN, "tag 'broken'",
                    path, 2);
    const char good[] = "pie: \\bpie\\b\n";
    write_file(path, good, sizeof good - 1);
    CHECK_OK(df_tag_rules_add_file(r, path, &err_));
    remove(path);
    expect_error(df_tag_rules_add_file(r, path, &err), &err, DF_EIO, path);
    df_index *x = index_of(W.corpus, NULL, r);
    const uint32_t *facts;
    size_t count;
    CHECK_OK(df_index_tag_facts(x, 0, &facts, &count, &err_));
    assert_int_equal(count, 1);
    assert_int_equal(facts[0], 38);
    df_index_free(x);
    df_tag_rules_free(r);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fact_tagged),
        cmocka_unit_test(test_tag_samples),
        cmocka_unit_test(test_tag_tables_agree),
        cmocka_unit_test(test_user_rules),
        cmocka_unit_test(test_rules_format),
        cmocka_unit_test(test_rules_files),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
