/*
 * read_capture.h - step 1 of the pipeline: reading capture files with libpcap.
 *
 * The only file that talks to libpcap.  It opens pcap (microsecond or
 * nanosecond) and pcapng files, asks for nanosecond time stamps as T2 does,
 * and hands out records one by one.
 */
#ifndef T2MINI_CAPTURE_H
#define T2MINI_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct capture capture_t;

typedef struct {
    uint64_t sec;
    int64_t nsec;               /* signed and unbounded, as libpcap hands it
                                   over: T2 shows what a file holds */
    uint32_t caplen;            /* bytes captured */
    uint32_t len;               /* bytes on the wire */
    uint32_t file_caplen;        /* captured length the file claimed: libpcap
                                   cuts records to the snapshot length */
    const uint8_t *bytes;
    uint32_t tail;              /* bytes of libpcap's buffer after the
                                   record that its block put there */
    const uint8_t *stale;       /* pcapng: what the blocks read since the last
                                   record left in that buffer, seen from the
                                   record's data (read_blocks.h) */
    uint32_t stale_len;
} record_t;

/* The record as libpcap's header, for T2's plugins (packet->pcapHdrP):
 * its time (nanoseconds in tv_usec, as T2 reads -r files) and lengths;
 * good until the next call. */
struct pcap_pkthdr;
const struct pcap_pkthdr *capture_pcap_header(const record_t *r);

/* Time stamp precision a capture is read with.  T2 reads -r files with
 * nanosecond time stamps, but the files of a list (-R) or a series (-D)
 * with libpcap's default, microseconds, which it then prints as if they
 * were nanoseconds: CAPTURE_MICRO hands out those microseconds in nsec. */
enum { CAPTURE_NANO, CAPTURE_MICRO };

/* Open a capture file ("-": standard input); NULL with a message in `err`
 * on failure. */
capture_t *capture_open(const char *path, int precision, char *err, size_t errLen);

/* Open a network interface for live capture, promiscuous, with nanosecond
 * time stamps, snapshot length and kernel buffer size in bytes (0: libpcap's
 * default); NULL with a message in `err` on failure. */
capture_t *capture_open_live(const char *iface, int snaplen, int buf_size, char *err, size_t errLen);

/* Keep only the packets the BPF expression accepts; -1 with libpcap's
 * message in `err` when it does not compile or cannot be set. */
int capture_set_filter(capture_t *c, const char *expr, char *err, size_t errLen);

/* Write every record read from now on to `path` as well (pcap, with the
 * capture's link type, snapshot length and time stamp precision); -1 with
 * libpcap's message in `err`. */
int capture_dump_to(capture_t *c, const char *path, char *err, size_t errLen);

/* Live capture: packets received, dropped by the kernel and by the
 * interface so far, as libpcap counts them (-1 if it cannot tell). */
int capture_stats(capture_t *c, uint64_t *received, uint64_t *kernel, uint64_t *iface);

/* Open a capture held by a stdio stream (the fuzzer's memory file); the
 * capture owns the stream from then on, even on failure. */
capture_t *capture_open_stream(FILE *f, int precision, char *err, size_t errLen);

void capture_close(capture_t *c);

/* 1 when the capture hands out nanoseconds, 0 for microseconds (a live
 * capture where the system has no nanosecond time stamps). */
int capture_nanoseconds(const capture_t *c);

/* The capture's LINKTYPE_ value (-1 if libpcap's type has none known),
 * its snapshot length, libpcap's DLT_ number for the type, and libpcap's
 * name and description of it. */
int capture_linktype(const capture_t *c);
int capture_snaplen(const capture_t *c);
int capture_dlt(const capture_t *c);
const char *capture_linktype_name(const capture_t *c);
const char *capture_linktype_desc(const capture_t *c);

/* libpcap's name and description of any DLT_ number, NULL when it has
 * none (for a link type named inside a record, as PPI does). */
const char *dlt_name(int dlt);
const char *dlt_description(int dlt);

/* Next record: 1, or 0 at the end, or -1 when reading failed (the reason
 * is capture_error()); live, CAPTURE_IDLE when no packet came within
 * `wait_ms` milliseconds or a signal arrived (files ignore wait_ms).  In a pcapng file the next call goes on after the
 * bad block, as T2 does, as long as reading makes progress; in a pcap file
 * the first failure ends the capture. */
#define CAPTURE_IDLE 2
int capture_next(capture_t *c, record_t *r, int wait_ms);
const char *capture_error(const capture_t *c);

/* libpcap's version string. */
const char *capture_lib_version(void);

#endif
