# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: Electrosmith Daisy Seed, STM32H750IB with an ISSI
# IS25LP064A (8 MiB) on QUADSPI bank 1, pins as libDaisy sets them:
# CLK PF10 AF9, nCS PG6 AF10, IO0 PF8 AF10, IO1 PF9 AF10, IO2 PF7 AF9,
# IO3 PF6 AF9.
#
# Sourced, after their interface line, by board/spiram-daisy-seed.cfg (a
# real probe) and board/spiram-sim-daisy-seed.cfg (the simulator, run
# with --chip is25lp064a).
#
# Banks: 0 = internal flash (0x08000000, 128 KiB, stock stm32h7x driver),
#        1 = the QUADSPI flash at 0x90000000 (spiram_loader), memory-mapped
#            after reset-init.  Daisy applications linked for QSPI start at
#            0x90040000 (the Daisy bootloader keeps the first 256 KiB).
#
# reset-init also clocks the D2 SRAMs (SRAM1-3 at 0x30000000), which
# libDaisy uses and which are off after reset: with it, a work area there
# (`stm32h7x.cpu0 configure -work-area-phys 0x30000000`) works too.
#
# To adapt: see spiram/board-stm32h750.tcl (pins, size, divider).

source [find spiram/spiram-helpers.tcl]

spiram_h7_dtcm_work_area
source [find target/stm32h7x.cfg]
spiram_run_interface_hook

# bank 1: the external flash, size detected from the chip
flash bank $_CHIPNAME.qspi spiram_loader 0x90000000 0 0 0 $_CHIPNAME.cpu0 stm32_qspi 0x52005000
spiram_declare_memory_mapped $_CHIPNAME.qspi

proc spiram_board_daisy_seed_reset_init {} {
	# HSI at 64 MHz after reset: the stock handler's adapter speed
	adapter speed 4000
	spiram_h7_d2_sram_enable
	spiram_h7_gpio_af PF10 9	;# CLK
	spiram_h7_gpio_af PG6 10	;# BK1_NCS
	spiram_h7_gpio_af PF8 10	;# BK1_IO0
	spiram_h7_gpio_af PF9 10	;# BK1_IO1
	spiram_h7_gpio_af PF7 9		;# BK1_IO2
	spiram_h7_gpio_af PF6 9		;# BK1_IO3
	# IS25LP064A: 8 MiB; 64 MHz / 2 = 32 MHz; nCS high >= 2 cycles (libDaisy)
	spiram_h7_qspi_setup 0x800000 2 2
	spiram_h7_qspi_chip_reset
	spiram_h7_qspi_memmap_fast_read
}

$_CHIPNAME.cpu0 configure -event reset-init { spiram_board_daisy_seed_reset_init }
spiram_gdb_events $_CHIPNAME.cpu0
