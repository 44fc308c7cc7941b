/*
 * dissect_ipv4.c - an IPv4 header and what it carries (see dissect_steps.h).
 *
 * dissect_ipv4() walks the header at p->l3 in four steps:
 *
 *   1. encapsulations   what may lie between this header and the packet
 *                       the flow is keyed on: tunnels found by port
 *                       (dissect_tunnel.c), GRE (dissect_gre.c), EtherIP,
 *                       IP in IP.  T2 follows an inner IPv4 header in the
 *                       same pass, so the walk keeps "the header it holds"
 *                       in an ipv4_walk_t; an inner IPv6 header, or an IP
 *                       packet found deeper in a tunnel, gets a call of
 *                       its own (dissect_ipv6(), dissect_ipv4()).
 *   2. lengths          the IP length clipped to the wire and to the
 *                       capture, the transport header's and the payload's,
 *                       and how much of each was captured
 *   3. flow key         the addresses and the fragment state
 *   4. transport        the protocol of a first fragment, looked up in
 *                       `transport_steps`: TCP and UDP ports, tunnels that
 *                       start there (IP in IP, GRE, PIM register), or just
 *                       a label
 */
#include <string.h>

#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define IPV4_MIN_HDR 20

static uint16_t ihl_of(const packet_t *p, uint32_t ip)
{
    return (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
}

static uint16_t frag_field(const packet_t *p, uint32_t ip)
{
    return packet_u16(p, ip + 6);             /* flags and fragment offset */
}

static int is_later_fragment(const packet_t *p, uint32_t ip)
{
    return (frag_field(p, ip) & 0x1fff) != 0;
}

void ipv4_switch_to(dissect_t *d, ipv4_walk_t *w, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":ipv4");
    p->l3 = at;
    w->ip = at;
    p->l3HdrLen = ihl_of(p, at);
}

void ipv4_fragment(packet_t *p, uint32_t ip)
{
    p->ipId = packet_u16(p, ip + 4);
    p->fragId = p->ipId;
    p->fragState = (frag_field(p, ip) & 0x3fff) == 0x2000 ? FRAG_FIRST : FRAG_NONE;
}

/* --------------------------------------------------------------------- */
/* 1. encapsulations                                                      */

/* Some tunnels are recognised by the ports of the transport header. */
static step_t port_tunnels(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    const uint8_t proto = packet_u8(p, w->ip + 9);
    uint16_t sport = 0, dport = 0;
    uint32_t hdr_len = 8;
    const int has_ports = proto == IPPROTO_T_TCP || proto == IPPROTO_T_UDP ||
                         proto == IPPROTO_T_UDPLITE || proto == IPPROTO_T_SCTP;
    if (has_ports && !is_later_fragment(p, w->ip)) {
        sport = packet_u16(p, p->l4);
        dport = packet_u16(p, p->l4 + 2);
        if (proto == IPPROTO_T_TCP) hdr_len = (uint32_t)(packet_u8(p, p->l4 + 12) >> 4) << 2;
        if (proto == IPPROTO_T_SCTP) hdr_len = 12;
    }
    p->srcPort = sport;
    p->dstPort = dport;
    if (!sport || !dport) return STEP_CONTINUE;
    return tunnel_by_port(d, proto, hdr_len, &w->priproto);
}

/* EtherIP (protocol 97): an Ethernet frame at `at`, behind 2 bytes. */
static step_t etherip(dissect_t *d, ipv4_walk_t *w, uint32_t at)
{
    packet_t *p = d->p;
    const uint32_t type_at = dissect_etherip_frame(d, at);
    const uint16_t type = packet_u16(p, type_at);
    if (type == ETH_P_IPV6) return inner_ipv6(d, type_at + 2);
    if (type == ETH_P_IPV4) {
        ipv4_switch_to(d, w, type_at + 2);
    } else {
        hdrdesc_add_ethertype(p, type);
        p->status |= FS_STOP_DISSECT;
    }
    return STEP_CONTINUE;
}

/* IPv4 or IPv6 right behind the header. */
static step_t ip_in_ip(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    const uint32_t inner = p->l3 + p->l3HdrLen;
    const uint8_t proto = packet_u8(p, w->ip + 9);
    if (proto != IPPROTO_T_IPIP && proto != IPPROTO_T_IPV6) return STEP_CONTINUE;
    p->status |= FS_IPIP;
    if (inner <= p->caplen) {
        if (proto == IPPROTO_T_IPV6) return inner_ipv6(d, inner);
        ipv4_switch_to(d, w, inner);
    } else if (proto == IPPROTO_T_IPIP) {
        hdrdesc_add(p, ":ipv4");
        p->status |= FS_STOP_DISSECT;
    } else {
        p->status |= FS_IPV6_PKT | FS_STOP_DISSECT;
    }
    return STEP_CONTINUE;
}

