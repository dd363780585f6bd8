/* Counting matches in a file without loading it, as grep does: the file
 * goes through one buffer of about a MiB, so memory stays small at any file
 * size and every piece is validated, split and searched while it is in the
 * cache.  A whole load pays for a fresh buffer as large as the file (page
 * faults, zeroing) before it can start.
 *
 * Results are those of df_corpus_load_file then df_count, by construction:
 * each piece ends where a fact must end (df_split_complete), so splitting it
 * alone gives the facts the whole file would.  Whatever this path does not
 * handle itself (a file that is not regular, bad options, invalid UTF-8, a
 * limit hit, a read error) is handed to that load-then-count path, which
 * reports it with its usual message: file, line, byte, fact. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

static df_status load_and_count(const char *path, const df_load_options *opts,
                                df_matcher *matcher, unsigned flags, size_t *facts,
                                size_t *matches, df_error *err) {
    df_corpus *corpus;
    df_status status = df_corpus_load_file(path, opts, &corpus, err);
    if (status != DF_OK)
        return status;
    status = df_count(corpus, matcher, flags, facts, matches, err);
    df_corpus_free(corpus);
    return status;
}

typedef struct stream {
    int fd;
    char *buf;               /* capacity + 1 + DF_SCAN_PADDING bytes */
    size_t capacity, have;   /* bytes of input it can hold; holds */
    size_t total, max_bytes; /* bytes read so far; the most allowed */
    int eof;
} stream;

/* Fill the buffer from the file.  -1 on a read error or when the file turns
 * out larger than allowed (it grew after fstat): the caller falls back. */
static int fill(stream *st) {
    while (st->have < st->capacity && !st->eof) {
        ssize_t n = read(st->fd, st->buf + st->have, st->capacity - st->have);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        st->eof = n == 0;
        st->have += (size_t)n;
        st->total += (size_t)n;
        if (st->total > st->max_bytes)
            return -1;
    }
    /* Initialised bytes after the input: the JIT reads a little ahead. */
    memset(st->buf + st->have, 0, 1 + DF_SCAN_PADDING);
    return 0;
}

/* Room for a fact longer than the buffer. */
static int grow(stream *st) {
    size_t capacity = st->capacity <= st->max_bytes / 2 ? st->capacity * 2 : st->max_bytes + 1;
    if (capacity > SIZE_MAX - 1 - DF_SCAN_PADDING)
        return -1;
    char *bigger = realloc(st->buf, capacity + 1 + DF_SCAN_PADDING);
    if (bigger == NULL)
        return -1;
    st->buf = bigger;
    st->capacity = capacity;
    return 0;
}

/* Whether buf[start..end) can be counted where it lies, without splitting:
 * when the facts are the input's own bytes (a CRLF inside a paragraph
 * becomes LF), and a scan of the whole piece can find the facts that may
 * match: the regex is context-free (see search.c) or every match holds one
 * of a few strings.  Trimming only drops whitespace, which like the NUL
 * between split facts is no word character for \b. */
static int countable_in_place(const df_regex *regex, const char *buf, size_t start, size_t end,
                              df_format format) {
    return (regex->context_free || regex->litset.count > 0) &&
           (format == DF_FORMAT_LINES || memchr(buf + start, '\r', end - start) == NULL);
}

/* The counts of buf[start..end) where it lies: a scan of the piece finds a
 * byte at or before the next match of any fact; the fact around it is
 * matched by the exact rules, and the scan goes on after it. */
static df_status count_in_place(df_matcher *matcher, const char *buf, size_t start, size_t end,
                                df_format format, unsigned flags, size_t *facts,
                                size_t *matches, df_error *err) {
    const df_regex *regex = df_matcher_regex(matcher);
    size_t from = start;
    while (from < end) {
        size_t at;
        const size_t *ov;
        if (regex->litset.count > 0) {
            at = df_litset_find(&regex->litset, buf, end, from);
        } else {
            df_status status = df_matcher_find(matcher, buf, end, from, &ov, err);
            if (status != DF_OK && status != DF_NOMATCH)
                return status;
            at = status == DF_OK ? ov[0] : end;
        }
        if (at >= end)
            break;
        size_t fact, fact_end;
        from = df_fact_around(buf, from, end, at, format, &fact, &fact_end);
        if (fact == fact_end)
            continue;
        df_cursor cursor;
        df_status status;
        size_t before = *matches;
        df_cursor_init(&cursor, 0);
        while ((status = df_matcher_next(matcher, buf + fact, fact_end - fact, &cursor, &ov,
                                         err)) == DF_OK) {
            ++*matches;
            if (flags & DF_SEARCH_FIRST_PER_FACT)
                break;
        }
        if (status != DF_OK && status != DF_NOMATCH)
            return status;
        *facts += *matches > before;
    }
    return DF_OK;
}

