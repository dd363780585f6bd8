/*
** Corpus userdata and the ways to make one: the embedded corpus, a file,
** files and directories, a string; and counting in a file without making
** one.  A corpus is
** closed by c:close(), by a to-be-closed variable going out of scope, or by
** the collector; after that any use raises an error, as a closed file does
** in liolib.c.
*/

#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core.h"


#define tolcorpus(L, i) ((dfl_Corpus *)luaL_checkudata(L, i, DFL_CORPUS))


dfl_Corpus *dfl_checkcorpusud (lua_State *L, int arg) {
  dfl_Corpus *c = tolcorpus(L, arg);
  if (c->corpus == NULL)
    dfl_error(L, "attempt to use a closed corpus");
  return c;
}


df_corpus *dfl_checkcorpus (lua_State *L, int arg) {
  return dfl_checkcorpusud(L, arg)->corpus;
}


df_fact_id dfl_checkfactid (lua_State *L, const df_corpus *corpus, int arg) {
  lua_Integer id = luaL_checkinteger(L, arg);
  luaL_argcheck(L, id >= 1 && (lua_Unsigned)id <= df_corpus_count(corpus),
                arg, "fact id out of range");
  return (df_fact_id)id;
}


/*
** A closed corpus userdata, so that the collector frees what a loader puts
** in it even if something raises an error before the loader returns.
*/
static dfl_Corpus *newcorpus (lua_State *L) {
  dfl_Corpus *c = (dfl_Corpus *)lua_newuserdatauv(L, sizeof(dfl_Corpus), 0);
  c->corpus = NULL;
  c->gazetteer = NULL;
  c->rules = NULL;
  c->index = NULL;
  c->prefilter = NULL;
  c->auto_prefilter = 1;
  c->full_scans = 0;
  luaL_setmetatable(L, DFL_CORPUS);
  return c;
}


/* results of a loader: the corpus on top, or fail and the message */
static int loadresult (lua_State *L, df_status status, const df_error *err) {
  if (status == DF_OK)
    return 1;
  return dfl_fail(L, err->message);
}


static const char *const formatnames[] = {
  "paragraphs", "lines", "fortune", "jsonl", "csv", "tsv", NULL
};
static const df_format formats[] = {
  DF_FORMAT_PARAGRAPHS, DF_FORMAT_LINES, DF_FORMAT_FORTUNE,
  DF_FORMAT_JSONL, DF_FORMAT_CSV, DF_FORMAT_TSV
};


df_format dfl_checkformat (lua_State *L, int arg) {
  return formats[luaL_checkoption(L, arg, "paragraphs", formatnames)];
}


df_format dfl_fieldformat (lua_State *L, int arg) {
  return formats[dfl_fieldoption(L, arg, "format", "paragraphs", formatnames)];
}


/* core.load_embedded() */
static int load_embedded (lua_State *L) {
  dfl_Corpus *c = newcorpus(L);
  df_error err;
  return loadresult(L, df_corpus_load_embedded(&c->corpus, &err), &err);
}


/*
** The load options every loader takes as its arguments 2 (format) and 3
** (max_bytes), and text_field at argument `text_field_arg`.
*/
static df_load_options checkloadargs (lua_State *L, int text_field_arg) {
  df_load_options opts = {DF_FORMAT_PARAGRAPHS, 0, NULL, 0, NULL};
  lua_Integer max_bytes;
  opts.format = dfl_checkformat(L, 2);
  max_bytes = luaL_optinteger(L, 3, 0);  /* 0: the library's default */
  luaL_argcheck(L, max_bytes >= 0, 3, "size must be non-negative");
  opts.max_bytes = (size_t)max_bytes;
  opts.text_field = luaL_optstring(L, text_field_arg, NULL);  /* NULL: "text" */
  return opts;
}


/* core.load_file(path [, format [, max_bytes [, text_field]]]) */
static int load_file (lua_State *L) {
  const char *path = luaL_checkstring(L, 1);
  df_load_options opts = checkloadargs(L, 4);
  dfl_Corpus *c;
  df_error err;
  c = newcorpus(L);
  return loadresult(L, df_corpus_load_file(path, &opts, &c->corpus, &err),
                    &err);
}


