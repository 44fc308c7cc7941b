/*
 * out_progress.h - beyond T2: a progress line on stderr.
 *
 * When stderr is a terminal and the input is a file, a list or a series,
 * one line shows the share of the input read, packets per second and the
 * time left, rewritten a few times a second and erased at the end.
 * Nothing is written when stderr is not a terminal.
 */
#ifndef T2MINI_OUT_PROGRESS_H
#define T2MINI_OUT_PROGRESS_H

#include <stdint.h>
#include <sys/time.h>

typedef struct {
    int on;
    uint64_t total_bytes;        /* of the input files, 0 if unknown */
    struct timeval start, last; /* when reading began, last update */
    int shown;                  /* width of the line on the terminal */
} progress_t;

void progress_init(progress_t *p, int on, uint64_t total_bytes);

/* Rewrite the line if the last update is a quarter second old. */
void progress_update(progress_t *p, uint64_t packets, uint64_t bytes_read);

/* Erase the line. */
void progress_end(progress_t *p);

#endif
