# SPDX-License-Identifier: GPL-2.0-or-later
#
# spiram-helpers.tcl: procs shared by the spiram board configs.
#
# What this file owns:
#  - register-level steps of a board's reset-init: STM32H7 GPIO alternate
#    functions and QUADSPI setup / memory-mapped mode, STM32F1/GD32F30x
#    GPIO modes and SPI v1 setup.  Every register write carries
#    ";# REG: meaning";
#  - the interface hook: an interface file (interface/spiram-sim.cfg) may
#    define `spiram_interface_after_target`; a board calls
#    `spiram_run_interface_hook` right after sourcing its target file, so a
#    workaround that only one kind of adapter needs stays in that adapter's
#    file and never reaches the configs for real probes;
#  - `verify_image` of an image in spiram_loader banks (a CRC per sector
#    on the target), and `flash verify_bank` on such a bank;
#  - the bad-input guards on `flash write_image`, `flash write_bank`,
#    `flash erase_address` and `program` for spiram_loader banks (both at
#    the end of this file).
#
# Invariants: sourcing this file twice is harmless; nothing here touches
# the target at configuration time (register writes happen only when a
# reset-init handler calls the procs).
#
# Pins are written as schematics print them: PA4, PF10, PG6.

source [find mem_helper.tcl]

# "PF10" -> {5 10}: port index (A = 0) and pin number.
proc spiram_pin_split {name} {
	if {![regexp {^[Pp]([A-Ka-k])([0-9]+)$} $name -> port pin] || $pin > 15} {
		error "spiram: '$name' is not a pin name like PA4 or PF10"
	}
	set index [expr {[lsearch {A B C D E F G H I J K} [string toupper $port]]}]
	return [list $index $pin]
}

# log2 of a power of two (a flash size), with a clear error otherwise.
proc spiram_log2 {value} {
	set n 0
	while {(1 << $n) < $value} {
		incr n
	}
	if {(1 << $n) != $value} {
		error "spiram: $value is not a power of two"
	}
	return $n
}

# ---------------------------------------------------------------------------
# Interface hook
# ---------------------------------------------------------------------------

# Called by every board right after `source [find target/...]`.  Runs the
# interface's `spiram_interface_after_target` when the interface file
# defined one (the simulator does); a no-op with a real probe.
proc spiram_run_interface_hook {} {
	if {[llength [info procs spiram_interface_after_target]]} {
		spiram_interface_after_target
	}
}

# ---------------------------------------------------------------------------
# STM32H7: RCC, GPIO, QUADSPI (stm32h7-quadspi.md §2-§4)
# ---------------------------------------------------------------------------

set SPIRAM_H7_RCC		0x58024400
set SPIRAM_H7_GPIOA		0x58020000
set SPIRAM_H7_QUADSPI		0x52005000

# The work area of the H7 boards, called before target/stm32h7x.cfg: the
# whole 128 KiB DTCM at 0x20000000 (the memory maps of RM0433, RM0455 and
# RM0468), for the stub, its FIFO and a 64 KiB LZ4 window for compressed
# writes (the stock 64 KiB leave half of each).  A WORKAREASIZE the user
# set stays.
proc spiram_h7_dtcm_work_area {} {
	if {![info exists ::WORKAREASIZE]} {
		set ::WORKAREASIZE 0x20000
	}
}

# One pin to alternate function <af>, push-pull, very high speed, no pull.
# Clocks its port first (harmless when already on).
proc spiram_h7_gpio_af {name af} {
	lassign [spiram_pin_split $name] port pin
	set gpio [expr {$::SPIRAM_H7_GPIOA + 0x400 * $port}]
	set two [expr {2 * $pin}]
	set four [expr {4 * ($pin & 7)}]
	set afr [expr {$gpio + ($pin < 8 ? 0x20 : 0x24)}]
	# RCC_AHB4ENR: GPIO<port>EN, clock the pin's port
	mmw [expr {$::SPIRAM_H7_RCC + 0xE0}] [expr {1 << $port}] 0
	# GPIOx_MODER: pin = 10, alternate function
	mmw $gpio [expr {2 << $two}] [expr {1 << $two}]
	mmw [expr {$gpio + 0x04}] 0 [expr {1 << $pin}]				;# GPIOx_OTYPER: pin = 0, push-pull
	# GPIOx_OSPEEDR: pin = 11, very high speed
	mmw [expr {$gpio + 0x08}] [expr {3 << $two}] 0
	# GPIOx_PUPDR: pin = 00, no pull (board's own)
	mmw [expr {$gpio + 0x0C}] 0 [expr {3 << $two}]
	mmw $afr [expr {$af << $four}] [expr {0xF << $four}]			;# GPIOx_AFRL/AFRH: pin = AF<af>
}

# Clock, then configure QUADSPI for one chip on bank 1 (BK1):
#   size      the chip size in bytes (DCR.FSIZE = log2(size) - 1; at most
#             16 MiB is reachable with the 3-byte memory-mapped read below)
#   divider   QUADSPI clock = kernel clock / divider (CR.PRESCALER = divider - 1;
#             kernel = HCLK3 = 64 MHz HSI after reset)
#   cs_high   cycles nCS stays high between commands (DCR.CSHT = cs_high - 1)
# Leaves QUADSPI enabled and idle (indirect mode).
proc spiram_h7_qspi_setup {size divider {cs_high 2}} {
	mmw [expr {$::SPIRAM_H7_RCC + 0xD4}] 0x00004000 0			;# RCC_AHB3ENR: QSPIEN, clock QUADSPI
	spiram_qspi_configure $::SPIRAM_H7_QUADSPI $size $divider $cs_high
}

# The H7 QUADSPI kernel clock from PLL2's R output, for an SCK above the
# 64 MHz of the reset clock (rcc_hclk3 = HSI): HSI / 4 = 16 MHz into PLL2
# (input range 8-16 MHz, wide VCO range as the stock stm32h750b-disco.cfg
# sets for PLL1), VCO = 16 MHz x N, R = VCO / mhz with R even, then
# D1CCIPR.QSPISEL = pll2_r_ck.  The core, its buses and the debug link keep
# their clocks.  Call it before spiram_h7_qspi_setup, right after a reset
# (PLL sources at HSI).  Fields: CMSIS stm32h750xx.h (sim/periph_rcc.c).
proc spiram_h7_qspi_kernel_pll2 {mhz} {
	set rcc $::SPIRAM_H7_RCC
	if {![string is integer -strict $mhz] || $mhz < 16 || $mhz > 133} {
		error "spiram_h7_qspi_kernel_pll2: '$mhz' MHz is not a QUADSPI clock this helper sets:\
			give a whole number of MHz from 16 to 133 (the W25Q-class fast-read limit)"
	}
	if {[mrw [expr {$rcc + 0x28}]] & 3} {
		error "spiram_h7_qspi_kernel_pll2: RCC_PLLCKSELR.PLLSRC is not HSI; set the QUADSPI clock\
			in your own clock set-up instead"
	}
	# N from 12 (VCO 192 MHz) to 52 (832 MHz), R even
	set n 0
	for {set r 2} {$r <= 128 && !$n} {incr r 2} {
		if {($mhz * $r) % 16 == 0 && $mhz * $r / 16 >= 12 && $mhz * $r / 16 <= 52} {
			set n [expr {$mhz * $r / 16}]
			break
		}
	}
	if {!$n} {
		error "spiram_h7_qspi_kernel_pll2: no PLL2 setting from HSI / 4 gives $mhz MHz:\
			pick a multiple of 8 MHz (for example 96, 104, 120 or 128)"
	}
	mmw $rcc 0 0x04000000						;# RCC_CR: PLL2ON=0
	for {set i 0} {$i < 100 && ([mrw $rcc] & 0x08000000)} {incr i} {}	;# wait PLL2RDY=0
	mmw [expr {$rcc + 0x28}] 0x00004000 0x0003F000			;# RCC_PLLCKSELR: DIVM2=4
	mmw [expr {$rcc + 0x2C}] 0x002000C0 0x00000030			;# RCC_PLLCFGR: DIVR2EN, PLL2RGE=8-16 MHz, wide VCO, integer
	# RCC_PLL2DIVR: R, Q=2, P=2, N
	mww [expr {$rcc + 0x38}] [expr {(($r - 1) << 24) | (1 << 16) | (1 << 9) | ($n - 1)}]
	mmw $rcc 0x04000000 0						;# RCC_CR: PLL2ON=1
	for {set i 0} {$i < 100 && !([mrw $rcc] & 0x08000000)} {incr i} {}	;# wait PLL2RDY
	if {!([mrw $rcc] & 0x08000000)} {
		error "spiram_h7_qspi_kernel_pll2: PLL2 did not lock (RCC_CR.PLL2RDY stays 0); the QUADSPI keeps its clock"
	}
	mmw [expr {$rcc + 0x4C}] 0x00000020 0x00000030			;# RCC_D1CCIPR: QSPISEL=pll2_r_ck
}

