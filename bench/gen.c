/*
 * bench/gen.c - deterministic synthetic capture for benchmarking t2mini.
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
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USEC 1000000LL
#define T2_TIMEOUT (182 * USEC)
#define WARMUP (300 * USEC)
#define MTU 1500

/* packets per second of capture at scale 1, measured; --packets scales the
 * arrival rate by N / (duration * PPS_AT_SCALE1) */
#define PPS_AT_SCALE1 1875.0

/* ------------------------------------------------------------------ RNG */

static uint64_t rs[4];

static uint64_t splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

static uint64_t rnd(void)                   /* xoshiro256** */
{
    const uint64_t r = rotl(rs[1] * 5, 7) * 9, t = rs[1] << 17;
    rs[2] ^= rs[0]; rs[3] ^= rs[1]; rs[1] ^= rs[2]; rs[0] ^= rs[3];
    rs[2] ^= t; rs[3] = rotl(rs[3], 45);
    return r;
}

static uint32_t below(uint32_t n) { return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32); }
static int64_t range(int64_t lo, int64_t hi) { return lo + (int64_t)below((uint32_t)(hi - lo + 1)); }
static double unit(void) { return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0); }
static int chance(double p) { return unit() < p; }
static double expo(double mean) { return -mean * log(1.0 - unit()); }

static double lognorm(double median, double sigma)
{
    const double u1 = 1.0 - unit(), u2 = unit();
    const double z = sqrt(-2.0 * log(u1)) * cos(6.283185307179586 * u2);
    return median * exp(sigma * z);
}

static uint64_t hash64(uint64_t x) { return splitmix(&x); }

/* ------------------------------------------------------------- payloads */

#define POOL (256 * 1024)
static uint8_t textPool[POOL], binPool[POOL];

static void init_pools(void)
{
    static const char *words[] = {
        "the", "data", "flow", "<div", "class=\"item\">", "</div>", "Content-Length:",
        "Accept-Encoding:", "gzip,", "deflate", "Cache-Control:", "max-age=3600", "GET",
        "/index.html", "HTTP/1.1", "200", "OK", "Host:", "www.example.com", "User-Agent:",
        "Mozilla/5.0", "(X11;", "Linux", "x86_64)", "<a", "href=\"/about\">", "</a>",
        "<script>", "var", "x", "=", "1;", "</script>", "{\"id\":", "42,", "\"name\":",
        "\"value\"}", "lorem", "ipsum", "dolor", "sit", "amet", "\\path\\to",
    };
    const size_t nw = sizeof(words) / sizeof(words[0]);
    size_t n = 0;
    while (n < POOL) {
        const char *w = words[below((uint32_t)nw)];
        const size_t l = strlen(w);
        for (size_t i = 0; i < l && n < POOL; i++) textPool[n++] = (uint8_t)w[i];
        if (n >= POOL) break;
        const uint32_t r = below(100);
        if (r < 8 && n + 1 < POOL) { textPool[n++] = '\r'; textPool[n++] = '\n'; }
        else if (r < 10) textPool[n++] = '\t';
        else textPool[n++] = ' ';
    }
    for (size_t i = 0; i < POOL; i += 8) {
        const uint64_t v = rnd();
        memcpy(binPool + i, &v, 8);
    }
}

static void fill(uint8_t *dst, size_t len, int text)
{
    if (!len) return;
    const uint8_t *pool = text ? textPool : binPool;
    memcpy(dst, pool + below((uint32_t)(POOL - len)), len);
}

/* ---------------------------------------------------------------- hosts */

#define NCLI4 4000
#define NCLI6 1500
#define NSRV4 2500
#define NSRV6 800

static const uint8_t v4Nets[] = { 23, 31, 34, 35, 45, 52, 54, 64, 66, 69, 72, 77, 81, 85, 91,
                                  93, 104, 128, 130, 140, 142, 151, 157, 162, 185, 193, 195,
                                  199, 203, 208, 212, 216 };
static const uint16_t v6Nets[][2] = { {0x2a00, 0x1450}, {0x2606, 0x4700}, {0x2a03, 0x2880},
                                      {0x2620, 0x01ec}, {0x2a01, 0x0111}, {0x2600, 0x1f18},
                                      {0x2001, 0x4860}, {0x2a02, 0x26f0}, {0x2400, 0xcb00} };

typedef struct {
    uint8_t ip[16];
    uint8_t mac[6];
    uint8_t nvlan;
    uint16_t tci[2];
} host_t;

static void client_host(host_t *h, int v6, uint32_t id)
{
    memset(h, 0, sizeof(*h));
    const uint64_t x = hash64(id * 2 + (uint64_t)v6 + 0x1000);
    if (v6) {
        static const uint8_t pfx[8] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x10, 0x00, 0x00 };
        memcpy(h->ip, pfx, 8);
        h->ip[7] = (uint8_t)(id % 7);
        memcpy(h->ip + 8, &x, 8);
    } else {
        h->ip[0] = 10;
        h->ip[1] = (uint8_t)(1 + id / 250);
        h->ip[2] = (uint8_t)(1 + id % 250);
        h->ip[3] = (uint8_t)(1 + (x % 250));
    }
    h->mac[0] = 0x3c; h->mac[1] = 0x22; h->mac[2] = 0xfb;
    h->mac[3] = (uint8_t)(x >> 40); h->mac[4] = (uint8_t)(x >> 48); h->mac[5] = (uint8_t)(x >> 56);
    static const uint16_t vids[] = { 10, 20, 30, 100, 200, 1001 };
    const uint32_t sel = (uint32_t)(x % 100);
    if (sel < 15) {
        h->nvlan = 1;
        h->tci[0] = (uint16_t)(vids[x % 6] | ((x >> 8) % 4 == 0 ? 5u << 13 : 0u));
    } else if (sel == 15) {
        h->nvlan = 2;
        h->tci[0] = (uint16_t)(300 + (x >> 12) % 10);
        h->tci[1] = vids[(x >> 20) % 6];
    }
}

