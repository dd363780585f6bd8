/* Invariants of a built index, shared by the gazetteer and tag targets.
 * Every getter is asked about every entity, tag and fact; each answer is
 * checked on its own and against the others. */
#ifndef DF_FUZZ_INDEX_CHECK_H
#define DF_FUZZ_INDEX_CHECK_H

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "drivefacts.h"

/* Lines in data[0..len), counting a last line without a newline. */
static size_t fuzz_count_lines(const char *data, size_t len) {
    size_t lines = 1;
    for (size_t i = 0; i < len; i++)
        lines += data[i] == '\n';
    return lines;
}

/* A data file parse (gazetteer, tag rules) that failed must say so through
 * err: its status, a message naming the input and the line, an offset
 * inside the input. */
static void fuzz_check_parse_error(df_status status, const df_error *err, const char *text,
                                   size_t size, const char *name) {
    assert(status != DF_NOMATCH);
    assert(err->code == status);
    assert(memchr(err->message, '\0', sizeof err->message) != NULL && err->message[0] != '\0');
    if (status != DF_ENOMEM) {
        assert(err->offset <= size);
        assert(err->line >= 1 && err->line <= fuzz_count_lines(text, size));
        assert(strncmp(err->message, name, strlen(name)) == 0 &&
               err->message[strlen(name)] == ':');
    }
}

static int fuzz_on_boundary(const char *s, size_t len, size_t i) {
    return i == len || (i < len && ((unsigned char)s[i] & 0xC0) != 0x80);
}

/* ids[0..n) strictly ascending and all in [lo, hi]. */
static void fuzz_check_sorted(const uint32_t *ids, size_t n, size_t lo, size_t hi) {
    assert(n == 0 || ids != NULL);
    for (size_t i = 0; i < n; i++) {
        assert(ids[i] >= lo && ids[i] <= hi);
        assert(i == 0 || ids[i - 1] < ids[i]);
    }
}

