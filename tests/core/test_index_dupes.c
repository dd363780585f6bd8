/* Tests for near-duplicate detection (index_dupes.c): the pairs the embedded
 * corpus must yield, the shape of the result, the exactness of the
 * candidate filter, normalisation, formula lines (attributions), scripts
 * written without spaces, and the error paths.
 *
 * Fact ids are those of core/data/drive-2011.txt in file order. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

static df_corpus *embedded;

static int setup(void **state) {
    (void)state;
    df_error err;
    if (df_corpus_load_embedded(&embedded, &err) != DF_OK) {
        print_message("setup failed: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state) {
    (void)state;
    df_corpus_free(embedded);
    return 0;
}

static df_corpus *corpus_of(const char *text) {
    df_corpus *c;
    df_error err;
    assert_int_equal(df_corpus_load_buffer(text, strlen(text), NULL, &c, &err), DF_OK);
    return c;
}

static df_duplicate *find(const df_corpus *c, double threshold, size_t *count) {
    df_duplicate *pairs = NULL;
    df_error err;
    df_status st = df_duplicates(c, threshold, &pairs, count, &err);
    if (st != DF_OK)
        print_message("df_duplicates: %s\n", err.message);
    assert_int_equal(st, DF_OK);
    assert_true((*count == 0) == (pairs == NULL));
    return pairs;
}

static const df_duplicate *pair(const df_duplicate *pairs, size_t count, size_t a, size_t b) {
    for (size_t i = 0; i < count; i++)
        if (pairs[i].a == a && pairs[i].b == b)
            return &pairs[i];
    return NULL;
}

static const size_t required[][2] = {{40, 99}, {25, 98}, {47, 96}, {48, 94}, {61, 84}, {65, 97}};
#define REQUIRED (sizeof required / sizeof required[0])

/* The repeats of the corpus, and few others, at the default threshold. */
static void test_embedded_pairs(void **state) {
    (void)state;
    size_t count;
    df_duplicate *pairs = find(embedded, DF_DEFAULT_DUPLICATE_THRESHOLD, &count);
    for (size_t i = 0; i < count; i++)
        print_message("%zu~%zu score %.3f containment %.3f jaccard %.3f %s\n", (size_t)pairs[i].a,
                      (size_t)pairs[i].b, pairs[i].score, pairs[i].containment, pairs[i].jaccard,
                      df_duplicate_kind_name(pairs[i].kind));
    for (size_t i = 0; i < REQUIRED; i++) {
        const df_duplicate *d = pair(pairs, count, required[i][0], required[i][1]);
        if (d == NULL)
            print_message("missing %zu~%zu\n", required[i][0], required[i][1]);
        assert_non_null(d);
        /* Well clear of the threshold, not scraping past it. */
        assert_true(d->score >= 0.75);
    }
    /* At most four false (or unrequired) pairs. */
    assert_true(count >= REQUIRED);
    assert_true(count <= REQUIRED + 4);
    /* 92 restates the first sentence of 65: a real repeat, found too. */
    assert_non_null(pair(pairs, count, 65, 92));

    /* The kinds: 99 is 40 with two punctuation marks changed; 94 is one
     * sentence of 48; 96 rewords 47 throughout. */
    assert_int_equal(pair(pairs, count, 40, 99)->kind, DF_DUPLICATE_IDENTICAL);
    assert_true(pair(pairs, count, 40, 99)->score == 1.0);
    assert_int_equal(pair(pairs, count, 48, 94)->kind, DF_DUPLICATE_CONTAINED);
    assert_int_equal(pair(pairs, count, 61, 84)->kind, DF_DUPLICATE_CONTAINED);
    assert_int_equal(pair(pairs, count, 65, 97)->kind, DF_DUPLICATE_CONTAINED);
    assert_int_equal(pair(pairs, count, 47, 96)->kind, DF_DUPLICATE_SIMILAR);
    assert_int_equal(pair(pairs, count, 25, 98)->kind, DF_DUPLICATE_SIMILAR);
    df_duplicates_free(pairs);

    /* Between the repeats and the rest there is a clear gap. */
    pairs = find(embedded, 0.35, &count);
    assert_true(count <= REQUIRED + 4);
    df_duplicates_free(pairs);
}

