/* Splitting input into facts, in place: the loader runs it once over a whole
 * file, the streaming counter (search_file.c) over one piece at a time, or asks
 * only for the fact around a byte where the input's bytes are the facts'. */
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "corpus.h"

static int is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!df_is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* As strfile(1) and fortune(6) read a cookie file: a separator is a line
 * that is exactly "%" (the caller has dropped a CR before the line break);
 * "% " or "%%" is text of a cookie. */
static int is_fortune_separator(const char *line, size_t len) {
    return len == 1 && line[0] == '%';
}

/* Whether a line (its break and a CR before it excluded) ends the fact
 * before it and belongs to no fact. */
static int is_separator(const char *line, size_t len, df_format format) {
    switch (format) {
    case DF_FORMAT_PARAGRAPHS:
        return is_blank(line, len);
    case DF_FORMAT_FORTUNE:
        return is_fortune_separator(line, len);
    case DF_FORMAT_LINES:
    case DF_FORMAT_JSONL:  /* records are read elsewhere (corpus_fields.c) */
    case DF_FORMAT_CSV:
    case DF_FORMAT_TSV:
        break;
    }
    return 1;  /* every line break ends a line-format fact */
}

/* Classic Mac OS text breaks lines with a CR alone.  Whether buf holds such
 * text is decided by its first line break, as editors decide: a CR that no
 * LF follows.  A CR at the very end of buf counts as one, so that a piece
 * cut after a CR is never taken for LF text. */
int df_cr_line_ends(const char *buf, size_t len) {
    const char *nl = memchr(buf, '\n', len);
    size_t before = nl != NULL ? (size_t)(nl - buf) : len;
    const char *cr = memchr(buf, '\r', before);
    return cr != NULL && cr + 1 != nl;
}

void df_cr_to_lf(char *buf, size_t len) {
    char *end = buf + len, *cr = buf;
    while ((cr = memchr(cr, '\r', (size_t)(end - cr))) != NULL) {
        if (cr + 1 == end || cr[1] != '\n')
            *cr = '\n';
        cr++;
    }
}

/* The splitter writes facts over the input it has already read: output never
 * overtakes input, except for the NUL after a last fact that ends the input,
 * hence one byte of slack in the buffer. */
typedef struct splitter {
    char *buf;
    size_t out;              /* write position */
    size_t fact_start;       /* where the open fact's text starts */
    size_t fact_line;        /* 0 while the open fact has no text yet */
    df_split *split;
} splitter;

static df_status close_fact(splitter *sp, df_error *err) {
    if (sp->fact_line == 0)
        return DF_OK;
    while (sp->out > sp->fact_start && df_is_space((unsigned char)sp->buf[sp->out - 1]))
        sp->out--;
    df_split *s = sp->split;
    if (s->count == DF_MAX_FACTS)  /* fact ids are df_fact_id */
        return df_fail(err, DF_ETOOBIG, sp->fact_start, sp->fact_line,
                       "more than %zu facts", (size_t)DF_MAX_FACTS);
    if (s->count == s->capacity &&
        df_grow((void **)&s->facts, &s->capacity, s->count + 1, sizeof *s->facts) != 0)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory splitting facts");
    s->facts[s->count++] = (df_fact_entry){
        .offset = sp->fact_start, .len = sp->out - sp->fact_start, .line = sp->fact_line};
    s->bytes += sp->out - sp->fact_start;
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
    if (sp->buf + sp->out != line)  /* text moves only after a CR or trimmed spaces */
        memmove(sp->buf + sp->out, line, len);
    sp->out += len;
}

df_status df_split_facts(char *buf, size_t start, size_t len, df_format format,
                         df_split *split, df_error *err) {
    splitter sp = {.buf = buf, .split = split};
    size_t pos = start, line_no = 1;
    df_status status = DF_OK;
    split->count = split->bytes = split->text_len = 0;
    while (pos < len && status == DF_OK) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - buf) : len;
        size_t line_len = end - pos;
        if (line_len > 0 && buf[end - 1] == '\r')
            line_len--;
        const char *line = buf + pos;
        if (format == DF_FORMAT_LINES) {
            add_line(&sp, line, line_len, line_no);
            status = close_fact(&sp, err);
        } else if (is_separator(line, line_len, format)) {
            status = close_fact(&sp, err);
        } else {
            add_line(&sp, line, line_len, line_no);
        }
        pos = end + 1;
        line_no++;
    }
    if (status == DF_OK)
        status = close_fact(&sp, err);
    split->text_len = sp.out;
    return status;
}

