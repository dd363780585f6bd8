/* A scan for any of a few required strings, to find the facts that may hold
 * a match of an alternation such as "Mulligan|Cranston|Brooks|Perlman".
 * PCRE2 looks for such a pattern one start position at a time (its start
 * bitmap), five times slower than ripgrep's SIMD multi-literal search.
 * Here 32 positions (with AVX2; 16 with SSE2) are tested at once: for one
 * string, its two rarest bytes (Muła's "generic SIMD" substring search, as
 * the memchr crate's "packed pair" picks the bytes); for more, under AVX2,
 * the first three bytes of all of them (Teddy), and under SSE2 each one's
 * rarest pair.  Only positions passing are compared in full.
 *
 * The strings are most often those of the required-literal query
 * (pattern_literals.c): ASCII-lowercased, so letters are compared
 * caselessly.  That finds a superset of the facts that match, which is all
 * a candidate scan needs: the exact regex then decides.  When the pattern
 * is no more than an alternation of strings, the set holds those strings
 * as they are (lowercased only for a caseless pattern), and a string found
 * is a match: df_litset_find says where it ends. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "search.h"
#if DF_HAVE_AVX2
#include <immintrin.h>
#endif

/* How many strings the node stands for when it is one (LIT) or an OR of
 * them, the query's node index of each into nodes[]; 0 when it is anything
 * else, or more than a set holds. */
static size_t literal_nodes(const df_litquery *q, size_t node, size_t nodes[DF_LITSET_MAX]) {
    const df_lq_node *n = &q->nodes[node];
    if (n->op == DF_LQ_LIT) {
        nodes[0] = node;
        return 1;
    }
    if (n->op != DF_LQ_OR || n->n > DF_LITSET_MAX)
        return 0;
    for (size_t k = 0; k < n->n; k++) {
        nodes[k] = q->kids[n->a + k];
        if (q->nodes[nodes[k]].op != DF_LQ_LIT)
            return 0;
    }
    return n->n;
}

/* Whether byte c of a string also stands for its other case. */
static int folds(const df_litset *set, unsigned char c) {
    return set->caseless && c >= 'a' && c <= 'z';
}

static int add_literal(df_litset *set, const unsigned char *bytes, size_t len) {
    if (len < 3 || len > sizeof set->lit[0].bytes)  /* Teddy reads three bytes */
        return 0;
    unsigned bit = 1u << set->count;
    df_literal *lit = &set->lit[set->count++];
    memcpy(lit->bytes, bytes, len);
    lit->len = len;
    for (size_t j = 0; j < 3; j++) {
        unsigned char c = lit->bytes[j];
        set->teddy[j][0][c & 15] |= (unsigned char)bit;
        set->teddy[j][1][c >> 4] |= (unsigned char)bit;
        if (folds(set, c))  /* the same low nibble */
            set->teddy[j][1][(c ^ 0x20) >> 4] |= (unsigned char)bit;
    }
    if (lit->len - 1 > set->reach)
        set->reach = lit->len - 1;
    return 1;
}

/* How often a byte is met in text, roughly, higher for more often: the
 * space most, then lower case letters by their frequency in English, then
 * capitals, digits and punctuation, and bytes beyond ASCII least.  A
 * caseless set's letters are lower case, and stand for both cases. */
static unsigned commonness(unsigned char c) {
    static const char by_frequency[] = " etaoinsrhldcumfpgwybvkxjqz";
    const char *at = c != 0 ? strchr(by_frequency, c) : NULL;
    if (at != NULL)
        return 100 - (unsigned)(at - by_frequency);
    if (c >= 'A' && c <= 'Z')
        return 50;
    return c < 0x80 ? 40 : 10;
}

/* A string is scanned for at its two rarest bytes (as the memchr crate's
 * "packed pair" does): fewer false alarms than its first and last when
 * those are common letters. */
static void choose_rare(const df_literal *lit, unsigned char rare[2]) {
    size_t first = 0;
    for (size_t i = 1; i < lit->len; i++)
        if (commonness(lit->bytes[i]) < commonness(lit->bytes[first]))
            first = i;
    size_t second = first == 0 ? 1 : 0;
    for (size_t i = 0; i < lit->len; i++)
        if (i != first && commonness(lit->bytes[i]) < commonness(lit->bytes[second]))
            second = i;
    rare[0] = (unsigned char)first;
    rare[1] = (unsigned char)second;
}

