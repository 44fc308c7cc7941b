/*
 * txtsink.c - txtSink, the plugin that writes the flow file.
 *
 * A sink is a plugin like the others: when a flow ends, every plugin
 * appends its values to one buffer (t2OnFlowTerminate), then every sink
 * gets the buffer and the columns' description, main_header_bv
 * (t2BufferToSink).  txtSink turns them into a line of text (bin2txt.h)
 * in PREFIX_flows.txt, under a line of column names, and lists the columns
 * in PREFIX_headers.txt, as T2's txtSink does.
 */
/* POSIX.1-2008 (localtime_r, uname, getpid); 64-bit file offsets for a
 * 32-bit build */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "t2Plugin.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

T2_PLUGIN_INIT("txtSink", "0.9.3", 0, 9);

/* The sink's state: the flow file, open from t2Init to t2Finalize.  T2's
 * callbacks take no context, so only they name `sink`. */
typedef struct {
    outbuf_t flows;
    int open;
    /* -W: the flow file in parts PREFIX_flows.txtN, each cut after the
     * line that takes it to t2SplitSize bytes (or flows, t2SplitByFlows) */
    uint64_t partNumber, partSize;
    int broken;         /* a plugin's values did not match its columns */
} txtsink_t;

static txtsink_t sink;

/* The headers file up to "# Plugins loaded:": when, by what and where the
 * run was made. */
static void describe_run(FILE *f)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    const time_t sec = now.tv_sec;
    struct tm tm;
    char date[64] = "";
    if (localtime_r(&sec, &tm)) strftime(date, sizeof(date), "%a %d %b %Y %H:%M:%S %Z", &tm);
    fprintf(f, "# Date: %lld.%06ld sec (%s)\n", (long long)now.tv_sec, (long)now.tv_usec, date);
    fprintf(f, "# t2mini %s (Tranalyzer2 0.9.3 packet mode)\n", T2MINI_VERSION);
    fputs("# Core configuration: L2, IPv4, IPv6\n", f);
    fprintf(f, "# SensorID: %" PRIu32 "\n", t2SensorID);
    fprintf(f, "# PID: %ld\n", (long)getpid());
    fprintf(f, "# Command line: %s\n", t2CommandLine ? t2CommandLine : "");
    struct utsname un;
    if (uname(&un) == 0) {
        fprintf(f, "# HW info: %s;%s;%s;%s;%s\n", un.nodename, un.sysname, un.release,
                un.version, un.machine);
    }
    fprintf(f, "# SW info: %s\n", t2LibpcapVersion ? t2LibpcapVersion : "libpcap");
}

/* PREFIX_headers.txt: how the run was made, then the plugins and the
 * numbered columns (from "# Plugins loaded:" on it is T2's text). */
static int write_headers_file(void)
{
    int rc = -1;
    char *path = t2_output_path("_headers.txt");
    FILE *f = path ? fopen(path, "w") : NULL;
    if (!f) {
        fprintf(t2Diag, "t2mini: %s: cannot create headers file: %s\n",
                path ? path : "headers file", strerror(errno));
        goto done;
    }
    describe_run(f);
    fputs("#\n# Plugins loaded:\n", f);
    for (unsigned i = 0; i < t2_plugin_count(); i++) {
        fprintf(f, "#   %02u: %s, version %s\n", i + 1, t2_plugin_name(i), t2_plugin_version(i));
    }
    fputs("#\n", f);
    bin2txt_columns(f, main_header_bv);
    const int write_error = ferror(f);
    if (fclose(f) != 0 || write_error) {
        fprintf(t2Diag, "t2mini: %s: write failed: %s\n", path, strerror(errno));
        goto done;
    }
    rc = 0;
done:
    free(path);
    return rc;
}

/* The flow file, or with -W its part number partNumber. */
static int open_flow_file(void)
{
    char *path = t2_output_path("_flows.txt");
    char *part = path && t2SplitSize ? malloc(strlen(path) + 24) : NULL;
    if (part) sprintf(part, "%s%" PRIu64, path, sink.partNumber);
    const char *name = t2SplitSize ? part : path;
    sink.open = name && t2_open_output(&sink.flows, name) == 0;
    if (!sink.open) {
        fprintf(t2Diag, "t2mini: %s: cannot create flow file: %s\n",
                name ? name : "flow file", strerror(errno));
    }
    free(part);
    free(path);
    sink.partSize = 0;
    return sink.open ? 0 : -1;
}

void t2Init(void)
{
    sink.partNumber = t2SplitStart;
    if (open_flow_file() != 0) {
        t2Fail();
        return;
    }
    sink.broken = 0;
    bin2txt_names(&sink.flows, main_header_bv);
    if (write_headers_file() != 0) t2Fail();
}

/* -W: after the line that fills a part, the next part.  The first part's
 * size counts its header line, as T2's file offset does. */
static void next_part(void)
{
    const uint64_t written = (uint64_t)lseek(sink.flows.fd, 0, SEEK_CUR) + sink.flows.len;
    sink.partSize = t2SplitByFlows ? sink.partSize + 1 : written;
    if (sink.partSize < t2SplitSize) return;
    sink.partNumber++;
    if (outbuf_close(&sink.flows) != 0 || open_flow_file() != 0) {
        sink.open = 0;
        t2Fail();
    }
}

/* The flow's line.  Values that do not match the columns are a plugin's
 * error (T2 stops there): the run fails, and no more lines are written. */
void t2BufferToSink(outputBuffer_t *buf, binary_value_t *bv)
{
    if (!sink.open || sink.broken) return;
    bin2txt_error_t err;
    if (bin2txt_line(&sink.flows, bv, buf, &err) != 0) {
        fprintf(t2Diag, "t2mini: flow file, column %u (%s): %s: no more flows written\n",
                err.number, err.column->name, err.why);
        sink.broken = 1;
        t2Fail();
        return;
    }
    if (t2SplitSize) next_part();
}

void t2Finalize(void)
{
    if (!sink.open) return;
    sink.open = 0;
    if (outbuf_close(&sink.flows) != 0) {
        fprintf(t2Diag, "t2mini: %s_flows.txt: write failed: %s\n", baseFileName, strerror(errno));
        t2Fail();
    }
}

