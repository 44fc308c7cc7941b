/*
 * t2utils.h - T2's helpers for plugins: compiler hints, memory that
 * cannot run out, strings, files, the tests and header accessors of
 * packets and flows, and the plugin settings read at run time.
 */
#ifndef T2MINI_T2UTILS_H
#define T2MINI_T2UTILS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>

#include "flow.h"
#include "networkHeaders.h"
#include "packet.h"
#include "t2log.h"
#include "tranalyzer.h"

/* ------------------------------------------------------ the compiler */

#if defined(__GNUC__) || defined(__clang__)
#define LIKELY(x)   __builtin_expect(!!(x), 1)  /* x is usually true */
#define UNLIKELY(x) __builtin_expect(!!(x), 0)  /* x is usually false */
#define UNUSED      __attribute__((__unused__)) /* void f(int x UNUSED) */
#else
#define LIKELY(x)   (x)
#define UNLIKELY(x) (x)
#define UNUSED
#endif

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
#ifndef MAX
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#endif
#ifndef MIN3
#define MIN3(a, b, c) MIN(MIN((a), (b)), (c))
#endif
#ifndef MAX3
#define MAX3(a, b, c) MAX(MAX((a), (b)), (c))
#endif

/* STR(TCPWIN_THRES): a macro's value as a string literal */
#define XSTR(s) #s
#define STR(s) XSTR(s)

/* ------------------------------------------------------------- memory */

/* T2's allocators are the C library's; the _fatal ones exit with T2's
 * message when memory is short, so their result needs no test. */
#define t2_calloc  calloc
#define t2_malloc  malloc
#define t2_realloc realloc
#define t2_free    free
#define t2_memcpy  memcpy

void *t2_malloc_fatal(size_t size);
void *t2_calloc_fatal(size_t nmemb, size_t size);

/* dst = realloc(dst, size), or exit with T2's message (dst freed) */
#define T2_REALLOC(dst, size) do { \
        void *t2_realloc_tmp_ = t2_realloc((dst), (size)); \
        if (UNLIKELY(!t2_realloc_tmp_)) { \
            free(dst); \
            T2_FATAL("Failed to reallocate memory for " STR(dst)); \
        } \
        (dst) = t2_realloc_tmp_; \
    } while (0)

/* free() a pointer to const */
#define T2_FREE_CONST(s) free((void *)(uintptr_t)(s))

/* ------------------------------------------------------------ strings */

/* printf into a new string (free it); exits when memory is short. */
char *t2_strdup_printf(const char *format, ...) T2_PRINTF_LIKE(1, 2);

/* What t2_strcpy() does with a string longer than the destination. */
typedef enum {
    T2_STRCPY_EXIT,         /* exit with an error */
    T2_STRCPY_EMPTY,        /* leave the destination empty */
    T2_STRCPY_TRUNC,        /* copy what fits: "abcdef" */
    T2_STRCPY_ELLIPSIS,     /* what fits, ending with "...": "abc..." */
} t2_strcpy_t;

/* Copy src (at most src_size characters of it) to dest, dest_size bytes
 * with the final '\0'; returns the length copied. */
size_t t2_strncpy(char *dest, const char *src, size_t src_size, size_t dest_size, t2_strcpy_t behavior);
size_t t2_strcpy(char *dest, const char *src, size_t dest_size, t2_strcpy_t behavior);

/* -------------------------------------------------------------- files */

/* fopen(); on failure T2's error message on stderr, and NULL. */
FILE *t2_fopen(const char *filename, const char *mode);
/* dir/file (dir NULL: file alone), e.g. from pluginFolder */
FILE *t2_fopen_in_dir(const char *dir, const char *file, const char *mode);
/* prefix followed by suffix, e.g. baseFileName "_stats.txt" */
FILE *t2_fopen_with_suffix(const char *prefix, const char *suffix, const char *mode);

/* -------------------------------------------------------- addresses */

/* As T2 prints addresses by default (bin2txt.h: IP4_FORMAT 0, IP6_FORMAT
 * 0, MAC_FORMAT 0): "10.0.0.1", "fe80::1", "02:99:00:00:00:01". */
