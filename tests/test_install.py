"""make install / uninstall: an installed t2mini writes the same files as the
checkout's, with the subnet tables it was built with, and has a man page.
make runs in a copy of the tree (the man page is built in its gen/), so
that the checkout is left as it is."""
import pathlib
import re
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
    # directories that are there before: install uses them, uninstall keeps them
    (prefix / "bin").mkdir(parents=True)
    (prefix / "bin" / "other").write_text("another program\n")
    (prefix / "share" / "man").mkdir(parents=True)
    p = make(tree, "install", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    binary = prefix / "bin" / "t2mini"
    share = prefix / "share" / "t2mini"
    for f in ("subnets4.txt", "subnets6.txt"):
        assert (share / f).read_bytes() == (DATA / f).read_bytes()
    man = (prefix / "share" / "man" / "man1" / "t2mini.1").read_text()
    assert man.startswith(".TH T2MINI 1") and "-G GEODIR" in plain(man)
    # the page names the files where this install put them, and only those
    assert "PREFIX/" not in man
    named = set(re.findall(r"(/[^\s,]+)", plain(man)))
    assert f"{prefix}/share/t2mini/subnets4.txt" in named
    assert f"{prefix}/share/doc/t2mini/README.md" in named
    for path in named:
        if path.startswith(str(prefix)):
            assert pathlib.Path(path).is_file(), path

    # run from elsewhere, as an installed program is run
    out = tmp_path / "out"
    out.mkdir()
    p = subprocess.run([str(binary), "-r", str(DATA / "vlan.pcap"), "-s", "-w", "out/"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    for kind in ("packets", "flows"):
        assert (out / f"vlan_{kind}.txt").read_bytes() == \
            (GOLDEN / f"vlan_{kind}.txt").read_bytes(), kind

    # a second install over the first, then uninstall: what install made is
    # gone, directories included; what was there before is left
    assert make(tree, "install", f"PREFIX={prefix}").returncode == 0
    p = make(tree, "uninstall", f"PREFIX={prefix}")
    assert p.returncode == 0, p.stderr
    left = sorted(str(f.relative_to(prefix)) for f in prefix.rglob("*"))
    assert left == ["bin", "bin/other", "share", "share/man"]


def test_uninstall_with_destdir(t2mini, tmp_path):
    """DESTDIR: the files and directories under it, the page names PREFIX's."""
    tree = copy_tree(tmp_path / "tree")
    dest = tmp_path / "dest"
    assert make(tree, "install", "PREFIX=/opt/t2mini", f"DESTDIR={dest}").returncode == 0
    man = plain((dest / "opt/t2mini/share/man/man1/t2mini.1").read_text())
    assert "/opt/t2mini/share/doc/t2mini/README.md" in man and str(dest) not in man
    assert (dest / "opt/t2mini/share/doc/t2mini/README.md").is_file()
    assert make(tree, "uninstall", "PREFIX=/opt/t2mini", f"DESTDIR={dest}").returncode == 0
    assert not dest.exists() or list(dest.rglob("*")) == []


def man_page(tmp_path):
    return subprocess.run(["sh", str(ROOT / "tools" / "man.sh"), str(T2MINI), "/usr/local"],
                          capture_output=True, text=True, check=True).stdout


def plain(man):
    """The page's text without font changes, its hyphens as typed."""
    return re.sub(r"\\f[BIR]", "", man).replace("\\-", "-").replace("\\e", "\\")


def test_man_page_follows_the_help(t2mini, tmp_path):
    """The man page is made from -h: every option of the help is an item
    of its own (".TP", then the option as the help spells it)."""
    man = plain(man_page(tmp_path))
    help_text = subprocess.run([str(T2MINI), "-h"], capture_output=True, text=True).stdout
    options = [re.split(r"  +", line.strip())[0] for line in help_text.splitlines()
               if line.startswith("  -")]
    assert len(options) >= 20
    for opt in options:
        assert f".TP\n{opt}\n" in man, opt


def long_options():
    """The long options t2mini takes: its table `long_options[]`."""
    for source in [ROOT / "t2mini.c", *sorted((ROOT / "core").glob("*.c"))]:
        table = re.search(r"long_options\[\] = \{(.*?)\n\};", source.read_text(), re.S)
        if table:
            return re.findall(r'\{ "([a-z-]+)", "-([A-Za-z])" \}', table.group(1))
    raise AssertionError("no long_options[] table")


def test_man_page_lists_every_long_option(t2mini, tmp_path):
    man = man_page(tmp_path).replace("\\-", "-")
    options = long_options()
    assert len(options) > 20
    for name, short in options:
        assert f"--{name}" in man, name
        if name not in ("plugin-folder", "plugin-list", "pcapd", "cpu"):   # refused
            assert re.search(rf"\\fB-{short}\\fR, \\fB--{name}\\fR", man), name


def test_man_page_sections(t2mini, tmp_path):
    man = man_page(tmp_path)
    sections = re.findall(r"^\.SH (.*)$", man, re.M)
    assert sections == ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "SIGNALS", "EXIT STATUS",
                        "OUTPUT FILES", "FILES", "SEE ALSO"]
    status = man.split(".SH EXIT STATUS\n")[1].split(".SH")[0]
    assert re.findall(r"^\.TP\n(\d+)\n", status, re.M) == ["0", "1", "2"]
    # every column of the packet and flow files, in order, with a description
    cols = {}
    for kind in ("packets", "flows"):
        header = (GOLDEN / f"vlan_{kind}.txt").read_text().split("\n")[0].lstrip("%")
        cols[kind] = header.split("\t")
    packets = man.split(".SS The packet file's columns\n")[1].split(".SS")[0]
    flows = man.split(".SS The flow file's columns\n")[1].split(".SH")[0]
    assert re.findall(r"^\\fB(\w+)\\fR\n", packets, re.M) == cols["packets"]
    assert re.findall(r"^\\fB(\w+)\\fR \(", flows, re.M) == cols["flows"]
    assert "written by a plugin" not in packets
    if shutil.which("groff"):
        p = subprocess.run(["groff", "-man", "-Tutf8", "-z"], input=man, capture_output=True,
                           text=True)
        assert p.returncode == 0 and p.stderr == "", p.stderr
