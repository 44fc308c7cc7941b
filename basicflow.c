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
#include "basicflow.h"

#include <stdlib.h>
#include <string.h>

#include "flow_geo.h"

#define BFO_MAX_HDRDESC 4   /* different headers descriptions kept per flow */
#define BFO_MAX_MAC 3       /* different MAC addresses kept per flow */
#define BFO_MAX_VLAN 3      /* VLAN tags kept per flow */
#define BFO_ADDR_TEXT 80    /* IPv6 (39) + tab + CC (2) + tab + Org (30) + tab */

/* Per-flow state */
typedef struct {
    uint64_t lastPktSec;                /* previous packet of the flow */
    int64_t lastPktNsec;
    uint32_t vlans[BFO_MAX_VLAN];       /* TCI << 16 | next ethertype */
    uint8_t numVlans;
    uint8_t numHdrDesc;
    uint8_t numSrcMac, numDstMac;
    uint16_t hdrCnt[BFO_MAX_HDRDESC];   /* numHdrs of each description */
    uint32_t hdrDesc[BFO_MAX_HDRDESC];  /* interned descriptions */
    uint8_t srcMac[BFO_MAX_MAC][6];
    uint8_t dstMac[BFO_MAX_MAC][6];
    /* packet mode: "IP\tCC\tOrg\t" of each side, rendered at the flow's
     * first packet (they never change within a flow) */
    uint8_t textLen[2];             /* 0: not rendered yet */
    char text[2][BFO_ADDR_TEXT];
} bfoFlow_t;

static bfoFlow_t *bfoFlows;

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

static strtab_t descs;

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
    memcpy(copy, s, len);
    t->text[t->count] = copy;
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

/* --------------------------------------------------------------------- */

