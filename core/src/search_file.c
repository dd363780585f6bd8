/* Counting matches in a file without loading it, as grep does: the file
 * goes through one buffer of 256 KiB, so memory stays small at any file size
 * and every piece is validated and searched while it is in the cache.  A
 * whole load pays for a fresh buffer as large as the file (page faults,
 * zeroing) before it can start.  With DF_LOAD_MMAP the pieces are read where
 * the file is mapped, as ripgrep does, which saves the copy.
 *
 * Results are those of df_corpus_load_file then df_count, by construction:
 * each piece ends where a fact must end (df_split_complete), so it holds
 * the facts the whole file would, found in place (df_fact_around) or by
 * splitting it alone.  Whatever this path does not
 * handle itself (a file that is not regular, bad options, invalid UTF-8, a
 * limit hit, a read error) is handed to that load-then-count path, which
 * reports it with its usual message: file, line, byte, fact.
 *
 * df_search_file reads the same pieces and hands on each fact with matches
 * as it is found; a fact's id and line come from counting the facts
 * (df_count_facts) and line breaks that lie between hits. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE  /* MAP_POPULATE, where the system has it */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "search.h"

/* Linux maps every page of the file in one call when asked: a tenth of a
 * rare query's time on 100 MiB, which faulting page by page would add. */
#if defined(MAP_POPULATE)
#define MAP_PREFAULT MAP_POPULATE
#else
#define MAP_PREFAULT 0
#endif

/* The corpus df_corpus_load_file(path, opts) loads.  `open_fd`, when not
 * -1, is the file already opened: a FIFO or a pipe is read from it, as
 * opening it again would wait for a writer that is gone (its data went to
 * the first open).  The descriptor is closed here. */
static df_status load_whole(const char *path, int open_fd, const df_load_options *opts,
                            df_corpus **corpus, df_error *err) {
    df_status status;
    FILE *stream = open_fd >= 0 ? fdopen(open_fd, "rb") : NULL;
    if (stream != NULL) {
        df_load_options named = opts != NULL ? *opts : (df_load_options){0};
        named.name = path;
        named.flags &= ~(unsigned)DF_LOAD_MMAP;
        status = df_corpus_load_stream(stream, &named, corpus, err);
        fclose(stream);
    } else {
        if (open_fd >= 0)
            close(open_fd);
        status = df_corpus_load_file(path, opts, corpus, err);
    }
    return status;
}

