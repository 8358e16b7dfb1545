#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# GDB attach with and without reset (tcl/spiram/spiram-helpers.tcl,
# spiram_gdb_attach / SPIRAM_GDB_ATTACH) on the simulated STM32H750.
#
# Before GDB connects, the core is left running a `b .` loop in AXI SRAM
# with a known r5, and a pattern is written at the start of the work area
# (0x20000000, where the driver loads its stub to probe the flash bank for
# GDB's memory map).  Ground truth: the core's registers and the RAM.
#  - halt mode: GDB finds the core halted in the loop with r5 unchanged,
#    the work area pattern intact (backed up around the probe), and the
#    flash bank in GDB's memory map; the driver takes a small work area
#    then, since each use reads and writes all of it back (DAP counters);
#  - reset mode (the default): the core was reset (PC left the loop).
# Also: the mode can be set before the board config with
# `set SPIRAM_GDB_ATTACH halt`, and a wrong mode is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM GDB_MULTIARCH

img=$E2E_DIR/flash.img
e2e_random_file "$img" 16777216
e2e_start_sim stm32h750 "$img" || { e2e_fail "simulator start"; e2e_done; }

LOOP=0x24000100
R5=0x12345678

# attach_run MODE: openocd with the board running the loop, then GDB
# attaches; GDB's output in $E2E_DIR/gdb-MODE.log.
attach_run() {
	mode=$1
	UB_GDB_PORT=$(ub_free_port 1)
	setup=()
	[ "$mode" = default ] || setup=("spiram_gdb_attach $mode")
	ub_openocd_server board/spiram-sim-stm32h750.cfg "$E2E_DIR/openocd-$mode.log" "READY FOR GDB" \
		"openocd's GDB server on port $UB_GDB_PORT ($mode)" \
		"${setup[@]}" init "reset init" \
		"mww 0x20000000 0x5a5a0001" "mww 0x20000004 0x5a5a0002" \
		"mwh $LOOP 0xe7fe" "reg pc $LOOP" "reg r5 $R5" resume 'echo "READY FOR GDB"'
	sleep 0.3
	cat > "$E2E_DIR/cmds-$mode.gdb" <<GDB
set pagination off
set confirm off
set remotetimeout 60
target extended-remote 127.0.0.1:$UB_GDB_PORT
echo MARK-REGS\n
printf "PC=0x%08x R5=0x%08x\n", \$pc, \$r5
printf "WA=0x%08x 0x%08x\n", *(unsigned int *)0x20000000, *(unsigned int *)0x20000004
info mem
GDB
	timeout 120 "$GDB_MULTIARCH" -batch -nx -x "$E2E_DIR/cmds-$mode.gdb" > "$E2E_DIR/gdb-$mode.log" 2>&1
	ub_stop_openocd
}

attach_run halt
log=$E2E_DIR/gdb-halt.log
e2e_check "halt: GDB finds the core where it ran (PC $LOOP) and r5 unchanged" \
	grep -q "^PC=$LOOP R5=$R5\$" "$log"
e2e_check "halt: the work area at 0x20000000 holds what it held (backed up around the stub)" \
	grep -q '^WA=0x5a5a0001 0x5a5a0002$' "$log"
e2e_check "halt: the flash bank is in GDB's memory map (probed at attach)" \
	grep -qE '^[0-9]+[[:space:]]+y[[:space:]]+0x90000000 0x91000000 flash' "$log"
e2e_check "halt: openocd says it attached without reset" \
	grep -q 'GDB attach without reset' "$E2E_DIR/openocd-halt.log"
# the work area is read whole to back it up: the driver takes only a
# small FIFO then (a 16 KiB one: about 28 KiB in all of the H750's 128)
read_halt=$(e2e_stat dap.mem_bytes_read)
e2e_check "halt: the session read $read_halt bytes over the DAP, under 48 KiB (the backup of a small work area)" \
	test "$read_halt" -lt 49152

attach_run default
log=$E2E_DIR/gdb-default.log
e2e_check "default: the attach reset the core (PC left $LOOP)" \
	bash -c "grep -q '^PC=0x' '$log' && ! grep -q '^PC=$LOOP ' '$log'"
e2e_check "default: the flash bank is in GDB's memory map" \
	grep -qE '^[0-9]+[[:space:]]+y[[:space:]]+0x90000000 0x91000000 flash' "$log"

# The variable, set before the board config; a wrong mode.
e2e_openocd board/spiram-sim-stm32h750.cfg "$E2E_DIR/var.log" 'echo "MODE [spiram_gdb_attach]"' \
	'echo "BAD [catch {spiram_gdb_attach sometimes} msg] $msg"' shutdown
e2e_check "default mode is reset" grep -q '^MODE reset$' "$E2E_DIR/var.log"
e2e_check "a wrong mode is refused, naming both modes" grep -q "^BAD 1 spiram_gdb_attach: 'sometimes' is not a mode: 'reset'.*'halt'" "$E2E_DIR/var.log"
"$OPENOCD" -s "$SPIRAM_TCL" -s "$OPENOCD_SCRIPTS" -c "set VDEBUGPORT $E2E_PORT" -c "set SPIRAM_GDB_ATTACH halt" \
	-f spiram/spiram-compat.tcl -c "spiram_server_port gdb disabled" -c "spiram_server_port telnet disabled" \
	-c "spiram_server_port tcl disabled" -f board/spiram-sim-stm32h750.cfg \
	-c 'echo "MODE [spiram_gdb_attach]"' -c shutdown > "$E2E_DIR/var2.log" 2>&1
e2e_check "set SPIRAM_GDB_ATTACH halt before the board config selects halt" grep -q '^MODE halt$' "$E2E_DIR/var2.log"
e2e_done
