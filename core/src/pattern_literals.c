/* Required literals: what text any match of a pattern must contain, as a
 * boolean query over strings (AND for concatenation, OR for alternation),
 * for the trigram prefilter (index_trigrams.c).  After Russ Cox's codesearch,
 * simplified: each piece of the pattern is either "exact" (the small set of
 * strings it can match) or a query it implies.
 *
 * The pattern is read as the tokens of pattern_syntax.c, which has already
 * dealt with comments, quoting and inline options.  Conservative by
 * construction: every fragment not understood stands for "any text" (the
 * query ALL), and whatever the reader cannot even delimit (conditionals,
 * verbs, callouts) makes the whole pattern ALL.  Lookarounds are
 * zero-width: nothing inside them is required.  Strings are
 * ASCII-lowercased, as the prefilter indexes the facts; a caseless
 * non-ASCII character, 'k' or 's' (which match U+212A KELVIN SIGN and
 * U+017F LONG S caselessly) stands for any character.
 *
 * Also here: df_literal_alternation, the strings of a pattern that is no
 * more than an alternation of them, as the multi-string scan's exact set. */
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

#define MAXSET 16   /* strings an exact piece may have */
#define MAXLEN 64   /* bytes an exact string may have */
#define ALL 0       /* node 0 is the query ALL */

typedef struct str {
    size_t off, len;  /* into ctx.bytes */
} str;

/* A piece of the pattern: exact (its strings are all it matches) or not (q
 * is a query every match satisfies). */
typedef struct info {
    int exact;
    size_t n;
    str s[MAXSET];
    size_t q;
} info;

typedef struct ctx {
    df_syntax reader;
    df_token tok;            /* the current token */
    int giveup, nomem;
    df_lq_node *nodes;
    size_t nn, ncap;
    size_t *kids;
    size_t nk, kcap;
    unsigned char *bytes;
    size_t nb, bcap;
} ctx;

static info all_info(void) {
    info r;
    r.exact = 0;
    r.n = 0;
    r.q = ALL;
    return r;
}

static info empty_info(void) {
    info r;
    r.exact = 1;
    r.n = 1;
    r.s[0].off = 0;
    r.s[0].len = 0;
    r.q = ALL;
    return r;
}

/* -------------------------------------------------------------- pools */

static size_t add_bytes(ctx *c, const unsigned char *b, size_t n) {
    if (df_grow((void **)&c->bytes, &c->bcap, c->nb + n + 1, 1) != 0) {
        c->nomem = 1;
        return 0;
    }
    size_t off = c->nb;
    if (n > 0)
        memcpy(c->bytes + off, b, n);
    c->nb += n;
    return off;
}

/* Append a copy of bytes[off..off+n) of the pool itself. */
static size_t copy_bytes(ctx *c, size_t off, size_t n) {
    if (df_grow((void **)&c->bytes, &c->bcap, c->nb + n + 1, 1) != 0) {
        c->nomem = 1;
        return 0;
    }
    size_t at = c->nb;
    memmove(c->bytes + at, c->bytes + off, n);
    c->nb += n;
    return at;
}

static size_t new_node(ctx *c, unsigned op, size_t a, size_t n) {
    if (df_grow((void **)&c->nodes, &c->ncap, c->nn + 1, sizeof *c->nodes) != 0) {
        c->nomem = 1;
        return ALL;
    }
    c->nodes[c->nn].op = op;
    c->nodes[c->nn].a = a;
    c->nodes[c->nn].n = n;
    return c->nn++;
}

static size_t lit_node(ctx *c, str s) {
    return s.len < 3 ? ALL : new_node(c, DF_LQ_LIT, s.off, s.len);
}

