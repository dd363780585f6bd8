/*
** The knowledge index of a corpus, as methods of the corpus userdata.
**
**   c:entities()           --> { {name =, kind =, aliases = {...}, count =,
**                                 mentions =}... }  in the index's order
**   c:mentions(name)       --> hits (hits.c) of the facts that mention
**                              it, the mentions as their matches (no
**                              groups), and its canonical name; fail if
**                              no entity has that name or alias (caseless)
**   c:annotate(id)         --> tags, entities, years, films of fact id:
**                              tag names, entity names, years, and
**                              { {title =, year =, film = name or nil}... }
**   c:tags()               --> { {name =, count =}... }  rule order
**   c:tag_facts(name)      --> hits (hits.c, no matches) of the facts
**                              with a tag called name, ignoring ASCII
**                              case, ascending
**   c:entity_facts(list)   --> hits of the facts that mention one of
**                              the entities list names (numbers in the
**                              order of c:entities()), ascending
**   c:numeric_counts(what)  --> {[value] = facts}, facts with none: what
**                              is "length" (characters) or "year" (the
**                              years a fact names, each fact once per year)
**   c:numeric_counts(what, first, width, n) --> {count...}: facts per span
**                              i = min(n, (value - first) // width + 1),
**                              each fact once per span
**   c:duplicates([t [, n]]) --> { {a =, b =, score =, containment =,
**                                 jaccard =, kind =}... }  0 <= t <= 1,
**                              the n best (all by default)
**   c:each_duplicate([t [, n]]) --> an iterator over the same pairs, one
**                              table each, made as it is asked for
**   c:add_entity(kind, name [, aliases])   --> true, or fail and a message
**   c:add_entities(data, name)             --> true, or fail and a message
**   c:add_entities_file(path)              --> true, or fail and a message
**   c:add_tag_rules(data, name)            --> true, or fail and a message
**   c:add_tag_rules_file(path)             --> true, or fail and a message
**   c:add_tag_rule(tag, pattern [, flags]) --> true, or fail and a message
**   c:index_memory()       --> bytes
**   core.profile(name)     --> {name =, entities =, tags =, report =}: the
**                              data of a compiled-in profile; fail if none
**   core.profiles          --> {"drive", ...}
**
** A corpus starts with no entities and no tag rules: a profile's come
** through add_entities and add_tag_rules (the Lua layer applies them).  The
** index is built the first time a method needs it; adding an entity or a
** rule frees it, so the next question builds it again.
*/

#include <float.h>
#include <limits.h>
#include <string.h>

#include "core.h"


/* The entities and rules of 'c', empty at first. */
static void checkdata (lua_State *L, dfl_Corpus *c) {
  df_error err;
  if (c->gazetteer == NULL && df_gazetteer_new(&c->gazetteer, &err) != DF_OK)
    dfl_error(L, "%s", err.message);
  if (c->rules == NULL && df_tag_rules_new(&c->rules, &err) != DF_OK)
    dfl_error(L, "%s", err.message);
}


/* The index of the corpus at 'arg', built if need be. */
static const df_index *checkindex (lua_State *L, int arg) {
  dfl_Corpus *c = dfl_checkcorpusud(L, arg);
  if (c->index == NULL) {
    df_error err;
    checkdata(L, c);
    if (df_index_build(c->corpus, c->gazetteer, c->rules, &c->index,
                       &err) != DF_OK)
      dfl_error(L, "cannot build the index: %s", err.message);
  }
  return c->index;
}


/* The entities and rules of the corpus at 'arg', for a change: the index
** goes, to be built again when next needed. */
static dfl_Corpus *checkchange (lua_State *L, int arg) {
  dfl_Corpus *c = dfl_checkcorpusud(L, arg);
  checkdata(L, c);
  df_index_free(c->index);
  c->index = NULL;
  return c;
}


void dfl_freeindex (dfl_Corpus *c) {
  df_index_free(c->index);
  c->index = NULL;
  df_gazetteer_free(c->gazetteer);
  c->gazetteer = NULL;
  df_tag_rules_free(c->rules);
  c->rules = NULL;
}


