/* Facts with fields: the column store of a corpus of records, and building
 * it as the JSON Lines and CSV readers (corpus_jsonl.c, corpus_csv.c) find
 * records.  A fact's text goes into the corpus's one buffer of facts, as in
 * every other format, so that every search path reads records unchanged. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

static char *copy_bytes(const char *s, size_t len) {
    char *copy = malloc(len + 1);
    if (copy != NULL) {
        memcpy(copy, s, len);
        copy[len] = '\0';
    }
    return copy;
}

void df_fields_free(df_fields *fields) {
    for (size_t i = 0; i < fields->count; i++) {
        free(fields->names[i]);
        free(fields->columns[i]);
    }
    free(fields->names);
    free(fields->columns);
    free(fields->values);
    memset(fields, 0, sizeof *fields);
}

/* Every column holds at least `cells` cells, the new ones absent. */
static int reserve_cells(df_fields *f, size_t cells) {
    if (cells <= f->cells)
        return 0;
    size_t want = f->cells > cells / 2 ? f->cells * 2 : cells;  /* at least doubling */
    if (want < cells || want > SIZE_MAX / sizeof(df_field_cell))
        want = cells;
    for (size_t i = 0; i < f->count; i++) {
        df_field_cell *grown = realloc(f->columns[i], want * sizeof *grown);
        if (grown == NULL)
            return -1;
        memset(grown + f->cells, 0, (want - f->cells) * sizeof *grown);
        f->columns[i] = grown;
    }
    f->cells = want;
    return 0;
}

/* Add a column named s[0..len), absent in every fact so far. */
static int add_column(df_fields *f, const char *s, size_t len) {
    if (df_grow((void **)&f->names, &f->name_capacity, f->count + 1, sizeof *f->names) != 0 ||
        df_grow((void **)&f->columns, &f->column_capacity, f->count + 1,
                sizeof *f->columns) != 0)
        return -1;
    char *name = copy_bytes(s, len);
    df_field_cell *cells = calloc(f->cells ? f->cells : 1, sizeof *cells);
    if (name == NULL || cells == NULL) {
        free(name);
        free(cells);
        return -1;
    }
    f->names[f->count] = name;
    f->columns[f->count] = cells;
    f->count++;
    return 0;
}

/* The column named name[0..len) (no NUL inside), or f->count.  Records
 * mostly name their fields in one order: the column after the last one
 * found is tried first. */
static size_t find_column(df_fields *f, const char *name, size_t len) {
    for (size_t k = 0; k < f->count; k++) {
        size_t i = (f->hint + k) % f->count;
        if (strncmp(f->names[i], name, len) == 0 && f->names[i][len] == '\0') {
            f->hint = i + 1;
            return i;
        }
    }
    return f->count;
}

static int append_value(df_fields *f, const char *s, size_t len, size_t *offset) {
    if (len >= SIZE_MAX - f->values_len)
        return -1;
    if (f->values_len + len + 1 > f->values_capacity &&
        df_grow((void **)&f->values, &f->values_capacity, f->values_len + len + 1, 1) != 0)
        return -1;
    *offset = f->values_len;
    memcpy(f->values + f->values_len, s, len);
    f->values[f->values_len + len] = '\0';
    f->values_len += len + 1;
    return 0;
}

/* ------------------------------------------------------------ records */

int df_records_init(df_records *r, const char *source, const char *text_field,
                    size_t capacity) {
    memset(r, 0, sizeof *r);
    r->source = source;
    r->text_field = text_field;
    r->text = df_alloc_input(capacity);
    r->text_capacity = capacity;
    return r->text != NULL ? 0 : -1;
}

void df_records_free(df_records *r) {
    free(r->text);
    free(r->split.facts);
    df_fields_free(&r->fields);
    memset(r, 0, sizeof *r);
}

void df_records_begin(df_records *r, size_t line) {
    r->line = line;
    r->values_mark = r->fields.values_len;
    r->has_text = 0;
}

static df_status out_of_memory(df_records *r, df_error *err) {
    return df_fail(err, DF_ENOMEM, 0, r->line, "%s:%zu: out of memory", r->source, r->line);
}

df_status df_records_column(df_records *r, const char *name, size_t len, size_t *column,
                            df_error *err) {
    if (memchr(name, '\0', len) != NULL)
        return df_fail(err, DF_ERECORD, 0, r->line, "%s:%zu: a field name holds a NUL byte",
                       r->source, r->line);
    size_t i = find_column(&r->fields, name, len);
    if (i == r->fields.count && add_column(&r->fields, name, len) != 0)
        return out_of_memory(r, err);
    *column = i;
    return DF_OK;
}

