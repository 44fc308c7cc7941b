/*
 * flow_geo_builtin.c - the subnet tables compiled into t2mini.
 *
 * `make` turns data/subnets4.txt and data/subnets6.txt into gen/geo_builtin.c
 * with tools/geo_compile.c: the tables flattened and sorted as flow_geo.c
 * would build them at run time, in the searchable form of flow_geo_table.h,
 * written as constant C data.  This file only hands them out; it is apart
 * from flow_geo.c so that the compiler tool, which links flow_geo.c to build
 * the tables, does not need them.
 */
#include <string.h>

#include "flow_geo_table.h"

void geo_builtin(geo_t *g)
{
    memset(g, 0, sizeof(*g));
    g->v4 = &geoBuiltin4;
    g->v6 = &geoBuiltin6;
}
