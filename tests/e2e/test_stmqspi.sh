#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Cross-check of the simulator against OpenOCD's own upstream stmqspi
# driver: a driver written for the silicon, not for this project, must
# work unchanged on the simulated boards:
#  - STM32H750 + W25Q128JV on QUADSPI (board/spiram-sim-stm32h750-stmqspi.cfg);
#  - STM32H7B0 + W25Q64JV on OCTOSPI1 (board/spiram-sim-stm32h7b0-stmqspi.cfg),
#    where stmqspi tells the OCTOSPI by its magic ID and takes its OCTOSPI
#    path (FMODE in CR, opcode in IR, its own OCTOSPI loader).
# Each step is compared with the image file:
#  - probe and `flash info 1` name the chip;
#  - `flash erase_sector 1 0 0` then `flash write_bank 1` of 9029 bytes
#    (odd, crossing pages) at 0x1000: the image holds them there, the rest
#    of sector 0 reads 0xFF, the next sector is untouched;
#  - `flash verify_bank 1` passes; `flash read_bank 1` equals the image;
#  - `flash erase_sector 1 0 3` (stmqspi sectors are 64 KiB): the first
#    256 KiB of the image are 0xFF, the rest unchanged.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

# board | config | chip size | name in `flash info`
cases="stm32h750|board/spiram-sim-stm32h750-stmqspi.cfg|16777216|w25q128
stm32h7b0|board/spiram-sim-stm32h7b0-stmqspi.cfg|8388608|w25q64"

head -c $((0x10000)) /dev/zero | tr '\0' '\377' >"$E2E_DIR/blank.bin"
e2e_random_file "$E2E_DIR/data.bin" 9029
for c in $cases; do
	IFS='|' read -r board cfg size name <<<"$c"
	image=$E2E_DIR/$board.img
	e2e_random_file "$image" "$size"
	cp "$image" "$E2E_DIR/orig.img"
	e2e_start_sim "$board" "$image" || { e2e_fail "$board: simulator start"; continue; }

	log=$E2E_DIR/$board-write.log
	e2e_openocd "$cfg" "$log" init "reset init" "flash probe 1" "flash info 1" "flash erase_sector 1 0 0" \
		"flash write_bank 1 $E2E_DIR/data.bin 0x1000" shutdown
	rc=$?
	e2e_check "$board: probe, erase, write_bank: exit status 0 (got $rc)" test "$rc" -eq 0
	e2e_check "$board: flash info 1 names the $name" grep -qi "$name" "$log"
	e2e_check "$board: image holds the written bytes at 0x1000" \
		e2e_cmp_range "$image" 0x1000 "$E2E_DIR/data.bin" 0 9029
	e2e_check "$board: image below 0x1000 erased" e2e_cmp_range "$image" 0 "$E2E_DIR/blank.bin" 0 4096
	e2e_check "$board: rest of sector 0 erased" \
		e2e_cmp_range "$image" $((0x1000 + 9029)) "$E2E_DIR/blank.bin" 0 $((0x10000 - 0x1000 - 9029))
	e2e_check "$board: sector 1 untouched" \
		e2e_cmp_range "$image" $((0x10000)) "$E2E_DIR/orig.img" $((0x10000)) $((0x10000))

	log=$E2E_DIR/$board-verify.log
	e2e_openocd "$cfg" "$log" init "reset init" "flash verify_bank 1 $E2E_DIR/data.bin 0x1000" \
		"flash read_bank 1 $E2E_DIR/read.bin 0 0x20000" shutdown
	rc=$?
	e2e_check "$board: verify_bank and read_bank: exit status 0 (got $rc)" test "$rc" -eq 0
	e2e_check "$board: read_bank equals the image" e2e_cmp_range "$E2E_DIR/read.bin" 0 "$image" 0 $((0x20000))

	cp "$image" "$E2E_DIR/before-erase.img"
	log=$E2E_DIR/$board-erase.log
	e2e_openocd "$cfg" "$log" init "reset init" "flash erase_sector 1 0 3" shutdown
	rc=$?
	e2e_check "$board: erase_sector 1 0 3: exit status 0 (got $rc)" test "$rc" -eq 0
	e2e_check "$board: first 256 KiB erased" \
		cmp -s <(head -c $((0x40000)) "$image") <(head -c $((0x40000)) /dev/zero | tr '\0' '\377')
	e2e_check "$board: the rest unchanged" \
		e2e_cmp_range "$image" $((0x40000)) "$E2E_DIR/before-erase.img" $((0x40000)) $((size - 0x40000))
	e2e_stop_sim
done

e2e_done
