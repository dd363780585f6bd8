/* Tests for records with fields: JSON Lines, CSV and TSV (corpus_fields.c,
 * corpus_jsonl.c, corpus_csv.c), on the fixtures in tests/data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

#define BYTES(lit) (lit), (sizeof(lit) - 1)
#define DATA DF_SOURCE_DIR "/tests/data/"

static df_corpus *load_path(const char *path, df_format format, const char *text_field) {
    df_load_options opts = {.format = format, .text_field = text_field};
    df_corpus *corpus = NULL;
    df_error err;
    df_status status = df_corpus_load_file(path, &opts, &corpus, &err);
    if (status != DF_OK)
        fail_msg("%s: %s", df_status_name(status), err.message);
    return corpus;
}

static df_corpus *load_text(const char *data, size_t len, df_format format) {
    df_load_options opts = {.format = format, .name = "t"};
    df_corpus *corpus = NULL;
    df_error err;
    df_status status = df_corpus_load_buffer(data, len, &opts, &corpus, &err);
    if (status != DF_OK)
        fail_msg("%s: %s", df_status_name(status), err.message);
    return corpus;
}

static void assert_fact(const df_corpus *corpus, df_fact_id id, size_t line, const char *text) {
    df_fact fact;
    assert_int_equal(df_corpus_fact(corpus, id, &fact, NULL), DF_OK);
    assert_int_equal(fact.line, line);
    assert_int_equal(fact.len, strlen(text));
    assert_string_equal(fact.text, text);
}

/* Field `name` of fact `id` has `type` and `text`. */
static void assert_field(const df_corpus *corpus, df_fact_id id, const char *name,
                         df_field_type type, const char *text) {
    size_t field;
    df_field_value value;
    if (df_corpus_field_find(corpus, name, &field) != DF_OK)
        fail_msg("no field '%s'", name);
    assert_int_equal(df_fact_field(corpus, id, field, &value, NULL), DF_OK);
    if (value.type != type)
        fail_msg("fact %u, field %s: %s, expected %s", (unsigned)id, name,
                 df_field_type_name(value.type), df_field_type_name(type));
    assert_int_equal(value.len, strlen(text));
    assert_string_equal(value.text, text);
}

static void assert_names(const df_corpus *corpus, const char *const *names, size_t n) {
    assert_int_equal(df_corpus_field_count(corpus), n);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(df_corpus_field_name(corpus, i), names[i]);
    assert_null(df_corpus_field_name(corpus, n));
}

/* ------------------------------------------------------------ JSON Lines */

static void test_jsonl_facts_and_fields(void **state) {
    (void)state;
    df_corpus *c = load_path(DATA "quotes.jsonl", DF_FORMAT_JSONL, NULL);
    /* The blank line is skipped, the record of blank text dropped. */
    assert_int_equal(df_corpus_count(c), 4);
    assert_fact(c, 1, 1, "Talk is cheap. Show me the code.");
    assert_fact(c, 2, 3, "Ein Zitat über Ärger — mit Unicode ✓ and \"quotes\", a comma");
    assert_fact(c, 3, 4, "Line one\nLine two");
    assert_fact(c, 4, 6, "Simplicity is prerequisite for reliability.");
    /* In order of first appearance; the text field is not one of them;
     * "Nobody"'s dropped record added no field. */
    static const char *const names[] = {"author", "year", "rating", "spoiler", "origin",
                                        "tags", "lang", "meta"};
    assert_names(c, names, 8);
    assert_field(c, 1, "author", DF_FIELD_STRING, "Linus Torvalds");
    assert_field(c, 1, "year", DF_FIELD_NUMBER, "2000");
    assert_field(c, 1, "rating", DF_FIELD_NUMBER, "4.5");
    assert_field(c, 1, "spoiler", DF_FIELD_BOOLEAN, "false");
    assert_field(c, 1, "origin", DF_FIELD_NULL, "null");
    assert_field(c, 1, "tags", DF_FIELD_JSON, "[\"programming\",\"quotes\"]");
    assert_field(c, 1, "lang", DF_FIELD_ABSENT, "");
    assert_field(c, 2, "lang", DF_FIELD_STRING, "de");
    assert_field(c, 2, "spoiler", DF_FIELD_ABSENT, "");
    assert_field(c, 3, "meta", DF_FIELD_JSON, "{\"form\":\"couplet\",\"lines\":2}");
    assert_field(c, 4, "spoiler", DF_FIELD_BOOLEAN, "true");
    assert_field(c, 4, "author", DF_FIELD_STRING, "Edsger W. Dijkstra");
    df_corpus_free(c);
}

