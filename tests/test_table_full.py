"""The flow table overflows: T2's Hash Autopilot.

T2's main hash table holds 262144 flows.  When a new flow finds it full, T2
ends the least recently used flow (flowStat bit 0x0000040000000000, "flows
terminated by autopilot" in the report) and, the first time only, prints a
warning and a suggested -f factor: the capture file's size over what has
been read so far (24 bytes of file header and 16 per record header
included), kept between 2 and 16.  Real T2 0.9.3 printed these lines for
the layout built here.
"""
import struct

from conftest import run_t2mini

TABLE_SIZE = 262144
ETH = bytes.fromhex("020000000002020000000001") + b"\x08\x00"


def udp_frame(src, dst, sport, dport, payload):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     src.to_bytes(4, "big"), dst.to_bytes(4, "big"))
    return ETH + ip + udp


def record(sec, usec, frame):
    return struct.pack("<IIII", sec, usec, len(frame), len(frame)) + frame


def test_table_full_warns_once_and_evicts(t2mini, tmp_path):
    cap = tmp_path / "table_full.pcap"
    server = 0x0a1fffff
    with open(cap, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        # one single-packet flow per client, 5 more than the table holds
        for i in range(TABLE_SIZE + 5):
            f.write(record(1000 + i // 2000, (i % 2000) * 100,
                           udp_frame(0x0b000000 + i, server, 1000 + (i & 0x3fff), 53, b"m")))
        # then enough bulk in one flow to make the file 3 times what was read
        bulk = record(1200, 0, udp_frame(server, 0x0c000001, 9, 9, b"x" * 1400))
        f.write(bulk * 25000)

    proc = run_t2mini(t2mini, cap, tmp_path)
    assert proc.returncode == 0, proc.stderr
    report = proc.stdout.splitlines()
    warnings = [line for line in report if "Hash Autopilot" in line]
    assert warnings == [
        "[WRN] Hash Autopilot: main HashMap full: flushing 1 oldest flow(s)",
        "[INF] Hash Autopilot: Fix: Invoke Tranalyzer with '-f 3'",
    ]
    assert report.index(warnings[0]) > next(i for i, l in enumerate(report) if l.startswith("Dump start:"))
    assert "Number of flows terminated by autopilot: 5 [0.00%]" in report

    flows = (tmp_path / "table_full_flows.txt").read_text().splitlines()
    evicted = [l for l in flows[1:] if int(l.split("\t")[2], 16) & 0x0000040000000000]
    assert len(evicted) == 5