/* AND or OR of two queries, flattening nested nodes of the same kind. */
static size_t combine(ctx *c, unsigned op, size_t a, size_t b) {
    if (a == ALL || b == ALL) {
        if (op == DF_LQ_OR)
            return ALL;
        return a == ALL ? b : a;
    }
    size_t parts[2] = {a, b}, need = 0;
    for (int k = 0; k < 2; k++)
        need += c->nodes[parts[k]].op == op ? c->nodes[parts[k]].n : 1;
    if (df_grow((void **)&c->kids, &c->kcap, c->nk + need, sizeof *c->kids) != 0) {
        c->nomem = 1;
        return ALL;
    }
    size_t first = c->nk;
    for (int k = 0; k < 2; k++) {
        const df_lq_node *node = &c->nodes[parts[k]];
        if (node->op == op) {
            memmove(c->kids + c->nk, c->kids + node->a, node->n * sizeof *c->kids);
            c->nk += node->n;
        } else {
            c->kids[c->nk++] = parts[k];
        }
    }
    return new_node(c, op, first, need);
}

/* The query an info implies. */
static size_t query_of(ctx *c, const info *x) {
    if (!x->exact)
        return x->q;
    if (x->n == 0)
        return ALL;
    size_t q = lit_node(c, x->s[0]);
    for (size_t k = 1; k < x->n && q != ALL; k++)
        q = combine(c, DF_LQ_OR, q, lit_node(c, x->s[k]));
    return q;
}

static info nonexact(size_t q) {
    info r = all_info();
    r.q = q;
    return r;
}

/* x followed by y when both are exact and the product is small enough;
 * returns 0 when it is not. */
static int product(ctx *c, const info *x, const info *y, info *out) {
    if (x->n * y->n > MAXSET)
        return 0;
    for (size_t a = 0; a < x->n; a++)
        for (size_t b = 0; b < y->n; b++)
            if (x->s[a].len + y->s[b].len > MAXLEN)
                return 0;
    info r = empty_info();
    r.n = 0;
    for (size_t a = 0; a < x->n; a++)
        for (size_t b = 0; b < y->n; b++) {
            size_t off = copy_bytes(c, x->s[a].off, x->s[a].len);
            copy_bytes(c, y->s[b].off, y->s[b].len);
            if (c->nomem)
                return 0;
            r.s[r.n].off = off;
            r.s[r.n].len = x->s[a].len + y->s[b].len;
            r.n++;
        }
    *out = r;
    return 1;
}

static int has_string(const ctx *c, const info *x, str s) {
    for (size_t k = 0; k < x->n; k++) {
        if (x->s[k].len != s.len)
            continue;
        /* Empty strings may come before any byte was stored (bytes NULL). */
        if (s.len == 0 || memcmp(c->bytes + x->s[k].off, c->bytes + s.off, s.len) == 0)
            return 1;
    }
    return 0;
}

static info alternate(ctx *c, const info *x, const info *y) {
    if (x->exact && y->exact) {
        info r = *x;
        for (size_t k = 0; k < y->n && r.exact; k++) {
            if (has_string(c, &r, y->s[k]))
                continue;
            if (r.n == MAXSET)
                r.exact = 0;
            else
                r.s[r.n++] = y->s[k];
        }
        if (r.exact)
            return r;
    }
    return nonexact(combine(c, DF_LQ_OR, query_of(c, x), query_of(c, y)));
}

/* ------------------------------------------------------------ sequences */

typedef struct seq {
    size_t acc;   /* query of what was flushed */
    info run;     /* exact strings of the pieces since */
    int exact;    /* nothing flushed yet */
} seq;

static void seq_init(seq *s) {
    s->acc = ALL;
    s->run = empty_info();
    s->exact = 1;
}

static void seq_add(ctx *c, seq *s, const info *x) {
    info joined;
    if (x->exact && product(c, &s->run, x, &joined)) {
        s->run = joined;
        return;
    }
    s->exact = 0;
    s->acc = combine(c, DF_LQ_AND, s->acc, query_of(c, &s->run));
    if (x->exact) {
        s->run = *x;
    } else {
        s->acc = combine(c, DF_LQ_AND, s->acc, x->q);
        s->run = empty_info();
    }
}

