/* Data files (entities, tag rules): reading them, and the line structure
 * they share. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"

df_status df_data_lines_open(df_data_lines *lines, const char *text, size_t len,
                             const char *name, df_error *err) {
    if (text == NULL && len > 0)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (name == NULL)
        name = "<buffer>";
    const char *reason;
    size_t bad = df_utf8_find_invalid(text, len, &reason);
    if (bad != len) {
        size_t line = df_line_of(text, bad);
        return df_fail(err, DF_EUTF8, bad, line, "%s:%zu: invalid UTF-8 at byte offset %zu: %s",
                       name, line, bad, reason);
    }
    *lines = (df_data_lines){.text = text, .name = name, .text_len = len,
                             .next = df_bom_length(text, len)};
    return DF_OK;
}

int df_data_lines_next(df_data_lines *lines) {
    const char *text = lines->text;
    while (lines->next < lines->text_len) {
        size_t pos = lines->next;
        const char *nl = memchr(text + pos, '\n', lines->text_len - pos);
        size_t end = nl != NULL ? (size_t)(nl - text) : lines->text_len;
        size_t first = pos;
        while (first < end && df_is_space((unsigned char)text[first]))
            first++;
        lines->next = end + 1;
        lines->line_no++;
        if (first < end && text[first] != '#') {
            lines->line = text + pos;
            lines->len = end - pos;
            lines->offset = pos;
            return 1;
        }
    }
    return 0;
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
