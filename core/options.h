/*
 * t2mini.h - running the whole pipeline on one input.
 *
 * main() in t2mini.c parses the command line (T2's options) into an
 * options_t and calls t2mini_run(); the fuzzer (fuzz/) calls it directly,
 * with the capture in a memory stream.
 */
#ifndef T2MINI_T2MINI_H
#define T2MINI_T2MINI_H

#include <stdint.h>
#include <stdio.h>

#include "flow_geo.h"
#include "read_input.h"

typedef struct {
    input_kind_t input_kind;     /* which of -r, -R, -D, -i gave `input` */
    const char *input;          /* the capture, list, series or interface */
    FILE *input_stream;          /* -r: read the capture from here instead */
    const char *out_prefix;      /* -w or -W PREFIX (NULL: from the input) */
    int flows_to_stdout;          /* -w -: the flow file is standard output */
    double split_size;           /* -W: flow files of this many bytes (0: one) */
    int split_by_flows;           /* -W ...f: SIZE counts flows, not bytes */
    uint64_t split_start;        /* -W: number of the first flow file */
    const char *geo_dir;         /* -G */
    const geo_t *geo;           /* or subnet tables loaded already */
    int packet_mode;             /* -s */
    int log_file;                /* -l: end report to PREFIX_log.txt */
    int mon_file;                /* -m: monitoring to PREFIX_monitoring.txt */
    double mon_interval;         /* -M: seconds between monitoring reports */
    const char *bpf;            /* -F FILE or the trailing expression */
    char *bpf_owned;             /* main(): the same, to be freed */
    uint32_t sensor_id;          /* -x */
    int snaplen, buf_size;       /* -S, -B (live capture) */
    const char *dump_path;       /* --dump: the packets read, as pcap */
    int progress;               /* a progress line on stderr (a terminal) */
    int handle_signals;          /* SIGINT, SIGTERM, SIGUSR1/2 as T2 */
    FILE *report;               /* where the end report goes (stdout) */
    FILE *diag;                 /* errors and warnings (NULL: stderr) */
    int discard_output;          /* write every output file to /dev/null */
    uint32_t flow_capacity;      /* flow table size (FLOW_CAPACITY x -f) */
} options_t;

/* Process the input; returns the exit status (0 ok, 1 failed). */
int t2mini_run(const options_t *o);

#endif
