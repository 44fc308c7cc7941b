/*
 * plugins_header.c - the flow file's columns (see plugins.h).
 */
#include "plugins.h"
#include "t2Plugin.h"

binary_value_t *plugins_print_header(void)
{
    binary_value_t *bv = bv_new_bv("dir", "Flow direction", BV_REPEAT_NO, 1, bt_flow_direction);
    BV_APPEND_U64(bv, "flowInd", "Flow index");
    for (unsigned i = 0; i < t2PluginCount; i++) {
        if (t2Plugins[i]->t2PrintHeader) bv = bv_append_bv(bv, t2Plugins[i]->t2PrintHeader());
    }
    return bv;
}
