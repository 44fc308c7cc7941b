/*
 * read_capture.c - reading capture files with libpcap (see read_capture.h).
 */

/* POSIX.1-2008 (ftello, poll); 64-bit file offsets, so that a 32-bit build
 * reads captures over 2 GiB */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "read_capture.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* pcap.h names the BSD types u_char, u_short and u_int, which every system
 * hides in POSIX mode (glibc, musl, macOS, the BSDs, illumos alike) and each
 * would show through a switch of its own (_DEFAULT_SOURCE, _DARWIN_C_SOURCE,
 * __BSD_VISIBLE...).  So they are spelled out for pcap.h alone. */
#define u_char unsigned char
#define u_short unsigned short
#define u_int unsigned int
#include <pcap/pcap.h>
#undef u_char
#undef u_short
#undef u_int

#include "dissect.h"
#include "read_blocks.h"

#define CAPTURE_READ_BUFFER (1u << 20)

struct capture {
    pcap_t *pc;
    int dlt;
    int pcapng;         /* pcapng (blocks) rather than pcap (records) */
    int little_endian;   /* pcap: the file's byte order */
    int64_t subsec_scale;/* libpcap's sub-seconds to the unit asked for: 1 or 1000 */
    off_t error_pos;     /* read position at the last failure, or -1 */
    off_t expect_pos;    /* pcap: where the next record should start */
    int snaplen;
    int stuck;          /* stop reading: nothing sensible follows */
    int live;           /* an interface, not a file */
    pcap_dumper_t *dump;/* a copy of every record goes here, or NULL */
    pcap_t *dump_as;     /* the copy's precision, when not the capture's */
    char *read_buffer;   /* the stdio buffer of the file, freed after it */
    blocks_t blocks;     /* pcapng: the blocks libpcap read but did not hand over */
    int handed_over;     /* the last call handed over a record */
};

static capture_t *wrap(pcap_t *pc, int pcapng, const char *pcap_err, char *err, size_t errLen)
{
    if (!pc) {
        snprintf(err, errLen, "%s", pcap_err);
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
    c->little_endian = 1;
    c->subsec_scale = 1;
    c->error_pos = -1;
    c->expect_pos = 24;
    c->snaplen = pcap_snapshot(pc);
    c->stuck = 0;
    c->live = 0;
    c->dump = NULL;
    c->dump_as = NULL;
    c->read_buffer = NULL;
    blocks_init(&c->blocks, -1);
    c->handed_over = 0;
    return c;
}

enum { FILE_PCAP_USEC, FILE_PCAP_NSEC, FILE_PCAPNG };

/* What the first four bytes say: pcapng files start with a section header
 * block, type 0x0a0d0d0a; nanosecond pcap files with the magic 0xa1b23c4d
 * (in either byte order); libpcap judges the rest.  A pcap magic written
 * big-endian starts with 0xa1. */
static int file_kind(FILE *f, int *little_endian)
{
    unsigned char m[4] = { 0, 0, 0, 0 };
    const size_t n = fread(m, 1, sizeof(m), f);
    rewind(f);
    *little_endian = m[0] != 0xa1;
    if (n < 4) return FILE_PCAP_USEC;
    if (m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a) return FILE_PCAPNG;
    if (m[0] == 0xa1 && m[1] == 0xb2 && m[2] == 0x3c && m[3] == 0x4d) return FILE_PCAP_NSEC;
    if (m[0] == 0x4d && m[1] == 0x3c && m[2] == 0xb2 && m[3] == 0xa1) return FILE_PCAP_NSEC;
    return FILE_PCAP_USEC;
}

capture_t *capture_open_stream(FILE *f, int precision, char *err, size_t errLen)
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    int little_endian;
    const int kind = file_kind(f, &little_endian);
    /* Asked for nanoseconds, libpcap multiplies a microsecond file's signed
     * sub-second field by 1000 in a long, which overflows where long has 32
     * bits; so such a file is read in its own unit and scaled here, in 64
     * bits (capture_next). */
    const int scaled = precision == CAPTURE_NANO && kind == FILE_PCAP_USEC;
    const int prec = precision == CAPTURE_MICRO || scaled ? PCAP_TSTAMP_PRECISION_MICRO
                                                          : PCAP_TSTAMP_PRECISION_NANO;
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(f, (unsigned)prec, pcap_err);
    if (!pc) fclose(f);
    capture_t *c = wrap(pc, kind == FILE_PCAPNG, pcap_err, err, errLen);
    if (c) {
        c->little_endian = little_endian;
        c->subsec_scale = scaled ? 1000 : 1;
        if (c->pcapng) blocks_init(&c->blocks, fileno(f));
    }
    return c;
}

static int host_little_endian(void)
{
    const uint16_t one = 1;
    return *(const unsigned char *)&one == 1;
}

