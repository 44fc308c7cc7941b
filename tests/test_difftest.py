"""scripts/difftest.py (make difftest): generated captures, two builds side
by side, every difference shrunk to a reproducer.

Without T2: the "other builds" are scripts/difftest-departing.sh, a wrapper
around t2mini that departs on purpose (DEPART=column rewrites l4Proto of
UDP over IPv6, DEPART=signal dies of SIGSEGV on a VLAN tag, DEPART=hang
never ends on ICMP), and a build that always exits 1.  Each departure must
be found, named, and shrunk to a capture of a record or two that still
shows it.  The campaigns are small (N of 10 to 25) to keep this file fast.
docs/CONFORMANCE.md's console blocks are run here too.  These test the tool
(any_build); the builds of make sanitize and make portability-quick meet
difftest in test_t2mini_against_itself, compared with the plain build.
"""
import os
import pathlib
import pty
import random
import re
import subprocess
import sys

import pytest

from conftest import DATA, ROOT
from doc_commands import console_steps, copy_tree, run_steps

import difftest_mutate
import difftest_stacks
from difftest_pcap import Capture, pcap_file
from difftest_shrink import shrink

DIFFTEST = ROOT / "scripts" / "difftest.py"
DEPARTING = ROOT / "scripts" / "difftest-departing.sh"


@pytest.fixture(scope="session")
def gen_binary(tmp_path_factory):
    """bench/gen.c and its parts bench/gen_*.c, compiled once for the session
    (with the flags of scripts/difftest_mutate.py's build_gen)."""
    path = tmp_path_factory.mktemp("gen") / "gen"
    sources = sorted(str(p) for p in (ROOT / "bench").glob("gen*.c"))
    subprocess.run([os.environ.get("CC") or "cc", "-std=c99", "-O2", "-o", str(path), *sources,
                    "-lm"], check=True, stdin=subprocess.DEVNULL)
    return path


def difftest(t2mini, gen_binary, tmp_path, build, *args, env=None):
    out = tmp_path / "out"
    cmd = [sys.executable, str(DIFFTEST), "--ref", str(t2mini), "--out", str(out),
           "--gen", str(gen_binary), "-j", "4", *map(str, args), str(build)]
    e = dict(os.environ, **(env or {}))
    p = subprocess.run(cmd, capture_output=True, text=True, encoding="latin-1", env=e,
                       timeout=300)
    return p, out


def summary(stdout):
    """The rows of the summary table: [[#, column, signature, captures, rows,
    reproducer]], cut at the columns its dashed line marks."""
    lines = stdout.split("\n")
    i = next(i for i, x in enumerate(lines) if x.startswith("#  ") or x.startswith(" #  "))
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[i + 1])]
    spans[-1] = (spans[-1][0], None)
    rows = []
    for line in lines[i + 2:]:
        if not line.strip():
            break
        rows.append([line[a:b].strip() for a, b in spans])
    return rows


def replay(t2mini, build, capture, out, env=None):
    e = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, str(DIFFTEST), "--replay", str(capture), "--ref",
                           str(t2mini), "--timeout", "2", "--out", str(out), str(build)],
                          capture_output=True, text=True, encoding="latin-1", env=e, timeout=120)


def records(path):
    return sum(1 for u in Capture.parse(path.read_bytes()).units if u.is_packet)


# ------------------------------------------------------------------ no build at all

def test_captures_depend_on_the_seed_only(gen_binary, tmp_path):
    sources = [(p.name, Capture.parse(p.read_bytes())) for p in sorted(DATA.glob("*.pcap*"))
               if p.stat().st_size < 200_000]
    for i in range(40):
        a = difftest_stacks.stack_capture(random.Random(f"t:{i}"))
        assert a == difftest_stacks.stack_capture(random.Random(f"t:{i}"))
        m = difftest_mutate.mutant_capture(random.Random(f"t:{i}"), sources)
        assert m == difftest_mutate.mutant_capture(random.Random(f"t:{i}"), sources)
        for data in (a[0], m[0]):                # units put back give the same file
            assert Capture.parse(data).to_bytes() == data
    assert difftest_stacks.stack_capture(random.Random("t:1")) != \
        difftest_stacks.stack_capture(random.Random("t:2"))
    a, b = tmp_path / "a.pcap", tmp_path / "b.pcap"
    assert difftest_mutate.gen_capture(random.Random(5), str(gen_binary), a) == \
        difftest_mutate.gen_capture(random.Random(5), str(gen_binary), b)
    assert a.read_bytes() == b.read_bytes() and records(a) > 0


