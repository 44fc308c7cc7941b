/*
 * out_endreport.c - the core's part of T2's end report (see out_endreport.h).
 */
/* POSIX.1-2008 (gmtime_r, localtime_r, getrusage, sysconf).  ru_maxrss is
 * not POSIX: macOS declares it only in its full namespace, which
 * _DARWIN_C_SOURCE opens (no other system reads that macro). */
#define _POSIX_C_SOURCE 200809L
#define _DARWIN_C_SOURCE 1

#include "out_endreport.h"

#include <inttypes.h>
#include <stddef.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "main.h"           /* globalWarn: T2's aggregated flowStat */
#include "out_report.h"
#include "packet.h"
#include "plugins.h"
#include "t2stats.h"        /* numAlarms */

/* "Dump start: 1710414000.048297000 sec (Thu 14 Mar 2024 11:00:00 GMT)" */
void endreport_date(FILE *f, const char *prefix, uint64_t sec, int64_t nsec, int utc)
{
    const time_t t = (time_t)(uint32_t)sec;
    struct tm tm;
    char when[64] = "<invalid>";
    if (utc ? gmtime_r(&t, &tm) != NULL : localtime_r(&t, &tm) != NULL) {
        strftime(when, sizeof(when), "%a %d %b %Y %H:%M:%S %Z", &tm);
    }
    fprintf(f, "%s%" PRIu32 ".%09" PRId64 " sec (%s)\n", prefix, (uint32_t)sec, nsec, when);
}

#define NS_PER_SEC INT64_C(1000000000)

/* "1.758106000 sec (1d 2m 3s)": the whole seconds are cut to 32 bits, and
 * spans of a minute or more are spelled out in the units below, zeros
 * left out (years have 365 days). */
void endreport_span(FILE *f, const char *prefix, int64_t sec, int64_t nsec)
{
    static const struct { uint32_t seconds; char unit; } units[] = {
        { 365 * 24 * 3600, 'y' }, { 24 * 3600, 'd' }, { 3600, 'h' }, { 60, 'm' }, { 1, 's' },
    };
    if (nsec < 0) {                 /* borrow a second */
        sec--;
        nsec += NS_PER_SEC;
    }
    const uint32_t total = (uint32_t)sec;
    fprintf(f, "%s%" PRIu32 ".%09" PRId64 " sec", prefix, total, nsec);
    if (total >= 60) {
        const char *sep = " (";
        uint32_t left = total;
        for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
            const uint32_t n = left / units[i].seconds;
            left %= units[i].seconds;
            if (n == 0) continue;
            fprintf(f, "%s%" PRIu32 "%c", sep, n, units[i].unit);
            sep = " ";
        }
        fputc(')', f);
    }
    fputc('\n', f);
}

/* "label: 1234.56 (1.23 K)": a rate or an average */
static void print_value(FILE *f, const char *label, double v)
{
    char h[64];
    report_readable(h, sizeof(h), report_u64_of(v), NULL);
    fprintf(f, "%s: %.2f%s\n", label, v, h);
}

static void print_bit_rate(FILE *f, const char *label, double bytes_per_sec)
{
    const double bits = bytes_per_sec * 8.0;
    char h[64];
    report_readable(h, sizeof(h), report_u64_of(bits), "b/s");
    fprintf(f, "%s: %.0f b/s%s\n", label, bits, h);
}

/* T2's end-of-report list of what the capture contained: a line for each
 * entry with a bit set in the aggregated flowStat, [WRN] for what went
 * wrong, [INF] for what was merely there. */
