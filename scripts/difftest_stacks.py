"""Captures of the protocol stacks t2mini dissects, made up at random.

    stack_capture(rng) -> (bytes, suffix, description)

Every link type t2mini knows, and under it what its header walk
(core/dissect_*.c) walks: VLAN tags (802.1Q, 802.1ad, 0x9100, 0x9200, VLAN
0), 802.3 with 802.2 LLC (SNAP, other SAPs, IP behind SAP 6), MPLS (with
and without a pseudowire control word, Ethernet inside), PPPoE discovery
and session, ERSPAN, ARP/RARP/AARP, LLDP, the slow protocols, Cisco ISL;
IPv4 with options, odd header and total lengths and fragments, IPv6 with
extension header chains (hop-by-hop, routing, destination options,
fragment, AH; more than T2's five) and fragments; TCP (options, odd data
offsets), UDP, UDP-Lite, SCTP, ICMP, ICMPv6, IGMP, OSPF, ESP, AH, PIM,
L2TP over IP; and the tunnels: GRE (every flag, versions 0 and 1; IPv4,
IPv6, PPP framed, compressed and one-byte, Ethernet bridging, ERSPAN,
WCCP), EtherIP (versions), IP in IP, IPv6 in IPv4, PIM register, and by
UDP port VXLAN, VXLAN-GPE (NSH, MPLS), GENEVE, GTP (v0, v1 with extension
headers, v2), CAPWAP (data, control, DTLS, 802.3 and 802.11 frames),
LWAPP, L2TP (v2 flags, v3, control, PPP multilink, Cisco HDLC), Teredo
(authentication and origin indication), AYIYA (UDP, TCP, SCTP),
UDP-encapsulated ESP/IKE and keepalives, DTLS records, SSDP.

A capture holds a few conversations, each a fixed stack, with packets in
both directions (addresses and ports swapped at every level), so that
flows, TCP windows and fragment series are exercised as well as single
packets; some gaps exceed T2's flow timeout, some time stamps go back.
Snap lengths vary (and cut records), pcap files come in both byte orders
with micro- or nanosecond time stamps, pcapng files may mix interfaces of
different link types.

Everything is drawn from the `random.Random` passed in: the same generator
state gives the same bytes.
"""
import struct

from difftest_pcap import pcap_file, pcapng_file

# ------------------------------------------------------------------ basics


def u8(v):
    return struct.pack("!B", v & 0xff)


def u16(v):
    return struct.pack("!H", v & 0xffff)


def u32(v):
    return struct.pack("!I", v & 0xffffffff)


def le16(v):
    return struct.pack("<H", v & 0xffff)


def le32(v):
    return struct.pack("<I", v & 0xffffffff)


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def rbytes(rng, n):
    return bytes(rng.getrandbits(8) for _ in range(n))


def text_payload(rng, n):
    words = (b"GET / HTTP/1.1\r\n", b"Host: example.com\r\n", b"\r\n", b"200 OK ", b"data ",
             b"\t", b"\x00", b"\xff", b"\\", b"\"", b"<html>", b"SSH-2.0-x\r\n")
    out = b""
    while len(out) < n:
        out += rng.choice(words)
    return out[:n]


def payload(rng, lo=0, hi=120):
    n = rng.randint(lo, hi) if rng.random() < 0.9 else rng.randint(hi, max(hi, 1400))
    return text_payload(rng, n) if rng.random() < 0.5 else rbytes(rng, n)


# Addresses: a mix the subnet tables label differently (private, special,
# multicast, public; the IPv6 table covers public allocations).
V4_NETS = ((10, 0, 0), (192, 168, 1), (172, 16, 5), (100, 64, 0), (127, 0, 0), (169, 254, 3),
           (192, 0, 2), (198, 51, 100), (203, 0, 113), (8, 8, 8), (1, 1, 1), (93, 184, 216),
           (224, 0, 0), (239, 255, 255), (255, 255, 255), (0, 0, 0), (45, 33, 32))
V6_NETS = ("fe80", "2001:db8", "2a00:1450", "2001:4860", "2600:1f18", "fc00", "ff02", "::ffff",
           "2002:c000", "2001:0", "2c0f:f248", "2401:fa00", "2804:14c")


def ip4(rng):
    net = rng.choice(V4_NETS)
    return bytes(net) + u8(rng.randint(0, 255))


def ip6(rng):
    net = rng.choice(V6_NETS)
    if net == "::ffff":
        return b"\0" * 10 + b"\xff\xff" + ip4(rng)
    groups = [int(g, 16) for g in net.split(":") if g]
    groups += [rng.getrandbits(16) if rng.random() < 0.7 else 0 for _ in range(8 - len(groups))]
    return b"".join(u16(g) for g in groups)


def mac(rng):
    r = rng.random()
    if r < 0.05:
        return b"\xff" * 6
    if r < 0.1:
        return b"\x01\x00\x5e" + rbytes(rng, 3)
    if r < 0.13:
        return b"\x33\x33" + rbytes(rng, 4)
    return bytes([rng.getrandbits(8) & 0xfe]) + rbytes(rng, 5)


def port(rng):
    r = rng.random()
    if r < 0.3:
        return rng.choice((53, 80, 443, 22, 25, 123, 161, 67, 68, 500, 1900, 4500, 5060, 8080,
                           3544, 5072, 2152, 4789, 6081, 1701, 0, 1024, 1025, 65535))
    return rng.randint(1, 65535)


# ------------------------------------------------------------------ transport
# A layer is a function f(rev, k) -> [bytes, ...]: the packets (one, or
# several for fragments) of the k-th packet of its conversation, in the
# direction rev (False: A to B, True: B to A).

class Conn:
    """What the layers of one conversation share: addresses and state."""

    def __init__(self, rng):
        self.rng = rng
        self.seq = [rng.getrandbits(32), rng.getrandbits(32)]
        self.ipid = rng.getrandbits(16)


