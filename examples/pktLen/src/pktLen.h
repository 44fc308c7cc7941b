/*
 * pktLen.h - pktLen, a small plugin in T2's form (see pktLen.c).
 */
#ifndef T2_PKTLEN_H_INCLUDED
#define T2_PKTLEN_H_INCLUDED

#include "t2Plugin.h"

// Per-flow state: one of these for every flow index
typedef struct {
    uint64_t bytes;         // wire bytes of the flow so far
} pktLenFlow_t;

// for plugins that depend on this one
extern pktLenFlow_t *pktLenFlows;

#endif // T2_PKTLEN_H_INCLUDED
