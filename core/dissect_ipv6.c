/*
 * dissect_ipv6.c - an IPv6 header and its extension header chain (see
 * dissect_steps.h).
 *
 * dissect_ipv6() works out the outer lengths, walks the chain, and keys
 * the flow on the IPv6 header the chain ended in.
 *
 * The chain is a loop over "next header" numbers: each number has a step
 * in `chain_steps`, which either moves on to the next header (an extension
 * header, or an IPv6 header inside IPv6, GRE, EtherIP or a PIM register),
 * ends the chain at a transport header, or hands an inner IPv4 packet to
 * dissect_ipv4().  Numbers without a step get their label and end the
 * chain.  As T2, the walk looks at IPV6_MAX_HEADERS headers at most and
 * stops where fewer than 8 captured bytes are left.
 */
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define IPV6_HDR_LEN 40
#define IPV6_MAX_HEADERS 5                    /* T2's MAXHDRCNT */

/* Where the walk through the chain stands. */
typedef struct {
    uint32_t ip6;       /* the IPv6 header the chain belongs to */
    uint32_t hdr_len;    /* its length with the extension headers walked */
    uint8_t next;       /* the number of the header at ip6 + hdr_len */
    uint32_t left;      /* captured bytes from that header on */
    uint16_t l4HdrLen;  /* the transport header's length, at the end */
    uint32_t frag_hdr;   /* the fragment header, or NO_LAYER */
} ipv6_chain_t;

/* What a chain step says: walk the next header, the chain ends here, or
 * an inner packet was dissected (or the packet dropped) instead. */
typedef enum { CHAIN_NEXT, CHAIN_END, CHAIN_DONE } chain_t;

typedef chain_t (*chain_step_fn)(dissect_t *d, ipv6_chain_t *c, uint32_t at);

/* Go on with the IPv6 header at `at`.  Where T2 keeps the next header
 * number it had (GRE, EtherIP), the caller leaves c->next alone. */
static void chain_enter_ipv6(packet_t *p, ipv6_chain_t *c, uint32_t at)
{
    p->l3 = at;
    c->ip6 = at;
    c->hdr_len = IPV6_HDR_LEN;
}

/* --------------------------------------------------------------------- */
/* extension headers                                                      */

/* Hop-by-hop, routing and destination options: labelled by number.  T2
 * points its plugins at the last options header of each kind. */
static chain_t chain_options(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    if (c->next == IPPROTO_T_HOPOPTS) p->ip6_hopopts = at;
    else if (c->next == IPPROTO_T_DSTOPTS) p->ip6_dstopts = at;
    hdrdesc_add_ipproto(p, c->next);
    c->next = packet_u8(p, at);
    c->hdr_len += ((uint32_t)packet_u8(p, at + 1) + 1) << 3;
    return CHAIN_NEXT;
}

static chain_t chain_fragment(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":ipv6.fraghdr");
    d->stats->frag_v6_headers++;
    c->next = packet_u8(p, at);
    c->frag_hdr = p->ip6_frag = at;
    c->hdr_len += 8;
    if (!(packet_u16(p, at + 2) & 0xfff8)) return CHAIN_NEXT;
    p->l4 = at + 8;                           /* a later fragment */
    return CHAIN_END;
}

static chain_t chain_ah(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":ah");
    p->status |= FS_IPSEC_AH;
    c->next = packet_u8(p, at);
    c->hdr_len += ((uint32_t)packet_u8(p, at + 1) + 2) << 2;
    return CHAIN_NEXT;
}

/* --------------------------------------------------------------------- */
/* IP inside the chain                                                    */

static chain_t chain_ipv4(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    (void)c;
    if (at <= p->caplen) {
        inner_ipv4(d, at);
        return CHAIN_DONE;
    }
    hdrdesc_add(p, ":ipv4");
    p->status |= FS_IPV4_PKT | FS_STOP_DISSECT;
    return CHAIN_END;
}