def tcp_layer(rng, conn, sport=None, dport=None):
    sport = port(rng) if sport is None else sport
    dport = port(rng) if dport is None else dport
    opts_kind = rng.random()
    odd_off = rng.random() < 0.06
    zero_win = rng.random() < 0.15

    def f(rev, k):
        r = conn.rng
        s, d = (dport, sport) if rev else (sport, dport)
        if k == 0:
            flags = 0x02
        elif k == 1:
            flags = 0x12
        else:
            flags = r.choice((0x10, 0x18, 0x18, 0x11, 0x04, 0x14, 0x19, 0x29, 0xc2, 0x00, 0x3f))
        opts = b""
        if opts_kind < 0.4 and flags & 0x02:
            opts = b"\x02\x04\x05\xb4\x04\x02\x08\x0a" + rbytes(r, 8) + b"\x01\x03\x03\x07"
        elif opts_kind < 0.55:
            opts = b"\x01\x01\x08\x0a" + rbytes(r, 8)
        elif opts_kind < 0.6:
            opts = rbytes(r, r.choice((1, 3, 4, 8, 40)))
        opts += b"\0" * (-len(opts) % 4)
        opts = opts[:40]
        pl = b"" if flags & 0x02 else payload(r, 0, 200)
        off = 5 + len(opts) // 4
        if odd_off and r.random() < 0.5:
            off = r.choice((0, 1, 4, 15, off + 1))
        win = 0 if zero_win and r.random() < 0.5 else r.choice((0, 1, 512, 8192, 29200, 65535))
        i = 1 if rev else 0
        hdr = u16(s) + u16(d) + u32(conn.seq[i]) + u32(conn.seq[1 - i] if flags & 0x10 else 0)
        hdr += u8(off << 4) + u8(flags) + u16(win) + u16(r.getrandbits(16)) + u16(0)
        conn.seq[i] += len(pl) + (1 if flags & 0x03 else 0)
        return [hdr + opts + pl]
    return 6, f


def udp_layer(rng, conn, sport=None, dport=None, body=None, proto=17):
    sport = port(rng) if sport is None else sport
    dport = port(rng) if dport is None else dport
    odd_len = rng.random() < 0.05

    def f(rev, k):
        s, d = (dport, sport) if rev else (sport, dport)
        inner = body(rev, k) if body else [payload(conn.rng, 0, 160)]
        out = []
        for pl in inner:
            n = 8 + len(pl)
            if odd_len:
                n = conn.rng.choice((0, 7, 8, n + 20, 65535))
            out.append(u16(s) + u16(d) + u16(n) + u16(0) + pl)
        return out
    return proto, f


def fixed_layer(proto, make):
    return proto, make


def icmp_layer(rng, conn, v6=False):
    def f(rev, k):
        r = conn.rng
        if v6:
            t = r.choice((128, 129, 1, 3, 133, 134, 135, 136, 143, 2, 4, 200))
        else:
            t = r.choice((8, 0, 3, 11, 5, 13, 14, 30, 250))
        return [u8(t) + u8(r.randint(0, 3)) + u16(0) + rbytes(r, 4) + payload(r, 0, 56)]
    return (58 if v6 else 1), f


def sctp_layer(rng, conn):
    sport, dport = port(rng), port(rng)
    if rng.random() < 0.1:
        sport = 5072

    def f(rev, k):
        s, d = (dport, sport) if rev else (sport, dport)
        chunk = u8(conn.rng.choice((0, 1, 2, 3, 4, 5))) + u8(0) + u16(20) + rbytes(conn.rng, 16)
        if conn.rng.random() < 0.1:
            chunk = b""
        return [u16(s) + u16(d) + rbytes(conn.rng, 4) + u32(0) + chunk]
    return 132, f


def igmp_layer(rng, conn):
    def f(rev, k):
        t = conn.rng.choice((0x11, 0x16, 0x17, 0x22, 0x12, 0x13, 0x14, 0xfc, 0xff, 0x00))
        return [u8(t) + u8(0) + u16(0) + ip4(conn.rng)]
    return 2, f


def ospf_layer(rng, conn):
    def f(rev, k):
        v = conn.rng.choice((2, 3, 2, 1))
        return [u8(v) + u8(conn.rng.randint(1, 5)) + u16(44) + rbytes(conn.rng, 40)]
    return 89, f


def esp_layer(rng, conn):
    spi = rng.getrandbits(32)

    def f(rev, k):
        return [u32(spi + rev) + u32(k + 1) + rbytes(conn.rng, conn.rng.randint(0, 64))]
    return 50, f


def raw_layer(rng, conn, proto):
    def f(rev, k):
        return [rbytes(conn.rng, conn.rng.randint(0, 40))]
    return proto, f


# ------------------------------------------------------------------ tunnels by port

def dtls_records(rng):
    out = b""
    for _ in range(rng.randint(1, 3)):
        ver = rng.choice((b"\xfe\xfd", b"\xfe\xff", b"\x01\x00", b"\x03\x03"))
        body = rbytes(rng, rng.randint(0, 40))
        n = len(body) if rng.random() < 0.8 else rng.randint(0, 65535)
        out += u8(rng.choice((20, 21, 22, 23, 0x13, 0x40, 25))) + ver + rbytes(rng, 8) + u16(n) + body
    return out