static void server_ip(uint8_t *ip, int v6, uint32_t id)
{
    memset(ip, 0, 16);
    const uint64_t x = hash64(id * 2 + (uint64_t)v6 + 0x900000);
    if (v6) {
        const uint16_t *n = v6Nets[x % (sizeof(v6Nets) / sizeof(v6Nets[0]))];
        ip[0] = (uint8_t)(n[0] >> 8); ip[1] = (uint8_t)n[0];
        ip[2] = (uint8_t)(n[1] >> 8); ip[3] = (uint8_t)n[1];
        ip[4] = (uint8_t)(x >> 8); ip[5] = (uint8_t)(x >> 16);
        ip[15] = (uint8_t)(1 + (x >> 24) % 254);
        ip[14] = (uint8_t)((x >> 32) % 4);
    } else {
        ip[0] = v4Nets[x % sizeof(v4Nets)];
        ip[1] = (uint8_t)(x >> 8); ip[2] = (uint8_t)(x >> 16); ip[3] = (uint8_t)(1 + (x >> 24) % 254);
    }
}

static void gateway_mac(uint8_t *mac, const host_t *h)
{
    static const uint8_t gw[6] = { 0x00, 0x1b, 0x21, 0x3a, 0x7c, 0x00 };
    memcpy(mac, gw, 6);
    mac[5] = (uint8_t)(h->nvlan ? h->tci[h->nvlan - 1] & 0xff : 1);
}

/* Ports that T2 reads as tunnels or special protocols: keep clear. */
static uint16_t ephemeral(void)
{
    for (;;) {
        const uint16_t p = (uint16_t)range(1025, 65535);
        switch (p) {
            case 1701: case 1900: case 2123: case 2152: case 3386: case 3544: case 4500:
            case 4789: case 4790: case 5072: case 5246: case 5247: case 6081: case 8472:
            case 12222: case 12223:
                continue;
            default:
                return p;
        }
    }
}

/* A scanned port: anything below 10000 but what T2 reads as a tunnel. */
static uint16_t scan_port(void)
{
    for (;;) {
        const uint16_t p = (uint16_t)range(1, 9999);
        if (p != 1900 && p != 5072) return p;
    }
}

/* --------------------------------------------------------- connections */

enum { T_DNS, T_NTP, T_PING, T_UNREACH, T_HTTP, T_HTTPS, T_BULK, T_INTER, T_STREAM, T_FRAG,
       T_SYSLOG, T_SCAN, T_SYNONLY, T_ARP, T_LLDP, T_COUNT };

static const char *typeName[T_COUNT] = { "dns", "ntp", "ping", "unreach", "http", "https",
    "bulk", "interactive", "stream", "frag", "syslog", "scan", "synonly", "arp", "lldp" };

/* arrivals per 1000 connections */
static const double typeShare[T_COUNT] = { 305, 30, 40, 10, 255, 192, 5, 30, 8, 20, 10, 5,
                                           15, 10, 0 };

/* TCP states */
enum { S_SYN, S_SYNACK, S_ACK, S_REQ, S_RESP, S_CACK, S_FIN1, S_FIN2, S_FIN3, S_DONE };

typedef struct conn {
    int64_t t;                  /* next event (µs from capture start) */
    uint64_t order;             /* heap tie-break */
    uint8_t type, state, ipver, proto;
    uint8_t nvlan;
    uint16_t tci[2];
    uint8_t cmac[6], smac[6];
    uint8_t cip[16], sip[16];
    uint16_t cport, sport;
    uint32_t cseq, sseq;
    uint16_t ipid[2];
    uint16_t win[2];
    uint8_t pad[2];             /* pad short frames per direction */
    uint8_t text, tsopt, zerowin, closeMode, reverseFrags, silence;
    int64_t rtt, think, gap;
    int32_t rounds, count, sub;
    int64_t respLeft, respTotal;
    int64_t end;                /* planned end (streams, lldp, interactive) */
    int32_t mss;
    int32_t fragLen, fragIdx, fragN;
    uint32_t fragId;
    uint8_t *fragBuf;
    /* concurrency bookkeeping: current flow segment */
    int64_t segFirst, segLast;
    uint8_t segDirs;
    int64_t convFirst, convLast;
} conn_t;

/* --------------------------------------------------------- statistics */

typedef struct { int64_t t; int32_t d; } ev_t;
static ev_t *flowEv, *convEv;
static size_t nFlowEv, capFlowEv, nConvEv, capConvEv;

static void push_ev(ev_t **a, size_t *n, size_t *cap, int64_t t, int32_t d)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 65536;
        *a = realloc(*a, *cap * sizeof(**a));
        if (!*a) { perror("gen"); exit(1); }
    }
    (*a)[(*n)++] = (ev_t){ t, d };
}

static int64_t durationUs;

static void seg_close(conn_t *c)
{
    if (c->segDirs) {
        const int n = (c->segDirs & 1) + ((c->segDirs >> 1) & 1);
        int64_t end = c->segLast + T2_TIMEOUT;
        if (end > durationUs) end = durationUs;
        push_ev(&flowEv, &nFlowEv, &capFlowEv, c->segFirst, n);
        push_ev(&flowEv, &nFlowEv, &capFlowEv, end, -n);
    }
    c->segDirs = 0;
}

static void conv_close(conn_t *c)
{
    seg_close(c);
    if (c->convFirst >= 0) {
        push_ev(&convEv, &nConvEv, &capConvEv, c->convFirst, 1);
        push_ev(&convEv, &nConvEv, &capConvEv, c->convLast, -1);
    }
    c->convFirst = -1;
}

static int ev_cmp(const void *a, const void *b)
{
    const ev_t *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);     /* ends before starts at equal time */
}

static void sweep(ev_t *a, size_t n, int64_t *peak, double *mean)
{
    qsort(a, n, sizeof(*a), ev_cmp);
    int64_t cur = 0, pk = 0, last = 0;
    double area = 0;
    for (size_t i = 0; i < n; i++) {
        area += (double)cur * (double)(a[i].t - last);
        last = a[i].t;
        cur += a[i].d;
        if (cur > pk) pk = cur;
    }
    *peak = pk;
    *mean = durationUs ? area / (double)durationUs : 0;
}

static struct {
    uint64_t packets, bytes, tcp, udp, icmp, l2, v4, v6, vlan, frag, padded, zeroPayload;
    uint64_t conns[T_COUNT], typePackets[T_COUNT];
} st;

/* ---------------------------------------------------------- pcap output */

/* what the frame being built is, counted once it is written */
static struct { uint8_t ipver, proto, frag, zero, l2; } cur;

static FILE *out;
static int64_t epochUs, lastT = -1;
static uint64_t maxPackets = UINT64_MAX;

