/*
** core.search and core.count: a regex over the facts of a corpus.
**
**   core.search(corpus, regex [, opts]) --> { {id =, matches = {m...}}... }
**     m = {s =, e =, text =, groups = {g1, g2, ..., name = g}}
**   core.hits(corpus, regex [, opts]) --> the same hits, kept in C (hits.c)
**   core.count(corpus, regex [, opts]) --> facts, matches
**
** Hits come in id order (or in the order of opts.ids); s and e are 1-based
** inclusive byte positions in the fact's text (e = s - 1 for an empty
** match); unset groups are false.  opts: first (at most one match per
** fact), ids (search only these facts, in this order), limit (at most this
** many hits; search only), spans = false (search only: hits without
** matches, one match per fact sought), each (search only, with spans =
** false: a function called with each matching fact's id as it is found,
** in place of the hits, which are not kept; search then returns nothing).
** Over the whole corpus, both use the corpus's
** prefilter once there is one (dfl_prefilter): the same results, sooner.
** Whatever the facts, the core's one search loop (df_search_ids) walks
** them; this file only chooses them and collects what it finds.
*/

#include "core.h"


/* stack slots of search and count */
#define CORPUS 1
#define REGEX 2
#define OPTS 3
#define IDS 4  /* opts.ids as an array of fact ids, or nil */
#define EACH 5  /* opts.each, or nil */


typedef struct Options {
  unsigned flags;       /* DF_SEARCH_FIRST_PER_FACT or 0 */
  const uint32_t *ids;  /* opts.ids, checked, or NULL without it */
  size_t nids;
  lua_Integer limit;    /* most hits to return */
  int spans;            /* whether hits hold their matches */
  int each;             /* whether opts.each takes the hits */
} Options;


/* opts.ids[i] (a plain array: no metamethods) as a fact id, or an error
** naming the bad entry. */
static uint32_t idsentry (lua_State *L, const df_corpus *corpus,
                          lua_Integer i) {
  int isnum;
  lua_Integer id;
  lua_rawgeti(L, IDS, i);
  id = lua_tointegerx(L, -1, &isnum);
  lua_pop(L, 1);
  if (!isnum || id < 1 || (lua_Unsigned)id > df_corpus_count(corpus))
    luaL_argerror(L, OPTS, lua_pushfstring(L, "ids[%I]: %s", (LUA_INTEGER)i,
                  isnum ? "fact id out of range" : "not an integer"));
  return (uint32_t)id;
}


/* opts.ids at IDS, all checked before any search, copied to an array that
** replaces it at IDS (the collector frees it). */
static void checkids (lua_State *L, const df_corpus *corpus, Options *o) {
  size_t i;
  uint32_t *ids;
  luaL_argcheck(L, lua_istable(L, IDS), OPTS, "field 'ids' is not a table");
  o->nids = (size_t)lua_rawlen(L, IDS);
  /* + 1: never a zero-sized block */
  ids = (uint32_t *)lua_newuserdatauv(L, o->nids * sizeof(uint32_t) + 1, 0);
  for (i = 0; i < o->nids; i++)
    ids[i] = idsentry(L, corpus, (lua_Integer)i + 1);
  lua_replace(L, IDS);
  o->ids = ids;
}