/* A getter's failure can only be a bug: the ids were checked before. */
static void checkstatus (lua_State *L, df_status status, const df_error *err) {
  if (status != DF_OK)
    dfl_error(L, "%s", err->message);
}


static df_entity getentity (lua_State *L, const df_index *index, size_t e) {
  df_entity entity;
  df_error err;
  checkstatus(L, df_index_entity(index, e, &entity, &err), &err);
  return entity;
}


static int ix_entities (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  size_t n = df_index_entity_count(index), e, i;
  lua_createtable(L, (int)n, 0);
  for (e = 0; e < n; e++) {
    df_entity entity = getentity(L, index, e);
    lua_createtable(L, 0, 5);
    lua_pushstring(L, entity.name);
    lua_setfield(L, -2, "name");
    lua_pushstring(L, entity.kind);
    lua_setfield(L, -2, "kind");
    lua_createtable(L, (int)entity.alias_count, 0);
    for (i = 0; i < entity.alias_count; i++) {
      lua_pushstring(L, entity.aliases[i]);
      lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "aliases");
    lua_pushinteger(L, (lua_Integer)entity.fact_count);
    lua_setfield(L, -2, "count");
    lua_pushinteger(L, (lua_Integer)entity.mention_count);
    lua_setfield(L, -2, "mentions");
    lua_rawseti(L, -2, (lua_Integer)e + 1);
  }
  return 1;
}


/* c:mentions(name) --> hits (hits.c) whose matches are the mentions,
** canonical name; or fail */
static int ix_mentions (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  size_t len, e, n, i, nm, j;
  const char *name = luaL_checklstring(L, 2, &len);
  const uint32_t *facts;
  const df_mention *mentions;
  df_error err;
  dfl_Hits *h;
  if (df_index_lookup(index, name, len, &e, &err) != DF_OK) {
    luaL_pushfail(L);
    return 1;
  }
  checkstatus(L, df_index_entity_facts(index, e, &facts, &n, &err), &err);
  h = dfl_newhits(L, 1, 0);
  for (i = 0; i < n; i++) {
    checkstatus(L, df_index_fact_mentions(index, facts[i], &mentions, &nm,
                                          &err), &err);
    dfl_addhit(L, h, facts[i]);
    for (j = 0; j < nm; j++)
      if (mentions[j].entity == e) {
        size_t span[2];
        span[0] = mentions[j].start;
        span[1] = mentions[j].end;
        dfl_addspan(L, h, span);
      }
  }
  lua_pushstring(L, getentity(L, index, e).name);
  return 2;
}


/* c:annotate(id) --> tags, entities, years, films */
static int ix_annotate (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  df_fact_id id = dfl_checkfactid(L, df_index_corpus(index), 2);
  const uint32_t *items;
  const uint16_t *years;
  const df_film_ref *refs;
  size_t n, i;
  df_fact fact;
  df_error err;
  checkstatus(L, df_index_fact_tags(index, id, &items, &n, &err), &err);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, df_index_tag_name(index, items[i]));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  checkstatus(L, df_index_fact_entities(index, id, &items, &n, &err), &err);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, getentity(L, index, items[i]).name);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  checkstatus(L, df_index_fact_years(index, id, &years, &n, &err), &err);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushinteger(L, (lua_Integer)years[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  checkstatus(L, df_index_fact_films(index, id, &refs, &n, &err), &err);
  df_corpus_fact(df_index_corpus(index), id, &fact, NULL);
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, fact.text + refs[i].start, refs[i].end - refs[i].start);
    lua_setfield(L, -2, "title");
    lua_pushinteger(L, (lua_Integer)refs[i].year);
    lua_setfield(L, -2, "year");
    if (refs[i].entity != DF_NO_ENTITY) {
      lua_pushstring(L, getentity(L, index, refs[i].entity).name);
      lua_setfield(L, -2, "film");
    }
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 4;
}


