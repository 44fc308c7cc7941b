# t2mini - Tranalyzer2's packet mode in miniature.
#
#   make            build ./t2mini (PER_FILE=1: every file compiled on its own)
#   make demo       run t2mini on every capture in data/ (output in out/)
#   make test       build, then run the test suite (pytest)
#   make install    PREFIX=/usr/local (and DESTDIR): binary, tawk/tcol/t2diff, subnet tables, man page, docs
#   make uninstall  the same PREFIX
#   make portability  build t2mini in every variant and run the tests on each
#   make clean

# A plain `make` (no goal, no -j) builds ./t2mini with a job per CPU: only
# that goal, whose rules share no file, so `make clean t2mini`, `make
# portability` and the rest keep running one job at a time unless told -j.
ifeq ($(MAKECMDGOALS),)
ifeq ($(filter -j%,$(MAKEFLAGS)),)
MAKEFLAGS += -j$(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1)
endif
endif

CC      ?= cc
CFLAGS  ?= -O2
WARN     = -std=c99 -Wall -Wextra -Wpedantic
# every file asks for POSIX.1-2008 itself; -MMD -MP: each object is rebuilt
# when a header it includes changes (gen/*.d)
CPPFLAGS = -I. -Iapi -Icore
DEPFLAGS = -MMD -MP
LDLIBS   = -lpcap -lm

# The pipeline (t2mini.c), the engine (core/), T2's plugin interface (api/:
# T2's header names, and what they declare), the plugins: tcpWin at the
# top, the other built-in ones in plugins/.  Objects go to gen/.
# GEN and BIN let one tree hold other builds too (make sanitize, bench, fuzz).
GEN ?= gen
BIN ?= t2mini

