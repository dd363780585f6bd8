/* Loading: read → validate UTF-8 once → split into facts, in place (corpus_split.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

extern const unsigned char df_embedded_corpus[];
extern const size_t df_embedded_corpus_size;

static char *copy_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

/* How to load, from df_load_options with the defaults filled in. */
typedef struct load_settings {
    df_format format;
    size_t max_bytes;
    const char *text_field;
} load_settings;

static int is_records(df_format format) {
    return format == DF_FORMAT_JSONL || format == DF_FORMAT_CSV || format == DF_FORMAT_TSV;
}

/* The facts and fields of records in buf[start..len) into corpus. */
static df_status read_records(const char *buf, size_t start, size_t len,
                              const load_settings *how, df_corpus *corpus, df_error *err) {
    df_records r;
    if (df_records_init(&r, corpus->name, how->text_field, len - start) != 0)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", corpus->name);
    df_status status =
        how->format == DF_FORMAT_JSONL
            ? df_read_jsonl(buf, start, len, &r, err)
            : df_read_csv(buf, start, len, how->format == DF_FORMAT_TSV ? '\t' : ',', &r, err);
    if (status == DF_OK)
        status = df_records_finish(&r, corpus, err);
    df_records_free(&r);
    return status;
}

/* Takes ownership of buf (len bytes of input, from df_alloc_input). */
static df_status build_corpus(char *buf, size_t len, const load_settings *how,
                              const char *name, df_corpus **out, df_error *err) {
    /* First, so that every line number (in errors, of facts) counts CRs. */
    size_t bom = df_bom_length(buf, len);
    if (df_cr_line_ends(buf + bom, len - bom))
        df_cr_to_lf(buf + bom, len - bom);
    const char *reason;
    size_t bad = df_utf8_find_invalid(buf, len, &reason);
    if (bad != len) {
        size_t line = df_line_of(buf, bad);
        free(buf);
        return df_fail(err, DF_EUTF8, bad, line, "%s:%zu: invalid UTF-8 at byte offset %zu: %s",
                       name, line, bad, reason);
    }
    df_corpus *corpus = calloc(1, sizeof *corpus);
    if (corpus == NULL || (corpus->name = copy_string(name)) == NULL) {
        free(corpus);
        free(buf);
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", name);
    }
    if (is_records(how->format)) {
        df_status status = read_records(buf, bom, len, how, corpus, err);
        free(buf);
        if (status != DF_OK) {
            df_corpus_free(corpus);
            return status;
        }
        *out = corpus;
        return DF_OK;
    }
    df_split split = {0};
    df_status status = df_split_facts(buf, bom, len, how->format, &split, err);
    if (status != DF_OK) {
        free(split.facts);
        free(buf);
        df_corpus_free(corpus);
        return status;
    }
    corpus->facts = split.facts;
    corpus->count = split.count;
    corpus->bytes = split.bytes;
    corpus->text_len = split.text_len;
    /* Give back what trimming saved, keeping the padding; the input buffer
     * has room for it (see df_alloc_input). */
    memset(buf + corpus->text_len, 0, DF_SCAN_PADDING);
    char *shrunk = realloc(buf, corpus->text_len + DF_SCAN_PADDING);
    corpus->text = shrunk != NULL ? shrunk : buf;
    *out = corpus;
    return DF_OK;
}

static df_status check_options(const df_load_options *opts, load_settings *how,
                               df_error *err) {
    how->format = opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS;
    how->max_bytes = opts != NULL && opts->max_bytes != 0 ? opts->max_bytes
                                                           : DF_DEFAULT_MAX_CORPUS_BYTES;
    how->text_field = opts != NULL && opts->text_field != NULL ? opts->text_field : "text";
    if (how->format != DF_FORMAT_PARAGRAPHS && how->format != DF_FORMAT_LINES &&
        how->format != DF_FORMAT_FORTUNE && !is_records(how->format))
        return df_fail(err, DF_EARG, 0, 0, "unknown corpus format %d", (int)how->format);
    if (opts != NULL && (opts->flags & ~(unsigned)DF_LOAD_MMAP))
        return df_fail(err, DF_EARG, 0, 0, "unknown load flag bits 0x%x",
                       opts->flags & ~(unsigned)DF_LOAD_MMAP);
    return DF_OK;
}

