/*
** The streamed search of the CLI: df_search_file's hits written to a file
** handle as they are found, formatted here, byte for byte as the Lua
** formatters of drivefacts.formatters write them (plain, with or without
** colour, JSON Lines, CSV) or as ids, with no Lua value made per hit.  The
** search runs no Lua code, so nothing can unwind through it.
*/

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <string.h>

#include "core.h"


typedef enum Style { PLAIN, JSON, CSV, IDS, COUNT } Style;

static const char *const stylenames[] = {"plain", "json", "csv", "ids", "count", NULL};

/* Output gathered in large blocks: one write call per block, whatever the
** stream's own buffer. */
#define WRITER_BLOCK ((size_t)1 << 16)

typedef struct Writer {
  FILE *out;
  Style style;
  int color;          /* plain: matches in ANSI bold red */
  int sources;        /* name each fact's source and line */
  lua_Integer limit;  /* stop after this many facts; 0: no limit */
  lua_Integer hits;
  int err;            /* errno of a failed write, 0 */
  const char *header; /* written before the first hit, or NULL */
  size_t headerlen;
  size_t len;
  char buf[WRITER_BLOCK];
} Writer;


static void flush (Writer *w) {
  if (w->len > 0 && w->err == 0 && fwrite(w->buf, 1, w->len, w->out) != w->len)
    w->err = errno != 0 ? errno : EIO;
  w->len = 0;
}


static void put (Writer *w, const char *s, size_t n) {
  if (n > WRITER_BLOCK - w->len) {
    flush(w);
    if (n > WRITER_BLOCK) {  /* a fact larger than a block goes straight out */
      if (w->err == 0 && fwrite(s, 1, n, w->out) != n)
        w->err = errno != 0 ? errno : EIO;
      return;
    }
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}


#define putliteral(w, s) put(w, "" s, sizeof(s) - 1)


static void putbyte (Writer *w, char c) {
  if (w->len == WRITER_BLOCK)
    flush(w);
  w->buf[w->len++] = c;
}


static void putnumber (Writer *w, size_t n) {
  char digits[24];
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + n % 10);
    n /= 10;
  } while (n > 0);
  put(w, digits + i, sizeof digits - i);
}


/*
** s[0..n) as escape.visible shows it: C0 controls but newline and tab, and
** DEL, as their control pictures (U+2400 + byte, U+2421), C1 controls as
** "<U+0085>"; a double quote doubled when 'quote' (CSV); after a line
** break that a character follows, 'indent' spaces (plain output's
** continuation lines); 'follows' says whether output other than a line
** break comes after s (a colour code does).
*/
static void putvisible (Writer *w, const char *s, size_t n, size_t indent,
                        int quote, int follows) {
  size_t i, run = 0;  /* s[run..i) goes out as it is */
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != 0x7F && c != 0xC2 && c != '"')
      continue;
    if (c == '\t' || (c == '"' && !quote) ||
        (c == 0xC2 && (i + 1 == n || (unsigned char)s[i + 1] < 0x80 ||
                       (unsigned char)s[i + 1] > 0x9F)))
      continue;
    put(w, s + run, i - run);
    if (c == '\n') {
      putbyte(w, '\n');
      if (i + 1 < n ? s[i + 1] != '\n' : follows) {
        size_t k;
        for (k = 0; k < indent; k++)
          putbyte(w, ' ');
      }
    }
    else if (c == '"')
      putliteral(w, "\"\"");
    else if (c == 0xC2) {  /* a C1 control */
      static const char hex[] = "0123456789ABCDEF";
      unsigned char b = (unsigned char)s[++i];
      char name[8] = {'<', 'U', '+', '0', '0', hex[b >> 4], hex[b & 15], '>'};
      put(w, name, sizeof name);
    }
    else {
      char picture[3] = {'\xE2', '\x90', (char)(c == 0x7F ? 0xA1 : 0x80 + c)};
      put(w, picture, sizeof picture);
    }
    run = i + 1;
  }
  put(w, s + run, n - run);
}


/* A CSV field as escape.csv(escape.visible(s)) makes it. */
static void putcsv (Writer *w, const char *s, size_t n) {
  size_t i;
  int quoted = 0;
  for (i = 0; i < n && !quoted; i++)
    quoted = s[i] == '"' || s[i] == ',' || s[i] == '\n';
  if (quoted)
    putbyte(w, '"');
  putvisible(w, s, n, 0, quoted, 0);
  if (quoted)
    putbyte(w, '"');
}


