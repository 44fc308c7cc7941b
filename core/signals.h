/*
 * signals.h - SIGINT, SIGTERM, SIGUSR1/2 and the monitoring timer, as
 * T2's handler treats them.
 *
 * T2QUIRK: T2's run levels.  Each SIGINT takes the run one level down;
 * SIGTERM goes straight to RUN_ENDING, and once there ends the run at once
 * (exit status 1).  The handler only changes the level and raises flags;
 * the capture loop in t2mini.c acts on them and prints, with
 * signals_say(), the lines T2's handler prints.
 */
#ifndef T2MINI_SIGNALS_H
#define T2MINI_SIGNALS_H

#include <signal.h>
#include <stdio.h>

/*   RUN_READING       the start: every packet finds or creates its flow
 *   RUN_NO_NEW_FLOWS  first SIGINT: packets that would start a flow get
 *                     none (they are counted, but have no line in the
 *                     packet file); the run ends when no flow is left
 *   RUN_ENDING        second SIGINT, SIGTERM, or the end of the input:
 *                     reading stops, the open flows are written
 *   RUN_ABORT         third SIGINT: the flows not yet written never are;
 *                     more SIGINTs go unheard */
enum { RUN_ABORT, RUN_ENDING, RUN_NO_NEW_FLOWS, RUN_READING };

typedef struct {
    volatile sig_atomic_t installed;    /* the handler is in place */
    volatile sig_atomic_t level;        /* RUN_... */
    volatile sig_atomic_t stop;         /* level <= RUN_ENDING: stop reading */
    volatile sig_atomic_t abort_flows;  /* write no more flows */
    volatile sig_atomic_t quit;         /* SIGTERM while ending: end at once */
    volatile sig_atomic_t reached_by[RUN_READING];  /* how each level was
                                           reached: 0 (not yet), SIGINT, SIGTERM */
    volatile sig_atomic_t report;       /* SIGUSR1 or the monitoring timer */
    volatile sig_atomic_t toggle;       /* SIGUSR2: monitoring on/off */
    int said[RUN_READING];              /* the level's message is out */
} signals_t;

/* The run's signal state, reset to RUN_READING.  A signal handler can
 * only reach state through a static: this is the one the handler and the
 * run share (the run keeps the pointer). */
signals_t *signals_reset(void);

/* Catch the signals (reads of a file or a pipe go on after one). */
void signals_install(signals_t *s);

/* The input has ended: the run is ending, as after a second SIGINT. */
void signals_input_ended(signals_t *s);

/* Print T2's line for each level reached since the last call. */
void signals_say(signals_t *s, FILE *log, int flow_timeout);

#endif
