#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every `openocd ... -c ...` example in README.md and docs/*.md, run as
# written on the simulated twin of its board, prints what it promises.
# A real board's config (board/spiram-X.cfg) runs as its twin
# (board/spiram-sim-X.cfg) against spiram-sim with that board's options.
# Each command of an example has an expected output (below); a documented
# command without one fails the test, so a new example gets a check.
# Ground truth: the simulator's image file (read_bank's dump, program's data).
. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

# Simulator options for a board config's name (README's board table).
sim_args() {
	case $1 in
	stm32h750) echo "stm32h750" ;;
	stm32h7b0) echo "stm32h7b0" ;;
	daisy-seed) echo "stm32h750 --chip is25lp064a" ;;
	gd32f307) echo "gd32f307" ;;
	stm32f103) echo "stm32f103" ;;
	stm32f103-gpio) echo "stm32f103 --wiring gpio" ;;
	stm32f746g-disco) echo "stm32f746g" ;;
	stm32l476g-disco) echo "stm32l476g" ;;
	*) return 1 ;;
	esac
}

# The output a command promises, as an extended regex; checks on the image
# go in check_effect.
expect_for() {
	case $1 in
	init | "reset init" | halt) echo "" ;;
	"set SPIRAM_GDB_ATTACH halt") echo "" ;;
	shutdown) echo "shutdown command invoked" ;;
	"flash read_bank 1 dump.bin") echo "^wrote [0-9]+ bytes to file dump\.bin from flash bank 1" ;;
	"flash info 1") echo "^#1 : spiram_loader at 0x90000000, size 0x[0-9a-f]+" ;;
	"flash probe 1") echo "^flash 'spiram_loader' found at 0x90000000" ;;
	"spiram_loader info 1") echo "^spiram_loader: .*JEDEC ID" ;;
	"program fw.bin 0x90000000 verify reset exit") echo "^\*\* Verified OK \*\*" ;;
	*) return 1 ;;
	esac
}

check_effect() {	# check_effect COMMAND IMAGE
	case $1 in
	"flash read_bank 1 dump.bin")
		e2e_check "  dump.bin is the chip's content" cmp -s dump.bin "$2" ;;
	"program fw.bin 0x90000000 verify reset exit")
		e2e_check "  the chip holds fw.bin at offset 0" e2e_cmp_range fw.bin 0 "$2" 0 "$(stat -c %s fw.bin)" ;;
	esac
}

examples=$E2E_DIR/examples.txt
grep -h -E '^[[:space:]]*openocd .*-c' "$srcdir/README.md" "$srcdir"/docs/*.md | sed 's/^[[:space:]]*//' > "$examples"
n=$(wc -l < "$examples")
e2e_check "the docs hold openocd examples ($n)" [ "$n" -ge 3 ]

cd "$E2E_DIR" || exit 1
ex=0
while IFS= read -r line; do
	ex=$((ex + 1))
	echo "# example $ex: $line"
	eval "set -- ${line#openocd }"
	args=() cmds=() board=
	while [ $# -gt 0 ]; do
		case $1 in
		-f)
			cfg=$2
			if [[ $cfg =~ ^board/spiram-(sim-)?(.*)\.cfg$ ]]; then
				board=${BASH_REMATCH[2]}
				cfg=board/spiram-sim-$board.cfg
			fi
			args+=(-f "$cfg"); shift 2 ;;
		-s) shift 2 ;;	# the test's own script paths are given below
		-c)
			args+=(-c "$2")
			IFS=';' read -r -a parts <<<"$2"
			for c in "${parts[@]}"; do
				c=$(echo "$c" | sed 's/^ *//; s/ *$//')
				[ -n "$c" ] && cmds+=("$c")
			done
			shift 2 ;;
		*) args+=("$1"); shift ;;
		esac
	done
	if [ -z "$board" ] || ! sa=$(sim_args "$board"); then
		e2e_fail "example $ex: no simulated twin for its board config"
		continue
	fi
	# A server example (it leaves openocd running for GDB or telnet) is
	# checked up to its configuration: a shutdown is appended.
	if ! printf '%s\n' "${cmds[@]}" | grep -qE '^shutdown$| exit$'; then
		echo "  (server example: runs with -c shutdown appended)"
		args+=(-c shutdown)
	fi
	rm -f sim.img dump.bin
	head -c 70001 /dev/urandom > fw.bin
	# shellcheck disable=SC2086
	e2e_start_sim ${sa%% *} sim.img $( [ "$sa" != "${sa%% *}" ] && echo "${sa#* }") || { e2e_fail "example $ex: simulator"; continue; }
	log=$E2E_DIR/example-$ex.log
	# an example must end (shutdown, or program's exit): a server left
	# running is killed after 120 s and fails
	timeout 120 "$OPENOCD" -s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS" -c "set VDEBUGPORT $E2E_PORT" \
		-f spiram/spiram-compat.tcl -c "spiram_server_port gdb disabled" \
		-c "spiram_server_port telnet disabled" -c "spiram_server_port tcl disabled" \
		"${args[@]}" > "$log" 2>&1
	rc=$?
	e2e_check "example $ex exits with status 0 (got $rc; 124: still running after 120 s)" [ $rc -eq 0 ]
	for c in "${cmds[@]}"; do
		if ! re=$(expect_for "$c"); then
			e2e_fail "example $ex: no expected output known for '$c' (add one to this test)"
			continue
		fi
		[ -n "$re" ] || continue
		e2e_check "example $ex: '$c' prints /$re/" grep -qE "$re" "$log"
		check_effect "$c" sim.img
	done
	e2e_stop_sim
done < "$examples"

# The chained form prints nothing of the middle commands on this OpenOCD
# (0.12.0): the reason the docs give one -c per command.
e2e_start_sim stm32h750 sim.img || e2e_fail "simulator"
e2e_openocd board/spiram-sim-stm32h750.cfg chained.log "init; reset init; flash info 1; shutdown"
if grep -q "^#1 : spiram_loader" chained.log; then
	echo "note: this OpenOCD prints every command of a -c chain"
else
	echo "note: this OpenOCD prints only the last command of a -c chain (as 0.12.0)"
fi
e2e_done
