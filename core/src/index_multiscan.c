/* The multi-pattern scan of the index build: every entity alias, and the
 * literals of every tag regex that is a word list (index_rulelits.c), in
 * one Vectorscan literal database; the other tag regexes Vectorscan can
 * compile in one regex database.  A fact is read once for all aliases and
 * word-list rules, not once per PCRE2 alternation chunk and once per rule.
 *
 * Vectorscan works on bytes; PCRE2 here on UTF-8 with Unicode properties.
 * The two agree where the fact is ASCII: there \w, \b, \s, \d and caseless
 * letters mean the same to both (no Kelvin sign or long s in the text to
 * fold to a k or an s), so the databases decide ASCII facts exactly as the
 * PCRE2 path would.  The literals also decide a fact whose characters
 * beyond ASCII are Latin-1 letters with a case pair (DF_FACT_LATIN): every
 * byte beyond ASCII is then of a word character, and an alias with such
 * letters is entered in each case of them.  The word-list rules screen the
 * other facts (df_rulescan_screen).  Every other fact and rule takes the
 * PCRE2 path (index_build.c).
 *
 * Aliases are literals.  An alias's space stands for any run of whitespace
 * and its apostrophe for either apostrophe: the scan reads the fact with
 * each run of whitespace as one space (a copy, when the fact has other
 * runs) against the aliases with ASCII apostrophes.  A match's start is its
 * end less the alias's length; the whole-word checks are made here, and the
 * mentions chosen leftmost-longest as df_entscan_next chooses them.  A rule
 * literal's space is one space: its hits count in a flat fact's scan, and
 * a fact with other whitespace is scanned again as it is for them.
 *
 * A Vectorscan call costs about what scanning a short fact does: flat ASCII
 * facts that follow each other in the corpus text are scanned many in one
 * call (df_aliasscan_run), each hit given to its fact by its end. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <hs/hs.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "corpus.h"
#include "index.h"
#include "pattern.h"

#define ONES UINT64_C(0x0101010101010101)
#define HIGH (ONES * 0x80)

/* Bit 7 of each byte of an ASCII word set where the byte is below 0x20. */
static uint64_t controls(uint64_t w) {
    return ~((w & ~HIGH) + ONES * 0x60) & HIGH;
}

/* Bit 7 of each byte of an ASCII word set where the byte is a space. */
static uint64_t spaces(uint64_t w) {
    uint64_t x = w ^ (ONES * ' ');
    return ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
}

/* Whether the second byte of a character C3 xx is one of the Latin-1
 * letters whose other case is C3 (xx ^ 0x20): U+00C0-U+00DE and
 * U+00E0-U+00FE but the signs U+00D7 and U+00F7. */
static int latin_pair_byte(unsigned char b) {
    return (b >= 0x80 && b <= 0x9E && b != 0x97) || (b >= 0xA0 && b <= 0xBE && b != 0xB7);
}

/* Whether every character of text beyond ASCII is such a letter.  PCRE2
 * folds them to each other only (no sign, space or apostrophe among them,
 * nothing folding to ASCII) and counts them in \w, as every byte beyond
 * ASCII is to df_is_word_byte. */
static int latin_letters_only(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0x80)
            continue;
        if (s[i] != 0xC3 || i + 1 == len || !latin_pair_byte(s[i + 1]))
            return 0;
        i++;
    }
    return 1;
}

/* What df_fact_class looks for, as found so far: non-zero when seen. */
typedef struct class_scan {
    uint64_t any_high, any_control, doubled;
    uint64_t carried;        /* the last byte read was a space */
} class_scan;

#if defined(__SSE2__)
/* Sixteen bytes a step from text[0], up to the last whole sixteen; where it
 * stopped.  Bit k of a mask is byte k: a space doubles one at bit k - 1,
 * or, at bit 0, the last byte of the step before. */
static size_t class_sse2(const char *text, size_t len, class_scan *c) {
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(text + i));
        unsigned high = (unsigned)_mm_movemask_epi8(v);
        /* Signed, bytes from 0x80 on are below 0x20 too: not controls. */
        unsigned low = (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        unsigned sp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')));
        c->any_high |= high;
        c->any_control |= low & ~high;
        c->doubled |= sp & ((sp << 1) | (unsigned)c->carried);
        c->carried = sp >> 15;
    }
    return i;
}
#endif

/* Eight bytes at a time (sixteen with SSE2).  Byte order does not matter:
 * two spaces in a row are neighbouring bytes of a word either way, or the
 * last byte of one word and the first of the next (`carried`). */
