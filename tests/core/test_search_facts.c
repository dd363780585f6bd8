/* Tests for df_search and df_count (search_facts.c), mostly over the embedded
 * corpus, with two independent oracles: plain byte scanning, and pcre2grep
 * run over the facts written one per line. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivefacts.h"

#define BYTES(lit) (lit), (sizeof(lit) - 1)

/* --------------------------------------------------------------- helpers */

static df_corpus *embedded(void) {
    df_corpus *c = NULL;
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_corpus_load_embedded(&c, &err);
    if (st != DF_OK) {
        fail_msg("df_corpus_load_embedded: %s: %s", df_status_name(st), err.message);
    }
    assert_int_equal(df_corpus_count(c), 122);
    return c;
}

static df_corpus *from_buffer(const char *data, size_t len) {
    df_corpus *c = NULL;
    assert_int_equal(df_corpus_load_buffer(data, len, NULL, &c, NULL), DF_OK);
    return c;
}

/* A regex and a matcher for it, freed together. */
typedef struct engine {
    df_regex *re;
    df_matcher *m;
} engine;

static engine engine_new(const char *pattern, unsigned flags, const df_limits *limits) {
    engine e = {NULL, NULL};
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_regex_compile(pattern, strlen(pattern), flags, &e.re, &err);
    if (st != DF_OK) {
        fail_msg("compile \"%s\": %s: %s", pattern, df_status_name(st), err.message);
    }
    assert_int_equal(df_matcher_new(e.re, limits, &e.m, NULL), DF_OK);
    return e;
}

static void engine_free(engine *e) {
    df_matcher_free(e->m);
    df_regex_free(e->re);
}

/* Every match a search reported, checked against the corpus as it comes. */
typedef struct hit {
    df_fact_id fact_id;
    size_t start, end;
} hit;

typedef struct recorder {
    const df_corpus *corpus;
    size_t n, cap;
    hit *hits;
    size_t stop_after; /* 0: never stop */
    size_t calls;
} recorder;

static int record(const df_match *match, void *userdata) {
    recorder *r = userdata;
    r->calls++;
    /* No search in these tests has nearly this many matches: more means
     * the iteration does not end. */
    if (r->calls > 1000000) {
        fail_msg("more than a million matches: the search does not end");
    }

    /* The match describes a real fact of the corpus, in id order. */
    assert_true(match->fact_id >= 1 && match->fact_id <= df_corpus_count(r->corpus));
    df_fact f;
    assert_int_equal(df_corpus_fact(r->corpus, match->fact_id, &f, NULL), DF_OK);
    assert_ptr_equal(match->text, f.text);
    assert_int_equal(match->len, f.len);
    assert_true(match->group_count >= 1);
    assert_non_null(match->ovector);
    size_t s = match->ovector[0], e = match->ovector[1];
    assert_true(s <= e && e <= match->len);
    /* Captures that took part lie inside the fact. */
    for (size_t g = 1; g < match->group_count; g++) {
        size_t gs = match->ovector[2 * g], ge = match->ovector[2 * g + 1];
        if (gs == DF_UNSET) {
            assert_int_equal(ge, DF_UNSET);
        } else {
            assert_true(gs <= ge && ge <= match->len);
        }
    }
    if (r->n > 0) {
        const hit *prev = &r->hits[r->n - 1];
        assert_true(match->fact_id >= prev->fact_id);
        if (match->fact_id == prev->fact_id) {
            /* Within a fact, matches move forward. */
            assert_true(s >= prev->end);
            /* No empty match where the previous match ended (Lua's rule). */
            assert_true(e > prev->end);
        }
    }

    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 64;
        r->hits = realloc(r->hits, r->cap * sizeof *r->hits);
        assert_non_null(r->hits);
    }
    r->hits[r->n++] = (hit){match->fact_id, s, e};
    return r->stop_after != 0 && r->calls >= r->stop_after;
}