static df_status load_and_count(const char *path, int open_fd, const df_load_options *opts,
                                df_matcher *matcher, unsigned flags, size_t *facts,
                                size_t *matches, df_error *err) {
    df_corpus *corpus;
    df_status status = load_whole(path, open_fd, opts, &corpus, err);
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
    const char *map;         /* with DF_LOAD_MMAP: the file, map_len bytes */
    size_t map_len;
    int keep_fd;             /* a file not regular: the load path reads fd */
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

/* Room for `need` bytes of input (a fact longer than the buffer). */
static int grow(stream *st, size_t need) {
    size_t capacity = st->capacity;
    while (capacity < need) {
        if (capacity > st->max_bytes)
            return -1;
        capacity = capacity <= st->max_bytes / 2 ? capacity * 2 : st->max_bytes + 1;
    }
    if (capacity == st->capacity)
        return 0;
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
 * match: the regex is context-free (see search_facts.c) or every match holds one
 * of a few strings.  Trimming only drops whitespace, which like the NUL
 * between split facts is no word character for \b. */
static int countable_in_place(const df_matcher *matcher, const char *buf, size_t start,
                              size_t end, df_format format) {
    return df_matcher_scans_text(matcher) &&
           (format == DF_FORMAT_LINES || memchr(buf + start, '\r', end - start) == NULL);
}

/* Whether the match buf[at..match_end), found by the scan, lies within
 * its fact in the lines format, told without looking for the line's start:
 * it holds no line break, and neither starts nor ends with a space (the
 * fact is its line trimmed).  SIZE_MAX, a string that only says where a
 * match may be, is no match. */
static int within_its_line(const char *buf, size_t at, size_t match_end) {
    return match_end != SIZE_MAX && match_end > at &&
           !df_is_space((unsigned char)buf[at]) &&
           !df_is_space((unsigned char)buf[match_end - 1]) &&
           memchr(buf + at, '\n', match_end - at) == NULL;
}

/* Check the UTF-8 of buf[start..end) unless *checked says it was: 0 when
 * it is not valid. */
static int check_once(const char *buf, size_t start, size_t end, int *checked) {
    if (!*checked && df_utf8_find_invalid(buf + start, end - start, NULL) != end - start)
        return 0;
    *checked = 1;
    return 1;
}

/* The counts of buf[start..end) where it lies: a scan of the piece finds a
 * byte at or before the next match of any fact; the fact around it is
 * matched by the exact rules, and the scan goes on after it.  The piece's
 * UTF-8 is checked, if *checked does not say it was, before PCRE2 first
 * reads it (see count_piece). */
static df_status count_in_place(df_matcher *matcher, const char *buf, size_t start, size_t end,
                                df_format format, unsigned flags, df_counts *counts,
                                int *checked, df_error *err) {
    size_t from = start;
    while (from < end) {
        size_t at, match_end;
        df_status status = df_next_candidate(matcher, buf, end, from, &at, &match_end, err);
        if (status == DF_NOMATCH)
            break;
        if (status != DF_OK)
            return status;
        if ((flags & DF_SEARCH_FIRST_PER_FACT) && format == DF_FORMAT_LINES &&
            within_its_line(buf, at, match_end)) {
            const char *newline = memchr(buf + match_end, '\n', end - match_end);
            from = newline != NULL ? (size_t)(newline - buf) + 1 : end;
            counts->facts++;
            counts->matches++;
            continue;
        }
        size_t fact, fact_end;
        from = df_fact_around(buf, from, end, at, format, &fact, &fact_end);
        if (fact == fact_end)
            continue;
        /* A match of a context-free regex that lies within the fact is one
         * of the fact's own (its \b sees whitespace or a subject's end at
         * the fact's edges, both no word character): when one per fact is
         * all that counts, the fact needs no second look.  (A string of a
         * set that only says where a match may be has a match_end of
         * SIZE_MAX; one of a set that decides the pattern is its match.) */
        if ((flags & DF_SEARCH_FIRST_PER_FACT) && fact <= at && match_end <= fact_end) {
            counts->facts++;
            counts->matches++;
            continue;
        }
        /* The fact alone, as a table of one, through the one search loop. */
        if (!check_once(buf, start, end, checked))
            return DF_EUTF8;
        df_fact_entry entry = {fact, fact_end - fact, 0, 0};
        df_fact_table one = {buf, fact_end, &entry, 1, "", NULL};
        uint32_t first = 1;
        counts->last_visit = SIZE_MAX;
        status = df_search_table(&one, &first, 1, matcher, flags, df_count_match, counts, err);
        if (status != DF_OK)
            return status;
    }
    return DF_OK;
}

typedef struct file_search file_search;
typedef struct piece_counter piece_counter;

/* What is done with a piece: text[start..end), which ends where a fact must
 * end.  `writable`: text is ours, with room and padding after end, so that
 * it can be split in place; else it is copied into st->buf first if need
 * be.  Any status but DF_OK stops the reading. */
typedef df_status (*piece_fn)(piece_counter *pc, stream *st, const char *text, size_t start,
                              size_t end, int writable);

/* Everything one piece needs besides its bytes. */
struct piece_counter {
    df_format format;
    df_matcher *matcher;
    unsigned flags;
    const char *name;
    piece_fn piece;          /* count_piece or search_piece */
    df_split split;          /* reused from piece to piece */
    df_counts counts;
    file_search *search;     /* search_piece's */
    df_error err;            /* never the caller's: see count_pieces */
};

/* Split text[start..end) into facts, in st->buf. */
static df_status split_piece(piece_counter *pc, stream *st, const char *text, size_t start,
                             size_t end, int writable, df_fact_table *piece) {
    if (!writable) {
        if (grow(st, end) != 0)
            return DF_ENOMEM;
        memcpy(st->buf, text, end);
        memset(st->buf + end, 0, 1 + DF_SCAN_PADDING);
    }
    df_status status = df_split_facts(st->buf, start, end, pc->format, &pc->split, &pc->err);
    *piece = (df_fact_table){st->buf, pc->split.text_len, pc->split.facts, pc->split.count,
                             pc->name, NULL};
    return status;
}

/* Validate and count a piece.  A scan for strings reads the piece as
 * bytes, and PCRE2 (told not to check) must not read it unchecked; so when
 * the scan is by strings the check waits until PCRE2 needs it, or until
 * the scan is done.  The scan is then what brings the piece from memory,
 * and its own work hides the wait; the check, after it, reads the cache
 * (df_count_file of 100 MiB, mapped: an alternation 28.3 -> 24.2 ms,
 * Gosling 22.7 -> 20.0). */
static df_status count_piece(piece_counter *pc, stream *st, const char *text, size_t start,
                             size_t end, int writable) {
    int checked = 0;
    if (countable_in_place(pc->matcher, text, start, end, pc->format)) {
        if (df_matcher_litset(pc->matcher)->count == 0 && !check_once(text, start, end, &checked))
            return DF_EUTF8;  /* PCRE2's own scan reads the whole piece */
        df_status status = count_in_place(pc->matcher, text, start, end, pc->format, pc->flags,
                                          &pc->counts, &checked, &pc->err);
        if (status == DF_OK && !check_once(text, start, end, &checked))
            return DF_EUTF8;
        return status;
    }
    if (!check_once(text, start, end, &checked))
        return DF_EUTF8;
    df_fact_table piece;
    df_status status = split_piece(pc, st, text, start, end, writable, &piece);
    if (status != DF_OK)
        return status;
    pc->counts.last_visit = SIZE_MAX;
    return df_search_table(&piece, NULL, 0, pc->matcher, pc->flags, df_count_match, &pc->counts,
                           &pc->err);
}

/* Pieces read into the buffer: each ends where a fact must end, and the
 * rest of the buffer moves to its front for the next. */
static df_status read_pieces(piece_counter *pc, stream *st) {
    df_status status = DF_OK;
    int first = 1;
    while (status == DF_OK) {
        if (fill(st) != 0)
            return DF_EIO;
        /* CR line ends are made LF by the load path, for the whole file. */
        size_t bom = df_bom_length(st->buf, st->have);
        if (first && df_cr_line_ends(st->buf + bom, st->have - bom))
            return DF_EIO;
        size_t end = st->eof ? st->have : df_split_complete(st->buf, st->have, pc->format);
        if (end == 0 && !st->eof) {
            if (st->have == st->capacity && grow(st, st->capacity + 1) != 0)
                return DF_ENOMEM;
            continue;
        }
        size_t start = first ? bom : 0;
        status = pc->piece(pc, st, st->buf, start, end, 1);
        memmove(st->buf, st->buf + end, st->have - end);
        st->have -= end;
        first = 0;
        if (st->eof && st->have == 0)
            break;
    }
    return status;
}

/* Pieces of the mapped file, searched where they lie; only a piece that
 * must be split, and the last (the JIT may read a little past the end of
 * its subject, and past the mapping there may be no page), are copied. */
static df_status mapped_pieces(piece_counter *pc, stream *st) {
    const char *map = st->map;
    size_t pos = df_bom_length(map, st->map_len), start = pos;
    if (df_cr_line_ends(map + pos, st->map_len - pos))
        return DF_EIO;  /* CR line ends: the load path makes them LF */
    df_status status = DF_OK;
    while (pos < st->map_len && status == DF_OK) {
        size_t rest = st->map_len - pos, want = st->capacity, cut = 0;
        while (want < rest && (cut = df_split_complete(map + pos, want, pc->format)) == 0)
            want = want <= rest / 2 ? want * 2 : rest;
        size_t end = want < rest ? pos + cut : st->map_len;
        if (end == st->map_len) {
            if (grow(st, end - pos) != 0)
                return DF_ENOMEM;
            memcpy(st->buf, map + pos, end - pos);
            memset(st->buf + (end - pos), 0, 1 + DF_SCAN_PADDING);
            status = pc->piece(pc, st, st->buf, start - pos, end - pos, 1);
        } else {
            status = pc->piece(pc, st, map + pos, start - pos, end - pos, 0);
        }
        pos = start = end;
    }
    return status;
}

/* The file at path opened for reading in pieces of piece_bytes, or mapped;
 * returns whether it can be (else the caller takes the load path). */
static int open_stream(stream *st, const char *path, const df_load_options *opts,
                       size_t piece_bytes) {
    df_format format = opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS;
    *st = (stream){.fd = -1,
                   .max_bytes = opts != NULL && opts->max_bytes != 0
                                    ? opts->max_bytes
                                    : DF_DEFAULT_MAX_CORPUS_BYTES,
                   .capacity = piece_bytes > 0 ? piece_bytes : 1};
    unsigned load_flags = opts != NULL ? opts->flags : 0;
    struct stat sb;
    int usable = (format == DF_FORMAT_PARAGRAPHS || format == DF_FORMAT_LINES ||
                  format == DF_FORMAT_FORTUNE) &&
                 (load_flags & ~(unsigned)DF_LOAD_MMAP) == 0;
    if (usable)
        st->fd = open(path, O_RDONLY | O_CLOEXEC);
    int known = st->fd >= 0 && fstat(st->fd, &sb) == 0;
    usable = known && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size <= st->max_bytes;
    /* A file that is not regular is read once, through this descriptor. */
    st->keep_fd = !usable && known && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode);
    if (usable && st->capacity > st->max_bytes)
        st->capacity = st->max_bytes;
    if (usable && (st->buf = df_alloc_input(st->capacity)) == NULL)
        usable = 0;
    if (usable && (load_flags & DF_LOAD_MMAP) && sb.st_size > 0) {
        /* Where mapping fails, reading serves. */
        void *map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_PREFAULT,
                         st->fd, 0);
        if (map != MAP_FAILED) {
            st->map = map;
            st->map_len = (size_t)sb.st_size;
        }
    }
    return usable;
}

