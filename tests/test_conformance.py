"""tests/conformance.py: run a build on every capture, compare with the goldens.

One test runs the runner on t2mini itself (which matches every golden); the
others use a fake "other build": a small script that copies the goldens as
its output, with one cell altered, and records how it was called.
"""
import re
import shutil
import subprocess
import sys

import pytest

from conftest import DATA, GOLDEN, ROOT, captures_with_golden

RUNNER = ROOT / "scripts" / "conformance.py"

FAKE = '''#!{python}
"""A fake T2 build: writes the goldens from {src} as its output."""
import pathlib
import sys

SRC = pathlib.Path({src!r})
ALTER = {alter!r}     # "NAME_KIND": (row key, column, new value)
args = sys.argv[1:]
if args == ["--version"]:
    print({version!r})
    sys.exit(0)
with open({log!r}, "a") as f:
    f.write(repr(args) + "\\n")
cap = pathlib.Path(args[args.index("-r") + 1])
out = args[args.index("-w") + 1]
for kind in {kinds!r}:
    name = f"{{cap.stem}}_{{kind}}"
    g = SRC / f"{{name}}.txt"
    if not g.exists():
        continue
    lines = g.read_bytes().split(b"\\n")
    if name in ALTER:
        key, col, value = ALTER[name]
        header = lines[0].lstrip(b"%").split(b"\\t")
        ci = header.index(col.encode())
        nk = key.count("\\t") + 1
        for i, line in enumerate(lines[1:], 1):
            cells = line.split(b"\\t")
            if b"\\t".join(cells[:nk]) == key.encode():
                cells[ci] = value.encode()
                lines[i] = b"\\t".join(cells)
    pathlib.Path(out + name + ".txt").write_bytes(b"\\n".join(lines))
print("fake T2: done")
'''


def fake_build(tmp_path, src=GOLDEN, alter=None, version="Tranalyzer 0.9.3 (fake)",
               kinds=("packets", "flows")):
    script = tmp_path / "fake_t2"
    log = tmp_path / "fake_t2.log"
    script.write_text(FAKE.format(python=sys.executable, src=str(src), alter=alter or {},
                                  version=version, log=str(log), kinds=tuple(kinds)))
    script.chmod(0o755)
    return script, log


def broken_build(tmp_path, script):
    """A 'build' that is the given shell script text."""
    t2 = tmp_path / "broken_t2"
    t2.write_text(script)
    t2.chmod(0o755)
    return t2


def data_dir(tmp_path, *names):
    """A data directory holding copies of some captures of data/."""
    d = tmp_path / "data"
    d.mkdir()
    for n in names:
        shutil.copy(DATA / n, d / n)
    return d


def run(*args):
    return subprocess.run([sys.executable, str(RUNNER), *map(str, args)], capture_output=True,
                          text=True, encoding="latin-1", timeout=1200)


def summary_rows(stdout):
    """{(capture, file): [result, exit, diff rows, missing, extra, worst columns]}
    from the summary table, cut at the columns its dashed line marks."""
    lines = stdout.rsplit("\ncapture ", 1)[1].splitlines()
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[1])]
    spans[-1] = (spans[-1][0], None)            # worst columns: to the end of the line
    rows = {}
    for line in lines[2:]:
        if not line.strip():
            break
        cells = [line[a:b].strip() for a, b in spans]
        rows[(cells[0], cells[1])] = cells[2:]
    return rows


def test_t2mini_matches_every_golden(t2mini, geo, tmp_path):
    p = run("--geo", geo, "--out", tmp_path / "out", t2mini)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "(t2mini, -G " in p.stdout           # found out by asking t2mini --version
    rows = summary_rows(p.stdout)
    cases = captures_with_golden("_packets.txt")
    assert cases
    for cap, _ in cases:
        assert rows[(cap.name, "packets")][:2] == ["identical", "0"], cap.name
        assert (tmp_path / "out" / cap.name / (cap.stem + "_packets.txt")).exists()
    for (cap, kind), cells in rows.items():     # flow goldens, captures without golden
        assert cells[0] in ("identical", "no golden", "not written"), (cap, kind, cells)
    n = sum(1 for cells in rows.values() if cells[0] == "identical")
    assert n >= len(cases)
    assert f"{n} files compared: {n} identical, 0 not" in p.stdout


