/* Tests for loading and reading a corpus (corpus_load.c). */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivefacts.h"
#include "temp_files.h"

#define BYTES(lit) (lit), (sizeof(lit) - 1)

#define DATA_FILE DF_SOURCE_DIR "/core/data/drive-2011.txt"

/* A pointer no allocator returns: lets a test see that *out was reset. */
static int sentinel_object;
#define SENTINEL ((df_corpus *)(void *)&sentinel_object)

/* --------------------------------------------------------------- helpers */

static df_status load(const char *data, size_t len, df_format format, const char *name,
                      df_corpus **out, df_error *err) {
    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.format = format;
    opts.name = name;
    return df_corpus_load_buffer(data, len, &opts, out, err);
}

/* Load that must succeed. */
static df_corpus *load_ok(const char *data, size_t len, df_format format) {
    df_corpus *c = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = load(data, len, format, NULL, &c, &err);
    if (st != DF_OK) {
        fail_msg("load failed: %s: %s", df_status_name(st), err.message);
    }
    assert_non_null(c);
    return c;
}

static df_fact get_fact(const df_corpus *c, df_fact_id id) {
    df_fact f;
    memset(&f, 0, sizeof f);
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_corpus_fact(c, id, &f, &err);
    if (st != DF_OK) {
        fail_msg("df_corpus_fact(%zu): %s: %s", (size_t)id, df_status_name(st), err.message);
    }
    assert_int_equal(f.id, id);
    assert_non_null(f.text);
    return f;
}

static int is_ascii_space(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* What must hold for every corpus, whatever its input: facts are non-empty,
 * trimmed, CR-free, NUL-terminated, start on increasing lines, and their
 * lengths add up to df_corpus_bytes. */
static void check_invariants(const df_corpus *c) {
    size_t total = 0, prev_line = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(c); id++) {
        df_fact f = get_fact(c, id);
        assert_true(f.len > 0);
        assert_int_equal(f.text[f.len], '\0');
        assert_null(memchr(f.text, '\r', f.len));
        assert_false(is_ascii_space(f.text[0]));
        assert_false(is_ascii_space(f.text[f.len - 1]));
        assert_true(f.line > prev_line);
        prev_line = f.line;
        total += f.len;
    }
    assert_int_equal(df_corpus_bytes(c), total);
}

/* The corpus holds exactly `n` facts with these (NUL-free) texts and lines. */
static void expect_facts(const df_corpus *c, size_t n, const char *const *texts,
                         const size_t *lines) {
    assert_int_equal(df_corpus_count(c), n);
    for (size_t i = 0; i < n; i++) {
        df_fact f = get_fact(c, (df_fact_id)(i + 1));
        if (f.len != strlen(texts[i]) || memcmp(f.text, texts[i], f.len) != 0) {
            fail_msg("fact %zu: expected \"%s\", got \"%.*s\" (%zu bytes)", i + 1, texts[i],
                     (int)f.len, f.text, f.len);
        }
        if (lines != NULL && f.line != lines[i]) {
            fail_msg("fact %zu: expected line %zu, got %zu", i + 1, lines[i], f.line);
        }
    }
    check_invariants(c);
}

/* ------------------------------------------------------- embedded corpus */

static void test_embedded_basics(void **state) {
    (void)state;
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_embedded(&c, NULL), DF_OK);
    assert_non_null(c);
    assert_int_equal(df_corpus_count(c), 122);
    assert_string_equal(df_corpus_name(c), "<embedded>");

    df_fact first = get_fact(c, 1);
    const char *prefix = "In preparation for his role, Ryan Gosling";
    assert_true(first.len > strlen(prefix));
    assert_memory_equal(first.text, prefix, strlen(prefix));
    assert_int_equal(first.line, 1);
    assert_int_equal(get_fact(c, 2).line, 3);

    /* The facts are single paragraphs of one line each: the search tests
     * rely on that to write them one per line. */
    for (df_fact_id id = 1; id <= 122; id++) {
        df_fact f = get_fact(c, id);
        assert_null(memchr(f.text, '\n', f.len));
    }
    check_invariants(c);
    df_corpus_free(c);
}

/* The embedded corpus is the data file compiled in: loading the file gives
 * the same facts, byte for byte, on the same lines. */