static df_status no_nul(df_records *r, const char *field, const char *s, size_t len,
                        df_error *err) {
    if (memchr(s, '\0', len) != NULL)
        return df_fail(err, DF_ERECORD, 0, r->line, "%s:%zu: field '%s' holds a NUL byte",
                       r->source, r->line, field);
    return DF_OK;
}

df_status df_records_text(df_records *r, const char *s, size_t len, df_error *err) {
    df_status status = no_nul(r, r->text_field, s, len, err);
    if (status != DF_OK)
        return status;
    while (len > 0 && df_is_space((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && df_is_space((unsigned char)s[len - 1]))
        len--;
    /* The text and its NUL after those of the facts before it. */
    size_t at = r->split.text_len;
    if (len + 1 > r->text_capacity + 1 - at) {
        size_t capacity = at + len > r->text_capacity * 2 ? at + len : r->text_capacity * 2;
        char *grown = capacity <= SIZE_MAX - 1 - DF_SCAN_PADDING
                          ? realloc(r->text, capacity + 1 + DF_SCAN_PADDING)
                          : NULL;
        if (grown == NULL)
            return out_of_memory(r, err);
        r->text = grown;
        r->text_capacity = capacity;
    }
    size_t out = at;
    if (memchr(s, '\r', len) == NULL) {  /* the usual case: a copy */
        memcpy(r->text + at, s, len);
        out += len;
    } else {
        for (size_t i = 0; i < len; i++)
            if (!(s[i] == '\r' && i + 1 < len && s[i + 1] == '\n'))
                r->text[out++] = s[i];
    }
    r->text[out] = '\0';
    /* Written after the facts, not yet one of them: df_records_end decides. */
    r->open_len = out - at;
    r->has_text = 1;
    return DF_OK;
}

df_status df_records_field(df_records *r, size_t column, df_field_type type, const char *s,
                           size_t len, df_error *err) {
    df_fields *f = &r->fields;
    df_status status = no_nul(r, f->names[column], s, len, err);
    if (status != DF_OK)
        return status;
    size_t index = r->split.count, offset;
    if (reserve_cells(f, index + 1) != 0 || append_value(f, s, len, &offset) != 0)
        return out_of_memory(r, err);
    f->columns[column][index] = (df_field_cell){.offset = offset, .len = len, .type = type};
    return DF_OK;
}

/* Forget the cells of the open record (those at index split.count) and its
 * values. */
static void drop_record(df_records *r) {
    df_fields *f = &r->fields;
    if (r->split.count < f->cells)
        for (size_t i = 0; i < f->count; i++)
            f->columns[i][r->split.count] = (df_field_cell){0};
    f->values_len = r->values_mark;
}

df_status df_records_end(df_records *r, df_error *err) {
    if (!r->has_text) {
        drop_record(r);
        return df_fail(err, DF_ERECORD, 0, r->line, "%s:%zu: no field '%s'", r->source,
                       r->line, r->text_field);
    }
    if (r->open_len == 0) {  /* an empty fact, dropped as in every format */
        drop_record(r);
        return DF_OK;
    }
    df_split *s = &r->split;
    if (s->count == DF_MAX_FACTS)  /* fact ids are df_fact_id */
        return df_fail(err, DF_ETOOBIG, 0, r->line, "%s:%zu: more than %zu facts", r->source,
                       r->line, (size_t)DF_MAX_FACTS);
    if (s->count == s->capacity &&
        df_grow((void **)&s->facts, &s->capacity, s->count + 1, sizeof *s->facts) != 0)
        return out_of_memory(r, err);
    /* A later record's cells must not find this one's in their place. */
    if (reserve_cells(&r->fields, s->count + 1) != 0)
        return out_of_memory(r, err);
    s->facts[s->count++] = (df_fact_entry){.offset = s->text_len, .len = r->open_len,
                                           .line = r->line};
    s->bytes += r->open_len;
    s->text_len += r->open_len + 1;
    return DF_OK;
}

df_status df_records_finish(df_records *r, df_corpus *corpus, df_error *err) {
    df_fields *f = &r->fields;
    /* Every column as long as the facts (drop_record may have left cells
     * past the last fact: they are absent, zero). */
    if (reserve_cells(f, r->split.count) != 0)
        return out_of_memory(r, err);
    memset(r->text + r->split.text_len, 0, DF_SCAN_PADDING);
    char *shrunk = realloc(r->text, r->split.text_len + DF_SCAN_PADDING);
    corpus->text = shrunk != NULL ? shrunk : r->text;
    corpus->text_len = r->split.text_len;
    corpus->facts = r->split.facts;
    corpus->count = r->split.count;
    corpus->bytes = r->split.bytes;
    corpus->fields = *f;
    memset(r, 0, sizeof *r);
    return DF_OK;
}

/* ------------------------------------------------- several sources: merge */

df_status df_fields_merge(df_fields *whole, df_corpus *const *parts, size_t n, size_t count,
                          df_error *err) {
    memset(whole, 0, sizeof *whole);
    size_t values_len = 0;
    for (size_t i = 0; i < n; i++) {
        const df_fields *part = &parts[i]->fields;
        for (size_t k = 0; k < part->count; k++) {
            const char *name = part->names[k];
            size_t len = strlen(name);
            if (find_column(whole, name, len) == whole->count &&
                add_column(whole, name, len) != 0)
                goto out_of_memory;
        }
        values_len += part->values_len;
    }
    if (whole->count == 0)
        return DF_OK;
    if (reserve_cells(whole, count) != 0 ||
        (whole->values = malloc(values_len ? values_len : 1)) == NULL)
        goto out_of_memory;
    whole->values_capacity = values_len ? values_len : 1;
    size_t first = 0;
    for (size_t i = 0; i < n; i++) {
        const df_fields *part = &parts[i]->fields;
        if (part->values_len > 0)
            memcpy(whole->values + whole->values_len, part->values, part->values_len);
        for (size_t k = 0; k < part->count; k++) {
            const char *name = part->names[k];
            df_field_cell *to = whole->columns[find_column(whole, name, strlen(name))] + first;
            for (size_t j = 0; j < parts[i]->count; j++) {
                to[j] = part->columns[k][j];
                if (to[j].type != DF_FIELD_ABSENT)
                    to[j].offset += whole->values_len;
            }
        }
        whole->values_len += part->values_len;
        first += parts[i]->count;
    }
    return DF_OK;
out_of_memory:
    df_fields_free(whole);
    return df_fail(err, DF_ENOMEM, 0, 0, "out of memory merging fields");
}

/* -------------------------------------------------------------- getters */

const char *df_field_type_name(df_field_type type) {
    switch (type) {
    case DF_FIELD_ABSENT:  return "absent";
    case DF_FIELD_NULL:    return "null";
    case DF_FIELD_BOOLEAN: return "boolean";
    case DF_FIELD_NUMBER:  return "number";
    case DF_FIELD_STRING:  return "string";
    case DF_FIELD_JSON:    return "json";
    }
    return NULL;
}

size_t df_corpus_field_count(const df_corpus *corpus) {
    return corpus != NULL ? corpus->fields.count : 0;
}

const char *df_corpus_field_name(const df_corpus *corpus, size_t i) {
    return corpus != NULL && i < corpus->fields.count ? corpus->fields.names[i] : NULL;
}

df_status df_corpus_field_find(const df_corpus *corpus, const char *name, size_t *field) {
    if (corpus == NULL || name == NULL || field == NULL)
        return DF_EARG;
    for (size_t i = 0; i < corpus->fields.count; i++)
        if (strcmp(corpus->fields.names[i], name) == 0) {
            *field = i;
            return DF_OK;
        }
    return DF_NOMATCH;
}

df_status df_fact_field(const df_corpus *corpus, df_fact_id id, size_t field,
                        df_field_value *out, df_error *err) {
    if (corpus == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (id < 1 || id > corpus->count)
        return df_fail(err, DF_ERANGE, 0, 0, "fact id %zu out of range 1..%zu", (size_t)id,
                       corpus->count);
    if (field >= corpus->fields.count)
        return df_fail(err, DF_ERANGE, 0, 0, "field %zu out of range (the corpus has %zu)",
                       field, corpus->fields.count);
    df_field_cell cell = corpus->fields.columns[field][id - 1];
    *out = (df_field_value){.type = cell.type, .len = cell.len,
                            .text = cell.type != DF_FIELD_ABSENT
                                        ? corpus->fields.values + cell.offset
                                        : ""};
    return DF_OK;
}
