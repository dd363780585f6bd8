/* Loading: read → validate UTF-8 once → split into facts, in place (corpus_split.c). */
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

/* Takes ownership of buf (len bytes of input, from df_alloc_input). */
static df_status build_corpus(char *buf, size_t len, df_format format,
                              const char *name, df_corpus **out, df_error *err) {
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
    df_split split = {0};
    df_status status = df_split_facts(buf, df_bom_length(buf, len), len, format, &split, err);
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

static df_status check_options(const df_load_options *opts, df_format *format,
                               size_t *max_bytes, df_error *err) {
    *format = opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS;
    *max_bytes = opts != NULL && opts->max_bytes != 0 ? opts->max_bytes
                                                       : DF_DEFAULT_MAX_CORPUS_BYTES;
    if (*format != DF_FORMAT_PARAGRAPHS && *format != DF_FORMAT_LINES &&
        *format != DF_FORMAT_FORTUNE)
        return df_fail(err, DF_EARG, 0, 0, "unknown corpus format %d", (int)*format);
    if (opts != NULL && (opts->flags & ~(unsigned)DF_LOAD_MMAP))
        return df_fail(err, DF_EARG, 0, 0, "unknown load flag bits 0x%x",
                       opts->flags & ~(unsigned)DF_LOAD_MMAP);
    return DF_OK;
}

df_status df_corpus_load_buffer(const char *data, size_t len, const df_load_options *opts,
                                df_corpus **out, df_error *err) {
    df_format format;
    size_t max_bytes;
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (data == NULL && len > 0)
        return df_fail(err, DF_EARG, 0, 0, "NULL data");
    df_status status = check_options(opts, &format, &max_bytes, err);
    if (status != DF_OK)
        return status;
    const char *name = opts != NULL && opts->name != NULL ? opts->name : "<buffer>";
    if (len > max_bytes)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: %zu bytes is more than the limit of %zu",
                       name, len, max_bytes);
    char *buf = df_alloc_input(len);
    if (buf == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory for %zu bytes", name, len);
    if (len > 0)
        memcpy(buf, data, len);
    return build_corpus(buf, len, format, name, out, err);
}

df_status df_corpus_load_file(const char *path, const df_load_options *opts,
                              df_corpus **out, df_error *err) {
    df_format format;
    size_t max_bytes, len = 0;
    char *buf = NULL;
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (path == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL path");
    df_status status = check_options(opts, &format, &max_bytes, err);
    if (status != DF_OK)
        return status;
    status = df_read_file(path, max_bytes, &buf, &len, err);
    if (status != DF_OK)
        return status;
    return build_corpus(buf, len, format, path, out, err);
}

df_status df_corpus_load_stream(FILE *stream, const df_load_options *opts, df_corpus **out,
                                df_error *err) {
    df_format format;
    size_t max_bytes, len = 0;
    char *buf = NULL;
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (stream == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL stream");
    df_status status = check_options(opts, &format, &max_bytes, err);
    if (status != DF_OK)
        return status;
    const char *name = opts != NULL && opts->name != NULL ? opts->name : "<stream>";
    status = df_read_stream(stream, name, max_bytes, &buf, &len, err);
    if (status != DF_OK)
        return status;
    return build_corpus(buf, len, format, name, out, err);
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
    free(corpus);
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
    *out = (df_fact){.id = id, .text = corpus->text + f->offset, .len = f->len, .line = f->line};
    return DF_OK;
}
