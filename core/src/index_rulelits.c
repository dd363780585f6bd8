/* A tag regex as the set of literals it stands for, when it is one: the
 * rules people write are mostly word lists, \b(?:scor(?:e|ed|es)|songs?)\b,
 * and a literal database (with the word checks made in C, as for the
 * aliases) compiles in milliseconds where Vectorscan takes a quarter of a
 * second over the regexes, and scans faster.
 *
 * The subset read: characters (punctuation escaped or not), groups (?:...)
 * (?i:...) (?-i:...) with alternatives, '?' after a character or a group,
 * and, around one literal, \b at either end, \d+ at its start and \w* at
 * its end.  Anything else (classes, repeats, anchors, other escapes) and
 * the pattern is left to the regex database.  Exact on ASCII facts (and
 * Latin-1 ones, where PCRE2's \w, \b and caseless letters agree with the
 * scan's: index_multiscan.c says why); on other facts the literals only
 * screen, and a hit whose checks look beyond ASCII is left to PCRE2. */
#include <stdlib.h>
#include <string.h>

#include "index.h"

/* Tokens of an expanded sequence: a character (with TOKEN_CASELESS when a
 * caseless letter) or one of the assertions around a literal. */
enum {
    TOKEN_WORD_BOUNDARY = 0x100, /* \b */
    TOKEN_WORD_TAIL,             /* \w* */
    TOKEN_DIGITS,                /* \d+ */
    TOKEN_CASELESS = 0x200
};

/* More would mean a pattern written as something else than a word list. */
#define MAX_SEQUENCES 4096u
#define MAX_TOKENS (1u << 18)

/* A set of token sequences: sequence i is tokens[end[i - 1]..end[i]). */
typedef struct seqset {
    uint16_t *tokens;
    size_t *end;
    size_t count, token_count, token_capacity, end_capacity;
} seqset;

enum { EXPAND_OK = 0, EXPAND_NOT = 1, EXPAND_NOMEM = -1 };

typedef struct parser {
    const char *p, *end;
    int status;              /* EXPAND_* */
} parser;

static void seqset_free(seqset *s) {
    free(s->tokens);
    free(s->end);
    *s = (seqset){0};
}

static size_t seq_start(const seqset *s, size_t i) {
    return i > 0 ? s->end[i - 1] : 0;
}

/* Append a sequence made of two token runs (either may be empty). */
static int seqset_add(parser *ps, seqset *s, const uint16_t *a, size_t na, const uint16_t *b,
                      size_t nb) {
    if (ps->status != EXPAND_OK)
        return -1;
    if (s->count >= MAX_SEQUENCES || s->token_count + na + nb > MAX_TOKENS) {
        ps->status = EXPAND_NOT;
        return -1;
    }
    if (df_grow((void **)&s->tokens, &s->token_capacity, s->token_count + na + nb + 1,
                sizeof *s->tokens) != 0 ||
        df_grow((void **)&s->end, &s->end_capacity, s->count + 1, sizeof *s->end) != 0) {
        ps->status = EXPAND_NOMEM;
        return -1;
    }
    if (na > 0)
        memcpy(s->tokens + s->token_count, a, na * sizeof *a);
    if (nb > 0)
        memcpy(s->tokens + s->token_count + na, b, nb * sizeof *b);
    s->token_count += na + nb;
    s->end[s->count++] = s->token_count;
    return 0;
}

/* Every sequence of `head` followed by every sequence of `tail`, into
 * *head. */
static void seqset_concat(parser *ps, seqset *head, const seqset *tail) {
    seqset out = {0};
    for (size_t i = 0; i < head->count && ps->status == EXPAND_OK; i++)
        for (size_t j = 0; j < tail->count && ps->status == EXPAND_OK; j++) {
            size_t hi = seq_start(head, i), ti = seq_start(tail, j);
            seqset_add(ps, &out, head->tokens + hi, head->end[i] - hi, tail->tokens + ti,
                       tail->end[j] - ti);
        }
    seqset_free(head);
    *head = out;
}

/* Move the sequences of `more` into *s. */
static void seqset_union(parser *ps, seqset *s, seqset *more) {
    for (size_t j = 0; j < more->count && ps->status == EXPAND_OK; j++) {
        size_t start = seq_start(more, j);
        seqset_add(ps, s, more->tokens + start, more->end[j] - start, NULL, 0);
    }
    seqset_free(more);
}

