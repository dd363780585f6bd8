/* grep-embedded PATTERN [FLAGS]: print the facts of the embedded corpus
 * that match PATTERN, with the matches in [brackets].  A small tour
 * of the C API: load, compile, search with a callback, report errors. */
#include <stdio.h>
#include <string.h>

#include "drivefacts.h"

typedef struct printer {
    size_t fact_id;    /* fact being printed, 0 before the first */
    size_t printed;    /* bytes of that fact already written */
    const char *text;
    size_t len;
    size_t facts;
} printer;

static void finish_fact(printer *p) {
    if (p->fact_id != 0)
        printf("%.*s\n", (int)(p->len - p->printed), p->text + p->printed);
}

static int print_match(const df_match *m, void *userdata) {
    printer *p = userdata;
    if (m->fact_id != p->fact_id) {
        finish_fact(p);
        *p = (printer){m->fact_id, 0, m->text, m->len, p->facts + 1};
        printf("%zu: ", (size_t)m->fact_id);
    }
    size_t start = m->ovector[0], end = m->ovector[1];
    if (start == end)
        return 0;
    printf("%.*s[%.*s]", (int)(start - p->printed), m->text + p->printed, (int)(end - start),
           m->text + start);
    p->printed = end;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: %s PATTERN [FLAGS]\n", argv[0]);
        return 2;
    }
    df_error err;
    df_corpus *corpus = NULL;
    df_regex *regex = NULL;
    df_matcher *matcher = NULL;
    unsigned flags = 0;
    int status = 2;
    if (df_corpus_load_embedded(&corpus, &err) != DF_OK ||
        (argc == 3 && df_regex_parse_flags(argv[2], &flags, &err) != DF_OK) ||
        df_regex_compile(argv[1], strlen(argv[1]), flags, &regex, &err) != DF_OK ||
        df_matcher_new(regex, NULL, &matcher, &err) != DF_OK) {
        fprintf(stderr, "grep-embedded: %s\n", err.message);
        goto done;
    }
    printer p = {0};
    if (df_search(corpus, matcher, 0, print_match, &p, &err) != DF_OK) {
        fprintf(stderr, "grep-embedded: %s\n", err.message);
        goto done;
    }
    finish_fact(&p);
    printf("-- %zu of %zu facts match /%s/ (drivefacts %s, %s)\n", p.facts,
           df_corpus_count(corpus), argv[1], df_version(),
           df_regex_is_jit(regex) ? "JIT" : "interpreter");
    status = p.facts > 0 ? 0 : 1;
done:
    df_matcher_free(matcher);
    df_regex_free(regex);
    df_corpus_free(corpus);
    return status;
}
