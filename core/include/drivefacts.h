/*
 * drivefacts — load a corpus of short facts and answer PCRE2 regex queries.
 *
 * The library has three parts that know little of each other:
 *   corpus   (df_corpus)  one immutable UTF-8 buffer split into facts;
 *   regex    (df_regex)   a compiled, immutable PCRE2 pattern;
 *   matcher  (df_matcher) per-thread scratch space to run one regex;
 * and df_search(), which walks a corpus with a matcher and calls back per match.
 *
 * Conventions
 * - Every fallible call returns a df_status and, when it fails and `err` is
 *   not NULL, fills *err.  On success *err is left untouched.
 * - Fact ids are 1-based, the same numbers the Lua API and the CLI show.
 * - Byte offsets are 0-based; spans are half-open [start, end).
 * - Ownership: an object returned through an `out` pointer belongs to the
 *   caller, who releases it with the matching *_free function (NULL is a
 *   no-op).  Pointers a getter returns are borrowed from the object they came
 *   from and stay valid until that object is freed.
 * - Thread safety: a df_corpus and a df_regex are immutable once made and may
 *   be shared by any number of threads.  A df_matcher is used by one thread
 *   at a time.  The library has no global mutable state.
 */
#ifndef DRIVEFACTS_H
#define DRIVEFACTS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exported from the shared library; everything else in it stays hidden. */
#if defined(DF_BUILDING_LIBRARY) && defined(__GNUC__)
#define DF_API __attribute__((visibility("default")))
#else
#define DF_API
#endif

#define DF_VERSION_MAJOR 1
#define DF_VERSION_MINOR 0
#define DF_VERSION_PATCH 0
#define DF_VERSION_STRING "1.0.0"

/* The version of the library linked at run time, e.g. "1.0.0". */
DF_API const char *df_version(void);

typedef enum df_status {
    DF_OK = 0,
    DF_NOMATCH,        /* not an error: df_matcher_next found nothing more */
    DF_ENOMEM,         /* an allocation failed */
    DF_EARG,           /* an argument is invalid (NULL, unknown flag, ...) */
    DF_EIO,            /* a file could not be opened or read */
    DF_ETOOBIG,        /* input larger than the configured maximum */
    DF_EUTF8,          /* input is not valid UTF-8; offset and line say where */
    DF_EPATTERN,       /* the pattern does not compile; offset is in the pattern */
    DF_EMATCHLIMIT,    /* a match exceeded the match limit */
    DF_EDEPTHLIMIT,    /* a match exceeded the depth (backtracking memory) limit */
    DF_ERANGE,         /* a fact id is out of range */
    DF_EMATCH          /* any other error PCRE2 reported while matching */
} df_status;

/* A short constant name for a status, e.g. "DF_EUTF8". */
DF_API const char *df_status_name(df_status status);

#define DF_ERROR_MESSAGE_SIZE 512

/* What went wrong and where.  Plain data: no ownership, safe to copy. */
typedef struct df_error {
    df_status code;
    size_t offset;  /* byte offset in the input or the pattern (0 if none) */
    size_t line;    /* 1-based line of the input, 0 when not about a file */
    char message[DF_ERROR_MESSAGE_SIZE]; /* one line, NUL-terminated */
} df_error;

/* ---------------------------------------------------------------- UTF-8 */

/* Check that s[0..len) is valid UTF-8 by PCRE2's rules (no overlong forms,
 * no surrogates, nothing above U+10FFFF, no truncated sequence).  On failure
 * returns DF_EUTF8 with err->offset at the first bad byte and err->line the
 * 1-based line that byte is on. */
DF_API df_status df_utf8_check(const char *s, size_t len, df_error *err);

/* ---------------------------------------------------------------- corpus */

typedef struct df_corpus df_corpus;

typedef enum df_format {
    DF_FORMAT_PARAGRAPHS = 0, /* facts separated by one or more blank lines */
    DF_FORMAT_LINES,          /* one fact per non-blank line */
    DF_FORMAT_FORTUNE         /* facts separated by lines holding only "%" */
} df_format;

