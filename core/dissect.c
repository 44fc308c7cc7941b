/*
 * dissect.c - the header walk's entry point (see dissect.h), and the
 * warnings it prints.
 *
 * dissect() walks one record from the outside in.  Each layer is a file
 * of its own (dissect_steps.h lists them):
 *
 *   link_layer()           dissect_link.c: Ethernet, Linux cooked, raw IP,
 *                          PPP, 802.11 (dissect_wlan.c), ...
 *   dissect_ethernet_payload()
 *                          dissect_l2.c: VLAN tags, 802.2 LLC/SNAP, then
 *                          the ethertype: IPv4, IPv6, ARP, MPLS, PPPoE, ...
 *   dissect_ipv4()         dissect_ipv4.c: the header, what it encapsulates
 *                          (GRE in dissect_gre.c, EtherIP, IP in IP), and
 *                          the transport header of the innermost packet
 *   dissect_ipv6()         dissect_ipv6.c: the extension header chain
 *   tunnel_by_port()       dissect_tunnel.c: tunnels found by UDP port
 *
 * A step that finds an IP packet inside a tunnel calls dissect_ipv4() or
 * dissect_ipv6() again: flows are keyed on the innermost IP header, and
 * the outer headers only leave their names in hdrDesc
 * (dissect_hdrdesc.c) and their bits in the status.  Every read goes
 * through packet_u8() and friends (packet.h), which return 0 for bytes
 * that were not captured, so no step reads outside the record.
 *
 * The walk has no state of its own: dissect() puts the packet and the
 * run's counters in a dissect_t on its stack and hands it to every step.
 *
 * Where T2 0.9.3 does something surprising (reads a field in little-endian
 * order, skips a byte too many, keeps a stale value) t2mini does the same,
 * and a comment marks it "T2QUIRK:": the output has to match T2's.
 */
#include "dissect.h"

#include <stdarg.h>
#include <stdio.h>

#include "dissect_steps.h"

void dissect(packet_t *p, int linktype, dissect_stats_t *stats)
{
    dissect_t d = { p, stats };
    p->snapL2Len = p->caplen;
    p->l2 = p->l3 = p->l4 = p->l7 = NO_LAYER;
    p->vlanTags = NO_LAYER;
    p->ip6_hopopts = p->ip6_dstopts = p->ip6_frag = NO_LAYER;
    const uint32_t type_at = link_layer(&d, linktype, 0);
    if (type_at != NO_LAYER) dissect_ethernet_payload(&d, type_at);
}

/* A "[WRN] ..." line of the end report, where T2 prints it: while the
 * packets are processed, on the report stream. */
void dissect_warn(const dissect_t *d, const char *fmt, ...)
{
    FILE *log = d->stats->log;
    if (!log) return;
    va_list args;
    va_start(args, fmt);
    fputs("[WRN] ", log);
    vfprintf(log, fmt, args);
    fputc('\n', log);
    va_end(args);
}

void dissect_warn_l3_snapped(dissect_t *d, const char *outer, unsigned ip_len)
{
    if (d->stats->l3_snap_warned) return;
    d->stats->l3_snap_warned = 1;
    dissect_warn(d, "%ssnapL2Length: %u - snapL3Length: %u - IP length in header: %u",
                 outer, (unsigned)d->p->snapL2Len, (unsigned)d->p->snapL3Len, ip_len);
}

void dissect_stop(dissect_t *d, const char *reason)
{
    d->p->dispatch = DISPATCH_STOP;
    d->stats->stopReason = reason;
}

const char *dissect_unsupported_why(int dlt)
{
    const int lapd = dlt == LINKTYPE_LAPD || dlt == LINKTYPE_LINUX_LAPD;
    return lapd ? " (T2 0.9.3 has LAPD flows disabled)" : "";
}
