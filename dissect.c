/*
 * dissect.c - the header walk (see dissect.h).
 *
 * Shape of the walk, from the outside in:
 *
 *   link_layer()        Ethernet, Linux cooked, raw IP, PPP, ...
 *   ethernet_payload()  VLAN tags, 802.2 LLC/SNAP, then ethertype()
 *   ethertype()         IPv4, IPv6, ARP, MPLS, PPPoE, ERSPAN, ...
 *   ipv4() / ipv6()     the IP header, tunnels found inside it, and the
 *                       transport header of the innermost IP packet
 *
 * Each step reads its header through packet_u8()/packet_u16(), which return
 * 0 for bytes that were not captured, so no step reads outside the record.
 * A step that finds an IP packet inside a tunnel calls ipv4()/ipv6() again:
 * flows are keyed on the innermost IP header, and the outer headers only
 * leave their names in hdrDesc and their bits in the status.
 *
 * Where T2 0.9.3 does something surprising (reads a field in little-endian
 * order, skips a byte too many, keeps a stale value) t2mini does the same,
 * and a comment says so: the output has to match T2's.
 */
#include "dissect.h"

#include <stdio.h>
#include <string.h>

#include "hdrdesc.h"

typedef enum { STEP_CONTINUE, STEP_DONE } step_t;

/* The dissector's counters; set by dissect() for the duration of a call
 * (t2mini dissects one packet at a time). */
static dissect_stats_t *stats;

static void ipv4(packet_t *p);
static void ipv6(packet_t *p);
static uint32_t ethertype(packet_t *p, uint32_t at, uint16_t type);

/* --------------------------------------------------------------------- */
/* small helpers                                                          */

/* Some T2 tests read a 16/32-bit field in host (little-endian) order and
 * compare it with a byte-swapped constant; these give the same value. */
static uint16_t u16le(const packet_t *p, uint32_t off)
{
    return (uint16_t)(packet_u8(p, off) | packet_u8(p, off + 1) << 8);
}

static uint32_t u32le(const packet_t *p, uint32_t off)
{
    return (uint32_t)u16le(p, off) | (uint32_t)u16le(p, off + 2) << 16;
}

static void warn_text(const char *text)
{
    if (stats->log) fprintf(stats->log, "[WRN] %s\n", text);
}

static void warn(const char *fmt, unsigned value)
{
    if (stats->log) {
        fputs("[WRN] ", stats->log);
        fprintf(stats->log, fmt, value);
        fputc('\n', stats->log);
    }
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

/* T2_CHECK_SNAP_L2: is the record at least `len` bytes long? */
static int l2_fits(packet_t *p, uint32_t len)
{
    if (p->snapL2Len >= len) return 1;
    p->status |= FS_L2_SNAPPED;
    return 0;
}

static int is_vlan_tpid(uint16_t type)
{
    return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200;
}

static uint16_t ihl_of(const packet_t *p, uint32_t ip)
{
    return (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
}

/* Point p->l3 at `at` and walk the IP header found there. */
static step_t inner_ipv4(packet_t *p, uint32_t at) { p->l3 = at; ipv4(p); return STEP_DONE; }
static step_t inner_ipv6(packet_t *p, uint32_t at) { p->l3 = at; ipv6(p); return STEP_DONE; }

/* --------------------------------------------------------------------- */
/* layer 2                                                                */

/* 802.1Q/802.1ad tags starting at the ethertype field `at`.  Returns the
 * position of the ethertype field behind the last tag. */
static uint32_t vlans(packet_t *p, uint32_t at)
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
    const uint32_t typeAt = vlans(p, at + 12);
    return ethertype(p, typeAt, packet_u16(p, typeAt));
}

/* PPPoE session: PPP inside; `at` is the PPPoE header. */
static uint32_t pppoe_session(packet_t *p, uint32_t typeAt, uint32_t at)
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
            if ((packet_u8(p, at + 2) & 0xf0) != 0x40) {
                stats->ipvxPackets++;
                hdrdesc_add(p, ":ipvx");
                p->status |= FS_IPVX;
                return at;
            }
            ipv4(p);
            return NO_LAYER;
        case ETH_P_IPV6:
            p->l3 = at + 2;
            if ((packet_u8(p, at + 2) & 0xf0) != 0x60) {
                stats->ipvxPackets++;
                hdrdesc_add(p, ":ipvx");
                p->status |= FS_IPVX;
                return at;
            }
            ipv6(p);
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
            return pppoe_session(p, at, at + 2);
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
static void layer3_by_type(packet_t *p, uint32_t at, uint16_t typeOrLen)
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
    at = vlans(p, at);
    layer3_by_type(p, at, packet_u16(p, at));
}

/* An IEEE 802.11 frame at `at`: a link type of its own, or inside LWAPP
 * or CAPWAP, whose access points send the two frame control bytes swapped
 * (`swapped`).  T2 walks only unprotected data frames that carry data.
 * Returns the position of the ethertype in the 802.2 SNAP header behind
 * the 802.11 header, or NO_LAYER. */
