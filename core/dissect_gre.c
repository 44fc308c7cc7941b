/*
 * dissect_gre.c - GRE, the generic routing encapsulation (see
 * dissect_steps.h).
 *
 * A GRE header is 4 bytes (flags, version, the payload's protocol as an
 * ethertype) and up to six optional 4-byte fields, one per flag bit.
 * gre_read() measures it; what follows depends on where T2 meets it,
 * and T2 handles each place a little differently:
 *
 *   gre_in_ipv4()       right behind an IPv4 header: IPv4, PPP (PPTP),
 *                       bridged Ethernet (also behind ERSPAN) and WCCP
 *   gre_in_transport()  again, in the IPv4 transport step (GRE inside a
 *                       header GRE led to): IPv4, PPP, bridged Ethernet;
 *                       T2 gives up on the packet for anything else
 *   gre_in_ipv6()       in an IPv6 extension header chain: IPv6, PPP,
 *                       bridged Ethernet
 *
 * An inner IPv4 header becomes the one the IPv4 walk holds
 * (ipv4_switch_to()), an inner IPv6 header the one the chain walks on
 * from; an IPv6 packet inside IPv4 GRE gets dissect_ipv6() of its own.
 */
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define GRE_PROTO_PPP     0x880b
#define GRE_PROTO_TEB     0x6558      /* transparent Ethernet bridging */
#define GRE_PROTO_ERSPAN  0x88be
#define GRE_PROTO_WCCP    0x883e
#define PPP_IPV4          0x2100      /* PPP protocols as T2 holds them */
#define PPP_IPV6          0x5700

typedef struct {
    uint32_t at;        /* the GRE header */
    uint32_t len;       /* its length, optional fields included */
    uint16_t proto;     /* what it carries, as an ethertype */
    uint32_t payload;   /* at + len */
} gre_t;

static gre_t gre_read(const packet_t *p, uint32_t at)
{
    /* checksum, routing, key, sequence number, strict source route (the
     * five high bits of the first byte) and acknowledgment (the high bit
     * of the second, enhanced GRE) each add a 4-byte field */
    unsigned fields = packet_u8(p, at + 1) >> 7;
    for (unsigned bits = packet_u8(p, at) >> 3; bits; bits >>= 1) fields += bits & 1;
    const gre_t g = { at, 4 + 4 * fields, packet_u16(p, at + 2), at + 4 + 4 * fields };
    return g;
}

/* Enhanced GRE (version 1) with a payload length of 0: a PPTP keepalive. */
static int is_empty_v1(const packet_t *p, const gre_t *g)
{
    return (packet_u8(p, g->at + 1) & 0x07) == 1 && packet_u16(p, g->at + 4) == 0;
}

static void name_gre(packet_t *p)
{
    hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
}

/* --------------------------------------------------------------------- */
/* PPP inside GRE                                                         */

/* Names PPP; true when it holds compressed data, where the walk stops. */
static int ppp_compressed(packet_t *p, uint32_t at)
{
    hdrdesc_add(p, ":ppp");
    p->status |= FS_PPP;
    if (packet_u8(p, at) != 0xfd) return 0;
    hdrdesc_add(p, ":comp_data");
    p->status |= FS_PPP_NRHD | FS_STOP_DISSECT;
    return 1;
}

/* A PPP protocol the walk does not follow: named, unless the GRE packet
 * is empty, and the walk stops. */
static void ppp_other(packet_t *p, const gre_t *g, uint16_t proto)
{
    if (!is_empty_v1(p, g)) hdrdesc_add_pppproto(p, proto);
    p->status |= FS_STOP_DISSECT;
}

/* Behind IPv4, T2 knows three shapes of PPP header: address and control
 * (ff 03) then the protocol; the protocol alone in two bytes; and, with an
 * odd first byte, a one-byte protocol.  An IPv4 header is read 4 bytes on
 * in the first two shapes (T2QUIRK: in the second), and those 4 bytes count
 * into the GRE length. */
