/* The matcher's run half: per-thread scratch space, limits, and the one
 * iteration loop every search and every Lua method goes through. */
#include <stdlib.h>

#include "pattern.h"

struct df_matcher {
    const df_regex *regex;          /* borrowed */
    pcre2_match_data *match_data;   /* owned */
    pcre2_match_context *context;   /* owned */
    pcre2_jit_stack *jit_stack;     /* owned, NULL when interpreted */
    df_limits limits;
    /* For the candidate scan (search_facts.c): the strings every match holds,
     * from the regex's literal query. */
    df_litset litset;
    /* df_matcher_dfa's, made on its first call and grown on demand */
    pcre2_code *dfa_code;           /* owned: df_regex_compile_dfa's */
    pcre2_match_data *dfa_data;     /* owned: one pair per match */
    int *dfa_workspace;             /* owned */
    size_t dfa_workspace_size;      /* in ints */
};

/* The strings of the regex that decide a match when it is an alternation
 * of them, else those every match holds, if any. */
static df_status init_litset(df_matcher *m) {
    const df_regex *re = m->regex;
    df_literal exact[DF_LITSET_MAX];
    int caseless;
    size_t count = df_literal_alternation(re->pattern, re->pattern_len, re->flags, exact,
                                          &caseless);
    if (count > 0) {
        df_litset_init_exact(&m->litset, exact, count, caseless);
        if (m->litset.count > 0)
            return DF_OK;
    }
    df_litquery *query;
    if (df_litquery_extract(re->pattern, re->pattern_len, re->flags, &query) != DF_OK)
        return DF_ENOMEM;
    df_litset_init(&m->litset, query, !re->context_free);
    df_litquery_free(query);
    return DF_OK;
}

