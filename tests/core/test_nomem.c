/* Allocation failure, injected as SQLite's tests do: every operation of the
 * core is run again and again, the Nth allocation failing on run N, until
 * it succeeds with no failure left to inject.  Each failing run must report
 * DF_ENOMEM (never crash, never another status) and free what it took; the
 * sanitizer build (LeakSanitizer) and memcheck catch what it does not free.
 *
 * The core's own malloc, calloc and realloc are wrapped at link time
 * (-Wl,--wrap=...); PCRE2's allocations are its own and are not injected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"
#include "index.h"
#include "temp_files.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *ptr, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *ptr, size_t size);

/* The allocation to fail (1-based), 0 for none; and how many were made.
 * Test-only state: the library itself keeps none. */
static unsigned long fail_at, allocations;

static int injected_failure(void) {
    return fail_at != 0 && ++allocations == fail_at;
}

void *__wrap_malloc(size_t size) {
    return injected_failure() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size) {
    return injected_failure() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *ptr, size_t size) {
    return injected_failure() ? NULL : __real_realloc(ptr, size);
}

typedef df_status (*operation)(void *state);

/* Run `op` with the 1st, 2nd, ... allocation failing until it succeeds with
 * no failure injected.  A run whose failed allocation mattered must report
 * DF_ENOMEM; one may succeed when the failure was harmless (a realloc that
 * only gives memory back).  Returns how many allocations the clean run made
 * (so that a test cannot pass by allocating nothing). */
static unsigned long each_allocation_fails(operation op, void *state) {
    for (unsigned long n = 1;; n++) {
        fail_at = n;
        allocations = 0;
        df_status status = op(state);
        unsigned long made = allocations;
        fail_at = 0;
        if (status == DF_OK && made < n)
            return made;
        if (status != DF_ENOMEM && status != DF_OK)
            fail_msg("allocation %lu of the run failed: %s instead of DF_ENOMEM", n,
                     df_status_name(status));
        assert_true(n < 100000);
    }
}

/* ------------------------------------------------------------ operations */

typedef struct fixture {
    df_corpus *corpus;       /* the embedded corpus, loaded without injection */
    df_gazetteer *gazetteer;
    df_tag_rules *rules;
    const char *path;        /* a small fact file */
} fixture;

static df_status load_embedded(void *state) {
    (void)state;
    df_corpus *corpus;
    df_status status = df_corpus_load_embedded(&corpus, NULL);
    if (status == DF_OK) {
        assert_int_equal(df_corpus_count(corpus), 122);
        df_corpus_free(corpus);
    } else {
        assert_null(corpus);
    }
    return status;
}

static df_status load_file(void *state) {
    const fixture *f = state;
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    df_corpus *corpus;
    df_status status = df_corpus_load_file(f->path, &opts, &corpus, NULL);
    if (status == DF_OK) {
        assert_int_equal(df_corpus_count(corpus), 3);
        df_corpus_free(corpus);
    }
    return status;
}

static df_status compile_and_search(void *state) {
    const fixture *f = state;
    static const char *const patterns[] = {"(?<who>Gos\\w+)|Refn", "a.b(", "^The\\b"};
    static const unsigned flags[] = {DF_CASELESS, DF_LITERAL | DF_WORD, DF_MULTILINE};
    for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
        df_regex *regex;
        df_matcher *matcher;
        size_t facts;
        df_status status =
            df_regex_compile(patterns[i], strlen(patterns[i]), flags[i], &regex, NULL);
        if (status != DF_OK)
            return status;
        status = df_matcher_new(regex, NULL, &matcher, NULL);
        if (status == DF_OK) {
            status = df_count(f->corpus, matcher, 0, &facts, NULL, NULL);
            df_matcher_free(matcher);
        }
        df_regex_free(regex);
        if (status != DF_OK)
            return status;
    }
    return DF_OK;
}

/* A failure while counting piece by piece falls back to loading the file,
 * so a run may succeed after a failed allocation; its count must be right. */
