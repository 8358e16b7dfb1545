#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# OpenOCD's own stmqspi driver, unchanged, on the simulated STM32H750B-DK:
# QUADSPI in dual-flash mode (CR.DFM = 1) over the MT25TL01G's two
# MT25QL512 dies, set up by OpenOCD's board/stm32h750b-disco.cfg and its
# board/stm32h7x_dual_qspi.cfg `qspi_init 1` (DFM, FSIZE 0x1A, VCR 0xABAB
# and EVCR 0x3F3F to both dies, QPI, memory-mapped ECh 4-4-4 with 10 dummy
# cycles), only its interface lines left out.  The image is die 1 (FLASH1,
# BK1) then die 2 (FLASH2, BK2); bank byte 2k is die 1's byte k and 2k + 1
# die 2's (RM0433 dual-flash mode).  Each step is compared with the image:
#  - probe reads the same ID from both dies; `flash info`: 128 MiB, 128 KiB
#    sectors (2 x 64 KiB);
#  - `flash erase_sector 1 0 1` then `flash write_bank` of 70001 bytes at
#    0x1000 (odd, crossing 512-byte dual pages and the first 128 KiB
#    sector): the interleaved image holds them, the rest of the two sectors
#    (each die's 0-0x1FFFF) reads 0xFF, everything above is untouched;
#  - both dies saw the same erase and program commands (the simulator's
#    per-die counters);
#  - `flash verify_bank` passes; `flash read_bank` and `mdw` of the bank's
#    last word through the ECh window equal the interleaved image;
#  - `flash erase_sector 1 2 3`: bank 0x40000-0x7FFFF, i.e. each die's
#    0x20000-0x3FFFF, erased, nothing else.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM
command -v python3 >/dev/null || e2e_skip "python3 not found"

cfg=board/spiram-sim-stm32h750b-dk-stmqspi.cfg
die=$((64 * 1024 * 1024))
size=$((2 * die))
image=$E2E_DIR/flash.img
e2e_random_file "$image" $size
cp "$image" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/data.bin" 70001

# bank_view IMAGE OFFSET LENGTH OUT: the bank's bytes [OFFSET, +LENGTH) as
# the interleaving of the image's two dies gives them
bank_view() {
	python3 - "$@" <<'PY'
import sys
path, off, n, out = sys.argv[1], int(sys.argv[2], 0), int(sys.argv[3], 0), sys.argv[4]
with open(path, 'rb') as f:
    img = f.read()
half = len(img) // 2
first, last = off // 2, (off + n + 1) // 2
view = bytearray(2 * (last - first))
view[0::2] = img[first:last]
view[1::2] = img[half + first:half + last]
start = off - 2 * first
open(out, 'wb').write(view[start:start + n])
PY
}

