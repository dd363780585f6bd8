/* Shared by the core's translation units; not installed. */
#ifndef DF_INTERNAL_H
#define DF_INTERNAL_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string.h>

#include "drivefacts.h"

#if defined(__GNUC__)
#define DF_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DF_PRINTF(fmt, args)
#endif

/* ASCII whitespace: what trimming removes around facts, names and rules. */
static inline int df_is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* One meaningful line of a data file, without its line break; offset is the
 * line's byte offset in the data, line_no its 1-based number. */
typedef df_status (*df_line_fn)(void *ctx, const char *line, size_t len, size_t line_no,
                                size_t offset);

/* The line reading shared by the gazetteer and the tag rules: check UTF-8
 * (an error names `name`, the line and the byte), skip a BOM, and call fn
 * for every line that is neither blank nor a '#' comment, stopping at the
 * first status that is not DF_OK. */
df_status df_each_data_line(const char *data, size_t len, const char *name, df_line_fn fn,
                            void *ctx, df_error *err);

/* Fill *err (when not NULL) and return `code`, so that error paths read
 * `return df_fail(err, DF_EIO, 0, 0, "...", ...);`. */
df_status df_fail(df_error *err, df_status code, size_t offset, size_t line,
                  const char *fmt, ...) DF_PRINTF(5, 6);

/* Prefix err's message (when err is not NULL) with the fact it is about,
 * "source:line: fact id: ", set err->line, and return status: the one form
 * of an error inside a fact. */
df_status df_fail_in_fact(df_error *err, df_status status, const char *source, size_t line,
                          size_t id);

/* The JIT's machine stack plays the part of the depth limit under JIT. */
#define DF_JIT_STACK_START (32u * 1024u)
#define DF_JIT_STACK_MAX (8u * 1024u * 1024u)

/* The one mapping of PCRE2's error codes to a df_status and a message:
 * a compile error is PCRE2's text "at offset N" (DF_EPATTERN); a match
 * error names the limit it hit, with the value from `limits` (NULL:
 * PCRE2's defaults).  `doing` (NULL: none) prefixes the message. */
df_status df_pcre2_compile_fail(df_error *err, int rc, size_t offset, const char *doing);
df_status df_pcre2_match_fail(df_error *err, int rc, size_t offset, const df_limits *limits,
                              const char *doing);

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

/* The facts df_split_facts found: offsets into the buffer it split. */
typedef struct df_split {
    df_fact_entry *facts;    /* grown as needed; the caller frees it */
    size_t count, capacity;
    size_t bytes;            /* sum of fact lengths */
    size_t text_len;         /* bytes of the buffer now holding facts and NULs */
} df_split;

/* Split buf[start..len) (valid UTF-8) into facts in place: each fact is
 * trimmed, CRLF becomes LF, and a NUL follows it; lines are numbered from
 * buf's first.  buf must have room for len + 1 bytes.  split->facts and
 * capacity are reused and may be grown, also on failure (DF_ENOMEM). */
df_status df_split_facts(char *buf, size_t start, size_t len, df_format format,
                         df_split *split, df_error *err);

/* The length of the longest prefix of buf[0..len) that ends where a fact
 * must end whatever follows (after a line break, a blank line, a '%' line),
 * so that it splits alone as it would within the whole input; 0 if none. */
size_t df_split_complete(const char *buf, size_t len, df_format format);

/* df_count_file's piece size: large enough that per-piece work is lost in
 * the noise, small enough to stay in the L2 cache. */
#define DF_COUNT_FILE_PIECE ((size_t)1 << 18)

/* df_count_file reading piece_bytes at a time (the tests use tiny pieces). */
df_status df_count_file_in_pieces(const char *path, const df_load_options *opts,
                                  df_matcher *matcher, unsigned flags, size_t piece_bytes,
                                  size_t *facts, size_t *matches, df_error *err);

/* The fact that the line holding byte `at` of buf[lo..end) belongs to, as
 * df_split_facts would cut it from input whose bytes are its facts' own (no
 * CRLF inside a multi-line fact): no fact may be open at lo (a piece's
 * start, or a value this returned), and end is where a fact must end.  The
 * fact's text is buf[*fact_start..*fact_end), empty when the line is in
 * none; returns where the next fact may start, after `at`. */
