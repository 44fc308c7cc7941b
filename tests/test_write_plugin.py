"""Plugins in T2's form and layout, built with `make PLUGINS=...`.

README's "Write your own plugin" runs as written in a copy of the sources
(what a fresh clone has): examples/pktLen, a plugin folder in T2 0.9.3's
layout, is built into t2mini with one command, and its columns are checked
against the capture itself (pktLen is each packet's wire length, pktLenSum
adds up to all of them; every other column is what t2mini without the
plugin writes; T2 0.9.3 with the same plugin wrote tests/t2_plugins/).

The other tests make plugin folders of their own: several T2-form plugins
link together although each defines T2's callback names; the plugin order
is T2's PLUGINORDER; a callback a plugin lacks is simply not called; and a
list naming something that is not a plugin stops the build with one line.
"""
import pathlib
import shutil
import struct
import subprocess

import pytest

from conftest import DATA, ROOT, run_t2mini
from doc_commands import console_steps, copy_tree, run_steps, section

README = (ROOT / "README.md").read_text()
T2_PLUGINS = ROOT / "tests" / "t2_plugins"


def wire_lengths(path):
    data = path.read_bytes()
    off, lens = 24, []
    while off + 16 <= len(data):
        caplen, wirelen = struct.unpack("<II", data[off + 8:off + 16])
        lens.append(wirelen)
        off += 16 + caplen
    return lens


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """One copy of the tree for the builds of this file."""
    return copy_tree(tmp_path_factory.mktemp("plugins") / "clone")


def make(work, *args):
    """make in the copy; a GEN of the test's own starts with the copy's
    objects of the engine (they do not depend on the plugins), so that
    only the plugins are compiled."""
    for gen in (pathlib.Path(a[4:]) for a in args if a.startswith("GEN=")):
        if not gen.exists():
            seed_engine_objects(work / "gen", gen)
    return subprocess.run(["make", "-s", *args], cwd=work, capture_output=True, text=True)


def seed_engine_objects(src, dest):
    """The engine's two units (the Makefile's unit_*.c, .o, .d)."""
    dest.mkdir(parents=True)
    for f in src.glob("unit_*.[cod]"):
        shutil.copy2(f, dest / f.name)


def run(work, binary, capture, outdir):
    outdir.mkdir(exist_ok=True)
    return subprocess.run([str(binary), "-r", str(capture), "-s", "-w", f"{outdir}/"],
                          cwd=work, capture_output=True, text=True)


def columns(path):
    lines = path.read_text(errors="replace").rstrip("\n").split("\n")
    names = lines[0].split("\t")
    return names, [dict(zip(names, line.split("\t"))) for line in lines[1:]]


@pytest.mark.any_build      # the plugin build is the one under test
def test_readme_builds_pktlen_with_one_command(t2mini, work, tmp_path):
    steps = console_steps(section(README, "Write your own plugin"))
    assert steps[0][0] == "make -s PLUGINS='basicFlow tcpWin txtSink examples/pktLen'"
    mismatch = run_steps(steps, work)
    assert mismatch is None, "command: {}\n--- shown:\n{}\n--- printed:\n{}".format(*mismatch)

    names, rows = columns(work / "out" / "tcp_http_packets.txt")
    assert names[-4:] == ["tcpWinSize", "tcpWinThPktCnt", "pktLen", "l7Content"]
    assert [int(r["pktLen"]) for r in rows] == wire_lengths(DATA / "tcp_http.pcap")
    ref = tmp_path / "ref"
    assert run(work, t2mini, DATA / "tcp_http.pcap", ref).returncode == 0
    _, plain = columns(ref / "tcp_http_packets.txt")
    assert [{k: v for k, v in r.items() if k != "pktLen"} for r in rows] == plain

    _, flows = columns(work / "out" / "tcp_http_flows.txt")
    assert sum(int(f["pktLenSum"]) for f in flows) == sum(wire_lengths(DATA / "tcp_http.pcap"))


