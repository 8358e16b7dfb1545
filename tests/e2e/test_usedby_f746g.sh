#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks on the STM32F746G-DISCO twin (board/spiram-sim-stm32f746g-
# disco.cfg: F7 RCC and GPIO, QUADSPI at 0xA0001000, N25Q128A), bank 3:
# read_bank, program verify reset exit, HEX write_image to the last byte,
# GDB load and run in place to a hardware breakpoint, --timing typical.
# The checks: tests/e2e/usedby-board-lib.sh.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
. "$(dirname "$0")/usedby-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32f746g-disco.cfg
sim_board=stm32f746g
bank=3
size=$((16 * 1024 * 1024))
mcpu=cortex-m7
qspi_setup_proc=spiram_f7_qspi_setup
# N25Q128A (sim/nor_parts.c): tPP 120 us, tSE 48 ms, 64 KiB 160 ms typical
chip_times="120 48000 160000"
ub_board_checks
e2e_done
