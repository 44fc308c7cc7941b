"""README's "Write your own plugin", run as written.

The commands of the section's console blocks run, in order, in a copy of
the sources (what a fresh clone has) and must print what the README shows:
one new file and one line in plugin_list.h, then a plain `make`.  The test
then checks the plugin's columns against the capture itself: pktLen is each
packet's wire length, pktLenSum adds up to all of them, and every other
column is what t2mini without the plugin writes.
"""
import struct
import subprocess

from conftest import DATA, ROOT, run_t2mini
from doc_commands import console_steps, copy_tree, run_steps, section

README = (ROOT / "README.md").read_text()


def wire_lengths(path):
    data = path.read_bytes()
    off, lens = 24, []
    while off + 16 <= len(data):
        caplen, wirelen = struct.unpack("<II", data[off + 8:off + 16])
        lens.append(wirelen)
        off += 16 + caplen
    return lens


def test_readme_steps_add_a_plugin(t2mini, tmp_path):
    work = copy_tree(tmp_path / "clone")
    steps = console_steps(section(README, "Write your own plugin"))
    assert [cmd for cmd, _ in steps[:3]] == [
        "cp examples/pktlen.c .", "echo 'T2_PLUGIN(pktLenPlugin)' >> plugin_list.h", "make -s"]
    # the last two steps take the plugin out again: check its output first
    mismatch = run_steps(steps[:-2], work)
    assert mismatch is None, "command: {}\n--- shown:\n{}\n--- printed:\n{}".format(*mismatch)

    cap = DATA / "tcp_http.pcap"
    out_ref = tmp_path / "ref"
    out_ref.mkdir()
    assert run_t2mini(t2mini, cap, out_ref).returncode == 0
    toy = (work / "out" / "tcp_http_packets.txt").read_bytes().decode("latin-1").split("\n")
    ref = (out_ref / "tcp_http_packets.txt").read_bytes().decode("latin-1").split("\n")
    header = toy[0].split("\t")
    assert header[-2:] == ["pktLen", "l7Content"]
    col = header.index("pktLen")
    lens = wire_lengths(cap)
    assert len(toy) == len(ref)
    for t, r in zip(toy[1:], ref[1:]):
        if not t:
            continue
        cells = t.split("\t")
        assert cells[col] == str(lens[int(cells[0]) - 1])
        assert cells[:col] + cells[col + 1:] == r.split("\t")

    flows = (work / "out" / "tcp_http_flows.txt").read_text().split("\n")
    assert flows[0].endswith("\ttcpWinThCnt\tpktLenSum")
    total = sum(int(line.split("\t")[-1]) for line in flows[1:] if line)
    assert total == sum(lens)

    mismatch = run_steps(steps[-2:], work)
    assert mismatch is None, "command: {}\n--- shown:\n{}\n--- printed:\n{}".format(*mismatch)


def test_a_copy_of_tcpwin_links_once_its_plugin_is_renamed(tmp_path):
    """The README's advice: a copy of tcpwin.c differs from it in one
    global name, tcpWinPlugin; renamed, both link into one t2mini."""
    work = copy_tree(tmp_path / "clone")
    text = (work / "tcpwin.c").read_text()
    (work / "mywin.c").write_text(text.replace("tcpWinPlugin", "myWinPlugin"))
    with open(work / "plugin_list.h", "a") as f:
        f.write("T2_PLUGIN(myWinPlugin)\n")
    proc = subprocess.run(["make", "-s"], cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    (work / "out").mkdir()
    out = subprocess.run(["./t2mini", "-r", "data/tcp_zerowin.pcap", "-s", "-w", "out/"],
                         cwd=work, capture_output=True, text=True)
    assert out.returncode == 0
    assert "    04: tcpWin, 0.9.3" in out.stdout


BIG_PLUGIN = r"""
#include <string.h>
#include "t2Plugin.h"

static char big[100001];

static void t2Init(void)
{
    memset(big, 'x', sizeof(big) - 1);
    if (sPktFile) fputs("big" SEP_CHR, sPktFile);
}

static binary_value_t *t2PrintHeader(void)
{
    binary_value_t *bv = NULL;
    BV_APPEND_STR_R(bv, "big", "Too big for a flow");
    return bv;
}

static void t2OnLayer4(packet_t *packet UNUSED, unsigned long flowIndex UNUSED)
{
    if (sPktFile) fprintf(sPktFile, "%s" SEP_CHR, big);   /* 100 kB a packet */
}

static void t2OnLayer2(packet_t *packet, unsigned long flowIndex)
{
    if (flowIndex != HASHTABLE_ENTRY_NOT_FOUND) t2OnLayer4(packet, flowIndex);
}

static void t2OnFlowTerminate(unsigned long flowIndex UNUSED, outputBuffer_t *buf)
{
    OUTBUF_APPEND_NUMREP(buf, 50);
    for (int i = 0; i < 50; i++) OUTBUF_APPEND_STR(buf, big);  /* 5 MB: more than a flow takes */
}

const t2_plugin_t bigPlugin = {
    .name = "big", .version = "0", .t2Init = t2Init, .t2PrintHeader = t2PrintHeader,
    .t2OnLayer2 = t2OnLayer2, .t2OnLayer4 = t2OnLayer4, .t2OnFlowTerminate = t2OnFlowTerminate,
};
"""


def test_text_a_buffer_cannot_take_is_an_error_not_a_loss(t2mini, tmp_path):
    """A plugin's packet-file text of any size reaches the file, in its
    place; flow-file values too many for the flow's buffer (T2's limit,
    5 MB) make t2mini say so and exit 1, instead of writing a cut line."""
    work = copy_tree(tmp_path / "clone")
    (work / "big.c").write_text(BIG_PLUGIN)
    with open(work / "plugin_list.h", "a") as f:
        f.write("T2_PLUGIN(bigPlugin)\n")
    proc = subprocess.run(["make", "-s"], cwd=work, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    (work / "out").mkdir()
    run = subprocess.run(["./t2mini", "-r", "data/tcp_zerowin.pcap", "-s", "-w", "out/"],
                         cwd=work, capture_output=True, text=True)
    assert run.returncode == 1
    assert "the plugins' flow-file columns do not fit in 5000000 bytes: line not written" in run.stderr
    flows = (work / "out" / "tcp_zerowin_flows.txt").read_text().split("\n")
    assert flows[1:] == [""]                    # the header line only

    ref = tmp_path / "ref"
    ref.mkdir()
    assert run_t2mini(t2mini, DATA / "tcp_zerowin.pcap", ref).returncode == 0
    got = (work / "out" / "tcp_zerowin_packets.txt").read_bytes().split(b"\n")
    want = (ref / "tcp_zerowin_packets.txt").read_bytes().split(b"\n")
    assert len(got) == len(want)
    for g, w in zip(got[1:], want[1:]):
        if not w:
            continue
        cells, ref_cells = g.split(b"\t"), w.split(b"\t")
        assert cells[-2] == b"x" * 100000
        assert cells[:-2] + cells[-1:] == ref_cells
