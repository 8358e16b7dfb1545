#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 5 (test_usedby_gdb.sh: GDB load, compare-sections, read_bank
# from GDB, execute in place with a hardware breakpoint) on the simulated
# WeAct STM32H7B0 (board/spiram-sim-stm32h7b0.cfg): W25Q64JV on OCTOSPI1,
# the chip timed at its datasheet typical times (--timing typical), so the
# load waits for real erase and program times.

UB_BOARD=stm32h7b0
UB_CHIP_SIZE=8388608
UB_CHIP_NAME=W25Q64JV
UB_SIM_OPTS="--timing typical"
. "$(dirname "$0")/test_usedby_gdb.sh"
