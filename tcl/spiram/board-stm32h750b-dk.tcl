# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32H750B-DK, STM32H750XBH6 with a Micron MT25TL01G (two
# MT25QL512 dies of 64 MiB) on QUADSPI in dual-flash mode: die 1 on BK1,
# die 2 on BK2, one nCS.  Pins from ST's STM32H750B-DK BSP
# (stm32h750b_discovery_qspi.h) and OpenOCD's board/stm32h7x_dual_qspi.cfg
# (stm32h7-quadspi.md "STM32H750B-DK wiring"): CLK PF10 AF9, BK1_NCS
# (= BK2_NCS) PG6 AF10, BK1_IO0 PD11 AF9, BK1_IO1 PF9 AF10, BK1_IO2 PF7 AF9,
# BK1_IO3 PF6 AF9, BK2_IO0 PH2 AF9, BK2_IO1 PH3 AF9, BK2_IO2 PG9 AF9,
# BK2_IO3 PG14 AF9.
#
# Sourced, after their interface line, by board/spiram-stm32h750b-dk.cfg
# (a real probe) and board/spiram-sim-stm32h750b-dk.cfg (the simulator).
#
# Banks: 0 = internal flash (0x08000000, stock stm32h7x driver),
#        1 = the QUADSPI flash at 0x90000000 (spiram_loader): 128 MiB, bank
#            byte 2k in die 1 and 2k + 1 in die 2; memory-mapped over both
#            dies after reset-init (0Ch FAST READ 4B, 1-1-1), so mdw
#            0x90000000 and GDB read the flash directly.
#
# spiram_loader drives both dies through dual-flash mode: bank 1 is 128 MiB
# of 8 KiB sectors (4 KiB in each die) and 512-byte pages; 'flash info 1'
# and 'spiram_loader status 1' show both dies.

source [find spiram/spiram-helpers.tcl]

spiram_h7_dtcm_work_area
source [find target/stm32h7x.cfg]
spiram_run_interface_hook

# bank 1: the external flash (both dies), size detected from the chips
flash bank $_CHIPNAME.qspi spiram_loader 0x90000000 0 0 0 $_CHIPNAME.cpu0 stm32_qspi 0x52005000
spiram_declare_memory_mapped $_CHIPNAME.qspi

proc spiram_board_stm32h750b_dk_reset_init {} {
	# HSI at 64 MHz after reset: the stock handler's adapter speed
	adapter speed 4000
	spiram_h7_gpio_af PF10 9	;# CLK
	spiram_h7_gpio_af PG6 10	;# BK1_NCS, also BK2's nCS on this board
	spiram_h7_gpio_af PD11 9	;# BK1_IO0
	spiram_h7_gpio_af PF9 10	;# BK1_IO1
	spiram_h7_gpio_af PF7 9		;# BK1_IO2
	spiram_h7_gpio_af PF6 9		;# BK1_IO3
	spiram_h7_gpio_af PH2 9		;# BK2_IO0
	spiram_h7_gpio_af PH3 9		;# BK2_IO1
	spiram_h7_gpio_af PG9 9		;# BK2_IO2
	spiram_h7_gpio_af PG14 9	;# BK2_IO3
	# clock QUADSPI; MT25QL512 dies of 64 MiB; 64 MHz / 2 = 32 MHz; nCS
	# high 3 cycles (OpenOCD's stm32h7x_dual_qspi.cfg: CSHT = 2)
	spiram_h7_qspi_setup_dual 0x4000000 2 3
	# 66h/99h reach both dies: power-on state (SPI, 3-byte addresses)
	spiram_qspi_chip_reset $::SPIRAM_H7_QUADSPI
	# the window over both dies as their IDs say
	spiram_qspi_memmap_whole_dual $::SPIRAM_H7_QUADSPI 0x8000000
}

$_CHIPNAME.cpu0 configure -event reset-init { spiram_board_stm32h750b_dk_reset_init }
spiram_gdb_events $_CHIPNAME.cpu0
