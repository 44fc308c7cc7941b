#!/usr/bin/env python3
"""difftest: find where another build departs from t2mini, beyond the goldens.

    difftest.py [options] BUILD
    difftest.py --replay CAPTURE [--replay CAPTURE...] [--ref REF] BUILD

Makes N captures on the fly (the same ones for the same --seed), runs the
reference REF (default ./t2mini) and BUILD on each, both as

    BUILD -r CAPTURE -w OUTDIR/ -s

in parallel jobs, and compares what they write: the packet, flow and
headers files and the end report.  Every difference is shrunk to a small
capture (a record or two) that still shows it, and the differences are
gathered by column and cause, with a summary table at the end.

The captures (scripts/difftest_stacks.py, difftest_mutate.py):
  gen      realistic mixes from bench/gen.c (compiled on the fly)
  stack    the protocol stacks t2mini dissects, every link type, tunnel,
           fragment case, option and snap length its header walk knows
  mutant   byte-level mutants of the captures in data/
Capture i depends only on the seed and i, not on N.

What is compared, as scripts/t2diff.py compares it:
  packets, flows  rows matched by pktNo (dir + flowInd), columns by name
                  (less those --ignore names); a different row or column
                  order, or other bytes outside the cells, counts too
                  ("(layout)")
  headers         from "# Plugins loaded:" on (the lines above it describe
                  the run), column by column
  report          stdout from "Dump start:" on, colour codes removed, less
                  the lines that depend on the run (Elapsed time, unloading
                  time, Memory usage) and the memory share on "Max number
                  of flows in memory" (tests/conftest.py report_tail()),
                  line by line; the first that differs names the finding
                  (by its label, the text before the colon)
  exit            a build killed by a signal (or a shell exit status
                  128+N) is a crash, one that outlives --timeout a hang;
                  either, or exit statuses that differ, is the one finding
                  for that capture (the files are not compared then)

A finding's column is the file and column ("packets:l4Proto",
"report:Number of TCP packets", "crash", "hang", "exit status").  What
follows from a cause is noted, not counted: in a row, the first differing
column in the order T2 works a packet out (COLUMN_CLASS: the header walk
with hdrDesc first, the status, the flow and its times, the plugins, the
payload); in a file, the rows of the earliest class present; in a capture,
the first file that differs (packets, flows, headers, report).  Its
signature names the kind of change, not the values (value_signature()):
the bits that differ, a small offset, a value zeroed, the labels that
differ in hdrDesc, which build crashed with which signal, the two exit
statuses.  Findings with the same column and signature are one line, with
the number of captures and rows.  For each, the capture with the fewest
records is shrunk (records first, by delta debugging, then bytes inside the
records left) to the smallest one that still shows a difference in the
same column (the same crash, hang or exit statuses): OUT/repro/NN-COLUMN.pcap,
with OUT/repro/NN-COLUMN.txt (the differing cells and the command that
shows them) and both builds' output in OUT/repro/NN-COLUMN/.  A reproducer
already made that shows a later finding serves it too: one summary line.
--from DIR runs the same on the captures of a directory.

Captures that showed a difference stay in OUT/captures/ (all of them with
--keep).  Progress goes to stderr when it is a terminal.

Exit status: 0 nothing differs, 1 something does, 2 usage error.
"""
import argparse
import concurrent.futures
import decimal
import os
import pathlib
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import t2diff  # noqa: E402
import difftest_mutate  # noqa: E402
import difftest_stacks  # noqa: E402
from difftest_pcap import Capture  # noqa: E402
from difftest_shrink import shrink  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
KINDS = ("gen", "stack", "mutant")
MAX_CELLS = 5

# ------------------------------------------------------------------ running


class Run:
    """One build run on one capture."""

    def __init__(self, status, stdout, stderr, outdir, stem, seconds):
        self.status = status        # exit status, negative: signal; "timeout", "not run"
        self.stdout = stdout
        self.stderr = stderr
        self.outdir = outdir
        self.stem = stem
        self.seconds = seconds

    @property
    def signal(self):
        """The signal that ended the run (also through a shell's 128+N)."""
        s = self.status
        if not isinstance(s, int):
            return None
        if s < 0:
            return -s
        if 128 < s < 128 + 65:
            return s - 128
        return None

    def file(self, kind):
        return self.outdir / f"{self.stem}_{kind}.txt"


