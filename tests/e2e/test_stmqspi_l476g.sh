#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# OpenOCD's own stmqspi driver, unchanged, on the simulated
# STM32L476G-DISCO (L4 RCC, GPIO, QUADSPI at 0xA0001000, MX25R6435F), set up
# by OpenOCD's board/stm32l476g-disco.cfg (MSI to PLL at 72 MHz, flash wait
# states, `qspi_init` with the L4's RCC addresses, 03h memory-mapped read):
# probe, erase, write, verify, read and erase against the image
# (tests/e2e/stmqspi-board-lib.sh).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stmqspi-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32l476g-disco-stmqspi.cfg
sim_board=stm32l476g
bank=2
size=$((8 * 1024 * 1024))
chip_text="'mac 25r6435f' id = 0x1728c2"
stmqspi_board_checks
e2e_done
