#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 7: 4-byte addressing.  The H750 twin with
# `spiram-sim --chip w25q256jv` (32 MiB): OpenOCD commands across the
# 16 MiB line, compared with the image:
#  - the bank is 32 MiB (`flash info 1`);
#  - write_image erase of 0x401 bytes at 0x90FFFE00 (ends 0x201 bytes past
#    the line) and of 0x12345 bytes at 0x90FF8001; verify_bank of both;
#  - read_bank of 0x20000 bytes at 0xFF0000 and of the last 16 bytes of
#    the chip (0x1FFFFF0): equal to the image;
#  - the image holds the data above the line and nothing wrapped to the
#    bottom (a 3-byte address would land at 0x000000): nothing outside the
#    erased sectors changed, and the counters list exactly those sectors.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h750.cfg
size=$((32 * 1024 * 1024))
img=$E2E_DIR/flash.img
e2e_random_file "$img" $size
cp "$img" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/small.bin" $((0x401))
e2e_random_file "$E2E_DIR/big.bin" $((0x12345))
ub_fill "$E2E_DIR/ff.bin" 8192 255
e2e_start_sim stm32h750 "$img" --chip w25q256jv || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/small.log
ub_openocd "$cfg" "$log" init "reset init" "flash info 1" \
	"flash write_image erase $E2E_DIR/small.bin 0x90FFFE00" \
	"flash verify_bank 1 $E2E_DIR/small.bin 0xFFFE00" shutdown
rc=$?
e2e_check "0x401 bytes at 0x90FFFE00: write_image erase + verify_bank: exit 0 (got $rc)" test $rc -eq 0
e2e_check "flash info 1: 32 MiB bank" grep -q "spiram_loader at 0x90000000, size 0x02000000" "$log"
e2e_check "the image holds the 0x401 bytes at 0xFFFE00 (0x201 of them above the 16 MiB line)" \
	ub_cmp_range "$img" $((0xFFFE00)) "$E2E_DIR/small.bin" 0 $((0x401))
e2e_check "nothing else changed: the rest of sectors 0xFFF000 and 0x1000000 kept, nothing wrapped to 0x000000" \
	ub_same_outside "$E2E_DIR/orig.img" "$img" $((0xFFFE00)) $((0x401))
e2e_check "counters: exactly sectors 0xfff000 and 0x1000000 touched" \
	test "$(e2e_touched_sectors | tr '\n' ' ')" = "$(printf '0xfff000\n0x1000000\n' | sort | tr '\n' ' ')"

cp "$img" "$E2E_DIR/before-big.img"
log=$E2E_DIR/big.log
ub_openocd "$cfg" "$log" init "reset init" \
	"flash write_image erase $E2E_DIR/big.bin 0x90FF8001" \
	"flash verify_bank 1 $E2E_DIR/big.bin 0xFF8001" \
	"flash read_bank 1 $E2E_DIR/read-line.bin 0xFF0000 0x20000" \
	"flash read_bank 1 $E2E_DIR/read-end.bin 0x1FFFFF0 16" shutdown
rc=$?
e2e_check "0x12345 bytes at 0x90FF8001: write_image erase, verify_bank, read_bank: exit 0 (got $rc)" test $rc -eq 0
e2e_check "the image holds the 0x12345 bytes at 0xFF8001 (crossing the line)" \
	ub_cmp_range "$img" $((0xFF8001)) "$E2E_DIR/big.bin" 0 $((0x12345))
first=$((0xFF8000)); last_end=$(( (0xFF8001 + 0x12345 + 4095) / 4096 * 4096 ))
e2e_check "nothing outside sectors 0xFF8000-$(printf '0x%x' $((last_end - 1))) changed" \
	ub_same_outside "$E2E_DIR/before-big.img" "$img" $first $((last_end - first))
e2e_check "read_bank 0x20000 bytes at 0xFF0000 (across the line) equals the image" \
	ub_cmp_range "$E2E_DIR/read-line.bin" 0 "$img" $((0xFF0000)) $((0x20000))
e2e_check "read_bank of the last 16 bytes of the 32 MiB chip equals the image" \
	ub_cmp_range "$E2E_DIR/read-end.bin" 0 "$img" $((size - 16)) 16
ub_sectors_of $first $((last_end - first)) >"$E2E_DIR/want"
e2e_check "counters: exactly the sectors of both writes touched" \
	test "$(e2e_touched_sectors)" = "$(sort -u "$E2E_DIR/want")"

# The board's reset-init sizes the window from the chip's ID: after
# `reset init` alone, before any flash command, the last word of the
# 32 MiB chip reads through it (0Ch, 4-byte address).
log=$E2E_DIR/window.log
ub_openocd "$cfg" "$log" init "reset init" "mdw 0x91FFFFFC" shutdown
e2e_check "reset-init maps the whole 32 MiB: mdw 0x91FFFFFC before any flash command reads the chip's last word" \
	grep -q "^0x91fffffc: $(od -An -tx4 -j $((size - 4)) -N4 "$img" | tr -d ' ')" "$log"

# `program ... verify` 8 MiB above the line with the board's old 16 MiB
# 3-byte window (SPIRAM_MEMMAP_16MIB): the driver maps the whole chip, so
# the target-level verify_image reads the data back through the window.
e2e_random_file "$E2E_DIR/rand1m.bin" $((1024 * 1024))
cp "$img" "$E2E_DIR/before-program.img"
log=$E2E_DIR/program.log
ub_openocd "$cfg" "$log" "set SPIRAM_MEMMAP_16MIB 1" "program $E2E_DIR/rand1m.bin 0x91800000 verify" \
	"mdw 0x91800000" "mdw 0x91FFFFFC" shutdown
rc=$?
e2e_check "program 1 MiB at 0x91800000 verify: exit 0 (got $rc)" test $rc -eq 0
e2e_check "program: Verified OK" grep -q "Verified OK" "$log"
e2e_check "program: said it maps the whole chip" \
	grep -q "mapping the whole chip (0x2000000 bytes) with the driver's read" "$log"
e2e_check "the image holds the 1 MiB at 0x1800000" \
	ub_cmp_range "$img" $((0x1800000)) "$E2E_DIR/rand1m.bin" 0 $((1024 * 1024))
e2e_check "nothing else changed" ub_same_outside "$E2E_DIR/before-program.img" "$img" $((0x1800000)) $((1024 * 1024))
e2e_check "mdw 0x91800000 reads the first word of the file through the window" \
	grep -q "^0x91800000: $(od -An -tx4 -N4 "$E2E_DIR/rand1m.bin" | tr -d ' ')" "$log"
e2e_check "mdw 0x91FFFFFC reads the chip's last word" \
	grep -q "^0x91fffffc: $(od -An -tx4 -j $((size - 4)) -N4 "$img" | tr -d ' ')" "$log"

e2e_done
