/* Tests for df_count_file and df_search_file (search_file.c): counting or
 * searching over a file piece by piece must give what loading the file and
 * counting or searching gives, counts, hits and errors alike, whatever the
 * piece size.  The oracle is df_corpus_load_file +
 * df_count or df_search; tiny pieces put every byte at a piece boundary. */
#define _POSIX_C_SOURCE 200809L

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "search.h"
#include "temp_files.h"

/* --------------------------------------------------------------- helpers */

static df_matcher *new_matcher(const char *pattern, unsigned re_flags, const df_limits *limits,
                               df_regex **re) {
    df_error err;
    df_matcher *m;
    if (df_regex_compile(pattern, strlen(pattern), re_flags, re, &err) != DF_OK)
        fail_msg("pattern %s: %s", pattern, err.message);
    assert_int_equal(df_matcher_new(*re, limits, &m, &err), DF_OK);
    return m;
}

/* Hits written down as text, one line per fact: id, line, source, text and
 * spans, so that two searches compare with one string comparison. */
typedef struct record {
    char *text;
    size_t len, cap;
    size_t hits, stop_after;  /* stop_after: 0 for never */
} record;

static void append(record *r, const char *data, size_t len) {
    if (r->len + len + 1 > r->cap) {
        r->cap = 2 * (r->len + len + 1);
        r->text = realloc(r->text, r->cap);
        assert_non_null(r->text);
    }
    memcpy(r->text + r->len, data, len);
    r->len += len;
    r->text[r->len] = '\0';
}

static void appendf(record *r, const char *fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof buf);
    append(r, buf, (size_t)n);
}

static int write_hit(const df_fact *fact, const size_t *spans, size_t count, void *userdata) {
    record *r = userdata;
    appendf(r, "%u@%zu %s [", (unsigned)fact->id, fact->line, fact->source);
    append(r, fact->text, fact->len);
    append(r, "]", 1);
    for (size_t i = 0; i < count; i++) {
        assert_true(spans[2 * i] <= spans[2 * i + 1] && spans[2 * i + 1] <= fact->len);
        appendf(r, " %zu-%zu", spans[2 * i], spans[2 * i + 1]);
    }
    append(r, "\n", 1);
    return r->stop_after != 0 && ++r->hits == r->stop_after;
}

/* The oracle: load, then df_search, facts gathered as df_search_file does. */
typedef struct loaded_hits {
    record *r;
    const df_corpus *corpus;
    size_t first_id;
    df_fact_id id;           /* the fact being gathered, 0 for none */
    size_t spans[1024];
    size_t count;
    int stopped;
} loaded_hits;

static int flush_loaded(loaded_hits *lh) {
    if (lh->id == 0 || lh->stopped)
        return lh->stopped;
    df_fact fact;
    assert_int_equal(df_corpus_fact(lh->corpus, lh->id, &fact, NULL), DF_OK);
    fact.id = (df_fact_id)(fact.id + lh->first_id);
    lh->id = 0;
    lh->stopped = write_hit(&fact, lh->spans, lh->count, lh->r);
    return lh->stopped;
}

static int gather_loaded(const df_match *match, void *userdata) {
    loaded_hits *lh = userdata;
    if (lh->id != match->fact_id && flush_loaded(lh))
        return 1;
    if (lh->id == 0) {
        lh->id = match->fact_id;
        lh->count = 0;
    }
    if (lh->count < sizeof lh->spans / sizeof lh->spans[0] / 2) {
        lh->spans[2 * lh->count] = match->ovector[0];
        lh->spans[2 * lh->count + 1] = match->ovector[1];
        lh->count++;
    } else {
        fail_msg("more matches in one fact than the oracle keeps");
    }
    return 0;
}

/* ---------------------------------------------------- the two functions */

/* df_count_file and df_search_file read a file the same way, piece by
 * piece, and are checked the same way: each call is run once on the loaded
 * corpus (the oracle) and again in pieces, and the outcomes compared. */
typedef enum api_under_test { COUNT, SEARCH } api_under_test;

/* One call.  first_id and stop_after (0 for never) are df_search_file's. */
typedef struct call {
    api_under_test api;
    df_matcher *m;
    unsigned flags;
    size_t first_id, stop_after;
} call;

/* What a call gives: counts for COUNT, hits written down for SEARCH. */
typedef struct outcome {
    df_status status;
    size_t facts, matches;
    record hits;
    df_error err;
} outcome;

