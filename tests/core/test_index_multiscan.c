/* The multi-pattern scan of the index (index_multiscan.c) against the PCRE2
 * path it stands in for: the same corpus, gazetteer and rules indexed both
 * ways must give every fact the same mentions, entities, tags, years and
 * film references.  On the embedded corpus and profile, on facts made to
 * catch every difference between bytes and UTF-8 (whitespace runs, control
 * characters, either apostrophe, the Kelvin sign and the long s, text
 * beyond ASCII), with rules Vectorscan refuses, and on the Debian fortunes
 * collection with the Drive profile. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "corpus.h"
#include "index.h"

static const df_index_plan pcre2_only = {SIZE_MAX, SIZE_MAX};
static const df_index_plan scan_all = {0, 0};

#define CHECK(call)                                                                          \
    do {                                                                                     \
        df_error err_ = {0};                                                                 \
        df_status st_ = (call);                                                              \
        if (st_ != DF_OK)                                                                    \
            print_message("%s: %s: %s\n", #call, df_status_name(st_), err_.message);         \
        assert_int_equal(st_, DF_OK);                                                        \
    } while (0)

typedef df_status (*fact_list)(const df_index *, df_fact_id, const void **, size_t *,
                               df_error *);

/* One per-fact list of both indexes, fact by fact, element by element. */
static void expect_same_list(const df_index *a, const df_index *b, size_t facts, fact_list list,
                             size_t size, const char *what) {
    for (df_fact_id id = 1; id <= facts; id++) {
        const void *xa, *xb;
        size_t na, nb;
        CHECK(list(a, id, &xa, &na, &err_));
        CHECK(list(b, id, &xb, &nb, &err_));
        if (na != nb || (na > 0 && memcmp(xa, xb, na * size) != 0)) {
            const df_corpus *c = df_index_corpus(a);
            df_fact f;
            CHECK(df_corpus_fact(c, id, &f, &err_));
            fail_msg("fact %zu: %s differ (%zu and %zu): %.*s", (size_t)id, what, na, nb,
                     (int)(f.len < 200 ? f.len : 200), f.text);
        }
    }
}

/* Index c both ways and compare; returns how many facts had a mention or
 * a tag, so that a caller can tell the comparison was not of nothing. */
static size_t expect_same_index(const df_corpus *c, const df_gazetteer *g,
                                const df_tag_rules *r) {
    df_index *a = NULL, *b = NULL;
    CHECK(df_index_build_planned(c, g, r, &pcre2_only, &a, &err_));
    CHECK(df_index_build_planned(c, g, r, &scan_all, &b, &err_));
    size_t n = df_corpus_count(c), busy = 0;
    expect_same_list(a, b, n, (fact_list)df_index_fact_mentions, sizeof(df_mention), "mentions");
    expect_same_list(a, b, n, (fact_list)df_index_fact_entities, sizeof(uint32_t), "entities");
    expect_same_list(a, b, n, (fact_list)df_index_fact_tags, sizeof(uint32_t), "tags");
    expect_same_list(a, b, n, (fact_list)df_index_fact_years, sizeof(uint16_t), "years");
    expect_same_list(a, b, n, (fact_list)df_index_fact_films, sizeof(df_film_ref), "films");
    for (df_fact_id id = 1; id <= n; id++) {
        const df_mention *m;
        const uint32_t *t;
        size_t nm, nt;
        CHECK(df_index_fact_mentions(a, id, &m, &nm, &err_));
        CHECK(df_index_fact_tags(a, id, &t, &nt, &err_));
        busy += nm + nt > 0;
    }
    df_index_free(a);
    df_index_free(b);
    return busy;
}

static void embedded_profile(df_gazetteer **g, df_tag_rules **r) {
    CHECK(df_gazetteer_new(g, &err_));
    CHECK(df_gazetteer_add_embedded(*g, &err_));
    CHECK(df_tag_rules_new(r, &err_));
    CHECK(df_tag_rules_add_embedded(*r, &err_));
}

static void test_embedded(void **state) {
    (void)state;
    df_corpus *c;
    df_gazetteer *g;
    df_tag_rules *r;
    CHECK(df_corpus_load_embedded(&c, &err_));
    embedded_profile(&g, &r);
    assert_true(expect_same_index(c, g, r) > 100);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);
}

