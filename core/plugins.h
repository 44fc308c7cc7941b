/*
 * plugins.h - how the core calls the plugins: each event goes to every
 * plugin that has a callback for it, in plugin order (T2's PLUGINORDER).
 *
 * The packet file: the core's own text (pktNo, flowInd, ...) is handed
 * to the stream before each plugin is called, so that what a plugin
 * fputs() there lands after the columns before it.
 */
#ifndef T2MINI_PLUGINS_H
#define T2MINI_PLUGINS_H

#include <stdint.h>
#include <stdio.h>

#include "binaryValue.h"
#include "out_buf.h"
#include "out_files.h"
#include "outputBuffer.h"
#include "packet.h"
#include "t2stats.h"          /* numPacketsL3: the pipeline counts, the end report prints */


/* Take the plugins the build links in, as T2 loads them: a plugin written
 * for another T2 version, or one whose t2Dependencies are not loaded
 * before it, is left out with an [ERR] line on stderr. */
void plugins_load(void);

/* "    01: basicFlow, 0.9.3": one line a plugin, for the banner */
void plugins_list(FILE *f);

/* t2Init of each plugin in turn, until one fails (t2Fail()); returns how
 * many were started: plugins_finalize() ends those. */
unsigned plugins_init(void);
void plugins_finalize(unsigned started);

/* A plugin called t2Fail(): the run's status will be 1. */
int plugins_failed(void);

void plugins_on_new_flow(packet_t *p, unsigned long flowIndex);
void plugins_on_layer2(packet_t *p, unsigned long flowIndex, out_files_t *of);
void plugins_on_layer4(packet_t *p, unsigned long flowIndex, out_files_t *of);

/* The flow file's columns: the core's two (dir, flowInd), then those of
 * each plugin's t2PrintHeader, in plugin order (core/plugins_header.c).
 * Free the list with bv_header_destroy(). */
binary_value_t *plugins_print_header(void);

/* A flow ended: each plugin appends its values to `buf` (after the core's
 * own two), then each sink gets them with their description `bv`. */
void plugins_on_flow_terminate(unsigned long flowIndex, outputBuffer_t *buf);
void plugins_buf_to_sink(outputBuffer_t *buf, binary_value_t *bv);
void plugins_report(FILE *f);
/* each plugin's lines in a monitoring report (its t2Monitoring) */
void plugins_monitoring_report(FILE *f);

#endif
