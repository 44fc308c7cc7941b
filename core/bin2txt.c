/*
 * bin2txt.c - flow lines and column lists from the plugins' binary values
 * (see bin2txt.h).
 */
#include "bin2txt.h"

#include <string.h>

/* Where the text goes, the values not read yet, and what went wrong. */
typedef struct {
    outbuf_t *out;
    const uint8_t *at, *end;
    bin2txt_error_t *err;
} reader_t;

/* Read the next sizeof(var) bytes into var; 0 if there are not enough.
 * (A constant size: the copy is a load.) */
#define TAKE(r, var) take((r), &(var), sizeof(var))

static inline int take(reader_t *r, void *to, size_t n)
{
    if ((size_t)(r->end - r->at) < n) return 0;
    memcpy(to, r->at, n);
    r->at += n;
    return 1;
}

static int fail(reader_t *r, const char *why, unsigned long number)
{
    snprintf(r->err->why, sizeof(r->err->why), why, number);
    return -1;
}

#define SHORT_OF_BYTES "fewer values than its description has"

static void put_printf_double(outbuf_t *out, const char *format, double v)
{
    char tmp[400];              /* "%f" of DBL_MAX: 316 characters */
    const int n = snprintf(tmp, sizeof(tmp), format, v);
    if (n > 0) outbuf_write(out, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A NUL-terminated string, sanitized, in quotes or not. */
static int put_string(reader_t *r, int quoted)
{
    const uint8_t *nul = memchr(r->at, 0, (size_t)(r->end - r->at));
    if (!nul) return fail(r, "a string without its NUL", 0);
    if (quoted) outbuf_putc(r->out, '"');
    outbuf_sanitized(r->out, (const char *)r->at);
    if (quoted) outbuf_putc(r->out, '"');
    r->at = nul + 1;
    return 0;
}

/* One value of a type other than bt_compound; 0, or -1 (r->err->why). */
static int put_value(reader_t *r, uint32_t type)
{
    outbuf_t *const out = r->out;
    union {
        int8_t i8; int16_t i16; int32_t i32; int64_t i64;
        uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
        float f; double d;
        uint8_t bytes[16];
    } v;
    switch (type) {
    case bt_int_8:   if (!TAKE(r, v.i8)) break;  outbuf_i64(out, v.i8);  return 0;
    case bt_int_16:  if (!TAKE(r, v.i16)) break; outbuf_i64(out, v.i16); return 0;
    case bt_int_32:  if (!TAKE(r, v.i32)) break; outbuf_i64(out, v.i32); return 0;
    case bt_int_64:  if (!TAKE(r, v.i64)) break; outbuf_i64(out, v.i64); return 0;
    case bt_uint_8:  if (!TAKE(r, v.u8)) break;  outbuf_u64(out, v.u8);  return 0;
    case bt_uint_16: if (!TAKE(r, v.u16)) break; outbuf_u64(out, v.u16); return 0;
    case bt_uint_32: if (!TAKE(r, v.u32)) break; outbuf_u64(out, v.u32); return 0;
    case bt_uint_64: if (!TAKE(r, v.u64)) break; outbuf_u64(out, v.u64); return 0;
    case bt_hex_8:   if (!TAKE(r, v.u8)) break;  outbuf_hex(out, v.u8, 2);   return 0;
    case bt_hex_16:  if (!TAKE(r, v.u16)) break; outbuf_hex(out, v.u16, 4);  return 0;
    case bt_hex_32:  if (!TAKE(r, v.u32)) break; outbuf_hex(out, v.u32, 8);  return 0;
    case bt_hex_64:  if (!TAKE(r, v.u64)) break; outbuf_hex(out, v.u64, 16); return 0;
    case bt_float:   if (!TAKE(r, v.f)) break; put_printf_double(out, "%.7g", v.f); return 0;
    case bt_double:  if (!TAKE(r, v.d)) break; put_printf_double(out, "%f", v.d);   return 0;
    case bt_char:    if (!TAKE(r, v.u8)) break; outbuf_putc(out, (char)v.u8); return 0;
    case bt_flow_direction:
        if (!TAKE(r, v.u8)) break;
        outbuf_putc(out, v.u8 ? 'B' : 'A');
        return 0;
    case bt_string:       return put_string(r, 1);
    case bt_string_class: return put_string(r, 0);
    case bt_timestamp:
    case bt_duration: {
        uint32_t nsec;
        if (!TAKE(r, v.u64) || !TAKE(r, nsec)) break;
        outbuf_time(out, v.u64, nsec);          /* "%" PRIu64 ".%09" PRIu32 */
        return 0;
    }
    case bt_mac_addr:
        if (!take(r, v.bytes, 6)) break;
        outbuf_mac(out, v.bytes);
        return 0;
    case bt_ip4_addr:
        if (!take(r, v.bytes, 4)) break;
        outbuf_ipv4(out, v.bytes);
        return 0;
    case bt_ip6_addr:
        if (!take(r, v.bytes, 16)) break;
        outbuf_ipv6(out, v.bytes);
        return 0;
    case bt_ipx_addr:
        if (!TAKE(r, v.u8)) break;
        if (v.u8 == 4) return put_value(r, bt_ip4_addr);
        if (v.u8 == 6) return put_value(r, bt_ip6_addr);
        if (v.u8 == 0) {
            outbuf_puts(out, B2T_NON_IP_STR);
            return 0;
        }
        return fail(r, "IP version %lu (neither 4 nor 6, nor 0 for none)", v.u8);
    default:
        return fail(r, "type %lu, which has no text form", type);
    }
    return fail(r, SHORT_OF_BYTES, 0);
}
/* n values of the types in `parts`, `repeating` or not: '_' between the
 * values, ';' between the repetitions, compounds in parentheses. */
static int put_values(reader_t *r, const binary_subvalue_t *parts, uint32_t n, uint32_t repeating)
{
    uint32_t reps = 1;
    if (repeating && !TAKE(r, reps)) return fail(r, "no number of repetitions", 0);
    for (uint32_t k = 0; k < reps; k++) {
        if (k) outbuf_putc(r->out, ';');
        for (uint32_t i = 0; i < n; i++) {
            if (i) outbuf_putc(r->out, '_');
            const binary_subvalue_t *p = &parts[i];
            if (p->type != bt_compound) {
                if (put_value(r, p->type)) return -1;
                continue;
            }
            outbuf_putc(r->out, '(');
            if (put_values(r, p->subval, p->num_values, p->is_repeating)) return -1;
            outbuf_putc(r->out, ')');
        }
    }
    return 0;
}

int bin2txt_line(outbuf_t *out, const binary_value_t *bv, const outputBuffer_t *buf,
                 bin2txt_error_t *err)
{
    reader_t r = { out, (const uint8_t *)buf->buffer, (const uint8_t *)buf->buffer + buf->pos, err };
    unsigned number = 1;
    for (const binary_value_t *c = bv; c; c = c->next, number++) {
        if (c != bv) outbuf_putc(out, SEP_CHR[0]);
        const int rc = !c->is_repeating && c->num_values == 1 && c->subval[0].type != bt_compound
                     ? put_value(&r, c->subval[0].type)     /* the usual column */
                     : put_values(&r, c->subval, c->num_values, c->is_repeating);
        if (rc != 0) {
            err->column = c;
            err->number = number;
            return -1;
        }
    }
    outbuf_putc(out, '\n');
    return 0;
}

void bin2txt_names(outbuf_t *out, const binary_value_t *bv)
{
    outbuf_puts(out, HDR_CHR);
    for (const binary_value_t *c = bv; c; c = c->next) {
        if (c != bv) outbuf_puts(out, SEP_CHR);
        outbuf_puts(out, c->name);
    }
    outbuf_putc(out, '\n');
}

/* T2's code for a type in the headers file */
static const char *type_code(uint32_t type)
{
    switch (type) {
    case bt_int_8: return "I8";
    case bt_int_16: return "I16";
    case bt_int_32: return "I32";
    case bt_int_64: return "I64";
    case bt_uint_8: return "U8";
    case bt_uint_16: return "U16";
    case bt_uint_32: return "U32";
    case bt_uint_64: return "U64";
    case bt_hex_8: return "H8";
    case bt_hex_16: return "H16";
    case bt_hex_32: return "H32";
    case bt_hex_64: return "H64";
    case bt_float: return "F";
    case bt_double: return "D";
    case bt_char: return "C";
    case bt_string: return "S";
    case bt_flow_direction: return "C";
    case bt_timestamp: return "U64.U32";
    case bt_duration: return "U64.U32";
    case bt_mac_addr: return "MAC";
    case bt_ip4_addr: return "IP4";
    case bt_ip6_addr: return "IP6";
    case bt_ipx_addr: return "IPX";
    case bt_string_class: return "SC";
    default: return "?";
    }
}

/* "U8_(H16_SC:R)": the types of n values, a compound's in parentheses */
static void put_types(FILE *f, const binary_subvalue_t *parts, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        if (i) fputc('_', f);
        if (parts[i].type != bt_compound) {
            fputs(type_code(parts[i].type), f);
            continue;
        }
        fputc('(', f);
        put_types(f, parts[i].subval, parts[i].num_values);
        fputs(parts[i].is_repeating ? ":R)" : ")", f);
    }
}

void bin2txt_columns(FILE *f, const binary_value_t *bv)
{
    fputs("# Col No.\tType\tName\tDescription", f);
    unsigned number = 1;
    for (const binary_value_t *c = bv; c; c = c->next) {
        fprintf(f, "\n%u\t", number++);
        put_types(f, c->subval, c->num_values);
        if (c->is_repeating) fputs(":R", f);
        fprintf(f, "\t%s\t%s", c->name, c->desc);
    }
    fputc('\n', f);
}
