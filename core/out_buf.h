/*
 * out_buf.h - buffered text output with T2's number and address formats.
 *
 * The packet file is written a few hundred bytes per packet, millions of
 * times; formatting it with printf would cost more than everything else
 * together.  An outbuf_t collects text in a large buffer and hands it to
 * write(2) in big blocks; the helpers below append numbers, addresses and
 * escaped payload in exactly the form T2's printf formats produce.
 *
 * Errors are sticky: the first failed write is remembered (errno in `err`)
 * and later calls do nothing, so callers check once, at outbuf_close().
 */
#ifndef T2MINI_OUTBUF_H
#define T2MINI_OUTBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* A file's buffer: large, so that a packet file of a gigabyte takes a
 * thousand write(2) calls rather than tens of thousands. */
#define OUTBUF_FILE_SIZE (1u << 20)
/* A line assembled in memory (a flow file row), and the smallest file
 * buffer that still takes every single write (payload chunks need 8 KiB). */
#define OUTBUF_LINE_SIZE (1u << 16)

typedef struct {
    int fd;                 /* -1 when not open */
    FILE *stream;           /* or: full buffers go to this stdio stream */
    char *buf;
    size_t size;            /* bytes in buf */
    size_t len;
    int err;                /* errno of the first failure, 0 if none */
} outbuf_t;

/* Create/truncate `path` for writing through a buffer of `size` bytes
 * (OUTBUF_FILE_SIZE, or less where many short runs matter, as when
 * fuzzing); -1 with errno on failure. */
int outbuf_open(outbuf_t *ob, const char *path, size_t size);

/* A buffer in memory only (for assembling one line); text beyond
 * OUTBUF_LINE_SIZE is dropped and flagged in `err` (ENOSPC), which the
 * owner must check and report: the line is incomplete.  Empty it with
 * outbuf_clear() (which also clears `err`), release it with
 * outbuf_close(). */
int outbuf_open_memory(outbuf_t *ob);

/* Format into a caller's array of `size` bytes (no file, no flushing):
 * the caller makes sure the text fits. */
static inline void outbuf_on_array(outbuf_t *ob, char *array, size_t size)
{
    ob->fd = -1;
    ob->stream = NULL;
    ob->buf = array;
    ob->size = size;
    ob->len = 0;
    ob->err = 0;
}

/* Format into a caller's array of `size` bytes (at least
 * OUTBUF_LINE_SIZE) and hand the text to stdio stream `f` with fwrite()
 * whenever the array is full and at outbuf_flush().  Text written to `f`
 * directly (fputs, fprintf) stays in order with this text as long as the
 * outbuf is flushed before: this is how t2mini's own fast formatting and
 * plugins' fprintf() share the packet file.  A failed fwrite() shows in
 * ferror(f) (and in `err`). */
static inline void outbuf_on_stream(outbuf_t *ob, FILE *f, char *array, size_t size)
{
    outbuf_on_array(ob, array, size);
    ob->stream = f;
}

static inline void outbuf_clear(outbuf_t *ob)
{
    ob->len = 0;
    ob->err = 0;
}

/* Write everything out; returns 0, or -1 with errno (also for any earlier
 * write error).  Closes the file either way. */
int outbuf_close(outbuf_t *ob);

/* Hand the buffered text to the file now. */
void outbuf_flush(outbuf_t *ob);

/* Write out every outbuf that has a file open, as fflush(NULL) does for
 * stdio streams: a live capture's output goes out while it waits for
 * packets.  outbuf_open() puts an outbuf on that list, outbuf_close()
 * takes it off; outbuf_track() puts one there whose fd its owner set. */
void outbuf_track(outbuf_t *ob);
void outbuf_flush_files(void);

/* Make room for n more bytes; returns where to write them. */
static inline char *outbuf_reserve(outbuf_t *ob, size_t n)
{
    if (ob->len + n > ob->size) outbuf_flush(ob);
    return ob->buf + ob->len;
}

static inline void outbuf_write(outbuf_t *ob, const void *s, size_t n)
{
    if (n > ob->size / 2) {                 /* large blocks go in parts */
        outbuf_flush(ob);
        while (n) {
            const size_t part = n < ob->size / 2 ? n : ob->size / 2;
            memcpy(outbuf_reserve(ob, part), s, part);
            ob->len += part;
            outbuf_flush(ob);
            s = (const char *)s + part;
            n -= part;
        }
        return;
    }
    memcpy(outbuf_reserve(ob, n), s, n);
    ob->len += n;
}

static inline void outbuf_puts(outbuf_t *ob, const char *s)
{
    outbuf_write(ob, s, strlen(s));
}

static inline void outbuf_putc(outbuf_t *ob, char c)
{
    *outbuf_reserve(ob, 1) = c;
    ob->len++;
}

/* printf("%" PRIu64) */
void outbuf_u64(outbuf_t *ob, uint64_t v);

/* printf("%" PRId64) */
void outbuf_i64(outbuf_t *ob, int64_t v);

/* printf("0x%0*" PRIx64, width, v) */
void outbuf_hex(outbuf_t *ob, uint64_t v, int width);

/* A time of day: printf("%" PRIu64 ".%09" PRId64, sec, nsec) */
void outbuf_time(outbuf_t *ob, uint64_t sec, int64_t nsec);

/* A span of `ns` nanoseconds as printf("%.9f") prints it. */
void outbuf_seconds9(outbuf_t *ob, int64_t ns);

/* printf("%.9f", d) for any double (the slow, general path). */
void outbuf_double9(outbuf_t *ob, double d);

/* A string as T2's text sink writes it: UTF-8 kept when valid (invalid
 * sequences become '.'), \b \f \n \r \t \v \\ and \" escaped, other
 * control characters as \u00XX. */
void outbuf_sanitized(outbuf_t *ob, const char *s);

/* Addresses as T2 prints them (inet_ntop forms; MACs lower-case). */
void outbuf_ipv4(outbuf_t *ob, const uint8_t a[4]);
void outbuf_ipv6(outbuf_t *ob, const uint8_t a[16]);
void outbuf_mac(outbuf_t *ob, const uint8_t m[6]);

/* Payload bytes as T2's l7Content: \b \f \n \r \t \v and \\ escaped,
 * other bytes outside 0x20..0x7e printed as '.'. */
void outbuf_payload(outbuf_t *ob, const uint8_t *p, size_t n);

#endif
