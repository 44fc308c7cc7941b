/*
 * hashTable.h - T2's "no flow" index.
 *
 * T2's callbacks get HASHTABLE_ENTRY_NOT_FOUND where there is no flow
 * index: t2OnLayer2 of a packet that has a layer 4 too, and
 * flowP->oppositeFlowIndex of a flow without its other direction.
 * t2mini's flow indices are 32 bits, and so is this value.
 */
#ifndef T2MINI_HASHTABLE_H
#define T2MINI_HASHTABLE_H

#include <stdint.h>

#define HASHTABLE_ENTRY_NOT_FOUND ((unsigned long)UINT32_MAX)

#endif
