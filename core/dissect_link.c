/*
 * dissect_link.c - the link layer of a record, the first step of the
 * header walk (see dissect_steps.h).
 *
 * The capture's link type picks a step from `link_steps`; a link type
 * without one is not supported (dissect_linktype_supported(), which
 * t2mini.c asks before the first packet).  A step names the link header
 * and says where the walk goes on:
 *
 *   - at an ethertype field, for Ethernet and the link types that carry
 *     one (Linux cooked, Cisco HDLC, ...): dissect_l2.c takes over;
 *   - nowhere (NO_LAYER), when the link header is followed by an IP
 *     packet the step hands to dissect_ipv4()/dissect_ipv6() itself (raw
 *     IP, loopback, PPP, Symantec, Juniper), or when it gives up.
 *
 * IEEE 802.11 link types (plain, radiotap, Prism) are in dissect_wlan.c.
 * PPI is a header in front of a frame of another link type: its step
 * calls link_layer() again.  As everywhere in the walk, T2 0.9.3's quirks
 * are kept and marked "T2QUIRK:".
 */
#include <stddef.h>
#include <stdio.h>

#include "read_capture.h"
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define ETH_ADDRS_LEN 12    /* destination and source MAC: then the type */
#define ETH_MIN_LEN   16    /* what T2 requires of an Ethernet record */
#define ISL_HDR_LEN   26    /* Cisco ISL header in front of the frame */

/* --------------------------------------------------------------------- */
/* link headers followed by IP                                            */

/* The link header at `l2` is followed by an IP packet of `version` at
 * `l3`: walk it.  False for a version that is neither 4 nor 6. */
static int link_carries_ip(dissect_t *d, uint32_t l2, uint32_t l3, unsigned version)
{
    packet_t *p = d->p;
    p->l2 = l2;
    p->l3 = l3;
    p->status |= FS_L2_NO_ETH;
    if (version == 4) dissect_ipv4(d);
    else if (version == 6) dissect_ipv6(d);
    else return 0;
    return 1;
}

/* Raw IP: the version nibble says which. */
static uint32_t link_raw(dissect_t *d, int linktype, uint32_t at)
{
    (void)linktype;
    hdrdesc_add(d->p, "raw");
    const unsigned version = packet_u8(d->p, at) >> 4;
    if (!link_carries_ip(d, at, at, version)) {
        dissect_warn(d, "Unknown IP protocol %u in raw pcap", version);
    }
    return NO_LAYER;
}

/* LINKTYPE_IPV4 and LINKTYPE_IPV6: the link type says which (no label). */
static uint32_t link_ip_only(dissect_t *d, int linktype, uint32_t at)
{
    link_carries_ip(d, at, at, linktype == LINKTYPE_IPV4 ? 4 : 6);
    return NO_LAYER;
}

/* The BSD loopback header: an address family, 4 bytes in the byte order
 * of the machine that captured, whose number for IPv6 differs by system. */
static unsigned loopback_ip_version(uint32_t family)
{
    switch (family) {
        case 2:  return 4;          /* AF_INET everywhere */
        case 10:                    /* Linux */
        case 23:                    /* Windows */
        case 24:                    /* NetBSD, OpenBSD */
        case 26:                    /* Solaris */
        case 28:                    /* FreeBSD */
        case 30: return 6;          /* macOS */
        default: return 0;
    }
}

static uint32_t link_null(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "null");
    if (!l2_fits(p, 4)) return NO_LAYER;
    uint32_t family = u32le(p, at);
    if (family > 30) family = packet_u32(p, at);   /* a big-endian capturer */
    if (!link_carries_ip(d, at, at + 4, loopback_ip_version(family))) {
        dissect_warn(d, "Null/Loopback header: unhandled family %u", (unsigned)family);
    }
    return NO_LAYER;
}

/* Symantec Enterprise Firewall: a version 2 header (44 bytes) has the
 * ethertype at offset 6, a version 3 header (56 bytes) at 10. */
