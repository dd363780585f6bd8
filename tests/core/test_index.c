/* Tests for the knowledge index: the gazetteer and its data format, entity
 * matching (aliases, misspellings, exact case, leftmost-longest, non-ASCII),
 * tag rules, years and film references, memory, and the error paths
 * (gazetteer.c, entmatch.c, tags.c, filmrefs.c, index.c).
 *
 * Fact ids below are those of the embedded corpus, core/data/drive-2011.txt,
 * in file order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "drivefacts.h"

/* The embedded corpus indexed with the embedded gazetteer and rules, built
 * once for the tests that only read it. */
typedef struct world {
    df_corpus *corpus;
    df_gazetteer *gazetteer;
    df_tag_rules *rules;
    df_index *index;
} world;

static world W;

#define CHECK_OK(call)                                                                       \
    do {                                                                                     \
        df_error err_;                                                                       \
        memset(&err_, 0, sizeof err_);                                                       \
        df_status st_ = (call);                                                              \
        if (st_ != DF_OK)                                                                    \
            print_message("%s failed: %s: %s\n", #call, df_status_name(st_), err_.message); \
        assert_int_equal(st_, DF_OK);                                                        \
    } while (0)

static int setup_world(void **state) {
    (void)state;
    df_error err;
    if (df_corpus_load_embedded(&W.corpus, &err) != DF_OK ||
        df_gazetteer_new(&W.gazetteer, &err) != DF_OK ||
        df_gazetteer_add_embedded(W.gazetteer, &err) != DF_OK ||
        df_tag_rules_new(&W.rules, &err) != DF_OK ||
        df_tag_rules_add_embedded(W.rules, &err) != DF_OK ||
        df_index_build(W.corpus, W.gazetteer, W.rules, &W.index, &err) != DF_OK) {
        print_message("setup failed: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown_world(void **state) {
    (void)state;
    df_index_free(W.index);
    df_tag_rules_free(W.rules);
    df_gazetteer_free(W.gazetteer);
    df_corpus_free(W.corpus);
    memset(&W, 0, sizeof W);
    return 0;
}

/* ------------------------------------------------------------- helpers */

/* The entity number of `name` (asserting it resolves). */
static size_t entity_of(const df_index *x, const char *name) {
    size_t e = SIZE_MAX;
    df_error err;
    df_status st = df_index_lookup(x, name, strlen(name), &e, &err);
    if (st != DF_OK)
        print_message("lookup '%s': %s\n", name, df_status_name(st));
    assert_int_equal(st, DF_OK);
    return e;
}

static const char *name_of(const df_index *x, size_t entity) {
    df_entity e;
    df_error err;
    assert_int_equal(df_index_entity(x, entity, &e, &err), DF_OK);
    return e.name;
}

/* The canonical name `query` resolves to. */
static void expect_lookup(const char *query, const char *canonical) {
    assert_string_equal(name_of(W.index, entity_of(W.index, query)), canonical);
}

static int list_has(const uint32_t *list, size_t count, uint32_t value) {
    for (size_t i = 0; i < count; i++)
        if (list[i] == value)
            return 1;
    return 0;
}

/* The facts mentioning `name`, as a NUL-free id list compared to expected. */
static void expect_facts(const df_index *x, const char *name, const uint32_t *expected,
                         size_t expected_count) {
    const uint32_t *facts;
    size_t count;
    CHECK_OK(df_index_entity_facts(x, entity_of(x, name), &facts, &count, &err_));
    if (count != expected_count) {
        print_message("%s: %zu facts:", name, count);
        for (size_t i = 0; i < count; i++)
            print_message(" %u", facts[i]);
        print_message("\n");
    }
    assert_int_equal(count, expected_count);
    for (size_t i = 0; i < count; i++)
        assert_int_equal(facts[i], expected[i]);
}

static int fact_mentions(const df_index *x, size_t id, const char *name) {
    const uint32_t *ents;
    size_t count;
    df_error err;
    assert_int_equal(df_index_fact_entities(x, id, &ents, &count, &err), DF_OK);
    return list_has(ents, count, (uint32_t)entity_of(x, name));
}

static df_corpus *corpus_of(const char *text) {
    df_corpus *c;
    df_error err;
    df_load_options opts = {.format = DF_FORMAT_PARAGRAPHS, .name = "test"};
    assert_int_equal(df_corpus_load_buffer(text, strlen(text), &opts, &c, &err), DF_OK);
    return c;
}

static df_index *index_of(const df_corpus *c, const df_gazetteer *g, const df_tag_rules *r) {
    df_index *x = NULL;
    df_error err;
    df_status st = df_index_build(c, g, r, &x, &err);
    if (st != DF_OK)
        print_message("build: %s\n", err.message);
    assert_int_equal(st, DF_OK);
    return x;
}

static df_gazetteer *gazetteer_of(const char *text) {
    df_gazetteer *g;
    df_error err;
    assert_int_equal(df_gazetteer_new(&g, &err), DF_OK);
    df_status st = df_gazetteer_parse(g, text, strlen(text), "test.txt", &err);
    if (st != DF_OK)
        print_message("parse: %s\n", err.message);
    assert_int_equal(st, DF_OK);
    return g;
}

/* Text of mention i of fact id, into buf. */
static const char *mention_text(const df_index *x, size_t id, size_t i, char *buf, size_t size) {
    const df_mention *m;
    size_t count;
    df_fact f;
    df_error err;
    assert_int_equal(df_index_fact_mentions(x, id, &m, &count, &err), DF_OK);
    assert_true(i < count);
    assert_int_equal(df_corpus_fact(df_index_corpus(x), id, &f, &err), DF_OK);
    size_t n = m[i].end - m[i].start;
    assert_true(n < size);
    memcpy(buf, f.text + m[i].start, n);
    buf[n] = '\0';
    return buf;
}

/* Check a failure: status, a one-line message holding `needle`. */
static void expect_error(df_status got, const df_error *err, df_status want, const char *needle) {
    if (got != want || strstr(err->message, needle) == NULL)
        print_message("expected %s with '%s'; got %s: '%s'\n", df_status_name(want), needle,
                      df_status_name(got), err->message);
    assert_int_equal(got, want);
    assert_int_equal(err->code, want);
    assert_non_null(strstr(err->message, needle));
    assert_null(strchr(err->message, '\n'));
}

/* ------------------------------------------------------- entity kinds */

static void test_kind_names(void **state) {
    (void)state;
    static const char *const names[] = {"person", "character", "film", "song",
                                        "band",   "car",       "place", "company"};
    assert_int_equal(sizeof names / sizeof names[0], DF_ENTITY_KIND_COUNT);
    for (unsigned k = 0; k < DF_ENTITY_KIND_COUNT; k++) {
        df_entity_kind kind;
        df_error err;
        assert_string_equal(df_entity_kind_name((df_entity_kind)k), names[k]);
        assert_int_equal(df_entity_kind_parse(names[k], &kind, &err), DF_OK);
        assert_int_equal(kind, k);
    }
    assert_null(df_entity_kind_name((df_entity_kind)99));
    df_entity_kind kind;
    df_error err;
    expect_error(df_entity_kind_parse("Person", &kind, &err), &err, DF_EARG, "unknown");
    expect_error(df_entity_kind_parse(NULL, &kind, &err), &err, DF_EARG, "NULL");
}

/* ------------------------------------------- aliases and misspellings */

/* The spellings the corpus itself uses, and case and spacing variants, all
 * resolve to one entity each. */
static void test_lookup_aliases_and_misspellings(void **state) {
    (void)state;
    expect_lookup("Carey Mulligan", "Carey Mulligan");
    expect_lookup("Carry Muligan", "Carey Mulligan");
    expect_lookup("carry muligan", "Carey Mulligan");
    expect_lookup("Mulligan", "Carey Mulligan");
    expect_lookup("hussain amini", "Hossein Amini");
    expect_lookup("Hussain Amini", "Hossein Amini");
    expect_lookup("Matt Newman", "Mat Newman");
    expect_lookup("Lauren Landon", "Laurene Landon");
    expect_lookup("Refn", "Nicolas Winding Refn");
    expect_lookup("winding refn", "Nicolas Winding Refn");
    expect_lookup("  NICOLAS   WINDING\tREFN \n", "Nicolas Winding Refn");
    expect_lookup("Vincent Belorgey", "Kavinsky");
    expect_lookup("LA", "Los Angeles");
    /* An exact-case alias in text is still found by a caseless lookup. */
    expect_lookup("driver", "Driver");
    expect_lookup("the driver (1978)", "The Driver (1978)");
    expect_lookup("The Driver", "Driver");
}

static void test_lookup_misses(void **state) {
    (void)state;
    size_t e = 12345;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_index_lookup(W.index, "Nobody Atall", 12, &e, &err), DF_NOMATCH);
    assert_int_equal(df_index_lookup(W.index, "", 0, &e, &err), DF_NOMATCH);
    assert_int_equal(df_index_lookup(W.index, "   ", 3, &e, &err), DF_NOMATCH);
    /* A name with more around it is not the name. */
    assert_int_equal(df_index_lookup(W.index, "Ryan Gosling's", 14, &e, &err), DF_NOMATCH);
    assert_int_equal(df_index_lookup(W.index, "Mr Refn", 7, &e, &err), DF_NOMATCH);
    assert_int_equal(e, 12345);
    assert_int_equal(err.code, 0); /* DF_NOMATCH is not an error */
    /* Invalid UTF-8 is an error. */
    assert_int_equal(df_index_lookup(W.index, "Re\xff", 3, &e, &err), DF_EUTF8);
}

/* Every fact that spells a person differently is a fact about that person. */
static void test_facts_of_misspelt_names(void **state) {
    (void)state;
    static const uint32_t landon[] = {100, 102};
    static const uint32_t newman[] = {30, 72};
    static const uint32_t kavinsky[] = {30, 53, 72};
    static const uint32_t amini[] = {47, 60, 74, 89, 96};
    expect_facts(W.index, "Laurene Landon", landon, 2);
    expect_facts(W.index, "Mat Newman", newman, 2);
    expect_facts(W.index, "Kavinsky", kavinsky, 3);
    expect_facts(W.index, "Hossein Amini", amini, 5);
    assert_true(fact_mentions(W.index, 74, "Carey Mulligan")); /* "Carry Muligan" */
    assert_true(fact_mentions(W.index, 74, "Hossein Amini"));  /* "Hussain Amini" */
}

/* "Nicolas Winding Refn" is one mention, not also "Winding Refn" and
 * "Refn"; "Winding Refn" alone is one mention too. */
static void test_leftmost_longest(void **state) {
    (void)state;
    size_t refn = entity_of(W.index, "Nicolas Winding Refn");
    const df_mention *m;
    size_t count;
    char buf[128];
    CHECK_OK(df_index_fact_mentions(W.index, 5, &m, &count, &err_));
    size_t of_refn = 0;
    for (size_t i = 0; i < count; i++)
        if (m[i].entity == refn) {
            of_refn++;
            assert_string_equal(mention_text(W.index, 5, i, buf, sizeof buf),
                                "Nicolas Winding Refn");
        }
    assert_int_equal(of_refn, 1);

    /* Fact 12: the full name once, then "Winding Refn" three times. */
    CHECK_OK(df_index_fact_mentions(W.index, 12, &m, &count, &err_));
    const char *expected[] = {"Nicolas Winding Refn", "Winding Refn", "Winding Refn",
                              "Winding Refn"};
    size_t k = 0;
    for (size_t i = 0; i < count; i++)
        if (m[i].entity == refn) {
            assert_true(k < 4);
            assert_string_equal(mention_text(W.index, 12, i, buf, sizeof buf), expected[k++]);
        }
    assert_int_equal(k, 4);

    /* "The Driver (1978)" (the film) wins over "The Driver" (the character). */
    CHECK_OK(df_index_fact_mentions(W.index, 25, &m, &count, &err_));
    int film = 0;
    for (size_t i = 0; i < count; i++)
        if (strcmp(mention_text(W.index, 25, i, buf, sizeof buf), "The Driver (1978)") == 0) {
            assert_int_equal(m[i].entity, entity_of(W.index, "The Driver (1978)"));
            film = 1;
        }
    assert_true(film);
    assert_false(fact_mentions(W.index, 25, "Driver"));
    /* ...and "Taxi Driver" over "Driver". */
    assert_true(fact_mentions(W.index, 38, "Taxi Driver"));
}

/* Over the whole corpus: mentions are in order, never overlap, are whole
 * words, and the per-fact entity list is exactly their distinct entities. */
static void test_mention_invariants(void **state) {
    (void)state;
    size_t n = df_corpus_count(W.corpus), total = 0;
    for (size_t id = 1; id <= n; id++) {
        const df_mention *m;
        const uint32_t *ents;
        size_t count, ecount;
        df_fact f;
        CHECK_OK(df_corpus_fact(W.corpus, id, &f, &err_));
        CHECK_OK(df_index_fact_mentions(W.index, id, &m, &count, &err_));
        CHECK_OK(df_index_fact_entities(W.index, id, &ents, &ecount, &err_));
        for (size_t i = 0; i < count; i++) {
            assert_true(m[i].start < m[i].end);
            assert_true(m[i].end <= f.len);
            assert_true(i == 0 || m[i - 1].end <= m[i].start);
            unsigned char before = m[i].start > 0 ? (unsigned char)f.text[m[i].start - 1] : ' ';
            unsigned char after = (unsigned char)f.text[m[i].end];
            assert_false((before >= 'a' && before <= 'z') || (before >= 'A' && before <= 'Z'));
            assert_false((after >= 'a' && after <= 'z') || (after >= 'A' && after <= 'Z'));
            assert_true(list_has(ents, ecount, m[i].entity));
        }
        for (size_t i = 0; i < ecount; i++) {
            assert_true(i == 0 || ents[i - 1] < ents[i]);
            int found = 0;
            for (size_t j = 0; j < count && !found; j++)
                found = m[j].entity == ents[i];
            assert_true(found);
            /* ...and the entity's facts include this one. */
            const uint32_t *facts;
            size_t fcount;
            CHECK_OK(df_index_entity_facts(W.index, ents[i], &facts, &fcount, &err_));
            assert_true(list_has(facts, fcount, (uint32_t)id));
        }
        total += count;
    }
    assert_true(total > 400);
}

/* Exact-case aliases: "Driver" the character, not "driver" the word;
 * "Drive" the film, not "drive" the verb. */
static void test_exact_case_aliases(void **state) {
    (void)state;
    assert_false(fact_mentions(W.index, 6, "Driver"));   /* "a driver's license" */
    assert_false(fact_mentions(W.index, 22, "Driver"));  /* "a getaway driver" */
    assert_true(fact_mentions(W.index, 13, "Driver"));   /* "with Driver only speaking" */
    assert_true(fact_mentions(W.index, 10, "Drive"));    /* "a second Drive movie" */
    assert_false(fact_mentions(W.index, 18, "Drive"));   /* "edit or drive at night" */
    assert_true(fact_mentions(W.index, 95, "Oscar Isaac"));
    /* "Isaac or Isadore" in fact 51 is not Oscar Isaac. */
    assert_false(fact_mentions(W.index, 51, "Oscar Isaac"));
}

/* Names beyond ASCII: matched caselessly, as whole words, with their ASCII
 * spellings as aliases. */
static void test_non_ascii_names(void **state) {
    (void)state;
    assert_true(fact_mentions(W.index, 20, "Jonatan Söderström"));
    assert_true(fact_mentions(W.index, 108, "Gaspar Noé"));
    expect_lookup("SÖDERSTRÖM", "Jonatan Söderström");
    expect_lookup("jonatan soderstrom", "Jonatan Söderström");
    expect_lookup("GASPAR NOÉ", "Gaspar Noé");
    expect_lookup("gaspar noe", "Gaspar Noé");

    df_corpus *c = corpus_of("JONATAN SÖDERSTRÖM made it.\n\n"
                             "Noé's advice.\n\n"
                             "Noéa is another word, as is xSöderström.\n");
    df_index *x = index_of(c, W.gazetteer, NULL);
    assert_true(fact_mentions(x, 1, "Jonatan Söderström"));
    assert_true(fact_mentions(x, 2, "Gaspar Noé"));
    const df_mention *m;
    size_t count;
    CHECK_OK(df_index_fact_mentions(x, 3, &m, &count, &err_));
    assert_int_equal(count, 0);
    df_index_free(x);
    df_corpus_free(c);
}

/* The entity record: canonical name, kind, aliases without the name,
 * counts consistent with the postings. */
static void test_entity_records(void **state) {
    (void)state;
    df_entity e;
    size_t refn = entity_of(W.index, "Refn");
    CHECK_OK(df_index_entity(W.index, refn, &e, &err_));
    assert_string_equal(e.name, "Nicolas Winding Refn");
    assert_int_equal(e.kind, DF_ENTITY_PERSON);
    int winding = 0;
    for (size_t i = 0; i < e.alias_count; i++) {
        assert_string_not_equal(e.aliases[i], e.name);
        winding |= strcmp(e.aliases[i], "Winding Refn") == 0;
    }
    assert_true(winding);
    assert_true(e.fact_count >= 35);
    assert_true(e.mention_count > e.fact_count);

    size_t n = df_index_entity_count(W.index);
    assert_true(n >= 140);
    assert_int_equal(n, df_gazetteer_count(W.gazetteer));
    size_t kinds[DF_ENTITY_KIND_COUNT] = {0};
    for (size_t i = 0; i < n; i++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_entity(W.index, i, &e, &err_));
        CHECK_OK(df_index_entity_facts(W.index, i, &facts, &count, &err_));
        assert_int_equal(e.fact_count, count);
        assert_true(e.mention_count >= count);
        for (size_t k = 1; k < count; k++)
            assert_true(facts[k - 1] < facts[k]);
        assert_true((unsigned)e.kind < DF_ENTITY_KIND_COUNT);
        kinds[e.kind]++;
        /* Every entity is found by its own name. */
        assert_int_equal(entity_of(W.index, e.name), i);
    }
    for (unsigned k = 0; k < DF_ENTITY_KIND_COUNT; k++)
        assert_true(kinds[k] > 0);
}

/* The gazetteer covers the people, characters, films and songs the corpus
 * names (a sample from every kind). */
static void test_coverage(void **state) {
    (void)state;
    static const struct {
        const char *name;
        df_entity_kind kind;
        uint32_t fact;
    } sample[] = {
        {"Ryan Gosling", DF_ENTITY_PERSON, 1},       {"Bryan Cranston", DF_ENTITY_PERSON, 4},
        {"Albert Brooks", DF_ENTITY_PERSON, 7},      {"Oscar Isaac", DF_ENTITY_PERSON, 36},
        {"Ron Perlman", DF_ENTITY_PERSON, 5},        {"Christina Hendricks", DF_ENTITY_PERSON, 21},
        {"Newton Thomas Sigel", DF_ENTITY_PERSON, 28}, {"Beth Mickle", DF_ENTITY_PERSON, 41},
        {"Cliff Martinez", DF_ENTITY_PERSON, 55},    {"Johnny Jewel", DF_ENTITY_PERSON, 56},
        {"Irene", DF_ENTITY_CHARACTER, 2},           {"Shannon", DF_ENTITY_CHARACTER, 4},
        {"Standard", DF_ENTITY_CHARACTER, 36},       {"Benicio", DF_ENTITY_CHARACTER, 71},
        {"Nino", DF_ENTITY_CHARACTER, 5},            {"Bernie Rose", DF_ENTITY_CHARACTER, 41},
        {"Blanche", DF_ENTITY_CHARACTER, 21},        {"Cook", DF_ENTITY_CHARACTER, 77},
        {"No Country for Old Men", DF_ENTITY_FILM, 8}, {"Taxi Driver", DF_ENTITY_FILM, 38},
        {"Half Nelson", DF_ENTITY_FILM, 65},         {"Finding Nemo", DF_ENTITY_FILM, 71},
        {"Nightcall", DF_ENTITY_SONG, 30},           {"A Real Hero", DF_ENTITY_SONG, 53},
        {"Under Your Spell", DF_ENTITY_SONG, 56},    {"Wrong Floor", DF_ENTITY_SONG, 26},
        {"Chromatics", DF_ENTITY_BAND, 69},          {"College", DF_ENTITY_BAND, 53},
        {"Desire", DF_ENTITY_BAND, 82},              {"Chevrolet Malibu", DF_ENTITY_CAR, 1},
        {"Los Angeles", DF_ENTITY_PLACE, 11},        {"FilmDistrict", DF_ENTITY_COMPANY, 83},
    };
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        df_entity e;
        CHECK_OK(df_index_entity(W.index, entity_of(W.index, sample[i].name), &e, &err_));
        assert_int_equal(e.kind, sample[i].kind);
        if (!fact_mentions(W.index, sample[i].fact, sample[i].name))
            print_message("%s not found in fact %u\n", sample[i].name, sample[i].fact);
        assert_true(fact_mentions(W.index, sample[i].fact, sample[i].name));
    }
    /* Songs and artists the corpus does not name are known all the same. */
    expect_lookup("Oh My Love", "Oh My Love");
    expect_lookup("Electric Youth", "Electric Youth");
    expect_lookup("Riz Ortolani", "Riz Ortolani");
}

