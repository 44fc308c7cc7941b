"""The documentation is executable: every ```console block of the documents
in DOCS is run here, in order, in one copy of the repository, and what each
command prints is compared with what the document shows (see
doc_commands.py for the rules).  TUTORIAL.md has a test of its own
(test_tutorial_doc.py), and so does README's plugin section
(test_write_plugin.py), which this test runs once more in its place.

A reader runs these commands in a clone: what they write goes to out/ (or
the build, gen/ and ./t2mini), which git ignores, and every file of the
clone is as it was when they are done.
"""
import hashlib
import subprocess

import pytest

from conftest import ROOT
from doc_commands import console_steps, copy_tree, matches, run_steps

DOCS = ["README.md", "data/README.md", "bench/README.md", "docs/USAGE.md", "docs/PACKETS.md",
        "docs/DEPARTURES.md", "docs/PERFORMANCE.md", "docs/PLATFORMS.md",
        "docs/TESTS.md", "docs/ARCHITECTURE.md", "docs/FUZZING.md", "docs/TAWK.md"]


@pytest.mark.any_build         # the commands run the copy's ./t2mini
@pytest.mark.parametrize("doc", DOCS)
def test_documented_commands(t2mini, tmp_path, doc):
    steps = console_steps((ROOT / doc).read_text())
    if doc == "README.md":
        assert len(steps) >= 8
    tree = copy_tree(tmp_path / "t2mini")
    before = digests(tree)
    bad = run_steps(steps, tree)
    assert bad is None, "{}: `{}` printed:\n{}\n--- the document shows:\n{}".format(doc, *bad)
    after = digests(tree)
    made = sorted(n for n in after.keys() - before.keys() if not built(n))
    changed = sorted(n for n in before if not built(n) and after.get(n) != before[n])
    assert not made, f"{doc}: its commands write outside out/: {made}"
    assert not changed, f"{doc}: its commands leave files changed or removed: {changed}"
    new = after.keys() - before.keys()
    git = subprocess.run(["git", "-C", str(ROOT), "check-ignore", "--no-index", "--stdin"],
                         input="\n".join(new), capture_output=True, text=True)
    if git.returncode in (0, 1):                    # 128: no git, no clone
        assert sorted(new - set(git.stdout.split())) == [], \
            f"{doc}: .gitignore does not cover what its commands make"


def built(name):
    """Whether a file is output or build: out/, gen/, ./t2mini."""
    return name.startswith(("out/", "gen/")) or name == "t2mini"


def digests(tree):
    """{path relative to tree: digest of the file} of every file under tree."""
    return {str(f.relative_to(tree)): hashlib.blake2b(f.read_bytes(), digest_size=16).digest()
            for f in tree.rglob("*") if f.is_file() and not f.is_symlink()}


def test_ellipsis_matches_any_lines():
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"])
