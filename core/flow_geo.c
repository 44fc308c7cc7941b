/*
 * flow_geo.c - T2's subnet tables, flattened and searched the way T2 does it
 * (see flow_geo.h).
 *
 * T2 does not look addresses up in its text tables.  Its converter (subconv)
 * first turns a table into a sorted list of range boundaries, and the lookup
 * bisects that list.  Where nested ranges share a first or a last address the
 * list holds equal addresses, and which of them T2 answers with depends on
 * their order and on the path of the bisection, not on which range is the
 * most specific.  So t2mini builds the same list when it loads a table, and
 * searches it the same way:
 *
 *  1. Each range ADDR/LEN gives two boundaries, its first and its last address
 *     (a one-address range only the last), both with the range's labels.
 *  2. The boundaries are sorted by address, then prefix length, then first
 *     before last, then by the rest of their line as text (T2 sorts text
 *     lines with sort(1)), and identical ones are merged (uniq): at a shared
 *     first address the outer range now comes first.
 *  3. Each run of last boundaries at one address is reversed, so that there
 *     the inner range comes first: the list now nests like brackets.
 *  4. A pass with a stack of open ranges gives each boundary a parent: the
 *     position of the first boundary of the range around it (0: none).
 *
 * The lookup bisects positions 1..n, probing (low + high) / 2.  At an equal
 * address IPv6 answers with the position probed, IPv4 walks over the equal
 * boundaries to the innermost range.  Between boundaries the last position
 * probed answers if its range holds the address, else its parent does.  The
 * labels of a position are those of its range.
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

#include "flow_geo_table.h"

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

/* An address, IPv4 in the top 32 bits, so that both versions share code. */
typedef struct {
    uint64_t hi, lo;
} u128_t;

/* The labels of a range, as T2 keeps them. */
typedef struct {
    uint32_t code;              /* CtryWhoCode */
    char country[GEO_COUNTRY_LEN + 1];
    char org[GEO_ORG_LEN + 1];
} geo_label_t;

/* One position of T2's flattened table, as built. */
typedef struct {
    u128_t addr;                /* a range's first or last address */
    uint32_t label;             /* labels[label - 1] are the range's */
    uint32_t parent;            /* position of the first boundary of the range around it */
    uint8_t len;                /* the range's prefix length */
    uint8_t is_last;             /* last address of its range (else first) */
} geo_bound_t;

#define GEO_CODE_LEN 10         /* ... of CtryWhoCode: "0x" and 8 hex digits */
#define GEO_TEXT_LEN 500        /* ... of a line from CtryWhoCode on */
#define GEO_TOR_BIT 0x00400000u /* CtryWhoCode bit of Tor nodes */

/* What differs between T2's IPv4 and IPv6 converters. */
typedef struct {
    int ipver;
    unsigned bits;              /* address length */
    size_t addr_width;           /* longest ADDR read */
    size_t range_width;          /* longest IPrange read */
} geo_format_t;

static const geo_format_t FORMAT4 = {4, 32, 15, 32};
static const geo_format_t FORMAT6 = {6, 128, 46, 92};

/* A line of the table, or a part of one: [s, end), not NUL-terminated (the
 * table is read through a read-only mapping of the file). */
typedef struct {
    const char *s, *end;
} span_t;

/* What T2's converter carries from one line to the next: the ADDR, LEN and
 * text of the previous line, which a line that lacks one of them keeps. */
typedef struct {
    uint8_t addr[16];
    long len;
    span_t text;
    int have_addr, have_len;      /* else: never set (T2's are uninitialised) */
} geo_reader_t;

/* The table being built, with room for every line of the file. */
typedef struct {
    const geo_format_t *fmt;
    uint32_t version, revision; /* from the first line */
    geo_bound_t *bounds;        /* two per line at most; bounds[0] unused */
    uint32_t nbounds;
    geo_label_t *labels;        /* one per line at most */
    uint32_t nlabels;
    span_t *texts;              /* texts[label - 1]: the range's line from CtryWhoCode on */
} geo_build_t;

/* A table read from text: its searchable form and the string it owns. */
struct geo_loaded {
    geo_ranges_t ranges;
    unsigned char *bytes;
};

/* ---- 128-bit addresses ---- */

