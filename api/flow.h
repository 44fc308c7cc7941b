/*
 * flow.h - one flow as T2's plugins see it: flows[flowIndex].
 *
 * A flow is one direction of a conversation, A (it started it) or B (the
 * reply); both share findex, the number in the flowInd column, and each
 * knows the other's index (oppositeFlowIndex).  The flow table (core/
 * flow_table.h) creates, links and ends flows; plugins read them:
 *
 *     const flow_t * const flowP = &flows[flowIndex];
 *     if (flowP->status & L2_FLOW) return;         // a layer-2 flow
 *     if (flowP->l4Proto != L3_TCP) return;
 *
 * The fields plugins read have T2's names and types; the rest are the
 * table's own.  firstSeen and lastSeen hold nanoseconds in tv_usec, as in
 * T2 (TSTAMP_PREC 1); duration is lastSeen - firstSeen, set when the flow
 * ends, before t2OnFlowTerminate.
 */
#ifndef T2MINI_FLOW_H
#define T2MINI_FLOW_H

#include <stdint.h>
#include <sys/time.h>       /* struct timeval */

#include "hashTable.h"
#include "networkHeaders.h"
#include "packet.h"

/* ------------------------------------------ flowStat bits, T2's names */

#define L3FLOWINVERT        FS_B_FLOW       /* a B flow: did not start it */
#define L2_NO_ETH           FS_L2_NO_ETH
#define L2_FLOW             FS_L2_FLOW      /* a pure layer-2 flow */
#define L2_PPPoE_D          FS_PPPOE_D
#define L2_PPPoE_S          FS_PPPOE_S
#define L2_LLDP             FS_LLDP
#define L2_ARP              FS_ARP
#define L2_RARP             FS_RARP
#define L2_VLAN             FS_VLAN
#define L2_MPLS_UCAST       FS_MPLS_UCAST
#define L2_MPLS_MCAST       FS_MPLS_MCAST
#define L2_L2TP             FS_L2TP
#define L2_GRE              FS_GRE
#define L2_PPP              FS_PPP
#define L2_IPV4             FS_IPV4_FLOW
#define L2_IPV6             FS_IPV6_FLOW
#define L3_IPVX             FS_IPVX
#define L3_IPIP             FS_IPIP
#define L3_ETHIPF           FS_ETHIP
#define L3_TRDO             FS_TEREDO
#define L3_AYIYA            FS_AYIYA
#define L3_GTP              FS_GTP
#define L3_VXLAN            FS_VXLAN
#define L3_CAPWAP           FS_CAPWAP
#define L4_SCTP             FS_SCTP
#define L4_UPNP             FS_UPNP
#define L2_ERSPAN           FS_ERSPAN
#define L2_WCCP             FS_WCCP
#define L7_SIPRTP           FS_SIPRTP
#define L3_GENEVE           FS_GENEVE
#define L3_IPSEC_AH         FS_IPSEC_AH
#define L3_IPSEC_ESP        FS_IPSEC_ESP
#define L2SNAPLENGTH        FS_L2_SNAPPED
#define L3SNAPLENGTH        FS_L3_SNAPPED
#define L3HDRSHRTLEN        FS_L3_HDR_SHORT
#define L4HDRSHRTLEN        FS_L4_HDR_SHORT
#define IPV4_FRAG           FS_FRAG
#define IPV4_FRAG_ERR       FS_FRAG_ERR
#define IPV4_FRAG_HDSEQ_ERR FS_FRAG_HDSEQ_ERR
#define IPV4_FRAG_PENDING   FS_FRAG_PENDING
#define FLWTMOUT            FS_FLOW_TIMEOUT
#define RMFLOW              FS_RMFLOW
#define RMFLOW_HFULL        FS_RMFLOW_HFULL
#define STPDSCT             FS_STOP_DISSECT
#define DUPIPID             FS_DUP_IPID
#define PPP_NRHD            FS_PPP_NRHD
#define IPV4_HL_TOO_SHORT   FS_IPV4_HL_SHORT
#define IP_PL_MSMTCH        FS_IP_PL_MISMATCH
#define HDOVRN              FS_HDR_OVERRUN
#define LANDATTACK          FS_LAND_ATTACK
#define TIMEJUMP            FS_TIME_JUMP
#define TORADD              FS_TOR_ADDR
#define L7_DTLS             FS_DTLS
/* FS_VLAN0, FS_IPV4_PKT and FS_IPV6_PKT have these names in T2 too */

#define L2_MPLS    (L2_MPLS_UCAST | L2_MPLS_MCAST)
#define SNAPLENGTH (L2SNAPLENGTH | L3SNAPLENGTH)

/* ---------------------------------------------------------------- flow */

typedef struct flow {
    uint64_t findex;                /* flowInd, shared by A and B */
    uint64_t status;                /* flowStat: bits of all its packets */
    uint32_t flowIndex;             /* its own index: &flows[flowIndex] */
    uint32_t oppositeFlowIndex;     /* the other direction, or
                                       HASHTABLE_ENTRY_NOT_FOUND */
    struct timeval firstSeen;       /* first and last packet, nanoseconds */
    struct timeval lastSeen;        /* in tv_usec (T2's TSTAMP_PREC 1) */
    struct timeval duration;        /* lastSeen - firstSeen, at the end */

    /* what identifies it (all zero where the flow has none: the
     * addresses and ports of a layer-2 flow, the MACs of an IP flow) */
    ipAddr_t srcIP;
    ipAddr_t dstIP;
    ethDS_t ethDS;                  /* MAC addresses of a layer-2 flow */
    uint16_t ethType;
    uint16_t vlanId;
    uint16_t srcPort;
    uint16_t dstPort;
    uint8_t l4Proto;

    int64_t padLen;                 /* Ethernet padding bytes */
    uint32_t lastIPID;              /* for DUPIPID */
    uint32_t subnetNrSrc;           /* geo subnet numbers of the addresses */
    uint32_t subnetNrDst;

    /* the flow table's own */
    uint64_t firstSec, lastSec;     /* first and last packet time */
    int64_t firstNsec, lastNsec;
    uint32_t lruPrev, lruNext;
    uint32_t lastFragId;            /* pending fragment series */
} flow_t;

/* ------------------------------------------------------------- tests */

/* The flow has a flow in the other direction. */
#define FLOW_HAS_OPPOSITE(f) ((f)->oppositeFlowIndex != HASHTABLE_ENTRY_NOT_FOUND)

/* A or B: the direction of the flow */
#define FLOW_IS_A(f) (!((f)->status & L3FLOWINVERT))
#define FLOW_IS_B(f) (((f)->status & L3FLOWINVERT) != 0)

#define FLOW_DIR_C_A 'A'
#define FLOW_DIR_C_B 'B'
#define FLOW_DIR_S_A "A"
#define FLOW_DIR_S_B "B"
#define FLOW_DIR_C(f) (FLOW_IS_B(f) ? FLOW_DIR_C_B : FLOW_DIR_C_A)
#define FLOW_DIR_S(f) (FLOW_IS_B(f) ? FLOW_DIR_S_B : FLOW_DIR_S_A)

#endif