static void t2Init(void)
{
    T2_PLUGIN_STRUCT_NEW(bfoFlows);
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

static int is_vlan_type(uint16_t t)
{
    return t == 0x8100 || t == 0x88a8 || t == 0x9100 || t == 0x9200;
}

static void t2OnNewFlow(packet_t *packet, unsigned long flowIndex)
{
    bfoFlow_t * const bfoFlowP = &bfoFlows[flowIndex];
    memset(bfoFlowP, 0, sizeof(*bfoFlowP));
    const flow_t * const flowP = &flows[flowIndex];
    bfoFlowP->lastPktSec = flowP->lastSec;
    bfoFlowP->lastPktNsec = flowP->lastNsec;

    /* the VLAN tags of the flow's first packet */
    if ((packet->status & FS_VLAN) && packet->vlanTags != NO_LAYER) {
        uint32_t i = 0;
        uint16_t next;
        do {
            const uint32_t at = packet->vlanTags + 4 * i;
            bfoFlowP->vlans[i] = packet_u32(packet, at);
            next = packet_u16(packet, at + 2);
            i++;
        } while (i < BFO_MAX_VLAN && is_vlan_type(next));
        bfoFlowP->numVlans = (uint8_t)i;
    }
}

/* Remember the packet's headers description (for the flow file). */
static void copy_hdrdesc(const packet_t *packet, unsigned long flowIndex)
{
    bfoFlow_t * const bfoFlowP = &bfoFlows[flowIndex];
    if (bfoFlowP->numHdrDesc >= BFO_MAX_HDRDESC) {
        flows[flowIndex].status |= FS_HDR_OVERRUN;
        return;
    }
    for (uint8_t i = 0; i < bfoFlowP->numHdrDesc; i++) {
        if (strcmp(descs.text[bfoFlowP->hdrDesc[i]], packet->hdrDesc) == 0) {
            bfoFlowP->hdrCnt[i] = packet->numHdrs;
            return;
        }
    }
    const uint32_t id = strtab_intern(&descs, packet->hdrDesc);
    if (id == UINT32_MAX) return;
    bfoFlowP->hdrDesc[bfoFlowP->numHdrDesc] = id;
    bfoFlowP->hdrCnt[bfoFlowP->numHdrDesc] = packet->numHdrs;
    bfoFlowP->numHdrDesc++;
}

static void remember_mac(uint8_t (*macs)[6], uint8_t *count, const uint8_t *mac)
{
    if (*count >= BFO_MAX_MAC) return;
    for (uint8_t i = 0; i < *count; i++) {
        if (memcmp(macs[i], mac, 6) == 0) return;
    }
    memcpy(macs[*count], mac, 6);
    (*count)++;
}

/* Seconds and nanoseconds as T2 prints them with "%.9f": exactly, from
 * integers, while the double's rounding cannot show (under 2^20 s). */
static void print_seconds(int64_t sec, double nsec)
{
    const double limit = (double)(INT64_C(1) << 49);       /* ns, about 2^19 s */
    if (sec > -(1 << 20) && sec < (1 << 20) && nsec > -limit && nsec < limit) {
        const int64_t whole = sec * 1000000000 + (int64_t)nsec;
        if (whole > -(INT64_C(1) << 49) && whole < (INT64_C(1) << 49)) {
            outbuf_seconds9(t2PktBuf, whole);
            return;
        }
    }
    /* each step stored in a double: x87 (FLT_EVAL_METHOD 2) would
     * otherwise keep the quotient in extended precision */
    const double fraction = nsec / 1e9;
    const double seconds = (double)sec + fraction;
    outbuf_double9(t2PktBuf, seconds);
}

/* pktIAT and flowDuration: T2 subtracts 32-bit unsigned seconds. */
static void print_unsigned_span(uint64_t aSec, int64_t aNsec, uint64_t bSec, int64_t bNsec)
{
    print_seconds((uint32_t)aSec - (uint32_t)bSec, (double)(aNsec - bNsec));
}

/* pktTrip: signed seconds, nanoseconds subtracted as floats (sic).  The
 * float variables make the rounding to float happen on every compiler: C99
 * lets x87 (FLT_EVAL_METHOD 2) keep `(float)a - (float)b` in extended
 * precision, but not a value assigned to a float. */
static void print_trip(uint64_t aSec, int64_t aNsec, uint64_t bSec, int64_t bNsec)
{
    const float a = (float)aNsec, b = (float)bNsec;
    const float nsDiff = a - b;
    /* the seconds wrap as T2's time_t difference does (no signed overflow) */
    print_seconds((int64_t)(aSec - bSec), (double)nsDiff);
}

static int has_ports(uint8_t proto)
{
    return proto == IPPROTO_T_TCP || proto == IPPROTO_T_UDP ||
           proto == IPPROTO_T_UDPLITE || proto == IPPROTO_T_SCTP;
}

/* "IP\tCC\tOrg\t" of one side of a flow, rendered into the flow's state. */
static void render_side(char *dst, uint8_t *len, int ipver, const uint8_t *ip, uint32_t subnet)
{
    outbuf_t tmp;
    char buf[2 * BFO_ADDR_TEXT];
    outbuf_on_array(&tmp, buf, sizeof(buf));
    if (ipver == 4) outbuf_ipv4(&tmp, ip);
    else if (ipver == 6) outbuf_ipv6(&tmp, ip);
    const geo_t * const geo = t2FlowTable->geo;
    outbuf_putc(&tmp, '\t');
    outbuf_puts(&tmp, geo ? geo_country(geo, ipver, subnet) : "-");
    outbuf_putc(&tmp, '\t');
    outbuf_puts(&tmp, geo ? geo_org(geo, ipver, subnet) : "-");
    outbuf_putc(&tmp, '\t');
    memcpy(dst, buf, tmp.len);
    *len = (uint8_t)tmp.len;
}

static void render_addresses(unsigned long flowIndex)
{
    const flow_t * const flowP = &flows[flowIndex];
    bfoFlow_t * const bfoFlowP = &bfoFlows[flowIndex];
    const flowkey_t * const key = flow_key(t2FlowTable, flowIndex);
    const int ipver = flow_ipver(flowP);
    render_side(bfoFlowP->text[0], &bfoFlowP->textLen[0], ipver, key->srcIP, flowP->subnetSrc);
    render_side(bfoFlowP->text[1], &bfoFlowP->textLen[1], ipver, key->dstIP, flowP->subnetDst);
}

/* Everything basicFlow does for a packet of flow `flowIndex`. */
static void claim_info(packet_t *packet, unsigned long flowIndex)
{
    copy_hdrdesc(packet, flowIndex);

    flow_t * const flowP = &flows[flowIndex];
    bfoFlow_t * const bfoFlowP = &bfoFlows[flowIndex];
    const int hasMacs = packet->l2 != NO_LAYER && !(flowP->status & FS_L2_NO_ETH);
    uint8_t macs[12];                   /* destination, then source */
    if (hasMacs) {
        packet_l2_addresses(packet, macs);
        remember_mac(bfoFlowP->srcMac, &bfoFlowP->numSrcMac, macs + 6);
        remember_mac(bfoFlowP->dstMac, &bfoFlowP->numDstMac, macs);
    }

    if (!sPktFile) return;

    /* a time jump backwards: T2 tests for a negative pktIAT, whose
     * seconds are unsigned, so only a jump within the second (or one the
     * sub-second field makes) counts */
    const int64_t iatNsec = (int64_t)((uint32_t)flowP->lastSec - (uint32_t)bfoFlowP->lastPktSec) * 1000000000 +
                            (flowP->lastNsec - bfoFlowP->lastPktNsec);
    if (iatNsec < 0) {
        *t2FlowTable->globalWarn |= FS_TIME_JUMP;
        flowP->status |= FS_TIME_JUMP;
    }

    outbuf_t * const out = t2PktBuf;        /* fast formatting (t2plugin.h) */
    outbuf_hex(out, flowP->status, 16);                         /* flowStat */
    outbuf_putc(out, '\t');
    outbuf_time(out, (uint32_t)flowP->lastSec, flowP->lastNsec);   /* time */
    outbuf_putc(out, '\t');
    print_unsigned_span(flowP->lastSec, flowP->lastNsec,          /* pktIAT */
                        bfoFlowP->lastPktSec, bfoFlowP->lastPktNsec);
    outbuf_putc(out, '\t');
    if (flowP->opposite != FLOW_NONE) {                           /* pktTrip */
        const flow_t * const revFlowP = &flows[flowP->opposite];
        print_trip(flowP->lastSec, flowP->lastNsec, revFlowP->lastSec, revFlowP->lastNsec);
    } else {
        outbuf_seconds9(out, 0);
    }
    outbuf_putc(out, '\t');
    print_unsigned_span(flowP->lastSec, flowP->lastNsec,          /* flowDuration */
                        flowP->firstSec, flowP->firstNsec);
    outbuf_putc(out, '\t');
    bfoFlowP->lastPktSec = flowP->lastSec;
    bfoFlowP->lastPktNsec = flowP->lastNsec;

    outbuf_u64(out, packet->numHdrs);                           /* numHdrs */
    outbuf_putc(out, '\t');
    outbuf_puts(out, packet->hdrDesc);                          /* hdrDesc */
    outbuf_putc(out, '\t');

    if (packet->status & FS_VLAN) {                             /* vlanID */
        for (uint8_t i = 0; i < bfoFlowP->numVlans; i++) {
            if (i) outbuf_putc(out, ';');
            outbuf_u64(out, bfoFlowP->vlans[i] >> 16);          /* whole TCI, sic */
        }
    }
    outbuf_putc(out, '\t');

    if (hasMacs) {                                              /* srcMac, dstMac */
        outbuf_mac(out, macs + 6);
        outbuf_putc(out, '\t');
        outbuf_mac(out, macs);
        outbuf_putc(out, '\t');
    } else {
        outbuf_puts(out, "\t\t");
    }
    outbuf_hex(out, packet->ethType, 4);                        /* ethType */
    outbuf_putc(out, '\t');

    if (packet->l3 == NO_LAYER) {                               /* no IP layer */
        outbuf_puts(out, "\t\t\t\t\t\t\t\t\t");
        return;
    }
    if (!bfoFlowP->textLen[0]) render_addresses(flowIndex);
    const uint8_t proto = packet->l4Proto;
    outbuf_write(out, bfoFlowP->text[0], bfoFlowP->textLen[0]);   /* srcIP, CC, Org */
    if (has_ports(proto)) outbuf_u64(out, packet->srcPort);     /* srcPort */
    outbuf_putc(out, '\t');
    outbuf_write(out, bfoFlowP->text[1], bfoFlowP->textLen[1]);   /* dstIP, CC, Org */
    if (has_ports(proto)) outbuf_u64(out, packet->dstPort);     /* dstPort */
    outbuf_putc(out, '\t');
    outbuf_u64(out, proto);                                     /* l4Proto */
    outbuf_putc(out, '\t');
}

static void t2OnLayer2(packet_t *packet, unsigned long flowIndex)
{
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;
    claim_info(packet, flowIndex);
}

static void t2OnLayer4(packet_t *packet, unsigned long flowIndex)
{
    claim_info(packet, flowIndex);
}

/* Flow file: geo labels (CC unquoted, organisation quoted, as T2's types
 * SC and S); "-" when the address is unknown. */
static void flow_geo(outbuf_t *buf, const geo_t *geo, int ipver, uint32_t subnet)
{
    const int known = geo && ipver && subnet != GEO_UNKNOWN;
    outbuf_sanitized(buf, known ? geo_country(geo, ipver, subnet) : "-");
    outbuf_puts(buf, "\t\"");
    outbuf_sanitized(buf, known ? geo_org(geo, ipver, subnet) : "-");
    outbuf_puts(buf, "\"\t");
}

static void flow_ip(outbuf_t *buf, int ipver, const uint8_t *ip)
{
    if (ipver == 4) outbuf_ipv4(buf, ip);
    else if (ipver == 6) outbuf_ipv6(buf, ip);
    else outbuf_putc(buf, '-');
    outbuf_putc(buf, '\t');
}

/* A time as T2's U64.U32 type prints it (seconds cut to 32 bits, and the
 * nanoseconds too: a negative field shows as its unsigned value). */
static void flow_time(outbuf_t *buf, uint64_t sec, int64_t nsec)
{
    outbuf_time(buf, (uint32_t)sec, (uint32_t)nsec);
    outbuf_putc(buf, '\t');
}

static void t2OnFlowTerminate(unsigned long flowIndex, outbuf_t *buf)
{
    const flow_t * const flowP = &flows[flowIndex];
    const bfoFlow_t * const bfoFlowP = &bfoFlows[flowIndex];
    const flowkey_t * const key = flow_key(t2FlowTable, flowIndex);

    outbuf_hex(buf, flowP->status, 16);                     /* flowStat */
    outbuf_putc(buf, '\t');
    flow_time(buf, flowP->firstSec, flowP->firstNsec);      /* timeFirst */
    flow_time(buf, flowP->lastSec, flowP->lastNsec);        /* timeLast */
    int64_t durSec = (int64_t)(flowP->lastSec - flowP->firstSec);
    int64_t durNsec = flowP->lastNsec - flowP->firstNsec;
    if (durNsec < 0) {
        durSec--;
        durNsec += 1000000000;
    }
    flow_time(buf, (uint64_t)durSec, durNsec);              /* duration */

    outbuf_u64(buf, bfoFlowP->numHdrDesc);                  /* numHdrDesc */
    outbuf_putc(buf, '\t');
    for (uint8_t i = 0; i < bfoFlowP->numHdrDesc; i++) {    /* numHdrs */
        if (i) outbuf_putc(buf, ';');
        outbuf_u64(buf, bfoFlowP->hdrCnt[i]);
    }
    outbuf_putc(buf, '\t');
    for (uint8_t i = 0; i < bfoFlowP->numHdrDesc; i++) {    /* hdrDesc */
        if (i) outbuf_putc(buf, ';');
        outbuf_sanitized(buf, descs.text[bfoFlowP->hdrDesc[i]]);
    }
    outbuf_putc(buf, '\t');
    for (uint8_t i = 0; i < bfoFlowP->numSrcMac; i++) {     /* srcMac */
        if (i) outbuf_putc(buf, ';');
        outbuf_mac(buf, bfoFlowP->srcMac[i]);
    }
    outbuf_putc(buf, '\t');
    for (uint8_t i = 0; i < bfoFlowP->numDstMac; i++) {     /* dstMac */
        if (i) outbuf_putc(buf, ';');
        outbuf_mac(buf, bfoFlowP->dstMac[i]);
    }
    outbuf_putc(buf, '\t');
    outbuf_hex(buf, key->ethType, 4);                       /* ethType */
    outbuf_putc(buf, '\t');
    for (uint8_t i = 0; i < bfoFlowP->numVlans; i++) {      /* vlanID */
        if (i) outbuf_putc(buf, ';');
        outbuf_u64(buf, bfoFlowP->vlans[i] >> 16);
    }
    outbuf_putc(buf, '\t');

    const int ipver = flow_ipver(flowP);
    const geo_t * const geo = t2FlowTable->geo;
    flow_ip(buf, ipver, key->srcIP);                        /* srcIP */
    flow_geo(buf, geo, ipver, flowP->subnetSrc);            /* srcIPCC, srcIPOrg */
    outbuf_u64(buf, key->ports >> 16);                      /* srcPort */
    outbuf_putc(buf, '\t');
    flow_ip(buf, ipver, key->dstIP);                        /* dstIP */
    flow_geo(buf, geo, ipver, flowP->subnetDst);            /* dstIPCC, dstIPOrg */
    outbuf_u64(buf, key->ports & 0xffff);                   /* dstPort */
    outbuf_putc(buf, '\t');
    outbuf_u64(buf, key->l4Proto);                          /* l4Proto */
    outbuf_putc(buf, '\t');
}

static void t2Finalize(void)
{
    free(bfoFlows);
    bfoFlows = NULL;
    strtab_free(&descs);
}

static const t2_column_t basicFlowColumns[] = {
    { "H64",     "flowStat",   "Flow status and warnings" },
    { "U64.U32", "timeFirst",  "Date time of first packet" },
    { "U64.U32", "timeLast",   "Date time of last packet" },
    { "U64.U32", "duration",   "Flow duration" },
    { "U8",      "numHdrDesc", "Number of different headers descriptions" },
    { "U16:R",   "numHdrs",    "Number of headers (depth) in hdrDesc" },
    { "SC:R",    "hdrDesc",    "Headers description" },
    { "MAC:R",   "srcMac",     "Mac source" },
    { "MAC:R",   "dstMac",     "Mac destination" },
    { "H16",     "ethType",    "Ethernet type" },
    { "U16:R",   "vlanID",     "VLAN IDs" },
    { "IPX",     "srcIP",      "Source IP address" },
    { "SC",      "srcIPCC",    "Source IP country" },
    { "S",       "srcIPOrg",   "Source IP organization" },
    { "U16",     "srcPort",    "Source port" },
    { "IPX",     "dstIP",      "Destination IP address" },
    { "SC",      "dstIPCC",    "Destination IP country" },
    { "S",       "dstIPOrg",   "Destination IP organization" },
    { "U16",     "dstPort",    "Destination port" },
    { "U8",      "l4Proto",    "Layer 4 protocol" },
    { NULL, NULL, NULL }
};

const t2_plugin_t basicFlowPlugin = {
    .name = "basicFlow",
    .version = "0.9.3",
    .flowColumns = basicFlowColumns,
    .t2Init = t2Init,
    .t2OnNewFlow = t2OnNewFlow,
    .t2OnLayer2 = t2OnLayer2,
    .t2OnLayer4 = t2OnLayer4,
    .t2OnFlowTerminate = t2OnFlowTerminate,
    .t2Finalize = t2Finalize,
};
