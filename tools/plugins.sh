#!/bin/sh
# tools/plugins.sh - the plugins a t2mini build links in, as T2 would load
# them (the Makefile runs it; see "Plugins" there).
#
#   plugins.sh mk OUT PLUGIN...     write the make rules for PLUGIN... to OUT
#                                   (only when they change)
#   plugins.sh table NM NAME=OBJ,OBJ...
#                                   write the plugin table (C) to stdout
#
# A PLUGIN is a built-in one by name (basicFlow, tcpWin, txtSink) or a
# plugin folder in T2 0.9.3's layout, given by path: DIR/autogen.sh sets
# PLUGINNAME and PLUGINORDER, DIR/src/Makefile.am lists the sources
# (lib<NAME>_la_SOURCES; DIR/src/NAME.c without one).  The plugins are
# called in PLUGINORDER, as T2 orders the NNN_name.so files it loads.
#
# T2 loads each plugin as a library of its own and finds its callbacks by
# name (dlsym).  t2mini links every plugin into one program: each plugin's
# files are compiled with T2's callback names defined to names of its own
# (-Dt2Init=t2pl_NAME_t2Init, ...), and the table of callbacks is made
# from the symbols its objects define (nm -P), so a plugin without a
# t2OnLayer2 simply has none, as in T2.
set -eu

# T2's callbacks and the functions T2_PLUGIN_INIT defines, in the order of
# the table's fields (core/plugins_table.h)
CALLBACKS="t2PluginName t2PluginVersion t2SupportedT2Major t2SupportedT2Minor
t2Dependencies t2Init t2PrintHeader t2OnNewFlow t2OnLayer2 t2OnLayer4
t2OnFlowTerminate t2PluginReport t2Monitoring t2Finalize t2SaveState
t2RestoreState t2BufferToSink"

die() { printf 'plugins: %s\n' "$*" >&2; exit 1; }

# builtin NAME: "ORDER FILE" of a built-in plugin, or nothing
builtin() {
    case $1 in
        basicFlow) echo "100 plugins/basicflow.c" ;;
        tcpWin)    echo "150 tcpwin.c" ;;
        txtSink)   echo "901 plugins/txtsink.c" ;;
    esac
}

# assignment VAR FILE: the value of the shell assignment VAR=... in FILE
assignment() {
    sed -n "s/^[[:space:]]*$1=[\"']\{0,1\}\([^\"'#]*\)[\"']\{0,1\}[[:space:]]*\(#.*\)\{0,1\}$/\1/p" "$2" | tail -n 1
}

# sources DIR NAME: the plugin's C files, from src/Makefile.am
sources() {
    am=$1/src/Makefile.am
    if [ ! -f "$am" ]; then
        echo "$1/src/$2.c"
        return
    fi
    # the lib<NAME>_la_SOURCES lines, continued by backslashes, comments
    # dropped; @PACKAGE_NAME@ is the plugin's name
    awk -v var="lib$2_la_SOURCES" '
        { sub(/#.*/, "") }
        !on && $1 == var && ($2 == "=" || $2 == "+=") { on = 1; $1 = ""; $2 = "" }
        on { cont = sub(/\\[[:space:]]*$/, ""); print; if (!cont) on = 0 }
    ' "$am" | tr ' \t' '\n\n' | sed -n "s/@PACKAGE_NAME@/$2/g; /\.c$/p" |
    while read -r f; do
        case $f in
            */*) die "$1: source $f is outside the plugin's src/: t2mini does not provide it" ;;
        esac
        echo "$1/src/$f"
    done
}

# entry PLUGIN: "ORDER NAME DIR FILE..." for one plugin of the list
entry() {
    b=$(builtin "$1")
    if [ -n "$b" ]; then
        echo "${b%% *} $1 - ${b#* }"
        return
    fi
    case $1 in
        */*|.*) ;;
        *) die "'$1' is neither a built-in plugin (basicFlow, tcpWin, txtSink) nor a plugin folder (give a path)" ;;
    esac
    dir=${1%/}
    [ -f "$dir/autogen.sh" ] || die "$dir: no autogen.sh: not a plugin folder in T2's layout"
    name=$(assignment PLUGINNAME "$dir/autogen.sh")
    order=$(assignment PLUGINORDER "$dir/autogen.sh")
    [ -n "$name" ] || die "$dir/autogen.sh: no PLUGINNAME"
    [ -n "$order" ] || die "$dir/autogen.sh: no PLUGINORDER"
    case $name in *[!A-Za-z0-9_]*) die "$dir: plugin name '$name' is not a C identifier" ;; esac
    case $order in *[!0-9]*) die "$dir/autogen.sh: PLUGINORDER '$order' is not a number" ;; esac
    files=$(sources "$dir" "$name") || exit 1
    [ -n "$files" ] || die "$dir/src/Makefile.am: no C sources for lib${name}_la_SOURCES"
    for f in $files; do [ -f "$f" ] || die "$f: no such file"; done
    echo "$order $name $dir" $files
}

