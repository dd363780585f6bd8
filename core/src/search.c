/* The searcher: walks the facts of a corpus with a matcher and hands every
 * match to a sink.  It knows nothing of how matches are printed. */
#include "internal.h"

/* Prefix the matcher's message with the fact it failed in. */
static df_status fact_error(const df_corpus *corpus, size_t index, df_status status,
                            df_error *err) {
    if (err != NULL) {
        df_error inner = *err;
        const df_fact_entry *f = &corpus->facts[index];
        df_fail(err, status, inner.offset, f->line, "%s:%zu: fact %zu: %s", corpus->name,
                f->line, index + 1, inner.message);
    }
    return status;
}

typedef struct search {
    const df_corpus *corpus;
    df_matcher *matcher;
    unsigned flags;
    df_match_fn fn;
    void *userdata;
    df_error *err;
    int stopped;
} search;

/* Every match in one fact, by the iteration rules of df_matcher_next. */
static df_status search_fact(search *s, size_t index) {
    const df_fact_entry *f = &s->corpus->facts[index];
    df_match match = {
        .fact_id = index + 1,
        .text = s->corpus->text + f->offset,
        .len = f->len,
        .group_count = df_regex_group_count(df_matcher_regex(s->matcher)) + 1,
    };
    df_cursor cursor;
    df_status status;
    df_cursor_init(&cursor, 0);
    while ((status = df_matcher_next(s->matcher, match.text, match.len, &cursor, &match.ovector,
                                     s->err)) == DF_OK) {
        if (s->fn(&match, s->userdata) != 0) {
            s->stopped = 1;
            return DF_OK;
        }
        if (s->flags & DF_SEARCH_FIRST_PER_FACT)
            break;
    }
    if (status != DF_OK && status != DF_NOMATCH)
        return fact_error(s->corpus, index, status, s->err);
    return DF_OK;
}

/* The fact whose text, or the NUL after it, holds byte `offset`; facts lie
 * back to back in the buffer, so this is a binary search from `low`, over a
 * range found by galloping: the next candidate is most often a few facts
 * on. */
static size_t fact_at(const df_corpus *corpus, size_t low, size_t offset) {
    size_t high = corpus->count - 1, step = 1;
    while (low + step < high && corpus->facts[low + step].offset <= offset) {
        low += step;
        step *= 2;
    }
    if (low + step < high)
        high = low + step - 1;
    while (low < high) {
        size_t mid = low + (high - low + 1) / 2;
        if (corpus->facts[mid].offset <= offset)
            low = mid;
        else
            high = mid - 1;
    }
    return low;
}

df_status df_next_candidate(df_matcher *matcher, const char *text, size_t len, size_t from,
                            size_t *at, size_t *match_end, df_error *err) {
    const df_litset *litset = &df_matcher_regex(matcher)->litset;
    if (litset->count > 0) {
        *at = df_litset_find(litset, text, len, from);
        *match_end = SIZE_MAX;  /* a string every match holds, not a match */
        return *at < len ? DF_OK : DF_NOMATCH;
    }
    const size_t *ov;
    df_status status = df_matcher_find(matcher, text, len, from, &ov, err);
    if (status == DF_OK) {
        *at = ov[0];
        *match_end = ov[1];
    }
    return status;
}

/* One scan over the whole buffer (facts are separated by NULs) finds the
 * next fact that can hold a match; only that fact is then searched by the
 * exact rules.  The scan is for one of the strings every match holds
 * (litscan.c) when the regex has such a set, else, for a context-free
 * regex, PCRE2's own, with its start-up optimisations (first code unit,
 * required code unit, JIT).  What the scan finds may start in an earlier
 * fact than the one it proves, so it resumes right after the candidate,
 * never after the match. */