/* Release what open_stream took; returns the descriptor the load path must
 * read from (see load_whole), or -1. */
static int close_stream(stream *st) {
    if (st->map != NULL)
        munmap((void *)(uintptr_t)st->map, st->map_len);
    free(st->buf);
    if (st->keep_fd)
        return st->fd;
    if (st->fd >= 0)
        close(st->fd);
    return -1;
}

/* Count over the file piece by piece.  Any status but DF_OK means "use the
 * load path", which says what went wrong; so the caller's df_error is never
 * written here, and stays untouched on success. */
static df_status count_pieces(stream *st, const char *path, df_format format,
                              df_matcher *matcher, unsigned flags, size_t *facts,
                              size_t *matches) {
    piece_counter pc = {.format = format, .matcher = matcher, .flags = flags, .name = path,
                        .piece = count_piece};
    df_status status = st->map != NULL ? mapped_pieces(&pc, st) : read_pieces(&pc, st);
    free(pc.split.facts);
    *facts = pc.counts.facts;
    *matches = pc.counts.matches;
    return status;
}

static df_status check_arguments(const char *path, const df_matcher *matcher, int have_out,
                                 unsigned flags, df_error *err) {
    if (path == NULL || matcher == NULL || !have_out)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT)
        return df_fail(err, DF_EARG, 0, 0, "unknown flag bits 0x%x",
                       flags & ~(unsigned)DF_SEARCH_FIRST_PER_FACT);
    return DF_OK;
}