/* Pairs are ordered, scored in range, sorted; fields agree. */
static void test_result_shape(void **state) {
    (void)state;
    size_t count;
    df_duplicate *pairs = find(embedded, 0.1, &count);
    assert_true(count > 20);
    for (size_t i = 0; i < count; i++) {
        const df_duplicate *d = &pairs[i];
        assert_true(1 <= d->a && d->a < d->b && d->b <= df_corpus_count(embedded));
        assert_true(d->score >= 0.1 && d->score <= 1.0);
        assert_true(d->containment >= 0.0 && d->containment <= 1.0);
        assert_true(d->jaccard >= 0.0 && d->jaccard <= d->containment);
        assert_non_null(df_duplicate_kind_name(d->kind));
        if (i > 0) {
            const df_duplicate *p = &pairs[i - 1];
            assert_true(p->score > d->score ||
                        (p->score == d->score && (p->a < d->a || (p->a == d->a && p->b < d->b))));
        }
    }
    df_duplicates_free(pairs);
    assert_string_equal(df_duplicate_kind_name(DF_DUPLICATE_IDENTICAL), "identical");
    assert_string_equal(df_duplicate_kind_name(DF_DUPLICATE_CONTAINED), "contained");
    assert_string_equal(df_duplicate_kind_name(DF_DUPLICATE_SIMILAR), "similar");
    assert_null(df_duplicate_kind_name((df_duplicate_kind)7));
}

/* The prefix filter loses nothing: the pairs at t are exactly the pairs at
 * a lower threshold that score t or more. */
static void test_filter_is_exact(void **state) {
    (void)state;
    size_t low_count;
    df_duplicate *low = find(embedded, 0.02, &low_count);
    static const double thresholds[] = {0.05, 0.2, 0.3, 0.5, 0.8, 0.95, 1.0};
    for (size_t t = 0; t < sizeof thresholds / sizeof thresholds[0]; t++) {
        size_t count, expected = 0;
        df_duplicate *pairs = find(embedded, thresholds[t], &count);
        for (size_t i = 0; i < low_count; i++) {
            if (low[i].score < thresholds[t])
                continue;
            expected++;
            const df_duplicate *d = pair(pairs, count, low[i].a, low[i].b);
            assert_non_null(d);
            assert_true(d->score == low[i].score);
        }
        assert_int_equal(count, expected);
        df_duplicates_free(pairs);
    }
    df_duplicates_free(low);
}

