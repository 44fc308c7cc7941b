/*
 * hashTable.h - T2's hash maps: keys of a fixed size, each stored at an
 * index below hashChainTableSize, which a plugin uses into arrays of its
 * own.
 *
 *     hashMap_t *map = hashTable_init(1.0f, sizeof(key), "mine");
 *     counts = t2_calloc_fatal(map->hashChainTableSize, sizeof(*counts));
 *     unsigned long i = hashTable_lookup(map, (char *)&key);
 *     if (i == HASHTABLE_ENTRY_NOT_FOUND) i = hashTable_insert(map, (char *)&key);
 *     counts[i]++;
 *
 * A map holds as many keys as the flow table has flows (-f), times the
 * scale factor; inserting into a full one ends t2mini with T2's error.
 * An index is free again once its key is removed, and may go to another
 * key then.
 *
 * mainHashMap is the flow table: hashTable_lookup(mainHashMap, (char *)
 * &f.srcIP), with f a flow_t whose fields from srcIP to l4Proto (flow.h)
 * are filled as in a flow, gives that flow's index.  Only the core adds
 * and removes flows.
 *
 * Callbacks get HASHTABLE_ENTRY_NOT_FOUND where there is no flow index:
 * t2OnLayer2 of a packet that has a layer 4 too, and
 * flowP->oppositeFlowIndex of a flow without its other direction.
 * t2mini's indices are 32 bits, and so is this value.
 */
#ifndef T2MINI_HASHTABLE_H
#define T2MINI_HASHTABLE_H

#include <stdint.h>

#define HASHTABLE_ENTRY_NOT_FOUND ((unsigned long)UINT32_MAX)
#define HASHTABLE_NAME_LEN 7            /* of a map's name, for messages */

typedef struct {
    unsigned long hashTableSize;        /* buckets */
    unsigned long hashChainTableSize;   /* keys it holds: the indices */
    unsigned long dataLen;              /* bytes of a key */
    char name[HASHTABLE_NAME_LEN + 1];
    void *map;                          /* t2mini's own (NULL: the flows) */
    unsigned char *key;                 /* a key, padded to the map's length */
} hashMap_t;

extern hashMap_t *mainHashMap;

hashMap_t *hashTable_init(float scaleFactor, unsigned long dataLen, const char *name);
void hashTable_destroy(hashMap_t *hashMap);
unsigned long hashTable_lookup(hashMap_t *hashMap, const char *data);
unsigned long hashTable_insert(hashMap_t *hashMap, const char *data);
unsigned long hashTable_remove(hashMap_t *hashMap, const char *data);

#endif