/* ------------------------------------------------- user-added entities */

static void test_user_added_entities(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("");
    df_error err;
    CHECK_OK(df_gazetteer_add_embedded(g, &err_));
    size_t before = df_gazetteer_count(g);
    /* A new entity with aliases, one of them exact-case. */
    const char *aliases[] = {"scorpions", "\"Scorpio\""};
    CHECK_OK(df_gazetteer_add(g, DF_ENTITY_CHARACTER, "scorpion", aliases, 2, &err_));
    /* More aliases for a known entity: no new entity. */
    const char *more[] = {"Goose"};
    CHECK_OK(df_gazetteer_add(g, DF_ENTITY_PERSON, "Ryan Gosling", more, 1, &err_));
    assert_int_equal(df_gazetteer_count(g), before + 1);
    /* The same name as another kind is another entity. */
    CHECK_OK(df_gazetteer_add(g, DF_ENTITY_FILM, "Nightcall", NULL, 0, &err_));
    assert_int_equal(df_gazetteer_count(g), before + 2);

    df_index *x = index_of(W.corpus, g, W.rules);
    static const uint32_t scorpion[] = {16, 54, 87, 93, 105, 110};
    expect_facts(x, "Scorpion", scorpion, 6);
    expect_facts(x, "SCORPIONS", scorpion, 6);
    /* In fact 54 "Scorpio Rising" (the film) is longer than "Scorpio". */
    assert_true(fact_mentions(x, 54, "Scorpio Rising"));
    assert_string_equal(name_of(x, entity_of(x, "goose")), "Ryan Gosling");
    /* "Scorpio" (exact case) is in fact 93 next to "scorpion". */
    assert_true(fact_mentions(x, 93, "scorpion"));
    df_index_free(x);

    /* Errors leave the gazetteer as it was. */
    size_t count = df_gazetteer_count(g);
    const char *bad[] = {"fine", "\"unterminated"};
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, "New Person", bad, 2, &err), &err,
                 DF_EARG, "unterminated");
    assert_int_equal(df_gazetteer_count(g), count);
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, "   ", NULL, 0, &err), &err, DF_EARG,
                 "empty");
    expect_error(df_gazetteer_add(g, (df_entity_kind)42, "X", NULL, 0, &err), &err, DF_EARG,
                 "kind");
    const char *null_alias[] = {NULL};
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, "X", null_alias, 1, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, "X\xc3", NULL, 0, &err), &err, DF_EUTF8,
                 "UTF-8");
    expect_error(df_gazetteer_add(NULL, DF_ENTITY_PERSON, "X", NULL, 0, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, NULL, NULL, 0, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_gazetteer_add(g, DF_ENTITY_PERSON, "X", NULL, 1, &err), &err, DF_EARG,
                 "NULL");
    assert_int_equal(df_gazetteer_count(g), count);
    df_gazetteer_free(g);
}