/* The checks every loader starts with: out (cleared first, so that it is
 * NULL on any error), the input (`what` names it when it is missing), the
 * options. */
static df_status start_load(df_corpus **out, int has_input, const char *what,
                            const df_load_options *opts, load_settings *how, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (!has_input)
        return df_fail(err, DF_EARG, 0, 0, "NULL %s", what);
    return check_options(opts, how, err);
}

df_status df_corpus_load_buffer(const char *data, size_t len, const df_load_options *opts,
                                df_corpus **out, df_error *err) {
    load_settings how = {0};
    df_status status = start_load(out, data != NULL || len == 0, "data", opts, &how, err);
    if (status != DF_OK)
        return status;
    const char *name = opts != NULL && opts->name != NULL ? opts->name : "<buffer>";
    if (len > how.max_bytes)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: %zu bytes is more than the limit of %zu",
                       name, len, how.max_bytes);
    char *buf = df_alloc_input(len);
    if (buf == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory for %zu bytes", name, len);
    if (len > 0)
        memcpy(buf, data, len);
    return build_corpus(buf, len, &how, name, out, err);
}

df_status df_corpus_load_file(const char *path, const df_load_options *opts,
                              df_corpus **out, df_error *err) {
    load_settings how = {0};
    char *buf = NULL;
    size_t len = 0;
    df_status status = start_load(out, path != NULL, "path", opts, &how, err);
    if (status == DF_OK)
        status = df_read_file(path, how.max_bytes, &buf, &len, err);
    return status == DF_OK ? build_corpus(buf, len, &how, path, out, err) : status;
}

df_status df_corpus_load_stream(FILE *stream, const df_load_options *opts, df_corpus **out,
                                df_error *err) {
    load_settings how = {0};
    char *buf = NULL;
    size_t len = 0;
    const char *name = opts != NULL && opts->name != NULL ? opts->name : "<stream>";
    df_status status = start_load(out, stream != NULL, "stream", opts, &how, err);
    if (status == DF_OK)
        status = df_read_stream(stream, name, how.max_bytes, &buf, &len, err);
    return status == DF_OK ? build_corpus(buf, len, &how, name, out, err) : status;
}

df_status df_corpus_load_embedded(df_corpus **out, df_error *err) {
    df_load_options opts = {.format = DF_FORMAT_PARAGRAPHS, .name = "<embedded>"};
    return df_corpus_load_buffer((const char *)df_embedded_corpus, df_embedded_corpus_size,
                                 &opts, out, err);
}

void df_corpus_free(df_corpus *corpus) {
    if (corpus == NULL)
        return;
    free(corpus->text);
    free(corpus->facts);
    free(corpus->name);
    df_paths_free(corpus->sources, corpus->source_count);
    df_fields_free(&corpus->fields);
    free(corpus);
}

/* ------------------------------------------------------ several sources */

/* Append part (loaded from source number `source`) to *whole. */
static void append_part(df_corpus *whole, const df_corpus *part, size_t source) {
    memcpy(whole->text + whole->text_len, part->text, part->text_len);
    for (size_t i = 0; i < part->count; i++) {
        df_fact_entry f = part->facts[i];
        f.offset += whole->text_len;
        f.source = source;
        whole->facts[whole->count++] = f;
    }
    whole->text_len += part->text_len;
    whole->bytes += part->bytes;
}

/* The corpus of one file is its part, named and given its source (files,
 * taken over) in place: copying it as merge_parts does would hold the text
 * twice at the peak of the load. */
static df_status adopt_part(df_corpus **part, char **files, const char *name, df_corpus **out,
                            df_error *err) {
    char *copy = copy_string(name);
    if (copy == NULL) {
        df_paths_free(files, 1);
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", name);
    }
    df_corpus *whole = *part;
    *part = NULL;
    free(whole->name);
    whole->name = copy;
    whole->sources = files;
    whole->source_count = 1;
    *out = whole;
    return DF_OK;
}

