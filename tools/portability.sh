#!/bin/sh
# tools/portability.sh VARIANT... - build t2mini another way and run the
# whole test suite (pytest tests/) against that build.  `make portability`
# runs them all; see the Makefile.
#
#   gcc-O0 gcc-O2 clang-O0 clang-O2   each compiler and level, with -Werror
#   no-sse2   the payload escaper's plain-C path (-DT2MINI_NO_SSE2)
#   x87       x87 floating point (-mfpmath=387)
#   i386      a 32-bit build (i686 cross compiler), run natively where the
#             kernel runs 32-bit programs and under qemu-user otherwise, and
#             a capture over 4 GiB read to the end (tools/bigcap.py)
#   s390x     big-endian: cross-compiled for s390x, run under qemu-user
#   quick     = gcc-O0 gcc-O2 clang-O0 clang-O2 no-sse2 x87
#
# Every build is made from a copy of the sources in build/portability/NAME
# by the project's own Makefile; the -O0 ones compile every file on its own
# (PER_FILE=1), so each file must ask for what it needs itself.  What a variant lacks (a compiler, qemu,
# a libpcap for another architecture) is installed with apt-get: that needs
# root, as in CI.  The foreign libpcap comes in a sysroot made with
# mmdebstrap from the machine's own Debian mirror and release.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$ROOT/build/portability
PYTHON=/usr/bin/python3
# the test suite runs make for its plugin test: keep this make's options out
unset MAKEFLAGS MFLAGS MAKELEVEL || true

say() { printf '== portability: %s\n' "$*"; }
die() { printf 'portability: %s\n' "$*" >&2; exit 1; }

APT_UPDATED=
# apt_install PKG...: install Debian packages (root only, as in CI)
apt_install() {
    [ "$(id -u)" = 0 ] || die "missing: apt-get install $* (as root)"
    if [ -z "$APT_UPDATED" ]; then
        apt-get update -qq || die "apt-get update failed"
        APT_UPDATED=1
    fi
    say "installing $*"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}

# apt_need CMD PKG...: install PKG... unless the command CMD is there
apt_need() {
    cmd=$1; shift
    command -v "$cmd" >/dev/null 2>&1 || apt_install "$@"
}

# base_needs: what every variant needs (make, gcc, pytest, and the host's
# libpcap for the native build and the plugin test)
base_needs() {
    apt_need make make
    apt_need gcc gcc
    "$PYTHON" -c 'import pytest' 2>/dev/null || apt_install python3-pytest
    [ -e /usr/include/pcap/pcap.h ] || apt_install libpcap-dev
}

# sysroot ARCH: a tree with libpcap for ARCH and everything it needs
# (headers, libraries, the dynamic loader), made once with mmdebstrap.
sysroot() {
    arch=$1
    dir=$OUT/sysroot-$arch
    [ -e "$dir/usr/include/pcap/pcap.h" ] && { echo "$dir"; return 0; }
    apt_need mmdebstrap mmdebstrap >&2
    suite=$(. /etc/os-release && echo "${VERSION_CODENAME:-stable}")
    # the machine's own mirror, and only the release itself: an index of
    # updates for another architecture may lag behind the host's
    mirror=$(sed -n 's/^URIs:[[:space:]]*//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
    [ -n "$mirror" ] || mirror=$(sed -n 's/^deb[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' /etc/apt/sources.list 2>/dev/null | head -n 1)
    rm -rf "$dir" "$dir.tmp"
    mkdir -p "$OUT"
    say "making the $arch sysroot ($suite) with mmdebstrap" >&2
    mmdebstrap --quiet --variant=extract --architectures="$arch" --include=libpcap0.8-dev \
        "$suite" "$dir.tmp" ${mirror:+"$mirror"} >&2 || die "mmdebstrap for $arch failed"
    rm -rf "$dir.tmp/dev"          # device nodes: not needed, and they trip copies
    mv "$dir.tmp" "$dir"
    echo "$dir"
}

# build NAME CC CFLAGS [LDFLAGS [MAKE-ARG]]: the Makefile's t2mini in
# build/portability/NAME
build() {
    name=$1 cc=$2 cflags=$3 ldflags=${4:-} makearg=${5:-}
    dir=$OUT/$name
    rm -rf "$dir"
    mkdir -p "$dir"
    # the tree as the Makefile finds it (t2mini.c and the headers at the
    # top, core/, plugins/, tools/, docs/, scripts/, ...), data/ as a link;
    # not the builds and outputs, nor what only the tests (run from the
    # tree itself), the benchmark and the fuzzer use
    for f in "$ROOT"/*; do
        case ${f##*/} in
            t2mini|t2mini-san|build|gen|out|data|tests|golden|bench|fuzz) ;;
            *) cp -R "$f" "$dir"/ ;;
        esac
    done
    ln -s "$ROOT/data" "$dir/data"
    say "$name: make CC=$cc CFLAGS='$cflags'${ldflags:+ LDFLAGS='$ldflags'}${makearg:+ $makearg}"
    make -s -j2 -C "$dir" CC="$cc" CFLAGS="$cflags" LDFLAGS="$ldflags" $makearg t2mini ||
        die "$name: the build failed"
}

