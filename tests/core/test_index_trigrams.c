/* Tests for the trigram prefilter (index_trigrams.c) and the required-literal
 * extraction it answers (pattern_literals.c): the literal queries of patterns, and
 * a differential test that df_search_prefiltered / df_count_prefiltered
 * report exactly what df_search / df_count do, over the embedded corpus and
 * a generated one. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

/* --------------------------------------------------------------- helpers */

static df_corpus *embedded(void) {
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_embedded(&c, NULL), DF_OK);
    return c;
}

static unsigned next_random(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* A corpus of `lines` facts, one a line: the embedded facts (line breaks
 * made spaces) in a shuffled order, with rare tokens, near misses and
 * characters that only caseless Unicode matching relates to ASCII planted
 * here and there. */
static df_corpus *generated(size_t lines) {
    static const char *const plants[] = {
        " Zyxquorvant", " Zyxquorvan", " QX-1234-ZZ", " QX-123-ZZ", " qx-1234-zz",
        " \xE2\x84\xAA" "avinsky",   /* KELVIN SIGN + avinsky */
        " Kavin\xC5\xBFky",          /* LONG S */
        " Stra\xC3\x9F" "e",         /* Straße */
        " S\xC3\xB6" "derstr\xC3\xB6m", " S\xC3\x96" "DERSTR\xC3\x96M", " colour", " color",
        " ab", " xyz\xE2\x80\x99s",
    };
    df_corpus *base = embedded();
    size_t cap = lines * 700 + 1024, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    unsigned seed = 2011;
    for (size_t i = 0; i < lines; i++) {
        df_fact f;
        df_fact_id id = (df_fact_id)(1 + next_random(&seed) % df_corpus_count(base));
        assert_int_equal(df_corpus_fact(base, id, &f, NULL), DF_OK);
        for (size_t k = 0; k < f.len && len + 64 < cap; k++)
            buf[len++] = f.text[k] == '\n' ? ' ' : f.text[k];
        if (next_random(&seed) % 7 == 0) {
            const char *p = plants[next_random(&seed) % (sizeof plants / sizeof plants[0])];
            size_t n = strlen(p);
            memcpy(buf + len, p, n);
            len += n;
        }
        buf[len++] = '\n';
    }
    df_load_options opts = {.format = DF_FORMAT_LINES};
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_buffer(buf, len, &opts, &c, NULL), DF_OK);
    free(buf);
    df_corpus_free(base);
    return c;
}

static df_prefilter *build(const df_corpus *c) {
    df_prefilter *pf = NULL;
    df_error err;
    df_status st = df_prefilter_build(c, &pf, &err);
    if (st != DF_OK)
        fail_msg("df_prefilter_build: %s", err.message);
    assert_ptr_equal(df_prefilter_corpus(pf), c);
    return pf;
}

static df_regex *compile(const char *pattern, const char *letters) {
    unsigned flags;
    df_regex *re = NULL;
    df_error err;
    assert_int_equal(df_regex_parse_flags(letters, &flags, NULL), DF_OK);
    if (df_regex_compile(pattern, strlen(pattern), flags, &re, &err) != DF_OK)
        fail_msg("%s: %s", pattern, err.message);
    return re;
}

/* ---------------------------------------------------- literal extraction */

static void expect_literals(const char *pattern, const char *letters, const char *expected) {
    df_regex *re = compile(pattern, letters);
    char buf[256];
    size_t n = df_regex_describe_literals(re, buf, sizeof buf);
    if (strcmp(buf, expected) != 0)
        fail_msg("/%s/%s: literals %s, expected %s", pattern, letters, buf, expected);
    assert_int_equal(n, strlen(expected));
    /* what a db asks before it builds a prefilter by itself */
    assert_int_equal(df_regex_has_literals(re), strcmp(expected, "all") != 0);
    df_regex_free(re);
}

