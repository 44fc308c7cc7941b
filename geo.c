/*
 * geo.c - T2's subnet tables and longest-prefix lookup (see geo.h).
 *
 * Each table becomes an array of prefixes sorted by length (longest first)
 * and address.  A lookup masks the address to each prefix length present,
 * longest first, and binary-searches that length's run of the array; the
 * first hit is the most specific range.  IPv4 prefixes are stored as the
 * top 32 bits of a 128-bit value, so both versions share the code.
 *
 * The text format is T2's: lines starting with '#', '-' or white space are
 * comments; a data line has at least 11 tab-separated fields, of which
 * t2mini uses 1 (ADDR/LEN), 8 (country, T2 keeps 2 characters) and 11
 * (organisation, T2 keeps 30).  A range listed twice keeps its first label.
 */
#include "geo.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GEO_COUNTRY_LEN 2
#define GEO_ORG_LEN 30

typedef struct {
    uint64_t hi, lo;        /* network address, masked to len bits */
    uint32_t subnet;        /* 1-based index of the labels */
    uint8_t len;
} geo_prefix_t;

typedef struct {
    uint32_t code;          /* CtryWhoCode; bit 22 marks Tor nodes */
    char country[GEO_COUNTRY_LEN + 1];
    char org[GEO_ORG_LEN + 1];
} geo_label_t;

struct geo_ranges {
    geo_prefix_t *prefixes;     /* sorted: len descending, then address */
    uint32_t count;
    geo_label_t *labels;        /* labels[subnet - 1] */
    uint32_t nlabels;
    uint32_t runStart[130];     /* prefixes of length L: [runStart[L], runEnd[L]) */
    uint32_t runEnd[130];
    uint8_t lengths[129];       /* lengths present, longest first */
    uint32_t nlengths;
};

static void mask128(uint64_t *hi, uint64_t *lo, unsigned len)
{
    if (len == 0) {
        *hi = *lo = 0;
    } else if (len <= 64) {
        *hi &= len == 64 ? ~0ULL : ~(~0ULL >> len);
        *lo = 0;
    } else if (len < 128) {
        *lo &= ~(~0ULL >> (len - 64));
    }
}

static void to128(int ipver, const uint8_t *a, uint64_t *hi, uint64_t *lo)
{
    *hi = *lo = 0;
    const int n = ipver == 4 ? 4 : 16;
    for (int i = 0; i < n; i++) {
        if (i < 8) *hi |= (uint64_t)a[i] << (56 - 8 * i);
        else *lo |= (uint64_t)a[i] << (56 - 8 * (i - 8));
    }
}

static int cmp_prefix(const void *a, const void *b)
{
    const geo_prefix_t *x = a, *y = b;
    if (x->len != y->len) return x->len > y->len ? -1 : 1;
    if (x->hi != y->hi) return x->hi < y->hi ? -1 : 1;
    if (x->lo != y->lo) return x->lo < y->lo ? -1 : 1;
    return x->subnet < y->subnet ? -1 : x->subnet > y->subnet;   /* file order */
}

/* Copy at most `max` characters of a tab-terminated field. */
static void copy_field(char *dst, const char *src, size_t max)
{
    size_t n = 0;
    while (n < max && src[n] && src[n] != '\t' && src[n] != '\n' && src[n] != '\r') {
        dst[n] = src[n];
        n++;
    }
    dst[n] = '\0';
}

static void ranges_free(geo_ranges_t *r)
{
    if (!r) return;
    free(r->prefixes);
    free(r->labels);
    free(r);
}

/* Parse one data line into r; returns 0, or -1 with a reason in `why`.
 * `last` holds the previous line's address: T2's converter keeps it when
 * an address does not parse (its inet_pton leaves the buffer alone), and
 * ignores a line without "/LENGTH"; t2mini does the same, so that a table
 * with such lines labels addresses as T2 does. */
static int parse_line(geo_ranges_t *r, int ipver, char *line, uint8_t last[16], int *haveLast,
                      const char **why)
{
    const char *field[11];
    unsigned nf = 0;
    char *s = line;
    field[nf++] = s;
    while (nf < 11 && (s = strchr(s, '\t')) != NULL) field[nf++] = ++s;
    if (nf < 11) {
        *why = "fewer than 11 tab-separated fields";
        return -1;
    }

    const char *slash = strchr(field[0], '/');
    if (!slash || slash > field[1]) return 0;           /* no prefix: ignored */
    char *end;
    const long len = strtol(slash + 1, &end, 10);
    if (end == slash + 1 || *end != '\t' || len < 0 || len > (ipver == 4 ? 32 : 128)) return 0;

    char addr[64];
    const size_t alen = (size_t)(slash - field[0]);
    uint8_t bytes[16];
    if (alen > 0 && alen < sizeof(addr)) {
        memcpy(addr, field[0], alen);
        addr[alen] = '\0';
        if (inet_pton(ipver == 4 ? AF_INET : AF_INET6, addr, bytes) == 1) {
            memcpy(last, bytes, 16);
            *haveLast = 1;
        }
    }
    if (!*haveLast) return 0;
    memcpy(bytes, last, 16);

    geo_label_t *label = &r->labels[r->nlabels];
    label->code = (uint32_t)strtoul(field[2], NULL, 16);
    copy_field(label->country, field[7], GEO_COUNTRY_LEN);
    copy_field(label->org, field[10], GEO_ORG_LEN);
    r->nlabels++;

    geo_prefix_t *pf = &r->prefixes[r->count++];
    to128(ipver, bytes, &pf->hi, &pf->lo);
    pf->len = (uint8_t)len;
    mask128(&pf->hi, &pf->lo, (unsigned)len);
    pf->subnet = r->nlabels;
    return 0;
}