/* The data format: comments, quotes, merging lines, spaces. */
static void test_gazetteer_format(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("# a comment\n"
                                   "\n"
                                   "   # an indented comment\n"
                                   "person:Jane   Doe=J. Doe ,  \"JD\"\r\n"
                                   "film: \"Fast, Cheap & Out of Control\" = \"A = B\"\n"
                                   "person: Jane Doe = Janie\n"
                                   "place: Nowhere");
    assert_int_equal(df_gazetteer_count(g), 3);
    df_corpus *c = corpus_of("Jane Doe met jd and JD and Janie.\n\n"
                             "A = B, or Fast, Cheap & Out of Control, near nowhere.\n\n"
                             "Jane\n  Doe, J.  Doe.\n");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    char buf[64];
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 3); /* "jd" is not "JD" */
    assert_string_equal(mention_text(x, 1, 0, buf, sizeof buf), "Jane Doe");
    assert_string_equal(mention_text(x, 1, 1, buf, sizeof buf), "JD");
    assert_string_equal(mention_text(x, 1, 2, buf, sizeof buf), "Janie");
    CHECK_OK(df_index_fact_mentions(x, 2, &m, &count, &err_));
    assert_int_equal(count, 3);
    assert_string_equal(mention_text(x, 2, 0, buf, sizeof buf), "A = B");
    assert_string_equal(mention_text(x, 2, 1, buf, sizeof buf), "Fast, Cheap & Out of Control");
    assert_string_equal(mention_text(x, 2, 2, buf, sizeof buf), "nowhere");
    /* A space in an alias matches any whitespace, line breaks included. */
    CHECK_OK(df_index_fact_mentions(x, 3, &m, &count, &err_));
    assert_int_equal(count, 2);
    df_entity e;
    CHECK_OK(df_index_entity(x, entity_of(x, "janie"), &e, &err_));
    assert_string_equal(e.name, "Jane Doe");
    assert_int_equal(e.alias_count, 3);
    assert_string_equal(e.aliases[0], "J. Doe");
    assert_string_equal(e.aliases[1], "JD");
    assert_string_equal(e.aliases[2], "Janie");
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

