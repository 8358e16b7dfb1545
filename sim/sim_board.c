// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Board assembly (sim_board.h): memory maps from stm32h7-quadspi.md §1 and
 * stm32f1-gd32f30x-spi.md §1/§6, the peripherals of the other sim modules,
 * the CoreSight ROM tables of sim_dap.c, and the SoC blocks of sim_soc.c.
 *
 * Invariants: every device added to the bus outlives the bus; the core is
 * created after all RAM regions so that the reset vector can be read; the
 * internal flash holds a small idle program (vector table + `b .`) so a
 * fresh board runs instead of locking up on an erased vector table.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "periph_gpio.h"
#include "periph_ospi.h"
#include "periph_qspi.h"
#include "periph_rcc.h"
#include "periph_spi.h"
#include "sim_board.h"
#include "sim_bus.h"
#include "sim_core.h"
#include "sim_soc.h"
#include "wiring_bitbang.h"

#define BOARD_MAX_GPIO		11
#define BOARD_MAX_SOC		12

enum board_id {
	BOARD_STM32H750,
	BOARD_GD32F307,
	BOARD_STM32F103,
	BOARD_STM32H7B0,
	BOARD_STM32F746G,
	BOARD_STM32L476G,
	BOARD_STM32H750B_DK,
	BOARD_STM32H735G_DK,
};

struct board_desc {
	const char *name;
	enum board_id id;
	const char *default_chip;
	enum sim_core_type core;
	uint32_t flash_size;		/* internal flash */
	uint32_t sram_size;		/* main SRAM at 0x20000000 */
	uint32_t idcode;		/* DBGMCU_IDCODE */
	uint32_t idcode_addr;
	uint16_t flash_size_kib;	/* flash size word */
	struct sim_dap_config dap;
};

static const struct board_desc board_descs[] = {
	{
		.name = "stm32h750", .id = BOARD_STM32H750, .default_chip = "w25q128jv",
		.core = SIM_CORE_M7, .flash_size = 128 * 1024, .sram_size = 128 * 1024,
		.idcode = 0x20036450, .idcode_addr = 0x5C001000, .flash_size_kib = 128,
		.dap = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001, .ap_base = 0xE00FE003,
			 .ap_layout = SIM_DAP_APS_STM32H7 },
	},
	{
		/* GD32F307VC class: 256 KiB flash, 96 KiB SRAM (UNVERIFIED sizes);
		 * DBG_ID 0x414 as reported for GD32F30x, revision UNVERIFIED */
		.name = "gd32f307", .id = BOARD_GD32F307, .default_chip = "w25q128jv",
		.core = SIM_CORE_M4, .flash_size = 256 * 1024, .sram_size = 96 * 1024,
		.idcode = 0x10030414, .idcode_addr = 0xE0042000, .flash_size_kib = 256,
		.dap = { .dpidr = 0x2BA01477, .ap_idr = 0x24770011, .ap_base = 0xE00FF003 },
	},
	{
		/* STM32F103xB "medium density", rev Y */
		.name = "stm32f103", .id = BOARD_STM32F103, .default_chip = "w25q128jv",
		.core = SIM_CORE_M3, .flash_size = 128 * 1024, .sram_size = 20 * 1024,
		.idcode = 0x20036410, .idcode_addr = 0xE0042000, .flash_size_kib = 128,
		.dap = { .dpidr = 0x1BA01477, .ap_idr = 0x14770011, .ap_base = 0xE00FF003 },
	},
	{
		/*
		 * STM32H7B0VB (WeAct MiniSTM32H7B0): 128 KiB flash in 8 KiB
		 * sectors, DEV_ID 0x480 rev A (OpenOCD stm32h7x.c "STM32H7Ax/7Bx",
		 * rev 0x1000 "A"); the debug port as the other H7 (same Cortex-M7
		 * DAP, UNVERIFIED for H7B0)
		 */
		.name = "stm32h7b0", .id = BOARD_STM32H7B0, .default_chip = "w25q64jv",
		.core = SIM_CORE_M7, .flash_size = 128 * 1024, .sram_size = 128 * 1024,
		.idcode = 0x10000480, .idcode_addr = 0x5C001000, .flash_size_kib = 128,
		.dap = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001, .ap_base = 0xE00FE003,
			 .ap_layout = SIM_DAP_APS_STM32H7 },
	},
	{
		/*
		 * STM32F746G-DISCO: STM32F746NGH6, 1 MiB flash, 320 KiB SRAM at
		 * 0x20000000 (DTCM 64 KiB + SRAM1 240 KiB + SRAM2 16 KiB, RM0385
		 * 2.2.2), N25Q128A on QUADSPI (UM1907).  DBGMCU_IDCODE: DEV_ID 449h
		 * (RM0385 40.6.1), REV_ID 1001h (rev Z, UNVERIFIED); DPIDR as
		 * target/stm32f7x.cfg expects; AP IDR and ROM base as the H750's
		 * Cortex-M7 (UNVERIFIED for the F7).
		 */
		.name = "stm32f746g", .id = BOARD_STM32F746G, .default_chip = "n25q128a",
		.core = SIM_CORE_M7, .flash_size = 1024 * 1024, .sram_size = 320 * 1024,
		.idcode = 0x10016449, .idcode_addr = 0xE0042000, .flash_size_kib = 1024,
		.dap = { .dpidr = 0x5BA02477, .ap_idr = 0x84770001, .ap_base = 0xE00FE003 },
	},
	{
		/*
		 * STM32L476G-DISCO: STM32L476VGT6, 1 MiB flash, SRAM1 96 KiB +
		 * SRAM2 32 KiB contiguous at 0x20000000 (RM0351 2.2.1; SRAM2's
		 * alias at 0x10000000 is not modelled), MX25R6435F on QUADSPI
		 * (UM1879).  DBGMCU_IDCODE: DEV_ID 415h (RM0351 48.6.1), REV_ID
		 * 1007h (UNVERIFIED); DP and AP as the GD32F307's Cortex-M4
		 * (UNVERIFIED for the L4).
		 */
		.name = "stm32l476g", .id = BOARD_STM32L476G, .default_chip = "mx25r6435f",
		.core = SIM_CORE_M4, .flash_size = 1024 * 1024, .sram_size = 128 * 1024,
		.idcode = 0x10076415, .idcode_addr = 0xE0042000, .flash_size_kib = 1024,
		.dap = { .dpidr = 0x2BA01477, .ap_idr = 0x24770011, .ap_base = 0xE00FF003 },
	},
	{
		/*
		 * STM32H750B-DK: STM32H750XBH6 (the SoC of the stm32h750 board),
		 * MT25TL01G's two dies on QUADSPI BK1/BK2 in dual-flash mode,
		 * one nCS.  Pins (ST's stm32h750b-dk BSP and OpenOCD's
		 * tcl/board/stm32h7x_dual_qspi.cfg, reference sheet
		 * stm32h7-quadspi.md "STM32H750B-DK wiring"; UM2488 itself not
		 * read): CLK PF10 AF9, nCS PG6 AF10, BK1 IO0..3 PD11 AF9, PF9
		 * AF10, PF7 AF9, PF6 AF9, BK2 IO0..3 PH2, PH3, PG9, PG14 AF9.
		 * The model does not route pins: the QUADSPI drives both dies.
		 */
		.name = "stm32h750b-dk", .id = BOARD_STM32H750B_DK, .default_chip = "mt25tl01g",
		.core = SIM_CORE_M7, .flash_size = 128 * 1024, .sram_size = 128 * 1024,
		.idcode = 0x20036450, .idcode_addr = 0x5C001000, .flash_size_kib = 128,
		.dap = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001, .ap_base = 0xE00FE003,
			 .ap_layout = SIM_DAP_APS_STM32H7 },
	},
	{
		/*
		 * STM32H735G-DK: STM32H735IGK6, 1 MiB flash in 128 KiB sectors,
		 * DEV_ID 0x483 (OpenOCD stm32h7x.c "STM32H72x/73x"; REV_ID 1001h
		 * UNVERIFIED), MX25LM51245G on OCTOSPI1 (OpenOCD
		 * board/stm32h735g-disco.cfg, ST's BSP); the debug port as the
		 * other H7 (same Cortex-M7 DAP, UNVERIFIED for H735)
		 */
		.name = "stm32h735g-dk", .id = BOARD_STM32H735G_DK, .default_chip = "mx25lm51245g",
		.core = SIM_CORE_M7, .flash_size = 1024 * 1024, .sram_size = 128 * 1024,
		.idcode = 0x10011483, .idcode_addr = 0x5C001000, .flash_size_kib = 1024,
		.dap = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001, .ap_base = 0xE00FE003,
			 .ap_layout = SIM_DAP_APS_STM32H7 },
	},
};

