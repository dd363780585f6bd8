/* libFuzzer target: the gazetteer parser (core/data/entities.txt format).
 * The input is a gazetteer file.  Parsing is all or nothing: on error the
 * entity count is unchanged and the index built from the gazetteer is the
 * one built before the parse; on success an index over a small fixed corpus
 * (non-ASCII facts included) must satisfy every invariant of index_check.h. */
#include <assert.h>
#include <string.h>

#include "drivefacts.h"
#include "index_check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* Facts the fuzzed names may meet: ASCII, accents, case-folding corners
 * (Kelvin sign, long s, dotted I, sharp s), typographic apostrophes, line
 * breaks inside a fact, CJK, combining marks, a film reference. */
static const char facts[] =
    "Ryan Gosling and Carey Mulligan star in Drive (2011), directed by Nicolas Winding Refn.\n"
    "\n"
    "Gaspar No\xc3\xa9 and Jonatan S\xc3\xb6" "derstr\xc3\xb6m were thanked; GASPAR NOE was not.\n"
    "\n"
    "The Driver\xe2\x80\x99s jacket: a scorpion. The driver's gloves.\n"
    "\n"
    "Nicolas\nWinding   Refn met Ryan\tGosling in Los Angeles in the 1980s.\n"
    "\n"
    "\xe2\x84\xaa\xc3\xa9lvin, \xc5\xbf\xc3\xa9x, \xc4\xb0stanbul, Stra\xc3\x9f" "e, STRASSE, \xe6\x9d\xb1\xe4\xba\xac, e\xcc\x81t\xc3\xa9.\n"
    "\n"
    "a b c a-b c_d \"quoted\" = , #hash\n"
    "\n"
    "Thief (1981) and The Driver (1978) by Walter Hill; Bullitt (1968).\n";

static df_corpus *corpus;

static df_corpus *fixed_corpus(void) {
    if (corpus == NULL) {
        df_load_options opts = {.format = DF_FORMAT_PARAGRAPHS, .name = "facts"};
        df_error err;
        df_status status = df_corpus_load_buffer(facts, sizeof facts - 1, &opts, &corpus, &err);
        assert(status == DF_OK && df_corpus_count(corpus) == 7);
    }
    return corpus;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    const char *text = (const char *)data;
    const df_corpus *facts_corpus = fixed_corpus();
    df_gazetteer *gazetteer;
    df_error err;
    assert(df_gazetteer_new(&gazetteer, &err) == DF_OK);
    /* One entity before the parse, so "unchanged" is not just "empty". */
    const char *aliases[] = {"\"Gosling\"", "Ryan Goslin"};
    assert(df_gazetteer_add(gazetteer, "person", "Ryan Gosling", aliases, 2, &err) == DF_OK);
    size_t before = df_gazetteer_count(gazetteer);
    assert(before == 1);

    memset(&err, 0, sizeof err);
    df_status status = df_gazetteer_add_text(gazetteer, text, size, "fuzz.txt", &err);
    if (status != DF_OK) {
        assert(df_gazetteer_count(gazetteer) == before);
        fuzz_check_parse_error(status, &err, text, size, "fuzz.txt");
    } else {
        assert(df_gazetteer_count(gazetteer) >= before);
    }

    df_index *index;
    status = df_index_build(facts_corpus, gazetteer, NULL, &index, &err);
    assert(status == DF_OK);
    assert(df_index_entity_count(index) == df_gazetteer_count(gazetteer));
    assert(df_index_tag_count(index) == 0);
    fuzz_check_index(index, facts_corpus);
    /* The entity known before the parse is still there, by every name. */
    size_t entity;
    assert(df_index_lookup(index, "Ryan Gosling", 12, &entity, &err) == DF_OK);
    assert(df_index_lookup(index, "ryan goslin", 11, &entity, &err) == DF_OK);
    df_index_free(index);
    df_gazetteer_free(gazetteer);
    return 0;
}
