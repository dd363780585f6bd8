/* libFuzzer target: df_count_file (search_file.c) must count what loading the
 * file then df_count counts, and fail with the same error, whatever the
 * bytes and wherever the pieces end.  Byte 0 picks the format, the
 * first-per-fact flag and mapping, byte 1 the piece size (1..64 bytes),
 * byte 2 the pattern; the rest is the file, written to a scratch file per
 * run. */
#define _POSIX_C_SOURCE 200809L

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "search.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Context-free and not, literal sets, line breaks, empty matches, and
 * alternations of strings that the scan decides alone (caseless ones with
 * k and s, which U+212A and U+017F match too). */
static const char *const patterns[] = {
    "Gosling", "a\\nb", "\\s+", "^\\w", "x$", "\\bab|cd\\b|efg|hij", "(?:abc|xyz)\\d",
    "a*", "\\r", "[^a-z]{2}", "(?i)DRIVE|car", "%", "é|ö\\w", "\\x00.", "^(?:abc|hij)",
    "abc|xyz", "(?i)kab|sxy", "(?:Gos|ling)", "a\\nbc|abc",
};

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    static df_matcher *matchers[sizeof patterns / sizeof patterns[0]];
    static char path[64];
    if (path[0] == '\0') {
        /* Compiled once: the matchers outlive every run, as a harness's do. */
        for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++) {
            df_regex *re;
            int ok = df_regex_compile(patterns[i], strlen(patterns[i]), 0, &re, NULL) == DF_OK &&
                     df_matcher_new(re, NULL, &matchers[i], NULL) == DF_OK;
            assert(ok);
        }
        snprintf(path, sizeof path, "/tmp/fuzz_count_file-%ld.txt", (long)getpid());
    }
    if (size < 3)
        return 0;
    FILE *f = fopen(path, "wb");
    assert(f != NULL);
    assert(fwrite(data + 3, 1, size - 3, f) == size - 3 && fclose(f) == 0);

    df_load_options opts = {.format = (df_format)(data[0] % 3),
                            .flags = data[0] & 8 ? DF_LOAD_MMAP : 0};
    unsigned flags = data[0] & 4 ? DF_SEARCH_FIRST_PER_FACT : 0;
    size_t piece = 1 + data[1] % 64;
    df_matcher *m = matchers[data[2] % (sizeof patterns / sizeof patterns[0])];

    df_error want_err, got_err;
    size_t want_facts = 0, want_matches = 0, got_facts = 0, got_matches = 0;
    df_corpus *corpus;
    df_status want = df_corpus_load_file(path, &opts, &corpus, &want_err);
    if (want == DF_OK) {
        want = df_count(corpus, m, flags, &want_facts, &want_matches, &want_err);
        df_corpus_free(corpus);
    }
    df_status got = df_count_file_in_pieces(path, &opts, m, flags, piece, &got_facts,
                                            &got_matches, &got_err);
    assert(got == want);
    if (got == DF_OK) {
        assert(got_facts == want_facts && got_matches == want_matches);
    } else {
        assert(strcmp(got_err.message, want_err.message) == 0);
        assert(got_err.offset == want_err.offset && got_err.line == want_err.line);
    }
    return 0;
}
