#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Smart programming (docs/driver.md, "Smart programming"), judged by the
# simulator's image file and its counters (chip.erases, chip.page_programs)
# on the H750 QUADSPI twin with the chip's datasheet timing, the GD32F307
# SPI twin and the STM32F103 bit-banged twin:
#  - the same image written twice: the second write erases and programs
#    nothing;
#  - an image that differs in one 4 KiB sector: exactly one 4 KiB erase and
#    that sector's 16 page programs;
#  - writing onto blank sectors: no erase at all;
#  - erasing a range that is already blank: no erase command;
#  - a write that covers part of a sector keeps the sector's other bytes,
#    and `spiram_loader unwritten 1 erase` brings back OpenOCD's 0xFF;
#  - an erase that no write follows still happens;
#  - (H750) GDB `load` twice: the second erases and programs nothing;
#  - page program is 32h on four lines on QUADSPI (with a quad read), 02h
#    on one line on the SPI and bit-banged twins.
# `SMART_BOARDS="stm32h750 ..."` picks some boards.

. "$(dirname "$0")/faults-lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

D=$E2E_DIR
F_IMG=$D/base.img
e2e_random_file "$F_IMG" 16777216
e2e_random_file "$D/fw.bin" $((64 * 1024 + 0x123))
# fw2.bin: fw.bin with one byte changed in its third 4 KiB sector
cp "$D/fw.bin" "$D/fw2.bin"
printf '\x5a' | dd of="$D/fw2.bin" bs=1 seek=$((0x2345)) conv=notrunc 2>/dev/null
cmp -s "$D/fw.bin" "$D/fw2.bin" && printf '\xa5' | dd of="$D/fw2.bin" bs=1 seek=$((0x2345)) conv=notrunc 2>/dev/null
e2e_random_file "$D/small.bin" 100

# counters since the last call: DE erases, DP page programs
smart_delta() {
	e=$(e2e_stat chip.erases)
	p=$(e2e_stat chip.page_programs)
	DE=$((e - SM_E))
	DP=$((p - SM_P))
	SM_E=$e
	SM_P=$p
}

# twin | simulator board and options
ALL="stm32h750|stm32h750 --timing typical
gd32f307|gd32f307
stm32f103-gpio|stm32f103 --wiring gpio"

