/* A scan for any of a few required strings, to find the facts that may hold
 * a match of an alternation such as "Mulligan|Cranston|Brooks|Perlman".
 * PCRE2 looks for such a pattern one start position at a time (its start
 * bitmap), five times slower than ripgrep's SIMD multi-literal search.
 * Here 16 bytes (32 with AVX2) are tested at once, against each string's
 * first and last byte (Muła's "generic SIMD" substring search) or, from four
 * strings on, against the first three bytes of all of them (Teddy); only
 * positions passing are compared in full.
 *
 * The strings are most often those of the required-literal query
 * (pattern_literals.c): ASCII-lowercased, so letters are compared
 * caselessly.  That finds a superset of the facts that match, which is all
 * a candidate scan needs: the exact regex then decides.  When the pattern
 * is no more than an alternation of strings, the set holds those strings
 * as they are (lowercased only for a caseless pattern), and a string found
 * is a match: df_litset_match_end says where it ends. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "search.h"
#if DF_HAVE_AVX2
#include <immintrin.h>
#endif

/* How many strings the OR of LIT nodes at `node` has, its first kid in
 * *first_kid; 0 when it is anything else (a lone LIT among them: PCRE2's
 * own search for a first code unit is as fast for one string). */
static size_t or_of_literals(const df_litquery *q, size_t node, size_t *first_kid) {
    const df_lq_node *n = &q->nodes[node];
    if (n->op != DF_LQ_OR)
        return 0;
    for (size_t k = 0; k < n->n; k++)
        if (q->nodes[q->kids[n->a + k]].op != DF_LQ_LIT)
            return 0;
    *first_kid = n->a;
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

static void detect_cpu(df_litset *set) {
#if DF_HAVE_AVX2
    set->avx2 = df_cpu_has_avx2();
#else
    (void)set;
#endif
}

void df_litset_init(df_litset *set, const df_litquery *query) {
    memset(set, 0, sizeof *set);
    if (query == NULL)
        return;
    /* The root, or under an AND the first child that is such a set: each
     * alone is required of every match. */
    const df_lq_node *root = &query->nodes[query->root];
    size_t choices = root->op == DF_LQ_AND ? root->n : 1;
    for (size_t c = 0; c < choices; c++) {
        size_t node = root->op == DF_LQ_AND ? query->kids[root->a + c] : query->root;
        size_t first_kid = 0, n = or_of_literals(query, node, &first_kid);
        if (n < 2 || n > DF_LITSET_MAX)
            continue;
        size_t k = 0;
        set->caseless = 1;
        while (k < n) {
            const df_lq_node *lit = &query->nodes[query->kids[first_kid + k]];
            if (!add_literal(set, query->bytes + lit->a, lit->n))
                break;
            k++;
        }
        if (k == n) {
            detect_cpu(set);
            return;
        }
        memset(set, 0, sizeof *set);  /* a string too long: Teddy's tables too */
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
    detect_cpu(set);
}

static int equal_at(const df_litset *set, const unsigned char *text, const df_literal *lit) {
    if (!set->caseless)
        return memcmp(text, lit->bytes, lit->len) == 0;
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

static int any_at(const df_litset *set, const unsigned char *text, size_t avail) {
    return string_at(set, text, avail) != NULL;
}

size_t df_litset_match_end(const df_litset *set, const char *text, size_t len, size_t at) {
    const df_literal *lit;
    if (!set->decides || at >= len ||
        (lit = string_at(set, (const unsigned char *)text + at, len - at)) == NULL)
        return SIZE_MAX;
    return at + lit->len;
}

/* The first position i + b, for the bits b set in `bits`, where one of the
 * strings starts; SIZE_MAX when none does (a wide test's false alarms). */
static size_t first_hit(const df_litset *set, const unsigned char *s, size_t len, size_t i,
                        unsigned bits) {
    while (bits != 0) {
        unsigned bit = (unsigned)__builtin_ctz(bits);
        if (any_at(set, s + i + bit, len - i - bit))
            return i + bit;
        bits &= bits - 1;
    }
    return SIZE_MAX;
}

#if defined(__SSE2__)
/* The vectors the block test compares against, made once per scan. */
typedef struct wide {
    __m128i first[DF_LITSET_MAX], last[DF_LITSET_MAX];     /* bytes, broadcast */
    __m128i first_or[DF_LITSET_MAX], last_or[DF_LITSET_MAX]; /* 0x20 for a letter */
    size_t last_at[DF_LITSET_MAX];
} wide;

static __m128i broadcast_byte(unsigned char c) {
    return _mm_set1_epi8((char)c);
}

static void widen(const df_litset *set, wide *w) {
    for (size_t k = 0; k < set->count; k++) {
        const df_literal *lit = &set->lit[k];
        unsigned char c0 = lit->bytes[0], c1 = lit->bytes[lit->len - 1];
        w->first[k] = broadcast_byte(c0);
        w->last[k] = broadcast_byte(c1);
        w->first_or[k] = broadcast_byte(folds(set, c0) ? 0x20 : 0);
        w->last_or[k] = broadcast_byte(folds(set, c1) ? 0x20 : 0);
        w->last_at[k] = lit->len - 1;
    }
}

/* Positions p[0..16) where some string's first and last bytes are in
 * place: one bit each.  A letter of a caseless set is compared with its
 * 0x20 bit set, which maps 'A'..'Z' and only them onto 'a'..'z'. */
static unsigned maybe_at(const wide *w, size_t count, const unsigned char *p) {
    __m128i block = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i hit = _mm_setzero_si128();
    for (size_t k = 0; k < count; k++) {
        __m128i tail = _mm_loadu_si128((const __m128i *)(const void *)(p + w->last_at[k]));
        __m128i a = _mm_cmpeq_epi8(_mm_or_si128(block, w->first_or[k]), w->first[k]);
        __m128i b = _mm_cmpeq_epi8(_mm_or_si128(tail, w->last_or[k]), w->last[k]);
        hit = _mm_or_si128(hit, _mm_and_si128(a, b));
    }
    return (unsigned)_mm_movemask_epi8(hit);
}

/* A hit, or where a loop over shorter steps must go on. */
static size_t find_sse2(const df_litset *set, const unsigned char *s, size_t len, size_t i) {
    wide w;
    widen(set, &w);
    /* Whole blocks while the last-byte loads stay inside s[0..len). */
    while (len >= set->reach + 16 && i <= len - set->reach - 16) {
        unsigned bits = maybe_at(&w, set->count, s + i);
        size_t hit = first_hit(set, s, len, i, bits);
        if (hit != SIZE_MAX)
            return hit;
        i += 16;
    }
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
__attribute__((target("avx2"))) static size_t find_teddy_avx2(const df_litset *set,
                                                              const unsigned char *s,
                                                              size_t len, size_t i) {
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    __m256i lo[3], hi[3];
    for (int j = 0; j < 3; j++) {
        lo[j] = _mm256_broadcastsi128_si256(
            _mm_loadu_si128((const __m128i *)(const void *)set->teddy[j][0]));
        hi[j] = _mm256_broadcastsi128_si256(
            _mm_loadu_si128((const __m128i *)(const void *)set->teddy[j][1]));
    }
    while (len >= 34 && i <= len - 34) {
        __m256i m = _mm256_set1_epi8(-1);
        for (int j = 0; j < 3; j++) {
            __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + j));
            __m256i l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(v, nibble));
            __m256i h = _mm256_shuffle_epi8(hi[j],
                                            _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
            m = _mm256_and_si256(m, _mm256_and_si256(l, h));
        }
        unsigned bits =
            ~(unsigned)_mm256_movemask_epi8(_mm256_cmpeq_epi8(m, _mm256_setzero_si256()));
        size_t hit = first_hit(set, s, len, i, bits);
        if (hit != SIZE_MAX)
            return hit;
        i += 32;
    }
    return i;
}

/* The same test on 32 bytes at a time, for CPUs that have AVX2 (checked at
 * run time): the scan is bound by instructions, not memory, so twice the
 * width is nearly twice the speed. */
__attribute__((target("avx2"))) static size_t find_avx2(const df_litset *set,
                                                        const unsigned char *s, size_t len,
                                                        size_t i) {
    __m256i first[DF_LITSET_MAX], last[DF_LITSET_MAX], first_or[DF_LITSET_MAX],
        last_or[DF_LITSET_MAX];
    for (size_t k = 0; k < set->count; k++) {
        const df_literal *lit = &set->lit[k];
        unsigned char c0 = lit->bytes[0], c1 = lit->bytes[lit->len - 1];
        first[k] = _mm256_set1_epi8((char)c0);
        last[k] = _mm256_set1_epi8((char)c1);
        first_or[k] = _mm256_set1_epi8(folds(set, c0) ? 0x20 : 0);
        last_or[k] = _mm256_set1_epi8(folds(set, c1) ? 0x20 : 0);
    }
    while (len >= set->reach + 32 && i <= len - set->reach - 32) {
        __m256i block = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
        __m256i maybe = _mm256_setzero_si256();
        for (size_t k = 0; k < set->count; k++) {
            const void *at = s + i + set->lit[k].len - 1;
            __m256i tail = _mm256_loadu_si256((const __m256i *)at);
            __m256i a = _mm256_cmpeq_epi8(_mm256_or_si256(block, first_or[k]), first[k]);
            __m256i b = _mm256_cmpeq_epi8(_mm256_or_si256(tail, last_or[k]), last[k]);
            maybe = _mm256_or_si256(maybe, _mm256_and_si256(a, b));
        }
        unsigned bits = (unsigned)_mm256_movemask_epi8(maybe);
        size_t hit = first_hit(set, s, len, i, bits);
        if (hit != SIZE_MAX)
            return hit;
        i += 32;
    }
    return i;  /* where the narrower loops take over */
}
#endif

size_t df_litset_find(const df_litset *set, const char *text, size_t len, size_t from) {
    const unsigned char *s = (const unsigned char *)text;
    size_t i = from;
    int wide_done = 0;  /* the widest loop has run: only a short tail is left */
#if DF_HAVE_AVX2
    if (set->avx2) {
        /* Teddy costs what the pair test costs for three strings (100 MiB:
         * 32 against 30 ms), less from four on (a 4-string count: -15%). */
        i = set->count >= 4 ? find_teddy_avx2(set, s, len, i) : find_avx2(set, s, len, i);
        wide_done = 1;
    }
#endif
#if defined(__SSE2__)
    if (!wide_done)
        i = find_sse2(set, s, len, i);
#endif
    (void)wide_done;
    /* A hit the wide loops found, or the tail they leave. */
    for (; i < len; i++)
        if (any_at(set, s + i, len - i))
            return i;
    return len;
}
