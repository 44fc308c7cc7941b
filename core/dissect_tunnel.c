/*
 * dissect_tunnel.c - tunnels T2 recognises by the UDP (or TCP/SCTP) ports of a
 * packet: GTP, VXLAN, GENEVE, CAPWAP, LWAPP, L2TP, Teredo and AYIYA (see
 * dissect_steps.h).
 *
 * tunnel_by_port() tries AYIYA over any transport with ports, then the
 * UDP tunnels in `udp_tunnels`, in T2's order: each entry pairs a port
 * test with the tunnel's step.  A tunnel that carries an IP packet walks
 * it (inner_ipv4()/inner_ipv6()), so the flow is keyed on the innermost
 * header; one that carries Ethernet or 802.11 moves the packet's link
 * header inside while it looks, and puts it back when it finds no IP
 * packet there, keeping the names it added to hdrDesc, as T2 does.
 */
#include <stddef.h>

#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

static int port_above(uint16_t a, uint16_t b, uint16_t port)
{
    return (a == port && b > 1024) || (b == port && a > 1024);
}

/* AYIYA (anything in anything), port 5072. */
static step_t ayiya(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    const uint8_t id_len = packet_u8(p, at) >> 4;
    const uint8_t sig_len = packet_u8(p, at + 1) >> 4;
    const uint32_t skip = 8u + (1u << id_len) + ((uint32_t)sig_len << 2);
    if (at + skip >= p->caplen) return STEP_CONTINUE;
    const uint32_t inner = at + skip;
    const uint8_t next = packet_u8(p, at + 3);      /* an IP protocol number */
    const int ipv4 = next == IPPROTO_T_IPIP && ip_version_bits(p, inner) == 0x40;
    const int ipv6 = next == IPPROTO_T_IPV6 && ip_version_bits(p, inner) == 0x60;
    if (ipv4 || ipv6 || next == IPPROTO_T_NONE) {
        hdrdesc_add(p, ":ayiya");
        p->status |= FS_AYIYA;
    }
    if (ipv4) return inner_ipv4(d, inner);
    if (ipv6) return inner_ipv6(d, inner);
    /* IP whose version nibble disagrees: on with the outer packet */
    if (next != IPPROTO_T_IPIP && next != IPPROTO_T_IPV6) p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* GTP (GPRS tunnelling), ports 2123/2152/3386: T-PDUs carry IP. */
static step_t gtp(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
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
        case 0x40: return inner_ipv4(d, inner);
        case 0x60: return inner_ipv6(d, inner);
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

/* What follows the ethertype field at `type_at` of a frame inside a tunnel
 * (Ethernet, or 802.11 with its SNAP header); `tags` says whether VLAN
 * tags are looked for.  Returns DONE when an IP packet was dissected;
 * otherwise the caller undoes the move of the link header. */
static step_t tunnelled_ethertype(dissect_t *d, uint32_t type_at, int tags, tunnel_t tunnel)
{
    packet_t *p = d->p;
    uint32_t at = tags ? dissect_vlans(d, type_at) : type_at;
    /* T2QUIRK: behind VLAN tags T2 takes the ethertype field itself as the
     * start of the payload (so a tagged inner IP header never parses) */
    uint32_t payload = at == type_at ? at + 2 : at;
    if (at != type_at && tunnel != TUN_VXLAN) {
        const uint16_t type_or_len = packet_u16(p, at);
        if (type_or_len <= 1500 || type_or_len == 0x8870) {
            hdrdesc_add(p, ":llc");
            p->hasLLC = 1;
            at += 8;
            payload = at;
        }
    }
    switch (packet_u16(p, at)) {
        case ETH_P_IPV4: return inner_ipv4(d, payload);
        case ETH_P_IPV6: return inner_ipv6(d, payload);
        case 0x8863:
            if (tunnel != TUN_VXLAN) break;
            hdrdesc_add(p, ":pppoed");
            p->status |= FS_PPPOE_D;
            return STEP_CONTINUE;
        case 0x8864:
            if (tunnel != TUN_VXLAN) break;
            return dissect_pppoe_session(d, at, at + 2) == NO_LAYER ? STEP_DONE : STEP_CONTINUE;
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

/* The link header as it was before a tunnel step moved it inside the
 * tunnel (VXLAN, GENEVE, CAPWAP, LWAPP).  When no IP packet turns up
 * inside, T2 puts it back, keeps the names added to hdrDesc and the status
 * bits, and stops the walk. */
typedef struct {
    uint32_t l2, l3, snapL2Len;
} outer_link_t;

static outer_link_t outer_link(const packet_t *p)
{
    const outer_link_t o = { p->l2, p->l3, p->snapL2Len };
    return o;
}

static step_t back_to_outer_link(packet_t *p, outer_link_t o)
{
    p->l2 = o.l2;
    p->l3 = o.l3;
    p->snapL2Len = o.snapL2Len;
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* VXLAN (ports 4789, 8472): an 8-byte header whose reserved fields are 0,
 * then an Ethernet frame.  VXLAN-GPE (4790) reserves other bits, and with
 * its P flag set a "next protocol" field says what follows: IPv4, IPv6,
 * Ethernet, MPLS or NSH (a service header that names the next protocol in
 * turn). */
#define VXLAN_HDR_LEN   8
#define VXLAN_GPE_PORT  4790
#define GPE_NEXT_IPV4   1
#define GPE_NEXT_IPV6   2
#define GPE_NEXT_ETH    3
#define GPE_NEXT_NSH    4
#define GPE_NEXT_MPLS   5

static int vxlan_reserved_zero(const packet_t *p, uint32_t at, int gpe)
{
    const int flags_end = gpe ? packet_u16(p, at + 1) == 0 : packet_u8(p, at + 1) == 0;
    return flags_end && packet_u8(p, at + 7) == 0;
}

/* What a VXLAN-GPE payload turned out to be. */
typedef enum {
    GPE_ETHERNET,   /* an Ethernet frame: walk it as plain VXLAN's */
    GPE_WALKED,     /* an IP packet, dissected */
    GPE_LEFT,       /* MPLS: T2 goes no further, the link header moved */
    GPE_GIVE_UP     /* anything else: the outer link header is restored */
} gpe_payload_t;

/* The payload at *inner of a VXLAN-GPE header whose next protocol is
 * `next`; NSH headers in front are stepped over, moving *inner. */
static gpe_payload_t gpe_payload(dissect_t *d, uint32_t *inner, uint8_t next)
{
    packet_t *p = d->p;
    while (next == GPE_NEXT_NSH) {
        hdrdesc_add(p, ":nsh");
        /* its length in 4-byte words: T2 reads the first 16 bits in host
         * order, so it takes the low 6 bits of the second byte */
        const uint32_t len = (uint32_t)(packet_u8(p, *inner + 1) & 0x3f) << 2;
        next = packet_u8(p, *inner + 3);
        /* T2 loops forever on an empty NSH header naming NSH next;
         * t2mini gives up there */
        if (len == 0 && next == GPE_NEXT_NSH) return GPE_GIVE_UP;
        *inner += len;
    }
    if (next == GPE_NEXT_IPV4) { inner_ipv4(d, *inner); return GPE_WALKED; }
    if (next == GPE_NEXT_IPV6) { inner_ipv6(d, *inner); return GPE_WALKED; }
    if (next == GPE_NEXT_ETH) return GPE_ETHERNET;
    if (next != GPE_NEXT_MPLS) return GPE_GIVE_UP;
    hdrdesc_add(p, ":mpls");
    p->status |= FS_MPLS_UCAST | FS_MPLS_MCAST;
    return GPE_LEFT;
}

static step_t vxlan(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    const outer_link_t outer = outer_link(p);
    const int gpe = p->srcPort == VXLAN_GPE_PORT || p->dstPort == VXLAN_GPE_PORT;
    uint32_t inner = at + VXLAN_HDR_LEN;
    if (inner >= p->caplen || !vxlan_reserved_zero(p, at, gpe)) return STEP_CONTINUE;
    p->status |= FS_VXLAN;
    hdrdesc_add(p, gpe ? ":vxlan_gpe" : ":vxlan");
    p->snapL2Len -= inner - p->l2;            /* the frame inside is the link */
    p->l2 = inner;
    if (gpe && (packet_u8(p, at) & 0x04)) {   /* P: the next protocol is set */
        const gpe_payload_t what = gpe_payload(d, &inner, packet_u8(p, at + 3));
        if (what == GPE_WALKED) return STEP_DONE;
        if (what == GPE_LEFT) return STEP_CONTINUE;
        if (what == GPE_GIVE_UP) return back_to_outer_link(p, outer);
    }
    hdrdesc_add(p, ":eth");
    if (tunnelled_ethertype(d, inner + 12, p->snapL2Len >= 4, TUN_VXLAN) == STEP_DONE) return STEP_DONE;
    return back_to_outer_link(p, outer);
}

/* GENEVE (6081) carrying Ethernet. */
static step_t geneve(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    const outer_link_t outer = outer_link(p);
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
        if (tunnelled_ethertype(d, inner + 12, p->snapL2Len >= 4, TUN_VXLAN) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    return back_to_outer_link(p, outer);
}

/* CAPWAP (5246 control, 5247 data) carrying IEEE 802.3 or 802.11 frames. */
static step_t capwap(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    const outer_link_t outer = outer_link(p);
    if (at + 8 > p->caplen) return STEP_CONTINUE;
    const uint8_t b0 = packet_u8(p, at), b1 = packet_u8(p, at + 1), b2 = packet_u8(p, at + 2);
    const uint8_t b3 = packet_u8(p, at + 3);
    const unsigned type = b0 & 0x0f, version = b0 >> 4;
    const unsigned hlen = b1 >> 3, flag_t = b2 & 1, wbid = (b2 >> 1) & 0x1f;
    const unsigned flags_res = b3 & 7, flag_k = (b3 >> 3) & 1, flag_f = b3 >> 7;
    const uint16_t frag_off = packet_u16(p, at + 6);
    uint32_t inner = at;
    if (type == 0) {
        inner += hlen << 2;
        if (inner >= p->caplen) return STEP_CONTINUE;
    }
    const uint32_t skip = inner - p->l2;
    if (flags_res != 0 || (frag_off & 3) != 0 || version != 0 || (flag_t == 1 && wbid != 1)) {
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
    if (flag_k || control || (flag_f && (frag_off >> 3) != 0)) {
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    /* T2 looks for VLAN tags unless the frame has fewer than 4 bytes
     * (an unsigned difference: a negative one counts as many) */
    const int tags = (uint32_t)(outer.snapL2Len - skip) >= 4;
    if (flag_t == 0) {                         /* IEEE 802.3 frame */
        hdrdesc_add(p, ":eth");
        p->snapL2Len -= skip;
        p->l2 = inner;
        if (tunnelled_ethertype(d, inner + 12, tags, TUN_CAPWAP) == STEP_DONE) return STEP_DONE;
    } else {                                  /* IEEE 802.11 frame */
        const uint32_t type_at = link_wlan_data(d, inner, 1);
        if (type_at != NO_LAYER && tunnelled_ethertype(d, type_at, tags, TUN_CAPWAP) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    return back_to_outer_link(p, outer);
}

/* LWAPP (12222 data, 12223 control) carrying IEEE 802.11 frames. */
static step_t lwapp(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    outer_link_t outer = outer_link(p);
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
    const uint32_t type_at = link_wlan_data(d, inner, 1);
    if (type_at != NO_LAYER) {
        const int tags = (uint32_t)(p->snapL2Len - skip) >= 4;
        if (tunnelled_ethertype(d, type_at, tags, TUN_LWAPP) == STEP_DONE) return STEP_DONE;
    }
    /* T2QUIRK: T2 adds back to the snapped L2 length what it never took off */
    outer.snapL2Len += skip;
    return back_to_outer_link(p, outer);
}

/* L2TP over UDP (1701): PPP carrying IP. */
step_t tunnel_l2tp(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
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
    if (proto == 0x2100) return inner_ipv4(d, at);
    if (proto == 0x5700) return inner_ipv6(d, at);
    hdrdesc_add_pppproto(p, proto);
    p->status |= FS_STOP_DISSECT;
    return STEP_CONTINUE;
}

/* Teredo: IPv6 over UDP, tried for every UDP packet between high ports. */
static step_t teredo(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
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
    return inner_ipv6(d, at);
}

/* --------------------------------------------------------------------- */
/* which tunnel, by port                                                  */

static int is_gtp_port(uint16_t s, uint16_t d)
{
    return port_above(s, d, 2152) || port_above(s, d, 2123) || port_above(s, d, 3386);
}

static int is_vxlan_port(uint16_t s, uint16_t d)
{
    /* T2QUIRK: T2 requires the destination port above 1024 either way */
    const int sv = s == 4789 || s == VXLAN_GPE_PORT || s == 8472;
    const int dv = d == 4789 || d == VXLAN_GPE_PORT || d == 8472;
    return (sv || dv) && d > 1024;
}

static int is_geneve_port(uint16_t s, uint16_t d) { return port_above(s, d, 6081); }

static int is_capwap_port(uint16_t s, uint16_t d)
{
    return port_above(s, d, 5246) || port_above(s, d, 5247);
}

static int is_lwapp_port(uint16_t s, uint16_t d)
{
    return port_above(s, d, 12222) || port_above(s, d, 12223);
}

static int is_l2tp_port(uint16_t s, uint16_t d) { return s == 1701 || d == 1701; }

static int is_teredo_port(uint16_t s, uint16_t d) { return s > 1024 && d > 1024; }

/* The UDP tunnels, in the order T2 tries them. */
static const struct {
    int (*matches)(uint16_t sport, uint16_t dport);
    step_t (*step)(dissect_t *d, uint32_t at);
} udp_tunnels[] = {
    { is_gtp_port,    gtp },
    { is_vxlan_port,  vxlan },
    { is_geneve_port, geneve },
    { is_capwap_port, capwap },
    { is_lwapp_port,  lwapp },
    { is_l2tp_port,   tunnel_l2tp },
    { is_teredo_port, teredo },
};

/* AYIYA is tried over any transport with a port (over SCTP it is only
 * named); it needs room for its header in the IP length. */
static step_t ayiya_by_port(dissect_t *d, uint8_t proto, uint32_t hdr_len, int *priproto)
{
    packet_t *p = d->p;
    if (proto == IPPROTO_T_SCTP) {
        if (*priproto) { hdrdesc_add(p, ":sctp"); *priproto = 0; }
        hdrdesc_add(p, ":ayiya");
        p->status |= FS_STOP_DISSECT;
        return STEP_CONTINUE;
    }
    const int64_t room = (int64_t)packet_u16(p, p->l3 + 2) - p->l3HdrLen - hdr_len - 8;
    if (room < 0) return STEP_CONTINUE;
    if (*priproto) { hdrdesc_add_ipproto(p, proto); *priproto = 0; }
    return ayiya(d, p->l4 + hdr_len);
}

/* Tunnels T2 recognises by port, in T2's order; each is tried while the
 * walk has not stopped.  `hdr_len` is the transport header's length. */
step_t tunnel_by_port(dissect_t *d, uint8_t proto, uint32_t hdr_len, int *priproto)
{
    packet_t *p = d->p;
    const uint16_t sport = p->srcPort, dport = p->dstPort;
    if (!(p->status & FS_STOP_DISSECT) && port_above(sport, dport, 5072) &&
        ayiya_by_port(d, proto, hdr_len, priproto) == STEP_DONE) {
        return STEP_DONE;
    }
    if (proto != IPPROTO_T_UDP) return STEP_CONTINUE;
    for (size_t i = 0; i < sizeof(udp_tunnels) / sizeof(udp_tunnels[0]); i++) {
        if ((p->status & FS_STOP_DISSECT) || !udp_tunnels[i].matches(sport, dport)) continue;
        if (*priproto) { hdrdesc_add(p, ":udp"); *priproto = 0; }
        if (udp_tunnels[i].step(d, p->l4 + hdr_len) == STEP_DONE) return STEP_DONE;
    }
    return STEP_CONTINUE;
}
