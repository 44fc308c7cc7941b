/*
 * subnetHL.c - the geo tables' labels for plugins (see subnetHL.h).
 */
#include "subnetHL.h"

#include "flow_geo.h"
#include "t2Plugin.h"       /* t2FlowTable */

char *t2_subnet_loc(int ipver, uint32_t subnet)
{
    static char unknown[] = SUBNET_UNK;
    if (!t2FlowTable || !t2FlowTable->geo || (ipver != 4 && ipver != 6)) return unknown;
    /* T2 hands out its table's text; a plugin only reads it */
    return (char *)(uintptr_t)geo_country(t2FlowTable->geo, ipver, subnet);
}
