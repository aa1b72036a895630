# mcast: IP multicast for Linux.  `make` builds, `make check` tests everything,
# `make demo` runs the namespace lab demo.  Out-of-tree objects go to $(B).

B	?= build
CC	?= cc
PREFIX	?= /usr/local
VERSION	 = 0.1.0
CFLAGS	?= -O2 -g
WARN	 = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wno-unused-parameter
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE -DMCAST_VERSION=\"$(VERSION)\" $(WARN) -Iinclude -Ilib -Iproto -Idaemon -Ictl -Itools $(CFLAGS) $(SAN)
LDLIBS	 = -lm -lz
TOOL_LIBS = -lpcap -lisal -lsodium -lcrypto

ifeq ($(SANITIZE),1)
SAN	 = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
B	 = build-asan
endif
# make fuzz builds with FUZZ=1: clang, libFuzzer's coverage, ASan, UBSan.
ifeq ($(FUZZ),1)
CC	 = clang
CFLAGS	 = -g -O1
SAN	 = -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	   -fno-sanitize-recover=all
B	 = build-fuzz
endif

LIB_SRC	 = $(wildcard lib/*.c proto/*.c)
TOOL_SRC = $(wildcard tools/*.c)
DAEMON_SRC = $(wildcard daemon/*.c)
UNIT_SRC = $(wildcard test/unit/test_*.c test/sim/sim_*.c)
BENCH_SRC = $(wildcard bench/*.c)
HELPER_SRC = $(wildcard test/helpers/*.c)
FUZZ_SRC = $(wildcard fuzz/fuzz_*.c)

LIB_OBJ	 = $(LIB_SRC:%.c=$(B)/%.o)
TOOL_OBJ = $(TOOL_SRC:%.c=$(B)/%.o)
DAEMON_OBJ = $(DAEMON_SRC:%.c=$(B)/%.o)
DAEMON_LIBS = -lmnl -lcap-ng
UNIT_BIN = $(patsubst test/sim/%.c,$(B)/test/%,$(UNIT_SRC:test/unit/%.c=$(B)/test/%))
BENCH_BIN = $(BENCH_SRC:bench/%.c=$(B)/bench/%)
HELPER_BIN = $(HELPER_SRC:test/helpers/%.c=$(B)/test/%)
REPLAY_BIN = $(FUZZ_SRC:fuzz/fuzz_%.c=$(B)/fuzz/replay_%)
HDRS	 = $(wildcard include/mcast/*.h lib/*.h proto/*.h tools/*.h daemon/*.h ctl/*.h test/fixtures/*/*.h)

all: $(B)/mcast $(B)/mcastd $(B)/mcastctl $(B)/libmcast.a

$(B)/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/libmcast.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(B)/mcast: $(TOOL_OBJ) $(B)/libmcast.a
	$(CC) $(ALL_CFLAGS) -o $@ $(TOOL_OBJ) $(B)/libmcast.a $(LDLIBS) $(TOOL_LIBS)

$(B)/mcastd: $(DAEMON_OBJ) $(B)/libmcast.a
	$(CC) $(ALL_CFLAGS) -o $@ $(DAEMON_OBJ) $(B)/libmcast.a $(LDLIBS) $(DAEMON_LIBS)

$(B)/mcastctl: $(B)/ctl/mcastctl.o $(B)/ctl/reply.o $(B)/ctl/reply_print.o
	$(CC) $(ALL_CFLAGS) -o $@ $^

# Unit tests and fuzz replays of daemon modules (conf.c ...) link them
# from an archive, so only what they use comes along.
DAEMON_LIB_OBJ = $(B)/libmcastd.a
$(B)/libmcastd.a: $(filter-out $(B)/daemon/main.o,$(DAEMON_OBJ))
	@rm -f $@
	ar rcs $@ $^

# The parts of mcast and mcastctl that unit tests and fuzz targets reach
# (frame decoding for dump, mrinfo's reply, send pacing, the querier watch of -S receivers,
# reply rendering).
PARTS_LIB = $(B)/libparts.a
$(PARTS_LIB): $(B)/tools/dump_decode.o $(B)/tools/dump_dvmrp.o \
    $(B)/tools/mrinfo_fmt.o \
    $(B)/tools/dump_mtrace.o \
    $(B)/tools/dump_sap.o $(B)/tools/text.o \
    $(B)/tools/send_pace.o \
    $(B)/tools/querier.o $(B)/ctl/reply.o $(B)/ctl/reply_print.o
	@rm -f $@
	ar rcs $@ $^

