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
#   PV   program <file> 0x90000000 verify, over other random data
#   G    GDB load of a 1 MiB ELF over other random data, then the same
#        load again (timed in GDB; the second must erase and program
#        nothing: the counters of each load are printed)
# and P1b, P1a, P2 on the GD32F307 (SPI) and STM32F103 (bit-banged GPIO)
# twins (no stmqspi there), with BENCH_TWIN_LEN bytes; and, side by side
# with stmqspi (set up by OpenOCD's own board/stm32h735g-disco.cfg), P1b
# and W of 1 MiB on the STM32H735G-DK twin's MX25LM51245G in octal DTR,
# and (set up by OpenOCD's own board/stm32h750b-disco.cfg) on the
# STM32H750B-DK twin's two MT25QL512 dies in dual-flash mode.
#
# Environment: as the e2e tests; BENCH_LINKS (default "cmsis-dap-hs
# jlink"), BENCH_REPS (default 3), BENCH_CASES (default all H750 cases),
# BENCH_TWINS (default "gd32f307 stm32f103-gpio", "" for none),
# BENCH_TWIN_CASES (default "P1b P1a P2"), BENCH_TWIN_LEN (default 256 KiB),
# BENCH_OCTAL_CASES (default "P1b W", "" for none), BENCH_DUAL_CASES
# (default "P1b W", "" for none).

srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/lib.sh"
. "$srcdir/tests/e2e/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

links=${BENCH_LINKS:-cmsis-dap-hs jlink}
reps=${BENCH_REPS:-3}
cases=${BENCH_CASES:-P1b P1a P2 P2c W E PV G}
twins=${BENCH_TWINS-gd32f307 stm32f103-gpio}
twin_cases=${BENCH_TWIN_CASES:-P1b P1a P2}
octal_cases=${BENCH_OCTAL_CASES-P1b W}
dual_cases=${BENCH_DUAL_CASES-P1b W}
D=$E2E_DIR
SIZE=16777216
LEN=$((1024 * 1024))
TWIN_LEN=${BENCH_TWIN_LEN:-$((256 * 1024))}

e2e_random_file "$D/random.img" $SIZE
head -c $SIZE /dev/zero | tr '\0' '\377' >"$D/erased.img"
if [ -n "$octal_cases" ]; then
	# the MX25LM51245G holds 64 MiB: random data in the first 2 MiB
	cat "$D/erased.img" "$D/erased.img" "$D/erased.img" "$D/erased.img" >"$D/octal-erased.img"
	cp "$D/octal-erased.img" "$D/octal-random.img"
	dd if="$D/random.img" of="$D/octal-random.img" bs=1M count=2 conv=notrunc 2>/dev/null
fi
if [ -n "$dual_cases" ]; then
	# two 64 MiB dies, the image die 1 then die 2: random data in the
	# first MiB of each (the bank's first 2 MiB)
	cat "$D/erased.img" "$D/erased.img" "$D/erased.img" "$D/erased.img" >"$D/die-erased.img"
	cat "$D/die-erased.img" "$D/die-erased.img" >"$D/dual-erased.img"
	cp "$D/dual-erased.img" "$D/dual-random.img"
	dd if="$D/random.img" of="$D/dual-random.img" bs=1M count=1 conv=notrunc 2>/dev/null
	dd if="$D/random.img" of="$D/dual-random.img" bs=1M skip=1 seek=64 count=1 conv=notrunc 2>/dev/null
	rm -f "$D/die-erased.img"
