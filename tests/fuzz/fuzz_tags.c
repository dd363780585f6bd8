/* libFuzzer target: the tag rules parser (core/data/tags.txt format).
 * The input is a rules file.  Parsing is all or nothing: on error the rule
 * count is unchanged.  On success an index is built with the embedded
 * gazetteer over a small fixed corpus; it either fails with a documented
 * status (an unknown {Name}, a regex hitting a limit) or satisfies every
 * invariant of index_check.h, its tag fact lists sorted and in range. */
#include <assert.h>
#include <string.h>

#include "drivefacts.h"
#include "index_check.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const char facts[] =
    "Ryan Gosling restored the 1973 Chevy Malibu that his character drives.\n"
    "Carey Mulligan and Bryan Cranston; the score is by Cliff Martinez.\n"
    "Gaspar No\xc3\xa9 and Alejandro Jodorowsky were thanked by Nicolas Winding Refn.\n"
    "The Driver\xe2\x80\x99s scorpion jacket and his toothpick; \xc4\xb0stanbul, \xe6\x9d\xb1\xe4\xba\xac.\n"
    "It premiered at the Cannes Film Festival (2011) to a 15-minute ovation.\n"
    "Thief (1981) and The Driver (1978) were references; Drive (2011) is the film.\n"
    "@ { } {Nino} \\@ -{Drive} plain words\n";

static df_corpus *corpus;
static df_gazetteer *gazetteer;

static void setup(void) {
    if (corpus != NULL)
        return;
    df_load_options opts = {.format = DF_FORMAT_LINES, .name = "facts"};
    df_error err;
    assert(df_corpus_load_buffer(facts, sizeof facts - 1, &opts, &corpus, &err) == DF_OK);
    assert(df_corpus_count(corpus) == 7);
    /* The index copies what it needs: one gazetteer serves every run. */
    assert(df_gazetteer_new(&gazetteer, &err) == DF_OK);
    assert(df_gazetteer_add_embedded(gazetteer, &err) == DF_OK);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    const char *text = (const char *)data;
    setup();
    df_tag_rules *rules;
    df_error err;
    assert(df_tag_rules_new(&rules, &err) == DF_OK);
    /* One rule before the parse, so "unchanged" is not just "empty". */
    assert(df_tag_rules_add_regex(rules, "before", "\\bdriver\\b", 10, DF_CASELESS, &err) == DF_OK);
    size_t before = df_tag_rules_count(rules);
    assert(before == 1);

    memset(&err, 0, sizeof err);
    df_status status = df_tag_rules_add_text(rules, text, size, "fuzz.txt", &err);
    if (status != DF_OK) {
        assert(df_tag_rules_count(rules) == before);
        fuzz_check_parse_error(status, &err, text, size, "fuzz.txt");
        df_tag_rules_free(rules);
        return 0;
    }
    assert(df_tag_rules_count(rules) >= before);

    df_index *index;
    status = df_index_build(corpus, gazetteer, rules, &index, &err);
    if (status != DF_OK) {
        assert(status == DF_EARG || status == DF_EMATCHLIMIT || status == DF_EDEPTHLIMIT ||
               status == DF_EMATCH);
        assert(err.code == status && err.message[0] != '\0');
        df_tag_rules_free(rules);
        return 0;
    }
    assert(df_index_entity_count(index) == df_gazetteer_count(gazetteer));
    /* Every rule names a tag; the first tag is the one added before. */
    assert(df_index_tag_count(index) >= 1 && df_index_tag_count(index) <= df_tag_rules_count(rules));
    assert(strcmp(df_index_tag_name(index, 0), "before") == 0);
    fuzz_check_index(index, corpus);
    df_index_free(index);
    df_tag_rules_free(rules);
    return 0;
}