static void seqset_one(parser *ps, seqset *s, uint16_t token) {
    seqset_add(ps, s, &token, 1, NULL, 0);
}

static int is_letter(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void parse_alternatives(parser *ps, int caseless, seqset *out);

/* "(?:", "(?i:" or "(?-i:" at ps->p: the group's case, or -1. */
static int group_case(parser *ps, int caseless) {
    static const struct {
        const char *open;
        int caseless;   /* -1: as outside */
    } groups[] = {{"(?:", -1}, {"(?i:", 1}, {"(?-i:", 0}};
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        size_t n = strlen(groups[g].open);
        if ((size_t)(ps->end - ps->p) >= n && memcmp(ps->p, groups[g].open, n) == 0) {
            ps->p += n;
            return groups[g].caseless < 0 ? caseless : groups[g].caseless;
        }
    }
    return -1;
}

/* One character, escape or group at ps->p into *out. */
static void parse_atom(parser *ps, int caseless, seqset *out) {
    unsigned char c = (unsigned char)*ps->p;
    size_t left = (size_t)(ps->end - ps->p);
    if (c == '(') {
        /* A capture is a group like any other when only whether the
         * regex matches counts. */
        int inner = left >= 2 && ps->p[1] != '?' ? (ps->p++, caseless) : group_case(ps, caseless);
        if (inner < 0) {
            ps->status = EXPAND_NOT;
            return;
        }
        parse_alternatives(ps, inner, out);
        if (ps->status == EXPAND_OK && (ps->p == ps->end || *ps->p != ')'))
            ps->status = EXPAND_NOT;
        if (ps->p < ps->end)
            ps->p++;
    } else if (c == '\\' && left >= 2) {
        unsigned char e = (unsigned char)ps->p[1];
        ps->p += 2;
        int repeat = (e == 'w' || e == 'd') && ps->p < ps->end && *ps->p == (e == 'w' ? '*' : '+');
        ps->p += (size_t)repeat;
        /* A quantified assertion or repeat (\b?, \d+?) is not read. */
        if ((e == 'b' || repeat) && ps->p < ps->end && strchr("?+*{", *ps->p) != NULL) {
            ps->status = EXPAND_NOT;
        } else if (e == 'b') {
            seqset_one(ps, out, TOKEN_WORD_BOUNDARY);
        } else if (repeat) {
            seqset_one(ps, out, e == 'w' ? TOKEN_WORD_TAIL : TOKEN_DIGITS);
        } else if (e >= 0x20 && e < 0x7F && !df_is_word_byte(e)) {
            seqset_one(ps, out, e);
        } else {
            ps->status = EXPAND_NOT;
        }
    } else if (c < 0x20 || c >= 0x7F || strchr(".[]^$*+?{}|)\\", c) != NULL) {
        ps->status = EXPAND_NOT;
    } else {
        ps->p++;
        seqset_one(ps, out, (uint16_t)(c | (caseless && is_letter(c) ? TOKEN_CASELESS : 0)));
    }
}

/* Atoms, each maybe optional, up to '|', ')' or the end. */
static void parse_sequence(parser *ps, int caseless, seqset *out) {
    seqset_add(ps, out, NULL, 0, NULL, 0);
    while (ps->status == EXPAND_OK && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        seqset atom = {0};
        parse_atom(ps, caseless, &atom);
        if (ps->status == EXPAND_OK && ps->p < ps->end && *ps->p == '?') {
            ps->p++;
            seqset_add(ps, &atom, NULL, 0, NULL, 0);
        }
        /* Lazy, possessive and counted repeats are not word lists. */
        if (ps->status == EXPAND_OK && ps->p < ps->end && strchr("?+*{", *ps->p) != NULL)
            ps->status = EXPAND_NOT;
        seqset_concat(ps, out, &atom);
        seqset_free(&atom);
    }
}

static void parse_alternatives(parser *ps, int caseless, seqset *out) {
    parse_sequence(ps, caseless, out);
    while (ps->status == EXPAND_OK && ps->p < ps->end && *ps->p == '|') {
        ps->p++;
        seqset more = {0};
        parse_sequence(ps, caseless, &more);
        seqset_union(ps, out, &more);
    }
}

