/*
 * dissect_steps.h - what the three files of the header walk share.
 *
 * The walk (dissect.h) is split by the kind of header it meets:
 *
 *   dissect_link.c   the link layer: Ethernet, Linux cooked, raw IP, PPP,
 *                802.11, ... (link_layer())
 *   dissect.c    what follows an ethertype, IPv4 and IPv6 with their
 *                extension headers, GRE, and the transport header
 *   dissect_tunnel.c    tunnels T2 recognises by UDP port: GTP, VXLAN, GENEVE,
 *                CAPWAP, LWAPP, L2TP, Teredo, AYIYA (tunnel_by_port())
 *
 * A step gets the packet and the offset of its header, reads the header
 * with bounds-checked reads (packet_u8() and friends in packet.h), names it
 * in hdrDesc, and either hands over to the next step or says where it
 * stopped.  Only the walk includes this header; the rest of t2mini uses
 * dissect.h.
 */
#ifndef T2MINI_DISSECT_STEPS_H
#define T2MINI_DISSECT_STEPS_H

#include <stdint.h>

#include "dissect.h"
#include "packet.h"

/* A tunnel step either dissected the IP packet inside it (DONE), or the
 * walk goes on with the outer packet (CONTINUE). */
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

/* T2_CHECK_SNAP_L2: is the record at least `len` bytes long? */
static inline int l2_fits(packet_t *p, uint32_t len)
{
    if (p->snapL2Len >= len) return 1;
    p->status |= FS_L2_SNAPPED;
    return 0;
}

/* dissect.c: the IP header at p->l3, and everything inside it. */
void dissect_ipv4(packet_t *p);
void dissect_ipv6(packet_t *p);

/* Point p->l3 at `at` and walk the IP header found there. */
static inline step_t inner_ipv4(packet_t *p, uint32_t at)
{
    p->l3 = at;
    dissect_ipv4(p);
    return STEP_DONE;
}

static inline step_t inner_ipv6(packet_t *p, uint32_t at)
{
    p->l3 = at;
    dissect_ipv6(p);
    return STEP_DONE;
}

/* dissect.c: 802.1Q/802.1ad tags starting at the ethertype field `at`;
 * returns the position of the ethertype field behind the last tag. */
uint32_t dissect_vlans(packet_t *p, uint32_t at);

/* dissect.c: what follows an ethertype (or 802.3 length) field at `at`. */
void dissect_type_field(packet_t *p, uint32_t at, uint16_t typeOrLen);

/* dissect.c: a PPPoE session header at `at` (its ethertype at `typeAt`);
 * NO_LAYER when an IP packet inside was dissected, else `typeAt`. */
uint32_t dissect_pppoe_session(packet_t *p, uint32_t typeAt, uint32_t at);

/* dissect.c: "[WRN] ..." lines of the end report. */
void dissect_warn(const char *fmt, unsigned value);
void dissect_warn_text(const char *text);

/* dissect.c: T2 ends the whole run at this packet, for `reason`. */
void dissect_stop(packet_t *p, const char *reason);

/* dissect_link.c: the link header of type `linktype` at `at`; returns the
 * position of an ethertype field to go on from, or NO_LAYER. */
uint32_t link_layer(packet_t *p, int linktype, uint32_t at);

/* dissect_link.c: an IEEE 802.11 data frame at `at`, its frame control bytes
 * swapped or not; returns the position of the SNAP ethertype, or NO_LAYER. */
uint32_t link_wlan_data(packet_t *p, uint32_t at, int swapped);

/* dissect_tunnel.c: tunnels recognised by the ports of the transport header at
 * p->l4 (`hdrLen` bytes long); `*priproto` says whether the transport
 * protocol still has to be named in hdrDesc. */
step_t tunnel_by_port(packet_t *p, uint8_t proto, uint32_t hdrLen, int *priproto);

/* dissect_tunnel.c: L2TP at `at` (behind UDP port 1701; T2 also looks for it
 * directly inside an IPv6 extension header chain). */
step_t tunnel_l2tp(packet_t *p, uint32_t at);

#endif