#ifndef MAC_SEP
#define MAC_SEP ":"
#endif
#define T2_MAC_STRLEN (MAX(20, 12 + 5 * sizeof(MAC_SEP)))  /* without the '\0' */

void t2_ipv4_to_str(struct in_addr ip, char *dest, size_t dsize);
void t2_ipv6_to_str(struct in6_addr ip, char *dest, size_t dsize);
int t2_mac_to_str(const uint8_t mac[ETH_ALEN], char *dest, size_t dsize);

/* an ipAddr_t (flowP->srcIP, ...) of version 4 or 6; "" for another */
#define T2_IPV4_TO_STR(ip, dest, dsize) t2_ipv4_to_str((ip).IPv4, (dest), (dsize))
#define T2_IPV6_TO_STR(ip, dest, dsize) t2_ipv6_to_str((ip).IPv6, (dest), (dsize))
#define T2_IP_TO_STR(ip, version, dest, dsize) do { \
        if ((version) == 6) T2_IPV6_TO_STR((ip), (dest), (dsize)); \
        else if ((version) == 4) T2_IPV4_TO_STR((ip), (dest), (dsize)); \
        else *(dest) = '\0'; \
    } while (0)

/* ------------------------------------------------- packets and flows */

/* What a flow or packet is: layer 2, IPv4 or IPv6 */
#define FLOW_IS_L2(f)     (((f)->status & L2_FLOW) != 0)
#define FLOW_IS_LAPD(f)   false
#define FLOW_IS_IPV4(f)   (((f)->status & L2_IPV4) != 0)
#define FLOW_IS_IPV6(f)   (((f)->status & L2_IPV6) != 0)
#define FLOW_IS_IP(f)     (FLOW_IS_IPV4(f) || FLOW_IS_IPV6(f))
#define FLOW_IPVER(f)     (FLOW_IS_IPV6(f) ? 6 : FLOW_IS_IPV4(f) ? 4 : 0)
#define PACKET_IS_IPV4(p) (((p)->status & L2_IPV4) != 0)
#define PACKET_IS_IPV6(p) (((p)->status & L2_IPV6) != 0)
#define PACKET_IS_IP(p)   (PACKET_IS_IPV4(p) || PACKET_IS_IPV6(p))
#define PACKET_IPVER(p)   (PACKET_IS_IPV6(p) ? 6 : PACKET_IS_IPV4(p) ? 4 : 0)
#define PROTO_IS_IPV4(p)  PACKET_IS_IPV4(p)
#define PROTO_IS_IPV6(p)  PACKET_IS_IPV6(p)

/* The protocols of a packet (or of a flow: it has l4Proto too) */
#define L2_PROTO(p)       ((p)->ethType)
#define L4_PROTO(p)       ((p)->l4Proto)
#define PROTO_IS_ICMP4(p) (L4_PROTO(p) == L3_ICMP)
#define PROTO_IS_ICMP6(p) (L4_PROTO(p) == L3_ICMP6)
#define PROTO_IS_IGMP(p)  (L4_PROTO(p) == L3_IGMP)
#define PROTO_IS_SCTP(p)  (L4_PROTO(p) == L3_SCTP)
#define PROTO_IS_TCP(p)   (L4_PROTO(p) == L3_TCP)
#define PROTO_IS_UDP(p)   (L4_PROTO(p) == L3_UDP)

/* A packet's headers as structs (networkHeaders.h); NULL where the packet
 * has no such layer.  A transport header is there only in a first
 * fragment: test t2_is_first_fragment() first. */
#define ETH_HEADER(p)  ((ethernetHeader_t *)L2_HEADER(p))
#define IPV4_HEADER(p) ((ipHeader_t *)L3_HEADER(p))
#define IPV6_HEADER(p) ((ip6Header_t *)L3_HEADER(p))
#define ICMP_HEADER(p) ((icmpHeader_t *)L4_HEADER(p))
#define TCP_HEADER(p)  ((tcpHeader_t *)L4_HEADER(p))
#define UDP_HEADER(p)  ((udpHeader_t *)L4_HEADER(p))

/* True unless the packet is a second or later fragment. */
static inline bool t2_is_first_fragment(const packet_t *packet)
{
    return packet_is_first_fragment(packet);
}

