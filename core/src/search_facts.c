/* The searcher: walks a set of facts with a matcher and hands every match
 * to a sink.  One loop serves every set: all the facts of a corpus, a
 * candidate or id list, a piece of a file df_count_file split.  It
 * allocates nothing, so a sink may leave by longjmp (a Lua error).  It
 * knows nothing of how matches are printed. */
#include "search.h"

typedef struct search {
    const df_fact_table *table;
    df_matcher *matcher;
    unsigned flags;
    df_match_fn fn;
    void *userdata;
    df_error *err;
    int stopped;
} search;

/* Every match in fact `index` by the iteration rules of df_matcher_next;
 * `visit` is its place in the set searched. */
static df_status search_fact(search *s, size_t index, size_t visit) {
    const df_fact_entry *f = &s->table->facts[index];
    df_match match = {
        .fact_id = (df_fact_id)(index + 1),
        .text = s->table->text + f->offset,
        .len = f->len,
        .group_count = df_regex_group_count(df_matcher_regex(s->matcher)) + 1,
        .visit = visit,
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
        return df_fail_in_fact(s->err, status,
                               s->table->sources != NULL ? s->table->sources[f->source]
                                                         : s->table->name,
                               f->line, index + 1);
    return DF_OK;
}

/* The fact whose text, or the NUL after it, holds byte `offset`; facts lie
 * back to back in the buffer, so this is a binary search from `low`, over a
 * range found by galloping: the next candidate is most often a few facts
 * on. */
static size_t fact_at(const df_fact_table *table, size_t low, size_t offset) {
    size_t high = table->count - 1, step = 1;
    while (low + step < high && table->facts[low + step].offset <= offset) {
        low += step;
        step *= 2;
    }
    if (low + step < high)
        high = low + step - 1;
    while (low < high) {
        size_t mid = low + (high - low + 1) / 2;
        if (table->facts[mid].offset <= offset)
            low = mid;
        else
            high = mid - 1;
    }
    return low;
}

df_status df_next_candidate(df_matcher *matcher, const char *text, size_t len, size_t from,
                            size_t *at, size_t *match_end, df_error *err) {
    const df_litset *litset = df_matcher_litset(matcher);
    if (litset->count > 0) {
        /* a string every match holds, not a match, unless the set decides */
        *at = df_litset_find(litset, text, len, from, match_end);
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

/* Facts first..count in order, each searched by the exact rules. */
static df_status search_each(search *s, size_t first) {
    df_status status = DF_OK;
    for (size_t i = first; i < s->table->count && !s->stopped && status == DF_OK; i++)
        status = search_fact(s, i, i);
    return status;
}

/* One scan over the whole buffer (facts are separated by NULs) finds the
 * next fact that can hold a match; only that fact is then searched by the
 * exact rules.  The scan is for one of the strings every match holds
 * (search_litscan.c) when the regex has such a set, else, for a context-free
 * regex, PCRE2's own, with its start-up optimisations (first code unit,
 * required code unit, JIT).  What the scan finds may start in an earlier
 * fact than the one it proves, so it resumes right after the candidate,
 * never after the match. */
static df_status search_candidates(search *s) {
    const df_fact_table *table = s->table;
    size_t index = 0;
    while (index < table->count && !s->stopped) {
        size_t at, match_end;
        df_status status = df_next_candidate(s->matcher, table->text, table->text_len,
                                             table->facts[index].offset, &at, &match_end,
                                             s->err);
        if (status == DF_NOMATCH)
            return DF_OK;
        if (status != DF_OK)  /* a limit, somewhere: the exact search says in which fact */
            return search_each(s, index);
        size_t candidate = fact_at(table, index, at);
        if ((status = search_fact(s, candidate, candidate)) != DF_OK)
            return status;
        index = candidate + 1;
    }
    return DF_OK;
}

df_status df_search_table(const df_fact_table *table, const uint32_t *ids, size_t count,
                          df_matcher *matcher, unsigned flags, df_match_fn fn, void *userdata,
                          df_error *err) {
    if (table == NULL || matcher == NULL || fn == NULL || (ids == NULL && count > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_fail(err, DF_EARG, 0, 0, "unknown flag bits 0x%x",
                       flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT);
    for (size_t k = 0; k < count; k++)
        if (ids[k] < 1 || ids[k] > table->count)
            return df_fail(err, DF_ERANGE, 0, 0, "fact id %zu out of range 1..%zu",
                           (size_t)ids[k], table->count);
    search s = {table, matcher, flags, fn, userdata, err, 0};
    if (ids != NULL) {
        df_status status = DF_OK;
        for (size_t k = 0; k < count && !s.stopped && status == DF_OK; k++)
            status = search_fact(&s, ids[k] - 1, k);
        return status;
    }
    if (table->count > 0 && df_matcher_scans_text(matcher))
        return search_candidates(&s);
    return search_each(&s, 0);
}

df_status df_search(const df_corpus *corpus, df_matcher *matcher, unsigned flags,
                    df_match_fn fn, void *userdata, df_error *err) {
    return df_search_ids(corpus, NULL, 0, matcher, flags, fn, userdata, err);
}

df_status df_search_ids(const df_corpus *corpus, const uint32_t *ids, size_t count,
                        df_matcher *matcher, unsigned flags, df_match_fn fn, void *userdata,
                        df_error *err) {
    if (corpus == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    df_fact_table table = df_corpus_table(corpus);
    return df_search_table(&table, ids, count, matcher, flags, fn, userdata, err);
}

df_status df_search_prefiltered(const df_corpus *corpus, const df_prefilter *prefilter,
                                df_matcher *matcher, unsigned flags, df_match_fn fn,
                                void *userdata, df_error *err) {
    if (prefilter == NULL)
        return df_search(corpus, matcher, flags, fn, userdata, err);
    if (corpus == NULL || matcher == NULL || fn == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (df_prefilter_corpus(prefilter) != corpus)
        return df_fail(err, DF_EARG, 0, 0, "the prefilter was built from another corpus");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_search(corpus, matcher, flags, fn, userdata, err);  /* names the bits */
    df_candidates c;
    df_status status = df_prefilter_candidates(prefilter, df_matcher_regex(matcher), &c, err);
    if (status != DF_OK)
        return status;
    /* No candidate is no search: ids NULL would mean every fact. */
    if (c.all || c.count > 0)
        status = df_search_ids(corpus, c.all ? NULL : c.ids, c.all ? 0 : c.count, matcher, flags,
                               fn, userdata, err);
    df_candidates_free(&c);
    return status;
}

int df_count_match(const df_match *match, void *userdata) {
    df_counts *c = userdata;
    c->facts += match->visit != c->last_visit;
    c->last_visit = match->visit;
    c->matches++;
    return 0;
}

static df_status count_with(const df_corpus *corpus, const df_prefilter *prefilter,
                            df_matcher *matcher, unsigned flags, size_t *facts,
                            size_t *matches, df_error *err) {
    if (facts == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    df_counts c = {0, 0, SIZE_MAX};
    df_status status =
        df_search_prefiltered(corpus, prefilter, matcher, flags, df_count_match, &c, err);
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
