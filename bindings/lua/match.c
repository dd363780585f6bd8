/*
** re:find, re:match, re:gmatch, re:gsub and re:test: Lua 5.4's string
** library (lstrlib.c) with a PCRE2 regex in place of a Lua pattern; and
** the rest of lrexlib's regex API on the same machinery: re:exec and
** re:tfind are faces of find, re:split an iterator beside gmatch, re:count
** a gmatch that only counts, gsub takes lrexlib's control function, and
** re:dfa_exec runs PCRE2's DFA matcher.
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


/* The optional 'astable' argument of match and gmatch: a boolean. */
static int checkastable (lua_State *L, int arg) {
  if (lua_isnoneornil(L, arg))
    return 0;
  luaL_checktype(L, arg, LUA_TBOOLEAN);
  return lua_toboolean(L, arg);
}


/*
** Push the groups of the latest match; with no groups and 'wholeifnone',
** the whole match.  With 'astable', one table of them in which named groups
** are also found by name (dfl_pushgroups); otherwise named groups are pushed
** by number like any other.
*/
static int push_captures (dfl_MatchState *ms, int wholeifnone, int astable) {
  size_t i, n = (ms->ngroups == 0 && wholeifnone) ? 1 : ms->ngroups;
  if (astable) {
    dfl_pushgroups(ms, wholeifnone);
    return 1;
  }
  luaL_checkstack(ms->L, (int)n, "too many captures");
  for (i = 0; i < n; i++)
    dfl_pushgroup(ms, ms->ngroups == 0 ? 0 : i + 1);
  return (int)n;
}


/* {s1, e1, s2, e2, ...} of the groups (false, false if unset), named
** groups' text under their names: lrexlib's exec table */
static void push_offsets (dfl_MatchState *ms) {
  lua_State *L = ms->L;
  size_t g;
  lua_createtable(L, 2 * (int)ms->ngroups, 0);
  for (g = 1; g <= ms->ngroups; g++) {
    size_t start = ms->ov[2 * g], end = ms->ov[2 * g + 1];
    if (start == DF_UNSET) {
      lua_pushboolean(L, 0);
      lua_pushboolean(L, 0);
    }
    else {
      lua_pushinteger(L, (lua_Integer)start + 1);
      lua_pushinteger(L, (lua_Integer)end);
    }
    lua_rawseti(L, -3, 2 * (lua_Integer)g);
    lua_rawseti(L, -2, 2 * (lua_Integer)g - 1);
  }
  dfl_setnames(ms);
}


/* the faces of find_aux */
typedef enum FindHow {
  FIND,   /* start, end, captures... */
  MATCH,  /* captures, or the whole match; a table of them with 'astable' */
  EXEC,   /* start, end, offsets table */
  TFIND   /* start, end, captures table */
} FindHow;


static int find_aux (lua_State *L, FindHow how) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  size_t init = checkinit(L, 3, s, ls);
  int astable = (how == MATCH) ? checkastable(L, 4) : 0;
  dfl_MatchState ms;
  df_cursor cursor;
  if (init > ls) {  /* start after string's end? */
    luaL_pushfail(L);  /* cannot find anything */
    return 1;
  }
  dfl_prepstate(L, &ms, re, s, ls);
  df_cursor_init(&cursor, init);
  if (dfl_nextmatch(&ms, &cursor)) {
    if (how == MATCH)
      return push_captures(&ms, 1, astable);
    lua_pushinteger(L, (lua_Integer)ms.ov[0] + 1);  /* start */
    lua_pushinteger(L, (lua_Integer)ms.ov[1]);  /* end */
    switch (how) {
      case EXEC: push_offsets(&ms); return 3;
      case TFIND: dfl_pushgroups(&ms, 0); return 3;
      default: return push_captures(&ms, 0, 0) + 2;
    }
  }
  luaL_pushfail(L);  /* not found */
  return 1;
}


/* re:find(s [, init]) --> start, end, captures... */
static int re_find (lua_State *L) {
  return find_aux(L, FIND);
}


/* re:match(s [, init [, astable]]) --> captures, or the whole match */
static int re_match (lua_State *L) {
  return find_aux(L, MATCH);
}


/* re:exec(s [, init]) --> start, end, {s1, e1, ..., name = text} */
static int re_exec (lua_State *L) {
  return find_aux(L, EXEC);
}


