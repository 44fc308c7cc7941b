/*
 * flow_geo_load.c - T2's subnet tables read from their text (-G DIR), as
 * T2's converter (subconv) reads them (see flow_geo.h).
 *
 * A table becomes a list of range boundaries (flow_geo_flatten.c says why
 * and how): each range ADDR/LEN gives two, its first and its last address
 * (a one-address range only the last), both with the range's labels.
 *
 * The text is read as T2's converter reads it.  Lines starting with '#', '-'
 * or white space are comments.  A data line has at least 11 tab-separated
 * fields (t2mini rejects shorter ones): ADDR/LEN, IPrange, then CtryWhoCode,
 * ASN, Radius, Latitude, Longitude, Country, County, City and Org.  What a
 * line lacks it takes from the line before (see read_line()), and a line
 * with the same ADDR/LEN as the line before is skipped.  (T2's converter also
 * has fixed limits, such as 50 ranges ending at one address; t2mini has none.)
 */
/* POSIX.1-2008 (open, fstat, mmap); 64-bit file offsets for a 32-bit build */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "flow_geo_build.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* What T2's converter carries from one line to the next: the ADDR, LEN and
 * text of the previous line, which a line that lacks one of them keeps. */
typedef struct {
    uint8_t addr[16];
    long len;
    span_t text;
    int have_addr, have_len;      /* else: never set (T2's are uninitialised) */
} geo_reader_t;

static const geo_format_t FORMAT4 = {4, 32, 15, 32};
static const geo_format_t FORMAT6 = {6, 128, 46, 92};

/* ---- reading the text ---- */

/* Next column as T2's sscanf reads it: white space skipped, then up to
 * `max` characters before a tab or the end of the line.  Copies them to
 * `dst` (max + 1 bytes) unless it is NULL; returns how many there were. */
static size_t next_column(span_t *t, char *dst, size_t max)
{
    const char *s = t->s;
    while (s < t->end && isspace((unsigned char)*s)) s++;
    size_t n = 0;
    while (n < max && s + n < t->end && s[n] != '\t') {
        if (dst) dst[n] = s[n];
        n++;
    }
    if (dst) dst[n] = '\0';
    t->s = s + n;
    return n;
}

/* The labels from a line's text after IPrange.  T2 reads the columns with
 * sscanf, so an empty column is skipped and the next one read in its place,
 * and a column longer than what is kept of it continues as the next one.  A
 * column missing leaves the labels from it on empty. */
static void parse_labels(span_t text, geo_label_t *label)
{
    memset(label, 0, sizeof(*label));
    char code[GEO_CODE_LEN + 1];
    if (next_column(&text, code, GEO_CODE_LEN) <= 2 || code[0] != '0' || code[1] != 'x') return;
    label->code = (uint32_t)strtoul(code + 2, NULL, 16);
    for (int i = 0; i < 4; i++) {                       /* ASN, Radius, Latitude, Longitude */
        if (next_column(&text, NULL, SIZE_MAX) == 0) return;
    }
    if (next_column(&text, label->country, GEO_COUNTRY_LEN) == 0) return;
    for (int i = 0; i < 2; i++) {                       /* County, City */
        if (next_column(&text, NULL, SIZE_MAX) == 0) return;
    }
    next_column(&text, label->org, GEO_ORG_LEN);
}

/* The text after IPrange, as T2 keeps it (`at` is just past LEN); empty if
 * there is none. */
static span_t text_after_range(const char *at, const char *eol, const geo_format_t *fmt)
{
    while (at < eol && isspace((unsigned char)*at)) at++;
    for (size_t n = 0; n < fmt->range_width && at < eol && *at != '\t'; n++) at++;
    while (at < eol && isspace((unsigned char)*at)) at++;
    const span_t text = {at, eol - at > GEO_TEXT_LEN ? at + GEO_TEXT_LEN : eol};
    return text;
}

static unsigned count_fields(span_t line)
{
    unsigned n = 1;
    for (const char *s = line.s; s < line.end; s++) n += *s == '\t';
    return n;
}

/* LEN as sscanf's %d reads it: white space, a sign, digits.  Returns the
 * end of the digits, or NULL if there are none. */