def run_build(build, capture, outdir, timeout):
    """Run `build -r capture -w outdir/ -s`; its whole process group is
    killed when it outlives `timeout` seconds."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [build, "-r", str(capture), "-w", f"{outdir}/", "-s"]
    t = time.monotonic()
    try:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        return Run("not run", b"", str(e).encode(), outdir, capture.stem, 0.0)
    try:
        out, err = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, err = p.communicate()
        status = "timeout"
    return Run(status, out, err, outdir, capture.stem, time.monotonic() - t)


def signal_name(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


# ------------------------------------------------------------------ comparing

class Finding:
    """One kind of difference in one capture."""

    def __init__(self, column, signature):
        self.column = column
        self.signature = signature
        self.rows = 0
        self.cells = []
        self.packets = []           # pktNo of differing packet rows
        self.flows = []             # flowInd of differing flow rows
        self.notes = []             # what else differs (consequences, most often)

    @property
    def key(self):
        return (self.column, self.signature)

    def add(self, cell):
        self.rows += 1
        if len(self.cells) < MAX_CELLS:
            self.cells.append(cell)

    def matches(self, target):
        """Does this finding show the difference `target` (a Finding)?  The
        same column, and for a crash, hang or exit status the same one."""
        if self.column != target.column:
            return False
        return self.column not in ("crash", "hang", "exit status") or \
            self.signature == target.signature


def norm_hdrdesc(text):
    s = re.sub(r"\{\d+\}", "{n}", text)
    s = re.sub(r"0x[0-9a-fA-F]+", "0x..", s)
    if not s:
        return "-"
    return s if len(s) <= 60 else s[:57] + "..."


INT = re.compile(r"-?[0-9]+$")
HEX = re.compile(r"0x[0-9a-fA-F]+$")
DEC = re.compile(r"-?[0-9]+\.[0-9]+$")
LABELS = re.compile(r"[0-9A-Za-z_.{}()-]*(:[0-9A-Za-z_.{}()-]*)+$")
ADDRESS = re.compile(r"([0-9a-fA-F]{0,4}:){2,}[0-9a-fA-F.]*$|([0-9]{1,3}\.){3}[0-9]{1,3}$")
TEXT_COLUMNS = ("l7Content",)
LITERAL_COLUMNS = ("l4Proto", "numHdrs", "numHdrDesc", "vlanID", "dir")

# What a column depends on, in the order T2 works a packet out: the header
# walk (names, addresses, ports: class 0, with rows missing or extra), the
# status bits (1), the flow a packet joins and its times (2), the plugins'
# columns (3), the payload (4).  In a file, the rows whose first differing
# column is of the lowest class present are the findings; the others follow
# from them, most often (an extra flow shifts every later flowInd).
COLUMN_CLASS = {
    "(rows)": 0, "(columns)": 0, "(file)": 0, "hdrDesc": 0, "numHdrs": 0, "numHdrDesc": 0,
    "ethType": 0, "vlanID": 0, "srcMac": 0, "dstMac": 0, "srcIP": 0, "dstIP": 0,
    "srcPort": 0, "dstPort": 0, "l4Proto": 0, "srcIPCC": 0, "dstIPCC": 0, "srcIPOrg": 0,
    "dstIPOrg": 0, "flowStat": 1, "flowInd": 2, "dir": 2, "time": 2, "pktIAT": 2,
    "pktTrip": 2, "flowDuration": 2, "timeFirst": 2, "timeLast": 2, "duration": 2,
    "l7Content": 4, "(layout)": 5,
}


def column_class(column):
    return COLUMN_CLASS.get(column.split("#")[0], 3)


# Within the header walk's class, hdrDesc comes first (the labels say where
# the walks part), numHdrs and numHdrDesc last (they only count them).
COLUMN_RANK = {"hdrDesc": 0, "numHdrs": 2, "numHdrDesc": 2}


def column_rank(column, order):
    """The sort key of a differing column: its class, then its rank, then
    its place in the file."""
    return (column_class(column), COLUMN_RANK.get(column, 1), order.get(column, 999))


def short(text, n=40):
    return text if len(text) <= n else text[:n - 3] + "..."


def label_diff(a, b):
    """The labels that differ between two hdrDesc values, with numbers
    (unknown protocols, repeat counts) and repeated labels folded."""
    def fold(text):
        out = []
        for t in re.sub(r"\((0x)?[0-9a-fA-F]+\)", "(#)", re.sub(r"\{\d+\}", "", text)).split(":"):
            if out and out[-1].rstrip("+") == t:
                out[-1] = t + "+"
            else:
                out.append(t)
        return out
    x, y = fold(a), fold(b)
    i = 0
    while i < min(len(x), len(y)) and x[i] == y[i]:
        i += 1
    j = 0
    while j < min(len(x), len(y)) - i and x[-1 - j] == y[-1 - j]:
        j += 1
    mid_a, mid_b = x[i:len(x) - j], y[i:len(y) - j]
    if not mid_a and not mid_b:
        return "repeated labels differ"
    return short(":".join(mid_a) or "-", 30) + " -> " + short(":".join(mid_b) or "-", 30)


def value_signature(ev, gv, column=""):
    """What kind of change turns the reference's cell into the build's: the
    signature of a cell difference, the same for one cause on many rows
    (the bits that differ, a small constant offset, a value zeroed or
    appearing, the labels that differ), not the values themselves."""
    if ev is None or gv is None:
        return "no cell in " + ("ref" if ev is None else "build")
    a, b = ev.decode("latin-1"), gv.decode("latin-1")
    if not a or not b:
        return ("empty" if not a else "value") + " -> " + ("empty" if not b else "value")
    if column in TEXT_COLUMNS:
        if a.startswith(b):
            return "build cut short"
        if b.startswith(a):
            return "build longer"
        return "text differs"
    if HEX.match(a) and HEX.match(b):
        return f"bits 0x{int(a, 16) ^ int(b, 16):0{max(len(a), len(b)) - 2}x} differ"
    if INT.match(a) and INT.match(b):
        x, y = int(a), int(b)
        if column in LITERAL_COLUMNS:
            return f"{a} -> {b}"
        if x == 0 or y == 0:
            return "0 -> value" if x == 0 else "value -> 0"
        if abs(y - x) <= 8:
            return f"{y - x:+d}"
        return "build larger" if y > x else "build smaller"
    if DEC.match(a) and DEC.match(b):
        return "build later" if decimal.Decimal(b) > decimal.Decimal(a) else "build earlier"
    if ADDRESS.match(a) and ADDRESS.match(b):
        return "address differs"
    if LABELS.match(a) and LABELS.match(b):
        return label_diff(a, b)
    if len(a) <= 12 and len(b) <= 12:
        return f"{a!r} -> {b!r}"
    return "text differs"


def show(v):
    return t2diff.show_value(v)


def table_findings(kind, ref_path, got_path, ignore=()):
    if not ref_path.exists() and not got_path.exists():
        return []
    if not got_path.exists() or not ref_path.exists():
        who = "ref" if ref_path.exists() else "build"
        f = Finding(f"{kind}:(file)", f"written by {who} only")
        f.add(f"{kind} file written by {who} only")
        return [f]
    tables = []
    for who, path in (("ref", ref_path), ("build", got_path)):
        try:
            tables.append(t2diff.read_table(path))
        except t2diff.T2DiffError:
            f = Finding(f"{kind}:(file)", f"no T2 header line from {who}")
            f.add(f"{kind} file of {who}: no T2 header line")
            return [f]
    ref, got = tables
    try:
        d = t2diff.compare_tables(ref, got, ignore)
    except t2diff.T2DiffError as e:
        f = Finding(f"{kind}:(file)", "no row key in common")
        f.add(str(e))
        return [f]

    def hdrdesc_of(table, key):
        if "hdrDesc" not in table.columns:
            return "-"
        cells = table.rows[table.index[key]][2]
        i = table.columns.index("hdrDesc")
        return norm_hdrdesc(cells[i].decode("latin-1") if i < len(cells) else "")

    # every difference: (class, column, signature, key, table, cell text)
    diffs = []
    for key, cells in d.rows:
        order = {c: i for i, c in enumerate(ref.columns)}
        c, ev, gv = min(cells, key=lambda x: column_rank(x[0], order))
        also = [x[0] for x in cells if x[0] != c]
        text = f"{d.key_text(key)} [{hdrdesc_of(ref, key)}]: {c}: ref {show(ev)}, build {show(gv)}"
        if also:
            text += " (also " + ", ".join(also[:6]) + (", ..." if len(also) > 6 else "") + ")"
        diffs.append((column_class(c), c, value_signature(ev, gv, c), key, ref, text))
    for key in d.missing:
        diffs.append((0, "(rows)", "in ref only", key, ref,
                      f"{d.key_text(key)} [{hdrdesc_of(ref, key)}]: in ref only"))
    for key in d.extra:
        diffs.append((0, "(rows)", "in build only", key, got,
                      f"{d.key_text(key)} [{hdrdesc_of(got, key)}]: in build only"))
    for c in d.only_expected:
        diffs.append((0, "(columns)", "only in ref", None, None, f"column {c}: in ref only"))
    for c in d.only_got:
        diffs.append((0, "(columns)", "only in build", None, None, f"column {c}: in build only"))
    if d.equivalent and not d.strictly_identical:
        what = ("column order" if d.column_order_differs else
                "row order" if d.row_order_differs is not None else "bytes outside the cells")
        diffs.append((5, "(layout)", what, None, None,
                      f"{kind} files equivalent but not byte-identical: {what}"))
    if not diffs:
        return []
    lowest = min(x[0] for x in diffs)
    found = {}
    later = 0
    for cls, c, sig, key, table, text in diffs:
        if cls != lowest:
            later += 1
            continue
        f = found.get((c, sig))
        if f is None:
            f = found[(c, sig)] = Finding(f"{kind}:{c}", sig)
        f.add(text)
        if key is not None and table.key_columns == ("pktNo",) and key[0].isdigit():
            f.packets.append(int(key[0]))
        elif key is not None and table.key_columns == ("dir", "flowInd"):
            f.flows.append(key[1])
    out = list(found.values())
    if later:
        out[0].notes.append(f"{kind}: {count(later, 'other row')} differ" + "s" * (later == 1)
                            + " in later columns only")
    return out


def _header_part(path):
    text = path.read_bytes().decode("latin-1")
    i = text.find("# Plugins loaded:")
    return None if i < 0 else text[i:].split("\n")


def headers_findings(ref_path, got_path):
    if not ref_path.exists() and not got_path.exists():
        return []
    if not got_path.exists() or not ref_path.exists():
        who = "ref" if ref_path.exists() else "build"
        f = Finding("headers:(file)", f"written by {who} only")
        f.add(f"headers file written by {who} only")
        return [f]
    ref, got = _header_part(ref_path), _header_part(got_path)
    if ref is None or got is None:
        if ref is None and got is None:
            return []
        f = Finding("headers:(file)", "no '# Plugins loaded:' line in " + ("ref" if ref is None
                                                                            else "build"))
        f.add(f.signature)
        return [f]

    def split(lines):
        comments = [x for x in lines if x.startswith("#")]
        cols = {}
        order = []
        for x in lines:
            if x.startswith("#") or not x.strip():
                continue
            cells = x.split("\t")
            name = cells[2] if len(cells) > 2 else x
            cols.setdefault(name, tuple(cells[1:]))
            order.append(name)
        return comments, cols, order

    rc, rcols, rorder = split(ref)
    gc, gcols, gorder = split(got)
    out = []
    if rc != gc:
        f = Finding("headers:(plugins)", "differs")
        for a, b in zip(rc + [None] * len(gc), gc + [None] * len(rc)):
            if a != b:
                f.add(f"ref {a!r}, build {b!r}")
        out.append(f)
    for name in rorder + [n for n in gorder if n not in rcols]:
        a, b = rcols.get(name), gcols.get(name)
        if a == b:
            continue
        sig = "differs" if a and b else ("only in ref" if a else "only in build")
        f = Finding(f"headers:{name}", sig)
        f.add(f"column {name}: ref {a!r}, build {b!r}")
        out.append(f)
    if not out and rorder != gorder:
        f = Finding("headers:(column order)", "differs")
        f.add("the same columns in another order")
        out.append(f)
    return out


ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# As tests/conftest.py report_tail(): the end-report lines that depend on the run.
RUN_DEPENDENT = ("Finished processing. Elapsed time:", "Finished unloading flow memory.",
                 "Memory usage:")


def report_tail(stdout):
    """The end report from "Dump start:" on, colour codes removed, less the
    run-dependent lines and the memory share of "Max number of flows in
    memory" (as report_tail() in tests/conftest.py); None without one."""
    lines = ANSI.sub("", stdout.decode("latin-1")).split("\n")
    starts = [i for i, x in enumerate(lines) if x.startswith("Dump start:")]
    if not starts:
        return None
    kept = []
    for x in lines[starts[0]:]:
        if x.startswith(RUN_DEPENDENT):
            continue
        if x.startswith("Max number of flows in memory:"):
            x = re.sub(r" \[[^]]*\]$", "", x)
        kept.append(x)
    while kept and not kept[-1]:
        kept.pop()
    return kept