static void test_literals(void **state) {
    (void)state;
    expect_literals("Zyxquorvant", "", "\"zyxquorvant\"");
    expect_literals("QX-\\d{4}-ZZ", "", "and(\"qx-\", \"-zz\")");
    expect_literals("Mulligan|Cranston|Brooks|Perlman", "",
                    "or(\"mulligan\", \"cranston\", \"brooks\", \"perlman\")");
    expect_literals("\\b[A-Z][a-z]+ [A-Z][a-z]+\\b", "", "all");
    expect_literals("drive", "iw", "\"drive\"");
    expect_literals("^Ryan Gosling$", "", "\"ryan gosling\"");
    expect_literals("colou?r", "", "or(\"colour\", \"color\")");
    expect_literals("ab(cd|ef)gh", "", "or(\"abcdgh\", \"abefgh\")");
    expect_literals("[abc]def", "", "or(\"adef\", \"bdef\", \"cdef\")");
    expect_literals("[^abc]def", "", "\"def\"");
    expect_literals("x{3}yz", "", "\"xxxyz\"");
    expect_literals("abc*def", "", "\"def\"");
    expect_literals("(abc)+def", "", "and(\"abc\", \"def\")");
    expect_literals("(?:abc)?def", "", "or(\"abcdef\", \"def\")");
    expect_literals("(abc)*def", "", "\"def\"");
    expect_literals("abc{0,2}def", "", "\"def\"");
    expect_literals("film|", "", "all");
    expect_literals("ab", "", "all");
    expect_literals("", "", "all");
    expect_literals("a.c", "", "all");
    expect_literals("a\\Qb.c\\E+d", "", "\"ab.\"");
    expect_literals("\\QRyan Gos\\E", "", "\"ryan gos\"");
    expect_literals("a\\.b\\+c", "", "\"a.b+c\"");
    expect_literals("(?<name>abc)\\k<name>", "", "\"abc\"");
    expect_literals("(abc)\\1", "", "\"abc\"");
    /* case: the index is lowercased ASCII */
    expect_literals("GOSLING", "", "\"gosling\"");
    expect_literals("GOSLING", "i", "\"ling\"");
    /* caseless k and s also match U+212A and U+017F; non-ASCII folds */
    expect_literals("Kavinsky", "i", "\"avin\"");
    expect_literals("S\xC3\xB6" "derstr\xC3\xB6m", "", "\"s\xC3\xB6" "derstr\xC3\xB6m\"");
    expect_literals("S\xC3\xB6" "derstr\xC3\xB6m", "i", "\"der\"");
    expect_literals("[Kk]ing", "", "\"king\"");
    /* fixed strings, words, multiline and dotall change nothing */
    expect_literals("a.b|c", "F", "\"a.b|c\"");
    expect_literals("Drive (2011)", "F", "\"drive (2011)\"");
    expect_literals("Gosling", "msw", "\"gosling\"");
    /* what the extractor does not read makes the pattern "all" */
    expect_literals("(*UCP)foobar", "", "all");
    expect_literals("a{,3}bcd", "", "all");
    expect_literals("(x)(?(1)abc|def)", "", "all");
    expect_literals("(?C1)abcdef", "", "all");
    expect_literals("[\\Qabc\\E]def", "", "all");
    /* escapes stand for any character */
    expect_literals("\\x41bcd", "", "\"bcd\"");
    expect_literals("\\d\\d\\d-\\w+-abc", "", "\"-abc\"");
    expect_literals("a\\tbcd", "", "\"bcd\"");
    /* extended mode: white space and # comments are no part of it */
    expect_literals("abc def", "x", "\"abcdef\"");
    expect_literals("abc # the film\n def", "x", "\"abcdef\"");
    expect_literals("abc\\ def", "x", "\"abc def\"");
    expect_literals("ab c(?-x) def", "x", "\"abc def\"");
    expect_literals("[a b]cde", "x", "or(\" cde\", \"acde\", \"bcde\")"); /* a member */
    expect_literals("(?xx)[a b]cde", "", "or(\"acde\", \"bcde\")");
    expect_literals("abc #\rdef", "x", "all");         /* a newline elsewhere: unknown */
}

/* Comments, inline options, quoting, named groups and lookarounds (issue
 * "Every path as fast as the count", item 3): each yields what it requires. */