static step_t ppp_in_ipv4(dissect_t *d, ipv4_walk_t *w, const gre_t *g)
{
    packet_t *p = d->p;
    const uint32_t at = g->payload;
    if (ppp_compressed(p, at)) return STEP_CONTINUE;
    if (is_empty_v1(p, g)) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    const uint8_t first = packet_u8(p, at);
    const int framed = first == 0xff;
    if (!framed && (first & 1)) {             /* one-byte protocol */
        if (first == 0x21) ipv4_switch_to(d, w, at + 1);
        return STEP_CONTINUE;
    }
    const uint16_t proto = u16le(p, framed ? at + 2 : at);
    if (proto == PPP_IPV4) {
        ipv4_switch_to(d, w, at + 4);
        w->gre_len += 4;
    } else if (proto == PPP_IPV6 && framed) {
        return inner_ipv6(d, at + 4);
    } else {
        ppp_other(p, g, proto);
    }
    return STEP_CONTINUE;
}

/* --------------------------------------------------------------------- */
/* GRE right behind an IPv4 header                                        */

/* An Ethernet frame bridged over GRE, maybe behind an ERSPAN header.  When
 * it holds IP, the frame's link header becomes the packet's. */
static step_t bridged_in_ipv4(dissect_t *d, ipv4_walk_t *w, const gre_t *g)
{
    packet_t *p = d->p;
    uint32_t eth = g->payload;
    if (g->proto == GRE_PROTO_ERSPAN) {
        hdrdesc_add(p, ":erspan");
        p->status |= FS_ERSPAN;
        eth += 8;
        w->gre_len += 8;             /* T2 counts the ERSPAN header as GRE's */
    }
    hdrdesc_add(p, ":eth");
    uint32_t type_at = eth + 12;
    if (p->snapL2Len >= 4) type_at = dissect_vlans(d, type_at);
    uint32_t ip_at = type_at + 2;
    const uint16_t type_or_len = packet_u16(p, type_at);
    if (type_or_len <= 1500 || type_or_len == 0x8870) {
        hdrdesc_add(p, ":llc");
        p->hasLLC = 1;
        type_at += 8;                          /* the SNAP ethertype */
        ip_at = type_at;              /* T2QUIRK: T2 does not step over it */
    }
    const uint16_t type = packet_u16(p, type_at);
    if (type != ETH_P_IPV4 && type != ETH_P_IPV6) {
        hdrdesc_add_ethertype(p, type);
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    p->snapL2Len -= (uint16_t)(eth - p->l2);
    p->l2 = eth;
    if (type == ETH_P_IPV6) return inner_ipv6(d, ip_at);
    ipv4_switch_to(d, w, ip_at);
    return STEP_CONTINUE;
}

/* WCCP: a 4-byte redirect header, then the redirected IP packet. */
static step_t wccp_in_ipv4(dissect_t *d, const gre_t *g)
{
    packet_t *p = d->p;
    const uint32_t ip = g->payload + 4;
    hdrdesc_add(p, ":wccp");
    p->status |= FS_WCCP;
    if (ip_version_bits(p, ip) == 0x40) return inner_ipv4(d, ip);
    if (ip_version_bits(p, ip) == 0x60) return inner_ipv6(d, ip);
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

step_t gre_in_ipv4(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    name_gre(p);
    p->l4 = w->ip + p->l3HdrLen;
    const gre_t g = gre_read(p, p->l4);
    w->gre_len = g.len;
    switch (g.proto) {
        case ETH_P_IPV4:
            ipv4_switch_to(d, w, g.payload);
            return STEP_CONTINUE;
        case GRE_PROTO_PPP:    return ppp_in_ipv4(d, w, &g);
        case GRE_PROTO_TEB:
        case GRE_PROTO_ERSPAN: return bridged_in_ipv4(d, w, &g);
        case GRE_PROTO_WCCP:   return wccp_in_ipv4(d, &g);
        default:
            hdrdesc_add_ethertype(p, g.proto);
            w->priproto = 0;
            p->status |= FS_STOP_DISSECT;
            return STEP_CONTINUE;
    }
}

/* --------------------------------------------------------------------- */
/* GRE met again in the IPv4 transport step                               */

/* An IPv4 header behind it becomes the one the walk holds, without a call
 * of its own: the flow keeps the outer header's addresses, but T2 takes
 * the IP ID and the first-fragment test from this inner header. */
static void switch_keeping_addresses(dissect_t *d, ipv4_walk_t *w, uint32_t at)
{
    ipv4_switch_to(d, w, at);
    ipv4_fragment(d->p, at);        /* T2QUIRK: the addresses stay the outer ones */
}

/* Bridged Ethernet: T2 walks only IP in it, and gives up otherwise. */
static step_t bridged_in_transport(dissect_t *d, const gre_t *g)
{
    packet_t *p = d->p;
    const uint32_t eth = g->payload;
    const uint32_t type_at = dissect_vlans(d, eth + 12);
    /* T2QUIRK: behind VLAN tags T2 reads the IP header from the type field */
    const uint32_t ip_at = type_at == eth + 12 ? type_at + 2 : type_at;
    const uint16_t type = packet_u16(p, type_at);
    if (type != ETH_P_IPV4 && type != ETH_P_IPV6) {
        hdrdesc_add_ethertype(p, type);
        p->dispatch = DISPATCH_NONE;
        return STEP_DONE;
    }
    p->snapL2Len -= (uint16_t)(eth - p->l2);
    p->l2 = eth;
    return type == ETH_P_IPV4 ? inner_ipv4(d, ip_at) : inner_ipv6(d, ip_at);
}

step_t gre_in_transport(dissect_t *d, ipv4_walk_t *w)
{
    packet_t *p = d->p;
    if (w->priproto) hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
    const gre_t g = gre_read(p, p->l4);
    if (g.proto == ETH_P_IPV4) {
        switch_keeping_addresses(d, w, g.payload);
    } else if (g.proto == GRE_PROTO_PPP) {
        if (ppp_compressed(p, g.payload)) return STEP_CONTINUE;
        const uint16_t proto = u16le(p, g.payload + 2);
        if (proto == PPP_IPV4) switch_keeping_addresses(d, w, g.payload + 4);
        else if (proto == PPP_IPV6) return inner_ipv6(d, g.payload + 4);
        else ppp_other(p, &g, proto);
    } else if (g.proto == GRE_PROTO_TEB) {
        return bridged_in_transport(d, &g);
    } else {
        p->dispatch = DISPATCH_NONE;          /* T2 gives up on the packet */
        return STEP_DONE;
    }
    return STEP_CONTINUE;
}

/* --------------------------------------------------------------------- */
/* GRE in an IPv6 extension header chain                                  */

step_t gre_in_ipv6(dissect_t *d, uint32_t *ip6)
{
    packet_t *p = d->p;
    name_gre(p);
    const gre_t g = gre_read(p, p->l4);
    uint32_t inner;
    if (g.proto == ETH_P_IPV6) {
        inner = g.payload;
    } else if (g.proto == GRE_PROTO_PPP) {
        if (ppp_compressed(p, g.payload)) return STEP_DONE;
        const uint16_t proto = u16le(p, g.payload + 2);
        if (proto != PPP_IPV6) {
            ppp_other(p, &g, proto);
            return STEP_DONE;
        }
        inner = g.payload + 4;
    } else if (g.proto == GRE_PROTO_TEB) {
        inner = g.payload + 14;     /* T2 takes the frame to hold IPv6 */
    } else {
        hdrdesc_add_ethertype(p, g.proto);
        p->status |= FS_STOP_DISSECT;
        return STEP_DONE;
    }
    p->l3 = inner;
    *ip6 = inner;
    return STEP_CONTINUE;
}
