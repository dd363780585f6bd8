/* Profiles: the knowledge compiled into the library, by name.  Only the
 * data lives here; the gazetteer, the tag rules and the Lua report read it. */
#include <string.h>

#include "index.h"

extern const unsigned char df_embedded_entities[];
extern const size_t df_embedded_entities_size;
extern const unsigned char df_embedded_tags[];
extern const size_t df_embedded_tags_size;
extern const unsigned char df_embedded_report[];
extern const size_t df_embedded_report_size;

static const char *const profile_names[] = {"drive"};

#define PROFILE_COUNT (sizeof profile_names / sizeof profile_names[0])

const char *df_profile_name(size_t i) {
    return i < PROFILE_COUNT ? profile_names[i] : NULL;
}

df_status df_profile_find(const char *name, df_profile *out, df_error *err) {
    if (name == NULL || out == NULL)
        return df_fail(err, DF_EARG, 0, 0, "NULL argument");
    if (strcmp(name, "drive") != 0)
        return DF_NOMATCH;
    /* The sizes are link-time constants, not constant expressions: the
     * profile is filled here rather than kept in a static table. */
    *out = (df_profile){
        .name = profile_names[0],
        .entities = (const char *)df_embedded_entities,
        .entities_len = df_embedded_entities_size,
        .tags = (const char *)df_embedded_tags,
        .tags_len = df_embedded_tags_size,
        .report = (const char *)df_embedded_report,
        .report_len = df_embedded_report_size,
    };
    return DF_OK;
}
