/*
 * flow_table.h - the flow table: step 3 of the pipeline.
 *
 * A flow is one direction of a conversation.  The first packet of a new
 * conversation creates the A flow and draws a new flow index (flowInd);
 * the first packet in the other direction creates the B flow, which shares
 * the index and is linked to its A flow as the opposite.  A flow whose
 * first packet looks like a reply (a SYN-ACK, or a server port talking to
 * a client port) is flagged as B even when no A flow exists.
 *
 * Flows live in a fixed-capacity table (T2's 262144) and on an LRU list,
 * most recently used first.  Before each packet, flows idle for
 * FLOW_TIMEOUT seconds of capture time end (live, also when no packet has
 * come for a while, at the wall clock's time); a flow ends together with
 * its opposite, and only when both are idle.  At the end of the capture every
 * flow ends.  Ending flows are reported in pairs, A first, through the
 * on_end hook (that is where plugins write their flow columns), then
 * freed.  When the table is full the least recently used flow is ended to
 * make room (T2's "hash autopilot").
 *
 * The LRU walk reproduces T2's exactly, including its single-precision
 * arithmetic of idle times and its timeout sentinel, because which packets
 * share a flow index depends on it.
 */
#ifndef T2MINI_FLOW_TABLE_H
#define T2MINI_FLOW_TABLE_H

#include <signal.h>
#include <stdint.h>

#include "flow.h"             /* flow_t (T2's interface, api/flow.h) */
#include "flow_frag.h"
#include "flow_geo.h"
#include "flow_hmap.h"
#include "flow_key.h"
#include "hashTable.h"
#include "packet.h"
#include "tranalyzer.h"        /* FLOW_TIMEOUT */

#define FLOW_CAPACITY 262144u       /* T2's hash chain table size */
#define FLOW_NONE HMAP_NONE         /* = HASHTABLE_ENTRY_NOT_FOUND */

typedef struct {
    /* a flow was created by packet p (plugins set up their state) */
    void (*on_new)(void *ctx, packet_t *p, uint32_t flow);
    /* a flow ends; `second` is 1 for the B flow printed after its A */
    void (*on_end)(void *ctx, uint32_t flow, int second);
    void *ctx;
} flow_hooks_t;

typedef struct {
    uint64_t a_flows, b_flows;      /* flows created per direction */
    uint64_t l2_flows, ipv4_flows, ipv6_flows;
    uint64_t lonely_replies;        /* B flows without an A flow */
    uint64_t live, live_peak;       /* flows in memory */
    uint64_t evicted;               /* ended because the table was full */
    uint64_t frag_v4, frag_v6;      /* fragments counted by the flow step */
} flow_stats_t;

typedef struct {
    hmap_t map;                     /* key -> flow index */
    flow_t *flows;                  /* capacity + 3 list nodes */
    uint32_t capacity;
    frag_table_t frags;
    uint64_t last_findex;
    const geo_t *geo;               /* NULL: every address is unknown */
    flow_hooks_t hooks;
    flow_stats_t stats;
    uint64_t *globalWarn;           /* T2's aggregated flowStat */
    int noNewFlows;                 /* T2 after a first SIGINT: a packet
                                       whose flow is not there gets none */
} flow_table_t;

int flow_table_init(flow_table_t *ft, uint32_t capacity, const geo_t *geo,
                    flow_hooks_t hooks, uint64_t *globalWarn);
void flow_table_free(flow_table_t *ft);

/* End the flows that have been idle too long at capture time `now`. */
void flow_expire(flow_table_t *ft, uint64_t now_sec, int64_t now_nsec);

/* The flow of a layer-2 packet (created if new); the packet is added.
 * FLOW_NONE with noNewFlows set when it has none. */
uint32_t flow_for_l2(flow_table_t *ft, packet_t *p);

/* The flow of an IP packet (created if new), with T2's fragment and
 * duplicate-IP-ID bookkeeping; flow_add_packet() completes the step.
 * FLOW_NONE with noNewFlows set when it has none. */
uint32_t flow_for_ip(flow_table_t *ft, packet_t *p);
void flow_add_packet(flow_table_t *ft, uint32_t flow, const packet_t *p);

/* End every flow, oldest first (end of capture); as soon as *stop is
 * non-zero (a third SIGINT), the flows left are dropped unwritten. */
void flow_end_all(flow_table_t *ft, const volatile sig_atomic_t *stop);

static inline const flowkey_t *flow_key(const flow_table_t *ft, uint32_t flow)
{
    return hmap_key(&ft->map, flow);
}

static inline int flow_is_b(const flow_t *f)
{
    return (f->status & FS_B_FLOW) != 0;
}

/* 6, 4, or 0 for a layer-2 flow (T2's FLOW_IPVER). */
static inline int flow_ipver(const flow_t *f)
{
    return (f->status & FS_IPV6_FLOW) ? 6 : (f->status & FS_IPV4_FLOW) ? 4 : 0;
}

/* The run's flow table (core/run.c; NULL outside a run), for what
 * implements T2's interface over it (api/hashTable.c, api/subnetHL.c):
 * plugins see flows[] and those functions only. */
extern flow_table_t *t2FlowTable;

#endif