static uint32_t wlan_data(packet_t *p, uint32_t at, int swapped)
{
    hdrdesc_add(p, p->hdrDescPos ? ":wlan" : "wlan");
    const uint8_t fcType = packet_u8(p, swapped ? at + 1 : at);
    const uint8_t fcFlags = packet_u8(p, swapped ? at : at + 1);
    if (fcFlags & 0x40) return NO_LAYER;            /* protected */
    if (((fcType >> 2) & 3) != 2) return NO_LAYER;  /* not a data frame */
    const unsigned subtype = fcType >> 4;
    uint32_t llc;
    if (subtype <= 3) llc = at + 24;                /* data */
    else if (subtype >= 8 && subtype <= 11) llc = at + 26;   /* QoS data */
    else return NO_LAYER;                           /* no data in the frame */
    if ((fcFlags & 3) == 3) llc += 6;               /* WDS: a fourth address */
    /* two zero bytes (OLPC, says Wireshark) are skipped, and an LLC
     * control field that is not a U frame takes two bytes */
    if (packet_u8(p, llc) == 0 && packet_u8(p, llc + 1) == 0) llc += 2;
    if ((packet_u8(p, llc + 2) & 3) != 3) llc++;
    hdrdesc_add(p, ":llc");
    p->hasLLC = 1;
    return llc + 6;
}

/* PPP link types (`at` is the PPP header): returns the position of the
 * protocol field when Cisco HDLC framing is found, else NO_LAYER. */
static uint32_t ppp_link(packet_t *p, uint32_t at, int withDir)
{
    hdrdesc_add(p, "ppp");
    p->status |= FS_L2_NO_ETH | FS_PPP;
    p->l2 = withDir ? at - 1 : at;
    const uint16_t addrCtl = u16le(p, at);
    if (addrCtl == 0x000f || addrCtl == 0x008f) {      /* Cisco HDLC */
        hdrdesc_add(p, ":chdlc");
        return at + 2;
    }
    uint16_t proto;
    if (addrCtl == 0x03ff) {
        proto = u16le(p, at + 2);
        at += 4;
    } else {
        proto = addrCtl;
        at += 2;
    }
    switch (proto) {
        case 0x2100: inner_ipv4(p, at); return NO_LAYER;
        case 0x5700: inner_ipv6(p, at); return NO_LAYER;
        case 0x8102:
        case 0x8302:
            /* MPLS: T2 writes the MPLS ethertype over the first two bytes
             * of the label stack and goes on as if they were an Ethernet
             * type field, so the stack is read from two bytes further on */
            layer3_by_type(p, at, proto == 0x8102 ? 0x8847 : 0x8848);
            return NO_LAYER;
        default:
            hdrdesc_add_pppproto(p, proto);
            return NO_LAYER;
    }
}

/* Juniper's link types: the magic "MGC", flags, an optional extension,
 * then IP, or Ethernet, or (flag "no L2") a protocol number first. */
static uint32_t juniper(packet_t *p, int linktype, uint32_t at)
{
    hdrdesc_add(p, "juniper");
    const uint32_t start = at;
    if (packet_u8(p, at) != 'M' || packet_u8(p, at + 1) != 'G' || packet_u8(p, at + 2) != 'C') {
        warn_text("Juniper magic cookie not found");
        return NO_LAYER;
    }
    const uint8_t flags = packet_u8(p, at + 3);
    at += (flags & 0x80) ? 6u + packet_u16(p, at + 4) : 4u;   /* extension */
    uint32_t proto = 0;
    if (flags & 0x02) {                       /* no L2 header */
        proto = u32le(p, at);
        at += 4;
        if (proto == 204) {                   /* Ethernet */
            hdrdesc_add(p, ":eth");
            p->l2 = at;
            return at + 12;
        }
        if (proto != 2 && proto != 6) {
            warn("Unhandled Juniper protocol %u", proto);
            return NO_LAYER;
        }
    } else {
        if (linktype == LINKTYPE_JUNIPER_ATM1) at += 4;   /* cookie */
        p->l3 = at;     /* sic: stays set when Ethernet follows */
        const uint8_t version = packet_u8(p, at) & 0xf0;
        if (version == 0x40) proto = 2;
        else if (version == 0x60) proto = 6;
        else {
            hdrdesc_add(p, ":eth");
            p->l2 = at;
            return at + 12;
        }
    }
    p->status |= FS_L2_NO_ETH;
    p->l2 = start;
    p->l3 = at;
    if (proto == 2) ipv4(p); else ipv6(p);
    return NO_LAYER;
}

/* The DLT_ number of the frame inside a PPI header, as a link type (the
 * two differ only for raw IP). */
static int linktype_of_dlt(uint32_t dlt)
{
    if (dlt == 12 || dlt == 14) return LINKTYPE_RAW;
    if (dlt == LINKTYPE_RAW) return -1;
    return dlt > INT32_MAX ? -1 : (int)dlt;
}

/* The link header of type `linktype` at `at` (0, or behind a PPI header).
 * Returns the position of an ethertype field to go on from, or NO_LAYER
 * when the record is done (or cannot be dissected). */
