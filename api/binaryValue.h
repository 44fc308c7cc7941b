/*
 * binaryValue.h - how a plugin describes its flow-file columns (T2's
 * binary value API, under T2's names).
 *
 * A plugin's t2PrintHeader() returns a list of binary_value_t, one per
 * column: its name, its description and the type of what its
 * t2OnFlowTerminate() appends to the output buffer for it (outputBuffer.h).
 * A column may hold several values of different types (a compound: they
 * print joined by '_'), and may repeat: then the plugin appends the number
 * of repetitions first (OUTBUF_APPEND_NUMREP) and the values that many
 * times (they print separated by ';').  A value can itself be a compound,
 * described with bv_add_sv_to_bv() and bv_add_sv_to_sv(); it prints in
 * parentheses.  bin2txt.h turns the list and the bytes into the text.
 *
 *     binary_value_t *t2PrintHeader(void)
 *     {
 *         binary_value_t *bv = NULL;
 *         BV_APPEND_H8(bv, "tcpWinStat", "tcpWin status");
 *         BV_APPEND_U16_R(bv, "vlanID", "VLAN IDs");
 *         BV_APPEND(bv, "port_name", "Port and name", 2, bt_uint_16, bt_string);
 *         return bv;
 *     }
 *
 * The type numbers are T2's.  T2's 128- and 256-bit numbers and long double
 * have no text form in T2's bin2txt and are left out, as are T2's binary
 * file header (build_header, BV_MAGIC_VALUE, ...): t2mini writes text
 * only.  Out of memory, these functions end the program (as T2's do).
 */
#ifndef T2MINI_BINARYVALUE_H
#define T2MINI_BINARYVALUE_H

#include <stdint.h>

#define BV_STRBUF_SHORT 127     /* longest column name kept */
#define BV_STRBUF_LONG 1023     /* longest description kept */

/* is_repeating */
#define BV_REPEAT_NO 0
#define BV_REPEAT_YES 1

typedef enum {
    bt_compound = 0,        /* made of subvalues (bv_add_sv_to_bv) */
    bt_int_8 = 1,
    bt_int_16 = 2,
    bt_int_32 = 3,
    bt_int_64 = 4,
    bt_uint_8 = 7,
    bt_uint_16 = 8,
    bt_uint_32 = 9,
    bt_uint_64 = 10,
    bt_hex_8 = 13,
    bt_hex_16 = 14,
    bt_hex_32 = 15,
    bt_hex_64 = 16,
    bt_float = 19,
    bt_double = 20,
    bt_char = 22,
    bt_string = 23,         /* NUL-terminated, printed quoted and escaped */
    bt_flow_direction = 24, /* uint8_t: 0 prints A, anything else B */
    bt_timestamp = 25,      /* uint64_t seconds, uint32_t nanoseconds */
    bt_duration = 26,       /* the same */
    bt_mac_addr = 27,       /* 6 bytes */
    bt_ip4_addr = 28,       /* 4 bytes, network order */
    bt_ip6_addr = 29,       /* 16 bytes */
    bt_ipx_addr = 30,       /* uint8_t version (4, 6, or 0: no address), then the address */
    bt_string_class = 31,   /* like bt_string, printed without quotes */
} binary_type_t;

/* One value of a column that is itself a compound (type bt_compound). */
typedef struct binary_subvalue_s {
    uint32_t type;                      /* binary_type_t */
    uint32_t num_values;                /* bt_compound: its parts */
    uint32_t is_repeating;
    struct binary_subvalue_s *subval;   /* bt_compound: num_values parts */
} binary_subvalue_t;

/* One column; `next` is the next column of the list. */
typedef struct binary_value_s {
    uint32_t num_values;                /* values in the column (1 unless a compound) */
    uint32_t is_repeating;
    char name[BV_STRBUF_SHORT + 1];
    char desc[BV_STRBUF_LONG + 1];
    binary_subvalue_t *subval;          /* num_values of them: their types */
    struct binary_value_s *next;
} binary_value_t;

/* A new column of num_values values, whose types (binary_type_t) follow;
 * name and description are cut to BV_STRBUF_SHORT and BV_STRBUF_LONG. */
binary_value_t *bv_new_bv(const char *name, const char *desc, uint32_t is_repeating,
                          uint32_t num_values, ...);

/* `dest` with `new_bv` at its end (dest may be NULL); returns the list. */
binary_value_t *bv_append_bv(binary_value_t *dest, binary_value_t *new_bv);

/* Make value `pos` of column `dest` (of type bt_compound) a compound of
 * num_values values, whose types follow; NULL if there is no such value. */
binary_value_t *bv_add_sv_to_bv(binary_value_t *dest, uint32_t pos, uint32_t is_repeating,
                                uint32_t num_values, ...);

/* The same one level down: part `pos` of compound `dest`. */
binary_subvalue_t *bv_add_sv_to_sv(binary_subvalue_t *dest, uint32_t pos, uint32_t is_repeating,
                                   uint32_t num_values, ...);

