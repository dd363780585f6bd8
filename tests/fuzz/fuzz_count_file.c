/* libFuzzer target: df_count_file (search_file.c) must count what loading the
 * file then df_count counts, and fail with the same error, whatever the
 * bytes and wherever the pieces end (the case: file_case.h). */
#define _POSIX_C_SOURCE 200809L

#include "file_case.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    fuzz_file_case fc;
    if (!fuzz_file_case_read(data, size, "fuzz_count_file", &fc))
        return 0;
    df_error want_err, got_err;
    size_t want_facts = 0, want_matches = 0, got_facts = 0, got_matches = 0;
    df_corpus *corpus;
    df_status want = df_corpus_load_file(fc.path, &fc.opts, &corpus, &want_err);
    if (want == DF_OK) {
        want = df_count(corpus, fc.matcher, fc.flags, &want_facts, &want_matches, &want_err);
        df_corpus_free(corpus);
    }
    df_status got = df_count_file_in_pieces(fc.path, &fc.opts, fc.matcher, fc.flags, fc.piece,
                                            &got_facts, &got_matches, &got_err);
    assert(got == want);
    if (got == DF_OK) {
        assert(got_facts == want_facts && got_matches == want_matches);
    } else {
        assert(strcmp(got_err.message, want_err.message) == 0);
        assert(got_err.offset == want_err.offset && got_err.line == want_err.line);
    }
    return 0;
}
