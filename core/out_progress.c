/*
 * out_progress.c - the progress line on stderr (see out_progress.h).
 */
#include "out_progress.h"

#include <stdio.h>
#include <string.h>

#define PROGRESS_EVERY 0.25     /* seconds between updates */

static double seconds_between(const struct timeval *a, const struct timeval *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_usec - a->tv_usec) / 1e6;
}

void progress_init(progress_t *p, int on, uint64_t total_bytes)
{
    memset(p, 0, sizeof(*p));
    p->on = on;
    p->total_bytes = total_bytes;
    gettimeofday(&p->start, NULL);
    p->last.tv_sec = p->start.tv_sec - 1;       /* the first call shows the line */
    p->last.tv_usec = p->start.tv_usec;
}

/* "  42.0%  123456 packets/s  0:07 left" (share and time left only when
 * the size of the input is known). */
void progress_update(progress_t *p, uint64_t packets, uint64_t bytes_read)
{
    struct timeval now;
    gettimeofday(&now, NULL);
    if (!p->on || seconds_between(&p->last, &now) < PROGRESS_EVERY) return;
    p->last = now;
    const double elapsed = seconds_between(&p->start, &now);
    const double rate = elapsed > 0 ? (double)packets / elapsed : 0;
    char line[128];
    int n;
    if (p->total_bytes > 0 && bytes_read > 0) {
        double share = (double)bytes_read / (double)p->total_bytes;
        if (share > 1) share = 1;
        const double left = elapsed * (1 - share) / share;
        n = snprintf(line, sizeof(line), "t2mini: %5.1f%%  %.0f packets/s  %lu:%02lu left",
                     100 * share, rate, (unsigned long)left / 60, (unsigned long)left % 60);
    } else {
        n = snprintf(line, sizeof(line), "t2mini: %lu packets  %.0f packets/s",
                     (unsigned long)packets, rate);
    }
    if (n < 0) return;
    /* pad to the old width so that nothing of a longer line stays */
    fprintf(stderr, "\r%-*s", p->shown > n ? p->shown : n, line);
    fflush(stderr);
    p->shown = n;
}

void progress_end(progress_t *p)
{
    if (!p->on || p->shown == 0) return;
    fprintf(stderr, "\r%*s\r", p->shown, "");
    fflush(stderr);
    p->shown = 0;
}