fi
e2e_random_file "$D/fw.bin" $LEN
head -c "$TWIN_LEN" "$D/fw.bin" >"$D/fw-twin.bin"
cp "$D/fw.bin" "$D/fw-c.bin"
printf '\x00\x11\x22\x33' | dd of="$D/fw-c.bin" bs=1 seek=$((0x54321)) conv=notrunc 2>/dev/null
# the chip already holding fw.bin (P2, P2c), or its first TWIN_LEN bytes
cp "$D/random.img" "$D/holds-fw.img"
dd if="$D/fw.bin" of="$D/holds-fw.img" conv=notrunc 2>/dev/null
# the same data as an ELF at 0x90000000, for GDB's load
gdb_ok=
if [ -n "${GDB_MULTIARCH:-}" ] && [ -x "$GDB_MULTIARCH" ] && [ -n "${ARM_CC:-}" ] && [ -x "$ARM_CC" ]; then
	printf '\t.section .text\n\t.incbin "%s"\n' "$D/fw.bin" >"$D/fw.S"
	"$ARM_CC" -nostdlib -Wl,-Ttext=0x90000000 -Wl,-e,0x90000000 "$D/fw.S" -o "$D/fw.elf" >"$D/elf.log" 2>&1 &&
		gdb_ok=1
fi

# case -> "start image|command" (fw is the data file of the board)
case_line() {
	fw=$2
	case $1 in
	P1b) echo "random.img|flash write_image erase $fw 0x90000000 bin" ;;
	P1a) echo "erased.img|flash write_image erase $fw 0x90000000 bin" ;;
	P2) echo "holds-fw.img|flash write_image erase $fw 0x90000000 bin" ;;
	P2c) echo "holds-fw.img|flash write_image erase $D/fw-c.bin 0x90000000 bin" ;;
	W) echo "erased.img|flash write_bank 1 $fw 0" ;;
	E) echo "random.img|flash erase_address 0x90000000 $LEN" ;;
	PV) echo "random.img|program $fw 0x90000000 verify" ;;
	esac
}

# board config of a driver on a twin
board_cfg() {
	if [ "$1" = stmqspi ]; then
		echo "board/spiram-sim-${2:-stm32h750}-stmqspi.cfg"
	else
		echo "board/spiram-sim-$2.cfg"
	fi
}

# simulator arguments of a twin
sim_args() {
	case $1 in
	stm32h750) echo "stm32h750 --timing typical" ;;
	gd32f307) echo "gd32f307 --timing typical" ;;
	stm32f103-gpio) echo "stm32f103 --wiring gpio --timing typical" ;;
	stm32h735g-dk) echo "stm32h735g-dk --timing typical" ;;
	stm32h750b-dk) echo "stm32h750b-dk --timing typical" ;;
	esac
}

counters() {
	echo "$(e2e_stat chip.busy_ns) $(e2e_stat chip.erases) $(e2e_stat chip.page_programs)"
}

# one_run DRIVER CASE LINK [TWIN]: prints "ms busy_ms erases programs" (ms -1: failed)
one_run() {
	drv=$1; c=$2; link=$3; twin=${4:-stm32h750}
	fw=$D/fw.bin
	case $twin in stm32h750 | stm32h735g-dk | stm32h750b-dk) ;; *) fw=$D/fw-twin.bin ;; esac
	IFS='|' read -r start cmd <<<"$(case_line "$c" "$fw")"
	[ "$twin" = stm32h735g-dk ] && start=octal-$start
	[ "$twin" = stm32h750b-dk ] && start=dual-$start
	cp "$D/$start" "$D/flash.img"
	# shellcheck disable=SC2046
	set -- $(sim_args "$twin")
	board=$1
	shift
	e2e_start_sim "$board" "$D/flash.img" "$@" --link "$link" >/dev/null || { echo "-1 0 0 0"; return; }
	read -r b0 e0 p0 <<<"$(counters)"
	log=$D/$drv-$c-$link-$twin.log
	ub_openocd "$(board_cfg "$drv" "$twin")" "$log" init "reset init" "flash probe 1" \
		"set t0 [clock milliseconds]; $cmd; echo \"BENCH_MS [expr {[clock milliseconds] - \$t0}]\"" shutdown
	read -r b1 e1 p1 <<<"$(counters)"
	e2e_stop_sim
	ms=$(sed -n 's/^BENCH_MS \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	echo "${ms:--1} $(( (b1 - b0) / 1000000 )) $((e1 - e0)) $((p1 - p0))"
}

