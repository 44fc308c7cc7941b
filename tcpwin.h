/*
 * tcpwin.h - tcpWin, the plugin of Tranalyzer2's plugin tutorials.
 *
 * tcpWin counts, per flow, the TCP packets whose advertised window is
 * below a threshold (zero windows, with the default threshold of 1), and
 * flags the flows that had any.  In packet mode (-s) it adds two columns
 * to the packet file: the packet's window and the flow's count so far.
 */
#ifndef T2MINI_TCPWIN_H
#define T2MINI_TCPWIN_H

#include <stdint.h>

#include "t2Plugin.h"

/* ---------------------- user configuration ------------------------- */

#define TCPWIN_THRES 1      /* count packets with a window below this */

/* ------------------------------------------------------------------- */

#define TCPWIN_STAT_THU 0x01    /* a window below the threshold was seen */

/* Per-flow state: one of these for every flow index. */
typedef struct {
    uint32_t winThCnt;      /* packets with a window below TCPWIN_THRES */
    uint8_t stat;           /* TCPWIN_STAT_* bits */
} tcpWinFlow_t;

/* for plugins that depend on tcpWin (T2_PLUGIN_INIT_WITH_DEPS) */
extern tcpWinFlow_t *tcpWinFlows;


#endif
