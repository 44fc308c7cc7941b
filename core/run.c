/*
 * run.c - the steps around the pipeline (see run.h).
 */
#define _POSIX_C_SOURCE 200809L    /* gettimeofday, clock_gettime */
#define _FILE_OFFSET_BITS 64

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fsutils.h"
#include "hashTable.h"
#include "main.h"
#include "out_banner.h"
#include "plugins.h"
#include "read_capture.h"
#include "run.h"
#include "t2log.h"
#include "t2stats.h"

/* ------------------------------------------------- shared with plugins */

/* What T2's core shares with its plugins (t2Plugin.h: T2's main.h,
 * t2stats.h, t2log.h), under T2's names; set by share_with_plugins()
 * alone, but for the counters, which the pipeline counts. */
FILE *sPktFile;
FILE *dooF;
outbuf_t *t2PktBuf;
flow_t *flows;
unsigned long t2FlowCapacity;
flow_table_t *t2FlowTable;
uint64_t globalWarn;
uint64_t numPackets, numPackets0;
uint64_t bytesProcessed;
uint64_t numV4Packets, numV6Packets;
uint64_t numAPackets, numBPackets, numABytes, numBBytes;
uint64_t numPacketsL2[65536], numBytesL2[65536];
uint64_t numPacketsL3[256], numBytesL3[256];
uint64_t numAlarms, numAlarmFlows;
char *baseFileName;
size_t baseFileName_len;
char *pluginFolder;
size_t pluginFolder_len;
binary_value_t *main_header_bv;
const char *t2CommandLine;
const char *t2LibpcapVersion;
uint32_t t2SensorID = 666;
uint64_t t2SplitSize;
int t2SplitByFlows;
uint64_t t2SplitStart;
FILE *t2Diag;

/* T2's plugin folder: $HOME/.tranalyzer/plugins/ (relative to the
 * working directory without HOME). */
static void set_plugin_folder(void)
{
    static char folder[MAX_FILENAME_LEN];
    const char *home = getenv("HOME");
    snprintf(folder, sizeof(folder), "%s%s%s", home ? home : "", home ? "/" : "", PLUGIN_FOLDER);
    pluginFolder = folder;
    pluginFolder_len = strlen(folder);
}

/* With t == NULL, before the run: what comes from the options; then,
 * once the flow table and the packet file exist, those. */
static void share_with_plugins(const t2_t *t, const options_t *o)
{
    if (!t) {
        globalWarn = 0;
        numPackets = numPackets0 = bytesProcessed = 0;
        numV4Packets = numV6Packets = 0;
        numAPackets = numBPackets = numABytes = numBBytes = 0;
        memset(numPacketsL2, 0, sizeof(numPacketsL2));
        memset(numBytesL2, 0, sizeof(numBytesL2));
        memset(numPacketsL3, 0, sizeof(numPacketsL3));
        memset(numBytesL3, 0, sizeof(numBytesL3));
        numAlarms = numAlarmFlows = 0;
        set_plugin_folder();
        t2Diag = o->diag ? o->diag : stderr;
        t2CommandLine = o->command_line;
        t2LibpcapVersion = capture_lib_version();
        t2SensorID = o->sensor_id;
        t2SplitSize = (uint64_t)o->split_size;
        t2SplitByFlows = o->split_by_flows;
        t2SplitStart = o->split_start;
        return;
    }
    baseFileName = t->out.prefix;
    baseFileName_len = baseFileName ? strlen(baseFileName) : 0;
    dooF = t->out.log;
    main_header_bv = t->header;
    t2FlowTable = t->have_flow_table ? (flow_table_t *)&t->ft : NULL;
    flows = t->have_flow_table ? t->ft.flows : NULL;
    t2FlowCapacity = t->have_flow_table ? t->ft.capacity : 0;
    mainHashMap->hashChainTableSize = t2FlowCapacity;
    mainHashMap->hashTableSize = 2 * t2FlowCapacity;
    sPktFile = t->out.pkt;
    t2PktBuf = sPktFile ? (outbuf_t *)&t->out.pkt_buf : NULL;
}

/* ---------------------------------------------------- between records */