/* A JSON string as lua-cjson encodes it, "\/" written "/" (escape.json). */
static void putjson (Writer *w, const char *s, size_t n) {
  size_t i, run = 0;
  putbyte(w, '"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *short_escape = NULL;
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
      continue;
    put(w, s + run, i - run);
    switch (c) {
      case '"': short_escape = "\\\""; break;
      case '\\': short_escape = "\\\\"; break;
      case '\b': short_escape = "\\b"; break;
      case '\t': short_escape = "\\t"; break;
      case '\n': short_escape = "\\n"; break;
      case '\f': short_escape = "\\f"; break;
      case '\r': short_escape = "\\r"; break;
      default: break;
    }
    if (short_escape != NULL)
      put(w, short_escape, 2);
    else {
      static const char hex[] = "0123456789abcdef";
      char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      put(w, u, sizeof u);
    }
    run = i + 1;
  }
  put(w, s + run, n - run);
  putbyte(w, '"');
}


/* "source:line" as the formatters' location() gives it. */
static void putlocation (Writer *w, const df_fact *fact, int csv) {
  if (csv) {
    putcsv(w, fact->source, strlen(fact->source));
    putbyte(w, ',');
    putnumber(w, fact->line);
    return;
  }
  putvisible(w, fact->source, strlen(fact->source), 0, 0, 0);
  putbyte(w, ':');
  putnumber(w, fact->line);
}


#define ANSI_MATCH "\033[1;31m"  /* bold red, as grep --color */
#define ANSI_RESET "\033[0m"


static int iscontinuation (const char *s, size_t i) {
  return ((unsigned char)s[i] & 0xC0) == 0x80;
}


/*
** The fact's text with its matches coloured, as drivefacts.highlight
** renders them: empty matches show nothing, a match widens to whole
** characters, and matches that overlap or touch are one coloured stretch.
** The matches come in the order of their starts, so one pass merges them.
*/
static void putcolored (Writer *w, const df_fact *fact, const size_t *spans,
                        size_t count, size_t indent) {
  const char *s = fact->text;
  size_t n = fact->len, pos = 0, i = 0;
  while (i < count) {
    size_t a = spans[2 * i], b = spans[2 * i + 1];
    i++;
    if (a >= b)
      continue;  /* an empty match shows nothing */
    while (a > 0 && iscontinuation(s, a))
      a--;
    while (b < n && iscontinuation(s, b))
      b++;
    for (; i < count; i++) {  /* what starts by b joins the stretch */
      size_t a2 = spans[2 * i], b2 = spans[2 * i + 1];
      if (a2 >= b2)
        continue;
      while (a2 > 0 && iscontinuation(s, a2))
        a2--;
      if (a2 > b)
        break;
      while (b2 < n && iscontinuation(s, b2))
        b2++;
      if (b2 > b)
        b = b2;
    }
    putvisible(w, s + pos, a - pos, indent, 0, 1);  /* the colour code follows */
    putliteral(w, ANSI_MATCH);
    putvisible(w, s + a, b - a, indent, 0, 1);  /* the reset follows */
    putliteral(w, ANSI_RESET);
    pos = b;
  }
  putvisible(w, s + pos, n - pos, indent, 0, 0);
}


/* id: [source:line: ]text, continuation lines indented under the text */
static void writeplain (Writer *w, const df_fact *fact, const size_t *spans,
                        size_t count) {
  size_t head = 2;  /* ": " and the digits of the id */
  size_t i;
  for (i = fact->id; i > 0; i /= 10)
    head++;
  putnumber(w, fact->id);
  putliteral(w, ": ");
  if (w->sources) {
    putlocation(w, fact, 0);
    putliteral(w, ": ");
  }
  if (w->color)
    putcolored(w, fact, spans, count, head);
  else
    putvisible(w, fact->text, fact->len, head, 0, 0);
  putbyte(w, '\n');
}


/* {"id":..,["source":..,"line":..,]"text":..,"matches":[{"s":..,"e":..,"text":..}..]} */
static void writejson (Writer *w, const df_fact *fact, const size_t *spans,
                       size_t count) {
  size_t i;
  putliteral(w, "{\"id\":");
  putnumber(w, fact->id);
  putbyte(w, ',');
  if (w->sources) {
    putliteral(w, "\"source\":");
    putjson(w, fact->source, strlen(fact->source));
    putliteral(w, ",\"line\":");
    putnumber(w, fact->line);
    putbyte(w, ',');
  }
  putliteral(w, "\"text\":");
  putjson(w, fact->text, fact->len);
  putliteral(w, ",\"matches\":[");
  for (i = 0; i < count; i++) {
    size_t s = spans[2 * i], e = spans[2 * i + 1];
    if (i > 0)
      putbyte(w, ',');
    putliteral(w, "{\"s\":");
    putnumber(w, s + 1);
    putliteral(w, ",\"e\":");
    putnumber(w, e);
    putliteral(w, ",\"text\":");
    putjson(w, fact->text + s, e - s);
    putbyte(w, '}');
  }
  putliteral(w, "]}\n");
}


