/*
** One hit as the Lua formatters of drivefacts.formatters write it, byte
** for byte: plain (with or without colour), Markdown, JSON Lines, CSV,
** HTML, or its id alone.  Matches are highlighted as drivefacts.highlight
** renders them.  Facts with fields (records) never come here: only the Lua
** formatters show fields.
*/

#include <string.h>

#include "core.h"


#define ANSI_MATCH "\033[1;31m"  /* bold red, as grep --color */
#define ANSI_RESET "\033[0m"


static int iscontinuation (const char *s, size_t i) {
  return ((unsigned char)s[i] & 0xC0) == 0x80;
}


/*
** The next highlighted stretch of s[0..n) from match *i on, in [*a, *b),
** as drivefacts.highlight finds them: empty matches show nothing, a match
** widens to whole characters, and matches that overlap or touch are one
** stretch.  The matches come in the order of their starts, so one pass
** merges them.  Returns 0 when no stretch is left.
*/
static int nextstretch (const char *s, size_t n, const size_t *spans,
                        size_t count, size_t *i, size_t *a, size_t *b) {
  size_t from = 0, to = 0;
  while (*i < count && spans[2 * *i] >= spans[2 * *i + 1])
    (*i)++;  /* an empty match shows nothing */
  if (*i == count)
    return 0;
  from = spans[2 * *i];
  to = spans[2 * *i + 1];
  while (from > 0 && iscontinuation(s, from))
    from--;
  while (to < n && iscontinuation(s, to))
    to++;
  for ((*i)++; *i < count; (*i)++) {  /* what starts by 'to' joins the stretch */
    size_t a2 = spans[2 * *i], b2 = spans[2 * *i + 1];
    if (a2 >= b2)
      continue;
    while (a2 > 0 && iscontinuation(s, a2))
      a2--;
    if (a2 > to)
      break;
    while (b2 < n && iscontinuation(s, b2))
      b2++;
    if (b2 > to)
      to = b2;
  }
  *a = from;
  *b = to;
  return 1;
}


/* How a style writes the text around the highlighted stretches and the
** stretches themselves; 'last' says no other piece of the text follows. */
typedef void (*PutPiece)(dfl_Writer *w, const char *s, size_t n, int last);


/* The fact's text, its matches highlighted when the writer asks for it. */
static void puthighlighted (dfl_Writer *w, const df_fact *fact,
                            const size_t *spans, size_t count,
                            PutPiece plain, PutPiece mark) {
  const char *s = fact->text;
  size_t n = fact->len, pos = 0, i = 0, a, b;
  if (!w->highlight)
    count = 0;
  while (nextstretch(s, n, spans, count, &i, &a, &b)) {
    plain(w, s + pos, a - pos, 0);
    mark(w, s + a, b - a, 0);
    pos = b;
  }
  plain(w, s + pos, n - pos, 1);
}


/* ------------------------------------------------------------- plain */

/* Text in plain output: continuation lines indented under the text by
** w->indent spaces. */
static void plaintext (dfl_Writer *w, const char *s, size_t n, int last) {
  dfl_putvisible(w, s, n, w->indent, 0, !last);
}


static void plainmark (dfl_Writer *w, const char *s, size_t n, int last) {
  (void)last;  /* the reset code follows */
  dfl_putliteral(w, ANSI_MATCH);
  dfl_putvisible(w, s, n, w->indent, 0, 1);
  dfl_putliteral(w, ANSI_RESET);
}


static void putvisible (dfl_Writer *w, const char *s, size_t n) {
  dfl_putvisible(w, s, n, 0, 0, 0);
}


/* "source:line" as the formatters' location() gives it, the source
** through 'escape' (the line's digits need none). */
static void putlocation (dfl_Writer *w, const df_fact *fact,
                         void (*escape)(dfl_Writer *, const char *, size_t)) {
  escape(w, fact->source, strlen(fact->source));
  dfl_putbyte(w, ':');
  dfl_putnumber(w, fact->line);
}


/* id: [source:line: ]text, continuation lines indented under the text */
static void writeplain (dfl_Writer *w, const df_fact *fact,
                        const size_t *spans, size_t count) {
  size_t i;
  w->indent = 2;  /* ": " and the digits of the id */
  for (i = fact->id; i > 0; i /= 10)
    w->indent++;
  dfl_putnumber(w, fact->id);
  dfl_putliteral(w, ": ");
  if (w->sources) {
    putlocation(w, fact, putvisible);
    dfl_putliteral(w, ": ");
  }
  puthighlighted(w, fact, spans, count, plaintext, plainmark);
  dfl_putbyte(w, '\n');
}


/* ---------------------------------------------------------- markdown */

static void markdowntext (dfl_Writer *w, const char *s, size_t n, int last) {
  (void)last;
  dfl_putmarkdown(w, s, n);
}


/* Whitespace that stays whitespace in Markdown output (a line break
** becomes a space; other controls are shown as pictures). */
static int ismarkdownspace (char c) {
  return c == ' ' || c == '\t' || c == '\n';
}


