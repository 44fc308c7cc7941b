"""Run the test suite as N pytest processes side by side (not a test file).

    /usr/bin/python3 tests/shards.py N [PYTEST-ARG...]

runs `python3 -m pytest --shard K/N PYTEST-ARG...` for K = 1..N at the same
time (conftest.py's --shard: every N-th test from the K-th on), prints the
first one's output as it comes and each other one's when it is done, and
exits with the first non-zero status (0 when every part passed).  make
test, make sanitize and make portability-quick run the suite this way: much
of it waits (signals, live capture, timeouts by the wall clock), so two
processes on two cores take little more than half the time of one.  No
file is written: the other parts' output is held in memory.
"""
import subprocess
import sys
import threading
import time


def main(argv):
    if len(argv) < 1 or not argv[0].isdigit() or int(argv[0]) < 1:
        sys.exit("usage: tests/shards.py N [PYTEST-ARG...]")
    n, args = int(argv[0]), argv[1:]
    start = time.monotonic()
    cmd = [sys.executable, "-m", "pytest"]
    if n > 1:
        print(f"--- part 1 of {n}:", flush=True)
    first = subprocess.Popen([*cmd, "--shard", f"1/{n}", *args])
    others = [subprocess.Popen([*cmd, "--shard", f"{k}/{n}", *args], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT) for k in range(2, n + 1)]
    outputs = [b""] * len(others)

    def read(i):
        outputs[i] = others[i].stdout.read()
    readers = [threading.Thread(target=read, args=(i,)) for i in range(len(others))]
    try:
        for t in readers:
            t.start()
        status = [first.wait(), *(p.wait() for p in others)]
        for t in readers:
            t.join()
    except KeyboardInterrupt:
        for p in [first, *others]:
            p.kill()
        raise
    for k, out in enumerate(outputs, 2):
        sys.stdout.flush()
        print(f"--- part {k} of {n}:", flush=True)
        sys.stdout.buffer.write(out)
    if n > 1:
        print(f"--- {n} parts in {time.monotonic() - start:.0f} s: "
              + ", ".join({0: "passed", 5: "no test"}.get(s, f"exit status {s}") for s in status),
              flush=True)
    # 5: no test in that part (-k chose fewer tests than there are parts)
    if 0 in status:
        status = [0 if s == 5 else s for s in status]
    return next((s for s in status if s != 0), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