def test_stacks_cover_every_link_type():
    seen = set()
    for i in range(300):
        data, suffix, desc = difftest_stacks.stack_capture(random.Random(f"lt:{i}"))
        seen.add(int(desc.split("link type ")[1].split(",")[0]))
    assert set(difftest_stacks.LINK_TYPES) <= seen


def test_units_and_packet_edits(tmp_path):
    for path in sorted(DATA.glob("*.pcap*")):
        if path.stat().st_size > 1_000_000:
            continue
        data = path.read_bytes()
        cap = Capture.parse(data)
        assert cap.to_bytes() == data, path.name
        assert cap.fmt == ("pcapng" if path.suffix == ".pcapng" else "pcap")
        units = cap.packet_units()
        assert units
        u = cap.units[units[0]]
        small = u.with_packet(u.packet()[:10])
        assert small.packet() == u.packet()[:10]
        again = Capture.parse(cap.with_units([small]).to_bytes())
        assert [x.packet() for x in again.units if x.is_packet] == [u.packet()[:10]]


def test_shrinker_is_delta_debugging():
    """A made-up test: the capture shows the difference when a record holds
    b"BUG" and another record holds b"+"; both are kept, the rest goes."""
    rng = random.Random(7)
    recs = [bytes(rng.getrandbits(8) & 0x7f for _ in range(60)) for _ in range(40)]
    recs[13] = recs[13][:20] + b"BUG" + recs[13][23:]
    recs[31] = recs[31][:5] + b"+" + recs[31][6:]
    data = pcap_file(1, 65535, [(1, 0, r, len(r)) for r in recs])
    cap = Capture.parse(data)

    def shows(c):
        pk = [u.packet() for u in c.units if u.is_packet]
        return any(b"BUG" in p for p in pk) and any(b"+" in p and b"BUG" not in p for p in pk)

    results = []
    for jobs in (1, 3):
        calls = []
        small, tests = shrink(cap, lambda cs: calls.append(len(cs)) or [shows(c) for c in cs],
                              jobs=jobs)
        assert max(calls) <= jobs
        results.append(small.to_bytes())
        pk = [u.packet() for u in small.units]
        assert sorted(pk) == [b"+", b"BUG"]
    assert results[0] == results[1]            # whatever the number of jobs


# ------------------------------------------------------------------ campaigns

