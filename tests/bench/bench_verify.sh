#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Read, verify and erase-check benchmark of issue F2 (figures only, never
# fails on a number): spiram_loader against OpenOCD's own stmqspi on the
# same simulated STM32H750 + W25Q128JV, --timing typical, a probe link
# model, runs of the two drivers interleaved.  Each command is timed alone,
# inside OpenOCD, with [clock milliseconds].  The link's own rate is
# measured in the same run: `dump_image` of 512 KiB of AXI SRAM.
#
# Cases (4 MiB at 0x90000000 unless said):
#   P3r  flash read_bank of random data
#   P3s  flash read_bank of a mostly blank chip (one 4 KiB sector in 64 holds data)
#   P3f  flash read_bank of firmware-like data (ARM code and its tables: the
#        toolchain's Thumb libraries, back to back)
#   P4b  flash verify_bank of random data (ratio: to P3r's median time)
#   P4i  flash verify_image of the same
#   P4p  program ... verify of the same, the chip already holding it
#        (smart programming writes nothing; spiram_loader only)
#   VI1  flash verify_image of 1 MiB
#   EC   flash erase_check of a nearly blank 16 MiB chip
#   P5   flash write_image erase of 1 MiB of the firmware-like data onto
#        an erased chip (the compressed write, with the chip's erase out
#        of the way; ratio: to the link's
#        RAM-load rate, `load_image` of 512 KiB to AXI SRAM in the same
#        run; meant for the slow link: BENCH_LINKS=stlink-v2)
#   P6   P5 onto an erased MT25QL512A (64 MiB, Micron) on the same board,
#        for issue F2's comparison with the 1080 KB/s SEGGER publishes for
#        a J-Link on an STM32H757 with an MT25QL512 (meant for
#        BENCH_LINKS=jlink; KB/s in 1000 bytes)
#
# Environment: as the e2e tests; BENCH_LINKS (default "cmsis-dap-hs
# jlink"), BENCH_REPS (default 3), BENCH_CASES (default all).

srcdir=${srcdir:-.}
. "$srcdir/tests/e2e/lib.sh"
. "$srcdir/tests/e2e/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

links=${BENCH_LINKS:-cmsis-dap-hs jlink}
reps=${BENCH_REPS:-3}
cases=${BENCH_CASES:-P3r P3s P3f P4b P4i P4p VI1 EC P5 P6}
D=$E2E_DIR
SIZE=16777216
LEN=$((4 * 1024 * 1024))
DUMP=$((512 * 1024))

e2e_random_file "$D/random.img" $SIZE
head -c $LEN "$D/random.img" >"$D/p4.bin"
head -c $((1024 * 1024)) "$D/random.img" >"$D/vi1.bin"
head -c $SIZE /dev/zero | tr '\0' '\377' >"$D/erased.img"
cat "$D/erased.img" "$D/erased.img" "$D/erased.img" "$D/erased.img" >"$D/erased64.img"
# mostly blank: every 64th sector random
cp "$D/erased.img" "$D/sparse.img"
for s in $(seq 0 64 4095); do
	dd if="$D/random.img" of="$D/sparse.img" bs=4096 skip="$s" seek="$s" count=1 conv=notrunc 2>/dev/null
done
# nearly blank: a few bytes
cp "$D/erased.img" "$D/nearly.img"
for at in 0x10000 0x800000 0xfff000; do
	printf 'data' | dd of="$D/nearly.img" bs=1 seek=$((at)) conv=notrunc 2>/dev/null
done
# firmware-like: ARM code, 4 MiB
# (the toolchain says where its libraries are)
cc=${ARM_CC:-arm-none-eabi-gcc}
fw_src=
for flags in "-mcpu=cortex-m0plus" "-mcpu=cortex-m3" "-mcpu=cortex-m7 -mfloat-abi=hard -mfpu=fpv5-d16"; do
	for l in libc.a libc_nano.a libm.a libstdc++.a; do
		# shellcheck disable=SC2086
		f=$("$cc" -mthumb $flags -print-file-name=$l 2>/dev/null)
		[ -f "$f" ] && fw_src="$fw_src $f"
	done