static const char *const board_names[] = { "stm32h750", "gd32f307", "stm32f103", "stm32h7b0",
					   "stm32f746g", "stm32l476g", "stm32h750b-dk", "stm32h735g-dk", NULL };

/* A clock gate of a RAM region: one RCC enable bit. */
struct ram_gate {
	struct sim_rcc *rcc;
	uint32_t reg_offset;
	unsigned int bit;
};

struct sim_board {
	const struct board_desc *desc;
	struct sim_bus *bus;
	struct sim_core *core;
	struct nor_chip *chip;
	struct nor_chip *chip2;		/* die 2 of a two-die package (BK2), or NULL */
	struct sim_rcc *rcc;
	struct sim_gpio *gpio[BOARD_MAX_GPIO];
	unsigned int gpio_count;
	struct sim_qspi *qspi;
	struct sim_ospi *ospi;		/* OCTOSPI1 (stm32h7b0, stm32h735g-dk) */
	struct sim_ospim *ospim;	/* its I/O manager */
	struct sim_spi *spi;
	struct sim_bitbang *bitbang;
	struct sim_soc_block *soc[BOARD_MAX_SOC];
	unsigned int soc_count;
	struct ram_gate gates[4];
	uint8_t *internal_flash;	/* page-aligned, flash_size bytes */
	uint8_t *image;			/* the chip array (caller's) */
	bool bus_timed;			/* QUADSPI / SPI take their bus time */
};

/* A status poll of a busy chip (QUADSPI, OCTOSPI): the CPU may idle. */
static void board_core_idle(void *ctx, uint64_t ns)
{
	struct sim_board *b = ctx;
	if (b->core)
		sim_core_idle(b->core, ns);
}

const char *const *sim_board_names(void)
{
	return board_names;
}

static const struct board_desc *find_desc(const char *name)
{
	for (size_t i = 0; i < sizeof(board_descs) / sizeof(board_descs[0]); i++)
		if (name && !strcmp(board_descs[i].name, name))
			return &board_descs[i];
	return NULL;
}

const char *sim_board_default_chip(const char *board)
{
	const struct board_desc *d = find_desc(board);
	return d ? d->default_chip : NULL;
}

/* The STM32H7 boards: Cortex-M7, boot at 0x08000000, flash on QUADSPI/OCTOSPI. */
static bool desc_is_h7(const struct board_desc *d)
{
	return d->id == BOARD_STM32H750 || d->id == BOARD_STM32H7B0 ||
	       d->id == BOARD_STM32H750B_DK || d->id == BOARD_STM32H735G_DK;
}

bool sim_board_supports_gpio_wiring(const char *board)
{
	const struct board_desc *d = find_desc(board);
	return d && (d->id == BOARD_GD32F307 || d->id == BOARD_STM32F103);
}

static bool ram_gate_enabled(void *ctx)
{
	struct ram_gate *g = ctx;
	return sim_rcc_enabled(g->rcc, g->reg_offset, g->bit);
}