def report_label(line):
    """What a report line reports: the text before its value."""
    s = line.strip()
    if not s:
        return "(empty line)"
    if s.startswith("["):
        s = re.sub(r"[0-9]+", "#", s)
        return short(s, 60)
    m = re.match(r"([^:=]*[A-Za-z>][^:=]*)[:=]", s)
    if m:
        return m.group(1).strip()
    if not re.search(r"[A-Za-z0-9]", s):
        return "(rule)"
    return short(re.sub(r"[0-9]+", "#", s), 60)


def report_findings(ref_stdout, got_stdout):
    """At most one finding: the report's first differing line names it
    (what follows is most often a consequence), the cells show them all."""
    ref, got = report_tail(ref_stdout), report_tail(got_stdout)
    if ref is None and got is None:
        return []
    if ref is None or got is None:
        who = "ref" if ref is None else "build"
        f = Finding("report:(none)", f"no end report from {who}")
        f.add(f"no 'Dump start:' line in the stdout of {who}")
        return [f]
    if ref == got:
        return []
    labels = {}
    for side, lines in ((0, ref), (1, got)):
        for x in lines:
            labels.setdefault(report_label(x), ([], []))[side].append(x)
    f = None
    for label, (a, b) in labels.items():
        if a == b:
            continue
        if f is None:
            sig = "differs" if a and b else ("only in ref" if a else "only in build")
            f = Finding(f"report:{label}", sig)
        for i in range(max(len(a), len(b))):
            x = a[i] if i < len(a) else None
            y = b[i] if i < len(b) else None
            if x != y:
                f.add(f"ref {x!r}, build {y!r}")
    if f is None:
        f = Finding("report:(line order)", "differs")
        f.add("the same lines in another order")
    return [f]


