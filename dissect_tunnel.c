/*
 * dissect_tunnel.c - tunnels T2 recognises by the UDP (or TCP/SCTP) ports of a
 * packet: GTP, VXLAN, GENEVE, CAPWAP, LWAPP, L2TP, Teredo and AYIYA (see
 * dissect_steps.h).
 *
 * tunnel_by_port() tries them in T2's order.  A tunnel that carries an IP
 * packet walks it (inner_ipv4()/inner_ipv6()), so the flow is keyed on the
 * innermost header; one that carries Ethernet or 802.11 moves the packet's
 * link header inside while it looks, and puts it back when it finds no IP
 * packet there, keeping the names it added to hdrDesc, as T2 does.
 */
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

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
    uint32_t at = tags ? dissect_vlans(p, typeAt) : typeAt;
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
            return dissect_pppoe_session(p, at, at + 2) == NO_LAYER ? STEP_DONE : STEP_CONTINUE;
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

/* VXLAN (4789, 8472) and VXLAN-GPE (4790). */
static step_t vxlan(packet_t *p, uint32_t at)
{
    const outer_link_t outer = outer_link(p);
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
                    /* the length in 4-byte words: T2 reads the first
                     * 16 bits in host order, so it is byte 1's low bits */
                    const uint32_t len = (uint32_t)(packet_u8(p, nsh + 1) & 0x3f) << 2;
                    next = packet_u8(p, nsh + 3);
                    /* T2 loops forever on an NSH header of length 0 that
                     * names NSH as the next protocol; t2mini stops there */
                    if (len == 0 && next == 4) goto reset;
                    inner += len;
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
    return back_to_outer_link(p, outer);
}

/* GENEVE (6081) carrying Ethernet. */
static step_t geneve(packet_t *p, uint32_t at)
{
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
        if (tunnelled_ethertype(p, inner + 12, p->snapL2Len >= 4, TUN_VXLAN) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    return back_to_outer_link(p, outer);
}

/* CAPWAP (5246 control, 5247 data) carrying IEEE 802.3 or 802.11 frames. */
static step_t capwap(packet_t *p, uint32_t at)
{
    const outer_link_t outer = outer_link(p);
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
    const int tags = (uint32_t)(outer.snapL2Len - skip) >= 4;
    if (flagT == 0) {                         /* IEEE 802.3 frame */
        hdrdesc_add(p, ":eth");
        p->snapL2Len -= skip;
        p->l2 = inner;
        if (tunnelled_ethertype(p, inner + 12, tags, TUN_CAPWAP) == STEP_DONE) return STEP_DONE;
    } else {                                  /* IEEE 802.11 frame */
        const uint32_t typeAt = link_wlan_data(p, inner, 1);
        if (typeAt != NO_LAYER && tunnelled_ethertype(p, typeAt, tags, TUN_CAPWAP) == STEP_DONE) {
            return STEP_DONE;
        }
    }
    return back_to_outer_link(p, outer);
}

/* LWAPP (12222 data, 12223 control) carrying IEEE 802.11 frames. */
static step_t lwapp(packet_t *p, uint32_t at)
{
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
    const uint32_t typeAt = link_wlan_data(p, inner, 1);
    if (typeAt != NO_LAYER) {
        const int tags = (uint32_t)(p->snapL2Len - skip) >= 4;
        if (tunnelled_ethertype(p, typeAt, tags, TUN_LWAPP) == STEP_DONE) return STEP_DONE;
    }
    /* sic: T2 adds back to the snapped L2 length what it never took off */
    outer.snapL2Len += skip;
    return back_to_outer_link(p, outer);
}

/* L2TP over UDP (1701): PPP carrying IP. */
step_t tunnel_l2tp(packet_t *p, uint32_t at)
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
step_t tunnel_by_port(packet_t *p, uint8_t proto, uint32_t hdrLen, int *priproto)
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
    TRY(sport == 1701 || dport == 1701, tunnel_l2tp)
    TRY(sport > 1024 && dport > 1024, teredo)
#undef TRY
    return STEP_CONTINUE;
}