static void test_embedded_matches_data_file(void **state) {
    (void)state;
    df_corpus *emb = NULL, *file = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_embedded(&emb, &err), DF_OK);
    df_status st = df_corpus_load_file(DATA_FILE, NULL, &file, &err);
    if (st != DF_OK) {
        fail_msg("%s: %s", df_status_name(st), err.message);
    }
    assert_string_equal(df_corpus_name(file), DATA_FILE);
    assert_int_equal(df_corpus_count(file), df_corpus_count(emb));
    assert_int_equal(df_corpus_bytes(file), df_corpus_bytes(emb));
    for (df_fact_id id = 1; id <= df_corpus_count(emb); id++) {
        df_fact a = get_fact(emb, id), b = get_fact(file, id);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.text, b.text, a.len);
        assert_int_equal(a.line, b.line);
    }
    df_corpus_free(emb);
    df_corpus_free(file);
}

static void test_fact_out_of_range(void **state) {
    (void)state;
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_embedded(&c, NULL), DF_OK);
    df_fact_id bad_ids[] = {0, (df_fact_id)df_corpus_count(c) + 1, UINT32_MAX};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        df_fact f;
        df_error err;
        memset(&err, 0, sizeof err);
        assert_int_equal(df_corpus_fact(c, bad_ids[i], &f, &err), DF_ERANGE);
        assert_int_equal(err.code, DF_ERANGE);
        assert_true(strlen(err.message) > 0);
        /* err may be NULL. */
        assert_int_equal(df_corpus_fact(c, bad_ids[i], &f, NULL), DF_ERANGE);
    }
    /* The last id is in range. */
    df_fact last = get_fact(c, (df_fact_id)df_corpus_count(c));
    assert_true(last.len > 0);
    df_corpus_free(c);

    /* An empty corpus has no fact 1. */
    c = load_ok("", 0, DF_FORMAT_PARAGRAPHS);
    df_fact f;
    assert_int_equal(df_corpus_fact(c, 1, &f, NULL), DF_ERANGE);
    df_corpus_free(c);
}

/* "On success *err is left untouched." */
static void test_success_leaves_err_untouched(void **state) {
    (void)state;
    df_error err, before;
    memset(&err, 0x5A, sizeof err);
    memcpy(&before, &err, sizeof err);
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_embedded(&c, &err), DF_OK);
    df_fact f;
    assert_int_equal(df_corpus_fact(c, 5, &f, &err), DF_OK);
    df_corpus_free(c);
    assert_int_equal(load(BYTES("a\n\nb"), DF_FORMAT_PARAGRAPHS, "x", &c, &err), DF_OK);
    df_corpus_free(c);
    assert_memory_equal(&err, &before, sizeof err);
}

/* ---------------------------------------------------------------- formats */

static void test_paragraphs(void **state) {
    (void)state;
    /* Several blank lines and a whitespace-only line separate; a single
     * newline does not. */
    const char data[] = "a\n\n\nb\n \t \nc\nd\n";
    const char *texts[] = {"a", "b", "c\nd"};
    const size_t lines[] = {1, 4, 6};
    df_corpus *c = load_ok(BYTES(data), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 3, texts, lines);
    df_corpus_free(c);

    /* Paragraphs is the default, with opts NULL or zero-initialised. */
    c = NULL;
    assert_int_equal(df_corpus_load_buffer(BYTES(data), NULL, &c, NULL), DF_OK);
    expect_facts(c, 3, texts, lines);
    df_corpus_free(c);

    /* "%" means nothing in this format, and inner whitespace is kept. */
    const char *texts2[] = {"a  \n  b\n%\nc"};
    c = load_ok(BYTES("a  \n  b\n%\nc"), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 1, texts2, NULL);
    df_corpus_free(c);
}

static void test_lines(void **state) {
    (void)state;
    const char *texts[] = {"one", "two", "three", "four"};
    const size_t lines[] = {1, 3, 5, 6};
    df_corpus *c = load_ok(BYTES("one\n\ntwo\n   \n  three  \nfour"), DF_FORMAT_LINES);
    expect_facts(c, 4, texts, lines);
    df_corpus_free(c);
}

