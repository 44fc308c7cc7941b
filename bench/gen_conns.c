/*
 * bench/gen_conns.c - a new connection: which type (the mix below), its
 * hosts and ports, its round-trip time, and what its type plans (rounds,
 * think times, sizes, how it closes).  Its events are in gen_step.c and
 * gen_tcp.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "gen.h"

const char *const typeName[T_COUNT] = { "dns", "ntp", "ping", "unreach", "http", "https",
    "bulk", "interactive", "stream", "frag", "syslog", "scan", "synonly", "arp", "lldp" };

/* arrivals per 1000 connections */
static const double typeShare[T_COUNT] = { 305, 30, 40, 10, 255, 192, 5, 30, 8, 20, 10, 5,
                                           15, 10, 0 };

int pick_type(rng_t *r)
{
    double total = 0;
    for (int i = 0; i < T_COUNT; i++) total += typeShare[i];
    double x = unit(r) * total;
    for (int i = 0; i < T_COUNT; i++) {
        if (x < typeShare[i]) return i;
        x -= typeShare[i];
    }
    return T_DNS;
}

/* What each TCP type does after the handshake. */
static void setup_tcp_kind(rng_t *r, conn_t *c, int type, int64_t t)
{
    if (type == T_HTTP) {
        c->sport = 80; c->text = 1; c->rounds = (int32_t)range(r, 1, 3);
        c->think = 500000;
    } else if (type == T_HTTPS) {
        c->sport = 443; c->rounds = (int32_t)range(r, 1, 8);
        c->think = 4000000;
    } else if (type == T_BULK) {
        static const uint16_t ports[] = { 443, 80, 8080 };
        c->sport = ports[below(r, 3)];
        c->text = c->sport != 443;
        c->rounds = 1;
        c->gap = (int64_t)lognorm(r, 300, 0.7);
    } else if (type == T_INTER) {
        static const uint16_t ports[] = { 22, 993, 5222 };
        c->sport = ports[below(r, 3)];
        c->think = 5000000;
        c->end = t + (int64_t)lognorm(r, 300, 0.8) * USEC;
        c->rounds = 1 << 30;
        c->silence = chance(r, 0.33);                 /* one long silence */
    } else if (type == T_SCAN) {
        c->sport = scan_port(r);
        c->rounds = (int32_t)range(r, 20, 200);
        c->pad[0] = c->pad[1] = 1;
    } else {
        static const uint16_t ports[] = { 23, 445, 3389, 8443, 25 };
        c->sport = ports[below(r, 5)];
        c->rounds = (int32_t)range(r, 1, 3);         /* transmissions */
    }
}

static void setup_tcp(rng_t *r, conn_t *c, int type, int64_t t)
{
    static const uint16_t synWin[] = { 64240, 65535, 8192, 29200 };
    c->proto = 6;
    c->tsopt = chance(r, 0.6);
    c->mss = c->ipver == 4 ? 1460 : 1440;
    c->win[0] = synWin[below(r, 4)];
    c->win[1] = synWin[below(r, 4)];
    c->cseq = (uint32_t)rnd(r);
    c->sseq = (uint32_t)rnd(r);
    const uint32_t sel = below(r, 100);
    c->closeMode = sel < 88 ? 0 : sel < 94 ? 1 : 2;   /* FIN, RST, silent */
    c->zerowin = chance(r, 0.02);
    c->gap = (int64_t)lognorm(r, 800, 1.0);          /* µs between segment pairs */
    setup_tcp_kind(r, c, type, t);
}

static void setup_stream(rng_t *r, conn_t *c, int64_t t)
{
    c->proto = 17;
    if (chance(r, 0.5)) {                             /* RTP call */
        c->cport = (uint16_t)(range(r, 8192, 16383) * 2);
        c->sport = (uint16_t)(range(r, 8192, 16383) * 2);
        c->count = 1;                                 /* bidirectional */
        c->gap = 20000;
    } else {                                          /* QUIC-like media */
        c->sport = 443;
        c->count = 0;
        c->gap = (int64_t)lognorm(r, 15000, 0.5);
    }
    c->end = t + (int64_t)expo(r, 20.0 * USEC);
}