def test_t2mini_against_itself(t2mini, gen_binary, tmp_path):
    """Nothing differs.  A build under test (T2MINI_BIN: make sanitize's,
    a portability variant) is compared with the plain ./t2mini instead, on
    more captures: every build must write what the plain one writes."""
    ref, n = t2mini, 25
    if t2mini != ROOT / "t2mini":
        subprocess.run(["make", "-s", "-C", str(ROOT), "t2mini"], check=True)
        ref, n = ROOT / "t2mini", 80
    p, out = difftest(ref, gen_binary, tmp_path, t2mini, "-n", n, "--seed", 2)
    assert p.returncode == 0, p.stdout + p.stderr
    assert f"{n} captures: {n} identical, 0 differ; no findings" in p.stdout
    assert re.search(r"captures: \d+ mixes from bench/gen.c, \d+ protocol stacks, "
                     r"\d+ mutants of data/", p.stdout)
    assert not list((out / "captures").iterdir())          # nothing kept
    assert "\r" not in p.stdout + p.stderr                 # no progress off a terminal


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_rewritten_column_is_found_and_shrunk(t2mini, gen_binary, tmp_path):
    p, out = difftest(t2mini, gen_binary, tmp_path, DEPARTING, "-n", 16, "--budget", 30,
                      env={"DEPART": "column", "T2MINI": str(t2mini)})
    assert p.returncode == 1, p.stdout + p.stderr
    rows = summary(p.stdout)
    assert len(rows) == 1, p.stdout                # many captures, one line
    n, column, sig, captures, nrows, repro = rows[0]
    assert (column, sig) == ("packets:l4Proto", "17 -> 0")
    assert int(captures) >= 2 and int(nrows) >= int(captures)
    repro = pathlib.Path(repro)
    assert repro.parent == out / "repro" and records(repro) == 1
    text = repro.with_suffix(".txt").read_text()
    assert "l4Proto: ref '17', build '0'" in text and "--replay" in text
    r = replay(t2mini, DEPARTING, repro, tmp_path / "replay", env={"T2MINI": str(t2mini)})
    assert r.returncode == 1 and "packets:l4Proto [17 -> 0]: 1 row" in r.stdout, r.stdout
    hdr = (repro.parent / repro.stem / "ref" / f"{repro.stem}_packets.txt").read_text("latin-1")
    assert "ipv6" in hdr and "ipv4" not in hdr.split("\n")[1]


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_signal_is_found_and_shrunk(t2mini, gen_binary, tmp_path):
    p, out = difftest(t2mini, gen_binary, tmp_path, DEPARTING, "-n", 8, "--budget", 20,
                      env={"DEPART": "signal", "T2MINI": str(t2mini)})
    assert p.returncode == 1, p.stdout + p.stderr
    rows = summary(p.stdout)
    assert [r[1:3] for r in rows] == [["crash", "build: SIGSEGV"]], p.stdout
    repro = pathlib.Path(rows[0][5])
    assert records(repro) == 1
    r = replay(t2mini, DEPARTING, repro, tmp_path / "replay",
               env={"DEPART": "signal", "T2MINI": str(t2mini)})
    assert r.returncode == 1 and "crash [build: SIGSEGV]" in r.stdout, r.stdout


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_hang_is_found_and_shrunk(t2mini, gen_binary, tmp_path):
    p, out = difftest(t2mini, gen_binary, tmp_path, DEPARTING, "-n", 10, "--seed", 1,
                      "--timeout", 1, "--kinds", "stack", "--budget", 30,
                      # the wrapper runs the plain build: a sanitizer build inside it
                      # would outlive the 1 s on captures without ICMP too
                      env={"DEPART": "hang", "T2MINI": str(ROOT / "t2mini")})
    assert p.returncode == 1, p.stdout + p.stderr
    rows = summary(p.stdout)
    assert [r[1:3] for r in rows] == [["hang", "build"]], p.stdout
    repro = pathlib.Path(rows[0][5])
    assert records(repro) == 1
    # the record the build hangs on is the ICMP one (run afresh: the copy
    # difftest keeps may come from a reference run cut short by the load)
    ref = tmp_path / "ref"
    ref.mkdir()
    subprocess.run([str(t2mini), "-r", str(repro), "-w", f"{ref}/", "-s"], capture_output=True,
                   timeout=60)
    assert ":icmp" in (ref / f"{repro.stem}_packets.txt").read_text("latin-1")


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_exit_status_shrinks_to_the_file_header(t2mini, gen_binary, tmp_path):
    build = tmp_path / "exits1"
    build.write_text(f'#!/bin/sh\n"{t2mini}" "$@"\nexit 1\n')
    build.chmod(0o755)
    p, out = difftest(t2mini, gen_binary, tmp_path, build, "-n", 4, "--kinds", "stack")
    assert p.returncode == 1, p.stdout + p.stderr
    rows = summary(p.stdout)
    assert [r[1:3] for r in rows] == [["exit status", "ref 0, build 1"]], p.stdout
    assert records(pathlib.Path(rows[0][5])) == 0     # no record at all is needed


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_progress_on_a_terminal_only(t2mini, gen_binary, tmp_path):
    master, slave = pty.openpty()
    cmd = [sys.executable, str(DIFFTEST), "--ref", str(t2mini), "--out", str(tmp_path / "o"),
           "--gen", str(gen_binary), "-n", "3", str(t2mini)]
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    out = p.communicate(timeout=120)[0]
    os.close(master)
    assert p.returncode == 0
    assert b"\rdifftest" in seen.replace(b"\x1b[K", b"") and b"done in" in seen
    assert b"\r" not in out


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_bad_usage(t2mini, tmp_path):
    p = subprocess.run([sys.executable, str(DIFFTEST), "--out", str(tmp_path), str(tmp_path /
                        "nothing")], capture_output=True, text=True)
    assert p.returncode == 2 and "no such executable" in p.stderr
    p = subprocess.run([sys.executable, str(DIFFTEST), "--kinds", "gen,foo", str(t2mini)],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "--kinds foo" in p.stderr


@pytest.mark.any_build      # tests the tool: its builds are wrappers of t2mini
def test_conformance_doc_runs(t2mini, tmp_path):
    steps = console_steps((ROOT / "docs" / "CONFORMANCE.md").read_text())
    assert steps
    bad = run_steps(steps, copy_tree(tmp_path / "t2mini"))
    assert bad is None, "docs/CONFORMANCE.md: `{}` printed:\n{}\n--- the document shows:\n{}" \
        .format(*bad)