static u128_t to128(int ipver, const uint8_t *a)
{
    u128_t v = {0, 0};
    const int n = ipver == 4 ? 4 : 16;
    for (int i = 0; i < n; i++) {
        if (i < 8) v.hi |= (uint64_t)a[i] << (56 - 8 * i);
        else v.lo |= (uint64_t)a[i] << (56 - 8 * (i - 8));
    }
    return v;
}

/* The top `len` bits set (len 0..128). */
static u128_t prefix_mask(unsigned len)
{
    u128_t m;
    m.hi = len == 0 ? 0 : len >= 64 ? ~0ULL : ~0ULL << (64 - len);
    m.lo = len <= 64 ? 0 : len == 128 ? ~0ULL : ~0ULL << (128 - len);
    return m;
}

static int cmp128(u128_t a, u128_t b)
{
    if (a.hi != b.hi) return a.hi < b.hi ? -1 : 1;
    if (a.lo != b.lo) return a.lo < b.lo ? -1 : 1;
    return 0;
}

static int same_prefix(u128_t a, u128_t b, unsigned len)
{
    const u128_t m = prefix_mask(len);
    return ((a.hi ^ b.hi) & m.hi) == 0 && ((a.lo ^ b.lo) & m.lo) == 0;
}

/*
 * span_len() is the prefix length whose block a range's boundaries delimit,
 * check_len() the length of the mask the lookup tests a range with.  Both
 * are LEN except for /0: T2's converters make a mask by shifting an all-ones
 * word by (word size - LEN), and the hardware takes a shift by the whole
 * word as no shift.  An IPv6 /0 therefore spans the /64 of its address, and
 * an IPv4 /0 spans every address but is tested with a /32 mask.
 */
static unsigned span_len(const geo_format_t *fmt, unsigned len)
{
    return len == 0 && fmt->ipver == 6 ? 64 : len;
}

static unsigned check_len(const geo_format_t *fmt, unsigned len)
{
    return len != 0 ? len : fmt->ipver == 6 ? 64 : 32;
}

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
    const u128_t a = to128(fmt->ipver, addr);
    const u128_t net = prefix_mask(span_len(fmt, len));
    const u128_t word = prefix_mask(fmt->bits);
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

/* sort(1)'s order of T2's lines is address, prefix length, first before
 * last, then the rest of the line.  qsort sees all but the text, so it
 * orders boundaries by label there, and order_ties_by_text() redoes the
 * (rare) runs that only the text tells apart. */
static int cmp_key(const geo_bound_t *a, const geo_bound_t *b)
{
    const int c = cmp128(a->addr, b->addr);
    if (c != 0) return c;
    if (a->len != b->len) return a->len < b->len ? -1 : 1;
    if (a->is_last != b->is_last) return a->is_last < b->is_last ? -1 : 1;
    return 0;
}

static int cmp_key_label(const void *pa, const void *pb)
{
    const geo_bound_t *a = pa, *b = pb;
    const int c = cmp_key(a, b);
    if (c != 0) return c;
    return a->label < b->label ? -1 : a->label > b->label;
}

static int cmp_text(span_t a, span_t b)
{
    const size_t na = (size_t)(a.end - a.s), nb = (size_t)(b.end - b.s);
    const int c = memcmp(a.s, b.s, na < nb ? na : nb);
    if (c != 0) return c;
    return na < nb ? -1 : na > nb;
}

/* Boundaries equal but for their text (repeated ranges) in text order, by
 * insertion sort: such runs are short. */
static void order_ties_by_text(geo_bound_t *bd, uint32_t n, const span_t *texts)
{
    for (uint32_t i = 2; i <= n; i++) {
        const geo_bound_t x = bd[i];
        uint32_t j = i;
        while (j > 1 && cmp_key(&bd[j - 1], &x) == 0 &&
               cmp_text(texts[bd[j - 1].label - 1], texts[x.label - 1]) > 0) {
            bd[j] = bd[j - 1];
            j--;
        }
        bd[j] = x;
    }
}

/* uniq(1): drop a boundary whose line repeats the one before. */
static uint32_t merge_repeats(geo_bound_t *bd, uint32_t n, const span_t *texts)
{
    uint32_t kept = 0;
    for (uint32_t i = 1; i <= n; i++) {
        if (kept && cmp_key(&bd[kept], &bd[i]) == 0 &&
            cmp_text(texts[bd[kept].label - 1], texts[bd[i].label - 1]) == 0) continue;
        bd[++kept] = bd[i];
    }
    return kept;
}

