/*
 * t2mini.c - the pipeline: one record's way through t2mini, top to bottom.
 *
 *   1. read      read_records()      the input (core/read_*.c: a file, a
 *                                    list, a series or an interface) hands
 *                                    over the next record
 *   2. dissect   dissect()           walk its headers (core/dissect_*.c)
 *   3. flow      flow_for_ip/_l2()   find or create its flow (core/flow.c);
 *                                    before each record, flow_expire()
 *                                    ends the flows that timed out
 *   4. plugins   ip_packet() and     each plugin adds its columns
 *                layer2_packet()     (plugins/basicflow.c, tcpwin.c)
 *   5. output    print_payload()     the core ends the line with the payload
 *
 * When a flow ends (end_flow()), the plugins append their flow-file
 * values to one buffer and the sink (plugins/txtsink.c) writes them as
 * a line of text.  After
 * the last record every flow ends and the end report (core/out_endreport.c)
 * is printed on stdout (or PREFIX_log.txt with -l).
 *
 * Around the pipeline, each in a file of its own: the command line
 * (core/options.c), the signals (core/signals.c), the output files
 * (core/out_files.c), the banner (core/out_banner.c), the reports
 * (core/out_monitor.c, core/out_endreport.c).
 *
 * A run is three steps, each with one clean-up path: run_setup() (tables,
 * input, output files), run_read() (plugins, every record) and
 * run_finish() (open flows, end report), then run_cleanup() whatever
 * happened.
 */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"
#include "flow_table.h"
#include "options.h"
#include "out_endreport.h"
#include "plugins.h"
#include "read_capture.h"
#include "read_input.h"
#include "run.h"
#include "signals.h"
#include "t2Plugin.h"

/* ----------------------------------------------------------- flow hooks */

static void on_new_flow(void *ctx, packet_t *p, uint32_t flowIndex)
{
    (void)ctx;
    plugins_on_new_flow(p, flowIndex);
}

/* A flow ended: its direction (0: A, 1: B: its place in the pair) and
 * index, then every plugin's values; the sinks write them. */
static void end_flow(void *ctx, uint32_t flowIndex, int second)
{
    t2_t *t = ctx;
    flow_t *f = &flows[flowIndex];
    T2_TIMERSUB(&f->lastSeen, &f->firstSeen, &f->duration);    /* T2's, for the plugins */
    outputBuffer_t *buf = t->flow_buf;
    const uint8_t dir = second ? 1 : 0;
    outputBuffer_reset(buf);
    OUTBUF_APPEND_U8(buf, dir);
    OUTBUF_APPEND_U64(buf, flows[flowIndex].findex);
    plugins_on_flow_terminate(flowIndex, buf);
    if (buf->lost) {            /* the buffer could not take it all */
        fprintf(t2Diag, "t2mini: flow %" PRIu64 ": the plugins' flow-file columns do not fit in"
                " %zu bytes: line not written\n", flows[flowIndex].findex, OUTBUF_MAX_BYTES);
        t2Fail();
        return;
    }
    plugins_buf_to_sink(buf, t->header);
}

/* ----------------------------------------------- steps 3 to 5 per packet */

static void count_ab(const flow_t *f, const packet_t *p)
{
    if (flow_is_b(f)) {
        numBPackets++;
        numBBytes += p->caplen;
    } else {
        numAPackets++;
        numABytes += p->caplen;
    }
}

static void print_packet_start(t2_t *t, uint64_t findex)
{
    outbuf_u64(&t->out.pkt_buf, numPackets);        /* pktNo */
    outbuf_putc(&t->out.pkt_buf, '\t');
    outbuf_u64(&t->out.pkt_buf, findex);               /* flowInd */
    outbuf_putc(&t->out.pkt_buf, '\t');
}

/* l7Content: T2 prints snapL7Len bytes from the start of L7.
 * T2QUIRK: it never clips them to the record.  Where the header walk or
 * the length runs past the captured bytes, what it prints is libpcap's
 * record buffer: bytes left there by earlier, longer records, and zeros
 * (printed '.') where no record reached.  packet_u8() reads exactly that. */
static void print_payload(t2_t *t, const packet_t *p)
{
    outbuf_t *out = &t->out.pkt_buf;
    uint32_t at = p->l7;
    uint32_t n = p->snapL7Len;
    if (at < p->caplen) {
        const uint32_t captured = n < p->caplen - at ? n : p->caplen - at;
        outbuf_payload(out, p->raw + at, captured);
        at += captured;
        n -= captured;
    }
    while (n) {                                 /* past the record */
        uint8_t past[256];
        const uint32_t chunk = n < sizeof(past) ? n : (uint32_t)sizeof(past);
        for (uint32_t i = 0; i < chunk; i++) past[i] = packet_u8(p, at + i);
        outbuf_payload(out, past, chunk);
        at += chunk;
        n -= chunk;
    }
    outbuf_putc(out, '\n');
    out_files_pkt_sync(&t->out);
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
    numPacketsL2[p->ethType]++;
    numBytesL2[p->ethType] += p->caplen;
    if (p->ethType == ETH_P_ARP) t->st.arp_packets++;
    else if (p->ethType == ETH_P_RARP) t->st.rarp_packets++;
    if (p->padLen > 0) t->st.pad_bytes += (uint64_t)p->padLen;
    const uint32_t flowIndex = flow_for_l2(&t->ft, p);
    if (flowIndex == FLOW_NONE) return;
    if (t->out.pkt) print_packet_start(t, flows[flowIndex].findex);
    plugins_on_layer2(p, flowIndex, &t->out);
    if (t->out.pkt) print_payload(t, p);
    count_ab(&flows[flowIndex], p);
}

