/*
 * read_input.h - step 1, the input of a run: one capture file (-r, also
 * "-" for standard input), a list of them (-R), a numbered series (-D) or
 * a network interface (-i).  Whatever the input, the run sees one stream
 * of records: when a file ends, the next one is opened here and the flows
 * go on across it, as in T2.
 *
 * For each capture it opens, the input prints T2's lines about it on the
 * report stream: "Processing file no. 2 of 3: NAME" (list) or "Processing
 * file: NAME" (series), the link layer type and the snapshot length.
 */
#ifndef T2MINI_READ_INPUT_H
#define T2MINI_READ_INPUT_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "read_capture.h"
#include "read_list.h"

typedef enum { INPUT_FILE, INPUT_LIST, INPUT_SERIES, INPUT_LIVE } input_kind_t;

typedef struct {
    /* set by the caller */
    input_kind_t kind;
    const char *name;           /* -r, -R, -D or -i argument */
    FILE *stream;               /* INPUT_FILE: read this instead (the fuzzer) */
    const char *bpf;            /* filter expression, or NULL */
    int snaplen, buf_size;       /* -i: -S and -B */
    const char *dump_path;       /* --dump: a copy of every packet read */
    FILE *log;                  /* the report stream */
    FILE *diag;                 /* one-line errors */
    int log_is_file;              /* -l: no waiting dots on the report */
    volatile sig_atomic_t *stop;/* set by a signal: stop waiting for files */
    void (*on_wait)(void *ctx);  /* called while waiting for a file */
    void *wait_ctx;

    /* the input's state */
    capture_t *cap;             /* the capture being read */
    char *current;              /* its name */
    uint64_t total_size;         /* bytes of every file opened or listed */
    caplist_t list;
    unsigned list_index;
    series_t series;
} input_t;

/* Open the input's first capture (a list is read and checked first).  0,
 * or 1 after one line on `diag`. */
int input_open(input_t *in);

/* The banner's lines about the input, from "Processing file: NAME" to the
 * snapshot length. */
void input_print_first(const input_t *in);

/* Link layer type and snapshot length of the current capture (and, live,
 * with `with_buffer`, the buffer size), as T2 prints them. */
void input_print_capture(const input_t *in, FILE *f, int with_buffer);

/* The current capture ended: open the next one and print its lines.  1
 * when there is one, 0 at the end of the input, -1 after an error line
 * (the run ends as at the end of the input). */
int input_next(input_t *in);

void input_close(input_t *in);

/* Warnings while reading, each said once a capture (on `diag`) and, for
 * read errors, once a distinct message on the report (as T2 does). */
typedef struct {
    unsigned read_errors;
    char last_error[512];
    int oversize;
} read_warnings_t;

/* libpcap could not read a record; reading goes on where it can. */
void input_warn_read_error(const input_t *in, read_warnings_t *w, uint64_t packets);

/* libpcap cuts records longer than the snapshot length (so T2 sees them
 * cut), t2mini too; it says so once. */
void input_warn_oversize(const input_t *in, read_warnings_t *w, const record_t *rec, uint64_t packet);

/* The capture's link type cannot be dissected: one line on `diag`, `why`
 * appended. */
void input_warn_link_type(const input_t *in, const char *why);

#endif
