#!/usr/bin/env python3
"""t2diff: compare two Tranalyzer2 text files column by column.

    t2diff.py [--ignore COLS] [--max N] [--full] [--strict] EXPECTED GOT

EXPECTED and GOT are T2 packet files (``*_packets.txt``, header ``%pktNo ...``)
or flow files (``*_flows.txt``, header ``%dir flowInd ...``): optional leading
comment lines starting with ``#``, a header line starting with ``%`` that
names the tab-separated columns, then one row per line.

Rows are matched by ``pktNo`` (packet files) or by ``dir`` + ``flowInd``
(flow files); columns are matched by name, so files with different column
sets or orders still compare on the columns they share.  The report lists
the columns found in only one file, the rows found in only one file
(missing: in EXPECTED only; extra: in GOT only), every differing row with the
differing columns and both values (up to --max rows), and ends with a table
of the number of differing rows per column.

Exit status:
  0  the files are equivalent: the same column set (ignored columns aside),
     the same rows, and equal cells in every compared column.  Without
     --strict a different column or row order, or bytes outside the cells
     (comment lines, a missing final newline), are reported but allowed.
  1  the files differ.  With --strict also when they are equivalent but not
     byte-identical (with --ignore: equivalent, but columns or rows in
     another order).
  2  usage error, or a file that cannot be read or has no T2 header line
     (one line on stderr naming the file).

The files are read as bytes (cells may hold any byte); values are shown
decoded as Latin-1, quoted and escaped as Python does.

As a module:  diff = compare_files(expected, got, ignore=("time",))
              print(format_report(diff, max_rows=20)); diff.equivalent
"""
import argparse
import sys

__all__ = ["T2DiffError", "Table", "Diff", "parse_table", "read_table",
           "compare_tables", "compare_files", "format_report", "main"]

DEFAULT_MAX = 20
EXTRA_CELLS = "(extra cells)"   # pseudo column: cells beyond the header's columns
SHOW_WIDTH = 72                 # longer values are shown around their first difference


class T2DiffError(Exception):
    """A file cannot be read or is not a T2 text file (message names it)."""


class Table:
    """A parsed T2 text file.

    columns: the column names (header without '%'); rows: list of
    (key, line bytes, cells) in file order; index: key -> position in rows.
    """

    def __init__(self, name, data, preamble, columns, rows, key_columns):
        self.name = name
        self.data = data
        self.preamble = preamble
        self.columns = columns
        self.rows = rows
        self.key_columns = key_columns
        self.index = {row[0]: i for i, row in enumerate(rows)}

    @property
    def kind(self):
        if self.key_columns == ("pktNo",):
            return "packet file"
        if self.key_columns == ("dir", "flowInd"):
            return "flow file"
        return "file"


def _split_header(line):
    names = line[1:].decode("latin-1").split("\t")
    seen = {}
    out = []
    for n in names:           # keep duplicate names apart: name, name#2, ...
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n}#{seen[n]}")
    return out


def parse_table(data, name="<data>", key_columns=None):
    """Parse the bytes of a T2 text file.

    key_columns: the columns that identify a row; by default ('pktNo',) when
    the file has a pktNo column, else ('dir', 'flowInd'), else the line
    number.  A key seen twice gets an occurrence number.
    """
    lines = data.split(b"\n")
    preamble = []
    i = 0
    while i < len(lines) and (lines[i].startswith(b"#") or not lines[i].strip()):
        preamble.append(lines[i])
        i += 1
    if i == len(lines) or not lines[i].startswith(b"%"):
        raise T2DiffError(f"{name}: no T2 header line (a line starting with '%')")
    columns = _split_header(lines[i])
    if key_columns is None:
        if "pktNo" in columns:
            key_columns = ("pktNo",)
        elif "dir" in columns and "flowInd" in columns:
            key_columns = ("dir", "flowInd")
        else:
            key_columns = ()
    key_idx = [columns.index(c) for c in key_columns if c in columns]
    if len(key_idx) != len(key_columns):
        raise T2DiffError(f"{name}: no column {' '.join(key_columns)} to match rows by")
    rows = []
    seen = {}
    for lineno in range(i + 1, len(lines)):
        line = lines[lineno]
        if not line:
            continue
        cells = line.split(b"\t")
        if key_idx:
            key = tuple(cells[k].decode("latin-1") if k < len(cells) else "" for k in key_idx)
        else:
            key = (str(lineno - i),)
        if key in seen:
            seen[key] += 1
            key = key + (f"#{seen[key]}",)
        else:
            seen[key] = 1
        rows.append((key, line, cells))
    return Table(name, data, preamble, columns, rows, tuple(key_columns))