static void recorder_init(recorder *r, const df_corpus *c) {
    memset(r, 0, sizeof *r);
    r->corpus = c;
}

static void search_ok(const df_corpus *c, df_matcher *m, unsigned flags, recorder *r) {
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_search(c, m, flags, record, r, &err);
    if (st != DF_OK) {
        fail_msg("df_search: %s: %s", df_status_name(st), err.message);
    }
}

static size_t distinct_facts(const recorder *r) {
    size_t n = 0;
    for (size_t i = 0; i < r->n; i++) {
        if (i == 0 || r->hits[i].fact_id != r->hits[i - 1].fact_id) {
            n++;
        }
    }
    return n;
}

/* Occurrences of a NUL-free needle in every fact, found by plain scanning. */
static void scan_count(const df_corpus *c, const char *needle, size_t *facts, size_t *matches) {
    size_t nlen = strlen(needle);
    *facts = *matches = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(c); id++) {
        df_fact f;
        assert_int_equal(df_corpus_fact(c, id, &f, NULL), DF_OK);
        size_t here = 0;
        for (size_t i = 0; i + nlen <= f.len; i++) {
            if (memcmp(f.text + i, needle, nlen) == 0) {
                here++;
                i += nlen - 1;
            }
        }
        *matches += here;
        *facts += here > 0;
    }
}

/* ------------------------------------------------------------------ tests */

static void test_search_reports_every_match(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("Gosling", 0, NULL);
    recorder r;
    recorder_init(&r, c);
    search_ok(c, e.m, 0, &r);

    size_t want_facts, want_matches;
    scan_count(c, "Gosling", &want_facts, &want_matches);
    assert_true(want_matches > want_facts); /* some fact names him twice */
    assert_int_equal(r.n, want_matches);
    assert_int_equal(distinct_facts(&r), want_facts);
    for (size_t i = 0; i < r.n; i++) {
        df_fact f;
        assert_int_equal(df_corpus_fact(c, r.hits[i].fact_id, &f, NULL), DF_OK);
        assert_int_equal(r.hits[i].end - r.hits[i].start, 7);
        assert_memory_equal(f.text + r.hits[i].start, "Gosling", 7);
    }
    /* Fact 1 is the first hit: "In preparation for his role, Ryan Gosling". */
    assert_int_equal(r.hits[0].fact_id, 1);
    assert_int_equal(r.hits[0].start, strlen("In preparation for his role, Ryan "));

    /* The same matcher searches again with the same result. */
    recorder again;
    recorder_init(&again, c);
    search_ok(c, e.m, 0, &again);
    assert_int_equal(again.n, r.n);
    for (size_t i = 0; i < r.n; i++) {
        /* Field by field: a hit has padding after its 32-bit fact id. */
        assert_int_equal(again.hits[i].fact_id, r.hits[i].fact_id);
        assert_int_equal(again.hits[i].start, r.hits[i].start);
        assert_int_equal(again.hits[i].end, r.hits[i].end);
    }

    free(again.hits);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(c);
}

static void test_first_per_fact(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("Gosling|Refn", 0, NULL);
    recorder all, first;
    recorder_init(&all, c);
    recorder_init(&first, c);
    search_ok(c, e.m, 0, &all);
    search_ok(c, e.m, DF_SEARCH_FIRST_PER_FACT, &first);

    assert_true(all.n > distinct_facts(&all));
    assert_int_equal(first.n, distinct_facts(&all));
    /* One per fact, and it is the fact's first match. */
    size_t j = 0;
    for (size_t i = 0; i < first.n; i++) {
        if (i > 0) {
            assert_true(first.hits[i].fact_id > first.hits[i - 1].fact_id);
        }
        while (all.hits[j].fact_id != first.hits[i].fact_id) {
            j++;
        }
        assert_int_equal(first.hits[i].start, all.hits[j].start);
        assert_int_equal(first.hits[i].end, all.hits[j].end);
    }
    free(all.hits);
    free(first.hits);
    engine_free(&e);
    df_corpus_free(c);
}