/*
** core.count_file(path, regex [, opts]) --> facts, matches
** Counts as core.count would on core.load_file(path, opts.format,
** opts.max_bytes), without loading the file; opts.first: at most one match
** per fact; opts.mmap: map the file instead of reading it (DF_LOAD_MMAP).
** A file that cannot be read gives fail and the message, as load_file
** does; a limit hit while matching is an error, as in core.count.
*/
static int count_file (lua_State *L) {
  df_load_options opts = {DF_FORMAT_PARAGRAPHS, 0, NULL, 0, NULL};
  const char *path = luaL_checkstring(L, 1);
  dfl_Regex *re = dfl_checkregex(L, 2);
  unsigned flags = 0;
  size_t facts, matches;
  df_error err;
  df_status status;
  if (!lua_isnoneornil(L, 3)) {
    luaL_checktype(L, 3, LUA_TTABLE);
    opts.format = dfl_fieldformat(L, 3);
    /* 0: the library's default */
    opts.max_bytes = (size_t)dfl_fieldinteger(L, 3, "max_bytes", 0);
    opts.text_field = dfl_fieldstring(L, 3, "text_field", NULL);
    flags = dfl_fieldboolean(L, 3, "first") ? DF_SEARCH_FIRST_PER_FACT : 0;
    opts.flags = dfl_fieldboolean(L, 3, "mmap") ? DF_LOAD_MMAP : 0;
  }
  status = df_count_file(path, &opts, re->matcher, flags, &facts, &matches,
                         &err);
  if (status == DF_EIO || status == DF_ETOOBIG || status == DF_EUTF8 ||
      status == DF_ERECORD)
    return dfl_fail(L, err.message);
  if (status != DF_OK)
    return dfl_error(L, "%s", err.message);
  lua_pushinteger(L, (lua_Integer)facts);
  lua_pushinteger(L, (lua_Integer)matches);
  return 2;
}


/* The strings of the list at 'arg', in a userdata on the stack (the table
** keeps the strings alive while it does). */
static const char **checkpaths (lua_State *L, int arg, size_t *count) {
  size_t n, i;
  const char **paths;
  luaL_checktype(L, arg, LUA_TTABLE);
  n = (size_t)lua_rawlen(L, arg);
  paths = (const char **)lua_newuserdatauv(L, n * sizeof(char *) + 1, 0);
  for (i = 0; i < n; i++) {
    if (lua_rawgeti(L, arg, (lua_Integer)i + 1) != LUA_TSTRING)
      luaL_argerror(L, arg, lua_pushfstring(L, "path %I is not a string",
                                            (LUA_INTEGER)i + 1));
    paths[i] = lua_tostring(L, -1);
    lua_pop(L, 1);
  }
  *count = n;
  return paths;
}


/* core.load_paths(paths [, format [, max_bytes [, text_field]]]): files
** and directories */
static int load_paths (lua_State *L) {
  size_t n;
  const char **paths = checkpaths(L, 1, &n);
  df_load_options opts = checkloadargs(L, 4);
  dfl_Corpus *c;
  df_error err;
  c = newcorpus(L);
  return loadresult(L, df_corpus_load_paths(paths, n, &opts, &c->corpus, &err),
                    &err);
}


/* A list of files in a box whose __gc frees it, so that an error while it
** becomes a Lua table does not leak it. */
typedef struct dfl_Files {
  char **files;
  size_t count;
} dfl_Files;

static int files_gc (lua_State *L) {
  dfl_Files *box = (dfl_Files *)luaL_checkudata(L, 1, DFL_FILES);
  df_paths_free(box->files, box->count);
  box->files = NULL;
  box->count = 0;
  return 0;
}


