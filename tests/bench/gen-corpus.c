/* gen-corpus: a deterministic benchmark corpus made from the Drive (2011)
 * facts, in "lines" format (one fact per line).
 *
 *   gen-corpus [-s SEED] [-f FACTS_FILE] [-m MANIFEST] SIZE OUT
 *
 * SIZE is a byte count with an optional suffix K, M or G (powers of 1024):
 * OUT gets exactly that many bytes.  The same seed, source and size always
 * give the same bytes: the generator uses its own PRNG (xoshiro256**),
 * never rand(), and no clock or locale.
 *
 * Each generated fact starts from a random source fact and is mutated:
 * its sentences may be shuffled, one dropped or one borrowed from another
 * fact; some words are swapped for words of other facts; the digits of
 * numbers are varied.  Rare tokens are planted at fixed low rates so that
 * selective queries exist:
 *   "Zyxquorvant"         in about 1 fact of 100,000
 *   "QX-dddd-ZZ"          in about 1 fact of 40,000   (matches QX-\d{4}-ZZ)
 * and near misses that must not match, about 1 fact of 20,000 each:
 *   "Zyxquorvan", "Zyxqu0rvant", "QX-ddd-ZZ", "QX-ddddd-ZZ", "qx-dddd-zz".
 * The manifest (default OUT.manifest) records the seed, the size, the
 * number of facts and how many facts hold each planted token, so that a
 * benchmark can check the counts against the truth.
 *
 * The output is written to OUT.tmp and renamed, so a file named OUT is
 * always complete. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ PRNG */

static uint64_t rng_state[4];

static uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_seed(uint64_t seed) {
    for (int i = 0; i < 4; i++)
        rng_state[i] = splitmix64(&seed);
}

/* xoshiro256** */
static uint64_t rng_next(void) {
    uint64_t *s = rng_state;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform enough in [0, n) for n far below 2^32; deterministic. */
static size_t rng_below(size_t n) {
    return (size_t)((rng_next() >> 32) * (uint64_t)n >> 32);
}

/* 1 with probability 1/n. */
static int one_in(size_t n) {
    return rng_below(n) == 0;
}

/* ------------------------------------------------------------ source */

typedef struct span {
    const char *s;
    size_t len;
} span;

typedef struct source_fact {
    span *sentences;
    size_t nsentences;
} source_fact;

static source_fact *facts;
static size_t nfacts;
static span *words;   /* every word of every fact: the pool words come from */
static size_t nwords, words_cap;

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (q == NULL) {
        fprintf(stderr, "gen-corpus: out of memory\n");
        exit(2);
    }
    return q;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_upper_or_quote(char c) {
    return (c >= 'A' && c <= 'Z') || c == '"' || c == '\'' || c == '(';
}

static void add_word(const char *s, size_t len) {
    if (nwords == words_cap) {
        words_cap = words_cap ? words_cap * 2 : 1024;
        words = xrealloc(words, words_cap * sizeof *words);
    }
    words[nwords++] = (span){s, len};
}

/* One fact (text with single spaces) into sentences: a sentence ends at
 * '.', '!' or '?' followed by a space and a capital or an opening quote. */
static void add_fact(char *text, size_t len) {
    source_fact f = {NULL, 0};
    size_t cap = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        int end = i == len ||
                  ((text[i] == '.' || text[i] == '!' || text[i] == '?') && i + 2 < len &&
                   text[i + 1] == ' ' && is_upper_or_quote(text[i + 2]));
        if (!end)
            continue;
        size_t stop = i == len ? len : i + 1;
        if (f.nsentences == cap) {
            cap = cap ? cap * 2 : 4;
            f.sentences = xrealloc(f.sentences, cap * sizeof *f.sentences);
        }
        f.sentences[f.nsentences++] = (span){text + start, stop - start};
        start = stop + 1;  /* past the space */
        i = stop;
    }
    size_t w = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == ' ') {
            if (i > w)
                add_word(text + w, i - w);
            w = i + 1;
        }
    }
    facts = xrealloc(facts, (nfacts + 1) * sizeof *facts);
    facts[nfacts++] = f;
}

/* Paragraphs separated by blank lines; the lines of a paragraph are joined
 * with single spaces, so no generated fact holds a line break. */
static void read_source(const char *path) {
    FILE *fp = fopen(path, "rb");
    if (fp == NULL) {
        fprintf(stderr, "gen-corpus: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    char *data = NULL;
    size_t len = 0, cap = 0, n;
    char chunk[65536];
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            data = xrealloc(data, cap);
        }
        memcpy(data + len, chunk, n);
        len += n;
    }
    fclose(fp);
    if (data == NULL) {
        fprintf(stderr, "gen-corpus: %s: empty\n", path);
        exit(2);
    }
    /* Normalise in place: a paragraph becomes one run of text with single
     * spaces, paragraphs end with '\n'. */
    char *out = data;
    size_t i = 0;
    while (i < len) {
        while (i < len && is_space(data[i]))
            i++;
        if (i == len)
            break;
        char *para = out;
        int space = 0;
        while (i < len) {
            if (data[i] == '\n') {
                /* a blank line (only spaces up to the next newline) ends it */
                size_t j = i + 1;
                while (j < len && data[j] != '\n' && is_space(data[j]))
                    j++;
                if (j >= len || data[j] == '\n')
                    break;
                space = 1;
                i++;
                continue;
            }
            if (is_space(data[i])) {
                space = 1;
                i++;
                continue;
            }
            if (space && out > para)
                *out++ = ' ';
            space = 0;
            *out++ = data[i++];
        }
        add_fact(para, (size_t)(out - para));
        *out++ = '\n';
    }
    if (nfacts == 0) {
        fprintf(stderr, "gen-corpus: %s: no facts\n", path);
        exit(2);
    }
}

