"""scripts/tawk and scripts/tcol: T2's tawk and tcol for t2mini's files, in
POSIX sh and awk.

The main check is byte for byte: every case of tests/tawk/cases.txt must
print what T2 0.9.3's own tawk printed for it (tests/tawk/expected/, made
with tests/tawk/make_expected.py and T2's tawk under gawk with bignums), and
tcol what T2's tcol (util-linux's column -t) printed.  The tests run the
awk on PATH (or $AWK): they need neither T2 nor gawk.
"""
import os
import shlex
import stat
import subprocess
import sys

import pytest

from conftest import DATA, GOLDEN, ROOT
from doc_commands import console_steps, copy_tree, run_steps

sys.path.insert(0, str(ROOT / "tests" / "tawk"))
from make_expected import PIPES, TCOL_INPUTS, cases, split_stdin, tcol_name  # noqa: E402

TAWK = ROOT / "scripts" / "tawk"
TCOL = ROOT / "scripts" / "tcol"
T2COLS = ROOT / "scripts" / "t2cols.py"
EXPECTED = ROOT / "tests" / "tawk" / "expected"
ESC = "\033"


def run(cmd, *args, stdin=None, cwd=ROOT, env=None):
    """Run scripts/tawk (or tcol); stdin is bytes or a path."""
    full_env = dict(os.environ, **(env or {}))
    if isinstance(stdin, (str, os.PathLike)) and not isinstance(stdin, bytes):
        with open(stdin, "rb") as f:
            return subprocess.run([str(cmd), *map(str, args)], stdin=f, capture_output=True,
                                  cwd=cwd, env=full_env, timeout=120)
    return subprocess.run([str(cmd), *map(str, args)], input=stdin or b"",
                          capture_output=True, cwd=cwd, env=full_env, timeout=120)


def tawk(*args, **kw):
    return run(TAWK, *args, **kw)


def out(p):
    assert p.returncode == 0, p.stderr.decode()
    assert p.stderr == b""
    return p.stdout.decode()


# ---------------------------------------------------------------- T2's outputs

@pytest.mark.parametrize("name,args", cases(), ids=[c[0] for c in cases()])
def test_same_output_as_t2s_tawk(name, args):
    args, stdin = split_stdin(args)
    p = tawk(*args, stdin=stdin or b"")
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout == (EXPECTED / f"{name}.txt").read_bytes()


@pytest.mark.parametrize("path", TCOL_INPUTS)
def test_tcol_aligns_as_t2s_tcol(path):
    p = run(TCOL, path)
    assert p.returncode == 0, p.stderr.decode()
    assert p.stdout == (EXPECTED / f"{tcol_name(path)}.txt").read_bytes()


