// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Board tests: the memory maps and IDs the stock OpenOCD scripts rely on
 * (stm32h7-quadspi.md §1, stm32f1-gd32f30x-spi.md §1/§6, stm32-octospi.md
 * §1 for the H7B0 and its OCTOSPI), the H750's
 * clock-gated D2 SRAM, and the QUADSPI window that exists only in
 * memory-mapped mode — seen by the debugger and by the CPU.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nor_chip.h"
#include "sim_board.h"
#include "sim_bus.h"
#include "sim_core.h"

#define DHCSR	0xE000EDF0u
#define DCRSR	0xE000EDF4u
#define DCRDR	0xE000EDF8u
#define DEMCR	0xE000EDFCu
#define DFSR	0xE000ED30u
#define CFSR	0xE000ED28u
#define BFAR	0xE000ED38u
#define RCC_AHB2ENR	(0x58024400u + 0xDCu)
#define RCC_AHB3ENR	(0x58024400u + 0xD4u)

struct fixture {
	struct sim_board *board;
	struct sim_bus *bus;
	uint8_t *image;
};

static struct fixture *make(const char *board)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sim_board_options opt = { 0 };
	char err[256];
	size_t size = nor_chip_part_size(sim_board_default_chip(board));

	assert_int_equal(nor_chip_part_size("w25q128jv"), 16u * 1024 * 1024);
	f->image = aligned_alloc(4096, size);
	memset(f->image, 0xFF, size);
	f->image[size - 1] = 0x5A;		/* last byte of the chip */
	opt.board = board;
	opt.image = f->image;
	opt.image_size = size;
	opt.timing = NOR_TIMING_INSTANT;
	f->board = sim_board_create(&opt, err, sizeof(err));
	if (!f->board)
		fail_msg("%s", err);
	f->bus = sim_board_bus(f->board);
	return f;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	sim_board_destroy(f->board);
	free(f->image);
	free(f);
	return 0;
}

static uint32_t rd(struct fixture *f, uint32_t addr, unsigned int size)
{
	uint32_t v = 0xDEADBEEF;
	assert_int_equal(sim_bus_read(f->bus, addr, size, &v), 0);
	return v;
}

static void wr(struct fixture *f, uint32_t addr, uint32_t v)
{
	assert_int_equal(sim_bus_write(f->bus, addr, 4, v), 0);
}

static int setup_h750(void **state)
{
	*state = make("stm32h750");
	return 0;
}

static int setup_gd32(void **state)
{
	*state = make("gd32f307");
	return 0;
}

static int setup_f103(void **state)
{
	*state = make("stm32f103");
	return 0;
}

static int setup_f746g(void **state)
{
	*state = make("stm32f746g");
	return 0;
}

/*
 * STM32F746G-DISCO (RM0385): the IDs target/stm32f7x.cfg and stm32f2x
 * read, SRAM 320 KiB, the ITCM flash alias, and the clock gates: QUADSPI
 * only answers once RCC_AHB3ENR (0x40023838) bit 1 is set, a GPIO port
 * once its RCC_AHB1ENR (0x40023830) bit is.  The H7's QSPIEN bit (14) in
 * the same register does nothing here.
 */
