/* The index: built once from a corpus, a gazetteer and tag rules, then
 * read-only.  Every per-fact list is a slice of one shared array (offsets
 * table + data, as the corpus stores facts), so the build does a handful of
 * large allocations, not one per fact:
 *
 *   fact -> mentions, entities, tags, years, film references
 *   entity -> facts, tag -> facts      (transposed from the above)
 *
 * One pass of the entity matcher over each fact yields the mentions, from
 * which come the entities, years and film references; then the tag rules.
 * On a large corpus the aliases and the word-list tag regexes run as one
 * multi-pattern scan over the ASCII and Latin facts, the other regexes as
 * another (index_multiscan.c), PCRE2 over the rest and where the scans
 * cannot tell; on a small one the databases would cost more to compile
 * than they save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

typedef struct index_entity {
    const char *name;
    const char *kind;                  /* in the arena, shared by the kind's entities */
    uint32_t first_alias, alias_count; /* into alias_names */
    uint32_t mention_count;
} index_entity;

struct df_index {
    const df_corpus *corpus;   /* borrowed */
    size_t facts;
    df_arena arena;            /* names, aliases, tag names */

    index_entity *entities;
    size_t entity_count;
    unsigned char *is_film;    /* per entity, for the film-reference scanner */
    const char **alias_names;  /* aliases shown to users, grouped by entity */
    df_alias *aliases;         /* every name and alias, for matching */
    size_t alias_count;
    df_entmatch *matcher;      /* NULL without entities */

    uint32_t *mention_at;      /* facts + 1 offsets into mentions */
    df_mention *mentions;
    uint32_t *entities_at;     /* facts + 1 offsets into fact_entities */
    uint32_t *fact_entities;
    uint32_t *facts_of_at;     /* entity_count + 1 offsets into entity_facts */
    uint32_t *entity_facts;

    const char **tags;         /* tag names */
    size_t tag_count;
    df_hmap tag_map;           /* name -> tag */
    uint32_t *tag_at;          /* tag_count + 1 offsets into tag_facts */
    uint32_t *tag_facts;
    uint32_t *tags_at;         /* facts + 1 offsets into fact_tags */
    uint32_t *fact_tags;

    uint32_t *years_at;        /* facts + 1 offsets into years */
    uint16_t *years;
    uint32_t *films_at;        /* facts + 1 offsets into films */
    df_film_ref *films;

    unsigned char *fact_class; /* during the build, when scanned: df_fact_class */
    size_t memory;
};

#define BIT_SET(bits, i) ((bits)[(i) / 64] |= (uint64_t)1 << ((i) % 64))
#define BIT_GET(bits, i) (((bits)[(i) / 64] >> ((i) % 64)) & 1u)

/* The lowest bit set in w, which is not 0. */
static unsigned lowest_bit(uint64_t w) {
    return (unsigned)__builtin_ctzll(w);
}

/* The bits of word w of a set of n facts that stand for facts. */
static uint64_t fact_bits(size_t w, size_t n) {
    return w < n / 64 ? ~(uint64_t)0 : ((uint64_t)1 << (n % 64)) - 1;
}

/* A growing array of fixed-size elements. */
typedef struct vec {
    void *data;
    size_t count, capacity;
} vec;

static int vec_push(vec *v, const void *item, size_t size) {
    if (df_grow(&v->data, &v->capacity, v->count + 1, size) != 0)
        return -1;
    memcpy((char *)v->data + v->count * size, item, size);
    v->count++;
    return 0;
}

/* Element i of a vector (which may still be unallocated when i == 0). */
static void *vec_at(const vec *v, size_t i, size_t size) {
    return v->data != NULL ? (char *)v->data + i * size : NULL;
}

/* Trim a finished vector to its size (keeping it when realloc will not);
 * never NULL, so that slices of it are always valid pointers.  NULL only
 * when even one element cannot be had. */
static void *vec_take(vec *v, size_t size) {
    if (v->data == NULL)
        return calloc(1, size);
    void *shrunk = realloc(v->data, (v->count ? v->count : 1) * size);
    return shrunk != NULL ? shrunk : v->data;
}

void df_index_free(df_index *x) {
    if (x == NULL)
        return;
    df_arena_free(&x->arena);
    free(x->entities);
    free(x->is_film);
    free(x->alias_names);
    free(x->aliases);
    df_entmatch_free(x->matcher);
    free(x->mention_at);
    free(x->mentions);
    free(x->entities_at);
    free(x->fact_entities);
    free(x->facts_of_at);
    free(x->entity_facts);
    free(x->tags);
    df_hmap_free(&x->tag_map);
    free(x->tag_at);
    free(x->tag_facts);
    free(x->tags_at);
    free(x->fact_tags);
    free(x->years_at);
    free(x->years);
    free(x->films_at);
    free(x->films);
    free(x->fact_class);
    free(x);
}

static df_status nomem(df_error *err) {
    return df_fail(err, DF_ENOMEM, 0, 0, "out of memory building the index");
}

static void *alloc_array(size_t count, size_t size) {
    if (count == 0)
        count = 1;
    return count <= SIZE_MAX / size ? calloc(count, size) : NULL;
}

/* --------------------------------------------------- copy of the gazetteer */

/* An alias text of one entity, as a key of the set of listed names. */
typedef struct alias_key {
    const df_alias *aliases;
    uint32_t entity;
    const char *text;
} alias_key;

static uint64_t alias_name_hash(uint32_t entity, const char *text) {
    return df_hash_bytes(df_hash_bytes(DF_HASH_SEED, &entity, sizeof entity), text, strlen(text));
}

