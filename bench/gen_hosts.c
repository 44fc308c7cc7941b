/*
 * bench/gen_hosts.c - who talks: client hosts (10/8 and 2001:db8:10::/48,
 * some behind one or two VLAN tags), servers in public-looking networks,
 * the gateway's MAC, and the ports clients and scanners pick.  A host is a
 * hash of its number, so the same number is the same host.
 */
#define _POSIX_C_SOURCE 200809L

#include <string.h>

#include "gen.h"

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

static void client_vlans(host_t *h, uint64_t x)
{
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
    client_vlans(h, x);
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

/* A random client (with its tags) and server of the IP version. */
void set_hosts(rng_t *r, conn_t *c, int v6)
{
    host_t h;
    client_host(&h, v6, v6 ? below(r, NCLI6) : below(r, NCLI4));
    c->ipver = v6 ? 6 : 4;
    memcpy(c->cip, h.ip, 16);
    memcpy(c->cmac, h.mac, 6);
    c->nvlan = h.nvlan;
    c->tci[0] = h.tci[0];
    c->tci[1] = h.tci[1];
    gateway_mac(c->smac, &h);
    server_ip(c->sip, v6, v6 ? below(r, NSRV6) : below(r, NSRV4));
}

/* Ports that T2 reads as tunnels or special protocols: keep clear. */
uint16_t ephemeral(rng_t *r)
{
    for (;;) {
        const uint16_t p = (uint16_t)range(r, 1025, 65535);
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
uint16_t scan_port(rng_t *r)
{
    for (;;) {
        const uint16_t p = (uint16_t)range(r, 1, 9999);
        if (p != 1900 && p != 5072) return p;
    }
}
