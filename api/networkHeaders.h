/*
 * networkHeaders.h - the protocol headers as T2's plugins read them, and
 * the protocol numbers, under Tranalyzer2's names.
 *
 * A plugin casts a layer pointer of the packet (packet.h: l2HdrP, l3HdrP,
 * l4HdrP) to one of these structs, through the accessors of t2utils.h:
 *
 *     const tcpHeader_t *tcp = TCP_HEADER(packet);
 *     const uint16_t win = ntohs(tcp->window);
 *
 * Every struct is packed, as in T2: it matches the wire byte for byte and
 * may sit at any address.  Multi-byte fields are in network byte order.
 * T2 keeps these in networkHeaders.h, ipaddr.h and proto/NAME.h; t2mini
 * has them here, but for proto/arp.h, which T2's plugins include
 * themselves.
 */
#ifndef T2MINI_NETWORKHEADERS_H
#define T2MINI_NETWORKHEADERS_H

#include <netinet/in.h>     /* struct in_addr, struct in6_addr */
#include <stdint.h>

/* ------------------------------------- T2's settings, as t2mini has them */

/* Flows of pure layer-2 packets (ARP, LLDP, ...) are made, keyed on the
 * MAC addresses; IPv4 and IPv6 both (dual mode).  t2mini has no other
 * modes: a build that asks for one stops here. */
#ifndef ETH_ACTIVATE
#define ETH_ACTIVATE 1
#elif ETH_ACTIVATE != 1
#error "t2mini always makes layer-2 flows and keys IP flows without MACs: ETH_ACTIVATE must be 1"
#endif
#ifndef IPV6_ACTIVATE
#define IPV6_ACTIVATE 2
#elif IPV6_ACTIVATE != 2
#error "t2mini always dissects IPv4 and IPv6: IPV6_ACTIVATE must be 2"
#endif
#ifndef LAPD_ACTIVATE
#define LAPD_ACTIVATE 0
#elif LAPD_ACTIVATE != 0
#error "t2mini makes no LAPD flows: LAPD_ACTIVATE must be 0"
#endif
#ifndef SCTP_ACTIVATE
#define SCTP_ACTIVATE 0
#elif SCTP_ACTIVATE != 0
#error "t2mini makes no SCTP stream or association flows: SCTP_ACTIVATE must be 0"
#endif

#define T2_PRI_HDRDESC 1    /* packet->hdrDesc: "eth:ipv4:tcp" */
#define T2_HDRDESC_LEN 128  /* its size */

/* A 16-bit constant as a field in network order reads on this host
 * without ntohs(). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define T2_NET16(x) (x)
#else
#define T2_NET16(x) ((((x) & 0xff) << 8) | (((x) >> 8) & 0xff))
#endif

#ifndef ETH_ALEN
#define ETH_ALEN 6          /* bytes of a MAC address */
#endif

/* -------------------------------------- IP protocol numbers (T2's L3_) */

/* The next-header numbers an IP header carries (packet->l4Proto,
 * flowP->l4Proto): T2 calls them "L4 codes in the L3 header". */
#define L3_HHOPT6    0      /* IPv6 hop-by-hop options */
#define L3_ICMP      1
#define L3_IGMP      2
#define L3_IPIP4     4      /* IPv4 in IP */
#define L3_TCP       6
#define L3_UDP      17
#define L3_IPIP6    41      /* IPv6 in IP */
#define L3_ROUT6    43      /* IPv6 routing header */
#define L3_FRAG6    44      /* IPv6 fragment header */
#define L3_GRE      47
#define L3_ESP      50      /* IPsec */
#define L3_AH       51      /* IPsec */
#define L3_ICMP6    58
#define L3_NXTH6    59      /* IPv6: no next header */
#define L3_DOPT6    60      /* IPv6 destination options */
#define L3_OSPF     89
#define L3_ETHIP    97      /* Ethernet in IP */
#define L3_PIM     103
#define L3_VRRP    112
#define L3_L2TP    115
#define L3_SCTP    132
#define L3_UDPLITE 136

/* ------------------------------------------------------- IP addresses */

/* An IPv4 or IPv6 address (flowP->srcIP, ...): IPv4 in the first four
 * bytes.  IPv6L serves masking, 64 bits at a time. */
typedef union {
    uint32_t        IPv4x[4];
    struct in_addr  IPv4;
    struct in6_addr IPv6;
    uint64_t        IPv6L[2];
} __attribute__((__packed__)) ipAddr_t;

/* An IPv4 address alone. */
typedef union {
    uint32_t       IPv4x[1];
    struct in_addr IPv4;
} __attribute__((__packed__)) ip4Addr_t;

/* An address with its version (4 or 6). */
typedef struct {
    uint8_t  ver;
    ipAddr_t addr;
} ipVAddr_t;

/* ----------------------------------------------------------- Ethernet */

/* The two MAC addresses, destination first, as on the wire. */
typedef struct {
    uint8_t ether_dhost[ETH_ALEN];
    uint8_t ether_shost[ETH_ALEN];
} __attribute__((__packed__)) ethDS_t;

/* An Ethernet II header, and the two bytes after it. */
typedef struct {
    ethDS_t  ethDS;
    uint16_t ether_type;    /* ethertype, or the length of an 802.3 frame */
    uint16_t data;
} __attribute__((__packed__)) ethernetHeader_t;

/* --------------------------------------------------------------- IPv4 */

