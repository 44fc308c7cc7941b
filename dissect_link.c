/*
 * dissect_link.c - the link layer of a record, the first step of the header
 * walk (see dissect_steps.h).
 *
 * link_layer() names the link header of the capture's link type and says
 * where the walk goes on: at an ethertype field (Ethernet and the link
 * types that carry one), or nowhere when it dissected an IP packet itself
 * (raw IP, loopback, PPP, ...) or gave up.  IEEE 802.11 frames, as a link
 * type or inside LWAPP and CAPWAP tunnels, go through link_wlan_data().
 *
 * As everywhere in the walk, T2 0.9.3's quirks are kept and marked "sic".
 */
#include <stdio.h>

#include "read_capture.h"
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

/* An IEEE 802.11 frame at `at`: a link type of its own, or inside LWAPP
 * or CAPWAP, whose access points send the two frame control bytes swapped
 * (`swapped`).  T2 walks only unprotected data frames that carry data.
 * Returns the position of the ethertype in the 802.2 SNAP header behind
 * the 802.11 header, or NO_LAYER. */
uint32_t link_wlan_data(packet_t *p, uint32_t at, int swapped)
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
            dissect_type_field(p, at, proto == 0x8102 ? 0x8847 : 0x8848);
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
        dissect_warn_text("Juniper magic cookie not found");
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
            dissect_warn("Unhandled Juniper protocol %u", proto);
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
    if (proto == 2) dissect_ipv4(p); else dissect_ipv6(p);
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

/* T2's warning for a frame of a link type it does not know inside PPI,
 * worded as libpcap names DLT values ("(null)" where it has no name, as
 * glibc prints a null string).  T2 prints the number as an int. */
static void warn_unsupported_dlt(uint32_t dlt)
{
    const long long asInt = dlt <= INT32_MAX ? (long long)dlt : (long long)dlt - 4294967296LL;
    const char *desc = dlt_description((int)asInt);
    const char *name = dlt_name((int)asInt);
    char text[256];
    snprintf(text, sizeof(text), "Unsupported link-layer type: %s [%s/%lld]",
             desc ? desc : "(null)", name ? name : "(null)", asInt);
    dissect_warn_text(text);
}

/* The link header of type `linktype` at `at` (0, or behind a PPI header).
 * Returns the position of an ethertype field to go on from, or NO_LAYER
 * when the record is done (or cannot be dissected). */
uint32_t link_layer(packet_t *p, int linktype, uint32_t at)
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
                case 2: dissect_ipv4(p); break;
                case 10: case 23: case 24: case 26: case 28: case 30: dissect_ipv6(p); break;
                default: dissect_warn("Null/Loopback header: unhandled family %u", family); break;
            }
            return NO_LAYER;
        }
        case LINKTYPE_RAW:
            hdrdesc_add(p, "raw");
            p->l2 = at;
            p->l3 = at;
            p->status |= FS_L2_NO_ETH;
            switch (packet_u8(p, at) & 0xf0) {
                case 0x40: dissect_ipv4(p); break;
                case 0x60: dissect_ipv6(p); break;
                default: dissect_warn("Unknown IP protocol %u in raw pcap", packet_u8(p, at) >> 4u); break;
            }
            return NO_LAYER;
        case LINKTYPE_IPV4:
        case LINKTYPE_IPV6:
            p->l2 = at;
            p->l3 = at;
            p->status |= FS_L2_NO_ETH;
            if (linktype == LINKTYPE_IPV4) dissect_ipv4(p); else dissect_ipv6(p);
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
            dissect_type_field(p, at + 18, packet_u16(p, at));   /* payload at 20 */
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
            return link_wlan_data(p, at, 0);
        case LINKTYPE_IEEE802_11_RADIOTAP:
            hdrdesc_add(p, "radiotap");
            at += u16le(p, at + 2);           /* radiotap header length */
            p->l2 = at;
            return link_wlan_data(p, at, 0);
        case LINKTYPE_IEEE802_11_PRISM:
            hdrdesc_add(p, "prism");
            at += 144;                        /* T2 takes the usual length */
            p->l2 = at;
            return link_wlan_data(p, at, 0);
        case LINKTYPE_PPI: {
            /* Per-Packet Information: a header, then a frame of the link
             * type it names; T2 takes the snapped L2 length off once */
            hdrdesc_add(p, "ppi:");
            const uint16_t len = u16le(p, at + 2);
            if (!l2_fits(p, (uint32_t)len + 1)) return NO_LAYER;
            p->snapL2Len -= len;
            const uint32_t dlt = u32le(p, at + 4);
            /* Two inner link types end T2's whole run (an error and
             * exit(1)): LAPD, whose flows T2 0.9.3 has disabled, and PPI
             * again, which T2 takes for the capture's own link type and
             * so for an unsupported capture. */
            if (dlt == LINKTYPE_LAPD || dlt == LINKTYPE_LINUX_LAPD) {
                dissect_stop(p, "a LAPD frame inside PPI (T2 0.9.3 has LAPD flows disabled)");
                return NO_LAYER;
            }
            if (dlt == LINKTYPE_PPI) {
                dissect_stop(p, "unsupported link-layer type inside PPI: Per-Packet Information [PPI/192]");
                return NO_LAYER;
            }
            const int inner = linktype_of_dlt(dlt);
            if (!dissect_linktype_supported(inner)) {
                warn_unsupported_dlt(dlt);
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
            if (type == ETH_P_IPV4) dissect_ipv4(p);
            else if (type == ETH_P_IPV6) dissect_ipv6(p);
            else dissect_warn("Unhandled Ethertype 0x%04x for Symantec Enterprise Firewall", type);
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
