/*
 * drivefacts — load a corpus of short facts and answer PCRE2 regex queries.
 *
 * The library is a pipeline of four stages; this header follows it, one
 * section per stage, and so does core/src (base_, corpus_, index_,
 * pattern_, search_ files):
 *
 *   1. input    df_corpus      one immutable UTF-8 buffer split into facts
 *   2. index    df_gazetteer   entities with aliases (mutable, then built in)
 *               df_tag_rules   rules that tag facts (mutable, then built in)
 *               df_profile     compiled-in knowledge: entities, rules, report
 *               df_index       who and what each fact mentions, its tags,
 *                              years and film references (immutable)
 *               df_duplicate   near-duplicate pairs of facts
 *               df_prefilter   trigrams -> facts, to skip facts that cannot
 *                              match (immutable)
 *   3. pattern  df_regex       a compiled, immutable PCRE2 pattern
 *               df_matcher     per-thread scratch space to run one regex
 *   4. search   df_search      walks a set of facts with a matcher and calls
 *                              back per match; df_count, df_count_file count
 *
 * Conventions
 * - Every fallible call returns a df_status and, when it fails and `err` is
 *   not NULL, fills *err.  On success *err is left untouched.  Messages say
 *   what and where (file, line, byte, fact, pattern offset), never which
 *   function: the caller knows that.
 * - Fact ids are df_fact_id (uint32_t), 1-based, the same numbers the Lua
 *   API and the CLI show; a corpus holds at most DF_MAX_FACTS facts.  Every
 *   id the library takes or gives, alone or in an array, has this type.
 * - Out of range: a number outside its range (a fact id, an entity or tag
 *   number) is DF_ERANGE from a call that returns a df_status, and NULL
 *   from the few that return a name.  DF_NOMATCH is never an error: a
 *   lookup by name or a search found nothing.
 * - Byte offsets are 0-based; spans are half-open [start, end).
 * - Flags: DF_LOAD_* bits go in df_load_options.flags (how to read input),
 *   DF_SEARCH_* bits in the `search_flags` argument of the search calls
 *   (what to report), regex flags (DF_CASELESS, ...) to df_regex_compile.
 * - `_add` appends to a mutable object (a gazetteer, tag rules); `_load`
 *   and `_build` create a new one.
 * - Ownership: an object returned through an `out` pointer belongs to the
 *   caller, who releases it with the matching *_free function (NULL is a
 *   no-op).  Pointers a getter returns are borrowed from the object they came
 *   from and stay valid until that object is freed.
 * - Thread safety: a df_corpus, df_index, df_prefilter and df_regex are
 *   immutable once made and may be shared by any number of threads.  A
 *   df_matcher, df_gazetteer or df_tag_rules is used by one thread at a
 *   time.  The library has no global mutable state.
 */
#ifndef DRIVEFACTS_H
#define DRIVEFACTS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Exported from the shared library; everything else in it stays hidden. */
#if defined(DF_BUILDING_LIBRARY) && defined(__GNUC__)
#define DF_API __attribute__((visibility("default")))
#else
#define DF_API
#endif

/* The one place the version is written: CMake, the Lua module, the rock,
 * the man page and pkg-config take it from here (tests/version-check.sh). */
#define DF_VERSION_MAJOR 1
#define DF_VERSION_MINOR 1
#define DF_VERSION_PATCH 0
#define DF_VERSION_STRING DF_VERSION_STR_(DF_VERSION_MAJOR) "." \
    DF_VERSION_STR_(DF_VERSION_MINOR) "." DF_VERSION_STR_(DF_VERSION_PATCH)
#define DF_VERSION_STR_(n) DF_VERSION_STR2_(n)
#define DF_VERSION_STR2_(n) #n

/* The version of the library linked at run time, DF_VERSION_STRING of the
 * header it was built with. */
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
    DF_EMATCH,         /* any other error PCRE2 reported while matching */
    DF_ERECORD         /* a record of JSON Lines or CSV is malformed; line says where */
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

/* The parts, opaque: see the stage sections below. */
typedef struct df_corpus df_corpus;
typedef struct df_gazetteer df_gazetteer;
typedef struct df_tag_rules df_tag_rules;
typedef struct df_index df_index;
typedef struct df_prefilter df_prefilter;
typedef struct df_regex df_regex;
typedef struct df_matcher df_matcher;

/* A fact id: 1-based, below 2^32 (see Conventions). */
typedef uint32_t df_fact_id;
#define DF_MAX_FACTS ((df_fact_id)UINT32_MAX - 1)

/* ===================================================== 1. input: UTF-8 */

/* Check that s[0..len) is valid UTF-8 by PCRE2's rules (no overlong forms,
 * no surrogates, nothing above U+10FFFF, no truncated sequence).  On failure
 * returns DF_EUTF8 with err->offset at the first bad byte and err->line the
 * 1-based line that byte is on. */
DF_API df_status df_utf8_check(const char *s, size_t len, df_error *err);

/* ================================================ 1. input: the corpus */


