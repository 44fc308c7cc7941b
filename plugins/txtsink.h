/*
 * txtsink.h - txtSink, the plugin that writes the flow file.
 */
#ifndef T2MINI_TXTSINK_H
#define T2MINI_TXTSINK_H

#include "t2Plugin.h"

extern const t2_plugin_t txtSinkPlugin;

#endif
