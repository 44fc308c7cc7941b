/*
 * pktLen.c - pktLen, a plugin written as for T2 0.9.3 and built in both.
 *
 * It adds one column to the packet file, pktLen: the packet's length on
 * the wire, and one to the flow file, pktLenSum: the bytes of the flow.
 * It has the callbacks a plugin needs for that, each found by its name:
 * t2Init, t2PrintHeader, t2OnNewFlow, t2OnLayer2, t2OnLayer4,
 * t2OnFlowTerminate, t2Finalize.
 */
#include "pktLen.h"


pktLenFlow_t *pktLenFlows;


T2_PLUGIN_INIT("pktLen", "0.9.3", 0, 9);


void t2Init() {
    T2_PLUGIN_STRUCT_NEW(pktLenFlows);

    if (sPktFile) fputs("pktLen" SEP_CHR, sPktFile);
}


binary_value_t *t2PrintHeader() {
    binary_value_t *bv = NULL;
    BV_APPEND_U64(bv, "pktLenSum", "Wire bytes of the flow");
    return bv;
}


void t2OnNewFlow(packet_t *packet UNUSED, unsigned long flowIndex) {
    pktLenFlow_t * const pktLenFlowP = &pktLenFlows[flowIndex];
    memset(pktLenFlowP, '\0', sizeof(*pktLenFlowP));
}


// the same for both kinds of packets: count, and print the length
static void pktLen_count(const packet_t *packet, unsigned long flowIndex) {
    pktLenFlows[flowIndex].bytes += packet->rawLen;
    if (sPktFile) fprintf(sPktFile, "%" PRIu32 SEP_CHR, packet->rawLen);
}


void t2OnLayer2(packet_t *packet, unsigned long flowIndex) {
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;  // t2OnLayer4 follows
    pktLen_count(packet, flowIndex);
}


void t2OnLayer4(packet_t *packet, unsigned long flowIndex) {
    pktLen_count(packet, flowIndex);
}


void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf) {
    OUTBUF_APPEND_U64(buf, pktLenFlows[flowIndex].bytes);   // pktLenSum
}


void t2Finalize() {
    free(pktLenFlows);
}
