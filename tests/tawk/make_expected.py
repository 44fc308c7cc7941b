#!/usr/bin/env python3
"""Make tests/tawk/expected/NAME.txt: what T2 0.9.3's own tawk prints for
each case of tests/tawk/cases.txt (run by hand; the tests never need T2).

    python3 tests/tawk/make_expected.py /path/to/t2/scripts/tawk/tawk

T2's tawk needs bash and gawk (apt-get install gawk).  Cases whose
expected output T2 cannot make (tawk -V tcpWinStat: T2 has no table for
t2mini's tcpWin plugin) are not in cases.txt: test_tawk.py checks those.

It also makes expected/tcol_*.txt, what T2's tcol (column -t -s TAB -n -e,
util-linux's column on Debian; its pager passes a pipe through) prints for
TCOL_INPUTS, and expected/pipe_NAME.txt for the pipelines of PIPES, with
TAWK and TCOL standing for T2's tawk and tcol.
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


TCOL_INPUTS = ["golden/ftp_session_packets.txt", "golden/tcp_states_flows.txt",
               "golden/ipv6_mix_packets.txt", "golden/ftp_session_headers.txt",
               "tests/tawk/expected/vardoc_example.txt", "tests/tawk/tcol_edge.txt"]

# T2's tutorial
PIPES = {
    "tutorial": "TAWK 'hdr() || ($tcpWinThPktCnt > 0 && $tcpWinSize == 0)' "
                "golden/tcp_zerowin_packets.txt | head | TCOL",
    "flow35": "TAWK 'flow(35)' golden/tcp_states_packets.txt | TCOL",
}
T2_TCOL = "column -t -s \"$(printf '\\t')\" -n -e"


def tcol_name(path):
    return "tcol_" + pathlib.Path(path).stem


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
    for path in TCOL_INPUTS:
        p = subprocess.run(f"{T2_TCOL} {path}", shell=True, capture_output=True, cwd=ROOT,
                           check=True)
        (HERE / "expected" / f"{tcol_name(path)}.txt").write_bytes(p.stdout)
        print(f"{tcol_name(path)}: {len(p.stdout.splitlines())} lines")
    for name, pipe in PIPES.items():
        cmd = pipe.replace("TAWK", shlex.quote(tawk)).replace("TCOL", T2_TCOL)
        p = subprocess.run(cmd, shell=True, capture_output=True, cwd=ROOT, check=True)
        (HERE / "expected" / f"pipe_{name}.txt").write_bytes(p.stdout)
        print(f"pipe_{name}: {len(p.stdout.splitlines())} lines")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
