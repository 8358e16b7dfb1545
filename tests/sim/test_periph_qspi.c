// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * QUADSPI model unit tests against the fake NOR chip (tests/sim/fake_nor.c)
 * and a recording bus window.  Register values are the ones the reference
 * sheet (§4) and OpenOCD's stmqspi driver use; every test drives the model
 * only through its bus ops, as firmware or the debugger would.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_nor.h"
#include "fake_window.h"
#include "periph_qspi.h"

#define CHIP_SIZE	(16u << 20)	/* W25Q128JV: 16 MiB, FSIZE = 23 */

#define R_CR	0x00u
#define R_DCR	0x04u
#define R_SR	0x08u
#define R_FCR	0x0Cu
#define R_DLR	0x10u
#define R_CCR	0x14u
#define R_AR	0x18u
#define R_ABR	0x1Cu
#define R_DR	0x20u
#define R_PSMKR	0x24u
#define R_PSMAR	0x28u
#define R_PIR	0x2Cu

#define SR_TEF	0x01u
#define SR_TCF	0x02u
#define SR_FTF	0x04u
#define SR_SMF	0x08u
#define SR_BUSY	0x20u
#define SR_FLEVEL(sr)	(((sr) >> 8) & 0x3Fu)

/* CCR values built from the field layout of §4.7 */
#define CCR_READ_ID	0x0500019Fu	/* indirect read, 1-line instr + data, 9Fh */
#define CCR_READ_SR	0x05000105u	/* indirect read, 05h */
#define CCR_WREN	0x00000106u	/* indirect write, instruction only, 06h */
#define CCR_PP		0x01002502u	/* indirect write, 24-bit addr, 1-line data, 02h */
#define CCR_READ	0x05002503u	/* indirect read, 24-bit addr, 03h */
#define CCR_SECTOR	0x00002520u	/* indirect write, 24-bit addr, no data, 20h */
#define CCR_POLL_SR	0x09000105u	/* auto-polling, 05h, 1-line data */
#define CCR_MM_03	0x0D002503u	/* memory-mapped 1-1-1 READ 03h (OpenOCD cfg value) */
/* memory-mapped 1-4-4 EBh: IMODE 01, ADMODE 11, ADSIZE 10, ABMODE 11,
 * ABSIZE 00, DCYC 4, DMODE 11 */
#define CCR_MM_EB	(0x0C000000u | (3u << 24) | (4u << 18) | (0u << 16) | (3u << 14) | \
			 (2u << 12) | (3u << 10) | (1u << 8) | 0xEBu)
#define CCR_SFDP_OCD	0x0500255Au	/* OpenOCD's SFDP read: 24-bit addr, DCYC 0 */

struct fixture {
	uint8_t *array;
	struct nor_chip *chip;
	struct sim_qspi *qspi;
	struct sim_device dev;
	bool clock_on;
	unsigned int log_count;
	uint64_t now_ps;	/* fake clock of the timed fixture */
	unsigned int clock_reads;	/* fake_now() calls */
	uint32_t rcc_kernel_hz;	/* what the fake RCC's kernel clock says */
};

static bool clock_query(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	struct fixture *f = ctx;

	assert_int_equal(reg_offset, 0x0D4);	/* RCC_AHB3ENR */
	assert_int_equal(bit, 14);		/* QSPIEN */
	return f->clock_on;
}

static void log_sink(void *ctx, const char *msg)
{
	struct fixture *f = ctx;

	(void)msg;
	f->log_count++;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sim_qspi_config config = { 0 };

	f->array = malloc(CHIP_SIZE);
	for (uint32_t i = 0; i < CHIP_SIZE; i++)
		f->array[i] = (uint8_t)(i * 7 + (i >> 8) * 13 + (i >> 16));
	f->chip = fake_nor_create(f->array, CHIP_SIZE);
	f->clock_on = true;
	config.bus = (struct sim_bus *)0x1;	/* only passed to the fake window */
	config.chip[0] = f->chip;
	config.array[0] = f->array;
	config.gate.enabled = clock_query;
	config.gate.ctx = f;
	config.gate.reg_offset = 0x0D4;
	config.gate.bit = 14;
	config.log = log_sink;
	config.log_ctx = f;
	f->qspi = sim_qspi_create(&config);
	f->dev = sim_qspi_device(f->qspi);
	memset(&fake_window, 0, sizeof(fake_window));
	*state = f;
	return 0;
}

static uint64_t fake_now(void *ctx)
{
	((struct fixture *)ctx)->clock_reads++;
	return ((struct fixture *)ctx)->now_ps;
}

static void fake_wait(void *ctx, uint64_t t)
{
	struct fixture *f = ctx;

	if (f->now_ps < t)
		f->now_ps = t;
}

#define KERNEL_HZ	100000000u	/* 10 ns per kernel cycle */

/* As setup, with bus time: kernel clock 100 MHz and a fake clock; with
 * kernel_clock, the clock is asked of it at every command. */
