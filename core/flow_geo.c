/*
 * flow_geo.c - an address's subnet and labels, looked up as T2 looks them up.
 *
 * The tables are T2's flattened lists of range boundaries (flow_geo_load.c
 * builds them from the text, tools/geo_compile.c compiles the shipped ones
 * in), packed into the byte string of flow_geo_table.h and searched where
 * they lie.  T2's lookup bisects positions 1..n, probing (low + high) / 2.
 * T2QUIRK: at an equal address IPv6 answers with the position probed, IPv4
 * walks over the equal boundaries to the innermost range; T2 answers by the
 * path of its bisection, not by the most specific range.  Between boundaries
 * the last position probed answers if its range holds the address, else its
 * parent does.  The labels of a position are those of its range.
 */
#define _POSIX_C_SOURCE 200809L

#include "flow_geo_table.h"

#include <stddef.h>

static const geo_ranges_t *table_of(const geo_t *g, int ipver)
{
    return ipver == 4 ? g->v4 : ipver == 6 ? g->v6 : NULL;
}

uint32_t geo_count(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->nbounds / 2 : 0;
}

uint32_t geo_version(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->version : 0;
}

uint32_t geo_revision(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->revision : 0;
}

/* Numbers of 8, 4 and 3 bytes, spelt out so that compilers read each with
 * one load (and a byte swap where the host's order is the other). */
static inline uint64_t get64(const unsigned char *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

static inline uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t get24(const unsigned char *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[2];
}

static inline const unsigned char *bound_record(const geo_ranges_t *r, uint32_t pos)
{
    return r->bytes + (size_t)(pos - 1) * GEO_BOUND_SIZE;
}

/* The low 64 bits of the address at `pos`, whose record is `rec`. */
static uint64_t low_bits(const geo_ranges_t *r, uint32_t pos, const unsigned char *rec)
{
    const unsigned kind = rec[14];
    if (kind <= 64) return 0;
    if (kind >= 129) return ~(uint64_t)0;
    uint32_t low = 0, high = r->nlows;
    while (low < high) {
        const uint32_t mid = low + (high - low) / 2;
        const unsigned char *p = r->bytes + r->lows_at + (size_t)mid * GEO_LOW_SIZE;
        const uint32_t at = get32(p);
        if (at == pos) return get64(p + 4);
        if (at < pos) low = mid + 1;
        else high = mid;
    }
    return 0;                   /* (geo_pack() put every one there) */
}

/* cmp128(a, the address at `pos`), reading its low bits only if need be. */
static inline int cmp_at(const geo_ranges_t *r, u128_t a, uint32_t pos)
{
    const unsigned char *rec = bound_record(r, pos);
    const uint64_t hi = get64(rec);
    if (a.hi != hi) return a.hi < hi ? -1 : 1;
    const uint64_t lo = low_bits(r, pos, rec);
    if (a.lo != lo) return a.lo < lo ? -1 : 1;
    return 0;
}

/* The answer for an address equal to position `pos`.  IPv6 takes that
 * position.  IPv4 walks over the equal boundaries to the innermost range: an
 * odd address (a last address, usually) back to the first of them, an even
 * one on to the last of them, though, as in T2, not on to position n. */
static uint32_t equal_position(const geo_ranges_t *r, uint32_t pos, u128_t a)
{
    if (r->ipver == 6) return pos;
    if ((a.hi >> 32) & 1) {
        while (pos > 1 && cmp_at(r, a, pos - 1) == 0) pos--;
    } else {
        while (pos + 1 < r->nbounds && cmp_at(r, a, pos + 1) == 0) pos++;
    }
    return pos;
}

/* T2's bisection: the position whose labels an address gets, or 0. */
static uint32_t find_position(const geo_ranges_t *r, u128_t a)
{
    uint32_t low = 1, high = r->nbounds, probe = 0;
    while (low <= high) {
        probe = (low + high) / 2;
        const int c = cmp_at(r, a, probe);
        if (c == 0) return equal_position(r, probe, a);
        if (c < 0) high = probe - 1;
        else low = probe + 1;
    }
    /* between boundaries: the last probed is a neighbour of the address */
    const unsigned char *rec = bound_record(r, probe);
    const u128_t addr = {get64(rec), low_bits(r, probe, rec)};
    const unsigned kind = rec[14], len = kind >= 129 ? kind - 129 : kind;
    if (geo_same_prefix(a, addr, geo_check_len(r->ipver, len))) return probe;
    const uint32_t parent = get24(rec + 11);
    return parent <= r->nbounds ? parent : 0;
}

uint32_t geo_lookup(const geo_t *g, int ipver, const uint8_t *addr)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || r->nbounds == 0) return GEO_UNKNOWN;
    const u128_t a = geo_to128(ipver, addr);
    if (a.hi == 0 && a.lo == 0) return GEO_UNKNOWN;
    const uint32_t pos = find_position(r, a);
    return pos ? get24(bound_record(r, pos) + 8) : GEO_UNKNOWN;
}

/* The LABELS record of a subnet, or NULL; its table in `table`. */
static const unsigned char *label_of(const geo_t *g, int ipver, uint32_t subnet,
                                     const geo_ranges_t **table)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || subnet == GEO_UNKNOWN || subnet > r->nlabels) return NULL;
    *table = r;
    return r->bytes + r->labels_at + (size_t)(subnet - 1) * GEO_LABEL_SIZE;
}

const char *geo_country(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l ? (const char *)r->bytes + r->texts_at + get24(l) : "-";
}

const char *geo_org(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l ? (const char *)r->bytes + r->texts_at + (get32(l + 3) >> 1) : "-";
}

int geo_is_tor(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l && (get32(l + 3) & 1) != 0;
}
