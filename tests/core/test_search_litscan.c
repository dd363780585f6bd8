/* Tests for the multi-string scan (search_litscan.c) against a naive search, at
 * every offset and near the end of the text, with and without AVX2; and for
 * the alternations of strings it decides alone (pattern_literals.c reads
 * them), against PCRE2 matching each fact. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "search.h"
#include "temp_files.h"

static uint32_t lcg_state;

static uint32_t lcg_next(void) {
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 8;
}

static unsigned char fold(unsigned char c) {
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static size_t naive_find(const df_litset *set, const char *text, size_t len, size_t from) {
    for (size_t i = from; i < len; i++) {
        for (size_t k = 0; k < set->count; k++) {
            const df_literal *lit = &set->lit[k];
            size_t j = 0;
            while (j < lit->len && i + j < len &&
                   (set->caseless ? fold((unsigned char)text[i + j])
                                  : (unsigned char)text[i + j]) == lit->bytes[j])
                j++;
            if (j == lit->len)
                return i;
        }
    }
    return len;
}

/* The set of a pattern: what a matcher for it uses. */
static df_litset litset_of(const char *pattern, unsigned flags) {
    df_regex *re = NULL;
    df_matcher *m = NULL;
    df_error err;
    if (df_regex_compile(pattern, strlen(pattern), flags, &re, &err) != DF_OK ||
        df_matcher_new(re, NULL, &m, &err) != DF_OK)
        fail_msg("%s: %s", pattern, err.message);
    df_litset set = *df_matcher_litset(m);
    df_matcher_free(m);
    df_regex_free(re);
    return set;
}

/* The required-literal query's set, which never decides. */
static df_litset query_litset_of(const char *pattern, unsigned flags) {
    df_litquery *query;
    df_litset set;
    if (df_litquery_extract(pattern, strlen(pattern), flags, &query) != DF_OK)
        fail_msg("%s: out of memory", pattern);
    df_litset_init(&set, query, 1);
    df_litquery_free(query);
    return set;
}

static void test_which_patterns_get_a_set(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        unsigned flags;
        size_t count;
        int decides, caseless;
    } cases[] = {
        {"Mulligan|Cranston|Brooks|Perlman", 0, 4, 1, 0},
        {"gosling|refn", DF_CASELESS, 3, 1, 1},        /* "go\xC5\xBFling" too */
        {"(?i)Mulligan|Cranston|Brooks|Perlman", 0, 8, 1, 1},  /* 1 + 2 + 4 + 1: k, s */
        {"(?i)(?:mulligan|gosling)", 0, 3, 1, 1},
        {"(?:Ryan|Carey)|(Refn)", 0, 3, 0, 1},     /* a group inside: the query's set */
        {"(?:Ryan|Carey)", DF_EXTENDED, 2, 1, 0},
        {"Ryan|(?i)Carey", 0, 2, 0, 1},            /* mixed: the query's set */
        {"Ryan|Carey", DF_WORD, 2, 0, 1},
        {"Söderström|Gosling", 0, 2, 1, 0},
        {"Söderström|Gosling", DF_CASELESS, 2, 0, 1},  /* non-ASCII caseless: "der", "ling" */
        {"(?i)kiss|kits|sks", 0, 0, 0, 0},         /* 8 + 4 + 8 strings: too many */
        {"\\b(?:Ryan|Carey) Gosling\\b", 0, 2, 0, 1},  /* "ryan gosling", "carey gosling" */
        {"Gosling", 0, 1, 1, 0},                        /* one string */
        {"(?i)gosling", 0, 2, 1, 1},                    /* and its long-s partner */
        {"^Ryan Gosling", 0, 1, 0, 1},                  /* not context-free: the query's */
        {"^the\\b.*Zyxquorvant", 0, 1, 0, 1},             /* the rarer of two required */
        {"\\bdrive\\b", DF_CASELESS, 0, 0, 0},           /* context-free: PCRE2 scans */
        {"\\bthe\\b.*Zyxquorvant", 0, 0, 0, 0},
        {"ab|cd", 0, 0, 0, 0},                          /* shorter than 3 bytes: no query */
        {"a1|b2|c3|d4|e5|f6|g7|h8|i9", DF_LITERAL, 0, 0, 0},  /* one string, context-free */
        {"one|two|six|ten|red|tan|ink|oak|elm", 0, 0, 0, 0},  /* 9 strings: too many */
        {"\\w+|Gosling", 0, 0, 0, 0},
        {"Ryan|Carey|", 0, 0, 0, 0},                    /* the empty string matches */
        {"Ryan|Car\\.ey", 0, 2, 1, 0},
        {"Ryan|Carey?", 0, 3, 0, 1},                   /* a quantifier */
        {"(?#x)Ryan(?#y)|\\QCarey\\E", 0, 2, 1, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_litset set = litset_of(cases[i].pattern, cases[i].flags);
        if (set.count != cases[i].count || (set.count > 0 && (set.decides != cases[i].decides ||
                                                             set.caseless != cases[i].caseless)))
            fail_msg("/%s/: %zu strings, decides %d, caseless %d; expected %zu, %d, %d",
                     cases[i].pattern, set.count, set.decides, set.caseless, cases[i].count,
                     cases[i].decides, cases[i].caseless);
    }
}