static info seq_end(ctx *c, seq *s) {
    if (s->exact)
        return s->run;
    return nonexact(combine(c, DF_LQ_AND, s->acc, query_of(c, &s->run)));
}

/* --------------------------------------------------------------- atoms */

/* The next token of the pattern into c->tok; one the reader cannot read
 * stops the extraction. */
static void advance(ctx *c) {
    df_syntax_kind kind = df_syntax_next(&c->reader, &c->tok);
    if (kind == DF_TOK_UNKNOWN || kind == DF_TOK_VERB)
        c->giveup = 1;
}

/* Can the character ch[0..n) stand for itself, lowercased, in the index? */
static int plain_char(const unsigned char *ch, size_t n, int caseless) {
    if (!caseless)
        return 1;
    if (n > 1)
        return 0;
    unsigned char l = df_ascii_lower(ch[0]);
    return l != 'k' && l != 's';
}

/* One literal character of the pattern. */
static info char_info(ctx *c, const unsigned char *ch, size_t n, int caseless) {
    if (!plain_char(ch, n, caseless))
        return all_info();
    unsigned char buf[4];
    for (size_t k = 0; k < n; k++)
        buf[k] = df_ascii_lower(ch[k]);
    info r = empty_info();
    r.s[0].off = add_bytes(c, buf, n);
    r.s[0].len = n;
    return r;
}

/* A class: a small set of ASCII characters is exact; anything else
 * (negation, escapes other than punctuation, POSIX names, non-ASCII, big
 * ranges) is any character. */
static info class_info(ctx *c, const df_token *t) {
    unsigned char set[MAXSET];
    size_t n = 0;
    if (t->class_other)
        return all_info();
    for (unsigned x = 0; x < 128; x++) {
        if (!(t->class_ascii[x >> 3] & (1u << (x & 7))))
            continue;
        unsigned char u = (unsigned char)x;
        if (!plain_char(&u, 1, t->caseless))
            return all_info();
        u = df_ascii_lower(u);
        if (memchr(set, u, n) != NULL)
            continue;
        if (n == MAXSET)
            return all_info();
        set[n++] = u;
    }
    if (n == 0)
        return all_info();
    info r = empty_info();
    size_t off = add_bytes(c, set, n);
    for (size_t k = 0; k < n; k++) {
        r.s[k].off = off + k;
        r.s[k].len = 1;
    }
    r.n = n;
    return r;
}

static info alternation(ctx *c);

/* A group, its OPEN the current token.  A lookaround is zero-width: its own
 * strings are not required (a negative one's must not even occur), what
 * stands around it still is, and joins across it. */
static info group(ctx *c) {
    df_group_kind kind = c->tok.group;
    advance(c);
    info r = alternation(c);
    if (c->giveup || c->tok.kind != DF_TOK_CLOSE) {
        c->giveup = 1;
        return all_info();
    }
    advance(c);
    if (kind != DF_GROUP_CAPTURE && kind != DF_GROUP_PLAIN && kind != DF_GROUP_ATOMIC)
        return empty_info();
    return r;
}

/* The atom at the current token; giveup set when it cannot be read. */
static info atom(ctx *c) {
    df_token t = c->tok;
    switch (t.kind) {
    case DF_TOK_OPEN:
        return group(c);
    case DF_TOK_CHAR:
        advance(c);
        return char_info(c, t.chr, t.chr_len, t.caseless);
    case DF_TOK_CLASS:
        advance(c);
        return class_info(c, &t);
    case DF_TOK_ANCHOR: case DF_TOK_WORD_BOUNDARY: case DF_TOK_RESET: case DF_TOK_OPTIONS:
        advance(c);
        return empty_info();  /* zero-width */
    case DF_TOK_ANY: case DF_TOK_BACKREF: case DF_TOK_CALL:
        advance(c);
        return all_info();
    default:  /* a quantifier with nothing to repeat: cannot be after PCRE2 */
        c->giveup = 1;
        return all_info();
    }
}

