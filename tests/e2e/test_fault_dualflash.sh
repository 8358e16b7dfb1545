#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spiram_loader on a QUADSPI found in dual-flash mode (CR.DFM = 1) and the
# faults that mode has: the simulated STM32H750B-DK (two MT25QL512 dies on
# BK1/BK2).
#
# With the H750 twin's single-flash set-up and DFM then set by hand, as a
# dual-flash board's reset-init would, the bank is both dies: 128 MiB of
# 8 KiB sectors, and erasing sector 0 erases the first 4 KiB of each die
# and nothing else.  The same bank, probed so, refuses to work once DFM is
# 0 again (the geometry it was probed with is gone), naming the mode and
# what to do; probed again it is die 1 (FLASH1) alone, the 64 MiB
# MT25QL512A it is.
#
# The board's own config, board/spiram-sim-stm32h750b-dk.cfg: its
# reset-init sets dual-flash mode up (pins of both banks, DFM, FSIZE of
# both dies) and leaves a memory-mapped window over both dies, whose bytes
# are the two dies of the image interleaved (bank byte 2k = die 1's byte
# k, 2k + 1 = die 2's), checked at the start, past each die's 16 MiB (4-byte
# addresses) and at the last word; the probe finds both dies.  With die 2
# missing (--fault flash2:no-chip) reset-init names both dies' IDs and maps
# the board's 128 MiB anyway, and the driver names the missing die; with
# die 2 answering another ID (--fault flash2:jedec=20BA21) the driver names
# both IDs; in both cases the probe fails and nothing is erased or
# programmed.  Block protection (Micron BP bits) is set on both dies: the
# top 128 KiB of the bank (64 KiB of each die, BP = 0001) refuses a write
# naming the range and the command to unprotect, both dies' status
# registers show it, and once unprotected the same write lands; the CRC of
# that odd-ended range, computed on the target, is the file's.

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h750.cfg
size=$((128 * 1024 * 1024))
image=$E2E_DIR/flash.img
e2e_random_file "$image" $size
cp "$image" "$E2E_DIR/orig.img"
e2e_start_sim stm32h750b-dk "$image" || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/dfm.log
e2e_openocd "$cfg" "$log" init "reset init" \
	"mmw 0x52005000 0x40 0" "flash probe 1" "flash erase_sector 1 0 0" \
	"mmw 0x52005000 0 0x40" "flash erase_sector 1 1 1" shutdown
rc=$?
e2e_check "DFM set by hand: the probe finds both dies, 128 MiB of 8 KiB sectors" \
	grep -q "MT25QL512A (ID 20 ba 20, SFDP), 131072 KiB at 0x90000000, 16384 sectors of 8192 bytes" "$log"
e2e_check "both dies' JEDEC ID read and found equal" grep -q "both chips answer JEDEC ID 20 ba 20" "$log"
e2e_check "erase_sector 1 0 0: one 4 KiB erase in each die" \
	test "$(e2e_stat chip.erases)" -eq 1 -a "$(e2e_stat chip2.erases)" -eq 1
python3 - "$E2E_DIR/orig.img" "$image" $size <<'PY'
import sys
o = open(sys.argv[1], 'rb').read()
n = open(sys.argv[2], 'rb').read()
h = int(sys.argv[3]) // 2
want = bytearray(o)
want[0:4096] = b'\xff' * 4096
want[h:h + 4096] = b'\xff' * 4096
open(sys.argv[2] + '.want', 'wb').write(want)
PY
e2e_check "the first 4 KiB of each die erased, nothing else changed" cmp -s "$image" "$image.want"
e2e_check "DFM back to 0 after the probe: the second erase fails (exit status $rc)" test "$rc" -ne 0
e2e_check "the error names the mode change and what to do" \
	grep -q "is now in single-flash mode (CR 0x[0-9a-f]*) but bank 1 was probed in dual-flash mode; run 'flash probe 1' again" "$log"
e2e_check "nothing more erased or programmed" \
	test "$(e2e_stat chip.erases)" -eq 1 -a "$(e2e_stat chip2.erases)" -eq 1 -a "$(e2e_stat chip.page_programs)" -eq 0
for die in chip chip2; do
	e2e_check "$die: no misuse" test "$(e2e_stat $die.misuse)" -eq 0
done
cp "$image" "$E2E_DIR/orig.img"

