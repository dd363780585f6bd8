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
 * 7. Each candidate pair is scored exactly by merging the two sorted sets,
 *    given up as soon as what is left of A could not reach the score
 *    needed.  That score rises as pairs are found: once a fact has
 *    MAX_PARTNERS partners, to the worst of them; once a caller asking for
 *    the best `limit` pairs has twice that many, to the limit-th best.  So the pairs held stay
 *    bounded, and a small limit makes the search cheap. */
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

/* A term of the fact at hand, while collecting: its hash, and the number of
 * its formula line (NOT_FORMULA for a word or a bigram). */
/* A heavier fact that shares one of the probed terms of the fact probing:
 * the first term of that fact it holds (b holds none before, or it would
 * have been found there), the weight of the terms from that one on, and
 * the weight of the probed terms it holds. */
typedef struct candidate {
    uint32_t fact, first;
    double rest, shared;
} candidate;


typedef struct term_hash {
    uint64_t hash;
    uint32_t formula;
} term_hash;

#define NOT_FORMULA UINT32_MAX

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
    uint32_t *candidate_of;  /* while probing: its place among the candidates,
                                if candidates[candidate_of[f]] is f (a sparse
                                set: nothing to clear between facts) */
    df_hmap texts;           /* normalised text -> its first fact */
    df_hmap lines;           /* normalised line -> its line_stats number */
    df_hmap term_ids;        /* term -> its number in order of first sight */
    uint64_t *line_hashes;   /* the lines of the fact at hand */
    size_t line_hash_capacity;
    line_stat *line_stats;
    size_t line_count, line_capacity;
    /* Terms: each fact's in at[f] .. at[f + 1]. */
    term_hash *found;        /* the fact at hand's, hashed */
    size_t found_capacity;
    uint32_t *items;         /* numbered by first sight, then by rank; sorted */
    size_t items_capacity;
    size_t distinct, df_capacity, size_capacity, split_capacity;
    uint32_t *df, *size;     /* per term: facts holding it, bigrams */
    uint32_t *split;         /* per term: the partners its weight is shared by */
    double *weight;          /* per term */
    size_t probed;           /* terms 0 .. probed - 1 are in MAX_DF facts or fewer */
    size_t *post_at;         /* probed + 1: the postings of each probed term */
    uint32_t *post;          /* the facts (0-based, ascending) of each */
    /* The search. */
    double *a_weight;        /* the weights of the terms of the fact probing, */
    uint32_t *a_size;        /* and their sizes, at hand for every candidate */
    double threshold;        /* the score a pair needs: rises with `limit` */
    size_t limit;            /* the best pairs asked for, SIZE_MAX for all */
    candidate *candidates;   /* of the fact probing */
    size_t candidate_count, candidate_capacity;
    pair_list partners;      /* of the fact at hand: MAX_PARTNERS at most */
    pair_list out;           /* 2 * limit at most */
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
    free(d->candidate_of);
    df_hmap_free(&d->texts);
    df_hmap_free(&d->lines);
    df_hmap_free(&d->term_ids);
    free(d->line_hashes);
    free(d->line_stats);
    free(d->found);
    free(d->items);
    free(d->df);
    free(d->size);
    free(d->split);
    free(d->weight);
    free(d->post_at);
    free(d->post);
    free(d->a_weight);
    free(d->a_size);
    free(d->candidates);
    free(d->partners.pairs);
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
    d->candidate_of = calloc(n ? n : 1, sizeof *d->candidate_of);
    d->partners.pairs = alloc_array(MAX_PARTNERS, sizeof *d->partners.pairs);
    d->partners.capacity = MAX_PARTNERS;
    return d->line != NULL && d->scratch != NULL && d->original != NULL &&
                   d->norm_len != NULL && d->at != NULL && d->fact_weight != NULL &&
                   d->fact_size != NULL && d->fact_own != NULL && d->candidate_of != NULL &&
                   d->partners.pairs != NULL
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

static int add_term(dupes *d, size_t *count, uint64_t hash, uint32_t formula) {
    if (df_grow((void **)&d->found, &d->found_capacity, *count + 1, sizeof *d->found) != 0)
        return -1;
    d->found[(*count)++] = (term_hash){hash, formula};
    return 0;
}

