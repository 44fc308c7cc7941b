"""T2's command-line options: t2mini writes what T2 0.9.3 writes.

Each case in tests/t2_options/cases.txt was run with T2 0.9.3 (basicFlow,
tcpWin, txtSink, default settings) from the repository's top directory; the
directory of the case's name holds what T2 wrote: its output files, its
stdout (colour codes removed) and its exit status.  Here t2mini runs the
same command line and must write:
- the packet and flow files (and the flow file's parts, -W), byte for byte;
- the headers file from "# Plugins loaded:" on (the lines above describe
  the run);
- the end report (stdout, or PREFIX_log.txt with -l) from "Dump start:" on,
  except the lines that depend on the run (as in test_flows_report.py);
- the same files, no more, and the same exit status.
"""
import fcntl
import os
import pathlib
import re
import shutil
import signal
import struct
import subprocess
import termios
import time

import pytest

from conftest import ROOT, RUN_DEPENDENT, report_tail

CASES_DIR = ROOT / "tests" / "t2_options"


def read_cases():
    cases = []
    for line in (CASES_DIR / "cases.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, stdin, args = line.split("\t")
            cases.append((name, stdin, args.split(" ")))
    return cases


CASES = read_cases()


def run_case(t2mini, geo, tmp_path, stdin, args):
    out = tmp_path / "o"
    inp = tmp_path / "in"
    out.mkdir()
    inp.mkdir()
    shutil.copy(ROOT / "data" / "vlan.pcap", inp / "vlan.pcap")
    argv = []
    for a in args:
        a = re.sub(r"OUT", str(out / "out"), a)
        argv.append(str(inp / "vlan.pcap") if a == "IN" else a)
    with open(ROOT / stdin, "rb") if stdin != "-" else open("/dev/null", "rb") as f:
        proc = subprocess.run([str(t2mini), "-G", str(geo), *argv], cwd=ROOT, stdin=f,
                              capture_output=True, timeout=120)
    written = {p.name: p for d in (out, inp) for p in d.iterdir() if p.name != "vlan.pcap"}
    return proc, written


def compare_file(name, golden, got):
    if name.endswith("_headers.txt"):
        marker = "# Plugins loaded:"
        g, e = got.read_text(), golden.read_text()
        assert g[g.index(marker):] == e[e.index(marker):], name
    elif name.endswith("_log.txt"):
        assert report_tail(got.read_text()) == report_tail(golden.read_text()), name
    else:
        assert got.read_bytes() == golden.read_bytes(), f"{name} differs from T2's"


@pytest.mark.parametrize("name,stdin,args", CASES, ids=[c[0] for c in CASES])
def test_option_matches_t2(t2mini, geo, tmp_path, name, stdin, args):
    golden = CASES_DIR / name
    proc, written = run_case(t2mini, geo, tmp_path, stdin, args)
    status = int((golden / "status.txt").read_text())
    assert (proc.returncode != 0) == (status != 0), proc.stderr.decode()
    if status == 0:
        assert proc.returncode == 0
    expected = sorted(p.name for p in golden.iterdir() if p.name not in ("stdout.txt", "status.txt"))
    assert sorted(written) == expected
    for n in expected:
        compare_file(n, golden / n, written[n])
    stdout = golden / "stdout.txt"
    if name == "flows_to_stdout":
        assert proc.stdout == stdout.read_bytes()
    else:
        assert report_tail(proc.stdout.decode()) == report_tail(stdout.read_text())


def run(t2mini, *args, **kw):
    return subprocess.run([str(t2mini), *map(str, args)], capture_output=True, text=True,
                          timeout=60, cwd=ROOT, **kw)


@pytest.mark.parametrize("opt", ["-p", "-b", "-e", "-c"])
def test_options_that_do_not_apply_say_why(t2mini, opt):
    p = run(t2mini, "-r", "data/arp_l2.pcap", opt, "x")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and f"'{opt}' does not apply" in p.stderr


@pytest.mark.parametrize("args,what", [
    (["-r", "data/arp_l2.pcap", "-R", "x"], "exclude each other"),
    (["-D", "nonumber"], "'-D'"),
    (["-r", "data/arp_l2.pcap", "-f", "0"], "'-f'"),
    (["-r", "data/arp_l2.pcap", "-S", "-1"], "'-S'"),
    (["-r", "data/arp_l2.pcap", "--no-such-option"], "'--no-such-option'"),
    (["-r"], "'-r'"),
    (["-Z"], "'-Z'"),
])
def test_usage_errors_are_one_line_exit_2(t2mini, args, what):
    p = run(t2mini, *args)
    assert p.returncode == 2, p.stderr
    assert p.stderr.count("\n") == 1 and what in p.stderr


def test_priority(t2mini, tmp_path):
    p = run(t2mini, "-r", "data/arp_l2.pcap", "-w", tmp_path / "x", "-P", "5")
    assert p.returncode == 0 and ", Prio: 5, " in p.stdout
    p = run(t2mini, "-r", "data/arp_l2.pcap", "-w", tmp_path / "x", "-P", "21")
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and "'-P'" in p.stderr


def test_bad_bpf_file_is_one_line(t2mini, tmp_path):
    empty = tmp_path / "empty.bpf"
    empty.write_text("# nothing\n")
    for f in (empty, tmp_path / "missing.bpf"):
        p = run(t2mini, "-r", "data/arp_l2.pcap", "-w", f"{tmp_path}/", "-F", f)
        assert p.returncode == 1 and p.stderr.count("\n") == 1 and str(f) in p.stderr


def test_version_and_help(t2mini):
    for opt in ("-V", "--version"):
        p = run(t2mini, opt)
        assert p.returncode == 0 and p.stdout.startswith("t2mini ")
    p = run(t2mini, "-h")
    assert p.returncode == 0 and "-R, --pcap-list FILE" in p.stdout and "-D, --input-regex EXPR" in p.stdout


def test_list_file_missing(t2mini, tmp_path):
    p = run(t2mini, "-R", tmp_path / "nolist.txt", "-w", f"{tmp_path}/")
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "nolist.txt" in p.stderr


def test_monitoring_file_removed_when_empty(t2mini, tmp_path):
    p = run(t2mini, "-r", "data/arp_l2.pcap", "-w", tmp_path / "x", "-m")
    assert p.returncode == 0
    assert not (tmp_path / "x_monitoring.txt").exists()


def test_no_progress_line_when_stderr_is_not_a_terminal(t2mini, tmp_path):
    p = run(t2mini, "-r", "data/many_flows.pcap", "-w", f"{tmp_path}/")
    assert p.returncode == 0 and p.stderr == ""


# ------------------------------------------------------------ monitoring

MONITOR_RUN_DEPENDENT = RUN_DEPENDENT + ("USR1 A type report:", "Time:", "Elapsed time:", "ETF:")


def monitor_lines(text):
    return [line for line in text.split("\n") if not line.startswith(MONITOR_RUN_DEPENDENT)]


def records_end(capture, n):
    """Byte offset after the pcap header and n records."""
    data = capture.read_bytes()
    pos = 24
    for _ in range(n):
        pos += 16 + struct.unpack("<I", data[pos + 8:pos + 12])[0]
    return data, pos


def pipe_drained(fd):
    return struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0] == 0


