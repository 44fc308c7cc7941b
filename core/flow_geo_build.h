/*
 * flow_geo_build.h - a subnet table while it is built (flow_geo_load.c reads
 * T2's text into it, flow_geo_flatten.c turns it into T2's flattened list
 * and packs that into the searchable form of flow_geo_table.h).  Private to
 * those two files and tools/geo_compile.c.
 */
#ifndef T2MINI_FLOW_GEO_BUILD_H
#define T2MINI_FLOW_GEO_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "flow_geo_table.h"

/* The labels of a range, as T2 keeps them. */
typedef struct {
    uint32_t code;              /* CtryWhoCode */
    char country[GEO_COUNTRY_LEN + 1];
    char org[GEO_ORG_LEN + 1];
} geo_label_t;

/* One position of T2's flattened table, as built. */
typedef struct {
    u128_t addr;                /* a range's first or last address */
    uint32_t label;             /* labels[label - 1] are the range's */
    uint32_t parent;            /* position of the first boundary of the range around it */
    uint8_t len;                /* the range's prefix length */
    uint8_t is_last;             /* last address of its range (else first) */
} geo_bound_t;

#define GEO_CODE_LEN 10         /* ... of CtryWhoCode: "0x" and 8 hex digits */
#define GEO_TEXT_LEN 500        /* ... of a line from CtryWhoCode on */
#define GEO_TOR_BIT 0x00400000u /* CtryWhoCode bit of Tor nodes */

/* What differs between T2's IPv4 and IPv6 converters. */
typedef struct {
    int ipver;
    unsigned bits;              /* address length */
    size_t addr_width;           /* longest ADDR read */
    size_t range_width;          /* longest IPrange read */
} geo_format_t;


/* A line of the table, or a part of one: [s, end), not NUL-terminated (the
 * table is read through a read-only mapping of the file). */
typedef struct {
    const char *s, *end;
} span_t;


/* The table being built, with room for every line of the file. */
typedef struct {
    const geo_format_t *fmt;
    uint32_t version, revision; /* from the first line */
    geo_bound_t *bounds;        /* two per line at most; bounds[0] unused */
    uint32_t nbounds;
    geo_label_t *labels;        /* one per line at most */
    uint32_t nlabels;
    span_t *texts;              /* texts[label - 1]: the range's line from CtryWhoCode on */
} geo_build_t;

/* A table read from text: its searchable form and the string it owns. */
struct geo_loaded {
    geo_ranges_t ranges;
    unsigned char *bytes;
};

static inline int cmp128(u128_t a, u128_t b)
{
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    return 0;
}

/* Steps 2 to 4 of T2's conversion (flow_geo_flatten.c), in place: 0, or
 * -1 when memory is short. */
int geo_flatten(geo_build_t *b);

/* The searchable form of a flattened table, or NULL with the reason in *why. */
geo_loaded_t *geo_pack(const geo_build_t *b, const char **why);

#endif
