/*
 * t2mini.c - main: options, the capture loop; the end report is out_endreport.c.
 *
 * One record's way through t2mini, each step a function:
 *
 *   1. read      read_records()      the input (read_input.c: a file, a
 *                                    list, a series or an interface) hands
 *                                    over the next record
 *   2. dissect   dissect()           walk its headers (dissect.c)
 *   3. flow      flow_for_ip/_l2()   find or create its flow (flow.c);
 *                                    before each record, flow_expire()
 *                                    ends the flows that timed out
 *   4. plugins   ip_packet() and     each plugin prints its columns
 *                layer2_packet()     (basicflow.c, tcpwin.c)
 *   5. output    print_payload()     the core ends the line with the payload
 *
 * When a flow ends (end_flow()), the plugins append their flow-file
 * columns to one line and the sink (txtsink.c) writes it.  After the last
 * record every flow ends and the end report (out_endreport.c) is printed on
 * stdout (or PREFIX_log.txt with -l).
 *
 * A run is three steps, each with one clean-up path: run_setup() (input,
 * tables, output files), run_read() (banner, plugins, every record) and
 * run_finish() (open flows, end report), then run_cleanup() whatever
 * happened.  main() and T2's options are at the end of the file.
 */
/* POSIX.1-2008 (stat, getpid, gettimeofday); 64-bit file offsets, so that a
 * 32-bit build can stat a capture over 2 GiB */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700      /* getpriority, setpriority: XSI */
#define _FILE_OFFSET_BITS 64

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "dissect.h"
#include "flow.h"
#include "flow_geo.h"
#include "out_buf.h"
#include "out_endreport.h"
#include "out_monitor.h"
#include "out_progress.h"
#include "out_report.h"
#include "packet.h"
#include "read_capture.h"
#include "read_input.h"
#include "options.h"
#include "t2Plugin.h"

/* ----------------------------------------------- shared with plugins */

FILE *sPktFile;
outbuf_t *t2PktBuf;
flow_t *flows;
unsigned long t2FlowCapacity;
flow_table_t *t2FlowTable;
uint64_t numPacketsL3[256];
const char *t2BaseName;
const char *t2CommandLine;
const char *t2LibpcapVersion;
uint32_t t2SensorID = 666;
uint64_t t2SplitSize;
int t2SplitByFlows;
uint64_t t2SplitStart;
FILE *t2Diag;

static int plugin_failed;
static int discard_output;       /* fuzzing: all output files are /dev/null */
static int flows_to_stdout;       /* -w -: the flow file is standard output */

char *t2_output_path(const char *suffix)
{
    const int to_stdout = flows_to_stdout && strcmp(suffix, "_flows.txt") == 0;
    const char *prefix = discard_output ? "/dev/null" : to_stdout ? "-" : t2BaseName;
    if (discard_output || to_stdout) suffix = "";
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
    return outbuf_open(ob, path, discard_output ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE);
}

void t2Fail(void)
{
    plugin_failed = 1;
}

/* ------------------------------------------------------------ signals */

/* How far the run has got towards its end: T2's scheme, in which each
 * SIGINT takes the run one level down.
 *   RUN_READING       the start: every packet finds or creates its flow
 *   RUN_NO_NEW_FLOWS  first SIGINT: packets that would start a flow get
 *                     none (they are counted, but have no line in the
 *                     packet file); the run ends when no flow is left
 *   RUN_ENDING        second SIGINT, SIGTERM, or the end of the input:
 *                     reading stops, the open flows are written; a
 *                     SIGTERM now ends the run at once, with status 1
 *   RUN_ABORT         third SIGINT: the flows not yet written never are;
 *                     more SIGINTs go unheard */
enum { RUN_ABORT, RUN_ENDING, RUN_NO_NEW_FLOWS, RUN_READING };

/* What the signals asked for.  A signal handler can only reach state
 * through a static, so this is the one file static of the run's state:
 * the handler changes the level and raises flags, the capture loop acts
 * on them and prints what T2's handler prints. */
typedef struct {
    volatile sig_atomic_t installed;    /* the handler is in place */
    volatile sig_atomic_t level;        /* RUN_... */
    volatile sig_atomic_t stop;         /* level <= RUN_ENDING: stop reading */
    volatile sig_atomic_t abort_flows;   /* write no more flows */
    volatile sig_atomic_t quit;         /* SIGTERM while ending: end at once */
    volatile sig_atomic_t reached_by[RUN_READING];   /* how each level was
                                           reached: 0 (not yet), SIGINT, SIGTERM */
    volatile sig_atomic_t report;       /* SIGUSR1 or the monitoring timer */
    volatile sig_atomic_t toggle;       /* SIGUSR2: monitoring on/off */
} signals_t;

static signals_t sigs;

static void on_signal(int sig);

/* With `restart`, a read that the signal interrupts goes on (reading a
 * pipe waits on for the next record, as T2 does); without, it fails with
 * EINTR.  sigaction() may be called from a signal handler. */
static void set_handler(int sig, int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(sig, &sa, NULL);
}

/* The run goes down to `level`: by a signal (SIGINT or SIGTERM, which
 * decides T2's message) or, with 0, by the end of the input. */
static void go_down_to(int level, int by_signal)
{
    sigs.reached_by[level] = by_signal;
    if (level <= RUN_ENDING) sigs.stop = 1;
    if (level == RUN_ABORT) sigs.abort_flows = 1;
    /* from now on a SIGTERM ends even a wait for the next record */
    if (level <= RUN_ENDING && sigs.installed) set_handler(SIGTERM, 0);
    sigs.level = level;
}

static void on_signal(int sig)
{
    switch (sig) {
        case SIGINT:
            if (sigs.level > RUN_ABORT) go_down_to(sigs.level - 1, SIGINT);
            break;
        case SIGTERM:
            if (sigs.level > RUN_ENDING) {
                go_down_to(RUN_ENDING, SIGTERM);
                break;
            }
            /* T2 exits at once (status 1, nothing more written): the
             * loop sees it, the output written so far is kept */
            sigs.quit = 1;
            sigs.abort_flows = 1;
            sigs.stop = 1;
            break;
        case SIGUSR1: sigs.report = 1; break;
        case SIGUSR2: sigs.toggle = 1; break;
        case SIGALRM: sigs.report = 2; break;
        default: break;
    }
}

/* Reading a file or a pipe goes on after a signal; waits for packets
 * (poll) and for files (sleep) end early all the same. */
static void install_signals(void)
{
    const int list[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) set_handler(list[i], 1);
    sigs.installed = 1;
}

/* The input has ended: the run is ending, as after a second SIGINT (a
 * SIGTERM now ends it at once, a SIGINT stops the writing of flows).
 * The handler must not run between the test and the change. */
