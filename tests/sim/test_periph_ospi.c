// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of the OCTOSPI model (sim/periph_ospi.c) over the real chip
 * model of a W25Q64JV (sim/nor_chip.c) and a recording bus window.
 * Ground truth: the chip's array and JEDEC ID (nor-chips.md section 9.1),
 * the register layout and start rules of stm32-octospi.md sections 2.1,
 * 2.5 and 2.8, OpenOCD stmqspi's probe (magic ID at 0x3FC, 0x01C not
 * keeping a value) and its register order (CR, TCR, CCR, IR, AR), and
 * the bus time of periph_qspi.h (SCK = kernel / (PRESCALER + 1)).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_window.h"
#include "nor_chip.h"
#include "periph_ospi.h"

#define CHIP_SIZE	(8u << 20)
#define NS		1000ull	/* picoseconds */
#define KERNEL_HZ	100000000u	/* 10 ns per kernel cycle */

#define R_CR		0x000u
#define R_DCR1		0x008u
#define R_DCR2		0x00Cu
#define R_SR		0x020u
#define R_FCR		0x024u
#define R_DLR		0x040u
#define R_AR		0x048u
#define R_DR		0x050u
#define R_PSMKR		0x080u
#define R_PSMAR		0x088u
#define R_PIR		0x090u
#define R_CCR		0x100u
#define R_TCR		0x108u
#define R_IR		0x110u
#define R_MAGIC		0x3FCu

#define SR_TEF		(1u << 0)
#define SR_TCF		(1u << 1)
#define SR_FTF		(1u << 2)
#define SR_SMF		(1u << 3)
#define SR_BUSY		(1u << 5)
#define SR_FLEVEL(sr)	(((sr) >> 8) & 0x3Fu)

#define CR_EN		(1u << 0)
#define CR_ABORT	(1u << 1)
#define CR_APMS		(1u << 22)
#define FMODE(m)	((uint32_t)(m) << 28)

/* CCR fields (stm32-octospi.md 2.5): modes 001 = 1 line, 011 = 4, 100 = 8 */
#define IMODE(l)	((uint32_t)(l))
#define ADMODE(l)	((uint32_t)(l) << 8)
#define ADSIZE(b)	((uint32_t)((b) - 1) << 12)
#define ABMODE(l)	((uint32_t)(l) << 16)
#define DMODE(l)	((uint32_t)(l) << 24)
#define L1		1u
#define L4		3u
#define L8		4u

struct fixture {
	uint8_t *array;
	struct nor_chip *chip;
	struct sim_ospi *ospi;
	struct sim_device dev;
	bool clock_on;
	unsigned int log_count;
	char last_log[256];
	uint64_t now_ps;
};

static bool clock_query(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	struct fixture *f = ctx;

	assert_int_equal(reg_offset, 0x0D4);	/* RCC_AHB3ENR */
	assert_int_equal(bit, 14);		/* OSPI1EN */
	return f->clock_on;
}

static void log_sink(void *ctx, const char *msg)
{
	struct fixture *f = ctx;

	f->log_count++;
	snprintf(f->last_log, sizeof(f->last_log), "%s", msg);
}

static uint64_t fake_now(void *ctx)
{
	return ((struct fixture *)ctx)->now_ps;
}

static void fake_wait(void *ctx, uint64_t t)
{
	struct fixture *f = ctx;

	if (f->now_ps < t)
		f->now_ps = t;
}

static int setup_part(void **state, uint32_t kernel_hz, const char *part)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sim_ospi_config config = { 0 };
	char err[128];
	uint32_t size = (uint32_t)nor_chip_part_size(part);

	f->array = malloc(size);
	for (uint32_t i = 0; i < size; i++)
		f->array[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + (i >> 16));
	f->chip = nor_chip_create(part, f->array, size, NOR_TIMING_INSTANT, NULL,
				  err, sizeof(err));
	assert_non_null(f->chip);
	f->clock_on = true;
	f->now_ps = 1000000000000ull;
	config.bus = (struct sim_bus *)0x1;	/* only passed to the fake window */
	config.chip = f->chip;
	config.array = f->array;
	config.gate.enabled = clock_query;
	config.gate.ctx = f;
	config.gate.reg_offset = 0x0D4;
	config.gate.bit = 14;
	config.log = log_sink;
	config.log_ctx = f;
	config.kernel_hz = kernel_hz;
	if (kernel_hz) {
		config.now_ps = fake_now;
		config.wait_until_ps = fake_wait;
		config.clock_ctx = f;
	}
	f->ospi = sim_ospi_create(&config);
	assert_non_null(f->ospi);
	f->dev = sim_ospi_device(f->ospi);
	memset(&fake_window, 0, sizeof(fake_window));
	*state = f;
	return 0;
}

