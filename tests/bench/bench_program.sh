#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Programming benchmark of issue F1 (figures only, never fails on a
# number): spiram_loader against OpenOCD's own stmqspi on the same
# simulated STM32H750 + W25Q128JV, with the chip's datasheet timing
# (spiram-sim --timing typical) and a probe link model, runs of the two
# drivers interleaved.  Each flash command is timed alone, inside OpenOCD,
# with [clock milliseconds]; the chip's own busy time comes from the
# simulator's chip.busy_ns counter over the same session.
#
# Cases (1 MiB of random data at 0x90000000):
#   P1b  flash write_image erase over other random data
#   P1a  the same onto an erased chip
#   P2   the same image again (the chip already holds it)
#   P2c  an image that differs from the chip in one 4 KiB sector
#   W    flash write_bank onto an erased chip
#   E    flash erase_address of 1 MiB of random data
#
# Environment: as the e2e tests; BENCH_LINKS (default "cmsis-dap-hs
# jlink"), BENCH_REPS (default 3), BENCH_CASES (default all).

srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/lib.sh"
. "$srcdir/tests/e2e/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

links=${BENCH_LINKS:-cmsis-dap-hs jlink}
reps=${BENCH_REPS:-3}
cases=${BENCH_CASES:-P1b P1a P2 P2c W E}
D=$E2E_DIR
SIZE=16777216
LEN=$((1024 * 1024))

e2e_random_file "$D/random.img" $SIZE
head -c $SIZE /dev/zero | tr '\0' '\377' >"$D/erased.img"
e2e_random_file "$D/fw.bin" $LEN
cp "$D/fw.bin" "$D/fw-c.bin"
printf '\x00\x11\x22\x33' | dd of="$D/fw-c.bin" bs=1 seek=$((0x54321)) conv=notrunc 2>/dev/null
# the chip already holding fw.bin (P2, P2c)
cp "$D/random.img" "$D/holds-fw.img"
dd if="$D/fw.bin" of="$D/holds-fw.img" conv=notrunc 2>/dev/null

# case -> "start image|command"
case_line() {
	case $1 in
	P1b) echo "random.img|flash write_image erase $D/fw.bin 0x90000000 bin" ;;
	P1a) echo "erased.img|flash write_image erase $D/fw.bin 0x90000000 bin" ;;
	P2) echo "holds-fw.img|flash write_image erase $D/fw.bin 0x90000000 bin" ;;
	P2c) echo "holds-fw.img|flash write_image erase $D/fw-c.bin 0x90000000 bin" ;;
	W) echo "erased.img|flash write_bank 1 $D/fw.bin 0" ;;
	E) echo "random.img|flash erase_address 0x90000000 $LEN" ;;
	esac
}

# one_run DRIVER CASE LINK: prints "ms busy_ms erases programs" (ms -1: failed)
one_run() {
	drv=$1; c=$2; link=$3
	IFS='|' read -r start cmd <<<"$(case_line "$c")"
	cp "$D/$start" "$D/flash.img"
	e2e_start_sim stm32h750 "$D/flash.img" --timing typical --link "$link" >/dev/null || { echo "-1 0 0 0"; return; }
	cfg=board/spiram-sim-stm32h750.cfg
	[ "$drv" = stmqspi ] && cfg=board/spiram-sim-stm32h750-stmqspi.cfg
	b0=$(e2e_stat chip.busy_ns); e0=$(e2e_stat chip.erases); p0=$(e2e_stat chip.page_programs)
	log=$D/$drv-$c-$link.log
	ub_openocd "$cfg" "$log" init "reset init" "flash probe 1" \
		"set t0 [clock milliseconds]; $cmd; echo \"BENCH_MS [expr {[clock milliseconds] - \$t0}]\"" shutdown
	b1=$(e2e_stat chip.busy_ns); e1=$(e2e_stat chip.erases); p1=$(e2e_stat chip.page_programs)
	e2e_stop_sim
	ms=$(sed -n 's/^BENCH_MS \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	echo "${ms:--1} $(( (b1 - b0) / 1000000 )) $((e1 - e0)) $((p1 - p0))"
}

# median and min of numbers
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[1], v[int((NR + 1) / 2)] }'
}

echo "F1 programming benchmark: simulated STM32H750 + W25Q128JV, --timing typical, 1 MiB, $reps runs each, interleaved"
for link in $links; do
	echo
	echo "link model: $link"
	printf '%-4s | %-22s | %-8s | %-22s | %-9s | %-12s | %s\n' case "spiram_loader min/med" "KiB/s" \
		"stmqspi min/med" "x stmqspi" "chip busy ms" "x chip busy; erases, programs (spiram / stmqspi)"
	for c in $cases; do
		sp=(); st=(); busy=0; sp_ep=""; st_ep=""
		for r in $(seq 1 "$reps"); do
			read -r ms b e p <<<"$(one_run spiram_loader "$c" "$link")"
			sp+=("$ms"); busy=$b; sp_ep="$e, $p"
			read -r ms b2 e p <<<"$(one_run stmqspi "$c" "$link")"
			st+=("$ms"); st_ep="$e, $p"
		done
		read -r sp_min sp_med <<<"$(stats "${sp[@]}")"
		read -r st_min st_med <<<"$(stats "${st[@]}")"
		kib=$(awk -v ms="$sp_med" -v n=$LEN 'BEGIN { if (ms > 0) printf "%d", n / 1024 / (ms / 1000); else print "-" }')
		xst=$(awk -v a="$sp_med" -v b="$st_med" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		xbusy=$(awk -v a="$sp_med" -v b="$busy" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')
		printf '%-4s | %-22s | %-8s | %-22s | %-9s | %-12s | %s; %s / %s\n' "$c" "$sp_min / $sp_med" "$kib" \
			"$st_min / $st_med" "$xst" "$busy" "$xbusy" "$sp_ep" "$st_ep"
	done
done
