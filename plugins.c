/*
 * plugins.c - the plugins t2mini runs, in calling order.
 *
 * As in T2's reference configuration: basicFlow, tcpWin, then the text
 * sink.  A new plugin is a new file and one line here.
 */
#include "basicflow.h"
#include "tcpwin.h"
#include "txtsink.h"

const t2_plugin_t *const t2Plugins[] = {
    &basicFlowPlugin,
    &tcpWinPlugin,
    &txtSinkPlugin,
};

const unsigned t2PluginCount = sizeof(t2Plugins) / sizeof(t2Plugins[0]);