done
if [ -n "$fw_src" ]; then
	# shellcheck disable=SC2086
	cat $fw_src $fw_src $fw_src | head -c $LEN >"$D/fw.bin"
else
	echo "bench: no arm-none-eabi libraries: P3f reads random data"
	cp "$D/p4.bin" "$D/fw.bin"
fi
cp "$D/random.img" "$D/fw.img"
dd if="$D/fw.bin" of="$D/fw.img" conv=notrunc 2>/dev/null
head -c $((1024 * 1024)) "$D/fw.bin" >"$D/fw1.bin"

# case -> "start image|command|bytes"
case_line() {
	case $1 in
	P3r) echo "random.img|flash read_bank 1 $D/out.bin 0 $LEN|$LEN" ;;
	P3s) echo "sparse.img|flash read_bank 1 $D/out.bin 0 $LEN|$LEN" ;;
	P3f) echo "fw.img|flash read_bank 1 $D/out.bin 0 $LEN|$LEN" ;;
	P4b) echo "random.img|flash verify_bank 1 $D/p4.bin 0|$LEN" ;;
	P4i) echo "random.img|flash verify_image $D/p4.bin 0x90000000 bin|$LEN" ;;
	P4p) echo "random.img|program $D/p4.bin 0x90000000 verify|$LEN" ;;
	VI1) echo "random.img|flash verify_image $D/vi1.bin 0x90000000 bin|1048576" ;;
	EC) echo "nearly.img|flash erase_check 1|$SIZE" ;;
	P5) echo "erased.img|flash write_image erase $D/fw1.bin 0x90000000 bin|1048576" ;;
	P6) echo "erased64.img|flash write_image erase $D/fw1.bin 0x90000000 bin|1048576|--chip mt25ql512a" ;;
	esac
}

# one_run DRIVER CASE LINK: prints "ms dump_ms busy_ms" (-1: failed); for
# P5 and P6 dump_ms is the RAM load's time
one_run() {
	drv=$1; c=$2; link=$3
	IFS='|' read -r start cmd bytes simargs <<<"$(case_line "$c")"
	cp "$D/$start" "$D/flash.img"
	# shellcheck disable=SC2086
	e2e_start_sim stm32h750 "$D/flash.img" --timing typical --link "$link" $simargs >/dev/null ||
		{ echo "-1 -1 0"; return; }
	b0=$(e2e_stat chip.busy_ns)
	cfg=board/spiram-sim-stm32h750.cfg
	[ "$drv" = stmqspi ] && cfg=board/spiram-sim-stm32h750-stmqspi.cfg
	log=$D/$drv-$c-$link.log
	rm -f "$D/out.bin"
	link_cmd="dump_image $D/ram.bin 0x24000000 $DUMP"
	case $c in
	P5 | P6) link_cmd="load_image $D/p4.bin 0x24000000 bin 0x24000000 $DUMP" ;;
	esac
	ub_openocd "$cfg" "$log" init "reset init" "flash probe 1" \
		"set t0 [clock milliseconds]; $link_cmd; echo \"DUMP_MS [expr {[clock milliseconds] - \$t0}]\"" \
		"set t0 [clock milliseconds]; $cmd; echo \"BENCH_MS [expr {[clock milliseconds] - \$t0}]\"" shutdown
	b1=$(e2e_stat chip.busy_ns)
	e2e_stop_sim
	ms=$(sed -n 's/^BENCH_MS \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	dms=$(sed -n 's/^DUMP_MS \([0-9]*\)$/\1/p' "$log" | tail -n 1)
	case $c in
	P3*) [ -f "$D/out.bin" ] && cmp -s "$D/out.bin" <(head -c "$bytes" "$D/$start") || ms=-1 ;;
	P5 | P6) cmp -s "$D/flash.img" <(cat "$D/fw1.bin"; tail -c +$((bytes + 1)) "$D/$start") || ms=-1 ;;
	esac
	echo "${ms:--1} ${dms:--1} $(( (b1 - b0) / 1000000 ))"
}