/* Tunnels by port, GRE, EtherIP and IP in IP, in T2's order; each one
 * runs unless an earlier one stopped the walk.  STEP_DONE when the packet
 * was dissected to its end (an inner packet, or a tunnel T2 gives up on). */
static step_t encapsulations(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    if (port_tunnels(d, w) == STEP_DONE) return STEP_DONE;
    if (p->status & FS_STOP_DISSECT) return STEP_CONTINUE;
    if (packet_u8(p, w->ip + 9) == IPPROTO_T_GRE && gre_in_ipv4(d, w) == STEP_DONE) {
        return STEP_DONE;
    }
    if (p->status & FS_STOP_DISSECT) return STEP_CONTINUE;
    const uint32_t after_hdr = p->l3 + p->l3HdrLen;
    if (packet_u8(p, w->ip + 9) == IPPROTO_T_ETHIP && ip_version_bits(p, after_hdr) >= 0x30) {
        if (etherip(d, w, after_hdr) == STEP_DONE) return STEP_DONE;
    }
    if (p->status & FS_STOP_DISSECT) return STEP_CONTINUE;
    return ip_in_ip(d, w);
}

/* --------------------------------------------------------------------- */
/* 2. lengths                                                             */

/* The IP length of the header at `ip`, clipped to what the wire carried,
 * and the snapped layer-2 and layer-3 lengths it implies. */
static uint16_t ip_length(dissect_t *d, uint32_t ip)
{
    packet_t *p = d->p;
    const uint16_t l2_hdr_len = (uint16_t)(p->l3 - p->l2);
    p->snapL3Len = p->snapL2Len - l2_hdr_len;
    const uint16_t wire_l3_len = (uint16_t)(p->wirelen - p->l3);
    const uint16_t ip_len = packet_u16(p, ip + 2);
    const uint16_t l3Len = (!ip_len || ip_len > wire_l3_len) ? wire_l3_len : ip_len;
    if (!ip_len && wire_l3_len) p->status |= FS_IP_PL_MISMATCH;
    p->l3Len = l3Len;
    d->stats->bytes_on_wire += (uint16_t)(l3Len + l2_hdr_len);
    if (p->snapL3Len < l3Len) {
        p->status |= FS_L3_SNAPPED;
        dissect_warn_l3_snapped(d, "", l3Len);
    } else if (p->snapL3Len > l3Len) {        /* Ethernet padding */
        p->snapL2Len = (uint16_t)(l3Len + l2_hdr_len);
        p->snapL3Len = l3Len;
    }
    if (l3Len < IPV4_MIN_HDR) p->status |= FS_L3_HDR_SHORT;
    return l3Len;
}

/* Transport header length T2 assumes for the protocol. */
static uint16_t transport_length(const packet_t *p, uint32_t ip, uint32_t gre_len)
{
    switch (packet_u8(p, ip + 9)) {
        case IPPROTO_T_IPIP: return ihl_of(p, ip);
        case IPPROTO_T_ICMP: return 8;
        case IPPROTO_T_TCP:
            if ((p->status & FS_L3_SNAPPED) && (uint32_t)(p->caplen - p->l4) < 20) return 20;
            return (uint16_t)((packet_u8(p, p->l4 + 12) >> 4) << 2);
        case IPPROTO_T_GRE: return (uint16_t)gre_len;
        case IPPROTO_T_OSPF: return packet_u8(p, p->l4) == 2 ? 24 : 16;
        case IPPROTO_T_SCTP: return 12;
        default: return 8;
    }
}

/* The transport header's length, the payload's, and how much of each was
 * captured, for the innermost IPv4 header at w->ip. */
