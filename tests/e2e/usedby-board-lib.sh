# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks for one QUADSPI board twin, sourced by the
# test_usedby_<board>.sh scripts after lib.sh and usedby-lib.sh, which set:
#   cfg          the twin's config (board/spiram-sim-....cfg)
#   sim_board    spiram-sim --board name
#   bank         spiram_loader's bank number in that config
#   size         the chip's size in bytes
#   mcpu         -mcpu for the GDB test program (cortex-m7, cortex-m4)
#   chip_times   the chip's datasheet typical "tPP tSE tBE64K" in us
#   qspi_setup_proc  the helper that clocks and sets up QUADSPI
#   dual         1 for a dual-flash QUADSPI board (two dies, the image file
#                holding die 1 then die 2, bank byte 2k = die 1's byte k,
#                2k + 1 = die 2's): comparisons then use the bank's view of
#                the image, sectors are 8 KiB, and the timed case counts
#                each die's own erases and page programs
# then call ub_board_checks.  Each check compares with the simulator's image
# file and counters:
#  1. `flash read_bank` of 0x20000 bytes across the chip's middle and `mdw` of the
#     chip's last word through the window after reset-init: the image;
#     with the QUADSPI clock left off, probing fails naming the controller
#     and the chip sees no command;
#  2. `program FILE 0x90100001 verify reset exit` of 0x12345 bytes: Verified
#     OK, the image holds the file, nothing outside its sectors changed;
#  3. `flash write_image erase` of an Intel HEX file (0x401 bytes ending at
#     the chip's last byte) and verify_bank;
#  4. GDB `load` of tests/e2e/gdb/xip.c (linked at 0x90000000, variables in
#     SRAM at 0x20010000): the image holds .text, compare-sections
#     matches, and the code runs in place into xip_done with the hash of
#     its flash-resident table;
#  5. `--timing typical` (the chip's datasheet times and the QUADSPI's bus
#     time): write_image erase of 0x10001 bytes + verify_bank, image
#     compared, the chip busy for at least its typical erase and program
#     times, 272 page programs (256 + the 16 of the last erased sector,
#     whose rest is put back).

# ub_view FILE: the path of FILE's bytes as the bank shows them: FILE
# itself, or on a dual-flash board FILE.view with the dies interleaved.
ub_view() {
	if [ "${dual:-0}" != 1 ]; then
		echo "$1"
		return
	fi
	python3 - "$1" "$1.view" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
h = len(d) // 2
v = bytearray(len(d))
v[0::2] = d[:h]
v[1::2] = d[h:]
open(sys.argv[2], 'wb').write(v)
PY
	echo "$1.view"
}

# ub_file_offset BANK_OFFSET: where the image file holds that bank byte.
ub_file_offset() {
	if [ "${dual:-0}" = 1 ]; then
		echo $(( ($1 % 2) * size / 2 + $1 / 2 ))
	else
		echo $(($1))
	fi
}

