/*
 * bench/gen_tcp.c - a TCP connection's events, one segment each: the
 * handshake, requests and MSS-sized responses with the client's ACKs (a
 * zero window now and then), the close (FIN, RST or silence), and the
 * variants for scans (RST back or nothing) and unanswered SYNs.  Each
 * returns 0 when the connection is done, else sets c->t to the next event.
 */
#define _POSIX_C_SOURCE 200809L

#include "gen.h"

/* SYN; a SYN-only connection retransmits it, a scan waits for RST. */
static int tcp_syn(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    tcp_send(g, c, 0, 0x02, 0);
    if (c->type == T_SYNONLY) {
        if (--c->rounds <= 0) return 0;
        c->cseq -= 1;                                 /* retransmit the same SYN */
        c->t += (int64_t)1000000 << c->count++;
        return 1;
    }
    if (c->type == T_SCAN) {
        const uint32_t sel = below(r, 10);
        if (sel == 9) {                               /* filtered */
            c->state = S_DONE;
            c->t += (int64_t)range(r, 2000, 20000);
            return 1;
        }
        c->state = sel < 8 ? S_FIN3 : S_SYNACK;       /* S_FIN3 doubles as "RST back" */
        c->t += c->rtt / 4 + 50;
        return 1;
    }
    c->state = S_SYNACK;
    c->t += c->rtt;
    return 1;
}

static int tcp_synack(gen_t *g, conn_t *c)
{
    tcp_send(g, c, 1, 0x12, 0);
    if (c->type == T_SCAN) {
        c->state = S_FIN2;                            /* client resets */
        c->t += 100;
        return 1;
    }
    c->state = S_ACK;
    c->t += range(&g->rng, 50, 300);
    return 1;
}

static int tcp_ack(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    c->win[0] = (uint16_t)range(r, 200, 4000);
    c->win[1] = (uint16_t)range(r, 200, 2000);
    tcp_send(g, c, 0, 0x10, 0);
    c->state = S_REQ;
    c->t += range(r, 100, 2000);
    return 1;
}

/* A request; plans the response's size. */
static int tcp_req(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    size_t len;
    if (c->type == T_INTER) len = (size_t)range(r, 36, 100);
    else if (c->text) len = (size_t)range(r, 200, 900);
    else len = c->sub == 0 && c->count == 0 ? 517 : (size_t)range(r, 80, 1200);
    c->sub = 0;
    tcp_send(g, c, 0, 0x18, len);
    if (c->type == T_INTER) c->respTotal = range(r, 36, 200);
    else if (c->type == T_BULK) c->respTotal = (int64_t)range(r, 500000, 4000000);
    else {
        double v = lognorm(r, c->text ? 8000 : 4000, 1.5);
        if (v > 2e6) v = 2e6;
        c->respTotal = (int64_t)v + 1;
    }
    c->respLeft = c->respTotal;
    c->sub = 0;
    c->state = S_RESP;
    c->t += c->rtt + (c->type == T_INTER ? 200 : range(r, 1000, 50000));
    return 1;
}

/* A response segment; two back to back, then the client's ACK. */
static int tcp_resp(gen_t *g, conn_t *c)
{
    const int64_t n = c->respLeft < c->mss - (c->tsopt ? 12 : 0)
                    ? c->respLeft : c->mss - (c->tsopt ? 12 : 0);
    c->respLeft -= n;
    tcp_send(g, c, 1, c->respLeft ? 0x10 : 0x18, (size_t)n);
    c->sub++;
    if (c->respLeft && (c->sub & 1)) {
        c->t += 12 * (n / 125 + 1);                   /* back to back at 1 Gbit/s */
        return 1;
    }
    c->state = S_CACK;
    c->t += range(&g->rng, 20, 200);
    return 1;
}

/* The client's ACK; then more response, the next request or the close. */
static int tcp_cack(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    const uint16_t w = c->win[0];
    const int zero = c->zerowin && c->respLeft && c->sub > 10 && c->sub < 20;
    if (zero) c->win[0] = 0;
    tcp_send(g, c, 0, 0x10, 0);
    c->win[0] = w;
    if (c->respLeft) {
        c->state = S_RESP;
        c->t += zero ? 200000 : c->gap;
        return 1;
    }
    c->count++;
    if (--c->rounds > 0 && (c->type != T_INTER || c->t < c->end)) {
        c->state = S_REQ;
        int64_t think = (int64_t)expo(r, (double)c->think);
        if (c->type == T_INTER && c->silence == 1 && chance(r, 0.05)) {
            think = range(r, 200, 400) * USEC;        /* silence beyond the timeout */
            c->silence = 2;
        }
        c->sub = 0;
        c->t += think + 100;
        return 1;
    }
    c->sub = 0;
    c->state = S_FIN1;
    c->t += range(r, 1000, 200000);
    return 1;
}

static int tcp_fin1(gen_t *g, conn_t *c)
{
    if (c->closeMode == 2) return 0;
    if (c->closeMode == 1) {
        tcp_send(g, c, 0, 0x14, 0);
        return 0;
    }
    tcp_send(g, c, 0, 0x11, 0);
    c->state = S_FIN2;
    c->t += c->rtt;
    return 1;
}

static int tcp_fin2(gen_t *g, conn_t *c)
{
    if (c->type == T_SCAN) {
        tcp_send(g, c, 0, 0x04, 0);
        c->state = S_DONE;
        c->t += range(&g->rng, 2000, 20000);
        return 1;
    }
    tcp_send(g, c, 1, 0x11, 0);
    c->state = S_FIN3;
    c->t += range(&g->rng, 50, 300);
    return 1;
}

static int tcp_fin3(gen_t *g, conn_t *c)
{
    if (c->type == T_SCAN) {
        tcp_send(g, c, 1, 0x14, 0);
        c->state = S_DONE;
        c->t += range(&g->rng, 2000, 20000);
        return 1;
    }
    tcp_send(g, c, 0, 0x10, 0);
    return 0;
}

/* A scan goes on to its next port, a new flow. */
static int tcp_next_port(gen_t *g, conn_t *c)
{
    rng_t *r = &g->rng;
    if (--c->rounds <= 0) return 0;
    seg_close(g, c);
    c->sport = scan_port(r);
    c->cport = ephemeral(r);
    c->cseq = (uint32_t)rnd(r);
    c->sseq = (uint32_t)rnd(r);
    c->state = S_SYN;
    return step_tcp(g, c);
}

int step_tcp(gen_t *g, conn_t *c)
{
    switch (c->state) {
        case S_SYN: return tcp_syn(g, c);
        case S_SYNACK: return tcp_synack(g, c);
        case S_ACK: return tcp_ack(g, c);
        case S_REQ: return tcp_req(g, c);
        case S_RESP: return tcp_resp(g, c);
        case S_CACK: return tcp_cack(g, c);
        case S_FIN1: return tcp_fin1(g, c);
        case S_FIN2: return tcp_fin2(g, c);
        case S_FIN3: return tcp_fin3(g, c);
        case S_DONE: return tcp_next_port(g, c);     /* scan: next port */
    }
    return 0;
}