static int fuzz_contains(const uint32_t *ids, size_t n, uint32_t id) {
    for (size_t i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static void fuzz_check_index(const df_index *index, const df_corpus *corpus) {
    df_error err;
    size_t facts = df_corpus_count(corpus);
    size_t entities = df_index_entity_count(index);
    size_t tags = df_index_tag_count(index);
    assert(df_index_corpus(index) == corpus);
    assert(df_index_memory(index) > 0);

    /* Entities: their fact lists, counted mentions summed over the facts. */
    size_t *mentions_seen = calloc(entities + 1, sizeof *mentions_seen);
    size_t *facts_seen = calloc(entities + 1, sizeof *facts_seen);
    assert(mentions_seen != NULL && facts_seen != NULL);
    for (size_t e = 0; e < entities; e++) {
        df_entity entity;
        const uint32_t *ids;
        size_t n;
        assert(df_index_entity(index, e, &entity, &err) == DF_OK);
        assert(entity.name != NULL && entity.name[0] != '\0');
        assert(entity.kind != NULL && entity.kind[0] != '\0');
        assert(entity.alias_count == 0 || entity.aliases != NULL);
        for (size_t a = 0; a < entity.alias_count; a++)
            assert(entity.aliases[a] != NULL && entity.aliases[a][0] != '\0');
        assert(df_index_entity_facts(index, e, &ids, &n, &err) == DF_OK);
        assert(n == entity.fact_count && n <= facts);
        assert(entity.mention_count >= entity.fact_count);
        fuzz_check_sorted(ids, n, 1, facts);
        /* the entity's own name finds an entity (the first to have it) */
        size_t found;
        assert(df_index_lookup(index, entity.name, strlen(entity.name), &found, &err) == DF_OK);
        assert(found < entities);
    }
    df_entity dummy;
    assert(df_index_entity(index, entities, &dummy, &err) == DF_ERANGE);

    for (df_fact_id id = 1; id <= facts; id++) {
        df_fact fact;
        const df_mention *m;
        const uint32_t *ents, *ftags;
        const uint16_t *years;
        const df_film_ref *films;
        size_t nm, ne, nt, ny, nf;
        assert(df_corpus_fact(corpus, id, &fact, &err) == DF_OK);

        /* Mentions: inside the fact, on character boundaries, in order,
         * never overlapping, of known entities. */
        assert(df_index_fact_mentions(index, id, &m, &nm, &err) == DF_OK);
        assert(nm == 0 || m != NULL);
        for (size_t i = 0; i < nm; i++) {
            assert(m[i].entity < entities);
            assert(m[i].start < m[i].end && m[i].end <= fact.len);
            assert(fuzz_on_boundary(fact.text, fact.len, m[i].start));
            assert(fuzz_on_boundary(fact.text, fact.len, m[i].end));
            assert(i == 0 || m[i - 1].end <= m[i].start);
            mentions_seen[m[i].entity]++;
        }
        /* The distinct entities: ascending, exactly those mentioned, and
         * each lists this fact. */
        assert(df_index_fact_entities(index, id, &ents, &ne, &err) == DF_OK);
        fuzz_check_sorted(ents, ne, 0, entities == 0 ? 0 : entities - 1);
        assert(ne <= nm);
        for (size_t i = 0; i < nm; i++)
            assert(fuzz_contains(ents, ne, m[i].entity));
        for (size_t i = 0; i < ne; i++) {
            const uint32_t *ids;
            size_t n;
            int mentioned = 0;
            for (size_t j = 0; j < nm; j++)
                mentioned |= m[j].entity == ents[i];
            assert(mentioned);
            assert(df_index_entity_facts(index, ents[i], &ids, &n, &err) == DF_OK);
            assert(fuzz_contains(ids, n, (uint32_t)id));
            facts_seen[ents[i]]++;
        }
        /* Tags of the fact: ascending, known, and each lists this fact. */
        assert(df_index_fact_tags(index, id, &ftags, &nt, &err) == DF_OK);
        fuzz_check_sorted(ftags, nt, 0, tags == 0 ? 0 : tags - 1);
        for (size_t i = 0; i < nt; i++) {
            const uint32_t *ids;
            size_t n;
            assert(df_index_tag_facts(index, ftags[i], &ids, &n, &err) == DF_OK);
            assert(fuzz_contains(ids, n, (uint32_t)id));
        }
        /* Years: distinct, ascending, in range. */
        assert(df_index_fact_years(index, id, &years, &ny, &err) == DF_OK);
        for (size_t i = 0; i < ny; i++) {
            assert(years[i] >= 1800 && years[i] <= 2099);
            assert(i == 0 || years[i - 1] < years[i]);
        }
        /* Film references: in text order, inside the fact, naming a film. */
        assert(df_index_fact_films(index, id, &films, &nf, &err) == DF_OK);
        for (size_t i = 0; i < nf; i++) {
            assert(films[i].start < films[i].end && films[i].end <= fact.len);
            assert(fuzz_on_boundary(fact.text, fact.len, films[i].start));
            assert(fuzz_on_boundary(fact.text, fact.len, films[i].end));
            assert(i == 0 || films[i - 1].start <= films[i].start);
            assert(films[i].year >= 1800 && films[i].year <= 2099);
            if (films[i].entity != DF_NO_ENTITY) {
                df_entity film;
                assert(films[i].entity < entities);
                assert(df_index_entity(index, films[i].entity, &film, &err) == DF_OK);
                assert(strcmp(film.kind, "film") == 0);
            }
        }
    }
    const df_mention *m;
    size_t nm;
    assert(df_index_fact_mentions(index, 0, &m, &nm, &err) == DF_ERANGE);
    assert(df_index_fact_mentions(index, (df_fact_id)facts + 1, &m, &nm, &err) == DF_ERANGE);

    /* Per-entity totals agree with the per-fact answers. */
    for (size_t e = 0; e < entities; e++) {
        df_entity entity;
        assert(df_index_entity(index, e, &entity, &err) == DF_OK);
        assert(entity.fact_count == facts_seen[e]);
        assert(entity.mention_count == mentions_seen[e]);
    }
    free(mentions_seen);
    free(facts_seen);

    /* Tags: names, lookups, fact lists sorted and in range, and each fact
     * listed has the tag among its own. */
    for (size_t t = 0; t < tags; t++) {
        const char *name = df_index_tag_name(index, t);
        const uint32_t *ids;
        size_t n, found;
        assert(name != NULL && name[0] != '\0' && strlen(name) <= 64);
        assert(df_index_tag_lookup(index, name, &found, &err) == DF_OK && found == t);
        assert(df_index_tag_facts(index, t, &ids, &n, &err) == DF_OK);
        assert(n <= facts);
        fuzz_check_sorted(ids, n, 1, facts);
        for (size_t i = 0; i < n; i++) {
            const uint32_t *ftags;
            size_t nt;
            assert(df_index_fact_tags(index, ids[i], &ftags, &nt, &err) == DF_OK);
            assert(fuzz_contains(ftags, nt, (uint32_t)t));
        }
    }
    assert(df_index_tag_name(index, tags) == NULL);
}

#endif