static void test_jsonl_text_field(void **state) {
    (void)state;
    df_corpus *c = load_path(DATA "quotes.jsonl", DF_FORMAT_JSONL, "author");
    assert_int_equal(df_corpus_count(c), 5);  /* "Nobody" is a text now */
    assert_fact(c, 1, 1, "Linus Torvalds");
    assert_fact(c, 4, 5, "Nobody");
    assert_field(c, 1, "text", DF_FIELD_STRING, "Talk is cheap. Show me the code.");
    assert_field(c, 4, "text", DF_FIELD_STRING, "   ");
    df_corpus_free(c);
}

static void test_jsonl_numbers(void **state) {
    (void)state;
    df_corpus *c = load_text(BYTES("{\"text\":\"x\",\"a\":1.0,\"b\":0.1,\"c\":1e300,\"d\":-0.0,"
                                   "\"e\":-9223372036854775808,\"f\":1E2,\"g\":123456789.125}"),
                             DF_FORMAT_JSONL);
    /* Reals keep a '.' or an exponent, in their shortest exact form. */
    assert_field(c, 1, "a", DF_FIELD_NUMBER, "1.0");
    assert_field(c, 1, "b", DF_FIELD_NUMBER, "0.1");
    assert_field(c, 1, "c", DF_FIELD_NUMBER, "1e+300");
    assert_field(c, 1, "d", DF_FIELD_NUMBER, "-0.0");
    assert_field(c, 1, "e", DF_FIELD_NUMBER, "-9223372036854775808");
    assert_field(c, 1, "f", DF_FIELD_NUMBER, "100.0");
    assert_field(c, 1, "g", DF_FIELD_NUMBER, "123456789.125");
    df_corpus_free(c);
}

static void test_jsonl_text_is_trimmed_and_folded(void **state) {
    (void)state;
    df_corpus *c = load_text(BYTES("\xEF\xBB\xBF{\"text\":\" \\r\\n a\\r\\nb\\t \"}\r\n"
                                   "  \r\n{\"text\":\"\\u00e9\\ud83d\\ude00\"}"),
                             DF_FORMAT_JSONL);
    assert_int_equal(df_corpus_count(c), 2);
    assert_fact(c, 1, 1, "a\nb");
    assert_fact(c, 2, 3, "\xC3\xA9\xF0\x9F\x98\x80");
    assert_int_equal(df_corpus_field_count(c), 0);
    df_corpus_free(c);
}

/* ------------------------------------------------------------ CSV, TSV */

static void test_csv_quoting(void **state) {
    (void)state;
    df_corpus *c = load_path(DATA "quotes.csv", DF_FORMAT_CSV, NULL);
    assert_int_equal(df_corpus_count(c), 3);  /* the record of empty text dropped */
    assert_fact(c, 1, 2, "Hello, \"world\"");
    assert_fact(c, 2, 3, "Two\nlines");  /* CRLF inside quotes folded */
    assert_fact(c, 3, 5, "Ünïcödé ✓ text");
    static const char *const names[] = {"id", "author", "year"};
    assert_names(c, names, 3);
    assert_field(c, 1, "id", DF_FIELD_STRING, "1");
    assert_field(c, 2, "year", DF_FIELD_STRING, "");
    assert_field(c, 3, "author", DF_FIELD_STRING, "Zoë");
    df_corpus_free(c);
}

