/*
 * out_files.h - the run's output files and their names.
 *
 * T2's naming: every file is PREFIX + a suffix (_packets.txt, _flows.txt,
 * _headers.txt, _log.txt, _monitoring.txt).  The prefix is -w, or for a
 * directory (or a name ending in '/') DIR/NAME, NAME being the input's
 * file name without its last extension ("stdin" for standard input, an
 * interface's name whole); without -w, NAME next to the input.
 *
 * The packet file is a stdio stream (T2's sPktFile, which plugins fputs
 * and fprintf to) with a large buffer; the core formats its own columns
 * faster, into an outbuf on that stream (t2PktBuf), whose text reaches the
 * stream before each plugin writes (out_files_pkt_sync()).
 */
#ifndef T2MINI_OUT_FILES_H
#define T2MINI_OUT_FILES_H

#include <stdio.h>

#include "options.h"
#include "out_buf.h"

typedef struct {
    char *prefix;               /* PREFIX: PREFIX_flows.txt, ... */
    FILE *log;                  /* the end report: the report stream or PREFIX_log.txt */
    FILE *mon;                  /* monitoring: the same or PREFIX_monitoring.txt */
    FILE *report;               /* the report stream itself (stdout) */
    FILE *pkt;                  /* the packet file (-s), else NULL */
    outbuf_t pkt_buf;           /* the core's packet-file text */
    char pkt_text[OUTBUF_LINE_SIZE];
    char *pkt_stdio_buffer;
} out_files_t;

/* Where one-line errors and warnings go: stderr (the fuzzer: /dev/null). */
extern FILE *t2Diag;

/* The prefix and the report streams; 0, or -1 after a line on stderr. */
int out_files_open(out_files_t *of, const options_t *o);

/* The packet file, with its buffers; 0, or -1 after a line on stderr. */
int out_files_open_packets(out_files_t *of, const options_t *o);

/* Before a plugin writes to the packet file: the core's text first. */
static inline void out_files_pkt_sync(out_files_t *of)
{
    if (of->pkt && of->pkt_buf.len) outbuf_flush(&of->pkt_buf);
}

/* Write out and close everything; 0, or -1 after a line on stderr. */
int out_files_close(out_files_t *of);

/* For plugins (t2Plugin.h): the path of output file PREFIX<suffix>
 * (malloc'd; NULL when memory is short), and an outbuf on it. */
char *t2_output_path(const char *suffix);
int t2_open_output(outbuf_t *ob, const char *path);

#endif
