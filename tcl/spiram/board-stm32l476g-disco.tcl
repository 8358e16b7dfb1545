# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32L476G-DISCO, STM32L476VGT6 (Cortex-M4) with a Macronix
# MX25R6435F (8 MiB) on QUADSPI bank 1.  Pins from the board's user manual
# UM1879 (QSPI section of its schematics): CLK PE10, nCS PE11, IO0 PE12,
# IO1 PE13, IO2 PE14, IO3 PE15, all AF10 (the same pins and AF numbers as
# OpenOCD's board/stm32l476g-disco.cfg `qspi_init`).
#
# Sourced, after their interface line, by board/spiram-stm32l476g-disco.cfg
# (a real probe) and board/spiram-sim-stm32l476g-disco.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32l4x driver), 1 = its
#        OTP area (as target/stm32l4x.cfg makes them), 2 = the QUADSPI flash
#        at 0x90000000 (spiram_loader), memory-mapped after reset-init.
#
# Differences from the H750 board: RCC at 0x40021000 (QSPIEN is bit 8 of
# RCC_AHB3ENR at +0x50, the GPIO clocks bits 0..7 of RCC_AHB2ENR at +0x4C,
# RM0351 6.4), GPIO ports at 0x48000000, QUADSPI registers at 0xA0001000;
# the QUADSPI kernel clock is HCLK, MSI 4 MHz after reset.

source [find spiram/spiram-helpers.tcl]

source [find target/stm32l4x.cfg]
spiram_run_interface_hook

# the external flash, size detected from the chip
flash bank $_CHIPNAME.qspi spiram_loader 0x90000000 0 0 0 $_TARGETNAME stm32_qspi 0xA0001000
spiram_declare_memory_mapped $_CHIPNAME.qspi

proc spiram_board_stm32l476g_disco_reset_init {} {
	# MSI at 4 MHz after reset: no PLL set-up, so every clock below is known
	adapter speed 500
	spiram_l4_gpio_af PE10 10	;# CLK
	spiram_l4_gpio_af PE11 10	;# BK1_NCS
	spiram_l4_gpio_af PE12 10	;# BK1_IO0
	spiram_l4_gpio_af PE13 10	;# BK1_IO1
	spiram_l4_gpio_af PE14 10	;# BK1_IO2
	spiram_l4_gpio_af PE15 10	;# BK1_IO3
	# 4 MHz / 1 = 4 MHz (MX25R6435F low-power mode allows more), nCS high 2 cycles
	spiram_l4_qspi_setup 0x800000 1 2
	spiram_qspi_chip_reset $::SPIRAM_L4_QUADSPI
	spiram_qspi_memmap_whole_chip $::SPIRAM_L4_QUADSPI 0x800000
}

$_TARGETNAME configure -event reset-init { spiram_board_stm32l476g_disco_reset_init }
spiram_gdb_events $_TARGETNAME
