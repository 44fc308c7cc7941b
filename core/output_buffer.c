/*
 * output_buffer.c - the flow-file values of outputBuffer.h.
 */
#include "outputBuffer.h"

outputBuffer_t *outputBuffer_initialize(size_t size)
{
    outputBuffer_t *b = calloc(1, sizeof(*b));
    if (!b) return NULL;
    b->size = size ? size : 1;
    b->buffer = malloc(b->size);
    if (!b->buffer) {
        free(b);
        return NULL;
    }
    return b;
}

void outputBuffer_destroy(outputBuffer_t *buffer)
{
    if (!buffer) return;
    free(buffer->buffer);
    free(buffer);
}

void outputBuffer_reset(outputBuffer_t *buffer)
{
    buffer->pos = 0;
    buffer->lost = 0;
}

/* Room for `more` bytes: double the buffer, up to OUTBUF_MAXSIZE_F *
 * MAIN_OUTBUF_SIZE bytes.  Returns 0, or -1 if the bytes cannot be kept
 * (the buffer is left as it was). */
static int make_room(outputBuffer_t *b, size_t more)
{
    const size_t limit = OUTBUF_MAX_BYTES;
    if (b->pos + more > limit) return -1;
    size_t size = b->size;
    while (b->pos + more > size) size = size < limit / 2 ? 2 * size : limit;
    char *grown = realloc(b->buffer, size);
    if (!grown) return -1;
    b->buffer = grown;
    b->size = size;
    return 0;
}

/* outputBuffer_append() when the bytes do not fit (or some were lost) */
void outputBuffer_append_grow(outputBuffer_t *buffer, const char *output, size_t size)
{
    if (buffer->lost || make_room(buffer, size) != 0) {
        buffer->lost += size;       /* the line is incomplete from here on */
        return;
    }
    memcpy(buffer->buffer + buffer->pos, output, size);
    buffer->pos += (uint32_t)size;
}

void outputBuffer_append_numrep(outputBuffer_t *buffer, uint32_t reps)
{
    OUTBUF_APPEND_U32(buffer, reps);
}

uint64_t outputBuffer_ntoh64(uint64_t v)
{
    uint8_t b[8];
    memcpy(b, &v, 8);
    uint64_t host = 0;
    for (int i = 0; i < 8; i++) host = host << 8 | b[i];
    return host;
}