/* A match in **bold**: '**' only opens emphasis before a non-space, so
** whitespace at either end goes outside the markers, and a match of
** whitespace alone is not bold. */
static void markdownbold (dfl_Writer *w, const char *s, size_t n, int last) {
  size_t lead = 0, end = n;
  (void)last;
  while (lead < n && ismarkdownspace(s[lead]))
    lead++;
  while (end > lead && ismarkdownspace(s[end - 1]))
    end--;
  dfl_putmarkdown(w, s, lead);
  if (end > lead) {
    dfl_putliteral(w, "**");
    dfl_putmarkdown(w, s + lead, end - lead);
    dfl_putliteral(w, "**");
  }
  dfl_putmarkdown(w, s + end, n - end);
}


/* - id[ (source:line)]: text */
static void writemarkdown (dfl_Writer *w, const df_fact *fact,
                           const size_t *spans, size_t count) {
  dfl_putliteral(w, "- ");
  dfl_putnumber(w, fact->id);
  if (w->sources) {
    dfl_putliteral(w, " (");
    putlocation(w, fact, dfl_putmarkdown);
    dfl_putbyte(w, ')');
  }
  dfl_putliteral(w, ": ");
  puthighlighted(w, fact, spans, count, markdowntext, markdownbold);
  dfl_putbyte(w, '\n');
}


/* -------------------------------------------------------------- html */

static void htmltext (dfl_Writer *w, const char *s, size_t n, int last) {
  (void)last;
  dfl_puthtml(w, s, n);
}


static void htmlmark (dfl_Writer *w, const char *s, size_t n, int last) {
  (void)last;
  dfl_putliteral(w, "<mark>");
  dfl_puthtml(w, s, n);
  dfl_putliteral(w, "</mark>");
}


/* <li value="id">[<span class="source">source:line</span> ]text</li>,
** a text of several lines in a <pre>, which keeps its line breaks */
static void writehtml (dfl_Writer *w, const df_fact *fact,
                       const size_t *spans, size_t count) {
  int lines = memchr(fact->text, '\n', fact->len) != NULL;
  dfl_putliteral(w, "<li value=\"");
  dfl_putnumber(w, fact->id);
  dfl_putliteral(w, "\">");
  if (w->sources) {
    dfl_putliteral(w, "<span class=\"source\">");
    putlocation(w, fact, dfl_puthtml);
    dfl_putliteral(w, "</span> ");
  }
  if (lines)
    dfl_putliteral(w, "<pre class=\"fact\">");
  puthighlighted(w, fact, spans, count, htmltext, htmlmark);
  if (lines)
    dfl_putliteral(w, "</pre>");
  dfl_putliteral(w, "</li>\n");
}


/* -------------------------------------------------------- json, csv */

/* {"id":..,["source":..,"line":..,]"text":..,"matches":[{"s":..,"e":..,"text":..}..]} */
static void writejson (dfl_Writer *w, const df_fact *fact,
                       const size_t *spans, size_t count) {
  size_t i;
  dfl_putliteral(w, "{\"id\":");
  dfl_putnumber(w, fact->id);
  dfl_putbyte(w, ',');
  if (w->sources) {
    dfl_putliteral(w, "\"source\":");
    dfl_putjson(w, fact->source, strlen(fact->source));
    dfl_putliteral(w, ",\"line\":");
    dfl_putnumber(w, fact->line);
    dfl_putbyte(w, ',');
  }
  dfl_putliteral(w, "\"text\":");
  dfl_putjson(w, fact->text, fact->len);
  dfl_putliteral(w, ",\"matches\":[");
  for (i = 0; i < count; i++) {
    size_t s = spans[2 * i], e = spans[2 * i + 1];
    if (i > 0)
      dfl_putbyte(w, ',');
    dfl_putliteral(w, "{\"s\":");
    dfl_putnumber(w, s + 1);
    dfl_putliteral(w, ",\"e\":");
    dfl_putnumber(w, e);
    dfl_putliteral(w, ",\"text\":");
    dfl_putjson(w, fact->text + s, e - s);
    dfl_putbyte(w, '}');
  }
  dfl_putliteral(w, "]}\n");
}


/* id,[source,line,]text,matches */
static void writecsv (dfl_Writer *w, const df_fact *fact, size_t count) {
  dfl_putnumber(w, fact->id);
  dfl_putbyte(w, ',');
  if (w->sources) {
    dfl_putcsv(w, fact->source, strlen(fact->source));
    dfl_putbyte(w, ',');
    dfl_putnumber(w, fact->line);
    dfl_putbyte(w, ',');
  }
  dfl_putcsv(w, fact->text, fact->len);
  dfl_putbyte(w, ',');
  dfl_putnumber(w, count);
  dfl_putliteral(w, "\r\n");
}


void dfl_writehit (dfl_Writer *w, const df_fact *fact, const size_t *spans,
                   size_t count) {
  switch (w->style) {
    case DFL_PLAIN: writeplain(w, fact, spans, count); break;
    case DFL_MARKDOWN: writemarkdown(w, fact, spans, count); break;
    case DFL_JSON: writejson(w, fact, spans, count); break;
    case DFL_CSV: writecsv(w, fact, count); break;
    case DFL_HTML: writehtml(w, fact, spans, count); break;
    case DFL_IDS:
      dfl_putnumber(w, fact->id);
      dfl_putbyte(w, '\n');
      break;
    case DFL_COUNT: break;
  }
}
