#!/usr/bin/python3
"""bench/bench.py - t2mini's speed and memory on the generated captures.

Run by `make bench` (which builds the release t2mini, bench/out/floor and the
captures first).  Python standard library only.

For the 1x capture it times, RUNS times each, interleaved, medians reported:

  floor      bench/out/floor CAP (libpcap reads every record) PLUS
             writing a file as large as t2mini's packet file in the same
             directory (`dd if=/dev/zero bs=1M`: plain writes, nothing
             read back): reading the input and writing the output's
             bytes, nothing else;
  strict     the same with `floor -b 1048576`: reading through the 1 MiB
             stdio buffer that t2mini's read_capture.c uses (reported beside
             the goal, which is measured against the plain floor);
  -s         t2mini -r CAP -s -w OUTDIR/   (packet mode: the packet file)
  no -s      t2mini -r CAP -w OUTDIR/      (the core without the packet file)

then the 4x-duration capture (same flow concurrency) RUNS4 times each, and
compares its peak RSS with the 1x one.  Peak RSS is the child's ru_maxrss
from wait4(2), taken by the small wrapper bench/rusage.c (a child forked
from Python would inherit Python's RSS as its floor).  The page cache is
warmed first, and before every timed command `sync` runs and the machine
is left alone for SETTLE seconds (default 3), untimed: on a VM whose
memory balloon reports free pages (virtio, ~2 s delay), memory freed by
deleting the previous output is handed back to the host and costs a host
fault per page when touched again, so without the pause a command that
follows a delete closely is up to 3x faster than one that does not.

Then a small capture (data/udp_dns_icmp.pcap, 93 packets), SMALL_RUNS times
each, interleaved, no pause: t2mini's plain command against `tcpdump -nn -r`
of the same file (a run this small is mostly start-up: loading the subnet
tables is what used to dominate), and t2mini's peak RSS against a run with
empty subnet tables (-G), which is what the built-in tables cost in memory.

Goals: small capture <= 1.5 x tcpdump's time; built-in tables
add <= 2 MiB of peak RSS.

Then the 1x capture cut into 1,000 captures read as one list
(-R), against the same packets in one file, LIST_RUNS times each; and, when
run as root with tcpdump installed, a live capture on loopback: UDP
datagrams sent as fast as Python can for LIVE_SECONDS, t2mini -i lo -s and
tcpdump -w capturing them at the same time, and what each received and
dropped as libpcap counts.  Goals: the list <= 1.5 x the one file; live,
t2mini drops no more than tcpdump.
Goals:  t2mini -s <= 2.5 x floor;  peak RSS <= 32 MiB on the 1x
capture;  4x capture's peak RSS within 10 % of the 1x one.  A missed goal is
printed as FAIL; the exit status is 0 unless a command failed.
"""
import argparse
import glob
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

GOAL_RATIO = 2.5
GOAL_RSS_MIB = 32.0
GOAL_RSS_GROWTH = 0.10
GOAL_SMALL_RATIO = 1.5
GOAL_TABLES_MIB = 2.0


RUSAGE = "bench/out/rusage"
SETTLE = 3.0


def add(r, c):
    """Two sequential commands as one: times add up, peak RSS is the larger."""
    return {"wall": r["wall"] + c["wall"], "user": r["user"] + c["user"],
            "sys": r["sys"] + c["sys"], "rss_kib": max(r["rss_kib"], c["rss_kib"])}


def run(cmd, quiet=False):
    """Run cmd under the rusage wrapper after letting the system settle;
    returns dict(wall, user, sys, rss_kib, out).  quiet: do not echo its
    stderr."""
    os.sync()
    time.sleep(SETTLE)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r") as rep:
        rc = subprocess.call([RUSAGE, rep.name] + cmd, stdout=out, stderr=err)
        out.seek(0)
        err.seek(0)
        o, e = out.read().decode(errors="replace"), err.read().decode(errors="replace")
        fields = rep.read().split()
    if rc != 0 or len(fields) != 4:
        sys.exit("bench: command failed (status %d): %s\n%s%s"
                 % (rc, " ".join(cmd), o[-2000:], e[-2000:]))
    if e.strip() and not quiet:
        print("  (stderr of %s: %s)" % (os.path.basename(cmd[0]), e.strip()[:300]))
    wall, user, sys_, rss = float(fields[0]), float(fields[1]), float(fields[2]), int(fields[3])
    return {"wall": wall, "user": user, "sys": sys_, "rss_kib": rss, "out": o}


