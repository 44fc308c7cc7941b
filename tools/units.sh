#!/bin/sh
# tools/units.sh OUT FILE... - write OUT, a translation unit made of FILE...
# (the Makefile compiles the engine as two of them; see "units" there).
#
# OUT includes each FILE in turn.  Each file asks for the system interfaces
# it needs with feature macros (_POSIX_C_SOURCE, ...) before its first
# #include, but in one unit only the first file's would count: the system
# headers read them once.  So OUT first defines every feature macro any of
# the files defines; the files' own definitions then repeat them (the same
# macro with another value would be an error).  OUT is rewritten only when
# its text changes, so make rebuilds the unit only then.
set -eu
out=$1; shift
mkdir -p "$(dirname "$out")"
{
    echo "/* $out: written by tools/units.sh; do not edit */"
    grep -h -E '^#define (_[A-Z_]+_SOURCE|_FILE_OFFSET_BITS)[[:space:]]' "$@" |
        sed 's|[[:space:]]*/\*.*||' | sort -u
    for f in "$@"; do printf '#include "%s"\n' "$f"; done
} > "$out.new"
if cmp -s "$out.new" "$out"; then rm -f "$out.new"; else mv "$out.new" "$out"; fi
