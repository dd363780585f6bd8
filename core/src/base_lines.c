/* Counting the lines that hold text: a streamed search in the lines format
 * numbers its hits by counting every line of the file between them, so
 * this must run at the speed of the scan.  memchr per line and a look at
 * each line's first bytes cost 8.5 ms per 100 MiB, twice the UTF-8 check;
 * 64 bytes at a time, as below, about half that.
 *
 * A block of 64 bytes gives two masks, its newlines and its spaces (the
 * bytes trimming drops, newline included).  A line's first non-space
 * byte starts a fact.  One addition finds those bytes: in text + ~newline
 * a carry starts at each non-space byte (1 + 1), runs through the spaces
 * after it (0 + 1) and dies at a newline (0 + 0), so the carry into a byte
 * says "this line has text before here"; the sum's bits XOR the operands'
 * give the carry into each bit, and the carry out of the block goes on
 * into the next. */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include "base.h"
#if DF_HAVE_AVX2
#include <immintrin.h>
#endif

typedef struct line_count {
    size_t facts, newlines;
    uint64_t open;  /* 1 when the line running on into the next block has text */
} line_count;

static inline size_t popcount64(uint64_t x) {
    return (size_t)__builtin_popcountll(x);
}

/* Account for one block, given its masks (bit i is byte i). */
static inline void count_block(line_count *c, uint64_t newline, uint64_t space) {
    uint64_t text = ~space, through = ~newline;
    uint64_t partial = text + through, sum = partial + c->open;
    uint64_t carry_out = (uint64_t)(partial < text) | (uint64_t)(sum < partial);
    uint64_t carried = sum ^ text ^ through;  /* the carry into each bit */
    c->facts += popcount64(text & ~carried);
    c->newlines += popcount64(newline);
    c->open = carry_out;
}

typedef void masks_fn(const unsigned char *p, uint64_t *newline, uint64_t *space);

/* The masks of one block, a byte at a time: the form where there are no
 * vectors. */
static void masks_portable(const unsigned char *p, uint64_t *newline, uint64_t *space) {
    uint64_t n = 0, s = 0;
    for (unsigned i = 0; i < 64; i++) {
        n |= (uint64_t)(p[i] == '\n') << i;
        s |= (uint64_t)df_is_space(p[i]) << i;
    }
    *newline = n;
    *space = s;
}

/* The loop, written once: each vector width inlines its masks into it.
 * The bytes after the last whole block are copied into one padded with
 * spaces, which start no fact and end no line: a search counts from hit
 * to hit, so there is such a tail at every hit. */
static inline void count_blocks(line_count *total, const char *s, size_t len, masks_fn *masks) {
    line_count c = *total;  /* in registers: the loop stores nothing */
    uint64_t newline, space;
    size_t i = 0;
    for (; len - i >= 64; i += 64) {
        masks((const unsigned char *)s + i, &newline, &space);
        count_block(&c, newline, space);
    }
    if (i < len) {
        unsigned char tail[64];
        memset(tail, ' ', sizeof tail);
        memcpy(tail, s + i, len - i);
        masks(tail, &newline, &space);
        count_block(&c, newline, space);
    }
    *total = c;
}

#if defined(__SSE2__)
/* The masks of 16 bytes.  '\t' '\n' '\v' '\f' '\r' are 9..13: one unsigned
 * range test, x - 9 <= 4. */
static inline void masks16(const unsigned char *p, unsigned *newline, unsigned *space) {
    __m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
    __m128i r = _mm_sub_epi8(x, _mm_set1_epi8('\t'));
    __m128i controls = _mm_cmpeq_epi8(_mm_min_epu8(r, _mm_set1_epi8(4)), r);
    __m128i spaces = _mm_or_si128(controls, _mm_cmpeq_epi8(x, _mm_set1_epi8(' ')));
    *newline = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')));
    *space = (unsigned)_mm_movemask_epi8(spaces);
}

static inline void masks_sse2(const unsigned char *p, uint64_t *newline, uint64_t *space) {
    unsigned n0, n1, n2, n3, s0, s1, s2, s3;
    masks16(p, &n0, &s0);
    masks16(p + 16, &n1, &s1);
    masks16(p + 32, &n2, &s2);
    masks16(p + 48, &n3, &s3);
    *newline = n0 | (uint64_t)n1 << 16 | (uint64_t)n2 << 32 | (uint64_t)n3 << 48;
    *space = s0 | (uint64_t)s1 << 16 | (uint64_t)s2 << 32 | (uint64_t)s3 << 48;
}

static void count_sse2(line_count *c, const char *s, size_t len) {
    count_blocks(c, s, len, masks_sse2);
}
#endif

#if DF_HAVE_AVX2
/* Twice the width, the popcnt instruction, and one shuffle for the spaces
 * (simdjson's test): a byte is a space when the table entry at its low
 * nibble is the byte itself.  No two spaces share a low nibble, entries
 * without one hold 0xFF, and a byte with its high bit set looks up 0. */
__attribute__((target("avx2,popcnt"))) static inline void
masks32(const unsigned char *p, uint32_t *newline, uint32_t *space) {
    const __m256i table =
        _mm256_setr_epi8(' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', '\v', '\f', '\r', -1, -1,
                         ' ', -1, -1, -1, -1, -1, -1, -1, -1, '\t', '\n', '\v', '\f', '\r', -1, -1);
    __m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
    __m256i spaces = _mm256_cmpeq_epi8(_mm256_shuffle_epi8(table, x), x);
    *newline = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(x, _mm256_set1_epi8('\n')));
    *space = (uint32_t)_mm256_movemask_epi8(spaces);
}

__attribute__((target("avx2,popcnt"))) static inline void
masks_avx2(const unsigned char *p, uint64_t *newline, uint64_t *space) {
    uint32_t n0, n1, s0, s1;
    masks32(p, &n0, &s0);
    masks32(p + 32, &n1, &s1);
    *newline = n0 | (uint64_t)n1 << 32;
    *space = s0 | (uint64_t)s1 << 32;
}

__attribute__((target("avx2,popcnt"))) static void count_avx2(line_count *c, const char *s,
                                                             size_t len) {
    count_blocks(c, s, len, masks_avx2);
}
#endif

size_t df_count_text_lines_width(const char *s, size_t len, int width, size_t *newlines) {
    line_count c = {0, 0, 0};
#if DF_HAVE_AVX2
    if (width >= 2 && df_cpu_has_avx2())
        count_avx2(&c, s, len);
    else
#endif
#if defined(__SSE2__)
    if (width >= 1)
        count_sse2(&c, s, len);
    else
#endif
        count_blocks(&c, s, len, masks_portable);
    *newlines = c.newlines;
    return c.facts;
}

size_t df_count_text_lines(const char *s, size_t len, size_t *newlines) {
    return df_count_text_lines_width(s, len, 2, newlines);
}