/* Names and rules where bytes and UTF-8 part ways, and facts to match. */
static const char edge_entities[] =
    "person: Nicolas Winding Refn = Refn, NWR\n"
    "person: Tom O'Neil = O'Neil\n"
    "person: Jeanne D\xE2\x80\x99" "Arc = D\xE2\x80\x99" "Arc\n"
    "person: Kate Smith = \xE2\x84\xAA" "ate, \"\xE2\x84\xAA" "ay\"\n"
    "person: Lo Sto = Lo \xC5\xBFto\n"
    "person: Istvan = \xC4\xB0stvan\n"
    "character: Driver = \"Driver\", The Kid\n"
    "place: New York = York, NY\n"
    "band: C++ Band = C++, .NET\n"
    "film: Drive (2011) = Drive\n"
    "person: Cafe Owner = caf\xC3\xA9\n";

static const char edge_rules[] =
    "named: {Refn} {O'Neil}\n"
    "people: @person -{Istvan}\n"
    "words: \\b(?:driv\\w*|scor(?:e|ed))\\b\n"
    "spaced: winding\\s+refn\n"
    "behind: (?<=the )kid\n"
    "twice: \\b(\\w+) \\1\\b\n"
    "maybe: x*\n"
    "vertical: a\\vb\n"
    "cafe: caf\xC3\xA9|\\x{212A}ate\n"
    "line-end: york$\n"
    "digits: \\d{4}\n";

static const char edge_facts[] =
    "xRefn at the start, and Refnx; D'Arc and Jeanne  D'Arc.\n"
    "Nicolas Winding Refn met Tom O'Neil in New York.\n"
    "Nicolas  Winding\tRefn, twice spaced; the kid drives.\n"
    "Nicolas Winding\r\nRefn across a line break.\n"
    "Tom O\xE2\x80\x99Neil with a typographic apostrophe, not ASCII.\n"
    "kate and KATE and \xE2\x84\xAA" "ate; kay and KAY and Kay.\n"
    "Lo sto and LO STO, Lo \xC5\xBFto.\n"
    "istvan and ISTVAN, \xC4\xB0stvan.\n"
    "The Driver drove; a driver drives; DRIVER.\n"
    "C++ and C++Band and .NET and x.NET, NYC and NY.\n"
    "Drive (2011) and Drive and Drive (1978), scored in 2011.\n"
    "the the kid the kid\x0b" "a\x0b" "b and a\x01" "b\n"
    "Refn_ _Refn Refn1 refn.\n"
    "caf\xC3\xA9 society; cafe society; york\n"
    "ends in York\n"
    "RefnRefn Refn Refn  Refn\n";

/* Facts (one a line), the edge entities and a rules file's text. */
static void load_fixture(const char *facts, size_t facts_len, const char *rules,
                         size_t rules_len, df_corpus **c, df_gazetteer **g, df_tag_rules **r) {
    df_load_options opts = {.format = DF_FORMAT_LINES};
    CHECK(df_corpus_load_buffer(facts, facts_len, &opts, c, &err_));
    CHECK(df_gazetteer_new(g, &err_));
    CHECK(df_gazetteer_add_text(*g, edge_entities, sizeof edge_entities - 1, "edges", &err_));
    CHECK(df_tag_rules_new(r, &err_));
    CHECK(df_tag_rules_add_text(*r, rules, rules_len, "rules", &err_));
}

static void test_edges(void **state) {
    (void)state;
    df_corpus *c;
    df_gazetteer *g;
    df_tag_rules *r;
    load_fixture(edge_facts, sizeof edge_facts - 1, edge_rules, sizeof edge_rules - 1, &c, &g,
                 &r);
    CHECK(df_tag_rules_add_regex(r, "multi", "^ends", 5, DF_MULTILINE | DF_CASELESS, &err_));
    CHECK(df_tag_rules_add_regex(r, "literal", "C++", 3, DF_LITERAL, &err_));
    assert_int_equal(expect_same_index(c, g, r), df_corpus_count(c));
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);

    /* The same facts as paragraphs: each a run of lines. */
    df_load_options paragraphs = {.format = DF_FORMAT_PARAGRAPHS};
    CHECK(df_corpus_load_buffer(edge_facts, sizeof edge_facts - 1, &paragraphs, &c, &err_));
    embedded_profile(&g, &r);
    assert_true(expect_same_index(c, g, r) > 0);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);
}

