/*
 * read_capture.c - reading capture files with libpcap (see read_capture.h).
 */

/* pcap.h uses the BSD types u_char and u_int, which strict POSIX hides. */
#define _DEFAULT_SOURCE 1
#define _DARWIN_C_SOURCE 1

#include "read_capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "dissect.h"

#define CAPTURE_READ_BUFFER (1u << 20)

struct capture {
    pcap_t *pc;
    int dlt;
    int pcapng;         /* pcapng (blocks) rather than pcap (records) */
    long errorPos;      /* read position at the last failure, or -1 */
    long expectPos;     /* pcap: where the next record should start */
    int snaplen;
    int stuck;          /* stop reading: nothing sensible follows */
    char *readBuffer;   /* the stdio buffer of the file, freed after it */
};

static capture_t *wrap(pcap_t *pc, int pcapng, const char *pcapErr, char *err, size_t errLen)
{
    if (!pc) {
        snprintf(err, errLen, "%s", pcapErr);
        return NULL;
    }
    capture_t *c = malloc(sizeof(*c));
    if (!c) {
        pcap_close(pc);
        snprintf(err, errLen, "out of memory");
        return NULL;
    }
    c->pc = pc;
    c->dlt = pcap_datalink(pc);
    c->pcapng = pcapng;
    c->errorPos = -1;
    c->expectPos = 24;
    c->snaplen = pcap_snapshot(pc);
    c->stuck = 0;
    c->readBuffer = NULL;
    return c;
}

/* pcapng files start with a section header block, type 0x0a0d0d0a. */
static int is_pcapng(FILE *f)
{
    unsigned char magic[4] = { 0, 0, 0, 0 };
    const size_t n = fread(magic, 1, sizeof(magic), f);
    rewind(f);
    return n == 4 && magic[0] == 0x0a && magic[1] == 0x0d && magic[2] == 0x0d && magic[3] == 0x0a;
}

capture_t *capture_open_stream(FILE *f, char *err, size_t errLen)
{
    char pcapErr[PCAP_ERRBUF_SIZE] = "";
    const int pcapng = is_pcapng(f);
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, pcapErr);
    if (!pc) fclose(f);
    return wrap(pc, pcapng, pcapErr, err, errLen);
}

capture_t *capture_open(const char *path, char *err, size_t errLen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errLen, "%s", strerror(errno));
        return NULL;
    }
    /* libpcap reads each record with two small freads; a large stdio
     * buffer turns them into one read(2) per megabyte, not per 4 KiB
     * (glibc ignores the size unless it is given the buffer too) */
    char *readBuffer = malloc(CAPTURE_READ_BUFFER);
    if (readBuffer) setvbuf(f, readBuffer, _IOFBF, CAPTURE_READ_BUFFER);
    capture_t *c = capture_open_stream(f, err, errLen);
    if (c) c->readBuffer = readBuffer;
    else free(readBuffer);
    return c;
}

void capture_close(capture_t *c)
{
    if (!c) return;
    pcap_close(c->pc);                  /* closes the file */
    free(c->readBuffer);
    free(c);
}