static const struct {
    uint64_t bits;
    const char *text;
    int warn;
} capture_notes[] = {
    { FS_L2_SNAPPED,      "L2 header snapped", 1 },
    { FS_L3_SNAPPED,      "L3 SnapLength < Length in IP header", 1 },
    { FS_L3_HDR_SHORT,    "L3 header snapped", 1 },
    { FS_L4_HDR_SHORT,    "L4 header snapped", 1 },
    { FS_LAND_ATTACK,     "Land attack", 1 },
    { FS_TIME_JUMP,       "Timestamp jump, probably due to multi-path packet delay or NTP operation", 1 },
    { FS_DUP_IPID,        "Consecutive duplicate IP ID", 1 },
    { FS_HDR_OVERRUN,     "Header description overrun", 1 },
    { FS_IPVX,            "IPvX L3 header bogus packets", 1 },
    { FS_IPV4_HL_SHORT,   "IPv4 header length < 20 bytes", 1 },
    { FS_IP_PL_MISMATCH,  "IPv4/6 payload length > framing length", 1 },
    { FS_FRAG_HDSEQ_ERR,  "IPv4/6 fragmentation header packet missing", 1 },
    { FS_FRAG_PENDING,    "IPv4/6 packet fragmentation sequence not finished", 1 },
    { FS_STOP_DISSECT,    "Stop dissecting: Clipped packet, unhandled protocol or subsequent fragment", 0 },
    { FS_L2_FLOW,         "Layer 2 flows", 0 },
    { FS_IPV4_FLOW | FS_IPV4_PKT, "IPv4 flows", 0 },
    { FS_IPV6_FLOW | FS_IPV6_PKT, "IPv6 flows", 0 },
    { FS_SCTP,            "SCTP", 0 },
    { FS_L2_NO_ETH,       "No Ethernet header", 0 },
    { FS_ARP,             "ARP", 0 },
    { FS_RARP,            "RARP", 0 },
    { FS_LLDP,            "LLDP", 0 },
    { FS_ETHIP,           "EtherIP", 0 },
    { FS_VLAN,            "VLAN encapsulation", 0 },
    { FS_VLAN0,           "VLAN ID 0 (priority tag)", 0 },
    { FS_FRAG,            "IPv4/6 fragmentation", 0 },
    { FS_IPIP,            "IPv4/6 in IPv4/6", 0 },
    { FS_VXLAN,           "VXLAN encapsulation", 0 },
    { FS_GENEVE,          "GENEVE encapsulation", 0 },
    { FS_MPLS_UCAST | FS_MPLS_MCAST, "MPLS encapsulation", 0 },
    { FS_L2TP,            "L2TP encapsulation", 0 },
    { FS_PPP,             "PPP/HDLC encapsulation", 0 },
    { FS_GRE,             "GRE encapsulation", 0 },
    { FS_ERSPAN,          "ERSPAN encapsulation", 0 },
    { FS_WCCP,            "WCCP encapsulation", 0 },
    { FS_AYIYA,           "AYIYA tunnel", 0 },
    { FS_GTP,             "GTP tunnel", 0 },
    { FS_TEREDO,          "Teredo tunnel", 0 },
    { FS_CAPWAP,          "CAPWAP/LWAPP tunnel", 0 },
    { FS_IPSEC_AH,        "IPsec AH", 0 },
    { FS_IPSEC_ESP,       "IPsec ESP", 0 },
    { FS_UPNP,            "SSDP/UPnP", 0 },
    { FS_SIPRTP,          "SIP/RTP", 0 },
    { FS_DTLS,            "DTLS", 0 },
    { FS_TOR_ADDR,        "Tor addresses", 0 },
};

static void print_capture_notes(FILE *f, uint64_t flow_stat)
{
    for (size_t i = 0; i < sizeof(capture_notes) / sizeof(capture_notes[0]); i++) {
        if (!(flow_stat & capture_notes[i].bits)) continue;
        fprintf(f, "%s %s\n", capture_notes[i].warn ? "[WRN]" : "[INF]", capture_notes[i].text);
    }
}

static const char *const WAVES = "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n";

/* One "Number of X: n (h) [p%]" line; none for n = 0. */
typedef struct {
    const char *label;
    uint64_t count;
    double total;               /* of which count is a share */
} count_line_t;

static void print_count_lines(FILE *f, const count_line_t *lines, size_t n)
{
    for (size_t i = 0; i < n; i++) report_nump_if(f, lines[i].label, lines[i].count, lines[i].total);
}

#define COUNT_LINES(f, lines) print_count_lines((f), (lines), sizeof(lines) / sizeof((lines)[0]))

