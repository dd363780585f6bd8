/*
** core.search and core.count: a regex over the facts of a corpus.
**
**   core.search(corpus, regex [, opts]) --> { {id =, matches = {m...}}... }
**     m = {s =, e =, text =, groups = {g1, g2, ..., name = g}}
**   core.count(corpus, regex [, opts]) --> facts, matches
**
** Hits come in id order (or in the order of opts.ids); s and e are 1-based
** inclusive byte positions in the fact's text (e = s - 1 for an empty
** match); unset groups are false.  opts: first (at most one match per
** fact), ids (search only these facts, in this order), limit (at most this
** many hits; search only).  Over the whole corpus, both use the corpus's
** prefilter when c:build_prefilter() made one: the same results, sooner.
*/

#include <string.h>

#include "core.h"


/* stack slots of search and count */
#define CORPUS 1
#define REGEX 2
#define OPTS 3
#define IDS 4  /* opts.ids, or nil */


typedef struct Options {
  unsigned flags;     /* DF_SEARCH_FIRST_PER_FACT or 0 */
  lua_Integer nids;   /* length of opts.ids, -1 without it */
  lua_Integer limit;  /* most hits to return */
} Options;


/* The fact of opts.ids[i] (a plain array: no metamethods), or an error
** naming the bad entry. */
static df_fact idsfact (lua_State *L, const df_corpus *corpus, lua_Integer i) {
  df_fact fact;
  int isnum;
  lua_Integer id;
  lua_rawgeti(L, IDS, i);
  id = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (!isnum || id < 1 || (lua_Unsigned)id > df_corpus_count(corpus))
    luaL_argerror(L, OPTS, lua_pushfstring(L, "ids[%I]: %s", (LUA_INTEGER)i,
                  isnum ? "fact id out of range" : "not an integer"));
  df_corpus_fact(corpus, (size_t)id, &fact, NULL);  /* cannot fail now */
  return fact;
}


/* Read opts at OPTS, leaving opts.ids (checked) or nil at IDS. */
static void checkoptions (lua_State *L, const df_corpus *corpus, Options *o) {
  o->flags = 0;
  o->nids = -1;
  o->limit = LUA_MAXINTEGER;
  lua_settop(L, OPTS);
  if (lua_isnoneornil(L, OPTS)) {
    lua_pushnil(L);  /* no ids */
    return;
  }
  luaL_checktype(L, OPTS, LUA_TTABLE);
  lua_getfield(L, OPTS, "first");
  if (lua_toboolean(L, -1))
    o->flags |= DF_SEARCH_FIRST_PER_FACT;
  lua_pop(L, 1);
  if (lua_getfield(L, OPTS, "limit") != LUA_TNIL) {
    int isnum;
    o->limit = lua_tointegerx(L, -1, &isnum);
    luaL_argcheck(L, isnum, OPTS, "field 'limit' is not an integer");
    luaL_argcheck(L, o->limit >= 0, OPTS, "field 'limit' is negative");
  }
  lua_pop(L, 1);
  if (lua_getfield(L, OPTS, "ids") != LUA_TNIL) {  /* at IDS */
    lua_Integer i;
    luaL_argcheck(L, lua_istable(L, IDS), OPTS, "field 'ids' is not a table");
    o->nids = (lua_Integer)lua_rawlen(L, IDS);
    for (i = 1; i <= o->nids; i++)  /* all of them before any search */
      idsfact(L, corpus, i);
  }
}


/*
** Next match in a fact of opts.ids; a matcher error names the fact as
** df_search's own errors do.
*/
static int nextinfact (dfl_MatchState *ms, const df_corpus *corpus,
                       const df_fact *fact, df_cursor *cursor) {
  df_error err;
  ms->src = fact->text;
  ms->len = fact->len;
  switch (dfl_trynext(ms, cursor, &err)) {
    case DF_OK: return 1;
    case DF_NOMATCH: return 0;
    default:
      return dfl_error(ms->L, "%s:%I: fact %I: %s", df_corpus_name(corpus),
                        (LUA_INTEGER)fact->line, (LUA_INTEGER)fact->id,
                        err.message);
  }
}


/*
** {======================================================
** SEARCH
** =======================================================
*/

