#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The QUADSPI clock follows the RCC on the simulated STM32H750, as on
# silicon (chip.max_clock_hz: the fastest SCK any command was clocked at):
#  - spiram-stm32h750 at its reset clock: HSI 64 MHz, divider 1;
#  - the same with SPIRAM_QSPI_MHZ 120: PLL2 R at 120 MHz; a program and a
#    read-back of 256 KiB with the chip's timing are right, and no command
#    is clocked above the W25Q128JV's datasheet limits;
#  - SPIRAM_QSPI_MHZ 200 stops reset-init before the QUADSPI is set up,
#    with an error naming the range;
#  - upstream's stm32h750b-disco.cfg sets PLL1 to 192 MHz as the system
#    clock and PRESCALER 5: its QUADSPI runs at 32 MHz (10.7 MHz before
#    the simulator followed the RCC); stm32h735g-disco.cfg likewise
#    for its OCTOSPI, at 64 MHz after stmqspi's probe (below).

. "$(dirname "$0")/lib.sh"
e2e_need OPENOCD SPIRAM_SIM
command -v python3 >/dev/null || e2e_skip "python3 not found"

cfg=board/spiram-sim-stm32h750.cfg
size=$((16 * 1024 * 1024))
e2e_random_file "$E2E_DIR/base.img" $size
e2e_random_file "$E2E_DIR/data.bin" $((256 * 1024))

for mhz in "" 120; do
	tag=${mhz:-reset}
	cp "$E2E_DIR/base.img" "$E2E_DIR/flash.img"
	e2e_start_sim stm32h750 "$E2E_DIR/flash.img" --timing typical || { e2e_fail "$tag: simulator start"; continue; }
	log=$E2E_DIR/$tag.log
	e2e_openocd "$cfg" "$log" ${mhz:+"set SPIRAM_QSPI_MHZ $mhz"} init "reset init" \
		"flash write_bank 1 $E2E_DIR/data.bin 0x100000" \
		"flash read_bank 1 $E2E_DIR/$tag.read.bin 0x100000 0x40000" shutdown
	rc=$?
	e2e_check "$tag: openocd exits 0 (got $rc)" test $rc -eq 0
	e2e_check "$tag: read back what was written" cmp -s "$E2E_DIR/data.bin" "$E2E_DIR/$tag.read.bin"
	want=$(( ${mhz:-64} * 1000000 ))
	got=$(e2e_stat chip.max_clock_hz)
	e2e_check "$tag: the fastest SCK was $want Hz (chip.max_clock_hz=$got)" test "$got" = "$want"
	got=$(e2e_stat chip.overclocked)
	e2e_check "$tag: no command above its datasheet clock (chip.overclocked=$got)" test "$got" = 0
	e2e_stop_sim
	e2e_check "$tag: the image holds the data at 1 MiB" \
		e2e_cmp_range "$E2E_DIR/flash.img" 0x100000 "$E2E_DIR/data.bin" 0 0x40000
	e2e_check "$tag: the rest of the image unchanged" \
		bash -c "cmp -s <(head -c 1048576 '$E2E_DIR/flash.img') <(head -c 1048576 '$E2E_DIR/base.img') &&
			cmp -s <(tail -c +1310721 '$E2E_DIR/flash.img') <(tail -c +1310721 '$E2E_DIR/base.img')"
done

# a clock the helper does not set
cp "$E2E_DIR/base.img" "$E2E_DIR/flash.img"
e2e_start_sim stm32h750 "$E2E_DIR/flash.img" || e2e_fail "bad clock: simulator start"
log=$E2E_DIR/bad.log
e2e_openocd "$cfg" "$log" "set SPIRAM_QSPI_MHZ 200" init "reset init" shutdown
e2e_check "bad clock: reset-init stops with an error that names the value and the range" \
	grep -q "Error: spiram_h7_qspi_kernel_pll2: '200' MHz is not a QUADSPI clock this helper sets: give a whole number of MHz from 16 to 133" "$log"