static df_status search_candidates(search *s) {
    const df_corpus *corpus = s->corpus;
    size_t index = 0;
    while (index < corpus->count && !s->stopped) {
        size_t at, match_end;
        df_status status = df_next_candidate(s->matcher, corpus->text, corpus->text_len,
                                             corpus->facts[index].offset, &at, &match_end,
                                             s->err);
        if (status == DF_NOMATCH)
            return DF_OK;
        if (status != DF_OK) {
            /* A limit was hit somewhere in the buffer: the exact per-fact
             * search from here on says in which fact, or that none. */
            for (size_t i = index; i < corpus->count && !s->stopped; i++)
                if ((status = search_fact(s, i)) != DF_OK)
                    return status;
            return DF_OK;
        }
        size_t candidate = fact_at(corpus, index, at);
        status = search_fact(s, candidate);
        if (status != DF_OK)
            return status;
        index = candidate + 1;
    }
    return DF_OK;
}

df_status df_search(const df_corpus *corpus, df_matcher *matcher, unsigned flags,
                    df_match_fn fn, void *userdata, df_error *err) {
    if (corpus == NULL || matcher == NULL || fn == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_search: NULL argument");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_fail(err, DF_EARG, 0, 0, "df_search: unknown flag bits 0x%x",
                       flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT);
    search s = {corpus, matcher, flags, fn, userdata, err, 0};
    if (corpus->count == 0)
        return DF_OK;
    const df_regex *regex = df_matcher_regex(matcher);
    if (regex->context_free || regex->litset.count > 0)
        return search_candidates(&s);
    for (size_t i = 0; i < corpus->count && !s.stopped; i++) {
        df_status status = search_fact(&s, i);
        if (status != DF_OK)
            return status;
    }
    return DF_OK;
}

df_status df_search_prefiltered(const df_corpus *corpus, const df_prefilter *prefilter,
                                df_matcher *matcher, unsigned flags, df_match_fn fn,
                                void *userdata, df_error *err) {
    if (prefilter == NULL)
        return df_search(corpus, matcher, flags, fn, userdata, err);
    if (corpus == NULL || matcher == NULL || fn == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_search_prefiltered: NULL argument");
    if (df_prefilter_corpus(prefilter) != corpus)
        return df_fail(err, DF_EARG, 0, 0,
                       "df_search_prefiltered: the prefilter was built from another corpus");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_search(corpus, matcher, flags, fn, userdata, err);  /* names the bits */
    df_candidates c;
    df_status status = df_prefilter_candidates(prefilter, df_matcher_regex(matcher), &c, err);
    if (status != DF_OK)
        return status;
    if (c.all)
        return df_search(corpus, matcher, flags, fn, userdata, err);
    search s = {corpus, matcher, flags, fn, userdata, err, 0};
    for (size_t k = 0; k < c.count && !s.stopped && status == DF_OK; k++)
        status = search_fact(&s, c.ids[k] - 1);
    df_candidates_free(&c);
    return status;
}

typedef struct counts {
    size_t facts, matches, last_fact;
} counts;

static int count_match(const df_match *match, void *userdata) {
    counts *c = userdata;
    c->facts += match->fact_id != c->last_fact;
    c->last_fact = match->fact_id;
    c->matches++;
    return 0;
}

static df_status count_with(const df_corpus *corpus, const df_prefilter *prefilter,
                            df_matcher *matcher, unsigned flags, size_t *facts,
                            size_t *matches, df_error *err) {
    if (facts == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_count: NULL argument");
    counts c = {0, 0, 0};
    df_status status =
        df_search_prefiltered(corpus, prefilter, matcher, flags, count_match, &c, err);
    if (status != DF_OK)
        return status;
    *facts = c.facts;
    if (matches != NULL)
        *matches = c.matches;
    return DF_OK;
}

df_status df_count(const df_corpus *corpus, df_matcher *matcher, unsigned flags,
                   size_t *facts, size_t *matches, df_error *err) {
    return count_with(corpus, NULL, matcher, flags, facts, matches, err);
}

df_status df_count_prefiltered(const df_corpus *corpus, const df_prefilter *prefilter,
                               df_matcher *matcher, unsigned flags, size_t *facts,
                               size_t *matches, df_error *err) {
    return count_with(corpus, prefilter, matcher, flags, facts, matches, err);
}
