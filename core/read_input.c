/*
 * read_input.c - the input of a run, one capture after the other (see
 * read_input.h).
 */
/* POSIX.1-2008 (stat, nanosleep...); 64-bit file offsets, so that a 32-bit
 * build can stat a capture over 2 GiB */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "read_input.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_report.h"

#define SERIES_POLL_SECONDS 5   /* T2 looks for the next file of a series this often */

void input_print_capture(const input_t *in, FILE *f, int with_buffer)
{
    const capture_t *cap = in->cap;
    if (!cap) return;                   /* a series waiting for its next file */
    fprintf(f, "Link layer type: %s [%s/%d]\n", capture_linktype_desc(cap),
            capture_linktype_name(cap), capture_dlt(cap));
    char h[64];
    report_readable(h, sizeof(h), (uint64_t)capture_snaplen(cap), NULL);
    fprintf(f, "Snapshot length: %d%s\n", capture_snaplen(cap), h);
    if (in->kind == INPUT_LIVE && with_buffer) {
        report_readable(h, sizeof(h), (uint64_t)in->buf_size, NULL);
        fprintf(f, "Rx buffer length: %d%s\n", in->buf_size, h);
    }
}

static int set_filter(input_t *in)
{
    char err[512];
    if (in->dump_path && capture_dump_to(in->cap, in->dump_path, err, sizeof(err)) != 0) {
        fprintf(in->diag, "t2mini: %s: cannot write packets: %s\n", in->dump_path, err);
        return -1;
    }
    if (!in->bpf || !in->bpf[0] || capture_set_filter(in->cap, in->bpf, err, sizeof(err)) == 0) return 0;
    fprintf(in->diag, "t2mini: '%s' is not a valid BPF filter: %s\n", in->bpf, err);
    return -1;
}

/* Open `name` as the current capture; -1 after a line on diag. */
static int open_file(input_t *in, const char *name, int precision)
{
    char err[1024];
    struct stat st;
    const int is_stdin = strcmp(name, "-") == 0;
    if (!is_stdin && stat(name, &st) != 0) {
        fprintf(in->diag, "t2mini: %s: cannot read capture: %s\n", name, strerror(errno));
        return -1;
    }
    if (!is_stdin && S_ISDIR(st.st_mode)) {
        fprintf(in->diag, "t2mini: %s: is a directory, not a capture file\n", name);
        return -1;
    }
    in->cap = capture_open(name, precision, err, sizeof(err));
    if (!in->cap) {
        fprintf(in->diag, "t2mini: %s: not a readable capture: %s\n", name, err);
        return -1;
    }
    free(in->current);
    in->current = malloc(strlen(name) + 1);
    if (in->current) strcpy(in->current, name);
    if (!is_stdin && in->kind != INPUT_LIST) in->total_size += (uint64_t)st.st_size;
    return in->current ? set_filter(in) : -1;
}

/* A series file that is not there yet is waited for, a dot on the report
 * every few seconds, as T2 does, until a signal says stop; 1 when it is
 * there, 0 when stopped. */
static int wait_for_series_file(input_t *in, const char *name)
{
    while (access(name, F_OK) != 0) {
        if (in->on_wait) in->on_wait(in->wait_ctx);
        if (*in->stop) return 0;
        if (!in->log_is_file) fputc('.', in->log);
        fflush(NULL);
        sleep(SERIES_POLL_SECONDS);             /* a signal cuts it short */
        if (*in->stop) return 0;
    }
    return 1;
}

static int open_series_file(input_t *in)
{
    char *name = series_name(&in->series);
    if (!name) {
        fputs("t2mini: out of memory\n", in->diag);
        return -1;
    }
    int rc = wait_for_series_file(in, name) ? open_file(in, name, CAPTURE_MICRO) : 1;
    free(name);
    return rc;
}

