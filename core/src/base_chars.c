/* Small character helpers: counting lines, and for the index decoding one
 * UTF-8 character and telling word characters from punctuation without
 * Unicode tables. */
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base.h"

size_t df_count_newlines(const char *s, size_t len) {
    size_t n = 0, i = 0;
#if defined(__SSE2__)
    /* Each compare adds 1 (as -1) to a byte counter; 255 blocks at most
     * before the counters are summed, so none can wrap. */
    const __m128i newline = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
    while (len - i >= 16) {
        size_t blocks = (len - i) / 16 < 255 ? (len - i) / 16 : 255;
        __m128i counts = zero;
        for (size_t b = 0; b < blocks; b++, i += 16) {
            __m128i block = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
            counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(block, newline));
        }
        __m128i sums = _mm_sad_epu8(counts, zero);  /* two 64-bit halves */
        n += (size_t)_mm_cvtsi128_si32(sums) + (size_t)_mm_cvtsi128_si32(_mm_srli_si128(sums, 8));
    }
#endif
    for (; i < len; i++)
        n += s[i] == '\n';
    return n;
}

size_t df_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp) {
    const unsigned char *u = (const unsigned char *)s;
    uint32_t c = u[i];
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (n > len - i)
        n = len - i;
    if (n > 1) {
        c &= n == 2 ? 0x1Fu : n == 3 ? 0x0Fu : 0x07u;
        for (size_t k = 1; k < n; k++)
            c = c << 6 | (u[i + k] & 0x3Fu);
    }
    *cp = c;
    return i + n;
}

uint32_t df_utf8_before(const char *s, size_t i) {
    size_t start = i - 1;
    while (start > 0 && i - start < 4 && ((unsigned char)s[start] & 0xC0) == 0x80)
        start--;
    uint32_t cp;
    df_utf8_next(s, i, start, &cp);
    return cp;
}

int df_is_word_cp(uint32_t c) {
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '_';
    if (c < 0xC0) /* Latin-1 punctuation and symbols, but for ª ² ³ µ ¹ º */
        return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA;
    if (c == 0xD7 || c == 0xF7) /* × ÷ */
        return 0;
    if (c >= 0x2000 && c <= 0x2BFF) /* punctuation, spaces, symbols, arrows, math */
        return 0;
    if ((c >= 0x3000 && c <= 0x303F) || (c >= 0xFE30 && c <= 0xFE4F) ||
        (c >= 0xFF00 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) ||
        (c >= 0xFF3B && c <= 0xFF40) || (c >= 0xFF5B && c <= 0xFF65) ||
        (c >= 0x1F000 && c <= 0x1FAFF) || c == 0xFEFF)
        return 0;
    return 1;
}