/* Addresses of the same version (flowP->srcIP, ...) compared */
#define T2_CMP_IP4(ipA, ipB) ((ipA).IPv4.s_addr == (ipB).IPv4.s_addr)
#define T2_CMP_IP6(ipA, ipB) ((ipA).IPv6L[0] == (ipB).IPv6L[0] && (ipA).IPv6L[1] == (ipB).IPv6L[1])
#define T2_CMP_IP(ipA, ipB, ipver) \
    ((ipver) == 6 ? T2_CMP_IP6((ipA), (ipB)) : (ipver) == 4 ? T2_CMP_IP4((ipA), (ipB)) : false)
#define T2_CMP_FLOW_IP(ipA, ipB, ipver) T2_CMP_IP((ipA), (ipB), (ipver))

/* Time stamps with nanoseconds in tv_usec (TSTAMP_PREC 1), as T2 adds
 * and subtracts them */
#define T2_TIMERADD(a, b, result) do { \
        (result)->tv_sec = (a)->tv_sec + (b)->tv_sec; \
        (result)->tv_usec = (a)->tv_usec + (b)->tv_usec; \
        if ((result)->tv_usec >= TSTAMPFAC) { \
            ++(result)->tv_sec; \
            (result)->tv_usec -= TSTAMPFAC; \
        } \
    } while (0)
#define T2_TIMERSUB(a, b, result) do { \
        (result)->tv_sec = (a)->tv_sec - (b)->tv_sec; \
        (result)->tv_usec = (a)->tv_usec - (b)->tv_usec; \
        if ((result)->tv_usec < 0) { \
            --(result)->tv_sec; \
            (result)->tv_usec += TSTAMPFAC; \
        } \
    } while (0)

/* ------------------------------------------- settings from the header */

/* A plugin's run-time settings, one per ENV_ enum entry of its header:
 *
 *     t2_env_t env[ENV_MYPL_N] = {};
 *     t2_get_env(PLUGIN_SRCH, ENV_MYPL_N, env);     (ENVCNTRL > 0)
 *     const char *dir = T2_ENV_VAL(MYPL_DIR);
 *     const uint8_t n = T2_ENV_VAL_UINT(MYPL_NUM);
 *     t2_free_env(ENV_MYPL_N, env);
 *
 * With ENVCNTRL 0 the plugin fills env itself from its macros:
 * T2_SET_ENV_STR(MYPL_DIR), T2_SET_ENV_NUM(MYPL_NUM). */
typedef struct {
    char *key;              /* the setting's name, MYPL_DIR */
    char *val;              /* its value, as text */
    bool stolen;            /* val belongs to the plugin now */
} t2_env_t;

#define T2_ENV_KEY(name)      env[ENV_ ## name].key
#define T2_ENV_VAL(name)      env[ENV_ ## name].val
#define T2_ENV_VAL_UINT(name) strtoull(env[ENV_ ## name].val, NULL, 0)
#define T2_ENV_VAL_INT(name)  strtoll(env[ENV_ ## name].val, NULL, 0)
/* a copy of the value, or the value itself (free either) */
#define T2_DUP_ENV_VAL(name)  strdup(env[ENV_ ## name].val)
#define T2_STEAL_ENV_VAL(name) (env[ENV_ ## name].stolen = true, env[ENV_ ## name].val)

#define T2_SET_ENV_NUM(name) do { \
        env[ENV_ ## name].key = #name; \
        env[ENV_ ## name].val = STR(name); \
    } while (0)
#define T2_SET_ENV_STR(name) do { \
        env[ENV_ ## name].key = #name; \
        env[ENV_ ## name].val = name; \
    } while (0)

/* Fill env[0 .. num_env - 1] from the #defines of the plugin's header
 * file hname (PLUGIN_SRCH, which the build defines for each plugin)
 * between T2's lines "ENV / RUNTIME - conf Variables" and "DO NOT EDIT
 * BELOW HERE", in their order; with ENVCNTRL 2 an environment variable of
 * the same name replaces the value.  Exits with T2's error when the file
 * cannot be read or has another number of settings. */
void t2_get_env(const char *hname, int num_env, t2_env_t env[]);
void t2_free_env(int num_env, t2_env_t env[]);

#endif