typedef struct SearchState {
  dfl_MatchState ms;   /* the latest match; src is its fact's text */
  const Options *opts;
  int hits;            /* stack index of the array of hits */
  lua_Integer nhits;
  size_t id;           /* fact of the latest hit; its matches are on top */
  lua_Integer nmatches;
} SearchState;


/* Start the hit for fact 'id': hits[#hits + 1] = {id = id, matches = {}},
** leaving its matches on top of the stack. */
static void newhit (SearchState *ss, size_t id) {
  lua_State *L = ss->ms.L;
  if (ss->nhits > 0)
    lua_pop(L, 1);  /* the previous hit's matches */
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)id);
  lua_setfield(L, -2, "id");
  lua_createtable(L, 1, 0);
  lua_pushvalue(L, -1);
  lua_setfield(L, -3, "matches");
  lua_rotate(L, -2, 1);  /* matches below the hit */
  lua_seti(L, ss->hits, ++ss->nhits);
  ss->id = id;
  ss->nmatches = 0;
}


/* groups = {g1, g2, ..., name = g}: unset groups are false */
static void pushgroups (dfl_MatchState *ms) {
  lua_State *L = ms->L;
  const df_regex *regex = ms->re->regex;
  size_t g, i, nnames = df_regex_name_count(regex);
  const char *prev = NULL;
  int prevset = 0;
  lua_createtable(L, (int)ms->ngroups, (int)nnames);
  for (g = 1; g <= ms->ngroups; g++) {
    dfl_pushgroup(ms, g);
    lua_seti(L, -2, (lua_Integer)g);
  }
  for (i = 0; i < nnames; i++) {
    const char *name = df_regex_name(regex, i, &g);
    int set = (ms->ov[2 * g] != DF_UNSET);
    /* (?J) names come in runs of one name: the first set group wins */
    if (prev == NULL || strcmp(name, prev) != 0 || (set && !prevset)) {
      dfl_pushgroup(ms, g);
      lua_setfield(L, -2, name);
      prevset = set;
    }
    prev = name;
  }
}


/* append the latest match to the matches on top of the stack */
static void addmatch (SearchState *ss) {
  lua_State *L = ss->ms.L;
  const size_t *ov = ss->ms.ov;
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)ov[0] + 1);
  lua_setfield(L, -2, "s");
  lua_pushinteger(L, (lua_Integer)ov[1]);
  lua_setfield(L, -2, "e");
  dfl_pushgroup(&ss->ms, 0);
  lua_setfield(L, -2, "text");
  pushgroups(&ss->ms);
  lua_setfield(L, -2, "groups");
  lua_seti(L, -2, ++ss->nmatches);
}


/* Add the latest match, in fact 'id', to the results: 0 to go on, 1 when
** the hits are complete. */
static int onmatch (SearchState *ss, size_t id) {
  if (id != ss->id) {
    if (ss->nhits == ss->opts->limit)
      return 1;
    newhit(ss, id);
  }
  addmatch(ss);
  /* with one match per fact, the last hit is complete now */
  return (ss->opts->flags & DF_SEARCH_FIRST_PER_FACT) &&
         ss->nhits == ss->opts->limit;
}


/*
** df_search's callback.  It builds Lua tables, so a memory error may
** unwind through df_search: that is safe because df_search allocates
** nothing and holds nothing but the matcher, which the regex owns.  The
** offsets are copied before anything can allocate (and so run a finalizer
** that might use the same regex).
*/
static int searchsink (const df_match *m, void *ud) {
  SearchState *ss = (SearchState *)ud;
  dfl_setmatch(&ss->ms, m->ovector);
  ss->ms.src = m->text;
  ss->ms.len = m->len;
  return onmatch(ss, m->fact_id);
}


/* Every match in 'fact' into the hits: 1 when the hits are complete. */
static int searchfact (SearchState *ss, const df_corpus *corpus,
                       const df_fact *fact) {
  df_cursor cursor;
  int done = 0;
  df_cursor_init(&cursor, 0);
  while (!done && nextinfact(&ss->ms, corpus, fact, &cursor)) {
    done = onmatch(ss, fact->id);
    if (ss->opts->flags & DF_SEARCH_FIRST_PER_FACT)
      break;
  }
  return done;
}


