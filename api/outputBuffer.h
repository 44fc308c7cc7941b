/*
 * outputBuffer.h - where a plugin puts its flow-file values (T2's output
 * buffer, under T2's names).
 *
 * When a flow ends, the core empties one outputBuffer_t, appends its own
 * two columns (dir, flowInd), and each plugin's t2OnFlowTerminate() appends
 * the values its t2PrintHeader() described (binaryValue.h), in that order,
 * as bytes in host order; the sinks then turn the bytes into text
 * (bin2txt.h).  A repeated column starts with its number of repetitions
 * (OUTBUF_APPEND_NUMREP), a string is its bytes and a NUL.
 *
 *     OUTBUF_APPEND_U8(buf, tcpWinFlowP->stat);       // H8 or U8
 *     OUTBUF_APPEND_ARRAY_U16(buf, vlans, numVlans);  // U16_R
 *     OUTBUF_APPEND_STR(buf, name);                   // S, SC
 *
 * The macros take the address of `val`: it must be a variable (or an
 * array element, a struct member) of the macro's size, as in T2.  The
 * buffer doubles as needed, as T2's does, up to OUTBUF_MAX_BYTES; what
 * does not fit then is dropped and counted in `lost`, and the core does
 * not write that flow's line (it says so, and the run fails; T2 stops).
 *
 * Left out, as t2mini has no type for them: T2's OUTBUF_APPEND_IPV and
 * OUTBUF_APPEND_ARRAY_IPV (ipVAddr_t).  OUTBUF_APPEND_IP4/IP6/IPVX take,
 * as in T2, a value with members IPv4 (struct in_addr) and IPv6 (struct
 * in6_addr), such as T2's ipAddr_t.
 */
#ifndef T2MINI_OUTPUTBUFFER_H
#define T2MINI_OUTPUTBUFFER_H

#include <arpa/inet.h>      /* ntohs(), ntohl() */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>         /* free(), for OUTBUF_APPEND_STR_AND_FREE */
#include <string.h>         /* strlen() */

#define MAIN_OUTBUF_SIZE 1000000    /* bytes of the core's buffer at first */
#define OUTBUF_MAXSIZE_F 5          /* it grows up to this many times that */
#define OUTBUF_MAX_BYTES ((size_t)OUTBUF_MAXSIZE_F * MAIN_OUTBUF_SIZE)

typedef struct {
    size_t size;            /* bytes `buffer` holds */
    uint32_t pos;           /* bytes appended (or read back, by bin2txt) */
    char *buffer;
    size_t lost;            /* bytes that did not fit since the last reset */
} outputBuffer_t;

/* A buffer of `size` bytes; NULL when memory is short. */
outputBuffer_t *outputBuffer_initialize(size_t size);
void outputBuffer_destroy(outputBuffer_t *buffer);

/* Empty the buffer (and forget what was lost). */
void outputBuffer_reset(outputBuffer_t *buffer);

/* Append `size` bytes from `output`. */
void outputBuffer_append_grow(outputBuffer_t *buffer, const char *output, size_t size);
static inline void outputBuffer_append(outputBuffer_t *buffer, const char *output, size_t size)
{
    if (buffer->pos + size > buffer->size || buffer->lost) {
        outputBuffer_append_grow(buffer, output, size);     /* grow, or drop */
        return;
    }
    memcpy(buffer->buffer + buffer->pos, output, size);
    buffer->pos += (uint32_t)size;
}

/* Append a repeated column's number of repetitions (uint32_t). */
void outputBuffer_append_numrep(outputBuffer_t *buffer, uint32_t reps);

/* `v` in network byte order (OUTBUF_APPEND_U64_NTOH) */
uint64_t outputBuffer_ntoh64(uint64_t v);

/* ------------------------------------------------------------ values */

#define OUTBUF_APPEND(buf, val, size) outputBuffer_append((buf), (const char *)&(val), (size))