/* Vector table at the start of the internal flash, every vector -> `b .` */
static void write_idle_program(uint8_t *flash, uint32_t flash_base, uint32_t stack_top)
{
	uint32_t handler = flash_base + 0x40;
	uint32_t words[16];
	words[0] = stack_top;
	for (int i = 1; i < 16; i++)
		words[i] = handler | 1;
	memcpy(flash, words, sizeof(words));
	flash[0x40] = 0xFE;	/* b . (0xE7FE) */
	flash[0x41] = 0xE7;
}

static int add_soc(struct sim_board *b, struct sim_soc_block *blk)
{
	if (!blk || b->soc_count >= BOARD_MAX_SOC)
		return -1;
	b->soc[b->soc_count++] = blk;
	struct sim_device dev = sim_soc_device(blk);
	return sim_bus_add_device(b->bus, &dev);
}

static void cs_output_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool level)
{
	struct sim_board *b = ctx;
	(void)gpio;
	if (pin == 4)
		nor_chip_select(b->chip, !level);	/* CS# active low on PA4 */
}

static bool cs_selected(void *ctx)
{
	struct sim_board *b = ctx;
	return !sim_gpio_line_level(b->gpio[0], 4);
}

/* RCC and GPIOA..GPIOK of an STM32H7 (GPIO clocks in RCC_AHB4ENR). */
static int add_h7_rcc_gpio(struct sim_board *b)
{
	struct sim_device dev = sim_rcc_device(b->rcc);
	int rc = sim_bus_add_device(b->bus, &dev);

	for (unsigned int port = 0; port < 11; port++) {
		b->gpio[port] = sim_gpio_create(SIM_GPIO_H7, port, SIM_GPIO_H7_BASE(port),
						sim_rcc_gate(b->rcc, SIM_RCC_H7_AHB4ENR, port));
		if (!b->gpio[port])
			return -1;
		b->gpio_count++;
		dev = sim_gpio_device(b->gpio[port]);
		rc |= sim_bus_add_device(b->bus, &dev);
	}
	return rc;
}

/* DBGMCU, trace funnel and PWR blocks every STM32H7 board has. */
static int add_h7_debug_blocks(struct sim_board *b)
{
	const struct sim_soc_fixed dbgmcu[] = { { 0x000, b->desc->idcode } };
	int rc = 0;

	rc |= add_soc(b, sim_soc_regfile("dbgmcu", 0x5C001000, 0x400, dbgmcu, 1));
	/* the same DBGMCU seen through AP2 (APB-D), and the SWO funnel: the
	 * stock cfg reaches them at 0xE00E1000 / 0xE00E4000 (one AP on vdebug) */
	rc |= add_soc(b, sim_soc_regfile("dbgmcu-apbd", 0xE00E1000, 0x400, dbgmcu, 1));
	rc |= add_soc(b, sim_soc_regfile("swtf", 0x5C004000, 0x400, NULL, 0));
	rc |= add_soc(b, sim_soc_regfile("swtf-apbd", 0xE00E4000, 0x400, NULL, 0));
	rc |= add_soc(b, sim_soc_regfile("swo-apbd", 0xE00E3000, 0x1000, NULL, 0));
	rc |= add_soc(b, sim_soc_regfile("tpiu-apbd", 0xE00F5000, 0x1000, NULL, 0));
	rc |= add_soc(b, sim_soc_regfile("pwr", 0x58024800, 0x400, NULL, 0));
	return rc;
}

static int build_h750(struct sim_board *b, char *err, size_t err_len)
{
	struct sim_bus *bus = b->bus;
	int rc = 0;

	rc |= sim_bus_add_ram(bus, "itcm", 0x00000000, 64 * 1024, NULL, true);
	rc |= sim_bus_add_ram(bus, "flash", 0x08000000, b->desc->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "dtcm", 0x20000000, 128 * 1024, NULL, true);
	rc |= sim_bus_add_ram(bus, "axi-sram", 0x24000000, 512 * 1024, NULL, true);
	b->rcc = sim_rcc_create(SIM_RCC_H7, SIM_RCC_H7_BASE);
	if (!b->rcc || rc) {
		snprintf(err, err_len, "stm32h750: cannot build the memory map");
		return -1;
	}
	static const struct { const char *name; uint32_t base, size, reg; unsigned int bit; } gated[] = {
		{ "sram1", 0x30000000, 128 * 1024, SIM_RCC_H7_AHB2ENR, 29 },
		{ "sram2", 0x30020000, 128 * 1024, SIM_RCC_H7_AHB2ENR, 30 },
		{ "sram3", 0x30040000, 32 * 1024, SIM_RCC_H7_AHB2ENR, 31 },
		{ "backup-sram", 0x38800000, 4 * 1024, SIM_RCC_H7_AHB4ENR, SIM_RCC_H7_BKPRAMEN_BIT },
	};
	for (unsigned int i = 0; i < 4; i++) {
		b->gates[i] = (struct ram_gate){ b->rcc, gated[i].reg, gated[i].bit };
		rc |= sim_bus_add_gated_ram(bus, gated[i].name, gated[i].base, gated[i].size,
					    ram_gate_enabled, &b->gates[i]);
	}
	rc |= sim_bus_add_ram(bus, "sram4", 0x38000000, 64 * 1024, NULL, true);

	struct sim_device dev;

	if (add_h7_rcc_gpio(b))
		return -1;
	struct sim_qspi_config qc = { 0 };
	qc.idle = board_core_idle;
	qc.idle_ctx = b;
	qc.base = SIM_QSPI_BASE;
	qc.mmap_base = SIM_QSPI_MMAP_BASE;
	qc.bus = bus;
	qc.chip[0] = b->chip;
	qc.array[0] = b->image;
	if (b->chip2) {	/* two-die package: die 2 on BK2, after die 1 in the image */
		qc.chip[1] = b->chip2;
		qc.array[1] = b->image + nor_chip_size(b->chip);
	}
	qc.gate = sim_rcc_gate(b->rcc, SIM_RCC_H7_AHB3ENR, SIM_RCC_H7_QSPIEN_BIT);
	/* rcc_hclk3 = HSI 64 MHz after reset; then as RCC says (QSPISEL, PLLs) */
	if (b->bus_timed) {
		qc.kernel_hz = SIM_QSPI_KERNEL_HZ_RESET;
		qc.kernel_clock = sim_rcc_h7_qspi_kernel_clock;
		qc.kernel_clock_ctx = b->rcc;
	}
	b->qspi = sim_qspi_create(&qc);
	if (!b->qspi) {
		snprintf(err, err_len, "stm32h750: QUADSPI model failed");
		return -1;
	}
	dev = sim_qspi_device(b->qspi);
	rc |= sim_bus_add_device(bus, &dev);

	rc |= add_soc(b, sim_soc_h7_flash(0x52002000, b->internal_flash, b->desc->flash_size,
					  128 * 1024));
	rc |= add_h7_debug_blocks(b);
	const struct sim_soc_fixed sysmem[] = {
		{ 0x800, 0x0037002B }, { 0x804, 0x3438510A }, { 0x808, 0x33373931 },	/* UID */
		{ 0x880, 0xFFFF0000u | b->desc->flash_size_kib },			/* FLASHSIZE */
	};
	rc |= add_soc(b, sim_soc_regfile("sysmem-id", 0x1FF1E000, 0x1000, sysmem, 4));
	if (rc) {
		snprintf(err, err_len, "stm32h750: cannot add a device to the bus");
		return -1;
	}
	return 0;
}

