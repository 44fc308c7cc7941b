/*
 * outbuf.c - buffered text output (see outbuf.h).
 */
#include "outbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int outbuf_open(outbuf_t *ob, const char *path)
{
    ob->len = 0;
    ob->err = 0;
    ob->buf = malloc(OUTBUF_SIZE);
    if (!ob->buf) {
        ob->fd = -1;
        errno = ENOMEM;
        return -1;
    }
    ob->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (ob->fd < 0) {
        const int e = errno;
        free(ob->buf);
        ob->buf = NULL;
        errno = e;
        return -1;
    }
    return 0;
}

int outbuf_open_memory(outbuf_t *ob)
{
    ob->len = 0;
    ob->err = 0;
    ob->fd = -1;
    ob->buf = malloc(OUTBUF_SIZE);
    if (!ob->buf) {
        errno = ENOMEM;
        return -1;
    }
    return 0;
}

void outbuf_flush(outbuf_t *ob)
{
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
    if (ob->fd < 0) {
        free(ob->buf);
        ob->buf = NULL;
        return 0;
    }
    outbuf_flush(ob);
    if (close(ob->fd) != 0 && !ob->err) ob->err = errno;
    ob->fd = -1;
    free(ob->buf);
    ob->buf = NULL;
    if (ob->err) {
        errno = ob->err;
        return -1;
    }
    return 0;
}

/* Digits of v, written backwards from `end`; returns the first digit. */
static char *digits(char *end, uint64_t v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

void outbuf_u64(outbuf_t *ob, uint64_t v)
{
    char tmp[24];
    char *s = digits(tmp + sizeof(tmp), v);
    outbuf_write(ob, s, (size_t)(tmp + sizeof(tmp) - s));
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
    for (int i = 8; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void outbuf_time(outbuf_t *ob, uint32_t sec, int64_t nsec)
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
    char tmp[16];
    char *s = tmp;
    for (int i = 0; i < 4; i++) {
        char d[4];
        char *q = digits(d + sizeof(d), a[i]);
        while (q < d + sizeof(d)) *s++ = *q++;
        if (i < 3) *s++ = '.';
    }
    outbuf_write(ob, tmp, (size_t)(s - tmp));
}

/* RFC 5952 text form, as glibc's inet_ntop writes it: the longest run of
 * two or more zero groups (the first, on a tie) becomes "::", and an
 * IPv4-compatible (::a.b.c.d) or -mapped (::ffff:a.b.c.d) address ends in
 * dotted decimal. */
void outbuf_ipv6(outbuf_t *ob, const uint8_t a[16])
{
    uint16_t w[8];
    for (int i = 0; i < 8; i++) w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);

    int best = -1, bestLen = 0;
    for (int i = 0; i < 8;) {
        if (w[i]) { i++; continue; }
        int j = i;
        while (j < 8 && !w[j]) j++;
        if (j - i > bestLen) { best = i; bestLen = j - i; }
        i = j;
    }
    if (bestLen < 2) best = -1;

    char tmp[48];
    char *s = tmp;
    for (int i = 0; i < 8; i++) {
        if (best >= 0 && i >= best && i < best + bestLen) {
            if (i == best) *s++ = ':';
            continue;
        }
        if (i) *s++ = ':';
        if (i == 6 && best == 0 && (bestLen == 6 || (bestLen == 5 && w[5] == 0xffff))) {
            outbuf_write(ob, tmp, (size_t)(s - tmp));
            outbuf_ipv4(ob, a + 12);
            return;
        }
        int shift = 12;
        while (shift > 0 && !(w[i] >> shift)) shift -= 4;
        for (; shift >= 0; shift -= 4) *s++ = hexdig[(w[i] >> shift) & 15];
    }
    if (best >= 0 && best + bestLen == 8) *s++ = ':';
    outbuf_write(ob, tmp, (size_t)(s - tmp));
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

void outbuf_payload(outbuf_t *ob, const uint8_t *p, size_t n)
{
    /* escape letter for each byte that has one, 0 for the others */
    static const char esc[256] = {
        ['\b'] = 'b', ['\f'] = 'f', ['\n'] = 'n', ['\r'] = 'r',
        ['\t'] = 't', ['\v'] = 'v', ['\\'] = '\\',
    };
    while (n) {
        const size_t chunk = n < 4096 ? n : 4096;
        char *out = outbuf_reserve(ob, 2 * chunk);
        char *o = out;
        for (size_t i = 0; i < chunk; i++) {
            const uint8_t c = p[i];
            if (esc[c]) {
                *o++ = '\\';
                *o++ = esc[c];
            } else {
                *o++ = (c >= 0x20 && c <= 0x7e) ? (char)c : '.';
            }
        }
        ob->len += (size_t)(o - out);
        p += chunk;
        n -= chunk;
    }
}

/* Escape an ASCII character as T2's text sink does. */
static void sanitized_ascii(outbuf_t *ob, unsigned char c)
{
    const char *e = NULL;
    switch (c) {
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        case '\v': e = "\\v"; break;
        case '\\': e = "\\\\"; break;
        case '"':  e = "\\\""; break;
        default: break;
    }
    if (e) {
        outbuf_puts(ob, e);
    } else if (c <= 0x1f || c == 0x7f) {
        char tmp[8];
        snprintf(tmp, sizeof(tmp), "\\u00%02X", c);
        outbuf_puts(ob, tmp);
    } else {
        outbuf_putc(ob, (char)c);
    }
}

/* T2's UTF-8 check, step by step: a bad byte prints '.', and a byte that
 * broke a sequence is looked at again as the start of the next one. */
void outbuf_sanitized(outbuf_t *ob, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (s[i]) {
        const unsigned char c = s[i];
        if (c < 0x80) {
            sanitized_ascii(ob, c);
            i++;
            continue;
        }
        if (c < 0xc2 || c >= 0xf5) {            /* not a lead byte */
            outbuf_putc(ob, '.');
            i++;
            continue;
        }
        const size_t n = c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        size_t k = 1;
        int bad = 0;
        for (; k < n; k++) {
            const unsigned char b = s[i + k];
            if (b == 0) {                       /* the string ends inside */
                outbuf_putc(ob, '.');
                return;
            }
            if ((b & 0xc0) != 0x80) {           /* reread b as a lead byte */
                outbuf_putc(ob, '.');
                i += k;
                bad = 1;
                break;
            }
            if (k == 1 && ((c == 0xe0 && b < 0xa0) || (c == 0xf0 && b < 0x90) ||
                           (c == 0xf4 && b >= 0x90))) {
                outbuf_putc(ob, '.');           /* overlong or too large */
                i += 2;
                bad = 1;
                break;
            }
        }
        if (bad) continue;
        if (n == 3) {
            const unsigned cp = (unsigned)(c & 0x0f) << 12 | (unsigned)(s[i + 1] & 0x3f) << 6 |
                                (s[i + 2] & 0x3f);
            if (cp >= 0xd800 && cp <= 0xdfff) {   /* surrogate */
                outbuf_putc(ob, '.');
                i += 3;
                continue;
            }
        }
        outbuf_write(ob, s + i, n);
        i += n;
    }
}