def test_other_build_with_one_changed_cell(tmp_path):
    data = data_dir(tmp_path, "vlan.pcap", "arp_l2.pcap")
    t2, log = fake_build(tmp_path, alter={"vlan_packets": ("17", "srcIP", "10.99.42.9")},
                         kinds=("packets",))
    p = run("--data", data, t2)
    assert p.returncode == 1, p.stdout + p.stderr
    assert "(not t2mini)" in p.stdout
    rows = summary_rows(p.stdout)
    assert rows[("arp_l2.pcap", "packets")][:2] == ["identical", "0"]
    vlan = rows[("vlan.pcap", "packets")]
    assert vlan == ["differs", "0", "1", "0", "0", "srcIP (1)"]
    assert "pktNo 17: srcIP: expected '10.99.42.1', got '10.99.42.9'" in p.stdout
    assert "2 files compared: 1 identical, 1 not" in p.stdout
    # the build was called as T2 is: -r CAPTURE -w OUTDIR/ -s, no -G
    calls = [eval(ln) for ln in log.read_text().splitlines()]
    assert len(calls) == 2
    for c in calls:
        assert c[0] == "-r" and c[2] == "-w" and c[3].endswith("/") and c[4:] == ["-s"]


def test_ignore_and_max_are_passed_on(tmp_path):
    data = data_dir(tmp_path, "vlan.pcap")
    t2, _ = fake_build(tmp_path, alter={"vlan_packets": ("17", "srcIP", "10.99.42.9")})
    p = run("--data", data, "--ignore", "srcIP", t2)
    assert p.returncode == 0, p.stdout
    assert summary_rows(p.stdout)[("vlan.pcap", "packets")][0] == "identical"
    q = run("--data", data, "--max", "0", t2)
    assert q.returncode == 1 and "pktNo 17" not in q.stdout


def test_t2mini_gets_geo_tables(tmp_path):
    data = data_dir(tmp_path, "arp_l2.pcap")
    geo = tmp_path / "geo"
    geo.mkdir()
    (geo / "subnets4.txt").write_text("")
    (geo / "subnets6.txt").write_text("")
    t2, log = fake_build(tmp_path, version="t2mini 0.9.3 (fake)")
    p = run("--data", data, "--geo", geo, t2)
    assert p.returncode == 0, p.stdout + p.stderr
    assert eval(log.read_text().splitlines()[0])[-2:] == ["-G", str(geo.resolve())]
    log.unlink()
    assert run("--data", data, "--geo", geo, "--no-t2mini", t2).returncode == 0
    assert "-G" not in eval(log.read_text().splitlines()[0])


def test_flow_files_compared_when_both_exist(tmp_path):
    golden = tmp_path / "golden"
    golden.mkdir()
    for n in ("vlan_packets.txt", "vlan_flows.txt", "arp_l2_packets.txt", "arp_l2_flows.txt"):
        shutil.copy(GOLDEN / n, golden / n)
    data = data_dir(tmp_path, "vlan.pcap", "arp_l2.pcap")
    t2, _ = fake_build(tmp_path, src=golden,
                       alter={"vlan_flows": ("B\t5", "dstPort", "9")})
    p = run("--data", data, "--golden", golden, t2)
    assert p.returncode == 1
    rows = summary_rows(p.stdout)
    assert rows[("arp_l2.pcap", "flows")][0] == "identical"
    assert rows[("vlan.pcap", "packets")][0] == "identical"
    assert rows[("vlan.pcap", "flows")] == ["differs", "0", "1", "0", "0", "dstPort (1)"]
    assert "flow B 5: dstPort:" in p.stdout
    # a build that writes no flow file (packet mode only) is not judged on them
    t2p, _ = fake_build(tmp_path, src=golden, kinds=("packets",))
    q = run("--data", data, "--golden", golden, t2p)
    assert q.returncode == 0, q.stdout
    assert summary_rows(q.stdout)[("vlan.pcap", "flows")][0] == "not written"


