/* Tests for flags, compilation and pattern semantics (pattern_compile.c); matching
 * goes through a matcher, whose iteration rules test_pattern_match.c covers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

#define BYTES(lit) (lit), (sizeof(lit) - 1)

static int sentinel_object;
#define SENTINEL ((df_regex *)(void *)&sentinel_object)

static const unsigned ALL_FLAGS =
    DF_CASELESS | DF_MULTILINE | DF_DOTALL | DF_EXTENDED | DF_LITERAL | DF_WORD;

/* --------------------------------------------------------------- helpers */

static df_regex *compile_ok(const char *pattern, size_t len, unsigned flags) {
    df_regex *re = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_regex_compile(pattern, len, flags, &re, &err);
    if (st != DF_OK) {
        fail_msg("compile \"%.*s\" (flags %u): %s: %s", (int)len, pattern, flags,
                 df_status_name(st), err.message);
    }
    assert_non_null(re);
    return re;
}

typedef struct span {
    size_t start, end;
} span;

/* The first match of pattern in subject: DF_OK and its span, or DF_NOMATCH. */
static df_status first_match(const char *pattern, size_t plen, unsigned flags,
                             const char *subject, size_t slen, span *out) {
    df_regex *re = compile_ok(pattern, plen, flags);
    df_matcher *m = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    df_cursor cur;
    df_cursor_init(&cur, 0);
    const size_t *ov = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_matcher_next(m, subject, slen, &cur, &ov, &err);
    if (st == DF_OK) {
        assert_non_null(ov);
        out->start = ov[0];
        out->end = ov[1];
    } else if (st != DF_NOMATCH) {
        fail_msg("match: %s: %s", df_status_name(st), err.message);
    }
    df_matcher_free(m);
    df_regex_free(re);
    return st;
}

/* Pattern and subject as C strings. */
static df_status find(const char *pattern, unsigned flags, const char *subject, span *out) {
    return first_match(pattern, strlen(pattern), flags, subject, strlen(subject), out);
}

static void expect_match(const char *pattern, unsigned flags, const char *subject,
                         size_t start, size_t end) {
    span sp = {0, 0};
    df_status st = find(pattern, flags, subject, &sp);
    if (st != DF_OK || sp.start != start || sp.end != end) {
        fail_msg("/%s/ flags %u on \"%s\": expected [%zu,%zu), got %s [%zu,%zu)", pattern, flags,
                 subject, start, end, df_status_name(st), sp.start, sp.end);
    }
}

static void expect_no_match(const char *pattern, unsigned flags, const char *subject) {
    span sp = {0, 0};
    df_status st = find(pattern, flags, subject, &sp);
    if (st != DF_NOMATCH) {
        fail_msg("/%s/ flags %u on \"%s\": expected no match, got %s [%zu,%zu)", pattern, flags,
                 subject, df_status_name(st), sp.start, sp.end);
    }
}

/* A compile that must fail with `code`; returns the error for more checks. */
static df_error expect_compile_error(const char *pattern, size_t len, unsigned flags,
                                     df_status code) {
    df_regex *re = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_regex_compile(pattern, len, flags, &re, &err);
    if (st != code) {
        fail_msg("compile \"%.*s\" (flags %u): expected %s, got %s", (int)len, pattern, flags,
                 df_status_name(code), df_status_name(st));
    }
    assert_null(re); /* *out is reset on failure */
    assert_int_equal(err.code, code);
    assert_true(strlen(err.message) > 0);
    assert_null(strchr(err.message, '\n'));
    return err;
}

/* ------------------------------------------------------------------ flags */

