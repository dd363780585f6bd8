/* The entity matcher: every alias of a gazetteer compiled into PCRE2
 * alternations, `(?<!\w)(?:alias(*:N)|...)(?!\w)`, longest alias first so
 * that the first alternative to match at a position is the longest, and a
 * mark telling which alias it was.  A pattern has a size limit (PCRE2's link
 * size), so a large gazetteer is split into chunks; a scan then merges the
 * chunks' matches: leftmost first, longest on a tie, lowest alias number
 * on a full tie.
 *
 * Two patterns per chunk: the scan pattern (caseless, with exact-case
 * aliases in (?-i:...), whole words) and the lookup pattern (everything
 * caseless, anchored at both ends) that resolves a name a user typed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

struct df_entmatch {
    size_t chunk_count;
    pcre2_code **scan;       /* owned, chunk_count each */
    pcre2_code **lookup;
    size_t bytes;
};

/* ------------------------------------------------------ building patterns */

typedef struct strbuf {
    char *s;
    size_t len, capacity;
    int failed;
} strbuf;

static void put(strbuf *b, const char *s, size_t len) {
    if (b->failed || df_grow((void **)&b->s, &b->capacity, b->len + len + 1, 1) != 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

static void puts_(strbuf *b, const char *s) {
    put(b, s, strlen(s));
}

/* Characters of an alias, counting a space as one: the sort key that puts
 * longer alternatives first. */
static size_t char_length(const df_alias *a) {
    size_t n = 0;
    for (size_t i = 0; i < a->len; i++)
        n += ((unsigned char)a->text[i] & 0xC0) != 0x80;
    return n;
}

/* Escape an alias as a literal: a space matches any run of whitespace, an
 * apostrophe either apostrophe, punctuation is backslash-quoted, letters,
 * digits and non-ASCII characters stand for themselves. */
static void put_literal(strbuf *b, const char *s, size_t len) {
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ') {
            puts_(b, "\\s+");
        } else if (c == '\'') {
            puts_(b, "['\\x{2019}]");
        } else if (c == 0xE2 && i + 2 < len && (unsigned char)s[i + 1] == 0x80 &&
                   (unsigned char)s[i + 2] == 0x99) {
            puts_(b, "['\\x{2019}]");
            i += 2;
        } else if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                                 (c >= '0' && c <= '9'))) {
            char esc[2] = {'\\', (char)c};
            put(b, esc, 2);
        } else {
            put(b, (const char *)&c, 1);
        }
    }
}

/* Which whole-word checks an alias needs: WORD_START when it starts with a
 * word character (then it must not follow one), WORD_END likewise at its
 * end.  Aliases of one class share a chunk, so the checks are written once
 * around the alternation, not once per alias. */
enum { WORD_START = 1, WORD_END = 2 };

static unsigned boundary_class(const df_alias *a) {
    return (df_is_word_byte((unsigned char)a->text[0]) ? WORD_START : 0u) |
           (df_is_word_byte((unsigned char)a->text[a->len - 1]) ? WORD_END : 0u);
}

static void put_alternative(strbuf *b, const df_alias *a, uint32_t number, int for_scan) {
    char mark[24];
    if (for_scan && a->exact_case)
        puts_(b, "(?-i:");
    put_literal(b, a->text, a->len);
    if (for_scan && a->exact_case)
        puts_(b, ")");
    int n = snprintf(mark, sizeof mark, "(*:%lu)", (unsigned long)number);
    put(b, mark, (size_t)n);
}

/* Only the scan pattern, which runs over every fact, is worth JIT code
 * (which takes ten times the memory of the interpreted pattern); a lookup
 * runs once per name asked for. */
static df_status compile(const strbuf *b, int jit, pcre2_code **out, int *code,
                         df_error *err) {
    PCRE2_SIZE offset;
    *out = pcre2_compile((PCRE2_SPTR)b->s, b->len,
                         PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_NO_UTF_CHECK, code,
                         &offset, NULL);
    if (*out != NULL) {
        /* Without JIT (unsupported platform) the interpreter does the same. */
        if (jit)
            (void)pcre2_jit_compile(*out, PCRE2_JIT_COMPLETE);
        return DF_OK;
    }
    if (*code == PCRE2_ERROR_PATTERN_TOO_LARGE)
        return DF_ETOOBIG;
    return df_pcre2_compile_fail(err, *code, offset, "compiling the entity aliases");
}

static size_t code_size(const pcre2_code *code) {
    size_t size = 0, jit = 0;
    (void)pcre2_pattern_info(code, PCRE2_INFO_SIZE, &size);
    (void)pcre2_pattern_info(code, PCRE2_INFO_JITSIZE, &jit);
    return size + jit;
}

typedef struct builder {
    df_entmatch *m;
    size_t chunk_capacity;
    const df_alias *aliases;
    const uint32_t *order;   /* alias numbers, longest first */
} builder;

