#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every board config in tcl/board/ against the simulator:
#  - each simulated twin: start spiram-sim as its header says, run
#    `init; reset init; flash probe 0; flash probe 1; flash info 1` as a
#    user would; exit status 0, no "Error" and no "DEPRECATED" warning,
#    bank 0 is the MCU's internal flash, bank 1 is spiram_loader at
#    0x90000000 with the chip's name and datasheet size; on the QUADSPI
#    and OCTOSPI boards reset-init left the flash memory-mapped (the first word at
#    0x90000000 is the image's); nothing was erased or programmed and the
#    image file is unchanged;
#  - each real config differs from its twin only in the interface lines,
#    and parses (config stage only, no probe needed) without deprecation
#    warnings: bank 0 internal flash, bank 1 spiram_loader at 0x90000000;
#  - the OpenOCD built here reports OpenOCD's own version (not our
#    commit), and `spiram_loader info` reports ours.
#
# Values are read through Tcl (`dict get` on `flash list`, `read_memory`)
# and echoed in a form this test defines, never matched in the text
# OpenOCD prints, whose layout differs between OpenOCD versions.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

# Tcl run inside openocd: one "E2E_BANK <driver> <base> <size>" line per
# flash bank, from `flash list` (0.12.0 gives numbers, master hex text).
report_banks='foreach b [flash list] { echo [format "E2E_BANK %s 0x%08x 0x%08x" [dict get $b driver] [expr {[dict get $b base]}] [expr {[dict get $b size]}]] }'
# bank_is LOG N DRIVER BASE [SIZE]: bank N of the report (from 0) matches.
bank_is() {
	line=$(grep '^E2E_BANK ' "$1" | sed -n "$(($2 + 1))p")
	case "$line" in
	"E2E_BANK $3 $4 ${5:-}"*) return 0 ;;
	*) echo "  bank $2: got '$line', want '$3 $4 ${5:-}'"; return 1 ;;
	esac
}

# Careful: lib.sh's helpers set the globals cfg, log, board and image.
# twin config | sim board | sim options | chip name | chip size | memory-mapped | internal flash driver
# | spiram_loader's bank number (target/stm32f7x.cfg makes banks 0-2 itself,
# target/stm32l4x.cfg 0-1)
while IFS='|' read -r twin sim_board sim_opts chip size mapped bank0 qbank <&3; do
	[ -n "$twin" ] || continue
	qbank=${qbank:-1}
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
	[ "$mapped" = 1 ] &&
		cmds+=('echo [format "E2E_WORD0 %08x" [lindex [read_memory 0x90000000 32 1] 0]]')
	cmds+=("flash probe 0" "flash probe $qbank" "$report_banks"
		'echo "E2E_INFO1 [string match {*spiram_loader: '"$chip"',*} [flash info '"$qbank"']]"'
		'echo "E2E_VERSION [string match {*driver: spiram_loader '"${SPIRAM_LOADER_VERSION:-}"'*} [spiram_loader info '"$qbank"']]"'
		'echo "E2E_CTRL [lindex [regexp -inline {controller [^\n]*} [flash info '"$qbank"']] 0]"'
		'echo "E2E_FIXUPS [lindex [regexp -inline {fixups applied: [^\n]*} [spiram_loader info '"$qbank"']] 0]"'
		shutdown)
	e2e_openocd "board/$twin.cfg" "$twin_log" "${cmds[@]}"
	rc=$?
	e2e_check "$twin: openocd exit status 0 (got $rc)" test "$rc" -eq 0
	e2e_check "$twin: no error in the output" bash -c "! grep -q 'Error' '$twin_log'"
	e2e_check "$twin: no deprecation warning" bash -c "! grep -qi 'deprecated' '$twin_log'"
	e2e_check "$twin: bank 0 is the internal flash ($bank0) at 0x08000000" \
		bank_is "$twin_log" 0 "$bank0" 0x08000000
	e2e_check "$twin: bank $qbank is spiram_loader at 0x90000000 with the datasheet size $size" \
		bank_is "$twin_log" "$qbank" spiram_loader 0x90000000 "$(printf '0x%08x' "$size")"
	e2e_check "$twin: flash info $qbank names $chip" grep -q '^E2E_INFO1 1$' "$twin_log"
	e2e_check "$twin: spiram_loader info gives our version ${SPIRAM_LOADER_VERSION:-?}" \
		bash -c "[ -n '${SPIRAM_LOADER_VERSION:-}' ] && grep -q '^E2E_VERSION 1$' '$twin_log'"
	# The controller as flash info names it (pins: docs/simulator.md's
	# wiring; PA4 on STM32F1 = GPIOA BSRR 0x40010810 bit 4).
	case $twin in
	*gpio*) want_ctrl='controller gpio, pins cs 0x40010810:4 clk 0x40010810:5 mosi 0x40010810:7 miso 0x40010808:6' ;;
	*stm32f103* | *gd32f307*) want_ctrl='controller stm32_spi at 0x40013000, cs 0x40010810:4' ;;
	*stm32h7b0* | *stm32h735g*) want_ctrl='controller stm32_ospi at 0x52005000' ;;
	*stm32f746g* | *stm32l476g*) want_ctrl='controller stm32_qspi at 0xa0001000' ;;
	*) want_ctrl='controller stm32_qspi at 0x52005000' ;;
	esac
	e2e_check "$twin: flash info 1 shows '$want_ctrl'" grep -qF "E2E_CTRL $want_ctrl" "$twin_log"
	# Winbond W25Q: quad enable through 31h and no QPI (spiram_chips.c's fixup)
	case $chip in
	W25Q*) want_fixups='^E2E_FIXUPS fixups applied: 4-4-4 .*; quad enable bit written with 31h' ;;
	# a name, never a bit mask (the MX25R6435F's real BFPT has DW16 enter-4B
	# all ones: "SFDP enter-4-byte-mode field ...")
	*) want_fixups='^E2E_FIXUPS ($|fixups applied: [A-Za-z])' ;;
	esac
	e2e_check "$twin: spiram_loader info names its fixups, not a bit mask" grep -qE "$want_fixups" "$twin_log"
	if [ "$mapped" = 1 ]; then
		want=$(od -An -tx4 -N4 "$twin_image.orig" | tr -d ' ')
		e2e_check "$twin: reset-init left the flash memory-mapped (0x90000000 reads $want)" \
			grep -q "^E2E_WORD0 $want\$" "$twin_log"
	fi
	touched=$(e2e_touched_sectors)
	e2e_check "$twin: no sector erased or programmed" test -z "$touched"
	e2e_stop_sim
	e2e_check "$twin: image file unchanged" cmp -s "$twin_image" "$twin_image.orig"