static int same_alias_name(const void *ctx, uint32_t value) {
    const alias_key *k = ctx;
    const df_alias *al = &k->aliases[value];
    return al->entity == k->entity && strcmp(al->text, k->text) == 0;
}

/* The aliases users see: grouped by entity (a counting sort), without the
 * canonical name and without repeats (an alias may be in the gazetteer
 * twice, with exact case and without).  A hash set finds the repeats, so
 * an entity with 100,000 aliases costs no more than 100,000 entities.  An
 * entity's range keeps room for all its aliases; the listed ones come
 * first, alias_count of them. */
static df_status list_alias_names(df_index *x, size_t n, size_t a) {
    uint32_t *entity_of = alloc_array(a, sizeof *entity_of);
    size_t *at = alloc_array(n + 1, sizeof *at), *slot = alloc_array(a, sizeof *slot);
    df_hmap listed = {0};
    df_status status = entity_of != NULL && at != NULL && slot != NULL ? DF_OK : DF_ENOMEM;
    if (status == DF_OK) {
        for (size_t i = 0; i < a; i++)
            entity_of[i] = x->aliases[i].entity;
        df_counting_sort(entity_of, a, n, at, slot);
        for (size_t i = 0; i < n; i++)
            x->entities[i].first_alias = (uint32_t)at[i];
    }
    for (size_t i = 0; i < a && status == DF_OK; i++) {
        const df_alias *al = &x->aliases[i];
        index_entity *e = &x->entities[al->entity];
        alias_key key = {x->aliases, al->entity, al->text};
        uint64_t h = alias_name_hash(al->entity, al->text);
        if (strcmp(al->text, e->name) == 0 || df_hmap_get(&listed, h, same_alias_name, &key))
            continue;
        if (df_hmap_put(&listed, h, (uint32_t)i) != 0)
            status = DF_ENOMEM;
        else
            x->alias_names[e->first_alias + e->alias_count++] = al->text;
    }
    free(entity_of);
    free(at);
    free(slot);
    df_hmap_free(&listed);
    return status;
}

static df_status copy_gazetteer(df_index *x, const df_gazetteer *g, df_error *err) {
    size_t n = g->count, a = g->alias_count;
    x->entities = alloc_array(n, sizeof *x->entities);
    x->is_film = alloc_array(n, sizeof *x->is_film);
    const char **kinds = alloc_array(g->kind_count, sizeof *kinds);
    x->aliases = alloc_array(a, sizeof *x->aliases);
    x->alias_names = alloc_array(a, sizeof *x->alias_names);
    if (kinds == NULL || x->entities == NULL || x->is_film == NULL || x->aliases == NULL ||
        x->alias_names == NULL) {
        free(kinds);
        return nomem(err);
    }
    for (size_t k = 0; k < g->kind_count; k++)
        if ((kinds[k] = df_arena_strndup(&x->arena, g->kinds[k], strlen(g->kinds[k]))) == NULL) {
            free(kinds);
            return nomem(err);
        }
    x->entity_count = n;
    x->alias_count = a;
    for (size_t i = 0; i < n; i++) {
        const df_gz_entity *e = &g->entities[i];
        x->entities[i].name = df_arena_strndup(&x->arena, e->name, e->len);
        x->entities[i].kind = kinds[e->kind];
        x->is_film[i] = strcmp(kinds[e->kind], "film") == 0;
        if (x->entities[i].name == NULL) {
            free(kinds);
            return nomem(err);
        }
    }
    free(kinds);
    for (size_t i = 0; i < a; i++) {
        x->aliases[i] = g->aliases[i];
        x->aliases[i].text = df_arena_strndup(&x->arena, g->aliases[i].text, g->aliases[i].len);
        if (x->aliases[i].text == NULL)
            return nomem(err);
    }
    df_status status = list_alias_names(x, n, a);
    if (status != DF_OK)
        return nomem(err);
    return df_entmatch_new(x->aliases, a, &x->matcher, err);
}

/* ------------------------------------------------------- the fact scan */

/* Per rule, the ASCII facts it matches, as the multi-pattern scans find
 * them: `fact` is the one being scanned. */
typedef struct decided_sink {
    uint64_t *decided;
    size_t words, fact;
    uint64_t *unsure;        /* per rule: facts beyond ASCII PCRE2 must judge */
} decided_sink;

static void mark_decided(void *ctx, uint32_t rule) {
    decided_sink *d = ctx;
    BIT_SET(d->decided + rule * d->words, d->fact);
}

/* A rule of fact number k of those an alias scan read from d->fact on. */
static void mark_decided_in(void *ctx, size_t k, uint32_t rule) {
    decided_sink *d = ctx;
    BIT_SET(d->decided + rule * d->words, d->fact + k);
}

static void mark_unsure(void *ctx, uint32_t rule) {
    decided_sink *d = ctx;
    BIT_SET(d->unsure + rule * d->words, d->fact);
}

/* The multi-pattern scanners of one build (index_multiscan.c). */
typedef struct scanners {
    df_aliasscan *aliases;     /* NULL: PCRE2 finds every mention */
    df_rulescan *rules;        /* NULL: PCRE2 decides every regex rule */
    int rules_in_aliases;      /* the alias scan of a flat fact decides the literal rules */
    uint64_t *decided;         /* with rules: per rule, words each, the facts matched */
    uint64_t *unsure;          /* the same shape: the screened facts PCRE2 must judge */
    size_t words;
} scanners;

typedef struct scan_state {
    vec mentions;            /* df_mention */
    vec fact_entities;       /* uint32_t */
    vec years;               /* uint16_t */
    vec films;               /* df_film_ref */
    uint32_t *last_fact;     /* per entity: the last fact it was seen in */
    decided_sink decided;    /* the rules an alias scan decides on the way */
    size_t run_from, run_to; /* the facts the last df_aliasscan_run read */
} scan_state;

