"""make test's parts (conftest.py's --shard, tests/shards.py) hold every
test exactly once, whatever tests/durations.txt says."""
import subprocess
import sys

import pytest

from conftest import ROOT


def collected(*args):
    p = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                        "-p", "no:cacheprovider", *args, "tests"],
                       cwd=ROOT, capture_output=True, text=True)
    assert p.returncode in (0, 5), p.stdout + p.stderr
    return [line for line in p.stdout.splitlines() if "::" in line]


@pytest.mark.any_build
def test_parts_cover_the_suite_once():
    everything = collected()
    parts = [collected("--shard", f"{k}/3") for k in (1, 2, 3)]
    assert sorted(sum(parts, [])) == sorted(everything)
    assert all(parts)
