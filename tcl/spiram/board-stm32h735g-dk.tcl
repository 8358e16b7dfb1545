# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32H735G-DK (STM32H735IGK6) with a Macronix MX25LM51245G
# (64 MiB octaflash) on OCTOSPI1, port 1, in octal DTR (8D-8D-8D): CLK PF10
# AF9, nCS PG6 AF10, DQS PB2 AF10, IO0 PD11 AF9, IO1 PD12 AF9, IO2 PE2 AF9,
# IO3 PD13 AF9, IO4 PD4 AF10, IO5 PD5 AF10, IO6 PG9 AF9, IO7 PD7 AF10.  The
# pins are those of ST's board support package (stm32h735g_discovery_ospi.h)
# and of OpenOCD's own board/stm32h735g-disco.cfg, which both follow the
# board's user manual UM2679 (not read here).
#
# Sourced, after their interface line, by board/spiram-stm32h735g-dk.cfg (a
# real probe) and board/spiram-sim-stm32h735g-dk.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32h7x driver),
#        1 = the OCTOSPI1 flash at 0x90000000 (spiram_loader stm32_ospi),
#            memory-mapped after reset-init with the 8D-8D-8D read EE11h,
#            so mdw 0x90000000, verify_image and GDB read the flash
#            directly.
#
# reset-init resets the chip in DTR OPI and in SPI (the MCU's reset does
# not reach it), switches it to DTR OPI and leaves the 8D-8D-8D read
# memory-mapped; spiram_loader's OCTOSPI backend sees the 8-line DTR
# instruction there and sends every command in 8D-8D-8D.

source [find spiram/spiram-helpers.tcl]

spiram_h7_dtcm_work_area

set CHIPNAME stm32h735igk6
source [find target/stm32h7x.cfg]
spiram_run_interface_hook

# bank 1: the external flash, size detected from the chip
flash bank $_CHIPNAME.ospi spiram_loader 0x90000000 0 0 0 $_CHIPNAME.cpu0 stm32_ospi 0x52005000
spiram_declare_memory_mapped $_CHIPNAME.ospi

proc spiram_board_stm32h735g_dk_reset_init {} {
	# HSI at 64 MHz after reset: the stock handler's adapter speed
	adapter speed 4000
	spiram_h7_gpio_af PF10 9	;# OCTOSPIM_P1_CLK
	spiram_h7_gpio_af PG6 10	;# OCTOSPIM_P1_NCS
	spiram_h7_gpio_af PB2 10	;# OCTOSPIM_P1_DQS
	spiram_h7_gpio_af PD11 9	;# OCTOSPIM_P1_IO0
	spiram_h7_gpio_af PD12 9	;# OCTOSPIM_P1_IO1
	spiram_h7_gpio_af PE2 9		;# OCTOSPIM_P1_IO2
	spiram_h7_gpio_af PD13 9	;# OCTOSPIM_P1_IO3
	spiram_h7_gpio_af PD4 10	;# OCTOSPIM_P1_IO4
	spiram_h7_gpio_af PD5 10	;# OCTOSPIM_P1_IO5
	spiram_h7_gpio_af PG9 9		;# OCTOSPIM_P1_IO6
	spiram_h7_gpio_af PD7 10	;# OCTOSPIM_P1_IO7
	# MX25LM51245G: 64 MiB; 64 MHz / 2 = 32 MHz; nCS high >= 2 cycles
	spiram_h7_ospi_setup 0x4000000 2 2
	spiram_h7_ospi_octal_dtr_enter
}

$_CHIPNAME.cpu0 configure -event reset-init { spiram_board_stm32h735g_dk_reset_init }
spiram_gdb_events $_CHIPNAME.cpu0
