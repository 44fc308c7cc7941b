/*
 * out_buf.c - buffered text output (see out_buf.h).
 */
/* POSIX.1-2008 (open, write); 64-bit file offsets, so that a 32-bit build
 * writes output files past 2 GiB */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "out_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* The outbufs with a file open, for outbuf_flush_files(): like stdio's
 * list of open streams, a list of the process, not of a run.  A full
 * list only means that an outbuf waits for its buffer to fill. */
#define TRACKED_MAX 16
static outbuf_t *tracked[TRACKED_MAX];

void outbuf_track(outbuf_t *ob)
{
    for (size_t i = 0; i < TRACKED_MAX; i++) {
        if (tracked[i] == ob) return;
    }
    for (size_t i = 0; i < TRACKED_MAX; i++) {
        if (!tracked[i]) {
            tracked[i] = ob;
            return;
        }
    }
}

static void untrack(const outbuf_t *ob)
{
    for (size_t i = 0; i < TRACKED_MAX; i++) {
        if (tracked[i] == ob) tracked[i] = NULL;
    }
}

void outbuf_flush_files(void)
{
    for (size_t i = 0; i < TRACKED_MAX; i++) {
        if (tracked[i]) outbuf_flush(tracked[i]);
    }
}

int outbuf_open(outbuf_t *ob, const char *path, size_t size)
{
    outbuf_on_array(ob, NULL, size < OUTBUF_LINE_SIZE ? OUTBUF_LINE_SIZE : size);
    ob->buf = malloc(ob->size);
    if (!ob->buf) {
        errno = ENOMEM;
        return -1;
    }
    ob->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (ob->fd < 0) {
        const int e = errno;            /* free() may change errno */
        free(ob->buf);
        ob->buf = NULL;
        errno = e;
        return -1;
    }
    outbuf_track(ob);
    return 0;
}