def test_pktlen_writes_what_t2_writes_with_it(work, tmp_path):
    """The same plugin folder, built into T2 0.9.3 (outside this
    repository), wrote tests/t2_plugins/*: t2mini with it writes the same."""
    binary = tmp_path / "t2mini-pktlen"
    p = make(work, "PLUGINS=basicFlow tcpWin txtSink examples/pktLen", f"BIN={binary}",
             f"GEN={tmp_path}/gen")
    assert p.returncode == 0, p.stderr
    for golden in sorted(T2_PLUGINS.glob("pktlen_*_packets.txt")):
        name = golden.name[len("pktlen_"):-len("_packets.txt")]
        out = tmp_path / name
        assert run(work, binary, DATA / f"{name}.pcap", out).returncode == 0
        for kind in ("packets", "flows"):
            want = (T2_PLUGINS / f"pktlen_{name}_{kind}.txt").read_bytes()
            assert (out / f"{name}_{kind}.txt").read_bytes() == want, (name, kind)


def plugin_folder(root, name, order, body, header=""):
    """A plugin folder in T2's layout: autogen.sh, src/NAME.c, src/NAME.h."""
    d = root / name
    (d / "src").mkdir(parents=True)
    (d / "autogen.sh").write_text(f"#!/bin/sh\nPLUGINNAME={name}\nPLUGINORDER={order}\n"
                                  '. "$(dirname "$0")/../autogen.sh"\n')
    (d / "src" / f"{name}.h").write_text(f'#include "t2Plugin.h"\n{header}')
    (d / "src" / f"{name}.c").write_text(f'#include "{name}.h"\n{body}')
    return d


def column_plugin(root, name, order, value):
    """A plugin with one packet column `name`, the same text for every
    packet, and T2's callbacks under T2's names."""
    return plugin_folder(root, name, order, f"""
T2_PLUGIN_INIT("{name}", "1.0", 0, 9);
void t2Init() {{ if (sPktFile) fputs("{name}" SEP_CHR, sPktFile); }}
void t2OnLayer2(packet_t *packet UNUSED, unsigned long flowIndex) {{
    if (flowIndex != HASHTABLE_ENTRY_NOT_FOUND && sPktFile) fputs("{value}" SEP_CHR, sPktFile);
}}
void t2OnLayer4(packet_t *packet UNUSED, unsigned long flowIndex UNUSED) {{
    if (sPktFile) fputs("{value}" SEP_CHR, sPktFile);
}}
""")