static int setup_timed_with(void **state, uint32_t (*kernel_clock)(void *ctx))
{
	struct fixture *f;
	struct sim_qspi_config config = { 0 };

	setup(state);
	f = *state;
	sim_qspi_destroy(f->qspi);
	f->now_ps = 1000000000000ull;
	f->rcc_kernel_hz = KERNEL_HZ;
	config.bus = (struct sim_bus *)0x1;
	config.chip[0] = f->chip;
	config.array[0] = f->array;
	config.gate.enabled = clock_query;
	config.gate.ctx = f;
	config.gate.reg_offset = 0x0D4;
	config.gate.bit = 14;
	config.log = log_sink;
	config.log_ctx = f;
	config.kernel_hz = KERNEL_HZ;
	config.kernel_clock = kernel_clock;
	config.kernel_clock_ctx = f;
	config.now_ps = fake_now;
	config.wait_until_ps = fake_wait;
	config.clock_ctx = f;
	f->qspi = sim_qspi_create(&config);
	f->dev = sim_qspi_device(f->qspi);
	return 0;
}

static int setup_timed(void **state)
{
	return setup_timed_with(state, NULL);
}

/* What a fake RCC says the kernel clock is. */
static uint32_t fake_rcc_kernel_clock(void *ctx)
{
	return ((struct fixture *)ctx)->rcc_kernel_hz;
}

static int setup_timed_rcc(void **state)
{
	return setup_timed_with(state, fake_rcc_kernel_clock);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_qspi_destroy(f->qspi);
	fake_nor_destroy(f->chip);
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

/* The init sequence of §4.11: FTHRES, DCR FSIZE, EN. */
static void init(struct fixture *f, unsigned int fthres)
{
	wr(f, R_CR, 4, (fthres << 8));
	wr(f, R_DCR, 4, 23u << 16 | 2u << 8);	/* 16 MiB, CSHT 2 */
	wr(f, R_CR, 4, (fthres << 8) | 1u);
}

static void clear_tcf(struct fixture *f)
{
	wr(f, R_FCR, 4, SR_TCF);
}

static void write_enable(struct fixture *f)
{
	wr(f, R_CCR, 4, CCR_WREN);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	clear_tcf(f);
}

static void test_reset_values_and_device(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(f->dev.base, 0x52005000u);
	assert_int_equal(f->dev.size, 0x400u);
	assert_string_equal(f->dev.name, "quadspi");
	for (uint32_t off = 0; off <= 0x30; off += 4)
		if (off != R_DR && off != R_SR)
			assert_int_equal(rd(f, off, 4), 0);
	/* idle, FMODE=00 (write): FIFO empty so FTF (free >= 1) and nothing else */
	assert_int_equal(rd(f, R_SR, 4), SR_FTF);
	/* the stmqspi probe's ABR test: plain read/write register */
	wr(f, R_ABR, 4, 0xAEF1510Eu);
	assert_int_equal(rd(f, R_ABR, 4), 0xAEF1510Eu);
}

static void test_read_jedec_id(void **state)
{
	struct fixture *f = *state;
	uint32_t sr;

	init(f, 0);
	wr(f, R_DLR, 4, 2);
	wr(f, R_CCR, 4, CCR_READ_ID);
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 3);
	assert_true(sr & SR_TCF);	/* all 3 bytes received */
	assert_true(sr & SR_BUSY);	/* until the FIFO is drained */
	assert_true(sr & SR_FTF);
	assert_false(fake_nor_selected(f->chip));	/* CS rose at TCF */
	assert_int_equal(rd(f, R_DR, 1), 0xEF);
	assert_int_equal(rd(f, R_DR, 1), 0x40);
	assert_true(rd(f, R_SR, 4) & SR_BUSY);
	assert_int_equal(rd(f, R_DR, 1), 0x18);
	sr = rd(f, R_SR, 4);
	assert_false(sr & SR_BUSY);
	assert_int_equal(SR_FLEVEL(sr), 0);
	assert_false(sr & SR_FTF);
	clear_tcf(f);
	assert_false(rd(f, R_SR, 4) & SR_TCF);
	assert_int_equal(fake_nor_commands(f->chip), 1);
	assert_int_equal(fake_nor_last_opcode(f->chip), 0x9F);
	assert_int_equal(sim_qspi_counters(f->qspi)->indirect_reads, 1);
	assert_int_equal(f->log_count, 0);
}