static void pcap_header(void)
{
    const uint32_t magic = 0xa1b2c3d4, snap = 262144, link = 1;
    const uint16_t vmaj = 2, vmin = 4;
    const int32_t zone = 0;
    const uint32_t sig = 0;
    fwrite(&magic, 4, 1, out); fwrite(&vmaj, 2, 1, out); fwrite(&vmin, 2, 1, out);
    fwrite(&zone, 4, 1, out); fwrite(&sig, 4, 1, out); fwrite(&snap, 4, 1, out);
    fwrite(&link, 4, 1, out);
}

static uint8_t frame[2048];

/* Write frame[0, len) at the connection's time; pads to 60 bytes if the
 * direction asks for it. */
static void write_frame(conn_t *c, int dir, size_t len)
{
    const int counted = c->t >= 0 && st.packets < maxPackets;
    if (counted) {
        if (cur.ipver == 4) st.v4++;
        else if (cur.ipver == 6) st.v6++;
        if (cur.proto == 6) st.tcp++;
        else if (cur.proto == 17) st.udp++;
        else if (cur.proto) st.icmp++;
        if (cur.frag) st.frag++;
        if (cur.zero) st.zeroPayload++;
        if (cur.l2) st.l2++;
    }
    memset(&cur, 0, sizeof(cur));
    if (!counted) return;               /* warm-up: before the capture */
    if (st.packets >= maxPackets) return;
    if (c->t < lastT) { fprintf(stderr, "gen: time went backwards\n"); exit(1); }
    lastT = c->t;
    if (len < 60 && c->pad[dir]) {
        memset(frame + len, 0, 60 - len);
        len = 60;
        st.padded++;
    }
    const int64_t ts = epochUs + c->t;
    const uint32_t hdr[4] = { (uint32_t)(ts / USEC), (uint32_t)(ts % USEC), (uint32_t)len,
                              (uint32_t)len };
    fwrite(hdr, 4, 4, out);
    fwrite(frame, 1, len, out);
    st.packets++;
    st.typePackets[c->type]++;
    st.bytes += len;
    if (c->nvlan) st.vlan++;

    /* concurrency bookkeeping */
    if (c->segDirs && c->t - c->segLast > T2_TIMEOUT) seg_close(c);
    if (!c->segDirs) c->segFirst = c->t;
    c->segDirs |= (uint8_t)(1u << dir);
    c->segLast = c->t;
    if (c->convFirst < 0) c->convFirst = c->t;
    c->convLast = c->t;
}

static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* Ethernet header with the connection's tags; returns the length. */
static size_t l2_header(const conn_t *c, int dir, const uint8_t *dst, const uint8_t *src,
                        uint16_t type)
{
    (void)dir;
    memcpy(frame, dst, 6);
    memcpy(frame + 6, src, 6);
    size_t at = 12;
    for (int i = 0; i < c->nvlan; i++) {
        put16(frame + at, (c->nvlan == 2 && i == 0) ? 0x88a8 : 0x8100);
        put16(frame + at + 2, c->tci[i]);
        at += 4;
    }
    put16(frame + at, type);
    return at + 2;
}