/* One corpus of parts[0..n), loaded from files[0..n) (taken over). */
static df_status merge_parts(df_corpus **parts, char **files, size_t n, const char *name,
                             df_corpus **out, df_error *err) {
    if (n == 1)
        return adopt_part(&parts[0], files, name, out, err);
    size_t text_len = 0, count = 0;
    for (size_t i = 0; i < n; i++) {
        text_len += parts[i]->text_len;
        count += parts[i]->count;
    }
    if (count > DF_MAX_FACTS) {  /* fact ids are df_fact_id */
        df_paths_free(files, n);
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: more than %zu facts", name,
                       (size_t)DF_MAX_FACTS);
    }
    df_corpus *whole = calloc(1, sizeof *whole);
    if (whole != NULL) {
        whole->sources = files;
        whole->source_count = n;
    }
    if (whole == NULL || (whole->name = copy_string(name)) == NULL ||
        (whole->text = df_alloc_input(text_len)) == NULL ||
        (whole->facts = calloc(count ? count : 1, sizeof *whole->facts)) == NULL) {
        if (whole == NULL)
            df_paths_free(files, n);
        df_corpus_free(whole);
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", name);
    }
    df_status status = df_fields_merge(&whole->fields, parts, n, count, err);
    if (status != DF_OK) {
        df_corpus_free(whole);
        return status;
    }
    for (size_t i = 0; i < n; i++)
        append_part(whole, parts[i], i);
    memset(whole->text + whole->text_len, 0, DF_SCAN_PADDING);
    *out = whole;
    return DF_OK;
}

df_status df_corpus_load_paths(const char *const *paths, size_t count,
                               const df_load_options *opts, df_corpus **out, df_error *err) {
    load_settings how = {0};
    df_status status = start_load(out, paths != NULL || count == 0, "paths", opts, &how, err);
    if (status != DF_OK)
        return status;
    for (size_t i = 0; i < count; i++)
        if (paths[i] == NULL)
            return df_fail(err, DF_EARG, 0, 0, "NULL path %zu", i + 1);
    char unnamed[64];
    snprintf(unnamed, sizeof unnamed, "<%zu sources>", count);
    const char *corpus_name = opts != NULL && opts->name != NULL ? opts->name
                              : count == 1                       ? paths[0]
                                                                 : unnamed;
    char **files;
    size_t n;
    if ((status = df_expand_paths(paths, count, &files, &n, err)) != DF_OK)
        return status;
    df_corpus **parts = calloc(n ? n : 1, sizeof *parts);
    if (parts == NULL) {
        df_paths_free(files, n);
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", corpus_name);
    }
    size_t total = 0;
    df_load_options file_opts = {.format = how.format, .max_bytes = how.max_bytes,
                                 .text_field = how.text_field};
    for (size_t i = 0; i < n && status == DF_OK; i++) {
        status = df_corpus_load_file(files[i], &file_opts, &parts[i], err);
        if (status == DF_OK && (total += parts[i]->bytes) > how.max_bytes)
            status = df_fail(err, DF_ETOOBIG, 0, 0, "%s: the sources hold more than the limit "
                             "of %zu bytes (at %s)", corpus_name, how.max_bytes, files[i]);
    }
    if (status == DF_OK)
        status = merge_parts(parts, files, n, corpus_name, out, err);
    else
        df_paths_free(files, n);
    for (size_t i = 0; i < n; i++)
        df_corpus_free(parts[i]);
    free(parts);
    return status;
}

size_t df_corpus_source_count(const df_corpus *corpus) {
    if (corpus == NULL)
        return 0;
    return corpus->sources != NULL ? corpus->source_count : 1;
}

const char *df_corpus_source(const df_corpus *corpus, size_t i) {
    if (corpus == NULL || i >= df_corpus_source_count(corpus))
        return NULL;
    return corpus->sources != NULL ? corpus->sources[i] : corpus->name;
}

size_t df_corpus_count(const df_corpus *corpus) {
    return corpus != NULL ? corpus->count : 0;
}

size_t df_corpus_bytes(const df_corpus *corpus) {
    return corpus != NULL ? corpus->bytes : 0;
}

const char *df_corpus_name(const df_corpus *corpus) {
    return corpus != NULL ? corpus->name : NULL;
}

df_status df_corpus_fact(const df_corpus *corpus, df_fact_id id, df_fact *out, df_error *err) {
    if (corpus == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (id < 1 || id > corpus->count)
        return df_fail(err, DF_ERANGE, 0, 0, "fact id %zu out of range 1..%zu", (size_t)id,
                       corpus->count);
    const df_fact_entry *f = &corpus->facts[id - 1];
    *out = (df_fact){.id = id, .text = corpus->text + f->offset, .len = f->len, .line = f->line,
                     .source = df_corpus_source_of(corpus, f)};
    return DF_OK;
}
