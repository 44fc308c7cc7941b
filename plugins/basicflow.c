/*
 * basicflow.c - basicFlow, the plugin that describes every flow.
 *
 * In the packet file basicFlow writes everything from flowStat to l4Proto:
 * the flow's status, the packet's time and its distance to the previous
 * packet of the flow (pktIAT) and of the opposite flow (pktTrip), the
 * headers description, VLAN IDs, MAC addresses and ethertype, addresses
 * with their geo labels, ports and protocol.  In the flow file it writes
 * the same facts per flow.
 *
 * The time columns are T2's doubles printed with %.9f.  T2 computes pktIAT
 * and flowDuration from 32-bit unsigned seconds, and pktTrip with the
 * nanoseconds in single precision; t2mini prints the same values, with an
 * exact integer fast path where the double is known to round to it.
 */
#include "t2Plugin.h"

T2_PLUGIN_INIT("basicFlow", "0.9.3", 0, 9);

#include <stdlib.h>
#include <string.h>

#define BF_DESCS_KEPT 4     /* different headers descriptions kept per flow */
#define BF_MACS_KEPT 3      /* different MAC addresses kept per flow and side */
#define BF_VLANS_KEPT 3     /* VLAN tags kept per flow */
#define BF_SIDE_TEXT 80     /* IPv6 (39) + tab + CC (2) + tab + Org (30) + tab */

/* What basicFlow remembers of one flow. */
typedef struct {
    uint64_t prev_sec;                  /* the flow's previous packet (pktIAT) */
    int64_t prev_nsec;
    uint16_t vlan_tci[BF_VLANS_KEPT];   /* tags of the flow's first packet */
    uint8_t vlan_count;
    uint8_t desc_count;
    uint16_t desc_depth[BF_DESCS_KEPT]; /* numHdrs of each description */
    uint32_t desc_id[BF_DESCS_KEPT];    /* in basicflow_t.descs */
    uint8_t src_mac_count, dst_mac_count;
    uint8_t src_macs[BF_MACS_KEPT][6];
    uint8_t dst_macs[BF_MACS_KEPT][6];
    /* packet mode: "IP\tCC\tOrg\t" of each side, rendered at the flow's
     * first IP packet (they never change within a flow) */
    uint8_t side_len[2];                /* 0: not rendered yet */
    char side_text[2][BF_SIDE_TEXT];
} bf_flow_t;

/* ---------------------------------------------------------------------
 * Interned headers descriptions: a flow keeps up to four different ones,
 * and there are few distinct descriptions in a capture, so each is stored
 * once and flows keep its number.
 */
typedef struct {
    char **text;
    uint32_t count, room;
    uint32_t *slots;            /* open addressing: index + 1, 0 = empty */
    uint32_t mask;
} strtab_t;

static uint32_t str_hash(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) h = (h ^ (uint8_t)*s++) * 16777619u;
    return h;
}