static void test_fortune(void **state) {
    (void)state;
    /* A separator may end in CR LF; consecutive separators give an empty
     * fact, which is dropped; blank lines inside a fact do not separate. */
    const char data[] = "first fact\n%\nsecond\n\nfact\n%\r\n%\nthird\n%\n";
    const char *texts[] = {"first fact", "second\n\nfact", "third"};
    const size_t lines[] = {1, 3, 8};
    df_corpus *c = load_ok(BYTES(data), DF_FORMAT_FORTUNE);
    expect_facts(c, 3, texts, lines);
    df_corpus_free(c);

    /* A "%" that is not alone on its line is text, "% " and " %" too, as
     * strfile reads them; no final separator is needed. */
    const char *texts2[] = {"100%\n%x\n50 %\n% \n %\n%%", "last"};
    c = load_ok(BYTES("100%\n%x\n50 %\n% \n %\n%%\n%\nlast"), DF_FORMAT_FORTUNE);
    expect_facts(c, 2, texts2, NULL);
    df_corpus_free(c);

    /* Only separators: no facts. */
    c = load_ok(BYTES("%\n%\n%"), DF_FORMAT_FORTUNE);
    assert_int_equal(df_corpus_count(c), 0);
    df_corpus_free(c);
}

static void test_trimming(void **state) {
    (void)state;
    const char *texts[] = {"hello", "world"};
    const size_t lines[] = {1, 3};
    df_corpus *c = load_ok(BYTES("  hello  \n\n\tworld\t\n  "), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 2, texts, lines);
    df_corpus_free(c);

    c = load_ok(BYTES("  hello  \n\tworld\t"), DF_FORMAT_LINES);
    const size_t lines2[] = {1, 2};
    expect_facts(c, 2, texts, lines2);
    df_corpus_free(c);

    c = load_ok(BYTES("  hello  \n%\n\tworld\t\n"), DF_FORMAT_FORTUNE);
    expect_facts(c, 2, texts, NULL);
    df_corpus_free(c);
}

static void test_bom(void **state) {
    (void)state;
    const char *texts[] = {"first", "second"};
    const size_t lines[] = {1, 3};
    df_corpus *c = load_ok(BYTES("\xEF\xBB\xBF" "first\n\nsecond"), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 2, texts, lines);
    df_corpus_free(c);

    c = load_ok(BYTES("\xEF\xBB\xBF" "first\nsecond"), DF_FORMAT_LINES);
    const size_t lines2[] = {1, 2};
    expect_facts(c, 2, texts, lines2);
    df_corpus_free(c);

    /* A BOM alone is an empty input. */
    c = load_ok(BYTES("\xEF\xBB\xBF"), DF_FORMAT_PARAGRAPHS);
    assert_int_equal(df_corpus_count(c), 0);
    df_corpus_free(c);

    /* Only a leading BOM is skipped: U+FEFF elsewhere is text (and not ASCII
     * whitespace, so not trimmed). */
    c = load_ok(BYTES("x\n\n\xEF\xBB\xBF" "y"), DF_FORMAT_PARAGRAPHS);
    assert_int_equal(df_corpus_count(c), 2);
    df_fact f = get_fact(c, 2);
    assert_int_equal(f.len, 4);
    assert_memory_equal(f.text, "\xEF\xBB\xBF" "y", 4);
    df_corpus_free(c);

    /* Offsets of errors count the BOM: they are offsets in the input. */
    df_error err;
    memset(&err, 0, sizeof err);
    c = SENTINEL;
    assert_int_equal(load(BYTES("\xEF\xBB\xBF" "ab\n\xC0\x80"), DF_FORMAT_PARAGRAPHS, NULL, &c, &err),
                     DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.code, DF_EUTF8);
    assert_int_equal(err.offset, 6);
    assert_int_equal(err.line, 2);
}