typedef enum df_format {
    DF_FORMAT_PARAGRAPHS = 0, /* facts separated by one or more blank lines */
    DF_FORMAT_LINES,          /* one fact per non-blank line */
    DF_FORMAT_FORTUNE,        /* facts separated by lines holding only "%" */
    DF_FORMAT_JSONL,          /* records: one JSON object per line (below) */
    DF_FORMAT_CSV,            /* records: comma-separated values, a header first */
    DF_FORMAT_TSV             /* records: the same, separated by tabs */
} df_format;

/* Records (DF_FORMAT_JSONL, _CSV, _TSV): each record is a fact with
 * fields.  Its text is the field df_load_options.text_field names ("text"
 * when NULL), which must be there and be a string; every other field is
 * kept with the fact (df_fact_field).
 * - jsonl: JSON Lines, one JSON object (RFC 8259, parsed by jansson) per
 *   line; blank lines are skipped.  A key repeated in one object, a
 *   \u0000 in a string and an integer beyond 64 bits are errors.  Values
 *   keep their JSON type (see df_field_type); an array or an object is
 *   kept as its compact JSON text.
 * - csv, tsv: RFC 4180 (parsed by libcsv, strict): the first record names
 *   the columns, distinct names, one of them the text field; a field in
 *   double quotes may hold the separator, line breaks and "" for a quote;
 *   spaces belong to the field; blank lines between records are skipped;
 *   every record has as many fields as the header.  Values are strings; a
 *   NUL byte in one is an error.  TSV quotes as CSV does.
 * The text, as in the other formats, is trimmed of ASCII whitespace with
 * CRLF folded to LF, and a record whose text is then empty is dropped with
 * its fields.  Every value is valid UTF-8: the whole input is checked
 * first, and jansson's strings are checked again by jansson.  df_fact.line is the line its record starts on.  A bad record
 * is DF_ERECORD naming the source, the line and the reason
 * ("quotes.jsonl:3: field 'text' is a number, not a string"), with
 * err->line that line; invalid UTF-8 anywhere in the input is DF_EUTF8 as
 * for the other formats.  An empty input, or a header alone, is no facts.
 * df_count_file on records loads the file and counts in the loaded facts:
 * a record's text is not a span of the file.  Loading holds the input and
 * the facts at once: up to twice max_bytes, and the fields. */

/* 1 GiB: large enough for real fact files, small enough for a desktop. */
#define DF_DEFAULT_MAX_CORPUS_BYTES ((size_t)1 << 30)

/* df_load_options.flags */
enum df_load_flag {
    /* df_count_file only: map the file into memory instead of reading it,
     * which saves copying it (tests/bench/RESULTS.md).  As with any mapped file, if another process truncates the file
     * meanwhile, this process receives SIGBUS: ripgrep's trade-off, off by
     * default here. */
    DF_LOAD_MMAP = 1u << 0
};

typedef struct df_load_options {
    df_format format;   /* zero-initialised: paragraphs */
    size_t max_bytes;   /* 0: DF_DEFAULT_MAX_CORPUS_BYTES */
    const char *name;   /* names a buffer in error messages; NULL: "<buffer>" */
    unsigned flags;     /* DF_LOAD_* bits; 0 for none */
    const char *text_field; /* records: the field holding a fact's text;
                               NULL: "text"; ignored by the other formats */
} df_load_options;

/* Loading validates UTF-8 once, skips a leading BOM, accepts CRLF (stored as
 * LF) and classic Mac OS line ends (a CR alone, when the input's first line
 * break is one: each lone CR is then stored as LF; elsewhere a lone CR is
 * text), splits into facts and trims ASCII whitespace around each.  Empty facts
 * are dropped.  `opts` may be NULL for the defaults.  On success *out is a
 * new corpus owned by the caller; on failure *out is set to NULL. */
DF_API df_status df_corpus_load_file(const char *path, const df_load_options *opts,
                                     df_corpus **out, df_error *err);
/* Reads `stream` from where it stands to its end (a pipe, a terminal, a
 * FIFO: anything stdio reads), stopping with DF_ETOOBIG as soon as it has
 * given more than max_bytes, so endless input costs no more memory than the
 * limit.  opts->name names it in messages (NULL: "<stream>").  The stream
 * stays open and belongs to the caller. */
DF_API df_status df_corpus_load_stream(FILE *stream, const df_load_options *opts,
                                       df_corpus **out, df_error *err);
/* Copies data[0..len): the caller keeps ownership of `data`. */
DF_API df_status df_corpus_load_buffer(const char *data, size_t len,
                                       const df_load_options *opts,
                                       df_corpus **out, df_error *err);
/* Several sources in one corpus, in order: each of paths[0..count) is a
 * file, or a directory read recursively with its entries in byte order of
 * their names.  Inside a directory these are skipped: entries whose name
 * starts with '.', strfile's index files (*.dat), symbolic links (not
 * followed, as ripgrep does not) and files that are not text (a NUL byte in
 * their first 8 KiB, as git and diff decide).  A path named directly is
 * read whatever it is.  Every file is read in opts->format (and with its
 * text_field): no format is guessed from a name, so a directory holds one
 * format.  Fact ids run over all sources in load order; each
 * fact knows its source (df_fact.source) and line in it; an error names the
 * file.  max_bytes bounds each file and the whole; opts->name names the
 * corpus (NULL: the one path given, or "<N sources>"). */