static int push_year(void *ctx, unsigned year) {
    uint16_t y = (uint16_t)year;
    return vec_push(&((scan_state *)ctx)->years, &y, sizeof y);
}

static int push_film(void *ctx, const df_film_ref *ref) {
    return vec_push(&((scan_state *)ctx)->films, ref, sizeof *ref);
}

static void sort_u32(uint32_t *a, size_t n) {
    for (size_t i = 1; i < n; i++) {
        uint32_t v = a[i];
        size_t j = i;
        for (; j > 0 && a[j - 1] > v; j--)
            a[j] = a[j - 1];
        a[j] = v;
    }
}

/* Sort years[from..) and drop repeats; returns the new count. */
static size_t unique_years(uint16_t *y, size_t from, size_t count) {
    for (size_t i = from + 1; i < count; i++) {
        uint16_t v = y[i];
        size_t j = i;
        for (; j > from && y[j - 1] > v; j--)
            y[j] = y[j - 1];
        y[j] = v;
    }
    size_t out = from;
    for (size_t i = from; i < count; i++)
        if (out == from || y[out - 1] != y[i])
            y[out++] = y[i];
    return out;
}

/* Where a failure inside fact i happened, before its message. */
static df_status fact_error(const df_index *x, size_t i, df_status status, df_error *err) {
    const df_fact_entry *f = &x->corpus->facts[i];
    return df_fail_in_fact(err, status, df_corpus_source_of(x->corpus, f), f->line, i + 1);
}

/* A mention of fact i found by either matcher, appended to st. */
typedef struct mention_sink {
    df_index *x;
    scan_state *st;
    uint32_t fact;
} mention_sink;

static int add_mention(void *ctx, size_t start, size_t end, uint32_t alias) {
    mention_sink *k = ctx;
    scan_state *st = k->st;
    uint32_t e = k->x->aliases[alias].entity;
    df_mention m = {.entity = e, .start = (uint32_t)start, .end = (uint32_t)end};
    if (vec_push(&st->mentions, &m, sizeof m) != 0)
        return -1;
    k->x->entities[e].mention_count++;
    if (st->last_fact[e] != k->fact) {
        st->last_fact[e] = k->fact;
        if (vec_push(&st->fact_entities, &e, sizeof e) != 0)
            return -1;
    }
    return 0;
}

/* The most bytes of facts one alias scan reads together: enough that the
 * cost of a call is lost in the scan, few enough that their matches stay
 * in the cache. */
#define RUN_BYTES ((size_t)16 << 10)

static int runs_with_others(unsigned fact_class) {
    return (fact_class & DF_FACT_ASCII) && (fact_class & DF_FACT_FLAT);
}

/* The end of the run of facts from i on that df_aliasscan_run can read in
 * one scan: each one fit for it and right after the one before, one NUL
 * between them. */
static size_t run_end(const df_index *x, size_t i) {
    const df_corpus *c = x->corpus;
    const df_fact_entry *f = c->facts;
    size_t j = i + 1, bytes = f[i].len;
    for (; j < x->facts && runs_with_others(x->fact_class[j]); j++) {
        size_t gap = f[j - 1].offset + f[j - 1].len;
        if (f[j].offset != gap + 1 || c->text[gap] != '\0' || bytes + f[j].len > RUN_BYTES)
            break;
        bytes += f[j].len + 1;
    }
    return j;
}

/* The mentions of fact i by the alias scan: with the facts after it that
 * can share one scan, then from the matches of that scan. */
static df_status take_mentions(df_index *x, scan_state *st, df_aliasscan *fast, size_t i,
                               mention_sink *sink, df_error *err) {
    df_status status = DF_OK;
    if (i >= st->run_to) {
        st->run_from = st->decided.fact = i;
        st->run_to = run_end(x, i);
        df_scan_sinks sinks = {add_mention, sink, mark_decided_in, &st->decided};
        status = df_aliasscan_run(fast, x->corpus->text, x->corpus->facts + i,
                                  st->run_to - i, &sinks, err);
    }
    if (status == DF_OK)
        status = df_aliasscan_take(fast, i - st->run_from, add_mention, sink, err);
    return status;
}

/* The entity mentions of fact i, appended to st: by the multi-pattern scan
 * when the fact is ASCII and there is one, else by the PCRE2 matcher. */
static df_status scan_mentions(df_index *x, scan_state *st, df_entscan *scan,
                               df_aliasscan *fast, size_t i, df_error *err) {
    const df_fact_entry *f = &x->corpus->facts[i];
    const char *text = x->corpus->text + f->offset;
    mention_sink sink = {x, st, (uint32_t)i};
    df_status status;
    unsigned cls = fast != NULL ? x->fact_class[i] : 0u;
    if (runs_with_others(cls)) {
        status = take_mentions(x, st, fast, i, &sink, err);
        return status == DF_OK ? DF_OK : fact_error(x, i, status, err);
    }
    if ((cls & DF_FACT_ASCII) || ((cls & DF_FACT_LATIN) && df_aliasscan_latin(fast))) {
        st->decided.fact = i;
        df_scan_sinks sinks = {add_mention, &sink, mark_decided_in, &st->decided};
        status = df_aliasscan_fact(fast, text, f->len, x->fact_class[i], &sinks, err);
        return status == DF_OK ? DF_OK : fact_error(x, i, status, err);
    }
    size_t start, end;
    uint32_t alias;
    df_entscan_reset(scan, text, f->len);
    while ((status = df_entscan_next(scan, &start, &end, &alias, err)) == DF_OK)
        if (add_mention(&sink, start, end, alias) != 0)
            return nomem(err);
    return status == DF_NOMATCH ? DF_OK : fact_error(x, i, status, err);
}