/* A bad line names the input and the line; nothing of the input stays. */
static void expect_parse_error(const char *text, size_t line, df_status want,
                               const char *needle) {
    df_gazetteer *g = gazetteer_of("person: Already There\n");
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_gazetteer_parse(g, text, strlen(text), "my-entities.txt", &err);
    expect_error(st, &err, want, needle);
    assert_int_equal(err.line, line);
    char where[64];
    snprintf(where, sizeof where, "my-entities.txt:%zu:", line);
    assert_non_null(strstr(err.message, where));
    assert_int_equal(df_gazetteer_count(g), 1);
    /* The known entity kept exactly its own names. */
    df_corpus *c = corpus_of("Already There, Good Line.");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 1);
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

static void test_gazetteer_parse_errors(void **state) {
    (void)state;
    expect_parse_error("person: Good Line\n\npersn: Typo\n", 3, DF_EARG, "unknown kind 'persn'");
    expect_parse_error("person: Good Line\nno colon here\n", 2, DF_EARG, "expected");
    expect_parse_error("person: Good Line\nfilm: \"Open\n", 2, DF_EARG, "unterminated");
    expect_parse_error("person: Good Line = A,, B\n", 1, DF_EARG, "empty");
    expect_parse_error("person: Good Line\nperson:   \n", 2, DF_EARG, "empty");
    expect_parse_error("person: Good Line = Al \"Bo\" Cy\n", 1, DF_EARG, "double quote");
    expect_parse_error("person: Already There = More\n# fine\nband: \"x\"y\"\n", 3, DF_EARG,
                       "double quote");
    expect_parse_error("person: Good Line\n\n\nperson: B\xe9zier\n", 4, DF_EUTF8, "UTF-8");
}