/* Where ranges end at one address, the inner one must end first. */
static void reverse_shared_lasts(geo_bound_t *bd, uint32_t n)
{
    uint32_t i = 1;
    while (i <= n) {
        uint32_t j = i + 1;
        if (bd[i].is_last) {
            while (j <= n && bd[j].is_last && cmp128(bd[j].addr, bd[i].addr) == 0) j++;
        }
        for (uint32_t a = i, z = j - 1; a < z; a++, z--) {
            const geo_bound_t t = bd[a];
            bd[a] = bd[z];
            bd[z] = t;
        }
        i = j;
    }
}

/* Number the boundaries from 1 and give each its parent, from a stack of
 * the open ranges' first positions.  As in T2 the stack starts with a 0 for
 * "none" above a spare 0, and a last boundary met with the stack empty (only
 * in a malformed table) is dropped but still numbered. */
static int link_parents(geo_build_t *b)
{
    size_t room = 64, depth = 1;
    uint32_t *stack = malloc(room * sizeof(*stack));
    if (!stack) return -1;
    stack[0] = stack[1] = 0;
    const uint32_t n = b->nbounds;
    b->nbounds = 0;
    for (uint32_t number = 1; number <= n; number++) {
        geo_bound_t bd = b->bounds[number];
        if (bd.len == b->fmt->bits) {                   /* one address: opens nothing */
            bd.parent = stack[depth];
        } else if (!bd.is_last) {
            bd.parent = stack[depth];
            if (depth + 1 == room) {
                uint32_t *more = realloc(stack, 2 * room * sizeof(*stack));
                if (!more) {
                    free(stack);
                    return -1;
                }
                stack = more;
                room *= 2;
            }
            stack[++depth] = number;
        } else if (depth > 0) {
            bd.parent = stack[--depth];
        } else {
            continue;
        }
        b->bounds[++b->nbounds] = bd;
    }
    free(stack);
    return 0;
}

/* Steps 2 to 4 of T2's conversion (see the top of the file), in place. */
static int flatten(geo_build_t *b)
{
    if (b->nbounds == 0) return 0;
    qsort(b->bounds + 1, b->nbounds, sizeof(*b->bounds), cmp_key_label);
    order_ties_by_text(b->bounds, b->nbounds, b->texts);
    b->nbounds = merge_repeats(b->bounds, b->nbounds, b->texts);
    reverse_shared_lasts(b->bounds, b->nbounds);
    return link_parents(b);
}

/* ---- the searchable form ---- */

/*
 * A built table is packed into the byte string of flow_geo_table.h, which
 * the lookup searches where it lies: tools/geo_compile.c prints the strings
 * of the shipped tables as C data, and -G packs the tables it reads the same
 * way.  The string holds four sections, one after the other:
 *
 *   BOUNDS  per position, 16 bytes: the top 64 bits of the address (an IPv4
 *           address in the top 32 of them), the subnet number (3 bytes),
 *           the parent position (3 bytes), KIND (1 byte) and a 0
 *   LOWS    per boundary of KIND 65..128, in position order, 16 bytes: the
 *           position (4 bytes), the address's low 64 bits, three 0s and a 0
 *   LABELS  per subnet number, 8 bytes: the offset of its Country text in
 *           TEXTS (3 bytes), twice the offset of its Org text plus 1 if its
 *           CtryWhoCode marks a Tor node (4 bytes; that bit is all t2mini
 *           uses of the code), and a 0
 *   TEXTS   every Country and Org text once, countries first, each followed
 *           by a NUL, handed out where it lies
 *
 * Numbers are unsigned, most significant byte first.  The low 64 bits of a
 * boundary are all 0 or all 1 but where its prefix is longer than 64 bits
 * (and always 0 for IPv4), so KIND tells them with the prefix length:
 * 0..64 for a /KIND whose low 64 bits are 0, 129..193 for a /(KIND - 129)
 * whose low 64 bits are all 1, and 65..128 for a /KIND with the low 64 bits
 * in LOWS (3 % of the shipped IPv6 table's boundaries).
 *
 * Records of a power-of-two width ending in a 0 make the 0 at the end of
 * every GEO_ROW bytes (flow_geo_table.h) fall on a record's last byte, and
 * no text covers one of those bytes either, so the string needs no gaps:
 * position p is at 16 * (p - 1), and the lookup bisects BOUNDS as it would
 * an array.  A boundary takes 16 bytes instead of the 32 of geo_bound_t, a
 * label 8 and a share of the deduplicated texts instead of 40.
 */

