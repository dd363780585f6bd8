/* Tag rules: a tag name and a condition on a fact (a regex, entity kinds,
 * named entities), read from a line format or added one by one.  The index
 * builder applies them (index_build.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

extern const unsigned char df_embedded_tags[];
extern const size_t df_embedded_tags_size;

df_status df_tag_rules_new(df_tag_rules **out, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory for tag rules");
    return DF_OK;
}

void df_tag_rules_free(df_tag_rules *r) {
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->count; i++)
        df_regex_free(r->rules[i].regex);
    free(r->rules);
    free(r->tags);
    free(r->names);
    df_hmap_free(&r->tag_map);
    df_arena_free(&r->arena);
    free(r);
}

size_t df_tag_rules_count(const df_tag_rules *r) {
    return r != NULL ? r->count : 0;
}

/* ------------------------------------------------------------- the tags */

/* Tag names follow the rule of kind names. */
static int valid_tag(const char *s, size_t len) {
    return df_valid_kind(s, len);
}

typedef struct tag_key {
    const df_tag_rules *r;
    const char *s;
    size_t len;
} tag_key;

static int same_tag(const void *ctx, uint32_t value) {
    const tag_key *k = ctx;
    const char *t = k->r->tags[value];
    return strncmp(t, k->s, k->len) == 0 && t[k->len] == '\0';
}

static uint64_t tag_hash(const char *s, size_t len) {
    return df_hash_mix(df_hash_bytes(DF_HASH_SEED, s, len));
}

uint32_t df_tag_rules_find(const df_tag_rules *r, const char *s, size_t len) {
    tag_key k = {r, s, len};
    const uint32_t *found = df_hmap_get(&r->tag_map, tag_hash(s, len), same_tag, &k);
    return found != NULL ? *found : UINT32_MAX;
}

/* The number of tag s[0..len), made when new; -1 when out of memory. */
static int64_t intern_tag(df_tag_rules *r, const char *s, size_t len) {
    uint32_t found = df_tag_rules_find(r, s, len);
    if (found != UINT32_MAX)
        return found;
    if (r->tag_count >= UINT32_MAX - 1 ||
        df_grow((void **)&r->tags, &r->tag_capacity, r->tag_count + 1, sizeof *r->tags) != 0)
        return -1;
    char *copy = df_arena_strndup(&r->arena, s, len);
    if (copy == NULL || df_hmap_put(&r->tag_map, tag_hash(s, len), (uint32_t)r->tag_count) != 0)
        return -1;
    r->tags[r->tag_count] = copy;
    return (int64_t)r->tag_count++;
}

/* Undo everything after the first `count` rules, `tags` tags and `names`
 * entity names. */
static void rollback(df_tag_rules *r, size_t count, size_t tags, size_t names) {
    for (size_t i = count; i < r->count; i++)
        df_regex_free(r->rules[i].regex);
    r->count = count;
    r->name_count = names;
    if (r->tag_count != tags) {
        r->tag_count = tags;
        df_hmap_clear(&r->tag_map);
        for (size_t i = 0; i < tags; i++)
            (void)df_hmap_put(&r->tag_map, tag_hash(r->tags[i], strlen(r->tags[i])),
                              (uint32_t)i);
    }
}

/* Append a rule for tag s[0..len); the rule's regex (if any) is owned by
 * the rules from here on, even on failure. */
static df_status push_rule(df_tag_rules *r, const char *tag, size_t tag_len, df_tag_rule rule) {
    int64_t t = intern_tag(r, tag, tag_len);
    if (t < 0 ||
        df_grow((void **)&r->rules, &r->capacity, r->count + 1, sizeof *r->rules) != 0) {
        df_regex_free(rule.regex);
        return DF_ENOMEM;
    }
    rule.tag = (uint32_t)t;
    r->rules[r->count++] = rule;
    return DF_OK;
}

static df_status push_name(df_tag_rules *r, const char *s, size_t len) {
    if (df_grow((void **)&r->names, &r->name_capacity, r->name_count + 1, sizeof *r->names) != 0)
        return DF_ENOMEM;
    char *copy = df_arena_strndup(&r->arena, s, len);
    if (copy == NULL)
        return DF_ENOMEM;
    r->names[r->name_count++] = copy;
    return DF_OK;
}

/* -------------------------------------------------------------- the API */

static df_status check_tag(const char *tag, df_error *err) {
    if (!valid_tag(tag, strlen(tag)))
        return df_fail(err, DF_EARG, 0, 0,
                       "bad tag name '%.64s' (1 to 64 of A-Z a-z 0-9 - _)", tag);
    return DF_OK;
}