/* Of the strings a match requires, the set holds the rarest. */
static void test_rarest_required_string(void **state) {
    (void)state;
    df_litset set = litset_of("^the\\b.*Zyxquorvant", 0);
    assert_int_equal(set.count, 1);
    assert_int_equal(set.lit[0].len, 11);
    assert_memory_equal(set.lit[0].bytes, "zyxquorvant", 11);
    assert_true(set.lit[0].bytes[set.rare[0][0]] == 'z' || set.lit[0].bytes[set.rare[0][0]] == 'q');
    set = litset_of("^Carey Mulligan.*(?:Perlman|Cranston)", 0);
    assert_int_equal(set.count, 1);  /* one rare string beats an OR of common ones */
    assert_memory_equal(set.lit[0].bytes, "carey mulligan", 14);
}

static void test_same_as_naive_search(void **state) {
    (void)state;
    static const char *const patterns[] = {
        "Mulligan|Cranston|Brooks|Perlman", "abc|xyz", "a@b|a`b|\\[\\{x", "é!x|zzz",
        "0123456789abcdefghijklmnopqrstuvwxyz0123456789|zzz",
        /* Four strings and more: Teddy, with non-letters and both cases. */
        "a@b|a`b|\\[\\{x|Mul|BROoks|é!x|0123|zz9",
        /* One string: the scan for its two rarest bytes, in either order. */
        "Mulligan", "é!x", "abc", "zyxaBC", "0123456789abcdefghijklmnopqrstuvwxyz0123456789",
    };
    static const char alphabet[] = "abcxyzABCXYZ@`[{é!0123456789 MulliganBROOKSperlman";
    char text[300];
    lcg_state = 2011u;
    for (size_t p = 0; p < 2 * (sizeof patterns / sizeof patterns[0]); p++) {
        /* Each pattern's own set (exact strings) and its query's (lowercased). */
        size_t which = p / 2;
        df_litset set = p % 2 ? query_litset_of(patterns[which], 0) : litset_of(patterns[which], 0);
        assert_true(set.count >= 1);
        for (int round = 0; round < 400; round++) {
            size_t len = lcg_next() % sizeof text;
            for (size_t i = 0; i < len; i++)
                text[i] = alphabet[lcg_next() % (sizeof alphabet - 1)];
            /* Plant a string, in a random case, near the end now and then. */
            if (len > 60 && round % 3 == 0) {
                const df_literal *lit = &set.lit[lcg_next() % set.count];
                size_t at = len - lit->len - lcg_next() % 20;
                for (size_t j = 0; j < lit->len; j++) {
                    unsigned char c = lit->bytes[j];
                    text[at + j] = (char)(c >= 'a' && c <= 'z' && lcg_next() % 2 ? c - 32 : c);
                }
            }
            for (int avx2 = 0; avx2 <= set.avx2; avx2++) {
                df_litset variant = set;
                variant.avx2 = avx2;
                for (size_t from = 0; from <= len; from += 1 + lcg_next() % 7) {
                    size_t want = naive_find(&variant, text, len, from);
                    size_t got = df_litset_find(&variant, text, len, from, NULL);
                    if (want != got)
                        fail_msg("/%s/ avx2 %d, len %zu from %zu: %zu, expected %zu",
                                 patterns[which], avx2, len, from, got, want);
                }
            }
        }
    }
}

/* The rule df_literal_alternation rests on: under UCP the only characters
 * beyond ASCII that match a printable ASCII character caselessly are
 * U+017F (s) and U+212A (k).  Checked over every code point. */
