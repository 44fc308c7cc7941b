/*
 * tcpwin.c - tcpWin, the tutorial plugin (see tcpwin.h).
 *
 * Read it next to Tranalyzer2's tutorials "The basics: your first flow
 * plugin", "Plugin end report" and "Plugin packet mode": the callbacks have
 * the tutorials' names and do what the tutorials add, step by step:
 *
 *   t2Init             allocates the per-flow structs and, in packet mode,
 *                      writes the two column names of the packet file;
 *   t2OnNewFlow        resets a flow's struct;
 *   t2OnLayer2         prints two empty columns for pure layer-2 packets;
 *   t2OnLayer4         counts small windows and prints the two columns
 *                      (or empty ones for non-TCP packets and for
 *                      fragments without a TCP header);
 *   t2OnFlowTerminate  writes tcpWinStat and tcpWinThCnt to the flow file;
 *   t2PluginReport     adds two lines to the end report;
 *   t2Finalize         frees the per-flow structs.
 */
#include "tcpwin.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "out_report.h"

#define TCP_WINDOW 14       /* offset of the window field in a TCP header */

// Plugin variables

static tcpWinFlow_t *tcpWinFlows;   // one struct per flow index
static uint8_t tcpWinStat;          // aggregated status of all flows
static uint64_t winThCntG;          // all packets below the threshold

// Packet mode: print empty columns for packets tcpWin does not describe,
// so that the l7Content column stays aligned.  Note the SEP_CHR after
// every column.
#define TCPWIN_SPKTMD_PRI_NONE() \
    if (sPktFile) { \
        outbuf_puts(sPktFile, /* tcpWinSize     */ SEP_CHR \
                              /* tcpWinThPktCnt */ SEP_CHR); \
    }


static void t2Init(void)
{
    // allocate struct for all flows and initialize to 0
    T2_PLUGIN_STRUCT_NEW(tcpWinFlows);
    tcpWinStat = 0;
    winThCntG = 0;

    // Packet mode
    if (sPktFile) {
        outbuf_puts(sPktFile, "tcpWinSize"     SEP_CHR
                              "tcpWinThPktCnt" SEP_CHR);
    }
}


static void t2OnNewFlow(packet_t *packet, unsigned long flowIndex)
{
    (void)packet;
    tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    tcpWinFlowP->winThCnt = 0;
    tcpWinFlowP->stat = 0;
}


/*
 * This function is called for every packet with a layer 2.
 * If flowIndex is HASHTABLE_ENTRY_NOT_FOUND, the packet also has a
 * layer 4 and a call to t2OnLayer4() will follow.
 */
static void t2OnLayer2(packet_t *packet, unsigned long flowIndex)
{
    (void)packet;
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;

    // This packet does not have a layer 4.
    // Print the right number of separators to keep the packet file aligned
    TCPWIN_SPKTMD_PRI_NONE();
}


static void t2OnLayer4(packet_t *packet, unsigned long flowIndex)
{
    const flow_t * const flowP = &flows[flowIndex];

    if (flowP->l4Proto != IPPROTO_T_TCP) {      // process only TCP
        TCPWIN_SPKTMD_PRI_NONE();
        return;
    }

    // only the first fragment carries the TCP header
    if (!packet_is_first_fragment(packet)) {
        TCPWIN_SPKTMD_PRI_NONE();
        return;
    }

    tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    // the window field of the TCP header, in host order
    // (0 if the capture was cut before it)
    const uint32_t tcpWin = packet_u16(packet, packet->l4 + TCP_WINDOW);

    if (tcpWin < TCPWIN_THRES) {        // is the window size below the threshold?
        tcpWinFlowP->winThCnt++;        // count the packet / flow
        winThCntG++;
        tcpWinFlowP->stat |= TCPWIN_STAT_THU;  // set the status bit
    }

    // Packet mode
    if (sPktFile) {
        outbuf_u64(sPktFile, tcpWin);                       // tcpWinSize
        outbuf_puts(sPktFile, SEP_CHR);
        outbuf_u64(sPktFile, tcpWinFlowP->winThCnt);        // tcpWinThPktCnt
        outbuf_puts(sPktFile, SEP_CHR);
    }
}


static void t2OnFlowTerminate(unsigned long flowIndex, outbuf_t *buf)
{
    const tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    tcpWinStat |= tcpWinFlowP->stat;

    outbuf_hex(buf, tcpWinFlowP->stat, 2);                  // tcpWinStat
    outbuf_puts(buf, SEP_CHR);
    outbuf_u64(buf, tcpWinFlowP->winThCnt);                 // tcpWinThCnt
    outbuf_puts(buf, SEP_CHR);
}


static void t2PluginReport(FILE *stream)
{
    report_plugin_aggr(stream, "tcpWin", "tcpWinStat", tcpWinStat, 1);
    report_plugin_nump(stream, "tcpWin", "Number of TCP winsize packets below threshold 1",
                       winThCntG, (double)numPacketsL3[IPPROTO_T_TCP]);
}


static void t2Finalize(void)
{
    free(tcpWinFlows);
    tcpWinFlows = NULL;
}


static const t2_column_t tcpWinColumns[] = {
    { "H8",  "tcpWinStat",  "tcpWin status" },
    { "U32", "tcpWinThCnt", "TCP packet count with window size below threshold" },
    { NULL, NULL, NULL }
};

const t2_plugin_t tcpWinPlugin = {
    .name = "tcpWin",
    .version = "0.9.3",
    .flowColumns = tcpWinColumns,
    .t2Init = t2Init,
    .t2OnNewFlow = t2OnNewFlow,
    .t2OnLayer2 = t2OnLayer2,
    .t2OnLayer4 = t2OnLayer4,
    .t2OnFlowTerminate = t2OnFlowTerminate,
    .t2PluginReport = t2PluginReport,
    .t2Finalize = t2Finalize,
};
