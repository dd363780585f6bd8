/* Near-duplicate facts.
 *
 * 1. Each fact is normalised (words of letters and digits, ASCII lowercased,
 *    apostrophes inside words dropped, everything else a separator) and its
 *    normalised text hashed: a fact whose text an earlier fact already has
 *    is a copy, paired "identical" with that first occurrence (however many
 *    copies there are, in one pass) and left out of the rest.  Every other
 *    fact becomes the set of its word bigrams, as 64-bit hashes.
 * 2. Bigrams are numbered by rarity (document frequency, then first
 *    appearance), so that a fact's sorted set starts with its rarest
 *    bigrams, and an inverted index maps each bigram to its facts.  A bigram
 *    weighs log(1 + facts / df): "of the" counts for little, a name for much.
 * 3. The score of facts A and B, A the lighter (by total weight):
 *        weight(A n B) / weight(A) * min(1, |A| / MIN_SET)
 *    a weighted containment, damped for sets so small that a word or two in
 *    common would make them look contained.
 * 4. Prefix filtering: a score >= t needs shared weight >= t * weight(A), so
 *    the pair shares one of A's rarest bigrams, as many as it takes for the
 *    rest to weigh less than that.  Each fact probes the postings of those
 *    only, for heavier partners.  Bigrams in more than MAX_DF facts are not
 *    probed (they would cost most and tell least), and each fact keeps its
 *    MAX_PARTNERS best partners, which bounds the work and the pairs on big
 *    corpora.
 * 5. Each candidate pair is scored exactly by merging the two sorted sets. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

/* Sets of fewer bigrams than this have their score scaled down. */
#define MIN_SET 4u
/* "contained": this much of the smaller set is in the larger one, which is
 * clearly larger. */
#define CONTAINED_SHARE 0.8
#define CONTAINED_RATIO 0.8
/* Bigrams in more than MAX_DF facts are not probed: on a big corpus of
 * variations on a few themes, probing them made the work (and the pairs)
 * grow with the square of the facts. */
#define MAX_DF 256u
/* Each fact is reported with at most this many heavier partners, its best:
 * the pairs stay linear in the facts (copies aside, which are one each). */
#define MAX_PARTNERS 16u

const char *df_duplicate_kind_name(df_duplicate_kind kind) {
    switch (kind) {
    case DF_DUPLICATE_IDENTICAL: return "identical";
    case DF_DUPLICATE_CONTAINED: return "contained";
    case DF_DUPLICATE_SIMILAR:   return "similar";
    }
    return NULL;
}

void df_duplicates_free(df_duplicate *pairs) {
    free(pairs);
}

/* ---------------------------------------------------------- normalising */

static int is_apostrophe(uint32_t cp) {
    return cp == '\'' || cp == 0x2019;
}

/* Write the words of s[0..len) to out (room for len + 1 bytes), separated
 * by single spaces; returns the length written. */
static size_t normalise(const char *s, size_t len, char *out) {
    size_t n = 0, i = 0;
    int in_word = 0;
    while (i < len) {
        uint32_t cp;
        size_t next = df_utf8_next(s, len, i, &cp);
        if (df_is_word_cp(cp)) {
            if (!in_word && n > 0)
                out[n++] = ' ';
            in_word = 1;
            if (cp >= 'A' && cp <= 'Z') {
                out[n++] = (char)(cp - 'A' + 'a');
            } else {
                memcpy(out + n, s + i, next - i);
                n += next - i;
            }
        } else if (!(in_word && is_apostrophe(cp) && next < len &&
                     df_is_word_cp((df_utf8_next(s, len, next, &cp), cp)))) {
            in_word = 0;
        }
        i = next;
    }
    out[n] = '\0';
    return n;
}

/* --------------------------------------------------------------- the sets */

typedef struct sets {
    size_t facts;
    size_t *at;              /* facts + 1 offsets into items */
    uint64_t *hashes;        /* bigram hashes while building */
    uint32_t *items;         /* then bigram ranks, each fact's sorted */
    uint64_t *sequence;      /* per fact: hash of its normalised text */
    size_t *norm_len;        /* per fact: length of its normalised text */
    uint32_t *original;      /* per fact: the first fact with its text */
    size_t capacity;
} sets;

