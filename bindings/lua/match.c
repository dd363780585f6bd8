/*
** re:find, re:match, re:gmatch, re:gsub and re:test: Lua 5.4's string
** library (lstrlib.c) with a PCRE2 regex in place of a Lua pattern.
**
** Arguments sit where the string library has them, the regex taking the
** pattern's place: (re, s [, init]) and (re, s, repl [, n]).  Positions are
** 1-based and inclusive.  Every iteration goes through df_matcher_next,
** which applies gmatch's rule for empty matches (none right after the
** previous match) and steps over whole UTF-8 characters.
*/

#include <ctype.h>
#include <string.h>

#include "core.h"


#define L_ESC '%'

#define iscont(c) (((c) & 0xC0) == 0x80)


/*
** The subject at 'arg', checked once as UTF-8: the matcher trusts it.
** The position in the message is 1-based, as every position Lua shows.
*/
static const char *checksubject (lua_State *L, int arg, size_t *len) {
  const char *s = luaL_checklstring(L, arg, len);
  df_error err;
  if (df_utf8_check(s, *len, &err) != DF_OK)
    luaL_argerror(L, arg, lua_pushfstring(L, "invalid UTF-8 at position %I",
                                          (LUA_INTEGER)(err.offset + 1)));
  return s;
}


/* translate a relative initial string position (as in lstrlib.c) */
static size_t posrelatI (lua_Integer pos, size_t len) {
  if (pos > 0)
    return (size_t)pos;
  else if (pos == 0)
    return 1;
  else if (pos < -(lua_Integer)len)  /* inverted comparison */
    return 1;  /* clip to 1 */
  else return len + (size_t)pos + 1;
}


/*
** The 0-based offset where matching starts: past the end (> len) when
** nothing can match.  PCRE2 must not start inside a character.
*/
static size_t checkinit (lua_State *L, int arg, const char *s, size_t len) {
  size_t init = posrelatI(luaL_optinteger(L, arg, 1), len) - 1;
  luaL_argcheck(L, init >= len || !iscont((unsigned char)s[init]), arg,
                "initial position is a continuation byte");
  return init;
}


/*
** Push the groups of the latest match; with no groups and 'wholeifnone',
** the whole match.  Named groups are pushed by number like any other.
*/
static int push_captures (dfl_MatchState *ms, int wholeifnone) {
  size_t i, n = (ms->ngroups == 0 && wholeifnone) ? 1 : ms->ngroups;
  luaL_checkstack(ms->L, (int)n, "too many captures");
  for (i = 0; i < n; i++)
    dfl_pushgroup(ms, ms->ngroups == 0 ? 0 : i + 1);
  return (int)n;
}


static int find_aux (lua_State *L, int find) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  size_t init = checkinit(L, 3, s, ls);
  dfl_MatchState ms;
  df_cursor cursor;
  if (init > ls) {  /* start after string's end? */
    luaL_pushfail(L);  /* cannot find anything */
    return 1;
  }
  dfl_prepstate(L, &ms, re, s, ls);
  df_cursor_init(&cursor, init);
  if (dfl_nextmatch(&ms, &cursor)) {
    if (find) {
      lua_pushinteger(L, (lua_Integer)ms.ov[0] + 1);  /* start */
      lua_pushinteger(L, (lua_Integer)ms.ov[1]);  /* end */
      return push_captures(&ms, 0) + 2;
    }
    else
      return push_captures(&ms, 1);
  }
  luaL_pushfail(L);  /* not found */
  return 1;
}


/* re:find(s [, init]) --> start, end, captures... */
static int re_find (lua_State *L) {
  return find_aux(L, 1);
}


/* re:match(s [, init]) --> captures, or the whole match */
static int re_match (lua_State *L) {
  return find_aux(L, 0);
}


/* re:test(s [, init]) --> boolean */
static int re_test (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  size_t init = checkinit(L, 3, s, ls);
  dfl_MatchState ms;
  df_cursor cursor;
  dfl_prepstate(L, &ms, re, s, ls);
  df_cursor_init(&cursor, init);  /* past the end: no match */
  lua_pushboolean(L, dfl_nextmatch(&ms, &cursor));
  return 1;
}


/* state for 'gmatch' */
typedef struct GMatchState {
  df_cursor cursor;  /* where the next match starts; end of the last one */
  dfl_MatchState ms;
} GMatchState;


static int gmatch_aux (lua_State *L) {
  GMatchState *gm = (GMatchState *)lua_touserdata(L, lua_upvalueindex(3));
  gm->ms.L = L;  /* the iterator may run in another coroutine */
  if (dfl_nextmatch(&gm->ms, &gm->cursor))
    return push_captures(&gm->ms, 1);
  return 0;  /* not found */
}


/* re:gmatch(s [, init]) --> iterator over captures, or whole matches */
static int re_gmatch (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  size_t init = checkinit(L, 3, s, ls);
  GMatchState *gm;
  lua_settop(L, 2);  /* keep the regex and the subject on the closure */
  gm = (GMatchState *)lua_newuserdatauv(L, sizeof(GMatchState), 0);
  if (init > ls)  /* start after string's end? */
    init = ls + 1;  /* avoid overflows in the cursor */
  df_cursor_init(&gm->cursor, init);
  dfl_prepstate(L, &gm->ms, re, s, ls);  /* pushes a 4th upvalue */
  lua_pushcclosure(L, gmatch_aux, 4);
  return 1;
}