/* A switch port: its own MAC and the switch's, no tags. */
static void setup_lldp(rng_t *r, conn_t *c, int64_t t)
{
    static const uint8_t sw[6] = { 0x00, 0x1c, 0x73, 0x00, 0x00, 0x00 };
    c->nvlan = 0;
    const uint32_t port = below(r, 4096);
    c->cport = (uint16_t)port;
    memcpy(c->cmac, sw, 6);
    c->cmac[4] = (uint8_t)(port >> 8); c->cmac[5] = (uint8_t)port;
    memcpy(c->smac, sw, 6);
    c->smac[4] = (uint8_t)(port / 48);
    c->pad[0] = 1;
    c->end = t + (int64_t)expo(r, 900.0 * USEC);
}

static void setup_udp(rng_t *r, conn_t *c, int type)
{
    c->proto = 17;
    if (type == T_DNS) {
        c->sport = 53; c->text = 0;
        c->count = chance(r, 0.12) ? 2 : 1;           /* A (+ AAAA) */
        c->sub = (int32_t)below(r, 1000);
        c->closeMode = chance(r, 0.03);               /* unanswered */
    } else if (type == T_NTP) {
        c->sport = 123;
        if (chance(r, 0.3)) c->cport = 123;
    } else if (type == T_UNREACH) {
        c->sport = (uint16_t)range(r, 33434, 33534);
    } else if (type == T_FRAG) {
        c->sport = 2049;
        c->rounds = (int32_t)range(r, 1, 5);
    } else {                                          /* T_SYSLOG */
        c->sport = 514; c->text = 1;
        c->rounds = (int32_t)range(r, 5, 30);
        c->cport = chance(r, 0.5) ? 514 : c->cport;
    }
}

static void setup(rng_t *r, conn_t *c, int type, int64_t t)
{
    switch (type) {
        case T_DNS: case T_NTP: case T_UNREACH: case T_FRAG: case T_SYSLOG:
            setup_udp(r, c, type);
            break;
        case T_PING:
            c->proto = c->ipver == 4 ? 1 : 58;
            c->count = 0; c->rounds = (int32_t)range(r, 1, 10);
            c->closeMode = chance(r, 0.05);           /* no replies */
            break;
        case T_HTTP: case T_HTTPS: case T_BULK: case T_INTER: case T_SCAN: case T_SYNONLY:
            setup_tcp(r, c, type, t);
            break;
        case T_STREAM:
            setup_stream(r, c, t);
            break;
        case T_ARP:
            c->ipver = 4;
            c->sip[0] = c->cip[0]; c->sip[1] = c->cip[1]; c->sip[2] = c->cip[2];
            c->sip[3] = (uint8_t)(c->cip[3] == 1 ? 2 : 1);
            c->pad[0] = c->pad[1] = 1;
            break;
        case T_LLDP:
            setup_lldp(r, c, t);
            break;
    }
}

/* A connection of the type whose first event is at t (counted). */
conn_t *new_conn(gen_t *g, int type, int64_t t)
{
    rng_t *r = &g->rng;
    conn_t *c = calloc(1, sizeof(*c));
    if (!c) { perror("gen"); exit(1); }
    c->type = (uint8_t)type;
    c->t = t;
    c->convFirst = -1;
    g->st.conns[type]++;
    const int v6 = type == T_ARP || type == T_LLDP ? 0 : chance(r, 0.3);
    set_hosts(r, c, v6);
    c->cport = ephemeral(r);
    c->rtt = (int64_t)lognorm(r, 30000, 0.9);
    if (c->rtt < 300) c->rtt = 300;
    if (c->rtt > 600000) c->rtt = 600000;
    const uint32_t padSel = below(r, 10);
    c->pad[0] = padSel < 7;
    c->pad[1] = padSel < 9;
    c->ipid[0] = (uint16_t)rnd(r);
    c->ipid[1] = (uint16_t)rnd(r);
    c->fragId = (uint32_t)rnd(r);
    c->sub = 0;
    c->state = 0;
    setup(r, c, type, t);
    return c;
}
