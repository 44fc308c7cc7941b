/*
 * out_endreport.h - the core's part of T2's end report on stdout.
 *
 * T2 prints "Dump start:" at the first record and, after the last one,
 * "Dump stop", the dump duration and the report proper: the counters below
 * (named after T2's where they are T2's), each plugin's lines (their
 * t2PluginReport callbacks), the flow counts, rates and bandwidths, and the
 * list of what the aggregated flowStat says the capture held.  Number
 * formats are in out_report.h.
 */
#ifndef T2MINI_ENDREPORT_H
#define T2MINI_ENDREPORT_H

#include <stdint.h>
#include <stdio.h>

#include "dissect.h"
#include "flow_table.h"
#include "t2stats.h"

/* Counters of a run, kept by t2mini.c as the records go by; those T2
 * shares with its plugins are T2's globals (t2stats.h: numPackets,
 * bytesProcessed, numV4Packets, numABytes, numBytesL3, ...). */
typedef struct {
    uint64_t raw_bytes;          /* bytes on the wire */
    uint64_t pad_bytes;
    uint64_t l2_packets, vx_packets;
    uint64_t llc_packets, gre_packets, teredo_packets, ayiya_packets;
    uint64_t arp_packets, rarp_packets;
    uint16_t min_hdrs, max_hdrs;
    float avg_hdrs;
    uint64_t firstSec, lastSec; /* first and last record time */
    int64_t firstNsec, lastNsec;
    uint32_t list_files;         /* -R: files in the list (T2 counts a file
                                   header for each in the share read) */
} run_stats_t;

/* T2QUIRK: T2 takes what it has read of its input to be 24 bytes (a pcap
 * file header) a file, the captured bytes and 16 bytes (a pcap record
 * header) a record, whatever the format (pcapng too): the share read, the
 * progress line and the hash-table advice all use this estimate. */
static inline uint64_t run_bytes_read(uint64_t files)
{
    return 24 * files + bytesProcessed + 16 * numPackets;
}

/* The counters of what the header walk found in packet p. */
void endreport_count_packet(run_stats_t *st, const packet_t *p);

/* "PREFIXsec.nsec sec (Thu 14 Mar 2024 11:00:00 GMT)", in UTC or local time */
void endreport_date(FILE *f, const char *prefix, uint64_t sec, int64_t nsec, int utc);

/* "PREFIX1.758106000 sec (2m 3s)": a duration, borrowing a second once
 * for a negative sub-second part as T2 does */
void endreport_span(FILE *f, const char *prefix, int64_t sec, int64_t nsec);

/* The report from "Finished unloading flow memory." on (T2's
 * t2_print_report); `elapsed` is the run time so far. */
void endreport_print(FILE *f, const run_stats_t *st, const flow_table_t *ft,
                     const dissect_stats_t *ds, uint64_t file_size, double elapsed);

#endif