#define IP_V(ip)   ((ip)->ip_vhl >> 4)      /* version */
#define IP_HL(ip)  ((ip)->ip_vhl & 0x0f)    /* header length in 32-bit words */

/* ip_off in host order (ntohs) */
#define IP_DF      0x4000   /* don't fragment */
#define IP_MF      0x2000   /* more fragments */
#define IP_OFFMASK 0x1fff   /* fragment offset */

/* The same bits for ip_off as it is (network order, no ntohs): T2's _N
 * masks.  T2 writes them for a little-endian host; here they follow the
 * host's byte order. */
#define FRAGID_N    T2_NET16(IP_OFFMASK)            /* the offset bits */
#define MORE_FRAG_N T2_NET16(IP_MF)                 /* the MF bit */
#define FRAGIDM_N   T2_NET16(IP_MF | IP_OFFMASK)    /* offset and MF */
#define FRAGID_1P_N 0x0000                          /* offset 0 */

typedef struct {
    uint8_t        ip_vhl;  /* version (high 4 bits), header length */
    uint8_t        ip_tos;
    uint16_t       ip_len;  /* total length */
    uint16_t       ip_id;
    uint16_t       ip_off;  /* flags and fragment offset */
    uint8_t        ip_ttl;
    uint8_t        ip_p;    /* next protocol (L3_*) */
    uint16_t       ip_sum;
    struct in_addr ip_src;
    struct in_addr ip_dst;
} __attribute__((__packed__)) ipHeader_t;

/* --------------------------------------------------------------- IPv6 */

/* frag_off of a fragment header as it is (network order, no ntohs) */
#define FRAG6ID_N    T2_NET16(0xfff8)   /* the offset bits */
#define MORE_FRAG6_N T2_NET16(0x0001)   /* the M bit */
#define FRAG6IDM_N   T2_NET16(0xfff9)   /* offset and M */
#define FRAG6ID_1P_N 0x0000             /* offset 0 */

typedef struct {
    uint32_t vtc_flw_lbl;   /* version, traffic class, flow label */
    uint16_t payload_len;
    uint8_t  next_header;
    __extension__ union {   /* one byte, two names */
        uint8_t hop_limit;
        uint8_t ip_ttl;
    };
    ipAddr_t ip_src;
    ipAddr_t ip_dst;
} __attribute__((__packed__)) ip6Header_t;

/* The start of a hop-by-hop or destination options header. */
typedef struct {
    uint8_t next_header;
    uint8_t len;            /* in 8-byte units, not counting the first 8 */
    uint8_t options;
} __attribute__((__packed__)) ip6OptHdr_t;

typedef struct {
    uint8_t  next_header;
    uint8_t  res;
    uint16_t frag_off;      /* offset, and the M bit */
    uint32_t id;
} __attribute__((__packed__)) ip6FragHdr_t;

/* ---------------------------------------------------------------- TCP */

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

/* combinations plugins test for */
#define TH_FIN_ACK     (TH_FIN | TH_ACK)
#define TH_SYN_ACK     (TH_SYN | TH_ACK)
#define TH_RST_ACK     (TH_RST | TH_ACK)
#define TH_SYN_FIN     (TH_SYN | TH_FIN)
#define TH_RST_FIN     (TH_RST | TH_FIN)
#define TH_SYN_FIN_RST (TH_SYN | TH_FIN | TH_RST)
#define TH_ARSF        (TH_ACK | TH_RST | TH_SYN | TH_FIN)
#define TH_NULL        0x00                         /* no flag */
#define TH_XMAS        (TH_FIN | TH_PSH | TH_URG)   /* "Christmas tree" */
#define TH_ALL_FLAGS   0x3f                         /* FIN to URG */

typedef struct {
    uint16_t source;        /* source port */
    uint16_t dest;          /* destination port */
    uint32_t seq;
    uint32_t ack_seq;
    /* byte 12: the data offset (header length in 32-bit words) in its
     * high 4 bits; a bit-field's place in its byte follows the host's
     * byte order */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    __extension__ uint8_t doff:4;
    __extension__ uint8_t res1:4;
#else
    __extension__ uint8_t res1:4;
    __extension__ uint8_t doff:4;
#endif
    uint8_t  flags;         /* TH_* */
    uint16_t window;
    uint16_t check;
    uint16_t urg_ptr;
} __attribute__((__packed__)) tcpHeader_t;

/* ------------------------------------------------------- UDP, UDP-Lite */

typedef struct {
    uint16_t source;
    uint16_t dest;
    uint16_t len;
    uint16_t check;
} __attribute__((__packed__)) udpHeader_t;

typedef struct {
    uint16_t source;
    uint16_t dest;
    uint16_t coverage;      /* bytes the checksum covers */
    uint16_t check;
} __attribute__((__packed__)) udpliteHeader_t;

/* --------------------------------------------------------------- ICMP */

typedef struct {
    uint8_t  type;
    uint8_t  code;
    uint16_t checksum;
    __extension__ union {   /* the rest of the header, by type */
        struct {            /* echo request and reply */
            uint16_t id;
            uint16_t sequence;
        } echo;
        uint32_t gateway;   /* redirect */
        struct {            /* destination unreachable: path MTU */
            uint16_t unused;
            uint16_t mtu;
        } frag;
    };
} __attribute__((__packed__)) icmpHeader_t;

#endif
