#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Every spiram_loader operation on every simulated board, judged by the
# simulator's image file and counters:
#   flash probe / info / read_bank / erase_sector / write_bank /
#   verify_bank / erase_check / protect (and protect_check through
#   flash info), spiram_loader info / status / cmd / crc / set / mass_erase.
# Boards: STM32H750 (QUADSPI), GD32F307 (SPI0), STM32F103 (SPI1) and
# STM32F103 bit-banged (GPIO).  `DRIVER_BOARDS="stm32h750 ..."` picks some.
# Then the progress lines of a long write (H750, modelled CMSIS-DAP link).
# The full-chip erase_check runs on the QUADSPI board only: on the
# byte-serial ones it reads 16 MiB at their speed (see docs/driver.md).

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

SIZE=16777216
F_IMG=$E2E_DIR/base.img
e2e_random_file "$F_IMG" $SIZE
D=$E2E_DIR
DATA=$D/data.bin
e2e_random_file "$DATA" $((0x401))

# CRC-32 as OpenOCD's image checksum (MSB first, no reflection).
crc_of() {
	python3 - "$1" "$2" "$3" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()[int(sys.argv[2], 0):int(sys.argv[2], 0) + int(sys.argv[3], 0)]
crc = 0xffffffff
for b in data:
    crc ^= b << 24
    for _ in range(8):
        crc = ((crc << 1) ^ 0x04c11db7) & 0xffffffff if crc & 0x80000000 else (crc << 1) & 0xffffffff
print('0x%08x' % crc)
PY
}

# twin | simulator board and options
ALL="stm32h750|stm32h750
gd32f307|gd32f307
stm32f103|stm32f103
stm32f103-gpio|stm32f103 --wiring gpio"

while IFS='|' read -r twin sim <&3; do
	[ -n "$twin" ] || continue
	if [ -n "${DRIVER_BOARDS:-}" ] && ! printf ' %s ' "$DRIVER_BOARDS" | grep -q " $twin "; then
		continue
	fi
	cfg=board/spiram-sim-$twin.cfg
	# shellcheck disable=SC2086
	f_fresh $sim || { e2e_fail "$twin: simulator start"; continue; }
	log=$D/$twin.log
	cmds=(init "reset init" "flash probe 1" "flash info 1" "spiram_loader info 1" "spiram_loader status 1"
		"spiram_loader cmd 1 3 0x9f" "spiram_loader crc 1 0x1001 0x2003"
		"flash read_bank 1 $D/$twin.read 0x1001 0x2003"
		"flash erase_sector 1 2 3" "flash write_bank 1 $DATA 0x2081" "flash verify_bank 1 $DATA 0x2081")
	[ "$twin" = stm32h750 ] && cmds+=("flash erase_check 1")
	cmds+=("flash protect 1 4032 4095 on" "flash info 1" "flash protect 1 4032 4095 off"
		"spiram_loader status 1" shutdown)
	start=$(date +%s)
	f_ocd "$cfg" "$log" "${cmds[@]}"
	rc=$?
	e2e_check "$twin: exit 0 (got $rc) in $(($(date +%s) - start)) s" test $rc -eq 0
	e2e_check "$twin: no error" bash -c "! grep -q '^Error' '$log'"
	e2e_check "$twin: flash info: bank 1 is spiram_loader, 16 MiB" \
		grep -q "#1 : spiram_loader at 0x90000000, size 0x01000000" "$log"
	e2e_check "$twin: spiram_loader info names the chip and ID" \
		grep -q "^spiram_loader: W25Q128JV, JEDEC ID ef 40 18, 16384 KiB" "$log"
	e2e_check "$twin: spiram_loader status: idle" grep -q "^SR1 0x00: BUSY 0 WEL 0" "$log"
	e2e_check "$twin: spiram_loader cmd 0x9f reads the JEDEC ID" grep -q "^0xef 0x40 0x18" "$log"
	want_crc=$(crc_of "$F_IMG" 0x1001 0x2003)
	e2e_check "$twin: spiram_loader crc = $want_crc (of the image)" grep -q "^$want_crc\$" "$log"
	e2e_check "$twin: read_bank at an odd offset equals the image" \
		e2e_cmp_range "$D/$twin.read" 0 "$F_IMG" $((0x1001)) $((0x2003))
	e2e_check "$twin: verify_bank matches" grep -q "contents match" "$log"
	if [ "$twin" = stm32h750 ]; then
		# the image is random; sector 2 holds the data, sector 3 stays erased
		e2e_check "$twin: erase_check: sector 2 not erased" \
			grep -q "#  2: 0x00002000 (0x1000 4kB) not erased" "$log"
		e2e_check "$twin: erase_check: sector 3 erased" \
			bash -c "! grep -q '#  3: 0x00003000 (0x1000 4kB) not erased' '$log'"
		e2e_check "$twin: erase_check: sector 4 not erased" \
			grep -q "#  4: 0x00004000 (0x1000 4kB) not erased" "$log"
	fi
	e2e_check "$twin: flash info shows the protected top sectors" \
		grep -q "#4095: 0x00fff000 (0x1000 4kB) protected" "$log"
	e2e_check "$twin: protect off clears the BP bits" \
		test "$(grep -c '^protected: nothing' "$log")" -ge 1
	f_touched_only "$twin" "$(f_sectors 0x2000 0x2000)"
	f_expect_write "$F_IMG" "$D/$twin.want" 0x2081 "$DATA" 0x2000 0x2000
	f_image_is "$twin" "$D/$twin.want"

	# spiram_loader set then mass_erase: the whole image becomes 0xFF.
	log2=$D/$twin.2.log
	f_ocd "$cfg" "$log2" init "reset init" "spiram_loader set 1 page 256" "flash probe 1" \
		"spiram_loader info 1" "spiram_loader mass_erase 1" shutdown
	rc=$?
	e2e_check "$twin: set + mass_erase exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: set takes effect at the probe" grep -q "override updated" "$log2"
	e2e_check "$twin: info shows the user override" grep -q "user override)" "$log2"
	e2e_check "$twin: mass_erase done" grep -q "bank 1 erased" "$log2"
	e2e_check "$twin: the image is all 0xFF" \
		cmp -s "$D/flash.img" <(head -c $SIZE /dev/zero | tr '\0' '\377')
	[ "$twin" = stm32h750 ] && f_mapped "$twin: after mass_erase" "$cfg" ffffffff
	e2e_stop_sim
