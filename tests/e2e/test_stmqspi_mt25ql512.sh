#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# OpenOCD's own stmqspi driver, unchanged, on the simulated H750 with the
# 64 MiB Micron MT25QL512A (board/spiram-sim-stm32h750-stmqspi.cfg,
# `spiram-sim --chip mt25ql512a`).  The board maps the whole chip with 0Ch
# and 32-bit addresses, from which stmqspi takes 4-byte addressing and
# uses the part's 4-byte opcodes (13h, 12h, DCh in OpenOCD's spi.c).  At
# the top of the chip, compared with the image:
#  - probe names the MT25QL512 and its 64 MiB;
#  - `flash erase_sector 1 1022 1023` then `flash write_bank` of 70000
#    bytes at 0x3FE0000: the image holds them, the rest of the two 64 KiB
#    sectors reads 0xFF, everything below is untouched;
#  - verify_bank passes; read_bank of the last 64 KiB and `mdw` of the
#    chip's last word through the window equal the image;
#  - `flash erase_sector 1 1021 1021`: that sector erased, nothing else.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h750-stmqspi.cfg
size=$((64 * 1024 * 1024))
image=$E2E_DIR/flash.img
e2e_random_file "$image" $size
cp "$image" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/data.bin" 70000
ff=$E2E_DIR/blank.bin
head -c $((0x20000)) /dev/zero | tr '\0' '\377' >"$ff"
e2e_start_sim stm32h750 "$image" --chip mt25ql512a || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/write.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe 1" "flash info 1" "flash erase_sector 1 1022 1023" \
	"flash write_bank 1 $E2E_DIR/data.bin 0x3FE0000" shutdown
rc=$?
e2e_check "probe, erase, write_bank at the top: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "stmqspi found the Micron MT25QL512 (20 BA 20, 64 MiB)" \
	grep -q "'micron mt25ql512' id = 0x20ba20 size = 65536 KiB" "$log"
e2e_check "image holds the written bytes at 0x3FE0000" e2e_cmp_range "$image" $((0x3FE0000)) "$E2E_DIR/data.bin" 0 70000
e2e_check "rest of sectors 1022-1023 erased" \
	e2e_cmp_range "$image" $((0x3FE0000 + 70000)) "$ff" 0 $((0x20000 - 70000))
e2e_check "everything below untouched" cmp -s <(head -c $((0x3FE0000)) "$image") <(head -c $((0x3FE0000)) "$E2E_DIR/orig.img")

log=$E2E_DIR/verify.log
e2e_openocd "$cfg" "$log" init "reset init" "flash verify_bank 1 $E2E_DIR/data.bin 0x3FE0000" \
	"flash read_bank 1 $E2E_DIR/read.bin 0x3FF0000 0x10000" "mdw 0x93FFFFFC" shutdown
rc=$?
e2e_check "verify_bank and read_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "verify_bank: contents match" grep -q "contents match" "$log"
e2e_check "read_bank of the last 64 KiB equals the image" e2e_cmp_range "$E2E_DIR/read.bin" 0 "$image" $((0x3FF0000)) $((0x10000))
e2e_check "mdw 0x93FFFFFC reads the chip's last word" \
	grep -q "^0x93fffffc: $(od -An -tx4 -j $((size - 4)) -N4 "$image" | tr -d ' ')" "$log"

cp "$image" "$E2E_DIR/before-erase.img"
log=$E2E_DIR/erase.log
e2e_openocd "$cfg" "$log" init "reset init" "flash erase_sector 1 1021 1021" shutdown
rc=$?
e2e_check "erase_sector 1 1021 1021: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "0x3FD0000-0x3FDFFFF erased" e2e_cmp_range "$image" $((0x3FD0000)) "$ff" 0 $((0x10000))
e2e_check "below it unchanged" cmp -s <(head -c $((0x3FD0000)) "$image") <(head -c $((0x3FD0000)) "$E2E_DIR/before-erase.img")
e2e_check "above it unchanged" e2e_cmp_range "$image" $((0x3FE0000)) "$E2E_DIR/before-erase.img" $((0x3FE0000)) $((0x20000))

e2e_done