static uint32_t link_layer(packet_t *p, int linktype, uint32_t at)
{
    switch (linktype) {
        case LINKTYPE_ETHERNET: {
            if (!l2_fits(p, 16)) return NO_LAYER;
            const uint8_t b0 = packet_u8(p, at);
            if ((b0 == 0x01 || b0 == 0x03) && packet_u8(p, at + 1) == 0x00 &&
                packet_u8(p, at + 2) == 0x0c && packet_u8(p, at + 3) == 0 &&
                packet_u8(p, at + 4) == 0) {
                hdrdesc_add(p, "isl:");       /* Cisco ISL encapsulation */
                if (!l2_fits(p, 16 + 26)) return NO_LAYER;
                at += 26;
            }
            p->l2 = at;
            hdrdesc_add(p, "eth");
            return at + 12;
        }
        case LINKTYPE_ETHERNET_MPACKET:
            hdrdesc_add(p, "fpp:");
            if (!l2_fits(p, 16)) return NO_LAYER;
            p->l2 = at + 8;
            hdrdesc_add(p, "eth");
            return at + 20;
        case LINKTYPE_NULL: {
            hdrdesc_add(p, "null");
            if (!l2_fits(p, 4)) return NO_LAYER;
            p->l2 = at;
            p->l3 = at + 4;
            uint32_t family = u32le(p, at);  /* byte order of the capturer */
            if (family > 30) family = packet_u32(p, at);
            p->status |= FS_L2_NO_ETH;
            switch (family) {
                case 2: ipv4(p); break;
                case 10: case 23: case 24: case 26: case 28: case 30: ipv6(p); break;
                default: warn("Null/Loopback header: unhandled family %u", family); break;
            }
            return NO_LAYER;
        }
        case LINKTYPE_RAW:
            hdrdesc_add(p, "raw");
            p->l2 = at;
            p->l3 = at;
            p->status |= FS_L2_NO_ETH;
            switch (packet_u8(p, at) & 0xf0) {
                case 0x40: ipv4(p); break;
                case 0x60: ipv6(p); break;
                default: warn("Unknown IP protocol %u in raw pcap", packet_u8(p, at) >> 4u); break;
            }
            return NO_LAYER;
        case LINKTYPE_IPV4:
        case LINKTYPE_IPV6:
            p->l2 = at;
            p->l3 = at;
            p->status |= FS_L2_NO_ETH;
            if (linktype == LINKTYPE_IPV4) ipv4(p); else ipv6(p);
            return NO_LAYER;
        case LINKTYPE_LINUX_SLL:
            hdrdesc_add(p, "sll");
            if (!l2_fits(p, 16)) return NO_LAYER;
            p->l2 = at;
            return at + 14;
        case LINKTYPE_LINUX_SLL2:
            /* T2 0.9.3 refuses cooked v2; t2mini decodes it as cooked v1.
             * The v1 header fields T2 shows as MAC addresses (packet type,
             * address type and length, address) are rebuilt in v1 layout. */
            hdrdesc_add(p, "sll");
            if (!l2_fits(p, 20)) return NO_LAYER;
            p->l2 = at;
            p->l2Synth[1] = packet_u8(p, at + 10);     /* packet type */
            p->l2Synth[2] = packet_u8(p, at + 8);      /* address type */
            p->l2Synth[3] = packet_u8(p, at + 9);
            p->l2Synth[5] = packet_u8(p, at + 11);     /* address length */
            for (uint32_t i = 0; i < 6; i++) p->l2Synth[6 + i] = packet_u8(p, at + 12 + i);
            p->hasL2Synth = 1;
            layer3_by_type(p, at + 18, packet_u16(p, at));   /* payload at 20 */
            return NO_LAYER;
        case LINKTYPE_PPP_WITH_DIR:
            return ppp_link(p, at + 1, 1);
        case LINKTYPE_PPP:
        case LINKTYPE_PPP_HDLC:
            return ppp_link(p, at, 0);
        case LINKTYPE_C_HDLC_WITH_DIR:
        case LINKTYPE_FRELAY_WITH_DIR:
        case LINKTYPE_C_HDLC:
        case LINKTYPE_FRELAY: {
            const int withDir = linktype == LINKTYPE_C_HDLC_WITH_DIR || linktype == LINKTYPE_FRELAY_WITH_DIR;
            const int fr = linktype == LINKTYPE_FRELAY || linktype == LINKTYPE_FRELAY_WITH_DIR;
            hdrdesc_add(p, fr ? "fr" : "chdlc");
            p->l2 = at;
            p->status |= FS_L2_NO_ETH;
            return at + (withDir ? 3 : 2);
        }
        case LINKTYPE_IEEE802_11:
            p->l2 = at;                       /* T2 shows addr1/addr2 bytes as MACs */
            return wlan_data(p, at, 0);
        case LINKTYPE_IEEE802_11_RADIOTAP:
            hdrdesc_add(p, "radiotap");
            at += u16le(p, at + 2);           /* radiotap header length */
            p->l2 = at;
            return wlan_data(p, at, 0);
        case LINKTYPE_IEEE802_11_PRISM:
            hdrdesc_add(p, "prism");
            at += 144;                        /* T2 takes the usual length */
            p->l2 = at;
            return wlan_data(p, at, 0);
        case LINKTYPE_PPI: {
            /* Per-Packet Information: a header, then a frame of the link
             * type it names; T2 takes the snapped L2 length off once */
            hdrdesc_add(p, "ppi:");
            const uint16_t len = u16le(p, at + 2);
            if (!l2_fits(p, (uint32_t)len + 1)) return NO_LAYER;
            p->snapL2Len -= len;
            const int inner = linktype_of_dlt(u32le(p, at + 4));
            if (inner == LINKTYPE_PPI || !dissect_linktype_supported(inner)) {
                warn("Unsupported link-layer type inside PPI: %u", (unsigned)inner);
                return NO_LAYER;
            }
            return link_layer(p, inner, at + len);
        }
        case LINKTYPE_SYMANTEC_FIREWALL: {
            /* version 2 (44 bytes) has the ethertype at 6, version 3 (56
             * bytes) at 10 */
            hdrdesc_add(p, "symantec");
            const uint16_t v2Type = packet_u16(p, at + 6), v3Type = packet_u16(p, at + 10);
            if (v2Type == 0 && v3Type == 0) return NO_LAYER;
            const uint32_t hdrLen = v2Type ? 44 : 56;
            if (!l2_fits(p, hdrLen)) return NO_LAYER;
            const uint16_t type = v2Type ? v2Type : v3Type;
            p->l2 = at;
            p->l3 = at + hdrLen;
            p->status |= FS_L2_NO_ETH;
            if (type == ETH_P_IPV4) ipv4(p);
            else if (type == ETH_P_IPV6) ipv6(p);
            else warn("Unhandled Ethertype 0x%04x for Symantec Enterprise Firewall", type);
            return NO_LAYER;
        }
        case LINKTYPE_JUNIPER_ATM1:
        case LINKTYPE_JUNIPER_ETHER:
        case LINKTYPE_JUNIPER_PPPOE:
            return juniper(p, linktype, at);
        default:
            return NO_LAYER;
    }
}