int input_open(input_t *in)
{
    char err[1024];
    switch (in->kind) {
        case INPUT_FILE:
            if (!in->stream) return open_file(in, in->name, CAPTURE_NANO) == 0 ? 0 : 1;
            in->cap = capture_open_stream(in->stream, CAPTURE_NANO, err, sizeof(err));
            if (!in->cap) fprintf(in->diag, "t2mini: %s: not a readable capture: %s\n", in->name, err);
            in->current = in->cap ? malloc(strlen(in->name) + 1) : NULL;
            if (in->current) strcpy(in->current, in->name);
            return in->current && set_filter(in) == 0 ? 0 : 1;
        case INPUT_LIST:
            if (caplist_read(&in->list, in->name, in->log, in->diag) != 0) return 1;
            in->total_size = in->list.total_size;
            return open_file(in, in->list.names[0], CAPTURE_MICRO) == 0 ? 0 : 1;
        case INPUT_SERIES:
            if (series_parse(&in->series, in->name) != 0) {
                fprintf(in->diag, "t2mini: %s: not a numbered series\n", in->name);
                return 1;
            }
            return open_series_file(in) == 0 ? 0 : 1;
        case INPUT_LIVE:
            in->cap = capture_open_live(in->name, in->snaplen, in->buf_size, err, sizeof(err));
            if (!in->cap) fprintf(in->diag, "t2mini: %s: cannot capture: %s\n", in->name, err);
            return in->cap && set_filter(in) == 0 ? 0 : 1;
    }
    return 1;
}

void input_print_first(const input_t *in)
{
    FILE *f = in->log;
    switch (in->kind) {
        case INPUT_FILE: fprintf(f, "Processing file: %s\n", in->name); break;
        case INPUT_LIST: fprintf(f, "Processing list file: %s\n", in->name); break;
        case INPUT_SERIES: fprintf(f, "Processing file: %s\n", in->current); break;
        case INPUT_LIVE: fprintf(f, "Live capture on interface: %s\n", in->name); break;
    }
    if (in->bpf && in->bpf[0]) fprintf(f, "[INF] BPF: %s\n", in->bpf);
    if (in->kind == INPUT_LIST) {
        fprintf(f, "Processing file no. 1 of %u: %s\n", in->list.count, in->current);
    }
    input_print_capture(in, in->log, 1);
}

int input_next(input_t *in)
{
    int rc;
    if (in->kind == INPUT_LIST) {
        if (in->list_index + 1 >= in->list.count) return 0;
        capture_close(in->cap);
        in->cap = NULL;
        in->list_index++;
        if (open_file(in, in->list.names[in->list_index], CAPTURE_MICRO) != 0) return -1;
        fprintf(in->log, "Processing file no. %u of %u: %s\n", in->list_index + 1, in->list.count,
                in->current);
    } else if (in->kind == INPUT_SERIES) {
        if (!series_next(&in->series)) return 0;
        capture_close(in->cap);
        in->cap = NULL;
        if ((rc = open_series_file(in)) != 0) return rc > 0 ? 0 : -1;
        fprintf(in->log, "Processing file: %s\n", in->current);
    } else {
        return 0;
    }
    input_print_capture(in, in->log, 1);
    fflush(in->log);
    return 1;
}

void input_close(input_t *in)
{
    capture_close(in->cap);
    in->cap = NULL;
    free(in->current);
    in->current = NULL;
    caplist_free(&in->list);
    series_free(&in->series);
}

void input_warn_read_error(const input_t *in, read_warnings_t *w, uint64_t packets)
{
    const char *msg = capture_error(in->cap);
    if (++w->read_errors == 1) {        /* the report lists the others */
        fprintf(in->diag, "t2mini: %s: warning: after packet %" PRIu64 ": %s\n",
                in->current, packets, msg);
    }
    if (strcmp(msg, w->last_error) != 0) {
        fprintf(in->log, "[WRN] pcap_dispatch failed: %s\n", msg);
        snprintf(w->last_error, sizeof(w->last_error), "%s", msg);
    }
}

void input_warn_oversize(const input_t *in, read_warnings_t *w, const record_t *rec, uint64_t packet)
{
    const int snaplen = capture_snaplen(in->cap);
    if (w->oversize || snaplen <= 0 || rec->file_caplen <= (uint32_t)snaplen) return;
    fprintf(in->diag, "t2mini: %s: warning: packet %" PRIu64 " has %" PRIu32
            " captured bytes, more than the snapshot length %d: cut to it\n",
            in->current, packet, rec->file_caplen, snaplen);
    w->oversize = 1;
}

void input_warn_link_type(const input_t *in, const char *why)
{
    const capture_t *cap = in->cap;
    fprintf(in->diag, "t2mini: %s: unsupported link-layer type: %s [%s/%d]%s\n", in->current,
            capture_linktype_desc(cap), capture_linktype_name(cap), capture_dlt(cap), why);
}
