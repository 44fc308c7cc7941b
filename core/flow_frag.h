/*
 * flow_frag.h - pending IP fragment series: which flow a later fragment joins.
 *
 * Only the first fragment of an IP datagram carries the transport header,
 * so only it can be matched to a flow by ports.  When it is seen, its flow
 * registers the series (addresses, protocol, fragment ID) here and raises
 * FS_FRAG_PENDING; later fragments look the series up and join that flow,
 * and the last one (no more-fragments flag) closes the series.
 *
 * T2's rules, which t2mini follows, for what goes wrong:
 *   - a later fragment whose series is unknown (first one missing or out
 *     of order) becomes a flow of its own with ports 0 and starts a series
 *     itself, flagged FS_FRAG_HDSEQ_ERR;
 *   - a flow that starts a new series while one is pending, or sees an
 *     unfragmented packet meanwhile, is flagged FS_FRAG_ERR;
 *   - a series left open when its flow ends leaves FS_FRAG_PENDING set.
 */
#ifndef T2MINI_FRAG_H
#define T2MINI_FRAG_H

#include <stdint.h>

#include "flow_key.h"
#include "flow_hmap.h"

typedef struct {
    hmap_t map;             /* series key -> slot */
    uint32_t *owner;        /* slot -> flow index */
} frag_table_t;

int frag_init(frag_table_t *t, uint32_t capacity);
void frag_free(frag_table_t *t);

/* The flow a later fragment with series `key` belongs to, or HMAP_NONE.
 * With `last` set the series is closed. */
uint32_t frag_join(frag_table_t *t, const flowkey_t *key, int last);

/* If series `key` is registered, hand it to `flow` and return the flow
 * that had it; otherwise return HMAP_NONE and change nothing. */
uint32_t frag_take_over(frag_table_t *t, const flowkey_t *key, uint32_t flow);

/* Register series `key` for `flow` (a copy registered before is shadowed
 * until this one is removed).  Returns -1 when the table is full. */
int frag_add(frag_table_t *t, const flowkey_t *key, uint32_t flow);

/* Remove series `key`; returns 0 if it was registered, -1 if not. */
int frag_forget(frag_table_t *t, const flowkey_t *key);

/* Look a series up without changing anything. */
uint32_t frag_owner(const frag_table_t *t, const flowkey_t *key);

#endif