static void input_ended(void)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    if (sigs.level > RUN_ENDING) go_down_to(RUN_ENDING, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ------------------------------------------------------- run state */

/* T2 reads past the end of short records into libpcap's record buffer,
 * which still holds the bytes of earlier records (libpcap reads every
 * record of a pcap file to the start of the same buffer).  t2mini keeps a
 * copy of those bytes so that its reads past the end see what T2 sees. */
#define LEFTOVER_MAX 262144u

typedef struct {
    uint8_t bytes[LEFTOVER_MAX];
    uint32_t len;
} leftover_t;

static void keep_leftovers(leftover_t *l, const uint8_t *raw, uint32_t caplen)
{
    const uint32_t n = caplen < LEFTOVER_MAX ? caplen : LEFTOVER_MAX;
    memcpy(l->bytes, raw, n);
    if (n > l->len) l->len = n;
}

typedef struct {
    const options_t *o;
    input_t in;                 /* where the records come from */
    int linktype;
    int link_unsupported;        /* fatal at the first record, as in T2 */
    int fatal;                  /* reading stopped on an error: no report */
    int input_failed;            /* a later capture could not be opened */
    int status;                 /* the exit status so far */
    leftover_t leftover;
    run_stats_t st;
    dissect_stats_t dst;
    flow_table_t ft;
    int have_flow_table;
    geo_t geo;
    int have_geo;
    char *prefix;               /* output prefix: PREFIX_flows.txt, ... */
    outbuf_t flow_line;          /* the flow-file line being assembled */
    outbuf_t pkt_buf;            /* t2PktBuf: the core's packet-file text */
    char pkt_text[OUTBUF_LINE_SIZE];
    char *pkt_file_buffer;        /* the packet file's stdio buffer */
    FILE *log;                  /* the end report: stdout or PREFIX_log.txt */
    FILE *mon;                  /* monitoring: stdout or PREFIX_monitoring.txt */
    monitor_t monitor;          /* intermediate reports (out_monitor.c) */
    progress_t progress;        /* the progress line (out_progress.c) */
    unsigned plugins_started;    /* plugins whose t2Init ran */
    struct timeval start;       /* when reading began */
    struct timeval last_flush;   /* live: when output last went out */
    unsigned idle_ms;            /* live: time waited for packets since the
                                   last timeout walk by the wall clock */
    int no_flow_left;             /* after a first SIGINT: the run is over */
    int said[RUN_READING];      /* the level's signal message is out */
} t2_t;

/* --------------------------------------------------------- flow hooks */

static void on_new_flow(void *ctx, packet_t *p, uint32_t flowIndex)
{
    (void)ctx;
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnNewFlow) t2Plugins[i]->t2OnNewFlow(p, flowIndex);
    }
}

/* A flow ended: "A"/"B" (its place in the pair), its index, then every
 * plugin's columns; the sinks write the line. */
static void end_flow(void *ctx, uint32_t flowIndex, int second)
{
    t2_t *t = ctx;
    outbuf_t *line = &t->flow_line;
    outbuf_clear(line);
    outbuf_putc(line, second ? 'B' : 'A');
    outbuf_putc(line, '\t');
    outbuf_u64(line, flows[flowIndex].findex);
    outbuf_putc(line, '\t');
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnFlowTerminate) t2Plugins[i]->t2OnFlowTerminate(flowIndex, line);
    }
    if (line->err) {            /* the line buffer could not take it all */
        fprintf(t2Diag, "t2mini: flow %" PRIu64 ": the plugins' flow-file columns do not fit in"
                " %u bytes: line not written\n", flows[flowIndex].findex, OUTBUF_LINE_SIZE);
        t2Fail();
        return;
    }
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2BufToSink) t2Plugins[i]->t2BufToSink(line, flowIndex);
    }
}

/* ------------------------------------------------ steps 3 to 5 per packet */

static void count_ab(t2_t *t, const flow_t *f, const packet_t *p)
{
    if (flow_is_b(f)) {
        t->st.b_packets++;
        t->st.b_bytes += p->caplen;
    } else {
        t->st.a_packets++;
        t->st.a_bytes += p->caplen;
    }
}

static void print_packet_start(t2_t *t, uint64_t findex)
{
    outbuf_u64(t2PktBuf, t->st.packets);        /* pktNo */
    outbuf_putc(t2PktBuf, '\t');
    outbuf_u64(t2PktBuf, findex);               /* flowInd */
    outbuf_putc(t2PktBuf, '\t');
}

/* Before a plugin writes to sPktFile (fputs, fprintf), the text formatted
 * on t2PktBuf so far goes there first: the columns stay in order. */
static void pkt_buf_to_file(void)
{
    if (sPktFile && t2PktBuf->len) outbuf_flush(t2PktBuf);
}

/* l7Content: T2 prints snapL7Len bytes from the start of L7 and never
 * clips them to the record.  Where the header walk or the length runs past
 * the captured bytes, what it prints is libpcap's record buffer: bytes
 * left there by earlier, longer records, and zeros (printed '.') where no
 * record reached.  packet_u8() reads exactly that. */
static void print_payload(const packet_t *p)
{
    uint32_t at = p->l7;
    uint32_t n = p->snapL7Len;
    if (at < p->caplen) {
        const uint32_t captured = n < p->caplen - at ? n : p->caplen - at;
        outbuf_payload(t2PktBuf, p->raw + at, captured);
        at += captured;
        n -= captured;
    }
    while (n) {                                 /* past the record */
        uint8_t past[256];
        const uint32_t chunk = n < sizeof(past) ? n : (uint32_t)sizeof(past);
        for (uint32_t i = 0; i < chunk; i++) past[i] = packet_u8(p, at + i);
        outbuf_payload(t2PktBuf, past, chunk);
        at += chunk;
        n -= chunk;
    }
    outbuf_putc(t2PktBuf, '\n');
    pkt_buf_to_file();
}

/* Ethernet padding of small IP frames (T2 counts it per flow). */
static void pad_bytes(t2_t *t, packet_t *p, uint32_t flowIndex)
{
    if (p->wirelen > 64) return;
    const int64_t pad = (int64_t)p->wirelen - p->l3Len - (int64_t)p->l3;
    if (pad >= 0) {
        p->padLen = pad;
        flows[flowIndex].padLen += pad;
        t->st.pad_bytes += (uint64_t)pad;
    }
}

/* A packet without a flow (after a first SIGINT) counts for the report,
 * but reaches no plugin and has no line in the packet file, as in T2. */
static void layer2_packet(t2_t *t, packet_t *p)
{
    t->st.l2_packets++;
    if (p->ethType == ETH_P_ARP) t->st.arp_packets++;
    else if (p->ethType == ETH_P_RARP) t->st.rarp_packets++;
    if (p->padLen > 0) t->st.pad_bytes += (uint64_t)p->padLen;
    const uint32_t flowIndex = flow_for_l2(&t->ft, p);
    if (flowIndex == FLOW_NONE) return;
    if (sPktFile) print_packet_start(t, flows[flowIndex].findex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        pkt_buf_to_file();
        if (t2Plugins[i]->t2OnLayer2) t2Plugins[i]->t2OnLayer2(p, flowIndex);
    }
    if (sPktFile) print_payload(p);
    count_ab(t, &flows[flowIndex], p);
}

