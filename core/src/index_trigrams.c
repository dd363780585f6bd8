/* The trigram prefilter: trigram -> the facts that hold it, and the answer
 * to a regex's literal query (pattern_literals.c) as a list of candidate facts.
 *
 * Layout: the distinct trigrams sorted (keys), and for each the number of
 * facts holding it and where its postings are.  Postings are fact indexes,
 * ascending, stored as varint deltas (index + 1 - previous, the first from
 * 0), or as a bitmap of all facts when that is smaller (a trigram in more
 * than about one fact in eight).
 *
 * Build: one pass counts, for every trigram, its facts and the bytes of its
 * varint postings (the previous fact per trigram gives the delta); a second
 * pass writes them at their final places.  A hash table maps the trigrams
 * to dense numbers during the build; nothing is allocated per fact. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"
#include "pattern.h"

#define BITMAP 0x80000000u   /* in counts[]: the postings are a bitmap */
#define COUNT_MASK 0x7fffffffu
#define NOT_FOUND SIZE_MAX
/* Trigrams a literal contributes at most (pattern_literals.c keeps them shorter). */
#define MAX_LIT_TRIGRAMS 128

struct df_prefilter {
    const df_corpus *corpus;  /* borrowed */
    size_t facts;
    size_t n;                 /* distinct trigrams */
    uint32_t *keys;           /* ascending: b0 << 16 | b1 << 8 | b2 */
    uint32_t *counts;         /* facts holding each trigram, | BITMAP */
    size_t *offsets;          /* into lists (bytes) or bitmaps (words) */
    unsigned char *lists;
    size_t list_bytes;
    uint64_t *bitmaps;
    size_t bitmap_words;
};

/* ---------------------------------------------------------------- build */

typedef struct tri {
    uint32_t key;
    uint32_t last;     /* 1 + index of the last fact seen, 0 before */
    uint32_t count;
    uint32_t entry;    /* its place in the sorted table */
    size_t bytes;      /* pass 1: varint bytes; pass 2: write cursor */
} tri;

typedef struct slot {
    uint32_t key;
    uint32_t id;       /* dense number + 1; 0: empty */
} slot;

typedef struct builder {
    slot *slots;
    size_t mask;       /* slots - 1, a power of two minus one */
    tri *tris;
    size_t n, cap;
} builder;

static size_t slot_of(const builder *b, uint32_t key) {
    return (size_t)((key * 0x9E3779B1u) >> 7) & b->mask;
}

static int rehash(builder *b, size_t size) {
    slot *slots = calloc(size, sizeof *slots);
    if (slots == NULL)
        return -1;
    size_t old = b->slots != NULL ? b->mask + 1 : 0;
    slot *from = b->slots;
    b->slots = slots;
    b->mask = size - 1;
    for (size_t k = 0; k < old; k++)
        if (from[k].id != 0) {
            size_t i = slot_of(b, from[k].key);
            while (slots[i].id != 0)
                i = (i + 1) & b->mask;
            slots[i] = from[k];
        }
    free(from);
    return 0;
}

/* The dense number of `key`, added when new; SIZE_MAX when out of memory. */
static size_t find_or_add(builder *b, uint32_t key) {
    size_t i = slot_of(b, key);
    for (;;) {
        if (b->slots[i].id == 0)
            break;
        if (b->slots[i].key == key)
            return b->slots[i].id - 1;
        i = (i + 1) & b->mask;
    }
    if (df_grow((void **)&b->tris, &b->cap, b->n + 1, sizeof *b->tris) != 0)
        return SIZE_MAX;
    b->tris[b->n] = (tri){key, 0, 0, 0, 0};
    b->slots[i].key = key;
    b->slots[i].id = (uint32_t)(++b->n);
    if (2 * b->n > b->mask + 1 && rehash(b, 2 * (b->mask + 1)) != 0)
        return SIZE_MAX;
    return b->n - 1;
}

