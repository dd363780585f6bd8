/* The pattern stage: a compiled regex, the literal query read from its
 * syntax, the literal set a matcher scans for, one PCRE2 match.  Not
 * installed. */
#ifndef DF_PATTERN_H
#define DF_PATTERN_H

#include "base.h"

/* --------------------------------------------------------------- syntax
 * pattern_syntax.c reads a pattern PCRE2 has compiled as tokens: the one
 * walk over PCRE2 syntax, shared by the context-free test and the literal
 * extraction.  Comments, \Q...\E and (?x) white space yield no token;
 * the reader applies inline options to what follows them. */

typedef enum df_syntax_kind {
    DF_TOK_END,            /* the pattern's end */
    DF_TOK_CHAR,           /* one literal character: chr[0..chr_len) */
    DF_TOK_ANY,            /* one of a set of characters: ., \d, \x{..}, ... */
    DF_TOK_CLASS,          /* [...]: class_ascii, class_other */
    DF_TOK_ANCHOR,         /* ^ $ \A \z \Z \G */
    DF_TOK_WORD_BOUNDARY,  /* \b \B */
    DF_TOK_RESET,          /* \K */
    DF_TOK_BACKREF,        /* \1, \k<n>, \g{n}, (?P=n) */
    DF_TOK_CALL,           /* (?R), (?1), (?&n), (?P>n), \g<n> */
    DF_TOK_OPEN,           /* a group: `group` says which */
    DF_TOK_CLOSE,
    DF_TOK_ALT,            /* | */
    DF_TOK_QUANT,          /* min, max, possessive */
    DF_TOK_OPTIONS,        /* (?i) and the like, applied by the reader */
    DF_TOK_VERB,           /* (*...): the reader stops */
    DF_TOK_UNKNOWN         /* not read: the reader stops, callers give up */
} df_syntax_kind;

typedef enum df_group_kind {
    DF_GROUP_CAPTURE,      /* (...), named or not */
    DF_GROUP_PLAIN,        /* (?:...), (?|...), (?i:...) */
    DF_GROUP_ATOMIC,       /* (?>...) */
    DF_GROUP_LOOKAHEAD,
    DF_GROUP_NOT_LOOKAHEAD,
    DF_GROUP_LOOKBEHIND,
    DF_GROUP_NOT_LOOKBEHIND
} df_group_kind;

#define DF_UNBOUNDED SIZE_MAX
#define DF_SYNTAX_MAX_DEPTH 250  /* PCRE2's default nest limit */

typedef struct df_token {
    df_syntax_kind kind;
    size_t start, end;             /* the bytes read for it */
    int caseless;                  /* under (?i) or DF_CASELESS */
    const unsigned char *chr;      /* CHAR: the character's UTF-8 bytes */
    size_t chr_len;
    df_group_kind group;           /* OPEN */
    size_t min, max;               /* QUANT: max DF_UNBOUNDED for none */
    int possessive;                /* QUANT */
    unsigned char class_ascii[16]; /* CLASS: the ASCII members, one bit each */
    int class_other;               /* CLASS: negated, or members beyond those */
} df_token;

typedef struct df_syntax {
    const unsigned char *p;
    size_t len, i;
    unsigned options;
    int quote, done, failed, lf_ends_comment;
    size_t depth;
    unsigned char saved[DF_SYNTAX_MAX_DEPTH];  /* options to restore at ')' */
} df_syntax;

/* A reader of pattern[0..len) compiled with `flags` (DF_LITERAL is the
 * caller's to handle: the reader reads PCRE2 syntax). */
void df_syntax_init(df_syntax *reader, const char *pattern, size_t len, unsigned flags);
/* The next token into *token; its kind. */
df_syntax_kind df_syntax_next(df_syntax *reader, df_token *token);

/* ------------------------------------------------------------ prefilter
 * pattern_literals.c extracts from a pattern a boolean query over strings that any
 * match satisfies; index_trigrams.c answers it from a trigram index. */

enum { DF_LQ_ALL = 0, DF_LQ_LIT, DF_LQ_AND, DF_LQ_OR };

/* LIT: bytes[a..a+n), ASCII-lowercased, at least 3 bytes; AND, OR: the
 * nodes kids[a..a+n). */
typedef struct df_lq_node {
    unsigned op;
    size_t a, n;
} df_lq_node;

typedef struct df_litquery {
    df_lq_node *nodes;
    size_t node_count;
    size_t *kids;
    size_t kid_count;
    unsigned char *bytes;
    size_t byte_count;
    size_t root;
} df_litquery;

