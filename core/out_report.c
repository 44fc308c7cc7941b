/*
 * out_report.c - T2's end-report line formats (see out_report.h).
 */
#include "out_report.h"

#include <math.h>

void report_readable(char *out, size_t out_len, uint64_t n, const char *suffix)
{
    out[0] = '\0';
    if (n < 1024) return;
    /* the unit steps at every tenth power of two of the double (a K from
     * 2^10, an M from 2^20, ...; a uint64_t reaches E at most), but the
     * divisor is the matching power of 1000: exact, and divided by once */
    static const char units[] = "KMGTPE";
    const double v = (double)n;
    const int step = ilogb(v) / 10;
    double divisor = 1.0;
    for (int i = 0; i < step; i++) divisor *= 1000.0;
    snprintf(out, out_len, " (%.2f %c%s)", v / divisor, units[step - 1], suffix ? suffix : "");
}

uint64_t report_u64_of(double v)
{
    const double two63 = 9223372036854775808.0;
    if (v != v || v <= -two63) return UINT64_C(1) << 63;     /* NaN, too small */
    if (v < 0) return (uint64_t)(int64_t)v;                  /* wraps */
    if (v < two63) return (uint64_t)v;
    if (v < 2 * two63) return (uint64_t)(v - two63) | UINT64_C(1) << 63;
    return 0;                                                /* too large */
}

/* num as a percentage of total, 0 for a total of 0.  The product is
 * stored before dividing, so that x87 (FLT_EVAL_METHOD 2) rounds it to
 * double as SSE does. */
static double percent_of(double num, double total)
{
    if (total == 0) return 0.0;
    const double hundredfold = 100.0 * num;
    const double percent = hundredfold / total;
    return percent;
}

void report_count(FILE *f, const char *plugin, const char *label, uint64_t n, int pct,
                  double num, double total)
{
    char h[64];
    report_readable(h, sizeof(h), n, NULL);
    if (plugin) fprintf(f, "%s: ", plugin);
    fprintf(f, "%s: %llu%s", label, (unsigned long long)n, h);
    if (pct) fprintf(f, " [%.2f%%]", percent_of(num, total));
    fputc('\n', f);
}

void report_num(FILE *f, const char *label, uint64_t n)
{
    report_count(f, NULL, label, n, 0, 0.0, 0.0);
}

void report_num_if(FILE *f, const char *label, uint64_t n)
{
    if (n > 0) report_num(f, label, n);
}

void report_nump(FILE *f, const char *label, uint64_t n, double total)
{
    report_count(f, NULL, label, n, 1, (double)n, total);
}

void report_nump_if(FILE *f, const char *label, uint64_t n, double total)
{
    if (n > 0) report_nump(f, label, n, total);
}

void report_aggr(FILE *f, const char *plugin, const char *name, uint64_t v, int bytes)
{
    fprintf(f, "%s: Aggregated %s=0x%0*llx\n", plugin, name, 2 * bytes, (unsigned long long)v);
}