static uint16_t ip_csum(const uint8_t *h, size_t n)
{
    uint32_t s = 0;
    for (size_t i = 0; i < n; i += 2) s += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (s >> 16) s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

/* IP header(s) for `l4len` bytes of `proto` (or one fragment of them):
 * returns the offset where the transport bytes go. */
static size_t ip_header(conn_t *c, int dir, uint8_t proto, size_t l4len, int frag,
                        uint32_t fragOff, int more)
{
    const uint8_t *src = dir ? c->sip : c->cip, *dst = dir ? c->cip : c->sip;
    const uint8_t *smac = dir ? c->smac : c->cmac, *dmac = dir ? c->cmac : c->smac;
    const uint8_t ttl = dir ? (uint8_t)(c->rtt > 20000 ? 52 : 58) : 64;
    size_t at;
    if (c->ipver == 4) {
        at = l2_header(c, dir, dmac, smac, 0x0800);
        uint8_t *h = frame + at;
        h[0] = 0x45; h[1] = 0;
        put16(h + 2, (uint32_t)(20 + l4len));
        if (!frag) c->ipid[dir]++;
        put16(h + 4, frag ? c->fragId & 0xffff : c->ipid[dir]);
        put16(h + 6, frag ? ((more ? 0x2000u : 0) | (fragOff / 8)) : (proto == 6 ? 0x4000u : 0));
        h[8] = ttl; h[9] = proto;
        put16(h + 10, 0);
        memcpy(h + 12, src, 4);
        memcpy(h + 16, dst, 4);
        put16(h + 10, ip_csum(h, 20));
        cur.ipver = 4;
        return at + 20;
    }
    at = l2_header(c, dir, dmac, smac, 0x86dd);
    uint8_t *h = frame + at;
    put32(h, 0x60000000u | ((uint32_t)c->cport * 7919u & 0xfffff));
    put16(h + 4, (uint32_t)(l4len + (frag ? 8 : 0)));
    h[6] = frag ? 44 : proto;
    h[7] = dir ? 56 : 64;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    cur.ipver = 6;
    if (!frag) return at + 40;
    uint8_t *f = h + 40;
    f[0] = proto; f[1] = 0;
    put16(f + 2, fragOff | (more ? 1u : 0u));
    put32(f + 4, c->fragId);
    return at + 48;
}

static void count_l4(uint8_t proto, size_t payload)
{
    cur.proto = proto;
    cur.zero = payload == 0;
}

/* A TCP segment; payload is filled from the pools. */
static void tcp_send(conn_t *c, int dir, uint8_t flags, size_t payload)
{
    const int syn = flags & 0x02;
    const size_t optLen = syn ? (c->tsopt ? 20 : 12) : (c->tsopt ? 12 : 0);
    const size_t l4len = 20 + optLen + payload;
    const size_t at = ip_header(c, dir, 6, l4len, 0, 0, 0);
    uint8_t *t = frame + at;
    put16(t, dir ? c->sport : c->cport);
    put16(t + 2, dir ? c->cport : c->sport);
    put32(t + 4, dir ? c->sseq : c->cseq);
    put32(t + 8, (flags & 0x10) ? (dir ? c->cseq : c->sseq) : 0);
    t[12] = (uint8_t)(((20 + optLen) / 4) << 4);
    t[13] = flags;
    put16(t + 14, c->win[dir]);
    put32(t + 16, 0);
    uint8_t *o = t + 20;
    if (syn) {
        o[0] = 2; o[1] = 4; put16(o + 2, (uint32_t)c->mss);         /* MSS */
        o[4] = 1; o[5] = 3; o[6] = 3; o[7] = 7;                     /* NOP, WS 7 */
        o[8] = 1; o[9] = 1; o[10] = 4; o[11] = 2;                   /* NOP NOP SACK-perm */
        if (c->tsopt) {
            o[12] = 1; o[13] = 1; o[14] = 8; o[15] = 10;
            put32(o + 16, (uint32_t)(c->t / 1000));
        }
    } else if (c->tsopt) {
        o[0] = 1; o[1] = 1; o[2] = 8; o[3] = 10;
        put32(o + 4, (uint32_t)(c->t / 1000));
        put32(o + 8, (uint32_t)(c->t / 1000 - 3));
    }
    uint8_t *pl = t + 20 + optLen;
    fill(pl, payload, c->text);
    if (!c->text && payload >= 5 && dir && c->sub == 0) {     /* TLS record header */
        pl[0] = 0x17; pl[1] = 3; pl[2] = 3; put16(pl + 3, (uint32_t)(payload - 5));
    }
    if (c->text && payload >= 16 && !dir && c->sub == 0) memcpy(pl, "GET /index.html ", 16);
    if (c->text && payload >= 16 && dir && c->sub == 0) memcpy(pl, "HTTP/1.1 200 OK\r", 16);
    if (dir) c->sseq += (uint32_t)payload + (syn ? 1 : 0) + ((flags & 1) ? 1 : 0);
    else c->cseq += (uint32_t)payload + (syn ? 1 : 0) + ((flags & 1) ? 1 : 0);
    count_l4(6, payload);
    write_frame(c, dir, at + 20 + optLen + payload);
}

/* A UDP datagram that fits the MTU; first payload byte `b0` if >= 0. */
static void udp_send(conn_t *c, int dir, size_t payload, int b0)
{
    const size_t at = ip_header(c, dir, 17, 8 + payload, 0, 0, 0);
    uint8_t *u = frame + at;
    put16(u, dir ? c->sport : c->cport);
    put16(u + 2, dir ? c->cport : c->sport);
    put16(u + 4, (uint32_t)(8 + payload));
    put16(u + 6, 0);
    fill(u + 8, payload, c->text);
    if (b0 >= 0 && payload) u[8] = (uint8_t)b0;
    count_l4(17, payload);
    write_frame(c, dir, at + 8 + payload);
}

static const char *domains[] = { "www.example.com", "cdn.example.net", "mail.example.org",
    "api.service.io", "static.content.net", "login.portal.com", "updates.vendor.com",
    "time.server.org", "img.photos.net", "news.daily.com", "video.stream.tv", "ads.track.biz" };

static void dns_send(conn_t *c, int dir, uint16_t qtype)
{
    uint8_t msg[600];
    size_t n = 12;
    put16(msg, (uint32_t)c->fragId);
    put16(msg + 2, dir ? 0x8180 : 0x0100);
    put16(msg + 4, 1);
    const int answers = dir ? (int)range(1, 6) : 0;
    put16(msg + 6, (uint32_t)answers);
    put16(msg + 8, 0); put16(msg + 10, 0);
    const char *d = domains[c->sub % (sizeof(domains) / sizeof(domains[0]))];
    while (*d) {
        const char *dot = strchr(d, '.');
        const size_t l = dot ? (size_t)(dot - d) : strlen(d);
        msg[n++] = (uint8_t)l;
        memcpy(msg + n, d, l);
        n += l;
        d += l + (dot ? 1 : 0);
    }
    msg[n++] = 0;
    put16(msg + n, qtype); put16(msg + n + 2, 1); n += 4;
    for (int i = 0; i < answers; i++) {
        const size_t rl = qtype == 28 ? 16 : 4;
        msg[n] = 0xc0; msg[n + 1] = 12;
        put16(msg + n + 2, qtype); put16(msg + n + 4, 1); put32(msg + n + 6, 300);
        put16(msg + n + 10, (uint32_t)rl);
        fill(msg + n + 12, rl, 0);
        n += 12 + rl;
    }
    const size_t at = ip_header(c, dir, 17, 8 + n, 0, 0, 0);
    uint8_t *u = frame + at;
    put16(u, dir ? c->sport : c->cport);
    put16(u + 2, dir ? c->cport : c->sport);
    put16(u + 4, (uint32_t)(8 + n));
    put16(u + 6, 0);
    memcpy(u + 8, msg, n);
    count_l4(17, n);
    write_frame(c, dir, at + 8 + n);
}

static void icmp_echo(conn_t *c, int dir)
{
    const uint8_t proto = c->ipver == 4 ? 1 : 58;
    const size_t at = ip_header(c, dir, proto, 8 + 56, 0, 0, 0);
    uint8_t *m = frame + at;
    m[0] = c->ipver == 4 ? (dir ? 0 : 8) : (dir ? 129 : 128);
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, c->cport);
    put16(m + 6, (uint32_t)c->count);
    put32(m + 8, (uint32_t)((epochUs + c->t) / USEC));
    put32(m + 12, 0);
    for (int i = 16; i < 64; i++) m[i] = (uint8_t)(i - 8);
    count_l4(proto, 56);
    write_frame(c, dir, at + 64);
}

/* ICMP port unreachable quoting the client's UDP datagram. */
static void icmp_unreach(conn_t *c)
{
    const int v4 = c->ipver == 4;
    const size_t quote = v4 ? 20 + 8 : 40 + 8;
    const uint8_t proto = v4 ? 1 : 58;
    const size_t at = ip_header(c, 1, proto, 8 + quote, 0, 0, 0);
    uint8_t *m = frame + at;
    m[0] = v4 ? 3 : 1; m[1] = v4 ? 3 : 4;
    put32(m + 2, 0); put16(m + 6, 0);
    uint8_t *q = m + 8;
    if (v4) {
        q[0] = 0x45; q[1] = 0; put16(q + 2, 20 + 8 + 32); put16(q + 4, c->ipid[0]);
        put16(q + 6, 0); q[8] = 1; q[9] = 17; put16(q + 10, 0);
        memcpy(q + 12, c->cip, 4); memcpy(q + 16, c->sip, 4);
        q += 20;
    } else {
        put32(q, 0x60000000u); put16(q + 4, 8 + 32); q[6] = 17; q[7] = 1;
        memcpy(q + 8, c->cip, 16); memcpy(q + 24, c->sip, 16);
        q += 40;
    }
    put16(q, c->cport); put16(q + 2, c->sport); put16(q + 4, 8 + 32); put16(q + 6, 0);
    count_l4(proto, quote);
    write_frame(c, 1, at + 8 + quote);
}