/* The query of pattern[0..len) (already compiled by PCRE2 with `flags`, so
 * well-formed) into *out, NULL when it constrains nothing.  DF_ENOMEM is
 * the only failure. */
df_status df_litquery_extract(const char *pattern, size_t len, unsigned flags,
                              df_litquery **out);
void df_litquery_free(df_litquery *query);
/* The query as text (e.g. and("qx-", "-zz")), snprintf-style. */
size_t df_litquery_describe(const df_litquery *query, char *buf, size_t size);

/* A few strings of which every match holds one (search_litscan.c): the OR of the
 * required-literal query (pattern_literals.c), ASCII-lowercased, or, when
 * the pattern is nothing but an alternation of plain strings, those
 * strings, which then decide alone whether a text holds a match. */
#define DF_LITSET_MAX 8

typedef struct df_literal {
    unsigned char bytes[64];
    size_t len;              /* 3..64 */
} df_literal;

/* The strings of a pattern that is an alternation of 1..DF_LITSET_MAX plain
 * strings (pattern_literals.c), in the pattern's order, into lit; how many
 * (0: the pattern is not one).  Each of the pattern's matches is one of
 * them and each of them a match.  *caseless: they are ASCII-lowercased and
 * match with ASCII letters folded, which is exact only because the
 * strings are ASCII and a caseless k or s came with its non-ASCII partner
 * (U+212A KELVIN SIGN, U+017F LONG S: under UCP, the only characters
 * beyond ASCII that fold to ASCII ones) as a string of its own. */
size_t df_literal_alternation(const char *pattern, size_t len, unsigned flags,
                              df_literal lit[DF_LITSET_MAX], int *caseless);

typedef struct df_litset {
    df_literal lit[DF_LITSET_MAX];
    size_t count;            /* 0: no such set */
    size_t reach;            /* the longest string's length - 1 */
    int caseless;            /* ASCII letters compared caselessly */
    int decides;             /* the strings are the pattern's matches */
    int avx2;                /* the CPU has AVX2 (search_litscan.c uses it) */
    /* Offsets of each string's two rarest bytes, which the scan tests first. */
    unsigned char rare[DF_LITSET_MAX][2];
    /* For each of the strings' first 3 bytes, by low and by high nibble of
     * a byte: the strings (one bit each) that allow it (search_litscan.c). */
    unsigned char teddy[3][2][16];
} df_litset;

struct df_litquery;

/* The set for `query` (NULL: none), when it has 1..DF_LITSET_MAX strings of
 * which every match must hold one (2.. unless `single`); else count is 0.
 * A set of one string that does not decide serves a regex that is not
 * context-free: for one that is, PCRE2's own scan finds the matches
 * themselves, where the set's candidates would each need a second look
 * (`\bdrive\b` -iw, its string in every "driver": a count 40 -> 55 ms). */
void df_litset_init(df_litset *set, const struct df_litquery *query, int single);

/* The set of strings that decide a pattern (df_literal_alternation's). */
void df_litset_init_exact(df_litset *set, const df_literal *lit, size_t count, int caseless);

/* Where the first of the strings starts in text[from..len), ASCII letters
 * compared caselessly when the set is caseless; len when none does.
 * *match_end (may be NULL): when the set decides, where the match there
 * ends (the first string in the pattern's order that starts there, as
 * PCRE2 tries them); else, or when none, SIZE_MAX. */
size_t df_litset_find(const df_litset *set, const char *text, size_t len, size_t from,
                      size_t *match_end);

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
     * find candidate facts (see search_facts.c). */
    int context_free;
    char *pattern;           /* owned: the pattern as given, NUL-terminated */
    size_t pattern_len;
};

/* The strings of which every match of the matcher's regex holds one (count
 * 0: none), and whether a scan of many facts at once can find candidates
 * (the regex is context-free or has such strings). */
const df_litset *df_matcher_litset(const df_matcher *matcher);
int df_matcher_scans_text(const df_matcher *matcher);

/* The regex compiled again for PCRE2's DFA matcher, which refuses an option
 * of `regex->code`: *out is owned by the caller. */
df_status df_regex_compile_dfa(const df_regex *regex, pcre2_code **out, df_error *err);

/* One pcre2_match (or pcre2_jit_match) from `start`, no iteration rules:
 * DF_OK with *ovector set, DF_NOMATCH, or an error. */
df_status df_matcher_find(df_matcher *matcher, const char *subject, size_t len,
                          size_t start, const size_t **ovector, df_error *err);

#endif
