/* Shared by every stage of the core: errors, growth, characters.  Not installed. */
#ifndef DF_BASE_H
#define DF_BASE_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <string.h>

#include "drivefacts.h"

/* x86-64 under GCC or clang: the AVX2 forms of the scans are compiled with
 * a target attribute and chosen at run time, so one build serves every
 * x86-64 CPU. */
#if defined(__x86_64__) && defined(__GNUC__)
#define DF_HAVE_AVX2 1
static inline int df_cpu_has_avx2(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("popcnt");
}
#else
#define DF_HAVE_AVX2 0
#endif

#if defined(__GNUC__)
#define DF_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define DF_PRINTF(fmt, args)
#endif

/* ASCII folding, the one the prefilter, the literal query and the scans
 * share: A-Z to a-z, every other byte as it is. */
static inline unsigned char df_ascii_lower(unsigned char c) {
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* ASCII whitespace: what trimming removes around facts, names and rules. */
static inline int df_is_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}


/* Fill *err (when not NULL) and return `code`, so that error paths read
 * `return df_fail(err, DF_EIO, 0, 0, "...", ...);`. */
df_status df_fail(df_error *err, df_status code, size_t offset, size_t line,
                  const char *fmt, ...) DF_PRINTF(5, 6);

/* Prefix err's message (when err is not NULL) with the fact it is about,
 * "source:line: fact id: ", set err->line, and return status: the one form
 * of an error inside a fact. */
df_status df_fail_in_fact(df_error *err, df_status status, const char *source, size_t line,
                          size_t id);

/* The JIT's machine stack plays the part of the depth limit under JIT.
 * The interpreter keeps its backtracking frames on the heap instead: the
 * heap limit (in KiB) gives it the same memory bound, so that a pattern
 * stopped on one path is stopped on the other. */
#define DF_JIT_STACK_START (32u * 1024u)
#define DF_JIT_STACK_MAX (8u * 1024u * 1024u)
#define DF_HEAP_LIMIT_KIB (DF_JIT_STACK_MAX / 1024u)

/* The one mapping of PCRE2's error codes to a df_status and a message:
 * a compile error is PCRE2's text "at offset N" (DF_EPATTERN); a match
 * error names the limit it hit, with the value from `limits` (NULL:
 * PCRE2's defaults).  `doing` (NULL: none) prefixes the message. */
df_status df_pcre2_compile_fail(df_error *err, int rc, size_t offset, const char *doing);
df_status df_pcre2_match_fail(df_error *err, int rc, size_t offset, const df_limits *limits,
                              const char *doing);

/* 1-based line of byte `offset` in s: one more than the newlines before it. */
size_t df_line_of(const char *s, size_t offset);

/* The '\n' bytes in s[0..len), 16 at a time where SSE2 is there: a
 * streamed search counts every line of the file, as rg -n does. */
size_t df_count_newlines(const char *s, size_t len);

/* The lines of s[0..len) that hold more than whitespace (facts, in the
 * lines format), and in *newlines its '\n' bytes; 64 bytes at a time.
 * _width takes the widest vectors allowed: 2 AVX2 (where the CPU has it),
 * 1 SSE2 (x86-64), 0 none; each must give the same counts. */
size_t df_count_text_lines(const char *s, size_t len, size_t *newlines);
size_t df_count_text_lines_width(const char *s, size_t len, int width, size_t *newlines);

/* Where the first invalid UTF-8 sequence starts, or `len` when s is valid;
 * *reason (may be NULL) gets a short description of the fault. */
size_t df_utf8_find_invalid(const char *s, size_t len, const char **reason);

/* Make room for `need` elements of `size` bytes in *array (capacity in
 * elements), at least doubling.  Returns 0, or -1 with the array unchanged
 * when memory (or size_t) runs out. */
int df_grow(void **array, size_t *capacity, size_t need, size_t size);

/* A stable counting sort of n items by key (keys[i] < buckets): on return
 * at[b] .. at[b + 1] is the range of key b in sorted order (at has
 * buckets + 1 entries, at[buckets] == n) and slot[i] is item i's place in
 * it; callers move their items with slot. */
void df_counting_sort(const uint32_t *keys, size_t n, size_t buckets, size_t *at, size_t *slot);

/* Is byte c part of a word for the index's purposes: ASCII letter, digit or
 * underscore, or any byte of a non-ASCII character? */
static inline int df_is_word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c >= 0x80;
}

/* Decode the character at s[i] (i < len, valid UTF-8) into *cp; returns the
 * index after it. */
size_t df_utf8_next(const char *s, size_t len, size_t i, uint32_t *cp);
/* The character that ends just before s[i] (i > 0, valid UTF-8). */
uint32_t df_utf8_before(const char *s, size_t i);
/* Letters, digits and underscore: ASCII exactly; beyond ASCII, everything
 * but the common punctuation, symbol and space blocks. */
int df_is_word_cp(uint32_t c);

#endif