static outcome start_outcome(const call *c) {
    outcome o;
    memset(&o, 0, sizeof o);
    if (c->api == SEARCH) {
        o.hits.stop_after = c->stop_after;
        append(&o.hits, "", 0);
    }
    return o;
}

/* Fact by fact, so that a fact's hits are complete when it ends. */
static df_status search_loaded(const df_corpus *corpus, const call *c, outcome *o) {
    loaded_hits lh = {.r = &o->hits, .corpus = corpus, .first_id = c->first_id};
    df_status status = DF_OK;
    for (df_fact_id id = 1; id <= df_corpus_count(corpus) && !lh.stopped; id++) {
        status = df_search_ids(corpus, &id, 1, c->m, c->flags, gather_loaded, &lh, &o->err);
        if (status != DF_OK)
            break;
        flush_loaded(&lh);
    }
    o->facts = df_corpus_count(corpus);
    return status;
}

static outcome by_loading(const char *path, const df_load_options *opts, const call *c) {
    outcome o = start_outcome(c);
    df_corpus *corpus;
    o.status = df_corpus_load_file(path, opts, &corpus, &o.err);
    if (o.status == DF_OK) {
        o.status = c->api == COUNT
                       ? df_count(corpus, c->m, c->flags, &o.facts, &o.matches, &o.err)
                       : search_loaded(corpus, c, &o);
        df_corpus_free(corpus);
    }
    return o;
}

static outcome by_pieces(const char *path, const df_load_options *opts, const call *c,
                         size_t piece) {
    outcome o = start_outcome(c);
    if (c->api == COUNT)
        o.status = df_count_file_in_pieces(path, opts, c->m, c->flags, piece, &o.facts,
                                           &o.matches, &o.err);
    else
        o.status = df_search_file_in_pieces(path, opts, c->m, c->flags, c->first_id, piece,
                                            write_hit, &o.hits, &o.facts, &o.err);
    return o;
}

static void free_outcome(outcome *o) {
    free(o->hits.text);
}

/* A search counts the facts it read, so its count is only the oracle's
 * when it read to the end: not stopped early by its callback, not failed. */
static int facts_comparable(const call *c, const outcome *want) {
    if (c->api == COUNT)
        return 1;
    return want->status == DF_OK &&
           (want->hits.stop_after == 0 || want->hits.hits < want->hits.stop_after);
}

/* The same counts and hits, and on failure the same error (the hits a
 * search handed on before it failed are checked where a test makes it
 * fail). */
static void expect_same(const call *c, const outcome *want, const outcome *got,
                        const char *what) {
    if (want->status != got->status || want->matches != got->matches ||
        (facts_comparable(c, want) && want->facts != got->facts))
        fail_msg("%s: loading gives %s %zu facts %zu matches (%s); pieces give %s %zu %zu (%s)",
                 what, df_status_name(want->status), want->facts, want->matches,
                 want->err.message, df_status_name(got->status), got->facts, got->matches,
                 got->err.message);
    if (want->status == DF_OK && c->api == SEARCH &&
        strcmp(want->hits.text, got->hits.text) != 0)
        fail_msg("%s: loading gives\n%s\npieces give\n%s", what, want->hits.text,
                 got->hits.text);
    if (want->status != DF_OK) {
        assert_string_equal(want->err.message, got->err.message);
        assert_int_equal(want->err.offset, got->err.offset);
        assert_int_equal(want->err.line, got->err.line);
    }
}

/* ------------------------------------------------------------ generator */

static uint32_t lcg_state;

static uint32_t lcg_next(void) {
    lcg_state = lcg_state * 1103515245u + 12345u;
    return lcg_state >> 8;
}

/* Pieces of fact files, chosen to sit on the splitter's edges: line breaks
 * of both kinds, blank lines that are not empty, separators, padding that
 * trimming removes, words next to the ends of facts, a NUL, non-ASCII. */
static const char *const parts[] = {
    "Gosling", "drive", "Drive", " ", "  ", "\t", "\n", "\n", "\n", "\r\n", "\r\n",
    "\n\n", "\r\n\r\n", "\n \n", "\n%\n", "\n% \r\n", "%", "ab", "a\nb", "é", "Café",
    "x", "\v", "\f", "Ryan Gosling", "QX-1234-ZZ", "\r", ".", "\xEF\xBB\xBF",
};

