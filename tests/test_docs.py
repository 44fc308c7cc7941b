"""The documentation is executable: every ```console block of the documents
in DOCS is run here, in order, in one copy of the repository, and what each
command prints is compared with what the document shows (see
doc_commands.py for the rules).  TUTORIAL.md has a test of its own
(test_tutorial_doc.py), and so does README's plugin section
(test_write_plugin.py), which this test runs once more in its place.
"""
import pytest

from conftest import ROOT
from doc_commands import console_steps, copy_tree, matches, run_steps

DOCS = ["README.md", "data/README.md", "bench/README.md"]


@pytest.mark.parametrize("doc", DOCS)
def test_documented_commands(t2mini, tmp_path, doc):
    steps = console_steps((ROOT / doc).read_text())
    if doc == "README.md":
        assert len(steps) >= 8
    bad = run_steps(steps, copy_tree(tmp_path / "t2mini"))
    assert bad is None, "{}: `{}` printed:\n{}\n--- the document shows:\n{}".format(doc, *bad)


def test_ellipsis_matches_any_lines():
    assert matches(["a", "...", "z"], ["a", "b", "c", "z"])
    assert matches(["a", "...", "z"], ["a", "z"])
    assert not matches(["a", "...", "z"], ["a", "b"])