got=$(e2e_stat chip.max_clock_hz)
e2e_check "bad clock: no QUADSPI command was clocked (chip.max_clock_hz=$got)" test "$got" = 0
e2e_stop_sim
e2e_check "bad clock: image unchanged" cmp -s "$E2E_DIR/flash.img" "$E2E_DIR/base.img"

# upstream's own STM32H750B-DK set-up (PLL1 at 192 MHz, PRESCALER 5)
e2e_random_file "$E2E_DIR/dk.img" $((128 * 1024 * 1024))
e2e_start_sim stm32h750b-dk "$E2E_DIR/dk.img" --bus-time on || e2e_fail "h750b-dk: simulator start"
log=$E2E_DIR/dk.log
e2e_openocd board/spiram-sim-stm32h750b-dk-stmqspi.cfg "$log" init "reset init" \
	"flash read_bank 1 $E2E_DIR/dk.read.bin 0 0x1000" shutdown
rc=$?
e2e_check "h750b-dk: openocd exits 0 (got $rc)" test $rc -eq 0
got=$(e2e_stat chip.max_clock_hz)
e2e_check "h750b-dk: QUADSPI at 192 MHz / 6 = 32 MHz (chip.max_clock_hz=$got)" test "$got" = 32000000
e2e_stop_sim
# dual-flash: bank byte 2k is die 1's byte k, 2k + 1 die 2's (die 2 after
# die 1 in the image)
e2e_check "h750b-dk: read_bank gave both dies' first 2 KiB, interleaved" python3 -c '
import sys
img = open(sys.argv[1], "rb").read()
die = len(img) // 2
want = bytes(b for k in range(2048) for b in (img[k], img[die + k]))
sys.exit(open(sys.argv[2], "rb").read() != want)' "$E2E_DIR/dk.img" "$E2E_DIR/dk.read.bin"

# upstream's own STM32H735G-DK set-up: PLL1 at 192 MHz as the system
# clock, OCTOSPI kernel clock HCLK3 (OCTOSPISEL reset value), PRESCALER 5
# written to DCR2; then stmqspi's first probe, before it knows the
# controller is an OCTOSPI, clears TCF at the QUADSPI's FCR offset (0x0C,
# stmqspi.c poll_busy via SPI_FCR), which is the OCTOSPI's DCR2: PRESCALER
# 2, 192 / 3 = 64 MHz, and its 1-line 13h reads run above the
# MX25LM51245G's 50 MHz
e2e_random_file "$E2E_DIR/h735.img" $((64 * 1024 * 1024))
e2e_start_sim stm32h735g-dk "$E2E_DIR/h735.img" --bus-time on || e2e_fail "h735g-dk: simulator start"
log=$E2E_DIR/h735.log
e2e_openocd board/spiram-sim-stm32h735g-dk-stmqspi.cfg "$log" init "reset init" \
	"flash read_bank 1 $E2E_DIR/h735.read.bin 0 0x1000" "mdw 0x5200500C" shutdown
rc=$?
e2e_check "h735g-dk: openocd exits 0 (got $rc)" test $rc -eq 0
got=$(e2e_stat chip.max_clock_hz)
e2e_check "h735g-dk: OCTOSPI at 192 MHz / 3 = 64 MHz (chip.max_clock_hz=$got)" test "$got" = 64000000
got=$(e2e_stat chip.overclocked)
e2e_check "h735g-dk: the chip model counts the 13h reads above 50 MHz (chip.overclocked=$got)" test "$got" -gt 0
e2e_check "h735g-dk: DCR2 reads PRESCALER 2 after the probe (the set-up wrote 5)" \
	grep -q "0x5200500c: 00000002" "$log"
e2e_stop_sim
e2e_check "h735g-dk: read_bank gave the chip's first 4 KiB" e2e_cmp_range "$E2E_DIR/h735.read.bin" 0 "$E2E_DIR/h735.img" 0 4096

e2e_done
