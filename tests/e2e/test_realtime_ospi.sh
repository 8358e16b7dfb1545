#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real-time tier, STM32H7B0 OCTOSPI1: chip erase, 64 KiB block erase,
# program, read, verify, protect and a stuck busy bit with the chip's
# datasheet timing (see realtime-lib.sh), through the stm32_ospi stub.
# The board's chip is a W25Q64JV (8 MiB): protect the top 256 KiB,
# sectors 1984-2047.

. "$(dirname "$0")/realtime-lib.sh"
RT_W25_SIZE=8388608
RT_W25_PROTECT="1984 2047"
rt_run stm32h7b0 "STM32H7B0 OCTOSPI" stm32h7b0
e2e_done
