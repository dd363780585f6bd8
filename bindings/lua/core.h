/*
** drivefacts.core — the Lua face of the drivefacts C library (Lua 5.1 to
** 5.4 and LuaJIT, written against 5.4: compat.h gives the rest).
**
** Shared by the module's translation units; not installed.
**   core.c    the module table (luaopen_drivefacts_core)
**   compat.c  the Lua 5.4 API on older Luas (compat.h)
**   corpus.c  corpus userdata and the loaders
**   regex.c   regex userdata, and the match state every matching call uses
**   match.c   find/match/gmatch/gsub/test, after Lua's lstrlib.c, and
**             lrexlib's exec/tfind/split/count
**   search.c  core.search, core.hits and core.count over a corpus
**   hits.c    the hits of a search in C arrays, read hit by hit
**   index.c   the knowledge index of a corpus: entities, tags, duplicates
**   output.c  files written whole or not at all; checking stdout at exit
**   stream.c  core.search_file: a file's hits written out as they are found
**   render.c  one hit written in each output format, as the Lua formatters
**   escape.c  bytes out in blocks, escaped as drivefacts.escape escapes them
*/
#ifndef DRIVEFACTS_LUA_CORE_H
#define DRIVEFACTS_LUA_CORE_H

#include <stddef.h>
#include <stdio.h>

#include "compat.h"  /* lua.h and lauxlib.h, as Lua 5.4 has them */

#include "drivefacts.h"

#if defined(__GNUC__)
#define DFL_EXPORT __attribute__((visibility("default")))
#else
#define DFL_EXPORT
#endif

#define DFL_CORPUS "drivefacts.corpus"
#define DFL_REGEX "drivefacts.regex"
#define DFL_CANDIDATES "drivefacts.candidates"  /* search.c's box */
#define DFL_FILES "drivefacts.files"  /* corpus.c's box */
#define DFL_HITS "drivefacts.hits"

/*
** Raise a runtime error (not about an argument) without luaL_error's
** position: these functions are mostly called by the Lua layer, whose file
** and line would only mislead the user reading the message.
*/
int dfl_error (lua_State *L, const char *fmt, ...);

/*
** An expected failure as data, for the Lua layer to frame: pushes fail and
** the message; returns 2, the number of values pushed.
*/
int dfl_fail (lua_State *L, const char *message);

/*
** Fields of the options table at 'arg', checked as luaL_checkoption,
** luaL_optinteger and luaL_optlstring check an argument (absent or nil:
** the default); an error names the argument and the field: "bad argument
** #4 to 'search_file' (option 'style': invalid option 'bogus')".  An
** integer below 'min' is out of range; a string stays alive in the table.
*/
int dfl_fieldoption(lua_State *L, int arg, const char *field, const char *def,
                    const char *const lst[]);
lua_Integer dfl_fieldinteger(lua_State *L, int arg, const char *field,
                             lua_Integer min);
const char *dfl_fieldstring(lua_State *L, int arg, const char *field,
                            size_t *len);
/* A field's truth, as Lua sees it: only nil and false are false. */
int dfl_fieldboolean(lua_State *L, int arg, const char *field);

/* ------------------------------------------------------------ corpus.c */

/*
** A corpus userdata.  It owns the corpus and, once something asks for it,
** the knowledge index with the entities and tag rules it is built from
** (index.c): adding an entity or a rule frees the index, and the next
** question builds it again.  It also owns the trigram prefilter, once
** c:build_prefilter() or the second full scan made it (dfl_prefilter);
** core.search and core.count then use it.
*/
typedef struct dfl_Corpus {
  df_corpus *corpus;        /* NULL once closed */
  df_gazetteer *gazetteer;  /* NULL until the index is first needed */
  df_tag_rules *rules;      /* NULL until the index is first needed */
  df_index *index;          /* NULL until needed, and after a change */
  df_prefilter *prefilter;  /* NULL until built */
  int auto_prefilter;       /* 0 after c:auto_prefilter(false) */
  int full_scans;           /* scans of every fact that a prefilter could
                               have narrowed, while there was none */
} dfl_Corpus;

/*
** The prefilter for a search of every fact by 're', or NULL to scan them
** all.  Unless c:auto_prefilter(false) said no, a corpus of at least
** DFL_AUTO_PREFILTER_BYTES builds its prefilter on the second scan that the
** prefilter could have narrowed (the pattern has literals): the first
** question may be the only one, a second says more will come, and from
** then on selective questions skip what cannot match.  A build that fails
** (memory) turns the policy off and the question scans: an optimisation
** never fails a search.
*/
#define DFL_AUTO_PREFILTER_BYTES  ((size_t)1 << 20)
const df_prefilter *dfl_prefilter (dfl_Corpus *c, const df_regex *re);

/* Register the corpus metatable and the loaders into the table on top. */
void dfl_open_corpus(lua_State *L);

/* The corpus format named at 'arg' ("paragraphs", "lines", "fortune"). */
df_format dfl_checkformat(lua_State *L, int arg);

