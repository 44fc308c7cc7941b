/*
 * out_banner.h - the lines the report starts with, before "Dump start:".
 */
#ifndef T2MINI_OUT_BANNER_H
#define T2MINI_OUT_BANNER_H

#include <stdint.h>
#include <stdio.h>

#include "flow_geo.h"

/* The banner: t2mini's own first line (PID, priority, sensor ID as in
 * T2's), the date, the kinds of flows made. */
void banner_print(FILE *f, uint32_t sensor_id);

/* "Active plugins:", one line each, then the subnet tables' versions
 * (geo NULL: none loaded). */
void banner_plugins(FILE *f, const geo_t *geo);

#endif
