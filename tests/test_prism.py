"""Prism headers (link type 119) whose message-length field is not 144.

T2 0.9.3 reads the field in its own byte order (little-endian), warns
"[WRN] Prism message length N different from default value 144" on the
report stream for each such record, while it processes the packets, and
skips 144 bytes all the same.  The capture is written here: three Prism
records carrying the same 802.11 data frame with IPv4/UDP inside, with
message lengths 144, 200 and 144 written big-endian.
"""
import struct

from conftest import run_t2mini

LINKTYPE_PRISM = 119


def prism_header(msglen_bytes):
    dev = b"wlan0".ljust(16, b"\0")
    params = b"".join(struct.pack("<IHHI", 0x1044 + (i << 12), 0, 4, i) for i in range(10))
    header = struct.pack("<I", 0x44) + msglen_bytes + dev + params
    assert len(header) == 144
    return header


def wlan_ipv4_udp():
    wlan = bytes([0x08, 0x01, 0, 0]) + bytes(range(1, 19)) + b"\x10\x00"   # data frame, to DS
    snap = bytes([0xaa, 0xaa, 0x03, 0, 0, 0, 0x08, 0x00])
    payload = b"ping"
    udp = struct.pack(">HHHH", 40000, 53, 8 + len(payload), 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
    return wlan + snap + ip


def write_capture(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, LINKTYPE_PRISM))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", 1710400000 + i, 0, len(frame), len(frame)))
            f.write(frame)


def test_prism_message_length_warning(t2mini, tmp_path):
    frame = wlan_ipv4_udp()
    lengths = [struct.pack("<I", 144), struct.pack("<I", 200), struct.pack(">I", 144)]
    cap = tmp_path / "prism_msglen.pcap"
    write_capture(cap, [prism_header(n) + frame for n in lengths])

    proc = run_t2mini(t2mini, cap, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    lines = proc.stdout.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Dump start:"))
    stop = next(i for i, ln in enumerate(lines) if ln.startswith("Dump stop :"))
    assert lines[start + 1:stop] == [
        "[WRN] Prism message length 200 different from default value 144",
        "[WRN] Prism message length 2415919104 different from default value 144",
    ]
    assert sum("Prism message length" in ln for ln in lines) == 2

    # the header is skipped as 144 bytes whatever it says: three equal packets
    packets = (tmp_path / "prism_msglen_packets.txt").read_text().splitlines()
    assert len(packets) == 4
    header = packets[0].split("\t")
    rows = [dict(zip(header, ln.split("\t"))) for ln in packets[1:]]
    assert [r["hdrDesc"] for r in rows] == ["prism:wlan:llc:ipv4:udp"] * 3
    assert {r["flowInd"] for r in rows} == {"1"}
    assert [r["dstPort"] for r in rows] == ["53"] * 3
