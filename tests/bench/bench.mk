# Automake fragment, included from the top-level Makefile.am.
# `make bench`: throughput of program / verify / read on the simulated
# boards with and without a probe link model (tests/bench/bench.sh).
# Figures only: it never fails on a number.

EXTRA_DIST += tests/bench/bench.sh

bench: openocd sim/spiram-sim tests/sim/test_core
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench.sh

.PHONY: bench

# `make bench-program`: issue F1's cases (P1b, P1a, P2, P2c, W, E) side by
# side with OpenOCD's stmqspi, --timing typical, cmsis-dap-hs and jlink.
EXTRA_DIST += tests/bench/bench_program.sh

bench-program: openocd sim/spiram-sim
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_program.sh

.PHONY: bench-program

# `make bench-verify`: issue F2's cases (P3r, P3s, P3f, P4, verify_image of
# 1 MiB, erase_check of 16 MiB) side by side with stmqspi, and the link's
# RAM-dump rate in the same run.
EXTRA_DIST += tests/bench/bench_verify.sh

bench-verify: openocd sim/spiram-sim
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_verify.sh

.PHONY: bench-verify