static int setup_with(void **state, uint32_t kernel_hz)
{
	return setup_part(state, kernel_hz, "w25q64jv");
}

static int setup(void **state)
{
	return setup_with(state, 0);
}

static int setup_timed(void **state)
{
	return setup_with(state, KERNEL_HZ);
}

/* The STM32H735G-DK's chip (stm32-octospi.md 4.1): MX25LM51245G, 64 MiB. */
static int setup_octal(void **state)
{
	return setup_part(state, 0, "mx25lm51245g");
}

static int setup_octal_timed(void **state)
{
	return setup_part(state, KERNEL_HZ, "mx25lm51245g");
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_ospi_destroy(f->ospi);
	nor_chip_destroy(f->chip);
	free(f->array);
	free(f);
	return 0;
}

static uint32_t rd(struct fixture *f, uint32_t offset, unsigned int size)
{
	uint32_t value = 0xDEADBEEF;

	assert_int_equal(f->dev.ops->read(f->dev.opaque, offset, size, &value), 0);
	return value;
}

static void wr(struct fixture *f, uint32_t offset, unsigned int size, uint32_t value)
{
	assert_int_equal(f->dev.ops->write(f->dev.opaque, offset, size, value), 0);
}

static uint64_t misuse(struct fixture *f)
{
	return sim_ospi_counters(f->ospi)->misuse;
}

/* WeAct's HAL set-up (stm32-octospi.md 4.2): 8 MiB, CSHT 2 cycles, prescaler 2, EN */
static void init(struct fixture *f)
{
	wr(f, R_DCR1, 4, 22u << 16 | 1u << 8 | 1u);	/* DEVSIZE 22: 2^23 bytes, CSHT 1, mode 3 */
	wr(f, R_DCR2, 4, 1);				/* PRESCALER 1: kernel / 2 */
	wr(f, R_CR, 4, CR_EN);
}

/* One command the OpenOCD way: CR (FMODE), TCR, CCR, IR, then AR if it has an address. */
static void command(struct fixture *f, unsigned int fmode, uint32_t ccr, unsigned int dcyc,
		    uint8_t opcode, int64_t address, uint32_t dlr)
{
	wr(f, R_CR, 4, FMODE(fmode) | CR_EN);
	wr(f, R_DLR, 4, dlr);
	wr(f, R_TCR, 4, dcyc);
	wr(f, R_CCR, 4, ccr);
	wr(f, R_IR, 4, opcode);
	if (address >= 0)
		wr(f, R_AR, 4, (uint32_t)address);
}

static void wait_tcf(struct fixture *f)
{
	f->now_ps += 100000 * NS;	/* timed fixture: the command's bus time passes */
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	wr(f, R_FCR, 4, SR_TCF);
}

/* 05h until WIP = 0 (the instant chip clears BUSY at the next status read). */
static void wait_ready(struct fixture *f)
{
	unsigned int tries = 0;
	uint32_t status;

	do {
		command(f, 1, IMODE(L1) | DMODE(L1), 0, 0x05, -1, 0);
		status = rd(f, R_DR, 1);
		wait_tcf(f);
		assert_true(++tries < 10);
	} while (status & 1u);
}

static void write_enable(struct fixture *f)
{
	command(f, 0, IMODE(L1), 0, 0x06, -1, 0);
	wait_tcf(f);
}

/* Quad enable: 31h writes SR2 with QE (bit1), as a driver does. */
static void quad_enable(struct fixture *f)
{
	write_enable(f);
	command(f, 0, IMODE(L1) | DMODE(L1), 0, 0x31, -1, 0);
	wr(f, R_DR, 1, 0x02);
	wait_tcf(f);
	wait_ready(f);
}

