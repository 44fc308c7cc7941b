"""TUTORIAL.md, run as written.

Every command of the tutorial's console blocks runs, in order, in a copy of
the sources (what a fresh clone has), and prints exactly what the tutorial
shows.  The patches in tutorial/ take the starting tcpwin.c to the one
t2mini ships, and the snippets T2's page "Plugin packet mode" prints are in
that file as printed (and those of the monitoring step, which the
starting point already has, in the form of T2's t2PSkel).
"""
import re
import shutil
import subprocess

from conftest import ROOT
from doc_commands import console_steps, copy_tree, run_steps

TUTORIAL = (ROOT / "docs" / "TUTORIAL.md").read_text()

# Lines of T2's tutorial code (whitespace aside) that tcpwin.c must hold
# unchanged: what plugin authors type.
T2_SNIPPETS = [
    "T2_PLUGIN_STRUCT_NEW(tcpWinFlows);",
    "if (sPktFile) {",
    "if (flowP->l4Proto != L3_TCP) {",
    "if (!t2_is_first_fragment(packet)) {",
    "const tcpHeader_t * const tcpHeader = (tcpHeader_t*)packet->l4HdrP;",
    "const uint32_t tcpWin = ntohs(tcpHeader->window);",
    "if (tcpWin < TCPWIN_THRES) {",
    "tcpWinFlowP->winThCnt++;",
    "tcpWinFlowP->stat |= TCPWIN_STAT_THU;",
    "fprintf(sPktFile,",
    '"%" PRIu32 /* tcpWinSize */ SEP_CHR',
    '"%" PRIu32 /* tcpWinThPktCnt */ SEP_CHR',
    ", tcpWin, tcpWinFlowP->winThCnt);",
    "fputs(/* tcpWinSize */ SEP_CHR",
    "/* tcpWinThPktCnt */ SEP_CHR",
    ", sPktFile);",
    "#if ETH_ACTIVATE > 0",
    "void t2OnLayer2(packet_t *packet UNUSED, unsigned long flowIndex)",
    "if (flowIndex == HASHTABLE_ENTRY_NOT_FOUND) return;",
    "TCPWIN_SPKTMD_PRI_NONE();",
    "#endif // ETH_ACTIVATE > 0",
    "void t2OnLayer4(packet_t *packet, unsigned long flowIndex)",
    "const flow_t * const flowP = &flows[flowIndex];",
    "tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];",
    # the monitoring step ("Plugin monitoring"), in the form of T2's t2PSkel
    "void t2Monitoring(FILE *stream, uint8_t state)",
    "switch (state) {",
    "case T2_MON_PRI_HDR:",
    "case T2_MON_PRI_VAL:",
    "case T2_MON_PRI_REPORT:",
    '"0x%02" B2T_PRIX8 /* tcpWinStat */ SEP_CHR',
    "#if DIFF_REPORT == 1",
    "winThCntG0 = winThCntG;",
    "winThCntG0 = 0;",
]


def squeeze(text):
    return re.sub(r"[ \t]+", " ", text)


def test_every_command_prints_what_the_tutorial_shows(tmp_path):
    work = copy_tree(tmp_path / "clone")
    steps = console_steps(TUTORIAL)
    assert len(steps) > 30
    mismatch = run_steps(steps, work)
    assert mismatch is None, "command: {}\n--- shown:\n{}\n--- printed:\n{}".format(*mismatch)
    # after the last patch, and the threshold set back, tcpwin.c and
    # tcpwin.h are the files t2mini ships
    assert (work / "tcpwin.c").read_text() == (ROOT / "tcpwin.c").read_text()
    assert (work / "tcpwin.h").read_text() == (ROOT / "tcpwin.h").read_text()


def test_the_tutorial_shows_every_patch_it_applies():
    applied = re.findall(r"^\$ patch tcpwin.c (docs/tutorial/\S+)$", TUTORIAL, re.M)
    assert applied == ["docs/tutorial/1-column-names.patch", "docs/tutorial/2-packet-columns.patch",
                       "docs/tutorial/3-layer2.patch", "docs/tutorial/4-macro.patch"]
    for patch in applied:
        assert f"$ cat {patch}\n" in TUTORIAL


def test_tcpwin_holds_the_tutorial_code_as_printed():
    code = set()
    for line in (ROOT / "tcpwin.c").read_text().split("\n"):
        code.add(squeeze(line.strip()))
        code.add(squeeze(line.split("//")[0].strip()))     # without a comment
        code.add(squeeze(line.rstrip(" \\").strip()))        # in the macro
    for snippet in T2_SNIPPETS:
        assert squeeze(snippet) in code, snippet


def test_the_macro_is_one_statement(tmp_path):
    """if (...) TCPWIN_SPKTMD_PRI_NONE(); else ... compiles and takes the
    else branch it is written with (a bare if in the macro would not)."""
    body = (ROOT / "tcpwin.c").read_text()
    start = body.index("#define TCPWIN_SPKTMD_PRI_NONE()")
    macro = body[start:body.index("while (0)", start) + len("while (0)")]
    src = tmp_path / "m.c"
    src.write_text("#include <stdio.h>\n#define SEP_CHR \"\\t\"\nstatic FILE *sPktFile;\n"
                   + macro + "\nint main(int argc, char **argv)\n{\n    (void)argv;\n"
                   "    if (argc > 5) TCPWIN_SPKTMD_PRI_NONE();\n    else return 3;\n"
                   "    return 0;\n}\n")
    subprocess.run(["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-o", str(tmp_path / "m"),
                    str(src)], check=True)
    assert subprocess.run([str(tmp_path / "m")]).returncode == 3


# T2's page first reads the header with TCP_HEADER(), and writes its
# callbacks with empty parentheses: both compile against t2plugin.h too.
T2_FORMS = r"""
#include "tcpwin.h"
static tcpWinFlow_t *tcpWinFlows;
static void t2Init(void);
static void t2OnLayer4(packet_t *packet, unsigned long flowIndex);
void t2Init() {
    T2_PLUGIN_STRUCT_NEW(tcpWinFlows);
}
void t2OnLayer4(packet_t *packet, unsigned long flowIndex) {
    flow_t * const flowP = &flows[flowIndex];
    if (flowP->l4Proto != L3_TCP) return;
    if (!t2_is_first_fragment(packet)) return;
    tcpWinFlow_t * const tcpWinFlowP = &tcpWinFlows[flowIndex];
    const tcpHeader_t * const tcpHeader = TCP_HEADER(packet);
    const uint32_t tcpWin = ntohs(tcpHeader->window);
    if (tcpWin < TCPWIN_THRES) {
        tcpWinFlowP->winThCnt++;
        tcpWinFlowP->stat |= TCPWIN_STAT_THU;
    }
}
const t2_plugin_t formsPlugin = { .name = "forms", .t2Init = t2Init, .t2OnLayer4 = t2OnLayer4 };
"""


def test_the_tutorials_other_forms_compile(tmp_path):
    src = tmp_path / "forms.c"
    src.write_text(T2_FORMS)
    for cc in ("cc", "clang"):
        if cc == "clang" and not shutil.which("clang"):
            continue
        proc = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                               "-D_POSIX_C_SOURCE=200809L", "-I", str(ROOT), "-I", str(ROOT / "core"),
                               "-I", str(ROOT / "api"), "-fsyntax-only",
                               str(src)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
