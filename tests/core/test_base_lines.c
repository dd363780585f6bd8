/* Tests for the count of lines with text (base_lines.c): every vector
 * width against a line-by-line oracle, on random text drawn from the bytes
 * the masks must tell apart (each space, its neighbours, bytes with the
 * high bit set), at every length and alignment across the 64-byte blocks,
 * with lines long, short and blank. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base.h"

/* Lines split at '\n'; one counts when any byte is not a space. */
static size_t oracle(const char *s, size_t len, size_t *newlines) {
    size_t facts = 0, lines = 0;
    int text = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n') {
            lines++;
            text = 0;
        } else if (!text && !df_is_space((unsigned char)s[i])) {
            text = 1;
            facts++;
        }
    }
    *newlines = lines;
    return facts;
}

static unsigned next_random(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* Random bytes: about one in `every` a newline, the rest mostly spaces of
 * every kind and the bytes next to them (8, 14, 31, 33), so that blank
 * lines are common. */
static void fill(char *buf, size_t len, unsigned every, unsigned *seed) {
    static const unsigned char near[] = {' ', '\t', '\v', '\f', '\r', ' ', ' ', '\t',
                                         0x08, 0x0E, 0x1F, 0x21, 0x89, 0xA0, 0x00, 'x'};
    for (size_t i = 0; i < len; i++) {
        unsigned r = next_random(seed);
        buf[i] = r % every == 0 ? '\n' : (char)near[(r / every) % sizeof near];
    }
}

static void check_all_widths(const char *s, size_t len) {
    size_t want_lines, want = oracle(s, len, &want_lines);
    for (int width = 0; width <= 2; width++) {
        size_t lines = SIZE_MAX, facts = df_count_text_lines_width(s, len, width, &lines);
        if (facts != want || lines != want_lines)
            fail_msg("width %d, %zu bytes: %zu facts, %zu newlines; want %zu, %zu", width,
                     len, facts, lines, want, want_lines);
    }
    size_t lines, facts = df_count_text_lines(s, len, &lines);
    assert_int_equal(facts, want);
    assert_int_equal(lines, want_lines);
}

static void test_random_text(void **state) {
    (void)state;
    enum { MAX = 64 * 5 + 3 };
    char *buf = malloc(MAX + 64);
    assert_non_null(buf);
    unsigned seed = 2011;
    static const unsigned every[] = {1, 2, 3, 7, 40, 200, 1000};
    for (size_t e = 0; e < sizeof every / sizeof every[0]; e++)
        for (size_t align = 0; align < 64; align += 7)
            for (size_t len = 0; len <= MAX; len++) {
                fill(buf + align, len, every[e], &seed);
                check_all_widths(buf + align, len);
            }
    free(buf);
}

/* The carry from a line with text must cross block boundaries, however
 * many blocks the line spans, and stop at the first newline after. */
static void test_long_lines(void **state) {
    (void)state;
    enum { LEN = 64 * 8 };
    char buf[LEN];
    for (size_t at = 0; at < LEN; at++) {
        memset(buf, ' ', sizeof buf);
        buf[at] = 'x';
        check_all_widths(buf, sizeof buf);
        buf[LEN - 1 - at / 2] = '\n';  /* a newline before, at or after it */
        check_all_widths(buf, sizeof buf);
        buf[at / 3] = '\n';
        check_all_widths(buf, sizeof buf);
    }
}

static void test_edges(void **state) {
    (void)state;
    size_t lines;
    assert_int_equal(df_count_text_lines("", 0, &lines), 0);
    assert_int_equal(lines, 0);
    assert_int_equal(df_count_text_lines("a", 1, &lines), 1);  /* no final newline */
    assert_int_equal(lines, 0);
    assert_int_equal(df_count_text_lines("\n\n \t\r\n", 6, &lines), 0);
    assert_int_equal(lines, 3);
    assert_int_equal(df_count_text_lines(" a b \n\x01\n", 8, &lines), 2);  /* a control is text */
    assert_int_equal(lines, 2);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_text),
        cmocka_unit_test(test_long_lines),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
