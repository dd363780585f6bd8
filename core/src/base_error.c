#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

const char *df_version(void) {
    return DF_VERSION_STRING;
}

const char *df_status_name(df_status status) {
    switch (status) {
    case DF_OK:          return "DF_OK";
    case DF_NOMATCH:     return "DF_NOMATCH";
    case DF_ENOMEM:      return "DF_ENOMEM";
    case DF_EARG:        return "DF_EARG";
    case DF_EIO:         return "DF_EIO";
    case DF_ETOOBIG:     return "DF_ETOOBIG";
    case DF_EUTF8:       return "DF_EUTF8";
    case DF_EPATTERN:    return "DF_EPATTERN";
    case DF_EMATCHLIMIT: return "DF_EMATCHLIMIT";
    case DF_EDEPTHLIMIT: return "DF_EDEPTHLIMIT";
    case DF_ERANGE:      return "DF_ERANGE";
    case DF_EMATCH:      return "DF_EMATCH";
    case DF_ERECORD:     return "DF_ERECORD";
    }
    return "DF_UNKNOWN";
}

df_status df_fail(df_error *err, df_status code, size_t offset, size_t line,
                  const char *fmt, ...) {
    if (err != NULL) {
        va_list ap;
        err->code = code;
        err->offset = offset;
        err->line = line;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
    }
    return code;
}

size_t df_line_of(const char *s, size_t offset) {
    return 1 + df_count_newlines(s, offset);
}

df_status df_fail_in_fact(df_error *err, df_status status, const char *source, size_t line,
                          size_t id) {
    if (err != NULL) {
        df_error inner = *err;
        df_fail(err, status, inner.offset, line, "%s:%zu: fact %zu: %s", source, line, id,
                inner.message);
    }
    return status;
}

/* PCRE2's own text for error rc. */
static void pcre2_text(int rc, char *text, size_t size) {
    if (pcre2_get_error_message(rc, (PCRE2_UCHAR *)text, size) < 0)
        snprintf(text, size, "error %d", rc);
}

/* err's message is "doing: what", or "what" alone when doing is NULL. */
static df_status fail_doing(df_error *err, df_status code, size_t offset, const char *doing,
                            const char *what) {
    if (doing != NULL)
        return df_fail(err, code, offset, 0, "%s: %s", doing, what);
    return df_fail(err, code, offset, 0, "%s", what);
}

df_status df_pcre2_compile_fail(df_error *err, int rc, size_t offset, const char *doing) {
    char text[256], what[DF_ERROR_MESSAGE_SIZE];
    pcre2_text(rc, text, sizeof text);
    snprintf(what, sizeof what, "%s at offset %zu", text, offset);
    return fail_doing(err, rc == PCRE2_ERROR_NOMEMORY ? DF_ENOMEM : DF_EPATTERN, offset, doing,
                      what);
}

df_status df_pcre2_match_fail(df_error *err, int rc, size_t offset, const df_limits *limits,
                              const char *doing) {
    char text[256], what[DF_ERROR_MESSAGE_SIZE];
    df_status code = DF_EDEPTHLIMIT;
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT:
        code = DF_EMATCHLIMIT;
        snprintf(what, sizeof what, "match limit exceeded (%u)",
                 limits != NULL ? (unsigned)limits->match_limit : DF_DEFAULT_MATCH_LIMIT);
        break;
    case PCRE2_ERROR_DEPTHLIMIT:
        snprintf(what, sizeof what, "depth limit exceeded (%u)",
                 limits != NULL ? (unsigned)limits->depth_limit : DF_DEFAULT_DEPTH_LIMIT);
        break;
    case PCRE2_ERROR_HEAPLIMIT:
        snprintf(what, sizeof what, "depth limit exceeded (backtracking heap of %u bytes)",
                 DF_JIT_STACK_MAX);
        break;
    case PCRE2_ERROR_JIT_STACKLIMIT:
        snprintf(what, sizeof what, "depth limit exceeded (JIT stack of %u bytes)",
                 DF_JIT_STACK_MAX);
        break;
    case PCRE2_ERROR_NOMEMORY:
        code = DF_ENOMEM;
        snprintf(what, sizeof what, "out of memory while matching");
        break;
    default:
        code = DF_EMATCH;
        pcre2_text(rc, text, sizeof text);
        snprintf(what, sizeof what, "match error: %s", text);
    }
    return fail_doing(err, code, offset, doing, what);
}