def read_table(path, key_columns=None):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise T2DiffError(f"{path}: cannot read: {e.strerror or e}") from None
    return parse_table(data, str(path), key_columns)


class Diff:
    """The result of comparing EXPECTED with GOT.

    missing / extra: keys of rows in EXPECTED only / GOT only (file order);
    rows: [(key, [(column, expected value, got value), ...])] for every
    differing row (values are bytes, None for an absent cell);
    counts: column -> number of differing rows, for every compared column.
    """

    def __init__(self, expected, got, ignore):
        self.expected = expected
        self.got = got
        self.ignore = sorted(ignore)
        self.only_expected = []
        self.only_got = []
        self.compared = []
        self.missing = []
        self.extra = []
        self.rows = []
        self.counts = {}
        self.column_order_differs = False
        self.row_order_differs = None       # key of the first row out of order
        self.byte_identical = expected.data == got.data

    @property
    def key_columns(self):
        return self.expected.key_columns

    @property
    def equivalent(self):
        """Same column set, same rows, equal compared cells (exit status 0)."""
        return not (self.only_expected or self.only_got or self.missing or self.extra
                    or self.rows)

    @property
    def strictly_identical(self):
        """Byte-identical; with ignored columns: equivalent and in the same order."""
        if not self.ignore:
            return self.byte_identical
        return (self.equivalent and not self.column_order_differs
                and self.row_order_differs is None)

    def worst_columns(self, n=3):
        """The n columns with the most differing rows: [(column, count)]."""
        items = [(c, k) for c, k in self.counts.items() if k]
        items.sort(key=lambda ck: -ck[1])
        return items[:n]

    def key_text(self, key):
        return format_key(self.key_columns, key)


def format_key(key_columns, key):
    extra = f" ({key[-1]})" if len(key) > max(len(key_columns), 1) else ""
    if key_columns == ("pktNo",):
        return f"pktNo {key[0]}{extra}"
    if key_columns == ("dir", "flowInd"):
        return f"flow {key[0]} {key[1]}{extra}"
    if not key_columns:
        return f"row {key[0]}{extra}"
    return ", ".join(f"{c} {v}" for c, v in zip(key_columns, key)) + extra


def compare_tables(expected, got, ignore=()):
    """Compare two parsed tables; return a Diff."""
    ignore = set(ignore)
    if expected.key_columns != got.key_columns:
        if "pktNo" in expected.columns and "pktNo" in got.columns:
            keys = ("pktNo",)
        elif all(c in t.columns for c in ("dir", "flowInd") for t in (expected, got)):
            keys = ("dir", "flowInd")
        else:
            raise T2DiffError(
                f"{got.name}: no row key in common with {expected.name} "
                f"({expected.kind} keyed by {' '.join(expected.key_columns) or 'line number'}, "
                f"{got.kind} keyed by {' '.join(got.key_columns) or 'line number'})")
        expected = parse_table(expected.data, expected.name, keys)
        got = parse_table(got.data, got.name, keys)
    d = Diff(expected, got, ignore)
    gset = set(got.columns)
    eset = set(expected.columns)
    d.only_expected = [c for c in expected.columns if c not in gset and c not in ignore]
    d.only_got = [c for c in got.columns if c not in eset and c not in ignore]
    keyset = set(expected.key_columns)
    gpos = {c: i for i, c in enumerate(got.columns)}
    pairs = [(c, i, gpos[c]) for i, c in enumerate(expected.columns)
             if c in gpos and c not in ignore and c not in keyset]
    d.compared = [c for c, _, _ in pairs]
    common = [c for c in expected.columns if c in gpos and c not in ignore]
    d.column_order_differs = common != [c for c in got.columns if c in eset and c not in ignore]
    ne, ng = len(expected.columns), len(got.columns)
    d.counts = {c: 0 for c in d.compared}
    d.counts[EXTRA_CELLS] = 0
    # Whole lines are equal only if the cells line up: same header, nothing ignored.
    same_layout = expected.columns == got.columns and not ignore
    gindex = got.index
    grows = got.rows
    counts = d.counts
    for key, eline, ecells in expected.rows:
        gi = gindex.get(key)
        if gi is None:
            d.missing.append(key)
            continue
        gline, gcells = grows[gi][1], grows[gi][2]
        if same_layout and eline == gline:
            continue
        cells = []
        le, lg = len(ecells), len(gcells)
        for c, ei, gj in pairs:
            ev = ecells[ei] if ei < le else None
            gv = gcells[gj] if gj < lg else None
            if ev != gv:
                cells.append((c, ev, gv))
                counts[c] += 1
        ev = b"\t".join(ecells[ne:]) if le > ne else None
        gv = b"\t".join(gcells[ng:]) if lg > ng else None
        if ev != gv:
            cells.append((EXTRA_CELLS, ev, gv))
            counts[EXTRA_CELLS] += 1
        if cells:
            d.rows.append((key, cells))
    if not counts[EXTRA_CELLS]:
        del counts[EXTRA_CELLS]
    eindex = expected.index
    d.extra = [row[0] for row in grows if row[0] not in eindex]
    e_order = [row[0] for row in expected.rows if row[0] in gindex]
    g_order = [row[0] for row in grows if row[0] in eindex]
    if e_order != g_order:
        for ek, gk in zip(e_order, g_order):
            if ek != gk:
                d.row_order_differs = gk
                break
    return d