while IFS='|' read -r twin sim <&3; do
	[ -n "$twin" ] || continue
	if [ -n "${SMART_BOARDS:-}" ] && ! printf ' %s ' "$SMART_BOARDS" | grep -q " $twin "; then
		continue
	fi
	cfg=board/spiram-sim-$twin.cfg
	# shellcheck disable=SC2086
	f_fresh $sim || { e2e_fail "$twin: simulator start"; continue; }
	SM_E=0
	SM_P=0
	# the file covers 16 sectors and 0x123 bytes of a 17th: onto data,
	# every page of the 17 sectors is programmed (the rest of the last
	# sector is kept, so it is written back after its erase); onto blank
	# sectors only the pages that hold data
	pages_onto_data=$((17 * 16))
	pages=$(( (64 * 1024 + 0x123 + 255) / 256 ))

	q0=$(e2e_stat spi.bytes_4line)
	f_ocd "$cfg" "$D/$twin.1.log" init "reset init" "flash write_image erase $D/fw.bin 0x90010000 bin" \
		"spiram_loader info 1" shutdown
	rc=$?
	q1=$(e2e_stat spi.bytes_4line)
	smart_delta
	e2e_check "$twin: first write of 64 KiB + 0x123 onto random data: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: first write: $DP page programs ($pages_onto_data) and $DE erases (>= 1)" \
		test "$DP" -eq $pages_onto_data -a "$DE" -ge 1
	# quad page program (32h, 1-1-4) on QUADSPI, 02h on one line elsewhere
	# (where nothing at all goes on four lines)
	if [ "$twin" = stm32h750 ]; then
		e2e_check "$twin: page program is 32h 1-1-4" grep -q "program 0x32 1-1-4" "$D/$twin.1.log"
	else
		e2e_check "$twin: page program is 02h 1-1-1" grep -q "program 0x02 1-1-1" "$D/$twin.1.log"
		e2e_check "$twin: nothing on four lines" test $((q1 - q0)) -eq 0
	fi
	e2e_check "$twin: first write: the image holds the file" e2e_cmp_range "$D/flash.img" $((0x10000)) "$D/fw.bin" 0 $((64 * 1024 + 0x123))
	e2e_check "$twin: first write: nothing else changed (the rest of the last sector kept)" \
		ub_same_outside "$F_IMG" "$D/flash.img" $((0x10000)) $((64 * 1024 + 0x123))

	f_ocd "$cfg" "$D/$twin.2.log" init "reset init" "flash write_image erase $D/fw.bin 0x90010000 bin" \
		"program $D/fw.bin 0x90010000 verify" shutdown
	rc=$?
	smart_delta
	e2e_check "$twin: the same image again (write_image erase, then program ... verify): exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: the same image again: 0 erases and 0 page programs (got $DE, $DP)" test "$DE" -eq 0 -a "$DP" -eq 0
	e2e_check "$twin: the same image again: says every sector already held the data" \
		grep -q "all 17 sectors already hold the data: nothing erased or programmed" "$D/$twin.2.log"

	f_ocd "$cfg" "$D/$twin.3.log" init "reset init" "flash write_image erase $D/fw2.bin 0x90010000 bin" shutdown
	rc=$?
	smart_delta
	e2e_check "$twin: one sector changed: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: one sector changed: exactly 1 erase and 16 page programs (got $DE, $DP)" \
		test "$DE" -eq 1 -a "$DP" -eq 16
	e2e_check "$twin: one sector changed: the image holds the new file" \
		e2e_cmp_range "$D/flash.img" $((0x10000)) "$D/fw2.bin" 0 $((64 * 1024 + 0x123))

	# blank sectors: erased once here, then written without an erase; a
	# second erase of a blank range erases nothing
	f_ocd "$cfg" "$D/$twin.4.log" init "reset init" "flash erase_address 0x90100000 0x20000" \
		"flash erase_address 0x90100000 0x20000" shutdown
	rc=$?
	smart_delta
	e2e_check "$twin: erase 128 KiB twice: exit 0 (got $rc)" test $rc -eq 0
	if [ "$twin" = stm32f103-gpio ]; then
		# bit-banged, reading 128 KiB to look for blank sectors takes
		# longer than erasing them may: the driver erases directly
		e2e_check "$twin: erase 128 KiB twice: 4 block erases (no blank scan on this bus), 0 programs (got $DE, $DP)" \
			test "$DE" -eq 4 -a "$DP" -eq 0
	else
		e2e_check "$twin: erase 128 KiB twice: 2 block erases (the second found it blank), 0 programs (got $DE, $DP)" \
			test "$DE" -eq 2 -a "$DP" -eq 0
		e2e_check "$twin: the second erase says the range is blank" \
			grep -q "all 32 sectors are blank already: nothing erased" "$D/$twin.4.log"
	fi
	f_ocd "$cfg" "$D/$twin.5.log" init "reset init" "flash write_image erase $D/fw.bin 0x90100000 bin" shutdown
	rc=$?
	smart_delta
	e2e_check "$twin: write onto blank sectors: exit 0, no erase, $pages page programs (got rc $rc, $DE, $DP)" \
		test $rc -eq 0 -a "$DE" -eq 0 -a "$DP" -eq $pages

	# partial sectors: kept by default, 0xFF with 'unwritten erase'
	cp "$D/flash.img" "$D/$twin.before6.img"
	f_ocd "$cfg" "$D/$twin.6.log" init "reset init" "flash write_image erase $D/small.bin 0x90300800 bin" \
		"spiram_loader unwritten 1 erase" "flash write_image erase $D/small.bin 0x90400800 bin" shutdown
	rc=$?
	e2e_check "$twin: 100 bytes into two sectors holding data: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: keep (default): the sector's other 3996 bytes are unchanged" \
		bash -c "$(declare -f ub_cmp_range); ub_cmp_range '$D/$twin.before6.img' $((0x300000)) '$D/flash.img' $((0x300000)) $((0x800)) &&
			ub_cmp_range '$D/$twin.before6.img' $((0x300864)) '$D/flash.img' $((0x300864)) $((0x79c))"
	python3 - "$D/$twin.before6.img" "$D/$twin.want6.img" "$D/small.bin" <<'PY'
