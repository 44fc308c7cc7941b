/*
 * signals.c - T2's signal levels (see signals.h).
 */
#define _POSIX_C_SOURCE 200809L    /* sigaction, sigprocmask */

#include <string.h>

#include "signals.h"

static signals_t sigs;

static void on_signal(int sig);

/* With `restart`, a read that the signal interrupts goes on (reading a
 * pipe waits on for the next record, as T2 does); without, it fails with
 * EINTR.  sigaction() may be called from a signal handler. */
static void set_handler(int sig, int restart)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(sig, &sa, NULL);
}

/* The run goes down to `level`: by a signal (SIGINT or SIGTERM, which
 * decides T2's message) or, with 0, by the end of the input. */
static void go_down_to(int level, int by_signal)
{
    sigs.reached_by[level] = by_signal;
    if (level <= RUN_ENDING) sigs.stop = 1;
    if (level == RUN_ABORT) sigs.abort_flows = 1;
    /* from now on a SIGTERM ends even a wait for the next record */
    if (level <= RUN_ENDING && sigs.installed) set_handler(SIGTERM, 0);
    sigs.level = level;
}

static void on_signal(int sig)
{
    switch (sig) {
        case SIGINT:
            if (sigs.level > RUN_ABORT) go_down_to(sigs.level - 1, SIGINT);
            break;
        case SIGTERM:
            if (sigs.level > RUN_ENDING) {
                go_down_to(RUN_ENDING, SIGTERM);
                break;
            }
            /* T2 exits at once (status 1, nothing more written): the
             * loop sees it, the output written so far is kept */
            sigs.quit = 1;
            sigs.abort_flows = 1;
            sigs.stop = 1;
            break;
        case SIGUSR1: sigs.report = 1; break;
        case SIGUSR2: sigs.toggle = 1; break;
        case SIGALRM: sigs.report = 2; break;
        default: break;
    }
}

signals_t *signals_reset(void)
{
    memset((void *)&sigs, 0, sizeof(sigs));
    sigs.level = RUN_READING;
    return &sigs;
}

/* Reading a file or a pipe goes on after a signal; waits for packets
 * (poll) and for files (sleep) end early all the same. */
void signals_install(signals_t *s)
{
    const int list[] = { SIGINT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM };
    for (size_t i = 0; i < sizeof(list) / sizeof(list[0]); i++) set_handler(list[i], 1);
    s->installed = 1;
}

/* A SIGTERM now ends the run at once, a SIGINT stops the writing of
 * flows.  The handler must not run between the test and the change. */
void signals_input_ended(signals_t *s)
{
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    if (s->level > RUN_ENDING) go_down_to(RUN_ENDING, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* T2's handler prints a message for each SIGINT and SIGTERM; t2mini's
 * loop prints them when it next looks, in the order the signals came
 * (the levels are only ever gone down). */
void signals_say(signals_t *s, FILE *log, int flow_timeout)
{
    for (int level = RUN_NO_NEW_FLOWS; level >= RUN_ABORT; level--) {
        const sig_atomic_t by = s->reached_by[level];
        if (!by || s->said[level]) continue;
        s->said[level] = 1;
        if (by == SIGTERM) {
            fputs("[INF] SIGTERM: Terminate, terminate. Remove all flows and exit\n", log);
        } else if (level == RUN_NO_NEW_FLOWS) {
            fprintf(log, "[INF] SIGINT: Stop flow creation, when all pending flows "
                    "timeout (%ds): exit\n", flow_timeout);
        } else {
            fprintf(log, "[INF] SIGINT: %s\n", level == RUN_ENDING
                    ? "Remove all flows and exit" : "Terminate, terminate.");
        }
    }
}
