/* The fixture the index suites share: the embedded corpus indexed with the
 * embedded gazetteer and rules (W, built once per suite by setup_world),
 * and helpers to look into an index.  Fact ids are those of the embedded
 * corpus, core/data/drive-2011.txt, in file order. */
#ifndef DF_TEST_INDEX_FIXTURE_H
#define DF_TEST_INDEX_FIXTURE_H

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

extern world W;

#define CHECK_OK(call)                                                                       \
    do {                                                                                     \
        df_error err_;                                                                       \
        memset(&err_, 0, sizeof err_);                                                       \
        df_status st_ = (call);                                                              \
        if (st_ != DF_OK)                                                                    \
            print_message("%s failed: %s: %s\n", #call, df_status_name(st_), err_.message); \
        assert_int_equal(st_, DF_OK);                                                        \
    } while (0)


int setup_world(void **state);
int teardown_world(void **state);
size_t entity_of(const df_index *x, const char *name);
const char *name_of(const df_index *x, size_t entity);
void expect_lookup(const char *query, const char *canonical);
int list_has(const uint32_t *list, size_t count, uint32_t value);
void expect_facts(const df_index *x, const char *name, const uint32_t *expected, size_t expected_count);
int fact_mentions(const df_index *x, df_fact_id id, const char *name);
df_corpus *corpus_of(const char *text);
df_index *index_of(const df_corpus *c, const df_gazetteer *g, const df_tag_rules *r);
df_gazetteer *gazetteer_of(const char *text);
const char *mention_text(const df_index *x, df_fact_id id, size_t i, char *buf, size_t size);
void expect_error(df_status got, const df_error *err, df_status want, const char *needle);
/* expect_error, and the error is at `line` of the data file `input`, as its
 * message says first ("input:line: ..."). */
void expect_error_at(df_status got, const df_error *err, df_status want, const char *needle,
                     const char *input, size_t line);

void expect_years(const df_index *x, df_fact_id id, const uint16_t *years, size_t n);
void expect_film(const df_index *x, df_fact_id id, size_t i, const char *title, unsigned year, const char *entity);

#endif