unsigned df_fact_class(const char *text, size_t len) {
    class_scan f = {0};
    size_t i = 0;
#if defined(__SSE2__)
    i = class_sse2(text, len, &f);
#endif
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, text + i, 8);
        f.any_high |= w & HIGH;
        uint64_t sp = spaces(w);
        f.any_control |= controls(w) & ~w;
        f.doubled |= (sp & (sp << 8)) | (uint64_t)(f.carried && text[i] == ' ');
        f.carried = text[i + 7] == ' ';
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        f.any_high |= c & 0x80;
        f.any_control |= c < 0x20;
        f.doubled |= f.carried && c == ' ';
        f.carried = c == ' ';
    }
    unsigned flat = f.any_control == 0 && f.doubled == 0 ? DF_FACT_FLAT : 0u;
    if (f.any_high == 0)
        return DF_FACT_ASCII | flat;
    return latin_letters_only(text, len) ? DF_FACT_LATIN | flat : 0u;
}

/* The long s (U+017F) and the Kelvin sign (U+212A) are the characters
 * beyond ASCII that PCRE2's caseless matching folds to ASCII letters. */
int df_has_ascii_fold(const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)text;
    for (size_t i = 0; i + 1 < len; i++)
        if ((s[i] == 0xC5 && s[i + 1] == 0xBF) ||
            (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x84 && s[i + 2] == 0xAA))
            return 1;
    return 0;
}

