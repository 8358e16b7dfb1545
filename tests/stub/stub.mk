# SPDX-License-Identifier: GPL-2.0-or-later
#
# Stub tests: the checked-in stub images (src/flash/nor/spiram_stub.inc) run
# on Unicorn against the simulator's bus, controller and NOR chip models
# (no OpenOCD); and check_inc.sh, which rebuilds the stub and fails when the
# checked-in .inc is stale (skipped without arm-none-eabi-gcc).

check_PROGRAMS += tests/stub/test_stub
tests_stub_test_stub_SOURCES = tests/stub/test_stub.c
tests_stub_test_stub_CFLAGS = $(TEST_CFLAGS)
tests_stub_test_stub_LDADD = $(SIM_LIBS) $(HELPER_LIBS) $(CMOCKA_LIBS)

TESTS += tests/stub/test_stub tests/stub/check_inc.sh
EXTRA_DIST += tests/stub/check_inc.sh