static void test_f746g_ids_and_clock_gates(void **state)
{
	struct fixture *f = *state;
	uint32_t v;

	assert_int_equal(rd(f, 0xE0042000, 4), 0x10016449);	/* DBGMCU_IDCODE, DEV_ID 0x449 */
	assert_int_equal(rd(f, 0x1FF0F442, 2), 1024);		/* flash size, KiB */
	assert_int_equal(rd(f, 0xE000ED00, 4) & 0xFF0FFFF0, 0x410FC270);	/* Cortex-M7 */
	assert_int_equal(rd(f, 0x00200004, 4), rd(f, 0x08000004, 4));	/* ITCM alias */
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	assert_int_equal(nor_chip_size(sim_board_chip(f->board)), 16u << 20);
	assert_string_equal(nor_chip_name(sim_board_chip(f->board)), "n25q128a");
	/* SRAM: 0x20000000 .. 0x2004FFFF */
	wr(f, 0x2004FFFC, 0x12345678);
	assert_int_equal(rd(f, 0x2004FFFC, 4), 0x12345678);
	assert_int_not_equal(sim_bus_read(f->bus, 0x20050000, 4, &v), 0);

	/* QUADSPI_DCR (0xA0001004) unclocked: writes lost, reads 0 */
	wr(f, 0xA0001004, 0x00170100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0);
	wr(f, 0x40023838, 1u << 14);			/* the H7's QSPIEN position: not this RCC's */
	wr(f, 0xA0001004, 0x00170100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0);
	wr(f, 0x40023838, 1u << 1);			/* RCC_AHB3ENR.QSPIEN */
	wr(f, 0xA0001004, 0x00170100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0x00170100);
	/* the window exists only in memory-mapped mode */
	assert_int_not_equal(sim_bus_read(f->bus, 0x90000000, 4, &v), 0);

	/* GPIOB_MODER (0x40020400) needs RCC_AHB1ENR.GPIOBEN (bit 1) */
	uint32_t moder = rd(f, 0x40020400, 4);
	assert_int_equal(moder, 0);
	wr(f, 0x40020400, 0x00002020);
	assert_int_equal(rd(f, 0x40020400, 4), 0);
	wr(f, 0x40023830, rd(f, 0x40023830, 4) | (1u << 1));
	wr(f, 0x40020400, 0x00002020);
	assert_int_equal(rd(f, 0x40020400, 4), 0x00002020);
	/* RCC_CR: HSIRDY follows HSION; PLLRDY follows PLLON */
	assert_int_equal(rd(f, 0x40023800, 4) & 0x3, 0x3);
	wr(f, 0x40023800, rd(f, 0x40023800, 4) | (1u << 24));
	assert_int_equal(rd(f, 0x40023800, 4) & (1u << 25), 1u << 25);
}

static int setup_l476g(void **state)
{
	*state = make("stm32l476g");
	return 0;
}

/*
 * STM32L476G-DISCO (RM0351): the IDs target/stm32l4x.cfg reads, SRAM
 * 128 KiB, flash aliased at 0, and the clock gates: QUADSPI answers once
 * RCC_AHB3ENR (0x40021050) bit 8 is set, GPIOE once RCC_AHB2ENR
 * (0x4002104C) bit 4 is; the F7's QSPIEN position (bit 1) does nothing.
 */
static void test_l476g_ids_and_clock_gates(void **state)
{
	struct fixture *f = *state;
	uint32_t v;

	assert_int_equal(rd(f, 0xE0042000, 4), 0x10076415);	/* DBGMCU_IDCODE, DEV_ID 0x415 */
	assert_int_equal(rd(f, 0x1FFF75E0, 2), 1024);		/* flash size, KiB */
	assert_int_equal(rd(f, 0x40022020, 4), 0xFFEFF8AA);	/* FLASH_OPTR: RDP level 0 */
	assert_int_equal(rd(f, 0xE000ED00, 4) & 0xFF0FFFF0, 0x410FC240);	/* Cortex-M4 */
	assert_int_equal(rd(f, 0x00000004, 4), rd(f, 0x08000004, 4));	/* flash alias at 0 */
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	assert_string_equal(nor_chip_name(sim_board_chip(f->board)), "mx25r6435f");
	wr(f, 0x2001FFFC, 0x12345678);
	assert_int_equal(rd(f, 0x2001FFFC, 4), 0x12345678);
	assert_int_not_equal(sim_bus_read(f->bus, 0x20020000, 4, &v), 0);

	wr(f, 0xA0001004, 0x00160100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0);
	wr(f, 0x40021050, 1u << 1);
	wr(f, 0xA0001004, 0x00160100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0);
	wr(f, 0x40021050, 1u << 8);			/* RCC_AHB3ENR.QSPIEN */
	wr(f, 0xA0001004, 0x00160100);
	assert_int_equal(rd(f, 0xA0001004, 4), 0x00160100);
	assert_int_not_equal(sim_bus_read(f->bus, 0x90000000, 4, &v), 0);

	/* GPIOE_AFRH (0x48001024) needs RCC_AHB2ENR.GPIOEEN (bit 4) */
	wr(f, 0x48001024, 0xAAAAAA00);
	assert_int_equal(rd(f, 0x48001024, 4), 0);
	wr(f, 0x4002104C, 1u << 4);
	wr(f, 0x48001024, 0xAAAAAA00);
	assert_int_equal(rd(f, 0x48001024, 4), 0xAAAAAA00);
	/* RCC_CR: MSIRDY with MSION at reset; HSIRDY (10) follows HSION (8) */
	assert_int_equal(rd(f, 0x40021000, 4) & 0x3, 0x3);
	wr(f, 0x40021000, rd(f, 0x40021000, 4) | (1u << 8));
	assert_int_equal(rd(f, 0x40021000, 4) & (1u << 10), 1u << 10);
	/* CFGR: SWS follows SW = 11 (PLL) */
	wr(f, 0x40021008, 3);
	assert_int_equal(rd(f, 0x40021008, 4) & 0xF, 0xF);
}