/*
 * The STM32H7 parts with OCTOSPI1 driving the external flash: their RAMs,
 * internal flash sector size and the place of the FLASHSIZE word differ,
 * the rest is one build.  OCTOSPI1 at 0x52005000 (bank 0x90000000) is
 * clocked by RCC_AHB3ENR.OSPI1EN (bit 14, where the H750 has QSPIEN); the
 * OCTOSPI I/O manager at 0x5200B400 (RCC_AHB3ENR.IOMNGREN, bit 21) routes
 * it to the chip on port 1 (periph_ospi.h: sim_ospim; OpenOCD's H735
 * set-up writes P1CR = 03010111h).
 */
struct h7_ospi_part {
	const char *name;
	struct {
		const char *name;
		uint32_t base, size;
	} ram[4];			/* besides ITCM 64 KiB and DTCM 128 KiB */
	uint32_t flash_sector;		/* internal flash (OpenOCD stm32h7x.c page_size_kb) */
	uint32_t sysmem_base;		/* UID at +0x800, FLASHSIZE at +flashsize_offset */
	uint32_t flashsize_offset;
	bool octal;			/* the chip on port 1 is driven on eight lines */
};

/*
 * STM32H7B0 (RM0455 memory map; sizes of the H7B0VB: reference sheet
 * stm32-octospi.md section 1 for the OCTOSPI, RCC and GPIO addresses):
 * ITCM 64 KiB, flash 128 KiB, DTCM 128 KiB, AXI SRAM 1 MiB at 0x24000000,
 * SRD SRAM 32 KiB at 0x38000000 (RAM sizes UNVERIFIED: RM0455 not read);
 * 8 KiB flash sectors and FLASHSIZE at 0x08FFF80C (OpenOCD stm32h7x.c,
 * DEV_ID 0x480).
 */
static const struct h7_ospi_part h7b0_part = {
	.name = "stm32h7b0",
	.ram = { { "axi-sram", 0x24000000, 1024 * 1024 }, { "srd-sram", 0x38000000, 32 * 1024 } },
	.flash_sector = 8 * 1024,
	.sysmem_base = 0x08FFF000,
	.flashsize_offset = 0x80C,
	.octal = false,
};

/*
 * STM32H735G-DK (STM32H735IGK6; addresses from stm32-octospi.md section 1,
 * CMSIS stm32h735xx.h): ITCM 64 KiB, flash 1 MiB, DTCM 128 KiB, AXI SRAM
 * 320 KiB at 0x24000000, SRAM1/SRAM2 16 KiB each at 0x30000000, SRAM4
 * 16 KiB at 0x38000000 (RAM sizes UNVERIFIED: RM0468 was not readable);
 * 128 KiB flash sectors and FLASHSIZE at 0x1FF1E880 (OpenOCD stm32h7x.c,
 * DEV_ID 0x483).  OCTOSPI1 drives the MX25LM51245G; its pins (UM2679 via
 * OpenOCD's stm32h735g-disco.cfg and ST's BSP, stm32-octospi.md 4.1): CLK
 * PF10, NCS PG6, DQS PB2, IO0-3 PD11 PD12 PE2 PD13, IO4-7 PD4 PD5 PG9
 * PD7.  OCTOSPI2 and the HyperRAM on port 2 are not modelled.
 */
static const struct h7_ospi_part h735_part = {
	.name = "stm32h735g-dk",
	.ram = { { "axi-sram", 0x24000000, 320 * 1024 }, { "sram1-2", 0x30000000, 32 * 1024 },
		 { "sram4", 0x38000000, 16 * 1024 } },
	.flash_sector = 128 * 1024,
	.sysmem_base = 0x1FF1E000,
	.flashsize_offset = 0x880,
	.octal = true,
};

