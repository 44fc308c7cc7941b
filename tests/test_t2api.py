"""T2's plugin API in api/: the log and report macros, the number formats,
the string and file helpers, the header structs, the settings read from a
plugin's header and the environment, and the file manager.

tests/t2api/exercise.c calls each of them.  The expected output is what
T2 0.9.3 prints running the same file: built into a T2 plugin (PLUGINNAME
t2apiCheck, its t2Init calling exercise(), with T2's utils/chksum.c for
Checksum) by /work/t2build/build-plugin.sh and run with
/work/t2build/run-t2.sh on data/arp_l2.pcap, T2APICHECK_SUFFIX=_env.txt in
the environment.  T2 colours its messages; the colour codes are taken out
(t2mini prints none):

    expected_out.txt     what exercise() writes to its file
    expected_report.txt  T2's report stream (stdout) from the plugin
    expected_stderr.txt  its error messages

Here exercise.c is built into a small driver against api/ alone, both as
T2 builds its plugins (GNU C) and as t2mini builds its own (C99, every
warning an error), with gcc and clang.
"""
import os
import shutil
import subprocess

import pytest

from conftest import ROOT

HERE = ROOT / "tests" / "t2api"

DRIVER = r"""
#include "t2apiCheck.h"

static const char plugin_name[] = "t2apiCheck";

#include "exercise.c"

FILE *dooF;     /* the report stream, as the core sets it */

int main(int argc, char **argv)
{
    (void)argc;
    dooF = stdout;
    FILE *f = fopen(argv[1], "w");
    exercise(f, argv[2]);
    fclose(f);
    return 0;
}
"""

API_SOURCES = ["api/t2log.c", "api/t2utils.c", "api/fsutils.c", "api/chksum.c", "core/out_report.c"]

MODES = {
    "gnu11": ["-std=gnu11", "-D_GNU_SOURCE"],
    "c99": ["-std=c99", "-D_POSIX_C_SOURCE=200809L", "-Wall", "-Wextra", "-Wpedantic", "-Werror"],
}


def compilers():
    return [cc for cc in ("cc", "clang") if shutil.which(cc)]


@pytest.mark.parametrize("mode", sorted(MODES))
@pytest.mark.parametrize("cc", compilers())
def test_macros_print_what_t2_prints(tmp_path, cc, mode):
    driver = tmp_path / "driver.c"
    driver.write_text(DRIVER)
    exe = tmp_path / "driver"
    header = HERE / "t2apiCheck.h"
    proc = subprocess.run([cc, *MODES[mode], f'-DPLUGIN_SRCH="{header}"', "-I", str(HERE),
                           "-I", str(ROOT), "-I", str(ROOT / "api"), "-I", str(ROOT / "core"),
                           "-o", str(exe), str(driver), *[str(ROOT / s) for s in API_SOURCES], "-lm"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out, files = tmp_path / "out.txt", tmp_path / "files"
    files.mkdir()
    env = dict(os.environ, T2APICHECK_SUFFIX="_env.txt")
    run = subprocess.run([str(exe), str(out), str(files)], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert out.read_text() == (HERE / "expected_out.txt").read_text()
    assert run.stdout == (HERE / "expected_report.txt").read_text()
    assert run.stderr == (HERE / "expected_stderr.txt").read_text()


def test_a_missing_setting_stops_the_plugin_with_t2s_error(tmp_path):
    """t2_get_env() with a header that has fewer settings than the plugin
    expects: T2's error, exit status 1."""
    header = tmp_path / "plugins" / "short" / "src" / "short.h"
    header.parent.mkdir(parents=True)
    text = (HERE / "t2apiCheck.h").read_text()
    header.write_text(text.replace('#define T2APICHECK_NEG -3// no blank before the comment\n', ""))
    driver = tmp_path / "driver.c"
    driver.write_text('#include "t2apiCheck.h"\nint main(void)\n{\n'
                      '    t2_env_t env[ENV_T2APICHECK_N];\n'
                      '    t2_get_env(PLUGIN_SRCH, ENV_T2APICHECK_N, env);\n    return 0;\n}\n')
    exe = tmp_path / "driver"
    subprocess.run(["cc", *MODES["c99"], f'-DPLUGIN_SRCH="{header}"', "-I", str(HERE), "-I", str(ROOT),
                    "-I", str(ROOT / "api"), "-I", str(ROOT / "core"), "-o", str(exe), str(driver),
                    *[str(ROOT / s) for s in API_SOURCES], "-lm"], check=True)
    run = subprocess.run([str(exe)], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr == "[ERR] short: Number of 'env' parameters differ: found 4, expected 5\n"


@pytest.mark.parametrize("setting", ["ALARM_MODE", "FORCE_MODE", "MACHINE_REPORT", "BLOCK_BUF",
                                     "ETH_ACTIVATE=2", "IPV6_ACTIVATE=1", "PACKETLENGTH=1"])
def test_a_mode_t2mini_lacks_stops_the_build(tmp_path, setting):
    name, _, value = setting.partition("=")
    src = tmp_path / "p.c"
    src.write_text('#include "t2Plugin.h"\n')
    proc = subprocess.run(["cc", *MODES["gnu11"], f"-D{name}={value or 1}", "-I", str(ROOT),
                           "-I", str(ROOT / "api"), "-I", str(ROOT / "core"), "-fsyntax-only", str(src)],
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "#error" in proc.stderr and name in proc.stderr


def test_pcapd_is_named_where_a_plugin_uses_it(tmp_path):
    src = tmp_path / "p.c"
    src.write_text('#include "t2Plugin.h"\nconst char *f(void) { return esomFileName; }\n')
    proc = subprocess.run(["cc", *MODES["gnu11"], "-I", str(ROOT), "-I", str(ROOT / "api"),
                           "-I", str(ROOT / "core"), "-fsyntax-only", str(src)],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "t2mini_has_no_pcapd" in proc.stderr
