"""The subnet tables compiled into t2mini are the shipped text tables, packed.

tools/geo_compile.c packs data/subnets4.txt and data/subnets6.txt with
flow_geo_load.c, the loader -G uses, and writes the packed strings to
gen/geo_builtin.c as rows of string literals.  A small program built from
flow_geo.c and that file checks that what the compiler made of the literals
is, byte for byte, what the loader builds from the text at run time.
"""
import os
import subprocess

from conftest import DATA, ROOT

CHECK = r"""
#include <stdio.h>
#include <string.h>
#include "flow_geo_table.h"

static int same(const char *name, const geo_ranges_t *a, const geo_ranges_t *b)
{
    const int ok = a->ipver == b->ipver && a->version == b->version &&
                   a->revision == b->revision && a->nbounds == b->nbounds &&
                   a->nlabels == b->nlabels && a->nlows == b->nlows && a->size == b->size &&
                   a->lows_at == b->lows_at && a->labels_at == b->labels_at &&
                   a->texts_at == b->texts_at && memcmp(a->bytes, b->bytes, a->size) == 0;
    printf("%s %s\n", name, ok ? "same" : "different");
    return ok;
}

int main(int argc, char **argv)
{
    geo_t g;
    char err[512];
    if (argc != 2 || geo_load(&g, argv[1], err, sizeof(err)) != 0) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    const int ok4 = same("IPv4", g.v4, &geoBuiltin4), ok6 = same("IPv6", g.v6, &geoBuiltin6);
    geo_free(&g);
    return ok4 && ok6 ? 0 : 1;
}
"""


def test_built_in_tables_are_the_text_tables_packed(tmp_path):
    subprocess.run(["make", "-s", "-C", str(ROOT), "gen/geo_builtin.c"], check=True)
    src = tmp_path / "check.c"
    src.write_text(CHECK)
    exe = tmp_path / "check"
    cc = os.environ.get("CC", "cc")
    subprocess.run([cc, "-std=c99", "-I", str(ROOT / "core"), "-o", str(exe), str(src),
                    *[str(ROOT / "core" / f) for f in ("flow_geo.c", "flow_geo_load.c", "flow_geo_flatten.c")],
                    str(ROOT / "gen" / "geo_builtin.c")],
                   check=True)
    p = subprocess.run([str(exe), str(DATA)], capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout == "IPv4 same\nIPv6 same\n"
