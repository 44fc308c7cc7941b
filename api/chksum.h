/*
 * chksum.h - the Internet checksum (RFC 1071), as T2's plugins compute it.
 */
#ifndef T2MINI_CHKSUM_H
#define T2MINI_CHKSUM_H

#include <stdint.h>

/* The one's complement sum of byteLen bytes at data, read as 16-bit words
 * in host order (the last byte of an odd length padded with a zero byte),
 * added to chkSum and folded to 16 bits.  With chkSumWrdPos > 0, word
 * number chkSumWrdPos (the checksum field itself) is left out.  The
 * complement of the result, ntohs()'d, is the checksum on the wire. */
uint16_t Checksum(const uint16_t *data, uint32_t chkSum, uint16_t byteLen, uint16_t chkSumWrdPos);

#endif
