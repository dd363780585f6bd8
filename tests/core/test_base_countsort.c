/* Tests for the counting sort (base_countsort.c): bucket ranges, stability,
 * empty input and empty buckets, against a plain stable sort. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base.h"

/* Where item i goes by insertion sort on (key, index): stable by
 * construction. */
static void naive_slots(const uint32_t *keys, size_t n, size_t *slot) {
    for (size_t i = 0; i < n; i++) {
        size_t before = 0;
        for (size_t j = 0; j < n; j++)
            before += keys[j] < keys[i] || (keys[j] == keys[i] && j < i);
        slot[i] = before;
    }
}

static void check(const uint32_t *keys, size_t n, size_t buckets) {
    size_t *at = malloc((buckets + 1) * sizeof *at);
    size_t *slot = malloc((n ? n : 1) * sizeof *slot);
    size_t *expected = malloc((n ? n : 1) * sizeof *expected);
    assert_non_null(at);
    assert_non_null(slot);
    assert_non_null(expected);
    df_counting_sort(keys, n, buckets, at, slot);
    naive_slots(keys, n, expected);
    assert_int_equal(at[0], 0);
    assert_int_equal(at[buckets], n);
    for (size_t b = 0; b < buckets; b++) {
        size_t count = 0;
        for (size_t i = 0; i < n; i++)
            count += keys[i] == b;
        assert_int_equal(at[b + 1] - at[b], count);
    }
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(slot[i], expected[i]);
        assert_true(at[keys[i]] <= slot[i] && slot[i] < at[keys[i] + 1]);
    }
    free(at);
    free(slot);
    free(expected);
}

static void test_small(void **state) {
    (void)state;
    static const uint32_t keys[] = {3, 0, 3, 1, 0, 3, 5, 1};
    check(keys, sizeof keys / sizeof keys[0], 7); /* keys 2, 4 and 6: none */
    static const uint32_t one[] = {0};
    check(one, 1, 1);
    check(keys, 0, 4); /* nothing to sort: every bucket empty */
    check(NULL, 0, 0);
}

static void test_random(void **state) {
    (void)state;
    uint32_t keys[500], x = 12345;
    for (size_t buckets = 1; buckets <= 600; buckets *= 5) {
        for (size_t i = 0; i < 500; i++) {
            x = x * 1103515245u + 12345u;
            keys[i] = (uint32_t)((x >> 8) % buckets);
        }
        check(keys, 500, buckets);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small),
        cmocka_unit_test(test_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