import sys
img = bytearray(open(sys.argv[1], 'rb').read())
d = open(sys.argv[3], 'rb').read()
img[0x300800:0x300800 + len(d)] = d
img[0x400000:0x401000] = b'\xff' * 0x1000
img[0x400800:0x400800 + len(d)] = d
open(sys.argv[2], 'wb').write(img)
PY
	f_image_is "$twin: 'unwritten erase': the rest of sector 0x400000 is 0xFF, and 0x300000 kept" "$D/$twin.want6.img"

	# an erase that no write follows
	f_ocd "$cfg" "$D/$twin.7.log" init "reset init" "flash erase_sector 1 0x500 0x500" shutdown
	rc=$?
	e2e_check "$twin: erase_sector alone: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$twin: erase_sector alone: sector 0x500000 is erased" \
		cmp -s <(tail -c +$((0x500000 + 1)) "$D/flash.img" | head -c 4096) <(head -c 4096 /dev/zero | tr '\0' '\377')
	[ "$twin" = stm32h750 ] && f_mapped "$twin: after everything" "$cfg" "$(f_word "$D/flash.img" 0)"
	e2e_stop_sim
done 3<<<"$ALL"

# GDB load twice on the H750 twin: the second erases and programs nothing.
if [ -n "${GDB_MULTIARCH:-}" ] && [ -x "$GDB_MULTIARCH" ] && [ -n "${ARM_CC:-}" ] &&
	{ [ -z "${SMART_BOARDS:-}" ] || printf ' %s ' "$SMART_BOARDS" | grep -q " stm32h750 "; }; then
	srcdir=${srcdir:-.}
	elf=$D/xip.elf
	"$ARM_CC" -mcpu=cortex-m7 -mthumb -O1 -g -ffreestanding -nostdlib -T "$srcdir/tests/e2e/gdb/xip.ld" \
		"$srcdir/tests/e2e/gdb/xip.c" -o "$elf" >"$D/cc.log" 2>&1 || e2e_fail "gdb: build xip.elf"
	f_fresh stm32h750 --timing typical || e2e_fail "gdb: simulator start"
	UB_GDB_PORT=$(ub_free_port 1)
	ub_openocd_server board/spiram-sim-stm32h750.cfg "$D/gdb-ocd.log" "READY FOR GDB" \
		"openocd's GDB server on port $UB_GDB_PORT" init "reset init" 'echo "READY FOR GDB"'
	cat >"$D/load.gdb" <<EOF
set pagination off
set confirm off
set remotetimeout 60
target extended-remote 127.0.0.1:$UB_GDB_PORT
load
echo MARK-FIRST\n
load
echo MARK-SECOND\n
compare-sections
disconnect
EOF
	timeout 120 "$GDB_MULTIARCH" -nx -batch -x "$D/load.gdb" "$elf" >"$D/gdb.log" 2>&1
	rc=$?
	ub_stop_openocd
	e2e_check "gdb: two loads ran (exit $rc)" test $rc -eq 0
	first=$(grep -c "sectors written" "$D/gdb-ocd.log")
	e2e_check "gdb: the first load wrote its sectors" grep -q "sectors written" "$D/gdb-ocd.log"
	e2e_check "gdb: the second load found every sector holding the data (nothing erased or programmed)" \
		grep -q "already hold the data: nothing erased or programmed" "$D/gdb-ocd.log"
	e2e_check "gdb: only one load erased or programmed anything ($first)" test "$first" -eq 1
	e2e_check "gdb: compare-sections after the second load: matched" grep -q ": matched" "$D/gdb.log"
	e2e_stop_sim
fi

e2e_done