def last_line(b):
    lines = [x for x in b.decode("latin-1").strip().split("\n") if x.strip()]
    return lines[-1][:120] if lines else ""


def compare(ref, got, ignore=()):
    """The findings of one capture, from the reference's and the build's
    runs; `ignore`: packet and flow file columns not compared."""
    out = []
    for who, run in (("ref", ref), ("build", got)):
        if run.status == "timeout":
            f = Finding("hang", who)
            f.add(f"{who} did not exit within the time allowed")
            out.append(f)
        elif run.status == "not run":
            f = Finding("not run", who)
            f.add(f"{who}: {run.stderr.decode('latin-1')}")
            out.append(f)
        elif run.signal:
            f = Finding("crash", f"{who}: {signal_name(run.signal)}")
            how = f"killed by {signal_name(run.signal)}" if run.status < 0 else \
                f"exit status {run.status} ({signal_name(run.signal)} through a shell)"
            f.add(f"{who} {how}; its stderr ends: {last_line(run.stderr)!r}")
            out.append(f)
    if out:
        return out
    if ref.status != got.status:
        f = Finding("exit status", f"ref {ref.status}, build {got.status}")
        f.add(f"ref exits {ref.status}, stderr ends {last_line(ref.stderr)!r}")
        f.add(f"build exits {got.status}, stderr ends {last_line(got.stderr)!r}")
        return [f]
    # the first file that differs has the findings; what differs in the
    # files after it is noted (an extra packet row makes an extra flow and
    # changes the report's counts)
    steps = [(kind, lambda k=kind: table_findings(k, ref.file(k), got.file(k), ignore))
             for kind in ("packets", "flows")]
    steps += [("headers", lambda: headers_findings(ref.file("headers"), got.file("headers"))),
              ("report", lambda: report_findings(ref.stdout, got.stdout))]
    for kind, step in steps:
        found = step()
        if not found:
            continue
        if not out:
            out = found
        else:
            what = sorted({f.column.split(":", 1)[1] for f in found})
            out[0].notes.append(f"{kind} differs too: " + short(", ".join(what), 70))
    return out


# ------------------------------------------------------------------ the builds

class Builds:
    """The reference and the build, run side by side in a pool of jobs."""

    def __init__(self, ref, build, jobs, timeout, ignore=()):
        self.ignore = ignore
        self.ref = ref
        self.build = build
        self.jobs = jobs
        self.timeout = timeout
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=jobs)
        self.slowest = 0.0          # the longest run that ended by itself

    def submit(self, capture, workdir, timeout=None):
        """Both runs on `capture`.  The reference gets four times the time:
        it is meant to be sound, and a slow run of it on a loaded machine
        (a sanitizer build, say) is not a hang; a build's hang costs only
        the time given."""
        t = timeout or self.timeout
        return (self.pool.submit(run_build, self.ref, capture, workdir / "ref", 4 * t),
                self.pool.submit(run_build, self.build, capture, workdir / "build", t))

    def result(self, futures):
        ref, got = futures[0].result(), futures[1].result()
        for r in (ref, got):
            if r.status != "timeout":
                self.slowest = max(self.slowest, r.seconds)
        return ref, got

    def compare(self, capture, workdir, timeout=None):
        ref, got = self.result(self.submit(capture, workdir, timeout))
        return compare(ref, got, self.ignore), ref, got

    def close(self, cancel=False):
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def find_build(name):
    """The command to run for a build named on the command line, or None."""
    if os.sep in name or (os.altsep and os.altsep in name):
        if os.path.isfile(name) and os.access(name, os.X_OK):
            return os.path.abspath(name)
        print(f"difftest: {name}: no such executable", file=sys.stderr)
        return None
    path = shutil.which(name)
    if path is None:
        print(f"difftest: {name}: not found in PATH", file=sys.stderr)
    return path


