# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: GD32F307 with a Winbond W25Q128 (16 MiB) on SPI0, as in the
# Anycubic Photon Mono 4K: SCK PA5, MISO PA6, MOSI PA7 (SPI0's default
# pins), chip select on PA4 driven as a GPIO.  (The pins are those of the
# simulated board; check them against your board's schematic.)
#
# Sourced, after their interface line, by board/spiram-gd32f307.cfg (a
# real probe) and board/spiram-sim-gd32f307.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32f1x driver, which
#            handles GD32F30x),
#        1 = the SPI flash (spiram_loader).  SPI has no memory-mapped mode:
#            0x90000000 is only the address OpenOCD gives the bank, nothing
#            answers there on the bus.  `program fw.bin 0x90000000 verify`
#            still works: verify_image is routed to `flash verify_image`
#            for this bank (spiram/spiram-helpers.tcl).
#
# OpenOCD 0.12.0 has no gd32f30x target file; stm32f1x.cfg drives the
# GD32F30x internal flash (same FMC registers as the STM32F1 flash
# interface, 2 KiB pages).  Its driver reads the flash size at 0x1FFFF7CC
# on a Cortex-M4; if bank 0 shows a wrong size on your part, `set
# FLASH_SIZE <bytes>` before sourcing this file.
#
# To adapt to another STM32F1/GD32F30x board:
#  - other SPI: the base address (STM32 SPI2 = GD32 SPI1 at 0x40003800,
#    STM32 SPI3 = GD32 SPI2 at 0x40003C00) on the bank line and in
#    spiram_f1_spi_setup, and its SCK/MISO/MOSI pins below;
#  - other chip select: the pin on the bank line and in reset-init;
#  - the work area must hold at least 8.5 KiB (see docs/driver.md).

source [find spiram/spiram-helpers.tcl]

# GD32F30x SW-DP (stm32f1x.cfg expects the STM32F1's 0x1ba01477)
if {![info exists CPUTAPID]} {
	set CPUTAPID 0x2ba01477
}
# 32 KiB of the 96 KiB SRAM for the stub and its FIFO
if {![info exists WORKAREASIZE]} {
	set WORKAREASIZE 0x8000
}
source [find target/stm32f1x.cfg]
spiram_run_interface_hook

# bank 1: the external flash on SPI0 (0x40013000), CS on PA4
flash bank $_CHIPNAME.spi spiram_loader 0x90000000 0 0 0 $_TARGETNAME stm32_spi 0x40013000 PA4

proc spiram_board_gd32f307_reset_init {} {
	spiram_f1_afio_enable
	spiram_f1_gpio_set PA4 1				;# CS# high (idle) before it becomes an output
	spiram_f1_gpio_mode PA4 $::SPIRAM_F1_OUT_PP		;# CS#: push-pull output
	spiram_f1_gpio_mode PA5 $::SPIRAM_F1_AF_PP		;# SCK: alternate function push-pull
	spiram_f1_gpio_mode PA6 $::SPIRAM_F1_IN_FLOAT		;# MISO: input
	spiram_f1_gpio_mode PA7 $::SPIRAM_F1_AF_PP		;# MOSI: alternate function push-pull
	# IRC8M after reset: PCLK2 = 8 MHz, BR=0 gives SCK = 4 MHz
	spiram_f1_spi_setup 0x40013000 0
}

$_TARGETNAME configure -event reset-init { spiram_board_gd32f307_reset_init }
spiram_gdb_events $_TARGETNAME