static df_status count_file(void *state) {
    const fixture *f = state;
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    df_regex *regex;
    df_matcher *matcher;
    size_t facts = 0;
    df_status status = df_regex_compile("t\\w+", 4, 0, &regex, NULL);
    if (status != DF_OK)
        return status;
    status = df_matcher_new(regex, NULL, &matcher, NULL);
    if (status == DF_OK) {
        status = df_count_file(f->path, &opts, matcher, 0, &facts, NULL, NULL);
        if (status == DF_OK)
            assert_int_equal(facts, 2);
        df_matcher_free(matcher);
    }
    df_regex_free(regex);
    return status;
}

/* The ids df_search_file hands on, each once and in order, whichever
 * allocation fails: a failure while streaming falls back to loading the
 * file, which goes on after the last fact handed on. */
typedef struct ids_seen {
    df_fact_id ids[4];
    size_t count;
} ids_seen;

static int note_id(const df_fact *fact, const size_t *spans, size_t count, void *userdata) {
    ids_seen *seen = userdata;
    (void)spans;
    assert_true(count >= 1);
    assert_true(seen->count < 4);
    seen->ids[seen->count++] = fact->id;
    return 0;
}

static df_status search_file(void *state) {
    const fixture *f = state;
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    df_regex *regex;
    df_matcher *matcher;
    ids_seen seen = {{0}, 0};
    df_status status = df_regex_compile("t\\w+", 4, 0, &regex, NULL);
    if (status != DF_OK)
        return status;
    status = df_matcher_new(regex, NULL, &matcher, NULL);
    if (status == DF_OK) {
        status = df_search_file(f->path, &opts, matcher, 0, 10, note_id, &seen, NULL, NULL);
        if (status == DF_OK)
            assert_int_equal(seen.count, 2);
        for (size_t i = 0; i < seen.count; i++)
            assert_int_equal(seen.ids[i], 12 + i);
        df_matcher_free(matcher);
    }
    df_regex_free(regex);
    return status;
}

static df_status build_gazetteer(void *state) {
    (void)state;
    df_gazetteer *g;
    df_status status = df_gazetteer_new(&g, NULL);
    if (status != DF_OK)
        return status;
    const char *aliases[] = {"Carry Muligan", "\"Mulligan\""};
    status = df_gazetteer_add_embedded(g, NULL);
    if (status == DF_OK)
        status = df_gazetteer_add(g, "person", "Carey Mulligan", aliases, 2, NULL);
    df_gazetteer_free(g);
    return status;
}

static df_status build_tag_rules(void *state) {
    (void)state;
    df_tag_rules *r;
    df_status status = df_tag_rules_new(&r, NULL);
    if (status != DF_OK)
        return status;
    status = df_tag_rules_add_embedded(r, NULL);
    if (status == DF_OK)
        status = df_tag_rules_add_regex(r, "long-title", "\\(\\d{4}\\)", 9, 0, NULL);
    df_tag_rules_free(r);
    return status;
}

static df_status build_index(void *state) {
    const fixture *f = state;
    df_index *index;
    df_status status = df_index_build(f->corpus, f->gazetteer, f->rules, &index, NULL);
    if (status == DF_OK) {
        assert_true(df_index_entity_count(index) > 100);
        df_index_free(index);
    }
    return status;
}

/* The multi-pattern scan of aliases and rules (index_multiscan.c), forced on
 * a few facts: two that one scan reads together, one with runs of
 * whitespace, one beyond ASCII. */
static df_status build_index_scanned(void *state) {
    (void)state;
    static const char facts[] =
        "Refn and Gosling\nGosling, Refn\nRefn  and\tGosling\nRefn caf\xC3\xA9\n";
    static const char entities[] = "person: Nicolas Winding Refn = Refn\nperson: Ryan Gosling = Gosling\n";
    static const char rules[] =
        "both: refn\\s+and\\s+gos\nrefn: {Refn}\nwords: \\b(?:gos(?:ling)?|refn)\\b\n";
    static const df_index_plan scan_all = {0, 0};
    df_load_options opts = {.format = DF_FORMAT_LINES};
    df_corpus *corpus = NULL;
    df_gazetteer *g = NULL;
    df_tag_rules *r = NULL;
    df_index *index = NULL;
    df_status status = df_corpus_load_buffer(facts, sizeof facts - 1, &opts, &corpus, NULL);
    if (status == DF_OK && (status = df_gazetteer_new(&g, NULL)) == DF_OK)
        status = df_gazetteer_add_text(g, entities, sizeof entities - 1, "e", NULL);
    if (status == DF_OK && (status = df_tag_rules_new(&r, NULL)) == DF_OK)
        status = df_tag_rules_add_text(r, rules, sizeof rules - 1, "r", NULL);
    if (status == DF_OK)
        status = df_index_build_planned(corpus, g, r, &scan_all, &index, NULL);
    if (status == DF_OK) {
        const uint32_t *tags;
        size_t count;
        assert_int_equal(df_index_fact_tags(index, 3, &tags, &count, NULL), DF_OK);
        assert_int_equal(count, 3);
    }
    df_index_free(index);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(corpus);
    return status;
}

