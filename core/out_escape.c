/*
 * out_escape.c - text that needs escaping, in the packet file as T2 writes
 * it (see out_buf.h): the payload column l7Content (outbuf_payload(), with
 * a branch-free table and an SSE2 path), and strings as T2's text sink
 * writes them (outbuf_sanitized()).
 */
#define _POSIX_C_SOURCE 200809L

#include "out_buf.h"

#include <stdint.h>
#include <string.h>

/* The text of each byte in l7Content: printable ASCII as itself, \b \f
 * \n \r \t \v and \\ as two-character escapes, every other byte as '.'.
 * An entry holds up to two characters, of which `len` count: writing both
 * and advancing by the length keeps the byte loop free of branches (where
 * SSE2 is available, sixteen bytes go at once: payload16()).  The table is
 * built by the compiler from the rule, four entries per macro level. */
typedef struct {
    char text[2];
    uint8_t len;
} payload_char_t;

#define ESCAPE_LETTER(c) ((c) == '\b' ? 'b' : (c) == '\f' ? 'f' : (c) == '\n' ? 'n' : \
                          (c) == '\r' ? 'r' : (c) == '\t' ? 't' : (c) == '\v' ? 'v' : \
                          (c) == '\\' ? '\\' : 0)
#define PAYLOAD_CHAR(c) { { ESCAPE_LETTER(c) ? '\\' : ((c) >= 0x20 && (c) <= 0x7e) ? (char)(c) : '.', \
                            (char)ESCAPE_LETTER(c) }, ESCAPE_LETTER(c) ? 2 : 1 }
#define PAYLOAD_CHARS4(c) PAYLOAD_CHAR(c), PAYLOAD_CHAR((c) + 1), \
                          PAYLOAD_CHAR((c) + 2), PAYLOAD_CHAR((c) + 3)
#define PAYLOAD_CHARS16(c) PAYLOAD_CHARS4(c), PAYLOAD_CHARS4((c) + 4), \
                           PAYLOAD_CHARS4((c) + 8), PAYLOAD_CHARS4((c) + 12)
#define PAYLOAD_CHARS64(c) PAYLOAD_CHARS16(c), PAYLOAD_CHARS16((c) + 16), \
                           PAYLOAD_CHARS16((c) + 32), PAYLOAD_CHARS16((c) + 48)

static const payload_char_t payload_chars[256] = {
    PAYLOAD_CHARS64(0), PAYLOAD_CHARS64(64), PAYLOAD_CHARS64(128), PAYLOAD_CHARS64(192)
};

/* -DT2MINI_NO_SSE2 builds the plain-C path on x86 too (make portability) */
#if defined(__SSE2__) && !defined(T2MINI_NO_SSE2)
#define PAYLOAD_SSE2 1
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
        memcpy(o, payload_chars[p[k]].text, 2);
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
    while (n) {
        const size_t chunk = n < 4096 ? n : 4096;
        char *out = outbuf_reserve(ob, 2 * chunk + 32);
        char *o = out;
        size_t i = 0;
#if defined(PAYLOAD_SSE2)
        for (; i + 16 <= chunk; i += 16) o = payload16(p + i, o);
#endif
        for (; i < chunk; i++) {                /* one byte at a time */
            memcpy(o, payload_chars[p[i]].text, 2);
            o += payload_chars[p[i]].len;
        }
        ob->len += (size_t)(o - out);
        p += chunk;
        n -= chunk;
    }
}

/* An ASCII character as T2's text sink writes it: JSON's short escapes
 * for \b \f \n \r \t \v \\ and ", \u00XX for other control characters. */
static void sanitized_ascii(outbuf_t *ob, unsigned char c)
{
    static const char plain[] = "\b\f\n\r\t\v\\\"";
    static const char letter[] = "bfnrtv\\\"";
    const char *hit = c ? strchr(plain, c) : NULL;
    if (hit) {
        char *out = outbuf_reserve(ob, 2);
        out[0] = '\\';
        out[1] = letter[hit - plain];
        ob->len += 2;
    } else if (c <= 0x1f || c == 0x7f) {
        static const char upper_hex[] = "0123456789ABCDEF";
        char *out = outbuf_reserve(ob, 6);
        memcpy(out, "\\u00", 4);
        out[4] = upper_hex[c >> 4];
        out[5] = upper_hex[c & 15];
        ob->len += 6;
    } else {
        outbuf_putc(ob, (char)c);
    }
}

/* How T2's UTF-8 check takes the sequence starting at lead byte s[0]
 * (>= 0x80): returns the bytes it spans, and sets *valid when they are
 * copied rather than shown as one '.'.  A sequence broken by a byte that
 * is no continuation byte ends before that byte, which then starts the
 * next one.  Returns 0 when the string ends inside the sequence. */
static size_t utf8_sequence(const unsigned char *s, int *valid)
{
    const unsigned char lead = s[0];
    *valid = 0;
    if (lead < 0xc2 || lead >= 0xf5) return 1;      /* not a lead byte */
    const size_t len = lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    for (size_t k = 1; k < len; k++) {
        if (s[k] == 0) return 0;
        if ((s[k] & 0xc0) != 0x80) return k;
        if (k == 1 && ((lead == 0xe0 && s[1] < 0xa0) ||   /* overlong */
                       (lead == 0xf0 && s[1] < 0x90) ||   /* overlong */
                       (lead == 0xf4 && s[1] >= 0x90))) { /* above U+10FFFF */
            return 2;
        }
    }
    if (len == 3) {
        const unsigned cp = (unsigned)(lead & 0x0f) << 12 | (unsigned)(s[1] & 0x3f) << 6 |
                            (s[2] & 0x3f);
        if (cp >= 0xd800 && cp <= 0xdfff) return 3;     /* a surrogate */
    }
    *valid = 1;
    return len;
}

void outbuf_sanitized(outbuf_t *ob, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    while (*s) {
        const unsigned char *plain = s;     /* printable ASCII: as it is */
        while (*s >= 0x20 && *s < 0x7f && *s != '"' && *s != '\\') s++;
        if (s > plain) outbuf_write(ob, plain, (size_t)(s - plain));
        if (!*s) break;
        if (*s < 0x80) {
            sanitized_ascii(ob, *s++);
            continue;
        }
        int valid;
        const size_t n = utf8_sequence(s, &valid);
        if (n == 0) {                   /* cut short by the string's end */
            outbuf_putc(ob, '.');
            return;
        }
        if (valid) outbuf_write(ob, s, n);
        else outbuf_putc(ob, '.');
        s += n;
    }
}
