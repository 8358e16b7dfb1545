# SPDX-License-Identifier: GPL-2.0-or-later
#
# The real-time tier: every operation on one controller with the simulated
# chip keeping its datasheet typical times (spiram-sim --timing typical),
# so that code which only works when the chip answers at once fails here.
# test_realtime_{qspi,spi,gpio}.sh each call rt_run for one board.
#
# Ground truth: the simulator's image file and counters, and the chips'
# datasheet figures (../shared/reference/nor-chips.md section 7):
#   IS25LP064A: 8 MiB; chip erase typical 16 s (the simulator's model, from
#     ISSI's SFDP family values), maximum 460 s (libDaisy);
#   W25Q128JV: 64 KiB block erase maximum 2000 ms (ST's W25Q128J driver,
#     W25Q128J_BLOCK_ERASE_MAX_TIME); the W25Q64JV of the H7B0 board has
#     the same maximum in the simulator's part table (UNVERIFIED there).
# A board whose W25Q is not 16 MiB sets RT_W25_SIZE and RT_W25_PROTECT
# (the sectors of the top 256 KiB, BP = 010 on a W25Q64JV) before rt_run.
# Sizes are picked so that the tier stays within a minute per board: the
# 8 MiB IS25LP064A has the shortest chip erase of the modelled parts.

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

D=$E2E_DIR
IS25_SIZE=$((8 * 1024 * 1024))
IS25_CHIP_ERASE_TYP_MS=16000
IS25_CHIP_ERASE_MAX_MS=460000
W25_BLOCK_ERASE_MAX_MS=2000
RT_W25_SIZE=${RT_W25_SIZE:-16777216}
RT_W25_PROTECT=${RT_W25_PROTECT:-4032 4095}

# rt_elapsed LOG TAG: the milliseconds that `rt_time TAG ...` printed.
rt_elapsed() {
	sed -n "s/^rt $2 \([0-9]*\) ms rc \(-\?[0-9]*\)\$/\1/p" "$1" | tail -n 1
}

# rt_rc LOG TAG: the Tcl catch code of that command (0 = success).
rt_rc() {
	sed -n "s/^rt $2 \([0-9]*\) ms rc \(-\?[0-9]*\)\$/\2/p" "$1" | tail -n 1
}