static uint32_t link_symantec(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "symantec");
    const uint16_t v2_type = packet_u16(p, at + 6), v3_type = packet_u16(p, at + 10);
    if (v2_type == 0 && v3_type == 0) return NO_LAYER;
    const uint32_t hdr_len = v2_type ? 44 : 56;
    if (!l2_fits(p, hdr_len)) return NO_LAYER;
    const uint16_t type = v2_type ? v2_type : v3_type;
    const unsigned version = type == ETH_P_IPV4 ? 4 : type == ETH_P_IPV6 ? 6 : 0;
    if (!link_carries_ip(d, at, at + hdr_len, version)) {
        /* T2QUIRK: T2 prints the type as it lies in memory (network order read as host) */
        dissect_warn(d, "Unhandled Ethertype 0x%04x for Symantec Enterprise Firewall",
                     (unsigned)(((type & 0xffu) << 8) | (type >> 8)));
    }
    return NO_LAYER;
}

/* --------------------------------------------------------------------- */
/* Ethernet and link types with an ethertype field                        */

/* An Ethernet header at `at` is the link header; the walk goes on at its
 * type field. */
static uint32_t ethernet_at(packet_t *p, uint32_t at)
{
    p->l2 = at;
    hdrdesc_add(p, "eth");
    return at + ETH_ADDRS_LEN;
}

/* Cisco ISL frames are sent to 01-00-0c-00-00 or 03-00-0c-00-00. */
static int is_isl(const packet_t *p, uint32_t at)
{
    const uint8_t first = packet_u8(p, at);
    return (first == 0x01 || first == 0x03) && packet_u32(p, at + 1) == 0x000c0000;
}

static uint32_t link_ethernet(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    if (!l2_fits(p, ETH_MIN_LEN)) return NO_LAYER;
    if (is_isl(p, at)) {
        hdrdesc_add(p, "isl:");
        if (!l2_fits(p, ETH_MIN_LEN + ISL_HDR_LEN)) return NO_LAYER;
        at += ISL_HDR_LEN;
    }
    return ethernet_at(p, at);
}

/* IEEE 802.3br frame preemption: an 8-byte preamble before the frame.
 * T2 checks the length before taking the preamble off (so L2 flows show
 * it in their lengths). */
static uint32_t link_mpacket(dissect_t *d, int linktype, uint32_t at)
{
    (void)linktype;
    hdrdesc_add(d->p, "fpp:");
    if (!l2_fits(d->p, ETH_MIN_LEN)) return NO_LAYER;
    return ethernet_at(d->p, at + 8);
}

/* Linux cooked capture v1: 16 bytes, the protocol last. */
static uint32_t link_sll(dissect_t *d, int linktype, uint32_t at)
{
    (void)linktype;
    hdrdesc_add(d->p, "sll");
    if (!l2_fits(d->p, 16)) return NO_LAYER;
    d->p->l2 = at;
    return at + 14;
}

/* Linux cooked capture v2 (20 bytes, the protocol first).  T2 0.9.3
 * refuses it; t2mini decodes it as v1, and rebuilds the v1 fields T2
 * shows as MAC addresses (packet type, address type and length, address)
 * in v1 layout. */
static uint32_t link_sll2(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "sll");
    if (!l2_fits(p, 20)) return NO_LAYER;
    p->l2 = at;
    p->l2Synth[1] = packet_u8(p, at + 10);     /* packet type */
    p->l2Synth[2] = packet_u8(p, at + 8);      /* address type */
    p->l2Synth[3] = packet_u8(p, at + 9);
    p->l2Synth[5] = packet_u8(p, at + 11);     /* address length */
    for (uint32_t i = 0; i < 6; i++) p->l2Synth[6 + i] = packet_u8(p, at + 12 + i);
    p->hasL2Synth = 1;
    dissect_type_field(d, at + 18, packet_u16(p, at));   /* payload at 20 */
    return NO_LAYER;
}

/* Cisco HDLC and Frame Relay, with or without a direction byte: T2 goes
 * on at the 2-byte protocol field as if it were an ethertype. */
static uint32_t link_chdlc(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    const int with_dir = linktype == LINKTYPE_C_HDLC_WITH_DIR || linktype == LINKTYPE_FRELAY_WITH_DIR;
    const int frame_relay = linktype == LINKTYPE_FRELAY || linktype == LINKTYPE_FRELAY_WITH_DIR;
    hdrdesc_add(p, frame_relay ? "fr" : "chdlc");
    p->l2 = at;
    p->status |= FS_L2_NO_ETH;
    return at + (with_dir ? 3 : 2);
}

