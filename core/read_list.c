/*
 * read_list.c - the files of a capture list (-R) or series (-D); see
 * read_list.h.
 */
/* POSIX.1-2008 (stat, wordexp, PATH_MAX); 64-bit file offsets for a 32-bit
 * build */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "read_list.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wordexp.h>

/* ----------------------------------------------------- file check */

const char *capture_file_problem(const char *path)
{
    struct stat st;
    FILE *f = fopen(path, "rb");
    if (!f || stat(path, &st) != 0) {
        if (f) fclose(f);
        return strerror(errno);
    }
    unsigned char magic[12];
    const size_t n = fread(magic, 1, sizeof(magic), f);
    fclose(f);
    if (st.st_size == 0) return "empty file";
    if (n < 4) return "not a pcap or pcapng file";
    const uint32_t le = (uint32_t)magic[0] | (uint32_t)magic[1] << 8 |
                        (uint32_t)magic[2] << 16 | (uint32_t)magic[3] << 24;
    const uint32_t be = (uint32_t)magic[3] | (uint32_t)magic[2] << 8 |
                        (uint32_t)magic[1] << 16 | (uint32_t)magic[0] << 24;
    if (le == 0xa1b2c3d4 || be == 0xa1b2c3d4 || le == 0xa1b23c4d || be == 0xa1b23c4d) return NULL;
    /* pcapng: a section header block, then its byte-order magic */
    if (le == 0x0a0d0d0a && n == 12) {
        const uint32_t bom = (uint32_t)magic[8] | (uint32_t)magic[9] << 8 |
                             (uint32_t)magic[10] << 16 | (uint32_t)magic[11] << 24;
        if (bom == 0x1a2b3c4d || bom == 0x4d3c2b1a) return NULL;
    }
    return "not a pcap or pcapng file";
}

/* ------------------------------------------------------------ -R FILE */

static int caplist_add(caplist_t *l, const char *name, uint64_t size)
{
    char **grown = realloc(l->names, (l->count + 1) * sizeof(*grown));
    char *copy = malloc(strlen(name) + 1);
    if (!grown || !copy) {
        free(copy);
        if (grown) l->names = grown;
        return -1;
    }
    strcpy(copy, name);
    l->names = grown;
    l->names[l->count++] = copy;
    l->total_size += size;
    return 0;
}

/* A line naming no file, and not looking like a name either (T2's test:
 * shorter than two characters, or ending in bytes that are not ASCII),
 * means the list is not a list. */
static int looks_like_a_name(const char *line, size_t len)
{
    if (access(line, F_OK) == 0) return 1;
    return len >= 2 && (unsigned char)line[len - 1] < 128 && (unsigned char)line[len - 2] < 128;
}

/* One line of the list: 1 if its capture was added, 0 if left out, -1
 * when the list itself is bad. */
static int caplist_line(caplist_t *l, const char *path, char *line, FILE *log, FILE *diag)
{
    size_t len = strlen(line);
    if (len > 0 && line[len - 1] == '\n') line[--len] = '\0';
    if (len > 0 && line[len - 1] == '\r') line[--len] = '\0';
    if (!looks_like_a_name(line, len)) {
        fprintf(diag, "t2mini: %s: not a list of capture files\n", path);
        return -1;
    }
    fprintf(log, "    checking file '%s'\n", line);
    const char *problem = capture_file_problem(line);
    struct stat st;
    if (!problem && stat(line, &st) != 0) problem = strerror(errno);
    if (problem) {
        fprintf(diag, "t2mini: %s: %s: left out: %s\n", path, line, problem);
        return 0;
    }
    if (caplist_add(l, line, (uint64_t)st.st_size) != 0) {
        fputs("t2mini: out of memory\n", diag);
        return -1;
    }
    return 1;
}

int caplist_read(caplist_t *l, const char *path, FILE *log, FILE *diag)
{
    memset(l, 0, sizeof(*l));
    fputs("Checking list file\n", log);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(diag, "t2mini: %s: cannot read capture list: %s\n", path, strerror(errno));
        return -1;
    }
    char line[PATH_MAX + 2];
    int rc = 0;
    while (rc >= 0 && fgets(line, sizeof(line), f)) {
        if (line[0] != '#') rc = caplist_line(l, path, line, log, diag);
    }
    fclose(f);
    if (rc >= 0 && l->count == 0) {
        fprintf(diag, "t2mini: %s: no capture file in the list\n", path);
        rc = -1;
    }
    if (rc < 0) caplist_free(l);
    return rc < 0 ? -1 : 0;
}

