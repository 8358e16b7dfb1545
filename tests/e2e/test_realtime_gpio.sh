#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real-time tier, STM32F103 bit-bang GPIO: chip erase, 64 KiB block erase, program, read,
# verify, protect and a stuck busy bit with the chip's datasheet timing
# (see realtime-lib.sh).

. "$(dirname "$0")/realtime-lib.sh"
rt_run stm32f103-gpio "STM32F103 bit-bang GPIO" stm32f103 --wiring gpio
e2e_done
