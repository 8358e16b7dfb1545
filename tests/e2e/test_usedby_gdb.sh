#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 5: gdb-multiarch against OpenOCD's GDB server on the
# simulated STM32H750 (board/spiram-sim-stm32h750.cfg).  Another board's
# twin runs the same check through UB_BOARD, UB_CHIP_SIZE, UB_CHIP_NAME
# and UB_SIM_OPTS, set by a wrapper (test_usedby_gdb_h7b0.sh).
#
# A tiny Cortex-M7 program (tests/e2e/gdb/xip.c, linked by xip.ld with
# its code and constants at 0x90000000) is built here with the ARM cross
# compiler.  GDB then, as a user would:
#  - `load`s it: the section lies in OpenOCD's memory map as flash, so GDB
#    erases and writes it with vFlashErase/vFlashWrite/vFlashDone; the
#    image file must hold the section's bytes at offset 0 and the counters
#    must show exactly the sectors it covers;
#  - `compare-sections` right after the load, and again after
#    `monitor reset init`: matched;
#  - `monitor flash read_bank 1 ...`: the dump equals the image;
#  - `monitor spiram_loader info 1`: names the chip;
#  - sets SP and PC to xip_entry, `hbreak xip_done`, `continue`: the CPU
#    runs in place from the memory-mapped flash and stops at the hardware
#    breakpoint (FPB v2 reaches 0x90000000); xip_result in RAM holds the
#    hash of the flash-resident table recomputed here, the marker
#    0x600DF00D and a PC inside the flash window.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM GDB_MULTIARCH ARM_CC
srcdir=${srcdir:-.}
objcopy=${ARM_OBJCOPY:-${ARM_CC%gcc}objcopy}
[ -x "$objcopy" ] || e2e_skip "no objcopy next to $ARM_CC"

elf=$E2E_DIR/xip.elf
if ! "$ARM_CC" -mcpu=cortex-m7 -mthumb -O1 -g -ffreestanding -nostdlib \
	-T "$srcdir/tests/e2e/gdb/xip.ld" "$srcdir/tests/e2e/gdb/xip.c" -o "$elf" \
	>"$E2E_DIR/cc.log" 2>&1; then
	cat "$E2E_DIR/cc.log"
	e2e_fail "build xip.elf"
	e2e_done
fi
"$objcopy" -O binary -j .text "$elf" "$E2E_DIR/text.bin"
text_len=$(stat -c %s "$E2E_DIR/text.bin")
done_addr=$(("0x$("${ARM_CC%gcc}nm" "$elf" | sed -n 's/^\([0-9a-f]*\) T xip_done$/\1/p')"))

# The hash xip_entry computes, recomputed here.
acc=0
for i in $(seq 0 63); do
	t=$(( (0x9E3779B9 * (i + 1)) & 0xFFFFFFFF ))
	acc=$(( ((acc * 33) ^ t) & 0xFFFFFFFF ))
done
want_hash=$(printf '0x%08x' $acc)

board=${UB_BOARD:-stm32h750}
chip_name=${UB_CHIP_NAME:-W25Q128JV}
img=$E2E_DIR/flash.img
e2e_random_file "$img" "${UB_CHIP_SIZE:-16777216}"
cp "$img" "$E2E_DIR/orig.img"
# shellcheck disable=SC2086
e2e_start_sim "$board" "$img" ${UB_SIM_OPTS:-} || { e2e_fail "simulator start"; e2e_done; }

UB_GDB_PORT=$(ub_free_port 1)
log=$E2E_DIR/openocd.log
# As users start it for GDB: reset-init sets up QUADSPI, so the flash
# bank probes when GDB asks for the memory map at connect.
ub_openocd_server "board/spiram-sim-$board.cfg" "$log" "READY FOR GDB" "openocd's GDB server on port $UB_GDB_PORT" \
	init "reset init" 'echo "READY FOR GDB"'

