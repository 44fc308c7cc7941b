#!/usr/bin/env python3
"""t2cols.py - pick rows and columns of a t2mini output file by column name.

    ./t2cols.py [-c COLS] [-n ROWS] FILE [CONDITION]

A thin wrapper over tawk and tcol (scripts/tawk, scripts/tcol; see
docs/TAWK.md), kept for the commands that call it:

    t2cols.py -c a,b FILE 'COND'
        is  tawk 'hdr() || (COND) { print $a, $b }' FILE | tcol

with every line's trailing blanks removed.  FILE is a packet file
PREFIX_packets.txt or a flow file PREFIX_flows.txt ('-' reads stdin).

CONDITION is a tawk (awk) condition in which the columns are named as in
the header without a '$' (pktNo, not %pktNo or $pktNo):

    tcpWinThPktCnt > 0 && tcpWinSize == 0
    flowInd == 35
    (srcPort == 21 || dstPort == 21) && !(l7Content == "")
    flow("3-5") && hdrDesc ~ "tcp"

  - operators: == != < <= > >= ~ !~ && || ! and parentheses, + - * / %;
  - a value is a number (42, 1.5), a hex value 0x1f (compared as the text
    t2mini writes: flowStat == 0x0400000000004001), or a "quoted string";
  - a name followed by '(' (no blank between) is one of tawk's functions
    (flow(), port(), ...);
  - comparisons are awk's: two numbers compare as numbers, anything else
    as text (an empty cell is the text "").

-c pktNo,flowInd,...  prints only those columns, in that order;
-n ROWS               stops after that many rows (the header not counted).
"""
import argparse
import pathlib
import re
import subprocess
import sys

SCRIPTS = pathlib.Path(__file__).resolve().parent
TAWK = SCRIPTS / "tawk"
TCOL = SCRIPTS / "tcol"

TOKEN = re.compile(r"""\s*(?:
    (?P<hex>0[xX][0-9a-fA-F]+) |
    (?P<num>\d+(?:\.\d+)?) |
    (?P<str>"(?:[^"\\]|\\.)*") |
    (?P<name>%?[A-Za-z_][A-Za-z0-9_]*) |
    (?P<op>==|!=|<=|>=|!~|&&|\|\||[<>~!()+\-*/%,])
)""", re.X)


class ConditionError(ValueError):
    pass


def to_awk(condition, columns):
    """The tawk condition of a t2cols condition: column names get their $,
    hex values become the text they are compared with."""
    out, pos, text = [], 0, condition.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read the condition at: {text[pos:].strip()!r}")
        kind, tok = m.lastgroup, m.group(m.lastgroup)
        out.append(text[pos:m.start(kind)])           # the blanks as they were
        pos = m.end()
        if kind == "name":
            if text[pos:].startswith("("):
                out.append(tok)                       # a tawk function
                continue
            name = tok.lstrip("%")
            if name not in columns:
                raise ConditionError(f"no column {name!r} (columns: {' '.join(columns)})")
            tok = "$" + name
        elif kind == "hex":
            tok = f'"{tok}"'
        out.append(tok)
    return "".join(out)


def header_names(first_line):
    """The column names of a header line, without the '%'."""
    return [h.lstrip("%") for h in first_line.rstrip("\n").split("\t")]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Print the rows of a t2mini output file for which CONDITION holds, "
                    "as aligned columns (tawk | tcol).")
    ap.add_argument("-c", "--columns", help="comma-separated column names to print")
    ap.add_argument("-n", "--rows", type=int, help="print at most this many rows")
    ap.add_argument("file", help="a packet or flow file ('-': stdin)")
    ap.add_argument("condition", nargs="?", help='e.g. "flowInd == 35"')
    args = ap.parse_args(argv)

    data = None
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
            first = data.split(b"\n", 1)[0]
        else:
            with open(args.file, "rb") as f:
                first = f.readline()
        names = header_names(first.decode("latin-1"))
        test = to_awk(args.condition, names) if args.condition else "1"
        fields = "$0"
        if args.columns:
            wanted = [c.strip() for c in args.columns.split(",") if c.strip()]
            missing = [c for c in wanted if c not in names]
            if missing:
                raise ConditionError(f"no column {missing[0]!r} (columns: {' '.join(names)})")
            fields = ", ".join("$" + c for c in wanted)
    except (OSError, ConditionError) as e:
        print(f"t2cols: {args.file}: {e}", file=sys.stderr)
        return 2

    limit = "" if args.rows is None else f"if (!hdr() && _t2cols_n++ >= {args.rows}) exit; "
    program = f"hdr() || ({test}) {{ {limit}print {fields} }}"
    tawk = subprocess.run([str(TAWK), program, args.file], input=data,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if tawk.returncode != 0:
        sys.stderr.write(tawk.stderr.decode("latin-1"))
        return 2
    tcol = subprocess.run([str(TCOL)], input=tawk.stdout, stdout=subprocess.PIPE)
    lines = tcol.stdout.split(b"\n")
    sys.stdout.buffer.write(b"".join(line.rstrip() + b"\n" for line in lines[:-1]))
    return tcol.returncode


if __name__ == "__main__":
    sys.exit(main())