/* ------------------------------------------------------------ output */

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void buf_add(buf *b, const char *s, size_t len) {
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
}

static void buf_char(buf *b, char c) {
    buf_add(b, &c, 1);
}

/* Counts of facts holding each planted token, for the manifest. */
typedef struct planted {
    size_t zyx, qx, decoys;
} planted;

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* Append one word, varying the digits of numbers in it: each digit becomes
 * a random digit, a leading digit stays non-zero. */
static void emit_word(buf *b, span w, int vary_digits) {
    for (size_t i = 0; i < w.len; i++) {
        char c = w.s[i];
        if (vary_digits && is_digit(c)) {
            int leading = i == 0 || !is_digit(w.s[i - 1]);
            c = (char)(leading ? '1' + rng_below(9) : '0' + rng_below(10));
        }
        buf_char(b, c);
    }
}

static void emit_token(buf *b, const char *token) {
    buf_add(b, token, strlen(token));
}

static void emit_number(buf *b, int digits) {
    for (int i = 0; i < digits; i++)
        buf_char(b, (char)('0' + rng_below(10)));
}

/* A decoy: looks like a planted token but matches neither query. */
static void emit_decoy(buf *b) {
    switch (rng_below(5)) {
    case 0: emit_token(b, "Zyxquorvan"); break;
    case 1: emit_token(b, "Zyxqu0rvant"); break;
    case 2: emit_token(b, "QX-"); emit_number(b, 3); emit_token(b, "-ZZ"); break;
    case 3: emit_token(b, "QX-"); emit_number(b, 5); emit_token(b, "-ZZ"); break;
    default: emit_token(b, "qx-"); emit_number(b, 4); emit_token(b, "-zz"); break;
    }
}

/* One generated fact, without its line break, into b (emptied first).
 * With plant == 0 nothing rare is planted (the filler at the end). */
static void make_fact(buf *b, int plant, planted *p) {
    /* The sentences: those of a random fact, perhaps one borrowed from
     * another fact, perhaps one dropped, perhaps shuffled. */
    span chosen[64];
    size_t n = 0;
    const source_fact *base = &facts[rng_below(nfacts)];
    for (size_t i = 0; i < base->nsentences && n < 62; i++)
        chosen[n++] = base->sentences[i];
    if (one_in(3)) {
        const source_fact *other = &facts[rng_below(nfacts)];
        chosen[n++] = other->sentences[rng_below(other->nsentences)];
    }
    if (n > 1 && one_in(5)) {
        size_t drop = rng_below(n);
        memmove(chosen + drop, chosen + drop + 1, (n - drop - 1) * sizeof *chosen);
        n--;
    }
    if (n > 1 && one_in(3)) {
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = rng_below(i + 1);
            span t = chosen[i];
            chosen[i] = chosen[j];
            chosen[j] = t;
        }
    }
    /* Count the words, to choose where planted tokens go. */
    size_t nw = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k <= chosen[i].len; k++)
            if (k == chosen[i].len || chosen[i].s[k] == ' ')
                nw++;
    }
    int zyx = plant && one_in(100000);
    int qx = plant && one_in(40000);
    int decoy = plant && one_in(20000);
    size_t zyx_at = rng_below(nw), qx_at = rng_below(nw), decoy_at = rng_below(nw);
    int vary = one_in(2);

    b->len = 0;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = chosen[i].s;
        size_t len = chosen[i].len, start = 0;
        for (size_t k = 0; k <= len; k++) {
            if (k < len && s[k] != ' ')
                continue;
            span word = {s + start, k - start};
            start = k + 1;
            if (b->len > 0)
                buf_char(b, ' ');
            if (zyx && w == zyx_at) {
                emit_token(b, "Zyxquorvant ");
            }
            if (qx && w == qx_at) {
                emit_token(b, "QX-");
                emit_number(b, 4);
                emit_token(b, "-ZZ ");
            }
            if (decoy && w == decoy_at) {
                emit_decoy(b);
                buf_char(b, ' ');
            }
            /* About one word in twelve comes from another fact. */
            if (one_in(12))
                word = words[rng_below(nwords)];
            emit_word(b, word, vary);
            w++;
        }
    }
    if (p != NULL) {
        p->zyx += (size_t)zyx;
        p->qx += (size_t)qx;
        p->decoys += (size_t)decoy;
    }
}

