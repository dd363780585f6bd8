/* JSON Lines: one JSON object per line, parsed by jansson; the object's
 * text field is the fact, its other members are its fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "corpus.h"

/* "a number", "an array", ...: what a JSON value is, for messages. */
static const char *json_kind(const json_t *v) {
    switch (json_typeof(v)) {
    case JSON_OBJECT:  return "an object";
    case JSON_ARRAY:   return "an array";
    case JSON_STRING:  return "a string";
    case JSON_INTEGER:
    case JSON_REAL:    return "a number";
    case JSON_TRUE:
    case JSON_FALSE:   return "a boolean";
    case JSON_NULL:    return "null";
    }
    return "a value";
}

/* The shortest text that reads back as the same double, in the C locale's
 * form whatever the process's, with a '.' or an exponent so that it never
 * reads as an integer. */
static size_t format_real(double d, char *buf, size_t size) {
    int n = 0;
    for (int precision = 15; precision <= 17; precision++) {
        n = snprintf(buf, size, "%.*g", precision, d);
        for (char *p = buf; *p != '\0'; p++)
            if (*p == ',')
                *p = '.';
        if (strtod(buf, NULL) == d)
            break;
    }
    if (strpbrk(buf, ".eE") == NULL && (size_t)n + 2 < size) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    }
    return (size_t)n;
}

/* One member of the record, not its text: the value with its type. */
static df_status add_member(df_records *r, const char *key, const json_t *value,
                            df_error *err) {
    size_t column;
    df_status status = df_records_column(r, key, strlen(key), &column, err);
    if (status != DF_OK)
        return status;
    char number[64];
    switch (json_typeof(value)) {
    case JSON_STRING:
        return df_records_field(r, column, DF_FIELD_STRING, json_string_value(value),
                                json_string_length(value), err);
    case JSON_INTEGER: {
        int n = snprintf(number, sizeof number, "%" JSON_INTEGER_FORMAT,
                         json_integer_value(value));
        return df_records_field(r, column, DF_FIELD_NUMBER, number, (size_t)n, err);
    }
    case JSON_REAL: {
        size_t n = format_real(json_real_value(value), number, sizeof number);
        return df_records_field(r, column, DF_FIELD_NUMBER, number, n, err);
    }
    case JSON_TRUE:
        return df_records_field(r, column, DF_FIELD_BOOLEAN, "true", 4, err);
    case JSON_FALSE:
        return df_records_field(r, column, DF_FIELD_BOOLEAN, "false", 5, err);
    case JSON_NULL:
        return df_records_field(r, column, DF_FIELD_NULL, "null", 4, err);
    case JSON_ARRAY:
    case JSON_OBJECT:
        break;
    }
    char *compact = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    if (compact == NULL)
        return df_fail(err, DF_ENOMEM, 0, r->line, "%s:%zu: out of memory", r->source, r->line);
    status = df_records_field(r, column, DF_FIELD_JSON, compact, strlen(compact), err);
    free(compact);
    return status;
}

/* The record on line r->line: buf[start..end), a line that is not blank. */
static df_status read_record(df_records *r, const char *line, size_t len, size_t offset,
                             df_error *err) {
    json_error_t jerr;
    json_t *record = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
    if (record == NULL) {
        if (json_error_code(&jerr) == json_error_out_of_memory)
            return df_fail(err, DF_ENOMEM, 0, r->line, "%s:%zu: out of memory", r->source,
                           r->line);
        if (json_error_code(&jerr) == json_error_null_character)
            return df_fail(err, DF_ERECORD, offset + (size_t)jerr.position, r->line,
                           "%s:%zu: a string holds \\u0000 (NUL) at column %d", r->source,
                           r->line, jerr.column);
        return df_fail(err, DF_ERECORD, offset + (size_t)jerr.position, r->line,
                       "%s:%zu: invalid JSON at column %d: %s", r->source, r->line,
                       jerr.column, jerr.text);
    }
    df_status status = DF_OK;
    if (!json_is_object(record)) {
        status = df_fail(err, DF_ERECORD, offset, r->line, "%s:%zu: %s, not a JSON object",
                         r->source, r->line, json_kind(record));
    } else {
        const char *key;
        json_t *value;
        json_object_foreach(record, key, value) {
            if (strcmp(key, r->text_field) != 0)
                status = add_member(r, key, value, err);
            else if (json_is_string(value))
                status = df_records_text(r, json_string_value(value), json_string_length(value),
                                         err);
            else
                status = df_fail(err, DF_ERECORD, offset, r->line,
                                 "%s:%zu: field '%s' is %s, not a string", r->source, r->line,
                                 key, json_kind(value));
            if (status != DF_OK)
                break;
        }
    }
    json_decref(record);
    return status;
}

df_status df_read_jsonl(const char *buf, size_t start, size_t len, df_records *r,
                        df_error *err) {
    df_status status = DF_OK;
    size_t pos = start;
    for (size_t line = 1; pos < len && status == DF_OK; line++) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - buf) : len;
        size_t first = pos;
        while (first < end && df_is_space((unsigned char)buf[first]))
            first++;
        if (first < end) {
            df_records_begin(r, line);
            status = read_record(r, buf + pos, end - pos, pos, err);
            if (status == DF_OK)
                status = df_records_end(r, err);
        }
        pos = end + 1;
    }
    return status;
}