DF_API df_status df_corpus_load_paths(const char *const *paths, size_t count,
                                      const df_load_options *opts, df_corpus **out,
                                      df_error *err);
/* The files df_corpus_load_paths would read, in order: *files (count
 * *file_count) belongs to the caller, freed with df_paths_free.  For counting
 * file by file (df_count_file) what a load of the paths would hold. */
DF_API df_status df_paths_expand(const char *const *paths, size_t count, char ***files,
                                 size_t *file_count, df_error *err);
DF_API void df_paths_free(char **files, size_t count);
/* The corpus compiled into the library: Drive (2011), 122 facts. */
DF_API df_status df_corpus_load_embedded(df_corpus **out, df_error *err);
DF_API void df_corpus_free(df_corpus *corpus);

/* A fact as a view into its corpus; valid while the corpus lives. */
typedef struct df_fact {
    df_fact_id id;
    const char *text;   /* UTF-8, followed by a NUL byte (text may hold NULs) */
    size_t len;         /* bytes of text */
    size_t line;        /* 1-based line of the source the fact starts on */
    const char *source; /* the file it came from (as found: a path given, or
                           one under a directory given); the corpus name for
                           a corpus of one source */
} df_fact;

DF_API size_t df_corpus_count(const df_corpus *corpus);
/* Total bytes of fact text held (after trimming and CRLF folding). */
DF_API size_t df_corpus_bytes(const df_corpus *corpus);
/* The name used in messages: the path, the buffer's name or "<embedded>". */
DF_API const char *df_corpus_name(const df_corpus *corpus);
/* The number of sources (files) the facts came from: 1 unless the corpus
 * was loaded with df_corpus_load_paths. */
DF_API size_t df_corpus_source_count(const df_corpus *corpus);
/* The i-th source (from 0, in load order), NULL when i is out of range. */
DF_API const char *df_corpus_source(const df_corpus *corpus, size_t i);
/* DF_ERANGE unless 1 <= id <= df_corpus_count(corpus). */
DF_API df_status df_corpus_fact(const df_corpus *corpus, df_fact_id id, df_fact *out,
                                df_error *err);

/* The fields of records (see "Records" above), stored column by column:
 * the names once, per fact a typed value.  A corpus of another format has
 * none.  A corpus of several sources has the union of their fields, in
 * order of first appearance; a fact lacks the fields its record lacked. */
typedef enum df_field_type {
    DF_FIELD_ABSENT = 0, /* the fact's record has no such field; text "" */
    DF_FIELD_NULL,       /* JSON null; text "null" */
    DF_FIELD_BOOLEAN,    /* JSON true or false; text "true" or "false" */
    DF_FIELD_NUMBER,     /* JSON number: an integer as written ("1984"), a
                            real as the shortest text that reads back the same
                            double, always with a '.' or an exponent ("2.5",
                            "3.0", "1e+300") */
    DF_FIELD_STRING,     /* a JSON string, every CSV value */
    DF_FIELD_JSON        /* a JSON array or object, as compact JSON text */
} df_field_type;

/* "absent", "null", "boolean", "number", "string", "json"; NULL for a
 * value outside the enum. */
DF_API const char *df_field_type_name(df_field_type type);

typedef struct df_field_value {
    df_field_type type;
    const char *text;   /* borrowed from the corpus: UTF-8, NUL-terminated,
                           holding no NUL; what it is depends on the type */
    size_t len;         /* bytes of text */
} df_field_value;

/* The number of fields, 0 for a corpus of a format without them. */
DF_API size_t df_corpus_field_count(const df_corpus *corpus);
/* The name of field i (from 0), borrowed; NULL when i is out of range. */
DF_API const char *df_corpus_field_name(const df_corpus *corpus, size_t i);
/* The number of the field named `name` into *field, or DF_NOMATCH. */
DF_API df_status df_corpus_field_find(const df_corpus *corpus, const char *name,
                                      size_t *field);
/* The value of field number `field` of fact `id`: DF_ERANGE when either is
 * out of range. */
DF_API df_status df_fact_field(const df_corpus *corpus, df_fact_id id, size_t field,
                               df_field_value *out, df_error *err);

/* ===================================== 2. index: entities, tags, years */

/* The knowledge index: who and what the facts mention (a gazetteer of
 * entities with aliases and misspellings), tags given by rules, years and
 * film references ("Title (YYYY)"), and near-duplicate facts.
 *
 *   df_gazetteer  entities, mutable: load the embedded list, parse files,
 *                 add entities one by one; then build an index from it.
 *   df_tag_rules  tagging rules, mutable in the same way.  Like a
 *                 df_matcher, each is used by one thread at a time.
 *   df_index      built once from a corpus, a gazetteer and tag rules;
 *                 immutable afterwards and safe to share between threads.
 *                 It copies what it needs from the gazetteer and the rules
 *                 (free or change them after the build as you like) and
 *                 borrows the corpus, which must outlive it.
 *
 * Entity and tag numbers are 0-based positions in the index's tables; fact
 * ids are 1-based as everywhere else.  Arrays a getter returns are borrowed
 * from the index. */

