/*
 * dissect_steps.h - what the files of the header walk share.
 *
 * The walk (dissect.h) is split by protocol step, one file per layer:
 *
 *   dissect.c            the entry point, and the warnings the walk prints
 *   dissect_link.c       the link header, by link type (a dispatch table)
 *   dissect_wlan.c       IEEE 802.11 data frames, radiotap and Prism headers
 *   dissect_l2.c         what an ethertype field leads to: VLAN tags, 802.2
 *                        LLC/SNAP, MPLS, PPPoE, ARP, ...; layer-2 flows
 *   dissect_ipv4.c       the IPv4 header, what it encapsulates, its transport
 *   dissect_ipv6.c       the IPv6 header and its extension header chain
 *   dissect_gre.c        GRE, inside IPv4, inside IPv6, and met again
 *   dissect_transport.c  TCP/UDP ports and what T2 finds on them (DTLS,
 *                        SSDP, UDP-encapsulated ESP)
 *   dissect_tunnel.c     tunnels found by UDP port: GTP, VXLAN, GENEVE,
 *                        CAPWAP, LWAPP, L2TP, Teredo, AYIYA
 *   dissect_hdrdesc.c    the headers description and the protocol labels
 *
 * Every step gets the walk's context, a dissect_t: the packet being walked
 * and the run's counters (as tcpdump's printers get `ndo`).  A step reads
 * its header with bounds-checked reads (packet_u8() and friends in
 * packet.h), names it in hdrDesc, and either hands over to the next step
 * or says where it stopped.  Only the walk includes this header; the rest
 * of t2mini uses dissect.h.
 */
#ifndef T2MINI_DISSECT_STEPS_H
#define T2MINI_DISSECT_STEPS_H

#include <stdint.h>

#include "dissect.h"
#include "packet.h"

/* The context of one walk: what every step gets. */
typedef struct {
    packet_t *p;                /* the record being walked */
    dissect_stats_t *stats;     /* the run's counters and warning stream */
} dissect_t;

/* A step either dissected the IP packet inside it (DONE), or the walk
 * goes on with the outer packet (CONTINUE). */
typedef enum { STEP_CONTINUE, STEP_DONE } step_t;

/* Some T2 tests read a 16/32-bit field in host (little-endian) order and
 * compare it with a byte-swapped constant; these give the same value. */
static inline uint16_t u16le(const packet_t *p, uint32_t off)
{
    return (uint16_t)(packet_u8(p, off) | packet_u8(p, off + 1) << 8);
}

static inline uint32_t u32le(const packet_t *p, uint32_t off)
{
    return (uint32_t)u16le(p, off) | (uint32_t)u16le(p, off + 2) << 16;
}

/* The version nibble of the IP header at `at`, in place: 0x40, 0x60, ... */
static inline uint8_t ip_version_bits(const packet_t *p, uint32_t at)
{
    return packet_u8(p, at) & 0xf0;
}

/* T2_CHECK_SNAP_L2: is the record at least `len` bytes long? */
static inline int l2_fits(packet_t *p, uint32_t len)
{
    if (p->snapL2Len >= len) return 1;
    p->status |= FS_L2_SNAPPED;
    return 0;
}

/* dissect.c: "[WRN] ..." lines of the end report (printf-style). */
#ifdef __GNUC__
#define DISSECT_PRINTF(fmt, first) __attribute__((format(printf, fmt, first)))
#else
#define DISSECT_PRINTF(fmt, first)
#endif
void dissect_warn(const dissect_t *d, const char *fmt, ...) DISSECT_PRINTF(2, 3);

/* dissect.c: T2 reports the first IP packet cut by the snap length. */
void dissect_warn_l3_snapped(dissect_t *d, const char *outer, unsigned ip_len);

/* dissect.c: T2 ends the whole run at this packet, for `reason`. */
void dissect_stop(dissect_t *d, const char *reason);

/* dissect_ipv4.c, dissect_ipv6.c: the IP header at p->l3, and everything
 * inside it. */
void dissect_ipv4(dissect_t *d);
void dissect_ipv6(dissect_t *d);

/* Point p->l3 at `at` and walk the IP header found there. */
static inline step_t inner_ipv4(dissect_t *d, uint32_t at)
{
    d->p->l3 = at;
    dissect_ipv4(d);
    return STEP_DONE;
}

static inline step_t inner_ipv6(dissect_t *d, uint32_t at)
{
    d->p->l3 = at;
    dissect_ipv6(d);
    return STEP_DONE;
}

