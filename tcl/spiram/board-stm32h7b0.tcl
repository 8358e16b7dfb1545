# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: WeAct MiniSTM32H7B0 (STM32H7B0VB) with a Winbond W25Q64JV
# (8 MiB) in quad mode on OCTOSPI1, port 1: CLK PB2 AF9, nCS PB6 AF10,
# IO0 PD11 AF9, IO1 PD12 AF9, IO2 PE2 AF9, IO3 PD13 AF9.  The pins come
# from WeAct's own example code for this board (its SPI flash example,
# octospi.c); the board's schematic was not read, so they are UNVERIFIED
# against it.
#
# Sourced, after their interface line, by board/spiram-stm32h7b0.cfg (a
# real probe) and board/spiram-sim-stm32h7b0.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32h7x driver),
#        1 = the OCTOSPI1 flash at 0x90000000 (spiram_loader stm32_ospi),
#            memory-mapped after reset-init, so mdw 0x90000000,
#            verify_image and GDB read the flash directly.
#
# To adapt to another STM32H7A3/H7B0/H7B3 board with one quad chip on
# OCTOSPI1: change the six spiram_h7_gpio_af lines to your pins and AF
# numbers, give your chip's size to spiram_h7_ospi_setup (DEVSIZE; the
# driver detects the chip itself, this only sizes the window), and keep
# 64 MHz / divider below the chip's fast-read clock limit.

source [find spiram/spiram-helpers.tcl]

spiram_h7_dtcm_work_area
source [find target/stm32h7x.cfg]
spiram_run_interface_hook

# bank 1: the external flash, size detected from the chip
flash bank $_CHIPNAME.ospi spiram_loader 0x90000000 0 0 0 $_CHIPNAME.cpu0 stm32_ospi 0x52005000
spiram_declare_memory_mapped $_CHIPNAME.ospi

proc spiram_board_stm32h7b0_reset_init {} {
	# HSI at 64 MHz after reset: the stock handler's adapter speed
	adapter speed 4000
	spiram_h7_gpio_af PB2 9		;# OCTOSPIM_P1_CLK
	spiram_h7_gpio_af PB6 10	;# OCTOSPIM_P1_NCS
	spiram_h7_gpio_af PD11 9	;# OCTOSPIM_P1_IO0
	spiram_h7_gpio_af PD12 9	;# OCTOSPIM_P1_IO1
	spiram_h7_gpio_af PE2 9		;# OCTOSPIM_P1_IO2
	spiram_h7_gpio_af PD13 9	;# OCTOSPIM_P1_IO3
	# W25Q64JV: 8 MiB; 64 MHz / 2 = 32 MHz; nCS high >= 2 cycles (WeAct's CSHT)
	spiram_h7_ospi_setup 0x800000 2 2
	spiram_h7_ospi_chip_reset
	spiram_h7_ospi_memmap_fast_read
}

$_CHIPNAME.cpu0 configure -event reset-init { spiram_board_stm32h7b0_reset_init }
spiram_gdb_events $_CHIPNAME.cpu0
