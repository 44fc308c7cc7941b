"""SIGINT and SIGTERM end the run as T2 0.9.3's signal handler does.

T2 counts SIGINTs down: the first stops flow creation (packets of new
flows are counted, but get no flow and no packet line) and the run ends
once no flow is left; the second ends reading; the third drops the flows
not yet written.  SIGTERM ends reading; once reading is over it ends the
run at once, with status 1.

Each case in tests/t2_signals/cases.txt was run with T2 0.9.3 (basicFlow,
tcpWin, txtSink): it read tests/t2_signals/signals.pcap from a pipe and got
the signals after the given numbers of records, while it waited for the
next one.  The case's directory holds what T2 wrote.  t2mini gets the same
records and signals and must write the same packet and flow files, the
same end report (from "Dump start:" on, less the lines that depend on the
run), the same signal messages and exit with the same status.

The signals are deterministic: each is sent while t2mini waits on its
empty pipe, and the next records are written only once the kernel has
delivered it (/proc/PID/status no longer shows it pending).

The last tests cover t2mini's two departures after a third SIGINT (the
README lists them): a SIGTERM still ends the run, and the end of the
input does not bring the writing of flows back.
"""
import fcntl
import os
import pathlib
import re
import signal
import struct
import subprocess
import termios
import time

import pytest

from conftest import ROOT, report_tail

CASES_DIR = ROOT / "tests" / "t2_signals"
CAPTURE = CASES_DIR / "signals.pcap"

pytestmark = pytest.mark.skipif(not pathlib.Path("/proc/self/status").exists(),
                                reason="needs /proc")


def read_cases():
    cases = []
    for line in (CASES_DIR / "cases.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, plan = line.split("\t")
            cases.append((name, plan))
    return cases


def parse_plan(plan):
    """"5:INT,5:INT" -> [(5, SIGINT), (5, SIGINT)]."""
    steps = []
    for step in plan.split(","):
        records, name = step.split(":")
        steps.append((int(records), getattr(signal, "SIG" + name)))
    return steps


def record_ends(data):
    """Byte offsets after the pcap header and after each record."""
    ends = [24]
    while ends[-1] < len(data):
        ends.append(ends[-1] + 16 + struct.unpack("<I", data[ends[-1] + 8:ends[-1] + 12])[0])
    return ends


def wait_until(predicate, seconds=30.0):
    end = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("the program did not get there")
        time.sleep(0.02)


def state(pid):
    """The process's state letter, or "X" once it has ended."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "X"
    return stat[stat.rindex(")") + 2]


def pending(pid, signum):
    """The signal is still waiting to be delivered."""
    try:
        status = pathlib.Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    bit = 1 << (signum - 1)
    masks = re.findall(r"^(?:SigPnd|ShdPnd):\s*([0-9a-f]+)$", status, re.M)
    return any(int(m, 16) & bit for m in masks)


def run_with_signals(argv, plan, cwd=ROOT, settle=0.0, unheard_ok=False, records=None):
    """Run argv (reading -r -) on the capture's records from a pipe, with
    the signals of the plan; returns (status, stdout, stderr).  `settle`:
    seconds to wait after each delivery (T2 handles signals in a thread of
    its own, which has quit after a third SIGINT: with `unheard_ok` a
    signal still pending after 2 s is left so).  `records`: only the
    first so many records are sent."""
    data = CAPTURE.read_bytes()
    ends = record_ends(data)
    if records is not None:
        data = data[:ends[records]]
    r, w = os.pipe()
    proc = subprocess.Popen(argv, stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            cwd=cwd)
    os.close(r)
    sent = 0
    try:
        for records, signum in parse_plan(plan):
            os.write(w, data[sent:ends[records]])
            sent = ends[records]
            # waiting for the next record: the pipe empty, the process asleep
            wait_until(lambda: state(proc.pid) in "SX" and pipe_empty(w))
            if proc.poll() is not None:
                break
            proc.send_signal(signum)
            try:
                wait_until(lambda: not pending(proc.pid, signum), 2.0 if unheard_ok else 30.0)
            except AssertionError:
                if not unheard_ok:
                    raise
            time.sleep(settle)
        try:
            os.write(w, data[sent:])
        except BrokenPipeError:
            pass                        # it has ended already
        os.close(w)
        w = -1
        out, err = proc.communicate(timeout=60)
    finally:
        if w >= 0:
            os.close(w)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return proc.returncode, out.decode(), err.decode()


def pipe_empty(fd):
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0] == 0


def signal_messages(text):
    return [line for line in text.split("\n") if line.startswith(("[INF] SIGINT", "[INF] SIGTERM"))]


def run_t2mini(t2mini, tmp_path, plan, records=None):
    return run_with_signals([str(t2mini), "-r", "-", "-s", "-w", str(tmp_path / "out")], plan,
                            records=records)


@pytest.mark.parametrize("name,plan", read_cases())
def test_signals_end_the_run_as_in_t2(t2mini, tmp_path, name, plan):
    status, out, err = run_t2mini(t2mini, tmp_path, plan)
    golden = CASES_DIR / name
    expected = (golden / "stdout.txt").read_text()
    assert status == int((golden / "status.txt").read_text()), err
    assert signal_messages(out) == signal_messages(expected)
    assert report_tail(out) == report_tail(expected)
    for f in ("out_packets.txt", "out_flows.txt"):
        assert (tmp_path / f).read_bytes() == (golden / f).read_bytes(), f


def test_sigterm_after_a_third_sigint_ends_at_once(t2mini, tmp_path):
    """T2's signal thread has quit after the third SIGINT, so T2 would wait
    on for the next record; t2mini ends at once, as for a SIGTERM after the
    second: status 1, the records so far written, no flow (as T2 after
    term_twice)."""
    status, out, err = run_t2mini(t2mini, tmp_path, "5:INT,5:INT,5:INT,5:TERM")
    assert status == 1, err
    assert signal_messages(out) == signal_messages((CASES_DIR / "int_thrice" / "stdout.txt").read_text())
    assert "Dump stop" not in out
    for f in ("out_packets.txt", "out_flows.txt"):
        assert (tmp_path / f).read_bytes() == (CASES_DIR / "term_twice" / f).read_bytes(), f


def test_input_ending_after_a_third_sigint_writes_no_flow(t2mini, tmp_path):
    """The end of the input sets T2's count back to "ending", and T2 then
    writes every flow after all; t2mini keeps to the third SIGINT: the
    report, but no flow (the five records read, as T2 after term_twice)."""
    status, out, err = run_t2mini(t2mini, tmp_path, "5:INT,5:INT,5:INT", records=5)
    assert status == 0, err
    assert "Terminate, terminate." in out and "Number of processed packets: 5\n" in out
    for f in ("out_packets.txt", "out_flows.txt"):
        assert (tmp_path / f).read_bytes() == (CASES_DIR / "term_twice" / f).read_bytes(), f


def test_the_capture_is_the_one_of_the_goldens(tmp_path):
    """signals.pcap is what make_capture.py writes."""
    subprocess.run(["/usr/bin/python3", "-B", str(CASES_DIR / "make_capture.py"),
                    str(tmp_path / "signals.pcap")], check=True)
    assert (tmp_path / "signals.pcap").read_bytes() == CAPTURE.read_bytes()