@pytest.mark.parametrize("name", sorted(PIPES))
def test_tutorial_pipelines(name):
    """T2's tutorial: tawk '...' FILE | head | tcol, tawk 'flow(35)' FILE | tcol."""
    cmd = PIPES[name].replace("TAWK", str(TAWK)).replace("TCOL", str(TCOL))
    p = subprocess.run(["sh", "-c", cmd], capture_output=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0 and p.stderr == b""
    assert p.stdout == (EXPECTED / f"pipe_{name}.txt").read_bytes()


def test_the_cases_cover_every_function():
    text = (ROOT / "tests" / "tawk" / "cases.txt").read_text()
    funcs = out(tawk("-g")).split()
    assert "flow" in funcs and "host" in funcs
    for f in funcs:
        assert f + "(" in text, f


# ---------------------------------------------------------------- header

def test_header_first_and_names():
    got = out(tawk("flow(3) { print $pktNo, $flowInd, $dstPort }",
                   GOLDEN / "ftp_session_packets.txt")).splitlines()
    assert got[0] == "%pktNo\tflowInd\tdstPort"        # the '%' is the first name's
    assert got[1:3] == ["3\t3\t21", "4\t3\t49946"]
    assert all(line.split("\t")[1] == "3" for line in got[1:])


def test_dir_is_the_first_column_of_a_flow_file():
    got = out(tawk('hdr() || $dir == "B" { print $dir, $flowInd }',
                   GOLDEN / "ftp_session_flows.txt"))
    assert got.startswith("%dir\tflowInd\nB\t4\n")


def test_no_header():
    with_h = out(tawk("flow(35)", GOLDEN / "tcp_states_packets.txt")).splitlines()
    without = out(tawk("-H", "flow(35)", GOLDEN / "tcp_states_packets.txt")).splitlines()
    assert with_h[0].startswith("%pktNo\t") and without == with_h[1:]
    # -H: hdr() is never true, the header line never reaches the program
    assert out(tawk("-H", "hdr()", GOLDEN / "tcp_states_packets.txt")) == ""


def test_a_plain_condition_is_false_on_the_header_as_in_t2():
    got = out(tawk("$flowInd == 3", GOLDEN / "ftp_session_flows.txt")).splitlines()
    assert got and all(line.split("\t")[1] == "3" for line in got)


def test_stdin_has_the_names_too():
    want = out(tawk("{ print $flowInd, $l4Proto }", GOLDEN / "tcp_http_flows.txt"))
    assert out(tawk("{ print $flowInd, $l4Proto }",
                    stdin=GOLDEN / "tcp_http_flows.txt")) == want
    assert out(tawk("{ print $flowInd, $l4Proto }", "-",
                    stdin=GOLDEN / "tcp_http_flows.txt")) == want


def test_comment_lines_before_the_header():
    """tawk's output may start with '#' comments (T2's tawk -c writes some)."""
    data = b"# made by hand\n# and so on\n" + (GOLDEN / "tcp_http_flows.txt").read_bytes()
    got = out(tawk("flow(2) { print $flowInd, $dir }", stdin=data))
    assert got == "flowInd\t%dir\n2\tA\n"


def test_odd_column_names(tmp_path):
    """Names that are no awk names: other characters become _, a leading
    digit gets a _ before it, awk words and tawk functions a _ after."""
    p = tawk("-r", "{ print $index_, $_3rd, $a_b, $flow_, $x_y, $length_ }",
             ROOT / "tests" / "tawk" / "odd_names.txt")
    assert out(p) == "%index\t3rd\ta-b\tflow\tx y\tlength\n1\t2\t3\t4\t5\t6\n"
    assert out(tawk("-l", ROOT / "tests" / "tawk" / "odd_names.txt")) == (
        "  1  index_\n  2  _3rd\n  3  a_b\n  4  flow_\n  5  x_y\n  6  length_\n")


def test_col_array_and_program_file(tmp_path):
    prog = tmp_path / "prog.awk"
    prog.write_text('hdr() { print COL[1], COL["l4Proto"] }\n'
                    'NR > 1 && tcp() { n++ }\nEND { print n }\n')
    assert out(tawk("-f", prog, GOLDEN / "ftp_session_flows.txt")) == "dir\t22\n18\n"
    # -I FILE, the program after it
    assert out(tawk("-I", GOLDEN / "ftp_session_flows.txt", "END { print NR }")) == "23\n"


def test_awk_assignment_operands():
    got = out(tawk("flow(want) { print $flowInd }", "want=35",
                   GOLDEN / "tcp_states_flows.txt"))
    assert got == "flowInd\n35\n35\n"


def test_several_files_one_header():
    one = GOLDEN / "ftp_session_flows.txt"
    got = out(tawk("tcp() { print $flowInd }", one, one)).splitlines()
    assert got.count("flowInd") == 1 and len(got) == 1 + 2 * 18


# ---------------------------------------------------------------- functions

CRAFTED = ROOT / "tests" / "tawk" / "crafted_flows.txt"


def rows(prog, path=CRAFTED):
    return out(tawk("-H", prog + " { print $flowInd }", path)).split()


def test_flow_lists_and_ranges():
    assert rows('flow("1,16;17")') == ["1", "1", "16", "17"]
    assert rows('flow("2-17")') == ["16", "17"]
    assert rows('flow("255 ; 4096")') == ["255", "4096"]
    assert rows("flow(16)") == ["16"]
    assert rows('flow("nothing")') == []


def test_bits_are_exact_on_64_bits():
    # 0x0400000000004001 and ...4000 are one and the same double
    assert rows('bitsallset($flowStat, "0x0400000000004001")') == ["1"]
    assert rows('bitsanyset($flowStat, "0x0000000000000001")') == ["1"]
    assert rows('bitsanyset($flowStat, "0x0800000000000000")') == ["16", "17"]
    assert rows('bitsallset($flowStat, "0x8800000000008000")') == ["16"]
    assert rows('bitsanyset($flowStat, "9223372036854775808")') == ["16", "18"]   # 2^63
    assert rows('bitsallset($flowStat, 0)') == ["1", "1", "16", "17", "18", "255", "4096"]
    assert rows('bitsanyset($flowStat, 0)') == []


def test_addresses():
    assert rows('host("10.1.2.3")') == ["1", "1"]
    assert rows('shost("10.1.2.3")') == ["1"]
    assert rows('dhost("10.1.2.3")') == ["1"]
    assert rows('host("0x0a010203")') == ["1", "1"]                  # hex
    assert rows('host(167838211)') == ["1", "1"]                     # a number
    assert rows('host("2001:DB8:0:0::1")') == ["18"]                 # IPv6 written anyhow
    assert rows('dhost("2001:db8::a00:1")') == ["17"]                # the dotted tail
    assert rows('host("fd00::/8")') == ["16"]
    assert rows('host("10.0.0.0/8")') == ["1", "1"]
    assert rows('host("0.0.0.0/0")') == ["1", "1", "4096"]
    assert rows('net("192.168.1.0/24") && snet("192.168.1.1") && dnet("10.1.2.3")') == ["1"]
    assert rows('ipinnet($srcIP, "172.16.0.0", 12)') == ["4096"]
    assert rows('ipinnet($srcIP, "172.16.0.0", "255.240.0.0")') == ["4096"]
    assert rows('ipinnet($srcIP, "fd00::", 8) || ipinnet($srcIP, "fd00::/7")') == ["16"]
    assert rows('ipinnet($dstIP, "172.16.0.0/12")') == []
    assert rows('privip($srcIP)') == ["1", "1", "4096"]
    assert rows('host("10.1.2.3/33")') == []                         # no such mask


def test_ports_and_protocols():
    assert rows("port(80)") == ["1", "1"]
    assert rows('port("53;443")') == ["17", "18"]
    assert rows('sport("1000-2000")') == ["1"]
    assert rows('dport("0x400")') == ["1"]
    assert rows("tcp()") == ["1", "1", "18"]
    assert rows("udp()") == ["16", "17"]
    assert rows("icmp()") == ["4096"]
    assert rows('proto("1;17")') == ["16", "17", "4096"]
    assert rows("not(tcp())") == ["16", "17", "255", "4096"]
    assert rows("ipv4()") == ["1", "1"]
    assert rows("ipv6()") == ["16", "17"]
    assert rows("ip()") == ["1", "1", "16", "17"]


def test_functions_without_argument_give_the_values():
    got = out(tawk("flow(16) { print flow(), port(), sport(), dport(), proto(), host(), "
                   "shost(), dhost(), tuple2() }", CRAFTED)).splitlines()
    assert got[1] == "\t".join(["16", "5353", "5353", "5353", "5353", "17",
                                "fd00::1:2", "ff02::fb", "fd00::1:2", "ff02::fb",
                                "fd00::1:2", "ff02::fb"])


def test_missing_column_is_an_error():
    p = tawk("packet(1)", GOLDEN / "ftp_session_flows.txt")
    assert p.returncode == 1
    assert p.stderr.decode() == \
        f"tawk: {GOLDEN}/ftp_session_flows.txt: packet(): no column pktNo\n"
    p = tawk("host(\"1.2.3.4\")", stdin=b"%a\tb\n1\t2\n")
    assert p.returncode == 1
    assert p.stderr.decode() == "tawk: stdin: host(): no column srcIP, srcIP4 or srcIP6\n"


# ---------------------------------------------------------------- -V and -l

def vardoc(*args, **kw):
    return out(tawk(*args, **kw))


def test_vardoc_tcpwinstat():
    """T2 has no table for tcpWin (t2mini's plugin): the format is T2's."""
    got = vardoc("-V", "tcpWinStat=0x01")
    assert got == (
        f"\nThe {ESC}[1;33mtcpWinStat{ESC}[0m column with value {ESC}[1m0x01{ESC}[0m "
        "is to be interpreted as follows:\n\n"
        f"{ESC}[1m   bit | tcpWinStat | Description{ESC}[0m\n"
        f"{ESC}[1m   {'=' * 77}{ESC}[0m\n"
        f"{ESC}[0m     0 | 0x01       | TCP window below TCPWIN_THRES seen "
        f"(a zero window with the default 1){ESC}[0m\n\n")
    assert vardoc("-V", "tcpWinStat=0x00").endswith(f"{'=' * 77}{ESC}[0m\n\n")
    full = vardoc("-V", "tcpWinStat", env={"NO_COLOR": "1"})
    assert ESC not in full
    assert full.splitlines()[5:11] == [
        "     0 | 0x01       | TCP window below TCPWIN_THRES seen (a zero window with "
        "the default 1)",
        "     1 | 0x02       | -", "     2 | 0x04       | -", "     3 | 0x08       | -", "",
        "     4 | 0x10       | -"]


def test_vardoc_without_colours():
    got = vardoc("-V", "flowStat=0x0400000000004001", env={"NO_COLOR": "1"})
    coloured = (EXPECTED / "vardoc_example.txt").read_text()
    for code in ("[1;33m", "[1m", "[0;34m", "[0;33m", "[0;31m", "[0m"):
        coloured = coloured.replace(ESC + code, "")
    assert got == coloured
    assert "    58 | 0x0400 0000 0000 0000 | IPv4 packet\n" in got


def test_vardoc_values():
    def bits(value):
        lines = vardoc("-V", f"flowStat={value}", env={"NO_COLOR": "1"}).splitlines()
        return [int(line.split("|")[0]) for line in lines[5:] if line]
    assert bits("0x0400000000004001") == [0, 14, 58]
    assert bits("0X8000000000000001") == [0, 63]
    assert bits("16385") == [0, 14]
    assert bits("0x41zz") == [0, 6]              # the leading number, as gawk's strtonum
    assert bits("010") == [3]                    # octal, as strtonum
    assert bits("nothing") == []
    assert bits("") == list(range(64))           # no value: the whole table


def test_vardoc_unknown_column():
    p = tawk("-V", "nope=1")
    assert p.returncode == 1 and p.stdout == b""
    assert p.stderr.decode() == ("tawk: -V nope: no description of a column named 'nope' "
                                 "(tawk knows flowStat and tcpWinStat)\n")


def test_list_functions_and_help():
    funcs = out(tawk("-g")).split()
    assert funcs == sorted(funcs) and len(funcs) == 36
    usage = out(tawk("-h"))
    assert usage.startswith("Usage:\n    tawk [OPTION...] 'PROGRAM' [FILE...]")
    for f in funcs:
        assert f + "(" in usage, f


# ---------------------------------------------------------------- bad input

def not_t2(path, problem):
    return f"tawk: {path}: {problem}\n"


def test_bad_inputs(tmp_path):
    pcap, pcapng = DATA / "ftp_session.pcap", DATA / "ipv6_mix.pcapng"
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "x.bin"
    binary.write_bytes(b"%pktNo\tflowInd\n\0\1\2")
    comments = tmp_path / "comments.txt"
    comments.write_bytes(b"# nothing\n")
    noperm = tmp_path / "noperm.txt"
    noperm.write_bytes(b"%a\n")
    noperm.chmod(0)
    bad = {
        pcap: f"a pcap capture, not a T2 text file (t2mini -r {pcap} -w PREFIX writes those)",
        pcapng: f"a pcapng capture, not a T2 text file (t2mini -r {pcapng} -w PREFIX "
                "writes those)",
        empty: "an empty file, not a T2 text file (no line of column names)",
        binary: "a binary file, not a T2 text file",
        GOLDEN / "ftp_session_headers.txt": "not a T2 text file: its first line (after # "
            "comments) is no line of column names ('%' then the names)",
        comments: "not a T2 text file: its first line (after # comments) is no line of "
                  "column names ('%' then the names)",
        tmp_path / "missing.txt": "no such file",
        tmp_path: "a directory, not a T2 text file",
    }
    if os.geteuid() != 0:
        bad[noperm] = "cannot be read (permission denied)"
    for path, problem in bad.items():
        p = tawk("flow(1)", path)
        assert (p.returncode, p.stdout, p.stderr.decode()) == (1, b"", not_t2(path, problem))
        # a bad second file too
        p = tawk("flow(1)", GOLDEN / "vlan_flows.txt", path)
        assert (p.returncode, p.stdout, p.stderr.decode()) == (1, b"", not_t2(path, problem))


def test_bad_stdin():
    for data in (DATA / "ftp_session.pcap", DATA / "ipv6_mix.pcapng"):
        p = tawk("flow(1)", stdin=data)
        assert p.returncode == 1 and p.stdout == b""
        assert p.stderr.decode() == not_t2("stdin", "not a T2 text file: its first line "
                                           "(after # comments) is no line of column names "
                                           "('%' then the names)")
    p = tawk("flow(1)", stdin=b"")
    assert p.returncode == 1
    assert p.stderr.decode() == not_t2("stdin", "an empty input, not a T2 text file (no "
                                       "line of column names)")
    p = tawk("flow(1)", "/dev/null")
    assert p.stderr.decode().startswith("tawk: /dev/null: an empty input")


def test_bad_usage():
    for args, msg in ((["-x", "1"], "unknown option '-x'"), ([], "no program given"),
                      (["-V"], "option '-V' needs an argument"),
                      (["-l=a"], "option '-l' needs a number")):
        p = tawk(*args)
        assert p.returncode == 1 and p.stdout == b""
        assert p.stderr.decode() == f"tawk: {msg}\nTry 'tawk --help' for more information.\n"
    p = tawk("flow(3", GOLDEN / "vlan_flows.txt")          # awk's own message
    assert p.returncode != 0 and p.stdout == b"" and p.stderr


def test_tcol_bad_inputs(tmp_path):
    for path, problem in (
            (DATA / "vlan.pcap", f"a pcap capture, not a T2 text file (t2mini -r "
                                 f"{DATA}/vlan.pcap -w PREFIX writes those)"),
            (tmp_path / "missing", "no such file"),
            (tmp_path, "a directory, not a text file")):
        p = run(TCOL, path)
        assert (p.returncode, p.stdout, p.stderr.decode()) == (1, b"", f"tcol: {path}: {problem}\n")
    p = run(TCOL, "-x")
    assert p.returncode == 1 and p.stderr.startswith(b"tcol: unknown option '-x'\n")


def test_tcol_stdin_and_layout():
    text = b"%a\tbb\tc\nlonger\t\tx\n\n \t \nshort\n"
    want = b"%a      bb  c\nlonger      x\nshort       \n"
    assert run(TCOL, stdin=text).stdout == want
    assert run(TCOL, "-", stdin=text).stdout == want
    assert out(run(TCOL, "-h")).startswith("Usage:\n    tcol [FILE...]")


def test_tools_are_posix_sh_and_awk():
    for tool in (TAWK, TCOL):
        assert tool.read_text().startswith("#!/bin/sh\n")
        assert os.stat(tool).st_mode & stat.S_IXUSR
        assert subprocess.run(["sh", "-n", str(tool)]).returncode == 0


# ---------------------------------------------------------------- t2cols.py

def t2cols(*args, stdin=None):
    return subprocess.run([sys.executable, str(T2COLS), *map(str, args)], input=stdin,
                          capture_output=True, timeout=120)


def test_t2cols_is_tawk_and_tcol():
    f = GOLDEN / "tcp_zerowin_packets.txt"
    p = t2cols("-c", "pktNo,flowInd,tcpWinSize,tcpWinThPktCnt", f,
               "tcpWinThPktCnt > 0 && tcpWinSize == 0")
    want = subprocess.run(
        ["sh", "-c", f"{TAWK} 'hdr() || ($tcpWinThPktCnt > 0 && $tcpWinSize == 0) "
                     f"{{ print $pktNo, $flowInd, $tcpWinSize, $tcpWinThPktCnt }}' {f} | {TCOL}"],
        capture_output=True).stdout
    assert p.returncode == 0 and p.stdout == want
    assert p.stdout.startswith(b"%pktNo  flowInd  tcpWinSize  tcpWinThPktCnt\n")


def test_t2cols_rows_columns_and_functions():
    f = GOLDEN / "ftp_session_flows.txt"
    lines = t2cols("-n", "2", "-c", "flowInd,dir", f, "flowStat == 0x0400000000004001 && "
                   'hdrDesc ~ "tcp"').stdout.decode().splitlines()
    assert lines == ["flowInd  %dir", "4        B", "5        B"]
    lines = t2cols("-c", "pktNo,dstPort", "-n", "1", "-", "flow(3) && dstPort == 21",
                   stdin=(GOLDEN / "ftp_session_packets.txt").read_bytes()).stdout
    assert lines == b"%pktNo  dstPort\n3       21\n"
    # every line without its trailing blanks
    full = t2cols(f, "flowInd == 1").stdout.decode().splitlines()
    assert len(full) == 2 and all(line == line.rstrip() for line in full)


def test_t2cols_errors():
    f = GOLDEN / "ftp_session_flows.txt"
    p = t2cols(f, "winSize > 0")
    assert p.returncode == 2
    assert p.stderr.decode().startswith(f"t2cols: {f}: no column 'winSize' (columns: dir ")
    p = t2cols(f, "flowInd = 1")
    assert p.returncode == 2 and "cannot read the condition at: '= 1'" in p.stderr.decode()
    p = t2cols("-c", "flowInd,nope", f)
    assert p.returncode == 2 and "no column 'nope'" in p.stderr.decode()
    p = t2cols(DATA / "missing.txt")
    assert p.returncode == 2 and "No such file" in p.stderr.decode()
    p = t2cols(DATA / "vlan.pcap")
    assert p.returncode == 2 and "tawk: " in p.stderr.decode() and "pcap" in p.stderr.decode()


# ---------------------------------------------------------------- install, docs

@pytest.mark.any_build      # installs the tree's own build
def test_make_install_puts_the_user_tools_in_bindir(t2mini, tmp_path):
    prefix = tmp_path / "prefix"
    p = subprocess.run(["make", "-s", "-C", str(ROOT), "install", f"PREFIX={prefix}"],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    bindir = prefix / "bin"
    for tool, source in (("tawk", "tawk"), ("tcol", "tcol"), ("t2diff", "t2diff.py")):
        assert (bindir / tool).read_bytes() == (ROOT / "scripts" / source).read_bytes()
        assert os.stat(bindir / tool).st_mode & stat.S_IXOTH
    same = subprocess.run([str(bindir / "t2diff"), str(GOLDEN / "tcp_states_packets.txt"),
                           str(GOLDEN / "tcp_states_packets.txt")], capture_output=True, text=True)
    assert same.returncode == 0, same.stdout + same.stderr
    pipe = (f"{bindir}/tawk 'flow(35)' {GOLDEN}/tcp_states_packets.txt | {bindir}/tcol")
    got = subprocess.run(["sh", "-c", pipe], capture_output=True, cwd=tmp_path).stdout
    assert got == (EXPECTED / "pipe_flow35.txt").read_bytes()
    p = subprocess.run(["make", "-s", "-C", str(ROOT), "uninstall", f"PREFIX={prefix}"],
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    assert not any((bindir / tool).exists() for tool in ("tawk", "tcol", "t2diff"))


@pytest.mark.any_build      # a document, run in a copy of the tree
def test_tawk_document(t2mini, tmp_path):
    """docs/TAWK.md's console blocks print what the document shows."""
    steps = console_steps((ROOT / "docs" / "TAWK.md").read_text())
    assert len(steps) >= 6
    bad = run_steps(steps, copy_tree(tmp_path / "t2mini"))
    assert bad is None, "docs/TAWK.md: `{}` printed:\n{}\n--- the document shows:\n{}".format(
        bad[0], bad[2], bad[1])


def test_cases_file_is_well_formed():
    names = [c[0] for c in cases()]
    assert len(names) == len(set(names))
    for name, args in cases():
        assert (EXPECTED / f"{name}.txt").exists(), name
        assert shlex.join(args)
