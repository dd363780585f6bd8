/* Near-duplicate facts.
 *
 * 1. Each fact is normalised (words of letters and digits, ASCII lowercased,
 *    apostrophes inside words dropped, everything else a separator) and
 *    becomes the set of its word bigrams, as 64-bit hashes.
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
 *    only, for heavier partners.  Bigrams in very many facts are not probed
 *    (they would cost most and tell least), which bounds the work on big
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
/* Bigrams in more than max(MAX_DF_FLOOR, facts / MAX_DF_DIVISOR) facts are
 * not probed. */
#define MAX_DF_FLOOR 256u
#define MAX_DF_DIVISOR 50u

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

/* Hash every fact's bigrams (a one-word fact: its word) into sets->hashes,
 * each fact's slice sorted and without repeats. */
static df_status hash_facts(const df_corpus *c, sets *st, char *buf) {
    size_t count = 0;
    for (size_t f = 0; f < c->count; f++) {
        const df_fact_entry *e = &c->facts[f];
        size_t n = normalise(c->text + e->offset, e->len, buf);
        st->sequence[f] = df_hash_bytes(DF_HASH_SEED, buf, n);
        st->norm_len[f] = n;
        size_t first = count;
        uint64_t prev = 0;
        size_t words = 0;
        for (size_t i = 0; i < n;) {
            const char *sp = memchr(buf + i, ' ', n - i);
            size_t end = sp != NULL ? (size_t)(sp - buf) : n;
            uint64_t w = df_hash_bytes(DF_HASH_SEED, buf + i, end - i);
            if (words > 0 || end == n) {
                if (df_grow((void **)&st->hashes, &st->capacity, count + 1,
                            sizeof *st->hashes) != 0)
                    return DF_ENOMEM;
                /* The lone word of a one-word fact, or a bigram. */
                st->hashes[count++] = words > 0 ? bigram(prev, w) : df_hash_mix(w ^ 1u);
            }
            prev = w;
            words++;
            i = end + 1;
        }
        if (count - first > 1)
            qsort(st->hashes + first, count - first, sizeof *st->hashes, by_u64);
        size_t out = first;
        for (size_t k = first; k < count; k++)
            if (out == first || st->hashes[out - 1] != st->hashes[k])
                st->hashes[out++] = st->hashes[k];
        count = out;
        st->at[f + 1] = count;
    }
    return DF_OK;
}

/* Replace hashes by ranks: 0 for the rarest bigram.  *df_out gets each
 * rank's document frequency, *distinct their number, *post_at and *post the
 * inverted index. */
