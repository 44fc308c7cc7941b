/*
 * fuzz_t2mini.c - libFuzzer target: one input = one capture file.
 *
 * The input goes through the same path as `t2mini -r FILE -s`: libpcap
 * reads it from a memory stream (pcap or pcapng, link type from its own
 * header), and the whole pipeline runs, plugins and output files included.
 * The output files and the end report are written to /dev/null.
 *
 *   make fuzz FUZZ_SECONDS=600
 */
/* POSIX.1-2008: fmemopen */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow_table.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull) {
        perror("/dev/null");
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) return 0;                /* fmemopen needs a buffer */
    FILE *f = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (!f) return 0;
    options_t o;
    memset(&o, 0, sizeof(o));
    o.input = "fuzz-input";
    o.input_stream = f;                      /* t2mini_run owns it now */
    o.out_prefix = "fuzz-output";
    o.discard_output = 1;
    o.packet_mode = 1;
    o.report = devnull;
    o.diag = devnull;
    o.flow_capacity = 256;                   /* small table: fast set-up,
                                               and the eviction path runs */
    (void)t2mini_run(&o);
    return 0;
}
