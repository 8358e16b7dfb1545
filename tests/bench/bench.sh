#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Benchmarks (not tests: nothing here passes or fails on a number).
# Measures, on the simulated boards, with `spiram-sim --link none` and with
# `--link cmsis-dap-hs` (a CMSIS-DAP v2 high-speed probe at 10 MHz SWD, see
# sim/sim_link.c):
#  - program: `flash write_image erase` of N random bytes at the bank base
#    (erase included), KiB/s as OpenOCD reports it;
#  - verify: `flash verify_bank` of the same bytes (CRC on the target);
#  - read: `flash read_bank` of the same range;
#  - RAM dump: `dump_image` of target RAM (pure DAP memory reads);
#  - for each, from the simulator's counters over that command's session
#    minus an idle session (init; reset init): DAP transactions per second
#    and target instructions per second (estimated from executed blocks).
# Each result is also checked against the image, so a figure is never
# that of a failed operation.
#
# Environment: as the e2e tests (OPENOCD, OPENOCD_SCRIPTS, SPIRAM_TCL,
# SPIRAM_SIM, srcdir).  BENCH_LINKS ("none cmsis-dap-hs"), BENCH_BOARDS
# (names below) and BENCH_SIZE_<board> override the defaults.
# Run by `make bench`.

srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/lib.sh"
. "$srcdir/tests/e2e/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

links=${BENCH_LINKS:-none cmsis-dap-hs}
boards=${BENCH_BOARDS:-h750 gd32 f103gpio}

# name | twin config | sim board | sim options | default bytes | RAM base for the dump | RAM bytes
# [| chip bytes, default 16 MiB]
board_line() {
	case $1 in
	h750) echo "spiram-sim-stm32h750|stm32h750||1048576|0x24000000|262144" ;;
	h7b0) echo "spiram-sim-stm32h7b0|stm32h7b0||1048576|0x24000000|262144|8388608" ;;
	gd32) echo "spiram-sim-gd32f307|gd32f307||262144|0x20000000|65536" ;;
	f103) echo "spiram-sim-stm32f103|stm32f103||262144|0x20000000|16384" ;;
	f103gpio) echo "spiram-sim-stm32f103|stm32f103|--wiring gpio|65536|0x20000000|16384" ;;
	*) echo "bench: unknown board '$1' (h750, h7b0, gd32, f103, f103gpio)" >&2; return 1 ;;
	esac
}
# spiram-sim-stm32f103-gpio.cfg is the twin for --wiring gpio
twin_cfg() {
	[ "$1" = f103gpio ] && echo board/spiram-sim-stm32f103-gpio.cfg || echo "board/$2.cfg"
}

# counters of interest, as "transactions instructions"
counters() {
	echo "$(e2e_stat dap.transactions) $(e2e_stat core.instructions_estimate)"
}

# session LABEL COMMAND...: one openocd session; sets sess_dt sess_di
# (DAP transactions and instructions it caused, minus an idle session).
session() {
	label=$1; shift
	read -r t0 i0 <<<"$(counters)"
	ub_openocd "$cfg" "$E2E_DIR/$name-$link-$label.log" init "reset init" "$@" shutdown
	sess_rc=$?
	read -r t1 i1 <<<"$(counters)"
	sess_dt=$((t1 - t0 - idle_t))
	sess_di=$((i1 - i0 - idle_i))
}

# OpenOCD's own "(x KiB/s)" and "in y s" from a log
kibs() { sed -n 's/.* in \([0-9.]*\)s (\([0-9.]*\) KiB\/s).*/\2/p' "$1" | tail -n 1; }
secs() { sed -n 's/.* in \([0-9.]*\)s (\([0-9.]*\) KiB\/s).*/\1/p' "$1" | tail -n 1; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }

printf '%-10s %-13s %-8s %10s %10s %14s %14s\n' board link op bytes KiB/s "DAP trans/s" "instr/s"
for name in $boards; do
	IFS='|' read -r twin sim_board sim_opts def_size ram ram_size chip_size <<<"$(board_line "$name")" || continue
	eval "n=\${BENCH_SIZE_$name:-$def_size}"
	cfg=$(twin_cfg "$name" "$twin")
	for link in $links; do
		img=$E2E_DIR/$name.img
		e2e_random_file "$img" "${chip_size:-16777216}"
		e2e_random_file "$E2E_DIR/data.bin" "$n"
		# shellcheck disable=SC2086
		e2e_start_sim "$sim_board" "$img" --link "$link" $sim_opts || continue
		# The core runs free until the first session halts it (reset init);
		# afterwards it only runs between reset and halt and the stubs.
		idle_t=0 idle_i=0
		session warmup
		session idle
		idle_t=$sess_dt idle_i=$sess_di
		for op in program verify read ramdump; do
			case $op in
			program) session program "flash write_image erase $E2E_DIR/data.bin 0x90000000"
				ok=$(ub_cmp_range "$img" 0 "$E2E_DIR/data.bin" 0 "$n" && echo 1) ;;
			verify) session verify "flash verify_bank 1 $E2E_DIR/data.bin 0"
				ok=$([ $sess_rc = 0 ] && echo 1) ;;
			read) session read "flash read_bank 1 $E2E_DIR/read.bin 0 $n"
				ok=$(ub_cmp_range "$E2E_DIR/read.bin" 0 "$img" 0 "$n" && echo 1) ;;
			ramdump) session ramdump "dump_image $E2E_DIR/ram.bin $ram $ram_size"
				ok=$([ $sess_rc = 0 ] && echo 1) ;;
			esac
			log=$E2E_DIR/$name-$link-$op.log
			bytes=$n
			[ $op = ramdump ] && bytes=$ram_size
			if [ "$sess_rc" != 0 ] || [ -z "$ok" ]; then
				printf '%-10s %-13s %-8s %10s %10s   FAILED (see %s)\n' "$name" "$link" "$op" "$bytes" - "$log"
				E2E_FAILS=$((E2E_FAILS + 1))
				continue
			fi
			s=$(secs "$log")
			printf '%-10s %-13s %-8s %10s %10s %14s %14s\n' "$name" "$link" "$op" "$bytes" "$(kibs "$log")" \
				"$(rate "$sess_dt" "$s")" "$(rate "$sess_di" "$s")"
		done
		e2e_stop_sim
	done
done
# the core's free-running speed, from the simulator's own test
core_test=${top_builddir:-.}/tests/sim/test_core
if [ -x "$core_test" ]; then
	"$core_test" 2>&1 | sed -n 's/^.*free-running: /simulator core, free-running (tests\/sim\/test_core): /p'
fi
echo "(KiB/s as OpenOCD reports it for the command; DAP transactions and instructions per second are the"
echo " simulator's counters over that command's session minus an idle session, divided by that time)"
exit 0
