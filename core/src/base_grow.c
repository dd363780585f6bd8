/* Growing arrays: every stage's lists that are built one item at a time
 * (fields, literals, aliases, postings, matches) grow through here. */
#include <stdlib.h>

#include "base.h"

int df_grow(void **array, size_t *capacity, size_t need, size_t size) {
    if (need <= *capacity)
        return 0;
    size_t grown = *capacity > 0 ? *capacity : 16;
    while (grown < need) {
        if (grown > SIZE_MAX / 2)
            return -1;
        grown *= 2;
    }
    if (size == 0 || grown > SIZE_MAX / size)
        return -1;
    void *bigger = realloc(*array, grown * size);
    if (bigger == NULL)
        return -1;
    *array = bigger;
    *capacity = grown;
    return 0;
}
