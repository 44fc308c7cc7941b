"""Shared fixtures: build t2mini once, locate the captures, goldens and geo tables.

The geo tables are T2 0.9.3's own subnet tables, shipped in data/ and compiled
into t2mini: the plain command labels addresses as T2 does.  The `geo` fixture
names that directory for the tests that pass tables with -G.

Every test keeps to its temporary directories: the programs the tests start
get TMPDIR inside pytest's own temporary directory (a compiler's temporary
files, scripts/conformance.py's output), and nothing is written into the
checkout beyond what `make` builds there (./t2mini, gen/).

Two options serve the Makefile:
  --variant  only the tests whose outcome depends on the binary under test
             (T2MINI_BIN): the ones that use the `t2mini` fixture, less
             those marked `any_build` (they test a document, a Python tool,
             the Makefile or a build of their own, the same whatever
             T2MINI_BIN names).  make sanitize and make portability-quick
             run these against their builds; make test runs them all.
  --shard K/N  the K-th of N parts of the tests, of about the same time
             as tests/durations.txt records it, so that make test can run
             the parts side by side.
"""
import os
import pathlib
import re
import subprocess
import sys

import pytest

# the user tools (t2diff.py, ...) are importable by the tests
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "scripts"))

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GOLDEN = ROOT / "golden"
# the binary under test: ./t2mini, or $T2MINI_BIN (make sanitize sets it)
T2MINI = pathlib.Path(os.environ.get("T2MINI_BIN") or ROOT / "t2mini")


def pytest_addoption(parser):
    group = parser.getgroup("t2mini")
    group.addoption("--variant", action="store_true",
                    help="only the tests whose outcome depends on the binary (T2MINI_BIN)")
    group.addoption("--shard", metavar="K/N",
                    help="only the K-th of N parts of the tests (1 <= K <= N)")


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "any_build: the outcome does not depend on the binary under test "
        "(T2MINI_BIN); --variant leaves the test out")


def binary_dependent(item):
    """Whether a test's outcome depends on the binary under test."""
    return "t2mini" in getattr(item, "fixturenames", ()) and \
        item.get_closest_marker("any_build") is None


def shard_group(item):
    """The tests that share a costly fixture (a session- or module-scoped
    one of a test file, such as a build of its own) go to one part, so that
    it is made once; every other test is a group of its own."""
    info = getattr(item, "_fixtureinfo", None)
    for name in getattr(item, "fixturenames", ()):
        for fixturedef in (info.name2fixturedefs.get(name, ()) if info else ()):
            if fixturedef.scope in ("session", "module") and \
                    fixturedef.baseid.split("::")[0].endswith(".py"):
                return (fixturedef.baseid, name)
    return item.nodeid


DURATIONS = pathlib.Path(__file__).resolve().parent / "durations.txt"


def recorded_durations():
    """Seconds a test took when tests/durations.txt was last made
    (tests/record_durations.py); only the split into parts depends on it."""
    if not DURATIONS.exists():
        return {}
    seconds = {}
    for line in DURATIONS.read_text().splitlines():
        value, _, nodeid = line.partition(" ")
        if nodeid:
            seconds[nodeid] = float(value)
    return seconds


def balanced_parts(groups, n, seconds):
    """The groups of tests in n parts of about the same recorded time: the
    longest group first, each into the part that has the least so far (a
    test without a record counts as a tenth of a second).  The same on every
    run and in every process, so that the parts cover the suite exactly once."""
    cost = [sum(seconds.get(item.nodeid, 0.1) for item in group) for group in groups]
    order = sorted(range(len(groups)), key=lambda i: (-cost[i], groups[i][0].nodeid))
    parts, load = [[] for _ in range(n)], [0.0] * n
    for i in order:
        j = min(range(n), key=lambda p: (load[p], p))
        parts[j].append(groups[i])
        load[j] += cost[i]
    # each part in collection order, as pytest would run it unsplit
    position = {id(g): i for i, g in enumerate(groups)}
    return [sorted(part, key=lambda g: position[id(g)]) for part in parts]


@pytest.hookimpl(trylast=True)          # after -k and -m have chosen
def pytest_collection_modifyitems(config, items):
    keep = list(items)
    if config.getoption("variant"):
        keep = [item for item in keep if binary_dependent(item)]
    shard = config.getoption("shard")
    if shard:
        m = re.fullmatch(r"(\d+)/(\d+)", shard)
        if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
            raise pytest.UsageError(f"--shard {shard}: expected K/N with 1 <= K <= N")
        k, n = int(m.group(1)), int(m.group(2))
        groups = {}
        for item in keep:
            groups.setdefault(shard_group(item), []).append(item)
        parts = balanced_parts(list(groups.values()), n, recorded_durations())
        keep = [item for group in parts[k - 1] for item in group]
    if len(keep) < len(items):
        kept = set(map(id, keep))
        config.hook.pytest_deselected(items=[i for i in items if id(i) not in kept])
        items[:] = keep


@pytest.fixture(scope="session", autouse=True)
def private_tmpdir(tmp_path_factory):
    """TMPDIR for every program a test starts: a directory of this session."""
    tmp = tmp_path_factory.mktemp("tmpdir")
    old = os.environ.get("TMPDIR")
    os.environ["TMPDIR"] = str(tmp)
    yield tmp
    if old is None:
        del os.environ["TMPDIR"]
    else:
        os.environ["TMPDIR"] = old


def captures_with_golden(suffix):
    """(capture path, golden path) for every capture in data/ with a golden."""
    pairs = []
    for cap in sorted(DATA.iterdir()):
        if cap.suffix not in (".pcap", ".pcapng"):
            continue
        golden = GOLDEN / (cap.stem + suffix)
        if golden.exists():
            pairs.append((cap, golden))
    return pairs


@pytest.fixture(scope="session")
def t2mini():
    """Path of a freshly built t2mini (or of $T2MINI_BIN)."""
    if not os.environ.get("T2MINI_BIN"):
        subprocess.run(["make", "-s", "-C", str(ROOT), "t2mini"], check=True)
    return T2MINI


@pytest.fixture(scope="session")
def geo():
    """The directory of the subnet tables t2mini is built with (data/)."""
    return DATA


def run_t2mini(binary, capture, outdir, geo=None, extra=()):
    """Run t2mini -r CAPTURE -s -w OUTDIR/ [-G GEO]; return the CompletedProcess."""
    cmd = [str(binary), "-r", str(capture), "-s", "-w", f"{outdir}/"]
    if geo:
        cmd += ["-G", str(geo)]
    cmd += list(extra)
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


# End-report lines that differ from run to run (times, memory).
RUN_DEPENDENT = ("Finished processing. Elapsed time:", "Finished unloading flow memory.",
                 "Memory usage:")


def report_tail(text, skip=RUN_DEPENDENT):
    """An end report from "Dump start:" on, less the lines that start with
    one of `skip` (by default the run-dependent ones) and the memory share of
    "Max number of flows in memory" (it depends on the machine): what the
    report tests compare.  [] when there is no "Dump start:" line."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("Dump start:")]
    if not starts:
        return []
    kept = []
    for line in lines[starts[0]:]:
        if line.startswith(skip):
            continue
        if line.startswith("Max number of flows in memory:"):
            line = re.sub(r" \[[^]]*\]$", "", line)
        kept.append(line)
    return kept
