# SPDX-License-Identifier: GPL-2.0-or-later
#
# libFuzzer harnesses of the driver's pure helper modules (tests/fuzz/*.c),
# built with clang -fsanitize=fuzzer,address,undefined into fuzz-build/.
# Not part of `make check`:
#   make fuzz [FUZZ_SECONDS=N] [FUZZ_TARGETS="sfdp args"]
#       run each harness for N seconds (default 10); new inputs go to
#       fuzz-build/corpus/<harness>/, the checked-in corpus is only read;
#       a finding is saved as fuzz-build/<harness>-crash-* and fails make
#   make fuzz-replay
#       run every input of the checked-in corpora once (regression check)
# Corpora: tests/fuzz/corpus/<harness>/ (seeds from tests/data/sfdp and
# typical arguments, made by tests/fuzz/seed_corpus.py, then minimised
# with libFuzzer's -merge=1), dictionaries: tests/fuzz/<harness>.dict.

FUZZ_ALL_TARGETS = sfdp chips stream args erase protect lz stubexp
FUZZ_TARGETS = $(FUZZ_ALL_TARGETS)
FUZZ_SECONDS = 10
FUZZ_CC = clang
FUZZ_FLAGS = -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_DIR = fuzz-build
# The helper modules are compiled once (instrumented for coverage, no
# libFuzzer main) and linked into every harness.
FUZZ_HELPER_OBJECTS = $(src_flash_nor_libspiramhelpers_a_SOURCES:src/flash/nor/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_HEADER_DEPS = $(srcdir)/src/flash/nor/*.h $(srcdir)/tests/fuzz/fuzz_util.h

EXTRA_DIST += tests/fuzz

$(FUZZ_DIR)/obj/%.o: $(srcdir)/src/flash/nor/%.c $(FUZZ_HEADER_DEPS)
	@$(MKDIR_P) $(FUZZ_DIR)/obj
	$(AM_V_CC)$(FUZZ_CC) $(FUZZ_FLAGS:-fsanitize=fuzzer,%=-fsanitize=fuzzer-no-link,%) -I$(srcdir)/src/flash/nor \
		-c -o $@ $<

$(FUZZ_DIR)/fuzz_%: $(srcdir)/tests/fuzz/fuzz_%.c $(FUZZ_HELPER_OBJECTS) $(FUZZ_HEADER_DEPS)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) -I$(srcdir)/src/flash/nor -I$(srcdir)/tests/fuzz -o $@ $< \
		$(FUZZ_HELPER_OBJECTS) -llz4

# The stub's LZ4 expander, built for the host on its own (it includes only
# <stdint.h>), against liblz4's decoder.
$(FUZZ_DIR)/fuzz_stubexp: $(srcdir)/tests/fuzz/fuzz_stubexp.c $(srcdir)/stub/stub_lz_expand.c \
		$(srcdir)/stub/stub_lz_expand.h $(srcdir)/tests/fuzz/fuzz_util.h
	@$(MKDIR_P) $(FUZZ_DIR)
	$(AM_V_CCLD)$(FUZZ_CC) $(FUZZ_FLAGS) -I$(srcdir)/stub -I$(srcdir)/tests/fuzz -o $@ $< \
		$(srcdir)/stub/stub_lz_expand.c -llz4

fuzz-programs: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)

fuzz: fuzz-programs
	@for t in $(FUZZ_TARGETS); do \
		dict=; test -f $(srcdir)/tests/fuzz/$$t.dict && dict=-dict=$(srcdir)/tests/fuzz/$$t.dict; \
		$(MKDIR_P) $(FUZZ_DIR)/corpus/$$t; \
		echo "=== fuzz $$t for $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
			-artifact_prefix=$(FUZZ_DIR)/$$t-crash- \
			$(FUZZ_DIR)/corpus/$$t $(srcdir)/tests/fuzz/corpus/$$t > $(FUZZ_DIR)/fuzz-$$t.log 2>&1 || \
			{ tail -n 40 $(FUZZ_DIR)/fuzz-$$t.log; echo "fuzz $$t: FINDING, input saved as $(FUZZ_DIR)/$$t-crash-*"; exit 1; }; \
		grep '^stat::number_of_executed_units\|^stat::peak_rss_mb' $(FUZZ_DIR)/fuzz-$$t.log; \
	done

fuzz-replay: fuzz-programs
	@for t in $(FUZZ_TARGETS); do \
		n=`ls $(srcdir)/tests/fuzz/corpus/$$t | wc -l`; \
		$(FUZZ_DIR)/fuzz_$$t -runs=0 $(srcdir)/tests/fuzz/corpus/$$t > $(FUZZ_DIR)/replay-$$t.log 2>&1 || \
			{ tail -n 40 $(FUZZ_DIR)/replay-$$t.log; echo "fuzz-replay $$t: FAILED"; exit 1; }; \
		echo "fuzz-replay $$t: $$n inputs, no finding"; \
	done

# kept between runs (make would delete them as intermediate files)
.SECONDARY: $(FUZZ_HELPER_OBJECTS)
.PHONY: fuzz fuzz-programs fuzz-replay
