/* Shared by the core's translation units; not installed. */
#ifndef DF_INTERNAL_H
#define DF_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "drivefacts.h"

#if defined(__GNUC__)
#define DF_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DF_PRINTF(fmt, args)
#endif

/* Fill *err (when not NULL) and return `code`, so that error paths read
 * `return df_fail(err, DF_EIO, 0, 0, "...", ...);`. */
df_status df_fail(df_error *err, df_status code, size_t offset, size_t line,
                  const char *fmt, ...) DF_PRINTF(5, 6);

/* 1-based line of byte `offset` in s: one more than the newlines before it. */
size_t df_line_of(const char *s, size_t offset);

/* Where the first invalid UTF-8 sequence starts, or `len` when s is valid;
 * *reason (may be NULL) gets a short description of the fault. */
size_t df_utf8_find_invalid(const char *s, size_t len, const char **reason);

typedef struct df_fact_entry {
    size_t offset;  /* into the corpus text */
    size_t len;
    size_t line;
} df_fact_entry;

struct df_corpus {
    char *text;              /* owned: facts, each followed by a NUL */
    size_t text_len;
    df_fact_entry *facts;    /* owned */
    size_t count;
    size_t bytes;            /* sum of fact lengths */
    char *name;              /* owned */
};

struct df_regex {
    pcre2_code *code;        /* owned */
    unsigned flags;
    size_t group_count;
    size_t name_count;
    size_t name_entry_size;
    const unsigned char *name_table; /* borrowed from code */
    int jit;
    /* No anchors, lookarounds or verbs: whether a span matches does not
     * depend on the text around it, so a scan of the whole corpus buffer can
     * find candidate facts (see search.c). */
    int context_free;
};

/* One pcre2_match (or pcre2_jit_match) from `start`, no iteration rules:
 * DF_OK with *ovector set, DF_NOMATCH, or an error. */
df_status df_matcher_find(df_matcher *matcher, const char *subject, size_t len,
                          size_t start, const size_t **ovector, df_error *err);

#endif