static int ix_tags (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  size_t n = df_index_tag_count(index), t, count;
  const uint32_t *facts;
  df_error err;
  lua_createtable(L, (int)n, 0);
  for (t = 0; t < n; t++) {
    checkstatus(L, df_index_tag_facts(index, t, &facts, &count, &err), &err);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, df_index_tag_name(index, t));
    lua_setfield(L, -2, "name");
    lua_pushinteger(L, (lua_Integer)count);
    lua_setfield(L, -2, "count");
    lua_rawseti(L, -2, (lua_Integer)t + 1);
  }
  return 1;
}


/* Push hits (no matches) of the facts in bits, ascending: the corpus at
** 1 keeps them readable, with no Lua value per fact. */
static void pushfacts (lua_State *L, const unsigned char *bits, size_t facts) {
  size_t id;
  dfl_Hits *h = dfl_newhits(L, 1, 0);
  for (id = 1; id <= facts; id++)
    if (bits[(id - 1) / CHAR_BIT] >> ((id - 1) % CHAR_BIT) & 1u)
      dfl_addhit(L, h, id);
}


/* A zeroed set of the index's facts, collected with the stack. */
static unsigned char *newfactset (lua_State *L, const df_index *index) {
  size_t bytes = df_corpus_count(df_index_corpus(index)) / CHAR_BIT + 1;
  unsigned char *bits = (unsigned char *)lua_newuserdatauv(L, bytes, 0);
  memset(bits, 0, bytes);
  return bits;
}


static void addfacts (unsigned char *bits, const uint32_t *facts, size_t n) {
  size_t i;
  for (i = 0; i < n; i++)
    bits[(facts[i] - 1) / CHAR_BIT] |= (unsigned char)(1u << ((facts[i] - 1) % CHAR_BIT));
}


static int asciilower (unsigned char c) {
  return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}


static int sameascii (const char *a, const char *b) {
  for (; *a != '\0' && *b != '\0'; a++, b++)
    if (asciilower((unsigned char)*a) != asciilower((unsigned char)*b))
      return 0;
  return *a == *b;
}


/* c:tag_facts(name) --> hits, as a query's `tagged` step finds them,
** without a fact object per fact */
static int ix_tag_facts (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  const char *name = luaL_checkstring(L, 2);
  size_t t, count;
  const uint32_t *facts;
  df_error err;
  unsigned char *bits = newfactset(L, index);
  for (t = 0; t < df_index_tag_count(index); t++)
    if (sameascii(df_index_tag_name(index, t), name)) {
      checkstatus(L, df_index_tag_facts(index, t, &facts, &count, &err), &err);
      addfacts(bits, facts, count);
    }
  pushfacts(L, bits, df_corpus_count(df_index_corpus(index)));
  return 1;
}


/* c:entity_facts(list) --> hits of the facts mentioning any entity of
** list */
static int ix_entity_facts (lua_State *L) {
  const df_index *index = checkindex(L, 1);
  size_t n = df_index_entity_count(index), count;
  lua_Integer i, len;
  const uint32_t *facts;
  df_error err;
  unsigned char *bits;
  luaL_checktype(L, 2, LUA_TTABLE);
  bits = newfactset(L, index);
  len = (lua_Integer)lua_rawlen(L, 2);
  for (i = 1; i <= len; i++) {
    lua_Integer e;
    lua_rawgeti(L, 2, i);
    e = lua_tointeger(L, -1);
    lua_pop(L, 1);
    luaL_argcheck(L, e >= 1 && (size_t)e <= n, 2, "entity number out of range");
    checkstatus(L, df_index_entity_facts(index, (size_t)e - 1, &facts, &count, &err), &err);
    addfacts(bits, facts, count);
  }
  pushfacts(L, bits, df_corpus_count(df_index_corpus(index)));
  return 1;
}


/* The values of a fact for numeric_counts: its years (the index's,
** ascending, each once) or its length in characters. */
typedef struct FactValues {
  const uint16_t *years;  /* NULL: the length */
  size_t n;
  lua_Integer length;
} FactValues;

