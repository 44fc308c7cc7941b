/*
 * dissect_transport.c - the ports of a TCP or UDP header, and what T2
 * recognises on them without walking further (see dissect_steps.h).
 *
 * The IPv4 and IPv6 steps (dissect_ipv4.c, dissect_ipv6.c) name the
 * transport protocol and decide how long its header is; this file reads
 * the ports the flow is keyed on and adds the names T2 gives some
 * payloads: SSDP (UPnP, port 1900), DTLS records (by their first bytes)
 * and, over IPv4, UDP-encapsulated IPsec (port 4500).  Tunnels that carry
 * whole packets on a UDP port are dissect_tunnel.c's.
 */
#include "dissect_steps.h"
#include "dissect_hdrdesc.h"

#define PORT_SSDP      1900
#define PORT_IPSEC_NAT 4500

int transport_ssdp(dissect_t *d, uint16_t sport, uint16_t dport)
{
    if (!(dport == PORT_SSDP && sport > 1024) && !(sport == PORT_SSDP && dport > 1024)) return 0;
    hdrdesc_add(d->p, ":ssdp");
    d->p->status |= FS_UPNP;
    return 1;
}

/* DTLS: a run of records, each a content type, a version and a length. */
void transport_dtls(dissect_t *d, uint32_t at)
{
    packet_t *p = d->p;
    for (;;) {
        const uint8_t content_type = packet_u8(p, at);
        if (content_type <= 0x13 || content_type >= 0x40) return;
        const uint16_t version = packet_u16(p, at + 1);
        if (version == 0xfefd) hdrdesc_add(p, ":dtls1.2");
        else if (version == 0xfeff || version == 0x0100) hdrdesc_add(p, ":dtls1.0");
        else return;
        p->status |= FS_DTLS;
        d->stats->dtls_packets++;
        const int64_t record_len = 13 + (int64_t)packet_u16(p, at + 11);
        if ((int64_t)p->caplen - (int64_t)at <= record_len) return;
        at += (uint32_t)record_len;
    }
}

void transport_tcp_ports(dissect_t *d)
{
    packet_t *p = d->p;
    p->srcPort = packet_u16(p, p->l4);
    p->dstPort = packet_u16(p, p->l4 + 2);
    transport_ssdp(d, p->srcPort, p->dstPort);
}

/* UDP on port 4500 carries ESP, IKE (a zero SPI marker) or a keepalive. */
static void udp_encapsulated_ipsec(dissect_t *d)
{
    packet_t *p = d->p;
    const uint32_t payload = p->l4 + 8;
    hdrdesc_add(p, ":udpencap");
    if (packet_u8(p, payload) == 0xff && packet_u16(p, p->l4 + 4) == 9) return;   /* keepalive */
    if (packet_u32(p, payload) != 0) {
        hdrdesc_add(p, ":esp");
        p->status |= FS_IPSEC_ESP;
    } else {
        hdrdesc_add(p, ":isakmp");
    }
}

void transport_udp_ports(dissect_t *d)
{
    packet_t *p = d->p;
    const uint16_t sport = packet_u16(p, p->l4), dport = packet_u16(p, p->l4 + 2);
    p->srcPort = sport;
    p->dstPort = dport;
    transport_dtls(d, p->l4 + 8);
    if (transport_ssdp(d, sport, dport)) return;
    if (sport == PORT_IPSEC_NAT || dport == PORT_IPSEC_NAT) udp_encapsulated_ipsec(d);
}
