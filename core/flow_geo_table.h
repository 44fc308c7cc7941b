/*
 * flow_geo_table.h - the in-memory form of a subnet table (see flow_geo.c).
 *
 * Shared by the three places that handle one: flow_geo.c builds it from T2's
 * text and searches it, tools/geo_compile.c writes a built table out as C
 * data, and the generated gen/geo_builtin.c holds the tables t2mini ships
 * with (data/subnets4.txt, data/subnets6.txt) in this form, so that a run
 * without -G costs no parsing and no sorting: the tables are read-only data
 * in the binary, and only the pages a lookup touches are ever loaded.
 */
#ifndef T2MINI_FLOW_GEO_TABLE_H
#define T2MINI_FLOW_GEO_TABLE_H

#include <stdint.h>

#include "flow_geo.h"

#define GEO_COUNTRY_LEN 2       /* characters T2 keeps of Country */
#define GEO_ORG_LEN 30          /* ... of Org */

/* An address, IPv4 in the top 32 bits, so that both versions share code. */
typedef struct {
    uint64_t hi, lo;
} u128_t;

/* The labels of a range, as T2 keeps them. */
typedef struct {
    uint32_t code;              /* CtryWhoCode */
    char country[GEO_COUNTRY_LEN + 1];
    char org[GEO_ORG_LEN + 1];
} geo_label_t;

/* One position of T2's flattened table. */
typedef struct {
    u128_t addr;                /* a range's first or last address */
    uint32_t label;             /* labels[label - 1] are the range's */
    uint32_t parent;            /* position of the first boundary of the range around it */
    uint8_t len;                /* the range's prefix length */
    uint8_t is_last;             /* last address of its range (else first) */
} geo_bound_t;

struct geo_ranges {
    int ipver;                  /* 4 or 6 */
    uint32_t version;           /* the table's format version and revision */
    uint32_t revision;          /* (its first line: "# VERSION REVISION") */
    const geo_bound_t *bounds;  /* positions 1..nbounds; bounds[0] unused */
    uint32_t nbounds;
    const geo_label_t *labels;
    uint32_t nlabels;
};

/* gen/geo_builtin.c */
extern const geo_ranges_t geoBuiltin4, geoBuiltin6;

#endif
