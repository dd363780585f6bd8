/* What the two targets of the file search (search_file.c) share: their
 * patterns, compiled once, and a run's bytes read as a case -- byte 0 the
 * format, the first-per-fact flag and mapping (its top three bits are the
 * target's own), byte 1 the piece size (1..64 bytes), byte 2 the pattern,
 * the rest the file, written to a scratch file per process. */
#ifndef DF_FUZZ_FILE_CASE_H
#define DF_FUZZ_FILE_CASE_H

#include <assert.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "search.h"

/* Context-free and not, literal sets, line breaks, empty matches, and
 * alternations of strings that the scan decides alone (caseless ones with
 * k and s, which U+212A and U+017F match too). */
static const char *const fuzz_file_patterns[] = {
    "Gosling", "a\\nb", "\\s+", "^\\w", "x$", "\\bab|cd\\b|efg|hij", "(?:abc|xyz)\\d",
    "a*", "\\r", "[^a-z]{2}", "(?i)DRIVE|car", "%", "é|ö\\w", "\\x00.", "^(?:abc|hij)",
    "abc|xyz", "(?i)kab|sxy", "(?:Gos|ling)", "a\\nbc|abc",
};
#define FUZZ_FILE_PATTERNS (sizeof fuzz_file_patterns / sizeof fuzz_file_patterns[0])

typedef struct fuzz_file_case {
    const char *path;       /* the scratch file holding the run's file */
    df_load_options opts;
    unsigned flags;         /* 0 or DF_SEARCH_FIRST_PER_FACT */
    size_t piece;           /* bytes a read hands on at most */
    df_matcher *matcher;
} fuzz_file_case;

/* The case of data[0..size), its file written; 0 when the run is too short
 * to be one.  The matchers outlive every run, as a harness's do. */
static int fuzz_file_case_read(const unsigned char *data, size_t size, const char *target,
                               fuzz_file_case *out) {
    static df_matcher *matchers[FUZZ_FILE_PATTERNS];
    static char path[64];
    if (path[0] == '\0') {
        for (size_t i = 0; i < FUZZ_FILE_PATTERNS; i++) {
            const char *p = fuzz_file_patterns[i];
            df_regex *re;
            int ok = df_regex_compile(p, strlen(p), 0, &re, NULL) == DF_OK &&
                     df_matcher_new(re, NULL, &matchers[i], NULL) == DF_OK;
            assert(ok);
        }
        snprintf(path, sizeof path, "/tmp/%s-%ld.txt", target, (long)getpid());
    }
    if (size < 3)
        return 0;
    FILE *f = fopen(path, "wb");
    assert(f != NULL);
    assert(fwrite(data + 3, 1, size - 3, f) == size - 3 && fclose(f) == 0);
    out->path = path;
    out->opts = (df_load_options){.format = (df_format)(data[0] % 3),
                                  .flags = data[0] & 8 ? DF_LOAD_MMAP : 0};
    out->flags = data[0] & 4 ? DF_SEARCH_FIRST_PER_FACT : 0;
    out->piece = 1 + data[1] % 64;
    out->matcher = matchers[data[2] % FUZZ_FILE_PATTERNS];
    return 1;
}

#endif