static void ip_packet(t2_t *t, packet_t *p)
{
    const uint32_t flowIndex = flow_for_ip(&t->ft, p);
    if (flowIndex == FLOW_NONE) return;
    numPacketsL3[p->l4Proto]++;
    t->st.bytes_l3[p->l4Proto] += p->caplen;
    pad_bytes(t, p, flowIndex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnLayer2) t2Plugins[i]->t2OnLayer2(p, HASHTABLE_ENTRY_NOT_FOUND);
    }
    flow_add_packet(&t->ft, flowIndex, p);
    packet_copy_l4_header(p);               /* l4HdrP, for TCP_HEADER() */
    if (sPktFile) print_packet_start(t, flows[flowIndex].findex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        pkt_buf_to_file();
        if (t2Plugins[i]->t2OnLayer4) t2Plugins[i]->t2OnLayer4(p, flowIndex);
    }
    if (sPktFile) print_payload(p);
    count_ab(t, &flows[flowIndex], p);
}

/* The first time the flow table overflows, T2 says so, with advice on its
 * -f (hash table size factor) option: the factor by which the capture file
 * outsizes what has been read so far (counting 24 + 16 bytes of pcap
 * headers per record), kept between 2 and 16, times the factor in use. */
static void warn_table_full(t2_t *t)
{
    const uint64_t read_so_far = 24 + t->st.bytes_processed + t->st.packets * 16;
    uint64_t factor = t->in.total_size / read_so_far;
    if (factor < 2) factor = 2;
    if (factor > 16) factor = 16;
    factor *= t->ft.capacity / FLOW_CAPACITY;
    fprintf(t->log, "[WRN] Hash Autopilot: main HashMap full: flushing 1 oldest flow(s)\n");
    fprintf(t->log, "[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f %" PRIu64 "'\n", factor);
}

/* The report's counters of what the header walk found. */
static void count_packet(run_stats_t *st, const packet_t *p)
{
    st->globalWarn |= p->status;
    if (p->hasLLC) st->llc_packets++;
    if (p->status & FS_IPV4_FLOW) st->v4_packets++;
    else if (p->status & FS_IPV6_FLOW) st->v6_packets++;
    if (p->status & FS_IPVX) st->vx_packets++;
    if (p->status & FS_TEREDO) st->teredo_packets++;
    if (p->status & FS_AYIYA) st->ayiya_packets++;
    if (p->status & FS_GRE) st->gre_packets++;
    if (p->numHdrs > st->max_hdrs) st->max_hdrs = p->numHdrs;
    if (p->numHdrs < st->min_hdrs) st->min_hdrs = p->numHdrs;
    const float w = (float)(1.0 / (double)st->packets);
    st->avg_hdrs = (float)((1.0 - w) * st->avg_hdrs + w * (float)p->numHdrs);
}

static void packet_from_record(packet_t *p, const record_t *h, const leftover_t *l)
{
    memset(p, 0, offsetof(packet_t, hdrDesc) + 1);
    p->raw = h->bytes;
    p->caplen = h->caplen;
    p->end = h->bytes + h->caplen;
    p->wirelen = h->len;
    p->ts_sec = h->sec;
    p->ts_nsec = h->nsec;
    p->leftover = l->bytes;
    p->leftoverLen = l->len;
}

/* After a first SIGINT, T2 ends the run at the first timeout walk that
 * leaves no flow, before the packet (if any) the walk was made for. */
static int no_flow_left(t2_t *t)
{
    if (sigs.level == RUN_READING || t->ft.stats.live > 0) return 0;
    t->no_flow_left = 1;
    return 1;
}

/* One record: steps 2 to 5, then the counters of the end report. */
static void process_record(t2_t *t, const record_t *h)
{
    if (t->st.packets == 0) {
        t->st.firstSec = h->sec;
        t->st.firstNsec = h->nsec;
        endreport_date(t->log, "Dump start: ", h->sec, h->nsec, 1);
    }
    t->st.lastSec = h->sec;
    t->st.lastNsec = h->nsec;

    flow_expire(&t->ft, h->sec, h->nsec);   /* T2 ends idle flows first */
    if (no_flow_left(t)) return;            /* the run ends before this one */
    t->ft.noNewFlows = sigs.level < RUN_READING;
    const uint64_t warn_before = t->st.globalWarn;

    t->st.packets++;
    t->st.raw_bytes += h->len;
    if (h->caplen == 0) {               /* nothing to dissect: no line */
        fprintf(t->log, "[WRN] No data available for packet %" PRIu64 "\n", t->st.packets);
        return;
    }
    t->st.bytes_processed += h->caplen;

    packet_t p;
    packet_from_record(&p, h, &t->leftover);
    dissect(&p, t->linktype, &t->dst);
    if (p.dispatch == DISPATCH_STOP) {
        /* T2 exits on the spot: this packet gets no line, the flows
         * still open are not written and there is no end report */
        t->fatal = 1;
        return;
    }
    if (p.dispatch == DISPATCH_L2) layer2_packet(t, &p);
    else if (p.dispatch == DISPATCH_IP) ip_packet(t, &p);
    keep_leftovers(&t->leftover, h->bytes, h->caplen);
    /* the first eviction is the one that raises the bit in the aggregated
     * flowStat: T2 warns then only */
    if (!(warn_before & FS_RMFLOW_HFULL) && (t->st.globalWarn & FS_RMFLOW_HFULL)) warn_table_full(t);
    count_packet(&t->st, &p);
}

/* ------------------------------------------------------------ step 1 */

/* T2 meets an unsupported link type at its first packet, and has said
 * "Dump start" by then. */
static void stop_on_link_type(t2_t *t, const record_t *rec)
{
    const capture_t *cap = t->in.cap;
    if (t->st.packets == 0) endreport_date(t->log, "Dump start: ", rec->sec, rec->nsec, 1);
    const int lapd = capture_dlt(cap) == LINKTYPE_LAPD || capture_dlt(cap) == LINKTYPE_LINUX_LAPD;
    fprintf(t2Diag, "t2mini: %s: unsupported link-layer type: %s [%s/%d]%s\n", t->in.current,
            capture_linktype_desc(cap), capture_linktype_name(cap), capture_dlt(cap),
            lapd ? " (T2 0.9.3 has LAPD flows disabled)" : "");
    t->fatal = 1;
}

/* A read error is reported (once per distinct message, as T2 does) and
 * reading goes on where libpcap can. */
