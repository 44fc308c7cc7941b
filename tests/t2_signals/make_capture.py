#!/usr/bin/env python3
"""Write signals.pcap, the capture of the signal tests (test_signals.py)
(or the file named as the argument).

Records are numbered from 0 here; the tests send a signal after a given
number of records.  After record 4 every kind of packet comes once for a
flow that exists and once for one that does not: an IPv4 reply, a TCP
segment, an IPv6 datagram, ARP, a later IPv4 fragment without its first.
Time stamps (seconds after 1000) let flows time out (182 s): at record 16
the L2 flow and the UDP flow have been idle long enough, at record 17
every flow has.
"""
import pathlib
import struct
import sys

HERE = pathlib.Path(__file__).resolve().parent
M1, M2, M3 = "020000000001", "020000000002", "020000000003"


def eth(src, dst, ethertype):
    return bytes.fromhex(dst) + bytes.fromhex(src) + struct.pack(">H", ethertype)


def ipv4(src, dst, proto, payload, ident, frag=0):
    header = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, frag, 64, proto, 0,
                         bytes(map(int, src.split("."))), bytes(map(int, dst.split("."))))
    return header + payload


def ipv6(src, dst, proto, payload):
    def addr(a):
        head, tail = a.split("::")      # the addresses here all have "::"
        words = [int(w, 16) for w in head.split(":")]
        rest = [int(w, 16) for w in tail.split(":")]
        return struct.pack(">8H", *words, *[0] * (8 - len(words) - len(rest)), *rest)
    return struct.pack(">IHBB", 0x60000000, len(payload), proto, 64) + addr(src) + addr(dst) + payload


def udp(sport, dport, data):
    return struct.pack(">HHHH", sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport, flags, seq, ack, data=b""):
    return struct.pack(">HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 8192, 0, 0) + data


SYN, ACK, PSH, FIN = 0x02, 0x10, 0x08, 0x01


def v4(src, dst, proto, payload, ident, frag=0):
    return eth(M1, M2, 0x0800) + ipv4(src, dst, proto, payload, ident, frag)


def v6(src, dst, payload):
    return eth(M1, M2, 0x86dd) + ipv6(src, dst, 17, payload)


def arp(mac):
    return eth(mac, "ffffffffffff", 0x0806) + struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + bytes(20)


def records():
    c, s = "10.0.0.3", "10.0.0.4"
    return [
        (0.0, v4("10.0.0.1", "10.0.0.2", 17, udp(1111, 2222, b"one"), 1)),
        (0.5, v4("10.0.0.2", "10.0.0.1", 17, udp(2222, 1111, b"one back"), 2)),
        (1.0, v4(c, s, 6, tcp(40000, 80, SYN, 100, 0), 3)),
        (1.2, v4(s, c, 6, tcp(80, 40000, SYN | ACK, 500, 101), 4)),
        (2.0, arp(M3)),
        # 5: after a first SIGINT in most tests
        (3.0, v4("10.0.0.1", "10.0.0.2", 17, udp(1111, 2222, b"old"), 5)),
        (3.5, v4("10.0.0.5", "10.0.0.6", 17, udp(5555, 6666, b"new"), 6)),
        (4.0, v4(c, s, 6, tcp(40000, 80, PSH | ACK, 101, 501, b"GET / HTTP/1.0\r\n\r\n"), 7)),
        (4.5, v6("2001:db8::1", "2001:db8::2", udp(7777, 8888, b"v6 new"))),
        (5.0, arp(M1)),
        (5.5, v4("10.0.0.7", "10.0.0.8", 17, b"fragment tail", 777, 1)),
        (6.0, v4("10.0.0.9", s, 6, tcp(50000, 80, SYN, 900, 0), 8)),
        (7.0, arp(M3)),
        (8.0, v4("10.0.0.2", "10.0.0.1", 17, udp(2222, 1111, b"old back"), 9)),
        (9.0, v4(s, c, 6, tcp(80, 40000, PSH | ACK, 501, 119, b"HTTP/1.0 200 OK\r\n\r\n"), 10)),
        (10.0, v4("10.0.0.11", "10.0.0.12", 17, udp(1, 2, b"newer"), 11)),
        # 16: the L2 and the UDP flow have timed out, the TCP flow not
        (190.0, v4(c, s, 6, tcp(40000, 80, FIN | ACK, 119, 520), 12)),
        # 17: every flow has timed out
        (400.0, v4("10.0.0.13", "10.0.0.14", 17, udp(3, 4, b"late"), 13)),
        (401.0, v4("10.0.0.13", "10.0.0.14", 17, udp(3, 4, b"late again"), 14)),
    ]


def main():
    out = bytearray(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    for when, frame in records():
        sec = 1000 + int(when)
        usec = round((when - int(when)) * 1e6)
        out += struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame
    path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "signals.pcap"
    path.write_bytes(bytes(out))


if __name__ == "__main__":
    main()
