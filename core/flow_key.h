/*
 * flow_key.h - what identifies a flow (and a pending fragment series).
 *
 * An IP flow is keyed on (srcIP, dstIP, ethType, vlanId, srcPort, dstPort,
 * l4Proto) of its innermost IP header; a pure layer-2 flow on (dst MAC,
 * src MAC, ethType, vlanId).  The reply direction has the same key with
 * source and destination swapped.  A series of IP fragments is keyed like
 * its flow, with the fragment ID in place of the ports.
 *
 * The struct has no implicit padding, so keys compare and hash as bytes;
 * always start from flowkey_clear().
 */
#ifndef T2MINI_FLOWKEY_H
#define T2MINI_FLOWKEY_H

#include <stdint.h>
#include <string.h>

typedef struct {
    uint8_t srcIP[16];      /* IPv4 in the first 4 bytes */
    uint8_t dstIP[16];
    uint8_t macs[12];       /* layer-2 flows: dst MAC, then src MAC */
    uint16_t ethType;
    uint16_t vlanId;
    uint32_t ports;         /* srcPort << 16 | dstPort, or a fragment ID */
    uint8_t l4Proto;
    uint8_t zero[3];
} flowkey_t;

static inline void flowkey_clear(flowkey_t *k)
{
    memset(k, 0, sizeof(*k));
}

static inline uint32_t flowkey_ports(uint16_t srcPort, uint16_t dstPort)
{
    return (uint32_t)srcPort << 16 | dstPort;
}

/* The key of the opposite direction. */
static inline void flowkey_reverse(flowkey_t *r, const flowkey_t *k)
{
    *r = *k;
    memcpy(r->srcIP, k->dstIP, 16);
    memcpy(r->dstIP, k->srcIP, 16);
    memcpy(r->macs, k->macs + 6, 6);
    memcpy(r->macs + 6, k->macs, 6);
    r->ports = k->ports << 16 | k->ports >> 16;
}

#endif