static size_t random_file(char *buf, size_t cap) {
    size_t n = 0;
    if (lcg_next() % 8 == 0) {
        memcpy(buf, "\xEF\xBB\xBF", 3);  /* a BOM */
        n = 3;
    }
    size_t target = lcg_next() % 160;
    while (n < target) {
        const char *p = parts[lcg_next() % (sizeof parts / sizeof parts[0])];
        size_t len = strlen(p);
        if (lcg_next() % 40 == 0 && n + 1 < cap)
            buf[n++] = '\0';
        if (n + len > cap)
            break;
        memcpy(buf + n, p, len);
        n += len;
    }
    return n;
}

/* ----------------------------------------------------------------- tests */

static const struct {
    const char *pattern;
    unsigned flags;
} queries[] = {
    {"Gosling", 0},
    {"drive", DF_CASELESS | DF_WORD},
    {"a\\nb", 0},               /* across a line break inside a fact */
    {"b\\na", 0},               /* the same where the file has CRLF */
    {"\\s", 0},                 /* matches the separators too */
    {"b\\s+a", 0},
    {"\\bé", 0},
    {"^Ryan", 0},               /* not context-free: fact by fact */
    {"^(?:Ryan|Gosling)", 0},   /* nor this, but every match holds one of two strings */
    {"Gosling$", 0},
    {"x*", 0},                  /* empty matches */
    {"[^a]{3}", 0},
    {"\\r", 0},
    {"%", DF_LITERAL},
    {"\\x00", 0},
    {"QX-\\d{4}-ZZ", 0},
    {"Gosling|Refn|ab", 0},     /* strings that decide, so the scan's match is the first */
    {"(?i)gosling|ryan", 0},
    {" Gosling|Refn ", 0},      /* strings that may start or end in a separator */
};

/* Random files in every format, every query, pieces of every size, read
 * and mapped.  Returns how many oracle runs found something, so that the
 * caller can tell the runs did not just compare zeros. */
static size_t same_as_loading_random_files(api_under_test api, int files, const size_t *pieces,
                                           size_t npieces, size_t *runs) {
    static const df_format formats[] = {DF_FORMAT_PARAGRAPHS, DF_FORMAT_LINES,
                                        DF_FORMAT_FORTUNE};
    enum { nqueries = sizeof queries / sizeof queries[0] };
    char path[512], data[400];
    temp_path(path, sizeof path, api == COUNT ? "random" : "search");
    df_regex *re[nqueries];
    df_matcher *m[nqueries];
    for (size_t q = 0; q < nqueries; q++)
        m[q] = new_matcher(queries[q].pattern, queries[q].flags, NULL, &re[q]);
    size_t found = 0;
    for (int file = 0; file < files; file++) {
        size_t len = random_file(data, sizeof data);
        write_file(path, data, len);
        for (size_t f = 0; f < 3; f++) {
            df_load_options opts = {.format = formats[f]};
            for (size_t q = 0; q < nqueries; q++) {
                call c = {.api = api, .m = m[q]};
                c.flags = (file + q) % 2 ? DF_SEARCH_FIRST_PER_FACT : 0;
                if (api == SEARCH) {
                    c.first_id = (size_t)(file % 3) * 1000;
                    c.stop_after = (file + q) % 5 == 0 ? 1 + (size_t)file % 3 : 0;
                }
                outcome want = by_loading(path, &opts, &c);
                found += want.matches > 0 || want.hits.len > 0;
                for (size_t p = 0; p < 2 * npieces; p++) {
                    /* Read, then mapped (DF_LOAD_MMAP), piece by piece. */
                    df_load_options how = opts;
                    size_t piece = pieces[p % npieces];
                    how.flags = p < npieces ? 0 : DF_LOAD_MMAP;
                    outcome got = by_pieces(path, &how, &c, piece);
                    char what[160];
                    snprintf(what, sizeof what, "file %d, format %zu, /%s/, piece %zu%s", file,
                             f, queries[q].pattern, piece, how.flags ? ", mapped" : "");
                    expect_same(&c, &want, &got, what);
                    free_outcome(&got);
                    (*runs)++;
                }
                free_outcome(&want);
            }
        }
    }
    for (size_t q = 0; q < nqueries; q++) {
        df_matcher_free(m[q]);
        df_regex_free(re[q]);
    }
    unlink(path);
    return found;
}

