"""Live capture (-i): signals end the run as in T2, and nothing is lost.

t2mini captures on the loopback interface, filtered to two ports of the
test's own (other programs may use loopback at the same time), while the
test sends UDP datagrams and a TCP exchange.  t2mini also writes every
packet it reads to a pcap file (--dump, through libpcap); the packet and
flow files of the live run must equal what `t2mini -r` writes for that
file.  Needs root (or cap_net_raw): CI runs as root.
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


def start_live(t2mini, tmp_path, udp_port, tcp_port):
    bpf = f"host 127.0.0.1 and (udp port {udp_port} or tcp port {tcp_port})"
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
