#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Verify without reading the flash (docs/driver.md, "Verify and erase
# check"), judged by the simulator's image and its DAP counters, on the
# H750 QUADSPI twin (memory-mapped, the chip's datasheet timing), the
# GD32F307 SPI twin and the STM32F103 bit-banged twin:
#  - `flash verify_bank` of a range with unaligned ends that matches: exit
#    0, "contents match", and the debug link carries far less than the
#    range (a CRC per sector, computed on the target);
#  - the same with one byte changed: exit non-zero, "contents differ", the
#    right sector named, the first wrong byte in OpenOCD's "diff" line,
#    and the DAP counters show one sector read back on top of what the
#    matching verify read (not two, not the range);
#  - `flash read_bank` of 256 KiB of code, blank, repetitive and random
#    data: the chip's bytes, with the link carrying under 60% of them
#    (the stub's compressed read; on the F103's small work area, no more
#    than the data);
#  - `verify_image` (the target command, as `program ... verify` runs it)
#    and `flash verify_image` of the changed file fail the same way, and
#    `program ... verify` of the matching file says "Verified OK";
#  - (H750) `flash erase_check` of a nearly blank chip names exactly the
#    sectors that hold data, and `flash read_bank` of it returns the
#    chip's bytes with the blank sectors not carried over the link.
# `VERIFY_BOARDS="stm32h750 ..."` picks some boards.

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

D=$E2E_DIR
F_IMG=$D/base.img
e2e_random_file "$F_IMG" 16777216
OFF=$((0x20081))
LEN=$((0x10000 + 0x123))
BAD=$((0x5432))		# byte of the file that differs: in sector (OFF + BAD) / 4096
BAD_ADDR=$((OFF + BAD))
BAD_SECTOR=$((BAD_ADDR / 4096))
tail -c +$((OFF + 1)) "$F_IMG" | head -c $LEN >"$D/good.bin"
cp "$D/good.bin" "$D/bad.bin"
WAS=$(od -An -tx1 -j $BAD_ADDR -N1 "$F_IMG" | tr -d ' ')
NOW=$(printf '%02x' $((0x$WAS ^ 0x5a)))
printf "\\x$NOW" | dd of="$D/bad.bin" bs=1 seek=$BAD conv=notrunc 2>/dev/null

# 256 KiB at 0x300000 that compresses: code-like data (the toolchain's
# Thumb libraries), blank, repetitive text, then random
MIX=$((0x300000))
lib=$("${ARM_CC:-arm-none-eabi-gcc}" -mthumb -mcpu=cortex-m3 -print-file-name=libc_nano.a 2>/dev/null)
{
	if [ -f "$lib" ]; then head -c 65536 "$lib"; else yes 'bx lr; push {r4, lr}' | head -c 65536; fi
	head -c 65536 /dev/zero | tr '\0' '\377'
	yes 'spiram_loader: erase sector' | head -c 65536
	head -c 65536 /dev/urandom
} | dd of="$F_IMG" bs=4096 seek=$((MIX / 4096)) conv=notrunc 2>/dev/null

# DAP bytes read since the last call
VR_R=0
dap_read_delta() {
	r=$(e2e_stat dap.mem_bytes_read)
	DR=$((r - VR_R))
	VR_R=$r
}

# twin | simulator board and options
ALL="stm32h750|stm32h750 --timing typical
gd32f307|gd32f307
stm32f103-gpio|stm32f103 --wiring gpio"

sector_text=$(printf 'sector %d \\(0x%08x-0x%08x\\) differs' $BAD_SECTOR $((0x90000000 + BAD_SECTOR * 4096)) \
	$((0x90000000 + BAD_SECTOR * 4096 + 4095)))
diff_text=$(printf 'diff 0 address 0x%08x. Was 0x%s instead of 0x%s' $BAD_ADDR "$WAS" "$NOW")
wrong_text=$(printf 'verify failed at 0x%08x \\(offset 0x%08x\\): flash has 0x%s, expected 0x%s' \
	$((0x90000000 + BAD_ADDR)) $BAD_ADDR "$WAS" "$NOW")
addr=$(printf '0x%08x' $((0x90000000 + OFF)))

