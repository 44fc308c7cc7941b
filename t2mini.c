/*
 * t2mini.c - main: options, the capture loop; the end report is out_endreport.c.
 *
 * One record's way through t2mini, each step a function:
 *
 *   1. read      read_records()      read_capture.c hands over the next record
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
 * stdout.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "read_capture.h"
#include "dissect.h"
#include "flow.h"
#include "flow_geo.h"
#include "out_buf.h"
#include "packet.h"
#include "out_endreport.h"
#include "out_report.h"
#include "t2mini.h"
#include "t2plugin.h"

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
FILE *t2Diag;

static int pluginFailed;
static int discardOutput;       /* fuzzing: all output files are /dev/null */

char *t2_output_path(const char *suffix)
{
    const char *prefix = discardOutput ? "/dev/null" : t2BaseName;
    const size_t n = strlen(prefix) + strlen(suffix) + 1;
    char *path = malloc(n);
    if (!path) return NULL;
    if (discardOutput) snprintf(path, n, "%s", prefix);
    else snprintf(path, n, "%s%s", prefix, suffix);
    return path;
}

int t2_open_output(outbuf_t *ob, const char *path)
{
    /* a fuzzing run is short: a large buffer would cost more than it saves */
    return outbuf_open(ob, path, discardOutput ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE);
}

void t2Fail(void)
{
    pluginFailed = 1;
}

/* T2's output naming: the prefix is -w, or for a directory (or a name
 * ending in '/') DIR/NAME, NAME being the capture's file name without
 * its last extension; without -w, NAME next to the capture. */
static char *output_prefix(const options_t *o)
{
    const char *in = o->input;
    const char *slash = strrchr(in, '/');
    const char *base = slash ? slash + 1 : in;
    const char *dot = strrchr(base, '.');
    const size_t baseLen = dot ? (size_t)(dot - base) : strlen(base);

    const char *w = o->outPrefix;
    char *out;
    if (!w) {
        const size_t dirLen = (size_t)(base - in);
        out = malloc(dirLen + baseLen + 1);
        if (!out) return NULL;
        memcpy(out, in, dirLen + baseLen);
        out[dirLen + baseLen] = '\0';
        return out;
    }
    struct stat st;
    const size_t wLen = strlen(w);
    const int isDir = (wLen && w[wLen - 1] == '/') || (stat(w, &st) == 0 && S_ISDIR(st.st_mode));
    if (!isDir) {
        out = malloc(wLen + 1);
        if (out) memcpy(out, w, wLen + 1);
        return out;
    }
    const int addSlash = w[wLen - 1] != '/';
    out = malloc(wLen + 1 + baseLen + 1);
    if (!out) return NULL;
    memcpy(out, w, wLen);
    if (addSlash) out[wLen] = '/';
    memcpy(out + wLen + addSlash, base, baseLen);
    out[wLen + addSlash + baseLen] = '\0';
    return out;
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

static leftover_t leftover;    /* 256 KiB: static, only its length is reset */

typedef struct {
    int linktype;
    int linkUnsupported;        /* fatal at the first record, as in T2 */
    int fatal;                  /* reading stopped on an error: no report */
    leftover_t *leftover;
    run_stats_t st;
    dissect_stats_t dst;
    flow_table_t ft;
    geo_t geo;
    int haveGeo;
    outbuf_t flowLine;          /* the flow-file line being assembled */
    outbuf_t pktBuf;            /* t2PktBuf: the core's packet-file text */
    char pktText[OUTBUF_LINE_SIZE];
    FILE *log;                  /* the end report: stdout */
    uint64_t fileSize;          /* of the capture file, 0 for a stream */
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
    outbuf_t *line = &t->flowLine;
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
        t->st.bPackets++;
        t->st.bBytes += p->caplen;
    } else {
        t->st.aPackets++;
        t->st.aBytes += p->caplen;
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
        t->st.padBytes += (uint64_t)pad;
    }
}

static void layer2_packet(t2_t *t, packet_t *p)
{
    t->st.l2Packets++;
    if (p->ethType == ETH_P_ARP) t->st.arpPackets++;
    else if (p->ethType == ETH_P_RARP) t->st.rarpPackets++;
    const uint32_t flowIndex = flow_for_l2(&t->ft, p);
    if (p->padLen > 0) t->st.padBytes += (uint64_t)p->padLen;
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
    numPacketsL3[p->l4Proto]++;
    t->st.bytesL3[p->l4Proto] += p->caplen;
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
 * headers per record), kept between 2 and 16. */