/* Page program of 7 bytes pushed as word + halfword + byte, then read back. */
static void test_page_program_and_read_back(void **state)
{
	struct fixture *f = *state;
	const uint32_t addr = 0x00FFFFF9u;	/* the last 7 bytes of the chip */
	uint8_t expect[7];

	init(f, 3);
	/* erase the sector first so the AND-programming shows our bytes */
	write_enable(f);
	wr(f, R_CCR, 4, CCR_SECTOR);
	assert_int_equal(fake_nor_commands(f->chip), 1);	/* waits for AR */
	wr(f, R_AR, 4, addr & ~0xFFFu);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	clear_tcf(f);
	assert_int_equal(f->array[CHIP_SIZE - 4096], 0xFF);
	assert_int_equal(f->array[CHIP_SIZE - 1], 0xFF);
	write_enable(f);
	wr(f, R_DLR, 4, 6);
	wr(f, R_CCR, 4, CCR_PP);
	wr(f, R_AR, 4, addr);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);	/* waits for the first DR write */
	wr(f, R_DR, 4, 0x44332211u);
	assert_true(fake_nor_selected(f->chip));
	assert_true(rd(f, R_SR, 4) & SR_BUSY);
	assert_false(rd(f, R_SR, 4) & SR_TCF);
	wr(f, R_DR, 2, 0x6655u);
	wr(f, R_DR, 1, 0x77u);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_false(fake_nor_selected(f->chip));
	clear_tcf(f);
	for (unsigned int i = 0; i < 7; i++)
		expect[i] = (uint8_t)(0x11 * (i + 1));
	assert_memory_equal(f->array + addr, expect, 7);
	assert_int_equal(f->array[addr - 1], 0xFF);	/* nothing before it */
	assert_int_equal(sim_qspi_counters(f->qspi)->fifo_bytes_in, 7);

	/* read back through the FIFO: word, halfword, byte accesses */
	wr(f, R_DLR, 4, 6);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, addr);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 7);
	assert_int_equal(rd(f, R_DR, 4), 0x44332211u);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 3);
	assert_int_equal(rd(f, R_DR, 2), 0x6655u);
	assert_int_equal(rd(f, R_DR, 1), 0x77u);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_int_equal(f->log_count, 0);
}

/* A read of 0x401 bytes: the FIFO refills as DR is read, FTF per FTHRES. */
static void test_long_read_fifo_refill(void **state)
{
	struct fixture *f = *state;
	const uint32_t addr = 0x7FFF00u;	/* crosses the 8 MiB line */
	const uint32_t len = 0x401;
	uint8_t *got = malloc(len);
	uint32_t sr;

	init(f, 7);	/* threshold 8 bytes */
	wr(f, R_DLR, 4, len - 1);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, addr);
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 32);
	assert_true(sr & SR_FTF);
	assert_false(sr & SR_TCF);
	assert_true(sr & SR_BUSY);
	assert_true(fake_nor_selected(f->chip));	/* CS held while the FIFO is full */
	for (uint32_t i = 0; i < len; ) {
		if (len - i >= 4) {
			uint32_t w = rd(f, R_DR, 4);

			memcpy(got + i, &w, 4);
			i += 4;
		} else {
			got[i++] = (uint8_t)rd(f, R_DR, 1);
		}
		if (i == len - 5) {
			/* 5 bytes left, all received: below the threshold but FTF stays */
			sr = rd(f, R_SR, 4);
			assert_int_equal(SR_FLEVEL(sr), 5);
			assert_true(sr & SR_TCF);
			assert_true(sr & SR_FTF);
			assert_false(fake_nor_selected(f->chip));
		}
	}
	assert_memory_equal(got, f->array + addr, len);
	sr = rd(f, R_SR, 4);
	assert_false(sr & (SR_BUSY | SR_FTF));
	assert_true(sr & SR_TCF);
	assert_int_equal(fake_nor_commands(f->chip), 1);
	free(got);
}

static void test_last_byte_and_tef(void **state)
{
	struct fixture *f = *state;

	init(f, 0);
	/* the last byte of the FSIZE range is fine */
	wr(f, R_DLR, 4, 0);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, CHIP_SIZE - 1);
	assert_int_equal(rd(f, R_DR, 1), f->array[CHIP_SIZE - 1]);
	assert_false(rd(f, R_SR, 4) & SR_TEF);
	clear_tcf(f);
	/* address + length beyond 2^(FSIZE+1): TEF, nothing sent to the chip */
	wr(f, R_DLR, 4, 1);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, CHIP_SIZE - 1);
	assert_int_equal(rd(f, R_SR, 4) & (SR_TEF | SR_TCF | SR_BUSY), SR_TEF);
	assert_int_equal(fake_nor_commands(f->chip), 1);
	wr(f, R_FCR, 4, SR_TEF);
	assert_false(rd(f, R_SR, 4) & SR_TEF);
	/* address at 2^(FSIZE+1) with no data phase (an erase): TEF too */
	wr(f, R_CCR, 4, CCR_SECTOR);
	wr(f, R_AR, 4, CHIP_SIZE);
	assert_true(rd(f, R_SR, 4) & SR_TEF);
	assert_int_equal(fake_nor_commands(f->chip), 1);
	assert_int_equal(sim_qspi_counters(f->qspi)->transfer_errors, 2);
}

