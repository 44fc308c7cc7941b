/*
 * tcpwin.c - tcpWin, the plugin of Tranalyzer2's plugin tutorials (see
 * tcpwin.h and TUTORIAL.md).
 *
 * It is the tcpWin of T2's tutorial "Plugin packet mode", in the same order
 * and with the same code for what that tutorial adds; the earlier ones
 * ("The basics: your first flow plugin", "Plugin end report", "Plugin
 * monitoring") gave it its flow-file columns, its end-report lines and its
 * monitoring output.  The callbacks:
 *
 *   t2Init             allocates the per-flow structs and, in packet mode,
 *                      writes the two column names of the packet file;
 *   t2PrintHeader      describes the two flow-file columns;
 *   t2OnNewFlow        resets a flow's struct;
 *   t2OnLayer2         prints two empty columns for pure layer-2 packets;
 *   t2OnLayer4         counts small windows and prints the two columns
 *                      (or empty ones for non-TCP packets and for
 *                      fragments without a TCP header);
 *   t2OnFlowTerminate  writes tcpWinStat and tcpWinThCnt to the flow file;
 *   t2PluginReport     adds two lines to the end report;
 *   t2Monitoring       adds them to a monitoring report (SIGUSR1, -M),
 *                      or prints two monitoring columns: names, values;
 *   t2Finalize         frees the per-flow structs.
 */
#include "tcpwin.h"


// Plugin variables

tcpWinFlow_t *tcpWinFlows;          // one struct per flow index (tcpwin.h)
static uint8_t tcpWinStat;          // aggregated status of all flows
static uint64_t winThCntG;          // packets below the threshold, ended flows
static uint64_t winThCntG0;         // winThCntG at the last report (DIFF_REPORT)


// Packet mode: the empty columns of a packet tcpWin does not describe, so
// that the columns after tcpWin's stay in place.  do { } while (0) makes
// the macro one statement: safe after an if without braces, and before an
// else.

#define TCPWIN_SPKTMD_PRI_NONE() do { \
    if (sPktFile) { \
        fputs(/* tcpWinSize     */ SEP_CHR \
              /* tcpWinThPktCnt */ SEP_CHR \
              , sPktFile); \
    } \
} while (0)


// The plugin's name and version, and the T2 version it is written for

T2_PLUGIN_INIT("tcpWin", "0.9.3", 0, 9);


void t2Init()
{
    // allocate struct for all flows and initialize to 0
    T2_PLUGIN_STRUCT_NEW(tcpWinFlows);

    // Packet mode: the names of our two columns
    if (sPktFile) {
        fputs("tcpWinSize"     SEP_CHR  // every column ends with SEP_CHR
              "tcpWinThPktCnt" SEP_CHR
              , sPktFile);
    }
}


// The two columns of the flow file: their types, names and descriptions
binary_value_t *t2PrintHeader()
{
    binary_value_t *bv = NULL;
    BV_APPEND_H8(bv,  "tcpWinStat",  "tcpWin status");
    BV_APPEND_U32(bv, "tcpWinThCnt", "TCP packet count with window size below threshold");
    return bv;
}


void t2OnNewFlow(packet_t *packet UNUSED, unsigned long flowIndex)
{
    tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    memset(tcpWinFlowP, '\0', sizeof(*tcpWinFlowP));
}


#if ETH_ACTIVATE > 0
/*
 * Called for every packet with a layer 2.  With flowIndex
 * HASHTABLE_ENTRY_NOT_FOUND the packet has a layer 4 as well, and
 * t2OnLayer4() comes next: nothing to do here then.
 */
void t2OnLayer2(packet_t *packet UNUSED, unsigned long flowIndex)
{
    if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;

    // A pure layer-2 packet: no TCP, so empty columns keep the line aligned
    TCPWIN_SPKTMD_PRI_NONE();
}
#endif // ETH_ACTIVATE > 0


