#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Real-time tier, GD32F307 SPI0: chip erase, 64 KiB block erase, program, read,
# verify, protect and a stuck busy bit with the chip's datasheet timing
# (see realtime-lib.sh).

. "$(dirname "$0")/realtime-lib.sh"
rt_run gd32f307 "GD32F307 SPI0" gd32f307
e2e_done
