/* Years and film references ("Title (YYYY)") in a fact.  A title is the
 * film entity mentioned right before the parenthesised year (or one whose
 * alias includes it, such as "The Driver (1978)"); failing that, the run of
 * capitalised words before it, with small linking words ("of", "the",
 * "&"...) allowed inside. */
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "corpus.h"
#include "index.h"

#define MIN_YEAR 1800u
#define MAX_YEAR 2099u
#define MAX_TITLE_WORDS 12

static int is_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

/* A four-digit year at s[i], in range and not followed by a digit. */
static int year_at(const char *s, size_t len, size_t i, unsigned *year) {
    if (i + 4 > len)
        return 0;
    unsigned y = 0;
    for (size_t k = 0; k < 4; k++) {
        if (!is_digit((unsigned char)s[i + k]))
            return 0;
        y = y * 10 + (unsigned)(s[i + k] - '0');
    }
    if (i + 4 < len && is_digit((unsigned char)s[i + 4]))
        return 0;
    *year = y;
    return y >= MIN_YEAR && y <= MAX_YEAR;
}

/* "(YYYY)" at s[p], spaces allowed inside the parentheses; *after is the
 * index after ')'. */
static int paren_year(const char *s, size_t len, size_t p, unsigned *year, size_t *after) {
    size_t i = p + 1;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (!year_at(s, len, i, year))
        return 0;
    i += 4;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i >= len || s[i] != ')')
        return 0;
    *after = i + 1;
    return 1;
}

static const char *const linking_words[] = {
    "a", "an", "and", "at", "by", "de", "del", "der", "des", "di", "du", "for", "from",
    "in", "into", "la", "le", "of", "on", "or", "the", "to", "van", "von", "vs", "with", "&",
};

static int is_linking(const char *s, size_t len) {
    for (size_t i = 0; i < sizeof linking_words / sizeof linking_words[0]; i++)
        if (strlen(linking_words[i]) == len && memcmp(linking_words[i], s, len) == 0)
            return 1;
    return 0;
}

/* A word that can be part of a title: starts with a capital, a digit or a
 * non-ASCII letter, and holds only word characters, apostrophes, hyphens,
 * periods inside, '&' or ':' at its end (for "Mission: Impossible"). */
static int is_title_word(const char *s, size_t len) {
    unsigned char c = (unsigned char)s[0];
    if (!((c >= 'A' && c <= 'Z') || is_digit(c) || c >= 0x80))
        return 0;
    for (size_t i = 0; i < len; i++) {
        c = (unsigned char)s[i];
        if (df_is_word_byte(c) || c == '\'' || c == '-' || (c == '.' && i + 1 < len) ||
            (c == ':' && i + 1 == len))
            continue;
        return 0;
    }
    return 1;
}

/* The start of the capitalised title ending at s[end], or end when none. */
static size_t title_start(const char *s, size_t end) {
    size_t start = end, i = end;
    for (int words = 0; words < MAX_TITLE_WORDS; words++) {
        size_t e = i;
        while (i > 0 && !df_is_space((unsigned char)s[i - 1]))
            i--;
        const char *w = s + i;
        size_t n = e - i;
        /* An opening quote or parenthesis starts the title. */
        int opens = n > 1 && (w[0] == '"' || w[0] == '(' || w[0] == '\'');
        if (opens) {
            w++;
            n--;
        }
        if (n == 0 || !(is_title_word(w, n) || (words > 0 && is_linking(w, n))))
            break;
        start = (size_t)(w - s);
        if (opens || i == 0)
            break;
        while (i > 0 && df_is_space((unsigned char)s[i - 1]))
            i--;
        if (i == 0)
            break;
    }
    /* Linking words do not begin a title. */
    while (start < end) {
        size_t e = start;
        while (e < end && !df_is_space((unsigned char)s[e]))
            e++;
        if (!is_linking(s + start, e - start))
            break;
        while (e < end && df_is_space((unsigned char)s[e]))
            e++;
        start = e;
    }
    return start;
}

