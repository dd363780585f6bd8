/* Tests for df_grow (base_grow.c): room for what is asked, at least
 * doubling, contents kept, and a request that cannot be met leaving the
 * array as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "base.h"

static void test_grows_keeping_contents(void **state) {
    (void)state;
    uint32_t *items = NULL;
    size_t capacity = 0;
    for (uint32_t i = 0; i < 1000; i++) {
        size_t before = capacity;
        assert_int_equal(df_grow((void **)&items, &capacity, i + 1, sizeof *items), 0);
        assert_true(capacity >= i + 1);
        assert_true(capacity == before || capacity >= 2 * before);
        items[i] = i * 7;
    }
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(items[i], i * 7);
    free(items);
}

static void test_enough_room_is_left_alone(void **state) {
    (void)state;
    char *bytes = NULL;
    size_t capacity = 0;
    assert_int_equal(df_grow((void **)&bytes, &capacity, 1, 1), 0);
    char *first = bytes;
    size_t first_capacity = capacity;
    assert_int_equal(df_grow((void **)&bytes, &capacity, first_capacity, 1), 0);
    assert_ptr_equal(bytes, first);
    assert_int_equal(capacity, first_capacity);
    free(bytes);
}

static void test_too_large_leaves_the_array(void **state) {
    (void)state;
    uint64_t *items = NULL;
    size_t capacity = 0;
    assert_int_equal(df_grow((void **)&items, &capacity, 4, sizeof *items), 0);
    uint64_t *kept = items;
    size_t kept_capacity = capacity;
    /* More elements than size_t counts, and more bytes than it counts. */
    assert_int_equal(df_grow((void **)&items, &capacity, SIZE_MAX, sizeof *items), -1);
    assert_int_equal(df_grow((void **)&items, &capacity, SIZE_MAX / 4, sizeof *items), -1);
    assert_ptr_equal(items, kept);
    assert_int_equal(capacity, kept_capacity);
    free(items);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grows_keeping_contents),
        cmocka_unit_test(test_enough_room_is_left_alone),
        cmocka_unit_test(test_too_large_leaves_the_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