static void report_read_error(t2_t *t, unsigned errors, char *last, size_t last_len)
{
    const char *msg = capture_error(t->in.cap);
    if (errors == 1) {              /* the report lists the others */
        fprintf(t2Diag, "t2mini: %s: warning: after packet %" PRIu64 ": %s\n",
                t->in.current, t->st.packets, msg);
    }
    if (strcmp(msg, last) != 0) {
        fprintf(t->log, "[WRN] pcap_dispatch failed: %s\n", msg);
        snprintf(last, last_len, "%s", msg);
    }
}

/* libpcap cuts records longer than the snapshot length (so T2 sees them
 * cut), t2mini too; it says so once per capture. */
static void warn_oversize(t2_t *t, const record_t *rec, int *warned)
{
    const int snaplen = capture_snaplen(t->in.cap);
    if (*warned || snaplen <= 0 || rec->file_caplen <= (uint32_t)snaplen) return;
    fprintf(t2Diag, "t2mini: %s: warning: packet %" PRIu64 " has %" PRIu32
            " captured bytes, more than the snapshot length %d: cut to it\n",
            t->in.current, t->st.packets + 1, rec->file_caplen, snaplen);
    *warned = 1;
}

static double seconds_since(const struct timeval *start)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_usec - start->tv_usec) / 1e6;
}

/* T2's handler prints a message for each SIGINT and SIGTERM; t2mini's
 * loop prints them when it next looks, in the order the signals came
 * (the levels are only ever gone down). */
static void say_signals(t2_t *t)
{
    for (int level = RUN_NO_NEW_FLOWS; level >= RUN_ABORT; level--) {
        const sig_atomic_t by = sigs.reached_by[level];
        if (!by || t->said[level]) continue;
        t->said[level] = 1;
        if (by == SIGTERM) {
            fputs("[INF] SIGTERM: Terminate, terminate. Remove all flows and exit\n", t->log);
        } else if (level == RUN_NO_NEW_FLOWS) {
            fprintf(t->log, "[INF] SIGINT: Stop flow creation, when all pending flows "
                    "timeout (%ds): exit\n", FLOW_TIMEOUT);
        } else {
            fprintf(t->log, "[INF] SIGINT: %s\n", level == RUN_ENDING
                    ? "Remove all flows and exit" : "Terminate, terminate.");
        }
    }
}

/* What the signals asked for: their messages, the monitoring reports.
 * Cheap enough for every record. */
static void handle_signals(t2_t *t)
{
    say_signals(t);
    if (sigs.toggle) {
        sigs.toggle = 0;
        monitor_toggle(&t->monitor);
    }
    if (sigs.report) {
        sigs.report = 0;
        monitor_report(&t->monitor, &t->st, &t->ft, &t->dst, &t->in, seconds_since(&t->start));
    }
}

/* Now and then between records, and whenever a live capture or a series
 * waits: the progress line, and output that must not wait. */
static void between_records(t2_t *t, int idle)
{
    handle_signals(t);
    if (t->progress.on) {
        const uint64_t files = t->in.kind == INPUT_LIST ? t->in.list_index + 1 : 1;
        progress_update(&t->progress, t->st.packets, 24 * files + t->st.bytes_processed + 16 * t->st.packets);
    }
    if (idle && seconds_since(&t->last_flush) >= 0.5) {
        if (sPktFile) fflush(sPktFile);
        fflush(NULL);
        outbuf_flush_files();           /* the flow file, ... */
        gettimeofday(&t->last_flush, NULL);
    }
}

static void while_waiting(void *ctx)
{
    between_records(ctx, 1);
}

/* Live, when no packet comes, T2 still ends idle flows: after 1500 empty
 * polls of a millisecond each it takes the wall clock for the time of
 * the capture and walks the flows as for a packet.  t2mini does so after
 * as much time spent waiting.  That time is the run's latest time too
 * (the end report's "Dump stop"), and before the first packet its start
 * is when reading began, as in T2. */
#define LIVE_CLOCK_WALK_MS 1500

static void walk_by_wall_clock(t2_t *t)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* the time stamps' unit: nanoseconds, or microseconds where the
     * system could not give nanoseconds */
    const int64_t per_unit = capture_nanoseconds(t->in.cap) ? 1 : 1000;
    if (t->st.packets == 0) {
        t->st.firstSec = (uint64_t)t->start.tv_sec;
        t->st.firstNsec = (int64_t)t->start.tv_usec * 1000 / per_unit;
    }
    t->st.lastSec = (uint64_t)now.tv_sec;
    t->st.lastNsec = (int64_t)now.tv_nsec / per_unit;
    flow_expire(&t->ft, t->st.lastSec, t->st.lastNsec);
    (void)no_flow_left(t);
}

/* Live: no packet came within wait_ms milliseconds. */
static void live_idle(t2_t *t, int wait_ms)
{
    t->idle_ms += (unsigned)wait_ms;
    if (t->idle_ms >= LIVE_CLOCK_WALK_MS) {
        t->idle_ms = 0;
        walk_by_wall_clock(t);
    }
    between_records(t, 1);
}

/* Records are read until the input ends, a second SIGINT or a SIGTERM
 * (after the record being read, as in T2), or no flow is left after a
 * first SIGINT. */
static int reading_goes_on(const t2_t *t)
{
    return !sigs.stop && !t->no_flow_left;
}

/* Feed every record of the current capture to process_record(); returns
 * the number of read errors. */
static unsigned read_records(t2_t *t)
{
    record_t rec;
    unsigned errors = 0, since_check = 0;
    int oversize_warned = 0;
    char last[512] = "";
    const int wait_ms = 100;                     /* live: check signals this often */
    while (reading_goes_on(t)) {
        const int r = capture_next(t->in.cap, &rec, wait_ms);
        say_signals(t);                 /* those that came while it waited */
        if (r == 0 || sigs.quit) break;
        if (r == CAPTURE_IDLE) {
            live_idle(t, wait_ms);
            continue;
        }
        if (r < 0) {
            report_read_error(t, ++errors, last, sizeof(last));
            continue;
        }
        if (t->link_unsupported) {
            stop_on_link_type(t, &rec);
            return errors + 1;
        }
        warn_oversize(t, &rec, &oversize_warned);
        process_record(t, &rec);
        if (t->fatal) {
            fprintf(t2Diag, "t2mini: %s: packet %" PRIu64 ": %s: stopped, as T2 does\n",
                    t->in.current, t->st.packets, t->dst.stopReason);
            return errors + 1;
        }
        if (++since_check >= 256 || t->in.kind == INPUT_LIVE) {
            since_check = 0;
            between_records(t, t->in.kind == INPUT_LIVE);
        } else {
            handle_signals(t);
        }
    }
    return errors;
}

/* A link type t2mini cannot dissect is, as in T2, an error at the first
 * record: the output files are there, with their header lines (and a
 * capture without records is a normal, empty run). */