/* The set is complete: what the scans need besides the strings. */
static void finish(df_litset *set) {
#if DF_HAVE_AVX2
    set->avx2 = df_cpu_has_avx2();
#endif
    for (size_t k = 0; k < set->count; k++)
        choose_rare(&set->lit[k], set->rare[k]);
}

/* How many false alarms the scan for a set may raise, roughly: those of
 * its weakest string, by the commonness of its two rarest bytes.  Lower is
 * better. */
static unsigned weakness(const df_litset *set) {
    unsigned worst = 0;
    for (size_t k = 0; k < set->count; k++) {
        const df_literal *lit = &set->lit[k];
        unsigned w = commonness(lit->bytes[set->rare[k][0]]) +
                     commonness(lit->bytes[set->rare[k][1]]);
        if (w > worst)
            worst = w;
    }
    return worst;
}

/* The set of one node of the query, when it is one string or an OR of
 * them, each 3..64 bytes long; else count is 0. */
static void set_of_node(df_litset *set, const df_litquery *query, size_t node) {
    size_t nodes[DF_LITSET_MAX], n = literal_nodes(query, node, nodes);
    memset(set, 0, sizeof *set);
    set->caseless = 1;
    for (size_t k = 0; k < n; k++) {
        const df_lq_node *lit = &query->nodes[nodes[k]];
        if (!add_literal(set, query->bytes + lit->a, lit->n)) {
            memset(set, 0, sizeof *set);  /* Teddy's tables too */
            return;
        }
    }
    if (n > 0)
        finish(set);
}

void df_litset_init(df_litset *set, const df_litquery *query, int single) {
    memset(set, 0, sizeof *set);
    if (query == NULL)
        return;
    /* The root, or under an AND the child whose scan promises the fewest
     * false alarms: each alone is required of every match. */
    const df_lq_node *root = &query->nodes[query->root];
    size_t choices = root->op == DF_LQ_AND ? root->n : 1;
    for (size_t c = 0; c < choices; c++) {
        df_litset choice;
        set_of_node(&choice, query,
                    root->op == DF_LQ_AND ? query->kids[root->a + c] : query->root);
        if (choice.count > (single ? 0u : 1u) &&
            (set->count == 0 || weakness(&choice) < weakness(set)))
            *set = choice;
    }
}

void df_litset_init_exact(df_litset *set, const df_literal *lit, size_t count, int caseless) {
    memset(set, 0, sizeof *set);
    set->caseless = caseless;
    for (size_t k = 0; k < count && k < DF_LITSET_MAX; k++)
        if (!add_literal(set, lit[k].bytes, lit[k].len)) {
            memset(set, 0, sizeof *set);
            return;
        }
    set->decides = 1;
    finish(set);
}

/* The first byte alone rules out most strings of a set without a call. */
static int equal_at(const df_litset *set, const unsigned char *text, const df_literal *lit) {
    if (!set->caseless)
        return text[0] == lit->bytes[0] && memcmp(text + 1, lit->bytes + 1, lit->len - 1) == 0;
    for (size_t i = 0; i < lit->len; i++)
        if (df_ascii_lower(text[i]) != lit->bytes[i])
            return 0;
    return 1;
}

/* The first string (in the set's order) that starts at text[at], which has
 * `avail` bytes; NULL when none does. */
static const df_literal *string_at(const df_litset *set, const unsigned char *text,
                                   size_t avail) {
    for (size_t k = 0; k < set->count; k++)
        if (set->lit[k].len <= avail && equal_at(set, text, &set->lit[k]))
            return &set->lit[k];
    return NULL;
}

/* The first position i + b, for the bits b set in `bits`, where one of the
 * strings starts, *lit that string; SIZE_MAX when none does (a wide test's
 * false alarms). */
static size_t first_hit(const df_litset *set, const unsigned char *s, size_t len, size_t i,
                        unsigned bits, const df_literal **lit) {
    while (bits != 0) {
        unsigned bit = (unsigned)__builtin_ctz(bits);
        if ((*lit = string_at(set, s + i + bit, len - i - bit)) != NULL)
            return i + bit;
        bits &= bits - 1;
    }
    return SIZE_MAX;
}

/* The wide scans share one shape: a block function tests `width` positions
 * at a time from s[i] and stops at the first block where some of them may
 * start a string (*bits, one bit each), or where its loads would pass the
 * end (*bits 0: a shorter step goes on from there).  It makes no call, so
 * that its vectors stay in registers (a call in the loop spilled them to
 * the stack, which cost the one-string scan two thirds of its speed); the
 * positions it reports are then compared in full here. */
