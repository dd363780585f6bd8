/* Tests for df_matcher_next (pattern_match.c): iteration as Lua 5.4's
 * string.gmatch, captures, start offsets, and match/depth limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

#define BYTES(lit) (lit), (sizeof(lit) - 1)

static int sentinel_object;
#define SENTINEL ((df_matcher *)(void *)&sentinel_object)

/* --------------------------------------------------------------- helpers */

static df_regex *compile_ok(const char *pattern, unsigned flags) {
    df_regex *re = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_regex_compile(pattern, strlen(pattern), flags, &re, &err);
    if (st != DF_OK) {
        fail_msg("compile \"%s\": %s: %s", pattern, df_status_name(st), err.message);
    }
    return re;
}

static df_matcher *matcher_ok(const df_regex *re, const df_limits *limits) {
    df_matcher *m = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_matcher_new(re, limits, &m, &err);
    if (st != DF_OK) {
        fail_msg("df_matcher_new: %s: %s", df_status_name(st), err.message);
    }
    assert_non_null(m);
    assert_ptr_equal(df_matcher_regex(m), re);
    return m;
}

enum { MAX_SPANS = 64 };

typedef struct spans {
    size_t n;
    size_t start[MAX_SPANS], end[MAX_SPANS];
} spans;

/* Every match of pattern in subject[0..len) from byte `from`, in order.
 * Each call must give DF_OK or, at the end, DF_NOMATCH; the cursor's `last`
 * must be the end of the match just returned. */
static void collect(const char *pattern, unsigned flags, const char *subject, size_t len,
                    size_t from, spans *out) {
    df_regex *re = compile_ok(pattern, flags);
    df_matcher *m = matcher_ok(re, NULL);
    df_cursor cur;
    df_cursor_init(&cur, from);
    assert_int_equal(cur.pos, from);
    assert_int_equal(cur.last, DF_UNSET);
    out->n = 0;
    for (;;) {
        const size_t *ov = NULL;
        df_error err;
        memset(&err, 0, sizeof err);
        df_status st = df_matcher_next(m, subject, len, &cur, &ov, &err);
        if (st == DF_NOMATCH) {
            break;
        }
        if (st != DF_OK) {
            fail_msg("/%s/: %s: %s", pattern, df_status_name(st), err.message);
        }
        if (out->n == MAX_SPANS) {
            fail_msg("/%s/: more than %d matches: the iteration does not end", pattern, MAX_SPANS);
        }
        assert_non_null(ov);
        assert_true(ov[0] <= ov[1]);
        assert_true(ov[1] <= len);
        assert_int_equal(cur.last, ov[1]);
        out->start[out->n] = ov[0];
        out->end[out->n] = ov[1];
        out->n++;
    }
    df_matcher_free(m);
    df_regex_free(re);
}

/* The matches found are exactly `n` spans given as start,end pairs. */
static void expect_spans(const char *pattern, const char *subject, size_t len, size_t from,
                         size_t n, const size_t *pairs) {
    spans got;
    collect(pattern, 0, subject, len, from, &got);
    int same = got.n == n;
    for (size_t i = 0; same && i < n; i++) {
        same = got.start[i] == pairs[2 * i] && got.end[i] == pairs[2 * i + 1];
    }
    if (!same) {
        print_message("/%s/ over \"%.*s\" from %zu: expected", pattern, (int)len, subject, from);
        for (size_t i = 0; i < n; i++) {
            print_message(" [%zu,%zu)", pairs[2 * i], pairs[2 * i + 1]);
        }
        print_message("\n  got");
        for (size_t i = 0; i < got.n; i++) {
            print_message(" [%zu,%zu)", got.start[i], got.end[i]);
        }
        print_message("\n");
        fail();
    }
}

/* A runaway pattern on "aaa...ab": PCRE2 backtracks 2^n ways. */
static char *catastrophic_subject(size_t n_a) {
    char *s = malloc(n_a + 2);
    assert_non_null(s);
    memset(s, 'a', n_a);
    s[n_a] = 'b';
    s[n_a + 1] = '\0';
    return s;
}

