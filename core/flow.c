/*
 * flow.c - the flow table, its LRU list and timeouts (see flow_table.h).
 *
 * The LRU list is doubly linked through flow indices.  Three extra nodes
 * live after the real flows: the head (most recent side), the tail, and the
 * timeout sentinel.  The sentinel marks how far the previous timeout walk
 * got: the walk starts at the flow just before it and moves towards the
 * head, ending flows until it meets one that is too young; the sentinel is
 * then moved behind that flow.
 * T2QUIRK: T2's timeout walk, kept whole because its
 * quirks decide which flows have ended when a packet arrives.
 */
#include "flow_table.h"

#include <stdlib.h>
#include <string.h>

#define LRU_HEAD(ft) ((ft)->capacity)
#define LRU_TAIL(ft) ((ft)->capacity + 1)
#define LRU_SENTINEL(ft) ((ft)->capacity + 2)

/* ---------------------------------------------------------------- LRU */

static void lru_unlink(flow_table_t *ft, uint32_t i)
{
    flow_t *f = &ft->flows[i];
    if (f->lruPrev != FLOW_NONE) ft->flows[f->lruPrev].lruNext = f->lruNext;
    if (f->lruNext != FLOW_NONE) ft->flows[f->lruNext].lruPrev = f->lruPrev;
}

/* Insert node i right after node `after`. */
static void lru_link_after(flow_table_t *ft, uint32_t i, uint32_t after)
{
    flow_t *f = &ft->flows[i];
    f->lruPrev = after;
    f->lruNext = ft->flows[after].lruNext;
    ft->flows[f->lruNext].lruPrev = i;
    ft->flows[after].lruNext = i;
}

/* Move a flow to the most recent end (T2's updateLRUList). */
static void lru_touch(flow_table_t *ft, uint32_t i)
{
    if (ft->flows[LRU_HEAD(ft)].lruNext == i) return;
    lru_unlink(ft, i);
    lru_link_after(ft, i, LRU_HEAD(ft));
}

/* T2QUIRK: idle time of a flow as T2 computes it: whole seconds as a float, plus
 * the nanoseconds divided in double precision, rounded back to a float.
 * Every step is stored in a variable of its type, so that x87
 * (FLT_EVAL_METHOD 2) rounds where SSE does. */
static float idle_time(const flow_t *f, uint64_t now_sec, int64_t now_nsec)
{
    const float whole = (float)(int64_t)(now_sec - f->lastSec);
    const double fraction = (double)(now_nsec - f->lastNsec) / 1e9;
    const double sum = (double)whole + fraction;
    const float idle = (float)sum;
    return idle;
}

/* Raise status bits on a flow and in the aggregated flowStat (T2's
 * T2_SET_STATUS; a few bits T2 sets on the flow only). */
static void flag(flow_table_t *ft, flow_t *f, uint64_t bits)
{
    f->status |= bits;
    *ft->globalWarn |= bits;
}

/* ------------------------------------------------------ creating flows */

/* A key from the packet's addresses, ethertype and VLAN, with `ports`
 * (srcPort << 16 | dstPort, or a fragment series' ID) and `l4_proto`. */
static void key_of_packet(flowkey_t *k, const packet_t *p, uint8_t l4_proto, uint32_t ports)
{
    flowkey_clear(k);
    memcpy(k->srcIP, p->srcIP, 16);
    memcpy(k->dstIP, p->dstIP, 16);
    k->ethType = p->ethType;
    k->vlanId = p->vlanId;
    k->ports = ports;
    k->l4Proto = l4_proto;
}

static void end_pair(flow_table_t *ft, uint32_t i);
static uint32_t remove_pair(flow_table_t *ft, uint32_t i);

/* Make room when the table is full: end the least recently used flow. */
static void evict_oldest(flow_table_t *ft)
{
    uint32_t i = ft->flows[LRU_TAIL(ft)].lruPrev;
    while (i != LRU_HEAD(ft)) {
        if (i == LRU_SENTINEL(ft)) {
            i = ft->flows[i].lruPrev;
            continue;
        }
        flag(ft, &ft->flows[i], FS_RMFLOW_HFULL);
        ft->stats.evicted++;
        end_pair(ft, i);
        remove_pair(ft, i);
        return;
    }
}

