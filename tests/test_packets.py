"""The packet file of every capture in data/ equals its golden, byte for byte.

The goldens in golden/ are what Tranalyzer2 0.9.3 wrote for the same
captures.  On a difference the failure names the first differing packet and
column, with both values.
"""
import pytest

from conftest import captures_with_golden, run_t2mini

CASES = captures_with_golden("_packets.txt")


def first_difference(expected: bytes, got: bytes) -> str:
    """Describe the first line where two packet files differ."""
    exp_lines = expected.split(b"\n")
    got_lines = got.split(b"\n")
    header = exp_lines[0].decode("latin-1").lstrip("%").split("\t")
    for n, (e, g) in enumerate(zip(exp_lines, got_lines)):
        if e == g:
            continue
        if n == 0:
            return f"header line differs:\n  expected {e!r}\n  got      {g!r}"
        ec = e.decode("latin-1").split("\t")
        gc = g.decode("latin-1").split("\t")
        pkt = ec[0] if ec else "?"
        for i in range(max(len(ec), len(gc))):
            ev = ec[i] if i < len(ec) else "<missing>"
            gv = gc[i] if i < len(gc) else "<missing>"
            if ev != gv:
                col = header[i] if i < len(header) else f"column {i + 1}"
                return (f"line {n + 1} (pktNo {pkt}), column {col}:\n"
                        f"  expected {ev!r}\n  got      {gv!r}")
        return f"line {n + 1} (pktNo {pkt}) differs"
    if len(exp_lines) != len(got_lines):
        return f"expected {len(exp_lines) - 1} lines, got {len(got_lines) - 1}"
    return "files differ"


@pytest.mark.parametrize("tables", ["built-in", "-G data"])
@pytest.mark.parametrize("capture,golden", CASES, ids=[c.name for c, _ in CASES])
def test_packet_file_matches_golden(t2mini, geo, tmp_path, capture, golden, tables):
    """The plain command, and the same with the shipped tables read as text
    (-G): the compiled-in tables are what the text loader builds."""
    proc = run_t2mini(t2mini, capture, tmp_path, geo if tables == "-G data" else None)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / (capture.stem + "_packets.txt")
    got = out.read_bytes()
    expected = golden.read_bytes()
    if got != expected:
        pytest.fail(f"{out.name} differs from {golden.name}: " + first_difference(expected, got))


def test_first_difference_names_packet_and_column():
    expected = b"%pktNo\tflowInd\tsrcIP\n1\t1\t10.0.0.1\n2\t1\t10.0.0.2\n"
    got = b"%pktNo\tflowInd\tsrcIP\n1\t1\t10.0.0.1\n2\t1\t10.0.0.9\n"
    msg = first_difference(expected, got)
    assert "pktNo 2" in msg and "column srcIP" in msg
    assert "'10.0.0.2'" in msg and "'10.0.0.9'" in msg