static void take_link_type(t2_t *t)
{
    t->linktype = capture_linktype(t->in.cap);
    t->link_unsupported = t->linktype < 0 || !dissect_linktype_supported(t->linktype);
}

/* Every capture of the input, one after the other, as one run. */
static void read_input(t2_t *t)
{
    for (;;) {
        take_link_type(t);
        (void)read_records(t);          /* errors were reported */
        if (t->fatal || !reading_goes_on(t)) return;
        const int r = input_next(&t->in);
        if (r < 0) t->input_failed = 1;  /* the run ends as at the end of the input */
        if (r <= 0) {
            input_ended();
            return;
        }
    }
}

/* ------------------------------------------------------------ banner */

/* The banner: the lines above "Dump start:" are t2mini's own. */
static void print_banner(t2_t *t)
{
    FILE *f = t->log;
    fputs("================================================================================\n", f);
    errno = 0;
    const int prio = getpriority(PRIO_PROCESS, 0);
    fprintf(f, "t2mini %s (Tranalyzer2 0.9.3 packet mode). PID: %ld, Prio: %d, SID: %" PRIu32 "\n",
            T2MINI_VERSION, (long)getpid(), errno ? 0 : prio, t2SensorID);
    fputs("================================================================================\n", f);
    struct timeval now;
    gettimeofday(&now, NULL);
    endreport_date(f, "Date: ", (uint64_t)now.tv_sec, (int64_t)now.tv_usec * 1000, 0);
    fputs("[INF] Creating flows for L2, IPv4, IPv6\n", f);
}

static void print_plugins(t2_t *t)
{
    FILE *f = t->log;
    fputs("Active plugins:\n", f);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        fprintf(f, "    %02u: %s, %s\n", i + 1, t2Plugins[i]->name, t2Plugins[i]->version);
    }
    if (t->have_geo) {
        for (int v = 4; v <= 6; v += 2) {
            char count[64];
            report_readable(count, sizeof(count), geo_count(&t->geo, v), NULL);
            fprintf(f, "[INF] IPv%d Ver: %" PRIu32 ", Rev: %08" PRIu32 ", Range Mode: 0, "
                    "subnet ranges loaded: %" PRIu32 "%s\n", v, geo_version(&t->geo, v),
                    geo_revision(&t->geo, v), geo_count(&t->geo, v), count);
        }
    }
}

/* ------------------------------------------------------------- setup */

/* T2's output naming: the prefix is -w, or for a directory (or a name
 * ending in '/') DIR/NAME, NAME being the input's file name without its
 * last extension ("stdin" for standard input, an interface's name
 * whole); without -w, NAME next to the input. */
static char *output_prefix(const options_t *o)
{
    char in[4096];
    snprintf(in, sizeof(in), "%s", strcmp(o->input, "-") == 0 ? "stdin" : o->input);
    if (o->input_kind == INPUT_SERIES) {         /* the name without ,STOP and :SCHR */
        char *cut = strrchr(in, ',');
        if (cut) *cut = '\0';
        if ((cut = strrchr(in, ':'))) *cut = '\0';
    }
    const char *slash = strrchr(in, '/');
    const char *base = slash ? slash + 1 : in;
    const char *dot = o->input_kind == INPUT_LIVE ? NULL : strrchr(base, '.');
    const size_t base_len = dot ? (size_t)(dot - base) : strlen(base);
    const char *w = o->out_prefix;
    const size_t w_len = w ? strlen(w) : 0;
    struct stat st;
    const int is_dir = w && ((w_len && w[w_len - 1] == '/') || (stat(w, &st) == 0 && S_ISDIR(st.st_mode)));
    const size_t dir_len = !w ? (size_t)(base - in) : is_dir ? w_len : 0;
    const int add_slash = is_dir && w[w_len - 1] != '/';
    char *out = malloc(dir_len + 1 + (w && !is_dir ? w_len : base_len) + 1);
    if (!out) return NULL;
    if (w && !is_dir) {
        memcpy(out, w, w_len + 1);
        return out;
    }
    memcpy(out, w ? w : in, dir_len);
    if (add_slash) out[dir_len] = '/';
    memcpy(out + dir_len + add_slash, base, base_len);
    out[dir_len + add_slash + base_len] = '\0';
    return out;
}

/* PREFIX_log.txt (-l) and PREFIX_monitoring.txt (-m), or the report stream. */
static FILE *open_side_file(t2_t *t, int wanted, const char *suffix)
{
    if (!wanted || t->o->discard_output) return t->o->report;
    const size_t n = strlen(t->prefix) + strlen(suffix) + 1;
    char *path = malloc(n);
    FILE *f = NULL;
    if (path) {
        snprintf(path, n, "%s%s", t->prefix, suffix);
        f = fopen(path, "w");
        if (!f) fprintf(t2Diag, "t2mini: %s: cannot create file: %s\n", path, strerror(errno));
    }
    free(path);
    return f;
}

/* The packet file: a stdio stream with a large buffer (a megabyte at a
 * time; less when fuzzing, where runs are short), and t2PktBuf on it for
 * the core's own columns; -1 said on t2Diag. */
static int open_packet_file(t2_t *t)
{
    const size_t size = t->o->discard_output ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE;
    char *path = t2_output_path("_packets.txt");
    t->pkt_file_buffer = malloc(size);
    if (!path || !t->pkt_file_buffer) {
        fputs("t2mini: out of memory\n", t2Diag);
        free(path);
        return -1;
    }
    FILE *f = fopen(path, "w");
    if (!f || setvbuf(f, t->pkt_file_buffer, _IOFBF, size) != 0) {
        fprintf(t2Diag, "t2mini: %s: cannot create packet file: %s\n", path, strerror(errno));
        if (f) fclose(f);
        f = NULL;
    }
    free(path);
    if (!f) return -1;
    sPktFile = f;
    outbuf_on_stream(&t->pkt_buf, sPktFile, t->pkt_text, sizeof(t->pkt_text));
    t2PktBuf = &t->pkt_buf;
    return 0;
}

/* Write out and close the packet file; 0, or -1 said on t2Diag. */
static int close_packet_file(t2_t *t)
{
    pkt_buf_to_file();
    const int failed = ferror(sPktFile) || t->pkt_buf.err;
    const int e = t->pkt_buf.err ? t->pkt_buf.err : errno;
    const int close_failed = fclose(sPktFile) != 0;
    sPktFile = NULL;
    t2PktBuf = NULL;
    if (close_failed || failed) {
        fprintf(t2Diag, "t2mini: %s_packets.txt: write failed: %s\n", t->prefix,
                strerror(failed ? e : errno));
        return -1;
    }
    return 0;
}

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
    in->stop = &sigs.stop;
}

/* After input_from_options(): what a series does while it waits. */
static void input_wait_hook(input_t *in, t2_t *t)
{
    in->on_wait = while_waiting;
    in->wait_ctx = t;
}