static df_status run_once(const df_regex *re, const df_limits *limits, const char *subject,
                          df_error *err) {
    df_matcher *m = matcher_ok(re, limits);
    df_cursor cur;
    df_cursor_init(&cur, 0);
    const size_t *ov = NULL;
    df_status st = df_matcher_next(m, subject, strlen(subject), &cur, &ov, err);
    df_matcher_free(m);
    return st;
}

/* ------------------------------------------------------- empty matches */

static void test_empty_matches_everywhere(void **state) {
    (void)state;
    const size_t want[] = {0, 0, 1, 1, 2, 2, 3, 3};
    expect_spans("x*", BYTES("abc"), 0, 4, want);
}

/* The empty match right after a match is skipped: "xax" gives 2, not 3. */
static void test_empty_after_match_skipped(void **state) {
    (void)state;
    const size_t xax[] = {0, 1, 2, 3};
    expect_spans("x*", BYTES("xax"), 0, 2, xax);

    const size_t baaac[] = {0, 0, 1, 4, 5, 5};
    expect_spans("a*", BYTES("baaac"), 0, 3, baaac);

    /* Not even at the very end: ("aa"):gmatch("a*") yields "aa" only. */
    const size_t aa[] = {0, 2};
    expect_spans("a*", BYTES("aa"), 0, 1, aa);

    /* Zero-width assertions step forward after each hit. */
    const size_t b[] = {0, 0, 2, 2, 3, 3, 5, 5};
    expect_spans("\\b", BYTES("ab cd"), 0, 4, b);
}

/* Stepping past an empty match is not retrying with "not empty here" (as
 * pcre2demo.c does): Lua moves on, so a lazy "a??" never takes an "a". */
static void test_lazy_empty(void **state) {
    (void)state;
    const size_t want[] = {0, 0, 1, 1, 2, 2, 3, 3};
    expect_spans("a??", BYTES("aaa"), 0, 4, want);
}

static void test_empty_subject(void **state) {
    (void)state;
    const size_t want[] = {0, 0};
    expect_spans("x*", "", 0, 0, 1, want);
    expect_spans("x+", "", 0, 0, 0, NULL);
}

/* Stepping past an empty match moves one UTF-8 character: "Söderström" has
 * 10 characters in 12 bytes, so 11 empty matches, none inside a character. */
static void test_empty_steps_by_character(void **state) {
    (void)state;
    const char s[] = "S\xC3\xB6" "derstr\xC3\xB6" "m";
    spans got;
    collect("x*", 0, BYTES(s), 0, &got);
    assert_int_equal(got.n, 11);
    size_t prev = 0;
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(got.start[i], got.end[i]);
        size_t at = got.start[i];
        if (i > 0) {
            assert_true(at > prev);
        }
        prev = at;
        /* A character boundary: the end, or a byte that is not 10xxxxxx. */
        assert_true(at == sizeof s - 1 || ((unsigned char)s[at] & 0xC0) != 0x80);
    }
    assert_int_equal(got.start[0], 0);
    assert_int_equal(got.start[10], sizeof s - 1);

    /* 4-byte characters too: "" over "a𝄞b" matches at 0, 1, 5, 6. */
    const size_t want[] = {0, 0, 1, 1, 5, 5, 6, 6};
    expect_spans("", BYTES("a\xF0\x9D\x84\x9E" "b"), 0, 4, want);
}

/* -------------------------------------------------------------- captures */

