/* Read a whole (small) data file: the gazetteer and the tag rules. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Data files are lists of names and rules: 64 MiB is plenty. */
#define MAX_DATA_FILE ((size_t)64 << 20)

static df_status io_error(df_error *err, const char *path, const char *what, int errnum) {
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        reason[0] = '\0';
    return df_fail(err, DF_EIO, 0, 0, "%s: cannot %s: %s", path, what, reason);
}

df_status df_read_file(const char *path, char **data, size_t *len, df_error *err) {
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return io_error(err, path, "open", errno);
    char *buf = NULL;
    size_t used = 0, capacity = 0;
    df_status status = DF_OK;
    for (;;) {
        if (df_grow((void **)&buf, &capacity, used + 4096, 1) != 0) {
            status = df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", path);
            break;
        }
        size_t n = fread(buf + used, 1, capacity - used, f);
        used += n;
        if (used > MAX_DATA_FILE) {
            status = df_fail(err, DF_ETOOBIG, 0, 0, "%s: more than the limit of %zu bytes",
                             path, MAX_DATA_FILE);
            break;
        }
        if (n == 0) {
            if (ferror(f))
                status = io_error(err, path, "read", errno != 0 ? errno : EIO);
            break;
        }
    }
    fclose(f);
    if (status != DF_OK) {
        free(buf);
        return status;
    }
    *data = buf;
    *len = used;
    return DF_OK;
}
