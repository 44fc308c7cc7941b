/*
 * binary_value.c - the column descriptions of binaryValue.h.
 */
#include "binaryValue.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* T2 ends the program when the header cannot be built: so does t2mini. */
static void *zalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("t2mini: out of memory for the flow-file columns\n", stderr);
        exit(1);
    }
    return p;
}

/* n subvalues whose types are the next n arguments of `types` */
static binary_subvalue_t *typed_values(uint32_t n, va_list types)
{
    binary_subvalue_t *sv = zalloc(n, sizeof(*sv));
    for (uint32_t i = 0; i < n; i++) sv[i].type = (uint32_t)va_arg(types, int);
    return sv;
}

/* Copy at most `room` bytes of `s` into the zeroed array `to`. */
static void copy_cut(char *to, const char *s, size_t room)
{
    const size_t n = strlen(s);
    memcpy(to, s, n < room ? n : room);
}

binary_value_t *bv_new_bv(const char *name, const char *desc, uint32_t is_repeating,
                          uint32_t num_values, ...)
{
    binary_value_t *bv = zalloc(1, sizeof(*bv));
    copy_cut(bv->name, name, BV_STRBUF_SHORT);
    copy_cut(bv->desc, desc, BV_STRBUF_LONG);
    bv->is_repeating = is_repeating;
    bv->num_values = num_values;
    va_list types;
    va_start(types, num_values);
    bv->subval = typed_values(num_values, types);
    va_end(types);
    return bv;
}

binary_value_t *bv_append_bv(binary_value_t *dest, binary_value_t *new_bv)
{
    if (!dest) return new_bv;
    binary_value_t *last = dest;
    while (last->next) last = last->next;
    last->next = new_bv;
    return dest;
}

/* Make `sv` a compound of n values, whose types are in `types`. */
static void make_compound(binary_subvalue_t *sv, uint32_t is_repeating, uint32_t n, va_list types)
{
    sv->type = bt_compound;
    sv->is_repeating = is_repeating;
    sv->num_values = n;
    sv->subval = typed_values(n, types);
}

binary_value_t *bv_add_sv_to_bv(binary_value_t *dest, uint32_t pos, uint32_t is_repeating,
                                uint32_t num_values, ...)
{
    if (pos >= dest->num_values) return NULL;
    va_list types;
    va_start(types, num_values);
    make_compound(&dest->subval[pos], is_repeating, num_values, types);
    va_end(types);
    return dest;
}

binary_subvalue_t *bv_add_sv_to_sv(binary_subvalue_t *dest, uint32_t pos, uint32_t is_repeating,
                                   uint32_t num_values, ...)
{
    if (pos >= dest->num_values) return NULL;
    va_list types;
    va_start(types, num_values);
    make_compound(&dest->subval[pos], is_repeating, num_values, types);
    va_end(types);
    return dest;
}

/* The parts of a compound value, and theirs. */
static void free_parts(binary_subvalue_t *sv)
{
    if (sv->type != bt_compound || !sv->subval) return;
    for (uint32_t i = 0; i < sv->num_values; i++) free_parts(&sv->subval[i]);
    free(sv->subval);
}

void bv_header_destroy(binary_value_t *header)
{
    while (header) {
        binary_value_t *next = header->next;
        for (uint32_t i = 0; header->subval && i < header->num_values; i++) {
            free_parts(&header->subval[i]);
        }
        free(header->subval);
        free(header);
        header = next;
    }
}
