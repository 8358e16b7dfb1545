#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks on the STM32L476G-DISCO twin (board/spiram-sim-stm32l476g-
# disco.cfg: L4 RCC and GPIO, QUADSPI at 0xA0001000, MX25R6435F), bank 2:
# read_bank, program verify reset exit, HEX write_image to the last byte,
# GDB load and run in place (Cortex-M4: halted inside the loop), --timing
# typical.  The checks: tests/e2e/usedby-board-lib.sh.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
. "$(dirname "$0")/usedby-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32l476g-disco.cfg
sim_board=stm32l476g
bank=2
size=$((8 * 1024 * 1024))
mcpu=cortex-m4
qspi_setup_proc=spiram_l4_qspi_setup
# MX25R6435F (sim/nor_parts.c, its BFPT): tPP 896 us, tSE 48 ms, 64 KiB 480 ms typical
chip_times="896 48000 480000"
ub_board_checks
e2e_done
