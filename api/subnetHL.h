/*
 * subnetHL.h - what the geo tables say of an address's subnet
 * (flowP->subnetNrSrc, flowP->subnetNrDst), as T2 asks for it.
 *
 *     char *loc;
 *     SUBNET_LOC(loc, FLOW_IPVER(flowP), flowP->subnetNrSrc);   // "us"
 *
 * Only the location (the country code of basicFlow's srcIPCC) is here.
 */
#ifndef T2MINI_SUBNETHL_H
#define T2MINI_SUBNETHL_H

#include <stdint.h>

#define SUBNET_UNK "-"      /* an unknown location */

/* the subnet's location; SUBNET_UNK for none or an unknown version (do
 * not write to it) */
char *t2_subnet_loc(int ipver, uint32_t subnet);

#define SUBNET_LOC(dest, ipver, num) ((dest) = t2_subnet_loc((ipver), (num)))

#endif