static void test_literals_see_through(void **state) {
    (void)state;
    /* comments */
    expect_literals("zq424\\b(?#1)", "", "\"zq424\"");
    expect_literals("zq(?#a comment)424", "", "\"zq424\"");
    expect_literals("abc(?#x|y)|def", "", "or(\"abc\", \"def\")");
    /* inline options: caseless strings are lowercased, k and s still any */
    expect_literals("(?i)zq424", "", "\"zq424\"");
    expect_literals("(?i)ZQ424", "", "\"zq424\"");
    expect_literals("(?i)Gosling", "", "\"ling\"");
    expect_literals("(?i:abc)kdef", "", "\"abckdef\"");
    expect_literals("(?i:abk)def", "", "\"def\"");
    expect_literals("(?-i)kavinsky", "i", "\"kavinsky\"");
    expect_literals("(?i)abc(?-i)kdef", "", "\"abckdef\"");
    expect_literals("(a(?i)bk)cde", "", "\"cde\"");              /* scope: the group */
    expect_literals("(?i)ab(?i)c|xyz", "", "or(\"abc\", \"xyz\")");
    expect_literals("abk(?i)|xkz", "", "all");                     /* "xkz" caseless: k */
    expect_literals("(?s-i:abc)def(?m)ghi", "i", "\"abcdefghi\"");
    expect_literals("(?^)abc", "i", "\"abc\"");
    /* quoting */
    expect_literals("\\Q(?i)\\E", "", "\"(?i)\"");
    expect_literals("\\Qa|b\\Ec", "", "\"a|bc\"");
    expect_literals("ab\\Q\\Ecd", "", "\"abcd\"");
    expect_literals("\\Qabc", "", "\"abc\"");
    /* named groups and back references */
    expect_literals("(?<year>19\\d\\d) film", "", "\" film\"");
    expect_literals("(?'n'abc)d(?P<m>efg)", "", "\"abcdefg\"");
    expect_literals("(?P<n>abc)(?P=n)", "", "\"abc\"");
    /* lookarounds: zero-width; what stands around them is still required */
    expect_literals("foo(?=bar)", "", "\"foo\"");
    expect_literals("(?<=foo)bar", "", "\"bar\"");
    expect_literals("abc(?=d)def", "", "\"abcdef\"");
    expect_literals("Ryan(?! Gosling)xyz", "", "\"ryanxyz\"");
    expect_literals("(?<!abc)def", "", "\"def\"");
    expect_literals("(?!abc)", "", "all");
    expect_literals("(?=abc)\\w+", "", "all");
    /* what must NOT yield a literal */
    expect_literals("(?:abc)?", "", "all");                 /* optional */
    expect_literals("abc|\\d+", "", "all");                /* an alternative without one */
    expect_literals("(?!foobar)...", "", "all");            /* inside a negative lookahead */
    expect_literals("(?i)xyz|(?-i)", "", "all");
}

static void test_describe_truncates(void **state) {
    (void)state;
    df_regex *re = compile("Mulligan|Cranston", "");
    char buf[8];
    size_t n = df_regex_describe_literals(re, buf, sizeof buf);
    assert_int_equal(n, strlen("or(\"mulligan\", \"cranston\")"));
    assert_string_equal(buf, "or(\"mul");
    assert_int_equal(df_regex_describe_literals(re, NULL, 0), n);
    df_regex_free(re);
    assert_int_equal(df_regex_describe_literals(NULL, buf, sizeof buf), 3);
    assert_string_equal(buf, "all");
    assert_int_equal(df_regex_has_literals(NULL), 0);
}

/* ------------------------------------------------------- differential */

typedef struct hits {
    size_t *v;  /* fact id, start, end per match */
    size_t n, cap;
} hits;

static int collect(const df_match *m, void *ud) {
    hits *h = ud;
    if (h->n + 3 > h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->v = realloc(h->v, h->cap * sizeof *h->v);
        assert_non_null(h->v);
    }
    h->v[h->n++] = m->fact_id;
    h->v[h->n++] = m->ovector[0];
    h->v[h->n++] = m->ovector[1];
    return 0;
}