/* Facts the alias scan reads many at a time (df_aliasscan_run): each pair
 * of neighbours would hold an alias or a rule's word across the two, were
 * the scan to see them as one text; a mention or word ends or starts a fact
 * (the NUL between facts no word byte, as a fact's edge is not); and facts
 * the scan reads alone (a whitespace run, text beyond ASCII) break runs. */
static const char boundary_facts[] =
    "He met Nicolas Winding\n"
    "Refn in New\n"
    "York.\n"
    "Refn\n"
    "Refn\n"
    "xRefn\n"
    "Refnx\n"
    "the\n"
    "kid drives a car\n"
    "scor\n"
    "ed the film\n"
    "12\n"
    "words\n"
    "C+\n"
    "+ Band, Refn\n"
    "Refn  and NWR, spaced\n"
    "NWR\n"
    "caf\xC3\xA9 Refn\n"
    "Refn\n";

static const char boundary_rules[] =
    "exact: \\b(?:cars?|(?-i:drives?|Drove))\\b\n"
    "list: \\b(?:music\\w*|songs?|scor(?:e|ed|es|ing))\\b\n"
    "digits: \\b(?:few|\\d+) words\\b\n"
    "edge: \\b(?:refn|kid)\\b\n";

/* The mentions of fact id as entity names, "name@start-end ...". */
static void mentions_of(const df_index *x, df_fact_id id, char *out, size_t size) {
    const df_mention *m;
    size_t n, used = 0;
    CHECK(df_index_fact_mentions(x, id, &m, &n, &err_));
    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++) {
        df_entity e;
        CHECK(df_index_entity(x, m[i].entity, &e, &err_));
        used += (size_t)snprintf(out + used, size - used, "%s%s@%u-%u", i ? " " : "", e.name,
                                 m[i].start, m[i].end);
    }
}

static void expect_boundary_mentions(const df_index *x) {
    static const char *const want[] = {
        "",                                    /* Nicolas Winding: no alias */
        "Nicolas Winding Refn@0-4",            /* not "Winding Refn" across */
        "New York@0-4",                        /* York; not "New York" across */
        "Nicolas Winding Refn@0-4",
        "Nicolas Winding Refn@0-4",
        "",
        "",
        "", "", "", "", "", "", "",
        "Nicolas Winding Refn@8-12",           /* "C+" + "+": no C++ */
        "Nicolas Winding Refn@0-4 Nicolas Winding Refn@10-13",
        "Nicolas Winding Refn@0-3",
        "Cafe Owner@0-5 Nicolas Winding Refn@6-10",
        "Nicolas Winding Refn@0-4",
    };
    char got[512];
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mentions_of(x, (df_fact_id)(i + 1), got, sizeof got);
        if (strcmp(got, want[i]) != 0)
            fail_msg("fact %zu: mentions '%s', expected '%s'", i + 1, got, want[i]);
    }
}

/* The tags of fact id, by name, "a b ...". */
static void tags_of(const df_index *x, df_fact_id id, char *out, size_t size) {
    const uint32_t *t;
    size_t n, used = 0;
    CHECK(df_index_fact_tags(x, id, &t, &n, &err_));
    out[0] = '\0';
    for (size_t i = 0; i < n && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? " " : "",
                                 df_index_tag_name(x, t[i]));
}

static void test_runs_of_facts(void **state) {
    (void)state;
    df_corpus *c;
    df_gazetteer *g;
    df_tag_rules *r;
    load_fixture(boundary_facts, sizeof boundary_facts - 1, boundary_rules,
                 sizeof boundary_rules - 1, &c, &g, &r);
    assert_true(expect_same_index(c, g, r) >= 10);
    df_index *x;
    CHECK(df_index_build_planned(c, g, r, &scan_all, &x, &err_));
    expect_boundary_mentions(x);
    char got[256];
    tags_of(x, 4, got, sizeof got); /* a word that is a whole fact */
    assert_string_equal(got, "edge");
    tags_of(x, 6, got, sizeof got); /* "xRefn" */
    assert_string_equal(got, "");
    tags_of(x, 9, got, sizeof got);
    assert_string_equal(got, "exact edge");
    tags_of(x, 10, got, sizeof got); /* "scor" + "ed": no list */
    assert_string_equal(got, "");
    tags_of(x, 13, got, sizeof got); /* "12" + "words": no digits */
    assert_string_equal(got, "");
    df_index_free(x);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);
}

