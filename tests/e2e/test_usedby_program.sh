#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 2: `program` as users type it,
#   openocd -f board/spiram-sim-<board>.cfg -c "program fw.bin 0x90000000 verify reset exit"
# then the same with another file at 0x90100000, then
#   openocd -f board/spiram-sim-<board>.cfg -c init -c "reset init" \
#           -c "flash write_image erase fw3.bin 0x90200003" -c shutdown
# on the H750 (verify reads the memory-mapped flash), H7B0 (OCTOSPI1,
# chip timed at datasheet typical: --timing typical), GD32F307, STM32F103
# and bit-banged STM32F103 twins (verify_image is routed to `flash
# verify_image`, tcl/spiram/spiram-helpers.tcl).
# After each run, against the image taken before it:
#  - exit status 0 and OpenOCD's "Verified OK";
#  - the image holds the file at the bank offset, the rest of the sectors
#    it covers reads 0xFF (erased), and nothing else changed (whole-image
#    comparison);
#  - the simulator's counters list exactly the sectors the file covers as
#    erased/programmed.
# The files have odd lengths (0x3401, 0x1003, 0x2001; the last at an odd
# address) so the first and last sectors are partly written.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

fw1_len=$((0x3401))
fw2_len=$((0x1003))
fw3_len=$((0x2001))
e2e_random_file "$E2E_DIR/fw1.bin" $fw1_len
e2e_random_file "$E2E_DIR/fw2.bin" $fw2_len
e2e_random_file "$E2E_DIR/fw3.bin" $fw3_len
ub_fill "$E2E_DIR/ff.bin" 8192 255

# program_and_check TWIN FILE LEN OFFSET EXPECTED_SECTORS_FILE [write_image]
program_and_check() {
	twin=$1; fw=$2; len=$3; off=$4; want=$5; how=${6:-program}
	cp "$img" "$E2E_DIR/before.img"
	log=$E2E_DIR/$twin.$(printf '%x' "$off").log
	addr=$(printf '0x%08x' $((0x90000000 + off)))
	if [ "$how" = write_image ]; then
		ub_seconds ub_openocd "board/$twin.cfg" "$log" init "reset init" "flash write_image erase $fw $addr" shutdown
	else
		ub_seconds ub_openocd "board/$twin.cfg" "$log" "program $fw $addr verify reset exit"
	fi
	rc=$?
	tag="$twin: $how $(basename "$fw") at $addr"
	e2e_check "$tag: exit 0 (got $rc), ${UB_SECONDS} s" test $rc -eq 0
	if [ "$how" = write_image ]; then
		e2e_check "$tag: OpenOCD says it wrote $len bytes" grep -q "^wrote $len bytes from file" "$log"
	else
		e2e_check "$tag: OpenOCD says Verified OK" grep -q "Verified OK" "$log"
	fi
	e2e_check "$tag: the image holds the file" ub_cmp_range "$img" "$off" "$fw" 0 "$len"
	end=$((off + len))
	pad=$(( (end + 4095) / 4096 * 4096 - end ))
	# smart programming keeps the bytes of a sector that the file does
	# not cover (docs/driver.md, "Smart programming")
	e2e_check "$tag: nothing else in the image changed (the rest of its last sector, $pad bytes, kept)" \
		ub_same_outside "$E2E_DIR/before.img" "$img" "$off" $len
	got=$(e2e_touched_sectors)
	e2e_check "$tag: counters: erased/programmed sectors are exactly $(tr '\n' ' ' <"$want")" \
		test "$got" = "$(cat "$want")"
}

# twin | sim board | sim options | chip size (default 16 MiB)
while IFS='|' read -r twin sim_board sim_opts size <&3; do
	[ -n "$twin" ] || continue
	size=${size:-16777216}
	img=$E2E_DIR/$twin.img
	e2e_random_file "$img" $size
	# shellcheck disable=SC2086
	if ! e2e_start_sim "$sim_board" "$img" $sim_opts; then
		e2e_fail "$twin: simulator start"
		continue
	fi
	ub_sectors_of 0 $fw1_len >"$E2E_DIR/want1"
	program_and_check "$twin" "$E2E_DIR/fw1.bin" $fw1_len 0 "$E2E_DIR/want1"
	{ cat "$E2E_DIR/want1"; ub_sectors_of $((0x100000)) $fw2_len; } >"$E2E_DIR/want2"
	program_and_check "$twin" "$E2E_DIR/fw2.bin" $fw2_len $((0x100000)) "$E2E_DIR/want2"
	{ cat "$E2E_DIR/want2"; ub_sectors_of $((0x200003)) $fw3_len; } >"$E2E_DIR/want3"
	program_and_check "$twin" "$E2E_DIR/fw3.bin" $fw3_len $((0x200003)) "$E2E_DIR/want3" write_image
	e2e_check "$twin: the first file is still at 0x90000000" \
		ub_cmp_range "$img" 0 "$E2E_DIR/fw1.bin" 0 $fw1_len
	e2e_check "$twin: no program or erase was refused by protection (counters)" \
		test "$(e2e_stat chip.ignored_protected)" = 0
	e2e_stop_sim
done 3<<'TWINS'
spiram-sim-stm32h750|stm32h750
spiram-sim-stm32h7b0|stm32h7b0|--timing typical|8388608
spiram-sim-gd32f307|gd32f307
spiram-sim-stm32f103|stm32f103
spiram-sim-stm32f103-gpio|stm32f103|--wiring gpio
TWINS

e2e_done