all: $(BIN)
.PHONY: all
ENGINE_SRCS = t2mini.c $(sort $(wildcard core/*.c)) $(sort $(wildcard api/*.c))
CORE_SRCS   = $(ENGINE_SRCS) $(EXTRA_SRCS)

# The engine is compiled as two translation units, each a list of
# #includes that tools/units.sh writes (again whenever the list of files
# changes): $(GEN)/unit_read_dissect.c, the read_ and dissect_ files, and
# $(GEN)/unit_rest.c, the others.  The compiler then starts twice, not
# forty times, and parses the shared headers once a unit: a clean build
# takes half the CPU time.  The sources are written for it (no two files
# share a static name).  make PER_FILE=1 compiles every file on its own
# (portability's -O0 variants do, so every file stays complete by itself).
READ_DISSECT_SRCS = $(filter core/read_% core/dissect%,$(ENGINE_SRCS))
ifeq ($(PER_FILE),1)
CORE_OBJS = $(CORE_SRCS:%.c=$(GEN)/%.o)
else
UNITS_ERROR := $(shell sh tools/units.sh $(GEN)/unit_read_dissect.c $(READ_DISSECT_SRCS) 2>&1 && \
    sh tools/units.sh $(GEN)/unit_rest.c $(filter-out $(READ_DISSECT_SRCS),$(ENGINE_SRCS)) 2>&1)
$(if $(UNITS_ERROR),$(error $(UNITS_ERROR)))
CORE_OBJS = $(GEN)/unit_read_dissect.o $(GEN)/unit_rest.o $(EXTRA_SRCS:%.c=$(GEN)/%.o)
endif

# ------------------------------------------------------------- plugins
# make PLUGINS='basicFlow tcpWin txtSink /path/to/t2/plugins/t2PSkel'
# builds t2mini with the plugins named, in T2's plugin order (PLUGINORDER):
# the built-in ones by name, others as a folder in T2 0.9.3's layout
# (NAME/autogen.sh, NAME/src/*.c).  tools/plugins.sh writes the rules for
# them to gen/plugins.mk (again whenever the list changes) and, from the
# symbols each plugin defines, the table of their callbacks.
PLUGINS ?= basicFlow tcpWin txtSink
NM      ?= nm
PLUGINS_ERROR := $(shell sh tools/plugins.sh mk $(GEN)/plugins.mk $(PLUGINS) 2>&1 >/dev/null)
$(if $(PLUGINS_ERROR),$(error $(PLUGINS_ERROR)))
include $(GEN)/plugins.mk

# each plugin's callbacks under names of its own (see tools/plugins.sh)
T2_CALLBACKS = t2PluginName t2PluginVersion t2SupportedT2Major t2SupportedT2Minor \
    t2Dependencies t2Init t2PrintHeader t2OnNewFlow t2OnLayer2 t2OnLayer4 \
    t2OnFlowTerminate t2PluginReport t2Monitoring t2Finalize t2SaveState \
    t2RestoreState t2BufferToSink
T2_RENAME = $(foreach f,$(T2_CALLBACKS),-D$(f)=t2pl_$(1)_$(f))
# t2mini's own plugins are held to t2mini's rules; T2's are built as T2
# builds them (GNU C, _GNU_SOURCE), seeing the plugin interface only
PLUGIN_CFLAGS   = $(WARN) -I. -Iapi $(DEPFLAGS) $(CFLAGS)
T2_PLUGIN_CFLAGS = -std=gnu11 -D_GNU_SOURCE -I. -Iapi $(DEPFLAGS) $(CFLAGS)

$(GEN)/plugin_table.c: $(PLUGIN_OBJS) tools/plugins.sh $(GEN)/plugins.mk
	sh tools/plugins.sh table "$(NM)" $(PLUGIN_TABLE) > $@.tmp && mv $@.tmp $@

OBJS = $(CORE_OBJS) $(PLUGIN_OBJS) $(GEN)/plugin_table.o
SRCS = $(CORE_SRCS)

# The subnet tables data/subnets4.txt and data/subnets6.txt are compiled in:
# tools/geo_compile.c (built for and run on the build machine, HOSTCC)
# flattens and packs them as core/flow_geo_load.c does at run time with -G, and
# writes the packed bytes (some 2.4 MB, searched where they lie) to
# gen/geo_builtin.c as rows of string literals, which a compiler reads in a
# fraction of a second.
HOSTCC  ?= cc
GEO_OBJ  = gen/geo_builtin.o

$(BIN): $(OBJS) $(GEO_OBJ)
	$(CC) $(CFLAGS) $(LINKFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(GEO_OBJ) $(LDLIBS) $(PLUGIN_LIBS)

$(GEN)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

$(GEN)/unit_%.o: $(GEN)/unit_%.c
	$(CC) $(WARN) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

$(GEN)/plugin_table.o: $(GEN)/plugin_table.c
	$(CC) $(WARN) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -c -o $@ $<

-include $(CORE_OBJS:.o=.d) $(GEN)/plugin_table.d $(GEO_OBJ:.o=.d)

# the tool runs once a build: -O0 builds and runs it sooner than -O1 or -O2;
# one unit of its files, as the engine's
GEO_BUILD_SRCS = tools/geo_compile.c core/flow_geo.c core/flow_geo_load.c core/flow_geo_flatten.c
gen/geo_compile_unit.c: tools/units.sh Makefile
	sh tools/units.sh $@ $(GEO_BUILD_SRCS)

gen/geo_compile: gen/geo_compile_unit.c $(GEO_BUILD_SRCS) core/flow_geo.h core/flow_geo_table.h \
                 core/flow_geo_build.h
	$(HOSTCC) $(WARN) $(CPPFLAGS) -O0 -o $@ gen/geo_compile_unit.c

gen/geo_builtin.c: gen/geo_compile data/subnets4.txt data/subnets6.txt
	gen/geo_compile data > $@.tmp && mv $@.tmp $@

# data only: optimising it would only cost build time
$(GEO_OBJ): gen/geo_builtin.c
	$(CC) $(WARN) $(CPPFLAGS) $(DEPFLAGS) $(CFLAGS) -O0 -c -o $@ gen/geo_builtin.c

# make demo: the outputs of the pcap files in out/, of the pcapng files in
# out/pcapng/ (ipv6_mix and tcp_http come in both formats, with the same
# packets: the files would have the same names).  Two captures get a note:
# the one whose warning is expected, and the one without a golden.
demo: t2mini
	@mkdir -p out/pcapng
	@for f in data/*.pcap data/*.pcapng; do \
	    case $$f in *.pcapng) o=out/pcapng/ ;; *) o=out/ ;; esac; \
	    echo "t2mini -r $$f -s -w $$o"; \
	    ./t2mini -r "$$f" -s -w $$o > /dev/null || exit 1; \
	    case $$f in \
	    */pcapng_mixed_linktype.pcapng) \
	        echo "  (expected: its second interface is raw IP, link type 101, and libpcap reads"; \
	        echo "  one link type a file: it skips that interface and its 48 packets, as under"; \
	        echo "  T2, whose golden has the same 128 Ethernet packets; data/MANIFEST.md)" ;; \
	    */sll2_any.pcap) \
	        echo "  (no golden: T2 0.9.3 refuses Linux cooked capture v2, t2mini decodes it)" ;; \
	    esac; \
	done
	@echo "packet files written to out/ (of the pcapng files: out/pcapng/)"

