/* Tests for df_utf8_check (base_utf8.c).
 *
 * The contract is "valid UTF-8 by PCRE2's rules", so besides hand-written
 * cases for every kind of bad sequence, a differential test feeds thousands
 * of pseudo-random byte strings to both df_utf8_check and PCRE2's own check
 * (pcre2_match without PCRE2_NO_UTF_CHECK) and requires the same verdict and
 * the same offset. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "drivefacts.h"

/* A string literal with its length, so embedded NULs count. */
#define BYTES(lit) (lit), (sizeof(lit) - 1)

/* 1-based line of byte `offset`: one more than the '\n's before it. */
static size_t line_of(const char *s, size_t offset) {
    size_t line = 1;
    for (size_t i = 0; i < offset; i++) {
        if (s[i] == '\n') {
            line++;
        }
    }
    return line;
}

static void print_hex(const char *label, const char *s, size_t len) {
    print_message("%s (%zu bytes):", label, len);
    for (size_t i = 0; i < len; i++) {
        print_message(" %02X", (unsigned)(unsigned char)s[i]);
    }
    print_message("\n");
}

static void expect_valid(const char *s, size_t len) {
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_utf8_check(s, len, &err);
    if (st != DF_OK) {
        print_hex("expected valid", s, len);
        print_message("got %s at offset %zu\n", df_status_name(st), err.offset);
    }
    assert_int_equal(st, DF_OK);
}

/* Checks status, offset, line and that the message is one non-empty line. */
static void expect_invalid(const char *s, size_t len, size_t offset, size_t line) {
    df_error err;
    memset(&err, 0, sizeof err);
    df_status st = df_utf8_check(s, len, &err);
    if (st != DF_EUTF8 || err.offset != offset || err.line != line) {
        print_hex("expected invalid", s, len);
        print_message("expected offset %zu line %zu; got %s offset %zu line %zu\n",
                      offset, line, df_status_name(st), err.offset, err.line);
    }
    assert_int_equal(st, DF_EUTF8);
    assert_int_equal(err.code, DF_EUTF8);
    assert_int_equal(err.offset, offset);
    assert_int_equal(err.line, line);
    assert_true(strlen(err.message) > 0);
    assert_true(strlen(err.message) < DF_ERROR_MESSAGE_SIZE);
    assert_null(strchr(err.message, '\n'));
}

static void test_valid_ascii(void **state) {
    (void)state;
    expect_valid(BYTES(""));
    expect_valid(BYTES("hello, world"));
    expect_valid(BYTES("line one\nline two\r\n\ttabbed\n"));
    /* Every ASCII byte, including the control characters. */
    char all[128];
    for (size_t i = 0; i < sizeof all; i++) {
        all[i] = (char)i;
    }
    expect_valid(all, sizeof all);
}

static void test_valid_multibyte(void **state) {
    (void)state;
    expect_valid(BYTES("caf\xC3\xA9"));                 /* é, 2 bytes */
    expect_valid(BYTES("\xC2\x80"));                    /* U+0080, smallest 2-byte */
    expect_valid(BYTES("\xDF\xBF"));                    /* U+07FF, largest 2-byte */
    expect_valid(BYTES("\xE2\x82\xAC"));                /* €, 3 bytes */
    expect_valid(BYTES("\xE0\xA0\x80"));                /* U+0800, smallest 3-byte */
    expect_valid(BYTES("\xED\x9F\xBF"));                /* U+D7FF, just below surrogates */
    expect_valid(BYTES("\xEE\x80\x80"));                /* U+E000, just above them */
    expect_valid(BYTES("\xEF\xBF\xBF"));                /* U+FFFF, a noncharacter, allowed */
    expect_valid(BYTES("\xEF\xBB\xBF"));                /* U+FEFF (BOM) is a character */
    expect_valid(BYTES("\xF0\x9D\x84\x9E"));            /* U+1D11E, 4 bytes */
    expect_valid(BYTES("\xF0\x90\x80\x80"));            /* U+10000, smallest 4-byte */
    expect_valid(BYTES("\xF4\x8F\xBF\xBF"));            /* U+10FFFF, the largest */
    expect_valid(BYTES("S\xC3\xB6" "derstr\xC3\xB6" "m\nNo\xC3\xA9\n"));
}