/* The capture's span, last record time minus first, in seconds. */
static double capture_seconds(const run_stats_t *st)
{
    int64_t sec = (int64_t)(st->lastSec - st->firstSec);
    int64_t nsec = st->lastNsec - st->firstNsec;
    if (nsec < 0) {
        sec--;
        nsec += NS_PER_SEC;
    }
    const double fraction = (double)nsec / 1e9;     /* rounded to double */
    const double seconds = (double)sec + fraction;
    return seconds;
}

/* From "Finished unloading" to the input's size. */
static void print_input(FILE *f, const run_stats_t *st, uint64_t file_size, double elapsed)
{
    fprintf(f, "Finished unloading flow memory. Time: %.9f sec\n", elapsed);
    if (file_size) {
        /* scaled in single precision, as T2 does */
        const uint64_t read = run_bytes_read(st->list_files ? st->list_files : 1);
        const float hundredfold = 100.0f * (float)read;
        fprintf(f, "Percentage completed: %.2f%%\n", (double)hundredfold / (double)file_size);
    }
    report_num_if(f, "Number of processed packets", numPackets);
    report_num_if(f, "Number of processed bytes", bytesProcessed);
    report_num_if(f, "Number of raw bytes", st->raw_bytes);
    report_num_if(f, "Number of pad bytes", st->pad_bytes);
    report_num_if(f, "Number of pcap bytes", file_size);
}

/* Packets per layer-3 kind, then per flow direction (A or B). */
static void print_directions(FILE *f, const run_stats_t *st, const dissect_stats_t *ds)
{
    const double packets = (double)numPackets;
    const uint64_t ab_packets = numAPackets + numBPackets;
    const uint64_t ab_bytes = numABytes + numBBytes;
    const count_line_t kinds[] = {
        { "Number of L2 packets", st->l2_packets, packets },
        { "Number of IPv4 packets", numV4Packets, packets },
        { "Number of IPv6 packets", numV6Packets, packets },
        { "Number of IPvX packets", st->vx_packets + ds->ipvx_packets, packets },
    };
    COUNT_LINES(f, kinds);
    if (numPackets != ab_packets && ab_packets > 0) {
        report_nump_if(f, "Number of packets without flow", numPackets - ab_packets, packets);
    }
    const count_line_t directions[] = {
        { "Number of A packets", numAPackets, (double)ab_packets },
        { "Number of B packets", numBPackets, (double)ab_packets },
        { "Number of A bytes", numABytes, (double)ab_bytes },
        { "Number of B bytes", numBBytes, (double)ab_bytes },
    };
    COUNT_LINES(f, directions);
    print_value(f, "<A packet load>", numAPackets ? (double)numABytes / (double)numAPackets : 0.0);
    print_value(f, "<B packet load>", numBPackets ? (double)numBBytes / (double)numBPackets : 0.0);
}

static void print_plugin_reports(FILE *f)
{
    plugins_report(f);
}

/* Header depth, then packets per encapsulation and protocol. */
static void print_protocols(FILE *f, const run_stats_t *st, const dissect_stats_t *ds,
                            const flow_stats_t *fs)
{
    const uint64_t w = globalWarn;
    fprintf(f, "Headers count: min: %u, max: %u, avg: %.2f\n", (unsigned)st->min_hdrs,
            (unsigned)st->max_hdrs, (double)st->avg_hdrs);
    if (w & FS_VLAN) fprintf(f, "Max VLAN header count: %u\n", (unsigned)ds->max_vlan_count);
    if (w & (FS_MPLS_UCAST | FS_MPLS_MCAST)) {
        fprintf(f, "Max MPLS header count: %u\n", (unsigned)ds->max_mpls_count);
    }
    const double packets = (double)numPackets, bytes = (double)bytesProcessed;
    /* the SCTP lines only when the aggregated flowStat saw SCTP (a zero
     * count prints no line) */
    const int sctp = (w & FS_SCTP) != 0;
    const count_line_t lines[] = {
        { "Number of LLC packets", st->llc_packets, packets },
        { "Number of ARP packets", st->arp_packets, packets },
        { "Number of RARP packets", st->rarp_packets, packets },
        { "Number of GRE packets", st->gre_packets, packets },
        { "Number of Teredo packets", st->teredo_packets, packets },
        { "Number of AYIYA packets", st->ayiya_packets, packets },
        { "Number of IGMP packets", numPacketsL3[IPPROTO_T_IGMP], packets },
        { "Number of ICMP packets", numPacketsL3[IPPROTO_T_ICMP], packets },
        { "Number of ICMPv6 packets", numPacketsL3[IPPROTO_T_ICMPV6], packets },
        { "Number of TCP packets", numPacketsL3[IPPROTO_T_TCP], packets },
        { "Number of TCP bytes", numBytesL3[IPPROTO_T_TCP], bytes },
        { "Number of UDP packets", numPacketsL3[IPPROTO_T_UDP], packets },
        { "Number of UDP bytes", numBytesL3[IPPROTO_T_UDP], bytes },
        { "Number of SCTP packets", sctp ? numPacketsL3[IPPROTO_T_SCTP] : 0, packets },
        { "Number of SCTP bytes", sctp ? numBytesL3[IPPROTO_T_SCTP] : 0, bytes },
        { "Number of DTLS packets", ds->dtls_packets, packets },
        { "Number of IPv4 fragmented packets", fs->frag_v4, (double)numV4Packets },
        { "Number of IPv6 fragmented packets", fs->frag_v6 + ds->frag_v6_headers, (double)numV6Packets },
    };
    COUNT_LINES(f, lines);
}

