/* libFuzzer target: compile a pattern and iterate its matches over a subject.
 * Input: flags byte, pattern, NUL, subject.  Checks the iteration contract:
 * spans in order, inside the subject, on character boundaries, no empty
 * match right after a match, and termination; and that the candidate scans
 * and the prefilter find what matching each fact finds. */
#include <assert.h>
#include <string.h>

#include "drivefacts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static int on_boundary(const char *s, size_t len, size_t i) {
    return i == len || ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* df_search may scan the whole corpus buffer for candidate facts; its
 * answers must equal those of matching each fact on its own. */
static void check_search_agrees(const char *subject, size_t len, df_matcher *matcher) {
    df_load_options opts = {.format = DF_FORMAT_LINES};
    df_corpus *corpus;
    df_error err;
    if (df_corpus_load_buffer(subject, len, &opts, &corpus, &err) != DF_OK)
        return;
    size_t facts = 0, matches = 0, expected_facts = 0, expected_matches = 0;
    df_status status = df_count(corpus, matcher, 0, &facts, &matches, &err);
    for (df_fact_id id = 1; id <= df_corpus_count(corpus) && status == DF_OK; id++) {
        df_fact fact;
        df_cursor cursor;
        const size_t *ov;
        size_t found = 0;
        df_corpus_fact(corpus, id, &fact, &err);
        df_cursor_init(&cursor, 0);
        while (df_matcher_next(matcher, fact.text, fact.len, &cursor, &ov, &err) == DF_OK)
            found++;
        expected_facts += found > 0;
        expected_matches += found;
    }
    if (status == DF_OK)
        assert(facts == expected_facts && matches == expected_matches);
    /* The trigram prefilter's literal query (pattern_literals.c, over the
     * syntax reader) must leave every matching fact a candidate. */
    df_prefilter *prefilter;
    if (status == DF_OK && df_prefilter_build(corpus, &prefilter, &err) == DF_OK) {
        size_t pf_facts = 0, pf_matches = 0;
        if (df_count_prefiltered(corpus, prefilter, matcher, 0, &pf_facts, &pf_matches, &err) ==
            DF_OK)
            assert(pf_facts == expected_facts && pf_matches == expected_matches);
        df_prefilter_free(prefilter);
    }
    df_corpus_free(corpus);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size < 2)
        return 0;
    unsigned flags = data[0] & 0x3F;
    const char *pattern = (const char *)data + 1;
    const char *nul = memchr(pattern, '\0', size - 1);
    size_t pattern_len = nul != NULL ? (size_t)(nul - pattern) : size - 1;
    const char *subject = nul != NULL ? nul + 1 : "";
    size_t subject_len = nul != NULL ? size - 2 - pattern_len : 0;
    if (df_utf8_check(subject, subject_len, NULL) != DF_OK)
        return 0;

    df_regex *regex;
    df_matcher *matcher;
    df_error err;
    if (df_regex_compile(pattern, pattern_len, flags, &regex, &err) != DF_OK)
        return 0;
    /* Small limits keep each run fast; hitting them is an allowed outcome. */
    df_limits limits = {.match_limit = 100000, .depth_limit = 10000};
    if (df_matcher_new(regex, &limits, &matcher, &err) != DF_OK) {
        df_regex_free(regex);
        return 0;
    }
    df_cursor cursor;
    const size_t *ov;
    size_t previous_end = 0, count = 0;
    df_status status;
    df_cursor_init(&cursor, 0);
    while ((status = df_matcher_next(matcher, subject, subject_len, &cursor, &ov, &err)) == DF_OK) {
        assert(ov[0] <= ov[1] && ov[1] <= subject_len);
        assert(count == 0 || ov[0] >= previous_end);
        assert(count == 0 || ov[0] != ov[1] || ov[1] != previous_end);
        assert(on_boundary(subject, subject_len, ov[0]) && on_boundary(subject, subject_len, ov[1]));
        previous_end = ov[1];
        assert(++count <= subject_len + 1);
    }
    assert(status == DF_NOMATCH || status == DF_EMATCHLIMIT || status == DF_EDEPTHLIMIT ||
           status == DF_EMATCH);
    if (status == DF_NOMATCH)
        check_search_agrees(subject, subject_len, matcher);
    df_matcher_free(matcher);
    df_regex_free(regex);
    return 0;
}
