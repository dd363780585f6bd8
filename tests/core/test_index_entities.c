/* Tests for entity matching (index_entities.c) through the index of the
 * embedded corpus: kinds, aliases and misspellings, exact case,
 * leftmost-longest, non-ASCII names, entity records, coverage. */
#include "index_fixture.h"

/* ------------------------------------------------------- entity kinds */

/* Kinds are open: any name of the tag-name alphabet works, in the data
 * format and through the API; the entities keep their kind's name. */
static void test_open_kinds(void **state) {
    (void)state;
    df_gazetteer *g;
    df_error err;
    CHECK_OK(df_gazetteer_new(&g, &err_));
    static const char data[] = "author: Ann Leckie\nship: Justice of Toren = Justice\n"
                               "Space-Station_9: Ceres\n";
    CHECK_OK(df_gazetteer_add_text(g, data, sizeof data - 1, "kinds", &err_));
    CHECK_OK(df_gazetteer_add(g, "author", "Iain Banks", NULL, 0, &err_));
    /* The same name under two kinds is two entities. */
    CHECK_OK(df_gazetteer_add(g, "ship", "Iain Banks", NULL, 0, &err_));
    assert_int_equal(df_gazetteer_count(g), 5);
    expect_error(df_gazetteer_add(g, "per son", "X", NULL, 0, &err), &err, DF_EARG, "bad kind");
    expect_error(df_gazetteer_add(g, "", "X", NULL, 0, &err), &err, DF_EARG, "bad kind");
    char long_kind[DF_MAX_KIND_NAME + 2];
    memset(long_kind, 'k', sizeof long_kind - 1);
    long_kind[sizeof long_kind - 1] = '\0';
    expect_error(df_gazetteer_add(g, long_kind, "X", NULL, 0, &err), &err, DF_EARG, "bad kind");
    long_kind[DF_MAX_KIND_NAME] = '\0';
    CHECK_OK(df_gazetteer_add(g, long_kind, "X", NULL, 0, &err_));
    expect_error(df_gazetteer_add(g, NULL, "X", NULL, 0, &err), &err, DF_EARG, "NULL");

    df_tag_rules *r;
    CHECK_OK(df_tag_rules_new(&r, &err_));
    CHECK_OK(df_tag_rules_add_kind(r, "authors", "author", &err_));
    static const char rules[] = "vessels: @ship -{Iain Banks}\nnobody: @unicorn\n";
    CHECK_OK(df_tag_rules_add_text(r, rules, sizeof rules - 1, "rules", &err_));
    expect_error(df_tag_rules_add_kind(r, "t", "bad kind", &err), &err, DF_EARG, "bad kind");

    static const char text[] = "Ann Leckie wrote of Justice.\n\nIain Banks.\n\nNothing.\n";
    df_corpus *c;
    CHECK_OK(df_corpus_load_buffer(text, sizeof text - 1, NULL, &c, &err_));
    df_index *x = index_of(c, g, r);
    df_entity e;
    CHECK_OK(df_index_entity(x, entity_of(x, "Justice"), &e, &err_));
    assert_string_equal(e.kind, "ship");
    assert_string_equal(e.name, "Justice of Toren");
    CHECK_OK(df_index_entity(x, entity_of(x, "Ceres"), &e, &err_));
    assert_string_equal(e.kind, "Space-Station_9");
    const uint32_t *facts;
    size_t count, tag;
    CHECK_OK(df_index_tag_lookup(x, "authors", &tag, &err_));
    CHECK_OK(df_index_tag_facts(x, tag, &facts, &count, &err_));
    assert_int_equal(count, 2);
    assert_int_equal(facts[0], 1);
    assert_int_equal(facts[1], 2);
    /* The ship Justice tags fact 1; the ship "Iain Banks" is left out. */
    CHECK_OK(df_index_tag_lookup(x, "vessels", &tag, &err_));
    CHECK_OK(df_index_tag_facts(x, tag, &facts, &count, &err_));
    assert_int_equal(count, 1);
    assert_int_equal(facts[0], 1);
    /* A kind no entity has tags nothing. */
    CHECK_OK(df_index_tag_lookup(x, "nobody", &tag, &err_));
    CHECK_OK(df_index_tag_facts(x, tag, &facts, &count, &err_));
    assert_int_equal(count, 0);
    df_index_free(x);
    df_corpus_free(c);
    df_tag_rules_free(r);
    df_gazetteer_free(g);
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
    for (df_fact_id id = 1; id <= n; id++) {
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

/* An entity's listed aliases hold each text once and never its name, also
 * when the gazetteer has a text twice (with exact case and without) and
 * when there are many (the repeats were once found by a quadratic scan). */
static void test_alias_list_without_repeats(void **state) {
    (void)state;
    enum { MANY = 3000 };
    df_gazetteer *g;
    CHECK_OK(df_gazetteer_new(&g, &err_));
    static char texts[2 * MANY + 2][24];
    const char *aliases[2 * MANY + 2];
    for (size_t i = 0; i < MANY; i++) {
        snprintf(texts[2 * i], sizeof texts[0], "Alias %zu", i);
        snprintf(texts[2 * i + 1], sizeof texts[0], "\"Alias %zu\"", i);  /* exact case */
        aliases[2 * i] = texts[2 * i];
        aliases[2 * i + 1] = texts[2 * i + 1];
    }
    aliases[2 * MANY] = "Many";
    aliases[2 * MANY + 1] = "Alias 7";
    CHECK_OK(df_gazetteer_add(g, "person", "Many", aliases, 2 * MANY + 2, &err_));
    df_corpus *c = corpus_of("Alias 2999 and alias 7.\n");
    df_index *x = index_of(c, g, NULL);
    df_entity e;
    CHECK_OK(df_index_entity(x, 0, &e, &err_));
    assert_string_equal(e.name, "Many");
    assert_int_equal(e.alias_count, MANY);
    for (size_t i = 0; i < MANY; i++) {
        char want[24];
        snprintf(want, sizeof want, "Alias %zu", i);
        assert_string_equal(e.aliases[i], want);
    }
    assert_int_equal(e.fact_count, 1);
    assert_int_equal(e.mention_count, 2);
    df_index_free(x);
    df_corpus_free(c);
    df_gazetteer_free(g);
}

/* The entity record: canonical name, kind, aliases without the name,
 * counts consistent with the postings. */
static void test_entity_records(void **state) {
    (void)state;
    df_entity e;
    size_t refn = entity_of(W.index, "Refn");
    CHECK_OK(df_index_entity(W.index, refn, &e, &err_));
    assert_string_equal(e.name, "Nicolas Winding Refn");
    assert_string_equal(e.kind, "person");
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
    static const char *const kind_names[] = {"person", "character", "film", "song",
                                             "band",   "car",       "place", "company"};
    size_t kinds[8] = {0};
    for (size_t i = 0; i < n; i++) {
        const uint32_t *facts;
        size_t count;
        CHECK_OK(df_index_entity(W.index, i, &e, &err_));
        CHECK_OK(df_index_entity_facts(W.index, i, &facts, &count, &err_));
        assert_int_equal(e.fact_count, count);
        assert_true(e.mention_count >= count);
        for (size_t k = 1; k < count; k++)
            assert_true(facts[k - 1] < facts[k]);
        size_t k = 0;
        while (k < 8 && strcmp(kind_names[k], e.kind) != 0)
            k++;
        assert_true(k < 8);
        kinds[k]++;
        /* Every entity is found by its own name. */
        assert_int_equal(entity_of(W.index, e.name), i);
    }
    for (size_t k = 0; k < 8; k++)
        assert_true(kinds[k] > 0);
}

/* The gazetteer covers the people, characters, films and songs the corpus
 * names (a sample from every kind). */
static void test_coverage(void **state) {
    (void)state;
    static const struct {
        const char *name;
        const char *kind;
        uint32_t fact;
    } sample[] = {
        {"Ryan Gosling", "person", 1},       {"Bryan Cranston", "person", 4},
        {"Albert Brooks", "person", 7},      {"Oscar Isaac", "person", 36},
        {"Ron Perlman", "person", 5},        {"Christina Hendricks", "person", 21},
        {"Newton Thomas Sigel", "person", 28}, {"Beth Mickle", "person", 41},
        {"Cliff Martinez", "person", 55},    {"Johnny Jewel", "person", 56},
        {"Irene", "character", 2},           {"Shannon", "character", 4},
        {"Standard", "character", 36},       {"Benicio", "character", 71},
        {"Nino", "character", 5},            {"Bernie Rose", "character", 41},
        {"Blanche", "character", 21},        {"Cook", "character", 77},
        {"No Country for Old Men", "film", 8}, {"Taxi Driver", "film", 38},
        {"Half Nelson", "film", 65},         {"Finding Nemo", "film", 71},
        {"Nightcall", "song", 30},           {"A Real Hero", "song", 53},
        {"Under Your Spell", "song", 56},    {"Wrong Floor", "song", 26},
        {"Chromatics", "band", 69},          {"College", "band", 53},
        {"Desire", "band", 82},              {"Chevrolet Malibu", "car", 1},
        {"Los Angeles", "place", 11},        {"FilmDistrict", "company", 83},
    };
    for (size_t i = 0; i < sizeof sample / sizeof sample[0]; i++) {
        df_entity e;
        CHECK_OK(df_index_entity(W.index, entity_of(W.index, sample[i].name), &e, &err_));
        assert_string_equal(e.kind, sample[i].kind);
        if (!fact_mentions(W.index, sample[i].fact, sample[i].name))
            print_message("%s not found in fact %u\n", sample[i].name, sample[i].fact);
        assert_true(fact_mentions(W.index, sample[i].fact, sample[i].name));
    }
    /* Songs and artists the corpus does not name are known all the same. */
    expect_lookup("Oh My Love", "Oh My Love");
    expect_lookup("Electric Youth", "Electric Youth");
    expect_lookup("Riz Ortolani", "Riz Ortolani");
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_kinds),
        cmocka_unit_test(test_lookup_aliases_and_misspellings),
        cmocka_unit_test(test_lookup_misses),
        cmocka_unit_test(test_facts_of_misspelt_names),
        cmocka_unit_test(test_leftmost_longest),
        cmocka_unit_test(test_mention_invariants),
        cmocka_unit_test(test_exact_case_aliases),
        cmocka_unit_test(test_non_ascii_names),
        cmocka_unit_test(test_entity_records),
        cmocka_unit_test(test_alias_list_without_repeats),
        cmocka_unit_test(test_coverage),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