/* Flow f has seen packet p last: the time in the table's fields and in
 * T2's (a struct timeval with nanoseconds, wrapped as T2 stores them). */
static void seen(flow_t *f, const packet_t *p)
{
    f->lastSec = p->ts_sec;
    f->lastNsec = p->ts_nsec;
    f->lastSeen.tv_sec = p->ts_sec;
    f->lastSeen.tv_usec = p->ts_nsec;
}

/* A fresh flow for key k, first seen at packet p; what identifies it is
 * copied from the key for the plugins, under T2's names. */
static uint32_t new_flow(flow_table_t *ft, const flowkey_t *k, const packet_t *p)
{
    if (hmap_full(&ft->map)) evict_oldest(ft);
    const uint32_t i = hmap_insert(&ft->map, k);
    flow_t *f = &ft->flows[i];
    memset(f, 0, sizeof(*f));
    seen(f, p);
    f->firstSec = f->lastSec;
    f->firstNsec = f->lastNsec;
    f->firstSeen = f->lastSeen;
    f->flowIndex = i;
    f->oppositeFlowIndex = FLOW_NONE;
    memcpy(&f->srcIP, k->srcIP, sizeof(f->srcIP));
    memcpy(&f->dstIP, k->dstIP, sizeof(f->dstIP));
    memcpy(&f->ethDS, k->macs, sizeof(f->ethDS));
    f->ethType = k->ethType;
    f->vlanId = k->vlanId;
    f->srcPort = (uint16_t)(k->ports >> 16);
    f->dstPort = (uint16_t)k->ports;
    f->l4Proto = k->l4Proto;
    f->lruPrev = f->lruNext = FLOW_NONE;
    lru_touch(ft, i);
    ft->stats.live++;
    if (ft->stats.live > ft->stats.live_peak) ft->stats.live_peak = ft->stats.live;
    return i;
}

/* Pair flow i with the flow of the reverse key, if there is one: the
 * answer shares that flow's index (flowInd) and is its B side, unless
 * that flow was itself taken for a reply.  Otherwise flow i starts a
 * conversation with a new index.  Returns the reverse flow's index (i
 * itself when the key is its own reverse, FLOW_NONE when there is none). */
static uint32_t link_reverse(flow_table_t *ft, uint32_t i, const flowkey_t *k)
{
    flowkey_t rk;
    flowkey_reverse(&rk, k);
    const uint32_t r = hmap_lookup(&ft->map, &rk);
    flow_t *f = &ft->flows[i];
    const int answers = r != FLOW_NONE && r != i;
    f->findex = answers ? ft->flows[r].findex : ++ft->last_findex;
    if (!answers) {
        ft->stats.a_flows++;
        return r;
    }
    ft->stats.b_flows++;
    f->oppositeFlowIndex = r;
    ft->flows[r].oppositeFlowIndex = i;
    f->status |= ~ft->flows[r].status & FS_B_FLOW;
    return r;
}

static uint32_t create_l2(flow_table_t *ft, const flowkey_t *k, packet_t *p)
{
    const uint32_t i = new_flow(ft, k, p);
    flag(ft, &ft->flows[i], FS_L2_FLOW);
    ft->stats.l2_flows++;
    link_reverse(ft, i, k);
    if (ft->hooks.on_new) ft->hooks.on_new(ft->hooks.ctx, p, i);
    return i;
}

/* T2's guess that the first packet of a conversation is a reply (the flow
 * is then a B flow without its A flow): a TCP SYN-ACK, a packet from a
 * well-known port to a higher one, or one from an HTTP-alternate port
 * (the mask keeps 8080, 8081, 8088 and 8089). */