static df_status scan_facts(df_index *x, const scanners *sc, df_error *err) {
    const df_corpus *c = x->corpus;
    size_t n = x->facts;
    df_aliasscan *fast = sc->aliases;
    scan_state st = {.decided = {sc->decided, sc->words, 0, sc->unsure}};
    df_entscan *scan = NULL;
    df_status status = DF_OK;
    x->mention_at = alloc_array(n + 1, sizeof(uint32_t));
    x->entities_at = alloc_array(n + 1, sizeof(uint32_t));
    x->years_at = alloc_array(n + 1, sizeof(uint32_t));
    x->films_at = alloc_array(n + 1, sizeof(uint32_t));
    st.last_fact = alloc_array(x->entity_count, sizeof(uint32_t));
    if (x->mention_at == NULL || x->entities_at == NULL || x->years_at == NULL ||
        x->films_at == NULL || st.last_fact == NULL) {
        status = nomem(err);
        goto done;
    }
    for (size_t e = 0; e < x->entity_count; e++)
        st.last_fact[e] = UINT32_MAX;
    if (x->matcher != NULL && (status = df_entscan_new(x->matcher, &scan, err)) != DF_OK)
        goto done;
    df_ref_sink sink = {push_year, push_film, &st};
    for (size_t i = 0; i < n; i++) {
        const df_fact_entry *f = &c->facts[i];
        const char *text = c->text + f->offset;
        size_t first_mention = st.mentions.count, first_entity = st.fact_entities.count;
        if (scan != NULL && (status = scan_mentions(x, &st, scan, fast, i, err)) != DF_OK)
            goto done;
        sort_u32(vec_at(&st.fact_entities, first_entity, sizeof(uint32_t)),
                 st.fact_entities.count - first_entity);
        size_t first_year = st.years.count;
        status = df_scan_years_films(text, f->len,
                                     vec_at(&st.mentions, first_mention, sizeof(df_mention)),
                                     st.mentions.count - first_mention, x->is_film, &sink);
        if (status != DF_OK) {
            status = nomem(err);
            goto done;
        }
        st.years.count = unique_years(st.years.data, first_year, st.years.count);
        x->mention_at[i + 1] = (uint32_t)st.mentions.count;
        x->entities_at[i + 1] = (uint32_t)st.fact_entities.count;
        x->years_at[i + 1] = (uint32_t)st.years.count;
        x->films_at[i + 1] = (uint32_t)st.films.count;
    }
done:
    df_entscan_free(scan);
    free(st.last_fact);
    x->mentions = vec_take(&st.mentions, sizeof(df_mention));
    x->fact_entities = vec_take(&st.fact_entities, sizeof(uint32_t));
    x->years = vec_take(&st.years, sizeof(uint16_t));
    x->films = vec_take(&st.films, sizeof(df_film_ref));
    if (status == DF_OK && (x->mentions == NULL || x->fact_entities == NULL ||
                            x->years == NULL || x->films == NULL))
        status = nomem(err);
    return status;
}

/* Turn row -> column lists (row r
 * holds items[at[r]..at[r + 1]), each item a column number + item_base)
 * into column -> row lists (rows as row number + row_base), rows
 * ascending in each, by df_counting_sort. */
static df_status transpose(size_t rows, const uint32_t *at, const uint32_t *items,
                           uint32_t item_base, size_t columns, uint32_t row_base,
                           uint32_t **out_at, uint32_t **out_rows) {
    size_t n = at[rows];
    uint32_t *keys = item_base != 0 ? alloc_array(n, sizeof *keys) : NULL;
    size_t *column_at = alloc_array(columns + 1, sizeof *column_at);
    size_t *slot = alloc_array(n, sizeof *slot);
    uint32_t *t_at = alloc_array(columns + 1, sizeof *t_at);
    uint32_t *t = alloc_array(n, sizeof *t);
    df_status status = DF_OK;
    if ((item_base != 0 && keys == NULL) || column_at == NULL || slot == NULL || t_at == NULL ||
        t == NULL) {
        free(t_at);
        free(t);
        status = DF_ENOMEM;
    } else {
        for (size_t k = 0; keys != NULL && k < n; k++)
            keys[k] = items[k] - item_base;
        /* Items in row order, so each column's rows come out ascending. */
        df_counting_sort(keys != NULL ? keys : items, n, columns, column_at, slot);
        for (size_t r = 0; r < rows; r++)
            for (uint32_t k = at[r]; k < at[r + 1]; k++)
                t[slot[k]] = (uint32_t)r + row_base;
        for (size_t col = 0; col <= columns; col++)
            t_at[col] = (uint32_t)column_at[col];
        *out_at = t_at;
        *out_rows = t;
    }
    free(keys);
    free(column_at);
    free(slot);
    return status;
}

/* ------------------------------------------------------------------ tags */

static uint64_t tag_hash(const char *s, size_t len) {
    return df_hash_mix(df_hash_bytes(DF_HASH_SEED, s, len));
}

static int same_tag(const void *ctx, uint32_t value) {
    const void *const *k = ctx; /* {index, name} */
    const df_index *x = k[0];
    return strcmp(x->tags[value], k[1]) == 0;
}

static df_status rule_error(const df_index *x, const df_tag_rule *rule, df_status code,
                            const char *what, df_error *err) {
    if (rule->source != NULL)
        return df_fail(err, code, 0, rule->line, "%s:%zu: tag '%s': %s", rule->source,
                       rule->line, x->tags[rule->tag], what);
    return df_fail(err, code, 0, 0, "tag '%s': %s", x->tags[rule->tag], what);
}

