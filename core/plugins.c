/*
 * plugins.c - the table of plugins, made from plugin_list.h.
 *
 * As in T2's reference configuration: basicFlow, tcpWin, then the text
 * sink.  A new plugin is a new file and one line in plugin_list.h; the
 * list is read twice, with two meanings of T2_PLUGIN(name):
 */
#include "t2Plugin.h"

/* 1. declare every plugin (each is defined in its own file) */
#define T2_PLUGIN(name) extern const t2_plugin_t name;
#include "plugin_list.h"
#undef T2_PLUGIN

/* 2. list them, in order */
#define T2_PLUGIN(name) &name,
const t2_plugin_t *const t2Plugins[] = {
#include "plugin_list.h"
};
#undef T2_PLUGIN

const unsigned t2PluginCount = sizeof(t2Plugins) / sizeof(t2Plugins[0]);