int outbuf_open_memory(outbuf_t *ob)
{
    outbuf_on_array(ob, malloc(OUTBUF_LINE_SIZE), OUTBUF_LINE_SIZE);
    if (!ob->buf) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void outbuf_flush(outbuf_t *ob)
{
    if (ob->stream) {               /* stdio keeps the error for ferror() */
        if (ob->len && fwrite(ob->buf, 1, ob->len, ob->stream) != ob->len && !ob->err) {
            ob->err = errno ? errno : EIO;
        }
        ob->len = 0;
        return;
    }
    if (ob->fd < 0) {               /* memory buffer: no room left */
        if (ob->len) ob->err = ENOSPC;
        ob->len = 0;
        return;
    }
    const char *p = ob->buf;
    size_t n = ob->len;
    ob->len = 0;
    while (n && !ob->err) {
        const ssize_t w = write(ob->fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            ob->err = errno;
        } else {
            p += w;
            n -= (size_t)w;
        }
    }
}

int outbuf_close(outbuf_t *ob)
{
    int err = 0;                        /* a memory buffer reports none */
    if (ob->stream) {                   /* stream and array are the caller's */
        outbuf_flush(ob);
        ob->stream = NULL;
        err = ob->err;
    } else {
        untrack(ob);
        if (ob->fd >= 0) {
            outbuf_flush(ob);
            if (close(ob->fd) != 0 && !ob->err) ob->err = errno;
            ob->fd = -1;
            err = ob->err;
        }
        free(ob->buf);
        ob->buf = NULL;
    }
    if (err) {
        errno = err;
        return -1;
    }
    return 0;
}

/* "00" "01" ... "99": numbers are written two digits at a time. */
static const char pairs100[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* Digits of v, written backwards from `end`; returns the first digit. */
static char *digits(char *end, uint64_t v)
{
    while (v >= 100) {
        end -= 2;
        memcpy(end, pairs100 + 2 * (v % 100), 2);
        v /= 100;
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, pairs100 + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

void outbuf_u64(outbuf_t *ob, uint64_t v)
{
    char *out = outbuf_reserve(ob, 20);
    if (v < 10) {
        *out = (char)('0' + v);
        ob->len++;
        return;
    }
    char tmp[24];
    char *s = digits(tmp + sizeof(tmp), v);
    const size_t n = (size_t)(tmp + sizeof(tmp) - s);
    memcpy(out, s, n);
    ob->len += n;
}

void outbuf_i64(outbuf_t *ob, int64_t v)
{
    if (v < 0) {
        outbuf_putc(ob, '-');
        outbuf_u64(ob, (uint64_t)0 - (uint64_t)v);
    } else {
        outbuf_u64(ob, (uint64_t)v);
    }
}

static const char hexdig[] = "0123456789abcdef";

void outbuf_hex(outbuf_t *ob, uint64_t v, int width)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[sizeof(tmp) - 1 - n++] = hexdig[v & 15];
        v >>= 4;
    } while (v);
    while (n < width && n < 16) tmp[sizeof(tmp) - 1 - n++] = '0';
    char *out = outbuf_reserve(ob, (size_t)n + 2);
    out[0] = '0';
    out[1] = 'x';
    memcpy(out + 2, tmp + sizeof(tmp) - n, (size_t)n);
    ob->len += (size_t)n + 2;
}

/* Nine zero-padded digits of a value below 10^9. */
static void nine_digits(char *out, uint32_t v)
{
    for (int i = 7; i >= 1; i -= 2) {
        memcpy(out + i, pairs100 + 2 * (v % 100), 2);
        v /= 100;
    }
    out[0] = (char)('0' + v);
}

void outbuf_time(outbuf_t *ob, uint64_t sec, int64_t nsec)
{
    outbuf_u64(ob, sec);
    outbuf_putc(ob, '.');
    if (nsec >= 0 && nsec < 1000000000) {
        nine_digits(outbuf_reserve(ob, 9), (uint32_t)nsec);
        ob->len += 9;
    } else {                                /* never from a sane capture */
        char tmp[32];
        snprintf(tmp, sizeof(tmp), "%09lld", (long long)nsec);
        outbuf_puts(ob, tmp);
    }
}

void outbuf_seconds9(outbuf_t *ob, int64_t ns)
{
    uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;
    if (ns < 0) outbuf_putc(ob, '-');
    outbuf_u64(ob, mag / 1000000000u);
    char *out = outbuf_reserve(ob, 10);
    out[0] = '.';
    nine_digits(out + 1, (uint32_t)(mag % 1000000000u));
    ob->len += 10;
}

void outbuf_double9(outbuf_t *ob, double d)
{
    char tmp[64];
    const int n = snprintf(tmp, sizeof(tmp), "%.9f", d);
    if (n > 0) outbuf_write(ob, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

void outbuf_ipv4(outbuf_t *ob, const uint8_t a[4])
{
    char *out = outbuf_reserve(ob, 16);
    char *s = out;
    for (int i = 0; i < 4; i++) {
        const unsigned v = a[i];
        if (v >= 100) {
            *s++ = (char)('0' + v / 100);
            memcpy(s, pairs100 + 2 * (v % 100), 2);
            s += 2;
        } else if (v >= 10) {
            memcpy(s, pairs100 + 2 * v, 2);
            s += 2;
        } else {
            *s++ = (char)('0' + v);
        }
        *s++ = '.';
    }
    ob->len += (size_t)(s - out) - 1;       /* without the last '.' */
}

/* The longest run of zero groups of an IPv6 address (the first, on a
 * tie): its start, or -1 when no run has two groups or more. */
static int longest_zero_run(const uint16_t w[8], int *run_len)
{
    int best = -1;
    *run_len = 0;
    for (int i = 0; i < 8;) {
        if (w[i]) {
            i++;
            continue;
        }
        int j = i;
        while (j < 8 && !w[j]) j++;
        if (j - i > *run_len) {
            best = i;
            *run_len = j - i;
        }
        i = j;
    }
    return *run_len >= 2 ? best : -1;
}

/* RFC 5952 text form, as glibc's inet_ntop writes it: the longest run of
 * two or more zero groups becomes "::", and an IPv4-compatible
 * (::a.b.c.d) or -mapped (::ffff:a.b.c.d) address ends in dotted
 * decimal. */
void outbuf_ipv6(outbuf_t *ob, const uint8_t a[16])
{
    uint16_t w[8];
    for (int i = 0; i < 8; i++) w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
    int run_len;
    const int run = longest_zero_run(w, &run_len);
    const int dotted = run == 0 && (run_len == 6 || (run_len == 5 && w[5] == 0xffff));

    char tmp[48];
    char *s = tmp;
    for (int i = 0; i < (dotted ? 6 : 8); i++) {
        if (run >= 0 && i >= run && i < run + run_len) {
            if (i == run) *s++ = ':';
            continue;
        }
        if (i) *s++ = ':';
        int shift = 12;                     /* no leading zeros */
        while (shift > 0 && !(w[i] >> shift)) shift -= 4;
        for (; shift >= 0; shift -= 4) *s++ = hexdig[(w[i] >> shift) & 15];
    }
    if (dotted) *s++ = ':';
    else if (run >= 0 && run + run_len == 8) *s++ = ':';
    outbuf_write(ob, tmp, (size_t)(s - tmp));
    if (dotted) outbuf_ipv4(ob, a + 12);
}

void outbuf_mac(outbuf_t *ob, const uint8_t m[6])
{
    char *out = outbuf_reserve(ob, 17);
    for (int i = 0; i < 6; i++) {
        out[3 * i] = hexdig[m[i] >> 4];
        out[3 * i + 1] = hexdig[m[i] & 15];
        if (i < 5) out[3 * i + 2] = ':';
    }
    ob->len += 17;
}
