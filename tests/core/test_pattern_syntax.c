/* Tests for the reader of PCRE2 syntax (pattern_syntax.c): the tokens of
 * patterns, the scope of inline options, and the context-free test that
 * walks them (pattern_compile.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "pattern.h"

/* The tokens of a pattern as letters: c char (C when caseless), . any,
 * [ class, ^ anchor, b word boundary, K reset, r backref, R call, ( group
 * (with its kind's digit), ) close, | alt, * quantifier (+ possessive),
 * o options, v verb, ? unknown. */
static void tokens_of(const char *pattern, unsigned flags, char *out, size_t size) {
    df_syntax reader;
    df_token t;
    size_t n = 0;
    df_syntax_init(&reader, pattern, strlen(pattern), flags);
    while (n + 3 < size && df_syntax_next(&reader, &t) != DF_TOK_END) {
        static const char letters[] = "\0c.[^bKrR()|*ov?";
        out[n++] = t.kind == DF_TOK_CHAR && t.caseless ? 'C' : letters[t.kind];
        if (t.kind == DF_TOK_OPEN)
            out[n++] = (char)('0' + t.group);
        if (t.kind == DF_TOK_QUANT && t.possessive)
            out[n++] = '+';
        if (t.kind == DF_TOK_UNKNOWN || t.kind == DF_TOK_VERB)
            break;
    }
    out[n] = '\0';
}

static void expect_tokens(const char *pattern, unsigned flags, const char *expected) {
    char got[128];
    tokens_of(pattern, flags, got, sizeof got);
    if (strcmp(got, expected) != 0)
        fail_msg("/%s/ (flags %u): tokens %s, expected %s", pattern, flags, got, expected);
}

static void test_tokens(void **state) {
    (void)state;
    expect_tokens("ab|c", 0, "cc|c");
    expect_tokens("a(?#x(y|z)b", 0, "cc");
    expect_tokens("(?i)ab(?-i)c", 0, "oCCoc");
    expect_tokens("a(?i:b)c", 0, "c(1C)c");
    expect_tokens("(a(?i)b|c)d", 0, "(0coC|C)c");  /* to the group's end, across | */
    expect_tokens("ab", DF_CASELESS, "CC");
    expect_tokens("\\Qa|(\\E|b", 0, "ccc|c");
    expect_tokens("\\Qab", 0, "cc");
    expect_tokens("(?<n>a)\\k<n>(?P=n)(?P>n)\\g<n>(?1)(?R)", 0, "(0c)rrRRRR");
    expect_tokens("(?=a)(?!b)(?<=c)(?<!d)(?>e)", 0, "(3c)(4c)(5c)(6c)(2c)");
    expect_tokens("^a$\\A\\z\\Z\\G\\b\\B\\K", 0, "^c^^^^^bbK");
    expect_tokens("a*b+?c{2}d{2,}e{2,3}+f{x", 0, "c*c*c*c*c*+ccc");
    expect_tokens("\\d\\x41\\x{263A}\\p{L}\\pL\\cA\\N.", 0, "........");
    expect_tokens("\\.\\é", 0, "cc");
    expect_tokens("[a-z\\]]", 0, "[");
    expect_tokens("a b # c\n d", DF_EXTENDED, "ccc");
    expect_tokens("(?x) a b (?-x) c", 0, "occocc");
    expect_tokens("(*UCP)a", 0, "v");
    expect_tokens("(?(1)a)", 0, "?");
    expect_tokens("(?C1)a", 0, "?");
    expect_tokens("a{,3}", 0, "c?");
    expect_tokens("a # x\r b", DF_EXTENDED, "c?");  /* another newline could end it */
}

static void expect_class(const char *pattern, unsigned flags, const char *members, int other) {
    df_syntax reader;
    df_token t;
    df_syntax_init(&reader, pattern, strlen(pattern), flags);
    while (df_syntax_next(&reader, &t) == DF_TOK_OPTIONS)
        continue;
    assert_int_equal(t.kind, DF_TOK_CLASS);
    char got[129];
    size_t n = 0;
    for (unsigned c = 0; c < 128; c++)
        if (t.class_ascii[c >> 3] & (1u << (c & 7)))
            got[n++] = (char)c;
    got[n] = '\0';
    if (strcmp(got, members) != 0 || t.class_other != other)
        fail_msg("/%s/: members \"%s\" other %d, expected \"%s\" %d", pattern, got,
                 t.class_other, members, other);
    assert_int_equal(df_syntax_next(&reader, &t), DF_TOK_END);
}

static void test_classes(void **state) {
    (void)state;
    expect_class("[abc]", 0, "abc", 0);
    expect_class("[]a]", 0, "]a", 0);
    expect_class("[a-d]", 0, "abcd", 0);
    expect_class("[\\]\\-x]", 0, "-]x", 0);
    expect_class("[^ab]", 0, "ab", 1);
    expect_class("[a\\d]", 0, "a", 1);
    expect_class("[[:alpha:]x]", 0, "x", 1);
    expect_class("[aé]", 0, "a", 1);
    expect_class("[a-\\x{7A}]", 0, "", 1);
    expect_class("[a b]", DF_EXTENDED, " ab", 0);
    expect_class("(?xx)[a b]", 0, "ab", 0);
    expect_class("(?xx)[ ]a]", 0, "]a", 0);
    expect_class("(?xx)[^ \t]a]", 0, "]a", 1);
}

static int context_free(const char *pattern, unsigned flags) {
    df_regex *re = NULL;
    df_error err;
    if (df_regex_compile(pattern, strlen(pattern), flags, &re, &err) != DF_OK)
        fail_msg("/%s/: %s", pattern, err.message);
    int result = re->context_free;
    df_regex_free(re);
    return result;
}

static void test_context_free(void **state) {
    (void)state;
    static const struct {
        const char *pattern;
        unsigned flags;
        int context_free;
    } cases[] = {
        {"abc", 0, 1}, {"a|b\\w+", 0, 1}, {"\\bword\\b", 0, 1}, {"(?i)abc", 0, 1},
        {"(?<n>a)\\k<n>", 0, 1}, {"[$^]x", 0, 1}, {"\\$x", 0, 1}, {"(?#^)abc", 0, 1},
        {"\\Q^$\\E", 0, 1}, {"^", DF_LITERAL, 1}, {"a # ^ $\n b", DF_EXTENDED, 1},
        {"a*b+?", 0, 1}, {"(?:ab|cd)", 0, 1},
        {"^abc", 0, 0}, {"abc$", 0, 0}, {"\\Aabc", 0, 0}, {"abc\\z", 0, 0}, {"a\\Kb", 0, 0},
        {"\\Gx", 0, 0}, {"(?=a)", 0, 0}, {"(?!a)b", 0, 0}, {"(?<=a)b", 0, 0},
        {"(?<!a)b", 0, 0}, {"(?>a)", 0, 0}, {"a++", 0, 0}, {"a{2}+", 0, 0},
        {"(a)(?1)", 0, 0}, {"(*UCP)a", 0, 0}, {"a#^", 0, 0}, {"(a)(?(1)b)", 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (context_free(cases[i].pattern, cases[i].flags) != cases[i].context_free)
            fail_msg("/%s/ (flags %u): context-free %d, expected %d", cases[i].pattern,
                     cases[i].flags, !cases[i].context_free, cases[i].context_free);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_context_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
