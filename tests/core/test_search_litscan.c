/* Tests for the multi-string scan (search_litscan.c) against a naive search, at
 * every offset and near the end of the text, with and without AVX2. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "search.h"

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
            while (j < lit->len && i + j < len && fold((unsigned char)text[i + j]) == lit->bytes[j])
                j++;
            if (j == lit->len)
                return i;
        }
    }
    return len;
}

/* The set of a pattern: what a matcher for it uses. */
static df_litset litset_of(const char *pattern, unsigned flags) {
    df_litquery *query;
    df_litset set;
    if (df_litquery_extract(pattern, strlen(pattern), flags, &query) != DF_OK)
        fail_msg("%s: out of memory", pattern);
    df_litset_init(&set, query);
    df_litquery_free(query);
    return set;
}

static void test_which_patterns_get_a_set(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        unsigned flags;
        size_t count;
    } cases[] = {
        {"Mulligan|Cranston|Brooks|Perlman", 0, 4},
        {"gosling|refn", DF_CASELESS, 2},
        {"\\b(?:Ryan|Carey) Gosling\\b", 0, 2},  /* or of "ryan gosling", "carey gosling" */
        {"Gosling", 0, 0},                        /* one string: PCRE2 is as fast */
        {"ab|cd", 0, 0},                          /* shorter than 3 bytes: no query */
        {"a1|b2|c3|d4|e5|f6|g7|h8|i9", DF_LITERAL, 0},
        {"one|two|six|ten|red|tan|ink|oak|elm", 0, 0},  /* 9 strings: too many */
        {"\\w+|Gosling", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_litset set = litset_of(cases[i].pattern, cases[i].flags);
        if (set.count != cases[i].count)
            fail_msg("/%s/: %zu strings, expected %zu", cases[i].pattern, set.count,
                     cases[i].count);
    }
}

static void test_same_as_naive_search(void **state) {
    (void)state;
    static const char *const patterns[] = {
        "Mulligan|Cranston|Brooks|Perlman", "abc|xyz", "a@b|a`b|\\[\\{x", "é!x|zzz",
        "0123456789abcdefghijklmnopqrstuvwxyz0123456789|zzz",
        /* Four strings and more: Teddy, with non-letters and both cases. */
        "a@b|a`b|\\[\\{x|Mul|BROoks|é!x|0123|zz9",
    };
    static const char alphabet[] = "abcxyzABCXYZ@`[{é!0123456789 MulliganBROOKSperlman";
    char text[300];
    lcg_state = 2011u;
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        df_litset set = litset_of(patterns[p], 0);
        assert_true(set.count >= 2);
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
                    size_t got = df_litset_find(&variant, text, len, from);
                    if (want != got)
                        fail_msg("/%s/ avx2 %d, len %zu from %zu: %zu, expected %zu",
                                 patterns[p], avx2, len, from, got, want);
                }
            }
        }
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_which_patterns_get_a_set),
        cmocka_unit_test(test_same_as_naive_search),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
