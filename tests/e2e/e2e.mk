# Automake fragment, included from the top-level Makefile.am.
# End-to-end tests: the real OpenOCD, GDB and Tcl clients against spiram-sim.

EXTRA_DIST += tests/e2e/lib.sh tests/e2e/ocd_rpc.tcl

# Board configs (tcl/board, tcl/spiram): every simulated twin probes, every
# real config matches its twin; the upstream stmqspi driver on the
# simulated H750 (W25Q128JV, and the 64 MiB MT25QL512A), STM32F746G-DISCO
# and STM32L476G-DISCO as a check of the simulator (upstream's own board
# files set up the last two).
TESTS += tests/e2e/test_boards.sh tests/e2e/test_stmqspi.sh tests/e2e/test_stmqspi_f746g.sh \
	tests/e2e/test_stmqspi_l476g.sh tests/e2e/test_stmqspi_mt25ql512.sh
EXTRA_DIST += tests/e2e/test_boards.sh tests/e2e/test_stmqspi.sh tests/e2e/test_stmqspi_f746g.sh \
	tests/e2e/test_stmqspi_l476g.sh tests/e2e/test_stmqspi_mt25ql512.sh tests/e2e/stmqspi-board-lib.sh

# Upstream stmqspi on the simulated STM32H750B-DK: dual-flash QUADSPI over
# the MT25TL01G's two dies, set up by upstream's own board files.
TESTS += tests/e2e/test_stmqspi_h750b.sh
EXTRA_DIST += tests/e2e/test_stmqspi_h750b.sh
# The QUADSPI clock follows the RCC: the reset clock, SPIRAM_QSPI_MHZ's
# PLL2 clock, a refused clock, and upstream's H750B-DK PLL1 set-up.
TESTS += tests/e2e/test_qspi_clock.sh
EXTRA_DIST += tests/e2e/test_qspi_clock.sh
# The upstream stmqspi driver on the simulated STM32H735G-DK in octal DTR,
# set up by upstream's own board file.
TESTS += tests/e2e/test_stmqspi_h735g.sh
EXTRA_DIST += tests/e2e/test_stmqspi_h735g.sh

include tests/e2e/usedby.mk
include tests/e2e/faults.mk

# Real-time tier: every operation per controller with the chip's datasheet
# timing (spiram-sim --timing typical); about half a minute each.
REALTIME_TESTS = tests/e2e/test_realtime_qspi.sh tests/e2e/test_realtime_ospi.sh \
	tests/e2e/test_realtime_spi.sh tests/e2e/test_realtime_gpio.sh
TESTS += $(REALTIME_TESTS)
EXTRA_DIST += $(REALTIME_TESTS) tests/e2e/realtime-lib.sh

# Smart programming: unchanged sectors untouched, blank ones never erased,
# partial sectors kept, GDB load twice (H750 with the chip's timing).
TESTS += tests/e2e/test_smart_program.sh
EXTRA_DIST += tests/e2e/test_smart_program.sh

# Verify without reading: a CRC per sector on the target, one sector read
# back on a mismatch (DAP counters); erase_check's blank map.
TESTS += tests/e2e/test_verify_crc.sh
EXTRA_DIST += tests/e2e/test_verify_crc.sh

# Compressed writes: the image, and the DAP counters with compression on
# and off, on the three controllers.
TESTS += tests/e2e/test_write_lz.sh
EXTRA_DIST += tests/e2e/test_write_lz.sh

# Every `openocd` example of README.md and docs/*.md, run on the simulated
# twin of its board, prints what it promises.
TESTS += tests/e2e/test_doc_examples.sh
EXTRA_DIST += tests/e2e/test_doc_examples.sh

# GDB attach with a reset (the default) and without (spiram_gdb_attach halt).
TESTS += tests/e2e/test_gdb_attach.sh
EXTRA_DIST += tests/e2e/test_gdb_attach.sh
