"""t2diff.py: column-aware comparison of T2 packet and flow files.

The inputs are the goldens (golden/*_packets.txt) and T2's flow files from the
goldens (golden/*_flows.txt, T2's flow files), copied into a
temporary directory and altered there one cell, one row at a time.
"""
import os
import subprocess
import sys
import time

import pytest

import t2diff
from conftest import GOLDEN, ROOT

T2DIFF = ROOT / "scripts" / "t2diff.py"
VLAN = GOLDEN / "vlan_packets.txt"


def run(*args):
    """Run t2diff.py as a command; return the CompletedProcess (text, Latin-1)."""
    return subprocess.run([sys.executable, str(T2DIFF), *map(str, args)], capture_output=True,
                          text=True, encoding="latin-1", timeout=120)


def lines_of(path):
    return path.read_bytes().split(b"\n")


def set_cell(lines, key, column, value):
    """Set the cell of column in the row whose first key cells are key (b'17', b'B\\t5')."""
    header = lines[0].lstrip(b"%").split(b"\t")
    ci = header.index(column.encode())
    nk = key.count(b"\t") + 1
    for i, line in enumerate(lines[1:], 1):
        cells = line.split(b"\t")
        if b"\t".join(cells[:nk]) == key:
            old = cells[ci]
            cells[ci] = value
            lines[i] = b"\t".join(cells)
            return old
    raise KeyError(key)


def write(path, lines):
    path.write_bytes(b"\n".join(lines))
    return path


@pytest.fixture
def flows(tmp_path):
    """A copy of T2's flow file for vlan.pcap."""
    src = GOLDEN / "vlan_flows.txt"
    dst = tmp_path / "vlan_flows.txt"
    dst.write_bytes(src.read_bytes())
    return dst


def test_identical_files_exit_0(tmp_path):
    got = tmp_path / "vlan_packets.txt"
    got.write_bytes(VLAN.read_bytes())
    p = run(VLAN, got)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "identical" in p.stdout and p.stderr == ""


def test_one_changed_cell_names_row_column_and_values(tmp_path):
    lines = lines_of(VLAN)
    old = set_cell(lines, b"17", "srcIP", b"10.99.42.9")
    assert old == b"10.99.42.1"
    p = run(VLAN, write(tmp_path / "got.txt", lines))
    assert p.returncode == 1
    assert "pktNo 17: srcIP: expected '10.99.42.1', got '10.99.42.9'" in p.stdout
    # the count table: one line for srcIP, no other column
    table = p.stdout.split("differing rows\n", 2)[-1]
    assert [ln.split() for ln in table.strip().splitlines()[:1]] == [["srcIP", "1"]]
    assert "1 differing row" in p.stdout


def test_missing_and_extra_rows(tmp_path):
    lines = lines_of(VLAN)
    extra = lines[5].split(b"\t")
    extra[0] = b"999"
    lines = [ln for ln in lines if not ln.startswith(b"5\t")]
    lines.insert(-1, b"\t".join(extra))
    p = run(VLAN, write(tmp_path / "got.txt", lines))
    assert p.returncode == 1
    assert "missing rows (in expected only): 1: pktNo 5" in p.stdout
    assert "extra rows (in got only): 1: pktNo 999" in p.stdout
    assert "differing rows" not in p.stdout.split("\n\n")[0]
    # swapping the files swaps missing and extra
    q = run(tmp_path / "got.txt", VLAN)
    assert "missing rows (in expected only): 1: pktNo 999" in q.stdout
    assert "extra rows (in got only): 1: pktNo 5" in q.stdout


def test_consecutive_missing_packets_shown_as_range(tmp_path):
    lines = lines_of(VLAN)
    lines = lines[:1] + [ln for ln in lines[1:] if not ln or not 10 <= int(ln.split(b"\t")[0]) <= 20]
    p = run(VLAN, write(tmp_path / "got.txt", lines))
    assert p.returncode == 1 and "missing rows (in expected only): 11: pktNo 10-20" in p.stdout


