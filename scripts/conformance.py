#!/usr/bin/env python3
"""Conformance runner: run a T2 build on every capture in data/ and compare with golden/.

    conformance.py [options] T2

For every capture data/NAME.pcap / data/NAME.pcapng that has a golden
(golden/NAME_packets.txt, or golden/NAME_flows.txt) it runs

    T2 -r data/NAME.pcap -w OUTDIR/NAME.pcap/ -s        (+ -G GEODIR for t2mini)

and compares the NAME_packets.txt it writes with golden/NAME_packets.txt, and
NAME_flows.txt with golden/NAME_flows.txt when both exist, column by column
with t2diff.  It prints the differing rows of each file that differs (up to
--max rows) and a summary table.

T2 is a real Tranalyzer2 binary (or wrapper) or t2mini.  t2mini gets
-G GEODIR (T2 reads its subnet tables from its plugin folder); the runner
asks `T2 --version` and treats the build as t2mini when the answer starts
with "t2mini"; --t2mini / --no-t2mini decide instead.

With --reference REF, the expected files are not read from golden/ but
written by a second build, REF, run the same way on each capture: any
directory of captures (--data) can then compare two builds, for example a
real Tranalyzer2 against t2mini, without goldens.

A file is "identical" when it equals its golden byte for byte (with --ignore:
when t2diff finds it equivalent with columns and rows in the same order).
Exit status: 0 when every compared file is identical, 1 when one differs or
a build run wrote no packet file, 2 on usage errors (no build, no data).
The build's exit status is shown but not judged (T2 itself exits 1 on some
captures).  Output files go to a temporary directory, removed afterwards,
unless --out DIR is given.
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import t2diff  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
KINDS = ("packets", "flows")
T2DIFF = os.path.relpath(pathlib.Path(__file__).resolve().parent / "t2diff.py")


class Result:
    """One compared (or skipped) file of one capture."""

    def __init__(self, capture, kind, status, diff=None, note="", exit_status=None,
                 golden=None, output=None):
        self.capture = capture          # pathlib.Path of the capture
        self.golden = golden            # the golden and the build's file compared
        self.output = output
        self.kind = kind                # "packets", "flows" or "-"
        self.status = status            # identical, differs, no output, error,
        #                                 no golden, not written (flows: not judged)
        self.diff = diff                # t2diff.Diff or None
        self.note = note
        self.exit_status = exit_status

    @property
    def failed(self):
        return self.status in ("differs", "no output", "error")

    def worst(self, n=3):
        if self.diff is None:
            return self.note
        parts = [f"{c} ({k})" for c, k in self.diff.worst_columns(n)]
        d = self.diff
        if d.only_expected:
            parts.append("only in golden: " + ",".join(d.only_expected))
        if d.only_got:
            parts.append("only in output: " + ",".join(d.only_got))
        if not parts and self.failed and not (d.missing or d.extra):
            if d.column_order_differs:
                parts.append("(column order)")
            if d.row_order_differs is not None:
                parts.append("(row order)")
            if not parts:
                parts.append("(bytes outside cells)")
        return ", ".join(parts)


def is_t2mini(t2, timeout=20):
    """Does `T2 --version` start with "t2mini"?"""
    try:
        p = subprocess.run([t2, "--version"], capture_output=True, timeout=timeout,
                           stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return p.stdout.lstrip().startswith(b"t2mini")


def captures(data):
    return [c for c in sorted(pathlib.Path(data).iterdir())
            if c.suffix in (".pcap", ".pcapng") and c.is_file()]


def run_build(t2, capture, outdir, geo=None, timeout=600):
    """Run T2 on one capture into outdir (created); return (exit status, log path)."""
    outdir.mkdir(parents=True, exist_ok=True)
    cmd = [t2, "-r", str(capture), "-w", f"{outdir}/", "-s"]
    if geo is not None:
        cmd += ["-G", str(geo)]
    log = outdir / "run.log"
    with open(log, "wb") as f:
        f.write(("$ " + " ".join(cmd) + "\n").encode())
        f.flush()
        try:
            p = subprocess.run(cmd, stdout=f, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=timeout)
            status = p.returncode
        except subprocess.TimeoutExpired:
            f.write(f"\nconformance: killed after {timeout} s\n".encode())
            status = "timeout"
        except OSError as e:        # the build went away or cannot be run
            f.write(f"\nconformance: cannot run {t2}: {e.strerror or e}\n".encode())
            status = "not run"
    return status, log


def check_capture(t2, capture, golden, outroot, geo, ignore, timeout, reference=None):
    """Run T2 on one capture and compare its files; return a list of Results.
    `reference`, when given, is (build, geo): its output serves as golden."""
    name = capture.stem
    outdir = outroot / capture.name
    if reference is not None:
        golden = outroot / "reference" / capture.name
        run_build(reference[0], capture, golden, reference[1], timeout)
        outdir = outroot / "build" / capture.name
    goldens = {k: golden / f"{name}_{k}.txt" for k in KINDS}
    if not any(g.exists() for g in goldens.values()):
        return [Result(capture, "-", "no golden",
                       note="the reference wrote nothing" if reference else "")]
    status, log = run_build(t2, capture, outdir, geo, timeout)
    results = []
    for kind in KINDS:
        gpath = goldens[kind]
        out = outdir / f"{name}_{kind}.txt"
        if not gpath.exists():
            continue
        if not out.exists():
            if kind == "packets":
                last = log.read_bytes().decode("latin-1").strip().splitlines()[-1:]
                results.append(Result(capture, kind, "no output", exit_status=status,
                                      note=(last[0][:100] if last else "")))
            else:              # a flow file is compared only when the build writes one
                results.append(Result(capture, kind, "not written", exit_status=status))
            continue
        try:
            diff = t2diff.compare_files(gpath, out, ignore)
        except t2diff.T2DiffError as e:
            results.append(Result(capture, kind, "error", note=str(e), exit_status=status,
                                  golden=gpath, output=out))
            continue
        ok = diff.strictly_identical
        results.append(Result(capture, kind, "identical" if ok else "differs", diff,
                              exit_status=status, golden=gpath, output=out))
    return results


def format_summary(results):
    head = ("capture", "file", "result", "exit", "diff rows", "missing", "extra", "worst columns")
    rows = []
    for r in results:
        d = r.diff
        rows.append((r.capture.name, r.kind, r.status,
                     "" if r.exit_status is None else str(r.exit_status),
                     str(len(d.rows)) if d else "", str(len(d.missing)) if d else "",
                     str(len(d.extra)) if d else "", r.worst()))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h)
              for i, h in enumerate(head)]
    right = {3, 4, 5, 6}

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    out = [line(head), line(["-" * w for w in widths])]
    out += [line(row) for row in rows]
    compared = [r for r in results if r.status not in ("no golden", "not written")]
    same = sum(1 for r in compared if r.status == "identical")
    skipped = sum(1 for r in results if r.status == "no golden")
    unwritten = sum(1 for r in results if r.status == "not written")
    tail = f"{len(compared)} files compared: {same} identical, {len(compared) - same} not"
    if skipped:
        tail += f"; {skipped} capture(s) without a golden skipped"
    if unwritten:
        tail += f"; {unwritten} flow file(s) with a golden not written by the build"
    out += ["", tail]
    return "\n".join(out) + "\n"


def _positive_int(s):
    n = t2diff._nonneg_int(s)
    if n == 0:
        raise argparse.ArgumentTypeError("must be 1 or more: '0'")
    return n


def build_parser():
    p = argparse.ArgumentParser(
        prog="conformance",
        description="Run a T2 build on every capture in data/ and compare its packet "
                    "(and flow) files with golden/, column by column.",
        epilog="Exit status: 0 every compared file identical, 1 a difference, "
               "2 usage error.")
    p.add_argument("t2", metavar="T2", help="the build to check: t2mini or a Tranalyzer2 "
                   "binary/wrapper, run as T2 -r CAPTURE -w OUTDIR/ -s")
    kind = p.add_mutually_exclusive_group()
    kind.add_argument("--t2mini", dest="t2mini", action="store_true", default=None,
                      help="the build is t2mini: pass it -G GEODIR when --geo is given "
                           "(default: ask T2 --version)")
    kind.add_argument("--no-t2mini", dest="t2mini", action="store_false",
                      help="the build is not t2mini: no -G")
    p.add_argument("--geo", metavar="DIR",
                   help="subnet tables for t2mini's -G (default: none, t2mini uses the "
                        "tables built in, T2 0.9.3's)")
    p.add_argument("--data", metavar="DIR", default=str(ROOT / "data"),
                   help="the captures (default data/)")
    p.add_argument("--golden", metavar="DIR", default=str(ROOT / "golden"),
                   help="the goldens (default golden/)")
    p.add_argument("--reference", metavar="REF",
                   help="instead of goldens, compare with what build REF writes for each "
                        "capture (t2mini gets -G GEODIR, as the build does)")
    p.add_argument("--out", metavar="DIR",
                   help="keep the build's output in DIR/CAPTURE/ (default: a temporary "
                        "directory, removed)")
    p.add_argument("--ignore", metavar="COLS", action="append", default=[],
                   help="comma-separated columns not to compare (repeatable)")
    p.add_argument("--max", metavar="N", type=t2diff._nonneg_int, default=5,
                   help="differing rows shown per differing file (default 5; 0: summary only)")
    p.add_argument("--timeout", metavar="S", type=_positive_int, default=600,
                   help="seconds allowed per capture (default 600)")
    return p


def find_build(t2):
    """The build as a command to run, or None (with a message) when there is none."""
    if os.sep in t2 or (os.altsep and os.altsep in t2):
        if not (os.path.isfile(t2) and os.access(t2, os.X_OK)):
            print(f"conformance: {t2}: no such executable", file=sys.stderr)
            return None
        return os.path.abspath(t2)
    if shutil.which(t2) is None:
        print(f"conformance: {t2}: not found in PATH", file=sys.stderr)
        return None
    return t2


def geo_for(mini, geo_dir):
    """-G's directory for a t2mini build, None for another build."""
    if not mini or geo_dir is None:
        return None
    g = pathlib.Path(geo_dir)
    if (g / "subnets4.txt").exists() and (g / "subnets6.txt").exists():
        return g.resolve()
    print(f"conformance: warning: no subnet tables in {g}: t2mini runs without -G, "
          "the geo columns will differ", file=sys.stderr)
    return None