/* --------------------------------------------------------------------- */
/* PPP                                                                    */

/* The protocol T2 reads from a PPP header at `at` (little-endian, as it
 * holds it) and the position of the payload behind it. */
static uint16_t ppp_protocol(const packet_t *p, uint32_t *at)
{
    const uint16_t first = u16le(p, *at);
    if (first != 0x03ff) {          /* no address and control field */
        *at += 2;
        return first;
    }
    *at += 4;
    return u16le(p, *at - 2);
}

static uint32_t link_ppp(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    const int with_dir = linktype == LINKTYPE_PPP_WITH_DIR;
    if (with_dir) at++;
    hdrdesc_add(p, "ppp");
    p->status |= FS_L2_NO_ETH | FS_PPP;
    p->l2 = with_dir ? at - 1 : at;
    const uint16_t addr_ctl = u16le(p, at);
    if (addr_ctl == 0x000f || addr_ctl == 0x008f) {      /* Cisco HDLC */
        hdrdesc_add(p, ":chdlc");
        return at + 2;
    }
    const uint16_t proto = ppp_protocol(p, &at);
    if (proto == 0x2100) inner_ipv4(d, at);
    else if (proto == 0x5700) inner_ipv6(d, at);
    else if (proto == 0x8102 || proto == 0x8302) {
        /* MPLS: T2 writes the MPLS ethertype over the first two bytes of
         * the label stack and goes on as if they were an Ethernet type
         * field, so the stack is read from two bytes further on */
        dissect_type_field(d, at, proto == 0x8102 ? 0x8847 : 0x8848);
    } else {
        hdrdesc_add_pppproto(p, proto);
    }
    return NO_LAYER;
}

/* --------------------------------------------------------------------- */
/* Juniper                                                                */

/* Where a Juniper frame goes on: an Ethernet header at `at`. */
static uint32_t juniper_ethernet(packet_t *p, uint32_t at)
{
    hdrdesc_add(p, ":eth");
    p->l2 = at;
    return at + ETH_ADDRS_LEN;
}

/* Juniper's link types: the magic "MGC", flags, an optional extension,
 * then IP, or Ethernet, or (flag "no L2") a protocol number first. */
static uint32_t link_juniper(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, "juniper");
    const uint32_t start = at;
    if (packet_u8(p, at) != 'M' || packet_u8(p, at + 1) != 'G' || packet_u8(p, at + 2) != 'C') {
        dissect_warn(d, "Juniper magic cookie not found");
        return NO_LAYER;
    }
    const uint8_t flags = packet_u8(p, at + 3);
    at += (flags & 0x80) ? 6u + packet_u16(p, at + 4) : 4u;   /* extension */
    unsigned version;
    if (flags & 0x02) {                       /* no L2 header */
        const uint32_t proto = u32le(p, at);
        at += 4;
        if (proto == 204) return juniper_ethernet(p, at);
        if (proto != 2 && proto != 6) {
            dissect_warn(d, "Unhandled Juniper protocol %u", (unsigned)proto);
            return NO_LAYER;
        }
        version = proto == 2 ? 4 : 6;
    } else {
        if (linktype == LINKTYPE_JUNIPER_ATM1) at += 4;   /* cookie */
        p->l3 = at;     /* T2QUIRK: stays set when Ethernet follows */
        version = packet_u8(p, at) >> 4;
        if (version != 4 && version != 6) return juniper_ethernet(p, at);
    }
    link_carries_ip(d, start, at, version);
    return NO_LAYER;
}

/* --------------------------------------------------------------------- */
/* PPI                                                                    */

/* The link type of the DLT_ number inside a PPI header (the two differ
 * only for raw IP), or -1. */
static int linktype_of_dlt(uint32_t dlt)
{
    /* T2QUIRK: only DLT_RAW as Linux's libpcap defines it (12); BSD/OS's
     * and OpenBSD's 14 is a link type T2 does not know */
    if (dlt == 12) return LINKTYPE_RAW;
    if (dlt == LINKTYPE_RAW) return -1;
    return dlt > INT32_MAX ? -1 : (int)dlt;
}

/* T2's warning for a frame of a link type it does not know inside PPI,
 * worded as libpcap names DLT values ("(null)" where it has no name, as
 * glibc prints a null string).  T2 prints the number as an int. */
