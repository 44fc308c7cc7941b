"""README's "Write your own plugin", done by a test.

The steps: put the plugin file next to the others, add one line to the
table in plugins.c, build with EXTRA_SRCS.  The test does exactly that with
examples/pktlen.c in a copy of the sources, then checks that the plugin's
column is in the packet file (with the right values) and its flow column in
the flow file, and that everything else is unchanged.
"""
import shutil
import struct
import subprocess

from conftest import DATA, ROOT, run_t2mini


def wire_lengths(path):
    data = path.read_bytes()
    off, lens = 24, []
    while off + 16 <= len(data):
        caplen, wirelen = struct.unpack("<II", data[off + 8:off + 16])
        lens.append(wirelen)
        off += 16 + caplen
    return lens


def test_toy_plugin_builds_and_prints_its_columns(t2mini, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for f in list(ROOT.glob("*.[ch]")) + [ROOT / "Makefile"]:
        shutil.copy(f, src)
    shutil.copy(ROOT / "examples" / "pktlen.c", src)
    shutil.copytree(ROOT / "tools", src / "tools")
    (src / "data").mkdir()
    for f in ("subnets4.txt", "subnets6.txt"):
        shutil.copy(DATA / f, src / "data")

    # one line in the table, before the sink
    plugins = (src / "plugins.c").read_text()
    plugins = plugins.replace("const t2_plugin_t *const t2Plugins[] = {",
                              "extern const t2_plugin_t pktLenPlugin;\n\n"
                              "const t2_plugin_t *const t2Plugins[] = {")
    plugins = plugins.replace("    &txtSinkPlugin,", "    &pktLenPlugin,\n    &txtSinkPlugin,")
    (src / "plugins.c").write_text(plugins)
    subprocess.run(["make", "-s", "-C", str(src), "t2mini"], check=True)

    cap = DATA / "tcp_http.pcap"
    out_toy, out_ref = tmp_path / "toy", tmp_path / "ref"
    out_toy.mkdir()
    out_ref.mkdir()
    assert run_t2mini(src / "t2mini", cap, out_toy).returncode == 0
    assert run_t2mini(t2mini, cap, out_ref).returncode == 0

    toy = (out_toy / "tcp_http_packets.txt").read_bytes().decode("latin-1").split("\n")
    ref = (out_ref / "tcp_http_packets.txt").read_bytes().decode("latin-1").split("\n")
    header = toy[0].split("\t")
    assert header[-2:] == ["pktLen", "l7Content"]
    col = header.index("pktLen")
    lens = wire_lengths(cap)
    for t, r in zip(toy[1:], ref[1:]):
        if not t:
            continue
        cells = t.split("\t")
        assert cells[col] == str(lens[int(cells[0]) - 1])
        assert cells[:col] + cells[col + 1:] == r.split("\t")

    flows = (out_toy / "tcp_http_flows.txt").read_text().split("\n")
    assert flows[0].endswith("\ttcpWinThCnt\tpktLenSum")
    total = sum(int(line.split("\t")[-1]) for line in flows[1:] if line)
    assert total == sum(lens)