df_status df_tag_rules_add_regex(df_tag_rules *r, const char *tag, const char *pattern,
                                 size_t len, unsigned flags, df_error *err) {
    if (r == NULL || tag == NULL || (pattern == NULL && len > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    df_status status = check_tag(tag, err);
    df_tag_rule rule = {.type = DF_RULE_REGEX};
    if (status != DF_OK || (status = df_regex_compile(pattern, len, flags, &rule.regex, err)) !=
                               DF_OK)
        return status;
    if (push_rule(r, tag, strlen(tag), rule) != DF_OK)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory adding a tag rule");
    return DF_OK;
}

/* A rule of one name, a kind or an entity, added through the API: its name,
 * then the rule, or neither. */
static df_status push_named_rule(df_tag_rules *r, const char *tag, df_tag_rule rule,
                                 const char *name, size_t len, df_error *err) {
    size_t count = r->count, tags = r->tag_count, names = r->name_count;
    if (push_name(r, name, len) != DF_OK || push_rule(r, tag, strlen(tag), rule) != DF_OK) {
        rollback(r, count, tags, names);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory adding a tag rule");
    }
    return DF_OK;
}

df_status df_tag_rules_add_kind(df_tag_rules *r, const char *tag, const char *kind,
                                df_error *err) {
    if (r == NULL || tag == NULL || kind == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (!df_valid_kind(kind, strlen(kind)))
        return df_fail(err, DF_EARG, 0, 0,
                       "bad kind '%.64s' (1 to 64 of A-Z a-z 0-9 - _)",
                       kind);
    df_status status = check_tag(tag, err);
    if (status != DF_OK)
        return status;
    df_tag_rule rule = {.type = DF_RULE_KINDS, .first_kind = r->name_count, .kind_count = 1,
                        .first_name = r->name_count + 1};
    return push_named_rule(r, tag, rule, kind, strlen(kind), err);
}

df_status df_tag_rules_add_entity(df_tag_rules *r, const char *tag, const char *name,
                                  df_error *err) {
    if (r == NULL || tag == NULL || name == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    df_status status = check_tag(tag, err);
    if (status != DF_OK)
        return status;
    size_t len = strlen(name);
    const char *reason;
    size_t bad = df_utf8_find_invalid(name, len, &reason);
    if (bad != len)
        return df_fail(err, DF_EUTF8, bad, 0,
                       "invalid UTF-8 in the name at byte offset %zu: %s",
                       bad, reason);
    df_tag_rule rule = {.type = DF_RULE_ENTITIES, .first_name = r->name_count, .name_count = 1};
    return push_named_rule(r, tag, rule, name, len, err);
}

/* ------------------------------------------------------------ the format */

typedef struct line_ctx {
    df_tag_rules *r;
    const char *source; /* the input's name, in the arena: the rules keep it */
    df_data_lines at;   /* the line being parsed */
    df_error *err;
} line_ctx;

static df_status line_error(const line_ctx *c, df_status code, size_t offset, const char *fmt,
                            ...) DF_PRINTF(4, 5);

/* Quoted input in messages is cut to this many bytes. */
static int clip(size_t len) {
    return (int)(len > 64 ? 64 : len);
}

static df_status line_error(const line_ctx *c, df_status code, size_t offset, const char *fmt,
                            ...) {
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    return df_fail(c->err, code, c->at.offset + offset, c->at.line_no, "%s:%zu: %s", c->source,
                   c->at.line_no, what);
}

/* "{Name}" at s[i]: the name goes to the rules' names; *next is the index
 * after '}'. */
static df_status parse_braced(const line_ctx *c, const char *s, size_t len, size_t i,
                              size_t at, size_t *next) {
    const char *close = memchr(s + i, '}', len - i);
    if (close == NULL)
        return line_error(c, DF_EARG, at + i, "missing '}' after '%.*s'", clip(len - i), s + i);
    size_t b = i + 1, e = (size_t)(close - s);
    while (b < e && df_is_space((unsigned char)s[b]))
        b++;
    while (e > b && df_is_space((unsigned char)s[e - 1]))
        e--;
    if (b == e || memchr(s + b, '{', e - b) != NULL)
        return line_error(c, DF_EARG, at + i, "bad entity name in '%.*s'",
                          clip((size_t)(close - s) + 1 - i), s + i);
    if (push_name(c->r, s + b, e - b) != DF_OK)
        return line_error(c, DF_ENOMEM, 0, "out of memory");
    *next = (size_t)(close - s) + 1;
    return DF_OK;
}

/* The "@kind" word at s[i..]: the kind goes to the rules' names; *next is
 * the index after the word.  Kinds come before any name to leave out. */
static df_status parse_kind(const line_ctx *c, df_tag_rule *rule, const char *s, size_t len,
                            size_t i, size_t at, size_t *next) {
    size_t start = i;
    while (i < len && !df_is_space((unsigned char)s[i]))
        i++;
    const char *word = s + start;
    size_t n = i - start;
    if (word[0] != '@' || rule->name_count > 0 || !df_valid_kind(word + 1, n - 1))
        return line_error(c, DF_EARG, at + start,
                          "expected @kind (1 to 64 of A-Z a-z 0-9 - _) or -{Name}, not '%.*s'",
                          clip(n), word);
    if (push_name(c->r, word + 1, n - 1) != DF_OK)
        return line_error(c, DF_ENOMEM, 0, "out of memory");
    rule->kind_count++;
    *next = i;
    return DF_OK;
}

/* The words of a rule: "@kind @kind ... -{Name} ..." for DF_RULE_KINDS
 * (kinds, then entities to leave out), "{Name} {Name} ..." for
 * DF_RULE_ENTITIES.  A rule's kinds, then its names, follow each other in
 * the rules' names, so the rule keeps where each run starts and a count. */
static df_status parse_words(const line_ctx *c, df_tag_rule *rule, const char *s, size_t len,
                             size_t at) {
    int kinds = rule->type == DF_RULE_KINDS;
    if (kinds)
        rule->first_kind = c->r->name_count;
    size_t i = 0;
    for (;;) {
        while (i < len && df_is_space((unsigned char)s[i]))
            i++;
        if (i == len)
            break;
        /* A kinds rule names an entity as -{Name}, an entities rule as {Name}. */
        size_t brace = kinds && s[i] == '-' ? i + 1 : i;
        df_status status;
        if (brace < len && s[brace] == '{') {
            if (rule->name_count++ == 0)
                rule->first_name = c->r->name_count;
            status = parse_braced(c, s, len, brace, at, &i);
        } else if (kinds) {
            status = parse_kind(c, rule, s, len, i, at, &i);
        } else {
            return line_error(c, DF_EARG, at + i, "expected '{Name}', not '%.*s'",
                              clip(len - i), s + i);
        }
        if (status != DF_OK)
            return status;
    }
    if (rule->name_count == 0)
        rule->first_name = c->r->name_count;
    return DF_OK;
}

static df_status parse_line(const line_ctx *c) {
    const char *s = c->at.line;
    size_t len = c->at.len;
    const char *sep = memchr(s, ':', len);
    if (sep == NULL)
        return line_error(c, DF_EARG, 0, "expected 'tag: rule'");
    size_t t0 = 0, t1 = (size_t)(sep - s);
    while (t0 < t1 && df_is_space((unsigned char)s[t0]))
        t0++;
    while (t1 > t0 && df_is_space((unsigned char)s[t1 - 1]))
        t1--;
    if (!valid_tag(s + t0, t1 - t0))
        return line_error(c, DF_EARG, t0, "bad tag name '%.*s' (1 to 64 of A-Z a-z 0-9 - _)",
                          clip(t1 - t0), s + t0);
    size_t b = (size_t)(sep - s) + 1, e = len;
    while (b < e && df_is_space((unsigned char)s[b]))
        b++;
    while (e > b && df_is_space((unsigned char)s[e - 1]))
        e--;
    if (b == e)
        return line_error(c, DF_EARG, b, "tag '%.*s' has an empty rule", clip(t1 - t0),
                          s + t0);
    df_tag_rule rule = {.source = c->source, .line = c->at.line_no};
    df_status status;
    if (s[b] == '@' || s[b] == '{') {
        rule.type = s[b] == '@' ? DF_RULE_KINDS : DF_RULE_ENTITIES;
        status = parse_words(c, &rule, s + b, e - b, b);
    } else {
        df_error inner;
        rule.type = DF_RULE_REGEX;
        status = df_regex_compile(s + b, e - b, DF_CASELESS, &rule.regex, &inner);
        if (status != DF_OK)
            return df_fail(c->err, status, c->at.offset + b + inner.offset, c->at.line_no,
                           "%s:%zu: tag '%.*s': %s", c->source, c->at.line_no, (int)(t1 - t0),
                           s + t0, inner.message);
    }
    if (status != DF_OK)
        return status;
    if (push_rule(c->r, s + t0, t1 - t0, rule) != DF_OK)
        return line_error(c, DF_ENOMEM, 0, "out of memory");
    return DF_OK;
}

df_status df_tag_rules_add_text(df_tag_rules *r, const char *data, size_t len, const char *name,
                             df_error *err) {
    if (r == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    line_ctx c = {.r = r, .err = err};
    df_status status = df_data_lines_open(&c.at, data, len, name, err);
    if (status != DF_OK)
        return status;
    c.source = df_arena_strndup(&r->arena, c.at.name, strlen(c.at.name));
    if (c.source == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "%s: out of memory", c.at.name);
    size_t count = r->count, tags = r->tag_count, names = r->name_count;
    while (status == DF_OK && df_data_lines_next(&c.at))
        status = parse_line(&c);
    if (status != DF_OK)
        rollback(r, count, tags, names);
    return status;
}

static df_status add_text(void *r, const char *data, size_t len, const char *name,
                          df_error *err) {
    return df_tag_rules_add_text(r, data, len, name, err);
}

df_status df_tag_rules_add_file(df_tag_rules *r, const char *path, df_error *err) {
    return df_add_data_file(r, path, add_text, err);
}

df_status df_tag_rules_add_embedded(df_tag_rules *r, df_error *err) {
    return df_tag_rules_add_text(r, (const char *)df_embedded_tags, df_embedded_tags_size,
                                 "<embedded tags>", err);
}