/* An entity's kind says what it is: any name of 1 to 64 characters of
 * A-Z a-z 0-9 '-' '_' ("person", "film", "author", "ship"); kinds are open,
 * a gazetteer has those its entities name.  One kind means something to the
 * index: the "film" entities are what film references "Title (YYYY)" name. */
#define DF_MAX_KIND_NAME 64

/* ============================================= 2. index: the gazetteer */

/* The data format (core/data/entities.txt), one entity per line:
 *
 *     kind: Canonical Name = alias, alias, ...
 *
 * `kind` is a kind name as above.  The canonical name is matched in
 * text like any alias.  Items are separated by commas; spaces around items
 * are dropped and runs of spaces inside collapse to one (which then matches
 * any run of whitespace in a fact, line breaks included).  A name or alias
 * in double quotes, "Driver", matches with exact case (for names that are
 * also common words); every other one matches caselessly (Unicode simple
 * case folding).  A quoted item may hold commas and '='; no item may hold a
 * double quote.  Blank lines and lines whose first non-blank character is
 * '#' are ignored.  A line repeating the kind and canonical name of an
 * entity already known adds its aliases to that entity.
 *
 * Matching: whole words (an alias starting or ending with a letter or digit
 * does not match inside a longer word), leftmost-longest ("Nicolas Winding
 * Refn" is one mention, never also "Refn"); when two entities share an
 * alias, the entity that got it first wins.  A straight apostrophe in an alias also
 * matches a typographic one (U+2019). */

/* An empty gazetteer.  *out belongs to the caller. */
DF_API df_status df_gazetteer_new(df_gazetteer **out, df_error *err);
DF_API void df_gazetteer_free(df_gazetteer *gazetteer);

/* Add the entities of the "drive" profile (core/data/entities.txt). */
DF_API df_status df_gazetteer_add_embedded(df_gazetteer *gazetteer, df_error *err);
/* Parse data[0..len) in the format above.  `name` (NULL: "<buffer>") names
 * the input in messages.  An error names the input and the line
 * ("my.txt:12: bad kind 'per son' ..."), with err->line that line and
 * err->offset the byte offset in data.  All or nothing: on error the
 * gazetteer is left as it was. */
DF_API df_status df_gazetteer_add_text(df_gazetteer *gazetteer, const char *data, size_t len,
                                    const char *name, df_error *err);
/* Read and parse a file; DF_EIO when it cannot be read. */
DF_API df_status df_gazetteer_add_file(df_gazetteer *gazetteer, const char *path,
                                        df_error *err);
/* Add one entity, or more aliases to an entity of the same kind and name.
 * `name` and each of aliases[0..alias_count) are spelt as items of the data
 * format: NUL-terminated UTF-8, double quotes for exact case.  `aliases`
 * may be NULL when alias_count is 0. */
DF_API df_status df_gazetteer_add(df_gazetteer *gazetteer, const char *kind,
                                  const char *name, const char *const *aliases,
                                  size_t alias_count, df_error *err);
/* Number of entities. */
DF_API size_t df_gazetteer_count(const df_gazetteer *gazetteer);

/* ================================================= 2. index: tag rules */

/* The data format (core/data/tags.txt), one rule per line:
 *
 *     tag: regex                  facts the regex matches (caseless)
 *     tag: @kind @kind ...        facts that mention an entity of a kind
 *                                 (one no entity has tags nothing)
 *     tag: @kind ... -{Name} ...  the same, but for the entities named
 *     tag: {Name} {Name} ...      facts that mention one of these entities
 *
 * A {Name} is any name or alias of an entity, looked up when the index is
 * built; a name no entity has fails the build.
 * A tag name is 1 to 64 characters of A-Z a-z 0-9 '-' '_'.  The regex is
 * PCRE2 syntax (UTF, UCP, caseless), the rest of the line after the colon
 * with surrounding spaces removed; start it with "\@" or "\{" for a regex
 * that begins with a literal '@' or '{'.  A fact gets a tag when any rule
 * for that tag holds.  Blank lines and '#' comment lines are ignored. */

DF_API df_status df_tag_rules_new(df_tag_rules **out, df_error *err);
DF_API void df_tag_rules_free(df_tag_rules *rules);
/* Add the rules of the "drive" profile (core/data/tags.txt). */
DF_API df_status df_tag_rules_add_embedded(df_tag_rules *rules, df_error *err);
/* Parse rules; errors name the input and line, and a regex that does not
 * compile is DF_EPATTERN with PCRE2's message.  All or nothing. */
DF_API df_status df_tag_rules_add_text(df_tag_rules *rules, const char *data, size_t len,
                                    const char *name, df_error *err);
DF_API df_status df_tag_rules_add_file(df_tag_rules *rules, const char *path,
                                        df_error *err);
/* Tag the facts that pattern[0..len) matches; `flags` as for
 * df_regex_compile (e.g. DF_CASELESS). */