def test_two_t2_plugins_link_and_run_in_plugin_order(work, tmp_path):
    """Both define t2Init, t2OnLayer2, t2OnLayer4 (as every T2 plugin
    does); each keeps them to itself, and PLUGINORDER puts `early` (50)
    before basicFlow (100) and `late` (500) after tcpWin (150)."""
    late = column_plugin(tmp_path, "late", 500, "L")
    early = column_plugin(tmp_path, "early", 50, "E")
    binary = tmp_path / "t2mini-two"
    p = make(work, f"PLUGINS=txtSink {late} basicFlow tcpWin {early}", f"BIN={binary}",
             f"GEN={tmp_path}/gen")
    assert p.returncode == 0, p.stderr
    r = run(work, binary, DATA / "arp_l2.pcap", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert ("    01: early, 1.0\n    02: basicFlow, 0.9.3\n    03: tcpWin, 0.9.3\n"
            "    04: late, 1.0\n    05: txtSink, 0.9.3\n") in r.stdout
    names, rows = columns(tmp_path / "out" / "arp_l2_packets.txt")
    assert names[2] == "early" and names[-2] == "late"
    assert {(row["early"], row["late"]) for row in rows} == {("E", "L")}


BIG = """
T2_PLUGIN_INIT("big", "0", 0, 9);
static char big[100001];
void t2Init() {
    memset(big, 'x', sizeof(big) - 1);
    if (sPktFile) fputs("big" SEP_CHR, sPktFile);
}
void t2OnLayer4(packet_t *packet UNUSED, unsigned long flowIndex UNUSED) {
    if (sPktFile) fprintf(sPktFile, "%s" SEP_CHR, big);   /* 100 kB a packet */
}
void t2OnLayer2(packet_t *packet, unsigned long flowIndex) {
    if (flowIndex != HASHTABLE_ENTRY_NOT_FOUND) t2OnLayer4(packet, flowIndex);
}
"""


@pytest.mark.any_build      # the plugin build is the one under test
def test_packet_text_of_any_size_reaches_the_file_in_its_place(t2mini, work, tmp_path):
    plugin_folder(tmp_path, "big", 160, BIG)
    binary = tmp_path / "t2mini-big"
    p = make(work, f"PLUGINS=basicFlow tcpWin txtSink {tmp_path}/big", f"BIN={binary}",
             f"GEN={tmp_path}/gen")
    assert p.returncode == 0 and p.stderr == "", p.stderr
    assert run(work, binary, DATA / "tcp_zerowin.pcap", tmp_path / "out").returncode == 0
    ref = tmp_path / "ref"
    ref.mkdir()
    assert run_t2mini(t2mini, DATA / "tcp_zerowin.pcap", ref).returncode == 0
    got = (tmp_path / "out" / "tcp_zerowin_packets.txt").read_bytes().split(b"\n")
    want = (ref / "tcp_zerowin_packets.txt").read_bytes().split(b"\n")
    assert len(got) == len(want)
    for g, w in zip(got[1:-1], want[1:-1]):
        cells = g.split(b"\t")
        assert cells[-2] == b"x" * 100000
        assert cells[:-2] + cells[-1:] == w.split(b"\t")


@pytest.mark.parametrize("plugins, message", [
    ("basicFlow nosuch", "'nosuch' is neither a built-in plugin"),
    ("basicFlow /nonexistent/fooBar", "/nonexistent/fooBar: no autogen.sh"),
    ("basicFlow basicFlow", "plugin basicFlow given twice"),
    ("", "no plugins: PLUGINS is empty"),
])
def test_a_list_that_is_not_plugins_stops_the_build(work, tmp_path, plugins, message):
    p = make(work, f"PLUGINS={plugins}", f"BIN={tmp_path}/t2", f"GEN={tmp_path}/gen")
    assert p.returncode != 0 and message in p.stderr, p.stderr
    assert not (tmp_path / "t2").exists()


def test_a_plugin_folder_without_its_name_or_sources_is_named(work, tmp_path):
    d = plugin_folder(tmp_path, "noOrder", 1, "")
    (d / "autogen.sh").write_text("PLUGINNAME=noOrder\n")
    p = make(work, f"PLUGINS={d}", f"GEN={tmp_path}/gen", f"BIN={tmp_path}/t2")
    assert p.returncode != 0 and f"{d}/autogen.sh: no PLUGINORDER" in p.stderr
    d = plugin_folder(tmp_path, "outside", 200, "")
    (d / "src" / "Makefile.am").write_text(
        "lib_LTLIBRARIES = liboutside.la\nliboutside_la_SOURCES = \\\n"
        "\t@PACKAGE_NAME@.c \\\n\t../../../utils/t2buf.c\n")
    p = make(work, f"PLUGINS={d}", f"GEN={tmp_path}/gen", f"BIN={tmp_path}/t2")
    assert p.returncode != 0
    assert "source ../../../utils/t2buf.c is outside the plugin's src/" in p.stderr
    d = plugin_folder(tmp_path, "anonymous", 200, "void t2Init() { }\n")
    p = make(work, f"PLUGINS=basicFlow {d} txtSink", f"GEN={tmp_path}/gen", f"BIN={tmp_path}/t2")
    assert p.returncode != 0 and "plugin anonymous: no T2_PLUGIN_INIT" in p.stderr


def test_plugins_t2_would_not_load_are_left_out_as_t2_does(work, tmp_path):
    """A plugin whose t2Dependencies are not loaded before it, or written
    for another T2 version, is not loaded: T2's [ERR] line, the rest runs."""
    plugin_folder(tmp_path, "needy", 170, 'T2_PLUGIN_INIT_WITH_DEPS("needy", "1", 0, 9, "tcpWin,nosuch");\n')
    plugin_folder(tmp_path, "older", 180, 'T2_PLUGIN_INIT("older", "1", 0, 8);\n')
    plugin_folder(tmp_path, "happy", 190, 'T2_PLUGIN_INIT_WITH_DEPS("happy", "1", 0, 9, "basicFlow,tcpWin");\n')
    binary = tmp_path / "t2mini-deps"
    p = make(work, f"PLUGINS=basicFlow tcpWin txtSink {tmp_path}/needy {tmp_path}/older {tmp_path}/happy",
             f"BIN={binary}", f"GEN={tmp_path}/gen")
    assert p.returncode == 0, p.stderr
    r = run(work, binary, DATA / "arp_l2.pcap", tmp_path / "out")
    assert r.returncode == 0
    assert r.stderr == ("[ERR] needy: missing dependencies: tcpWin,nosuch\n"
                        "[ERR] older: version 0.8 not supported (minimum required is 0.9)\n")
    assert ("    02: tcpWin, 0.9.3\n    03: happy, 1\n    04: txtSink, 0.9.3\n") in r.stdout