static void warn_table_full(t2_t *t)
{
    const uint64_t readSoFar = 24 + t->st.bytesProcessed + t->st.packets * 16;
    uint64_t factor = t->fileSize / readSoFar;
    if (factor < 2) factor = 2;
    if (factor > 16) factor = 16;
    fprintf(t->log, "[WRN] Hash Autopilot: main HashMap full: flushing 1 oldest flow(s)\n");
    fprintf(t->log, "[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f %" PRIu64 "'\n", factor);
}

/* One record: steps 2 to 5, then the counters of the end report. */
static void process_record(t2_t *t, const record_t *h)
{
    const uint64_t sec = h->sec;
    const int64_t nsec = h->nsec;
    if (t->st.packets == 0) {
        t->st.firstSec = sec;
        t->st.firstNsec = nsec;
        endreport_date(t->log, "Dump start: ", sec, nsec, 1);
    }
    t->st.lastSec = sec;
    t->st.lastNsec = nsec;

    flow_expire(&t->ft, sec, nsec);     /* T2 ends idle flows first */
    const uint64_t warnBefore = t->st.globalWarn;

    t->st.packets++;
    t->st.rawBytes += h->len;
    if (h->caplen == 0) {               /* nothing to dissect: no line */
        fprintf(t->log, "[WRN] No data available for packet %" PRIu64 "\n", t->st.packets);
        return;
    }
    t->st.bytesProcessed += h->caplen;

    packet_t p;
    memset(&p, 0, offsetof(packet_t, hdrDesc) + 1);
    p.raw = h->bytes;
    p.caplen = h->caplen;
    p.end = h->bytes + h->caplen;
    p.wirelen = h->len;
    p.ts_sec = sec;
    p.ts_nsec = nsec;
    p.leftover = t->leftover->bytes;
    p.leftoverLen = t->leftover->len;

    dissect(&p, t->linktype, &t->dst);
    if (p.dispatch == DISPATCH_STOP) {
        /* T2 exits on the spot: this packet gets no line, the flows
         * still open are not written and there is no end report */
        t->fatal = 1;
        return;
    }
    if (p.dispatch == DISPATCH_L2) layer2_packet(t, &p);
    else if (p.dispatch == DISPATCH_IP) ip_packet(t, &p);
    keep_leftovers(t->leftover, h->bytes, h->caplen);
    /* the first eviction is the one that raises the bit in the aggregated
     * flowStat: T2 warns then only */
    if (!(warnBefore & FS_RMFLOW_HFULL) && (t->st.globalWarn & FS_RMFLOW_HFULL)) warn_table_full(t);

    run_stats_t *st = &t->st;
    st->globalWarn |= p.status;
    if (p.hasLLC) st->llcPackets++;
    if (p.status & FS_IPV4_FLOW) st->v4Packets++;
    else if (p.status & FS_IPV6_FLOW) st->v6Packets++;
    if (p.status & FS_IPVX) st->vxPackets++;
    if (p.status & FS_TEREDO) st->teredoPackets++;
    if (p.status & FS_AYIYA) st->ayiyaPackets++;
    if (p.status & FS_GRE) st->grePackets++;
    if (p.numHdrs > st->maxHdrs) st->maxHdrs = p.numHdrs;
    if (p.numHdrs < st->minHdrs) st->minHdrs = p.numHdrs;
    const float w = (float)(1.0 / (double)st->packets);
    st->avgHdrs = (float)((1.0 - w) * st->avgHdrs + w * (float)p.numHdrs);
}

/* ------------------------------------------------------------ step 1 */

/* Feed every record to process_record().  A read error is reported (once
 * per distinct message, as T2 does) and reading goes on where libpcap can;
 * returns the number of read errors. */
