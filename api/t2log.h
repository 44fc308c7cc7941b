/*
 * t2log.h - T2's messages and end-report lines, for plugins.
 *
 *   T2_PLOG(plugin_name, "...", ...)       "tcpWin: ..."           report
 *   T2_PINF / T2_POK / T2_PWRN (same)      "[INF] tcpWin: ..."     report
 *   T2_PERR (same)                         "[ERR] tcpWin: ..."     stderr
 *   T2_PFATAL (same)                       T2_PERR, then exit(1)
 *   T2_FPLOG(stream, plugin_name, "...")   "tcpWin: ..." on stream
 *
 * The report is dooF: stdout, or PREFIX_log.txt with -l.  Every message
 * ends with a newline, added here.  T2 colours the prefixes on a
 * terminal; t2mini prints no colours.
 *
 * The number lines read "prefix: 1234 (1.23 K) [5.67%]", as every count
 * of T2's end report (core/out_report.c writes them):
 *
 *   T2_FPLOG_NUMP(stream, plugin_name, "Number of X", n, total)
 *                                   "plugin: Number of X: n (h) [p%]"
 *   T2_FPLOG_NUM(stream, plugin_name, "Number of X", n)
 *                                   "plugin: Number of X: n (h)"
 *   T2_FLOG_NUMP(stream, "Number of X", n, total)     without the plugin
 *   T2_FPLOG_AGGR_HEX(stream, plugin_name, var)
 *                                   "plugin: Aggregated var=0x0012"
 *                                   (two hex digits per byte of var)
 *
 * These print nothing when the number is 0; the forms ending in 0
 * (T2_FPLOG_NUMP0, T2_FPLOG_AGGR_HEX0, ...) print it anyway.  The
 * percentage is of total, 0.00 for a total of 0.  The DIFF forms print
 * num - num0 of total - total0, where num0 and total0 are variables of
 * those names with a 0 appended (T2's differential monitoring reports,
 * DIFF_REPORT=1); they too print nothing when num is 0.
 */
#ifndef T2MINI_T2LOG_H
#define T2MINI_T2LOG_H

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tranalyzer.h"     /* DEBUG */

#if defined(__GNUC__) || defined(__clang__)
#define T2_PRINTF_LIKE(fmt, args) __attribute__((__format__(__printf__, fmt, args)))
#else
#define T2_PRINTF_LIKE(fmt, args)
#endif

/* Hex digits for printf, lower case as T2 prints them (T2's bin2txt.h,
 * HEX_CAPITAL 0): "0x%02" B2T_PRIX8.  bin2txt.h may have them too. */
#ifndef B2T_PRIX8
#define B2T_PRIX8      PRIx8
#endif
#ifndef B2T_PRIX16
#define B2T_PRIX16     PRIx16
#endif
#ifndef B2T_PRIX32
#define B2T_PRIX32     PRIx32
#endif
#ifndef B2T_PRIX64
#define B2T_PRIX64     PRIx64
#endif
#ifndef B2T_PRIXFAST8
#define B2T_PRIXFAST8  PRIxFAST8
#endif
#ifndef B2T_PRIXFAST16
#define B2T_PRIXFAST16 PRIxFAST16
#endif
#ifndef B2T_PRIXFAST32
#define B2T_PRIXFAST32 PRIxFAST32
#endif
#ifndef B2T_PRIXFAST64
#define B2T_PRIXFAST64 PRIxFAST64
#endif

/* The end report's stream (T2's -l option): stdout or PREFIX_log.txt. */
extern FILE *dooF;

/* One message: tag ("[WRN] ", or ""), "plugin: " unless plugin is NULL,
 * the formatted text, a newline.  The macros below call it. */
void t2_log_line(FILE *stream, const char *tag, const char *plugin, const char *format, ...)
    T2_PRINTF_LIKE(4, 5);

/* "plugin: prefix: n (h) [p%]" (plugin NULL: without it; pct 0: without
 * the percentage); n is printed as an unsigned 64-bit number, the
 * percentage is 100 * num / total. */
void t2_log_num(FILE *stream, const char *plugin, const char *prefix, uint64_t n,
                int pct, double num, double total);

/* "plugin: Aggregated name=0x..." with 2 * bytes hex digits */
void t2_log_aggr_hex(FILE *stream, const char *plugin, const char *name, uint64_t v, int bytes);

/* " (1.23 K)" for num >= 1024, else "" (suffix after the unit: "b/s");
 * returns the length written to numstr. */
int t2_conv_readable_num(uint64_t num, char *numstr, size_t size, const char *suffix);

/* T2_CONV_NUM(n, buf): buf, a char array, gets " (1.23 K)" or "" */
#define T2_CONV_NUM_SFX(num, str, sfx) t2_conv_readable_num((uint64_t)(num), (str), sizeof(str), (sfx))
#define T2_CONV_NUM(num, str) T2_CONV_NUM_SFX((num), (str), "")

/* -------------------------------------------------------- messages */

