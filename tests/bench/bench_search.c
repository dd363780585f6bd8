/* bench_search: the C API's own speed on one corpus file, in one process.
 *
 *   bench_search [-r RUNS] [-f FORMAT] CORPUS [FLAGS:PATTERN ...]
 *   bench_search --load-only [-f FORMAT] CORPUS
 *
 * FORMAT is paragraphs, lines (the default) or fortune.  Each query is the
 * flag letters of df_regex_parse_flags, a colon, and the pattern ("iw:drive",
 * ":Gosling").  Times are the minimum over RUNS runs (default 5) of the
 * process CPU time (CLOCK_PROCESS_CPUTIME_ID; see now()).  Output is one
 * tab-separated record per line, for tests/bench/bench.sh to read:
 *
 *   read     SECONDS  MB/S     read(2) of the whole file into memory
 *   utf8     SECONDS  MB/S     df_utf8_check over that buffer
 *   loadbuf  SECONDS  MB/S     df_corpus_load_buffer from that buffer
 *   load     SECONDS  MB/S     df_corpus_load_file (what a user calls)
 *   loadfirst SECONDS MB/S     the same, the first time in this process
 *   facts    COUNT
 *   bytes    FILE_BYTES  FACT_BYTES
 *   memchr   SECONDS  MB/S     memchr over the loaded buffer for a byte that
 *                              does not occur: the floor of any full scan
 *   fquery   INDEX  FACTS  SECONDS  df_count_file with DF_SEARCH_FIRST_PER_FACT:
 *                                      the file counted piece by piece, no load
 *   mquery   INDEX  FACTS  SECONDS  the same with DF_LOAD_MMAP (the file mapped)
 *   query    INDEX  FACTS  MATCHES  SECONDS_FIRST  SECONDS_ALL  JIT
 *            INDEX is 1-based in argument order; FACTS and SECONDS_FIRST
 *            come from df_count with DF_SEARCH_FIRST_PER_FACT (what grep -c
 *            counts), MATCHES and SECONDS_ALL from df_count without it
 *   prefilter SECONDS  BYTES          df_prefilter_build (first build) and
 *                                      df_prefilter_memory
 *   pquery   INDEX  FACTS  MATCHES  SECONDS_FIRST  SECONDS_ALL  CANDIDATES
 *            the same with df_count_prefiltered; CANDIDATES is the number
 *            of facts the prefilter leaves, "all" when it cannot narrow
 *   rss_kb   PEAK_KB                   VmHWM of this process (--load-only:
 *                                      the peak of loading one corpus)
 *
 * MB are 10^6 bytes of the file.  Exit status 0, or 2 with a message on
 * stderr. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drivefacts.h"

/* CPU time of this (single-threaded) process: the same as wall-clock time on
 * an idle machine, and far less disturbed when other processes compete for
 * the cores. */
static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const df_error *err) {
    fprintf(stderr, "bench_search: %s: %s\n", what, err != NULL ? err->message : strerror(errno));
    exit(2);
}

static long peak_rss_kb(void) {
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    if (fp == NULL)
        return -1;
    while (fgets(line, sizeof line, fp) != NULL)
        if (strncmp(line, "VmHWM:", 6) == 0)
            kb = strtol(line + 6, NULL, 10);
    fclose(fp);
    return kb;
}

static char *read_file(const char *path, size_t *len) {
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0)
        die(path, NULL);
    size_t size = (size_t)st.st_size, got = 0;
    char *buf = malloc(size + 1);
    if (buf == NULL)
        die("out of memory", NULL);
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die(path, NULL);
        got += (size_t)n;
    }
    close(fd);
    *len = size;
    return buf;
}

static double mbps(size_t bytes, double seconds) {
    return seconds > 0 ? (double)bytes / 1e6 / seconds : 0;
}

static void usage(void) {
    fprintf(stderr, "usage: bench_search [-r RUNS] [-f FORMAT] CORPUS [FLAGS:PATTERN ...]\n"
                    "       bench_search --load-only [-f FORMAT] CORPUS\n");
    exit(2);
}

