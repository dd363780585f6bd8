/* The input stage: reading files, splitting them into facts, the padded
 * buffer they live in, the corpus.  Not installed. */
#ifndef DF_CORPUS_H
#define DF_CORPUS_H

#include "base.h"

typedef struct df_fact_entry {
    size_t offset;  /* into the corpus text */
    size_t len;
    size_t line;
    size_t source;  /* into the corpus's sources; 0 for a corpus of one */
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

/* Line ends: whether buf[0..len) breaks its lines with a CR alone (its
 * first line break is a CR no LF follows); df_cr_to_lf makes each such CR
 * a LF, in place, leaving CRLF pairs as they are. */
int df_cr_line_ends(const char *buf, size_t len);
void df_cr_to_lf(char *buf, size_t len);

/* The length of the longest prefix of buf[0..len) that ends where a fact
 * must end whatever follows (after a line break, a blank line, a '%' line),
 * so that it splits alone as it would within the whole input; 0 if none. */
size_t df_split_complete(const char *buf, size_t len, df_format format);


/* The fact that the line holding byte `at` of buf[lo..end) belongs to, as
 * df_split_facts would cut it from input whose bytes are its facts' own (no
 * CRLF inside a multi-line fact): no fact may be open at lo (a piece's
 * start, or a value this returned), and end is where a fact must end.  The
 * fact's text is buf[*fact_start..*fact_end), empty when the line is in
 * none; returns where the next fact may start, after `at`. */
size_t df_fact_around(const char *buf, size_t lo, size_t end, size_t at, df_format format,
                      size_t *fact_start, size_t *fact_end);

/* The number of facts df_split_facts would find starting in buf[lo..hi),
 * by its own rules (a line of only whitespace holds no text, a separator
 * closes a fact): no fact may be open at lo, and a line that hi cuts counts
 * as far as it goes; *newlines, the line breaks there.  What the streamed
 * search counts between hits, in one pass. */
size_t df_count_facts(const char *buf, size_t lo, size_t hi, df_format format, size_t *newlines);

/* 3 when s[0..len) starts with a UTF-8 byte order mark, else 0. */
static inline size_t df_bom_length(const char *s, size_t len) {
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* The fields of records, column by column (corpus_fields.c): cell i of a
 * column belongs to fact entry i.  Values are NUL-terminated texts back to
 * back in `values`; a cell of type DF_FIELD_ABSENT (all zero) has none. */
typedef struct df_field_cell {
    size_t offset;           /* into values */
    size_t len;
    df_field_type type;
} df_field_cell;

typedef struct df_fields {
    size_t count;            /* columns */
    char **names;            /* owned, count of them */
    df_field_cell **columns; /* owned, count of them, each of `cells` cells */
    size_t cells;            /* cells each column holds */
    char *values;            /* owned */
    size_t values_len;
    size_t name_capacity, column_capacity, values_capacity;
    size_t hint;             /* the column after the one last looked up */
} df_fields;

void df_fields_free(df_fields *fields);

/* One corpus's fields for the facts of several parts, in order (the whole
 * has `count` facts); *whole is zeroed first. */
df_status df_fields_merge(df_fields *whole, df_corpus *const *parts, size_t n, size_t count,
                          df_error *err);

/* Building the facts and fields of records (corpus_fields.c), as the
 * JSON Lines and CSV readers find them: begin, the text and fields, end. */
typedef struct df_records {
    const char *source;      /* names the input in messages */
    const char *text_field;
    char *text;              /* the facts, laid out as df_alloc_input's */
    size_t text_capacity;
    df_split split;
    df_fields fields;
    size_t line;             /* the open record's first line */
    size_t values_mark;      /* values_len when it began */
    size_t open_len;         /* bytes of its text, after the facts' */
    int has_text;
} df_records;

/* 0 on success; -1 when out of memory (nothing to free then). */
int df_records_init(df_records *r, const char *source, const char *text_field,
                    size_t capacity);
void df_records_free(df_records *r);
void df_records_begin(df_records *r, size_t line);
/* The column of the field `name` (name[len] is NUL), added when new. */
df_status df_records_column(df_records *r, const char *name, size_t len, size_t *column,
                            df_error *err);
/* The record's text: folded, trimmed and checked as the header says. */
df_status df_records_text(df_records *r, const char *s, size_t len, df_error *err);
df_status df_records_field(df_records *r, size_t column, df_field_type type, const char *s,
                           size_t len, df_error *err);
df_status df_records_end(df_records *r, df_error *err);
/* Move what was built into `corpus`, leaving r empty. */
df_status df_records_finish(df_records *r, df_corpus *corpus, df_error *err);

/* The readers: buf[start..len) is valid UTF-8. */
df_status df_read_jsonl(const char *buf, size_t start, size_t len, df_records *r,
                        df_error *err);
df_status df_read_csv(const char *buf, size_t start, size_t len, char separator,
                      df_records *r, df_error *err);

struct df_corpus {
    df_fields fields;        /* of records; zero for the other formats */
    char *text;              /* owned: facts, each followed by a NUL */
    size_t text_len;
    df_fact_entry *facts;    /* owned */
    size_t count;
    size_t bytes;            /* sum of fact lengths */
    char *name;              /* owned */
    char **sources;          /* owned: the files of a corpus of several, NULL */
    size_t source_count;     /* for a corpus of one (its name is its source) */
};

/* The source of fact entry f of corpus c, for messages. */
static inline const char *df_corpus_source_of(const df_corpus *c, const df_fact_entry *f) {
    return c->sources != NULL ? c->sources[f->source] : c->name;
}

/* Files, in load order, that df_corpus_load_paths reads for paths[0..count)
 * (corpus_paths.c); *files is an array of malloc'd strings. */
df_status df_expand_paths(const char *const *paths, size_t count, char ***files,
                          size_t *file_count, df_error *err);

/* Facts back to back in one buffer, each followed by a NUL, padding after
 * the last: what the searcher walks.  A corpus is one; so is a piece of a
 * file df_count_file has split. */
typedef struct df_fact_table {
    const char *text;
    size_t text_len;
    const df_fact_entry *facts;
    size_t count;
    const char *name;        /* the source, for messages */
    const char *const *sources; /* of each fact's entry, or NULL: all from name */
} df_fact_table;

static inline df_fact_table df_corpus_table(const df_corpus *corpus) {
    return (df_fact_table){corpus->text, corpus->text_len, corpus->facts, corpus->count,
                           corpus->name, (const char *const *)corpus->sources};
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
/* The same from the current position of an open stream to its end; the
 * stream stays open.  `name` names it in messages. */
df_status df_read_stream(FILE *stream, const char *name, size_t max_bytes, char **data,
                         size_t *len, df_error *err);

/* A cursor over the meaningful lines of a data file's text (entities, tag
 * rules): the line reading both formats share.  After a successful
 * df_data_lines_open, each df_data_lines_next that returns 1 sets line
 * (without its line break), len, line_no (1-based) and offset (the line's
 * byte offset in the text) to the next line that is neither blank nor a
 * '#' comment. */
typedef struct df_data_lines {
    const char *text, *name;  /* name: for messages, "<buffer>" when none is given */
    size_t text_len, next;
    const char *line;
    size_t len, line_no, offset;
} df_data_lines;

/* Check the text (DF_EARG for NULL text with a length, DF_EUTF8 naming
 * `name`, the line and the byte) and skip a BOM. */
df_status df_data_lines_open(df_data_lines *lines, const char *text, size_t len,
                             const char *name, df_error *err);
int df_data_lines_next(df_data_lines *lines);

/* What a data file's text goes to: df_gazetteer_add_text or
 * df_tag_rules_add_text, through a wrapper taking the object as void *. */
typedef df_status (*df_add_text_fn)(void *object, const char *data, size_t len,
                                    const char *name, df_error *err);

/* Read the data file at path (at most DF_MAX_DATA_FILE bytes) and give its
 * text, named by the path, to add: the one way both kinds of data file are
 * read.  DF_EARG when object or path is NULL. */
df_status df_add_data_file(void *object, const char *path, df_add_text_fn add, df_error *err);

#endif
