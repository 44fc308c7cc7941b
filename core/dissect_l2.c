/*
 * dissect_l2.c - what an ethertype field leads to (see dissect_steps.h).
 *
 * The link step (dissect_link.c) stops at an ethertype field, or at the
 * length field of an IEEE 802.3 frame, which T2 reads in the same place.
 * From there:
 *
 *   VLAN tags     802.1Q/802.1ad tags are skipped and counted ("vlan{2}")
 *   802.2 LLC     a length instead of a type: a SNAP header gives the
 *                 ethertype after all; other SAPs are named, and IP may
 *                 follow SAP 0x06
 *   the ethertype looked up in `ethertype_steps`: IPv4 and IPv6 hand over
 *                 to dissect_ipv4.c/dissect_ipv6.c, MPLS, ERSPAN and PPPoE
 *                 walk on, ARP and the other layer-2 protocols are named
 *                 and flagged; anything else gets its label
 *
 * A packet that holds no IP header T2 walks is a layer-2 flow, keyed on
 * its MAC addresses and ethertype (dispatch_l2()).  For a short frame T2
 * also works out the Ethernet padding, a little differently for LLC and
 * ARP frames (l2_padding()).
 */
#include <stdbool.h>
#include <stddef.h>

#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define ETH_P_MPLS_UC   0x8847
#define ETH_P_MPLS_MC   0x8848
#define ETH_P_PPPOE_D   0x8863
#define ETH_P_PPPOE_S   0x8864
#define ETH_P_ERSPAN    0x88be
#define ETH_P_SLOW      0x8809
#define ETH_P_JUMBO_LLC 0x8870
#define ETH_MAX_LENGTH  1500        /* an 802.3 length field, not a type */

static uint32_t ethertype(dissect_t *d, uint32_t at, uint16_t type);

/* --------------------------------------------------------------------- */
/* VLAN tags, and the end of the walk for layer-2 flows                   */

static bool is_vlan_tpid(uint16_t type)
{
    return type == 0x8100 || type == 0x88a8 || type == 0x9100 || type == 0x9200;
}

uint32_t dissect_vlans(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
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
    if (p->vlanCount > d->stats->max_vlan_count) d->stats->max_vlan_count = p->vlanCount;
    hdrdesc_add_repeated(p, ":vlan", count);
    p->vlanId = packet_u16(p, at - 2) & 0x0fff;
    return at;
}

/* The packet is a pure layer-2 packet: its payload starts at `l7`. */
static void dispatch_l2(packet_t *p, uint32_t l7)
{
    p->status |= FS_L2_FLOW;
    p->l7 = l7;
    const uint32_t l2_hdr_len = l7 - p->l2;
    p->l7Len = (uint16_t)(p->wirelen - l7);
    p->len = p->l7Len;                                  /* T2's packet length */
    p->snapL3Len = p->snapL2Len - l2_hdr_len;
    p->snapL4Len = (uint16_t)p->snapL3Len;
    p->snapL7Len = p->snapL4Len;
    p->dispatch = DISPATCH_L2;
}

/* T2 keeps a padding estimate only when it is not negative. */
static void set_pad(packet_t *p, int64_t pad)
{
    if (pad >= 0) p->padLen = pad;
}

/* The padding of a short layer-2 frame whose ethertype field ends up at
 * `type_at` (`type_or_len` is the field the frame started with). */
static int64_t l2_padding(const packet_t *p, uint32_t type_at, uint16_t type_or_len)
{
    const int64_t wire = p->wirelen;
    if (p->hasLLC) return wire - type_or_len - ((int64_t)type_at - 6);
    if (p->ethType == ETH_P_ARP) return wire - 28 - (int64_t)(type_at + 2);
    return wire - (int64_t)(type_at + 2);
}

/* --------------------------------------------------------------------- */
/* 802.2 LLC                                                              */

/* An LLC header at `llc` (the 802.3 length field `len` before it) that is
 * not SNAP: the SAP is named, or IP walked behind SAP 0x06. */
static void llc_payload(dissect_t *d, uint32_t llc, uint16_t len)
{
    packet_t *p = d->p;
    /* I and S frames have a 2-byte control field, U frames one byte */
    const uint32_t payload = llc + ((packet_u8(p, llc + 4) & 3) != 3 ? 6 : 5);
    const uint8_t dsap = packet_u8(p, llc + 2);
    if (dsap != 0x06) {
        hdrdesc_add_llcsap(p, dsap);
    } else if (ip_version_bits(p, payload) == 0x40) {
        inner_ipv4(d, payload);
        return;
    } else if (ip_version_bits(p, payload) == 0x60) {
        inner_ipv6(d, payload);
        return;
    } else {
        hdrdesc_add(p, ":ipvx");
        p->status |= FS_IPVX;
    }
    p->ethType = packet_u16(p, llc + 2);        /* the two SAPs */
    p->outerEthType = p->ethType;
    if (p->wirelen <= 64) set_pad(p, (int64_t)p->wirelen - len - (int64_t)(llc + 2));
    dispatch_l2(p, payload);
}