# make install [PREFIX=/usr/local] [DESTDIR=]: the binary, the subnet tables
# it was built with (for -G, or to compare), a man page made from what the
# binary says (tools/man.sh, with this PREFIX's paths in it: made at every
# install), and the README and ARCHITECTURE.md the page names.  The
# directories install makes are listed in DATADIR/installed-dirs (without
# DESTDIR); make uninstall removes them again when they are empty.
PREFIX ?= /usr/local
BINDIR  = $(DESTDIR)$(PREFIX)/bin
DATADIR = $(DESTDIR)$(PREFIX)/share/t2mini
DOCDIR  = $(DESTDIR)$(PREFIX)/share/doc/t2mini
MANDIR  = $(DESTDIR)$(PREFIX)/share/man/man1
INSTALL_DIRS = $(BINDIR) $(DATADIR) $(DOCDIR) $(MANDIR)
DATA_FILES   = subnets4.txt subnets6.txt README.md
DOC_FILES    = README.md ARCHITECTURE.md LICENSE

gen/t2mini.1: t2mini tools/man.sh
	@mkdir -p gen
	sh tools/man.sh ./t2mini "$(PREFIX)" > $@.tmp && mv $@.tmp $@

install: t2mini gen/t2mini.1
	@made=; for d in $(INSTALL_DIRS); do \
	    p=$$d; while [ ! -d "$$p" ]; do made="$$made $${p#"$(DESTDIR)"}"; p=$$(dirname "$$p"); done; \
	    mkdir -p "$$d" || exit 1; \
	done; \
	{ cat $(DATADIR)/installed-dirs 2>/dev/null; for p in $$made; do echo "$$p"; done; } | \
	    sort -u > $(DATADIR)/installed-dirs.tmp && mv $(DATADIR)/installed-dirs.tmp $(DATADIR)/installed-dirs
	cp t2mini $(BINDIR)/t2mini
	cp scripts/tawk scripts/tcol $(BINDIR)/ && cp scripts/t2diff.py $(BINDIR)/t2diff && \
	    chmod 755 $(BINDIR)/tawk $(BINDIR)/tcol $(BINDIR)/t2diff
	cp $(addprefix data/,$(DATA_FILES)) $(DATADIR)/
	cp README.md docs/ARCHITECTURE.md LICENSE $(DOCDIR)/
	cp gen/t2mini.1 $(MANDIR)/t2mini.1

uninstall:
	rm -f $(BINDIR)/t2mini $(MANDIR)/t2mini.1
	rm -f $(BINDIR)/tawk $(BINDIR)/tcol $(BINDIR)/t2diff
	rm -f $(addprefix $(DATADIR)/,$(DATA_FILES) LICENSE) $(addprefix $(DOCDIR)/,$(DOC_FILES))
	@made=$$(cat $(DATADIR)/installed-dirs 2>/dev/null); rm -f $(DATADIR)/installed-dirs; \
	for d in $(DATADIR) $(DOCDIR) $$(for p in $$made; do echo "$(DESTDIR)$$p"; done | \
	        awk '{ print length($$0), $$0 }' | sort -rn | cut -d' ' -f2-); do \
	    if [ -d "$$d" ] && rmdir "$$d" 2>/dev/null; then echo "rmdir $$d"; fi; \
	done

.PHONY: gen/t2mini.1

# make test [PYTEST_ARGS='-x -k NAME']: the suite as two pytest processes
# side by side (tests/shards.py; much of it waits on signals and clocks), of
# about the same time by tests/durations.txt (tests/record_durations.py),
# without pytest's cache: nothing is written into the checkout but the build.
PYTEST      = /usr/bin/python3 tests/shards.py 2 -q -p no:cacheprovider
PYTEST_ARGS ?=

test: t2mini
	$(PYTEST) -rs $(PYTEST_ARGS) tests

