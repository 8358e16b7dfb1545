#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 4: a Tcl RPC client (tests/e2e/ocd_rpc.tcl, driven by
# tests/e2e/usedby_tclrpc.tcl in tclsh) against OpenOCD's Tcl server on a
# free port, on the simulated STM32H750: banks, info, read, read to file,
# write, write_image with erase and verify, erase_sector, erase_all,
# protect and verify, each checked by the client against the image file.
# Here: the client's verdicts, OpenOCD's exit, and the counters (the
# protected erase reached no sector; erase_all erased through the chip).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM TCLSH
srcdir=${srcdir:-.}

img=$E2E_DIR/flash.img
e2e_random_file "$img" 16777216
e2e_start_sim stm32h750 "$img" || { e2e_fail "simulator start"; e2e_done; }

UB_TCL_PORT=$(ub_free_port 2)
log=$E2E_DIR/openocd.log
ub_openocd_server board/spiram-sim-stm32h750.cfg "$log" "READY FOR RPC" "openocd's Tcl server on port $UB_TCL_PORT" \
	init "reset init" 'echo "READY FOR RPC"'
ocd_pid=$UB_OCD_PID

ub_seconds timeout 300 "$TCLSH" "$srcdir/tests/e2e/usedby_tclrpc.tcl" "$srcdir/tests/e2e/ocd_rpc.tcl" \
	"$UB_TCL_PORT" "$img" "$E2E_DIR" >"$E2E_DIR/client.log" 2>&1
rc=$?
cat "$E2E_DIR/client.log"
E2E_PASSES=$((E2E_PASSES + $(grep -c '^ok   - ' "$E2E_DIR/client.log")))
E2E_FAILS=$((E2E_FAILS + $(grep -c '^FAIL - ' "$E2E_DIR/client.log")))
e2e_check "the client ran to the end (exit $rc = its FAIL count, ${UB_SECONDS} s)" \
	bash -c "[ $rc -eq $(grep -c '^FAIL - ' "$E2E_DIR/client.log") ] && ! grep -q 'while executing' '$E2E_DIR/client.log'"
i=0
while kill -0 $ocd_pid 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
e2e_check "openocd shut down on the client's request" bash -c "! kill -0 $ocd_pid 2>/dev/null"
ub_stop_openocd

e2e_check "openocd's log: the read past the end is out of range" \
	grep -q "out of range of the flash bank" "$log"
e2e_check "openocd's log: the erase in the protected range names the protection and the fix" \
	grep -qi "protect.*flash protect 1 .* off\|unprotect" "$log"
e2e_check "counters: the erase inside the protected range reached no chip command" \
	test "$(e2e_stat chip.ignored_protected)" = 0
e2e_check "counters: erase_all erased sector 0xfff000 (chip erase or all sectors)" \
	grep -q '^sector\.0xfff000\.erases=[1-9]' "$E2E_STATS"

e2e_done