static int setup_h735g(void **state)
{
	*state = make("stm32h735g-dk");
	return 0;
}

/*
 * STM32H735G-DK: the IDs OpenOCD's target/stm32h7x.cfg and stm32h7x.c read
 * (DEV_ID 0x483, FLASHSIZE at 0x1FF1E880), the MX25LM51245G behind
 * OCTOSPI1, and the clock gate OpenOCD's board/stm32h735g-disco.cfg opens
 * through the RCC+0x134 alias of RCC_AHB3ENR (OSPI1EN, bit 14): OCTOSPI1
 * registers read 0 before, hold DCR1 after, and its magic ID answers.
 */
static void test_h735g_ids_and_octospi_gate(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(rd(f, 0x5C001000, 4) & 0xFFF, 0x483);	/* DBGMCU_IDCODE DEV_ID */
	assert_int_equal(rd(f, 0x1FF1E880, 2), 1024);		/* FLASHSIZE, KiB */
	assert_string_equal(nor_chip_name(sim_board_chip(f->board)), "mx25lm51245g");
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	wr(f, 0x52005008, 0x01190100);
	assert_int_equal(rd(f, 0x52005008, 4), 0);
	assert_int_equal(rd(f, 0x520053FC, 4), 0);
	wr(f, 0x58024534, 0x00284000);		/* RCC_C1_AHB3ENR alias, as the board cfg */
	assert_int_equal(rd(f, 0x580244D4, 4) & 0x00284000, 0x00284000);
	wr(f, 0x52005008, 0x01190100);
	assert_int_equal(rd(f, 0x52005008, 4), 0x01190100);
	assert_int_equal(rd(f, 0x520053FC, 4), 0xA3C5DD01);	/* OCTOSPI magic ID */
	wr(f, 0x5200B404, 0x03010111);		/* OCTOSPIM_P1CR: a register file */
	assert_int_equal(rd(f, 0x5200B404, 4), 0x03010111);
	wr(f, 0x2401FFFC, 0x12345678);		/* AXI SRAM */
	assert_int_equal(rd(f, 0x2401FFFC, 4), 0x12345678);
}

static void test_h750_ids(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(rd(f, 0x5C001000, 4), 0x20036450);	/* DBGMCU_IDCODE rev V, 0x450 */
	assert_int_equal(rd(f, 0xE00E1000, 4), 0x20036450);	/* same via APB-D */
	assert_int_equal(rd(f, 0x1FF1E880, 2), 128);		/* FLASHSIZE, KiB */
	assert_int_equal(rd(f, 0xE000ED00, 4), 0x411FC271);	/* Cortex-M7 r1p1 */
	assert_int_equal(rd(f, 0x52002038, 4), 0xFF);		/* WPSN_CUR */
	/* DBGMCU_CR read-modify-write as the stock examine-end does */
	wr(f, 0x5C001004, rd(f, 0x5C001004, 4) | 0x00600007);
	assert_int_equal(rd(f, 0x5C001004, 4), 0x00600007);
	/* boots from 0x08000000 into the idle loop */
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	/* internal flash is read-only to the debugger */
	assert_int_not_equal(sim_bus_write(f->bus, 0x08000000, 4, 0), 0);
}

static int setup_h750b_dk(void **state)
{
	*state = make("stm32h750b-dk");
	return 0;
}

/*
 * STM32H750B-DK: the H750's IDs, and the MT25TL01G as two MT25QL512A dies
 * on QUADSPI BK1 and BK2, the image being die 1 then die 2.  In dual-flash
 * mode (OpenOCD's stm32h7x_dual_qspi.cfg CR/DCR values, its 13h 4-byte
 * memory-mapped read) the 128 MiB bank interleaves the dies: its last byte
 * is die 2's last byte (the image's, 0x5A), the one before die 1's.
 */