def udp_app_layer(rng, conn, v6, depth):
    """UDP with a payload T2 recognises by port or content, or a tunnel."""
    choice = rng.choice(("vxlan", "gpe", "geneve", "gtp", "capwap", "lwapp", "l2tp", "teredo",
                         "ayiya", "udpencap", "dtls", "ssdp", "dns", "vxlan", "gtp", "l2tp"))
    hi = rng.randint(1025, 65535)
    if choice in ("dns", "dtls", "ssdp", "udpencap") or depth >= 2:
        if choice == "ssdp":
            return udp_layer(rng, conn, hi, 1900, lambda rev, k: [b"M-SEARCH * HTTP/1.1\r\n"])
        if choice == "udpencap":
            def body(rev, k):
                r = conn.rng.random()
                if r < 0.3:
                    return [b"\xff"]
                if r < 0.6:
                    return [b"\0\0\0\0" + rbytes(conn.rng, 28)]
                return [rbytes(conn.rng, 4) + rbytes(conn.rng, conn.rng.randint(0, 40))]
            return udp_layer(rng, conn, 4500, rng.choice((4500, hi)), body)
        if choice == "dtls":
            return udp_layer(rng, conn, hi, rng.choice((443, 4433, 5684, hi)),
                             lambda rev, k: [dtls_records(conn.rng)])
        return udp_layer(rng, conn, hi, 53)
    if choice in ("vxlan", "gpe", "geneve"):
        frame = eth_frame_layer(rng, conn, depth + 1, tunnel=True)
        if choice == "vxlan":
            bad = rng.random() < 0.05

            def body(rev, k):
                hdr = b"\x08" + (b"\x01" if bad else b"\0") + b"\0\0" + rbytes(conn.rng, 3) + b"\0"
                return [hdr + fr for fr in frame(rev, k)]
            return udp_layer(rng, conn, hi, rng.choice((4789, 8472, 4789)), body)
        if choice == "gpe":
            nxt = rng.choice((1, 2, 3, 4, 5, 7))
            inner = ip_packet_layer(rng, conn, nxt == 2, depth + 1) if nxt in (1, 2) else None

            def body(rev, k):
                r = conn.rng
                flags = 0x0c if r.random() < 0.9 else 0x08
                hdr = u8(flags) + b"\0\0" + u8(nxt) + rbytes(r, 3) + b"\0"
                if nxt == 4:                      # NSH, then IPv4 or Ethernet
                    ln = r.choice((2, 6, 0, 1))
                    nn = r.choice((1, 3, 4)) if ln else r.choice((1, 3))
                    nsh = u8(0) + u8(ln) + u8(1) + u8(nn) + rbytes(r, max(0, 4 * ln - 4))
                    rest = [b"\x45" + rbytes(r, 27)] if nn == 1 else frame(rev, k)
                    return [hdr + nsh + x for x in rest]
                if inner:
                    return [hdr + x for x in inner(rev, k)]
                if nxt == 3:
                    return [hdr + x for x in frame(rev, k)]
                return [hdr + rbytes(r, 20)]
            return udp_layer(rng, conn, hi, 4790, body)
        optlen = rng.choice((0, 0, 1, 2, 8))
        proto = 0x6558 if rng.random() < 0.9 else 0x0800

        def body(rev, k):
            r = conn.rng
            # T2 wants the VNI's first byte zero as well as the reserved bits
            vni = (b"\0" if r.random() < 0.9 else rbytes(r, 1)) + rbytes(r, 2)
            hdr = u8(optlen) + u8(0) + u16(proto) + vni + b"\0" + rbytes(r, 4 * optlen)
            return [hdr + x for x in frame(rev, k)]
        return udp_layer(rng, conn, hi, 6081, body)
    if choice == "gtp":
        inner = ip_packet_layer(rng, conn, rng.random() < 0.3, depth + 1)
        gport = rng.choice((2152, 2152, 2123, 3386))
        version = rng.choice((1, 1, 1, 0, 2))
        ext = rng.random() < 0.3

        def body(rev, k):
            r = conn.rng
            out = []
            for x in inner(rev, k):
                if version == 0:
                    hdr = b"\x1e\xff" + u16(len(x)) + rbytes(r, 16)
                elif version == 2:
                    hdr = b"\x48\xff" + u16(len(x) + 8) + rbytes(r, 8)
                else:
                    flags = 0x30 | (0x04 if ext else r.choice((0, 0, 2, 1)))
                    mtype = 0xff if r.random() < 0.9 else r.choice((1, 2, 26, 254))
                    opt = b""
                    if flags & 0x07:
                        opt = rbytes(r, 3) + u8(0x85 if ext else 0)
                        if ext:
                            n = r.choice((1, 1, 2, 64))
                            opt += u8(n) + rbytes(r, 4 * n - 2) + u8(0)
                    hdr = u8(flags) + u8(mtype) + u16(len(opt) + len(x)) + rbytes(r, 4) + opt
                out.append(hdr + x)
            return out
        return udp_layer(rng, conn, gport, gport if rng.random() < 0.5 else hi, body)
    if choice in ("capwap", "lwapp"):
        frame = eth_frame_layer(rng, conn, depth + 1, tunnel=True)
        wlan = rng.random() < 0.6
        if choice == "capwap":
            data_port = rng.random() < 0.8
            kind = rng.choice(("ok", "ok", "ok", "dtls", "k", "frag", "bad"))

            def body(rev, k):
                r = conn.rng
                out = []
                for fr in frame(rev, k):
                    inner = wlan_frame(r, fr, swapped=True) if wlan else fr
                    b0 = 0x01 if kind == "dtls" else (0x10 if kind == "bad" else 0x00)
                    hlen = 2 if r.random() < 0.8 else 4
                    b2 = (0x01 | (1 << 1)) if wlan else (0x1 << 1)
                    b3 = 0x08 if kind == "k" else (0x80 if kind == "frag" else 0)
                    hdr = u8(b0) + u8(hlen << 3) + u8(b2) + u8(b3) + rbytes(r, 2)
                    hdr += u16(8 if kind == "frag" else 0) + rbytes(r, 4 * hlen - 8)
                    out.append(hdr + inner)
                return out
            return udp_layer(rng, conn, hi, 5247 if data_port else 5246, body)
        ctl = rng.random() < 0.15
        lport = rng.choice((12222, 12222, 12223))

        def body(rev, k):
            r = conn.rng
            out = []
            for fr in frame(rev, k):
                inner = wlan_frame(r, fr, swapped=True)
                hdr = u8(0x04 if ctl else 0) + u8(0) + u16(len(inner)) + rbytes(r, 2)
                if lport == 12223:
                    hdr = rbytes(r, 6) + hdr
                out.append(hdr + inner)
            return out
        return udp_layer(rng, conn, hi, lport, body)
    if choice == "l2tp":
        inner = ip_packet_layer(rng, conn, rng.random() < 0.3, depth + 1)
        version = rng.choice((2, 2, 2, 3, 1))
        flags = rng.choice((0x00, 0x40, 0x08, 0x48, 0x02, 0x80, 0xc8, 0x4a))
        hdlc = rng.random() < 0.1
        mp = rng.random() < 0.1
        pproto = rng.choice((0x0021, 0x0021, 0x0057, 0xc021))

        def body(rev, k):
            r = conn.rng
            out = []
            for x in inner(rev, k):
                if pproto == 0x0057 and x[:1] == b"\x45":
                    pp = 0x0021
                elif pproto == 0x0021 and x[:1] == b"\x60":
                    pp = 0x0057
                else:
                    pp = pproto
                hdr = u8(flags) + u8(version)
                if version == 3:
                    hdr += rbytes(r, 4)
                else:
                    if flags & 0x40:
                        hdr += u16(len(x) + 20)
                    hdr += rbytes(r, 4)
                    if flags & 0x08:
                        hdr += rbytes(r, 4)
                    if flags & 0x02:
                        n = r.choice((0, 2, 4))
                        hdr += u16(n) + rbytes(r, n)
                ppp = (b"\x0f\x00" if hdlc else b"\xff\x03")
                if mp:
                    ppp += b"\x00\x3d" + rbytes(r, 4)
                out.append(hdr + ppp + u16(pp) + x)
            return out
        return udp_layer(rng, conn, 1701, rng.choice((1701, hi)), body)
    if choice == "teredo":
        inner = ip_packet_layer(rng, conn, True, depth + 1)
        kind = rng.choice(("bare", "auth", "origin", "auth+origin"))

        def body(rev, k):
            r = conn.rng
            out = []
            for x in inner(rev, k):
                pre = b""
                if "auth" in kind:
                    idl, aul = r.choice((0, 4)), r.choice((0, 8))
                    pre += b"\x00\x01" + u8(idl) + u8(aul) + rbytes(r, idl + aul + 9)
                if "origin" in kind:
                    pre += b"\x00\x00" + rbytes(r, 6)
                out.append(pre + x)
            return out
        return udp_layer(rng, conn, hi, rng.choice((3544, hi)), body)
    # AYIYA (port 5072)
    inner = ip_packet_layer(rng, conn, rng.random() < 0.5, depth + 1)

    def body(rev, k):
        r = conn.rng
        out = []
        for x in inner(rev, k):
            idl = r.choice((0, 1, 2, 4))
            sig = r.choice((0, 1, 5))
            nh = 41 if x[:1] and x[0] >> 4 == 6 else 4
            if r.random() < 0.1:
                nh = r.choice((59, 17))
            hdr = u8(idl << 4 | 1) + u8(sig << 4 | 2) + u8(0x11) + u8(nh) + rbytes(r, 4)
            out.append(hdr + rbytes(r, 1 << idl) + rbytes(r, 4 * sig) + x)
        return out
    return udp_layer(rng, conn, hi, 5072, body)