/* 1 GiB: large enough for real fact files, small enough for a desktop. */
#define DF_DEFAULT_MAX_CORPUS_BYTES ((size_t)1 << 30)

typedef struct df_load_options {
    df_format format;   /* zero-initialised: paragraphs */
    size_t max_bytes;   /* 0: DF_DEFAULT_MAX_CORPUS_BYTES */
    const char *name;   /* names a buffer in error messages; NULL: "<buffer>" */
} df_load_options;

/* Loading validates UTF-8 once, skips a leading BOM, accepts CRLF (stored as
 * LF), splits into facts and trims ASCII whitespace around each.  Empty facts
 * are dropped.  `opts` may be NULL for the defaults.  On success *out is a
 * new corpus owned by the caller; on failure *out is set to NULL. */
DF_API df_status df_corpus_load_file(const char *path, const df_load_options *opts,
                              df_corpus **out, df_error *err);
/* Copies data[0..len): the caller keeps ownership of `data`. */
DF_API df_status df_corpus_load_buffer(const char *data, size_t len,
                                const df_load_options *opts,
                                df_corpus **out, df_error *err);
/* The corpus compiled into the library: Drive (2011), 122 facts. */
DF_API df_status df_corpus_load_embedded(df_corpus **out, df_error *err);
DF_API void df_corpus_free(df_corpus *corpus);

/* A fact as a view into its corpus; valid while the corpus lives. */
typedef struct df_fact {
    size_t id;          /* 1-based */
    const char *text;   /* UTF-8, followed by a NUL byte (text may hold NULs) */
    size_t len;         /* bytes of text */
    size_t line;        /* 1-based line of the source the fact starts on */
} df_fact;

DF_API size_t df_corpus_count(const df_corpus *corpus);
/* Total bytes of fact text held (after trimming and CRLF folding). */
DF_API size_t df_corpus_bytes(const df_corpus *corpus);
/* The name used in messages: the path, the buffer's name or "<embedded>". */
DF_API const char *df_corpus_name(const df_corpus *corpus);
/* DF_ERANGE unless 1 <= id <= df_corpus_count(corpus). */
DF_API df_status df_corpus_fact(const df_corpus *corpus, size_t id, df_fact *out,
                         df_error *err);

/* ---------------------------------------------------------------- regex */

typedef struct df_regex df_regex;

enum df_regex_flag {
    DF_CASELESS  = 1u << 0, /* "i" */
    DF_MULTILINE = 1u << 1, /* "m": ^ and $ match at line breaks */
    DF_DOTALL    = 1u << 2, /* "s": . matches a newline */
    DF_EXTENDED  = 1u << 3, /* "x": whitespace and # comments ignored */
    DF_LITERAL   = 1u << 4, /* "F": the pattern is a fixed string */
    DF_WORD      = 1u << 5  /* "w": match whole words only */
};

/* Parse a flag string such as "iw" into *flags.  DF_EARG names the first
 * unknown letter, with err->offset its position. */
DF_API df_status df_regex_parse_flags(const char *letters, unsigned *flags,
                               df_error *err);

/* Compile pattern[0..len) (UTF-8; always UTF + UCP).  JIT-compiled when the
 * platform supports it, interpreted otherwise.  A compile error is
 * DF_EPATTERN with PCRE2's message and err->offset into the pattern; invalid
 * UTF-8 in the pattern is DF_EUTF8.  *out is owned by the caller. */
DF_API df_status df_regex_compile(const char *pattern, size_t len, unsigned flags,
                           df_regex **out, df_error *err);
DF_API void df_regex_free(df_regex *regex);

DF_API unsigned df_regex_flags(const df_regex *regex);
/* Capture groups, not counting group 0. */
DF_API size_t df_regex_group_count(const df_regex *regex);
/* Named groups: df_regex_name(regex, i, &group) for i < df_regex_name_count
 * gives the i-th name (borrowed) and its group number. */