static chain_t chain_ipv6(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":ipv6");
    p->status |= FS_IPIP;
    if (c->left < IPV6_HDR_LEN) {
        p->status |= FS_STOP_DISSECT;
        return CHAIN_END;
    }
    chain_enter_ipv6(p, c, at);
    c->next = packet_u8(p, at + 6);
    return CHAIN_NEXT;
}

static chain_t chain_gre(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    (void)at;
    if (gre_in_ipv6(d, &c->ip6) == STEP_DONE) return CHAIN_END;
    c->hdr_len = IPV6_HDR_LEN;       /* T2QUIRK: the next header stays GRE's */
    return CHAIN_NEXT;
}

/* EtherIP: T2 drops the packet when the version nibble is below 3. */
static chain_t chain_etherip(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    at = p->l3 + c->hdr_len;
    if (ip_version_bits(p, at) < 0x30) {
        p->dispatch = DISPATCH_NONE;
        return CHAIN_DONE;
    }
    const uint32_t type_at = dissect_etherip_frame(d, at);
    const uint16_t type = packet_u16(p, type_at);
    if (type == ETH_P_IPV6) {
        hdrdesc_add(p, ":ipv6");
        chain_enter_ipv6(p, c, type_at + 2);   /* T2QUIRK: next stays EtherIP */
        return CHAIN_NEXT;
    }
    if (type == ETH_P_IPV4) {
        inner_ipv4(d, type_at + 2);
        return CHAIN_DONE;
    }
    hdrdesc_add_ethertype(p, type);
    c->l4HdrLen = 0;
    p->status |= FS_STOP_DISSECT;
    return CHAIN_END;
}

/* PIM: a register message carries an IP packet. */
static chain_t chain_pim(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":pim");
    if ((packet_u8(p, at) & 0x0f) != 1) return CHAIN_END;
    const uint32_t inner = at + 8;
    if (ip_version_bits(p, inner) == 0x40) {
        inner_ipv4(d, inner);
        return CHAIN_DONE;
    }
    if (ip_version_bits(p, inner) != 0x60) return CHAIN_END;
    chain_enter_ipv6(p, c, inner);
    c->next = packet_u8(p, inner + 6);
    return CHAIN_NEXT;
}

/* --------------------------------------------------------------------- */
/* transport headers: the end of the chain                                */

static chain_t chain_icmpv6(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    (void)at;
    hdrdesc_add(d->p, ":icmpv6");
    c->l4HdrLen = 8;
    return CHAIN_END;
}

static chain_t chain_tcp(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":tcp");
    if ((p->status & FS_L3_SNAPPED) && c->left < 20) {
        p->status |= FS_L4_HDR_SHORT;
        c->l4HdrLen = 20;
    } else {
        c->l4HdrLen = (uint16_t)((packet_u8(p, at + 12) >> 4) << 2);
    }
    if (c->left < 20) p->status |= FS_L4_HDR_SHORT;
    else transport_tcp_ports(d);
    return CHAIN_END;
}

/* UDP and UDP-Lite; T2 looks for L2TP here, but not for tunnels by port. */
static chain_t chain_udp(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, c->next == IPPROTO_T_UDP ? ":udp" : ":udplite");
    c->l4HdrLen = 8;
    const uint16_t sport = packet_u16(p, at), dport = packet_u16(p, at + 2);
    p->srcPort = sport;
    p->dstPort = dport;
    transport_dtls(d, at + 8);
    if ((sport == 1701 || dport == 1701) && tunnel_l2tp(d, at + 8) == STEP_DONE) return CHAIN_DONE;
    transport_ssdp(d, sport, dport);
    return CHAIN_END;
}

static chain_t chain_sctp(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":sctp");
    p->status |= FS_SCTP;
    c->l4HdrLen = 12;
    if ((p->status & FS_L3_SNAPPED) && c->left < 12) p->status |= FS_L4_HDR_SHORT;
    if (c->left < 16) {
        p->status |= FS_L4_HDR_SHORT;
    } else {
        p->srcPort = packet_u16(p, at);
        p->dstPort = packet_u16(p, at + 2);
    }
    return CHAIN_END;
}