def test_flow_rows_matched_by_dir_and_flow_index(flows, tmp_path):
    lines = lines_of(flows)
    # flow 5 has an A and a B row; change the B row only
    old = set_cell(lines, b"B\t5", "srcPort", b"4242")
    # and write the rows in reverse order: still matched by dir + flowInd
    body = [ln for ln in lines[1:] if ln]
    got = write(tmp_path / "got_flows.txt", [lines[0]] + body[::-1] + [b""])
    p = run(flows, got)
    assert p.returncode == 1
    assert f"flow B 5: srcPort: expected '{old.decode()}', got '4242'" in p.stdout
    assert "flow A 5" not in p.stdout
    assert "flow file: rows matched by dir + flowInd" in p.stdout
    assert "rows in a different order" in p.stdout


def test_flow_rows_in_another_order_are_equivalent_not_strict(flows, tmp_path):
    lines = lines_of(flows)
    body = [ln for ln in lines[1:] if ln]
    got = write(tmp_path / "got_flows.txt", [lines[0]] + body[::-1] + [b""])
    assert run(flows, got).returncode == 0
    assert run("--strict", flows, got).returncode == 1
    assert run("--strict", flows, flows).returncode == 0


def test_leading_comment_lines_are_skipped(flows, tmp_path):
    got = tmp_path / "got_flows.txt"
    got.write_bytes(b"# written by another build\n#\n" + flows.read_bytes())
    p = run(flows, got)
    assert p.returncode == 0 and "equivalent" in p.stdout


def test_columns_matched_by_name(tmp_path):
    lines = lines_of(VLAN)
    set_cell(lines, b"18", "dstPort", b"1")
    out = []
    for ln in lines:                 # drop pktIAT, swap srcIP and dstIP
        if not ln:
            out.append(ln)
            continue
        c = ln.split(b"\t")
        c[4:5] = []
        i, j = 12, 16                # srcIP, dstIP after the drop
        c[i], c[j] = c[j], c[i]
        out.append(b"\t".join(c))
    p = run(VLAN, write(tmp_path / "got.txt", out))
    assert p.returncode == 1
    assert "columns only in expected: pktIAT" in p.stdout
    assert "columns in a different order" in p.stdout
    assert "pktNo 18: dstPort:" in p.stdout
    assert "srcIP" not in p.stdout.split("differing rows")[-1]   # compared by name: equal
    # with pktIAT ignored the column sets agree; the dstPort cell still differs
    q = run("--ignore", "pktIAT", VLAN, tmp_path / "got.txt")
    assert q.returncode == 1 and "columns only in" not in q.stdout


def test_ignore_column(tmp_path):
    lines = lines_of(VLAN)
    set_cell(lines, b"3", "time", b"1.000000000")
    set_cell(lines, b"4", "pktIAT", b"9.000000000")
    got = write(tmp_path / "got.txt", lines)
    p = run(VLAN, got)
    assert p.returncode == 1 and "pktNo 3: time:" in p.stdout and "pktNo 4: pktIAT:" in p.stdout
    assert run("--ignore", "time", VLAN, got).returncode == 1
    for args in (["--ignore", "time,pktIAT"], ["--ignore", "time", "--ignore", "pktIAT"]):
        q = run(*args, VLAN, got)
        assert q.returncode == 0, q.stdout
        assert "ignored columns: pktIAT, time" in q.stdout
        assert run("--strict", *args, VLAN, got).returncode == 0


def test_max_limits_rows_shown_not_counted(tmp_path):
    lines = lines_of(VLAN)
    for n in range(20, 27):
        set_cell(lines, str(n).encode(), "tcpWinSize", b"7")
    got = write(tmp_path / "got.txt", lines)
    p = run("--max", "2", VLAN, got)
    assert p.returncode == 1
    shown = [ln for ln in p.stdout.splitlines() if ": tcpWinSize: expected" in ln]
    assert len(shown) == 2
    assert "5 more differing rows not shown (--max 2)" in p.stdout
    assert any(ln.split() == ["tcpWinSize", "7"] for ln in p.stdout.splitlines())
    full = run(VLAN, got)              # the default shows all seven
    assert len([ln for ln in full.stdout.splitlines() if ": tcpWinSize: expected" in ln]) == 7
    assert run("--max", "-1", VLAN, got).returncode == 2