/* core.expand_paths(paths) --> {file...}, or fail and a message */
static int expand_paths (lua_State *L) {
  size_t n, i;
  const char **paths = checkpaths(L, 1, &n);
  dfl_Files *box = (dfl_Files *)lua_newuserdatauv(L, sizeof(dfl_Files), 0);
  df_error err;
  box->files = NULL;
  box->count = 0;
  luaL_setmetatable(L, DFL_FILES);
  if (df_paths_expand(paths, n, &box->files, &box->count, &err) != DF_OK) {
    luaL_pushfail(L);
    lua_pushstring(L, err.message);
    return 2;
  }
  lua_createtable(L, (int)box->count, 0);
  for (i = 0; i < box->count; i++) {
    lua_pushstring(L, box->files[i]);
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}


/* core.load_string(text [, format [, name [, text_field]]]) */
static int load_string (lua_State *L) {
  df_load_options opts = {DF_FORMAT_PARAGRAPHS, 0, NULL, 0, NULL};
  size_t len;
  const char *text = luaL_checklstring(L, 1, &len);
  dfl_Corpus *c;
  df_error err;
  opts.format = dfl_checkformat(L, 2);
  opts.name = luaL_optstring(L, 3, NULL);  /* NULL: "<buffer>" */
  opts.text_field = luaL_optstring(L, 4, NULL);  /* NULL: "text" */
  c = newcorpus(L);
  return loadresult(L, df_corpus_load_buffer(text, len, &opts, &c->corpus,
                                             &err), &err);
}


/*
** core.load_stream(file [, format [, max_bytes [, name [, text_field]]]])
** Reads an io library file (io.stdin, a pipe from io.popen, a FIFO) from
** where it stands to its end, through its own buffer, stopping at
** max_bytes: memory follows the limit, not the input.  The file stays open.
*/
static int load_stream (lua_State *L) {
  FILE *stream = dfl_checkfile(L, 1);
  df_load_options opts = checkloadargs(L, 5);
  dfl_Corpus *c;
  df_error err;
  opts.name = luaL_optstring(L, 4, NULL);  /* NULL: "<stream>" */
  c = newcorpus(L);
  return loadresult(L, df_corpus_load_stream(stream, &opts, &c->corpus, &err),
                    &err);
}


/*
** core.file_size(path) --> bytes of a regular file, or nil for anything
** else (a FIFO, a device, a missing file).  Asks stat, never opens: opening
** a FIFO to measure it would block, or take its writer's data.
*/
static int file_size (lua_State *L) {
  struct stat st;
  const char *path = luaL_checkstring(L, 1);
  if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
    lua_pushinteger(L, (lua_Integer)st.st_size);
  else
    luaL_pushfail(L);
  return 1;
}


/* the fact at 'arg': an id in 1..#c */
static df_fact checkfact (lua_State *L, const df_corpus *corpus, int arg) {
  df_fact fact;
  df_corpus_fact(corpus, dfl_checkfactid(L, corpus, arg), &fact, NULL);
  return fact;
}


static int c_text (lua_State *L) {
  df_fact fact = checkfact(L, dfl_checkcorpus(L, 1), 2);
  lua_pushlstring(L, fact.text, fact.len);
  return 1;
}


/*
** corpus:longest(n) --> the ids of the n longest facts, longest first (by
** bytes; the lower id first among equals).  For a report's section of long
** facts without a fact object per fact of the corpus.
*/
static int c_longest (lua_State *L) {
  df_corpus *corpus = dfl_checkcorpus(L, 1);
  lua_Integer want = luaL_checkinteger(L, 2);
  size_t total = df_corpus_count(corpus);
  size_t n = want < 0 ? 0 : (size_t)want < total ? (size_t)want : total;
  size_t *len = (size_t *)lua_newuserdatauv(L, (n + 1) * 2 * sizeof(size_t), 0);
  size_t *id = len + n + 1, kept = 0;
  for (size_t i = 1; i <= total && n > 0; i++) {
    df_fact fact;
    if (df_corpus_fact(corpus, (df_fact_id)i, &fact, NULL) != DF_OK)
      break;
    if (kept == n && fact.len <= len[n - 1])
      continue;
    size_t at = kept < n ? kept++ : n - 1;  /* the shortest kept goes */
    while (at > 0 && len[at - 1] < fact.len) {
      len[at] = len[at - 1];
      id[at] = id[at - 1];
      at--;
    }
    len[at] = fact.len;
    id[at] = i;
  }
  lua_createtable(L, (int)kept, 0);
  for (size_t k = 0; k < kept; k++) {
    lua_pushinteger(L, (lua_Integer)id[k]);
    lua_rawseti(L, -2, (lua_Integer)(k + 1));
  }
  return 1;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGH (ONES * 0x80)

/* Bit 7 of each byte of w set where the byte is ASCII white space (' ',
** '\t' to '\r'); exact per byte: no carry crosses into the next byte. */
static uint64_t white_bytes (uint64_t w) {
  uint64_t low = w & ~HIGH;
  uint64_t x = w ^ (ONES * ' ');
  uint64_t blank = ~(((x & ~HIGH) + ~HIGH) | x) & HIGH;
  uint64_t from_tab = (low + ONES * (0x80 - '\t')) & HIGH;
  uint64_t past_cr = (low + ONES * (0x80 - '\r' - 1)) & HIGH;
  return (blank | (from_tab & ~past_cr)) & ~w & HIGH;
}

#if defined(__SSE2__)
/* Bit k set where s[k] of s[0..16) is ASCII white space. */
static unsigned white_mask16 (const unsigned char *s) {
  __m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
  __m128i blank = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
  /* '\t' to '\r': the byte less '\t', wrapping, is at most 4. */
  __m128i over = _mm_subs_epu8(_mm_sub_epi8(v, _mm_set1_epi8('\t')), _mm_set1_epi8(4));
  __m128i control = _mm_cmpeq_epi8(over, _mm_setzero_si128());
  return (unsigned)_mm_movemask_epi8(_mm_or_si128(blank, control));
}

/* The bits set in x, below 2^16.  By halves, quarters and bytes: without
** -mpopcnt, __builtin_popcount is a call into libgcc. */
static unsigned bit_count16 (unsigned x) {
  x = x - ((x >> 1) & 0x5555u);
  x = (x & 0x3333u) + ((x >> 2) & 0x3333u);
  x = (x + (x >> 4)) & 0x0F0Fu;
  return (x + (x >> 8)) & 0x1Fu;
}

/* The word starts of s[i..) up to its last whole 16 bytes, as count_words
** counts them; *at is where it stopped.  Sixteen bytes a step: a start is a
** byte that is not white with a white one before it (the carry: the last
** byte of the step before). */
static size_t count_words_sse2 (const unsigned char *s, size_t len, size_t *at) {
  size_t words = 0, i = *at;
  unsigned carry = (white_bytes(s[i - 1]) >> 7) & 1;
  for (; i + 16 <= len; i += 16) {
    unsigned white = white_mask16(s + i);
    unsigned starts = ~white & ((white << 1) | carry) & 0xFFFFu;
    words += bit_count16(starts);
    carry = white >> 15;
  }
  *at = i;
  return words;
}
#endif

/* The runs of bytes other than white space in s[0..len): the bytes that
** are not white space and follow white space or the start.  Sixteen at a
** time with SSE2, else eight: the word at s + i - 1 lines each byte up with
** the one before it, whatever the byte order. */
static size_t count_words (const unsigned char *s, size_t len) {
  size_t words = 0, i = 1;
  if (len == 0)
    return 0;
  words += !(white_bytes(s[0]) & 0x80);
#if defined(__SSE2__)
  words += count_words_sse2(s, len, &i);
#endif
  for (; i + 8 <= len; i += 8) {
    uint64_t here, before;
    memcpy(&here, s + i, 8);
    memcpy(&before, s + i - 1, 8);
    uint64_t starts = ~white_bytes(here) & white_bytes(before) & HIGH;
    words += (size_t)((((starts >> 7) * ONES) >> 56) & 0xFF);
  }
  for (; i < len; i++)
    words += !(white_bytes(s[i]) & 0x80) && (white_bytes(s[i - 1]) & 0x80);
  return words;
}

/*
** corpus:text_stats() --> {bytes =, words =, longest =, shortest =}: the
** facts' bytes, their words (runs of bytes other than ASCII white space,
** as Lua's "%S+" counts them) and the ids of the first longest and the
** first shortest fact in bytes (absent without facts).  One pass in C, for
** `stats` without a fact object per fact.
*/
static int c_text_stats (lua_State *L) {
  df_corpus *corpus = dfl_checkcorpus(L, 1);
  size_t total = df_corpus_count(corpus), words = 0, bytes = 0;
  size_t longest = 0, shortest = 0, longest_len = 0, shortest_len = 0;
  for (size_t i = 1; i <= total; i++) {
    df_fact fact;
    if (df_corpus_fact(corpus, (df_fact_id)i, &fact, NULL) != DF_OK)
      break;
    words += count_words((const unsigned char *)fact.text, fact.len);
    bytes += fact.len;
    if (longest == 0 || fact.len > longest_len)
      longest = i, longest_len = fact.len;
    if (shortest == 0 || fact.len < shortest_len)
      shortest = i, shortest_len = fact.len;
  }
  lua_createtable(L, 0, 4);
  lua_pushinteger(L, (lua_Integer)bytes);
  lua_setfield(L, -2, "bytes");
  lua_pushinteger(L, (lua_Integer)words);
  lua_setfield(L, -2, "words");
  if (longest > 0) {
    lua_pushinteger(L, (lua_Integer)longest);
    lua_setfield(L, -2, "longest");
    lua_pushinteger(L, (lua_Integer)shortest);
    lua_setfield(L, -2, "shortest");
  }
  return 1;
}


static int c_line (lua_State *L) {
  df_fact fact = checkfact(L, dfl_checkcorpus(L, 1), 2);
  lua_pushinteger(L, (lua_Integer)fact.line);
  return 1;
}


/* c:source(id) --> the file fact id came from */
static int c_source (lua_State *L) {
  df_fact fact = checkfact(L, dfl_checkcorpus(L, 1), 2);
  lua_pushstring(L, fact.source);
  return 1;
}


/* A list of the corpus's names (sources, fields) as a Lua sequence. */
static int pushnames (lua_State *L, const df_corpus *corpus, size_t n,
                      const char *(*name)(const df_corpus *, size_t)) {
  size_t i;
  lua_createtable(L, (int)n, 0);
  for (i = 0; i < n; i++) {
    lua_pushstring(L, name(corpus, i));
    lua_rawseti(L, -2, (lua_Integer)i + 1);
  }
  return 1;
}


/* c:sources() --> {file...}, in load order */
static int c_sources (lua_State *L) {
  const df_corpus *corpus = dfl_checkcorpus(L, 1);
  return pushnames(L, corpus, df_corpus_source_count(corpus), df_corpus_source);
}


/* c:fields() --> {name...}: the fields of records, in order */
static int c_fields (lua_State *L) {
  const df_corpus *corpus = dfl_checkcorpus(L, 1);
  return pushnames(L, corpus, df_corpus_field_count(corpus), df_corpus_field_name);
}


/* A field's value as Lua has it: a number as Lua reads its text (an
** integer stays one where Lua has integers), null as the value at index
** 'null', an array or an object decoded by the function at 'decode'. */
static void pushfield (lua_State *L, const df_field_value *v, int null,
                       int decode) {
  switch (v->type) {
    case DF_FIELD_STRING:
      lua_pushlstring(L, v->text, v->len);
      break;
    case DF_FIELD_NUMBER:
      if (lua_stringtonumber(L, v->text) == 0)  /* JSON numbers are Lua's */
        lua_pushlstring(L, v->text, v->len);
      break;
    case DF_FIELD_BOOLEAN:
      lua_pushboolean(L, v->text[0] == 't');
      break;
    case DF_FIELD_NULL:
      lua_pushvalue(L, null);
      break;
    case DF_FIELD_JSON:
      lua_pushvalue(L, decode);
      lua_pushlstring(L, v->text, v->len);
      lua_call(L, 1, 1);
      break;
    case DF_FIELD_ABSENT:
      lua_pushnil(L);
      break;
  }
}


/* c:field_values(id, null, decode) --> {name = value...}: fact id's fields
** but the absent ones (see pushfield) */
static int c_field_values (lua_State *L) {
  const df_corpus *corpus = dfl_checkcorpus(L, 1);
  df_fact_id id = dfl_checkfactid(L, corpus, 2);
  size_t n = df_corpus_field_count(corpus), i;
  luaL_checkany(L, 3);
  luaL_checktype(L, 4, LUA_TFUNCTION);
  lua_createtable(L, 0, (int)n);
  for (i = 0; i < n; i++) {
    df_field_value v;
    df_fact_field(corpus, id, i, &v, NULL);
    if (v.type == DF_FIELD_ABSENT)
      continue;
    pushfield(L, &v, 3, 4);
    lua_setfield(L, -2, df_corpus_field_name(corpus, i));
  }
  return 1;
}


static int c_name (lua_State *L) {
  lua_pushstring(L, df_corpus_name(dfl_checkcorpus(L, 1)));
  return 1;
}


static int c_bytes (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)df_corpus_bytes(dfl_checkcorpus(L, 1)));
  return 1;
}


