/* Near-duplicate facts.
 *
 * 1. Copies.  Each fact is normalised (words of letters and digits, ASCII
 *    lowercased, apostrophes inside words dropped, everything else a
 *    separator) and its normalised text hashed: a fact whose text an earlier
 *    fact already has is a copy, paired "identical" with that first
 *    occurrence (however many copies there are, in one pass) and left out
 *    of the rest.
 * 2. Formula lines.  A line (normalised) that FORMULA_FACTS or more of the
 *    remaining facts hold is a formula: an attribution ("-- Stanislaw Jerzy
 *    Lec"), a heading, a signature, the frame of a series of drawings.
 *    Sharing one says that two facts have an author or a series in common,
 *    not that one repeats the other; yet its word bigrams, each in a few
 *    dozen facts of thousands, would look rare and weigh as much as the
 *    facts' own words.  So a formula line is one term, and since it links
 *    each of its k facts to k - 1 others, its weight as evidence about any
 *    one pair is that of a term of its frequency divided by k - 1.  A line
 *    in two facts keeps its words: one of them may well repeat the other.
 * 3. Each fact becomes the set of its terms, as 64-bit hashes: its formula
 *    lines, and the word bigrams of the runs of other lines between them (a
 *    run of one word: that word).  A fact without formula lines is the set
 *    of its bigrams, or its word when it has one.  Chinese and Japanese
 *    characters are words of their own (the scripts have no spaces).
 * 4. Terms are numbered by rarity (document frequency, then first
 *    appearance), so that a fact's sorted set starts with its rarest terms,
 *    and an inverted index maps each term to its facts.  A bigram weighs
 *    log(1 + facts / df): "of the" counts for little, a name for much.  A
 *    term's size is the bigrams it stands for: 1, or those of a formula line.
 * 5. The score of facts A and B, A the lighter (by total weight):
 *        weight(A n B) / weight(A) * min(1, own(A) / MIN_SET)
 *    a weighted containment, damped for facts so small that a word or two
 *    in common would make them look contained: own(A) is the size of A's
 *    own lines, its formulas aside (unless it has nothing else).
 * 6. Prefix filtering: a score >= t needs shared weight >= t * weight(A), so
 *    the pair shares one of A's rarest terms, as many as it takes for the
 *    rest to weigh less than that.  Each fact probes the postings of those
 *    only, for heavier partners.  Terms in more than MAX_DF facts are not
 *    probed (they would cost most and tell least), and each fact keeps its
 *    MAX_PARTNERS best partners, which bounds the work and the pairs on big
 *    corpora.
 * 7. Each candidate pair is scored exactly by merging the two sorted sets. */
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
/* A line held by this many facts or more is a formula (two facts holding
 * it may be a fact and its repeat; three that all repeat one another are
 * rare, and copies are counted once). */
#define FORMULA_FACTS 3u
/* Terms in more than MAX_DF facts are not probed: on a big corpus of
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

/* Chinese and Japanese, written without spaces between words: each
 * ideograph or kana is a word of its own, so that their bigrams are those
 * of characters (as search engines index these scripts), not of whole
 * clauses.  Han (with extensions and compatibility forms), hiragana,
 * katakana. */
/* A word character is copied or lowercased, with at most one space before
 * it, and a separator writes nothing: twice the input, and a NUL. */
#define NORMALISED_ROOM(len) (2 * (len) + 1)

static int is_unspaced(uint32_t cp) {
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) ||
           (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF66 && cp <= 0xFF9F) ||
           (cp >= 0x20000 && cp <= 0x3134F);
}

/* Write the words of s[0..len) to out (room for NORMALISED_ROOM(len)
 * bytes), separated by single spaces; returns the length written. */