while IFS='|' read -r twin sim <&3; do
	[ -n "$twin" ] || continue
	if [ -n "${VERIFY_BOARDS:-}" ] && ! printf ' %s ' "$VERIFY_BOARDS" | grep -q " $twin "; then
		continue
	fi
	cfg=board/spiram-sim-$twin.cfg
	# shellcheck disable=SC2086
	f_fresh $sim || { e2e_fail "$twin: simulator start"; continue; }
	VR_R=0
	dap_read_delta

	f_ocd "$cfg" "$D/$twin.match.log" init "reset init" "flash verify_bank 1 $D/good.bin $OFF" shutdown
	rc=$?
	dap_read_delta
	match_read=$DR
	e2e_check "$twin: verify_bank of $LEN matching bytes at $OFF: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: verify_bank: says contents match" grep -q "^contents match" "$D/$twin.match.log"
	e2e_check "$twin: verify_bank: the link read $match_read bytes, under half of the $LEN verified" \
		test "$match_read" -lt $((LEN / 2))

	f_ocd "$cfg" "$D/$twin.differ.log" init "reset init" "flash verify_bank 1 $D/bad.bin $OFF" shutdown
	rc=$?
	dap_read_delta
	f_failed "$twin: verify_bank, one byte differs" $rc "$D/$twin.differ.log" "^contents differ" \
		"$sector_text" "^$diff_text\$"
	e2e_check "$twin: verify_bank, one byte differs: exactly one diff line" \
		test "$(grep -c '^diff ' "$D/$twin.differ.log")" -eq 1
	extra=$((DR - match_read))
	e2e_check "$twin: verify_bank, one byte differs: one sector read back ($extra bytes more than the matching verify: 4096 to 8191)" \
		test $extra -ge 4096 -a $extra -lt 8192

	f_ocd "$cfg" "$D/$twin.vi.log" init "reset init" "verify_image $D/bad.bin $addr bin" shutdown
	rc=$?
	dap_read_delta
	f_failed "$twin: verify_image, one byte differs" $rc "$D/$twin.vi.log" "$sector_text" "$wrong_text"
	extra=$((DR - match_read))
	e2e_check "$twin: verify_image, one byte differs: one sector read back ($extra bytes more than the matching verify_bank: under 8192)" \
		test $extra -lt 8192

	f_ocd "$cfg" "$D/$twin.fvi.log" init "reset init" "flash verify_image $D/bad.bin $addr bin" shutdown
	rc=$?
	f_failed "$twin: flash verify_image, one byte differs" $rc "$D/$twin.fvi.log" "$sector_text" "$wrong_text"

	f_ocd "$cfg" "$D/$twin.read.log" init "reset init" "flash read_bank 1 $D/$twin.mix.out $MIX 0x40000" shutdown
	rc=$?
	dap_read_delta
	e2e_check "$twin: read_bank of 256 KiB of mixed data: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: read_bank of mixed data: the file holds the image's bytes" \
		e2e_cmp_range "$D/$twin.mix.out" 0 "$F_IMG" $MIX $((0x40000))
	# (what a session reads anyway, stub upload check and results, is the
	# matching verify's figure).  The F103's 20 KiB of SRAM leave room for
	# 1 KiB blocks only, where the code-like part hardly compresses: there
	# the read must only not cost more than the data.
	limit=$((0x40000 * 6 / 10))
	[ "$twin" = stm32f103-gpio ] && limit=$((0x40000 * 11 / 10))
	e2e_check "$twin: read_bank of mixed data: the link read $((DR - match_read)) bytes for them, under $limit" \
		test $((DR - match_read)) -lt $limit

	f_ocd "$cfg" "$D/$twin.program.log" "program $D/good.bin $addr verify" shutdown
	rc=$?
	e2e_check "$twin: program ... verify of the matching file: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: program ... verify: Verified OK" grep -q "Verified OK" "$D/$twin.program.log"
	e2e_check "$twin: nothing was written" cmp -s "$F_IMG" "$D/flash.img"
	e2e_stop_sim
done 3<<<"$ALL"

# erase_check of a nearly blank chip: exactly the sectors holding data.
if [ -z "${VERIFY_BOARDS:-}" ] || printf ' %s ' "$VERIFY_BOARDS" | grep -q " stm32h750 "; then
	head -c 16777216 /dev/zero | tr '\0' '\377' >"$F_IMG"
	for at in 0x0 0x10fff 0x123456 0x800000 0xfff000 0xffffff; do
		printf '\x00' | dd of="$F_IMG" bs=1 seek=$((at)) conv=notrunc 2>/dev/null
	done
	for at in 0x20000 0x3ff000; do
		head -c 4096 /dev/urandom | dd of="$F_IMG" bs=1 seek=$((at)) conv=notrunc 2>/dev/null
	done
	want=$(printf '%d\n' 0 $((0x10)) $((0x20)) $((0x123)) $((0x3ff)) $((0x800)) $((0xfff)) | tr '\n' ' ')
	f_fresh stm32h750 --timing typical || e2e_fail "erase_check: simulator start"
	f_ocd board/spiram-sim-stm32h750.cfg "$D/erase_check.log" init "reset init" "flash erase_check 1" shutdown
	rc=$?
	e2e_check "erase_check of a nearly blank chip: exit 0 (got $rc)" test $rc -eq 0
	got=$(sed -n 's/^[[:space:]]*#[[:space:]]*\([0-9]*\):.*not erased.*/\1/p' "$D/erase_check.log" | tr '\n' ' ')
	e2e_check "erase_check: the sectors not erased are '$want' (got '$got')" test "$got" = "$want"
	# read_bank skips the blank sectors: the same bytes, a fraction of the link traffic
	VR_R=0
	dap_read_delta
	f_ocd board/spiram-sim-stm32h750.cfg "$D/sparse-read.log" init "reset init" \
		"flash read_bank 1 $D/sparse.out 0x1001 0x400000" shutdown
	rc=$?
	dap_read_delta
	e2e_check "read_bank of 4 MiB, mostly blank, unaligned: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "read_bank, mostly blank: the file holds the image's bytes" \
		e2e_cmp_range "$D/sparse.out" 0 "$D/flash.img" $((0x1001)) $((0x400000))
	e2e_check "read_bank, mostly blank: the link read $DR bytes, under 1/16 of the range" test $DR -lt $((0x400000 / 16))
	e2e_stop_sim
fi

e2e_done
