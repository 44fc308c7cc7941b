"""The protocol label tables in dissect_hdrdesc.c are searched with bsearch():
each must stay sorted by number, without duplicates."""
import pathlib
import re

SOURCE = pathlib.Path(__file__).resolve().parent.parent / "core" / "dissect_hdrdesc.c"
TABLES = ("ip_labels", "ether_labels", "llc_labels", "ppp_labels")


def table_numbers(text, name):
    body = re.search(r"static const label_t %s\[\] = \{(.*?)\n\};" % name, text, re.S)
    assert body, f"table {name} not found"
    return [int(n, 0) for n in re.findall(r"\{\s*(0x[0-9a-fA-F]+|\d+),", body.group(1))]


def test_label_tables_are_sorted():
    text = SOURCE.read_text()
    for name in TABLES:
        numbers = table_numbers(text, name)
        assert len(numbers) > 10, name
        assert numbers == sorted(set(numbers)), f"{name} is not sorted by number"
