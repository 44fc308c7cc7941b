/*
 * plugins.c - the calls of the plugins' callbacks (see plugins.h), in
 * plugin order, from the table tools/plugins.sh makes of the plugins the
 * build links in (gen/plugin_table.c).
 */
#include "plugins.h"
#include "plugins_table.h"

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
        const t2_plugin_t *pl = &t2Plugins[i];
        fprintf(f, "    %02u: %s, %s\n", i + 1, pl->t2PluginName(),
                pl->t2PluginVersion ? pl->t2PluginVersion() : "");
    }
}

unsigned plugins_init(void)
{
    unsigned started = 0;
    plugin_failed = 0;
    for (; started < t2PluginCount && !plugin_failed; started++) {
        if (t2Plugins[started].t2Init) t2Plugins[started].t2Init();
    }
    return started;
}

void plugins_finalize(unsigned started)
{
    for (unsigned i = 0; i < started; i++) {
        if (t2Plugins[i].t2Finalize) t2Plugins[i].t2Finalize();
    }
}

void plugins_on_new_flow(packet_t *p, unsigned long flowIndex)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i].t2OnNewFlow) t2Plugins[i].t2OnNewFlow(p, flowIndex);
    }
}

void plugins_on_layer2(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (of) out_files_pkt_sync(of);
        if (t2Plugins[i].t2OnLayer2) t2Plugins[i].t2OnLayer2(p, flowIndex);
    }
}

void plugins_on_layer4(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (of) out_files_pkt_sync(of);
        if (t2Plugins[i].t2OnLayer4) t2Plugins[i].t2OnLayer4(p, flowIndex);
    }
}

void plugins_on_flow_terminate(unsigned long flowIndex, outbuf_t *line)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i].t2OnFlowTerminate) t2Plugins[i].t2OnFlowTerminate(flowIndex, line);
    }
}

void plugins_buf_to_sink(outbuf_t *line, unsigned long flowIndex)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i].t2BufToSink) t2Plugins[i].t2BufToSink(line, flowIndex);
    }
}

void plugins_report(FILE *f)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i].t2PluginReport) t2Plugins[i].t2PluginReport(f);
    }
}

void plugins_monitoring_report(FILE *f)
{
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i].t2Monitoring) t2Plugins[i].t2Monitoring(f, T2_MON_PRI_REPORT);
    }
}