/* An IP packet: every plugin's t2OnLayer2 first (with no flow, as T2
 * calls it), then the flow's counters, then every plugin's t2OnLayer4. */
static void ip_packet(t2_t *t, packet_t *p)
{
    const uint32_t flowIndex = flow_for_ip(&t->ft, p);
    if (flowIndex == FLOW_NONE) return;
    numPacketsL2[p->ethType]++;
    numBytesL2[p->ethType] += p->caplen;
    numPacketsL3[p->l4Proto]++;
    numBytesL3[p->l4Proto] += p->caplen;
    pad_bytes(t, p, flowIndex);
    plugins_on_layer2(p, HASHTABLE_ENTRY_NOT_FOUND, NULL);
    flow_add_packet(&t->ft, flowIndex, p);
    if (t->out.pkt) print_packet_start(t, flows[flowIndex].findex);
    plugins_on_layer4(p, flowIndex, &t->out);
    if (t->out.pkt) print_payload(t, p);
    count_ab(&flows[flowIndex], p);
}

static void packet_from_record(packet_t *p, const record_t *h, const leftover_t *l)
{
    memset(p, 0, offsetof(packet_t, hdrDesc) + 1);
    p->raw = h->bytes;
    p->caplen = p->snapLen = h->caplen;
    p->end = h->bytes + h->caplen;
    p->wirelen = p->rawLen = h->len;
    p->ts_sec = h->sec;
    p->ts_nsec = h->nsec;
    p->leftover = l->bytes;
    p->leftoverLen = l->len;
    p->pcapHdrP = capture_pcap_header(h);
}

/* Where T2's pointer to the layer at `off` points: into the leftover copy
 * (see run.h), which holds the record first; a layer T2 would find past
 * LEFTOVER_MAX reads the zeros of its tail. */
static const uint8_t *t2_layer(const leftover_t *l, uint32_t off)
{
    if (off == NO_LAYER) return NULL;
    return l->bytes + (off < LEFTOVER_MAX ? off : LEFTOVER_MAX);
}

/* T2's pointers for the plugins, once the headers are walked. */
static void t2_view(packet_t *p, const leftover_t *l)
{
    p->raw_packet = l->bytes;
    p->end_packet = l->bytes + (p->caplen < LEFTOVER_MAX ? p->caplen : LEFTOVER_MAX);
    p->l2HdrP = t2_layer(l, p->l2);
    p->l3HdrP = t2_layer(l, p->l3);
    p->l4HdrP = t2_layer(l, p->l4);
    p->l7HdrP = t2_layer(l, p->l7);
    p->ip6HHOptHdrP = (const ip6OptHdr_t *)t2_layer(l, p->ip6_hopopts);
    p->ip6DOptHdrP = (const ip6OptHdr_t *)t2_layer(l, p->ip6_dstopts);
    p->ip6FragHdrP = (const ip6FragHdr_t *)t2_layer(l, p->ip6_frag);
}

/* One record: steps 2 to 5, then the counters of the end report. */
static void process_record(t2_t *t, const record_t *h)
{
    if (numPackets == 0) {
        t->st.firstSec = h->sec;
        t->st.firstNsec = h->nsec;
        endreport_date(t->out.log, "Dump start: ", h->sec, h->nsec, 1);
    }
    t->st.lastSec = h->sec;
    t->st.lastNsec = h->nsec;

    flow_expire(&t->ft, h->sec, h->nsec);   /* T2 ends idle flows first */
    if (run_no_flow_left(t)) return;            /* the run ends before this one */
    t->ft.noNewFlows = t->sig->level < RUN_READING;
    const uint64_t warn_before = globalWarn;

    numPackets++;
    t->st.raw_bytes += h->len;
    if (h->caplen == 0) {               /* nothing to dissect: no line */
        fprintf(t->out.log, "[WRN] No data available for packet %" PRIu64 "\n", numPackets);
        return;
    }
    bytesProcessed += h->caplen;

    /* the record goes to the start of the leftover copy (bytes read at
     * offsets below caplen come from the record itself), with what its
     * pcapng block put after it in libpcap's buffer; before it, what
     * the pcapng blocks libpcap read since the last record put there */
    const uint32_t stale = h->stale_len < LEFTOVER_MAX ? h->stale_len : LEFTOVER_MAX;
    if (stale) memcpy(t->leftover.bytes, h->stale, stale);
    if (stale > t->leftover.len) t->leftover.len = stale;
    const uint64_t have = (uint64_t)h->caplen + h->tail;
    const uint32_t keep = have < LEFTOVER_MAX ? (uint32_t)have : LEFTOVER_MAX;
    memcpy(t->leftover.bytes, h->bytes, keep);
    if (keep > t->leftover.len) t->leftover.len = keep;

    packet_t p;
    packet_from_record(&p, h, &t->leftover);
    dissect(&p, t->linktype, &t->dst);
    t2_view(&p, &t->leftover);
    if (p.dispatch == DISPATCH_STOP) {
        /* T2 exits on the spot: this packet gets no line, the flows
         * still open are not written and there is no end report */
        t->fatal = 1;
        return;
    }
    if (p.dispatch == DISPATCH_L2) layer2_packet(t, &p);
    else if (p.dispatch == DISPATCH_IP) ip_packet(t, &p);
    /* the first eviction is the one that raises the bit in the aggregated
     * flowStat: T2 warns then only */
    if (!(warn_before & FS_RMFLOW_HFULL) && (globalWarn & FS_RMFLOW_HFULL)) run_warn_table_full(t);
    endreport_count_packet(&t->st, &p);
}