struct query {
    const char *flags, *pattern;
};

static const struct query queries[] = {
    {"", "Gosling"}, {"i", "gosling"}, {"iw", "drive"}, {"", "Mulligan|Cranston|Brooks|Perlman"},
    {"", "\\b[A-Z][a-z]+ [A-Z][a-z]+\\b"}, {"", "Zyxquorvant"}, {"", "QX-\\d{4}-ZZ"},
    {"i", "QX-\\d{4}-ZZ"}, {"", "^Ryan Gosling"}, {"m", "^Ryan Gosling$"}, {"", "colou?r"},
    {"", "(Ryan|Carey) (Gosling|Mulligan)"}, {"", "[Dd]rive[rn]?"}, {"", "Ref+n"},
    {"i", "Kavinsky"}, {"i", "kavinsky"}, {"", "Kavinsky"}, {"i", "KAVINSKY"}, {"i", "stra\xC3\x9F" "e"},
    {"", "S\xC3\xB6" "derstr\xC3\xB6m"}, {"i", "s\xC3\xB6" "derstr\xC3\xB6m"}, {"", ""}, {"", "x*"},
    {"", "a.c"}, {"", "(?i)GOSLING"}, {"", "Gosling(?= )"}, {"", "(\\w+) \\1"},
    {"", "\\QRyan Gos\\E"}, {"F", "Nicolas Winding Refn"}, {"F", "a.b"}, {"iF", "DRIVE (2011)"},
    {"i", "night ?call"}, {"", "19[0-9][0-9]"}, {"", "\\d{4}"}, {"", "Ryan\\b"}, {"", "film|"},
    {"", "(?:The )?Driver"}, {"", "Zyx.*vant"}, {"", "\xC3\xA9"}, {"x", "Carey \\s Mulligan"},
    {"", "[^a]ing"}, {"w", "the|a|an"}, {"", "[Kk]ing"}, {"i", "[k]ing"}, {"", "\\x{212A}avinsky"},
    {"i", "\\x{212A}AVINSKY"}, {"s", "Gosling.Mulligan"}, {"", "xyz\xE2\x80\x99s"}, {"", "qx-"},
    {"", "(?|(abc)|(Gos))ling"}, {"", "(?>Gos)ling"}, {"", "Gos++ling"}, {"", "o{2,}"},
    {"", "[[:upper:]]yan"},
};

/* The same matches with and without the prefilter, all and first per fact,
 * for the pattern of query q. */
static void same_with_prefilter(const df_corpus *c, const df_prefilter *pf,
                                const struct query *set, size_t q) {
    {
        df_regex *re = compile(set[q].pattern, set[q].flags);
        df_matcher *m = NULL;
        df_error err;
        assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
        for (unsigned flags = 0; flags <= DF_SEARCH_FIRST_PER_FACT; flags++) {
            hits a = {NULL, 0, 0}, b = {NULL, 0, 0};
            assert_int_equal(df_search(c, m, flags, collect, &a, &err), DF_OK);
            assert_int_equal(df_search_prefiltered(c, pf, m, flags, collect, &b, &err), DF_OK);
            if (a.n != b.n || (a.n > 0 && memcmp(a.v, b.v, a.n * sizeof *a.v) != 0))
                fail_msg("/%s/%s: %zu matches without the prefilter, %zu with",
                         set[q].pattern, set[q].flags, a.n / 3, b.n / 3);
            size_t f1 = 7, m1 = 7, f2 = 8, m2 = 8;
            assert_int_equal(df_count(c, m, flags, &f1, &m1, &err), DF_OK);
            assert_int_equal(df_count_prefiltered(c, pf, m, flags, &f2, &m2, &err), DF_OK);
            assert_int_equal(f1, f2);
            assert_int_equal(m1, m2);
            assert_int_equal(m1, a.n / 3);
            free(a.v);
            free(b.v);
        }
        /* Every fact with a match is a candidate. */
        df_candidates cand;
        assert_int_equal(df_prefilter_candidates(pf, re, &cand, &err), DF_OK);
        if (!cand.all) {
            hits a = {NULL, 0, 0};
            assert_int_equal(df_search(c, m, DF_SEARCH_FIRST_PER_FACT, collect, &a, NULL), DF_OK);
            size_t k = 0;
            for (size_t i = 0; i < a.n; i += 3) {
                while (k < cand.count && cand.ids[k] < a.v[i])
                    k++;
                if (k == cand.count || cand.ids[k] != a.v[i])
                    fail_msg("/%s/%s: fact %zu matches but is no candidate", set[q].pattern,
                             set[q].flags, a.v[i]);
            }
            for (size_t i = 1; i < cand.count; i++)
                assert_true(cand.ids[i - 1] < cand.ids[i]);
            free(a.v);
        } else {
            assert_null(cand.ids);
            assert_int_equal(cand.count, df_corpus_count(c));
        }
        df_candidates_free(&cand);
        assert_null(cand.ids);
        df_matcher_free(m);
        df_regex_free(re);
    }
}

