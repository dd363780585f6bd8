/*
** The hits of a search kept in C arrays, for a result set that makes a Lua
** table for a hit only when a script reads it (drivefacts.resultset).
**
** A hits userdata holds, per hit, its fact id and its matches, each match
** as the offsets of its groups (0-based, PCRE2_UNSET for unset groups);
** its user values keep the corpus and the regex alive, whose texts and
** group names a hit is made of (hits of facts chosen without a regex, a
** tag's or an entity's, have none; a mention is its span).  Its methods,
** all 1-based like Lua's:
**
**   #h, h:id(i), h:ids(), h:count()     hits, an id, every id, all matches
**   h:matches(i), h:span(i, j)          hit i's match count; match j's s, e
**   h:text(i), h:location(i)            hit i's fact text; source, line
**   h:hit(i)                            {id =, matches = {m...}} as
**                                       core.search makes it
**   h:sorted(key), h:head(n)            new hits: by "id" or "length"
**                                       (stable), or the first n
**   h:write(file, opts)                 every hit written as
**                                       core.search_file writes a file's
**
** The arrays are allocated with the state's allocator (so collectgarbage
** counts them) and freed by __gc.
*/

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"


/* user values of a hits userdata */
#define UV_CORPUS 1
#define UV_REGEX 2


/* Grow *block, of *cap items of 'size' bytes, to hold at least 'need'
** items; raises a memory error when the allocator fails. */
static void reserve (lua_State *L, void **block, size_t *cap, size_t need,
                     size_t size) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  size_t n = *cap < 16 ? 16 : *cap;
  void *grown = NULL;
  if (need <= *cap)
    return;
  while (n < need)
    n = n <= ((size_t)-1 / 2) / size ? 2 * n : need;
  if (n <= (size_t)-1 / size)
    grown = alloc(ud, *block, *cap * size, n * size);
  if (grown == NULL)
    dfl_error(L, "not enough memory");
  *block = grown;
  *cap = n;
}


static void release (lua_State *L, void *block, size_t cap, size_t size) {
  void *ud;
  lua_Alloc alloc = lua_getallocf(L, &ud);
  if (block != NULL)
    alloc(ud, block, cap * size, 0);
}


dfl_Hits *dfl_newhits (lua_State *L, int corpus, int regex) {
  dfl_Regex *re = regex != 0 ? dfl_checkregex(L, regex) : NULL;
  dfl_Hits *h = (dfl_Hits *)lua_newuserdatauv(L, sizeof(dfl_Hits), 2);
  memset(h, 0, sizeof *h);
  h->width = re != NULL ? 2 * (df_regex_group_count(re->regex) + 1) : 2;
  luaL_setmetatable(L, DFL_HITS);
  lua_pushvalue(L, corpus);
  lua_setiuservalue(L, -2, UV_CORPUS);
  if (re != NULL) {
    lua_pushvalue(L, regex);
    lua_setiuservalue(L, -2, UV_REGEX);
  }
  return h;
}


void dfl_addhit (lua_State *L, dfl_Hits *h, size_t id) {
  reserve(L, (void **)&h->ids, &h->idcap, h->n + 1, sizeof *h->ids);
  reserve(L, (void **)&h->first, &h->firstcap, h->n + 1, sizeof *h->first);
  h->ids[h->n] = (uint32_t)id;
  h->first[h->n] = h->nmatches;
  h->n++;
}


void dfl_addspan (lua_State *L, dfl_Hits *h, const size_t *ovector) {
  reserve(L, (void **)&h->ov, &h->ovcap, (h->nmatches + 1) * h->width,
          sizeof *h->ov);
  memcpy(h->ov + h->nmatches * h->width, ovector, h->width * sizeof *h->ov);
  h->nmatches++;
}


static int hits_gc (lua_State *L) {
  dfl_Hits *h = (dfl_Hits *)luaL_checkudata(L, 1, DFL_HITS);
  release(L, h->ids, h->idcap, sizeof *h->ids);
  release(L, h->first, h->firstcap, sizeof *h->first);
  release(L, h->ov, h->ovcap, sizeof *h->ov);
  memset(h, 0, sizeof *h);
  return 0;
}


static dfl_Hits *checkhits (lua_State *L) {
  return (dfl_Hits *)luaL_checkudata(L, 1, DFL_HITS);
}


/* The hit index (0-based) of the 1-based position at 'arg'. */
static size_t checkhit (lua_State *L, const dfl_Hits *h, int arg) {
  lua_Integer i = luaL_checkinteger(L, arg);
  luaL_argcheck(L, i >= 1 && (lua_Unsigned)i <= h->n, arg,
                "hit out of range");
  return (size_t)i - 1;
}


/* The matches of hit i: h->ov from *from to *to (exclusive), in matches. */
static void matchrange (const dfl_Hits *h, size_t i, size_t *from,
                        size_t *to) {
  *from = h->first[i];
  *to = i + 1 < h->n ? h->first[i + 1] : h->nmatches;
}