static int word_before(const char *s, size_t i) {
    return i > 0 && df_is_word_cp(df_utf8_before(s, i));
}

static int word_at(const char *s, size_t len, size_t i) {
    uint32_t cp;
    return i < len && (df_utf8_next(s, len, i, &cp), df_is_word_cp(cp));
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH (ONES * 0x80)

/* Bit 7 of each byte of w set where the byte equals b (exact per byte: no
 * carry crosses from one byte into the next). */
static uint64_t bytes_equal(uint64_t w, unsigned char b) {
    uint64_t x = w ^ (ONES * b);
    return ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
}

/* The first byte from i on that can begin a year or a film reference: '('
 * or the first digit of 1800-2099.  They are a few in a thousand bytes of
 * prose, so the scan reads eight bytes at a time (sixteen with SSE2) and
 * stops only at words that hold one. */
static int is_candidate(char c) {
    return c == '(' || c == '1' || c == '2';
}

static size_t next_candidate(const char *s, size_t len, size_t i) {
#if defined(__SSE2__)
    /* Sixteen bytes a step where SSE2 is: the first candidate is the
     * lowest bit of the mask of the three bytes. */
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('(')),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('1')),
                                                _mm_cmpeq_epi8(v, _mm_set1_epi8('2'))));
        unsigned bits = (unsigned)_mm_movemask_epi8(hit);
        if (bits != 0)
            return i + (size_t)__builtin_ctz(bits);
    }
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if ((bytes_equal(w, '(') | bytes_equal(w, '1') | bytes_equal(w, '2')) == 0)
            continue;
        for (size_t k = 0; k < 8; k++)
            if (is_candidate(s[i + k]))
                return i + k;
    }
    for (; i < len; i++)
        if (is_candidate(s[i]))
            return i;
    return len;
}

df_status df_scan_years_films(const char *s, size_t len, const df_mention *mentions,
                              size_t count, const unsigned char *is_film,
                              const df_ref_sink *sink) {
    size_t m = 0; /* first mention that does not end before i */
    for (size_t i = 0; (i = next_candidate(s, len, i)) < len; i++) {
        unsigned char c = (unsigned char)s[i];
        while (m < count && mentions[m].end <= i)
            m++;
        int in_mention = m < count && mentions[m].start <= i;
        unsigned year;
        size_t after;
        if (c == '(' && paren_year(s, len, i, &year, &after)) {
            size_t end = i;
            while (end > 0 && df_is_space((unsigned char)s[end - 1]))
                end--;
            df_film_ref ref = {.year = year, .entity = DF_NO_ENTITY};
            /* A film alias that holds the year, or that ends the title. */
            if (in_mention && is_film[mentions[m].entity] &&
                mentions[m].start < end) {
                ref.start = mentions[m].start;
                ref.entity = mentions[m].entity;
            } else if (m > 0 && mentions[m - 1].end == end &&
                       is_film[mentions[m - 1].entity]) {
                ref.start = mentions[m - 1].start;
                ref.entity = mentions[m - 1].entity;
            } else {
                ref.start = (uint32_t)title_start(s, end);
            }
            ref.end = (uint32_t)end;
            if (sink->year(sink->ctx, year) != 0)
                return DF_ENOMEM;
            if (ref.start < ref.end && sink->film(sink->ctx, &ref) != 0)
                return DF_ENOMEM;
            continue;
        }
        if (is_digit(c) && !in_mention && !word_before(s, i) && year_at(s, len, i, &year)) {
            /* "1980s" is the decade starting in 1980. */
            size_t e = i + 4 < len && s[i + 4] == 's' ? i + 5 : i + 4;
            if (!word_at(s, len, e) && sink->year(sink->ctx, year) != 0)
                return DF_ENOMEM;
            i += 3;
        }
    }
    return DF_OK;
}
