/*
 * packetCapture.h - libpcap's record header, for packet->pcapHdrP, and
 * T2's packet length setting.
 *
 * T2's plugins read a packet's time as packet->pcapHdrP->ts (tv_usec in
 * nanoseconds: T2 reads captures at nanosecond precision).  pcap.h needs
 * the BSD types (u_char, ...), which a strict C build (-std=c99) does not
 * have: there packet.h's pcapHdrP points to a struct left undefined, and
 * a plugin reading it does not compile.  T2's plugins are built as GNU C.
 */
#ifndef T2MINI_PACKETCAPTURE_H
#define T2MINI_PACKETCAPTURE_H

#if !defined(__STRICT_ANSI__) || defined(_DEFAULT_SOURCE) || defined(_GNU_SOURCE) || \
    defined(_BSD_SOURCE)
#include <pcap.h>
#endif

/* packet->len: the payload's length per the headers (T2's PACKETLENGTH
 * 3); T2's other choices are not t2mini's. */
#ifndef PACKETLENGTH
#define PACKETLENGTH 3
#elif PACKETLENGTH != 3
#error "t2mini's packet->len is the layer-7 length: PACKETLENGTH must be 3"
#endif

#endif