/* Count over the file piece by piece.  Any status but DF_OK means "use the
 * load path", which says what went wrong; so the caller's df_error is never
 * written here, and stays untouched on success. */
static df_status count_pieces(stream *st, const char *path, df_format format,
                              df_matcher *matcher, unsigned flags, size_t *facts,
                              size_t *matches) {
    df_error scratch, *err = &scratch;
    df_split split = {0};
    df_status status = DF_OK;
    int first = 1;
    *facts = *matches = 0;
    while (status == DF_OK) {
        if (fill(st) != 0) {
            status = DF_EIO;
            break;
        }
        size_t end = st->eof ? st->have : df_split_complete(st->buf, st->have, format);
        if (end == 0 && !st->eof) {
            if (st->have == st->capacity && grow(st) != 0)
                status = DF_ENOMEM;
            continue;
        }
        size_t start = first ? df_bom_length(st->buf, st->have) : 0;
        if (df_utf8_find_invalid(st->buf + start, end - start, NULL) != end - start) {
            status = DF_EUTF8;
            break;
        }
        if (countable_in_place(df_matcher_regex(matcher), st->buf, start, end, format)) {
            status = count_in_place(matcher, st->buf, start, end, format, flags, facts, matches,
                                    err);
        } else {
            status = df_split_facts(st->buf, start, end, format, 1, &split, err);
            df_corpus piece = {.text = st->buf, .text_len = split.text_len,
                               .facts = split.facts, .count = split.count,
                               .bytes = split.bytes, .name = (char *)(uintptr_t)path};
            size_t f = 0, m = 0;
            if (status == DF_OK)
                status = df_count(&piece, matcher, flags, &f, &m, err);
            *facts += f;
            *matches += m;
        }
        memmove(st->buf, st->buf + end, st->have - end);
        st->have -= end;
        first = 0;
        if (st->eof && st->have == 0)
            break;
    }
    free(split.facts);
    return status;
}

df_status df_count_file_in_pieces(const char *path, const df_load_options *opts,
                                  df_matcher *matcher, unsigned flags, size_t piece_bytes,
                                  size_t *facts, size_t *matches, df_error *err) {
    if (path == NULL || matcher == NULL || facts == NULL)
        return df_fail(err, DF_EARG, 0, 0, "df_count_file: NULL argument");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_fail(err, DF_EARG, 0, 0, "df_count_file: unknown flag bits 0x%x",
                       flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT);
    df_format format = opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS;
    stream st = {.fd = -1,
                 .max_bytes = opts != NULL && opts->max_bytes != 0
                                  ? opts->max_bytes
                                  : DF_DEFAULT_MAX_CORPUS_BYTES,
                 .capacity = piece_bytes > 0 ? piece_bytes : 1};
    struct stat sb;
    int usable = format == DF_FORMAT_PARAGRAPHS || format == DF_FORMAT_LINES ||
                 format == DF_FORMAT_FORTUNE;
    if (usable)
        st.fd = open(path, O_RDONLY | O_CLOEXEC);
    usable = st.fd >= 0 && fstat(st.fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
             (uintmax_t)sb.st_size <= st.max_bytes;
    if (usable && st.capacity > st.max_bytes)
        st.capacity = st.max_bytes;
    if (usable && (st.buf = df_alloc_input(st.capacity)) == NULL)
        usable = 0;
    size_t f = 0, m = 0;
    df_status status = DF_EIO;
    if (usable)
        status = count_pieces(&st, path, format, matcher, flags, &f, &m);
    free(st.buf);
    if (st.fd >= 0)
        close(st.fd);
    if (status != DF_OK)
        return load_and_count(path, opts, matcher, flags, facts, matches, err);
    *facts = f;
    if (matches != NULL)
        *matches = m;
    return DF_OK;
}

df_status df_count_file(const char *path, const df_load_options *opts, df_matcher *matcher,
                        unsigned flags, size_t *facts, size_t *matches, df_error *err) {
    return df_count_file_in_pieces(path, opts, matcher, flags, DF_COUNT_FILE_PIECE, facts,
                                   matches, err);
}