/* A non-zero return stops the search at once; that is a success. */
static void test_stop_early(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("Gosling", 0, NULL);
    const size_t stops[] = {1, 3};
    for (size_t i = 0; i < 2; i++) {
        recorder r;
        recorder_init(&r, c);
        r.stop_after = stops[i];
        search_ok(c, e.m, 0, &r);
        assert_int_equal(r.calls, stops[i]);
        free(r.hits);

        recorder_init(&r, c);
        r.stop_after = stops[i];
        search_ok(c, e.m, DF_SEARCH_FIRST_PER_FACT, &r);
        assert_int_equal(r.calls, stops[i]);
        free(r.hits);
    }
    engine_free(&e);
    df_corpus_free(c);
}

/* df_count is df_search without the callback: same numbers, for patterns
 * with and without empty matches. */
static void test_count_equals_search(void **state) {
    (void)state;
    df_corpus *c = embedded();
    static const struct {
        const char *pattern;
        unsigned flags;
    } cases[] = {
        {"Gosling", 0},  {"gosling", DF_CASELESS}, {"\\w+", 0},      {"x*", 0},
        {"^", 0},        {"$", 0},                 {"Drive", DF_WORD}, {"(2011)", DF_LITERAL},
        {"zzzqqq", 0},   {"\\b", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        engine e = engine_new(cases[i].pattern, cases[i].flags, NULL);
        recorder r;
        recorder_init(&r, c);
        search_ok(c, e.m, 0, &r);

        size_t facts = 999, matches = 999;
        assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
        if (facts != distinct_facts(&r) || matches != r.n) {
            fail_msg("/%s/: df_count %zu facts %zu matches, df_search %zu facts %zu matches",
                     cases[i].pattern, facts, matches, distinct_facts(&r), r.n);
        }
        /* matches may be NULL. */
        size_t facts_only = 999;
        assert_int_equal(df_count(c, e.m, 0, &facts_only, NULL, NULL), DF_OK);
        assert_int_equal(facts_only, facts);
        /* First per fact: both numbers are the number of matching facts. */
        size_t ff = 999, fm = 999;
        assert_int_equal(df_count(c, e.m, DF_SEARCH_FIRST_PER_FACT, &ff, &fm, NULL), DF_OK);
        assert_int_equal(ff, facts);
        assert_int_equal(fm, facts);
        free(r.hits);
        engine_free(&e);
    }
    df_corpus_free(c);
}

/* Matches counted the slow, obvious way: df_matcher_next over each fact. */
static void per_fact_count(const df_corpus *c, df_matcher *m, size_t *facts, size_t *matches) {
    *facts = *matches = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(c); id++) {
        df_fact f;
        assert_int_equal(df_corpus_fact(c, id, &f, NULL), DF_OK);
        df_cursor cur;
        df_cursor_init(&cur, 0);
        const size_t *ov = NULL;
        size_t here = 0;
        df_status st;
        while ((st = df_matcher_next(m, f.text, f.len, &cur, &ov, NULL)) == DF_OK) {
            here++;
        }
        assert_int_equal(st, DF_NOMATCH);
        *matches += here;
        *facts += here > 0;
    }
}

/* Searching a corpus means matching each fact on its own, whatever shortcut
 * the searcher takes: the same counts as per-fact iteration, including for
 * patterns whose greedy parts could run past a fact's end if the facts were
 * searched as one buffer (atomic groups, possessive quantifiers, ".", \b
 * at the end of a fact). */