/* The literal of tokens[0..n), in the form [\b][\d+]chars[\w*][\b], and
 * its checks; EXPAND_NOT for another form or letters of both cases. */
static int to_literal(const uint16_t *tokens, size_t n, char *text, df_rule_literal *lit) {
    size_t i = 0, len = 0;
    int boundary_before = i < n && tokens[i] == TOKEN_WORD_BOUNDARY;
    i += (size_t)boundary_before;
    int digits = i < n && tokens[i] == TOKEN_DIGITS;
    i += (size_t)digits;
    int caseless = -1;
    for (; i < n && (tokens[i] & ~(unsigned)TOKEN_CASELESS) < TOKEN_WORD_BOUNDARY; i++) {
        unsigned char c = (unsigned char)(tokens[i] & 0xFF);
        int folds = (tokens[i] & TOKEN_CASELESS) != 0;
        if (is_letter(c) && caseless >= 0 && caseless != folds)
            return EXPAND_NOT;
        if (is_letter(c))
            caseless = folds;
        text[len++] = (char)c;
    }
    int tail = i < n && tokens[i] == TOKEN_WORD_TAIL;
    i += (size_t)tail;
    int boundary_after = i < n && tokens[i] == TOKEN_WORD_BOUNDARY;
    i += (size_t)boundary_after;
    if (len == 0 || i != n)
        return EXPAND_NOT;
    int first_word = digits || df_is_word_byte((unsigned char)text[0]);
    int last_word = df_is_word_byte((unsigned char)text[len - 1]);
    unsigned checks = digits ? DF_LIT_DIGITS_BEFORE : 0u;
    if (boundary_before)
        checks |= first_word ? DF_LIT_NONWORD_BEFORE : DF_LIT_WORD_BEFORE;
    /* \w*\b after a word character always holds: the tail runs to the end
     * of the word.  After another character it needs a word to follow. */
    if (boundary_after && !(tail && last_word))
        checks |= last_word && !tail ? DF_LIT_NONWORD_AFTER : DF_LIT_WORD_AFTER;
    *lit = (df_rule_literal){.len = (uint32_t)len, .caseless = caseless > 0, .checks = checks};
    return EXPAND_OK;
}

/* Append the literals of sequences[0..) to *set for rule `rule`; the set is
 * left as it was when one sequence is not a literal. */
static int add_sequences(df_literal_set *set, const seqset *seqs, uint32_t rule) {
    size_t count = set->count, text_len = set->text_len;
    for (size_t i = 0; i < seqs->count; i++) {
        size_t start = seq_start(seqs, i), n = seqs->end[i] - start;
        if (df_grow((void **)&set->text, &set->text_capacity, set->text_len + n + 1, 1) != 0 ||
            df_grow((void **)&set->items, &set->capacity, set->count + 1, sizeof *set->items) !=
                0)
            return EXPAND_NOMEM;
        df_rule_literal *lit = &set->items[set->count];
        int status = to_literal(seqs->tokens + start, n, set->text + set->text_len, lit);
        if (status != EXPAND_OK) {
            set->count = count;
            set->text_len = text_len;
            return status;
        }
        lit->rule = rule;
        lit->offset = (uint32_t)set->text_len;
        set->text_len += lit->len;
        set->count++;
    }
    return EXPAND_OK;
}

int df_literal_set_add(df_literal_set *set, const char *pattern, size_t len, int caseless,
                       uint32_t rule) {
    parser ps = {pattern, pattern + len, EXPAND_OK};
    seqset seqs = {0};
    if (len == 0)
        return 0;
    parse_alternatives(&ps, caseless, &seqs);
    if (ps.status == EXPAND_OK && ps.p != ps.end)
        ps.status = EXPAND_NOT; /* a ')' without its '(' */
    int status = ps.status == EXPAND_OK ? add_sequences(set, &seqs, rule) : ps.status;
    seqset_free(&seqs);
    return status == EXPAND_OK ? 1 : status == EXPAND_NOT ? 0 : -1;
}

void df_literal_set_free(df_literal_set *set) {
    free(set->text);
    free(set->items);
    *set = (df_literal_set){0};
}