static void test_captures(void **state) {
    (void)state;
    df_regex *re = compile_ok("(a)|(b)", 0);
    df_matcher *m = matcher_ok(re, NULL);
    df_cursor cur;
    const size_t *ov = NULL;

    /* A group that did not take part is DF_UNSET, before a set one... */
    df_cursor_init(&cur, 0);
    assert_int_equal(df_matcher_next(m, BYTES("b"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 0);
    assert_int_equal(ov[1], 1);
    assert_int_equal(ov[2], DF_UNSET);
    assert_int_equal(ov[3], DF_UNSET);
    assert_int_equal(ov[4], 0);
    assert_int_equal(ov[5], 1);

    /* ...and after one (trailing unset groups are filled in too). */
    df_cursor_init(&cur, 0);
    assert_int_equal(df_matcher_next(m, BYTES("xa"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 1);
    assert_int_equal(ov[1], 2);
    assert_int_equal(ov[2], 1);
    assert_int_equal(ov[3], 2);
    assert_int_equal(ov[4], DF_UNSET);
    assert_int_equal(ov[5], DF_UNSET);
    assert_int_equal(df_matcher_next(m, BYTES("xa"), &cur, &ov, NULL), DF_NOMATCH);
    df_matcher_free(m);
    df_regex_free(re);

    re = compile_ok("(\\w+)@(\\w+)(x)?", 0);
    m = matcher_ok(re, NULL);
    df_cursor_init(&cur, 0);
    const char s[] = "mail: bob@example and ann@host";
    assert_int_equal(df_matcher_next(m, BYTES(s), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 6);
    assert_int_equal(ov[1], 17);
    assert_int_equal(ov[2], 6);
    assert_int_equal(ov[3], 9);
    assert_int_equal(ov[4], 10);
    assert_int_equal(ov[5], 17);
    assert_int_equal(ov[6], DF_UNSET);
    assert_int_equal(ov[7], DF_UNSET);
    assert_int_equal(df_matcher_next(m, BYTES(s), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[2], 22);
    assert_int_equal(ov[3], 25);
    assert_int_equal(ov[4], 26);
    assert_int_equal(ov[5], 30);
    assert_int_equal(df_matcher_next(m, BYTES(s), &cur, &ov, NULL), DF_NOMATCH);
    df_matcher_free(m);
    df_regex_free(re);
}

/* The subject goes by length: NUL bytes are characters like any other. */
static void test_nul_in_subject(void **state) {
    (void)state;
    const size_t want[] = {2, 3, 4, 5};
    expect_spans("b", BYTES("a\0b\0b"), 0, 2, want);
}

/* ---------------------------------------------------------- start offset */

static void test_start_offset(void **state) {
    (void)state;
    const size_t want[] = {4, 7};
    expect_spans("abc", BYTES("abc abc"), 4, 1, want);
    expect_spans("abc", BYTES("abc abc"), 5, 0, NULL);
    /* The text before the start is still the subject: ^ does not match at
     * the start offset, and lookbehind sees the earlier bytes. */
    expect_spans("^abc", BYTES("abc abc"), 4, 0, NULL);
    expect_spans("(?<=c )abc", BYTES("abc abc"), 4, 1, want);
    /* \b sees the character before the start offset. */
    expect_spans("\\bbc", BYTES("abc abc"), 1, 0, NULL);
    /* Starting at the end still finds an empty match there. */
    const size_t end[] = {3, 3};
    expect_spans("x*", BYTES("abc"), 3, 1, end);
    /* From the middle of a UTF-8 subject, at a character boundary. */
    const size_t mid[] = {3, 3, 4, 4, 6, 6, 7, 7};
    expect_spans("x*", BYTES("S\xC3\xB6" "d\xC3\xB6" "m"), 3, 4, mid);
}

/* After DF_NOMATCH, nothing more is found, however often one asks; a
 * matcher can then be reused on another subject. */
static void test_nomatch_is_final_and_matcher_reusable(void **state) {
    (void)state;
    df_regex *re = compile_ok("o", 0);
    df_matcher *m = matcher_ok(re, NULL);
    df_cursor cur;
    const size_t *ov = NULL;
    df_cursor_init(&cur, 0);
    assert_int_equal(df_matcher_next(m, BYTES("foo"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 1);
    assert_int_equal(df_matcher_next(m, BYTES("foo"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 2);
    assert_int_equal(df_matcher_next(m, BYTES("foo"), &cur, &ov, NULL), DF_NOMATCH);
    assert_int_equal(df_matcher_next(m, BYTES("foo"), &cur, &ov, NULL), DF_NOMATCH);

    df_cursor_init(&cur, 0);
    assert_int_equal(df_matcher_next(m, BYTES("xo"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 1);
    assert_int_equal(ov[1], 2);
    assert_int_equal(df_matcher_next(m, BYTES("xo"), &cur, &ov, NULL), DF_NOMATCH);
    df_matcher_free(m);
    df_regex_free(re);
}

/* ---------------------------------------------------------------- limits */

static void test_match_limit_default(void **state) {
    (void)state;
    df_regex *re = compile_ok("(a+)+$", 0);
    char *s = catastrophic_subject(40);
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, NULL, s, &err), DF_EMATCHLIMIT);
    assert_int_equal(err.code, DF_EMATCHLIMIT);
    assert_non_null(strstr(err.message, "match limit"));
    /* A zero df_limits means the defaults as well. */
    df_limits zero = {0, 0};
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, &zero, s, &err), DF_EMATCHLIMIT);
    free(s);
    df_regex_free(re);
}

/* A small custom limit is applied: the same pattern on a subject the
 * default limit allows fails under match_limit = 1000. */
static void test_match_limit_custom(void **state) {
    (void)state;
    df_regex *re = compile_ok("(a+)+$", 0);
    char *s = catastrophic_subject(14);
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, NULL, s, &err), DF_NOMATCH);

    df_limits small = {1000, 0};
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, &small, s, &err), DF_EMATCHLIMIT);
    assert_int_equal(err.code, DF_EMATCHLIMIT);
    assert_non_null(strstr(err.message, "match limit"));
    free(s);
    df_regex_free(re);

    /* An easy match stays within the small limit. */
    re = compile_ok("a+", 0);
    assert_int_equal(run_once(re, &small, "xaaa", NULL), DF_OK);
    df_regex_free(re);
}

/* A tiny depth limit stops a deep backtracking match.  JIT code has no
 * depth limit and reports the match limit instead; the interpreter must
 * report the depth limit, which it reaches long before the match limit. */
static void test_depth_limit(void **state) {
    (void)state;
    df_regex *re = compile_ok("(a+)+$", 0);
    char *s = catastrophic_subject(40);
    df_limits tiny = {0, 10};
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = run_once(re, &tiny, s, &err);
    if (df_regex_is_jit(re)) {
        assert_true(st == DF_EDEPTHLIMIT || st == DF_EMATCHLIMIT);
    } else {
        assert_int_equal(st, DF_EDEPTHLIMIT);
    }
    assert_int_equal(err.code, st);
    assert_non_null(strstr(err.message, "limit"));
    free(s);
    df_regex_free(re);
}

/* (*NO_JIT) and the other start-of-pattern options compile and match as
 * without them; (*NO_JIT) takes the interpreter, with the same limits. */
static void test_start_of_pattern_options(void **state) {
    (void)state;
    static const char *const options[] = {
        "(*NO_JIT)", "(*NO_START_OPT)", "(*NO_AUTO_POSSESS)", "(*NO_DOTSTAR_ANCHOR)",
        "(*UTF)", "(*UCP)", "(*CR)", "(*LF)", "(*CRLF)", "(*ANYCRLF)", "(*ANY)",
        "(*NUL)", "(*BSR_ANYCRLF)", "(*BSR_UNICODE)", "(*NOTEMPTY_ATSTART)",
        "(*LIMIT_MATCH=100000)", "(*LIMIT_DEPTH=1000)", "(*LIMIT_HEAP=1000)",
        "(*NO_JIT)(*LIMIT_MATCH=100000)",
    };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        char pattern[64];
        snprintf(pattern, sizeof pattern, "%sb+", options[i]);
        df_regex *re = compile_ok(pattern, 0);
        df_matcher *m = matcher_ok(re, NULL);
        df_cursor cur;
        df_cursor_init(&cur, 0);
        const size_t *ov = NULL;
        df_error err;
        memset(&err, 0, sizeof err);
        df_status st = df_matcher_next(m, BYTES("aabbba"), &cur, &ov, &err);
        if (st != DF_OK)
            fail_msg("%s: %s: %s", pattern, df_status_name(st), err.message);
        assert_int_equal(ov[0], 2);
        assert_int_equal(ov[1], 5);
        df_matcher_free(m);
        if (i == 0)
            assert_false(df_regex_is_jit(re));
        df_regex_free(re);
    }
}

static void test_no_jit_limits(void **state) {
    (void)state;
    df_regex *re = compile_ok("(*NO_JIT)(a+)+$", 0);
    assert_false(df_regex_is_jit(re));
    char *s = catastrophic_subject(40);
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, NULL, s, &err), DF_EMATCHLIMIT);
    assert_non_null(strstr(err.message, "match limit"));
    free(s);
    df_regex_free(re);

    /* One backtracking frame per repetition of a group: the interpreter
     * runs out of its heap allowance (as JIT code runs out of its stack)
     * long before the depth limit of a million. */
    re = compile_ok("(*NO_JIT)(*NO_START_OPT)(?:(a)|b)*c", 0);
    size_t n = 400000;
    s = malloc(n + 1);
    assert_non_null(s);
    memset(s, 'a', n);
    s[n] = '\0';
    memset(&err, 0, sizeof err);
    assert_int_equal(run_once(re, NULL, s, &err), DF_EDEPTHLIMIT);
    assert_non_null(strstr(err.message, "heap"));
    free(s);
    df_regex_free(re);
}

/* ------------------------------------------------------------- arguments */

static void test_bad_arguments(void **state) {
    (void)state;
    df_error err;
    df_matcher *m = SENTINEL;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_matcher_new(NULL, NULL, &m, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_null(m);

    df_regex *re = compile_ok("a", 0);
    memset(&err, 0, sizeof err);
    assert_int_equal(df_matcher_new(re, NULL, NULL, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);

    m = matcher_ok(re, NULL);
    df_cursor cur;
    df_cursor_init(&cur, 0);
    const size_t *ov = NULL;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_matcher_next(NULL, BYTES("a"), &cur, &ov, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_int_equal(df_matcher_next(m, NULL, 1, &cur, &ov, NULL), DF_EARG);
    assert_int_equal(df_matcher_next(m, BYTES("a"), NULL, &ov, NULL), DF_EARG);
    assert_int_equal(df_matcher_next(m, BYTES("a"), &cur, NULL, NULL), DF_EARG);
    /* None of that disturbed the matcher or the cursor. */
    assert_int_equal(df_matcher_next(m, BYTES("a"), &cur, &ov, NULL), DF_OK);
    assert_int_equal(ov[0], 0);
    assert_int_equal(ov[1], 1);
    df_matcher_free(m);
    df_matcher_free(NULL); /* a no-op */
    df_regex_free(re);
}

/* "On success *err is left untouched" - and DF_NOMATCH is not an error. */
static void test_success_leaves_err_untouched(void **state) {
    (void)state;
    df_error err, before;
    memset(&err, 0x5A, sizeof err);
    memcpy(&before, &err, sizeof err);
    df_regex *re = compile_ok("b", 0);
    df_matcher *m = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m, &err), DF_OK);
    df_cursor cur;
    df_cursor_init(&cur, 0);
    const size_t *ov = NULL;
    assert_int_equal(df_matcher_next(m, BYTES("abc"), &cur, &ov, &err), DF_OK);
    assert_memory_equal(&err, &before, sizeof err);
    df_matcher_free(m);
    df_regex_free(re);
}

/* df_matcher_dfa: the DFA matcher's matches, all at the first start. */
static void expect_dfa(df_matcher *m, const char *subject, size_t start, size_t first,
                       const size_t *ends, size_t count) {
    const size_t *ov = NULL;
    size_t n = 0;
    df_error err;
    assert_int_equal(df_matcher_dfa(m, subject, strlen(subject), start, &ov, &n, &err), DF_OK);
    assert_int_equal(n, count);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ov[2 * i], first);
        assert_int_equal(ov[2 * i + 1], ends[i]);
    }
}