/* id,[source,line,]text,matches */
static void writecsv (Writer *w, const df_fact *fact, size_t count) {
  putnumber(w, fact->id);
  putbyte(w, ',');
  if (w->sources) {
    putlocation(w, fact, 1);
    putbyte(w, ',');
  }
  putcsv(w, fact->text, fact->len);
  putbyte(w, ',');
  putnumber(w, count);
  putliteral(w, "\r\n");
}


/* One fact with matches, as its style writes it; 1 to stop. */
static int writehit (const df_fact *fact, const size_t *spans, size_t count,
                     void *ud) {
  Writer *w = (Writer *)ud;
  if (w->header != NULL) {
    put(w, w->header, w->headerlen);
    w->header = NULL;
  }
  switch (w->style) {
    case PLAIN: writeplain(w, fact, spans, count); break;
    case JSON: writejson(w, fact, spans, count); break;
    case CSV: writecsv(w, fact, count); break;
    case IDS:
      putnumber(w, fact->id);
      putbyte(w, '\n');
      break;
    case COUNT: break;
  }
  return ++w->hits == w->limit || w->err != 0;
}


static lua_Integer optfield (lua_State *L, int arg, const char *name,
                             lua_Integer min) {
  lua_Integer n;
  lua_getfield(L, arg, name);
  n = luaL_optinteger(L, -1, min);
  lua_pop(L, 1);
  luaL_argcheck(L, n >= min, arg, lua_pushfstring(L, "%s out of range", name));
  return n;
}


/*
** A writer to 'out' with the options of the table at 'arg': style,
** limit, sources, color, header (see search_file), on top of the stack.
*/
static Writer *newwriter (lua_State *L, FILE *out, int arg) {
  Writer *w;
  lua_getfield(L, arg, "style");
  w = (Writer *)lua_newuserdatauv(L, sizeof(Writer), 0);
  w->out = out;
  w->style = (Style)luaL_checkoption(L, -2, "plain", stylenames);
  w->limit = optfield(L, arg, "limit", 0);
  lua_getfield(L, arg, "sources");
  w->sources = lua_toboolean(L, -1);
  lua_getfield(L, arg, "color");
  w->color = lua_toboolean(L, -1) && w->style == PLAIN;
  lua_getfield(L, arg, "header");  /* the table keeps the string alive */
  w->header = luaL_optlstring(L, -1, NULL, &w->headerlen);
  lua_pop(L, 3);  /* sources, color, header: the writer stays on top */
  w->hits = 0;
  w->err = 0;
  w->len = 0;
  return w;
}


/* Write out what w holds and flush its stream: 0, or, after a write
** error, fail, the message and errno pushed and 3 returned. */
static int finishwriter (lua_State *L, Writer *w) {
  flush(w);
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
** opts.max_bytes) would find them, in opts.style ("plain", "json", "csv",
** "ids" or "count": nothing written), ids starting after opts.first_id,
** sources named when opts.sources, matches coloured when opts.color (plain
** only), opts.header (a string) before the first hit; at most opts.limit facts (0: all), and
** with "ids" and "count" one match per fact.  opts.mmap maps the file.
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
  Writer *w;
  unsigned flags;
  df_error err;
  df_status status;
  luaL_checktype(L, 4, LUA_TTABLE);
  lua_getfield(L, 4, "format");
  opts.format = dfl_checkformat(L, -1);
  lua_pop(L, 1);
  opts.max_bytes = (size_t)optfield(L, 4, "max_bytes", 0);
  first_id = (size_t)optfield(L, 4, "first_id", 0);
  lua_getfield(L, 4, "mmap");
  opts.flags = lua_toboolean(L, -1) ? DF_LOAD_MMAP : 0;
  w = newwriter(L, out, 4);
  /* one match tells all that ids, counts and plain text without colour show */
  flags = w->style == IDS || w->style == COUNT || (w->style == PLAIN && !w->color)
              ? DF_SEARCH_FIRST_PER_FACT : 0;
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
  Writer *w = newwriter(L, out, arg);
  df_fact fact;
  const size_t *spans;
  size_t count;
  while (next(ud, &fact, &spans, &count) && !writehit(&fact, spans, count, w))
    ;
  if (w->header != NULL)  /* no hit: the header alone */
    put(w, w->header, w->headerlen);
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
