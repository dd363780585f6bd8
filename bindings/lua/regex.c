/*
** Regex userdata: core.regex compiles a pattern into a df_regex and gives
** it one df_matcher, the scratch space every match on it runs in; and the
** match state through which find, gsub, search and the rest read matches.
*/

#include <string.h>

#include "core.h"


/* the pattern source, kept as the userdata's user value */
#define PATTERN_UV 1


dfl_Regex *dfl_checkregex (lua_State *L, int arg) {
  dfl_Regex *re = (dfl_Regex *)luaL_checkudata(L, arg, DFL_REGEX);
  if (re->regex == NULL)  /* only after an explicit __gc call */
    dfl_error(L, "attempt to use a finalized regex");
  return re;
}


/*
** {======================================================
** MATCH STATE
** =======================================================
*/

void dfl_prepstate (lua_State *L, dfl_MatchState *ms, dfl_Regex *re,
                    const char *src, size_t len) {
  ms->L = L;
  ms->re = re;
  ms->src = src;
  ms->len = len;
  ms->ngroups = df_regex_group_count(re->regex);
  if (ms->ngroups <= DFL_MAXLOCALGROUPS) {
    ms->ov = ms->local;
    lua_pushnil(L);
  }
  else  /* PCRE2 allows 65535 groups: too many for the C stack */
    ms->ov = (size_t *)lua_newuserdatauv(L,
                 2 * (ms->ngroups + 1) * sizeof(size_t), 0);
}


void dfl_setmatch (dfl_MatchState *ms, const size_t *ovector) {
  memcpy(ms->ov, ovector, 2 * (ms->ngroups + 1) * sizeof(size_t));
}


df_status dfl_trynext (dfl_MatchState *ms, df_cursor *cursor, df_error *err) {
  const size_t *ovector;
  df_status status;
  if (ms->re->matcher == NULL)
    dfl_error(ms->L, "attempt to use a finalized regex");
  status = df_matcher_next(ms->re->matcher, ms->src, ms->len, cursor,
                           &ovector, err);
  if (status == DF_OK)
    dfl_setmatch(ms, ovector);
  return status;
}


int dfl_nextmatch (dfl_MatchState *ms, df_cursor *cursor) {
  df_error err;
  switch (dfl_trynext(ms, cursor, &err)) {
    case DF_OK: return 1;
    case DF_NOMATCH: return 0;
    default:  /* match or depth limit, or PCRE2's own trouble */
      return luaL_error(ms->L, "%s", err.message);
  }
}


void dfl_pushgroup (dfl_MatchState *ms, size_t g) {
  size_t start = ms->ov[2 * g], end = ms->ov[2 * g + 1];
  if (start == DF_UNSET)
    lua_pushboolean(ms->L, 0);
  else
    lua_pushlstring(ms->L, ms->src + start, end - start);
}


void dfl_setnames (dfl_MatchState *ms) {
  lua_State *L = ms->L;
  size_t i, nnames = df_regex_name_count(ms->re->regex);
  int runset = 0;  /* some group of the current run of one name is set */
  for (i = 0; i < nnames; i++) {
    size_t g, prevg;
    const char *name;
    int set, same;
    /* pushing allocates, and a finalizer that runs then may free the
       regex and its name table: look the name up afresh each time */
    if (ms->re->regex == NULL)
      dfl_error(L, "attempt to use a finalized regex");
    name = df_regex_name(ms->re->regex, i, &g);
    set = (ms->ov[2 * g] != DF_UNSET);
    /* (?J) names come in runs of one name: the first set group wins */
    same = (i > 0 &&
            strcmp(name, df_regex_name(ms->re->regex, i - 1, &prevg)) == 0);
    if (!same)
      runset = 0;
    if (!same || (set && !runset)) {
      lua_pushstring(L, name);
      dfl_pushgroup(ms, g);
      lua_rawset(L, -3);
    }
    runset |= set;
  }
}