static void test_search_equals_per_fact_matching(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        unsigned flags;
    } cases[] = {
        {"Gosling", 0},
        {"(?>a.*)\\b", 0},
        {"a.*+\\b", 0},
        {"(?>[^x]*)\\B", 0},
        {"\\w++\\b", 0},
        {"\\.\\B", 0},
        {"(?>\\w+)\\.", 0},
        {"[^q]*+", 0},
        {"n.\\b", DF_CASELESS},
        {"the", DF_WORD},
        {".", DF_DOTALL},
        {"(?:e|\\s)++\\b", 0},
        /* Alternations of literals: found by the multi-string scan. */
        {"Mulligan|Cranston|Brooks|Perlman", 0},
        {"gosling|refn|KAVINSKY", DF_CASELESS},
        {"^(?:Ryan|Carey) ", 0},
        {"(?:Ryan|Carey) Gosling|Mulligan", 0},
        {"\\b(?:and|the|then)\\b", 0},
        {"x.y|and|ab", 0},
    };
    df_corpus *corpora[2];
    corpora[0] = embedded();
    /* Facts ending in a word character, and one ending in punctuation. */
    corpora[1] = from_buffer(BYTES("ab\n\nx!\n\nand then\n\nlast.\n\nANd Then\n\nrefN"));
    for (size_t k = 0; k < 2; k++) {
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            engine e = engine_new(cases[i].pattern, cases[i].flags, NULL);
            size_t want_facts, want_matches, facts = 0, matches = 0;
            per_fact_count(corpora[k], e.m, &want_facts, &want_matches);
            assert_int_equal(df_count(corpora[k], e.m, 0, &facts, &matches, NULL), DF_OK);
            if (facts != want_facts || matches != want_matches) {
                fail_msg("/%s/ over %s: df_count %zu facts %zu matches, per fact %zu facts "
                         "%zu matches",
                         cases[i].pattern, df_corpus_name(corpora[k]), facts, matches,
                         want_facts, want_matches);
            }
            engine_free(&e);
        }
    }

    /* One case worked out by hand: in "ab" the atomic group takes "ab" and
     * \b holds at the end of the fact. */
    engine e = engine_new("(?>a.*)\\b", 0, NULL);
    recorder r;
    recorder_init(&r, corpora[1]);
    search_ok(corpora[1], e.m, 0, &r);
    assert_true(r.n >= 1);
    assert_int_equal(r.hits[0].fact_id, 1);
    assert_int_equal(r.hits[0].start, 0);
    assert_int_equal(r.hits[0].end, 2);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(corpora[0]);
    df_corpus_free(corpora[1]);
}

/* The empty pattern matches at every character boundary of every fact:
 * characters + 1 per fact, by the Lua rule that steps one UTF-8 character
 * past an empty match. */