/* NUL is U+0000, a valid character; the check goes by length, not strlen. */
static void test_nul_bytes_are_valid(void **state) {
    (void)state;
    expect_valid(BYTES("\0"));
    expect_valid(BYTES("a\0b\0"));
    expect_valid(BYTES("\xC3\xA9\0\xE2\x82\xAC"));
    /* A bad byte after a NUL is still found, so the scan did not stop there. */
    expect_invalid(BYTES("a\0\xC3"), 2, 1);
    expect_invalid(BYTES("\0\0\0\x80"), 3, 1);
}

/* Bytes past `len` are not part of the input. */
static void test_length_is_honoured(void **state) {
    (void)state;
    const char s[] = "ab\x80";
    assert_int_equal(df_utf8_check(s, 2, NULL), DF_OK);
    assert_int_equal(df_utf8_check(s, 3, NULL), DF_EUTF8);
    /* A 2-byte character cut by len is truncated. */
    expect_invalid("x\xC3\xA9", 2, 1, 1);
}

static void test_stray_continuation(void **state) {
    (void)state;
    expect_invalid(BYTES("\x80"), 0, 1);
    expect_invalid(BYTES("ab\x80"), 2, 1);
    expect_invalid(BYTES("ab\xBF" "cd"), 2, 1);
    /* One continuation byte too many after a complete character. */
    expect_invalid(BYTES("\xC3\xA9\xA9"), 2, 1);
    expect_invalid(BYTES("\xE2\x82\xAC\x80"), 3, 1);
}

static void test_overlong(void **state) {
    (void)state;
    /* 2-byte forms of ASCII: C0 and C1 can never start a valid sequence. */
    expect_invalid(BYTES("a\xC0\x80"), 1, 1);
    expect_invalid(BYTES("a\xC1\xBF"), 1, 1);
    expect_invalid(BYTES("\xC0\xAF"), 0, 1);
    /* 3-byte forms of code points below U+0800. */
    expect_invalid(BYTES("\xE0\x80\x80"), 0, 1);
    expect_invalid(BYTES("ok \xE0\x9F\xBF"), 3, 1);
    /* 4-byte forms of code points below U+10000. */
    expect_invalid(BYTES("\xF0\x80\x80\x80"), 0, 1);
    expect_invalid(BYTES("\xF0\x8F\xBF\xBF"), 0, 1);
}

static void test_surrogates(void **state) {
    (void)state;
    expect_invalid(BYTES("\xED\xA0\x80"), 0, 1);        /* U+D800 */
    expect_invalid(BYTES("\xED\xBF\xBF"), 0, 1);        /* U+DFFF */
    expect_invalid(BYTES("ab\xED\xB2\x80" "cd"), 2, 1); /* U+DC80 */
}

static void test_above_max(void **state) {
    (void)state;
    expect_invalid(BYTES("\xF4\x90\x80\x80"), 0, 1);     /* U+110000 */
    expect_invalid(BYTES("xy\xF4\xBF\xBF\xBF"), 2, 1);   /* U+13FFFF */
    /* F5..FF never start a valid sequence, whatever follows: F5..F7 would
     * be above U+10FFFF, F8..FD are the old 5- and 6-byte forms, FE and FF
     * are not UTF-8 at all. */
    for (unsigned lead = 0xF5; lead <= 0xFF; lead++) {
        char s[8] = {'z', (char)lead, '\x80', '\x80', '\x80', '\x80', '\x80', 'z'};
        expect_invalid(s, sizeof s, 1, 1);
        /* Alone at the end, too. */
        expect_invalid(s, 2, 1, 1);
    }
}

static void test_truncated_at_end(void **state) {
    (void)state;
    expect_invalid(BYTES("ab\xC3"), 2, 1);
    expect_invalid(BYTES("ab\xE2"), 2, 1);
    expect_invalid(BYTES("ab\xE2\x82"), 2, 1);
    expect_invalid(BYTES("\xF0"), 0, 1);
    expect_invalid(BYTES("ab\xF0\x9D"), 2, 1);
    expect_invalid(BYTES("ab\xF0\x9D\x84"), 2, 1);
}

static void test_truncated_in_middle(void **state) {
    (void)state;
    expect_invalid(BYTES("a\xC3" "b"), 1, 1);
    expect_invalid(BYTES("a\xE2\x82" "b"), 1, 1);
    expect_invalid(BYTES("a\xE2" "bc"), 1, 1);
    expect_invalid(BYTES("a\xF0\x9D\x84" "b"), 1, 1);
    expect_invalid(BYTES("a\xF0\x9D" "bcd"), 1, 1);
    /* A new lead byte where a continuation byte was due. */
    expect_invalid(BYTES("\xF0\x9D\xC3\xA9"), 0, 1);
    expect_invalid(BYTES("\xC3\xC3\xA9"), 0, 1);
    /* A NUL where a continuation byte was due. */
    expect_invalid(BYTES("\xE2\x82\0"), 0, 1);
}

