#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by check 6: the Daisy Seed case (board/spiram-sim-daisy-seed.cfg,
# STM32H750 + IS25LP064A), with the work area in SRAM1 at 0x30000000 as
# libDaisy users set it:
#   -c "stm32h7x.cpu0 configure -work-area-phys 0x30000000 -work-area-size 0x10000"
#  1. a reset-init that does not clock the D2 SRAMs (the board's own
#     reset-init with its spiram_h7_d2_sram_enable step removed, as in a
#     config written without it): `flash write_image erase` fails with the
#     driver's clear error naming the address, the cause (RAM not clocked)
#     and the fix; exit status non-zero; the image is unchanged and the
#     counters show no erase or program and no command to the chip beyond
#     what probing needs;
#  2. the board's reset-init as shipped (it sets RCC_AHB2ENR SRAM1-3EN):
#     the same command works, the image holds the file at 0x40000 (Daisy
#     applications start at 0x90040000) and only its sectors were touched.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-daisy-seed.cfg
wa="stm32h7x.cpu0 configure -work-area-phys 0x30000000 -work-area-size 0x10000"
img=$E2E_DIR/flash.img
e2e_random_file "$img" 8388608
cp "$img" "$E2E_DIR/orig.img"
fw_len=$((0x2401))
e2e_random_file "$E2E_DIR/fw.bin" $fw_len
e2e_start_sim stm32h750 "$img" --chip is25lp064a || { e2e_fail "simulator start"; e2e_done; }

# 1. SRAM1 not clocked
log=$E2E_DIR/unclocked.log
ub_openocd "$cfg" "$log" "$wa" "proc spiram_h7_d2_sram_enable {} {}" init "reset init" \
	"mdw 0x580244DC" "flash write_image erase $E2E_DIR/fw.bin 0x90040000" shutdown
rc=$?
e2e_check "SRAM1 unclocked: RCC_AHB2ENR has SRAM1-3EN clear" grep -q "^0x580244dc: [0-9a-f]*[0-9a-f]\{6\}" "$log"
ahb2=$(sed -n 's/^0x580244dc: \([0-9a-f]*\).*/\1/p' "$log")
e2e_check "SRAM1 unclocked: RCC_AHB2ENR = 0x$ahb2 has bits 31:29 clear" test -n "$ahb2" -a $((0x${ahb2:-0} & 0xE0000000)) -eq 0
e2e_check "SRAM1 unclocked: write_image fails (exit $rc)" test $rc -ne 0
e2e_check "SRAM1 unclocked: the error names the work area address 0x30000000" \
	grep -q "^Error: .*0x30000000" "$log"
e2e_check "SRAM1 unclocked: ... the cause (RAM not clocked)" grep -qi "^Error: .*not clocked" "$log"
e2e_check "SRAM1 unclocked: ... and the fix (move the work area or enable the clock)" \
	grep -qi "^Error: .*fix" "$log"
e2e_check "SRAM1 unclocked: the image is unchanged" cmp -s "$img" "$E2E_DIR/orig.img"
e2e_check "SRAM1 unclocked: counters: no erase, no page program" \
	test "$(e2e_stat chip.erases)/$(e2e_stat chip.page_programs)" = 0/0
e2e_check "SRAM1 unclocked: counters: no sector touched" test -z "$(e2e_touched_sectors)"

# 2. the board's reset-init clocks SRAM1: the same command works
log=$E2E_DIR/clocked.log
ub_openocd "$cfg" "$log" "$wa" init "reset init" \
	"flash write_image erase $E2E_DIR/fw.bin 0x90040000" "flash verify_bank 1 $E2E_DIR/fw.bin 0x40000" \
	"mdb 0x30000000 1" shutdown
rc=$?
e2e_check "SRAM1 clocked by reset-init: write_image + verify_bank: exit 0 (got $rc)" test $rc -eq 0
# the stub image starts with 0x53 ('S' of its header); the work area is
# not backed up (stm32h7x.cfg), so the stub is still there afterwards
e2e_check "SRAM1 clocked: the stub ran from 0x30000000 (its first byte 0x53 is there)" \
	grep -q "^0x30000000: 53" "$log"
e2e_check "SRAM1 clocked: the image holds the file at 0x40000" ub_cmp_range "$img" $((0x40000)) "$E2E_DIR/fw.bin" 0 $fw_len
ub_fill "$E2E_DIR/ff.bin" 4096 255
end=$((0x40000 + fw_len))
e2e_check "SRAM1 clocked: nothing else changed (the rest of the last sector kept)" \
	ub_same_outside "$E2E_DIR/orig.img" "$img" $((0x40000)) $fw_len
e2e_check "SRAM1 clocked: counters: sectors 0x40000-0x42000 only" \
	test "$(e2e_touched_sectors | tr '\n' ' ')" = "0x040000 0x041000 0x042000 "

e2e_done