static int c_len (lua_State *L) {
  lua_pushinteger(L, (lua_Integer)df_corpus_count(dfl_checkcorpus(L, 1)));
  return 1;
}


/* free the corpus and its index and prefilter, which borrow it */
static void freecorpus (dfl_Corpus *c) {
  dfl_freeindex(c);
  df_prefilter_free(c->prefilter);
  c->prefilter = NULL;
  df_corpus_free(c->corpus);
  c->corpus = NULL;
}


static int c_close (lua_State *L) {
  /* closing twice is an error, as for files */
  freecorpus(dfl_checkcorpusud(L, 1));
  return 0;
}


/* __gc and __close: quietly, whether closed or not */
static int c_gc (lua_State *L) {
  freecorpus(tolcorpus(L, 1));
  return 0;
}


/* c:build_prefilter(): build the trigram prefilter, once */
static int c_build_prefilter (lua_State *L) {
  dfl_Corpus *c = dfl_checkcorpusud(L, 1);
  df_error err;
  if (c->prefilter == NULL &&
      df_prefilter_build(c->corpus, &c->prefilter, &err) != DF_OK)
    return dfl_error(L, "cannot build the prefilter: %s", err.message);
  return 0;
}


/* c:auto_prefilter(flag): whether scans may build the prefilter */
static int c_auto_prefilter (lua_State *L) {
  dfl_Corpus *c = dfl_checkcorpusud(L, 1);
  luaL_checktype(L, 2, LUA_TBOOLEAN);
  c->auto_prefilter = lua_toboolean(L, 2);
  return 0;
}