static void test_tsv(void **state) {
    (void)state;
    df_corpus *c = load_path(DATA "quotes.tsv", DF_FORMAT_TSV, NULL);
    assert_int_equal(df_corpus_count(c), 2);
    assert_fact(c, 1, 2, "Tab separated");
    assert_fact(c, 2, 3, "quoted\ttab, and \"quote\"");
    assert_field(c, 2, "author", DF_FIELD_STRING, "Bob");
    df_corpus_free(c);
}

static void test_csv_spaces_and_line_ends(void **state) {
    (void)state;
    /* Spaces belong to fields (RFC 4180); classic Mac OS line ends (a CR
     * alone) are line breaks, counted as lines. */
    df_corpus *c = load_text(BYTES("text,a\r x , y \rz,\"w\"\r"), DF_FORMAT_CSV);
    assert_int_equal(df_corpus_count(c), 2);
    assert_fact(c, 1, 2, "x");
    assert_fact(c, 2, 3, "z");
    assert_field(c, 1, "a", DF_FIELD_STRING, " y ");
    assert_field(c, 2, "a", DF_FIELD_STRING, "w");
    df_corpus_free(c);
}

static void test_empty_inputs(void **state) {
    (void)state;
    static const struct {
        const char *data;
        df_format format;
        size_t fields;
    } cases[] = {
        {"", DF_FORMAT_JSONL, 0},   {"\n \n", DF_FORMAT_JSONL, 0},
        {"", DF_FORMAT_CSV, 0},     {"text,author\n", DF_FORMAT_CSV, 1},
        {"text\tx\ty", DF_FORMAT_TSV, 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_corpus *c = load_text(cases[i].data, strlen(cases[i].data), cases[i].format);
        assert_int_equal(df_corpus_count(c), 0);
        assert_int_equal(df_corpus_field_count(c), cases[i].fields);
        df_corpus_free(c);
    }
}

/* ---------------------------------------------------------- bad records */

static void test_bad_records(void **state) {
    (void)state;
    static const struct {
        const char *file;
        df_status status;
        size_t line;
        const char *message;
    } cases[] = {
        {"bad-json.jsonl", DF_ERECORD, 2,
         "bad-json.jsonl:2: invalid JSON at column 19: string or '}' expected near '}'"},
        {"not-object.jsonl", DF_ERECORD, 2, "not-object.jsonl:2: an array, not a JSON object"},
        {"missing-text.jsonl", DF_ERECORD, 2, "missing-text.jsonl:2: no field 'text'"},
        {"text-not-string.jsonl", DF_ERECORD, 3,
         "text-not-string.jsonl:3: field 'text' is a number, not a string"},
        {"invalid-utf8.jsonl", DF_EUTF8, 2,
         "invalid-utf8.jsonl:2: invalid UTF-8 at byte offset 29: invalid lead byte"},
        {"nul-text.jsonl", DF_ERECORD, 2,
         "nul-text.jsonl:2: a string holds \\u0000 (NUL) at column 28"},
        {"wrong-columns.csv", DF_ERECORD, 3,
         "wrong-columns.csv:3: 3 fields where the header has 2"},
        {"unterminated.csv", DF_ERECORD, 3,
         "unterminated.csv:3: a quoted field is not closed before the end"},
        {"stray-quote.csv", DF_ERECORD, 3,
         "stray-quote.csv:3: a quote inside an unquoted field, or text after a closing quote"},
        {"no-text-column.csv", DF_ERECORD, 1,
         "no-text-column.csv:1: no column named 'text' in the header"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[512], name[128];
        snprintf(path, sizeof path, DATA "bad/%s", cases[i].file);
        snprintf(name, sizeof name, "%s", cases[i].file);
        const char *dot = strrchr(name, '.');
        df_load_options opts = {.format = strcmp(dot, ".csv") == 0 ? DF_FORMAT_CSV
                                                                   : DF_FORMAT_JSONL};
        df_corpus *c = NULL;
        df_error err;
        df_status status = df_corpus_load_file(path, &opts, &c, &err);
        assert_null(c);
        if (status != cases[i].status)
            fail_msg("%s: %s: %s", cases[i].file, df_status_name(status), err.message);
        assert_int_equal(err.line, cases[i].line);
        /* The message names the path as given: compare from the file name. */
        const char *from = strstr(err.message, cases[i].file);
        assert_non_null(from);
        assert_string_equal(from, cases[i].message);
    }
}

static void test_bad_buffers(void **state) {
    (void)state;
    static const struct {
        const char *data;
        df_format format;
        const char *message;
    } cases[] = {
        {"{\"text\":\"a\",\"text\":\"b\"}", DF_FORMAT_JSONL,
         "t:1: invalid JSON at column 18: duplicate object key near '\"text\"'"},
        {"{\"text\":\"a\",\"n\":123456789012345678901}", DF_FORMAT_JSONL,
         "t:1: invalid JSON at column 37: too big integer"},
        {"\"just a string\"", DF_FORMAT_JSONL, "t:1: a string, not a JSON object"},
        {"{\"text\":null}", DF_FORMAT_JSONL, "t:1: field 'text' is null, not a string"},
        {"{\"text\":[\"a\"]}", DF_FORMAT_JSONL, "t:1: field 'text' is an array, not a string"},
        {"text,a,a\nx,1,2\n", DF_FORMAT_CSV, "t:1: two columns named 'a'"},
        {"text,a,text\nx,1,2\n", DF_FORMAT_CSV, "t:1: two columns named 'text'"},
        {"text,a\n\"x\"y,1\n", DF_FORMAT_CSV,
         "t:2: a quote inside an unquoted field, or text after a closing quote"},
        {"text\tb\nx\n", DF_FORMAT_TSV, "t:2: 1 field where the header has 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_load_options opts = {.format = cases[i].format, .name = "t"};
        df_corpus *c = NULL;
        df_error err;
        df_status status =
            df_corpus_load_buffer(cases[i].data, strlen(cases[i].data), &opts, &c, &err);
        assert_null(c);
        if (status != DF_ERECORD)
            fail_msg("case %zu: %s: %s", i, df_status_name(status), err.message);
        assert_string_equal(err.message, cases[i].message);
    }
}

static void test_nul_bytes(void **state) {
    (void)state;
    static const struct {
        const char *data;
        size_t len;
        df_format format;
        const char *message;
    } cases[] = {
        {BYTES("text,a\nx\0y,1\n"), DF_FORMAT_CSV, "t:2: field 'text' holds a NUL byte"},
        {BYTES("text,a\nx,1\0\n"), DF_FORMAT_CSV, "t:2: field 'a' holds a NUL byte"},
        {BYTES("text,a\0b\nx,1\n"), DF_FORMAT_CSV, "t:1: a field name holds a NUL byte"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_load_options opts = {.format = cases[i].format, .name = "t"};
        df_corpus *c = NULL;
        df_error err;
        assert_int_equal(df_corpus_load_buffer(cases[i].data, cases[i].len, &opts, &c, &err),
                         DF_ERECORD);
        assert_string_equal(err.message, cases[i].message);
    }
}

/* ------------------------------------------------------ several sources */

static void test_paths_union_of_fields(void **state) {
    (void)state;
    const char *paths[] = {DATA "more.jsonl", DATA "quotes.jsonl"};
    df_load_options opts = {.format = DF_FORMAT_JSONL};
    df_corpus *c = NULL;
    df_error err;
    assert_int_equal(df_corpus_load_paths(paths, 2, &opts, &c, &err), DF_OK);
    assert_int_equal(df_corpus_count(c), 5);
    static const char *const names[] = {"author", "page", "year", "rating", "spoiler",
                                        "origin", "tags", "lang", "meta"};
    assert_names(c, names, 9);
    assert_field(c, 1, "page", DF_FIELD_NUMBER, "12");
    assert_field(c, 1, "year", DF_FIELD_ABSENT, "");
    assert_field(c, 2, "page", DF_FIELD_ABSENT, "");
    assert_field(c, 2, "author", DF_FIELD_STRING, "Linus Torvalds");
    assert_field(c, 5, "spoiler", DF_FIELD_BOOLEAN, "true");
    df_fact fact;
    assert_int_equal(df_corpus_fact(c, 2, &fact, NULL), DF_OK);
    assert_string_equal(fact.source, DATA "quotes.jsonl");
    df_corpus_free(c);

    /* An error names the file and its line. */
    const char *bad[] = {DATA "quotes.jsonl", DATA "bad/missing-text.jsonl"};
    assert_int_equal(df_corpus_load_paths(bad, 2, &opts, &c, &err), DF_ERECORD);
    assert_non_null(strstr(err.message, "bad/missing-text.jsonl:2: no field 'text'"));
}

/* ------------------------------------------------------------- getters */

static void test_getters(void **state) {
    (void)state;
    df_corpus *c = load_text(BYTES("{\"text\":\"x\",\"a\":1}"), DF_FORMAT_JSONL);
    df_field_value v;
    df_error err;
    size_t field = 99;
    assert_int_equal(df_corpus_field_find(c, "a", &field), DF_OK);
    assert_int_equal(field, 0);
    assert_int_equal(df_corpus_field_find(c, "text", &field), DF_NOMATCH);
    assert_int_equal(df_corpus_field_find(c, NULL, &field), DF_EARG);
    assert_int_equal(df_fact_field(c, 2, 0, &v, &err), DF_ERANGE);
    assert_string_equal(err.message, "fact id 2 out of range 1..1");
    assert_int_equal(df_fact_field(c, 1, 1, &v, &err), DF_ERANGE);
    assert_string_equal(err.message, "field 1 out of range (the corpus has 1)");
    assert_int_equal(df_fact_field(NULL, 1, 0, &v, &err), DF_EARG);
    assert_int_equal(df_corpus_field_count(NULL), 0);
    assert_null(df_corpus_field_name(NULL, 0));
    df_corpus_free(c);

    assert_string_equal(df_field_type_name(DF_FIELD_ABSENT), "absent");
    assert_string_equal(df_field_type_name(DF_FIELD_JSON), "json");
    assert_null(df_field_type_name((df_field_type)99));

    /* The text formats have no fields. */
    c = load_text(BYTES("a fact\n\nanother"), DF_FORMAT_PARAGRAPHS);
    assert_int_equal(df_corpus_field_count(c), 0);
    assert_int_equal(df_fact_field(c, 1, 0, &v, NULL), DF_ERANGE);
    df_corpus_free(c);
}

/* --------------------------------------------------------- search, count */

static void test_count_file_counts_texts(void **state) {
    (void)state;
    df_regex *re;
    df_matcher *m;
    assert_int_equal(df_regex_compile(BYTES("author|text|e"), 0, &re, NULL), DF_OK);
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    static const struct {
        const char *file;
        df_format format;
    } files[] = {{"quotes.jsonl", DF_FORMAT_JSONL}, {"quotes.csv", DF_FORMAT_CSV},
                 {"quotes.tsv", DF_FORMAT_TSV}};
    for (size_t i = 0; i < 3; i++) {
        char path[512];
        snprintf(path, sizeof path, DATA "%s", files[i].file);
        df_corpus *c = load_path(path, files[i].format, NULL);
        size_t loaded_facts, loaded_matches, facts, matches;
        assert_int_equal(df_count(c, m, 0, &loaded_facts, &loaded_matches, NULL), DF_OK);
        df_load_options opts = {.format = files[i].format};
        assert_int_equal(df_count_file(path, &opts, m, 0, &facts, &matches, NULL), DF_OK);
        /* The texts, never the raw lines with their field names. */
        assert_int_equal(facts, loaded_facts);
        assert_int_equal(matches, loaded_matches);
        df_corpus_free(c);
    }
    df_matcher_free(m);
    df_regex_free(re);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonl_facts_and_fields),
        cmocka_unit_test(test_jsonl_text_field),
        cmocka_unit_test(test_jsonl_numbers),
        cmocka_unit_test(test_jsonl_text_is_trimmed_and_folded),
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_tsv),
        cmocka_unit_test(test_csv_spaces_and_line_ends),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_bad_records),
        cmocka_unit_test(test_bad_buffers),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_paths_union_of_fields),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_count_file_counts_texts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