static void test_same_as_loading_random_files(void **state) {
    (void)state;
    static const size_t pieces[] = {1, 2, 3, 5, 16, 64, DF_COUNT_FILE_PIECE};
    size_t runs = 0;
    lcg_state = 20110916u;
    size_t found = same_as_loading_random_files(COUNT, 300, pieces,
                                                sizeof pieces / sizeof pieces[0], &runs);
    /* Most runs must count something, or they compare zeros. */
    assert_true(found > 300 * 3 * 16 / 2);
    assert_true(runs > 20000);
}

static void test_search_same_as_loading_random_files(void **state) {
    (void)state;
    static const size_t pieces[] = {1, 3, 64, DF_COUNT_FILE_PIECE};
    size_t runs = 0;
    lcg_state = 20260101u;
    size_t found = same_as_loading_random_files(SEARCH, 40, pieces,
                                                sizeof pieces / sizeof pieces[0], &runs);
    assert_true(found > 40 * 3 * 16 / 4);
    assert_true(runs > 10000 / 2);
}

/* The hits a search handed on before it failed at `bad_line`: only facts
 * before that line, each once, in order. */
static void expect_hits_before(const outcome *got, size_t bad_line) {
    size_t line = 0, id = 0;
    for (const char *h = got->hits.text; *h != '\0'; h = strchr(h, '\n') + 1) {
        unsigned hit_id;
        assert_int_equal(sscanf(h, "%u@%zu", &hit_id, &line), 2);
        assert_int_equal(hit_id, ++id);
        assert_true(line < bad_line);
    }
}

/* One pattern and flags of invalid_utf8_reported_as_loading_does. */
static void invalid_utf8_with(api_under_test api, const char *pattern, unsigned flags) {
    char path[512], data[300];
    temp_path(path, sizeof path, api == COUNT ? "utf8" : "search-utf8");
    df_regex *re;
    call c = {.api = api, .m = new_matcher(pattern, 0, NULL, &re), .flags = flags};
    for (size_t bad = 0; bad < 200; bad += 7) {
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = i % 11 == 10 ? '\n' : 'a';
        data[bad] = (char)0xC0;
        write_file(path, data, sizeof data);
        df_load_options opts = {.format = DF_FORMAT_LINES};
        outcome want = by_loading(path, &opts, &c);
        assert_int_equal(want.status, DF_EUTF8);
        for (size_t piece = 1; piece <= 256; piece *= 4) {
            for (unsigned how = 0; how <= DF_LOAD_MMAP; how += DF_LOAD_MMAP) {
                opts.flags = how;
                outcome got = by_pieces(path, &opts, &c, piece);
                expect_same(&c, &want, &got, "invalid UTF-8");
                assert_non_null(strstr(got.err.message, path));
                if (api == SEARCH)
                    expect_hits_before(&got, want.err.line);
                free_outcome(&got);
            }
        }
        free_outcome(&want);
    }
    df_matcher_free(c.m);
    df_regex_free(re);
    unlink(path);
}

/* Bad input: the same error as loading, naming the file, wherever the bad
 * byte falls; a search hands on the hits before it.  The patterns take
 * each way of scanning: PCRE2's own, strings that decide (counting one
 * match per fact, the scan alone: the piece is checked after it), one
 * string that decides, and one string a regex that is not context-free
 * requires (PCRE2 runs on each candidate). */
static void invalid_utf8_reported_as_loading_does(api_under_test api) {
    static const char *const patterns[] = {"a+", "aaa|bbb", "aaa", "^aaa"};
    for (size_t p = 0; p < sizeof patterns / sizeof patterns[0]; p++) {
        invalid_utf8_with(api, patterns[p], 0);
        invalid_utf8_with(api, patterns[p], DF_SEARCH_FIRST_PER_FACT);
    }
}

static void test_invalid_utf8_reported_as_loading_does(void **state) {
    (void)state;
    invalid_utf8_reported_as_loading_does(COUNT);
}

static void test_search_invalid_utf8_after_hits(void **state) {
    (void)state;
    invalid_utf8_reported_as_loading_does(SEARCH);
}

/* The embedded corpus's source file, a real one: 122 facts. */
static void test_counts_the_data_file(void **state) {
    (void)state;
    df_regex *re;
    df_matcher *m = new_matcher("Gosling", 0, NULL, &re);
    size_t facts = 0, matches = 0;
    df_error err;
    assert_int_equal(df_count_file(DF_SOURCE_DIR "/core/data/drive-2011.txt", NULL, m, 0, &facts,
                                   &matches, &err),
                     DF_OK);
    call c = {.api = COUNT, .m = m};
    outcome want = by_loading(DF_SOURCE_DIR "/core/data/drive-2011.txt", NULL, &c);
    assert_true(facts > 10);
    assert_int_equal(facts, want.facts);
    assert_int_equal(matches, want.matches);
    df_matcher_free(m);
    df_regex_free(re);
}