typedef size_t block_fn(const df_litset *set, const unsigned char *s, size_t len, size_t i,
                        unsigned *bits);

/* The first hit from s[i], *lit its string; else where the block function
 * stopped short of the end, *lit NULL. */
static size_t find_blocks(const df_litset *set, const unsigned char *s, size_t len, size_t i,
                          block_fn *next_block, size_t width, const df_literal **lit) {
    for (;;) {
        unsigned bits;
        i = next_block(set, s, len, i, &bits);
        *lit = NULL;
        if (bits == 0)
            return i;
        size_t hit = first_hit(set, s, len, i, bits, lit);
        if (hit != SIZE_MAX)
            return hit;
        i += width;
    }
}

/* The last i from which a block of `width` positions can be tested whole:
 * the loads reach set->reach bytes past its last position.  0 with
 * *none set when there is none. */
static size_t last_block(const df_litset *set, size_t len, size_t width, int *none) {
    *none = len < set->reach + width;
    return *none ? 0 : len - set->reach - width;
}

/* A letter of a caseless set is compared with its 0x20 bit set, which
 * maps 'A'..'Z' and only them onto 'a'..'z'. */
static unsigned char fold_bit(const df_litset *set, unsigned char c) {
    return folds(set, c) ? 0x20 : 0;
}

#if defined(__SSE2__)
/* Pairs test: for each string, whether its two rarest bytes are in place. */
static inline __m128i pair_at(const unsigned char *p, const df_literal *lit,
                              const unsigned char rare[2], __m128i fold0, __m128i fold1) {
    __m128i x0 = _mm_loadu_si128((const __m128i *)(const void *)(p + rare[0]));
    __m128i x1 = _mm_loadu_si128((const __m128i *)(const void *)(p + rare[1]));
    __m128i a = _mm_cmpeq_epi8(_mm_or_si128(x0, fold0), _mm_set1_epi8((char)lit->bytes[rare[0]]));
    __m128i b = _mm_cmpeq_epi8(_mm_or_si128(x1, fold1), _mm_set1_epi8((char)lit->bytes[rare[1]]));
    return _mm_and_si128(a, b);
}

static size_t pairs_block_sse2(const df_litset *set, const unsigned char *s, size_t len,
                               size_t i, unsigned *bits) {
    __m128i fold[DF_LITSET_MAX][2];
    for (size_t k = 0; k < set->count; k++)
        for (int j = 0; j < 2; j++)
            fold[k][j] = _mm_set1_epi8((char)fold_bit(set, set->lit[k].bytes[set->rare[k][j]]));
    int none;
    unsigned found = 0;
    for (size_t last = last_block(set, len, 16, &none); !none && i <= last; i += 16) {
        __m128i maybe = _mm_setzero_si128();
        for (size_t k = 0; k < set->count; k++)
            maybe = _mm_or_si128(maybe, pair_at(s + i, &set->lit[k], set->rare[k], fold[k][0],
                                                fold[k][1]));
        if ((found = (unsigned)_mm_movemask_epi8(maybe)) != 0)
            break;
    }
    *bits = found;
    return i;
}
#endif

#if DF_HAVE_AVX2
/* Teddy (Geoff Langdale's, as in Hyperscan and ripgrep): the first three
 * bytes of each string as a fingerprint.  For each of those positions two
 * 16-entry tables, indexed by a byte's low and high nibble, give the set of
 * strings (one bit each) that allow such a byte there; a byte of the text
 * is looked up in both with one shuffle each, and the strings that survive
 * all three positions are candidates.  The cost does not grow with the
 * number of strings. */

/* The strings (one bit each) that allow the bytes p[0..32) at one place
 * of the fingerprint, by its two tables. */
__attribute__((target("avx2"))) static inline __m256i teddy_allows(const unsigned char *p,
                                                                   __m256i lo, __m256i hi) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i l = _mm256_shuffle_epi8(lo, _mm256_and_si256(v, nibble));
    __m256i h = _mm256_shuffle_epi8(hi, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
    return _mm256_and_si256(l, h);
}

__attribute__((target("avx2"))) static inline __m256i teddy_table(const df_litset *set, int j,
                                                                  int high) {
    return _mm256_broadcastsi128_si256(
        _mm_loadu_si128((const __m128i *)(const void *)set->teddy[j][high]));
}

