"""Live capture (-i): signals end the run as in T2, and nothing is lost.

t2mini captures on the loopback interface, filtered to two ports of the
test's own (other programs may use loopback at the same time), while the
test sends UDP datagrams and a TCP exchange.  t2mini also writes every
packet it reads to a pcap file (--dump, through libpcap); the packet and
flow files of the live run must equal what `t2mini -r` writes for that
file.

When no packet comes, T2 still times flows out, against the wall clock
(after 1500 empty polls of a millisecond); so does t2mini, after 1.5 s
of waiting.  Those tests use a t2mini built with a flow timeout of 2 s
(FLOW_TIMEOUT, a build setting as in T2), so that they wait seconds, not
minutes.  Needs root (or cap_net_raw): CI runs as root.
"""
import os
import signal
import socket
import subprocess
import time

import pytest

from conftest import ROOT

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="live capture needs root")


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(predicate, seconds=10.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def send_traffic(udp_port, tcp_port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(5):
        u.sendto(b"datagram %d" % i, ("127.0.0.1", udp_port))
    u.close()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", tcp_port))
    srv.listen()
    c = socket.create_connection(("127.0.0.1", tcp_port))
    a, _ = srv.accept()
    c.sendall(b"GET / HTTP/1.0\r\n\r\n")
    a.recv(100)
    a.sendall(b"HTTP/1.0 200 OK\r\n\r\nhello")
    c.recv(100)
    a.close()
    c.close()
    srv.close()


def start_live(t2mini, tmp_path, udp_port, tcp_port=None):
    """t2mini -i lo -s -w TMP/live on the test's ports (and --dump TMP/dump.pcap)."""
    ports = f"udp port {udp_port}" + (f" or tcp port {tcp_port}" if tcp_port else "")
    bpf = f"host 127.0.0.1 and ({ports})"
    report = open(tmp_path / "report.txt", "w")
    proc = subprocess.Popen([str(t2mini), "-i", "lo", "-s", "-w", str(tmp_path / "live"),
                             "--dump", str(tmp_path / "dump.pcap"), bpf],
                            stdout=report, stderr=subprocess.PIPE, text=True)
    started = wait_for(lambda: "Live capture on interface: lo" in (tmp_path / "report.txt").read_text()
                       or proc.poll() is not None)
    assert started and proc.poll() is None, proc.stderr.read() if proc.poll() is not None else ""
    return proc, report


def lines(path):
    return path.read_text().count("\n") if path.exists() else 0


@pytest.mark.parametrize("stop", ["two SIGINTs", "SIGTERM"])
def test_live_capture_equals_reading_the_same_packets(t2mini, tmp_path, stop):
    udp_port, tcp_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    proc, report = start_live(t2mini, tmp_path, udp_port, tcp_port)
    try:
        send_traffic(udp_port, tcp_port)
        # the packet lines reach the file while the capture goes on (5
        # datagrams; a TCP exchange is at least 9 segments, more with ACKs)
        assert wait_for(lambda: lines(tmp_path / "live_packets.txt") >= 1 + 5 + 9)
        proc.send_signal(signal.SIGUSR1)
        assert wait_for(lambda: "USR1 A type report" in (tmp_path / "report.txt").read_text())
        if stop == "SIGTERM":
            proc.send_signal(signal.SIGTERM)
        else:
            proc.send_signal(signal.SIGINT)
            assert wait_for(lambda: "SIGINT: Stop flow creation" in (tmp_path / "report.txt").read_text())
            assert proc.poll() is None          # a first SIGINT does not end the run
            proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        report.close()
    text = (tmp_path / "report.txt").read_text()
    assert "Number of packets dropped by the kernel: 0" in text
    packets = lines(tmp_path / "live_packets.txt") - 1
    assert f"Number of processed packets: {packets}\n" in text

    out = subprocess.run([str(t2mini), "-r", str(tmp_path / "dump.pcap"), "-s", "-w",
                          str(tmp_path / "file")], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    for suffix in ("_packets.txt", "_flows.txt"):
        live = (tmp_path / ("live" + suffix)).read_bytes()
        assert live == (tmp_path / ("file" + suffix)).read_bytes(), suffix
    # the header line, the UDP flow (no reply), the TCP flow's A and B
    assert lines(tmp_path / "live_flows.txt") == 1 + 3


def test_interface_that_does_not_exist(t2mini, tmp_path):
    p = subprocess.run([str(t2mini), "-i", "no-such-if0", "-w", str(tmp_path / "x")],
                       capture_output=True, text=True, timeout=30)
    assert p.returncode == 1 and p.stderr.count("\n") == 1 and "no-such-if0" in p.stderr


# ------------------------------------------ timeouts by the wall clock

@pytest.fixture(scope="session")
def t2mini_timeout_2s(t2mini, tmp_path_factory):
    """t2mini built with FLOW_TIMEOUT 2 (seconds) instead of T2's 182."""
    work = tmp_path_factory.mktemp("timeout_2s")
    binary = work / "t2mini"
    # the Makefile's own rules, with objects and binary of their own (GEN, BIN)
    subprocess.run(["make", "-s", "-j2", "-C", str(ROOT), f"GEN={work / 'gen'}", f"BIN={binary}",
                    "CFLAGS=-O0 -DFLOW_TIMEOUT=2", str(binary)], check=True)
    return binary


def send_datagram(port):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"just one", ("127.0.0.1", port))
    u.close()


def report_seconds(text, label):
    """The number of seconds a line of the end report gives."""
    line = next(l for l in text.split("\n") if l.startswith(label))
    return float(line[len(label):].split()[0])


def stop_live(proc, report):
    """After the test: whatever happened, no t2mini is left running."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    report.close()


def test_first_sigint_without_flows_ends_the_run(t2mini, tmp_path):
    """No packet, no flow: after a first SIGINT the run ends at the next
    timeout walk by the wall clock, without a second SIGINT."""
    proc, report = start_live(t2mini, tmp_path, free_port(socket.SOCK_DGRAM))
    try:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
    finally:
        stop_live(proc, report)
    text = (tmp_path / "report.txt").read_text()
    assert "[INF] SIGINT: Stop flow creation, when all pending flows timeout (182s): exit" in text
    assert "Remove all flows" not in text


@pytest.mark.any_build         # a build of its own
def test_idle_flow_ends_by_the_wall_clock(t2mini_timeout_2s, tmp_path):
    """One datagram, then nothing: its flow ends (its line is in the flow
    file) while t2mini waits; a first SIGINT then ends the run, as no flow
    is left.  The run's last time is the wall clock's, past the timeout."""
    port = free_port(socket.SOCK_DGRAM)
    proc, report = start_live(t2mini_timeout_2s, tmp_path, port)
    try:
        send_datagram(port)
        assert wait_for(lambda: lines(tmp_path / "live_flows.txt") == 2, 30)
        assert proc.poll() is None
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
    finally:
        stop_live(proc, report)
    text = (tmp_path / "report.txt").read_text()
    assert "Number of processed packets: 1\n" in text
    assert report_seconds(text, "Total dump duration: ") >= 2
    assert "Remove all flows" not in text


@pytest.mark.any_build         # a build of its own
def test_first_sigint_waits_for_the_open_flows_to_time_out(t2mini_timeout_2s, tmp_path):
    """A first SIGINT while a flow is open: the run ends by itself once that
    flow has timed out, by the wall clock (no second SIGINT)."""
    port = free_port(socket.SOCK_DGRAM)
    proc, report = start_live(t2mini_timeout_2s, tmp_path, port)
    try:
        send_datagram(port)
        assert wait_for(lambda: lines(tmp_path / "live_packets.txt") == 2)
        proc.send_signal(signal.SIGINT)
        assert wait_for(lambda: "Stop flow creation" in (tmp_path / "report.txt").read_text())
        assert proc.wait(timeout=30) == 0, proc.stderr.read()
    finally:
        stop_live(proc, report)
    text = (tmp_path / "report.txt").read_text()
    assert "[INF] SIGINT: Stop flow creation, when all pending flows timeout (2s): exit" in text
    assert report_seconds(text, "Total dump duration: ") >= 2
    assert lines(tmp_path / "live_flows.txt") == 2