static void differential(const df_corpus *c, const df_prefilter *pf) {
    for (size_t q = 0; q < sizeof queries / sizeof queries[0]; q++)
        same_with_prefilter(c, pf, queries, q);
}

/* A random pattern of pieces the literal extraction must see through or
 * must not take a literal from: comments, inline options, quoting, named
 * groups, lookarounds, optional groups, alternations. */
static void random_pattern(unsigned *seed, char *out, size_t size) {
    static const char *const words[] = {
        "Gosling", "Ryan", "drive", "Refn", "Mulligan", "film", "Kavinsky", "night",
        "stunt", "Zyxquorvant", "QX-1234", "colou?r", "Söder", "avinsky", "the",
    };
    static const char *const forms[] = {
        "%s", "%s", "(?#note)%s", "(?i)%s", "(?-i)%s", "(?i:%s)", "\\Q%s\\E", "(?<g%u>%s)",
        "(?=%s)", "(?!%s)", "(?<=%s)", "(?<!%s)", "(?:%s)?", "(?:%s|%s)", "%s|%s", " ",
        "\\b", "\\w+", ".", "[Gg]", "(?x) %s # c\n", "(%s)\\1?",
    };
    size_t len = 0;
    unsigned pieces = 1 + next_random(seed) % 4;
    out[0] = '\0';
    for (unsigned k = 0; k < pieces; k++) {
        const char *form = forms[next_random(seed) % (sizeof forms / sizeof forms[0])];
        const char *w1 = words[next_random(seed) % (sizeof words / sizeof words[0])];
        const char *w2 = words[next_random(seed) % (sizeof words / sizeof words[0])];
        int n;
        if (strstr(form, "<g%u>") != NULL)
            n = snprintf(out + len, size - len, form, k, w1);
        else
            n = snprintf(out + len, size - len, form, w1, w2);
        assert_true(n >= 0 && (size_t)n < size - len);
        len += (size_t)n;
    }
}

/* Prefiltered and unfiltered search agree over random patterns. */
static void test_differential_random(void **state) {
    (void)state;
    static const char *const letters[] = {"", "", "i", "x", "iw"};
    df_corpus *c = generated(600);
    df_prefilter *pf = build(c);
    unsigned seed = 424;
    size_t constrained = 0;
    for (size_t n = 0; n < 250; n++) {
        char pattern[512];
        random_pattern(&seed, pattern, sizeof pattern);
        struct query q = {letters[next_random(&seed) % 5], pattern};
        unsigned flags;
        df_regex *re = NULL;
        assert_int_equal(df_regex_parse_flags(q.flags, &flags, NULL), DF_OK);
        if (df_regex_compile(pattern, strlen(pattern), flags, &re, NULL) != DF_OK)
            continue;  /* e.g. a lookbehind of variable length */
        char buf[16];
        constrained += df_regex_describe_literals(re, buf, sizeof buf) != 3;
        df_regex_free(re);
        same_with_prefilter(c, pf, &q, 0);
    }
    assert_true(constrained > 60);  /* the set exercises the extraction */
    df_prefilter_free(pf);
    df_corpus_free(c);
}

