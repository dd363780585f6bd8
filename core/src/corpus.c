/* Loading: read → validate UTF-8 once → split into facts, in place. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

extern const unsigned char df_embedded_corpus[];
extern const size_t df_embedded_corpus_size;

static const char utf8_bom[] = "\xEF\xBB\xBF";


static int is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!df_is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

static char *copy_string(const char *s) {
    size_t n = strlen(s) + 1;
    char *copy = malloc(n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

/* The splitter writes facts over the input it has already read: output never
 * overtakes input, except for the NUL after a last fact that ends the file,
 * hence one byte of slack in the buffer. */
typedef struct splitter {
    char *buf;
    size_t out;              /* write position */
    size_t fact_start;       /* where the open fact's text starts */
    size_t fact_line;        /* 0 while the open fact has no text yet */
    df_fact_entry *facts;
    size_t count, capacity;
    size_t bytes;
} splitter;

static df_status close_fact(splitter *sp, df_error *err) {
    if (sp->fact_line == 0)
        return DF_OK;
    while (sp->out > sp->fact_start && df_is_space((unsigned char)sp->buf[sp->out - 1]))
        sp->out--;
    if (sp->count == sp->capacity) {
        size_t capacity = sp->capacity ? sp->capacity * 2 : 256;
        df_fact_entry *facts = capacity <= SIZE_MAX / sizeof *facts
                                   ? realloc(sp->facts, capacity * sizeof *facts)
                                   : NULL;
        if (facts == NULL)
            return df_fail(err, DF_ENOMEM, 0, 0, "out of memory splitting facts");
        sp->facts = facts;
        sp->capacity = capacity;
    }
    sp->facts[sp->count++] = (df_fact_entry){
        .offset = sp->fact_start, .len = sp->out - sp->fact_start, .line = sp->fact_line};
    sp->bytes += sp->out - sp->fact_start;
    sp->buf[sp->out++] = '\0';
    sp->fact_start = sp->out;
    sp->fact_line = 0;
    return DF_OK;
}

/* Append one line (without its line break) to the open fact. */
static void add_line(splitter *sp, const char *line, size_t len, size_t line_no) {
    if (sp->fact_line == 0) {
        while (len > 0 && df_is_space((unsigned char)*line)) {
            line++;
            len--;
        }
        if (len == 0)
            return;
        sp->fact_line = line_no;
    } else {
        sp->buf[sp->out++] = '\n';
    }
    memmove(sp->buf + sp->out, line, len);
    sp->out += len;
}

static int is_fortune_separator(const char *line, size_t len) {
    return len >= 1 && line[0] == '%' && is_blank(line + 1, len - 1);
}

/* Split buf[start..len) into facts; buf has room for len + 1 bytes. */
static df_status split_facts(char *buf, size_t start, size_t len, df_format format,
                             df_corpus *corpus, df_error *err) {
    splitter sp = {.buf = buf};
    size_t pos = start, line_no = 1;
    df_status status = DF_OK;
    while (pos < len && status == DF_OK) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - buf) : len;
        size_t line_len = end - pos;
        if (line_len > 0 && buf[end - 1] == '\r')
            line_len--;
        const char *line = buf + pos;
        switch (format) {
        case DF_FORMAT_PARAGRAPHS:
            if (is_blank(line, line_len))
                status = close_fact(&sp, err);
            else
                add_line(&sp, line, line_len, line_no);
            break;
        case DF_FORMAT_LINES:
            add_line(&sp, line, line_len, line_no);
            status = close_fact(&sp, err);
            break;
        case DF_FORMAT_FORTUNE:
            if (is_fortune_separator(line, line_len))
                status = close_fact(&sp, err);
            else
                add_line(&sp, line, line_len, line_no);
            break;
        }
        pos = end + 1;
        line_no++;
    }
    if (status == DF_OK)
        status = close_fact(&sp, err);
    if (status != DF_OK) {
        free(sp.facts);
        return status;
    }
    corpus->facts = sp.facts;
    corpus->count = sp.count;
    corpus->bytes = sp.bytes;
    corpus->text_len = sp.out;
    return DF_OK;
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
    size_t start = len >= 3 && memcmp(buf, utf8_bom, 3) == 0 ? 3 : 0;
    df_status status = split_facts(buf, start, len, format, corpus, err);
    if (status != DF_OK) {
        free(buf);
        df_corpus_free(corpus);
        return status;
    }
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
    return DF_OK;
}

df_status df_corpus_load_buffer(const char *data, size_t len, const df_load_options *opts,
                                df_corpus **out, df_error *err) {
    df_format format;
    size_t max_bytes;
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_corpus_load_buffer: NULL out");
    *out = NULL;
    if (data == NULL && len > 0)
        return df_fail(err, DF_EARG, 0, 0, "df_corpus_load_buffer: NULL data");
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
        return df_fail(err, DF_EARG, 0, 0, "df_corpus_load_file: NULL out");
    *out = NULL;
    if (path == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_corpus_load_file: NULL path");
    df_status status = check_options(opts, &format, &max_bytes, err);
    if (status != DF_OK)
        return status;
    status = df_read_file(path, max_bytes, &buf, &len, err);
    if (status != DF_OK)
        return status;
    return build_corpus(buf, len, format, path, out, err);
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

df_status df_corpus_fact(const df_corpus *corpus, size_t id, df_fact *out, df_error *err) {
    if (corpus == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_corpus_fact: NULL argument");
    if (id < 1 || id > corpus->count)
        return df_fail(err, DF_ERANGE, 0, 0, "fact id %zu out of range 1..%zu", id,
                       corpus->count);
    const df_fact_entry *f = &corpus->facts[id - 1];
    *out = (df_fact){.id = id, .text = corpus->text + f->offset, .len = f->len, .line = f->line};
    return DF_OK;
}