const df_prefilter *dfl_prefilter (dfl_Corpus *c, const df_regex *re) {
  df_error err;
  if (c->prefilter != NULL || !c->auto_prefilter ||
      df_corpus_bytes(c->corpus) < DFL_AUTO_PREFILTER_BYTES ||
      !df_regex_has_literals(re))
    return c->prefilter;
  if (c->full_scans++ == 0)
    return NULL;
  if (df_prefilter_build(c->corpus, &c->prefilter, &err) != DF_OK)
    c->auto_prefilter = 0;
  return c->prefilter;
}


/* c:prefilter_memory() --> bytes the prefilter holds, 0 without one */
static int c_prefilter_memory (lua_State *L) {
  dfl_Corpus *c = dfl_checkcorpusud(L, 1);
  lua_pushinteger(L, (lua_Integer)df_prefilter_memory(c->prefilter));
  return 1;
}


static int c_tostring (lua_State *L) {
  dfl_Corpus *c = tolcorpus(L, 1);
  if (c->corpus == NULL)
    lua_pushliteral(L, "drivefacts.corpus (closed)");
  else
    lua_pushfstring(L, "drivefacts.corpus: %s (%I facts)",
                    df_corpus_name(c->corpus),
                    (LUA_INTEGER)df_corpus_count(c->corpus));
  return 1;
}


