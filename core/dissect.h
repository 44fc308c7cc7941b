/*
 * dissect.h - walk a captured record's headers, from the link layer inward.
 *
 * dissect() is step 2 of the pipeline (read, dissect, flow, plugins,
 * output).  It fills a packet_t: the layer offsets, the snapped lengths, the
 * headers description, the flowStat bits the packet raises, and the fields
 * a flow is keyed on (MACs and ethertype for layer-2 flows; the innermost IP
 * header's addresses, ports and protocol for IP flows).  It reads only the
 * captured bytes and never touches the flow table.
 *
 * The order of the steps and the quirks of each follow Tranalyzer2 0.9.3,
 * because t2mini's output must equal T2's byte for byte.
 */
#ifndef T2MINI_DISSECT_H
#define T2MINI_DISSECT_H

#include <stdint.h>
#include <stdio.h>

#include "packet.h"

/* Link types t2mini decodes (LINKTYPE_ values of pcap files). */
#define LINKTYPE_NULL         0
#define LINKTYPE_ETHERNET     1
#define LINKTYPE_PPP          9
#define LINKTYPE_PPP_HDLC    50
#define LINKTYPE_SYMANTEC_FIREWALL 99
#define LINKTYPE_RAW        101
#define LINKTYPE_C_HDLC     104
#define LINKTYPE_IEEE802_11 105
#define LINKTYPE_FRELAY     107
#define LINKTYPE_LINUX_SLL  113
#define LINKTYPE_IEEE802_11_PRISM 119
#define LINKTYPE_IEEE802_11_RADIOTAP 127
#define LINKTYPE_JUNIPER_ATM1 137
#define LINKTYPE_JUNIPER_PPPOE 167
#define LINKTYPE_LINUX_LAPD 177
#define LINKTYPE_JUNIPER_ETHER 178
#define LINKTYPE_PPI        192
#define LINKTYPE_LAPD       203
#define LINKTYPE_PPP_WITH_DIR 204
#define LINKTYPE_C_HDLC_WITH_DIR 205
#define LINKTYPE_FRELAY_WITH_DIR 206
#define LINKTYPE_IPV4       228
#define LINKTYPE_IPV6       229
#define LINKTYPE_ETHERNET_MPACKET 274
#define LINKTYPE_LINUX_SLL2 276

/* Counters the end report needs that only the dissector sees. */
typedef struct {
    uint64_t ipvx_packets;       /* IPv4/IPv6 ethertype with another version */
    uint64_t dtls_packets;
    uint64_t frag_v6_headers;     /* IPv6 fragment headers walked */
    uint64_t bytes_on_wire;       /* T2's estimate of the IP bytes on the wire */
    int l3_snap_warned;           /* the first cut IP packet was reported */
    uint8_t max_vlan_count;
    uint8_t max_mpls_count;
    FILE *log;                  /* where "[WRN] ..." lines go, or NULL */
    const char *stopReason;     /* why, when a packet is DISPATCH_STOP */
} dissect_stats_t;

/* Why T2 does not dissect link type `dlt`, as a note to append to the
 * error line (" (...)"), or "". */
const char *dissect_unsupported_why(int dlt);

/* True if t2mini can decode captures of this link type. */
int dissect_linktype_supported(int linktype);

/* Dissect the record already stored in p->raw/caplen/wirelen/ts.  On
 * return p->dispatch tells the pipeline what kind of flow, if any, the
 * packet belongs to. */
void dissect(packet_t *p, int linktype, dissect_stats_t *stats);

#endif