/*
** The prefilter's candidates for 're', in a box that the collector frees:
** building hits may raise an error, which must not leak them.
*/
static df_candidates *pushcandidates (lua_State *L, const dfl_Corpus *c,
                                      const dfl_Regex *re) {
  df_candidates *cand =
      (df_candidates *)lua_newuserdatauv(L, sizeof(df_candidates), 0);
  df_error err;
  cand->ids = NULL;
  cand->count = 0;
  cand->all = 1;
  luaL_setmetatable(L, DFL_CANDIDATES);
  if (df_prefilter_candidates(c->prefilter, re->regex, cand, &err) != DF_OK)
    dfl_error(L, "%s", err.message);
  return cand;
}


static int candidates_gc (lua_State *L) {
  df_candidates_free((df_candidates *)luaL_checkudata(L, 1, DFL_CANDIDATES));
  return 0;
}


static int search (lua_State *L) {
  dfl_Corpus *c = dfl_checkcorpusud(L, CORPUS);
  const df_corpus *corpus = c->corpus;
  dfl_Regex *re = dfl_checkregex(L, REGEX);
  Options opts;
  SearchState ss;
  checkoptions(L, corpus, &opts);
  dfl_prepstate(L, &ss.ms, re, NULL, 0);
  ss.opts = &opts;
  ss.nhits = 0;
  ss.id = 0;  /* no hit yet */
  ss.nmatches = 0;
  lua_newtable(L);
  ss.hits = lua_gettop(L);
  if (opts.nids < 0) {  /* the whole corpus */
    df_candidates *cand = NULL;
    if (c->prefilter != NULL)
      cand = pushcandidates(L, c, re);
    if (cand != NULL && !cand->all) {
      size_t k;
      int done = 0;
      for (k = 0; k < cand->count && !done; k++) {
        df_fact fact;
        df_corpus_fact(corpus, cand->ids[k], &fact, NULL);
        done = searchfact(&ss, corpus, &fact);
      }
      df_candidates_free(cand);
    }
    else {
      df_error err;
      if (df_search(corpus, re->matcher, opts.flags, searchsink, &ss, &err)
          != DF_OK)
        return dfl_error(L, "%s", err.message);
    }
  }
  else {
    lua_Integer i;
    int done = 0;
    for (i = 1; i <= opts.nids && !done; i++) {
      df_fact fact = idsfact(L, corpus, i);
      ss.id = 0;  /* a repeated id makes a new hit */
      done = searchfact(&ss, corpus, &fact);
    }
  }
  lua_settop(L, ss.hits);
  return 1;
}

/* }====================================================== */


static int count (lua_State *L) {
  dfl_Corpus *c = dfl_checkcorpusud(L, CORPUS);
  const df_corpus *corpus = c->corpus;
  dfl_Regex *re = dfl_checkregex(L, REGEX);
  Options opts;
  size_t facts = 0, matches = 0;
  checkoptions(L, corpus, &opts);
  if (opts.nids < 0) {  /* the whole corpus */
    df_error err;
    if (df_count_prefiltered(corpus, c->prefilter, re->matcher, opts.flags,
                             &facts, &matches, &err) != DF_OK)
      return dfl_error(L, "%s", err.message);
  }
  else {
    lua_Integer i;
    dfl_MatchState ms;
    dfl_prepstate(L, &ms, re, NULL, 0);
    for (i = 1; i <= opts.nids; i++) {
      df_fact fact = idsfact(L, corpus, i);
      df_cursor cursor;
      size_t before = matches;
      df_cursor_init(&cursor, 0);
      while (nextinfact(&ms, corpus, &fact, &cursor)) {
        matches++;
        if (opts.flags & DF_SEARCH_FIRST_PER_FACT)
          break;
      }
      facts += (matches > before);
    }
  }
  lua_pushinteger(L, (lua_Integer)facts);
  lua_pushinteger(L, (lua_Integer)matches);
  return 2;
}


static const luaL_Reg funcs[] = {
  {"search", search},
  {"count", count},
  {NULL, NULL}
};


void dfl_open_search (lua_State *L) {
  luaL_newmetatable(L, DFL_CANDIDATES);
  lua_pushcfunction(L, candidates_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_setfuncs(L, funcs, 0);
}
