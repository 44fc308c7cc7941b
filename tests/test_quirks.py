"""The T2 surprises t2mini keeps: the marks in the code and the list.

Every place in the code that reproduces a surprising T2 behaviour carries
the mark T2QUIRK: (a mention of the mark in quotes is not one), and
docs/DEPARTURES.md lists them, one table row a mark, by file.  The two
must agree, so that the list can be trusted and a new mark is listed.
"""
import collections
import re

from conftest import ROOT

MARK = re.compile(r'(?<!")T2QUIRK:')
ROW = re.compile(r"^\| `([^`]+)` \| (.+) \|$", re.M)


def marks_in_code():
    counts = collections.Counter()
    sources = [ROOT / "t2mini.c", ROOT / "tcpwin.c", ROOT / "tcpwin.h", ROOT / "t2Plugin.h"]
    for d in ("core", "api", "plugins"):
        sources += sorted((ROOT / d).glob("*.[ch]"))
    for path in sources:
        n = len(MARK.findall(path.read_text()))
        if n:
            counts[str(path.relative_to(ROOT))] = n
    return counts


def listed():
    text = (ROOT / "docs" / "DEPARTURES.md").read_text()
    section = text[text.index("## T2's surprises that t2mini keeps"):]
    return collections.Counter(m.group(1) for m in ROW.finditer(section))


def test_every_mark_is_listed_and_every_row_is_a_mark():
    assert marks_in_code() == listed()


def test_the_list_is_not_empty():
    assert sum(listed().values()) >= 20
