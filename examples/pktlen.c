/*
 * pktlen.c - pktLen, a small plugin made from a copy of tcpwin.c.
 *
 * It adds one column to the packet file, pktLen: the packet's length on
 * the wire, and one to the flow file, pktLenSum: the bytes of the flow.
 * README.md ("Write your own plugin") says how to add it to t2mini;
 * tests/test_write_plugin.py runs those steps as the README prints them.
 *
 * What was renamed from tcpwin.c: the per-flow struct and its array, the
 * columns, and tcpWinPlugin, the one name a plugin file makes visible to
 * the others (two files defining tcpWinPlugin would not link: "multiple
 * definition").  The callbacks keep their names: the prototypes below
 * make them private to this file.
 */
#include "t2Plugin.h"

// Per-flow state: one of these for every flow index
typedef struct {
    uint64_t bytes;         // wire bytes of the flow so far
} pktLenFlow_t;

static pktLenFlow_t *pktLenFlows;

// Static function prototypes (private callbacks, as in tcpwin.c)
static void t2Init(void);
static binary_value_t *t2PrintHeader(void);
static void t2OnNewFlow(packet_t *packet, unsigned long flowIndex);
static void t2OnLayer2(packet_t *packet, unsigned long flowIndex);
static void t2OnLayer4(packet_t *packet, unsigned long flowIndex);
static void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf);
static void t2Finalize(void);

const t2_plugin_t pktLenPlugin = {
    .name = "pktLen",
    .version = "0.1",
    .t2Init = t2Init,
    .t2PrintHeader = t2PrintHeader,
    .t2OnNewFlow = t2OnNewFlow,
    .t2OnLayer2 = t2OnLayer2,
    .t2OnLayer4 = t2OnLayer4,
    .t2OnFlowTerminate = t2OnFlowTerminate,
    .t2Finalize = t2Finalize,
};

void t2Init(void)
{
    T2_PLUGIN_STRUCT_NEW(pktLenFlows);
    if (sPktFile) fputs("pktLen" SEP_CHR, sPktFile);
}

binary_value_t *t2PrintHeader(void)
{
    binary_value_t *bv = NULL;
    BV_APPEND_U64(bv, "pktLenSum", "Wire bytes of the flow");
    return bv;
}

void t2OnNewFlow(packet_t *packet UNUSED, unsigned long flowIndex)
{
    pktLenFlows[flowIndex].bytes = 0;
}

// Every packet has a length: the same for both layers
void t2OnLayer4(packet_t *packet, unsigned long flowIndex)
{
    pktLenFlows[flowIndex].bytes += packet->wirelen;
    if (sPktFile) fprintf(sPktFile, "%" PRIu32 SEP_CHR, packet->wirelen);
}

void t2OnLayer2(packet_t *packet, unsigned long flowIndex)
{
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;  // t2OnLayer4 follows
    t2OnLayer4(packet, flowIndex);
}

void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf)
{
    OUTBUF_APPEND_U64(buf, pktLenFlows[flowIndex].bytes);
}

void t2Finalize(void)
{
    free(pktLenFlows);
    pktLenFlows = NULL;
}