# make tutorial-check: the tutorial's rows, on its two captures put into data/
# (annoloc2.pcap, faf-exercise.pcap from T2's download page; docs/TESTS.md)
tutorial-check: t2mini
	$(PYTEST) $(PYTEST_ARGS) tests/tutorial_captures.py

clean:
	rm -rf t2mini t2mini-san fuzz/t2mini-fuzz gen out build

.PHONY: demo test tutorial-check clean conformance install uninstall

# make conformance [T2=/path/to/other/t2] [CONFORMANCE_ARGS='--out DIR --ignore COLS']
# runs the build T2 (default ./t2mini) on every capture in data/ and compares
# its packet (and flow) files with golden/ column by column: scripts/conformance.py.
T2 ?= ./t2mini
CONFORMANCE_ARGS ?=

conformance: t2mini
	/usr/bin/python3 scripts/conformance.py $(CONFORMANCE_ARGS) "$(T2)"

# make bench [BENCH_RUNS=5] [BENCH_RUNS4=1] [BENCH_CFLAGS='-O2 -DNDEBUG']
# (issue 7; not part of the tests) builds a release t2mini in bench/out/,
# generates the benchmark captures there when missing (bench/gen*.c: ~1 M
# packets over 10 min, and 4x the duration at the same flow concurrency),
# and times t2mini against the I/O floor: bench/bench.py.  bench/out/ is
# git-ignored; the packet files are deleted afterwards (BENCH_ARGS=--keep).
BENCH_OUT    = bench/out
BENCH_CFLAGS ?= -O2 -DNDEBUG
BENCH_RUNS   ?= 5
BENCH_RUNS4  ?= 1
BENCH_ARGS   ?=

# The other builds (benchmark, sanitizers, fuzzer) are this Makefile run
# again with GEN and BIN of their own; only the top-level make (BIN=t2mini)
# has these rules, so the inner one builds $(BIN) by the rules above.
ifeq ($(BIN),t2mini)
$(BENCH_OUT)/t2mini: FORCE
	@$(MAKE) -s GEN=$(BENCH_OUT)/gen BIN=$@ CFLAGS='$(BENCH_CFLAGS)' $@
endif

FORCE:
.PHONY: FORCE

# the capture generator: bench/gen.c (options, main loop) and its parts
# bench/gen_*.c, which share the private bench/gen.h
BENCH_GEN_SRCS = $(sort $(wildcard bench/gen*.c))

$(BENCH_OUT)/gen: $(BENCH_GEN_SRCS) bench/gen.h
	@mkdir -p $(BENCH_OUT)
	$(CC) -std=c99 -Wall -Wextra $(BENCH_CFLAGS) -o $@ $(BENCH_GEN_SRCS) -lm

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
# every test whose outcome depends on the binary against it (any report
# fails the run); the others (documents, Python tools, builds of their own)
# are the same whatever the binary, and make test runs them.
SAN_FLAGS = -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all

ifeq ($(BIN),t2mini)
t2mini-san: FORCE
	@$(MAKE) -s GEN=gen/san BIN=$@ CFLAGS='$(SAN_FLAGS)' $@
endif

sanitize: t2mini t2mini-san
	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	T2MINI_BIN=$(CURDIR)/t2mini-san $(PYTEST) --variant $(PYTEST_ARGS) tests

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

ifeq ($(BIN),t2mini)
fuzz/t2mini-fuzz: FORCE
	@$(MAKE) -s GEN=gen/fuzz BIN=$@ CC=clang EXTRA_SRCS=fuzz/fuzz_t2mini.c \
	    CFLAGS='-DT2MINI_NO_MAIN -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all' \
	    LINKFLAGS='-fsanitize=fuzzer,address,undefined' $@
endif

