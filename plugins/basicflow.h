/*
 * basicflow.h - basicFlow, the plugin that describes every flow.
 */
#ifndef T2MINI_BASICFLOW_H
#define T2MINI_BASICFLOW_H

#include "t2Plugin.h"

extern const t2_plugin_t basicFlowPlugin;

#endif
