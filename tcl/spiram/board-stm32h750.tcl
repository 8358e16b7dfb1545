# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32H750 with a Winbond W25Q128JV (16 MiB) on QUADSPI
# bank 1, pins as on the WeAct MiniSTM32H7xx: CLK PB2 AF9, nCS PB6 AF10,
# IO0 PD11 AF9, IO1 PD12 AF9, IO2 PE2 AF9, IO3 PD13 AF9.
#
# Sourced, after their interface line, by board/spiram-stm32h750.cfg (a
# real probe) and board/spiram-sim-stm32h750.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32h7x driver),
#        1 = the QUADSPI flash at 0x90000000 (spiram_loader), memory-mapped
#            after reset-init, so mdw 0x90000000, verify_image and GDB read
#            the flash directly.
#
# To adapt to another STM32H7 board with one chip on QUADSPI bank 1:
#  - change the six spiram_h7_gpio_af lines to your pins and their AF
#    numbers (the datasheet's alternate-function table; the usual choices
#    are listed in the comments below);
#  - the memory-mapped window is sized from the chip's JEDEC ID at
#    reset-init (spiram_qspi_memmap_whole_chip); the driver detects the
#    chip itself;
#  - keep the divider so that 64 MHz / divider is below the chip's
#    fast-read clock limit (or SPIRAM_QSPI_MHZ, below, if you set it).

source [find spiram/spiram-helpers.tcl]

spiram_h7_dtcm_work_area
source [find target/stm32h7x.cfg]
spiram_run_interface_hook

# bank 1: the external flash, size detected from the chip
flash bank $_CHIPNAME.qspi spiram_loader 0x90000000 0 0 0 $_CHIPNAME.cpu0 stm32_qspi 0x52005000
spiram_declare_memory_mapped $_CHIPNAME.qspi

proc spiram_board_stm32h750_reset_init {} {
	# HSI at 64 MHz after reset: the stock handler's adapter speed
	adapter speed 4000
	spiram_h7_gpio_af PB2 9		;# CLK     (also PF10 AF9)
	spiram_h7_gpio_af PB6 10	;# BK1_NCS (also PB10 AF9, PG6 AF10)
	spiram_h7_gpio_af PD11 9	;# BK1_IO0 (also PC9 AF9, PF8 AF10)
	spiram_h7_gpio_af PD12 9	;# BK1_IO1 (also PC10 AF9, PF9 AF10)
	spiram_h7_gpio_af PE2 9		;# BK1_IO2 (also PF7 AF9)
	spiram_h7_gpio_af PD13 9	;# BK1_IO3 (also PA1 AF9, PF6 AF9)
	# W25Q128JV: 16 MiB; 64 MHz / 1 = 64 MHz (the chip takes 133 MHz, 50 MHz
	# for 03h READ, which is not used); nCS high >= 8 cycles (WeAct).  Set
	# SPIRAM_QSPI_MHZ (e.g. 120, as the WeAct firmware runs it) for a
	# faster clock from PLL2, if your board's wiring takes it.
	if {[info exists ::SPIRAM_QSPI_MHZ]} {
		spiram_h7_qspi_kernel_pll2 $::SPIRAM_QSPI_MHZ
	}
	spiram_h7_qspi_setup 0x1000000 1 8
	spiram_h7_qspi_chip_reset
	# the window over the whole chip as its ID says (a fitted 32 or 64 MiB
	# part is read with 0Ch and 4-byte addresses); set
	# SPIRAM_MEMMAP_16MIB to 1 for the 16 MiB 3-byte window of old
	if {[info exists ::SPIRAM_MEMMAP_16MIB] && $::SPIRAM_MEMMAP_16MIB} {
		spiram_h7_qspi_memmap_fast_read
	} else {
		spiram_qspi_memmap_whole_chip $::SPIRAM_H7_QUADSPI 0x1000000
	}
}

$_CHIPNAME.cpu0 configure -event reset-init { spiram_board_stm32h750_reset_init }
spiram_gdb_events $_CHIPNAME.cpu0