static chain_t chain_ospf(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    hdrdesc_add(d->p, ":ospf");
    c->l4HdrLen = packet_u8(d->p, at) == 2 ? 24 : 16;
    return CHAIN_END;
}

static chain_t chain_l2tp(dissect_t *d, ipv6_chain_t *c, uint32_t at)
{
    (void)c;
    (void)at;
    hdrdesc_add(d->p, ":l2tp");
    d->p->status |= FS_L2TP;
    return CHAIN_END;
}

/* The step for each next header number T2 walks. */
static const chain_step_fn chain_steps[256] = {
    [IPPROTO_T_HOPOPTS] = chain_options,  [IPPROTO_T_IPIP]    = chain_ipv4,
    [IPPROTO_T_TCP]     = chain_tcp,      [IPPROTO_T_UDP]     = chain_udp,
    [IPPROTO_T_IPV6]    = chain_ipv6,     [IPPROTO_T_ROUTING] = chain_options,
    [IPPROTO_T_FRAG]    = chain_fragment, [IPPROTO_T_GRE]     = chain_gre,
    [IPPROTO_T_AH]      = chain_ah,       [IPPROTO_T_ICMPV6]  = chain_icmpv6,
    [IPPROTO_T_DSTOPTS] = chain_options,  [IPPROTO_T_OSPF]    = chain_ospf,
    [IPPROTO_T_ETHIP]   = chain_etherip,  [IPPROTO_T_PIM]     = chain_pim,
    [IPPROTO_T_L2TP]    = chain_l2tp,     [IPPROTO_T_SCTP]    = chain_sctp,
    [IPPROTO_T_UDPLITE] = chain_udp,
};

/* Walk the chain.  STEP_DONE when an inner packet was dissected (or the
 * packet dropped) instead of this one. */
static step_t walk_chain(dissect_t *d, ipv6_chain_t *c)
{
    packet_t *p = d->p;
    for (int i = 0; i < IPV6_MAX_HEADERS; i++) {
        p->srcPort = 0;
        p->dstPort = 0;
        p->l4 = c->ip6 + c->hdr_len;
        c->left = (uint32_t)(p->caplen - p->l4);
        c->l4HdrLen = 0;
        if (c->left < 8) return STEP_CONTINUE;
        const chain_step_fn step = chain_steps[c->next];
        if (!step) {                          /* a header T2 only names */
            hdrdesc_add_ipproto(p, c->next);
            return STEP_CONTINUE;
        }
        const chain_t what = step(d, c, p->l4);
        if (what == CHAIN_DONE) return STEP_DONE;
        if (what == CHAIN_END) return STEP_CONTINUE;
    }
    return STEP_CONTINUE;
}

/* --------------------------------------------------------------------- */
/* lengths and flow key                                                   */

/* The IP length of the header at `ip6`: the payload length and its 40
 * header bytes, clipped to what the wire carried (0 means "unknown"). */
static uint16_t ipv6_length(packet_t *p, uint32_t ip6)
{
    const uint16_t wire_len = (uint16_t)(p->wirelen - p->l3);
    const uint16_t payload_len = packet_u16(p, ip6 + 4);
    if (!payload_len && wire_len) p->status |= FS_IP_PL_MISMATCH;
    if (!payload_len || payload_len + IPV6_HDR_LEN > wire_len) return wire_len;
    return (uint16_t)(payload_len + IPV6_HDR_LEN);
}

