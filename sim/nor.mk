# SPDX-License-Identifier: GPL-2.0-or-later
#
# SPI NOR chip model of the simulator (sim/nor_chip.c, sim/nor_parts.c)
# and its datasheet checklist test.  The chip depends on nothing but libc:
# the test links the chip sources and cmocka only.

sim_libspiramsim_a_SOURCES += \
	sim/nor_chip.c \
	sim/nor_chip.h \
	sim/nor_parts.c \
	sim/nor_parts.h

check_PROGRAMS += tests/sim/test_nor_chip
TESTS += tests/sim/test_nor_chip

tests_sim_test_nor_chip_SOURCES = \
	tests/sim/test_nor_chip.c \
	sim/nor_chip.c \
	sim/nor_chip.h \
	sim/nor_parts.c \
	sim/nor_parts.h
tests_sim_test_nor_chip_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(srcdir)/sim
tests_sim_test_nor_chip_LDADD = $(CMOCKA_LIBS)

# The test reads tests/data/sfdp/w25q128{jv,fv}.hex and n25q256a_qemu.hex
# through $(srcdir); that directory is distributed by tests/unit/unit.mk.
