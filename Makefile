# t2mini - Tranalyzer2's packet mode in miniature.
#
#   make            build ./t2mini
#   make test       run the test suite (pytest)
#   make clean

CC      ?= cc
CFLAGS  ?= -O2
WARN     = -std=c99 -Wall -Wextra -Wpedantic
DEFS     = -D_POSIX_C_SOURCE=200809L
LDLIBS   = -lpcap -lm

SRCS = t2mini.c capture.c dissect.c hdrdesc.c flow.c frag.c hmap.c geo.c outbuf.c \
       report.c basicflow.c tcpwin.c plugins.c
OBJS = $(SRCS:.c=.o)

t2mini: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

%.o: %.c *.h
	$(CC) $(WARN) $(DEFS) $(CFLAGS) -c -o $@ $<

test: t2mini
	/usr/bin/python3 -m pytest -q tests

clean:
	rm -f t2mini $(OBJS)

.PHONY: test clean
