#!/bin/sh
# difftest-departing.sh: a "build" that departs from t2mini on purpose, to
# show and test make difftest (docs/CONFORMANCE.md, tests/test_difftest.py).
# Run as a T2 build: difftest-departing.sh -r CAPTURE -w OUTDIR/ -s
#
# It runs t2mini (T2MINI, default ../t2mini next to this script) with the
# same arguments, and then, after DEPART:
#   column  (the default) in the packet file, says l4Proto 0 for every UDP
#           packet over IPv6 (hdrDesc names ipv6 and no ipv4)
#   signal  dies of SIGSEGV when a packet has a VLAN tag (vlan in hdrDesc)
#   hang    never ends when a packet is ICMP (icmp in hdrDesc)
#   none    departs from nothing
set -u
here=$(dirname "$0")
T2MINI=${T2MINI:-$here/../t2mini}
"$T2MINI" "$@"
status=$?

# where the packet file is: -w OUTDIR/, named after -r CAPTURE
cap= out=
while [ $# -gt 0 ]; do
    case $1 in
        -r) cap=$2; shift ;;
        -w) out=$2; shift ;;
    esac
    shift
done
name=$(basename "$cap")
name=${name%.*}
pkts=$out${name}_packets.txt
[ -f "$pkts" ] || exit $status

# is there a packet whose hdrDesc has the label $1 (awk over the file's bytes)?
rows_with() {
    LC_ALL=C awk -F '\t' -v re="(^|:)$1(:|[{]|$)" '
        NR == 1 { for (i = 1; i <= NF; i++) if ($i == "hdrDesc") h = i; next }
        h && $h ~ re { found = 1; exit }
        END { exit !found }' "$pkts"
}

case ${DEPART:-column} in
column)
    LC_ALL=C awk -F '\t' -v OFS='\t' '
        NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "hdrDesc") h = i; if ($i == "l4Proto") p = i } }
        NR > 1 && h && p && $p == "17" && index($h, "ipv6") && !index($h, "ipv4") { $p = "0" }
        { print }' "$pkts" > "$pkts.tmp" && mv "$pkts.tmp" "$pkts"
    ;;
signal)
    if rows_with vlan; then kill -s SEGV $$; fi
    ;;
hang)
    if rows_with icmp; then exec sleep 3600; fi
    ;;
esac
exit $status