static size_t normalise(const char *s, size_t len, char *out) {
    size_t n = 0, i = 0;
    int in_word = 0;
    while (i < len) {
        uint32_t cp = (unsigned char)s[i];
        size_t next = cp < 0x80 ? i + 1 : df_utf8_next(s, len, i, &cp);
        if (cp < 0x80 ? df_is_word_byte((unsigned char)cp) : df_is_word_cp(cp)) {
            if (!in_word && n > 0)
                out[n++] = ' ';
            in_word = !is_unspaced(cp);
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

/* The lines of a text, one after another.  A newline separates words, so
 * the normalised lines joined by spaces are the normalised text. */
typedef struct line_walk {
    const char *text;
    size_t len, pos;
} line_walk;

/* Normalise the next line into out and set *n to its length; 0 at the end. */
static int next_line(line_walk *w, char *out, size_t *n) {
    if (w->pos > w->len)
        return 0;
    const char *start = w->text + w->pos;
    const char *newline = memchr(start, '\n', w->len - w->pos);
    size_t end = newline != NULL ? (size_t)(newline - w->text) : w->len;
    *n = normalise(start, end - w->pos, out);
    w->pos = end + 1;
    return 1;
}

/* ------------------------------------------------------------- the owner */

typedef struct line_stat {
    uint32_t facts;          /* how many facts hold the line */
    uint32_t last;           /* the last fact counted, to count each once */
    uint32_t bigrams;        /* of a formula line: the bigrams it stands for */
} line_stat;

typedef struct pair_list {
    df_duplicate *pairs;
    size_t count, capacity;
} pair_list;

/* Everything df_duplicates allocates, freed in one place (dupes_free). */
typedef struct dupes {
    const df_corpus *corpus;
    size_t facts;
    char *line, *scratch;    /* a normalised fact, the longest fits */
    /* Per fact. */
    uint32_t *original;      /* the first fact with its normalised text */
    size_t *norm_len;        /* the length of its normalised text */
    size_t *at;              /* facts + 1 offsets of each fact's terms */
    double *fact_weight;
    size_t *fact_size;
    size_t *fact_own;        /* the bigrams of its own lines (see weigh) */
    uint32_t *seen;          /* while probing: the last fact that scored it */
    df_hmap texts;           /* normalised text -> its first fact */
    df_hmap lines;           /* normalised line -> its line_stats number */
    df_hmap term_ids;        /* term -> its number in order of first sight */
    df_hmap formulas;        /* formula term -> its line's number */
    uint64_t *line_hashes;   /* the lines of the fact at hand */
    size_t line_hash_capacity;
    line_stat *line_stats;
    size_t line_count, line_capacity;
    /* Terms: each fact's in at[f] .. at[f + 1]. */
    uint64_t *found;         /* hashed, while collecting */
    size_t found_capacity;
    uint32_t *items;         /* then numbered by rank, each fact's sorted */
    size_t distinct, df_capacity, size_capacity, split_capacity;
    uint32_t *df, *size;     /* per term: facts holding it, bigrams */
    uint32_t *split;         /* per term: the partners its weight is shared by */
    uint32_t *spare;         /* distinct entries, to permute the above */
    double *weight;          /* per term */
    size_t *slot;            /* counting sorts: where each item goes */
    size_t *by_df;           /* facts + 2: terms of each frequency */
    size_t *post_at;         /* distinct + 1: the postings of each term */
    uint32_t *post;          /* the facts (0-based, ascending) of each term */
    pair_list out;
} dupes;

static void dupes_free(dupes *d) {
    free(d->line);
    free(d->scratch);
    free(d->original);
    free(d->norm_len);
    free(d->at);
    free(d->fact_weight);
    free(d->fact_size);
    free(d->fact_own);
    free(d->seen);
    df_hmap_free(&d->texts);
    df_hmap_free(&d->lines);
    df_hmap_free(&d->term_ids);
    df_hmap_free(&d->formulas);
    free(d->line_hashes);
    free(d->line_stats);
    free(d->found);
    free(d->items);
    free(d->df);
    free(d->size);
    free(d->split);
    free(d->spare);
    free(d->weight);
    free(d->slot);
    free(d->by_df);
    free(d->post_at);
    free(d->post);
    free(d->out.pairs);
}

/* malloc of n elements, at least one. */
static void *alloc_array(size_t n, size_t size) {
    return malloc((n ? n : 1) * size);
}

static int alloc_per_fact(dupes *d) {
    size_t n = d->facts, longest = 0;
    for (size_t f = 0; f < n; f++)
        longest = d->corpus->facts[f].len > longest ? d->corpus->facts[f].len : longest;
    d->line = malloc(NORMALISED_ROOM(longest));
    d->scratch = malloc(NORMALISED_ROOM(longest));
    d->original = alloc_array(n, sizeof *d->original);
    d->norm_len = alloc_array(n, sizeof *d->norm_len);
    d->at = calloc(n + 1, sizeof *d->at);
    d->fact_weight = alloc_array(n, sizeof *d->fact_weight);
    d->fact_size = alloc_array(n, sizeof *d->fact_size);
    d->fact_own = alloc_array(n, sizeof *d->fact_own);
    d->seen = alloc_array(n, sizeof *d->seen);
    return d->line != NULL && d->scratch != NULL && d->original != NULL &&
                   d->norm_len != NULL && d->at != NULL && d->fact_weight != NULL &&
                   d->fact_size != NULL && d->fact_own != NULL && d->seen != NULL
               ? 0
               : -1;
}

static line_walk lines_of(const dupes *d, size_t f) {
    const df_fact_entry *e = &d->corpus->facts[f];
    return (line_walk){d->corpus->text + e->offset, e->len, 0};
}

/* ------------------------------------------------- copies, formula lines */

typedef struct text_probe {
    const dupes *d;
    const char *text;        /* normalised */
    size_t len;
} text_probe;

/* Whether fact `f` normalises to the probe's text. */
static int same_text(const void *ctx, uint32_t f) {
    const text_probe *p = ctx;
    if (p->d->norm_len[f] != p->len)
        return 0;
    const df_fact_entry *e = &p->d->corpus->facts[f];
    size_t n = normalise(p->d->corpus->text + e->offset, e->len, p->d->scratch);
    return n == p->len && memcmp(p->d->scratch, p->text, n) == 0;
}

/* Normalise fact f line by line into d->line, joined by spaces (which is
 * its normalised text: a newline separates words), *len its length, and
 * hash each line that has words into d->line_hashes, *lines of them. */
static int normalise_fact(dupes *d, size_t f, size_t *len, size_t *lines) {
    line_walk w = lines_of(d, f);
    size_t n = 0, count = 0, line_len;
    while (next_line(&w, d->line + (n > 0 ? n + 1 : 0), &line_len)) {
        if (line_len == 0)
            continue;
        if (df_grow((void **)&d->line_hashes, &d->line_hash_capacity, count + 1,
                    sizeof *d->line_hashes) != 0)
            return -1;
        size_t start = n > 0 ? n + 1 : 0;
        d->line_hashes[count++] = df_hash_bytes(DF_HASH_SEED, d->line + start, line_len);
        if (n > 0)
            d->line[n] = ' ';
        n = start + line_len;
    }
    *len = n;
    *lines = count;
    return 0;
}

/* Count fact f once in the total of each of its lines (d->line_hashes). */
static int count_lines(dupes *d, size_t f, size_t lines) {
    for (size_t i = 0; i < lines; i++) {
        uint64_t hash = d->line_hashes[i];
        uint32_t *number = df_hmap_get(&d->lines, hash, NULL, NULL);
        if (number == NULL) {
            if (d->line_count >= UINT32_MAX - 1 ||
                df_grow((void **)&d->line_stats, &d->line_capacity, d->line_count + 1,
                        sizeof *d->line_stats) != 0 ||
                df_hmap_put(&d->lines, hash, (uint32_t)d->line_count) != 0)
                return -1;
            d->line_stats[d->line_count] = (line_stat){0, UINT32_MAX, 0};
            number = df_hmap_get(&d->lines, hash, NULL, NULL);
            d->line_count++;
        }
        line_stat *stat = &d->line_stats[*number];
        if (stat->last != (uint32_t)f) {
            stat->facts++;
            stat->last = (uint32_t)f;
        }
    }
    return 0;
}

/* Each fact's first occurrence, by its normalised text (d->original), and
 * how many first occurrences hold each line (d->line_stats). */
static int find_copies(dupes *d) {
    for (size_t f = 0; f < d->facts; f++) {
        size_t n, lines;
        if (normalise_fact(d, f, &n, &lines) != 0)
            return -1;
        uint64_t hash = df_hash_bytes(DF_HASH_SEED, d->line, n);
        text_probe probe = {d, d->line, n};
        d->norm_len[f] = n;
        /* A fact without words ("!!!") is nobody's copy. */
        uint32_t *first = n > 0 ? df_hmap_get(&d->texts, hash, same_text, &probe) : NULL;
        d->original[f] = first != NULL ? *first : (uint32_t)f;
        if (first == NULL && n > 0 &&
            (df_hmap_put(&d->texts, hash, (uint32_t)f) != 0 || count_lines(d, f, lines) != 0))
            return -1;
    }
    df_hmap_free(&d->texts);
    return 0;
}

/* ----------------------------------------------------------------- terms */

static uint64_t bigram(uint64_t first, uint64_t second) {
    return df_hash_mix(first * 0x9e3779b97f4a7c15u ^ second);
}

static int add_term(dupes *d, size_t *count, uint64_t hash) {
    if (df_grow((void **)&d->found, &d->found_capacity, *count + 1, sizeof *d->found) != 0)
        return -1;
    d->found[(*count)++] = hash;
    return 0;
}

/* The term of formula line `number`, s[0..n) normalised. */
static int add_formula(dupes *d, size_t *count, uint64_t line_hash, uint32_t number,
                       const char *s, size_t n) {
    uint64_t hash = df_hash_mix(line_hash ^ 2u);
    line_stat *stat = &d->line_stats[number];
    if (stat->bigrams == 0) {
        for (size_t i = 0; i < n; i++)
            stat->bigrams += s[i] == ' ' && stat->bigrams < UINT32_MAX - 1;
        stat->bigrams += stat->bigrams == 0;
        if (df_hmap_put(&d->formulas, hash, number) != 0)
            return -1;
    }
    return add_term(d, count, hash);
}

/* A run of words across lines: the bigrams of its words. */
typedef struct word_run {
    uint64_t last;           /* the hash of its last word */
    size_t words;
} word_run;

/* The words of the normalised line s[0..n) continue the run. */
static int add_words(dupes *d, size_t *count, const char *s, size_t n, word_run *run) {
    for (size_t i = 0; i < n;) {
        const char *space = memchr(s + i, ' ', n - i);
        size_t end = space != NULL ? (size_t)(space - s) : n;
        uint64_t word = df_hash_bytes(DF_HASH_SEED, s + i, end - i);
        if (run->words > 0 && add_term(d, count, bigram(run->last, word)) != 0)
            return -1;
        run->last = word;
        run->words++;
        i = end + 1;
    }
    return 0;
}

/* A run of one word has no bigram: it is its word. */
static int end_run(dupes *d, size_t *count, word_run *run) {
    int status = run->words == 1 ? add_term(d, count, df_hash_mix(run->last ^ 1u)) : 0;
    run->words = 0;
    return status;
}

static int by_u64(const void *pa, const void *pb) {
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return (a > b) - (a < b);
}

/* The terms of fact f, sorted, without repeats, from d->found[*count]. */
static int add_terms_of(dupes *d, size_t f, size_t *count) {
    size_t start = *count, n;
    word_run run = {0, 0};
    line_walk w = lines_of(d, f);
    while (next_line(&w, d->line, &n)) {
        if (n == 0)
            continue;
        uint64_t hash = df_hash_bytes(DF_HASH_SEED, d->line, n);
        const uint32_t *number = df_hmap_get(&d->lines, hash, NULL, NULL);
        if (d->line_stats[*number].facts < FORMULA_FACTS) {
            if (add_words(d, count, d->line, n, &run) != 0)
                return -1;
        } else if (end_run(d, count, &run) != 0 ||
                   add_formula(d, count, hash, *number, d->line, n) != 0) {
            return -1;
        }
    }
    if (end_run(d, count, &run) != 0)
        return -1;
    if (*count - start > 1)
        qsort(d->found + start, *count - start, sizeof *d->found, by_u64);
    size_t out = start;
    for (size_t k = start; k < *count; k++)
        if (out == start || d->found[out - 1] != d->found[k])
            d->found[out++] = d->found[k];
    *count = out;
    return 0;
}

/* Every first occurrence's terms; a copy gets an empty set. */
static int collect_terms(dupes *d) {
    size_t count = 0;
    for (size_t f = 0; f < d->facts; f++) {
        if (d->original[f] == f && add_terms_of(d, f, &count) != 0)
            return -1;
        d->at[f + 1] = count;
    }
    df_hmap_free(&d->lines);
    return 0;
}

/* Replace the hashes by dense term numbers, in order of first sight, with
 * each term's document frequency and size. */
static int number_terms(dupes *d) {
    size_t total = d->at[d->facts];
    if ((d->items = alloc_array(total, sizeof *d->items)) == NULL)
        return -1;
    for (size_t k = 0; k < total; k++) {
        uint32_t *id = df_hmap_get(&d->term_ids, d->found[k], NULL, NULL);
        if (id == NULL) {
            if (d->distinct >= UINT32_MAX - 1 ||
                df_grow((void **)&d->df, &d->df_capacity, d->distinct + 1, sizeof *d->df) != 0 ||
                df_grow((void **)&d->size, &d->size_capacity, d->distinct + 1,
                        sizeof *d->size) != 0 ||
                df_grow((void **)&d->split, &d->split_capacity, d->distinct + 1,
                        sizeof *d->split) != 0 ||
                df_hmap_put(&d->term_ids, d->found[k], (uint32_t)d->distinct) != 0)
                return -1;
            const uint32_t *line = df_hmap_get(&d->formulas, d->found[k], NULL, NULL);
            const line_stat *formula = line != NULL ? &d->line_stats[*line] : NULL;
            d->df[d->distinct] = 0;
            d->size[d->distinct] = formula != NULL ? formula->bigrams : 1;
            d->split[d->distinct] = formula != NULL ? formula->facts - 1 : 1;
            d->items[k] = (uint32_t)d->distinct++;
        } else {
            d->items[k] = *id;
        }
        d->df[d->items[k]]++;
    }
    df_hmap_free(&d->term_ids);
    free(d->found);
    d->found = NULL;
    return 0;
}

static int by_u32(const void *pa, const void *pb) {
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    return (a > b) - (a < b);
}

/* Put (*values)[id] at rank[id], through *spare (which gets the old array). */
static void by_rank(uint32_t **values, uint32_t **spare, const size_t *rank, size_t n) {
    uint32_t *moved = *spare;
    for (size_t id = 0; id < n; id++)
        moved[rank[id]] = (*values)[id];
    *spare = *values;
    *values = moved;
}

/* Renumber the terms by frequency, 0 for the rarest (ties by first sight),
 * and sort each fact's set. */
static int rank_by_frequency(dupes *d) {
    size_t total = d->at[d->facts];
    d->slot = alloc_array(total, sizeof *d->slot);
    d->by_df = alloc_array(d->facts + 2, sizeof *d->by_df);
    d->spare = alloc_array(d->distinct, sizeof *d->spare);
    if (d->slot == NULL || d->by_df == NULL || d->spare == NULL)
        return -1;
    const size_t *rank = d->slot; /* distinct <= total */
    df_counting_sort(d->df, d->distinct, d->facts + 1, d->by_df, d->slot);
    by_rank(&d->df, &d->spare, rank, d->distinct);
    by_rank(&d->size, &d->spare, rank, d->distinct);
    by_rank(&d->split, &d->spare, rank, d->distinct);
    for (size_t k = 0; k < total; k++)
        d->items[k] = (uint32_t)rank[d->items[k]];
    for (size_t f = 0; f < d->facts; f++)
        if (d->at[f + 1] - d->at[f] > 1)
            qsort(d->items + d->at[f], d->at[f + 1] - d->at[f], sizeof *d->items, by_u32);
    return 0;
}

/* The inverted index: the facts of each term, ascending. */
static int invert(dupes *d) {
    size_t total = d->at[d->facts];
    d->post_at = alloc_array(d->distinct + 1, sizeof *d->post_at);
    d->post = alloc_array(total, sizeof *d->post);
    if (d->post_at == NULL || d->post == NULL)
        return -1;
    df_counting_sort(d->items, total, d->distinct, d->post_at, d->slot);
    for (size_t f = 0; f < d->facts; f++)
        for (size_t k = d->at[f]; k < d->at[f + 1]; k++)
            d->post[d->slot[k]] = (uint32_t)f;
    return 0;
}

/* Natural logarithm of x >= 1, to about 1e-12: x = m * 2^e with m in
 * [1, 2), ln m = 2 atanh((m - 1) / (m + 1)).  (Saves linking libm.) */
static double ln(double x) {
    int e = 0;
    while (x >= 2.0) {
        x /= 2.0;
        e++;
    }
    double z = (x - 1.0) / (x + 1.0), z2 = z * z, power = z, sum = 0.0;
    for (int k = 1; k < 40; k += 2) {
        sum += power / k;
        power *= z2;
    }
    return 2.0 * sum + e * 0.69314718055994530942;
}

/* Each term's weight; each fact's weight and size, and the size of its own
 * lines: beside other lines a formula is a label, and a fact whose own
 * lines are a word or two is small, however long its labels; a fact that
 * is nothing but formulas (a cookie repeated whole) is its lines. */
static int weigh(dupes *d) {
    if ((d->weight = alloc_array(d->distinct, sizeof *d->weight)) == NULL)
        return -1;
    for (size_t r = 0; r < d->distinct; r++)
        d->weight[r] = ln(1.0 + (double)d->facts / (double)d->df[r]) / d->split[r];
    for (size_t f = 0; f < d->facts; f++) {
        double weight = 0.0;
        size_t size = 0, own = 0;
        for (size_t k = d->at[f]; k < d->at[f + 1]; k++) {
            uint32_t r = d->items[k];
            weight += d->weight[r];
            size += d->size[r];
            own += d->split[r] == 1 ? d->size[r] : 0;
        }
        d->fact_weight[f] = weight;
        d->fact_size[f] = size;
        d->fact_own[f] = own > 0 ? own : size;
    }
    return 0;
}

/* -------------------------------------------------------------- scoring */

static int add_pair(pair_list *out, df_duplicate pair) {
    if (df_grow((void **)&out->pairs, &out->capacity, out->count + 1, sizeof *out->pairs) != 0)
        return -1;
    out->pairs[out->count++] = pair;
    return 0;
}

/* Copies, whatever their number: one pair each, with the original. */
static int report_copies(dupes *d) {
    for (size_t f = 0; f < d->facts; f++)
        if (d->original[f] != f &&
            add_pair(&d->out, (df_duplicate){.a = (df_fact_id)d->original[f] + 1,
                                             .b = (df_fact_id)(f + 1), .score = 1.0,
                                             .containment = 1.0, .jaccard = 1.0,
                                             .kind = DF_DUPLICATE_IDENTICAL}) != 0)
            return -1;
    return 0;
}

/* The size and weight of what facts a and b have in common. */
static size_t shared(const dupes *d, size_t a, size_t b, double *weight) {
    const uint32_t *x = d->items + d->at[a], *y = d->items + d->at[b];
    size_t i = 0, j = 0, nx = d->at[a + 1] - d->at[a], ny = d->at[b + 1] - d->at[b], size = 0;
    double w = 0.0;
    while (i < nx && j < ny) {
        if (x[i] < y[j]) {
            i++;
        } else if (x[i] > y[j]) {
            j++;
        } else {
            size += d->size[x[i]];
            w += d->weight[x[i]];
            i++;
            j++;
        }
    }
    *weight = w;
    return size;
}

/* The score of a candidate pair (a the lighter fact) and its kind. */
static df_duplicate score_pair(const dupes *d, size_t a, size_t b) {
    size_t size_a = d->fact_size[a], size_b = d->fact_size[b];
    double shared_weight;
    size_t common = shared(d, a, b, &shared_weight);
    size_t smaller = size_a < size_b ? size_a : size_b;
    df_duplicate pair = {
        .a = (df_fact_id)((a < b ? a : b) + 1),
        .b = (df_fact_id)((a < b ? b : a) + 1),
        .containment = (double)common / (double)smaller,
        .jaccard = (double)common / (double)(size_a + size_b - common),
        .kind = DF_DUPLICATE_SIMILAR,
    };
    pair.score = d->fact_weight[a] > 0.0 ? shared_weight / d->fact_weight[a] : 0.0;
    if (d->fact_own[a] < MIN_SET)
        pair.score *= (double)d->fact_own[a] / MIN_SET;
    pair.score = pair.score > 1.0 ? 1.0 : pair.score; /* rounding */
    if (pair.containment >= CONTAINED_SHARE &&
        (double)smaller <= CONTAINED_RATIO * (double)(size_a + size_b - smaller))
        pair.kind = DF_DUPLICATE_CONTAINED;
    return pair;
}

static int by_score(const void *pa, const void *pb) {
    const df_duplicate *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Does fact a come before fact b in the probing order: lighter first,
 * ties by id? */
static int lighter(const dupes *d, size_t a, size_t b) {
    return d->fact_weight[a] < d->fact_weight[b] ||
           (d->fact_weight[a] == d->fact_weight[b] && a < b);
}

/* How many of fact a's rarest (heaviest) terms a partner scoring
 * `threshold` must share one of: enough that the rest weigh less than such
 * a score needs in common, and at least one (an identical partner scores 1
 * whatever its size). */
static size_t prefix_of(const dupes *d, size_t a, double threshold) {
    const uint32_t *set = d->items + d->at[a];
    size_t terms = d->at[a + 1] - d->at[a], size = d->fact_own[a], prefix = 0;
    double need = threshold * d->fact_weight[a] * (size < MIN_SET ? MIN_SET / (double)size : 1.0);
    double rest = d->fact_weight[a];
    while (prefix < terms && (prefix == 0 || rest >= need * (1.0 - 1e-9)))
        rest -= d->weight[set[prefix++]];
    return prefix;
}

/* The heavier partners of fact a scoring `threshold` or more, its
 * MAX_PARTNERS best. */
static int find_partners(dupes *d, size_t a, double threshold) {
    const uint32_t *set = d->items + d->at[a];
    size_t prefix = prefix_of(d, a, threshold), first = d->out.count;
    for (size_t k = 0; k < prefix; k++) {
        uint32_t r = set[k];
        if (d->df[r] > MAX_DF)
            continue;
        for (size_t p = d->post_at[r]; p < d->post_at[r + 1]; p++) {
            size_t b = d->post[p];
            if (b == a || !lighter(d, a, b) || d->seen[b] == (uint32_t)a)
                continue;
            d->seen[b] = (uint32_t)a;
            df_duplicate pair = score_pair(d, a, b);
            if (pair.score >= threshold && add_pair(&d->out, pair) != 0)
                return -1;
        }
    }
    if (d->out.count - first > MAX_PARTNERS) {
        qsort(d->out.pairs + first, d->out.count - first, sizeof *d->out.pairs, by_score);
        d->out.count = first + MAX_PARTNERS;
    }
    return 0;
}

static int find_similar(dupes *d, double threshold) {
    for (size_t f = 0; f < d->facts; f++)
        d->seen[f] = UINT32_MAX;
    for (size_t a = 0; a < d->facts; a++)
        if (d->at[a + 1] > d->at[a] && find_partners(d, a, threshold) != 0)
            return -1;
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
    dupes d = {.corpus = c, .facts = c->count};
    int failed = alloc_per_fact(&d) != 0 || find_copies(&d) != 0 ||
                 collect_terms(&d) != 0 || number_terms(&d) != 0 ||
                 rank_by_frequency(&d) != 0 || invert(&d) != 0 || weigh(&d) != 0 ||
                 report_copies(&d) != 0 || find_similar(&d, threshold) != 0;
    if (!failed && d.out.count > 0) {
        qsort(d.out.pairs, d.out.count, sizeof *d.out.pairs, by_score);
        *pairs_out = d.out.pairs;
        *count_out = d.out.count;
        d.out.pairs = NULL;
    }
    dupes_free(&d);
    if (failed)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory finding duplicates");
    return DF_OK;
}
