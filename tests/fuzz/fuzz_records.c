/* libFuzzer target: the record loaders (JSON Lines, CSV, TSV).  The first
 * byte picks the format and the text field; the rest is the file.
 * Invariants are checked, not just crashes. */
#include <assert.h>
#include <string.h>

#include "drivefacts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static void check_text(const char *text, size_t len) {
    assert(text[len] == '\0' && memchr(text, '\0', len) == NULL);
    assert(df_utf8_check(text, len, NULL) == DF_OK);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size == 0)
        return 0;
    static const df_format formats[] = {DF_FORMAT_JSONL, DF_FORMAT_CSV, DF_FORMAT_TSV};
    df_load_options opts = {.format = formats[data[0] % 3], .name = "fuzz",
                            .text_field = data[0] & 4 ? "t" : NULL};
    df_corpus *corpus;
    df_error err;
    df_status status = df_corpus_load_buffer((const char *)data + 1, size - 1, &opts, &corpus, &err);
    if (status != DF_OK) {
        assert(corpus == NULL && (status == DF_ERECORD || status == DF_EUTF8));
        assert(err.line >= 1 && strncmp(err.message, "fuzz:", 5) == 0);
        if (status == DF_EUTF8)
            assert(df_utf8_check((const char *)data + 1, size - 1, NULL) == DF_EUTF8);
        return 0;
    }
    size_t total = 0, fields = df_corpus_field_count(corpus);
    for (size_t i = 0; i < fields; i++) {
        const char *name = df_corpus_field_name(corpus, i);
        check_text(name, strlen(name));
        size_t found;
        assert(df_corpus_field_find(corpus, name, &found) == DF_OK && found == i);
    }
    for (df_fact_id id = 1; id <= df_corpus_count(corpus); id++) {
        df_fact fact;
        status = df_corpus_fact(corpus, id, &fact, &err);
        assert(status == DF_OK && fact.len > 0 && fact.line >= 1);
        check_text(fact.text, fact.len);
        assert(fact.text[0] != ' ' && fact.text[fact.len - 1] != ' ');
        total += fact.len;
        for (size_t i = 0; i < fields; i++) {
            df_field_value value;
            assert(df_fact_field(corpus, id, i, &value, &err) == DF_OK);
            assert(df_field_type_name(value.type) != NULL);
            assert(value.type != DF_FIELD_ABSENT || value.len == 0);
            check_text(value.text, value.len);
        }
    }
    assert(total == df_corpus_bytes(corpus) && total < size);
    df_corpus_free(corpus);
    return 0;
}