static unsigned read_records(t2_t *t, capture_t *cap, const char *name)
{
    record_t rec;
    unsigned errors = 0;
    int oversizeWarned = 0;
    const int snaplen = capture_snaplen(cap);
    char last[512] = "";
    for (;;) {
        const int r = capture_next(cap, &rec);
        if (r == 1) {
            if (t->linkUnsupported) {
                /* T2 meets the link type at its first packet, and has
                 * said "Dump start" by then */
                endreport_date(t->log, "Dump start: ", rec.sec, rec.nsec, 1);
                const int lapd = capture_dlt(cap) == LINKTYPE_LAPD || capture_dlt(cap) == LINKTYPE_LINUX_LAPD;
                fprintf(t2Diag, "t2mini: %s: unsupported link-layer type: %s [%s/%d]%s\n", name,
                        capture_linktype_desc(cap), capture_linktype_name(cap), capture_dlt(cap),
                        lapd ? " (T2 0.9.3 has LAPD flows disabled)" : "");
                t->fatal = 1;
                return errors + 1;
            }
            if (snaplen > 0 && rec.fileCaplen > (uint32_t)snaplen && !oversizeWarned) {
                /* libpcap cuts such records to the snapshot length (so T2
                 * sees them cut), t2mini too; it says so once */
                fprintf(t2Diag, "t2mini: %s: warning: packet %" PRIu64 " has %" PRIu32
                        " captured bytes, more than the snapshot length %d: cut to it\n",
                        name, t->st.packets + 1, rec.fileCaplen, snaplen);
                oversizeWarned = 1;
            }
            process_record(t, &rec);
            if (t->fatal) {
                fprintf(t2Diag, "t2mini: %s: packet %" PRIu64 ": %s: stopped, as T2 does\n",
                        name, t->st.packets, t->dst.stopReason);
                return errors + 1;
            }
        } else if (r == 0) {
            return errors;
        } else {
            errors++;
            const char *msg = capture_error(cap);
            if (errors == 1) {              /* the report lists the others */
                fprintf(t2Diag, "t2mini: %s: warning: after packet %" PRIu64 ": %s\n",
                        name, t->st.packets, msg);
            }
            if (strcmp(msg, last) != 0) {
                fprintf(t->log, "[WRN] pcap_dispatch failed: %s\n", msg);
                snprintf(last, sizeof(last), "%s", msg);
            }
        }
    }
}

static double seconds_since(const struct timeval *start)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_usec - start->tv_usec) / 1e6;
}

/* The banner: the lines above "Dump start:" are t2mini's own. */
static void print_banner(t2_t *t, const options_t *o, capture_t *cap)
{
    FILE *f = t->log;
    fputs("================================================================================\n", f);
    fprintf(f, "t2mini %s (Tranalyzer2 0.9.3 packet mode). PID: %ld\n", T2MINI_VERSION, (long)getpid());
    fputs("================================================================================\n", f);
    struct timeval now;
    gettimeofday(&now, NULL);
    endreport_date(f, "Date: ", (uint64_t)now.tv_sec, (int64_t)now.tv_usec * 1000, 0);
    fputs("[INF] Creating flows for L2, IPv4, IPv6\n", f);
    fputs("Active plugins:\n", f);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        fprintf(f, "    %02u: %s, %s\n", i + 1, t2Plugins[i]->name, t2Plugins[i]->version);
    }
    if (t->haveGeo) {
        for (int v = 4; v <= 6; v += 2) {
            char count[64];
            report_readable(count, sizeof(count), geo_count(&t->geo, v), NULL);
            fprintf(f, "[INF] IPv%d Ver: %" PRIu32 ", Rev: %08" PRIu32 ", Range Mode: 0, "
                    "subnet ranges loaded: %" PRIu32 "%s\n", v, geo_version(&t->geo, v),
                    geo_revision(&t->geo, v), geo_count(&t->geo, v), count);
        }
    }
    fprintf(f, "Processing file: %s\n", o->input);
    fprintf(f, "Link layer type: %s [%s/%d]\n", capture_linktype_desc(cap), capture_linktype_name(cap),
            capture_dlt(cap));
    char h[64];
    report_readable(h, sizeof(h), (uint64_t)capture_snaplen(cap), NULL);
    fprintf(f, "Snapshot length: %d%s\n", capture_snaplen(cap), h);
}

/* ------------------------------------------------------------- run */

/* The packet file: a stdio stream with a buffer of `size` bytes (large,
 * so that the file is written a megabyte at a time); NULL on failure,
 * said on t2Diag. */
