/*
 * bench/gen_pcap.c - the pcap file the generator writes: its header, the
 * Ethernet and IP headers every frame starts with (in g->frame), and
 * writing the frame as a record at its connection's time, counted and
 * padded to 60 bytes where the direction asks for it.
 */
#define _POSIX_C_SOURCE 200809L

#include <stdlib.h>
#include <string.h>

#include "gen.h"

void pcap_header(FILE *out)
{
    const uint32_t magic = 0xa1b2c3d4, snap = 262144, link = 1;
    const uint16_t vmaj = 2, vmin = 4;
    const int32_t zone = 0;
    const uint32_t sig = 0;
    fwrite(&magic, 4, 1, out); fwrite(&vmaj, 2, 1, out); fwrite(&vmin, 2, 1, out);
    fwrite(&zone, 4, 1, out); fwrite(&sig, 4, 1, out); fwrite(&snap, 4, 1, out);
    fwrite(&link, 4, 1, out);
}

/* What the frame is (g->cur), counted for the report. */
static void count_frame(gen_t *g)
{
    stats_t *st = &g->st;
    if (g->cur.ipver == 4) st->v4++;
    else if (g->cur.ipver == 6) st->v6++;
    if (g->cur.proto == 6) st->tcp++;
    else if (g->cur.proto == 17) st->udp++;
    else if (g->cur.proto) st->icmp++;
    if (g->cur.frag) st->frag++;
    if (g->cur.zero) st->zeroPayload++;
    if (g->cur.l2) st->l2++;
}

/* The connection's flow segment and conversation go on to time c->t. */
static void track_flow(gen_t *g, conn_t *c, int dir)
{
    if (c->segDirs && c->t - c->segLast > T2_TIMEOUT) seg_close(g, c);
    if (!c->segDirs) c->segFirst = c->t;
    c->segDirs |= (uint8_t)(1u << dir);
    c->segLast = c->t;
    if (c->convFirst < 0) c->convFirst = c->t;
    c->convLast = c->t;
}

/* Write g->frame[0, len) at the connection's time; pads to 60 bytes if the
 * direction asks for it.  Nothing is written before the capture starts
 * (warm-up) or after --max-packets. */
void write_frame(gen_t *g, conn_t *c, int dir, size_t len)
{
    const int counted = c->t >= 0 && g->st.packets < g->maxPackets;
    if (counted) count_frame(g);
    memset(&g->cur, 0, sizeof(g->cur));
    if (!counted) return;
    if (c->t < g->lastT) { fprintf(stderr, "gen: time went backwards\n"); exit(1); }
    g->lastT = c->t;
    if (len < 60 && c->pad[dir]) {
        memset(g->frame + len, 0, 60 - len);
        len = 60;
        g->st.padded++;
    }
    const int64_t ts = g->epochUs + c->t;
    const uint32_t hdr[4] = { (uint32_t)(ts / USEC), (uint32_t)(ts % USEC), (uint32_t)len,
                              (uint32_t)len };
    fwrite(hdr, 4, 4, g->out);
    fwrite(g->frame, 1, len, g->out);
    g->st.packets++;
    g->st.typePackets[c->type]++;
    g->st.bytes += len;
    if (c->nvlan) g->st.vlan++;
    track_flow(g, c, dir);
}

void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

/* Ethernet header with the connection's tags; returns the length. */
size_t l2_header(gen_t *g, const conn_t *c, const uint8_t *dst, const uint8_t *src,
                 uint16_t type)
{
    uint8_t *frame = g->frame;
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

static size_t ip4_header(gen_t *g, conn_t *c, int dir, uint8_t proto, size_t l4len, int frag,
                         uint32_t fragOff, int more)
{
    const uint8_t *src = dir ? c->sip : c->cip, *dst = dir ? c->cip : c->sip;
    const uint8_t *smac = dir ? c->smac : c->cmac, *dmac = dir ? c->cmac : c->smac;
    const uint8_t ttl = dir ? (uint8_t)(c->rtt > 20000 ? 52 : 58) : 64;
    const size_t at = l2_header(g, c, dmac, smac, 0x0800);
    uint8_t *h = g->frame + at;
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
    g->cur.ipver = 4;
    return at + 20;
}

static size_t ip6_header(gen_t *g, conn_t *c, int dir, uint8_t proto, size_t l4len, int frag,
                         uint32_t fragOff, int more)
{
    const uint8_t *src = dir ? c->sip : c->cip, *dst = dir ? c->cip : c->sip;
    const uint8_t *smac = dir ? c->smac : c->cmac, *dmac = dir ? c->cmac : c->smac;
    const size_t at = l2_header(g, c, dmac, smac, 0x86dd);
    uint8_t *h = g->frame + at;
    put32(h, 0x60000000u | ((uint32_t)c->cport * 7919u & 0xfffff));
    put16(h + 4, (uint32_t)(l4len + (frag ? 8 : 0)));
    h[6] = frag ? 44 : proto;
    h[7] = dir ? 56 : 64;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
    g->cur.ipver = 6;
    if (!frag) return at + 40;
    uint8_t *f = h + 40;
    f[0] = proto; f[1] = 0;
    put16(f + 2, fragOff | (more ? 1u : 0u));
    put32(f + 4, c->fragId);
    return at + 48;
}

/* IP header(s) for `l4len` bytes of `proto` (or one fragment of them):
 * returns the offset where the transport bytes go. */
size_t ip_header(gen_t *g, conn_t *c, int dir, uint8_t proto, size_t l4len, int frag,
                 uint32_t fragOff, int more)
{
    if (c->ipver == 4) return ip4_header(g, c, dir, proto, l4len, frag, fragOff, more);
    return ip6_header(g, c, dir, proto, l4len, frag, fragOff, more);
}
