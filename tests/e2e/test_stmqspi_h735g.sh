#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# OpenOCD's own stmqspi driver, unchanged, on the simulated STM32H735G-DK
# (H7 RCC with its C1 aliases, GPIO, OCTOSPI1 at 0x52005000, MX25LM51245G),
# set up by OpenOCD's board/stm32h735g-disco.cfg (PLL, flash wait states,
# `octospi_init 1`: 1-1-1 READ4B, WRCR2 to DTR OPI, then the 8D-8D-8D
# EE11h memory-mapped read with DQS, 6 dummy cycles): probe in octal DTR,
# erase, write, verify, read and erase against the image
# (tests/e2e/stmqspi-board-lib.sh).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stmqspi-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h735g-dk-stmqspi.cfg
sim_board=stm32h735g-dk
bank=1
size=$((64 * 1024 * 1024))
chip_text="'mac 25lm51245' id = 0x3a85c2"
# The board's reset does not reach the flash (ST's BSP resets it in every
# protocol at init): leave it in SPI for the next session's octospi_init
# with WREN and WRCR2 at CR2 address 0 = 00h, which stmqspi sends in the
# 8D-8D-8D form (728Dh, then the address and a DTR pair of data as data
# bytes).  Not 6699h/9966h: stmqspi returns to memory-mapped mode between
# two commands, and the simulator samples the array through the chip when
# a mapping starts, which cancels the reset enable (a model artifact).
stmqspi_session_end=("stmqspi cmd $bank 0 0x06" "stmqspi cmd $bank 0 0x72 0 0 0 0 0 0")
stmqspi_board_checks

# The data went over the wire in 8D-8D-8D: the 70001 bytes written, the
# 0x30000 read back and the verify at least, each byte one DTR transfer on
# 8 lines; and the chip saw one page program per page the write touches
# (0x1000 .. 0x12171: pages 0x10 to 0x121, 274 of them).
dtr=$(e2e_stat spi.bytes_dtr)
oct=$(e2e_stat spi.bytes_8line)
e2e_check "chip clocked >= $((70001 + 0x30000)) DTR bytes on 8 lines (got $dtr of $oct)" \
	test "$dtr" -ge $((70001 + 0x30000)) -a "$oct" -ge "$dtr"
e2e_check "chip page programs: 274 for 70001 bytes from 0x1000 (got $(e2e_stat chip.page_programs))" \
	test "$(e2e_stat chip.page_programs)" -eq 274
e2e_stop_sim
e2e_done