def compare_files(expected_path, got_path, ignore=()):
    """Read and compare two T2 text files; raises T2DiffError on I/O or format errors."""
    return compare_tables(read_table(expected_path), read_table(got_path), ignore)


def show_value(v, other=None, full=False):
    """A cell value for the report: quoted, escaped; long values around their first difference."""
    if v is None:
        return "<absent>"
    s = v.decode("latin-1")
    if full or len(s) <= SHOW_WIDTH:
        return repr(s)
    o = other.decode("latin-1") if other is not None else ""
    i = 0
    n = min(len(s), len(o))
    while i < n and s[i] == o[i]:
        i += 1
    start = max(0, i - 20)
    end = min(len(s), start + SHOW_WIDTH - 20)
    return ("..." if start else "") + repr(s[start:end]) + ("..." if end < len(s) else "") + \
        f" ({len(s)} chars, differs at char {i + 1})"


def _key_list(diff, keys, limit):
    """Keys as text; runs of consecutive packet numbers as ranges."""
    parts = []
    if diff.key_columns == ("pktNo",) and all(len(k) == 1 and k[0].isdigit() for k in keys):
        nums = [int(k[0]) for k in keys]
        start = prev = None
        for n in nums:
            if start is not None and n == prev + 1:
                prev = n
                continue
            if start is not None:
                parts.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = prev = n
        if start is not None:
            parts.append(f"{start}" if start == prev else f"{start}-{prev}")
        label = "pktNo "
    else:
        parts = [diff.key_text(k) for k in keys]
        label = ""
    more = len(parts) - limit
    text = label + ", ".join(parts[:limit])
    if more > 0:
        text += f", ... ({more} more)"
    return text


def _count(n, what):
    return f"{n} {what}" + ("" if n == 1 else "s")