static void test_dfa(void **state) {
    (void)state;
    df_regex *re = compile_ok("(*NO_AUTO_POSSESS)a+|é", 0);
    df_matcher *m = matcher_ok(re, NULL);
    expect_dfa(m, "xaaa", 0, 1, (const size_t[]){4, 3, 2}, 3);
    expect_dfa(m, "xaaa", 2, 2, (const size_t[]){4, 3}, 2);
    expect_dfa(m, "éa", 0, 0, (const size_t[]){2}, 1);
    /* more matches than the first vector holds: it grows */
    char many[101];
    memset(many, 'a', 100);
    many[100] = '\0';
    size_t ends[100];
    for (size_t i = 0; i < 100; i++)
        ends[i] = 100 - i;
    expect_dfa(m, many, 0, 0, ends, 100);
    df_error err;
    const size_t *ov = NULL;
    size_t n = 0;
    assert_int_equal(df_matcher_dfa(m, BYTES("xyz"), 0, &ov, &n, &err), DF_NOMATCH);
    assert_int_equal(df_matcher_dfa(m, BYTES("aa"), 3, &ov, &n, &err), DF_NOMATCH);
    assert_int_equal(df_matcher_dfa(m, BYTES("éa"), 1, &ov, &n, &err), DF_EARG);
    assert_non_null(strstr(err.message, "inside a UTF-8 character"));
    assert_int_equal(df_matcher_dfa(m, NULL, 1, 0, &ov, &n, &err), DF_EARG);
    assert_int_equal(df_matcher_dfa(m, BYTES("a"), 0, NULL, &n, &err), DF_EARG);
    assert_int_equal(df_matcher_dfa(NULL, BYTES("a"), 0, &ov, &n, &err), DF_EARG);
    /* the regex's flags hold: a literal, whole words */
    df_matcher_free(m);
    df_regex_free(re);
    re = compile_ok("a.c", DF_LITERAL | DF_WORD);
    m = matcher_ok(re, NULL);
    expect_dfa(m, "abc a.cx a.c", 9, 9, (const size_t[]){12}, 1);
    expect_dfa(m, "abc a.cx a.c", 0, 9, (const size_t[]){12}, 1);
    df_matcher_free(m);
    df_regex_free(re);
}

