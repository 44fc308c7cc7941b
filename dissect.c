/*
 * dissect.c - the header walk (see dissect.h), and its middle: what
 * follows an ethertype, IP and the transport header.
 *
 * Shape of the walk, from the outside in:
 *
 *   link_layer()        dissect_link.c: Ethernet, Linux cooked, raw IP, PPP, ...
 *   ethernet_payload()  VLAN tags, 802.2 LLC/SNAP, then ethertype()
 *   ethertype()         IPv4, IPv6, ARP, MPLS, PPPoE, ERSPAN, ...
 *   dissect_ipv4()      the IP header, GRE and IP-in-IP inside it, and the
 *   dissect_ipv6()      transport header of the innermost IP packet, where
 *                       tunnel_by_port() (dissect_tunnel.c) looks for UDP tunnels
 *
 * Each step reads its header through packet_u8()/packet_u16(), which return
 * 0 for bytes that were not captured, so no step reads outside the record.
 * A step that finds an IP packet inside a tunnel calls dissect_ipv4() or
 * dissect_ipv6() again: flows are keyed on the innermost IP header, and the
 * outer headers only leave their names in hdrDesc and their bits in the
 * status.
 *
 * Where T2 0.9.3 does something surprising (reads a field in little-endian
 * order, skips a byte too many, keeps a stale value) t2mini does the same,
 * and a comment says so: the output has to match T2's.
 */
#include "dissect.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

/* The dissector's counters; set by dissect() for the duration of a call
 * (t2mini dissects one packet at a time). */
static dissect_stats_t *stats;

static uint32_t ethertype(packet_t *p, uint32_t at, uint16_t type);

/* --------------------------------------------------------------------- */
/* small helpers                                                          */

void dissect_warn_text(const char *text)
{
    if (stats->log) fprintf(stats->log, "[WRN] %s\n", text);
}

void dissect_warn(const char *fmt, unsigned value)
{
    if (stats->log) {
        fputs("[WRN] ", stats->log);
        fprintf(stats->log, fmt, value);
        fputc('\n', stats->log);
    }
}

void dissect_stop(packet_t *p, const char *reason)
{
    p->dispatch = DISPATCH_STOP;
    stats->stopReason = reason;
}

/* T2 reports the first IP packet cut by the snap length. */
static void warn_l3_snapped(const packet_t *p, const char *outer, unsigned ipLen)
{
    if (stats->l3SnapWarned) return;
    stats->l3SnapWarned = 1;
    if (stats->log) {
        fprintf(stats->log, "[WRN] %ssnapL2Length: %u - snapL3Length: %u - IP length in header: %u\n",
                outer, (unsigned)p->snapL2Len, (unsigned)p->snapL3Len, ipLen);
    }
}

static int is_vlan_tpid(uint16_t type)
{
    return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200;
}

