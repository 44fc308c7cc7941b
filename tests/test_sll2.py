"""Linux cooked capture v2 (LINKTYPE_LINUX_SLL2).

T2 0.9.3 refuses it ("Unsupported link-layer type"); t2mini decodes it like
cooked v1.  data/sll_any.pcap (v1) and data/sll2_any.pcap (v2) were captured
side by side from the same traffic, so their packet files must agree, except
where the two recordings differ by nature:

- the v2 header is 20 bytes, v1 16: t2mini shows v2's packet type, address
  type and length and address in v1 layout, so the MAC columns (and the
  layer-2 flows keyed on them) still agree;
- the captures were written by two tcpdump processes, whose time stamps
  differ by a few microseconds for some packets: the time columns (time,
  pktIAT, pktTrip, flowDuration) are not compared between the files; instead
  each file's time column must equal its own record time stamps.
"""
import struct

from conftest import DATA, run_t2mini

TIME_COLUMNS = {"time", "pktIAT", "pktTrip", "flowDuration"}


def record_times(path):
    """Time stamps of a microsecond pcap, as T2 prints them."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    assert magic == 0xa1b2c3d4, "expected a little-endian microsecond pcap"
    off, times = 24, []
    while off + 16 <= len(data):
        sec, usec, caplen, _ = struct.unpack("<IIII", data[off:off + 16])
        times.append(f"{sec}.{usec * 1000:09d}")
        off += 16 + caplen
    return times


def lines(path):
    return path.read_bytes().decode("latin-1").rstrip("\n").split("\n")


def test_sll2_lines_equal_sll_lines(t2mini, geo, tmp_path):
    for name in ("sll_any", "sll2_any"):
        proc = run_t2mini(t2mini, DATA / f"{name}.pcap", tmp_path, geo)
        assert proc.returncode == 0, proc.stderr
    v1 = lines(tmp_path / "sll_any_packets.txt")
    v2 = lines(tmp_path / "sll2_any_packets.txt")
    assert v1[0] == v2[0]
    header = v1[0].lstrip("%").split("\t")
    assert len(v1) == len(v2) == 277
    differing = 0
    for a, b in zip(v1[1:], v2[1:]):
        ca, cb = a.split("\t"), b.split("\t")
        assert len(ca) == len(cb) == len(header)
        for name, x, y in zip(header, ca, cb):
            if name in TIME_COLUMNS:
                differing += x != y
                continue
            assert x == y, f"pktNo {ca[0]}: column {name}: v1 {x!r}, v2 {y!r}"
    assert differing < 60      # only the few packets with other time stamps

    for name, text in (("sll_any", v1), ("sll2_any", v2)):
        stamps = record_times(DATA / f"{name}.pcap")
        col = header.index("time")
        assert [ln.split("\t")[col] for ln in text[1:]] == stamps


def test_sll2_hdrdesc_starts_with_sll(t2mini, tmp_path):
    proc = run_t2mini(t2mini, DATA / "sll2_any.pcap", tmp_path)
    assert proc.returncode == 0, proc.stderr
    body = lines(tmp_path / "sll2_any_packets.txt")[1:]
    assert body and all(ln.split("\t")[8].startswith("sll:") for ln in body)
