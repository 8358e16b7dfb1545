#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 3: the rest of OpenOCD's `flash` commands on bank 1 of the
# simulated STM32H750 (board/spiram-sim-stm32h750.cfg), one openocd run per
# step as a user would type them, each compared with the simulator's image
# file (the whole image, before and after) and its counters:
#  - erase_sector 1 16 17;  write_bank of 0x1803 bytes at the odd offset
#    0x10001;  verify_bank (matching: ok; a differing file: fails);
#  - erase_address (aligned; unaligned without `pad` is refused and
#    changes nothing; with `pad` erases the one covering sector);
#  - erase_check: lists exactly the sectors the image says are not blank,
#    including one whose only non-0xFF byte is its last;
#  - protect 4032-4095 (the top 256 KiB: BP0) on: `flash info` shows those
#    sectors protected and the others not, the chip's SR1 holds BP=001 TB=0
#    SEC=0 (non-volatile), SR2 CMP=0; write_bank and erase_sector there fail
#    and change nothing; protect off: `flash info` and SR1 show it, and the
#    same write then works;
#  - fillw / fillb on freshly erased flash (odd address for fillb);
#  - write_image erase with .bin (with offset), Intel .hex (made with
#    objcopy --change-addresses) and .elf (linked with ld at 0x90070000).
#
# The image starts blank (0xFF) except random data in 0x10000-0x7FFFF and
# in the top 256 KiB, and one 0x00 byte at 0x9FFFF (last byte of sector
# 159), so erase_check has a precise answer.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM ARM_CC
objcopy=${ARM_OBJCOPY:-${ARM_CC%gcc}objcopy}
ld=${ARM_CC%gcc}ld
[ -x "$objcopy" ] && [ -x "$ld" ] || e2e_skip "no objcopy/ld next to $ARM_CC"

cfg=board/spiram-sim-stm32h750.cfg
size=16777216
img=$E2E_DIR/flash.img
ub_fill "$img" $size 255
cp "$img" "$E2E_DIR/blank.img"
e2e_random_file "$E2E_DIR/r1" $((0x70000))
e2e_random_file "$E2E_DIR/r2" $((0x40000))
dd if="$E2E_DIR/r1" of="$img" bs=4096 seek=16 conv=notrunc status=none
dd if="$E2E_DIR/r2" of="$img" bs=4096 seek=4032 conv=notrunc status=none
printf '\000' | dd of="$img" bs=1 seek=$((0x9FFFF)) conv=notrunc status=none
ub_fill "$E2E_DIR/ff.bin" 65536 255
e2e_start_sim stm32h750 "$img" || { e2e_fail "simulator start"; e2e_done; }

n=0
# step NAME COMMAND...: one openocd run (init; reset init; COMMANDS;
# shutdown) with the image saved before it in before.img; sets rc, log.
step() {
	name=$1; shift
	n=$((n + 1))
	cp "$img" "$E2E_DIR/before.img"
	log=$E2E_DIR/$n-$name.log
	ub_openocd "$cfg" "$log" init "reset init" "$@" shutdown
	rc=$?
}
# changed_only OFFSET LEN: nothing outside [OFFSET, OFFSET+LEN) changed.
changed_only() { ub_same_outside "$E2E_DIR/before.img" "$img" "$1" "$2"; }
unchanged() { cmp -s "$E2E_DIR/before.img" "$img"; }
is_erased() { ub_cmp_range "$img" "$1" "$E2E_DIR/ff.bin" 0 "$2"; }
sectors_now() { e2e_touched_sectors; }

# --- erase_sector, write_bank, verify_bank ------------------------------
step erase_sector "flash erase_sector 1 16 17"
e2e_check "erase_sector 1 16 17: exit 0 (got $rc)" test $rc -eq 0
e2e_check "erase_sector: 0x10000-0x11FFF erased" is_erased $((0x10000)) 8192
e2e_check "erase_sector: nothing else changed" changed_only $((0x10000)) 8192
e2e_check "erase_sector: counters show sectors 0x10000, 0x11000 only" \
	test "$(sectors_now | tr '\n' ' ')" = "0x010000 0x011000 "

wb_len=$((0x1803))
e2e_random_file "$E2E_DIR/wb.bin" $wb_len
step write_bank "flash write_bank 1 $E2E_DIR/wb.bin 0x10001"
e2e_check "write_bank at 0x10001 (0x1803 bytes): exit 0 (got $rc)" test $rc -eq 0
e2e_check "write_bank: the image holds the file at 0x10001" ub_cmp_range "$img" $((0x10001)) "$E2E_DIR/wb.bin" 0 $wb_len
e2e_check "write_bank: 0x10000 and the bytes after the file are still 0xFF" \
	bash -c "$(declare -f ub_cmp_range); ub_cmp_range '$img' $((0x10000)) '$E2E_DIR/ff.bin' 0 1 && ub_cmp_range '$img' $((0x10001 + wb_len)) '$E2E_DIR/ff.bin' 0 $((0x12000 - 0x10001 - wb_len))"
