/*
 * out_endreport.c - the core's part of T2's end report (see out_endreport.h).
 */
#include "out_endreport.h"

#include <inttypes.h>
#include <stddef.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "packet.h"
#include "out_report.h"
#include "t2plugin.h"

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

/* "1.758106000 sec (2m 3s)" */
void endreport_span(FILE *f, const char *prefix, int64_t sec, int64_t nsec)
{
    if (nsec < 0) {
        sec--;
        nsec += 1000000000;
    }
    const uint32_t s = (uint32_t)sec;
    const unsigned years = (unsigned)(s / 3600. / 24. / 365.);
    const unsigned days = (unsigned)(s / 3600. / 24. - years * 365);
    const unsigned hours = (unsigned)(uint8_t)(s / 3600. - years * 365 * 24 - days * 24);
    const unsigned mins = (unsigned)(uint8_t)(s / 60. - hours * 60 - days * 24 * 60 - years * 365 * 24 * 60);
    const unsigned secs = s % 60;
    fprintf(f, "%s%" PRIu32 ".%09" PRId64 " sec", prefix, s, nsec);
    if (years + days + hours + mins) {
        fputs(" (", f);
        if (years) fprintf(f, "%uy", years);
        if (days) fprintf(f, "%s%ud", years ? " " : "", days);
        if (hours) fprintf(f, "%s%uh", years || days ? " " : "", hours);
        if (mins) fprintf(f, "%s%um", years || days || hours ? " " : "", mins);
        if (secs) fprintf(f, " %us", secs);
        fputc(')', f);
    }
    fputc('\n', f);
}

/* "label: 1234.56 (1.23 K)": a rate or an average */
static void log_value(FILE *f, const char *label, double v)
{
    char h[64];
    report_readable(h, sizeof(h), report_u64_of(v), NULL);
    fprintf(f, "%s: %.2f%s\n", label, v, h);
}

static void log_speed(FILE *f, const char *label, double bytesPerSec)
{
    const double bits = bytesPerSec * 8.0;
    char h[64];
    report_readable(h, sizeof(h), report_u64_of(bits), "b/s");
    fprintf(f, "%s: %.0f b/s%s\n", label, bits, h);
}

/* T2's end-of-report list of what the capture contained. */
static void log_global_warnings(FILE *f, uint64_t w)
{
    static const struct { uint64_t bits; const char *text; int warn; } notes[] = {
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
    for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++) {
        if (w & notes[i].bits) fprintf(f, "%s %s\n", notes[i].warn ? "[WRN]" : "[INF]", notes[i].text);
    }
}

static const char *const RULE = "--------------------------------------------------------------------------------\n";
static const char *const WAVES = "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n";

