/*
 * flow_geo.h - country and organisation labels from T2's subnet tables.
 *
 * basicFlow's srcIPCC/srcIPOrg/dstIPCC/dstIPOrg columns name the subnet an
 * address belongs to.  The labels come from T2's text tables subnets4.txt
 * and subnets6.txt (one CIDR range per line; see data/README.md): the
 * copies in data/ are compiled into t2mini, and -G DIR reads others at
 * start-up.  An address gets the labels T2 gives it.
 * T2 searches a flattened list of range boundaries (flow_geo.c builds and searches
 * the same list): that yields the most specific range containing the
 * address, except at times where nested ranges share a first or a last
 * address.  An address in no range, and every address when no table is
 * loaded, gets T2's unknown label "-".
 */
#ifndef T2MINI_GEO_H
#define T2MINI_GEO_H

#include <stddef.h>
#include <stdint.h>

#define GEO_UNKNOWN 0u      /* subnet number of "no range" */

typedef struct geo_ranges geo_ranges_t;
typedef struct geo_loaded geo_loaded_t;

typedef struct {
    const geo_ranges_t *v4;     /* the tables searched */
    const geo_ranges_t *v6;
    geo_loaded_t *loaded[2];    /* what geo_load() allocated (geo_free() frees it) */
} geo_t;

/* The tables t2mini was built with: data/subnets4.txt and data/subnets6.txt,
 * compiled in (flow_geo_table.h), so they cost nothing to load. */
void geo_builtin(geo_t *g);

/* Load DIR/subnets4.txt and DIR/subnets6.txt.  On failure returns -1 and
 * writes one line naming the file (and line) and the problem to `err`. */
int geo_load(geo_t *g, const char *dir, char *err, size_t errLen);
void geo_free(geo_t *g);

/* Number of ranges loaded for IP version 4 or 6, counted as T2 counts them
 * (half the boundaries of its flattened table). */
uint32_t geo_count(const geo_t *g, int ipver);

/* The version and revision a table names in its first line ("#\t5\t03012021"
 * in T2's tables), 0 where it names none; T2's banner prints them. */
uint32_t geo_version(const geo_t *g, int ipver);
uint32_t geo_revision(const geo_t *g, int ipver);

/* Subnet number of an address (4 or 16 bytes, network order), or
 * GEO_UNKNOWN.  The all-zero address is always unknown, as in T2. */
uint32_t geo_lookup(const geo_t *g, int ipver, const uint8_t *addr);

/* Labels of a subnet number; "-" for GEO_UNKNOWN or ipver 0. */
const char *geo_country(const geo_t *g, int ipver, uint32_t subnet);
const char *geo_org(const geo_t *g, int ipver, uint32_t subnet);

/* True if the subnet's code marks a Tor node (T2 raises TORADD). */
int geo_is_tor(const geo_t *g, int ipver, uint32_t subnet);

#endif
