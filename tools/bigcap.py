#!/usr/bin/python3
"""Large-file check for make portability: a capture over 4 GiB, read to the end.

    tools/bigcap.py --t2mini BIN [--reference BIN] --dir DIR

Writes DIR/big.pcap (sparse: about 64 MiB on disk, 4.3 GB long), runs BIN on
it, and checks that every record was read, the last one (past 4 GiB) too,
and that the end report gives the file's full size.  With --reference (a
64-bit build) the packet and flow files must also be byte for byte the same
as the reference's.  The capture is deleted afterwards.

The records are 262,144 bytes long in a file whose snapshot length is
65,535, so libpcap cuts each one and t2mini measures its real length from the
read position (ftello): past 2 and 4 GiB that needs 64-bit file offsets.
Each record is an Ethernet/IPv4/UDP packet whose IP length covers only the
headers; the rest of the record is a hole in the file (zeros).
"""
import argparse
import os
import pathlib
import shutil
import struct
import subprocess
import sys

SNAPLEN = 65535
RECORD = 262144                 # captured length each record claims
GIB4 = 4 << 30
LAST_TEXT = b"the last record, past 4 GiB"


def udp_frame(sport, dport, payload=b""):
    """Ethernet + IPv4 + UDP headers (no checksums) and a payload."""
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    total = 20 + 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0)
    return eth + ip + udp + payload


def write_capture(path):
    """Write the sparse capture; return its number of records and size."""
    count = 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, SNAPLEN, 1))
        while f.tell() < GIB4:
            frame = udp_frame(1000 + count % 8, 53)
            f.write(struct.pack("<IIII", 1000000 + count, 0, RECORD, RECORD))
            f.write(frame)
            f.seek(RECORD - len(frame), os.SEEK_CUR)     # a hole
            count += 1
        frame = udp_frame(4242, 4242, LAST_TEXT)
        f.write(struct.pack("<IIII", 1000000 + count, 0, len(frame), len(frame)))
        f.write(frame)
        count += 1
        size = f.tell()
    return count, size


def run(binary, capture, outdir):
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [str(binary), "-r", str(capture), "-s", "-w", f"{outdir}/"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        sys.exit(f"bigcap: {binary} exited {proc.returncode}: {proc.stderr.strip()}")
    return proc.stdout


def check(binary, reference, workdir):
    capture = workdir / "big.pcap"
    count, size = write_capture(capture)
    try:
        report = run(binary, capture, workdir / "out")
        want = [f"Number of processed packets: {count} ", f"Number of pcap bytes: {size} "]
        for line in want:
            if line not in report:
                sys.exit(f"bigcap: the end report lacks '{line.strip()}'")
        packets = (workdir / "out" / "big_packets.txt").read_bytes().splitlines()
        if len(packets) != count + 1:
            sys.exit(f"bigcap: {len(packets) - 1} packet lines, not {count}")
        if LAST_TEXT not in packets[-1]:
            sys.exit("bigcap: the last packet line does not show the last record")
        if reference:
            run(reference, capture, workdir / "ref")
            for name in ("big_packets.txt", "big_flows.txt"):
                if (workdir / "out" / name).read_bytes() != (workdir / "ref" / name).read_bytes():
                    sys.exit(f"bigcap: {name} differs from the reference build's")
    finally:
        capture.unlink()
    print(f"bigcap: {count} records, {size} bytes, read to the end: ok")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--t2mini", required=True)
    ap.add_argument("--reference")
    ap.add_argument("--dir", required=True)
    a = ap.parse_args()
    workdir = pathlib.Path(a.dir)
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    check(a.t2mini, a.reference, workdir)
    shutil.rmtree(workdir)


if __name__ == "__main__":
    main()
