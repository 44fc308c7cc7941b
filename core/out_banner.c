/*
 * out_banner.c - the banner and the list of plugins (see out_banner.h).
 */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700      /* getpriority: XSI */

#include <errno.h>
#include <inttypes.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include "options.h"
#include "out_banner.h"
#include "out_endreport.h"
#include "out_report.h"
#include "plugins.h"

void banner_print(FILE *f, uint32_t sensor_id)
{
    fputs("================================================================================\n", f);
    errno = 0;
    const int prio = getpriority(PRIO_PROCESS, 0);
    fprintf(f, "t2mini %s (Tranalyzer2 0.9.3 packet mode). PID: %ld, Prio: %d, SID: %" PRIu32 "\n",
            T2MINI_VERSION, (long)getpid(), errno ? 0 : prio, sensor_id);
    fputs("================================================================================\n", f);
    struct timeval now;
    gettimeofday(&now, NULL);
    endreport_date(f, "Date: ", (uint64_t)now.tv_sec, (int64_t)now.tv_usec * 1000, 0);
    fputs("[INF] Creating flows for L2, IPv4, IPv6\n", f);
}

void banner_plugins(FILE *f, const geo_t *geo)
{
    fputs("Active plugins:\n", f);
    plugins_list(f);
    if (!geo) return;
    for (int v = 4; v <= 6; v += 2) {
        char count[64];
        report_readable(count, sizeof(count), geo_count(geo, v), NULL);
        fprintf(f, "[INF] IPv%d Ver: %" PRIu32 ", Rev: %08" PRIu32 ", Range Mode: 0, "
                "subnet ranges loaded: %" PRIu32 "%s\n", v, geo_version(geo, v),
                geo_revision(geo, v), geo_count(geo, v), count);
    }
}