DF_API df_status df_tag_rules_add_regex(df_tag_rules *rules, const char *tag,
                                        const char *pattern, size_t len, unsigned flags,
                                        df_error *err);
/* Tag the facts that mention an entity of `kind` (a kind no entity has
 * tags nothing). */
DF_API df_status df_tag_rules_add_kind(df_tag_rules *rules, const char *tag,
                                       const char *kind, df_error *err);
/* Tag the facts that mention the entity called `name` (any name or alias,
 * looked up when the index is built; an unknown name fails the build). */
DF_API df_status df_tag_rules_add_entity(df_tag_rules *rules, const char *tag,
                                         const char *name, df_error *err);
/* Number of rules. */
DF_API size_t df_tag_rules_count(const df_tag_rules *rules);

/* ================================================== 2. index: profiles */

/* A profile is the knowledge that belongs to one kind of corpus, compiled
 * into the library from core/data/: its entities (the gazetteer format),
 * tag rules (the tag rule format) and the named sections of its default
 * report, one per line (blank and '#' lines ignored):
 *
 *     title: Report title
 *     section: Section title = {Entity name}   facts mentioning the entity
 *     section: Section title = #tag            facts with the tag
 *
 * The embedded corpus goes with the profile "drive"; a corpus loaded from
 * files has none unless asked.  The pointers are to static data: nothing
 * to free, valid for the life of the program. */
typedef struct df_profile {
    const char *name;
    const char *entities;    /* entities_len bytes, for df_gazetteer_add_text */
    size_t entities_len;
    const char *tags;        /* tags_len bytes, for df_tag_rules_add_text */
    size_t tags_len;
    const char *report;      /* report_len bytes, the format above */
    size_t report_len;
} df_profile;

/* Fill *out with the profile called `name`: DF_OK, or DF_NOMATCH (err left
 * alone) when there is none. */
DF_API df_status df_profile_find(const char *name, df_profile *out, df_error *err);
/* The name of the i-th profile (from 0), NULL past the last: to list them. */
DF_API const char *df_profile_name(size_t i);

/* ============================================= 2. index: build and ask */

/* Build the index of `corpus` in one pass of the entity matcher and one
 * pass of each tag regex over the facts.  `gazetteer` and `rules` may be
 * NULL (no entities, no tags).  The corpus must outlive the index; the
 * gazetteer and the rules need not.  Fails with DF_ETOOBIG for a corpus of
 * 4 GiB or more, with the failing rule's source and line when a tag rule
 * names an unknown entity (DF_EARG) or a regex hits a limit.  *out belongs
 * to the caller. */
DF_API df_status df_index_build(const df_corpus *corpus, const df_gazetteer *gazetteer,
                                const df_tag_rules *rules, df_index **out,
                                df_error *err);
DF_API void df_index_free(df_index *index);

DF_API const df_corpus *df_index_corpus(const df_index *index);
/* Bytes of memory the index holds (its tables and compiled patterns). */
DF_API size_t df_index_memory(const df_index *index);

/* DF_NO_ENTITY: a film reference that names no known film. */
#define DF_NO_ENTITY UINT32_MAX

/* An entity as the index knows it; pointers borrowed from the index. */
typedef struct df_entity {
    const char *name;             /* canonical name */
    const char *kind;             /* its kind's name */
    const char *const *aliases;   /* alias_count aliases, canonical name not included */
    size_t alias_count;
    size_t fact_count;            /* facts that mention it */
    size_t mention_count;         /* mentions in all facts */
} df_entity;

DF_API size_t df_index_entity_count(const df_index *index);
/* DF_ERANGE unless entity < df_index_entity_count(index). */
DF_API df_status df_index_entity(const df_index *index, size_t entity, df_entity *out,
                                 df_error *err);
/* The entity one of whose names or aliases is name[0..len) (leading and
 * trailing whitespace ignored), compared caselessly even for exact-case
 * aliases: "carry muligan" finds Carey Mulligan.  DF_NOMATCH (err left
 * alone) when there is none. */
DF_API df_status df_index_lookup(const df_index *index, const char *name, size_t len,
                                 size_t *entity, df_error *err);
/* The facts that mention `entity`: *count ids, ascending. */
DF_API df_status df_index_entity_facts(const df_index *index, size_t entity,
                                       const df_fact_id **facts, size_t *count,
                                       df_error *err);

/* One mention of an entity in a fact: text[start..end). */
typedef struct df_mention {
    uint32_t entity;
    uint32_t start;
    uint32_t end;
} df_mention;

/* The mentions in fact `id`, in text order (they never overlap). */
DF_API df_status df_index_fact_mentions(const df_index *index, df_fact_id id,
                                        const df_mention **mentions, size_t *count,
                                        df_error *err);
/* The distinct entities fact `id` mentions, ascending. */
DF_API df_status df_index_fact_entities(const df_index *index, df_fact_id id,
                                        const uint32_t **entities, size_t *count,
                                        df_error *err);

/* Tags, in the order the rules first name them; a tag no fact got is
 * listed with no facts. */