static void test_identity_and_reset(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->dev.base, 0x52005000);
	assert_int_equal(f->dev.size, 0x400);
	/* OpenOCD's probe: 0x01C does not keep a value, 0x3FC holds the magic */
	wr(f, 0x01C, 4, 0xAEF1510E);
	assert_int_equal(rd(f, 0x01C, 4), 0);
	assert_int_equal(rd(f, R_MAGIC, 4), 0xA3C5DD01);
	assert_int_equal(rd(f, R_CR, 4), 0);
	assert_int_equal(rd(f, R_SR, 4), SR_FTF);	/* indirect write, FIFO empty */
	/* registers read back within their fields */
	wr(f, R_DCR1, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, R_DCR1, 4), 0x071F077B);
	wr(f, R_CCR, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, R_CCR, 4), 0xAF3F3F3F);
	wr(f, R_TCR, 4, 0xFFFFFFFF);
	assert_int_equal(rd(f, R_TCR, 4), 0x5000001F);
	wr(f, R_IR, 4, 0x9F);	/* EN = 0: nothing starts */
	assert_int_equal(rd(f, R_IR, 4), 0x9F);
	f->dev.reset(f->dev.opaque);
	assert_int_equal(rd(f, R_DCR1, 4), 0);
	assert_int_equal(rd(f, R_CCR, 4), 0);
	assert_int_equal(rd(f, R_MAGIC, 4), 0xA3C5DD01);
	/* unclocked: reads 0, writes lost */
	f->clock_on = false;
	assert_int_equal(rd(f, R_MAGIC, 4), 0);
	wr(f, R_DCR2, 4, 7);
	f->clock_on = true;
	assert_int_equal(rd(f, R_DCR2, 4), 0);
}

/* 9Fh in indirect read mode starts at the IR write (no address) and returns EF 40 17. */
static void test_read_jedec_id(void **state)
{
	struct fixture *f = *state;

	init(f);
	command(f, 1, IMODE(L1) | DMODE(L1), 0, 0x9F, -1, 2);
	wr(f, R_AR, 4, 0);	/* the loader's dummy AR write: ignored, no new command */
	assert_int_equal(sim_ospi_counters(f->ospi)->indirect_reads, 1);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 3);
	assert_int_equal(rd(f, R_DR, 1), 0xEF);
	assert_int_equal(rd(f, R_DR, 2), 0x1740);
	wait_tcf(f);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_int_equal(misuse(f), 0);
}

/*
 * Page program 02h 1-1-1 across the end of a page's data (0x401 bytes in
 * five commands), then a 1-4-4 EBh read (6 dummy cycles, QE set) and a
 * 1-1-4 6Bh read of the same bytes: the array holds what was written, the
 * reads return it.
 */
static void test_program_and_quad_reads(void **state)
{
	struct fixture *f = *state;
	const uint32_t base = 0x7FF000;	/* last 4 KiB sector of the chip */
	uint8_t data[0x401];
	uint32_t done = 0;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xA5 ^ i ^ (i >> 8));
	init(f);
	write_enable(f);
	command(f, 0, IMODE(L1) | ADMODE(L1) | ADSIZE(3), 0, 0x20, base, 0);
	wait_tcf(f);
	wait_ready(f);
	assert_int_equal(f->array[base], 0xFF);
	while (done < sizeof(data)) {
		uint32_t addr = base + 0x80 + done;
		uint32_t n = 256 - (addr & 0xFF);

		if (n > sizeof(data) - done)
			n = sizeof(data) - done;
		write_enable(f);
		command(f, 0, IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L1), 0, 0x02, addr, n - 1);
		for (uint32_t i = 0; i < n; i++)
			wr(f, R_DR, 1, data[done + i]);
		wait_tcf(f);
		wait_ready(f);
		done += n;
	}
	assert_memory_equal(f->array + base + 0x80, data, sizeof(data));
	assert_int_equal(f->array[base + 0x7F], 0xFF);
	assert_int_equal(f->array[base + 0x80 + sizeof(data)], 0xFF);

	quad_enable(f);
	command(f, 1, IMODE(L1) | ADMODE(L4) | ADSIZE(3) | ABMODE(L4) | DMODE(L4), 4, 0xEB,
		base + 0x80, sizeof(data) - 1);
	for (size_t i = 0; i < sizeof(data); i++)
		assert_int_equal(rd(f, R_DR, 1), data[i]);
	wait_tcf(f);
	command(f, 1, IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L4), 8, 0x6B, base + 0x80 + 0x3FD, 3);
	assert_int_equal(rd(f, R_DR, 4), data[0x3FD] | data[0x3FE] << 8 | data[0x3FF] << 16 |
			 (uint32_t)data[0x400] << 24);
	wait_tcf(f);
	assert_int_equal(misuse(f), 0);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, 0);
}