static int build_h7_ospi(struct sim_board *b, const struct h7_ospi_part *part, char *err, size_t err_len)
{
	struct sim_bus *bus = b->bus;
	int rc = 0;

	rc |= sim_bus_add_ram(bus, "itcm", 0x00000000, 64 * 1024, NULL, true);
	rc |= sim_bus_add_ram(bus, "flash", 0x08000000, b->desc->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "dtcm", 0x20000000, 128 * 1024, NULL, true);
	for (unsigned int i = 0; i < 4 && part->ram[i].name; i++)
		rc |= sim_bus_add_ram(bus, part->ram[i].name, part->ram[i].base, part->ram[i].size, NULL, true);
	b->rcc = sim_rcc_create(SIM_RCC_H7, SIM_RCC_H7_BASE);
	if (!b->rcc || rc) {
		snprintf(err, err_len, "%s: cannot build the memory map", part->name);
		return -1;
	}
	struct sim_device dev;

	if (add_h7_rcc_gpio(b))
		return -1;
	struct sim_ospi_config oc = { 0 };
	oc.idle = board_core_idle;
	oc.idle_ctx = b;
	oc.base = SIM_OSPI1_BASE;
	oc.mmap_base = SIM_OSPI1_MMAP_BASE;
	oc.bus = bus;
	oc.chip = b->chip;
	oc.array = b->image;
	oc.gate = sim_rcc_gate(b->rcc, SIM_RCC_H7_AHB3ENR, SIM_RCC_H7_QSPIEN_BIT);
	/* kernel clock HCLK = HSI 64 MHz after reset (INFERRED), then as RCC
	 * says: OCTOSPISEL is D1CCIPR/CDCCIPR bits 5:4 with QSPISEL's
	 * encoding (stm32-octospi.md); the rest of the clock tree at the
	 * H743's offsets, as OpenOCD's H735G-DK and H7B3I-DK set-ups write
	 * it (INFERRED) */
	if (b->bus_timed) {
		oc.kernel_hz = SIM_QSPI_KERNEL_HZ_RESET;
		oc.kernel_clock = sim_rcc_h7_qspi_kernel_clock;
		oc.kernel_clock_ctx = b->rcc;
	}
	b->ospi = sim_ospi_create(&oc);
	if (!b->ospi) {
		snprintf(err, err_len, "%s: OCTOSPI model failed", part->name);
		return -1;
	}
	dev = sim_ospi_device(b->ospi);
	rc |= sim_bus_add_device(bus, &dev);
	struct sim_ospim_config mc = {
		.base = 0x5200B400,
		.gate = sim_rcc_gate(b->rcc, SIM_RCC_H7_AHB3ENR, 21),	/* IOMNGREN */
		.ospi1 = b->ospi,
		.octal = part->octal,
	};
	b->ospim = sim_ospim_create(&mc);
	if (!b->ospim) {
		snprintf(err, err_len, "%s: OCTOSPIM model failed", part->name);
		return -1;
	}
	dev = sim_ospim_device(b->ospim);
	rc |= sim_bus_add_device(bus, &dev);

	rc |= add_soc(b, sim_soc_h7_flash(0x52002000, b->internal_flash, b->desc->flash_size,
					  part->flash_sector));
	rc |= add_h7_debug_blocks(b);
	const struct sim_soc_fixed sysmem[] = {
		{ 0x800, 0x0037002B }, { 0x804, 0x3438510A }, { 0x808, 0x33373931 },	/* UID */
		{ part->flashsize_offset, 0xFFFF0000u | b->desc->flash_size_kib },	/* FLASHSIZE */
	};
	rc |= add_soc(b, sim_soc_regfile("sysmem-id", part->sysmem_base, 0x1000, sysmem, 4));
	if (rc) {
		snprintf(err, err_len, "%s: cannot add a device to the bus", part->name);
		return -1;
	}
	return 0;
}

static int build_h7b0(struct sim_board *b, char *err, size_t err_len)
{
	return build_h7_ospi(b, &h7b0_part, err, err_len);
}

static int build_h735(struct sim_board *b, char *err, size_t err_len)
{
	return build_h7_ospi(b, &h735_part, err, err_len);
}

/*
 * STM32F746G-DISCO (RM0385 memory map, section 2.2.2): ITCM RAM 16 KiB at
 * 0, flash at 0x08000000 (AXIM) and 0x00200000 (ITCM alias), SRAM at
 * 0x20000000, RCC 0x40023800, GPIOA..K 0x40020000 + 0x400 x port,
 * flash interface 0x40023C00, QUADSPI registers 0xA0001000 and its bank
 * at 0x90000000.  The QUADSPI clock is RCC_AHB3ENR.QSPIEN (bit 1), the
 * GPIO ports RCC_AHB1ENR bits 0..10.
 */
