/*
 * chksum.c - the Internet checksum (see chksum.h).
 *
 * The words are read with memcpy(): data may sit at any address.
 */
#include "chksum.h"

#include <string.h>

static uint16_t word_at(const uint8_t *at)
{
    uint16_t w;
    memcpy(&w, at, sizeof(w));
    return w;
}

uint16_t Checksum(const uint16_t *data, uint32_t chkSum, uint16_t byteLen, uint16_t chkSumWrdPos)
{
    const uint8_t *bytes = (const uint8_t *)data;
    if (chkSumWrdPos > 0) chkSum -= word_at(bytes + 2u * chkSumWrdPos);
    for (uint32_t i = 0; i + 1 < byteLen; i += 2) chkSum += word_at(bytes + i);
    if (byteLen & 1) {
        const uint8_t last[2] = { bytes[byteLen - 1], 0 };
        chkSum += word_at(last);
    }
    while (chkSum >> 16) chkSum = (chkSum & 0xffff) + (chkSum >> 16);
    return (uint16_t)chkSum;
}
