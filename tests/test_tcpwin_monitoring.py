"""tcpWin's t2Monitoring, state by state, as T2's tutorial "Plugin
monitoring" defines it.

t2mini prints only the reports for people (T2_MON_PRI_REPORT, checked
against T2 itself in test_options.py); T2's machine report, which asks for
the column names (T2_MON_PRI_HDR) and values (T2_MON_PRI_VAL), and its
differential mode (DIFF_REPORT=1) are compile-time settings of T2's core
that t2mini does not have.  Here a small driver calls tcpWin's callbacks
directly, as T2's core would: one TCP flow, three packets (two with a zero
window), then the flow's end.
"""
import shutil
import subprocess

import pytest

from conftest import ROOT

DRIVER = r"""
#include <string.h>
#include "tcpwin.h"
void t2Init(void);
void t2OnNewFlow(packet_t *packet, unsigned long flowIndex);
void t2OnLayer4(packet_t *packet, unsigned long flowIndex);
void t2OnFlowTerminate(unsigned long flowIndex, outputBuffer_t *buf);
void t2PluginReport(FILE *stream);
void t2Monitoring(FILE *stream, uint8_t state);
void t2Finalize(void);

/* what the core shares with plugins (t2mini.c has them) */
FILE *sPktFile;
flow_t *flows;
unsigned long t2FlowCapacity = 1;
uint64_t numPacketsL3[256];

static void window_packet(uint16_t window)
{
    uint8_t tcp[20] = {0};
    tcp[14] = (uint8_t)(window >> 8);
    tcp[15] = (uint8_t)window;
    packet_t packet;
    memset(&packet, 0, sizeof(packet));
    packet.l4HdrP = tcp;
    packet.fragState = FRAG_NONE;
    numPacketsL3[L3_TCP]++;
    t2OnLayer4(&packet, 0);
}

/* one report of each kind, each ended by a line "." */
static void reports(void)
{
    t2Monitoring(stdout, T2_MON_PRI_HDR);
    fputs("\n", stdout);
    t2Monitoring(stdout, T2_MON_PRI_VAL);
    fputs("\n", stdout);
    t2Monitoring(stdout, T2_MON_PRI_REPORT);
    t2Monitoring(stdout, 7);   /* unknown: nothing */
    fputs(".\n", stdout);
}

int main(void)
{
    flow_t flow;
    memset(&flow, 0, sizeof(flow));
    flow.l4Proto = L3_TCP;
    flows = &flow;

    t2Init();
    t2OnNewFlow(NULL, 0);
    window_packet(0);
    window_packet(1024);
    window_packet(0);
    reports();                  /* the flow has not ended yet */

    outputBuffer_t *buf = outputBuffer_initialize(64);
    t2OnFlowTerminate(0, buf);
    outputBuffer_destroy(buf);
    reports();                  /* now it has */
    reports();                  /* and nothing changed since */

    t2PluginReport(stdout);
    t2Finalize();
    return 0;
}
"""

NOT_ENDED = "tcpWinThCnt\ttcpWinStat\t\n0\t0x00\t\n.\n"
ENDED = ("tcpWinThCnt\ttcpWinStat\t\n2\t0x01\t\n"
         "tcpWin: Aggregated tcpWinStat=0x01\n"
         "tcpWin: Number of TCP winsize packets below threshold 1: 2 [66.67%]\n.\n")
END_REPORT = ("tcpWin: Aggregated tcpWinStat=0x01\n"
              "tcpWin: Number of TCP winsize packets below threshold 1: 2 [66.67%]\n")


def build_and_run(tmp_path, cc, *defs):
    driver = tmp_path / "driver.c"
    driver.write_text(DRIVER)
    exe = tmp_path / f"driver_{cc}"
    sources = [str(driver)] + [str(ROOT / f) for f in ("tcpwin.c", "api/t2log.c", "core/out_report.c", "core/out_buf.c", "core/out_escape.c",
                                                         "core/binary_value.c", "core/output_buffer.c")]
    proc = subprocess.run([cc, "-std=c99", "-Wall", "-Wextra", "-Wpedantic", "-Werror",
                           "-D_POSIX_C_SOURCE=200809L", *defs, "-I", str(ROOT), "-I", str(ROOT / "api"), "-I", str(ROOT / "core"), "-o", str(exe),
                           *sources, "-lm"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 0 and run.stderr == ""
    return run.stdout


@pytest.mark.parametrize("cc", ["cc", "clang"])
def test_monitoring_counts_the_ended_flows(tmp_path, cc):
    """T2's default (totals): the columns' names, then their values, and
    the report lines; the counts are those of the ended flows."""
    if not shutil.which(cc):
        pytest.skip(f"no {cc}")
    assert build_and_run(tmp_path, cc) == NOT_ENDED + ENDED + ENDED + END_REPORT


def test_differential_reports_count_since_the_last_one(tmp_path):
    """DIFF_REPORT=1: each call for values or lines shows the count since
    the previous one (the status stays aggregated), the end report the
    total again."""
    since_values = ("tcpWinThCnt\ttcpWinStat\t\n2\t0x01\t\n"
                    "tcpWin: Aggregated tcpWinStat=0x01\n.\n")
    unchanged = ("tcpWinThCnt\ttcpWinStat\t\n0\t0x01\t\n"
                 "tcpWin: Aggregated tcpWinStat=0x01\n.\n")
    assert build_and_run(tmp_path, "cc", "-DDIFF_REPORT=1") == \
        NOT_ENDED + since_values + unchanged + END_REPORT