static void test_file_errors_reported_as_loading_does(void **state) {
    (void)state;
    char path[512];
    df_regex *re;
    df_matcher *m = new_matcher("a", 0, NULL, &re);
    call c = {.api = COUNT, .m = m};
    df_load_options opts = {.format = DF_FORMAT_LINES};
    /* Missing, a directory, a path through a file. */
    const char *paths[] = {DF_BINARY_DIR "/no-such-file.txt", DF_BINARY_DIR,
                           DF_SOURCE_DIR "/core/data/drive-2011.txt/x"};
    for (size_t i = 0; i < 3; i++) {
        outcome want = by_loading(paths[i], &opts, &c);
        assert_int_equal(want.status, DF_EIO);
        outcome got = by_pieces(paths[i], &opts, &c, 16);
        expect_same(&c, &want, &got, paths[i]);
    }
    /* Larger than max_bytes. */
    temp_path(path, sizeof path, "big");
    write_file(path, "a\nb\nc\n", 6);
    opts.max_bytes = 5;
    outcome want = by_loading(path, &opts, &c);
    assert_int_equal(want.status, DF_ETOOBIG);
    outcome got = by_pieces(path, &opts, &c, 2);
    expect_same(&c, &want, &got, "max_bytes");
    /* Exactly max_bytes is fine. */
    opts.max_bytes = 6;
    got = by_pieces(path, &opts, &c, 2);
    assert_int_equal(got.status, DF_OK);
    assert_int_equal(got.facts, 1);
    /* Mapped: the same limits. */
    opts.max_bytes = 5;
    opts.flags = DF_LOAD_MMAP;
    want = by_loading(path, &opts, &c);
    assert_int_equal(want.status, DF_ETOOBIG);
    got = by_pieces(path, &opts, &c, 2);
    expect_same(&c, &want, &got, "max_bytes, mapped");
    opts.max_bytes = 6;
    got = by_pieces(path, &opts, &c, 2);
    assert_int_equal(got.status, DF_OK);
    assert_int_equal(got.facts, 1);
    /* An unknown load flag. */
    opts.flags = 0x40;
    want = by_loading(path, &opts, &c);
    assert_int_equal(want.status, DF_EARG);
    assert_non_null(strstr(want.err.message, "0x40"));
    got = by_pieces(path, &opts, &c, 2);
    expect_same(&c, &want, &got, "bad load flag");
    opts.flags = 0;
    /* An unknown format. */
    opts.format = (df_format)42;
    want = by_loading(path, &opts, &c);
    assert_int_equal(want.status, DF_EARG);
    got = by_pieces(path, &opts, &c, 2);
    expect_same(&c, &want, &got, "bad format");
    df_matcher_free(m);
    df_regex_free(re);
    unlink(path);
}

/* A limit hit in fact 3: the error names the fact and its line, as
 * df_count's does; a search hands on facts 1 and 2 once before it. */
static void match_limit_reported_as_loading_does(api_under_test api) {
    char path[512];
    temp_path(path, sizeof path, api == COUNT ? "limit" : "search-limit");
    const char text[] = "aaa\n\naaa\n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\n\naaa\n";
    write_file(path, text, sizeof text - 1);
    df_limits limits = {.match_limit = 1000, .depth_limit = 1000};
    df_regex *re;
    call c = {.api = api, .m = new_matcher("(a|aa)+$", 0, &limits, &re)};
    outcome want = by_loading(path, NULL, &c);
    assert_true(want.status == DF_EMATCHLIMIT || want.status == DF_EDEPTHLIMIT);
    assert_non_null(strstr(want.err.message, "fact 3"));
    char first_two[1200];
    snprintf(first_two, sizeof first_two, "1@1 %s [aaa] 0-3\n2@3 %s [aaa] 0-3\n", path, path);
    for (size_t piece = 1; piece <= 64; piece *= 2) {
        outcome got = by_pieces(path, NULL, &c, piece);
        expect_same(&c, &want, &got, "match limit");
        if (api == SEARCH)
            assert_string_equal(got.hits.text, first_two);
        free_outcome(&got);
    }
    free_outcome(&want);
    df_matcher_free(c.m);
    df_regex_free(re);
    unlink(path);
}

