#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Bad input on the simulated STM32H750 (W25Q128JV on QUADSPI, bank 1 at
# 0x90000000), as users type it:
#  - odd sizes that must SUCCEED and touch only their sectors: 1 byte,
#    0x401 bytes at an odd offset across a page and a sector line, the
#    last byte of the chip (write_image erase; image compared byte for
#    byte, the rest of the sectors kept as it was).  The type `bin` is given:
#    OpenOCD 0.12 cannot autodetect the type of a file under 9 bytes;
#  - bad input that must fail as a whole, with a non-zero exit, the cause
#    named, no sector touched and the image unchanged: an image larger
#    than the bank (`flash write_image erase` and `program ... verify`),
#    `flash write_bank` past the bank's end, `flash erase_address` across
#    the bank's end, an empty file, a 5-byte file without a type, a
#    missing file, an address outside the bank, a read past the end, a
#    wrong bank number, a work area below the stub's minimum, an image
#    that starts below the bank (OpenOCD would skip it with "no flash bank
#    found" and succeed), an empty file or a directory without an address,
#    verify_bank against a directory, `spiram_loader cmd` with a read count
#    that wraps the size check, a flash subcommand before init, `set`
#    geometry no NOR chip has (a 1-byte erase size), numbers whose k/M
#    suffix would wrap at 32 bits (`set size`, `-prescaler`);
#  - a second bank limited to 1 MiB: mass_erase erases only its range; a
#    bank that overlaps another is warned about.
#    OpenOCD 0.12's core would write an oversized image up to the bank's
#    end (warning only), truncate write_bank, erase the in-bank part of an
#    erase_address before failing, and fail on a file under 9 bytes with
#    no message; tcl/spiram/spiram-helpers.tcl refuses those requests
#    before anything is touched, with a "spiram_loader:" message;
#  - after every case QUADSPI is still memory-mapped (a new session reads
#    the first word through mdw without reset-init).

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

CFG=board/spiram-sim-stm32h750.cfg
SIZE=16777216
F_IMG=$E2E_DIR/base.img
e2e_random_file "$F_IMG" $SIZE
D=$E2E_DIR

# --- odd sizes that must work --------------------------------------------
# name | offset | length
while IFS='|' read -r name off len <&3; do
	[ -n "$name" ] || continue
	f_fresh stm32h750 || { e2e_fail "$name: simulator start"; continue; }
	data=$D/$name.bin
	e2e_random_file "$data" $((len))
	if [ $((len)) -eq 1 ]; then
		# the complement of the byte there: a random byte equal to it
		# (1 in 256) would rightly be written nowhere
		old=$(od -An -tu1 -j $((off)) -N1 "$F_IMG" | tr -d ' ')
		printf "\\$(printf '%03o' $((255 - old)))" >"$data"
	fi
	log=$D/$name.log
	f_ocd $CFG "$log" init "reset init" \
		"flash write_image erase $data $(printf '0x%x' $((0x90000000 + off))) bin" \
		"flash verify_bank 1 $data $((off))" shutdown
	rc=$?
	e2e_check "$name: exit 0 (got $rc)" test $rc -eq 0
	e2e_check "$name: verify_bank matches" grep -q "contents match" "$log"
	first=$((off / 4096 * 4096))
	span=$(( (off + len + 4095) / 4096 * 4096 - first ))
	f_touched_only "$name" "$(f_sectors $first $span)"
	# the rest of the sectors keeps its content (smart programming)
	f_expect_write "$F_IMG" "$D/$name.want" $((off)) "$data" $first 0
	f_image_is "$name" "$D/$name.want"
	f_mapped "$name" $CFG "$(f_word "$D/$name.want" 0)"
done 3<<'CASES'
one-byte|0x5003|1
odd-0x401|0x1f81|0x401
last-byte|0xffffff|1
CASES

# --- bad input: nothing may change ----------------------------------------
head -c $((SIZE + 4)) /dev/urandom >"$D/big.bin"
: >"$D/empty.bin"
head -c 5 /dev/urandom >"$D/five.bin"
head -c 16 /dev/urandom >"$D/small.bin"
head -c 5000 /dev/urandom >"$D/5k.bin"
mkdir -p "$D/a-directory"
head -c $((0x2000)) /dev/urandom >"$D/two-sectors.bin"
want_word=$(f_word "$F_IMG" 0)

