# t2mini - Tranalyzer2's packet mode in miniature.
#
#   make            build ./t2mini
#   make demo       run t2mini on every capture in data/ (output in out/)
#   make test       build, then run the test suite (pytest)
#   make install    PREFIX=/usr/local (and DESTDIR): binary, subnet tables, man page
#   make uninstall  the same PREFIX
#   make portability  build t2mini in every variant and run the tests on each
#   make clean

CC      ?= cc
CFLAGS  ?= -O2
WARN     = -std=c99 -Wall -Wextra -Wpedantic
# every file asks for POSIX.1-2008 itself; -MMD -MP: each object is rebuilt
# when a header it includes changes (gen/*.d)
CPPFLAGS = -I. -Icore -Iplugins
DEPFLAGS = -MMD -MP
LDLIBS   = -lpcap -lm

# The pipeline (t2mini.c), the engine (core/), the plugins: tcpWin at the
# top, the other built-in ones in plugins/.  Objects go to gen/.
CORE_SRCS   = $(sort $(wildcard core/*.c))
PLUGIN_SRCS = $(sort $(filter-out t2mini.c,$(wildcard *.c)) $(wildcard plugins/*.c))
SRCS = t2mini.c $(CORE_SRCS) $(PLUGIN_SRCS)
OBJS = $(SRCS:%.c=gen/%.o)

# The subnet tables data/subnets4.txt and data/subnets6.txt are compiled in:
# tools/geo_compile.c (built for and run on the build machine, HOSTCC)
# flattens them as core/flow_geo.c would at run time and writes
# gen/geo_builtin.c.
HOSTCC  ?= cc
GEO_OBJ  = gen/geo_builtin.o

t2mini: $(OBJS) $(GEO_OBJ)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(GEO_OBJ) $(LDLIBS)

gen/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

-include $(OBJS:.o=.d)

gen/geo_compile: tools/geo_compile.c core/flow_geo.c core/flow_geo.h core/flow_geo_table.h
	@mkdir -p gen
	$(HOSTCC) $(WARN) $(CPPFLAGS) -O2 -o $@ tools/geo_compile.c core/flow_geo.c

gen/geo_builtin.c: gen/geo_compile data/subnets4.txt data/subnets6.txt
	gen/geo_compile data > $@.tmp && mv $@.tmp $@

# data only: optimising it would only cost build time
$(GEO_OBJ): gen/geo_builtin.c core/flow_geo_table.h core/flow_geo.h
	$(CC) $(WARN) $(CPPFLAGS) $(CFLAGS) -O0 -c -o $@ gen/geo_builtin.c

demo: t2mini
	@mkdir -p out
	@for f in data/*.pcap data/*.pcapng; do \
	    echo "t2mini -r $$f -s -w out/"; \
	    ./t2mini -r "$$f" -s -w out/ > /dev/null || exit 1; \
	done
	@echo "packet files written to out/"

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the subnet tables
# it was built with (for -G, or to compare), and a man page made from -h.
PREFIX ?= /usr/local
BINDIR  = $(DESTDIR)$(PREFIX)/bin
DATADIR = $(DESTDIR)$(PREFIX)/share/t2mini
MANDIR  = $(DESTDIR)$(PREFIX)/share/man/man1

gen/t2mini.1: t2mini tools/man.sh
	sh tools/man.sh ./t2mini > $@.tmp && mv $@.tmp $@

install: t2mini gen/t2mini.1
	mkdir -p $(BINDIR) $(DATADIR) $(MANDIR)
	cp t2mini $(BINDIR)/t2mini
	cp scripts/tawk scripts/tcol $(BINDIR)/ && chmod 755 $(BINDIR)/tawk $(BINDIR)/tcol
	cp data/subnets4.txt data/subnets6.txt data/README.md LICENSE $(DATADIR)/
	cp gen/t2mini.1 $(MANDIR)/t2mini.1

uninstall:
	rm -f $(BINDIR)/t2mini $(MANDIR)/t2mini.1
	rm -f $(BINDIR)/tawk $(BINDIR)/tcol
	rm -f $(DATADIR)/subnets4.txt $(DATADIR)/subnets6.txt $(DATADIR)/README.md $(DATADIR)/LICENSE
	-rmdir $(DATADIR)

test: t2mini
	/usr/bin/python3 -m pytest -q -rs tests

clean:
	rm -rf t2mini t2mini-san fuzz/t2mini-fuzz gen out build

.PHONY: demo test clean conformance install uninstall

# make conformance [T2=/path/to/other/t2] [CONFORMANCE_ARGS='--out DIR --ignore COLS']
# runs the build T2 (default ./t2mini) on every capture in data/ and compares
# its packet (and flow) files with golden/ column by column: scripts/conformance.py.
T2 ?= ./t2mini
CONFORMANCE_ARGS ?=

conformance: t2mini
	/usr/bin/python3 scripts/conformance.py $(CONFORMANCE_ARGS) "$(T2)"

# make bench [BENCH_RUNS=5] [BENCH_RUNS4=1] [BENCH_CFLAGS='-O2 -DNDEBUG']
# (issue 7; not part of the tests) builds a release t2mini in bench/out/,
# generates the benchmark captures there when missing (bench/gen.c: ~1 M
# packets over 10 min, and 4x the duration at the same flow concurrency),
# and times t2mini against the I/O floor: bench/bench.py.  bench/out/ is
# git-ignored; the packet files are deleted afterwards (BENCH_ARGS=--keep).
BENCH_OUT    = bench/out
BENCH_CFLAGS ?= -O2 -DNDEBUG
BENCH_RUNS   ?= 5
BENCH_RUNS4  ?= 1
BENCH_ARGS   ?=

$(BENCH_OUT)/t2mini: $(SRCS) $(wildcard *.h core/*.h plugins/*.h) $(GEO_OBJ)
	@mkdir -p $(BENCH_OUT)
	$(CC) $(WARN) $(CPPFLAGS) $(BENCH_CFLAGS) -o $@ $(SRCS) $(GEO_OBJ) $(LDLIBS)

$(BENCH_OUT)/gen: bench/gen.c
	@mkdir -p $(BENCH_OUT)
	$(CC) -std=c99 -Wall -Wextra $(BENCH_CFLAGS) -o $@ bench/gen.c -lm

$(BENCH_OUT)/floor: bench/floor.c
	@mkdir -p $(BENCH_OUT)
	$(CC) -std=c99 -Wall -Wextra $(BENCH_CFLAGS) -o $@ bench/floor.c -lpcap

$(BENCH_OUT)/rusage: bench/rusage.c
	@mkdir -p $(BENCH_OUT)
	$(CC) -std=c99 -Wall -Wextra $(BENCH_CFLAGS) -o $@ bench/rusage.c

$(BENCH_OUT)/bench1.pcap: $(BENCH_OUT)/gen
	$(BENCH_OUT)/gen -o $@ --duration 600 --packets 1000000 --seed 1 || { rm -f $@; exit 1; }

$(BENCH_OUT)/bench4.pcap: $(BENCH_OUT)/gen
	$(BENCH_OUT)/gen -o $@ --duration 2400 --packets 4000000 --seed 1 || { rm -f $@; exit 1; }

bench: $(BENCH_OUT)/t2mini $(BENCH_OUT)/floor $(BENCH_OUT)/rusage $(BENCH_OUT)/bench1.pcap \
       $(BENCH_OUT)/bench4.pcap
	/usr/bin/python3 bench/bench.py --t2mini $(BENCH_OUT)/t2mini --floor $(BENCH_OUT)/floor \
	    --rusage $(BENCH_OUT)/rusage \
	    --cap1 $(BENCH_OUT)/bench1.pcap --cap4 $(BENCH_OUT)/bench4.pcap --outdir $(BENCH_OUT)/ \
	    --runs $(BENCH_RUNS) --runs4 $(BENCH_RUNS4) --cflags "$(BENCH_CFLAGS)" $(BENCH_ARGS)

# make bench-small: only the small-capture figures (issue 13), in seconds
bench-small: $(BENCH_OUT)/t2mini $(BENCH_OUT)/rusage
	/usr/bin/python3 bench/bench.py --t2mini $(BENCH_OUT)/t2mini --rusage $(BENCH_OUT)/rusage \
	    --outdir $(BENCH_OUT)/ --small-only $(BENCH_ARGS)

.PHONY: bench bench-small

# make sanitize: build t2mini-san with AddressSanitizer and UBSan and run
# every test against it (any report fails the run).
SAN_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

t2mini-san: $(SRCS) $(wildcard *.h core/*.h plugins/*.h) $(GEO_OBJ)
	$(CC) $(WARN) $(CPPFLAGS) $(SAN_FLAGS) -o $@ $(SRCS) $(GEO_OBJ) $(LDLIBS)

sanitize: t2mini t2mini-san
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	T2MINI_BIN=$(CURDIR)/t2mini-san /usr/bin/python3 -m pytest -q tests

# make fuzz [FUZZ_SECONDS=60] [FUZZ_JOBS=2] [FUZZ_MAXLEN=8192]: libFuzzer with ASan and UBSan
# (clang), seeded with the captures in data/ and tests/.  Findings land in fuzz/out/;
# keep each one as a regression input in tests/fuzz_regressions/.  An input
# that runs longer than 10 s counts as a finding (a hang).
FUZZ_SECONDS ?= 60
FUZZ_JOBS    ?= 2
FUZZ_MAXLEN  ?= 8192
# ASan's default quarantine (256 MB) makes every run's allocations land on
# fresh pages, and page faults then cost more than the run; 16 MB still
# holds everything one run frees, so use-after-free is still caught.
FUZZ_ASAN_OPTIONS ?= quarantine_size_mb=16

fuzz/t2mini-fuzz: $(SRCS) $(wildcard *.h core/*.h plugins/*.h) fuzz/fuzz_t2mini.c $(GEO_OBJ)
	clang $(WARN) $(CPPFLAGS) -DT2MINI_NO_MAIN -g -O1 -fsanitize=fuzzer,address,undefined \
	    -fno-sanitize-recover=all -o $@ fuzz/fuzz_t2mini.c $(SRCS) $(GEO_OBJ) $(LDLIBS)

fuzz: fuzz/t2mini-fuzz
	@mkdir -p fuzz/corpus fuzz/out
	@cp -n data/*.pcap data/*.pcapng tests/t2_cases/*.pcap tests/fuzz_regressions/* fuzz/corpus/ 2>/dev/null || true
	cd fuzz/out && ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) ../t2mini-fuzz \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN) -timeout=10 \
	    -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) -print_final_stats=1 ../corpus

.PHONY: sanitize fuzz

# make portability (issue 16; not part of the tests): the whole test suite
# against t2mini built each way below, each build from a copy of the sources
# in build/portability/ without DEFS, so every file must ask for POSIX
# itself.  tools/portability.sh installs what a variant lacks (apt-get, as
# root) and says how long each took.
#   portability-quick  gcc and clang at -O0 and -O2 with -Werror, the payload
#                      escaper's plain-C path (-DT2MINI_NO_SSE2), x87 floating
#                      point (-mfpmath=387); CI runs these every time
#   portability-32     i386 (32-bit, native run), and a capture over 4 GiB
#                      generated and read to the end (tools/bigcap.py)
#   portability-s390x  big-endian s390x, cross-compiled, run under qemu-user
#                      against an s390x libpcap in a sysroot made by mmdebstrap
portability: portability-quick portability-32 portability-s390x

portability-quick:
	sh tools/portability.sh quick

portability-32:
	sh tools/portability.sh i386

portability-s390x:
	sh tools/portability.sh s390x

.PHONY: portability portability-quick portability-32 portability-s390x
