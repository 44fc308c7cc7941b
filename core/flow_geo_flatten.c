/*
 * flow_geo_flatten.c - a subnet table turned into T2's flattened list of
 * range boundaries, and packed into the byte string the lookup searches
 * (flow_geo_table.h).
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
 *
 * flow_geo_load.c did step 1 while reading the text; this file does steps
 * 2 to 4 and the packing.
 */
#define _POSIX_C_SOURCE 200809L

#include "flow_geo_build.h"

#include <stdlib.h>
#include <string.h>

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

/* Steps 2 to 4 (see the top of the file), in place. */
int geo_flatten(geo_build_t *b)
{
    if (b->nbounds == 0) return 0;
    qsort(b->bounds + 1, b->nbounds, sizeof(*b->bounds), cmp_key_label);
    order_ties_by_text(b->bounds, b->nbounds, b->texts);
    b->nbounds = merge_repeats(b->bounds, b->nbounds, b->texts);
    reverse_shared_lasts(b->bounds, b->nbounds);
    return link_parents(b);
}

/* ---- the searchable form ---- */


#define GEO_MAX_NUMBER 0xffffffu  /* of a position or a subnet number (3 bytes) */

static void put_number(unsigned char *p, uint64_t v, unsigned n)
{
    while (n-- > 0) {
        *p++ = (unsigned char)(v >> (8 * n));
    }
}

/* The KIND of a boundary (see above); -1 if it has none (an IPv4 address
 * has 96 bits 0; a /LEN up to 64 has low 64 bits all 0 or all 1, geo_span_len()). */
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
            *dst = (uint32_t)(at - start);  /* (geo_pack() checks that the string fits) */
            at += len + 1;
        }
    }
    free(slot);
    *end = at;
    return 0;
}

/* The searchable form of a built table; NULL with the reason in `why`. */
geo_loaded_t *geo_pack(const geo_build_t *b, const char **why)
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
