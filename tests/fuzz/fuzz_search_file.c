/* libFuzzer target: df_search_file (search_file.c) must hand on the facts,
 * ids, lines and match spans that loading the file then searching it fact
 * by fact gives, and fail with the same error, whatever the bytes and
 * wherever the pieces end (the case: file_case.h; the top three bits of
 * byte 0 stop the search after that many hits). */
#define _POSIX_C_SOURCE 200809L

#include "file_case.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Hits as text: "id line: start-end ...", one line per fact. */
typedef struct hits {
    char text[1 << 16];
    size_t len;
    size_t count, stop_after;  /* stop_after 0: never */
    size_t last_line;          /* of the last fact */
    int overflow;
} hits;

static void add(hits *h, const char *s, size_t len) {
    if (h->len + len >= sizeof h->text) {
        h->overflow = 1;
        return;
    }
    memcpy(h->text + h->len, s, len);
    h->len += len;
}

static int add_hit(const df_fact *fact, const size_t *spans, size_t count, void *userdata) {
    hits *h = userdata;
    char buf[64];
    h->last_line = fact->line;
    add(h, buf, (size_t)snprintf(buf, sizeof buf, "%u %zu:", (unsigned)fact->id, fact->line));
    add(h, fact->text, fact->len);
    for (size_t i = 0; i < count; i++)
        add(h, buf, (size_t)snprintf(buf, sizeof buf, " %zu-%zu", spans[2 * i], spans[2 * i + 1]));
    add(h, "\n", 1);
    return h->stop_after != 0 && ++h->count == h->stop_after;
}

/* The oracle's gathering: matches of one fact, handed on when it ends. */
typedef struct gathered {
    hits *h;
    size_t spans[2 * 512];
    size_t count;
} gathered;

static int gather(const df_match *match, void *userdata) {
    gathered *g = userdata;
    if (g->count < sizeof g->spans / sizeof g->spans[0] / 2) {
        g->spans[2 * g->count] = match->ovector[0];
        g->spans[2 * g->count + 1] = match->ovector[1];
    } else {
        g->h->overflow = 1;
    }
    g->count++;
    return 0;
}

static df_status by_loading(const char *path, const df_load_options *opts, df_matcher *m,
                            unsigned flags, hits *h, int *loaded, df_error *err) {
    df_corpus *corpus;
    df_status status = df_corpus_load_file(path, opts, &corpus, err);
    *loaded = status == DF_OK;
    if (status != DF_OK)
        return status;
    gathered g = {.h = h};
    for (df_fact_id id = 1; id <= df_corpus_count(corpus) && status == DF_OK; id++) {
        g.count = 0;
        status = df_search_ids(corpus, &id, 1, m, flags, gather, &g, err);
        if (status == DF_OK && g.count > 0) {
            df_fact fact;
            df_corpus_fact(corpus, id, &fact, NULL);
            if (add_hit(&fact, g.spans, g.count, h))
                break;
        }
    }
    df_corpus_free(corpus);
    return status;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    static hits want, got;
    fuzz_file_case fc;
    if (!fuzz_file_case_read(data, size, "fuzz_search_file", &fc))
        return 0;
    size_t stop_after = (size_t)(data[0] >> 5);
    want.len = got.len = want.count = got.count = 0;
    want.overflow = got.overflow = 0;
    want.last_line = got.last_line = 0;
    want.stop_after = got.stop_after = stop_after;
    df_error want_err, got_err;
    int loaded;
    df_status want_status =
        by_loading(fc.path, &fc.opts, fc.matcher, fc.flags, &want, &loaded, &want_err);
    df_status got_status = df_search_file_in_pieces(fc.path, &fc.opts, fc.matcher, fc.flags, 0,
                                                    fc.piece, add_hit, &got, NULL, &got_err);
    if (!loaded && got_status == DF_OK) {
        /* A search that stopped never read the bad input after its hits. */
        assert(stop_after != 0 && got.count == stop_after);
        assert(want_err.line == 0 || got.last_line <= want_err.line);
        return 0;
    }
    assert(got_status == want_status);
    if (want.overflow || got.overflow)
        return 0;
    if (got_status == DF_OK) {
        assert(got.len == want.len && memcmp(got.text, want.text, got.len) == 0);
    } else {
        assert(strcmp(got_err.message, want_err.message) == 0);
        assert(got_err.offset == want_err.offset && got_err.line == want_err.line);
        if (loaded) {
            /* A limit: the hits before it are the oracle's. */
            assert(got.len == want.len && memcmp(got.text, want.text, got.len) == 0);
        } else {
            /* Bad input: hits may come from the lines before it. */
            assert(want_err.line == 0 || got.last_line <= want_err.line);
        }
    }
    return 0;
}
