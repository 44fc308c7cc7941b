/*
 * dissect_hdrdesc.h - the headers description, e.g. "eth:vlan{2}:ipv4:tcp".
 *
 * Every dissector step appends the name of the header it walked; the
 * result is the packet file's hdrDesc column and numHdrs counts the names.
 * Names of protocols the dissector does not walk into come from the tables
 * in dissect_hdrdesc.c (T2's names); an unknown number becomes "UNK(...)" and stops
 * the dissection, as in T2.
 */
#ifndef T2MINI_HDRDESC_H
#define T2MINI_HDRDESC_H

#include <stdint.h>

#include "packet.h"

/* Append one name (with its leading ':' where it has one). */
void hdrdesc_add(packet_t *p, const char *name);

/* Append a name repeated `count` times, aggregated as "name{count}". */
void hdrdesc_add_repeated(packet_t *p, const char *name, unsigned count);

/* Append the name of an IP protocol number, an ethertype, an LLC SAP or a
 * PPP protocol, or "UNK(...)" (which also raises FS_STOP_DISSECT). */
void hdrdesc_add_ipproto(packet_t *p, uint8_t proto);
void hdrdesc_add_ethertype(packet_t *p, uint16_t ethertype);
void hdrdesc_add_llcsap(packet_t *p, uint8_t sap);
void hdrdesc_add_pppproto(packet_t *p, uint16_t proto);

#endif