static int by_u64(const void *pa, const void *pb) {
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

static int by_u32(const void *pa, const void *pb) {
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* Natural logarithm of x >= 1, to about 1e-12: x = m * 2^e with m in
 * [1, 2), ln m = 2 atanh((m - 1) / (m + 1)).  (Saves linking libm.) */
static double ln(double x) {
    int e = 0;
    while (x >= 2.0) {
        x /= 2.0;
        e++;
    }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, term = z, sum = 0.0;
    for (int k = 1; k < 40; k += 2) {
        sum += term / k;
        term *= z2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

static uint64_t bigram(uint64_t first, uint64_t second) {
    return df_hash_mix(first * 0x9e3779b97f4a7c15u ^ second);
}

typedef struct text_probe {
    const df_corpus *corpus;
    const sets *st;
    const char *text;   /* normalised */
    size_t len;
    char *scratch;
} text_probe;

/* Whether fact `f` normalises to the probe's text. */
static int same_text(const void *ctx, uint32_t f) {
    const text_probe *p = ctx;
    if (p->st->norm_len[f] != p->len)
        return 0;
    const df_fact_entry *e = &p->corpus->facts[f];
    size_t n = normalise(p->corpus->text + e->offset, e->len, p->scratch);
    return n == p->len && memcmp(p->scratch, p->text, n) == 0;
}

/* Hash every fact's normalised text, and find each fact's first occurrence
 * (st->original).  Then hash every first occurrence's bigrams (a one-word
 * fact: its word) into sets->hashes, each fact's slice sorted and without
 * repeats; a copy gets an empty set. */
static df_status hash_facts(const df_corpus *c, sets *st, char *buf, char *scratch) {
    size_t count = 0;
    df_hmap texts = {0};
    for (size_t f = 0; f < c->count; f++) {
        const df_fact_entry *e = &c->facts[f];
        size_t n = normalise(c->text + e->offset, e->len, buf);
        st->sequence[f] = df_hash_bytes(DF_HASH_SEED, buf, n);
        st->norm_len[f] = n;
        text_probe probe = {c, st, buf, n, scratch};
        /* A fact without words ("!!!") is nobody's copy. */
        uint32_t *first = n > 0 ? df_hmap_get(&texts, st->sequence[f], same_text, &probe) : NULL;
        st->original[f] = first != NULL ? *first : (uint32_t)f;
        if (first != NULL) {
            st->at[f + 1] = count;
            continue;
        }
        if (n > 0 && df_hmap_put(&texts, st->sequence[f], (uint32_t)f) != 0) {
            df_hmap_free(&texts);
            return DF_ENOMEM;
        }
        size_t start = count;
        uint64_t prev = 0;
        size_t words = 0;
        for (size_t i = 0; i < n;) {
            const char *sp = memchr(buf + i, ' ', n - i);
            size_t end = sp != NULL ? (size_t)(sp - buf) : n;
            uint64_t w = df_hash_bytes(DF_HASH_SEED, buf + i, end - i);
            if (words > 0 || end == n) {
                if (df_grow((void **)&st->hashes, &st->capacity, count + 1,
                            sizeof *st->hashes) != 0) {
                    df_hmap_free(&texts);
                    return DF_ENOMEM;
                }
                /* The lone word of a one-word fact, or a bigram. */
                st->hashes[count++] = words > 0 ? bigram(prev, w) : df_hash_mix(w ^ 1u);
            }
            prev = w;
            words++;
            i = end + 1;
        }
        if (count - start > 1)
            qsort(st->hashes + start, count - start, sizeof *st->hashes, by_u64);
        size_t out = start;
        for (size_t k = start; k < count; k++)
            if (out == start || st->hashes[out - 1] != st->hashes[k])
                st->hashes[out++] = st->hashes[k];
        count = out;
        st->at[f + 1] = count;
    }
    df_hmap_free(&texts);
    return DF_OK;
}

/* Replace the hashes in st->items by dense bigram numbers, in order of
 * first sight; *df_out gets each number's document frequency, *distinct
 * their count.  DF_ENOMEM when out of memory. */
static df_status number_bigrams(sets *st, uint32_t **df_out, size_t *distinct_out) {
    size_t total = st->at[st->facts], distinct = 0, df_capacity = 0;
    df_hmap ids = {0};
    uint32_t *df = NULL;
    st->items = malloc((total ? total : 1) * sizeof *st->items);
    for (size_t k = 0; k < total && st->items != NULL; k++) {
        uint32_t *id = df_hmap_get(&ids, st->hashes[k], NULL, NULL);
        if (id == NULL) {
            if (distinct >= UINT32_MAX - 1 ||
                df_grow((void **)&df, &df_capacity, distinct + 1, sizeof *df) != 0 ||
                df_hmap_put(&ids, st->hashes[k], (uint32_t)distinct) != 0) {
                df_hmap_free(&ids);
                free(df);
                return DF_ENOMEM;
            }
            df[distinct] = 0;
            st->items[k] = (uint32_t)distinct++;
        } else {
            st->items[k] = *id;
        }
        df[st->items[k]]++;
    }
    df_hmap_free(&ids);
    if (st->items == NULL) {
        free(df);
        return DF_ENOMEM;
    }
    free(st->hashes);
    st->hashes = NULL;
    *df_out = df;
    *distinct_out = distinct;
    return DF_OK;
}

/* Renumber the bigrams by frequency (a counting sort: 0 for the rarest),
 * *df in the new order, and sort each fact's set.  DF_ENOMEM when out of
 * memory, with *df unchanged. */
static df_status rank_by_frequency(sets *st, uint32_t **df, size_t distinct) {
    size_t total = st->at[st->facts], max_df = st->facts;
    uint32_t *by_df = calloc(max_df + 2, sizeof *by_df);
    uint32_t *rank = malloc((distinct ? distinct : 1) * sizeof *rank);
    uint32_t *ranked_df = malloc((distinct ? distinct : 1) * sizeof *ranked_df);
    if (by_df == NULL || rank == NULL || ranked_df == NULL) {
        free(by_df);
        free(rank);
        free(ranked_df);
        return DF_ENOMEM;
    }
    for (size_t id = 0; id < distinct; id++)
        by_df[(*df)[id] + 1]++;
    for (size_t d = 0; d <= max_df; d++)
        by_df[d + 1] += by_df[d];
    for (size_t id = 0; id < distinct; id++)
        rank[id] = by_df[(*df)[id]]++;
    for (size_t id = 0; id < distinct; id++)
        ranked_df[rank[id]] = (*df)[id];
    free(*df);
    *df = ranked_df;
    for (size_t k = 0; k < total; k++)
        st->items[k] = rank[st->items[k]];
    for (size_t f = 0; f < st->facts; f++)
        if (st->at[f + 1] - st->at[f] > 1)
            qsort(st->items + st->at[f], st->at[f + 1] - st->at[f], sizeof *st->items, by_u32);
    free(by_df);
    free(rank);
    return DF_OK;
}

/* The inverted index: for each rank, the facts (0-based, ascending) in
 * post[post_at[r]..post_at[r + 1]).  DF_ENOMEM when out of memory. */
static df_status invert(const sets *st, size_t distinct, size_t **post_at_out,
                        uint32_t **post_out) {
    size_t total = st->at[st->facts];
    size_t *post_at = calloc(distinct + 1, sizeof *post_at);
    size_t *fill = malloc((distinct ? distinct : 1) * sizeof *fill);
    uint32_t *post = malloc((total ? total : 1) * sizeof *post);
    if (post_at == NULL || fill == NULL || post == NULL) {
        free(post_at);
        free(fill);
        free(post);
        return DF_ENOMEM;
    }
    for (size_t k = 0; k < total; k++)
        post_at[st->items[k] + 1]++;
    for (size_t r = 0; r < distinct; r++) {
        post_at[r + 1] += post_at[r];
        fill[r] = post_at[r];
    }
    for (size_t f = 0; f < st->facts; f++)
        for (size_t k = st->at[f]; k < st->at[f + 1]; k++)
            post[fill[st->items[k]]++] = (uint32_t)f;
    free(fill);
    *post_at_out = post_at;
    *post_out = post;
    return DF_OK;
}

/* Replace hashes by ranks: 0 for the rarest bigram.  *df_out gets each
 * rank's document frequency, *distinct their number, *post_at and *post the
 * inverted index. */
static df_status rank_bigrams(sets *st, uint32_t **df_out, size_t *distinct_out,
                              size_t **post_at_out, uint32_t **post_out) {
    uint32_t *df;
    size_t distinct;
    df_status status = number_bigrams(st, &df, &distinct);
    if (status != DF_OK)
        return status;
    if ((status = rank_by_frequency(st, &df, distinct)) == DF_OK &&
        (status = invert(st, distinct, post_at_out, post_out)) == DF_OK) {
        *df_out = df;
        *distinct_out = distinct;
        return DF_OK;
    }
    free(df);
    return status;
}

/* -------------------------------------------------------------- scoring */

/* How many bigrams the sorted sets share, and their weight. */
static size_t intersect(const uint32_t *a, size_t na, const uint32_t *b, size_t nb,
                        const double *weight, double *shared_weight) {
    size_t i = 0, j = 0, n = 0;
    double w = 0.0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) {
            i++;
        } else if (a[i] > b[j]) {
            j++;
        } else {
            n++;
            w += weight[a[i]];
            i++;
            j++;
        }
    }
    *shared_weight = w;
    return n;
}

static int by_score(const void *pa, const void *pb) {
    const df_duplicate *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

typedef struct pair_list {
    df_duplicate *pairs;
    size_t count, capacity;
} pair_list;

/* The score of a candidate pair (a the lighter fact) and its kind. */
static df_duplicate score_pair(const sets *st, const double *weight, const double *fact_weight,
                               size_t a, size_t b) {
    size_t size_a = st->at[a + 1] - st->at[a], size_b = st->at[b + 1] - st->at[b];
    double shared_weight;
    size_t shared = intersect(st->items + st->at[a], size_a, st->items + st->at[b], size_b,
                              weight, &shared_weight);
    size_t smaller = size_a < size_b ? size_a : size_b;
    df_duplicate d = {
        .a = (df_fact_id)((a < b ? a : b) + 1),
        .b = (df_fact_id)((a < b ? b : a) + 1),
        .containment = (double)shared / (double)smaller,
        .jaccard = (double)shared / (double)(size_a + size_b - shared),
        .kind = DF_DUPLICATE_SIMILAR,
    };
    d.score = fact_weight[a] > 0.0 ? shared_weight / fact_weight[a] : 0.0;
    if (size_a < MIN_SET)
        d.score *= (double)size_a / MIN_SET;
    d.score = d.score > 1.0 ? 1.0 : d.score; /* rounding */
    if (d.containment >= CONTAINED_SHARE &&
               (double)smaller <= CONTAINED_RATIO * (double)(size_a + size_b - smaller)) {
        d.kind = DF_DUPLICATE_CONTAINED;
    }
    return d;
}

/* Does fact a come before fact b in the probing order: lighter first,
 * ties by id? */
static int lighter(const double *fact_weight, size_t a, size_t b) {
    return fact_weight[a] < fact_weight[b] || (fact_weight[a] == fact_weight[b] && a < b);
}

df_status df_duplicates(const df_corpus *c, double threshold, df_duplicate **pairs_out,
                        size_t *count_out, df_error *err) {
    if (c == NULL || pairs_out == NULL || count_out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    *pairs_out = NULL;
    *count_out = 0;
    if (!(threshold > 0.0 && threshold <= 1.0))
        return df_fail(err, DF_EARG, 0, 0, "threshold %g is not in (0, 1]",
                       threshold);
    if (c->count >= UINT32_MAX)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: too many facts", c->name);
    size_t n = c->count, longest = 0;
    for (size_t f = 0; f < n; f++)
        longest = c->facts[f].len > longest ? c->facts[f].len : longest;

    sets st = {.facts = n};
    uint32_t *df = NULL, *post = NULL, *seen = NULL;
    size_t *post_at = NULL;
    double *weight = NULL, *fact_weight = NULL;
    pair_list out = {0};
    df_status status = DF_ENOMEM;
    /* Normalising never lengthens: a word character is copied or
     * lowercased, a separator becomes at most one space. */
    char *buf_a = malloc(longest + 1), *buf_b = malloc(longest + 1);
    st.at = calloc(n + 1, sizeof *st.at);
    st.sequence = malloc((n ? n : 1) * sizeof *st.sequence);
    st.norm_len = malloc((n ? n : 1) * sizeof *st.norm_len);
    st.original = malloc((n ? n : 1) * sizeof *st.original);
    seen = malloc((n ? n : 1) * sizeof *seen);
    fact_weight = malloc((n ? n : 1) * sizeof *fact_weight);
    if (buf_a == NULL || buf_b == NULL || st.at == NULL || st.sequence == NULL ||
        st.norm_len == NULL || st.original == NULL || seen == NULL || fact_weight == NULL)
        goto done;
    size_t distinct;
    if (hash_facts(c, &st, buf_a, buf_b) != DF_OK ||
        rank_bigrams(&st, &df, &distinct, &post_at, &post) != DF_OK)
        goto done;
    weight = malloc((distinct ? distinct : 1) * sizeof *weight);
    if (weight == NULL)
        goto done;
    for (size_t r = 0; r < distinct; r++)
        weight[r] = ln(1.0 + (double)n / (double)df[r]);
    for (size_t f = 0; f < n; f++) {
        double w = 0.0;
        for (size_t k = st.at[f]; k < st.at[f + 1]; k++)
            w += weight[st.items[k]];
        fact_weight[f] = w;
    }

    /* Copies, whatever their number: one pair each, with the original. */
    for (size_t f = 0; f < n; f++) {
        if (st.original[f] == f)
            continue;
        if (df_grow((void **)&out.pairs, &out.capacity, out.count + 1, sizeof *out.pairs) != 0)
            goto done;
        out.pairs[out.count++] = (df_duplicate){.a = (df_fact_id)st.original[f] + 1,
                                                .b = (df_fact_id)(f + 1), .score = 1.0,
                                                .containment = 1.0, .jaccard = 1.0,
                                                .kind = DF_DUPLICATE_IDENTICAL};
    }
    for (size_t f = 0; f < n; f++)
        seen[f] = UINT32_MAX;
    for (size_t a = 0; a < n; a++) {
        const uint32_t *set_a = st.items + st.at[a];
        size_t size_a = st.at[a + 1] - st.at[a];
        if (size_a == 0)
            continue;
        /* The prefix: enough of the rarest (heaviest) bigrams that the rest
         * weigh less than a score of `threshold` needs in common. */
        double need = threshold * fact_weight[a] * (size_a < MIN_SET ? MIN_SET / (double)size_a
                                                                      : 1.0);
        double rest = fact_weight[a];
        size_t prefix = 0;
        /* At least one: an identical partner scores 1 whatever its size. */
        while (prefix < size_a && (prefix == 0 || rest >= need * (1.0 - 1e-9))) {
            rest -= weight[set_a[prefix]];
            prefix++;
        }
        size_t first = out.count;
        for (size_t k = 0; k < prefix; k++) {
            uint32_t r = set_a[k];
            if (df[r] > MAX_DF)
                continue;
            for (size_t p = post_at[r]; p < post_at[r + 1]; p++) {
                size_t b = post[p];
                if (b == a || !lighter(fact_weight, a, b) || seen[b] == (uint32_t)a)
                    continue;
                seen[b] = (uint32_t)a;
                df_duplicate d = score_pair(&st, weight, fact_weight, a, b);
                if (d.score < threshold)
                    continue;
                if (df_grow((void **)&out.pairs, &out.capacity, out.count + 1,
                            sizeof *out.pairs) != 0)
                    goto done;
                out.pairs[out.count++] = d;
            }
        }
        if (out.count - first > MAX_PARTNERS) {
            qsort(out.pairs + first, out.count - first, sizeof *out.pairs, by_score);
            out.count = first + MAX_PARTNERS;
        }
    }
    if (out.count > 1)
        qsort(out.pairs, out.count, sizeof *out.pairs, by_score);
    status = DF_OK;
done:
    free(buf_a);
    free(buf_b);
    free(st.at);
    free(st.hashes);
    free(st.items);
    free(st.sequence);
    free(st.norm_len);
    free(st.original);
    free(seen);
    free(df);
    free(post_at);
    free(post);
    free(weight);
    free(fact_weight);
    if (status != DF_OK) {
        free(out.pairs);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory finding duplicates");
    }
    if (out.count == 0) {
        free(out.pairs);
        out.pairs = NULL;
    }
    *pairs_out = out.pairs;
    *count_out = out.count;
    return DF_OK;
}