e2e_check "write_bank: nothing else changed" changed_only $((0x10001)) $wb_len
e2e_check "write_bank: counters still show sectors 0x10000, 0x11000 only" \
	test "$(sectors_now | tr '\n' ' ')" = "0x010000 0x011000 "

step verify_bank "flash verify_bank 1 $E2E_DIR/wb.bin 0x10001"
e2e_check "verify_bank (same data): exit 0 (got $rc)" test $rc -eq 0
e2e_check "verify_bank: says the contents match" grep -q "contents match" "$log"
cp "$E2E_DIR/wb.bin" "$E2E_DIR/wb-bad.bin"
printf '\000' | dd of="$E2E_DIR/wb-bad.bin" bs=1 seek=$((0x1000)) conv=notrunc status=none
cmp -s "$E2E_DIR/wb.bin" "$E2E_DIR/wb-bad.bin" &&
	printf '\001' | dd of="$E2E_DIR/wb-bad.bin" bs=1 seek=$((0x1000)) conv=notrunc status=none
step verify_bank_bad "flash verify_bank 1 $E2E_DIR/wb-bad.bin 0x10001"
e2e_check "verify_bank (one byte differs): fails (exit $rc)" test $rc -ne 0
e2e_check "verify_bank: reports the difference at offset 0x11001" grep -qi "0x11001\|0x00011001\|differ" "$log"
e2e_check "verify_bank: changes nothing" unchanged

# --- erase_address ------------------------------------------------------
step erase_address "flash erase_address 0x90020000 0x2000"
e2e_check "erase_address 0x90020000 0x2000: exit 0 (got $rc)" test $rc -eq 0
e2e_check "erase_address: 0x20000-0x21FFF erased" is_erased $((0x20000)) 8192
e2e_check "erase_address: nothing else changed" changed_only $((0x20000)) 8192
step erase_address_unaligned "flash erase_address 0x90030001 0x10"
e2e_check "erase_address 0x90030001 0x10 (unaligned, no pad): refused (exit $rc)" test $rc -ne 0
e2e_check "erase_address unaligned: changes nothing" unchanged
step erase_address_pad "flash erase_address pad 0x90030001 0x10"
e2e_check "erase_address pad 0x90030001 0x10: exit 0 (got $rc)" test $rc -eq 0
e2e_check "erase_address pad: sector 0x30000 erased" is_erased $((0x30000)) 4096
e2e_check "erase_address pad: nothing else changed" changed_only $((0x30000)) 4096
e2e_check "erase_address: counters add exactly 0x20000, 0x21000, 0x30000" \
	test "$(sectors_now | tr '\n' ' ')" = "0x010000 0x011000 0x020000 0x021000 0x030000 "

# --- erase_check ----------------------------------------------------------
step erase_check "flash erase_check 1"
e2e_check "erase_check 1: exit 0 (got $rc)" test $rc -eq 0
cmp -l "$E2E_DIR/blank.img" "$img" | awk '{ print int(($1 - 1) / 4096) }' | uniq >"$E2E_DIR/want-dirty"
sed -n 's/^[[:space:]]*#[[:space:]]*\([0-9]*\): .* not erased$/\1/p' "$log" >"$E2E_DIR/got-dirty"
e2e_check "erase_check: lists exactly the $(wc -l <"$E2E_DIR/want-dirty") sectors the image says are not blank" \
	cmp -s "$E2E_DIR/want-dirty" "$E2E_DIR/got-dirty"
e2e_check "erase_check: sector 159 (only its last byte is 0x00) is not erased" grep -qx 159 "$E2E_DIR/got-dirty"
e2e_check "erase_check: sector 16 (0x10000, written) is not erased, 18 (0x12000, random) too" \
	bash -c "grep -qx 16 '$E2E_DIR/got-dirty' && grep -qx 18 '$E2E_DIR/got-dirty'"
e2e_check "erase_check: sectors 32, 33, 48 (erased above) are erased" \
	bash -c "! grep -qx -e 32 -e 33 -e 48 '$E2E_DIR/got-dirty'"
e2e_check "erase_check: changes nothing" unchanged

# --- protect --------------------------------------------------------------
step protect_on "flash protect 1 4032 4095 on" "flash info 1"
e2e_check "protect 1 4032 4095 on: exit 0 (got $rc)" test $rc -eq 0
e2e_check "flash info: sector 4032 (0xfc0000) protected" grep -q "#4032: 0x00fc0000 (0x1000 4kB) protected" "$log"
e2e_check "flash info: sector 4095 protected" grep -q "#4095: 0x00fff000 (0x1000 4kB) protected" "$log"
e2e_check "flash info: sector 4031 not protected" grep -q "#4031: 0x00fbf000 (0x1000 4kB) not protected" "$log"
e2e_check "flash info: sector 0 not protected" grep -q "#  0: 0x00000000 (0x1000 4kB) not protected" "$log"
sr1=$(e2e_stat chip.reg1_nv); sr2=$(e2e_stat chip.reg2_nv)
e2e_check "chip: SR1 (non-volatile) BP2..0=001 TB=0 SEC=0 (SR1=$sr1)" test $((sr1 & 0x7C)) -eq 4
e2e_check "chip: SR2 CMP=0 (SR2=$sr2)" test $((sr2 & 0x40)) -eq 0
e2e_check "protect on: changes no data" unchanged

