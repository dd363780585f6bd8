/* The one reader of PCRE2 syntax: a pattern, already compiled by PCRE2 and
 * so well-formed, as a stream of tokens.  The context-free test
 * (pattern_compile.c) and the literal extraction (pattern_literals.c) both
 * walk it.  The reader keeps what changes how the rest of the pattern
 * reads: \Q...\E quoting, comments, and the inline options (?i) and (?x)
 * with their scope (to the end of the group they stand in, across later
 * alternatives, as PCRE2 has it).
 *
 * Conservative by construction: whatever it does not know for certain to
 * be read as PCRE2 reads it is DF_TOK_UNKNOWN, after which callers stop. */
#include "pattern.h"

enum {
    OPT_CASELESS = 1u << 0,
    OPT_EXTENDED = 1u << 1,       /* (?x): white space and # comments ignored */
    OPT_EXTENDED_MORE = 1u << 2,  /* (?xx): also space and tab in classes */
};

void df_syntax_init(df_syntax *r, const char *pattern, size_t len, unsigned flags) {
    memset(r, 0, sizeof *r);
    r->p = (const unsigned char *)(pattern != NULL ? pattern : "");
    r->len = len;
    if (flags & DF_CASELESS)
        r->options |= OPT_CASELESS;
    if (flags & DF_EXTENDED)
        r->options |= OPT_EXTENDED;
    /* A # comment ends at a newline, which the library's build defines; only
     * conventions where LF ends one are read (see skip_comment). */
    uint32_t newline = 0;
    pcre2_config(PCRE2_CONFIG_NEWLINE, &newline);
    r->lf_ends_comment = newline == PCRE2_NEWLINE_LF || newline == PCRE2_NEWLINE_ANYCRLF ||
                         newline == PCRE2_NEWLINE_ANY;
}

static int peek(const df_syntax *r, size_t ahead) {
    return r->i + ahead < r->len ? r->p[r->i + ahead] : -1;
}

static int is_digit(int ch) {
    return ch >= '0' && ch <= '9';
}