/* Read opts at OPTS, leaving opts.ids (see checkids) or nil at IDS. */
static void checkoptions (lua_State *L, const df_corpus *corpus, Options *o) {
  o->flags = 0;
  o->ids = NULL;
  o->nids = 0;
  o->limit = LUA_MAXINTEGER;
  o->spans = 1;
  o->each = 0;
  lua_settop(L, OPTS);
  if (lua_isnoneornil(L, OPTS)) {
    lua_pushnil(L);  /* no ids */
    lua_pushnil(L);  /* no each */
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
  if (lua_getfield(L, OPTS, "ids") != LUA_TNIL)  /* at IDS */
    checkids(L, corpus, o);
  lua_getfield(L, OPTS, "spans");
  o->spans = lua_isnil(L, -1) || lua_toboolean(L, -1);
  lua_pop(L, 1);
  if (!o->spans)  /* a hit is complete at its first match */
    o->flags |= DF_SEARCH_FIRST_PER_FACT;
  if (lua_getfield(L, OPTS, "each") != LUA_TNIL) {  /* at EACH */
    luaL_argcheck(L, lua_isfunction(L, EACH), OPTS,
                  "field 'each' is not a function");
    luaL_argcheck(L, !o->spans, OPTS, "field 'each' needs spans = false");
    o->each = 1;
  }
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


/*
** The facts to search: opts.ids, or the prefilter's candidates (boxed on
** top of the stack), or all of them (*ids NULL).
*/
static void factset (lua_State *L, dfl_Corpus *c, const dfl_Regex *re,
                     const Options *opts, const uint32_t **ids, size_t *n) {
  *ids = opts->ids;
  *n = opts->nids;
  if (opts->ids == NULL && dfl_prefilter(c, re->regex) != NULL) {
    static const df_fact_id none[1] = {0};
    df_candidates *cand = pushcandidates(L, c, re);
    if (!cand->all) {  /* no candidate: an empty list, as NULL means all */
      *ids = cand->count > 0 ? cand->ids : none;
      *n = cand->count;
    }
  }
}


/* What search, hits and count share: the arguments, checked, and the
** facts to search. */
typedef struct Query {
  dfl_Corpus *c;
  dfl_Regex *re;
  Options opts;
  const uint32_t *ids;  /* NULL: every fact */
  size_t n;
} Query;


static void checkquery (lua_State *L, Query *q) {
  q->c = dfl_checkcorpusud(L, CORPUS);
  q->re = dfl_checkregex(L, REGEX);
  checkoptions(L, q->c->corpus, &q->opts);
  factset(L, q->c, q->re, &q->opts, &q->ids, &q->n);
}


/* Run the query, calling 'sink' per match; raises on a matcher error. */
static void runquery (lua_State *L, const Query *q, df_match_fn sink,
                      void *ud) {
  df_error err;
  if (df_search_ids(q->c->corpus, q->ids, q->n, q->re->matcher,
                    q->opts.flags, sink, ud, &err) != DF_OK)
    dfl_error(L, "%s", err.message);
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
  size_t visit;        /* visit of the latest hit; its matches are on top */
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
  ss->nmatches = 0;
}


/* append the latest match to the matches on top of the stack */
static void addmatch (SearchState *ss) {
  dfl_pushmatch(&ss->ms);
  lua_seti(ss->ms.L, -2, ++ss->nmatches);
}


/*
** df_search_ids's callback: adds the match to the results, a new hit for
** each visit of a fact; 1 when the hits are complete.  It builds Lua
** tables, so a memory error may unwind through df_search_ids: that is safe
** because it allocates nothing and holds nothing but the matcher, which the
** regex owns.  The offsets are copied before anything can allocate (and so
** run a finalizer that might use the same regex).
*/
static int searchsink (const df_match *m, void *ud) {
  SearchState *ss = (SearchState *)ud;
  dfl_setmatch(&ss->ms, m->ovector);
  ss->ms.src = m->text;
  ss->ms.len = m->len;
  if (ss->nhits == 0 || m->visit != ss->visit) {
    if (ss->nhits == ss->opts->limit)
      return 1;
    ss->visit = m->visit;
    if (ss->opts->each) {  /* each(id), and nothing kept */
      lua_State *L = ss->ms.L;
      lua_pushvalue(L, EACH);
      lua_pushinteger(L, (lua_Integer)m->fact_id);
      lua_call(L, 1, 0);
      return ++ss->nhits == ss->opts->limit;
    }
    newhit(ss, m->fact_id);
  }
  if (ss->opts->spans)
    addmatch(ss);
  /* with one match per fact, the last hit is complete now */
  return (ss->opts->flags & DF_SEARCH_FIRST_PER_FACT) &&
         ss->nhits == ss->opts->limit;
}


static int search (lua_State *L) {
  Query q;
  SearchState ss;
  checkquery(L, &q);
  dfl_prepstate(L, &ss.ms, q.re, NULL, 0);
  ss.opts = &q.opts;
  ss.nhits = 0;
  ss.visit = 0;
  ss.nmatches = 0;
  lua_newtable(L);
  ss.hits = lua_gettop(L);
  runquery(L, &q, searchsink, &ss);
  lua_settop(L, ss.hits);
  return q.opts.each ? 0 : 1;
}

/* }====================================================== */


typedef struct HitsState {
  lua_State *L;
  dfl_Hits *hits;
  lua_Integer limit;
  unsigned flags;
  size_t visit;
} HitsState;


/* df_search_ids's callback for core.hits: as searchsink, into C arrays.
** A memory error unwinds through df_search_ids as searchsink's may. */
static int hitssink (const df_match *m, void *ud) {
  HitsState *hs = (HitsState *)ud;
  if (hs->hits->n == 0 || m->visit != hs->visit) {
    if ((lua_Integer)hs->hits->n == hs->limit)
      return 1;
    hs->visit = m->visit;
    dfl_addhit(hs->L, hs->hits, m->fact_id);
  }
  dfl_addspan(hs->L, hs->hits, m->ovector);
  /* with one match per fact, the last hit is complete now */
  return (hs->flags & DF_SEARCH_FIRST_PER_FACT) &&
         (lua_Integer)hs->hits->n == hs->limit;
}


/*
** core.hits(corpus, regex [, opts]) --> hits userdata: the hits
** core.search would give, kept in C arrays (hits.c) for a result set that
** makes a table for a hit only when a script reads it.  opts: first, ids,
** limit as for core.search.
*/
static int hits (lua_State *L) {
  Query q;
  HitsState hs;
  checkquery(L, &q);
  luaL_argcheck(L, q.opts.spans && !q.opts.each, OPTS,
                "fields 'spans' and 'each' are for core.search");
  hs.L = L;
  hs.hits = dfl_newhits(L, CORPUS, REGEX);
  hs.limit = q.opts.limit;
  hs.flags = q.opts.flags;
  hs.visit = 0;
  runquery(L, &q, hitssink, &hs);
  return 1;
}


typedef struct CountState {
  size_t facts, matches, visit;
} CountState;


static int countsink (const df_match *m, void *ud) {
  CountState *cs = (CountState *)ud;
  cs->facts += (cs->matches == 0 || m->visit != cs->visit);
  cs->visit = m->visit;
  cs->matches++;
  return 0;
}


static int count (lua_State *L) {
  Query q;
  CountState cs = {0, 0, 0};
  checkquery(L, &q);
  runquery(L, &q, countsink, &cs);
  lua_pushinteger(L, (lua_Integer)cs.facts);
  lua_pushinteger(L, (lua_Integer)cs.matches);
  return 2;
}


static const luaL_Reg funcs[] = {
  {"search", search},
  {"hits", hits},
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