# gdb_run DRIVER LINK: GDB loads fw.elf twice through DRIVER; prints
# "ms1 busy1_ms erases1 programs1 ms2 erases2 programs2" (ms -1: failed)
gdb_run() {
	drv=$1; link=$2
	cp "$D/random.img" "$D/flash.img"
	e2e_start_sim stm32h750 "$D/flash.img" --timing typical --link "$link" >/dev/null || { echo "-1 0 0 0 -1 0 0"; return; }
	UB_GDB_PORT=$(ub_free_port 1)
	ocd_log=$D/gdb-ocd-$drv-$link.log
	ub_openocd_server "$(board_cfg "$drv" stm32h750)" "$ocd_log" "READY FOR GDB" "$drv: openocd for GDB" \
		init "reset init" 'echo "READY FOR GDB"'
	# this runs in a subshell: its exit must not clean the bench's files
	trap - EXIT
	snap="kill -USR1 $E2E_SIM_PID; sleep 0.3; grep -E '^chip\\.(busy_ns|erases|page_programs)=' $E2E_STATS | tail -n 3 | cut -d= -f2 | tr '\\n' ' '"
	cat >"$D/load.gdb" <<EOF
set pagination off
set confirm off
set remotetimeout 120
target extended-remote 127.0.0.1:$UB_GDB_PORT
shell ($snap; date +%s%3N) > $D/g0.txt
load
shell ($snap; date +%s%3N) > $D/g1.txt
load
shell ($snap; date +%s%3N) > $D/g2.txt
disconnect
EOF
	timeout 300 "$GDB_MULTIARCH" -nx -batch -x "$D/load.gdb" "$D/fw.elf" >"$D/gdb-$drv-$link.log" 2>&1
	rc=$?
	ub_stop_openocd
	e2e_stop_sim
	UB_GDB_PORT=disabled
	if [ $rc -ne 0 ] || [ ! -s "$D/g2.txt" ]; then
		echo "-1 0 0 0 -1 0 0"
		return
	fi
	# the counters come in the order the simulator writes them
	read -r p0 e0 b0 t0 <"$D/g0.txt"
	read -r p1 e1 b1 t1 <"$D/g1.txt"
	read -r p2 e2 b2 t2 <"$D/g2.txt"
	echo "$((t1 - t0)) $(( (b1 - b0) / 1000000 )) $((e1 - e0)) $((p1 - p0)) $((t2 - t1)) $((e2 - e1)) $((p2 - p1))"
}

# median and min of numbers
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[1], v[int((NR + 1) / 2)] }'
}

ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }'
}

kibs() {
	awk -v ms="$1" -v n="$2" 'BEGIN { if (ms > 0) printf "%d", n / 1024 / (ms / 1000); else print "-" }'
}

header() {
	printf '%-10s | %-22s | %-8s | %-22s | %-9s | %-12s | %s\n' case "spiram_loader min/med" "KiB/s" \
		"stmqspi min/med" "x stmqspi" "chip busy ms" "x chip busy; erases, programs (spiram / stmqspi)"
}

# side_by_side CASE LINK TWIN: the case's row, spiram_loader and stmqspi
# interleaved $reps times on the twin
side_by_side() {
	local c=$1 link=$2 twin=$3 r ms b b2 e p busy=0 sp_ep="" st_ep="" sp=() st=()
	for r in $(seq 1 "$reps"); do
		read -r ms b e p <<<"$(one_run spiram_loader "$c" "$link" "$twin")"
		sp+=("$ms"); busy=$b; sp_ep="$e, $p"
		read -r ms b2 e p <<<"$(one_run stmqspi "$c" "$link" "$twin")"
		st+=("$ms"); st_ep="$e, $p"
	done
	read -r sp_min sp_med <<<"$(stats "${sp[@]}")"
	read -r st_min st_med <<<"$(stats "${st[@]}")"
	printf '%-10s | %-22s | %-8s | %-22s | %-9s | %-12s | %s; %s / %s\n' "$c" "$sp_min / $sp_med" \
		"$(kibs "$sp_med" $LEN)" "$st_min / $st_med" "$(ratio "$sp_med" "$st_med")" "$busy" \
		"$(ratio "$sp_med" "$busy")" "$sp_ep" "$st_ep"
}