static const luaL_Reg methods[] = {
  {"text", c_text},
  {"line", c_line},
  {"longest", c_longest},
  {"text_stats", c_text_stats},
  {"source", c_source},
  {"sources", c_sources},
  {"fields", c_fields},
  {"field_values", c_field_values},
  {"name", c_name},
  {"bytes", c_bytes},
  {"close", c_close},
  {"build_prefilter", c_build_prefilter},
  {"auto_prefilter", c_auto_prefilter},
  {"prefilter_memory", c_prefilter_memory},
  {NULL, NULL}
};


static const luaL_Reg metamethods[] = {
  {"__index", NULL},  /* place holder */
  {"__len", c_len},
  {"__gc", c_gc},
  {"__close", c_gc},
  {"__tostring", c_tostring},
  {NULL, NULL}
};


static const luaL_Reg funcs[] = {
  {"load_embedded", load_embedded},
  {"load_file", load_file},
  {"load_string", load_string},
  {"load_paths", load_paths},
  {"expand_paths", expand_paths},
  {"load_stream", load_stream},
  {"file_size", file_size},
  {"count_file", count_file},
  {NULL, NULL}
};


void dfl_open_corpus (lua_State *L) {
  luaL_newmetatable(L, DFL_FILES);
  lua_pushcfunction(L, files_gc);
  lua_setfield(L, -2, "__gc");
  lua_pop(L, 1);
  luaL_newmetatable(L, DFL_CORPUS);
  luaL_setfuncs(L, metamethods, 0);
  luaL_newlibtable(L, methods);
  luaL_setfuncs(L, methods, 0);
  lua_setfield(L, -2, "__index");  /* metatable.__index = method table */
  lua_pop(L, 1);  /* pop metatable */
  luaL_setfuncs(L, funcs, 0);
}