static FILE *open_packet_file(char *buffer, size_t size)
{
    char *path = t2_output_path("_packets.txt");
    if (!path) {
        fputs("t2mini: out of memory\n", t2Diag);
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (!f || setvbuf(f, buffer, _IOFBF, size) != 0) {
        fprintf(t2Diag, "t2mini: %s: cannot create packet file: %s\n", path, strerror(errno));
        if (f) fclose(f);
        f = NULL;
    }
    free(path);
    return f;
}

/* Write out and close the packet file; 0, or -1 said on t2Diag. */
static int close_packet_file(t2_t *t, const char *prefix)
{
    pkt_buf_to_file();
    const int failed = ferror(sPktFile) || t->pktBuf.err;
    const int e = t->pktBuf.err ? t->pktBuf.err : errno;
    if (fclose(sPktFile) != 0 || failed) {
        fprintf(t2Diag, "t2mini: %s_packets.txt: write failed: %s\n", prefix,
                strerror(failed ? e : errno));
        return -1;
    }
    return 0;
}

int t2mini_run(const options_t *o)
{
    static t2_t t;          /* large: keep it off the stack */
    memset(&t, 0, sizeof(t));
    memset(numPacketsL3, 0, sizeof(numPacketsL3));
    leftover.len = 0;
    t.leftover = &leftover;
    pluginFailed = 0;
    discardOutput = o->discardOutput;
    t2Diag = o->diag ? o->diag : stderr;
    t.st.minHdrs = UINT16_MAX;
    t.log = o->report;
    t.dst.log = o->report;
    t2LibpcapVersion = capture_lib_version();

    char err[1024];
    const geo_t *geo = o->geo;
    if (!geo) {     /* -G DIR, else the tables compiled in */
        if (!o->geoDir) geo_builtin(&t.geo);
        else if (geo_load(&t.geo, o->geoDir, err, sizeof(err)) != 0) {
            fprintf(t2Diag, "t2mini: %s\n", err);
            return 1;
        }
        t.haveGeo = 1;
        geo = &t.geo;
    }

    struct stat st = { .st_size = 0 };
    capture_t *cap;
    if (o->inputStream) {
        cap = capture_open_stream(o->inputStream, err, sizeof(err));
    } else {
        if (stat(o->input, &st) != 0) {
            fprintf(t2Diag, "t2mini: %s: cannot read capture: %s\n", o->input, strerror(errno));
            if (t.haveGeo) geo_free(&t.geo);
            return 1;
        }
        if (S_ISDIR(st.st_mode)) {
            fprintf(t2Diag, "t2mini: %s: is a directory, not a capture file\n", o->input);
            if (t.haveGeo) geo_free(&t.geo);
            return 1;
        }
        cap = capture_open(o->input, err, sizeof(err));
        t.fileSize = (uint64_t)st.st_size;
    }
    if (!cap) {
        fprintf(t2Diag, "t2mini: %s: not a readable capture: %s\n", o->input, err);
        if (t.haveGeo) geo_free(&t.geo);
        return 1;
    }
    /* A link type t2mini cannot dissect is, as in T2, an error at the
     * first record: the output files are there, with their header lines
     * (and a capture without records is a normal, empty run). */
    t.linktype = capture_linktype(cap);
    t.linkUnsupported = t.linktype < 0 || !dissect_linktype_supported(t.linktype);

    int status = 0;
    char *prefix = output_prefix(o);
    const flow_hooks_t hooks = { on_new_flow, end_flow, &t };
    if (!prefix || outbuf_open_memory(&t.flowLine) != 0 ||
        flow_table_init(&t.ft, o->flowCapacity, geo, hooks, &t.st.globalWarn) != 0) {
        fputs("t2mini: out of memory\n", t2Diag);
        free(prefix);
        outbuf_close(&t.flowLine);
        capture_close(cap);
        if (t.haveGeo) geo_free(&t.geo);
        return 1;
    }
    t2BaseName = prefix;
    t2FlowTable = &t.ft;
    flows = t.ft.flows;
    t2FlowCapacity = t.ft.capacity;

    /* a fuzzing run is short: a large buffer would cost more than it saves */
    const size_t pktFileBufSize = o->discardOutput ? OUTBUF_LINE_SIZE : OUTBUF_FILE_SIZE;
    char *pktFileBuf = o->packetMode ? malloc(pktFileBufSize) : NULL;
    if (o->packetMode && (!pktFileBuf || !(sPktFile = open_packet_file(pktFileBuf, pktFileBufSize)))) {
        if (!pktFileBuf) fputs("t2mini: out of memory\n", t2Diag);
        status = 1;
    } else {
        if (sPktFile) {
            outbuf_on_stream(&t.pktBuf, sPktFile, t.pktText, sizeof(t.pktText));
            t2PktBuf = &t.pktBuf;
            fputs("%pktNo\tflowInd\t", sPktFile);
        }
        print_banner(&t, o, cap);
        unsigned initialised = 0;
        for (; initialised < t2PluginCount && !pluginFailed; initialised++) {
            if (t2Plugins[initialised]->t2Init) t2Plugins[initialised]->t2Init();
        }
        if (pluginFailed) {         /* a plugin could not create its file */
            for (unsigned i = 0; i < initialised; i++) {
                if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
            }
            status = 1;
            goto done;
        }
        if (sPktFile) fputs("l7Content\n", sPktFile);

        struct timeval start;
        gettimeofday(&start, NULL);
        (void)read_records(&t, cap, o->input);   /* errors were reported */
        if (t.fatal) {
            for (unsigned i = 0; i < t2PluginCount; i++) {
                if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
            }
            status = 1;
            goto done;
        }

        endreport_date(t.log, "Dump stop : ", t.st.lastSec, t.st.lastNsec, 1);
        endreport_span(t.log, "Total dump duration: ", (int64_t)(t.st.lastSec - t.st.firstSec),
                 t.st.lastNsec - t.st.firstNsec);
        fprintf(t.log, "Finished processing. Elapsed time: %.9f sec\n", seconds_since(&start));
        flow_end_all(&t.ft);
        endreport_print(t.log, &t.st, &t.ft, &t.dst, (uint64_t)st.st_size, seconds_since(&start));
        for (unsigned i = 0; i < t2PluginCount; i++) {
            if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
        }
        if (pluginFailed) status = 1;
    }
done:
    if (sPktFile && close_packet_file(&t, prefix) != 0) status = 1;
    sPktFile = NULL;
    t2PktBuf = NULL;
    free(pktFileBuf);
    if (fflush(t.log) != 0 || ferror(t.log)) {
        fprintf(t2Diag, "t2mini: end report: write failed: %s\n", strerror(errno));
        status = 1;
    }

    capture_close(cap);
    outbuf_close(&t.flowLine);
    flow_table_free(&t.ft);
    if (t.haveGeo) geo_free(&t.geo);
    free(prefix);
    return status;
}

#ifndef T2MINI_NO_MAIN     /* the fuzzer has its own entry point */

/* ----------------------------------------------------------- options */


static void usage(FILE *f)
{
    fputs("Usage: t2mini -r CAPTURE [-s] [-w PREFIX] [-G GEODIR]\n"
          "\n"
          "Tranalyzer2 0.9.3's packet mode in miniature: writes PREFIX_flows.txt,\n"
          "PREFIX_headers.txt and, with -s, PREFIX_packets.txt as T2 with basicFlow,\n"
          "tcpWin and txtSink writes them, and prints T2's end report.\n"
          "\n"
          "  -r CAPTURE  read packets from CAPTURE (pcap or pcapng)\n"
          "  -s          packet mode: write the packet file\n"
          "  -w PREFIX   output prefix; an existing directory or a name ending\n"
          "              in '/' puts the files there, named after CAPTURE\n"
          "              (default: next to CAPTURE)\n"
          "  -G GEODIR   label addresses from GEODIR/subnets4.txt and\n"
          "              GEODIR/subnets6.txt (T2's format) instead of the\n"
          "              tables built in (T2 0.9.3's, from data/)\n"
          "  -h, --help  show this help\n"
          "  --version   show the version\n", f);
}

/* Returns 0 to run, 1 when done (help/version), 2 on a usage error. */
static int parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    o->report = stdout;
    o->flowCapacity = FLOW_CAPACITY;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("t2mini %s (Tranalyzer2 0.9.3 packet mode)\n", T2MINI_VERSION);
            return 1;
        }
        if (strcmp(a, "-s") == 0) {
            o->packetMode = 1;
            continue;
        }
        const char **target = strcmp(a, "-r") == 0 ? &o->input
                            : strcmp(a, "-w") == 0 ? &o->outPrefix
                            : strcmp(a, "-G") == 0 ? &o->geoDir : NULL;
        if (!target) {
            fprintf(stderr, "t2mini: unknown option '%s' (try 't2mini -h')\n", a);
            return 2;
        }
        if (i + 1 >= argc) {
            fprintf(stderr, "t2mini: option '%s' needs an argument (try 't2mini -h')\n", a);
            return 2;
        }
        *target = argv[++i];
    }
    if (!o->input) {
        fputs("t2mini: no input: give a capture with -r (try 't2mini -h')\n", stderr);
        return 2;
    }
    return 0;
}

static char *join_args(int argc, char **argv)
{
    size_t n = 1;
    for (int i = 0; i < argc; i++) n += strlen(argv[i]) + 1;
    char *s = malloc(n);
    if (!s) return NULL;
    s[0] = '\0';
    for (int i = 0; i < argc; i++) {
        if (i) strcat(s, " ");
        strcat(s, argv[i]);
    }
    return s;
}

int main(int argc, char **argv)
{
    options_t o;
    const int r = parse_options(argc, argv, &o);
    if (r == 1) return 0;
    if (r == 2) return 2;
    char *cmd = join_args(argc, argv);
    t2CommandLine = cmd;
    const int status = t2mini_run(&o);
    free(cmd);
    return status;
}
#endif
