# SPDX-License-Identifier: GPL-2.0-or-later
#
# Cross-check of one simulated QUADSPI board against OpenOCD's own upstream
# stmqspi driver, set up by OpenOCD's own board file with only its
# interface lines left out (board/spiram-sim-<board>-stmqspi.cfg): its
# reset-init and `qspi_init` run unchanged.  Sourced by the
# test_stmqspi_<board>.sh scripts after lib.sh, which set cfg, sim_board,
# bank (stmqspi's bank number), size (the chip's) and chip_text (how
# stmqspi names the chip it found), then call stmqspi_board_checks.  Each
# step is compared with the image file:
#  - probe finds the chip; `flash info` gives its size;
#  - `flash erase_sector <bank> 0 1` then `flash write_bank` of 70001 bytes
#    (odd, crossing pages and the 64 KiB sector line) at 0x1000: the image
#    holds them there, the rest of sectors 0-1 reads 0xFF, the rest of the
#    chip is untouched;
#  - `flash verify_bank` passes; `flash read_bank` equals the image; `mdw`
#    of the chip's last word (the board's memory-mapped window) too;
#  - `flash erase_sector <bank> 2 3`: 0x20000-0x3FFFF erased, the rest
#    unchanged.
# A script may set stmqspi_session_end to commands run before each
# session's shutdown (the octal board returns its chip to SPI there, as
# the next session's set-up expects it after a reset that does not reach
# the flash).

stmqspi_board_checks() {
local end=(${stmqspi_session_end[@]+"${stmqspi_session_end[@]}"})
image=$E2E_DIR/flash.img
e2e_random_file "$image" "$size"
cp "$image" "$E2E_DIR/orig.img"
e2e_random_file "$E2E_DIR/data.bin" 70001
ff=$E2E_DIR/blank.bin
head -c $((0x20000)) /dev/zero | tr '\0' '\377' >"$ff"
e2e_start_sim "$sim_board" "$image" || { e2e_fail "simulator start"; e2e_done; }

log=$E2E_DIR/write.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe $bank" "flash info $bank" "flash erase_sector $bank 0 1" \
	"flash write_bank $bank $E2E_DIR/data.bin 0x1000" "${end[@]}" shutdown
rc=$?
e2e_check "probe, erase, write_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "stmqspi found the $chip_text" grep -q "$chip_text" "$log"
e2e_check "flash info $bank: $size bytes" grep -q "stmqspi at 0x90000000, size $(printf '0x%08x' "$size")" "$log"
e2e_check "image holds the written bytes at 0x1000" e2e_cmp_range "$image" 0x1000 "$E2E_DIR/data.bin" 0 70001
e2e_check "image below 0x1000 erased" e2e_cmp_range "$image" 0 "$ff" 0 4096
e2e_check "rest of sectors 0-1 erased" \
	e2e_cmp_range "$image" $((0x1000 + 70001)) "$ff" 0 $((0x20000 - 0x1000 - 70001))
e2e_check "sector 2 onwards untouched" \
	e2e_cmp_range "$image" $((0x20000)) "$E2E_DIR/orig.img" $((0x20000)) $((size - 0x20000))

log=$E2E_DIR/verify.log
e2e_openocd "$cfg" "$log" init "reset init" "flash verify_bank $bank $E2E_DIR/data.bin 0x1000" \
	"flash read_bank $bank $E2E_DIR/read.bin 0 0x30000" "mdw $(printf '0x%X' $((0x90000000 + size - 4)))" "${end[@]}" shutdown
rc=$?
e2e_check "verify_bank and read_bank: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "verify_bank: contents match" grep -q "contents match" "$log"
e2e_check "read_bank equals the image" e2e_cmp_range "$E2E_DIR/read.bin" 0 "$image" 0 $((0x30000))
e2e_check "mdw of the chip's last word through the board's 03h window" \
	grep -q "^$(printf '0x%08x' $((0x90000000 + size - 4))): $(od -An -tx4 -j $((size - 4)) -N4 "$image" | tr -d ' ')" "$log"

cp "$image" "$E2E_DIR/before-erase.img"
log=$E2E_DIR/erase.log
e2e_openocd "$cfg" "$log" init "reset init" "flash erase_sector $bank 2 3" "${end[@]}" shutdown
rc=$?
e2e_check "erase_sector $bank 2 3: exit status 0 (got $rc)" test "$rc" -eq 0
e2e_check "0x20000-0x3FFFF erased" e2e_cmp_range "$image" $((0x20000)) "$ff" 0 $((0x20000))
e2e_check "the rest unchanged" cmp -s <(head -c $((0x20000)) "$image") <(head -c $((0x20000)) "$E2E_DIR/before-erase.img")
e2e_check "the rest unchanged above 0x40000" \
	e2e_cmp_range "$image" $((0x40000)) "$E2E_DIR/before-erase.img" $((0x40000)) $((size - 0x40000))

}