static int looks_like_reply(const packet_t *p)
{
    const int syn_ack = p->l4Proto == IPPROTO_T_TCP && (packet_u8(p, p->l4 + 13) & 0x12) == 0x12;
    const int from_well_known = p->srcPort < 1024 && p->srcPort < p->dstPort;
    return syn_ack || from_well_known || (p->srcPort & 0xfff6) == 8080;
}

/* Geo subnets of both addresses, and the Tor flag if either is listed. */
static void label_addresses(flow_table_t *ft, flow_t *f, int ipver, const packet_t *p)
{
    if (!ft->geo) return;
    f->subnetNrSrc = geo_lookup(ft->geo, ipver, p->srcIP);
    f->subnetNrDst = geo_lookup(ft->geo, ipver, p->dstIP);
    if (geo_is_tor(ft->geo, ipver, f->subnetNrSrc) || geo_is_tor(ft->geo, ipver, f->subnetNrDst)) {
        flag(ft, f, FS_TOR_ADDR);
    }
}

static uint32_t create_ip(flow_table_t *ft, const flowkey_t *k, packet_t *p)
{
    const uint32_t i = new_flow(ft, k, p);
    flow_t *f = &ft->flows[i];
    const int ipver = (p->status & FS_IPV6_FLOW) ? 6 : 4;
    label_addresses(ft, f, ipver, p);
    flag(ft, f, ipver == 6 ? FS_IPV6_FLOW : FS_IPV4_FLOW);
    if (ipver == 6) ft->stats.ipv6_flows++;
    else ft->stats.ipv4_flows++;
    f->lastIPID = UINT32_MAX;           /* no IP ID yet: IP IDs are 16 bits */

    const uint32_t r = link_reverse(ft, i, k);
    if (r == i && p->l4Proto == IPPROTO_T_TCP) flag(ft, f, FS_LAND_ATTACK);
    if (r == FLOW_NONE && looks_like_reply(p)) f->status |= FS_B_FLOW;
    if (ft->hooks.on_new) ft->hooks.on_new(ft->hooks.ctx, p, i);
    return i;
}

/* ------------------------------------------------------ packet lookups */

uint32_t flow_for_l2(flow_table_t *ft, packet_t *p)
{
    flowkey_t k;
    flowkey_clear(&k);
    for (uint32_t b = 0; b < 12; b++) k.macs[b] = packet_l2_u8(p, b);
    k.ethType = p->ethType;
    k.vlanId = p->vlanId;

    uint32_t i = hmap_lookup(&ft->map, &k);
    if (i == FLOW_NONE && ft->noNewFlows) return FLOW_NONE;
    if (i == FLOW_NONE) i = create_l2(ft, &k, p);
    else lru_touch(ft, i);

    flow_t *f = &ft->flows[i];
    seen(f, p);
    f->status |= p->status;
    f->padLen += p->padLen;
    return i;
}

/* Fragment bookkeeping for a first fragment, or a later fragment that
 * found no series (T2's FRAG_HLST_CRFT handling). */
static void start_series(flow_table_t *ft, uint32_t i, packet_t *p, int no_head)
{
    flow_t *f = &ft->flows[i];
    if (no_head) flag(ft, f, FS_FRAG_HDSEQ_ERR);
    if (p->ipver == 4) ft->stats.frag_v4++; else ft->stats.frag_v6++;
    flag(ft, f, FS_FRAG);
    if (p->ipver == 4) p->status |= FS_FRAG;

    flowkey_t k;
    key_of_packet(&k, p, p->l4Proto, p->fragId);
    int taken = 0;
    if (f->status & FS_FRAG_PENDING) {
        flowkey_t old;
        key_of_packet(&old, p, p->l4Proto, f->lastFragId);
        if (frag_forget(&ft->frags, &old) != 0 || f->lastFragId != p->fragId) {
            flag(ft, f, FS_FRAG_ERR);
        }
    } else {
        const uint32_t prev = frag_take_over(&ft->frags, &k, i);
        if (prev != HMAP_NONE) {
            ft->flows[prev].status &= ~FS_FRAG_PENDING;
            taken = 1;
        }
    }
    if (!taken) (void)frag_add(&ft->frags, &k, i);
    f->lastFragId = p->fragId;
    f->status |= FS_FRAG_PENDING;
}