/* Flows per kind and direction, their asymmetry and packets per flow. */
static void print_flows(FILE *f, const flow_stats_t *fs)
{
    const uint64_t total = fs->a_flows + fs->b_flows;
    if (total == 0) return;
    const double flows = (double)total;
    const double a_flows = (double)fs->a_flows, b_flows = (double)fs->b_flows;
    /* a B flow without its A flow counts as a reply to a request not seen */
    const double requests = a_flows - (double)fs->lonely_replies;
    const double replies = b_flows + (double)fs->lonely_replies;
    report_num_if(f, "Number of processed      flows", total);
    const count_line_t lines[] = {
        { "Number of processed L2   flows", fs->l2_flows, flows },
        { "Number of processed IPv4 flows", fs->ipv4_flows, flows },
        { "Number of processed IPv6 flows", fs->ipv6_flows, flows },
        { "Number of processed A    flows", fs->a_flows, flows },
        { "Number of processed B    flows", fs->b_flows, flows },
        { "Number of request        flows", report_u64_of(requests), flows },
        { "Number of reply          flows", report_u64_of(replies), flows },
    };
    COUNT_LINES(f, lines);
    fprintf(f, "Total   A/B    flow asymmetry: %.2f\n", (a_flows - b_flows) / flows);
    fprintf(f, "Total req/rply flow asymmetry: %.2f\n", (requests - replies) / flows);
    const uint64_t ab_packets = numAPackets + numBPackets;
    if (ab_packets > 0) print_value(f, "Number of processed A+B packets/A+B flows", (double)ab_packets / flows);
    if (fs->a_flows > 0) print_value(f, "Number of processed A   packets/A   flows", (double)numAPackets / a_flows);
    if (fs->b_flows > 0) print_value(f, "Number of processed   B packets/  B flows", (double)numBPackets / b_flows);
}

static void print_packet_rates(FILE *f, double span)
{
    if (span <= 0) return;
    print_value(f, "Number of processed total packets/s", (double)numPackets / span);
    if (numAPackets + numBPackets == 0) return;
    print_value(f, "Number of processed A+B   packets/s", (double)(numAPackets + numBPackets) / span);
    if (numAPackets > 0) print_value(f, "Number of processed A     packets/s", (double)numAPackets / span);
    if (numBPackets > 0) print_value(f, "Number of processed   B   packets/s", (double)numBPackets / span);
}

static void print_bandwidths(FILE *f, const run_stats_t *st, const dissect_stats_t *ds,
                             const flow_stats_t *fs, double span)
{
    if (span <= 0) return;
    print_value(f, "<Number of processed flows/s>", (double)(fs->a_flows + fs->b_flows) / span);
    print_bit_rate(f, "<Bandwidth>", (double)ds->bytes_on_wire / span);
    if (globalWarn & (FS_L2_SNAPPED | FS_L3_SNAPPED)) {
        print_bit_rate(f, "<Snapped bandwidth>", (double)bytesProcessed / span);
    }
    print_bit_rate(f, "<Raw bandwidth>", (double)st->raw_bytes / span);
}

