# SPDX-License-Identifier: GPL-2.0-or-later
#
# Driver pure helper modules (compiled into OpenOCD by the driver and into
# libspiramhelpers.a here) and their cmocka unit tests.

src_flash_nor_libspiramhelpers_a_SOURCES += \
	src/flash/nor/spiram_sfdp.c \
	src/flash/nor/spiram_chips.c \
	src/flash/nor/spiram_protect.c \
	src/flash/nor/spiram_erase.c \
	src/flash/nor/spiram_stream.c \
	src/flash/nor/spiram_args.c \
	src/flash/nor/spiram_crc.c \
	src/flash/nor/spiram_lz.c

EXTRA_DIST += \
	src/flash/nor/spiram_sfdp.h \
	src/flash/nor/spiram_chips.h \
	src/flash/nor/spiram_protect.h \
	src/flash/nor/spiram_erase.h \
	src/flash/nor/spiram_stream.h \
	src/flash/nor/spiram_args.h \
	src/flash/nor/spiram_crc.h \
	src/flash/nor/spiram_lz.h \
	tests/unit/spiram_test_util.h \
	tests/data/sfdp

UNIT_TESTS = \
	tests/unit/test_spiram_sfdp \
	tests/unit/test_spiram_chips \
	tests/unit/test_spiram_protect \
	tests/unit/test_spiram_erase \
	tests/unit/test_spiram_stream \
	tests/unit/test_spiram_args \
	tests/unit/test_spiram_crc \
	tests/unit/test_spiram_lz

check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)

UNIT_CFLAGS = $(TEST_CFLAGS) -I$(srcdir)/tests/unit
UNIT_LDADD = $(HELPER_LIBS) $(CMOCKA_LIBS)

tests_unit_test_spiram_sfdp_SOURCES = tests/unit/test_spiram_sfdp.c
tests_unit_test_spiram_sfdp_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_sfdp_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_chips_SOURCES = tests/unit/test_spiram_chips.c
tests_unit_test_spiram_chips_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_chips_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_protect_SOURCES = tests/unit/test_spiram_protect.c
tests_unit_test_spiram_protect_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_protect_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_erase_SOURCES = tests/unit/test_spiram_erase.c
tests_unit_test_spiram_erase_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_erase_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_stream_SOURCES = tests/unit/test_spiram_stream.c
tests_unit_test_spiram_stream_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_stream_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_args_SOURCES = tests/unit/test_spiram_args.c
tests_unit_test_spiram_args_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_args_LDADD = $(UNIT_LDADD)

tests_unit_test_spiram_crc_SOURCES = tests/unit/test_spiram_crc.c
tests_unit_test_spiram_crc_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_crc_LDADD = $(UNIT_LDADD)

# Teardown of the simulated boards (sim/sim_board.c), in particular with
# QUADSPI memory-mapped; meant for the sanitized build, harmless without.
check_PROGRAMS += tests/unit/test_sim_board_teardown
TESTS += tests/unit/test_sim_board_teardown
tests_unit_test_sim_board_teardown_SOURCES = tests/unit/test_sim_board_teardown.c
tests_unit_test_sim_board_teardown_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_sim_board_teardown_LDADD = $(SIM_LIBS) $(CMOCKA_LIBS)

tests_unit_test_spiram_lz_SOURCES = tests/unit/test_spiram_lz.c
tests_unit_test_spiram_lz_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_spiram_lz_LDADD = $(UNIT_LDADD)