DF_API size_t df_regex_name_count(const df_regex *regex);
DF_API const char *df_regex_name(const df_regex *regex, size_t i, size_t *group);
/* 1 when the regex runs JIT-compiled code, 0 when interpreted. */
DF_API int df_regex_is_jit(const df_regex *regex);

/* ---------------------------------------------------------------- matcher */

/* Limits that turn a runaway (catastrophic backtracking) match into an
 * error.  A zero field means the default. */
typedef struct df_limits {
    uint32_t match_limit;  /* calls of PCRE2's internal match() per attempt */
    uint32_t depth_limit;  /* nested backtracking depth (interpreter) */
} df_limits;

#define DF_DEFAULT_MATCH_LIMIT 10000000u
#define DF_DEFAULT_DEPTH_LIMIT 1000000u

typedef struct df_matcher df_matcher;

/* Scratch space (match data, limits, JIT stack) to run `regex`.  The regex
 * must outlive the matcher.  `limits` may be NULL.  One thread at a time. */
DF_API df_status df_matcher_new(const df_regex *regex, const df_limits *limits,
                         df_matcher **out, df_error *err);
DF_API void df_matcher_free(df_matcher *matcher);
DF_API const df_regex *df_matcher_regex(const df_matcher *matcher);

/* DF_UNSET marks a capture group that did not take part in the match. */
#define DF_UNSET SIZE_MAX

/* Position of an iteration over one subject; start it with
 * df_cursor_init(&cursor, first_byte). */
typedef struct df_cursor {
    size_t pos;   /* where the next search starts */
    size_t last;  /* end of the previous match, DF_UNSET before the first */
} df_cursor;

static inline void df_cursor_init(df_cursor *cursor, size_t start) {
    cursor->pos = start;
    cursor->last = DF_UNSET;
}

/* Find the next match in subject[0..len) and advance the cursor past it.
 * Matches are iterated as Lua 5.4's string.gmatch does: an empty match
 * directly after the previous match is skipped, and stepping past an empty
 * match moves one UTF-8 character.  The subject must be valid UTF-8 (see
 * df_utf8_check); it is not checked again.  Returns DF_OK and sets *ovector
 * to 2 * (group count + 1) offsets (pairs, DF_UNSET when a group is unset),
 * borrowed from the matcher until its next call; DF_NOMATCH when no match
 * remains; or an error (DF_EMATCHLIMIT, DF_EDEPTHLIMIT, DF_EMATCH). */
DF_API df_status df_matcher_next(df_matcher *matcher, const char *subject, size_t len,
                          df_cursor *cursor, const size_t **ovector,
                          df_error *err);

/* ---------------------------------------------------------------- search */

/* One match inside a fact, handed to a df_match_fn; valid during the call. */
typedef struct df_match {
    size_t fact_id;          /* 1-based */
    const char *text;        /* the fact's text */
    size_t len;              /* bytes of text */
    size_t group_count;      /* groups including group 0 */
    const size_t *ovector;   /* 2 * group_count offsets into text */
} df_match;

/* Return 0 to go on, non-zero to stop the search (df_search then returns
 * DF_OK). */
typedef int (*df_match_fn)(const df_match *match, void *userdata);

enum df_search_flag {
    DF_SEARCH_FIRST_PER_FACT = 1u << 0  /* report at most one match per fact */
};

/* Call `fn` for every match of the matcher's regex in every fact, in fact id
 * order.  Stops early when `fn` returns non-zero. */
DF_API df_status df_search(const df_corpus *corpus, df_matcher *matcher,
                    unsigned flags, df_match_fn fn, void *userdata,
                    df_error *err);

/* Count without a callback: *facts gets the number of facts with at least
 * one match, *matches (may be NULL) the number of matches; with
 * DF_SEARCH_FIRST_PER_FACT both are the number of matching facts. */
DF_API df_status df_count(const df_corpus *corpus, df_matcher *matcher,
                   unsigned flags, size_t *facts, size_t *matches,
                   df_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DRIVEFACTS_H */
