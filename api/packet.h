/*
 * packet.h - what the dissector learns about one captured record, and
 * what T2's plugins read of it.
 *
 * A record travels through t2mini as a `packet_t`: the dissector (dissect.c)
 * fills it from the captured bytes, the flow table (flow.c) finds the flow it
 * belongs to, and the plugins print their columns from it.  The core reads
 * the record through offsets from `raw` (l2, l3, l4, l7) and packet_u8(),
 * which never reads outside the record or the bytes left over from earlier
 * ones.
 *
 * The plugins get T2's pointers (l2HdrP, l3HdrP, l4HdrP, l7HdrP,
 * raw_packet, end_packet) and lengths (snapL7Len, len, ...) under T2's
 * names.  The pointers are into the bytes T2 would read: the record, then
 * what earlier, longer records left in the buffer, then zeros (see
 * t2mini.c, t2_view()), so that a plugin reading snapL7Len bytes of
 * payload reads what it would read in T2, even where the headers claim
 * more than was captured.
 *
 * The status bits are Tranalyzer2's flowStat bits (T2's flow.h): a packet
 * raises some of them, and a flow accumulates the bits of all its packets.
 * t2mini's own code calls them FS_*; flow.h gives T2's names.
 */
#ifndef T2MINI_PACKET_H
#define T2MINI_PACKET_H

#include <stdint.h>
#include <string.h>

#include "networkHeaders.h"

struct pcap_pkthdr;         /* libpcap's, for pcapHdrP (packetCapture.h) */

/* flowStat bits, with the names T2 gives them */
#define FS_B_FLOW          0x0000000000000001ULL /* B direction (reply) */
#define FS_L2_NO_ETH       0x0000000000000002ULL /* no Ethernet header */
#define FS_L2_FLOW         0x0000000000000004ULL /* pure L2 flow */
#define FS_PPPOE_D         0x0000000000000008ULL
#define FS_PPPOE_S         0x0000000000000010ULL
#define FS_LLDP            0x0000000000000020ULL
#define FS_ARP             0x0000000000000040ULL
#define FS_RARP            0x0000000000000080ULL
#define FS_VLAN            0x0000000000000100ULL
#define FS_MPLS_UCAST      0x0000000000000200ULL
#define FS_MPLS_MCAST      0x0000000000000400ULL
#define FS_L2TP            0x0000000000000800ULL
#define FS_GRE             0x0000000000001000ULL
#define FS_PPP             0x0000000000002000ULL
#define FS_IPV4_FLOW       0x0000000000004000ULL
#define FS_IPV6_FLOW       0x0000000000008000ULL
#define FS_IPVX            0x0000000000010000ULL /* bogus IP version */
#define FS_IPIP            0x0000000000020000ULL
#define FS_ETHIP           0x0000000000040000ULL
#define FS_TEREDO          0x0000000000080000ULL
#define FS_AYIYA           0x0000000000100000ULL
#define FS_GTP             0x0000000000200000ULL
#define FS_VXLAN           0x0000000000400000ULL
#define FS_CAPWAP          0x0000000000800000ULL
#define FS_SCTP            0x0000000001000000ULL
#define FS_UPNP            0x0000000002000000ULL
#define FS_ERSPAN          0x0000000004000000ULL
#define FS_WCCP            0x0000000008000000ULL
#define FS_SIPRTP          0x0000000010000000ULL
#define FS_GENEVE          0x0000000020000000ULL
#define FS_IPSEC_AH        0x0000000040000000ULL
#define FS_IPSEC_ESP       0x0000000080000000ULL
#define FS_L2_SNAPPED      0x0000000100000000ULL /* caplen < minimal L2 header */
#define FS_L3_SNAPPED      0x0000000200000000ULL /* caplen < length in IP header */
#define FS_L3_HDR_SHORT    0x0000000400000000ULL
#define FS_L4_HDR_SHORT    0x0000000800000000ULL
#define FS_FRAG            0x0000001000000000ULL
#define FS_FRAG_ERR        0x0000002000000000ULL
#define FS_FRAG_HDSEQ_ERR  0x0000004000000000ULL /* first fragment missing */
#define FS_FRAG_PENDING    0x0000008000000000ULL
#define FS_FLOW_TIMEOUT    0x0000010000000000ULL
#define FS_RMFLOW          0x0000020000000000ULL
#define FS_RMFLOW_HFULL    0x0000040000000000ULL /* evicted: flow table full */
#define FS_STOP_DISSECT    0x0000080000000000ULL
#define FS_DUP_IPID        0x0000100000000000ULL
#define FS_PPP_NRHD        0x0000200000000000ULL
#define FS_IPV4_HL_SHORT   0x0000400000000000ULL
#define FS_IP_PL_MISMATCH  0x0000800000000000ULL
#define FS_HDR_OVERRUN     0x0001000000000000ULL
#define FS_LAND_ATTACK     0x0004000000000000ULL
#define FS_TIME_JUMP       0x0008000000000000ULL
#define FS_TOR_ADDR        0x0100000000000000ULL
#define FS_VLAN0           0x0200000000000000ULL
#define FS_IPV4_PKT        0x0400000000000000ULL
#define FS_IPV6_PKT        0x0800000000000000ULL
#define FS_DTLS            0x2000000000000000ULL

