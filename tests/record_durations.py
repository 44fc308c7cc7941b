"""Make tests/durations.txt from a test run (not a test file).

    make test PYTEST_ARGS="--durations=0 --durations-min=0" | /usr/bin/python3 tests/record_durations.py

reads pytest's --durations=0 lines ("1.23s call tests/x.py::test_y") from
stdin and writes, for each test, the seconds of its setup, call and
teardown together, one "SECONDS NODEID" line each, sorted by node id.
conftest.py's --shard uses them to give make test's parts about the same
time; a test missing from the file counts as a tenth of a second.
"""
import pathlib
import re
import sys

LINE = re.compile(r"^(\d+(?:\.\d+)?)s (?:setup|call|teardown) +(.+)$")


def main():
    seconds = {}
    for line in sys.stdin:
        m = LINE.match(line.rstrip("\n"))
        if m:
            seconds[m.group(2)] = seconds.get(m.group(2), 0.0) + float(m.group(1))
    if not seconds:
        sys.exit("record_durations: no --durations=0 lines on stdin")
    out = pathlib.Path(__file__).resolve().parent / "durations.txt"
    out.write_text("".join(f"{seconds[k]:.2f} {k}\n" for k in sorted(seconds)))
    print(f"{out}: {len(seconds)} tests, {sum(seconds.values()):.0f} s in all")


if __name__ == "__main__":
    main()
