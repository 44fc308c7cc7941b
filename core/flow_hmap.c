/*
 * flow_hmap.c - fixed-capacity chained hash map (see flow_hmap.h).
 */
#include "flow_hmap.h"

#include <stdlib.h>
#include <string.h>

/* A multiply-xorshift hash over 8-byte words: keys are a few dozen bytes
 * of addresses and ports, and this mixes them well at a few cycles a word. */
static uint64_t hash_key(const void *key, size_t len)
{
    const uint8_t *p = key;
    uint64_t h = 0x9e3779b97f4a7c15ULL ^ len;
    for (size_t i = 0; i < len; i += 8) {
        uint64_t w;
        memcpy(&w, p + i, 8);
        h ^= w;
        h *= 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 31;
    }
    h *= 0x94d049bb133111ebULL;
    return h ^ (h >> 29);
}

int hmap_init(hmap_t *m, uint32_t capacity, size_t key_len)
{
    memset(m, 0, sizeof(*m));
    uint32_t buckets = 1;
    while (buckets < 2u * capacity) buckets <<= 1;
    m->key_len = key_len;
    m->capacity = capacity;
    m->bucket_mask = buckets - 1;
    m->buckets = calloc(buckets, sizeof(*m->buckets));   /* all chains empty */
    m->next = calloc(capacity, sizeof(*m->next));
    m->keys = calloc(capacity, key_len);
    if (!m->buckets || !m->next || !m->keys) {
        hmap_free(m);
        return -1;
    }
    m->free_list = HMAP_NONE;
    return 0;
}

void hmap_free(hmap_t *m)
{
    free(m->buckets);
    free(m->next);
    free(m->keys);
    memset(m, 0, sizeof(*m));
}

uint32_t hmap_lookup(const hmap_t *m, const void *key)
{
    uint32_t s = m->buckets[hash_key(key, m->key_len) & m->bucket_mask] - 1;
    while (s != HMAP_NONE) {
        if (memcmp(hmap_key(m, s), key, m->key_len) == 0) return s;
        s = m->next[s];
    }
    return HMAP_NONE;
}

uint32_t hmap_insert(hmap_t *m, const void *key)
{
    uint32_t s;
    if (m->free_list != HMAP_NONE) {
        s = m->free_list;
        m->free_list = m->next[s];
    } else if (m->fresh < m->capacity) {
        s = m->fresh++;
    } else {
        return HMAP_NONE;
    }
    uint32_t *head = &m->buckets[hash_key(key, m->key_len) & m->bucket_mask];
    m->next[s] = *head - 1;
    *head = s + 1;
    memcpy(m->keys + (size_t)s * m->key_len, key, m->key_len);
    m->used++;
    return s;
}

uint32_t hmap_remove(hmap_t *m, const void *key)
{
    uint32_t *head = &m->buckets[hash_key(key, m->key_len) & m->bucket_mask];
    uint32_t prev = HMAP_NONE;
    for (uint32_t s = *head - 1; s != HMAP_NONE; prev = s, s = m->next[s]) {
        if (memcmp(hmap_key(m, s), key, m->key_len) != 0) continue;
        if (prev == HMAP_NONE) *head = m->next[s] + 1;
        else m->next[prev] = m->next[s];
        m->next[s] = m->free_list;
        m->free_list = s;
        m->used--;
        return s;
    }
    return HMAP_NONE;
}