# ------------------------------------------------------------------ IP

def transport_layer(rng, conn, v6, depth):
    """The protocol number and layer of what an IP header carries."""
    r = rng.random()
    if depth < 2 and r < 0.22:
        return tunnel_in_ip(rng, conn, v6, depth)
    r = rng.random()
    if r < 0.30:
        return tcp_layer(rng, conn)
    if r < 0.45:
        return udp_layer(rng, conn)
    if r < 0.62:
        return udp_app_layer(rng, conn, v6, depth)
    if r < 0.70:
        return icmp_layer(rng, conn, v6)
    if r < 0.74:
        return sctp_layer(rng, conn)
    if r < 0.77:
        return udp_layer(rng, conn, proto=136)
    if r < 0.80:
        return (igmp_layer if not v6 else ospf_layer)(rng, conn)
    if r < 0.82:
        return ospf_layer(rng, conn)
    if r < 0.85:
        return esp_layer(rng, conn)
    if r < 0.89:                                   # AH, then a transport
        nh, inner = transport_layer(rng, conn, v6, depth + 1)

        def f(rev, k, nh=nh, inner=inner):
            ln = conn.rng.choice((4, 4, 1, 0))
            return [u8(nh) + u8(ln) + u16(0) + rbytes(conn.rng, 4 * ln + 4) + x
                    for x in inner(rev, k)]
        return 51, f
    if r < 0.91:
        return raw_layer(rng, conn, 115)          # L2TPv3 over IP
    if r < 0.93:
        return raw_layer(rng, conn, 103)          # PIM, not a register
    if r < 0.95 and v6:
        return raw_layer(rng, conn, 59)           # no next header
    return raw_layer(rng, conn, rng.choice((0, 8, 33, 41, 47, 88, 97, 112, 137, 139, 255, 200)))


def tunnel_in_ip(rng, conn, v6, depth):
    kind = rng.choice(("gre", "gre", "gre", "etherip", "ipip", "ip6in", "pim"))
    if kind == "ipip":
        return 4, ip_packet_layer(rng, conn, False, depth + 1)
    if kind == "ip6in":
        return 41, ip_packet_layer(rng, conn, True, depth + 1)
    if kind == "pim":
        inner = ip_packet_layer(rng, conn, rng.random() < 0.4, depth + 1)

        def f(rev, k):
            return [b"\x21\x00" + u16(0) + rbytes(conn.rng, 4) + x for x in inner(rev, k)]
        return 103, f
    if kind == "etherip":
        frame = eth_frame_layer(rng, conn, depth + 1, tunnel=True)
        ver = rng.choice((0x30, 0x30, 0x30, 0x20, 0x40, 0xf0, 0x00))

        def f(rev, k):
            return [u8(ver) + u8(0) + fr for fr in frame(rev, k)]
        return 97, f
    return 47, gre_layer(rng, conn, v6, depth)


def gre_layer(rng, conn, v6, depth):
    what = rng.choice(("ipv4", "ipv6", "ppp", "teb", "erspan", "wccp", "other", "ipv4", "teb"))
    version = 1 if what == "ppp" and rng.random() < 0.6 else 0
    bits = rng.getrandbits(5) & rng.getrandbits(5) if rng.random() < 0.5 else 0
    if version == 1:
        bits |= 0x04                              # K: payload length and call ID
    ack = version == 1 and rng.random() < 0.3
    proto = {"ipv4": 0x0800, "ipv6": 0x86dd, "ppp": 0x880b, "teb": 0x6558, "erspan": 0x88be,
             "wccp": 0x883e}.get(what, rng.choice((0x1234, 0x0806, 0x8847, 0x88bb, 0x0000)))
    if what in ("teb", "erspan"):
        inner = eth_frame_layer(rng, conn, depth + 1, tunnel=True)
    elif what in ("ipv4", "ipv6", "wccp", "ppp"):
        inner = ip_packet_layer(rng, conn, what == "ipv6" or (what in ("wccp", "ppp") and
                                                              rng.random() < 0.3), depth + 1)
    else:
        inner = lambda rev, k: [rbytes(conn.rng, 24)]
    ppp_style = rng.choice(("framed", "framed", "short", "onebyte", "comp", "lcp"))

    def f(rev, k):
        r = conn.rng
        out = []
        for x in inner(rev, k):
            if what == "ppp":
                v4 = x[:1] and x[0] >> 4 == 4
                pp = b"\x00\x21" if v4 else b"\x00\x57"
                if ppp_style == "framed":
                    x = b"\xff\x03" + pp + x
                elif ppp_style == "short":
                    x = pp + x
                elif ppp_style == "onebyte":
                    x = b"\x21" + x
                elif ppp_style == "comp":
                    x = b"\xfd" + rbytes(r, 20)
                else:
                    x = b"\xff\x03\xc0\x21" + rbytes(r, 12)
            elif what == "erspan":
                x = u16(0x1000 | r.getrandbits(10)) + rbytes(r, 6) + x
            elif what == "wccp":
                x = rbytes(r, 4) + x
            fields = b""
            for bit in range(5):                  # C R K S s, then A
                if bits & (0x10 >> bit):
                    if version == 1 and bit == 2:
                        fields += u16(len(x)) + rbytes(r, 2)
                    else:
                        fields += rbytes(r, 4)
            if ack:
                fields += rbytes(r, 4)
            out.append(u8(bits << 3) + u8((0x80 if ack else 0) | version) + u16(proto) + fields + x)
        return out
    return f