/* Automatic polling of 05h until WEL (bit1) = 1 and WIP = 0, APMS: SMF and stop. */
static void test_auto_polling(void **state)
{
	struct fixture *f = *state;

	init(f);
	write_enable(f);
	wr(f, R_PSMKR, 4, 0x03);
	wr(f, R_PSMAR, 4, 0x02);
	wr(f, R_PIR, 4, 0x10);
	wr(f, R_CR, 4, FMODE(2) | CR_APMS | CR_EN);
	wr(f, R_DLR, 4, 0);
	wr(f, R_CCR, 4, IMODE(L1) | DMODE(L1));
	wr(f, R_IR, 4, 0x05);
	assert_true(rd(f, R_SR, 4) & SR_SMF);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_int_equal(rd(f, R_DR, 1), 0x02);
	assert_int_equal(sim_ospi_counters(f->ospi)->poll_matches, 1);
	wr(f, R_FCR, 4, SR_SMF);
	assert_false(rd(f, R_SR, 4) & SR_SMF);
}

/*
 * Memory-mapped mode, 1-4-4 EBh read.  OpenOCD's order (CR with FMODE=11
 * first, then CCR, TCR, IR): the window appears at the IR write, with the
 * array.  HAL's order (CCR, TCR, IR, then CR): at the CR write.  ABORT
 * and a CR write to indirect mode remove it.
 */