static void test_empty_pattern_counts_characters(void **state) {
    (void)state;
    df_corpus *c = embedded();
    size_t want = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(c); id++) {
        df_fact f;
        assert_int_equal(df_corpus_fact(c, id, &f, NULL), DF_OK);
        for (size_t i = 0; i < f.len; i++) {
            want += ((unsigned char)f.text[i] & 0xC0) != 0x80;
        }
        want++;
    }
    engine e = engine_new("", 0, NULL);
    size_t facts = 0, matches = 0;
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(facts, 122);
    assert_int_equal(matches, want);
    engine_free(&e);

    /* And the documented example, as a one-fact corpus. */
    df_corpus *one = from_buffer(BYTES("S\xC3\xB6" "derstr\xC3\xB6" "m"));
    e = engine_new("x*", 0, NULL);
    assert_int_equal(df_count(one, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(facts, 1);
    assert_int_equal(matches, 11);
    engine_free(&e);
    df_corpus_free(one);
    df_corpus_free(c);
}

/* What test_named_captures expects of each match. */
typedef struct name_check {
    size_t g_first, g_last; /* group numbers of "first" and "last" */
    size_t carey;           /* matches of "Carey Mulligan" seen */
} name_check;

/* Group 0 is "<first> <last>", and the named groups are its two words. */
static int check_names(const df_match *match, void *userdata) {
    name_check *n = userdata;
    assert_int_equal(match->group_count, 3);
    const size_t *ov = match->ovector;
    size_t fs = ov[2 * n->g_first], fe = ov[2 * n->g_first + 1];
    size_t ls = ov[2 * n->g_last], le = ov[2 * n->g_last + 1];
    assert_int_equal(fs, ov[0]);
    assert_int_equal(le, ov[1]);
    assert_int_equal(fe + 1, ls);
    assert_int_equal(match->text[fe], ' ');
    if (fe - fs == 5) {
        assert_memory_equal(match->text + fs, "Carey", 5);
        assert_memory_equal(match->text + ls, "Mulligan", 8);
        n->carey++;
    } else {
        assert_int_equal(fe - fs, 4);
        assert_memory_equal(match->text + fs, "Ryan", 4);
    }
    return 0;
}

static void test_named_captures(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("(?<first>Ryan|Carey) (?<last>Gosling|Mulligan)", 0, NULL);
    name_check n = {0, 0, 0};
    assert_int_equal(df_regex_name_count(e.re), 2);
    for (size_t i = 0; i < 2; i++) {
        size_t g = 0;
        const char *name = df_regex_name(e.re, i, &g);
        assert_non_null(name);
        if (strcmp(name, "first") == 0) {
            n.g_first = g;
        } else if (strcmp(name, "last") == 0) {
            n.g_last = g;
        }
    }
    assert_int_equal(n.g_first, 1);
    assert_int_equal(n.g_last, 2);

    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_search(c, e.m, 0, check_names, &n, &err), DF_OK);
    assert_true(n.carey > 0);

    /* The generic checks of record() hold for these matches too. */
    recorder r;
    recorder_init(&r, c);
    search_ok(c, e.m, 0, &r);
    assert_true(r.n > n.carey);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(c);
}

/* Facts are searched one at a time: ^ and $ are fact boundaries, no match
 * spans two facts, and the fact's length (not a NUL) ends the subject. */
static void test_fact_boundaries(void **state) {
    (void)state;
    df_corpus *c = from_buffer(BYTES("abc\n\ndef\n\nx\0b\n\nc\nd"));
    size_t facts = 0, matches = 0;

    engine e = engine_new("c\\s*d", 0, NULL);
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(matches, 1); /* only inside "c\nd" */
    engine_free(&e);

    e = engine_new("^\\w", 0, NULL);
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(facts, 4);
    assert_int_equal(matches, 4);
    engine_free(&e);

    e = engine_new("^d", DF_MULTILINE, NULL);
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(matches, 2); /* "def" and the second line of "c\nd" */
    engine_free(&e);

    e = engine_new("b$", 0, NULL);
    recorder r;
    recorder_init(&r, c);
    search_ok(c, e.m, 0, &r);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].fact_id, 3);
    assert_int_equal(r.hits[0].start, 2);
    assert_int_equal(r.hits[0].end, 3);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(c);
}

static void test_empty_corpus(void **state) {
    (void)state;
    df_corpus *c = from_buffer("", 0);
    engine e = engine_new("x*", 0, NULL);
    recorder r;
    recorder_init(&r, c);
    search_ok(c, e.m, 0, &r);
    assert_int_equal(r.calls, 0);
    size_t facts = 7, matches = 7;
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, NULL), DF_OK);
    assert_int_equal(facts, 0);
    assert_int_equal(matches, 0);
    engine_free(&e);
    df_corpus_free(c);
}

