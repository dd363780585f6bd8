/* libFuzzer target: re:gsub of the Lua module (bindings/lua/match.c), in
 * particular its replacement string parser (add_s, add_capture, add_value).
 *
 * The target embeds Lua 5.4, compiles the module's C sources in, and opens
 * it with luaL_requiref; a fresh state per run, closed at the end, so leaks
 * are caught.  Input: a selector byte, the replacement, NUL, the subject.
 *   selector & 7     one of the fixed patterns below
 *   selector & 8     the "i" flag
 *   selector & 16    the replacement is a function returning the string
 *                    verbatim, instead of the string itself
 * re:gsub(subject, repl) and re:gsub(subject, repl, 2) run under lua_pcall.
 * The outcome must be exactly the one a model of lstrlib's rules computes
 * here from df_matcher_next: the same string and count, or a Lua error with
 * the expected message (bad '%' escape, bad capture index, invalid UTF-8 in
 * the subject).  The result is valid UTF-8 when subject and replacement
 * are, and the count is at most the number of matches re:gmatch yields. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"

#include "core.h"
#include "drivefacts.h"

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

/* "(.)" nested 40 deep: more groups than a MatchState holds locally. */
#define NESTED "((((((((((((((((((((((((((((((((((((((((.))))))))))))))))))))))))))))))))))))))))"

static const char *const patterns[8] = {
    "(\\w+)",
    "(a)|(b)",
    "x*",
    "(?<n>\\d+)",
    "",
    "(\xc3\xa9)(.)?",
    "(.)(.)(.)(.)(.)(.)(.)(.)(.)",
    NESTED,
};

typedef struct buffer {
    char *data;
    size_t len, cap;
} buffer;

static void append(buffer *b, const char *s, size_t n) {
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        assert(b->data != NULL);
    }
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

/* The replacement for one match, by lstrlib's rules; 0 and the message of
 * the first bad escape in *error when it has one. */
static int expand(buffer *out, const char *repl, size_t len, const char *src,
                  const size_t *ov, size_t ngroups, char *error, size_t error_size) {
    for (size_t i = 0; i < len; i++) {
        if (repl[i] != '%') {
            append(out, repl + i, 1);
            continue;
        }
        char d = i + 1 < len ? repl[++i] : '\0';
        size_t g;
        if (d == '%') {
            append(out, "%", 1);
            continue;
        } else if (d == '0') {
            g = 0;
        } else if (d >= '1' && d <= '9') {
            size_t l = (size_t)(d - '1');
            if (l < ngroups)
                g = l + 1;
            else if (l == 0)
                g = 0;
            else {
                snprintf(error, error_size, "invalid capture index %%%d in replacement string",
                         d - '0');
                return 0;
            }
        } else {
            snprintf(error, error_size, "invalid use of '%%' in replacement string");
            return 0;
        }
        if (ov[2 * g] != DF_UNSET)
            append(out, src + ov[2 * g], ov[2 * g + 1] - ov[2 * g]);
    }
    return 1;
}

/* What re:gsub(subject, repl, max) must give. */
typedef struct expected {
    int ok;              /* 0: a Lua error whose message holds `error` */
    int unknown;         /* the model hit a matcher limit: anything goes */
    buffer result;
    size_t count;
    char error[128];
} expected;

typedef struct input {
    const char *pattern;
    int caseless, function;
    const char *repl, *subject;
    size_t repl_len, subject_len;
    long matches;        /* all matches, from the model; -1: unknown */
    expected all, two;   /* gsub without n, and with n = 2 */
} input;

static void model(input *in, df_matcher *matcher, size_t ngroups, size_t max, expected *ex) {
    df_cursor cursor;
    const size_t *ov;
    df_error err;
    df_status status;
    size_t copied = 0, n = 0;
    ex->ok = 1;
    df_cursor_init(&cursor, 0);
    while (n < max &&
           (status = df_matcher_next(matcher, in->subject, in->subject_len, &cursor, &ov, &err)) ==
               DF_OK) {
        append(&ex->result, in->subject + copied, ov[0] - copied);
        n++;
        if (in->function)
            append(&ex->result, in->repl, in->repl_len);
        else if (!expand(&ex->result, in->repl, in->repl_len, in->subject, ov, ngroups,
                         ex->error, sizeof ex->error)) {
            ex->ok = 0;
            return;
        }
        copied = ov[1];
    }
    if (n < max && status != DF_NOMATCH) {
        ex->unknown = 1;
        return;
    }
    append(&ex->result, in->subject + copied, in->subject_len - copied);
    ex->count = n;
}

/* All matches in the subject; -1 when the matcher fails (a limit). */
static long count_matches(const input *in, df_matcher *matcher) {
    df_cursor cursor;
    const size_t *ov;
    df_error err;
    df_status status;
    long n = 0;
    df_cursor_init(&cursor, 0);
    while ((status = df_matcher_next(matcher, in->subject, in->subject_len, &cursor, &ov, &err)) ==
           DF_OK)
        n++;
    return status == DF_NOMATCH ? n : -1;
}

static int return_upvalue(lua_State *L) {
    lua_pushvalue(L, lua_upvalueindex(1));
    return 1;
}

