"""Run the commands a markdown document shows, and compare their output.

A document shows a terminal session in a ```console block: a line starting
with "$ " is a command (a line ending in "\\" continues it), and the lines
after it, up to the next command or the end of the block, are what it
prints (stdout and stderr together).  `console_steps()` takes those from
the markdown text itself, so that the document and its test cannot drift;
`run_steps()` runs them one after the other with sh in one directory and
returns the first mismatch.
"""
import pathlib
import re
import shutil
import subprocess

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


# Not in a fresh clone: builds, outputs, and the benchmark's and fuzzer's
# gigabytes (paths relative to the top directory).
SKIP_NAMES = {".git", "out", "gen", "build", "__pycache__", ".pytest_cache", "t2mini", "t2mini-san"}
SKIP_PATHS = {"bench/out", "fuzz/corpus", "fuzz/out", "fuzz/t2mini-fuzz"}


def _not_in_a_clone(directory, names):
    rel = pathlib.Path(directory).relative_to(ROOT)
    return [n for n in names
            if n in SKIP_NAMES or n.endswith(".o") or (rel / n).as_posix() in SKIP_PATHS]


def copy_tree(dest):
    """The repository as a fresh clone has it, plus the build the test
    session made (times kept, so that make rebuilds only what the commands
    change: the same result as a build from scratch, in less time)."""
    shutil.copytree(ROOT, dest, ignore=_not_in_a_clone)
    built = [*ROOT.glob("*.o"), *ROOT.glob("gen/*"), ROOT / "t2mini"]
    for f in built:
        if f.is_file():
            (dest / f.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, dest / f.relative_to(ROOT))
    return dest


def run_steps(steps, cwd, env=None):
    """Run every step; returns (command, expected, got) of the first step
    whose output differs, or None."""
    for cmd, expected in steps:
        proc = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
        got = proc.stdout.decode("latin-1").rstrip("\n")
        if got != expected.rstrip("\n"):
            return cmd, expected, got
    return None