size_t df_fact_around(const char *buf, size_t lo, size_t end, size_t at, df_format format,
                      size_t *fact_start, size_t *fact_end);

/* 3 when s[0..len) starts with a UTF-8 byte order mark, else 0. */
static inline size_t df_bom_length(const char *s, size_t len) {
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

struct df_corpus {
    char *text;              /* owned: facts, each followed by a NUL */
    size_t text_len;
    df_fact_entry *facts;    /* owned */
    size_t count;
    size_t bytes;            /* sum of fact lengths */
    char *name;              /* owned */
};

/* Facts back to back in one buffer, each followed by a NUL, padding after
 * the last: what the searcher walks.  A corpus is one; so is a piece of a
 * file df_count_file has split. */
typedef struct df_fact_table {
    const char *text;
    size_t text_len;
    const df_fact_entry *facts;
    size_t count;
    const char *name;        /* the source, for messages */
} df_fact_table;

static inline df_fact_table df_corpus_table(const df_corpus *corpus) {
    return (df_fact_table){corpus->text, corpus->text_len, corpus->facts, corpus->count,
                           corpus->name};
}

/* The one search loop (search.c): every match in the facts ids[0..count)
 * of `table` (1-based, in that order, a repeated id searched again), or in
 * all of them when ids is NULL.  Allocates nothing. */
df_status df_search_table(const df_fact_table *table, const uint32_t *ids, size_t count,
                          df_matcher *matcher, unsigned flags, df_match_fn fn, void *userdata,
                          df_error *err);

/* A df_match_fn that counts facts and matches into a df_counts; set
 * last_visit to SIZE_MAX before each search. */
typedef struct df_counts {
    size_t facts, matches;
    size_t last_visit;       /* visit of the latest match */
} df_counts;
int df_count_match(const df_match *match, void *userdata);

/* A few strings of which every match holds one (litscan.c): the OR of the
 * required-literal query (literals.c), ASCII-lowercased. */
#define DF_LITSET_MAX 8

typedef struct df_literal {
    unsigned char bytes[64];
    size_t len;              /* 3..64 */
} df_literal;

typedef struct df_litset {
    df_literal lit[DF_LITSET_MAX];
    size_t count;            /* 0: no such set */
    size_t reach;            /* the longest string's length - 1 */
    int avx2;                /* the CPU has AVX2 (litscan.c uses it) */
    /* For each of the strings' first 3 bytes, by low and by high nibble of
     * a byte: the strings (one bit each) that allow it (litscan.c). */
    unsigned char teddy[3][2][16];
} df_litset;

struct df_litquery;

/* The set for `query` (NULL: none), when it has 2..DF_LITSET_MAX strings of
 * which every match must hold one; else count is 0. */
void df_litset_init(df_litset *set, const struct df_litquery *query);

/* Where the first of the strings starts in text[from..len), ASCII letters
 * compared caselessly; len when none does. */
size_t df_litset_find(const df_litset *set, const char *text, size_t len, size_t from);

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
    char *pattern;           /* owned: the pattern as given, NUL-terminated */
    size_t pattern_len;
};

/* The strings of which every match of the matcher's regex holds one (count
 * 0: none), and whether a scan of many facts at once can find candidates
 * (the regex is context-free or has such strings). */
const df_litset *df_matcher_litset(const df_matcher *matcher);
int df_matcher_scans_text(const df_matcher *matcher);

/* One pcre2_match (or pcre2_jit_match) from `start`, no iteration rules:
 * DF_OK with *ovector set, DF_NOMATCH, or an error. */
df_status df_matcher_find(df_matcher *matcher, const char *subject, size_t len,
                          size_t start, const size_t **ovector, df_error *err);

/* The scan that finds candidates in many facts at once (search.c): the
 * first byte of text[from..len) where a match may start, by the regex's set
 * of required strings when it has one (*match_end is then SIZE_MAX), else
 * by a PCRE2 match over the whole text (*match_end is that match's end).
 * DF_NOMATCH when there is none; a limit's error as df_matcher_find's.
 * Sound only for a context-free regex or one with such a set. */
