"""IPv6 geo labels where nested ranges begin or end at the same address.

T2 does not pick the most specific range there: it bisects a flattened list
of range boundaries and answers with whichever equal boundary the bisection
reaches first (see flow_geo.c).  The expected labels are real T2 0.9.3's output
for these addresses with the tables in data/ (compiled into t2mini).
"""
import ipaddress
import struct

from conftest import run_t2mini

PCAP_HEADER = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)
ETHER_IPV6 = bytes.fromhex("020000000002" "020000000001" "86dd")

# address -> (country, organisation) as T2 labels it
EXPECTED = {
    # first address of a /23 and of a /32 inside it: T2 answers with the /23
    "2001:200::": ("jp", "Asia Pacific Network Informati"),
    "2001:200::1": ("jp", "WIDE project"),
    "2001:230::": ("kr", "Electronics and Telecommunicat"),
    "2001:1a78::": ("de", "DE-AMADEUS-20040224"),
    # ... and here with the inner range
    "2001:608::": ("de", "SpaceNet AG"),
    # last address of a /32 and of a /40 inside it: T2 answers with the /32
    "2001:1a70:ffff:ffff:ffff:ffff:ffff:ffff": ("mt", "University of Malta"),
    "2001:1a70:ffff:ffff:ffff:ffff:ffff:fffe": ("mt", "RicerkaNet - MT National Resea"),
    # ... and here with the inner range
    "2001:bc8:ffff:ffff:ffff:ffff:ffff:ffff": ("fr", "Scaleway"),
    "::1": ("01", "Loopback"),
    "::2": ("-", "-"),
}


# Ranges longer than /64, whose boundaries keep their low 64 bits apart in
# the packed tables (flow_geo.c): t2mini's labels from before the tables were
# packed, which match T2 on every golden.
LONG_PREFIXES = {
    "::ffff:10.1.2.3": ("61", "IPv4 mapped"),             # ::ffff:0:0/96
    "::ffff:0:0": ("61", "IPv4 mapped"),
    "::ffff:ffff:ffff": ("61", "IPv4 mapped"),
    "::fffe:ffff:ffff": ("-", "-"),
    "64:ff9b::102:304": ("63", "IPv4/6 translation"),     # 64:ff9b::/96
    "ff02::1:feff:ffff": ("10", "Multicast"),             # below ff02::1:ff00:0/104
    "ff02::1:ff00:0": ("10", "Solicited node Link-local"),
    "ff02::1:ff12:3456": ("10", "Solicited node Link-local"),
    "ff02::1:ffff:ffff": ("10", "Solicited node Link-local"),
    "ff08::401": ("10", "Civic Telemetry"),               # a /128 between a /127 ...
    "ff08::403": ("10", "Civic Telemetry"),
    "ff08::404": ("10", "Civic Telemetry"),               # ... and a /126
    "2a00:9ce0::": ("gb", "NN-24Seven-LAN"),              # first of a /121, a /64 and a /32
    "2a00:9ce0::7f": ("gb", "MNT-24SEVEN"),               # last of the /121
    "2a00:9ce0::80": ("gb", "NN-24Seven-LAN"),
    "2a02:cbf3:100:9000::f": ("de", "Vergabe24 Gmbh"),    # a /124
    "2a02:cbf3:100:9000::10": ("de", "DE-OPENIT-20160218"),
}


def udp6(src, dst):
    udp = struct.pack(">HHHH", 1000, 2000, 10, 0) + b"gg"
    ip6 = struct.pack(">IHBB", 0x60000000, len(udp), 17, 64) + src + dst
    return ETHER_IPV6 + ip6 + udp


def write_capture(path, addrs):
    """Packet i goes from addrs[i] to addrs[i + 1] (wrapping round)."""
    raw = [ipaddress.IPv6Address(a).packed for a in addrs]
    out = [PCAP_HEADER]
    for i, src in enumerate(raw):
        pkt = udp6(src, raw[(i + 1) % len(raw)])
        out.append(struct.pack("<IIII", 1700000000, i, len(pkt), len(pkt)) + pkt)
    path.write_bytes(b"".join(out))


def check_labels(t2mini, tmp_path, expected, geo=None):
    addrs = list(expected)
    cap = tmp_path / "geo6.pcap"
    write_capture(cap, addrs)
    p = run_t2mini(t2mini, cap, tmp_path, geo)
    assert p.returncode == 0, p.stderr

    lines = (tmp_path / "geo6_packets.txt").read_text().split("\n")
    cols = lines[0].lstrip("%").split("\t")
    rows = [dict(zip(cols, ln.split("\t"))) for ln in lines[1:] if ln]
    assert len(rows) == len(addrs)
    for i, row in enumerate(rows):
        src, dst = addrs[i], addrs[(i + 1) % len(addrs)]
        assert (row["srcIPCC"], row["srcIPOrg"]) == expected[src], src
        assert (row["dstIPCC"], row["dstIPOrg"]) == expected[dst], dst


def test_labels_at_shared_boundaries(t2mini, tmp_path):
    check_labels(t2mini, tmp_path, EXPECTED)


def test_labels_in_ranges_longer_than_64_bits(t2mini, tmp_path):
    check_labels(t2mini, tmp_path, LONG_PREFIXES)


def test_tables_read_with_G_label_as_the_built_in_ones(t2mini, geo, tmp_path):
    check_labels(t2mini, tmp_path, {**EXPECTED, **LONG_PREFIXES}, geo)