/* The field 'format' of the options table at 'arg' (see dfl_fieldoption). */
df_format dfl_fieldformat(lua_State *L, int arg);
/* The corpus userdata at 'arg'; raises if it is not a corpus or is closed. */
dfl_Corpus *dfl_checkcorpusud(lua_State *L, int arg);

/* The corpus at 'arg'; raises if it is not a corpus or is closed. */
df_corpus *dfl_checkcorpus(lua_State *L, int arg);

/* The fact id at 'arg', an integer in 1..#corpus; raises otherwise. */
df_fact_id dfl_checkfactid(lua_State *L, const df_corpus *corpus, int arg);

/* ------------------------------------------------------------- regex.c */

typedef struct dfl_Regex {
  df_regex *regex;      /* NULL only after __gc */
  df_matcher *matcher;  /* scratch space shared by every call on this regex */
} dfl_Regex;

/* Register the regex metatable, core.regex and core.is_regex. */
void dfl_open_regex(lua_State *L);

/* The regex flags at 'arg': a string of letters of "imsxFw", or none. */
unsigned dfl_checkflags(lua_State *L, int arg);

/* As dfl_checkflags, but what is wrong is returned (NULL: nothing). */
const char *dfl_flagproblem(lua_State *L, int arg, unsigned *flags);

/* The regex at 'arg'; raises if it is not a regex. */
dfl_Regex *dfl_checkregex(lua_State *L, int arg);

/* Groups whose offsets fit in a MatchState without an allocation. */
#define DFL_MAXLOCALGROUPS 32

/*
** One subject being matched, and the offsets of its latest match.
**
** The offsets are copied out of the matcher: its own ovector is overwritten
** by any nested use of the same regex -- from a replacement function, an
** __index metamethod or a finalizer that an allocation runs -- so nothing
** that may run Lua code holds on to it.
*/
typedef struct dfl_MatchState {
  lua_State *L;
  dfl_Regex *re;     /* its matcher is checked before every match */
  const char *src;   /* subject: valid UTF-8 */
  size_t len;
  size_t ngroups;    /* capture groups, not counting group 0 */
  size_t *ov;        /* 2 * (ngroups + 1) offsets; DF_UNSET for unset groups */
  size_t local[2 * (DFL_MAXLOCALGROUPS + 1)];
} dfl_MatchState;

/*
** Prepare 'ms' to match 're' against src[0..len).  Pushes one value (nil,
** or the buffer for the offsets of a regex with many groups) that must stay
** on the stack while 'ms' is in use.
*/
void dfl_prepstate(lua_State *L, dfl_MatchState *ms, dfl_Regex *re,
                   const char *src, size_t len);

/*
** Find the next match after 'cursor' and copy its offsets to ms->ov:
** DF_OK, DF_NOMATCH, or a matcher error (match or depth limit) in *err.
** Raises if the regex was finalized meanwhile (by a replacement function
** that called its __gc).
*/
df_status dfl_trynext(dfl_MatchState *ms, df_cursor *cursor, df_error *err);

/* As dfl_trynext: 1 on a match, 0 when there is none; raises on errors. */
int dfl_nextmatch(dfl_MatchState *ms, df_cursor *cursor);

/* Copy a matcher's ovector into ms->ov. */
void dfl_setmatch(dfl_MatchState *ms, const size_t *ovector);

/* Push group 'g' of the latest match (0: the whole match), false if unset. */
void dfl_pushgroup(dfl_MatchState *ms, size_t g);

/*
** Set t[name] = group for each named group of the latest match into the
** table on top (false if unset).  Under (?J) several groups share a name:
** the first of them that is set wins.
*/
void dfl_setnames(dfl_MatchState *ms);

/*
** Push {g1, g2, ..., name = g, ...}: the groups of the latest match, false
** if unset, and the named ones also under their names (dfl_setnames).
** With no groups and 'wholeifnone', {whole match}.  The one shape of
** captures in a table: result-set hits, re:tfind, re:match's table form.
*/
void dfl_pushgroups(dfl_MatchState *ms, int wholeifnone);

/*
** Push {s =, e =, text =, groups =}: the latest match as a hit of a
** result set holds it (1-based inclusive span, groups as dfl_pushgroups).
*/
void dfl_pushmatch(dfl_MatchState *ms);

/* Push a match of no regex, as dfl_pushmatch makes one: {s =, e =, text =,
** groups = {}} for fact->text[start..end). */
void dfl_pushspan(lua_State *L, const df_fact *fact, size_t start, size_t end);

/* ------------------------------------------------------------- match.c */

/* Register find, match, gmatch, gsub, test and lrexlib's exec, tfind,
** split and count into the method table on top. */
void dfl_open_match(lua_State *L);

/* ------------------------------------------------------------ search.c */

/* Register core.search, core.hits and core.count into the table on top. */
void dfl_open_search(lua_State *L);

/* -------------------------------------------------------------- hits.c */

/*
** The hits of a search: per hit a fact id and the index of its first
** match in 'ov', which holds 'width' offsets (of every group) per match.
** The userdata owns the arrays (allocated with the state's allocator) and
** keeps the corpus and the regex alive in its user values.
*/
typedef struct dfl_Hits {
  size_t n, idcap, firstcap;
  uint32_t *ids;
  size_t *first;
  size_t nmatches, ovcap;
  size_t *ov;
  size_t width;  /* 2 * (groups + 1) */
} dfl_Hits;