df_status df_next_candidate(df_matcher *matcher, const char *text, size_t len, size_t from,
                            size_t *at, size_t *match_end, df_error *err);

/* ------------------------------------------------------------ index support
 * Shared by arena.c, hashmap.c, gazetteer.c, entmatch.c, tags.c, index.c and
 * dupes.c. */

/* Make room for `need` elements of `size` bytes in *array (capacity in
 * elements), at least doubling.  Returns 0, or -1 with the array unchanged
 * when memory (or size_t) runs out. */
int df_grow(void **array, size_t *capacity, size_t need, size_t size);

/* A string arena: copies live until df_arena_free; no per-string free. */
typedef struct df_arena_block df_arena_block;
typedef struct df_arena {
    df_arena_block *head;
    size_t bytes;            /* allocated, for memory accounting */
} df_arena;

/* A NUL-terminated copy of s[0..len) in the arena; NULL when out of memory. */
char *df_arena_strndup(df_arena *arena, const char *s, size_t len);
void df_arena_free(df_arena *arena);

/* 64-bit hashing: FNV-1a over bytes, then a finaliser that spreads bits. */
#define DF_HASH_SEED 0xcbf29ce484222325u
uint64_t df_hash_bytes(uint64_t h, const void *data, size_t len);
uint64_t df_hash_mix(uint64_t h);

/* Open addressing from 64-bit hashes to uint32 values.  Several values may
 * share a hash: df_hmap_get takes an equality test on the value (NULL: the
 * hash alone decides).  Zero-initialise to start; no removal. */
typedef struct df_hmap {
    uint64_t *keys;          /* 0 marks an empty slot (hash 0 is stored as 1) */
    uint32_t *values;
    size_t capacity;         /* a power of two, or 0 */
    size_t count;
} df_hmap;

typedef int (*df_hmap_eq)(const void *ctx, uint32_t value);
uint32_t *df_hmap_get(const df_hmap *map, uint64_t hash, df_hmap_eq eq, const void *ctx);
/* Insert (hash, value), keeping other entries with the same hash.  -1 when
 * out of memory. */
int df_hmap_put(df_hmap *map, uint64_t hash, uint32_t value);
/* Drop every entry, keeping the memory. */
void df_hmap_clear(df_hmap *map);
size_t df_hmap_memory(const df_hmap *map);
void df_hmap_free(df_hmap *map);

/* The gazetteer's tables.  Every name and alias of an entity is an alias
 * record (the canonical name too, with is_name set); strings live in the
 * arena, NUL-terminated, spaces normalised, without quotes. */
typedef struct df_alias {
    const char *text;
    size_t len;
    uint32_t entity;
    uint8_t exact_case;      /* match with exact case only */
    uint8_t is_name;         /* the entity's canonical name */
} df_alias;

typedef struct df_gz_entity {
    const char *name;
    size_t len;
    df_entity_kind kind;
} df_gz_entity;

struct df_gazetteer {
    df_arena arena;
    df_gz_entity *entities;
    size_t count, capacity;
    df_alias *aliases;
    size_t alias_count, alias_capacity;
    df_hmap by_name;         /* (kind, name) -> entity */
    df_hmap alias_set;       /* (entity, case, text) -> alias */
};

/* The entity matcher: all aliases compiled into PCRE2 alternations
 * (entmatch.c).  Immutable once made; scanners are per thread. */
typedef struct df_entmatch df_entmatch;
typedef struct df_entscan df_entscan;

/* Compile aliases[0..count) (borrowed: they must outlive the matcher).
 * Marks report alias numbers. */
df_status df_entmatch_new(const df_alias *aliases, size_t count, df_entmatch **out,
                          df_error *err);
void df_entmatch_free(df_entmatch *matcher);
size_t df_entmatch_memory(const df_entmatch *matcher);
/* Which alias spans all of s[0..len) (whitespace around ignored), caselessly;
 * DF_NOMATCH when none. */
df_status df_entmatch_lookup(const df_entmatch *matcher, const char *s, size_t len,
                             uint32_t *alias, df_error *err);