# ------------------------------------------------------------------ progress

class Progress:
    """A progress line on stderr, only when stderr is a terminal."""

    def __init__(self):
        self.on = sys.stderr.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def show(self, text, force=False):
        if not self.on:
            return
        now = time.monotonic()
        if not force and now - self.last < 0.2:
            return
        self.last = now
        m, s = divmod(int(now - self.start), 60)
        sys.stderr.write(f"\r\033[Kdifftest: {m}:{s:02d} {text}"[:200])
        sys.stderr.flush()

    def done(self):
        if self.on:
            m, s = divmod(int(time.monotonic() - self.start), 60)
            sys.stderr.write(f"\r\033[Kdifftest: done in {m}:{s:02d}\n")
            sys.stderr.flush()


# ------------------------------------------------------------------ captures

class Sources:
    """The captures of data/ to make mutants of: (name, Capture), each one
    read and parsed the first time a mutant is made of it."""

    def __init__(self, data):
        self.paths = [p for p in sorted(pathlib.Path(data).iterdir())
                      if p.suffix in (".pcap", ".pcapng") and p.is_file()]
        self.parsed = {}

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        p = self.paths[i]
        if p not in self.parsed:
            self.parsed[p] = Capture.parse(p.read_bytes())
        return p.name, self.parsed[p]


class Maker:
    """Capture i of seed S: its kind and bytes depend on S and i only."""

    def __init__(self, seed, kinds, sources, gen_binary, outdir):
        self.seed = seed
        self.kinds = kinds
        self.sources = sources
        self.gen = gen_binary
        self.outdir = outdir

    def kind(self, i):
        rng = random.Random(f"difftest:{self.seed}:{i}")
        r = rng.random()
        kind = "gen" if r < 0.25 else "stack" if r < 0.7 else "mutant"
        if kind not in self.kinds:
            kind = self.kinds[int(r * 1000) % len(self.kinds)]
        return kind, rng

    def make(self, i):
        kind, rng = self.kind(i)
        if kind == "gen":
            path = self.outdir / f"{i:05d}-gen.pcap"
            desc = difftest_mutate.gen_capture(rng, self.gen, path)
            return path, kind, desc
        if kind == "stack":
            data, suffix, desc = difftest_stacks.stack_capture(rng)
            path = self.outdir / f"{i:05d}-stack{suffix}"
        else:
            data, suffix, desc = difftest_mutate.mutant_capture(rng, self.sources)
            base = desc.split(":")[0].split()[-1].rsplit(".", 1)[0]
            path = self.outdir / f"{i:05d}-mut-{base}{suffix}"
        path.write_bytes(data)
        return path, kind, desc


class Given:
    """The captures of a directory (--from), in name order, copied to OUT."""

    def __init__(self, directory, outdir):
        self.paths = [p for p in sorted(pathlib.Path(directory).iterdir())
                      if p.suffix in (".pcap", ".pcapng") and p.is_file()]
        self.outdir = outdir

    def make(self, i):
        src = self.paths[i]
        path = self.outdir / src.name
        shutil.copyfile(src, path)
        return path, "given", f"from {src.parent}"


# ------------------------------------------------------------------ groups

class Group:
    """The findings of one column and signature, over all captures."""

    def __init__(self, column, signature, order):
        self.column = column
        self.signature = signature
        self.order = order
        self.captures = []          # (records, index, path, description, Finding)
        self.rows = 0
        self.repro = None           # Repro
        self.note = ""

    @property
    def key(self):
        return (self.column, self.signature)

    def add(self, index, path, desc, records, finding):
        if not self.captures or self.captures[-1][1] != index:
            self.captures.append((records, index, path, desc, finding))
        self.rows += finding.rows

    def counts(self):
        n = count(len(self.captures), "capture")
        if self.column.startswith(("packets:", "flows:")):
            n += ", " + count(self.rows, "row")
        return n


class Repro:
    """A shrunk capture, and what it shows."""

    def __init__(self, capture, findings, origin, origin_capture):
        self.capture = capture
        self.findings = findings
        self.origin = origin                # the capture it was shrunk from
        self.origin_size = describe_capture(origin_capture)
        self.path = None                    # OUT/repro/NN-COLUMN.pcap, once named

    def shows(self, key):
        return any(f.key == key for f in self.findings)


class Entry:
    """One line of the summary: the findings one reproducer shows (or one
    finding without a reproducer)."""

    def __init__(self, group):
        self.groups = [group]
        self.repro = group.repro

    @property
    def main(self):
        return self.groups[0]

    def captures(self):
        return len({c[1] for g in self.groups for c in g.captures})


def slug(text):
    s = re.sub(r"[^A-Za-z0-9._-]+", "_", text).strip("_")
    return s[:40] or "x"


def count(n, what):
    return f"{n} {what}" + ("" if n == 1 else "s")


def records_of(cap):
    return sum(1 for u in cap.units if u.is_packet)


def describe_capture(cap):
    size = len(cap.to_bytes())
    return f"{count(records_of(cap), 'record')}, {count(size, 'byte')}"