/* A later fragment joins the flow whose series it continues; the last
 * one closes the series.  Returns HMAP_NONE when no series is known. */
static uint32_t join_series(flow_table_t *ft, const packet_t *p)
{
    /* T2 keys IPv6 lookups without the protocol, so they only find series
     * whose protocol field is 0 */
    flowkey_t sk;
    key_of_packet(&sk, p, p->ipver == 4 ? p->l4Proto : 0, p->fragId);
    const uint32_t owner = frag_join(&ft->frags, &sk, !p->moreFrags);
    if (owner == HMAP_NONE) return HMAP_NONE;
    if (p->ipver == 4) ft->stats.frag_v4++; else ft->stats.frag_v6++;
    if (!p->moreFrags) ft->flows[owner].status &= ~FS_FRAG_PENDING;
    return owner;
}

/* The flow of an IP packet's key: found (and moved to the LRU head, with
 * T2's duplicate IP ID check) or created. */
static uint32_t find_or_create_ip(flow_table_t *ft, packet_t *p)
{
    flowkey_t k;
    key_of_packet(&k, p, p->l4Proto, flowkey_ports(p->srcPort, p->dstPort));
    const uint32_t i = hmap_lookup(&ft->map, &k);
    if (i == FLOW_NONE) return ft->noNewFlows ? FLOW_NONE : create_ip(ft, &k, p);
    lru_touch(ft, i);
    if (p->ipver == 4) {
        flow_t *f = &ft->flows[i];
        if (p->ipId && p->ipId == f->lastIPID) flag(ft, f, FS_DUP_IPID);
        f->lastIPID = p->ipId;
    }
    return i;
}

uint32_t flow_for_ip(flow_table_t *ft, packet_t *p)
{
    int no_head = 0;                    /* a later fragment without a series */
    if (p->fragState == FRAG_LATER) {
        const uint32_t owner = join_series(ft, p);
        if (owner != HMAP_NONE) return owner;
        *ft->globalWarn |= FS_FRAG | FS_FRAG_HDSEQ_ERR;
        no_head = 1;
    }
    const uint32_t i = find_or_create_ip(ft, p);
    if (i == FLOW_NONE) return FLOW_NONE;
    if (p->fragState == FRAG_FIRST || no_head) {
        start_series(ft, i, p, no_head);
    } else if (ft->flows[i].status & FS_FRAG_PENDING) {
        flag(ft, &ft->flows[i], FS_FRAG_ERR);
    }
    return i;
}

void flow_add_packet(flow_table_t *ft, uint32_t i, const packet_t *p)
{
    flow_t *f = &ft->flows[i];
    f->status |= p->status;
    seen(f, p);
}

/* -------------------------------------------------------- ending flows */

/* Hand a conversation to the on_end hook: its A flow first, then its B
 * flow if it has one.  A B flow alone is a reply whose request was not
 * seen (T2's lruPrintFlow counts those). */
static void end_pair(flow_table_t *ft, uint32_t i)
{
    if (!ft->hooks.on_end) return;
    const flow_t *f = &ft->flows[i];
    uint32_t a = i, b = f->oppositeFlowIndex;
    if (b == FLOW_NONE && flow_is_b(f)) ft->stats.lonely_replies++;
    if (b != FLOW_NONE && flow_is_b(f)) {
        a = f->oppositeFlowIndex;
        b = i;
    }
    ft->hooks.on_end(ft->hooks.ctx, a, 0);
    if (b != FLOW_NONE) ft->hooks.on_end(ft->hooks.ctx, b, 1);
}

/* Take flow j out of the key map, the fragment table and the LRU list.
 * Returns 0 if its key was no longer in the map (nothing is changed). */
