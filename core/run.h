/*
 * run.h - the state of one run, and the steps around the pipeline:
 * setting up (tables, output files, input), the work between records
 * (signals, reports, the progress line, live timeouts), finishing (the
 * open flows, the end report) and cleaning up.
 *
 * t2mini.c is the pipeline itself; it and run.c share the run's state
 * t2_t, passed to every function.
 */
#ifndef T2MINI_RUN_H
#define T2MINI_RUN_H

#include <stdint.h>
#include <sys/time.h>

#include "binaryValue.h"
#include "dissect.h"
#include "flow_table.h"
#include "options.h"
#include "out_endreport.h"
#include "out_files.h"
#include "out_monitor.h"
#include "out_progress.h"
#include "outputBuffer.h"
#include "read_input.h"
#include "signals.h"

/* T2QUIRK: T2 reads past the end of short records into libpcap's record
 * buffer, which still holds the bytes of earlier records (libpcap reads
 * every record of a pcap file to the start of the same buffer).  t2mini
 * keeps a copy of those bytes so that its reads past the end see what T2
 * sees.  The record being processed is copied to its start first: the
 * plugins' pointers (packet.h) point into it, as T2's point into
 * libpcap's buffer.  The tail after LEFTOVER_MAX is never written: zeros,
 * room for the longest read T2 makes from a layer's start (a payload of
 * 65535 bytes). */
#define LEFTOVER_MAX 262144u
#define LEFTOVER_TAIL (65536u + 64u)

typedef struct {
    uint8_t bytes[LEFTOVER_MAX + LEFTOVER_TAIL];
    uint32_t len;
} leftover_t;

typedef struct {
    const options_t *o;
    signals_t *sig;             /* what the signals asked for */
    input_t in;                 /* where the records come from */
    out_files_t out;            /* prefix, report streams, packet file */
    int linktype;
    int link_unsupported;       /* fatal at the first record, as in T2 */
    int fatal;                  /* reading stopped on an error: no report */
    int input_failed;           /* a later capture could not be opened */
    int status;                 /* the exit status so far */
    leftover_t leftover;
    run_stats_t st;
    dissect_stats_t dst;
    flow_table_t ft;
    int have_flow_table;
    geo_t geo;
    int have_geo;
    outputBuffer_t *flow_buf;   /* the values of the flow that ends */
    binary_value_t *header;     /* their columns (main_header_bv) */
    monitor_t monitor;          /* intermediate reports (out_monitor.c) */
    progress_t progress;        /* the progress line (out_progress.c) */
    unsigned plugins_started;   /* plugins whose t2Init ran */
    struct timeval start;       /* when reading began */
    struct timeval last_flush;  /* live: when output last went out */
    unsigned idle_ms;           /* live: time waited for packets since the
                                   last timeout walk by the wall clock */
    int no_flow_left;           /* after a first SIGINT: the run is over */
} t2_t;

/* Tables, output files, input, in T2's order; 0, or 1 after a line on
 * stderr.  Whatever was made is undone by run_cleanup().  The flow table
 * calls `hooks` when a flow starts and ends. */
int run_setup(t2_t *t, const options_t *o, flow_hooks_t hooks);

/* The plugins' t2Init and the header line of the packet file, then what
 * reading needs; 0, or 1 when a plugin failed. */
int run_start(t2_t *t);

/* Now and then between records (`idle`: while waiting for one). */
void run_between_records(t2_t *t, int idle);

/* What the signals asked for: their messages, the monitoring reports.
 * Cheap enough for every record. */
void run_handle_signals(t2_t *t);

/* Live: no packet came within wait_ms milliseconds. */
void run_live_idle(t2_t *t, int wait_ms);

/* After a first SIGINT, T2 ends the run at the first timeout walk that
 * leaves no flow, before the packet (if any) the walk was made for. */
int run_no_flow_left(t2_t *t);

/* The first time the flow table overflows: T2's warning and advice. */
void run_warn_table_full(t2_t *t);

/* After the last record: the open flows, then the end report. */
void run_finish(t2_t *t);

/* Close what is open; a plugin's failure or a failed write makes the
 * status 1. */
void run_cleanup(t2_t *t);

#endif
