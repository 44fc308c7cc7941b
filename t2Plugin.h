/*
 * t2Plugin.h - how a plugin plugs into t2mini: T2's plugin interface.
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
 *   t2PrintHeader     once, before t2Init: describe the plugin's flow-file
 *                     columns (binaryValue.h)
 *   t2OnFlowTerminate a flow ended: append the values of those columns
 *                     (outputBuffer.h)
 *   t2BufferToSink    sinks only: write the flow's values somewhere (the
 *                     text sink: bin2txt.h)
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
 * A plugin defines the callbacks it needs under T2's names and registers
 * with T2_PLUGIN_INIT; `make PLUGINS=...` builds it in (tools/plugins.sh
 * gives each plugin's callbacks names of its own).  This header is all a
 * plugin sees: T2's headers (api/) and, on purpose, t2mini's fast packet-
 * file formatters (core/out_buf.h); the flow table and the geo tables
 * reach a plugin only through T2's interface (flow.h, hashTable.h,
 * subnetHL.h).
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
#include "bin2txt.h"
#include "binaryValue.h"
#include "outputBuffer.h"
#include "packet.h"
#include "packetCapture.h"
#include "subnetHL.h"
#include "t2log.h"
#include "t2stats.h"
#include "t2utils.h"
#include "tranalyzer.h"

/* t2mini's own: the packet-file formatters of t2PktBuf (below) */
#include "core/out_buf.h"

#define T2MINI_VERSION "0.9.3"                     /* as options.h */
#define SEP_CHR "\t"                               /* column separator */

/* T2_PLUGIN_INIT("name", "version", T2 major, T2 minor): the plugin's
 * name and version, and the T2 version it was written for, as functions
 * T2 finds by their names; plugin_name is the name, for the plugin's own
 * messages.  _WITH_DEPS adds the plugins it needs ("tcpFlags,tcpStates"). */
#define T2_PLUGIN_INIT(name, version, major, minor) \
    static const char * const plugin_name = name; \
    const char *t2PluginName(void) { return plugin_name; } \
    const char *t2PluginVersion(void) { return version; } \
    unsigned int t2SupportedT2Major(void) { return major; } \
    unsigned int t2SupportedT2Minor(void) { return minor; } \
    typedef int t2_plugin_init_ends_with_a_semicolon_

#define T2_PLUGIN_INIT_WITH_DEPS(name, version, major, minor, deps) \
    T2_PLUGIN_INIT(name, version, major, minor); \
    const char *t2Dependencies(void) { return deps; } \
    typedef int t2_plugin_deps_end_with_a_semicolon_

/* The plugins loaded, in plugin order: how many, and each one's name and
 * version (a sink describes the run with them). */
unsigned t2_plugin_count(void);
const char *t2_plugin_name(unsigned i);
const char *t2_plugin_version(unsigned i);

#define T2_MON_PRI_HDR    0         /* machine report: the column names */
#define T2_MON_PRI_VAL    1         /* machine report: the values */
#define T2_MON_PRI_REPORT 2         /* the lines of an intermediate report */

/* T2's report settings at their defaults, as t2mini's core has them:
 * monitoring reports give totals, not the change since the last report
 * (hex digits are lower case: B2T_PRIX8 ... in bin2txt.h).  A plugin keeps its counts of the last
 * report under #if DIFF_REPORT == 1 (T2's differential reports); t2mini's
 * core has no such mode, so -DDIFF_REPORT=1 changes the plugins' counts
 * only (tests/test_tcpwin_monitoring.py builds tcpWin so). */
#ifndef DIFF_REPORT
#define DIFF_REPORT 0
#endif

/* What the core shares with its own plugins, beyond T2's main.h and
 * t2stats.h. */
extern unsigned long t2FlowCapacity;/* number of flow indices */
extern binary_value_t *main_header_bv; /* the flow file's columns: the core's, then
                                        * each plugin's t2PrintHeader() */

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

#endif
