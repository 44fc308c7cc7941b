#!/usr/bin/env python3
"""Make tests/tawk/expected/NAME.txt: what T2 0.9.3's own tawk prints for
each case of tests/tawk/cases.txt (run by hand; the tests never need T2).

    python3 tests/tawk/make_expected.py /path/to/t2/scripts/tawk/tawk

T2's tawk needs bash and gawk (apt-get install gawk).  Cases whose
expected output T2 cannot make (tawk -V tcpWinStat: T2 has no table for
t2mini's tcpWin plugin) are not in cases.txt: test_tawk.py checks those.
"""
import pathlib
import shlex
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def cases():
    """[(name, [arguments])] of cases.txt."""
    out = []
    for line in (HERE / "cases.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, args = line.split(None, 1)
            out.append((name, shlex.split(args)))
    return out


def split_stdin(args):
    """(arguments, the file standard input comes from or None): a case may
    end in '< FILE'."""
    if len(args) >= 2 and args[-2] == "<":
        return args[:-2], ROOT / args[-1]
    return args, None


def main(tawk):
    for name, args in cases():
        args, stdin = split_stdin(args)
        with open(stdin or "/dev/null", "rb") as f:
            p = subprocess.run([tawk, *args], capture_output=True, cwd=ROOT, stdin=f)
        if p.returncode != 0 or p.stderr:
            sys.exit(f"{name}: T2's tawk failed ({p.returncode}): {p.stderr.decode()}")
        (HERE / "expected" / f"{name}.txt").write_bytes(p.stdout)
        print(f"{name}: {len(p.stdout.splitlines())} lines")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