def ipv6_ext_chain(rng, conn, final_nh):
    """A list of (number, builder(next header) -> bytes) extension headers."""
    n = rng.choice((0, 0, 0, 1, 1, 2, 3, 6))
    chain = []
    for _ in range(n):
        t = rng.choice((0, 60, 43, 44, 51, 60))
        chain.append(t)
    return chain


def ext_header(rng, t, nh):
    if t == 44:                                    # an atomic fragment
        return u8(nh) + u8(0) + u16(rng.choice((0, 0, 1))) + rbytes(rng, 4)
    if t == 51:
        ln = rng.choice((4, 1))
        return u8(nh) + u8(ln) + u16(0) + rbytes(rng, 4 * ln + 4)
    ln = rng.choice((0, 0, 1))
    return u8(nh) + u8(ln) + rbytes(rng, 6 + 8 * ln)


def ip_packet_layer(rng, conn, v6, depth=0):
    """An IPv4 or IPv6 header (with options, extension headers, odd
    lengths, fragments) around what transport_layer() draws."""
    proto, inner = transport_layer(rng, conn, v6, depth)
    a, b = (ip6(rng), ip6(rng)) if v6 else (ip4(rng), ip4(rng))
    frag = rng.random() < 0.12
    odd = rng.random() < 0.08
    chain = ipv6_ext_chain(rng, conn, proto) if v6 else []
    opts = b""
    if not v6 and rng.random() < 0.08:
        opts = rng.choice((b"\x94\x04\x00\x00", b"\x01\x01\x01\x00", b"\x07\x07\x04" + b"\0" * 5))
    ttl = rng.choice((64, 128, 255, 1, 0))

    def fragments(data):
        """(offset in 8-byte units, more fragments, bytes) of `data`."""
        if not frag or len(data) < 16:
            return [(0, False, data)]
        cut = sorted({conn.rng.randint(1, max(1, len(data) // 8 - 1)) * 8
                      for _ in range(conn.rng.randint(1, 3))})
        cut = [c for c in cut if c < len(data)]
        bounds = [0] + cut + [len(data)]
        parts = [(bounds[i] // 8, i < len(bounds) - 2, data[bounds[i]:bounds[i + 1]])
                 for i in range(len(bounds) - 1)]
        r = conn.rng.random()
        if r < 0.15:
            conn.rng.shuffle(parts)
        elif r < 0.25:
            parts.pop(conn.rng.randrange(len(parts)))
        elif r < 0.3:
            parts.append(parts[0])
        return parts

    def f(rev, k):
        r = conn.rng
        s, d = (b, a) if rev else (a, b)
        out = []
        for seg in inner(rev, k):
            conn.ipid = (conn.ipid + 1) & 0xffff
            if not v6:
                for off, more, data in fragments(seg):
                    ihl = 5 + len(opts) // 4
                    tot = 4 * ihl + len(data)
                    if odd and r.random() < 0.5:
                        ihl = r.choice((0, 4, 15, ihl))
                        tot = r.choice((0, 19, 20, tot + 30, tot - 1, 65535))
                    ver = 0x40 if r.random() > 0.01 else 0x60
                    fl = (0x2000 if more else 0) | off
                    if r.random() < 0.1 and not more and not off:
                        fl |= 0x4000
                    h = u8(ver | (ihl & 15)) + u8(r.choice((0, 0, 0x10, 0xb8, 0x03))) + u16(tot)
                    h += u16(conn.ipid) + u16(fl) + u8(ttl) + u8(proto) + u16(0) + s + d
                    h = h[:10] + u16(checksum(h + opts)) + h[12:]
                    out.append(h + opts + data)
            else:
                nums = chain + [proto]
                for off, more, data in fragments(seg):
                    ext = b""
                    seq = nums[:]
                    if frag:
                        seq = nums[:-1] + [44, proto]
                    for i, t in enumerate(seq[:-1]):
                        if t == 44 and frag and i == len(seq) - 2:
                            ext += u8(seq[i + 1]) + u8(0) + u16(off << 3 | more) + u32(conn.ipid)
                        else:
                            ext += ext_header(r, t, seq[i + 1])
                    plen = len(ext) + len(data)
                    if odd and r.random() < 0.5:
                        plen = r.choice((0, 1, plen + 40, 65535))
                    ver = 0x60 if r.random() > 0.01 else 0x40
                    h = u8(ver) + rbytes(r, 3) + u16(plen) + u8(seq[0]) + u8(ttl) + s + d
                    out.append(h + ext + data)
        return out
    return f


# ------------------------------------------------------------------ layer 2

def arp_body(rng, kind=0x0806):
    op = rng.choice((1, 2, 3, 4))
    return (u16(1) + u16(0x0800) + u8(6) + u8(4) + u16(op) + mac(rng) + ip4(rng)
            + mac(rng) + ip4(rng))


def l2_only_layer(rng, conn):
    """(ethertype or 802.3 length, body) of a frame T2 keeps as a layer-2 flow."""
    kind = rng.choice(("arp", "arp", "rarp", "aarp", "lldp", "slow", "pppoed", "llc", "llc",
                       "stp", "other", "ipvx", "jumbo", "pppoes_lcp"))
    if kind in ("arp", "rarp", "aarp"):
        t = {"arp": 0x0806, "rarp": 0x8035, "aarp": 0x80f3}[kind]
        return t, lambda rev, k: [arp_body(conn.rng)]
    if kind == "lldp":
        return 0x88cc, lambda rev, k: [b"\x02\x07\x04" + rbytes(conn.rng, 6) + b"\x04\x03\x05ab"
                                       + b"\x06\x02\x00\x78\x00\x00"]
    if kind == "slow":
        sub = rng.choice((1, 2, 3, 10, 7))         # T2 reads it from the second byte
        return 0x8809, lambda rev, k: [u8(conn.rng.choice((1, 2, 3, 10))) + u8(sub)
                                       + rbytes(conn.rng, 40)]
    if kind == "pppoed":
        return 0x8863, lambda rev, k: [b"\x11" + u8(conn.rng.choice((9, 7, 0x19, 0x65, 0xa7)))
                                       + u16(0) + u16(4) + b"\x01\x01\x00\x00"]
    if kind == "pppoes_lcp":
        return 0x8864, lambda rev, k: [b"\x11\x00" + u16(1) + u16(8) + b"\xc0\x21"
                                       + rbytes(conn.rng, 6)]
    if kind in ("llc", "stp"):
        def f(rev, k):
            r = conn.rng
            if kind == "stp":
                body = b"\x42\x42\x03" + rbytes(r, 35)
            else:
                dsap = r.choice((0x42, 0xe0, 0xf0, 0x04, 0x06, 0xaa, 0xfe, 0x7e, 0x80, 0x12))
                ctl = r.choice((b"\x03", b"\x00\x01", b"\x13"))
                body = u8(dsap) + u8(dsap) + ctl + rbytes(r, r.randint(3, 40))
            return [body]
        return None, f                            # None: an 802.3 length field
    if kind == "jumbo":
        return 0x8870, lambda rev, k: [b"\xaa\xaa\x03\x00\x00\x00\x08\x06" + arp_body(conn.rng)]
    if kind == "ipvx":
        return rng.choice((0x0800, 0x86dd)), lambda rev, k: [u8(conn.rng.choice((0x50, 0x00, 0xf5)))
                                                             + rbytes(conn.rng, 39)]
    t = rng.choice((0x9000, 0x88f7, 0x8137, 0x2000, 0x88a2, 0x0600, 0x1234, 0xffff, 0x8906,
                    0x890d, 0x88bb, 0x872d))
    return t, lambda rev, k: [rbytes(conn.rng, conn.rng.randint(0, 46))]


def ethertype_payload_layer(rng, conn, depth=0):
    """(ethertype or None for 802.3, layer): what follows an ethertype field:
    IP mostly, or MPLS, PPPoE, ERSPAN, LLC/SNAP, a layer-2 protocol."""
    r = rng.random()
    if r < 0.62 or depth >= 2:
        if r > 0.95:
            return l2_only_layer(rng, conn)
        v6 = rng.random() < 0.35
        return (0x86dd if v6 else 0x0800), ip_packet_layer(rng, conn, v6, depth)
    if r < 0.72:
        return l2_only_layer(rng, conn)
    if r < 0.80:                                   # MPLS
        n = rng.choice((1, 1, 2, 3, 5))
        what = rng.choice(("ip", "ip", "cw", "eth"))
        if what == "ip":
            inner = ip_packet_layer(rng, conn, rng.random() < 0.3, depth + 1)
        else:
            inner = eth_frame_layer(rng, conn, depth + 1, tunnel=True)

        def f(rev, k):
            labels = b"".join(u32(conn.rng.getrandbits(20) << 12 | (1 << 8 if i == n - 1 else 0)
                                  | 64) for i in range(n))
            cw = b"\0\0\0\0" if what == "cw" else b""
            return [labels + cw + x for x in inner(rev, k)]
        return rng.choice((0x8847, 0x8847, 0x8848)), f
    if r < 0.86:                                   # PPPoE session
        v6 = rng.random() < 0.3
        inner = ip_packet_layer(rng, conn, v6, depth + 1)

        def f(rev, k):
            return [b"\x11\x00" + u16(0x1234) + u16(len(x) + 2) + (b"\x00\x57" if v6 else b"\x00\x21")
                    + x for x in inner(rev, k)]
        return 0x8864, f
    if r < 0.90:                                   # ERSPAN type I, no GRE
        inner = eth_frame_layer(rng, conn, depth + 1, tunnel=True)
        return 0x88be, lambda rev, k: [rbytes(conn.rng, 8) + x for x in inner(rev, k)]
    if r < 0.97:                                   # 802.3 + LLC/SNAP
        t, inner = ethertype_payload_layer(rng, conn, depth + 1)
        t = 0x0800 if t is None else t

        def f(rev, k):
            return [b"\xaa\xaa\x03\x00\x00\x00" + u16(t) + x for x in inner(rev, k)]
        return None, f
    inner = ip_packet_layer(rng, conn, rng.random() < 0.3, depth + 1)   # LLC SAP 6: IP
    return None, lambda rev, k: [b"\x06\x06\x03" + x for x in inner(rev, k)]


def vlan_tags(rng):
    n = rng.choice((0, 0, 0, 0, 1, 1, 2, 3))
    tags = []
    for i in range(n):
        tpid = rng.choice((0x8100, 0x8100, 0x88a8, 0x9100, 0x9200))
        vid = rng.choice((0, 1, 100, 4095, rng.randint(2, 4094)))
        tags.append(u16(tpid) + u16(rng.randint(0, 7) << 13 | vid))
    return b"".join(tags)


def eth_frame_layer(rng, conn, depth=0, tunnel=False):
    """An Ethernet frame (VLAN tags, 802.3 length or ethertype, padding)."""
    src, dst = mac(rng), mac(rng)
    tags = vlan_tags(rng) if not tunnel or rng.random() < 0.3 else b""
    t, inner = ethertype_payload_layer(rng, conn, depth)
    pad = rng.random() < 0.5

    def f(rev, k):
        s, d = (dst, src) if rev else (src, dst)
        out = []
        for x in inner(rev, k):
            tf = u16(len(x) if conn.rng.random() < 0.9 else conn.rng.randint(0, 1500)) \
                if t is None else u16(t)
            fr = d + s + tags + tf + x
            if pad and len(fr) < 60:
                fr += b"\0" * (60 - len(fr))
            out.append(fr)
        return out
    return f


def wlan_frame(rng, frame, swapped=False):
    """An IEEE 802.11 frame carrying the Ethernet `frame`'s payload (or a
    management, control, protected or null frame)."""
    kind = rng.random()
    if kind < 0.12:
        fc0 = rng.choice((0x80, 0x40, 0x50, 0xb0, 0xd4, 0xc4, 0x48, 0x08))
        fc1 = rng.choice((0x00, 0x40, 0x01, 0x03))
        body = rbytes(rng, rng.randint(0, 30))
        hdr = b""
    else:
        sub = rng.choice((0, 0, 8, 8, 1, 9, 2, 3, 11, 10))
        fc0 = sub << 4 | 0x08
        fc1 = rng.choice((0x01, 0x02, 0x00, 0x03, 0x01))
        tf = frame[12:14]
        pl = frame[14:]
        while tf in (b"\x81\x00", b"\x88\xa8") and len(pl) >= 4:
            tf, pl = pl[2:4], pl[4:]
        llc = b"\xaa\xaa\x03\x00\x00\x00" + tf
        if rng.random() < 0.05:
            llc = b"\0\0" + llc
        elif rng.random() < 0.05:
            llc = b"\xaa\xaa\x00\x00\x00\x00\x00" + tf
        body = llc + pl
        hdr = b""
    fc = (u8(fc1) + u8(fc0)) if swapped else (u8(fc0) + u8(fc1))
    hdr = fc + b"\x00\x00" + frame[:6].ljust(6, b"\0") + frame[6:12].ljust(6, b"\0") \
        + rbytes(rng, 6) + rbytes(rng, 2)
    if fc1 & 3 == 3:
        hdr += rbytes(rng, 6)
    if fc0 & 0x0c == 0x08 and fc0 >> 4 >= 8:
        hdr += rbytes(rng, 2)
    return hdr + body


# ------------------------------------------------------------------ link types

LINK_TYPES = (1, 1, 1, 1, 1, 274, 113, 276, 101, 228, 229, 0, 9, 50, 204, 104, 107, 205, 206,
              99, 105, 127, 119, 137, 167, 178, 192, 192)


def pick_linktype(rng):
    """A link type t2mini knows, or rarely one it does not (USER0, 147)."""
    return 147 if rng.random() < 0.01 else rng.choice(LINK_TYPES)


def link_layer(rng, conn, linktype, depth=0):
    """A layer that makes whole frames of `linktype`."""
    if linktype in (1, 274):
        frame = eth_frame_layer(rng, conn, depth)
        isl = linktype == 1 and rng.random() < 0.05
        if linktype == 274:
            return lambda rev, k: [b"\x55" * 7 + b"\xd5" + fr for fr in frame(rev, k)]
        if isl:
            return lambda rev, k: [b"\x01\x00\x0c\x00\x00" + rbytes(conn.rng, 21) + fr
                                   for fr in frame(rev, k)]
        return frame
    if linktype in (105, 127, 119):
        frame = eth_frame_layer(rng, conn, depth)

        def f(rev, k):
            out = []
            for fr in frame(rev, k):
                w = wlan_frame(conn.rng, fr)
                if linktype == 127:
                    extra = rbytes(conn.rng, conn.rng.choice((0, 4, 8, 16)))
                    w = b"\0\0" + le16(8 + len(extra)) + le32(conn.rng.getrandbits(32)) + extra + w
                elif linktype == 119:
                    ml = 144 if conn.rng.random() < 0.9 else conn.rng.choice((0, 128, 0x90000000))
                    w = le32(0x41) + le32(ml) + rbytes(conn.rng, 136) + w
                out.append(w)
            return out
        return f
    tags = b""
    t, inner = ethertype_payload_layer(rng, conn, depth)
    if t is None:
        t = 0x0800 if rng.random() < 0.5 else rng.randint(0, 1500)
    if linktype in (113, 276, 104, 107, 205, 206):
        if rng.random() < 0.15:
            tags = vlan_tags(rng)
        addr = rbytes(rng, 8)
        ptype = rng.choice((0, 0, 4, 1, 2, 3))

        def f(rev, k):
            out = []
            for x in inner(rev, k):
                if linktype == 113:
                    hdr = u16(4 if rev else ptype) + u16(rng.choice((1, 772, 776))) + u16(6) + addr
                    out.append(hdr + tags + u16(t) + x)
                elif linktype == 276:
                    hdr = u16(t) + u16(0) + u32(2) + u16(1) + u8(4 if rev else ptype) + u8(6) + addr
                    out.append(hdr + x)
                else:
                    d = u8(rev) if linktype in (205, 206) else b""
                    first = b"\x0f\x00" if linktype in (104, 205) else b"\x03\xcc"
                    out.append(d + first + tags + u16(t) + x)
            return out
        return f
    if linktype in (101, 228, 229, 0, 99, 137, 167, 178):
        v6 = linktype == 229 or (linktype != 228 and rng.random() < 0.35)
        ip = ip_packet_layer(rng, conn, v6, depth)
        if linktype == 178 and rng.random() < 0.3:
            frame = eth_frame_layer(rng, conn, depth)
        else:
            frame = None
        fam = rng.choice((24, 28, 30, 10, 23, 26)) if v6 else 2
        if linktype == 0 and rng.random() < 0.05:
            fam = rng.choice((7, 0, 99))
        big = rng.random() < 0.3
        symv = rng.choice((2, 3))
        jflags = rng.choice((0x00, 0x01, 0x80, 0x81, 0x02, 0x03))
        ext = rbytes(rng, rng.choice((0, 4, 8)))

        def f(rev, k):
            out = []
            for x in (frame or ip)(rev, k):
                if linktype == 0:
                    out.append((u32(fam) if big else le32(fam)) + x)
                elif linktype == 99:
                    et = 0x86dd if v6 else 0x0800
                    if symv == 2:
                        out.append(rbytes(conn.rng, 6) + u16(et) + bytes(36) + x)
                    else:
                        out.append(bytes(10) + u16(et) + bytes(44) + x)
                elif linktype in (137, 167, 178):
                    h = b"MGC" + u8(jflags)
                    if jflags & 0x80:
                        h += u16(len(ext)) + ext
                    if jflags & 0x02:
                        h += le32(204 if frame else (6 if v6 else 2))
                    elif linktype == 137:
                        h += rbytes(conn.rng, 4)
                    out.append(h + x)
                else:
                    out.append(x)
            return out
        return f
    if linktype in (9, 50, 204):
        kind = rng.choice(("ip", "ip", "ip", "chdlc", "mpls", "other"))
        if kind == "chdlc":
            return lambda rev, k: [(u8(rev) if linktype == 204 else b"") + b"\x0f\x00" + u16(t) + x
                                   for x in inner(rev, k)]
        v6 = rng.random() < 0.3
        ip = ip_packet_layer(rng, conn, v6, depth)
        framed = rng.random() < 0.7
        if kind == "mpls":
            proto = rng.choice((0x0281, 0x0283))
        elif kind == "other":
            proto = rng.choice((0xc021, 0x8021, 0x80fd, 0x003d, 0x1234))
        else:
            proto = 0x0057 if v6 else 0x0021

        def f(rev, k):
            out = []
            for x in ip(rev, k):
                if kind == "mpls":
                    x = u32(conn.rng.getrandbits(20) << 12 | 0x100 | 64) + x
                pre = (u8(rev) if linktype == 204 else b"") + (b"\xff\x03" if framed else b"")
                out.append(pre + u16(proto) + x)
            return out
        return f
    if linktype == 192:                            # PPI, then another link type
        inner_lt = rng.choice((1, 1, 105, 127, 101, 113, 0, 12, 14, 9, 228, 1, 119, 276))
        if rng.random() < 0.04:                  # T2 stops the run at these
            inner_lt = rng.choice((147, 203, 177, 192))
        if inner_lt in (12, 14):
            frames = link_layer(rng, conn, 101, depth)
        elif inner_lt in (147, 203, 177, 192):
            frames = link_layer(rng, conn, 1, depth)
        else:
            frames = link_layer(rng, conn, inner_lt, depth)
        fields = rbytes(rng, rng.choice((0, 0, 24)))

        def f(rev, k):
            return [b"\0\0" + le16(8 + len(fields)) + le32(inner_lt) + fields + x
                    for x in frames(rev, k)]
        return f
    # an unsupported link type: T2 and t2mini stop at the first record
    return lambda rev, k: [rbytes(conn.rng, 40)]


# ------------------------------------------------------------------ captures

SNAPLENS = (65535, 262144, 262144, 96, 66, 128, 54, 200, 1518, 64)


def conversation_packets(rng, linktype, t0):
    """The frames of one conversation: [(time in ns, frame)]."""
    conn = Conn(rng)
    layer = link_layer(rng, conn, linktype)
    n = rng.choice((1, 2, 3, 4, 5, 6, 8, 12, 20))
    t = t0
    out = []
    for k in range(n):
        rev = k % 2 == 1 if rng.random() < 0.8 else rng.random() < 0.5
        if k == 0:
            rev = False
        for fr in layer(rev, k):
            out.append((t, fr))
            t += rng.randint(1, 50_000_000)
        r = rng.random()
        if r < 0.03:
            t += 190 * 10 ** 9                       # beyond T2's flow timeout
        elif r < 0.05:
            t -= rng.randint(1, 10 ** 9)             # the clock goes back
        else:
            t += rng.randint(0, 2 * 10 ** 9)
    return out


def stack_capture(rng):
    """(capture bytes, suffix, description) of one made-up capture."""
    pcapng = rng.random() < 0.15
    linktype = pick_linktype(rng)
    snaplen = rng.choice(SNAPLENS) if rng.random() < 0.35 else 262144
    epoch = rng.choice((rng.randint(0, 2 ** 31 - 1), 1700000000, 0, 2 ** 32 - 2000))
    t0 = epoch * 10 ** 9 + rng.randint(0, 10 ** 9 - 1)
    n_conv = rng.choice((1, 1, 2, 3, 4, 6))
    interfaces = [(linktype, snaplen)]
    if pcapng and rng.random() < 0.4:
        interfaces.append((rng.choice(LINK_TYPES), rng.choice(SNAPLENS)))
    frames = []
    for c in range(n_conv):
        ifc = rng.randrange(len(interfaces))
        lt = interfaces[ifc][0]
        start = t0 + rng.randint(0, 5 * 10 ** 9)
        frames += [(t, ifc, fr) for t, fr in conversation_packets(rng, lt, start)]
    frames.sort(key=lambda x: x[0] if rng.random() < 0.97 else 0)
    odd_lengths = rng.random() < 0.1
    recs = []
    for t, ifc, fr in frames:
        snap = interfaces[ifc][1]
        cap = fr[:snap] if snap else fr
        wire = len(fr)
        if odd_lengths and rng.random() < 0.2:
            r = rng.random()
            if r < 0.3:
                cap = cap[:rng.randint(0, len(cap))]
            elif r < 0.6:
                wire = rng.choice((0, len(cap) - 1, 65535, 65536, 2 ** 32 - 1))
            else:
                wire = len(cap) + rng.randint(1, 100)
        recs.append((t, ifc, cap, max(wire, 0)))
    desc = (f"stack: link type {linktype}, {n_conv} conversation" + "s" * (n_conv > 1)
            + f", {len(recs)} record" + "s" * (len(recs) != 1))
    if pcapng:
        resol = [rng.choice((None, 6, 9, 3)) for _ in interfaces]
        ifs = [(lt, snap, res) for (lt, snap), res in zip(interfaces, resol)]
        pk = []
        for t, ifc, cap, wire in recs:
            res = resol[ifc]
            div = 10 ** (9 - (6 if res is None else res))
            pk.append((ifc, max(t, 0) // div, cap, wire))
        return pcapng_file(ifs, pk, big=rng.random() < 0.2), ".pcapng", desc + " (pcapng)"
    nano = rng.random() < 0.3
    big = rng.random() < 0.2
    rows = []
    for t, ifc, cap, wire in recs:
        t = max(t, 0)
        sec, ns = divmod(t, 10 ** 9)
        frac = ns if nano else ns // 1000
        if rng.random() < 0.01:
            frac = rng.choice((10 ** 9, 2 ** 31, 2 ** 32 - 1))
        rows.append((sec, frac, cap, wire))
    return pcap_file(linktype, snaplen, rows, nano=nano, big=big), ".pcap", desc
