/* The index suites' shared fixture: see index_fixture.h. */
#include "index_fixture.h"

world W;

int setup_world(void **state) {
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

int teardown_world(void **state) {
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
size_t entity_of(const df_index *x, const char *name) {
    size_t e = SIZE_MAX;
    df_error err;
    df_status st = df_index_lookup(x, name, strlen(name), &e, &err);
    if (st != DF_OK)
        print_message("lookup '%s': %s\n", name, df_status_name(st));
    assert_int_equal(st, DF_OK);
    return e;
}

const char *name_of(const df_index *x, size_t entity) {
    df_entity e;
    df_error err;
    assert_int_equal(df_index_entity(x, entity, &e, &err), DF_OK);
    return e.name;
}

/* The canonical name `query` resolves to. */
void expect_lookup(const char *query, const char *canonical) {
    assert_string_equal(name_of(W.index, entity_of(W.index, query)), canonical);
}

int list_has(const uint32_t *list, size_t count, uint32_t value) {
    for (size_t i = 0; i < count; i++)
        if (list[i] == value)
            return 1;
    return 0;
}

/* got[0..count) is want[0..n); got is printed whole, after `what`, when
 * the lengths differ. */
static void expect_list(const char *what, const uint32_t *got, size_t count,
                        const uint32_t *want, size_t n) {
    if (count != n) {
        print_message("%s: %zu:", what, count);
        for (size_t i = 0; i < count; i++)
            print_message(" %u", got[i]);
        print_message("\n");
    }
    assert_int_equal(count, n);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(got[i], want[i]);
}

/* The facts mentioning `name`, as a NUL-free id list compared to expected. */
void expect_facts(const df_index *x, const char *name, const uint32_t *expected,
                         size_t expected_count) {
    const uint32_t *facts;
    size_t count;
    CHECK_OK(df_index_entity_facts(x, entity_of(x, name), &facts, &count, &err_));
    expect_list(name, facts, count, expected, expected_count);
}

int fact_mentions(const df_index *x, df_fact_id id, const char *name) {
    const uint32_t *ents;
    size_t count;
    df_error err;
    assert_int_equal(df_index_fact_entities(x, id, &ents, &count, &err), DF_OK);
    return list_has(ents, count, (uint32_t)entity_of(x, name));
}

df_corpus *corpus_of(const char *text) {
    df_corpus *c;
    df_error err;
    df_load_options opts = {.format = DF_FORMAT_PARAGRAPHS, .name = "test"};
    assert_int_equal(df_corpus_load_buffer(text, strlen(text), &opts, &c, &err), DF_OK);
    return c;
}

df_index *index_of(const df_corpus *c, const df_gazetteer *g, const df_tag_rules *r) {
    df_index *x = NULL;
    df_error err;
    df_status st = df_index_build(c, g, r, &x, &err);
    if (st != DF_OK)
        print_message("build: %s\n", err.message);
    assert_int_equal(st, DF_OK);
    return x;
}

df_gazetteer *gazetteer_of(const char *text) {
    df_gazetteer *g;
    df_error err;
    assert_int_equal(df_gazetteer_new(&g, &err), DF_OK);
    df_status st = df_gazetteer_add_text(g, text, strlen(text), "test.txt", &err);
    if (st != DF_OK)
        print_message("parse: %s\n", err.message);
    assert_int_equal(st, DF_OK);
    return g;
}

/* Text of mention i of fact id, into buf. */
const char *mention_text(const df_index *x, df_fact_id id, size_t i, char *buf, size_t size) {
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
void expect_error(df_status got, const df_error *err, df_status want, const char *needle) {
    if (got != want || strstr(err->message, needle) == NULL)
        print_message("expected %s with '%s'; got %s: '%s'\n", df_status_name(want), needle,
                      df_status_name(got), err->message);
    assert_int_equal(got, want);
    assert_int_equal(err->code, want);
    assert_non_null(strstr(err->message, needle));
    assert_null(strchr(err->message, '\n'));
}

void expect_error_at(df_status got, const df_error *err, df_status want, const char *needle,
                     const char *input, size_t line) {
    expect_error(got, err, want, needle);
    assert_int_equal(err->line, line);
    char where[600];
    snprintf(where, sizeof where, "%s:%zu:", input, line);
    assert_non_null(strstr(err->message, where));
}

void expect_years(const df_index *x, df_fact_id id, const uint16_t *years, size_t n) {
    const uint16_t *got;
    size_t count;
    CHECK_OK(df_index_fact_years(x, id, &got, &count, &err_));
    /* A fact names a few years: widened to compare as lists of ids do. */
    uint32_t got_wide[32], want_wide[32];
    assert_true(count <= 32 && n <= 32);
    for (size_t i = 0; i < count || i < n; i++) {
        got_wide[i] = i < count ? got[i] : 0;
        want_wide[i] = i < n ? years[i] : 0;
    }
    char what[64];
    snprintf(what, sizeof what, "fact %zu years", (size_t)id);
    expect_list(what, got_wide, count, want_wide, n);
}

void expect_film(const df_index *x, df_fact_id id, size_t i, const char *title,
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