/* What the rules of one build share. */
typedef struct rule_pass {
    const df_tag_rules *rules;
    uint64_t *bits;            /* the facts of the tag being built */
    unsigned char *wanted;     /* per entity, for a kinds or entities rule */
    const scanners *sc;
    const df_rulescan *fast;   /* sc->rules */
    uint64_t *decided;         /* sc->decided */
    uint64_t *ascii;           /* with fast: the DF_FACT_ASCII facts */
    uint64_t *screened;        /* with fast: the DF_FACT_SCREENED facts */
    size_t words;              /* of a set of facts */
} rule_pass;

/* A multi-pattern scan of each ASCII fact decides the fast rules: here,
 * but for the literal rules of the flat facts the alias scan decided.  The
 * literal rules screen the other facts: PCRE2 then runs only where they
 * cannot tell. */
static df_status decide_rules(df_index *x, rule_pass *p, df_error *err) {
    decided_sink sink = {p->decided, p->words, 0, p->sc->unsure};
    const df_corpus *c = x->corpus;
    for (size_t i = 0; i < x->facts; i++) {
        const df_fact_entry *f = &c->facts[i];
        const char *text = c->text + f->offset;
        unsigned char *cls = &x->fact_class[i];
        df_status status = DF_OK;
        sink.fact = i;
        if (*cls & DF_FACT_ASCII) {
            int literals = !(p->sc->rules_in_aliases && (*cls & DF_FACT_FLAT));
            status = df_rulescan_fact(p->sc->rules, text, f->len, literals, mark_decided, &sink,
                                      err);
        } else if (!df_has_ascii_fold(text, f->len)) {
            *cls |= DF_FACT_SCREENED;
            status = df_rulescan_screen(p->sc->rules, text, f->len, mark_decided, mark_unsure,
                                        &sink, err);
        }
        if (status != DF_OK)
            return fact_error(x, i, status, err);
    }
    return DF_OK;
}

/* The facts of word w of the sets that PCRE2 must match with a rule: those
 * not in the tag yet, but the ASCII ones when the scan decided the rule
 * (`decided`), and the screened ones its literals did not hit (`unsure`). */
static uint64_t left_to_pcre2(const rule_pass *p, size_t w, size_t n, const uint64_t *decided,
                              const uint64_t *unsure) {
    uint64_t left = ~p->bits[w] & fact_bits(w, n);
    if (decided != NULL)
        left &= ~p->ascii[w];
    if (unsure != NULL)
        left &= ~(p->screened[w] & ~unsure[w]);
    return left;
}

static df_status regex_error(const df_index *x, const df_tag_rule *rule, size_t i,
                             df_status status, df_error *err) {
    char what[DF_ERROR_MESSAGE_SIZE];
    int n = snprintf(what, sizeof what, "fact %zu: ", i + 1);
    if (err != NULL && n > 0 && (size_t)n < sizeof what)
        memcpy(what + n, err->message, sizeof what - (size_t)n - 1);
    what[sizeof what - 1] = '\0';
    return rule_error(x, rule, status, what, err);
}

/* The facts rule number r matches into p->bits: the ASCII ones as decided,
 * the others (all of them for a rule the scan does not decide) by PCRE2,
 * a word of the fact sets at a time: on an ASCII corpus, none. */
static df_status apply_regex(df_index *x, const rule_pass *p, size_t r, df_error *err) {
    const df_tag_rule *rule = &p->rules->rules[r];
    const uint64_t *decided = df_rulescan_decides(p->fast, r) ? p->decided + r * p->words : NULL;
    const uint64_t *unsure = df_rulescan_literal(p->fast, r) ? p->sc->unsure + r * p->words : NULL;
    df_matcher *m;
    df_status status = df_matcher_new(rule->regex, NULL, &m, err);
    if (status != DF_OK)
        return status;
    const df_corpus *c = x->corpus;
    /* The decided set holds sure matches only: a word at a time. */
    for (size_t w = 0; decided != NULL && w < p->words; w++)
        p->bits[w] |= decided[w];
    for (size_t w = 0; w < p->words && status == DF_OK; w++) {
        for (uint64_t left = left_to_pcre2(p, w, x->facts, decided, unsure);
             left != 0 && status == DF_OK; left &= left - 1) {
            size_t i = w * 64 + lowest_bit(left);
            const df_fact_entry *f = &c->facts[i];
            df_cursor cursor;
            const size_t *ov;
            df_cursor_init(&cursor, 0);
            status = df_matcher_next(m, c->text + f->offset, f->len, &cursor, &ov, err);
            if (status == DF_OK)
                BIT_SET(p->bits, i);
            else if (status != DF_NOMATCH)
                status = regex_error(x, rule, i, status, err);
            else
                status = DF_OK;
        }
    }
    df_matcher_free(m);
    return status;
}