static const char *parse_length(const char *s, const char *eol, long *len)
{
    while (s < eol && isspace((unsigned char)*s)) s++;
    const int negative = s < eol && *s == '-';
    if (s < eol && (*s == '-' || *s == '+')) s++;
    const char *digits = s;
    long v = 0;
    for (; s < eol && *s >= '0' && *s <= '9'; s++) {
        if (v < 1000) v = 10 * v + (*s - '0');          /* more is out of range anyway */
    }
    if (s == digits) return NULL;
    *len = negative ? -v : v;
    return s;
}

static int parse_address(const geo_format_t *fmt, const char *s, size_t len, uint8_t out[16])
{
    char text[64];
    if (len >= sizeof(text)) return 0;
    memcpy(text, s, len);
    text[len] = '\0';
    memset(out, 0, 16);
    return inet_pton(fmt->ipver == 4 ? AF_INET : AF_INET6, text, out) == 1;
}

/* ---- building T2's list ---- */

static void add_bound(geo_build_t *b, u128_t addr, unsigned len, int is_last)
{
    geo_bound_t *bd = &b->bounds[++b->nbounds];
    bd->addr = addr;
    bd->label = b->nlabels;
    bd->parent = 0;
    bd->len = (uint8_t)len;
    bd->is_last = (uint8_t)is_last;
}

/* A range and its labels: its boundaries, or only the last for one address. */
static void add_range(geo_build_t *b, const uint8_t addr[16], unsigned len, span_t text)
{
    b->texts[b->nlabels] = text;
    parse_labels(text, &b->labels[b->nlabels++]);

    const geo_format_t *fmt = b->fmt;
    const u128_t a = geo_to128(fmt->ipver, addr);
    const u128_t net = geo_prefix_mask(geo_span_len(fmt->ipver, len));
    const u128_t word = geo_prefix_mask(fmt->bits);
    const u128_t first = {a.hi & net.hi, a.lo & net.lo};
    const u128_t last = {first.hi | (~net.hi & word.hi), first.lo | (~net.lo & word.lo)};
    if (len < fmt->bits) add_bound(b, first, len, 0);
    add_bound(b, last, len, 1);
}

/* One data line; returns 0, or -1 with the reason in `why`.  T2 reads
 * "ADDR/LEN IPrange text" with sscanf, ADDR being up to addr_width characters
 * before a '/', and leaves what it cannot read as the previous line left it:
 * an ADDR that does not parse is the previous line's, a missing LEN is the
 * previous line's with its text, and so is missing text.  A line repeating
 * the previous line's ADDR/LEN is skipped. */
static int read_line(geo_build_t *b, geo_reader_t *rd, span_t line, const char **why)
{
    const geo_format_t *fmt = b->fmt;
    if (count_fields(line) < 11) {
        *why = "fewer than 11 tab-separated fields";
        return -1;
    }
    size_t n = 0;
    while (n < fmt->addr_width && line.s + n < line.end && line.s[n] != '/') n++;
    if (n == 0) return 0;                               /* nothing read: a repeat */

    uint8_t addr[16];
    if (!parse_address(fmt, line.s, n, addr)) {
        if (!rd->have_addr) return 0;
        memcpy(addr, rd->addr, 16);
    }
    const char *slash = line.s + n;
    const int have_slash = slash < line.end && *slash == '/';
    long len;
    span_t text;
    const char *end = have_slash ? parse_length(slash + 1, line.end, &len) : NULL;
    if (end) {
        text = text_after_range(end, line.end, fmt);
        if (text.s == text.end) text = rd->text;
    } else {
        if (!rd->have_len) return 0;
        len = rd->len;
        text = rd->text;
    }

    const int repeat = memcmp(addr, rd->addr, 16) == 0 && len == rd->len;
    memcpy(rd->addr, addr, 16);
    rd->len = len;
    rd->text = text;
    rd->have_addr = rd->have_len = 1;
    if (repeat || len < 0 || len > (long)fmt->bits || text.s == text.end) return 0;
    add_range(b, addr, (unsigned)len, text);
    return 0;
}
/* ---- loading ---- */

static void loaded_free(geo_loaded_t *t)
{
    if (!t) return;
    free(t->bytes);
    free(t);
}

/* Read the data lines of `map` (size bytes) into the table under construction;
 * 0, or -1 with the error in `err`. */
