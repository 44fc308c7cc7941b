/*
 * plugins.c - the table of plugins, made from plugin_list.h, and the
 * calls of their callbacks (see plugins.h).
 *
 * As in T2's reference configuration: basicFlow, tcpWin, then the text
 * sink.  The list is read twice, with two meanings of T2_PLUGIN(name):
 */
#include "plugins.h"
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

static int plugin_failed;

void t2Fail(void)
{
    plugin_failed = 1;
}

int plugins_failed(void)
{
    return plugin_failed;
}

void plugins_list(FILE *f)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        fprintf(f, "    %02u: %s, %s\n", i + 1, t2Plugins[i]->name, t2Plugins[i]->version);
    }
}

unsigned plugins_init(void)
{
    unsigned started = 0;
    plugin_failed = 0;
    for (; started < t2PluginCount && !plugin_failed; started++) {
        if (t2Plugins[started]->t2Init) t2Plugins[started]->t2Init();
    }
    return started;
}

void plugins_finalize(unsigned started)
{
    for (unsigned i = 0; i < started; i++) {
        if (t2Plugins[i]->t2Finalize) t2Plugins[i]->t2Finalize();
    }
}

void plugins_on_new_flow(packet_t *p, unsigned long flowIndex)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnNewFlow) t2Plugins[i]->t2OnNewFlow(p, flowIndex);
    }
}

void plugins_on_layer2(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (of) out_files_pkt_sync(of);
        if (t2Plugins[i]->t2OnLayer2) t2Plugins[i]->t2OnLayer2(p, flowIndex);
    }
}

void plugins_on_layer4(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (of) out_files_pkt_sync(of);
        if (t2Plugins[i]->t2OnLayer4) t2Plugins[i]->t2OnLayer4(p, flowIndex);
    }
}

void plugins_on_flow_terminate(unsigned long flowIndex, outputBuffer_t *buf)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2OnFlowTerminate) t2Plugins[i]->t2OnFlowTerminate(flowIndex, buf);
    }
}

void plugins_buf_to_sink(outputBuffer_t *buf, binary_value_t *bv)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2BufferToSink) t2Plugins[i]->t2BufferToSink(buf, bv);
    }
}

void plugins_report(FILE *f)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2PluginReport) t2Plugins[i]->t2PluginReport(f);
    }
}

void plugins_monitoring_report(FILE *f)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2Monitoring) t2Plugins[i]->t2Monitoring(f, T2_MON_PRI_REPORT);
    }
}