# The same on any STM32 QUADSPI at `qspi`, once its clock is on.
proc spiram_qspi_configure {qspi size divider {cs_high 2}} {
	set fsize [expr {[spiram_log2 $size] - 1}]
	if {[mrw $qspi] & 1} {
		# enabled already (e.g. memory-mapped before a reset-init without
		# a system reset): abort so PRESCALER/SSHIFT may change
		# QUADSPI_CR: ABORT=1, stop memory-mapped mode
		mmw $qspi 0x00000002 0
		for {set i 0} {$i < 100 && ([mrw [expr {$qspi + 0x08}]] & 0x20)} {incr i} {}
	}
	# QUADSPI_CR: FTHRES=3 (4 bytes), SSHIFT=1 (sample half a clock late), FSEL=0 (BK1), DFM=0, EN=0
	# QUADSPI_CR: PRESCALER=divider-1, FTHRES=3, SSHIFT=1
	mww $qspi [expr {(($divider - 1) << 24) | (3 << 8) | 0x10}]
	# QUADSPI_DCR: FSIZE=log2(size)-1, CSHT=cs_high-1, CKMODE=0 (mode 0)
	mww [expr {$qspi + 0x04}] [expr {($fsize << 16) | (($cs_high - 1) << 8)}]	;# QUADSPI_DCR: FSIZE, CSHT
	mww [expr {$qspi + 0x0C}] 0x0000001B					;# QUADSPI_FCR: clear TEF, TCF, SMF, TOF
	mmw $qspi 0x00000001 0							;# QUADSPI_CR: EN=1
}

# One instruction-only command (no address, no data) in indirect mode, e.g.
# 0x66 / 0x99 (reset enable / reset).  Waits for TCF and clears it.
proc spiram_h7_qspi_command {opcode} {
	spiram_qspi_command $::SPIRAM_H7_QUADSPI $opcode
}

proc spiram_qspi_command {qspi opcode} {
	# QUADSPI_CCR: FMODE=00 indirect write, IMODE=01 one line, no address or data, INSTRUCTION=opcode;
	# writing it starts the command
	mww [expr {$qspi + 0x14}] [expr {0x00000100 | $opcode}]
	for {set i 0} {$i < 100 && !([mrw [expr {$qspi + 0x08}]] & 0x02)} {incr i} {}
	# QUADSPI_FCR: CTCF, clear transfer complete
	mww [expr {$qspi + 0x0C}] 0x00000002
}

# Reset the chip to its power-on state (leaves QPI-less SPI mode, 3-byte
# addressing on most chips): 66h reset enable, 99h reset, then tRST.
proc spiram_h7_qspi_chip_reset {} {
	spiram_qspi_chip_reset $::SPIRAM_H7_QUADSPI
}

proc spiram_qspi_chip_reset {qspi} {
	spiram_qspi_command $qspi 0x66
	spiram_qspi_command $qspi 0x99
	sleep 1
}

# Memory-mapped mode with a read every SPI NOR chip accepts without QE:
# 0Bh FAST READ, 1-1-1, 24-bit address, 8 dummy cycles.  The flash then
# reads at 0x90000000 (first 16 MiB).
proc spiram_h7_qspi_memmap_fast_read {} {
	# QUADSPI_CCR: FMODE=11 memory-mapped, DMODE=01, DCYC=8, ADSIZE=10 (24-bit), ADMODE=01, IMODE=01
	# QUADSPI_CCR: INSTRUCTION=0Bh FAST READ, memory-mapped
	mww [expr {$::SPIRAM_H7_QUADSPI + 0x14}] 0x0D20250B
}

# ---------------------------------------------------------------------------
# QUADSPI of any STM32 (H7 0x52005000, F7/L4 0xA0001000), already clocked
# and enabled, one chip on BK1: reading the chip's ID, and a memory-mapped
# window over the whole chip, 4-byte addresses past 16 MiB
# ---------------------------------------------------------------------------

# The JEDEC ID (9Fh, 1-1-1) as a list of three bytes, read in indirect mode.
proc spiram_qspi_read_id {qspi} {
	mww [expr {$qspi + 0x10}] 2						;# QUADSPI_DLR: 3 bytes
	# QUADSPI_CCR: FMODE=01 indirect read, DMODE=01, IMODE=01, INSTRUCTION=9Fh READ ID (starts the command)
	mww [expr {$qspi + 0x14}] 0x0500019F
	for {set i 0} {$i < 100 && !([mrw [expr {$qspi + 0x08}]] & 0x02)} {incr i} {}
	set id {}
	for {set i 0} {$i < 3} {incr i} {
		lappend id [mrb [expr {$qspi + 0x20}]]				;# QUADSPI_DR: one byte from the FIFO
	}
	# QUADSPI_FCR: CTCF, clear transfer complete
	mww [expr {$qspi + 0x0C}] 0x00000002
	return $id
}

# Chip size in bytes from the JEDEC ID's capacity byte, 0 when unknown.
# Most vendors code 2^N bytes as N (Winbond EF 40 19 = 32 MiB); Micron
# (20h) goes on after 19h with 20h = 64 MiB, 21h = 128 MiB, 22h = 256 MiB
# (Linux micron-st.c part table: n25q256a 20BA19, mt25ql512a 20BA20,
# mt25ql01g 20BA21).
proc spiram_jedec_size {id} {
	lassign $id manufacturer type capacity
	if {$manufacturer == 0x20 && $capacity >= 0x20 && $capacity <= 0x22} {
		return [expr {1 << ($capacity - 0x20 + 26)}]
	}
	if {$capacity >= 0x10 && $capacity <= 0x1C} {
		return [expr {1 << $capacity}]
	}
	return 0
}

# Memory-mapped mode over `size` bytes with a read every SPI NOR chip of
# that size accepts without QE or any mode change: up to 16 MiB 0Bh FAST
# READ with a 24-bit address; past 16 MiB the 4-byte opcode 0Ch FAST READ
# 4B with a 32-bit address (W25Q256JV, MT25QL512, MX25L256xx have it), so
# the whole chip is readable at 0x90000000 whatever the chip's address mode.
proc spiram_qspi_memmap_read {qspi size} {
	set fsize [expr {[spiram_log2 $size] - 1}]
	# QUADSPI_DCR: FSIZE=log2(size)-1, the window covers the chip
	mmw [expr {$qspi + 0x04}] [expr {$fsize << 16}] [expr {0x1F << 16}]
	if {$size > 0x1000000} {
		# QUADSPI_CCR: FMODE=11 memory-mapped, DMODE=01, DCYC=8, ADSIZE=11 (32-bit), ADMODE=01, IMODE=01,
		# INSTRUCTION=0Ch FAST READ 4B
		mww [expr {$qspi + 0x14}] 0x0D20350C
	} else {
		# QUADSPI_CCR: FMODE=11 memory-mapped, DMODE=01, DCYC=8, ADSIZE=10 (24-bit), ADMODE=01, IMODE=01,
		# INSTRUCTION=0Bh FAST READ
		mww [expr {$qspi + 0x14}] 0x0D20250B
	}
}

