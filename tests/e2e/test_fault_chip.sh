#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Chip faults on the simulated STM32H750 (QUADSPI, bank 1 at 0x90000000),
# each with `flash write_image erase` of 0x401 bytes at 0x90005003:
#  - no chip: probe fails naming the JEDEC ID and the wiring to check;
#  - unknown ID without SFDP: the error gives the ID and suggests
#    `spiram_loader set`; with `spiram_loader set` the same write works;
#  - corrupt SFDP: a known chip falls back to the table with a warning
#    (and the write works), an unknown chip fails saying the SFDP is corrupt;
#  - busy stuck: a timeout naming the operation and the address.
# Failures exit non-zero and touch no sector (busy stuck: at most the one
# erase that timed out); QUADSPI is left memory-mapped (FMODE=3 in CCR,
# read by a new session without reset-init).

. "$(dirname "$0")/faults-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

CFG=board/spiram-sim-stm32h750.cfg
F_IMG=$E2E_DIR/base.img
e2e_random_file "$F_IMG" 16777216
D=$E2E_DIR
DATA=$D/data.bin
e2e_random_file "$DATA" $((0x401))
OFF=0x5003
WRITE="flash write_image erase $DATA 0x90005003 bin"
SECTORS=$(f_sectors $OFF $((0x401)))
# the rest of sector 0x5000 keeps its content (smart programming)
f_expect_write "$F_IMG" "$D/want.img" $OFF "$DATA" 0x5000 0

# QUADSPI CCR (0x52005014) FMODE bits 27:26 = 3: memory-mapped.
qspi_memmapped() {
	ql=$D/ccr.$E2E_PASSES.$E2E_FAILS.log
	f_ocd $CFG "$ql" init "mdw 0x52005014" shutdown
	ccr=$(sed -n 's/^0x52005014: \([0-9a-f]*\).*/\1/p' "$ql")
	e2e_check "$1: QUADSPI CCR 0x${ccr:-?} has FMODE=3 (memory-mapped)" \
		test -n "$ccr" -a $(((0x${ccr:-0} >> 26) & 3)) -eq 3
}

# --- no chip ----------------------------------------------------------------
f_fresh stm32h750 --fault no-chip || e2e_fail "no-chip: simulator start"
f_ocd $CFG "$D/nochip.log" init "reset init" "$WRITE" shutdown
f_failed "no-chip" $? "$D/nochip.log" \
	"no flash chip answers \(JEDEC ID (0x)?ff ?ff ?ff\); check the wiring"
f_touched_only "no-chip" ""
qspi_memmapped "no-chip"

# --- unknown ID without SFDP, then spiram_loader set --------------------------
f_fresh stm32h750 --fault jedec=C84099 --fault no-sfdp || e2e_fail "unknown: simulator start"
f_ocd $CFG "$D/unknown.log" init "reset init" "$WRITE" shutdown
f_failed "unknown-no-sfdp" $? "$D/unknown.log" \
	"unknown flash chip, JEDEC ID c8 40 99, and no SFDP" "spiram_loader set 1 size"
f_touched_only "unknown-no-sfdp" ""
f_image_is "unknown-no-sfdp" "$F_IMG"
qspi_memmapped "unknown-no-sfdp"
f_ocd $CFG "$D/unknown-set.log" init "reset init" \
	"spiram_loader set 1 size 16M page 256 erase 4k:0x20,64k:0xd8 read 0x0b 8" \
	"$WRITE" "flash verify_bank 1 $DATA $OFF" shutdown
rc=$?
e2e_check "unknown-no-sfdp + spiram_loader set: exit 0 (got $rc)" test $rc -eq 0
e2e_check "unknown-no-sfdp + spiram_loader set: verify_bank matches" grep -q "contents match" "$D/unknown-set.log"
f_touched_only "unknown-no-sfdp + spiram_loader set" "$SECTORS"
f_image_is "unknown-no-sfdp + spiram_loader set" "$D/want.img"

# --- corrupt SFDP -------------------------------------------------------------
f_fresh stm32h750 --fault sfdp-corrupt || e2e_fail "sfdp-corrupt: simulator start"
f_ocd $CFG "$D/corrupt-known.log" init "reset init" "$WRITE" "flash verify_bank 1 $DATA $OFF" shutdown
rc=$?
e2e_check "sfdp-corrupt, known chip: exit 0 (got $rc)" test $rc -eq 0
e2e_check "sfdp-corrupt, known chip: warns and uses the table" \
	grep -Eq "Warn : spiram_loader: the SFDP of W25Q128JV \(ID ef 40 18\) is corrupt.*using the chip table" \
	"$D/corrupt-known.log"
e2e_check "sfdp-corrupt, known chip: verify_bank matches" grep -q "contents match" "$D/corrupt-known.log"
f_touched_only "sfdp-corrupt, known chip" "$SECTORS"
f_image_is "sfdp-corrupt, known chip" "$D/want.img"
f_mapped "sfdp-corrupt, known chip" $CFG "$(f_word "$D/want.img" 0)"

f_fresh stm32h750 --fault jedec=C84099 --fault sfdp-corrupt || e2e_fail "sfdp-corrupt unknown: simulator start"
f_ocd $CFG "$D/corrupt-unknown.log" init "reset init" "$WRITE" shutdown
f_failed "sfdp-corrupt, unknown chip" $? "$D/corrupt-unknown.log" \
	"unknown flash chip, JEDEC ID c8 40 99, and corrupt SFDP" "spiram_loader set 1"
f_touched_only "sfdp-corrupt, unknown chip" ""
f_image_is "sfdp-corrupt, unknown chip" "$F_IMG"
f_mapped "sfdp-corrupt, unknown chip" $CFG "$(f_word "$F_IMG" 0)"

# --- busy stuck ---------------------------------------------------------------
f_fresh stm32h750 --fault busy-stuck || e2e_fail "busy-stuck: simulator start"
start=$(date +%s)
f_ocd $CFG "$D/busy.log" init "reset init" "$WRITE" shutdown
rc=$?
f_failed "busy-stuck" $rc "$D/busy.log" \
	"spiram_loader: [a-z ]+: the flash stayed busy at 0x90005000 for [0-9]+ ms, longer than its datasheet maximum"
e2e_check "busy-stuck: gave up within 30 s" test $(($(date +%s) - start)) -le 30
e2e_check "busy-stuck: no stub fault or reset advice" \
	bash -c "! grep -Eq 'stub faulted|did not finish in time|may be left in a fault' '$D/busy.log'"
got=$(e2e_touched_sectors | tr '\n' ' ')
e2e_check "busy-stuck: nothing but sector 0x005000 touched (got '${got:-none}')" \
	test -z "$(e2e_touched_sectors | grep -v '^0x005000$')"
e2e_check "busy-stuck: nothing programmed" test "$(e2e_stat chip.page_programs)" -eq 0
qspi_memmapped "busy-stuck"

e2e_done