static size_t varint_len(uint32_t v) {
    return v < (1u << 7) ? 1 : v < (1u << 14) ? 2 : v < (1u << 21) ? 3 : v < (1u << 28) ? 4 : 5;
}

static size_t put_varint(unsigned char *p, uint32_t v) {
    size_t n = 0;
    while (v >= 0x80) {
        p[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    p[n++] = (unsigned char)v;
    return n;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* What a pass over the facts does with each trigram new in a fact. */
typedef void (*trigram_fn)(df_prefilter *pf, tri *x, size_t fact, uint32_t mark);

/* Call fn for each (fact, mark fact + 1, dense trigram x) where x is new in
 * the fact, trigrams ASCII-lowercased.  DF_ENOMEM when the table cannot
 * grow (the second pass adds nothing, so it cannot fail). */
static df_status each_new_trigram(builder *b, df_prefilter *pf, trigram_fn fn) {
    const df_corpus *corpus = pf->corpus;
    for (size_t f = 0; f < corpus->count; f++) {
        const unsigned char *t = (const unsigned char *)corpus->text + corpus->facts[f].offset;
        size_t len = corpus->facts[f].len;
        uint32_t mark = (uint32_t)f + 1;
        if (len < 3)
            continue;
        uint32_t key = (uint32_t)df_ascii_lower(t[0]) << 8 | df_ascii_lower(t[1]);
        for (size_t j = 2; j < len; j++) {
            key = (key << 8 | df_ascii_lower(t[j])) & 0xFFFFFFu;
            size_t id = find_or_add(b, key);
            if (id == SIZE_MAX)
                return DF_ENOMEM;
            tri *x = &b->tris[id];
            if (x->last != mark) {
                fn(pf, x, f, mark);
                x->last = mark;
            }
        }
    }
    return DF_OK;
}

/* Pass 1: count facts and varint bytes per trigram. */
static void count_posting(df_prefilter *pf, tri *x, size_t fact, uint32_t mark) {
    (void)pf;
    (void)fact;
    x->bytes += varint_len(mark - x->last);
    x->count++;
}

/* Pass 2: write the postings where place_postings put them. */
static void write_posting(df_prefilter *pf, tri *x, size_t fact, uint32_t mark) {
    uint32_t e = x->entry;
    if (pf->counts[e] & BITMAP)
        pf->bitmaps[pf->offsets[e] + fact / 64] |= (uint64_t)1 << (fact % 64);
    else
        x->bytes += put_varint(pf->lists + x->bytes, mark - x->last);
}

/* Sort the trigrams, choose list or bitmap for each, and place the
 * postings.  DF_ENOMEM when out of memory. */
static df_status place_postings(builder *b, df_prefilter *pf) {
    pf->n = b->n;
    uint64_t *order = malloc((b->n + 1) * sizeof *order);
    pf->keys = malloc((b->n + 1) * sizeof *pf->keys);
    pf->counts = malloc((b->n + 1) * sizeof *pf->counts);
    pf->offsets = malloc((b->n + 1) * sizeof *pf->offsets);
    if (order == NULL || pf->keys == NULL || pf->counts == NULL || pf->offsets == NULL) {
        free(order);
        return DF_ENOMEM;
    }
    for (size_t id = 0; id < b->n; id++)
        order[id] = (uint64_t)b->tris[id].key << 32 | id;
    qsort(order, b->n, sizeof *order, cmp_u64);
    size_t words = (pf->facts + 63) / 64;
    for (size_t e = 0; e < b->n; e++) {
        tri *x = &b->tris[order[e] & 0xFFFFFFFFu];
        x->entry = (uint32_t)e;
        x->last = 0;
        pf->keys[e] = x->key;
        if (x->bytes > words * sizeof(uint64_t)) {
            pf->counts[e] = x->count | BITMAP;
            pf->offsets[e] = pf->bitmap_words;
            pf->bitmap_words += words;
        } else {
            size_t size = x->bytes;
            pf->counts[e] = x->count;
            pf->offsets[e] = pf->list_bytes;
            x->bytes = pf->list_bytes;  /* from now on the write cursor */
            pf->list_bytes += size;
        }
    }
    free(order);
    pf->lists = malloc(pf->list_bytes + 1);
    pf->bitmaps = calloc(pf->bitmap_words + 1, sizeof *pf->bitmaps);
    return pf->lists == NULL || pf->bitmaps == NULL ? DF_ENOMEM : DF_OK;
}

df_status df_prefilter_build(const df_corpus *corpus, df_prefilter **out, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (corpus == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL corpus");
    if (corpus->count >= COUNT_MASK)
        return df_fail(err, DF_ETOOBIG, 0, 0, "%zu facts is too many", corpus->count);
    df_status status = DF_ENOMEM;
    builder b = {NULL, 0, NULL, 0, 0};
    df_prefilter *pf = calloc(1, sizeof *pf);
    if (pf != NULL && rehash(&b, 1024) == 0) {
        pf->corpus = corpus;
        pf->facts = corpus->count;
        status = each_new_trigram(&b, pf, count_posting);
        if (status == DF_OK)
            status = place_postings(&b, pf);
        if (status == DF_OK)
            status = each_new_trigram(&b, pf, write_posting);
    }
    free(b.slots);
    free(b.tris);
    if (status != DF_OK) {
        df_prefilter_free(pf);
        return df_fail(err, status, 0, 0, "out of memory building the prefilter");
    }
    *out = pf;
    return DF_OK;
}

void df_prefilter_free(df_prefilter *prefilter) {
    if (prefilter == NULL)
        return;
    free(prefilter->keys);
    free(prefilter->counts);
    free(prefilter->offsets);
    free(prefilter->lists);
    free(prefilter->bitmaps);
    free(prefilter);
}

const df_corpus *df_prefilter_corpus(const df_prefilter *prefilter) {
    return prefilter != NULL ? prefilter->corpus : NULL;
}

size_t df_prefilter_memory(const df_prefilter *prefilter) {
    if (prefilter == NULL)
        return 0;
    return sizeof *prefilter +
           prefilter->n * (sizeof *prefilter->keys + sizeof *prefilter->counts +
                           sizeof *prefilter->offsets) +
           prefilter->list_bytes + prefilter->bitmap_words * sizeof *prefilter->bitmaps;
}

/* ---------------------------------------------------------------- query */

/* A set of fact indexes (0-based), ascending; or all facts. */
typedef struct set {
    int all;
    uint32_t *ids;
    size_t n;
} set;

static const set ALL_FACTS = {1, NULL, 0};
static const set NO_FACTS = {0, NULL, 0};

static size_t find_trigram(const df_prefilter *pf, uint32_t key) {
    size_t lo = 0, hi = pf->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pf->keys[mid] < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < pf->n && pf->keys[lo] == key ? lo : NOT_FOUND;
}

static uint32_t get_varint(const unsigned char **p) {
    uint32_t v = 0;
    unsigned shift = 0;
    const unsigned char *q = *p;
    while (*q & 0x80) {
        v |= (uint32_t)(*q++ & 0x7F) << shift;
        shift += 7;
    }
    v |= (uint32_t)*q++ << shift;
    *p = q;
    return v;
}

static int test_bit(const df_prefilter *pf, size_t e, uint32_t f) {
    return (pf->bitmaps[pf->offsets[e] + f / 64] >> (f % 64)) & 1;
}

/* The postings of trigram entry e as a set. */
static df_status decode(const df_prefilter *pf, size_t e, set *out) {
    size_t count = pf->counts[e] & COUNT_MASK;
    uint32_t *ids = malloc((count + 1) * sizeof *ids);
    if (ids == NULL)
        return DF_ENOMEM;
    size_t n = 0;
    if (pf->counts[e] & BITMAP) {
        for (uint32_t f = 0; f < pf->facts; f++)
            if (test_bit(pf, e, f))
                ids[n++] = f;
    } else {
        const unsigned char *p = pf->lists + pf->offsets[e];
        uint32_t mark = 0;
        for (; n < count; n++) {
            mark += get_varint(&p);
            ids[n] = mark - 1;
        }
    }
    *out = (set){0, ids, n};
    return DF_OK;
}

/* Keep the ids of s that trigram entry e holds. */
static void restrict_to(const df_prefilter *pf, size_t e, set *s) {
    size_t kept = 0;
    if (pf->counts[e] & BITMAP) {
        for (size_t k = 0; k < s->n; k++)
            if (test_bit(pf, e, s->ids[k]))
                s->ids[kept++] = s->ids[k];
    } else {
        const unsigned char *p = pf->lists + pf->offsets[e];
        size_t left = pf->counts[e] & COUNT_MASK, k = 0;
        uint32_t mark = 0;
        while (left > 0 && k < s->n) {
            uint32_t f = (mark += get_varint(&p)) - 1;
            left--;
            while (k < s->n && s->ids[k] < f)
                k++;
            if (k < s->n && s->ids[k] == f)
                s->ids[kept++] = s->ids[k++];
        }
    }
    s->n = kept;
}

/* The facts that hold every trigram of lit[0..len). */
static df_status eval_literal(const df_prefilter *pf, const unsigned char *lit, size_t len,
                              set *out) {
    size_t entries[MAX_LIT_TRIGRAMS], n = 0;
    for (size_t j = 0; j + 2 < len && n < MAX_LIT_TRIGRAMS; j++) {
        uint32_t key = (uint32_t)lit[j] << 16 | (uint32_t)lit[j + 1] << 8 | lit[j + 2];
        size_t e = find_trigram(pf, key);
        if (e == NOT_FOUND) {
            *out = NO_FACTS;
            return DF_OK;
        }
        /* insertion by count, rarest first; repeats dropped */
        size_t at = n, count = pf->counts[e] & COUNT_MASK;
        int repeat = 0;
        for (size_t k = 0; k < n; k++)
            repeat |= entries[k] == e;
        if (repeat)
            continue;
        while (at > 0 && (pf->counts[entries[at - 1]] & COUNT_MASK) > count) {
            entries[at] = entries[at - 1];
            at--;
        }
        entries[at] = e;
        n++;
    }
    if (n == 0) {
        *out = ALL_FACTS;
        return DF_OK;
    }
    df_status status = decode(pf, entries[0], out);
    for (size_t k = 1; k < n && status == DF_OK && out->n > 0; k++) {
        size_t count = pf->counts[entries[k]] & COUNT_MASK;
        /* A long list costs more to merge than the few facts it would rule
         * out cost to search: leave them to the regex. */
        if (!(pf->counts[entries[k]] & BITMAP) && count > 4096 && count / 16 > out->n)
            continue;
        restrict_to(pf, entries[k], out);
    }
    return status;
}

static void set_free(set *s) {
    free(s->ids);
    *s = NO_FACTS;
}

/* a := a n b (b is consumed) */
static void intersect(set *a, set *b) {
    size_t i = 0, j = 0, kept = 0;
    while (i < a->n && j < b->n) {
        if (a->ids[i] < b->ids[j])
            i++;
        else if (a->ids[i] > b->ids[j])
            j++;
        else {
            a->ids[kept++] = a->ids[i];
            i++;
            j++;
        }
    }
    a->n = kept;
    set_free(b);
}

/* a := a u b (b is consumed) */
static df_status unite(set *a, set *b) {
    if (b->n == 0) {
        set_free(b);
        return DF_OK;
    }
    uint32_t *ids = malloc((a->n + b->n) * sizeof *ids);
    if (ids == NULL) {
        set_free(b);
        return DF_ENOMEM;
    }
    size_t i = 0, j = 0, n = 0;
    while (i < a->n || j < b->n) {
        if (j == b->n || (i < a->n && a->ids[i] < b->ids[j]))
            ids[n++] = a->ids[i++];
        else if (i == a->n || b->ids[j] < a->ids[i])
            ids[n++] = b->ids[j++];
        else {
            ids[n++] = a->ids[i++];
            j++;
        }
    }
    set_free(a);
    set_free(b);
    *a = (set){0, ids, n};
    return DF_OK;
}

static df_status eval(const df_prefilter *pf, const df_litquery *q, size_t node, set *out) {
    const df_lq_node *nd = &q->nodes[node];
    df_status status = DF_OK;
    if (nd->op == DF_LQ_LIT)
        return eval_literal(pf, q->bytes + nd->a, nd->n, out);
    if (nd->op == DF_LQ_AND) {
        *out = ALL_FACTS;
        for (size_t k = 0; k < nd->n && status == DF_OK; k++) {
            set s;
            if (!out->all && out->n == 0)
                break;
            if ((status = eval(pf, q, q->kids[nd->a + k], &s)) != DF_OK)
                break;
            if (s.all)
                continue;
            if (out->all)
                *out = s;
            else
                intersect(out, &s);
        }
    } else if (nd->op == DF_LQ_OR) {
        *out = NO_FACTS;
        for (size_t k = 0; k < nd->n && status == DF_OK; k++) {
            set s;
            if ((status = eval(pf, q, q->kids[nd->a + k], &s)) != DF_OK)
                break;
            if (s.all) {
                set_free(out);
                *out = ALL_FACTS;
                break;
            }
            status = unite(out, &s);
        }
    } else {
        *out = ALL_FACTS;
    }
    if (status != DF_OK)
        set_free(out);
    return status;
}

df_status df_prefilter_candidates(const df_prefilter *prefilter, const df_regex *regex,
                                  df_candidates *out, df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = (df_candidates){NULL, 0, 1};
    if (prefilter == NULL || regex == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    out->count = prefilter->facts;
    df_litquery *query;
    if (df_litquery_extract(regex->pattern, regex->pattern_len, regex->flags, &query) != DF_OK)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory in the prefilter");
    if (query == NULL)
        return DF_OK;
    set s;
    df_status status = eval(prefilter, query, query->root, &s);
    df_litquery_free(query);
    if (status != DF_OK)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory in the prefilter");
    /* For a context-free regex df_search scans the whole buffer at PCRE2's
     * speed; searching fact by fact pays a call per fact, which only pays
     * when few facts are left. */
    if (s.all || (regex->context_free && s.n > prefilter->facts / 16)) {
        set_free(&s);
        return DF_OK;
    }
    for (size_t k = 0; k < s.n; k++)
        s.ids[k]++;
    *out = (df_candidates){s.ids, s.n, 0};
    return DF_OK;
}

void df_candidates_free(df_candidates *candidates) {
    if (candidates == NULL)
        return;
    free(candidates->ids);
    *candidates = (df_candidates){NULL, 0, 0};
}

size_t df_regex_describe_literals(const df_regex *regex, char *buf, size_t size) {
    /* Out of memory, nothing is known: "all", as for no query. */
    df_litquery *query = NULL;
    if (regex != NULL &&
        df_litquery_extract(regex->pattern, regex->pattern_len, regex->flags, &query) != DF_OK)
        query = NULL;
    size_t n = df_litquery_describe(query, buf, size);
    df_litquery_free(query);
    return n;
}

int df_regex_has_literals(const df_regex *regex) {
    df_litquery *query = NULL;
    if (regex == NULL ||
        df_litquery_extract(regex->pattern, regex->pattern_len, regex->flags, &query) != DF_OK)
        return 0;
    df_litquery_free(query);
    return query != NULL;
}
