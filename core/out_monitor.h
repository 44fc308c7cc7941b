/*
 * out_monitor.h - T2's monitoring: intermediate reports while a run goes on.
 *
 * SIGUSR1 asks for one report; SIGUSR2 turns periodic reports on and off
 * (every -M seconds, 1 by default).  They go to stdout, or with -m to
 * PREFIX_monitoring.txt (removed at the end if no report was written).
 * A report is T2's end report as it stands at that moment, framed as T2
 * frames it ("USR1 A type report", the capture time so far, the share of
 * the input read and the time left), and each plugin's t2Monitoring
 * lines (state T2_MON_PRI_REPORT) where it has its end-report lines.
 */
#ifndef T2MINI_OUT_MONITOR_H
#define T2MINI_OUT_MONITOR_H

#include <stdio.h>
#include <sys/time.h>

#include "dissect.h"
#include "flow_table.h"
#include "out_endreport.h"
#include "read_input.h"

typedef struct {
    FILE *out;                  /* stdout or PREFIX_monitoring.txt */
    double interval;            /* seconds between periodic reports */
    int periodic;               /* SIGUSR2 turned them on */
    const struct timeval *start;/* when reading began */
} monitor_t;

void monitor_init(monitor_t *m, FILE *out, double interval, const struct timeval *start);

/* SIGUSR2: periodic reports on (an interval timer, SIGALRM) or off. */
void monitor_toggle(monitor_t *m);
void monitor_stop(monitor_t *m);

/* One intermediate report; `elapsed` is the run time so far. */
void monitor_report(monitor_t *m, const run_stats_t *st, const flow_table_t *ft,
                    const dissect_stats_t *ds, const input_t *in, double elapsed);

/* Live capture: libpcap's counts of received and dropped packets. */
void monitor_drops(FILE *f, capture_t *cap);

/* The end report (out_endreport.c), with libpcap's counts where T2 has
 * them for a live capture. */
void monitor_end_report(FILE *f, const run_stats_t *st, const flow_table_t *ft,
                        const dissect_stats_t *ds, const input_t *in, double elapsed);

/* Close PREFIX_monitoring.txt, removing it if nothing was written. */
void monitor_close_file(FILE *f, const char *prefix);

#endif