/* --------------------------------------------------------------------- */
/* tunnels recognised by their UDP (or TCP/SCTP) ports                    */

static int port_above(uint16_t a, uint16_t b, uint16_t port)
{
    return (a == port && b > 1024) || (b == port && a > 1024);
}

/* AYIYA (anything in anything), port 5072. */
static step_t ayiya(packet_t *p, uint32_t at)
{
    const uint8_t idLen = packet_u8(p, at) >> 4;
    const uint8_t sigLen = packet_u8(p, at + 1) >> 4;
    const uint32_t skip = 8u + (1u << idLen) + ((uint32_t)sigLen << 2);
    if (at + skip >= p->caplen) return STEP_CONTINUE;
    const uint32_t inner = at + skip;
    switch (packet_u8(p, at + 3)) {
        case IPPROTO_T_IPV6:
            if ((packet_u8(p, inner) & 0xf0) == 0x60) {
                hdrdesc_add(p, ":ayiya");
                p->status |= FS_AYIYA;
                return inner_ipv6(p, inner);
            }
            break;
        case IPPROTO_T_IPIP:
            if ((packet_u8(p, inner) & 0xf0) == 0x40) {
                hdrdesc_add(p, ":ayiya");
                p->status |= FS_AYIYA;
                return inner_ipv4(p, inner);
            }
            break;
        case IPPROTO_T_NONE:
            hdrdesc_add(p, ":ayiya");
            p->status |= FS_AYIYA | FS_STOP_DISSECT;
            break;
        default:
            p->status |= FS_STOP_DISSECT;
            break;
    }
    return STEP_CONTINUE;
}

/* GTP (GPRS tunnelling), ports 2123/2152/3386: T-PDUs carry IP. */
static step_t gtp(packet_t *p, uint32_t at)
{
    hdrdesc_add(p, ":gtp");
    p->status |= FS_GTP;
    if (packet_u8(p, at + 1) != 0xff) return STEP_CONTINUE;   /* not a T-PDU */
    const uint8_t flags = packet_u8(p, at);
    uint8_t skip = 8;               /* 8 bits in T2: long extensions wrap */
    switch (flags >> 5) {
        case 0: skip += 12; break;
        case 1:
            if (flags & 0x07) skip += 4;
            if (flags & 0x04) skip = (uint8_t)(skip + (packet_u8(p, at + skip) << 2));
            break;
        case 2:
            p->status |= FS_STOP_DISSECT;
            return STEP_CONTINUE;
        default: break;
    }
    const uint32_t inner = at + skip;
    if (inner >= p->caplen) return STEP_CONTINUE;
    switch (packet_u8(p, inner) & 0xf0) {
        case 0x40: return inner_ipv4(p, inner);
        case 0x60: return inner_ipv6(p, inner);
        default:
            p->status |= FS_STOP_DISSECT;
            return STEP_CONTINUE;
    }
}

/* Which tunnel a frame came out of: T2 walks what follows its ethertype a
 * little differently in each. */
typedef enum {
    TUN_VXLAN,      /* VXLAN, GENEVE: PPPoE known, no LLC behind VLAN tags */
    TUN_CAPWAP,     /* LLC behind VLAN tags, EAPOL known */
    TUN_LWAPP       /* LLC behind VLAN tags */
} tunnel_t;

/* What follows the ethertype field at `typeAt` of a frame inside a tunnel
 * (Ethernet, or 802.11 with its SNAP header); `tags` says whether VLAN
 * tags are looked for.  Returns DONE when an IP packet was dissected;
 * otherwise the caller undoes the move of the link header. */