def hints_for(cap, finding, ref_run):
    """Unit positions likely to show `finding` alone: no record at all,
    the differing packets, the packets of the differing flows."""
    packets = cap.packet_units()
    others = [i for i, u in enumerate(cap.units) if not u.is_packet]
    hints = [others]
    wanted = [packets[p - 1] for p in finding.packets[:3] if 0 < p <= len(packets)]
    for w in wanted:
        hints.append(others + [w])
    if len(wanted) > 1:
        hints.append(others + wanted)
    if finding.flows:
        flows = set(finding.flows)
        try:
            table = t2diff.read_table(ref_run.file("packets"))
            fi = table.columns.index("flowInd")
            pn = table.columns.index("pktNo")
            nums = [int(c[pn]) for _, _, c in table.rows
                    if fi < len(c) and c[fi].decode("latin-1") in flows and c[pn].isdigit()]
            hints.append(others + [packets[p - 1] for p in nums if 0 < p <= len(packets)])
        except (t2diff.T2DiffError, ValueError, OSError):
            pass
    return hints


def finding_lines(findings, indent):
    out = []
    for f in findings:
        rows = f": {count(f.rows, 'row')}" if f.column.startswith(("packets:", "flows:")) else ""
        out.append(f"{indent}{f.column} [{f.signature}]{rows}")
        out += [f"{indent}  {c}" for c in f.cells]
        if f.rows > len(f.cells):
            out.append(f"{indent}  ... {f.rows - len(f.cells)} more")
        out += [f"{indent}  ({n})" for n in f.notes]
    return out


class Campaign:
    def __init__(self, args, builds, out, progress):
        self.args = args
        self.builds = builds
        self.out = out
        self.progress = progress
        self.groups = {}
        self.repros = []
        self.serial = 0

    def group(self, finding, order):
        g = self.groups.get(finding.key)
        if g is None:
            g = self.groups[finding.key] = Group(finding.column, finding.signature, order)
        return g

    def timeout_for(self, column):
        """A hang costs the whole timeout per run: while shrinking one, runs
        may take five times the slowest run that ended (at least 2 s)."""
        if column == "hang":
            return min(self.args.timeout, max(2.0, 5 * self.builds.slowest))
        return self.args.timeout

    def workdir(self):
        self.serial += 1
        return self.out / "work" / f"s{self.serial}"

    # ---------------------------------------------------------- shrinking

    def test_candidates(self, target, timeout):
        def test(caps):
            jobs = []
            for cap in caps:
                d = self.workdir()
                d.mkdir(parents=True, exist_ok=True)
                path = d / f"c{cap.suffix}"
                path.write_bytes(cap.to_bytes())
                jobs.append((d, self.builds.submit(path, d, timeout)))
            results = []
            for d, futures in jobs:
                ref, got = self.builds.result(futures)
                results.append(any(f.matches(target)
                                   for f in compare(ref, got, self.builds.ignore)))
                shutil.rmtree(d, ignore_errors=True)
            return results
        return test

    def run_capture(self, cap, timeout):
        """The findings of a capture held in memory."""
        d = self.workdir()
        d.mkdir(parents=True, exist_ok=True)
        path = d / f"c{cap.suffix}"
        path.write_bytes(cap.to_bytes())
        findings, ref, got = self.builds.compare(path, d, timeout)
        return findings, ref, d

    def shrink_group(self, g, number):
        records, index, path, desc, finding = min(g.captures, key=lambda c: (c[0], c[1]))
        cap = Capture.parse(path.read_bytes())
        timeout = self.timeout_for(g.column)
        findings, ref, d = self.run_capture(cap, timeout)
        target = next((f for f in findings if f.key == finding.key), None) or \
            next((f for f in findings if f.matches(finding)), None)
        hints = hints_for(cap, target, ref) if target else []
        shutil.rmtree(d, ignore_errors=True)
        if target is None:
            g.note = f"not reproduced on a second run of {path}"
            return None

        def progress(s):
            self.progress.show(f"shrinking {number}/{len(self.groups)} ({g.column}): "
                               f"{s.tests} tests, {describe_capture(s.capture)}")
        # a hang costs the whole timeout per candidate: records only cut short
        small, _ = shrink(cap, self.test_candidates(target, timeout), hints,
                          jobs=self.builds.jobs, budget=self.args.budget, progress=progress,
                          interior=g.column != "hang")
        findings, _, d = self.run_capture(small, timeout)
        shutil.rmtree(d, ignore_errors=True)
        repro = Repro(small, findings, path, cap)
        self.repros.append(repro)
        return repro

    def shrink_all(self, groups):
        for n, g in enumerate(groups, 1):
            g.repro = next((r for r in self.repros if r.shows(g.key)), None)
            if g.repro is not None:
                continue
            if len(self.repros) >= self.args.max_shrink:
                g.note = f"not shrunk (--max-shrink {self.args.max_shrink})"
                continue
            g.repro = self.shrink_group(g, n)

    # ---------------------------------------------------------- results

    def command(self, path):
        here = pathlib.Path.cwd()
        script = pathlib.Path(__file__).resolve()
        try:
            script = script.relative_to(here)
        except ValueError:
            pass
        ignore = "".join(f" --ignore {c}" for c in sorted(self.builds.ignore))
        return (f"{sys.executable} {script} --replay {path} --ref {self.args.ref}{ignore} "
                f"{self.args.build}")

    def write_repro(self, number, entry):
        """OUT/repro/NN-COLUMN.pcap, both builds' output on it in
        OUT/repro/NN-COLUMN/, and OUT/repro/NN-COLUMN.txt."""
        r, g = entry.repro, entry.main
        rdir = self.out / "repro"
        rdir.mkdir(parents=True, exist_ok=True)
        name = f"{number:02d}-{slug(g.column)}"
        r.path = rdir / (name + r.capture.suffix)
        r.path.write_bytes(r.capture.to_bytes())
        d = rdir / name
        shutil.rmtree(d, ignore_errors=True)
        findings, _, _ = self.builds.compare(r.path, d, self.timeout_for(g.column))
        if findings:
            r.findings = findings
        lines = [f"difftest reproducer {number}: {g.column} [{g.signature}]",
                 f"capture: {r.path} ({describe_capture(r.capture)})",
                 f"shrunk from: {r.origin} ({r.origin_size})",
                 f"reference: {self.args.ref}", f"build: {self.args.build}", ""]
        lines += finding_lines(r.findings, "")
        lines += ["", "to see it:", "  " + self.command(r.path), "",
                  f"or by hand (both outputs are in {d}/ref/ and {d}/build/):",
                  f"  {self.args.ref} -r {r.path} -w {d}/ref/ -s",
                  f"  {self.args.build} -r {r.path} -w {d}/build/ -s"]
        for kind in ("packets", "flows"):
            if any(f.column.startswith(kind + ":") for f in r.findings):
                lines.append(f"  scripts/t2diff.py {d}/ref/{r.path.stem}_{kind}.txt "
                             f"{d}/build/{r.path.stem}_{kind}.txt")
        r.path.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="latin-1")


