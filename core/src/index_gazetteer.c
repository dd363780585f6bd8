/* The gazetteer: entities with a kind, a canonical name and aliases, read
 * from a small line format or added one by one.  Matching them in text is
 * index_entities.c's business. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

extern const unsigned char df_embedded_entities[];
extern const size_t df_embedded_entities_size;

int df_valid_kind(const char *s, size_t len) {
    if (len == 0 || len > DF_MAX_KIND_NAME)
        return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return 0;
    }
    return 1;
}

df_status df_gazetteer_new(df_gazetteer **out, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for a gazetteer");
    return DF_OK;
}

void df_gazetteer_free(df_gazetteer *g) {
    if (g == NULL)
        return;
    df_arena_free(&g->arena);
    free(g->kinds);
    free(g->entities);
    free(g->aliases);
    df_hmap_free(&g->by_name);
    df_hmap_free(&g->alias_set);
    free(g);
}

size_t df_gazetteer_count(const df_gazetteer *g) {
    return g != NULL ? g->count : 0;
}

/* ------------------------------------------------------------ the tables */

static uint64_t name_hash(uint32_t kind, const char *s, size_t len) {
    unsigned char k[4] = {(unsigned char)(kind >> 24), (unsigned char)(kind >> 16),
                          (unsigned char)(kind >> 8), (unsigned char)kind};
    return df_hash_mix(df_hash_bytes(df_hash_bytes(DF_HASH_SEED, k, 4), s, len));
}

/* The number of kind s[0..len) (a valid kind name), made when new; -1 when
 * out of memory.  A gazetteer has a handful of kinds: a linear search. */
static int64_t intern_kind(df_gazetteer *g, const char *s, size_t len) {
    for (size_t k = 0; k < g->kind_count; k++)
        if (strncmp(g->kinds[k], s, len) == 0 && g->kinds[k][len] == '\0')
            return (int64_t)k;
    if (g->kind_count >= UINT32_MAX - 1 ||
        df_grow((void **)&g->kinds, &g->kind_capacity, g->kind_count + 1, sizeof *g->kinds) != 0)
        return -1;
    char *copy = df_arena_strndup(&g->arena, s, len);
    if (copy == NULL)
        return -1;
    g->kinds[g->kind_count] = copy;
    return (int64_t)g->kind_count++;
}

static uint64_t alias_hash(uint32_t entity, int exact, const char *s, size_t len) {
    unsigned char head[5] = {(unsigned char)(entity >> 24), (unsigned char)(entity >> 16),
                             (unsigned char)(entity >> 8), (unsigned char)entity,
                             (unsigned char)exact};
    return df_hash_mix(df_hash_bytes(df_hash_bytes(DF_HASH_SEED, head, 5), s, len));
}

typedef struct key {
    const df_gazetteer *g;
    uint32_t entity;
    uint32_t kind;
    int exact;
    const char *s;
    size_t len;
} key;

static int same_entity(const void *ctx, uint32_t value) {
    const key *k = ctx;
    const df_gz_entity *e = &k->g->entities[value];
    return e->kind == k->kind && e->len == k->len && memcmp(e->name, k->s, k->len) == 0;
}

static int same_alias(const void *ctx, uint32_t value) {
    const key *k = ctx;
    const df_alias *a = &k->g->aliases[value];
    return a->entity == k->entity && a->exact_case == k->exact && a->len == k->len &&
           memcmp(a->text, k->s, k->len) == 0;
}

/* Put everything back in the maps after a rollback shrank the tables.  The
 * maps only lose entries, so re-inserting never allocates. */
static void rehash(df_gazetteer *g) {
    df_hmap_clear(&g->by_name);
    df_hmap_clear(&g->alias_set);
    for (size_t i = 0; i < g->count; i++) {
        const df_gz_entity *e = &g->entities[i];
        (void)df_hmap_put(&g->by_name, name_hash(e->kind, e->name, e->len), (uint32_t)i);
    }
    for (size_t i = 0; i < g->alias_count; i++) {
        const df_alias *a = &g->aliases[i];
        (void)df_hmap_put(&g->alias_set, alias_hash(a->entity, a->exact_case, a->text, a->len),
                          (uint32_t)i);
    }
}

static void rollback(df_gazetteer *g, size_t count, size_t alias_count) {
    if (g->count == count && g->alias_count == alias_count)
        return;
    g->count = count;
    g->alias_count = alias_count;
    rehash(g);
}

/* Entity and alias numbers travel as uint32_t (in marks and postings). */
#define MAX_ENTRIES ((size_t)UINT32_MAX - 1)