static void test_mmap_orders(void **state)
{
	struct fixture *f = *state;
	const uint32_t ccr = IMODE(L1) | ADMODE(L4) | ADSIZE(3) | ABMODE(L4) | DMODE(L4);

	init(f);
	quad_enable(f);
	/* a command just ran (ID read), then OpenOCD's set_mm_mode */
	command(f, 1, IMODE(L1) | DMODE(L1), 0, 0x9F, -1, 2);
	wr(f, R_CR, 4, CR_ABORT | CR_EN | FMODE(1));
	wr(f, R_CR, 4, FMODE(3) | CR_EN);
	wr(f, R_CCR, 4, ccr);
	wr(f, R_TCR, 4, 4);
	assert_false(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(fake_window.size, 0);
	wr(f, R_IR, 4, 0xEB);
	assert_true(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(fake_window.base, 0x90000000);
	assert_int_equal(fake_window.size, CHIP_SIZE);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_int_equal(sim_ospi_counters(f->ospi)->mmap_slow, 0);
	/* an AR write in memory-mapped mode (stmqspi's "errata" write) changes nothing */
	wr(f, R_AR, 4, 0);
	assert_true(sim_ospi_mmap_active(f->ospi));
	/* ABORT leaves it; a CR write to indirect read mode keeps it off */
	wr(f, R_CR, 4, CR_ABORT | CR_EN | FMODE(3));
	wr(f, R_CR, 4, CR_EN | FMODE(1));
	assert_false(sim_ospi_mmap_active(f->ospi));
	assert_null(fake_window.ptr);

	/* HAL order: configuration first, FMODE last */
	wr(f, R_CR, 4, CR_EN);
	wr(f, R_CCR, 4, ccr);
	wr(f, R_TCR, 4, 4);
	wr(f, R_IR, 4, 0xEB);		/* FMODE 00 with data: waits for DR, starts nothing */
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
	wr(f, R_CR, 4, CR_EN | FMODE(3));
	assert_true(sim_ospi_mmap_active(f->ospi));
	assert_ptr_equal(fake_window.ptr, f->array);
	/* EN = 0 removes it */
	wr(f, R_CR, 4, FMODE(3));
	assert_false(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(misuse(f), 0);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, 0);
}

/* A wrong dummy count shows in the window: the chip's shifted bytes, not the array. */
static void test_mmap_wrong_dummy(void **state)
{
	struct fixture *f = *state;

	init(f);
	quad_enable(f);
	wr(f, R_CCR, 4, IMODE(L1) | ADMODE(L4) | ADSIZE(3) | ABMODE(L4) | DMODE(L4));
	wr(f, R_TCR, 4, 2);	/* EBh needs 4 after the mode byte */
	wr(f, R_IR, 4, 0xEB);
	wr(f, R_CR, 4, CR_EN | FMODE(3));
	assert_true(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(sim_ospi_counters(f->ospi)->mmap_slow, 1);
	assert_non_null(fake_window.ptr);
	assert_true(fake_window.ptr != f->array);
	assert_memory_not_equal(fake_window.ptr + 0x1000, f->array + 0x1000, 64);
}

/*
 * Octal phases reach the chip as 8-line bytes: a W25Q64JV (no octal
 * mode) ignores the command and the data lines float high; a reserved
 * line mode (101) is refused by the controller: logged, nothing starts.
 */
static void test_octal_on_a_quad_chip(void **state)
{
	struct fixture *f = *state;
	uint64_t chip_misuse = nor_chip_counters(f->chip)->misuse;

	init(f);
	command(f, 1, IMODE(L8) | DMODE(L8), 0, 0x9F, -1, 2);
	assert_int_equal(sim_ospi_counters(f->ospi)->indirect_reads, 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rd(f, R_DR, 1), 0xFF);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, chip_misuse + 1);
	assert_int_equal(nor_chip_counters(f->chip)->bytes_by_lines[8], 4);	/* 9Fh + 3 */
	wait_tcf(f);
	assert_int_equal(misuse(f), 0);
	command(f, 1, IMODE(5) | DMODE(L1), 0, 0x9F, -1, 2);
	assert_int_equal(sim_ospi_counters(f->ospi)->indirect_reads, 1);
	assert_int_equal(misuse(f), 1);
	assert_non_null(strstr(f->last_log, "reserved"));
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
}

/* ---- octal DTR on the MX25LM51245G (stm32-octospi.md 2.5, 2.6, 5) ------------ */

#define IDTR		(1u << 3)
#define ISIZE16		(1u << 4)
#define ADDTR		(1u << 11)
#define DDTR		(1u << 27)
#define DQSE		(1u << 29)
/* 8D-8D-8D with a 16-bit instruction and 4-byte address: OpenOCD's H735G-DK CCR */
#define CCR_8D8D8D	(IMODE(L8) | IDTR | ISIZE16 | ADMODE(L8) | ADDTR | ADSIZE(4) | \
			 DMODE(L8) | DDTR)
#define OPI(op)		((uint32_t)(op) << 8 | (uint8_t)~(op))

/* As command(), with a 32-bit IR (OPI opcodes). */
static void command_ir(struct fixture *f, unsigned int fmode, uint32_t ccr, uint32_t tcr,
		       uint32_t ir, int64_t address, uint32_t dlr)
{
	wr(f, R_CR, 4, FMODE(fmode) | CR_EN);
	wr(f, R_DLR, 4, dlr);
	wr(f, R_TCR, 4, tcr);
	wr(f, R_CCR, 4, ccr);
	wr(f, R_IR, 4, ir);
	if (address >= 0)
		wr(f, R_AR, 4, (uint32_t)address);
}

/* OpenOCD's stm32h735g-disco.cfg: 06h, then 72h + address 0 + 02h, in 1-1-1. */
static void enter_dtr_opi(struct fixture *f)
{
	wr(f, R_DCR1, 4, 1u << 24 | 25u << 16 | 1u << 8);	/* Macronix, 64 MiB, CSHT 1 */
	wr(f, R_DCR2, 4, 0);
	wr(f, R_CR, 4, CR_EN);
	write_enable(f);
	command(f, 0, IMODE(L1) | ADMODE(L1) | ADSIZE(4) | DMODE(L1), 0, 0x72, 0, 0);
	wr(f, R_DR, 1, 0x02);
	wait_tcf(f);
	assert_int_equal(nor_chip_octal_mode(f->chip), 2);
}

/* 8D RDSR (05FAh): 4-byte address 0, 2 status bytes (a DTR pair); returns the first. */
static uint8_t octal_status(struct fixture *f)
{
	uint8_t sr0, sr1;

	command_ir(f, 1, CCR_8D8D8D, 4, OPI(0x05), 0, 1);
	sr0 = (uint8_t)rd(f, R_DR, 1);
	sr1 = (uint8_t)rd(f, R_DR, 1);
	assert_int_equal(sr0, sr1);
	wait_tcf(f);
	return sr0;
}

/*
 * 8D-8D-8D indirect commands: RDID gives the ID in pairs, WREN sets WEL,
 * a 12EDh page program of 0x101 bytes over a page end writes the array
 * (two commands), auto-polling on 05FAh stops at WIP = 0, 21DEh erases,
 * and the EE11h read returns the array with 20 dummy cycles (DC = 0).
 */
static void test_octal_dtr_indirect(void **state)
{
	struct fixture *f = *state;
	const uint32_t base = 0x03FFF000;	/* the chip's last 4 KiB */
	uint8_t data[0x101], id[6];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0x3C ^ i);
	enter_dtr_opi(f);
	command_ir(f, 1, CCR_8D8D8D, 4, OPI(0x9F), 0, 5);
	for (int i = 0; i < 6; i++)
		id[i] = (uint8_t)rd(f, R_DR, 1);
	assert_memory_equal(id, ((const uint8_t[]){ 0xC2, 0xC2, 0x85, 0x85, 0x3A, 0x3A }), 6);
	wait_tcf(f);
	assert_int_equal(octal_status(f), 0x00);
	/* erase the sector: WREN, 21DEh + address */
	command_ir(f, 0, IMODE(L8) | IDTR | ISIZE16, 0, OPI(0x06), -1, 0);
	wait_tcf(f);
	assert_int_equal(octal_status(f), 0x02);
	command_ir(f, 0, IMODE(L8) | IDTR | ISIZE16 | ADMODE(L8) | ADDTR | ADSIZE(4), 0,
		   OPI(0x21), base + 0x123, 0);
	wait_tcf(f);
	/* auto-polling: 2 status bytes, mask WIP in both, match 0 */
	wr(f, R_PSMKR, 4, 0x0101);
	wr(f, R_PSMAR, 4, 0);
	wr(f, R_PIR, 4, 16);
	wr(f, R_CR, 4, FMODE(2) | CR_EN | CR_APMS);
	wr(f, R_DLR, 4, 1);
	wr(f, R_TCR, 4, 4);
	wr(f, R_CCR, 4, CCR_8D8D8D);
	wr(f, R_IR, 4, OPI(0x05));
	wr(f, R_AR, 4, 0);
	f->now_ps += 100000 * NS;
	assert_true(rd(f, R_SR, 4) & SR_SMF);
	assert_true(sim_ospi_counters(f->ospi)->poll_matches >= 1);
	wr(f, R_FCR, 4, SR_SMF);
	for (uint32_t i = 0; i < 0x1000; i++)
		assert_int_equal(f->array[base + i], 0xFF);
	/* page program: 0xFF bytes to the page end, then 2 more in the next page */
	for (uint32_t done = 0; done < sizeof(data);) {
		uint32_t addr = base + 0x01 + done;
		uint32_t n = 256 - (addr & 0xFF);

		if (n > sizeof(data) - done)
			n = sizeof(data) - done;
		command_ir(f, 0, IMODE(L8) | IDTR | ISIZE16, 0, OPI(0x06), -1, 0);
		wait_tcf(f);
		command_ir(f, 0, CCR_8D8D8D, 0, OPI(0x12), addr, n - 1);
		for (uint32_t i = 0; i < n; i++)
			wr(f, R_DR, 1, data[done + i]);
		wait_tcf(f);
		while (octal_status(f) & 1)
			;
		done += n;
	}
	assert_memory_equal(f->array + base + 1, data, sizeof(data));
	assert_int_equal(f->array[base], 0xFF);
	assert_int_equal(f->array[base + 1 + sizeof(data)], 0xFF);
	/* EE11h 8DTRD: 20 dummy cycles at the chip's default DC = 0 */
	command_ir(f, 1, CCR_8D8D8D, 20, 0xEE11, base + 1, sizeof(data) - 1);
	for (size_t i = 0; i < sizeof(data); i++)
		if ((uint8_t)rd(f, R_DR, 1) != data[i])
			fail_msg("8DTRD byte %zu differs", i);
	wait_tcf(f);
	assert_int_equal(misuse(f), 0);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, 0);
	assert_true(nor_chip_counters(f->chip)->bytes_dtr > 2 * sizeof(data));
}