static void factvalues (lua_State *L, const df_index *index, int years,
                        df_fact_id id, FactValues *v) {
  df_error err;
  v->years = NULL;
  if (years)
    checkstatus(L, df_index_fact_years(index, id, &v->years, &v->n, &err), &err);
  else {
    df_fact fact;
    size_t i;
    df_corpus_fact(df_index_corpus(index), id, &fact, NULL);
    v->length = 0;
    for (i = 0; i < fact.len; i++)
      v->length += ((unsigned char)fact.text[i] & 0xC0) != 0x80;
    v->n = 1;
  }
}

#define VALUE(v, k)  ((v)->years != NULL ? (lua_Integer)(v)->years[k] : (v)->length)


/* Facts per span: each fact once in each span one of its values falls in
** (its values ascend, so a span's values are neighbours). */
static int spancounts (lua_State *L, const df_index *index, int years) {
  lua_Integer first = luaL_checkinteger(L, 3), width = luaL_checkinteger(L, 4);
  lua_Integer n = luaL_checkinteger(L, 5), *counts;
  size_t facts = df_corpus_count(df_index_corpus(index)), id, k;
  luaL_argcheck(L, width >= 1, 4, "positive width expected");
  luaL_argcheck(L, n >= 1 && n <= INT_MAX, 5, "positive count expected");
  counts = (lua_Integer *)lua_newuserdatauv(L, (size_t)n * sizeof *counts, 0);
  memset(counts, 0, (size_t)n * sizeof *counts);
  for (id = 1; id <= facts; id++) {
    FactValues v;
    lua_Integer last = -1;
    factvalues(L, index, years, (df_fact_id)id, &v);
    for (k = 0; k < v.n; k++) {
      lua_Integer value = VALUE(&v, k);
      lua_Integer span = value < first ? 0 : (value - first) / width;
      if (span > n - 1) span = n - 1;
      if (span != last) counts[span]++;
      last = span;
    }
  }
  lua_createtable(L, (int)n, 0);
  for (k = 0; k < (size_t)n; k++) {
    lua_pushinteger(L, counts[k]);
    lua_rawseti(L, -2, (lua_Integer)k + 1);
  }
  return 1;
}


/* c:numeric_counts(what [, first, width, n]): see the head of the file */
static int ix_numeric_counts (lua_State *L) {
  static const char *const whats[] = {"length", "year", NULL};
  const df_index *index = checkindex(L, 1);
  int years = luaL_checkoption(L, 2, NULL, whats);
  size_t facts = df_corpus_count(df_index_corpus(index)), id, k, without = 0;
  if (!lua_isnoneornil(L, 3))
    return spancounts(L, index, years);
  lua_newtable(L);
  for (id = 1; id <= facts; id++) {
    FactValues v;
    factvalues(L, index, years, (df_fact_id)id, &v);
    without += v.n == 0;
    for (k = 0; k < v.n; k++) {
      lua_Integer value = VALUE(&v, k), count;
      lua_rawgeti(L, -1, value);
      count = lua_tointeger(L, -1) + 1;
      lua_pop(L, 1);
      lua_pushinteger(L, count);
      lua_rawseti(L, -2, value);
    }
  }
  lua_pushinteger(L, (lua_Integer)without);
  return 2;
}


#define DFL_DUPLICATES "drivefacts.duplicates"


/* The pairs df_duplicates_best returns, in a userdata whose __gc frees
** them: an error while they become Lua tables does not leak them, and an
** iterator hands them out one by one. */
typedef struct dupes_box {
  df_duplicate *pairs;
  size_t count, next;
} dupes_box;


static int dupes_gc (lua_State *L) {
  dupes_box *box = (dupes_box *)luaL_checkudata(L, 1, DFL_DUPLICATES);
  df_duplicates_free(box->pairs);
  box->pairs = NULL;
  box->count = box->next = 0;
  return 0;
}


