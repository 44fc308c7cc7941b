/*
 * subnetHL.h - what the geo tables say of an address's subnet
 * (flowP->subnetNrSrc, flowP->subnetNrDst), as T2 asks for it.
 *
 *     uint32_t num;
 *     char *loc;
 *     SUBNET_TEST_IP(num, flowP->srcIP, FLOW_IPVER(flowP));     // as subnetNrSrc
 *     SUBNET_LOC(loc, FLOW_IPVER(flowP), num);                   // "us"
 *
 * Of T2's labels t2mini keeps the location (the country code of basicFlow's
 * srcIPCC) and the organisation (srcIPOrg); the lookup is T2's
 * (core/flow_geo.c).
 */
#ifndef T2MINI_SUBNETHL_H
#define T2MINI_SUBNETHL_H

#include <stdint.h>

#include "networkHeaders.h"     /* ipAddr_t */

#define SUBNET_UNK "-"      /* an unknown location */

/* the subnet's location; SUBNET_UNK for none or an unknown version (do
 * not write to it) */
char *t2_subnet_loc(int ipver, uint32_t subnet);

/* ... and its organisation, SUBNET_UNK for none */
char *t2_subnet_org(int ipver, uint32_t subnet);

/* the subnet number of an address of IP version 4 or 6; 0 for none */
uint32_t t2_subnet_test(int ipver, const ipAddr_t *ip);

#define SUBNET_LOC(dest, ipver, num) ((dest) = t2_subnet_loc((ipver), (num)))
#define SUBNET_ORG(dest, ipver, num) ((dest) = t2_subnet_org((ipver), (num)))
#define SUBNET_TEST_IP(dest, ip, ipver) ((dest) = t2_subnet_test((ipver), &(ip)))
#define SUBNET_TEST_IP4(dest, ip) SUBNET_TEST_IP(dest, ip, 4)
#define SUBNET_TEST_IP6(dest, ip) SUBNET_TEST_IP(dest, ip, 6)

#endif