def main(argv=None):
    args = build_parser().parse_args(argv)
    t2 = find_build(args.t2)
    if t2 is None:
        return 2
    reference = None
    if args.reference:
        ref = find_build(args.reference)
        if ref is None:
            return 2
        reference = (ref, geo_for(is_t2mini(ref), args.geo))
    data = pathlib.Path(args.data)
    golden = pathlib.Path(args.golden)
    try:
        caps = captures(data)
    except OSError as e:
        print(f"conformance: {data}: cannot list captures: {e.strerror or e}", file=sys.stderr)
        return 2
    if not caps:
        print(f"conformance: {data}: no .pcap or .pcapng captures", file=sys.stderr)
        return 2
    mini = is_t2mini(t2) if args.t2mini is None else args.t2mini
    geo = geo_for(mini, args.geo)
    ignore = t2diff.parse_ignore(args.ignore)
    tables = f"-G {geo}" if geo else "its built-in subnet tables"
    print(f"build: {t2} ({'t2mini, ' + tables if mini else 'not t2mini'})")
    expected = f"the output of {reference[0]}" if reference else f"goldens: {golden}"
    print(f"captures: {data}, {expected}"
          + (f", ignoring {', '.join(sorted(ignore))}" if ignore else ""))
    tmp = None
    if args.out:
        outroot = pathlib.Path(args.out)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="t2conformance.")
        outroot = pathlib.Path(tmp.name)
    try:
        results = []
        for cap in caps:
            rs = check_capture(t2, cap, golden, outroot, geo, ignore, args.timeout, reference)
            results += rs
            for r in rs:
                if r.failed and r.diff is not None and args.max:
                    print(f"\n== {cap.name}: {r.kind} differs")
                    if args.out:
                        print(f"   (in full: {T2DIFF} {r.golden} {r.output})")
                    sys.stdout.write(t2diff.format_report(r.diff, args.max))
                elif r.failed:
                    print(f"\n== {cap.name}: {r.kind}: {r.status}: {r.note}")
        print()
        sys.stdout.write(format_summary(results))
    finally:
        if tmp is not None:
            tmp.cleanup()
    return 1 if any(r.failed for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
