/* The search stage: the one loop over a set of facts, counting, the
 * candidate scan and the file counter.  Not installed. */
#ifndef DF_SEARCH_H
#define DF_SEARCH_H

#include "corpus.h"
#include "pattern.h"

/* The one search loop (search_facts.c): every match in the facts ids[0..count)
 * of `table` (1-based, in that order, a repeated id searched again), or in
 * all of them when ids is NULL.  Allocates nothing. */
df_status df_search_table(const df_fact_table *table, const uint32_t *ids, size_t count,
                          df_matcher *matcher, unsigned flags, df_match_fn fn, void *userdata,
                          df_error *err);

/* A df_match_fn that counts facts and matches into a df_counts; set
 * last_visit to SIZE_MAX before each search. */
typedef struct df_counts {
    size_t facts, matches;
    size_t last_visit;       /* visit of the latest match */
} df_counts;
int df_count_match(const df_match *match, void *userdata);

/* The scan that finds candidates in many facts at once (search_facts.c): the
 * first byte of text[from..len) where a match may start, by the regex's set
 * of required strings when it has one (*match_end is then SIZE_MAX, unless
 * the strings are the regex's matches: df_litset_find), else
 * by a PCRE2 match over the whole text (*match_end is that match's end).
 * DF_NOMATCH when there is none; a limit's error as df_matcher_find's.
 * Sound only for a context-free regex or one with such a set. */
df_status df_next_candidate(df_matcher *matcher, const char *text, size_t len, size_t from,
                            size_t *at, size_t *match_end, df_error *err);

/* df_count_file's piece size: large enough that per-piece work is lost in
 * the noise, small enough to stay in the L2 cache. */
#define DF_COUNT_FILE_PIECE ((size_t)1 << 18)

/* df_count_file reading piece_bytes at a time (the tests use tiny pieces). */
df_status df_count_file_in_pieces(const char *path, const df_load_options *opts,
                                  df_matcher *matcher, unsigned flags, size_t piece_bytes,
                                  size_t *facts, size_t *matches, df_error *err);

/* df_search_file reading piece_bytes at a time. */
df_status df_search_file_in_pieces(const char *path, const df_load_options *opts,
                                   df_matcher *matcher, unsigned flags, size_t first_id,
                                   size_t piece_bytes, df_hit_fn fn, void *userdata,
                                   size_t *facts, df_error *err);

#endif