/* A runaway match in one fact fails the whole search with its status. */
static void test_match_limit_propagates(void **state) {
    (void)state;
    df_corpus *c = from_buffer(BYTES("ok aaa\n\naaaaaaaaaaaaaaaaaaaaaab\n\nlast aa"));
    df_limits small = {1000, 0};
    engine e = engine_new("(a+)+$", 0, &small);
    recorder r;
    recorder_init(&r, c);
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_search(c, e.m, 0, record, &r, &err), DF_EMATCHLIMIT);
    assert_int_equal(err.code, DF_EMATCHLIMIT);
    assert_non_null(strstr(err.message, "match limit"));
    /* Fact 1 matched before the runaway fact 2; fact 3 was never reached. */
    assert_int_equal(r.n, 1);
    assert_int_equal(r.hits[0].fact_id, 1);
    free(r.hits);

    size_t facts = 0, matches = 0;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_count(c, e.m, 0, &facts, &matches, &err), DF_EMATCHLIMIT);
    assert_int_equal(err.code, DF_EMATCHLIMIT);
    assert_int_equal(df_count(c, e.m, DF_SEARCH_FIRST_PER_FACT, &facts, NULL, NULL),
                     DF_EMATCHLIMIT);
    engine_free(&e);
    df_corpus_free(c);
}

/* The limits apply to matching one fact.  A pattern that gives up at once
 * on each fact alone (here PCRE2 sees that no "c" follows the a's of fact 2)
 * must not fail because the facts, taken together, would backtrack
 * without end. */
static void test_limit_applies_per_fact(void **state) {
    (void)state;
    df_corpus *c = from_buffer(BYTES("xaac\n\naaaaaaaaaaaaaaaaaaaaaab\n\nlast ac"));
    df_limits small = {1000, 0};
    engine e = engine_new("(a+)+c", 0, &small);
    size_t want_facts, want_matches;
    per_fact_count(c, e.m, &want_facts, &want_matches);
    assert_int_equal(want_facts, 2);
    assert_int_equal(want_matches, 2);

    recorder r;
    recorder_init(&r, c);
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_search(c, e.m, 0, record, &r, &err);
    if (st != DF_OK) {
        fail_msg("df_search: %s: %s", df_status_name(st), err.message);
    }
    assert_int_equal(r.n, 2);
    assert_int_equal(r.hits[0].fact_id, 1);
    assert_int_equal(r.hits[0].start, 1);
    assert_int_equal(r.hits[1].fact_id, 3);
    assert_int_equal(r.hits[1].start, 5);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(c);
}

