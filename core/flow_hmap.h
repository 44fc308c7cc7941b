/*
 * flow_hmap.h - a fixed-capacity hash map from fixed-size byte keys to slots.
 *
 * The flow table and the pending-fragment table are both "key -> slot"
 * maps: inserting a key hands out a free slot number, which the caller uses
 * as an index into its own arrays (flows[slot], per-plugin state[slot]).
 * Removing the key gives the slot back.  This is the shape of T2's
 * hashTable.c, and it keeps the plugins' per-flow arrays simple.
 *
 * Design, in the spirit of Redis's dict.c but smaller:
 *   - separate chaining; a new key goes to the front of its bucket, and
 *     lookup and removal take the first match, so a key inserted twice
 *     shadows the older copy until it is removed (T2 relies on this);
 *   - slots are handed out from a LIFO free list, so a capture that keeps
 *     few flows alive touches few pages however long it runs;
 *   - the arrays are allocated once at full capacity with calloc, whose
 *     untouched pages cost no memory.
 */
#ifndef T2MINI_HMAP_H
#define T2MINI_HMAP_H

#include <stddef.h>
#include <stdint.h>

#define HMAP_NONE UINT32_MAX

typedef struct hmap {
    size_t key_len;          /* bytes per key, a multiple of 8 */
    uint32_t capacity;      /* slots */
    uint32_t bucket_mask;    /* buckets - 1; buckets is a power of two */
    uint32_t *buckets;      /* first slot of each chain + 1; 0: empty chain
                               (so zeroed memory is an empty table) */
    uint32_t *next;         /* next slot in the chain, or in the free list */
    uint8_t *keys;          /* capacity * key_len */
    uint32_t free_list;      /* recycled slots (LIFO) */
    uint32_t fresh;         /* slots [fresh, capacity) were never used */
    uint32_t used;
} hmap_t;

/* Returns 0 on success, -1 when memory is short. */
int hmap_init(hmap_t *m, uint32_t capacity, size_t key_len);
void hmap_free(hmap_t *m);

/* Slot of `key`, or HMAP_NONE. */
uint32_t hmap_lookup(const hmap_t *m, const void *key);

/* Store `key` in a free slot and return it; HMAP_NONE when full. */
uint32_t hmap_insert(hmap_t *m, const void *key);

/* Remove the first entry with `key`; returns its slot or HMAP_NONE. */
uint32_t hmap_remove(hmap_t *m, const void *key);

/* The key stored in `slot`. */
static inline const void *hmap_key(const hmap_t *m, uint32_t slot)
{
    return m->keys + (size_t)slot * m->key_len;
}

static inline int hmap_full(const hmap_t *m)
{
    return m->used == m->capacity;
}

#endif
