# SPDX-License-Identifier: GPL-2.0-or-later
#
# Automake fragment, included from the top-level Makefile.am.
# The simulator's SW-DP/MEM-AP model, vdebug protocol server and link
# timing models, and their unit tests.  The tests compile the DAP sources
# directly against a fake bus (tests/sim/fake_bus.c), so they need neither
# Unicorn nor the real bus.

sim_libspiramsim_a_SOURCES += \
	sim/sim_dap.c \
	sim/sim_vdebug.c \
	sim/sim_link.c

EXTRA_DIST += \
	sim/sim_dap.h \
	tests/sim/fake_bus.h \
	tests/sim/dap_batch.h

DAP_TESTS = \
	tests/sim/test_dap \
	tests/sim/test_vdebug

check_PROGRAMS += $(DAP_TESTS)
TESTS += $(DAP_TESTS)

DAP_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(srcdir)/sim -I$(srcdir)/tests/sim

tests_sim_test_dap_SOURCES = tests/sim/test_dap.c tests/sim/fake_bus.c sim/sim_dap.c
tests_sim_test_dap_CFLAGS = $(DAP_TEST_CFLAGS)
tests_sim_test_dap_LDADD = $(CMOCKA_LIBS)

tests_sim_test_vdebug_SOURCES = tests/sim/test_vdebug.c tests/sim/fake_bus.c \
	sim/sim_dap.c sim/sim_vdebug.c sim/sim_link.c
tests_sim_test_vdebug_CFLAGS = $(DAP_TEST_CFLAGS)
tests_sim_test_vdebug_LDADD = $(CMOCKA_LIBS) -lpthread