/* re:tfind(s [, init]) --> start, end, {g1, ..., name = g} */
static int re_tfind (lua_State *L) {
  return find_aux(L, TFIND);
}


/* matches of dfa_exec kept without an allocation */
#define MAXLOCALDFA 64

/*
** Run the DFA matcher into ends[0..max): the offsets are copied out of the
** matcher at once, for the reason dfl_MatchState gives.  Returns the number
** of matches (0: none), which may exceed 'max'; raises on errors.
*/
static size_t dfa_ends (lua_State *L, dfl_Regex *re, const char *s, size_t ls,
                        size_t init, size_t *start, size_t *ends, size_t max) {
  const size_t *ov;
  size_t i, count;
  df_error err;
  if (re->matcher == NULL)
    dfl_error(L, "attempt to use a finalized regex");
  switch (df_matcher_dfa(re->matcher, s, ls, init, &ov, &count, &err)) {
    case DF_OK: break;
    case DF_NOMATCH: return 0;
    default: return (size_t)luaL_error(L, "%s", err.message);
  }
  *start = ov[0];
  for (i = 0; i < count && i < max; i++)
    ends[i] = ov[2 * i + 1];
  return count;
}


/*
** re:dfa_exec(s [, init]) --> start, {end1, end2, ...}, count: PCRE2's DFA
** matcher; every match at the first position where one starts, longest
** first, all of them (lrexlib keeps as many as its 'ovecsize')
*/
static int re_dfa_exec (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  size_t init = checkinit(L, 3, s, ls);
  size_t local[MAXLOCALDFA], *ends = local;
  size_t i, start = 0, count;
  if (init > ls) {  /* start after string's end? */
    luaL_pushfail(L);  /* cannot find anything */
    return 1;
  }
  count = dfa_ends(L, re, s, ls, init, &start, ends, MAXLOCALDFA);
  if (count > MAXLOCALDFA) {  /* room for all, and the same run again */
    ends = (size_t *)lua_newuserdatauv(L, count * sizeof(size_t), 0);
    count = dfa_ends(L, re, s, ls, init, &start, ends, count);
  }
  if (count == 0) {
    luaL_pushfail(L);  /* not found */
    return 1;
  }
  lua_pushinteger(L, (lua_Integer)start + 1);
  lua_createtable(L, (int)count, 0);
  for (i = 0; i < count; i++) {
    lua_pushinteger(L, (lua_Integer)ends[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_pushinteger(L, (lua_Integer)count);
  return 3;
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


/* re:count(s) --> number of the matches gmatch would yield */
static int re_count (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = checksubject(L, 2, &ls);
  lua_Integer n = 0;
  dfl_MatchState ms;
  df_cursor cursor;
  dfl_prepstate(L, &ms, re, s, ls);
  df_cursor_init(&cursor, 0);
  while (dfl_nextmatch(&ms, &cursor))
    n++;
  lua_pushinteger(L, n);
  return 1;
}


/* state of the iterators 'gmatch' and 'split' */
typedef struct IterState {
  df_cursor cursor;  /* where the next match starts; end of the last one */
  size_t piece;      /* split: start of the text after the last match */
  int done;          /* split: the last piece was given */
  int astable;       /* gmatch: captures in a table */
  dfl_MatchState ms;
} IterState;


static int gmatch_aux (lua_State *L) {
  IterState *it = (IterState *)lua_touserdata(L, lua_upvalueindex(3));
  it->ms.L = L;  /* the iterator may run in another coroutine */
  if (dfl_nextmatch(&it->ms, &it->cursor))
    return push_captures(&it->ms, 1, it->astable);
  return 0;  /* not found */
}


/* the text before the next match and its captures; at last, the rest */
static int split_aux (lua_State *L) {
  IterState *it = (IterState *)lua_touserdata(L, lua_upvalueindex(3));
  dfl_MatchState *ms = &it->ms;
  size_t piece = it->piece;
  ms->L = L;  /* the iterator may run in another coroutine */
  if (it->done)
    return 0;
  if (dfl_nextmatch(ms, &it->cursor)) {
    it->piece = ms->ov[1];
    lua_pushlstring(L, ms->src + piece, ms->ov[0] - piece);
    return push_captures(ms, 1, 0) + 1;
  }
  it->done = 1;
  lua_pushlstring(L, ms->src + piece, ms->len - piece);
  return 1;
}


/*
** The closure of gmatch and split over the regex at 1 and the subject at 2,
** matching from 0-based 'init' (past the end: nothing).
*/
static IterState *newiterator (lua_State *L, size_t init,
                               lua_CFunction iter) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t ls;
  const char *s = lua_tolstring(L, 2, &ls);
  IterState *it;
  lua_settop(L, 2);  /* keep the regex and the subject on the closure */
  it = (IterState *)lua_newuserdatauv(L, sizeof(IterState), 0);
  if (init > ls)  /* start after string's end? */
    init = ls + 1;  /* avoid overflows in the cursor */
  df_cursor_init(&it->cursor, init);
  it->piece = init;
  it->done = 0;
  it->astable = 0;
  dfl_prepstate(L, &it->ms, re, s, ls);  /* pushes a 4th upvalue */
  lua_pushcclosure(L, iter, 4);
  return it;
}


/* re:gmatch(s [, init [, astable]]) --> iterator over captures, or whole
** matches; over tables of them with 'astable' */
static int re_gmatch (lua_State *L) {
  size_t ls;
  const char *s;
  size_t init;
  int astable;
  dfl_checkregex(L, 1);
  s = checksubject(L, 2, &ls);
  init = checkinit(L, 3, s, ls);
  astable = checkastable(L, 4);
  newiterator(L, init, gmatch_aux)->astable = astable;
  return 1;
}


/* re:split(s) --> iterator over the text between matches, each followed by
** the match's captures (or the whole match); the text after the last match
** comes last, alone */
static int re_split (lua_State *L) {
  size_t ls;
  dfl_checkregex(L, 1);
  checksubject(L, 2, &ls);
  newiterator(L, 0, split_aux);
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
** Push the value a function or table replacement gives for the latest
** match, and return whether it replaces the match: a string or a number
** does, nil or false keeps the match; anything else is an error.
*/
static int push_lookup (dfl_MatchState *ms, int tr) {
  lua_State *L = ms->L;
  if (tr == LUA_TFUNCTION) {  /* call the function */
    int n;
    lua_pushvalue(L, 3);  /* push the function */
    n = push_captures(ms, 1, 0);  /* all captures as arguments */
    lua_call(L, n, 1);  /* call it */
  }
  else {  /* index the table */
    dfl_pushgroup(ms, ms->ngroups == 0 ? 0 : 1);  /* first capture */
    lua_gettable(L, 3);
  }
  if (!lua_toboolean(L, -1))  /* nil or false? */
    return 0;
  else if (!lua_isstring(L, -1))
    return luaL_error(L, "invalid replacement value (a %s)",
                         luaL_typename(L, -1));
  return 1;
}


/* add the whole latest match to 'b' */
static void add_match (dfl_MatchState *ms, luaL_Buffer *b) {
  luaL_addlstring(b, ms->src + ms->ov[0], ms->ov[1] - ms->ov[0]);
}


/*
** Add the replacement value for the latest match to buffer 'b'.  Return
** true if the original string was changed.  (Function calls and table
** indexing resulting in nil or false do not change the subject.)
*/
static int add_value (dfl_MatchState *ms, luaL_Buffer *b, int tr) {
  if (tr == LUA_TNUMBER || tr == LUA_TSTRING) {
    add_s(ms, b);  /* add value to the buffer */
    return 1;  /* something changed */
  }
  else if (push_lookup(ms, tr)) {
    luaL_addvalue(b);  /* add result to accumulator */
    return 1;  /* something changed */
  }
  lua_pop(ms->L, 1);  /* remove value */
  add_match(ms, b);  /* keep original text */
  return 0;  /* no changes */
}


/* stack slot of gsub's 'n', and of lrexlib's control function in its place */
#define CONTROL 4

/*
** lrexlib's control function: add_value for a gsub whose 'n' is a function
** 'cf', called after each match as cf(start, end, rep), 'rep' being what
** the replacement gives (a string; nil or false when it keeps the match).
** Its first result decides this match: a string or number replaces it,
** another true value takes 'rep', nil or false keeps the match.  Its second
** decides what follows: nil or false asks again at the next match; an
** integer k allows k more matches, replaced without asking; another true
** value replaces all the rest without asking.  Sets '*max_s' and clears
** '*control' when the function is done with.
*/
static int add_controlled (dfl_MatchState *ms, luaL_Buffer *b, int tr,
                           lua_Integer n, lua_Integer *max_s, int *control) {
  lua_State *L = ms->L;
  int changed;
  if (tr == LUA_TNUMBER || tr == LUA_TSTRING) {
    luaL_Buffer rep;  /* balanced: leaves one string above 'b' */
    luaL_buffinit(L, &rep);
    add_s(ms, &rep);
    luaL_pushresult(&rep);
    changed = 1;
  }
  else if ((changed = push_lookup(ms, tr)) != 0)
    lua_tolstring(L, -1, NULL);  /* 'rep' is the text, even of a number */
  lua_pushvalue(L, CONTROL);
  lua_pushinteger(L, (lua_Integer)ms->ov[0] + 1);  /* start */
  lua_pushinteger(L, (lua_Integer)ms->ov[1]);  /* end */
  lua_pushvalue(L, -4);  /* rep */
  lua_call(L, 3, 2);
  if (lua_type(L, -1) == LUA_TNUMBER) {  /* k more matches */
    int isint;
    lua_Integer k = lua_tointegerx(L, -1, &isint);
    if (!isint)
      return luaL_error(L, "invalid count from the control function "
                           "(a number with no integer representation)");
    *max_s = (k <= 0) ? n : (k > LUA_MAXINTEGER - n) ? LUA_MAXINTEGER : n + k;
    *control = 0;
  }
  else if (lua_toboolean(L, -1)) {  /* all the rest */
    *max_s = LUA_MAXINTEGER;
    *control = 0;
  }
  lua_pop(L, 1);
  if (lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER) {
    lua_remove(L, -2);  /* rep */
    luaL_addvalue(b);  /* the function's own replacement */
    return 1;
  }
  else if (lua_toboolean(L, -1) && changed) {
    lua_pop(L, 1);
    luaL_addvalue(b);  /* rep */
    return 1;
  }
  lua_pop(L, 2);
  add_match(ms, b);  /* keep original text */
  return 0;
}


/*
** re:gsub(s, repl [, n]) --> string, number of matches, number of
** substitutions; n is a number of matches or lrexlib's control function
*/
static int re_gsub (lua_State *L) {
  dfl_Regex *re = dfl_checkregex(L, 1);
  size_t srcl;
  const char *src = checksubject(L, 2, &srcl);  /* subject */
  int tr = lua_type(L, 3);  /* replacement type */
  int control = (lua_type(L, CONTROL) == LUA_TFUNCTION);
  lua_Integer max_s = (lua_Integer)srcl + 1;
  size_t copied = 0;  /* subject bytes already in the buffer */
  lua_Integer n = 0;  /* match count */
  lua_Integer nsubst = 0;  /* replacement count */
  df_cursor cursor;
  dfl_MatchState ms;
  luaL_Buffer b;
  if (!control && !lua_isnoneornil(L, CONTROL)) {
    luaL_argexpected(L, lua_isnumber(L, CONTROL), CONTROL,
                     "number or function");
    max_s = luaL_checkinteger(L, CONTROL);
  }
  luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
                   tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
                      "string/function/table");
  dfl_prepstate(L, &ms, re, src, srcl);
  luaL_buffinit(L, &b);
  df_cursor_init(&cursor, 0);
  while (n < max_s && dfl_nextmatch(&ms, &cursor)) {
    luaL_addlstring(&b, src + copied, ms.ov[0] - copied);  /* unmatched */
    n++;
    if (control)
      nsubst += add_controlled(&ms, &b, tr, n, &max_s, &control);
    else
      nsubst += add_value(&ms, &b, tr);
    copied = ms.ov[1];
  }
  if (nsubst == 0)  /* no changes? */
    lua_pushvalue(L, 2);  /* return original string */
  else {  /* something changed */
    luaL_addlstring(&b, src + copied, srcl - copied);
    luaL_pushresult(&b);  /* create and return new string */
  }
  lua_pushinteger(L, n);  /* number of matches */
  lua_pushinteger(L, nsubst);  /* number of substitutions */
  return 3;
}


static const luaL_Reg methods[] = {
  {"find", re_find},
  {"match", re_match},
  {"gmatch", re_gmatch},
  {"gsub", re_gsub},
  {"test", re_test},
  {"exec", re_exec},
  {"tfind", re_tfind},
  {"split", re_split},
  {"count", re_count},
  {"dfa_exec", re_dfa_exec},
  {NULL, NULL}
};


void dfl_open_match (lua_State *L) {
  luaL_setfuncs(L, methods, 0);
}
