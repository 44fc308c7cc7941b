/*
 * subnetHL.c - the geo tables' labels for plugins (see subnetHL.h).
 */
#include "subnetHL.h"

#include "flow_geo.h"
#include "flow_table.h"     /* t2FlowTable */

static const geo_t *tables(int ipver)
{
    if (!t2FlowTable || (ipver != 4 && ipver != 6)) return NULL;
    return t2FlowTable->geo;
}

/* T2 hands out its table's text as char *; a plugin only reads it */
static char *label(const char *text)
{
    return (char *)(uintptr_t)text;
}

char *t2_subnet_loc(int ipver, uint32_t subnet)
{
    const geo_t *g = tables(ipver);
    return label(g ? geo_country(g, ipver, subnet) : SUBNET_UNK);
}

char *t2_subnet_org(int ipver, uint32_t subnet)
{
    const geo_t *g = tables(ipver);
    return label(g ? geo_org(g, ipver, subnet) : SUBNET_UNK);
}

uint32_t t2_subnet_test(int ipver, const ipAddr_t *ip)
{
    const geo_t *g = tables(ipver);
    return g ? geo_lookup(g, ipver, (const uint8_t *)ip) : 0;
}