/* The term of formula line `number`, s[0..n) normalised. */
static int add_formula(dupes *d, size_t *count, uint64_t line_hash, uint32_t number,
                       const char *s, size_t n) {
    line_stat *stat = &d->line_stats[number];
    if (stat->bigrams == 0) {
        for (size_t i = 0; i < n; i++)
            stat->bigrams += s[i] == ' ' && stat->bigrams < UINT32_MAX - 1;
        stat->bigrams += stat->bigrams == 0;
    }
    return add_term(d, count, df_hash_mix(line_hash ^ 2u), number);
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
        if (run->words > 0 && add_term(d, count, bigram(run->last, word), NOT_FORMULA) != 0)
            return -1;
        run->last = word;
        run->words++;
        i = end + 1;
    }
    return 0;
}

/* A run of one word has no bigram: it is its word. */
static int end_run(dupes *d, size_t *count, word_run *run) {
    int status =
        run->words == 1 ? add_term(d, count, df_hash_mix(run->last ^ 1u), NOT_FORMULA) : 0;
    run->words = 0;
    return status;
}

static int by_hash(const void *pa, const void *pb) {
    uint64_t a = ((const term_hash *)pa)->hash, b = ((const term_hash *)pb)->hash;
    return (a > b) - (a < b);
}

/* The terms of fact f, hashed, in d->found[0 .. *count), sorted, without
 * repeats. */
static int hash_terms_of(dupes *d, size_t f, size_t *count) {
    size_t n;
    word_run run = {0, 0};
    *count = 0;
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
    if (*count > 1)
        qsort(d->found, *count, sizeof *d->found, by_hash);
    size_t out = 0;
    for (size_t k = 0; k < *count; k++)
        if (out == 0 || d->found[out - 1].hash != d->found[k].hash)
            d->found[out++] = d->found[k];
    *count = out;
    return 0;
}

/* A term seen for the first time: its number, frequency 0, and its size
 * and split (those of its formula line, if it is one). */
static int new_term(dupes *d, const term_hash *term, uint32_t *number) {
    if (d->distinct >= UINT32_MAX - 1 ||
        df_grow((void **)&d->df, &d->df_capacity, d->distinct + 1, sizeof *d->df) != 0 ||
        df_grow((void **)&d->size, &d->size_capacity, d->distinct + 1, sizeof *d->size) != 0 ||
        df_grow((void **)&d->split, &d->split_capacity, d->distinct + 1, sizeof *d->split) !=
            0 ||
        df_hmap_put(&d->term_ids, term->hash, (uint32_t)d->distinct) != 0)
        return -1;
    const line_stat *formula =
        term->formula != NOT_FORMULA ? &d->line_stats[term->formula] : NULL;
    d->df[d->distinct] = 0;
    d->size[d->distinct] = formula != NULL ? formula->bigrams : 1;
    d->split[d->distinct] = formula != NULL ? formula->facts - 1 : 1;
    *number = (uint32_t)d->distinct++;
    return 0;
}

/* Every first occurrence's terms, as numbers in order of first sight, with
 * each term's document frequency; a copy gets an empty set.  Numbered fact
 * by fact, so that only one fact's hashes are held at a time. */
static int collect_terms(dupes *d) {
    size_t total = 0, count;
    for (size_t f = 0; f < d->facts; f++) {
        if (d->original[f] == f) {
            if (hash_terms_of(d, f, &count) != 0 ||
                df_grow((void **)&d->items, &d->items_capacity, total + count,
                        sizeof *d->items) != 0)
                return -1;
            for (size_t k = 0; k < count; k++) {
                uint32_t *known = df_hmap_get(&d->term_ids, d->found[k].hash, NULL, NULL);
                uint32_t number = known != NULL ? *known : 0;
                if (known == NULL && new_term(d, &d->found[k], &number) != 0)
                    return -1;
                d->df[number]++;
                d->items[total++] = number;
            }
        }
        d->at[f + 1] = total;
    }
    df_hmap_free(&d->lines);
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
    size_t *rank = alloc_array(d->distinct, sizeof *rank);
    size_t *by_df = alloc_array(d->facts + 2, sizeof *by_df);
    uint32_t *spare = alloc_array(d->distinct, sizeof *spare);
    if (rank == NULL || by_df == NULL || spare == NULL) {
        free(rank);
        free(by_df);
        free(spare);
        return -1;
    }
    df_counting_sort(d->df, d->distinct, d->facts + 1, by_df, rank);
    by_rank(&d->df, &spare, rank, d->distinct);
    by_rank(&d->size, &spare, rank, d->distinct);
    by_rank(&d->split, &spare, rank, d->distinct);
    for (size_t k = 0; k < total; k++)
        d->items[k] = (uint32_t)rank[d->items[k]];
    for (size_t f = 0; f < d->facts; f++)
        if (d->at[f + 1] - d->at[f] > 1)
            qsort(d->items + d->at[f], d->at[f + 1] - d->at[f], sizeof *d->items, by_u32);
    free(rank);
    free(by_df);
    free(spare);
    return 0;
}