static void test_status_polling(void **state)
{
	struct fixture *f = *state;
	unsigned int reads = 0;
	uint32_t sr;

	init(f, 0);
	fake_nor_set_busy_reads(f->chip, 3);
	write_enable(f);
	wr(f, R_CCR, 4, CCR_SECTOR);
	wr(f, R_AR, 4, 0x1000);
	clear_tcf(f);
	/* §4.11 auto-poll WIP: PSMKR=1, PSMAR=0, AND, APMS */
	wr(f, R_PSMKR, 4, 0x01);
	wr(f, R_PSMAR, 4, 0x00);
	wr(f, R_PIR, 4, 0x10);
	wr(f, R_CR, 4, (1u << 22) | 1u);
	wr(f, R_DLR, 4, 0);
	wr(f, R_CCR, 4, CCR_POLL_SR);
	do {
		sr = rd(f, R_SR, 4);
		reads++;
		assert_true(reads < 10);
	} while (!(sr & SR_SMF));
	/* status reads: the first (at start) and two more show WIP, the 4th matches */
	assert_int_equal(sim_qspi_counters(f->qspi)->polls, 4);
	assert_int_equal(reads, 3);
	assert_false(sr & SR_BUSY);	/* APMS stopped it */
	assert_false(sr & SR_TCF);	/* a match is not a transfer completion */
	assert_true(sr & SR_FTF);
	assert_int_equal(rd(f, R_DR, 4) & 0x03, 0x00);	/* WIP and WEL clear */
	assert_false(rd(f, R_SR, 4) & SR_FTF);	/* DR read clears FTF */
	assert_int_equal(f->array[0x1000], 0xFF);
	wr(f, R_FCR, 4, SR_SMF);
	assert_false(rd(f, R_SR, 4) & SR_SMF);
	assert_false(fake_nor_selected(f->chip));
}

/* OR mode without APMS: polls go on after a match until ABORT. */
static void test_polling_or_mode_needs_abort(void **state)
{
	struct fixture *f = *state;
	uint32_t sr;

	init(f, 0);
	write_enable(f);	/* WEL = 1, WIP = 0: status 0x02 */
	wr(f, R_PSMKR, 4, 0x03);
	wr(f, R_PSMAR, 4, 0x03);	/* OR: WEL matches even though WIP does not */
	wr(f, R_CR, 4, (1u << 23) | 1u);
	wr(f, R_DLR, 4, 0);
	wr(f, R_CCR, 4, CCR_POLL_SR);
	sr = rd(f, R_SR, 4);
	assert_true(sr & SR_SMF);
	assert_true(sr & SR_BUSY);	/* APMS=0: keeps polling */
	assert_int_equal(rd(f, R_DR, 4), 0x02);
	/* AND mode would not have matched: check with the same status */
	wr(f, R_CCR, 4, CCR_READ_SR);	/* ignored while BUSY, logged */
	assert_int_equal(rd(f, R_CCR, 4), CCR_POLL_SR);
	assert_int_equal(f->log_count, 1);
	wr(f, R_CR, 4, (1u << 23) | 1u | 2u);	/* ABORT */
	sr = rd(f, R_SR, 4);
	assert_false(sr & SR_BUSY);
	assert_true(sr & SR_TCF);
	assert_int_equal(rd(f, R_CR, 4) & 2u, 0);	/* ABORT self-clears */
	wr(f, R_FCR, 4, SR_SMF | SR_TCF);
	wr(f, R_CR, 4, 1u);	/* AND */
	wr(f, R_CCR, 4, CCR_POLL_SR);
	assert_false(rd(f, R_SR, 4) & SR_SMF);
	assert_true(rd(f, R_SR, 4) & SR_BUSY);
}

static void test_abort_mid_read(void **state)
{
	struct fixture *f = *state;
	uint32_t sr;

	init(f, 0);
	wr(f, R_DLR, 4, 99);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, 0x100);
	assert_int_equal(rd(f, R_DR, 1), f->array[0x100]);
	assert_true(fake_nor_selected(f->chip));
	wr(f, R_CR, 4, rd(f, R_CR, 4) | 2u);
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 0);
	assert_true(sr & SR_TCF);
	assert_false(sr & SR_BUSY);
	assert_false(fake_nor_selected(f->chip));
	assert_int_equal(sim_qspi_counters(f->qspi)->aborts, 1);
	/* a new command works at once */
	clear_tcf(f);
	wr(f, R_DLR, 4, 2);
	wr(f, R_CCR, 4, CCR_READ_ID);
	assert_int_equal(rd(f, R_DR, 1), 0xEF);
}

