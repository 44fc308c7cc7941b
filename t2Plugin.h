/*
 * t2plugin.h - how a plugin plugs into t2mini.
 *
 * As in Tranalyzer2, everything beyond the flow bookkeeping is done by
 * plugins, called in plugin order for each event:
 *
 *   t2Init            once, before the first packet: allocate per-flow
 *                     state, write the plugin's packet-file column names
 *   t2OnNewFlow       a flow was created (reset the flow's state)
 *   t2OnLayer2        a packet of a pure layer-2 flow; also called with
 *                     HASHTABLE_ENTRY_NOT_FOUND for every IP packet, which
 *                     then gets t2OnLayer4 as well
 *   t2OnLayer4        a packet of an IP flow
 *   t2OnFlowTerminate a flow ended: append the plugin's flow-file columns
 *   t2BufToSink       sinks only: write the assembled flow line somewhere
 *   t2PluginReport    the plugin's lines in the end report
 *   t2Monitoring      the plugin's lines in a monitoring report (SIGUSR1,
 *                     -M); a plugin without it adds nothing there
 *   t2Finalize        once, at the end: free what t2Init allocated
 *
 * In packet mode (-s) each plugin prints its own packet-file columns from
 * t2OnLayer2/t2OnLayer4, every column followed by SEP_CHR, and must print
 * empty columns for packets it does not describe, so that every line has
 * the same number of columns.  The core prints pktNo and flowInd before the
 * plugins and the payload (l7Content) after them.
 *
 * The packet file is sPktFile, a stdio stream as in T2: write to it with
 * fputs() and fprintf().  t2mini's own columns are formatted faster, by
 * the out_buf.h helpers on t2PktBuf; the core hands that text to sPktFile
 * before every plugin call, so both kinds of writes stay in plugin order.
 *
 * A plugin is a t2_plugin_t; the core calls the plugins listed in
 * plugin_list.h, in that order.  Any callback may be NULL.
 */
#ifndef T2MINI_T2PLUGIN_H
#define T2MINI_T2PLUGIN_H

#include <arpa/inet.h>     /* ntohs(), ntohl() */
#include <inttypes.h>       /* PRIu32, ... for fprintf(sPktFile, ...) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* T2's interface, under T2's header names (api/) */
#include "chksum.h"
#include "flow.h"
#include "fsutils.h"
#include "hashTable.h"
#include "main.h"
#include "networkHeaders.h"
#include "packet.h"
#include "packetCapture.h"
#include "t2log.h"
#include "t2stats.h"
#include "t2utils.h"
#include "tranalyzer.h"

#include "flow_table.h"
#include "out_buf.h"

#define T2MINI_VERSION "0.9.3"                     /* as options.h */
#define SEP_CHR "\t"                               /* column separator */

/* One column of the flow file, described in the headers file. */
typedef struct {
    const char *type;           /* T2's type code: U64, H8, SC, IPX, ... */
    const char *name;
    const char *description;
} t2_column_t;

typedef struct {
    const char *name;
    const char *version;
    const t2_column_t *flowColumns;                 /* ends with {0} */
    void (*t2Init)(void);
    void (*t2OnNewFlow)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnLayer2)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnLayer4)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnFlowTerminate)(unsigned long flowIndex, outbuf_t *buf);
    void (*t2BufToSink)(outbuf_t *buf, unsigned long flowIndex);
    void (*t2PluginReport)(FILE *stream);
    void (*t2Finalize)(void);
    /* monitoring (T2's tutorial "Plugin monitoring"): state is one of
     * T2_MON_PRI_HDR, T2_MON_PRI_VAL, T2_MON_PRI_REPORT */
    void (*t2Monitoring)(FILE *stream, uint8_t state);
} t2_plugin_t;

#define T2_MON_PRI_HDR    0         /* machine report: the column names */
#define T2_MON_PRI_VAL    1         /* machine report: the values */
#define T2_MON_PRI_REPORT 2         /* the lines of an intermediate report */

/* What the core shares with its own plugins, beyond T2's main.h and
 * t2stats.h. */
extern unsigned long t2FlowCapacity;/* number of flow indices */
extern flow_table_t *t2FlowTable;   /* keys, geo tables, counters */

/* The path of output file PREFIX<suffix> (malloc'd; NULL when memory is
 * short).  The fuzzer sends every output to /dev/null. */
char *t2_output_path(const char *suffix);
/* Create output file `path` (from t2_output_path) with the run's buffer
 * size; -1 with errno on failure. */
int t2_open_output(outbuf_t *ob, const char *path);
extern const char *t2CommandLine;   /* for the headers file */
extern const char *t2LibpcapVersion;
extern uint32_t t2SensorID;         /* -x (666 by default, as T2) */
extern uint64_t t2SplitSize;        /* -W: flow file parts of this size, 0: one file */
extern int t2SplitByFlows;          /* -W ...f: the size counts flows */
extern uint64_t t2SplitStart;       /* -W ...,START: number of the first part */

extern FILE *t2Diag;                /* one-line errors and warnings: stderr */

/* t2mini's fast way into the packet file (basicflow.c uses it): the
 * out_buf.h formatters on this buffer; its text reaches sPktFile before
 * the next plugin is called.  NULL without -s. */
extern outbuf_t *t2PktBuf;

/* A plugin could not do its job (e.g. create its file): t2mini goes on
 * but exits with a non-zero status. */
void t2Fail(void);

/* T2_PLUGIN_STRUCT_NEW: one zeroed per-flow struct for every flow index.
 * calloc'd pages cost memory only once a flow index is used. */
#define T2_PLUGIN_STRUCT_NEW(ptr) do { \
        (ptr) = calloc(t2FlowCapacity, sizeof(*(ptr))); \
        if (!(ptr)) { \
            fputs("t2mini: out of memory for plugin state\n", stderr); \
            exit(1); \
        } \
    } while (0)

/* T2_REPORT_ALARMS(n) in t2OnFlowTerminate: the flow raised n alarms.
 * T2 counts them for its end report (t2stats.h); t2mini has no alarm
 * mode (ALARM_MODE 1, tranalyzer.h), in which T2 would also write only
 * the flows with alarms. */
#define T2_REPORT_ALARMS(num) do { \
        numAlarmFlows++; \
        numAlarms += (num); \
    } while (0)

/* T2_RM_FLOW(flowP): end the flow now, in T2's force mode (FORCE_MODE 1,
 * which t2mini has not: tranalyzer.h stops such a build); otherwise it
 * does nothing, as in T2. */
#define T2_RM_FLOW(flowP) do { (void)(flowP); } while (0)

/* ------------------------------------------------------ registration */

/* The plugins, in calling order: the T2_PLUGIN(name) lines of
 * plugin_list.h, made into this table by plugins.c. */
extern const t2_plugin_t *const t2Plugins[];
extern const unsigned t2PluginCount;

#endif