static void test_dfa_unsupported_and_limits(void **state) {
    (void)state;
    df_regex *re = compile_ok("(a)\\1", 0);
    df_matcher *m = matcher_ok(re, NULL);
    df_error err;
    const size_t *ov = NULL;
    size_t n = 0;
    assert_int_equal(df_matcher_dfa(m, BYTES("aa"), 0, &ov, &n, &err), DF_EMATCH);
    assert_non_null(strstr(err.message, "the DFA matcher cannot run this pattern"));
    df_matcher_free(m);
    df_regex_free(re);
    /* no backtracking: what runs away in df_matcher_next fails at once */
    re = compile_ok("(a+)+$", 0);
    m = matcher_ok(re, NULL);
    char subject[64];
    memset(subject, 'a', 40);
    strcpy(subject + 40, "b");
    assert_int_equal(df_matcher_dfa(m, subject, strlen(subject), 0, &ov, &n, &err), DF_NOMATCH);
    df_matcher_free(m);
    df_regex_free(re);
    /* the match limit counts the DFA matcher's calls, an assertion's too */
    re = compile_ok("a(?=b)", 0);
    df_limits limits = {1, 0};
    m = matcher_ok(re, &limits);
    assert_int_equal(df_matcher_dfa(m, subject, strlen(subject), 0, &ov, &n, &err),
                     DF_EMATCHLIMIT);
    assert_non_null(strstr(err.message, "match limit exceeded"));
    df_matcher_free(m);
    df_regex_free(re);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_matches_everywhere),
        cmocka_unit_test(test_empty_after_match_skipped),
        cmocka_unit_test(test_lazy_empty),
        cmocka_unit_test(test_empty_subject),
        cmocka_unit_test(test_empty_steps_by_character),
        cmocka_unit_test(test_captures),
        cmocka_unit_test(test_nul_in_subject),
        cmocka_unit_test(test_start_offset),
        cmocka_unit_test(test_nomatch_is_final_and_matcher_reusable),
        cmocka_unit_test(test_match_limit_default),
        cmocka_unit_test(test_match_limit_custom),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_start_of_pattern_options),
        cmocka_unit_test(test_no_jit_limits),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_success_leaves_err_untouched),
        cmocka_unit_test(test_dfa),
        cmocka_unit_test(test_dfa_unsupported_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