static df_status add_chunk(builder *bd, pcre2_code *scan, pcre2_code *lookup) {
    df_entmatch *m = bd->m;
    size_t cap = bd->chunk_capacity;
    if (df_grow((void **)&m->scan, &cap, m->chunk_count + 1, sizeof *m->scan) != 0)
        return DF_ENOMEM;
    cap = bd->chunk_capacity;
    if (df_grow((void **)&m->lookup, &cap, m->chunk_count + 1, sizeof *m->lookup) != 0)
        return DF_ENOMEM;
    bd->chunk_capacity = cap;
    m->scan[m->chunk_count] = scan;
    m->lookup[m->chunk_count] = lookup;
    m->chunk_count++;
    m->bytes += code_size(scan) + code_size(lookup);
    return DF_OK;
}

/* Compile order[first..last) as one chunk, or as two halves when PCRE2
 * finds the pattern too large. */
static df_status build_chunk(builder *bd, size_t first, size_t last, df_error *err) {
    strbuf scan = {0}, lookup = {0};
    /* A failing end check backtracks into the next (shorter) alternative. */
    unsigned cls = boundary_class(&bd->aliases[bd->order[first]]);
    puts_(&scan, cls & WORD_START ? "(?<!\\w)(?:" : "(?:");
    puts_(&lookup, "\\A\\s*(?:");
    for (size_t i = first; i < last; i++) {
        const df_alias *a = &bd->aliases[bd->order[i]];
        if (i > first) {
            puts_(&scan, "|");
            puts_(&lookup, "|");
        }
        put_alternative(&scan, a, bd->order[i], 1);
        put_alternative(&lookup, a, bd->order[i], 0);
    }
    puts_(&scan, cls & WORD_END ? ")(?!\\w)" : ")");
    puts_(&lookup, ")\\s*\\z");
    pcre2_code *scan_code = NULL, *lookup_code = NULL;
    int code;
    df_status status = DF_ENOMEM;
    if (!scan.failed && !lookup.failed &&
        (status = compile(&scan, 1, &scan_code, &code, err)) == DF_OK)
        status = compile(&lookup, 0, &lookup_code, &code, err);
    free(scan.s);
    free(lookup.s);
    if (status == DF_OK) {
        if ((status = add_chunk(bd, scan_code, lookup_code)) == DF_OK)
            return DF_OK;
    }
    pcre2_code_free(scan_code);
    pcre2_code_free(lookup_code);
    if (status == DF_ETOOBIG && last - first > 1) {
        size_t mid = first + (last - first) / 2;
        status = build_chunk(bd, first, mid, err);
        return status == DF_OK ? build_chunk(bd, mid, last, err) : status;
    }
    if (status == DF_ETOOBIG)
        return df_fail(err, DF_ETOOBIG, 0, 0, "an entity alias is too long to compile");
    if (status == DF_ENOMEM)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the entity aliases");
    return status;
}

/* Keep each pattern well under the 64 KiB PCRE2 allows with link size 2. */
#define CHUNK_SOURCE 40000u

typedef struct sort_item {
    unsigned cls;
    size_t length;
    uint32_t alias;
} sort_item;

static int by_length(const void *pa, const void *pb) {
    const sort_item *a = pa, *b = pb;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->length != b->length)
        return a->length > b->length ? -1 : 1;
    return (a->alias > b->alias) - (a->alias < b->alias);
}

