/*
 * bench/gen_packets.c - one packet of a connection, built in g->frame and
 * written: TCP segments, UDP datagrams, DNS queries and answers, ICMP echo
 * and port unreachable, IP fragments, ARP and LLDP.  Payload bytes come
 * from the pools; transport checksums are left zero.
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "gen.h"

static void count_l4(gen_t *g, uint8_t proto, size_t payload)
{
    g->cur.proto = proto;
    g->cur.zero = payload == 0;
}

/* MSS, window scale and SACK-permitted on a SYN; time stamps if the
 * connection uses them. */
static void tcp_options(const conn_t *c, uint8_t *o, int syn)
{
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
}

/* Payload from the pools, starting as a TLS record or HTTP would. */
static void tcp_payload(gen_t *g, const conn_t *c, int dir, uint8_t *pl, size_t payload)
{
    fill(&g->pools, &g->rng, pl, payload, c->text);
    if (!c->text && payload >= 5 && dir && c->sub == 0) {     /* TLS record header */
        pl[0] = 0x17; pl[1] = 3; pl[2] = 3; put16(pl + 3, (uint32_t)(payload - 5));
    }
    if (c->text && payload >= 16 && !dir && c->sub == 0) memcpy(pl, "GET /index.html ", 16);
    if (c->text && payload >= 16 && dir && c->sub == 0) memcpy(pl, "HTTP/1.1 200 OK\r", 16);
}

/* A TCP segment; payload is filled from the pools. */
void tcp_send(gen_t *g, conn_t *c, int dir, uint8_t flags, size_t payload)
{
    const int syn = flags & 0x02;
    const size_t optLen = syn ? (c->tsopt ? 20 : 12) : (c->tsopt ? 12 : 0);
    const size_t l4len = 20 + optLen + payload;
    const size_t at = ip_header(g, c, dir, 6, l4len, 0, 0, 0);
    uint8_t *t = g->frame + at;
    put16(t, dir ? c->sport : c->cport);
    put16(t + 2, dir ? c->cport : c->sport);
    put32(t + 4, dir ? c->sseq : c->cseq);
    put32(t + 8, (flags & 0x10) ? (dir ? c->cseq : c->sseq) : 0);
    t[12] = (uint8_t)(((20 + optLen) / 4) << 4);
    t[13] = flags;
    put16(t + 14, c->win[dir]);
    put32(t + 16, 0);
    tcp_options(c, t + 20, syn);
    tcp_payload(g, c, dir, t + 20 + optLen, payload);
    if (dir) c->sseq += (uint32_t)payload + (syn ? 1 : 0) + ((flags & 1) ? 1 : 0);
    else c->cseq += (uint32_t)payload + (syn ? 1 : 0) + ((flags & 1) ? 1 : 0);
    count_l4(g, 6, payload);
    write_frame(g, c, dir, at + 20 + optLen + payload);
}

/* UDP header and `n` bytes of payload (copied from msg, or from the pools
 * when msg is NULL); returns the frame length. */
static size_t udp_datagram(gen_t *g, conn_t *c, int dir, const uint8_t *msg, size_t n)
{
    const size_t at = ip_header(g, c, dir, 17, 8 + n, 0, 0, 0);
    uint8_t *u = g->frame + at;
    put16(u, dir ? c->sport : c->cport);
    put16(u + 2, dir ? c->cport : c->sport);
    put16(u + 4, (uint32_t)(8 + n));
    put16(u + 6, 0);
    if (msg) memcpy(u + 8, msg, n);
    else fill(&g->pools, &g->rng, u + 8, n, c->text);
    count_l4(g, 17, n);
    return at + 8 + n;
}

/* A UDP datagram that fits the MTU; first payload byte `b0` if >= 0. */
void udp_send(gen_t *g, conn_t *c, int dir, size_t payload, int b0)
{
    const size_t len = udp_datagram(g, c, dir, NULL, payload);
    if (b0 >= 0 && payload) g->frame[len - payload] = (uint8_t)b0;
    write_frame(g, c, dir, len);
}

static const char *domains[] = { "www.example.com", "cdn.example.net", "mail.example.org",
    "api.service.io", "static.content.net", "login.portal.com", "updates.vendor.com",
    "time.server.org", "img.photos.net", "news.daily.com", "video.stream.tv", "ads.track.biz" };

/* The name as DNS labels at msg; returns their length. */
static size_t dns_name(uint8_t *msg, const char *d)
{
    size_t n = 0;
    while (*d) {
        const char *dot = strchr(d, '.');
        const size_t l = dot ? (size_t)(dot - d) : strlen(d);
        msg[n++] = (uint8_t)l;
        memcpy(msg + n, d, l);
        n += l;
        d += l + (dot ? 1 : 0);
    }
    msg[n++] = 0;
    return n;
}

