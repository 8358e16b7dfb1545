#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks on the STM32H735G-DK twin (board/spiram-sim-stm32h735g-
# dk.cfg: H7 RCC and GPIO, OCTOSPI1 at 0x52005000, MX25LM51245G in octal
# DTR, 8D-8D-8D, memory-mapped with EE11h), bank 1: read_bank, program
# verify reset exit, HEX write_image to the last byte, GDB load and run in
# place to a hardware breakpoint, --timing typical.  The checks:
# tests/e2e/usedby-board-lib.sh; then that the chip really was driven in
# 8D-8D-8D (the simulator's 8-line and DTR byte counters).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
. "$(dirname "$0")/usedby-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h735g-dk.cfg
sim_board=stm32h735g-dk
bank=1
size=$((64 * 1024 * 1024))
mcpu=cortex-m7
qspi_setup_proc=spiram_h7_ospi_setup
# MX25LM51245G (sim/nor_parts.c, UNVERIFIED stand-ins): tPP 384 us, tSE 25 ms, 64 KiB 256 ms typical
chip_times="384 25000 256000"
ub_board_checks
# the typical-timing session (still running): its 0x10001-byte write and
# its verify went over the wire in DTR on 8 lines
dtr=$(e2e_stat spi.bytes_dtr)
oct=$(e2e_stat spi.bytes_8line)
e2e_check "chip clocked >= $((2 * 0x10001)) DTR bytes on 8 lines (got $dtr of $oct)" \
	test "$dtr" -ge $((2 * 0x10001)) -a "$oct" -ge "$dtr"
e2e_stop_sim
e2e_done
