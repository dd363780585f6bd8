/* libFuzzer target: the loader, in every format, and near-duplicates of
 * what it loads.  The first byte picks the format; the rest is the file.
 * Invariants are checked, not just crashes. */
#include <assert.h>
#include <string.h>

#include "drivefacts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size == 0)
        return 0;
    df_load_options opts = {.format = (df_format)(data[0] % 3), .name = "fuzz"};
    df_corpus *corpus;
    df_error err;
    df_status status = df_corpus_load_buffer((const char *)data + 1, size - 1, &opts, &corpus, &err);
    if (status != DF_OK) {
        assert(status == DF_EUTF8 && corpus == NULL);
        assert(df_utf8_check((const char *)data + 1, size - 1, NULL) == DF_EUTF8);
        return 0;
    }
    size_t total = 0;
    for (df_fact_id id = 1; id <= df_corpus_count(corpus); id++) {
        df_fact fact;
        status = df_corpus_fact(corpus, id, &fact, &err);
        assert(status == DF_OK && fact.len > 0 && fact.text[fact.len] == '\0');
        assert(df_utf8_check(fact.text, fact.len, NULL) == DF_OK);
        assert(fact.text[0] != ' ' && fact.text[fact.len - 1] != ' ');
        total += fact.len;
    }
    assert(total == df_corpus_bytes(corpus) && total < size);
    /* Near-duplicates read every fact line by line, normalised into buffers
     * sized from the longest: any text, any pairs, in range and ordered. */
    df_duplicate *pairs;
    size_t count;
    status = df_duplicates(corpus, 0.3, &pairs, &count, &err);
    assert(status == DF_OK && (count == 0) == (pairs == NULL));
    for (size_t i = 0; i < count; i++) {
        assert(1 <= pairs[i].a && pairs[i].a < pairs[i].b && pairs[i].b <= df_corpus_count(corpus));
        assert(pairs[i].score >= 0.3 && pairs[i].score <= 1.0);
        assert(i == 0 || pairs[i - 1].score >= pairs[i].score);
    }
    df_duplicates_free(pairs);
    df_corpus_free(corpus);
    return 0;
}