static geo_ranges_t *load_table(const char *dir, const char *name, int ipver,
                                char *err, size_t errLen)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errLen, "%s: cannot open subnet table: %s", path, strerror(errno));
        return NULL;
    }

    geo_ranges_t *r = calloc(1, sizeof(*r));
    uint32_t room = 0;
    char *line = NULL;
    size_t cap = 0;
    unsigned long lineNo = 0;
    uint8_t last[16] = {0};
    int haveLast = 0;
    int ok = r != NULL;
    while (ok && getline(&line, &cap, f) != -1) {
        lineNo++;
        const char c = line[0];
        if (c == '#' || c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') continue;
        if (r->count == room) {
            room = room ? 2 * room : 1024;
            geo_prefix_t *np = realloc(r->prefixes, room * sizeof(*np));
            if (np) r->prefixes = np;
            geo_label_t *nl = realloc(r->labels, room * sizeof(*nl));
            if (nl) r->labels = nl;
            if (!np || !nl) {
                snprintf(err, errLen, "%s: out of memory", path);
                ok = 0;
                break;
            }
        }
        const char *why = NULL;
        if (parse_line(r, ipver, line, last, &haveLast, &why) != 0) {
            snprintf(err, errLen, "%s:%lu: malformed subnet line: %s", path, lineNo, why);
            ok = 0;
        }
    }
    free(line);
    if (ok && ferror(f)) {
        snprintf(err, errLen, "%s: read error: %s", path, strerror(errno));
        ok = 0;
    }
    fclose(f);
    if (!ok) {
        ranges_free(r);
        return NULL;
    }

    /* sort, drop repeated ranges (keeping the first), index the runs */
    if (r->count) qsort(r->prefixes, r->count, sizeof(*r->prefixes), cmp_prefix);
    uint32_t kept = 0;
    for (uint32_t i = 0; i < r->count; i++) {
        const geo_prefix_t *pf = &r->prefixes[i];
        if (kept && pf->len == r->prefixes[kept - 1].len && pf->hi == r->prefixes[kept - 1].hi &&
            pf->lo == r->prefixes[kept - 1].lo) continue;
        r->prefixes[kept++] = *pf;
    }
    r->count = kept;
    for (uint32_t i = 0; i < r->count; i++) {
        const uint8_t len = r->prefixes[i].len;
        if (r->nlengths == 0 || r->lengths[r->nlengths - 1] != len) {
            r->lengths[r->nlengths++] = len;
            r->runStart[len] = i;
        }
        r->runEnd[len] = i + 1;
    }
    return r;
}

int geo_load(geo_t *g, const char *dir, char *err, size_t errLen)
{
    memset(g, 0, sizeof(*g));
    g->v4 = load_table(dir, "subnets4.txt", 4, err, errLen);
    if (!g->v4) return -1;
    g->v6 = load_table(dir, "subnets6.txt", 6, err, errLen);
    if (!g->v6) {
        geo_free(g);
        return -1;
    }
    return 0;
}

void geo_free(geo_t *g)
{
    ranges_free(g->v4);
    ranges_free(g->v6);
    g->v4 = g->v6 = NULL;
}

static const geo_ranges_t *table_of(const geo_t *g, int ipver)
{
    return ipver == 4 ? g->v4 : ipver == 6 ? g->v6 : NULL;
}

uint32_t geo_count(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->count : 0;
}

uint32_t geo_lookup(const geo_t *g, int ipver, const uint8_t *addr)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r) return GEO_UNKNOWN;
    uint64_t hi, lo;
    to128(ipver, addr, &hi, &lo);
    if (hi == 0 && lo == 0) return GEO_UNKNOWN;

    for (uint32_t k = 0; k < r->nlengths; k++) {
        const unsigned len = r->lengths[k];
        uint64_t mh = hi, ml = lo;
        mask128(&mh, &ml, len);
        uint32_t a = r->runStart[len], b = r->runEnd[len];
        while (a < b) {
            const uint32_t mid = a + (b - a) / 2;
            const geo_prefix_t *pf = &r->prefixes[mid];
            if (pf->hi == mh && pf->lo == ml) return pf->subnet;
            if (pf->hi < mh || (pf->hi == mh && pf->lo < ml)) a = mid + 1;
            else b = mid;
        }
    }
    return GEO_UNKNOWN;
}

const char *geo_country(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || subnet == GEO_UNKNOWN || subnet > r->nlabels) return "-";
    return r->labels[subnet - 1].country;
}

const char *geo_org(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || subnet == GEO_UNKNOWN || subnet > r->nlabels) return "-";
    return r->labels[subnet - 1].org;
}

int geo_is_tor(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || subnet == GEO_UNKNOWN || subnet > r->nlabels) return 0;
    return (r->labels[subnet - 1].code & 0x00400000u) != 0;
}