static void test_gazetteer_files(void **state) {
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_index_%ld.txt", DF_BINARY_DIR, (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("# test\ncharacter: The Scorpion = Scorpion\nband: Nobody = \n", f);
    fclose(f);
    df_gazetteer *g = gazetteer_of("");
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_gazetteer_load_file(g, path, &err);
    expect_error(st, &err, DF_EARG, "empty");
    assert_non_null(strstr(err.message, path));
    assert_int_equal(err.line, 3);
    assert_int_equal(df_gazetteer_count(g), 0);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("character: The Scorpion = Scorpion\n", f);
    fclose(f);
    CHECK_OK(df_gazetteer_load_file(g, path, &err_));
    assert_int_equal(df_gazetteer_count(g), 1);
    remove(path);
    expect_error(df_gazetteer_load_file(g, path, &err), &err, DF_EIO, path);
    expect_error(df_gazetteer_load_file(g, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_load_file(NULL, path, &err), &err, DF_EARG, "NULL");
    df_gazetteer_free(g);
}

/* ------------------------------------------------------------------ tags */

/* Every embedded fact has a tag; no tag is on every fact (no catch-all). */
static void test_every_fact_tagged(void **state) {
    (void)state;
    size_t n = df_corpus_count(W.corpus), untagged = 0;
    for (size_t id = 1; id <= n; id++) {
        const uint32_t *tags;
        size_t count;
        CHECK_OK(df_index_fact_tags(W.index, id, &tags, &count, &err_));
        if (count == 0) {
            print_message("fact %zu has no tag\n", id);
            untagged++;
        }
        for (size_t i = 1; i < count; i++)
            assert_true(tags[i - 1] < tags[i]);
    }
    assert_int_equal(untagged, 0);
    size_t t_count = df_index_tag_count(W.index);
    assert_true(t_count >= 11);
    for (size_t t = 0; t < t_count; t++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_tag_facts(W.index, t, &facts, &count, &err_));
        assert_true(count > 0);
        assert_true(count < n / 2);
    }
}

static int has_tag(const df_index *x, size_t id, const char *tag) {
    size_t t;
    df_error err;
    assert_int_equal(df_index_tag_lookup(x, tag, &t, &err), DF_OK);
    const uint32_t *tags;
    size_t count;
    assert_int_equal(df_index_fact_tags(x, id, &tags, &count, &err), DF_OK);
    return list_has(tags, count, (uint32_t)t);
}

static void test_tag_samples(void **state) {
    (void)state;
    static const struct {
        uint32_t fact;
        const char *tag;
        int expected;
    } sample[] = {
        {53, "music", 1},   {72, "music", 1},          {3, "casting", 1},
        {91, "casting", 1}, {47, "adaptation", 1},     {89, "adaptation", 1},
        {48, "reception", 1}, {9, "stunts", 1},        {1, "cars", 1},
        {24, "filming-locations", 1}, {8, "references", 1}, {25, "references", 1},
        {86, "cast-trivia", 1}, {65, "crew", 1},       {42, "production", 1},
        /* "A Most Violent Year" is a title, not violence. */
        {95, "violence", 0},
        /* "Drive" is the film, not driving; Drive is no reference to itself. */
        {83, "cars", 0},    {83, "references", 0},
    };
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        int got = has_tag(W.index, sample[i].fact, sample[i].tag);
        if (got != sample[i].expected)
            print_message("fact %u tag %s: expected %d\n", sample[i].fact, sample[i].tag,
                          sample[i].expected);
        assert_int_equal(got, sample[i].expected);
    }
}

/* fact -> tags and tag -> facts are transposes of each other. */
static void test_tag_tables_agree(void **state) {
    (void)state;
    size_t pairs = 0;
    for (size_t t = 0; t < df_index_tag_count(W.index); t++) {
        const uint32_t *facts;
        size_t count, again;
        CHECK_OK(df_index_tag_facts(W.index, t, &facts, &count, &err_));
        CHECK_OK(df_index_tag_lookup(W.index, df_index_tag_name(W.index, t), &again, &err_));
        assert_int_equal(again, t);
        for (size_t i = 0; i < count; i++) {
            const uint32_t *tags;
            size_t tcount;
            assert_true(i == 0 || facts[i - 1] < facts[i]);
            CHECK_OK(df_index_fact_tags(W.index, facts[i], &tags, &tcount, &err_));
            assert_true(list_has(tags, tcount, (uint32_t)t));
        }
        pairs += count;
    }
    size_t back = 0;
    for (size_t id = 1; id <= df_corpus_count(W.corpus); id++) {
        const uint32_t *tags;
        size_t count;
        CHECK_OK(df_index_fact_tags(W.index, id, &tags, &count, &err_));
        back += count;
    }
    assert_int_equal(pairs, back);
    size_t t;
    df_error err;
    assert_int_equal(df_index_tag_lookup(W.index, "no-such-tag", &t, &err), DF_NOMATCH);
    assert_int_equal(df_index_tag_lookup(W.index, "Music", &t, &err), DF_NOMATCH);
    assert_null(df_index_tag_name(W.index, df_index_tag_count(W.index)));
}