static void test_bad_arguments(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("a", 0, NULL);
    recorder r;
    recorder_init(&r, c);
    df_error err;
    size_t facts = 0, matches = 0;

    memset(&err, 0, sizeof err);
    assert_int_equal(df_search(NULL, e.m, 0, record, &r, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_int_equal(df_search(c, NULL, 0, record, &r, NULL), DF_EARG);
    assert_int_equal(df_search(c, e.m, 0, NULL, &r, NULL), DF_EARG);
    /* An undefined search flag. */
    memset(&err, 0, sizeof err);
    assert_int_equal(df_search(c, e.m, 1u << 7, record, &r, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_int_equal(r.calls, 0);

    memset(&err, 0, sizeof err);
    assert_int_equal(df_count(NULL, e.m, 0, &facts, &matches, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
    assert_int_equal(df_count(c, NULL, 0, &facts, &matches, NULL), DF_EARG);
    assert_int_equal(df_count(c, e.m, 0, NULL, &matches, NULL), DF_EARG);
    assert_int_equal(df_count(c, e.m, 1u << 7, &facts, &matches, NULL), DF_EARG);
    engine_free(&e);
    df_corpus_free(c);
}

static void test_success_leaves_err_untouched(void **state) {
    (void)state;
    df_corpus *c = embedded();
    engine e = engine_new("Mulligan", 0, NULL);
    df_error err, before;
    memset(&err, 0x5A, sizeof err);
    memcpy(&before, &err, sizeof err);
    recorder r;
    recorder_init(&r, c);
    assert_int_equal(df_search(c, e.m, 0, record, &r, &err), DF_OK);
    size_t facts = 0;
    assert_int_equal(df_count(c, e.m, 0, &facts, NULL, &err), DF_OK);
    assert_memory_equal(&err, &before, sizeof err);
    free(r.hits);
    engine_free(&e);
    df_corpus_free(c);
}

/* ------------------------------------------------------- pcre2grep oracle */

static const char *pcre2grep_path(void) {
#ifdef DF_PCRE2GREP
    return DF_PCRE2GREP;
#else
    return NULL;
#endif
}

/* Lines of `file` that pcre2grep -u -c <option> matches. */
static size_t pcre2grep_count(const char *grep, const char *option, const char *pattern,
                              const char *file) {
    char cmd[4096];
    /* Single quotes protect everything; none of the arguments holds one. */
    assert_null(strchr(grep, '\''));
    assert_null(strchr(pattern, '\''));
    assert_null(strchr(file, '\''));
    int n = snprintf(cmd, sizeof cmd, "'%s' -u -c %s -e '%s' '%s'", grep, option, pattern, file);
    assert_true(n > 0 && (size_t)n < sizeof cmd);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[64] = "";
    char *got = fgets(line, sizeof line, p);
    int status = pclose(p);
    if (got == NULL) {
        fail_msg("no output from: %s", cmd);
    }
    /* pcre2grep exits 0 when a line matched, 1 when none did, 2 on error. */
    assert_true(WIFEXITED(status));
    assert_true(WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 1);
    char *end = NULL;
    unsigned long count = strtoul(line, &end, 10);
    assert_true(end != line && (*end == '\n' || *end == '\0'));
    return (size_t)count;
}

static void test_counts_agree_with_pcre2grep(void **state) {
    (void)state;
    const char *grep = pcre2grep_path();
    if (grep == NULL) {
        skip();
    }
    df_corpus *c = embedded();

    /* One fact per line: facts of the embedded corpus hold no newline. */
    char path[1024];
    snprintf(path, sizeof path, "%s/test_search-facts-%ld.txt", DF_BINARY_DIR, (long)getpid());
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (df_fact_id id = 1; id <= df_corpus_count(c); id++) {
        df_fact fact;
        assert_int_equal(df_corpus_fact(c, id, &fact, NULL), DF_OK);
        assert_null(memchr(fact.text, '\n', fact.len));
        assert_int_equal(fwrite(fact.text, 1, fact.len, f), fact.len);
        assert_int_equal(fputc('\n', f), '\n');
    }
    assert_int_equal(fclose(f), 0);

    static const struct {
        const char *pattern;
        unsigned flags;
        const char *option;
    } cases[] = {
        {"gosling", DF_CASELESS, "-i"},
        {"Drive", DF_WORD, "-w"},
        {"(2011)", DF_LITERAL, "-F"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        engine e = engine_new(cases[i].pattern, cases[i].flags, NULL);
        size_t facts = 0;
        assert_int_equal(df_count(c, e.m, 0, &facts, NULL, NULL), DF_OK);
        size_t want = pcre2grep_count(grep, cases[i].option, cases[i].pattern, path);
        if (facts != want) {
            fail_msg("/%s/ %s: df_count %zu facts, pcre2grep %zu lines", cases[i].pattern,
                     cases[i].option, facts, want);
        }
        /* A count of zero would make the comparison vacuous. */
        assert_true(want > 0);
        engine_free(&e);
    }
    assert_int_equal(remove(path), 0);
    df_corpus_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_reports_every_match),
        cmocka_unit_test(test_first_per_fact),
        cmocka_unit_test(test_stop_early),
        cmocka_unit_test(test_count_equals_search),
        cmocka_unit_test(test_search_equals_per_fact_matching),
        cmocka_unit_test(test_empty_pattern_counts_characters),
        cmocka_unit_test(test_named_captures),
        cmocka_unit_test(test_fact_boundaries),
        cmocka_unit_test(test_empty_corpus),
        cmocka_unit_test(test_match_limit_propagates),
        cmocka_unit_test(test_limit_applies_per_fact),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_success_leaves_err_untouched),
        cmocka_unit_test(test_counts_agree_with_pcre2grep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
