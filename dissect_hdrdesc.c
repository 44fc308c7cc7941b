/*
 * dissect_hdrdesc.c - building the headers description (see dissect_hdrdesc.h).
 *
 * The description has room for HDRDESC_LEN - 1 characters.  When a name
 * does not fit, the description ends in "..." and the packet raises
 * FS_HDR_OVERRUN; later names are only counted.  This is T2's behaviour.
 */
#include "dissect_hdrdesc.h"

#include <stdio.h>
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

static void add_unknown(packet_t *p, const char *text)
{
    hdrdesc_add(p, text);
    p->status |= FS_STOP_DISSECT;
}

void hdrdesc_add_ipproto(packet_t *p, uint8_t proto)
{
    const char *name;
    switch (proto) {
        case 0:   name = ":ipv6.hopopts"; break;
        case 1:   name = ":icmp";         break;
        case 2:   name = ":igmp";         break;
        case 4:   name = ":ipv4";         break;
        case 6:   name = ":tcp";          break;
        case 8:   name = ":egp";          break;
        case 9:   name = ":igp";          break;
        case 17:  name = ":udp";          break;
        case 33:  name = ":dccp";         break;
        case 36:  name = ":xtp";          break;
        case 37:  name = ":ddp";          break;
        case 41:  name = ":ipv6";         break;
        case 43:  name = ":ipv6.routing"; break;
        case 44:  name = ":ipv6.fraghdr"; break;
        case 45:  name = ":idrp";         break;
        case 46:  name = ":rsvp";         break;
        case 47:  name = ":gre";          break;
        case 48:  name = ":dsr";          break;
        case 50:  name = ":esp";          break;
        case 51:  name = ":ah";           break;
        case 53:  name = ":swipe";        break;
        case 54:  name = ":nhrp";         break;
        case 58:  name = ":icmpv6";       break;
        case 59:  return;                 /* no next header: nothing to name */
        case 60:  name = ":ipv6.dstopts"; break;
        case 80:  name = ":osi";          break;
        case 83:  name = ":vines";        break;
        case 88:  name = ":eigrp";        break;
        case 89:  name = ":ospf";         break;
        case 93:  name = ":ax25";         break;
        case 97:  name = ":etherip";      break;
        case 103: name = ":pim";          break;
        case 108: name = ":ipcomp";       break;
        case 112: name = ":vrrp";         break;
        case 113: name = ":pgm";          break;
        case 115: name = ":l2tp";         break;
        case 132: name = ":sctp";         break;
        case 134: name = ":rsvp-e2ei";    break;
        case 135: name = ":mipv6";        break;
        case 136: name = ":udplite";      break;
        case 137: name = ":mpls";         break;
        case 139: name = ":hip";          break;
        case 140: name = ":shim6";        break;
        default: {
            char unk[16];
            snprintf(unk, sizeof(unk), ":UNK(%u)", (unsigned)proto);
            add_unknown(p, unk);
            return;
        }
    }
    hdrdesc_add(p, name);
}

