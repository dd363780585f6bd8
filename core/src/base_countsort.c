/* The counting sort behind every grouping of items by a small key: bigrams
 * by frequency, postings by bigram, aliases by entity. */
#include "base.h"

void df_counting_sort(const uint32_t *keys, size_t n, size_t buckets, size_t *at, size_t *slot) {
    memset(at, 0, (buckets + 1) * sizeof *at);
    for (size_t i = 0; i < n; i++)
        at[keys[i] + 1]++;
    for (size_t b = 0; b < buckets; b++)
        at[b + 1] += at[b];
    /* at[b] is the next free place of key b: afterwards the start of b + 1,
     * so the starts move back by one. */
    for (size_t i = 0; i < n; i++)
        slot[i] = at[keys[i]]++;
    memmove(at + 1, at, buckets * sizeof *at);
    at[0] = 0;
}