log=$E2E_DIR/single.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe 1" "flash info 1" shutdown
rc=$?
e2e_check "DFM = 0: probe of FLASH1 succeeds (exit status $rc)" test "$rc" -eq 0
e2e_check "DFM = 0: die 1 is the MT25QL512A, 64 MiB" grep -q "MT25QL512A (ID 20 ba 20, SFDP), 65536 KiB at 0x90000000" "$log"

# bank_words IMAGE OFFSET: the two words at bank OFFSET as the interleaving
# of the image's dies gives them, in read_memory's form
bank_words() {
	od -An -v -tx1 -w1 -j $(($2 / 2)) -N 4 "$1" | tr -d ' ' >"$E2E_DIR/d1.txt"
	od -An -v -tx1 -w1 -j $(($2 / 2 + size / 2)) -N 4 "$1" | tr -d ' ' >"$E2E_DIR/d2.txt"
	paste -d '\n' "$E2E_DIR/d1.txt" "$E2E_DIR/d2.txt" | tr -d '\n' |
		sed -E 's/(..)(..)(..)(..)(..)(..)(..)(..)/0x\4\3\2\1 0x\8\7\6\5/'
}
# unpadded: read_memory prints 0x%x
unpad() { sed -E 's/0x0*([0-9a-f])/0x\1/g'; }
board_cfg=board/spiram-sim-stm32h750b-dk.cfg
offsets="0 $((0x2000010)) $((size - 8))"
reads=()
for off in $offsets; do
	reads+=("echo \"E2E_WIN $off [read_memory $((0x90000000 + off)) 32 2]\"")
done
e2e_start_sim stm32h750b-dk "$image" || { e2e_fail "simulator start"; e2e_done; }
log=$E2E_DIR/board.log
e2e_openocd "$board_cfg" "$log" init "reset init" "${reads[@]}" "flash probe 1" shutdown
rc=$?
e2e_check "board config: the probe finds both dies (exit status $rc)" test "$rc" -eq 0
e2e_check "board config: bank 1 is 128 MiB of 8 KiB sectors" \
	grep -q "131072 KiB at 0x90000000, 16384 sectors of 8192 bytes" "$log"
for off in $offsets; do
	want=$(bank_words "$image" "$off" | unpad)
	e2e_check "board config: window at bank 0x$(printf %x "$off") reads both dies interleaved ($want)" \
		grep -q "^E2E_WIN $off $want\$" "$log"
done
e2e_check "board config: both dies' IDs agree, no warning" bash -c "! grep -q 'FLASH2 (BK2)' '$log'"
for die in chip chip2; do
	e2e_check "board config: $die: no erase, no program" \
		test "$(e2e_stat $die.erases)" -eq 0 -a "$(e2e_stat $die.page_programs)" -eq 0
done
e2e_check "board config: image unchanged" cmp -s "$image" "$E2E_DIR/orig.img"

e2e_start_sim stm32h750b-dk "$image" --fault flash2:no-chip || { e2e_fail "simulator start"; e2e_done; }
log=$E2E_DIR/board-nodie2.log
e2e_openocd "$board_cfg" "$log" init "reset init" "${reads[0]}" "flash probe 1" "flash erase_sector 1 0 0" shutdown
rc=$?
want=$(bank_words "$image" 0 | sed -E 's/0x(..)(..)(..)(..)/0xff\2ff\4/g' | unpad)
e2e_check "die 2 missing: reset-init names both dies' IDs" \
	grep -q "FLASH1 (BK1) answers 20 ba 20, FLASH2 (BK2) ff ff ff; memory-mapped window of 0x8000000 bytes" "$log"
e2e_check "die 2 missing: the window reads die 1's bytes and 0xff for die 2's ($want)" \
	grep -q "^E2E_WIN 0 $want\$" "$log"
e2e_check "die 2 missing: the driver names it and the die that answers" \
	grep -q "FLASH2 (BK2) answers JEDEC ID ff ff ff: no chip there (FLASH1 (BK1) answers 20 ba 20)" "$log"
e2e_check "die 2 missing: probe and erase fail (exit status $rc)" test "$rc" -ne 0
e2e_check "die 2 missing: die 1 neither erased nor programmed" \
	test "$(e2e_stat chip.erases)" -eq 0 -a "$(e2e_stat chip.page_programs)" -eq 0
e2e_check "die 2 missing: image unchanged" cmp -s "$image" "$E2E_DIR/orig.img"

