/* CSV and TSV (RFC 4180), parsed by libcsv in strict mode: a header row
 * names the columns, every later row is a record.  libcsv is fed one line
 * at a time so that each record knows the line it starts on. */
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "corpus.h"

typedef struct csv_reader {
    df_records *r;
    df_error *err;
    df_status status;        /* the first failure; later callbacks do nothing */
    size_t line;             /* the line being fed */
    int between_rows;        /* the parser stands before a row */
    int in_header;
    size_t columns;          /* the header's width */
    size_t *column_of;       /* header position -> field column; text_column: none */
    size_t text_column;
    size_t capacity;         /* of column_of */
    size_t field;            /* position in the row being read */
} csv_reader;

/* RFC 4180: "Spaces are considered part of a field and should not be
 * ignored"; libcsv trims spaces and tabs unless told otherwise. */
static int no_space(unsigned char c) {
    (void)c;
    return 0;
}

static df_status header_field(csv_reader *rd, const char *s, size_t len) {
    df_records *r = rd->r;
    if (df_grow((void **)&rd->column_of, &rd->capacity, rd->columns + 1,
                sizeof *rd->column_of) != 0)
        return df_fail(rd->err, DF_ENOMEM, 0, r->line, "%s:%zu: out of memory", r->source,
                       r->line);
    size_t column;
    df_status status;
    if (strlen(r->text_field) == len && memcmp(s, r->text_field, len) == 0) {
        if (rd->text_column != SIZE_MAX)
            return df_fail(rd->err, DF_ERECORD, 0, r->line, "%s:%zu: two columns named '%s'",
                           r->source, r->line, r->text_field);
        rd->text_column = rd->columns;
        column = SIZE_MAX;
    } else {
        size_t known = r->fields.count;
        if ((status = df_records_column(r, s, len, &column, rd->err)) != DF_OK)
            return status;
        if (column < known)
            return df_fail(rd->err, DF_ERECORD, 0, r->line, "%s:%zu: two columns named '%s'",
                           r->source, r->line, r->fields.names[column]);
    }
    rd->column_of[rd->columns++] = column;
    return DF_OK;
}

static void on_field(void *s, size_t len, void *data) {
    csv_reader *rd = data;
    if (rd->status != DF_OK)
        return;
    if (rd->in_header) {
        rd->status = header_field(rd, s != NULL ? s : "", len);
    } else if (rd->field < rd->columns) {
        size_t column = rd->column_of[rd->field];
        const char *text = s != NULL ? s : "";
        rd->status = column == SIZE_MAX
                         ? df_records_text(rd->r, text, len, rd->err)
                         : df_records_field(rd->r, column, DF_FIELD_STRING, text, len, rd->err);
    }
    rd->field++;
}

static void on_row(int terminator, void *data) {
    csv_reader *rd = data;
    df_records *r = rd->r;
    (void)terminator;
    rd->between_rows = 1;
    if (rd->status != DF_OK)
        return;
    if (rd->in_header) {
        rd->in_header = 0;
        if (rd->text_column == SIZE_MAX)
            rd->status = df_fail(rd->err, DF_ERECORD, 0, r->line,
                                 "%s:%zu: no column named '%s' in the header", r->source,
                                 r->line, r->text_field);
    } else if (rd->field != rd->columns) {
        rd->status = df_fail(rd->err, DF_ERECORD, 0, r->line,
                             "%s:%zu: %zu field%s where the header has %zu", r->source,
                             r->line, rd->field, rd->field == 1 ? "" : "s", rd->columns);
    } else {
        rd->status = df_records_end(r, rd->err);
    }
    rd->field = 0;
    /* A CR alone ends a row too: the next may start within this line. */
    df_records_begin(r, rd->line);
}

static int is_blank(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (!df_is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* What libcsv could not parse in the line being fed. */
static df_status parse_failure(csv_reader *rd, struct csv_parser *p) {
    df_records *r = rd->r;
    switch (csv_error(p)) {
    case CSV_ENOMEM:
        return df_fail(rd->err, DF_ENOMEM, 0, rd->line, "%s:%zu: out of memory", r->source,
                       rd->line);
    case CSV_ETOOBIG:
        return df_fail(rd->err, DF_ETOOBIG, 0, rd->line, "%s:%zu: a field too large",
                       r->source, rd->line);
    default:
        return df_fail(rd->err, DF_ERECORD, 0, rd->line,
                       "%s:%zu: a quote inside an unquoted field, or text after a closing "
                       "quote", r->source, rd->line);
    }
}

df_status df_read_csv(const char *buf, size_t start, size_t len, char separator,
                      df_records *r, df_error *err) {
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", r->source);
    csv_set_delim(&p, (unsigned char)separator);
    csv_set_space_func(&p, no_space);
    /* The parser's buffer grows through our allocator, as everything else. */
    csv_set_realloc_func(&p, realloc);
    csv_set_free_func(&p, free);
    csv_reader rd = {.r = r, .err = err, .between_rows = 1, .in_header = 1,
                     .text_column = SIZE_MAX};
    size_t pos = start;
    for (rd.line = 1; pos < len && rd.status == DF_OK; rd.line++) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - buf) + 1 : len;
        if (rd.between_rows) {
            if (is_blank(buf + pos, end - pos)) {
                pos = end;
                continue;
            }
            rd.between_rows = 0;
            df_records_begin(r, rd.line);
        }
        if (csv_parse(&p, buf + pos, end - pos, on_field, on_row, &rd) != end - pos &&
            rd.status == DF_OK)
            rd.status = parse_failure(&rd, &p);
        pos = end;
    }
    if (rd.status == DF_OK && csv_fini(&p, on_field, on_row, &rd) != 0 && rd.status == DF_OK) {
        rd.status = csv_error(&p) == CSV_EPARSE
                        ? df_fail(err, DF_ERECORD, 0, r->line,
                                  "%s:%zu: a quoted field is not closed before the end",
                                  r->source, r->line)
                        : parse_failure(&rd, &p);
    }
    csv_free(&p);
    free(rd.column_of);
    return rd.status;
}
