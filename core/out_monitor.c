/*
 * out_monitor.c - intermediate reports (see out_monitor.h).
 *
 * The body of an intermediate report is the end report as it stands:
 * out_endreport.c writes it into memory (open_memstream), and the lines
 * that only an end report has are left out on the way to the monitoring
 * stream.
 */
/* POSIX.1-2008 (open_memstream, stat); 64-bit file offsets for a 32-bit
 * build */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "out_monitor.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "out_report.h"
#include "plugins.h"

static const char DOUBLE_RULE[] = "================================================================================\n";

/* T2's monitoring banner (output text, kept byte for byte). */
static const char BANNER[] =
    "\n"
    "                                    @      @                                    \n"
    "                                     |    |                                     \n"
    "===============================vVv==(a    a)==vVv===============================\n"
    "=====================================\\    /=====================================\n"
    "======================================\\  /======================================\n"
    "                                       oo                                       \n";

void monitor_init(monitor_t *m, FILE *out, double interval, const struct timeval *start)
{
    m->out = out;
    m->interval = interval > 0 ? interval : 1.0;
    m->periodic = 0;
    m->start = start;
}

static void set_timer(double seconds)
{
    struct itimerval it;
    memset(&it, 0, sizeof(it));
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_usec = (suseconds_t)((seconds - (double)(time_t)seconds) * 1e6);
    it.it_interval = it.it_value;
    setitimer(ITIMER_REAL, &it, NULL);
}

void monitor_toggle(monitor_t *m)
{
    m->periodic = !m->periodic;
    set_timer(m->periodic ? m->interval : 0);
}

void monitor_stop(monitor_t *m)
{
    if (m->periodic) set_timer(0);
    m->periodic = 0;
}

/* ------------------------------------------------------------ header */

static void print_percent(FILE *f, unsigned files, uint64_t size)
{
    const float done = 100.0f * (float)run_bytes_read(files);
    fprintf(f, "Percentage completed: %.2f%%\n", (double)done / (double)size);
}

/* Share of the input read so far: what the time left is estimated from. */
static double share_read(const input_t *in)
{
    const unsigned files = in->kind == INPUT_LIST ? in->list.count : 1;
    if ((in->kind != INPUT_FILE && in->kind != INPUT_LIST) || in->total_size == 0) return 1.0;
    const float read = (float)run_bytes_read(files);
    return (double)(read / (float)in->total_size);
}