/*
** Add the span of group 'l' (0-based, as in "%1") to 'b'.  With no groups
** "%1" stands for the whole match, as in the string library.
*/
static void add_capture (dfl_MatchState *ms, luaL_Buffer *b, int l) {
  size_t g;
  if ((size_t)l < ms->ngroups)
    g = (size_t)l + 1;
  else if (l == 0)
    g = 0;
  else {
    luaL_error(ms->L, "invalid capture index %%%d in replacement string",
                      l + 1);
    return;  /* not reached */
  }
  if (ms->ov[2 * g] != DF_UNSET)  /* an unset group adds nothing */
    luaL_addlstring(b, ms->src + ms->ov[2 * g],
                       ms->ov[2 * g + 1] - ms->ov[2 * g]);
}


/* expand the replacement string at index 3 for the latest match */
static void add_s (dfl_MatchState *ms, luaL_Buffer *b) {
  size_t l;
  lua_State *L = ms->L;
  const char *news = lua_tolstring(L, 3, &l);
  const char *p;
  while ((p = (const char *)memchr(news, L_ESC, l)) != NULL) {
    luaL_addlstring(b, news, (size_t)(p - news));
    p++;  /* skip ESC */
    if (*p == L_ESC)  /* '%%' */
      luaL_addchar(b, *p);
    else if (*p == '0')  /* '%0' */
      luaL_addlstring(b, ms->src + ms->ov[0], ms->ov[1] - ms->ov[0]);
    else if (isdigit((unsigned char)*p))  /* '%n' */
      add_capture(ms, b, *p - '1');
    else
      luaL_error(L, "invalid use of '%c' in replacement string", L_ESC);
    l -= (size_t)(p + 1 - news);
    news = p + 1;
  }
  luaL_addlstring(b, news, l);
}


/*
** Add the replacement value for the latest match to buffer 'b'.  Return
** true if the original string was changed.  (Function calls and table
** indexing resulting in nil or false do not change the subject.)
*/
static int add_value (dfl_MatchState *ms, luaL_Buffer *b, int tr) {
  lua_State *L = ms->L;
  switch (tr) {
    case LUA_TFUNCTION: {  /* call the function */
      int n;
      lua_pushvalue(L, 3);  /* push the function */
      n = push_captures(ms, 1);  /* all captures as arguments */
      lua_call(L, n, 1);  /* call it */
      break;
    }
    case LUA_TTABLE: {  /* index the table */
      dfl_pushgroup(ms, ms->ngroups == 0 ? 0 : 1);  /* first capture */
      lua_gettable(L, 3);
      break;
    }
    default: {  /* LUA_TNUMBER or LUA_TSTRING */
      add_s(ms, b);  /* add value to the buffer */
      return 1;  /* something changed */
    }
  }
  if (!lua_toboolean(L, -1)) {  /* nil or false? */
    lua_pop(L, 1);  /* remove value */
    luaL_addlstring(b, ms->src + ms->ov[0], ms->ov[1] - ms->ov[0]);
    return 0;  /* no changes */
  }
  else if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)",
                         luaL_typename(L, -1));
  else {
    luaL_addvalue(b);  /* add result to accumulator */
    return 1;  /* something changed */
  }
}


/* re:gsub(s, repl [, n]) --> string, number of matches */
static int re_gsub (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t srcl;
  const char *src = checksubject(L, 2, &srcl);  /* subject */
  int tr = lua_type(L, 3);  /* replacement type */
  lua_Integer max_s = luaL_optinteger(L, 4, (lua_Integer)srcl + 1);
  size_t copied = 0;  /* subject bytes already in the buffer */
  lua_Integer n = 0;  /* replacement count */
  int changed = 0;  /* change flag */
  df_cursor cursor;
  dfl_MatchState ms;
  luaL_Buffer b;
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                   tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                      "string/function/table");
  dfl_prepstate(L, &ms, re, src, srcl);
  luaL_buffinit(L, &b);
  df_cursor_init(&cursor, 0);
  while (n < max_s && dfl_nextmatch(&ms, &cursor)) {
    luaL_addlstring(&b, src + copied, ms.ov[0] - copied);  /* unmatched */
    n++;
    changed = add_value(&ms, &b, tr) | changed;
    copied = ms.ov[1];
  }
  if (!changed)  /* no changes? */
    lua_pushvalue(L, 2);  /* return original string */
  else {  /* something changed */
    luaL_addlstring(&b, src + copied, srcl - copied);
    luaL_pushresult(&b);  /* create and return new string */
  }
  lua_pushinteger(L, n);  /* number of substitutions */
  return 2;
}


static const luaL_Reg methods[] = {
  {"find", re_find},
  {"match", re_match},
  {"gmatch", re_gmatch},
  {"gsub", re_gsub},
  {"test", re_test},
  {NULL, NULL}
};


void dfl_open_match (lua_State *L) {
  luaL_setfuncs(L, methods, 0);
}