/* Register the hits metatable. */
void dfl_open_hits(lua_State *L);

/* Push empty hits of the regex at 'regex' over the corpus at 'corpus';
** 'regex' 0: hits of facts chosen otherwise, which have no matches. */
dfl_Hits *dfl_newhits(lua_State *L, int corpus, int regex);

/* Start a hit for fact 'id'; then add its matches with dfl_addspan.  Both
** raise a memory error when the allocator fails. */
void dfl_addhit(lua_State *L, dfl_Hits *h, size_t id);
void dfl_addspan(lua_State *L, dfl_Hits *h, const size_t *ovector);

/* ------------------------------------------------------------- index.c */

/* Add the index methods to the corpus metatable (registered before), and
** core.profile and core.profiles to the table on top. */
void dfl_open_index(lua_State *L);

/* Free the index, entities and rules of a corpus userdata (for __gc and
** close; the corpus itself is left alone). */
void dfl_freeindex(dfl_Corpus *c);

/* ------------------------------------------------------------ output.c */

/* Register core.write_file and core.flush_output into the table on top. */
void dfl_open_output(lua_State *L);

/* The FILE of the io library file at 'arg'; raises if it is closed. */
FILE *dfl_checkfile(lua_State *L, int arg);

/* ------------------------------------------------------------ escape.c */

/* Output gathered in large blocks: one write call per block, whatever the
** stream's own buffer. */
#define DFL_WRITER_BLOCK ((size_t)1 << 16)

typedef enum dfl_Style {
  DFL_PLAIN, DFL_MARKDOWN, DFL_JSON, DFL_CSV, DFL_HTML, DFL_IDS, DFL_COUNT
} dfl_Style;

/* Hits written out: what they are written to (escape.c), how each looks
** (render.c), and where the writing stops (stream.c). */
typedef struct dfl_Writer {
  FILE *out;
  int err;            /* errno of a failed write, 0 */
  dfl_Style style;
  int highlight;      /* matches marked: ANSI colour, **bold**, <mark> */
  int sources;        /* name each fact's source and line */
  size_t indent;      /* plain: the width of the hit's "id: " */
  lua_Integer limit;  /* stop after this many facts; 0: no limit */
  lua_Integer hits;
  const char *header; /* written before the first hit, or NULL */
  size_t headerlen;
  const char *footer; /* dfl_writehits: written after the last, or NULL */
  size_t footerlen;
  size_t len;
  char buf[DFL_WRITER_BLOCK];
} dfl_Writer;

/* Write out what the writer holds (not flushing its stream). */
void dfl_flush(dfl_Writer *w);

/* Bytes, a byte, a decimal number, a string literal, as they are. */
void dfl_put(dfl_Writer *w, const char *s, size_t n);
void dfl_putbyte(dfl_Writer *w, char c);
void dfl_putnumber(dfl_Writer *w, size_t n);
#define dfl_putliteral(w, s) dfl_put(w, "" s, sizeof(s) - 1)

/* escape.visible: 'indent' spaces after a line break a character follows,
** 'follows' when something but a line break comes after s; double quotes
** doubled when 'quote'. */
void dfl_putvisible(dfl_Writer *w, const char *s, size_t n, size_t indent,
                    int quote, int follows);

/* escape.csv(escape.visible(s)) */
void dfl_putcsv(dfl_Writer *w, const char *s, size_t n);

/* escape.json(s): a JSON string as lua-cjson writes it, "/" unescaped */
void dfl_putjson(dfl_Writer *w, const char *s, size_t n);

/* escape.markdown(escape.visible(s)) */
void dfl_putmarkdown(dfl_Writer *w, const char *s, size_t n);

/* escape.html(escape.visible(s)) */
void dfl_puthtml(dfl_Writer *w, const char *s, size_t n);

/* ------------------------------------------------------------ render.c */

/* A fact with its matches (0-based spans as pairs, in the order of their
** starts) as w's style writes it. */
void dfl_writehit(dfl_Writer *w, const df_fact *fact, const size_t *spans,
                  size_t count);

/* ------------------------------------------------------------ stream.c */

/* Register core.search_file. */
void dfl_open_stream(lua_State *L);

/* Gives the next hit to write (its fact, its matches' 0-based spans as
** pairs, and how many): 1, or 0 when there is none left. */
typedef int (*dfl_NextHit)(void *ud, df_fact *fact, const size_t **spans,
                           size_t *count);

/*
** Write hits kept in memory (hits.c) to 'out' as core.search_file writes
** a file's, with the options of the table at 'arg' (style, sources,
** highlight, header, footer; the header is written even without a hit,
** the footer after the last): pushes true, or
** fail, the message and errno of a write error; returns their number.
*/
int dfl_writehits(lua_State *L, FILE *out, int arg, dfl_NextHit next,
                  void *ud);

/* ------------------------------------------------------------- core.c */

DFL_EXPORT int luaopen_drivefacts_core(lua_State *L);

#endif
