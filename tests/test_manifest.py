"""data/MANIFEST.md lists every capture in data/, and its packet count and
link types are what the files hold (read here with the standard library:
pcap's file header and records, pcapng's interface and packet blocks)."""
import re
import struct

from conftest import DATA, ROOT

MANIFEST = ROOT / "data" / "MANIFEST.md"


def pcap_facts(data):
    """(number of packet records, [link type]) of a pcap or pcapng file."""
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        pos, endian, types, packets = 0, "<", [], 0
        while pos + 12 <= len(data):
            if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":          # section header
                endian = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            kind, length = struct.unpack(endian + "II", data[pos:pos + 8])
            if kind == 1:                                          # interface description
                types.append(struct.unpack(endian + "H", data[pos + 8:pos + 10])[0])
            elif kind in (2, 3, 6):                                # packet, simple, enhanced
                packets += 1
            pos += length
        return packets, types
    endian = "<" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    pos, packets = 24, 0
    while pos + 16 <= len(data):
        pos += 16 + struct.unpack(endian + "I", data[pos + 8:pos + 12])[0]
        packets += 1
    return packets, [struct.unpack(endian + "I", data[20:24])[0]]


def manifest_rows():
    rows = {}
    for line in MANIFEST.read_text().splitlines():
        m = re.match(r"\| `([^`]+)` \| (\d+) \| ([^|]+) \|", line)
        if m:
            rows[m.group(1)] = (int(m.group(2)), [int(n) for n in re.findall(r"\((\d+)\)", m.group(3))])
    return rows


def test_manifest_lists_every_capture_as_it_is():
    rows = manifest_rows()
    captures = sorted(p.name for p in DATA.iterdir() if p.suffix in (".pcap", ".pcapng"))
    assert sorted(rows) == captures
    for name in captures:
        assert rows[name] == pcap_facts((DATA / name).read_bytes()), name


def test_data_readme_points_to_the_manifest():
    assert "(MANIFEST.md)" in (ROOT / "data" / "README.md").read_text()