static info repeat(ctx *c, const info *x, size_t min, size_t max) {
    if (min == 0) {
        if (max == 1 && x->exact) {
            info r = *x;
            str none = {0, 0};
            if (has_string(c, &r, none))
                return r;
            if (r.n < MAXSET) {
                r.s[r.n++] = none;
                return r;
            }
        }
        return all_info();
    }
    if (x->exact && min == max && min <= MAXLEN) {
        info r = *x;
        size_t k = 1;
        while (k < min && product(c, &r, x, &r))
            k++;
        if (k == min)
            return r;
    }
    return nonexact(query_of(c, x));
}

static info sequence(ctx *c) {
    seq s;
    seq_init(&s);
    while (!c->giveup && !c->nomem && c->tok.kind != DF_TOK_END &&
           c->tok.kind != DF_TOK_ALT && c->tok.kind != DF_TOK_CLOSE) {
        info x = atom(c);
        while (!c->giveup && c->tok.kind == DF_TOK_QUANT) {
            x = repeat(c, &x, c->tok.min, c->tok.max);
            advance(c);
        }
        if (c->giveup)
            break;
        seq_add(c, &s, &x);
    }
    return seq_end(c, &s);
}

static info alternation(ctx *c) {
    info r = sequence(c);
    while (!c->giveup && !c->nomem && c->tok.kind == DF_TOK_ALT) {
        advance(c);
        info y = sequence(c);
        r = alternate(c, &r, &y);
    }
    return r;
}

/* ------------------------------------------------------------- results */

/* Copy the query under `node` into the compact result. */
static size_t copy_node(const ctx *c, df_litquery *q, size_t node) {
    const df_lq_node *from = &c->nodes[node];
    size_t at = q->node_count++;
    q->nodes[at].op = from->op;
    if (from->op == DF_LQ_LIT) {
        q->nodes[at].a = q->byte_count;
        q->nodes[at].n = from->n;
        memcpy(q->bytes + q->byte_count, c->bytes + from->a, from->n);
        q->byte_count += from->n;
    } else if (from->op == DF_LQ_AND || from->op == DF_LQ_OR) {
        size_t first = q->kid_count;
        q->kid_count += from->n;
        for (size_t k = 0; k < from->n; k++)
            q->kids[first + k] = copy_node(c, q, c->kids[from->a + k]);
        q->nodes[at].a = first;
        q->nodes[at].n = from->n;
    }
    return at;
}

static void measure(const ctx *c, size_t node, size_t *nodes, size_t *kids, size_t *bytes) {
    const df_lq_node *n = &c->nodes[node];
    (*nodes)++;
    if (n->op == DF_LQ_LIT) {
        *bytes += n->n;
    } else if (n->op == DF_LQ_AND || n->op == DF_LQ_OR) {
        *kids += n->n;
        for (size_t k = 0; k < n->n; k++)
            measure(c, c->kids[n->a + k], nodes, kids, bytes);
    }
}

/* The query under `root` as one compact df_litquery; NULL when out of
 * memory. */
static df_litquery *compact(const ctx *c, size_t root) {
    size_t nodes = 0, kids = 0, bytes = 0;
    measure(c, root, &nodes, &kids, &bytes);
    df_litquery *q = calloc(1, sizeof *q);
    if (q != NULL) {
        q->nodes = malloc(nodes * sizeof *q->nodes);
        q->kids = malloc((kids + 1) * sizeof *q->kids);
        q->bytes = malloc(bytes + 1);
    }
    if (q == NULL || q->nodes == NULL || q->kids == NULL || q->bytes == NULL) {
        df_litquery_free(q);
        return NULL;
    }
    q->root = copy_node(c, q, root);
    return q;
}