static int build_f7(struct sim_board *b, char *err, size_t err_len)
{
	struct sim_bus *bus = b->bus;
	const struct board_desc *d = b->desc;
	int rc = 0;

	rc |= sim_bus_add_ram(bus, "itcm", 0x00000000, 16 * 1024, NULL, true);
	rc |= sim_bus_add_ram(bus, "flash-itcm", 0x00200000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "flash", 0x08000000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "sram", 0x20000000, d->sram_size, NULL, true);
	b->rcc = sim_rcc_create(SIM_RCC_F7, SIM_RCC_F7_BASE);
	if (!b->rcc || rc) {
		snprintf(err, err_len, "%s: cannot build the memory map", d->name);
		return -1;
	}
	struct sim_device dev = sim_rcc_device(b->rcc);
	rc |= sim_bus_add_device(bus, &dev);
	for (unsigned int port = 0; port < 11; port++) {
		b->gpio[port] = sim_gpio_create(SIM_GPIO_H7, port, SIM_GPIO_F7_BASE(port),
						sim_rcc_gate(b->rcc, SIM_RCC_F7_AHB1ENR, port));
		if (!b->gpio[port])
			return -1;
		b->gpio_count++;
		dev = sim_gpio_device(b->gpio[port]);
		rc |= sim_bus_add_device(bus, &dev);
	}
	struct sim_qspi_config qc = { 0 };
	qc.idle = board_core_idle;
	qc.idle_ctx = b;
	qc.base = 0xA0001000;
	qc.mmap_base = SIM_QSPI_MMAP_BASE;
	qc.bus = bus;
	qc.chip[0] = b->chip;
	qc.array[0] = b->image;
	qc.gate = sim_rcc_gate(b->rcc, SIM_RCC_F7_AHB3ENR, SIM_RCC_F7_QSPIEN_BIT);
	if (b->bus_timed)	/* HCLK = HSI 16 MHz after reset (RM0385 5.2) */
		qc.kernel_hz = 16000000u;
	b->qspi = sim_qspi_create(&qc);
	if (!b->qspi) {
		snprintf(err, err_len, "%s: QUADSPI model failed", d->name);
		return -1;
	}
	dev = sim_qspi_device(b->qspi);
	rc |= sim_bus_add_device(bus, &dev);

	/* flash interface: plain storage (the stock stm32f2x driver probes,
	 * reset-init sets ACR); OPTCR reset value C0FFAAFDh (RM0385, UNVERIFIED) */
	const struct sim_soc_fixed flash_if[] = { { 0x14, 0xC0FFAAFD } };
	rc |= add_soc(b, sim_soc_regfile("flash-if", 0x40023C00, 0x400, flash_if, 1));
	rc |= add_soc(b, sim_soc_regfile("pwr", 0x40007000, 0x400, NULL, 0));
	const struct sim_soc_fixed dbgmcu[] = { { 0x000, d->idcode } };
	rc |= add_soc(b, sim_soc_regfile("dbgmcu", 0xE0042000, 0x1000, dbgmcu, 1));
	/* device electronic signature (RM0385 41): UID at 1FF0F420h, flash
	 * size (KiB, 16 bits) at 1FF0F442h */
	const struct sim_soc_fixed sysmem[] = {
		{ 0x420, 0x0037002B }, { 0x424, 0x3438510A }, { 0x428, 0x33373931 },
		{ 0x440, (uint32_t)d->flash_size_kib << 16 },
	};
	rc |= add_soc(b, sim_soc_regfile("sysmem-id", 0x1FF0F000, 0x1000, sysmem, 4));
	if (rc) {
		snprintf(err, err_len, "%s: cannot add a device to the bus", d->name);
		return -1;
	}
	return 0;
}

/*
 * STM32L476G-DISCO (RM0351 memory map, section 2.2): flash at 0x08000000,
 * aliased at 0 (BOOT0 = 0), SRAM at 0x20000000, RCC 0x40021000, GPIOA..H
 * 0x48000000 + 0x400 x port, flash interface 0x40022000, QUADSPI
 * registers 0xA0001000 and its bank at 0x90000000.  The QUADSPI clock is
 * RCC_AHB3ENR.QSPIEN (bit 8), the GPIO ports RCC_AHB2ENR bits 0..7.
 */
static int build_l4(struct sim_board *b, char *err, size_t err_len)
{
	struct sim_bus *bus = b->bus;
	const struct board_desc *d = b->desc;
	int rc = 0;

	rc |= sim_bus_add_ram(bus, "flash-alias", 0x00000000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "flash", 0x08000000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "sram", 0x20000000, d->sram_size, NULL, true);
	b->rcc = sim_rcc_create(SIM_RCC_L4, SIM_RCC_L4_BASE);
	if (!b->rcc || rc) {
		snprintf(err, err_len, "%s: cannot build the memory map", d->name);
		return -1;
	}
	struct sim_device dev = sim_rcc_device(b->rcc);
	rc |= sim_bus_add_device(bus, &dev);
	for (unsigned int port = 0; port < 8; port++) {
		b->gpio[port] = sim_gpio_create(SIM_GPIO_H7, port, SIM_GPIO_L4_BASE(port),
						sim_rcc_gate(b->rcc, SIM_RCC_L4_AHB2ENR, port));
		if (!b->gpio[port])
			return -1;
		b->gpio_count++;
		dev = sim_gpio_device(b->gpio[port]);
		rc |= sim_bus_add_device(bus, &dev);
	}
	struct sim_qspi_config qc = { 0 };
	qc.idle = board_core_idle;
	qc.idle_ctx = b;
	qc.base = 0xA0001000;
	qc.mmap_base = SIM_QSPI_MMAP_BASE;
	qc.bus = bus;
	qc.chip[0] = b->chip;
	qc.array[0] = b->image;
	qc.gate = sim_rcc_gate(b->rcc, SIM_RCC_L4_AHB3ENR, SIM_RCC_L4_QSPIEN_BIT);
	if (b->bus_timed)	/* HCLK = MSI 4 MHz after reset (RM0351 6.2) */
		qc.kernel_hz = 4000000u;
	b->qspi = sim_qspi_create(&qc);
	if (!b->qspi) {
		snprintf(err, err_len, "%s: QUADSPI model failed", d->name);
		return -1;
	}
	dev = sim_qspi_device(b->qspi);
	rc |= sim_bus_add_device(bus, &dev);

	/* flash interface: plain storage for the stock stm32l4x probe;
	 * OPTR reset FFEFF8AAh (RDP level 0, DUALBANK, RM0351 3.7.8, UNVERIFIED),
	 * WRP1AR/WRP1BR/WRP2AR/WRP2BR 000000FFh: no write protection */
	const struct sim_soc_fixed flash_if[] = {
		{ 0x20, 0xFFEFF8AA }, { 0x2C, 0x000000FF }, { 0x30, 0x000000FF },
		{ 0x4C, 0x000000FF }, { 0x50, 0x000000FF },
	};
	rc |= add_soc(b, sim_soc_regfile("flash-if", 0x40022000, 0x400, flash_if, 5));
	rc |= add_soc(b, sim_soc_regfile("pwr", 0x40007000, 0x400, NULL, 0));
	const struct sim_soc_fixed dbgmcu[] = { { 0x000, d->idcode } };
	rc |= add_soc(b, sim_soc_regfile("dbgmcu", 0xE0042000, 0x1000, dbgmcu, 1));
	/* device electronic signature (RM0351 49): UID at 1FFF7590h, flash
	 * size (KiB, 16 bits) at 1FFF75E0h */
	const struct sim_soc_fixed sysmem[] = {
		{ 0x590, 0x0037002B }, { 0x594, 0x3438510A }, { 0x598, 0x33373931 },
		{ 0x5E0, 0xFFFF0000u | d->flash_size_kib },
	};
	rc |= add_soc(b, sim_soc_regfile("sysmem-id", 0x1FFF7000, 0x1000, sysmem, 4));
	if (rc) {
		snprintf(err, err_len, "%s: cannot add a device to the bus", d->name);
		return -1;
	}
	return 0;
}