/* The corpus the hits at index 1 keep; raises once the db was closed. */
static df_corpus *opencorpus (lua_State *L) {
  dfl_Corpus *c;
  lua_getiuservalue(L, 1, UV_CORPUS);
  c = (dfl_Corpus *)lua_touserdata(L, -1);
  lua_pop(L, 1);  /* the userdata keeps it alive */
  if (c == NULL || c->corpus == NULL)
    dfl_error(L, "attempt to use a closed db");
  return c->corpus;
}


/* The fact of hit i, from the corpus the hits keep. */
static df_fact factof (lua_State *L, const dfl_Hits *h, size_t i) {
  df_fact fact;
  if (df_corpus_fact(opencorpus(L), h->ids[i], &fact, NULL) != DF_OK)
    dfl_error(L, "fact %d is not in the corpus", (int)h->ids[i]);
  return fact;
}


static int hits_len (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)checkhits(L)->n);
  return 1;
}


static int hits_id (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  lua_pushinteger(L, (lua_Integer)h->ids[checkhit(L, h, 2)]);
  return 1;
}


static int hits_ids (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  size_t i;
  lua_createtable(L, h->n < INT_MAX ? (int)h->n : INT_MAX, 0);
  for (i = 0; i < h->n; i++) {
    lua_pushinteger(L, (lua_Integer)h->ids[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}


static int hits_count (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)checkhits(L)->nmatches);
  return 1;
}


static int hits_matches (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  size_t from, to;
  matchrange(h, checkhit(L, h, 2), &from, &to);
  lua_pushinteger(L, (lua_Integer)(to - from));
  return 1;
}


static int hits_span (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  size_t from, to;
  lua_Integer j;
  const size_t *ov;
  matchrange(h, checkhit(L, h, 2), &from, &to);
  j = luaL_checkinteger(L, 3);
  luaL_argcheck(L, j >= 1 && (lua_Unsigned)j <= to - from, 3,
                "match out of range");
  ov = h->ov + (from + (size_t)j - 1) * h->width;
  lua_pushinteger(L, (lua_Integer)ov[0] + 1);
  lua_pushinteger(L, (lua_Integer)ov[1]);
  return 2;
}


static int hits_text (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  df_fact fact = factof(L, h, checkhit(L, h, 2));
  lua_pushlstring(L, fact.text, fact.len);
  return 1;
}


static int hits_location (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  df_fact fact = factof(L, h, checkhit(L, h, 2));
  lua_pushstring(L, fact.source);
  lua_pushinteger(L, (lua_Integer)fact.line);
  return 2;
}


/*
** h:hit(i) --> {id =, matches = {{s =, e =, text =, groups =}...}}, the
** table core.search makes for the same hit.
*/
static int hits_hit (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  size_t i = checkhit(L, h, 2), from, to, k;
  df_fact fact = factof(L, h, i);
  dfl_MatchState ms;
  dfl_Regex *re;
  matchrange(h, i, &from, &to);
  lua_getiuservalue(L, 1, UV_REGEX);
  re = (dfl_Regex *)lua_touserdata(L, -1);
  if (re != NULL) {
    if (re->regex == NULL)
      dfl_error(L, "attempt to use a finalized regex");
    dfl_prepstate(L, &ms, re, fact.text, fact.len);
  }
  lua_createtable(L, 0, 2);
  lua_pushinteger(L, (lua_Integer)h->ids[i]);
  lua_setfield(L, -2, "id");
  lua_createtable(L, (int)(to - from), 0);
  for (k = from; k < to; k++) {
    if (re != NULL) {
      dfl_setmatch(&ms, h->ov + k * h->width);
      dfl_pushmatch(&ms);
    }
    else
      dfl_pushspan(L, &fact, h->ov[2 * k], h->ov[2 * k + 1]);
    lua_rawseti(L, -2, (lua_Integer)(k - from) + 1);
  }
  lua_setfield(L, -2, "matches");
  return 1;
}


/* A new hits userdata like h, with room for n hits and 'matches' matches,
** on top of the stack; h is at 1. */
static dfl_Hits *sibling (lua_State *L, const dfl_Hits *h, size_t n,
                          size_t matches) {
  dfl_Hits *out = (dfl_Hits *)lua_newuserdatauv(L, sizeof(dfl_Hits), 2);
  memset(out, 0, sizeof *out);
  out->width = h->width;
  luaL_setmetatable(L, DFL_HITS);
  lua_getiuservalue(L, 1, UV_CORPUS);
  lua_setiuservalue(L, -2, UV_CORPUS);
  lua_getiuservalue(L, 1, UV_REGEX);
  lua_setiuservalue(L, -2, UV_REGEX);
  reserve(L, (void **)&out->ids, &out->idcap, n, sizeof *out->ids);
  reserve(L, (void **)&out->first, &out->firstcap, n, sizeof *out->first);
  reserve(L, (void **)&out->ov, &out->ovcap, matches * h->width,
          sizeof *out->ov);
  return out;
}


/* Append hit i of h to out (which has room for it). */
static void copyhit (dfl_Hits *out, const dfl_Hits *h, size_t i) {
  size_t from, to;
  matchrange(h, i, &from, &to);
  out->ids[out->n] = h->ids[i];
  out->first[out->n] = out->nmatches;
  out->n++;
  if (to > from)  /* an empty hit's arrays may be NULL */
    memcpy(out->ov + out->nmatches * h->width, h->ov + from * h->width,
           (to - from) * h->width * sizeof *h->ov);
  out->nmatches += to - from;
}


typedef struct SortKey {
  size_t key, pos;
} SortKey;


/* by key, then by position: a stable order from qsort */
static int bykey (const void *a, const void *b) {
  const SortKey *x = (const SortKey *)a, *y = (const SortKey *)b;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->pos < y->pos ? -1 : x->pos > y->pos;
}


/*
** h:sorted(key) --> new hits in the order of "id" or "length" (of the
** fact's text, in bytes), ascending; ties keep their order.
*/
static int hits_sorted (lua_State *L) {
  static const char *const keys[] = {"id", "length", NULL};
  dfl_Hits *h = checkhits(L);
  int bylength = luaL_checkoption(L, 2, NULL, keys);
  SortKey *order;
  dfl_Hits *out;
  size_t i;
  lua_settop(L, 2);
  order = (SortKey *)lua_newuserdatauv(L, h->n * sizeof(SortKey) + 1, 0);
  for (i = 0; i < h->n; i++) {
    order[i].key = bylength ? factof(L, h, i).len : h->ids[i];
    order[i].pos = i;
  }
  if (h->n > 1)
    qsort(order, h->n, sizeof *order, bykey);
  out = sibling(L, h, h->n, h->nmatches);
  for (i = 0; i < h->n; i++)
    copyhit(out, h, order[i].pos);
  return 1;
}


/* h:head(n) --> new hits: the first n of h (all of them when fewer) */
static int hits_head (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  lua_Integer want = luaL_checkinteger(L, 2);
  size_t n = want < 0 ? 0 : (lua_Unsigned)want < h->n ? (size_t)want : h->n;
  size_t i;
  dfl_Hits *out;
  luaL_argcheck(L, want >= 0, 2, "negative count");
  out = sibling(L, h, n, n < h->n ? h->first[n] : h->nmatches);
  for (i = 0; i < n; i++)
    copyhit(out, h, i);
  return 1;
}


typedef struct Cursor {
  lua_State *L;
  const dfl_Hits *h;
  size_t i;      /* the next hit */
  size_t *pairs; /* group 0's spans of a hit, when the regex has groups */
} Cursor;


/* dfl_writehits's source: the hits in order. */
static int nexthit (void *ud, df_fact *fact, const size_t **spans,
                    size_t *count) {
  Cursor *c = (Cursor *)ud;
  const dfl_Hits *h = c->h;
  size_t from, to, k;
  if (c->i == h->n)
    return 0;
  *fact = factof(c->L, h, c->i);
  matchrange(h, c->i++, &from, &to);
  *count = to - from;
  if (to == from)
    *spans = NULL;
  else if (h->width == 2)  /* no groups: the offsets are the pairs */
    *spans = h->ov + 2 * from;
  else {
    for (k = from; k < to; k++) {
      c->pairs[2 * (k - from)] = h->ov[k * h->width];
      c->pairs[2 * (k - from) + 1] = h->ov[k * h->width + 1];
    }
    *spans = c->pairs;
  }
  return 1;
}


/*
** h:write(file, opts) --> true, or fail, the message and errno: every hit
** written to the io file as core.search_file writes a file's hits, with
** its options (style, sources, highlight, header, footer).
*/
static int hits_write (lua_State *L) {
  dfl_Hits *h = checkhits(L);
  FILE *out = dfl_checkfile(L, 2);
  Cursor c;
  size_t i, most = 0;
  luaL_checktype(L, 3, LUA_TTABLE);
  opencorpus(L);  /* a closed db raises before a byte is written */
  for (i = 0; i < h->n; i++) {
    size_t from, to;
    matchrange(h, i, &from, &to);
    if (to - from > most)
      most = to - from;
  }
  c.L = L;
  c.h = h;
  c.i = 0;
  c.pairs = (size_t *)lua_newuserdatauv(L, 2 * most * sizeof(size_t) + 1, 0);
  return dfl_writehits(L, out, 3, nexthit, &c);
}


static const luaL_Reg methods[] = {
  {"id", hits_id},
  {"ids", hits_ids},
  {"count", hits_count},
  {"matches", hits_matches},
  {"span", hits_span},
  {"text", hits_text},
  {"location", hits_location},
  {"hit", hits_hit},
  {"sorted", hits_sorted},
  {"head", hits_head},
  {"write", hits_write},
  {NULL, NULL}
};


void dfl_open_hits (lua_State *L) {
  luaL_newmetatable(L, DFL_HITS);
  lua_pushcfunction(L, hits_gc);
  lua_setfield(L, -2, "__gc");
  lua_pushcfunction(L, hits_len);
  lua_setfield(L, -2, "__len");
  lua_createtable(L, 0, sizeof methods / sizeof methods[0] - 1);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");
  lua_pop(L, 1);
}