# name | command | patterns the output must hold (';'-separated)
while IFS='|' read -r name cmd pats <&3; do
	[ -n "$name" ] || continue
	f_fresh stm32h750 || { e2e_fail "$name: simulator start"; continue; }
	log=$D/$name.log
	eval "f_ocd $CFG \"$log\" init \"reset init\" \"$cmd\" shutdown"
	rc=$?
	IFS=';' read -r -a plist <<<"$pats"
	f_failed "$name" $rc "$log" "${plist[@]}"
	e2e_check "$name: no 'wrote'/'erased' report" bash -c "! grep -Eq '^(wrote|erased) ' '$log'"
	f_touched_only "$name" ""
	f_image_is "$name" "$F_IMG"
	f_mapped "$name" $CFG "$want_word"
done 3<<CASES
larger-than-bank-write_image|flash write_image erase $D/big.bin 0x90000000|spiram_loader: '[^']*big.bin' runs past the end of flash bank 1 \\(stm32h7x.qspi, 0x90000000-0x90FFFFFF\\): its data at 0x90000000-0x91000003 is 4 bytes too long; nothing was erased or written
larger-than-bank-program|program $D/big.bin 0x90000000 verify reset exit|spiram_loader: '[^']*big.bin' runs past the end of flash bank 1 .* is 4 bytes too long; nothing was erased or written;Programming Failed
tail-past-end-write_image|flash write_image erase $D/two-sectors.bin 0x90fff000 bin|spiram_loader: '[^']*two-sectors.bin' runs past the end of flash bank 1 .*: its data at 0x90FFF000-0x91000FFF is 4096 bytes too long
write_bank-past-end|flash write_bank 1 $D/small.bin 0xfffff8|spiram_loader: '[^']*small.bin' \\(16 bytes at offset 0x00FFFFF8\\) runs past the end of flash bank 1 .* by 8 bytes; nothing was erased or written
erase_address-across-end|flash erase_address 0x90fff000 0x2000|spiram_loader: erase_address 0x90FFF000 0x2000 runs past the end of flash bank 1 .* by 0x1000 bytes; nothing was erased;'flash erase_address 0x90FFF000 0x1000'
erase_address-pad-across-end|flash erase_address pad 0x90ffff00 0x200|spiram_loader: erase_address 0x90FFFF00 0x200 runs past the end of flash bank 1 .* by 0x100 bytes; nothing was erased
address-outside-bank|flash erase_address 0x91000000 0x1000|No flash at address 0x91000000
read-past-the-end|flash read_bank 1 $D/x.bin 0xffffff 2|out of range of the flash bank
empty-file|flash write_image erase $D/empty.bin 0x90000000|spiram_loader: '[^']*empty.bin' is empty: nothing to write to flash bank 1
five-byte-file|flash write_image erase $D/five.bin 0x90000000|spiram_loader: '[^']*five.bin' is only 5 bytes: OpenOCD cannot detect the type of a file under 9 bytes; give the type, e.g. 'flash write_image erase [^ ]*five.bin 0x90000000 bin'
missing-file|flash write_image erase $D/missing.bin 0x90000000|spiram_loader: cannot read '[^']*missing.bin' \\(no such file
empty-file-bin|flash write_image erase $D/empty.bin 0x90000000 bin|spiram_loader: '[^']*empty.bin' is empty: nothing to write to flash bank 1
empty-file-write_bank|flash write_bank 1 $D/empty.bin 0|spiram_loader: '[^']*empty.bin' is empty
wrong-bank|flash write_bank 2 $D/small.bin 0|flash bank 2 does not exist
image-starts-below-bank|flash write_image erase $D/5k.bin 0x8fffff00 bin|spiram_loader: '[^']*5k.bin' starts outside flash bank 1 .*: its data at 0x8FFFFF00-0x90001287 begins 256 bytes below the bank; nothing was erased or written
empty-file-no-address|flash write_image $D/empty.bin|spiram_loader: '[^']*empty.bin' is empty: there is nothing to write
directory-no-address|flash write_image $D/a-directory|spiram_loader: cannot read '[^']*a-directory' \\(no such file, or not a file\\)
verify_bank-directory|flash verify_bank 1 $D/a-directory|spiram_loader: cannot read '[^']*a-directory' \\(no such file, or not a file\\): give the file to compare flash bank 1 with
cmd-read-count-wraps|spiram_loader cmd 1 0xFFFFFFFF 0x9f|spiram_loader: cmd: 1 bytes to send and 4294967295 to read; at most 1024 in all
set-erase-1-byte|spiram_loader set 1 erase 1:0x20|spiram_loader: set: erase size 1 is not an erase size a NOR chip has
set-size-suffix-wraps|spiram_loader set 1 size 17592186044417M|spiram_loader: .*'17592186044417M' is out of range
CASES

