/* The matcher's compile half: a pattern and flags become an immutable
 * pcre2_code, JIT-compiled where the platform allows. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "pattern.h"

/* The flags: their letters (the Lua API's and the CLI's) and the PCRE2
 * option each sets (0: none; DF_LITERAL and DF_WORD work otherwise). */
static const struct {
    char letter;
    unsigned flag;
    uint32_t option;
} flag_table[] = {
    {'i', DF_CASELESS, PCRE2_CASELESS}, {'m', DF_MULTILINE, PCRE2_MULTILINE},
    {'s', DF_DOTALL, PCRE2_DOTALL},     {'x', DF_EXTENDED, PCRE2_EXTENDED},
    {'F', DF_LITERAL, 0},               {'w', DF_WORD, 0},
};

#define FLAG_COUNT (sizeof flag_table / sizeof flag_table[0])

static unsigned all_flags(void) {
    unsigned all = 0;
    for (size_t k = 0; k < FLAG_COUNT; k++)
        all |= flag_table[k].flag;
    return all;
}

df_status df_regex_parse_flags(const char *letters, unsigned *flags, df_error *err) {
    if (letters == NULL || flags == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    unsigned parsed = 0;
    for (size_t i = 0; letters[i] != '\0'; i++) {
        size_t k = 0;
        while (k < FLAG_COUNT && flag_table[k].letter != letters[i])
            k++;
        if (k == FLAG_COUNT) {
            char known[2 * FLAG_COUNT];
            for (size_t j = 0; j < FLAG_COUNT; j++) {
                known[2 * j] = flag_table[j].letter;
                known[2 * j + 1] = j + 1 < FLAG_COUNT ? ' ' : '\0';
            }
            return df_fail(err, DF_EARG, i, 0,
                           "unknown flag '%c' at offset %zu (expected one of %s)", letters[i],
                           i, known);
        }
        parsed |= flag_table[k].flag;
    }
    *flags = parsed;
    return DF_OK;
}

size_t df_regex_format_flags(unsigned flags, char *buf, size_t size) {
    size_t n = 0;
    for (size_t k = 0; k < FLAG_COUNT; k++) {
        if (!(flags & flag_table[k].flag))
            continue;
        if (n + 1 < size)
            buf[n] = flag_table[k].letter;
        n++;
    }
    if (size > 0)
        buf[n < size ? n : size - 1] = '\0';
    return n;
}

static uint32_t compile_options(unsigned flags) {
    /* \C matches one byte and would split a UTF-8 character.  Subjects are
     * valid UTF-8 (checked at load), but a mapped file can change under
     * df_count_file after its check: PCRE2_MATCH_INVALID_UTF makes matching
     * such bytes safe (they never match), at no cost we could measure. */
    uint32_t options = PCRE2_UTF | PCRE2_UCP | PCRE2_NO_UTF_CHECK | PCRE2_NEVER_BACKSLASH_C |
                       PCRE2_MATCH_INVALID_UTF;
    for (size_t k = 0; k < FLAG_COUNT; k++)
        if (flags & flag_table[k].flag)
            options |= flag_table[k].option;
    if (flags & DF_LITERAL)  /* the escaped string has no white space to ignore */
        options &= ~(uint32_t)PCRE2_EXTENDED;
    return options;
}

/* A fixed string becomes a pattern by escaping every ASCII punctuation byte
 * (a backslash before a non-alphanumeric is always literal in PCRE2).  Not
 * PCRE2_LITERAL: it refuses UCP, and -w would then see only ASCII letters. */
static char *escape_literal(const char *text, size_t len, size_t *escaped_len) {
    if (len > (SIZE_MAX - 1) / 2)
        return NULL;
    char *out = malloc(2 * len + 1);
    if (out == NULL)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x80 && !isalnum(c) && c != '_' && c != '\0')
            out[n++] = '\\';
        out[n++] = (char)c;
    }
    *escaped_len = n;
    return out;
}

/* Whether a span's matching can depend on text outside it.  Anchors,
 * lookarounds, verbs and recursion look outside; atomic groups and
 * possessive quantifiers refuse to give back what they ate beyond a fact's
 * end.  \b looks outside too, but a fact's edges are white space or a
 * NUL, no word character either way.  What the reader does not know counts
 * as context. */
static int is_context_free(const char *pattern, size_t len, unsigned flags) {
    if (flags & DF_LITERAL)
        return 1;
    df_syntax reader;
    df_token t;
    df_syntax_init(&reader, pattern, len, flags);
    while (df_syntax_next(&reader, &t) != DF_TOK_END) {
        switch (t.kind) {
        case DF_TOK_ANCHOR: case DF_TOK_RESET: case DF_TOK_CALL: case DF_TOK_VERB:
        case DF_TOK_UNKNOWN:
            return 0;
        case DF_TOK_OPEN:
            if (t.group != DF_GROUP_CAPTURE && t.group != DF_GROUP_PLAIN)
                return 0;
            break;
        case DF_TOK_QUANT:
            if (t.possessive)
                return 0;
            break;
        default:
            break;
        }
    }
    return 1;
}

static df_status describe_pattern(df_regex *re) {
    uint32_t captures, names, entry_size;
    PCRE2_SPTR table;
    if (pcre2_pattern_info(re->code, PCRE2_INFO_CAPTURECOUNT, &captures) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_NAMECOUNT, &names) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_NAMEENTRYSIZE, &entry_size) != 0 ||
        pcre2_pattern_info(re->code, PCRE2_INFO_NAMETABLE, &table) != 0)
        return DF_EPATTERN;
    re->group_count = captures;
    re->name_count = names;
    re->name_entry_size = entry_size;
    re->name_table = table;
    return DF_OK;
}

