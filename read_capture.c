/*
 * read_capture.c - reading capture files with libpcap (see read_capture.h).
 */

/* pcap.h uses the BSD types u_char and u_int, which strict POSIX hides. */
#define _DEFAULT_SOURCE 1
#define _DARWIN_C_SOURCE 1

#include "read_capture.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
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
    int live;           /* an interface, not a file */
    pcap_dumper_t *dump;/* a copy of every record goes here, or NULL */
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
    c->live = 0;
    c->dump = NULL;
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

capture_t *capture_open_stream(FILE *f, int precision, char *err, size_t errLen)
{
    char pcapErr[PCAP_ERRBUF_SIZE] = "";
    const int pcapng = is_pcapng(f);
    const int prec = precision == CAPTURE_MICRO ? PCAP_TSTAMP_PRECISION_MICRO
                                                : PCAP_TSTAMP_PRECISION_NANO;
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, prec, pcapErr);
    if (!pc) fclose(f);
    return wrap(pc, pcapng, pcapErr, err, errLen);
}

/* Standard input cannot be rewound to look at its first bytes: libpcap
 * tells pcap from pcapng itself, and only the pcap reader needs to know. */
static capture_t *open_stdin(int precision, char *err, size_t errLen)
{
    char pcapErr[PCAP_ERRBUF_SIZE] = "";
    const int prec = precision == CAPTURE_MICRO ? PCAP_TSTAMP_PRECISION_MICRO
                                                : PCAP_TSTAMP_PRECISION_NANO;
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(stdin, prec, pcapErr);
    capture_t *c = wrap(pc, 0, pcapErr, err, errLen);
    if (c && pcap_major_version(pc) != 2) c->pcapng = 1;   /* pcapng says 1 */
    return c;
}

capture_t *capture_open(const char *path, int precision, char *err, size_t errLen)
{
    if (strcmp(path, "-") == 0) return open_stdin(precision, err, errLen);
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
    capture_t *c = capture_open_stream(f, precision, err, errLen);
    if (c) c->readBuffer = readBuffer;
    else free(readBuffer);
    return c;
}

/* Each setting in the order libpcap wants them, before activation; the
 * first failure is the message. */
static int configure_live(pcap_t *pc, int snaplen, int bufSize)
{
    if (pcap_set_snaplen(pc, snaplen) != 0) return -1;
    if (pcap_set_promisc(pc, 1) != 0) return -1;
    if (pcap_set_timeout(pc, 100) != 0) return -1;      /* ms: lines go out promptly */
    /* nanoseconds where the system has them, as T2 asks (not fatal) */
    (void)pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
    if (bufSize > 0 && pcap_set_buffer_size(pc, bufSize) != 0) return -1;
    return 0;
}

capture_t *capture_open_live(const char *iface, int snaplen, int bufSize, char *err, size_t errLen)
{
    char pcapErr[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_create(iface, pcapErr);
    if (!pc) {
        snprintf(err, errLen, "%s", pcapErr);
        return NULL;
    }
    const int rc = configure_live(pc, snaplen, bufSize) == 0 ? pcap_activate(pc) : PCAP_ERROR;
    if (rc < 0) {
        /* a warning (> 0) is not a failure; libpcap's own text says why */
        const char *why = pcap_geterr(pc);
        snprintf(err, errLen, "%s", why && *why ? why : pcap_statustostr(rc));
        pcap_close(pc);
        return NULL;
    }
    if (pcap_setnonblock(pc, 1, pcapErr) != 0) {
        snprintf(err, errLen, "%s", pcapErr);
        pcap_close(pc);
        return NULL;
    }
    capture_t *c = wrap(pc, 0, "", err, errLen);
    if (c) c->live = 1;
    return c;
}

int capture_dump_to(capture_t *c, const char *path, char *err, size_t errLen)
{
    c->dump = pcap_dump_open(c->pc, path);
    if (!c->dump) snprintf(err, errLen, "%s", pcap_geterr(c->pc));
    return c->dump ? 0 : -1;
}

int capture_set_filter(capture_t *c, const char *expr, char *err, size_t errLen)
{
    struct bpf_program prog;
    if (pcap_compile(c->pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        snprintf(err, errLen, "%s", pcap_geterr(c->pc));
        return -1;
    }
    const int rc = pcap_setfilter(c->pc, &prog);
    if (rc != 0) snprintf(err, errLen, "%s", pcap_geterr(c->pc));
    pcap_freecode(&prog);
    return rc == 0 ? 0 : -1;
}

int capture_stats(capture_t *c, uint64_t *received, uint64_t *kernel, uint64_t *iface)
{
    struct pcap_stat ps;
    if (!c->live || pcap_stats(c->pc, &ps) != 0) return -1;
    *received = ps.ps_recv;
    *kernel = ps.ps_drop;
    *iface = ps.ps_ifdrop;
    return 0;
}

/* Live: wait for the interface's descriptor (a signal ends the wait
 * early); 1 when a packet may be there. */
static int wait_live(capture_t *c, int waitMs)
{
    struct pollfd pfd = { .fd = pcap_get_selectable_fd(c->pc), .events = POLLIN, .revents = 0 };
    if (pfd.fd < 0) return 1;
    return poll(&pfd, 1, waitMs) > 0;
}

static void fill_record(record_t *r, const struct pcap_pkthdr *h, const u_char *bytes)
{
    r->sec = (uint64_t)h->ts.tv_sec;
    r->nsec = (int64_t)h->ts.tv_usec;   /* nano- or microseconds, as opened */
    r->caplen = h->caplen;
    r->len = h->len;
    r->fileCaplen = h->caplen;
    r->bytes = bytes;
}

void capture_close(capture_t *c)
{
    if (!c) return;
    if (c->dump) pcap_dump_close(c->dump);
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

int capture_nanoseconds(const capture_t *c)
{
    return pcap_get_tstamp_precision(c->pc) == PCAP_TSTAMP_PRECISION_NANO;
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

int capture_next(capture_t *c, record_t *r, int waitMs)
{
    struct pcap_pkthdr *h;
    const u_char *bytes;
    if (c->stuck) return 0;
    int rc = pcap_next_ex(c->pc, &h, &bytes);
    if (rc == 0 && c->live) {           /* nothing yet: wait, then look again */
        if (c->dump) pcap_dump_flush(c->dump);
        if (!wait_live(c, waitMs)) return CAPTURE_IDLE;
        rc = pcap_next_ex(c->pc, &h, &bytes);
        if (rc == 0) return CAPTURE_IDLE;
    }
    if (rc == 1) {
        fill_record(r, h, bytes);
        if (c->dump) pcap_dump((u_char *)c->dump, h, bytes);
        if (!c->pcapng && !c->live) {
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