static void test_h750b_dk_dual_dies(void **state)
{
	struct fixture *f = *state;
	struct nor_chip *die1 = sim_board_chip_die(f->board, 1);
	struct nor_chip *die2 = sim_board_chip_die(f->board, 2);
	uint32_t die = 64u * 1024 * 1024;

	assert_int_equal(rd(f, 0x5C001000, 4), 0x20036450);
	assert_non_null(die1);
	assert_non_null(die2);
	assert_ptr_equal(die1, sim_board_chip(f->board));
	assert_int_equal(nor_chip_size(die1), die);
	assert_int_equal(nor_chip_size(die2), die);
	assert_int_equal(nor_chip_part_size("mt25tl01g"), 2ull * die);
	f->image[die - 1] = 0xA5;		/* die 1's last byte */
	wr(f, RCC_AHB3ENR, 1u << 14);		/* QSPIEN */
	wr(f, 0x52005000, 0x05500058);		/* CR: DFM, EN = 0 */
	wr(f, 0x52005004, 0x001A0200);		/* DCR: FSIZE 0x1A = 128 MiB */
	wr(f, 0x52005014, 0x0D003513);		/* CCR: memory-mapped 13h, 32-bit address */
	wr(f, 0x52005000, 0x05500059);		/* EN */
	assert_int_equal(rd(f, 0x97FFFFFF, 1), 0x5A);
	assert_int_equal(rd(f, 0x97FFFFFE, 1), 0xA5);
	assert_int_equal(rd(f, 0x90000000, 4), 0xFFFFFFFF);
}

/* A two-die package on a board without a dual-flash QUADSPI: a clear error. */
static void test_package_needs_dual_board(void **state)
{
	struct sim_board_options opt = { 0 };
	char err[256] = "";
	size_t size = nor_chip_part_size("mt25tl01g");
	uint8_t *image = malloc(size);

	(void)state;
	memset(image, 0xFF, size);
	opt.board = "stm32h750";
	opt.chip = "mt25tl01g";
	opt.image = image;
	opt.image_size = size;
	opt.timing = NOR_TIMING_INSTANT;
	assert_null(sim_board_create(&opt, err, sizeof(err)));
	assert_non_null(strstr(err, "--board stm32h750b-dk"));
	free(image);
}

static int setup_h7b0(void **state)
{
	*state = make("stm32h7b0");
	return 0;
}

/*
 * STM32H7B0: DEV_ID 0x480 and FLASHSIZE where OpenOCD's stm32h7x reads
 * them, 1 MiB of AXI SRAM, OCTOSPI1 at 0x52005000 behind RCC_AHB3ENR bit
 * 14 (stm32-octospi.md section 1), and the W25Q64JV behind it: 9Fh in
 * indirect mode, then the 8 MiB bank at 0x90000000 in memory-mapped mode.
 */
static void test_h7b0_octospi(void **state)
{
	struct fixture *f = *state;
	const uint32_t ospi = 0x52005000;
	uint32_t v;

	assert_int_equal(rd(f, 0x5C001000, 4), 0x10000480);
	assert_int_equal(rd(f, 0x08FFF80C, 2), 128);
	assert_int_equal(rd(f, 0xE000ED00, 4), 0x411FC271);
	wr(f, 0x240FFFFC, 0x12345678);
	assert_int_equal(rd(f, 0x240FFFFC, 4), 0x12345678);
	assert_int_not_equal(sim_bus_write(f->bus, 0x24100000, 4, 0), 0);
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	/* unclocked: the OCTOSPI reads 0 (no magic) */
	assert_int_equal(rd(f, ospi + 0x3FC, 4), 0);
	wr(f, RCC_AHB3ENR, 1u << 14);			/* OSPI1EN */
	assert_int_equal(rd(f, ospi + 0x3FC, 4), 0xA3C5DD01);
	assert_int_not_equal(sim_bus_read(f->bus, 0x90000000, 4, &v), 0);
	/* 9Fh, 1-1-1, 3 bytes: DEVSIZE 22, CR FMODE=01 EN, DLR, CCR, IR */
	wr(f, ospi + 0x008, 22u << 16);
	wr(f, ospi + 0x000, 0x10000001);
	wr(f, ospi + 0x040, 2);
	wr(f, ospi + 0x100, 0x01000001);
	wr(f, ospi + 0x110, 0x9F);
	assert_int_equal(rd(f, ospi + 0x050, 1), 0xEF);
	assert_int_equal(rd(f, ospi + 0x050, 1), 0x40);
	assert_int_equal(rd(f, ospi + 0x050, 1), 0x17);
	/* memory-mapped 03h read, 1-1-1, 3-byte address */
	wr(f, ospi + 0x000, 0x30000001);
	wr(f, ospi + 0x100, 0x01002101);
	wr(f, ospi + 0x108, 0);
	wr(f, ospi + 0x110, 0x03);
	assert_int_equal(rd(f, 0x907FFFFF, 1), 0x5A);	/* last byte of the chip */
	assert_int_equal(rd(f, 0x90000000, 4), 0xFFFFFFFF);
	assert_int_not_equal(sim_bus_read(f->bus, 0x90800000, 1, &v), 0);
}