static void test_ucp_caseless_partners_of_ascii(void **state) {
    (void)state;
    size_t cap = 4 * 0x110000, len = 0;
    char *text = calloc(cap, 1);  /* zeroed past the end: the JIT may read there */
    assert_non_null(text);
    for (uint32_t cp = 0x80; cp < 0x110000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        unsigned char *b = (unsigned char *)text + len;
        if (cp < 0x800) {
            b[0] = (unsigned char)(0xC0 | cp >> 6);
            len += 2;
        } else if (cp < 0x10000) {
            b[0] = (unsigned char)(0xE0 | cp >> 12);
            b[1] = (unsigned char)(0x80 | (cp >> 6 & 63));
            len += 3;
        } else {
            b[0] = (unsigned char)(0xF0 | cp >> 18);
            b[1] = (unsigned char)(0x80 | (cp >> 12 & 63));
            b[2] = (unsigned char)(0x80 | (cp >> 6 & 63));
            len += 4;
        }
        text[len - 1] = (char)(cp < 0x800 ? 0x80 | (cp & 63) : 0x80 | (cp & 63));
    }
    df_regex *re;
    df_matcher *m;
    assert_int_equal(df_regex_compile("[\\x21-\\x7e]", 11, DF_CASELESS, &re, NULL), DF_OK);
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    uint32_t found[4];
    size_t n = 0;
    df_cursor cursor;
    const size_t *ov;
    df_cursor_init(&cursor, 0);
    while (df_matcher_next(m, text, len, &cursor, &ov, NULL) == DF_OK && n < 4) {
        uint32_t cp;
        df_utf8_next(text, len, ov[0], &cp);
        found[n++] = cp;
    }
    assert_int_equal(n, 2);
    assert_int_equal(found[0], 0x017F);
    assert_int_equal(found[1], 0x212A);
    df_matcher_free(m);
    df_regex_free(re);
    free(text);
}

/* Alternations the scan decides, and pieces of facts that near-miss them. */
static const struct {
    const char *pattern;
    unsigned flags;
} deciding[] = {
    {"Mulligan|Cranston|Brooks|Perlman", 0},
    {"Mulligan|Cranston|Brooks|Perlman", DF_CASELESS},
    {"(?i)kis|ask", 0},
    {"(?:abc|abcd|xyz)", 0},
    {"(?i:abc|ABD)", 0},
    {"Söder|ström|Straße", 0},
    {"\\Qa.b\\E|c\\|d|(?#x)e\\+f", 0},
    {"abc|bcd|cde|def|efg|fgh|ghi|hij", 0},
};

static const char *const fact_parts[] = {
    "Mulligan", "mulligan", "MULLIGAN", "Cranston", "cran\xC5\xBFton", "CRAN\xC5\xBFTON",
    "Brooks", "broo\xE2\x84\xAA\xC5\xBF", "bro", "oks", "Perlman", "kiss", "\xE2\x84\xAAiss",
    "KI\xC5\xBFS", "a\xC5\xBFk", "ASK", "abc", "abcd", "ABD", "xyz", "Söder", "SÖDER", "ström",
    "Straße", "STRASSE", "a.b", "c|d", "e+f", "aXb", " ", " ", " ", "efg", "hij", "gh", "é",
};

static size_t random_fact(char *buf, size_t cap) {
    size_t n = 0, parts = lcg_next() % 6;
    for (size_t k = 0; k < parts; k++) {
        const char *p = fact_parts[lcg_next() % (sizeof fact_parts / sizeof fact_parts[0])];
        size_t len = strlen(p);
        if (n + len > cap)
            break;
        memcpy(buf + n, p, len);
        n += len;
    }
    return n;
}

/* For each fact alone: the scan finds a string where PCRE2 finds its first
 * match, and the string ends where the match does. */
/* A caseless branch near the longest a string may be, whose k and s get
 * their longer non-ASCII partners: the partnered strings do not fit, so
 * the pattern is no alternation of strings (the fuzzer once found them
 * written past the end). */