/* Ethertypes and IP protocol numbers the code names */
#define ETH_P_IPV4   0x0800
#define ETH_P_ARP    0x0806
#define ETH_P_RARP   0x8035
#define ETH_P_IPV6   0x86dd
#define IPPROTO_T_HOPOPTS L3_HHOPT6
#define IPPROTO_T_ICMP    L3_ICMP
#define IPPROTO_T_IGMP    L3_IGMP
#define IPPROTO_T_IPIP    L3_IPIP4
#define IPPROTO_T_TCP     L3_TCP
#define IPPROTO_T_UDP     L3_UDP
#define IPPROTO_T_IPV6    L3_IPIP6
#define IPPROTO_T_ROUTING L3_ROUT6
#define IPPROTO_T_FRAG    L3_FRAG6
#define IPPROTO_T_GRE     L3_GRE
#define IPPROTO_T_ESP     L3_ESP
#define IPPROTO_T_AH      L3_AH
#define IPPROTO_T_ICMPV6  L3_ICMP6
#define IPPROTO_T_NONE    L3_NXTH6
#define IPPROTO_T_DSTOPTS L3_DOPT6
#define IPPROTO_T_ETHIP   L3_ETHIP
#define IPPROTO_T_OSPF    L3_OSPF
#define IPPROTO_T_PIM     L3_PIM
#define IPPROTO_T_L2TP    L3_L2TP
#define IPPROTO_T_SCTP    L3_SCTP
#define IPPROTO_T_UDPLITE L3_UDPLITE

#define NO_LAYER UINT32_MAX
#define HDRDESC_LEN T2_HDRDESC_LEN  /* room for "eth:ipv4:tcp..." */

/* What the pipeline does with a dissected record */
typedef enum {
    DISPATCH_NONE = 0,  /* no flow: T2 prints nothing for it */
    DISPATCH_L2,        /* pure layer-2 flow, keyed on MACs and ethertype */
    DISPATCH_IP,        /* IPv4/IPv6 flow, keyed on the innermost IP header */
    DISPATCH_STOP       /* T2 ends the whole run at this packet (see
                           dissect_stats_t.stopReason) */
} dispatch_t;