/* Tables, input and output files, in T2's order; 0, or 1 after a line
 * on stderr.  Whatever was made is undone by run_cleanup(). */
static int run_setup(t2_t *t, const options_t *o)
{
    char err[1024];
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
    t->prefix = output_prefix(o);
    if (!t->prefix) return 1;
    t2BaseName = t->prefix;
    if (!(t->log = open_side_file(t, o->log_file, "_log.txt"))) return 1;
    if (!(t->mon = open_side_file(t, o->mon_file, "_monitoring.txt"))) return 1;
    t->dst.log = t->log;
    print_banner(t);
    input_from_options(&t->in, o, t->log);
    if (input_open(&t->in) != 0) return 1;
    const flow_hooks_t hooks = { on_new_flow, end_flow, t };
    if (outbuf_open_memory(&t->flow_line) != 0 ||
        flow_table_init(&t->ft, o->flow_capacity, geo, hooks, &t->st.globalWarn) != 0) {
        fputs("t2mini: out of memory\n", t2Diag);
        return 1;
    }
    t->have_flow_table = 1;
    t2FlowTable = &t->ft;
    flows = t->ft.flows;
    t2FlowCapacity = t->ft.capacity;
    if (o->packet_mode && open_packet_file(t) != 0) return 1;
    return 0;
}

/* ------------------------------------------------------------- run */

static int start_plugins(t2_t *t)
{
    print_plugins(t);
    if (sPktFile) fputs("%pktNo\tflowInd\t", sPktFile);
    for (; t->plugins_started < t2PluginCount && !plugin_failed; t->plugins_started++) {
        const t2_plugin_t *pl = t2Plugins[t->plugins_started];
        if (pl->t2Init) pl->t2Init();
    }
    if (plugin_failed) return 1;         /* a plugin could not create its file */
    if (sPktFile) fputs("l7Content\n", sPktFile);
    return 0;
}

/* Banner, plugins, every record; 0, or 1 when the run stopped early. */
static int run_read(t2_t *t)
{
    if (start_plugins(t) != 0) return 1;
    input_wait_hook(&t->in, t);
    input_print_first(&t->in);
    fflush(t->log);
    gettimeofday(&t->start, NULL);
    t->last_flush = t->start;
    monitor_init(&t->monitor, t->mon, t->o->mon_interval, &t->start);
    progress_init(&t->progress, t->o->progress && t->in.kind != INPUT_LIVE, t->in.total_size);
    if (t->in.kind == INPUT_LIST) t->st.list_files = t->in.list.count;
    read_input(t);
    progress_end(&t->progress);
    return t->fatal || sigs.quit ? 1 : 0;
}

/* After the last record: the open flows, then the end report. */
static void run_finish(t2_t *t)
{
    say_signals(t);
    endreport_date(t->log, "Dump stop : ", t->st.lastSec, t->st.lastNsec, 1);
    endreport_span(t->log, "Total dump duration: ", (int64_t)(t->st.lastSec - t->st.firstSec),
                   t->st.lastNsec - t->st.firstNsec);
    fprintf(t->log, "Finished processing. Elapsed time: %.9f sec\n", seconds_since(&t->start));
    flow_end_all(&t->ft, &sigs.abort_flows);
    say_signals(t);                     /* a signal while they were written */
    if (sigs.quit) return;              /* a SIGTERM: at once */
    monitor_end_report(t->log, &t->st, &t->ft, &t->dst, &t->in, seconds_since(&t->start));
}

/* Close what is open; a failed write makes the status 1. */
static void close_outputs(t2_t *t)
{
    if (sPktFile && close_packet_file(t) != 0) t->status = 1;
    free(t->pkt_file_buffer);
    t->pkt_file_buffer = NULL;
    if (t->log && (fflush(t->log) != 0 || ferror(t->log))) {
        fprintf(t2Diag, "t2mini: end report: write failed: %s\n", strerror(errno));
        t->status = 1;
    }
    if (t->mon && t->mon != t->o->report) monitor_close_file(t->mon, t->prefix);
    if (t->log && t->log != t->o->report) fclose(t->log);
}

static void run_cleanup(t2_t *t)
{
    for (unsigned i = 0; i < t->plugins_started; i++) {
        if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
    }
    if (plugin_failed) t->status = 1;
    close_outputs(t);
    monitor_stop(&t->monitor);
    input_close(&t->in);
    outbuf_close(&t->flow_line);
    if (t->have_flow_table) flow_table_free(&t->ft);
    if (t->have_geo) geo_free(&t->geo);
    free(t->prefix);
    t2BaseName = NULL;
}

int t2mini_run(const options_t *o)
{
    static t2_t t;          /* large (the leftover buffer): keep it off the stack */
    memset(&t, 0, sizeof(t));
    memset(numPacketsL3, 0, sizeof(numPacketsL3));
    memset((void *)&sigs, 0, sizeof(sigs));
    sigs.level = RUN_READING;
    t.o = o;
    t.flow_line.fd = -1;
    t.st.min_hdrs = UINT16_MAX;
    plugin_failed = 0;
    discard_output = o->discard_output;
    flows_to_stdout = o->flows_to_stdout;
    t2Diag = o->diag ? o->diag : stderr;
    t2LibpcapVersion = capture_lib_version();
    if (o->handle_signals) install_signals();

    t.status = run_setup(&t, o);
    if (t.status == 0) t.status = run_read(&t);
    if (t.status == 0) run_finish(&t);
    if (t.input_failed || sigs.quit) t.status = 1;
    run_cleanup(&t);
    return t.status;
}

#ifndef T2MINI_NO_MAIN     /* the fuzzer has its own entry point */

/* ----------------------------------------------------------- options */