df_status df_entscan_new(const df_entmatch *matcher, df_entscan **out, df_error *err);
void df_entscan_free(df_entscan *scan);
/* Start scanning text[0..len) (valid UTF-8, not checked again). */
void df_entscan_reset(df_entscan *scan, const char *text, size_t len);
/* The next mention, leftmost-longest: DF_OK with [*start, *end) and the
 * alias, DF_NOMATCH at the end, or a match error. */
df_status df_entscan_next(df_entscan *scan, size_t *start, size_t *end, uint32_t *alias,
                          df_error *err);

/* Tag rules (tags.c), read by the index builder. */
typedef enum df_rule_type {
    DF_RULE_REGEX,
    DF_RULE_KINDS,
    DF_RULE_ENTITIES
} df_rule_type;

typedef struct df_tag_rule {
    uint32_t tag;
    df_rule_type type;
    df_regex *regex;         /* DF_RULE_REGEX: owned */
    unsigned kinds;          /* DF_RULE_KINDS: 1u << kind for each kind */
    size_t first_name;       /* names[first_name..+name_count): the entities of a */
                             /* DF_RULE_ENTITIES rule, those a DF_RULE_KINDS rule leaves out */
    size_t name_count;
    const char *source;      /* where the rule came from (arena), for messages */
    size_t line;             /* 0 when added through the API */
} df_tag_rule;

struct df_tag_rules {
    df_arena arena;
    const char **tags;       /* arena strings, in order of first use */
    size_t tag_count, tag_capacity;
    df_hmap tag_map;         /* name -> tag */
    df_tag_rule *rules;
    size_t count, capacity;
    const char **names;      /* entity names of DF_RULE_ENTITIES rules */
    size_t name_count, name_capacity;
};

/* The tag called name[0..len) in rules; UINT32_MAX when none. */
uint32_t df_tag_rules_find(const df_tag_rules *rules, const char *name, size_t len);

/* Is byte c part of a word for the index's purposes: ASCII letter, digit or
 * underscore, or any byte of a non-ASCII character? */
static inline int df_is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

/* Zeroed bytes kept after a corpus's text: PCRE2's JIT reads whole vectors
 * and may read past the end of its subject (harmlessly, within the page);
 * with the padding those reads stay inside the allocation, and memcheck is
 * quiet. */
#define DF_SCAN_PADDING 64

/* A buffer for len bytes of input, one spare byte (the splitter's NUL after
 * a last fact) and the scan padding; NULL when out of memory. */
char *df_alloc_input(size_t len);

/* Gazetteers and tag rules are lists of names and rules: 64 MiB is plenty. */
#define DF_MAX_DATA_FILE ((size_t)64 << 20)

/* Read all of the file at path (a regular file, a pipe, a device) into
 * *data, a buffer from df_alloc_input owned by the caller, and its length
 * into *len.  DF_EIO naming the file, DF_ETOOBIG past max_bytes. */
df_status df_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       df_error *err);

/* Decode the character at s[i] (i < len, valid UTF-8) into *cp; returns the
 * index after it. */
size_t df_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp);
/* The character that ends just before s[i] (i > 0, valid UTF-8). */
uint32_t df_utf8_before(const char *s, size_t i);
/* Letters, digits and underscore: ASCII exactly; beyond ASCII, everything
 * but the common punctuation, symbol and space blocks. */
int df_is_word_cp(uint32_t c);

/* Years and film references of one fact (filmrefs.c): mentions[0..count)
 * are the fact's entity mentions in text order and kinds[] the kind of each
 * entity.  Calls year() for each year (repeats possible) and film() for each
 * reference in text order; a non-zero return stops with DF_ENOMEM. */
typedef struct df_ref_sink {
    int (*year)(void *ctx, unsigned year);
    int (*film)(void *ctx, const df_film_ref *ref);
    void *ctx;
} df_ref_sink;
df_status df_scan_years_films(const char *text, size_t len, const df_mention *mentions,
                              size_t count, const df_entity_kind *kinds,
                              const df_ref_sink *sink);

/* ------------------------------------------------------------ prefilter
 * literals.c extracts from a pattern a boolean query over strings that any
 * match satisfies; prefilter.c answers it from a trigram index. */

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

#endif