static int is_ascii_word(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static df_status vectorscan_fail(df_error *err, hs_error_t code, const char *what) {
    if (code == HS_NOMEM)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory %s", what);
    return df_fail(err, DF_EMATCH, 0, 0, "Vectorscan error %d %s", (int)code, what);
}

/* The literals of a Vectorscan database being made, as
 * hs_compile_lit_multi takes them. */
typedef struct literal_table {
    const char **texts;
    size_t *lens;
    unsigned *flags, *ids;
    unsigned count;
} literal_table;

/* Room for `capacity` literals; -1 out of memory (or too many). */
static int table_alloc(literal_table *t, size_t capacity) {
    *t = (literal_table){0};
    if (capacity >= UINT_MAX)
        return -1;
    t->texts = calloc(capacity + 1, sizeof *t->texts);
    t->lens = calloc(capacity + 1, sizeof *t->lens);
    t->flags = calloc(capacity + 1, sizeof *t->flags);
    t->ids = calloc(capacity + 1, sizeof *t->ids);
    return t->texts && t->lens && t->flags && t->ids ? 0 : -1;
}

static void table_free(literal_table *t) {
    free(t->texts);
    free(t->lens);
    free(t->flags);
    free(t->ids);
}

/* Add a literal; its id is its place. */
static void table_push(literal_table *t, const char *text, size_t len, int caseless) {
    t->texts[t->count] = text;
    t->lens[t->count] = len;
    t->flags[t->count] = caseless ? HS_FLAG_CASELESS : 0u;
    t->ids[t->count] = t->count;
    t->count++;
}

/* The database of the table and scratch for it (grown when given). */
static hs_error_t table_compile(const literal_table *t, hs_database_t **db,
                                hs_scratch_t **scratch) {
    hs_compile_error_t *ce = NULL;
    hs_error_t rc = hs_compile_lit_multi(t->texts, t->flags, t->ids, t->lens, t->count,
                                         HS_MODE_BLOCK, NULL, db, &ce);
    hs_free_compile_error(ce);
    return rc == HS_SUCCESS ? hs_alloc_scratch(*db, scratch) : rc;
}

/* ---------------------------------------------------------------- aliases */

enum { WORD_START = 1, WORD_END = 2 };

typedef struct alias_literal {
    uint32_t alias;
    uint32_t len;
    unsigned checks;         /* WORD_START, WORD_END */
} alias_literal;

typedef struct alias_match {
    size_t start, end;       /* in the text scanned */
    uint32_t alias;
    uint32_t fact;           /* of the facts scanned together */
} alias_match;

struct df_aliasscan {
    hs_database_t *db;
    hs_scratch_t *scratch;
    int unusable;            /* an alias the scan cannot stand for */
    int latin_blind;         /* an alias only PCRE2 finds in a DF_FACT_LATIN fact */
    alias_literal *literals; /* by Vectorscan id, below alias_ids */
    unsigned alias_ids;      /* ids from here on are rules's literals */
    df_rulescan *rules;      /* borrowed: its literals are in the database too */
    alias_match *matches;    /* of the facts scanned, grouped by fact */
    size_t match_count, match_capacity;
    size_t next_match;       /* the first not yet taken (df_aliasscan_take) */
    size_t run_base;         /* where the last run's text starts in the corpus text */
    const df_fact_entry *run; /* borrowed: the facts of the last run */
    int failed;              /* out of memory in the match callback */
    char *flat;              /* the fact, each whitespace run one space */
    uint32_t *flat_at;       /* where each byte of flat came from */
    size_t flat_capacity;
};

/* The literal a fact holds where PCRE2 finds alias a: typographic
 * apostrophes made ASCII and, caseless, a Kelvin sign a k and a long s an s
 * (what they fold to); SIZE_MAX when the scan cannot stand for it (the
 * gazetteer normalises names, so this is a defence: a control character,
 * or a space that is not one between two words). */
static size_t ascii_literal(const df_alias *a, char *out) {
    static const struct {
        const char *from;
        size_t len;
        char to;
        int caseless_only;
    } swaps[] = {{"\xE2\x80\x99", 3, '\'', 0}, {"\xE2\x84\xAA", 3, 'k', 1}, {"\xC5\xBF", 2, 's', 1}};
    size_t n = 0, k;
    for (size_t i = 0; i < a->len;) {
        for (k = 0; k < sizeof swaps / sizeof swaps[0]; k++)
            if ((!swaps[k].caseless_only || !a->exact_case) && a->len - i >= swaps[k].len &&
                memcmp(a->text + i, swaps[k].from, swaps[k].len) == 0)
                break;
        if (k < sizeof swaps / sizeof swaps[0]) {
            out[n++] = swaps[k].to;
            i += swaps[k].len;
        } else {
            out[n++] = a->text[i++];
        }
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        if (c < 0x20 || (c == ' ' && (i == 0 || i + 1 == n || out[i + 1] == ' ')))
            return SIZE_MAX;
    }
    return n;
}

/* More than this many Latin letters in a caseless alias: PCRE2 matches it. */
#define MAX_LATIN_LETTERS 4

/* How many literals stand for literal lit[0..len) of an alias: 1 for ASCII,
 * one per choice of case of its Latin letters, 0 when facts of the scan
 * cannot hold it (another character beyond ASCII). */
static size_t literal_variants(const char *lit, size_t len, int exact_case) {
    unsigned cls = df_fact_class(lit, len);
    if (cls & DF_FACT_ASCII)
        return 1;
    if (!(cls & DF_FACT_LATIN))
        return 0;
    size_t letters = 0;
    for (size_t i = 0; i < len; i++)
        letters += (unsigned char)lit[i] == 0xC3;
    return exact_case ? 1 : letters <= MAX_LATIN_LETTERS ? (size_t)1 << letters : 0;
}

/* Variant v of literal lit[0..len) into out: the k-th Latin letter in its
 * other case where bit k of v is set. */
static void write_variant(const char *lit, size_t len, size_t v, char *out) {
    memcpy(out, lit, len);
    for (size_t i = 0, k = 0; i + 1 < len; i++)
        if ((unsigned char)out[i] == 0xC3) {
            if ((v >> k++) & 1)
                out[i + 1] = (char)((unsigned char)out[i + 1] ^ 0x20);
            i++;
        }
}

static const df_literal_set *rule_literals(const df_rulescan *s);

/* The literals of rule set `set` (may be NULL) into t. */
static void push_rule_literals(literal_table *t, const df_literal_set *set) {
    for (size_t i = 0; set != NULL && i < set->count; i++)
        table_push(t, set->text + set->items[i].offset, set->items[i].len,
                   (int)set->items[i].caseless);
}

/* The literals the aliases need, and their bytes: a pass before the one
 * that writes them.  0, or -1 when an alias makes the scan unusable. */
static int size_literals(df_aliasscan *s, const df_alias *aliases, size_t count, char *scratch,
                         size_t *literals, size_t *bytes) {
    for (size_t i = 0; i < count; i++) {
        size_t len = ascii_literal(&aliases[i], scratch);
        if (len == SIZE_MAX) {
            s->unusable = 1;
            return -1;
        }
        size_t variants = literal_variants(scratch, len, aliases[i].exact_case);
        s->latin_blind |= variants == 0;
        *literals += variants;
        *bytes += variants * len;
    }
    return 0;
}

/* Write the literals of alias i (of aliases) from `at` in the arena into
 * t, s->literals telling them apart by id. */
static void put_alias(df_aliasscan *s, const df_alias *aliases, size_t i, char *scratch,
                      char *arena, size_t *at, literal_table *t) {
    const df_alias *a = &aliases[i];
    size_t len = ascii_literal(a, scratch);
    size_t variants = literal_variants(scratch, len, a->exact_case);
    unsigned checks = (df_is_word_byte((unsigned char)a->text[0]) ? WORD_START : 0u) |
                      (df_is_word_byte((unsigned char)a->text[a->len - 1]) ? WORD_END : 0u);
    for (size_t v = 0; v < variants; v++) {
        write_variant(scratch, len, v, arena + *at);
        s->literals[t->count] = (alias_literal){.alias = (uint32_t)i, .len = (uint32_t)len,
                                                .checks = checks};
        table_push(t, arena + *at, len, !a->exact_case);
        *at += len;
    }
}

static df_status compile_aliases(df_aliasscan *s, const df_alias *aliases, size_t count,
                                 df_error *err) {
    const df_literal_set *more = rule_literals(s->rules);
    size_t longest = 0, literals = 0, bytes = 0;
    for (size_t i = 0; i < count; i++)
        longest = aliases[i].len > longest ? aliases[i].len : longest;
    char *scratch = malloc(longest + 1), *arena = NULL;
    literal_table t = {0};
    df_status status = DF_OK;
    if (scratch != NULL && size_literals(s, aliases, count, scratch, &literals, &bytes) != 0)
        goto done;
    if (scratch == NULL || (arena = malloc(bytes + 1)) == NULL ||
        table_alloc(&t, literals + (more != NULL ? more->count : 0)) != 0 ||
        (s->literals = calloc(literals + 1, sizeof *s->literals)) == NULL) {
        status = df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the entity aliases");
        goto done;
    }
    for (size_t i = 0, at = 0; i < count; i++)
        put_alias(s, aliases, i, scratch, arena, &at, &t);
    s->alias_ids = t.count;
    push_rule_literals(&t, more);
    hs_error_t rc = t.count > 0 ? table_compile(&t, &s->db, &s->scratch) : HS_SUCCESS;
    if (rc != HS_SUCCESS)
        status = vectorscan_fail(err, rc, "compiling the entity aliases");
done:
    free(scratch);
    free(arena);
    table_free(&t);
    return status;
}

df_status df_aliasscan_new(const df_alias *aliases, size_t count, df_rulescan *rules,
                           df_aliasscan **out, df_error *err) {
    *out = NULL;
    df_aliasscan *s = calloc(1, sizeof *s);
    if (s == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the entity aliases");
    s->rules = rules;
    df_status status = compile_aliases(s, aliases, count, err);
    if (status != DF_OK) {
        df_aliasscan_free(s);
        return status;
    }
    *out = s;
    return DF_OK;
}

void df_aliasscan_free(df_aliasscan *s) {
    if (s == NULL)
        return;
    hs_free_scratch(s->scratch);
    hs_free_database(s->db);
    free(s->literals);
    free(s->matches);
    free(s->flat);
    free(s->flat_at);
    free(s);
}

typedef struct alias_hit_ctx {
    df_aliasscan *s;
    const unsigned char *text; /* as scanned */
    size_t len;
    const df_scan_sinks *sinks;
    int rules;                 /* the text is the facts' own: rule literals count */
    const df_fact_entry *facts; /* scanned together, from text less base */
    size_t count, base;
    size_t fact;               /* of the last hit */
    size_t rule_fact;          /* of the last rule hit (SIZE_MAX: none yet) */
    int unordered;             /* a hit came in a fact before the last hit's */
} alias_hit_ctx;

static int rule_literal_hit(df_rulescan *s, unsigned id, const unsigned char *text, size_t len,
                            size_t end, uint32_t *rule);

/* The fact of those scanned together that a match ending at `end` lies in.
 * No match holds the NUL between two facts, so a match lies in the first
 * fact that does not end before it.  Hits come in order of their ends: the
 * fact is the last hit's, or one after it; should one come before, the
 * search starts over from the first. */
static size_t fact_of_hit(alias_hit_ctx *c, size_t end) {
    size_t k = c->fact;
    if (end <= c->facts[k].offset - c->base) {
        c->unordered = 1;
        k = 0;
    }
    while (k + 1 < c->count && end > c->facts[k].offset + c->facts[k].len - c->base)
        k++;
    c->fact = k;
    return k;
}

/* A rule literal's hit in fact k, counted once per fact and rule. */
static void rule_hit(alias_hit_ctx *c, unsigned id, size_t end, size_t k) {
    df_aliasscan *s = c->s;
    uint32_t rule;
    if (k != c->rule_fact) {
        df_rulescan_begin_fact(s->rules);
        c->rule_fact = k;
    }
    if (rule_literal_hit(s->rules, id - s->alias_ids, c->text, c->len, end, &rule) > 0)
        c->sinks->rule(c->sinks->rule_ctx, k, rule);
}

static int on_alias(unsigned id, unsigned long long from, unsigned long long to,
                    unsigned flags, void *ctx) {
    (void)from;
    (void)flags;
    alias_hit_ctx *c = ctx;
    df_aliasscan *s = c->s;
    size_t end = (size_t)to, k = fact_of_hit(c, end);
    if (id >= s->alias_ids) {
        if (c->rules)
            rule_hit(c, id, end, k);
        return 0;
    }
    const alias_literal *lit = &s->literals[id];
    size_t start = end - lit->len;
    /* A space of the flat copy is whitespace of the fact: no word either.
     * Every byte beyond ASCII is of a letter in the facts scanned.  The NUL
     * between two facts is no word byte: a fact's edge is a word's. */
    if (((lit->checks & WORD_START) && start > 0 && df_is_word_byte(c->text[start - 1])) ||
        ((lit->checks & WORD_END) && end < c->len && df_is_word_byte(c->text[end])))
        return 0;
    if (df_grow((void **)&s->matches, &s->match_capacity, s->match_count + 1,
                sizeof *s->matches) != 0) {
        s->failed = 1;
        return 1;
    }
    s->matches[s->match_count++] = (alias_match){start, end, lit->alias, (uint32_t)k};
    return 0;
}

/* text[0..len) into s->flat with each whitespace run one space, and where
 * each of its bytes came from; its length, or SIZE_MAX out of memory. */
static size_t flatten(df_aliasscan *s, const char *text, size_t len) {
    size_t cap = s->flat_capacity;
    if (df_grow((void **)&s->flat, &cap, len, 1) != 0 ||
        df_grow((void **)&s->flat_at, &s->flat_capacity, len, sizeof *s->flat_at) != 0)
        return SIZE_MAX;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        int space = df_is_space((unsigned char)text[i]);
        if (space && n > 0 && s->flat[n - 1] == ' ' && df_is_space((unsigned char)text[i - 1]))
            continue;
        s->flat[n] = space ? ' ' : text[i];
        s->flat_at[n++] = (uint32_t)i;
    }
    return n;
}

/* Leftmost first, longest on a tie, lowest alias on a full tie. */
static int by_position(const void *pa, const void *pb) {
    const alias_match *a = pa, *b = pb;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (a->end != b->end)
        return a->end > b->end ? -1 : 1;
    return (a->alias > b->alias) - (a->alias < b->alias);
}

int df_aliasscan_usable(const df_aliasscan *s) {
    return !s->unusable;
}

int df_aliasscan_latin(const df_aliasscan *s) {
    return s != NULL && !s->latin_blind;
}

/* Sort matches[0..n) by position: they come nearly in order (by end), a
 * fact's few by insertion, the many of an unordered run by qsort. */
static void sort_matches(alias_match *matches, size_t n) {
    if (n > 32) {
        qsort(matches, n, sizeof *matches, by_position);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        alias_match m = matches[i];
        size_t j = i;
        for (; j > 0 && by_position(&matches[j - 1], &m) > 0; j--)
            matches[j] = matches[j - 1];
        matches[j] = m;
    }
}

/* The mentions of fact k of the last scan, chosen among its matches and
 * mapped back to the fact: offsets less `base`, or through flat_at. */
static df_status choose(df_aliasscan *s, size_t k, size_t base, const uint32_t *flat_at,
                        df_alias_fn fn, void *ctx, df_error *err) {
    size_t from = s->next_match;
    while (from < s->match_count && s->matches[from].fact < k)
        from++;
    size_t to = from;
    while (to < s->match_count && s->matches[to].fact == k)
        to++;
    s->next_match = to;
    sort_matches(s->matches + from, to - from);
    size_t pos = 0;
    for (size_t i = from; i < to; i++) {
        const alias_match *m = &s->matches[i];
        if (m->start < pos)
            continue;
        size_t start = flat_at ? flat_at[m->start] : m->start - base;
        size_t end = flat_at ? flat_at[m->end - 1] + 1 : m->end - base;
        if (fn(ctx, start, end, m->alias) != 0)
            return df_fail(err, DF_ENOMEM, 0, 0, "out of memory matching entities");
        pos = m->end;
    }
    return DF_OK;
}

/* One Vectorscan scan of text[0..len), the facts[0..count) (offsets less
 * base) in it, their matches into s->matches grouped by fact. */
static df_status scan(df_aliasscan *s, const char *text, size_t len, const df_fact_entry *facts,
                      size_t count, size_t base, int rules, const df_scan_sinks *sinks,
                      df_error *err) {
    alias_hit_ctx c = {s, (const unsigned char *)text, len, sinks, rules, facts, count, base,
                       0, SIZE_MAX, 0};
    s->match_count = s->next_match = 0;
    s->failed = 0;
    hs_error_t rc = hs_scan(s->db, text, (unsigned)len, 0, s->scratch, on_alias, &c);
    if (s->failed)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory matching entities");
    if (rc != HS_SUCCESS)
        return vectorscan_fail(err, rc, "matching entities");
    /* Facts do not overlap: in order of start, matches are by fact too. */
    if (c.unordered)
        qsort(s->matches, s->match_count, sizeof *s->matches, by_position);
    return DF_OK;
}

df_status df_aliasscan_fact(df_aliasscan *s, const char *text, size_t len, unsigned fact_class,
                            const df_scan_sinks *sinks, df_error *err) {
    if (s->db == NULL)
        return DF_OK;
    int rules = s->rules != NULL && (fact_class & DF_FACT_FLAT) && (fact_class & DF_FACT_ASCII);
    const uint32_t *flat_at = NULL;
    if (!(fact_class & DF_FACT_FLAT)) {
        if ((len = flatten(s, text, len)) == SIZE_MAX)
            return df_fail(err, DF_ENOMEM, 0, 0, "out of memory matching entities");
        text = s->flat;
        flat_at = s->flat_at;
    }
    df_fact_entry whole = {.len = len};
    df_status status = scan(s, text, len, &whole, 1, 0, rules, sinks, err);
    return status == DF_OK ? choose(s, 0, 0, flat_at, sinks->mention, sinks->mention_ctx, err)
                           : status;
}

df_status df_aliasscan_run(df_aliasscan *s, const char *text, const df_fact_entry *facts,
                           size_t count, const df_scan_sinks *sinks, df_error *err) {
    s->run = facts;
    s->run_base = facts[0].offset;
    s->match_count = s->next_match = 0;
    if (s->db == NULL)
        return DF_OK;
    size_t len = facts[count - 1].offset + facts[count - 1].len - s->run_base;
    return scan(s, text + s->run_base, len, facts, count, s->run_base, s->rules != NULL, sinks,
                err);
}

df_status df_aliasscan_take(df_aliasscan *s, size_t k, df_alias_fn fn, void *ctx,
                            df_error *err) {
    return choose(s, k, s->run[k].offset - s->run_base, NULL, fn, ctx, err);
}

/* -------------------------------------------------------------- tag rules */

enum { DECIDED_AS_REGEX = 1, DECIDED_AS_LITERAL = 2 };

/* Rules that are word lists (index_rulelits.c) go to a literal database,
 * the word checks made here; the other regexes to a regex database. */
struct df_rulescan {
    hs_database_t *db;       /* the regex rules, or NULL */
    hs_database_t *literal_db; /* the literal rules, or NULL */
    hs_scratch_t *scratch;   /* for either */
    df_literal_set literals; /* by literal database id */
    uint32_t *rule_of;       /* by regex database id: the rule */
    unsigned char *decides;  /* per rule: in a database (DECIDED_AS_*) */
    uint32_t *matched_in;    /* per rule: the scan that last matched it */
    uint32_t scan_number;
    size_t rule_count;
};

/* Whether Vectorscan may decide a regex on ASCII facts: an ASCII pattern
 * without NUL, with flags it knows as PCRE2 does; its flags then. */
static int rule_flags(const df_regex *re, unsigned *flags) {
    if ((re->flags & ~(unsigned)(DF_CASELESS | DF_MULTILINE | DF_DOTALL)) != 0 ||
        strlen(re->pattern) != re->pattern_len)
        return 0;
    for (size_t i = 0; i < re->pattern_len; i++)
        if ((unsigned char)re->pattern[i] >= 0x80)
            return 0;
    *flags = HS_FLAG_SINGLEMATCH | (re->flags & DF_CASELESS ? HS_FLAG_CASELESS : 0u) |
             (re->flags & DF_MULTILINE ? HS_FLAG_MULTILINE : 0u) |
             (re->flags & DF_DOTALL ? HS_FLAG_DOTALL : 0u);
    return 1;
}

/* Compile the regexes patterns[0..n); a rule Vectorscan refuses (a
 * lookbehind, a back-reference, a pattern that can match empty) is
 * dropped and the rest compiled again.  Marks the rules it decides. */
static df_status compile_regexes(df_rulescan *s, const char **patterns, unsigned *flags,
                                 unsigned *ids, unsigned n, df_error *err) {
    df_status status = DF_OK;
    while (n > 0) {
        hs_compile_error_t *ce = NULL;
        hs_error_t rc = hs_compile_multi(patterns, flags, ids, n, HS_MODE_BLOCK, NULL, &s->db,
                                         &ce);
        int refused = rc == HS_COMPILER_ERROR && ce != NULL ? ce->expression : -1;
        hs_free_compile_error(ce);
        if (rc == HS_SUCCESS) {
            if ((rc = hs_alloc_scratch(s->db, &s->scratch)) != HS_SUCCESS)
                status = vectorscan_fail(err, rc, "compiling the tag rules");
            break;
        }
        if (refused < 0) {       /* not one pattern's fault: PCRE2 decides all */
            if (rc == HS_NOMEM)
                status = vectorscan_fail(err, rc, "compiling the tag rules");
            n = 0;
            break;
        }
        for (unsigned k = (unsigned)refused; k + 1 < n; k++) {
            patterns[k] = patterns[k + 1];
            flags[k] = flags[k + 1];
            s->rule_of[k] = s->rule_of[k + 1];
        }
        n--;
    }
    for (unsigned k = 0; k < n && s->db != NULL; k++)
        s->decides[s->rule_of[k]] = DECIDED_AS_REGEX;
    return status;
}

/* Compile the literals of the word-list rules; marks the rules it decides.
 * Should Vectorscan refuse them, PCRE2 decides those rules. */
static df_status compile_literals(df_rulescan *s, df_error *err) {
    const df_literal_set *set = &s->literals;
    literal_table t;
    df_status status = DF_OK;
    if (table_alloc(&t, set->count) != 0) {
        status = df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the tag rules");
    } else if (set->count > 0) {
        push_rule_literals(&t, set);
        hs_error_t rc = table_compile(&t, &s->literal_db, &s->scratch);
        if (rc == HS_NOMEM)
            status = vectorscan_fail(err, rc, "compiling the tag rules");
        if (rc != HS_SUCCESS) {  /* no half-made database: PCRE2 decides */
            hs_free_database(s->literal_db);
            s->literal_db = NULL;
        }
        for (size_t i = 0; rc == HS_SUCCESS && i < set->count; i++)
            s->decides[set->items[i].rule] = DECIDED_AS_LITERAL;
    }
    table_free(&t);
    return status;
}

/* The eligible rules: word lists as literals, the others as regexes. */
static df_status compile_rules(df_rulescan *s, const df_tag_rules *rules, df_error *err) {
    const char **patterns = calloc(rules->count + 1, sizeof *patterns);
    unsigned *flags = calloc(rules->count + 1, sizeof *flags);
    unsigned *ids = calloc(rules->count + 1, sizeof *ids);
    df_status status = DF_OK;
    if (patterns == NULL || flags == NULL || ids == NULL)
        status = df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the tag rules");
    unsigned n = 0;
    for (size_t r = 0; r < rules->count && status == DF_OK; r++) {
        const df_tag_rule *rule = &rules->rules[r];
        if (rule->type != DF_RULE_REGEX || !rule_flags(rule->regex, &flags[n]))
            continue;
        const df_regex *re = rule->regex;
        int listed = df_literal_set_add(&s->literals, re->pattern, re->pattern_len,
                                        (re->flags & DF_CASELESS) != 0, (uint32_t)r);
        if (listed < 0)
            status = df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the tag rules");
        if (listed != 0)
            continue;
        patterns[n] = re->pattern;
        ids[n] = n;
        s->rule_of[n++] = (uint32_t)r;
    }
    if (status == DF_OK)
        status = compile_literals(s, err);
    if (status == DF_OK)
        status = compile_regexes(s, patterns, flags, ids, n, err);
    free(patterns);
    free(flags);
    free(ids);
    return status;
}

df_status df_rulescan_new(const df_tag_rules *rules, df_rulescan **out, df_error *err) {
    *out = NULL;
    df_rulescan *s = calloc(1, sizeof *s);
    if (s != NULL) {
        s->rule_count = rules->count;
        s->rule_of = calloc(rules->count + 1, sizeof *s->rule_of);
        s->decides = calloc(rules->count + 1, 1);
        s->matched_in = calloc(rules->count + 1, sizeof *s->matched_in);
    }
    if (s == NULL || s->rule_of == NULL || s->decides == NULL || s->matched_in == NULL) {
        df_rulescan_free(s);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling the tag rules");
    }
    df_status status = compile_rules(s, rules, err);
    if (status != DF_OK) {
        df_rulescan_free(s);
        return status;
    }
    *out = s;
    return DF_OK;
}

void df_rulescan_free(df_rulescan *s) {
    if (s == NULL)
        return;
    hs_free_scratch(s->scratch);
    hs_free_database(s->db);
    hs_free_database(s->literal_db);
    df_literal_set_free(&s->literals);
    free(s->rule_of);
    free(s->decides);
    free(s->matched_in);
    free(s);
}

int df_rulescan_decides(const df_rulescan *s, size_t rule) {
    return s != NULL && rule < s->rule_count && s->decides[rule];
}

size_t df_rulescan_literal_rules(const df_rulescan *s) {
    size_t n = 0;
    for (size_t i = 0; s != NULL && s->literal_db != NULL && i < s->literals.count; i++)
        n += i == 0 || s->literals.items[i].rule != s->literals.items[i - 1].rule;
    return n;
}

typedef struct rule_hit_ctx {
    df_rulescan *s;
    const unsigned char *text;
    size_t len;
    df_rule_fn fn;
    void *ctx;
    df_rule_fn unsure;       /* screening text beyond ASCII: a hit PCRE2 must judge */
} rule_hit_ctx;

/* Report a rule once per fact. */
static void report_rule(rule_hit_ctx *c, uint32_t rule) {
    if (c->s->matched_in[rule] == c->s->scan_number)
        return;
    c->s->matched_in[rule] = c->s->scan_number;
    c->fn(c->ctx, rule);
}

static int on_rule(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                   void *ctx) {
    (void)from;
    (void)to;
    (void)flags;
    rule_hit_ctx *c = ctx;
    report_rule(c, c->s->rule_of[id]);
    return 0;
}

static int is_ascii_digit(unsigned char c) {
    return c >= '0' && c <= '9';
}

/* Whether the checks of a literal ending at text[end] hold around it: 1
 * or 0, or -1 when they would look at a character beyond ASCII (whose \w
 * and \d PCRE2 knows, not this). */
static int literal_holds(const df_rule_literal *lit, const unsigned char *text, size_t len,
                         size_t end) {
    size_t start = end - lit->len;
    unsigned checks = lit->checks;
    if (checks & DF_LIT_DIGITS_BEFORE) {
        if (start > 0 && text[start - 1] >= 0x80)
            return -1;
        if (start == 0 || !is_ascii_digit(text[start - 1]))
            return 0;
        while (start > 0 && is_ascii_digit(text[start - 1]))
            start--;
    }
    unsigned before = checks & (DF_LIT_NONWORD_BEFORE | DF_LIT_WORD_BEFORE);
    unsigned after = checks & (DF_LIT_NONWORD_AFTER | DF_LIT_WORD_AFTER);
    if ((before && start > 0 && text[start - 1] >= 0x80) || (after && end < len && text[end] >= 0x80))
        return -1;
    int word_before = start > 0 && is_ascii_word(text[start - 1]);
    int word_after = end < len && is_ascii_word(text[end]);
    return !((checks & DF_LIT_NONWORD_BEFORE) && word_before) &&
           !((checks & DF_LIT_WORD_BEFORE) && !word_before) &&
           !((checks & DF_LIT_NONWORD_AFTER) && word_after) &&
           !((checks & DF_LIT_WORD_AFTER) && !word_after);
}

/* The rule literal `id` of s ending at text[end], of *rule: 1 a new match
 * of the rule in this fact (counted), 0 none, -1 one PCRE2 must judge. */
static int rule_literal_hit(df_rulescan *s, unsigned id, const unsigned char *text, size_t len,
                            size_t end, uint32_t *rule) {
    const df_rule_literal *lit = &s->literals.items[id];
    *rule = lit->rule;
    if (s->matched_in[lit->rule] == s->scan_number)
        return 0;
    int holds = literal_holds(lit, text, len, end);
    if (holds > 0)
        s->matched_in[lit->rule] = s->scan_number;
    return holds;
}

static int on_rule_literal(unsigned id, unsigned long long from, unsigned long long to,
                           unsigned flags, void *ctx) {
    (void)from;
    (void)flags;
    rule_hit_ctx *c = ctx;
    uint32_t rule;
    int holds = rule_literal_hit(c->s, id, c->text, c->len, (size_t)to, &rule);
    if (holds > 0)
        c->fn(c->ctx, rule);
    else if (holds < 0 && c->unsure != NULL)
        c->unsure(c->ctx, rule);
    return 0;
}

static const df_literal_set *rule_literals(const df_rulescan *s) {
    return s != NULL ? &s->literals : NULL;
}

void df_rulescan_begin_fact(df_rulescan *s) {
    if (++s->scan_number == 0) { /* wrapped: forget every rule's last scan */
        memset(s->matched_in, 0, s->rule_count * sizeof *s->matched_in);
        s->scan_number = 1;
    }
}

df_status df_rulescan_fact(df_rulescan *s, const char *text, size_t len, int literals,
                           df_rule_fn fn, void *ctx, df_error *err) {
    rule_hit_ctx c = {s, (const unsigned char *)text, len, fn, ctx, NULL};
    df_rulescan_begin_fact(s);
    hs_error_t rc = HS_SUCCESS;
    if (literals && s->literal_db != NULL)
        rc = hs_scan(s->literal_db, text, (unsigned)len, 0, s->scratch, on_rule_literal, &c);
    if (rc == HS_SUCCESS && s->db != NULL)
        rc = hs_scan(s->db, text, (unsigned)len, 0, s->scratch, on_rule, &c);
    return rc == HS_SUCCESS ? DF_OK : vectorscan_fail(err, rc, "matching the tag rules");
}

df_status df_rulescan_screen(df_rulescan *s, const char *text, size_t len, df_rule_fn sure,
                             df_rule_fn unsure, void *ctx, df_error *err) {
    rule_hit_ctx c = {s, (const unsigned char *)text, len, sure, ctx, unsure};
    df_rulescan_begin_fact(s);
    hs_error_t rc = HS_SUCCESS;
    if (s->literal_db != NULL)
        rc = hs_scan(s->literal_db, text, (unsigned)len, 0, s->scratch, on_rule_literal, &c);
    return rc == HS_SUCCESS ? DF_OK : vectorscan_fail(err, rc, "matching the tag rules");
}

int df_rulescan_literal(const df_rulescan *s, size_t rule) {
    return s != NULL && rule < s->rule_count && s->decides[rule] == DECIDED_AS_LITERAL;
}