/*
 * Memory-mapped 8D-8D-8D read with OpenOCD's H735G-DK registers (CCR
 * 0x2C003C1C with DQSE, TCR 0x10000006: 6 dummy cycles, IR EE11h): the
 * window shows the array (DQS capture).  The same without DQSE shows
 * the chip's 20-cycle latency: shifted data, the slow path.
 */
static void test_octal_dtr_memory_mapped(void **state)
{
	struct fixture *f = *state;

	enter_dtr_opi(f);
	wr(f, R_CR, 4, FMODE(3) | CR_EN);
	wr(f, R_TCR, 4, 0x10000006);
	wr(f, R_CCR, 4, 0x2C003C1C);
	wr(f, R_IR, 4, 0xEE11);
	assert_int_equal(rd(f, R_CCR, 4), CCR_8D8D8D | DQSE);
	assert_true(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(sim_ospi_counters(f->ospi)->mmap_slow, 0);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_int_equal(fake_window.size, 64u << 20);
	/* without DQS capture: 6 of 20 dummy cycles, the data comes late */
	wr(f, R_CR, 4, CR_ABORT | CR_EN);
	wr(f, R_CR, 4, FMODE(3) | CR_EN);
	wr(f, R_TCR, 4, 6);
	wr(f, R_CCR, 4, CCR_8D8D8D);
	wr(f, R_IR, 4, 0xEE11);
	assert_true(sim_ospi_mmap_active(f->ospi));
	assert_int_equal(sim_ospi_counters(f->ospi)->mmap_slow, 1);
	assert_memory_not_equal(fake_window.ptr + 0x1000, f->array + 0x1000, 64);
	assert_int_equal(nor_chip_octal_mode(f->chip), 2);
}

/*
 * Bus time in 8D-8D-8D: two bytes per SCK cycle in every phase.  EE11h
 * with 6 dummy cycles reading 16 bytes: instruction 1 cycle, address 2,
 * dummy 6, data 8 = 17 cycles; the same read 8S-8S-8S-like in 1-byte
 * STR instruction terms would take twice each byte phase.
 */
static void test_octal_dtr_bus_time(void **state)
{
	struct fixture *f = *state;
	uint64_t cycle = 10 * NS;	/* PRESCALER 0: kernel clock, 100 MHz */
	uint64_t wire0;

	enter_dtr_opi(f);
	wire0 = sim_ospi_counters(f->ospi)->wire_ps;
	f->now_ps += 1000 * NS;
	command_ir(f, 1, CCR_8D8D8D | DQSE, 6, 0xEE11, 0x1000, 15);
	f->now_ps += (1 + 2 + 6 + 7) * cycle;
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 14);
	f->now_ps += cycle;
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 16);
	assert_int_equal(sim_ospi_counters(f->ospi)->wire_ps - wire0, 17 * cycle);
	for (int i = 0; i < 16; i++)
		assert_int_equal(rd(f, R_DR, 1), f->array[0x1000 + i]);
	assert_int_equal(misuse(f), 0);
}