static step_t tunnelled_ethertype(packet_t *p, uint32_t typeAt, int tags, tunnel_t tunnel)
{
    uint32_t at = tags ? vlans(p, typeAt) : typeAt;
    /* sic: behind VLAN tags T2 takes the ethertype field itself as the
     * start of the payload (so a tagged inner IP header never parses) */
    uint32_t payload = at == typeAt ? at + 2 : at;
    if (at != typeAt && tunnel != TUN_VXLAN) {
        const uint16_t typeOrLen = packet_u16(p, at);
        if (typeOrLen <= 1500 || typeOrLen == 0x8870) {
            hdrdesc_add(p, ":llc");
            p->hasLLC = 1;
            at += 8;
            payload = at;
        }
    }
    switch (packet_u16(p, at)) {
        case ETH_P_IPV4: return inner_ipv4(p, payload);
        case ETH_P_IPV6: return inner_ipv6(p, payload);
        case 0x8863:
            if (tunnel != TUN_VXLAN) break;
            hdrdesc_add(p, ":pppoed");
            p->status |= FS_PPPOE_D;
            return STEP_CONTINUE;
        case 0x8864:
            if (tunnel != TUN_VXLAN) break;
            return pppoe_session(p, at, at + 2) == NO_LAYER ? STEP_DONE : STEP_CONTINUE;
        case 0x888e:
            if (tunnel != TUN_CAPWAP) break;
            hdrdesc_add(p, ":eapol");
            return STEP_CONTINUE;
        default:
            break;
    }
    hdrdesc_add_ethertype(p, packet_u16(p, at));
    return STEP_CONTINUE;
}