static void transport_lengths(packet_t *p, const ipv4_walk_t *w)
{
    const uint16_t l3Len = w->l3Len;
    p->l4Proto = packet_u8(p, w->ip + 9);
    p->l4 = w->ip + p->l3HdrLen;
    uint16_t l4HdrLen = 0;
    if (!is_later_fragment(p, w->ip)) {
        l4HdrLen = transport_length(p, w->ip, w->gre_len);
        if ((p->status & FS_L3_SNAPPED) && (uint32_t)(p->caplen - p->l4) < l4HdrLen) {
            p->status |= FS_L4_HDR_SHORT;
        }
    }
    p->l4HdrLen = l4HdrLen;
    const int32_t payload = (int32_t)l3Len - ihl_of(p, w->ip) - (int32_t)l4HdrLen;
    if (payload < 0) p->status |= FS_L4_HDR_SHORT;
    p->len = payload < 0 ? 0 : (uint32_t)payload;       /* T2's packet length */

    p->l7Len = (uint16_t)(l3Len - p->l3HdrLen - l4HdrLen);
    p->l7 = p->l4 + l4HdrLen;
    const uint16_t l3_to_l7 = (uint16_t)(p->l7 - p->l3);
    if (p->snapL3Len >= l3Len) {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)(l3Len - p->l3HdrLen);
        p->snapL7Len = l4HdrLen < p->snapL4Len ? (uint16_t)(p->snapL4Len - l4HdrLen) : 0;
    } else {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)(p->snapL3Len - p->l3HdrLen);
        p->snapL7Len = p->snapL3Len < l3_to_l7 ? 0 : (uint16_t)(p->snapL3Len - l3_to_l7);
    }
}

/* --------------------------------------------------------------------- */
/* 4. transport                                                           */

/* A transport step may walk into a tunnel: STEP_DONE when an inner packet
 * was dissected instead.  w->priproto is 0 when a tunnel step has already
 * named the transport. */
typedef step_t (*transport_step_fn)(dissect_t *d, ipv4_walk_t *w);

static step_t transport_ipip(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    (void)w;
    p->status |= FS_IPIP;
    if (p->l3 + p->l3HdrLen > p->caplen || p->l3HdrLen == 0) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    return inner_ipv4(d, p->l3 + p->l3HdrLen);
}

static step_t transport_ipv6(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    (void)w;
    if (p->l3 + 40 > p->caplen) {             /* T2QUIRK: T2 measures from l3 */
        hdrdesc_add(p, ":ipv6");
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    return inner_ipv6(d, p->l3);              /* T2QUIRK: at the IPv4 header */
}

static step_t transport_tcp(dissect_t *d, ipv4_walk_t *w)
{
    if (w->priproto) hdrdesc_add(d->p, ":tcp");
    if (w->l3Len < 40) d->p->status |= FS_L4_HDR_SHORT;
    else transport_tcp_ports(d);
    return STEP_CONTINUE;
}

static step_t transport_udp(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    if (w->priproto) hdrdesc_add(p, p->l4Proto == IPPROTO_T_UDP ? ":udp" : ":udplite");
    if (w->l3Len < 28) p->status |= FS_L4_HDR_SHORT;
    else transport_udp_ports(d);
    return STEP_CONTINUE;
}

static step_t transport_ah(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    (void)w;
    hdrdesc_add(p, ":ah");
    p->status |= FS_IPSEC_AH;
    hdrdesc_add_ipproto(p, packet_u8(p, p->l4));   /* its next header */
    return STEP_CONTINUE;
}

static step_t transport_sctp(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    if (w->priproto) hdrdesc_add(p, ":sctp");
    p->status |= FS_SCTP;
    if (w->l3Len < 36) {
        p->status |= FS_L4_HDR_SHORT;
    } else {
        p->srcPort = packet_u16(p, p->l4);
        p->dstPort = packet_u16(p, p->l4 + 2);
    }
    return STEP_CONTINUE;
}

/* IGMP: T2 names a few message types */
static step_t transport_igmp(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":igmp");
    const uint8_t type = packet_u8(p, p->l4);
    if (type == 0x13) hdrdesc_add(p, ":dvmrp");
    else if (type == 0x14) hdrdesc_add(p, ":pim");
    else if (type >= 0xfc && packet_u32(p, w->ip + 16) == 0xe0000019) hdrdesc_add(p, ":rgmp");
    return STEP_CONTINUE;
}

/* PIM: a register message carries an IP packet */
static step_t transport_pim(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    (void)w;
    hdrdesc_add(p, ":pim");
    if ((packet_u8(p, p->l4) & 0x0f) != 1) return STEP_CONTINUE;
    const uint32_t inner = p->l4 + 8;
    if (ip_version_bits(p, inner) == 0x40) return inner_ipv4(d, inner);
    if (ip_version_bits(p, inner) == 0x60) return inner_ipv6(d, inner);
    return STEP_CONTINUE;
}