/* The start of the line holding byte `at`, not before lo.  A candidate
 * lies a hundred bytes into its line on average: a byte loop back to the
 * line's start was a sixth of a count. */
static size_t line_start(const char *buf, size_t lo, size_t at) {
#if defined(__SSE2__)
    const __m128i newline = _mm_set1_epi8('\n');
    while (at - lo >= 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(const void *)(buf + at - 16));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(block, newline));
        if (bits != 0)
            return at - 16 + (31 - (size_t)__builtin_clz(bits)) + 1;
        at -= 16;
    }
#endif
    while (at > lo && buf[at - 1] != '\n')
        at--;
    return at;
}

/* The '\n' ending the line holding byte `at`, or end. */
static size_t line_end(const char *buf, size_t at, size_t end) {
    const char *nl = memchr(buf + at, '\n', end - at);
    return nl != NULL ? (size_t)(nl - buf) : end;
}

static int is_separator_line(const char *buf, size_t start, size_t end, df_format format) {
    size_t len = end - start;
    if (len > 0 && buf[end - 1] == '\r')
        len--;
    return is_separator(buf + start, len, format);
}

size_t df_split_complete(const char *buf, size_t len, df_format format) {
    size_t after = line_start(buf, 0, len);  /* one past the last '\n', or 0 */
    while (after > 0) {
        size_t start = line_start(buf, 0, after - 1);  /* of the line that '\n' ends */
        if (is_separator_line(buf, start, after - 1, format))
            return after;
        after = start;
    }
    return 0;
}

size_t df_fact_around(const char *buf, size_t lo, size_t end, size_t at, df_format format,
                      size_t *fact_start, size_t *fact_end) {
    size_t first = line_start(buf, lo, at), last = line_end(buf, at, end);
    size_t next = last < end ? last + 1 : end;
    *fact_start = *fact_end = first;
    if (format != DF_FORMAT_LINES) {
        /* A fact is a run of lines between separators. */
        if (is_separator_line(buf, first, last, format))
            return next;
        while (first > lo) {
            size_t previous = line_start(buf, lo, first - 1);
            if (is_separator_line(buf, previous, first - 1, format))
                break;
            first = previous;
        }
        while (next < end) {
            size_t e = line_end(buf, next, end);
            if (is_separator_line(buf, next, e, format))
                break;
            last = e;
            next = e < end ? e + 1 : end;
        }
    }
    /* Trimming also drops the blank lines a fortune fact starts with. */
    while (first < last && df_is_space((unsigned char)buf[first]))
        first++;
    while (last > first && df_is_space((unsigned char)buf[last - 1]))
        last--;
    *fact_start = first;
    *fact_end = last;
    return next;
}

/* One walk of the lines gives both counts: memchr finds each line's end,
 * and a line's first bytes tell whether it holds text.  In the lines
 * format a fact is such a line, which vectors count 64 bytes at a time. */
size_t df_count_facts(const char *buf, size_t lo, size_t hi, df_format format, size_t *newlines) {
    if (format == DF_FORMAT_LINES)
        return df_count_text_lines(buf + lo, hi - lo, newlines);
    size_t facts = 0, lines = 0, pos = lo;
    int open = 0;  /* the run of lines since the last separator holds text */
    while (pos < hi) {
        size_t end = line_end(buf, pos, hi);
        lines += end < hi;
        if (is_separator_line(buf, pos, end, format)) {
            open = 0;
        } else if (!open && !is_blank(buf + pos, end - pos)) {
            open = 1;
            facts++;
        }
        pos = end + 1;
    }
    *newlines = lines;
    return facts;
}
