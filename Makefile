# stmvm — build modes: `make` (release), `make debug`, `make SAN=address|undefined|thread`.
# Stress knobs are run-time settings (stm_config / STM_* environment variables), so every
# build can be stressed without recompiling.

comma   := ,
CC      ?= cc
MODE    ?= release
SAN     ?=
CSTD    := -std=c11 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes
INC     := -Iinclude -Isrc/stm

ifeq ($(SAN),)
  ifeq ($(MODE),debug)
    BUILD  := build/debug
    OPT    := -O0 -g3 -DSTM_DEBUG=1
  else
    BUILD  := build
    OPT    := -O2 -g -DNDEBUG
  endif
else
  BUILD  := build/san-$(subst $(comma),-,$(SAN))
  OPT    := -O1 -g -DSTM_DEBUG=1 -fno-omit-frame-pointer -fsanitize=$(SAN)
  ifneq ($(findstring address,$(SAN)),)
    OPT  += -fsanitize=undefined -fno-sanitize-recover=all
  endif
endif

CFLAGS  += $(CSTD) $(WARN) $(OPT) $(INC) -pthread
LDFLAGS += -pthread
LDLIBS  += -lm

STM_SRC := $(filter-out src/stm/gil.c,$(wildcard src/stm/*.c))
STM_OBJ := $(STM_SRC:src/stm/%.c=$(BUILD)/stm/%.o)
LIBSTM  := $(BUILD)/libstm.a

TEST_BINS := $(BUILD)/test-stm-det $(BUILD)/test-stm-random $(BUILD)/test-stm-hashtable
TOOLS     := $(BUILD)/stm-stress

# The interpreter: every src/vm/*.c plus the embedded lib/*.py table.
VM_SRC  := $(wildcard src/vm/*.c)
VM_OBJ  := $(VM_SRC:src/vm/%.c=$(BUILD)/vm/%.o) $(BUILD)/vm/vm_lib.o $(BUILD)/vm/names.o
VM_HDR  := $(wildcard src/vm/*.h) include/stm.h
LIB_PY  := $(wildcard lib/*.py)
STMVM   := $(BUILD)/stmvm

.PHONY: all debug test tsan bench bench-stm bench-vm demo clean
all: $(LIBSTM) $(TEST_BINS) $(TOOLS) $(STMVM) $(BUILD)/stmvm-parse

debug:
	$(MAKE) MODE=debug all

$(BUILD)/stm/%.o: src/stm/%.c include/stm.h $(wildcard src/stm/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(LIBSTM): $(STM_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/test-stm-%: tests/stm/test_%.c tests/stm/testlib.h $(LIBSTM)
	$(CC) $(CFLAGS) -Itests/stm $< $(LIBSTM) -o $@ $(LDFLAGS) $(LDLIBS)

$(BUILD)/vm/%.o: src/vm/%.c $(VM_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc/vm -c $< -o $@

$(BUILD)/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O1 $< -o $@

$(BUILD)/vm/vm_lib.c: $(LIB_PY) $(BUILD)/embed
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ $(foreach f,$(LIB_PY),$(basename $(notdir $(f)))=$(f))

# Every name literal the C code looks up, interned at start-up (see vm_str_intern).
$(BUILD)/vm/names.c: $(VM_SRC)
	@mkdir -p $(dir $@)
	@{ echo '/* generated from the name literals in src/vm */'; \
	   echo 'const char *const vm_preinterned[] = {'; \
	   grep -ohE '(vm_str_intern|vm_lookup_special|vm_getattr_cstr|vm_call_method|vm_module_set)\((th|[^"()]*), *([^"()]*, *)?"[A-Za-z_][A-Za-z0-9_]*"' $(VM_SRC) \
	     | sed -E 's/.*"([^"]+)"$$/"\1",/' | LC_ALL=C sort -u; \
	   echo '0};'; } > $@

$(BUILD)/vm/names.o: $(BUILD)/vm/names.c
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/vm/vm_lib.o: $(BUILD)/vm/vm_lib.c src/vm/internal.h
	$(CC) $(CFLAGS) -Isrc/vm -c $< -o $@

$(STMVM): $(VM_OBJ) $(LIBSTM)
	$(CC) $(CFLAGS) $(VM_OBJ) $(LIBSTM) -o $@ $(LDFLAGS) -lgmp $(LDLIBS)

PARSE_SRC := tests/parse/parse_main.c $(addprefix src/vm/,lexer.c parser.c ast.c symtable.c compile.c dis.c)
$(BUILD)/stmvm-parse: $(PARSE_SRC) $(VM_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Isrc/vm $(PARSE_SRC) -o $@ $(LDFLAGS) $(LDLIBS)

$(BUILD)/stm-stress: tools/stm_stress.c $(LIBSTM)
	$(CC) $(CFLAGS) $< $(LIBSTM) -o $@ $(LDFLAGS) $(LDLIBS)

# The GIL build: the very same VM sources and stm.h compiled with -DSTM_GIL, linked with libstm's
# global-lock backend (src/stm/gil.c instead of core.c) in $(BUILD)/gil; $(BUILD)/stmvm-gil is the
# single-thread baseline for the STM's overhead.  The embedded library and name table are shared.
GIL        := $(BUILD)/gil
GIL_CFLAGS := $(CFLAGS) -DSTM_GIL
GIL_LIBSTM := $(GIL)/libstm.a
GIL_STM_OBJ := $(patsubst src/stm/%.c,$(GIL)/stm/%.o,$(filter-out src/stm/core.c,$(wildcard src/stm/*.c)))
GIL_VM_OBJ := $(VM_SRC:src/vm/%.c=$(GIL)/vm/%.o) $(BUILD)/vm/vm_lib.o $(BUILD)/vm/names.o

$(GIL)/stm/%.o: src/stm/%.c include/stm.h $(wildcard src/stm/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(GIL_CFLAGS) -c $< -o $@

$(GIL_LIBSTM): $(GIL_STM_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(GIL)/vm/%.o: src/vm/%.c $(VM_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(GIL_CFLAGS) -Isrc/vm -c $< -o $@

$(GIL)/stmvm: $(GIL_VM_OBJ) $(GIL_LIBSTM)
	$(CC) $(GIL_CFLAGS) $(GIL_VM_OBJ) $(GIL_LIBSTM) -o $@ $(LDFLAGS) -lgmp $(LDLIBS)

$(BUILD)/stmvm-gil: $(GIL)/stmvm
	cp $< $@

$(GIL)/test-gil: tests/stm/test_gil.c tests/stm/testlib.h $(GIL_LIBSTM)
	$(CC) $(GIL_CFLAGS) -Itests/stm $< $(GIL_LIBSTM) -o $@ $(LDFLAGS) $(LDLIBS)

$(GIL)/stm-stress: tools/stm_stress.c $(GIL_LIBSTM)
	$(CC) $(GIL_CFLAGS) $< $(GIL_LIBSTM) -o $@ $(LDFLAGS) $(LDLIBS)

all: $(BUILD)/stmvm-gil $(GIL)/test-gil $(GIL)/stm-stress

# The whole suite: release unit tests, real-thread stress at 2, 8 and 256 threads, and the unit
# tests again under ASan+UBSan.  Ends with "N passed, N failed".
test:
	@tests/run-all

# Real-thread stress under ThreadSanitizer (slow; not part of `make test`).
tsan:
	$(MAKE) SAN=thread all
	tests/run-tsan

# Threaded programs on stmvm, its GIL build, CPython and PyPy (bench/README.md); `make bench
# BENCH_ARGS=--quick` for the short run.
bench: all
	bench/run $(BENCH_ARGS)

# libstm micro-benchmarks and throughput against a mutex and GCC libitm.
bench-stm: all
	bench/stm/run

# The main demo: the Mandelbrot set by 1 thread, then by one thread per core, with the times,
# the speed-up and the STM statistics.
demo: $(STMVM)
	$(STMVM) examples/demo.py

# Single-thread interpreter speed against CPython (and PyPy when installed).
bench-vm: $(STMVM)
	bench/compare-cpython --cpu

clean:
	rm -rf build