static int build_f1(struct sim_board *b, enum sim_wiring wiring, char *err, size_t err_len)
{
	struct sim_bus *bus = b->bus;
	const struct board_desc *d = b->desc;
	int rc = 0;

	/* boot from main flash: aliased at 0 (BOOT0 = 0) */
	rc |= sim_bus_add_ram(bus, "flash-alias", 0x00000000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "flash", 0x08000000, d->flash_size, b->internal_flash, false);
	rc |= sim_bus_add_ram(bus, "sram", 0x20000000, (d->sram_size + 0xFFF) & ~0xFFFu, NULL, true);
	b->rcc = sim_rcc_create(SIM_RCC_F1, SIM_RCC_F1_BASE);
	if (!b->rcc || rc) {
		snprintf(err, err_len, "%s: cannot build the memory map", d->name);
		return -1;
	}
	struct sim_device dev = sim_rcc_device(b->rcc);
	rc |= sim_bus_add_device(bus, &dev);
	for (unsigned int port = 0; port < 7; port++) {
		b->gpio[port] = sim_gpio_create(SIM_GPIO_F1, port, SIM_GPIO_F1_BASE(port),
						sim_rcc_gate(b->rcc, SIM_RCC_F1_APB2ENR,
							     SIM_RCC_F1_IOPAEN_BIT + port));
		if (!b->gpio[port])
			return -1;
		b->gpio_count++;
		/* board pull-ups: CS# and the other flash lines idle high */
		sim_gpio_set_idle_levels(b->gpio[port], 0xFFFF);
		dev = sim_gpio_device(b->gpio[port]);
		rc |= sim_bus_add_device(bus, &dev);
	}
	struct sim_spi_config sc = { 0 };
	sc.base = SIM_SPI1_BASE;
	sc.name = d->id == BOARD_GD32F307 ? "spi0" : "spi1";
	sc.gate = sim_rcc_gate(b->rcc, SIM_RCC_F1_APB2ENR, SIM_RCC_F1_SPI1EN_BIT);
	if (b->bus_timed)	/* HSI / IRC8M: nothing in the boards sets up a PLL */
		sc.bus_hz = SIM_SPI_BUS_HZ_RESET;
	sc.gd32_quad = d->id == BOARD_GD32F307;
	if (wiring == SIM_WIRING_SPI) {
		sc.chip = b->chip;
		sc.chip_selected = cs_selected;
		sc.ctx = b;
		sim_gpio_add_output_hook(b->gpio[0], cs_output_hook, b);
	} else {
		b->bitbang = sim_bitbang_create_f103(b->chip, b->gpio[0]);
		if (!b->bitbang) {
			snprintf(err, err_len, "%s: bit-bang wiring failed", d->name);
			return -1;
		}
	}
	b->spi = sim_spi_create(&sc);
	if (!b->spi) {
		snprintf(err, err_len, "%s: SPI model failed", d->name);
		return -1;
	}
	dev = sim_spi_device(b->spi);
	rc |= sim_bus_add_device(bus, &dev);

	rc |= add_soc(b, sim_soc_f1_flash(0x40022000, b->internal_flash, d->flash_size,
					  d->id == BOARD_STM32F103 ? 1024 : 2048));
	rc |= add_soc(b, sim_soc_regfile("afio", 0x40010000, 0x400, NULL, 0));
	rc |= add_soc(b, sim_soc_regfile("pwr", 0x40007000, 0x400, NULL, 0));
	const struct sim_soc_fixed dbgmcu[] = { { 0x000, d->idcode } };
	rc |= add_soc(b, sim_soc_regfile("dbgmcu", 0xE0042000, 0x1000, dbgmcu, 1));
	uint32_t fsize = 0xFFFF0000u | d->flash_size_kib;
	const struct sim_soc_fixed sysmem[] = {
		{ 0x7CC, fsize },		/* where stm32f1x reads the size on a Cortex-M4 */
		{ 0x7E0, fsize },		/* F_SIZE */
		{ 0x7E8, 0x0037002B }, { 0x7EC, 0x3438510A }, { 0x7F0, 0x33373931 },	/* UID */
		{ 0x800, 0x00FF5AA5 }, { 0x804, 0x00FF00FF },	/* option bytes: RDP off */
		{ 0x808, 0x00FF00FF }, { 0x80C, 0x00FF00FF },
	};
	rc |= add_soc(b, sim_soc_regfile("sysmem", 0x1FFFF000, 0x1000, sysmem, 9));
	if (rc) {
		snprintf(err, err_len, "%s: cannot add a device to the bus", d->name);
		return -1;
	}
	return 0;
}