/* Rules added through the API: regex, kind, entity. */
static void test_user_rules(void **state) {
    (void)state;
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    CHECK_OK(df_tag_rules_add_regex(r, "toothpicks", "toothpick", 9, DF_CASELESS, &err_));
    CHECK_OK(df_tag_rules_add_kind(r, "has-car", DF_ENTITY_CAR, &err_));
    CHECK_OK(df_tag_rules_add_entity(r, "amini", "hussain amini", &err_));
    CHECK_OK(df_tag_rules_add_regex(r, "amini", "\\bAdapt", 7, 0, &err_));
    assert_int_equal(df_tag_rules_count(r), 4);
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 3);
    assert_string_equal(df_index_tag_name(x, 0), "toothpicks");
    static const uint32_t toothpicks[] = {86, 88, 120};
    static const uint32_t cars[] = {1, 114};
    static const uint32_t amini[] = {47, 60, 74, 89, 96};
    const uint32_t *expected[] = {toothpicks, cars, amini};
    size_t counts[] = {3, 2, 5};
    for (size_t t = 0; t < 3; t++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_tag_facts(x, t, &facts, &count, &err_));
        assert_int_equal(count, counts[t]);
        for (size_t i = 0; i < count; i++)
            assert_int_equal(facts[i], expected[t][i]);
    }
    df_index_free(x);

    /* An unknown entity fails the build, naming the rule. */
    CHECK_OK(df_tag_rules_add_entity(r, "ghosts", "Casper the Ghost", &err_));
    df_index *none = W.index; /* must be reset to NULL */
    expect_error(df_index_build(W.corpus, W.gazetteer, r, &none, &err), &err, DF_EARG,
                 "unknown entity 'Casper the Ghost'");
    assert_non_null(strstr(err.message, "ghosts"));
    assert_null(none);

    expect_error(df_tag_rules_add_regex(r, "bad", "(", 1, 0, &err), &err, DF_EPATTERN,
                 "offset");
    expect_error(df_tag_rules_add_regex(r, "bad tag", "x", 1, 0, &err), &err, DF_EARG,
                 "bad tag name");
    expect_error(df_tag_rules_add_regex(r, "", "x", 1, 0, &err), &err, DF_EARG, "bad tag name");
    expect_error(df_tag_rules_add_kind(r, "ok", (df_entity_kind)8, &err), &err, DF_EARG,
                 "kind");
    expect_error(df_tag_rules_add_entity(r, "ok", "\xff", &err), &err, DF_EUTF8, "UTF-8");
    expect_error(df_tag_rules_add_regex(NULL, "t", "x", 1, 0, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_add_kind(r, NULL, DF_ENTITY_CAR, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_add_entity(r, "t", NULL, &err), &err, DF_EARG, "NULL");
    assert_int_equal(df_tag_rules_count(r), 5);
    df_tag_rules_free(r);
}

/* The rules format, its errors (input and line named; nothing kept). */
static void expect_rules_error(const char *text, size_t line, df_status want,
                               const char *needle) {
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    CHECK_OK(df_tag_rules_parse(r, "first: x\n", 9, "a", &err_));
    memset(&err, 0, sizeof err);
    expect_error(df_tag_rules_parse(r, text, strlen(text), "my-tags.txt", &err), &err, want,
                 needle);
    assert_int_equal(err.line, line);
    char where[64];
    snprintf(where, sizeof where, "my-tags.txt:%zu:", line);
    assert_non_null(strstr(err.message, where));
    assert_int_equal(df_tag_rules_count(r), 1);
    /* The tag table rolled back too: a build lists one tag. */
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 1);
    df_index_free(x);
    df_tag_rules_free(r);
}

static void test_rules_format(void **state) {
    (void)state;
    df_tag_rules *r;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    const char *text = "# comment\n"
                       "\n"
                       "  music :  \\bsoundtrack\\b  \n"
                       "people: @person @character -{Nicolas Winding Refn} -{ Ryan Gosling }\n"
                       "nwr: {Refn}   {Carry Muligan}\n"
                       "music: @song\r\n";
    CHECK_OK(df_tag_rules_parse(r, text, strlen(text), "t", &err_));
    assert_int_equal(df_tag_rules_count(r), 4);
    df_index *x = index_of(W.corpus, W.gazetteer, r);
    assert_int_equal(df_index_tag_count(x), 3);
    assert_true(has_tag(x, 27, "music"));   /* "soundtrack" */
    assert_true(has_tag(x, 26, "music"));   /* "Wrong Floor" */
    assert_true(has_tag(x, 3, "people"));   /* Hugh Jackman */
    assert_false(has_tag(x, 45, "people")); /* only Refn */
    assert_false(has_tag(x, 86, "people")); /* only Gosling */
    assert_true(has_tag(x, 45, "nwr"));
    assert_true(has_tag(x, 35, "nwr"));     /* Carey Mulligan */
    df_index_free(x);
    df_tag_rules_free(r);

    expect_rules_error("ok: x\nno colon\n", 2, DF_EARG, "expected 'tag: rule'");
    expect_rules_error("bad tag!: x\n", 1, DF_EARG, "bad tag name");
    expect_rules_error("ok: x\n\nempty:   \n", 3, DF_EARG, "empty rule");
    expect_rules_error("cars: @car @persn\n", 1, DF_EARG, "@persn");
    expect_rules_error("cars: @car -{Ryan Gosling} @person\n", 1, DF_EARG, "@person");
    expect_rules_error("who: {Ryan Gosling\n", 1, DF_EARG, "missing '}'");
    expect_rules_error("who: {Ryan Gosling} x\n", 1, DF_EARG, "expected '{Name}'");
    expect_rules_error("who: {  }\n", 1, DF_EARG, "bad entity name");
    expect_rules_error("ok: x\nre: a(b\n", 2, DF_EPATTERN, "tag 're'");
    expect_rules_error("ok: x\nre: caf\xc3\n", 2, DF_EUTF8, "UTF-8");
}

static void test_rules_files(void **state) {
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/test_index_rules_%ld.txt", DF_BINARY_DIR, (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("pie: \\bpie\\b\nbroken: [\n", f);
    fclose(f);
    df_tag_rules *r;
    df_error err;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    expect_error(df_tag_rules_load_file(r, path, &err), &err, DF_EPATTERN, path);
    assert_int_equal(err.line, 2);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("pie: \\bpie\\b\n", f);
    fclose(f);
    CHECK_OK(df_tag_rules_load_file(r, path, &err_));
    remove(path);
    expect_error(df_tag_rules_load_file(r, path, &err), &err, DF_EIO, path);
    df_index *x = index_of(W.corpus, NULL, r);
    const uint32_t *facts;
    size_t count;
    CHECK_OK(df_index_tag_facts(x, 0, &facts, &count, &err_));
    assert_int_equal(count, 1);
    assert_int_equal(facts[0], 38);
    df_index_free(x);
    df_tag_rules_free(r);
}

/* ----------------------------------------------- years and film refs */

static void expect_years(const df_index *x, size_t id, const uint16_t *years, size_t n) {
    const uint16_t *got;
    size_t count;
    CHECK_OK(df_index_fact_years(x, id, &got, &count, &err_));
    if (count != n) {
        print_message("fact %zu years:", id);
        for (size_t i = 0; i < count; i++)
            print_message(" %u", got[i]);
        print_message("\n");
    }
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], years[i]);
}

