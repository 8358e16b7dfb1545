#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Used-by checks on the STM32H735G-DK twin (board/spiram-sim-stm32h735g-
# dk.cfg: H7 RCC and GPIO, OCTOSPI1 at 0x52005000, MX25LM51245G in octal
# DTR, 8D-8D-8D, memory-mapped with EE11h), bank 1: read_bank, program
# verify reset exit, HEX write_image to the last byte, GDB load and run in
# place to a hardware breakpoint, --timing typical.  The checks:
# tests/e2e/usedby-board-lib.sh; then that the chip really was driven in
# 8D-8D-8D (the simulator's 8-line and DTR byte counters), and that the
# OCTOSPI I/O manager's routing matters: without IO[7:4] on port 1 the
# chip is out of reach until reset-init routes it again.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/usedby-lib.sh"
. "$(dirname "$0")/usedby-board-lib.sh"
e2e_need OPENOCD SPIRAM_SIM

cfg=board/spiram-sim-stm32h735g-dk.cfg
sim_board=stm32h735g-dk
bank=1
size=$((64 * 1024 * 1024))
mcpu=cortex-m7
qspi_setup_proc=spiram_h7_ospi_setup
# MX25LM51245G (sim/nor_parts.c, UNVERIFIED stand-ins): tPP 384 us, tSE 25 ms, 64 KiB 256 ms typical
chip_times="384 25000 256000"
ub_board_checks
# the typical-timing session (still running): its 0x10001-byte write went
# over the wire in DTR on 8 lines.  (Its CRC passes and the verify read
# the memory-mapped window, which the simulator does not count as bus
# bytes; the rest, mostly status polls, varies with timing: 56 to 175 k
# in three runs, so they prove nothing.)
dtr=$(e2e_stat spi.bytes_dtr)
oct=$(e2e_stat spi.bytes_8line)
e2e_check "chip clocked >= $((0x10001)) DTR bytes on 8 lines (got $dtr of $oct)" \
	test "$dtr" -ge $((0x10001)) -a "$oct" -ge "$dtr"
# the OCTOSPI I/O manager: port 1 with IO[3:0] only (P1CR = 00010101h, a
# quad routing) leaves the octal chip unreachable, as on silicon: the
# probe names no chip and nothing reaches it; reset-init routes all eight
# lines again (P1CR = 03010111h) and the same probe finds it
log=$E2E_DIR/iom.log
ub_openocd "$cfg" "$log" init "reset init" "mww 0x5200B404 0x00010101" \
	"catch {flash probe 1} e; echo \"PROBE1 \$e\"" "reset init" "flash probe 1" \
	"echo \"P1CR [format 0x%08x [mrw 0x5200B404]]\"" shutdown
e2e_check "OCTOSPIM P1CR without IO[7:4]: the probe finds no chip" \
	grep -q "no flash chip answers (JEDEC ID 0xffffff)" "$log"
e2e_check "OCTOSPIM routed again by reset-init (P1CR 0x03010111): the probe finds the MX25LM51245G" \
	grep -q "P1CR 0x03010111" "$log"
e2e_check "the second probe names the chip" grep -q "bank 1: MX25LM51245G" "$log"
e2e_check "re-routing while memory-mapped is named by the simulator (HAL disables OCTOSPI first)" \
	grep -q "I/O routing changed while a command or memory-mapped mode was running" "$E2E_DIR/sim.log"
e2e_stop_sim
e2e_done