static void test_crlf(void **state) {
    (void)state;
    const char *texts[] = {"a\nb", "c"};
    const size_t lines[] = {1, 4};
    df_corpus *c = load_ok(BYTES("a\r\nb\r\n\r\nc\r\n"), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 2, texts, lines);
    assert_int_equal(df_corpus_bytes(c), 4);
    df_corpus_free(c);

    /* A line holding only spaces and a CR is blank. */
    c = load_ok(BYTES("a\r\n \r\nc"), DF_FORMAT_PARAGRAPHS);
    const char *texts2[] = {"a", "c"};
    const size_t lines2[] = {1, 3};
    expect_facts(c, 2, texts2, lines2);
    df_corpus_free(c);

    const char *texts3[] = {"x", "y"};
    c = load_ok(BYTES("x\r\n\r\ny\r\n"), DF_FORMAT_LINES);
    expect_facts(c, 2, texts3, lines2);
    df_corpus_free(c);

    c = load_ok(BYTES("x\r\n%\r\ny\r\n"), DF_FORMAT_FORTUNE);
    expect_facts(c, 2, texts3, lines2);
    df_corpus_free(c);

    /* Trimming and CRLF folding both shrink the byte count. */
    c = load_ok(BYTES("  ab \r\n\r\ncd\r\nef  "), DF_FORMAT_PARAGRAPHS);
    const char *texts4[] = {"ab", "cd\nef"};
    expect_facts(c, 2, texts4, NULL);
    assert_int_equal(df_corpus_bytes(c), 7);
    df_corpus_free(c);

    /* Error offsets are in the original bytes, CRs included. */
    df_error err;
    memset(&err, 0, sizeof err);
    c = SENTINEL;
    assert_int_equal(load(BYTES("ab\r\ncd\r\n\xFF"), DF_FORMAT_LINES, NULL, &c, &err), DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.offset, 8);
    assert_int_equal(err.line, 3);
}

/* Classic Mac OS text: lines broken by a CR alone, decided by the first
 * line break. */
static void test_cr_line_ends(void **state) {
    (void)state;
    const char *texts[] = {"a\nb", "c"};
    const size_t lines[] = {1, 4};
    df_corpus *c = load_ok(BYTES("a\rb\r\rc\r"), DF_FORMAT_PARAGRAPHS);
    expect_facts(c, 2, texts, lines);
    df_corpus_free(c);

    const char *texts2[] = {"x", "y z", "w"};
    const size_t lines2[] = {1, 2, 4};
    c = load_ok(BYTES("\xEF\xBB\xBFx\ry z\r\rw"), DF_FORMAT_LINES);
    expect_facts(c, 3, texts2, lines2);
    df_corpus_free(c);

    const char *texts3[] = {"one\ncookie", "two"};
    const size_t lines3[] = {1, 4};
    c = load_ok(BYTES("one\rcookie\r%\rtwo\r%\r"), DF_FORMAT_FORTUNE);
    expect_facts(c, 2, texts3, lines3);
    df_corpus_free(c);

    /* A CRLF in CR text is one line break, as in CRLF text. */
    const char *texts4[] = {"a", "b", "c"};
    const size_t lines4[] = {1, 2, 3};
    c = load_ok(BYTES("a\rb\r\nc"), DF_FORMAT_LINES);
    expect_facts(c, 3, texts4, lines4);
    df_corpus_free(c);

    /* Where the first line break is LF (or CRLF), a lone CR later is text. */
    c = load_ok(BYTES("a\r\nb\rc\n"), DF_FORMAT_LINES);
    assert_int_equal(df_corpus_count(c), 2);
    df_fact f = get_fact(c, 2);
    assert_int_equal(f.len, 3);
    assert_memory_equal(f.text, "b\rc", 3);
    df_corpus_free(c);

    /* Errors are located on the CR-broken lines. */
    df_error err;
    memset(&err, 0, sizeof err);
    c = SENTINEL;
    assert_int_equal(load(BYTES("ab\rcd\r\xFF"), DF_FORMAT_LINES, "mac.txt", &c, &err), DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.offset, 6);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "mac.txt:3:"));
}

static void test_empty_inputs(void **state) {
    (void)state;
    static const struct {
        const char *data;
        size_t len;
    } inputs[] = {
        {"", 0},
        {" \n\t\n\r\n  ", 8},
        {"\n\n\n", 3},
    };
    const df_format formats[] = {DF_FORMAT_PARAGRAPHS, DF_FORMAT_LINES, DF_FORMAT_FORTUNE};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        for (size_t j = 0; j < 3; j++) {
            df_corpus *c = SENTINEL;
            df_error err;
            memset(&err, 0, sizeof err);
            assert_int_equal(load(inputs[i].data, inputs[i].len, formats[j], NULL, &c, &err), DF_OK);
            assert_non_null(c);
            assert_true(c != SENTINEL);
            assert_int_equal(df_corpus_count(c), 0);
            assert_int_equal(df_corpus_bytes(c), 0);
            df_corpus_free(c);
        }
    }
}