static void test_differential_embedded(void **state) {
    (void)state;
    df_corpus *c = embedded();
    df_prefilter *pf = build(c);
    differential(c, pf);
    df_prefilter_free(pf);
    df_corpus_free(c);
}

static void test_differential_generated(void **state) {
    (void)state;
    df_corpus *c = generated(3000);
    df_prefilter *pf = build(c);
    differential(c, pf);
    df_prefilter_free(pf);
    df_corpus_free(c);
}

/* The selective queries narrow the search to a few facts. */
static void test_selective(void **state) {
    (void)state;
    df_corpus *c = generated(3000);
    df_prefilter *pf = build(c);
    const char *patterns[] = {"Zyxquorvant", "QX-\\d{4}-ZZ"};
    for (size_t i = 0; i < 2; i++) {
        df_regex *re = compile(patterns[i], "");
        df_candidates cand;
        assert_int_equal(df_prefilter_candidates(pf, re, &cand, NULL), DF_OK);
        assert_false(cand.all);
        assert_true(cand.count > 0);
        assert_true(cand.count < df_corpus_count(c) / 20);
        df_candidates_free(&cand);
        df_regex_free(re);
    }
    /* a literal no fact holds: no candidate at all */
    df_regex *re = compile("Qwzzyx", "");
    df_candidates cand;
    assert_int_equal(df_prefilter_candidates(pf, re, &cand, NULL), DF_OK);
    assert_false(cand.all);
    assert_int_equal(cand.count, 0);
    df_candidates_free(&cand);
    df_regex_free(re);
    df_prefilter_free(pf);
    df_corpus_free(c);
}

static void test_memory_bound(void **state) {
    (void)state;
    df_corpus *c = generated(3000);
    df_prefilter *pf = build(c);
    size_t mem = df_prefilter_memory(pf), bytes = df_corpus_bytes(c);
    if (mem > bytes)
        fail_msg("prefilter memory %zu > corpus %zu bytes", mem, bytes);
    assert_true(mem > 0);
    print_message("prefilter: %zu bytes for %zu bytes of facts (%.2f)\n", mem, bytes,
                  (double)mem / (double)bytes);
    df_prefilter_free(pf);
    df_corpus_free(c);
    assert_int_equal(df_prefilter_memory(NULL), 0);
}

static void test_small_corpora(void **state) {
    (void)state;
    const char *texts[] = {"", "a", "ab\n\nabc", "ABC\n\nxabcx\n\nab c"};
    for (size_t i = 0; i < 4; i++) {
        df_corpus *c = NULL;
        assert_int_equal(df_corpus_load_buffer(texts[i], strlen(texts[i]), NULL, &c, NULL), DF_OK);
        df_prefilter *pf = build(c);
        df_regex *re = compile("abc", "");
        df_matcher *m = NULL;
        assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
        size_t f1, m1, f2, m2;
        assert_int_equal(df_count(c, m, 0, &f1, &m1, NULL), DF_OK);
        assert_int_equal(df_count_prefiltered(c, pf, m, 0, &f2, &m2, NULL), DF_OK);
        assert_int_equal(f1, f2);
        assert_int_equal(m1, m2);
        df_matcher_free(m);
        df_regex_free(re);
        df_prefilter_free(pf);
        df_corpus_free(c);
    }
}

/* A pattern whose literal no fact holds searches no fact: its
 * catastrophic backtracking in fact 1, which a search of every fact hits,
 * is never reached.  (Zero candidates once read as "no list": every fact.) */