/* Many runs: more facts than one scan reads, the runs broken here and
 * there by facts the scan reads alone, against PCRE2. */
static void test_many_runs(void **state) {
    (void)state;
    size_t copies = 2000, len = sizeof boundary_facts - 1;
    char *text = malloc(copies * len);
    assert_non_null(text);
    for (size_t i = 0; i < copies; i++)
        memcpy(text + i * len, boundary_facts, len);
    df_corpus *c;
    df_gazetteer *g;
    df_tag_rules *r;
    df_load_options opts = {.format = DF_FORMAT_LINES};
    CHECK(df_corpus_load_buffer(text, copies * len, &opts, &c, &err_));
    free(text);
    embedded_profile(&g, &r);
    CHECK(df_gazetteer_add_text(g, edge_entities, sizeof edge_entities - 1, "edges", &err_));
    assert_true(expect_same_index(c, g, r) >= copies * 5);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);
}

/* Word-list rules, read as literals (index_rulelits.c), and rules that
 * look like them but are not, against PCRE2 on facts that probe every
 * check, one probe per fact: a word or not on either side, digits before,
 * a tail of word characters after punctuation, case. */
static const char literal_rules[] =
    "list: \\b(?:music\\w*|songs?|scor(?:e|ed|es|ing))\\b\n"
    "digits: \\b(?:few|\\d+) words\\b\n"
    "bare-digits: \\d+ lines\n"
    "punct-tail: \\bC\\+\\+\\w*\\b\n"
    "punct-head: \\b\\.net\\b\n"
    "open-end: \\b(?:hidden|reads \")\n"
    "exact: \\b(?:cars?|(?-i:drives?|Drove))\\b\n"
    "capture: (grand|little) prix\n"
    "tail-only: stunt\\w*\n"
    "quote-tail: \"\\w*\\b\n"
    "mixed: drive(?-i:R)\n"
    "lazy: \\b\\d+? pages\n"
    "class: \\b[a-c]at\\b\n";

static const char literal_facts[] =
    "music\n"
    "musicals\n"
    "Music_\n"
    "_music\n"
    "3music\n"
    "songs\n"
    "song.\n"
    "songss\n"
    "scored\n"
    "scor\n"
    "few words\n"
    "12 words\n"
    "a12 words\n"
    "12words\n"
    "123 words!\n"
    "fewer words\n"
    "x 5 words\n"
    ". words\n"
    "x lines\n"
    "5 lines\n"
    "55 lines\n"
    "a5 lines\n"
    "7lines\n"
    "C++\n"
    "C++x\n"
    "C++_y\n"
    "xC++\n"
    "(C++)\n"
    "C++.\n"
    "x.net\n"
    ".NET\n"
    "a.net\n"
    ".nets\n"
    "-.net\n"
    "net\n"
    "hiddenness\n"
    "reads \"x\"\n"
    "rereads \"\n"
    "reads x\n"
    "cars\n"
    "drives\n"
    "DRIVES\n"
    "Drove\n"
    "drove\n"
    "car\n"
    "CARS\n"
    "grand prix\n"
    "Little Prix\n"
    "grandprix\n"
    "stuntman\n"
    "stunts\n"
    "STUNT\n"
    "astunt\n"
    "said \"yes\"\n"
    "\"\" empty\n"
    "\" no\n"
    "x\"y\n"
    "driveR\n"
    "driver\n"
    "DRIVER\n"
    "12 pages\n"
    "pages\n"
    "x3 pages\n"
    "cat\n"
    "hat\n"
    "Exact Words\n"
    "exact words\n"
    "few  words\n"
    "12\twords\n"
    "grand  prix\n"
    "cars\tand  more\n"
    "Grand Prix cars\n"
    /* Beyond ASCII: the literals screen the fact, PCRE2 judges a hit next
     * to a character it must class (a letter, a dash, a digit of another
     * script), and the long s and the Kelvin sign fold to ASCII letters. */
    "\xC3\xA9music\n"
    "music\xC3\xA9\n"
    "\xE2\x80\x94music\xE2\x80\x94\n"
    "car\xC3\xA9\n"
    "car\xE2\x80\x94 caf\xC3\xA9\n"
    "\xD9\xA3 words\n"
    "x\xD9\xA3 words\n"
    "\xC3\xA9 words\n"
    "\xD9\xA3 lines\n"
    "\xC3\xA9 12 words\n"
    "\xC5\xBFongs\n"
    "\xC5\xBFtunts caf\xC3\xA9\n"
    "\xE2\x84\xAA\xC3\xA9 grand prix\n"
    "grand\xC2\xA0prix\n"
    /* Latin-1 letters: the alias scan reads these facts too, in both
     * cases of its Latin aliases, the letters words on either side. */
    "No\xC3\xA9\n"
    "NO\xC3\x89\n"
    "xNo\xC3\xA9\n"
    "No\xC3\xA9x\n"
    "No\xC3\xA9\xC3\xA9\n"
    "\xC3\xA9No\xC3\xA9 and No\xC3\xA9's\n"
    "Gaspar  No\xC3\xA9\n"
    "Gaspar\tNO\xC3\x89 cars\n"
    "S\xC3\xB6" "derstr\xC3\xB6m, S\xC3\x96" "DERSTR\xC3\x96M\n"
    "s\xC3\xB6" "derstr\xC3\x96m grand prix\n"
    "\xC3\x96RN\n"
    "\xC3\xB6rn\n"
    "\xC3\xB6RN\n"
    "No\xC3\xA9 \xE2\x80\x94 \xC3\x96RN\n"
    "\xC3\x85ngstr\xC3\xB6m Gaspar Noe\n"
    "nothing at all here\n";