# Memory-mapped over the whole chip, its size read from its ID; `default`
# when the ID is not known (no chip, or an unlisted capacity code).
# Returns the size mapped.
proc spiram_qspi_memmap_whole_chip {qspi default} {
	set size [spiram_jedec_size [spiram_qspi_read_id $qspi]]
	if {$size == 0 || $size > 0x10000000} {
		set size $default
	}
	spiram_qspi_memmap_read $qspi $size
	return $size
}

# ---------------------------------------------------------------------------
# QUADSPI in dual-flash mode (CR.DFM = 1): two identical chips (or the two
# dies of one package) on BK1 and BK2 behind one nCS, bank bytes
# interleaved: byte 2k in FLASH1 (BK1), 2k + 1 in FLASH2 (BK2), each chip
# addressed with AR / 2 (stm32h7-quadspi.md 4.12 and "Dual-flash mode")
# ---------------------------------------------------------------------------

# Configure an already clocked QUADSPI for two chips of `chip_size` bytes
# each: the same as spiram_qspi_configure, with DFM = 1 and FSIZE giving
# both chips together (RM0433: FSIZE describes the total size).  Leaves it
# enabled and idle (indirect mode).
proc spiram_qspi_configure_dual {qspi chip_size divider {cs_high 2}} {
	spiram_qspi_configure $qspi [expr {2 * $chip_size}] $divider $cs_high
	# QUADSPI_CR: EN=0, so that DFM may change
	mmw $qspi 0 0x00000001
	# QUADSPI_CR: DFM=1, dual-flash mode (FSEL ignored)
	mmw $qspi 0x00000040 0
	# QUADSPI_CR: EN=1
	mmw $qspi 0x00000001 0
}

# STM32H7: clock QUADSPI, then configure it for two chips (the GPIO
# alternate functions are the board's).
proc spiram_h7_qspi_setup_dual {chip_size divider {cs_high 2}} {
	mmw [expr {$::SPIRAM_H7_RCC + 0xD4}] 0x00004000 0			;# RCC_AHB3ENR: QSPIEN, clock QUADSPI
	spiram_qspi_configure_dual $::SPIRAM_H7_QUADSPI $chip_size $divider $cs_high
}

# The JEDEC IDs (9Fh, 1-1-1) of both chips, read in dual-flash mode as six
# interleaved bytes: a list of two lists of three bytes, FLASH1's first.
proc spiram_qspi_read_id_dual {qspi} {
	mww [expr {$qspi + 0x10}] 5						;# QUADSPI_DLR: 6 bytes, 3 per chip
	# QUADSPI_CCR: FMODE=01 indirect read, DMODE=01, IMODE=01, INSTRUCTION=9Fh READ ID (starts the command)
	mww [expr {$qspi + 0x14}] 0x0500019F
	for {set i 0} {$i < 100 && !([mrw [expr {$qspi + 0x08}]] & 0x02)} {incr i} {}
	set id1 {}
	set id2 {}
	for {set i 0} {$i < 3} {incr i} {
		lappend id1 [mrb [expr {$qspi + 0x20}]]				;# QUADSPI_DR: FLASH1's byte
		lappend id2 [mrb [expr {$qspi + 0x20}]]				;# QUADSPI_DR: FLASH2's byte
	}
	# QUADSPI_FCR: CTCF, clear transfer complete
	mww [expr {$qspi + 0x0C}] 0x00000002
	return [list $id1 $id2]
}

# Memory-mapped over both chips (the FAST READ of spiram_qspi_memmap_read,
# 0Ch with 4-byte addresses past 16 MiB of the pair), their size read from
# their IDs; `default` (both chips together) when the two IDs differ or
# are not known, with a warning naming them.  Returns the size mapped.
proc spiram_qspi_memmap_whole_dual {qspi default} {
	lassign [spiram_qspi_read_id_dual $qspi] id1 id2
	set size [expr {2 * [spiram_jedec_size $id1]}]
	if {$id1 ne $id2 || $size == 0 || $size > 0x10000000} {
		echo [format "spiram: dual-flash QUADSPI: FLASH1 (BK1) answers %02x %02x %02x, FLASH2 (BK2)\
			%02x %02x %02x; memory-mapped window of 0x%x bytes" {*}$id1 {*}$id2 $default]
		set size $default
	}
	spiram_qspi_memmap_read $qspi $size
	return $size
}