/* Before the chain: whether the capture holds the whole outer packet. */
static void outer_lengths(dissect_t *d, uint32_t ip6)
{
    packet_t *p = d->p;
    const uint16_t l2_hdr_len = (uint16_t)(p->l3 - p->l2);
    p->snapL3Len = p->snapL2Len - l2_hdr_len;
    const uint16_t outer_l3_len = ipv6_length(p, ip6);
    d->stats->bytes_on_wire += (uint16_t)p->wirelen;
    if (p->snapL3Len < outer_l3_len) {
        p->status |= FS_L3_SNAPPED;
        dissect_warn_l3_snapped(d, "Outer -- ", outer_l3_len);
    } else if (p->snapL3Len > outer_l3_len) {
        p->snapL2Len = (uint16_t)p->wirelen;
        p->snapL3Len = outer_l3_len;
    }
}

/* After the chain: the lengths of the header it ended in, its transport
 * header and payload, and how much of each was captured. */
static void inner_lengths(packet_t *p, const ipv6_chain_t *c)
{
    p->l4Proto = c->next;
    p->l3HdrLen = (uint16_t)c->hdr_len;
    /* T2 measures the IPv6 snapped length to the end of the capture */
    p->snapL3Len = (uint32_t)(p->caplen - p->l3);
    const uint16_t l3Len = ipv6_length(p, c->ip6);
    p->l3Len = l3Len;

    const int later = c->frag_hdr != NO_LAYER && (packet_u16(p, c->frag_hdr + 2) & 0xfff8);
    const uint16_t l4HdrLen = later ? 0 : c->l4HdrLen;
    const uint16_t l4_to_end = (uint16_t)(p->caplen - p->l4);
    p->l4HdrLen = l4HdrLen;
    p->l7Len = (uint16_t)(l3Len - c->hdr_len - l4HdrLen);
    p->len = p->l7Len;                                  /* T2's packet length */
    p->l7 = p->l4 + l4HdrLen;
    p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : l4_to_end;
    if (p->snapL3Len >= l3Len) {
        p->snapL7Len = l4HdrLen < p->snapL4Len ? (uint16_t)(p->snapL4Len - l4HdrLen) : 0;
    } else {
        const uint16_t l3_to_l7 = (uint16_t)(p->l7 - p->l3);
        p->snapL7Len = p->snapL3Len < l3_to_l7 ? 0 : (uint16_t)(p->caplen - p->l7);
    }
}

/* The flow key: the addresses, and the fragment header's ID and state. */
static void ipv6_flow_key(packet_t *p, const ipv6_chain_t *c)
{
    p->ipver = 6;
    for (uint32_t i = 0; i < 16; i++) {
        p->srcIP[i] = packet_u8(p, c->ip6 + 8 + i);
        p->dstIP[i] = packet_u8(p, c->ip6 + 24 + i);
    }
    p->ipId = 0;
    if (c->frag_hdr == NO_LAYER) return;
    const uint16_t off = packet_u16(p, c->frag_hdr + 2);
    p->fragId = packet_u32(p, c->frag_hdr + 4);
    p->moreFrags = off & 1;
    if (off & 0xfff8) p->fragState = FRAG_LATER;
    else if ((off & 0xfff9) == 0x0001) p->fragState = FRAG_FIRST;
}

void dissect_ipv6(dissect_t *d)
{
    packet_t *p = d->p;
    const uint32_t ip6 = p->l3;
    ipv6_chain_t c = { ip6, IPV6_HDR_LEN, packet_u8(p, ip6 + 6), 0, 0, NO_LAYER };
    p->ethType = ETH_P_IPV6;
    p->status |= FS_IPV6_PKT;
    hdrdesc_add(p, ":ipv6");
    p->fragState = FRAG_NONE;       /* as in dissect_ipv4(): a call of its */
    p->moreFrags = 0;               /* own does not inherit fragment state */
    if (c.next == IPPROTO_T_FRAG) c.frag_hdr = ip6 + IPV6_HDR_LEN;

    outer_lengths(d, ip6);
    p->l4Proto = c.next;
    if (walk_chain(d, &c) == STEP_DONE) return;

    inner_lengths(p, &c);
    ipv6_flow_key(p, &c);
    p->status |= FS_IPV6_FLOW;
    p->dispatch = DISPATCH_IP;
}
