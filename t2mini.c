/*
 * t2mini.c - main: options, the capture loop, the end report.
 *
 * One record's way through t2mini, each step a function:
 *
 *   1. read      read_records()      libpcap hands over the next record
 *   2. dissect   dissect()           walk its headers (dissect.c)
 *   3. flow      flow_for_ip/_l2()   find or create its flow (flow.c);
 *                                    before each record, flow_expire()
 *                                    ends the flows that timed out
 *   4. plugins   process_record()    each plugin prints its columns
 *                                    (basicflow.c, tcpwin.c)
 *   5. output    process_record()    the core ends the line with the payload
 *
 * When flows end, the plugins append their flow-file columns and the sink
 * writes the line.  After the last record every flow ends and the end
 * report is printed.
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "dissect.h"
#include "flow.h"
#include "geo.h"
#include "outbuf.h"
#include "packet.h"
#include "report.h"
#include "t2plugin.h"

#define T2MINI_VERSION "0.9.3"

/* ----------------------------------------------- shared with plugins */

outbuf_t *sPktFile;
flow_t *flows;
unsigned long t2FlowCapacity;
flow_table_t *t2FlowTable;
uint64_t numPacketsL3[256];

/* ----------------------------------------------------------- options */

typedef struct {
    const char *input;          /* -r */
    const char *outPrefix;      /* -w */
    const char *geoDir;         /* -G */
    int packetMode;             /* -s */
} options_t;

static void usage(FILE *f)
{
    fputs("Usage: t2mini -r CAPTURE [-s] [-w PREFIX] [-G GEODIR]\n"
          "\n"
          "Tranalyzer2 0.9.3's packet mode in miniature: with -s, writes\n"
          "PREFIX_packets.txt, one line per packet, as T2 with basicFlow, tcpWin\n"
          "and txtSink writes it.\n"
          "\n"
          "  -r CAPTURE  read packets from CAPTURE (pcap or pcapng)\n"
          "  -s          packet mode: write the packet file\n"
          "  -w PREFIX   output prefix; an existing directory or a name ending\n"
          "              in '/' puts the files there, named after CAPTURE\n"
          "              (default: next to CAPTURE)\n"
          "  -G GEODIR   read T2's subnet tables GEODIR/subnets4.txt and\n"
          "              GEODIR/subnets6.txt for the geo label columns\n"
          "  -h, --help  show this help\n"
          "  --version   show the version\n", f);
}

/* Returns 0 to run, 1 when done (help/version), 2 on a usage error. */
static int parse_options(int argc, char **argv, options_t *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 1;
        }
        if (strcmp(a, "--version") == 0) {
            printf("t2mini %s (Tranalyzer2 %s packet mode)\n", T2MINI_VERSION, T2MINI_VERSION);
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

/* ------------------------------------------------------- run statistics */

typedef struct {
    uint64_t packets;           /* records read, including empty ones */
    uint64_t bytesProcessed;    /* captured bytes */
    uint64_t rawBytes;          /* bytes on the wire */
    uint64_t padBytes;
    uint64_t l2Packets, v4Packets, v6Packets, vxPackets;
    uint64_t aPackets, bPackets, aBytes, bBytes;
    uint64_t llcPackets, grePackets, teredoPackets, ayiyaPackets;
    uint64_t packetsL2[65536];  /* per ethertype */
    uint64_t bytesL3[256];      /* per IP protocol */
    uint16_t minHdrs, maxHdrs;
    float avgHdrs;
    uint64_t firstSec, lastSec; /* first and last record time */
    uint32_t firstNsec, lastNsec;
    uint64_t globalWarn;        /* T2's aggregated flowStat */
} run_stats_t;

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
    int linktype;
    leftover_t leftover;
    run_stats_t st;
    dissect_stats_t dst;
    flow_table_t ft;
    geo_t geo;
    int haveGeo;
} t2_t;

/* ------------------------------------------------------------ hooks */

static void on_new_flow(void *ctx, packet_t *p, uint32_t flowIndex)
{
    (void)ctx;
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnNewFlow) t2Plugins[i]->t2OnNewFlow(p, flowIndex);
    }
}

