/*
 * bench/floor.c - the read half of t2mini's I/O floor: open a capture with
 * libpcap (nanosecond time stamps, as t2mini does) and fetch every record
 * with pcap_next_ex(), touching nothing but the record header.
 *
 *   floor [-b BYTES] CAPTURE      prints "records bytes"
 *
 * Plain, it is the smallest libpcap reader: pcap_open_offline() and stdio's
 * default buffer (the floor).  With -b it reads through a stdio
 * buffer of BYTES, as t2mini's read_capture.c does (1 MiB), which makes it a
 * stricter floor: what reading costs at best.
 */
#define _DEFAULT_SOURCE 1

#include <errno.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    size_t bufferSize = 0;
    int arg = 1;
    if (argc == 4 && strcmp(argv[1], "-b") == 0) {
        bufferSize = (size_t)strtoul(argv[2], NULL, 10);
        arg = 3;
    } else if (argc != 2) {
        fputs("usage: floor [-b BYTES] CAPTURE\n", stderr);
        return 2;
    }
    const char *path = argv[arg];
    char err[PCAP_ERRBUF_SIZE] = "";
    char *readBuffer = NULL;
    pcap_t *pc;
    if (bufferSize) {
        FILE *f = fopen(path, "rb");
        if (!f) {
            fprintf(stderr, "floor: %s: %s\n", path, strerror(errno));
            return 1;
        }
        readBuffer = malloc(bufferSize);
        if (readBuffer) setvbuf(f, readBuffer, _IOFBF, bufferSize);
        pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, err);
    } else {
        pc = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, err);
    }
    if (!pc) {
        fprintf(stderr, "floor: %s: %s\n", path, err);
        return 1;
    }
    struct pcap_pkthdr *h;
    const u_char *bytes;
    uint64_t records = 0, caplen = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &bytes)) == 1) {
        records++;
        caplen += h->caplen;
    }
    if (rc != PCAP_ERROR_BREAK) fprintf(stderr, "floor: %s: %s\n", path, pcap_geterr(pc));
    pcap_close(pc);
    free(readBuffer);
    printf("%llu %llu\n", (unsigned long long)records, (unsigned long long)caplen);
    return 0;
}