# UNIT_LIBS_<test> is what one test needs more (the file transfer's
# erasure code: ISA-L).
UNIT_LIBS_test_rmc_fec = -lisal
UNIT_LIBS_test_rmc_engine = -lisal
UNIT_LIBS_test_rmc_session = -lisal
UNIT_LIBS_test_rmc_hostile = -lisal
$(B)/test/test_rmc_engine $(B)/test/test_rmc_session: test/unit/rmc_sim.h
UNIT_LIBS_test_rmc_seal = -lsodium
$(B)/test/%: test/unit/%.c $(B)/libmcast.a $(DAEMON_LIB_OBJ) $(PARTS_LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(DAEMON_LIB_OBJ) $(PARTS_LIB) $(B)/libmcast.a -lcmocka $(LDLIBS) $(DAEMON_LIBS) $(UNIT_LIBS_$*)

# Simulations (test/sim/sim_*.c): engines wired in memory, cmocka too.
$(B)/test/sim_%: test/sim/sim_%.c $(B)/libmcast.a $(HDRS) $(wildcard test/sim/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libmcast.a -lcmocka $(LDLIBS)

# Test helpers (test/helpers/*.c): programs the labs drive, e.g. igmp_inject.
$(B)/test/%: test/helpers/%.c $(B)/libmcast.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libmcast.a $(LDLIBS)

# tcpdump's initgroups() made harmless in a lab's user namespace
# (test/ns/lib.sh); preloaded into tcpdump, so never built with sanitizers.
$(B)/test/no_initgroups.so: test/ns/no_initgroups.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) -O2 -fPIC -shared -o $@ $<

BENCH_LIBS_isal = -lisal
$(B)/bench/%: bench/%.c $(B)/libmcast.a $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libmcast.a $(LDLIBS) $(BENCH_LIBS_$*)

# Fuzz targets: a replay binary per target (any compiler) runs the corpus.
# Checks the targets share (fuzz/*_check.c) come from an archive;
# FUZZ_LIBS_<target> is what one target needs more.
FUZZ_HDRS = $(wildcard fuzz/*.h)
FUZZ_CHECK_LIB = $(B)/libfuzzcheck.a
$(B)/fuzz/%.o: fuzz/%.c $(HDRS) $(FUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Ifuzz -c -o $@ $<
$(FUZZ_CHECK_LIB): $(patsubst %.c,$(B)/%.o,$(wildcard fuzz/*_check.c))
	@rm -f $@
	ar rcs $@ $^
FUZZ_LIBS_pcap = -lpcap
FUZZ_LIBS_rmc_recv = -lisal
FUZZ_DEPS = $(FUZZ_CHECK_LIB) $(B)/libmcast.a $(DAEMON_LIB_OBJ) $(PARTS_LIB) $(HDRS) $(FUZZ_HDRS)
FUZZ_LINK = -Ifuzz $(FUZZ_CHECK_LIB) $(DAEMON_LIB_OBJ) $(PARTS_LIB) $(B)/libmcast.a $(LDLIBS) $(DAEMON_LIBS)
$(B)/fuzz/replay_%: fuzz/fuzz_%.c fuzz/replay.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< fuzz/replay.c $(FUZZ_LINK) $(FUZZ_LIBS_$*)

# The libFuzzer binaries (make FUZZ=1 fuzz-bin): build-fuzz/fuzz/fuzz_<target>.
FUZZ_BIN = $(FUZZ_SRC:fuzz/fuzz_%.c=$(B)/fuzz/fuzz_%)
$(B)/fuzz/fuzz_%: fuzz/fuzz_%.c $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_LINK) $(FUZZ_LIBS_$*)

# make fuzz [FUZZ_SECONDS=60]: every target under libFuzzer for that long
# (bench/fuzz.sh, which also records the figures in bench/RESULTS.md); new
# inputs land in build-fuzz/corpus/<target>, crashes in build-fuzz/crashes/.
FUZZ_SECONDS ?= 60
fuzz:
	@FUZZ_SECONDS=$(FUZZ_SECONDS) bash bench/fuzz.sh --no-record

unit: $(UNIT_BIN)
helpers: $(HELPER_BIN) $(B)/test/no_initgroups.so
replay: $(REPLAY_BIN)
fuzz-bin: $(FUZZ_BIN)
bench-bin: $(BENCH_BIN)

deps:
	@bash scripts/deps.sh

# Everything a user should trust; ends with one line "N passed, N failed".
check: deps
	@$(MAKE) --no-print-directory -s all unit helpers replay bench-bin
	@$(MAKE) --no-print-directory -s SANITIZE=1 all unit helpers replay
	@bash test/run.sh

# Reformat the C code in place with clang-format (.clang-format);
# `bash scripts/format.sh --check` lists what is not formatted.
format:
	@bash scripts/format.sh

demo: deps
	@$(MAKE) --no-print-directory -s all
	@bash scripts/demo.sh

bench: all bench-bin
	@bash bench/datapath.sh

install: all
	install -D -m 0755 $(B)/mcast $(DESTDIR)$(PREFIX)/bin/mcast
	install -D -m 0755 $(B)/mcastd $(DESTDIR)$(PREFIX)/sbin/mcastd
	install -D -m 0755 $(B)/mcastctl $(DESTDIR)$(PREFIX)/sbin/mcastctl
	install -D -m 0644 $(B)/libmcast.a $(DESTDIR)$(PREFIX)/lib/libmcast.a
	install -d $(DESTDIR)$(PREFIX)/include/mcast
	install -m 0644 include/mcast/*.h $(DESTDIR)$(PREFIX)/include/mcast/
	install -D -m 0644 man/mcast.1 $(DESTDIR)$(PREFIX)/share/man/man1/mcast.1
	install -D -m 0644 man/libmcast.3 $(DESTDIR)$(PREFIX)/share/man/man3/libmcast.3
	install -D -m 0644 man/mcastd.8 $(DESTDIR)$(PREFIX)/share/man/man8/mcastd.8
	install -D -m 0644 man/mcastctl.8 $(DESTDIR)$(PREFIX)/share/man/man8/mcastctl.8
	install -D -m 0644 man/mcastd.conf.5 $(DESTDIR)$(PREFIX)/share/man/man5/mcastd.conf.5

clean:
	rm -rf build build-asan build-fuzz

.PHONY: all unit helpers replay fuzz-bin bench-bin deps check format demo bench fuzz install clean