DF_API size_t df_index_tag_count(const df_index *index);
/* NULL when tag >= df_index_tag_count(index). */
DF_API const char *df_index_tag_name(const df_index *index, size_t tag);
/* The tag called name (exact, case-sensitive); DF_NOMATCH when none. */
DF_API df_status df_index_tag_lookup(const df_index *index, const char *name,
                                     size_t *tag, df_error *err);
/* The facts with `tag`, ascending. */
DF_API df_status df_index_tag_facts(const df_index *index, size_t tag,
                                    const df_fact_id **facts, size_t *count,
                                    df_error *err);
/* The tags of fact `id`, ascending tag numbers. */
DF_API df_status df_index_fact_tags(const df_index *index, df_fact_id id,
                                    const uint32_t **tags, size_t *count,
                                    df_error *err);

/* Years a fact names: four-digit numbers 1800-2099 standing as words
 * ("1980s" counts as 1980), plus the year of each film reference; not the
 * digits of an entity's name (the band "The 1975").  Distinct, ascending. */
DF_API df_status df_index_fact_years(const df_index *index, df_fact_id id,
                                     const uint16_t **years, size_t *count,
                                     df_error *err);

/* A film reference "Title (YYYY)": the title is text[start..end) of the
 * fact; entity is the film entity it names, or DF_NO_ENTITY when the title
 * was found by its capitalised words alone. */
typedef struct df_film_ref {
    uint32_t start;
    uint32_t end;
    uint32_t year;
    uint32_t entity;
} df_film_ref;

/* The film references of fact `id`, in text order. */
DF_API df_status df_index_fact_films(const df_index *index, df_fact_id id,
                                     const df_film_ref **refs, size_t *count,
                                     df_error *err);

/* =========================================== 2. index: near-duplicates */

/* Near-duplicate facts.  Each fact becomes the set of its word bigrams
 * (words: letters and digits, ASCII case folded, apostrophes dropped, other
 * punctuation separating; a Chinese or Japanese character is a word of its
 * own; a one-word fact is its word).  A bigram weighs log(1 + facts / facts
 * holding it), so shared names count for much and shared "of the" for
 * little.  A line that k >= 3 facts hold (copies counted once: an
 * attribution such as "-- Stanislaw Jerzy Lec", a heading) is a formula:
 * one term instead of its bigrams, weighing as such a term would divided
 * by k - 1 (it links each of its facts to k - 1 others), so facts that
 * share only such a line do not pair.  For facts A and B, A the lighter,
 * |X| counting bigrams (those of a formula line too):
 *     score       = weight(A n B) / weight(A), times own(A) / 4 when
 *                   own(A) < 4, or 1 for identical facts; own(A) is |A|
 *                   without its formula lines, unless A is nothing else
 *     containment = |A n B| / min(|A|, |B|)
 *     jaccard     = |A n B| / |A u B|
 * so a fact repeated inside a longer one scores high, and tiny facts need
 * more than a word or two in common.  Identical facts are found by hashing
 * the normalised text, always, however many copies: each copy is paired
 * with the first fact of that text (n copies, n - 1 pairs) and takes no
 * further part.  Other candidates come from an inverted index of terms,
 * each fact probing its rarest terms only (prefix filtering: exact), with
 * two bounds that keep the work and the pairs linear in the facts on big
 * corpora: terms in more than 256 facts are not probed (a pair whose
 * lighter fact has only such frequent terms in its prefix is not found),
 * and the lighter fact of a pair keeps its 16 best partners. */
typedef enum df_duplicate_kind {
    DF_DUPLICATE_IDENTICAL = 0, /* the same words in the same order */
    DF_DUPLICATE_CONTAINED,     /* containment >= 0.8 and the longer has at
                                   least 1.25 times the bigrams of the shorter */
    DF_DUPLICATE_SIMILAR        /* much in common otherwise */
} df_duplicate_kind;

/* "identical", "contained", "similar"; NULL for a value outside the enum. */
DF_API const char *df_duplicate_kind_name(df_duplicate_kind kind);

typedef struct df_duplicate {
    df_fact_id a, b;          /* a < b */
    double score;             /* in [0, 1], >= the threshold asked for */
    double containment;       /* in [0, 1], unweighted */
    double jaccard;           /* in [0, 1], unweighted */
    df_duplicate_kind kind;
} df_duplicate;

#define DF_DEFAULT_DUPLICATE_THRESHOLD 0.5

/* All pairs of facts of `corpus` scoring at least `threshold` (0 <
 * threshold <= 1, else DF_EARG), sorted by score descending, then a, then
 * b.  *pairs (NULL when *count is 0) belongs to the caller, who frees it
 * with df_duplicates_free. */
DF_API df_status df_duplicates(const df_corpus *corpus, double threshold,
                               df_duplicate **pairs, size_t *count, df_error *err);
/* The same pairs, the first `limit` of them only (all for SIZE_MAX, none
 * for 0).  Cheaper than cutting the full list: the score a pair needs rises
 * to that of the limit-th best found so far, which narrows the search, and
 * at most 2 * limit pairs are held at a time. */
DF_API df_status df_duplicates_best(const df_corpus *corpus, double threshold, size_t limit,
                                    df_duplicate **pairs, size_t *count, df_error *err);