/* One fragment (index i of n) of the pending datagram c->fragBuf. */
static void frag_send(conn_t *c, int dir, int i)
{
    const size_t per = c->ipver == 4 ? (MTU - 20) / 8 * 8 : (MTU - 48) / 8 * 8;
    const size_t off = (size_t)i * per;
    size_t len = (size_t)c->fragLen - off;
    if (len > per) len = per;
    const int more = i < c->fragN - 1;
    const size_t at = ip_header(c, dir, 17, len, 1, (uint32_t)off, more);
    memcpy(frame + at, c->fragBuf + off, len);
    count_l4(17, len);
    cur.frag = 1;
    write_frame(c, dir, at + len);
}

static void arp_send(conn_t *c, int reply)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    const uint8_t *src = reply ? c->smac : c->cmac;
    const uint8_t *dst = reply ? c->cmac : bcast;
    const size_t at = l2_header(c, reply, dst, src, 0x0806);
    uint8_t *a = frame + at;
    put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, reply ? 2 : 1);
    memcpy(a + 8, src, 6);
    memcpy(a + 14, reply ? c->sip : c->cip, 4);
    if (reply) memcpy(a + 18, c->cmac, 6); else memset(a + 18, 0, 6);
    memcpy(a + 24, reply ? c->cip : c->sip, 4);
    cur.l2 = 1;
    write_frame(c, reply, at + 28);
}

static void lldp_send(conn_t *c)
{
    static const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
    const size_t at = l2_header(c, 0, dst, c->cmac, 0x88cc);
    uint8_t *l = frame + at;
    size_t n = 0;
    put16(l + n, (1 << 9) | 7); l[n + 2] = 4; memcpy(l + n + 3, c->smac, 6); n += 9;   /* chassis */
    char port[16];
    const int pl = snprintf(port, sizeof(port), "ge-0/0/%u", (unsigned)c->cport % 48);
    put16(l + n, (2u << 9) | (uint32_t)(pl + 1)); l[n + 2] = 5; memcpy(l + n + 3, port, (size_t)pl);
    n += 3 + (size_t)pl;
    put16(l + n, (3 << 9) | 2); put16(l + n + 2, 120); n += 4;                          /* TTL */
    const char *name = "sw-core-01.example.net";
    put16(l + n, (5u << 9) | (uint32_t)strlen(name)); memcpy(l + n + 2, name, strlen(name));
    n += 2 + strlen(name);
    put16(l + n, 0); n += 2;                                                              /* end */
    cur.l2 = 1;
    write_frame(c, 0, at + n);
}

/* ------------------------------------------------------ creating conns */

static double scale = 1.0;

static int pick_type(void)
{
    double total = 0;
    for (int i = 0; i < T_COUNT; i++) total += typeShare[i];
    double x = unit() * total;
    for (int i = 0; i < T_COUNT; i++) {
        if (x < typeShare[i]) return i;
        x -= typeShare[i];
    }
    return T_DNS;
}

static void set_hosts(conn_t *c, int v6)
{
    host_t h;
    client_host(&h, v6, v6 ? below(NCLI6) : below(NCLI4));
    c->ipver = v6 ? 6 : 4;
    memcpy(c->cip, h.ip, 16);
    memcpy(c->cmac, h.mac, 6);
    c->nvlan = h.nvlan;
    c->tci[0] = h.tci[0];
    c->tci[1] = h.tci[1];
    gateway_mac(c->smac, &h);
    server_ip(c->sip, v6, v6 ? below(NSRV6) : below(NSRV4));
}

