/*
 * dissect_wlan.c - IEEE 802.11 frames (see dissect_steps.h).
 *
 * Three link types carry 802.11 frames: plain (105), behind a radiotap
 * header (127, whose length is in the header) and behind a Prism header
 * (119, 144 bytes; T2 warns when the header says otherwise but skips 144
 * bytes all the same).  LWAPP and CAPWAP tunnels carry them too
 * (dissect_tunnel.c), with the two frame control bytes swapped.
 *
 * T2 walks only data frames that carry data and are not protected:
 * link_wlan_data() steps over the 802.11 header (24 bytes, 26 with QoS,
 * 6 more with a fourth address) and the 802.2 LLC/SNAP header behind it,
 * and hands the SNAP ethertype to dissect_l2.c.
 */
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define PRISM_HDR_LEN 144

uint32_t link_wlan_data(dissect_t *d, uint32_t at, int swapped)
{
    packet_t *p = d->p;
    hdrdesc_add(p, p->hdrDescPos ? ":wlan" : "wlan");
    const uint8_t fc_type = packet_u8(p, swapped ? at + 1 : at);
    const uint8_t fc_flags = packet_u8(p, swapped ? at : at + 1);
    if (fc_flags & 0x40) return NO_LAYER;            /* protected */
    if (((fc_type >> 2) & 3) != 2) return NO_LAYER;  /* not a data frame */
    const unsigned subtype = fc_type >> 4;
    uint32_t llc;
    if (subtype <= 3) llc = at + 24;                /* data */
    else if (subtype >= 8 && subtype <= 11) llc = at + 26;   /* QoS data */
    else return NO_LAYER;                           /* no data in the frame */
    if ((fc_flags & 3) == 3) llc += 6;               /* WDS: a fourth address */
    /* two zero bytes (OLPC, says Wireshark) are skipped, and an LLC
     * control field that is not a U frame takes two bytes */
    if (packet_u8(p, llc) == 0 && packet_u8(p, llc + 1) == 0) llc += 2;
    if ((packet_u8(p, llc + 2) & 3) != 3) llc++;
    hdrdesc_add(p, ":llc");
    p->hasLLC = 1;
    return llc + 6;
}

uint32_t link_ieee80211(dissect_t *d, int linktype, uint32_t at)
{
    (void)linktype;
    d->p->l2 = at;                  /* T2 shows addr1/addr2 bytes as MACs */
    return link_wlan_data(d, at, 0);
}

uint32_t link_radiotap(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "radiotap");
    at += u16le(p, at + 2);                   /* the radiotap header's length */
    p->l2 = at;
    return link_wlan_data(d, at, 0);
}

/* The Prism header's second field is its own length, in the byte order
 * of the capturing host (T2 reads it in its own, little-endian). */
uint32_t link_prism(dissect_t *d, int linktype, uint32_t at)
{
    packet_t *p = d->p;
    (void)linktype;
    hdrdesc_add(p, "prism");
    const uint32_t msg_len = u32le(p, at + 4);
    if (msg_len != PRISM_HDR_LEN) {
        dissect_warn(d, "Prism message length %u different from default value %u",
                     (unsigned)msg_len, (unsigned)PRISM_HDR_LEN);
    }
    at += PRISM_HDR_LEN;            /* whatever the field says */
    p->l2 = at;
    return link_wlan_data(d, at, 0);
}
