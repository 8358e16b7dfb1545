# Automake fragment, included from the top-level Makefile.am.
# `make bench`: throughput of program / verify / read on the simulated
# boards with and without a probe link model (tests/bench/bench.sh), then
# the simulator before / after (tests/bench/bench_sim.sh, bench-sim below).
# Figures only: it never fails on a number.

EXTRA_DIST += tests/bench/bench.sh

bench: openocd sim/spiram-sim tests/sim/test_core
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench.sh
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_sim.sh

.PHONY: bench

# `make bench-program`: issue F1's cases (P1b, P1a, P2, P2c, W, E, program
# verify, GDB load twice) side by side with OpenOCD's stmqspi, --timing
# typical, cmsis-dap-hs and jlink; P1b, P1a, P2 on the SPI and bit-banged
# twins.
EXTRA_DIST += tests/bench/bench_program.sh

bench-program: openocd sim/spiram-sim
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_program.sh

.PHONY: bench-program

# `make bench-sim`: the simulator before / after (BENCH_BEFORE_REV or
# SPIRAM_SIM_BEFORE): issue F1's P1b and W with the probe link model, and a
# 1 MiB write_bank and read_bank with --link none (tests/bench/bench_sim.sh).
EXTRA_DIST += tests/bench/bench_sim.sh

bench-sim: openocd sim/spiram-sim
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_sim.sh

.PHONY: bench-sim
# `make bench-verify`: issue F2's cases (P3r, P3s, P3f, P4, verify_image of
# 1 MiB, erase_check of 16 MiB) side by side with stmqspi, and the link's
# RAM-dump rate in the same run.
EXTRA_DIST += tests/bench/bench_verify.sh

bench-verify: openocd sim/spiram-sim
	@$(AM_TESTS_ENVIRONMENT) bash $(srcdir)/tests/bench/bench_verify.sh

.PHONY: bench-verify