static conn_t *new_conn(int type, int64_t t)
{
    conn_t *c = calloc(1, sizeof(*c));
    if (!c) { perror("gen"); exit(1); }
    c->type = (uint8_t)type;
    c->t = t;
    c->convFirst = -1;
    st.conns[type]++;
    const int v6 = type == T_ARP || type == T_LLDP ? 0 : chance(0.3);
    set_hosts(c, v6);
    c->cport = ephemeral();
    c->rtt = (int64_t)lognorm(30000, 0.9);
    if (c->rtt < 300) c->rtt = 300;
    if (c->rtt > 600000) c->rtt = 600000;
    const uint32_t padSel = below(10);
    c->pad[0] = padSel < 7;
    c->pad[1] = padSel < 9;
    c->ipid[0] = (uint16_t)rnd();
    c->ipid[1] = (uint16_t)rnd();
    c->fragId = (uint32_t)rnd();
    c->sub = 0;
    c->state = 0;
    switch (type) {
        case T_DNS:
            c->proto = 17; c->sport = 53; c->text = 0;
            c->count = chance(0.12) ? 2 : 1;              /* A (+ AAAA) */
            c->sub = (int32_t)below(1000);
            c->closeMode = chance(0.03);                  /* unanswered */
            break;
        case T_NTP:
            c->proto = 17; c->sport = 123;
            if (chance(0.3)) c->cport = 123;
            break;
        case T_PING:
            c->proto = c->ipver == 4 ? 1 : 58;
            c->count = 0; c->rounds = (int32_t)range(1, 10);
            c->closeMode = chance(0.05);                  /* no replies */
            break;
        case T_UNREACH:
            c->proto = 17; c->sport = (uint16_t)range(33434, 33534);
            break;
        case T_HTTP: case T_HTTPS: case T_BULK: case T_INTER: case T_SCAN: case T_SYNONLY: {
            c->proto = 6;
            c->tsopt = chance(0.6);
            c->mss = c->ipver == 4 ? 1460 : 1440;
            static const uint16_t synWin[] = { 64240, 65535, 8192, 29200 };
            c->win[0] = synWin[below(4)];
            c->win[1] = synWin[below(4)];
            c->cseq = (uint32_t)rnd();
            c->sseq = (uint32_t)rnd();
            const uint32_t r = below(100);
            c->closeMode = r < 88 ? 0 : r < 94 ? 1 : 2;   /* FIN, RST, silent */
            c->zerowin = chance(0.02);
            c->gap = (int64_t)lognorm(800, 1.0);          /* µs between segment pairs */
            if (type == T_HTTP) {
                c->sport = 80; c->text = 1; c->rounds = (int32_t)range(1, 3);
                c->think = 500000;
            } else if (type == T_HTTPS) {
                c->sport = 443; c->rounds = (int32_t)range(1, 8);
                c->think = 4000000;
            } else if (type == T_BULK) {
                static const uint16_t ports[] = { 443, 80, 8080 };
                c->sport = ports[below(3)];
                c->text = c->sport != 443;
                c->rounds = 1;
                c->gap = (int64_t)lognorm(300, 0.7);
            } else if (type == T_INTER) {
                static const uint16_t ports[] = { 22, 993, 5222 };
                c->sport = ports[below(3)];
                c->think = 5000000;
                c->end = t + (int64_t)lognorm(300, 0.8) * USEC;
                c->rounds = 1 << 30;
                c->silence = chance(0.33);                /* one long silence */
            } else if (type == T_SCAN) {
                c->sport = scan_port();
                c->rounds = (int32_t)range(20, 200);
                c->pad[0] = c->pad[1] = 1;
            } else {
                static const uint16_t ports[] = { 23, 445, 3389, 8443, 25 };
                c->sport = ports[below(5)];
                c->rounds = (int32_t)range(1, 3);         /* transmissions */
            }
            break;
        }
        case T_STREAM:
            c->proto = 17;
            if (chance(0.5)) {                            /* RTP call */
                c->cport = (uint16_t)(range(8192, 16383) * 2);
                c->sport = (uint16_t)(range(8192, 16383) * 2);
                c->count = 1;                             /* bidirectional */
                c->gap = 20000;
            } else {                                      /* QUIC-like media */
                c->sport = 443;
                c->count = 0;
                c->gap = (int64_t)lognorm(15000, 0.5);
            }
            c->end = t + (int64_t)expo(20.0 * USEC);
            break;
        case T_FRAG:
            c->proto = 17; c->sport = 2049;
            c->rounds = (int32_t)range(1, 5);
            break;
        case T_SYSLOG:
            c->proto = 17; c->sport = 514; c->text = 1;
            c->rounds = (int32_t)range(5, 30);
            c->cport = chance(0.5) ? 514 : c->cport;
            break;
        case T_ARP:
            c->ipver = 4;
            c->sip[0] = c->cip[0]; c->sip[1] = c->cip[1]; c->sip[2] = c->cip[2];
            c->sip[3] = (uint8_t)(c->cip[3] == 1 ? 2 : 1);
            c->pad[0] = c->pad[1] = 1;
            break;
        case T_LLDP: {
            c->nvlan = 0;
            const uint32_t port = below(4096);
            c->cport = (uint16_t)port;
            static const uint8_t sw[6] = { 0x00, 0x1c, 0x73, 0x00, 0x00, 0x00 };
            memcpy(c->cmac, sw, 6);
            c->cmac[4] = (uint8_t)(port >> 8); c->cmac[5] = (uint8_t)port;
            memcpy(c->smac, sw, 6);
            c->smac[4] = (uint8_t)(port / 48);
            c->pad[0] = 1;
            c->end = t + (int64_t)expo(900.0 * USEC);
            break;
        }
    }
    return c;
}

/* ------------------------------------------------------------ stepping */

/* Returns 0 when the connection is done. */
static int step_tcp(conn_t *c)
{
    switch (c->state) {
        case S_SYN:
            tcp_send(c, 0, 0x02, 0);
            if (c->type == T_SYNONLY) {
                if (--c->rounds <= 0) return 0;
                c->cseq -= 1;                             /* retransmit the same SYN */
                c->t += (int64_t)1000000 << c->count++;
                return 1;
            }
            if (c->type == T_SCAN) {
                const uint32_t r = below(10);
                if (r == 9) {                             /* filtered */
                    c->state = S_DONE;
                    c->t += (int64_t)range(2000, 20000);
                    return 1;
                }
                c->state = r < 8 ? S_FIN3 : S_SYNACK;     /* S_FIN3 doubles as "RST back" */
                c->t += c->rtt / 4 + 50;
                return 1;
            }
            c->state = S_SYNACK;
            c->t += c->rtt;
            return 1;
        case S_SYNACK:
            tcp_send(c, 1, 0x12, 0);
            if (c->type == T_SCAN) {
                c->state = S_FIN2;                        /* client resets */
                c->t += 100;
                return 1;
            }
            c->state = S_ACK;
            c->t += range(50, 300);
            return 1;
        case S_ACK:
            c->win[0] = (uint16_t)range(200, 4000);
            c->win[1] = (uint16_t)range(200, 2000);
            tcp_send(c, 0, 0x10, 0);
            c->state = S_REQ;
            c->t += range(100, 2000);
            return 1;
        case S_REQ: {
            size_t len;
            if (c->type == T_INTER) len = (size_t)range(36, 100);
            else if (c->text) len = (size_t)range(200, 900);
            else len = c->sub == 0 && c->count == 0 ? 517 : (size_t)range(80, 1200);
            c->sub = 0;
            tcp_send(c, 0, 0x18, len);
            if (c->type == T_INTER) c->respTotal = range(36, 200);
            else if (c->type == T_BULK) c->respTotal = (int64_t)range(500000, 4000000);
            else {
                double v = lognorm(c->text ? 8000 : 4000, 1.5);
                if (v > 2e6) v = 2e6;
                c->respTotal = (int64_t)v + 1;
            }
            c->respLeft = c->respTotal;
            c->sub = 0;
            c->state = S_RESP;
            c->t += c->rtt + (c->type == T_INTER ? 200 : range(1000, 50000));
            return 1;
        }
        case S_RESP: {
            const int64_t n = c->respLeft < c->mss - (c->tsopt ? 12 : 0)
                            ? c->respLeft : c->mss - (c->tsopt ? 12 : 0);
            c->respLeft -= n;
            tcp_send(c, 1, c->respLeft ? 0x10 : 0x18, (size_t)n);
            c->sub++;
            if (c->respLeft && (c->sub & 1)) {
                c->t += 12 * (n / 125 + 1);               /* back to back at 1 Gbit/s */
                return 1;
            }
            c->state = S_CACK;
            c->t += range(20, 200);
            return 1;
        }
        case S_CACK: {
            const uint16_t w = c->win[0];
            const int zero = c->zerowin && c->respLeft && c->sub > 10 && c->sub < 20;
            if (zero) c->win[0] = 0;
            tcp_send(c, 0, 0x10, 0);
            c->win[0] = w;
            if (c->respLeft) {
                c->state = S_RESP;
                c->t += zero ? 200000 : c->gap;
                return 1;
            }
            c->count++;
            if (--c->rounds > 0 && (c->type != T_INTER || c->t < c->end)) {
                c->state = S_REQ;
                int64_t think = (int64_t)expo((double)c->think);
                if (c->type == T_INTER && c->silence == 1 && chance(0.05)) {
                    think = range(200, 400) * USEC;       /* silence beyond the timeout */
                    c->silence = 2;
                }
                c->sub = 0;
                c->t += think + 100;
                return 1;
            }
            c->sub = 0;
            c->state = S_FIN1;
            c->t += range(1000, 200000);
            return 1;
        }
        case S_FIN1:
            if (c->closeMode == 2) return 0;
            if (c->closeMode == 1) {
                tcp_send(c, 0, 0x14, 0);
                return 0;
            }
            tcp_send(c, 0, 0x11, 0);
            c->state = S_FIN2;
            c->t += c->rtt;
            return 1;
        case S_FIN2:
            if (c->type == T_SCAN) {
                tcp_send(c, 0, 0x04, 0);
                c->state = S_DONE;
                c->t += range(2000, 20000);
                return 1;
            }
            tcp_send(c, 1, 0x11, 0);
            c->state = S_FIN3;
            c->t += range(50, 300);
            return 1;
        case S_FIN3:
            if (c->type == T_SCAN) {
                tcp_send(c, 1, 0x14, 0);
                c->state = S_DONE;
                c->t += range(2000, 20000);
                return 1;
            }
            tcp_send(c, 0, 0x10, 0);
            return 0;
        case S_DONE:                                      /* scan: next port */
            if (--c->rounds <= 0) return 0;
            seg_close(c);
            c->sport = scan_port();
            c->cport = ephemeral();
            c->cseq = (uint32_t)rnd();
            c->sseq = (uint32_t)rnd();
            c->state = S_SYN;
            return step_tcp(c);
    }
    return 0;
}

