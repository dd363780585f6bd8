/* Which files a list of paths names: a file as it is, a directory walked
 * recursively in byte order of names, leaving out what is not a fact file
 * (see df_corpus_load_paths in drivefacts.h for the rule). */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "corpus.h"

/* What git and diff read to tell text from binary data. */
#define TEXT_PROBE_BYTES 8192

typedef struct file_list {
    char **files;
    size_t count, capacity;
} file_list;

static df_status io_fail(df_error *err, const char *path, const char *what, int errnum) {
    char reason[128];
    if (strerror_r(errnum, reason, sizeof reason) != 0)
        reason[0] = '\0';
    return df_fail(err, DF_EIO, 0, 0, "%s: cannot %s: %s", path, what, reason);
}

static df_status push_file(file_list *list, char *path, df_error *err) {
    if (list->count == list->capacity &&
        df_grow((void **)&list->files, &list->capacity, list->count + 1, sizeof *list->files) !=
            0) {
        free(path);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory listing files");
    }
    list->files[list->count++] = path;
    return DF_OK;
}

static char *join(const char *dir, const char *name) {
    size_t a = strlen(dir), b = strlen(name);
    int slash = a > 0 && dir[a - 1] != '/';
    char *path = malloc(a + (size_t)slash + b + 1);
    if (path != NULL) {
        memcpy(path, dir, a);
        if (slash)
            path[a] = '/';
        memcpy(path + a + (size_t)slash, name, b + 1);
    }
    return path;
}

/* Whether the file at path holds no NUL byte in its first bytes. */
static df_status is_text(const char *path, int *text, df_error *err) {
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return io_fail(err, path, "open", errno);
    char probe[TEXT_PROBE_BYTES];
    ssize_t n;
    do
        n = read(fd, probe, sizeof probe);
    while (n < 0 && errno == EINTR);
    int errnum = errno;
    close(fd);
    if (n < 0)
        return io_fail(err, path, "read", errnum);
    *text = memchr(probe, '\0', (size_t)n) == NULL;
    return DF_OK;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static df_status walk(const char *dir, file_list *list, df_error *err);

/* An entry of a directory: walked, kept, or skipped by the rule. */
static df_status add_entry(const char *dir, const char *name, file_list *list, df_error *err) {
    if (name[0] == '.' || ends_with(name, ".dat"))
        return DF_OK;
    char *path = join(dir, name);
    if (path == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory listing files");
    struct stat st;
    if (lstat(path, &st) != 0) {
        df_status status = io_fail(err, path, "stat", errno);
        free(path);
        return status;
    }
    df_status status = DF_OK;
    int text = 0;
    if (S_ISDIR(st.st_mode)) {
        status = walk(path, list, err);
    } else if (S_ISREG(st.st_mode) && (status = is_text(path, &text, err)) == DF_OK && text) {
        return push_file(list, path, err);
    }
    free(path);
    return status;
}

static df_status walk(const char *dir, file_list *list, df_error *err) {
    DIR *d = opendir(dir);
    if (d == NULL)
        return io_fail(err, dir, "open the directory", errno);
    file_list names = {0};
    df_status status = DF_OK;
    struct dirent *entry;
    errno = 0;
    while (status == DF_OK && (entry = readdir(d)) != NULL) {
        char *name = join("", entry->d_name);
        status = name != NULL ? push_file(&names, name, err)
                              : df_fail(err, DF_ENOMEM, 0, 0, "out of memory listing files");
        errno = 0;
    }
    if (status == DF_OK && errno != 0)
        status = io_fail(err, dir, "read the directory", errno);
    closedir(d);
    if (names.count > 0)
        qsort(names.files, names.count, sizeof *names.files, by_name);
    for (size_t i = 0; i < names.count && status == DF_OK; i++)
        status = add_entry(dir, names.files[i], list, err);
    df_paths_free(names.files, names.count);
    return status;
}

df_status df_expand_paths(const char *const *paths, size_t count, char ***files,
                          size_t *file_count, df_error *err) {
    file_list list = {0};
    df_status status = DF_OK;
    for (size_t i = 0; i < count && status == DF_OK; i++) {
        struct stat st;
        if (stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            status = walk(paths[i], &list, err);
        } else {
            /* A file, or what reading it will explain (a missing file). */
            char *copy = join("", paths[i]);
            status = copy != NULL ? push_file(&list, copy, err)
                                  : df_fail(err, DF_ENOMEM, 0, 0, "out of memory listing files");
        }
    }
    if (status != DF_OK) {
        df_paths_free(list.files, list.count);
        return status;
    }
    *files = list.files;
    *file_count = list.count;
    return DF_OK;
}

df_status df_paths_expand(const char *const *paths, size_t count, char ***files,
                          size_t *file_count, df_error *err) {
    if (files == NULL || file_count == NULL || (paths == NULL && count > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    *files = NULL;
    *file_count = 0;
    for (size_t i = 0; i < count; i++)
        if (paths[i] == NULL)
            return df_fail(err, DF_EARG, 0, 0, "NULL path %zu", i + 1);
    return df_expand_paths(paths, count, files, file_count, err);
}

void df_paths_free(char **files, size_t count) {
    if (files == NULL)
        return;
    for (size_t i = 0; i < count; i++)
        free(files[i]);
    free(files);
}
