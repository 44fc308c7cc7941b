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

extern uint64_t numPackets, numPackets0;    /* records read so far */
extern uint64_t numPacketsL3[256];          /* IP packets per l4Proto so far */

/* T2_REPORT_ALARMS (t2Plugin.h) counts here; the end report says
 * "[WRN] N alarms in M flows [p%]" when N > 0. */
extern uint64_t numAlarms, numAlarmFlows;

#endif