static int read_lines(geo_build_t *b, const char *map, size_t size, const char *path,
                      char *err, size_t errLen)
{
    const char *const end = map + size;
    size_t lines = 0;
    for (const char *s = map; s < end; lines++) {
        const char *eol = memchr(s, '\n', (size_t)(end - s));
        s = eol ? eol + 1 : end;
    }
    if (lines > UINT32_MAX / 2) {
        snprintf(err, errLen, "%s: too many lines", path);
        return -1;
    }
    if (lines > 0) {
        b->labels = malloc(lines * sizeof(*b->labels));
        b->bounds = malloc((2 * lines + 1) * sizeof(*b->bounds));
        b->texts = malloc(lines * sizeof(*b->texts));
        if (!b->labels || !b->bounds || !b->texts) {
            snprintf(err, errLen, "%s: out of memory", path);
            return -1;
        }
    }

    geo_reader_t rd = {0};
    unsigned long line_no = 0;
    for (const char *s = map, *eol; s < end; s = eol + 1) {
        eol = memchr(s, '\n', (size_t)(end - s));
        if (!eol) eol = end;
        line_no++;
        if (s == eol || *s == '#' || *s == '-' || *s == ' ' || *s == '\t' || *s == '\r') continue;
        const char *why = NULL;
        const span_t line = {s, eol};
        if (read_line(b, &rd, line, &why) != 0) {
            snprintf(err, errLen, "%s:%lu: malformed subnet line: %s", path, line_no, why);
            return -1;
        }
    }
    return 0;
}

/* The version and revision of a table's first line, "# VERSION REVISION"
 * (white space around them); left 0 if the line is not of that form. */
static void read_version(geo_build_t *b, const char *map, size_t size)
{
    char line[64] = "";
    size_t n = 0;
    while (n < size && n + 1 < sizeof(line) && map[n] != '\n') {
        line[n] = map[n];
        n++;
    }
    line[n] = '\0';
    unsigned long version, revision;
    char end;
    if (sscanf(line, "# %lu %lu %c", &version, &revision, &end) == 2 &&
        version <= UINT32_MAX && revision <= UINT32_MAX) {
        b->version = (uint32_t)version;
        b->revision = (uint32_t)revision;
    }
}

/* Map `path` read-only; its size in `size` (0: nothing mapped).  0, or -1
 * with the error in `err`. */
static int map_table(const char *path, const char **map, size_t *size, char *err, size_t errLen)
{
    *map = NULL;
    *size = 0;
    const int fd = open(path, O_RDONLY);
    struct stat st;
    int ok = fd >= 0 && fstat(fd, &st) == 0;
    if (!ok) snprintf(err, errLen, "%s: cannot open subnet table: %s", path, strerror(errno));
    if (ok && !S_ISREG(st.st_mode)) {
        snprintf(err, errLen, "%s: subnet table is not a regular file", path);
        ok = 0;
    }
    if (ok && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m == MAP_FAILED) {
            snprintf(err, errLen, "%s: read error: %s", path, strerror(errno));
            ok = 0;
        } else {
            *map = m;
            *size = (size_t)st.st_size;
        }
    }
    if (fd >= 0) close(fd);
    return ok ? 0 : -1;
}

static geo_loaded_t *load_table(const char *dir, const char *name, const geo_format_t *fmt,
                                char *err, size_t errLen)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    const char *map;
    size_t size;
    if (map_table(path, &map, &size, err, errLen) != 0) return NULL;

    geo_build_t b = {0};
    b.fmt = fmt;
    read_version(&b, map, size);
    geo_loaded_t *t = NULL;
    if (read_lines(&b, map, size, path, err, errLen) == 0) {
        const char *why = "out of memory";
        if (geo_flatten(&b) == 0) t = geo_pack(&b, &why);
        if (!t) snprintf(err, errLen, "%s: %s", path, why);
    }
    free(b.texts);
    free(b.bounds);
    free(b.labels);
    if (map) munmap((void *)map, size);
    return t;
}

int geo_load(geo_t *g, const char *dir, char *err, size_t errLen)
{
    memset(g, 0, sizeof(*g));
    geo_loaded_t *v4 = load_table(dir, "subnets4.txt", &FORMAT4, err, errLen);
    geo_loaded_t *v6 = v4 ? load_table(dir, "subnets6.txt", &FORMAT6, err, errLen) : NULL;
    if (!v6) {
        loaded_free(v4);
        return -1;
    }
    g->v4 = &v4->ranges;
    g->v6 = &v6->ranges;
    g->loaded[0] = v4;
    g->loaded[1] = v6;
    return 0;
}

void geo_free(geo_t *g)
{
    loaded_free(g->loaded[0]);
    loaded_free(g->loaded[1]);
    memset(g, 0, sizeof(*g));
}
