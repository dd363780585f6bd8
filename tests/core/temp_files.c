#include "temp_files.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

char *temp_path(char *buf, size_t size, const char *tag) {
    int n = snprintf(buf, size, "%s/test-%s-%ld.txt", DF_BINARY_DIR, tag, (long)getpid());
    assert_true(n > 0 && (size_t)n < size);
    return buf;
}

void write_file(const char *path, const char *data, size_t len) {
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}