/* Free a list of columns. */
void bv_header_destroy(binary_value_t *header);

/* ------------------------------------------ appending columns to bv */

#define BV_APPEND_FULL(bv, name, desc, repeat, ...) \
    ((bv) = bv_append_bv((bv), bv_new_bv((name), (desc), (repeat), __VA_ARGS__)))

/* BV_APPEND(bv, name, desc, number of values, their types...) */
#define BV_APPEND(bv, name, desc, ...)   BV_APPEND_FULL(bv, name, desc, BV_REPEAT_NO, __VA_ARGS__)
#define BV_APPEND_R(bv, name, desc, ...) BV_APPEND_FULL(bv, name, desc, BV_REPEAT_YES, __VA_ARGS__)

/* A column of one value of type `type` */
#define BV_APPEND_TYPE(bv, name, desc, type)   BV_APPEND(bv, name, desc, 1, type)
#define BV_APPEND_TYPE_R(bv, name, desc, type) BV_APPEND_R(bv, name, desc, 1, type)
#define BV_APPEND_SIMPLE(bv, name, desc, type)   BV_APPEND_TYPE(bv, name, desc, type)
#define BV_APPEND_SIMPLE_R(bv, name, desc, type) BV_APPEND_TYPE_R(bv, name, desc, type)

#define BV_APPEND_I8(bv, name, desc)    BV_APPEND_TYPE(bv, name, desc, bt_int_8)
#define BV_APPEND_I16(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_int_16)
#define BV_APPEND_I32(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_int_32)
#define BV_APPEND_I64(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_int_64)
#define BV_APPEND_U8(bv, name, desc)    BV_APPEND_TYPE(bv, name, desc, bt_uint_8)
#define BV_APPEND_U16(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_uint_16)
#define BV_APPEND_U32(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_uint_32)
#define BV_APPEND_U64(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_uint_64)
#define BV_APPEND_H8(bv, name, desc)    BV_APPEND_TYPE(bv, name, desc, bt_hex_8)
#define BV_APPEND_H16(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_hex_16)
#define BV_APPEND_H32(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_hex_32)
#define BV_APPEND_H64(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_hex_64)
#define BV_APPEND_FLT(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_float)
#define BV_APPEND_DBL(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_double)
#define BV_APPEND_CHAR(bv, name, desc)  BV_APPEND_TYPE(bv, name, desc, bt_char)
#define BV_APPEND_STR(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_string)
#define BV_APPEND_STRC(bv, name, desc)  BV_APPEND_TYPE(bv, name, desc, bt_string_class)
#define BV_APPEND_MAC(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_mac_addr)
#define BV_APPEND_IP4(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_ip4_addr)
#define BV_APPEND_IP6(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_ip6_addr)
#define BV_APPEND_IPX(bv, name, desc)   BV_APPEND_TYPE(bv, name, desc, bt_ipx_addr)
#define BV_APPEND_TIMESTAMP(bv, name, desc) BV_APPEND_TYPE(bv, name, desc, bt_timestamp)
#define BV_APPEND_DURATION(bv, name, desc)  BV_APPEND_TYPE(bv, name, desc, bt_duration)

/* the same, repeated */
#define BV_APPEND_I8_R(bv, name, desc)  BV_APPEND_TYPE_R(bv, name, desc, bt_int_8)
#define BV_APPEND_I16_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_int_16)
#define BV_APPEND_I32_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_int_32)
#define BV_APPEND_I64_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_int_64)
#define BV_APPEND_U8_R(bv, name, desc)  BV_APPEND_TYPE_R(bv, name, desc, bt_uint_8)
#define BV_APPEND_U16_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_uint_16)
#define BV_APPEND_U32_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_uint_32)
#define BV_APPEND_U64_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_uint_64)
#define BV_APPEND_H8_R(bv, name, desc)  BV_APPEND_TYPE_R(bv, name, desc, bt_hex_8)
#define BV_APPEND_H16_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_hex_16)
#define BV_APPEND_H32_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_hex_32)
#define BV_APPEND_H64_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_hex_64)
#define BV_APPEND_FLT_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_float)
#define BV_APPEND_DBL_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_double)
#define BV_APPEND_CHAR_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_char)
#define BV_APPEND_STR_R(bv, name, desc)  BV_APPEND_TYPE_R(bv, name, desc, bt_string)
#define BV_APPEND_STRC_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_string_class)
#define BV_APPEND_MAC_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_mac_addr)
#define BV_APPEND_IP4_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_ip4_addr)
#define BV_APPEND_IP6_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_ip6_addr)
#define BV_APPEND_IPX_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_ipx_addr)
#define BV_APPEND_TIMESTAMP_R(bv, name, desc) BV_APPEND_TYPE_R(bv, name, desc, bt_timestamp)
#define BV_APPEND_DURATION_R(bv, name, desc)  BV_APPEND_TYPE_R(bv, name, desc, bt_duration)

#endif