# min and median of numbers
stats() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%d %d", v[1], v[int((NR + 1) / 2)] }'
}

echo "F2 read/verify benchmark: simulated STM32H750 + W25Q128JV, --timing typical, $reps runs each, interleaved"
for link in $links; do
	echo
	echo "link model: $link"
	printf '%-4s | %-20s | %-8s | %-20s | %-9s | %-10s | %s\n' case "spiram_loader min/med" "KiB/s" \
		"stmqspi min/med" "x stmqspi" "x RAM dump" "x P3r time (P4)"
	p3r_med=0
	dumps=()
	for c in $cases; do
		sp=(); st=()
		# P5 and P6 are compared with the RAM load, the others with the RAM dump
		write_case=false
		case $c in P5 | P6) write_case=true ;; esac
		$write_case && { saved_dumps=("${dumps[@]}"); dumps=(); }
		busy=()
		IFS="|" read -r _ _ bytes _ <<<"$(case_line "$c")"
		for r in $(seq 1 "$reps"); do
			read -r ms dms bms <<<"$(one_run spiram_loader "$c" "$link")"
			sp+=("$ms"); dumps+=("$dms"); busy+=("$bms")
			if [ "$c" = P4p ]; then
				st+=(-1)
			else
				read -r ms dms _ <<<"$(one_run stmqspi "$c" "$link")"
				st+=("$ms"); dumps+=("$dms")
			fi
		done
		read -r sp_min sp_med <<<"$(stats "${sp[@]}")"
		read -r st_min st_med <<<"$(stats "${st[@]}")"
		read -r _ dump_med <<<"$(stats "${dumps[@]}")"
		[ "$c" = P3r ] && p3r_med=$sp_med
		kib=$(awk -v ms="$sp_med" -v n="$bytes" 'BEGIN { if (ms > 0) printf "%d", n / 1024 / (ms / 1000); else print "-" }')
		xst=$(awk -v a="$sp_med" -v b="$st_med" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }')
		# rate against the RAM dump's rate
		xdump=$(awk -v ms="$sp_med" -v n="$bytes" -v dms="$dump_med" -v d=$DUMP \
			'BEGIN { if (ms > 0 && dms > 0) printf "%.2f", (n / ms) / (d / dms); else print "-" }')
		xread=-
		case $c in
		P4*) xread=$(awk -v a="$sp_med" -v b="$p3r_med" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else print "-" }') ;;
		esac
		printf '%-4s | %-20s | %-8s | %-20s | %-9s | %-10s | %s\n' "$c" "$sp_min / $sp_med" "$kib" \
			"$st_min / $st_med" "$xst" "$xdump" "$xread"
		if $write_case; then
			read -r _ busy_med <<<"$(stats "${busy[@]}")"
			echo "$c: RAM load ($((DUMP / 1024)) KiB to AXI SRAM, $c's runs): median $dump_med ms," \
				"$(awk -v dms="$dump_med" -v d=$DUMP 'BEGIN { if (dms > 0) printf "%d", d / 1024 / (dms / 1000); else print "-" }') KiB/s; $c's 'x RAM dump' is x this RAM-load rate;" \
				"$(awk -v ms="$sp_med" -v n="$bytes" 'BEGIN { if (ms > 0) printf "%d", n / ms; else print "-" }') KB/s;" \
				"chip busy median $busy_med ms ($(awk -v a="$sp_med" -v b="$busy_med" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }') x)"
			dumps=("${saved_dumps[@]}")
			read -r _ dump_med <<<"$(stats "${dumps[@]:-0}")"
		fi
	done
	echo "RAM dump ($((DUMP / 1024)) KiB of AXI SRAM): median $dump_med ms," \
		"$(awk -v dms="$dump_med" -v d=$DUMP 'BEGIN { if (dms > 0) printf "%d", d / 1024 / (dms / 1000); else print "-" }') KiB/s"
done
echo
echo "x stmqspi: stmqspi's time / spiram_loader's (above 1: faster); x RAM dump: rate / the link's RAM-dump rate"