static void input_from_options(input_t *in, const options_t *o, FILE *log)
{
    in->kind = o->input_kind;
    in->name = o->input;
    in->stream = o->input_stream;
    in->bpf = o->bpf;
    in->snaplen = o->snaplen;
    in->buf_size = o->buf_size;
    in->dump_path = o->dump_path;
    in->log = log;
    in->diag = t2Diag;
    in->log_is_file = o->log_file;
}

static double seconds_since(const struct timeval *start)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_usec - start->tv_usec) / 1e6;
}

void run_handle_signals(t2_t *t)
{
    signals_say(t->sig, t->out.log, FLOW_TIMEOUT);
    if (t->sig->toggle) {
        t->sig->toggle = 0;
        monitor_toggle(&t->monitor);
    }
    if (t->sig->report) {
        t->sig->report = 0;
        monitor_report(&t->monitor, &t->st, &t->ft, &t->dst, &t->in, seconds_since(&t->start));
    }
}

/* Now and then between records, and whenever a live capture or a series
 * waits: the progress line, and output that must not wait. */
void run_between_records(t2_t *t, int idle)
{
    run_handle_signals(t);
    if (t->progress.on) {
        const uint64_t files = t->in.kind == INPUT_LIST ? t->in.list_index + 1 : 1;
        progress_update(&t->progress, numPackets, run_bytes_read(files));
    }
    if (idle && seconds_since(&t->last_flush) >= 0.5) {
        if (t->out.pkt) fflush(t->out.pkt);
        fflush(NULL);
        outbuf_flush_files();           /* the flow file, ... */
        gettimeofday(&t->last_flush, NULL);
    }
}

static void while_waiting(void *ctx)
{
    run_between_records(ctx, 1);
}

/* T2QUIRK: live, when no packet comes, T2 still ends idle flows: after
 * 1500 empty polls of a millisecond each it takes the wall clock for the
 * time of the capture and walks the flows as for a packet.  t2mini does
 * so after as much time spent waiting.  That time is the run's latest
 * time too (the end report's "Dump stop"), and before the first packet
 * its start is when reading began, as in T2. */
#define LIVE_CLOCK_WALK_MS 1500

static void walk_by_wall_clock(t2_t *t)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* the time stamps' unit: nanoseconds, or microseconds where the
     * system could not give nanoseconds */
    const int64_t per_unit = capture_nanoseconds(t->in.cap) ? 1 : 1000;
    if (numPackets == 0) {
        t->st.firstSec = (uint64_t)t->start.tv_sec;
        t->st.firstNsec = (int64_t)t->start.tv_usec * 1000 / per_unit;
    }
    t->st.lastSec = (uint64_t)now.tv_sec;
    t->st.lastNsec = (int64_t)now.tv_nsec / per_unit;
    flow_expire(&t->ft, t->st.lastSec, t->st.lastNsec);
    (void)run_no_flow_left(t);
}

void run_live_idle(t2_t *t, int wait_ms)
{
    t->idle_ms += (unsigned)wait_ms;
    if (t->idle_ms >= LIVE_CLOCK_WALK_MS) {
        t->idle_ms = 0;
        walk_by_wall_clock(t);
    }
    run_between_records(t, 1);
}

int run_no_flow_left(t2_t *t)
{
    if (t->sig->level == RUN_READING || t->ft.stats.live > 0) return 0;
    t->no_flow_left = 1;
    return 1;
}

/* T2QUIRK: the first time the flow table overflows, T2 says so, with advice on its
 * -f (hash table size factor) option: the factor by which the capture file
 * outsizes what has been read so far, kept between 2 and 16, times the
 * factor in use. */
void run_warn_table_full(t2_t *t)
{
    uint64_t factor = t->in.total_size / run_bytes_read(1);
    if (factor < 2) factor = 2;
    if (factor > 16) factor = 16;
    factor *= t->ft.capacity / FLOW_CAPACITY;
    fprintf(t->out.log, "[WRN] Hash Autopilot: main HashMap full: flushing 1 oldest flow(s)\n");
    fprintf(t->out.log, "[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f %" PRIu64 "'\n", factor);
}

/* ------------------------------------------------------------ the run */

