/* Tests for the gazetteer (index_gazetteer.c): entities added by the API,
 * its data format, its parse errors and files. */
#include "index_fixture.h"
#include "temp_files.h"

/* ------------------------------------------------- user-added entities */

static void test_user_added_entities(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("");
    df_error err;
    CHECK_OK(df_gazetteer_add_embedded(g, &err_));
    size_t before = df_gazetteer_count(g);
    /* A new entity with aliases, one of them exact-case. */
    const char *aliases[] = {"scorpions", "\"Scorpio\""};
    CHECK_OK(df_gazetteer_add(g, "character", "scorpion", aliases, 2, &err_));
    /* More aliases for a known entity: no new entity. */
    const char *more[] = {"Goose"};
    CHECK_OK(df_gazetteer_add(g, "person", "Ryan Gosling", more, 1, &err_));
    assert_int_equal(df_gazetteer_count(g), before + 1);
    /* The same name as another kind is another entity. */
    CHECK_OK(df_gazetteer_add(g, "film", "Nightcall", NULL, 0, &err_));
    assert_int_equal(df_gazetteer_count(g), before + 2);

    df_index *x = index_of(W.corpus, g, W.rules);
    static const uint32_t scorpion[] = {16, 54, 87, 93, 105, 110};
    expect_facts(x, "Scorpion", scorpion, 6);
    expect_facts(x, "SCORPIONS", scorpion, 6);
    /* In fact 54 "Scorpio Rising" (the film) is longer than "Scorpio". */
    assert_true(fact_mentions(x, 54, "Scorpio Rising"));
    assert_string_equal(name_of(x, entity_of(x, "goose")), "Ryan Gosling");
    /* "Scorpio" (exact case) is in fact 93 next to "scorpion". */
    assert_true(fact_mentions(x, 93, "scorpion"));
    df_index_free(x);

    /* Errors leave the gazetteer as it was. */
    size_t count = df_gazetteer_count(g);
    const char *bad[] = {"fine", "\"unterminated"};
    expect_error(df_gazetteer_add(g, "person", "New Person", bad, 2, &err), &err,
                 DF_EARG, "unterminated");
    assert_int_equal(df_gazetteer_count(g), count);
    expect_error(df_gazetteer_add(g, "person", "   ", NULL, 0, &err), &err, DF_EARG,
                 "empty");
    expect_error(df_gazetteer_add(g, "4 2", "X", NULL, 0, &err), &err, DF_EARG,
                 "kind");
    const char *null_alias[] = {NULL};
    expect_error(df_gazetteer_add(g, "person", "X", null_alias, 1, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, "person", "X\xc3", NULL, 0, &err), &err, DF_EUTF8,
                 "UTF-8");
    expect_error(df_gazetteer_add(NULL, "person", "X", NULL, 0, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, "person", NULL, NULL, 0, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, "person", "X", NULL, 1, &err), &err, DF_EARG,
                 "NULL");
    assert_int_equal(df_gazetteer_count(g), count);
    df_gazetteer_free(g);
}

