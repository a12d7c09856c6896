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

STM_SRC := $(wildcard src/stm/*.c)
STM_OBJ := $(STM_SRC:src/stm/%.c=$(BUILD)/stm/%.o)
LIBSTM  := $(BUILD)/libstm.a

TEST_BINS := $(BUILD)/test-stm-det $(BUILD)/test-stm-random $(BUILD)/test-stm-hashtable
TOOLS     := $(BUILD)/stm-stress

.PHONY: all debug test tsan bench demo clean
all: $(LIBSTM) $(TEST_BINS) $(TOOLS)

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

$(BUILD)/stm-stress: tools/stm_stress.c $(LIBSTM)
	$(CC) $(CFLAGS) $< $(LIBSTM) -o $@ $(LDFLAGS) $(LDLIBS)

# The whole suite: release unit tests, real-thread stress at 2, 8 and 256 threads, and the unit
# tests again under ASan+UBSan.  Ends with "N passed, N failed".
test:
	@tests/run-all

# Real-thread stress under ThreadSanitizer (slow; not part of `make test`).
tsan:
	$(MAKE) SAN=thread all
	tests/run-tsan

bench: all
	bench/stm/run

demo: all
	$(BUILD)/stm-stress --threads 2 --seconds 3 --workload bank

clean:
	rm -rf build
