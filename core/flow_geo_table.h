/*
 * flow_geo_table.h - the searchable form of a subnet table.
 *
 * Shared by the places that handle one: flow_geo_load.c builds it from T2's
 * text (-G), flow_geo.c searches it, tools/geo_compile.c prints a built table as C data,
 * and the generated gen/geo_builtin.c holds the tables t2mini ships with
 * (data/subnets4.txt, data/subnets6.txt) in this form.  A run without -G so
 * costs no parsing, no sorting and no unpacking: the tables are read-only
 * data in the binary, searched where they lie, and only the pages a lookup
 * touches are ever loaded.
 *
 * The form is one byte string of fixed-width records and big-endian numbers
 * (described below), the same on every host and
 * target whatever its byte order.  gen/geo_builtin.c holds it as an array of
 * rows of GEO_ROW bytes, each row a string literal: a compiler reads one as a
 * single token, some twenty times faster than as many integer initialisers.
 * C99 compilers need not take a literal longer than 4095 characters, so the
 * last byte of each row is the literal's terminating NUL: the layout makes
 * every byte there 0, so that the rows, one after the other, are the string.
 */
#ifndef T2MINI_FLOW_GEO_TABLE_H
#define T2MINI_FLOW_GEO_TABLE_H

#include <stdint.h>

#include "flow_geo.h"

#define GEO_COUNTRY_LEN 2       /* characters T2 keeps of Country */
#define GEO_ORG_LEN 30          /* ... of Org */

#define GEO_ROW 4096            /* the string's bytes at GEO_ROW * k - 1 are 0 */

struct geo_ranges {
    int ipver;                  /* 4 or 6 */
    uint32_t version;           /* the table's format version and revision */
    uint32_t revision;          /* (its first line: "# VERSION REVISION") */
    uint32_t nbounds;           /* boundaries: positions 1..nbounds */
    uint32_t nlabels;           /* labels: subnet numbers 1..nlabels */
    uint32_t nlows;             /* IPv6 boundaries with their low 64 bits apart */
    const unsigned char *bytes; /* the string (BOUNDS from byte 0) */
    uint32_t size;              /* its length, a multiple of GEO_ROW */
    uint32_t lows_at;           /* where the other sections start */
    uint32_t labels_at;
    uint32_t texts_at;
};

/* ---- the byte string ---- */

/*
 * A built table is packed into the byte string of flow_geo_table.h, which
 * the lookup searches where it lies: tools/geo_compile.c prints the strings
 * of the shipped tables as C data, and -G packs the tables it reads the same
 * way.  The string holds four sections, one after the other:
 *
 *   BOUNDS  per position, 16 bytes: the top 64 bits of the address (an IPv4
 *           address in the top 32 of them), the subnet number (3 bytes),
 *           the parent position (3 bytes), KIND (1 byte) and a 0
 *   LOWS    per boundary of KIND 65..128, in position order, 16 bytes: the
 *           position (4 bytes), the address's low 64 bits, three 0s and a 0
 *   LABELS  per subnet number, 8 bytes: the offset of its Country text in
 *           TEXTS (3 bytes), twice the offset of its Org text plus 1 if its
 *           CtryWhoCode marks a Tor node (4 bytes; that bit is all t2mini
 *           uses of the code), and a 0
 *   TEXTS   every Country and Org text once, countries first, each followed
 *           by a NUL, handed out where it lies
 *
 * Numbers are unsigned, most significant byte first.  The low 64 bits of a
 * boundary are all 0 or all 1 but where its prefix is longer than 64 bits
 * (and always 0 for IPv4), so KIND tells them with the prefix length:
 * 0..64 for a /KIND whose low 64 bits are 0, 129..193 for a /(KIND - 129)
 * whose low 64 bits are all 1, and 65..128 for a /KIND with the low 64 bits
 * in LOWS (3 % of the shipped IPv6 table's boundaries).
 *
 * Records of a power-of-two width ending in a 0 make the 0 at the end of
 * every GEO_ROW bytes (flow_geo_table.h) fall on a record's last byte, and
 * no text covers one of those bytes either, so the string needs no gaps:
 * position p is at 16 * (p - 1), and the lookup bisects BOUNDS as it would
 * an array.  A boundary takes 16 bytes instead of the 32 of geo_bound_t, a
 * label 8 and a share of the deduplicated texts instead of 40.
 */

#define GEO_BOUND_SIZE 16
#define GEO_LOW_SIZE 16
#define GEO_LABEL_SIZE 8

/* ---- 128-bit addresses (the loader's and the lookup's) ---- */

/* An address, IPv4 in the top 32 bits, so that both versions share code. */
typedef struct {
    uint64_t hi, lo;
} u128_t;

static inline u128_t geo_to128(int ipver, const uint8_t *a)
{
    u128_t v = {0, 0};
    const int n = ipver == 4 ? 4 : 16;
    for (int i = 0; i < n; i++) {
        if (i < 8) v.hi |= (uint64_t)a[i] << (56 - 8 * i);
        else v.lo |= (uint64_t)a[i] << (56 - 8 * (i - 8));
    }
    return v;
}

/* The top `len` bits set (len 0..128). */
static inline u128_t geo_prefix_mask(unsigned len)
{
    u128_t m;
    m.hi = len == 0 ? 0 : len >= 64 ? ~0ULL : ~0ULL << (64 - len);
    m.lo = len <= 64 ? 0 : len == 128 ? ~0ULL : ~0ULL << (128 - len);
    return m;
}

static inline int geo_same_prefix(u128_t a, u128_t b, unsigned len)
{
    const u128_t m = geo_prefix_mask(len);
    return ((a.hi ^ b.hi) & m.hi) == 0 && ((a.lo ^ b.lo) & m.lo) == 0;
}

/*
 * geo_span_len() is the prefix length whose block a range's boundaries
 * delimit, geo_check_len() the length of the mask the lookup tests a range
 * with.  Both are LEN except for /0.
 * T2QUIRK: T2's converters make a mask by shifting an all-ones word by
 * (word size - LEN), and the hardware takes a shift by the whole word as no
 * shift: an IPv6 /0 spans the /64 of its address, and an IPv4 /0 spans every
 * address but is tested with a /32 mask.
 */
static inline unsigned geo_span_len(int ipver, unsigned len)
{
    return len == 0 && ipver == 6 ? 64 : len;
}

static inline unsigned geo_check_len(int ipver, unsigned len)
{
    return len != 0 ? len : ipver == 6 ? 64 : 32;
}

/* gen/geo_builtin.c */
extern const geo_ranges_t geoBuiltin4, geoBuiltin6;

#endif