done 3<<'TWINS'
spiram-sim-stm32h750|stm32h750||W25Q128JV|16777216|1|stm32h7x
spiram-sim-daisy-seed|stm32h750|--chip is25lp064a|IS25LP064A|8388608|1|stm32h7x
spiram-sim-stm32h7b0|stm32h7b0||W25Q64JV|8388608|1|stm32h7x
spiram-sim-gd32f307|gd32f307||W25Q128JV|16777216|0|stm32f1x
spiram-sim-stm32f103|stm32f103||W25Q128JV|16777216|0|stm32f1x
spiram-sim-stm32f103-gpio|stm32f103|--wiring gpio|W25Q128JV|16777216|0|stm32f1x
spiram-sim-stm32f746g-disco|stm32f746g||N25Q128A|16777216|1|stm32f2x|3
spiram-sim-stm32l476g-disco|stm32l476g||MX25R6435F|8388608|1|stm32l4x|2
spiram-sim-stm32h735g-dk|stm32h735g-dk||MX25LM51245G|67108864|1|stm32h7x
TWINS

# Real configs: same lines as the twin once comments and the interface
# part (everything before the board logic is sourced) are gone; the twin's
# interface is the simulator, the real one's is not.
strip() {
	sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$1" |
		sed -n '/^source \[find spiram\/board-/,$p'
}
board_dir=$SPIRAM_TCL/board
for twin in "$board_dir"/spiram-sim-*.cfg; do
	name=$(basename "$twin" .cfg)
	real=$board_dir/spiram-${name#spiram-sim-}.cfg
	case $name in *-stmqspi) continue ;; esac	# simulator-only checks of upstream's driver
	# target/stm32f7x.cfg declares its internal flash at 0 (stm32f2x sets
	# the base at probe) and banks 0-2 before ours; target/stm32l4x.cfg
	# banks 0-1 (flash and OTP)
	case $name in
	*stm32f746g*) qbank=3 bank0_base=0x00000000 ;;
	*stm32l476g*) qbank=2 bank0_base=0x08000000 ;;
	*) qbank=1 bank0_base=0x08000000 ;;
	esac
	e2e_check "$name: has a real board config" test -f "$real"
	[ -f "$real" ] || continue
	e2e_check "$name: differs from $(basename "$real") only in the interface lines" \
		cmp -s <(strip "$twin") <(strip "$real")
	e2e_check "$name: sources interface/spiram-sim.cfg" \
		grep -q '^source \[find interface/spiram-sim.cfg\]' "$twin"
	e2e_check "$(basename "$real"): sources a real probe's interface" \
		bash -c "grep -q '^source \[\(find interface/\|spiram_stlink_dap_cfg\)' '$real' && ! grep -q 'spiram-sim' <(sed 's/#.*//' '$real')"
	parse_log=$E2E_DIR/$(basename "$real" .cfg).parse.log
	"$OPENOCD" -s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS" -f "$real" -c "$report_banks" -c shutdown \
		>"$parse_log" 2>&1
	rc=$?
	e2e_check "$(basename "$real"): parses (exit $rc)" test "$rc" -eq 0
	e2e_check "$(basename "$real"): parses without deprecation warnings" \
		bash -c "! grep -qi 'deprecated' '$parse_log'"
	e2e_check "$(basename "$real"): bank 0 internal flash at $bank0_base" \
		bash -c "grep '^E2E_BANK ' '$parse_log' | head -n 1 | grep -q '^E2E_BANK stm32[a-z0-9]* $bank0_base '"
	e2e_check "$(basename "$real"): bank $qbank spiram_loader at 0x90000000" \
		bank_is "$parse_log" "$qbank" spiram_loader 0x90000000
done

# OpenOCD's own version: the copy it was built from sits inside our git
# repository, and OpenOCD's guess-rev.sh must not report our commit.
version_line=$("$OPENOCD" --version 2>&1 | head -n 1)
ours=$(git -C "$srcdir" rev-parse --short=7 HEAD 2>/dev/null || true)
e2e_check "openocd --version is OpenOCD's own ($version_line)" \
	bash -c "[[ '$version_line' == 'Open On-Chip Debugger '* ]] && { [ -z '$ours' ] || [[ '$version_line' != *'$ours'* ]]; }"

e2e_done