void caplist_free(caplist_t *l)
{
    for (unsigned i = 0; i < l->count; i++) free(l->names[i]);
    free(l->names);
    memset(l, 0, sizeof(*l));
}

/* ------------------------------------------------ -D EXPR[:SCHR][,STOP] */

static char *copy_span(const char *s, size_t n)
{
    char *c = malloc(n + 1);
    if (!c) return NULL;
    memcpy(c, s, n);
    c[n] = '\0';
    return c;
}

static const char *last_char(const char *s, size_t n, char c)
{
    for (size_t i = n; i > 0; i--) {
        if (s[i - 1] == c) return s + i - 1;
    }
    return NULL;
}

/* Where the number starts: after the separator, which is SCHR when given
 * (a longer one is looked for from the left), else the last 'p'. */
static const char *number_start(const char *name, size_t len, const char *sep)
{
    const size_t sep_len = strlen(sep);
    const char *at = NULL;
    if (sep_len == 1) {
        at = last_char(name, len, sep[0]);
    } else {
        for (size_t i = 0; !at && i + sep_len <= len; i++) {
            if (memcmp(name + i, sep, sep_len) == 0) at = name + i;
        }
    }
    return at ? at + sep_len : NULL;
}

/* The number field ends at the first '_' after it, or else at the first
 * '.', or at the end of the name, as in T2. */
static size_t number_length(const char *num)
{
    const char *end = strchr(num, '_');
    if (!end) end = strchr(num, '.');
    return end ? (size_t)(end - num) : strlen(num);
}

static uint32_t largest_of_width(int width)
{
    uint64_t n = 1;
    for (int i = 0; i < width && n <= UINT32_MAX; i++) n *= 10;
    return n - 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(n - 1);
}

int series_parse(series_t *s, const char *arg)
{
    memset(s, 0, sizeof(*s));
    s->stop = UINT32_MAX;
    size_t len = strlen(arg);
    int have_stop = 0;
    const char *comma = last_char(arg, len, ',');
    if (comma) {
        if (comma[1] == '-') return -1;
        s->stop = (uint32_t)strtoul(comma + 1, NULL, 0);   /* base 0, as T2 */
        have_stop = 1;
        len = (size_t)(comma - arg);
    }
    char sep[4] = "p";
    const char *colon = last_char(arg, len, ':');
    if (colon) {
        /* T2 takes up to three characters, all of them only before a STOP */
        const size_t n = have_stop ? (size_t)(arg + len - colon - 1) : 1;
        if (n == 0 || n >= sizeof(sep)) return -1;
        memcpy(sep, colon + 1, n);
        sep[n] = '\0';
        len = (size_t)(colon - arg);
    }
    const char *num = number_start(arg, len, sep);
    if (!num) return -1;
    char *name = copy_span(arg, len);
    if (!name) return -1;
    num = name + (num - arg);
    const size_t num_len = number_length(num);
    if (num[0] == '0') {
        s->width = (int)num_len;
        if (!have_stop) s->stop = largest_of_width(s->width);
    }
    s->number = (uint32_t)strtoul(num, NULL, 0);
    s->head = copy_span(name, (size_t)(num - name));
    s->tail = copy_span(num + num_len, strlen(num + num_len));
    free(name);
    if (!s->head || !s->tail) {
        series_free(s);
        return -1;
    }
    return 0;
}

void series_free(series_t *s)
{
    free(s->head);
    free(s->tail);
    s->head = s->tail = NULL;
}

char *series_name(const series_t *s)
{
    const size_t n = strlen(s->head) + strlen(s->tail) + 24;
    char *pattern = malloc(n);
    if (!pattern) return NULL;
    snprintf(pattern, n, "%s%0*lu%s", s->head, s->width, (unsigned long)s->number, s->tail);
    wordexp_t we;
    if (wordexp(pattern, &we, WRDE_NOCMD) != 0) return pattern;
    char *name = we.we_wordc > 0 ? copy_span(we.we_wordv[0], strlen(we.we_wordv[0])) : NULL;
    wordfree(&we);
    if (!name) return pattern;
    free(pattern);
    return name;
}

int series_next(series_t *s)
{
    if (s->number >= s->stop) return 0;
    s->number++;
    return 1;
}
