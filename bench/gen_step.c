/*
 * bench/gen_step.c - a connection's next event, one packet each, for the
 * types that are not TCP: DNS, NTP, ping, ICMP unreachable, media streams,
 * fragmented UDP replies, syslog, ARP and LLDP.  Each returns 0 when the
 * connection is done, else sets c->t to its next event; TCP is gen_tcp.c.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>

#include "gen.h"

/* Query, answer; a second pair (AAAA) for some. */
static int step_dns(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    if (c->state == 0) {
        dns_send(g, c, 0, c->count == 2 ? 28 : 1);
        if (c->closeMode) return 0;
        c->state = 1;
        c->t += c->rtt / 2 + range(r, 100, 20000);
        return 1;
    }
    dns_send(g, c, 1, c->count == 2 ? 28 : 1);
    if (--c->count <= 0) return 0;
    c->fragId++;
    c->state = 0;
    c->t += range(r, 50, 500);
    return 1;
}

static int step_ping(gen_t *g, conn_t *c)
{
    if (c->state == 0) {
        c->count++;
        icmp_echo(g, c, 0);
        if (c->closeMode) {
            if (c->count >= c->rounds) return 0;
            c->t += USEC;
            return 1;
        }
        c->state = 1;
        c->t += c->rtt;
        return 1;
    }
    icmp_echo(g, c, 1);
    if (c->count >= c->rounds) return 0;
    c->state = 0;
    c->t += USEC - c->rtt;
    return 1;
}

/* RTP both ways every 20 ms, or QUIC-like media mostly downstream. */
static int step_stream(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    if (c->t >= c->end) return 0;
    if (c->count) {                                   /* RTP, both ways */
        udp_send(g, c, c->state, (size_t)range(r, 160, 172), 0x80);
        c->state ^= 1;
        c->t += c->state ? range(r, 100, 2000) : c->gap - range(r, 100, 2000);
    } else {
        const int dir = below(r, 10) != 0;
        udp_send(g, c, dir, dir ? (size_t)range(r, 900, 1350) : (size_t)range(r, 30, 80),
                 0x40 | (int)below(r, 16));
        c->t += (int64_t)expo(r, (double)c->gap) + 1;
    }
    return 1;
}

/* The request, and the reply datagram to be sent in fragments. */
static void frag_request(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    udp_send(g, c, 0, (size_t)range(r, 100, 200), 0x00);
    c->state = 1;
    c->fragLen = (int32_t)range(r, 2000, 8800);
    c->fragBuf = realloc(c->fragBuf, (size_t)c->fragLen);
    if (!c->fragBuf) { perror("gen"); exit(1); }
    put16(c->fragBuf, c->sport); put16(c->fragBuf + 2, c->cport);
    put16(c->fragBuf + 4, (uint32_t)c->fragLen); put16(c->fragBuf + 6, 0);
    fill(&g->pools, r, c->fragBuf + 8, (size_t)c->fragLen - 8, 0);
    const size_t per = c->ipver == 4 ? (MTU - 20) / 8 * 8 : (MTU - 48) / 8 * 8;
    c->fragN = (int32_t)(((size_t)c->fragLen + per - 1) / per);
    c->fragIdx = 0;
    c->reverseFrags = chance(r, 0.05);
    c->fragId = c->ipver == 4 ? (uint32_t)(c->ipid[1] += 1) : (uint32_t)rnd(r);
    c->t += c->rtt;
}

static int step_frag(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    if (c->state == 0) {
        frag_request(g, c);
        return 1;
    }
    frag_send(g, c, 1, c->reverseFrags ? c->fragN - 1 - c->fragIdx : c->fragIdx);
    if (++c->fragIdx < c->fragN) {
        c->t += range(r, 10, 60);
        return 1;
    }
    if (--c->rounds <= 0) return 0;
    c->state = 0;
    c->t += range(r, 10000, 500000);
    return 1;
}

/* The small types: a packet or a pair. */
static int step_small(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    switch (c->type) {
        case T_NTP:
            udp_send(g, c, c->state, 48, c->state ? 0x24 : 0x23);
            if (c->state++) return 0;
            c->t += c->rtt;
            return 1;
        case T_UNREACH:
            if (c->state == 0) {
                udp_send(g, c, 0, 32, 0x40);
                c->state = 1;
                c->t += c->rtt;
                return 1;
            }
            icmp_unreach(g, c);
            return 0;
        case T_SYSLOG:
            udp_send(g, c, 0, (size_t)range(r, 60, 300), '<');
            if (--c->rounds <= 0) return 0;
            c->t += (int64_t)expo(r, 5.0 * USEC) + 1;
            return 1;
        case T_ARP:
            arp_send(g, c, c->state);
            if (c->state++) return 0;
            c->t += range(r, 100, 500);
            return 1;
        default:                                      /* T_LLDP */
            lldp_send(g, c);
            if (c->t >= c->end) return 0;
            c->t += 30 * USEC + range(r, -50000, 50000);
            return 1;
    }
}

int step(gen_t *g, conn_t *c)
{
    switch (c->type) {
        case T_DNS: return step_dns(g, c);
        case T_PING: return step_ping(g, c);
        case T_STREAM: return step_stream(g, c);
        case T_FRAG: return step_frag(g, c);
        case T_NTP: case T_UNREACH: case T_SYSLOG: case T_ARP: case T_LLDP:
            return step_small(g, c);
        default: return step_tcp(g, c);
    }
}
