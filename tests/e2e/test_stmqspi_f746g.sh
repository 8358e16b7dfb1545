#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# OpenOCD's own stmqspi driver, unchanged, on the simulated
# STM32F746G-DISCO (F7 RCC, GPIO, QUADSPI at 0xA0001000, N25Q128A), set up by
# OpenOCD's board/stm32f746g-disco.cfg (PLL, flash wait states, `qspi_init`
# with the F7's RCC addresses, QPI exit F5h, 03h memory-mapped read):
# probe, erase, write, verify, read and erase against the image
# (tests/e2e/stmqspi-board-lib.sh).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/stmqspi-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32f746g-disco-stmqspi.cfg
sim_board=stm32f746g
bank=3
size=$((16 * 1024 * 1024))
chip_text="'micron n25q128' id = 0x18ba20"
stmqspi_board_checks
e2e_done
