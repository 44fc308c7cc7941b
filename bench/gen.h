/*
 * bench/gen.h - what the parts of the capture generator share: the
 * generator's state (gen_t, passed to whatever draws, builds or writes), a
 * connection (conn_t) and the functions of each bench/gen_*.c file.
 * Private to bench/gen*.c; bench/gen.c says what the captures hold.
 */
#ifndef T2MINI_BENCH_GEN_H
#define T2MINI_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define USEC 1000000LL
#define T2_TIMEOUT (182 * USEC)
#define WARMUP (300 * USEC)
#define MTU 1500

/* ------------------------------------------------- the generator's state */

typedef struct { uint64_t s[4]; } rng_t;          /* xoshiro256** */

#define POOL (256 * 1024)
typedef struct { uint8_t text[POOL], bin[POOL]; } pools_t;  /* payload bytes */

enum { T_DNS, T_NTP, T_PING, T_UNREACH, T_HTTP, T_HTTPS, T_BULK, T_INTER, T_STREAM, T_FRAG,
       T_SYSLOG, T_SCAN, T_SYNONLY, T_ARP, T_LLDP, T_COUNT };

extern const char *const typeName[T_COUNT];

typedef struct {
    uint64_t packets, bytes, tcp, udp, icmp, l2, v4, v6, vlan, frag, padded, zeroPayload;
    uint64_t conns[T_COUNT], typePackets[T_COUNT];
} stats_t;

typedef struct { int64_t t; int32_t d; } ev_t;     /* +d live at t, or -d */
typedef struct { ev_t *a; size_t n, cap; } evlist_t;

typedef struct {
    rng_t rng;
    pools_t pools;
    FILE *out;
    int64_t durationUs, epochUs, lastT;
    uint64_t maxPackets;
    uint8_t frame[2048];                          /* the frame being built */
    struct { uint8_t ipver, proto, frag, zero, l2; } cur;   /* what it is */
    stats_t st;
    evlist_t flowEv, convEv;                      /* flow / conversation lives */
} gen_t;

/* ----------------------------------------------------------- connections */

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

/* ------------------------------------------------ gen_rand.c: randomness */

void rng_seed(rng_t *r, uint64_t seed);
uint64_t rnd(rng_t *r);
uint32_t below(rng_t *r, uint32_t n);
int64_t range(rng_t *r, int64_t lo, int64_t hi);
double unit(rng_t *r);
int chance(rng_t *r, double p);
double expo(rng_t *r, double mean);
double lognorm(rng_t *r, double median, double sigma);
uint64_t hash64(uint64_t x);
void init_pools(pools_t *p, rng_t *r);
void fill(const pools_t *p, rng_t *r, uint8_t *dst, size_t len, int text);

/* ------------------------------------------------ gen_hosts.c: addresses */

void set_hosts(rng_t *r, conn_t *c, int v6);
uint16_t ephemeral(rng_t *r);
uint16_t scan_port(rng_t *r);

/* ----------------------------------------------- gen_pcap.c: the output */

void pcap_header(FILE *out);
void write_frame(gen_t *g, conn_t *c, int dir, size_t len);
void put16(uint8_t *p, uint32_t v);
void put32(uint8_t *p, uint32_t v);
size_t l2_header(gen_t *g, const conn_t *c, const uint8_t *dst, const uint8_t *src,
                 uint16_t type);
size_t ip_header(gen_t *g, conn_t *c, int dir, uint8_t proto, size_t l4len, int frag,
                 uint32_t fragOff, int more);

/* ------------------------------------------ gen_packets.c: one packet each */

void tcp_send(gen_t *g, conn_t *c, int dir, uint8_t flags, size_t payload);
void udp_send(gen_t *g, conn_t *c, int dir, size_t payload, int b0);
void dns_send(gen_t *g, conn_t *c, int dir, uint16_t qtype);
void icmp_echo(gen_t *g, conn_t *c, int dir);
void icmp_unreach(gen_t *g, conn_t *c);
void frag_send(gen_t *g, conn_t *c, int dir, int i);
void arp_send(gen_t *g, conn_t *c, int reply);
void lldp_send(gen_t *g, conn_t *c);

/* ---------------------------------------- gen_conns.c: new connections */

int pick_type(rng_t *r);
conn_t *new_conn(gen_t *g, int type, int64_t t);

/* ------------------------------------ gen_step.c, gen_tcp.c: their events */

int step(gen_t *g, conn_t *c);                    /* 0: the connection is done */
int step_tcp(gen_t *g, conn_t *c);

/* ------------------------------------------- gen_stats.c: the .info report */

void seg_close(gen_t *g, conn_t *c);
void conv_close(gen_t *g, conn_t *c);
void report(gen_t *g, const char *path, uint64_t seed, double duration, double convRate);

#endif