/* VXLAN (4789, 8472) and VXLAN-GPE (4790). */
static step_t vxlan(packet_t *p, uint32_t at)
{
    const uint32_t oldL2 = p->l2, oldL3 = p->l3;
    const int gpe = p->srcPort == 4790 || p->dstPort == 4790;
    uint32_t inner = at + 8;
    if (inner >= p->caplen) return STEP_CONTINUE;
    const uint32_t skip = inner - p->l2;
    if (gpe) {
        if (packet_u16(p, at + 1) != 0 || packet_u8(p, at + 7) != 0) return STEP_CONTINUE;
        p->snapL2Len -= skip;
        p->l2 = inner;
        p->status |= FS_VXLAN;
        hdrdesc_add(p, ":vxlan_gpe");
        if (packet_u8(p, at) & 0x04) {
            uint8_t next = packet_u8(p, at + 3);
            for (;;) {
                if (next == 1) return inner_ipv4(p, inner);
                if (next == 2) return inner_ipv6(p, inner);
                if (next == 3) break;
                if (next == 5) {
                    hdrdesc_add(p, ":mpls");
                    p->status |= FS_MPLS_UCAST | FS_MPLS_MCAST;
                    return STEP_CONTINUE;
                }
                if (next == 4) {              /* NSH */
                    hdrdesc_add(p, ":nsh");
                    const uint32_t nsh = inner;
                    inner += (uint32_t)(packet_u8(p, nsh) & 0x3f) << 2;
                    next = packet_u8(p, nsh + 3);
                    continue;
                }
                goto reset;
            }
        }
    } else if (packet_u8(p, at + 1) != 0 || packet_u8(p, at + 7) != 0) {
        return STEP_CONTINUE;
    } else {
        p->status |= FS_VXLAN;
        hdrdesc_add(p, ":vxlan");
        p->snapL2Len -= skip;
        p->l2 = inner;
    }
    hdrdesc_add(p, ":eth");
    if (tunnelled_ethertype(p, inner + 12, p->snapL2Len >= 4, TUN_VXLAN) == STEP_DONE) return STEP_DONE;
reset:
    /* T2 restores the link header but keeps hdrDesc and the status bits */
    p->snapL2Len += skip;
    p->l2 = oldL2;
    p->l3 = oldL3;
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* GENEVE (6081) carrying Ethernet. */
static step_t geneve(packet_t *p, uint32_t at)
{
    const uint32_t oldL2 = p->l2, oldL3 = p->l3, oldSnap = p->snapL2Len;
    const uint32_t inner = at + 8 + ((uint32_t)(packet_u8(p, at) & 0x3f) << 2);
    if (inner >= p->caplen) return STEP_CONTINUE;
    const uint32_t skip = inner - p->l2;
    if ((packet_u8(p, at + 1) & 0x3f) != 0 || packet_u8(p, at + 4) != 0) return STEP_CONTINUE;
    if (packet_u16(p, at + 2) == 0x6558) {
        p->status |= FS_GENEVE;
        hdrdesc_add(p, ":geneve");
        hdrdesc_add(p, ":eth");
        p->snapL2Len -= skip;
        p->l2 = inner;
        if (tunnelled_ethertype(p, inner + 12, p->snapL2Len >= 4, TUN_VXLAN) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    p->snapL2Len = oldSnap;
    p->l2 = oldL2;
    p->l3 = oldL3;
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* CAPWAP (5246 control, 5247 data) carrying IEEE 802.3 or 802.11 frames. */
static step_t capwap(packet_t *p, uint32_t at)
{
    const uint32_t oldL2 = p->l2, oldL3 = p->l3, oldSnap = p->snapL2Len;
    if (at + 8 > p->caplen) return STEP_CONTINUE;
    const uint8_t b0 = packet_u8(p, at), b1 = packet_u8(p, at + 1), b2 = packet_u8(p, at + 2);
    const uint8_t b3 = packet_u8(p, at + 3);
    const unsigned type = b0 & 0x0f, version = b0 >> 4;
    const unsigned hlen = b1 >> 3, flagT = b2 & 1, wbid = (b2 >> 1) & 0x1f;
    const unsigned flagsRes = b3 & 7, flagK = (b3 >> 3) & 1, flagF = b3 >> 7;
    const uint16_t fragOff = packet_u16(p, at + 6);
    uint32_t inner = at;
    if (type == 0) {
        inner += hlen << 2;
        if (inner >= p->caplen) return STEP_CONTINUE;
    }
    const uint32_t skip = inner - p->l2;
    if (flagsRes != 0 || (fragOff & 3) != 0 || version != 0 || (flagT == 1 && wbid != 1)) {
        return STEP_CONTINUE;
    }
    const int control = !(p->srcPort == 5247 || p->dstPort == 5247);
    hdrdesc_add(p, control ? ":capwap" : ":capwap.data");
    p->status |= FS_CAPWAP;
    if (type == 1) {
        hdrdesc_add(p, ":dtls");
        p->status |= FS_STOP_DISSECT | FS_DTLS;
        return STEP_CONTINUE;
    }
    if (flagK || control || (flagF && (fragOff >> 3) != 0)) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    /* T2 looks for VLAN tags unless the frame has fewer than 4 bytes
     * (an unsigned difference: a negative one counts as many) */
    const int tags = (uint32_t)(oldSnap - skip) >= 4;
    if (flagT == 0) {                         /* IEEE 802.3 frame */
        hdrdesc_add(p, ":eth");
        p->snapL2Len -= skip;
        p->l2 = inner;
        if (tunnelled_ethertype(p, inner + 12, tags, TUN_CAPWAP) == STEP_DONE) return STEP_DONE;
    } else {                                  /* IEEE 802.11 frame */
        const uint32_t typeAt = wlan_data(p, inner, 1);
        if (typeAt != NO_LAYER && tunnelled_ethertype(p, typeAt, tags, TUN_CAPWAP) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    p->snapL2Len = oldSnap;
    p->l2 = oldL2;
    p->l3 = oldL3;
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* LWAPP (12222 data, 12223 control) carrying IEEE 802.11 frames. */
static step_t lwapp(packet_t *p, uint32_t at)
{
    const uint32_t oldL2 = p->l2, oldL3 = p->l3;
    if (p->srcPort == 12223 || p->dstPort == 12223) at += 6;   /* AP identity */
    const uint32_t inner = at + 6;
    if (inner >= p->caplen) return STEP_CONTINUE;
    const uint32_t skip = inner - p->l2;
    hdrdesc_add(p, ":lwapp");
    p->status |= FS_CAPWAP;
    if (packet_u8(p, at) & 0x04) {                          /* control */
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    const uint32_t typeAt = wlan_data(p, inner, 1);
    if (typeAt != NO_LAYER) {
        const int tags = (uint32_t)(p->snapL2Len - skip) >= 4;
        if (tunnelled_ethertype(p, typeAt, tags, TUN_LWAPP) == STEP_DONE) return STEP_DONE;
    }
    /* sic: T2 adds back to the snapped L2 length what it never took off */
    p->snapL2Len += skip;
    p->l2 = oldL2;
    p->l3 = oldL3;
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* L2TP over UDP (1701): PPP carrying IP. */
static step_t l2tp(packet_t *p, uint32_t at)
{
    const uint16_t flags = u16le(p, at);     /* T2 tests the LE value */
    if (flags & 0xf000) return STEP_CONTINUE;   /* reserved bits set */
    const uint8_t version = packet_u8(p, at + 1) & 0x0f;
    if (version != 2 && version != 3) return STEP_CONTINUE;
    hdrdesc_add(p, ":l2tp");
    p->status |= FS_L2TP;
    if (flags & 0x0080) {                     /* control message */
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    at += 2;
    if (version == 3) {
        at += 4;
    } else {
        if (flags & 0x0040) at += 2;          /* length */
        at += 4;                              /* tunnel and session IDs */
        if (flags & 0x0008) at += 4;          /* sequence numbers */
        if (flags & 0x0002) at += (uint32_t)packet_u16(p, at) + 2;   /* offset */
    }
    if (at >= p->caplen) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    const uint8_t first = packet_u8(p, at);
    hdrdesc_add(p, (first == 0x0f || first == 0x8f) ? ":chdlc" : ":ppp");
    p->status |= FS_PPP;
    at += 2;                                  /* address and control */
    if (u16le(p, at) == 0x3d00) {             /* PPP multilink */
        hdrdesc_add(p, ":mp");
        at += 6;
    }
    const uint16_t proto = u16le(p, at);
    at += 2;
    if (at >= p->caplen) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    if (proto == 0x2100) return inner_ipv4(p, at);
    if (proto == 0x5700) return inner_ipv6(p, at);
    hdrdesc_add_pppproto(p, proto);
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* Teredo: IPv6 over UDP, tried for every UDP packet between high ports. */
static step_t teredo(packet_t *p, uint32_t at)
{
    uint16_t marker = u16le(p, at);
    if (packet_u8(p, at) != 0x60 && marker != 0x0100 && marker != 0x0000) return STEP_CONTINUE;
    if (marker == 0x0100) {                   /* authentication header */
        at += 13u + packet_u8(p, at + 2) + packet_u8(p, at + 3);
        marker = u16le(p, at);
    }
    if (marker == 0x0000) at += 8;            /* origin indication */
    if ((packet_u8(p, at) & 0xf0) != 0x60) return STEP_CONTINUE;
    const uint32_t prefix = 0x20010000;       /* 2001:0::/32 */
    if (p->srcPort != 3544 && packet_u32(p, at + 8) != prefix &&
        p->dstPort != 3544 && packet_u32(p, at + 24) != prefix) {
        return STEP_CONTINUE;
    }
    hdrdesc_add(p, ":teredo");
    p->status |= FS_TEREDO;
    return inner_ipv6(p, at);
}

/* Tunnels T2 recognises by port, in T2's order.  `transport` is the
 * transport header, `hdrLen` its length. */
static step_t port_tunnels(packet_t *p, uint8_t proto, uint32_t hdrLen, int *priproto)
{
    const uint16_t sport = p->srcPort, dport = p->dstPort;
    const uint32_t payload = p->l4 + hdrLen;

    if (!(p->status & FS_STOP_DISSECT) && port_above(sport, dport, 5072)) {
        if (proto == IPPROTO_T_SCTP) {
            if (*priproto) { hdrdesc_add(p, ":sctp"); *priproto = 0; }
            hdrdesc_add(p, ":ayiya");
            p->status |= FS_STOP_DISSECT;
        } else {
            const int64_t room = (int64_t)packet_u16(p, p->l3 + 2) - p->l3HdrLen - hdrLen - 8;
            if (room >= 0) {
                if (*priproto) { hdrdesc_add_ipproto(p, proto); *priproto = 0; }
                if (ayiya(p, payload) == STEP_DONE) return STEP_DONE;
            }
        }
    }
    if ((p->status & FS_STOP_DISSECT) || proto != IPPROTO_T_UDP) return STEP_CONTINUE;

#define TRY(cond, fn) \
    if (!(p->status & FS_STOP_DISSECT) && (cond)) { \
        if (*priproto) { hdrdesc_add(p, ":udp"); *priproto = 0; } \
        if (fn(p, payload) == STEP_DONE) return STEP_DONE; \
    }
    TRY(port_above(sport, dport, 2152) || port_above(sport, dport, 2123) ||
        port_above(sport, dport, 3386), gtp)
    /* sic: T2 tests the destination port twice for VXLAN */
    TRY(((sport == 4789 || sport == 4790 || sport == 8472) && dport > 1024) ||
        ((dport == 4789 || dport == 4790 || dport == 8472) && dport > 1024), vxlan)
    TRY(port_above(sport, dport, 6081), geneve)
    TRY(port_above(sport, dport, 5246) || port_above(sport, dport, 5247), capwap)
    TRY(port_above(sport, dport, 12222) || port_above(sport, dport, 12223), lwapp)
    TRY(sport == 1701 || dport == 1701, l2tp)
    TRY(sport > 1024 && dport > 1024, teredo)
#undef TRY
    return STEP_CONTINUE;
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
 * inner IPv4 header; `*greLen` receives the GRE header length. */
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
                } else {
                    hdrdesc_add_pppproto(p, u16le(p, at));
                    p->status |= FS_STOP_DISSECT;
                }
            } else if (u16le(p, at + 2) == 0x2100) {
                switch_to_ipv4(p, ip, at + 4);
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
            if (p->snapL2Len >= 4) type = vlans(p, type);
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
    const uint32_t type = vlans(p, at + 14);
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

/* GRE met again in the transport switch (GRE inside GRE). */
static step_t gre_in_transport(packet_t *p, uint32_t *ip, int priproto)
{
    if (priproto) hdrdesc_add(p, ":gre");
    p->status |= FS_GRE;
    const uint32_t gre = p->l4;
    uint16_t proto;
    const uint32_t at = gre + gre_header(p, gre, &proto);
    if (proto == ETH_P_IPV4) {
        switch_to_ipv4(p, ip, at);
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
        uint32_t type = vlans(p, eth + 12);
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

static void ipv4(packet_t *p)
{
    uint32_t ip = p->l3;
    p->ethType = ETH_P_IPV4;
    p->status |= FS_IPV4_PKT;
    hdrdesc_add(p, ":ipv4");

    const uint16_t ihl = (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
    if (ihl < 20) {
        p->status |= FS_IPV4_HL_SHORT;
        return;                               /* no flow for this packet */
    }
    p->l3HdrLen = ihl;
    p->l4 = ip + ihl;
    int priproto = 1;                         /* transport not named yet */
    if (packet_u16(p, ip + 6) & 0x1fff) p->status |= FS_STOP_DISSECT;   /* later fragment */

    /* peek at the ports: some tunnels are recognised by them */
    const uint8_t proto = packet_u8(p, ip + 9);
    uint16_t sport = 0, dport = 0;
    uint32_t hdrLen = 0;
    if (!(packet_u16(p, ip + 6) & 0x1fff)) {
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
    if (sport && dport && port_tunnels(p, proto, hdrLen, &priproto) == STEP_DONE) return;

    uint32_t greLen = 0;
    if (proto == IPPROTO_T_GRE && !(p->status & FS_STOP_DISSECT)) {
        if (gre_in_ipv4(p, &ip, &priproto, &greLen) == STEP_DONE) return;
    }

    const uint32_t afterHdr = p->l3 + p->l3HdrLen;
    if (packet_u8(p, ip + 9) == IPPROTO_T_ETHIP && (packet_u8(p, afterHdr) & 0xf0) >= 0x30 &&
        !(p->status & FS_STOP_DISSECT)) {
        if (etherip_in_ipv4(p, &ip, afterHdr) == STEP_DONE) return;
    }

    if (!(p->status & FS_STOP_DISSECT)) {     /* IP in IP */
        const uint32_t inner = p->l3 + p->l3HdrLen;
        if (packet_u8(p, ip + 9) == IPPROTO_T_IPIP) {
            p->status |= FS_IPIP;
            hdrdesc_add(p, ":ipv4");
            if (inner > p->caplen) {
                p->status |= FS_STOP_DISSECT;
            } else {
                p->l3 = inner;
                ip = inner;
                p->l3HdrLen = (uint16_t)((packet_u8(p, ip) & 0x0f) << 2);
            }
        } else if (packet_u8(p, ip + 9) == IPPROTO_T_IPV6) {
            p->status |= FS_IPIP;
            if (inner > p->caplen) {
                p->status |= FS_IPV6_PKT | FS_STOP_DISSECT;
            } else {
                inner_ipv6(p, inner);
                return;
            }
        }
    }

    if ((packet_u8(p, ip) & 0xf0) != 0x40) {
        p->status |= FS_IPVX;
        hdrdesc_add(p, ":ipvx");
        return;                               /* no flow */
    }

    /* lengths: what the IP header says, clipped to the wire and capture */
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

    /* the flow key: addresses of this (innermost) header */
    p->ipver = 4;
    for (int i = 0; i < 4; i++) {
        p->srcIP[i] = packet_u8(p, ip + 12 + (uint32_t)i);
        p->dstIP[i] = packet_u8(p, ip + 16 + (uint32_t)i);
    }
    memset(p->srcIP + 4, 0, 12);
    memset(p->dstIP + 4, 0, 12);
    p->ipId = packet_u16(p, ip + 4);
    p->fragId = p->ipId;
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
    if ((fragOff & 0x3fff) == 0x2000) p->fragState = FRAG_FIRST;

    if (!(p->status & FS_STOP_DISSECT)) {
        switch (l4Proto) {
            case IPPROTO_T_IPIP:
                p->status |= FS_IPIP;
                if (p->l3 + p->l3HdrLen > p->caplen || p->l3HdrLen == 0) {
                    p->status |= FS_STOP_DISSECT;
                    break;
                }
                inner_ipv4(p, p->l3 + p->l3HdrLen);
                return;
            case IPPROTO_T_IPV6:
                if (p->l3 + 40 > p->caplen) {  /* sic: T2 measures from l3 */
                    hdrdesc_add(p, ":ipv6");
                    p->status |= FS_STOP_DISSECT;
                    break;
                }
                inner_ipv6(p, p->l3);
                return;
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
                if (gre_in_transport(p, &ip, priproto) == STEP_DONE) return;
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
                        if (packet_u32(p, ip + 16) == 0xe0000019) hdrdesc_add(p, ":rgmp");
                        break;
                    default: break;
                }
                break;
            case IPPROTO_T_PIM:
                hdrdesc_add(p, ":pim");
                if ((packet_u8(p, p->l4) & 0x0f) == 1) {     /* register */
                    const uint32_t inner = p->l4 + 8;
                    switch (packet_u8(p, inner) & 0xf0) {
                        case 0x40: inner_ipv4(p, inner); return;
                        case 0x60: inner_ipv6(p, inner); return;
                        default: break;
                    }
                }
                break;
            default:
                hdrdesc_add_ipproto(p, l4Proto);
                break;
        }
    }

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
                if ((sport == 1701 || dport == 1701) && l2tp(p, l4 + 8) == STEP_DONE) return STEP_DONE;
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
                const uint32_t type = vlans(p, at + 14);
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

static void ipv6(packet_t *p)
{
    uint32_t ip6 = p->l3;
    uint32_t hdrLen = 40;
    p->ethType = ETH_P_IPV6;
    p->status |= FS_IPV6_PKT;
    hdrdesc_add(p, ":ipv6");

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

int dissect_linktype_supported(int linktype)
{
    switch (linktype) {
        case LINKTYPE_NULL: case LINKTYPE_ETHERNET: case LINKTYPE_PPP:
        case LINKTYPE_PPP_HDLC: case LINKTYPE_RAW: case LINKTYPE_C_HDLC:
        case LINKTYPE_FRELAY: case LINKTYPE_LINUX_SLL: case LINKTYPE_PPP_WITH_DIR:
        case LINKTYPE_C_HDLC_WITH_DIR: case LINKTYPE_FRELAY_WITH_DIR:
        case LINKTYPE_IPV4: case LINKTYPE_IPV6: case LINKTYPE_ETHERNET_MPACKET:
        case LINKTYPE_LINUX_SLL2: case LINKTYPE_IEEE802_11: case LINKTYPE_IEEE802_11_RADIOTAP:
        case LINKTYPE_IEEE802_11_PRISM: case LINKTYPE_PPI: case LINKTYPE_SYMANTEC_FIREWALL:
        case LINKTYPE_JUNIPER_ATM1: case LINKTYPE_JUNIPER_ETHER: case LINKTYPE_JUNIPER_PPPOE:
            return 1;
        default:
            return 0;
    }
}

void dissect(packet_t *p, int linktype, dissect_stats_t *st)
{
    stats = st;
    p->snapL2Len = p->caplen;
    p->l2 = p->l3 = p->l4 = p->l7 = NO_LAYER;
    p->vlanTags = NO_LAYER;
    const uint32_t at = link_layer(p, linktype, 0);
    if (at != NO_LAYER) ethernet_payload(p, at);
}