# rt_time TAG COMMAND [raise]: an openocd command line that runs COMMAND,
# timed inside OpenOCD with [clock milliseconds], and prints
# "rt TAG N ms rc C"; with "raise", a failure then fails the line too (so
# openocd exits non-zero), else the session goes on.  The proc is sourced
# by the first command of each session (RT_SOURCE).
cat >"$D/rt.tcl" <<'TCL'
proc rt_time {tag script {raise 0}} {
	set t0 [clock milliseconds]
	set c [catch {uplevel #0 $script} m]
	echo "rt $tag [expr {[clock milliseconds] - $t0}] ms rc $c"
	if {$c && $raise} {
		error $m
	}
}
TCL
RT_SOURCE="source $D/rt.tcl"
rt_time() {
	printf 'rt_time %s {%s} %s' "$1" "$2" "$([ "${3:-}" = raise ] && echo 1 || echo 0)"
}

# rt_run TWIN DESC SIM_BOARD [SIM_ARGS...]
# TWIN names board/spiram-sim-TWIN.cfg for the W25Q128JV sessions; the
# IS25LP064A session uses RT_IS25_TWIN (default: TWIN).
rt_run() {
	twin=$1; desc=$2; shift 2
	rt_cfg=board/spiram-sim-$twin.cfg
	rt_is25_cfg=board/spiram-sim-${RT_IS25_TWIN:-$twin}.cfg

	# 1. IS25LP064A, random content: chip erase, program, read, verify,
	#    64 KiB block erase.
	F_IMG=$D/is25.base
	e2e_random_file "$F_IMG" $IS25_SIZE
	e2e_random_file "$D/data.bin" $((64 * 1024))
	f_fresh "$@" --chip is25lp064a --timing typical || { e2e_fail "$desc: simulator start"; return; }
	log=$D/$twin.ops.log
	f_ocd "$rt_is25_cfg" "$log" "$RT_SOURCE" init "reset init" \
		"$(rt_time chip_erase 'spiram_loader mass_erase 1')" \
		"$(rt_time program "flash write_bank 1 $D/data.bin 0x20000")" \
		"$(rt_time read "flash read_bank 1 $D/read.bin 0x20000 0x10000")" \
		"$(rt_time verify "flash verify_bank 1 $D/data.bin 0x20000")" \
		"$(rt_time block_erase 'flash erase_sector 1 32 47')" \
		shutdown
	rc=$?
	e2e_check "$desc: operations session exits 0 (got $rc)" test $rc -eq 0
	e2e_check "$desc: no error in the log" bash -c "! grep -q '^Error' '$log'"
	ms=$(rt_elapsed "$log" chip_erase)
	e2e_check "$desc: chip erase succeeded (rc $(rt_rc "$log" chip_erase))" test "$(rt_rc "$log" chip_erase)" = 0
	e2e_check "$desc: chip erase took the chip's typical time: ${ms:-?} ms >= $IS25_CHIP_ERASE_TYP_MS, < max $IS25_CHIP_ERASE_MAX_MS" \
		test "${ms:-0}" -ge $IS25_CHIP_ERASE_TYP_MS -a "${ms:-0}" -lt $IS25_CHIP_ERASE_MAX_MS
	for op in program read verify block_erase; do
		e2e_check "$desc: $op succeeded in $(rt_elapsed "$log" $op) ms" test "$(rt_rc "$log" $op)" = 0
	done
	e2e_check "$desc: read_bank equals what was programmed" cmp -s "$D/read.bin" "$D/data.bin"
	e2e_stop_sim
	# After all: the chip erased, [0x20000, 0x30000) programmed, then
	# erased again by the block erase of sectors 32-47.
	head -c $IS25_SIZE /dev/zero | tr '\0' '\377' >"$D/is25.want"
	f_image_is "$desc: chip erased, 64 KiB programmed, then block-erased" "$D/is25.want"
	# the counters read at exit: one chip erase plus one 64 KiB block
	erases=$(sed -n 's/^chip\.erases=//p' "$E2E_STATS" | tail -n 1)
	e2e_check "$desc: two erase commands (chip, then one 64 KiB block): chip.erases=$erases" \
		test "$erases" = 2
	busy=$(sed -n 's/^chip\.busy_ns=//p' "$E2E_STATS" | tail -n 1)
	e2e_check "$desc: the chip was busy >= 16 s (chip.busy_ns=$busy)" test "${busy:-0}" -ge 16000000000

	# 2. W25Q128JV (the board's W25Q): protection through the status
	#    register, with the chip's tW for each status write.
	F_IMG=$D/w25.base
	e2e_random_file "$F_IMG" "$RT_W25_SIZE"
	f_fresh "$@" --timing typical || { e2e_fail "$desc: simulator start"; return; }
	log=$D/$twin.protect.log
	e2e_random_file "$D/top.bin" 4096
	f_ocd "$rt_cfg" "$log" "$RT_SOURCE" init "reset init" "flash protect 1 $RT_W25_PROTECT on" \
		"$(rt_time protected_write "flash write_bank 1 $D/top.bin $(printf '0x%x' $((RT_W25_SIZE - 4096)))")" \
		"spiram_loader status 1" "flash protect 1 $RT_W25_PROTECT off" shutdown
	rc=$?
	e2e_check "$desc: protect session exits 0 (got $rc)" test $rc -eq 0
	e2e_check "$desc: a write into the protected top is refused (rc $(rt_rc "$log" protected_write))" \
		test "$(rt_rc "$log" protected_write)" != 0
	e2e_check "$desc: the refusal names the protection" grep -q "the chip protects" "$log"
	e2e_check "$desc: status showed BP bits set while protected" \
		grep -Eq "^SR1 0x[0-9a-f]{2}: BUSY 0 WEL 0, bits 7:2 0x0*[1-9a-f]" "$log"
	reg1=$(e2e_stat chip.reg1)
	e2e_check "$desc: BP bits clear again after protect off (chip.reg1=$reg1)" test $((reg1 & 0x7c)) -eq 0
	f_touched_only "$desc: protect" ""
	e2e_stop_sim
	f_image_is "$desc: protect: image unchanged" "$F_IMG"

	# 3. W25Q128JV stuck busy: a 64 KiB block erase must wait at least the
	#    datasheet maximum, then fail naming the cause; nothing changes.
	f_fresh "$@" --timing typical --fault busy-stuck || { e2e_fail "$desc: simulator start"; return; }
	log=$D/$twin.stuck.log
	f_ocd "$rt_cfg" "$log" "$RT_SOURCE" init "reset init" "$(rt_time stuck 'flash erase_address 0x90010000 0x10000' raise)" \
		shutdown
	rc=$?
	ms=$(rt_elapsed "$log" stuck)
	f_failed "$desc: stuck busy" "$rc" "$log" "the flash stayed busy at 0x90010000 for [0-9]+ ms, longer than its datasheet maximum"
	e2e_check "$desc: stuck busy: waited ${ms:-?} ms >= the datasheet maximum $W25_BLOCK_ERASE_MAX_MS ms" \
		test "${ms:-0}" -ge $W25_BLOCK_ERASE_MAX_MS
	e2e_check "$desc: stuck busy: waited ${ms:-?} ms, at most 1.5 x the table's maximum + 3 s" \
		test "${ms:-999999}" -le $((W25_BLOCK_ERASE_MAX_MS * 3 / 2 + 1000 + 3000))
	e2e_stop_sim
	f_image_is "$desc: stuck busy: image unchanged" "$F_IMG"
}
