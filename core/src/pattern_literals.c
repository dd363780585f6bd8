/* Required literals: what text any match of a pattern must contain, as a
 * boolean query over strings (AND for concatenation, OR for alternation),
 * for the trigram prefilter (index_trigrams.c).  After Russ Cox's codesearch,
 * simplified: each piece of the pattern is either "exact" (the small set of
 * strings it can match) or a query it implies.
 *
 * Conservative by construction: every fragment not understood stands for
 * "any text" (the query ALL), and whatever the parser cannot even delimit
 * (lookarounds, conditionals, verbs, inline options, extended mode) makes
 * the whole pattern ALL.  Strings are ASCII-lowercased, as the prefilter
 * indexes the facts; under DF_CASELESS a non-ASCII character, and 'k' and
 * 's' (which match U+212A KELVIN SIGN and U+017F LONG S caselessly), stand
 * for any character. */
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

#define MAXSET 16   /* strings an exact piece may have */
#define MAXLEN 64   /* bytes an exact string may have */
#define MAXDEPTH 400
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
    const unsigned char *p;
    size_t len, i;
    int caseless, quote, depth;
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

static int peek(const ctx *c, size_t ahead) {
    return c->i + ahead < c->len ? c->p[c->i + ahead] : -1;
}

static int is_digit(int ch) {
    return ch >= '0' && ch <= '9';
}