static void test_line_numbers(void **state) {
    (void)state;
    expect_invalid(BYTES("\xFF\n"), 0, 1);              /* a '\n' after does not count */
    expect_invalid(BYTES("one\ntwo\n\xFF"), 8, 3);
    expect_invalid(BYTES("\n\n\n\x80"), 3, 4);
    expect_invalid(BYTES("a\r\nb\xC0\xAF"), 4, 2);      /* CRLF is one line break */
    expect_invalid(BYTES("x\ny\xE2\x82\nz"), 3, 2);     /* truncated just before a '\n' */
    /* Only the first error is reported. */
    expect_invalid(BYTES("ok\n\x80\n\xFF"), 3, 2);
}

/* Implementations often skip ASCII a word at a time; the offset and line
 * must still be exact wherever the bad byte falls relative to alignment. */
static void test_offsets_across_alignments(void **state) {
    (void)state;
    char buf[600];  /* several of the widest (128-byte) skips */
    for (size_t bad = 0; bad < sizeof buf; bad++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            buf[i] = (i % 13 == 12) ? '\n' : 'a';
        }
        /* Valid multibyte characters straddling word boundaries too. */
        if (bad >= 4) {
            memcpy(buf + bad - 4, "\xE2\x82\xAC", 3);
        }
        buf[bad] = (char)0x80;
        expect_invalid(buf, sizeof buf, bad, line_of(buf, bad));
    }
    /* And a long all-valid buffer with characters at every alignment. */
    char ok[400];
    size_t n = 0;
    while (n + 4 <= sizeof ok) {
        memcpy(ok + n, "\xF0\x9D\x84\x9E", 4);
        n += 4;
        if (n + 3 <= sizeof ok) {
            memcpy(ok + n, "b\xC3\xA9", 3);
            n += 3;
        }
    }
    expect_valid(ok, n);
}

/* "On success *err is left untouched." */
static void test_success_leaves_err_untouched(void **state) {
    (void)state;
    df_error err, before;
    memset(&err, 0x5A, sizeof err);
    memcpy(&before, &err, sizeof err);
    assert_int_equal(df_utf8_check(BYTES("fine \xC3\xA9"), &err), DF_OK);
    assert_memory_equal(&err, &before, sizeof err);
}

static void test_null_err_allowed(void **state) {
    (void)state;
    assert_int_equal(df_utf8_check(BYTES("ok"), NULL), DF_OK);
    assert_int_equal(df_utf8_check(BYTES("\x80"), NULL), DF_EUTF8);
}

static void test_null_input(void **state) {
    (void)state;
    df_error err;
    memset(&err, 0, sizeof err);
    assert_int_equal(df_utf8_check(NULL, 5, &err), DF_EARG);
    assert_int_equal(err.code, DF_EARG);
}

/* ------------------------------------------------------ differential test */

static uint32_t lcg_state;

/* Numerical Recipes' LCG; the high bits are the better ones. */
static uint32_t lcg_next(void) {
    lcg_state = lcg_state * 1664525u + 1013904223u;
    return lcg_state >> 8;
}

/* Encode cp in `nbytes` bytes the way UTF-8 would, even when that is an
 * overlong form, a surrogate or above U+10FFFF: the point is to produce
 * near-misses. */
static size_t encode(uint32_t cp, size_t nbytes, unsigned char *out) {
    switch (nbytes) {
    case 1:
        out[0] = (unsigned char)(cp & 0x7F);
        return 1;
    case 2:
        out[0] = (unsigned char)(0xC0 | ((cp >> 6) & 0x1F));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    case 3:
        out[0] = (unsigned char)(0xE0 | ((cp >> 12) & 0x0F));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    default:
        out[0] = (unsigned char)(0xF0 | ((cp >> 18) & 0x07));
        out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (unsigned char)(0x80 | (cp & 0x3F));
        return 4;
    }
}

