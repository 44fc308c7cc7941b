/*
 * pktlen.c - pktLen, a toy plugin made from tcpwin.c in four steps.
 *
 * It adds one column to the packet file, pktLen: the packet's length on
 * the wire, and one to the flow file, pktLenSum: the bytes of the flow.
 * README.md ("Write your own plugin") walks through how it was made;
 * tests/test_write_plugin.py builds it into t2mini and checks its columns.
 */
#include <stdint.h>
#include <stdlib.h>

#include "t2plugin.h"

// Per-flow state: one of these for every flow index
typedef struct {
    uint64_t bytes;         // wire bytes of the flow so far
} pktLenFlow_t;

static pktLenFlow_t *pktLenFlows;

static void t2Init(void)
{
    T2_PLUGIN_STRUCT_NEW(pktLenFlows);
    if (sPktFile) outbuf_puts(sPktFile, "pktLen" SEP_CHR);
}

static void t2OnNewFlow(packet_t *packet, unsigned long flowIndex)
{
    (void)packet;
    pktLenFlows[flowIndex].bytes = 0;
}

// One function for both layers: every packet has a length
static void count(packet_t *packet, unsigned long flowIndex)
{
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;  // t2OnLayer4 follows
    pktLenFlows[flowIndex].bytes += packet->wirelen;
    if (sPktFile) {
        outbuf_u64(sPktFile, packet->wirelen);
        outbuf_puts(sPktFile, SEP_CHR);
    }
}

static void t2OnFlowTerminate(unsigned long flowIndex, outbuf_t *buf)
{
    outbuf_u64(buf, pktLenFlows[flowIndex].bytes);
    outbuf_puts(buf, SEP_CHR);
}

static void t2Finalize(void)
{
    free(pktLenFlows);
    pktLenFlows = NULL;
}

static const t2_column_t pktLenColumns[] = {
    { "U64", "pktLenSum", "Wire bytes of the flow" },
    { NULL, NULL, NULL }
};

const t2_plugin_t pktLenPlugin = {
    .name = "pktLen",
    .version = "0.1",
    .flowColumns = pktLenColumns,
    .t2Init = t2Init,
    .t2OnNewFlow = t2OnNewFlow,
    .t2OnLayer2 = count,
    .t2OnLayer4 = count,
    .t2OnFlowTerminate = t2OnFlowTerminate,
    .t2Finalize = t2Finalize,
};