/* What T2 does with a transport protocol: a step, or a label and a status
 * bit; protocols not listed get their label from dissect_hdrdesc.c. */
typedef struct {
    transport_step_fn step;
    const char *label;
    uint64_t status;
} transport_entry_t;

static const transport_entry_t transport_steps[256] = {
    [IPPROTO_T_IGMP]    = { transport_igmp, NULL, 0 },
    [IPPROTO_T_IPIP]    = { transport_ipip, NULL, 0 },
    [IPPROTO_T_TCP]     = { transport_tcp,  NULL, 0 },
    [IPPROTO_T_UDP]     = { transport_udp,  NULL, 0 },
    [IPPROTO_T_IPV6]    = { transport_ipv6, NULL, 0 },
    [IPPROTO_T_GRE]     = { gre_in_transport, NULL, 0 },
    [IPPROTO_T_ESP]     = { NULL, ":esp", FS_IPSEC_ESP },
    [IPPROTO_T_AH]      = { transport_ah,   NULL, 0 },
    [IPPROTO_T_PIM]     = { transport_pim,  NULL, 0 },
    [IPPROTO_T_L2TP]    = { NULL, ":l2tp", FS_L2TP },
    [IPPROTO_T_SCTP]    = { transport_sctp, NULL, 0 },
    [IPPROTO_T_UDPLITE] = { transport_udp,  NULL, 0 },
};

static step_t transport(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    const transport_entry_t *e = &transport_steps[p->l4Proto];
    if (e->step) return e->step(d, w);
    if (e->label) {
        hdrdesc_add(p, e->label);
        p->status |= e->status;
    } else {
        hdrdesc_add_ipproto(p, p->l4Proto);
    }
    return STEP_CONTINUE;
}

/* --------------------------------------------------------------------- */
/* the four steps                                                         */

/* 3. The flow key: addresses and fragment state of the header at `ip`. */
static void ipv4_flow_key(packet_t *p, uint32_t ip)
{
    p->ipver = 4;
    for (uint32_t i = 0; i < 4; i++) {
        p->srcIP[i] = packet_u8(p, ip + 12 + i);
        p->dstIP[i] = packet_u8(p, ip + 16 + i);
    }
    memset(p->srcIP + 4, 0, 12);
    memset(p->dstIP + 4, 0, 12);
    ipv4_fragment(p, ip);
    if (!(p->status & FS_STOP_DISSECT)) {
        p->srcPort = 0;
        p->dstPort = 0;
    }
}

/* An IP header dissected from its start (the packet's, or one inside a
 * transport-level tunnel) keys the flow alone: as in T2, where each such
 * header is a call of its own, an outer header's fragment state does not
 * carry over to it. */
static void forget_fragment(packet_t *p)
{
    p->fragState = FRAG_NONE;
    p->moreFrags = 0;
}

void dissect_ipv4(dissect_t *d)
{
    packet_t *p = d->p;
    ipv4_walk_t w = { p->l3, 1, 0, 0 };
    p->ethType = ETH_P_IPV4;
    p->status |= FS_IPV4_PKT;
    hdrdesc_add(p, ":ipv4");
    forget_fragment(p);

    const uint16_t ihl = ihl_of(p, w.ip);
    if (ihl < IPV4_MIN_HDR) {
        p->status |= FS_IPV4_HL_SHORT;
        return;                               /* no flow for this packet */
    }
    p->l3HdrLen = ihl;
    p->l4 = w.ip + ihl;
    if (is_later_fragment(p, w.ip)) p->status |= FS_STOP_DISSECT;

    if (encapsulations(d, &w) == STEP_DONE) return;
    if (ip_version_bits(p, w.ip) != 0x40) {
        p->status |= FS_IPVX;
        hdrdesc_add(p, ":ipvx");
        return;                               /* no flow */
    }
    w.l3Len = ip_length(d, w.ip);
    transport_lengths(p, &w);
    ipv4_flow_key(p, w.ip);

    if (is_later_fragment(p, w.ip)) {         /* no transport header */
        p->fragState = FRAG_LATER;
        p->moreFrags = (frag_field(p, w.ip) & 0x2000) != 0;
        if (w.priproto) hdrdesc_add_ipproto(p, p->l4Proto);
    } else if (!(p->status & FS_STOP_DISSECT) && transport(d, &w) == STEP_DONE) {
        return;
    }
    p->status |= FS_IPV4_FLOW;
    p->dispatch = DISPATCH_IP;
}
