#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Compressed writes (docs/driver.md, "Compressed writes"), judged by the
# simulator's image and its DAP counters, on the H750 QUADSPI twin (the
# chip's datasheet timing), the GD32F307 SPI twin and the STM32F103
# bit-banged twin: `flash write_bank` of 256 KiB of mixed data (the
# toolchain's Thumb code, blank, repetitive text, random) onto other data
#  - lands exactly (the image's bytes), nothing outside the range changes;
#  - with `spiram_loader compress` on (the default), the debug link carries
#    under 3/4 of the data where the work area leaves room for the stub's
#    buffer (H750, GD32F307), and no more than the data plus framing on
#    the F103's 20 KiB of SRAM, where the stub gets no buffer;
#  - with it off, the link carries at least the pages that are not blank;
#  - `spiram_loader compress 1` prints the setting;
#  - a write whose first run skips sectors that already hold the data, in
#    the middle of the compressible part, lands exactly: the blocks
#    compressed ahead (while the stub takes the chip's CRCs) are used up
#    to the first skipped sector, and the ones after it are compressed
#    with the history those left (the debug log says how many were used);
#  - on the H750 twin, whose board gives the whole 128 KiB DTCM, data that
#    repeats 40 KiB back crosses compressed, over the ST-Link model (a link
#    slower than the chip) and over the CMSIS-DAP one: the stub's window
#    reaches 64 KiB.

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

D=$E2E_DIR
F_IMG=$D/base.img
e2e_random_file "$F_IMG" 16777216
LEN=$((0x40000))
A=$((0x400000))
B=$((0x500000))
lib=$("${ARM_CC:-arm-none-eabi-gcc}" -mthumb -mcpu=cortex-m3 -print-file-name=libc_nano.a 2>/dev/null)
{
	if [ -f "$lib" ]; then head -c 65536 "$lib"; else yes 'bx lr; push {r4, lr}' | head -c 65536; fi
	head -c 65536 /dev/zero | tr '\0' '\377'
	yes 'spiram_loader: program page' | head -c 65536
	head -c 65536 /dev/urandom
} >"$D/mix.bin"
# mix.bin with one byte changed in each of sectors 0-3 and 8-15 (the Thumb
# code): written over mix.bin, sectors 4-7 already hold the data
cp "$D/mix.bin" "$D/mix3.bin"
for sec in 0 1 2 3 8 9 10 11 12 13 14 15; do
	printf '\x5a' | dd of="$D/mix3.bin" bs=1 seek=$((sec * 4096 + 100)) conv=notrunc 2>/dev/null
done
C=$((0x600000))

# DAP bytes written since the last call
VW=0
dap_written_delta() {
	w=$(e2e_stat dap.mem_bytes_written)
	DW=$((w - VW))
	VW=$w
}

ALL="stm32h750|stm32h750 --timing typical
gd32f307|gd32f307
stm32f103-gpio|stm32f103 --wiring gpio"

