#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real-time tier, STM32H750 QUADSPI: chip erase, 64 KiB block erase, program, read,
# verify, protect and a stuck busy bit with the chip's datasheet timing
# (see realtime-lib.sh).

. "$(dirname "$0")/realtime-lib.sh"
RT_IS25_TWIN=daisy-seed
rt_run stm32h750 "STM32H750 QUADSPI" stm32h750
e2e_done