/* The data format: comments, quotes, merging lines, spaces. */
static void test_gazetteer_format(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("# a comment\n"
                                   "\n"
                                   "   # an indented comment\n"
                                   "person:Jane   Doe=J. Doe ,  \"JD\"\r\n"
                                   "film: \"Fast, Cheap & Out of Control\" = \"A = B\"\n"
                                   "person: Jane Doe = Janie\n"
                                   "place: Nowhere");
    assert_int_equal(df_gazetteer_count(g), 3);
    df_corpus *c = corpus_of("Jane Doe met jd and JD and Janie.\n\n"
                             "A = B, or Fast, Cheap & Out of Control, near nowhere.\n\n"
                             "Jane\n  Doe, J.  Doe.\n");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    char buf[64];
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 3); /* "jd" is not "JD" */
    assert_string_equal(mention_text(x, 1, 0, buf, sizeof buf), "Jane Doe");
    assert_string_equal(mention_text(x, 1, 1, buf, sizeof buf), "JD");
    assert_string_equal(mention_text(x, 1, 2, buf, sizeof buf), "Janie");
    CHECK_OK(df_index_fact_mentions(x, 2, &m, &count, &err_));
    assert_int_equal(count, 3);
    assert_string_equal(mention_text(x, 2, 0, buf, sizeof buf), "A = B");
    assert_string_equal(mention_text(x, 2, 1, buf, sizeof buf), "Fast, Cheap & Out of Control");
    assert_string_equal(mention_text(x, 2, 2, buf, sizeof buf), "nowhere");
    /* A space in an alias matches any whitespace, line breaks included. */
    CHECK_OK(df_index_fact_mentions(x, 3, &m, &count, &err_));
    assert_int_equal(count, 2);
    df_entity e;
    CHECK_OK(df_index_entity(x, entity_of(x, "janie"), &e, &err_));
    assert_string_equal(e.name, "Jane Doe");
    assert_int_equal(e.alias_count, 3);
    assert_string_equal(e.aliases[0], "J. Doe");
    assert_string_equal(e.aliases[1], "JD");
    assert_string_equal(e.aliases[2], "Janie");
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

/* A bad line names the input and the line; nothing of the input stays. */
static void expect_parse_error(const char *text, size_t line, df_status want,
                               const char *needle) {
    df_gazetteer *g = gazetteer_of("person: Already There\n");
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_gazetteer_add_text(g, text, strlen(text), "my-entities.txt", &err);
    expect_error_at(st, &err, want, needle, "my-entities.txt", line);
    assert_int_equal(df_gazetteer_count(g), 1);
    /* The known entity kept exactly its own names. */
    df_corpus *c = corpus_of("Already There, Good Line.");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 1);
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

static void test_gazetteer_parse_errors(void **state) {
    (void)state;
    expect_parse_error("person: Good Line\n\nper son: Typo\n", 3, DF_EARG, "bad kind 'per son'");
    expect_parse_error("person: Good Line\n: No Kind\n", 2, DF_EARG, "bad kind ''");
    expect_parse_error("person: Good Line\nno colon here\n", 2, DF_EARG, "expected");
    expect_parse_error("person: Good Line\nfilm: \"Open\n", 2, DF_EARG, "unterminated");
    expect_parse_error("person: Good Line = A,, B\n", 1, DF_EARG, "empty");
    expect_parse_error("person: Good Line\nperson:   \n", 2, DF_EARG, "empty");
    expect_parse_error("person: Good Line = Al \"Bo\" Cy\n", 1, DF_EARG, "double quote");
    expect_parse_error("person: Already There = More\n# fine\nband: \"x\"y\"\n", 3, DF_EARG,
                       "double quote");
    expect_parse_error("person: Good Line\n\n\nperson: B\xe9zier\n", 4, DF_EUTF8, "UTF-8");
}

static void test_gazetteer_files(void **state) {
    (void)state;
    char path[512];
    const char bad[] = "# test\ncharacter: The Scorpion = Scorpion\nband: Nobody = \n";
    write_file(temp_path(path, sizeof path, "gazetteer"), bad, sizeof bad - 1);
    df_gazetteer *g = gazetteer_of("");
    df_error err;
    memset(&err, 0, sizeof err);
    expect_error_at(df_gazetteer_add_file(g, path, &err), &err, DF_EARG, "empty", path, 3);
    assert_int_equal(df_gazetteer_count(g), 0);
    const char good[] = "character: The Scorpion = Scorpion\n";
    write_file(path, good, sizeof good - 1);
    CHECK_OK(df_gazetteer_add_file(g, path, &err_));
    assert_int_equal(df_gazetteer_count(g), 1);
    remove(path);
    expect_error(df_gazetteer_add_file(g, path, &err), &err, DF_EIO, path);
    expect_error(df_gazetteer_add_file(g, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_add_file(NULL, path, &err), &err, DF_EARG, "NULL");
    df_gazetteer_free(g);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_user_added_entities),
        cmocka_unit_test(test_gazetteer_format),
        cmocka_unit_test(test_gazetteer_parse_errors),
        cmocka_unit_test(test_gazetteer_files),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
