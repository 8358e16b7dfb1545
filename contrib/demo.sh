#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The main job on the simulated STM32H750 board, as a user runs it:
#   1. dump the external flash with `flash read_bank 1`,
#   2. program an image with `program fw.bin 0x90000000 verify reset exit`,
#   3. dump again, and compare both dumps with the simulator's flash image
#      (the ground truth) and with fw.bin.
#
#   contrib/demo.sh PREFIX     (PREFIX holds bin/openocd and bin/spiram-sim)
set -eu
prefix=$(cd "${1:-_install}" && pwd)
openocd=$prefix/bin/openocd
sim=$prefix/bin/spiram-sim
work=$(mktemp -d "${TMPDIR:-/tmp}/spiram-demo.XXXXXX")
port=${VDEBUGPORT:-8192}
while nc -z 127.0.0.1 "$port" 2>/dev/null; do port=$((port + 1)); done

say() { printf '\n== %s\n' "$*"; }
run() { printf '$ %s\n' "$*"; "$@"; }

cleanup() { [ -n "${simpid:-}" ] && kill "$simpid" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

say "start the simulated STM32H750 + W25Q128JV (16 MiB image: $work/flash.img)"
printf '$ %s\n' "$sim --board stm32h750 --image $work/flash.img --port $port &"
"$sim" --board stm32h750 --image "$work/flash.img" --port "$port" --stats "$work/stats.txt" >"$work/sim.log" 2>&1 &
simpid=$!
for _ in $(seq 100); do nc -z 127.0.0.1 "$port" 2>/dev/null && break; sleep 0.05; done

ocd() { run "$openocd" -c "set VDEBUGPORT $port" -f board/spiram-sim-stm32h750.cfg "$@"; }

say "1. dump the external flash (bank 1)"
ocd -c "init; reset init; flash read_bank 1 $work/dump-before.bin; shutdown"
cmp "$work/dump-before.bin" "$work/flash.img" && echo "dump-before.bin == simulator image ($(stat -c %s "$work/flash.img") bytes)"

say "2. program a 256 KiB firmware image at 0x90000000 and verify it"
head -c 262144 /dev/urandom >"$work/fw.bin"
ocd -c "program $work/fw.bin 0x90000000 verify reset exit"

say "3. dump again and compare"
ocd -c "init; reset init; flash read_bank 1 $work/dump-after.bin; shutdown"
cmp "$work/dump-after.bin" "$work/flash.img" && echo "dump-after.bin == simulator image"
cmp -n 262144 "$work/dump-after.bin" "$work/fw.bin" && echo "first 256 KiB == fw.bin"
cmp -i 262144 "$work/dump-after.bin" "$work/dump-before.bin" && echo "the rest is unchanged"
kill -USR1 "$simpid"; sleep 0.2
echo "simulator counters: $(grep -E '^(chip\.erases|chip\.page_programs|dap\.transactions)=' "$work/stats.txt" | tr '\n' ' ')"
echo "4 KiB sectors erased or programmed: $(sed -n 's/^sector\.\(0x[0-9a-f]*\)\..*=[1-9].*/\1/p' "$work/stats.txt" | sort -u | wc -l) (256 KiB = 64 sectors)"
say "demo passed (files in $work)"
