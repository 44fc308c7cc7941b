# t2mini - Tranalyzer2's packet mode in miniature.
#
#   make            build ./t2mini
#   make demo       run t2mini on every capture in data/ (output in out/)
#   make test       build, then run the test suite (pytest)
#   make clean

CC      ?= cc
CFLAGS  ?= -O2
WARN     = -std=c99 -Wall -Wextra -Wpedantic
DEFS     = -D_POSIX_C_SOURCE=200809L
LDLIBS   = -lpcap -lm

SRCS = t2mini.c capture.c dissect.c hdrdesc.c flow.c frag.c hmap.c geo.c outbuf.c \
       report.c basicflow.c tcpwin.c txtsink.c plugins.c
OBJS = $(SRCS:.c=.o)

t2mini: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDLIBS)

%.o: %.c *.h
	$(CC) $(WARN) $(DEFS) $(CFLAGS) -c -o $@ $<

GEO ?= ../shared/geo

demo: t2mini
	@mkdir -p out
	@for f in data/*.pcap data/*.pcapng; do \
	    echo "t2mini -r $$f -s -w out/"; \
	    ./t2mini -r "$$f" -s -w out/ $$( [ -d "$(GEO)" ] && echo -G "$(GEO)" ) > /dev/null || exit 1; \
	done
	@echo "packet files written to out/"

test: t2mini
	/usr/bin/python3 -m pytest -q tests

clean:
	rm -rf t2mini $(OBJS) out

.PHONY: demo test clean