static df_status apply_entities(df_index *x, const rule_pass *p, size_t r, df_error *err) {
    const df_tag_rules *rules = p->rules;
    const df_tag_rule *rule = &rules->rules[r];
    uint64_t *bits = p->bits;
    unsigned char *wanted = p->wanted;
    memset(wanted, 0, x->entity_count ? x->entity_count : 1);
    for (size_t k = 0; k < x->entity_count; k++)
        for (size_t j = 0; rule->type == DF_RULE_KINDS && j < rule->kind_count && !wanted[k]; j++)
            wanted[k] = strcmp(rules->names[rule->first_kind + j], x->entities[k].kind) == 0;
    /* Named entities join an entities rule, or leave a kinds rule. */
    for (size_t k = 0; k < rule->name_count; k++) {
        const char *name = rules->names[rule->first_name + k];
        uint32_t alias;
        df_status status = x->matcher != NULL
                               ? df_entmatch_lookup(x->matcher, name, strlen(name), &alias, err)
                               : DF_NOMATCH;
        if (status == DF_NOMATCH) {
            char what[200];
            snprintf(what, sizeof what, "unknown entity '%.120s'", name);
            return rule_error(x, rule, DF_EARG, what, err);
        }
        if (status != DF_OK)
            return status;
        wanted[x->aliases[alias].entity] = rule->type == DF_RULE_ENTITIES;
    }
    /* The facts of each wanted entity (ids, from 1), not every fact's list. */
    for (size_t e = 0; e < x->entity_count; e++)
        for (uint32_t k = x->facts_of_at[e]; wanted[e] && k < x->facts_of_at[e + 1]; k++)
            BIT_SET(bits, x->entity_facts[k] - 1);
    return DF_OK;
}

/* The tag names, owned by the index, and the map from name to tag. */
static df_status copy_tag_names(df_index *x, const df_tag_rules *rules) {
    x->tag_count = rules->tag_count;
    for (size_t t = 0; t < rules->tag_count; t++) {
        size_t len = strlen(rules->tags[t]);
        if ((x->tags[t] = df_arena_strndup(&x->arena, rules->tags[t], len)) == NULL ||
            df_hmap_put(&x->tag_map, tag_hash(x->tags[t], len), (uint32_t)t) != 0)
            return DF_ENOMEM;
    }
    return DF_OK;
}

/* Append the ids of the facts whose bits are set, in order. */
static df_status push_tagged(vec *facts, const uint64_t *bits, size_t n, df_error *err) {
    for (size_t w = 0; w <= n / 64; w++)
        for (uint64_t set = bits[w] & fact_bits(w, n); set != 0; set &= set - 1) {
            uint32_t id = (uint32_t)(w * 64 + lowest_bit(set) + 1);
            if (facts->count >= UINT32_MAX - 1)
                return df_fail(err, DF_ETOOBIG, 0, 0, "too many tagged facts to index");
            if (vec_push(facts, &id, sizeof id) != 0)
                return nomem(err);
        }
    return DF_OK;
}

/* Each tag's facts: the rules of the tag one after the other (grouped by
 * tag, in the order given), each adding the facts it holds for. */
static df_status tag_facts(df_index *x, rule_pass *p, vec *facts, df_error *err) {
    const df_tag_rules *rules = p->rules;
    uint32_t *tag_of = alloc_array(rules->count, sizeof *tag_of);
    size_t *slot = alloc_array(rules->count, sizeof *slot);
    size_t *rule_at = alloc_array(rules->tag_count + 1, sizeof *rule_at);
    uint32_t *order = alloc_array(rules->count, sizeof *order);
    df_status status = DF_OK;
    if (tag_of == NULL || slot == NULL || rule_at == NULL || order == NULL)
        status = nomem(err);
    for (size_t r = 0; r < rules->count && status == DF_OK; r++)
        tag_of[r] = rules->rules[r].tag;
    if (status == DF_OK) {
        df_counting_sort(tag_of, rules->count, rules->tag_count, rule_at, slot);
        for (size_t r = 0; r < rules->count; r++)
            order[slot[r]] = (uint32_t)r;
    }
    for (size_t t = 0; t < rules->tag_count && status == DF_OK; t++) {
        memset(p->bits, 0, p->words * sizeof *p->bits);
        for (size_t k = rule_at[t]; k < rule_at[t + 1] && status == DF_OK; k++)
            status = rules->rules[order[k]].type == DF_RULE_REGEX
                         ? apply_regex(x, p, order[k], err)
                         : apply_entities(x, p, order[k], err);
        if (status == DF_OK)
            status = push_tagged(facts, p->bits, x->facts, err);
        x->tag_at[t + 1] = (uint32_t)facts->count;
    }
    free(tag_of);
    free(slot);
    free(rule_at);
    free(order);
    return status;
}

/* The ASCII and the screened facts as sets, for apply_regex to pass over
 * the facts it need not read a word of the sets at a time. */
static df_status class_sets(df_index *x, rule_pass *p, df_error *err) {
    p->ascii = alloc_array(p->words, sizeof *p->ascii);
    p->screened = alloc_array(p->words, sizeof *p->screened);
    if (p->ascii == NULL || p->screened == NULL)
        return nomem(err);
    for (size_t i = 0; i < x->facts; i++) {
        if (x->fact_class[i] & DF_FACT_ASCII)
            BIT_SET(p->ascii, i);
        if (x->fact_class[i] & DF_FACT_SCREENED)
            BIT_SET(p->screened, i);
    }
    return DF_OK;
}

static df_status apply_rules(df_index *x, const df_tag_rules *rules, const scanners *sc,
                             df_error *err) {
    size_t t_count = rules->tag_count, n = x->facts;
    rule_pass p = {.rules = rules, .sc = sc, .fast = sc->rules, .decided = sc->decided,
                   .words = n / 64 + 1};
    x->tags = alloc_array(t_count, sizeof *x->tags);
    x->tag_at = alloc_array(t_count + 1, sizeof *x->tag_at);
    p.bits = alloc_array(p.words, sizeof *p.bits);
    p.wanted = alloc_array(x->entity_count, 1);
    vec facts = {0};
    df_status status = DF_OK;
    if (x->tags == NULL || x->tag_at == NULL || p.bits == NULL || p.wanted == NULL ||
        copy_tag_names(x, rules) != DF_OK)
        status = nomem(err);
    if (status == DF_OK && sc->rules != NULL && (status = decide_rules(x, &p, err)) == DF_OK)
        status = class_sets(x, &p, err);
    if (status == DF_OK)
        status = tag_facts(x, &p, &facts, err);
    x->tag_facts = vec_take(&facts, sizeof(uint32_t));
    if (status == DF_OK && x->tag_facts == NULL)
        status = nomem(err);
    free(p.bits);
    free(p.wanted);
    free(p.ascii);
    free(p.screened);
    if (status != DF_OK)
        return status;
    /* fact -> tags is tag -> facts transposed. */
    if (transpose(t_count, x->tag_at, x->tag_facts, 1, n, 0, &x->tags_at, &x->fact_tags) !=
        DF_OK)
        return nomem(err);
    return DF_OK;
}