static void test_partners_that_do_not_fit(void **state) {
    (void)state;
    df_literal lit[DF_LITSET_MAX];
    int caseless = 0;
    char pattern[200];
    for (size_t tail = 55; tail <= 63; tail++) {
        size_t n = (size_t)snprintf(pattern, sizeof pattern, "(?i)k%.*s|abc", (int)tail,
                                    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        size_t count = df_literal_alternation(pattern, n, 0, lit, &caseless);
        /* "k" + tail x's fits in 64 bytes; with U+212A for k it fits only
         * while 3 + tail <= 64. */
        assert_int_equal(count, tail + 3 <= sizeof lit[0].bytes ? 3 : 0);
    }
}

static void test_decides_as_pcre2(void **state) {
    (void)state;
    lcg_state = 424u;
    for (size_t q = 0; q < sizeof deciding / sizeof deciding[0]; q++) {
        const char *pattern = deciding[q].pattern;
        df_regex *re;
        df_matcher *m;
        assert_int_equal(df_regex_compile(pattern, strlen(pattern), deciding[q].flags, &re, NULL),
                         DF_OK);
        assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
        const df_litset *set = df_matcher_litset(m);
        if (!set->decides)
            fail_msg("/%s/: the scan does not decide", pattern);
        size_t matched = 0;
        for (int round = 0; round < 3000; round++) {
            /* Initialised past the fact: the JIT may read a little beyond
             * its subject's end. */
            char fact[200] = {0};
            size_t len = random_fact(fact, sizeof fact);
            const size_t *ov;
            df_status status = df_matcher_find(m, fact, len, 0, &ov, NULL);
            size_t end;
            size_t at = df_litset_find(set, fact, len, 0, &end);
            if (status == DF_NOMATCH && at == len)
                continue;
            if (status != DF_OK || at != ov[0] || end != ov[1])
                fail_msg("/%s/ on \"%.*s\": scan %zu..%zu, PCRE2 %s %zu..%zu", pattern, (int)len,
                         fact, at, end, status == DF_OK ? "" : "none", status == DF_OK ? ov[0] : 0,
                         status == DF_OK ? ov[1] : 0);
            matched++;
        }
        assert_true(matched > 300);
        df_matcher_free(m);
        df_regex_free(re);
    }
}

/* df_count_file, which counts a fact on the scan's word alone when one per
 * fact counts, against PCRE2 over each fact of the loaded file. */
static void test_count_file_decides_as_pcre2(void **state) {
    (void)state;
    char path[512], data[4000];
    temp_path(path, sizeof path, "litscan");
    lcg_state = 2011u;
    for (int file = 0; file < 60; file++) {
        size_t len = 0;
        while (len + 260 < sizeof data) {
            len += random_fact(data + len, 200);
            data[len++] = lcg_next() % 3 ? '\n' : ' ';
        }
        write_file(path, data, len);
        df_load_options opts = {.format = DF_FORMAT_LINES};
        df_corpus *corpus;
        assert_int_equal(df_corpus_load_file(path, &opts, &corpus, NULL), DF_OK);
        for (size_t q = 0; q < sizeof deciding / sizeof deciding[0]; q++) {
            const char *pattern = deciding[q].pattern;
            df_regex *re;
            df_matcher *m;
            assert_int_equal(
                df_regex_compile(pattern, strlen(pattern), deciding[q].flags, &re, NULL), DF_OK);
            assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
            size_t want = 0;
            for (df_fact_id id = 1; id <= df_corpus_count(corpus); id++) {
                df_fact fact;
                const size_t *ov;
                assert_int_equal(df_corpus_fact(corpus, id, &fact, NULL), DF_OK);
                want += df_matcher_find(m, fact.text, fact.len, 0, &ov, NULL) == DF_OK;
            }
            size_t facts = 0, matches = 0;
            assert_int_equal(df_count_file(path, &opts, m, DF_SEARCH_FIRST_PER_FACT, &facts,
                                           &matches, NULL),
                             DF_OK);
            if (facts != want)
                fail_msg("/%s/, file %d: %zu facts, PCRE2 says %zu", pattern, file, facts, want);
            df_matcher_free(m);
            df_regex_free(re);
        }
        df_corpus_free(corpus);
    }
    unlink(path);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_patterns_get_a_set),
        cmocka_unit_test(test_rarest_required_string),
        cmocka_unit_test(test_same_as_naive_search),
        cmocka_unit_test(test_ucp_caseless_partners_of_ascii),
        cmocka_unit_test(test_partners_that_do_not_fit),
        cmocka_unit_test(test_decides_as_pcre2),
        cmocka_unit_test(test_count_file_decides_as_pcre2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
