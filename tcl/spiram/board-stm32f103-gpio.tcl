# SPDX-License-Identifier: GPL-2.0-or-later
#
# Board logic: STM32F103xB with a SPI NOR flash on plain GPIO pins, driven
# by the spiram_loader `gpio` controller (bit-banged SPI, mode 0):
# CS# PA4, CLK PA5, MOSI PA7, MISO PA6, WP#/IO2 PA2, HOLD#/IO3 PA3.
# Use it for a flash on pins that no SPI peripheral reaches.
#
# Sourced, after their interface line, by board/spiram-stm32f103-gpio.cfg
# (a real probe) and board/spiram-sim-stm32f103-gpio.cfg (the simulator,
# run with --wiring gpio).
#
# Banks: 0 = internal flash (stock stm32f1x driver), 1 = the flash
# (spiram_loader, not memory-mapped, 0x90000000 for OpenOCD only).
#
# To adapt: change the pins on the bank line and in reset-init (outputs
# push-pull, MISO input); for an MCU whose GPIO is not F1-style, see the
# -gpio-style option in docs/driver.md.

source [find spiram/spiram-helpers.tcl]

if {![info exists WORKAREASIZE]} {
	set WORKAREASIZE 0x4000
}
source [find target/stm32f1x.cfg]
spiram_run_interface_hook

# bank 1: the external flash, bit-banged
flash bank $_CHIPNAME.spi spiram_loader 0x90000000 0 0 0 $_TARGETNAME gpio \
	cs=PA4 clk=PA5 mosi=PA7 miso=PA6 io2=PA2 io3=PA3 -gpio-style f1

proc spiram_board_stm32f103_gpio_reset_init {} {
	foreach pin {PA4 PA2 PA3} {
		spiram_f1_gpio_set $pin 1				;# CS#, WP#, HOLD# high (inactive)
	}
	spiram_f1_gpio_set PA5 0					;# CLK low (idle, mode 0)
	foreach pin {PA4 PA5 PA7 PA2 PA3} {
		spiram_f1_gpio_mode $pin $::SPIRAM_F1_OUT_PP		;# CS#, CLK, MOSI, WP#, HOLD#: push-pull outputs
	}
	spiram_f1_gpio_mode PA6 $::SPIRAM_F1_IN_FLOAT			;# MISO: input
}

$_TARGETNAME configure -event reset-init { spiram_board_stm32f103_gpio_reset_init }
spiram_gdb_events $_TARGETNAME