static void expect_film(const df_index *x, size_t id, size_t i, const char *title,
                        unsigned year, const char *entity) {
    const df_film_ref *refs;
    size_t count;
    df_fact f;
    CHECK_OK(df_index_fact_films(x, id, &refs, &count, &err_));
    CHECK_OK(df_corpus_fact(df_index_corpus(x), id, &f, &err_));
    assert_true(i < count);
    assert_int_equal(refs[i].end - refs[i].start, strlen(title));
    assert_memory_equal(f.text + refs[i].start, title, strlen(title));
    assert_int_equal(refs[i].year, year);
    if (entity == NULL)
        assert_int_equal(refs[i].entity, DF_NO_ENTITY);
    else
        assert_int_equal(refs[i].entity, entity_of(x, entity));
}

static void test_years_and_film_refs(void **state) {
    (void)state;
    static const uint16_t y8[] = {2007}, y25[] = {1967, 1971, 1978, 1981}, y53[] = {2007, 2011},
                          y67[] = {2014}, y85[] = {1980}, y102[] = {1980, 1991, 2006},
                          y92[] = {2006};
    expect_years(W.index, 8, y8, 1);
    expect_years(W.index, 25, y25, 4);
    expect_years(W.index, 53, y53, 2);  /* "between 2007-2011" */
    expect_years(W.index, 67, y67, 1);  /* not the band "The 1975" */
    expect_years(W.index, 85, y85, 1);  /* "a 1980s atmosphere" */
    expect_years(W.index, 102, y102, 3);
    expect_years(W.index, 92, y92, 1);  /* "2006's Half Nelson" */
    expect_years(W.index, 13, NULL, 0); /* "116 lines", "891 words" */

    expect_film(W.index, 8, 0, "No Country for Old Men", 2007, "No Country for Old Men");
    expect_film(W.index, 25, 0, "Point Blank", 1967, "Point Blank");
    expect_film(W.index, 25, 1, "Two-Lane Blacktop", 1971, "Two-Lane Blacktop");
    expect_film(W.index, 25, 2, "The Driver", 1978, "The Driver (1978)");
    expect_film(W.index, 25, 3, "Thief", 1981, "Thief");
    expect_film(W.index, 100, 0, "Maniac Cop", 1988, "Maniac Cop"); /* "Maniac Cop(1988)" */
    expect_film(W.index, 20, 0, "Drive", 2011, "Drive");
    expect_film(W.index, 90, 0, "Sons of Anarchy", 2008, "Sons of Anarchy");
    expect_film(W.index, 90, 1, "Breaking Bad", 2008, "Breaking Bad");
    size_t films = 0;
    for (size_t id = 1; id <= df_corpus_count(W.corpus); id++) {
        const df_film_ref *refs;
        size_t count;
        CHECK_OK(df_index_fact_films(W.index, id, &refs, &count, &err_));
        for (size_t i = 0; i < count; i++)
            assert_int_not_equal(refs[i].entity, DF_NO_ENTITY); /* all known */
        films += count;
    }
    assert_int_equal(films, 34); /* every "(YYYY)" of the corpus follows a title */

    /* Unknown titles: found by their capitalised words. */
    df_corpus *c = corpus_of("They watched Some Unknown Picture (1999) twice, and later "
                             "The Return of the Thing ( 2001 ).\n\n"
                             "In the 1990s, \"Quoted Title (1950)\" and 1799, 2100, 12345, "
                             "1984x, x1984, 20011 (born 1961).\n\n"
                             "(1999) alone; lower case (2000); Über Film (2002).");
    df_index *x = index_of(c, NULL, NULL);
    expect_film(x, 1, 0, "Some Unknown Picture", 1999, NULL);
    expect_film(x, 1, 1, "The Return of the Thing", 2001, NULL);
    expect_film(x, 2, 0, "Quoted Title", 1950, NULL);
    expect_film(x, 3, 0, "Über Film", 2002, NULL);
    const df_film_ref *refs;
    size_t count;
    CHECK_OK(df_index_fact_films(x, 3, &refs, &count, &err_));
    assert_int_equal(count, 1);
    static const uint16_t c2[] = {1950, 1961, 1990}, c3[] = {1999, 2000, 2002};
    expect_years(x, 2, c2, 3);
    expect_years(x, 3, c3, 3);
    df_index_free(x);
    df_corpus_free(c);
}

/* ------------------------------------------------------ memory, sizes */

static void test_memory(void **state) {
    (void)state;
    size_t bytes = df_corpus_bytes(W.corpus);
    size_t memory = df_index_memory(W.index);
    print_message("index memory %zu bytes for a corpus of %zu bytes\n", memory, bytes);
    assert_true(memory > bytes / 10);
    /* Mostly the compiled entity patterns, a fixed cost. */
    assert_true(memory < 1024 * 1024);
    assert_int_equal(df_index_memory(NULL), 0);

    /* What grows with the corpus stays below its size: index the corpus 40
     * times over. */
    size_t one = strlen("\n\n");
    df_fact f;
    char *text = NULL;
    size_t len = 0;
    for (int rep = 0; rep < 40; rep++)
        for (size_t id = 1; id <= df_corpus_count(W.corpus); id++) {
            CHECK_OK(df_corpus_fact(W.corpus, id, &f, &err_));
            text = realloc(text, len + f.len + one + 1);
            assert_non_null(text);
            memcpy(text + len, f.text, f.len);
            memcpy(text + len + f.len, "\n\n", one);
            len += f.len + one;
        }
    text[len] = '\0';
    df_corpus *c = corpus_of(text);
    free(text);
    df_index *x = index_of(c, W.gazetteer, W.rules);
    size_t big = df_index_memory(x);
    print_message("index memory %zu bytes for a corpus of %zu bytes\n", big, df_corpus_bytes(c));
    assert_true(big > memory);
    assert_true(big - memory < df_corpus_bytes(c));
    df_index_free(x);
    df_corpus_free(c);
}

