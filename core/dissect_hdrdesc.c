/*
 * dissect_hdrdesc.c - building the headers description (see dissect_hdrdesc.h).
 *
 * Two parts.  The first appends names to the description: it has room
 * for HDRDESC_LEN - 1 characters; when a name does not fit, the
 * description ends in "..." and the packet raises FS_HDR_OVERRUN, and
 * later names are only counted.  That is what T2 does.
 *
 * The second names the protocols the walk meets but does not walk into.
 * The names are data: one table per numbering (IP protocols, ethertypes,
 * LLC SAPs, PPP protocols), each sorted by number and searched with
 * bsearch().  A label is written as it appears in the description, and
 * may name more than one header (":fcoe:fc" counts two); an empty label
 * is a number T2 knows but leaves unnamed.  A number missing from its
 * table becomes ":UNK(number)" and stops the walk, as in T2.  The labels
 * are T2 0.9.3's, since the output must be T2's.
 */
#include "dissect_hdrdesc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hdrdesc_add(packet_t *p, const char *name)
{
    p->numHdrs++;
    if (p->status & FS_HDR_OVERRUN) return;

    const size_t len = strlen(name);
    const size_t room = HDRDESC_LEN - 1u - p->hdrDescPos;
    if (len <= room) {
        memcpy(p->hdrDesc + p->hdrDescPos, name, len);
        p->hdrDescPos = (uint16_t)(p->hdrDescPos + len);
        p->hdrDesc[p->hdrDescPos] = '\0';
    } else {
        memcpy(p->hdrDesc + p->hdrDescPos, name, room);
        memcpy(p->hdrDesc + HDRDESC_LEN - 4, "...", 3);
        p->hdrDesc[HDRDESC_LEN - 1] = '\0';
        p->status |= FS_HDR_OVERRUN;
    }
}

void hdrdesc_add_repeated(packet_t *p, const char *name, unsigned count)
{
    hdrdesc_add(p, name);
    if (count < 2) return;
    char num[8];
    snprintf(num, sizeof(num), "{%u}", count % 1000u);
    hdrdesc_add(p, num);
    p->numHdrs = (uint16_t)(p->numHdrs + count - 2);   /* n headers in all */
}

/* --------------------------------------------------------------------- */
/* protocol labels                                                        */

typedef struct {
    uint16_t number;
    const char *label;
} label_t;

/* IP protocol numbers (IPv4 protocol, IPv6 next header) */
static const label_t ip_labels[] = {
    {   0, ":ipv6.hopopts" }, {   1, ":icmp" },      {   2, ":igmp" },
    {   4, ":ipv4" },         {   6, ":tcp" },       {   8, ":egp" },
    {   9, ":igp" },          {  17, ":udp" },       {  33, ":dccp" },
    {  36, ":xtp" },          {  37, ":ddp" },       {  41, ":ipv6" },
    {  43, ":ipv6.routing" }, {  44, ":ipv6.fraghdr" }, {  45, ":idrp" },
    {  46, ":rsvp" },         {  47, ":gre" },       {  48, ":dsr" },
    {  50, ":esp" },          {  51, ":ah" },        {  53, ":swipe" },
    {  54, ":nhrp" },         {  58, ":icmpv6" },    {  59, "" },  /* no next header */
    {  60, ":ipv6.dstopts" }, {  80, ":osi" },       {  83, ":vines" },
    {  88, ":eigrp" },        {  89, ":ospf" },      {  93, ":ax25" },
    {  97, ":etherip" },      { 103, ":pim" },       { 108, ":ipcomp" },
    { 112, ":vrrp" },         { 113, ":pgm" },       { 115, ":l2tp" },
    { 132, ":sctp" },         { 134, ":rsvp-e2ei" }, { 135, ":mipv6" },
    { 136, ":udplite" },      { 137, ":mpls" },      { 139, ":hip" },
    { 140, ":shim6" },
};

/* Ethertypes (and, below 0x0600, the few 802.3 lengths T2 names) */
static const label_t ether_labels[] = {
    { 0x0000, ":wlccp" },   { 0x00bb, ":edp" },     { 0x0104, ":pagp" },
    { 0x010b, ":stp" },     { 0x0111, ":udld" },    { 0x01a1, ":ndp" },
    { 0x01a2, ":ndp" },     { 0x0600, ":idp" },     { 0x0800, ":ipv4" },
    { 0x0806, ":arp" },     { 0x0bad, ":vines_ip" }, { 0x2000, ":cdp" },
    { 0x2001, ":cgmp" },    { 0x2003, ":vtp" },     { 0x2004, ":dtp" },
    { 0x6002, ":dec_mop" }, { 0x6003, ":dec_dna" }, { 0x6004, ":lat" },
    { 0x6558, ":eth" },     { 0x8021, ":ipcp" },    { 0x8035, ":rarp" },
    { 0x8038, ":dec_stp" }, { 0x809b, ":ddp" },     { 0x80f3, ":aarp" },
    { 0x80fd, ":ccp" },     { 0x8100, ":vlan" },    { 0x8137, ":ipx" },
    { 0x86dd, ":ipv6" },    { 0x872d, ":wlccp" },   { 0x8809, ":slow" },
    { 0x880b, ":ppp" },     { 0x883e, ":wccp" },    { 0x8847, ":mpls" },
    { 0x8848, ":mpls" },    { 0x8863, ":pppoed" },  { 0x8864, ":pppoes" },
    { 0x886f, ":msnlb" },   { 0x8870, ":llc" },     { 0x888e, ":eapol" },
    { 0x8899, ":realtek" }, { 0x88a2, ":aoe" },     { 0x88a8, ":vlan" },
    { 0x88bb, ":lwapp" },   { 0x88be, ":erspan" },  { 0x88cc, ":lldp" },
    { 0x88f7, ":ptp" },     { 0x8902, ":cfm" },     { 0x8906, ":fcoe:fc" },
    { 0x890d, ":wlan" },    { 0x9000, ":loop" },    { 0x9100, ":vlan" },
    { 0x9200, ":vlan" },    { 0xc021, ":lcp" },     { 0xc029, ":cbcp" },
    { 0xc223, ":chap" },
};

