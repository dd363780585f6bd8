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

df_status df_search(const df_corpus *corpus, df_matcher *matcher, unsigned flags,
                    df_match_fn fn, void *userdata, df_error *err) {
    if (corpus == NULL || matcher == NULL || fn == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_search: NULL argument");
    df_match match = {.group_count = df_regex_group_count(df_matcher_regex(matcher)) + 1};
    for (size_t i = 0; i < corpus->count; i++) {
        const df_fact_entry *f = &corpus->facts[i];
        const char *text = corpus->text + f->offset;
        df_cursor cursor;
        df_status status;
        df_cursor_init(&cursor, 0);
        match.fact_id = i + 1;
        match.text = text;
        match.len = f->len;
        while ((status = df_matcher_next(matcher, text, f->len, &cursor, &match.ovector, err)) ==
               DF_OK) {
            if (fn(&match, userdata) != 0)
                return DF_OK;
            if (flags & DF_SEARCH_FIRST_PER_FACT)
                break;
        }
        if (status != DF_OK && status != DF_NOMATCH)
            return fact_error(corpus, i, status, err);
    }
    return DF_OK;
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

df_status df_count(const df_corpus *corpus, df_matcher *matcher, unsigned flags,
                   size_t *facts, size_t *matches, df_error *err) {
    if (facts == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_count: NULL argument");
    counts c = {0, 0, 0};
    df_status status = df_search(corpus, matcher, flags, count_match, &c, err);
    if (status != DF_OK)
        return status;
    *facts = c.facts;
    if (matches != NULL)
        *matches = c.matches;
    return DF_OK;
}