static void test_mmap_enter_leave(void **state)
{
	struct fixture *f = *state;
	uint32_t sr;

	init(f, 0);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_true(sim_qspi_mmap_active(f->qspi));
	assert_string_equal(fake_window.name, "qspi-mmap");
	assert_int_equal(fake_window.base, 0x90000000u);
	assert_int_equal(fake_window.size, CHIP_SIZE);
	assert_ptr_equal(fake_window.ptr, f->array);	/* the chip answers 03h: zero-copy */
	sr = rd(f, R_SR, 4);
	assert_false(sr & SR_BUSY);	/* bank accesses are not seen: BUSY stays 0 */
	assert_int_equal(SR_FLEVEL(sr), 0);
	assert_int_equal(rd(f, R_DR, 4), 0);	/* DR reads 0 in memory-mapped mode */
	assert_false(fake_nor_selected(f->chip));
	/* AR is not writable in memory-mapped mode */
	wr(f, R_AR, 4, 0x1234);
	assert_int_equal(rd(f, R_AR, 4), 0);
	/* leave by ABORT: window gone */
	wr(f, R_CR, 4, rd(f, R_CR, 4) | 2u);
	assert_false(sim_qspi_mmap_active(f->qspi));
	assert_null(fake_window.ptr);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	/* OpenOCD's set_mm_mode: CR, then CCR again */
	clear_tcf(f);
	wr(f, R_CR, 4, 1u);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_ptr_equal(fake_window.ptr, f->array);
	/* leave by EN=0, and come back with EN=1 (CCR still FMODE=11) */
	wr(f, R_CR, 4, 0);
	assert_null(fake_window.ptr);
	wr(f, R_CR, 4, 1u);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_int_equal(sim_qspi_counters(f->qspi)->mmap_entries, 3);
	assert_int_equal(sim_qspi_counters(f->qspi)->mmap_slow, 0);
	assert_int_equal(f->log_count, 0);
	/* a new command without ABORT leaves memory-mapped mode, logged */
	wr(f, R_DLR, 4, 2);
	wr(f, R_CCR, 4, CCR_READ_ID);
	assert_null(fake_window.ptr);
	assert_int_equal(f->log_count, 1);
	assert_int_equal(rd(f, R_DR, 4), 0x1840EFu);
	/* HAL re-init with FMODE=11 left in CCR: EN 0->1 maps the bank again
	 * and BUSY=0 lets the next CCR write through */
	wr(f, R_CCR, 4, CCR_MM_03);
	wr(f, R_CR, 4, 0);
	wr(f, R_CR, 4, 1u);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	/* DCR written in memory-mapped mode resizes the window */
	wr(f, R_DCR, 4, 20u << 16);
	assert_int_equal(fake_window.size, 2u << 20);
}

/* FSIZE larger than the chip: window capped to the chip. */
static void test_mmap_window_capped(void **state)
{
	struct fixture *f = *state;

	init(f, 0);
	wr(f, R_CR, 4, 0);
	wr(f, R_DCR, 4, 24u << 16);	/* 32 MiB */
	wr(f, R_CR, 4, 1u);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_int_equal(fake_window.size, CHIP_SIZE);
	wr(f, R_CR, 4, 3u);
	wr(f, R_CR, 4, 0);
	wr(f, R_DCR, 4, 21u << 16);	/* 4 MiB */
	wr(f, R_CR, 4, 1u);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_int_equal(fake_window.size, 4u << 20);
	assert_ptr_equal(fake_window.ptr, f->array);
}

/* EBh needs QE: without it the chip ignores the command and the window reads 0xFF. */
static void test_mmap_quad_needs_qe(void **state)
{
	struct fixture *f = *state;
	uint8_t ff[64];

	memset(ff, 0xFF, sizeof(ff));
	init(f, 0);
	wr(f, R_CR, 4, 0);
	wr(f, R_DCR, 4, 19u << 16);	/* 1 MiB window keeps the slow path short */
	wr(f, R_CR, 4, 1u);
	wr(f, R_ABR, 4, 0x00);		/* mode bits: no continuous read */
	wr(f, R_CCR, 4, CCR_MM_EB);
	assert_non_null(fake_window.ptr);
	assert_ptr_not_equal(fake_window.ptr, f->array);
	assert_int_equal(fake_window.size, 1u << 20);
	assert_memory_equal(fake_window.ptr, ff, sizeof(ff));
	assert_memory_equal(fake_window.ptr + (1u << 20) - 64, ff, sizeof(ff));
	assert_int_equal(sim_qspi_counters(f->qspi)->mmap_slow, 1);
	assert_true(f->log_count >= 1);
	wr(f, R_CR, 4, 3u);
	assert_null(fake_window.ptr);
	/* with QE set the same CCR maps the array directly */
	fake_nor_set_qe(f->chip, true);
	wr(f, R_CCR, 4, CCR_MM_EB);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_true(fake_nor_bytes(f->chip, 4) > 0);	/* address and data went on 4 lines */
	/* a wrong dummy count shifts the data: slow path with the shifted bytes */
	wr(f, R_CR, 4, 3u);
	wr(f, R_CCR, 4, (CCR_MM_EB & ~(0x1Fu << 18)) | (2u << 18));
	assert_ptr_not_equal(fake_window.ptr, f->array);
	/* 2 missing dummy clocks on 4 lines = one byte early: the first byte is
	 * clocked in the dummy phase (0xFF), then the array from address 0 */
	assert_int_equal(fake_window.ptr[0], 0xFF);
	assert_memory_equal(fake_window.ptr + 1, f->array, 31);
}

/* OpenOCD's SFDP read: DCYC=0, bytes before 0x53 are dummy. */
static void test_sfdp_read_like_openocd(void **state)
{
	struct fixture *f = *state;
	unsigned int dummy_bytes = 0;

	init(f, 0);
	wr(f, R_CR, 4, rd(f, R_CR, 4) | 2u);
	while (rd(f, R_SR, 4) & SR_BUSY)
		;
	clear_tcf(f);
	wr(f, R_DLR, 4, 63);
	wr(f, R_CCR, 4, CCR_SFDP_OCD);
	wr(f, R_AR, 4, 0);
	while ((uint8_t)rd(f, R_DR, 1) != 0x53) {
		dummy_bytes++;
		assert_true(dummy_bytes < 64);
	}
	assert_int_equal(dummy_bytes, 1);	/* 8 dummy clocks on one line */
	assert_int_equal(rd(f, R_DR, 1), 0x46);
	assert_int_equal(rd(f, R_DR, 2), 0x5044);	/* "DP" */
	wr(f, R_CR, 4, rd(f, R_CR, 4) | 2u);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
}