df_status df_matcher_new(const df_regex *regex, const df_limits *limits, df_matcher **out,
                         df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (regex == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL regex");
    df_matcher *m = calloc(1, sizeof *m);
    if (m == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for a matcher");
    m->regex = regex;
    m->limits.match_limit = limits != NULL && limits->match_limit ? limits->match_limit
                                                                  : DF_DEFAULT_MATCH_LIMIT;
    m->limits.depth_limit = limits != NULL && limits->depth_limit ? limits->depth_limit
                                                                  : DF_DEFAULT_DEPTH_LIMIT;
    m->match_data = pcre2_match_data_create_from_pattern(regex->code, NULL);
    m->context = pcre2_match_context_create(NULL);
    if (m->match_data == NULL || m->context == NULL)
        goto nomem;
    pcre2_set_match_limit(m->context, m->limits.match_limit);
    pcre2_set_depth_limit(m->context, m->limits.depth_limit);
    if (init_litset(m) != DF_OK)
        goto nomem;
    pcre2_set_heap_limit(m->context, DF_HEAP_LIMIT_KIB);
    if (regex->jit) {
        m->jit_stack = pcre2_jit_stack_create(DF_JIT_STACK_START, DF_JIT_STACK_MAX, NULL);
        if (m->jit_stack == NULL)
            goto nomem;
        pcre2_jit_stack_assign(m->context, NULL, m->jit_stack);
    }
    *out = m;
    return DF_OK;
nomem:
    df_matcher_free(m);
    return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for a matcher");
}

void df_matcher_free(df_matcher *matcher) {
    if (matcher == NULL)
        return;
    pcre2_code_free(matcher->dfa_code);
    pcre2_match_data_free(matcher->dfa_data);
    free(matcher->dfa_workspace);
    pcre2_jit_stack_free(matcher->jit_stack);
    pcre2_match_context_free(matcher->context);
    pcre2_match_data_free(matcher->match_data);
    free(matcher);
}

const df_regex *df_matcher_regex(const df_matcher *matcher) {
    return matcher != NULL ? matcher->regex : NULL;
}

const df_litset *df_matcher_litset(const df_matcher *matcher) {
    return &matcher->litset;
}

int df_matcher_scans_text(const df_matcher *matcher) {
    return matcher->regex->context_free || matcher->litset.count > 0;
}

static size_t next_char(const char *s, size_t len, size_t pos) {
    do
        pos++;
    while (pos < len && ((unsigned char)s[pos] & 0xC0) == 0x80);
    return pos;
}

df_status df_matcher_find(df_matcher *m, const char *subject, size_t len, size_t start,
                          const size_t **ovector, df_error *err) {
    PCRE2_SPTR s = (PCRE2_SPTR)(subject != NULL ? subject : "");
    int rc = m->regex->jit
                 ? pcre2_jit_match(m->regex->code, s, len, start, 0, m->match_data, m->context)
                 : pcre2_match(m->regex->code, s, len, start, PCRE2_NO_UTF_CHECK, m->match_data,
                               m->context);
    if (rc == PCRE2_ERROR_NOMATCH)
        return DF_NOMATCH;
    if (rc < 0)
        return df_pcre2_match_fail(err, rc, start, &m->limits, NULL);
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(m->match_data);
    if (ov[0] > ov[1])
        return df_fail(err, DF_EMATCH, ov[1], 0,
                       "match ends before it starts (\\K in an assertion)");
    *ovector = ov;
    return DF_OK;
}

df_status df_matcher_next(df_matcher *m, const char *subject, size_t len, df_cursor *cursor,
                          const size_t **ovector, df_error *err) {
    if (m == NULL || cursor == NULL || ovector == NULL || (subject == NULL && len > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    /* PCRE2 skips its UTF checks here: starting inside a character is
     * undefined behaviour, so refuse it. */
    if (cursor->pos < len && ((unsigned char)subject[cursor->pos] & 0xC0) == 0x80)
        return df_fail(err, DF_EARG, cursor->pos, 0,
                       "offset %zu is inside a UTF-8 character", cursor->pos);
    while (cursor->pos <= len) {
        const size_t *ov;
        df_status status = df_matcher_find(m, subject, len, cursor->pos, &ov, err);
        if (status == DF_NOMATCH)
            break;
        if (status != DF_OK)
            return status;
        /* As Lua 5.4's gmatch: no empty match right after the previous match;
         * step over one character instead and look again. */
        if (ov[0] == ov[1] && ov[1] == cursor->last) {
            if (cursor->pos >= len)
                break;
            cursor->pos = next_char(subject, len, cursor->pos);
            continue;
        }
        cursor->pos = cursor->last = ov[1];
        *ovector = ov;
        return DF_OK;
    }
    cursor->pos = len + 1;
    return DF_NOMATCH;
}


/* The DFA matcher's workspace: PCRE2's suggested 1000 ints to begin with,
 * doubled while it runs short, up to 4 MiB. */
#define DFA_WORKSPACE_START 1000u
#define DFA_WORKSPACE_MAX (1024u * 1024u)
/* Matches kept at first; doubled while more matches start at one place. */
#define DFA_PAIRS_START 16u

static df_status dfa_grow_pairs(df_matcher *m, uint32_t pairs, df_error *err) {
    pcre2_match_data *data = pcre2_match_data_create(pairs, NULL);
    if (data == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for DFA matches");
    pcre2_match_data_free(m->dfa_data);
    m->dfa_data = data;
    return DF_OK;
}

static df_status dfa_grow_workspace(df_matcher *m, size_t size, df_error *err) {
    int *workspace = realloc(m->dfa_workspace, size * sizeof *workspace);
    if (workspace == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for the DFA workspace");
    m->dfa_workspace = workspace;
    m->dfa_workspace_size = size;
    return DF_OK;
}

df_status df_matcher_dfa(df_matcher *m, const char *subject, size_t len, size_t start,
                         const size_t **ovector, size_t *count, df_error *err) {
    if (m == NULL || ovector == NULL || count == NULL || (subject == NULL && len > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (start > len)
        return DF_NOMATCH;
    if (start < len && ((unsigned char)subject[start] & 0xC0) == 0x80)
        return df_fail(err, DF_EARG, start, 0,
                       "offset %zu is inside a UTF-8 character", start);
    df_status status;
    if (m->dfa_code == NULL && (status = df_regex_compile_dfa(m->regex, &m->dfa_code, err)) != DF_OK)
        return status;
    if (m->dfa_data == NULL && (status = dfa_grow_pairs(m, DFA_PAIRS_START, err)) != DF_OK)
        return status;
    if (m->dfa_workspace == NULL &&
        (status = dfa_grow_workspace(m, DFA_WORKSPACE_START, err)) != DF_OK)
        return status;
    PCRE2_SPTR s = (PCRE2_SPTR)(subject != NULL ? subject : "");
    for (;;) {
        int rc = pcre2_dfa_match(m->dfa_code, s, len, start, PCRE2_NO_UTF_CHECK,
                                 m->dfa_data, m->context, m->dfa_workspace,
                                 m->dfa_workspace_size);
        uint32_t pairs = pcre2_get_ovector_count(m->dfa_data);
        if (rc == 0 && pairs <= len - start + 1 && pairs <= UINT32_MAX / 2) {
            /* more matches than pairs; there are no more than one per end */
            if ((status = dfa_grow_pairs(m, 2 * pairs, err)) != DF_OK)
                return status;
            continue;
        }
        if (rc == PCRE2_ERROR_DFA_WSSIZE && m->dfa_workspace_size < DFA_WORKSPACE_MAX) {
            if ((status = dfa_grow_workspace(m, 2 * m->dfa_workspace_size, err)) != DF_OK)
                return status;
            continue;
        }
        if (rc == PCRE2_ERROR_NOMATCH)
            return DF_NOMATCH;
        if (rc == PCRE2_ERROR_DFA_UITEM || rc == PCRE2_ERROR_DFA_UCOND) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(rc, message, sizeof message);
            return df_fail(err, DF_EMATCH, start, 0,
                           "the DFA matcher cannot run this pattern: %s", (const char *)message);
        }
        if (rc <= 0)  /* a limit, or 0 from a vector that cannot grow */
            return df_pcre2_match_fail(err, rc == 0 ? PCRE2_ERROR_NOMEMORY : rc, start, &m->limits,
                                       NULL);
        *ovector = pcre2_get_ovector_pointer(m->dfa_data);
        *count = (size_t)rc;
        return DF_OK;
    }
}
