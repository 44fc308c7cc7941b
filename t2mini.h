/*
 * t2mini.h - running the whole pipeline on one capture.
 *
 * main() in t2mini.c parses the command line into an options_t and calls
 * t2mini_run(); the fuzzer (fuzz/) calls it directly, with the capture in
 * a memory stream.
 */
#ifndef T2MINI_T2MINI_H
#define T2MINI_T2MINI_H

#include <stdint.h>
#include <stdio.h>

#include "flow_geo.h"

typedef struct {
    const char *input;          /* -r: the capture (its name, for messages) */
    FILE *inputStream;          /* read the capture from here instead */
    const char *outPrefix;      /* -w */
    const char *geoDir;         /* -G */
    const geo_t *geo;           /* or subnet tables loaded already */
    int packetMode;             /* -s */
    FILE *report;               /* where the end report goes (stdout) */
    FILE *diag;                 /* errors and warnings (NULL: stderr) */
    int discardOutput;          /* write every output file to /dev/null */
    uint32_t flowCapacity;      /* flow table size (FLOW_CAPACITY) */
} options_t;

/* Process one capture; returns the exit status (0 ok, 1 failed). */
int t2mini_run(const options_t *o);

#endif
