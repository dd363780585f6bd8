/*
** The streamed search of the CLI: df_search_file's hits written to a file
** handle as they are found, each as render.c writes it (byte for byte as
** the Lua formatters do), with no Lua value made per hit; and the hits of
** a search kept in memory (hits.c), written the same way.  The search runs
** no Lua code, so nothing can unwind through it.
*/

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <string.h>

#include "core.h"


static const char *const stylenames[] = {"plain", "markdown", "json", "csv",
                                         "html", "ids", "count", NULL};


/* One fact with matches, as its style writes it; 1 to stop. */
static int writehit (const df_fact *fact, const size_t *spans, size_t count,
                     void *ud) {
  dfl_Writer *w = (dfl_Writer *)ud;
  if (w->header != NULL) {
    dfl_put(w, w->header, w->headerlen);
    w->header = NULL;
  }
  dfl_writehit(w, fact, spans, count);
  return ++w->hits == w->limit || w->err != 0;
}


/*
** A writer to 'out' with the options of the table at 'arg': style,
** limit, sources, highlight, header, footer (see search_file and
** dfl_writehits), on top of the stack.
*/
static dfl_Writer *newwriter (lua_State *L, FILE *out, int arg) {
  dfl_Writer *w;
  dfl_Style style = (dfl_Style)dfl_fieldoption(L, arg, "style", "plain",
                                               stylenames);
  w = (dfl_Writer *)lua_newuserdatauv(L, sizeof(dfl_Writer), 0);
  w->out = out;
  w->style = style;
  w->limit = dfl_fieldinteger(L, arg, "limit", 0);
  w->sources = dfl_fieldboolean(L, arg, "sources");
  /* only plain, Markdown and HTML mark matches */
  w->highlight = dfl_fieldboolean(L, arg, "highlight") && (w->style == DFL_PLAIN
                 || w->style == DFL_MARKDOWN || w->style == DFL_HTML);
  w->header = dfl_fieldstring(L, arg, "header", &w->headerlen);
  w->footer = dfl_fieldstring(L, arg, "footer", &w->footerlen);
  w->indent = 0;
  w->hits = 0;
  w->err = 0;
  w->len = 0;
  return w;
}


/* Write out what w holds and flush its stream: 0, or, after a write
** error, fail, the message and errno pushed and 3 returned. */
static int finishwriter (lua_State *L, dfl_Writer *w) {
  dfl_flush(w);
  if (w->err == 0 && fflush(w->out) != 0)
    w->err = errno != 0 ? errno : EIO;
  if (w->err == 0)
    return 0;
  luaL_pushfail(L);
  lua_pushstring(L, strerror(w->err));
  lua_pushinteger(L, w->err);
  return 3;
}


/*
** core.search_file(path, regex, out, opts) --> hits, facts
** Writes to the file handle 'out' every fact of the file at 'path' that
** matches, as core.search on core.load_file(path, opts.format,
** opts.max_bytes) would find them, in opts.style ("plain", "markdown",
** "json", "csv", "html", "ids" or "count": nothing written), ids starting
** after opts.first_id, sources named when opts.sources, matches
** highlighted when opts.highlight (plain: ANSI colour, markdown: bold,
** html: <mark>), opts.header (a string) before the first hit; at most
** opts.limit facts (0: all).  opts.mmap maps the file.
** Returns the facts written and the facts in the file (when it was read
** to its end).  A file that cannot be read gives fail and the message, as
** load_file does, after whatever hits came before the trouble; a write
** error gives fail, the message and errno.
*/
static int search_file (lua_State *L) {
  df_load_options opts = {DF_FORMAT_PARAGRAPHS, 0, NULL, 0, NULL};
  const char *path = luaL_checkstring(L, 1);
  dfl_Regex *re = dfl_checkregex(L, 2);
  FILE *out = dfl_checkfile(L, 3);
  size_t first_id, facts = 0;
  dfl_Writer *w;
  unsigned flags;
  df_error err;
  df_status status;
  luaL_checktype(L, 4, LUA_TTABLE);
  opts.format = dfl_fieldformat(L, 4);
  opts.max_bytes = (size_t)dfl_fieldinteger(L, 4, "max_bytes", 0);
  first_id = (size_t)dfl_fieldinteger(L, 4, "first_id", 0);
  opts.flags = dfl_fieldboolean(L, 4, "mmap") ? DF_LOAD_MMAP : 0;
  w = newwriter(L, out, 4);
  /* one match tells all that a style shows but JSON's spans, CSV's count
  ** and highlighting */
  flags = w->style == DFL_JSON || w->style == DFL_CSV || w->highlight
              ? 0 : DF_SEARCH_FIRST_PER_FACT;
  status = df_search_file(path, &opts, re->matcher, flags, first_id, writehit,
                          w, &facts, &err);
  if (finishwriter(L, w) != 0)
    return 3;
  if (status == DF_EIO || status == DF_ETOOBIG || status == DF_EUTF8)
    return dfl_fail(L, err.message);
  if (status != DF_OK)
    return dfl_error(L, "%s", err.message);
  lua_pushinteger(L, w->hits);
  lua_pushinteger(L, (lua_Integer)facts);
  return 2;
}


int dfl_writehits (lua_State *L, FILE *out, int arg, dfl_NextHit next,
                   void *ud) {
  dfl_Writer *w = newwriter(L, out, arg);
  df_fact fact;
  const size_t *spans;
  size_t count;
  while (next(ud, &fact, &spans, &count) && !writehit(&fact, spans, count, w))
    ;
  if (w->header != NULL)  /* no hit: the header alone */
    dfl_put(w, w->header, w->headerlen);
  if (w->footer != NULL)
    dfl_put(w, w->footer, w->footerlen);
  if (finishwriter(L, w) != 0)
    return 3;
  lua_pushboolean(L, 1);
  return 1;
}


static const luaL_Reg funcs[] = {
  {"search_file", search_file},
  {NULL, NULL}
};


void dfl_open_stream (lua_State *L) {
  luaL_setfuncs(L, funcs, 0);
  /* the byte limit of a load when none is given */
  lua_pushinteger(L, (lua_Integer)DF_DEFAULT_MAX_CORPUS_BYTES);
  lua_setfield(L, -2, "max_corpus_bytes");
}