/* The inverted index of the terms that are probed (in MAX_DF facts or
 * fewer: the rarest, numbers 0 .. probed - 1): the facts of each,
 * ascending. */
static int invert(dupes *d) {
    while (d->probed < d->distinct && d->df[d->probed] <= MAX_DF)
        d->probed++;
    if ((d->post_at = calloc(d->probed + 1, sizeof *d->post_at)) == NULL)
        return -1;
    for (size_t r = 0; r < d->probed; r++)
        d->post_at[r + 1] = d->post_at[r] + d->df[r];
    if ((d->post = alloc_array(d->post_at[d->probed], sizeof *d->post)) == NULL)
        return -1;
    /* post_at[r] is the next free place of term r: afterwards the start of
     * r + 1, so the starts move back by one. */
    for (size_t f = 0; f < d->facts; f++)
        for (size_t k = d->at[f]; k < d->at[f + 1] && d->items[k] < d->probed; k++)
            d->post[d->post_at[d->items[k]]++] = (uint32_t)f;
    memmove(d->post_at + 1, d->post_at, d->probed * sizeof *d->post_at);
    d->post_at[0] = 0;
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

static int by_score(const void *pa, const void *pb) {
    const df_duplicate *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

/* Keep the `keep` best pairs of a list; returns the score a pair now needs
 * to be among them (the worst kept), or `threshold` if that is higher. */
static double keep_best(pair_list *list, size_t keep, double threshold) {
    if (list->count > 1)
        qsort(list->pairs, list->count, sizeof *list->pairs, by_score);
    if (list->count < keep)
        return threshold;
    list->count = keep;
    return list->pairs[keep - 1].score > threshold ? list->pairs[keep - 1].score : threshold;
}

/* A pair for the result: with a limit, once twice `limit` are held only
 * the best `limit` stay, and the threshold rises to the worst of them. */
static int add_pair(dupes *d, df_duplicate pair) {
    if (pair.score < d->threshold)
        return 0;
    if (d->limit != SIZE_MAX && d->out.count == 2 * d->limit)
        d->threshold = keep_best(&d->out, d->limit, d->threshold);
    if (df_grow((void **)&d->out.pairs, &d->out.capacity, d->out.count + 1,
                sizeof *d->out.pairs) != 0)
        return -1;
    d->out.pairs[d->out.count++] = pair;
    return 0;
}

/* Copies, whatever their number: one pair each, with the original. */
static int report_copies(dupes *d) {
    for (size_t f = 0; f < d->facts; f++)
        if (d->original[f] != f &&
            add_pair(d, (df_duplicate){.a = (df_fact_id)d->original[f] + 1,
                                       .b = (df_fact_id)(f + 1), .score = 1.0,
                                       .containment = 1.0, .jaccard = 1.0,
                                       .kind = DF_DUPLICATE_IDENTICAL}) != 0)
            return -1;
    return 0;
}

/* The shared weight fact a needs with a partner to score `threshold`. */
static double needed(const dupes *d, size_t a, double threshold) {
    size_t own = d->fact_own[a];
    return threshold * d->fact_weight[a] * (own < MIN_SET ? MIN_SET / (double)own : 1.0);
}

/* Below this, shared weight cannot reach `need` (rounding aside). */
static double floor_of(double need) {
    return need * (1.0 - 1e-9);
}

/* Where term r is, or would be, in the sorted set x[0 .. n). */
static size_t lower_bound(const uint32_t *x, size_t n, uint32_t r) {
    size_t low = 0;
    while (n > 0) {
        size_t half = n / 2;
        if (x[low + half] < r) {
            low += half + 1;
            n -= half + 1;
        } else {
            n = half;
        }
    }
    return low;
}

/* The size and weight of what fact a and its candidate b have in common,
 * merging from the first term of a that b holds; SIZE_MAX as soon as a's
 * terms left to merge could not bring the weight to `need`. */
static size_t shared(const dupes *d, size_t a, const candidate *b, double need,
                     double *weight) {
    const uint32_t *x = d->items + d->at[a], *y = d->items + d->at[b->fact];
    size_t nx = d->at[a + 1] - d->at[a], ny = d->at[b->fact + 1] - d->at[b->fact], size = 0;
    size_t i = b->first, j = lower_bound(y, ny, x[b->first]);
    double w = 0.0, rest = b->rest, least = floor_of(need);
    while (i < nx && j < ny) {
        if (x[i] < y[j]) {
            rest -= d->a_weight[i++];
            if (w + rest < least)
                return SIZE_MAX;
        } else if (x[i] > y[j]) {
            j++;
        } else {
            size += d->a_size[i];
            w += d->a_weight[i];
            rest -= d->a_weight[i];
            i++;
            j++;
        }
    }
    *weight = w;
    return size;
}

/* Score a candidate pair (a the lighter fact) and set its kind; 0 when it
 * scores less than `threshold`. */
static int score_pair(const dupes *d, size_t a, const candidate *partner, double threshold,
                      df_duplicate *pair) {
    double shared_weight;
    size_t b = partner->fact;
    size_t common = shared(d, a, partner, needed(d, a, threshold), &shared_weight);
    if (common == SIZE_MAX)
        return 0;
    size_t size_a = d->fact_size[a], size_b = d->fact_size[b];
    size_t smaller = size_a < size_b ? size_a : size_b;
    *pair = (df_duplicate){
        .a = (df_fact_id)((a < b ? a : b) + 1),
        .b = (df_fact_id)((a < b ? b : a) + 1),
        .containment = (double)common / (double)smaller,
        .jaccard = (double)common / (double)(size_a + size_b - common),
        .kind = DF_DUPLICATE_SIMILAR,
    };
    pair->score = shared_weight / d->fact_weight[a];
    if (d->fact_own[a] < MIN_SET)
        pair->score *= (double)d->fact_own[a] / MIN_SET;
    pair->score = pair->score > 1.0 ? 1.0 : pair->score; /* rounding */
    if (pair->containment >= CONTAINED_SHARE &&
        (double)smaller <= CONTAINED_RATIO * (double)(size_a + size_b - smaller))
        pair->kind = DF_DUPLICATE_CONTAINED;
    return pair->score >= threshold;
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
    size_t terms = d->at[a + 1] - d->at[a], prefix = 0;
    double least = floor_of(needed(d, a, threshold)), rest = d->fact_weight[a];
    while (prefix < terms && (prefix == 0 || rest >= least))
        rest -= d->weight[set[prefix++]];
    return prefix;
}

/* The candidates of fact a: the heavier facts that hold one of its first
 * `prefix` terms, those in MAX_DF facts or fewer (numbered below
 * d->probed) only.  *rest is the weight of a's terms after those. */
static int gather(dupes *d, size_t a, size_t prefix, double *rest) {
    const uint32_t *set = d->items + d->at[a];
    double left = d->fact_weight[a];
    d->candidate_count = 0;
    for (size_t k = 0; k < d->at[a + 1] - d->at[a]; k++) {
        d->a_weight[k] = d->weight[set[k]];
        d->a_size[k] = d->size[set[k]];
    }
    for (size_t k = 0; k < prefix && set[k] < d->probed; left -= d->weight[set[k++]]) {
        for (size_t p = d->post_at[set[k]]; p < d->post_at[set[k] + 1]; p++) {
            size_t b = d->post[p];
            if (b == a || !lighter(d, a, b))
                continue;
            uint32_t c = d->candidate_of[b];
            if (c >= d->candidate_count || d->candidates[c].fact != b) {
                if (df_grow((void **)&d->candidates, &d->candidate_capacity,
                            d->candidate_count + 1, sizeof *d->candidates) != 0)
                    return -1;
                c = (uint32_t)d->candidate_count++;
                d->candidate_of[b] = c;
                d->candidates[c] = (candidate){(uint32_t)b, (uint32_t)k, left, 0.0};
            }
            d->candidates[c].shared += d->weight[set[k]];
        }
    }
    *rest = left;
    return 0;
}

/* The sets of candidates a few ahead are fetched from memory while this
 * one is scored: on a big corpus they are anywhere in it, and waiting for
 * each in turn took half the time. */
#define PREFETCH_AHEAD 4
#if defined(__GNUC__) || defined(__clang__)
#define prefetch(address) __builtin_prefetch(address)
#else
#define prefetch(address) ((void)(address))
#endif

/* A partner for fact a's list: appended while it has fewer than
 * MAX_PARTNERS, then (the list in order) put in its place, the worst
 * dropped.  Returns the score a partner now needs. */
static double add_partner(pair_list *found, const df_duplicate *pair, double threshold) {
    df_duplicate *list = found->pairs;
    if (found->count < MAX_PARTNERS) {
        list[found->count++] = *pair;
        if (found->count < MAX_PARTNERS)
            return threshold;
        qsort(list, MAX_PARTNERS, sizeof *list, by_score);
    } else if (by_score(pair, &list[MAX_PARTNERS - 1]) < 0) {
        size_t i = MAX_PARTNERS - 1;
        for (; i > 0 && by_score(pair, &list[i - 1]) < 0; i--)
            list[i] = list[i - 1];
        list[i] = *pair;
    }
    return list[MAX_PARTNERS - 1].score > threshold ? list[MAX_PARTNERS - 1].score : threshold;
}

/* The heavier partners of fact a scoring d->threshold or more, its
 * MAX_PARTNERS best, into d->partners.  A candidate is scored only if
 * what it shares of the probed terms and the weight of a's other terms
 * could reach the score needed. */
static int find_partners(dupes *d, size_t a) {
    double threshold = d->threshold, rest;
    pair_list *found = &d->partners;
    found->count = 0;
    if (gather(d, a, prefix_of(d, a, threshold), &rest) != 0)
        return -1;
    for (size_t c = 0; c < d->candidate_count; c++) {
        const candidate *b = &d->candidates[c];
        if (c + PREFETCH_AHEAD < d->candidate_count)
            prefetch(d->items + d->at[d->candidates[c + PREFETCH_AHEAD].fact]);
        df_duplicate pair;
        if (b->shared + rest >= floor_of(needed(d, a, threshold)) &&
            score_pair(d, a, b, threshold, &pair))
            threshold = add_partner(found, &pair, threshold);
    }
    return 0;
}

static int find_similar(dupes *d) {
    size_t most = 0;
    for (size_t f = 0; f < d->facts; f++)
        most = d->at[f + 1] - d->at[f] > most ? d->at[f + 1] - d->at[f] : most;
    d->a_weight = alloc_array(most, sizeof *d->a_weight);
    d->a_size = alloc_array(most, sizeof *d->a_size);
    if (d->a_weight == NULL || d->a_size == NULL)
        return -1;
    for (size_t a = 0; a < d->facts; a++) {
        if (d->at[a + 1] == d->at[a])
            continue;
        if (find_partners(d, a) != 0)
            return -1;
        for (size_t k = 0; k < d->partners.count; k++)
            if (add_pair(d, d->partners.pairs[k]) != 0)
                return -1;
    }
    return 0;
}

df_status df_duplicates_best(const df_corpus *c, double threshold, size_t limit,
                             df_duplicate **pairs_out, size_t *count_out, df_error *err) {
    if (c == NULL || pairs_out == NULL || count_out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    *pairs_out = NULL;
    *count_out = 0;
    if (!(threshold > 0.0 && threshold <= 1.0))
        return df_fail(err, DF_EARG, 0, 0, "threshold %g is not in (0, 1]", threshold);
    if (c->count >= UINT32_MAX)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: too many facts", c->name);
    if (limit == 0)
        return DF_OK;
    dupes d = {.corpus = c, .facts = c->count, .threshold = threshold,
               .limit = limit < SIZE_MAX / 4 ? limit : SIZE_MAX};
    int failed = alloc_per_fact(&d) != 0 || find_copies(&d) != 0 ||
                 collect_terms(&d) != 0 || rank_by_frequency(&d) != 0 || invert(&d) != 0 ||
                 weigh(&d) != 0 || report_copies(&d) != 0 || find_similar(&d) != 0;
    if (!failed && d.out.count > 0) {
        keep_best(&d.out, d.limit, threshold);
        *pairs_out = d.out.pairs;
        *count_out = d.out.count;
        d.out.pairs = NULL;
    }
    dupes_free(&d);
    if (failed)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory finding duplicates");
    return DF_OK;
}

df_status df_duplicates(const df_corpus *c, double threshold, df_duplicate **pairs,
                        size_t *count, df_error *err) {
    return df_duplicates_best(c, threshold, SIZE_MAX, pairs, count, err);
}
