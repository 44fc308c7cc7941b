/*
 * bench/gen_stats.c - what the generator tells about its capture: the
 * packet mix counted as frames are written, and its estimate of flow
 * concurrency from the lives of flows (a direction seen, until 182 s after
 * its last packet) and conversations (first to last packet), printed to
 * stderr and written to FILE.info.
 */
#define _POSIX_C_SOURCE 200809L

#include <inttypes.h>
#include <stdlib.h>

#include "gen.h"

static void push_ev(evlist_t *l, int64_t t, int32_t d)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 65536;
        l->a = realloc(l->a, l->cap * sizeof(*l->a));
        if (!l->a) { perror("gen"); exit(1); }
    }
    l->a[l->n++] = (ev_t){ t, d };
}

/* The connection's current flow segment ends (its directions' flows live
 * until T2's timeout after the last packet). */
void seg_close(gen_t *g, conn_t *c)
{
    if (c->segDirs) {
        const int n = (c->segDirs & 1) + ((c->segDirs >> 1) & 1);
        int64_t end = c->segLast + T2_TIMEOUT;
        if (end > g->durationUs) end = g->durationUs;
        push_ev(&g->flowEv, c->segFirst, n);
        push_ev(&g->flowEv, end, -n);
    }
    c->segDirs = 0;
}

void conv_close(gen_t *g, conn_t *c)
{
    seg_close(g, c);
    if (c->convFirst >= 0) {
        push_ev(&g->convEv, c->convFirst, 1);
        push_ev(&g->convEv, c->convLast, -1);
    }
    c->convFirst = -1;
}

static int ev_cmp(const void *a, const void *b)
{
    const ev_t *x = a, *y = b;
    if (x->t != y->t) return x->t < y->t ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);     /* ends before starts at equal time */
}

/* Peak and time-weighted mean of the number alive. */
static void sweep(evlist_t *l, int64_t durationUs, int64_t *peak, double *mean)
{
    qsort(l->a, l->n, sizeof(*l->a), ev_cmp);
    int64_t cur = 0, pk = 0, last = 0;
    double area = 0;
    for (size_t i = 0; i < l->n; i++) {
        area += (double)cur * (double)(l->a[i].t - last);
        last = l->a[i].t;
        cur += l->a[i].d;
        if (cur > pk) pk = cur;
    }
    *peak = pk;
    *mean = durationUs ? area / (double)durationUs : 0;
}

/* " dns=N ntp=N ..." of counts[], appended at info + n; returns the new n. */
static int per_type(char *info, size_t size, int n, const uint64_t *counts)
{
    for (int i = 0; i < T_COUNT && n < (int)size - 64; i++) {
        n += snprintf(info + n, size - (size_t)n, " %s=%" PRIu64, typeName[i], counts[i]);
    }
    return n;
}

static int totals(char *info, size_t size, gen_t *g, const char *path, uint64_t seed,
                  double duration, double convRate)
{
    int64_t flowPeak, convPeak;
    double flowMean, convMean;
    const stats_t *st = &g->st;
    const uint64_t flowsTotal = g->flowEv.n / 2;
    sweep(&g->flowEv, g->durationUs, &flowPeak, &flowMean);
    sweep(&g->convEv, g->durationUs, &convPeak, &convMean);
    return snprintf(info, size,
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
        path, seed, duration, st->packets, st->bytes, (double)st->packets / duration, convRate,
        st->tcp, st->udp, st->icmp, st->l2, st->v4, st->v6, st->vlan, st->frag, st->zeroPayload,
        st->padded, flowsTotal, flowPeak, flowMean, convPeak, convMean);
}

/* The report, on stderr and in path.info (left out if it cannot be
 * written). */
void report(gen_t *g, const char *path, uint64_t seed, double duration, double convRate)
{
    char info[8192];
    int n = totals(info, sizeof(info), g, path, seed, duration, convRate);
    n = per_type(info, sizeof(info), n, g->st.conns);
    n += snprintf(info + n, sizeof(info) - (size_t)n, "\npackets_by_type   ");
    n = per_type(info, sizeof(info), n, g->st.typePackets);
    if (n < (int)sizeof(info) - 2) { info[n++] = '\n'; info[n] = '\0'; }
    fputs(info, stderr);
    char ipath[4096];
    snprintf(ipath, sizeof(ipath), "%s.info", path);
    FILE *fi = fopen(ipath, "w");
    if (fi) { fputs(info, fi); fclose(fi); }
}