# Source one of OpenOCD's own board files with its interface lines left out
# (`source [find interface/...]` and `transport select ...`), the rest
# unchanged, so that its set-up procs (qspi_init, reset-init) drive a
# simulated twin reached through another interface.  Fails naming the
# file when it is not found or has no interface line to leave out.
proc spiram_source_board_without_interface {name} {
	set path [find $name]
	set f [open $path r]
	set text [read $f]
	close $f
	set kept {}
	set dropped 0
	foreach line [split $text "\n"] {
		if {[regexp {^\s*(source\s+\[find\s+interface/|transport\s+select)} $line]} {
			incr dropped
			continue
		}
		lappend kept $line
	}
	if {$dropped == 0} {
		error "$name: no interface line found to leave out; source it directly"
	}
	uplevel #0 [join $kept "\n"]
}

# ---------------------------------------------------------------------------
# STM32F7 (RM0385): RCC at 0x40023800, GPIOA..K at 0x40020000 + 0x400 x port
# on AHB1, QUADSPI registers at 0xA0001000
# ---------------------------------------------------------------------------

set SPIRAM_F7_RCC		0x40023800
set SPIRAM_F7_GPIOA		0x40020000
set SPIRAM_F7_QUADSPI		0xA0001000

# One pin to alternate function <af>; the GPIO registers are the H7's.
proc spiram_f7_gpio_af {name af} {
	lassign [spiram_pin_split $name] port pin
	set gpio [expr {$::SPIRAM_F7_GPIOA + 0x400 * $port}]
	set two [expr {2 * $pin}]
	set four [expr {4 * ($pin & 7)}]
	set afr [expr {$gpio + ($pin < 8 ? 0x20 : 0x24)}]
	# RCC_AHB1ENR: GPIO<port>EN, clock the pin's port
	mmw [expr {$::SPIRAM_F7_RCC + 0x30}] [expr {1 << $port}] 0
	# GPIOx_MODER: pin = 10, alternate function
	mmw $gpio [expr {2 << $two}] [expr {1 << $two}]
	mmw [expr {$gpio + 0x04}] 0 [expr {1 << $pin}]				;# GPIOx_OTYPER: pin = 0, push-pull
	# GPIOx_OSPEEDR: pin = 11, very high speed
	mmw [expr {$gpio + 0x08}] [expr {3 << $two}] 0
	# GPIOx_PUPDR: pin = 00, no pull (the board has its own)
	mmw [expr {$gpio + 0x0C}] 0 [expr {3 << $two}]
	mmw $afr [expr {$af << $four}] [expr {0xF << $four}]			;# GPIOx_AFRL/AFRH: pin = AF<af>
}

# Clock QUADSPI (RCC_AHB3ENR bit 1 on the F7, not the H7's bit 14 of its
# own AHB3ENR), then configure it as spiram_qspi_configure does.
proc spiram_f7_qspi_setup {size divider {cs_high 2}} {
	mmw [expr {$::SPIRAM_F7_RCC + 0x38}] 0x00000002 0			;# RCC_AHB3ENR: QSPIEN, clock QUADSPI
	spiram_qspi_configure $::SPIRAM_F7_QUADSPI $size $divider $cs_high
}

# ---------------------------------------------------------------------------
# STM32L4 (RM0351): RCC at 0x40021000, GPIOA..H at 0x48000000 + 0x400 x
# port on AHB2, QUADSPI registers at 0xA0001000
# ---------------------------------------------------------------------------

set SPIRAM_L4_RCC		0x40021000
set SPIRAM_L4_GPIOA		0x48000000
set SPIRAM_L4_QUADSPI		0xA0001000

# One pin to alternate function <af>; the GPIO registers are the H7's.
proc spiram_l4_gpio_af {name af} {
	lassign [spiram_pin_split $name] port pin
	set gpio [expr {$::SPIRAM_L4_GPIOA + 0x400 * $port}]
	set two [expr {2 * $pin}]
	set four [expr {4 * ($pin & 7)}]
	set afr [expr {$gpio + ($pin < 8 ? 0x20 : 0x24)}]
	# RCC_AHB2ENR: GPIO<port>EN, clock the pin's port
	mmw [expr {$::SPIRAM_L4_RCC + 0x4C}] [expr {1 << $port}] 0
	# GPIOx_MODER: pin = 10, alternate function
	mmw $gpio [expr {2 << $two}] [expr {1 << $two}]
	mmw [expr {$gpio + 0x04}] 0 [expr {1 << $pin}]				;# GPIOx_OTYPER: pin = 0, push-pull
	# GPIOx_OSPEEDR: pin = 11, very high speed
	mmw [expr {$gpio + 0x08}] [expr {3 << $two}] 0
	# GPIOx_PUPDR: pin = 00, no pull (the board has its own)
	mmw [expr {$gpio + 0x0C}] 0 [expr {3 << $two}]
	mmw $afr [expr {$af << $four}] [expr {0xF << $four}]			;# GPIOx_AFRL/AFRH: pin = AF<af>
}

# Clock QUADSPI (RCC_AHB3ENR bit 8 on the L4), then configure it as
# spiram_qspi_configure does.
proc spiram_l4_qspi_setup {size divider {cs_high 2}} {
	mmw [expr {$::SPIRAM_L4_RCC + 0x50}] 0x00000100 0			;# RCC_AHB3ENR: QSPIEN, clock QUADSPI
	spiram_qspi_configure $::SPIRAM_L4_QUADSPI $size $divider $cs_high
}

# Clock the D2 SRAMs (SRAM1-3 at 0x30000000), which are off after reset.
proc spiram_h7_d2_sram_enable {} {
	# RCC_AHB2ENR: SRAM1EN, SRAM2EN, SRAM3EN
	mmw [expr {$::SPIRAM_H7_RCC + 0xDC}] 0xE0000000 0
}

# ---------------------------------------------------------------------------
# STM32H7A3/H7B0/H7B3 OCTOSPI1 (stm32-octospi.md): the same flows as the
# QUADSPI procs above; FMODE sits in CR, the opcode in IR (whose write
# starts a command without address), dummy cycles in TCR, the divider in
# DCR2.
# ---------------------------------------------------------------------------

set SPIRAM_H7_OCTOSPI1		0x52005000

# Clock OCTOSPI1 and the I/O manager, route OCTOSPI1 to port 1 (quad, no
# DQS), and configure it disabled-safe: size (DEVSIZE), divider, nCS high
# time; leaves it enabled in indirect mode.
proc spiram_h7_ospi_setup {size divider {cs_high 2}} {
	set ospi $::SPIRAM_H7_OCTOSPI1
	set devsize [expr {[spiram_log2 $size] - 1}]
	# RCC_AHB3ENR: OSPI1EN (bit 14), IOMNGREN (bit 21), clock OCTOSPI1 and OCTOSPIM
	mmw [expr {$::SPIRAM_H7_RCC + 0xD4}] 0x00204000 0
	if {[mrw $ospi] & 1} {
		# enabled already (e.g. memory-mapped): abort, wait for BUSY=0
		# OCTOSPI_CR: ABORT=1, stop memory-mapped mode
		mmw $ospi 0x00000002 0
		for {set i 0} {$i < 100 && ([mrw [expr {$ospi + 0x20}]] & 0x20)} {incr i} {}
	}
	# OCTOSPI_CR: FTHRES=3 (4 bytes), FMODE=00 indirect write, DQM=0, FSEL=0, EN=0
	mww $ospi [expr {3 << 8}]
	# OCTOSPIM_P1CR: CLKEN, NCSEN, IOLEN (IO[3:0] from OCTOSPI1 IO[3:0]): OCTOSPI1 on port 1, quad (INFERRED
	# routing, stm32-octospi.md 3)
	mww 0x5200B404 0x00010101
	# OCTOSPI_DCR1: MTYP=000 (Micron/standard), DEVSIZE=log2(size)-1, CSHT=cs_high-1, CKMODE=0 (mode 0)
	mww [expr {$ospi + 0x08}] [expr {($devsize << 16) | (($cs_high - 1) << 8)}]
	mww [expr {$ospi + 0x0C}] [expr {$divider - 1}]			;# OCTOSPI_DCR2: PRESCALER=divider-1, WRAPSIZE=0
	# OCTOSPI_TCR: SSHIFT=1 (sample half a clock late), DCYC=0
	mww [expr {$ospi + 0x108}] 0x40000000
	mww [expr {$ospi + 0x24}] 0x0000001B					;# OCTOSPI_FCR: clear TEF, TCF, SMF, TOF
	mmw $ospi 0x00000001 0							;# OCTOSPI_CR: EN=1
}

# One instruction-only command (no address, no data) in indirect mode;
# ccr: the instruction's CCR (default IMODE=001 one line, ISIZE=8-bit).
proc spiram_h7_ospi_command {opcode {ccr 0x00000001}} {
	set ospi $::SPIRAM_H7_OCTOSPI1
	mmw $ospi 0 0x30000000							;# OCTOSPI_CR: FMODE=00 indirect write
	# OCTOSPI_CCR: the instruction phase only, no address/alternate/data
	mww [expr {$ospi + 0x100}] $ccr
	# OCTOSPI_IR: INSTRUCTION=opcode (no address phase: starts the command)
	mww [expr {$ospi + 0x110}] $opcode
	for {set i 0} {$i < 100 && !([mrw [expr {$ospi + 0x20}]] & 0x02)} {incr i} {}
	# OCTOSPI_FCR: CTCF, clear transfer complete
	mww [expr {$ospi + 0x24}] 0x00000002
}

# 66h reset enable, 99h reset, then tRST.
proc spiram_h7_ospi_chip_reset {} {
	spiram_h7_ospi_command 0x66
	spiram_h7_ospi_command 0x99
	sleep 1
}

# Memory-mapped mode with 0Bh FAST READ, 1-1-1, 24-bit address, 8 dummy
# cycles (no QE needed): command registers first, FMODE last (the HAL's
# order).  The flash then reads at 0x90000000.
proc spiram_h7_ospi_memmap_fast_read {} {
	set ospi $::SPIRAM_H7_OCTOSPI1
	# OCTOSPI_TCR: SSHIFT=1, DCYC=8 dummy cycles
	mww [expr {$ospi + 0x108}] 0x40000008
	# OCTOSPI_CCR: DMODE=001, ADSIZE=10 (24-bit), ADMODE=001, IMODE=001, no alternate bytes
	mww [expr {$ospi + 0x100}] 0x01002101
	# OCTOSPI_IR: 0Bh FAST READ (FMODE=00 with an address phase: waits for AR, starts nothing)
	mww [expr {$ospi + 0x110}] 0x0000000B
	mmw $ospi 0x30000000 0							;# OCTOSPI_CR: FMODE=11 memory-mapped
}

# Octal DTR (8D-8D-8D) on a Macronix octaflash (MX25LM51245G, nor-chips.md
# 9.5): route OCTOSPI1 to port 1 with all eight IOs and DQS, reset the chip
# in DTR OPI and in SPI (whichever it is in: the MCU's reset does not reach
# it), switch it to DTR OPI by WRCR2 at CR2 address 0 = 02h, and map the
# 8D-8D-8D read EE11h (20 dummy cycles, the chip's default, DQS capture).
# Run after spiram_h7_ospi_setup.  The driver's OCTOSPI backend sees the
# 8-line DTR instruction in CCR and sends every command in that protocol.
proc spiram_h7_ospi_octal_dtr_enter {} {
	set ospi $::SPIRAM_H7_OCTOSPI1
	# OCTOSPIM_P1CR: CLKEN, DQSEN, NCSEN, IOLEN (OCTOSPI1 IO[3:0]), IOHEN (OCTOSPI1 IO[7:4]) (OpenOCD's
	# stm32h735g-disco.cfg value)
	mww 0x5200B404 0x03010111
	mmw [expr {$ospi + 0x08}] 0x01000000 0x07000000			;# OCTOSPI_DCR1: MTYP=001 Macronix
	# 6699h/9966h as 8D-8D-8D instructions (CCR: IMODE=100, IDTR, ISIZE=16-bit)
	spiram_h7_ospi_command 0x6699 0x0000001C
	spiram_h7_ospi_command 0x9966 0x0000001C
	spiram_h7_ospi_chip_reset
	spiram_h7_ospi_command 0x06
	mmw $ospi 0 0x30000000							;# OCTOSPI_CR: FMODE=00 indirect write
	mww [expr {$ospi + 0x40}] 0						;# OCTOSPI_DLR: 1 byte
	mww [expr {$ospi + 0x108}] 0x40000000					;# OCTOSPI_TCR: SSHIFT=1, DCYC=0
	# OCTOSPI_CCR: DMODE=001, ADSIZE=11 (32-bit), ADMODE=001, IMODE=001
	mww [expr {$ospi + 0x100}] 0x01003101
	mww [expr {$ospi + 0x110}] 0x72						;# OCTOSPI_IR: 72h WRCR2
	mww [expr {$ospi + 0x48}] 0						;# OCTOSPI_AR: CR2 address 0
	mwb [expr {$ospi + 0x50}] 0x02						;# OCTOSPI_DR: DOPI=1 (starts the write)
	for {set i 0} {$i < 100 && !([mrw [expr {$ospi + 0x20}]] & 0x02)} {incr i} {}
	mww [expr {$ospi + 0x24}] 0x00000002					;# OCTOSPI_FCR: CTCF
	# OCTOSPI_TCR: DHQC=1 (data output a quarter cycle late in DTR), DCYC=20
	mww [expr {$ospi + 0x108}] 0x10000014
	# OCTOSPI_CCR: DQSE, DDTR, DMODE=100, ADSIZE=11, ADDTR, ADMODE=100, ISIZE=01, IDTR, IMODE=100
	mww [expr {$ospi + 0x100}] 0x2C003C1C
	mww [expr {$ospi + 0x110}] 0x0000EE11					;# OCTOSPI_IR: EE11h 8DTRD
	mmw $ospi 0x30000000 0							;# OCTOSPI_CR: FMODE=11 memory-mapped
}

# ---------------------------------------------------------------------------
# STM32F1 / GD32F30x: RCC(RCU), GPIO CRL/CRH, SPI v1 (stm32f1-gd32f30x-spi.md)
# ---------------------------------------------------------------------------

set SPIRAM_F1_RCC		0x40021000
set SPIRAM_F1_GPIOA		0x40010800

# F1 pin modes (MODE[1:0] | CNF[1:0] << 2) for spiram_f1_gpio_mode
set SPIRAM_F1_OUT_PP		0x3	;# general-purpose output, push-pull, 50 MHz
set SPIRAM_F1_AF_PP		0xB	;# alternate-function output, push-pull, 50 MHz
set SPIRAM_F1_IN_FLOAT		0x4	;# input, floating
set SPIRAM_F1_IN_PULL		0x8	;# input with pull-up/down (ODR chooses)

# Clock the AFIO block (remaps, EXTI; GD32: AFEN).
proc spiram_f1_afio_enable {} {
	mmw [expr {$::SPIRAM_F1_RCC + 0x18}] 0x00000001 0			;# RCC_APB2ENR: AFIOEN
}

# One pin's 4-bit MODE/CNF field; clocks its port first.
proc spiram_f1_gpio_mode {name mode_cnf} {
	lassign [spiram_pin_split $name] port pin
	set gpio [expr {$::SPIRAM_F1_GPIOA + 0x400 * $port}]
	set reg [expr {$gpio + ($pin < 8 ? 0x00 : 0x04)}]
	set four [expr {4 * ($pin & 7)}]
	# RCC_APB2ENR: IOP<port>EN, clock the port
	mmw [expr {$::SPIRAM_F1_RCC + 0x18}] [expr {1 << (2 + $port)}] 0
	# GPIOx_CRL/CRH: pin MODE/CNF = mode_cnf
	mmw $reg [expr {$mode_cnf << $four}] [expr {0xF << $four}]
}

# Drive an output pin (or choose pull-up 1 / pull-down 0 of an input).
proc spiram_f1_gpio_set {name level} {
	lassign [spiram_pin_split $name] port pin
	set gpio [expr {$::SPIRAM_F1_GPIOA + 0x400 * $port}]
	# an unclocked port ignores writes
	# RCC_APB2ENR: IOP<port>EN, clock the port
	mmw [expr {$::SPIRAM_F1_RCC + 0x18}] [expr {1 << (2 + $port)}] 0
	# GPIOx_BSRR: bit n sets the pin's output latch, bit n+16 resets it
	mww [expr {$gpio + 0x10}] [expr {$level ? (1 << $pin) : (1 << ($pin + 16))}]	;# GPIOx_BSRR: set or reset
}

# Clock and configure a SPI v1 as master for a NOR chip: mode 0, 8-bit,
# MSB first, software NSS (CS is a GPIO), SCK = PCLK / 2^(br+1).
# base: 0x40013000 (STM32 SPI1 = GD32 SPI0, APB2), 0x40003800 / 0x40003C00
# (STM32 SPI2/SPI3 = GD32 SPI1/SPI2, APB1).
proc spiram_f1_spi_setup {base br} {
	set rcc $::SPIRAM_F1_RCC
	switch -- [format 0x%08X $base] {
		0x40013000 {
			mmw [expr {$rcc + 0x18}] 0x00001000 0			;# RCC_APB2ENR: SPI1EN (GD32: SPI0EN)
		}
		0x40003800 {
			mmw [expr {$rcc + 0x1C}] 0x00004000 0			;# RCC_APB1ENR: SPI2EN (GD32: SPI1EN)
		}
		0x40003C00 {
			mmw [expr {$rcc + 0x1C}] 0x00008000 0			;# RCC_APB1ENR: SPI3EN (GD32: SPI2EN)
		}
		default {
			error "spiram: no SPI v1 known at [format 0x%08X $base]; enable its clock in reset-init yourself"
		}
	}
	# SPI_CR1: SPE=0, disabled while it is configured
	mww $base 0x00000000
	# SPI_CR2: no DMA, SSOE=0, no interrupts
	mww [expr {$base + 0x04}] 0x00000000
	# SPI_CR1: SSM=1 SSI=1 (software NSS, kept high), CPOL=CPHA=0, 8-bit, MSB first
	mww $base [expr {0x0304 | ($br << 3)}]					;# SPI_CR1: MSTR=1, BR=br, SSM=1, SSI=1
	mww $base [expr {0x0344 | ($br << 3)}]					;# SPI_CR1: the same plus SPE=1, enabled
}

# ---------------------------------------------------------------------------
# verify_image of an image in spiram_loader banks
# ---------------------------------------------------------------------------
#
# `program file.bin 0x90000000 verify` verifies with the target command
# `verify_image`, which computes a CRC of CPU memory.  On the STM32F1 and
# GD32F30x boards nothing is mapped at the bank's address, so that would
# fail although the flash holds the right bytes; on a memory-mapped
# QUADSPI it works, but a mismatch reads the whole image back.
#
# After `init` (OpenOCD registers `verify_image` only then), the original
# command is renamed `spiram_target_verify_image` and `verify_image`
# becomes the proc below.  It lists the image's sections (`test_image`,
# which takes the same arguments) and:
#  - when no section touches a spiram_loader bank, runs the original,
#    unchanged;
#  - when every section lies in a flash bank, runs
#    `flash verify_image <file> [address [type]]` (the same argument forms):
#    the driver compares a CRC of each sector computed by its stub on the
#    target with the file's, and reads back only the first sector that
#    differs, to name the first wrong byte;
#  - when sections lie both in spiram_loader banks and outside any flash
#    bank (RAM), runs the original if every such bank is memory-mapped,
#    else fails and says how to verify the two parts.
# A spiram_loader bank is treated as memory-mapped only when the board
# declared it so with `spiram_declare_memory_mapped <bank name>` (a QUADSPI
# in memory-mapped mode).

if {![info exists spiram_memory_mapped_banks]} {
	set spiram_memory_mapped_banks {}
}

proc spiram_declare_memory_mapped {bank_name} {
	global spiram_memory_mapped_banks
	if {[lsearch -exact $spiram_memory_mapped_banks $bank_name] < 0} {
		lappend spiram_memory_mapped_banks $bank_name
	}
}

# A plain binary's one section without reading the file: {ok {start end}},
# or {} when test_image must tell.  OpenOCD takes a file as binary when the
# type says bin, or when none is given and its first 9 bytes are neither
# ELF, Intel HEX nor S-record (image.c, autodetect_image_type); the section
# is then the file at the address given (0 without).  test_image reads the
# whole file: 12 ms for 1 MiB on the build host, before every write_image
# and verify_image of it.
proc spiram_binary_section {filename {offset ""} {type ""}} {
	if {$type ne "" && $type ne "bin"} {
		return {}
	}
	if {![file isfile $filename] || [catch {file size $filename} size]} {
		return {}
	}
	if {$type eq ""} {
		if {$size < 9 || [catch {open $filename rb} f]} {
			return {}
		}
		set head [read $f 9]
		close $f
		if {[string length $head] != 9 || [string range $head 0 3] eq "\x7fELF"
				|| [regexp {^:[0-9A-Fa-f]{6}0[0-5]} $head]
				|| [regexp {^S[0-8][0-9A-Fa-f]{2}} $head]} {
			return {}
		}
	}
	set base 0
	if {$offset ne "" && [catch {expr {$offset + 0}} base]} {
		return {}
	}
	return [list ok [list $base [expr {$base + $size}]]]
}

# {start end} of each section of an image (end exclusive), from test_image.
proc spiram_image_sections {args} {
	set bin [spiram_binary_section {*}$args]
	if {[llength $bin]} {
		lassign [lindex $bin 1] start end
		return [expr {$end > $start ? [list [list $start $end]] : {}}]
	}
	set out [spiram_target_test_image {*}$args]
	set sections {}
	foreach {- addr len} [regexp -all -inline {address (0x[0-9a-fA-F]+) length (0x[0-9a-fA-F]+)} $out] {
		if {$len > 0} {
			lappend sections [list [expr {$addr}] [expr {$addr + $len}]]
		}
	}
	return $sections
}

proc spiram_target_test_image {args} {
	return [test_image {*}$args]
}

# The flash banks as {number name driver start end}; a spiram_loader bank
# of size 0 (not probed yet) is probed when an image section reaches past
# its base, so its real size is known.
proc spiram_flash_ranges {sections} {
	set ranges {}
	set number 0
	foreach bank [flash list] {
		set base [dict get $bank base]
		set size [dict get $bank size]
		if {$size == 0 && [dict get $bank driver] eq "spiram_loader"} {
			foreach s $sections {
				if {[lindex $s 1] > $base} {
					catch {flash probe $number}
					foreach b [flash list] {
						if {[dict get $b name] eq [dict get $bank name]} {
							set size [dict get $b size]
						}
					}
					break
				}
			}
		}
		lappend ranges [list $number [dict get $bank name] [dict get $bank driver] $base [expr {$base + $size}]]
		incr number
	}
	return $ranges
}

proc spiram_verify_image {args} {
	global spiram_memory_mapped_banks
	if {[llength $args] < 1 || [llength $args] > 3} {
		# let the original print its usage
		return [spiram_target_verify_image {*}$args]
	}
	# a file that cannot be opened: test_image has logged why
	set sections [spiram_image_sections {*}$args]
	set ranges [spiram_flash_ranges $sections]
	set loader {}
	set unmapped {}
	set outside {}
	foreach s $sections {
		lassign $s start end
		set in_flash 0
		foreach r $ranges {
			lassign $r number name driver rstart rend
			if {$start >= $rstart && $end <= $rend} {
				set in_flash 1
				if {$driver eq "spiram_loader"} {
					lappend loader $number
					if {[lsearch -exact $spiram_memory_mapped_banks $name] < 0} {
						lappend unmapped $number
					}
				}
			} elseif {$driver eq "spiram_loader" && $start < $rend && $end > $rstart} {
				error "spiram: verify_image: section [format 0x%08X $start]-[format 0x%08X [expr {$end - 1}]] crosses\
					the end of flash bank $number ($name, [format 0x%08X $rstart]-[format 0x%08X [expr {$rend - 1}]])"
			}
		}
		if {!$in_flash} {
			lappend outside [format 0x%08X $start]
		}
	}
	if {![llength $loader] || ([llength $outside] && ![llength $unmapped])} {
		return [spiram_target_verify_image {*}$args]
	}
	if {[llength $outside]} {
		error "spiram: verify_image: [lindex $args 0] has sections in spiram_loader bank [lindex $unmapped 0]\
			(not memory-mapped) and outside any flash bank (at [join $outside {, }]);\
			verify the flash part with 'flash verify_image' and the rest with 'verify_image'\
			on an image holding only those sections"
	}
	echo "spiram: verify_image of flash bank [lindex $loader 0] runs 'flash verify_image' (a CRC of each sector\
		computed on the target)"
	return [flash verify_image {*}$args]
}

# Install the wrapper once `verify_image` exists (after init).  Idempotent.
proc spiram_install_verify_image {} {
	if {![llength [info commands verify_image]] || [llength [info commands spiram_target_verify_image]]} {
		return
	}
	rename verify_image spiram_target_verify_image
	proc verify_image {args} {
		return [spiram_verify_image {*}$args]
	}
}

if {[llength [info commands verify_image]]} {
	spiram_install_verify_image
} elseif {![info exists post_init_commands] || [lsearch -exact $post_init_commands spiram_install_verify_image] < 0} {
	lappend post_init_commands spiram_install_verify_image
}

# GDB sessions: set the external flash up when GDB attaches (GDB's memory
# map needs every bank probed, and the probe needs the controller's clock and
# pins from reset-init), and again after GDB's `load` (OpenOCD's default
# there is `reset halt`, which leaves QUADSPI out of memory-mapped mode, so
# `compare-sections` and code running in place would fault).
#
# GDB's `load` erases (vFlashErase) before it writes (vFlashDone): while it
# erases, spiram_loader banks only record the sectors, and the writes that
# follow decide per sector (a sector that already holds the data is not
# touched); when the writes are done, what was asked to be erased and not
# written is erased (`spiram_loader defer_erase <bank> off`).  See
# docs/driver.md, "Smart programming".
#
# GDB attach resets the target (`reset init`) unless the attach mode is
# `halt`: then the core is only halted where it runs (OpenOCD's default
# gdb-attach action), so a running board can be debugged as it is.  Choose
# it before the board config with `-c "set SPIRAM_GDB_ATTACH halt"`, or
# any time before GDB connects with `spiram_gdb_attach halt` (also from
# telnet).  In halt mode the target's work area is backed up and restored
# around every use (-work-area-backup 1), since GDB's memory map probes the
# flash banks, which loads the stub into that RAM; the probe needs the
# flash controller set up as reset-init would (the firmware usually has).
if {![info exists SPIRAM_GDB_ATTACH]} {
	set SPIRAM_GDB_ATTACH reset
}

# spiram_gdb_attach [reset|halt]: set, or without an argument print, what
# a GDB attach does.
proc spiram_gdb_attach {{mode ""}} {
	global SPIRAM_GDB_ATTACH
	if {$mode ne ""} {
		if {$mode ni {reset halt}} {
			return -code error "spiram_gdb_attach: '$mode' is not a mode: 'reset' (reset init when GDB attaches,\
				the default) or 'halt' (halt where it runs, no reset)"
		}
		set SPIRAM_GDB_ATTACH $mode
	}
	return $SPIRAM_GDB_ATTACH
}

# The gdb-attach event of the boards.
proc spiram_on_gdb_attach {target} {
	set mode [spiram_gdb_attach]
	if {$mode eq "halt"} {
		$target configure -work-area-backup 1
		echo "spiram: GDB attach without reset (SPIRAM_GDB_ATTACH halt): halting $target where it runs"
		$target arp_halt
		$target arp_waitstate halted 1000
	} elseif {$mode eq "reset"} {
		$target configure -work-area-backup 0
		reset init
	} else {
		return -code error "SPIRAM_GDB_ATTACH is '$mode': expected reset or halt"
	}
}

proc spiram_gdb_events {target} {
	$target configure -event gdb-attach [list spiram_on_gdb_attach $target]
	$target configure -event gdb-flash-erase-start { spiram_defer_erases on }
	$target configure -event gdb-flash-write-end { spiram_defer_erases off; reset init }
	$target configure -event gdb-detach { spiram_defer_erases off }
}

# `spiram_loader defer_erase <bank> on|off` on every spiram_loader bank.
proc spiram_defer_erases {on} {
	set number 0
	foreach bank [flash list] {
		if {[dict get $bank driver] eq "spiram_loader"} {
			spiram_loader defer_erase $number $on
		}
		incr number
	}
}

# ---------------------------------------------------------------------------
# Bad input for a spiram_loader bank: refused before anything is touched
# ---------------------------------------------------------------------------
#
# OpenOCD 0.12's flash core lets three bad inputs through before a driver
# is called: an image running past the bank's end is written up to that
# end with only a warning (`flash write_image`, `program`; `flash
# write_bank` truncates it); a file under 9 bytes makes `flash write_image`
# without a type fail with no message (type detection reads 9 bytes); and
# `flash erase_address` over the bank's end erases the part inside the bank
# before it fails.
#
# When this file is sourced, the command group `flash` is renamed
# `spiram_ocd_flash` and `flash` becomes the proc `spiram_flash` below.  It
# checks `flash write_image`, `flash write_bank`, `flash verify_bank` and
# `flash erase_address` when their range touches a spiram_loader bank, and
# refuses a request that is invalid as a whole with an error saying what
# is wrong and what to do, before anything is erased or written.  Before
# init, a subcommand that OpenOCD registers only at init gets an error
# saying so, instead of the group's usage.  Every other call, and every call on a bank of
# another driver, goes unchanged to OpenOCD's own subcommand, called by its
# full name ("flash write_image"), so results, errors, usage and help stay
# OpenOCD's.  `program` runs `flash write_image erase` inside a catch that
# hides the error's text; while `program` runs, a refusal is also echoed.
#
# Invariant: a check that cannot decide (a bank that does not probe, an
# image that test_image cannot read) lets the request through, so OpenOCD
# reports the problem as it would without this file.

if {![info exists spiram_guard_echo]} {
	set spiram_guard_echo 0
}

proc spiram_guard_fail {message} {
	if {$::spiram_guard_echo} {
		echo $message
	}
	error $message
}

proc spiram_hex {value} {
	return [format 0x%08X $value]
}

# The spiram_loader bank holding address <addr> as {number name start end}
# (end exclusive), probing a bank of size 0 first; {} when there is none.
proc spiram_loader_bank_at {addr} {
	foreach r [spiram_flash_ranges [list [list $addr [expr {$addr + 1}]]]] {
		lassign $r number name driver start end
		if {$driver eq "spiram_loader" && $addr >= $start && $addr < $end} {
			return [list $number $name $start $end]
		}
	}
	return {}
}

# "flash bank 1 (name, 0x90000000-0x90FFFFFF)"
proc spiram_bank_text {bank} {
	lassign $bank number name start end
	return "flash bank $number ($name, [spiram_hex $start]-[spiram_hex [expr {$end - 1}]])"
}

# Size of a file in bytes, -1 when it cannot be read.
proc spiram_file_size {filename} {
	if {[catch {file size $filename} size] || ![file isfile $filename]} {
		return -1
	}
	return $size
}

# flash write_image [erase] [unlock] <file> [offset [type]]
proc spiram_check_write_image {argv} {
	while {[lindex $argv 0] in {erase unlock}} {
		set argv [lrange $argv 1 end]
	}
	if {[llength $argv] < 1 || [llength $argv] > 3} {
		return
	}
	lassign $argv filename offset type
	set size [spiram_file_size $filename]
	# The file itself: only when the address given lands in our bank (a
	# typed image without its file has no known address).
	if {$offset ne "" && ($size <= 0 || ($size < 9 && $type eq ""))
			&& ![catch {expr {$offset + 0}} base]} {
		set bank [spiram_loader_bank_at $base]
		if {[llength $bank]} {
			if {$size < 0} {
				spiram_guard_fail "spiram_loader: cannot read '$filename' (no such file, or not a file):\
					check its path (a relative path starts in openocd's working directory);\
					nothing was erased or written"
			} elseif {$size == 0} {
				spiram_guard_fail "spiram_loader: '$filename' is empty: nothing to write to [spiram_bank_text $bank];\
					check that the build produced it; nothing was erased or written"
			} else {
				spiram_guard_fail "spiram_loader: '$filename' is only $size bytes:\
					OpenOCD cannot detect the type of a file under 9 bytes; give the type, e.g.\
					'flash write_image erase $filename $offset bin'; nothing was erased or written"
			}
		}
		return
	}
	# No address: OpenOCD would write nothing and report success (an
	# empty file) or fail without naming the file (a directory).
	if {$offset eq "" && $size <= 0 && [spiram_loader_banks_exist]} {
		if {$size < 0} {
			spiram_guard_fail "spiram_loader: cannot read '$filename' (no such file, or not a file):\
				check its path (a relative path starts in openocd's working directory); nothing was erased or written"
		}
		spiram_guard_fail "spiram_loader: '$filename' is empty: there is nothing to write;\
			check that the build produced it; nothing was erased or written"
	}
	if {$size <= 0 || ($size < 9 && $type eq "")} {
		return
	}
	if {[catch {spiram_image_sections {*}$argv} sections]} {
		return
	}
	# for spiram_write_image_argv, in the same `flash` command: test_image
	# reads the whole file of any type but a plain binary (about 12 ms a MiB)
	set ::spiram_write_image_sections [list $argv $sections]
	set ranges [spiram_flash_ranges $sections]
	foreach s $sections {
		lassign $s start end
		set data "its data at [spiram_hex $start]-[spiram_hex [expr {$end - 1}]]"
		foreach r $ranges {
			lassign $r number name driver rstart rend
			if {$driver ne "spiram_loader" || $end <= $rstart || $start >= $rend} {
				continue
			}
			set bank [list $number $name $rstart $rend]
			# OpenOCD looks a section up by its first byte only: one that
			# starts below the bank would be skipped with "no flash bank
			# found" and the command would still succeed.
			if {$start < $rstart} {
				spiram_guard_fail "spiram_loader: '$filename' starts outside [spiram_bank_text $bank]:\
					$data begins [expr {$rstart - $start}] bytes below the bank; nothing was erased or written.\
					Check the image's address (the bank starts at [spiram_hex $rstart])"
			}
			if {$end > $rend} {
				spiram_guard_fail "spiram_loader: '$filename' runs past the end of [spiram_bank_text $bank]:\
					$data is [expr {$end - $rend}] bytes too long; nothing was erased or written.\
					Check the image and its address, or use a bank (chip) large enough"
			}
		}
	}
}

# `flash write_image erase` of an image that lies wholly in spiram_loader
# banks runs without `erase`: the driver's write erases what it must, sector
# by sector, skips sectors that already hold the data, and keeps the bytes
# of a sector that the image does not cover (OpenOCD's erase would pad them
# with 0xFF; `spiram_loader unwritten <bank> erase` restores that).  Any
# other image, or one that cannot be read, goes to OpenOCD unchanged.
proc spiram_write_image_argv {argv} {
	set flags {}
	set rest $argv
	while {[lindex $rest 0] in {erase unlock}} {
		lappend flags [lindex $rest 0]
		set rest [lrange $rest 1 end]
	}
	if {"erase" ni $flags} {
		return $argv
	}
	# the sections spiram_check_write_image just listed, if it did
	if {[info exists ::spiram_write_image_sections] && [lindex $::spiram_write_image_sections 0] eq $rest} {
		set sections [lindex $::spiram_write_image_sections 1]
	} elseif {[catch {spiram_image_sections {*}$rest} sections]} {
		return $argv
	}
	unset -nocomplain ::spiram_write_image_sections
	if {![llength $sections]} {
		return $argv
	}
	set ranges [spiram_flash_ranges $sections]
	foreach s $sections {
		lassign $s start end
		set inside 0
		foreach r $ranges {
			lassign $r - - driver rstart rend
			if {$driver eq "spiram_loader" && $start >= $rstart && $end <= $rend} {
				set inside 1
			}
		}
		if {!$inside} {
			return $argv
		}
	}
	return [concat [lsearch -all -inline -not -exact $flags erase] $rest]
}

# Whether any flash bank is a spiram_loader bank.
proc spiram_loader_banks_exist {} {
	foreach bank [flash list] {
		if {[dict get $bank driver] eq "spiram_loader"} {
			return 1
		}
	}
	return 0
}

# flash verify_bank <num> <file> [offset]: a file that cannot be read
# would fail with "Short read" and no file named.
proc spiram_check_verify_bank {argv} {
	if {[llength $argv] < 2 || [llength $argv] > 3} {
		return
	}
	lassign $argv number filename
	set banks [flash list]
	if {[catch {expr {int($number)}} number] || $number < 0 || $number >= [llength $banks]
			|| [dict get [lindex $banks $number] driver] ne "spiram_loader"} {
		return
	}
	set size [spiram_file_size $filename]
	if {$size < 0} {
		spiram_guard_fail "spiram_loader: cannot read '$filename' (no such file, or not a file):\
			give the file to compare flash bank $number with; nothing was read"
	}
	if {$size == 0} {
		spiram_guard_fail "spiram_loader: '$filename' is empty: there is nothing to compare flash bank $number with"
	}
}

# Whether <number> names a spiram_loader bank (by number, as `flash
# verify_bank` takes it).
proc spiram_is_loader_bank {number} {
	set banks [flash list]
	foreach bank $banks {
		if {[dict get $bank name] eq $number} {
			return [expr {[dict get $bank driver] eq "spiram_loader"}]
		}
	}
	return [expr {![catch {expr {int($number)}} number] && $number >= 0 && $number < [llength $banks]
		&& [dict get [lindex $banks $number] driver] eq "spiram_loader"}]
}

# flash write_bank <num> <file> [offset]
proc spiram_check_write_bank {argv} {
	if {[llength $argv] < 2 || [llength $argv] > 3} {
		return
	}
	lassign $argv number filename offset
	if {$offset eq ""} {
		set offset 0
	}
	if {[catch {expr {int($number)}} number] || [catch {expr {$offset + 0}} offset]} {
		return
	}
	set banks [flash list]
	if {$number < 0 || $number >= [llength $banks]} {
		return
	}
	set b [lindex $banks $number]
	if {[dict get $b driver] ne "spiram_loader"} {
		return
	}
	set bank [spiram_loader_bank_at [dict get $b base]]
	if {![llength $bank]} {
		return
	}
	lassign $bank - - start end
	set size [spiram_file_size $filename]
	if {$size < 0} {
		spiram_guard_fail "spiram_loader: cannot read '$filename' (no such file, or not a file):\
			check its path (a relative path starts in openocd's working directory); nothing was erased or written"
	}
	if {$size == 0} {
		spiram_guard_fail "spiram_loader: '$filename' is empty: nothing to write to [spiram_bank_text $bank];\
			check that the build produced it; nothing was erased or written"
	}
	set bank_size [expr {$end - $start}]
	if {$offset + $size > $bank_size} {
		spiram_guard_fail "spiram_loader: '$filename' ($size bytes at offset [spiram_hex $offset])\
			runs past the end of [spiram_bank_text $bank] by [expr {$offset + $size - $bank_size}] bytes;\
			nothing was erased or written.\
			Check the offset, or write only the part that fits"
	}
}

# flash erase_address [pad] [unlock] <address> <length>
proc spiram_check_erase_address {argv} {
	while {[lindex $argv 0] in {pad unlock}} {
		set argv [lrange $argv 1 end]
	}
	if {[llength $argv] != 2} {
		return
	}
	lassign $argv address length
	if {[catch {expr {$address + 0}} address] || [catch {expr {$length + 0}} length] || $length <= 0} {
		return
	}
	set bank [spiram_loader_bank_at $address]
	if {![llength $bank]} {
		return
	}
	set bank_end [lindex $bank 3]
	if {$address + $length > $bank_end} {
		spiram_guard_fail "spiram_loader: erase_address [spiram_hex $address] [format 0x%X $length]\
			runs past the end of [spiram_bank_text $bank] by [format 0x%X [expr {$address + $length - $bank_end}]]\
			bytes; nothing was erased. To erase up to the bank's end:\
			'flash erase_address [spiram_hex $address] [format 0x%X [expr {$bank_end - $address}]]'"
	}
}

# The `flash` command once the guards are installed.
proc spiram_flash {args} {
	set sub [lindex $args 0]
	# image sections are shared only within one write_image (the file
	# may change between two; `flash list` runs in between)
	if {$sub eq "write_image"} {
		unset -nocomplain ::spiram_write_image_sections
	}
	set check [dict create write_image spiram_check_write_image write_bank spiram_check_write_bank \
		erase_address spiram_check_erase_address verify_bank spiram_check_verify_bank]
	# A refusal is raised from here, so its report is the message plus
	# one "in procedure 'flash'" line.
	if {[dict exists $check $sub] && [catch {[dict get $check $sub] [lrange $args 1 end]} message]} {
		return -code error $message
	}
	# (a subcommand name is a plain word: no glob characters reach
	# `info commands`)
	if {[regexp {^[A-Za-z0-9_]+$} $sub] && [llength [info commands "flash $sub"]] == 1} {
		set command "flash $sub"
		set argv [lrange $args 1 end]
		if {$sub eq "write_image"} {
			set argv [spiram_write_image_argv $argv]
		}
		if {$sub eq "verify_bank" && [spiram_is_loader_bank [lindex $argv 0]]
				&& [llength [info commands {spiram_loader verify_bank}]]} {
			set command "spiram_loader verify_bank"
		}
		return [$command {*}$argv]
	}
	# Before init OpenOCD has only the configuration subcommands; the
	# others would just print the group's usage.
	if {$sub in $::spiram_flash_exec_subcommands && ![llength [info commands {flash write_image}]]} {
		return -code error "flash $sub: this command works only after 'init' (the target is not connected before it):\
			run 'init' and 'reset init' first,\
			e.g. openocd -f <board.cfg> -c init -c \"reset init\" -c \"flash $sub ...\""
	}
	# No such subcommand (or none): what the group itself answers, its
	# usage as an error (under its old name it would list nothing).
	return -code error [usage flash]
}

# The `flash` subcommands that OpenOCD registers at init.
set spiram_flash_exec_subcommands {info probe erase_check erase_address erase_sector protect write_bank
	write_image read_bank verify_bank verify_image fillw fillh fillb filld mdw mdh mdb padded_value}

# `program` with refusals echoed (its catch would hide their text).
proc spiram_program {args} {
	set was $::spiram_guard_echo
	set ::spiram_guard_echo 1
	set code [catch {spiram_ocd_program {*}$args} result]
	set ::spiram_guard_echo $was
	return -code $code $result
}

# Install the `flash` guard.  OpenOCD registers the group's subcommands
# at init under their full names ("flash write_image"), which the guard
# calls, so it can be installed before init: it then also explains the
# subcommands that exist only after init.  Idempotent.
proc spiram_install_flash_guards {} {
	if {[llength [info commands spiram_ocd_flash]]} {
		return
	}
	rename flash spiram_ocd_flash
	proc flash {args} {
		return [spiram_flash {*}$args]
	}
}

# `program` is wrapped at once: `openocd -f board.cfg -c "program ..."`
# calls it before init (it runs init itself, which installs the guard).
if {[llength [info commands program]] && ![llength [info commands spiram_ocd_program]]} {
	rename program spiram_ocd_program
	proc program {args} {
		return [spiram_program {*}$args]
	}
}

spiram_install_flash_guards