/* A fixed string (DF_LITERAL): each character stands for itself. */
static info fixed_string(ctx *c, const char *text, size_t len, int caseless) {
    const unsigned char *p = (const unsigned char *)text;
    seq s;
    seq_init(&s);
    for (size_t i = 0; i < len && !c->nomem;) {
        size_t n = p[i] < 0xC0 ? 1 : p[i] < 0xE0 ? 2 : p[i] < 0xF0 ? 3 : 4;
        if (n > len - i)
            n = len - i;
        info x = char_info(c, p + i, n, caseless);
        seq_add(c, &s, &x);
        i += n;
    }
    return seq_end(c, &s);
}

df_status df_litquery_extract(const char *pattern, size_t len, unsigned flags,
                              df_litquery **out) {
    *out = NULL;
    ctx c;
    memset(&c, 0, sizeof c);
    new_node(&c, DF_LQ_ALL, 0, 0);
    info r;
    if (flags & DF_LITERAL) {
        r = fixed_string(&c, pattern, len, (flags & DF_CASELESS) != 0);
    } else {
        df_syntax_init(&c.reader, pattern, len, flags);
        advance(&c);
        r = alternation(&c);
        if (c.tok.kind != DF_TOK_END)  /* an unmatched ')': cannot be after PCRE2 */
            c.giveup = 1;
    }
    size_t root = c.giveup || c.nomem ? ALL : query_of(&c, &r);
    if (!c.nomem && root != ALL && (*out = compact(&c, root)) == NULL)
        c.nomem = 1;
    free(c.nodes);
    free(c.kids);
    free(c.bytes);
    return c.nomem ? DF_ENOMEM : DF_OK;
}

void df_litquery_free(df_litquery *q) {
    if (q == NULL)
        return;
    free(q->nodes);
    free(q->kids);
    free(q->bytes);
    free(q);
}

/* ------------------------------------------------------------ describe */

typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void put(out *o, const char *s, size_t n) {
    for (size_t k = 0; k < n; k++, o->len++)
        if (o->len + 1 < o->size)
            o->buf[o->len] = s[k];
}

static void describe(const df_litquery *q, size_t node, out *o) {
    const df_lq_node *n = &q->nodes[node];
    if (n->op == DF_LQ_LIT) {
        put(o, "\"", 1);
        for (size_t k = 0; k < n->n; k++) {
            unsigned char ch = q->bytes[n->a + k];
            if (ch == '"' || ch == '\\') {
                char e[2] = {'\\', (char)ch};
                put(o, e, 2);
            } else if (ch < 0x20 || ch == 0x7F) {
                static const char hex[] = "0123456789abcdef";
                char e[4] = {'\\', 'x', hex[ch >> 4], hex[ch & 15]};
                put(o, e, 4);
            } else {
                put(o, (const char *)&ch, 1);
            }
        }
        put(o, "\"", 1);
    } else if (n->op == DF_LQ_AND || n->op == DF_LQ_OR) {
        put(o, n->op == DF_LQ_AND ? "and(" : "or(", n->op == DF_LQ_AND ? 4 : 3);
        for (size_t k = 0; k < n->n; k++) {
            if (k > 0)
                put(o, ", ", 2);
            describe(q, q->kids[n->a + k], o);
        }
        put(o, ")", 1);
    } else {
        put(o, "all", 3);
    }
}

size_t df_litquery_describe(const df_litquery *q, char *buf, size_t size) {
    out o = {buf, size, 0};
    if (q == NULL)
        put(&o, "all", 3);
    else
        describe(q, q->root, &o);
    if (size > 0)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return o.len;
}

/* -------------------------------------------------- literal alternations */

/* The strings so far of df_literal_alternation. */
typedef struct alt_reader {
    df_syntax reader;
    df_token tok;
    df_literal branch;        /* the strings of the branch being read */
    int caseless;             /* -1: no character yet */
    df_literal *out;
    size_t count;
} alt_reader;

/* Under UCP a caseless k or s also matches a character beyond ASCII. */
static const char *non_ascii_partner(unsigned char lower) {
    return lower == 'k' ? "\xE2\x84\xAA" : lower == 's' ? "\xC5\xBF" : NULL;
}