done 3<<<"$ALL"

# Progress of a long write: 2 MiB over a modelled CMSIS-DAP HS link takes
# a few seconds; at least two "done / total (pct), rate" lines, growing,
# none more often than the driver's one-second interval allows.
if [ -z "${DRIVER_BOARDS:-}" ] || printf ' %s ' "$DRIVER_BOARDS" | grep -q " stm32h750 "; then
	e2e_random_file "$D/2m.bin" $((2 * 1024 * 1024))
	f_fresh stm32h750 --link cmsis-dap-hs || e2e_fail "progress: simulator start"
	f_ocd board/spiram-sim-stm32h750.cfg "$D/progress.log" init "reset init" \
		"flash write_image erase $D/2m.bin 0x90100000 bin" shutdown
	rc=$?
	e2e_check "progress: 2 MiB write exits 0 (got $rc)" test $rc -eq 0
	sed -n 's/.*spiram_loader: programmed \([0-9]*\) \/ 2097152 bytes ([0-9]*%), \([0-9]*\) KiB\/s.*/\1 \2/p' \
		"$D/progress.log" >"$D/progress.txt"
	lines=$(wc -l <"$D/progress.txt")
	e2e_check "progress: $lines 'programmed N / 2097152 bytes (P%), R KiB/s' lines (>= 2)" test "$lines" -ge 2
	e2e_check "progress: bytes done grow and every rate is above 0" \
		awk 'NR > 1 && $1 <= prev { exit 1 } $2 <= 0 { exit 1 } { prev = $1 }' "$D/progress.txt"
	e2e_check "progress: a final line with the total and the rate" \
		grep -Eq "spiram_loader: programmed 2097152 bytes in [0-9]+ ms \([0-9]+ KiB/s\)" "$D/progress.log"
	e2e_check "progress: image holds the data" e2e_cmp_range "$D/flash.img" $((0x100000)) "$D/2m.bin" 0 $((2 * 1024 * 1024))
fi

# The stub an earlier command left in the work area runs again without a
# new upload, once its first SPIRAM_STUB_GATE_BYTES and last bytes read
# back as uploaded; the stub checks the rest itself first.  A word changed
# in its middle (past those bytes) is found by that check: loaded again,
# the command runs again and is right.  A word changed in its first bytes:
# loaded again before it runs.
if [ -z "${DRIVER_BOARDS:-}" ] || printf ' %s ' "$DRIVER_BOARDS" | grep -q " stm32h750 "; then
	f_fresh stm32h750 || e2e_fail "stub in place: simulator start"
	e2e_random_file "$D/a.bin" 4096
	e2e_random_file "$D/b.bin" 4096
	e2e_random_file "$D/c.bin" 4096
	log=$D/inplace.log
	f_ocd board/spiram-sim-stm32h750.cfg "$log" init "reset init" "debug_level 3" "flash probe 1" \
		"echo MARK-A" "flash write_bank 1 $D/a.bin 0x10000" \
		"echo MARK-B" "mww 0x20001000 0xdededede" "flash write_bank 1 $D/b.bin 0x20000" \
		"echo MARK-C" "mww 0x20000060 0xdededede" "flash write_bank 1 $D/c.bin 0x30000" \
		"echo MARK-END" shutdown
	rc=$?
	e2e_check "stub in place: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "stub in place: no error" bash -c "! grep -q '^Error' '$log'"
	# uploads and reuses between two markers
	between() { sed -n "/MARK-$1\$/,/MARK-$2\$/p" "$log" | grep -c "$3"; }
	up='spiram_loader: stub upload [0-9]* bytes in'
	kept='the stub is still in the work area'
	e2e_check "stub in place: the first write reuses the probe's stub (no upload)" \
		test "$(between A B "$up")/$(between A B "$kept")" = 0/1
	e2e_check "stub in place: its middle changed: found by the stub, loaded again" \
		test "$(between B C "$up")/$(between B C "$kept")/$(between B C 'was changed: loading it again')" = 1/1/1
	e2e_check "stub in place: its first bytes changed: loaded before it runs" \
		test "$(between C END "$up")/$(between C END "$kept")" = 1/0
	for w in a:0x10000 b:0x20000 c:0x30000; do
		e2e_check "stub in place: ${w%%:*}.bin landed at ${w#*:}" \
			e2e_cmp_range "$D/flash.img" $((${w#*:})) "$D/${w%%:*}.bin" 0 4096
	done
	f_touched_only "stub in place" "$(printf '%s\n' 0x010000 0x020000 0x030000)"
	e2e_stop_sim
fi

e2e_done
