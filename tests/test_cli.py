"""Command-line behaviour: options, output naming, geo labels without tables."""
import shutil
import subprocess

from conftest import DATA, GOLDEN


def run(binary, *args, cwd=None):
    return subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True,
                          timeout=60, cwd=cwd)


def test_help_and_version(t2mini):
    h = run(t2mini, "-h")
    assert h.returncode == 0 and "Usage: t2mini" in h.stdout
    v = run(t2mini, "--version")
    assert v.returncode == 0 and v.stdout.startswith("t2mini ")


def test_unknown_option_is_one_line_exit_2(t2mini):
    p = run(t2mini, "-Z")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "'-Z'" in p.stderr


def test_missing_argument_exit_2(t2mini):
    p = run(t2mini, "-s", "-r")
    assert p.returncode == 2
    assert p.stderr.count("\n") == 1 and "'-r'" in p.stderr


def test_no_input_exit_2(t2mini):
    p = run(t2mini, "-s")
    assert p.returncode == 2 and p.stderr.count("\n") == 1


def test_output_next_to_input_without_w(t2mini, tmp_path):
    cap = tmp_path / "arp.test.pcap"
    shutil.copy(DATA / "arp_l2.pcap", cap)
    assert run(t2mini, "-r", cap, "-s").returncode == 0
    assert (tmp_path / "arp.test_packets.txt").exists()


def test_w_directory_and_prefix(t2mini, tmp_path):
    d = tmp_path / "outdir"
    d.mkdir()
    assert run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", d).returncode == 0
    assert (d / "arp_l2_packets.txt").exists()
    assert run(t2mini, "-r", DATA / "arp_l2.pcap", "-s", "-w", tmp_path / "pre").returncode == 0
    assert (tmp_path / "pre_packets.txt").exists()


def test_empty_geo_tables_label_every_address_unknown(t2mini, tmp_path):
    """-G replaces the built-in tables: with empty ones every geo cell is "-"
    (or empty for layer-2 flows) and every other column is unchanged."""
    empty = tmp_path / "geo"
    empty.mkdir()
    (empty / "subnets4.txt").write_text("#\t5\t1\n")
    (empty / "subnets6.txt").write_text("#\t5\t1\n")
    assert run(t2mini, "-r", DATA / "udp_dns_icmp.pcap", "-s", "-w", f"{tmp_path}/",
               "-G", empty).returncode == 0
    got = (tmp_path / "udp_dns_icmp_packets.txt").read_text().splitlines()
    exp = (GOLDEN / "udp_dns_icmp_packets.txt").read_text().splitlines()
    header = exp[0].lstrip("%").split("\t")
    geo_cols = [header.index(c) for c in ("srcIPCC", "srcIPOrg", "dstIPCC", "dstIPOrg")]
    assert len(got) == len(exp)
    for g, e in zip(got[1:], exp[1:]):
        gc, ec = g.split("\t"), e.split("\t")
        for i in range(len(ec)):
            if i in geo_cols:
                assert gc[i] in ("", "-")
            else:
                assert gc[i] == ec[i]


def test_no_s_writes_no_packet_file(t2mini, tmp_path):
    assert run(t2mini, "-r", DATA / "arp_l2.pcap", "-w", f"{tmp_path}/").returncode == 0
    assert not (tmp_path / "arp_l2_packets.txt").exists()


def test_built_in_tables_are_the_shipped_ones(t2mini, tmp_path):
    """The banner names the tables loaded as T2's does: the built-in tables
    and data/'s text read with -G give T2's lines for its 0.9.3 tables."""
    out = []
    for extra in ((), ("-G", DATA)):
        p = run(t2mini, "-r", DATA / "arp_l2.pcap", "-w", f"{tmp_path}/", *extra)
        assert p.returncode == 0, p.stderr
        out.append([l for l in p.stdout.splitlines() if "subnet ranges loaded" in l])
    t2 = [l for l in (GOLDEN / "arp_l2_report.txt").read_text().splitlines()
          if "subnet ranges loaded" in l]
    assert out[0] == out[1] == t2 == [
        "[INF] IPv4 Ver: 5, Rev: 03012021, Range Mode: 0, subnet ranges loaded: 329",
        "[INF] IPv6 Ver: 5, Rev: 09082023, Range Mode: 0, subnet ranges loaded: 40567 (40.57 K)"]