/* A command beyond 2^(DEVSIZE+1): TEF, nothing on the wire. */
static void test_tef_beyond_devsize(void **state)
{
	struct fixture *f = *state;

	init(f);
	command(f, 1, IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L1), 0, 0x03, CHIP_SIZE - 1, 1);
	assert_true(rd(f, R_SR, 4) & SR_TEF);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
	wr(f, R_FCR, 4, SR_TEF);
	command(f, 1, IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L1), 0, 0x03, CHIP_SIZE - 1, 0);
	assert_false(rd(f, R_SR, 4) & SR_TEF);
	assert_int_equal(rd(f, R_DR, 1), f->array[CHIP_SIZE - 1]);
}

/*
 * Bus time: SCK = kernel / (DCR2.PRESCALER + 1).  6Bh 1-1-4 with 8 dummy
 * cycles reads 4 bytes in 8 + 24 + 8 + 4 x 2 cycles; EBh 1-4-4 with its
 * mode byte and 4 dummies in 8 + 6 + 2 + 4 + 4 x 2.  The wire counter
 * grows by exactly that, and the FIFO level follows the clock.
 */
static void test_bus_time(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint32_t ccr;
		unsigned int dcyc, prescaler, phase_cycles;
		uint8_t opcode;
	} cases[] = {
		{ IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L4), 8, 1, 40, 0x6B },
		{ IMODE(L1) | ADMODE(L1) | ADSIZE(3) | DMODE(L4), 8, 3, 40, 0x6B },
		{ IMODE(L1) | ADMODE(L4) | ADSIZE(3) | ABMODE(L4) | DMODE(L4), 4, 0, 20, 0xEB },
	};

	init(f);
	quad_enable(f);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t cycle = 10 * NS * (cases[i].prescaler + 1);
		uint64_t wire0 = sim_ospi_counters(f->ospi)->wire_ps;
		uint64_t data0;

		wr(f, R_DCR2, 4, cases[i].prescaler);
		f->now_ps += 1000 * NS;
		command(f, 1, cases[i].ccr, cases[i].dcyc, cases[i].opcode, 0x2000, 3);
		data0 = f->now_ps + cases[i].phase_cycles * cycle;
		f->now_ps = data0 + 2 * cycle - 1;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
		f->now_ps = data0 + 2 * cycle;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 1);
		f->now_ps = data0 + 8 * cycle;
		assert_true(rd(f, R_SR, 4) & SR_TCF);
		assert_int_equal(sim_ospi_counters(f->ospi)->wire_ps - wire0,
				 (cases[i].phase_cycles + 8) * cycle);
		assert_int_equal(rd(f, R_DR, 4), f->array[0x2000] | f->array[0x2001] << 8 |
				 f->array[0x2002] << 16 | (uint32_t)f->array[0x2003] << 24);
		wr(f, R_FCR, 4, SR_TCF);
	}
	assert_int_equal(misuse(f), 0);
}