static uint16_t ihl_of(const packet_t *p, uint32_t ip)
{
    return (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
}


/* --------------------------------------------------------------------- */
/* layer 2                                                                */

/* 802.1Q/802.1ad tags starting at the ethertype field `at`.  Returns the
 * position of the ethertype field behind the last tag. */
uint32_t dissect_vlans(packet_t *p, uint32_t at)
{
    if (!is_vlan_tpid(packet_u16(p, at))) return at;

    p->status |= FS_VLAN;
    p->vlanTags = at + 2;
    unsigned count = 0;
    while (is_vlan_tpid(packet_u16(p, at)) && (int64_t)at <= (int64_t)p->caplen - 4) {
        if ((packet_u16(p, at + 2) & 0x0fff) == 0) p->status |= FS_VLAN0;
        at += 4;
        count++;
    }
    p->vlanCount = (uint8_t)(p->vlanCount + count);
    if (p->vlanCount > stats->maxVlanCount) stats->maxVlanCount = p->vlanCount;
    hdrdesc_add_repeated(p, ":vlan", count);
    p->vlanId = packet_u16(p, at - 2) & 0x0fff;
    return at;
}

/* The packet is a pure layer-2 packet: its payload starts at `l7`. */
static void dispatch_l2(packet_t *p, uint32_t l7)
{
    p->status |= FS_L2_FLOW;
    p->l7 = l7;
    const uint32_t l2HdrLen = l7 - p->l2;
    p->l7Len = (uint16_t)(p->wirelen - l7);
    p->snapL3Len = p->snapL2Len - l2HdrLen;
    p->snapL4Len = (uint16_t)p->snapL3Len;
    p->snapL7Len = p->snapL4Len;
    p->dispatch = DISPATCH_L2;
}

static void set_pad(packet_t *p, int64_t pad)
{
    if (pad >= 0) p->padLen = pad;
}

/* MPLS label stack at `at` (the first label); the payload is IPv4, IPv6
 * or, per T2's heuristic, Ethernet (after an optional control word). */
static uint32_t mpls(packet_t *p, uint32_t at)
{
    unsigned count = 1;
    while (!(packet_u8(p, at + 2) & 0x01) && (int64_t)at <= (int64_t)p->caplen - 4) {
        at += 4;
        count++;
    }
    at += 4;
    p->mplsCount = (uint8_t)(p->mplsCount + count);
    if (p->mplsCount > stats->maxMplsCount) stats->maxMplsCount = p->mplsCount;
    hdrdesc_add_repeated(p, ":mpls", count);

    const uint8_t version = packet_u8(p, at) & 0xf0;
    if (version == 0x40) { inner_ipv4(p, at); return NO_LAYER; }
    if (version == 0x60) { inner_ipv6(p, at); return NO_LAYER; }
    if (version == 0) {                   /* pseudowire control word */
        hdrdesc_add(p, ":pwethcw");
        at += 4;
    }
    hdrdesc_add(p, ":eth");
    p->l2 = at;
    const uint32_t typeAt = dissect_vlans(p, at + 12);
    return ethertype(p, typeAt, packet_u16(p, typeAt));
}

/* PPPoE session: PPP inside; `at` is the PPPoE header. */
uint32_t dissect_pppoe_session(packet_t *p, uint32_t typeAt, uint32_t at)
{
    hdrdesc_add(p, ":pppoes");
    p->status |= FS_PPPOE_S;
    hdrdesc_add(p, ":ppp");
    const uint16_t proto = u16le(p, at + 6);
    if (proto == 0x2100) { inner_ipv4(p, at + 8); return NO_LAYER; }
    if (proto == 0x5700) { inner_ipv6(p, at + 8); return NO_LAYER; }
    hdrdesc_add_pppproto(p, proto);
    return typeAt;
}

/* Whether the IP header at `at` carries the version its ethertype promised.
 * When it does not, T2 labels the packet `ipvx` and keeps it as a layer-2
 * flow, so this is where that label is given. */
static bool ip_version_is(packet_t *p, uint32_t at, uint8_t version)
{
    if ((packet_u8(p, at) >> 4) == version) return true;
    stats->ipvxPackets++;
    hdrdesc_add(p, ":ipvx");
    p->status |= FS_IPVX;
    return false;
}

/* The protocol named by ethertype `type`, whose field is at `at` (the
 * payload starts at at + 2).  Returns NO_LAYER when an IP packet was found
 * (and dissected), otherwise the position of the ethertype field of what
 * becomes a layer-2 flow. */
static uint32_t ethertype(packet_t *p, uint32_t at, uint16_t type)
{
    p->ethType = type;

    switch (type) {
        case ETH_P_IPV4:
            p->l3 = at + 2;
            if (!ip_version_is(p, at + 2, 4)) return at;
            dissect_ipv4(p);
            return NO_LAYER;
        case ETH_P_IPV6:
            p->l3 = at + 2;
            if (!ip_version_is(p, at + 2, 6)) return at;
            dissect_ipv6(p);
            return NO_LAYER;
        case 0x80f3: hdrdesc_add(p, ":aarp"); p->status |= FS_ARP;  return at;
        case ETH_P_ARP: hdrdesc_add(p, ":arp"); p->status |= FS_ARP; return at;
        case ETH_P_RARP: hdrdesc_add(p, ":rarp"); p->status |= FS_RARP; return at;
        case 0x8847:
        case 0x8848:
            p->status |= (type == 0x8847) ? FS_MPLS_UCAST : FS_MPLS_MCAST;
            return mpls(p, at + 2);
        case 0x88be:                          /* ERSPAN type I without GRE */
            p->status |= FS_ERSPAN;
            hdrdesc_add(p, ":erspan");
            hdrdesc_add(p, ":eth");
            p->l2 = at + 10;
            return ethertype(p, at + 22, packet_u16(p, at + 22));
        case 0x8863:
            hdrdesc_add(p, ":pppoed");
            p->status |= FS_PPPOE_D;
            return at;
        case 0x8864:
            return dissect_pppoe_session(p, at, at + 2);
        case 0x88cc:
            hdrdesc_add(p, ":lldp");
            p->status |= FS_LLDP;
            return at;
        case 0x8809:
            hdrdesc_add(p, ":slow");
            switch (packet_u8(p, at + 3)) {      /* T2 looks at this byte */
                case 1:  hdrdesc_add(p, ":lacp");   break;
                case 2:  hdrdesc_add(p, ":marker"); break;
                case 3:  hdrdesc_add(p, ":oampdu"); break;
                case 10: hdrdesc_add(p, ":ossp");   break;
                default: break;
            }
            return at;
        default:
            hdrdesc_add_ethertype(p, type);
            return at;
    }
}

/* What follows an ethertype (or 802.3 length) field: `at` is the field,
 * the payload starts at at + 2. */
void dissect_type_field(packet_t *p, uint32_t at, uint16_t typeOrLen)
{
    uint16_t type = typeOrLen;
    if (typeOrLen > 1500 && typeOrLen != 0x8870) {
        p->outerEthType = typeOrLen;
    } else {                                  /* IEEE 802.3 with 802.2 LLC */
        hdrdesc_add(p, ":llc");
        p->hasLLC = 1;
        const uint32_t llc = at;              /* T2 counts from the length */
        if (packet_u8(p, llc + 2) == 0xaa && packet_u8(p, llc + 3) == 0xaa) {
            at += 8;                          /* SNAP: an ethertype follows */
            type = packet_u16(p, at);
            p->outerEthType = type;
        } else {
            /* I and S frames have a 2-byte control field */
            const uint32_t payload = llc + ((packet_u8(p, llc + 4) & 3) != 3 ? 6 : 5);
            const uint8_t dsap = packet_u8(p, llc + 2);
            if (dsap != 0x06) {
                hdrdesc_add_llcsap(p, dsap);
            } else {                          /* IP over LLC */
                switch (packet_u8(p, payload) & 0xf0) {
                    case 0x40: inner_ipv4(p, payload); return;
                    case 0x60: inner_ipv6(p, payload); return;
                    default:
                        hdrdesc_add(p, ":ipvx");
                        p->status |= FS_IPVX;
                        break;
                }
            }
            p->ethType = packet_u16(p, llc + 2);
            p->outerEthType = p->ethType;
            if (p->wirelen <= 64) {
                set_pad(p, (int64_t)p->wirelen - typeOrLen - (int64_t)(at + 2));
            }
            dispatch_l2(p, payload);
            return;
        }
    }

    const uint32_t typeAt = ethertype(p, at, type);
    if (typeAt == NO_LAYER) return;           /* an IP packet was dissected */

    if (p->wirelen <= 64) {
        int64_t pad;
        if (p->hasLLC) {
            pad = (int64_t)p->wirelen - typeOrLen - ((int64_t)typeAt - 6);
        } else if (p->ethType == ETH_P_ARP) {
            pad = (int64_t)p->wirelen - 28 - (int64_t)(typeAt + 2);
        } else {
            pad = (int64_t)p->wirelen - (int64_t)(typeAt + 2);
        }
        set_pad(p, pad);
    }
    dispatch_l2(p, typeAt + 2);
}

/* What follows the link header of an Ethernet-like frame; `at` is the
 * ethertype (or 802.3 length) field. */
static void ethernet_payload(packet_t *p, uint32_t at)
{
    at = dissect_vlans(p, at);
    dissect_type_field(p, at, packet_u16(p, at));
}

/* --------------------------------------------------------------------- */
/* GRE and Ethernet over IP inside IPv4                                   */

/* Length of the GRE header at `gre` and its protocol field. */
static uint32_t gre_header(const packet_t *p, uint32_t gre, uint16_t *proto)
{
    const uint8_t f0 = packet_u8(p, gre), f1 = packet_u8(p, gre + 1);
    uint32_t len = 4;
    if (f0 & 0x80) len += 4;                  /* checksum */
    if (f0 & 0x40) len += 4;                  /* routing */
    if (f0 & 0x20) len += 4;                  /* key */
    if (f0 & 0x10) len += 4;                  /* sequence */
    if (f0 & 0x08) len += 4;                  /* strict source route */
    if (f1 & 0x80) len += 4;                  /* acknowledgment (v1) */
    *proto = packet_u16(p, gre + 2);
    return len;
}

/* Enhanced GRE (version 1) without payload: a PPTP keepalive. */
static int gre_v1_empty(const packet_t *p, uint32_t gre)
{
    return (packet_u8(p, gre + 1) & 0x07) == 1 && packet_u16(p, gre + 4) == 0;
}

/* Make `at` the current IPv4 header without recursing (T2 goes on with
 * the inner header in the same pass). */
static void switch_to_ipv4(packet_t *p, uint32_t *ip, uint32_t at)
{
    hdrdesc_add(p, ":ipv4");
    p->l3 = at;
    *ip = at;
    p->l3HdrLen = (uint16_t)((packet_u8(p, at) & 0x0f) << 2);
}

/* GRE inside IPv4, before the transport switch.  `*ip` may move to an
 * inner IPv4 header; `*greLen` receives the GRE header length, which T2
 * takes as the transport header length should that inner header carry
 * GRE again (sic), with the 4 PPP bytes where it stepped over them. */
static step_t gre_in_ipv4(packet_t *p, uint32_t *ip, int *priproto, uint32_t *greLen)
{
    hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
    const uint32_t gre = *ip + p->l3HdrLen;
    p->l4 = gre;
    uint16_t proto;
    const uint32_t len = gre_header(p, gre, &proto);
    *greLen = len;
    uint32_t at = gre + len;

    switch (proto) {
        case ETH_P_IPV4:
            switch_to_ipv4(p, ip, at);
            return STEP_CONTINUE;
        case 0x880b: {                        /* PPP */
            hdrdesc_add(p, ":ppp");
            p->status |= FS_PPP;
            const uint8_t first = packet_u8(p, at);
            if (first == 0xfd) {
                hdrdesc_add(p, ":comp_data");
                p->status |= FS_PPP_NRHD | FS_STOP_DISSECT;
            } else if (gre_v1_empty(p, gre)) {
                p->status |= FS_STOP_DISSECT;
            } else if (first != 0xff) {       /* address and control omitted */
                if (first & 1) {
                    if (first == 0x21) switch_to_ipv4(p, ip, at + 1);
                } else if (u16le(p, at) == 0x2100) {
                    switch_to_ipv4(p, ip, at + 4);   /* sic: T2 skips 4 bytes */
                    *greLen += 4;
                } else {
                    hdrdesc_add_pppproto(p, u16le(p, at));
                    p->status |= FS_STOP_DISSECT;
                }
            } else if (u16le(p, at + 2) == 0x2100) {
                switch_to_ipv4(p, ip, at + 4);
                *greLen += 4;
            } else if (u16le(p, at + 2) == 0x5700) {
                return inner_ipv6(p, at + 4);
            } else {
                if (!gre_v1_empty(p, gre)) hdrdesc_add_pppproto(p, u16le(p, at + 2));
                p->status |= FS_STOP_DISSECT;
            }
            return STEP_CONTINUE;
        }
        case 0x6558:                          /* transparent Ethernet bridging */
        case 0x88be: {                        /* ERSPAN */
            if (proto == 0x88be) {
                hdrdesc_add(p, ":erspan");
                p->status |= FS_ERSPAN;
                at += 8;
                *greLen += 8;       /* T2 counts the ERSPAN header into GRE's */
            }
            const uint32_t eth = at;
            const uint16_t l2Skip = (uint16_t)(eth - p->l2);
            hdrdesc_add(p, ":eth");
            uint32_t type = eth + 12;
            if (p->snapL2Len >= 4) type = dissect_vlans(p, type);
            uint32_t payload = type + 2;
            const uint16_t typeOrLen = packet_u16(p, type);
            if (typeOrLen <= 1500 || typeOrLen == 0x8870) {
                hdrdesc_add(p, ":llc");
                p->hasLLC = 1;
                type += 8;
                payload = type;               /* sic: T2 does not skip the type */
            }
            const uint16_t inner = packet_u16(p, type);
            if (inner == ETH_P_IPV4) {
                hdrdesc_add(p, ":ipv4");
                p->l2 = eth;
                p->snapL2Len -= l2Skip;
                p->l3 = payload;
                *ip = payload;
                p->l3HdrLen = (uint16_t)((packet_u8(p, payload) & 0x0f) << 2);
            } else if (inner == ETH_P_IPV6) {
                p->l2 = eth;
                p->snapL2Len -= l2Skip;
                return inner_ipv6(p, payload);
            } else {
                hdrdesc_add_ethertype(p, inner);
                p->status |= FS_STOP_DISSECT;
            }
            return STEP_CONTINUE;
        }
        case 0x883e:                          /* WCCP redirect header */
            hdrdesc_add(p, ":wccp");
            p->status |= FS_WCCP;
            at += 4;
            switch (packet_u8(p, at) & 0xf0) {
                case 0x40: return inner_ipv4(p, at);
                case 0x60: return inner_ipv6(p, at);
                default: p->status |= FS_STOP_DISSECT; return STEP_CONTINUE;
            }
        default:
            hdrdesc_add_ethertype(p, proto);
            *priproto = 0;
            p->status |= FS_STOP_DISSECT;
            return STEP_CONTINUE;
    }
}

/* EtherIP (protocol 97) inside IPv4. */
static step_t etherip_in_ipv4(packet_t *p, uint32_t *ip, uint32_t at)
{
    hdrdesc_add(p, ":etherip");
    hdrdesc_add(p, ":eth");
    p->status |= FS_ETHIP;
    p->snapL2Len -= (uint16_t)(at - p->l2 + 2);
    p->l2 = at + 2;
    const uint32_t type = dissect_vlans(p, at + 14);
    const uint32_t payload = type + 2;
    switch (packet_u16(p, type)) {
        case ETH_P_IPV4:
            switch_to_ipv4(p, ip, payload);
            return STEP_CONTINUE;
        case ETH_P_IPV6:
            return inner_ipv6(p, payload);
        default:
            hdrdesc_add_ethertype(p, packet_u16(p, type));
            p->status |= FS_STOP_DISSECT;
            return STEP_CONTINUE;
    }
}

/* --------------------------------------------------------------------- */
/* IPv4                                                                   */

/* T2's DTLS detection on UDP payloads. */
static void dtls(packet_t *p, uint32_t at)
{
    for (;;) {
        const uint8_t ctype = packet_u8(p, at);
        if (ctype <= 0x13 || ctype >= 0x40) return;
        const uint16_t version = packet_u16(p, at + 1);
        if (version == 0xfefd) hdrdesc_add(p, ":dtls1.2");
        else if (version == 0xfeff || version == 0x0100) hdrdesc_add(p, ":dtls1.0");
        else return;
        p->status |= FS_DTLS;
        stats->dtlsPackets++;
        const int64_t len = 13 + (int64_t)packet_u16(p, at + 11);
        if ((int64_t)p->caplen - (int64_t)at <= len) return;
        at += (uint32_t)len;
    }
}

static int is_ssdp(uint16_t sport, uint16_t dport)
{
    return (dport == 1900 && sport > 1024) || (sport == 1900 && dport > 1024);
}

/* UDP (and UDP-Lite) ports and what T2 recognises on them. */
static void udp_ports(packet_t *p)
{
    const uint16_t sport = packet_u16(p, p->l4), dport = packet_u16(p, p->l4 + 2);
    p->srcPort = sport;
    p->dstPort = dport;
    dtls(p, p->l4 + 8);
    if (is_ssdp(sport, dport)) {
        hdrdesc_add(p, ":ssdp");
        p->status |= FS_UPNP;
    } else if (sport == 4500 || dport == 4500) {   /* UDP-encapsulated IPsec */
        const uint32_t payload = p->l4 + 8;
        hdrdesc_add(p, ":udpencap");
        if (packet_u8(p, payload) == 0xff && packet_u16(p, p->l4 + 4) == 9) {
            /* NAT keepalive */
        } else if (packet_u32(p, payload) != 0) {
            hdrdesc_add(p, ":esp");
            p->status |= FS_IPSEC_ESP;
        } else {
            hdrdesc_add(p, ":isakmp");
        }
    }
}

static void tcp_ports(packet_t *p)
{
    const uint16_t sport = packet_u16(p, p->l4), dport = packet_u16(p, p->l4 + 2);
    p->srcPort = sport;
    p->dstPort = dport;
    if (is_ssdp(sport, dport)) {
        hdrdesc_add(p, ":ssdp");
        p->status |= FS_UPNP;
    }
}

/* Transport header length T2 assumes for the protocol (l4HdrOff). */
static uint16_t ipv4_transport_len(const packet_t *p, uint32_t ip, uint32_t greLen)
{
    switch (packet_u8(p, ip + 9)) {
        case IPPROTO_T_IPIP: return (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
        case IPPROTO_T_ICMP: return 8;
        case IPPROTO_T_TCP:
            if ((p->status & FS_L3_SNAPPED) && (uint32_t)(p->caplen - p->l4) < 20) return 20;
            return (uint16_t)((packet_u8(p, p->l4 + 12) >> 4) << 2);
        case IPPROTO_T_GRE: return (uint16_t)greLen;
        case IPPROTO_T_OSPF: return packet_u8(p, p->l4) == 2 ? 24 : 16;
        case IPPROTO_T_SCTP: return 12;
        default: return 8;
    }
}

/* The IP ID (for the duplicate check and the fragment series) and the
 * "first fragment" test of the IPv4 header at `ip`; a later fragment is
 * decided by the caller. */
static void ipv4_fragment(packet_t *p, uint32_t ip)
{
    p->ipId = packet_u16(p, ip + 4);
    p->fragId = p->ipId;
    p->fragState = (packet_u16(p, ip + 6) & 0x3fff) == 0x2000 ? FRAG_FIRST : FRAG_NONE;
}

/* GRE met again in the transport switch (GRE inside GRE).  An IPv4 header
 * behind it becomes the current one without a call of its own: the flow
 * keeps the outer header's addresses, but T2 takes the IP ID and the
 * first-fragment test from this inner header, the one it holds last. */
static step_t gre_in_transport(packet_t *p, uint32_t *ip, int priproto)
{
    if (priproto) hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
    const uint32_t gre = p->l4;
    uint16_t proto;
    const uint32_t at = gre + gre_header(p, gre, &proto);
    if (proto == ETH_P_IPV4) {
        switch_to_ipv4(p, ip, at);
        ipv4_fragment(p, at);       /* sic: the flow keeps the outer addresses */
        return STEP_CONTINUE;
    }
    if (proto == 0x880b) {
        hdrdesc_add(p, ":ppp");
        p->status |= FS_PPP;
        if (packet_u8(p, at) == 0xfd) {
            hdrdesc_add(p, ":comp_data");
            p->status |= FS_PPP_NRHD | FS_STOP_DISSECT;
        } else if (u16le(p, at + 2) == 0x2100) {
            switch_to_ipv4(p, ip, at + 4);
            ipv4_fragment(p, at + 4);
        } else if (u16le(p, at + 2) == 0x5700) {
            return inner_ipv6(p, at + 4);
        } else {
            if (!gre_v1_empty(p, gre)) hdrdesc_add_pppproto(p, u16le(p, at + 2));
            p->status |= FS_STOP_DISSECT;
        }
        return STEP_CONTINUE;
    }
    if (proto == 0x6558) {
        const uint32_t eth = at;
        const uint16_t l2Skip = (uint16_t)(eth - p->l2);
        uint32_t type = dissect_vlans(p, eth + 12);
        const uint32_t payload = type == eth + 12 ? type + 2 : type;   /* sic */
        const uint16_t inner = packet_u16(p, type);
        if (inner == ETH_P_IPV4 || inner == ETH_P_IPV6) {
            p->l2 = eth;
            p->snapL2Len -= l2Skip;
            return inner == ETH_P_IPV4 ? inner_ipv4(p, payload) : inner_ipv6(p, payload);
        }
        hdrdesc_add_ethertype(p, inner);
    }
    p->dispatch = DISPATCH_NONE;              /* T2 gives up on the packet */
    return STEP_DONE;
}

/* What may come between an outer IPv4 header at *ip and the packet the
 * flow is keyed on: tunnels found by port (dissect_tunnel.c), GRE, EtherIP, and
 * IPv4 or IPv6 in IPv4.  *ip moves to the inner IPv4 header; a step that
 * names the transport clears *priproto, GRE sets *greLen.  STEP_DONE when
 * the packet was dissected to its end (an inner IPv6 packet, or a tunnel
 * T2 gives up on). */
static step_t ipv4_encapsulations(packet_t *p, uint32_t *ip, int *priproto, uint32_t *greLen)
{
    /* peek at the ports: some tunnels are recognised by them */
    const uint8_t proto = packet_u8(p, *ip + 9);
    uint16_t sport = 0, dport = 0;
    uint32_t hdrLen = 0;
    if (!(packet_u16(p, *ip + 6) & 0x1fff)) {
        if (proto == IPPROTO_T_TCP || proto == IPPROTO_T_UDP ||
            proto == IPPROTO_T_UDPLITE || proto == IPPROTO_T_SCTP) {
            sport = packet_u16(p, p->l4);
            dport = packet_u16(p, p->l4 + 2);
            hdrLen = proto == IPPROTO_T_TCP ? (uint32_t)(packet_u8(p, p->l4 + 12) >> 4) << 2
                   : proto == IPPROTO_T_SCTP ? 12 : 8;
        }
    }
    p->srcPort = sport;
    p->dstPort = dport;
    if (sport && dport && tunnel_by_port(p, proto, hdrLen, priproto) == STEP_DONE) return STEP_DONE;

    if (proto == IPPROTO_T_GRE && !(p->status & FS_STOP_DISSECT)) {
        if (gre_in_ipv4(p, ip, priproto, greLen) == STEP_DONE) return STEP_DONE;
    }

    const uint32_t afterHdr = p->l3 + p->l3HdrLen;
    if (packet_u8(p, *ip + 9) == IPPROTO_T_ETHIP && (packet_u8(p, afterHdr) & 0xf0) >= 0x30 &&
        !(p->status & FS_STOP_DISSECT)) {
        if (etherip_in_ipv4(p, ip, afterHdr) == STEP_DONE) return STEP_DONE;
    }

    if (!(p->status & FS_STOP_DISSECT)) {     /* IP in IP */
        const uint32_t inner = p->l3 + p->l3HdrLen;
        if (packet_u8(p, *ip + 9) == IPPROTO_T_IPIP) {
            p->status |= FS_IPIP;
            hdrdesc_add(p, ":ipv4");
            if (inner > p->caplen) {
                p->status |= FS_STOP_DISSECT;
            } else {
                p->l3 = inner;
                *ip = inner;
                p->l3HdrLen = (uint16_t)((packet_u8(p, inner) & 0x0f) << 2);
            }
        } else if (packet_u8(p, *ip + 9) == IPPROTO_T_IPV6) {
            p->status |= FS_IPIP;
            if (inner > p->caplen) {
                p->status |= FS_IPV6_PKT | FS_STOP_DISSECT;
            } else {
                return inner_ipv6(p, inner);
            }
        }
    }

    return STEP_CONTINUE;
}

/* The lengths of the innermost IPv4 packet at `ip`: what its header says,
 * clipped to the wire and to the capture (l3Len, which is returned), the
 * transport header's, the payload's, and how much of each was captured;
 * with the status bits T2 raises on the way.  `greLen` is the GRE header
 * length when GRE carried the packet. */
static uint16_t ipv4_lengths(packet_t *p, uint32_t ip, uint32_t greLen)
{
    const uint16_t l2HdrLen = (uint16_t)(p->l3 - p->l2);
    p->snapL3Len = p->snapL2Len - l2HdrLen;
    const uint16_t wireL3Len = (uint16_t)(p->wirelen - p->l3);
    const uint16_t ipLen = packet_u16(p, ip + 2);
    const uint16_t l3Len = (!ipLen || ipLen > wireL3Len) ? wireL3Len : ipLen;
    if (!ipLen && wireL3Len) p->status |= FS_IP_PL_MISMATCH;
    p->l3Len = l3Len;
    stats->bytesOnWire += (uint16_t)(l3Len + l2HdrLen);
    if (p->snapL3Len < l3Len) {
        p->status |= FS_L3_SNAPPED;
        warn_l3_snapped(p, "", l3Len);
    } else if (p->snapL3Len > l3Len) {        /* Ethernet padding */
        p->snapL2Len = (uint16_t)(l3Len + l2HdrLen);
        p->snapL3Len = l3Len;
    }
    if (l3Len < 20) p->status |= FS_L3_HDR_SHORT;

    const uint8_t l4Proto = packet_u8(p, ip + 9);
    p->l4Proto = l4Proto;
    p->l4 = ip + p->l3HdrLen;
    const uint16_t fragOff = packet_u16(p, ip + 6);
    uint16_t l4HdrLen = 0;
    if (!(fragOff & 0x1fff)) {
        l4HdrLen = ipv4_transport_len(p, ip, greLen);
        if ((p->status & FS_L3_SNAPPED) && (uint32_t)(p->caplen - p->l4) < l4HdrLen) {
            p->status |= FS_L4_HDR_SHORT;
        }
    }
    p->l4HdrLen = l4HdrLen;
    if ((int32_t)l3Len - (int32_t)ihl_of(p, ip) - (int32_t)l4HdrLen < 0) p->status |= FS_L4_HDR_SHORT;

    p->l7Len = (uint16_t)(l3Len - p->l3HdrLen - l4HdrLen);
    p->l7 = p->l4 + l4HdrLen;
    if (p->snapL3Len >= l3Len) {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)(l3Len - p->l3HdrLen);
        p->snapL7Len = l4HdrLen < p->snapL4Len ? (uint16_t)(p->snapL4Len - l4HdrLen) : 0;
    } else {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)(p->snapL3Len - p->l3HdrLen);
        const uint16_t l3ToL7 = (uint16_t)(p->l7 - p->l3);
        p->snapL7Len = p->snapL3Len < l3ToL7 ? 0 : (uint16_t)(p->snapL3Len - l3ToL7);
    }
    return l3Len;
}