static void test_match_limit_reported_as_loading_does(void **state) {
    (void)state;
    match_limit_reported_as_loading_does(COUNT);
}

static void test_search_match_limit_after_hits(void **state) {
    (void)state;
    match_limit_reported_as_loading_does(SEARCH);
}

/* A mapped file ending at a page boundary, or a byte before or after one,
 * with a match in its last bytes: the last piece is searched in a copy,
 * where the JIT may read past it. */
static void test_mapped_file_ends_at_page_boundary(void **state) {
    (void)state;
    long page = sysconf(_SC_PAGESIZE);
    assert_true(page > 0);
    char path[512];
    temp_path(path, sizeof path, "page");
    df_regex *re[2];
    df_matcher *m[2] = {new_matcher("Gosling", 0, NULL, &re[0]),
                        new_matcher("(?:Drive|Gosling)$", 0, NULL, &re[1])};
    for (long size = page - 1; size <= 2 * page + 1; size += page / 2 - 1) {
        char *data = malloc((size_t)size);
        assert_non_null(data);
        for (long i = 0; i < size; i++)
            data[i] = i % 50 == 49 ? '\n' : 'x';
        memcpy(data + size - 7, "Gosling", 7);
        write_file(path, data, (size_t)size);
        free(data);
        df_load_options opts = {.format = DF_FORMAT_LINES, .flags = DF_LOAD_MMAP};
        for (size_t k = 0; k < 2; k++) {
            call c = {.api = COUNT, .m = m[k]};
            outcome want = by_loading(path, &opts, &c);
            assert_int_equal(want.facts, 1);
            for (size_t piece = 64; piece <= 4 * (size_t)page; piece *= 4) {
                outcome got = by_pieces(path, &opts, &c, piece);
                expect_same(&c, &want, &got, "page boundary");
            }
        }
    }
    for (size_t k = 0; k < 2; k++) {
        df_matcher_free(m[k]);
        df_regex_free(re[k]);
    }
    unlink(path);
}

/* Not a regular file: loaded whole, as df_corpus_load_file reads it. */
/* A file with CR line ends (decided by its first line break) counts as
 * the load reads it, each CR a line break, in pieces read or mapped. */
static void test_cr_line_ends_count_as_loaded(void **state) {
    (void)state;
    char path[512], data[6000];
    temp_path(path, sizeof path, "cr");
    size_t len = 0;
    for (int i = 0; i < 1000; i++)
        len += (size_t)snprintf(data + len, sizeof data - len, "x%d\r", i % 10);
    write_file(path, data, len);
    df_regex *re;
    df_matcher *m = new_matcher("^x[0-4]$", 0, NULL, &re);
    static const size_t pieces[] = {1, 7, 64, DF_COUNT_FILE_PIECE};
    for (size_t p = 0; p < 2 * (sizeof pieces / sizeof pieces[0]); p++) {
        df_load_options opts = {.format = DF_FORMAT_LINES};
        opts.flags = p < sizeof pieces / sizeof pieces[0] ? 0 : DF_LOAD_MMAP;
        call c = {.api = COUNT, .m = m};
        outcome got = by_pieces(path, &opts, &c, pieces[p % (sizeof pieces / sizeof pieces[0])]);
        assert_int_equal(got.status, DF_OK);
        assert_int_equal(got.facts, 500);
        assert_int_equal(got.matches, 500);
    }
    df_matcher_free(m);
    df_regex_free(re);
    unlink(path);
}

static void test_device_is_loaded_whole(void **state) {
    (void)state;
    df_regex *re;
    df_matcher *m = new_matcher("a", 0, NULL, &re);
    size_t facts = 99, matches = 99;
    df_error err;
    assert_int_equal(df_count_file("/dev/null", NULL, m, 0, &facts, &matches, &err), DF_OK);
    assert_int_equal(facts, 0);
    assert_int_equal(matches, 0);
    df_matcher_free(m);
    df_regex_free(re);
}