def rm(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def clean_outputs(outdir, cap):
    """Remove what t2mini wrote for cap (packet file and any other *_X.txt)."""
    base = os.path.splitext(os.path.basename(cap))[0]
    for f in glob.glob(os.path.join(outdir, glob.escape(base) + "_*.txt")):
        rm(f)


def read_info(cap):
    info = {}
    try:
        with open(cap + ".info") as f:
            for line in f:
                k, _, v = line.partition(" ")
                info[k.strip()] = v.strip()
    except OSError:
        pass
    return info


def med(runs, key):
    return statistics.median(r[key] for r in runs)


def packet_file(outdir, cap):
    base = os.path.splitext(os.path.basename(cap))[0]
    return os.path.join(outdir, base + "_packets.txt")


def count_lines(path):
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(1 << 24)
            if not b:
                return n
            n += b.count(b"\n")


def fmt_rate(x):
    return "%.2f M" % (x / 1e6) if x >= 1e6 else "%.0f k" % (x / 1e3)


def row(name, runs, packets, out_bytes=None):
    t = med(runs, "wall")
    cpu = statistics.median(r["user"] + r["sys"] for r in runs)
    rss = med(runs, "rss_kib") / 1024.0
    mbs = "%9.1f" % (out_bytes / t / 1e6) if out_bytes else "%9s" % "-"
    spread = "%.2f-%.2f" % (min(r["wall"] for r in runs), max(r["wall"] for r in runs))
    print("  %-26s %8.3f %11s %7s %9s/s %s %9.1f" % (
        name, t, spread, "%.2f" % cpu, fmt_rate(packets / t), mbs, rss))


def header():
    print("  %-26s %8s %11s %7s %11s %9s %9s" % (
        "", "time s", "min-max", "cpu s", "packets", "out MB/s", "RSS MiB"))


def small_capture(t2mini, cap, runs, outdir):
    """The plain command on a small capture against tcpdump, and the peak RSS
    the built-in subnet tables add; prints the figures and the goals."""
    global SETTLE
    settle, SETTLE = SETTLE, 0.0
    empty = tempfile.mkdtemp(prefix="t2bench-geo.")
    for f in ("subnets4.txt", "subnets6.txt"):
        with open(os.path.join(empty, f), "w") as fh:
            fh.write("#\t5\t0\n")
    tcpdump = shutil.which("tcpdump")
    mini, bare, td = [], [], []
    for _ in range(runs):
        mini.append(run([t2mini, "-r", cap, "-s", "-w", outdir]))
        bare.append(run([t2mini, "-r", cap, "-s", "-w", outdir, "-G", empty]))
        if tcpdump:
            td.append(run([tcpdump, "-nn", "-r", cap], quiet=True))
    SETTLE = settle
    clean_outputs(outdir, cap)
    shutil.rmtree(empty, ignore_errors=True)
    pf = lambda ok: "PASS" if ok else "FAIL"
    print("\nsmall capture %s, %d runs each (medians):" % (cap, runs))
    print("  %-34s %8.4f s  %6.1f MiB" % ("t2mini -r CAP -s (built-in tables)",
                                          med(mini, "wall"), med(mini, "rss_kib") / 1024.0))
    print("  %-34s %8.4f s  %6.1f MiB" % ("t2mini ... -G (empty tables)",
                                          med(bare, "wall"), med(bare, "rss_kib") / 1024.0))
    growth = (med(mini, "rss_kib") - med(bare, "rss_kib")) / 1024.0
    if td:
        print("  %-34s %8.4f s  %6.1f MiB" % ("tcpdump -nn -r CAP",
                                              med(td, "wall"), med(td, "rss_kib") / 1024.0))
        ratio = med(mini, "wall") / med(td, "wall")
        print("  %s  small capture <= %.1f x tcpdump's time: %.2f x"
              % (pf(ratio <= GOAL_SMALL_RATIO), GOAL_SMALL_RATIO, ratio))
    else:
        print("  (tcpdump not installed: apt-get install tcpdump for the time comparison)")
    print("  %s  built-in subnet tables add <= %.0f MiB of peak RSS: %+.2f MiB"
          % (pf(growth <= GOAL_TABLES_MIB), GOAL_TABLES_MIB, growth))


GOAL_LIST_RATIO = 1.5


def list_of_captures(t2mini, cap, runs, outdir, parts=1000):
    """The capture cut into `parts` files read with -R, against the file."""
    import struct
    workdir = tempfile.mkdtemp(prefix="t2bench-list.", dir=outdir)
    with open(cap, "rb") as f:
        data = f.read()
    offsets, pos = [], 24
    while pos + 16 <= len(data):
        offsets.append(pos)
        pos += 16 + struct.unpack("<I", data[pos + 8:pos + 12])[0]
    offsets.append(pos)
    per = max(1, (len(offsets) - 1 + parts - 1) // parts)
    names = []
    for i in range(0, len(offsets) - 1, per):
        name = os.path.join(workdir, "part%04d.pcap" % len(names))
        with open(name, "wb") as f:
            f.write(data[:24] + data[offsets[i]:offsets[min(i + per, len(offsets) - 1)]])
        names.append(name)
    del data
    listing = os.path.join(workdir, "list.txt")
    with open(listing, "w") as f:
        f.write("".join(n + "\n" for n in names))
    one, lst = [], []
    run(["sync"])                       # the parts are written out, then read once
    run([t2mini, "-R", listing, "-w", os.path.join(workdir, "list")])
    for _ in range(runs):
        one.append(run([t2mini, "-r", cap, "-s", "-w", os.path.join(workdir, "one")]))
        lst.append(run([t2mini, "-R", listing, "-s", "-w", os.path.join(workdir, "list")]))
    shutil.rmtree(workdir, ignore_errors=True)
    packets = len(offsets) - 1
    print("\n1x capture as %d captures in a list (-R), %d runs each:" % (len(names), runs))
    header()
    row("t2mini -r CAP -s", one, packets)
    row("t2mini -R LIST -s", lst, packets)
    ratio = med(lst, "wall") / med(one, "wall")
    print("  %s  a list of %d captures <= %.1f x the same packets in one file: %.2f x"
          % ("PASS" if ratio <= GOAL_LIST_RATIO else "FAIL", len(names), GOAL_LIST_RATIO, ratio))


def pcap_counts(text, received, dropped):
    """Numbers from a line "LABEL: N ..." of a report."""
    found = {}
    for line in text.splitlines():
        for key, label in (("received", received), ("dropped", dropped)):
            if line.startswith(label):
                found[key] = int(line.split(":")[1].split()[0])
    return found


def live_loopback(t2mini, seconds, outdir):
    """t2mini -i lo -s and tcpdump -w side by side on a UDP flood."""
    import signal
    import socket
    tcpdump = shutil.which("tcpdump")
    print("\nlive capture on loopback:")
    if os.geteuid() != 0 or not tcpdump:
        print("  skipped: needs root and tcpdump")
        return
    port = 47123
    bpf = "udp port %d" % port
    workdir = tempfile.mkdtemp(prefix="t2bench-live.", dir=outdir)
    mini = subprocess.Popen([t2mini, "-i", "lo", "-s", "-w", os.path.join(workdir, "live"), bpf],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    td = subprocess.Popen([tcpdump, "-i", "lo", "-w", os.path.join(workdir, "td.pcap"), bpf],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    payload, sent, end = b"x" * 64, 0, time.time() + seconds
    while time.time() < end:
        for _ in range(1000):
            sock.sendto(payload, ("127.0.0.1", port))
        sent += 1000
    time.sleep(1.0)
    for sig in (signal.SIGINT, signal.SIGINT):
        mini.send_signal(sig)
        time.sleep(0.3)
    td.send_signal(signal.SIGINT)
    mini_out, _ = mini.communicate(timeout=60)
    _, td_err = td.communicate(timeout=60)
    shutil.rmtree(workdir, ignore_errors=True)
    m = pcap_counts(mini_out, "Number of processed packets", "Number of packets dropped by the kernel")
    td_captured = next((int(l.split()[0]) for l in td_err.splitlines() if "captured" in l), -1)
    td_dropped = next((int(l.split()[0]) for l in td_err.splitlines() if "dropped by kernel" in l), -1)
    print("  sent %d datagrams in %.0f s (%.0f k/s)" % (sent, seconds, sent / seconds / 1e3))
    print("  t2mini -i lo -s: %s processed, %s dropped (libpcap)"
          % (m.get("received", "?"), m.get("dropped", "?")))
    print("  tcpdump -w:      %d captured, %d dropped (libpcap)" % (td_captured, td_dropped))
    ok = m.get("dropped", 1 << 62) <= max(td_dropped, 0)
    print("  %s  t2mini drops no more than tcpdump writing a file" % ("PASS" if ok else "FAIL"))


def main():
    global RUSAGE, SETTLE
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--t2mini", default="bench/out/t2mini")
    ap.add_argument("--floor", default="bench/out/floor")
    ap.add_argument("--cap1", default="bench/out/bench1.pcap")
    ap.add_argument("--cap4", default="bench/out/bench4.pcap")
    ap.add_argument("--outdir", default="bench/out")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--runs4", type=int, default=1)
    ap.add_argument("--cflags", default="?")
    ap.add_argument("--rusage", default="bench/out/rusage", help="the bench/rusage.c wrapper")
    ap.add_argument("--settle", type=float, default=3.0,
                    help="seconds to wait after sync before each timed command")
    ap.add_argument("--keep", action="store_true", help="keep the packet files")
    ap.add_argument("--small", default="data/udp_dns_icmp.pcap", help="the small capture")
    ap.add_argument("--small-runs", type=int, default=21)
    ap.add_argument("--list-runs", type=int, default=3, help="runs of the list comparison")
    ap.add_argument("--live-seconds", type=float, default=3.0, help="length of the live flood")
    ap.add_argument("--small-only", action="store_true",
                    help="only the small-capture comparison (no generated captures)")
    a = ap.parse_args()
    RUSAGE, SETTLE = a.rusage, a.settle
    outdir = a.outdir.rstrip("/") + "/"
    if a.small_only:
        small_capture(a.t2mini, a.small, a.small_runs, outdir)
        return 0
    pk1 = packet_file(outdir, a.cap1)
    copy = os.path.join(outdir, "floor_write.tmp")

    print("== t2mini benchmark ==")
    print("machine: %d CPUs, %s %s, %s; t2mini built with CFLAGS %s"
          % (os.cpu_count(), platform.system(), platform.release(),
             platform.machine(), a.cflags))
    load0 = os.getloadavg()[0]
    print("load average at start: %.2f%s" % (load0, "  (other work is running: timings"
                                             " will be noisy)" if load0 > 0.5 else ""))
    for label, cap in (("1x", a.cap1), ("4x", a.cap4)):
        i = read_info(cap)
        print("capture %s: %s  %s packets, %.1f MB, %s s; est. live T2 flows peak %s mean %s;"
              " open conversations peak %s mean %s"
              % (label, cap, i.get("packets", "?"), os.path.getsize(cap) / 1e6,
                 i.get("duration_s", "?"), i.get("live_flows_peak", "?").split()[0],
                 i.get("live_flows_mean", "?"), i.get("open_convs_peak", "?").split()[0],
                 i.get("open_convs_mean", "?")))

    # warm the page cache and check the pieces agree
    fl = run([a.floor, a.cap1])
    packets = int(fl["out"].split()[0])
    clean_outputs(outdir, a.cap1)
    run([a.t2mini, "-r", a.cap1, "-s", "-w", outdir])
    out_bytes = os.path.getsize(pk1)
    lines = count_lines(pk1)
    print("sanity: floor read %d records; t2mini -s wrote %d lines (%s), %.1f MB"
          % (packets, lines, "header + one per record: ok" if lines == packets + 1
             else "EXPECTED %d" % (packets + 1), out_bytes / 1e6))
    print("runs: %d per command (medians; min-max of wall time shown)\n" % a.runs)

    floor_read, floor_cp, floor_sum, s_runs, nos_runs = [], [], [], [], []
    strict_read, strict_sum = [], []
    for _ in range(a.runs):
        clean_outputs(outdir, a.cap1)
        nos_runs.append(run([a.t2mini, "-r", a.cap1, "-w", outdir]))
        clean_outputs(outdir, a.cap1)
        s_runs.append(run([a.t2mini, "-r", a.cap1, "-s", "-w", outdir]))
        r = run([a.floor, a.cap1])
        # the packet file -s just wrote
        c = run(["dd", "if=/dev/zero", "of=" + copy, "bs=1M", "status=none",
                 "count=%d" % ((out_bytes + (1 << 20) - 1) >> 20)])
        rm(copy)
        b = run([a.floor, "-b", str(1 << 20), a.cap1])
        floor_read.append(r)
        floor_cp.append(c)
        strict_read.append(b)
        floor_sum.append(add(r, c))
        strict_sum.append(add(b, c))

    print("1x capture (%d packets, %.1f MB packet file):" % (packets, out_bytes / 1e6))
    header()
    row("floor: read (floor.c)", floor_read, packets)
    row("floor: write the file size", floor_cp, packets, out_bytes)
    row("floor: read + write", floor_sum, packets, out_bytes)
    row("strict: read, 1 MiB buffer", strict_read, packets)
    row("strict: read + write", strict_sum, packets, out_bytes)
    row("t2mini -s", s_runs, packets, out_bytes)
    row("t2mini (no -s)", nos_runs, packets)

    # 4x duration
    pk4 = packet_file(outdir, a.cap4)
    fl4 = run([a.floor, a.cap4])          # also warms the cache
    packets4 = int(fl4["out"].split()[0])
    s4, nos4 = [], []
    out4 = 0
    for _ in range(a.runs4):
        clean_outputs(outdir, a.cap4)
        s4.append(run([a.t2mini, "-r", a.cap4, "-s", "-w", outdir]))
        out4 = os.path.getsize(pk4)
        clean_outputs(outdir, a.cap4)
        nos4.append(run([a.t2mini, "-r", a.cap4, "-w", outdir]))
    print("\n4x-duration capture (%d packets, %.1f MB packet file), %d run(s):"
          % (packets4, out4 / 1e6, a.runs4))
    header()
    row("t2mini -s", s4, packets4, out4)
    row("t2mini (no -s)", nos4, packets4)

    # goals
    t_floor = med(floor_sum, "wall")
    t_s = med(s_runs, "wall")
    ratio = t_s / t_floor
    rss1 = med(s_runs, "rss_kib") / 1024.0
    rss1n = med(nos_runs, "rss_kib") / 1024.0
    rss4 = med(s4, "rss_kib") / 1024.0
    rss4n = med(nos4, "rss_kib") / 1024.0
    growth = rss4 / rss1 - 1.0
    growth_n = rss4n / rss1n - 1.0
    pf = lambda ok: "PASS" if ok else "FAIL"
    best = min(r["wall"] for r in s_runs) / min(r["wall"] for r in floor_sum)
    print("\nload average at end: %.2f" % os.getloadavg()[0])
    print("\nGoals (2-core machine):")
    print("  %s  t2mini -s time <= %.1f x I/O floor: median %.3f s / %.3f s = %.3f x"
          " (best runs: %.3f x; core alone, no -s: %.3f x)"
          % (pf(ratio <= GOAL_RATIO), GOAL_RATIO, t_s, t_floor, ratio, best,
             med(nos_runs, "wall") / t_floor))
    print("        against the strict floor (1 MiB read buffer, as t2mini): %.3f x"
          % (t_s / med(strict_sum, "wall")))
    print("  %s  peak RSS on the 1x capture <= %.0f MiB: %.1f MiB with -s, %.1f MiB without"
          % (pf(max(rss1, rss1n) <= GOAL_RSS_MIB), GOAL_RSS_MIB, rss1, rss1n))
    print("  %s  4x duration keeps peak RSS within %.0f %%: -s %.1f -> %.1f MiB (%+.1f %%),"
          " no -s %.1f -> %.1f MiB (%+.1f %%)"
          % (pf(max(growth, growth_n) <= GOAL_RSS_GROWTH), GOAL_RSS_GROWTH * 100,
             rss1, rss4, growth * 100, rss1n, rss4n, growth_n * 100))

    small_capture(a.t2mini, a.small, a.small_runs, outdir)
    list_of_captures(a.t2mini, a.cap1, a.list_runs, outdir)
    live_loopback(a.t2mini, a.live_seconds, outdir)

    if not a.keep:
        clean_outputs(outdir, a.cap1)
        clean_outputs(outdir, a.cap4)
    return 0


if __name__ == "__main__":
    sys.exit(main())