/* The pairs of c:duplicates(t, limit) (arguments 1 to 3) in a new box on
** the stack: 0 asks for every pair with anything shared; the best `limit`
** only, which the core finds at less cost than all. */
static dupes_box *find_duplicates (lua_State *L) {
  const df_corpus *corpus = dfl_checkcorpus(L, 1);
  lua_Number t = luaL_optnumber(L, 2, DF_DEFAULT_DUPLICATE_THRESHOLD);
  lua_Integer limit = luaL_optinteger(L, 3, LUA_MAXINTEGER);
  dupes_box *box;
  df_error err;
  luaL_argcheck(L, t >= 0 && t <= 1, 2, "threshold must be from 0 to 1");
  luaL_argcheck(L, limit >= 0, 3, "limit must be non-negative");
  box = (dupes_box *)lua_newuserdatauv(L, sizeof(dupes_box), 0);
  box->pairs = NULL;
  box->count = box->next = 0;
  luaL_setmetatable(L, DFL_DUPLICATES);
  if (df_duplicates_best(corpus, t > 0 ? (double)t : DBL_MIN,
                         (lua_Unsigned)limit < SIZE_MAX ? (size_t)limit : SIZE_MAX,
                         &box->pairs, &box->count, &err) != DF_OK)
    dfl_error(L, "%s", err.message);
  return box;
}


static void push_pair (lua_State *L, const df_duplicate *pair) {
  lua_createtable(L, 0, 6);
  lua_pushinteger(L, (lua_Integer)pair->a);
  lua_setfield(L, -2, "a");
  lua_pushinteger(L, (lua_Integer)pair->b);
  lua_setfield(L, -2, "b");
  lua_pushnumber(L, (lua_Number)pair->score);
  lua_setfield(L, -2, "score");
  lua_pushnumber(L, (lua_Number)pair->containment);
  lua_setfield(L, -2, "containment");
  lua_pushnumber(L, (lua_Number)pair->jaccard);
  lua_setfield(L, -2, "jaccard");
  lua_pushstring(L, df_duplicate_kind_name(pair->kind));
  lua_setfield(L, -2, "kind");
}