/* One character into the branch; 0 when the pattern is no plain string
 * set after all (too long, non-ASCII caseless, mixed case rules). */
static int alt_char(alt_reader *a) {
    const df_token *t = &a->tok;
    if (a->caseless >= 0 && a->caseless != t->caseless)
        return 0;
    a->caseless = t->caseless;
    if (t->caseless && (t->chr_len != 1 || t->chr[0] >= 0x80))
        return 0;
    if (a->branch.len + t->chr_len > sizeof a->branch.bytes)
        return 0;
    for (size_t k = 0; k < t->chr_len; k++)
        a->branch.bytes[a->branch.len++] = t->caseless ? df_ascii_lower(t->chr[k]) : t->chr[k];
    return 1;
}

/* The branch's string into the output, once with each choice of ASCII or
 * non-ASCII partner for its caseless k and s; 0 when they are too many or
 * too short for the scan. */
static int alt_end_branch(alt_reader *a) {
    const df_literal *b = &a->branch;
    size_t folds = 0;
    for (size_t i = 0; i < b->len; i++)
        folds += a->caseless == 1 && non_ascii_partner(b->bytes[i]) != NULL;
    if (b->len < 3 || folds > 3 || a->count + ((size_t)1 << folds) > DF_LITSET_MAX)
        return 0;
    for (unsigned choice = 0; choice < 1u << folds; choice++) {
        df_literal *lit = &a->out[a->count++];
        unsigned bit = 0;
        lit->len = 0;
        for (size_t i = 0; i < b->len; i++) {
            const char *partner = a->caseless == 1 ? non_ascii_partner(b->bytes[i]) : NULL;
            if (partner != NULL && (choice >> bit++ & 1)) {
                size_t n = strlen(partner);
                if (lit->len + n > sizeof lit->bytes)
                    return 0;
                memcpy(lit->bytes + lit->len, partner, n);
                lit->len += n;
            } else {
                if (lit->len == sizeof lit->bytes)
                    return 0;  /* a partner made the string too long */
                lit->bytes[lit->len++] = b->bytes[i];
            }
        }
    }
    a->branch.len = 0;
    return 1;
}

/* Groups around the whole pattern, then branches of characters (inline
 * options may stand anywhere), then the groups' ends. */
static size_t alt_read(alt_reader *a) {
    size_t opens = 0;
    df_syntax_kind kind;
    while ((kind = df_syntax_next(&a->reader, &a->tok)) == DF_TOK_OPTIONS ||
           (kind == DF_TOK_OPEN &&
            (a->tok.group == DF_GROUP_CAPTURE || a->tok.group == DF_GROUP_PLAIN)))
        opens += kind == DF_TOK_OPEN;
    for (;; kind = df_syntax_next(&a->reader, &a->tok)) {
        if (kind == DF_TOK_CHAR && alt_char(a))
            continue;
        if (kind == DF_TOK_OPTIONS)
            continue;
        if (kind != DF_TOK_ALT && kind != DF_TOK_CLOSE && kind != DF_TOK_END)
            return 0;
        if (!alt_end_branch(a))
            return 0;
        if (kind != DF_TOK_ALT)
            break;
    }
    for (; kind == DF_TOK_CLOSE && opens > 0; opens--)
        kind = df_syntax_next(&a->reader, &a->tok);
    return kind == DF_TOK_END && opens == 0 && a->count >= 1 ? a->count : 0;
}

size_t df_literal_alternation(const char *pattern, size_t len, unsigned flags,
                              df_literal lit[DF_LITSET_MAX], int *caseless) {
    if (flags & (DF_LITERAL | DF_WORD))  /* one string; \b around the pattern */
        return 0;
    alt_reader a;
    memset(&a, 0, sizeof a);
    a.caseless = -1;
    a.out = lit;
    df_syntax_init(&a.reader, pattern, len, flags);
    size_t count = alt_read(&a);
    *caseless = a.caseless == 1;
    return count;
}