int run_setup(t2_t *t, const options_t *o, flow_hooks_t hooks)
{
    char err[1024];
    share_with_plugins(NULL, o);
    const geo_t *geo = o->geo;
    if (!geo) {     /* -G DIR, else the tables compiled in */
        if (!o->geo_dir) geo_builtin(&t->geo);
        else if (geo_load(&t->geo, o->geo_dir, err, sizeof(err)) != 0) {
            fprintf(t2Diag, "t2mini: %s\n", err);
            return 1;
        }
        t->have_geo = 1;
        geo = &t->geo;
    }
    if (out_files_open(&t->out, o) != 0) return 1;
    t->dst.log = t->out.log;
    banner_print(t->out.log, o->sensor_id);
    input_from_options(&t->in, o, t->out.log);
    t->in.stop = &t->sig->stop;
    t->in.on_wait = while_waiting;      /* what a series does while it waits */
    t->in.wait_ctx = t;
    if (input_open(&t->in) != 0) return 1;
    if (!(t->flow_buf = outputBuffer_initialize(MAIN_OUTBUF_SIZE)) ||
        flow_table_init(&t->ft, o->flow_capacity, geo, hooks, &globalWarn) != 0) {
        fputs("t2mini: out of memory\n", t2Diag);
        return 1;
    }
    t->have_flow_table = 1;
    if (o->packet_mode && out_files_open_packets(&t->out, o) != 0) return 1;
    plugins_load();
    t->header = plugins_print_header();     /* before t2Init, as in T2 */
    share_with_plugins(t, o);
    banner_plugins(t->out.log, t->have_geo ? &t->geo : NULL);
    return 0;
}

int run_start(t2_t *t)
{
    if (sPktFile) fputs("%pktNo\tflowInd\t", sPktFile);
    t2_file_manager = file_manager_new(SIZE_MAX);
    t->plugins_started = plugins_init();
    if (plugins_failed()) return 1;      /* a plugin could not create its file */
    if (sPktFile) fputs("l7Content\n", sPktFile);
    input_print_first(&t->in);
    fflush(t->out.log);
    gettimeofday(&t->start, NULL);
    t->last_flush = t->start;
    monitor_init(&t->monitor, t->out.mon, t->o->mon_interval, &t->start);
    progress_init(&t->progress, t->o->progress && t->in.kind != INPUT_LIVE, t->in.total_size);
    if (t->in.kind == INPUT_LIST) t->st.list_files = t->in.list.count;
    return 0;
}

void run_finish(t2_t *t)
{
    FILE *log = t->out.log;
    signals_say(t->sig, log, FLOW_TIMEOUT);
    endreport_date(log, "Dump stop : ", t->st.lastSec, t->st.lastNsec, 1);
    endreport_span(log, "Total dump duration: ", (int64_t)(t->st.lastSec - t->st.firstSec),
                   t->st.lastNsec - t->st.firstNsec);
    fprintf(log, "Finished processing. Elapsed time: %.9f sec\n", seconds_since(&t->start));
    flow_end_all(&t->ft, &t->sig->abort_flows);
    signals_say(t->sig, log, FLOW_TIMEOUT);     /* a signal while they were written */
    if (t->sig->quit) return;                   /* a SIGTERM: at once */
    monitor_end_report(log, &t->st, &t->ft, &t->dst, &t->in, seconds_since(&t->start));
}

void run_cleanup(t2_t *t)
{
    plugins_finalize(t->plugins_started);
    file_manager_destroy(t2_file_manager);      /* the plugins' files left open */
    t2_file_manager = NULL;
    if (plugins_failed()) t->status = 1;
    if (t->out.mon && t->out.mon != t->o->report) monitor_close_file(t->out.mon, t->out.prefix);
    if (out_files_close(&t->out) != 0) t->status = 1;
    monitor_stop(&t->monitor);
    input_close(&t->in);
    outputBuffer_destroy(t->flow_buf);
    t->flow_buf = NULL;
    bv_header_destroy(t->header);
    t->header = NULL;
    if (t->have_flow_table) flow_table_free(&t->ft);
    if (t->have_geo) geo_free(&t->geo);
    memset(&t->out, 0, sizeof(t->out));
    t->have_flow_table = 0;
    share_with_plugins(t, t->o);
}