static void test_clock_gate(void **state)
{
	struct fixture *f = *state;

	init(f, 0);
	f->clock_on = false;
	assert_int_equal(rd(f, R_CR, 4), 0);
	wr(f, R_DLR, 4, 2);
	wr(f, R_CCR, 4, CCR_READ_ID);
	assert_int_equal(fake_nor_commands(f->chip), 0);
	f->clock_on = true;
	assert_int_equal(rd(f, R_CR, 4), 1u);
	assert_int_equal(rd(f, R_DLR, 4), 0);
	assert_int_equal(rd(f, R_CCR, 4), 0);
}

static void test_no_command_while_disabled(void **state)
{
	struct fixture *f = *state;

	wr(f, R_DCR, 4, 23u << 16);
	wr(f, R_DLR, 4, 2);
	wr(f, R_CCR, 4, CCR_READ_ID);
	assert_int_equal(fake_nor_commands(f->chip), 0);
	assert_false(rd(f, R_SR, 4) & (SR_BUSY | SR_TCF));
	assert_int_equal(f->log_count, 1);
}

/* Excess bytes beyond DLR+1 are flushed at TCF, and logged. */
static void test_write_excess_bytes(void **state)
{
	struct fixture *f = *state;

	init(f, 0);
	write_enable(f);
	wr(f, R_DLR, 4, 1);
	wr(f, R_CCR, 4, CCR_PP);
	wr(f, R_AR, 4, 0x2000);
	wr(f, R_DR, 4, 0x00000000u);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_int_equal(f->log_count, 1);
	assert_int_equal(f->array[0x2000], 0);
	assert_int_equal(f->array[0x2001], 0);
	assert_int_not_equal(f->array[0x2002], 0);
}

#define NS	1000ull		/* picoseconds */
/* EBh quad I/O read (1-4-4) as an indirect read: address and mode byte on
 * 4 lines, 4 dummy cycles */
#define CCR_QIOR	((CCR_MM_EB & ~0x0C000000u) | 0x04000000u)

/*
 * The kernel clock follows the RCC: each command is timed at the clock
 * the RCC selects when it starts (a 1-1-1 03h read of 4 bytes, 32 phase
 * cycles and 8 a byte, at 100, 200 and 50 MHz, prescaler 1); a stopped
 * clock is logged once as misuse and timed at the configured clock.
 */
static void test_bus_time_follows_rcc_kernel_clock(void **state)
{
	struct fixture *f = *state;
	static const uint32_t kernel[] = { KERNEL_HZ, 2 * KERNEL_HZ, KERNEL_HZ / 2, 0 };

	for (size_t i = 0; i < sizeof(kernel) / sizeof(kernel[0]); i++) {
		uint32_t hz = kernel[i] ? kernel[i] : KERNEL_HZ;
		uint64_t cycle = 2000000000000ull / hz;	/* prescaler 1: SCK = kernel / 2 */
		uint64_t wire0 = sim_qspi_counters(f->qspi)->wire_ps;
		uint64_t misuse0 = sim_qspi_counters(f->qspi)->misuse;
		unsigned int logs0 = f->log_count;

		f->rcc_kernel_hz = kernel[i];
		wr(f, R_CR, 4, 1u << 24);
		wr(f, R_DCR, 4, 23u << 16 | 2u << 8);
		wr(f, R_CR, 4, 1u << 24 | 1u);
		f->now_ps += 1000 * NS;
		wr(f, R_DLR, 4, 3);
		wr(f, R_CCR, 4, CCR_READ);
		wr(f, R_AR, 4, 0x1000);
		assert_int_equal(fake_nor_clock(f->chip), hz / 2);
		f->now_ps += 10000 * NS;
		assert_true(rd(f, R_SR, 4) & SR_TCF);
		assert_int_equal(sim_qspi_counters(f->qspi)->wire_ps - wire0, (32 + 4 * 8) * cycle);
		assert_int_equal(sim_qspi_counters(f->qspi)->misuse - misuse0, kernel[i] ? 0 : 1);
		assert_int_equal(f->log_count - logs0, kernel[i] ? 0 : 1);
		rd(f, R_DR, 4);
		clear_tcf(f);
	}
	/* still stopped: no second log line */
	unsigned int logs0 = f->log_count;

	f->now_ps += 1000 * NS;
	wr(f, R_DLR, 4, 3);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, 0x1000);
	f->now_ps += 10000 * NS;
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_int_equal(f->log_count, logs0);
}

