#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Smoke test: stock OpenOCD against spiram-sim on every board.  For each
# board: start the simulator on a free port with a temporary image, run
# init / halt / flash probe 0 / IDCODE read / reset halt / step / hardware
# and software breakpoints / shutdown, and require exit status 0 and no
# "Error" in OpenOCD's output.  Needs $OPENOCD and $SPIRAM_SIM (exit 77 =
# skipped when either is missing).

set -u
srcdir=${srcdir:-.}
tcldir=${SPIRAM_TCL:-$srcdir/tcl}

if [ -z "${OPENOCD:-}" ] || [ ! -x "$OPENOCD" ]; then
	echo "SKIP: OPENOCD not set or not executable"
	exit 77
fi
if [ -z "${SPIRAM_SIM:-}" ] || [ ! -x "$SPIRAM_SIM" ]; then
	echo "SKIP: SPIRAM_SIM not set or not executable"
	exit 77
fi

work=$(mktemp -d)
sim_pid=
cleanup() {
	if [ -n "$sim_pid" ]; then
		kill -TERM "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
	fi
	rm -rf "$work"
}
trap cleanup EXIT

# board  DBGMCU_IDCODE address  expected IDCODE
boards="stm32h750:0x5C001000:0x20036450 gd32f307:0xE0042000:0x10030414 stm32f103:0xE0042000:0x20036410"
failed=0

for entry in $boards; do
	board=${entry%%:*}
	rest=${entry#*:}
	idaddr=${rest%%:*}
	idval=${rest#*:}

	"$SPIRAM_SIM" --board "$board" --image "$work/$board.bin" --port 0 \
		--stats "$work/$board.stats" 2> "$work/$board.sim.log" &
	sim_pid=$!
	port=
	for _ in $(seq 1 100); do
		port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' "$work/$board.sim.log")
		[ -n "$port" ] && break
		sleep 0.1
	done
	if [ -z "$port" ]; then
		echo "FAIL $board: simulator did not start"
		cat "$work/$board.sim.log"
		failed=1
		continue
	fi

	# the idle program's reset handler is `b .` at 0x08000040
	timeout 120 "$OPENOCD" -s "$tcldir" -c "set VDEBUGPORT $port" \
		-f "board/spiram-sim-$board.cfg" \
		-c "init; halt; flash probe 0" \
		-c "set id [read_memory $idaddr 32 1]; echo \"IDCODE \$id\"" \
		-c "reset halt; step; bp 0x08000040 2 hw; resume; sleep 100; halt; rbp 0x08000040" \
		-c "bp 0x20000100 2; rbp 0x20000100; shutdown" > "$work/$board.ocd.log" 2>&1
	rc=$?
	kill -TERM "$sim_pid" 2>/dev/null
	wait "$sim_pid" 2>/dev/null
	sim_pid=

	if [ $rc -ne 0 ] || grep -q "Error" "$work/$board.ocd.log" ||
	   ! grep -qi "IDCODE $idval" "$work/$board.ocd.log" ||
	   ! grep -q "halted due to breakpoint" "$work/$board.ocd.log"; then
		echo "FAIL $board: openocd rc=$rc"
		cat "$work/$board.ocd.log"
		echo "--- simulator:"
		cat "$work/$board.sim.log"
		failed=1
	else
		echo "PASS $board ($(grep -c . "$work/$board.stats") counters, $(grep '^dap.transactions' "$work/$board.stats"))"
	fi
done
exit $failed