static df_status rank_bigrams(sets *st, uint32_t **df_out, size_t *distinct_out,
                              size_t **post_at_out, uint32_t **post_out) {
    size_t total = st->at[st->facts];
    df_hmap ids = {0};
    uint32_t *df = NULL, *rank = NULL, *by_df = NULL;
    size_t distinct = 0, df_capacity = 0;
    df_status status = DF_ENOMEM;
    st->items = malloc((total ? total : 1) * sizeof *st->items);
    if (st->items == NULL)
        goto done;
    for (size_t k = 0; k < total; k++) {
        uint32_t *id = df_hmap_get(&ids, st->hashes[k], NULL, NULL);
        if (id == NULL) {
            if (distinct >= UINT32_MAX - 1 ||
                df_grow((void **)&df, &df_capacity, distinct + 1, sizeof *df) != 0 ||
                df_hmap_put(&ids, st->hashes[k], (uint32_t)distinct) != 0)
                goto done;
            df[distinct] = 0;
            st->items[k] = (uint32_t)distinct++;
        } else {
            st->items[k] = *id;
        }
        df[st->items[k]]++;
    }
    df_hmap_free(&ids);
    free(st->hashes);
    st->hashes = NULL;
    /* Counting sort of ids by frequency: rank[id]. */
    size_t max_df = st->facts;
    by_df = calloc(max_df + 2, sizeof *by_df);
    rank = malloc((distinct ? distinct : 1) * sizeof *rank);
    if (by_df == NULL || rank == NULL)
        goto done;
    for (size_t id = 0; id < distinct; id++)
        by_df[df[id] + 1]++;
    for (size_t d = 0; d <= max_df; d++)
        by_df[d + 1] += by_df[d];
    for (size_t id = 0; id < distinct; id++)
        rank[id] = by_df[df[id]]++;
    uint32_t *ranked_df = malloc((distinct ? distinct : 1) * sizeof *ranked_df);
    if (ranked_df == NULL)
        goto done;
    for (size_t id = 0; id < distinct; id++)
        ranked_df[rank[id]] = df[id];
    free(df);
    df = ranked_df;
    for (size_t k = 0; k < total; k++)
        st->items[k] = rank[st->items[k]];
    for (size_t f = 0; f < st->facts; f++)
        if (st->at[f + 1] - st->at[f] > 1)
            qsort(st->items + st->at[f], st->at[f + 1] - st->at[f], sizeof *st->items, by_u32);
    /* Inverted index: for each rank, the facts (0-based, ascending). */
    size_t *post_at = calloc(distinct + 1, sizeof *post_at);
    uint32_t *post = malloc((total ? total : 1) * sizeof *post);
    if (post_at == NULL || post == NULL) {
        free(post_at);
        free(post);
        goto done;
    }
    for (size_t k = 0; k < total; k++)
        post_at[st->items[k] + 1]++;
    for (size_t r = 0; r < distinct; r++)
        post_at[r + 1] += post_at[r];
    for (size_t r = 0; r < distinct; r++)
        rank[r] = (uint32_t)post_at[r]; /* reuse rank[] as fill positions */
    for (size_t f = 0; f < st->facts; f++)
        for (size_t k = st->at[f]; k < st->at[f + 1]; k++)
            post[rank[st->items[k]]++] = (uint32_t)f;
    *df_out = df;
    *distinct_out = distinct;
    df = NULL;
    *post_at_out = post_at;
    *post_out = post;
    status = DF_OK;
done:
    df_hmap_free(&ids);
    free(df);
    free(rank);
    free(by_df);
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

/* Same normalised text?  Hashes and lengths first, then the bytes. */
static int identical(const df_corpus *c, const sets *st, size_t a, size_t b, char *buf_a,
                     char *buf_b) {
    if (st->sequence[a] != st->sequence[b] || st->norm_len[a] != st->norm_len[b])
        return 0;
    const df_fact_entry *fa = &c->facts[a], *fb = &c->facts[b];
    size_t na = normalise(c->text + fa->offset, fa->len, buf_a);
    size_t nb = normalise(c->text + fb->offset, fb->len, buf_b);
    return na == nb && memcmp(buf_a, buf_b, na) == 0;
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
static df_duplicate score_pair(const df_corpus *c, const sets *st, const double *weight,
                               const double *fact_weight, size_t a, size_t b, char *buf_a,
                               char *buf_b) {
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
    if (identical(c, st, a, b, buf_a, buf_b)) {
        d.score = 1.0;
        d.kind = DF_DUPLICATE_IDENTICAL;
    } else if (d.containment >= CONTAINED_SHARE &&
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

/* Everything a search for duplicates holds, freed by finder_free. */
typedef struct finder {
    const df_corpus *corpus;
    sets st;
    char *buf_a, *buf_b;     /* two facts, normalised */
    uint32_t *df;            /* facts holding each bigram rank */
    size_t distinct;         /* bigram ranks */
    size_t *post_at;         /* rank -> post[post_at[r]..post_at[r + 1]) */
    uint32_t *post;          /* facts, ascending */
    uint32_t *seen;          /* fact -> the last fact it was compared with */
    double *weight;          /* rank -> weight */
    double *fact_weight;     /* fact -> weight of its bigrams */
    size_t max_df;           /* bigrams in more facts are not probed */
    pair_list out;
} finder;

static void finder_free(finder *fd) {
    free(fd->buf_a);
    free(fd->buf_b);
    free(fd->st.at);
    free(fd->st.hashes);
    free(fd->st.items);
    free(fd->st.sequence);
    free(fd->st.norm_len);
    free(fd->seen);
    free(fd->df);
    free(fd->post_at);
    free(fd->post);
    free(fd->weight);
    free(fd->fact_weight);
    free(fd->out.pairs);
}

/* The facts' bigram sets, ranked, inverted and weighed.  -1 when out of
 * memory. */
static int finder_prepare(finder *fd) {
    const df_corpus *c = fd->corpus;
    size_t n = c->count, longest = 0, slots = n ? n : 1;
    for (size_t f = 0; f < n; f++)
        longest = c->facts[f].len > longest ? c->facts[f].len : longest;
    fd->st.facts = n;
    /* Normalising never lengthens: a word character is copied or
     * lowercased, a separator becomes at most one space. */
    fd->buf_a = malloc(longest + 1);
    fd->buf_b = malloc(longest + 1);
    fd->st.at = calloc(n + 1, sizeof *fd->st.at);
    fd->st.sequence = malloc(slots * sizeof *fd->st.sequence);
    fd->st.norm_len = malloc(slots * sizeof *fd->st.norm_len);
    fd->seen = malloc(slots * sizeof *fd->seen);
    fd->fact_weight = malloc(slots * sizeof *fd->fact_weight);
    if (fd->buf_a == NULL || fd->buf_b == NULL || fd->st.at == NULL ||
        fd->st.sequence == NULL || fd->st.norm_len == NULL || fd->seen == NULL ||
        fd->fact_weight == NULL || hash_facts(c, &fd->st, fd->buf_a) != DF_OK ||
        rank_bigrams(&fd->st, &fd->df, &fd->distinct, &fd->post_at, &fd->post) != DF_OK ||
        (fd->weight = malloc((fd->distinct ? fd->distinct : 1) * sizeof *fd->weight)) == NULL)
        return -1;
    for (size_t r = 0; r < fd->distinct; r++)
        fd->weight[r] = ln(1.0 + (double)n / (double)fd->df[r]);
    for (size_t f = 0; f < n; f++) {
        double w = 0.0;
        for (size_t k = fd->st.at[f]; k < fd->st.at[f + 1]; k++)
            w += fd->weight[fd->st.items[k]];
        fd->fact_weight[f] = w;
        fd->seen[f] = UINT32_MAX;
    }
    fd->max_df = n / MAX_DF_DIVISOR > MAX_DF_FLOOR ? n / MAX_DF_DIVISOR : MAX_DF_FLOOR;
    return 0;
}

/* The pairs of fact a with heavier facts that score at least threshold.
 * -1 when out of memory. */
static int probe_fact(finder *fd, size_t a, double threshold) {
    const uint32_t *set_a = fd->st.items + fd->st.at[a];
    size_t size_a = fd->st.at[a + 1] - fd->st.at[a];
    const double *fact_weight = fd->fact_weight;
    if (size_a == 0)
        return 0;
    /* The prefix: enough of the rarest (heaviest) bigrams that the rest
     * weigh less than a score of `threshold` needs in common. */
    double need = threshold * fact_weight[a] * (size_a < MIN_SET ? MIN_SET / (double)size_a
                                                                  : 1.0);
    double rest = fact_weight[a];
    size_t prefix = 0;
    /* At least one: an identical partner scores 1 whatever its size. */
    while (prefix < size_a && (prefix == 0 || rest >= need * (1.0 - 1e-9))) {
        rest -= fd->weight[set_a[prefix]];
        prefix++;
    }
    for (size_t k = 0; k < prefix; k++) {
        uint32_t r = set_a[k];
        if (fd->df[r] > fd->max_df)
            continue;
        for (size_t p = fd->post_at[r]; p < fd->post_at[r + 1]; p++) {
            size_t b = fd->post[p];
            if (b == a || !lighter(fact_weight, a, b) || fd->seen[b] == (uint32_t)a)
                continue;
            fd->seen[b] = (uint32_t)a;
            df_duplicate d = score_pair(fd->corpus, &fd->st, fd->weight, fact_weight, a, b,
                                        fd->buf_a, fd->buf_b);
            if (d.score < threshold)
                continue;
            pair_list *out = &fd->out;
            if (df_grow((void **)&out->pairs, &out->capacity, out->count + 1,
                        sizeof *out->pairs) != 0)
                return -1;
            out->pairs[out->count++] = d;
        }
    }
    return 0;
}

df_status df_duplicates(const df_corpus *c, double threshold, df_duplicate **pairs_out,
                        size_t *count_out, df_error *err) {
    if (c == NULL || pairs_out == NULL || count_out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    *pairs_out = NULL;
    *count_out = 0;
    if (!(threshold > 0.0 && threshold <= 1.0))
        return df_fail(err, DF_EARG, 0, 0, "threshold %g is not in (0, 1]", threshold);
    if (c->count >= UINT32_MAX)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: too many facts", c->name);
    finder fd = {.corpus = c};
    int failed = finder_prepare(&fd);
    for (size_t a = 0; a < c->count && !failed; a++)
        failed = probe_fact(&fd, a, threshold);
    if (failed) {
        finder_free(&fd);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory finding duplicates");
    }
    if (fd.out.count > 1)
        qsort(fd.out.pairs, fd.out.count, sizeof *fd.out.pairs, by_score);
    if (fd.out.count > 0) {  /* handed over; no pairs is NULL */
        *pairs_out = fd.out.pairs;
        *count_out = fd.out.count;
        fd.out.pairs = NULL;
    }
    finder_free(&fd);
    return DF_OK;
}