def entries_of(groups):
    """The groups, those one reproducer shows gathered in one entry."""
    entries = []
    by_repro = {}
    for g in groups:
        e = by_repro.get(id(g.repro)) if g.repro is not None else None
        if e is not None:
            e.groups.append(g)
            continue
        e = Entry(g)
        entries.append(e)
        if g.repro is not None:
            by_repro[id(g.repro)] = e
    return entries


def format_table(head, rows, right=()):
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(head)]

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    return [line(head), line(["-" * w for w in widths])] + [line(r) for r in rows]


def print_results(camp, entries, n, differ):
    for k, e in enumerate(entries, 1):
        g = e.main
        print(f"\n== {k}. {g.column} [{g.signature}]: {g.counts()}")
        for other in e.groups[1:]:
            print(f"   also {other.column} [{other.signature}]: {other.counts()}")
        first = g.captures[0]
        print(f"   first seen in {first[2]} ({first[3]})")
        r = e.repro
        if r is None:
            print(f"   no reproducer: {g.note}")
            for line in finding_lines([first[4]], "     "):
                print(line)
            continue
        print(f"   reproducer: {r.path} ({describe_capture(r.capture)}), shrunk from "
              f"{r.origin} ({r.origin_size})")
        for line in finding_lines(r.findings, "     "):
            print(line)
        print(f"   see it: {camp.command(r.path)}")
    print()
    rows = []
    for k, e in enumerate(entries, 1):
        g = e.main
        column = g.column + (f" (+{len(e.groups) - 1})" if len(e.groups) > 1 else "")
        rows.append((str(k), column, short(g.signature, 40), str(e.captures()),
                     str(g.rows) if g.column.startswith(("packets:", "flows:")) else "",
                     str(e.repro.path) if e.repro else g.note))
    if rows:
        for line in format_table(("#", "column", "signature", "captures", "rows",
                                  "reproducer"), rows, right={0, 3, 4}):
            print(line)
        print()
    print(f"{count(n, 'capture')}: {n - differ} identical, {differ} differ; "
          + (count(len(entries), "finding") if entries else "no findings"))


def make_maker(args, out):
    """The maker of generated captures (bench/gen.c compiled if need be)."""
    kinds = [k for k in KINDS if k in args.kinds]
    sources = Sources(args.data) if "mutant" in kinds else []
    if "mutant" in kinds and not sources:
        print(f"difftest: {args.data}: no captures to make mutants of", file=sys.stderr)
        return None
    gen = None
    if "gen" in kinds:
        gen = args.gen or str(out / "bin" / "gen")
        if not args.gen:
            try:
                difftest_mutate.build_gen(os.environ.get("CC") or "cc",
                                          str(ROOT / "bench"), gen)
            except (OSError, subprocess.CalledProcessError) as e:
                print(f"difftest: cannot compile bench/gen*.c: {e}", file=sys.stderr)
                return None
    return Maker(args.seed, kinds, sources, gen, out / "captures")