df_status df_entmatch_new(const df_alias *aliases, size_t count, df_entmatch **out,
                          df_error *err) {
    if (out == NULL || (aliases == NULL && count > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    *out = NULL;
    df_entmatch *m = calloc(1, sizeof *m);
    sort_item *items = malloc((count ? count : 1) * sizeof *items);
    uint32_t *order = malloc((count ? count : 1) * sizeof *order);
    if (m == NULL || items == NULL || order == NULL) {
        free(m);
        free(items);
        free(order);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the entity aliases");
    }
    for (size_t i = 0; i < count; i++)
        items[i] = (sort_item){.cls = boundary_class(&aliases[i]),
                               .length = char_length(&aliases[i]), .alias = (uint32_t)i};
    qsort(items, count, sizeof *items, by_length);
    for (size_t i = 0; i < count; i++)
        order[i] = items[i].alias;
    free(items);

    builder bd = {.m = m, .aliases = aliases, .order = order};
    df_status status = DF_OK;
    size_t first = 0, source = 0;
    for (size_t i = 0; i < count && status == DF_OK; i++) {
        /* An estimate of the escaped alias with its wrapping; a chunk that
         * still comes out too large is split in two. */
        source += 2 * aliases[order[i]].len + 20;
        if (source > CHUNK_SOURCE || i + 1 == count ||
            boundary_class(&aliases[order[i + 1]]) != boundary_class(&aliases[order[i]])) {
            status = build_chunk(&bd, first, i + 1, err);
            first = i + 1;
            source = 0;
        }
    }
    free(order);
    if (status != DF_OK) {
        df_entmatch_free(m);
        return status;
    }
    m->bytes += sizeof *m + 2 * m->chunk_count * sizeof(pcre2_code *);
    *out = m;
    return DF_OK;
}

void df_entmatch_free(df_entmatch *m) {
    if (m == NULL)
        return;
    for (size_t i = 0; i < m->chunk_count; i++) {
        pcre2_code_free(m->scan[i]);
        pcre2_code_free(m->lookup[i]);
    }
    free(m->scan);
    free(m->lookup);
    free(m);
}

size_t df_entmatch_memory(const df_entmatch *m) {
    return m != NULL ? m->bytes : 0;
}

/* ------------------------------------------------------------- matching */

static uint32_t mark_number(pcre2_match_data *md) {
    PCRE2_SPTR mark = pcre2_get_mark(md);
    uint32_t n = 0;
    if (mark != NULL)
        for (; *mark >= '0' && *mark <= '9'; mark++)
            n = n * 10 + (uint32_t)(*mark - '0');
    return n;
}


df_status df_entmatch_lookup(const df_entmatch *m, const char *s, size_t len, uint32_t *alias,
                             df_error *err) {
    if (m == NULL || alias == NULL || (s == NULL && len > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    const char *reason;
    size_t bad = df_utf8_find_invalid(s, len, &reason);
    if (bad != len)
        return df_fail(err, DF_EUTF8, bad, 0, "invalid UTF-8 in a name at byte offset %zu: %s", bad,
                       reason);
    if (m->chunk_count == 0)
        return DF_NOMATCH;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (md == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory looking up a name");
    PCRE2_SPTR subject = (PCRE2_SPTR)(s != NULL ? s : "");
    uint32_t best = UINT32_MAX;
    df_status status = DF_NOMATCH;
    for (size_t c = 0; c < m->chunk_count; c++) {
        int rc = pcre2_match(m->lookup[c], subject, len, 0, PCRE2_NO_UTF_CHECK, md, NULL);
        if (rc == PCRE2_ERROR_NOMATCH)
            continue;
        if (rc < 0) {
            status = df_pcre2_match_fail(err, rc, 0, NULL, "matching entities");
            break;
        }
        uint32_t n = mark_number(md);
        best = n < best ? n : best;
        status = DF_OK;
    }
    pcre2_match_data_free(md);
    if (status == DF_OK)
        *alias = best;
    return status;
}

/* A chunk's next match from the scan position on. */
typedef struct pending {
    size_t start, end;
    uint32_t alias;
    enum { STALE, READY, DONE } state;
} pending;

struct df_entscan {
    const df_entmatch *m;
    pcre2_match_data *md;
    pending *next;           /* one per chunk */
    const char *text;
    size_t len, pos;
};

df_status df_entscan_new(const df_entmatch *m, df_entscan **out, df_error *err) {
    if (m == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    df_entscan *s = calloc(1, sizeof *s);
    if (s != NULL) {
        s->m = m;
        s->md = pcre2_match_data_create(1, NULL);
        s->next = calloc(m->chunk_count ? m->chunk_count : 1, sizeof *s->next);
    }
    if (s == NULL || s->md == NULL || s->next == NULL) {
        df_entscan_free(s);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for an entity scanner");
    }
    *out = s;
    return DF_OK;
}

void df_entscan_free(df_entscan *s) {
    if (s == NULL)
        return;
    pcre2_match_data_free(s->md);
    free(s->next);
    free(s);
}

void df_entscan_reset(df_entscan *s, const char *text, size_t len) {
    s->text = text != NULL ? text : "";
    s->len = len;
    s->pos = 0;
    for (size_t c = 0; c < s->m->chunk_count; c++)
        s->next[c].state = STALE;
}

df_status df_entscan_next(df_entscan *s, size_t *start, size_t *end, uint32_t *alias,
                          df_error *err) {
    const df_entmatch *m = s->m;
    pending *best = NULL;
    for (size_t c = 0; c < m->chunk_count; c++) {
        pending *p = &s->next[c];
        if (p->state == READY && p->start < s->pos)
            p->state = STALE;
        if (p->state == STALE) {
            int rc = s->pos <= s->len ? pcre2_match(m->scan[c], (PCRE2_SPTR)s->text, s->len,
                                                    s->pos, PCRE2_NO_UTF_CHECK, s->md, NULL)
                                      : PCRE2_ERROR_NOMATCH;
            if (rc == PCRE2_ERROR_NOMATCH) {
                p->state = DONE;
            } else if (rc < 0) {
                return df_pcre2_match_fail(err, rc, s->pos, NULL, "matching entities");
            } else {
                const PCRE2_SIZE *ov = pcre2_get_ovector_pointer(s->md);
                p->start = ov[0];
                p->end = ov[1];
                p->alias = mark_number(s->md);
                p->state = READY;
            }
        }
        if (p->state == READY &&
            (best == NULL || p->start < best->start ||
             (p->start == best->start &&
              (p->end > best->end || (p->end == best->end && p->alias < best->alias)))))
            best = p;
    }
    if (best == NULL)
        return DF_NOMATCH;
    *start = best->start;
    *end = best->end;
    *alias = best->alias;
    /* Aliases are never empty, so the scan always moves on. */
    s->pos = best->end > best->start ? best->end : best->end + 1;
    best->state = STALE;
    return DF_OK;
}
