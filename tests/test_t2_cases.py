"""Small crafted captures on which t2mini once departed from T2 0.9.3.

Each tests/t2_cases/NAME.pcap comes with NAME_packets.txt, the packet file
Tranalyzer2 0.9.3 wrote for it (`t2 -r NAME.pcap -w DIR/ -s`); the captures
were made by a differential test of t2mini against T2, and what each one
checks is listed in tests/t2_cases/README.md.
"""
import pathlib

import pytest

from conftest import run_t2mini
from test_flows_report import RUN_DEPENDENT, first_line_difference, report_lines
from test_packets import first_difference

CASES_DIR = pathlib.Path(__file__).resolve().parent / "t2_cases"
CASES = sorted(CASES_DIR.glob("*.pcap"))


@pytest.mark.parametrize("capture", CASES, ids=[c.stem for c in CASES])
def test_packet_file_matches_t2(t2mini, geo, tmp_path, capture):
    expected = (CASES_DIR / (capture.stem + "_packets.txt")).read_bytes()
    proc = run_t2mini(t2mini, capture, tmp_path, geo)
    out = tmp_path / (capture.stem + "_packets.txt")
    got = out.read_bytes()
    if got != expected:
        pytest.fail(f"{capture.name}: " + first_difference(expected, got))
    flows = CASES_DIR / (capture.stem + "_flows.txt")
    if flows.exists():
        assert (tmp_path / flows.name).read_bytes() == flows.read_bytes(), f"{flows.name} differs"
    report = CASES_DIR / (capture.stem + "_report.txt")
    if report.exists():
        expected_lines = report_lines(report.read_text(), RUN_DEPENDENT)
        got_lines = report_lines(proc.stdout, RUN_DEPENDENT)
        if got_lines != expected_lines:
            pytest.fail(f"{report.name}: " + first_line_difference(expected_lines, got_lines))
    # an unsupported link type is an error, as in T2; everything else is fine
    assert proc.returncode == (1 if capture.stem.startswith("lt_unsupported") else 0), proc.stderr
