/* Reading files: the corpus, the gazetteer and the tag rules all come in
 * through here, into buffers laid out for the splitter and the JIT. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"

char *df_alloc_input(size_t len) {
    return len <= SIZE_MAX - 1 - DF_SCAN_PADDING ? malloc(len + 1 + DF_SCAN_PADDING) : NULL;
}

static df_status io_error(df_error *err, const char *path, const char *what, int errnum) {
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        reason[0] = '\0';
    return df_fail(err, DF_EIO, 0, 0, "%s: cannot %s: %s", path, what, reason);
}

/* Read all of fd (a regular file, a pipe, a device) into a buffer laid out
 * as df_alloc_input's, refusing more than max_bytes. */
static df_status read_all(int fd, const char *path, size_t max_bytes, char **data,
                          size_t *size, df_error *err) {
    struct stat st;
    if (fstat(fd, &st) != 0)
        return io_error(err, path, "stat", errno);
    if (S_ISDIR(st.st_mode))
        return df_fail(err, DF_EIO, 0, 0, "%s: cannot read: Is a directory", path);
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max_bytes)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: %jd bytes is more than the limit of %zu",
                       path, (intmax_t)st.st_size, max_bytes);
    /* Bytes of input the buffer holds; a regular file's size is a hint
     * (files in /proc say 0), never a promise. */
    size_t capacity = S_ISREG(st.st_mode) ? (size_t)st.st_size : 65536;
    size_t len = 0;
    char *buf = df_alloc_input(capacity);
    if (buf == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", path);
    for (;;) {
        if (len == capacity) {
            if (len >= max_bytes) {
                /* One byte more than allowed tells "too big" from "exactly". */
                char probe;
                ssize_t n = read(fd, &probe, 1);
                if (n == 0)
                    break;
                free(buf);
                if (n < 0)
                    return io_error(err, path, "read", errno);
                return df_fail(err, DF_ETOOBIG, 0, 0, "%s: more than the limit of %zu bytes",
                               path, max_bytes);
            }
            size_t grown = capacity > max_bytes / 2 ? max_bytes
                           : capacity < 32768       ? 65536
                                                    : capacity * 2;
            if (grown > max_bytes)
                grown = max_bytes;
            char *bigger = realloc(buf, grown + 1 + DF_SCAN_PADDING);
            if (bigger == NULL) {
                free(buf);
                return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", path);
            }
            buf = bigger;
            capacity = grown;
        }
        ssize_t n = read(fd, buf + len, capacity - len);
        if (n == 0)
            break;
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int errnum = errno;
            free(buf);
            return io_error(err, path, "read", errnum);
        }
        len += (size_t)n;
    }
    *data = buf;
    *size = len;
    return DF_OK;
}

df_status df_read_file(const char *path, size_t max_bytes, char **data, size_t *len,
                       df_error *err) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return io_error(err, path, "open", errno);
    df_status status = read_all(fd, path, max_bytes, data, len, err);
    close(fd);
    return status;
}