DF_API void df_duplicates_free(df_duplicate *pairs);

/* ===================================== 2. index: the trigram prefilter */

/* A trigram prefilter (as Russ Cox's codesearch and pg_trgm): for every
 * three-byte sequence of the facts' text, ASCII-lowercased (other bytes as
 * they are), the facts that hold it, delta- and varint-compressed (a bitmap
 * for a trigram in many facts).  A search asks it for the facts that hold
 * the literals every match must contain, and runs the regex on those only.
 *
 * The literals come from the pattern when it is compiled, conservatively:
 * concatenation requires all of its parts' literals, alternation one of its
 * branches', an optional part (?, *, {0,n}) nothing; a literal shorter than
 * three bytes constrains nothing.  Comments, quoting (\Q...\E), inline
 * options and DF_EXTENDED are read through; a lookaround is zero-width, so
 * its own literals are not required; patterns with conditionals, verbs or
 * callouts constrain nothing, and neither do classes of more than a few
 * ASCII characters.  Under
 * DF_CASELESS, non-ASCII characters and 'k' and 's' (which also match
 * U+212A and U+017F) break a literal.  DF_LITERAL takes the pattern as one
 * literal; DF_WORD changes nothing.
 *
 * Built once from a corpus, which it borrows (the corpus must outlive it);
 * immutable afterwards and safe to share between threads.  Building takes
 * two passes over the text and no allocation per fact. */

/* DF_ETOOBIG for a corpus of 2^31 facts or more.  *out belongs to the
 * caller. */
DF_API df_status df_prefilter_build(const df_corpus *corpus, df_prefilter **out,
                                    df_error *err);
DF_API void df_prefilter_free(df_prefilter *prefilter);
DF_API const df_corpus *df_prefilter_corpus(const df_prefilter *prefilter);
/* Bytes of memory the prefilter holds. */
DF_API size_t df_prefilter_memory(const df_prefilter *prefilter);

/* The literal query of a regex as text, for people: and("qx-", "-zz"),
 * or("mulligan", "cranston"), or "all" when it constrains nothing.
 * snprintf-style: writes at most size bytes (NUL included) and returns the
 * length of the whole text. */
DF_API size_t df_regex_describe_literals(const df_regex *regex, char *buf, size_t size);
/* 1 when `regex` has literals a prefilter can look up (its description is
 * not "all"), so that building one may pay; 0 otherwise, for NULL, and
 * when memory runs out while reading the pattern. */
DF_API int df_regex_has_literals(const df_regex *regex);

/* Facts that may match: every fact with a match is among them. */
typedef struct df_candidates {
    df_fact_id *ids;  /* owned: count ascending fact ids; NULL when all */
    size_t count;   /* the number of ids, or of facts in the corpus when all */
    int all;        /* 1: the prefilter cannot narrow the search (the regex
                       has no usable literal, or so many facts hold it that
                       df_search's own scan is faster) */
} df_candidates;

/* Ask the prefilter which facts may match `regex`.  On success *out holds
 * the candidates, which the caller releases with df_candidates_free. */
DF_API df_status df_prefilter_candidates(const df_prefilter *prefilter,
                                         const df_regex *regex, df_candidates *out,
                                         df_error *err);
/* Free the ids and zero *candidates; NULL is a no-op. */
DF_API void df_candidates_free(df_candidates *candidates);

/* ================================================= 3. pattern: compile */


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
/* The letters of `flags` ("imsxFw" order, unknown bits left out), as
 * df_regex_parse_flags reads them.  snprintf-style: writes at most size
 * bytes (NUL included) and returns the number of letters. */
DF_API size_t df_regex_format_flags(unsigned flags, char *buf, size_t size);

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

/* =================================================== 3. pattern: match */

/* Limits that turn a runaway (catastrophic backtracking) match into an
 * error.  A zero field means the default. */
typedef struct df_limits {
    uint32_t match_limit;  /* calls of PCRE2's internal match() per attempt */
    uint32_t depth_limit;  /* nested backtracking depth (interpreter only;
                              JIT code has an 8 MiB stack in its place,
                              whose overflow is DF_EDEPTHLIMIT too) */
} df_limits;

#define DF_DEFAULT_MATCH_LIMIT 10000000u
#define DF_DEFAULT_DEPTH_LIMIT 1000000u


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
 * df_utf8_check); it is not checked again.  A cursor position inside a
 * UTF-8 character is DF_EARG.  Returns DF_OK and sets *ovector
 * to 2 * (group count + 1) offsets (pairs, DF_UNSET when a group is unset),
 * borrowed from the matcher until its next call; DF_NOMATCH when no match
 * remains; or an error (DF_EMATCHLIMIT, DF_EDEPTHLIMIT, DF_EMATCH). */
DF_API df_status df_matcher_next(df_matcher *matcher, const char *subject, size_t len,
                                 df_cursor *cursor, const size_t **ovector,
                                 df_error *err);