/* Standard input cannot be rewound to look at its first bytes: libpcap
 * tells pcap from pcapng itself, and only the pcap reader needs to know. */
static capture_t *open_stdin(int precision, char *err, size_t errLen)
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    const int prec = precision == CAPTURE_MICRO ? PCAP_TSTAMP_PRECISION_MICRO
                                                : PCAP_TSTAMP_PRECISION_NANO;
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(stdin, (unsigned)prec, pcap_err);
    capture_t *c = wrap(pc, 0, pcap_err, err, errLen);
    if (c && pcap_major_version(pc) != 2) c->pcapng = 1;   /* pcapng says 1 */
    if (c) c->little_endian = host_little_endian() != pcap_is_swapped(pc);
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
    char *read_buffer = malloc(CAPTURE_READ_BUFFER);
    if (read_buffer) setvbuf(f, read_buffer, _IOFBF, CAPTURE_READ_BUFFER);
    capture_t *c = capture_open_stream(f, precision, err, errLen);
    if (c) c->read_buffer = read_buffer;
    else free(read_buffer);
    return c;
}

/* Each setting in the order libpcap wants them, before activation; the
 * first failure is the message. */
static int configure_live(pcap_t *pc, int snaplen, int buf_size)
{
    if (pcap_set_snaplen(pc, snaplen) != 0) return -1;
    if (pcap_set_promisc(pc, 1) != 0) return -1;
    if (pcap_set_timeout(pc, 100) != 0) return -1;      /* ms: lines go out promptly */
    /* nanoseconds where the system has them, as T2 asks (not fatal) */
    (void)pcap_set_tstamp_precision(pc, PCAP_TSTAMP_PRECISION_NANO);
    if (buf_size > 0 && pcap_set_buffer_size(pc, buf_size) != 0) return -1;
    return 0;
}

capture_t *capture_open_live(const char *iface, int snaplen, int buf_size, char *err, size_t errLen)
{
    char pcap_err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_create(iface, pcap_err);
    if (!pc) {
        snprintf(err, errLen, "%s", pcap_err);
        return NULL;
    }
    const int rc = configure_live(pc, snaplen, buf_size) == 0 ? pcap_activate(pc) : PCAP_ERROR;
    if (rc < 0) {
        /* a warning (> 0) is not a failure; libpcap's own text says why */
        const char *why = pcap_geterr(pc);
        snprintf(err, errLen, "%s", why && *why ? why : pcap_statustostr(rc));
        pcap_close(pc);
        return NULL;
    }
    if (pcap_setnonblock(pc, 1, pcap_err) != 0) {
        snprintf(err, errLen, "%s", pcap_err);
        pcap_close(pc);
        return NULL;
    }
    capture_t *c = wrap(pc, 0, "", err, errLen);
    if (c) c->live = 1;
    return c;
}

