/* The index stage: the arena and hash map the tables live in, the gazetteer,
 * the tag rules, entity matching, years and films.  Not installed. */
#ifndef DF_INDEX_H
#define DF_INDEX_H

#include "base.h"

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
    uint32_t kind;           /* into the gazetteer's kinds */
} df_gz_entity;

/* Whether s[0..len) is a kind name: 1 to DF_MAX_KIND_NAME of A-Z a-z 0-9
 * '-' '_' (tag names follow the same rule). */
int df_valid_kind(const char *s, size_t len);

struct df_gazetteer {
    df_arena arena;
    const char **kinds;      /* arena strings, in order of first use */
    size_t kind_count, kind_capacity;
    df_gz_entity *entities;
    size_t count, capacity;
    df_alias *aliases;
    size_t alias_count, alias_capacity;
    df_hmap by_name;         /* (kind, name) -> entity */
    df_hmap alias_set;       /* (entity, case, text) -> alias */
};

/* The entity matcher: all aliases compiled into PCRE2 alternations
 * (index_entities.c).  Immutable once made; scanners are per thread. */
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

/* Tag rules (index_tagrules.c), read by the index builder. */
typedef enum df_rule_type {
    DF_RULE_REGEX,
    DF_RULE_KINDS,
    DF_RULE_ENTITIES
} df_rule_type;

typedef struct df_tag_rule {
    uint32_t tag;
    df_rule_type type;
    df_regex *regex;         /* DF_RULE_REGEX: owned */
    size_t first_kind;       /* names[first_kind..+kind_count): the kinds of a */
    size_t kind_count;       /* DF_RULE_KINDS rule */
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
    const char **names;      /* kinds and entity names the rules name */
    size_t name_count, name_capacity;
};

/* The tag called name[0..len) in rules; UINT32_MAX when none. */
uint32_t df_tag_rules_find(const df_tag_rules *rules, const char *name, size_t len);

/* Years and film references of one fact (index_filmrefs.c): mentions[0..count)
 * are the fact's entity mentions in text order and is_film[] says of each
 * entity whether it is of the kind "film".  Calls year() for each year (repeats possible) and film() for each
 * reference in text order; a non-zero return stops with DF_ENOMEM. */
typedef struct df_ref_sink {
    int (*year)(void *ctx, unsigned year);
    int (*film)(void *ctx, const df_film_ref *ref);
    void *ctx;
} df_ref_sink;
df_status df_scan_years_films(const char *text, size_t len, const df_mention *mentions,
                              size_t count, const unsigned char *is_film,
                              const df_ref_sink *sink);

/* The multi-pattern scan (index_multiscan.c): the aliases and the tag
 * regexes in Vectorscan databases, exact on ASCII facts, where Vectorscan's
 * bytes and PCRE2's UTF-8 with Unicode properties agree.  Scanners are per
 * thread. */
enum {
    DF_FACT_ASCII = 1,       /* every byte below 0x80 */
    DF_FACT_FLAT = 2,        /* and no whitespace but single spaces */
    DF_FACT_SCREENED = 4,    /* not ASCII, the literal rules screened it (index build) */
    DF_FACT_LATIN = 8        /* not ASCII, but beyond it only Latin-1 letters with a
                                case pair (the alias scan stands for PCRE2 there too) */
};
unsigned df_fact_class(const char *text, size_t len);
/* Whether UTF-8 text[0..len) holds a character PCRE2 folds caselessly to
 * an ASCII letter (the long s, the Kelvin sign). */
int df_has_ascii_fold(const char *text, size_t len);

typedef struct df_aliasscan df_aliasscan;
struct df_fact_entry;            /* corpus.h */
typedef struct df_rulescan df_rulescan;
/* Called per mention; non-zero stops with DF_ENOMEM. */
typedef int (*df_alias_fn)(void *ctx, size_t start, size_t end, uint32_t alias);
typedef void (*df_rule_fn)(void *ctx, uint32_t rule);
/* A rule matched by fact number `fact` of those scanned together. */
typedef void (*df_fact_rule_fn)(void *ctx, size_t fact, uint32_t rule);
/* What a scan of facts reports to. */
typedef struct df_scan_sinks {
    df_alias_fn mention;
    void *mention_ctx;
    df_fact_rule_fn rule;    /* the rules of an attached df_rulescan */
    void *rule_ctx;
} df_scan_sinks;
/* The aliases an ASCII fact can hold, of aliases[0..count) (borrowed).  With
 * `rules` (borrowed, outliving the scan) its literal rules join the same
 * database, so that one scan of a flat fact finds both. */
df_status df_aliasscan_new(const df_alias *aliases, size_t count, df_rulescan *rules,
                           df_aliasscan **out, df_error *err);
void df_aliasscan_free(df_aliasscan *scan);
/* Whether the scan stands for every alias (else PCRE2 must match them). */
int df_aliasscan_usable(const df_aliasscan *scan);
/* Whether it does in DF_FACT_LATIN facts too. */
int df_aliasscan_latin(const df_aliasscan *scan);
/* The mentions of text[0..len) (of df_fact_class fact_class: ASCII, or
 * Latin when df_aliasscan_latin) in order, chosen as df_entscan_next
 * chooses them; and, when the fact is ASCII and DF_FACT_FLAT and rules are
 * attached, each literal rule it matches, once, as fact number 0 (the
 * others are for df_rulescan_fact). */