/* Aliases that overlap the rules' words: the literal rules then ride on
 * the alias scan of the flat facts; aliases with Latin-1 letters, one of
 * them exact-case. */
static const char literal_entities[] =
    "film: Grand Prix\n"
    "car: Little Prix = prix\n"
    "person: Gaspar No\xC3\xA9 = No\xC3\xA9, Gaspar Noe\n"
    "person: Jonatan S\xC3\xB6" "derstr\xC3\xB6m = S\xC3\xB6" "derstr\xC3\xB6m\n"
    "band: Orn = \"\xC3\x96RN\"\n";

static void test_literal_rules(void **state) {
    (void)state;
    df_corpus *c;
    df_tag_rules *r;
    df_load_options opts = {.format = DF_FORMAT_LINES};
    CHECK(df_corpus_load_buffer(literal_facts, sizeof literal_facts - 1, &opts, &c, &err_));
    CHECK(df_tag_rules_new(&r, &err_));
    CHECK(df_tag_rules_add_text(r, literal_rules, sizeof literal_rules - 1, "lits", &err_));
    CHECK(df_tag_rules_add_regex(r, "exact-case", "Exact Words", 11, 0, &err_));
    assert_true(expect_same_index(c, NULL, r) > 40);
    df_gazetteer *g;
    CHECK(df_gazetteer_new(&g, &err_));
    CHECK(df_gazetteer_add_text(g, literal_entities, sizeof literal_entities - 1, "lits", &err_));
    assert_true(expect_same_index(c, g, r) > 50);
    df_gazetteer_free(g);
    df_rulescan *scan;
    CHECK(df_rulescan_new(r, &scan, &err_));
    assert_int_equal(df_rulescan_literal_rules(scan), 11); /* not mixed, lazy or class */
    for (size_t i = 0; i < df_tag_rules_count(r); i++)
        assert_true(df_rulescan_decides(scan, i));
    df_rulescan_free(scan);
    df_tag_rules_free(r);
    df_corpus_free(c);
}

/* Every regex rule of the Drive profile is a word list. */
static void test_profile_rules_are_literals(void **state) {
    (void)state;
    df_gazetteer *g;
    df_tag_rules *r;
    embedded_profile(&g, &r);
    size_t regexes = 0;
    for (size_t i = 0; i < r->count; i++)
        regexes += r->rules[i].type == DF_RULE_REGEX;
    df_rulescan *scan;
    CHECK(df_rulescan_new(r, &scan, &err_));
    assert_int_equal(df_rulescan_literal_rules(scan), regexes);
    assert_true(regexes >= 18);
    df_rulescan_free(scan);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
}