/* ----------------------------------------------------------------- build */

static size_t index_memory(const df_index *x) {
    size_t n = x->facts + 1;
    return sizeof *x + x->arena.bytes + df_entmatch_memory(x->matcher) +
           x->entity_count * (sizeof *x->entities + sizeof *x->is_film) +
           x->alias_count * (sizeof *x->aliases + sizeof *x->alias_names) +
           4 * n * sizeof(uint32_t) + /* mention_at, entities_at, years_at, films_at */
           x->mention_at[x->facts] * sizeof *x->mentions +
           x->entities_at[x->facts] * sizeof *x->fact_entities +
           (x->entity_count + 1) * sizeof *x->facts_of_at +
           x->entities_at[x->facts] * sizeof *x->entity_facts +
           x->tag_count * sizeof *x->tags + (x->tag_count + 1) * sizeof *x->tag_at +
           df_hmap_memory(&x->tag_map) +
           2 * x->tag_at[x->tag_count] * sizeof(uint32_t) + n * sizeof *x->tags_at +
           x->years_at[x->facts] * sizeof *x->years +
           x->films_at[x->facts] * sizeof *x->films;
}

/* Compiling the alias literals takes about what PCRE2 spends on 200 KB of
 * facts, the tag regexes about what it spends on 3 MB. */
const df_index_plan df_index_default_plan = {.alias_scan_from = (size_t)256 << 10,
                                             .rule_scan_from = (size_t)4 << 20};

static int has_regex_rule(const df_tag_rules *rules) {
    for (size_t r = 0; r < rules->count; r++)
        if (rules->rules[r].type == DF_RULE_REGEX)
            return 1;
    return 0;
}

/* The multi-pattern scanners the plan asks for (NULL each when not), by the
 * bytes of the facts they can decide: the ASCII ones, classed here.  The
 * rules' literals join the alias database when there is one. */
static df_status make_scanners(df_index *x, const df_tag_rules *rules, const df_index_plan *plan,
                               scanners *sc, df_error *err) {
    const df_corpus *c = x->corpus;
    size_t least = plan->alias_scan_from < plan->rule_scan_from ? plan->alias_scan_from
                                                                : plan->rule_scan_from;
    if (c->text_len < least || (x->matcher == NULL && !has_regex_rule(rules)))
        return DF_OK;
    if ((x->fact_class = alloc_array(x->facts, 1)) == NULL)
        return nomem(err);
    size_t ascii_bytes = 0;
    for (size_t i = 0; i < x->facts; i++) {
        const df_fact_entry *f = &c->facts[i];
        x->fact_class[i] = (unsigned char)df_fact_class(c->text + f->offset, f->len);
        ascii_bytes += x->fact_class[i] & DF_FACT_ASCII ? f->len : 0;
    }
    df_status status = DF_OK;
    sc->words = x->facts / 64 + 1;
    if (has_regex_rule(rules) && ascii_bytes >= plan->rule_scan_from) {
        size_t count = rules->count;
        int fits = count <= SIZE_MAX / 8 / sc->words;
        sc->decided = fits ? alloc_array(count * sc->words, 8) : NULL;
        sc->unsure = fits ? alloc_array(count * sc->words, 8) : NULL;
        if (sc->decided == NULL || sc->unsure == NULL)
            return nomem(err);
        status = df_rulescan_new(rules, &sc->rules, err);
    }
    if (status == DF_OK && x->matcher != NULL && ascii_bytes >= plan->alias_scan_from &&
        (status = df_aliasscan_new(x->aliases, x->alias_count, sc->rules, &sc->aliases, err)) ==
            DF_OK &&
        !df_aliasscan_usable(sc->aliases)) {
        df_aliasscan_free(sc->aliases);
        sc->aliases = NULL;
    }
    sc->rules_in_aliases = sc->aliases != NULL && sc->rules != NULL;
    return status;
}

static df_status build(df_index *x, const df_gazetteer *gazetteer, const df_tag_rules *rules,
                       const df_index_plan *plan, df_error *err) {
    scanners sc = {0};
    df_status status = DF_OK;
    if (gazetteer != NULL)
        status = copy_gazetteer(x, gazetteer, err);
    if (status == DF_OK)
        status = make_scanners(x, rules, plan, &sc, err);
    if (status == DF_OK)
        status = scan_facts(x, &sc, err);
    if (status == DF_OK &&
        transpose(x->facts, x->entities_at, x->fact_entities, 0, x->entity_count, 1,
                  &x->facts_of_at, &x->entity_facts) != DF_OK)
        status = nomem(err);
    if (status == DF_OK)
        status = apply_rules(x, rules, &sc, err);
    df_aliasscan_free(sc.aliases);
    df_rulescan_free(sc.rules);
    free(sc.decided);
    free(sc.unsure);
    free(x->fact_class);
    x->fact_class = NULL;
    return status;
}

