/*
 * plugins_table.h - one plugin's callbacks, found by their names as T2
 * finds them (tools/plugins.sh makes the table gen/plugin_table.c from
 * the symbols each plugin defines); NULL for the ones it has not.
 */
#ifndef T2MINI_PLUGINS_TABLE_H
#define T2MINI_PLUGINS_TABLE_H

#include <stdint.h>
#include <stdio.h>

#include "binaryValue.h"
#include "outputBuffer.h"
#include "packet.h"

typedef struct {
    const char *(*t2PluginName)(void);
    const char *(*t2PluginVersion)(void);
    unsigned int (*t2SupportedT2Major)(void);
    unsigned int (*t2SupportedT2Minor)(void);
    const char *(*t2Dependencies)(void);
    void (*t2Init)(void);
    binary_value_t *(*t2PrintHeader)(void);
    void (*t2OnNewFlow)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnLayer2)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnLayer4)(packet_t *packet, unsigned long flowIndex);
    void (*t2OnFlowTerminate)(unsigned long flowIndex, outputBuffer_t *buf);
    void (*t2PluginReport)(FILE *stream);
    void (*t2Monitoring)(FILE *stream, uint8_t state);
    void (*t2Finalize)(void);
    void (*t2SaveState)(FILE *stream);
    void (*t2RestoreState)(const char *str);
    void (*t2BufferToSink)(outputBuffer_t *buf, binary_value_t *bv);
} t2_plugin_t;

/* How the generated table declares a callback a plugin defines. */
#define T2PL_DECLARE_t2PluginName(f)       const char *f(void)
#define T2PL_DECLARE_t2PluginVersion(f)    const char *f(void)
#define T2PL_DECLARE_t2SupportedT2Major(f) unsigned int f(void)
#define T2PL_DECLARE_t2SupportedT2Minor(f) unsigned int f(void)
#define T2PL_DECLARE_t2Dependencies(f)     const char *f(void)
#define T2PL_DECLARE_t2Init(f)             void f(void)
#define T2PL_DECLARE_t2PrintHeader(f)      binary_value_t *f(void)
#define T2PL_DECLARE_t2OnNewFlow(f)        void f(packet_t *packet, unsigned long flowIndex)
#define T2PL_DECLARE_t2OnLayer2(f)         void f(packet_t *packet, unsigned long flowIndex)
#define T2PL_DECLARE_t2OnLayer4(f)         void f(packet_t *packet, unsigned long flowIndex)
#define T2PL_DECLARE_t2OnFlowTerminate(f)  void f(unsigned long flowIndex, outputBuffer_t *buf)
#define T2PL_DECLARE_t2PluginReport(f)     void f(FILE *stream)
#define T2PL_DECLARE_t2Monitoring(f)       void f(FILE *stream, uint8_t state)
#define T2PL_DECLARE_t2Finalize(f)         void f(void)
#define T2PL_DECLARE_t2SaveState(f)        void f(FILE *stream)
#define T2PL_DECLARE_t2RestoreState(f)     void f(const char *str)
#define T2PL_DECLARE_t2BufferToSink(f)     void f(outputBuffer_t *buf, binary_value_t *bv)

/* The plugins, in plugin order (gen/plugin_table.c). */
extern const t2_plugin_t t2Plugins[];
extern const unsigned t2PluginCount;

#endif