fuzz: fuzz/t2mini-fuzz
	@mkdir -p fuzz/corpus fuzz/out
	@cp -n data/*.pcap data/*.pcapng tests/t2_cases/*.pcap tests/fuzz_regressions/* fuzz/corpus/ 2>/dev/null || true
	cd fuzz/out && ASAN_OPTIONS=$(FUZZ_ASAN_OPTIONS) ../t2mini-fuzz \
	    -max_total_time=$(FUZZ_SECONDS) -max_len=$(FUZZ_MAXLEN) -timeout=10 \
	    -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS) -print_final_stats=1 ../corpus

.PHONY: sanitize fuzz

# make portability (issue 16; not part of the tests): the test suite (in
# portability-quick, the tests whose outcome depends on the binary) against
# t2mini built each way below, each build from a copy of the sources in
# build/portability/ (the -O0 ones with PER_FILE=1, so every file must ask
# for POSIX itself).  tools/portability.sh installs what a variant lacks
# (apt-get, as root) and says how long each took.
#   portability-quick  gcc and clang at -O0 and -O2 with -Werror, the payload
#                      escaper's plain-C path (-DT2MINI_NO_SSE2), x87 floating
#                      point (-mfpmath=387); CI runs these every time
#   portability-32     i386 (32-bit; run natively where the kernel runs 32-bit
#                      programs, under qemu-i386 with the sysroot otherwise),
#                      and a capture over 4 GiB generated and read to the end
#                      (tools/bigcap.py), either way
#   portability-s390x  big-endian s390x, cross-compiled, run under qemu-user
#                      against an s390x libpcap in a sysroot made by mmdebstrap
portability: portability-quick portability-32 portability-s390x

# portability-quick: the variants of tools/portability.sh's `quick` (read
# from the script) in two streams side by side, the clang ones in the same
# stream (apt-get installs clang once); the second stream's output is
# printed when both are done (it is kept in build/portability/quick-2.log).
# Each variant runs the tests whose outcome depends on the binary
# (conftest.py's --variant, through PYTEST_ADDOPTS), among them difftest
# against the plain ./t2mini; make test runs the rest.
portability-quick: t2mini
	@q=$$(sed -n 's/^ *quick) variants="$$variants \([^"]*\)" ;;.*/\1/p' tools/portability.sh); \
	if [ -z "$$q" ]; then PYTEST_ADDOPTS=--variant sh tools/portability.sh quick; exit; fi; \
	a=; b=; na=0; nb=0; \
	for v in $$(printf '%s\n' $$q | grep '^clang'); do a="$$a $$v"; na=$$((na + 1)); done; \
	for v in $$(printf '%s\n' $$q | grep -v '^clang'); do \
	    if [ $$nb -lt $$na ]; then b="$$b $$v"; nb=$$((nb + 1)); else a="$$a $$v"; na=$$((na + 1)); fi; \
	done; \
	mkdir -p build/portability; log=build/portability/quick-2.log; \
	echo "portability-quick: two streams, $${a# } | $${b# } (the second one's output follows)"; \
	PYTEST_ADDOPTS=--variant sh tools/portability.sh $$b > $$log 2>&1 & pid=$$!; \
	PYTEST_ADDOPTS=--variant sh tools/portability.sh $$a; ra=$$?; \
	wait $$pid; rb=$$?; echo "--- the second stream ($${b# }):"; cat $$log; \
	[ $$ra = 0 ] && [ $$rb = 0 ]

portability-32:
	sh tools/portability.sh i386

portability-s390x:
	sh tools/portability.sh s390x

.PHONY: portability portability-quick portability-32 portability-s390x

# make difftest [T2=BUILD] [REF=./t2mini] [N=200] [SEED=1] [OUT=difftest-out] [J=jobs]
#               [DIFFTEST_ARGS='--timeout S --budget N ...']
# (issue 23) makes N captures on the fly (bench/gen*.c mixes, the protocol
# stacks t2mini dissects, mutants of data/; the same for the same SEED),
# runs REF and the build T2 on each side by side, and shrinks every
# difference to a reproducer of a record or two in OUT/repro/:
# scripts/difftest.py.  Exit status 1 when something differs.  T2 0.9.3
# sleeps a second at the end of every run: give it J=16.
N    ?= 200
SEED ?= 1
OUT  ?= difftest-out
REF  ?= ./t2mini
J    ?= 0
DIFFTEST_ARGS ?=

gen/difftest/gen: $(BENCH_GEN_SRCS) bench/gen.h
	@mkdir -p $(@D)
	$(CC) -std=c99 -Wall -Wextra -O2 -o $@ $(BENCH_GEN_SRCS) -lm

difftest: t2mini gen/difftest/gen
	/usr/bin/python3 scripts/difftest.py --ref "$(REF)" -n $(N) --seed $(SEED) --out "$(OUT)" \
	    -j $(J) --gen gen/difftest/gen $(DIFFTEST_ARGS) "$(T2)"

.PHONY: difftest