static size_t natural_length(uint32_t cp) {
    return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/* A short byte string biased toward the interesting bytes. */
static size_t random_string(unsigned char *buf, size_t cap) {
    size_t target = lcg_next() % 13;
    size_t n = 0;
    static const unsigned char ascii[] = {'a', 'Z', ' ', '\n', '\0', 0x7F};
    /* Code points near the edges of the ranges. */
    static const uint32_t edges[] = {0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF,
                                     0xDC00, 0xDFFF, 0xE000, 0xFFFD, 0xFFFF, 0x10000,
                                     0x10FFFF, 0x110000, 0x13FFFF, 0x1FFFFF};
    while (n < target && n + 4 <= cap) {
        uint32_t r = lcg_next() % 100;
        if (r < 12) {
            buf[n++] = ascii[lcg_next() % sizeof ascii];
        } else if (r < 32) {
            buf[n++] = (unsigned char)(0x80 + lcg_next() % 0x40); /* continuation */
        } else if (r < 52) {
            buf[n++] = (unsigned char)(0xC2 + lcg_next() % (0xF4 - 0xC2 + 1)); /* valid lead */
        } else if (r < 62) {
            buf[n++] = (unsigned char)(0x80 + lcg_next() % 0x80); /* any high byte */
        } else {
            uint32_t cp;
            if (lcg_next() % 2) {
                cp = edges[lcg_next() % (sizeof edges / sizeof edges[0])];
            } else {
                cp = lcg_next() % 0x120000;
            }
            size_t len = natural_length(cp);
            uint32_t how = lcg_next() % 10;
            if (how == 0 && len < 4) {
                len++; /* overlong */
            }
            unsigned char enc[4];
            size_t m = encode(cp, len, enc);
            if (how == 1 && m > 1) {
                m = 1 + lcg_next() % (m - 1); /* truncated */
            }
            memcpy(buf + n, enc, m);
            n += m;
        }
    }
    return n;
}

static void test_differential_against_pcre2(void **state) {
    (void)state;
    int errcode;
    PCRE2_SIZE erroffset;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR) "", 0, PCRE2_UTF, &errcode, &erroffset, NULL);
    assert_non_null(code);
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    assert_non_null(md);

    lcg_state = 20110916u; /* Drive's US release date: any fixed seed will do */
    size_t valid = 0, invalid = 0;
    for (int iter = 0; iter < 5000; iter++) {
        /* The random bytes sit at a random place in ASCII text, so that
         * the validator's 128-, 64- and 8-byte skips meet them at every
         * alignment, and may skip valid blocks after them. */
        unsigned char buf[24 + 2 * 300];
        size_t before = lcg_next() % 300, after = lcg_next() % 300;
        memset(buf, 'x', before);
        size_t len = before + random_string(buf + before, 24);
        memset(buf + len, 'y', after);
        len += after;
        const char *s = (const char *)buf;

        int rc = pcre2_match(code, buf, len, 0, 0, md, NULL);
        /* "" always matches valid input; anything else must be a UTF-8
         * error, or the oracle itself is broken. */
        int pcre2_valid = rc >= 0;
        if (!pcre2_valid && !(rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)) {
            fail_msg("pcre2_match returned unexpected %d", rc);
        }

        df_error err;
        memset(&err, 0, sizeof err);
        df_status st = df_utf8_check(s, len, &err);

        if (pcre2_valid) {
            valid++;
            if (st != DF_OK) {
                print_hex("PCRE2 says valid", s, len);
                fail_msg("df_utf8_check: %s at offset %zu", df_status_name(st), err.offset);
            }
        } else {
            invalid++;
            size_t off = pcre2_get_startchar(md);
            if (st != DF_EUTF8 || err.offset != off || err.line != line_of(s, off)) {
                print_hex("PCRE2 says invalid", s, len);
                fail_msg("PCRE2 error %d at offset %zu; df_utf8_check: %s offset %zu line %zu",
                         rc, off, df_status_name(st), err.offset, err.line);
            }
        }
    }
    /* Both verdicts must be well represented, or the test proves little. */
    assert_true(valid > 500);
    assert_true(invalid > 500);

    pcre2_match_data_free(md);
    pcre2_code_free(code);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_ascii),
        cmocka_unit_test(test_valid_multibyte),
        cmocka_unit_test(test_nul_bytes_are_valid),
        cmocka_unit_test(test_length_is_honoured),
        cmocka_unit_test(test_stray_continuation),
        cmocka_unit_test(test_overlong),
        cmocka_unit_test(test_surrogates),
        cmocka_unit_test(test_above_max),
        cmocka_unit_test(test_truncated_at_end),
        cmocka_unit_test(test_truncated_in_middle),
        cmocka_unit_test(test_line_numbers),
        cmocka_unit_test(test_offsets_across_alignments),
        cmocka_unit_test(test_success_leaves_err_untouched),
        cmocka_unit_test(test_null_err_allowed),
        cmocka_unit_test(test_null_input),
        cmocka_unit_test(test_differential_against_pcre2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