e2e_start_sim stm32h750b-dk "$image" --fault flash2:jedec=20BA21 || { e2e_fail "simulator start"; e2e_done; }
log=$E2E_DIR/board-otherid.log
e2e_openocd "$board_cfg" "$log" init "reset init" "flash probe 1" "flash erase_sector 1 0 0" shutdown
rc=$?
e2e_check "die 2 answering another ID: probe and erase fail (exit status $rc)" test "$rc" -ne 0
e2e_check "die 2 answering another ID: the driver names both IDs" \
	grep -q "FLASH1 (BK1) answers JEDEC ID 20 ba 20 but FLASH2 (BK2) answers 20 ba 21: dual-flash mode needs two identical chips" "$log"
for die in chip chip2; do
	e2e_check "die 2 answering another ID: $die neither erased nor programmed" \
		test "$(e2e_stat $die.erases)" -eq 0 -a "$(e2e_stat $die.page_programs)" -eq 0
done
e2e_check "die 2 answering another ID: image unchanged" cmp -s "$image" "$E2E_DIR/orig.img"

e2e_start_sim stm32h750b-dk "$image" || { e2e_fail "simulator start"; e2e_done; }
cp "$image" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/top.bin" $((0x10001))
log=$E2E_DIR/protect.log
e2e_openocd "$board_cfg" "$log" init "reset init" "flash protect 1 16368 16383 on" \
	"echo \"STATUS [spiram_loader status 1]\"" \
	"catch {flash write_image erase $E2E_DIR/top.bin 0x97fe0001}" shutdown
e2e_check "protect the top 128 KiB: both dies' SR1 = 0x04 (BP = 0001)" \
	test "$(grep -c '^SR1 0x04:' "$log")" -eq 2
e2e_check "protect: the protected range is the bank's top 128 KiB" \
	grep -q "protected: offsets 0x07fe0000-0x07ffffff" "$log"
e2e_check "a write into it is refused, naming the range and the command" \
	grep -q "the chip protects 0x97fe0000-0x97ffffff (sectors 16368-16383.*'flash protect 1 16368 16383 off'" "$log"
e2e_check "protect: nothing erased or programmed in either die" \
	test "$(e2e_stat chip.erases)" -eq 0 -a "$(e2e_stat chip2.erases)" -eq 0 -a "$(e2e_stat chip.page_programs)" -eq 0 -a "$(e2e_stat chip2.page_programs)" -eq 0
e2e_check "protect: image unchanged" cmp -s "$image" "$E2E_DIR/orig.img"
log=$E2E_DIR/unprotect.log
e2e_openocd "$board_cfg" "$log" init "reset init" "flash protect 1 16368 16383 off" \
	"flash write_image erase $E2E_DIR/top.bin 0x97fe0001" "flash verify_image $E2E_DIR/top.bin 0x97fe0001" \
	"echo \"CRC [spiram_loader crc 1 0x7fe0001 0x10001]\"" shutdown
rc=$?
e2e_check "unprotected: the write and its verify pass (exit status $rc)" test "$rc" -eq 0
# the CRC of a range with odd ends (the stub's ranges are even in
# dual-flash mode: the edge bytes are read and added on the host) is
# OpenOCD's CRC of the file written there
want_crc=$(python3 - "$E2E_DIR/top.bin" <<'PY'
import sys
crc = 0xffffffff
for b in open(sys.argv[1], 'rb').read():
    crc ^= b << 24
    for _ in range(8):
        crc = ((crc << 1) ^ 0x04c11db7) & 0xffffffff if crc & 0x80000000 else (crc << 1) & 0xffffffff
print('0x%08x' % crc)
PY
)
e2e_check "spiram_loader crc of 0x10001 bytes at the odd bank offset 0x7fe0001 is the file's ($want_crc)" \
	grep -q "^CRC $want_crc" "$log"
e2e_check "unprotected: neither die ignored an erase or program as protected" \
	test "$(e2e_stat chip.ignored_protected)" -eq 0 -a "$(e2e_stat chip2.ignored_protected)" -eq 0
python3 - "$image" "$E2E_DIR/top.bin" $size $((0x7fe0001)) <<'PY'
import sys
img = open(sys.argv[1], 'rb').read()
top = open(sys.argv[2], 'rb').read()
h = int(sys.argv[3]) // 2
off = int(sys.argv[4])
bank = bytearray(len(top))
for i in range(len(top)):
    a = off + i
    bank[i] = img[(a % 2) * h + a // 2]
sys.exit(0 if bank == top else 1)
PY
e2e_check "unprotected: the dies hold the file at bank 0x7fe0001" test $? -eq 0
e2e_done
