#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# spiram_loader on a QUADSPI found in dual-flash mode (CR.DFM = 1): the
# simulated STM32H750B-DK (two MT25QL512 dies on BK1/BK2) with the H750
# twin's single-flash set-up, DFM then set by hand as a dual-flash board's
# reset-init would.  The driver must refuse with an error naming DFM and
# what to do, and neither erase nor program anything: the image is
# unchanged, die 1 saw no erase or program and die 2 no command at all.  With DFM = 0 again the same bank
# probes die 1 (FLASH1) as the 64 MiB MT25QL512A it is.

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
	"mmw 0x52005000 0x40 0" "flash probe 1" "flash erase_sector 1 0 0" shutdown
rc=$?
e2e_check "probe and erase in dual-flash mode fail (exit status $rc)" test "$rc" -ne 0
e2e_check "the error names dual-flash mode and what to do" \
	grep -q "is in dual-flash mode (CR 0x[0-9a-f]*, DFM = 1.*set CR.DFM = 0" "$log"
e2e_check "die 1: no erase" test "$(e2e_stat chip.erases)" -eq 0
e2e_check "die 1: no program" test "$(e2e_stat chip.page_programs)" -eq 0
e2e_check "die 2: no command at all (single-flash reset-init, then the refusal)" \
	test "$(e2e_stat chip2.commands)" -eq 0
e2e_check "image unchanged" cmp -s "$image" "$E2E_DIR/orig.img"

log=$E2E_DIR/single.log
e2e_openocd "$cfg" "$log" init "reset init" "flash probe 1" "flash info 1" shutdown
rc=$?
e2e_check "DFM = 0: probe of FLASH1 succeeds (exit status $rc)" test "$rc" -eq 0
e2e_check "DFM = 0: die 1 is the MT25QL512A, 64 MiB" grep -q "MT25QL512A (ID 20 ba 20, SFDP), 65536 KiB at 0x90000000" "$log"
e2e_done