static int is_alnum(int ch) {
    return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_hex(int ch) {
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Bytes of the UTF-8 character starting with `lead` (the pattern is valid). */
static size_t char_len(unsigned char lead) {
    return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

/* Can the character ch[0..n) stand for itself, lowercased, in the index? */
static int plain_char(const ctx *c, const unsigned char *ch, size_t n) {
    if (!c->caseless)
        return 1;
    if (n > 1)
        return 0;
    unsigned char l = df_ascii_lower(ch[0]);
    return l != 'k' && l != 's';
}

/* One literal character of the pattern. */
static info char_info(ctx *c, const unsigned char *ch, size_t n) {
    if (!plain_char(c, ch, n))
        return all_info();
    unsigned char buf[4];
    for (size_t k = 0; k < n; k++)
        buf[k] = df_ascii_lower(ch[k]);
    info r = empty_info();
    r.s[0].off = add_bytes(c, buf, n);
    r.s[0].len = n;
    return r;
}

static info next_char_info(ctx *c) {
    size_t n = char_len(c->p[c->i]);
    if (c->i + n > c->len)
        n = c->len - c->i;
    info r = char_info(c, c->p + c->i, n);
    c->i += n;
    return r;
}

/* Skip past the '}' (or other `close`) of an escape's argument. */
static void skip_to(ctx *c, int close) {
    while (c->i < c->len && c->p[c->i] != close)
        c->i++;
    if (c->i >= c->len)
        c->giveup = 1;
    else
        c->i++;
}

/* An escape outside a class, at the backslash. */
static info escape(ctx *c) {
    int e = peek(c, 1);
    if (e < 0) {
        c->giveup = 1;
        return all_info();
    }
    c->i += 2;
    if (!is_alnum(e)) {  /* an escaped punctuation (or non-ASCII) character */
        size_t n = char_len((unsigned char)e);
        if (c->i - 1 + n > c->len) {
            c->giveup = 1;
            return all_info();
        }
        c->i += n - 1;
        return char_info(c, c->p + c->i - n, n);
    }
    switch (e) {
    case 'b': case 'B': case 'A': case 'z': case 'Z': case 'G': case 'K': case 'E':
        return empty_info();  /* zero-width */
    case 'Q':
        c->quote = 1;
        return empty_info();
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
    case 'v': case 'V': case 'R': case 'X': case 'a': case 'e': case 'f': case 'n':
    case 'r': case 't':
        return all_info();
    case 'x': case 'o': case 'N': case 'p': case 'P':
        if (peek(c, 0) == '{')
            skip_to(c, '}');
        else if (e == 'x')
            for (int k = 0; k < 2 && is_hex(peek(c, 0)); k++)
                c->i++;
        else if (e == 'p' || e == 'P')
            c->i++;
        else if (e == 'o')
            c->giveup = 1;
        return all_info();
    case 'c':
        c->i++;
        return all_info();
    case 'g': case 'k': {
        int open = peek(c, 0);
        if (open == '{')
            skip_to(c, '}');
        else if (open == '<')
            skip_to(c, '>');
        else if (open == '\'') {
            c->i++;
            skip_to(c, '\'');
        } else if (e == 'g') {
            if (open == '+' || open == '-')
                c->i++;
            while (is_digit(peek(c, 0)))
                c->i++;
        } else {
            c->giveup = 1;
        }
        return all_info();
    }
    default:
        if (is_digit(e)) {  /* a back reference or an octal escape */
            while (is_digit(peek(c, 0)))
                c->i++;
            return all_info();
        }
        c->giveup = 1;
        return all_info();
    }
}

/* A class at '[': a small set of ASCII characters is exact; anything else
 * (negation, escapes other than punctuation, POSIX names, non-ASCII, big
 * ranges) is any character. */
static info class_info(ctx *c) {
    unsigned char set[MAXSET];
    size_t n = 0;
    int simple = 1;
    c->i++;
    if (peek(c, 0) == '^') {
        simple = 0;
        c->i++;
    }
    int first = 1;
    for (;;) {
        int ch = peek(c, 0);
        if (ch < 0) {
            c->giveup = 1;
            return all_info();
        }
        if (ch == ']' && !first) {
            c->i++;
            break;
        }
        first = 0;
        int lo;
        if (ch == '\\') {
            int e = peek(c, 1);
            if (e < 0) {
                c->giveup = 1;
                return all_info();
            }
            if (e == 'Q' || e == 'E') {  /* quoting inside a class: not handled */
                c->giveup = 1;
                return all_info();
            }
            c->i += 2;
            if (e < 0x80 && !is_alnum(e)) {
                lo = e;
            } else {
                simple = 0;
                if ((e == 'x' || e == 'o' || e == 'N' || e == 'p' || e == 'P') && peek(c, 0) == '{')
                    skip_to(c, '}');
                else if (e == 'c' || e == 'p' || e == 'P')
                    c->i++;
                if (c->giveup)
                    return all_info();
                continue;
            }
        } else if (ch == '[' && (peek(c, 1) == ':' || peek(c, 1) == '.' || peek(c, 1) == '=')) {
            int kind = peek(c, 1);
            c->i += 2;
            while (c->i + 1 < c->len && !(c->p[c->i] == kind && c->p[c->i + 1] == ']'))
                c->i++;
            if (c->i + 1 >= c->len) {
                c->giveup = 1;
                return all_info();
            }
            c->i += 2;
            simple = 0;
            continue;
        } else if (ch >= 0x80) {
            c->i += char_len((unsigned char)ch);
            simple = 0;
            continue;
        } else {
            lo = ch;
            c->i++;
        }
        int hi = lo;
        if (peek(c, 0) == '-' && peek(c, 1) >= 0 && peek(c, 1) != ']') {
            int h = peek(c, 1);
            if (h == '\\' || h == '[' || h >= 0x80) {
                simple = 0;  /* the next round reads it as an item */
                c->i++;
                continue;
            }
            hi = h;
            c->i += 2;
        }
        for (int x = lo; x <= hi && simple; x++) {
            unsigned char u = (unsigned char)x;
            if (!plain_char(c, &u, 1)) {
                simple = 0;
                break;
            }
            u = df_ascii_lower(u);
            if (memchr(set, u, n) != NULL)
                continue;
            if (n == MAXSET)
                simple = 0;
            else
                set[n++] = u;
        }
    }
    if (!simple || n == 0)
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

/* A group at '('. */
static info group(ctx *c) {
    int next = peek(c, 1);
    if (next == '*') {
        c->giveup = 1;
        return all_info();
    }
    if (next == '?') {
        int k = peek(c, 2);
        if (k == ':' || k == '|' || k == '>') {
            c->i += 3;
        } else if (k == '<' && (peek(c, 3) == '_' || (peek(c, 3) >= 0 && peek(c, 3) < 0x80 &&
                                                       is_alnum(peek(c, 3)) && !is_digit(peek(c, 3))))) {
            c->i += 3;
            skip_to(c, '>');
        } else if (k == 'P' && peek(c, 3) == '<') {
            c->i += 4;
            skip_to(c, '>');
        } else if (k == '\'') {
            c->i += 3;
            skip_to(c, '\'');
        } else {
            c->giveup = 1;  /* lookaround, option, conditional, recursion, comment */
            return all_info();
        }
    } else {
        c->i++;
    }
    if (c->giveup)
        return all_info();
    if (++c->depth > MAXDEPTH) {
        c->giveup = 1;
        return all_info();
    }
    info r = alternation(c);
    c->depth--;
    if (peek(c, 0) != ')') {
        c->giveup = 1;
        return all_info();
    }
    c->i++;
    return r;
}

/* The next atom; giveup set when it cannot be read. */
static info atom(ctx *c) {
    if (c->quote) {
        if (peek(c, 0) == '\\' && peek(c, 1) == 'E') {
            c->quote = 0;
            c->i += 2;
            return empty_info();
        }
        return next_char_info(c);
    }
    int ch = peek(c, 0);
    switch (ch) {
    case '(':
        return group(c);
    case '[':
        return class_info(c);
    case '.':
        c->i++;
        return all_info();
    case '^': case '$':
        c->i++;
        return empty_info();
    case '\\':
        return escape(c);
    case '*': case '+': case '?':
        c->giveup = 1;
        return all_info();
    case '{':
        if (is_digit(peek(c, 1)) || peek(c, 1) == ',' || peek(c, 1) == ' ') {
            c->giveup = 1;
            return all_info();
        }
        return next_char_info(c);
    default:
        return next_char_info(c);
    }
}

static size_t read_number(ctx *c) {
    size_t v = 0;
    while (is_digit(peek(c, 0))) {
        if (v < 100000)
            v = v * 10 + (size_t)(peek(c, 0) - '0');
        c->i++;
    }
    return v;
}

#define UNBOUNDED SIZE_MAX

/* A quantifier after an atom: 1 with *min and *max, 0 when none. */
static int quantifier(ctx *c, size_t *min, size_t *max) {
    int ch = peek(c, 0);
    if (ch == '*' || ch == '+' || ch == '?') {
        *min = ch == '+' ? 1 : 0;
        *max = ch == '?' ? 1 : UNBOUNDED;
        c->i++;
    } else if (ch == '{') {
        int d = peek(c, 1);
        if (d == ',' || d == ' ') {
            c->giveup = 1;  /* newer PCRE2 reads {,n} and spaces as quantifiers */
            return 0;
        }
        if (!is_digit(d))
            return 0;
        c->i++;
        *min = *max = read_number(c);
        if (peek(c, 0) == ',') {
            c->i++;
            *max = is_digit(peek(c, 0)) ? read_number(c) : UNBOUNDED;
        }
        if (peek(c, 0) != '}') {
            c->giveup = 1;
            return 0;
        }
        c->i++;
    } else {
        return 0;
    }
    if (peek(c, 0) == '+' || peek(c, 0) == '?')  /* possessive or lazy */
        c->i++;
    return 1;
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
    while (c->i < c->len && !c->giveup && !c->nomem) {
        if (!c->quote && (c->p[c->i] == '|' || c->p[c->i] == ')'))
            break;
        info x = atom(c);
        if (c->giveup)
            break;
        if (c->quote) {
            if (peek(c, 0) == '\\' && peek(c, 1) == 'E') {
                c->quote = 0;
                c->i += 2;
            } else {
                seq_add(c, &s, &x);
                continue;
            }
        }
        while (peek(c, 0) == '\\' && peek(c, 1) == 'E')
            c->i += 2;
        size_t min, max;
        if (quantifier(c, &min, &max))
            x = repeat(c, &x, min, max);
        if (c->giveup)
            break;
        seq_add(c, &s, &x);
    }
    return seq_end(c, &s);
}

static info alternation(ctx *c) {
    info r = sequence(c);
    while (!c->giveup && !c->nomem && peek(c, 0) == '|') {
        c->i++;
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

df_status df_litquery_extract(const char *pattern, size_t len, unsigned flags,
                              df_litquery **out) {
    *out = NULL;
    if ((flags & DF_EXTENDED) && !(flags & DF_LITERAL))
        return DF_OK;
    ctx c;
    memset(&c, 0, sizeof c);
    c.p = (const unsigned char *)(pattern != NULL ? pattern : "");
    c.len = len;
    c.caseless = (flags & DF_CASELESS) != 0;
    new_node(&c, DF_LQ_ALL, 0, 0);
    info r;
    if (flags & DF_LITERAL) {
        seq s;
        seq_init(&s);
        while (c.i < c.len && !c.nomem) {
            info x = next_char_info(&c);
            seq_add(&c, &s, &x);
        }
        r = seq_end(&c, &s);
    } else {
        r = alternation(&c);
        if (c.i < c.len)  /* an unmatched ')': cannot happen after PCRE2 compiled it */
            c.giveup = 1;
    }
    size_t root = c.giveup || c.nomem ? ALL : query_of(&c, &r);
    df_status status = c.nomem ? DF_ENOMEM : DF_OK;
    if (!c.nomem && root != ALL) {
        size_t nodes = 0, kids = 0, bytes = 0;
        measure(&c, root, &nodes, &kids, &bytes);
        df_litquery *q = calloc(1, sizeof *q);
        if (q != NULL) {
            q->nodes = malloc(nodes * sizeof *q->nodes);
            q->kids = malloc((kids + 1) * sizeof *q->kids);
            q->bytes = malloc(bytes + 1);
        }
        if (q == NULL || q->nodes == NULL || q->kids == NULL || q->bytes == NULL) {
            df_litquery_free(q);
            status = DF_ENOMEM;
        } else {
            q->root = copy_node(&c, q, root);
            *out = q;
        }
    }
    free(c.nodes);
    free(c.kids);
    free(c.bytes);
    return status;
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