def test_missing_file_exit_2_one_line(tmp_path):
    missing = tmp_path / "nope_packets.txt"
    p = run(VLAN, missing)
    assert p.returncode == 2 and p.stdout == ""
    assert p.stderr.count("\n") == 1 and str(missing) in p.stderr
    q = run(missing, VLAN)
    assert q.returncode == 2 and q.stderr.count("\n") == 1 and str(missing) in q.stderr


def test_not_a_t2_file_exit_2(tmp_path, flows):
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"hello\n")
    p = run(VLAN, junk)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and str(junk) in p.stderr
    q = run(VLAN, flows)               # a packet file against a flow file
    assert q.returncode == 2 and q.stderr.count("\n") == 1


def test_any_bytes_in_cells(tmp_path):
    exp = tmp_path / "a.txt"
    got = tmp_path / "b.txt"
    exp.write_bytes(b"%pktNo\tflowInd\tl7Content\n1\t1\t\xff\xfe\x00\x80abc\n")
    got.write_bytes(b"%pktNo\tflowInd\tl7Content\n1\t1\t\xff\xfd\x00\x80abc\n")
    p = run(exp, got)
    assert p.returncode == 1 and "pktNo 1: l7Content:" in p.stdout


def test_long_payload_shown_at_first_difference(tmp_path):
    payload = b"A" * 500 + b"B" + b"C" * 500
    exp = tmp_path / "a.txt"
    got = tmp_path / "b.txt"
    exp.write_bytes(b"%pktNo\tflowInd\tl7Content\n1\t1\t" + payload + b"\n")
    got.write_bytes(b"%pktNo\tflowInd\tl7Content\n1\t1\t" + payload.replace(b"B", b"X") + b"\n")
    line = next(ln for ln in run(exp, got).stdout.splitlines() if "l7Content:" in ln)
    assert "B" in line and "X" in line and "differs at char 501" in line and len(line) < 400
    assert len(next(ln for ln in run("--full", exp, got).stdout.splitlines()
                    if "l7Content:" in ln)) > 2000


def test_ragged_rows_are_compared(tmp_path):
    exp = tmp_path / "a.txt"
    got = tmp_path / "b.txt"
    exp.write_bytes(b"%pktNo\tflowInd\tx\n1\t1\ta\n2\t1\tb\tsurplus\n")
    got.write_bytes(b"%pktNo\tflowInd\tx\n1\t1\n2\t1\tb\n")
    p = run(exp, got)
    assert p.returncode == 1
    assert "pktNo 1: x: expected 'a', got <absent>" in p.stdout
    assert "pktNo 2: (extra cells): expected 'surplus', got <absent>" in p.stdout


def test_large_file_is_quick(tmp_path):
    src = GOLDEN / "many_flows_packets.txt"
    if not src.exists():
        pytest.skip("no many_flows golden")
    lines = lines_of(src)
    set_cell(lines, b"30000", "l4Proto", b"99")
    got = write(tmp_path / "got.txt", lines)
    t = time.monotonic()
    diff = t2diff.compare_files(src, got)
    report = t2diff.format_report(diff)
    assert time.monotonic() - t < 15
    assert not diff.equivalent and diff.counts["l4Proto"] == 1
    assert "pktNo 30000: l4Proto:" in report


def test_module_api(tmp_path):
    lines = lines_of(VLAN)
    set_cell(lines, b"17", "srcIP", b"10.99.42.9")
    diff = t2diff.compare_files(VLAN, write(tmp_path / "got.txt", lines))
    assert not diff.equivalent and not diff.byte_identical
    assert diff.worst_columns() == [("srcIP", 1)]
    assert diff.rows == [(("17",), [("srcIP", b"10.99.42.1", b"10.99.42.9")])]
    assert t2diff.compare_files(VLAN, VLAN).strictly_identical
    with pytest.raises(t2diff.T2DiffError):
        t2diff.compare_files(VLAN, tmp_path / "missing.txt")


def test_runs_as_a_command():
    assert os.access(T2DIFF, os.X_OK)
    assert T2DIFF.read_text().startswith("#!/usr/bin/env python3\n")
    p = subprocess.run([str(T2DIFF), str(VLAN), str(VLAN)], capture_output=True, timeout=60)
    assert p.returncode == 0
