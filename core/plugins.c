/*
 * plugins.c - the calls of the plugins' callbacks (see plugins.h), in
 * plugin order, from the table tools/plugins.sh makes of the plugins the
 * build links in (gen/plugin_table.c).
 */
#include <string.h>

#include "plugins.h"
#include "plugins_table.h"
#include "t2Plugin.h"       /* T2_MON_PRI_REPORT, BV_APPEND_U64 */

/* The plugins that pass T2's checks at load time (plugins_load()), in
 * plugin order: every loop below walks these. */
#define PLUGINS_MAX 256
static const t2_plugin_t *active[PLUGINS_MAX];
static unsigned active_count;

/* T2 0.9.3 loads plugins written for T2 0.9 only (major 0, minor 9), with
 * a version string of 1 to 15 characters. */
static int version_ok(const t2_plugin_t *pl, const char *name)
{
    const char *v = pl->t2PluginVersion ? pl->t2PluginVersion() : NULL;
    const size_t len = v ? strlen(v) : 0;
    if (len == 0 || len >= 16) {
        fprintf(stderr, "[ERR] %s: plugin version %s\n", name, len ? "too long" : "is required");
        return 0;
    }
    const unsigned major = pl->t2SupportedT2Major ? pl->t2SupportedT2Major() : 0;
    const unsigned minor = pl->t2SupportedT2Minor ? pl->t2SupportedT2Minor() : 0;
    if (major > 0 || minor != 9) {
        fprintf(stderr, "[ERR] %s: version %u.%u not supported (minimum required is 0.9)\n",
                name, major, minor);
        return 0;
    }
    return 1;
}

/* t2Dependencies: "a,b,c", each a plugin loaded before this one. */
static int deps_ok(const t2_plugin_t *pl, const char *name)
{
    const char *deps = pl->t2Dependencies ? pl->t2Dependencies() : NULL;
    for (const char *d = deps; d && *d; ) {
        const size_t len = strcspn(d, ",");
        int found = 0;
        for (unsigned i = 0; i < active_count && !found; i++) {
            const char *other = active[i]->t2PluginName();
            found = strlen(other) == len && strncmp(other, d, len) == 0;
        }
        if (len > 0 && !found) {
            fprintf(stderr, "[ERR] %s: missing dependencies: %s\n", name, deps);
            return 0;
        }
        d += len + (d[len] == ',');
    }
    return 1;
}

void plugins_load(void)
{
    active_count = 0;
    for (unsigned i = 0; i < t2PluginCount && active_count < PLUGINS_MAX; i++) {
        const t2_plugin_t *pl = &t2Plugins[i];
        const char *name = pl->t2PluginName();
        if (version_ok(pl, name) && deps_ok(pl, name)) active[active_count++] = pl;
    }
}

static int plugin_failed;

void t2Fail(void)
{
    plugin_failed = 1;
}

int plugins_failed(void)
{
    return plugin_failed;
}

unsigned t2_plugin_count(void)
{
    return active_count;
}

const char *t2_plugin_name(unsigned i)
{
    return active[i]->t2PluginName();
}

const char *t2_plugin_version(unsigned i)
{
    return active[i]->t2PluginVersion ? active[i]->t2PluginVersion() : "";
}

void plugins_list(FILE *f)
{
    for (unsigned i = 0; i < active_count; i++) {
        const t2_plugin_t *pl = active[i];
        fprintf(f, "    %02u: %s, %s\n", i + 1, pl->t2PluginName(),
                pl->t2PluginVersion ? pl->t2PluginVersion() : "");
    }
}

unsigned plugins_init(void)
{
    unsigned started = 0;
    plugin_failed = 0;
    for (; started < active_count && !plugin_failed; started++) {
        if (active[started]->t2Init) active[started]->t2Init();
    }
    return started;
}

void plugins_finalize(unsigned started)
{
    for (unsigned i = 0; i < started; i++) {
        if (active[i]->t2Finalize) active[i]->t2Finalize();
    }
}

void plugins_on_new_flow(packet_t *p, unsigned long flowIndex)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2OnNewFlow) active[i]->t2OnNewFlow(p, flowIndex);
    }
}

void plugins_on_layer2(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (of) out_files_pkt_sync(of);
        if (active[i]->t2OnLayer2) active[i]->t2OnLayer2(p, flowIndex);
    }
}

void plugins_on_layer4(packet_t *p, unsigned long flowIndex, out_files_t *of)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (of) out_files_pkt_sync(of);
        if (active[i]->t2OnLayer4) active[i]->t2OnLayer4(p, flowIndex);
    }
}

void plugins_on_flow_terminate(unsigned long flowIndex, outputBuffer_t *buf)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2OnFlowTerminate) active[i]->t2OnFlowTerminate(flowIndex, buf);
    }
}

void plugins_buf_to_sink(outputBuffer_t *buf, binary_value_t *bv)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2BufferToSink) active[i]->t2BufferToSink(buf, bv);
    }
}

void plugins_report(FILE *f)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2PluginReport) active[i]->t2PluginReport(f);
    }
}

void plugins_monitoring_report(FILE *f)
{
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2Monitoring) active[i]->t2Monitoring(f, T2_MON_PRI_REPORT);
    }
}

/* The flow file's columns: the core's two (dir, flowInd), then each
 * plugin's t2PrintHeader, in plugin order. */
binary_value_t *plugins_print_header(void)
{
    binary_value_t *bv = bv_new_bv("dir", "Flow direction", BV_REPEAT_NO, 1, bt_flow_direction);
    BV_APPEND_U64(bv, "flowInd", "Flow index");
    for (unsigned i = 0; i < active_count; i++) {
        if (active[i]->t2PrintHeader) bv = bv_append_bv(bv, active[i]->t2PrintHeader());
    }
    return bv;
}
