/*
** Bytes out in blocks, and text escaped on the way as drivefacts.escape
** escapes it for each output format: escape.visible (plain), escape.csv,
** escape.json, escape.markdown and escape.html, each after visible where
** the Lua formatters apply it.  The writers of stream.c and render.c use
** them, so that a hit written in C has the Lua formatters' bytes.
*/

#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core.h"


void dfl_flush (dfl_Writer *w) {
  if (w->len > 0 && w->err == 0 && fwrite(w->buf, 1, w->len, w->out) != w->len)
    w->err = errno != 0 ? errno : EIO;
  w->len = 0;
}


void dfl_put (dfl_Writer *w, const char *s, size_t n) {
  if (n > DFL_WRITER_BLOCK - w->len) {
    dfl_flush(w);
    if (n > DFL_WRITER_BLOCK) {  /* a fact larger than a block goes straight out */
      if (w->err == 0 && fwrite(s, 1, n, w->out) != n)
        w->err = errno != 0 ? errno : EIO;
      return;
    }
  }
  memcpy(w->buf + w->len, s, n);
  w->len += n;
}


void dfl_putbyte (dfl_Writer *w, char c) {
  if (w->len == DFL_WRITER_BLOCK)
    dfl_flush(w);
  w->buf[w->len++] = c;
}


void dfl_putnumber (dfl_Writer *w, size_t n) {
  char digits[24];
  size_t i = sizeof digits;
  do {
    digits[--i] = (char)('0' + n % 10);
    n /= 10;
  } while (n > 0);
  dfl_put(w, digits + i, sizeof digits - i);
}


/* Whether s[i] (of n bytes) starts a C1 control, U+0080..U+009F. */
static int isc1 (const char *s, size_t i, size_t n) {
  return (unsigned char)s[i] == 0xC2 && i + 1 < n
         && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] <= 0x9F;
}


/* A C0 control but newline and tab, or DEL: shown as a control picture. */
static int ispictured (unsigned char c) {
  return (c < 0x20 && c != '\n' && c != '\t') || c == 0x7F;
}


/* C0 control or DEL 'c' as its control picture (U+2400 + byte, U+2421). */
static void putpicture (dfl_Writer *w, unsigned char c) {
  char picture[3] = {'\xE2', '\x90', (char)(c == 0x7F ? 0xA1 : 0x80 + c)};
  dfl_put(w, picture, sizeof picture);
}


/* The C1 control of second byte 'b' as "<U+0085>", its angle brackets as
** 'lt' and 'gt' (each escaped for the format). */
static void putc1name (dfl_Writer *w, unsigned char b, const char *lt,
                       const char *gt) {
  static const char hex[] = "0123456789ABCDEF";
  char digits[6] = {'U', '+', '0', '0', hex[b >> 4], hex[b & 15]};
  dfl_put(w, lt, strlen(lt));
  dfl_put(w, digits, sizeof digits);
  dfl_put(w, gt, strlen(gt));
}


/*
** The first byte of s[i..n) that visible may change: a C0 control, DEL,
** the lead byte 0xC2 of the C1 controls, or '"'; n if none.  Most text has
** none of them: 16 bytes are tested at a time.
*/
static size_t nextspecial (const char *s, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i last_control = _mm_set1_epi8(0x1F), del = _mm_set1_epi8(0x7F);
  const __m128i c1_lead = _mm_set1_epi8((char)0xC2), quote = _mm_set1_epi8('"');
  for (; n - i >= 16; i += 16) {
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i hit = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(_mm_min_epu8(b, last_control), b),
                     _mm_cmpeq_epi8(b, del)),
        _mm_or_si128(_mm_cmpeq_epi8(b, c1_lead), _mm_cmpeq_epi8(b, quote)));
    int bits = _mm_movemask_epi8(hit);
    if (bits != 0)
      return i + (size_t)__builtin_ctz((unsigned)bits);
  }
#endif
  for (; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 || c == 0x7F || c == 0xC2 || c == '"')
      return i;
  }
  return n;
}


