/*
 * t2stats.h - T2's counters that plugins read.
 *
 * The "0" twins hold a counter's value at the last monitoring report, for
 * plugins built with DIFF_REPORT=1; t2mini's reports give totals, and
 * they stay 0.
 */
#ifndef T2MINI_T2STATS_H
#define T2MINI_T2STATS_H

#include <stdint.h>

/* so far (the end report has them all): */
extern uint64_t numPackets, numPackets0;    /* records read */
extern uint64_t bytesProcessed;             /* their captured bytes */
extern uint64_t numV4Packets, numV6Packets; /* IPv4 and IPv6 packets */
extern uint64_t numAPackets, numBPackets;   /* packets of A and B flows */
extern uint64_t numABytes, numBBytes;       /* and their captured bytes */
/* packets with a flow, and their captured bytes, per ethType and per
 * l4Proto of the innermost headers (numPacketsL3: IP packets only) */
extern uint64_t numPacketsL2[65536], numBytesL2[65536];
extern uint64_t numPacketsL3[256], numBytesL3[256];

/* T2_REPORT_ALARMS (t2Plugin.h) counts here; the end report says
 * "[WRN] N alarms in M flows [p%]" when N > 0. */
extern uint64_t numAlarms, numAlarmFlows;

#endif
