"""Bad input: one clear line on stderr naming the file and the problem, a
defined exit status, no crash or hang, and every packet before the fault in
the packet file.

Exit status: 0 when the capture was processed (also when reading stopped
early; a warning says where), 1 when t2mini could not do its job (input
unreadable, output not writable, bad subnet table), 2 for usage errors.
"""
import os
import struct
import subprocess

import pytest

from conftest import DATA

PCAP_HEADER = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1)


def run(t2mini, *args, cwd=None):
    return subprocess.run([str(t2mini), *map(str, args)], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def records(path, n):
    """The first n records of a microsecond pcap, as raw bytes."""
    data = path.read_bytes()
    off, out = 24, []
    for _ in range(n):
        caplen = struct.unpack("<I", data[off + 8:off + 12])[0]
        out.append(data[off:off + 16 + caplen])
        off += 16 + caplen
    return data[:24], out


def one_line(stderr):
    lines = [ln for ln in stderr.split("\n") if ln]
    assert len(lines) == 1, stderr
    return lines[0]


def packet_lines(path):
    return [ln for ln in path.read_text(errors="replace").split("\n")[1:] if ln]


def test_missing_file(t2mini, tmp_path):
    p = run(t2mini, "-r", tmp_path / "nope.pcap", "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "nope.pcap" in line and "No such file" in line


def test_directory(t2mini, tmp_path):
    p = run(t2mini, "-r", tmp_path, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    assert "directory" in one_line(p.stderr)


def test_empty_file(t2mini, tmp_path):
    f = tmp_path / "empty.pcap"
    f.write_bytes(b"")
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    assert "empty.pcap" in one_line(p.stderr)


def test_not_a_capture(t2mini, tmp_path):
    f = tmp_path / "notes.pcap"
    f.write_text("this is not a capture\n" * 10)
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    assert "notes.pcap" in one_line(p.stderr)


@pytest.mark.parametrize("cut", ["in_header", "in_record"])
def test_truncated_capture_keeps_earlier_packets(t2mini, tmp_path, cut):
    head, recs = records(DATA / "tcp_http.pcap", 6)
    tail = recs[5][:7] if cut == "in_header" else recs[5][:40]
    f = tmp_path / "cut.pcap"
    f.write_bytes(head + b"".join(recs[:5]) + tail)
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0, p.stderr
    line = one_line(p.stderr)
    assert "cut.pcap" in line and "after packet 5" in line
    got = packet_lines(tmp_path / "cut_packets.txt")
    assert [ln.split("\t")[0] for ln in got] == ["1", "2", "3", "4", "5"]


def test_unsupported_link_type(t2mini, tmp_path):
    f = tmp_path / "user0.pcap"
    f.write_bytes(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 147) +
                  struct.pack("<IIII", 1, 0, 4, 4) + b"abcd")
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "user0.pcap" in line and "unsupported link-layer type" in line and "/147]" in line
    # as T2: the files exist with their header lines and nothing else
    assert (tmp_path / "user0_packets.txt").read_text().startswith("%pktNo\t")
    assert len((tmp_path / "user0_packets.txt").read_text().splitlines()) == 1
    assert len((tmp_path / "user0_flows.txt").read_text().splitlines()) == 1


def test_unsupported_link_type_without_records(t2mini, tmp_path):
    f = tmp_path / "user0.pcap"
    f.write_bytes(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 147))
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0, p.stderr
    assert len((tmp_path / "user0_packets.txt").read_text().splitlines()) == 1


@pytest.mark.parametrize("inner_dlt", [203, 177, 192], ids=["lapd", "linux_lapd", "ppi"])
def test_ppi_frame_that_stops_t2(t2mini, tmp_path, inner_dlt):
    """A PPI header naming LAPD (or PPI again) ends T2's run at that packet:
    t2mini stops there too, with one line naming the file and the packet."""
    head, recs = records(DATA / "arp_l2.pcap", 3)
    ppi = lambda dlt, frame: struct.pack("<BBHI", 0, 0, 8, dlt) + frame
    out = struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 192)
    for i, rec in enumerate(recs):
        frame = ppi(inner_dlt if i == 2 else 1, rec[16:])
        out += rec[:8] + struct.pack("<II", len(frame), len(frame)) + frame
    f = tmp_path / "ppi.pcap"
    f.write_bytes(out)
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "ppi.pcap" in line and "packet 3" in line
    got = (tmp_path / "ppi_packets.txt").read_text().splitlines()[1:]
    assert [ln.split("\t")[0] for ln in got] == ["1", "2"]
    assert "Dump stop" not in p.stdout       # no end report, as in T2


def test_caplen_larger_than_snaplen(t2mini, tmp_path):
    head, recs = records(DATA / "arp_l2.pcap", 2)
    big = struct.pack("<IIII", 1795660000, 0, 70000, 70000) + recs[0][16:] + bytes(70000 - len(recs[0]) + 16)
    f = tmp_path / "big.pcap"
    f.write_bytes(PCAP_HEADER + recs[0] + big + recs[1])
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0
    line = one_line(p.stderr)
    assert "big.pcap" in line and "packet 2" in line and "snapshot length" in line
    assert len(packet_lines(tmp_path / "big_packets.txt")) == 3