static int step(conn_t *c)
{
    switch (c->type) {
        case T_DNS:
            if (c->state == 0) {
                dns_send(c, 0, c->count == 2 ? 28 : 1);
                if (c->closeMode) return 0;
                c->state = 1;
                c->t += c->rtt / 2 + range(100, 20000);
                return 1;
            }
            dns_send(c, 1, c->count == 2 ? 28 : 1);
            if (--c->count <= 0) return 0;
            c->fragId++;
            c->state = 0;
            c->t += range(50, 500);
            return 1;
        case T_NTP:
            udp_send(c, c->state, 48, c->state ? 0x24 : 0x23);
            if (c->state++) return 0;
            c->t += c->rtt;
            return 1;
        case T_PING:
            if (c->state == 0) {
                c->count++;
                icmp_echo(c, 0);
                if (c->closeMode) {
                    if (c->count >= c->rounds) return 0;
                    c->t += USEC;
                    return 1;
                }
                c->state = 1;
                c->t += c->rtt;
                return 1;
            }
            icmp_echo(c, 1);
            if (c->count >= c->rounds) return 0;
            c->state = 0;
            c->t += USEC - c->rtt;
            return 1;
        case T_UNREACH:
            if (c->state == 0) {
                udp_send(c, 0, 32, 0x40);
                c->state = 1;
                c->t += c->rtt;
                return 1;
            }
            icmp_unreach(c);
            return 0;
        case T_STREAM:
            if (c->t >= c->end) return 0;
            if (c->count) {                               /* RTP, both ways */
                udp_send(c, c->state, (size_t)range(160, 172), 0x80);
                c->state ^= 1;
                c->t += c->state ? range(100, 2000) : c->gap - range(100, 2000);
            } else {
                const int dir = below(10) != 0;
                udp_send(c, dir, dir ? (size_t)range(900, 1350) : (size_t)range(30, 80),
                         0x40 | (int)below(16));
                c->t += (int64_t)expo((double)c->gap) + 1;
            }
            return 1;
        case T_FRAG:
            if (c->state == 0) {                          /* request */
                udp_send(c, 0, (size_t)range(100, 200), 0x00);
                c->state = 1;
                c->fragLen = (int32_t)range(2000, 8800);
                c->fragBuf = realloc(c->fragBuf, (size_t)c->fragLen);
                if (!c->fragBuf) { perror("gen"); exit(1); }
                put16(c->fragBuf, c->sport); put16(c->fragBuf + 2, c->cport);
                put16(c->fragBuf + 4, (uint32_t)c->fragLen); put16(c->fragBuf + 6, 0);
                fill(c->fragBuf + 8, (size_t)c->fragLen - 8, 0);
                const size_t per = c->ipver == 4 ? (MTU - 20) / 8 * 8 : (MTU - 48) / 8 * 8;
                c->fragN = (int32_t)(((size_t)c->fragLen + per - 1) / per);
                c->fragIdx = 0;
                c->reverseFrags = chance(0.05);
                c->fragId = c->ipver == 4 ? (uint32_t)(c->ipid[1] += 1) : (uint32_t)rnd();
                c->t += c->rtt;
                return 1;
            }
            frag_send(c, 1, c->reverseFrags ? c->fragN - 1 - c->fragIdx : c->fragIdx);
            if (++c->fragIdx < c->fragN) {
                c->t += range(10, 60);
                return 1;
            }
            if (--c->rounds <= 0) return 0;
            c->state = 0;
            c->t += range(10000, 500000);
            return 1;
        case T_SYSLOG:
            udp_send(c, 0, (size_t)range(60, 300), '<');
            if (--c->rounds <= 0) return 0;
            c->t += (int64_t)expo(5.0 * USEC) + 1;
            return 1;
        case T_ARP:
            arp_send(c, c->state);
            if (c->state++) return 0;
            c->t += range(100, 500);
            return 1;
        case T_LLDP:
            lldp_send(c);
            if (c->t >= c->end) return 0;
            c->t += 30 * USEC + range(-50000, 50000);
            return 1;
        default:
            return step_tcp(c);
    }
}

/* ----------------------------------------------------------------- heap */

static conn_t **heap;
static size_t heapLen, heapCap;
static uint64_t orderCounter;

static int earlier(const conn_t *a, const conn_t *b)
{
    return a->t < b->t || (a->t == b->t && a->order < b->order);
}

static void heap_push(conn_t *c)
{
    if (heapLen == heapCap) {
        heapCap = heapCap ? heapCap * 2 : 4096;
        heap = realloc(heap, heapCap * sizeof(*heap));
        if (!heap) { perror("gen"); exit(1); }
    }
    c->order = orderCounter++;
    size_t i = heapLen++;
    while (i > 0) {
        const size_t p = (i - 1) / 2;
        if (!earlier(c, heap[p])) break;
        heap[i] = heap[p];
        i = p;
    }
    heap[i] = c;
}