ub_board_checks() {
srcdir=${srcdir:-.}
img=$E2E_DIR/flash.img
e2e_random_file "$img" $size
e2e_start_sim "$sim_board" "$img" || { e2e_fail "simulator start"; e2e_done; }

# 1. read_bank and the window
log=$E2E_DIR/read.log
ub_openocd "$cfg" "$log" init "reset init" "flash read_bank $bank $E2E_DIR/read.bin $((size / 2 - 0x1000)) 0x20000" \
	"mdw $(printf '0x%X' $((0x90000000 + size - 4)))" shutdown
rc=$?
e2e_check "read_bank $bank: exit 0 (got $rc)" test $rc -eq 0
e2e_check "read_bank $bank of 0x20000 bytes across the middle of the chip equals the image" \
	ub_cmp_range "$E2E_DIR/read.bin" 0 "$(ub_view "$img")" $((size / 2 - 0x1000)) $((0x20000))
e2e_check "mdw of the chip's last word through the board's window" \
	grep -q "^$(printf '0x%08x' $((0x90000000 + size - 4))): $(od -An -tx4 -j $((size - 4)) -N4 "$(ub_view "$img")" | tr -d ' ')" "$log"

# 1b. the board's QUADSPI clock left off (its qspi_setup proc emptied):
# the peripheral does not answer, the probe fails naming the controller,
# the chip saw no command
cmds0=$(e2e_stat chip.commands)
log=$E2E_DIR/unclocked.log
ub_openocd "$cfg" "$log" "proc $qspi_setup_proc {args} {}" init "reset init" "flash probe $bank" shutdown
e2e_check "QUADSPI unclocked ($qspi_setup_proc emptied): flash probe fails naming the controller" \
	grep -q "^Error: spiram_loader: probe failed .*CONTROLLER" "$log"
e2e_check "QUADSPI unclocked: the chip saw no command" test "$(e2e_stat chip.commands)" = "$cmds0"

# 2. program ... verify reset exit
e2e_random_file "$E2E_DIR/fw.bin" $((0x12345))
cp "$img" "$E2E_DIR/before-program.img"
log=$E2E_DIR/program.log
ub_openocd "$cfg" "$log" "program $E2E_DIR/fw.bin 0x90100001 verify reset exit"
rc=$?
e2e_check "program 0x12345 bytes at 0x90100001 verify reset exit: exit 0 (got $rc)" test $rc -eq 0
e2e_check "program: Verified OK" grep -q "Verified OK" "$log"
e2e_check "the image holds the file at 0x100001" ub_cmp_range "$(ub_view "$img")" $((0x100001)) "$E2E_DIR/fw.bin" 0 $((0x12345))
e2e_check "nothing else changed" ub_same_outside "$(ub_view "$E2E_DIR/before-program.img")" "$(ub_view "$img")" $((0x100001)) $((0x12345))

# 3. write_image erase of a HEX file ending at the last byte
objcopy=${ARM_OBJCOPY:-}
if [ -n "$objcopy" ] && [ -x "$objcopy" ]; then
	e2e_random_file "$E2E_DIR/end.bin" $((0x401))
	"$objcopy" -I binary -O ihex --change-addresses $((0x90000000 + size - 0x401)) "$E2E_DIR/end.bin" "$E2E_DIR/end.hex"
	cp "$img" "$E2E_DIR/before-hex.img"
	log=$E2E_DIR/hex.log
	ub_openocd "$cfg" "$log" init "reset init" "flash write_image erase $E2E_DIR/end.hex" \
		"flash verify_bank $bank $E2E_DIR/end.bin $((size - 0x401))" shutdown
	rc=$?
	e2e_check "write_image erase end.hex (0x401 bytes up to the last byte), verify_bank: exit 0 (got $rc)" \
		test $rc -eq 0
	e2e_check "the image holds them at the top of the chip" ub_cmp_range "$(ub_view "$img")" $((size - 0x401)) "$E2E_DIR/end.bin" 0 $((0x401))
	e2e_check "nothing else changed" ub_same_outside "$(ub_view "$E2E_DIR/before-hex.img")" "$(ub_view "$img")" $((size - 0x401)) $((0x401))
else
	echo "# no ARM_OBJCOPY: HEX case skipped"
fi

# 4. GDB load and run in place
if [ -n "${GDB_MULTIARCH:-}" ] && [ -n "${ARM_CC:-}" ] && [ -x "$ARM_CC" ]; then
	elf=$E2E_DIR/xip.elf
	sed 's/AXISRAM (rwx) : ORIGIN = 0x24000000, LENGTH = 512K/AXISRAM (rwx) : ORIGIN = 0x20010000, LENGTH = 240K/' \
		"$srcdir/tests/e2e/gdb/xip.ld" >"$E2E_DIR/xip-f7.ld"
	"$ARM_CC" -mcpu=$mcpu -mthumb -O1 -g -ffreestanding -nostdlib -T "$E2E_DIR/xip-f7.ld" \
		"$srcdir/tests/e2e/gdb/xip.c" -o "$elf" >"$E2E_DIR/cc.log" 2>&1
	e2e_check "xip.elf built for the board's SRAM" grep -q "0x20010000" "$E2E_DIR/xip-f7.ld"
	"${objcopy:-${ARM_CC%gcc}objcopy}" -O binary -j .text "$elf" "$E2E_DIR/text.bin"
	text_len=$(stat -c %s "$E2E_DIR/text.bin")
	done_addr=$(("0x$("${ARM_CC%gcc}nm" "$elf" | sed -n 's/^\([0-9a-f]*\) T xip_done$/\1/p')"))
	acc=0
	for i in $(seq 0 63); do
		t=$(( (0x9E3779B9 * (i + 1)) & 0xFFFFFFFF ))
		acc=$(( ((acc * 33) ^ t) & 0xFFFFFFFF ))
	done
	want_hash=$(printf '0x%08x' $acc)
	cp "$img" "$E2E_DIR/before-gdb.img"
	UB_GDB_PORT=$(ub_free_port 1)
	log=$E2E_DIR/openocd-gdb.log
	ub_openocd_server "$cfg" "$log" "READY FOR GDB" "openocd's GDB server on port $UB_GDB_PORT" \
		init "reset init" 'echo "READY FOR GDB"'
	# FPB v2 (Cortex-M7) reaches a breakpoint at 0x9xxxxxxx; the M4's FPB
	# v1 only covers the code region below 0x20000000: there the program
	# runs for half a second and is halted inside xip_done's loop
	if [ "$mcpu" = cortex-m7 ]; then
		run_lines=$(printf 'hbreak xip_done\ncontinue')
	else
		run_lines=$(printf 'monitor resume\nshell sleep 0.5\nmonitor halt\nflushregs')
	fi
	cat >"$E2E_DIR/cmds.gdb" <<GDB
set pagination off
set confirm off
set remotetimeout 60
target extended-remote 127.0.0.1:$UB_GDB_PORT
monitor reset init
load
echo MARK-AFTER-LOAD\n
compare-sections
set \$sp = 0x20010000
set \$pc = xip_entry
$run_lines
printf "STOPPED_PC=0x%08x\n", \$pc
printf "RESULT=0x%08x 0x%08x 0x%08x\n", xip_result[0], xip_result[1], xip_result[2]
disconnect
GDB
	ub_seconds timeout 120 "$GDB_MULTIARCH" -nx -batch -x "$E2E_DIR/cmds.gdb" "$elf" >"$E2E_DIR/gdb.log" 2>&1
	rc=$?
	ub_stop_openocd
	gdb_log=$E2E_DIR/gdb.log
	e2e_check "gdb ran to the end (exit $rc)" test $rc -eq 0
	e2e_check "load: GDB wrote .text ($text_len bytes) to 0x90000000" \
		grep -q "Loading section .text, size 0x$(printf '%x' "$text_len") lma 0x90000000" "$gdb_log"
	e2e_check "load: the image holds .text at offset 0" ub_cmp_range "$(ub_view "$img")" 0 "$E2E_DIR/text.bin" 0 "$text_len"
	ss=$(( ${dual:-0} == 1 ? 8192 : 4096 ))
	e2e_check "load: nothing outside the sectors of .text changed" \
		ub_same_outside "$(ub_view "$E2E_DIR/before-gdb.img")" "$(ub_view "$img")" 0 $(( (text_len + ss - 1) / ss * ss ))
	e2e_check "compare-sections after load: .text matched" \
		grep -q "Section .text, range 0x90000000 -- .*: matched" "$gdb_log"
	stopped=$(sed -n 's/^STOPPED_PC=//p' "$gdb_log")
	e2e_check "the CPU ran in place and stopped in xip_done ($(printf '0x%08x' $done_addr); got ${stopped:-none})" \
		test -n "$stopped" -a $((stopped)) -ge $((done_addr)) -a $((stopped)) -lt $((done_addr + 8))
	result=$(sed -n 's/^RESULT=//p' "$gdb_log")
	e2e_check "xip_result[0] is the hash of the flash-resident table ($want_hash; got ${result%% *})" \
		test "${result%% *}" = "$want_hash"
else
	echo "# no GDB_MULTIARCH / ARM_CC: GDB case skipped"
fi
e2e_stop_sim

# 5. --timing typical
img2=$E2E_DIR/timed.img
e2e_random_file "$img2" $size
e2e_random_file "$E2E_DIR/timed.bin" $((0x10001))
# the last byte must need an erase (FFh over 00h), or smart programming
# may program it over random data without one, and the counts below vary
printf '\000' | dd of="$img2" bs=1 seek=$(ub_file_offset $((0x210000))) conv=notrunc status=none
printf '\377' | dd of="$E2E_DIR/timed.bin" bs=1 seek=$((0x10000)) conv=notrunc status=none
cp "$img2" "$E2E_DIR/timed-orig.img"
e2e_start_sim "$sim_board" "$img2" --timing typical || { e2e_fail "simulator start (typical)"; e2e_done; }
log=$E2E_DIR/timed.log
ub_openocd "$cfg" "$log" init "reset init" "flash write_image erase $E2E_DIR/timed.bin 0x90200000" \
	"flash verify_bank $bank $E2E_DIR/timed.bin 0x200000" shutdown
rc=$?
e2e_check "--timing typical: write_image erase 0x10001 bytes + verify_bank: exit 0 (got $rc)" test $rc -eq 0
e2e_check "--timing typical: the image holds them at 0x200000" \
	ub_cmp_range "$(ub_view "$img2")" $((0x200000)) "$E2E_DIR/timed.bin" 0 $((0x10001))
e2e_check "--timing typical: nothing else changed" \
	ub_same_outside "$(ub_view "$E2E_DIR/timed-orig.img")" "$(ub_view "$img2")" $((0x200000)) $((0x10001))
read -r pp_typ se_typ be64_typ <<<"$chip_times"
if [ "${dual:-0}" = 1 ]; then
	# dual-flash, each die: the 64 KiB of the bank are 32 KiB of it, in
	# eight 8 KiB bank sectors (4 KiB erases; no 32 KiB die erase type),
	# and the sector of the last byte is a ninth; 128 pages of 256 bytes,
	# plus that sector's 16 (its rest put back)
	want_ns=$(( (9 * se_typ + 144 * pp_typ) * 1000 ))
	want_pp=144
else
	# 0x10001 bytes: one 64 KiB erase and one 4 KiB erase (or seventeen
	# 4 KiB ones) and 256 full page programs at least, each for the
	# chip's datasheet typical time ($chip_times: tPP, tSE, tBE 64K in
	# us); 256 full pages and the last byte, plus the rest of the last
	# erased 4 KiB sector put back (its 16 pages, the first shared with
	# that byte): 272
	want_ns=$(( (be64_typ + se_typ + 256 * pp_typ) * 1000 ))
	want_pp=272
fi
busy=$(e2e_stat chip.busy_ns)
e2e_check "--timing typical: the chip was busy >= $((want_ns / 1000000)) ms (erase + program typ; got $((busy / 1000000)) ms)" \
	test "$busy" -ge "$want_ns"
e2e_check "--timing typical: $want_pp page programs (the data's pages + the last sector's 16)" \
	test "$(e2e_stat chip.page_programs)" = $want_pp
if [ "${dual:-0}" = 1 ]; then
	e2e_check "--timing typical: die 2 busy as long and programmed as often" \
		test "$(e2e_stat chip2.busy_ns)" -ge "$want_ns" -a "$(e2e_stat chip2.page_programs)" = $want_pp
fi
}
