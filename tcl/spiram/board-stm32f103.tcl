# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32F103xB (e.g. a "Blue Pill") with a Winbond W25Q on
# SPI1: SCK PA5, MISO PA6, MOSI PA7 (SPI1's default pins), chip select on
# PA4 driven as a GPIO.
#
# Sourced, after their interface line, by board/spiram-stm32f103.cfg (a
# real probe) and board/spiram-sim-stm32f103.cfg (the simulator).
# board/spiram-*-stm32f103-gpio.cfg drive the same pins bit-banged.
#
# Banks: 0 = internal flash (0x08000000, stock stm32f1x driver),
#        1 = the SPI flash (spiram_loader).  SPI has no memory-mapped mode:
#            0x90000000 is only the address OpenOCD gives the bank.
#            `program fw.bin 0x90000000 verify` still works: verify_image
#            is routed to `flash verify_image` for this bank
#            (spiram/spiram-helpers.tcl).
#
# To adapt: see spiram/board-gd32f307.tcl (other SPI, other CS, work area).

source [find spiram/spiram-helpers.tcl]

# 16 KiB of the 20 KiB SRAM for the stub and its FIFO (the stock 4 KiB is
# below the driver's 8.5 KiB minimum)
if {![info exists WORKAREASIZE]} {
	set WORKAREASIZE 0x4000
}
source [find target/stm32f1x.cfg]
spiram_run_interface_hook

# bank 1: the external flash on SPI1 (0x40013000), CS on PA4
flash bank $_CHIPNAME.spi spiram_loader 0x90000000 0 0 0 $_TARGETNAME stm32_spi 0x40013000 PA4

proc spiram_board_stm32f103_reset_init {} {
	spiram_f1_afio_enable
	spiram_f1_gpio_set PA4 1				;# CS# high (idle) before it becomes an output
	spiram_f1_gpio_mode PA4 $::SPIRAM_F1_OUT_PP		;# CS#: push-pull output
	spiram_f1_gpio_mode PA5 $::SPIRAM_F1_AF_PP		;# SCK: alternate function push-pull
	spiram_f1_gpio_mode PA6 $::SPIRAM_F1_IN_FLOAT		;# MISO: input
	spiram_f1_gpio_mode PA7 $::SPIRAM_F1_AF_PP		;# MOSI: alternate function push-pull
	# HSI after reset: PCLK2 = 8 MHz, BR=0 gives SCK = 4 MHz
	spiram_f1_spi_setup 0x40013000 0
}

$_TARGETNAME configure -event reset-init { spiram_board_stm32f103_reset_init }
spiram_gdb_events $_TARGETNAME
