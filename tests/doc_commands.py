"""Run the commands a markdown document shows, and compare their output.

A document shows a terminal session in a ```console block: a line starting
with "$ " is a command (a line ending in "\\" continues it), and the lines
after it, up to the next command or the end of the block, are what it
prints (stdout and stderr together).  `console_steps()` takes those from
the markdown text itself, so that the document and its test cannot drift;
`run_steps()` runs them one after the other with sh in one directory and
returns the first mismatch.  An output line "..." stands for any number of
lines.  Two kinds of command are not run as such: `apt-get update` and
`apt-get install -y PKGS` (the set-up a fresh machine needs: each package
must be installed, which is what the command would make true), and make
targets that run this test suite or take minutes (`make -n` instead).  A
command that captures live (`-i IFACE`) runs, as root, in a network
namespace of its own with only a loopback interface, so that another test
run's traffic on the machine's loopback (a second clone's `make test`)
cannot reach it.
"""
import functools
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

from conftest import ROOT

BLOCK = re.compile(r"^```console\n(.*?)^```", re.M | re.S)


def section(markdown, title):
    """The text of the section headed `title` (up to the next heading of
    the same or a higher level)."""
    m = re.search(rf"^(#+) {re.escape(title)}\n", markdown, re.M)
    assert m, f"no section {title!r}"
    level = len(m.group(1))
    end = re.search(rf"^#{{1,{level}}} ", markdown[m.end():], re.M)
    return markdown[m.end():m.end() + end.start()] if end else markdown[m.end():]


def console_steps(markdown):
    """[(command, expected output)] of every ```console block, in order."""
    steps = []
    for block in BLOCK.findall(markdown):
        lines = block.split("\n")[:-1]
        i = 0
        while i < len(lines):
            assert lines[i].startswith("$ "), f"not a command: {lines[i]!r}"
            cmd = lines[i][2:]
            while cmd.endswith("\\"):
                i += 1
                cmd += "\n" + lines[i]        # sh joins the lines itself
            i += 1
            out = []
            while i < len(lines) and not lines[i].startswith("$ "):
                out.append(lines[i])
                i += 1
            steps.append((cmd, "\n".join(out)))
    return steps


def repo_files():
    """The files a fresh clone has: what git tracks, plus new files it does
    not ignore (so that uncommitted work is tested too); regular files only,
    never a build tree (a sysroot's device files, the benchmark's captures).
    Without git (a tarball), every regular file outside build outputs."""
    p = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True)
    if p.returncode == 0:
        names = [n for n in p.stdout.decode().split("\0") if n]
    else:
        names = [str(f.relative_to(ROOT)) for f in ROOT.rglob("*")]
    return [n for n in names if (ROOT / n).is_file() and not (ROOT / n).is_symlink()
            and n.split("/")[0] not in ("out", "gen", "build", "bench/out")
            and not n.startswith(("bench/out/", "fuzz/corpus/", "fuzz/out/"))]


def copy_tree(dest):
    """The repository as a fresh clone has it, plus the build the test
    session made (times kept, so that make rebuilds only what the commands
    change: the same result as a build from scratch, in less time)."""
    built = [f.relative_to(ROOT) for f in [*ROOT.glob("gen/**/*"),
                                          ROOT / "t2mini"] if f.is_file()]
    for name in repo_files():
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    for name in built:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        try:        # another test process may be replacing a file of the build
            shutil.copy2(ROOT / name, dest / name)
        except FileNotFoundError:
            pass
    return dest


def matches(expected, got):
    """Line by line, where a line "..." in `expected` stands for any number
    of lines of `got`."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(matches(expected[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and got[0] == expected[0] and matches(expected[1:], got[1:])


# make targets that run this test suite or take minutes: `make -n` checks
# that they exist and their recipes expand, instead of running them.
HEAVY_TARGETS = {"test", "sanitize", "bench", "fuzz", "portability"}


def _setup_packages(step):
    """The packages an apt-get step installs ([] for `apt-get update`), or
    None when the step is not an apt-get one."""
    words = step.split()
    if words[:2] == ["apt-get", "update"]:
        return []
    if words[:2] == ["apt-get", "install"]:
        return [w for w in words[2:] if not w.startswith("-")]
    return None


def _runnable(cmd, cwd):
    """What of a documented command is run here: the set-up a fresh machine
    needs (apt-get) is checked instead (each package must be installed),
    and heavy make targets are dry-run; returns (the rest, None) or
    (None, why it failed)."""
    if not cmd.startswith(("apt-get ", "make ")):
        return cmd, None
    steps = [s.strip() for s in cmd.split(" && ")]
    while steps and _setup_packages(steps[0]) is not None:
        for pkg in _setup_packages(steps.pop(0)):
            if subprocess.run(["dpkg", "-s", pkg], capture_output=True).returncode != 0:
                return None, f"{pkg} (from `{cmd}`) is not installed"
    words = shlex.split(steps[0]) if steps else []
    if words[:1] == ["make"] and HEAVY_TARGETS & {w.split("-")[0] for w in words[1:]}:
        p = subprocess.run(["make", "-n", *[w for w in words[1:] if w != "-s"]], cwd=cwd,
                           capture_output=True, text=True)
        if p.returncode != 0:
            return None, f"`make -n` of `{steps[0]}`: {p.stderr.strip()}"
        steps = steps[1:]
    return " && ".join(steps), None


# Bring the namespace's loopback interface up (SIOCGIFFLAGS, SIOCSIFFLAGS
# with IFF_UP: no `ip` needed), then run the command with sh.
LOOPBACK_UP = """
import fcntl, os, socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
ifr = fcntl.ioctl(s, 0x8913, struct.pack("16sh22x", b"lo", 0))
fcntl.ioctl(s, 0x8914, struct.pack("16sh22x", b"lo", struct.unpack("16sh22x", ifr)[1] | 1))
os.execvp("sh", ["sh", "-c", sys.argv[1]])
"""
LIVE = re.compile(r"(^|\s)-i\s")


@functools.lru_cache(maxsize=None)
def _own_network():
    """Whether commands can be given a network namespace of their own."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "--net", sys.executable, "-c", LOOPBACK_UP, "true"],
                          capture_output=True).returncode == 0


def shell(cmd):
    """The argv that runs `cmd` with sh (in a network namespace of its own
    when it captures live and that can be done)."""
    if LIVE.search(cmd) and _own_network():
        return ["unshare", "--net", sys.executable, "-c", LOOPBACK_UP, cmd]
    return ["sh", "-c", cmd]


def run_steps(steps, cwd, env=None):
    """Run every step; returns (command, expected, got) of the first step
    whose output differs, or None."""
    for cmd, expected in steps:
        runnable, failure = _runnable(cmd, cwd)
        if failure:
            return cmd, expected, failure
        if not runnable:
            got = ""
        else:
            proc = subprocess.run(shell(runnable), cwd=cwd, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
            got = proc.stdout.decode("latin-1").rstrip("\n")
        if not matches(expected.rstrip("\n").split("\n") if expected.strip() else [],
                       got.split("\n") if got else []):
            return cmd, expected, got
    return None
