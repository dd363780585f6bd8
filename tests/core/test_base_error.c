/* Tests for the status and version helpers (base_error.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "drivefacts.h"

/* The version the library was built as must be the one its header
 * promises, or a program could link against a mismatched library. */
static void test_version_matches_header(void **state) {
    (void)state;
    const char *v = df_version();
    assert_non_null(v);
    assert_string_equal(v, DF_VERSION_STRING);
    char numbers[32];
    snprintf(numbers, sizeof numbers, "%d.%d.%d", DF_VERSION_MAJOR, DF_VERSION_MINOR,
             DF_VERSION_PATCH);
    assert_string_equal(v, numbers);
}

/* Every status has its own constant name, spelled as in the header. */
static void test_status_names(void **state) {
    (void)state;
    static const struct {
        df_status status;
        const char *name;
    } expected[] = {
        {DF_OK, "DF_OK"},
        {DF_NOMATCH, "DF_NOMATCH"},
        {DF_ENOMEM, "DF_ENOMEM"},
        {DF_EARG, "DF_EARG"},
        {DF_EIO, "DF_EIO"},
        {DF_ETOOBIG, "DF_ETOOBIG"},
        {DF_EUTF8, "DF_EUTF8"},
        {DF_EPATTERN, "DF_EPATTERN"},
        {DF_EMATCHLIMIT, "DF_EMATCHLIMIT"},
        {DF_EDEPTHLIMIT, "DF_EDEPTHLIMIT"},
        {DF_ERANGE, "DF_ERANGE"},
        {DF_EMATCH, "DF_EMATCH"},
        {DF_ERECORD, "DF_ERECORD"},
    };
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const char *name = df_status_name(expected[i].status);
        assert_non_null(name);
        assert_string_equal(name, expected[i].name);
    }
}

/* A value outside the enum (e.g. from a newer library or a cast) must
 * still give a printable string, never NULL. */
static void test_status_name_unknown(void **state) {
    (void)state;
    const char *name = df_status_name((df_status)9999);
    assert_non_null(name);
    assert_true(strlen(name) > 0);
    /* And it must not pretend to be a real status. */
    assert_string_not_equal(name, "DF_OK");
    assert_string_not_equal(name, "DF_EMATCH");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_matches_header),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_status_name_unknown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