static void warn_unsupported_dlt(dissect_t *d, uint32_t dlt)
{
    const long long as_int = dlt <= INT32_MAX ? (long long)dlt : (long long)dlt - 4294967296LL;
    const char *desc = dlt_description((int)as_int);
    const char *name = dlt_name((int)as_int);
    dissect_warn(d, "Unsupported link-layer type: %s [%s/%lld]",
                 desc ? desc : "(null)", name ? name : "(null)", as_int);
}

/* Per-Packet Information: a header, then a frame of the link type it
 * names; T2 takes the snapped L2 length off once. */
static uint32_t link_ppi(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "ppi:");
    const uint16_t len = u16le(p, at + 2);
    if (!l2_fits(p, (uint32_t)len + 1)) return NO_LAYER;
    p->snapL2Len -= len;
    const uint32_t dlt = u32le(p, at + 4);
    /* Two inner link types end T2's whole run (an error and exit(1)):
     * LAPD, whose flows T2 0.9.3 has disabled, and PPI again, which T2
     * takes for the capture's own link type and so for an unsupported
     * capture. */
    if (dlt == LINKTYPE_LAPD || dlt == LINKTYPE_LINUX_LAPD) {
        dissect_stop(d, "a LAPD frame inside PPI (T2 0.9.3 has LAPD flows disabled)");
        return NO_LAYER;
    }
    if (dlt == LINKTYPE_PPI) {
        dissect_stop(d, "unsupported link-layer type inside PPI: Per-Packet Information [PPI/192]");
        return NO_LAYER;
    }
    const int inner = linktype_of_dlt(dlt);
    if (!dissect_linktype_supported(inner)) {
        warn_unsupported_dlt(d, dlt);
        return NO_LAYER;
    }
    return link_layer(d, inner, at + len);
}

/* --------------------------------------------------------------------- */
/* the link types t2mini decodes                                          */

typedef uint32_t (*link_step_fn)(dissect_t *d, int linktype, uint32_t at);

static const struct {
    int linktype;
    link_step_fn step;
} link_steps[] = {
    { LINKTYPE_NULL,               link_null },
    { LINKTYPE_ETHERNET,           link_ethernet },
    { LINKTYPE_PPP,                link_ppp },
    { LINKTYPE_PPP_HDLC,           link_ppp },
    { LINKTYPE_SYMANTEC_FIREWALL,  link_symantec },
    { LINKTYPE_RAW,                link_raw },
    { LINKTYPE_C_HDLC,             link_chdlc },
    { LINKTYPE_IEEE802_11,         link_ieee80211 },
    { LINKTYPE_FRELAY,             link_chdlc },
    { LINKTYPE_LINUX_SLL,          link_sll },
    { LINKTYPE_IEEE802_11_PRISM,   link_prism },
    { LINKTYPE_IEEE802_11_RADIOTAP, link_radiotap },
    { LINKTYPE_JUNIPER_ATM1,       link_juniper },
    { LINKTYPE_JUNIPER_PPPOE,      link_juniper },
    { LINKTYPE_JUNIPER_ETHER,      link_juniper },
    { LINKTYPE_PPI,                link_ppi },
    { LINKTYPE_PPP_WITH_DIR,       link_ppp },
    { LINKTYPE_C_HDLC_WITH_DIR,    link_chdlc },
    { LINKTYPE_FRELAY_WITH_DIR,    link_chdlc },
    { LINKTYPE_IPV4,               link_ip_only },
    { LINKTYPE_IPV6,               link_ip_only },
    { LINKTYPE_ETHERNET_MPACKET,   link_mpacket },
    { LINKTYPE_LINUX_SLL2,         link_sll2 },
};

static link_step_fn link_step(int linktype)
{
    for (size_t i = 0; i < sizeof(link_steps) / sizeof(link_steps[0]); i++) {
        if (link_steps[i].linktype == linktype) return link_steps[i].step;
    }
    return NULL;
}

int dissect_linktype_supported(int linktype)
{
    return link_step(linktype) != NULL;
}

uint32_t link_layer(dissect_t *d, int linktype, uint32_t at)
{
    const link_step_fn step = link_step(linktype);
    return step ? step(d, linktype, at) : NO_LAYER;
}