/* A query (dir 0) or an answer of 1-6 records of qtype (A or AAAA). */
void dns_send(gen_t *g, conn_t *c, int dir, uint16_t qtype)
{
    uint8_t msg[600];
    put16(msg, (uint32_t)c->fragId);
    put16(msg + 2, dir ? 0x8180 : 0x0100);
    put16(msg + 4, 1);
    const int answers = dir ? (int)range(&g->rng, 1, 6) : 0;
    put16(msg + 6, (uint32_t)answers);
    put16(msg + 8, 0); put16(msg + 10, 0);
    size_t n = 12 + dns_name(msg + 12, domains[c->sub % (sizeof(domains) / sizeof(domains[0]))]);
    put16(msg + n, qtype); put16(msg + n + 2, 1); n += 4;
    for (int i = 0; i < answers; i++) {
        const size_t rl = qtype == 28 ? 16 : 4;
        msg[n] = 0xc0; msg[n + 1] = 12;
        put16(msg + n + 2, qtype); put16(msg + n + 4, 1); put32(msg + n + 6, 300);
        put16(msg + n + 10, (uint32_t)rl);
        fill(&g->pools, &g->rng, msg + n + 12, rl, 0);
        n += 12 + rl;
    }
    write_frame(g, c, dir, udp_datagram(g, c, dir, msg, n));
}

void icmp_echo(gen_t *g, conn_t *c, int dir)
{
    const uint8_t proto = c->ipver == 4 ? 1 : 58;
    const size_t at = ip_header(g, c, dir, proto, 8 + 56, 0, 0, 0);
    uint8_t *m = g->frame + at;
    m[0] = c->ipver == 4 ? (dir ? 0 : 8) : (dir ? 129 : 128);
    m[1] = 0;
    put16(m + 2, 0);
    put16(m + 4, c->cport);
    put16(m + 6, (uint32_t)c->count);
    put32(m + 8, (uint32_t)((g->epochUs + c->t) / USEC));
    put32(m + 12, 0);
    for (int i = 16; i < 64; i++) m[i] = (uint8_t)(i - 8);
    count_l4(g, proto, 56);
    write_frame(g, c, dir, at + 64);
}

/* ICMP port unreachable quoting the client's UDP datagram. */
void icmp_unreach(gen_t *g, conn_t *c)
{
    const int v4 = c->ipver == 4;
    const size_t quote = v4 ? 20 + 8 : 40 + 8;
    const uint8_t proto = v4 ? 1 : 58;
    const size_t at = ip_header(g, c, 1, proto, 8 + quote, 0, 0, 0);
    uint8_t *m = g->frame + at;
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
    count_l4(g, proto, quote);
    write_frame(g, c, 1, at + 8 + quote);
}

/* One fragment (index i of n) of the pending datagram c->fragBuf. */
void frag_send(gen_t *g, conn_t *c, int dir, int i)
{
    const size_t per = c->ipver == 4 ? (MTU - 20) / 8 * 8 : (MTU - 48) / 8 * 8;
    const size_t off = (size_t)i * per;
    size_t len = (size_t)c->fragLen - off;
    if (len > per) len = per;
    const int more = i < c->fragN - 1;
    const size_t at = ip_header(g, c, dir, 17, len, 1, (uint32_t)off, more);
    memcpy(g->frame + at, c->fragBuf + off, len);
    count_l4(g, 17, len);
    g->cur.frag = 1;
    write_frame(g, c, dir, at + len);
}

void arp_send(gen_t *g, conn_t *c, int reply)
{
    static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    const uint8_t *src = reply ? c->smac : c->cmac;
    const uint8_t *dst = reply ? c->cmac : bcast;
    const size_t at = l2_header(g, c, dst, src, 0x0806);
    uint8_t *a = g->frame + at;
    put16(a, 1); put16(a + 2, 0x0800); a[4] = 6; a[5] = 4; put16(a + 6, reply ? 2 : 1);
    memcpy(a + 8, src, 6);
    memcpy(a + 14, reply ? c->sip : c->cip, 4);
    if (reply) memcpy(a + 18, c->cmac, 6); else memset(a + 18, 0, 6);
    memcpy(a + 24, reply ? c->cip : c->sip, 4);
    g->cur.l2 = 1;
    write_frame(g, c, reply, at + 28);
}

/* Chassis, port, TTL and system name TLVs from a switch port. */
void lldp_send(gen_t *g, conn_t *c)
{
    static const uint8_t dst[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e };
    const size_t at = l2_header(g, c, dst, c->cmac, 0x88cc);
    uint8_t *l = g->frame + at;
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
    g->cur.l2 = 1;
    write_frame(g, c, 0, at + n);
}