# suite NAME BINARY [PYTEST-ARG...]: the whole test suite against BINARY
suite() {
    name=$1 bin=$2
    shift 2
    say "$name: pytest tests $* with T2MINI_BIN=$bin"
    start=$(date +%s)
    (cd "$ROOT" && T2MINI_BIN=$bin "$PYTHON" -m pytest -q -p no:cacheprovider "$@" tests) ||
        die "$name: the test suite failed"
    say "$name: passed in $(( $(date +%s) - start )) s"
}

is_x86() {
    case $(uname -m) in x86_64|amd64|i?86) return 0 ;; *) return 1 ;; esac
}

# qemu_wrap NAME ARCH SYSROOT BINARY: a script build/portability/NAME/t2mini-qemu
# that runs BINARY under qemu-ARCH (qemu-user) with SYSROOT as its library
# prefix (-L: the dynamic loader and libpcap come from there); the tests
# and tools/bigcap.py run that script.  Prints its path.
qemu_wrap() {
    name=$1 arch=$2 sr=$3 bin=$4
    apt_need "qemu-$arch" qemu-user >&2
    wrap=$OUT/$name/t2mini-qemu
    printf '#!/bin/sh\nexec qemu-%s -L "%s" "%s" "$@"\n' "$arch" "$sr" "$bin" >"$wrap"
    chmod +x "$wrap"
    "$wrap" -h >/dev/null 2>&1 || die "$name: $wrap does not run"
    echo "$wrap"
}