static void test_parse_flags(void **state) {
    (void)state;
    unsigned flags = 12345;
    assert_int_equal(df_regex_parse_flags("", &flags, NULL), DF_OK);
    assert_int_equal(flags, 0);

    static const struct {
        const char *letters;
        unsigned flags;
    } cases[] = {
        {"i", DF_CASELESS}, {"m", DF_MULTILINE}, {"s", DF_DOTALL}, {"x", DF_EXTENDED},
        {"F", DF_LITERAL},  {"w", DF_WORD},      {"iw", DF_CASELESS | DF_WORD},
        {"wi", DF_CASELESS | DF_WORD},           {"imsxFw", ALL_FLAGS},
        {"Fwxsmi", ALL_FLAGS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_error err;
        memset(&err, 0, sizeof err);
        flags = 0xFFFF;
        assert_int_equal(df_regex_parse_flags(cases[i].letters, &flags, &err), DF_OK);
        assert_int_equal(flags, cases[i].flags);
    }
}

/* Every set of flags written as letters reads back as itself, in one
 * order; a short buffer holds what fits and the count says how many. */
static void test_format_flags(void **state) {
    (void)state;
    char buf[16];
    for (unsigned flags = 0; flags <= ALL_FLAGS; flags++) {
        if (flags & ~(unsigned)ALL_FLAGS)
            continue;
        size_t n = df_regex_format_flags(flags, buf, sizeof buf);
        assert_int_equal(n, strlen(buf));
        unsigned back = 0xFFFF;
        assert_int_equal(df_regex_parse_flags(buf, &back, NULL), DF_OK);
        assert_int_equal(back, flags);
    }
    assert_int_equal(df_regex_format_flags(ALL_FLAGS, buf, sizeof buf), 6);
    assert_string_equal(buf, "imsxFw");
    assert_int_equal(df_regex_format_flags(DF_WORD | DF_CASELESS | 1u << 20, buf, sizeof buf), 2);
    assert_string_equal(buf, "iw");  /* an unknown bit has no letter */
    assert_int_equal(df_regex_format_flags(ALL_FLAGS, buf, 3), 6);
    assert_string_equal(buf, "im");
    assert_int_equal(df_regex_format_flags(ALL_FLAGS, NULL, 0), 6);
}

static void test_parse_flags_unknown_letter(void **state) {
    (void)state;
    static const struct {
        const char *letters;
        size_t offset;
        char bad;
    } cases[] = {
        {"q", 0, 'q'},
        {"imq", 2, 'q'},
        {"iXz", 1, 'X'}, /* only F is upper case; the first bad letter is named */
        {"I", 0, 'I'},   /* letters are case-sensitive */
        {"f", 0, 'f'},
        {"i w", 1, ' '},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned flags = 0;
        df_error err;
        memset(&err, 0, sizeof err);
        assert_int_equal(df_regex_parse_flags(cases[i].letters, &flags, &err), DF_EARG);
        assert_int_equal(err.code, DF_EARG);
        assert_int_equal(err.offset, cases[i].offset);
        if (cases[i].bad != ' ') {
            assert_non_null(strchr(err.message, cases[i].bad));
        }
    }
    /* err may be NULL. */
    unsigned flags = 0;
    assert_int_equal(df_regex_parse_flags("z", &flags, NULL), DF_EARG);
}

static void test_parse_flags_null(void **state) {
    (void)state;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_regex_parse_flags("i", NULL, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
}

/* ---------------------------------------------------------------- compile */

static void test_compile_basics(void **state) {
    (void)state;
    df_regex *re = compile_ok(BYTES("Gos(l)ing"), DF_CASELESS | DF_WORD);
    assert_int_equal(df_regex_flags(re), DF_CASELESS | DF_WORD);
    assert_int_equal(df_regex_group_count(re), 1);
    assert_int_equal(df_regex_name_count(re), 0);
    int jit = df_regex_is_jit(re);
    assert_true(jit == 0 || jit == 1);
    df_regex_free(re);
    df_regex_free(NULL); /* a no-op */

    /* All flags at once compile. */
    re = compile_ok(BYTES("a b"), ALL_FLAGS);
    assert_int_equal(df_regex_flags(re), ALL_FLAGS);
    df_regex_free(re);

    /* The empty pattern is valid and matches at 0. */
    expect_match("", 0, "abc", 0, 0);
}

static void test_compile_error(void **state) {
    (void)state;
    df_error err = expect_compile_error(BYTES("a(b"), 0, DF_EPATTERN);
    assert_non_null(strstr(err.message, "missing closing parenthesis"));
    assert_int_equal(err.offset, 3);

    err = expect_compile_error(BYTES("ab)"), 0, DF_EPATTERN);
    assert_non_null(strstr(err.message, "unmatched closing parenthesis"));
    assert_int_equal(err.offset, 2);

    err = expect_compile_error(BYTES("x{2,1}"), 0, DF_EPATTERN);
    assert_int_equal(err.offset, 5);

    err = expect_compile_error(BYTES("[z-a]"), 0, DF_EPATTERN);
    assert_int_equal(err.offset, 3);

    /* err may be NULL. */
    df_regex *re = SENTINEL;
    assert_int_equal(df_regex_compile(BYTES("("), 0, &re, NULL), DF_EPATTERN);
    assert_null(re);
}

/* DF_WORD and DF_CASELESS must not change what the user's pattern means:
 * offsets stay in the user's pattern, and a pattern that would not compile
 * alone does not compile with the flag either (a wrapper made of text such
 * as "\b(?:" ... ")\b" would let "a)|(b" escape it). */
static void test_compile_error_with_flags(void **state) {
    (void)state;
    df_error err = expect_compile_error(BYTES("a(b"), DF_WORD, DF_EPATTERN);
    assert_non_null(strstr(err.message, "missing closing parenthesis"));
    assert_int_equal(err.offset, 3);

    err = expect_compile_error(BYTES("ab)"), DF_WORD, DF_EPATTERN);
    assert_int_equal(err.offset, 2);

    err = expect_compile_error(BYTES("a)|(b"), DF_WORD, DF_EPATTERN);
    assert_int_equal(err.offset, 1);

    err = expect_compile_error(BYTES("x{2,1}"), DF_CASELESS | DF_MULTILINE, DF_EPATTERN);
    assert_int_equal(err.offset, 5);
}

static void test_compile_invalid_utf8(void **state) {
    (void)state;
    df_error err = expect_compile_error(BYTES("ab\xFF"), 0, DF_EUTF8);
    assert_int_equal(err.offset, 2);
    err = expect_compile_error(BYTES("\xC3\xA9\xC3"), DF_LITERAL, DF_EUTF8);
    assert_int_equal(err.offset, 2);
    err = expect_compile_error(BYTES("x\xED\xA0\x80"), DF_WORD, DF_EUTF8);
    assert_int_equal(err.offset, 1);
}

static void test_compile_bad_arguments(void **state) {
    (void)state;
    df_regex *re = SENTINEL;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_regex_compile(NULL, 3, 0, &re, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_null(re);

    memset(&err, 0, sizeof err);
    assert_int_equal(df_regex_compile(BYTES("a"), 0, NULL, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);

    /* A flag bit the header does not define. */
    re = SENTINEL;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_regex_compile(BYTES("a"), 1u << 12, &re, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_null(re);
}

/* The pattern is pattern[0..len): a NUL inside it is an ordinary character
 * and bytes after len are not read. */
static void test_pattern_length(void **state) {
    (void)state;
    span sp;
    assert_int_equal(first_match(BYTES("a\0b"), 0, BYTES("xa\0b"), &sp), DF_OK);
    assert_int_equal(sp.start, 1);
    assert_int_equal(sp.end, 4);
    assert_int_equal(first_match(BYTES("a\0b"), DF_LITERAL, BYTES("xa\0b"), &sp), DF_OK);
    assert_int_equal(sp.end, 4);
    /* "ab(" cut to "ab" compiles. */
    assert_int_equal(first_match("ab(", 2, 0, BYTES("xab"), &sp), DF_OK);
    assert_int_equal(sp.start, 1);
}

static void test_group_count(void **state) {
    (void)state;
    df_regex *re = compile_ok(BYTES("(a)(b)(?:c)(?<n>d)"), 0);
    assert_int_equal(df_regex_group_count(re), 3);
    df_regex_free(re);
    /* Flags add no groups of their own. */
    re = compile_ok(BYTES("(a)(b)"), DF_WORD | DF_CASELESS);
    assert_int_equal(df_regex_group_count(re), 2);
    df_regex_free(re);
    /* A literal pattern has no groups, whatever parentheses it holds. */
    re = compile_ok(BYTES("(a)(b)"), DF_LITERAL | DF_WORD);
    assert_int_equal(df_regex_group_count(re), 0);
    df_regex_free(re);
}

static void test_named_groups(void **state) {
    (void)state;
    df_regex *re = compile_ok(BYTES("(?<year>\\d{4})-(?<month>\\d\\d)-(\\d\\d)"), 0);
    assert_int_equal(df_regex_group_count(re), 3);
    assert_int_equal(df_regex_name_count(re), 2);
    int seen_year = 0, seen_month = 0;
    for (size_t i = 0; i < 2; i++) {
        size_t group = 0;
        const char *name = df_regex_name(re, i, &group);
        assert_non_null(name);
        if (strcmp(name, "year") == 0) {
            assert_int_equal(group, 1);
            seen_year++;
        } else if (strcmp(name, "month") == 0) {
            assert_int_equal(group, 2);
            seen_month++;
        } else {
            fail_msg("unexpected group name \"%s\"", name);
        }
    }
    assert_int_equal(seen_year, 1);
    assert_int_equal(seen_month, 1);
    /* Past the end there is no name. */
    size_t group = 77;
    assert_null(df_regex_name(re, 2, &group));
    df_regex_free(re);

    /* Names and their numbers survive DF_WORD. */
    re = compile_ok(BYTES("(?<w>\\w+)"), DF_WORD);
    assert_int_equal(df_regex_name_count(re), 1);
    const char *name = df_regex_name(re, 0, &group);
    assert_non_null(name);
    assert_string_equal(name, "w");
    assert_int_equal(group, 1);
    df_regex_free(re);
}

/* ------------------------------------------------------------- semantics */

static void test_literal(void **state) {
    (void)state;
    expect_match("a.b(", DF_LITERAL, "xa.b(y", 1, 5);
    expect_no_match("a.b(", DF_LITERAL, "aXb(");
    expect_match("\\d+", DF_LITERAL, "x\\d+", 1, 4);
    expect_no_match("\\d+", DF_LITERAL, "123");
    expect_match("(2011)", DF_LITERAL, "Drive (2011) was", 6, 12);
    /* Whatever quoting the implementation uses, it cannot be escaped from. */
    expect_match("a\\Eb", DF_LITERAL, "xa\\Eb", 1, 5);
    expect_match("\\Q(x)", DF_LITERAL, "\\Q(x)", 0, 5);
    expect_match("\\", DF_LITERAL, "a\\", 1, 2);
    expect_match("\xC3\xA9.", DF_LITERAL, "\xC3\xA9x \xC3\xA9.", 4, 7);
    expect_match("", DF_LITERAL, "abc", 0, 0);
    /* Literal combines with caseless and word. */
    expect_match("A.B", DF_LITERAL | DF_CASELESS, "xa.b", 1, 4);
    expect_no_match("a.b", DF_LITERAL | DF_WORD, "xa.b");
    expect_match("a.b", DF_LITERAL | DF_WORD, "x a.b y", 2, 5);
}

static void test_word(void **state) {
    (void)state;
    expect_match("cat", DF_WORD, "a cat.", 2, 5);
    expect_no_match("cat", DF_WORD, "concatenate");
    expect_match("cat", DF_WORD, "cat", 0, 3);
    expect_match("cat", DF_WORD, "concatenate cat", 12, 15);
    /* The whole alternation is bounded, not just its ends. */
    expect_match("cat|dog", DF_WORD, "dogs dog", 5, 8);
    expect_no_match("cat|dog", DF_WORD, "cats dogs");
}

/* Always UCP: word boundaries know non-ASCII letters, even for a literal
 * pattern (PCRE2_LITERAL does not accept PCRE2_UCP, so this needs care). */
static void test_word_unicode(void **state) {
    (void)state;
    /* é is a word character: no boundary between é and c. */
    expect_no_match("cole", DF_WORD, "\xC3\xA9" "cole");
    expect_no_match("cole", DF_WORD | DF_LITERAL, "\xC3\xA9" "cole");
    /* ...and a boundary between ' and é. */
    expect_match("\xC3\xA9" "cole", DF_WORD, "l'\xC3\xA9" "cole.", 2, 8);
    expect_match("\xC3\xA9" "cole", DF_WORD | DF_LITERAL, "l'\xC3\xA9" "cole.", 2, 8);
    expect_match("Noé", DF_WORD | DF_LITERAL | DF_CASELESS, "Gaspar NOÉ on", 7, 11);
}

static void test_caseless(void **state) {
    (void)state;
    expect_no_match("\xC3\x89" "COLE", 0, "\xC3\xA9" "cole");
    expect_match("\xC3\x89" "COLE", DF_CASELESS, "l'\xC3\xA9" "cole", 2, 8);
    expect_match("\xC3\x89" "COLE", DF_CASELESS | DF_LITERAL, "l'\xC3\xA9" "cole", 2, 8);
    expect_match("gosling", DF_CASELESS, "Ryan GOSLING", 5, 12);
    expect_no_match("gosling", 0, "Ryan Gosling");
}

static void test_ucp(void **state) {
    (void)state;
    /* \w, \d and POSIX classes follow Unicode properties. */
    expect_match("\\w+", 0, "-\xC3\xA9t\xC3\xA9-", 1, 6);
    expect_match("\\d", 0, "x\xD9\xA3", 1, 3);        /* U+0663 ARABIC-INDIC DIGIT THREE */
    expect_match("[[:alpha:]]", 0, "1\xC3\xB6", 1, 3); /* ö */
    /* ö is a word character: no boundary between it and d, and \w+ takes
     * the whole word. */
    expect_no_match("\\bderstr", 0, "S\xC3\xB6" "derstr\xC3\xB6" "m");
    expect_match("\\Bderstr", 0, "S\xC3\xB6" "derstr\xC3\xB6" "m", 3, 9);
    expect_match("\\w+", 0, "S\xC3\xB6" "derstr\xC3\xB6" "m str", 0, 12);
    /* A dot is one character, not one byte. */
    expect_match("^.$", 0, "\xE2\x82\xAC", 0, 3);
}

static void test_multiline(void **state) {
    (void)state;
    expect_no_match("^b", 0, "a\nb");
    expect_match("^b", DF_MULTILINE, "a\nb", 2, 3);
    expect_no_match("a$", 0, "a\nb");
    expect_match("a$", DF_MULTILINE, "a\nb", 0, 1);
}

static void test_dotall(void **state) {
    (void)state;
    expect_no_match("a.b", 0, "a\nb");
    expect_match("a.b", DF_DOTALL, "a\nb", 0, 3);
}

static void test_extended(void **state) {
    (void)state;
    expect_no_match("a b # comment", 0, "ab");
    expect_match("a b # comment", DF_EXTENDED, "xab", 1, 3);
    expect_match("a b # comment", 0, "a b # comment", 0, 13);
    /* A literal pattern ignores x: spaces are text. */
    expect_match("a b", DF_LITERAL | DF_EXTENDED, "ab a b", 3, 6);
    expect_match("a#b c", DF_LITERAL | DF_EXTENDED, "x a#b c", 2, 7);
}

/* A regex is immutable and usable by several matchers at once. */
static void test_shared_regex(void **state) {
    (void)state;
    df_regex *re = compile_ok(BYTES("o+"), 0);
    df_matcher *m1 = NULL, *m2 = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m1, NULL), DF_OK);
    assert_int_equal(df_matcher_new(re, NULL, &m2, NULL), DF_OK);
    df_cursor c1, c2;
    df_cursor_init(&c1, 0);
    df_cursor_init(&c2, 0);
    const size_t *ov1 = NULL, *ov2 = NULL;
    assert_int_equal(df_matcher_next(m1, BYTES("foo"), &c1, &ov1, NULL), DF_OK);
    assert_int_equal(df_matcher_next(m2, BYTES("xo"), &c2, &ov2, NULL), DF_OK);
    /* Each matcher keeps its own results. */
    assert_int_equal(ov1[0], 1);
    assert_int_equal(ov1[1], 3);
    assert_int_equal(ov2[0], 1);
    assert_int_equal(ov2[1], 2);
    df_matcher_free(m1);
    df_matcher_free(m2);
    df_regex_free(re);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_flags),
        cmocka_unit_test(test_format_flags),
        cmocka_unit_test(test_parse_flags_unknown_letter),
        cmocka_unit_test(test_parse_flags_null),
        cmocka_unit_test(test_compile_basics),
        cmocka_unit_test(test_compile_error),
        cmocka_unit_test(test_compile_error_with_flags),
        cmocka_unit_test(test_compile_invalid_utf8),
        cmocka_unit_test(test_compile_bad_arguments),
        cmocka_unit_test(test_pattern_length),
        cmocka_unit_test(test_group_count),
        cmocka_unit_test(test_named_groups),
        cmocka_unit_test(test_literal),
        cmocka_unit_test(test_word),
        cmocka_unit_test(test_word_unicode),
        cmocka_unit_test(test_caseless),
        cmocka_unit_test(test_ucp),
        cmocka_unit_test(test_multiline),
        cmocka_unit_test(test_dotall),
        cmocka_unit_test(test_extended),
        cmocka_unit_test(test_shared_regex),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