df_status df_count_file_in_pieces(const char *path, const df_load_options *opts,
                                  df_matcher *matcher, unsigned flags, size_t piece_bytes,
                                  size_t *facts, size_t *matches, df_error *err) {
    df_status status = check_arguments(path, matcher, facts != NULL, flags, err);
    if (status != DF_OK)
        return status;
    stream st;
    size_t f = 0, m = 0;
    status = DF_EIO;
    if (open_stream(&st, path, opts, piece_bytes))
        status = count_pieces(&st, path, opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS,
                              matcher, flags, &f, &m);
    int fd = close_stream(&st);
    if (status != DF_OK)
        return load_and_count(path, fd, opts, matcher, flags, facts, matches, err);
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

/* ------------------------------------------------------------ searching */

/* The search of one file: where the pieces stand, and the fact whose
 * matches are being gathered. */
struct file_search {
    df_hit_fn fn;
    void *userdata;
    size_t first_id;         /* ids of earlier files */
    const char *source;
    size_t facts, lines;     /* facts and line breaks before the piece position */
    /* The facts searched now: visit v is fact id first_id + id_base + v + 1,
     * its entry's line counted from line_base. */
    const df_fact_table *table;
    size_t id_base, line_base;
    size_t skip;             /* facts of the file already handed on */
    int pending;             /* a fact's matches are being gathered */
    size_t visit;            /* its visit */
    size_t *spans;           /* its match spans, span_count pairs */
    size_t span_count, span_capacity;
    int stopped, out_of_memory;
    /* A piece searched where it lies: the facts and lines of in_place are
     * counted up to `counted` so far (see catch_up). */
    const char *in_place;
    size_t counted;
    df_format format;
};

/* Count the facts and lines of the piece searched in place up to byte
 * `to`, where no fact is open.  Done only when a hit is handed on, and at
 * the piece's end: most facts a scan proposes hold no match, and counting
 * up to each of them cost more than the scan. */
static void catch_up(file_search *fs, size_t to) {
    size_t newlines;
    fs->facts += df_count_facts(fs->in_place, fs->counted, to, fs->format, &newlines);
    fs->lines += newlines;
    fs->counted = to;
}

/* Hand the gathered fact to the caller. */
static int deliver(file_search *fs) {
    const df_fact_entry *entry = &fs->table->facts[fs->visit];
    if (fs->in_place != NULL) {
        catch_up(fs, entry->offset);
        fs->id_base = fs->facts;
        fs->line_base = fs->lines;
    }
    size_t local = fs->id_base + fs->visit + 1;
    df_fact fact = {(df_fact_id)(fs->first_id + local), fs->table->text + entry->offset,
                    entry->len, fs->line_base + entry->line, fs->source};
    fs->pending = 0;
    fs->skip = local;
    if (fs->fn(&fact, fs->spans, fs->span_count, fs->userdata) != 0)
        fs->stopped = 1;
    return fs->stopped;
}

/* df_search_table's callback: gathers the matches of a fact, and hands on
 * the one before when a new one starts. */
static int gather(const df_match *match, void *userdata) {
    file_search *fs = userdata;
    if (fs->pending && match->visit != fs->visit && deliver(fs))
        return 1;
    if (!fs->pending) {
        if (fs->in_place == NULL && fs->id_base + match->visit < fs->skip)
            return 0;  /* handed on before the load path took over */
        fs->pending = 1;
        fs->visit = match->visit;
        fs->span_count = 0;
    }
    if (fs->span_count == fs->span_capacity &&
        df_grow((void **)&fs->spans, &fs->span_capacity, 2 * (fs->span_count + 1),
                2 * sizeof *fs->spans) != 0) {
        fs->out_of_memory = 1;
        return 1;
    }
    fs->spans[2 * fs->span_count] = match->ovector[0];
    fs->spans[2 * fs->span_count + 1] = match->ovector[1];
    fs->span_count++;
    return 0;
}

/* Search `table` (facts id_base + 1.. of the file, lines from line_base)
 * through the one search loop, every fact with matches handed on. */
static df_status search_facts_of(file_search *fs, const df_fact_table *table, const uint32_t *ids,
                                 size_t count, size_t id_base, size_t line_base,
                                 df_matcher *matcher, unsigned flags, df_error *err) {
    fs->table = table;
    fs->id_base = id_base;
    fs->line_base = line_base;
    fs->pending = 0;
    df_error failure;
    df_status status =
        df_search_table(table, ids, count, matcher, flags, gather, fs, &failure);
    if (fs->out_of_memory)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory gathering matches");
    /* A limit hit in a later fact than the one gathered (the error names
     * its line, and facts start on lines of their own): that one is whole. */
    if (fs->pending && !fs->stopped &&
        (status == DF_OK || failure.line != table->facts[fs->visit].line))
        deliver(fs);
    if (status != DF_OK && err != NULL)
        *err = failure;
    return status;
}

/* Hand on a fact whose first match the scan found, [from, to) of it. */
static df_status deliver_found(file_search *fs, const df_fact_table *one, size_t from, size_t to,
                               df_error *err) {
    if (fs->span_capacity == 0 &&
        df_grow((void **)&fs->spans, &fs->span_capacity, 2, 2 * sizeof *fs->spans) != 0)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory gathering matches");
    fs->table = one;
    fs->visit = 0;
    fs->spans[0] = from;
    fs->spans[1] = to;
    fs->span_count = 1;
    deliver(fs);
    return DF_OK;
}

/* A piece searched where it lies (see count_in_place): each candidate's
 * fact alone goes through the one search loop; facts and lines are
 * counted when a hit is handed on (catch_up).  Unless *checked says it
 * was, the piece's UTF-8 is checked at its first hit, before the fact is
 * matched or handed on (a check up to each hit cost more in calls than the
 * cache saved, with hits a few hundred bytes apart), or after the scan. */
static df_status search_in_place(piece_counter *pc, const char *buf, size_t start, size_t end,
                                 int *checked) {
    file_search *fs = pc->search;
    fs->in_place = buf;
    fs->counted = start;
    fs->format = pc->format;
    size_t from = start;
    df_status status = DF_OK;
    while (from < end) {
        size_t at, match_end;
        status = df_next_candidate(pc->matcher, buf, end, from, &at, &match_end, &pc->err);
        if (status != DF_OK)
            break;
        size_t fact, fact_end;
        size_t next = df_fact_around(buf, from, end, at, pc->format, &fact, &fact_end);
        from = next;
        if (fact == fact_end)
            continue;
        if (!check_once(buf, start, end, checked)) {
            status = DF_EUTF8;
            break;
        }
        df_fact_entry entry = {fact, fact_end - fact, 1, 0};
        df_fact_table one = {buf, fact_end, &entry, 1, pc->name, NULL};
        uint32_t first = 1;
        /* When one match per fact is all that is asked, the scan's match
         * is it, as in count_in_place: no second look. */
        if ((pc->flags & DF_SEARCH_FIRST_PER_FACT) && fact <= at && match_end <= fact_end)
            status = deliver_found(fs, &one, at - fact, match_end - fact, &pc->err);
        else
            status = search_facts_of(fs, &one, &first, 1, 0, 0, pc->matcher, pc->flags,
                                     &pc->err);
        if (status != DF_OK || fs->stopped)
            break;
    }
    if (status == DF_NOMATCH || (status == DF_OK && !fs->stopped)) {
        catch_up(fs, end);
        if (!check_once(buf, start, end, checked))
            status = DF_EUTF8;
    }
    fs->in_place = NULL;
    if (status == DF_OK && fs->stopped)
        return DF_NOMATCH;  /* stops the reading */
    return status == DF_NOMATCH ? DF_OK : status;
}

/* Validate and search a piece; DF_NOMATCH when the caller asked to stop. */
static df_status search_piece(piece_counter *pc, stream *st, const char *text, size_t start,
                              size_t end, int writable) {
    file_search *fs = pc->search;
    /* As count_piece: a scan for strings reads bytes, so the check can
     * follow it, before the first fact is matched or handed on. */
    int checked = 0;
    if (df_matcher_litset(pc->matcher)->count == 0 && !check_once(text, start, end, &checked))
        return DF_EUTF8;
    if (countable_in_place(pc->matcher, text, start, end, pc->format))
        return search_in_place(pc, text, start, end, &checked);
    if (!check_once(text, start, end, &checked))
        return DF_EUTF8;
    size_t lines = df_count_newlines(text + start, end - start);  /* before splitting moves them */
    df_fact_table piece;
    df_status status = split_piece(pc, st, text, start, end, writable, &piece);
    if (status == DF_OK)
        status = search_facts_of(fs, &piece, NULL, 0, fs->facts, fs->lines, pc->matcher,
                                 pc->flags, &pc->err);
    if (status != DF_OK)
        return status;
    if (fs->stopped)
        return DF_NOMATCH;
    fs->facts += piece.count;
    fs->lines += lines;
    return DF_OK;
}

/* The load path's search: the facts not handed on yet, with the error
 * loading then searching gives. */
static df_status load_and_search(const char *path, int open_fd, const df_load_options *opts,
                                 df_matcher *matcher, unsigned flags, file_search *fs,
                                 df_error *err) {
    df_corpus *corpus;
    df_status status = load_whole(path, open_fd, opts, &corpus, err);
    if (status != DF_OK)
        return status;
    df_fact_table table = df_corpus_table(corpus);
    status = search_facts_of(fs, &table, NULL, 0, 0, 0, matcher, flags, err);
    fs->facts = corpus->count;
    df_corpus_free(corpus);
    return status;
}

df_status df_search_file_in_pieces(const char *path, const df_load_options *opts,
                                   df_matcher *matcher, unsigned flags, size_t first_id,
                                   size_t piece_bytes, df_hit_fn fn, void *userdata,
                                   size_t *facts, df_error *err) {
    df_status status = check_arguments(path, matcher, fn != NULL, flags, err);
    if (status != DF_OK)
        return status;
    file_search fs = {.fn = fn, .userdata = userdata, .first_id = first_id, .source = path};
    piece_counter pc = {.format = opts != NULL ? opts->format : DF_FORMAT_PARAGRAPHS,
                        .matcher = matcher, .flags = flags, .name = path,
                        .piece = search_piece, .search = &fs};
    stream st;
    status = DF_EIO;
    if (open_stream(&st, path, opts, piece_bytes))
        status = st.map != NULL ? mapped_pieces(&pc, &st) : read_pieces(&pc, &st);
    int fd = close_stream(&st);
    free(pc.split.facts);
    if (status == DF_NOMATCH && fs.stopped)
        status = DF_OK;
    else if (status != DF_OK)
        status = load_and_search(path, fd, opts, matcher, flags, &fs, err);
    else if (fd >= 0)
        close(fd);
    free(fs.spans);
    if (facts != NULL)
        *facts = fs.facts;
    return status;
}

df_status df_search_file(const char *path, const df_load_options *opts, df_matcher *matcher,
                         unsigned flags, size_t first_id, df_hit_fn fn, void *userdata,
                         size_t *facts, df_error *err) {
    return df_search_file_in_pieces(path, opts, matcher, flags, first_id, DF_COUNT_FILE_PIECE,
                                    fn, userdata, facts, err);
}