static void test_nul_inside_fact(void **state) {
    (void)state;
    df_corpus *c = load_ok(BYTES("a\0b\n\nc"), DF_FORMAT_PARAGRAPHS);
    assert_int_equal(df_corpus_count(c), 2);
    df_fact f = get_fact(c, 1);
    assert_int_equal(f.len, 3);
    assert_memory_equal(f.text, "a\0b", 4); /* the 4th byte is the terminator */
    assert_int_equal(get_fact(c, 2).len, 1);
    check_invariants(c);
    df_corpus_free(c);

    /* NUL is not whitespace: it is not trimmed. */
    c = load_ok(BYTES("  \0a\0  \nz"), DF_FORMAT_LINES);
    f = get_fact(c, 1);
    assert_int_equal(f.len, 3);
    assert_memory_equal(f.text, "\0a\0", 4);
    df_corpus_free(c);
}

/* The buffer and the name are copied: the caller may reuse both. */
static void test_buffer_and_name_are_copied(void **state) {
    (void)state;
    const char text[] = "alpha\n\nbeta";
    char *data = malloc(sizeof text);
    assert_non_null(data);
    memcpy(data, text, sizeof text);
    char name[] = "mine.txt";
    df_corpus *c = NULL;
    assert_int_equal(load(data, sizeof text - 1, DF_FORMAT_PARAGRAPHS, name, &c, NULL), DF_OK);
    memset(data, 'X', sizeof text - 1);
    free(data);
    memset(name, 'Y', sizeof name - 1);
    assert_string_equal(df_corpus_name(c), "mine.txt");
    const char *texts[] = {"alpha", "beta"};
    expect_facts(c, 2, texts, NULL);
    df_corpus_free(c);

    /* Without a name, buffers are "<buffer>". */
    c = load_ok(BYTES("x"), DF_FORMAT_LINES);
    assert_string_equal(df_corpus_name(c), "<buffer>");
    df_corpus_free(c);
}

/* ------------------------------------------------------------ bad input */

static void test_invalid_utf8_buffer(void **state) {
    (void)state;
    const char data[] = "line one\nline two\nbad \xC3\x28 here\n";
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(load(BYTES(data), DF_FORMAT_PARAGRAPHS, "notes.txt", &c, &err), DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.code, DF_EUTF8);
    assert_int_equal(err.offset, 22);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "notes.txt:3"));
    assert_non_null(strstr(err.message, "byte"));
    assert_null(strchr(err.message, '\n'));

    /* The default name appears when none is given. */
    memset(&err, 0, sizeof err);
    assert_int_equal(load(BYTES(data), DF_FORMAT_LINES, NULL, &c, &err), DF_EUTF8);
    assert_null(c);
    assert_non_null(strstr(err.message, "<buffer>"));

    /* Every format validates. */
    assert_int_equal(load(BYTES("%\n\x80\n"), DF_FORMAT_FORTUNE, NULL, &c, &err), DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.offset, 2);
    assert_int_equal(err.line, 2);

    /* err may be NULL. */
    assert_int_equal(load(BYTES("\xFF"), DF_FORMAT_LINES, NULL, &c, NULL), DF_EUTF8);
    assert_null(c);
}

static void test_max_bytes_buffer(void **state) {
    (void)state;
    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.max_bytes = 4;
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_buffer(BYTES("abcde"), &opts, &c, &err), DF_ETOOBIG);
    assert_null(c);
    assert_int_equal(err.code, DF_ETOOBIG);
    assert_true(strlen(err.message) > 0);
    /* The limit itself is allowed. */
    assert_int_equal(df_corpus_load_buffer(BYTES("abcd"), &opts, &c, &err), DF_OK);
    assert_int_equal(df_corpus_count(c), 1);
    df_corpus_free(c);
}

static void test_bad_format(void **state) {
    (void)state;
    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.format = (df_format)42;
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_buffer(BYTES("abc"), &opts, &c, &err), DF_EARG);
    assert_null(c);
    assert_int_equal(err.code, DF_EARG);
}

