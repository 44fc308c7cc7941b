/*
 * bench/gen.c - deterministic synthetic capture for benchmarking t2mini:
 * the options, and the loop that merges the connections' events in time.
 *
 *   gen [-o FILE] [--duration SEC] [--packets N] [--max-packets M] [--seed S]
 *       [--epoch SEC]
 *
 * Writes a standard pcap file (Ethernet link type, microsecond time
 * stamps, snaplen 262144) of about N packets (default 1 000 000) spread over
 * SEC seconds of capture time (default 600), starting at the Unix time
 * --epoch (default 1700000000).  N sets the connection arrival rate; the
 * count is met within a few percent for N of a million, less closely for
 * small N (a few elephant connections make a large share of the packets):
 * --max-packets M stops writing after M packets, whatever the time.  The
 * same options give the same bytes (on the same platform: a few draws go
 * through libm's log/exp/cos).
 *
 * What is in it: connections arrive as one Poisson process (a mix of types,
 * below) whose rate is scaled so that the capture holds about N packets;
 * each connection is a small state machine that emits one packet per event,
 * and a heap merges them in time order.  Connections start 300 s before the
 * capture does, so it opens in the middle of long conversations.
 *
 *   type          share  what
 *   dns            30 %  UDP 53 query/response (some A+AAAA, some unanswered)
 *   ntp             3 %  UDP 123 request/response, 48 bytes
 *   ping            4 %  ICMP / ICMPv6 echo, 1-10 pairs one second apart
 *   unreach         1 %  UDP to a closed port answered by ICMP unreachable
 *   http           25 %  TCP 80, text payload, 1-3 requests, MSS segments
 *   https          19 %  TCP 443, random payload, 1-8 requests, think times
 *   bulk            1 %  TCP download of 0.7-7 MB (443/80/8080)
 *   interactive     3 %  TCP 22/993/5222, keystrokes for minutes; a third
 *                        of them fall silent for 200-400 s (> T2's 182 s
 *                        timeout) and carry on under a new flow
 *   stream          3 %  UDP RTP (both directions) or QUIC-like 443 media
 *   frag            2 %  UDP 2049 with 2-8.8 kB replies fragmented over
 *                        IPv4 or IPv6 (fragment header), 5 % in reverse
 *   syslog          1 %  one-way UDP 514 text
 *   scan          0.5 %  SYNs to 20-200 ports of one host, RSTs back
 *   synonly       1.5 %  unanswered SYNs, retransmitted
 *   arp             1 %  ARP request (broadcast) and reply, padded to 60
 *   lldp                 switch ports sending LLDP every 30 s; ports come
 *                        and go (mean life 15 min)
 *
 * About 30 % of IP conversations are IPv6; 15 % of client hosts sit
 * behind an 802.1Q tag and 1 % behind two (802.1ad + 802.1Q).  Frames
 * shorter than 60 bytes are padded for most conversations.  IPv4 header
 * checksums are set; TCP/UDP/ICMP checksums are zero.
 *
 * At the end the generator prints (stderr) and writes to FILE.info the
 * packet mix and its estimate of flow concurrency: a conversation keeps
 * T2's flows (one per direction) in memory from its first packet until 182 s
 * after its last, so "live flows" counts directions of conversations in that
 * window; "open" conversations are those between first and last packet.
 *
 * The parts: gen_rand.c (draws, payload pools), gen_hosts.c (addresses,
 * ports), gen_conns.c (a new connection of a type), gen_step.c and
 * gen_tcp.c (its events), gen_packets.c (one packet each), gen_pcap.c
 * (headers, the file), gen_stats.c (the report); gen.h holds what they share.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

/* packets per second of capture at scale 1, measured; --packets scales the
 * arrival rate by N / (duration * PPS_AT_SCALE1) */
#define PPS_AT_SCALE1 1875.0

typedef struct {
    const char *path;
    double duration, packets;
    uint64_t seed, maxPackets;
    int64_t epoch;
} opts_t;

static void usage(void)
{
    fputs("usage: gen [-o FILE] [--duration SEC] [--packets N] [--max-packets M] [--seed S]\n"
          "           [--epoch SEC]\n", stderr);
    exit(2);
}

static opts_t parse_options(int argc, char **argv)
{
    opts_t o = { "bench.pcap", 600, 1e6, 1, UINT64_MAX, 1700000000 };
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "-o")) o.path = argv[++i];
        else if (!strcmp(argv[i], "--duration")) o.duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--packets")) o.packets = atof(argv[++i]);
        else if (!strcmp(argv[i], "--max-packets")) o.maxPackets = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed")) o.seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--epoch")) o.epoch = strtoll(argv[++i], NULL, 10);
        else usage();
    }
    if (o.duration <= 0 || o.packets <= 0) usage();
    return o;
}