# twin_section TWIN DESCRIPTION LINK CASE...: the twin's rows side by side
# with stmqspi (nothing without cases)
twin_section() {
	local twin=$1 what=$2 link=$3 c
	shift 3
	[ $# -gt 0 ] || return 0
	echo
	echo "twin $twin ($what), 1 MiB, link model $link"
	header
	for c in "$@"; do
		side_by_side "$c" "$link" "$twin"
	done
}

echo "F1 programming benchmark: simulated STM32H750 + W25Q128JV, --timing typical, 1 MiB, $reps runs each, interleaved"
for link in $links; do
	echo
	echo "link model: $link"
	header
	for c in $cases; do
		if [ "$c" = G ]; then
			[ -n "$gdb_ok" ] || { echo "G          | skipped: no GDB_MULTIARCH or ARM_CC"; continue; }
			sp=(); st=(); sp2=(); st2=(); busy=0
			for r in $(seq 1 "$reps"); do
				read -r ms b e p ms2 e2 p2 <<<"$(gdb_run spiram_loader "$link")"
				sp+=("$ms"); sp2+=("$ms2"); busy=$b; sp_ep="$e, $p"; sp_ep2="$e2, $p2"
				read -r ms b e p ms2 e2 p2 <<<"$(gdb_run stmqspi "$link")"
				st+=("$ms"); st2+=("$ms2"); st_ep="$e, $p"; st_ep2="$e2, $p2"
			done
			read -r a_min a_med <<<"$(stats "${sp[@]}")"
			read -r b_min b_med <<<"$(stats "${st[@]}")"
			printf '%-10s | %-22s | %-8s | %-22s | %-9s | %-12s | %s; %s / %s\n' "G load 1" "$a_min / $a_med" \
				"$(kibs "$a_med" $LEN)" "$b_min / $b_med" "$(ratio "$a_med" "$b_med")" "$busy" \
				"$(ratio "$a_med" "$busy")" "$sp_ep" "$st_ep"
			read -r a_min a_med <<<"$(stats "${sp2[@]}")"
			read -r b_min b_med <<<"$(stats "${st2[@]}")"
			printf '%-10s | %-22s | %-8s | %-22s | %-9s | %-12s | %s; %s / %s\n' "G load 2" "$a_min / $a_med" \
				"$(kibs "$a_med" $LEN)" "$b_min / $b_med" "$(ratio "$a_med" "$b_med")" "-" "-" "$sp_ep2" "$st_ep2"
			continue
		fi
		side_by_side "$c" "$link" stm32h750
	done
	for twin in $twins; do
		echo
		echo "twin $twin (spiram_loader only), $((TWIN_LEN / 1024)) KiB, link model $link"
		header
		for c in $twin_cases; do
			sp=(); busy=0; sp_ep=""
			for r in $(seq 1 "$reps"); do
				read -r ms b e p <<<"$(one_run spiram_loader "$c" "$link" "$twin")"
				sp+=("$ms"); busy=$b; sp_ep="$e, $p"
			done
			read -r sp_min sp_med <<<"$(stats "${sp[@]}")"
			printf '%-10s | %-22s | %-8s | %-22s | %-9s | %-12s | %s; %s\n' "$c" "$sp_min / $sp_med" \
				"$(kibs "$sp_med" "$TWIN_LEN")" "-" "-" "$busy" "$(ratio "$sp_med" "$busy")" "$sp_ep"
		done
	done
	twin_section stm32h735g-dk "MX25LM51245G in octal DTR on OCTOSPI1" "$link" $octal_cases
	twin_section stm32h750b-dk "two MT25QL512 dies, dual-flash QUADSPI; chip busy: die 1's" "$link" $dual_cases
done
