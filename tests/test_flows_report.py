"""Flow file, headers file and end report equal Tranalyzer2 0.9.3's.

- NAME_flows.txt: byte for byte.
- NAME_headers.txt: byte for byte from the line "# Plugins loaded:" on; the
  lines above describe the run (date, version, PID, command line, host).
- The end report (stdout): line for line from "Dump start:" on, except the
  lines that depend on the run or on T2's memory layout ("Finished
  processing. Elapsed time:", "Finished unloading flow memory.", "Memory
  usage:") and the bracketed share on "Max number of flows in memory:".
  Where a golden report was made from another file with the same packets
  (tcp_http and ipv6_mix have .pcap and .pcapng copies; the goldens come from
  the .pcapng), the two lines that depend on the file size ("Percentage
  completed:", "Number of pcap bytes:") are not compared either.
"""
import re

import pytest

from conftest import RUN_DEPENDENT, captures_with_golden, report_tail, run_t2mini

FILE_SIZE_DEPENDENT = ("Percentage completed:", "Number of pcap bytes:")


def report_lines(text, skip):
    """report_tail(), which must find the report's "Dump start:" line."""
    assert "\nDump start:" in "\n" + text, "no 'Dump start:' line in the report"
    return report_tail(text, skip)


def first_line_difference(expected, got):
    for n, (e, g) in enumerate(zip(expected, got)):
        if e != g:
            return f"line {n + 1}:\n  expected {e!r}\n  got      {g!r}"
    return f"expected {len(expected)} lines, got {len(got)}"


FLOWS = captures_with_golden("_flows.txt")
HEADERS = captures_with_golden("_headers.txt")
REPORTS = captures_with_golden("_report.txt")


@pytest.mark.parametrize("capture,golden", FLOWS, ids=[c.name for c, _ in FLOWS])
def test_flow_file_matches_golden(t2mini, tmp_path, capture, golden):
    proc = run_t2mini(t2mini, capture, tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = (tmp_path / (capture.stem + "_flows.txt")).read_bytes()
    expected = golden.read_bytes()
    if got != expected:
        pytest.fail("flow file differs: " + first_line_difference(
            expected.decode("latin-1").split("\n"), got.decode("latin-1").split("\n")))


@pytest.mark.parametrize("capture,golden", HEADERS, ids=[c.name for c, _ in HEADERS])
def test_headers_file_matches_golden(t2mini, tmp_path, capture, golden):
    proc = run_t2mini(t2mini, capture, tmp_path)
    assert proc.returncode == 0, proc.stderr
    got = (tmp_path / (capture.stem + "_headers.txt")).read_text()
    expected = golden.read_text()
    marker = "# Plugins loaded:"
    assert got[got.index(marker):] == expected[expected.index(marker):]
    assert got.startswith("# Date: ") and "t2mini" in got.split("\n")[1]


@pytest.mark.parametrize("capture,golden", REPORTS, ids=[c.name for c, _ in REPORTS])
def test_report_matches_golden(t2mini, tmp_path, capture, golden):
    proc = run_t2mini(t2mini, capture, tmp_path)
    assert proc.returncode == 0, proc.stderr
    expected_text = golden.read_text()
    skip = RUN_DEPENDENT
    m = re.search(r"^Number of pcap bytes: (\d+)", expected_text, re.M)
    if m and int(m.group(1)) != capture.stat().st_size:
        skip = RUN_DEPENDENT + FILE_SIZE_DEPENDENT   # golden made from the other format
    expected = report_lines(expected_text, skip)
    got = report_lines(proc.stdout, skip)
    if got != expected:
        pytest.fail("end report differs: " + first_line_difference(expected, got))
    assert proc.stdout.split("\n")[1].startswith("t2mini ")
