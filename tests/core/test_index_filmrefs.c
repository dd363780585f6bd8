/* Tests for years and film references (index_filmrefs.c). */
#include "index_fixture.h"

/* ----------------------------------------------- years and film refs */

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
    for (df_fact_id id = 1; id <= df_corpus_count(W.corpus); id++) {
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

/* The scan jumps sixteen bytes (SSE2) or eight at a time to the next '('
 * or '1'/'2': a year or a reference is found wherever it falls in those
 * bytes (the pads take it through all sixteen places), and at the very end
 * of a fact. */
static void test_years_at_every_alignment(void **state) {
    (void)state;
    char text[4096] = "";
    size_t used = 0;
    for (int pad = 0; pad < 17; pad++) {
        used += (size_t)snprintf(text + used, sizeof text - used,
                                 "%.*s Some Picture (1999) then 31 2001 x1984 9 %s\n\n", pad,
                                 "zzzzzzzzzzzzzzzzzzzz", pad % 2 ? "1980s" : "(2002)");
    }
    df_corpus *c = corpus_of(text);
    df_index *x = index_of(c, NULL, NULL);
    assert_int_equal(df_corpus_count(c), 17);
    static const uint16_t odd[] = {1980, 1999, 2001}, even[] = {1999, 2001, 2002};
    for (df_fact_id id = 1; id <= 17; id++) {
        expect_years(x, id, id % 2 ? even : odd, 3); /* fact id pads id - 1 */
        expect_film(x, id, 0, "Some Picture", 1999, NULL);
    }
    df_index_free(x);
    df_corpus_free(c);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_years_and_film_refs),
        cmocka_unit_test(test_years_at_every_alignment),
    };
    return cmocka_run_group_tests(tests, setup_world, teardown_world);
}