/*
 * Bus time per prescaler and line count: SCK = kernel / (PRESCALER + 1);
 * an 03h read (1-1-1) spends 8 + 24 cycles before its data, 8 per byte; an
 * EBh read (1-4-4) 8 + 6 (address) + 2 (mode byte) + 4 dummy cycles, 2 per
 * byte.  A FIFO byte
 * appears exactly when its last bit has been clocked, TCF with the last
 * one, and the next command waits out CSHT + 1 cycles of CS high.
 */
static void test_bus_time_per_prescaler_and_lines(void **state)
{
	struct fixture *f = *state;
	static const struct {
		uint32_t ccr;
		unsigned int prescaler, phase_cycles, byte_cycles;
	} cases[] = {
		{ CCR_READ, 1, 32, 8 },		/* SCK 50 MHz, 1 line */
		{ CCR_READ, 3, 32, 8 },		/* SCK 25 MHz */
		{ CCR_QIOR, 1, 20, 2 },		/* 4 lines, 4 dummy cycles */
		{ CCR_QIOR, 0, 20, 2 },		/* SCK 100 MHz */
	};

	fake_nor_set_qe(f->chip, true);		/* EBh drives 4 lines only with QE */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t cycle = 10 * NS * (cases[i].prescaler + 1);
		uint64_t t0, data0, byte = cases[i].byte_cycles * cycle;
		uint64_t wire0 = sim_qspi_counters(f->qspi)->wire_ps;

		wr(f, R_CR, 4, cases[i].prescaler << 24);
		wr(f, R_DCR, 4, 23u << 16 | 2u << 8);	/* CSHT 2: 3 cycles */
		wr(f, R_CR, 4, cases[i].prescaler << 24 | 1u);
		f->now_ps += 1000 * NS;			/* CS has been high long enough */
		wr(f, R_DLR, 4, 3);
		wr(f, R_CCR, 4, cases[i].ccr);
		t0 = f->now_ps;
		wr(f, R_AR, 4, 0x1000);
		assert_int_equal(fake_nor_clock(f->chip), KERNEL_HZ / (cases[i].prescaler + 1));
		data0 = t0 + cases[i].phase_cycles * cycle;
		f->now_ps = data0 + byte - 1;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
		assert_true(fake_nor_selected(f->chip));
		f->now_ps = data0 + byte;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 1);
		f->now_ps = data0 + 4 * byte - 1;
		assert_false(rd(f, R_SR, 4) & SR_TCF);
		f->now_ps = data0 + 4 * byte;
		uint32_t sr = rd(f, R_SR, 4);
		assert_true(sr & SR_TCF);
		assert_int_equal(SR_FLEVEL(sr), 4);
		assert_false(fake_nor_selected(f->chip));
		assert_int_equal(sim_qspi_counters(f->qspi)->wire_ps - wire0,
				 (cases[i].phase_cycles + 4 * cases[i].byte_cycles) * cycle);
		assert_int_equal(rd(f, R_DR, 4), f->array[0x1000] | f->array[0x1001] << 8 |
				 f->array[0x1002] << 16 | (uint32_t)f->array[0x1003] << 24);
		clear_tcf(f);

		/* CS high time: a command started at once begins 3 cycles later */
		t0 = f->now_ps;
		wr(f, R_DLR, 4, 0);
		wr(f, R_CCR, 4, cases[i].ccr);
		wr(f, R_AR, 4, 0x2000);
		f->now_ps = t0 + (3 + cases[i].phase_cycles) * cycle + byte - 1;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
		f->now_ps += 1;
		assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 1);
		(void)rd(f, R_DR, 1);
		clear_tcf(f);
	}
	/* a command without data is BUSY for its phases only: 06h, 8 cycles */
	f->now_ps += 1000 * NS;
	wr(f, R_CCR, 4, CCR_WREN);
	assert_true(rd(f, R_SR, 4) & SR_BUSY);
	f->now_ps += 8 * 10 * NS;
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	assert_true(rd(f, R_SR, 4) & SR_TCF);
}

/*
 * FIFO flags under load.  Read: left alone, the FIFO fills to 32 bytes
 * and the clock stops (no TCF however long software waits), FTF follows
 * FTHRES, each byte popped lets one more in one byte time later, and a DR
 * read of an empty FIFO stalls until the next byte.  Write: 32 bytes
 * pushed at once fill the FIFO (FTF clear: fewer than FTHRES + 1 free),
 * they leave one per byte time after the command phases, a DR write to a
 * full FIFO stalls, and TCF, CS high and BUSY = 0 come after the last byte.
 * A register access reads the clock once (its parts happen at one instant).
 */
