/* Reading files: the corpus, the gazetteer and the tag rules all come in
 * through here, into buffers laid out for the splitter and the JIT. */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE /* madvise */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"

/* Transparent huge pages for a large buffer, where the system gives them
 * on request only: a large input is written once by read(2), then scanned,
 * and faulting it in 4 KiB at a time cost half of reading it.  The advice
 * covers every page of the buffer, so that the mapping malloc made for it
 * stays one piece and realloc can still move it without copying.  Only a
 * hint: a refusal changes nothing. */
static void advise_huge_pages(char *buf, size_t size) {
#if defined(MADV_HUGEPAGE)
    const uintptr_t page = 4096, least = (uintptr_t)4 << 20;
    if (size < least)
        return;
    uintptr_t from = (uintptr_t)buf & ~(page - 1);
    uintptr_t to = ((uintptr_t)buf + size + page - 1) & ~(page - 1);
    (void)madvise((void *)from, to - from, MADV_HUGEPAGE);
#else
    (void)buf;
    (void)size;
#endif
}

char *df_alloc_input(size_t len) {
    if (len > SIZE_MAX - 1 - DF_SCAN_PADDING)
        return NULL;
    char *buf = malloc(len + 1 + DF_SCAN_PADDING);
    if (buf != NULL)
        advise_huge_pages(buf, len + 1 + DF_SCAN_PADDING);
    return buf;
}

static df_status io_error(df_error *err, const char *path, const char *what, int errnum) {
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        reason[0] = '\0';
    return df_fail(err, DF_EIO, 0, 0, "%s: cannot %s: %s", path, what, reason);
}

/* Where bytes come from: a descriptor read with read(2), or a stdio stream
 * (whose buffer may already hold bytes its owner peeked at). */
typedef struct source {
    int fd;
    FILE *stream; /* NULL: read fd */
} source;

/* Up to n bytes into buf: how many (0 at end of input), or -1 with *errnum. */
static ssize_t read_some(const source *src, char *buf, size_t n, int *errnum) {
    if (src->stream != NULL) {
        size_t got = fread(buf, 1, n, src->stream);
        if (got == 0 && ferror(src->stream)) {
            *errnum = errno != 0 ? errno : EIO;
            return -1;
        }
        return (ssize_t)got;
    }
    for (;;) {
        ssize_t got = read(src->fd, buf, n);
        if (got >= 0 || errno != EINTR) {
            *errnum = errno;
            return got;
        }
    }
}

/* The bytes of input a buffer first holds: a regular file's size is a
 * hint (files in /proc say 0), never a promise; a stream may stand anywhere
 * in its file, so its size says nothing sure.  A directory, or a file over
 * the limit by its size, is an error before any read. */
static df_status first_capacity(const source *src, const char *path, size_t max_bytes,
                                size_t *capacity, df_error *err) {
    struct stat st;
    int fd = src->stream != NULL ? fileno(src->stream) : src->fd;
    int regular = 0;
    if (fd >= 0) {
        if (fstat(fd, &st) != 0)
            return io_error(err, path, "stat", errno);
        if (S_ISDIR(st.st_mode))
            return df_fail(err, DF_EIO, 0, 0, "%s: cannot read: Is a directory", path);
        regular = S_ISREG(st.st_mode);
    }
    if (regular && src->stream == NULL && (uintmax_t)st.st_size > max_bytes)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: %jd bytes is more than the limit of %zu",
                       path, (intmax_t)st.st_size, max_bytes);
    *capacity = regular && (uintmax_t)st.st_size <= max_bytes ? (size_t)st.st_size : 65536;
    if (*capacity > max_bytes)
        *capacity = max_bytes;
    return DF_OK;
}

/* Room for more input in the full buffer *buf: grown toward max_bytes, or,
 * at the limit, *ended when the input has no byte more (one byte more than
 * allowed tells "too big" from "exactly"). */
static df_status grow(const source *src, const char *path, size_t max_bytes, char **buf,
                      size_t *capacity, int *ended, df_error *err) {
    if (*capacity >= max_bytes) {
        char probe;
        int errnum = 0;
        ssize_t n = read_some(src, &probe, 1, &errnum);
        if (n == 0) {
            *ended = 1;
            return DF_OK;
        }
        if (n < 0)
            return io_error(err, path, "read", errnum);
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: more than the limit of %zu bytes", path,
                       max_bytes);
    }
    size_t grown = *capacity > max_bytes / 2 ? max_bytes
                   : *capacity < 32768       ? 65536
                                             : *capacity * 2;
    if (grown > max_bytes)
        grown = max_bytes;
    char *bigger = realloc(*buf, grown + 1 + DF_SCAN_PADDING);
    if (bigger == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", path);
    *buf = bigger;
    *capacity = grown;
    return DF_OK;
}

/* Read all of src (a regular file, a pipe, a device) into a buffer laid out
 * as df_alloc_input's, refusing more than max_bytes.  Memory follows the
 * input as it comes, never past max_bytes: endless input stops at the
 * limit, however it is fed. */
static df_status read_all(const source *src, const char *path, size_t max_bytes,
                          char **data, size_t *size, df_error *err) {
    size_t capacity = 0, len = 0;
    df_status status = first_capacity(src, path, max_bytes, &capacity, err);
    if (status != DF_OK)
        return status;
    char *buf = df_alloc_input(capacity);
    if (buf == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", path);
    for (;;) {
        int ended = 0, errnum = 0;
        if (len == capacity) {
            status = grow(src, path, max_bytes, &buf, &capacity, &ended, err);
            if (status != DF_OK) {
                free(buf);
                return status;
            }
            if (ended)
                break;
        }
        ssize_t n = read_some(src, buf + len, capacity - len, &errnum);
        if (n == 0)
            break;
        if (n < 0) {
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
    source src = {fd, NULL};
    df_status status = read_all(&src, path, max_bytes, data, len, err);
    close(fd);
    return status;
}

df_status df_read_stream(FILE *stream, const char *name, size_t max_bytes, char **data,
                         size_t *len, df_error *err) {
    source src = {-1, stream};
    return read_all(&src, name, max_bytes, data, len, err);
}