/* Peak resident set size in KiB (0 if unknown).  ru_maxrss is counted in
 * KiB on Linux and the BSDs, in bytes on macOS. */
static double peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
#if defined(__APPLE__)
    return (double)ru.ru_maxrss / 1024.0;
#else
    return (double)ru.ru_maxrss;
#endif
}

/* Physical memory in bytes, 0 where the system does not say:
 * _SC_PHYS_PAGES is an extension (Linux, the BSDs, macOS), not POSIX. */
static double physical_memory(void)
{
#if defined(_SC_PHYS_PAGES)
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    if (pages > 0 && page_size > 0) return (double)pages * (double)page_size;
#endif
    return 0;
}

/* The alarms plugins reported (T2_REPORT_ALARMS), if any: "[WRN] 12
 * alarms in 3 flows [p%]", of all flows, as T2 words it. */
static void print_alarms(FILE *f, const flow_stats_t *fs)
{
    if (numAlarms == 0) return;
    char alarms[64], in_flows[64];
    report_readable(alarms, sizeof(alarms), numAlarms, NULL);
    report_readable(in_flows, sizeof(in_flows), numAlarmFlows, NULL);
    const double share = 100.0 * (double)numAlarmFlows / (double)(fs->a_flows + fs->b_flows);
    fprintf(f, "[WRN] %" PRIu64 "%s alarms in %" PRIu64 "%s flows [%.2f%%]\n",
            numAlarms, alarms, numAlarmFlows, in_flows, share);
}

/* Peak resident memory, and its share of the machine's. */
static void print_memory(FILE *f)
{
    const double max_rss = peak_rss_kib(), memory = physical_memory();
    fprintf(f, "Memory usage: %.2f GB [%.2f%%]\n", max_rss / 1000000.0,
            memory > 0 ? 100.0 * max_rss * 1000.0 / memory : 0.0);
}

void endreport_print(FILE *f, const run_stats_t *st, const flow_table_t *ft,
                     const dissect_stats_t *ds, uint64_t file_size, double elapsed)
{
    const flow_stats_t *fs = &ft->stats;
    print_input(f, st, file_size, elapsed);
    print_directions(f, st, ds);
    fputs(REPORT_RULE, f);
    print_plugin_reports(f);
    fputs(REPORT_RULE, f);
    print_protocols(f, st, ds, fs);
    fputs(WAVES, f);
    print_flows(f, fs);
    const double span = capture_seconds(st);
    print_packet_rates(f, span);
    fputs(WAVES, f);
    print_bandwidths(f, st, ds, fs, span);
    report_nump_if(f, "Max number of flows in memory", fs->live_peak, (double)ft->capacity);
    report_nump_if(f, "Number of flows terminated by autopilot", fs->evicted,
                   (double)(fs->a_flows + fs->b_flows));
    print_memory(f);
    fprintf(f, "Aggregated flowStat=0x%016" PRIx64 "\n", globalWarn);
    print_alarms(f, fs);
    print_capture_notes(f, globalWarn);
}

/* The report's counters of what the header walk found. */
void endreport_count_packet(run_stats_t *st, const packet_t *p)
{
    globalWarn |= p->status;
    if (p->hasLLC) st->llc_packets++;
    if (p->status & FS_IPV4_FLOW) numV4Packets++;
    else if (p->status & FS_IPV6_FLOW) numV6Packets++;
    if (p->status & FS_IPVX) st->vx_packets++;
    if (p->status & FS_TEREDO) st->teredo_packets++;
    if (p->status & FS_AYIYA) st->ayiya_packets++;
    if (p->status & FS_GRE) st->gre_packets++;
    if (p->numHdrs > st->max_hdrs) st->max_hdrs = p->numHdrs;
    if (p->numHdrs < st->min_hdrs) st->min_hdrs = p->numHdrs;
    /* T2QUIRK: a running average in single precision, as T2 keeps it */
    const float w = (float)(1.0 / (double)numPackets);
    st->avg_hdrs = (float)((1.0 - w) * st->avg_hdrs + w * (float)p->numHdrs);
}
