/*
 * fsutils.h - T2's file manager: files a plugin keeps open for a long
 * time, e.g. one per flow, more of them than the process may open.
 *
 *     file_object_t *file = file_manager_open(t2_file_manager, path, "w");
 *     ...
 *     FILE *fp = file_manager_fp(t2_file_manager, file);
 *     fprintf(fp, ...);
 *     ...
 *     file_manager_close(t2_file_manager, file);
 *
 * At most a fixed number of the files are open at a time: opening
 * another closes the least recently used one, which file_manager_fp()
 * opens again where it was left.  Ask file_manager_fp() for the FILE
 * each time: the one it gave before may have been closed since.  A file
 * opened for writing ("w") is not truncated again when reopened.
 * t2mini's core makes t2_file_manager before t2Init and destroys it,
 * closing what is still open, after t2Finalize.
 */
#ifndef T2MINI_FSUTILS_H
#define T2MINI_FSUTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "t2log.h"          /* T2_PRINTF_LIKE */

typedef struct file_manager_s file_manager_t;
typedef struct file_object_s file_object_t;

/* The plugins' file manager (T2's main.h has it). */
extern file_manager_t *t2_file_manager;

/* A manager keeping at most max files open; SIZE_MAX: as many as the
 * process may open, less a reserve. */
file_manager_t *file_manager_new(size_t max);
/* Close every file still open, and free the manager. */
void file_manager_destroy(file_manager_t *manager);

/* Open path with fopen() mode; NULL on failure. */
file_object_t *file_manager_open(file_manager_t *manager, const char *path, const char *mode);
/* Close the file and forget it; false on failure (or for NULL). */
bool file_manager_close(file_manager_t *manager, file_object_t *file);
/* The file's stream, opened again if it was closed; NULL on failure. */
FILE *file_manager_fp(file_manager_t *manager, file_object_t *file);
const char *file_object_get_path(const file_object_t *file);

/* stdio on the file's stream; -1 (0 for fwrite) when there is none */
int file_manager_fprintf(file_manager_t *manager, file_object_t *file, const char *format, ...)
    T2_PRINTF_LIKE(3, 4);
int file_manager_fputs(file_manager_t *manager, file_object_t *file, const char *s);
int file_manager_fputc(file_manager_t *manager, file_object_t *file, int c);
size_t file_manager_fwrite(file_manager_t *manager, file_object_t *file, const void *ptr,
                           size_t size, size_t nitems);
int file_manager_fflush(file_manager_t *manager, file_object_t *file);

#endif
