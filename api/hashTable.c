/*
 * hashTable.c - T2's hash maps (see hashTable.h), on t2mini's own
 * (core/flow_hmap.c), whose keys are a multiple of 8 bytes long: a key is
 * copied, zero-padded, to the map's buffer first.
 */
#include "hashTable.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "flow_hmap.h"
#include "t2Plugin.h"           /* t2FlowCapacity */
#include "flow_table.h"         /* t2FlowTable */

/* the flows' map: sizes only (the core sets them), lookups go to the
 * flow table */
static hashMap_t flow_map = { 0, 0, 0, "main", NULL, NULL };
hashMap_t *mainHashMap = &flow_map;

hashMap_t *hashTable_init(float scaleFactor, unsigned long dataLen, const char *name)
{
    hashMap_t *m = calloc(1, sizeof(*m));
    hmap_t *map = calloc(1, sizeof(*map));
    const size_t key_len = (dataLen + 7) / 8 * 8;
    const float keys = ceilf((float)t2FlowCapacity * scaleFactor);
    unsigned char *key = calloc(1, key_len ? key_len : 8);
    if (!m || !map || !key || keys < 1 || keys >= (float)HMAP_NONE ||
        hmap_init(map, (uint32_t)keys, key_len) != 0) {
        T2_FATAL("Failed to create the hash map %s", name ? name : "");
    }
    m->hashChainTableSize = (unsigned long)keys;
    m->hashTableSize = 2 * m->hashChainTableSize;
    m->dataLen = dataLen;
    if (name) strncpy(m->name, name, HASHTABLE_NAME_LEN);
    m->map = map;
    m->key = key;
    return m;
}

void hashTable_destroy(hashMap_t *hashMap)
{
    if (!hashMap || hashMap == mainHashMap) return;
    hmap_free(hashMap->map);
    free(hashMap->map);
    free(hashMap->key);
    free(hashMap);
}

/* The key at data, padded, in the map's buffer. */
static const void *key_of(hashMap_t *m, const char *data)
{
    memcpy(m->key, data, m->dataLen);
    return m->key;
}

/* The flow table's key of the flow_t fields srcIP .. l4Proto at data. */
static void flow_key_of(flowkey_t *k, const char *data)
{
    const char *base = data - offsetof(flow_t, srcIP);
#define FIELD(dst, name) memcpy(&(dst), base + offsetof(flow_t, name), sizeof(dst))
    flowkey_clear(k);
    FIELD(k->srcIP, srcIP);
    FIELD(k->dstIP, dstIP);
    FIELD(k->macs, ethDS);
    FIELD(k->ethType, ethType);
    FIELD(k->vlanId, vlanId);
    uint16_t src, dst;
    FIELD(src, srcPort);
    FIELD(dst, dstPort);
    FIELD(k->l4Proto, l4Proto);
#undef FIELD
    k->ports = flowkey_ports(src, dst);
}

unsigned long hashTable_lookup(hashMap_t *hashMap, const char *data)
{
    if (hashMap == mainHashMap) {
        if (!t2FlowTable) return HASHTABLE_ENTRY_NOT_FOUND;
        flowkey_t k;
        flow_key_of(&k, data);
        return hmap_lookup(&t2FlowTable->map, &k);
    }
    return hmap_lookup(hashMap->map, key_of(hashMap, data));
}

unsigned long hashTable_insert(hashMap_t *hashMap, const char *data)
{
    if (hashMap == mainHashMap) T2_FATAL("t2mini: only the core adds flows to mainHashMap");
    const uint32_t i = hmap_insert(hashMap->map, key_of(hashMap, data));
    if (i == HMAP_NONE) T2_FATAL("%s HashMap full, Invoke t2 with -f 2", hashMap->name);
    return i;
}

unsigned long hashTable_remove(hashMap_t *hashMap, const char *data)
{
    if (hashMap == mainHashMap) T2_FATAL("t2mini: only the core removes flows from mainHashMap");
    return hmap_remove(hashMap->map, key_of(hashMap, data));
}
