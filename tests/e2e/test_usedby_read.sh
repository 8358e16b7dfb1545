#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 1: reading the external flash as a user does,
#   openocd -f board/spiram-sim-<board>.cfg \
#           -c "init; reset init; flash read_bank 1 dump.bin; shutdown"
# on each simulated twin (image pre-filled with random bytes):
#  - the dump is byte-equal to the image: the whole 16 MiB on the H750
#    (QUADSPI, ~5 s), the whole 8 MiB on the H7B0 (OCTOSPI1); on the SPI twins the first 4 MiB (a whole-chip dump
#    takes 21-26 s there; UB_SPI_DUMP=all runs it), on the bit-banged F103
#    the first 1 MiB (~4 s; UB_GPIO_DUMP=all for the whole chip);
#  - a partial read at an odd offset with an odd length across a 4 KiB
#    sector line and a 64 KiB block line (0x2403 bytes at 0x7FF01);
#  - the last 16 bytes and the last byte of the chip;
#  - a read past the end of the bank fails and says so;
#  - nothing was erased or programmed and the image is unchanged.
# Each read's wall time is printed (see also tests/bench/bench.sh).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

# twin | sim board | sim options | bytes for the whole-chip style dump | chip size (default 16 MiB)
while IFS='|' read -r twin sim_board sim_opts dump_len size <&3; do
	[ -n "$twin" ] || continue
	size=${size:-16777216}
	last=$((size - 1))
	img=$E2E_DIR/$twin.img
	e2e_random_file "$img" $size
	cp "$img" "$img.orig"
	# shellcheck disable=SC2086
	if ! e2e_start_sim "$sim_board" "$img" $sim_opts; then
		e2e_fail "$twin: simulator start"
		continue
	fi
	cfg=board/$twin.cfg

	# 1. the whole chip, exactly as users type it
	dump=$E2E_DIR/$twin.dump.bin
	if [ "$dump_len" = all ]; then
		ub_seconds ub_openocd "$cfg" "$E2E_DIR/$twin.full.log" \
			"init; reset init; flash read_bank 1 $dump; shutdown"
		rc=$?
		e2e_check "$twin: read_bank 1 (whole chip): exit 0 (got $rc), ${UB_SECONDS} s" test $rc -eq 0
		e2e_check "$twin: the dump is byte-equal to the image ($((size >> 20)) MiB)" cmp -s "$dump" "$img"
	else
		ub_seconds ub_openocd "$cfg" "$E2E_DIR/$twin.full.log" \
			"init; reset init; flash read_bank 1 $dump 0 $dump_len; shutdown"
		rc=$?
		e2e_check "$twin: read_bank 1 0 $dump_len: exit 0 (got $rc), ${UB_SECONDS} s" test $rc -eq 0
		e2e_check "$twin: the dump is byte-equal to the image's first $dump_len bytes" \
			ub_cmp_range "$dump" 0 "$img" 0 "$dump_len"
		e2e_check "$twin: the dump has exactly $dump_len bytes" \
			test "$(stat -c %s "$dump" 2>/dev/null)" = "$((dump_len))"
	fi

	# 2. partial reads: odd offset and length across a sector line; the
	#    last 16 bytes; the last byte
	part=$E2E_DIR/$twin.part.bin
	tail16=$E2E_DIR/$twin.tail16.bin
	tail1=$E2E_DIR/$twin.tail1.bin
	ub_openocd "$cfg" "$E2E_DIR/$twin.part.log" init "reset init" \
		"flash read_bank 1 $part 0x7FF01 0x2403" \
		"flash read_bank 1 $tail16 $((size - 16)) 16" \
		"flash read_bank 1 $tail1 $last 1" shutdown
	rc=$?
	e2e_check "$twin: partial reads: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: 0x2403 bytes at 0x7FF01 equal the image" \
		bash -c "[ \$(stat -c %s '$part' 2>/dev/null) = $((0x2403)) ] && cmp -s <(tail -c +$((0x7FF01 + 1)) '$img' | head -c $((0x2403))) '$part'"
	e2e_check "$twin: the last 16 bytes of the chip equal the image" \
		ub_cmp_range "$tail16" 0 "$img" $((size - 16)) 16
	e2e_check "$twin: the last byte of the chip equals the image" \
		ub_cmp_range "$tail1" 0 "$img" $last 1

	# 3. past the end: refused with a message, nothing read
	ub_openocd "$cfg" "$E2E_DIR/$twin.past.log" init "reset init" \
		"flash read_bank 1 $E2E_DIR/$twin.past.bin $last 2" shutdown
	rc=$?
	e2e_check "$twin: a read of 2 bytes at the last byte fails (exit $rc)" test $rc -ne 0
	e2e_check "$twin: ... saying it is beyond the bank" grep -qi "beyond\|out of range\|exceed" "$E2E_DIR/$twin.past.log"

	touched=$(e2e_touched_sectors)
	e2e_check "$twin: no sector erased or programmed (counters)" test -z "$touched"
	e2e_check "$twin: no page program or erase command reached the chip" \
		test "$(e2e_stat chip.page_programs)/$(e2e_stat chip.erases)" = 0/0
	e2e_stop_sim
	e2e_check "$twin: image file unchanged" cmp -s "$img" "$img.orig"
done 3<<TWINS
spiram-sim-stm32h750|stm32h750||all
spiram-sim-stm32h7b0|stm32h7b0||all|8388608
spiram-sim-gd32f307|gd32f307||${UB_SPI_DUMP:-0x400000}
spiram-sim-stm32f103|stm32f103||${UB_SPI_DUMP:-0x400000}
spiram-sim-stm32f103-gpio|stm32f103|--wiring gpio|${UB_GPIO_DUMP:-0x100000}
TWINS

e2e_done