static int parse_size(const char *s, uint64_t *out) {
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s)
        return -1;
    uint64_t mult = 1;
    if (*end == 'K' || *end == 'k')
        mult = 1024, end++;
    else if (*end == 'M' || *end == 'm')
        mult = 1024 * 1024, end++;
    else if (*end == 'G' || *end == 'g')
        mult = 1024ull * 1024 * 1024, end++;
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end != '\0' || v > UINT64_MAX / mult)
        return -1;
    *out = v * mult;
    return 0;
}

static void usage(void) {
    fprintf(stderr, "usage: gen-corpus [-s SEED] [-f FACTS_FILE] [-m MANIFEST] SIZE OUT\n"
                    "  SIZE: bytes, with an optional suffix K, M or G (e.g. 100M)\n");
    exit(2);
}

static void write_or_die(FILE *fp, const char *s, size_t len, const char *path) {
    if (len > 0 && fwrite(s, 1, len, fp) != len) {
        fprintf(stderr, "gen-corpus: %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

int main(int argc, char **argv) {
    uint64_t seed = 2011, size = 0;
    const char *source = "core/data/drive-2011.txt", *manifest = NULL;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
        if (i + 1 >= argc)
            usage();
        if (strcmp(argv[i], "-s") == 0) {
            if (parse_size(argv[++i], &seed) != 0)
                usage();
        } else if (strcmp(argv[i], "-f") == 0) {
            source = argv[++i];
        } else if (strcmp(argv[i], "-m") == 0) {
            manifest = argv[++i];
        } else {
            usage();
        }
    }
    if (argc - i != 2 || parse_size(argv[i], &size) != 0)
        usage();
    const char *out_path = argv[i + 1];

    read_source(source);
    rng_seed(seed);

    size_t plen = strlen(out_path);
    char *tmp = xrealloc(NULL, plen + 5);
    memcpy(tmp, out_path, plen);
    memcpy(tmp + plen, ".tmp", 5);
    FILE *fp = fopen(tmp, "wb");
    if (fp == NULL) {
        fprintf(stderr, "gen-corpus: %s: %s\n", tmp, strerror(errno));
        return 2;
    }
    static char iobuf[1 << 20];
    setvbuf(fp, iobuf, _IOFBF, sizeof iobuf);

    buf b = {NULL, 0, 0};
    planted p = {0, 0, 0};
    uint64_t written = 0, count = 0;
    for (;;) {
        planted one = {0, 0, 0};
        make_fact(&b, 1, &one);
        if (written + b.len + 1 > size)
            break;  /* what this fact planted is not in the file */
        p.zyx += one.zyx;
        p.qx += one.qx;
        p.decoys += one.decoys;
        buf_char(&b, '\n');
        write_or_die(fp, b.s, b.len, tmp);
        written += b.len;
        count++;
    }
    /* The last fact fills the size exactly: a fact without planted tokens,
     * cut at a character boundary and padded with '.'. */
    uint64_t room = size - written;
    if (room > 0) {
        make_fact(&b, 0, NULL);
        size_t keep = (size_t)(room - 1);
        if (keep > b.len)
            keep = b.len;
        while (keep > 0 && keep < b.len && ((unsigned char)b.s[keep] & 0xC0) == 0x80)
            keep--;
        while (keep > 0 && b.s[keep - 1] == ' ')
            keep--;
        write_or_die(fp, b.s, keep, tmp);
        for (uint64_t k = keep; k + 1 < room; k++)
            write_or_die(fp, ".", 1, tmp);
        write_or_die(fp, "\n", 1, tmp);
        written += room;
        if (room > 1)
            count++;
    }
    if (fclose(fp) != 0) {
        fprintf(stderr, "gen-corpus: %s: %s\n", tmp, strerror(errno));
        return 2;
    }
    if (rename(tmp, out_path) != 0) {
        fprintf(stderr, "gen-corpus: rename %s: %s\n", tmp, strerror(errno));
        return 2;
    }

    char *mpath = NULL;
    if (manifest == NULL) {
        mpath = xrealloc(NULL, plen + 10);
        memcpy(mpath, out_path, plen);
        memcpy(mpath + plen, ".manifest", 10);
        manifest = mpath;
    }
    FILE *mf = fopen(manifest, "w");
    if (mf == NULL) {
        fprintf(stderr, "gen-corpus: %s: %s\n", manifest, strerror(errno));
        return 2;
    }
    fprintf(mf,
            "seed\t%llu\nbytes\t%llu\nfacts\t%llu\nsource_facts\t%zu\n"
            "zyxquorvant_facts\t%zu\nqx_facts\t%zu\ndecoy_facts\t%zu\n",
            (unsigned long long)seed, (unsigned long long)written,
            (unsigned long long)count, nfacts, p.zyx, p.qx, p.decoys);
    if (fclose(mf) != 0) {
        fprintf(stderr, "gen-corpus: %s: %s\n", manifest, strerror(errno));
        return 2;
    }
    free(mpath);
    free(tmp);
    free(b.s);
    return 0;
}