#define GEO_BOUND_SIZE 16
#define GEO_LOW_SIZE 16
#define GEO_LABEL_SIZE 8
#define GEO_MAX_NUMBER 0xffffffu  /* of a position or a subnet number (3 bytes) */

static void put_number(unsigned char *p, uint64_t v, unsigned n)
{
    while (n-- > 0) {
        *p++ = (unsigned char)(v >> (8 * n));
    }
}

/* The KIND of a boundary (see above); -1 if it has none (an IPv4 address
 * has 96 bits 0; a /LEN up to 64 has low 64 bits all 0 or all 1, span_len()). */
static int kind_of(int ipver, const geo_bound_t *bd)
{
    if (ipver == 4) return (bd->addr.hi & 0xffffffffu) == 0 && bd->addr.lo == 0 ? bd->len : -1;
    if (bd->len > 64) return bd->len;
    if (bd->addr.lo == 0) return bd->len;
    if (bd->addr.lo == ~(uint64_t)0) return 129 + bd->len;
    return -1;
}

static const char *text_of_ref(const geo_build_t *b, uint32_t ref)
{
    const geo_label_t *l = &b->labels[(ref - 1) / 2];
    return (ref - 1) % 2 == 0 ? l->country : l->org;
}

/* Lay TEXTS out from `at` (its start in the string): each distinct text once,
 * found through a hash table of the fields met so far (ref = 2 * label +
 * field + 1); a text that would cover a byte GEO_ROW * k - 1 starts at the
 * next row.  Each label's offsets (from `at`) go to country_at and org_at,
 * the end of TEXTS to `end`; 0, or -1 if out of memory. */
static int lay_out_texts(const geo_build_t *b, uint64_t at, uint32_t *country_at, uint32_t *org_at,
                         uint64_t *end)
{
    const uint64_t start = at;
    size_t room = 16;
    while (room < 4 * (size_t)b->nlabels) room *= 2;
    uint32_t *slot = calloc(room, sizeof(*slot));
    if (!slot) return -1;
    for (unsigned field = 0; field < 2; field++) {
        for (uint32_t i = 0; i < b->nlabels; i++) {
            const uint32_t ref = 2 * i + field + 1;
            const char *s = text_of_ref(b, ref);
            uint32_t h = 2166136261u;   /* FNV-1a */
            for (const unsigned char *c = (const unsigned char *)s; *c; c++) h = (h ^ *c) * 16777619u;
            size_t k = h & (room - 1);
            while (slot[k] && strcmp(text_of_ref(b, slot[k]), s) != 0) k = (k + 1) & (room - 1);
            uint32_t *dst = field == 0 ? &country_at[i] : &org_at[i];
            if (slot[k]) {
                const uint32_t first = (slot[k] - 1) / 2;
                *dst = (slot[k] - 1) % 2 == 0 ? country_at[first] : org_at[first];
                continue;
            }
            slot[k] = ref;
            const size_t len = strlen(s);
            if (at % GEO_ROW + len > GEO_ROW - 1) at += GEO_ROW - at % GEO_ROW;
            *dst = (uint32_t)(at - start);  /* (pack_table() checks that the string fits) */
            at += len + 1;
        }
    }
    free(slot);
    *end = at;
    return 0;
}