struct sim_board *sim_board_create(const struct sim_board_options *opt, char *err,
				   size_t err_len)
{
	const struct board_desc *d = find_desc(opt->board);
	if (!d) {
		snprintf(err, err_len, "unknown board '%s' (use stm32h750, stm32h750b-dk, stm32h7b0, "
			 "gd32f307, stm32f103, stm32f746g, stm32l476g or stm32h735g-dk)",
			 opt->board ? opt->board : "");
		return NULL;
	}
	if (opt->wiring == SIM_WIRING_GPIO && !sim_board_supports_gpio_wiring(d->name)) {
		snprintf(err, err_len, "--wiring gpio is only available on gd32f307 and stm32f103");
		return NULL;
	}
	struct sim_board *b = calloc(1, sizeof(*b));
	if (!b) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	b->desc = d;
	b->image = opt->image;
	b->bus_timed = opt->bus_time == SIM_BUS_TIME_ON ||
		       (opt->bus_time == SIM_BUS_TIME_DEFAULT && opt->timing == NOR_TIMING_TYPICAL);
	const char *part = opt->chip ? opt->chip : d->default_chip;
	const char *die_part = part;
	unsigned int dies = nor_chip_part_dies(part, &die_part);

	if (dies > 1 && d->id != BOARD_STM32H750B_DK) {
		snprintf(err, err_len, "%s has %u dies for a dual-flash QUADSPI: use --board "
			 "stm32h750b-dk", part, dies);
		goto fail;
	}
	if (dies > 2) {
		snprintf(err, err_len, "%s has %u dies; the QUADSPI has two banks", part, dies);
		goto fail;
	}
	b->chip = nor_chip_create(die_part, opt->image, opt->image_size, opt->timing,
				  opt->die_faults_set[0] ? &opt->die_faults[0] : &opt->faults,
				  err, err_len);
	if (!b->chip)
		goto fail;
	if (dies == 2) {
		size_t die_size = nor_chip_size(b->chip);

		b->chip2 = nor_chip_create(die_part, opt->image + die_size,
					   opt->image_size > die_size ? opt->image_size - die_size : 0,
					   opt->timing,
					   opt->die_faults_set[1] ? &opt->die_faults[1] : &opt->faults,
					   err, err_len);
		if (!b->chip2)
			goto fail;
	}
	b->internal_flash = aligned_alloc(4096, d->flash_size);
	b->bus = sim_bus_create();
	if (!b->internal_flash || !b->bus) {
		snprintf(err, err_len, "out of memory");
		goto fail;
	}
	memset(b->internal_flash, 0xFF, d->flash_size);
	write_idle_program(b->internal_flash, 0x08000000,
			   0x20000000 + (desc_is_h7(d) ? 128 * 1024 : d->sram_size));

	int rc = d->id == BOARD_STM32H750 || d->id == BOARD_STM32H750B_DK ?
		 build_h750(b, err, err_len) :
		 d->id == BOARD_STM32H7B0 ? build_h7b0(b, err, err_len) :
		 d->id == BOARD_STM32H735G_DK ? build_h735(b, err, err_len) :
		 d->id == BOARD_STM32F746G ? build_f7(b, err, err_len) :
		 d->id == BOARD_STM32L476G ? build_l4(b, err, err_len) :
		 build_f1(b, opt->wiring, err, err_len);
	if (rc)
		goto fail;

	struct sim_device rom[8];
	unsigned int n = sim_rom_devices(d->core == SIM_CORE_M7 ? SIM_ROM_CORTEX_M7 :
					 d->core == SIM_CORE_M4 ? SIM_ROM_CORTEX_M4 : SIM_ROM_CORTEX_M3,
					 SIM_CS_STUBS_TRACE, rom, 8);
	for (unsigned int i = 0; i < n; i++) {
		if (sim_bus_add_device(b->bus, &rom[i])) {
			snprintf(err, err_len, "cannot add %s to the bus", rom[i].name);
			goto fail;
		}
	}
	b->core = sim_core_create(d->core, b->bus,
				  desc_is_h7(d) || d->id == BOARD_STM32F746G ? 0x08000000 : 0,
				  err, err_len);
	if (!b->core)
		goto fail;
	sim_bus_reset_devices(b->bus);
	sim_core_reset(b->core);
	return b;
fail:
	sim_board_destroy(b);
	return NULL;
}

/*
 * Teardown runs in the reverse order of what depends on what:
 *  1. the core, which maps the bus's memory into Unicorn;
 *  2. the peripherals, which may still talk to the bus while they go (the
 *     QUADSPI in memory-mapped mode removes its window from the bus), and
 *     the bit-bang wiring before the GPIO ports it watches;
 *  3. the bus, and the memory it points into (SoC blocks, internal flash);
 *  4. the NOR chip, last, since the controllers hold pointers to it.
 * Safe on a board that failed half-way through sim_board_create().
 */
void sim_board_destroy(struct sim_board *b)
{
	if (!b)
		return;
	sim_core_destroy(b->core);
	if (b->qspi)
		sim_qspi_destroy(b->qspi);
	if (b->ospi)
		sim_ospi_destroy(b->ospi);
	sim_ospim_destroy(b->ospim);
	if (b->spi)
		sim_spi_destroy(b->spi);
	if (b->bitbang)
		sim_bitbang_destroy(b->bitbang);
	for (unsigned int i = 0; i < b->gpio_count; i++)
		sim_gpio_destroy(b->gpio[i]);
	if (b->rcc)
		sim_rcc_destroy(b->rcc);
	sim_bus_destroy(b->bus);
	for (unsigned int i = 0; i < b->soc_count; i++)
		sim_soc_block_destroy(b->soc[i]);
	free(b->internal_flash);
	if (b->chip)
		nor_chip_destroy(b->chip);
	if (b->chip2)
		nor_chip_destroy(b->chip2);
	free(b);
}

const char *sim_board_name(const struct sim_board *b)
{
	return b->desc->name;
}

struct sim_bus *sim_board_bus(struct sim_board *b)
{
	return b->bus;
}

struct sim_core *sim_board_core(struct sim_board *b)
{
	return b->core;
}

struct nor_chip *sim_board_chip(struct sim_board *b)
{
	return b->chip;
}

struct nor_chip *sim_board_chip_die(struct sim_board *b, unsigned int die)
{
	if (!b->chip2)
		return NULL;
	return die == 1 ? b->chip : die == 2 ? b->chip2 : NULL;
}

const struct sim_dap_config *sim_board_dap_config(const struct sim_board *b)
{
	return &b->desc->dap;
}

uint32_t sim_board_idcode_address(const struct sim_board *b)
{
	return b->desc->idcode_addr;
}

uint32_t sim_board_idcode(const struct sim_board *b)
{
	return b->desc->idcode;
}