static df_status find_duplicates(void *state) {
    const fixture *f = state;
    df_duplicate *pairs;
    size_t count;
    df_status status = df_duplicates(f->corpus, DF_DEFAULT_DUPLICATE_THRESHOLD, &pairs, &count,
                                     NULL);
    if (status == DF_OK) {
        assert_true(count >= 6);
        df_duplicates_free(pairs);
    }
    return status;
}

/* The best few: the bar rises as they are found, and only twice as many
 * are held. */
static df_status find_best_duplicates(void *state) {
    const fixture *f = state;
    df_duplicate *pairs;
    size_t count;
    df_status status =
        df_duplicates_best(f->corpus, DF_DEFAULT_DUPLICATE_THRESHOLD, 3, &pairs, &count, NULL);
    if (status == DF_OK) {
        assert_int_equal(count, 3);
        df_duplicates_free(pairs);
    }
    return status;
}

static df_status prefilter_search(void *state) {
    const fixture *f = state;
    df_prefilter *prefilter;
    df_regex *regex;
    df_matcher *matcher;
    size_t facts = 0;
    df_status status = df_prefilter_build(f->corpus, &prefilter, NULL);
    if (status != DF_OK)
        return status;
    status = df_regex_compile("Kavinsky|Nightcall", 18, 0, &regex, NULL);
    if (status == DF_OK) {
        status = df_matcher_new(regex, NULL, &matcher, NULL);
        if (status == DF_OK) {
            status = df_count_prefiltered(f->corpus, prefilter, matcher, 0, &facts, NULL, NULL);
            df_matcher_free(matcher);
        }
        df_regex_free(regex);
    }
    df_prefilter_free(prefilter);
    if (status == DF_OK)
        assert_true(facts > 0);
    return status;
}

/* Records with more fields than the first growth holds, values of every
 * type, a dropped record, and a quoted CSV field longer than libcsv's first
 * buffer (whose growth goes through the wrapped realloc). */
static df_status load_records(void *state) {
    (void)state;
    char jsonl[4096], csv[4096];
    size_t n = 0, m = 0;
    for (int record = 0; record < 3; record++) {
        n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, "{\"text\":\"%s\"",
                              record == 1 ? " " : "fact");
        for (int field = 0; field < 20; field++)
            n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, ",\"f%d\":%s", field + record,
                                  field % 4 == 0   ? "[1,{\"a\":null}]"
                                  : field % 4 == 1 ? "2.5"
                                  : field % 4 == 2 ? "\"s\""
                                                   : "true");
        n += (size_t)snprintf(jsonl + n, sizeof jsonl - n, "}\n");
    }
    m += (size_t)snprintf(csv, sizeof csv, "text,a,b\n\"");
    for (int i = 0; i < 60; i++)
        m += (size_t)snprintf(csv + m, sizeof csv - m, "line %d\n", i);
    m += (size_t)snprintf(csv + m, sizeof csv - m, "\",1,2\nshort,3,4\n");
    static const df_format formats[] = {DF_FORMAT_JSONL, DF_FORMAT_CSV};
    const char *data[] = {jsonl, csv};
    const size_t len[] = {n, m}, facts[] = {2, 2}, fields[] = {22, 2};
    for (size_t i = 0; i < 2; i++) {
        df_load_options opts = {.format = formats[i], .name = "records"};
        df_corpus *corpus;
        df_status status = df_corpus_load_buffer(data[i], len[i], &opts, &corpus, NULL);
        if (status != DF_OK)
            return status;
        assert_int_equal(df_corpus_count(corpus), facts[i]);
        assert_int_equal(df_corpus_field_count(corpus), fields[i]);
        df_corpus_free(corpus);
    }
    return DF_OK;
}

