#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Cross-check of the simulated STM32F746G-DISCO (F7 RCC, GPIO, QUADSPI at
# 0xA0001000, N25Q128A) against OpenOCD's own upstream stmqspi driver, set
# up by OpenOCD's own board/stm32f746g-disco.cfg with only its interface
# lines left out (board/spiram-sim-stm32f746g-disco-stmqspi.cfg): its
# reset-init (PLL, flash wait states, `qspi_init` with the F7's RCC
# addresses, QPI exit F5h, 03h memory-mapped read) runs unchanged.  Each
# step is compared with the image file:
#  - probe and `flash info 3` name the N25Q128 and its 16 MiB;
#  - `flash erase_sector 3 0 1` then `flash write_bank 3` of 70001 bytes
#    (odd, crossing pages and the 64 KiB sector line) at 0x1000: the image
#    holds them there, the rest of sectors 0-1 reads 0xFF, sector 2 is
#    untouched;
#  - `flash verify_bank 3` passes; `flash read_bank 3` equals the image;
#    `mdw 0x90000000` (the board's 03h window) reads the image;
#  - `flash erase_sector 3 2 3`: 0x20000-0x3FFFF erased, the rest unchanged.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32f746g-disco-stmqspi.cfg
image=$E2E_DIR/flash.img
e2e_random_file "$image" 16777216
cp "$image" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/data.bin" 70001
ff=$E2E_DIR/blank.bin
head -c $((0x20000)) /dev/zero | tr '\0' '\377' >"$ff"
e2e_start_sim stm32f746g "$image" || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/write.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe 3" "flash info 3" "flash erase_sector 3 0 1" \
	"flash write_bank 3 $E2E_DIR/data.bin 0x1000" shutdown
rc=$?
e2e_check "probe, erase, write_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "stmqspi found the Micron N25Q128 (20 BA 18)" grep -q "'micron n25q128' id = 0x18ba20" "$log"
e2e_check "flash info 3: 16 MiB" grep -q "stmqspi at 0x90000000, size 0x01000000" "$log"
e2e_check "image holds the written bytes at 0x1000" e2e_cmp_range "$image" 0x1000 "$E2E_DIR/data.bin" 0 70001
e2e_check "image below 0x1000 erased" e2e_cmp_range "$image" 0 "$ff" 0 4096
e2e_check "rest of sectors 0-1 erased" \
	e2e_cmp_range "$image" $((0x1000 + 70001)) "$ff" 0 $((0x20000 - 0x1000 - 70001))
e2e_check "sector 2 onwards untouched" \
	e2e_cmp_range "$image" $((0x20000)) "$E2E_DIR/orig.img" $((0x20000)) $((0x1000000 - 0x20000))

log=$E2E_DIR/verify.log
e2e_openocd "$cfg" "$log" init "reset init" "flash verify_bank 3 $E2E_DIR/data.bin 0x1000" \
	"flash read_bank 3 $E2E_DIR/read.bin 0 0x30000" "mdw 0x90FFFFFC" shutdown
rc=$?
e2e_check "verify_bank and read_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "verify_bank: contents match" grep -q "contents match" "$log"
e2e_check "read_bank equals the image" e2e_cmp_range "$E2E_DIR/read.bin" 0 "$image" 0 $((0x30000))
e2e_check "mdw 0x90FFFFFC reads the chip's last word through the board's 03h window" \
	grep -q "^0x90fffffc: $(od -An -tx4 -j $((0x1000000 - 4)) -N4 "$image" | tr -d ' ')" "$log"

cp "$image" "$E2E_DIR/before-erase.img"
log=$E2E_DIR/erase.log
e2e_openocd "$cfg" "$log" init "reset init" "flash erase_sector 3 2 3" shutdown
rc=$?
e2e_check "erase_sector 3 2 3: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "0x20000-0x3FFFF erased" e2e_cmp_range "$image" $((0x20000)) "$ff" 0 $((0x20000))
e2e_check "the rest unchanged" cmp -s <(head -c $((0x20000)) "$image") <(head -c $((0x20000)) "$E2E_DIR/before-erase.img")
e2e_check "the rest unchanged above 0x40000" \
	e2e_cmp_range "$image" $((0x40000)) "$E2E_DIR/before-erase.img" $((0x40000)) $((0x1000000 - 0x40000))

e2e_done