e2e_random_file "$E2E_DIR/top.bin" 4096
step write_protected "flash write_bank 1 $E2E_DIR/top.bin 0xFC0000"
e2e_check "write_bank into the protected range: fails (exit $rc)" test $rc -ne 0
e2e_check "write_bank into the protected range: says it is protected" grep -qi "protect" "$log"
e2e_check "write_bank into the protected range: the image is unchanged" unchanged
step erase_protected "flash erase_sector 1 4032 4032"
e2e_check "erase_sector in the protected range: fails (exit $rc)" test $rc -ne 0
e2e_check "erase_sector in the protected range: the image is unchanged" unchanged
touched=$(sectors_now)
e2e_check "counters: nothing erased or programmed in the protected range" \
	bash -c "! grep -q '^0x\(fc\|fd\|fe\|ff\)' <<<'$touched'"

step protect_off "flash protect 1 4032 4095 off" "flash info 1"
e2e_check "protect 1 4032 4095 off: exit 0 (got $rc)" test $rc -eq 0
e2e_check "flash info: sector 4032 not protected" grep -q "#4032: 0x00fc0000 (0x1000 4kB) not protected" "$log"
e2e_check "flash info: no sector protected" bash -c "! grep -q ') protected' '$log'"
sr1=$(e2e_stat chip.reg1_nv)
e2e_check "chip: SR1 (non-volatile) BP2..0=000 (SR1=$sr1)" test $((sr1 & 0x1C)) -eq 0
step write_unprotected "flash erase_sector 1 4032 4032" "flash write_bank 1 $E2E_DIR/top.bin 0xFC0000"
e2e_check "after protect off: erase_sector + write_bank at 0xFC0000: exit 0 (got $rc)" test $rc -eq 0
e2e_check "after protect off: the image holds the data" ub_cmp_range "$img" $((0xFC0000)) "$E2E_DIR/top.bin" 0 4096
e2e_check "after protect off: nothing else changed" changed_only $((0xFC0000)) 4096

# --- fillw / fillb --------------------------------------------------------
step fill "flash erase_sector 1 64 64" "flash fillw 0x90040000 0x12345678 0x100" "flash fillb 0x90040401 0xA5 3"
e2e_check "erase_sector 64, fillw 0x90040000 0x12345678 0x100, fillb 0x90040401 0xa5 3: exit 0 (got $rc)" test $rc -eq 0
for i in $(seq 1 256); do printf '\x78\x56\x34\x12'; done >"$E2E_DIR/fillw.bin"
printf '\xff\xa5\xa5\xa5' >>"$E2E_DIR/fillw.bin"
e2e_check "fillw/fillb: the image holds 256 x 0x12345678 (LE), then ff a5 a5 a5" \
	ub_cmp_range "$img" $((0x40000)) "$E2E_DIR/fillw.bin" 0 1028
e2e_check "fillw/fillb: the rest of sector 0x40000 is erased" is_erased $((0x40404)) $((4096 - 0x404))
e2e_check "fillw/fillb: nothing else changed" changed_only $((0x40000)) 4096

# --- write_image erase: .bin, .hex, .elf ----------------------------------
wi_len=5000
e2e_random_file "$E2E_DIR/wi.bin" $wi_len
"$objcopy" -I binary -O ihex --change-addresses 0x90060000 "$E2E_DIR/wi.bin" "$E2E_DIR/wi.hex"
"$objcopy" -I binary -O elf32-littlearm -B arm "$E2E_DIR/wi.bin" "$E2E_DIR/wi.o"
"$ld" -o "$E2E_DIR/wi.elf" --section-start=.data=0x90070000 -e 0x90070000 "$E2E_DIR/wi.o"
for spec in "bin|0x50000|$E2E_DIR/wi.bin 0x90050000 bin" "hex|0x60000|$E2E_DIR/wi.hex" "elf|0x70000|$E2E_DIR/wi.elf"; do
	IFS='|' read -r kind off args <<<"$spec"
	step "write_image_$kind" "flash write_image erase $args"
	e2e_check "write_image erase .$kind at 0x9$(printf '%07x' $((off))): exit 0 (got $rc)" test $rc -eq 0
	e2e_check "write_image .$kind: the image holds the data" ub_cmp_range "$img" $((off)) "$E2E_DIR/wi.bin" 0 $wi_len
	# smart programming keeps what the image does not cover
	e2e_check "write_image .$kind: nothing else changed (the rest of its 2 sectors kept)" \
		changed_only $((off)) $wi_len
done
e2e_check "counters: every sector erased/programmed is one a command asked for" \
	test "$(sectors_now | tr '\n' ' ')" = "0x010000 0x011000 0x020000 0x021000 0x030000 0x040000 0x050000 0x051000 0x060000 0x061000 0x070000 0x071000 0xfc0000 "
e2e_check "chip: protected commands were refused by the driver, not ignored by the chip" \
	test "$(e2e_stat chip.ignored_protected)" = 0

e2e_done
