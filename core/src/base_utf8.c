/* UTF-8 validation by PCRE2's rules (RFC 3629): the corpus is checked once at
 * load so that every later match can pass PCRE2_NO_UTF_CHECK. */
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "base.h"
#if DF_HAVE_AVX2
#include <immintrin.h>
#endif

static int is_continuation(unsigned char c) {
    return (c & 0xC0) == 0x80;
}

/* Length of the valid sequence at s[0..avail), or 0 with *reason set. */
static size_t sequence_length(const unsigned char *s, size_t avail,
                              const char **reason) {
    unsigned char c = s[0];
    size_t need;
    if (c < 0x80)
        return 1;
    if (c < 0xC0) {
        *reason = "unexpected continuation byte";
        return 0;
    }
    if (c < 0xC2) {
        *reason = "overlong encoding";
        return 0;
    }
    if (c < 0xE0)
        need = 2;
    else if (c < 0xF0)
        need = 3;
    else if (c < 0xF5)
        need = 4;
    else {
        *reason = c < 0xF8 ? "code point above U+10FFFF" : "invalid lead byte";
        return 0;
    }
    if (avail < need) {
        *reason = "truncated sequence";
        return 0;
    }
    for (size_t i = 1; i < need; i++) {
        if (!is_continuation(s[i])) {
            *reason = "truncated sequence";
            return 0;
        }
    }
    if ((c == 0xE0 && s[1] < 0xA0) || (c == 0xF0 && s[1] < 0x90)) {
        *reason = "overlong encoding";
        return 0;
    }
    if (c == 0xED && s[1] >= 0xA0) {
        *reason = "surrogate code point";
        return 0;
    }
    if (c == 0xF4 && s[1] >= 0x90) {
        *reason = "code point above U+10FFFF";
        return 0;
    }
    return need;
}

/* Whether s[0..64) is all ASCII.  SSE2 (every x86-64) reaches memory
 * bandwidth; the portable form is about 20% slower. */
static int is_ascii_block(const unsigned char *s) {
#if defined(__SSE2__)
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)s);
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(s + 48));
    return _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))) == 0;
#else
    uint64_t any = 0;
    for (size_t k = 0; k < 64; k += 8) {
        uint64_t word;
        memcpy(&word, s + k, sizeof word);
        any |= word;
    }
    return (any & UINT64_C(0x8080808080808080)) == 0;
#endif
}

#if DF_HAVE_AVX2
/* Past the ASCII bytes from s[i], 128 at a time: with half the loads and
 * tests of the SSE2 step, twice its speed (the check is bound by
 * instructions, not memory: the next pass over the same piece, from the
 * cache, costs as much). */
__attribute__((target("avx2"))) static size_t skip_ascii_avx2(const unsigned char *s, size_t i,
                                                              size_t len) {
    while (len - i >= 128) {
        const __m256i *p = (const __m256i *)(const void *)(s + i);
        __m256i any = _mm256_or_si256(
            _mm256_or_si256(_mm256_loadu_si256(p), _mm256_loadu_si256(p + 1)),
            _mm256_or_si256(_mm256_loadu_si256(p + 2), _mm256_loadu_si256(p + 3)));
        if (_mm256_movemask_epi8(any) != 0)
            break;
        i += 128;
    }
    return i;
}
#endif

size_t df_utf8_find_invalid(const char *str, size_t len, const char **reason) {
    const unsigned char *s = (const unsigned char *)str;
    const char *why = NULL;
    size_t i = 0;
#if DF_HAVE_AVX2
    int avx2 = df_cpu_has_avx2();
#endif
    while (i < len) {
#if DF_HAVE_AVX2
        if (avx2 && len - i >= 128) {
            size_t past = skip_ascii_avx2(s, i, len);
            if (past != i) {
                i = past;
                continue;
            }
        }
#endif
        /* Fact files are mostly ASCII: skip such bytes 64, then 8 at a time.
         * The wide step takes validation from about 5.5 to 10 GB/s, the
         * speed of memchr. */
        if (len - i >= 64 && is_ascii_block(s + i)) {
            i += 64;
            continue;
        }
        if (len - i >= 8) {
            uint64_t word;
            memcpy(&word, s + i, sizeof word);
            if ((word & UINT64_C(0x8080808080808080)) == 0) {
                i += 8;
                continue;
            }
        }
        size_t n = sequence_length(s + i, len - i, &why);
        if (n == 0) {
            if (reason != NULL)
                *reason = why;
            return i;
        }
        i += n;
    }
    return len;
}

df_status df_utf8_check(const char *s, size_t len, df_error *err) {
    const char *reason;
    if (s == NULL && len > 0)
        return df_fail(err, DF_EARG, 0, 0, "NULL string");
    size_t bad = df_utf8_find_invalid(s, len, &reason);
    if (bad == len)
        return DF_OK;
    size_t line = df_line_of(s, bad);
    return df_fail(err, DF_EUTF8, bad, line,
                   "invalid UTF-8 at byte offset %zu (line %zu): %s", bad, line, reason);
}