void t2OnLayer4(packet_t *packet, unsigned long flowIndex)
{
    const flow_t * const flowP = &flows[flowIndex];

    if (flowP->l4Proto != L3_TCP) {     // TCP only
        TCPWIN_SPKTMD_PRI_NONE();
        return;
    }

    // a later fragment has no TCP header: only the first one counts
    if (!t2_is_first_fragment(packet)) {
        TCPWIN_SPKTMD_PRI_NONE();
        return;
    }

    tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    const tcpHeader_t * const tcpHeader = TCP_HEADER(packet);
    const uint32_t tcpWin = ntohs(tcpHeader->window);   // network to host order

    if (tcpWin < TCPWIN_THRES) {        // window below the threshold?
        tcpWinFlowP->winThCnt++;        // count the packet in its flow
        tcpWinFlowP->stat |= TCPWIN_STAT_THU;
    }

    // Packet mode: the window and the flow's count so far
    if (sPktFile) {
        fprintf(sPktFile,
                "%" PRIu32 /* tcpWinSize     */ SEP_CHR
                "%" PRIu32 /* tcpWinThPktCnt */ SEP_CHR
                , tcpWin, tcpWinFlowP->winThCnt);
    }
}


void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf)
{
    const tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    tcpWinStat |= tcpWinFlowP->stat;    // for the reports: all ended flows
    winThCntG += tcpWinFlowP->winThCnt;

    OUTBUF_APPEND_U8(buf, tcpWinFlowP->stat);       // tcpWinStat
    OUTBUF_APPEND_U32(buf, tcpWinFlowP->winThCnt);  // tcpWinThCnt
}


// tcpWin's lines in the end report and in a monitoring report
static void tcpWin_pluginReport(FILE *stream)
{
    T2_FPLOG_AGGR_HEX(stream, plugin_name, tcpWinStat);
    T2_FPLOG_NUMP(stream, plugin_name, "Number of TCP winsize packets below threshold " STR(TCPWIN_THRES),
                  winThCntG - winThCntG0, numPacketsL3[L3_TCP]);
}


/*
 * Called for a monitoring report; state says what to print:
 * T2_MON_PRI_HDR and T2_MON_PRI_VAL the names and the values of tcpWin's
 * columns in T2's machine report (MACHINE_REPORT=1, which t2mini does not
 * have), T2_MON_PRI_REPORT its lines in a report for people (SIGUSR1, -M).
 * The counts are those of the flows ended so far, as in the end report.
 * With DIFF_REPORT=1, T2 reports what changed since the last report:
 * winThCntG0 keeps the count the last one showed.  t2mini's reports give
 * totals, as T2's do by default (DIFF_REPORT=0).
 */
void t2Monitoring(FILE *stream, uint8_t state)
{
    switch (state) {
        case T2_MON_PRI_HDR:            // the column names
            fputs("tcpWinThCnt" SEP_CHR // every column ends with SEP_CHR
                  "tcpWinStat"  SEP_CHR
                  , stream);
            return;

        case T2_MON_PRI_VAL:            // the values, in the same order
            fprintf(stream,
                    "%"     PRIu64    /* tcpWinThCnt */ SEP_CHR
                    "0x%02" B2T_PRIX8 /* tcpWinStat  */ SEP_CHR
                    , winThCntG - winThCntG0, tcpWinStat);
            break;

        case T2_MON_PRI_REPORT:         // the lines, as in the end report
            tcpWin_pluginReport(stream);
            break;

        default:                        // nothing else to print
            return;
    }

#if DIFF_REPORT == 1
    winThCntG0 = winThCntG;             // the next report counts from here
#endif
}


void t2PluginReport(FILE *stream)
{
#if DIFF_REPORT == 1
    winThCntG0 = 0;                     // the end report gives the total
#endif
    tcpWin_pluginReport(stream);
}


void t2Finalize()
{
    free(tcpWinFlows);
    tcpWinFlows = NULL;
    tcpWinStat = 0;         // t2mini_run() may run again (the fuzzer does)
    winThCntG = 0;
    winThCntG0 = 0;
}