/* The searchable form of a built table; NULL with the reason in `why`. */
static geo_loaded_t *pack_table(const geo_build_t *b, const char **why)
{
    const int ipver = b->fmt->ipver;
    geo_ranges_t r = {ipver, b->version, b->revision, b->nbounds, b->nlabels, 0, NULL, 0, 0, 0, 0};
    int fits = b->nbounds <= GEO_MAX_NUMBER && b->nlabels <= GEO_MAX_NUMBER;
    for (uint32_t i = 1; fits && i <= b->nbounds; i++) {
        const geo_bound_t *bd = &b->bounds[i];
        if (kind_of(ipver, bd) < 0) {
            *why = "a boundary is not a range's first or last address";
            return NULL;
        }
        fits = bd->parent <= GEO_MAX_NUMBER;
        r.nlows += bd->len > 64;
    }
    r.lows_at = b->nbounds * GEO_BOUND_SIZE;
    r.labels_at = r.lows_at + r.nlows * GEO_LOW_SIZE;
    const uint64_t texts_at = r.labels_at + (uint64_t)b->nlabels * GEO_LABEL_SIZE;
    if (!fits || texts_at > UINT32_MAX / 2) {
        *why = "table too large";
        return NULL;
    }
    r.texts_at = (uint32_t)texts_at;

    *why = "out of memory";
    const size_t nl = b->nlabels ? b->nlabels : 1;
    uint32_t *country_at = malloc(nl * sizeof(*country_at));
    uint32_t *org_at = malloc(nl * sizeof(*org_at));
    geo_loaded_t *t = NULL;
    uint64_t end = 0;
    const int laid_out = country_at && org_at && lay_out_texts(b, texts_at, country_at, org_at, &end) == 0;
    uint32_t max_country = 0;
    for (uint32_t i = 0; laid_out && i < b->nlabels; i++) {
        if (country_at[i] > max_country) max_country = country_at[i];
    }
    if (!laid_out) {
        /* out of memory */
    } else if (end > UINT32_MAX / 2 || max_country > GEO_MAX_NUMBER) {     /* Org: 31 bits */
        *why = "table too large";
    } else if ((t = calloc(1, sizeof(*t))) != NULL) {
        r.size = end ? (uint32_t)((end + GEO_ROW - 1) / GEO_ROW * GEO_ROW) : GEO_ROW;
        t->bytes = calloc(r.size, 1);
        if (!t->bytes) {
            free(t);
            t = NULL;
        }
    }
    if (t) {
        unsigned char *s = t->bytes;
        uint32_t low = 0;
        for (uint32_t i = 1; i <= b->nbounds; i++) {
            const geo_bound_t *bd = &b->bounds[i];
            unsigned char *rec = s + (size_t)(i - 1) * GEO_BOUND_SIZE;
            put_number(rec, bd->addr.hi, 8);
            put_number(rec + 8, bd->label, 3);
            put_number(rec + 11, bd->parent, 3);
            rec[14] = (unsigned char)kind_of(ipver, bd);
            if (bd->len <= 64) continue;
            unsigned char *lw = s + r.lows_at + (size_t)low++ * GEO_LOW_SIZE;
            put_number(lw, i, 4);
            put_number(lw + 4, bd->addr.lo, 8);
        }
        for (uint32_t i = 0; i < b->nlabels; i++) {
            const geo_label_t *l = &b->labels[i];
            unsigned char *rec = s + r.labels_at + (size_t)i * GEO_LABEL_SIZE;
            put_number(rec, country_at[i], 3);
            put_number(rec + 3, 2 * (uint64_t)org_at[i] + ((l->code & GEO_TOR_BIT) != 0), 4);
            memcpy(s + r.texts_at + country_at[i], l->country, strlen(l->country));
            memcpy(s + r.texts_at + org_at[i], l->org, strlen(l->org));
        }
        r.bytes = s;
        t->ranges = r;
    }
    free(country_at);
    free(org_at);
    return t;
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
        if (flatten(&b) == 0) t = pack_table(&b, &why);
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

/* ---- lookup ---- */

static const geo_ranges_t *table_of(const geo_t *g, int ipver)
{
    return ipver == 4 ? g->v4 : ipver == 6 ? g->v6 : NULL;
}

uint32_t geo_count(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->nbounds / 2 : 0;
}

uint32_t geo_version(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->version : 0;
}

uint32_t geo_revision(const geo_t *g, int ipver)
{
    const geo_ranges_t *r = table_of(g, ipver);
    return r ? r->revision : 0;
}

/* Numbers of 8, 4 and 3 bytes, spelt out so that compilers read each with
 * one load (and a byte swap where the host's order is the other). */
static inline uint64_t get64(const unsigned char *p)
{
    return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 | (uint64_t)p[2] << 40 |
           (uint64_t)p[3] << 32 | (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
           (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

static inline uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline uint32_t get24(const unsigned char *p)
{
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | (uint32_t)p[2];
}

static inline const unsigned char *bound_record(const geo_ranges_t *r, uint32_t pos)
{
    return r->bytes + (size_t)(pos - 1) * GEO_BOUND_SIZE;
}

/* The low 64 bits of the address at `pos`, whose record is `rec`. */
static uint64_t low_bits(const geo_ranges_t *r, uint32_t pos, const unsigned char *rec)
{
    const unsigned kind = rec[14];
    if (kind <= 64) return 0;
    if (kind >= 129) return ~(uint64_t)0;
    uint32_t low = 0, high = r->nlows;
    while (low < high) {
        const uint32_t mid = low + (high - low) / 2;
        const unsigned char *p = r->bytes + r->lows_at + (size_t)mid * GEO_LOW_SIZE;
        const uint32_t at = get32(p);
        if (at == pos) return get64(p + 4);
        if (at < pos) low = mid + 1;
        else high = mid;
    }
    return 0;                   /* (pack_table() put every one there) */
}

/* cmp128(a, the address at `pos`), reading its low bits only if need be. */
static inline int cmp_at(const geo_ranges_t *r, u128_t a, uint32_t pos)
{
    const unsigned char *rec = bound_record(r, pos);
    const uint64_t hi = get64(rec);
    if (a.hi != hi) return a.hi < hi ? -1 : 1;
    const uint64_t lo = low_bits(r, pos, rec);
    if (a.lo != lo) return a.lo < lo ? -1 : 1;
    return 0;
}

/* The answer for an address equal to position `pos`.  IPv6 takes that
 * position.  IPv4 walks over the equal boundaries to the innermost range: an
 * odd address (a last address, usually) back to the first of them, an even
 * one on to the last of them, though, as in T2, not on to position n. */
static uint32_t equal_position(const geo_ranges_t *r, uint32_t pos, u128_t a)
{
    if (r->ipver == 6) return pos;
    if ((a.hi >> 32) & 1) {
        while (pos > 1 && cmp_at(r, a, pos - 1) == 0) pos--;
    } else {
        while (pos + 1 < r->nbounds && cmp_at(r, a, pos + 1) == 0) pos++;
    }
    return pos;
}

/* T2's bisection: the position whose labels an address gets, or 0. */
static uint32_t find_position(const geo_ranges_t *r, u128_t a)
{
    uint32_t low = 1, high = r->nbounds, probe = 0;
    while (low <= high) {
        probe = (low + high) / 2;
        const int c = cmp_at(r, a, probe);
        if (c == 0) return equal_position(r, probe, a);
        if (c < 0) high = probe - 1;
        else low = probe + 1;
    }
    /* between boundaries: the last probed is a neighbour of the address */
    const unsigned char *rec = bound_record(r, probe);
    const u128_t addr = {get64(rec), low_bits(r, probe, rec)};
    const unsigned kind = rec[14], len = kind >= 129 ? kind - 129 : kind;
    if (same_prefix(a, addr, check_len(r->ipver == 6 ? &FORMAT6 : &FORMAT4, len))) return probe;
    const uint32_t parent = get24(rec + 11);
    return parent <= r->nbounds ? parent : 0;
}

uint32_t geo_lookup(const geo_t *g, int ipver, const uint8_t *addr)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || r->nbounds == 0) return GEO_UNKNOWN;
    const u128_t a = to128(ipver, addr);
    if (a.hi == 0 && a.lo == 0) return GEO_UNKNOWN;
    const uint32_t pos = find_position(r, a);
    return pos ? get24(bound_record(r, pos) + 8) : GEO_UNKNOWN;
}

/* The LABELS record of a subnet, or NULL; its table in `table`. */
static const unsigned char *label_of(const geo_t *g, int ipver, uint32_t subnet,
                                     const geo_ranges_t **table)
{
    const geo_ranges_t *r = table_of(g, ipver);
    if (!r || subnet == GEO_UNKNOWN || subnet > r->nlabels) return NULL;
    *table = r;
    return r->bytes + r->labels_at + (size_t)(subnet - 1) * GEO_LABEL_SIZE;
}

const char *geo_country(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l ? (const char *)r->bytes + r->texts_at + get24(l) : "-";
}

const char *geo_org(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l ? (const char *)r->bytes + r->texts_at + (get32(l + 3) >> 1) : "-";
}

int geo_is_tor(const geo_t *g, int ipver, uint32_t subnet)
{
    const geo_ranges_t *r;
    const unsigned char *l = label_of(g, ipver, subnet, &r);
    return l && (get32(l + 3) & 1) != 0;
}