static conn_t *heap_pop(void)
{
    conn_t *top = heap[0], *last = heap[--heapLen];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1;
        if (l >= heapLen) break;
        if (l + 1 < heapLen && earlier(heap[l + 1], heap[l])) l++;
        if (!earlier(heap[l], last)) break;
        heap[i] = heap[l];
        i = l;
    }
    if (heapLen) heap[i] = last;
    return top;
}

/* ----------------------------------------------------------------- main */

static void usage(void)
{
    fputs("usage: gen [-o FILE] [--duration SEC] [--packets N] [--max-packets M] [--seed S]\n"
          "           [--epoch SEC]\n", stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *path = "bench.pcap";
    double duration = 600, packets = 1e6;
    uint64_t seed = 1;
    int64_t epoch = 1700000000;
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc) usage();
        if (!strcmp(argv[i], "-o")) path = argv[++i];
        else if (!strcmp(argv[i], "--duration")) duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--packets")) packets = atof(argv[++i]);
        else if (!strcmp(argv[i], "--max-packets")) maxPackets = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--seed")) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--epoch")) epoch = strtoll(argv[++i], NULL, 10);
        else usage();
    }
    if (duration <= 0 || packets <= 0) usage();
    uint64_t s = seed;
    for (int i = 0; i < 4; i++) rs[i] = splitmix(&s);
    init_pools();

    durationUs = (int64_t)(duration * USEC);
    epochUs = epoch * USEC;
    scale = packets / (duration * PPS_AT_SCALE1);
    /* connection arrivals per second at scale 1 */
    const double convRate = 27.5 * scale;

    out = fopen(path, "wb");
    if (!out) { perror(path); return 1; }
    setvbuf(out, NULL, _IOFBF, 1 << 22);
    pcap_header();

    /* LLDP: a standing population of switch ports, more arriving as
     * others leave (mean life 900 s) */
    const int lldpPorts = (int)(40 * scale + 0.5) > 0 ? (int)(40 * scale + 0.5) : 1;
    for (int i = 0; i < lldpPorts; i++) heap_push(new_conn(T_LLDP, -(int64_t)range(0, 30 * USEC)));
    const double lldpRate = lldpPorts / 900.0;
    int64_t nextLldp = (int64_t)(expo(1.0 / lldpRate) * USEC);

    int64_t nextArrival = -WARMUP;
    for (;;) {
        const int64_t tc = heapLen ? heap[0]->t : INT64_MAX;
        int64_t next = tc;
        if (nextArrival < next) next = nextArrival;
        if (nextLldp < next) next = nextLldp;
        if (next >= durationUs || st.packets >= maxPackets) break;
        if (next == nextArrival && next < tc) {
            heap_push(new_conn(pick_type(), nextArrival));
            nextArrival += (int64_t)(expo(USEC / convRate)) + 1;
            continue;
        }
        if (next == nextLldp && next < tc) {
            heap_push(new_conn(T_LLDP, nextLldp));
            nextLldp += (int64_t)(expo(USEC / lldpRate)) + 1;
            continue;
        }
        conn_t *c = heap_pop();
        if (step(c)) {
            heap_push(c);
        } else {
            conv_close(c);
            free(c->fragBuf);
            free(c);
        }
    }
    while (heapLen) {
        conn_t *c = heap_pop();
        conv_close(c);
        free(c->fragBuf);
        free(c);
    }
    if (fclose(out) != 0) { perror(path); return 1; }

    int64_t flowPeak, convPeak;
    double flowMean, convMean;
    const uint64_t flowsTotal = nFlowEv / 2;
    sweep(flowEv, nFlowEv, &flowPeak, &flowMean);
    sweep(convEv, nConvEv, &convPeak, &convMean);

    char info[8192];
    int n = snprintf(info, sizeof(info),
        "capture            %s\n"
        "seed               %" PRIu64 "\n"
        "duration_s         %.0f\n"
        "packets            %" PRIu64 "\n"
        "bytes              %" PRIu64 "\n"
        "pps_mean           %.0f\n"
        "conv_rate_per_s    %.2f\n"
        "tcp/udp/icmp/l2    %" PRIu64 "/%" PRIu64 "/%" PRIu64 "/%" PRIu64 "\n"
        "ipv4/ipv6          %" PRIu64 "/%" PRIu64 "\n"
        "vlan_tagged        %" PRIu64 "\n"
        "ip_fragments       %" PRIu64 "\n"
        "zero_payload       %" PRIu64 "\n"
        "padded_to_60       %" PRIu64 "\n"
        "flow_segments      %" PRIu64 "   (conversation pieces separated by > 182 s)\n"
        "live_flows_peak    %" PRId64 "   (est. T2 flows in memory: directions seen, until last + 182 s)\n"
        "live_flows_mean    %.0f\n"
        "open_convs_peak    %" PRId64 "   (conversations between first and last packet)\n"
        "open_convs_mean    %.0f\n"
        "conversations     ",
        path, seed, duration, st.packets, st.bytes, (double)st.packets / duration, convRate,
        st.tcp, st.udp, st.icmp, st.l2, st.v4, st.v6, st.vlan, st.frag, st.zeroPayload,
        st.padded, flowsTotal, flowPeak, flowMean, convPeak, convMean);
    for (int i = 0; i < T_COUNT && n < (int)sizeof(info) - 64; i++) {
        n += snprintf(info + n, sizeof(info) - (size_t)n, " %s=%" PRIu64, typeName[i], st.conns[i]);
    }
    n += snprintf(info + n, sizeof(info) - (size_t)n, "\npackets_by_type   ");
    for (int i = 0; i < T_COUNT && n < (int)sizeof(info) - 64; i++) {
        n += snprintf(info + n, sizeof(info) - (size_t)n, " %s=%" PRIu64, typeName[i], st.typePackets[i]);
    }
    if (n < (int)sizeof(info) - 2) { info[n++] = '\n'; info[n] = '\0'; }
    fputs(info, stderr);
    char ipath[4096];
    snprintf(ipath, sizeof(ipath), "%s.info", path);
    FILE *fi = fopen(ipath, "w");
    if (fi) { fputs(info, fi); fclose(fi); }
    free(flowEv);
    free(convEv);
    free(heap);
    return 0;
}
