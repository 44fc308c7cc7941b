/*
 * proto/arp.h - an ARP message, as T2's plugins read it from
 * packet->l7HdrP of an ARP packet (a layer-2 flow: L2_ARP).
 */
#ifndef T2MINI_PROTO_ARP_H
#define T2MINI_PROTO_ARP_H

#include <stdint.h>

#define ARP_OPCODE_REQ  1   /* request */
#define ARP_OPCODE_REP  2   /* reply */
#define RARP_OPCODE_REQ 3   /* reverse ARP request */
#define RARP_OPCODE_REP 4   /* reverse ARP reply */

/* An ARP message for IPv4 over Ethernet. */
typedef struct {
    uint16_t hwType;
    uint16_t protoType;
    uint8_t  hwSize;
    uint8_t  protoSize;
    uint16_t opCode;
    uint8_t  srcMAC[6];     /* sender */
    uint32_t srcIP;
    uint8_t  dstMAC[6];     /* target */
    uint32_t dstIP;
} __attribute__((__packed__)) arpMsg_t;

#endif