def test_capture_without_golden_is_skipped(tmp_path):
    data = data_dir(tmp_path, "arp_l2.pcap")
    (data / "other.pcap").write_bytes((DATA / "arp_l2.pcap").read_bytes())
    t2, _ = fake_build(tmp_path)
    p = run("--data", data, t2)
    assert p.returncode == 0
    assert summary_rows(p.stdout)[("other.pcap", "-")] == ["no golden", "", "", "", "", ""]
    assert "1 capture(s) without a golden skipped" in p.stdout


def test_build_writing_nothing_fails(tmp_path):
    data = data_dir(tmp_path, "arp_l2.pcap")
    t2 = broken_build(tmp_path, "#!/bin/sh\necho 'broken: cannot do it' >&2\nexit 1\n")
    p = run("--data", data, t2)
    assert p.returncode == 1
    assert summary_rows(p.stdout)[("arp_l2.pcap", "packets")][:2] == ["no output", "1"]
    assert "broken: cannot do it" in p.stdout


def test_missing_build_exit_2(tmp_path):
    p = run(tmp_path / "no_such_t2")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "no_such_t2" in p.stderr
    assert p.stdout == ""


def test_reference_build_instead_of_goldens(t2mini, geo, tmp_path):
    # the captures come without goldens: t2mini's output is the reference
    data = data_dir(tmp_path, "vlan.pcap", "arp_l2.pcap")
    t2, log = fake_build(tmp_path, alter={"vlan_packets": ("17", "srcIP", "10.99.42.9")},
                         kinds=("packets", "flows"))
    p = run("--data", data, "--golden", tmp_path / "no_goldens", "--reference", t2mini,
            "--geo", geo, "--out", tmp_path / "out", t2)
    assert p.returncode == 1, p.stdout + p.stderr
    assert f"the output of {t2mini}" in p.stdout
    rows = summary_rows(p.stdout)
    assert rows[("arp_l2.pcap", "packets")][:2] == ["identical", "0"]
    assert rows[("vlan.pcap", "packets")] == ["differs", "0", "1", "0", "0", "srcIP (1)"]
    assert rows[("vlan.pcap", "flows")][0] == "identical"
    assert "pktNo 17: srcIP: expected '10.99.42.1', got '10.99.42.9'" in p.stdout
    # each build wrote into its own directory; t2mini, the reference, got -G
    assert (tmp_path / "out" / "reference" / "vlan.pcap" / "vlan_packets.txt").exists()
    assert (tmp_path / "out" / "build" / "vlan.pcap" / "vlan_packets.txt").exists()
    ref_log = (tmp_path / "out" / "reference" / "vlan.pcap" / "run.log").read_text()
    assert f"-G {geo.resolve()}" in ref_log.splitlines()[0]


def test_reference_that_writes_nothing_skips_the_capture(tmp_path):
    data = data_dir(tmp_path, "vlan.pcap")
    t2, _ = fake_build(tmp_path)
    silent = tmp_path / "silent_t2"
    silent.write_text("#!/bin/sh\nexit 1\n")
    silent.chmod(0o755)
    p = run("--data", data, "--reference", silent, t2)
    assert p.returncode == 0, p.stdout + p.stderr
    assert rows_status(p.stdout, "vlan.pcap") == "no golden"
    assert "the reference wrote nothing" in p.stdout


def rows_status(stdout, capture):
    return summary_rows(stdout)[(capture, "-")][0]


def test_build_that_cannot_be_run_fails_cleanly(tmp_path):
    data = data_dir(tmp_path, "vlan.pcap")
    p = run("--data", data, broken_build(tmp_path, "#!/nonexistent/interpreter\n"))
    assert p.returncode == 1, p.stdout + p.stderr
    assert "Traceback" not in p.stderr
    assert summary_rows(p.stdout)[("vlan.pcap", "packets")][:2] == ["no output", "not run"]
