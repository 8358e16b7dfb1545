# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32F746G-DISCO, STM32F746NGH6 (Cortex-M7) with a Micron
# N25Q128A (16 MiB) on QUADSPI bank 1.  Pins from the board's user manual
# UM1907 (QSPI section of its schematics): CLK PB2 AF9, nCS PB6 AF10,
# IO0 PD11 AF9, IO1 PD12 AF9, IO2 PE2 AF9, IO3 PD13 AF9 (the same pins and
# AF numbers as OpenOCD's board/stm32f746g-disco.cfg `qspi_init`).
#
# Sourced, after their interface line, by board/spiram-stm32f746g-disco.cfg
# (a real probe) and board/spiram-sim-stm32f746g-disco.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32f2x driver), 1 = its
#        OTP, 2 = the ITCM alias of bank 0 (as target/stm32f7x.cfg makes
#        them), 3 = the QUADSPI flash at 0x90000000 (spiram_loader),
#        memory-mapped after reset-init.
#
# Differences from the H750 board: RCC at 0x40023800 (QSPIEN is bit 1 of
# RCC_AHB3ENR at +0x38, the GPIO clocks bits 0..10 of RCC_AHB1ENR at
# +0x30, RM0385 5.3), GPIO ports at 0x40020000, QUADSPI registers at
# 0xA0001000; the QUADSPI kernel clock is HCLK, HSI 16 MHz after reset.

source [find spiram/spiram-helpers.tcl]

source [find target/stm32f7x.cfg]
spiram_run_interface_hook

# the external flash, size detected from the chip
flash bank $_CHIPNAME.qspi spiram_loader 0x90000000 0 0 0 $_TARGETNAME stm32_qspi 0xA0001000
spiram_declare_memory_mapped $_CHIPNAME.qspi

proc spiram_board_stm32f746g_disco_reset_init {} {
	# HSI at 16 MHz after reset: no PLL set-up, so every clock below is known
	adapter speed 4000
	spiram_f7_gpio_af PB2 9		;# CLK
	spiram_f7_gpio_af PB6 10	;# BK1_NCS
	spiram_f7_gpio_af PD11 9	;# BK1_IO0
	spiram_f7_gpio_af PD12 9	;# BK1_IO1
	spiram_f7_gpio_af PE2 9		;# BK1_IO2
	spiram_f7_gpio_af PD13 9	;# BK1_IO3
	# 16 MHz / 1 = 16 MHz (N25Q128A: 108 MHz), nCS high 2 cycles (125 ns)
	spiram_f7_qspi_setup 0x1000000 1 2
	spiram_qspi_chip_reset $::SPIRAM_F7_QUADSPI
	spiram_qspi_memmap_whole_chip $::SPIRAM_F7_QUADSPI 0x1000000
}

$_TARGETNAME configure -event reset-init { spiram_board_stm32f746g_disco_reset_init }
spiram_gdb_events $_TARGETNAME
