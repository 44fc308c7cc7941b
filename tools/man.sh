#!/bin/sh
# man.sh T2MINI [PREFIX]: print t2mini's man page (troff), made from what the
# program says, so that the page cannot say other than the program:
#   - `T2MINI -h`: the synopsis (its first line), the description (the
#     paragraph after it), the options with their long forms (the indented
#     lines, under the help's own headings), the signals ("Signals: ...")
#     and the exit status ("Exit status: 0 ..., 1 ..., 2 ...");
#   - a run on an empty capture (in a temporary directory): the columns of
#     the packet file (its header line) and of the flow file (the headers
#     file names, types and describes them).
# PREFIX (default /usr/local) is where make install puts the subnet tables
# and the documents the page names; it is written into the page as is.
set -eu
bin=$1
prefix=${2:-/usr/local}
help=$("$bin" -h)
version=$("$bin" --version | sed 's/^t2mini //; s/ .*//')

# troff: backslashes, hyphens, a leading dot or quote
esc() { sed 's/\\/\\e/g; s/^\([.'"'"']\)/\\\&\1/; s/-/\\-/g'; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/t2mini-man.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# a pcap file header (Ethernet, snaplen 65535) and no record
printf '\324\303\262\241\002\000\004\000\000\000\000\000\000\000\000\000\377\377\000\000\001\000\000\000' |
    "$bin" -r - -s -w "$tmp/x" > "$tmp/report" 2>&1 || { cat "$tmp/report" >&2; exit 1; }

printf '.TH T2MINI 1 "" "t2mini %s" "User Commands"\n' "$version"
printf '.SH NAME\nt2mini \\- Tranalyzer2 0.9.3 packet mode in miniature\n'
printf '.SH SYNOPSIS\n'
printf '%s\n' "$help" | sed -n '1s/^Usage: //p' | esc | sed 's/^\([^ ]*\) /.B \1\
/'
printf '.SH DESCRIPTION\n'
printf '%s\n' "$help" | sed -n '3,/^$/p' | sed '/^$/d' | esc

# OPTIONS, SIGNALS, EXIT STATUS from the rest of the help: an indented
# line "  -x, --long ARG  text" starts an option (text may follow on lines
# indented further), a line "Heading:" a subsection; after the options,
# paragraphs (a line ending in "." ends one), "Name: text" ones become
# sections of their own, the others close the OPTIONS section.
printf '%s\n' "$help" | sed '1,/^$/d' | sed '1,/^$/d' | esc | awk '
function tag(s,    n, i, w, out, sep) {
    n = split(s, w, " ")
    for (i = 1; i <= n; i++) {
        sep = (i < n) ? " " : ""
        if (w[i] ~ /^\\-/) {
            if (w[i] ~ /,$/) out = out "\\fB" substr(w[i], 1, length(w[i]) - 1) "\\fR," sep
            else out = out "\\fB" w[i] "\\fR" sep
        } else out = out "\\fI" w[i] "\\fR" sep
    }
    return out
}
function para_end() {
    if (para == "") return
    if (match(para, /^[A-Z][a-z]*( [a-z]+)?: /)) {
        name = toupper(substr(para, 1, RLENGTH - 2))
        sections[++nsec] = name
        body[name] = substr(para, RLENGTH + 1)
    } else notes = notes ".PP\n" para "\n"
    para = ""
}
BEGIN { print ".SH OPTIONS"; in_opts = 1 }
in_opts && /^  [^ ]/ {
    line = substr($0, 3)
    if (match(line, /  +/)) { t = substr(line, 1, RSTART - 1); d = substr(line, RSTART + RLENGTH) }
    else { t = line; d = "" }
    print ".TP"; print tag(t); if (d != "") print d
    next
}
in_opts && /^      / { sub(/^ +/, ""); print; next }
in_opts && /^[A-Z][^:]*:$/ { print ".SS " substr($0, 1, length($0) - 1); next }
{ in_opts = 0; para = (para == "") ? $0 : para " " $0; if ($0 ~ /\.$/) para_end() }
END {
    para_end()
    printf "%s", notes
    for (i = 1; i <= nsec; i++) {
        name = sections[i]; text = body[name]
        print ".SH " name
        # "0 the input was processed, 1 ..., 2 ...": one item a status
        if (name == "EXIT STATUS" && text ~ /^[0-9]+ /) {
            n = split(text, items, /, /)
            out = ""
            for (j = 1; j <= n; j++) {
                if (items[j] ~ /^[0-9]+ /) {
                    split(items[j], st, " ")
                    out = out (j > 1 ? "\n" : "") ".TP\n" st[1] "\n" substr(items[j], length(st[1]) + 2)
                } else out = out ", " items[j]
            }
            print out
        } else print toupper(substr(text, 1, 1)) substr(text, 2)
    }
}'

cat <<EOF
.SH OUTPUT FILES
\\fIPREFIX\\fR is the argument of \\-w (a directory, or a name ending in
\\(aq/\\(aq, puts the files there, named after the input); without \\-w the
files go next to the input, named after it.
.TP
\\fIPREFIX\\fR_flows.txt
one line per flow direction, A (the first packet's direction) before B,
written when the flow ends (after 182 s of capture time without a packet,
or at the end of the input); tab-separated columns, listed below.
.TP
\\fIPREFIX\\fR_headers.txt
the run (date, command line, plugins) and the flow file's columns: number,
type, name and description.
.TP
\\fIPREFIX\\fR_packets.txt
with \\-s: one line per packet, tab-separated columns, listed below.
.TP
\\fIPREFIX\\fR_log.txt
with \\-l: the end report, which otherwise goes to stdout.
.TP
\\fIPREFIX\\fR_monitoring.txt
with \\-m: the monitoring reports.
.PP
The first line of the packet and flow files names their columns.  A
column that does not apply to a packet or flow (the IP columns of a layer-2 flow, tcpWin's of a UDP
packet) is an empty cell.
.SS The packet file's columns
EOF
# the packet file's columns: described as in the headers file where the
# flow file has the same column, else as here
ESC='function esc(s) { gsub(/\\/, "\\e", s); gsub(/-/, "\\-", s); if (s ~ /^[.'"'"']/) s = "\\&" s; return s }'
awk -F '\t' "$ESC"'
NR == FNR { if ($1 ~ /^[0-9]+$/) desc[$3] = $4; next }
FNR == 1 {
    own["pktNo"] = "Number of the record in the capture (records with no captured bytes count but get no line)"
    own["time"] = "Time stamp, seconds.nanoseconds"
    own["pktIAT"] = "Time since the previous packet of the same flow direction"
    own["pktTrip"] = "Time since the last packet of the opposite direction"
    own["flowDuration"] = "Time since the first packet of the flow"
    own["tcpWinSize"] = "TCP window size of the packet"
    own["tcpWinThPktCnt"] = "Packets of the flow so far with a window size below the threshold"
    own["l7Content"] = "The captured payload; \\b \\f \\n \\r \\t \\v \\\\ escaped, other non-printable bytes as dots"
    sub(/^%/, "")
    for (i = 1; i <= NF; i++) {
        d = ($i in own) ? own[$i] : ($i in desc) ? desc[$i] : "written by a plugin"
        print ".TP"; print "\\fB" esc($i) "\\fR"; print esc(d)
    }
}' "$tmp/x_headers.txt" "$tmp/x_packets.txt"
printf '.SS The flow file'"'"'s columns\n'
awk -F '\t' "$ESC"'
$1 ~ /^[0-9]+$/ { print ".TP"; print "\\fB" esc($3) "\\fR (" esc($2) ")"; print esc($4) }' "$tmp/x_headers.txt"

share=$(printf '%s\n' "$prefix/share" | esc)
cat <<EOF
.SH FILES
.TP
$share/t2mini/subnets4.txt
the IPv4 subnet table t2mini was built with (Tranalyzer2 0.9.3's), and
subnets6.txt beside it the IPv6 one: for \\-G, or to compare with other
tables; README.md beside them describes them.
.TP
$share/doc/t2mini/README.md
usage, the output files column by column, where t2mini departs from T2.
.TP
$share/doc/t2mini/ARCHITECTURE.md
the code file by file.
.SH SEE ALSO
.BR tawk ,
.B tcol
and
.B t2diff
(installed with t2mini; each says how with -h): read and compare its text files;
$share/doc/t2mini/README.md, $share/doc/t2mini/ARCHITECTURE.md
EOF