/* Which patterns are read as literals, into how many, with which checks. */
static void test_literal_set(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        int caseless, want;
        size_t count;
        unsigned checks;           /* of the first literal */
    } cases[] = {
        {"abc", 1, 1, 1, 0},
        {"\\babc\\b", 1, 1, 1, DF_LIT_NONWORD_BEFORE | DF_LIT_NONWORD_AFTER},
        {"\\b(?:a|b(?:c|d)?)e?\\b", 0, 1, 8, DF_LIT_NONWORD_BEFORE | DF_LIT_NONWORD_AFTER},
        {"\\b-x\\w*\\b", 1, 1, 1, DF_LIT_WORD_BEFORE},
        {"\\bx-\\w*\\b", 1, 1, 1, DF_LIT_NONWORD_BEFORE | DF_LIT_WORD_AFTER},
        {"\\bx-\\b", 1, 1, 1, DF_LIT_NONWORD_BEFORE | DF_LIT_WORD_AFTER},
        {"\\b\\d+ x", 1, 1, 1, DF_LIT_DIGITS_BEFORE | DF_LIT_NONWORD_BEFORE},
        {"(?i:A)(?-i:b)", 0, 0, 0, 0},  /* both cases in one literal */
        {"a|", 1, 0, 0, 0},             /* an empty alternative */
        {"\\b", 1, 0, 0, 0},
        {"a\\bb", 1, 0, 0, 0},          /* an assertion inside */
        {"x\\d+", 1, 0, 0, 0},
        {"a\\w*b", 1, 0, 0, 0},
        {"a+", 1, 0, 0, 0},
        {"a??", 1, 0, 0, 0},
        {"\\d+?x", 1, 0, 0, 0},
        {"\\b?x", 1, 0, 0, 0},
        {"a.b", 1, 0, 0, 0},
        {"(?=a)b", 1, 0, 0, 0},
        {"(a", 1, 0, 0, 0},
        {"a)", 1, 0, 0, 0},
        {"\\sa", 1, 0, 0, 0},
        {"(?:a|b)(?:c|d)(?:e|f)(?:g|h)(?:i|j)(?:k|l)(?:m|n)(?:o|p)(?:q|r)(?:s|t)(?:u|v)(?:w|x)"
         "(?:y|z)", 1, 0, 0, 0},       /* 8192 literals: not a word list */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        df_literal_set set = {0};
        int got = df_literal_set_add(&set, cases[i].pattern, strlen(cases[i].pattern),
                                     cases[i].caseless, 7);
        if (got != cases[i].want || set.count != cases[i].count ||
            (set.count > 0 && (set.items[0].checks != cases[i].checks ||
                               set.items[0].rule != 7)))
            fail_msg("'%s': %d, %zu literals, checks %u", cases[i].pattern, got, set.count,
                     set.count > 0 ? set.items[0].checks : 0u);
        df_literal_set_free(&set);
    }
    df_literal_set set = {0};
    assert_int_equal(df_literal_set_add(&set, "(?-i:Ab)|cD", 4 + 7, 1, 0), 1);
    assert_int_equal(set.count, 2);
    assert_false(set.items[0].caseless);
    assert_true(set.items[1].caseless);
    assert_memory_equal(set.text + set.items[1].offset, "cD", 2);
    df_literal_set_free(&set);
}