static df_status add_alias(df_gazetteer *g, uint32_t entity, const char *s, size_t len,
                           int exact, int is_name) {
    key k = {.g = g, .entity = entity, .exact = exact, .s = s, .len = len};
    uint64_t h = alias_hash(entity, exact, s, len);
    if (df_hmap_get(&g->alias_set, h, same_alias, &k) != NULL)
        return DF_OK;
    if (g->alias_count >= MAX_ENTRIES ||
        df_grow((void **)&g->aliases, &g->alias_capacity, g->alias_count + 1,
                sizeof *g->aliases) != 0)
        return DF_ENOMEM;
    char *text = df_arena_strndup(&g->arena, s, len);
    if (text == NULL || df_hmap_put(&g->alias_set, h, (uint32_t)g->alias_count) != 0)
        return DF_ENOMEM;
    g->aliases[g->alias_count++] = (df_alias){.text = text, .len = len, .entity = entity,
                                              .exact_case = (uint8_t)exact,
                                              .is_name = (uint8_t)is_name};
    return DF_OK;
}

/* The entity (kind, name), made when new. */
static df_status add_entity(df_gazetteer *g, uint32_t kind, const char *s, size_t len,
                            int exact, uint32_t *entity) {
    key k = {.g = g, .kind = kind, .s = s, .len = len};
    uint64_t h = name_hash(kind, s, len);
    const uint32_t *found = df_hmap_get(&g->by_name, h, same_entity, &k);
    if (found != NULL) {
        *entity = *found;
        return add_alias(g, *found, s, len, exact, 1);
    }
    if (g->count >= MAX_ENTRIES ||
        df_grow((void **)&g->entities, &g->capacity, g->count + 1, sizeof *g->entities) != 0)
        return DF_ENOMEM;
    char *name = df_arena_strndup(&g->arena, s, len);
    if (name == NULL || df_hmap_put(&g->by_name, h, (uint32_t)g->count) != 0)
        return DF_ENOMEM;
    g->entities[g->count] = (df_gz_entity){.name = name, .len = len, .kind = kind};
    *entity = (uint32_t)g->count++;
    return add_alias(g, *entity, name, len, exact, 1);
}

/* ------------------------------------------------------------- one item */

#define MAX_ITEM 1024u

/* Normalise the item s[0..len) into out (room for len + 1): quotes
 * removed, spaces trimmed and collapsed.  NULL on success, else why not. */