while IFS='|' read -r twin sim <&3; do
	[ -n "$twin" ] || continue
	cfg=board/spiram-sim-$twin.cfg
	# shellcheck disable=SC2086
	f_fresh $sim || { e2e_fail "$twin: simulator start"; continue; }
	VW=0
	dap_written_delta
	# what a session writes anyway (the stub, its parameters): a session
	# that only probes
	f_ocd "$cfg" "$D/$twin.probe.log" init "reset init" "flash probe 1" "spiram_loader compress 1" shutdown
	dap_written_delta
	base=$DW
	e2e_check "$twin: compress prints its setting, on by default" grep -qx "on" "$D/$twin.probe.log"

	f_ocd "$cfg" "$D/$twin.lz.log" init "reset init" "flash write_bank 1 $D/mix.bin $A" shutdown
	rc=$?
	dap_written_delta
	lz=$((DW - base))
	e2e_check "$twin: write_bank of 256 KiB of mixed data: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: write_bank: the image holds the data" e2e_cmp_range "$D/flash.img" $A "$D/mix.bin" 0 $LEN
	e2e_check "$twin: write_bank: nothing before the range changed" e2e_cmp_range "$D/flash.img" 0 "$F_IMG" 0 $A
	e2e_check "$twin: write_bank: nothing after it changed" \
		e2e_cmp_range "$D/flash.img" $((A + LEN)) "$F_IMG" $((A + LEN)) $((B - A - LEN))

	f_ocd "$cfg" "$D/$twin.plain.log" init "reset init" "spiram_loader compress 1 off" \
		"flash write_bank 1 $D/mix.bin $B" shutdown
	rc=$?
	dap_written_delta
	plain=$((DW - base))
	e2e_check "$twin: write_bank with compress off: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: compress off: the image holds the data" e2e_cmp_range "$D/flash.img" $B "$D/mix.bin" 0 $LEN
	e2e_check "$twin: compress off: the link carried $plain bytes, at least the 192 KiB not blank" \
		test $plain -ge $((LEN * 3 / 4))
	if [ "$twin" = stm32f103-gpio ]; then
		e2e_check "$twin: compress on, no room for the stub's buffer: the link carried $lz bytes, no more than off ($plain) + 1%" \
			test $lz -le $((plain + plain / 100))
	else
		e2e_check "$twin: compress on: the link carried $lz bytes, under 3/4 of what it carried off ($plain)" \
			test $lz -lt $((plain * 3 / 4))

		f_ocd "$cfg" "$D/$twin.skip.log" init "reset init" "flash write_bank 1 $D/mix.bin $C" \
			"debug_level 3" "flash write_bank 1 $D/mix3.bin $C" shutdown
		rc=$?
		e2e_check "$twin: mix3 over mix: exit 0 (got $rc)" test $rc -eq 0
		e2e_check "$twin: mix3 over mix: the image holds mix3" e2e_cmp_range "$D/flash.img" $C "$D/mix3.bin" 0 $LEN
		e2e_check "$twin: mix3 over mix: the sector before it kept its bytes" \
			e2e_cmp_range "$D/flash.img" $((C - 4096)) "$F_IMG" $((C - 4096)) 4096
		e2e_check "$twin: mix3 over mix: the sector after it kept its bytes" \
			e2e_cmp_range "$D/flash.img" $((C + LEN)) "$F_IMG" $((C + LEN)) 4096
		used=$(sed -n 's/.* \([0-9]*\) of \([0-9]*\) blocks compressed ahead were used.*/\1 \2/p' \
			"$D/$twin.skip.log" | tail -n 1)
		read -r u m <<<"${used:-0 0}"
		e2e_check "$twin: mix3 over mix: $u of $m blocks compressed ahead were used, from sector 0 up to the skipped sector 4" \
			test "$u" -ge 1 -a "$u" -lt "$m" -a "$u" -le 4
	fi
	e2e_stop_sim
done 3<<<"$ALL"

# The H7 boards give the driver their whole DTCM (128 KiB): the stub's LZ4
# window reaches 64 KiB back, over a link slower than the chip (ST-Link
# model: the FIFO area split, the FIFO at most 40 KiB) as over a fast one.
# rr.bin is r40.bin twice, whose 4 KiB blocks are 3 KiB of random data and
# 1 KiB of zeros: each crosses as a PROGRAM_LZ frame of about 3.1 KB on its
# own, and the second copy's blocks match the first's 40 KiB back, which a
# window of 32 KiB or less (a 64 KiB work area's) cannot reach.  With the
# 64 KiB window the frames come to about 37 KB; with a 32 KiB one (a 36 KiB
# buffer) to about 62 KB (liblz4 through spiram_lz.c on the host).
for i in 0 1 2 3 4 5 6 7 8 9; do
	head -c 3072 /dev/urandom
	head -c 1024 /dev/zero
done >"$D/r40.bin"
cat "$D/r40.bin" "$D/r40.bin" >"$D/rr.bin"
RR=$((0x700000))
RR_LEN=81920
for link in stlink-v2 cmsis-dap-hs; do
	f_fresh stm32h750 --timing typical --link $link || { e2e_fail "$link: simulator start"; continue; }
	f_ocd board/spiram-sim-stm32h750.cfg "$D/rr-$link.log" init "reset init" "debug_level 3" \
		"flash write_bank 1 $D/rr.bin $RR" shutdown
	rc=$?
	e2e_check "$link: write_bank of 40 KiB twice: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$link: the image holds the data" e2e_cmp_range "$D/flash.img" $RR "$D/rr.bin" 0 $RR_LEN
	e2e_check "$link: the sector before kept its bytes" \
		e2e_cmp_range "$D/flash.img" $((RR - 4096)) "$F_IMG" $((RR - 4096)) 4096
	e2e_check "$link: the sector after kept its bytes" \
		e2e_cmp_range "$D/flash.img" $((RR + RR_LEN)) "$F_IMG" $((RR + RR_LEN)) 4096
	e2e_check "$link: the work area is the H750's whole DTCM" \
		grep -q "work area 0x20000000 size 131072" "$D/rr-$link.log"
	frames=$(sed -n 's/.*crossed the link as \([0-9]*\) bytes of frames.*/\1/p' "$D/rr-$link.log" | tail -n 1)
	e2e_check "$link: the data crossed as ${frames:-?} bytes of frames, under 5/8 of its $RR_LEN" \
		test "${frames:-999999}" -lt $((RR_LEN * 5 / 8))
	e2e_stop_sim
done

e2e_done