void dfl_pushgroups (dfl_MatchState *ms, int wholeifnone) {
  size_t i, n = (ms->ngroups == 0 && wholeifnone) ? 1 : ms->ngroups;
  lua_createtable(ms->L, (int)n, (int)df_regex_name_count(ms->re->regex));
  for (i = 0; i < n; i++) {
    dfl_pushgroup(ms, ms->ngroups == 0 ? 0 : i + 1);
    lua_rawseti(ms->L, -2, (lua_Integer)i + 1);
  }
  dfl_setnames(ms);
}


void dfl_pushmatch (dfl_MatchState *ms) {
  lua_State *L = ms->L;
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)ms->ov[0] + 1);
  lua_setfield(L, -2, "s");
  lua_pushinteger(L, (lua_Integer)ms->ov[1]);
  lua_setfield(L, -2, "e");
  dfl_pushgroup(ms, 0);
  lua_setfield(L, -2, "text");
  dfl_pushgroups(ms, 0);
  lua_setfield(L, -2, "groups");
}

void dfl_pushspan (lua_State *L, const df_fact *fact, size_t start,
                   size_t end) {
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)start + 1);
  lua_setfield(L, -2, "s");
  lua_pushinteger(L, (lua_Integer)end);
  lua_setfield(L, -2, "e");
  lua_pushlstring(L, fact->text + start, end - start);
  lua_setfield(L, -2, "text");
  lua_newtable(L);
  lua_setfield(L, -2, "groups");
}

/* }====================================================== */


/*
** {======================================================
** REGEX OBJECTS
** =======================================================
*/

const char *dfl_flagproblem (lua_State *L, int arg, unsigned *flags) {
  size_t l;
  const char *letters = luaL_optlstring(L, arg, "", &l);
  df_error err;
  if (df_regex_parse_flags(letters, flags, &err) != DF_OK) {
    lua_pushstring(L, err.message);
    return lua_tostring(L, -1);
  }
  if (strlen(letters) != l)
    return "flags contain a zero byte";
  return NULL;
}


unsigned dfl_checkflags (lua_State *L, int arg) {
  unsigned flags;
  const char *problem = dfl_flagproblem(L, arg, &flags);
  if (problem != NULL)
    luaL_argerror(L, arg, problem);
  return flags;
}


/* One field of the limits table: absent means the core's default (0). */
static uint32_t checklimit (lua_State *L, int arg, const char *field) {
  lua_Integer n;
  int isnum;
  lua_getfield(L, arg, field);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    return 0;
  }
  n = lua_tointegerx(L, -1, &isnum);
  if (!isnum || n < 1 || n > (lua_Integer)UINT32_MAX)
    luaL_argerror(L, arg, lua_pushfstring(L,
        "%s must be an integer from 1 to %I", field, (lua_Integer)UINT32_MAX));
  lua_pop(L, 1);
  return (uint32_t)n;
}


/* core.regex(pattern [, flags [, limits]]) --> regex, or fail, PCRE2's
** reason ("... at offset N") and N for a bad pattern */
static int regex_new (lua_State *L) {
  size_t lp;
  const char *p = luaL_checklstring(L, 1, &lp);
  unsigned flags = dfl_checkflags(L, 2);
  df_limits limits = {0, 0};
  df_error err;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    limits.match_limit = checklimit(L, 3, "match_limit");
    limits.depth_limit = checklimit(L, 3, "depth_limit");
  }
  /* the userdata comes first, so that __gc frees whatever is made next */
  dfl_Regex *re = (dfl_Regex *)lua_newuserdatauv(L, sizeof(dfl_Regex), 1);
  re->regex = NULL;
  re->matcher = NULL;
  luaL_setmetatable(L, DFL_REGEX);
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, -2, PATTERN_UV);
  switch (df_regex_compile(p, lp, flags, &re->regex, &err)) {
    case DF_OK: break;
    case DF_EPATTERN: case DF_EUTF8:
      dfl_fail(L, err.message);
      lua_pushinteger(L, (lua_Integer)err.offset);
      return 3;
    default:
      return luaL_error(L, "%s", err.message);
  }
  if (df_matcher_new(re->regex, &limits, &re->matcher, &err) != DF_OK)
    return luaL_error(L, "%s", err.message);
  return 1;
}


