/* Hashing and an open-addressing map from 64-bit hashes to uint32 values. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

uint64_t df_hash_bytes(uint64_t h, const void *data, size_t len) {
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3u;
    }
    return h;
}

/* The finaliser of MurmurHash3: every input bit affects every output bit. */
uint64_t df_hash_mix(uint64_t h) {
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

static uint64_t stored(uint64_t hash) {
    return hash != 0 ? hash : 1;
}

uint32_t *df_hmap_get(const df_hmap *map, uint64_t hash, df_hmap_eq eq, const void *ctx) {
    if (map->capacity == 0)
        return NULL;
    uint64_t key = stored(hash);
    size_t mask = map->capacity - 1;
    for (size_t i = (size_t)df_hash_mix(key) & mask;; i = (i + 1) & mask) {
        if (map->keys[i] == 0)
            return NULL;
        if (map->keys[i] == key && (eq == NULL || eq(ctx, map->values[i])))
            return &map->values[i];
    }
}

static void place(uint64_t *keys, uint32_t *values, size_t capacity, uint64_t key,
                  uint32_t value) {
    size_t mask = capacity - 1;
    size_t i = (size_t)df_hash_mix(key) & mask;
    while (keys[i] != 0)
        i = (i + 1) & mask;
    keys[i] = key;
    values[i] = value;
}

int df_hmap_put(df_hmap *map, uint64_t hash, uint32_t value) {
    /* Keep the load at most 1/2 so probes stay short. */
    if (map->count + 1 > map->capacity / 2) {
        size_t capacity = map->capacity ? map->capacity * 2 : 64;
        if (capacity > SIZE_MAX / sizeof(uint64_t))
            return -1;
        uint64_t *keys = calloc(capacity, sizeof *keys);
        uint32_t *values = malloc(capacity * sizeof *values);
        if (keys == NULL || values == NULL) {
            free(keys);
            free(values);
            return -1;
        }
        for (size_t i = 0; i < map->capacity; i++)
            if (map->keys[i] != 0)
                place(keys, values, capacity, map->keys[i], map->values[i]);
        free(map->keys);
        free(map->values);
        map->keys = keys;
        map->values = values;
        map->capacity = capacity;
    }
    place(map->keys, map->values, map->capacity, stored(hash), value);
    map->count++;
    return 0;
}

void df_hmap_clear(df_hmap *map) {
    if (map->capacity > 0)
        memset(map->keys, 0, map->capacity * sizeof *map->keys);
    map->count = 0;
}

size_t df_hmap_memory(const df_hmap *map) {
    return map->capacity * (sizeof *map->keys + sizeof *map->values);
}

void df_hmap_free(df_hmap *map) {
    free(map->keys);
    free(map->values);
    map->keys = NULL;
    map->values = NULL;
    map->capacity = map->count = 0;
}