static void on_flow_end(void *ctx, uint32_t flowIndex, int second)
{
    (void)ctx;
    (void)second;
    (void)flowIndex;
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
    outbuf_u64(sPktFile, t->st.packets);        /* pktNo */
    outbuf_putc(sPktFile, '\t');
    outbuf_u64(sPktFile, findex);               /* flowInd */
    outbuf_putc(sPktFile, '\t');
}

static void print_payload(const packet_t *p)
{
    if (p->l7 < p->caplen) {
        size_t n = p->snapL7Len;
        if (n > p->caplen - p->l7) n = p->caplen - p->l7;   /* captured bytes only */
        outbuf_payload(sPktFile, p->raw + p->l7, n);
    }
    outbuf_putc(sPktFile, '\n');
}

static void pad_bytes(t2_t *t, packet_t *p, uint32_t flowIndex)
{
    if (p->wirelen > 64 || p->ipver == 0) return;
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
    t->st.packetsL2[p->ethType]++;
    const uint32_t flowIndex = flow_for_l2(&t->ft, p);
    if (p->padLen > 0) t->st.padBytes += (uint64_t)p->padLen;
    if (sPktFile) print_packet_start(t, flows[flowIndex].findex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnLayer2) t2Plugins[i]->t2OnLayer2(p, flowIndex);
    }
    if (sPktFile) print_payload(p);
    count_ab(t, &flows[flowIndex], p);
}

static void ip_packet(t2_t *t, packet_t *p)
{
    const uint32_t flowIndex = flow_for_ip(&t->ft, p);
    t->st.packetsL2[p->ethType]++;
    numPacketsL3[p->l4Proto]++;
    t->st.bytesL3[p->l4Proto] += p->caplen;
    pad_bytes(t, p, flowIndex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnLayer2) t2Plugins[i]->t2OnLayer2(p, HASHTABLE_ENTRY_NOT_FOUND);
    }
    flow_add_packet(&t->ft, flowIndex, p);
    if (sPktFile) print_packet_start(t, flows[flowIndex].findex);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnLayer4) t2Plugins[i]->t2OnLayer4(p, flowIndex);
    }
    if (sPktFile) print_payload(p);
    count_ab(t, &flows[flowIndex], p);
}

/* One record: steps 2 to 5, then the counters of the end report. */
static void process_record(t2_t *t, const record_t *h)
{
    const uint64_t sec = h->sec;
    const uint32_t nsec = h->nsec;
    if (t->st.packets == 0) {
        t->st.firstSec = sec;
        t->st.firstNsec = nsec;
    }
    t->st.lastSec = sec;
    t->st.lastNsec = nsec;

    flow_expire(&t->ft, sec, nsec);     /* T2 ends idle flows first */

    t->st.packets++;
    t->st.rawBytes += h->len;
    if (h->caplen == 0) return;         /* nothing to dissect: no line */
    t->st.bytesProcessed += h->caplen;

    packet_t p;
    memset(&p, 0, offsetof(packet_t, hdrDesc) + 1);
    p.raw = h->bytes;
    p.caplen = h->caplen;
    p.end = h->bytes + h->caplen;
    p.wirelen = h->len;
    p.ts_sec = sec;
    p.ts_nsec = nsec;
    p.leftover = t->leftover.bytes;
    p.leftoverLen = t->leftover.len;

    dissect(&p, t->linktype, &t->dst);
    if (p.dispatch == DISPATCH_L2) layer2_packet(t, &p);
    else if (p.dispatch == DISPATCH_IP) ip_packet(t, &p);
    keep_leftovers(&t->leftover, h->bytes, h->caplen);

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
    char last[512] = "";
    for (;;) {
        const int r = capture_next(cap, &rec);
        if (r == 1) {
            process_record(t, &rec);
        } else if (r == 0) {
            return errors;
        } else {
            errors++;
            const char *msg = capture_error(cap);
            if (strcmp(msg, last) != 0) {
                fprintf(stderr, "t2mini: %s: warning: after packet %" PRIu64 ": %s\n",
                        name, t->st.packets, msg);
                snprintf(last, sizeof(last), "%s", msg);
            }
        }
    }
}

