#!/usr/bin/env bash
# pktLen: a plugin in T2 0.9.3's form and layout, for t2mini and for T2.
#
# t2mini:  make PLUGINS='basicFlow tcpWin txtSink examples/pktLen'
# T2:      put this folder into T2's plugins/ and build it there
#          (t2build pktLen, or ./autogen.sh in this folder)

# Plugin name
PLUGINNAME=pktLen

# Plugin execution order, as 3-digit decimal: after tcpWin (150), before
# txtSink (901)
PLUGINORDER=160

# Source the main autogen.sh (T2 only: t2mini reads the two lines above)
. "$(dirname "$0")/../autogen.sh"
