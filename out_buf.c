/*
 * out_buf.c - buffered text output (see out_buf.h).
 */
#include "out_buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int outbuf_open(outbuf_t *ob, const char *path, size_t size)
{
    ob->len = 0;
    ob->err = 0;
    ob->stream = NULL;
    ob->size = size < OUTBUF_LINE_SIZE ? OUTBUF_LINE_SIZE : size;
    ob->buf = malloc(ob->size);
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
    ob->stream = NULL;
    ob->size = OUTBUF_LINE_SIZE;
    ob->buf = malloc(ob->size);
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
    if (ob->stream) {               /* the stream's owner closes it */
        outbuf_flush(ob);
        ob->stream = NULL;
        return ob->err ? (errno = ob->err, -1) : 0;
    }
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

/* The text of each byte in l7Content, two characters at most: the two
 * bytes of entry c, of which the first escLen[c] count.  Writing both and
 * advancing by the length keeps the byte loop free of branches; where SSE2
 * is available, sixteen bytes go at once (payload16()). */
static char escText[256][2];
static uint8_t escLen[256];

static void init_escapes(void)
{
    for (int c = 0; c < 256; c++) {
        escText[c][0] = (c >= 0x20 && c <= 0x7e) ? (char)c : '.';
        escText[c][1] = 0;
        escLen[c] = 1;
    }
    static const char *const pairs[] = { "\bb", "\ff", "\nn", "\rr", "\tt", "\vv", "\\\\" };
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        const uint8_t c = (uint8_t)pairs[i][0];
        escText[c][0] = '\\';
        escText[c][1] = pairs[i][1];
        escLen[c] = 2;
    }
}

#if defined(__SSE2__)
#include <emmintrin.h>

#if defined(__GNUC__) || defined(__clang__)
#define LOWEST_BIT(m) ((unsigned)__builtin_ctz(m))
#else
static unsigned lowest_bit(unsigned m)
{
    unsigned n = 0;
    while (!(m & 1u)) {
        m >>= 1;
        n++;
    }
    return n;
}
#define LOWEST_BIT(m) lowest_bit(m)
#endif

/* Sixteen payload bytes at once (SSE2, every x86-64 has it): printable
 * bytes are kept, the others blended to '.'; the few that need a
 * two-character escape are then inserted one by one.  Stores may run up to
 * 16 bytes past the text: the caller reserves that room.  Returns the new
 * end of the text. */
static char *payload16(const uint8_t *p, char *o)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
    /* signed compares: bytes >= 0x80 are negative, so "< 0x20" takes them */
    const __m128i unprintable = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
                                             _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7f)));
    const __m128i escaped = _mm_or_si128(
        _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(0x07)), _mm_cmplt_epi8(v, _mm_set1_epi8(0x0e))),
        _mm_cmpeq_epi8(v, _mm_set1_epi8(0x5c)));
    const __m128i text = _mm_or_si128(_mm_andnot_si128(unprintable, v),
                                      _mm_and_si128(unprintable, _mm_set1_epi8('.')));
    unsigned m = (unsigned)_mm_movemask_epi8(escaped);
    if (!m) {
        _mm_storeu_si128((__m128i *)(void *)o, text);
        return o + 16;
    }
    char t[32];
    _mm_storeu_si128((__m128i *)(void *)t, text);
    unsigned start = 0;
    while (m) {
        const unsigned k = LOWEST_BIT(m);
        _mm_storeu_si128((__m128i *)(void *)o, _mm_loadu_si128((const __m128i *)(const void *)(t + start)));
        o += k - start;
        memcpy(o, escText[p[k]], 2);
        o += 2;
        start = k + 1;
        m &= m - 1;
    }
    _mm_storeu_si128((__m128i *)(void *)o, _mm_loadu_si128((const __m128i *)(const void *)(t + start)));
    return o + (16 - start);
}
#endif

void outbuf_payload(outbuf_t *ob, const uint8_t *p, size_t n)
{
    if (!escLen[0]) init_escapes();
    while (n) {
        const size_t chunk = n < 4096 ? n : 4096;
        char *out = outbuf_reserve(ob, 2 * chunk + 32);
        char *o = out;
        size_t i = 0;
#if defined(__SSE2__)
        for (; i + 16 <= chunk; i += 16) o = payload16(p + i, o);
#endif
        for (; i < chunk; i++) {                /* one byte at a time */
            memcpy(o, escText[p[i]], 2);
            o += escLen[p[i]];
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