# --- a number with a suffix that would wrap, on a bank line ------------------
f_fresh stm32h750 || e2e_fail "prescaler: simulator start"
log=$D/prescaler.log
f_ocd $CFG "$log" "flash bank big spiram_loader 0x94000000 0 0 0 stm32h7x.cpu0 stm32_qspi 0x52005000 -prescaler 17592186044416M" \
	init shutdown
rc=$?
f_failed "prescaler-suffix-wraps" $rc "$log" "spiram_loader: -prescaler '17592186044416M' is out of range: expected"
f_touched_only "prescaler-suffix-wraps" ""
f_image_is "prescaler-suffix-wraps" "$F_IMG"

# --- a flash subcommand before init ----------------------------------------
f_fresh stm32h750 || e2e_fail "before init: simulator start"
log=$D/before-init.log
f_ocd $CFG "$log" "flash write_image erase $D/small.bin 0x90000000" init shutdown
rc=$?
f_failed "flash-before-init" $rc "$log" \
	"flash write_image: this command works only after 'init' \\(the target is not connected before it\\)"
f_touched_only "flash-before-init" ""
f_image_is "flash-before-init" "$F_IMG"

# --- a second bank limited to 1 MiB of the chip ----------------------------
# mass_erase erases that bank's range only, never the whole chip; a bank
# overlapping another gets a warning naming both once both are probed.
f_fresh stm32h750 || e2e_fail "limited bank: simulator start"
log=$D/limited.log
f_ocd $CFG "$log" "flash bank small spiram_loader 0x94000000 0x100000 0 0 stm32h7x.cpu0 stm32_qspi 0x52005000" \
	"flash bank overlapping spiram_loader 0x90800000 0x100000 0 0 stm32h7x.cpu0 stm32_qspi 0x52005000" \
	init "reset init" "spiram_loader mass_erase 2" "flash probe 1" "flash probe 3" shutdown
rc=$?
e2e_check "limited-bank mass_erase: exit 0 (got $rc)" test $rc -eq 0
e2e_check "limited-bank mass_erase: says it erases the bank's range only" \
	grep -q "bank 2 covers 0x100000 of the chip's 0x1000000 bytes: erasing that range with block erases" "$log"
e2e_check "overlapping bank: warned, naming both banks" \
	grep -q "bank overlapping (0x90800000-0x908fffff) overlaps bank 1 stm32h7x.qspi (spiram_loader, 0x90000000-0x90ffffff)" "$log"
f_touched_only "limited-bank mass_erase" "$(f_sectors 0 0x100000)"
f_expect_write "$F_IMG" "$D/limited.want" 0 "$D/empty.bin" 0 0x100000
f_image_is "limited-bank mass_erase: the first MiB erased, the rest unchanged" "$D/limited.want"

# --- work area too small ----------------------------------------------------
f_fresh stm32h750 || e2e_fail "work area: simulator start"
log=$D/workarea.log
f_ocd $CFG "$log" "stm32h7x.cpu0 configure -work-area-size 0x1000" init "reset init" \
	"flash write_image erase $D/small.bin 0x90000000" shutdown
rc=$?
f_failed "work-area-too-small" $rc "$log" \
	"the work area is too small: the stub needs at least [0-9]+ bytes" \
	"enlarge it with 'stm32h7x.cpu0 configure -work-area-size"
f_touched_only "work-area-too-small" ""
f_image_is "work-area-too-small" "$F_IMG"
f_mapped "work-area-too-small" $CFG "$want_word"

e2e_done