#define OUTBUF_APPEND_U8(buf, val)  OUTBUF_APPEND((buf), (val), sizeof(uint8_t))
#define OUTBUF_APPEND_U16(buf, val) OUTBUF_APPEND((buf), (val), sizeof(uint16_t))
#define OUTBUF_APPEND_U32(buf, val) OUTBUF_APPEND((buf), (val), sizeof(uint32_t))
#define OUTBUF_APPEND_U64(buf, val) OUTBUF_APPEND((buf), (val), sizeof(uint64_t))
#define OUTBUF_APPEND_I8(buf, val)  OUTBUF_APPEND((buf), (val), sizeof(int8_t))
#define OUTBUF_APPEND_I16(buf, val) OUTBUF_APPEND((buf), (val), sizeof(int16_t))
#define OUTBUF_APPEND_I32(buf, val) OUTBUF_APPEND((buf), (val), sizeof(int32_t))
#define OUTBUF_APPEND_I64(buf, val) OUTBUF_APPEND((buf), (val), sizeof(int64_t))
#define OUTBUF_APPEND_FLT(buf, val) OUTBUF_APPEND((buf), (val), sizeof(float))
#define OUTBUF_APPEND_DBL(buf, val) OUTBUF_APPEND((buf), (val), sizeof(double))

/* a value in network byte order, appended in host order */
#define OUTBUF_APPEND_U16_NTOH(buf, val) { \
    const uint16_t outbuf_h16_ = ntohs(val); \
    OUTBUF_APPEND_U16((buf), outbuf_h16_); \
}
#define OUTBUF_APPEND_U32_NTOH(buf, val) { \
    const uint32_t outbuf_h32_ = ntohl(val); \
    OUTBUF_APPEND_U32((buf), outbuf_h32_); \
}
#define OUTBUF_APPEND_U64_NTOH(buf, val) { \
    const uint64_t outbuf_h64_ = outputBuffer_ntoh64(val); \
    OUTBUF_APPEND_U64((buf), outbuf_h64_); \
}

/* a zero of each size */
#define OUTBUF_APPEND_ZERO_(buf, type) { \
    const type outbuf_zero_ = 0; \
    OUTBUF_APPEND((buf), outbuf_zero_, sizeof(type)); \
}
#define OUTBUF_APPEND_U8_ZERO(buf)  OUTBUF_APPEND_ZERO_(buf, uint8_t)
#define OUTBUF_APPEND_U16_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, uint16_t)
#define OUTBUF_APPEND_U32_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, uint32_t)
#define OUTBUF_APPEND_U64_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, uint64_t)
#define OUTBUF_APPEND_I8_ZERO(buf)  OUTBUF_APPEND_ZERO_(buf, int8_t)
#define OUTBUF_APPEND_I16_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, int16_t)
#define OUTBUF_APPEND_I32_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, int32_t)
#define OUTBUF_APPEND_I64_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, int64_t)
#define OUTBUF_APPEND_FLT_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, float)
#define OUTBUF_APPEND_DBL_ZERO(buf) OUTBUF_APPEND_ZERO_(buf, double)

/* strings, with their NUL */
#define OUTBUF_APPEND_STR(buf, val) \
    outputBuffer_append((buf), (const char *)(val), strlen((const char *)(val)) + 1)
#define OUTBUF_APPEND_STR_EMPTY(buf) outputBuffer_append((buf), "", 1)
/* val may be NULL (an empty string); it is freed */
#define OUTBUF_APPEND_STR_AND_FREE(buf, val) { \
    if (val) { \
        OUTBUF_APPEND_STR((buf), (val)); \
        free(val); \
    } else { \
        OUTBUF_APPEND_STR_EMPTY(buf); \
    } \
}

/* a time stamp or duration (bt_timestamp, bt_duration): uint64_t seconds,
 * then uint32_t nanoseconds (variables of those types) */
#define OUTBUF_APPEND_TIME(buf, sec, nsec) { \
    OUTBUF_APPEND_U64((buf), (sec)); \
    OUTBUF_APPEND_U32((buf), (nsec)); \
}
#define OUTBUF_APPEND_TIME_SEC(buf, sec) { \
    const uint32_t outbuf_ns_ = 0; \
    OUTBUF_APPEND_TIME((buf), (sec), outbuf_ns_); \
}
#define OUTBUF_APPEND_TIME_ZERO(buf) { \
    const uint64_t outbuf_s_ = 0; \
    OUTBUF_APPEND_TIME_SEC((buf), outbuf_s_); \
}

/* addresses: a MAC is an array of 6 bytes */
#define OUTBUF_APPEND_MAC(buf, mac) OUTBUF_APPEND((buf), (mac)[0], 6)
#define OUTBUF_APPEND_IP4(buf, ip)  OUTBUF_APPEND((buf), (ip).IPv4, 4)
#define OUTBUF_APPEND_IP6(buf, ip)  OUTBUF_APPEND((buf), (ip).IPv6, 16)
#define OUTBUF_APPEND_ZEROS_(buf, n) { \
    const uint8_t outbuf_zeros_[n] = { 0 }; \
    OUTBUF_APPEND((buf), outbuf_zeros_, (n)); \
}
#define OUTBUF_APPEND_MAC_ZERO(buf) OUTBUF_APPEND_ZEROS_(buf, 6)
#define OUTBUF_APPEND_IP4_ZERO(buf) OUTBUF_APPEND_ZEROS_(buf, 4)
#define OUTBUF_APPEND_IP6_ZERO(buf) OUTBUF_APPEND_ZEROS_(buf, 16)