static const char *parse_item(const char *s, size_t len, char *out, size_t *out_len,
                              int *exact) {
    while (len > 0 && df_is_space((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len > 0 && df_is_space((unsigned char)s[len - 1]))
        len--;
    *exact = 0;
    if (len > 0 && *s == '"') {
        if (len < 2 || s[len - 1] != '"')
            return "unterminated double quote";
        s++;
        len -= 2;
        *exact = 1;
    }
    size_t n = 0;
    int pending_space = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"')
            return *exact ? "a double quote inside a quoted name"
                          : "a double quote inside a name (quote the whole name)";
        if (c < 0x20 && !df_is_space(c))
            return "a control character in a name";
        if (df_is_space(c)) {
            pending_space = n > 0;
            continue;
        }
        if (pending_space)
            out[n++] = ' ';
        pending_space = 0;
        out[n++] = (char)c;
    }
    if (n == 0)
        return "an empty name";
    if (n > MAX_ITEM)
        return "a name longer than 1024 bytes";
    out[n] = '\0';
    *out_len = n;
    return NULL;
}

/* -------------------------------------------------------------- the API */

df_status df_gazetteer_add(df_gazetteer *g, const char *kind_name, const char *name,
                           const char *const *aliases, size_t alias_count, df_error *err) {
    if (g == NULL || kind_name == NULL || name == NULL || (aliases == NULL && alias_count > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (!df_valid_kind(kind_name, strlen(kind_name)))
        return df_fail(err, DF_EARG, 0, 0,
                       "bad kind '%.64s' (1 to 64 of A-Z a-z 0-9 - _)",
                       kind_name);
    int64_t kind = intern_kind(g, kind_name, strlen(kind_name));
    if (kind < 0)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory adding an entity");
    size_t longest = strlen(name);
    for (size_t i = 0; i < alias_count; i++) {
        if (aliases[i] == NULL)
            return df_fail(err, DF_EARG, 0, 0, "alias %zu is NULL", i + 1);
        size_t n = strlen(aliases[i]);
        longest = n > longest ? n : longest;
    }
    char *buf = malloc(longest + 1);
    if (buf == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory adding an entity");
    size_t count = g->count, saved_aliases = g->alias_count;
    df_status status = DF_OK;
    const char *why, *reason;
    size_t len, bad;
    int exact;
    uint32_t entity;
    for (size_t i = 0; i <= alias_count && status == DF_OK; i++) {
        const char *item = i == 0 ? name : aliases[i - 1];
        size_t item_len = strlen(item);
        if ((bad = df_utf8_find_invalid(item, item_len, &reason)) != item_len)
            status = df_fail(err, DF_EUTF8, bad, 0, "%s %zu: invalid UTF-8 at "
                             "byte %zu: %s", i == 0 ? "name" : "alias", i, bad, reason);
        else if ((why = parse_item(item, item_len, buf, &len, &exact)) != NULL)
            status = df_fail(err, DF_EARG, 0, 0, "%s '%.64s': %s",
                             i == 0 ? "name" : "alias", item, why);
        else if ((status = i == 0 ? add_entity(g, (uint32_t)kind, buf, len, exact, &entity)
                                  : add_alias(g, entity, buf, len, exact, 0)) != DF_OK)
            status = df_fail(err, status, 0, 0, "out of memory adding an entity");
    }
    free(buf);
    if (status != DF_OK)
        rollback(g, count, saved_aliases);
    return status;
}

/* Where the first c outside double quotes is in s[0..len), or len. */
static size_t find_unquoted(const char *s, size_t len, char c) {
    int quoted = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (s[i] == c && !quoted)
            return i;
    }
    return len;
}

typedef struct line_ctx {
    df_gazetteer *g;
    df_data_lines at;  /* the line being parsed */
    char *buf;         /* an item normalised, room for the longest line */
    size_t buf_size;
    df_error *err;
} line_ctx;

static df_status line_error(line_ctx *c, df_status code, const char *why, const char *item,
                            size_t item_len) {
    const df_data_lines *at = &c->at;
    if (item != NULL)
        return df_fail(c->err, code, at->offset, at->line_no, "%s:%zu: %s in '%.*s'", at->name,
                       at->line_no, why, (int)(item_len > 80 ? 80 : item_len), item);
    return df_fail(c->err, code, at->offset, at->line_no, "%s:%zu: %s", at->name, at->line_no,
                   why);
}

static df_status parse_line(line_ctx *c) {
    const char *s = c->at.line;
    size_t len = c->at.len;
    if (df_grow((void **)&c->buf, &c->buf_size, len + 1, 1) != 0)
        return line_error(c, DF_ENOMEM, "out of memory", NULL, 0);
    const char *sep = memchr(s, ':', len);
    size_t colon = sep != NULL ? (size_t)(sep - s) : len;
    if (sep == NULL)
        return line_error(c, DF_EARG, "expected 'kind: name = aliases'", NULL, 0);
    size_t k0 = 0, k1 = colon;
    while (k0 < k1 && df_is_space((unsigned char)s[k0]))
        k0++;
    while (k1 > k0 && df_is_space((unsigned char)s[k1 - 1]))
        k1--;
    if (!df_valid_kind(s + k0, k1 - k0))
        return df_fail(c->err, DF_EARG, c->at.offset, c->at.line_no,
                       "%s:%zu: bad kind '%.*s' (1 to 64 of A-Z a-z 0-9 - _)", c->at.name,
                       c->at.line_no,
                       (int)(k1 - k0 > 40 ? 40 : k1 - k0), s + k0);
    int64_t kind = intern_kind(c->g, s + k0, k1 - k0);
    if (kind < 0)
        return line_error(c, DF_ENOMEM, "out of memory", NULL, 0);
    const char *rest = s + colon + 1;
    size_t rest_len = len - colon - 1;
    size_t eq = find_unquoted(rest, rest_len, '=');
    const char *why;
    size_t n;
    int exact;
    uint32_t entity;
    if ((why = parse_item(rest, eq, c->buf, &n, &exact)) != NULL)
        return line_error(c, DF_EARG, why, rest, eq);
    if (add_entity(c->g, (uint32_t)kind, c->buf, n, exact, &entity) != DF_OK)
        return line_error(c, DF_ENOMEM, "out of memory", NULL, 0);
    if (eq == rest_len)
        return DF_OK;
    const char *p = rest + eq + 1;
    size_t left = rest_len - eq - 1;
    for (;;) {
        size_t comma = find_unquoted(p, left, ',');
        if ((why = parse_item(p, comma, c->buf, &n, &exact)) != NULL)
            return line_error(c, DF_EARG, why, p, comma);
        if (add_alias(c->g, entity, c->buf, n, exact, 0) != DF_OK)
            return line_error(c, DF_ENOMEM, "out of memory", NULL, 0);
        if (comma == left)
            return DF_OK;
        p += comma + 1;
        left -= comma + 1;
    }
}

df_status df_gazetteer_add_text(df_gazetteer *g, const char *data, size_t len, const char *name,
                             df_error *err) {
    if (g == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    line_ctx c = {.g = g, .err = err};
    df_status status = df_data_lines_open(&c.at, data, len, name, err);
    size_t count = g->count, alias_count = g->alias_count;
    while (status == DF_OK && df_data_lines_next(&c.at))
        status = parse_line(&c);
    free(c.buf);
    if (status != DF_OK)
        rollback(g, count, alias_count);
    return status;
}

static df_status add_text(void *g, const char *data, size_t len, const char *name,
                          df_error *err) {
    return df_gazetteer_add_text(g, data, len, name, err);
}

df_status df_gazetteer_add_file(df_gazetteer *g, const char *path, df_error *err) {
    return df_add_data_file(g, path, add_text, err);
}

df_status df_gazetteer_add_embedded(df_gazetteer *g, df_error *err) {
    return df_gazetteer_add_text(g, (const char *)df_embedded_entities, df_embedded_entities_size,
                                 "<embedded entities>", err);
}