/* Several sources of records: the union of their fields. */
static df_status load_record_paths(void *state) {
    (void)state;
    const char *paths[] = {DF_SOURCE_DIR "/tests/data/quotes.jsonl",
                           DF_SOURCE_DIR "/tests/data/more.jsonl"};
    df_load_options opts = {.format = DF_FORMAT_JSONL};
    df_corpus *corpus;
    df_status status = df_corpus_load_paths(paths, 2, &opts, &corpus, NULL);
    if (status == DF_OK) {
        assert_int_equal(df_corpus_count(corpus), 5);
        assert_int_equal(df_corpus_field_count(corpus), 9);
        df_corpus_free(corpus);
    }
    return status;
}

/* One source of records: that file's corpus, fields and all, named anew. */
static df_status load_record_path(void *state) {
    (void)state;
    const char *paths[] = {DF_SOURCE_DIR "/tests/data/quotes.jsonl"};
    df_load_options opts = {.format = DF_FORMAT_JSONL, .name = "quotes"};
    df_corpus *corpus;
    df_status status = df_corpus_load_paths(paths, 1, &opts, &corpus, NULL);
    if (status == DF_OK) {
        assert_string_equal(df_corpus_name(corpus), "quotes");
        assert_true(df_corpus_field_count(corpus) > 0);
        df_corpus_free(corpus);
    }
    return status;
}

/* ------------------------------------------------------------ tests */

static int setup(void **state) {
    static fixture f;
    /* Named by the process: the suite runs under valgrind beside itself,
     * and a shared name let the one that ended first remove the other's
     * file (DF_EIO where DF_ENOMEM was due). */
    static char path[512];
    static const char facts[] = "one\n%\ntwo\r\n%\nthree\n";
    f = (fixture){.path = temp_path(path, sizeof path, "nomem")};
    write_file(path, facts, sizeof facts - 1);
    if (df_corpus_load_embedded(&f.corpus, NULL) != DF_OK ||
        df_gazetteer_new(&f.gazetteer, NULL) != DF_OK ||
        df_gazetteer_add_embedded(f.gazetteer, NULL) != DF_OK ||
        df_tag_rules_new(&f.rules, NULL) != DF_OK ||
        df_tag_rules_add_embedded(f.rules, NULL) != DF_OK)
        return -1;
    *state = &f;
    return 0;
}

static int teardown(void **state) {
    fixture *f = *state;
    df_tag_rules_free(f->rules);
    df_gazetteer_free(f->gazetteer);
    df_corpus_free(f->corpus);
    remove(f->path);
    return 0;
}

#define INJECTION_TEST(name, op)                                   \
    static void name(void **state) {                               \
        assert_true(each_allocation_fails(op, *state) > 0);        \
    }

INJECTION_TEST(test_load_embedded, load_embedded)
INJECTION_TEST(test_load_file, load_file)
INJECTION_TEST(test_compile_and_search, compile_and_search)
INJECTION_TEST(test_count_file, count_file)
INJECTION_TEST(test_search_file, search_file)
INJECTION_TEST(test_gazetteer, build_gazetteer)
INJECTION_TEST(test_tag_rules, build_tag_rules)
INJECTION_TEST(test_index, build_index)
INJECTION_TEST(test_index_scanned, build_index_scanned)
INJECTION_TEST(test_duplicates, find_duplicates)
INJECTION_TEST(test_best_duplicates, find_best_duplicates)
INJECTION_TEST(test_prefilter, prefilter_search)
INJECTION_TEST(test_records, load_records)
INJECTION_TEST(test_record_paths, load_record_paths)
INJECTION_TEST(test_record_path, load_record_path)

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_embedded), cmocka_unit_test(test_load_file),
        cmocka_unit_test(test_compile_and_search), cmocka_unit_test(test_count_file),
        cmocka_unit_test(test_search_file),
        cmocka_unit_test(test_gazetteer),
        cmocka_unit_test(test_tag_rules), cmocka_unit_test(test_index),
        cmocka_unit_test(test_index_scanned),
        cmocka_unit_test(test_duplicates), cmocka_unit_test(test_best_duplicates),
        cmocka_unit_test(test_prefilter),
        cmocka_unit_test(test_records), cmocka_unit_test(test_record_paths),
        cmocka_unit_test(test_record_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