#define T2_FPLOG(stream, plugin_name, ...) t2_log_line((stream), "", (plugin_name), __VA_ARGS__)
#define T2_FPINF(stream, plugin_name, ...) t2_log_line((stream), "[INF] ", (plugin_name), __VA_ARGS__)
#define T2_FPOK(stream, plugin_name, ...)  t2_log_line((stream), "[OK] ", (plugin_name), __VA_ARGS__)
#define T2_FPWRN(stream, plugin_name, ...) t2_log_line((stream), "[WRN] ", (plugin_name), __VA_ARGS__)
#define T2_FPERR(stream, plugin_name, ...) t2_log_line((stream), "[ERR] ", (plugin_name), __VA_ARGS__)

#define T2_PLOG(plugin_name, ...) T2_FPLOG(dooF, (plugin_name), __VA_ARGS__)
#define T2_PINF(plugin_name, ...) T2_FPINF(dooF, (plugin_name), __VA_ARGS__)
#define T2_POK(plugin_name, ...)  T2_FPOK(dooF, (plugin_name), __VA_ARGS__)
#define T2_PWRN(plugin_name, ...) T2_FPWRN(dooF, (plugin_name), __VA_ARGS__)
#define T2_PERR(plugin_name, ...) T2_FPERR(stderr, (plugin_name), __VA_ARGS__)
#define T2_PFATAL(plugin_name, ...) do { \
        T2_PERR((plugin_name), __VA_ARGS__); \
        exit(EXIT_FAILURE); \
    } while (0)

/* the same without a plugin name */
#define T2_FLOG(stream, ...) t2_log_line((stream), "", NULL, __VA_ARGS__)
#define T2_LOG(...) t2_log_line(dooF, "", NULL, __VA_ARGS__)
#define T2_INF(...) t2_log_line(dooF, "[INF] ", NULL, __VA_ARGS__)
#define T2_WRN(...) t2_log_line(dooF, "[WRN] ", NULL, __VA_ARGS__)
#define T2_ERR(...) t2_log_line(stderr, "[ERR] ", NULL, __VA_ARGS__)
#define T2_FATAL(...) do { \
        T2_ERR(__VA_ARGS__); \
        exit(EXIT_FAILURE); \
    } while (0)

/* debug messages: T2 prints them with DEBUG > 0, which t2mini has not */
#define T2_DBG(...)
#define T2_PDBG(plugin_name, ...)

/* --------------------------------------------------- numbers and bits */

#define T2_FLOG_NUMP0(stream, prefix, num, total) \
    t2_log_num((stream), NULL, (prefix), (uint64_t)(num), 1, (double)(num), (double)(total))
#define T2_FLOG_NUMP(stream, prefix, num, total) do { \
        if ((num) > 0) T2_FLOG_NUMP0((stream), (prefix), (num), (total)); \
    } while (0)

#define T2_FPLOG_NUM0(stream, plugin, prefix, num) \
    t2_log_num((stream), (plugin), (prefix), (uint64_t)(num), 0, 0.0, 0.0)
#define T2_FPLOG_NUM(stream, plugin, prefix, num) do { \
        if ((num) > 0) T2_FPLOG_NUM0((stream), (plugin), (prefix), (num)); \
    } while (0)

#define T2_FPLOG_NUMP0(stream, plugin, prefix, num, total) \
    t2_log_num((stream), (plugin), (prefix), (uint64_t)(num), 1, (double)(num), (double)(total))
#define T2_FPLOG_NUMP(stream, plugin, prefix, num, total) do { \
        if ((num) > 0) T2_FPLOG_NUMP0((stream), (plugin), (prefix), (num), (total)); \
    } while (0)

#define T2_FPLOG_DIFFNUMP0(stream, plugin, prefix, num, total) \
    T2_FPLOG_NUMP0((stream), (plugin), (prefix), (num) - (num##0), (total) - (total##0))
#define T2_FPLOG_DIFFNUMP(stream, plugin, prefix, num, total) do { \
        if ((num) > 0) T2_FPLOG_DIFFNUMP0((stream), (plugin), (prefix), num, total); \
    } while (0)
/* T2 has this form too, with the stream first despite its name */
#define T2_PLOG_DIFFNUMP(stream, plugin, prefix, num, total) \
    T2_FPLOG_DIFFNUMP((stream), (plugin), (prefix), num, total)

#define T2_LOG_NAME_(var) #var
#define T2_LOG_NAME(var) T2_LOG_NAME_(var)  /* var's name, macros expanded */
#define T2_FPLOG_AGGR_HEX0(stream, plugin_name, var) \
    t2_log_aggr_hex((stream), (plugin_name), T2_LOG_NAME(var), (uint64_t)(var), (int)sizeof(var))
#define T2_FPLOG_AGGR_HEX(stream, plugin_name, var) do { \
        if ((var) > 0) T2_FPLOG_AGGR_HEX0((stream), (plugin_name), var); \
    } while (0)

#endif
