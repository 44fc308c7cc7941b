/*
 * t2log.c - T2's messages and report lines (see t2log.h), in the formats
 * of t2mini's end report (core/out_report.c).
 */
#include "t2log.h"

#include <stdarg.h>
#include <string.h>

#include "out_report.h"

void t2_log_line(FILE *stream, const char *tag, const char *plugin, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    fputs(tag, stream);
    if (plugin) fprintf(stream, "%s: ", plugin);
    vfprintf(stream, format, args);
    fputc('\n', stream);
    va_end(args);
    if (stream == stderr) fflush(stream);   /* T2 flushes its errors */
}

void t2_log_num(FILE *stream, const char *plugin, const char *prefix, uint64_t n,
                int pct, double num, double total)
{
    report_count(stream, plugin, prefix, n, pct, num, total);
}

void t2_log_aggr_hex(FILE *stream, const char *plugin, const char *name, uint64_t v, int bytes)
{
    report_aggr(stream, plugin, name, v, bytes);
}

int t2_conv_readable_num(uint64_t num, char *numstr, size_t size, const char *suffix)
{
    report_readable(numstr, size, num, suffix);
    return (int)strlen(numstr);
}
