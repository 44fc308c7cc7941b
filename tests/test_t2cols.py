"""t2cols.py: rows picked by conditions on column names, columns aligned."""
import subprocess
import sys

from conftest import ROOT

T2COLS = [sys.executable, str(ROOT / "scripts" / "t2cols.py")]

FILE = ("%pktNo\tflowInd\ttcpWinSize\ttcpWinThPktCnt\tflowStat\tl7Content\n"
        "1\t1\t\t\t0x0400000000000004\tabc\n"
        "2\t3\t64240\t0\t0x0400000000004000\t\n"
        "3\t3\t0\t1\t0x0400000000004001\tZZ\n"
        "14\t35\t0\t2\t0x0400000000004001\tUSER x\\r\\n\n")


def t2cols(tmp_path, *args, stdin=None):
    path = tmp_path / "x_packets.txt"
    path.write_text(FILE)
    args = [str(path) if a == "FILE" else a for a in args]
    return subprocess.run(T2COLS + list(args), capture_output=True, text=True, input=stdin)


def test_condition_of_the_tutorial(tmp_path):
    p = t2cols(tmp_path, "-c", "pktNo,flowInd,tcpWinSize,tcpWinThPktCnt", "FILE",
               "tcpWinThPktCnt > 0 && tcpWinSize == 0")
    assert p.returncode == 0
    assert p.stdout == ("%pktNo  flowInd  tcpWinSize  tcpWinThPktCnt\n"
                        "3       3        0           1\n"
                        "14      35       0           2\n")


def test_all_columns_aligned_last_one_not_padded(tmp_path):
    p = t2cols(tmp_path, "FILE", "flowInd == 1")
    # pktNo 6 wide, flowInd 7, tcpWinSize 10, tcpWinThPktCnt 14, two spaces apart
    assert p.stdout.split("\n")[1] == ("1" + " " * 7 + "1" + " " * 8 + " " * 12 + " " * 16 +
                                       "0x0400000000000004  abc")


def test_numbers_compare_as_numbers_text_as_text(tmp_path):
    def rows(cond):
        out = t2cols(tmp_path, "-c", "pktNo", "FILE", cond).stdout.split()
        return out[1:]
    assert rows("pktNo > 3") == ["14"]                  # not "14" < "3" as text
    assert rows("flowStat == 0x0400000000004001") == ["3", "14"]
    assert rows('tcpWinSize == ""') == ["1"]            # an empty cell
    assert rows("tcpWinSize < 1") == ["3", "14"]        # empty is no number
    assert rows('l7Content == "USER x\\\\r\\\\n"') == ["14"]
    assert rows("!(flowInd == 3) && (pktNo == 1 || pktNo >= 10)") == ["1", "14"]


def test_row_limit_and_stdin(tmp_path):
    p = subprocess.run(T2COLS + ["-n", "1", "-c", "pktNo", "-"], input=FILE,
                       capture_output=True, text=True)
    assert p.stdout == "%pktNo\n1\n"


def test_errors_name_the_file_and_the_problem(tmp_path):
    p = t2cols(tmp_path, "FILE", "winSize > 0")
    assert p.returncode == 2
    assert p.stderr.startswith(f"t2cols: {tmp_path}/x_packets.txt: no column 'winSize'")
    p = t2cols(tmp_path, "FILE", "pktNo >")
    assert p.returncode == 2 and "expected more in the condition" in p.stderr
    p = t2cols(tmp_path, "FILE", "pktNo = 1")
    assert p.returncode == 2 and "cannot read the condition at: '= 1'" in p.stderr
    p = t2cols(tmp_path, "-c", "pktNo,nope", "FILE")
    assert p.returncode == 2 and "no column 'nope'" in p.stderr
    p = subprocess.run(T2COLS + [str(tmp_path / "missing.txt")], capture_output=True, text=True)
    assert p.returncode == 2 and "missing.txt" in p.stderr and "No such file" in p.stderr