/* No gazetteer, no rules: an index with nothing in it, that still works. */
static void test_empty_index(void **state) {
    (void)state;
    df_index *x = index_of(W.corpus, NULL, NULL);
    assert_int_equal(df_index_entity_count(x), 0);
    assert_int_equal(df_index_tag_count(x), 0);
    assert_ptr_equal(df_index_corpus(x), W.corpus);
    size_t e;
    df_error err;
    assert_int_equal(df_index_lookup(x, "Refn", 4, &e, &err), DF_NOMATCH);
    const df_mention *m;
    size_t count;
    CHECK_OK(df_index_fact_mentions(x, 5, &m, &count, &err_));
    assert_int_equal(count, 0);
    static const uint16_t y8[] = {2007};
    expect_years(x, 8, y8, 1);
    expect_film(x, 8, 0, "No Country for Old Men", 2007, NULL);
    df_index_free(x);

    /* An empty gazetteer and rules, and an empty corpus. */
    df_gazetteer *g = gazetteer_of("");
    df_tag_rules *r;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    df_corpus *c = corpus_of("");
    x = index_of(c, g, r);
    assert_int_equal(df_index_entity_count(x), 0);
    const uint32_t *tags;
    expect_error(df_index_fact_tags(x, 1, &tags, &count, &err), &err, DF_ERANGE, "out of range");
    df_index_free(x);
    df_corpus_free(c);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
}

/* Several pattern chunks (a gazetteer too large for one PCRE2 pattern):
 * still leftmost-longest across chunks. */
static void test_many_entities(void **state) {
    (void)state;
    df_gazetteer *g = gazetteer_of("person: Alpha\nperson: Alpha Beta Gamma Delta\n");
    char name[64];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "Filler Person Number %05d", i);
        CHECK_OK(df_gazetteer_add(g, DF_ENTITY_PERSON, name, NULL, 0, &err_));
    }
    assert_int_equal(df_gazetteer_count(g), 3002);
    df_corpus *c = corpus_of("Alpha Beta Gamma Delta met Alpha and filler person number 02999 "
                             "and Filler Person Number 00000.");
    df_index *x = index_of(c, g, NULL);
    const df_mention *m;
    size_t count;
    char buf[64];
    CHECK_OK(df_index_fact_mentions(x, 1, &m, &count, &err_));
    assert_int_equal(count, 4);
    assert_string_equal(mention_text(x, 1, 0, buf, sizeof buf), "Alpha Beta Gamma Delta");
    assert_string_equal(mention_text(x, 1, 1, buf, sizeof buf), "Alpha");
    assert_string_equal(name_of(x, m[2].entity), "Filler Person Number 02999");
    assert_string_equal(name_of(x, m[3].entity), "Filler Person Number 00000");
    expect_lookup("Refn", "Nicolas Winding Refn"); /* the shared world is untouched */
    assert_string_equal(name_of(x, entity_of(x, "FILLER PERSON NUMBER 01500")),
                        "Filler Person Number 01500");
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

/* ------------------------------------------------------ argument checks */

static void test_null_arguments(void **state) {
    (void)state;
    df_error err;
    df_index *x = NULL;
    const uint32_t *list;
    const df_mention *mentions;
    const uint16_t *years;
    const df_film_ref *films;
    size_t count, e;
    df_entity entity;
    expect_error(df_index_build(W.corpus, NULL, NULL, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_build(NULL, NULL, NULL, &x, &err), &err, DF_EARG, "NULL");
    assert_null(x);
    expect_error(df_gazetteer_new(NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_new(NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_parse(NULL, "", 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_gazetteer_parse(W.gazetteer, NULL, 3, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_tag_rules_parse(NULL, "", 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(NULL, 0, &entity, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(W.index, 0, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity(W.index, df_index_entity_count(W.index), &entity, &err), &err,
                 DF_ERANGE, "out of range");
    expect_error(df_index_lookup(NULL, "x", 1, &e, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_lookup(W.index, NULL, 1, &e, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_lookup(W.index, "x", 1, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 0, NULL, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 0, &list, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_entity_facts(W.index, 100000, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_mentions(NULL, 1, &mentions, &count, &err), &err, DF_EARG,
                 "NULL");
    expect_error(df_index_fact_mentions(W.index, 0, &mentions, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_entities(W.index, 123, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_fact_tags(W.index, 1, NULL, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_fact_years(W.index, 1, &years, NULL, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_fact_films(W.index, 9999, &films, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_tag_facts(W.index, 999, &list, &count, &err), &err, DF_ERANGE,
                 "out of range");
    expect_error(df_index_tag_facts(NULL, 0, &list, &count, &err), &err, DF_EARG, "NULL");
    expect_error(df_index_tag_lookup(W.index, NULL, &e, &err), &err, DF_EARG, "NULL");
    /* Counts and names of NULL objects are zero and NULL; frees are no-ops. */
    assert_int_equal(df_index_entity_count(NULL), 0);
    assert_int_equal(df_index_tag_count(NULL), 0);
    assert_null(df_index_tag_name(NULL, 0));
    assert_null(df_index_corpus(NULL));
    assert_int_equal(df_gazetteer_count(NULL), 0);
    assert_int_equal(df_tag_rules_count(NULL), 0);
    df_index_free(NULL);
    df_gazetteer_free(NULL);
    df_tag_rules_free(NULL);
    /* A NULL err is allowed everywhere. */
    assert_int_equal(df_index_lookup(NULL, "x", 1, &e, NULL), DF_EARG);
    assert_int_equal(df_gazetteer_add(W.gazetteer, (df_entity_kind)77, "x", NULL, 0, NULL),
                     DF_EARG);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kind_names),
        cmocka_unit_test(test_lookup_aliases_and_misspellings),
        cmocka_unit_test(test_lookup_misses),
        cmocka_unit_test(test_facts_of_misspelt_names),
        cmocka_unit_test(test_leftmost_longest),
        cmocka_unit_test(test_mention_invariants),
        cmocka_unit_test(test_exact_case_aliases),
        cmocka_unit_test(test_non_ascii_names),
        cmocka_unit_test(test_entity_records),
        cmocka_unit_test(test_coverage),
        cmocka_unit_test(test_user_added_entities),
        cmocka_unit_test(test_gazetteer_format),
        cmocka_unit_test(test_gazetteer_parse_errors),
        cmocka_unit_test(test_gazetteer_files),
        cmocka_unit_test(test_every_fact_tagged),
        cmocka_unit_test(test_tag_samples),
        cmocka_unit_test(test_tag_tables_agree),
        cmocka_unit_test(test_user_rules),
        cmocka_unit_test(test_rules_format),
        cmocka_unit_test(test_rules_files),
        cmocka_unit_test(test_years_and_film_refs),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_empty_index),
        cmocka_unit_test(test_many_entities),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