df_status df_index_build_planned(const df_corpus *corpus, const df_gazetteer *gazetteer,
                                 const df_tag_rules *rules, const df_index_plan *plan,
                                 df_index **out, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (corpus == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL corpus");
    /* Offsets and ids are 32-bit: every count is bounded by the text size. */
    if (corpus->text_len >= UINT32_MAX || corpus->count >= UINT32_MAX)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%s: %zu bytes is too large to index",
                       corpus->name, corpus->text_len);
    df_index *x = calloc(1, sizeof *x);
    if (x == NULL)
        return nomem(err);
    x->corpus = corpus;
    x->facts = corpus->count;
    df_tag_rules none = {0};
    df_status status = build(x, gazetteer, rules != NULL ? rules : &none, plan, err);
    if (status != DF_OK) {
        df_index_free(x);
        return status;
    }
    x->memory = index_memory(x);
    *out = x;
    return DF_OK;
}

df_status df_index_build(const df_corpus *corpus, const df_gazetteer *gazetteer,
                         const df_tag_rules *rules, df_index **out, df_error *err) {
    return df_index_build_planned(corpus, gazetteer, rules, &df_index_default_plan, out, err);
}

const df_corpus *df_index_corpus(const df_index *x) {
    return x != NULL ? x->corpus : NULL;
}

size_t df_index_memory(const df_index *x) {
    return x != NULL ? x->memory : 0;
}

/* ------------------------------------------------------------- accessors */

size_t df_index_entity_count(const df_index *x) {
    return x != NULL ? x->entity_count : 0;
}

static df_status check_entity(const df_index *x, size_t entity, const void *out,
                              df_error *err) {
    if (x == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (entity >= x->entity_count)
        return df_fail(err, DF_ERANGE, 0, 0, "entity %zu out of range 0..%zu", entity,
                       x->entity_count);
    return DF_OK;
}

df_status df_index_entity(const df_index *x, size_t entity, df_entity *out, df_error *err) {
    df_status status = check_entity(x, entity, out, err);
    if (status != DF_OK)
        return status;
    const index_entity *e = &x->entities[entity];
    *out = (df_entity){
        .name = e->name,
        .kind = e->kind,
        .aliases = x->alias_names + e->first_alias,
        .alias_count = e->alias_count,
        .fact_count = x->facts_of_at[entity + 1] - x->facts_of_at[entity],
        .mention_count = e->mention_count,
    };
    return DF_OK;
}

df_status df_index_lookup(const df_index *x, const char *name, size_t len, size_t *entity,
                          df_error *err) {
    if (x == NULL || entity == NULL || (name == NULL && len > 0))
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (x->matcher == NULL)
        return DF_NOMATCH;
    uint32_t alias;
    df_status status = df_entmatch_lookup(x->matcher, name, len, &alias, err);
    if (status == DF_OK)
        *entity = x->aliases[alias].entity;
    return status;
}

df_status df_index_entity_facts(const df_index *x, size_t entity, const uint32_t **facts,
                                size_t *count, df_error *err) {
    df_status status = check_entity(x, entity, facts, err);
    if (status == DF_OK && count == NULL)
        status = df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (status != DF_OK)
        return status;
    *facts = x->entity_facts + x->facts_of_at[entity];
    *count = x->facts_of_at[entity + 1] - x->facts_of_at[entity];
    return DF_OK;
}

/* The slice at[id - 1] .. at[id] of a per-fact list. */
static df_status fact_slice(const df_index *x, df_fact_id id, const void *out, const size_t *count,
                            df_error *err) {
    if (x == NULL || out == NULL || count == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (id < 1 || id > x->facts)
        return df_fail(err, DF_ERANGE, 0, 0, "fact id %zu out of range 1..%zu", (size_t)id,
                       x->facts);
    return DF_OK;
}

#define FACT_LIST(fn, type, at, data)                                                        \
    df_status fn(const df_index *x, df_fact_id id, const type **items, size_t *count,       \
                 df_error *err) {                                                           \
        df_status status = fact_slice(x, id, items, count, err);                            \
        if (status != DF_OK)                                                                \
            return status;                                                                  \
        *items = x->data + x->at[id - 1];                                                   \
        *count = x->at[id] - x->at[id - 1];                                                 \
        return DF_OK;                                                                       \
    }

FACT_LIST(df_index_fact_mentions, df_mention, mention_at, mentions)
FACT_LIST(df_index_fact_entities, uint32_t, entities_at, fact_entities)
FACT_LIST(df_index_fact_tags, uint32_t, tags_at, fact_tags)
FACT_LIST(df_index_fact_years, uint16_t, years_at, years)
FACT_LIST(df_index_fact_films, df_film_ref, films_at, films)

size_t df_index_tag_count(const df_index *x) {
    return x != NULL ? x->tag_count : 0;
}

const char *df_index_tag_name(const df_index *x, size_t tag) {
    return x != NULL && tag < x->tag_count ? x->tags[tag] : NULL;
}

df_status df_index_tag_lookup(const df_index *x, const char *name, size_t *tag, df_error *err) {
    if (x == NULL || name == NULL || tag == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    const void *key[2] = {x, name};
    const uint32_t *found = df_hmap_get(&x->tag_map, tag_hash(name, strlen(name)), same_tag, key);
    if (found == NULL)
        return DF_NOMATCH;
    *tag = *found;
    return DF_OK;
}

df_status df_index_tag_facts(const df_index *x, size_t tag, const uint32_t **facts,
                             size_t *count, df_error *err) {
    if (x == NULL || facts == NULL || count == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (tag >= x->tag_count)
        return df_fail(err, DF_ERANGE, 0, 0, "tag %zu out of range 0..%zu", tag, x->tag_count);
    *facts = x->tag_facts + x->tag_at[tag];
    *count = x->tag_at[tag + 1] - x->tag_at[tag];
    return DF_OK;
}