int main(int argc, char **argv) {
    int runs = 5, load_only = 0, i = 1;
    df_load_options opts = {.format = DF_FORMAT_LINES};
    df_error err;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (strcmp(argv[i], "--load-only") == 0) {
            load_only = 1;
        } else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc) {
            runs = atoi(argv[++i]);
            if (runs < 1)
                usage();
        } else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc) {
            const char *f = argv[++i];
            if (strcmp(f, "paragraphs") == 0)
                opts.format = DF_FORMAT_PARAGRAPHS;
            else if (strcmp(f, "lines") == 0)
                opts.format = DF_FORMAT_LINES;
            else if (strcmp(f, "fortune") == 0)
                opts.format = DF_FORMAT_FORTUNE;
            else
                usage();
        } else {
            usage();
        }
    }
    if (i >= argc)
        usage();
    const char *path = argv[i++];
    df_corpus *corpus = NULL;

    if (load_only) {
        double t0 = now();
        if (df_corpus_load_file(path, &opts, &corpus, &err) != DF_OK)
            die(path, &err);
        double t = now() - t0;
        struct stat st;
        size_t size = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
        printf("load\t%.6f\t%.1f\n", t, mbps(size, t));
        printf("facts\t%zu\n", df_corpus_count(corpus));
        printf("bytes\t%zu\t%zu\n", size, df_corpus_bytes(corpus));
        printf("rss_kb\t%ld\n", peak_rss_kb());
        df_corpus_free(corpus);
        return 0;
    }

    /* The first load of this process, on a fresh heap: what a command that
     * loads once (the CLI) pays, page faults included. */
    double t_first = now();
    if (df_corpus_load_file(path, &opts, &corpus, &err) != DF_OK)
        die(path, &err);
    t_first = now() - t_first;
    df_corpus_free(corpus);
    corpus = NULL;

    /* Load, in its parts: read, validate, split from memory, and the whole;
     * the best of several runs, when the heap may reuse freed memory. */
    size_t size;
    double best_read = 1e30, best_utf8 = 1e30, best_loadbuf = 1e30, best_load = 1e30;
    int load_runs = runs < 3 ? runs : 3;
    for (int r = 0; r < load_runs; r++) {
        double t0 = now();
        char *data = read_file(path, &size);
        double t1 = now();
        if (df_utf8_check(data, size, &err) != DF_OK)
            die(path, &err);
        double t2 = now();
        df_corpus *c = NULL;
        if (df_corpus_load_buffer(data, size, &opts, &c, &err) != DF_OK)
            die(path, &err);
        double t3 = now();
        df_corpus_free(c);
        free(data);
        if (t1 - t0 < best_read) best_read = t1 - t0;
        if (t2 - t1 < best_utf8) best_utf8 = t2 - t1;
        if (t3 - t2 < best_loadbuf) best_loadbuf = t3 - t2;
    }
    for (int r = 0; r < load_runs; r++) {
        df_corpus_free(corpus);
        corpus = NULL;
        double t0 = now();
        if (df_corpus_load_file(path, &opts, &corpus, &err) != DF_OK)
            die(path, &err);
        double t = now() - t0;
        if (t < best_load)
            best_load = t;
    }
    printf("read\t%.6f\t%.1f\n", best_read, mbps(size, best_read));
    printf("utf8\t%.6f\t%.1f\n", best_utf8, mbps(size, best_utf8));
    printf("loadbuf\t%.6f\t%.1f\n", best_loadbuf, mbps(size, best_loadbuf));
    printf("load\t%.6f\t%.1f\n", best_load, mbps(size, best_load));
    printf("loadfirst\t%.6f\t%.1f\n", t_first, mbps(size, t_first));
    size_t count = df_corpus_count(corpus);
    printf("facts\t%zu\n", count);
    printf("bytes\t%zu\t%zu\n", size, df_corpus_bytes(corpus));
    fflush(stdout);

    /* The floor: facts lie back to back in one buffer (DESIGN.md), from the
     * first fact's text to the NUL after the last. */
    if (count > 0) {
        df_fact first, last;
        if (df_corpus_fact(corpus, 1, &first, &err) != DF_OK ||
            df_corpus_fact(corpus, (df_fact_id)count, &last, &err) != DF_OK)
            die("df_corpus_fact", &err);
        size_t span = (size_t)(last.text + last.len + 1 - first.text);
        double best = 1e30;
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            const void *volatile hit = memchr(first.text, '\x01', span);
            double t = now() - t0;
            if (hit != NULL) {
                fprintf(stderr, "bench_search: the corpus holds byte 0x01; memchr floor is wrong\n");
                return 2;
            }
            if (t < best)
                best = t;
        }
        printf("memchr\t%.6f\t%.1f\n", best, mbps(span, best));
        fflush(stdout);
    }

    double t_pf = now();
    df_prefilter *pf = NULL;
    if (df_prefilter_build(corpus, &pf, &err) != DF_OK)
        die("df_prefilter_build", &err);
    t_pf = now() - t_pf;
    printf("prefilter\t%.6f\t%zu\n", t_pf, df_prefilter_memory(pf));
    fflush(stdout);

    for (int q = 1; i < argc; i++, q++) {
        const char *spec = argv[i], *colon = strchr(spec, ':');
        if (colon == NULL) {
            fprintf(stderr, "bench_search: query '%s' is not FLAGS:PATTERN\n", spec);
            return 2;
        }
        char letters[16];
        size_t nl = (size_t)(colon - spec);
        if (nl >= sizeof letters)
            usage();
        memcpy(letters, spec, nl);
        letters[nl] = '\0';
        unsigned flags;
        df_regex *re = NULL;
        df_matcher *m = NULL;
        if (df_regex_parse_flags(letters, &flags, &err) != DF_OK ||
            df_regex_compile(colon + 1, strlen(colon + 1), flags, &re, &err) != DF_OK ||
            df_matcher_new(re, NULL, &m, &err) != DF_OK)
            die(spec, &err);
        size_t facts = 0, facts_all = 0, matches = 0, dummy;
        double best_first = 1e30, best_all = 1e30;
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            if (df_count(corpus, m, DF_SEARCH_FIRST_PER_FACT, &facts, &dummy, &err) != DF_OK)
                die(spec, &err);
            double t1 = now();
            if (df_count(corpus, m, 0, &facts_all, &matches, &err) != DF_OK)
                die(spec, &err);
            double t2 = now();
            if (t1 - t0 < best_first) best_first = t1 - t0;
            if (t2 - t1 < best_all) best_all = t2 - t1;
        }
        if (facts != facts_all) {
            fprintf(stderr, "bench_search: %s: %zu facts with the first-per-fact flag, %zu without\n",
                    spec, facts, facts_all);
            return 2;
        }
        printf("query\t%d\t%zu\t%zu\t%.6f\t%.6f\t%d\n", q, facts, matches, best_first, best_all,
               df_regex_is_jit(re));
        fflush(stdout);
        /* df_count_file reading the file, then mapping it. */
        for (unsigned how = 0; how <= DF_LOAD_MMAP; how += DF_LOAD_MMAP) {
            df_load_options file_opts = opts;
            file_opts.flags = how;
            size_t ffacts = 0;
            double best_file = 1e30;
            for (int r = 0; r < runs; r++) {
                double t0 = now();
                if (df_count_file(path, &file_opts, m, DF_SEARCH_FIRST_PER_FACT, &ffacts, NULL,
                                  &err) != DF_OK)
                    die(spec, &err);
                double t = now() - t0;
                if (t < best_file) best_file = t;
            }
            if (ffacts != facts) {
                fprintf(stderr, "bench_search: %s: df_count_file counts %zu facts, df_count %zu\n",
                        spec, ffacts, facts);
                return 2;
            }
            printf("%s\t%d\t%zu\t%.6f\n", how ? "mquery" : "fquery", q, ffacts, best_file);
            fflush(stdout);
        }
        size_t pfacts = 0, pfacts_all = 0, pmatches = 0;
        best_first = best_all = 1e30;
        for (int r = 0; r < runs; r++) {
            double t0 = now();
            if (df_count_prefiltered(corpus, pf, m, DF_SEARCH_FIRST_PER_FACT, &pfacts, &dummy,
                                     &err) != DF_OK)
                die(spec, &err);
            double t1 = now();
            if (df_count_prefiltered(corpus, pf, m, 0, &pfacts_all, &pmatches, &err) != DF_OK)
                die(spec, &err);
            double t2 = now();
            if (t1 - t0 < best_first) best_first = t1 - t0;
            if (t2 - t1 < best_all) best_all = t2 - t1;
        }
        if (pfacts != facts || pfacts_all != facts || pmatches != matches) {
            fprintf(stderr, "bench_search: %s: %zu facts, %zu matches with the prefilter; "
                            "%zu, %zu without\n", spec, pfacts, pmatches, facts, matches);
            return 2;
        }
        df_candidates cand;
        if (df_prefilter_candidates(pf, re, &cand, &err) != DF_OK)
            die(spec, &err);
        char ncand[32];
        if (cand.all)
            snprintf(ncand, sizeof ncand, "all");
        else
            snprintf(ncand, sizeof ncand, "%zu", cand.count);
        df_candidates_free(&cand);
        printf("pquery\t%d\t%zu\t%zu\t%.9f\t%.9f\t%s\n", q, pfacts, pmatches, best_first,
               best_all, ncand);
        fflush(stdout);
        df_matcher_free(m);
        df_regex_free(re);
    }
    printf("rss_kb\t%ld\n", peak_rss_kb());
    df_prefilter_free(pf);
    df_corpus_free(corpus);
    return 0;
}