static int is_alnum(int ch) {
    return is_digit(ch) || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int is_hex(int ch) {
    return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Bytes of the UTF-8 character starting with `lead` (the pattern is valid). */
static size_t char_len(unsigned char lead) {
    return lead < 0xC0 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
}

static df_syntax_kind unknown(df_token *t) {
    t->kind = DF_TOK_UNKNOWN;
    return t->kind;
}

/* The token of one character at p[at..at+n), the reader past it. */
static df_syntax_kind character(df_syntax *r, df_token *t, size_t at, size_t n) {
    if (at + n > r->len)
        return unknown(t);
    t->kind = DF_TOK_CHAR;
    t->chr = r->p + at;
    t->chr_len = n;
    r->i = at + n;
    return t->kind;
}

/* Past the `close` byte of an argument such as \x{...}; 0 when missing. */
static int skip_to(df_syntax *r, int close) {
    while (r->i < r->len && r->p[r->i] != close)
        r->i++;
    if (r->i >= r->len)
        return 0;
    r->i++;
    return 1;
}

/* ------------------------------------------------------------- escapes */

/* \g and \k: back references, and \g<...> \g'...' subroutine calls. */
static df_syntax_kind reference(df_syntax *r, df_token *t, int e) {
    int open = peek(r, 0);
    t->kind = DF_TOK_BACKREF;
    if (open == '{' || open == '<' || open == '\'') {
        if (e == 'g' && open != '{')
            t->kind = DF_TOK_CALL;
        r->i++;
        return skip_to(r, open == '{' ? '}' : open == '<' ? '>' : '\'') ? t->kind : unknown(t);
    }
    if (e == 'k')
        return unknown(t);
    if (open == '+' || open == '-')
        r->i++;
    while (is_digit(peek(r, 0)))
        r->i++;
    return t->kind;
}

/* An escape outside a class; the reader is past the backslash and `e`. */
static df_syntax_kind escape(df_syntax *r, df_token *t, int e) {
    switch (e) {
    case 'b': case 'B':
        t->kind = DF_TOK_WORD_BOUNDARY;
        return t->kind;
    case 'A': case 'z': case 'Z': case 'G':
        t->kind = DF_TOK_ANCHOR;
        return t->kind;
    case 'K':
        t->kind = DF_TOK_RESET;
        return t->kind;
    case 'd': case 'D': case 'w': case 'W': case 's': case 'S': case 'h': case 'H':
    case 'v': case 'V': case 'R': case 'X': case 'a': case 'e': case 'f': case 'n':
    case 'r': case 't':
        t->kind = DF_TOK_ANY;
        return t->kind;
    case 'x': case 'o': case 'N': case 'p': case 'P':
        t->kind = DF_TOK_ANY;
        if (peek(r, 0) == '{')
            return skip_to(r, '}') ? t->kind : unknown(t);
        if (e == 'x')
            for (int k = 0; k < 2 && is_hex(peek(r, 0)); k++)
                r->i++;
        else if (e == 'p' || e == 'P')
            r->i++;
        else if (e == 'o')
            return unknown(t);
        return t->kind;
    case 'c':
        t->kind = DF_TOK_ANY;
        r->i++;
        return t->kind;
    case 'g': case 'k':
        return reference(r, t, e);
    default:
        if (is_digit(e)) {  /* a back reference or an octal escape */
            while (is_digit(peek(r, 0)))
                r->i++;
            t->kind = DF_TOK_BACKREF;
            return t->kind;
        }
        return unknown(t);
    }
}

/* -------------------------------------------------------------- classes */

static void class_add(df_token *t, int lo, int hi) {
    for (int c = lo; c <= hi; c++)
        t->class_ascii[c >> 3] |= (unsigned char)(1u << (c & 7));
}

/* An escape in a class: a punctuation character is *lo; anything else is
 * some set of characters (other), or unknown (0). */
static int class_escape(df_syntax *r, df_token *t, int *lo) {
    int e = peek(r, 1);
    if (e < 0 || e == 'Q' || e == 'E')  /* quoting inside a class: not read */
        return 0;
    r->i += 2;
    if (e < 0x80 && !is_alnum(e)) {
        *lo = e;
        return 1;
    }
    t->class_other = 1;
    *lo = -1;
    if (e >= 0x80) {
        r->i += char_len((unsigned char)e) - 1;
        return 1;
    }
    if ((e == 'x' || e == 'o' || e == 'N' || e == 'p' || e == 'P') && peek(r, 0) == '{')
        return skip_to(r, '}');
    if (e == 'c' || e == 'p' || e == 'P')
        r->i++;
    return 1;
}

/* [:alpha:], [.x.] or [=x=] inside a class, at its '['; 0 when unclosed. */
static int posix_class(df_syntax *r, df_token *t) {
    int kind = peek(r, 1);
    r->i += 2;
    while (r->i + 1 < r->len && !(r->p[r->i] == kind && r->p[r->i + 1] == ']'))
        r->i++;
    if (r->i + 1 >= r->len)
        return 0;
    r->i += 2;
    t->class_other = 1;
    return 1;
}

/* One item of a class: a character or a range of ASCII characters into the
 * set, anything else as `class_other`; 0 when it cannot be read. */
static int class_item(df_syntax *r, df_token *t) {
    int ch = peek(r, 0), lo;
    if (ch == '\\') {
        if (!class_escape(r, t, &lo))
            return 0;
        if (lo < 0)
            return 1;
    } else if (ch == '[' && (peek(r, 1) == ':' || peek(r, 1) == '.' || peek(r, 1) == '=')) {
        return posix_class(r, t);
    } else if (ch >= 0x80) {
        r->i += char_len((unsigned char)ch);
        t->class_other = 1;
        return 1;
    } else {
        lo = ch;
        r->i++;
    }
    int hi = lo;
    if (peek(r, 0) == '-' && peek(r, 1) >= 0 && peek(r, 1) != ']') {
        int h = peek(r, 1);
        if (h == '\\' || h == '[' || h >= 0x80) {
            t->class_other = 1;  /* the next item reads the range's end */
            r->i++;
            return 1;
        }
        hi = h;
        r->i += 2;
    }
    class_add(t, lo, hi);
    return 1;
}

/* A class at '[': its ASCII members, and whether it has others. */
static df_syntax_kind class_token(df_syntax *r, df_token *t) {
    t->kind = DF_TOK_CLASS;
    memset(t->class_ascii, 0, sizeof t->class_ascii);
    t->class_other = 0;
    r->i++;
    if (peek(r, 0) == '^') {
        t->class_other = 1;  /* negated: stands for any character */
        r->i++;
    }
    /* A ']' first is a member, even after the spaces (?xx) skips. */
    for (int first = 1;;) {
        int ch = peek(r, 0);
        if ((r->options & OPT_EXTENDED_MORE) && (ch == ' ' || ch == '\t')) {
            r->i++;
            continue;
        }
        if (ch < 0)
            return unknown(t);
        if (ch == ']' && !first) {
            r->i++;
            return t->kind;
        }
        first = 0;
        if (!class_item(r, t))
            return unknown(t);
    }
}

/* --------------------------------------------------------------- groups */

/* Inline option letters at p[i..): applied to *options; the index after
 * them, or 0 when they are not (only) letters this reader knows. */
static size_t option_letters(const df_syntax *r, size_t i, unsigned *options) {
    int on = 1;
    if (i < r->len && r->p[i] == '^') {
        *options &= ~(unsigned)(OPT_CASELESS | OPT_EXTENDED | OPT_EXTENDED_MORE);
        i++;
    }
    for (; i < r->len; i++) {
        unsigned char c = r->p[i];
        unsigned bit = 0;
        if (c == '-') {
            on = 0;
            continue;
        }
        if (c == 'i') {
            bit = OPT_CASELESS;
        } else if (c == 'x') {
            /* x sets extended, xx both; -x unsets both */
            int twice = i + 1 < r->len && r->p[i + 1] == 'x';
            bit = twice || !on ? OPT_EXTENDED | OPT_EXTENDED_MORE : OPT_EXTENDED;
            i += (size_t)twice;
        } else if (c != 'm' && c != 's' && c != 'n' && c != 'J' && c != 'U') {
            return c == ')' || c == ':' ? i : 0;
        }
        *options = on ? *options | bit : *options & ~bit;
    }
    return 0;
}

/* Enter a group: the options in force now come back at its ')'. */
static df_syntax_kind open_group(df_syntax *r, df_token *t, df_group_kind group) {
    if (r->depth == DF_SYNTAX_MAX_DEPTH)
        return unknown(t);
    r->saved[r->depth++] = (unsigned char)r->options;
    t->kind = DF_TOK_OPEN;
    t->group = group;
    return t->kind;
}

/* (?<name>, (?<= and (?<!, at '<' after "(?". */
static df_syntax_kind angle_group(df_syntax *r, df_token *t) {
    int k = peek(r, 1);
    if (k == '=' || k == '!') {
        r->i += 2;
        return open_group(r, t, k == '=' ? DF_GROUP_LOOKBEHIND : DF_GROUP_NOT_LOOKBEHIND);
    }
    r->i++;
    return skip_to(r, '>') ? open_group(r, t, DF_GROUP_CAPTURE) : unknown(t);
}

/* (?P<name>...), (?P=name) and (?P>name), at 'P' after "(?". */
static df_syntax_kind python_group(df_syntax *r, df_token *t) {
    int k = peek(r, 1);
    r->i += 2;
    if (k == '<')
        return skip_to(r, '>') ? open_group(r, t, DF_GROUP_CAPTURE) : unknown(t);
    if (k != '=' && k != '>')
        return unknown(t);
    t->kind = k == '=' ? DF_TOK_BACKREF : DF_TOK_CALL;
    return skip_to(r, ')') ? t->kind : unknown(t);
}

/* What follows "(?", the reader at the byte after it; DF_TOK_END for a
 * comment, which the caller skips. */
static df_syntax_kind question_group(df_syntax *r, df_token *t) {
    int k = peek(r, 0);
    switch (k) {
    case '#':
        if (!skip_to(r, ')'))
            return unknown(t);
        t->kind = DF_TOK_END;
        return t->kind;
    case ':': case '|': case '>': case '=': case '!':
        r->i++;
        return open_group(r, t, k == ':' || k == '|' ? DF_GROUP_PLAIN
                                : k == '>'           ? DF_GROUP_ATOMIC
                                : k == '='           ? DF_GROUP_LOOKAHEAD
                                                     : DF_GROUP_NOT_LOOKAHEAD);
    case '<':
        return angle_group(r, t);
    case '\'':
        r->i++;
        return skip_to(r, '\'') ? open_group(r, t, DF_GROUP_CAPTURE) : unknown(t);
    case 'P':
        return python_group(r, t);
    case '(':
        return unknown(t);  /* a conditional group */
    case 'R': case '&': case '+': case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        if (k == '-' && !is_digit(peek(r, 1)))
            break;  /* (?-i) */
        t->kind = DF_TOK_CALL;
        return skip_to(r, ')') ? t->kind : unknown(t);
    default:
        break;
    }
    unsigned options = r->options;
    size_t end = option_letters(r, r->i, &options);
    if (end == 0)
        return unknown(t);  /* callouts, and what newer PCRE2 adds */
    r->i = end + 1;
    if (r->p[end] == ':') {
        df_syntax_kind kind = open_group(r, t, DF_GROUP_PLAIN);
        r->options = options;
        return kind;
    }
    r->options = options;
    t->kind = DF_TOK_OPTIONS;
    return t->kind;
}

/* --------------------------------------------------------- quantifiers */

static size_t read_number(df_syntax *r) {
    size_t v = 0;
    while (is_digit(peek(r, 0))) {
        if (v < 100000)
            v = v * 10 + (size_t)(peek(r, 0) - '0');
        r->i++;
    }
    return v;
}

/* {n}, {n,} or {n,m} at '{'; a '{' that starts none of them is a
 * character, and {,m} and spaces (quantifiers in newer PCRE2) unknown. */
static df_syntax_kind braces(df_syntax *r, df_token *t) {
    int d = peek(r, 1);
    if (d == ',' || d == ' ')
        return unknown(t);
    if (!is_digit(d))
        return character(r, t, r->i, 1);
    size_t at = r->i;
    r->i++;
    t->min = t->max = read_number(r);
    if (peek(r, 0) == ',') {
        r->i++;
        t->max = is_digit(peek(r, 0)) ? read_number(r) : DF_UNBOUNDED;
    }
    if (peek(r, 0) != '}') {
        if (peek(r, 0) == ' ')
            return unknown(t);
        r->i = at;  /* "x{1,a": no quantifier, the '{' stands for itself */
        return character(r, t, at, 1);
    }
    r->i++;
    t->kind = DF_TOK_QUANT;
    return t->kind;
}

static df_syntax_kind quantifier(df_syntax *r, df_token *t) {
    int ch = peek(r, 0);
    if (ch == '{') {
        if (braces(r, t) != DF_TOK_QUANT)
            return t->kind;
    } else {
        t->kind = DF_TOK_QUANT;
        t->min = ch == '+' ? 1 : 0;
        t->max = ch == '?' ? 1 : DF_UNBOUNDED;
        r->i++;
    }
    t->possessive = peek(r, 0) == '+';
    if (peek(r, 0) == '+' || peek(r, 0) == '?')
        r->i++;
    return t->kind;
}

/* ------------------------------------------------------------ the walk */

static int is_pattern_space(const df_syntax *r, size_t *n) {
    int ch = peek(r, 0), b1 = peek(r, 1), b2 = peek(r, 2);
    *n = 1;
    if (ch == ' ' || (ch >= '\t' && ch <= '\r'))
        return 1;
    *n = 2;
    if (ch == 0xC2 && b1 == 0x85)  /* U+0085 */
        return 1;
    *n = 3;  /* U+200E, U+200F, U+2028, U+2029 */
    return ch == 0xE2 && ((b1 == 0x80 && (b2 == 0x8E || b2 == 0x8F || b2 == 0xA8 || b2 == 0xA9)));
}

/* Past a # comment to the LF that ends it; 0 where another newline
 * convention could end it sooner (CR, VT, FF, NEL, LS, PS, NUL) or the
 * library's does not end it at LF. */
static int skip_comment(df_syntax *r) {
    if (!r->lf_ends_comment)
        return 0;
    for (; r->i < r->len && r->p[r->i] != '\n'; r->i++) {
        size_t n;
        unsigned char c = r->p[r->i];
        if (c == '\0' || (c != ' ' && c != '\t' && is_pattern_space(r, &n) &&
                           !(n == 3 && r->p[r->i + 2] < 0xA8)))
            return 0;
    }
    if (r->i < r->len)
        r->i++;
    return 1;
}

/* White space and comments that (?x) makes no part of the pattern. */
static int skip_extended(df_syntax *r) {
    while (r->i < r->len) {
        size_t n;
        if (is_pattern_space(r, &n))
            r->i += n;
        else if (r->p[r->i] == '#') {
            if (!skip_comment(r))
                return 0;
        } else
            break;
    }
    return 1;
}

static df_syntax_kind quoted(df_syntax *r, df_token *t) {
    if (r->i >= r->len) {
        t->kind = DF_TOK_END;
        r->done = 1;
        return t->kind;
    }
    if (peek(r, 0) == '\\' && peek(r, 1) == 'E') {
        r->quote = 0;
        r->i += 2;
        t->kind = DF_TOK_END;  /* nothing: read on */
        return t->kind;
    }
    return character(r, t, r->i, char_len(r->p[r->i]));
}

static df_syntax_kind backslash(df_syntax *r, df_token *t) {
    int e = peek(r, 1);
    if (e < 0)
        return unknown(t);
    if (e == 'Q' || e == 'E') {
        r->quote = e == 'Q';
        r->i += 2;
        t->kind = DF_TOK_END;  /* nothing: read on */
        return t->kind;
    }
    if (e >= 0x80 || !is_alnum(e))  /* an escaped punctuation or non-ASCII character */
        return character(r, t, r->i + 1, char_len((unsigned char)e));
    r->i += 2;
    return escape(r, t, e);
}

static df_syntax_kind close_group(df_syntax *r, df_token *t) {
    if (r->depth == 0)
        return unknown(t);
    r->options = r->saved[--r->depth];
    r->i++;
    t->kind = DF_TOK_CLOSE;
    return t->kind;
}

static df_syntax_kind one_byte(df_syntax *r, df_token *t, df_syntax_kind kind) {
    r->i++;
    t->kind = kind;
    return kind;
}

/* One token from r->i; DF_TOK_END doubles as "nothing here, read on". */
static df_syntax_kind read_token(df_syntax *r, df_token *t) {
    if (r->quote)
        return quoted(r, t);
    if ((r->options & OPT_EXTENDED) && !skip_extended(r))
        return unknown(t);
    int ch = peek(r, 0);
    switch (ch) {
    case -1:
        t->kind = DF_TOK_END;
        r->done = 1;
        return t->kind;
    case '(':
        if (peek(r, 1) == '*') {
            t->kind = DF_TOK_VERB;
            return t->kind;
        }
        r->i++;
        if (peek(r, 0) != '?')
            return open_group(r, t, DF_GROUP_CAPTURE);
        r->i++;
        return question_group(r, t);
    case ')':
        return close_group(r, t);
    case '|':
        return one_byte(r, t, DF_TOK_ALT);
    case '[':
        return class_token(r, t);
    case '.':
        return one_byte(r, t, DF_TOK_ANY);
    case '^': case '$':
        return one_byte(r, t, DF_TOK_ANCHOR);
    case '\\':
        return backslash(r, t);
    case '*': case '+': case '?': case '{':
        return quantifier(r, t);
    default:
        return character(r, t, r->i, char_len((unsigned char)ch));
    }
}

df_syntax_kind df_syntax_next(df_syntax *r, df_token *t) {
    memset(t, 0, sizeof *t);
    if (r->failed) {
        t->kind = DF_TOK_UNKNOWN;
        return t->kind;
    }
    for (;;) {
        size_t start = r->i;
        int caseless = (r->options & OPT_CASELESS) != 0;
        df_syntax_kind kind = read_token(r, t);
        t->start = start;
        t->end = r->i;
        t->caseless = caseless;
        if (kind == DF_TOK_UNKNOWN || kind == DF_TOK_VERB)
            r->failed = 1;
        if (kind != DF_TOK_END || r->done)
            return kind;
    }
}
