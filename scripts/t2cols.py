#!/usr/bin/env python3
"""t2cols.py - pick rows and columns of a t2mini output file by column name.

    ./t2cols.py [-c COLS] [-n ROWS] FILE [CONDITION]

FILE is a tab-separated file with a header line of column names (a packet
file PREFIX_packets.txt or a flow file PREFIX_flows.txt; '-' reads stdin).
t2cols prints the header and the rows for which CONDITION holds, as aligned
columns (each padded to its widest cell, two spaces apart).

CONDITION compares columns with values, and combines comparisons:

    tcpWinThPktCnt > 0 && tcpWinSize == 0
    flowInd == 35
    (srcPort == 21 || dstPort == 21) && !(l7Content == "")

  - a column is named as in the header (pktNo, not %pktNo);
  - operators: == != < <= > >=, && (and), || (or), ! (not), parentheses;
  - a value is a number (42, 0x1f, 1.5) or a "quoted string";
  - two numbers compare as numbers, two texts as text; a number and a
    text (an empty cell, say) are only ever != (so an empty tcpWinSize is
    neither == 0 nor < 1).

-c pktNo,flowInd,...  prints only those columns, in that order;
-n ROWS               stops after that many rows (the header not counted).

It does the jobs of T2's tawk and tcol for t2mini's files, with the
standard Python library only.
"""
import argparse
import re
import sys

TOKEN = re.compile(r"""\s*(?:
    (?P<num>0[xX][0-9a-fA-F]+|-?\d+(?:\.\d+)?) |
    (?P<str>"(?:[^"\\]|\\.)*") |
    (?P<name>[A-Za-z_%][A-Za-z0-9_]*) |
    (?P<op>==|!=|<=|>=|<|>|&&|\|\||!|\(|\))
)""", re.X)


class ConditionError(ValueError):
    pass


def tokenize(text):
    """[(kind, text)] of a condition; kind is num, str, name or op."""
    tokens, pos = [], 0
    text = text.rstrip()
    while pos < len(text):
        m = TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionError(f"cannot read the condition at: {text[pos:].strip()!r}")
        kind = m.lastgroup
        tokens.append((kind, m.group(kind)))
        pos = m.end()
    return tokens


def as_number(text):
    """The number a cell or value holds, or None."""
    try:
        return int(text, 16) if text[:2].lower() == "0x" else float(text)
    except ValueError:
        return None


COMPARE = {
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
}


class Parser:
    """Recursive descent over:  or := and ('||' and)*;  and := not ('&&' not)*;
    not := '!' not | '(' or ')' | operand OP operand."""

    def __init__(self, tokens, columns):
        self.tokens, self.pos, self.columns = tokens, 0, columns

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, kind=None, text=None):
        tok = self.peek()
        if tok[0] is None or (kind and tok[0] != kind) or (text and tok[1] != text):
            want = text or kind or "more"
            raise ConditionError(f"expected {want} in the condition, found {tok[1] or 'its end'}")
        self.pos += 1
        return tok

    def parse(self):
        test = self.parse_or()
        if self.pos != len(self.tokens):
            raise ConditionError(f"unexpected {self.peek()[1]!r} in the condition")
        return test

    def parse_or(self):
        tests = [self.parse_and()]
        while self.peek() == ("op", "||"):
            self.take()
            tests.append(self.parse_and())
        return tests[0] if len(tests) == 1 else (lambda row: any(t(row) for t in tests))

    def parse_and(self):
        tests = [self.parse_not()]
        while self.peek() == ("op", "&&"):
            self.take()
            tests.append(self.parse_not())
        return tests[0] if len(tests) == 1 else (lambda row: all(t(row) for t in tests))

    def parse_not(self):
        if self.peek() == ("op", "!"):
            self.take()
            inner = self.parse_not()
            return lambda row: not inner(row)
        if self.peek() == ("op", "("):
            self.take()
            inner = self.parse_or()
            self.take("op", ")")
            return inner
        left = self.operand()
        op = self.take("op")[1]
        if op not in COMPARE:
            raise ConditionError(f"expected a comparison (== != < <= > >=), found {op!r}")
        right = self.operand()
        cmp = COMPARE[op]

        def test(row):
            a, b = left(row), right(row)
            na, nb = as_number(a), as_number(b)
            if na is not None and nb is not None:
                return cmp(na, nb)
            if na is None and nb is None:
                return cmp(a, b)
            return op == "!="           # a number and a text: only != holds
        return test

    def operand(self):
        kind, text = self.take()
        if kind == "name":
            name = text.lstrip("%")
            if name not in self.columns:
                raise ConditionError(f"no column {name!r} (columns: {' '.join(self.columns)})")
            i = self.columns.index(name)
            return lambda row: row[i] if i < len(row) else ""
        if kind == "num":
            return lambda row: text
        if kind == "str":
            value = re.sub(r"\\(.)", r"\1", text[1:-1])
            return lambda row: value
        raise ConditionError(f"expected a column or a value, found {text!r}")


def read_rows(stream):
    """Header names and rows (lists of cells) of a tab-separated file."""
    lines = stream.read().decode("latin-1").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines:
        raise ConditionError("the file is empty: no header line")
    header = lines[0].split("\t")
    return header, [line.split("\t") for line in lines[1:]]


def aligned(rows):
    """Rows of cells as lines, each column padded to its widest cell."""
    widths = {}
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths.get(i, 0), len(cell))
    return ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip()
            for row in rows]


def main(argv=None):
    ap = argparse.ArgumentParser(
        description="Print the rows of a t2mini output file for which CONDITION holds, "
                    "as aligned columns.")
    ap.add_argument("-c", "--columns", help="comma-separated column names to print")
    ap.add_argument("-n", "--rows", type=int, help="print at most this many rows")
    ap.add_argument("file", help="a packet or flow file ('-': stdin)")
    ap.add_argument("condition", nargs="?", help='e.g. "flowInd == 35"')
    args = ap.parse_args(argv)
    try:
        if args.file == "-":
            header, rows = read_rows(sys.stdin.buffer)
        else:
            with open(args.file, "rb") as f:
                header, rows = read_rows(f)
        names = [h.lstrip("%") for h in header]
        test = Parser(tokenize(args.condition), names).parse() if args.condition else None
        keep = list(range(len(names)))
        if args.columns:
            wanted = [c.strip() for c in args.columns.split(",") if c.strip()]
            missing = [c for c in wanted if c not in names]
            if missing:
                raise ConditionError(f"no column {missing[0]!r} (columns: {' '.join(names)})")
            keep = [names.index(c) for c in wanted]
    except (OSError, ConditionError) as e:
        print(f"t2cols: {args.file}: {e}", file=sys.stderr)
        return 2
    picked = [[header[i] for i in keep]]
    for row in rows:
        if args.rows is not None and len(picked) > args.rows:
            break
        if test is None or test(row):
            picked.append([row[i] if i < len(row) else "" for i in keep])
    sys.stdout.write("".join(line + "\n" for line in aligned(picked)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
