/*
 * read_list.h - step 1 for several captures: the names of the files a run
 * reads one after the other, as one capture.
 *
 * Two ways to name them, as in T2:
 *   -R FILE   a list: one capture per line ('#' starts a comment line);
 *             T2 checks every file first and leaves out those that are not
 *             captures, saying why;
 *   -D EXPR[:SCHR][,STOP]
 *             a numbered series such as dump.pcap00, dump.pcap01, ...: the
 *             number follows the last SCHR ('p' by default) in EXPR and
 *             goes up to STOP (with leading zeros, to the largest number of
 *             that many digits; without, for ever).  A file not there yet is
 *             waited for, as a capture tool may still be writing it.
 */
#ifndef T2MINI_READ_LIST_H
#define T2MINI_READ_LIST_H

#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------ -R FILE */

typedef struct {
    char **names;               /* the captures that passed the check */
    unsigned count;
    uint64_t total_size;         /* their sizes added up */
} caplist_t;

/* Read and check the list `path`, printing T2's "Checking list file"
 * lines on `log` and a line on `diag` for each file left out.  0, or -1
 * after one line on `diag` (no such list, no capture in it). */
int caplist_read(caplist_t *l, const char *path, FILE *log, FILE *diag);
void caplist_free(caplist_t *l);

/* ------------------------------------------------ -D EXPR[:SCHR][,STOP] */

typedef struct {
    char *head;                 /* the name before the number */
    char *tail;                 /* and after it */
    int width;                  /* digits with leading zeros; 0: as many as needed */
    uint32_t number;            /* of the current file */
    uint32_t stop;              /* of the last file */
} series_t;

/* Parse a -D argument; -1 if it names no number. */
int series_parse(series_t *s, const char *arg);
void series_free(series_t *s);

/* The current file's name, with shell patterns in it expanded as T2 does
 * (the first match); malloc'ed, NULL when out of memory. */
char *series_name(const series_t *s);

/* Step to the next number; 0 when the series is over. */
int series_next(series_t *s);

/* Is this file a capture T2 reads (pcap or pcapng, not empty)?  NULL, or
 * why not. */
const char *capture_file_problem(const char *path);

#endif
