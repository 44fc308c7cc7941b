/*
 * flow_geo_table.h - the searchable form of a subnet table (see flow_geo.c).
 *
 * Shared by the three places that handle one: flow_geo.c builds it from T2's
 * text and searches it, tools/geo_compile.c prints a built table as C data,
 * and the generated gen/geo_builtin.c holds the tables t2mini ships with
 * (data/subnets4.txt, data/subnets6.txt) in this form.  A run without -G so
 * costs no parsing, no sorting and no unpacking: the tables are read-only
 * data in the binary, searched where they lie, and only the pages a lookup
 * touches are ever loaded.
 *
 * The form is one byte string of fixed-width records and big-endian numbers
 * (flow_geo.c describes it, before pack_table()), the same on every host and
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

/* gen/geo_builtin.c */
extern const geo_ranges_t geoBuiltin4, geoBuiltin6;

#endif