static void test_no_candidate_searches_nothing(void **state) {
    (void)state;
    static const char text[] = "were were were were were were were were were were were were "
                               "were were were were were were were were were were were were\n\n"
                               "another fact";
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_buffer(text, strlen(text), NULL, &c, NULL), DF_OK);
    df_prefilter *pf = build(c);
    df_regex *re = compile("(?:\\w+\\s?)+xyzzy e", "");
    df_matcher *m = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    size_t facts = 1, matches = 1;
    assert_int_equal(df_count(c, m, 0, &facts, &matches, NULL), DF_EMATCHLIMIT);
    assert_int_equal(df_count_prefiltered(c, pf, m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(facts, 0);
    assert_int_equal(matches, 0);
    df_matcher_free(m);
    df_regex_free(re);
    df_prefilter_free(pf);
    df_corpus_free(c);
}

static int stop_at_first(const df_match *m, void *ud) {
    (void)m;
    ++*(int *)ud;
    return 1;
}

static void test_callback_stops(void **state) {
    (void)state;
    df_corpus *c = generated(2000);
    df_prefilter *pf = build(c);
    df_regex *re = compile("Zyxquorvant", "");
    df_matcher *m = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    int calls = 0;
    assert_int_equal(df_search_prefiltered(c, pf, m, 0, stop_at_first, &calls, NULL), DF_OK);
    assert_int_equal(calls, 1);
    df_matcher_free(m);
    df_regex_free(re);
    df_prefilter_free(pf);
    df_corpus_free(c);
}

static void test_bad_arguments(void **state) {
    (void)state;
    df_corpus *c = embedded(), *other = embedded();
    df_prefilter *pf = build(c);
    df_regex *re = compile("Gosling", "");
    df_matcher *m = NULL;
    assert_int_equal(df_matcher_new(re, NULL, &m, NULL), DF_OK);
    df_error err;
    size_t facts, matches;
    hits h = {NULL, 0, 0};
    df_candidates cand;

    assert_int_equal(df_prefilter_build(c, NULL, &err), DF_EARG);
    df_prefilter *none = (df_prefilter *)1;
    assert_int_equal(df_prefilter_build(NULL, &none, &err), DF_EARG);
    assert_null(none);
    assert_int_equal(df_prefilter_candidates(NULL, re, &cand, &err), DF_EARG);
    assert_int_equal(df_prefilter_candidates(pf, NULL, &cand, &err), DF_EARG);
    assert_int_equal(df_prefilter_candidates(pf, re, NULL, &err), DF_EARG);
    assert_int_equal(df_search_prefiltered(NULL, pf, m, 0, collect, &h, &err), DF_EARG);
    assert_int_equal(df_search_prefiltered(c, pf, NULL, 0, collect, &h, &err), DF_EARG);
    assert_int_equal(df_search_prefiltered(c, pf, m, 0, NULL, &h, &err), DF_EARG);
    assert_int_equal(df_search_prefiltered(c, pf, m, 0x100, collect, &h, &err), DF_EARG);
    assert_int_equal(df_search_prefiltered(other, pf, m, 0, collect, &h, &err), DF_EARG);
    assert_non_null(strstr(err.message, "another corpus"));
    assert_int_equal(df_count_prefiltered(c, pf, m, 0, NULL, &matches, &err), DF_EARG);
    assert_int_equal(df_count_prefiltered(other, pf, m, 0, &facts, &matches, &err), DF_EARG);
    /* NULL prefilter: plain df_search and df_count */
    assert_int_equal(df_count_prefiltered(c, NULL, m, 0, &facts, NULL, &err), DF_OK);
    assert_true(facts > 0);
    assert_int_equal(h.n, 0);
    df_prefilter_free(NULL);
    df_candidates_free(NULL);
    assert_null(df_prefilter_corpus(NULL));

    df_matcher_free(m);
    df_regex_free(re);
    df_prefilter_free(pf);
    df_corpus_free(other);
    df_corpus_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_literals_see_through),
        cmocka_unit_test(test_describe_truncates),
        cmocka_unit_test(test_differential_embedded),
        cmocka_unit_test(test_differential_generated),
        cmocka_unit_test(test_differential_random),
        cmocka_unit_test(test_selective),
        cmocka_unit_test(test_memory_bound),
        cmocka_unit_test(test_small_corpora),
        cmocka_unit_test(test_no_candidate_searches_nothing),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
