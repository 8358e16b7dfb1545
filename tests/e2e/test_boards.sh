#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every board config in tcl/board/ against the simulator:
#  - each simulated twin: start spiram-sim as its header says, run
#    `init; reset init; flash probe 0; flash probe 1; flash info 1` as a
#    user would; exit status 0, no "Error", bank 0 is the MCU's internal
#    flash, bank 1 is spiram_loader at 0x90000000 with the chip's name and
#    datasheet size; on the QUADSPI boards reset-init left the flash
#    memory-mapped (the first word at 0x90000000 is the image's); nothing
#    was erased or programmed and the image file is unchanged;
#  - each real config differs from its twin only in the interface lines,
#    and parses (config stage only, no probe needed): bank 0 internal
#    flash, bank 1 spiram_loader at 0x90000000.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

# Careful: lib.sh's helpers set the globals cfg, log, board and image.
# twin config | sim board | sim options | chip name | chip size | memory-mapped | internal flash driver
while IFS='|' read -r twin sim_board sim_opts chip size mapped bank0 <&3; do
	[ -n "$twin" ] || continue
	twin_image=$E2E_DIR/$twin.img
	e2e_random_file "$twin_image" "$size"
	cp "$twin_image" "$twin_image.orig"
	# shellcheck disable=SC2086
	if ! e2e_start_sim "$sim_board" "$twin_image" $sim_opts; then
		e2e_fail "$twin: simulator start"
		continue
	fi
	twin_log=$E2E_DIR/$twin.log
	cmds=(init "reset init")
	[ "$mapped" = 1 ] && cmds+=("mdw 0x90000000")
	cmds+=("flash probe 0" "flash probe 1" "flash info 1" shutdown)
	e2e_openocd "board/$twin.cfg" "$twin_log" "${cmds[@]}"
	rc=$?
	e2e_check "$twin: openocd exit status 0 (got $rc)" test "$rc" -eq 0
	e2e_check "$twin: no error in the output" bash -c "! grep -q 'Error' '$twin_log'"
	e2e_check "$twin: bank 0 is the internal flash ($bank0)" \
		grep -q "flash '$bank0' found at 0x08000000" "$twin_log"
	e2e_check "$twin: bank 1 is spiram_loader at 0x90000000" \
		grep -q "flash 'spiram_loader' found at 0x90000000" "$twin_log"
	e2e_check "$twin: flash info 1 names $chip" grep -q "spiram_loader: $chip," "$twin_log"
	e2e_check "$twin: flash info 1 gives the datasheet size $size" \
		grep -q "#1 : spiram_loader at 0x90000000, size $(printf '0x%08x' "$size")" "$twin_log"
	if [ "$mapped" = 1 ]; then
		want=$(od -An -tx4 -N4 "$twin_image.orig" | tr -d ' ')
		e2e_check "$twin: reset-init left QUADSPI memory-mapped (0x90000000 reads $want)" \
			grep -q "^0x90000000: $want" "$twin_log"
	fi
	touched=$(e2e_touched_sectors)
	e2e_check "$twin: no sector erased or programmed" test -z "$touched"
	e2e_stop_sim
	e2e_check "$twin: image file unchanged" cmp -s "$twin_image" "$twin_image.orig"
done 3<<'TWINS'
spiram-sim-stm32h750|stm32h750||W25Q128JV|16777216|1|stm32h7x
spiram-sim-daisy-seed|stm32h750|--chip is25lp064a|IS25LP064A|8388608|1|stm32h7x
spiram-sim-gd32f307|gd32f307||W25Q128JV|16777216|0|stm32f1x
spiram-sim-stm32f103|stm32f103||W25Q128JV|16777216|0|stm32f1x
spiram-sim-stm32f103-gpio|stm32f103|--wiring gpio|W25Q128JV|16777216|0|stm32f1x
TWINS

# Real configs: same lines as the twin once comments and interface lines
# are gone; the twin's interface is the simulator, the real one's is not.
strip() {
	sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1" |
		grep -v -e 'interface/' -e '^[[:space:]]*transport select'
}
board_dir=$SPIRAM_TCL/board
for twin in "$board_dir"/spiram-sim-*.cfg; do
	name=$(basename "$twin" .cfg)
	real=$board_dir/spiram-${name#spiram-sim-}.cfg
	[ "$name" = spiram-sim-stm32h750-stmqspi ] && continue	# a simulator-only check
	e2e_check "$name: has a real board config" test -f "$real"
	[ -f "$real" ] || continue
	e2e_check "$name: differs from $(basename "$real") only in the interface lines" \
		cmp -s <(strip "$twin") <(strip "$real")
	e2e_check "$name: sources interface/spiram-sim.cfg" \
		grep -q '^source \[find interface/spiram-sim.cfg\]' "$twin"
	e2e_check "$(basename "$real"): sources a real probe's interface" \
		bash -c "grep -q '^source \[find interface/' '$real' && ! grep -q 'spiram-sim' <(sed 's/#.*//' '$real')"
	parse_log=$E2E_DIR/$(basename "$real" .cfg).parse.log
	"$OPENOCD" -s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS" -f "$real" \
		-c 'echo "BANKS [flash list]"' -c shutdown >"$parse_log" 2>&1
	rc=$?
	e2e_check "$(basename "$real"): parses (exit $rc)" test "$rc" -eq 0
	e2e_check "$(basename "$real"): bank 0 internal flash at 0x08000000, bank 1 spiram_loader at 0x90000000" \
		grep -q "^BANKS {name [^ ]* driver stm32[a-z0-9]* base 134217728 .*} {name [^ ]* driver spiram_loader base 2415919104 " "$parse_log"
done

e2e_done