static void test_null_arguments(void **state) {
    (void)state;
    df_corpus *c = SENTINEL;
    df_error err;

    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_buffer(NULL, 3, NULL, &c, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_null(c);
    assert_int_equal(df_corpus_load_buffer(BYTES("abc"), NULL, NULL, &err), DF_EARG);

    c = SENTINEL;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_file(NULL, NULL, &c, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_null(c);
    assert_int_equal(df_corpus_load_file(DATA_FILE, NULL, NULL, &err), DF_EARG);

    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_embedded(NULL, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    /* And with err NULL as well. */
    assert_int_equal(df_corpus_load_embedded(NULL, NULL), DF_EARG);

    df_fact f;
    assert_int_equal(df_corpus_fact(NULL, 1, &f, NULL), DF_EARG);
    assert_int_equal(df_corpus_load_embedded(&c, NULL), DF_OK);
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_fact(c, 1, NULL, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    df_corpus_free(c);

    df_corpus_free(NULL); /* a no-op */
}

/* ----------------------------------------------------------------- files */

static void test_file_round_trip(void **state) {
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "roundtrip");
    const char data[] = "alpha\n%\nbeta\r\ngamma\n%\n\xC3\xA9t\xC3\xA9\n";
    write_file(path, BYTES(data));

    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.format = DF_FORMAT_FORTUNE;
    df_corpus *c = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_corpus_load_file(path, &opts, &c, &err);
    assert_int_equal(remove(path), 0);
    if (st != DF_OK) {
        fail_msg("%s: %s", df_status_name(st), err.message);
    }
    assert_string_equal(df_corpus_name(c), path);
    const char *texts[] = {"alpha", "beta\ngamma", "\xC3\xA9t\xC3\xA9"};
    const size_t lines[] = {1, 3, 6};
    expect_facts(c, 3, texts, lines);
    df_corpus_free(c);
}

/* Large enough that a reader which assumes one read() returns everything,
 * or grows a buffer wrongly, would show it. */
static void test_file_large(void **state) {
    (void)state;
    enum { N = 20000 };
    size_t cap = (size_t)N * 32;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t len = 0;
    for (int i = 1; i <= N; i++) {
        int n = snprintf(data + len, cap - len, "fact number %d\n", i);
        assert_true(n > 0);
        len += (size_t)n;
    }
    char path[1024];
    temp_path(path, sizeof path, "large");
    write_file(path, data, len);
    free(data);

    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.format = DF_FORMAT_LINES;
    df_corpus *c = NULL;
    df_status st = df_corpus_load_file(path, &opts, &c, NULL);
    assert_int_equal(remove(path), 0);
    assert_int_equal(st, DF_OK);
    assert_int_equal(df_corpus_count(c), N);
    df_fact f = get_fact(c, 12345);
    assert_int_equal(f.line, 12345);
    assert_int_equal(f.len, strlen("fact number 12345"));
    assert_memory_equal(f.text, "fact number 12345", f.len);
    f = get_fact(c, N);
    assert_int_equal(f.line, N);
    check_invariants(c);
    df_corpus_free(c);
}

static void test_file_invalid_utf8(void **state) {
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "badutf8");
    write_file(path, BYTES("good\n\nbad \xED\xA0\x80\n"));
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_corpus_load_file(path, NULL, &c, &err);
    assert_int_equal(remove(path), 0);
    assert_int_equal(st, DF_EUTF8);
    assert_null(c);
    assert_int_equal(err.offset, 10);
    assert_int_equal(err.line, 3);
    char where[1100];
    snprintf(where, sizeof where, "%s:3", path);
    assert_non_null(strstr(err.message, where));
    assert_non_null(strstr(err.message, "byte"));
}

static void test_file_missing(void **state) {
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "does-not-exist");
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_file(path, NULL, &c, &err), DF_EIO);
    assert_null(c);
    assert_int_equal(err.code, DF_EIO);
    assert_non_null(strstr(err.message, path));
    /* err may be NULL. */
    assert_int_equal(df_corpus_load_file(path, NULL, &c, NULL), DF_EIO);
}