dump=$E2E_DIR/dump.bin
cat >"$E2E_DIR/cmds.gdb" <<EOF
set pagination off
set confirm off
set remotetimeout 60
target extended-remote 127.0.0.1:$UB_GDB_PORT
monitor reset init
load
echo MARK-AFTER-LOAD\n
compare-sections
echo MARK-RESET-INIT\n
monitor reset init
compare-sections
echo MARK-MONITOR\n
monitor flash read_bank 1 $dump 0 0x4000
monitor spiram_loader info 1
set \$sp = 0x24010000
set \$pc = xip_entry
hbreak xip_done
continue
printf "STOPPED_PC=0x%08x\n", \$pc
printf "RESULT=0x%08x 0x%08x 0x%08x\n", xip_result[0], xip_result[1], xip_result[2]
disconnect
EOF
ub_seconds timeout 120 "$GDB_MULTIARCH" -nx -batch -x "$E2E_DIR/cmds.gdb" "$elf" >"$E2E_DIR/gdb.log" 2>&1
rc=$?
ub_stop_openocd
gdb_log=$E2E_DIR/gdb.log

e2e_check "gdb ran to the end (exit $rc, ${UB_SECONDS} s)" test $rc -eq 0
e2e_check "load: GDB wrote .text ($text_len bytes) to 0x90000000" \
	grep -q "Loading section .text, size 0x$(printf '%x' "$text_len") lma 0x90000000" "$gdb_log"
e2e_check "load: the image holds .text at offset 0" ub_cmp_range "$img" 0 "$E2E_DIR/text.bin" 0 "$text_len"
e2e_check "load: nothing else in the image changed" \
	ub_same_outside "$E2E_DIR/orig.img" "$img" 0 $(( (text_len + 4095) / 4096 * 4096 ))
got=$(e2e_touched_sectors)
e2e_check "load: counters: erased/programmed sectors are exactly those of .text" \
	test "$got" = "$(ub_sectors_of 0 "$text_len")"
sed -n '/^MARK-AFTER-LOAD/,/^MARK-RESET-INIT/p' "$gdb_log" >"$E2E_DIR/cmp1.log"
sed -n '/^MARK-RESET-INIT/,/^MARK-MONITOR/p' "$gdb_log" >"$E2E_DIR/cmp2.log"
# Right after `load`, OpenOCD runs the gdb-flash-write-end event (default
# `reset halt`), which resets QUADSPI out of memory-mapped mode; the board
# must bring the mapping back for compare-sections (and XIP) to work.
e2e_check "compare-sections right after load: .text matched" \
	grep -q "Section .text, range 0x90000000 -- .*: matched" "$E2E_DIR/cmp1.log"
e2e_check "compare-sections after 'monitor reset init': .text matched" \
	grep -q "Section .text, range 0x90000000 -- .*: matched" "$E2E_DIR/cmp2.log"
e2e_check "monitor flash read_bank 1: the dump equals the image" ub_cmp_range "$dump" 0 "$img" 0 0x4000
e2e_check "monitor spiram_loader info 1: names the $chip_name" grep -q "$chip_name" "$gdb_log"
e2e_check "hbreak at xip_done (in the flash): GDB reports the breakpoint" \
	grep -q "Breakpoint 1, .*xip_done" "$gdb_log"
e2e_check "the CPU stopped at xip_done ($(printf '0x%08x' $done_addr))" \
	grep -q "STOPPED_PC=$(printf '0x%08x' $done_addr)" "$gdb_log"
result=$(sed -n 's/^RESULT=//p' "$gdb_log")
e2e_check "xip_result[0] is the hash of the flash-resident table ($want_hash; got ${result%% *})" \
	test "${result%% *}" = "$want_hash"
e2e_check "xip_result[1] is the marker 0x600df00d" test "$(echo "$result" | cut -d' ' -f2)" = 0x600df00d
pc_seen=$(echo "$result" | cut -d' ' -f3)
e2e_check "xip_entry ran at a PC inside the flash (${pc_seen:-none})" \
	test -n "$pc_seen" -a $((pc_seen)) -ge $((0x90000000)) -a $((pc_seen)) -lt $((0x90000000 + text_len))
e2e_check "no program or erase refused by protection" test "$(e2e_stat chip.ignored_protected)" = 0

e2e_done
