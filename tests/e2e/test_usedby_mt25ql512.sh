#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check: a 64 MiB Micron MT25QL512A on the H750 twin
# (`spiram-sim --chip mt25ql512a`), the chip past 16 MiB that needs WREN
# before B7h and whose capacity code (20h) is not 2^N.  Compared with the
# image:
#  - `reset init` alone maps the whole chip (the board reads the ID and
#    uses 0Ch with 4-byte addresses): the last words of the chip read
#    through 0x93FFFFF0;
#  - `program ... verify reset exit` of 1 MiB + 0x401 bytes ending at the
#    chip's last byte: Verified OK through the board's window (the driver
#    did not have to widen it), the image holds the file, nothing else
#    changed;
#  - write_image erase of 0x401 bytes across the 48 MiB line
#    (0x92FFFE00) and read_bank of the last 16 bytes;
#  - the chip saw no misuse (B7h without WREN would be one).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h750.cfg
size=$((64 * 1024 * 1024))
img=$E2E_DIR/flash.img
e2e_random_file "$img" $size
e2e_start_sim stm32h750 "$img" --chip mt25ql512a || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/window.log
ub_openocd "$cfg" "$log" init "reset init" "mdw 0x93FFFFF0 4" shutdown
rc=$?
e2e_check "reset init, mdw: exit 0 (got $rc)" test $rc -eq 0
e2e_check "reset-init maps all 64 MiB: the last 16 bytes read through 0x93FFFFF0" \
	grep -q "^0x93fffff0: $(od -An -tx4 -j $((size - 16)) -N16 "$img" | tr -s ' ' | sed 's/^ //')" "$log"

len=$((1024 * 1024 + 0x401))
addr=$((size - len))
e2e_random_file "$E2E_DIR/top.bin" $len
cp "$img" "$E2E_DIR/before-program.img"
log=$E2E_DIR/program.log
ub_openocd "$cfg" "$log" "program $E2E_DIR/top.bin $(printf '0x%x' $((0x90000000 + addr))) verify reset exit"
rc=$?
e2e_check "program 1 MiB + 0x401 bytes ending at the last byte, verify reset exit: exit 0 (got $rc)" test $rc -eq 0
e2e_check "program: Verified OK" grep -q "Verified OK" "$log"
e2e_check "the board's window was already whole: the driver did not widen it" \
	test "$(grep -c "mapping the whole chip" "$log")" -eq 0
e2e_check "the image holds the file at $(printf '0x%x' $addr)" ub_cmp_range "$img" $addr "$E2E_DIR/top.bin" 0 $len
first=$(( addr / 4096 * 4096 ))
e2e_check "nothing outside the erased sectors changed" \
	ub_same_outside "$E2E_DIR/before-program.img" "$img" $first $((size - first))

e2e_random_file "$E2E_DIR/line.bin" $((0x401))
cp "$img" "$E2E_DIR/before-line.img"
log=$E2E_DIR/line.log
ub_openocd "$cfg" "$log" init "reset init" "flash write_image erase $E2E_DIR/line.bin 0x92FFFE00" \
	"flash verify_bank 1 $E2E_DIR/line.bin 0x2FFFE00" \
	"flash read_bank 1 $E2E_DIR/end.bin 0x3FFFFF0 16" shutdown
rc=$?
e2e_check "write_image erase 0x401 bytes at 0x92FFFE00, verify_bank, read_bank: exit 0 (got $rc)" test $rc -eq 0
e2e_check "the image holds them at 0x2FFFE00" ub_cmp_range "$img" $((0x2FFFE00)) "$E2E_DIR/line.bin" 0 $((0x401))
e2e_check "nothing else changed" ub_same_outside "$E2E_DIR/before-line.img" "$img" $((0x2FFF000)) $((0x2000))
e2e_check "read_bank of the last 16 bytes equals the image" \
	ub_cmp_range "$E2E_DIR/end.bin" 0 "$img" $((size - 16)) 16
e2e_check "the chip counted no misuse" test "$(e2e_stat chip.misuse)" = 0

e2e_done