static void test_f1_ids(void **state)
{
	struct fixture *f = *state;
	bool gd = !strcmp(sim_board_name(f->board), "gd32f307");
	assert_int_equal(rd(f, 0xE0042000, 4), gd ? 0x10030414 : 0x20036410);
	assert_int_equal(rd(f, 0x1FFFF7E0, 2), gd ? 256 : 128);
	/* stm32f1x reads the size here on a Cortex-M4 */
	assert_int_equal(rd(f, 0x1FFFF7CC, 2), gd ? 256 : 128);
	assert_int_equal(rd(f, 0xE000ED00, 4), gd ? 0x410FC241 : 0x411FC231);
	assert_int_equal(rd(f, 0x40022020, 4), 0xFFFFFFFF);	/* WRPR: unprotected */
	/* flash aliased at 0 (BOOT0 = 0): the vector table */
	assert_int_equal(rd(f, 0x00000004, 4), rd(f, 0x08000004, 4));
	assert_int_equal(sim_core_pc(sim_board_core(f->board)), 0x08000040);
	/* SRAM end: last word inside, next one a bus error */
	uint32_t sram_end = 0x20000000 + (gd ? 96 : 20) * 1024;
	wr(f, sram_end - 4, 0x12345678);
	assert_int_equal(rd(f, sram_end - 4, 4), 0x12345678);
	uint32_t v;
	assert_int_not_equal(sim_bus_read(f->bus, sram_end, 4, &v), 0);
}

/* F1 page erase through the flash interface, as stm32f1x does it. */
static void test_f1_page_erase(void **state)
{
	struct fixture *f = *state;
	uint32_t page = strcmp(sim_board_name(f->board), "gd32f307") ? 1024 : 2048;
	assert_int_equal(rd(f, 0x08000000, 4), 0x20000000u + (page == 1024 ? 20 : 96) * 1024);
	wr(f, 0x40022010, 0x2);			/* CR = PER while locked: ignored */
	assert_int_equal(rd(f, 0x40022010, 4), 0x80);	/* LOCK */
	wr(f, 0x40022004, 0x45670123);
	wr(f, 0x40022004, 0xCDEF89AB);
	assert_int_equal(rd(f, 0x40022010, 4), 0);
	wr(f, 0x40022010, 0x2);
	wr(f, 0x40022014, 0x08000000);
	wr(f, 0x40022010, 0x42);		/* PER | STRT */
	assert_int_equal(rd(f, 0x4002200C, 4) & 1, 0);	/* not busy */
	assert_int_equal(rd(f, 0x08000000, 4), 0xFFFFFFFF);
	assert_int_equal(rd(f, 0x08000000 + page - 4, 4), 0xFFFFFFFF);
	wr(f, 0x40022010, 0x80);
	assert_int_equal(rd(f, 0x40022010, 4), 0x80);
}

/* SRAM1 (RCC_AHB2ENR bit 29) drops writes and reads 0 until clocked. */
static void test_h750_unclocked_sram1(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(rd(f, RCC_AHB2ENR, 4) & (7u << 29), 0);
	wr(f, 0x30000200, 0xCAFEF00D);
	assert_int_equal(rd(f, 0x30000200, 4), 0);
	wr(f, RCC_AHB2ENR, 1u << 29);			/* SRAM1EN only */
	assert_int_equal(rd(f, 0x30000200, 4), 0);	/* the earlier write was lost */
	wr(f, 0x30000200, 0xCAFEF00D);
	assert_int_equal(rd(f, 0x30000200, 4), 0xCAFEF00D);
	wr(f, 0x30020000, 0x11111111);			/* SRAM2 still unclocked */
	assert_int_equal(rd(f, 0x30020000, 4), 0);
	/* last byte of SRAM3, first byte after it */
	wr(f, RCC_AHB2ENR, 7u << 29);
	assert_int_equal(sim_bus_write(f->bus, 0x30047FFF, 1, 0xA5), 0);
	assert_int_equal(rd(f, 0x30047FFF, 1), 0xA5);
	uint32_t v;
	assert_int_not_equal(sim_bus_read(f->bus, 0x30048000, 1, &v), 0);
}

