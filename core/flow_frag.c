/*
 * flow_frag.c - pending IP fragment series (see flow_frag.h).
 */
#include "flow_frag.h"

#include <stdlib.h>

int frag_init(frag_table_t *t, uint32_t capacity)
{
    t->owner = calloc(capacity, sizeof(*t->owner));
    if (!t->owner || hmap_init(&t->map, capacity, sizeof(flowkey_t)) != 0) {
        free(t->owner);
        t->owner = NULL;
        return -1;
    }
    return 0;
}

void frag_free(frag_table_t *t)
{
    hmap_free(&t->map);
    free(t->owner);
    t->owner = NULL;
}

uint32_t frag_owner(const frag_table_t *t, const flowkey_t *key)
{
    const uint32_t slot = hmap_lookup(&t->map, key);
    return slot == HMAP_NONE ? HMAP_NONE : t->owner[slot];
}

uint32_t frag_join(frag_table_t *t, const flowkey_t *key, int last)
{
    const uint32_t slot = hmap_lookup(&t->map, key);
    if (slot == HMAP_NONE) return HMAP_NONE;
    const uint32_t flow = t->owner[slot];
    if (last) hmap_remove(&t->map, key);
    return flow;
}

uint32_t frag_take_over(frag_table_t *t, const flowkey_t *key, uint32_t flow)
{
    const uint32_t slot = hmap_lookup(&t->map, key);
    if (slot == HMAP_NONE) return HMAP_NONE;
    const uint32_t previous = t->owner[slot];
    t->owner[slot] = flow;
    return previous;
}

int frag_add(frag_table_t *t, const flowkey_t *key, uint32_t flow)
{
    const uint32_t slot = hmap_insert(&t->map, key);
    if (slot == HMAP_NONE) return -1;
    t->owner[slot] = flow;
    return 0;
}

int frag_forget(frag_table_t *t, const flowkey_t *key)
{
    return hmap_remove(&t->map, key) == HMAP_NONE ? -1 : 0;
}