/* ------------------------------------------------------------- run */

static int init_plugins_and_files(t2_t *t, const options_t *o, const char *prefix,
                                  outbuf_t *pktFile)
{
    t2FlowTable = &t->ft;
    flows = t->ft.flows;
    t2FlowCapacity = t->ft.capacity;
    if (o->packetMode) {
        const size_t n = strlen(prefix) + sizeof("_packets.txt");
        char *path = malloc(n);
        if (!path) return -1;
        snprintf(path, n, "%s_packets.txt", prefix);
        if (outbuf_open(pktFile, path) != 0) {
            fprintf(stderr, "t2mini: %s: cannot create packet file: %s\n", path, strerror(errno));
            free(path);
            return -1;
        }
        free(path);
        sPktFile = pktFile;
        outbuf_puts(sPktFile, "%pktNo\tflowInd\t");
    }
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2Init) t2Plugins[i]->t2Init();
    }
    if (sPktFile) outbuf_puts(sPktFile, "l7Content\n");
    return 0;
}

static int run(const options_t *o)
{
    static t2_t t;          /* large: keep it off the stack */
    memset(&t, 0, sizeof(t));
    t.st.minHdrs = UINT16_MAX;
    t.dst.log = stdout;
    int status = 0;

    char err[1024];
    if (o->geoDir) {
        if (geo_load(&t.geo, o->geoDir, err, sizeof(err)) != 0) {
            fprintf(stderr, "t2mini: %s\n", err);
            return 1;
        }
        t.haveGeo = 1;
    }

    struct stat st;
    if (stat(o->input, &st) != 0) {
        fprintf(stderr, "t2mini: %s: cannot read capture: %s\n", o->input, strerror(errno));
        return 1;
    }
    if (S_ISDIR(st.st_mode)) {
        fprintf(stderr, "t2mini: %s: is a directory, not a capture file\n", o->input);
        return 1;
    }
    capture_t *pc = capture_open(o->input, err, sizeof(err));
    if (!pc) {
        fprintf(stderr, "t2mini: %s: not a readable capture: %s\n", o->input, err);
        return 1;
    }
    t.linktype = capture_linktype(pc);
    if (t.linktype < 0 || !dissect_linktype_supported(t.linktype)) {
        fprintf(stderr, "t2mini: %s: unsupported link-layer type: %s [%s]\n", o->input,
                capture_linktype_desc(pc), capture_linktype_name(pc));
        capture_close(pc);
        return 1;
    }

    char *prefix = output_prefix(o);
    const flow_hooks_t hooks = { on_new_flow, on_flow_end, &t };
    if (!prefix || flow_table_init(&t.ft, FLOW_CAPACITY, t.haveGeo ? &t.geo : NULL, hooks,
                                   &t.st.globalWarn) != 0) {
        fputs("t2mini: out of memory\n", stderr);
        free(prefix);
        capture_close(pc);
        return 1;
    }
    outbuf_t pktFile = { .fd = -1 };
    if (init_plugins_and_files(&t, o, prefix, &pktFile) != 0) {
        status = 1;
    } else {
        (void)read_records(&t, pc, o->input);    /* errors were reported */
        flow_end_all(&t.ft);
        for (unsigned i = 0; i < t2PluginCount; i++) {
            if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
        }
    }
    if (sPktFile && outbuf_close(sPktFile) != 0) {
        fprintf(stderr, "t2mini: %s_packets.txt: write failed: %s\n", prefix, strerror(errno));
        status = 1;
    }
    sPktFile = NULL;

    capture_close(pc);
    flow_table_free(&t.ft);
    if (t.haveGeo) geo_free(&t.geo);
    free(prefix);
    return status;
}

int main(int argc, char **argv)
{
    options_t o;
    const int r = parse_options(argc, argv, &o);
    if (r == 1) return 0;
    if (r == 2) return 2;
    return run(&o);
}