df_status df_aliasscan_fact(df_aliasscan *scan, const char *text, size_t len, unsigned fact_class,
                            const df_scan_sinks *sinks, df_error *err);
/* The same for facts[0..count) (borrowed until the next scan) of the corpus
 * text `text` in one Vectorscan call, which costs about as much as a short
 * fact's scan: each fact ASCII and DF_FACT_FLAT, and right after the one
 * before it with one NUL between them (which no alias or rule literal can
 * match across, and which is no word byte, as a fact's edge is not).  The
 * rules go to sinks->rule with the number of their fact; the mentions of
 * fact k are had with df_aliasscan_take, for k ascending. */
df_status df_aliasscan_run(df_aliasscan *scan, const char *text,
                           const struct df_fact_entry *facts, size_t count,
                           const df_scan_sinks *sinks, df_error *err);
/* The mentions of fact k of the last df_aliasscan_run, as df_aliasscan_fact
 * gives them: in order, offsets in the fact. */
df_status df_aliasscan_take(df_aliasscan *scan, size_t k, df_alias_fn fn, void *ctx,
                            df_error *err);

/* A tag regex as the literals it is the union of (index_rulelits.c): a
 * match of the regex is a match of one literal whose checks hold around
 * it, on ASCII text. */
enum {
    DF_LIT_NONWORD_BEFORE = 1,  /* no word character just before */
    DF_LIT_WORD_BEFORE = 2,     /* a word character just before */
    DF_LIT_DIGITS_BEFORE = 4,   /* a digit just before; the checks before are
                                   then made before the run of digits */
    DF_LIT_NONWORD_AFTER = 8,
    DF_LIT_WORD_AFTER = 16
};
typedef struct df_rule_literal {
    uint32_t rule;
    uint32_t offset, len;       /* text[offset..+len) of the set */
    unsigned caseless;
    unsigned checks;            /* DF_LIT_* */
} df_rule_literal;
typedef struct df_literal_set {
    char *text;
    size_t text_len, text_capacity;
    df_rule_literal *items;
    size_t count, capacity;
} df_literal_set;
/* Append the literals ASCII regex pattern[0..len) stands for (caseless:
 * as DF_CASELESS) as rule `rule`: 1 done, 0 when it is not a union of
 * literals (the set unchanged), -1 out of memory. */
int df_literal_set_add(df_literal_set *set, const char *pattern, size_t len, int caseless,
                       uint32_t rule);
void df_literal_set_free(df_literal_set *set);

/* The regex rules of `rules` Vectorscan compiles (the others are left to
 * PCRE2); rules must outlive the scanner. */
df_status df_rulescan_new(const df_tag_rules *rules, df_rulescan **out, df_error *err);
void df_rulescan_free(df_rulescan *scan);
/* Whether rule number `rule` is decided by the scanner on ASCII facts. */
int df_rulescan_decides(const df_rulescan *scan, size_t rule);
/* How many rules the scanner decides as literals (index_rulelits.c). */
size_t df_rulescan_literal_rules(const df_rulescan *scan);
/* Calls fn for each decided rule ASCII text[0..len) matches, once each;
 * the literal rules only when `literals` (else an alias scan has them). */
df_status df_rulescan_fact(df_rulescan *scan, const char *text, size_t len, int literals,
                           df_rule_fn fn, void *ctx, df_error *err);
/* A new fact for the once-per-fact count (the alias scans call it at each
 * fact whose rule literals they count). */
void df_rulescan_begin_fact(df_rulescan *scan);
/* Whether rule number `rule` is decided as literals. */
int df_rulescan_literal(const df_rulescan *scan, size_t rule);
/* The literal rules on UTF-8 text[0..len) beyond ASCII without a character
 * df_has_ascii_fold finds: sure() once for each rule that matches, unsure()
 * for each rule with a hit whose checks look at a character beyond ASCII
 * (PCRE2 must decide those); a rule with neither does not match. */
df_status df_rulescan_screen(df_rulescan *scan, const char *text, size_t len, df_rule_fn sure,
                             df_rule_fn unsure, void *ctx, df_error *err);

/* When the build uses the multi-pattern scan: for aliases from a corpus of
 * alias_scan_from bytes on, for the tag rules from rule_scan_from bytes on
 * (compiling the rule database costs about what PCRE2 spends on a few MB).
 * df_index_build uses df_index_default_plan; the tests force each path. */
typedef struct df_index_plan {
    size_t alias_scan_from, rule_scan_from;
} df_index_plan;
extern const df_index_plan df_index_default_plan;
df_status df_index_build_planned(const df_corpus *corpus, const df_gazetteer *gazetteer,
                                 const df_tag_rules *rules, const df_index_plan *plan,
                                 df_index **out, df_error *err);

#endif
