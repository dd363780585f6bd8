/* A string arena: the index's way to avoid one malloc per string. */
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "index.h"

struct df_arena_block {
    df_arena_block *next;
    size_t used, capacity;
    char data[];
};

#define ARENA_BLOCK 4096u

char *df_arena_strndup(df_arena *arena, const char *s, size_t len) {
    if (len == SIZE_MAX)
        return NULL;
    df_arena_block *b = arena->head;
    if (b == NULL || b->capacity - b->used < len + 1) {
        size_t capacity = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
        if (capacity > SIZE_MAX - sizeof *b)
            return NULL;
        b = malloc(sizeof *b + capacity);
        if (b == NULL)
            return NULL;
        b->used = 0;
        b->capacity = capacity;
        /* A big string gets a block of its own behind the open one, so the
         * open block's free space is not wasted. */
        if (arena->head != NULL && capacity > ARENA_BLOCK) {
            b->next = arena->head->next;
            arena->head->next = b;
        } else {
            b->next = arena->head;
            arena->head = b;
        }
        arena->bytes += sizeof *b + capacity;
    }
    char *copy = b->data + b->used;
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    b->used += len + 1;
    return copy;
}

void df_arena_free(df_arena *arena) {
    df_arena_block *b = arena->head;
    while (b != NULL) {
        df_arena_block *next = b->next;
        free(b);
        b = next;
    }
    arena->head = NULL;
    arena->bytes = 0;
}
