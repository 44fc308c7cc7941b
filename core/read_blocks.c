/*
 * read_blocks.c - the pcapng blocks libpcap reads but does not hand over
 * (see read_blocks.h).
 */
/* POSIX.1-2008 (pread); 64-bit file offsets for a 32-bit build */
#define _POSIX_C_SOURCE 200809L
#define _FILE_OFFSET_BITS 64

#include "read_blocks.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DATA_AT 28u                 /* a record's data in libpcap's buffer */
#define KEEP_MAX 262144u            /* no read of T2's reaches further */
#define SECTION_BLOCK 0x0A0D0D0Au   /* the same in either byte order */
#define INTERFACE_BLOCK 1u

static uint32_t swap32(uint32_t v)
{
    return v >> 24 | (v >> 8 & 0xff00u) | (v << 8 & 0xff0000u) | v << 24;
}

/* A field of the file as this host reads it, in the section's order */
static uint32_t field32(const uint8_t *p, int swapped)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return swapped ? swap32(v) : v;
}

static uint16_t field16(const uint8_t *p, int swapped)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return swapped ? (uint16_t)(v >> 8 | v << 8) : v;
}

/* A field libpcap left in its buffer in this host's order */
static uint32_t host32(const uint8_t *p)
{
    return field32(p, 0);
}

uint32_t blocks_own_len(const uint8_t *bytes, uint32_t wirelen)
{
    /* every packet block has the original length right before the data */
    if (field32(bytes - 4, 0) != wirelen && field32(bytes - 4, 1) != wirelen) return 0;
    if (host32(bytes - 12) == 3) return host32(bytes - 8);        /* simple packet block */
    const uint32_t type = host32(bytes - 28);
    return type == 6 || type == 2 ? host32(bytes - 24) : 0;      /* enhanced, obsolete */
}

void blocks_init(blocks_t *b, int fd)
{
    b->fd = fd;
    b->pos = 0;
    b->swapped = 0;
    b->bytes = NULL;
    b->len = b->size = 0;
}

void blocks_free(blocks_t *b)
{
    free(b->bytes);
    blocks_init(b, -1);
}

void blocks_forget(blocks_t *b)
{
    b->len = 0;
}

static int make_room(blocks_t *b, uint32_t n)
{
    if (n <= b->size) return 1;
    uint8_t *p = realloc(b->bytes, n);
    if (!p) return 0;
    memset(p + b->size, 0, n - b->size);
    b->bytes = p;
    b->size = n;
    return 1;
}

/* A swapped section's interface block: libpcap turns each option header
 * (code, length) to this host's order where it lies as it reads them. */
static void host_order_options(blocks_t *b, uint32_t len, uint32_t kept)
{
    for (uint32_t at = 16; at + 8 <= len;) {
        uint8_t h[4];
        if (pread(b->fd, h, sizeof h, b->pos + at) != (ssize_t)sizeof h) return;
        const uint16_t code = field16(h, 1), olen = field16(h + 2, 1);
        if (at >= DATA_AT && at - DATA_AT + 4 <= kept) {
            memcpy(b->bytes + at - DATA_AT, &code, 2);
            memcpy(b->bytes + at - DATA_AT + 2, &olen, 2);
        }
        if (code == 0) return;                  /* opt_endofopt */
        at += 4u + ((olen + 3u) & ~3u);
    }
}

/* One block of `len` bytes at b->pos, as libpcap leaves it in its buffer */
static void take_block(blocks_t *b, uint32_t type, uint32_t len)
{
    if (len <= DATA_AT) return;
    const uint32_t kept = len - DATA_AT < KEEP_MAX ? len - DATA_AT : KEEP_MAX;
    if (!make_room(b, kept)) return;
    if (pread(b->fd, b->bytes, kept, b->pos + DATA_AT) != (ssize_t)kept) return;
    if (kept > b->len) b->len = kept;
    if (!b->swapped) return;
    /* the closing length of every block but the section's, which libpcap
     * reads when it opens the file, and checks without turning it */
    if (type != SECTION_BLOCK && kept == len - DATA_AT) memcpy(b->bytes + kept - 4, &len, 4);
    if (type == INTERFACE_BLOCK) host_order_options(b, len, kept);
}

void blocks_read_up_to(blocks_t *b, off_t end, int last_is_record, uint32_t own_len)
{
    if (b->fd < 0) return;
    if (last_is_record && own_len && end - b->pos == (off_t)own_len) b->pos = end;
    while (b->pos < end) {
        uint8_t head[12];
        if (pread(b->fd, head, sizeof head, b->pos) != (ssize_t)sizeof head) break;
        uint32_t type;
        memcpy(&type, head, sizeof type);
        if (type == SECTION_BLOCK) b->swapped = field32(head + 8, 0) != 0x1A2B3C4Du;
        else type = field32(head, b->swapped);
        const uint32_t len = field32(head + 4, b->swapped);
        if (len < 12 || len % 4 || (off_t)len > end - b->pos) break;
        if (!(last_is_record && b->pos + (off_t)len == end)) take_block(b, type, len);
        b->pos += len;
    }
    b->pos = end;
}