void dissect_type_field(dissect_t *d, uint32_t at, uint16_t type_or_len)
{
    packet_t *p = d->p;
    uint16_t type = type_or_len;
    if (type_or_len > ETH_MAX_LENGTH && type_or_len != ETH_P_JUMBO_LLC) {
        p->outerEthType = type_or_len;
    } else {                                  /* IEEE 802.3 with 802.2 LLC */
        hdrdesc_add(p, ":llc");
        p->hasLLC = 1;
        /* T2 counts the LLC header from the length field */
        if (packet_u8(p, at + 2) != 0xaa || packet_u8(p, at + 3) != 0xaa) {
            llc_payload(d, at, type_or_len);
            return;
        }
        at += 8;                              /* SNAP: an ethertype follows */
        type = packet_u16(p, at);
        p->outerEthType = type;
    }

    const uint32_t type_at = ethertype(d, at, type);
    if (type_at == NO_LAYER) return;           /* an IP packet was dissected */
    if (p->wirelen <= 64) set_pad(p, l2_padding(p, type_at, type_or_len));
    dispatch_l2(p, type_at + 2);
}

void dissect_ethernet_payload(dissect_t *d, uint32_t at)
{
    at = dissect_vlans(d, at);
    dissect_type_field(d, at, packet_u16(d->p, at));
}

/* --------------------------------------------------------------------- */
/* the ethertypes T2 walks                                                */

/* Whether the IP header at `at` carries the version its ethertype promised.
 * When it does not, T2 labels the packet `ipvx` and keeps it as a layer-2
 * flow, so this is where that label is given. */
static bool ip_version_is(dissect_t *d, uint32_t at, uint8_t version)
{
    packet_t *p = d->p;
    if ((packet_u8(p, at) >> 4) == version) return true;
    d->stats->ipvx_packets++;
    hdrdesc_add(p, ":ipvx");
    p->status |= FS_IPVX;
    return false;
}

/* Each ethertype step gets the position `at` of the type field (the
 * payload starts at at + 2).  It returns NO_LAYER when an IP packet was
 * found and dissected, otherwise the position of the ethertype field of
 * what becomes a layer-2 flow. */
typedef uint32_t (*ethertype_step_fn)(dissect_t *d, uint32_t at, uint16_t type);

/* IPv4 and IPv6, if the version nibble agrees with the ethertype. */
static uint32_t ethertype_ip(dissect_t *d, uint32_t at, uint16_t type)
{
    const int v6 = type == ETH_P_IPV6;
    d->p->l3 = at + 2;
    if (!ip_version_is(d, at + 2, v6 ? 6 : 4)) return at;
    if (v6) dissect_ipv6(d);
    else dissect_ipv4(d);
    return NO_LAYER;
}

/* An MPLS label stack: its payload is IPv4, IPv6 or, per T2's heuristic,
 * Ethernet (after an optional control word). */
static uint32_t ethertype_mpls(dissect_t *d, uint32_t at, uint16_t type)
{
    packet_t *p = d->p;
    p->status |= type == ETH_P_MPLS_UC ? FS_MPLS_UCAST : FS_MPLS_MCAST;
    uint32_t label = at + 2;
    unsigned count = 1;
    while (!(packet_u8(p, label + 2) & 0x01) && (int64_t)label <= (int64_t)p->caplen - 4) {
        label += 4;                           /* not the bottom of the stack */
        count++;
    }
    const uint32_t payload = label + 4;
    p->mplsCount = (uint8_t)(p->mplsCount + count);
    if (p->mplsCount > d->stats->max_mpls_count) d->stats->max_mpls_count = p->mplsCount;
    hdrdesc_add_repeated(p, ":mpls", count);

    const uint8_t version = ip_version_bits(p, payload);
    if (version == 0x40) { inner_ipv4(d, payload); return NO_LAYER; }
    if (version == 0x60) { inner_ipv6(d, payload); return NO_LAYER; }
    uint32_t eth = payload;
    if (version == 0) {                       /* pseudowire control word */
        hdrdesc_add(p, ":pwethcw");
        eth += 4;
    }
    hdrdesc_add(p, ":eth");
    p->l2 = eth;
    const uint32_t type_at = dissect_vlans(d, eth + 12);
    return ethertype(d, type_at, packet_u16(p, type_at));
}