static void test_fifo_flags_under_load(void **state)
{
	struct fixture *f = *state;
	uint64_t byte = 80 * NS;	/* SCK 100 MHz, 1 line */
	uint64_t t0, stalls;
	uint32_t sr;

	init(f, 3);			/* FTHRES 3: FTF at 4 bytes (read) / 4 free (write) */
	wr(f, R_DLR, 4, 99);
	wr(f, R_CCR, 4, CCR_READ);
	t0 = f->now_ps;
	wr(f, R_AR, 4, 0);
	f->now_ps = t0 + 32 * 10 * NS + 3 * byte;
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 3);
	assert_false(sr & SR_FTF);
	f->now_ps += byte;
	assert_true(rd(f, R_SR, 4) & SR_FTF);
	f->now_ps += 1000000 * NS;	/* 1 ms: the FIFO is full, the clock stopped */
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 32);
	assert_true(sr & SR_BUSY);
	assert_false(sr & SR_TCF);
	assert_true(fake_nor_selected(f->chip));
	for (unsigned int i = 0; i < 8; i++)
		assert_int_equal(rd(f, R_DR, 4), f->array[4 * i] | f->array[4 * i + 1] << 8 |
				 f->array[4 * i + 2] << 16 | (uint32_t)f->array[4 * i + 3] << 24);
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 0);
	f->now_ps += byte;
	assert_int_equal(SR_FLEVEL(rd(f, R_SR, 4)), 1);
	(void)rd(f, R_DR, 1);
	stalls = sim_qspi_counters(f->qspi)->stalls;
	t0 = f->now_ps;
	for (unsigned int i = 33; i < 100; i++)
		assert_int_equal(rd(f, R_DR, 1), f->array[i]);
	assert_true(sim_qspi_counters(f->qspi)->stalls > stalls);
	assert_int_equal(f->now_ps - t0, 67 * byte);	/* the reader waited on the wire */
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	clear_tcf(f);

	/* write: 64 bytes of page program */
	f->now_ps += 1000 * NS;
	wr(f, R_CCR, 4, CCR_WREN);
	f->now_ps += 8 * 10 * NS;
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	clear_tcf(f);
	f->now_ps += 1000 * NS;
	wr(f, R_DLR, 4, 63);
	wr(f, R_CCR, 4, CCR_PP);
	wr(f, R_AR, 4, 0x3000);
	t0 = f->now_ps;
	f->clock_reads = 0;
	for (unsigned int i = 0; i < 8; i++)
		wr(f, R_DR, 4, 0x11111111u * i);
	assert_in_range(f->clock_reads, 1, 8);	/* one clock read an access at most */
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 32);
	assert_false(sr & SR_FTF);
	assert_true(sr & SR_BUSY);
	f->now_ps = t0 + 32 * 10 * NS + 4 * byte;
	sr = rd(f, R_SR, 4);
	assert_int_equal(SR_FLEVEL(sr), 28);
	assert_true(sr & SR_FTF);
	stalls = sim_qspi_counters(f->qspi)->stalls;
	for (unsigned int i = 8; i < 16; i++)
		wr(f, R_DR, 4, 0x11111111u * (i & 7));
	assert_true(sim_qspi_counters(f->qspi)->stalls > stalls);
	assert_true(fake_nor_selected(f->chip));
	assert_false(rd(f, R_SR, 4) & SR_TCF);
	f->now_ps = t0 + 32 * 10 * NS + 64 * byte;
	sr = rd(f, R_SR, 4);
	assert_true(sr & SR_TCF);
	assert_false(sr & SR_BUSY);
	assert_false(fake_nor_selected(f->chip));
}

/*
 * Memory-mapped reads take their bus time (debugger side): a first read of
 * 4 bytes through 03h at 50 MHz is a new command (32 cycles of instruction
 * and address, 8 per byte); the next address continues it (bytes only); a
 * jump elsewhere starts a new command after CSHT + 1 cycles of CS high.
 */
static void test_mmap_read_time(void **state)
{
	struct fixture *f = *state;
	uint64_t cycle = 20 * NS, t0;

	wr(f, R_CR, 4, 1u << 24);
	wr(f, R_DCR, 4, 23u << 16 | 2u << 8);
	wr(f, R_CR, 4, 1u << 24 | 1u);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_non_null(fake_window.ptr);
	assert_non_null(fake_window.read_cost);
	f->now_ps += 1000 * NS;
	t0 = f->now_ps;
	fake_window.read_cost(fake_window.read_cost_ctx, 0x100, 4);
	assert_int_equal(f->now_ps - t0, (32 + 4 * 8) * cycle);
	t0 = f->now_ps;
	fake_window.read_cost(fake_window.read_cost_ctx, 0x104, 4);
	assert_int_equal(f->now_ps - t0, 4 * 8 * cycle);
	t0 = f->now_ps;
	fake_window.read_cost(fake_window.read_cost_ctx, 0x8000, 4);
	assert_int_equal(f->now_ps - t0, (3 + 32 + 4 * 8) * cycle);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_reset_values_and_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_jedec_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_program_and_read_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_read_fifo_refill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_byte_and_tef, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_polling, setup, teardown),
		cmocka_unit_test_setup_teardown(test_polling_or_mode_needs_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abort_mid_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_enter_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_window_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_quad_needs_qe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sfdp_read_like_openocd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_command_while_disabled, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_excess_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bus_time_follows_rcc_kernel_clock, setup_timed_rcc, teardown),
		cmocka_unit_test_setup_teardown(test_bus_time_per_prescaler_and_lines, setup_timed,
						teardown),
		cmocka_unit_test_setup_teardown(test_fifo_flags_under_load, setup_timed, teardown),
		cmocka_unit_test_setup_teardown(test_mmap_read_time, setup_timed, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