def format_report(diff, max_rows=DEFAULT_MAX, full=False):
    """The human-readable report (ends with a newline)."""
    e, g = diff.expected, diff.got
    out = [f"expected: {e.name}", f"got:      {g.name}",
           f"{e.kind}: rows matched by {' + '.join(e.key_columns) or 'line number'}; "
           f"{len(e.rows)} rows expected, {len(g.rows)} got"]
    if diff.ignore:
        out.append("ignored columns: " + ", ".join(diff.ignore))
        unknown = [c for c in diff.ignore if c not in e.columns and c not in g.columns]
        if unknown:
            out.append("  (not in either file: " + ", ".join(unknown) + ")")
    if diff.only_expected:
        out.append("columns only in expected: " + ", ".join(diff.only_expected))
    if diff.only_got:
        out.append("columns only in got: " + ", ".join(diff.only_got))
    if diff.column_order_differs:
        ec = [c for c in e.columns if c in g.columns and c not in diff.ignore]
        gc = [c for c in g.columns if c in e.columns and c not in diff.ignore]
        i = next(i for i, (a, b) in enumerate(zip(ec, gc)) if a != b)
        out.append(f"columns in a different order: common column {i + 1} is {ec[i]} in "
                   f"expected, {gc[i]} in got")
    shown_keys = max(max_rows, 1)
    if diff.missing:
        out.append(f"missing rows (in expected only): {len(diff.missing)}: "
                   + _key_list(diff, diff.missing, shown_keys))
    if diff.extra:
        out.append(f"extra rows (in got only): {len(diff.extra)}: "
                   + _key_list(diff, diff.extra, shown_keys))
    if diff.row_order_differs is not None:
        out.append("rows in a different order: first out of place in got: "
                   + diff.key_text(diff.row_order_differs))
    if diff.rows:
        out.append(f"differing rows: {len(diff.rows)}")
        for key, cells in diff.rows[:max_rows]:
            kt = diff.key_text(key)
            for c, ev, gv in cells:
                out.append(f"  {kt}: {c}: expected {show_value(ev, gv, full)}, "
                           f"got {show_value(gv, ev, full)}")
        if len(diff.rows) > max_rows:
            out.append(f"  ... {len(diff.rows) - max_rows} more differing rows not shown "
                       f"(--max {max_rows})")
    # The per-column table.
    table = [(c, k) for c, k in diff.counts.items() if k]
    table.sort(key=lambda ck: -ck[1])   # stable: file order among equal counts
    if diff.missing:
        table.append(("(missing rows)", len(diff.missing)))
    if diff.extra:
        table.append(("(extra rows)", len(diff.extra)))
    if table:
        w = max(len("column"), *(len(c) for c, _ in table))
        out.append("")
        out.append(f"{'column':<{w}}  differing rows")
        for c, k in table:
            out.append(f"{c:<{w}}  {k:>14}")
        out.append("")
    if diff.equivalent:
        if diff.byte_identical:
            out.append("result: identical (byte for byte)")
        else:
            notes = []
            if diff.ignore:
                notes.append("ignored columns aside")
            if diff.column_order_differs:
                notes.append("columns in another order")
            if diff.row_order_differs is not None:
                notes.append("rows in another order")
            if not notes:
                notes.append("bytes outside the cells differ")
            out.append("result: equivalent, not byte-identical (" + ", ".join(notes) + ")")
    else:
        parts = []
        if diff.rows:
            parts.append(_count(len(diff.rows), "differing row"))
        if diff.missing:
            parts.append(_count(len(diff.missing), "missing row"))
        if diff.extra:
            parts.append(_count(len(diff.extra), "extra row"))
        if diff.only_expected or diff.only_got:
            parts.append(_count(len(diff.only_expected) + len(diff.only_got), "column")
                         + " in one file only")
        out.append("result: different: " + ", ".join(parts))
    return "\n".join(out) + "\n"


def _nonneg_int(s):
    try:
        n = int(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {s!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {s!r}")
    return n


def parse_ignore(values):
    """['time,pktIAT', 'l7Content'] -> {'time', 'pktIAT', 'l7Content'}"""
    return {c.strip().lstrip("%") for v in values or () for c in v.split(",") if c.strip()}


def build_parser():
    p = argparse.ArgumentParser(
        prog="t2diff",
        description="Compare two Tranalyzer2 packet or flow files column by column: rows "
                    "matched by pktNo (packet files) or dir+flowInd (flow files), columns "
                    "by name.",
        epilog="Exit status: 0 equivalent (same column set and rows, equal cells in the "
               "compared columns), 1 different, 2 usage or I/O error.")
    p.add_argument("expected", metavar="EXPECTED", help="the reference file (e.g. a golden)")
    p.add_argument("got", metavar="GOT", help="the file to check")
    p.add_argument("--ignore", metavar="COLS", action="append", default=[],
                   help="comma-separated column names not to compare (repeatable)")
    p.add_argument("--max", metavar="N", type=_nonneg_int, default=DEFAULT_MAX,
                   help=f"show at most N differing rows (default {DEFAULT_MAX}); "
                        "the table still counts all")
    p.add_argument("--full", action="store_true",
                   help="show long values (payloads) in full")
    p.add_argument("--strict", action="store_true",
                   help="exit 1 unless byte-identical (with --ignore: unless equivalent "
                        "with the same column and row order)")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    try:
        diff = compare_files(args.expected, args.got, parse_ignore(args.ignore))
    except T2DiffError as e:
        print(f"t2diff: {e}", file=sys.stderr)
        return 2
    try:
        sys.stdout.write(format_report(diff, args.max, args.full))
        sys.stdout.flush()
    except BrokenPipeError:
        pass
    ok = diff.strictly_identical if args.strict else diff.equivalent
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
