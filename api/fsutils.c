/*
 * fsutils.c - T2's file manager (see fsutils.h).
 *
 * The manager keeps two lists: every file it has, and the open ones in
 * the order of their last use, least recent first.  Opening a file when
 * `max` are open closes the least recently used one, keeping its read or
 * write position for when file_manager_fp() opens it again.
 */
#define _POSIX_C_SOURCE 200809L     /* ftello, fseeko, getrlimit */
#define _FILE_OFFSET_BITS 64

#include "fsutils.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>

#define FSUTILS_SPARE_FD 100    /* descriptors left to the rest of t2mini */
#define FSUTILS_MIN_OPEN  20    /* the least a manager keeps open at once */

typedef struct {                /* a place in one of the lists */
    file_object_t *prev, *next;
} link_t;

typedef struct {
    file_object_t *first, *last;
} list_t;

struct file_object_s {
    FILE *fp;                   /* NULL while closed by the manager */
    off_t pos;                  /* where it was when closed */
    char *path;
    char mode[8];               /* for reopening: "w" becomes "r+" */
    link_t all, lru;
};

struct file_manager_s {
    size_t max, opened;
    list_t all, lru;
};

file_manager_t *t2_file_manager;

/* list operations, on the link at `offset` in the objects */
#define LINK(o, off) ((link_t *)((char *)(o) + (off)))

static void list_append(list_t *l, file_object_t *o, size_t off)
{
    LINK(o, off)->prev = l->last;
    LINK(o, off)->next = NULL;
    if (l->last) LINK(l->last, off)->next = o;
    else l->first = o;
    l->last = o;
}

static void list_remove(list_t *l, file_object_t *o, size_t off)
{
    link_t *k = LINK(o, off);
    if (k->prev) LINK(k->prev, off)->next = k->next;
    else l->first = k->next;
    if (k->next) LINK(k->next, off)->prev = k->prev;
    else l->last = k->prev;
}

#define ALL offsetof(file_object_t, all)
#define LRU offsetof(file_object_t, lru)

file_manager_t *file_manager_new(size_t max)
{
    if (max == SIZE_MAX) {
        struct rlimit r;
        max = FSUTILS_MIN_OPEN;
        if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
            r.rlim_cur > FSUTILS_SPARE_FD + FSUTILS_MIN_OPEN) {
            max = (size_t)r.rlim_cur - FSUTILS_SPARE_FD;
        }
    }
    if (max == 0) T2_FATAL("Failed to create file manager: max is 0");
    file_manager_t *m = calloc(1, sizeof(*m));
    if (!m) T2_FATAL("Failed to create file manager: out of memory");
    m->max = max;
    return m;
}

void file_manager_destroy(file_manager_t *manager)
{
    if (!manager) return;
    while (manager->all.first) file_manager_close(manager, manager->all.first);
    free(manager);
}

/* Open the file's stream, closing the least recently used one first if
 * as many as allowed are open. */
static bool open_stream(file_manager_t *m, file_object_t *file)
{
    while (m->opened >= m->max) {
        file_object_t *oldest = m->lru.first;
        oldest->pos = ftello(oldest->fp);
        const int closed = fclose(oldest->fp);
        oldest->fp = NULL;
        list_remove(&m->lru, oldest, LRU);
        m->opened--;
        if (oldest->pos < 0 || closed != 0) return false;
    }
    file->fp = fopen(file->path, file->mode);
    if (!file->fp) return false;
    if (file->pos > 0 && fseeko(file->fp, file->pos, SEEK_SET) != 0) {
        fclose(file->fp);
        file->fp = NULL;
        return false;
    }
    list_append(&m->lru, file, LRU);
    m->opened++;
    return true;
}

/* The mode to open the file again with: its content stays. */
static void reopen_mode(char *mode)
{
    char *w = strchr(mode, 'w');
    if (!w) return;                     /* "r", "a": as they are */
    *w = 'r';
    if (!strchr(mode, '+')) {           /* "w" -> "r+", "wb" -> "r+b" */
        memmove(w + 2, w + 1, strlen(w + 1) + 1);
        w[1] = '+';
    }
}

file_object_t *file_manager_open(file_manager_t *manager, const char *path, const char *mode)
{
    if (!manager || !path || !mode || strlen(mode) > 6) return NULL;
    file_object_t *file = calloc(1, sizeof(*file));
    if (!file) return NULL;
    file->path = malloc(strlen(path) + 1);
    if (!file->path) {
        free(file);
        return NULL;
    }
    strcpy(file->path, path);
    strcpy(file->mode, mode);
    if (!open_stream(manager, file)) {
        free(file->path);
        free(file);
        return NULL;
    }
    reopen_mode(file->mode);
    list_append(&manager->all, file, ALL);
    return file;
}

bool file_manager_close(file_manager_t *manager, file_object_t *file)
{
    if (!manager || !file) return false;
    int closed = 0;
    if (file->fp) {
        closed = fclose(file->fp);
        list_remove(&manager->lru, file, LRU);
        manager->opened--;
    }
    list_remove(&manager->all, file, ALL);
    free(file->path);
    free(file);
    return closed == 0;
}

FILE *file_manager_fp(file_manager_t *manager, file_object_t *file)
{
    if (!manager || !file) return NULL;
    if (file->fp) {                     /* now the most recently used */
        list_remove(&manager->lru, file, LRU);
        list_append(&manager->lru, file, LRU);
        return file->fp;
    }
    return open_stream(manager, file) ? file->fp : NULL;
}

const char *file_object_get_path(const file_object_t *file)
{
    return file ? file->path : NULL;
}

/* The file's stream for the stdio wrappers, with T2's error if none. */
static FILE *stream_of(file_manager_t *manager, file_object_t *file)
{
    FILE *fp = file_manager_fp(manager, file);
    if (!fp && file) {
        T2_ERR("Failed to get FILE handle for '%s' from t2_file_manager", file->path);
    }
    return fp;
}

int file_manager_fprintf(file_manager_t *manager, file_object_t *file, const char *format, ...)
{
    FILE *fp = stream_of(manager, file);
    if (!fp) return -1;
    va_list args;
    va_start(args, format);
    const int n = vfprintf(fp, format, args);
    va_end(args);
    return n;
}

int file_manager_fputs(file_manager_t *manager, file_object_t *file, const char *s)
{
    FILE *fp = stream_of(manager, file);
    return fp ? fputs(s, fp) : -1;
}

int file_manager_fputc(file_manager_t *manager, file_object_t *file, int c)
{
    FILE *fp = stream_of(manager, file);
    return fp ? fputc(c, fp) : -1;
}

size_t file_manager_fwrite(file_manager_t *manager, file_object_t *file, const void *ptr,
                           size_t size, size_t nitems)
{
    FILE *fp = stream_of(manager, file);
    return fp ? fwrite(ptr, size, nitems, fp) : 0;
}

int file_manager_fflush(file_manager_t *manager, file_object_t *file)
{
    FILE *fp = stream_of(manager, file);
    return fp ? fflush(fp) : -1;
}
