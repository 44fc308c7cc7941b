/*
 * plugin_list.h - the plugins t2mini runs, in calling order: one
 * T2_PLUGIN(name) line each, `name` being the plugin's t2_plugin_t.
 *
 * To add a plugin, add its line at the end (after txtSink is fine: the
 * sink writes the flow line only once every plugin has added its columns).
 * plugins.c reads this list twice, to declare the plugins and to make the
 * table t2Plugins[] of them: no other file needs an edit, not even the
 * Makefile, which builds every top-level .c file.
 */
T2_PLUGIN(basicFlowPlugin)
T2_PLUGIN(tcpWinPlugin)
T2_PLUGIN(txtSinkPlugin)