/* IEEE 802.2 LLC service access points (DSAP) */
static const label_t llc_labels[] = {
    { 0x00, "" },       { 0x01, "" },         { 0x02, "" },
    { 0x04, ":sna" },   { 0x06, "" },         { 0x08, ":sna" },
    { 0x0c, ":sna" },   { 0x10, ":ipx" },     { 0x14, ":osi" },
    { 0x20, ":osi" },   { 0x34, ":osi" },     { 0x40, ":sna" },
    { 0x42, ":stp" },   { 0x54, ":osi" },     { 0x7e, ":x25" },
    { 0x80, ":3comxns" }, { 0x82, ":bacnet" }, { 0xaa, "" },
    { 0xbc, ":vines_llc" }, { 0xc8, ":sna" }, { 0xe0, ":ipx" },
    { 0xf0, ":netbios" }, { 0xf8, ":hpext" }, { 0xfc, ":rpl" },
    { 0xfe, ":osi" },   { 0xff, "" },
};

/* PPP protocol numbers, as assigned (IPv4 is 0x0021) */
static const label_t ppp_labels[] = {
    { 0x0021, ":ipv4" },  { 0x0023, ":osi" },  { 0x003d, ":ppp:mp" },
    { 0x0057, ":ipv6" },  { 0x00fd, ":comp_data" }, { 0x0207, ":cdp" },
    { 0x0281, ":mpls" },  { 0x0283, ":mpls" }, { 0x8021, ":ipcp" },
    { 0x80fd, ":ccp" },   { 0xc021, ":lcp" },  { 0xc023, ":pap" },
    { 0xc223, ":chap" },
};

static int compare_number(const void *key, const void *entry)
{
    const unsigned a = *(const uint16_t *)key;
    const unsigned b = ((const label_t *)entry)->number;
    return (a > b) - (a < b);
}

/* One numbering: its labels, sorted by number, and how an unknown number
 * is printed in "UNK(...)": in decimal, or in hex with `hex_digits`. */
typedef struct {
    const label_t *labels;
    size_t count;
    int hex_digits;
} numbering_t;

#define NUMBERING(table, hex_digits) { table, sizeof(table) / sizeof((table)[0]), hex_digits }

static const numbering_t ip_protocols = NUMBERING(ip_labels, 0);
static const numbering_t ether_types = NUMBERING(ether_labels, 4);
static const numbering_t llc_saps = NUMBERING(llc_labels, 2);
static const numbering_t ppp_protocols = NUMBERING(ppp_labels, 4);

/* Append `label` one header at a time: every ':' starts a header. */
static void add_label(packet_t *p, const char *label)
{
    char name[HDRDESC_LEN];
    while (*label) {
        const size_t len = 1 + strcspn(label + 1, ":");
        memcpy(name, label, len);
        name[len] = '\0';
        hdrdesc_add(p, name);
        label += len;
    }
}

/* Append the label of `number`; a number without one is named by `shown`
 * (the value T2 prints) and stops the walk. */
static void add_name(packet_t *p, const numbering_t *n, uint16_t number, unsigned shown)
{
    const label_t *found = bsearch(&number, n->labels, n->count, sizeof(*n->labels),
                                   compare_number);
    if (found) {
        add_label(p, found->label);
        return;
    }
    char unk[16];
    if (n->hex_digits) snprintf(unk, sizeof(unk), ":UNK(0x%0*x)", n->hex_digits, shown);
    else snprintf(unk, sizeof(unk), ":UNK(%u)", shown);
    hdrdesc_add(p, unk);
    p->status |= FS_STOP_DISSECT;
}

void hdrdesc_add_ipproto(packet_t *p, uint8_t proto)
{
    add_name(p, &ip_protocols, proto, proto);
}

void hdrdesc_add_ethertype(packet_t *p, uint16_t ethertype)
{
    add_name(p, &ether_types, ethertype, ethertype);
}

void hdrdesc_add_llcsap(packet_t *p, uint8_t sap)
{
    add_name(p, &llc_saps, sap, sap);
}

/* `proto` is the PPP protocol as the walk holds it, T2's way: the two wire
 * bytes read in little-endian order (IPv4, wire 00 21, is 0x2100).  The
 * table holds the assigned numbers; an unknown one is printed as held,
 * which is what T2 prints. */
void hdrdesc_add_pppproto(packet_t *p, uint16_t proto)
{
    const uint16_t assigned = (uint16_t)(proto >> 8 | (proto & 0xff) << 8);
    add_name(p, &ppp_protocols, assigned, proto);
}