# native BIN: whether the kernel runs BIN -h itself (0), refuses the binary
# (3: ENOEXEC, as an x86-64 kernel without IA-32 emulation does with a
# 32-bit program), or runs it and it fails (4)
native() {
    "$PYTHON" - "$1" <<'EOF'
import errno, subprocess, sys
try:
    p = subprocess.run([sys.argv[1], "-h"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
except OSError as e:
    sys.exit(3 if e.errno == errno.ENOEXEC else 4)
sys.exit(0 if p.returncode == 0 else 4)
EOF
}

# the -O0 builds compile each file on its own (PER_FILE=1), the -O2 ones
# the Makefile's two units: both ways stay warning-free and complete
variant_cc() {                  # variant_cc NAME CC LEVEL
    apt_need "$2" "$2"
    per_file=
    [ "$3" = O0 ] && per_file=PER_FILE=1
    build "$1" "$2" "-$3 -Werror" "" $per_file
    suite "$1" "$OUT/$1/t2mini"
}

variant_no_sse2() {
    build no-sse2 gcc "-O2 -Werror -DT2MINI_NO_SSE2"
    suite no-sse2 "$OUT/no-sse2/t2mini"
}

variant_x87() {
    is_x86 || die "x87: only an x86 machine has x87 floating point"
    build x87 gcc "-O2 -Werror -mfpmath=387"
    suite x87 "$OUT/x87/t2mini"
}

# i386: the i686 cross compiler against the i386 sysroot, with the
# sysroot's loader and libraries named in the binary (an old-style RPATH,
# which, unlike RUNPATH, also serves libpcap's own dependencies).  It runs
# natively where the kernel runs 32-bit programs (an x86-64 kernel with
# IA-32 emulation), and otherwise under qemu-i386 with the sysroot, as
# s390x does (then without the live tests, for the same reason).  Either
# way a capture over 4 GiB is read to the end and compared with a 64-bit
# build's output.
variant_i386() {
    apt_need i686-linux-gnu-gcc gcc-i686-linux-gnu
    sr=$(sysroot i386)
    libs=$sr/lib/i386-linux-gnu:$sr/usr/lib/i386-linux-gnu
    build i386 i686-linux-gnu-gcc "-O2 -Werror --sysroot=$sr" \
        "-Wl,--dynamic-linker=$sr/lib/ld-linux.so.2 -Wl,--disable-new-dtags -Wl,-rpath,$libs"
    bin=$OUT/i386/t2mini
    how=3
    if is_x86; then
        how=0
        native "$bin" || how=$?
    fi
    case $how in
        0)  say "i386: the kernel runs 32-bit programs: natively"
            suite i386 "$bin" ;;
        3)  say "i386: the kernel does not run 32-bit x86 programs: under qemu-i386"
            bin=$(qemu_wrap i386 i386 "$sr" "$bin")
            suite i386 "$bin" --ignore=tests/test_live.py ;;
        *)  die "i386: $bin does not run" ;;
    esac
    say "i386: a capture over 4 GiB, against a native build"
    build native gcc "-O2 -Werror"
    start=$(date +%s)
    "$PYTHON" "$ROOT/tools/bigcap.py" --t2mini "$bin" --reference "$OUT/native/t2mini" \
        --dir "$OUT/bigcap" || die "i386: the 4 GiB capture failed"
    say "i386: the 4 GiB capture passed in $(( $(date +%s) - start )) s"
}

# s390x: big-endian, cross-compiled, run under qemu-user with the sysroot
# as its library prefix.  Live capture is left out: qemu-user does not
# implement the ethtool ioctl libpcap opens an interface with (ENOSYS),
# whatever the program.
variant_s390x() {
    apt_need s390x-linux-gnu-gcc gcc-s390x-linux-gnu
    sr=$(sysroot s390x)
    build s390x s390x-linux-gnu-gcc "-O2 -Werror --sysroot=$sr"
    wrap=$(qemu_wrap s390x s390x "$sr" "$OUT/s390x/t2mini")
    suite s390x "$wrap" --ignore=tests/test_live.py
}

[ $# -gt 0 ] || die "usage: tools/portability.sh VARIANT... (quick, gcc-O0, ..., i386, s390x)"
variants=
for v in "$@"; do
    case $v in
        quick) variants="$variants gcc-O0 gcc-O2 clang-O0 clang-O2 no-sse2 x87" ;;
        gcc-O0|gcc-O2|clang-O0|clang-O2|no-sse2|x87|i386|s390x) variants="$variants $v" ;;
        *) die "unknown variant '$v'" ;;
    esac
done
base_needs
total=$(date +%s)
for v in $variants; do
    vstart=$(date +%s)
    case $v in
        gcc-O*|clang-O*) variant_cc "$v" "${v%-*}" "${v#*-}" ;;
        no-sse2) variant_no_sse2 ;;
        x87) variant_x87 ;;
        i386) variant_i386 ;;
        s390x) variant_s390x ;;
    esac
    say "$v: done in $(( $(date +%s) - vstart )) s, build included"
done
say "all passed:$variants ($(( $(date +%s) - total )) s)"