/* core.is_regex(v) */
static int is_regex (lua_State *L) {
  lua_pushboolean(L, luaL_testudata(L, 1, DFL_REGEX) != NULL);
  return 1;
}


static int re_pattern (lua_State *L) {
  dfl_checkregex(L, 1);
  lua_getiuservalue(L, 1, PATTERN_UV);
  return 1;
}


static void pushflags (lua_State *L, unsigned flags) {
  char letters[8 * sizeof(unsigned) + 1];  /* a letter a bit at most */
  lua_pushlstring(L, letters, df_regex_format_flags(flags, letters, sizeof letters));
}


static int re_flags (lua_State *L) {
  pushflags(L, df_regex_flags(dfl_checkregex(L, 1)->regex));
  return 1;
}


static int re_group_count (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  lua_pushinteger(L, (lua_Integer)df_regex_group_count(re->regex));
  return 1;
}


/* {name = group number} */
static int re_names (lua_State *L) {
  const df_regex *regex = dfl_checkregex(L, 1)->regex;
  size_t i, n = df_regex_name_count(regex);
  lua_createtable(L, 0, (int)n);
  for (i = 0; i < n; i++) {
    size_t group;
    const char *name = df_regex_name(regex, i, &group);
    lua_pushinteger(L, (lua_Integer)group);
    lua_setfield(L, -2, name);
  }
  return 1;
}


/* drivefacts.regex: /pattern/flags */
static int re_tostring (lua_State *L) {
  dfl_Regex *re = (dfl_Regex *)luaL_checkudata(L, 1, DFL_REGEX);
  if (re->regex == NULL)
    lua_pushliteral(L, "drivefacts.regex (finalized)");
  else {
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "drivefacts.regex: /");
    lua_getiuservalue(L, 1, PATTERN_UV);
    luaL_addvalue(&b);
    luaL_addchar(&b, '/');
    pushflags(L, df_regex_flags(re->regex));
    luaL_addvalue(&b);
    luaL_pushresult(&b);
  }
  return 1;
}


static int re_gc (lua_State *L) {
  dfl_Regex *re = (dfl_Regex *)luaL_checkudata(L, 1, DFL_REGEX);
  df_matcher_free(re->matcher);  /* the matcher borrows the regex */
  df_regex_free(re->regex);
  re->matcher = NULL;
  re->regex = NULL;
  return 0;
}


static const luaL_Reg re_methods[] = {
  {"pattern", re_pattern},
  {"flags", re_flags},
  {"group_count", re_group_count},
  {"names", re_names},
  /* find match gmatch gsub test exec tfind split count dfa_exec: match.c */
  {NULL, NULL}
};


static const luaL_Reg re_metamethods[] = {
  {"__index", NULL},  /* place holder */
  {"__tostring", re_tostring},
  {"__gc", re_gc},
  {NULL, NULL}
};


static const luaL_Reg funcs[] = {
  {"regex", regex_new},
  {"is_regex", is_regex},
  {NULL, NULL}
};


void dfl_open_regex (lua_State *L) {
  luaL_newmetatable(L, DFL_REGEX);
  luaL_setfuncs(L, re_metamethods, 0);
  lua_createtable(L, 0, 14);  /* method table */
  luaL_setfuncs(L, re_methods, 0);
  dfl_open_match(L);
  lua_setfield(L, -2, "__index");  /* metatable.__index = method table */
  lua_pop(L, 1);  /* pop metatable */
  luaL_setfuncs(L, funcs, 0);
  pushflags(L, ~0u);  /* every letter the core knows */
  lua_setfield(L, -2, "flag_letters");
}

/* }====================================================== */
