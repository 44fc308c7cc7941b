/*
 * main.h - what T2's core shares with its plugins.
 */
#ifndef T2MINI_MAIN_H
#define T2MINI_MAIN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "flow.h"
#include "fsutils.h"        /* t2_file_manager */

extern flow_t *flows;           /* the flows: flows[flowIndex] */
extern FILE *sPktFile;          /* the packet file (-s), else NULL */
extern uint64_t globalWarn;     /* flowStat bits of every packet and flow
                                   so far ("Aggregated flowStat") */

/* The output prefix: the flow file is baseFileName "_flows.txt". */
extern char *baseFileName;
extern size_t baseFileName_len;

/* Where plugins find the files they read: $HOME/.tranalyzer/plugins/ as
 * in T2 (t2mini has no -p option: its plugins are compiled in). */
extern char *pluginFolder;
extern size_t pluginFolder_len;

/* T2's pcapd plugin writes the packets of alarm flows to a file of this
 * name; t2mini has no pcapd. */
#define esomFileName t2mini_has_no_pcapd

#endif