static int forget_flow(flow_table_t *ft, uint32_t j)
{
    const flow_t *f = &ft->flows[j];
    flowkey_t k = *flow_key(ft, j);
    if (hmap_remove(&ft->map, &k) == HMAP_NONE) return 0;
    if (f->status & FS_FRAG_PENDING) {          /* the series never finished */
        k.ports = f->lastFragId;
        frag_forget(&ft->frags, &k);
        *ft->globalWarn |= FS_FRAG_PENDING;
    }
    lru_unlink(ft, j);
    ft->stats.live--;
    return 1;
}

/* Free flow i and its opposite.  Returns the LRU node the caller's walk
 * towards the head goes on with: the one before i, or the one before the
 * opposite if the opposite was just before i (T2's removeFlow). */
static uint32_t remove_pair(flow_table_t *ft, uint32_t i)
{
    const uint32_t opposite = ft->flows[i].oppositeFlowIndex;
    uint32_t prev = ft->flows[i].lruPrev;
    forget_flow(ft, i);
    if (opposite != FLOW_NONE) {
        const uint32_t before_opposite = ft->flows[opposite].lruPrev;
        if (forget_flow(ft, opposite) && prev == opposite) prev = before_opposite;
    }
    return prev;
}

void flow_expire(flow_table_t *ft, uint64_t now_sec, int64_t now_nsec)
{
    const uint32_t sentinel = LRU_SENTINEL(ft);
    const float timeout = FLOW_TIMEOUT;
    uint32_t i = ft->flows[sentinel].lruPrev;
    while (i != LRU_HEAD(ft)) {
        const flow_t *f = &ft->flows[i];
        const float idle = idle_time(f, now_sec, now_nsec);
        if (idle < timeout) break;              /* this one and newer are young */
        uint32_t before = f->lruPrev;
        if (f->oppositeFlowIndex == FLOW_NONE ||
            idle_time(&ft->flows[f->oppositeFlowIndex], now_sec, now_nsec) >= timeout) {
            end_pair(ft, i);
            before = remove_pair(ft, i);
        }
        i = before;
    }
    if (i != ft->flows[sentinel].lruPrev) {     /* park the sentinel behind i */
        lru_unlink(ft, sentinel);
        lru_link_after(ft, sentinel, i);
    }
}

void flow_end_all(flow_table_t *ft, const volatile sig_atomic_t *stop)
{
    uint32_t i = ft->flows[LRU_TAIL(ft)].lruPrev;
    while (i != LRU_HEAD(ft) && !*stop) {
        if (i == LRU_SENTINEL(ft)) {
            i = ft->flows[i].lruPrev;
            continue;
        }
        end_pair(ft, i);
        i = remove_pair(ft, i);
    }
}

/* ------------------------------------------------------------- set-up */

int flow_table_init(flow_table_t *ft, uint32_t capacity, const geo_t *geo,
                    flow_hooks_t hooks, uint64_t *globalWarn)
{
    memset(ft, 0, sizeof(*ft));
    ft->capacity = capacity;
    ft->geo = geo;
    ft->hooks = hooks;
    ft->globalWarn = globalWarn;
    ft->flows = calloc((size_t)capacity + 3, sizeof(*ft->flows));
    if (!ft->flows || hmap_init(&ft->map, capacity, sizeof(flowkey_t)) != 0 ||
        frag_init(&ft->frags, capacity) != 0) {
        flow_table_free(ft);
        return -1;
    }
    flow_t *head = &ft->flows[LRU_HEAD(ft)], *tail = &ft->flows[LRU_TAIL(ft)];
    flow_t *sentinel = &ft->flows[LRU_SENTINEL(ft)];
    head->lruPrev = FLOW_NONE;
    head->lruNext = LRU_SENTINEL(ft);
    sentinel->lruPrev = LRU_HEAD(ft);
    sentinel->lruNext = LRU_TAIL(ft);
    tail->lruPrev = LRU_SENTINEL(ft);
    tail->lruNext = FLOW_NONE;
    return 0;
}

void flow_table_free(flow_table_t *ft)
{
    free(ft->flows);
    ft->flows = NULL;
    hmap_free(&ft->map);
    frag_free(&ft->frags);
}