def waits_on_input(pid):
    """The process sleeps (blocked reading its empty pipe)."""
    stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rindex(")") + 2] == "S"


# (golden, capture, records before SIGUSR1, options).  tcpWin's lines in a
# report count the flows ended so far, as in T2's tutorial: none in
# tcp_zerowin before its end; in tcp_states, none before the 660 s gap
# (record 251), all of them after it (the flows timed out).
MONITOR_CASES = [("monitor_stdout", "tcp_zerowin.pcap", 200, ["-s"]),
                 ("monitor_file", "tcp_zerowin.pcap", 300, ["-m"]),
                 ("monitor_flows_open", "tcp_states.pcap", 200, ["-m"]),
                 ("monitor_flows_ended", "tcp_states.pcap", 250, ["-s"])]


@pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs /proc")
@pytest.mark.parametrize("case,capture,records,extra", MONITOR_CASES)
def test_sigusr1_report_matches_t2(t2mini, geo, tmp_path, case, capture, records, extra):
    """T2 read N records from a pipe, got SIGUSR1, then the rest: after the
    next record it printed its intermediate report (stdout, or with -m the
    monitoring file), then the end report at the end of the input."""
    data, split = records_end(ROOT / "data" / capture, records)
    r, w = os.pipe()
    proc = subprocess.Popen([str(t2mini), "-G", str(geo), "-r", "-", "-w", str(tmp_path / "out"),
                             *extra], stdin=r, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        os.write(w, data[:split])
        deadline = time.monotonic() + 30
        while not (pipe_drained(r) and waits_on_input(proc.pid)) and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGUSR1)
        time.sleep(0.2)                 # the signal arrives while t2mini waits
        with os.fdopen(w, "wb") as f:
            f.write(data[split:])
        out, err = proc.communicate(timeout=60)
    finally:
        os.close(r)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err.decode()
    golden = CASES_DIR / case
    expected = (golden / "stdout.txt").read_text()
    assert monitor_lines("\n".join(report_tail(out.decode()))) == \
        monitor_lines("\n".join(report_tail(expected)))
    for f in golden.iterdir():
        if f.name == "out_monitoring.txt":
            assert monitor_lines((tmp_path / f.name).read_text()) == monitor_lines(f.read_text())
        elif f.name != "stdout.txt":
            assert (tmp_path / f.name).read_bytes() == f.read_bytes(), f.name


def test_progress_line_on_a_terminal_is_erased_at_the_end(t2mini, tmp_path):
    """stderr a terminal: the share read, packets/s and the time left,
    rewritten in place and erased at the end."""
    import pty
    listing = tmp_path / "list.txt"
    listing.write_text("".join(str(ROOT / "data" / "many_flows.pcap") + "\n" for _ in range(40)))
    master, slave = pty.openpty()
    proc = subprocess.Popen([str(t2mini), "-R", str(listing), "-w", str(tmp_path / "x")],
                            stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT)
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert proc.wait(timeout=120) == 0
    text = shown.decode()
    assert "packets/s" in text and "% " in text and "left" in text
    updates = text.split("\r")
    assert updates[-1] == "" and updates[-2].strip() == ""     # erased: blanks, back to column 0