static void test_arguments(void **state) {
    (void)state;
    df_regex *re;
    df_matcher *m = new_matcher("a", 0, NULL, &re);
    size_t facts;
    df_error err;
    const char *file = DF_SOURCE_DIR "/core/data/drive-2011.txt";
    assert_int_equal(df_count_file(NULL, NULL, m, 0, &facts, NULL, &err), DF_EARG);
    assert_int_equal(df_count_file(file, NULL, NULL, 0, &facts, NULL, &err), DF_EARG);
    assert_int_equal(df_count_file(file, NULL, m, 0, NULL, NULL, &err), DF_EARG);
    assert_int_equal(df_count_file(file, NULL, m, 0x80, &facts, NULL, &err), DF_EARG);
    assert_non_null(strstr(err.message, "0x80"));
    /* matches may be NULL; a success leaves err untouched. */
    memset(&err, 0x5A, sizeof err);
    df_error before = err;
    assert_int_equal(df_count_file(file, NULL, m, DF_SEARCH_FIRST_PER_FACT, &facts, NULL, &err),
                     DF_OK);
    assert_memory_equal(&before, &err, sizeof err);
    assert_true(facts > 100);
    df_matcher_free(m);
    df_regex_free(re);
}

/* Ids run on from first_id; a device is loaded whole; a stop is at once. */
static void test_search_file_ids_sources_and_stops(void **state) {
    (void)state;
    df_regex *re;
    df_matcher *m = new_matcher("Gosling", 0, NULL, &re);
    const char *file = DF_SOURCE_DIR "/core/data/drive-2011.txt";
    call c = {.api = SEARCH, .m = m, .first_id = 500};
    outcome all = by_pieces(file, NULL, &c, DF_COUNT_FILE_PIECE);
    assert_int_equal(all.status, DF_OK);
    assert_int_equal(all.facts, 122);
    assert_true(strncmp(all.hits.text, "5", 1) == 0);
    assert_non_null(strstr(all.hits.text, file));
    call first = {.api = SEARCH, .m = m, .flags = DF_SEARCH_FIRST_PER_FACT, .first_id = 500,
                  .stop_after = 1};
    outcome one = by_pieces(file, NULL, &first, DF_COUNT_FILE_PIECE);
    assert_int_equal(one.status, DF_OK);
    assert_int_equal(one.hits.hits, 1);
    assert_non_null(strchr(one.hits.text, '\n'));
    assert_int_equal(strchr(one.hits.text, '\n')[1], '\0');
    free_outcome(&all);
    free_outcome(&one);
    c.first_id = 0;
    outcome none = by_pieces("/dev/null", NULL, &c, 16);
    assert_int_equal(none.status, DF_OK);
    assert_int_equal(none.facts, 0);
    assert_int_equal(none.hits.len, 0);
    free_outcome(&none);
    df_error err;
    size_t facts;
    assert_int_equal(df_search_file(NULL, NULL, m, 0, 0, write_hit, NULL, &facts, &err),
                     DF_EARG);
    assert_int_equal(df_search_file(file, NULL, NULL, 0, 0, write_hit, NULL, &facts, &err),
                     DF_EARG);
    assert_int_equal(df_search_file(file, NULL, m, 0, 0, NULL, NULL, &facts, &err), DF_EARG);
    assert_int_equal(df_search_file(file, NULL, m, 0x80, 0, write_hit, NULL, &facts, &err),
                     DF_EARG);
    assert_non_null(strstr(err.message, "0x80"));
    outcome missing = by_pieces(DF_BINARY_DIR "/no-such-file.txt", NULL, &c, 16);
    assert_int_equal(missing.status, DF_EIO);
    assert_non_null(strstr(missing.err.message, "no-such-file.txt"));
    free_outcome(&missing);
    df_matcher_free(m);
    df_regex_free(re);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_as_loading_random_files),
        cmocka_unit_test(test_counts_the_data_file),
        cmocka_unit_test(test_invalid_utf8_reported_as_loading_does),
        cmocka_unit_test(test_file_errors_reported_as_loading_does),
        cmocka_unit_test(test_match_limit_reported_as_loading_does),
        cmocka_unit_test(test_mapped_file_ends_at_page_boundary),
        cmocka_unit_test(test_device_is_loaded_whole),
        cmocka_unit_test(test_cr_line_ends_count_as_loaded),
        cmocka_unit_test(test_arguments),
        cmocka_unit_test(test_search_same_as_loading_random_files),
        cmocka_unit_test(test_search_invalid_utf8_after_hits),
        cmocka_unit_test(test_search_match_limit_after_hits),
        cmocka_unit_test(test_search_file_ids_sources_and_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
