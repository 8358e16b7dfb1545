#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks on the STM32H750B-DK twin (board/spiram-sim-stm32h750b-
# dk.cfg: QUADSPI in dual-flash mode, the MT25TL01G's two MT25QL512 dies on
# BK1 and BK2, bank bytes interleaved), bank 1 of 128 MiB: read_bank,
# program verify reset exit at an odd address, HEX write_image to the last
# byte, GDB load and run in place to a hardware breakpoint, --timing
# typical.  The checks: tests/e2e/usedby-board-lib.sh (dual=1: against the
# bank's view of the two dies); then that both dies were probed, each
# programmed alike, and that neither saw a misuse.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
. "$(dirname "$0")/usedby-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM
command -v python3 >/dev/null || e2e_skip "python3 not found"

cfg=board/spiram-sim-stm32h750b-dk.cfg
sim_board=stm32h750b-dk
bank=1
size=$((128 * 1024 * 1024))
dual=1
mcpu=cortex-m7
qspi_setup_proc=spiram_h7_qspi_setup_dual
# MT25QL512A (sim/nor_parts.c: MT25Q family BFPT): tPP 120 us, tSE 48 ms, 64 KiB 160 ms typical
chip_times="120 48000 160000"
ub_board_checks
# the typical-timing session (still running): both dies, no misuse
e2e_check "--timing typical: neither die saw a misuse ($(e2e_stat chip.misuse), $(e2e_stat chip2.misuse))" \
	test "$(e2e_stat chip.misuse)" = 0 -a "$(e2e_stat chip2.misuse)" = 0
e2e_check "--timing typical: die 2 erased as often as die 1 ($(e2e_stat chip2.erases))" \
	test "$(e2e_stat chip.erases)" = "$(e2e_stat chip2.erases)"
e2e_stop_sim
e2e_done