def test_caplen_larger_than_256k(t2mini, tmp_path):
    # libpcap refuses the record header; like T2, t2mini reads on right after
    # it, so the 300000 zero bytes read as 18750 empty records (counted, no
    # line) and the record after them is read again (T2 0.9.3 does the same)
    _, recs = records(DATA / "arp_l2.pcap", 2)
    huge = struct.pack("<IIII", 1795660000, 0, 300000, 300000) + bytes(300000)
    f = tmp_path / "huge.pcap"
    f.write_bytes(PCAP_HEADER + recs[0] + huge + recs[1])
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0
    line = one_line(p.stderr)
    assert "huge.pcap" in line and "after packet 1" in line and "300000" in line
    assert len(packet_lines(tmp_path / "huge_packets.txt")) == 2
    assert "[WRN] pcap_dispatch failed: invalid packet capture length 300000" in p.stdout
    assert "Number of processed packets: 18752 (18.75 K)" in p.stdout


def test_reading_goes_on_after_bad_record_headers(t2mini, tmp_path):
    # garbage where a record header should be: several distinct read errors,
    # one line on stderr, each error in the report, and the records after the
    # garbage still read (T2 0.9.3 wrote the same packet file for this)
    _, recs = records(DATA / "arp_l2.pcap", 3)
    garbage = struct.pack("<IIII", 1, 2, 0x00420000, 0) + struct.pack("<IIII", 3, 4, 0x00080000, 0)
    f = tmp_path / "garbage.pcap"
    f.write_bytes(PCAP_HEADER + recs[0] + garbage + recs[1] + recs[2])
    p = run(t2mini, "-r", f, "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0
    line = one_line(p.stderr)
    assert "garbage.pcap" in line and "after packet 1" in line
    errors = [ln for ln in p.stdout.splitlines() if ln.startswith("[WRN] pcap_dispatch failed")]
    assert len(errors) == 2
    assert len(packet_lines(tmp_path / "garbage_packets.txt")) == 3


def test_output_directory_missing(t2mini, tmp_path):
    p = run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", "/nonexistent/")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "/nonexistent/arp_l2" in line and "No such file" in line


def test_dump_file_that_cannot_be_created(t2mini, tmp_path):
    """--dump FILE: one line that names the file once, then the reason."""
    dump = tmp_path / "no_such_dir" / "x.pcap"
    p = run(t2mini, "-r", DATA / "arp_l2.pcap", "--dump", dump, "-w", f"{tmp_path}/")
    assert p.returncode == 1
    assert one_line(p.stderr) == f"t2mini: {dump}: cannot write packets: No such file or directory"


def test_output_directory_not_writable(t2mini, tmp_path):
    if os.geteuid() == 0:
        target = "/proc/"            # not writable even for root
    else:
        d = tmp_path / "ro"
        d.mkdir()
        d.chmod(0o555)
        target = f"{d}/"
    p = run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", target)
    assert p.returncode == 1
    assert "arp_l2_packets.txt" in one_line(p.stderr)


def test_full_disk_is_reported(t2mini, tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    (tmp_path / "tcp_http_packets.txt").symlink_to("/dev/full")
    p = run(t2mini, "-r", DATA / "tcp_http.pcap", "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "tcp_http_packets.txt" in line and "No space left" in line


def test_report_to_full_stdout_is_reported(t2mini, tmp_path):
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        p = subprocess.run([str(t2mini), "-r", str(DATA / "arp_l2.pcap"), "-w", f"{tmp_path}/"],
                           stdout=full, stderr=subprocess.PIPE, text=True, timeout=60)
    assert p.returncode == 1
    assert "write failed" in one_line(p.stderr)


def test_geo_directory_missing(t2mini, tmp_path):
    p = run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", f"{tmp_path}/", "-G", tmp_path / "nogeo")
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "nogeo/subnets4.txt" in line


def test_geo_table_malformed_names_the_line(t2mini, tmp_path):
    geo = tmp_path / "geo"
    geo.mkdir()
    good = "10.0.0.0/8\t10.0.0.0-10.255.255.255\t0x0\t0\t-1\t0\t0\t04\t-\t-\tPrivate\n"
    (geo / "subnets4.txt").write_text("#\t5\t1\n# header\n" + good + "garbage line\n")
    (geo / "subnets6.txt").write_text("#\t5\t1\n")
    p = run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", f"{tmp_path}/", "-G", geo)
    assert p.returncode == 1
    line = one_line(p.stderr)
    assert "subnets4.txt:4" in line and "malformed" in line


def test_malformed_packets_do_not_stop_processing(t2mini, tmp_path):
    """malformed.pcap is full of broken headers; every packet is processed."""
    p = run(t2mini, "-r", DATA / "malformed.pcap", "-s", "-w", f"{tmp_path}/")
    assert p.returncode == 0 and p.stderr == ""
    assert packet_lines(tmp_path / "malformed_packets.txt")[-1].startswith("69\t")


REGRESSIONS = sorted((DATA.parent / "tests" / "fuzz_regressions").glob("*"))


@pytest.mark.parametrize("case", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_fuzz_regression_inputs(t2mini, tmp_path, case):
    """Inputs the fuzzer once found: processed or refused, never a crash."""
    p = run(t2mini, "-r", case, "-s", "-w", f"{tmp_path}/")
    assert p.returncode in (0, 1), p.stderr
    assert "Sanitizer" not in p.stderr and "runtime error" not in p.stderr