/* re:gsub(subject, repl [, 2]) under lua_pcall, checked against `ex`. */
static void check_gsub(lua_State *L, int re, const input *in, int with_max, const expected *ex) {
    int top = lua_gettop(L);
    lua_getfield(L, re, "gsub");
    lua_pushvalue(L, re);
    lua_pushlstring(L, in->subject, in->subject_len);
    lua_pushlstring(L, in->repl, in->repl_len);
    if (in->function)
        lua_pushcclosure(L, return_upvalue, 1);
    if (with_max)
        lua_pushinteger(L, 2);
    int status = lua_pcall(L, 3 + with_max, 2, 0);
    df_error err;
    if (df_utf8_check(in->subject, in->subject_len, &err) != DF_OK) {
        char message[128];
        assert(status == LUA_ERRRUN && lua_type(L, -1) == LUA_TSTRING);
        snprintf(message, sizeof message, "invalid UTF-8 at position %zu", err.offset + 1);
        assert(strstr(lua_tostring(L, -1), message) != NULL);
    } else if (ex->unknown) {
        assert(status == LUA_OK || (status == LUA_ERRRUN && lua_type(L, -1) == LUA_TSTRING));
    } else if (!ex->ok) {
        assert(status == LUA_ERRRUN && lua_type(L, -1) == LUA_TSTRING);
        if (strstr(lua_tostring(L, -1), ex->error) == NULL) {
            fprintf(stderr, "expected error \"%s\", got \"%s\"\n", ex->error, lua_tostring(L, -1));
            abort();
        }
    } else {
        if (status != LUA_OK) {
            fprintf(stderr, "unexpected error: %s\n", lua_tostring(L, -1));
            abort();
        }
        size_t len;
        int isnum;
        assert(lua_type(L, -2) == LUA_TSTRING);
        const char *result = lua_tolstring(L, -2, &len);
        lua_Integer count = lua_tointegerx(L, -1, &isnum);
        assert(isnum && count >= 0 && (size_t)count == ex->count);
        assert(count <= in->matches && (!with_max || count <= 2));
        if (len != ex->result.len || memcmp(result, ex->result.data, len) != 0) {
            fprintf(stderr, "gsub result differs from the model (%zu vs %zu bytes)\n", len,
                    ex->result.len);
            abort();
        }
        if (count == 0)  /* nothing matched: the subject itself */
            assert(len == in->subject_len && memcmp(result, in->subject, len) == 0);
        if (df_utf8_check(in->repl, in->repl_len, NULL) == DF_OK)
            assert(df_utf8_check(result, len, NULL) == DF_OK);
    }
    lua_settop(L, top);
}

/* Matches re:gmatch(subject) yields, or -1 when it raises. */
static long gmatch_count(lua_State *L, int re, const input *in) {
    int top = lua_gettop(L);
    long count = 0;
    lua_getfield(L, re, "gmatch");
    lua_pushvalue(L, re);
    lua_pushlstring(L, in->subject, in->subject_len);
    if (lua_pcall(L, 2, 1, 0) != LUA_OK) {
        lua_settop(L, top);
        return -1;
    }
    int iterator = lua_gettop(L);
    for (;;) {
        lua_pushvalue(L, iterator);
        if (lua_pcall(L, 0, LUA_MULTRET, 0) != LUA_OK) {
            lua_settop(L, top);
            return -1;
        }
        int results = lua_gettop(L) - iterator;
        lua_settop(L, iterator);
        if (results == 0)
            break;
        count++;
        assert((size_t)count <= in->subject_len + 1);
    }
    lua_settop(L, top);
    return count;
}

static int body(lua_State *L) {
    const input *in = (const input *)lua_touserdata(L, 1);
    luaL_requiref(L, "drivefacts.core", luaopen_drivefacts_core, 0);
    lua_getfield(L, -1, "regex");
    lua_pushstring(L, in->pattern);
    lua_pushstring(L, in->caseless ? "i" : "");
    lua_call(L, 2, 1);
    int re = lua_gettop(L);

    long matches = gmatch_count(L, re, in);
    if (df_utf8_check(in->subject, in->subject_len, NULL) == DF_OK) {
        if (in->matches >= 0)
            assert(matches == in->matches);
    } else {
        assert(matches == -1);
    }
    check_gsub(L, re, in, 0, &in->all);
    check_gsub(L, re, in, 1, &in->two);
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size) {
    if (size < 1 || size > 4096)
        return 0;
    input in;
    memset(&in, 0, sizeof in);
    unsigned selector = data[0];
    in.pattern = patterns[selector & 7];
    in.caseless = (selector & 8) != 0;
    in.function = (selector & 16) != 0;
    in.repl = (const char *)data + 1;
    const char *nul = memchr(in.repl, '\0', size - 1);
    in.repl_len = nul != NULL ? (size_t)(nul - in.repl) : size - 1;
    in.subject = nul != NULL ? nul + 1 : "";
    in.subject_len = nul != NULL ? size - 2 - in.repl_len : 0;

    /* The model: the same pattern through the C API, default limits. */
    df_regex *regex;
    df_matcher *matcher;
    df_error err;
    assert(df_regex_compile(in.pattern, strlen(in.pattern), in.caseless ? DF_CASELESS : 0, &regex,
                            &err) == DF_OK);
    assert(df_matcher_new(regex, NULL, &matcher, &err) == DF_OK);
    size_t ngroups = df_regex_group_count(regex);
    if (df_utf8_check(in.subject, in.subject_len, NULL) == DF_OK) {
        in.matches = count_matches(&in, matcher);
        model(&in, matcher, ngroups, (size_t)-1, &in.all);
        model(&in, matcher, ngroups, 2, &in.two);
    }
    df_matcher_free(matcher);
    df_regex_free(regex);

    lua_State *L = luaL_newstate();
    assert(L != NULL);
    lua_pushcfunction(L, body);
    lua_pushlightuserdata(L, &in);
    if (lua_pcall(L, 1, 0, 0) != LUA_OK) {
        fprintf(stderr, "unexpected Lua error: %s\n", lua_tostring(L, -1));
        abort();
    }
    lua_close(L);
    free(in.all.result.data);
    free(in.two.result.data);
    return 0;
}
