/*
 * out_report.h - T2's end-report line formats, for the core and the plugins.
 *
 * Counts read "Number of X: 1234 (1.23 K) [56.78%]": the human-readable
 * part appears from 1024 on (T2 picks the unit with ilogb(n) / 10 but
 * divides by powers of 1000), the share is of `total` with two decimals.
 * The "_if" forms print nothing for a zero count, as T2's do.  Plugins
 * reach these through T2's macros (api/t2log.h).
 */
#ifndef T2MINI_REPORT_H
#define T2MINI_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* the 80 dashes that frame T2's end report and its monitoring report */
#define REPORT_RULE "--------------------------------------------------------------------------------\n"

/* " (1.23 K)" for n >= 1024, "" otherwise; `suffix` follows the unit. */
void report_readable(char *out, size_t out_len, uint64_t n, const char *suffix);

/* A double converted to uint64_t as T2's report converts it (a C cast,
 * compiled by gcc for x86-64), out-of-range values included: negative
 * values wrap, 2^64 and more give 0, NaN gives 2^63.  A plain cast would be
 * undefined behaviour for those. */
uint64_t report_u64_of(double v);

/* "plugin: label: n (h) [p%]": the line of every count in T2's reports;
 * without "plugin: " for plugin NULL, without the percentage for pct 0.
 * n is printed, the percentage is 100 * num / total (num is n, but for
 * what T2's plugins pass to their report macros). */
void report_count(FILE *f, const char *plugin, const char *label, uint64_t n, int pct,
                  double num, double total);

/* "label: n (h)" */
void report_num(FILE *f, const char *label, uint64_t n);
void report_num_if(FILE *f, const char *label, uint64_t n);

/* "label: n (h) [p%]" */
void report_nump(FILE *f, const char *label, uint64_t n, double total);
void report_nump_if(FILE *f, const char *label, uint64_t n, double total);

/* "plugin: Aggregated name=0x.." with 2 * bytes hex digits */
void report_aggr(FILE *f, const char *plugin, const char *name, uint64_t v, int bytes);

#endif