/* The three places written out, so that the six tables stay in registers
 * (a loop over them read them from the stack at every block). */
__attribute__((target("avx2"))) static size_t teddy_block_avx2(const df_litset *set,
                                                               const unsigned char *s,
                                                               size_t len, size_t i,
                                                               unsigned *bits) {
    const __m256i lo0 = teddy_table(set, 0, 0), hi0 = teddy_table(set, 0, 1),
                  lo1 = teddy_table(set, 1, 0), hi1 = teddy_table(set, 1, 1),
                  lo2 = teddy_table(set, 2, 0), hi2 = teddy_table(set, 2, 1);
    unsigned found = 0;
    for (; len >= 34 && i <= len - 34; i += 32) {
        __m256i m = _mm256_and_si256(
            _mm256_and_si256(teddy_allows(s + i, lo0, hi0), teddy_allows(s + i + 1, lo1, hi1)),
            teddy_allows(s + i + 2, lo2, hi2));
        found = ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256()));
        if (found != 0)
            break;
    }
    *bits = found;
    return i;
}

__attribute__((target("avx2"))) static inline __m256i
pair_at_avx2(const unsigned char *p, const df_literal *lit, const unsigned char rare[2],
             __m256i fold0, __m256i fold1) {
    __m256i x0 = _mm256_loadu_si256((const __m256i *)(const void *)(p + rare[0]));
    __m256i x1 = _mm256_loadu_si256((const __m256i *)(const void *)(p + rare[1]));
    __m256i a = _mm256_cmpeq_epi8(_mm256_or_si256(x0, fold0),
                                  _mm256_set1_epi8((char)lit->bytes[rare[0]]));
    __m256i b = _mm256_cmpeq_epi8(_mm256_or_si256(x1, fold1),
                                  _mm256_set1_epi8((char)lit->bytes[rare[1]]));
    return _mm256_and_si256(a, b);
}

/* One string, the most common case: the pairs test on 32 positions at a
 * time, its vectors made once.  Faster than PCRE2's own scan for a first
 * code unit, and unlike it usable for a regex that is not context-free. */
__attribute__((target("avx2"))) static size_t pair_block_avx2(const df_litset *set,
                                                              const unsigned char *s,
                                                              size_t len, size_t i,
                                                              unsigned *bits) {
    const df_literal *lit = &set->lit[0];
    const unsigned char *rare = set->rare[0];
    const __m256i fold0 = _mm256_set1_epi8((char)fold_bit(set, lit->bytes[rare[0]])),
                  fold1 = _mm256_set1_epi8((char)fold_bit(set, lit->bytes[rare[1]]));
    int none;
    unsigned found = 0;
    for (size_t last = last_block(set, len, 32, &none); !none && i <= last; i += 32) {
        __m256i maybe = pair_at_avx2(s + i, lit, rare, fold0, fold1);
        if ((found = (unsigned)_mm256_movemask_epi8(maybe)) != 0)
            break;
    }
    *bits = found;
    return i;
}
#endif

/* The first hit from text[from], *lit its string; len and NULL when none. */
static size_t find(const df_litset *set, const char *text, size_t len, size_t from,
                   const df_literal **lit) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = from;
    *lit = NULL;
#if DF_HAVE_AVX2
    /* With its tables in registers, Teddy beats the pairs test from two
     * strings on (100 MiB from the cache: 11 against 18 ms for two, 15
     * against 25 for three). */
    if (set->avx2)
        i = find_blocks(set, s, len, i, set->count == 1 ? pair_block_avx2 : teddy_block_avx2, 32,
                        lit);
#endif
#if defined(__SSE2__)
    if (*lit == NULL)
        i = find_blocks(set, s, len, i, pairs_block_sse2, 16, lit);
#endif
    if (*lit != NULL)
        return i;
    /* The tail the wide loops leave. */
    for (; i < len; i++)
        if ((*lit = string_at(set, s + i, len - i)) != NULL)
            return i;
    return len;
}

size_t df_litset_find(const df_litset *set, const char *text, size_t len, size_t from,
                      size_t *match_end) {
    const df_literal *lit;
    size_t at = find(set, text, len, from, &lit);
    if (match_end != NULL)
        *match_end = lit != NULL && set->decides ? at + lit->len : SIZE_MAX;
    return at;
}
