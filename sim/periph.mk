# SPDX-License-Identifier: GPL-2.0-or-later
#
# Automake fragment, included from the top-level Makefile.am.
# Peripheral models of the simulator: STM32H7 QUADSPI, STM32 OCTOSPI (a
# register front-end on the QUADSPI model's command engine), SPI v1 (STM32F1 /
# GD32F30x), GPIO (F1 and H7 layouts), RCC (H7 and F1), and the bit-bang
# wiring of GPIO pins to a NOR chip.  The unit tests compile the model
# sources directly against a fake NOR chip (tests/sim/fake_nor.c) and a
# recording bus window (tests/sim/fake_window.c); the integration test
# drives the real chip model (sim/nor_chip.c) through the controllers.

sim_libspiramsim_a_SOURCES += \
	sim/periph_qspi.c \
	sim/periph_qspi.h \
	sim/periph_ospi.c \
	sim/periph_ospi.h \
	sim/periph_spi.c \
	sim/periph_spi.h \
	sim/periph_gpio.c \
	sim/periph_gpio.h \
	sim/periph_rcc.c \
	sim/periph_rcc.h \
	sim/wiring_bitbang.c \
	sim/wiring_bitbang.h

EXTRA_DIST += \
	tests/sim/fake_nor.h \
	tests/sim/fake_window.h

PERIPH_TESTS = \
	tests/sim/test_periph_qspi \
	tests/sim/test_periph_qspi_dual \
	tests/sim/test_periph_ospi \
	tests/sim/test_periph_io \
	tests/sim/test_periph_chip

check_PROGRAMS += $(PERIPH_TESTS)
TESTS += $(PERIPH_TESTS)

PERIPH_TEST_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(srcdir)/sim -I$(srcdir)/tests/sim

tests_sim_test_periph_qspi_SOURCES = tests/sim/test_periph_qspi.c \
	tests/sim/fake_nor.c tests/sim/fake_window.c sim/periph_qspi.c
tests_sim_test_periph_qspi_CFLAGS = $(PERIPH_TEST_CFLAGS)
tests_sim_test_periph_qspi_LDADD = $(CMOCKA_LIBS)

tests_sim_test_periph_qspi_dual_SOURCES = tests/sim/test_periph_qspi_dual.c \
	tests/sim/fake_nor.c tests/sim/fake_window.c sim/periph_qspi.c
tests_sim_test_periph_qspi_dual_CFLAGS = $(PERIPH_TEST_CFLAGS)
tests_sim_test_periph_qspi_dual_LDADD = $(CMOCKA_LIBS)

tests_sim_test_periph_ospi_SOURCES = tests/sim/test_periph_ospi.c tests/sim/fake_window.c \
	sim/periph_ospi.c sim/periph_qspi.c sim/nor_chip.c sim/nor_parts.c
tests_sim_test_periph_ospi_CFLAGS = $(PERIPH_TEST_CFLAGS)
tests_sim_test_periph_ospi_LDADD = $(CMOCKA_LIBS)

tests_sim_test_periph_io_SOURCES = tests/sim/test_periph_io.c tests/sim/fake_nor.c \
	sim/periph_spi.c sim/periph_gpio.c sim/periph_rcc.c sim/wiring_bitbang.c
tests_sim_test_periph_io_CFLAGS = $(PERIPH_TEST_CFLAGS)
tests_sim_test_periph_io_LDADD = $(CMOCKA_LIBS)

tests_sim_test_periph_chip_SOURCES = tests/sim/test_periph_chip.c tests/sim/fake_window.c \
	sim/periph_qspi.c sim/periph_spi.c sim/periph_gpio.c sim/periph_rcc.c \
	sim/wiring_bitbang.c sim/nor_chip.c sim/nor_parts.c
tests_sim_test_periph_chip_CFLAGS = $(PERIPH_TEST_CFLAGS)
tests_sim_test_periph_chip_LDADD = $(CMOCKA_LIBS)
