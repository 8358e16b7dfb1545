# SPDX-License-Identifier: GPL-2.0-or-later
#
# Automake fragment, included from the top-level Makefile.am.
# The simulator's core: bus, Cortex-M core on Unicorn, machine run loop,
# SoC register blocks, the three boards, counters, the spiram-sim program,
# and their tests (cmocka unit tests + an OpenOCD smoke test script).

sim_libspiramsim_a_SOURCES += \
	sim/sim_bus.c \
	sim/sim_core.c \
	sim/sim_machine.c \
	sim/sim_soc.c \
	sim/sim_board.c \
	sim/sim_stats.c

EXTRA_DIST += \
	sim/sim_bus.h \
	sim/sim_core.h \
	sim/sim_machine.h \
	sim/sim_soc.h \
	sim/sim_board.h \
	sim/sim_stats.h \
	sim/sim_clock.h \
	tests/sim/smoke_openocd.sh \
	docs/simulator.md

bin_PROGRAMS += sim/spiram-sim
sim_spiram_sim_SOURCES = sim/main.c
sim_spiram_sim_CFLAGS = $(AM_CFLAGS) $(UNICORN_CFLAGS) -I$(srcdir)/sim -I$(srcdir)/src/flash/nor
sim_spiram_sim_LDADD = $(SIM_LIBS)

CORE_TESTS = \
	tests/sim/test_core \
	tests/sim/test_board

check_PROGRAMS += $(CORE_TESTS)
TESTS += $(CORE_TESTS) tests/sim/smoke_openocd.sh

tests_sim_test_core_SOURCES = tests/sim/test_core.c
tests_sim_test_core_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_core_LDADD = $(SIM_LIBS) $(CMOCKA_LIBS)

tests_sim_test_board_SOURCES = tests/sim/test_board.c
tests_sim_test_board_CFLAGS = $(TEST_CFLAGS)
tests_sim_test_board_LDADD = $(SIM_LIBS) $(CMOCKA_LIBS)