void hdrdesc_add_ethertype(packet_t *p, uint16_t ethertype)
{
    const char *name;
    switch (ethertype) {
        case 0x0000: name = ":wlccp";    break;
        case 0x0600: name = ":idp";      break;
        case 0x0800: name = ":ipv4";     break;
        case 0x2000: name = ":cdp";      break;
        case 0x8100: name = ":vlan";     break;
        case 0x9000: name = ":loop";     break;
        case 0x2001: name = ":cgmp";     break;
        case 0x8902: name = ":cfm";      break;
        case 0x2003: name = ":vtp";      break;
        case 0x6003: name = ":dec_dna";  break;
        case 0x0104: name = ":pagp";     break;
        case 0x2004: name = ":dtp";      break;
        case 0x6004: name = ":lat";      break;
        case 0x0806: name = ":arp";      break;
        case 0x8906: hdrdesc_add(p, ":fcoe"); name = ":fc"; break;
        case 0x8809: name = ":slow";     break;
        case 0x010b: name = ":stp";      break;
        case 0x880b: name = ":ppp";      break;
        case 0x890d: name = ":wlan";     break;
        case 0x0111: name = ":udld";     break;
        case 0x8021: name = ":ipcp";     break;
        case 0xc021: name = ":lcp";      break;
        case 0xc223: name = ":chap";     break;
        case 0xc029: name = ":cbcp";     break;
        case 0x872d: name = ":wlccp";    break;
        case 0x8035: name = ":rarp";     break;
        case 0x8137: name = ":ipx";      break;
        case 0x8038: name = ":dec_stp";  break;
        case 0x883e: name = ":wccp";     break;
        case 0x8847: name = ":mpls";     break;
        case 0x8848: name = ":mpls";     break;
        case 0x6558: name = ":eth";      break;
        case 0x6002: name = ":dec_mop";  break;
        case 0x8863: name = ":pppoed";   break;
        case 0x8864: name = ":pppoes";   break;
        case 0x886f: name = ":msnlb";    break;
        case 0x8870: name = ":llc";      break;
        case 0x888e: name = ":eapol";    break;
        case 0x809b: name = ":ddp";      break;
        case 0x01a1: name = ":ndp";      break;
        case 0x01a2: name = ":ndp";      break;
        case 0x88a2: name = ":aoe";      break;
        case 0x88a8: name = ":vlan";     break;
        case 0x9100: name = ":vlan";     break;
        case 0x9200: name = ":vlan";     break;
        case 0x8899: name = ":realtek";  break;
        case 0x0bad: name = ":vines_ip"; break;
        case 0x00bb: name = ":edp";      break;
        case 0x88bb: name = ":lwapp";    break;
        case 0x88be: name = ":erspan";   break;
        case 0x88cc: name = ":lldp";     break;
        case 0x86dd: name = ":ipv6";     break;
        case 0x80f3: name = ":aarp";     break;
        case 0x80fd: name = ":ccp";      break;
        case 0x88f7: name = ":ptp";      break;
        default: {
            char unk[16];
            snprintf(unk, sizeof(unk), ":UNK(0x%04x)", (unsigned)ethertype);
            add_unknown(p, unk);
            return;
        }
    }
    hdrdesc_add(p, name);
}

void hdrdesc_add_llcsap(packet_t *p, uint8_t sap)
{
    const char *name;
    switch (sap) {
        case 0x00: case 0x01: case 0x02: case 0x06:
        case 0xaa: case 0xff:
            return;                          /* SAPs T2 leaves unnamed */
        case 0x04: case 0x08: case 0x0c: case 0x40: case 0xc8:
                   name = ":sna";       break;
        case 0x10: name = ":ipx";       break;
        case 0x14: case 0x20: case 0x34: case 0x54: case 0xfe:
                   name = ":osi";       break;
        case 0x42: name = ":stp";       break;
        case 0x7e: name = ":x25";       break;
        case 0x80: name = ":3comxns";   break;
        case 0x82: name = ":bacnet";    break;
        case 0xbc: name = ":vines_llc"; break;
        case 0xe0: name = ":ipx";       break;
        case 0xf0: name = ":netbios";   break;
        case 0xf8: name = ":hpext";     break;
        case 0xfc: name = ":rpl";       break;
        default: {
            char unk[16];
            snprintf(unk, sizeof(unk), ":UNK(0x%02x)", (unsigned)sap);
            add_unknown(p, unk);
            return;
        }
    }
    hdrdesc_add(p, name);
}

/* `proto` is the PPP protocol as T2 holds it: the two wire bytes read in
 * little-endian order (so IPv4, wire 00 21, is 0x2100).  The UNK label
 * prints that value, which is what T2 prints. */
void hdrdesc_add_pppproto(packet_t *p, uint16_t proto)
{
    switch (proto) {
        case 0x0702: hdrdesc_add(p, ":cdp");       return;
        case 0x2100: hdrdesc_add(p, ":ipv4");      return;
        case 0x2180: hdrdesc_add(p, ":ipcp");      return;
        case 0x21c0: hdrdesc_add(p, ":lcp");       return;
        case 0x2300: hdrdesc_add(p, ":osi");       return;
        case 0x23c0: hdrdesc_add(p, ":pap");       return;
        case 0x23c2: hdrdesc_add(p, ":chap");      return;
        case 0x3d00: hdrdesc_add(p, ":ppp"); hdrdesc_add(p, ":mp"); return;
        case 0x5700: hdrdesc_add(p, ":ipv6");      return;
        case 0x8102: hdrdesc_add(p, ":mpls");      return;
        case 0x8302: hdrdesc_add(p, ":mpls");      return;
        case 0xfd00: hdrdesc_add(p, ":comp_data"); return;
        case 0xfd80: hdrdesc_add(p, ":ccp");       return;
        default: {
            char unk[16];
            snprintf(unk, sizeof(unk), ":UNK(0x%04x)", (unsigned)proto);
            add_unknown(p, unk);
            return;
        }
    }
}