/* ----------------------------------------------------------- step 1 */

/* Records are read until the input ends, a second SIGINT or a SIGTERM
 * (after the record being read, as in T2), or no flow is left after a
 * first SIGINT. */
static int reading_goes_on(const t2_t *t)
{
    return !t->sig->stop && !t->no_flow_left;
}

/* Feed every record of the current capture to process_record(). */
static void read_records(t2_t *t)
{
    record_t rec;
    unsigned since_check = 0;
    read_warnings_t warned = { 0 };
    const int wait_ms = 100;                     /* live: check signals this often */
    while (reading_goes_on(t)) {
        const int r = capture_next(t->in.cap, &rec, wait_ms);
        signals_say(t->sig, t->out.log, FLOW_TIMEOUT);  /* those that came meanwhile */
        if (r == 0 || t->sig->quit) break;
        if (r == CAPTURE_IDLE) {
            run_live_idle(t, wait_ms);
            continue;
        }
        if (r < 0) {
            input_warn_read_error(&t->in, &warned, numPackets);
            continue;
        }
        if (t->link_unsupported) {
            if (numPackets == 0) endreport_date(t->out.log, "Dump start: ", rec.sec, rec.nsec, 1);
            input_warn_link_type(&t->in, dissect_unsupported_why(capture_dlt(t->in.cap)));
            t->fatal = 1;
            return;
        }
        input_warn_oversize(&t->in, &warned, &rec, numPackets + 1);
        process_record(t, &rec);
        if (t->fatal) {
            fprintf(t2Diag, "t2mini: %s: packet %" PRIu64 ": %s: stopped, as T2 does\n",
                    t->in.current, numPackets, t->dst.stopReason);
            return;
        }
        if (++since_check >= 256 || t->in.kind == INPUT_LIVE) {
            since_check = 0;
            run_between_records(t, t->in.kind == INPUT_LIVE);
        } else {
            run_handle_signals(t);
        }
    }
}

/* Every capture of the input, one after the other, as one run.  A link
 * type t2mini cannot dissect is, as in T2, an error at the first record:
 * the output files are there, with their header lines (and a capture
 * without records is a normal, empty run). */
static void read_input(t2_t *t)
{
    for (;;) {
        t->linktype = capture_linktype(t->in.cap);
        t->link_unsupported = t->linktype < 0 || !dissect_linktype_supported(t->linktype);
        read_records(t);
        if (t->fatal || !reading_goes_on(t)) return;
        const int r = input_next(&t->in);
        if (r < 0) t->input_failed = 1;  /* the run ends as at the end of the input */
        if (r <= 0) {
            signals_input_ended(t->sig);
            return;
        }
    }
}

int t2mini_run(const options_t *o)
{
    static t2_t t;          /* large (the leftover buffer): keep it off the stack */
    memset(&t, 0, sizeof(t));
    t.o = o;
    t.sig = signals_reset();
    t.st.min_hdrs = UINT16_MAX;
    if (o->handle_signals) signals_install(t.sig);

    const flow_hooks_t hooks = { on_new_flow, end_flow, &t };
    t.status = run_setup(&t, o, hooks);
    if (t.status == 0) t.status = run_start(&t);
    if (t.status == 0) {
        read_input(&t);
        progress_end(&t.progress);
        if (t.fatal || t.sig->quit) t.status = 1;
    }
    if (t.status == 0) run_finish(&t);
    if (t.input_failed || t.sig->quit) t.status = 1;
    run_cleanup(&t);
    return t.status;
}

#ifndef T2MINI_NO_MAIN     /* the fuzzer has its own entry point */
int main(int argc, char **argv)
{
    options_t o;
    int n = 0;
    char **args = options_short_args(argc, argv, &n);
    if (!args) return 2;
    const int r = options_parse(n, args, &o);
    int status = r == OPT_DONE ? 0 : r == OPT_USAGE ? 2 : 1;
    if (r == OPT_RUN) {
        char *cmd = options_join(argc, argv);
        o.command_line = cmd;
        status = t2mini_run(&o);
        free(cmd);
    }
    free(o.bpf_owned);
    free(args);
    return status;
}
#endif