/*
** s[0..n) as escape.visible shows it: C0 controls but newline and tab, and
** DEL, as their control pictures, C1 controls as "<U+0085>"; a double
** quote doubled when 'quote' (CSV); after a line break that a character
** follows, 'indent' spaces (plain output's continuation lines); 'follows'
** says whether output other than a line break comes after s (a colour
** code does).
*/
void dfl_putvisible (dfl_Writer *w, const char *s, size_t n, size_t indent,
                     int quote, int follows) {
  size_t i, run = 0;  /* s[run..i) goes out as it is */
  for (i = nextspecial(s, 0, n); i < n; i = nextspecial(s, i + 1, n)) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\t' || (c == '"' && !quote) || (c == 0xC2 && !isc1(s, i, n)))
      continue;
    dfl_put(w, s + run, i - run);
    if (c == '\n') {
      dfl_putbyte(w, '\n');
      if (i + 1 < n ? s[i + 1] != '\n' : follows) {
        size_t k;
        for (k = 0; k < indent; k++)
          dfl_putbyte(w, ' ');
      }
    }
    else if (c == '"')
      dfl_putliteral(w, "\"\"");
    else if (c == 0xC2)
      putc1name(w, (unsigned char)s[++i], "<", ">");
    else
      putpicture(w, c);
    run = i + 1;
  }
  dfl_put(w, s + run, n - run);
}


void dfl_putcsv (dfl_Writer *w, const char *s, size_t n) {
  size_t i;
  int quoted = 0;
  for (i = 0; i < n && !quoted; i++)
    quoted = s[i] == '"' || s[i] == ',' || s[i] == '\n';
  if (quoted)
    dfl_putbyte(w, '"');
  dfl_putvisible(w, s, n, 0, quoted, 0);
  if (quoted)
    dfl_putbyte(w, '"');
}


void dfl_putjson (dfl_Writer *w, const char *s, size_t n) {
  size_t i, run = 0;
  dfl_putbyte(w, '"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *short_escape = NULL;
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7F)
      continue;
    dfl_put(w, s + run, i - run);
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
      dfl_put(w, short_escape, 2);
    else {
      static const char hex[] = "0123456789abcdef";
      char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
      dfl_put(w, u, sizeof u);
    }
    run = i + 1;
  }
  dfl_put(w, s + run, n - run);
  dfl_putbyte(w, '"');
}


/*
** What escape.markdown writes for each ASCII byte it changes (NULL: the
** byte as it is): a backslash before what could start emphasis, code, a
** link, HTML or an entity, and a line break as a space (a fact is one
** list item).  Visible leaves no CR for its "\r?\n" to meet.
*/
static const char *const markdown_escapes[128] = {
  ['\n'] = " ", ['\\'] = "\\\\", ['`'] = "\\`", ['*'] = "\\*", ['_'] = "\\_",
  ['['] = "\\[", [']'] = "\\]", ['<'] = "\\<", ['>'] = "\\>", ['&'] = "\\&",
  ['~'] = "\\~", ['|'] = "\\|", ['#'] = "\\#",
};

/* What escape.html writes for each ASCII byte it changes. */
static const char *const html_escapes[128] = {
  ['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
  ['\''] = "&#39;",
};


/* s[0..n) through escape.visible, then through 'escapes' (one of the
** tables above): a C1 control's name has its brackets escaped too. */
static void putescaped (dfl_Writer *w, const char *s, size_t n,
                        const char *const escapes[128]) {
  size_t i, run = 0;  /* s[run..i) goes out as it is */
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *escaped = c < 0x80 ? escapes[c] : NULL;
    if (escaped == NULL && !ispictured(c) && !isc1(s, i, n))
      continue;
    dfl_put(w, s + run, i - run);
    if (escaped != NULL)
      dfl_put(w, escaped, strlen(escaped));
    else if (c == 0xC2)
      putc1name(w, (unsigned char)s[++i], escapes['<'], escapes['>']);
    else
      putpicture(w, c);
    run = i + 1;
  }
  dfl_put(w, s + run, n - run);
}


void dfl_putmarkdown (dfl_Writer *w, const char *s, size_t n) {
  putescaped(w, s, n, markdown_escapes);
}


void dfl_puthtml (dfl_Writer *w, const char *s, size_t n) {
  putescaped(w, s, n, html_escapes);
}