/* fopen() succeeds on a directory on Linux; reading it must still fail. */
static void test_file_is_directory(void **state) {
    (void)state;
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_file(DF_BINARY_DIR, NULL, &c, &err), DF_EIO);
    assert_null(c);
    assert_int_equal(err.code, DF_EIO);
    assert_non_null(strstr(err.message, DF_BINARY_DIR));
}

static void test_file_too_big(void **state) {
    (void)state;
    char path[1024];
    temp_path(path, sizeof path, "toobig");
    write_file(path, BYTES("0123456789\n0123456789\n"));
    df_load_options opts;
    memset(&opts, 0, sizeof opts);
    opts.format = DF_FORMAT_LINES;
    opts.max_bytes = 10;
    df_corpus *c = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_corpus_load_file(path, &opts, &c, &err), DF_ETOOBIG);
    assert_null(c);
    assert_int_equal(err.code, DF_ETOOBIG);
    /* Exactly the file's size is allowed. */
    opts.max_bytes = 22;
    assert_int_equal(df_corpus_load_file(path, &opts, &c, &err), DF_OK);
    assert_int_equal(df_corpus_count(c), 2);
    df_corpus_free(c);
    assert_int_equal(remove(path), 0);
}

/* ------------------------------------------------------ several sources */

static void test_load_paths(void **state) {
    (void)state;
    char dir[512], path[1024], sub[768], more[1024];
    temp_path(dir, sizeof dir, "dir");
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(sub, sizeof sub, "%s/b-sub", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    /* Kept, in byte order: a.txt, b-sub/c, z; skipped: the rest. */
    snprintf(path, sizeof path, "%s/z", dir);
    write_file(path, BYTES("zed\n%\nlast\n"));
    snprintf(path, sizeof path, "%s/a.txt", dir);
    write_file(path, BYTES("first\n%\nsecond\nline\n"));
    snprintf(path, sizeof path, "%s/c", sub);
    write_file(path, BYTES("\n\nthird\n"));
    snprintf(path, sizeof path, "%s/.hidden", dir);
    write_file(path, BYTES("hidden\n"));
    snprintf(path, sizeof path, "%s/a.txt.dat", dir);
    write_file(path, BYTES("strfile index\n"));
    snprintf(path, sizeof path, "%s/binary", dir);
    write_file(path, BYTES("bin\0ary\n"));
    snprintf(path, sizeof path, "%s/link", dir);
    snprintf(more, sizeof more, "%s/a.txt", dir);
    assert_int_equal(symlink(more, path), 0);

    snprintf(more, sizeof more, "%s/more", DF_BINARY_DIR);
    temp_path(more, sizeof more, "more");
    write_file(more, BYTES("extra\n"));
    const char *paths[] = {dir, more};
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    df_corpus *c = SENTINEL;
    df_error err;
    assert_int_equal(df_corpus_load_paths(paths, 2, &opts, &c, &err), DF_OK);
    assert_int_equal(df_corpus_count(c), 6);
    assert_int_equal(df_corpus_source_count(c), 4);
    assert_string_equal(df_corpus_name(c), "<2 sources>");
    static const char *const texts[] = {"first", "second\nline", "third", "zed", "last", "extra"};
    static const size_t lines[] = {1, 3, 3, 1, 3, 1};
    static const size_t sources[] = {0, 0, 1, 2, 2, 3};
    char expected[1200];
    for (df_fact_id id = 1; id <= 6; id++) {
        df_fact f;
        assert_int_equal(df_corpus_fact(c, id, &f, &err), DF_OK);
        assert_string_equal(f.text, texts[id - 1]);
        assert_int_equal(f.line, lines[id - 1]);
        assert_string_equal(f.source, df_corpus_source(c, sources[id - 1]));
    }
    snprintf(expected, sizeof expected, "%s/a.txt", dir);
    assert_string_equal(df_corpus_source(c, 0), expected);
    snprintf(expected, sizeof expected, "%s/c", sub);
    assert_string_equal(df_corpus_source(c, 1), expected);
    assert_string_equal(df_corpus_source(c, 3), more);
    assert_null(df_corpus_source(c, 4));
    /* The searcher walks them as one corpus. */
    df_regex *re;
    df_matcher *m;
    size_t facts;
    assert_int_equal(df_regex_compile("e", 1, 0, &re, &err), DF_OK);
    assert_int_equal(df_matcher_new(re, NULL, &m, &err), DF_OK);
    assert_int_equal(df_count(c, m, 0, &facts, NULL, &err), DF_OK);
    assert_int_equal(facts, 3);
    df_matcher_free(m);
    df_regex_free(re);
    df_corpus_free(c);

    /* The files, as a count file by file would see them. */
    char **files;
    size_t n;
    assert_int_equal(df_paths_expand(paths, 2, &files, &n, &err), DF_OK);
    assert_int_equal(n, 4);
    assert_string_equal(files[3], more);
    df_paths_free(files, n);

    /* One directory names the corpus; a corpus of one file has one source. */
    assert_int_equal(df_corpus_load_paths(paths, 1, &opts, &c, &err), DF_OK);
    assert_string_equal(df_corpus_name(c), dir);
    df_corpus_free(c);
    /* One file among paths is that file's corpus, under the name asked for,
     * its path the source of every fact. */
    const char *one[] = {more};
    df_load_options named = opts;
    named.name = "named";
    assert_int_equal(df_corpus_load_paths(one, 1, &named, &c, &err), DF_OK);
    assert_string_equal(df_corpus_name(c), "named");
    assert_int_equal(df_corpus_source_count(c), 1);
    assert_string_equal(df_corpus_source(c, 0), more);
    df_fact last;
    assert_int_equal(df_corpus_fact(c, (df_fact_id)df_corpus_count(c), &last, &err), DF_OK);
    assert_string_equal(last.source, more);
    df_corpus_free(c);
    assert_int_equal(df_corpus_load_file(more, NULL, &c, &err), DF_OK);
    assert_int_equal(df_corpus_source_count(c), 1);
    assert_string_equal(df_corpus_source(c, 0), more);
    df_fact f;
    assert_int_equal(df_corpus_fact(c, 1, &f, &err), DF_OK);
    assert_string_equal(f.source, more);
    df_corpus_free(c);

    /* An error names the file and the line. */
    snprintf(path, sizeof path, "%s/b-sub/d", dir);
    write_file(path, BYTES("ok\n\xff\n"));
    c = SENTINEL;
    assert_int_equal(df_corpus_load_paths(paths, 2, &opts, &c, &err), DF_EUTF8);
    assert_null(c);
    snprintf(expected, sizeof expected, "%s:2: invalid UTF-8", path);
    assert_non_null(strstr(err.message, expected));
    remove(path);
    const char *missing[] = {"/nonexistent/drivefacts"};
    assert_int_equal(df_corpus_load_paths(missing, 1, &opts, &c, &err), DF_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/drivefacts"));
    assert_int_equal(df_corpus_load_paths(NULL, 1, &opts, &c, &err), DF_EARG);
    const char *null_path[] = {NULL};
    assert_int_equal(df_corpus_load_paths(null_path, 1, &opts, &c, &err), DF_EARG);
    /* No paths: an empty corpus. */
    assert_int_equal(df_corpus_load_paths(NULL, 0, &opts, &c, &err), DF_OK);
    assert_int_equal(df_corpus_count(c), 0);
    df_corpus_free(c);

    char cmd[2200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", dir, more);
    assert_int_equal(system(cmd), 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_basics),
        cmocka_unit_test(test_embedded_matches_data_file),
        cmocka_unit_test(test_fact_out_of_range),
        cmocka_unit_test(test_success_leaves_err_untouched),
        cmocka_unit_test(test_paragraphs),
        cmocka_unit_test(test_lines),
        cmocka_unit_test(test_fortune),
        cmocka_unit_test(test_load_paths),
        cmocka_unit_test(test_trimming),
        cmocka_unit_test(test_bom),
        cmocka_unit_test(test_crlf),
        cmocka_unit_test(test_cr_line_ends),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_nul_inside_fact),
        cmocka_unit_test(test_buffer_and_name_are_copied),
        cmocka_unit_test(test_invalid_utf8_buffer),
        cmocka_unit_test(test_max_bytes_buffer),
        cmocka_unit_test(test_bad_format),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_file_round_trip),
        cmocka_unit_test(test_file_large),
        cmocka_unit_test(test_file_invalid_utf8),
        cmocka_unit_test(test_file_missing),
        cmocka_unit_test(test_file_is_directory),
        cmocka_unit_test(test_file_too_big),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