static uint32_t core_reg(struct fixture *f, uint32_t regsel)
{
	wr(f, DCRSR, regsel);
	return rd(f, DCRDR, 4);
}

/* The CPU runs code from SRAM1 only once it is clocked (the stub case). */
static void test_h750_cpu_sram1(void **state)
{
	struct fixture *f = *state;
	struct sim_core *core = sim_board_core(f->board);
	wr(f, DHCSR, 0xA05F0003);
	wr(f, RCC_AHB2ENR, 1u << 29);
	assert_int_equal(sim_bus_write(f->bus, 0x30000200, 2, 0x2007), 0);	/* movs r0,#7 */
	assert_int_equal(sim_bus_write(f->bus, 0x30000202, 2, 0xBE00), 0);	/* bkpt */
	wr(f, DCRDR, 0x30000200);
	wr(f, DCRSR, 0x1000F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(core);
	assert_int_equal(sim_core_state(core), SIM_CORE_HALTED);
	assert_int_equal(core_reg(f, 15), 0x30000202);
	assert_int_equal(core_reg(f, 0), 7);
}

/* 0x90000000 outside memory-mapped mode: bus error for debugger and CPU. */
static void test_h750_qspi_window_absent(void **state)
{
	struct fixture *f = *state;
	struct sim_core *core = sim_board_core(f->board);
	uint32_t v;
	wr(f, RCC_AHB3ENR, 1u << 14);			/* QSPIEN */
	assert_int_not_equal(sim_bus_read(f->bus, 0x90000000, 4, &v), 0);
	assert_int_not_equal(sim_bus_read(f->bus, 0x90FFFFFF, 1, &v), 0);

	/* CPU: ldr r1,[r0] with r0 = 0x90000000 -> BusFault escalated, caught */
	wr(f, DHCSR, 0xA05F0003);
	wr(f, DEMCR, 0x01000400);			/* VC_HARDERR */
	assert_int_equal(sim_bus_write(f->bus, 0x20000100, 2, 0x6801), 0);	/* ldr r1,[r0] */
	assert_int_equal(sim_bus_write(f->bus, 0x20000102, 2, 0xBE00), 0);	/* bkpt */
	wr(f, DCRDR, 0x90000000);
	wr(f, DCRSR, 0x10000);				/* r0 */
	wr(f, DCRDR, 0x20000100);
	wr(f, DCRSR, 0x1000F);
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(core);
	assert_int_equal(sim_core_state(core), SIM_CORE_HALTED);
	assert_int_equal(rd(f, DFSR, 4), 0x8);		/* VCATCH, not BKPT */
	assert_int_equal(rd(f, BFAR, 4), 0x90000000);
	assert_int_equal(rd(f, CFSR, 4) & 0x8200, 0x8200);	/* BFARVALID | PRECISERR */
	assert_int_equal(core_reg(f, 16) & 0x1FF, 3);	/* in HardFault */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_h750_ids, setup_h750, teardown),
		cmocka_unit_test_setup_teardown(test_h750_unclocked_sram1, setup_h750, teardown),
		cmocka_unit_test_setup_teardown(test_h750_cpu_sram1, setup_h750, teardown),
		cmocka_unit_test_setup_teardown(test_h750_qspi_window_absent, setup_h750, teardown),
		cmocka_unit_test_setup_teardown(test_h7b0_octospi, setup_h7b0, teardown),
		cmocka_unit_test_setup_teardown(test_h750b_dk_dual_dies, setup_h750b_dk, teardown),
		cmocka_unit_test(test_package_needs_dual_board),
		cmocka_unit_test_setup_teardown(test_f746g_ids_and_clock_gates, setup_f746g, teardown),
		cmocka_unit_test_setup_teardown(test_l476g_ids_and_clock_gates, setup_l476g, teardown),
		cmocka_unit_test_setup_teardown(test_h735g_ids_and_octospi_gate, setup_h735g, teardown),
		cmocka_unit_test_setup_teardown(test_f1_ids, setup_gd32, teardown),
		cmocka_unit_test_setup_teardown(test_f1_ids, setup_f103, teardown),
		cmocka_unit_test_setup_teardown(test_f1_page_erase, setup_gd32, teardown),
		cmocka_unit_test_setup_teardown(test_f1_page_erase, setup_f103, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