static void usage(FILE *f)
{
    fputs("Usage: t2mini [OPTION...] [BPF]\n"
          "\n"
          "Tranalyzer2 0.9.3's packet mode in miniature, with T2's command line:\n"
          "writes PREFIX_flows.txt, PREFIX_headers.txt and, with -s,\n"
          "PREFIX_packets.txt as T2 with basicFlow, tcpWin and txtSink writes them,\n"
          "and prints T2's end report.\n"
          "\n"
          "Input (one of):\n"
          "  -r PCAP      read packets from PCAP (pcap or pcapng; '-': stdin)\n"
          "  -R FILE      read every capture listed in FILE, as one run\n"
          "  -D EXPR[:SCHR][,STOP]\n"
          "               read a numbered series (dump.pcap00, dump.pcap01, ...):\n"
          "               the number follows the last SCHR (default 'p'); up to\n"
          "               STOP, waiting for files not there yet\n"
          "  -i IFACE     capture live on IFACE until SIGINT (twice) or SIGTERM\n"
          "Output:\n"
          "  -w PREFIX    output prefix; an existing directory or a name ending\n"
          "               in '/' puts the files there, named after the input\n"
          "               (default: next to the input); '-': flow file to stdout\n"
          "  -W PREFIX[:SIZE][,START]\n"
          "               like -w, flow files cut at SIZE bytes (K, M, G) or, with\n"
          "               a trailing 'f', SIZE flows, numbered from START\n"
          "  -l           end report to PREFIX_log.txt instead of stdout\n"
          "  -m           monitoring reports to PREFIX_monitoring.txt\n"
          "  -s           packet mode: write the packet file\n"
          "Live capture:\n"
          "  -S SNAPLEN   snapshot length (default 65535)\n"
          "  -B BUFSIZE   kernel buffer size in bytes (default 33554432)\n"
          "Other:\n"
          "  -F FILE      read the BPF filter from FILE ('#' starts a comment)\n"
          "  -f FACTOR    flow table size factor (the table holds FACTOR x 262144)\n"
          "  -x ID        sensor ID (headers file)\n"
          "  -M SECONDS   monitoring interval (reports on SIGUSR2, toggled)\n"
          "  -P PRIO      priority (nice value): -20 (root only) to 20\n"
          "  -G GEODIR    label addresses from GEODIR/subnets4.txt and\n"
          "               GEODIR/subnets6.txt (T2's format) instead of the\n"
          "               tables built in (T2 0.9.3's, from data/)\n"
          "  -Y, --dump FILE  also write every packet read to FILE (pcap), e.g.\n"
          "               to keep what a live capture saw\n"
          "  -V, --version  show the version\n"
          "  -h, --help   show this help\n"
          "  BPF          what remains: a filter expression, as for tcpdump\n"
          "Signals: a first SIGINT stops flow creation (the run ends when no flow\n"
          "is left), a second ends reading, a third skips the flows not yet\n"
          "written; SIGTERM ends reading, and once reading is over ends the run\n"
          "at once (status 1).  SIGUSR1 prints a report, SIGUSR2 toggles\n"
          "monitoring.\n"
          "T2's -p, -b, -e and -c do not apply to t2mini.\n", f);
}

/* T2's long options, for scripts that spell them out. */
static const struct {
    const char *name;
    const char *short_form;
} long_options[] = {
    { "pcap", "-r" }, { "pcap-list", "-R" }, { "input-regex", "-D" }, { "interface", "-i" },
    { "logfile", "-l" }, { "monfile", "-m" }, { "packets", "-s" }, { "output-prefix", "-w" },
    { "output-regex", "-W" }, { "plugin-list", "-b" }, { "cpu", "-c" }, { "pcapd", "-e" },
    { "hash-factor", "-f" }, { "bpf-file", "-F" }, { "plugin-folder", "-p" },
    { "sensor-id", "-x" }, { "snaplen", "-S" }, { "priority", "-P" }, { "rx-bufsize", "-B" },
    { "mon-interval", "-M" }, { "version", "-V" }, { "help", "-h" },
    { "dump", "-Y" },           /* t2mini's own */
};

/* "--name" becomes "-c" and "--name=value" "-c value", so that getopt
 * sees short options only; NULL after a line on stderr. */
static char **short_args(int argc, char **argv, int *out_argc)
{
    char **out = calloc((size_t)argc * 2 + 1, sizeof(*out));
    if (!out) return NULL;
    int n = 0, i = 0, ended = 0;
    for (; i < argc; i++) {
        const char *a = argv[i];
        if (ended || i == 0 || strncmp(a, "--", 2) != 0 || a[2] == '\0') {
            ended |= i > 0 && strcmp(a, "--") == 0;
            out[n++] = argv[i];
            continue;
        }
        const char *eq = strchr(a, '=');
        const size_t len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
        size_t k = 0;
        const size_t count = sizeof(long_options) / sizeof(long_options[0]);
        while (k < count && (strlen(long_options[k].name) != len || strncmp(long_options[k].name, a + 2, len) != 0)) k++;
        if (k == count) {
            fprintf(stderr, "t2mini: unknown option '%s' (try 't2mini -h')\n", a);
            free(out);
            return NULL;
        }
        out[n++] = (char *)long_options[k].short_form;
        if (eq) out[n++] = (char *)(eq + 1);
    }
    *out_argc = n;
    return out;
}

/* -F FILE: comments ('#' to the end of the line) become spaces and
 * trailing spaces and newlines go, as in T2; NULL after a line on stderr. */
static char *read_bpf_file(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "t2mini: %s: cannot read BPF file: %s\n", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    int c, in_comment = 0;
    while (buf && (c = fgetc(f)) != EOF) {
        if (c == '#') in_comment = 1;
        if (c == '\n') in_comment = 0;
        if (len + 2 > cap) {
            char *grown = realloc(buf, cap *= 2);
            if (!grown) free(buf);
            buf = grown;
            if (!buf) break;
        }
        buf[len++] = in_comment ? ' ' : (char)c;
    }
    fclose(f);
    if (!buf) {
        fputs("t2mini: out of memory\n", stderr);
        return NULL;
    }
    while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\n')) len--;
    buf[len] = '\0';
    if (len == 0) {
        fprintf(stderr, "t2mini: %s: empty BPF file\n", path);
        free(buf);
        return NULL;
    }
    return buf;
}

/* What remains after the options is the BPF expression, words joined by
 * spaces as tcpdump does; NULL if there is none. */
static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    if (argc == 0) return NULL;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

/* -W PREFIX[:SIZE][,START]: SIZE may end in K, M or G, then in 'f' for a
 * number of flows; without SIZE, T2 cuts at 500 MB. */
static void parse_split(options_t *o, char *arg)
{
    char *comma = strrchr(arg, ',');
    if (comma) {
        o->split_start = strtoull(comma + 1, NULL, 0);
        *comma = '\0';
    }
    char *colon = strrchr(arg, ':');
    o->split_size = 5e8;
    if (colon) {
        o->split_size = atof(colon + 1);
        const char *unit = colon + strlen(colon) - 1;
        if (*unit == 'f') {
            o->split_by_flows = 1;
            unit--;
        }
        if (*unit == 'K') o->split_size *= 1e3;
        else if (*unit == 'M') o->split_size *= 1e6;
        else if (*unit == 'G') o->split_size *= 1e9;
        *colon = '\0';
    }
    o->out_prefix = arg;
}

enum { OPT_RUN = 0, OPT_DONE = 1, OPT_USAGE = 2, OPT_FAIL = 3 };

static int usage_error(const char *msg)
{
    fprintf(stderr, "t2mini: %s (try 't2mini -h')\n", msg);
    return OPT_USAGE;
}

static int option_error(int c, const char *msg)
{
    fprintf(stderr, "t2mini: option '-%c' %s (try 't2mini -h')\n", c, msg);
    return OPT_USAGE;
}

