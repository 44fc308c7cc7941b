"""make install / uninstall: an installed t2mini writes the same files as the
checkout's, with the subnet tables it was built with, and has a man page.
make runs in a copy of the tree (the man page is built in its gen/), so
that the checkout is left as it is."""
import shutil
import subprocess

import pytest

from conftest import DATA, GOLDEN, ROOT, T2MINI
from doc_commands import copy_tree

pytestmark = pytest.mark.any_build      # the Makefile's own build


def make(tree, *args):
    return subprocess.run(["make", "-s", "-C", str(tree), *args],
                          capture_output=True, text=True, timeout=600)


def test_install_run_uninstall(t2mini, tmp_path):
    tree = copy_tree(tmp_path / "tree")
    prefix = tmp_path / "prefix"
    p = make(tree, "install", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    binary = prefix / "bin" / "t2mini"
    share = prefix / "share" / "t2mini"
    for f in ("subnets4.txt", "subnets6.txt"):
        assert (share / f).read_bytes() == (DATA / f).read_bytes()
    man = (prefix / "share" / "man" / "man1" / "t2mini.1").read_text()
    assert man.startswith(".TH T2MINI 1") and "\\-G GEODIR" in man

    # run from elsewhere, as an installed program is run
    out = tmp_path / "out"
    out.mkdir()
    p = subprocess.run([str(binary), "-r", str(DATA / "vlan.pcap"), "-s", "-w", "out/"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    for kind in ("packets", "flows"):
        assert (out / f"vlan_{kind}.txt").read_bytes() == \
            (GOLDEN / f"vlan_{kind}.txt").read_bytes(), kind

    p = make(tree, "uninstall", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    assert not binary.exists() and not share.exists()
    assert not (prefix / "share" / "man" / "man1" / "t2mini.1").exists()


def test_man_page_follows_the_help(t2mini):
    """The man page is made from -h: every option line of the help is in it."""
    if shutil.which("sh") is None:
        return
    man = subprocess.run(["sh", str(ROOT / "tools" / "man.sh"), str(T2MINI)],
                         capture_output=True, text=True, check=True).stdout
    help_text = subprocess.run([str(T2MINI), "-h"], capture_output=True, text=True).stdout
    for line in help_text.splitlines():
        if line.startswith("  -"):
            opt = line.split()[0]
            assert opt.replace("-", "\\-") in man, opt