# rules PLUGIN...: the make rules, plugins in PLUGINORDER
rules() {
    echo "# made by tools/plugins.sh from: $*"
    : > "$TMP.entries"
    for p in "$@"; do entry "$p" >> "$TMP.entries" || exit 1; done
    sort -n -k1,1 -k2,2 "$TMP.entries" > "$TMP.list"
    names=$(awk '{print $2}' "$TMP.list" | sort | uniq -d)
    [ -z "$names" ] || die "plugin $names given twice"
    objs_all= table_args=
    while read -r order name dir files; do
        objs=
        for f in $files; do
            base=$(basename "$f" .c)
            obj='$(GEN)'/plugins/$name/$base.o
            objs="$objs${objs:+,}$obj"
            objs_all="$objs_all $obj"
            if [ "$dir" = - ]; then flags='$(PLUGIN_CFLAGS)'
            else flags="\$(T2_PLUGIN_CFLAGS) -I$dir/src -DPLUGIN_SRCH='\"$dir/src/$name.h\"'"
            fi
            printf '%s: %s\n\t@mkdir -p $(@D)\n\t$(CC) %s $(call T2_RENAME,%s) -c -o $@ %s\n' \
                "$obj" "$f" "$flags" "$name" "$f"
        done
        table_args="$table_args $name=$objs"
        [ "$dir" = - ] || libs=$(assignment LIBS "$dir/autogen.sh")
        [ "$dir" = - ] || [ -z "$libs" ] || echo "PLUGIN_LIBS += $libs"
    done < "$TMP.list"
    echo "PLUGIN_OBJS =$objs_all"
    echo "PLUGIN_TABLE =$table_args"
    echo "-include \$(PLUGIN_OBJS:.o=.d)"
}

# table NM NAME=OBJ,...: the C table of every plugin's callbacks.  Each
# plugin's callbacks are named t2pl_NAME_CALLBACK: one nm over all the
# objects tells which each plugin defines.
table() {
    nm=$1; shift
    names= objs=
    for arg in "$@"; do
        names="$names ${arg%%=*}"
        objs="$objs $(echo "${arg#*=}" | tr ',' ' ')"
    done
    # every symbol the objects define (text or data), without the leading
    # underscore some systems add; then, plugin by plugin, a declaration
    # for each callback it defines and its field of the table (NULL if not)
    $nm -P $objs | awk -v names="$names" -v callbacks="$CALLBACKS" '
        $2 ~ /^[TtDdRrBb]$/ { sub(/^_/, "", $1); defined[$1] = 1 }
        END {
            print "/* made by tools/plugins.sh: each plugin\47s callbacks, in plugin order */"
            print "#include \"plugins_table.h\""
            np = split(names, name)
            ncb = split(callbacks, cb)
            for (p = 1; p <= np; p++) {
                if (!(("t2pl_" name[p] "_t2PluginName") in defined)) {
                    print "plugins: plugin " name[p] ": no T2_PLUGIN_INIT (its name and version are unknown)" > "/dev/stderr"
                    exit 1
                }
                fields = ""
                for (i = 1; i <= ncb; i++) {
                    sym = "t2pl_" name[p] "_" cb[i]
                    if (sym in defined) { print "T2PL_DECLARE_" cb[i] "(" sym ");"; fields = fields " " sym "," }
                    else fields = fields " NULL,"
                }
                print "#define T2PL_" name[p] " {" fields " }"
            }
            print "const t2_plugin_t t2Plugins[] = {"
            for (p = 1; p <= np; p++) print "    T2PL_" name[p] ","
            print "};"
            print "const unsigned t2PluginCount = " np ";"
        }'
}

TMP=$(mktemp "${TMPDIR:-/tmp}/t2mini-plugins.XXXXXX")
trap 'rm -f "$TMP" "$TMP".*' EXIT

case ${1:-} in
    mk)
        out=$2; shift 2
        [ $# -gt 0 ] || die "no plugins: PLUGINS is empty"
        rules "$@" > "$TMP.mk"
        mkdir -p "$(dirname "$out")"
        cmp -s "$TMP.mk" "$out" 2>/dev/null || cp "$TMP.mk" "$out"
        ;;
    table)
        shift
        table "$@"
        ;;
    *) die "usage: plugins.sh mk OUT PLUGIN... | plugins.sh table NM NAME=OBJS..." ;;
esac