/* T2's options that concern its plugin loading, pcapd and CPU
 * placement: one line saying why they do not apply. */
static int not_applicable(int c)
{
    const char *why = c == 'p' ? "plugins are compiled into t2mini, there is no plugin folder"
                    : c == 'b' ? "plugins are compiled into t2mini, there is no plugin list"
                    : c == 'e' ? "t2mini has no pcapd plugin to extract packets with"
                    : "binding to a CPU is not in POSIX: use taskset or cpuset";
    fprintf(stderr, "t2mini: option '-%c' does not apply: %s\n", c, why);
    return OPT_USAGE;
}

/* -P PRIO: the nice value, -20 (highest) to 20, below 0 for root only,
 * as T2 checks it. */
static int set_priority(const char *arg)
{
    const long prio = strtol(arg, NULL, 0);
    if (prio > 20 || prio < (getuid() == 0 ? -20 : 0)) {
        return option_error('P', getuid() == 0 ? "needs a priority from -20 to 20"
                                               : "needs a priority from 0 to 20 (below 0: root only)");
    }
    if (setpriority(PRIO_PROCESS, 0, (int)prio) != 0) {
        fprintf(stderr, "t2mini: cannot set the priority to %ld: %s\n", prio, strerror(errno));
        return OPT_FAIL;
    }
    return OPT_RUN;
}

static int take_input(options_t *o, input_kind_t kind, const char *arg)
{
    if (o->input && o->input_kind != kind) {
        return usage_error("'-r', '-R', '-D' and '-i' exclude each other");
    }
    if (kind == INPUT_SERIES) {
        series_t s;
        if (series_parse(&s, arg) != 0) {
            return option_error('D', "has an invalid format, expected 'expr[:schr][,stop]'");
        }
        series_free(&s);
    }
    o->input_kind = kind;
    o->input = arg;
    return OPT_RUN;
}

static int take_number(const char *arg, int c, long *v)
{
    *v = strtol(arg, NULL, 0);
    if (*v < 0) return option_error(c, "needs a number greater than 0");
    return OPT_RUN;
}

/* One option; OPT_RUN to go on. */
static int take_option(options_t *o, int c, char *arg, char **bpf_file)
{
    long v;
    switch (c) {
        case 'r': return take_input(o, INPUT_FILE, arg);
        case 'R': return take_input(o, INPUT_LIST, arg);
        case 'D': return take_input(o, INPUT_SERIES, arg);
        case 'i': return take_input(o, INPUT_LIVE, arg);
        case 'w': o->out_prefix = arg; return OPT_RUN;
        case 'W': parse_split(o, arg); return OPT_RUN;
        case 'l': o->log_file = 1; return OPT_RUN;
        case 'm': o->mon_file = 1; return OPT_RUN;
        case 's': o->packet_mode = 1; return OPT_RUN;
        case 'G': o->geo_dir = arg; return OPT_RUN;
        case 'Y': o->dump_path = arg; return OPT_RUN;
        case 'F': *bpf_file = arg; return OPT_RUN;
        case 'x': o->sensor_id = (uint32_t)strtoul(arg, NULL, 0); return OPT_RUN;
        case 'f': {
            const unsigned long f = strtoul(arg, NULL, 0);
            if (f == 0 || f > UINT32_MAX / FLOW_CAPACITY) {
                return option_error(c, "needs a factor between 1 and 16383");
            }
            o->flow_capacity = FLOW_CAPACITY * (uint32_t)f;
            return OPT_RUN;
        }
        case 'M':
            o->mon_interval = atof(arg);
            if (o->mon_interval < 0) return option_error(c, "needs a number greater than 0");
            return OPT_RUN;
        case 'S': if (take_number(arg, c, &v) != OPT_RUN) return OPT_USAGE; o->snaplen = (int)v; return OPT_RUN;
        case 'B': if (take_number(arg, c, &v) != OPT_RUN) return OPT_USAGE; o->buf_size = (int)v; return OPT_RUN;
        case 'P': return set_priority(arg);
        case 'p': case 'b': case 'e': case 'c': return not_applicable(c);
        case 'h': usage(stdout); return OPT_DONE;
        case 'V': printf("t2mini %s (Tranalyzer2 0.9.3 packet mode)\n", T2MINI_VERSION); return OPT_DONE;
        case ':': return option_error(optopt, "needs an argument");
        default:
            fprintf(stderr, "t2mini: unknown option '-%c' (try 't2mini -h')\n", optopt);
            return OPT_USAGE;
    }
}

/* After the options: -w -, the filter, and that there is an input. */
static int finish_options(options_t *o, int argc, char **argv, const char *bpf_file)
{
    if (!o->input) return usage_error("no input: give one of -r, -R, -D or -i");
    if (o->out_prefix && strcmp(o->out_prefix, "-") == 0) {
        /* T2: the flow file to stdout, the rest as without -w, -l and -m on */
        o->out_prefix = NULL;
        o->flows_to_stdout = o->log_file = o->mon_file = 1;
    }
    if (bpf_file) {
        if (!(o->bpf_owned = read_bpf_file(bpf_file))) return OPT_FAIL;
    } else {
        o->bpf_owned = join_args(argc - optind, argv + optind);
    }
    o->bpf = o->bpf_owned;
    return OPT_RUN;
}

static int parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->report = stdout;
    o->flow_capacity = FLOW_CAPACITY;
    o->mon_interval = 1.0;
    o->sensor_id = 666;
    o->snaplen = 65535;
    o->buf_size = 0x2000000;
    o->handle_signals = 1;
    o->progress = isatty(STDERR_FILENO);
    char *bpf_file = NULL;
    int c, rc = OPT_RUN;
    opterr = 0;
    while (rc == OPT_RUN && (c = getopt(argc, argv, ":r:R:D:i:w:W:lmsG:Y:F:x:f:M:S:B:p:b:e:c:P:hV")) != -1) {
        rc = take_option(o, c, optarg, &bpf_file);
    }
    return rc == OPT_RUN ? finish_options(o, argc, argv, bpf_file) : rc;
}

static char *command_line(int argc, char **argv)
{
    return join_args(argc, argv);
}

int main(int argc, char **argv)
{
    options_t o;
    int n = 0;
    char **args = short_args(argc, argv, &n);
    if (!args) return 2;
    const int r = parse_options(n, args, &o);
    int status = r == OPT_DONE ? 0 : r == OPT_USAGE ? 2 : 1;
    if (r == OPT_RUN) {
        char *cmd = command_line(argc, argv);
        t2CommandLine = cmd;
        t2SensorID = o.sensor_id;
        t2SplitSize = (uint64_t)o.split_size;
        t2SplitByFlows = o.split_by_flows;
        t2SplitStart = o.split_start;
        status = t2mini_run(&o);
        free(cmd);
    }
    free(o.bpf_owned);
    free(args);
    return status;
}
#endif