typedef struct packet {
    /* the record as captured */
    const uint8_t *raw;         /* first captured byte */
    const uint8_t *end;         /* first byte not captured */
    uint32_t caplen;            /* bytes captured */
    uint32_t wirelen;           /* bytes on the wire */
    uint64_t ts_sec;
    int64_t ts_nsec;            /* may be negative or over 10^9 (see record_t) */

    uint64_t status;            /* flowStat bits raised by this packet */
    dispatch_t dispatch;

    /* Bytes T2 sees past the end of the record.  T2 does not stop at the
     * captured length: it reads on into libpcap's record buffer, which still
     * holds the bytes of earlier, longer records.  t2mini keeps its own copy
     * of those bytes (t2mini.c, keep_leftovers()) and reads them instead, so a header
     * cut by the snap length decodes to what T2 decodes. */
    const uint8_t *leftover;    /* leftover[i] for caplen <= i < leftoverLen */
    uint32_t leftoverLen;

    /* Layer starts as offsets from `raw`; NO_LAYER when absent.  An offset
     * may lie beyond `caplen` when a header claims more than was captured:
     * T2 keeps such positions, so t2mini keeps them too, and reads through
     * packet_u8()/packet_u16(), which never read outside the record or the
     * leftover copy. */
    uint32_t l2;                /* link header (Ethernet, SLL, ...) */
    uint32_t l3;                /* innermost IP header */
    uint32_t l4;                /* transport header */
    uint32_t l7;                /* payload */
    uint32_t ip6_hopopts;       /* the IPv6 extension headers T2 points */
    uint32_t ip6_dstopts;       /* its plugins at (ip6HHOptHdrP, ...) */
    uint32_t ip6_frag;

    /* T2's pointers, for the plugins: the record's start and end, and
     * each layer's start, NULL when absent (set by t2_view() in t2mini.c
     * after the header walk) */
    const struct pcap_pkthdr *pcapHdrP; /* time and lengths (packetCapture.h) */
    const uint8_t *raw_packet;
    const uint8_t *end_packet;  /* raw_packet + snapLen */
    const uint8_t *l2HdrP;
    const uint8_t *l3HdrP;
    const uint8_t *l4HdrP;      /* for TCP_HEADER() and its kin (t2utils.h) */
    const uint8_t *l7HdrP;      /* snapL7Len bytes of payload */
    const ip6OptHdr_t *ip6HHOptHdrP;    /* IPv6 hop-by-hop options, */
    const ip6OptHdr_t *ip6DOptHdrP;     /* destination options and */
    const ip6FragHdr_t *ip6FragHdrP;    /* fragment header seen last */
    uint32_t rawLen;            /* T2's names for wirelen and caplen */
    uint32_t snapLen;
    uint32_t len;               /* T2's packet length (PACKETLENGTH 3): the
                                   payload's, per the headers */

    /* snapped (captured) lengths from each layer on, as T2 derives them */
    uint32_t snapL2Len;
    uint32_t snapL3Len;
    uint16_t snapL4Len;
    uint16_t snapL7Len;
    uint16_t l3HdrLen;
    uint16_t l4HdrLen;
    uint16_t l3Len;             /* IP length, clipped to what the wire carried */
    uint16_t l7Len;             /* payload length per the headers */
    int64_t padLen;             /* Ethernet padding bytes */

    /* layer-2 facts */
    uint16_t ethType;           /* innermost ethertype (or LLC SAPs) */
    uint16_t outerEthType;
    uint16_t vlanId;            /* innermost VLAN ID (12 bits) */
    uint32_t vlanTags;          /* offset of the first VLAN TCI, or NO_LAYER */
    uint8_t vlanCount;
    uint8_t mplsCount;
    uint8_t hasLLC;             /* an 802.2 LLC header was walked */
    uint8_t hasL2Synth;         /* link address bytes rebuilt in l2Synth */
    uint8_t l2Synth[12];        /* (cooked v2 shown in cooked v1 layout) */

    /* layer-3/4 facts of the innermost IP header */
    uint8_t ipver;              /* 4 or 6 when l3 is an IP header */
    uint8_t l4Proto;
    uint8_t srcIP[16];          /* IPv4 in the first 4 bytes */
    uint8_t dstIP[16];
    uint16_t srcPort;
    uint16_t dstPort;
    uint32_t fragId;            /* IPv4 IP ID or IPv6 fragment ID (wire order) */
    uint16_t ipId;              /* IPv4 IP ID (wire order), 0 for IPv6 */
    uint8_t fragState;          /* FRAG_* below */
    uint8_t moreFrags;          /* the MF flag of a fragment */

    /* headers description: "eth:ipv4:tcp", and how many entries it has */
    uint16_t numHdrs;
    uint16_t hdrDescPos;
    char hdrDesc[HDRDESC_LEN];
} packet_t;

/* T2's layer pointers of a packet (t2utils.h casts them to headers) */
#define L2_HEADER(p) ((p)->l2HdrP)
#define L3_HEADER(p) ((p)->l3HdrP)
#define L4_HEADER(p) ((p)->l4HdrP)
#define L7_HEADER(p) ((p)->l7HdrP)

/* fragment state of the innermost IP header */
#define FRAG_NONE   0   /* not fragmented */
#define FRAG_FIRST  1   /* offset 0, more fragments follow */
#define FRAG_LATER  2   /* offset > 0 */

/* The byte at `off`: captured, else left over from an earlier record,
 * else 0. */
static inline uint8_t packet_u8(const packet_t *p, uint32_t off)
{
    if (off < p->caplen) return p->raw[off];
    return off < p->leftoverLen ? p->leftover[off] : 0;
}

/* The big-endian 16-bit field at `off` (missing bytes read as 0). */
static inline uint16_t packet_u16(const packet_t *p, uint32_t off)
{
    return (uint16_t)(packet_u8(p, off) << 8 | packet_u8(p, off + 1));
}

/* The big-endian 32-bit field at `off` (missing bytes read as 0). */
static inline uint32_t packet_u32(const packet_t *p, uint32_t off)
{
    return (uint32_t)packet_u16(p, off) << 16 | packet_u16(p, off + 2);
}

/* Byte i of the link header's address part: what T2 shows as the
 * destination (0..5) and source (6..11) MAC addresses and keys layer-2
 * flows on. */
static inline uint8_t packet_l2_u8(const packet_t *p, uint32_t i)
{
    return p->hasL2Synth ? p->l2Synth[i] : packet_u8(p, p->l2 + i);
}

/* The 12 link address bytes (destination MAC, then source MAC). */
static inline void packet_l2_addresses(const packet_t *p, uint8_t out[12])
{
    if (p->hasL2Synth) {
        memcpy(out, p->l2Synth, 12);
    } else if (p->l2 <= p->caplen && p->caplen - p->l2 >= 12) {
        memcpy(out, p->raw + p->l2, 12);
    } else {
        for (uint32_t i = 0; i < 12; i++) out[i] = packet_u8(p, p->l2 + i);
    }
}

/* True unless the packet is a second or later fragment (T2's
 * t2_is_first_fragment): only those carry a transport header. */
static inline int packet_is_first_fragment(const packet_t *p)
{
    return p->fragState != FRAG_LATER;
}

#endif