int capture_linktype(const capture_t *c)
{
    switch (c->dlt) {
        case DLT_NULL: return LINKTYPE_NULL;
        case DLT_EN10MB: return LINKTYPE_ETHERNET;
        case DLT_PPP: return LINKTYPE_PPP;
        case DLT_PPP_SERIAL: return LINKTYPE_PPP_HDLC;
        case DLT_RAW: return LINKTYPE_RAW;
        case DLT_C_HDLC: return LINKTYPE_C_HDLC;
        case DLT_FRELAY: return LINKTYPE_FRELAY;
        case DLT_LINUX_SLL: return LINKTYPE_LINUX_SLL;
        case DLT_IEEE802_11: return LINKTYPE_IEEE802_11;
        case DLT_IEEE802_11_RADIO: return LINKTYPE_IEEE802_11_RADIOTAP;
        case DLT_PRISM_HEADER: return LINKTYPE_IEEE802_11_PRISM;
        case DLT_PPI: return LINKTYPE_PPI;
        case DLT_SYMANTEC_FIREWALL: return LINKTYPE_SYMANTEC_FIREWALL;
        case DLT_JUNIPER_ATM1: return LINKTYPE_JUNIPER_ATM1;
        case DLT_JUNIPER_ETHER: return LINKTYPE_JUNIPER_ETHER;
        case DLT_JUNIPER_PPPOE: return LINKTYPE_JUNIPER_PPPOE;
#ifdef DLT_LINUX_SLL2
        case DLT_LINUX_SLL2: return LINKTYPE_LINUX_SLL2;
#endif
        case DLT_PPP_WITH_DIR: return LINKTYPE_PPP_WITH_DIR;
        case DLT_C_HDLC_WITH_DIR: return LINKTYPE_C_HDLC_WITH_DIR;
        case DLT_FRELAY_WITH_DIR: return LINKTYPE_FRELAY_WITH_DIR;
#ifdef DLT_IPV4
        case DLT_IPV4: return LINKTYPE_IPV4;
        case DLT_IPV6: return LINKTYPE_IPV6;
#endif
#ifdef DLT_ETHERNET_MPACKET
        case DLT_ETHERNET_MPACKET: return LINKTYPE_ETHERNET_MPACKET;
#endif
        default: return -1;
    }
}

int capture_snaplen(const capture_t *c)
{
    return pcap_snapshot(c->pc);
}

int capture_dlt(const capture_t *c)
{
    return c->dlt;
}

const char *capture_linktype_name(const capture_t *c)
{
    const char *s = pcap_datalink_val_to_name(c->dlt);
    return s ? s : "?";
}

const char *capture_linktype_desc(const capture_t *c)
{
    const char *s = pcap_datalink_val_to_description(c->dlt);
    return s ? s : "unknown";
}

const char *dlt_name(int dlt)
{
    return pcap_datalink_val_to_name(dlt);
}

const char *dlt_description(int dlt)
{
    return pcap_datalink_val_to_description(dlt);
}

int capture_next(capture_t *c, record_t *r)
{
    struct pcap_pkthdr *h;
    const u_char *bytes;
    if (c->stuck) return 0;
    const int rc = pcap_next_ex(c->pc, &h, &bytes);
    if (rc == 1) {
        r->sec = (uint64_t)h->ts.tv_sec;
        r->nsec = (int64_t)h->ts.tv_usec;   /* nanoseconds: opened with NANO precision */
        r->caplen = h->caplen;
        r->len = h->len;
        r->fileCaplen = h->caplen;
        r->bytes = bytes;
        if (!c->pcapng) {
            /* a record cut to the snapshot length may have been longer in
             * the file: the read position tells */
            c->expectPos += 16 + (long)h->caplen;
            if ((int)h->caplen == c->snaplen) {
                FILE *f = pcap_file(c->pc);
                const long pos = f ? ftell(f) : -1;
                if (pos > c->expectPos) r->fileCaplen += (uint32_t)(pos - c->expectPos);
                if (pos >= 0) c->expectPos = pos;
            }
        }
        return 1;
    }
    if (rc == PCAP_ERROR_BREAK) return 0;
    /* A bad record: T2 keeps reading where libpcap stopped (in a pcap
     * file, right after the bad record header, so what follows is read as
     * the next header; in a pcapng file, at the next block) until the end
     * of the file.  Each failure moves the read position on; if one ever
     * does not, stop rather than spin. */
    FILE *f = pcap_file(c->pc);
    const long pos = f ? ftell(f) : -1;
    if (pos < 0 || pos == c->errorPos) c->stuck = 1;
    c->errorPos = pos;
    c->expectPos = pos;
    return -1;
}

const char *capture_error(const capture_t *c)
{
    return pcap_geterr(c->pc);
}

const char *capture_lib_version(void)
{
    return pcap_lib_version();
}