/* The transport header of a first (or only) IPv4 fragment: its name in
 * hdrDesc, its ports, and the tunnels that start there (IP in IP, GRE,
 * PIM register).  `priproto` is 0 when a tunnel step has already named
 * the transport.  STEP_DONE when an inner packet was dissected instead. */
static step_t ipv4_transport(packet_t *p, uint32_t *ip, uint16_t l3Len, int priproto)
{
    const uint8_t l4Proto = p->l4Proto;
    switch (l4Proto) {
        case IPPROTO_T_IPIP:
            p->status |= FS_IPIP;
            if (p->l3 + p->l3HdrLen > p->caplen || p->l3HdrLen == 0) {
                p->status |= FS_STOP_DISSECT;
                break;
            }
            return inner_ipv4(p, p->l3 + p->l3HdrLen);
        case IPPROTO_T_IPV6:
            if (p->l3 + 40 > p->caplen) {  /* sic: T2 measures from l3 */
                hdrdesc_add(p, ":ipv6");
                p->status |= FS_STOP_DISSECT;
                break;
            }
            return inner_ipv6(p, p->l3);
        case IPPROTO_T_TCP:
            if (priproto) hdrdesc_add(p, ":tcp");
            if (l3Len < 40) p->status |= FS_L4_HDR_SHORT;
            else tcp_ports(p);
            break;
        case IPPROTO_T_UDPLITE:
        case IPPROTO_T_UDP:
            if (priproto) hdrdesc_add(p, l4Proto == IPPROTO_T_UDP ? ":udp" : ":udplite");
            if (l3Len < 28) p->status |= FS_L4_HDR_SHORT;
            else udp_ports(p);
            break;
        case IPPROTO_T_GRE:
            if (gre_in_transport(p, ip, priproto) == STEP_DONE) return STEP_DONE;
            break;
        case IPPROTO_T_ESP:
            hdrdesc_add(p, ":esp");
            p->status |= FS_IPSEC_ESP;
            break;
        case IPPROTO_T_AH:
            hdrdesc_add(p, ":ah");
            p->status |= FS_IPSEC_AH;
            hdrdesc_add_ipproto(p, packet_u8(p, p->l4));
            break;
        case IPPROTO_T_L2TP:
            hdrdesc_add(p, ":l2tp");
            p->status |= FS_L2TP;
            break;
        case IPPROTO_T_SCTP:
            if (priproto) hdrdesc_add(p, ":sctp");
            p->status |= FS_SCTP;
            if (l3Len < 36) {
                p->status |= FS_L4_HDR_SHORT;
            } else {
                p->srcPort = packet_u16(p, p->l4);
                p->dstPort = packet_u16(p, p->l4 + 2);
            }
            break;
        case IPPROTO_T_IGMP:
            hdrdesc_add(p, ":igmp");
            switch (packet_u8(p, p->l4)) {
                case 0x13: hdrdesc_add(p, ":dvmrp"); break;
                case 0x14: hdrdesc_add(p, ":pim");   break;
                case 0xfc: case 0xfd: case 0xfe: case 0xff:
                    if (packet_u32(p, *ip + 16) == 0xe0000019) hdrdesc_add(p, ":rgmp");
                    break;
                default: break;
            }
            break;
        case IPPROTO_T_PIM:
            hdrdesc_add(p, ":pim");
            if ((packet_u8(p, p->l4) & 0x0f) == 1) {     /* register */
                const uint32_t inner = p->l4 + 8;
                switch (packet_u8(p, inner) & 0xf0) {
                    case 0x40: return inner_ipv4(p, inner);
                    case 0x60: return inner_ipv6(p, inner);
                    default: break;
                }
            }
            break;
        default:
            hdrdesc_add_ipproto(p, l4Proto);
            break;
    }
    return STEP_CONTINUE;
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

/* The IPv4 header at p->l3, in four steps: the encapsulations down to the
 * innermost IPv4 header, its lengths, the flow key (addresses, and the
 * fragment state), and the transport header of a first fragment. */
void dissect_ipv4(packet_t *p)
{
    uint32_t ip = p->l3;
    p->ethType = ETH_P_IPV4;
    p->status |= FS_IPV4_PKT;
    hdrdesc_add(p, ":ipv4");
    forget_fragment(p);

    const uint16_t ihl = (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
    if (ihl < 20) {
        p->status |= FS_IPV4_HL_SHORT;
        return;                               /* no flow for this packet */
    }
    p->l3HdrLen = ihl;
    p->l4 = ip + ihl;
    int priproto = 1;                         /* transport not named yet */
    if (packet_u16(p, ip + 6) & 0x1fff) p->status |= FS_STOP_DISSECT;   /* later fragment */

    uint32_t greLen = 0;
    if (ipv4_encapsulations(p, &ip, &priproto, &greLen) == STEP_DONE) return;

    if ((packet_u8(p, ip) & 0xf0) != 0x40) {
        p->status |= FS_IPVX;
        hdrdesc_add(p, ":ipvx");
        return;                               /* no flow */
    }

    const uint16_t l3Len = ipv4_lengths(p, ip, greLen);
    const uint8_t l4Proto = p->l4Proto;
    const uint16_t fragOff = packet_u16(p, ip + 6);

    /* the flow key: addresses of this (innermost) header */
    p->ipver = 4;
    for (int i = 0; i < 4; i++) {
        p->srcIP[i] = packet_u8(p, ip + 12 + (uint32_t)i);
        p->dstIP[i] = packet_u8(p, ip + 16 + (uint32_t)i);
    }
    memset(p->srcIP + 4, 0, 12);
    memset(p->dstIP + 4, 0, 12);
    ipv4_fragment(p, ip);
    if (!(p->status & FS_STOP_DISSECT)) {
        p->srcPort = 0;
        p->dstPort = 0;
    }

    if (fragOff & 0x1fff) {                   /* second or later fragment */
        p->fragState = FRAG_LATER;
        p->moreFrags = (fragOff & 0x2000) != 0;
        if (priproto) hdrdesc_add_ipproto(p, l4Proto);
        p->status |= FS_IPV4_FLOW;
        p->dispatch = DISPATCH_IP;
        return;
    }

    if (!(p->status & FS_STOP_DISSECT) && ipv4_transport(p, &ip, l3Len, priproto) == STEP_DONE) return;

    p->status |= FS_IPV4_FLOW;
    p->dispatch = DISPATCH_IP;
}

/* --------------------------------------------------------------------- */
/* IPv6                                                                   */

#define IPV6_MAX_HEADERS 5                    /* T2's MAXHDRCNT */

/* GRE inside IPv6.  T2 moves to an inner IPv6 header but keeps walking
 * with the GRE protocol number as next header; t2mini does the same. */
static step_t gre_in_ipv6(packet_t *p, uint32_t *ip6, uint32_t *hdrLen)
{
    hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
    const uint32_t gre = p->l4;
    uint16_t proto;
    const uint32_t at = gre + gre_header(p, gre, &proto);
    if (proto == ETH_P_IPV6) {
        p->l3 = at;
        *ip6 = at;
        *hdrLen = 40;
        return STEP_CONTINUE;
    }
    if (proto == 0x880b) {
        hdrdesc_add(p, ":ppp");
        p->status |= FS_PPP;
        if (packet_u8(p, at) == 0xfd) {
            hdrdesc_add(p, ":comp_data");
            p->status |= FS_PPP_NRHD | FS_STOP_DISSECT;
            return STEP_DONE;
        }
        if (u16le(p, at + 2) == 0x5700) {
            p->l3 = at + 4;
            *ip6 = at + 4;
            *hdrLen = 40;
            return STEP_CONTINUE;
        }
        if (!gre_v1_empty(p, gre)) hdrdesc_add_pppproto(p, u16le(p, at + 2));
        p->status |= FS_STOP_DISSECT;
        return STEP_DONE;
    }
    if (proto == 0x6558) {
        p->l3 = at + 14;
        *ip6 = at + 14;
        *hdrLen = 40;
        return STEP_CONTINUE;
    }
    hdrdesc_add_ethertype(p, proto);
    p->status |= FS_STOP_DISSECT;
    return STEP_DONE;
}

/* Walk the IPv6 header chain; T2 looks at most at IPV6_MAX_HEADERS headers
 * and stops where fewer than 8 bytes are left.  Returns STEP_DONE when an
 * inner packet was dissected by a recursive call. */
static step_t ipv6_chain(packet_t *p, uint32_t *ip6, uint32_t *hdrLen, uint8_t *next,
                         uint16_t *l4HdrLen, uint32_t *fragHdr)
{
    for (int j = 0; j < IPV6_MAX_HEADERS; j++) {
        p->srcPort = 0;
        p->dstPort = 0;
        p->l4 = *ip6 + *hdrLen;
        const uint32_t l4 = p->l4;
        const uint32_t left = (uint32_t)(p->caplen - l4);
        *l4HdrLen = 0;
        if (left < 8) return STEP_CONTINUE;
        switch (*next) {
            case IPPROTO_T_IPIP:
                if (l4 > p->caplen) {
                    hdrdesc_add(p, ":ipv4");
                    p->status |= FS_IPV4_PKT | FS_STOP_DISSECT;
                    return STEP_CONTINUE;
                }
                return inner_ipv4(p, l4);
            case IPPROTO_T_HOPOPTS:
            case IPPROTO_T_DSTOPTS:
                hdrdesc_add(p, *next == IPPROTO_T_HOPOPTS ? ":ipv6.hopopts" : ":ipv6.dstopts");
                *next = packet_u8(p, l4);
                *hdrLen += ((uint32_t)packet_u8(p, l4 + 1) + 1) << 3;
                continue;
            case IPPROTO_T_ICMPV6:
                hdrdesc_add(p, ":icmpv6");
                *l4HdrLen = 8;
                if ((p->status & FS_L3_SNAPPED) && left < 8) p->status |= FS_L4_HDR_SHORT;
                return STEP_CONTINUE;
            case IPPROTO_T_TCP:
                hdrdesc_add(p, ":tcp");
                if ((p->status & FS_L3_SNAPPED) && left < 20) {
                    p->status |= FS_L4_HDR_SHORT;
                    *l4HdrLen = 20;
                } else {
                    *l4HdrLen = (uint16_t)((packet_u8(p, l4 + 12) >> 4) << 2);
                }
                if (left < 20) p->status |= FS_L4_HDR_SHORT;
                else tcp_ports(p);
                return STEP_CONTINUE;
            case IPPROTO_T_UDPLITE:
            case IPPROTO_T_UDP: {
                hdrdesc_add(p, *next == IPPROTO_T_UDP ? ":udp" : ":udplite");
                *l4HdrLen = 8;
                const uint16_t sport = packet_u16(p, l4), dport = packet_u16(p, l4 + 2);
                p->srcPort = sport;
                p->dstPort = dport;
                dtls(p, l4 + 8);
                if ((sport == 1701 || dport == 1701) && tunnel_l2tp(p, l4 + 8) == STEP_DONE) return STEP_DONE;
                if (is_ssdp(sport, dport)) {
                    hdrdesc_add(p, ":ssdp");
                    p->status |= FS_UPNP;
                }
                return STEP_CONTINUE;
            }
            case IPPROTO_T_IPV6:
                hdrdesc_add(p, ":ipv6");
                p->status |= FS_IPIP;
                if (left < 40) {
                    p->status |= FS_STOP_DISSECT;
                    return STEP_CONTINUE;
                }
                p->l3 = l4;
                *ip6 = l4;
                *next = packet_u8(p, l4 + 6);
                *hdrLen = 40;
                continue;
            case IPPROTO_T_ROUTING:
                hdrdesc_add(p, ":ipv6.routing");
                *next = packet_u8(p, l4);
                *hdrLen += ((uint32_t)packet_u8(p, l4 + 1) + 1) << 3;
                continue;
            case IPPROTO_T_FRAG:
                hdrdesc_add(p, ":ipv6.fraghdr");
                stats->fragV6Headers++;
                *next = packet_u8(p, l4);
                *fragHdr = l4;
                *hdrLen += 8;
                if (packet_u16(p, l4 + 2) & 0xfff8) {   /* later fragment */
                    p->l4 = l4 + 8;
                    return STEP_CONTINUE;
                }
                continue;
            case IPPROTO_T_GRE:
                if (gre_in_ipv6(p, ip6, hdrLen) == STEP_DONE) return STEP_CONTINUE;
                continue;
            case IPPROTO_T_AH:
                hdrdesc_add(p, ":ah");
                p->status |= FS_IPSEC_AH;
                *next = packet_u8(p, l4);
                *hdrLen += ((uint32_t)packet_u8(p, l4 + 1) + 2) << 2;
                continue;
            case IPPROTO_T_ETHIP: {
                const uint32_t at = p->l3 + *hdrLen;
                if ((packet_u8(p, at) & 0xf0) < 0x30) {
                    p->dispatch = DISPATCH_NONE;   /* T2 drops the packet */
                    return STEP_DONE;
                }
                hdrdesc_add(p, ":etherip");
                hdrdesc_add(p, ":eth");
                p->status |= FS_ETHIP;
                p->snapL2Len -= (uint16_t)(at - p->l2 + 2);
                p->l2 = at + 2;
                const uint32_t type = dissect_vlans(p, at + 14);
                const uint32_t payload = type + 2;
                const uint16_t inner = packet_u16(p, type);
                if (inner == ETH_P_IPV6) {
                    p->l3 = payload;
                    hdrdesc_add(p, ":ipv6");
                    *ip6 = payload;
                    *hdrLen = 40;
                    continue;
                }
                if (inner == ETH_P_IPV4) return inner_ipv4(p, payload);
                hdrdesc_add_ethertype(p, inner);
                *l4HdrLen = 0;
                p->status |= FS_STOP_DISSECT;
                return STEP_CONTINUE;
            }
            case IPPROTO_T_OSPF:
                hdrdesc_add(p, ":ospf");
                *l4HdrLen = packet_u8(p, l4) == 2 ? 24 : 16;
                return STEP_CONTINUE;
            case IPPROTO_T_L2TP:
                hdrdesc_add(p, ":l2tp");
                p->status |= FS_L2TP;
                return STEP_CONTINUE;
            case IPPROTO_T_SCTP:
                hdrdesc_add(p, ":sctp");
                p->status |= FS_SCTP;
                *l4HdrLen = 12;
                if ((p->status & FS_L3_SNAPPED) && left < 12) p->status |= FS_L4_HDR_SHORT;
                if (left < 16) {
                    p->status |= FS_L4_HDR_SHORT;
                } else {
                    p->srcPort = packet_u16(p, l4);
                    p->dstPort = packet_u16(p, l4 + 2);
                }
                return STEP_CONTINUE;
            case IPPROTO_T_PIM:
                hdrdesc_add(p, ":pim");
                if ((packet_u8(p, l4) & 0x0f) == 1) {   /* register */
                    const uint32_t inner = l4 + 8;
                    if ((packet_u8(p, inner) & 0xf0) == 0x40) return inner_ipv4(p, inner);
                    if ((packet_u8(p, inner) & 0xf0) == 0x60) {
                        p->l3 = inner;
                        *ip6 = inner;
                        *next = packet_u8(p, inner + 6);
                        *hdrLen = 40;
                        continue;
                    }
                }
                return STEP_CONTINUE;
            case IPPROTO_T_NONE:
                return STEP_CONTINUE;
            default:
                hdrdesc_add_ipproto(p, *next);
                return STEP_CONTINUE;
        }
    }
    return STEP_CONTINUE;
}

void dissect_ipv6(packet_t *p)
{
    uint32_t ip6 = p->l3;
    uint32_t hdrLen = 40;
    p->ethType = ETH_P_IPV6;
    p->status |= FS_IPV6_PKT;
    hdrdesc_add(p, ":ipv6");
    forget_fragment(p);

    uint32_t fragHdr = NO_LAYER;
    if (packet_u8(p, ip6 + 6) == IPPROTO_T_FRAG) fragHdr = ip6 + 40;

    /* outer lengths: decide whether the capture holds the whole packet */
    const uint16_t l2HdrLen = (uint16_t)(p->l3 - p->l2);
    p->snapL3Len = p->snapL2Len - l2HdrLen;
    const uint16_t wireL3Len = (uint16_t)(p->wirelen - p->l3);
    const uint16_t payloadLen = packet_u16(p, ip6 + 4);
    const uint16_t outerL3Len = (!payloadLen || payloadLen + 40 > wireL3Len)
                              ? wireL3Len : (uint16_t)(payloadLen + 40);
    if (!payloadLen && wireL3Len) p->status |= FS_IP_PL_MISMATCH;
    stats->bytesOnWire += (uint16_t)p->wirelen;
    if (p->snapL3Len < outerL3Len) {
        p->status |= FS_L3_SNAPPED;
        warn_l3_snapped(p, "Outer -- ", outerL3Len);
    } else if (p->snapL3Len > outerL3Len) {
        p->snapL2Len = (uint16_t)p->wirelen;
        p->snapL3Len = outerL3Len;
    }

    uint8_t next = packet_u8(p, ip6 + 6);
    p->l4Proto = next;
    uint16_t l4HdrLen = 0;
    if (ipv6_chain(p, &ip6, &hdrLen, &next, &l4HdrLen, &fragHdr) == STEP_DONE) return;

    p->l4Proto = next;
    p->l3HdrLen = (uint16_t)hdrLen;
    /* T2 measures the IPv6 snapped length to the end of the capture */
    p->snapL3Len = (uint32_t)(p->caplen - p->l3);
    const uint16_t wireLen = (uint16_t)(p->wirelen - p->l3);
    const uint16_t plen = packet_u16(p, ip6 + 4);
    const uint16_t l3Len = (!plen || plen + 40 > wireLen) ? wireLen : (uint16_t)(plen + 40);
    p->l3Len = l3Len;
    if (!plen && wireLen) p->status |= FS_IP_PL_MISMATCH;

    const int32_t l4ToEnd = (int32_t)(p->caplen - p->l4);
    const int later = fragHdr != NO_LAYER && (packet_u16(p, fragHdr + 2) & 0xfff8);
    if (later) l4HdrLen = 0;
    p->l4HdrLen = l4HdrLen;
    p->l7Len = (uint16_t)(l3Len - hdrLen - l4HdrLen);
    p->l7 = p->l4 + l4HdrLen;
    if (p->snapL3Len >= l3Len) {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)l4ToEnd;
        p->snapL7Len = l4HdrLen < p->snapL4Len ? (uint16_t)(p->snapL4Len - l4HdrLen) : 0;
    } else {
        p->snapL4Len = p->snapL3Len < p->l3HdrLen ? 0 : (uint16_t)l4ToEnd;
        const uint16_t l3ToL7 = (uint16_t)(p->l7 - p->l3);
        p->snapL7Len = p->snapL3Len < l3ToL7 ? 0 : (uint16_t)(p->caplen - p->l7);
    }

    p->ipver = 6;
    for (uint32_t i = 0; i < 16; i++) {
        p->srcIP[i] = packet_u8(p, ip6 + 8 + i);
        p->dstIP[i] = packet_u8(p, ip6 + 24 + i);
    }
    p->ipId = 0;
    if (fragHdr != NO_LAYER) {
        const uint16_t off = packet_u16(p, fragHdr + 2);
        p->fragId = packet_u32(p, fragHdr + 4);
        p->moreFrags = off & 1;
        if (off & 0xfff8) p->fragState = FRAG_LATER;
        else if ((off & 0xfff9) == 0x0001) p->fragState = FRAG_FIRST;
    }
    p->status |= FS_IPV6_FLOW;
    p->dispatch = DISPATCH_IP;
}

/* --------------------------------------------------------------------- */
/* entry                                                                  */

void dissect(packet_t *p, int linktype, dissect_stats_t *st)
{
    stats = st;
    p->snapL2Len = p->caplen;
    p->l2 = p->l3 = p->l4 = p->l7 = NO_LAYER;
    p->vlanTags = NO_LAYER;
    const uint32_t at = link_layer(p, linktype, 0);
    if (at != NO_LAYER) ethernet_payload(p, at);
}
