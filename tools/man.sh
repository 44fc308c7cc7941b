#!/bin/sh
# man.sh T2MINI: print a man page (troff) made from `T2MINI -h`, so that the
# page cannot say other than the program: the first line of the help is the
# synopsis, the paragraph after it the description, the rest the options.
set -eu
help=$("$1" -h)
version=$("$1" --version | sed 's/^t2mini //; s/ .*//')
esc() { sed 's/\\/\\e/g; s/^\([.'"'"']\)/\\\&\1/; s/-/\\-/g'; }
printf '.TH T2MINI 1 "" "t2mini %s" "User Commands"\n' "$version"
printf '.SH NAME\nt2mini \\- Tranalyzer2 0.9.3 packet mode in miniature\n'
printf '.SH SYNOPSIS\n'
printf '%s\n' "$help" | sed -n '1s/^Usage: //p' | esc
printf '.SH DESCRIPTION\n'
printf '%s\n' "$help" | sed -n '3,/^$/p' | sed '/^$/d' | esc
printf '.SH OPTIONS\n.nf\n'
printf '%s\n' "$help" | sed '1,/^$/d' | sed '1,/^$/d' | esc
printf '.fi\n.SH FILES\n'
printf 'PREFIX/share/t2mini/subnets4.txt, subnets6.txt: the subnet tables built in, for \\-G or to compare.\n'
printf '.SH SEE ALSO\ntcpdump(1), the README of t2mini.\n'
