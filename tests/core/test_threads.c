/* One corpus and one compiled regex shared by several threads, each with its
 * own matcher, as the header promises.  Built a second time under
 * ThreadSanitizer (test_core_threads_tsan), library sources included, so a
 * data race in the core fails the suite. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

#define THREADS 4
#define ROUNDS 25

typedef struct job {
    const df_corpus *corpus;
    const df_regex *regex;
    size_t facts, matches;   /* what this thread saw in every round */
    int consistent;          /* 1 when every round agreed with the first */
} job;

static int count_calls(const df_match *match, void *userdata) {
    size_t *calls = userdata;
    (void)match;
    (*calls)++;
    return 0;
}

static void *run_job(void *arg) {
    job *j = arg;
    df_matcher *matcher;
    df_error err;
    j->consistent = df_matcher_new(j->regex, NULL, &matcher, &err) == DF_OK;
    for (int round = 0; round < ROUNDS && j->consistent; round++) {
        size_t facts, matches, calls = 0;
        if (df_count(j->corpus, matcher, 0, &facts, &matches, &err) != DF_OK ||
            df_search(j->corpus, matcher, 0, count_calls, &calls, &err) != DF_OK) {
            j->consistent = 0;
            break;
        }
        if (round == 0) {
            j->facts = facts;
            j->matches = matches;
        }
        j->consistent = facts == j->facts && matches == j->matches && calls == matches;
    }
    df_matcher_free(matcher);
    return NULL;
}

static void search_from_threads(const char *pattern, unsigned flags) {
    df_corpus *corpus;
    df_regex *regex;
    df_matcher *matcher;
    df_error err;
    size_t facts, matches;
    assert_int_equal(df_corpus_load_embedded(&corpus, &err), DF_OK);
    assert_int_equal(df_regex_compile(pattern, strlen(pattern), flags, &regex, &err), DF_OK);
    assert_int_equal(df_matcher_new(regex, NULL, &matcher, &err), DF_OK);
    assert_int_equal(df_count(corpus, matcher, 0, &facts, &matches, &err), DF_OK);
    assert_true(facts > 0);
    df_matcher_free(matcher);

    pthread_t threads[THREADS];
    job jobs[THREADS];
    for (int i = 0; i < THREADS; i++) {
        jobs[i] = (job){.corpus = corpus, .regex = regex};
        assert_int_equal(pthread_create(&threads[i], NULL, run_job, &jobs[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_true(jobs[i].consistent);
        assert_int_equal(jobs[i].facts, facts);
        assert_int_equal(jobs[i].matches, matches);
    }
    df_regex_free(regex);
    df_corpus_free(corpus);
}

/* Context-free: the whole-buffer candidate scan. */
static void test_threads_share_buffer_scan(void **state) {
    (void)state;
    search_from_threads("Gosling|Refn|Mulligan", DF_CASELESS);
}

/* Anchored: the per-fact walk. */
static void test_threads_share_fact_walk(void **state) {
    (void)state;
    search_from_threads("^(The|A)\\b", 0);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_share_buffer_scan),
        cmocka_unit_test(test_threads_share_fact_walk),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