/* ERSPAN type I: an Ethernet frame right behind the type, without GRE. */
static uint32_t ethertype_erspan(dissect_t *d, uint32_t at, uint16_t type)
{
    packet_t *p = d->p;
    (void)type;
    p->status |= FS_ERSPAN;
    hdrdesc_add(p, ":erspan");
    hdrdesc_add(p, ":eth");
    p->l2 = at + 10;
    return ethertype(d, at + 22, packet_u16(p, at + 22));
}

static uint32_t ethertype_pppoe_session(dissect_t *d, uint32_t at, uint16_t type)
{
    (void)type;
    return dissect_pppoe_session(d, at, at + 2);
}

uint32_t dissect_pppoe_session(dissect_t *d, uint32_t type_at, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":pppoes");
    p->status |= FS_PPPOE_S;
    hdrdesc_add(p, ":ppp");
    const uint16_t proto = u16le(p, at + 6);
    if (proto == 0x2100) { inner_ipv4(d, at + 8); return NO_LAYER; }
    if (proto == 0x5700) { inner_ipv6(d, at + 8); return NO_LAYER; }
    hdrdesc_add_pppproto(p, proto);
    return type_at;
}

/* The slow protocols: T2 names the subtype from the second payload byte. */
static uint32_t ethertype_slow(dissect_t *d, uint32_t at, uint16_t type)
{
    packet_t *p = d->p;
    (void)type;
    hdrdesc_add(p, ":slow");
    switch (packet_u8(p, at + 3)) {
        case 1:  hdrdesc_add(p, ":lacp");   break;
        case 2:  hdrdesc_add(p, ":marker"); break;
        case 3:  hdrdesc_add(p, ":oampdu"); break;
        case 10: hdrdesc_add(p, ":ossp");   break;
        default: break;
    }
    return at;
}

/* What T2 does with an ethertype: walk on (`step`), or give the layer-2
 * flow a label and a status bit. */
typedef struct {
    uint16_t type;
    ethertype_step_fn step;
    const char *label;
    uint64_t status;
} ethertype_entry_t;

static const ethertype_entry_t ethertype_steps[] = {
    { ETH_P_IPV4,     ethertype_ip,            NULL,       0 },
    { ETH_P_ARP,      NULL,                    ":arp",     FS_ARP },
    { ETH_P_RARP,     NULL,                    ":rarp",    FS_RARP },
    { 0x80f3,         NULL,                    ":aarp",    FS_ARP },
    { ETH_P_IPV6,     ethertype_ip,            NULL,       0 },
    { ETH_P_SLOW,     ethertype_slow,          NULL,       0 },
    { ETH_P_MPLS_UC,  ethertype_mpls,          NULL,       0 },
    { ETH_P_MPLS_MC,  ethertype_mpls,          NULL,       0 },
    { ETH_P_PPPOE_D,  NULL,                    ":pppoed",  FS_PPPOE_D },
    { ETH_P_PPPOE_S,  ethertype_pppoe_session, NULL,       0 },
    { ETH_P_ERSPAN,   ethertype_erspan,        NULL,       0 },
    { 0x88cc,         NULL,                    ":lldp",    FS_LLDP },
};

/* The protocol named by ethertype `type`, whose field is at `at`. */
static uint32_t ethertype(dissect_t *d, uint32_t at, uint16_t type)
{
    packet_t *p = d->p;
    p->ethType = type;
    const size_t count = sizeof(ethertype_steps) / sizeof(ethertype_steps[0]);
    for (size_t i = 0; i < count; i++) {
        const ethertype_entry_t *e = &ethertype_steps[i];
        if (e->type != type) continue;
        if (e->step) return e->step(d, at, type);
        hdrdesc_add(p, e->label);
        p->status |= e->status;
        return at;
    }
    hdrdesc_add_ethertype(p, type);
    return at;
}

/* --------------------------------------------------------------------- */
/* EtherIP                                                                */

uint32_t dissect_etherip_frame(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    hdrdesc_add(p, ":etherip");
    hdrdesc_add(p, ":eth");
    p->status |= FS_ETHIP;
    p->snapL2Len -= (uint16_t)(at - p->l2 + 2);   /* the 2-byte EtherIP header */
    p->l2 = at + 2;
    return dissect_vlans(d, at + 14);
}
