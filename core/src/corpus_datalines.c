/* Data files (entities, tag rules): reading them, and the line structure
 * they share. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

df_status df_each_data_line(const char *data, size_t len, const char *name, df_line_fn fn,
                            void *ctx, df_error *err) {
    const char *reason;
    size_t bad = df_utf8_find_invalid(data, len, &reason);
    if (bad != len) {
        size_t line = df_line_of(data, bad);
        return df_fail(err, DF_EUTF8, bad, line, "%s:%zu: invalid UTF-8 at byte offset %zu: %s", name,
                       line, bad, reason);
    }
    df_status status = DF_OK;
    size_t pos = df_bom_length(data, len);
    for (size_t line = 1; pos < len && status == DF_OK; line++) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - data) : len;
        size_t first = pos;
        while (first < end && df_is_space((unsigned char)data[first]))
            first++;
        if (first < end && data[first] != '#')
            status = fn(ctx, data + pos, end - pos, line, pos);
        pos = end + 1;
    }
    return status;
}

df_status df_add_data_file(void *object, const char *path, df_add_text_fn add, df_error *err) {
    if (object == NULL || path == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    char *data;
    size_t len;
    df_status status = df_read_file(path, DF_MAX_DATA_FILE, &data, &len, err);
    if (status != DF_OK)
        return status;
    status = add(object, data, len, path, err);
    free(data);
    return status;
}
