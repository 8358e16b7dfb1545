#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Simulator benchmark, before / after (figures only, never fails on a
# number): the same OpenOCD and driver against two spiram-sim binaries,
# runs interleaved, on the simulated STM32H750 + W25Q128JV, 1 MiB at
# 0x90000000.
#
# Cases:
#   P1b  flash write_image erase over other random data  (--timing typical, LINK)
#   W    flash write_bank onto an erased chip            (--timing typical, LINK)
#   Wi   flash write_bank onto an erased chip            (--timing instant, --link none)
#   R    flash read_bank                                 (--timing instant, --link none)
# P1b and W are issue F1's cases (as tests/bench/bench_program.sh); Wi and
# R show the simulator's own speed with no probe in the way.  For each run
# the simulator's counters give how often the CPU was paused against the
# DAP batches served (machine.pauses / dap.batches).
#
# Environment: as the e2e tests; SPIRAM_SIM_BEFORE: the "before" binary
# (default: built from BENCH_BEFORE_REV, by default the commit before the
# simulator-timing changes, into the bench directory); BENCH_LINK
# (default cmsis-dap-hs), BENCH_REPS (default 3), BENCH_CASES (default
# all).

srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/lib.sh"
. "$srcdir/tests/e2e/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

link=${BENCH_LINK:-cmsis-dap-hs}
reps=${BENCH_REPS:-3}
cases=${BENCH_CASES:-P1b W Wi R}
D=$E2E_DIR
SIZE=16777216
LEN=$((1024 * 1024))
after=$SPIRAM_SIM
before=${SPIRAM_SIM_BEFORE:-}

if [ -z "$before" ]; then
	# The simulator as it was: its sources at that commit, compiled with
	# the flags and libraries of this build (sim/ has no generated files).
	rev=${BENCH_BEFORE_REV:-04f59c3}
	if ! git -C "$srcdir" rev-parse -q --verify "$rev^{commit}" >/dev/null; then
		echo "bench: no commit $rev to build the 'before' simulator from;" \
			"set SPIRAM_SIM_BEFORE to a spiram-sim binary or BENCH_BEFORE_REV to a commit"
		exit 1
	fi
	mkdir -p "$D/before"
	git -C "$srcdir" archive "$rev" sim | tar -x -C "$D/before" || exit 1
	${CC:-cc} -std=gnu11 -O2 -w -pthread -I"$D/before/sim" -o "$D/before/spiram-sim" \
		"$D"/before/sim/*.c $(pkg-config --cflags --libs unicorn) -lm || {
		echo "bench: building the 'before' simulator (commit $rev) failed"
		exit 1
	}
	before=$D/before/spiram-sim
fi

e2e_random_file "$D/random.img" $SIZE
head -c $SIZE /dev/zero | tr '\0' '\377' >"$D/erased.img"
e2e_random_file "$D/fw.bin" $LEN
cp "$D/random.img" "$D/read.img"

# case -> "start image|timing|link|command"
case_line() {
	case $1 in
	P1b) echo "random.img|typical|$link|flash write_image erase $D/fw.bin 0x90000000 bin" ;;
	W) echo "erased.img|typical|$link|flash write_bank 1 $D/fw.bin 0" ;;
	Wi) echo "erased.img|instant|none|flash write_bank 1 $D/fw.bin 0" ;;
	R) echo "read.img|instant|none|flash read_bank 1 $D/readback.bin 0 $LEN" ;;
	esac
}

# one_run SIM CASE: prints "ms pauses batches" (ms -1: failed)
one_run() {
	sim=$1; c=$2
	IFS='|' read -r start timing lk cmd <<<"$(case_line "$c")"
	cp "$D/$start" "$D/flash.img"
	SPIRAM_SIM=$sim e2e_start_sim stm32h750 "$D/flash.img" --timing "$timing" --link "$lk" \
		>/dev/null || { echo "-1 0 0"; return; }
	log=$D/$c.log
	ub_openocd board/spiram-sim-stm32h750.cfg "$log" init "reset init" "flash probe 1" \
		"set t0 [clock milliseconds]; $cmd; echo \"BENCH_MS [expr {[clock milliseconds] - \$t0}]\"" shutdown
	p=$(e2e_stat machine.pauses); b=$(e2e_stat dap.batches)
	e2e_stop_sim
	ms=$(sed -n 's/^BENCH_MS \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	if [ "$c" = R ] && ! cmp -s -n $LEN "$D/readback.bin" "$D/read.img"; then
		ms=-1
	fi
	echo "${ms:--1} $p $b"
}

median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "Simulator before / after: STM32H750 + W25Q128JV, 1 MiB, $reps runs each, interleaved"
echo "before: $before"
echo "after:  $after"
printf '%-4s | %-8s | %-12s | %-12s | %-9s | %-24s | %s\n' case timing "before ms" "after ms" \
	"after/bef" "pauses/batches before" "pauses/batches after"
for c in $cases; do
	IFS='|' read -r _ timing lk _ <<<"$(case_line "$c")"
	bt=(); at=()
	for r in $(seq 1 "$reps"); do
		read -r ms bp bb <<<"$(one_run "$before" "$c")"
		bt+=("$ms")
		read -r ms ap ab <<<"$(one_run "$after" "$c")"
		at+=("$ms")
	done
	bm=$(median "${bt[@]}"); am=$(median "${at[@]}")
	ratio=$(awk -v a="$am" -v b="$bm" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')
	printf '%-4s | %-8s | %-12s | %-12s | %-9s | %-24s | %s\n' "$c" "$timing/$lk" "$bm" "$am" "$ratio" \
		"$bp / $bb" "$ap / $ab"
done
