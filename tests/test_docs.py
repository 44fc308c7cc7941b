"""The documentation is executable: every ```console block of the README
(and of the other documents listed in DOCS) is run here, in a copy of the
repository, and its output compared with what the block shows.

In a block, a line starting with "$ " is a command (run with bash, in the
copy's top directory); the lines after it, up to the next command, are its
output (stdout and stderr), compared line by line; a line "..." stands for
any number of lines.  Commands run in order, so a block can use what an
earlier one wrote.  Two kinds of command are not run as such:

- `apt-get update` and `apt-get install -y PKGS` (the set-up a fresh
  machine needs): each package must be installed (dpkg -s), which is what
  the command would make true;
- `make` targets that run this test suite or take minutes (test, sanitize,
  bench, fuzz, portability...): `make -n` checks that they exist and
  their recipes expand.
"""
import shutil
import subprocess

import pytest

from conftest import ROOT

DOCS = ["README.md"]
HEAVY_TARGETS = {"test", "sanitize", "bench", "fuzz", "portability"}


def console_blocks(path):
    """[(line number, [(command, [expected lines])])] of a markdown file."""
    blocks, current = [], None
    for no, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("```"):
            if current is not None:
                blocks.append(current)
                current = None
            elif line.strip() == "```console":
                current = (no, [])
            continue
        if current is None:
            continue
        if line.startswith("$ "):
            current[1].append((line[2:], []))
        elif current[1]:
            current[1][-1][1].append(line)
    return blocks


def matches(expected, got):
    """Line-by-line match where "..." in expected matches any run of lines."""
    if not expected:
        return not got
    if expected[0] == "...":
        return any(matches(expected[1:], got[i:]) for i in range(len(got) + 1))
    return bool(got) and got[0] == expected[0] and matches(expected[1:], got[1:])


def setup_step(step):
    """For an apt-get step, the packages it installs (or [] for update);
    None for any other step."""
    words = step.split()
    if words[:2] == ["apt-get", "update"]:
        return []
    if words[:2] == ["apt-get", "install"]:
        return [w for w in words[2:] if not w.startswith("-")]
    return None


def run_command(cmd, cwd):
    """Run one documented command; returns its output lines."""
    steps = [s.strip() for s in cmd.split("&&")]
    rest = []
    for i, step in enumerate(steps):
        pkgs = setup_step(step)
        if pkgs is None:
            rest = steps[i:]
            break
        for pkg in pkgs:
            assert subprocess.run(["dpkg", "-s", pkg], capture_output=True).returncode == 0, \
                f"{pkg} (from `{cmd}`) is not installed"
    if not rest:
        return []
    words = rest[0].split()
    if words and words[0] == "make" and HEAVY_TARGETS & {w.split("-")[0] for w in words[1:]}:
        p = subprocess.run(["make", "-n", *[w for w in words[1:] if w != "-s"]], cwd=cwd,
                           capture_output=True, text=True)
        assert p.returncode == 0, f"`{rest[0]}`: {p.stderr}"
        rest = rest[1:]
        if not rest:
            return []
    p = subprocess.run(["bash", "-c", " && ".join(rest)], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=600)
    assert p.returncode == 0, f"`{cmd}` failed ({p.returncode}):\n{p.stdout}"
    return p.stdout.splitlines()


def repo_files():
    """The files a fresh clone has: what git tracks, plus new files it does
    not ignore (so that uncommitted work is tested too); regular files only.
    Without git (a tarball), every regular file outside build outputs."""
    p = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others",
                        "--exclude-standard"], capture_output=True)
    if p.returncode == 0:
        names = [n for n in p.stdout.decode().split("\0") if n]
    else:
        names = [str(f.relative_to(ROOT)) for f in ROOT.rglob("*")]
    return [n for n in names if (ROOT / n).is_file() and not (ROOT / n).is_symlink()
            and n.split("/")[0] not in ("out", "gen", "build")]


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory, t2mini):
    """The repository as a fresh clone has it, with the build the test
    session made (times kept, so make finds it up to date): the commands
    run as documented without building everything twice."""
    dest = tmp_path_factory.mktemp("docs") / "t2mini"
    built = [str(f.relative_to(ROOT)) for f in [*ROOT.glob("*.o"), *ROOT.glob("gen/*")]
             if f.is_file()]
    if (ROOT / "t2mini").is_file():
        built.append("t2mini")
    for name in repo_files() + built:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, dest / name)
    return dest


CASES = [(doc, no, block) for doc in DOCS for no, block in console_blocks(ROOT / doc)]


@pytest.mark.parametrize("doc,line,block", CASES, ids=[f"{d}:{n}" for d, n, _ in CASES])
def test_documented_commands(repo_copy, doc, line, block):
    for cmd, expected in block:
        got = run_command(cmd, repo_copy)
        assert matches(expected, got), \
            f"{doc}:{line}: `{cmd}` printed:\n" + "\n".join(got) + \
            "\n--- the document shows:\n" + "\n".join(expected)


def test_blocks_found():
    assert len(CASES) >= 5
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"])