/* ----------------------------------------------------------------- heap */

/* The live connections, earliest next event first (ties: first pushed). */
typedef struct {
    conn_t **a;
    size_t len, cap;
    uint64_t order;
} heap_t;

static int earlier(const conn_t *a, const conn_t *b)
{
    return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static void heap_push(heap_t *h, conn_t *c)
{
    if (h->len == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 4096;
        h->a = realloc(h->a, h->cap * sizeof(*h->a));
        if (!h->a) { perror("gen"); exit(1); }
    }
    c->order = h->order++;
    size_t i = h->len++;
    while (i > 0) {
        const size_t p = (i - 1) / 2;
        if (!earlier(c, h->a[p])) break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = c;
}

static conn_t *heap_pop(heap_t *h)
{
    conn_t *top = h->a[0], *last = h->a[--h->len];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= h->len) break;
        if (l + 1 < h->len && earlier(h->a[l + 1], h->a[l])) l++;
        if (!earlier(h->a[l], last)) break;
        h->a[i] = h->a[l];
        i = l;
    }
    if (h->len) h->a[i] = last;
    return top;
}

/* ----------------------------------------------------------------- main */

static void end_conn(gen_t *g, conn_t *c)
{
    conv_close(g, c);
    free(c->fragBuf);
    free(c);
}

/* Connections arrive (rate convRate per second, LLDP ports as others
 * leave) and take their turns in time order until the capture ends. */
static void run(gen_t *g, heap_t *h, double scale, double convRate)
{
    rng_t *r = &g->rng;
    /* LLDP: a standing population of switch ports, more arriving as
     * others leave (mean life 900 s) */
    const int lldpPorts = (int)(40 * scale + 0.5) > 0 ? (int)(40 * scale + 0.5) : 1;
    for (int i = 0; i < lldpPorts; i++)
        heap_push(h, new_conn(g, T_LLDP, -(int64_t)range(r, 0, 30 * USEC)));
    const double lldpRate = lldpPorts / 900.0;
    int64_t nextLldp = (int64_t)(expo(r, 1.0 / lldpRate) * USEC);

    int64_t nextArrival = -WARMUP;
    for (;;) {
        const int64_t tc = h->len ? h->a[0]->t : INT64_MAX;
        int64_t next = tc;
        if (nextArrival < next) next = nextArrival;
        if (nextLldp < next) next = nextLldp;
        if (next >= g->durationUs || g->st.packets >= g->maxPackets) break;
        if (next == nextArrival && next < tc) {
            heap_push(h, new_conn(g, pick_type(r), nextArrival));
            nextArrival += (int64_t)(expo(r, USEC / convRate)) + 1;
            continue;
        }
        if (next == nextLldp && next < tc) {
            heap_push(h, new_conn(g, T_LLDP, nextLldp));
            nextLldp += (int64_t)(expo(r, USEC / lldpRate)) + 1;
            continue;
        }
        conn_t *c = heap_pop(h);
        if (step(g, c)) heap_push(h, c);
        else end_conn(g, c);
    }
    while (h->len) end_conn(g, heap_pop(h));
}

int main(int argc, char **argv)
{
    const opts_t o = parse_options(argc, argv);
    gen_t *g = calloc(1, sizeof(*g));
    if (!g) { perror("gen"); return 1; }
    rng_seed(&g->rng, o.seed);
    init_pools(&g->pools, &g->rng);
    g->durationUs = (int64_t)(o.duration * USEC);
    g->epochUs = o.epoch * USEC;
    g->lastT = -1;
    g->maxPackets = o.maxPackets;
    const double scale = o.packets / (o.duration * PPS_AT_SCALE1);
    const double convRate = 27.5 * scale;    /* connection arrivals per second at scale 1 */

    g->out = fopen(o.path, "wb");
    if (!g->out) { perror(o.path); return 1; }
    setvbuf(g->out, NULL, _IOFBF, 1 << 22);
    pcap_header(g->out);
    heap_t h = { NULL, 0, 0, 0 };
    run(g, &h, scale, convRate);
    if (fclose(g->out) != 0) { perror(o.path); return 1; }

    report(g, o.path, o.seed, o.duration, convRate);
    free(g->flowEv.a);
    free(g->convEv.a);
    free(h.a);
    free(g);
    return 0;
}