# die_range_is FILE DIE OFFSET LENGTH BYTE|orig: a die's range is all BYTE,
# or equals the same range of orig.img
die_range_is() {
	python3 - "$E2E_DIR/orig.img" "$@" <<'PY'
import sys
orig, path, die, off, n, want = sys.argv[1:7]
die, off, n = int(die), int(off, 0), int(n, 0)
with open(path, 'rb') as f:
    img = f.read()
base = (die - 1) * (len(img) // 2) + off
got = img[base:base + n]
if want == 'orig':
    with open(orig, 'rb') as f:
        ref = f.read()[base:base + n]
else:
    ref = bytes([int(want, 0)]) * n
sys.exit(0 if got == ref else 1)
PY
}

e2e_start_sim stm32h750b-dk "$image" || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/write.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe 1" "flash info 1" "flash erase_sector 1 0 1" \
	"flash write_bank 1 $E2E_DIR/data.bin 0x1000" shutdown
rc=$?
e2e_check "probe, erase, write_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "stmqspi read the MT25QL512's ID (20 BA 20) from die 1" \
	grep -q "flash1 'micron mt25ql512' id = 0x20ba20 size = 65536 KiB" "$log"
e2e_check "stmqspi read the same ID from die 2" \
	grep -q "flash2 'micron mt25ql512' id = 0x20ba20 size = 65536 KiB" "$log"
e2e_check "flash info 1: 128 MiB" grep -q "stmqspi at 0x90000000, size 0x08000000" "$log"
e2e_check "flash info 1: 1024 sectors of 128 KiB (2 x 64 KiB)" \
	grep -q "#1023: 0x07fe0000 (0x20000 128kB)" "$log"
bank_view "$image" 0x1000 70001 "$E2E_DIR/written.bin"
e2e_check "the interleaved image holds the written bytes at 0x1000" \
	cmp -s "$E2E_DIR/written.bin" "$E2E_DIR/data.bin"
e2e_check "die 1 below the data erased (bank 0-0xFFF)" die_range_is "$image" 1 0 0x800 0xFF
e2e_check "die 2 below the data erased" die_range_is "$image" 2 0 0x800 0xFF
end=$(((0x1000 + 70001 + 1) / 2))
e2e_check "die 1 after the data erased to 0x1FFFF" \
	die_range_is "$image" 1 $end $((0x20000 - end)) 0xFF
e2e_check "die 2 after the data erased to 0x1FFFF" \
	die_range_is "$image" 2 $end $((0x20000 - end)) 0xFF
e2e_check "die 1 from 0x20000 untouched" die_range_is "$image" 1 0x20000 $((die - 0x20000)) orig
e2e_check "die 2 from 0x20000 untouched" die_range_is "$image" 2 0x20000 $((die - 0x20000)) orig
erases1=$(e2e_stat chip.erases)
erases2=$(e2e_stat chip2.erases)
programs1=$(e2e_stat chip.page_programs)
programs2=$(e2e_stat chip2.page_programs)
e2e_check "both dies erased twice (one 64 KiB erase each per 128 KiB sector): $erases1 / $erases2" \
	test "$erases1" = 2 -a "$erases2" = 2
# 70001 bytes from 0x1000 over 512-byte dual pages: 137 page programs per die
e2e_check "both dies programmed 137 pages: $programs1 / $programs2" \
	test "$programs1" = 137 -a "$programs2" = 137

log=$E2E_DIR/verify.log
e2e_openocd "$cfg" "$log" init "reset init" "flash verify_bank 1 $E2E_DIR/data.bin 0x1000" \
	"flash read_bank 1 $E2E_DIR/read.bin 0 0x40000" "mdw 0x97fffffc" shutdown
rc=$?
e2e_check "verify_bank and read_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "verify_bank: contents match" grep -q "contents match" "$log"
bank_view "$image" 0 0x40000 "$E2E_DIR/view.bin"
e2e_check "read_bank equals the interleaved image" cmp -s "$E2E_DIR/read.bin" "$E2E_DIR/view.bin"
bank_view "$image" $((size - 4)) 4 "$E2E_DIR/last.bin"
e2e_check "mdw of the bank's last word through the ECh window" \
	grep -q "^0x97fffffc: $(od -An -tx4 "$E2E_DIR/last.bin" | tr -d ' ')" "$log"

cp "$image" "$E2E_DIR/orig.img"
log=$E2E_DIR/erase.log
e2e_openocd "$cfg" "$log" init "reset init" "flash erase_sector 1 2 3" shutdown
rc=$?
e2e_check "erase_sector 1 2 3: exit status 0 (got $rc)" test "$rc" -eq 0
for n in 1 2; do
	e2e_check "die $n: 0x20000-0x3FFFF erased" die_range_is "$image" $n 0x20000 0x20000 0xFF
	e2e_check "die $n: below 0x20000 unchanged" die_range_is "$image" $n 0 0x20000 orig
	e2e_check "die $n: from 0x40000 unchanged" die_range_is "$image" $n 0x40000 $((die - 0x40000)) orig
done
e2e_done
