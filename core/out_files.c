/*
 * out_files.c - output prefix, report streams and the packet file (see
 * out_files.h).
 */
#define _POSIX_C_SOURCE 200809L    /* stat, dup */
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_files.h"

/* What t2_output_path() needs of the run: plugins name their files by a
 * suffix only, as in T2. */
static struct {
    const char *prefix;
    int discard;                /* fuzzing: every output is /dev/null */
    int flows_to_stdout;        /* -w -: the flow file is standard output */
} naming;

/* NAME: the input's file name without its directory and last extension;
 * a series without ,STOP and :SCHR. */
static void input_base(const options_t *o, char *in, size_t size, const char **base, size_t *len)
{
    snprintf(in, size, "%s", strcmp(o->input, "-") == 0 ? "stdin" : o->input);
    if (o->input_kind == INPUT_SERIES) {
        char *cut = strrchr(in, ',');
        if (cut) *cut = '\0';
        if ((cut = strrchr(in, ':'))) *cut = '\0';
    }
    const char *slash = strrchr(in, '/');
    *base = slash ? slash + 1 : in;
    const char *dot = o->input_kind == INPUT_LIVE ? NULL : strrchr(*base, '.');
    *len = dot ? (size_t)(dot - *base) : strlen(*base);
}

static char *output_prefix(const options_t *o)
{
    char in[4096];
    const char *base;
    size_t base_len;
    input_base(o, in, sizeof(in), &base, &base_len);
    const char *w = o->out_prefix;
    const size_t w_len = w ? strlen(w) : 0;
    struct stat st;
    const int is_dir = w && ((w_len && w[w_len - 1] == '/') || (stat(w, &st) == 0 && S_ISDIR(st.st_mode)));
    if (w && !is_dir) return strdup(w);
    const size_t dir_len = w ? w_len : (size_t)(base - in);
    const int add_slash = w && w[w_len - 1] != '/';
    char *out = malloc(dir_len + 1 + base_len + 1);
    if (!out) return NULL;
    memcpy(out, w ? w : in, dir_len);
    if (add_slash) out[dir_len] = '/';
    memcpy(out + dir_len + add_slash, base, base_len);
    out[dir_len + add_slash + base_len] = '\0';
    return out;
}

/* PREFIX_log.txt (-l) and PREFIX_monitoring.txt (-m), or the report stream. */
static FILE *open_side_file(const out_files_t *of, int wanted, const char *suffix)
{
    if (!wanted || naming.discard) return of->report;
    const size_t n = strlen(of->prefix) + strlen(suffix) + 1;
    char *path = malloc(n);
    FILE *f = NULL;
    if (path) {
        snprintf(path, n, "%s%s", of->prefix, suffix);
        f = fopen(path, "w");
        if (!f) fprintf(t2Diag, "t2mini: %s: cannot create file: %s\n", path, strerror(errno));
    }
    free(path);
    return f;
}

int out_files_open(out_files_t *of, const options_t *o)
{
    naming.discard = o->discard_output;
    naming.flows_to_stdout = o->flows_to_stdout;
    of->report = o->report;
    of->prefix = output_prefix(o);
    naming.prefix = of->prefix;
    if (!of->prefix) {
        fputs("t2mini: out of memory\n", t2Diag);
        return -1;
    }
    if (!(of->log = open_side_file(of, o->log_file, "_log.txt"))) return -1;
    if (!(of->mon = open_side_file(of, o->mon_file, "_monitoring.txt"))) return -1;
    return 0;
}

/* A megabyte of stdio buffer at a time; less when fuzzing (short runs). */
int out_files_open_packets(out_files_t *of, const options_t *o)
{
    const size_t size = o->discard_output ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE;
    char *path = t2_output_path("_packets.txt");
    of->pkt_stdio_buffer = malloc(size);
    if (!path || !of->pkt_stdio_buffer) {
        fputs("t2mini: out of memory\n", t2Diag);
        free(path);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f || setvbuf(f, of->pkt_stdio_buffer, _IOFBF, size) != 0) {
        fprintf(t2Diag, "t2mini: %s: cannot create packet file: %s\n", path, strerror(errno));
        if (f) fclose(f);
        f = NULL;
    }
    free(path);
    if (!f) return -1;
    of->pkt = f;
    outbuf_on_stream(&of->pkt_buf, f, of->pkt_text, sizeof(of->pkt_text));
    return 0;
}

static int close_packet_file(out_files_t *of)
{
    out_files_pkt_sync(of);
    const int failed = ferror(of->pkt) || of->pkt_buf.err;
    const int e = of->pkt_buf.err ? of->pkt_buf.err : errno;
    const int close_failed = fclose(of->pkt) != 0;
    of->pkt = NULL;
    if (close_failed || failed) {
        fprintf(t2Diag, "t2mini: %s_packets.txt: write failed: %s\n", of->prefix,
                strerror(failed ? e : errno));
        return -1;
    }
    return 0;
}

int out_files_close(out_files_t *of)
{
    int status = 0;
    if (of->pkt && close_packet_file(of) != 0) status = -1;
    free(of->pkt_stdio_buffer);
    of->pkt_stdio_buffer = NULL;
    if (of->log && (fflush(of->log) != 0 || ferror(of->log))) {
        fprintf(t2Diag, "t2mini: end report: write failed: %s\n", strerror(errno));
        status = -1;
    }
    if (of->log && of->log != of->report) fclose(of->log);
    of->log = NULL;
    free(of->prefix);
    of->prefix = NULL;
    naming.prefix = NULL;
    return status;
}

char *t2_output_path(const char *suffix)
{
    const int to_stdout = naming.flows_to_stdout && strcmp(suffix, "_flows.txt") == 0;
    const char *prefix = naming.discard ? "/dev/null" : to_stdout ? "-" : naming.prefix;
    if (naming.discard || to_stdout) suffix = "";
    const size_t n = strlen(prefix) + strlen(suffix) + 1;
    char *path = malloc(n);
    if (path) snprintf(path, n, "%s%s", prefix, suffix);
    return path;
}

int t2_open_output(outbuf_t *ob, const char *path)
{
    if (strcmp(path, "-") == 0) {
        /* standard output through an outbuf: a buffer of its own, and a
         * descriptor of its own that closing the outbuf may close */
        if (outbuf_open_memory(ob) != 0) return -1;
        ob->fd = dup(STDOUT_FILENO);
        if (ob->fd >= 0) outbuf_track(ob);
        return ob->fd < 0 ? -1 : 0;
    }
    /* a fuzzing run is short: a large buffer would cost more than it saves */
    return outbuf_open(ob, path, naming.discard ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE);
}