/* The fortune files of a directory (not their .dat and .u8 companions). */
static size_t fortune_files(const char *dir, char paths[][512], size_t max) {
    DIR *d = opendir(dir);
    size_t n = 0;
    struct dirent *e;
    while (d != NULL && n < max && (e = readdir(d)) != NULL) {
        struct stat st;
        if (strchr(e->d_name, '.') != NULL)
            continue;
        snprintf(paths[n], sizeof paths[n], "%s/%s", dir, e->d_name);
        if (stat(paths[n], &st) == 0 && S_ISREG(st.st_mode))
            n++;
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* Every fortune file Debian ships (scripts/install-deps installs them),
 * with the Drive profile: real text nobody here wrote. */
static void test_fortunes(void **state) {
    (void)state;
    static char paths[400][512];
    const char *dirs[] = {"/usr/share/games/fortunes", "/usr/share/games/fortunes/de"};
    size_t n = 0;
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++)
        n += fortune_files(dirs[d], paths + n, 400 - n);
    if (n == 0)
        skip();
    const char *list[400];
    for (size_t i = 0; i < n; i++)
        list[i] = paths[i];
    df_corpus *c;
    df_gazetteer *g;
    df_tag_rules *r;
    df_load_options opts = {.format = DF_FORMAT_FORTUNE};
    CHECK(df_corpus_load_paths(list, n, &opts, &c, &err_));
    embedded_profile(&g, &r);
    size_t busy = expect_same_index(c, g, r);
    print_message("%zu fortune files, %zu facts, %zu with a mention or a tag\n", n,
                  df_corpus_count(c), busy);
    assert_true(busy > 1000);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
    df_corpus_free(c);
}

static void test_fact_class(void **state) {
    (void)state;
    static const struct {
        const char *text;
        unsigned want;
    } cases[] = {
        {"", DF_FACT_ASCII | DF_FACT_FLAT},
        {"one two three four five six", DF_FACT_ASCII | DF_FACT_FLAT},
        {"one two  three", DF_FACT_ASCII},
        {"1234567 next", DF_FACT_ASCII | DF_FACT_FLAT},
        {"1234567  next", DF_FACT_ASCII},      /* a space ends one word, one starts the next */
        {"12345678  ", DF_FACT_ASCII},
        {"ab\tcd", DF_FACT_ASCII},
        {"abcdefghijklmnop\x7f", DF_FACT_ASCII | DF_FACT_FLAT},
        {"abcdefghijklmnop\x1f", DF_FACT_ASCII},
        {"abcdefgh\xC3\xA9", DF_FACT_LATIN | DF_FACT_FLAT},
        {"\xE2\x80\x99", 0},
        /* Latin-1 letters with a case pair, and those without or not letters. */
        {"\xC3\x80 \xC3\x9E \xC3\xA0 \xC3\xBE", DF_FACT_LATIN | DF_FACT_FLAT},
        {"Sch\xC3\xB6n  und", DF_FACT_LATIN},
        {"caf\xC3\xA9\tx", DF_FACT_LATIN},
        {"2 \xC3\x97 3", 0},
        {"6 \xC3\xB7 3", 0},
        {"Stra\xC3\x9F" "e", 0},
        {"\xC3\xBF", 0},
        {"a\xC2\xA0" "b", 0},
        {"\xC3\xA9\xC5\xBF", 0},
        {"abcdefghijklmno\xC3", 0},
        /* Sixteen bytes a step with SSE2: at the edges of steps, and each
         * kind of byte inside one. */
        {"abcdefghijklmno  rest", DF_FACT_ASCII},                 /* bytes 15, 16 */
        {"abcdefghijklmno  pqrstuvwxyzabcdefghi", DF_FACT_ASCII}, /* two steps */
        {"abcdefghijklmnopqrstuvwxyzabcde  fghijklmn", DF_FACT_ASCII}, /* 31, 32 */
        {"abcdefghijklmno p qrstuvwxyzabcdefgh", DF_FACT_ASCII | DF_FACT_FLAT},
        {"abcd  efghijklmnopq", DF_FACT_ASCII},
        {"abc\x1f" "defghijklmnopq", DF_FACT_ASCII},
        {"abc\x7f" "defghijklmnopq", DF_FACT_ASCII | DF_FACT_FLAT},
        {"a\tbcdefghijklmnopqr", DF_FACT_ASCII},
        {"abc\xC3\xA9" "defghijklmnop", DF_FACT_LATIN | DF_FACT_FLAT},
        {"abcdefghijklmnopqrstuvwxyz\xC3\xA9  x", DF_FACT_LATIN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned got = df_fact_class(cases[i].text, strlen(cases[i].text));
        if (got != cases[i].want)
            fail_msg("'%s': class %u, expected %u", cases[i].text, got, cases[i].want);
    }
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fact_class),
        cmocka_unit_test(test_embedded),
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_runs_of_facts),
        cmocka_unit_test(test_many_runs),
        cmocka_unit_test(test_literal_set),
        cmocka_unit_test(test_literal_rules),
        cmocka_unit_test(test_profile_rules_are_literals),
        cmocka_unit_test(test_fortunes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