/* dissect_link.c: the link header of type `linktype` at `at`; returns the
 * position of an ethertype field to go on from, or NO_LAYER. */
uint32_t link_layer(dissect_t *d, int linktype, uint32_t at);

/* dissect_wlan.c: the link types that carry IEEE 802.11 frames (with the
 * signature of link_layer()). */
uint32_t link_ieee80211(dissect_t *d, int linktype, uint32_t at);
uint32_t link_radiotap(dissect_t *d, int linktype, uint32_t at);
uint32_t link_prism(dissect_t *d, int linktype, uint32_t at);

/* dissect_wlan.c: an IEEE 802.11 data frame at `at`, its frame control
 * bytes swapped or not; returns the position of the SNAP ethertype, or
 * NO_LAYER. */
uint32_t link_wlan_data(dissect_t *d, uint32_t at, int swapped);

/* dissect_l2.c: what follows the link header of an Ethernet-like frame;
 * `at` is the ethertype (or 802.3 length) field, VLAN tags first. */
void dissect_ethernet_payload(dissect_t *d, uint32_t at);

/* dissect_l2.c: 802.1Q/802.1ad tags starting at the ethertype field `at`;
 * returns the position of the ethertype field behind the last tag. */
uint32_t dissect_vlans(dissect_t *d, uint32_t at);

/* dissect_l2.c: what follows an ethertype (or 802.3 length) field at `at`. */
void dissect_type_field(dissect_t *d, uint32_t at, uint16_t type_or_len);

/* dissect_l2.c: a PPPoE session header at `at` (its ethertype at `type_at`);
 * NO_LAYER when an IP packet inside was dissected, else `type_at`. */
uint32_t dissect_pppoe_session(dissect_t *d, uint32_t type_at, uint32_t at);

/* dissect_l2.c: the Ethernet frame behind an EtherIP header at `at`, which
 * becomes the packet's link header; returns its ethertype's position. */
uint32_t dissect_etherip_frame(dissect_t *d, uint32_t at);

/* The walk through an IPv4 header and what it encapsulates
 * (dissect_ipv4.c, with GRE in dissect_gre.c). */
typedef struct {
    uint32_t ip;        /* the IPv4 header the walk holds: it moves inward
                           through GRE, EtherIP and IP in IP */
    int priproto;       /* the transport protocol is still to be named */
    uint32_t gre_len;    /* length of a GRE header met on the way */
    uint16_t l3Len;     /* the IP length, clipped to what was captured */
} ipv4_walk_t;

/* dissect_ipv4.c: make `at` the IPv4 header the walk holds, without a
 * call of its own (T2 goes on with it in the same pass). */
void ipv4_switch_to(dissect_t *d, ipv4_walk_t *w, uint32_t at);

/* dissect_ipv4.c: the IP ID and first-fragment state of the IPv4 header
 * at `ip`. */
void ipv4_fragment(packet_t *p, uint32_t ip);

/* dissect_gre.c: GRE behind the IPv4 header (before the transport step),
 * and GRE met again in the transport step (GRE inside GRE). */
step_t gre_in_ipv4(dissect_t *d, ipv4_walk_t *w);
step_t gre_in_transport(dissect_t *d, ipv4_walk_t *w);

/* dissect_gre.c: GRE in an IPv6 extension header chain.  CONTINUE with
 * *ip6 at an inner IPv6 header, or DONE when the chain ends here. */
step_t gre_in_ipv6(dissect_t *d, uint32_t *ip6);

/* dissect_transport.c: the ports of the TCP or UDP header at p->l4, and
 * what T2 recognises on them. */
void transport_tcp_ports(dissect_t *d);
void transport_udp_ports(dissect_t *d);
/* dissect_transport.c: the DTLS records T2 looks for in a UDP payload. */
void transport_dtls(dissect_t *d, uint32_t at);
/* dissect_transport.c: names SSDP (UPnP) if it runs between these ports,
 * and says whether it does. */
int transport_ssdp(dissect_t *d, uint16_t sport, uint16_t dport);

/* dissect_tunnel.c: tunnels recognised by the ports of the transport header
 * at p->l4 (`hdr_len` bytes long); `*priproto` says whether the transport
 * protocol still has to be named in hdrDesc. */
step_t tunnel_by_port(dissect_t *d, uint8_t proto, uint32_t hdr_len, int *priproto);

/* dissect_tunnel.c: L2TP at `at` (behind UDP port 1701; T2 also looks for
 * it directly inside an IPv6 extension header chain). */
step_t tunnel_l2tp(dissect_t *d, uint32_t at);

#endif