/* The I/O manager's clock (RCC_AHB3ENR.IOMNGREN, bit 21). */
static bool iom_clock_on;

static bool iom_clock(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	(void)ctx;
	assert_int_equal(reg_offset, 0x0D4);
	assert_int_equal(bit, 21);
	return iom_clock_on;
}

static uint32_t iom_rd(struct sim_device *d, uint32_t off)
{
	uint32_t v = 0xdeadbeef;
	assert_int_equal(d->ops->read(d->opaque, off, 4, &v), 0);
	return v;
}

/*
 * OCTOSPIM (stm32-octospi.md 3): unclocked it reads 0 and ignores writes;
 * clocked, P1CR/P2CR read their reset routing (each OCTOSPI on its own
 * port); OCTOSPI1 reaches the port-1 chip only with CLK, nCS and IO[3:0]
 * from OCTOSPI1, plus IO[7:4] from its high nibble for an octal chip.
 * Unrouted, the JEDEC ID reads all 1s (no chip answers); routed again,
 * the chip's ID.
 */
static void test_io_manager(void **state)
{
	struct fixture *f = *state;
	struct sim_ospim_config mc = {
		.base = 0x5200B400,
		.gate = { .enabled = iom_clock, .ctx = NULL, .reg_offset = 0x0D4, .bit = 21 },
		.ospi1 = f->ospi,
		.octal = true,
	};
	struct sim_ospim *m = sim_ospim_create(&mc);
	struct sim_device d = sim_ospim_device(m);

	iom_clock_on = false;
	assert_int_equal(iom_rd(&d, 0x04), 0);
	assert_int_equal(d.ops->write(d.opaque, 0x04, 4, 0), 0);	/* ignored */
	assert_true(sim_ospim_routed(m));
	iom_clock_on = true;
	assert_int_equal(iom_rd(&d, 0x04), 0x03010111);
	assert_int_equal(iom_rd(&d, 0x08), 0x07050333);

	/* quad routing (no IO[7:4]) for an octal chip: out of reach */
	d.ops->write(d.opaque, 0x04, 4, 0x00010101);
	assert_false(sim_ospim_routed(m));
	init(f);
	command(f, 1, IMODE(L1) | DMODE(L1), 0, 0x9F, -1, 2);
	assert_int_equal(rd(f, R_DR, 1), 0xFF);
	assert_int_equal(rd(f, R_DR, 2), 0xFFFF);
	wait_tcf(f);
	/* CLK from OCTOSPI2, or IO[7:4] from OCTOSPI1's low nibble: no */
	d.ops->write(d.opaque, 0x04, 4, 0x03010113);
	assert_false(sim_ospim_routed(m));
	d.ops->write(d.opaque, 0x04, 4, 0x01010111);
	assert_false(sim_ospim_routed(m));
	/* OpenOCD's H735 routing: the chip answers again */
	d.ops->write(d.opaque, 0x04, 4, 0x03010111);
	assert_true(sim_ospim_routed(m));
	command(f, 1, IMODE(L1) | DMODE(L1), 0, 0x9F, -1, 2);
	assert_int_equal(rd(f, R_DR, 1), 0xEF);
	assert_int_equal(rd(f, R_DR, 2), 0x1740);
	wait_tcf(f);
	sim_ospim_destroy(m);

	/* a quad chip needs IO[3:0] only; the reset hook restores the routing */
	mc.octal = false;
	m = sim_ospim_create(&mc);
	d = sim_ospim_device(m);
	d.ops->write(d.opaque, 0x04, 4, 0x00010101);
	assert_true(sim_ospim_routed(m));
	d.ops->write(d.opaque, 0x04, 4, 0);
	assert_false(sim_ospim_routed(m));
	d.reset(d.opaque);
	assert_int_equal(iom_rd(&d, 0x04), 0x03010111);
	assert_true(sim_ospim_routed(m));
	sim_ospim_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_identity_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_jedec_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_io_manager, setup, teardown),
		cmocka_unit_test_setup_teardown(test_program_and_quad_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_auto_polling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_orders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_wrong_dummy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_octal_on_a_quad_chip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_octal_dtr_indirect, setup_octal, teardown),
		cmocka_unit_test_setup_teardown(test_octal_dtr_memory_mapped, setup_octal, teardown),
		cmocka_unit_test_setup_teardown(test_octal_dtr_bus_time, setup_octal_timed, teardown),
		cmocka_unit_test_setup_teardown(test_tef_beyond_devsize, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_time, setup_timed, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
