/* Tests for the character helpers (base_chars.c): the newline count
 * against a byte loop, at every alignment, around the block and counter
 * limits of its SIMD form (16 bytes, 255 blocks), with newlines dense,
 * sparse and absent, and bytes that differ from '\n' in one bit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base.h"

static size_t naive_newlines(const char *s, size_t len) {
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += s[i] == '\n';
    return n;
}

static unsigned next_random(unsigned *state) {
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

/* A buffer where about one byte in `every` is '\n' (0: none, 1: all), the
 * rest drawn from bytes near it: 0x0B, 0x08, 0x8A, 0x0A | 0x80... */
static void fill(char *buf, size_t len, unsigned every, unsigned *seed) {
    static const unsigned char near[] = {0x0B, 0x08, 0x8A, 0x2A, 0x0E, 0xFF, 0x00, 'a'};
    for (size_t i = 0; i < len; i++) {
        unsigned r = next_random(seed);
        buf[i] = every != 0 && r % every == 0 ? '\n' : (char)near[r % sizeof near];
    }
}

static void test_count_newlines(void **state) {
    (void)state;
    enum { MAX = 16 * 255 * 2 + 64 };
    char *buf = malloc(MAX + 16);
    assert_non_null(buf);
    unsigned seed = 2011;
    static const unsigned every[] = {0, 1, 2, 7, 100};
    static const size_t lengths[] = {0, 1, 15, 16, 17, 31, 32, 33, 255 * 16 - 1, 255 * 16,
                                     255 * 16 + 1, 255 * 16 + 17, 2 * 255 * 16, MAX};
    for (size_t e = 0; e < sizeof every / sizeof every[0]; e++)
        for (size_t l = 0; l < sizeof lengths / sizeof lengths[0]; l++)
            for (size_t align = 0; align < 16; align++) {
                fill(buf + align, lengths[l], every[e], &seed);
                size_t want = naive_newlines(buf + align, lengths[l]);
                assert_int_equal(df_count_newlines(buf + align, lengths[l]), want);
                assert_int_equal(df_line_of(buf + align, lengths[l]), want + 1);
            }
    /* All newlines: every byte counter at its most before the sum. */
    for (size_t i = 0; i < MAX; i++)
        buf[i] = '\n';
    assert_int_equal(df_count_newlines(buf, MAX), MAX);
    free(buf);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_count_newlines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
