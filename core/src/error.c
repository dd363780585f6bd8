#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

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
    size_t line = 1;
    const char *end = s + offset;
    for (const char *p = s; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        line++;
    return line;
}