def main_campaign(args, builds, progress):
    out = pathlib.Path(args.out or "difftest-out")
    if args.from_dir and pathlib.Path(args.from_dir).resolve() == (out / "captures").resolve():
        print(f"difftest: --from {args.from_dir}: OUT/captures/ is replaced: copy it first",
              file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("captures", "repro", "work"):
        shutil.rmtree(out / sub, ignore_errors=True)
    (out / "captures").mkdir()
    (out / "work").mkdir()
    camp = Campaign(args, builds, out, progress)
    if args.from_dir:
        try:
            maker = Given(args.from_dir, out / "captures")
        except OSError as e:
            print(f"difftest: {args.from_dir}: {e.strerror or e}", file=sys.stderr)
            return 2
        args.n = len(maker.paths)
        print(f"difftest: {args.build} against {args.ref}, {count(args.n, 'capture')} "
              f"from {args.from_dir}")
    else:
        maker = make_maker(args, out)
        if maker is None:
            return 2
        kinds = [k for k in KINDS if k in args.kinds]
        tally = {k: 0 for k in KINDS}
        for i in range(args.n):
            tally[maker.kind(i)[0]] += 1
        print(f"difftest: {args.build} against {args.ref}, {count(args.n, 'capture')} from "
              f"seed {args.seed}")
        parts = [f"{tally['gen']} mixes from bench/gen.c", f"{tally['stack']} protocol stacks",
                 f"{tally['mutant']} mutants of {args.data_shown}"]
        print("captures: " + ", ".join(p for p, k in zip(parts, KINDS) if k in kinds))
    sys.stdout.flush()

    inflight = []
    differ = 0
    done = 0

    def settle(item):
        nonlocal differ, done
        i, path, desc, futures = item
        ref, got = builds.result(futures)
        findings = compare(ref, got, builds.ignore)
        shutil.rmtree(out / "work" / f"{i:05d}", ignore_errors=True)
        done += 1
        if findings:
            differ += 1
            records = records_of(Capture.parse(path.read_bytes()))
            for n, f in enumerate(findings):
                camp.group(f, (i, n)).add(i, path, desc, records, f)
        elif not args.keep:
            path.unlink()
        progress.show(f"{done}/{args.n} captures, {differ} differ, "
                      f"{count(len(camp.groups), 'finding')}")

    try:
        for i in range(args.n):
            path, kind, desc = maker.make(i)
            inflight.append((i, path, desc, builds.submit(path, out / "work" / f"{i:05d}")))
            while len(inflight) >= 2 * builds.jobs:
                settle(inflight.pop(0))
        while inflight:
            settle(inflight.pop(0))
        groups = sorted(camp.groups.values(), key=lambda g: g.order)
        camp.shrink_all(groups)
        entries = entries_of(groups)
        for k, e in enumerate(entries, 1):
            if e.repro is not None:
                camp.write_repro(k, e)
    finally:
        shutil.rmtree(out / "work", ignore_errors=True)
    progress.done()
    print_results(camp, entries, args.n, differ)
    return 1 if entries else 0


def main_replay(args, builds):
    tmp = tempfile.TemporaryDirectory(prefix="difftest.")
    status = 0
    try:
        for k, name in enumerate(args.replay):
            path = pathlib.Path(name)
            if not path.is_file():
                print(f"difftest: {name}: no such file", file=sys.stderr)
                return 2
            work = pathlib.Path(args.out) / path.stem if args.out else \
                pathlib.Path(tmp.name) / str(k)
            findings, ref, got = builds.compare(path.resolve(), work)
            if not findings:
                print(f"== {name}: no difference")
                continue
            status = 1
            print(f"== {name}: {count(len(findings), 'difference')}")
            for line in finding_lines(findings, "   "):
                print(line)
    finally:
        tmp.cleanup()
    return status


def default_ref():
    """./t2mini of this tree, named relative to the current directory."""
    ref = os.path.relpath(ROOT / "t2mini")
    return ref if os.sep in ref else os.path.join(".", ref)


def build_parser():
    p = argparse.ArgumentParser(
        prog="difftest",
        description="Compare a T2 build with t2mini (or another reference) on captures made "
                    "on the fly; shrink every difference to a small reproducer.",
        epilog="Exit status: 0 nothing differs, 1 something does, 2 usage error.")
    p.add_argument("build", metavar="BUILD",
                   help="the build to check, run as BUILD -r CAPTURE -w OUTDIR/ -s")
    p.add_argument("--ref", default=default_ref(),
                   help="the reference build (default: t2mini of this tree)")
    p.add_argument("-n", type=int, default=200, help="captures to make (default 200)")
    p.add_argument("--seed", type=int, default=1, help="the captures' seed (default 1)")
    p.add_argument("--out",
                   help="output directory (default difftest-out; its captures/, repro/ "
                        "and work/ are replaced); with --replay, where both outputs of "
                        "each capture are kept, in OUT/NAME/ (default: not kept)")
    p.add_argument("-j", "--jobs", type=int, default=0,
                   help="runs at a time (default: twice the CPUs)")
    p.add_argument("--timeout", type=float, default=20.0,
                   help="seconds a run may take before it is a hang (default 20)")
    p.add_argument("--kinds", default=",".join(KINDS),
                   help="which captures: gen,stack,mutant (default all three)")
    p.add_argument("--data", default=str(ROOT / "data"),
                   help="the captures to make mutants of (default data/)")
    p.add_argument("--gen", help="a bench/gen.c binary (default: compiled into OUT/bin/)")
    p.add_argument("--budget", type=int, default=250,
                   help="candidates tested at most per shrink (default 250)")
    p.add_argument("--max-shrink", type=int, default=50,
                   help="reproducers made at most (default 50)")
    p.add_argument("--from", dest="from_dir", metavar="DIR",
                   help="compare on the captures in DIR instead of generated ones")
    p.add_argument("--keep", action="store_true",
                   help="keep every capture in OUT/captures/, not only those that differ")
    p.add_argument("--ignore", metavar="COLS", action="append", default=[],
                   help="comma-separated packet and flow file columns not to compare "
                        "(repeatable), as t2diff's --ignore")
    p.add_argument("--replay", action="append", metavar="CAPTURE",
                   help="only run both builds on this capture (repeatable) and show the "
                        "differences")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    args.kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    bad = [k for k in args.kinds if k not in KINDS]
    if bad or not args.kinds or args.n < 0 or args.jobs < 0 or args.timeout <= 0:
        print("difftest: bad option: " + (f"--kinds {','.join(bad)}" if bad else
                                          "-n, --jobs, --timeout or --kinds"), file=sys.stderr)
        return 2
    build, ref = find_build(args.build), find_build(args.ref)
    if build is None or ref is None:
        return 2
    try:
        args.data_shown = os.path.relpath(args.data) + "/"
    except ValueError:
        args.data_shown = args.data
    if os.path.abspath(args.data) == str(ROOT / "data"):
        args.data_shown = "data/"
    jobs = args.jobs or 2 * (os.cpu_count() or 1)
    builds = Builds(ref, build, jobs, args.timeout, t2diff.parse_ignore(args.ignore))
    progress = Progress()
    try:
        if args.replay:
            return main_replay(args, builds)
        return main_campaign(args, builds, progress)
    except KeyboardInterrupt:
        builds.close(cancel=True)
        print("\ndifftest: interrupted", file=sys.stderr)
        return 130
    finally:
        builds.close()


if __name__ == "__main__":
    sys.exit(main())