void endreport_print(FILE *f, const run_stats_t *st, const flow_table_t *ft,
                     const dissect_stats_t *ds, uint64_t fileSize, double elapsed)
{
    const flow_stats_t *fs = &ft->stats;

    fprintf(f, "Finished unloading flow memory. Time: %.9f sec\n", elapsed);
    if (fileSize) {
        const float done = 100.0f * (float)(24 + st->bytesProcessed + 16 * st->packets);
        fprintf(f, "Percentage completed: %.2f%%\n", (double)done / (double)fileSize);
    }
    report_num_if(f, "Number of processed packets", st->packets);
    report_num_if(f, "Number of processed bytes", st->bytesProcessed);
    report_num_if(f, "Number of raw bytes", st->rawBytes);
    report_num_if(f, "Number of pad bytes", st->padBytes);
    report_num_if(f, "Number of pcap bytes", fileSize);

    const double packets = (double)st->packets;
    report_nump_if(f, "Number of L2 packets", st->l2Packets, packets);
    report_nump_if(f, "Number of IPv4 packets", st->v4Packets, packets);
    report_nump_if(f, "Number of IPv6 packets", st->v6Packets, packets);
    report_nump_if(f, "Number of IPvX packets", st->vxPackets + ds->ipvxPackets, packets);

    const uint64_t abPackets = st->aPackets + st->bPackets;
    const uint64_t abBytes = st->aBytes + st->bBytes;
    if (st->packets != abPackets && abPackets > 0) {
        report_nump_if(f, "Number of packets without flow", st->packets - abPackets, packets);
    }
    report_nump_if(f, "Number of A packets", st->aPackets, (double)abPackets);
    report_nump_if(f, "Number of B packets", st->bPackets, (double)abPackets);
    report_nump_if(f, "Number of A bytes", st->aBytes, (double)abBytes);
    report_nump_if(f, "Number of B bytes", st->bBytes, (double)abBytes);
    log_value(f, "<A packet load>", st->aPackets ? (double)st->aBytes / (double)st->aPackets : 0.0);
    log_value(f, "<B packet load>", st->bPackets ? (double)st->bBytes / (double)st->bPackets : 0.0);

    fputs(RULE, f);
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2PluginReport) t2Plugins[i]->t2PluginReport(f);
    }
    fputs(RULE, f);

    const uint64_t w = st->globalWarn;
    fprintf(f, "Headers count: min: %u, max: %u, avg: %.2f\n", (unsigned)st->minHdrs,
            (unsigned)st->maxHdrs, (double)st->avgHdrs);
    if (w & FS_VLAN) fprintf(f, "Max VLAN header count: %u\n", (unsigned)ds->maxVlanCount);
    if (w & (FS_MPLS_UCAST | FS_MPLS_MCAST)) fprintf(f, "Max MPLS header count: %u\n", (unsigned)ds->maxMplsCount);
    report_nump_if(f, "Number of LLC packets", st->llcPackets, packets);
    report_nump_if(f, "Number of ARP packets", st->arpPackets, packets);
    report_nump_if(f, "Number of RARP packets", st->rarpPackets, packets);
    report_nump_if(f, "Number of GRE packets", st->grePackets, packets);
    report_nump_if(f, "Number of Teredo packets", st->teredoPackets, packets);
    report_nump_if(f, "Number of AYIYA packets", st->ayiyaPackets, packets);
    report_nump_if(f, "Number of IGMP packets", numPacketsL3[IPPROTO_T_IGMP], packets);
    report_nump_if(f, "Number of ICMP packets", numPacketsL3[IPPROTO_T_ICMP], packets);
    report_nump_if(f, "Number of ICMPv6 packets", numPacketsL3[IPPROTO_T_ICMPV6], packets);
    report_nump_if(f, "Number of TCP packets", numPacketsL3[IPPROTO_T_TCP], packets);
    report_nump_if(f, "Number of TCP bytes", st->bytesL3[IPPROTO_T_TCP], (double)st->bytesProcessed);
    report_nump_if(f, "Number of UDP packets", numPacketsL3[IPPROTO_T_UDP], packets);
    report_nump_if(f, "Number of UDP bytes", st->bytesL3[IPPROTO_T_UDP], (double)st->bytesProcessed);
    if (w & FS_SCTP) {
        report_nump_if(f, "Number of SCTP packets", numPacketsL3[IPPROTO_T_SCTP], packets);
        report_nump_if(f, "Number of SCTP bytes", st->bytesL3[IPPROTO_T_SCTP], (double)st->bytesProcessed);
    }
    report_nump_if(f, "Number of DTLS packets", ds->dtlsPackets, packets);
    report_nump_if(f, "Number of IPv4 fragmented packets", fs->fragV4, (double)st->v4Packets);
    report_nump_if(f, "Number of IPv6 fragmented packets", fs->fragV6 + ds->fragV6Headers,
                   (double)st->v6Packets);
    fputs(WAVES, f);

    const uint64_t totalFlows = fs->aFlows + fs->bFlows;
    const double flowsD = (double)totalFlows;
    if (totalFlows > 0) {
        const double aFlows = (double)fs->aFlows, bFlows = (double)fs->bFlows;
        const double requests = aFlows - (double)fs->lonelyReplies;
        const double replies = bFlows + (double)fs->lonelyReplies;
        report_num_if(f, "Number of processed      flows", totalFlows);
        report_nump_if(f, "Number of processed L2   flows", fs->l2Flows, flowsD);
        report_nump_if(f, "Number of processed IPv4 flows", fs->ipv4Flows, flowsD);
        report_nump_if(f, "Number of processed IPv6 flows", fs->ipv6Flows, flowsD);
        report_nump_if(f, "Number of processed A    flows", fs->aFlows, flowsD);
        report_nump_if(f, "Number of processed B    flows", fs->bFlows, flowsD);
        report_nump_if(f, "Number of request        flows", report_u64_of(requests), flowsD);
        report_nump_if(f, "Number of reply          flows", report_u64_of(replies), flowsD);
        fprintf(f, "Total   A/B    flow asymmetry: %.2f\n", (aFlows - bFlows) / flowsD);
        fprintf(f, "Total req/rply flow asymmetry: %.2f\n", (requests - replies) / flowsD);
        if (abPackets > 0) log_value(f, "Number of processed A+B packets/A+B flows", (double)abPackets / flowsD);
        if (fs->aFlows > 0) log_value(f, "Number of processed A   packets/A   flows", (double)st->aPackets / aFlows);
        if (fs->bFlows > 0) log_value(f, "Number of processed   B packets/  B flows", (double)st->bPackets / bFlows);
    }

    int64_t dSec = (int64_t)(st->lastSec - st->firstSec);
    int64_t dNsec = st->lastNsec - st->firstNsec;
    if (dNsec < 0) {
        dSec--;
        dNsec += 1000000000;
    }
    const double span = (double)dSec + (double)dNsec / 1e9;
    if (span > 0) {
        log_value(f, "Number of processed total packets/s", packets / span);
        if (abPackets > 0) {
            log_value(f, "Number of processed A+B   packets/s", (double)abPackets / span);
            if (st->aPackets > 0) log_value(f, "Number of processed A     packets/s", (double)st->aPackets / span);
            if (st->bPackets > 0) log_value(f, "Number of processed   B   packets/s", (double)st->bPackets / span);
        }
    }
    fputs(WAVES, f);

    if (span > 0) {
        log_value(f, "<Number of processed flows/s>", flowsD / span);
        log_speed(f, "<Bandwidth>", (double)ds->bytesOnWire / span);
        if (w & (FS_L2_SNAPPED | FS_L3_SNAPPED)) {
            log_speed(f, "<Snapped bandwidth>", (double)st->bytesProcessed / span);
        }
        log_speed(f, "<Raw bandwidth>", (double)st->rawBytes / span);
    }
    report_nump_if(f, "Max number of flows in memory", fs->livePeak, (double)ft->capacity);
    report_nump_if(f, "Number of flows terminated by autopilot", fs->evicted, flowsD);

    struct rusage ru;
    double maxrss = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0) maxrss = (double)ru.ru_maxrss;   /* KiB on Linux */
    const long pages = sysconf(_SC_PHYS_PAGES), pageSize = sysconf(_SC_PAGESIZE);
    const double mem = pages > 0 && pageSize > 0 ? (double)pages * (double)pageSize : 0;
    fprintf(f, "Memory usage: %.2f GB [%.2f%%]\n", maxrss / 1000000.0,
            mem > 0 ? 100.0 * maxrss * 1000.0 / mem : 0.0);
    fprintf(f, "Aggregated flowStat=0x%016" PRIx64 "\n", w);
    log_global_warnings(f, w);
}