static uint64_t file_size(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

static void print_monitor_input(FILE *f, const input_t *in)
{
    if (in->kind == INPUT_FILE && in->total_size) {
        fprintf(f, "Processing file: %s\n", in->name);
    } else if (in->kind == INPUT_LIST && in->total_size) {
        fprintf(f, "Processing list file: %s\n", in->name);
        fprintf(f, "Processing file no. %u of %u: %s\n", in->list_index + 1, in->list.count, in->current);
    } else if (in->kind == INPUT_SERIES) {
        fprintf(f, "Current file: %s\n", in->current);
    } else if (in->kind == INPUT_LIVE) {
        fprintf(f, "Live capture on interface: %s\n", in->name);
    } else {
        return;
    }
    input_print_capture(in, f, 0);
    if (in->kind == INPUT_FILE || in->kind == INPUT_LIST) report_num(f, "Total bytes to process", in->total_size);
    if (in->kind == INPUT_LIST) report_num(f, "Current file size in bytes", file_size(in->current));
    if (in->kind == INPUT_LIVE) monitor_drops(f, in->cap);
    else print_percent(f, in->kind == INPUT_LIST ? in->list.count : 1, in->total_size);
}

/* Share read, then the time left and the expected end (ETF). */
static void print_time_left(FILE *f, const input_t *in, double elapsed)
{
    if (in->kind == INPUT_FILE && in->total_size) {
        report_num_if(f, "Total bytes processed so far", run_bytes_read(1));
    }
    const double pb = share_read(in);
    if (in->kind == INPUT_LIVE || pb <= 0.0) return;
    const double left = elapsed * (1.0 - pb) / pb;
    endreport_span(f, "Remaining time: ", (int64_t)left, (int64_t)((left - (double)(int64_t)left) * 1e9));
    struct timeval now;
    gettimeofday(&now, NULL);
    const double end = (double)now.tv_sec + (double)now.tv_usec / 1e6 + left;
    endreport_date(f, "ETF: ", (uint64_t)end, (int64_t)((end - (double)(uint64_t)end) * 1e9), 0);
}

static void print_header(FILE *f, const run_stats_t *st, const input_t *in, double elapsed)
{
    fputs(BANNER, f);
    fprintf(f, "USR1 A type report: t2mini %s (Tranalyzer2 0.9.3 packet mode). PID: %ld\n",
            T2MINI_VERSION, (long)getpid());
    if (in->kind != INPUT_LIVE) {
        endreport_date(f, "PCAP time: ", st->lastSec, st->lastNsec, 1);
        endreport_span(f, "PCAP duration: ", (int64_t)(st->lastSec - st->firstSec),
                       st->lastNsec - st->firstNsec);
    }
    struct timeval now;
    gettimeofday(&now, NULL);
    endreport_date(f, "Time: ", (uint64_t)now.tv_sec, (int64_t)now.tv_usec * 1000, 0);
    endreport_span(f, "Elapsed time: ", (int64_t)elapsed, (int64_t)((elapsed - (double)(int64_t)elapsed) * 1e9));
    print_monitor_input(f, in);
    print_time_left(f, in, elapsed);
}

/* -------------------------------------------------------------- body */

static int line_starts_with(const char *line, const char *prefix)
{
    return strncmp(line, prefix, strlen(prefix)) == 0;
}

/* Each plugin's t2Monitoring lines, in plugin order.  A plugin without
 * the callback adds nothing, as in T2: its end-report lines
 * (t2PluginReport) are for the end report only. */
static void plugins_monitoring(FILE *f)
{
    plugins_monitoring_report(f);
}

/* The end report's lines, less those only an end report has; the
 * plugins' section is their monitoring lines. */
static void copy_body(FILE *f, char *text, const flow_table_t *ft)
{
    int rules = 0;
    for (char *line = text, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (strncmp(line, REPORT_RULE, 80) == 0 && line[80] == '\0') {
            if (++rules == 1) {
                fputs(REPORT_RULE, f);
                plugins_monitoring(f);
            }
        } else if (rules == 1 || line_starts_with(line, "Finished unloading flow memory.") ||
                   line_starts_with(line, "Percentage completed:") || line_starts_with(line, "Number of pcap bytes:")) {
            continue;
        } else if (line_starts_with(line, "Max number of flows in memory:")) {
            const uint64_t fill = ft->stats.live;
            fprintf(f, "Fill size of main hash map: %" PRIu64 " [%.2f%%]\n", fill,
                    (double)(100.0f * (float)fill) / (double)ft->capacity);
        }
        if (rules != 1) fprintf(f, "%s\n", line);
    }
}

void monitor_report(monitor_t *m, const run_stats_t *st, const flow_table_t *ft,
                    const dissect_stats_t *ds, const input_t *in, double elapsed)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) return;
    endreport_print(mem, st, ft, ds, in->total_size, elapsed);
    if (fclose(mem) != 0) {
        free(text);
        return;
    }
    print_header(m->out, st, in, elapsed);
    copy_body(m->out, text, ft);
    fputs(DOUBLE_RULE, m->out);
    fputc('\n', m->out);
    fflush(m->out);
    free(text);
}

void monitor_drops(FILE *f, capture_t *cap)
{
    uint64_t received, kernel, iface;
    if (!cap || capture_stats(cap, &received, &kernel, &iface) != 0) return;
    const double total = (double)(received + kernel + iface);
    report_nump(f, "Number of packets received", received, total);
    report_nump(f, "Number of packets dropped by the kernel", kernel, total);
    report_nump(f, "Number of packets dropped by the interface", iface, total);
}

void monitor_end_report(FILE *f, const run_stats_t *st, const flow_table_t *ft,
                        const dissect_stats_t *ds, const input_t *in, double elapsed)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = in->kind == INPUT_LIVE ? open_memstream(&text, &len) : NULL;
    endreport_print(mem ? mem : f, st, ft, ds, in->total_size, elapsed);
    if (!mem || fclose(mem) != 0) {
        free(text);
        return;
    }
    /* live, libpcap's counts follow the first line, as in T2 */
    char *rest = strchr(text, '\n');
    rest = rest ? rest + 1 : text + len;
    fwrite(text, 1, (size_t)(rest - text), f);
    monitor_drops(f, in->cap);
    fputs(rest, f);
    free(text);
}

void monitor_close_file(FILE *f, const char *prefix)
{
    const long size = ftell(f);
    fclose(f);
    if (size != 0) return;
    const size_t n = strlen(prefix) + sizeof("_monitoring.txt");
    char *path = malloc(n);
    if (!path) return;
    snprintf(path, n, "%s_monitoring.txt", prefix);
    remove(path);
    free(path);
}