static int strtab_grow(strtab_t *t)
{
    const uint32_t nslots = t->mask ? 2 * (t->mask + 1) : 256;
    uint32_t *slots = calloc(nslots, sizeof(*slots));
    char **text = realloc(t->text, (nslots / 2) * sizeof(*text));
    if (!slots || !text) {
        free(slots);
        if (text) t->text = text;
        return -1;
    }
    t->text = text;
    t->room = nslots / 2;
    for (uint32_t i = 0; i < t->count; i++) {
        uint32_t s = str_hash(t->text[i]) & (nslots - 1);
        while (slots[s]) s = (s + 1) & (nslots - 1);
        slots[s] = i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = nslots - 1;
    return 0;
}

/* Number of `s` in the table (added if new), or UINT32_MAX. */
static uint32_t strtab_intern(strtab_t *t, const char *s)
{
    if (t->count + 1 > t->room && strtab_grow(t) != 0) return UINT32_MAX;
    uint32_t slot = str_hash(s) & t->mask;
    while (t->slots[slot]) {
        const uint32_t i = t->slots[slot] - 1;
        if (strcmp(t->text[i], s) == 0) return i;
        slot = (slot + 1) & t->mask;
    }
    const size_t len = strlen(s) + 1;
    char *copy = malloc(len);
    if (!copy) return UINT32_MAX;
    t->text[t->count] = memcpy(copy, s, len);
    t->slots[slot] = t->count + 1;
    return t->count++;
}

static void strtab_free(strtab_t *t)
{
    for (uint32_t i = 0; i < t->count; i++) free(t->text[i]);
    free(t->text);
    free(t->slots);
    memset(t, 0, sizeof(*t));
}

/* The plugin's state.  T2's callbacks take no context: only they (at the
 * end of this file) name `bf`, everything else is handed what it needs. */
typedef struct {
    bf_flow_t *flows;
    strtab_t descs;
} basicflow_t;

static basicflow_t bf;

/* ---------------------------------------------------- what flows keep */

/* The VLAN stack of a flow's first packet.  Each tag is a TCI followed by
 * the type of what comes next, and the stack goes on while that type is a
 * VLAN one; the first BF_VLANS_KEPT TCIs are kept.  Returns how many. */
static uint8_t read_vlan_stack(const packet_t *packet, uint16_t tci[BF_VLANS_KEPT])
{
    uint8_t n = 0;
    for (uint32_t at = packet->vlanTags; n < BF_VLANS_KEPT; at += 4) {
        tci[n++] = packet_u16(packet, at);
        const uint16_t next = packet_u16(packet, at + 2);
        if (next != 0x8100 && next != 0x88a8 && next != 0x9100 && next != 0x9200) break;
    }
    return n;
}

/* Keep the packet's headers description, or update the depth of one kept
 * before.  Once four are kept, every packet only flags the flow: T2 checks
 * for room before it looks. */
static void remember_hdrdesc(strtab_t *descs, flow_t *flow, bf_flow_t *mine, const packet_t *packet)
{
    if (mine->desc_count >= BF_DESCS_KEPT) {
        flow->status |= FS_HDR_OVERRUN;
        return;
    }
    for (uint8_t i = 0; i < mine->desc_count; i++) {
        if (strcmp(descs->text[mine->desc_id[i]], packet->hdrDesc) == 0) {
            mine->desc_depth[i] = packet->numHdrs;
            return;
        }
    }
    const uint32_t id = strtab_intern(descs, packet->hdrDesc);
    if (id == UINT32_MAX) return;
    mine->desc_id[mine->desc_count] = id;
    mine->desc_depth[mine->desc_count] = packet->numHdrs;
    mine->desc_count++;
}

/* Add `mac` to a flow's list unless it is there or the list is full. */
static void remember_mac(uint8_t (*macs)[6], uint8_t *count, const uint8_t *mac)
{
    if (*count >= BF_MACS_KEPT) return;
    for (uint8_t i = 0; i < *count; i++) {
        if (memcmp(macs[i], mac, 6) == 0) return;
    }
    memcpy(macs[*count], mac, 6);
    (*count)++;
}

/* ------------------------------------------------ packet-file columns */

/* Seconds and nanoseconds as T2 prints them with "%.9f": exactly, from
 * integers, while the double's rounding cannot show (under 2^20 s). */
static void put_seconds(outbuf_t *out, int64_t sec, double nsec)
{
    const double limit = (double)(INT64_C(1) << 49);       /* ns, about 2^19 s */
    if (sec > -(1 << 20) && sec < (1 << 20) && nsec > -limit && nsec < limit) {
        const int64_t whole = sec * 1000000000 + (int64_t)nsec;
        if (whole > -(INT64_C(1) << 49) && whole < (INT64_C(1) << 49)) {
            outbuf_seconds9(out, whole);
            return;
        }
    }
    /* each step stored in a double: x87 (FLT_EVAL_METHOD 2) would
     * otherwise keep the quotient in extended precision */
    const double fraction = nsec / 1e9;
    const double seconds = (double)sec + fraction;
    outbuf_double9(out, seconds);
}

/* pktIAT and flowDuration: T2 subtracts 32-bit unsigned seconds. */
static void put_unsigned_span(outbuf_t *out, uint64_t a_sec, int64_t a_nsec, uint64_t b_sec, int64_t b_nsec)
{
    put_seconds(out, (uint32_t)a_sec - (uint32_t)b_sec, (double)(a_nsec - b_nsec));
}

/* pktTrip: signed seconds and nanoseconds.  T2QUIRK: T2 subtracts the
 * nanoseconds as floats.  The float variables make the rounding happen on
 * every compiler: C99 lets x87 (FLT_EVAL_METHOD 2) keep `(float)a -
 * (float)b` in extended precision, but not a value assigned to a float. */
static void put_trip(outbuf_t *out, const flow_t *flow, const flow_t *opposite)
{
    const float a = (float)flow->lastNsec, b = (float)opposite->lastNsec;
    const float ns_diff = a - b;
    /* the seconds wrap as T2's time_t difference does (no signed overflow) */
    put_seconds(out, (int64_t)(flow->lastSec - opposite->lastSec), (double)ns_diff);
}

/* A time jump backwards: T2 tests for a negative pktIAT, whose seconds
 * are unsigned, so only a step back within the second (or one the
 * sub-second field makes) counts. */
static int is_time_jump(const flow_t *flow, const bf_flow_t *mine)
{
    const int64_t sec = (int64_t)((uint32_t)flow->lastSec - (uint32_t)mine->prev_sec);
    return sec * 1000000000 + (flow->lastNsec - mine->prev_nsec) < 0;
}

/* time, pktIAT, pktTrip and flowDuration */
static void put_times(outbuf_t *out, const flow_t *flow, const bf_flow_t *mine)
{
    outbuf_time(out, (uint32_t)flow->lastSec, flow->lastNsec);
    outbuf_putc(out, '\t');
    put_unsigned_span(out, flow->lastSec, flow->lastNsec, mine->prev_sec, mine->prev_nsec);
    outbuf_putc(out, '\t');
    if (FLOW_HAS_OPPOSITE(flow)) put_trip(out, flow, &flows[flow->oppositeFlowIndex]);
    else outbuf_seconds9(out, 0);
    outbuf_putc(out, '\t');
    put_unsigned_span(out, flow->lastSec, flow->lastNsec, flow->firstSec, flow->firstNsec);
    outbuf_putc(out, '\t');
}

/* numHdrs, hdrDesc and vlanID (the flow's tags, on VLAN packets only) */
static void put_headers(outbuf_t *out, const packet_t *packet, const bf_flow_t *mine)
{
    outbuf_u64(out, packet->numHdrs);
    outbuf_putc(out, '\t');
    outbuf_puts(out, packet->hdrDesc);
    outbuf_putc(out, '\t');
    if (packet->status & FS_VLAN) {
        for (uint8_t i = 0; i < mine->vlan_count; i++) {
            if (i) outbuf_putc(out, ';');
            outbuf_u64(out, mine->vlan_tci[i]);     /* T2QUIRK: the whole TCI, not the ID */
        }
    }
    outbuf_putc(out, '\t');
}

/* srcMac, dstMac (empty without link addresses) and ethType */
static void put_link(outbuf_t *out, const packet_t *packet, const uint8_t *macs)
{
    if (macs) {                         /* destination, then source */
        outbuf_mac(out, macs + 6);
        outbuf_putc(out, '\t');
        outbuf_mac(out, macs);
        outbuf_putc(out, '\t');
    } else {
        outbuf_puts(out, "\t\t");
    }
    outbuf_hex(out, packet->ethType, 4);
    outbuf_putc(out, '\t');
}

/* "IP\tCC\tOrg\t" of one side of a flow, into `text`; returns its length. */
static uint8_t render_side(char text[BF_SIDE_TEXT], int ipver, const ipAddr_t *ip,
                           uint32_t subnet)
{
    outbuf_t tmp;
    char buf[2 * BF_SIDE_TEXT];
    char *loc, *org;
    SUBNET_LOC(loc, ipver, subnet);
    SUBNET_ORG(org, ipver, subnet);
    outbuf_on_array(&tmp, buf, sizeof(buf));
    if (ipver == 4) outbuf_ipv4(&tmp, (const uint8_t *)ip);
    else if (ipver == 6) outbuf_ipv6(&tmp, (const uint8_t *)ip);
    outbuf_putc(&tmp, '\t');
    outbuf_puts(&tmp, loc);
    outbuf_putc(&tmp, '\t');
    outbuf_puts(&tmp, org);
    outbuf_putc(&tmp, '\t');
    /* never longer with the label lengths T2 keeps (flow_geo_table.h);
     * cut rather than overrun should a table ever hold longer ones */
    const size_t len = tmp.len < BF_SIDE_TEXT ? tmp.len : BF_SIDE_TEXT;
    memcpy(text, buf, len);
    return (uint8_t)len;
}

static int has_ports(uint8_t proto)
{
    return proto == IPPROTO_T_TCP || proto == IPPROTO_T_UDP ||
           proto == IPPROTO_T_UDPLITE || proto == IPPROTO_T_SCTP;
}

/* srcIP, srcIPCC, srcIPOrg, srcPort, dstIP, ..., dstPort, l4Proto: the
 * flow's addresses, the packet's ports; all empty without an IP layer */
static void put_addresses(outbuf_t *out, const packet_t *packet, unsigned long flow_index,
                          bf_flow_t *mine)
{
    if (packet->l3 == NO_LAYER) {
        outbuf_puts(out, "\t\t\t\t\t\t\t\t\t");
        return;
    }
    if (!mine->side_len[0]) {
        const flow_t *const flow = &flows[flow_index];
        const int ipver = FLOW_IPVER(flow);
        mine->side_len[0] = render_side(mine->side_text[0], ipver, &flow->srcIP, flow->subnetNrSrc);
        mine->side_len[1] = render_side(mine->side_text[1], ipver, &flow->dstIP, flow->subnetNrDst);
    }
    const uint8_t proto = packet->l4Proto;
    outbuf_write(out, mine->side_text[0], mine->side_len[0]);
    if (has_ports(proto)) outbuf_u64(out, packet->srcPort);
    outbuf_putc(out, '\t');
    outbuf_write(out, mine->side_text[1], mine->side_len[1]);
    if (has_ports(proto)) outbuf_u64(out, packet->dstPort);
    outbuf_putc(out, '\t');
    outbuf_u64(out, proto);
    outbuf_putc(out, '\t');
}

/* Everything basicFlow does for a packet of flow `flow_index`: keep what
 * the flow file needs, then, in packet mode, write the packet's columns. */
static void describe_packet(basicflow_t *state, packet_t *packet, unsigned long flow_index)
{
    flow_t *const flow = &flows[flow_index];
    bf_flow_t *const mine = &state->flows[flow_index];
    remember_hdrdesc(&state->descs, flow, mine, packet);
    uint8_t macs[12];                   /* destination, then source */
    const int has_macs = packet->l2 != NO_LAYER && !(flow->status & FS_L2_NO_ETH);
    if (has_macs) {
        packet_l2_addresses(packet, macs);
        remember_mac(mine->src_macs, &mine->src_mac_count, macs + 6);
        remember_mac(mine->dst_macs, &mine->dst_mac_count, macs);
    }
    if (!sPktFile) return;

    outbuf_t *const out = t2PktBuf;    /* fast formatting (t2plugin.h) */
    if (is_time_jump(flow, mine)) {
        globalWarn |= FS_TIME_JUMP;
        flow->status |= FS_TIME_JUMP;
    }
    outbuf_hex(out, flow->status, 16);
    outbuf_putc(out, '\t');
    put_times(out, flow, mine);
    mine->prev_sec = flow->lastSec;
    mine->prev_nsec = flow->lastNsec;
    put_headers(out, packet, mine);
    put_link(out, packet, has_macs ? macs : NULL);
    put_addresses(out, packet, flow_index, mine);
}

/* -------------------------------------------------- flow-file columns */

/* A time as T2's basicFlow appends it: seconds and nanoseconds cut to 32
 * bits (a negative nanosecond field shows as its unsigned value). */
static void append_time(outputBuffer_t *buf, uint64_t sec, int64_t nsec)
{
    const uint64_t secs = (uint32_t)sec;
    const uint32_t ns = (uint32_t)nsec;
    OUTBUF_APPEND_TIME(buf, secs, ns);
}

/* timeFirst, timeLast and duration */
static void append_times(outputBuffer_t *buf, const flow_t *flow)
{
    append_time(buf, flow->firstSec, flow->firstNsec);
    append_time(buf, flow->lastSec, flow->lastNsec);
    int64_t sec = (int64_t)(flow->lastSec - flow->firstSec);
    int64_t nsec = flow->lastNsec - flow->firstNsec;
    if (nsec < 0) {                     /* borrow a second */
        sec--;
        nsec += 1000000000;
    }
    append_time(buf, (uint64_t)sec, nsec);
}

/* numHdrDesc, numHdrs and hdrDesc */
static void append_hdrdescs(outputBuffer_t *buf, const strtab_t *descs, const bf_flow_t *mine)
{
    OUTBUF_APPEND_U8(buf, mine->desc_count);
    OUTBUF_APPEND_ARRAY_U16(buf, mine->desc_depth, mine->desc_count);
    OUTBUF_APPEND_NUMREP(buf, mine->desc_count);
    for (uint8_t i = 0; i < mine->desc_count; i++) {
        OUTBUF_APPEND_STR(buf, descs->text[mine->desc_id[i]]);
    }
}

/* One side's IP (IPX: none but "-" without one) and geo labels; "-" for
 * what is unknown. */
static void append_side(outputBuffer_t *buf, int ipver, const ipAddr_t *ip, uint32_t subnet)
{
    const uint8_t version = (uint8_t)ipver;
    char *loc, *org;
    SUBNET_LOC(loc, ipver, subnet);
    SUBNET_ORG(org, ipver, subnet);
    OUTBUF_APPEND_U8(buf, version);
    if (ipver) OUTBUF_APPEND(buf, *ip, ipver == 4 ? 4 : 16);
    OUTBUF_APPEND_STR(buf, loc);
    OUTBUF_APPEND_STR(buf, org);
}

/* srcIP ... l4Proto, from what identifies the flow */
static void append_addresses(outputBuffer_t *buf, const flow_t *flow)
{
    const int ipver = FLOW_IPVER(flow);
    append_side(buf, ipver, &flow->srcIP, flow->subnetNrSrc);
    OUTBUF_APPEND_U16(buf, flow->srcPort);
    append_side(buf, ipver, &flow->dstIP, flow->subnetNrDst);
    OUTBUF_APPEND_U16(buf, flow->dstPort);
    OUTBUF_APPEND_U8(buf, flow->l4Proto);
}

/* ----------------------------------------------- the plugin callbacks */

void t2Init(void)
{
    T2_PLUGIN_STRUCT_NEW(bf.flows);
    if (sPktFile) {
        fputs("flowStat"     SEP_CHR "time"     SEP_CHR "pktIAT"   SEP_CHR
              "pktTrip"      SEP_CHR "flowDuration" SEP_CHR
              "numHdrs"      SEP_CHR "hdrDesc"  SEP_CHR "vlanID"   SEP_CHR
              "srcMac"       SEP_CHR "dstMac"   SEP_CHR "ethType"  SEP_CHR
              "srcIP"        SEP_CHR "srcIPCC"  SEP_CHR "srcIPOrg" SEP_CHR
              "srcPort"      SEP_CHR "dstIP"    SEP_CHR "dstIPCC"  SEP_CHR
              "dstIPOrg"     SEP_CHR "dstPort"  SEP_CHR "l4Proto"  SEP_CHR, sPktFile);
    }
}

void t2OnNewFlow(packet_t *packet, unsigned long flowIndex)
{
    bf_flow_t *const mine = &bf.flows[flowIndex];
    memset(mine, 0, sizeof(*mine));
    mine->prev_sec = flows[flowIndex].lastSec;
    mine->prev_nsec = flows[flowIndex].lastNsec;
    if ((packet->status & FS_VLAN) && packet->vlanTags != NO_LAYER) {
        mine->vlan_count = read_vlan_stack(packet, mine->vlan_tci);
    }
}

void t2OnLayer2(packet_t *packet, unsigned long flowIndex)
{
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;     /* an IP packet */
    describe_packet(&bf, packet, flowIndex);
}

void t2OnLayer4(packet_t *packet, unsigned long flowIndex)
{
    describe_packet(&bf, packet, flowIndex);
}

/* The flow-file columns, as T2's basicFlow declares them with its default
 * settings. */
binary_value_t *t2PrintHeader(void)
{
    binary_value_t *bv = NULL;
    BV_APPEND_H64(bv, "flowStat", "Flow status and warnings");
    BV_APPEND_TIMESTAMP(bv, "timeFirst", "Date time of first packet");
    BV_APPEND_TIMESTAMP(bv, "timeLast", "Date time of last packet");
    BV_APPEND_DURATION(bv, "duration", "Flow duration");
    BV_APPEND_U8(bv, "numHdrDesc", "Number of different headers descriptions");
    BV_APPEND_U16_R(bv, "numHdrs", "Number of headers (depth) in hdrDesc");
    BV_APPEND_STRC_R(bv, "hdrDesc", "Headers description");
    BV_APPEND_MAC_R(bv, "srcMac", "Mac source");
    BV_APPEND_MAC_R(bv, "dstMac", "Mac destination");
    BV_APPEND_H16(bv, "ethType", "Ethernet type");
    BV_APPEND_U16_R(bv, "vlanID", "VLAN IDs");
    BV_APPEND_IPX(bv, "srcIP", "Source IP address");
    BV_APPEND_STRC(bv, "srcIPCC", "Source IP country");
    BV_APPEND_STR(bv, "srcIPOrg", "Source IP organization");
    BV_APPEND_U16(bv, "srcPort", "Source port");
    BV_APPEND_IPX(bv, "dstIP", "Destination IP address");
    BV_APPEND_STRC(bv, "dstIPCC", "Destination IP country");
    BV_APPEND_STR(bv, "dstIPOrg", "Destination IP organization");
    BV_APPEND_U16(bv, "dstPort", "Destination port");
    BV_APPEND_U8(bv, "l4Proto", "Layer 4 protocol");
    return bv;
}

void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf)
{
    const flow_t *const flow = &flows[flowIndex];
    const bf_flow_t *const mine = &bf.flows[flowIndex];
    OUTBUF_APPEND_U64(buf, flow->status);                              /* flowStat */
    append_times(buf, flow);
    append_hdrdescs(buf, &bf.descs, mine);
    OUTBUF_APPEND_ARRAY_MAC(buf, mine->src_macs, mine->src_mac_count);
    OUTBUF_APPEND_ARRAY_MAC(buf, mine->dst_macs, mine->dst_mac_count);
    OUTBUF_APPEND_U16(buf, flow->ethType);                             /* ethType */
    OUTBUF_APPEND_ARRAY_U16(buf, mine->vlan_tci, mine->vlan_count);    /* vlanID */
    append_addresses(buf, flow);
}

void t2Finalize(void)
{
    free(bf.flows);
    bf.flows = NULL;
    strtab_free(&bf.descs);
}