/* PCRE2's compiled code for pattern[0..len) under `flags` (a fixed string
 * escaped first) with compile `options`, or the compile error. */
static df_status compile_code(const char *pattern, size_t len, unsigned flags, uint32_t options,
                              pcre2_code **out, df_error *err) {
    pcre2_compile_context *cctx = pcre2_compile_context_create(NULL);
    char *escaped = NULL;
    size_t source_len = len;
    /* PCRE2 reads no byte of a zero-length pattern; "" keeps it non-NULL. */
    const char *source = pattern != NULL ? pattern : "";
    if (cctx != NULL && (flags & DF_LITERAL) &&
        (source = escaped = escape_literal(source, len, &source_len)) == NULL) {
        pcre2_compile_context_free(cctx);
        cctx = NULL;
    }
    if (cctx == NULL)
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling pattern");
    if (flags & DF_WORD)
        pcre2_set_compile_extra_options(cctx, PCRE2_EXTRA_MATCH_WORD);
    int code;
    PCRE2_SIZE offset;
    *out = pcre2_compile((PCRE2_SPTR)source, source_len, options, &code, &offset, cctx);
    free(escaped);
    pcre2_compile_context_free(cctx);
    return *out != NULL ? DF_OK : df_pcre2_compile_fail(err, code, offset, NULL);
}

df_status df_regex_compile_dfa(const df_regex *regex, pcre2_code **out, df_error *err) {
    /* PCRE2's DFA matcher refuses PCRE2_MATCH_INVALID_UTF; its subjects are
     * checked, as df_matcher_dfa requires. */
    return compile_code(regex->pattern, regex->pattern_len, regex->flags,
                        compile_options(regex->flags) & ~(uint32_t)PCRE2_MATCH_INVALID_UTF,
                        out, err);
}

df_status df_regex_compile(const char *pattern, size_t len, unsigned flags, df_regex **out,
                           df_error *err) {
    if (out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL out");
    *out = NULL;
    if (pattern == NULL && len > 0)
        return df_fail(err, DF_EARG, 0, 0, "NULL pattern");
    if (flags & ~all_flags())
        return df_fail(err, DF_EARG, 0, 0, "unknown flag bits 0x%x", flags & ~all_flags());
    const char *reason;
    size_t bad = df_utf8_find_invalid(pattern, len, &reason);
    if (bad != len)
        return df_fail(err, DF_EUTF8, bad, 0, "invalid UTF-8 in pattern at offset %zu: %s",
                       bad, reason);
    pcre2_code *compiled;
    df_status status = compile_code(pattern, len, flags, compile_options(flags), &compiled, err);
    if (status != DF_OK)
        return status;
    df_regex *re = calloc(1, sizeof *re);
    if (re == NULL) {
        pcre2_code_free(compiled);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling pattern");
    }
    re->code = compiled;
    re->flags = flags;
    re->context_free = is_context_free(pattern, len, flags);
    /* Kept for the stages that read it again: the literal query of the
     * prefilter and of the matcher's candidate scan. */
    if ((re->pattern = malloc(len + 1)) == NULL) {
        df_regex_free(re);
        return df_fail(err, DF_ENOMEM, 0, 0, "out of memory compiling pattern");
    }
    if (len > 0)
        memcpy(re->pattern, pattern, len);
    re->pattern[len] = '\0';
    re->pattern_len = len;
    if (describe_pattern(re) != DF_OK) {
        df_regex_free(re);
        return df_fail(err, DF_EPATTERN, 0, 0, "cannot inspect compiled pattern");
    }
    /* Any JIT failure (unsupported CPU, no executable memory) leaves the
     * interpreter, which gives the same answers more slowly.  So does
     * (*NO_JIT) at the start of the pattern: pcre2_jit_compile succeeds
     * but makes no code, and pcre2_jit_match would fail every match. */
    size_t jit_size = 0;
    re->jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0 &&
              pcre2_pattern_info(compiled, PCRE2_INFO_JITSIZE, &jit_size) == 0 &&
              jit_size > 0;
    *out = re;
    return DF_OK;
}

void df_regex_free(df_regex *regex) {
    if (regex == NULL)
        return;
    pcre2_code_free(regex->code);
    free(regex->pattern);
    free(regex);
}

unsigned df_regex_flags(const df_regex *regex) {
    return regex != NULL ? regex->flags : 0;
}

size_t df_regex_group_count(const df_regex *regex) {
    return regex != NULL ? regex->group_count : 0;
}

size_t df_regex_name_count(const df_regex *regex) {
    return regex != NULL ? regex->name_count : 0;
}

const char *df_regex_name(const df_regex *regex, size_t i, size_t *group) {
    if (regex == NULL || i >= regex->name_count)
        return NULL;
    /* Each entry: the group number, big-endian in two bytes, then the name. */
    const unsigned char *entry = regex->name_table + i * regex->name_entry_size;
    if (group != NULL)
        *group = (size_t)entry[0] << 8 | entry[1];
    return (const char *)entry + 2;
}

int df_regex_is_jit(const df_regex *regex) {
    return regex != NULL && regex->jit;
}