/* PCRE2's DFA matcher (pcre2_dfa_match) from byte `start`: every match
 * that starts at the first position where any does, longest first.  Returns
 * DF_OK with *count >= 1 matches and *ovector their 2 * *count offsets
 * (start, end pairs, all with one start), borrowed from the matcher until
 * its next call; DF_NOMATCH; DF_EMATCH when the pattern has what the DFA
 * matcher lacks (back references, conditions on groups, ...); or a limit's
 * error.  Capture groups take no part.  The subject must be valid UTF-8;
 * a start inside a character is DF_EARG. */
DF_API df_status df_matcher_dfa(df_matcher *matcher, const char *subject, size_t len,
                                size_t start, const size_t **ovector, size_t *count,
                                df_error *err);

/* =========================================================== 4. search */

/* One match inside a fact, handed to a df_match_fn; valid during the call. */
typedef struct df_match {
    df_fact_id fact_id;
    const char *text;        /* the fact's text */
    size_t len;              /* bytes of text */
    size_t group_count;      /* groups including group 0 */
    const size_t *ovector;   /* 2 * group_count offsets into text */
    size_t visit;            /* 0-based place of the fact in the facts searched:
                                matches of one visit share it */
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
                           unsigned search_flags, df_match_fn fn, void *userdata,
                           df_error *err);

/* df_search over the facts ids[0..count) (1-based, in this order; a
 * repeated id is searched again, as a new visit), or over all facts when ids
 * is NULL.  An id out of range is DF_ERANGE before any search.  Like
 * df_search it allocates nothing, so `fn` may leave by longjmp. */
DF_API df_status df_search_ids(const df_corpus *corpus, const df_fact_id *ids, size_t count,
                               df_matcher *matcher, unsigned search_flags, df_match_fn fn,
                               void *userdata, df_error *err);

/* Count without a callback: *facts gets the number of facts with at least
 * one match, *matches (may be NULL) the number of matches; with
 * DF_SEARCH_FIRST_PER_FACT both are the number of matching facts. */
DF_API df_status df_count(const df_corpus *corpus, df_matcher *matcher,
                          unsigned search_flags, size_t *facts, size_t *matches,
                          df_error *err);

/* df_count over the corpus df_corpus_load_file(path, opts) would load,
 * without loading it: the file is read (or mapped, with DF_LOAD_MMAP),
 * validated and searched a piece (256 KiB) at a time, so memory stays small
 * whatever the file's size and each piece is searched while in the cache.
 * The same counts, and on failure the same error (file, line, byte, fact)
 * as loading then counting.  Standard input, pipes and devices are loaded
 * whole.  Nothing of the file is held after the call. */
DF_API df_status df_count_file(const char *path, const df_load_options *opts,
                               df_matcher *matcher, unsigned search_flags, size_t *facts,
                               size_t *matches, df_error *err);

/* A fact with matches, as df_search_file hands it on: spans holds 2 * count
 * byte offsets into fact->text, the start and end of each match (group 0)
 * in order, one with DF_SEARCH_FIRST_PER_FACT.  All of it is valid during
 * the call only, and fact->text is not followed by a NUL.  Return 0 to go
 * on, non-zero to stop the search (which then returns DF_OK). */
typedef int (*df_hit_fn)(const df_fact *fact, const size_t *spans, size_t count,
                         void *userdata);

/* df_search over the corpus df_corpus_load_file(path, opts) would load,
 * without loading it, as df_count_file counts: the file is read (or mapped)
 * a piece at a time and every fact with a match is handed to `fn` as it is
 * found, in id order, its id and line found by counting the facts and lines
 * before it.  Ids start at first_id + 1 (first_id: the facts of the files
 * searched before, so that ids run on over the files of df_paths_expand as
 * df_corpus_load_paths numbers them); fact->source is `path`.  *facts (may
 * be NULL) gets the number of facts in the file when the search ran to its
 * end.  A failure (invalid UTF-8, a limit hit) is the error loading then
 * searching gives, but it may come after the hits before it were handed
 * on.  Standard input, pipes and devices are loaded whole. */
DF_API df_status df_search_file(const char *path, const df_load_options *opts,
                                df_matcher *matcher, unsigned search_flags, size_t first_id,
                                df_hit_fn fn, void *userdata, size_t *facts, df_error *err);

/* df_search and df_count, visiting only the prefilter's candidates: the same
 * matches in the same order.  `prefilter` may be NULL (then these are
 * df_search and df_count); otherwise it must have been built from `corpus`
 * (DF_EARG if not).  One difference: a fact the prefilter rules out is not
 * searched, so a match or depth limit that df_search would hit in it is not
 * hit.  The candidate list is allocated for the duration of the call: a
 * callback that does not return (longjmp) leaks it; such callers use
 * df_prefilter_candidates and df_matcher_next instead. */
DF_API df_status df_search_prefiltered(const df_corpus *corpus, const df_prefilter *prefilter,
                                       df_matcher *matcher, unsigned search_flags, df_match_fn fn,
                                       void *userdata, df_error *err);
DF_API df_status df_count_prefiltered(const df_corpus *corpus, const df_prefilter *prefilter,
                                      df_matcher *matcher, unsigned search_flags, size_t *facts,
                                      size_t *matches, df_error *err);

#ifdef __cplusplus
}
#endif

#endif /* DRIVEFACTS_H */