int capture_dump_to(capture_t *c, const char *path, char *err, size_t errLen)
{
    /* a microsecond file read in its own unit is still copied with the
     * nanoseconds asked for */
    pcap_t *as = c->pc;
    if (c->subsec_scale != 1) {
        c->dump_as = pcap_open_dead_with_tstamp_precision(c->dlt, c->snaplen, PCAP_TSTAMP_PRECISION_NANO);
        if (!c->dump_as) {
            snprintf(err, errLen, "out of memory");
            return -1;
        }
        as = c->dump_as;
    }
    c->dump = pcap_dump_open(as, path);
    if (!c->dump) {
        /* libpcap's message starts with the file's name, which the
         * caller's line gives already */
        const char *msg = pcap_geterr(as);
        const size_t n = strlen(path);
        if (strncmp(msg, path, n) == 0 && strncmp(msg + n, ": ", 2) == 0) msg += n + 2;
        snprintf(err, errLen, "%s", msg);
    }
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
static int wait_live(capture_t *c, int wait_ms)
{
    struct pollfd pfd = { .fd = pcap_get_selectable_fd(c->pc), .events = POLLIN, .revents = 0 };
    if (pfd.fd < 0) return 1;
    return poll(&pfd, 1, wait_ms) > 0;
}

/* A field of a pcap record's time stamp, 32 bits in the file.  libpcap
 * hands it over sign-extended when the file is in the host's byte order and
 * zero-extended when it swaps it, so on T2's reference platform (x86-64) a
 * little-endian file's fields are signed and a big-endian file's unsigned:
 * t2mini reads them so on every host. */
static int64_t pcap_field(const capture_t *c, uint32_t raw)
{
    if (c->little_endian && raw > INT32_MAX) return (int64_t)raw - 4294967296LL;
    return (int64_t)raw;
}

/* T2QUIRK: T2 reads past the end of short records into libpcap's buffer.
 * In a pcapng file libpcap reads a whole block there, the data of an
 * enhanced (or obsolete) packet block 28 bytes in, so the block's padding,
 * options and closing length follow the data: how many bytes of it, from
 * the block's length (own_len, blocks_own_len()).  A simple packet block
 * (data 12 bytes in) is shorter than 32 + caplen: it is left out. */
static uint32_t pcapng_tail(const struct pcap_pkthdr *h, uint32_t own_len)
{
    if (own_len < 32u + h->caplen || own_len - 28u - h->caplen > 65536u) return 0;
    return own_len - 28u - h->caplen;
}

/* own_len: the length of the record's pcapng block, 0 if none or unknown */
static void fill_record(const capture_t *c, record_t *r, const struct pcap_pkthdr *h,
                        const unsigned char *bytes, uint32_t own_len)
{
    if (c->pcapng || c->live) {
        r->sec = (uint64_t)h->ts.tv_sec;
        r->nsec = (int64_t)h->ts.tv_usec;   /* nano- or microseconds, as opened */
    } else {
        r->sec = (uint64_t)pcap_field(c, (uint32_t)h->ts.tv_sec);
        r->nsec = pcap_field(c, (uint32_t)h->ts.tv_usec) * c->subsec_scale;
    }
    r->caplen = h->caplen;
    r->len = h->len;
    r->file_caplen = h->caplen;
    r->bytes = bytes;
    r->tail = pcapng_tail(h, own_len);
    r->stale = c->blocks.bytes;
    r->stale_len = c->blocks.len;
}

/* pcapng: the blocks libpcap read in this call, up to where it stopped
 * (the record's own block, of own_len bytes, when it handed one over) */
static void follow_blocks(capture_t *c, int rc, uint32_t own_len)
{
    if (c->handed_over) blocks_forget(&c->blocks);
    c->handed_over = rc == 1;
    FILE *f = pcap_file(c->pc);
    const off_t pos = f ? ftello(f) : -1;
    if (pos >= 0) blocks_read_up_to(&c->blocks, pos, rc == 1, own_len);
}

void capture_close(capture_t *c)
{
    if (!c) return;
    if (c->dump) pcap_dump_close(c->dump);
    if (c->dump_as) pcap_close(c->dump_as);
    pcap_close(c->pc);                  /* closes the file */
    free(c->read_buffer);
    blocks_free(&c->blocks);
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

/* The copy of a record (-Y), with the time stamp as read */
static void dump_record(capture_t *c, const record_t *r, const struct pcap_pkthdr *h,
                        const unsigned char *bytes)
{
    struct pcap_pkthdr copy = *h;
    if (c->subsec_scale != 1) copy.ts.tv_usec = (suseconds_t)r->nsec;
    pcap_dump((unsigned char *)c->dump, &copy, bytes);
}

int capture_next(capture_t *c, record_t *r, int wait_ms)
{
    struct pcap_pkthdr *h;
    const unsigned char *bytes;
    if (c->stuck) return 0;
    int rc = pcap_next_ex(c->pc, &h, &bytes);
    if (rc == 0 && c->live) {           /* nothing yet: wait, then look again */
        if (c->dump) pcap_dump_flush(c->dump);
        if (!wait_live(c, wait_ms)) return CAPTURE_IDLE;
        rc = pcap_next_ex(c->pc, &h, &bytes);
        if (rc == 0) return CAPTURE_IDLE;
    }
    const uint32_t own_len = rc == 1 && c->pcapng && !c->live ? blocks_own_len(bytes, h->len) : 0;
    if (c->pcapng && !c->live) follow_blocks(c, rc, own_len);
    if (rc == 1) {
        fill_record(c, r, h, bytes, own_len);
        if (c->dump) dump_record(c, r, h, bytes);
        if (!c->pcapng && !c->live) {
            /* a record cut to the snapshot length may have been longer in
             * the file: the read position tells */
            c->expect_pos += 16 + (off_t)h->caplen;
            if ((int)h->caplen == c->snaplen) {
                FILE *f = pcap_file(c->pc);
                const off_t pos = f ? ftello(f) : -1;
                if (pos > c->expect_pos) r->file_caplen += (uint32_t)(pos - c->expect_pos);
                if (pos >= 0) c->expect_pos = pos;
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
    const off_t pos = f ? ftello(f) : -1;
    if (pos < 0 || pos == c->error_pos) c->stuck = 1;
    c->error_pos = pos;
    c->expect_pos = pos;
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

const struct pcap_pkthdr *capture_pcap_header(const record_t *r)
{
    static struct pcap_pkthdr h;
    h.ts.tv_sec = (time_t)r->sec;
    h.ts.tv_usec = (suseconds_t)r->nsec;
    h.caplen = r->caplen;
    h.len = r->len;
    return &h;
}