/* Normalisation: case, punctuation, apostrophes (both kinds), spacing. */
static void test_normalisation(void **state) {
    (void)state;
    df_corpus *c = corpus_of("Gosling's car, the 1973 Chevy Malibu, was restored!\n\n"
                             "GOSLING\xE2\x80\x99S   CAR -- the 1973 chevy malibu; was...\nrestored\n\n"
                             "Drive\n\n"
                             "drive.\n\n"
                             "Something else entirely, about other things altogether.\n\n"
                             "Gosling s car the 1973 Chevy Malibu was restored\n");
    size_t count;
    df_duplicate *pairs = find(c, 0.5, &count);
    for (size_t i = 0; i < count; i++)
        print_message("%zu~%zu %.3f %s\n", (size_t)pairs[i].a, (size_t)pairs[i].b, pairs[i].score,
                      df_duplicate_kind_name(pairs[i].kind));
    assert_int_equal(count, 3);
    const df_duplicate *d = pair(pairs, count, 1, 2);
    assert_non_null(d);
    assert_int_equal(d->kind, DF_DUPLICATE_IDENTICAL);
    assert_true(d->score == 1.0);
    d = pair(pairs, count, 3, 4); /* a one-word fact */
    assert_non_null(d);
    assert_int_equal(d->kind, DF_DUPLICATE_IDENTICAL);
    /* "Gosling s" is not "Goslings": similar, not identical. */
    d = pair(pairs, count, 1, 6);
    assert_non_null(d);
    assert_int_equal(d->kind, DF_DUPLICATE_SIMILAR);
    /* Fact 2, a copy of fact 1, is paired with fact 1 only. */
    assert_null(pair(pairs, count, 2, 6));
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* A fact repeated inside a longer one is found as contained, whatever the
 * length of the longer one. */
static void test_contained(void **state) {
    (void)state;
    const char *inner = "Ron Perlman injured his kneecap while shooting, when a wave hit him "
                        "during his death scene at the beach.";
    char text[4096];
    snprintf(text, sizeof text,
             "%s\n\n"
             "Many things happened during the shoot of this film that nobody expected, "
             "and the crew kept notes of all of them in a little book. %s Then the "
             "production moved on to the next location, a parking garage downtown, "
             "where the final scenes were filmed over three long nights.\n\n"
             "A short fact: wave hit him.\n",
             inner, inner);
    df_corpus *c = corpus_of(text);
    size_t count;
    df_duplicate *pairs = find(c, 0.5, &count);
    assert_int_equal(count, 1);
    assert_int_equal(pairs[0].a, 1);
    assert_int_equal(pairs[0].b, 2);
    assert_int_equal(pairs[0].kind, DF_DUPLICATE_CONTAINED);
    assert_true(pairs[0].containment == 1.0);
    assert_true(pairs[0].score == 1.0);
    assert_true(pairs[0].jaccard < 0.5);
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

static df_corpus *fortunes_of(const char *text) {
    df_corpus *c;
    df_error err;
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    assert_int_equal(df_corpus_load_buffer(text, strlen(text), &opts, &c, &err), DF_OK);
    return c;
}

/* Thirteen aphorisms of one author, each with the same attribution line,
 * as a fortune file has them: they have an author in common, they do not
 * repeat one another.  With the line weighed as one term of its frequency,
 * no two of them pair, whatever their length. */
static const char *const aphorisms[] = {
    "Die meisten Denkm\xC3\xA4ler sind hohl.",
    "Auch Zwerge werfen lange Schatten, wenn die Sonne sinkt.",
    "Man muss mit dem Kopf durch die Wand wollen.",
    "Wer nichts zu sagen hat, spricht.",
    "Das Schlimmste ist der Mangel an Phantasie.",
    "Gedanken sind zollfrei, aber man hat doch Scherereien.",
    "Die Waffen der Schwachen sind Geduld.",
    "Viele Irrt\xC3\xBCmer entstehen durch Wahrheiten.",
    "Man soll sich mit Kleinigkeiten nicht aufhalten.",
    "Fr\xC3\xBCher standen sich die Menschen n\xC3\xA4her. Es blieb ihnen nichts anderes\n"
    "\xC3\xBC" "brig. Die Schu\xC3\x9Fwaffen trugen nicht weit.",
    "Ein Zwerg bleibt ein Zwerg.",
    "Kurz.",
    "Nicht hierher.",
};
#define APHORISMS (sizeof aphorisms / sizeof aphorisms[0])
#define LEC "\t\t-- Stanislaw Jerzy Lec (eig. S. J. de Tusch-Letz)"

static char *attributed(char *text, size_t capacity, const char *extra) {
    size_t len = 0;
    for (size_t i = 0; i < APHORISMS; i++)
        len += (size_t)snprintf(text + len, capacity - len, "%s\n" LEC "\n%%\n", aphorisms[i]);
    snprintf(text + len, capacity - len, "%s", extra);
    return text;
}

/* The last fact is a longer one that holds the two words of the last
 * aphorism: with its attribution set aside, the aphorism is too small for
 * two words in common to make it a repeat. */
static void test_formula_lines(void **state) {
    (void)state;
    char text[8192];
    df_corpus *c = fortunes_of(
        attributed(text, sizeof text, "Das geh\xC3\xB6rt nicht hierher, sagte er und ging.\n"));
    assert_int_equal(df_corpus_count(c), APHORISMS + 1);
    size_t count;
    df_duplicate *pairs = find(c, DF_DEFAULT_DUPLICATE_THRESHOLD, &count);
    for (size_t i = 0; i < count; i++)
        print_message("%zu~%zu %.3f %s\n", (size_t)pairs[i].a, (size_t)pairs[i].b,
                      pairs[i].score, df_duplicate_kind_name(pairs[i].kind));
    assert_int_equal(count, 0);
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* The real repeats among them stay: in a second file (the texts simply
 * follow), one aphorism again without its attribution (contained), one
 * word for word with it (identical, punctuation aside), one restated with
 * another attribution (similar). */
static void test_repeats_beside_formulas(void **state) {
    (void)state;
    char text[8192];
    df_corpus *c = fortunes_of(attributed(
        text, sizeof text,
        "Fr\xC3\xBCher standen sich die Menschen n\xC3\xA4her. Es blieb ihnen nichts\n"
        "anderes \xC3\xBC" "brig. Die Schu\xC3\x9Fwaffen trugen nicht weit.\n%\n"
        "Gedanken sind zollfrei - aber man hat doch Scherereien!\n" LEC "\n%\n"
        "Auch Zwerge werfen lange Schatten, wenn die Sonne sinkt.\n"
        "\t\t-- S. J. Lec, Unfrisierte Gedanken\n%\n"));
    size_t n = APHORISMS, count;
    assert_int_equal(df_corpus_count(c), n + 3);
    df_duplicate *pairs = find(c, DF_DEFAULT_DUPLICATE_THRESHOLD, &count);
    for (size_t i = 0; i < count; i++)
        print_message("%zu~%zu %.3f %s\n", (size_t)pairs[i].a, (size_t)pairs[i].b,
                      pairs[i].score, df_duplicate_kind_name(pairs[i].kind));
    assert_int_equal(count, 3);
    const df_duplicate *d = pair(pairs, count, 10, n + 1);
    assert_non_null(d);
    assert_int_equal(d->kind, DF_DUPLICATE_CONTAINED);
    assert_true(d->score >= 0.9);
    d = pair(pairs, count, 6, n + 2);
    assert_non_null(d);
    assert_int_equal(d->kind, DF_DUPLICATE_IDENTICAL);
    d = pair(pairs, count, 2, n + 3);
    assert_non_null(d);
    assert_true(d->score >= 0.8);
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* A line two facts share is content, not a formula: the second line of
 * one fact, repeated alone, is found. */
static void test_line_in_two_facts(void **state) {
    (void)state;
    df_corpus *c = fortunes_of("Brooks's Law:\n"
                               "\tAdding manpower to a late software project makes it later.\n%\n"
                               "Adding manpower to a late software project makes it later.\n"
                               "\t\t-- F. Brooks, \"The Mythical Man-Month\"\n%\n"
                               "Something else entirely, about other things altogether.\n");
    size_t count;
    df_duplicate *pairs = find(c, DF_DEFAULT_DUPLICATE_THRESHOLD, &count);
    assert_int_equal(count, 1);
    assert_non_null(pair(pairs, count, 1, 2));
    assert_true(pairs[0].score >= 0.6);
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* Chinese is written without spaces: its characters are its words.  Two
 * wordings of one proverb pair; two lines of poetry that share one
 * character do not. */
static void test_unspaced_scripts(void **state) {
    (void)state;
    df_corpus *c = corpus_of("\xE5\xA4\xA9\xE4\xB8\x8B\xE6\x97\xA0\xE9\x9A\xBE\xE4\xBA\x8B\xEF\xBC\x8C"
                             "\xE5\x8F\xAA\xE6\x80\x95\xE6\x9C\x89\xE5\xBF\x83\xE4\xBA\xBA\xE3\x80\x82\n\n"
                             "\xE4\xB8\x96\xE4\xB8\x8A\xE6\x97\xA0\xE9\x9A\xBE\xE4\xBA\x8B\xEF\xBC\x8C"
                             "\xE5\x8F\xAA\xE6\x80\x95\xE6\x9C\x89\xE5\xBF\x83\xE4\xBA\xBA\xE3\x80\x82\n\n"
                             "\xE5\x9B\xBD\xE7\xA0\xB4\xE5\xB1\xB1\xE6\xB2\xB3\xE5\x9C\xA8\xEF\xBC\x8C"
                             "\xE5\x9F\x8E\xE6\x98\xA5\xE8\x8D\x89\xE6\x9C\xA8\xE6\xB7\xB1\xE3\x80\x82\n\n"
                             "\xE6\x84\x9F\xE6\x97\xB6\xE8\x8A\xB1\xE6\xBA\x85\xE6\xB3\xAA\xEF\xBC\x8C"
                             "\xE6\x81\xA8\xE5\x88\xAB\xE9\xB8\x9F\xE6\x83\x8A\xE5\xBF\x83\xE3\x80\x82\n");
    size_t count;
    df_duplicate *pairs = find(c, DF_DEFAULT_DUPLICATE_THRESHOLD, &count);
    for (size_t i = 0; i < count; i++)
        print_message("%zu~%zu %.3f %s\n", (size_t)pairs[i].a, (size_t)pairs[i].b,
                      pairs[i].score, df_duplicate_kind_name(pairs[i].kind));
    assert_int_equal(count, 1);
    assert_non_null(pair(pairs, count, 1, 2));
    assert_int_equal(pairs[0].kind, DF_DUPLICATE_SIMILAR);
    assert_true(pairs[0].score >= 0.7);
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* A bijection on 32-bit numbers that scatters neighbours (a hash). */
static uint32_t mix32(uint32_t x) {
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

/* Thousands of facts: the inverted index finds the planted repeats (and
 * nothing else here), in any position. */
static void test_many_facts(void **state) {
    (void)state;
    enum { FACTS = 20000, WORDS = 5000 };
    size_t capacity = (size_t)FACTS * 200, len = 0;
    char *text = malloc(capacity);
    assert_non_null(text);
    for (uint32_t f = 0; f < FACTS; f++) {
        uint32_t words = 12 + mix32(f ^ 0xabcdefu) % 20;
        /* Facts f % 1000 == 7 take the words of fact f - 5, with a length of
         * their own: one is a prefix of the other. */
        uint32_t key = f % 1000 == 7 ? f - 5 : f;
        for (uint32_t w = 0; w < words; w++)
            len += (size_t)snprintf(text + len, capacity - len, "w%u ",
                                    mix32(key * 64 + w) % WORDS);
        len += (size_t)snprintf(text + len, capacity - len, "\n\n");
    }
    df_corpus *c = corpus_of(text);
    free(text);
    assert_int_equal(df_corpus_count(c), FACTS);
    size_t count;
    df_duplicate *pairs = find(c, 0.5, &count);
    for (size_t i = 0; i < count; i++)
        if (pairs[i].b - pairs[i].a != 5)
            print_message("%zu~%zu %.3f\n", (size_t)pairs[i].a, (size_t)pairs[i].b, pairs[i].score);
    assert_int_equal(count, FACTS / 1000);
    for (size_t i = 0; i < count; i++) {
        assert_int_equal(pairs[i].b - pairs[i].a, 5);
        assert_int_equal(pairs[i].b % 1000, 8); /* ids are 1-based */
        assert_true(pairs[i].containment == 1.0);
    }
    df_duplicates_free(pairs);
    df_corpus_free(c);
}

/* Copies are found whatever their number (257 once gave no pair at all):
 * each is paired with the first fact of its text, n copies n - 1 pairs,
 * interleaved with other facts. */
static void test_many_copies(void **state) {
    (void)state;
    static const size_t copies[] = {2, 256, 257, 3000};
    for (size_t k = 0; k < sizeof copies / sizeof copies[0]; k++) {
        size_t n = copies[k], capacity = n * 160, len = 0;
        char *text = malloc(capacity);
        assert_non_null(text);
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(text + len, capacity - len,
                                    "The same fact, Again and again!\n\n"
                                    "w%u w%u w%u w%u\n\n"
                                    "the same fact again and AGAIN\n\n",
                                    (unsigned)mix32((uint32_t)i), (unsigned)mix32((uint32_t)i + 1000000u),
                                    (unsigned)mix32((uint32_t)i + 2000000u),
                                    (unsigned)mix32((uint32_t)i + 3000000u));
        df_corpus *c = corpus_of(text);
        free(text);
        size_t count;
        df_duplicate *pairs = find(c, 0.5, &count);
        assert_int_equal(count, 2 * n - 1); /* 2n facts of one text */
        for (size_t i = 0; i < n; i++) {
            const df_duplicate *d = pair(pairs, count, 1, 3 * i + 3);
            assert_non_null(d);
            assert_int_equal(d->kind, DF_DUPLICATE_IDENTICAL);
            assert_true(d->score == 1.0);
            if (i > 0)
                assert_non_null(pair(pairs, count, 1, 3 * i + 1));
        }
        df_duplicates_free(pairs);
        df_corpus_free(c);
    }
}

/* A short fact and, after it, many longer ones that repeat it with more or
 * fewer of its words changed (so with many scores), some copies of it, and
 * unrelated facts: the short fact has far more than 16 heavier partners. */
static df_corpus *variations(void) {
    enum { WORDS = 24, VARIANTS = 120 };
    size_t capacity = (size_t)(VARIANTS + 40) * 400, len = 0;
    char *text = malloc(capacity);
    assert_non_null(text);
    for (uint32_t v = 0; v < VARIANTS + 40; v++) {
        for (uint32_t w = 0; w < WORDS; w++) {
            /* Variant v changes the words w with w % 12 < v % 12. */
            int changed = v >= VARIANTS || (v > 0 && w % 12 < v % 12 && v % 7 != 0);
            len += (size_t)snprintf(text + len, capacity - len, changed ? "x%u " : "base%u ",
                                    changed ? mix32(v * 64 + w) % 100000 : w);
        }
        /* Longer than the first fact, each in its own way. */
        len += (size_t)snprintf(text + len, capacity - len, v > 0 ? "tail%u end%u\n\n" : "\n\n",
                                v, v);
    }
    df_corpus *c = corpus_of(text);
    free(text);
    return c;
}

static int same_pair(const df_duplicate *x, const df_duplicate *y) {
    return x->a == y->a && x->b == y->b && x->score == y->score &&
           x->containment == y->containment && x->jaccard == y->jaccard && x->kind == y->kind;
}

/* df_duplicates_best gives the first `limit` pairs of df_duplicates, the
 * same bytes, whatever the limit; 0 gives none.  And however many partners
 * a fact has, it keeps its 16 best: the raised bar of the search changes
 * nothing.  (Field by field: the struct has padding.) */
static void test_best(void **state) {
    (void)state;
    df_corpus *corpora[] = {embedded, variations()};
    static const double thresholds[] = {0.05, 0.5, 0.9};
    static const size_t limits[] = {0, 1, 2, 3, 5, 10, 16, 17, 33, 100, 1000, SIZE_MAX};
    for (size_t c = 0; c < 2; c++) {
        for (size_t t = 0; t < sizeof thresholds / sizeof thresholds[0]; t++) {
            size_t count;
            df_duplicate *all = find(corpora[c], thresholds[t], &count);
            print_message("corpus %zu threshold %.2f: %zu pairs\n", c, thresholds[t], count);
            assert_true(count > 0);
            for (size_t l = 0; l < sizeof limits / sizeof limits[0]; l++) {
                df_duplicate *best = (df_duplicate *)&best;
                size_t n = 99, want = limits[l] < count ? limits[l] : count;
                df_error err;
                assert_int_equal(df_duplicates_best(corpora[c], thresholds[t], limits[l], &best,
                                                    &n, &err),
                                 DF_OK);
                assert_int_equal(n, want);
                assert_true((n == 0) == (best == NULL));
                for (size_t i = 0; i < n; i++)
                    assert_true(same_pair(&best[i], &all[i]));
                df_duplicates_free(best);
            }
            df_duplicates_free(all);
        }
    }
    /* The short first fact pairs with more than 16 variants at a low
     * threshold, and keeps 16 of them. */
    size_t count, first = 0;
    df_duplicate *all = find(corpora[1], 0.05, &count);
    for (size_t i = 0; i < count; i++)
        first += all[i].a == 1;
    assert_int_equal(first, 16);
    df_duplicates_free(all);
    df_corpus_free(corpora[1]);
}

static void test_errors(void **state) {
    (void)state;
    df_duplicate *pairs = (df_duplicate *)&pairs;
    size_t count = 99;
    df_error err;
    static const double bad[] = {0.0, -0.5, 1.0000001, 2.0};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&err, 0, sizeof err);
        assert_int_equal(df_duplicates(embedded, bad[i], &pairs, &count, &err), DF_EARG);
        assert_int_equal(err.code, DF_EARG);
        assert_non_null(strstr(err.message, "threshold"));
        assert_null(pairs);
        assert_int_equal(count, 0);
    }
    assert_int_equal(df_duplicates(embedded, (double)NAN, &pairs, &count, &err), DF_EARG);
    assert_int_equal(df_duplicates(NULL, 0.5, &pairs, &count, &err), DF_EARG);
    assert_non_null(strstr(err.message, "NULL"));
    assert_int_equal(df_duplicates(embedded, 0.5, NULL, &count, &err), DF_EARG);
    assert_int_equal(df_duplicates(embedded, 0.5, &pairs, NULL, NULL), DF_EARG);
    df_duplicates_free(NULL);
    assert_int_equal(df_duplicates_best(embedded, 0.0, 5, &pairs, &count, &err), DF_EARG);
    assert_int_equal(df_duplicates_best(NULL, 0.5, 5, &pairs, &count, &err), DF_EARG);

    /* Empty and punctuation-only corpora have no pairs. */
    df_corpus *c = corpus_of("");
    assert_null(find(c, 0.5, &count));
    assert_int_equal(count, 0);
    df_corpus_free(c);
    c = corpus_of("...\n\n...\n\n!!\n");
    assert_null(find(c, 1.0, &count));
    assert_int_equal(count, 0);
    df_corpus_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_pairs),
        cmocka_unit_test(test_result_shape),
        cmocka_unit_test(test_filter_is_exact),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_contained),
        cmocka_unit_test(test_formula_lines),
        cmocka_unit_test(test_repeats_beside_formulas),
        cmocka_unit_test(test_line_in_two_facts),
        cmocka_unit_test(test_unspaced_scripts),
        cmocka_unit_test(test_many_facts),
        cmocka_unit_test(test_many_copies),
        cmocka_unit_test(test_best),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