/* c:duplicates([threshold [, limit]]): every pair as a table. */
static int ix_duplicates (lua_State *L) {
  dupes_box *box = find_duplicates(L);
  size_t i;
  lua_createtable(L, box->count < INT_MAX ? (int)box->count : INT_MAX, 0);
  for (i = 0; i < box->count; i++) {
    push_pair(L, &box->pairs[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  df_duplicates_free(box->pairs);  /* now, not at the next collection */
  box->pairs = NULL;
  box->count = 0;
  return 1;
}


/* The iterator of each_duplicate: the next pair, nil after the last (the
** pairs are freed then, not at the next collection). */
static int next_duplicate (lua_State *L) {
  dupes_box *box = (dupes_box *)luaL_checkudata(L, lua_upvalueindex(1), DFL_DUPLICATES);
  if (box->next >= box->count) {
    df_duplicates_free(box->pairs);
    box->pairs = NULL;
    box->count = box->next = 0;
    return 0;
  }
  push_pair(L, &box->pairs[box->next++]);
  return 1;
}


/* c:each_duplicate([threshold [, limit]]): the pairs of c:duplicates, one
** table at a time: the pairs are held in C (40 bytes each), never all as
** tables. */
static int ix_each_duplicate (lua_State *L) {
  find_duplicates(L);
  lua_pushcclosure(L, next_duplicate, 1);
  return 1;
}


/* c:add_entity(kind, name [, aliases]): a bad name or alias is a failure */
static int ix_add_entity (lua_State *L) {
  const char *kindname = luaL_checkstring(L, 2);
  const char *name = luaL_checkstring(L, 3);
  const char **aliases = NULL;
  size_t n = 0, i;
  dfl_Corpus *c;
  df_error err;
  if (!lua_isnoneornil(L, 4)) {
    luaL_checktype(L, 4, LUA_TTABLE);
    n = (size_t)lua_rawlen(L, 4);
    /* + 1: never a zero-sized block */
    aliases = (const char **)lua_newuserdatauv(L, n * sizeof(char *) + 1, 0);
    for (i = 0; i < n; i++) {
      /* the table holds the string, so the pointer stays valid */
      if (lua_rawgeti(L, 4, (lua_Integer)i + 1) != LUA_TSTRING)
        luaL_argerror(L, 4, lua_pushfstring(L, "aliases[%I] is not a string",
                                            (LUA_INTEGER)i + 1));
      aliases[i] = lua_tostring(L, -1);
      lua_pop(L, 1);
    }
  }
  c = checkchange(L, 1);
  switch (df_gazetteer_add(c->gazetteer, kindname, name, aliases, n, &err)) {
    case DF_OK:
      lua_pushboolean(L, 1);
      return 1;
    case DF_ENOMEM:
      return dfl_error(L, "%s", err.message);
    default:  /* a bad kind, name or alias */
      return dfl_fail(L, err.message);
  }
}


/* The results of loading data into the gazetteer or the rules: true, or
** fail and the message (naming the input and the line). */
static int dataresult (lua_State *L, df_status status, const df_error *err) {
  if (status != DF_OK)
    return dfl_fail(L, err->message);
  lua_pushboolean(L, 1);
  return 1;
}


/* Add entities (rules == 0) or tag rules to the corpus at 1, from a string
** and its name at 2 and 3, or from the file at 2: true, or fail and the
** message. */
static int adddata (lua_State *L, int rules, int file) {
  size_t len;
  const char *data = luaL_checklstring(L, 2, &len);
  const char *name = file ? NULL : luaL_checkstring(L, 3);
  dfl_Corpus *c = checkchange(L, 1);
  df_error err;
  df_status status;
  if (file)
    status = rules ? df_tag_rules_add_file(c->rules, data, &err)
                   : df_gazetteer_add_file(c->gazetteer, data, &err);
  else
    status = rules ? df_tag_rules_add_text(c->rules, data, len, name, &err)
                   : df_gazetteer_add_text(c->gazetteer, data, len, name, &err);
  return dataresult(L, status, &err);
}


/* c:add_entities(data, name) --> true, or fail and a message */
static int ix_add_entities (lua_State *L) {
  return adddata(L, 0, 0);
}


/* c:add_tag_rules(data, name) --> true, or fail and a message */
static int ix_add_tag_rules (lua_State *L) {
  return adddata(L, 1, 0);
}


/* c:add_tag_rules_file(path) --> true, or fail and a message */
static int ix_add_tag_rules_file (lua_State *L) {
  return adddata(L, 1, 1);
}


/* c:add_entities_file(path) --> true, or fail and a message */
static int ix_add_entities_file (lua_State *L) {
  return adddata(L, 0, 1);
}


/*
** Try a regex rule on every fact, as the index build will (one match per
** fact, the default limits), before it joins the rules: a rule that hits a
** match or depth limit is refused now, named, instead of failing every
** later build of the index with no way to remove it.  A pattern that does
** not compile is left for df_tag_rules_add_regex to report.  Returns the
** message of the failure (pushed), or NULL.
*/
static const char *tryrule (lua_State *L, const df_corpus *corpus,
                            const char *tag, const char *pattern, size_t len,
                            unsigned flags) {
  df_regex *re;
  df_matcher *m;
  df_error err;
  df_fact_id id, n = (df_fact_id)df_corpus_count(corpus);  /* counts fit */
  if (df_regex_compile(pattern, len, flags, &re, &err) != DF_OK)
    return NULL;
  if (df_matcher_new(re, NULL, &m, &err) != DF_OK) {
    df_regex_free(re);
    dfl_error(L, "%s", err.message);
  }
  for (id = 1; id <= n; id++) {
    df_fact fact;
    df_cursor cursor;
    const size_t *ov;
    df_status status;
    df_corpus_fact(corpus, id, &fact, NULL);
    df_cursor_init(&cursor, 0);
    status = df_matcher_next(m, fact.text, fact.len, &cursor, &ov, &err);
    if (status != DF_OK && status != DF_NOMATCH) {
      df_matcher_free(m);
      df_regex_free(re);
      return lua_pushfstring(L, "tag '%s': fact %I: %s; the rule is not added",
                             tag, (LUA_INTEGER)id, err.message);
    }
  }
  df_matcher_free(m);
  df_regex_free(re);
  return NULL;
}


/* c:add_tag_rule(tag, pattern [, flags]): a bad tag name, pattern or
** flags, or a rule that hits a limit on a fact, is a failure */
static int ix_add_tag_rule (lua_State *L) {
  const char *tag = luaL_checkstring(L, 2);
  size_t len;
  const char *pattern = luaL_checklstring(L, 3, &len);
  unsigned flags;
  const char *problem = dfl_flagproblem(L, 4, &flags);
  dfl_Corpus *c;
  df_error err;
  if (problem != NULL)
    return dfl_fail(L, problem);
  problem = tryrule(L, dfl_checkcorpus(L, 1), tag, pattern, len, flags);
  if (problem != NULL)
    return dfl_fail(L, problem);
  c = checkchange(L, 1);
  switch (df_tag_rules_add_regex(c->rules, tag, pattern, len, flags, &err)) {
    case DF_OK:
      lua_pushboolean(L, 1);
      return 1;
    case DF_EARG:  /* the tag name */
      return dfl_fail(L, err.message);
    case DF_EPATTERN: case DF_EUTF8:  /* "... at offset N" */
      return dfl_fail(L, err.message);
    default:
      return dfl_error(L, "%s", err.message);
  }
}


static int ix_index_memory (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)df_index_memory(checkindex(L, 1)));
  return 1;
}


/* core.profile(name) --> {name =, entities =, tags =, report =} or fail */
static int profile (lua_State *L) {
  df_profile p;
  df_error err;
  df_status status = df_profile_find(luaL_checkstring(L, 1), &p, &err);
  if (status == DF_NOMATCH) {
    luaL_pushfail(L);
    return 1;
  }
  checkstatus(L, status, &err);
  lua_createtable(L, 0, 4);
  lua_pushstring(L, p.name);
  lua_setfield(L, -2, "name");
  lua_pushlstring(L, p.entities, p.entities_len);
  lua_setfield(L, -2, "entities");
  lua_pushlstring(L, p.tags, p.tags_len);
  lua_setfield(L, -2, "tags");
  lua_pushlstring(L, p.report, p.report_len);
  lua_setfield(L, -2, "report");
  return 1;
}


static const luaL_Reg methods[] = {
  {"entities", ix_entities},
  {"mentions", ix_mentions},
  {"annotate", ix_annotate},
  {"tags", ix_tags},
  {"tag_facts", ix_tag_facts},
  {"entity_facts", ix_entity_facts},
  {"numeric_counts", ix_numeric_counts},
  {"duplicates", ix_duplicates},
  {"each_duplicate", ix_each_duplicate},
  {"add_entity", ix_add_entity},
  {"add_entities", ix_add_entities},
  {"add_entities_file", ix_add_entities_file},
  {"add_tag_rules", ix_add_tag_rules},
  {"add_tag_rules_file", ix_add_tag_rules_file},
  {"add_tag_rule", ix_add_tag_rule},
  {"index_memory", ix_index_memory},
  {NULL, NULL}
};


void dfl_open_index (lua_State *L) {
  const char *name;
  size_t i;
  luaL_newmetatable(L, DFL_DUPLICATES);
  lua_pushcfunction(L, dupes_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_getmetatable(L, DFL_CORPUS);
  lua_getfield(L, -1, "__index");  /* the method table */
  luaL_setfuncs(L, methods, 0);
  lua_pop(L, 2);
  lua_pushcfunction(L, profile);
  lua_setfield(L, -2, "profile");
  lua_newtable(L);
  for (i = 0; (name = df_profile_name(i)) != NULL; i++) {
    lua_pushstring(L, name);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  lua_setfield(L, -2, "profiles");
}
