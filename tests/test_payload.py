"""l7Content escaping, byte by byte, against a reference written from T2's rule.

T2 prints the captured payload with \\b \\f \\n \\r \\t \\v \\\\ escaped and
every other byte outside 0x20..0x7e as '.'.  t2mini formats sixteen bytes at
a time where it can, so the test covers every byte value at every position
and many lengths.
"""
import random
import struct

from conftest import run_t2mini

ESC = {0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v", 0x5c: "\\\\"}


def reference(payload):
    return "".join(ESC.get(b, chr(b) if 0x20 <= b <= 0x7e else ".") for b in payload)


def udp_frame(payload, sport):
    udp = struct.pack("!HHHH", sport, 9999, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2])) + udp
    return bytes.fromhex("020000000002020000000001") + b"\x08\x00" + ip


def test_every_byte_at_every_position(t2mini, tmp_path):
    rng = random.Random(7)
    payloads = [bytes(range(256)), bytes(range(255, -1, -1))]
    payloads += [bytes(range(256))[k:] + bytes(range(256))[:k] for k in range(1, 17)]
    payloads += [bytes(rng.randrange(256) for _ in range(n)) for n in range(0, 70)]
    payloads += [bytes(rng.choice(b"ab\\\t\n\r\x0b\x0c\x08.\x00\x7f\xff") for _ in range(n))
                 for n in (15, 16, 17, 31, 32, 33, 300)]
    records = b""
    for i, payload in enumerate(payloads):
        frame = udp_frame(payload, 20000 + i)
        records += struct.pack("<IIII", 1700000000 + i, 0, len(frame), len(frame)) + frame
    cap = tmp_path / "payloads.pcap"
    cap.write_bytes(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1) + records)

    proc = run_t2mini(t2mini, cap, tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "payloads_packets.txt").read_bytes().decode("latin-1").split("\n")[1:-1]
    assert len(lines) == len(payloads)
    for line, payload in zip(lines, payloads):
        got = line.split("\t", 24)[24]
        assert got == reference(payload), f"payload {payload!r}"
