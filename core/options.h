/*
 * options.h - what a run is asked to do: T2's command line (options.c)
 * as an options_t.
 *
 * main() in t2mini.c parses the command line into an options_t and calls
 * t2mini_run(); the fuzzer (fuzz/) fills one itself and calls
 * t2mini_run() directly, with the capture in a memory stream.
 */
#ifndef T2MINI_OPTIONS_H
#define T2MINI_OPTIONS_H

#define T2MINI_VERSION "0.9.3"

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
    const char *command_line;    /* the words of the command, for the headers file */
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

/* What options_parse() found: run, done (-h, -V), a usage error, or a
 * failure (an unreadable -F file, -P refused). */
enum { OPT_RUN = 0, OPT_DONE = 1, OPT_USAGE = 2, OPT_FAIL = 3 };

/* T2's long options ("--pcap=x.pcap") as short ones ("-r x.pcap"), so
 * that getopt sees short options only; a new array (free it), or NULL
 * after a line on stderr. */
char **options_short_args(int argc, char **argv, int *out_argc);

/* argv (short options only) into *o, with T2's defaults; OPT_RUN to go
 * on.  Free o->bpf_owned afterwards. */
int options_parse(int argc, char **argv, options_t *o);

/* The words joined by spaces (the BPF expression, the command line for
 * the headers file); malloc'd, NULL for none. */
char *options_join(int argc, char **argv);

#endif