/* bt_ipx_addr: the version (a uint8_t variable), then the address of that
 * version (nothing for another version) */
#define OUTBUF_APPEND_IPVX(buf, version, ip) { \
    OUTBUF_APPEND_U8((buf), (version)); \
    if ((version) == 6) OUTBUF_APPEND_IP6((buf), (ip)); \
    else if ((version) == 4) OUTBUF_APPEND_IP4((buf), (ip)); \
}

/* --------------------------------------------------- repeated values */

#define OUTBUF_APPEND_NUMREP(buf, reps) { outputBuffer_append_numrep((buf), (reps)); }
#define OUTBUF_APPEND_NUMREP_ZERO(buf) OUTBUF_APPEND_NUMREP((buf), 0)
#define OUTBUF_APPEND_NUMREP_ONE(buf)  OUTBUF_APPEND_NUMREP((buf), 1)

/* A repeated string column with 0 or 1 values: none for NULL or "". */
#define OUTBUF_APPEND_OPT_STR(buf, val) { \
    const char *const outbuf_s_ = (val); \
    if (outbuf_s_ && *outbuf_s_) { \
        OUTBUF_APPEND_NUMREP_ONE(buf); \
        OUTBUF_APPEND_STR((buf), outbuf_s_); \
    } else { \
        OUTBUF_APPEND_NUMREP_ZERO(buf); \
    } \
}

/* The number of values, then the first `size` elements of `array`,
 * each with OUTBUF_APPEND_<type> (U8 ... U64, I8 ... I64, FLT, DBL, STR,
 * STR_AND_FREE, MAC, IP4, IP6). */
#define OUTBUF_APPEND_ARRAY(buf, array, size, type) { \
    const uint32_t outbuf_n_ = (uint32_t)(size); \
    OUTBUF_APPEND_NUMREP((buf), outbuf_n_); \
    for (uint32_t outbuf_i_ = 0; outbuf_i_ < outbuf_n_; outbuf_i_++) { \
        OUTBUF_APPEND_ ## type((buf), (array)[outbuf_i_]); \
    } \
}
#define OUTBUF_APPEND_ARRAY_U8(buf, array, size)  OUTBUF_APPEND_ARRAY(buf, array, size, U8)
#define OUTBUF_APPEND_ARRAY_U16(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, U16)
#define OUTBUF_APPEND_ARRAY_U32(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, U32)
#define OUTBUF_APPEND_ARRAY_U64(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, U64)
#define OUTBUF_APPEND_ARRAY_I8(buf, array, size)  OUTBUF_APPEND_ARRAY(buf, array, size, I8)
#define OUTBUF_APPEND_ARRAY_I16(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, I16)
#define OUTBUF_APPEND_ARRAY_I32(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, I32)
#define OUTBUF_APPEND_ARRAY_I64(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, I64)
#define OUTBUF_APPEND_ARRAY_FLT(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, FLT)
#define OUTBUF_APPEND_ARRAY_DBL(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, DBL)
#define OUTBUF_APPEND_ARRAY_STR(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, STR)
#define OUTBUF_APPEND_ARRAY_STR_AND_FREE(buf, array, size) \
    OUTBUF_APPEND_ARRAY(buf, array, size, STR_AND_FREE)
#define OUTBUF_APPEND_ARRAY_MAC(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, MAC)
#define OUTBUF_APPEND_ARRAY_IP4(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, IP4)
#define OUTBUF_APPEND_ARRAY_IP6(buf, array, size) OUTBUF_APPEND_ARRAY(buf, array, size, IP6)
/* IPvX addresses, all of one version */
#define OUTBUF_APPEND_ARRAY_IPVX(buf, version, array, size) { \
    const uint32_t outbuf_n_ = (uint32_t)(size); \
    OUTBUF_APPEND_NUMREP((buf), outbuf_n_); \
    for (uint32_t outbuf_i_ = 0; outbuf_i_ < outbuf_n_; outbuf_i_++) { \
        OUTBUF_APPEND_IPVX((buf), (version), (array)[outbuf_i_]); \
    } \
}

#endif
