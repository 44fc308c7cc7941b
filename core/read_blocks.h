/*
 * read_blocks.h - the pcapng blocks libpcap reads but does not hand over.
 *
 * T2QUIRK: T2 reads past the end of short records into libpcap's buffer.
 * In a pcapng file libpcap reads every block to the start of that buffer,
 * the blocks it hands over as records and the others alike: the section
 * and interface blocks, statistics, name resolution and unknown blocks,
 * and packet blocks it refuses (an interface without a description, a
 * captured length over the snapshot length).  Past a short record T2 so
 * sees the bytes of such blocks too, where they were longer than the
 * record's own block.  libpcap says nothing of them; read_capture.c tells
 * this file where each read ended, and it reads the blocks between from
 * the file again, as libpcap left them in its buffer: in this host's
 * byte order where libpcap turned fields to it (the closing length of
 * every block but the section's; an interface block's option headers).
 *
 * What it keeps is those bytes seen from a record's data, 28 bytes into
 * the buffer (where an enhanced packet block's data starts): byte i is
 * the buffer's byte 28 + i, as the last block that reached it left it.
 */
#ifndef T2MINI_READ_BLOCKS_H
#define T2MINI_READ_BLOCKS_H

#include <stdint.h>
#include <sys/types.h>

typedef struct {
    int fd;                 /* the file, read with pread; -1: not followed */
    off_t pos;              /* blocks before this are in `bytes` */
    int swapped;            /* the current section is of the other byte order */
    uint8_t *bytes;         /* the blocks' bytes from the data offset on */
    uint32_t len;           /* how many of them the blocks since the last record reached */
    uint32_t size;          /* allocated */
} blocks_t;

/* Follow the pcapng file open as fd from its start (fd -1: never). */
void blocks_init(blocks_t *b, int fd);
void blocks_free(blocks_t *b);

/* libpcap's read position is now `end`: take in the blocks before it,
 * but for the last one when it was handed over as a record (its bytes
 * are the record's own; own_len, its length, if known, spares reading
 * the file when it was the only block read).  The bytes taken in since
 * the last record are then b->bytes[0 .. b->len). */
void blocks_read_up_to(blocks_t *b, off_t end, int last_is_record, uint32_t own_len);

/* The length of a record's own block, as libpcap leaves it in front of
 * the record's data (`bytes`; `wirelen` its original length), or 0 when
 * the data is not a packet block's.  libpcap keeps a block's type and
 * total length there in this host's order, the fields between (the
 * original length, right before the data) as in the file. */
uint32_t blocks_own_len(const uint8_t *bytes, uint32_t wirelen);

/* The record that follows them has been handed over: start anew. */
void blocks_forget(blocks_t *b);

#endif
