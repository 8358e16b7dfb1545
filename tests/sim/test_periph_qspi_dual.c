// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * QUADSPI dual-flash mode (CR.DFM = 1) against two fake NOR chips on BK1
 * and BK2, each with its own pattern, so that every byte says which die it
 * came from.  The rules checked are RM0433's dual-flash mode as the
 * reference sheet stm32h7-quadspi.md (4.6, 4.8, 4.12 and "Dual-flash
 * mode") gives them: one command and address AR / 2 to both chips, data
 * bytes interleaved with FLASH1 on the even ones, AR bit 0 forced to 0 and
 * DL[0] to 1, status reads and polling over 2 bytes per status byte with
 * FLASH1 in the lower one, FSIZE covering both chips, and a memory-mapped
 * window that interleaves the two dies.
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

#define DIE_SIZE	(1u << 20)	/* 1 MiB per die, 2 MiB in all: FSIZE = 20 */
#define FSIZE_BOTH	20u

#define R_CR	0x00u
#define R_DCR	0x04u
#define R_SR	0x08u
#define R_FCR	0x0Cu
#define R_DLR	0x10u
#define R_CCR	0x14u
#define R_AR	0x18u
#define R_DR	0x20u
#define R_PSMKR	0x24u
#define R_PSMAR	0x28u

#define CR_EN	(1u << 0)
#define CR_DFM	(1u << 6)
#define CR_APMS	(1u << 22)

#define SR_TEF	0x01u
#define SR_TCF	0x02u
#define SR_SMF	0x08u
#define SR_BUSY	0x20u

#define CCR_READ_ID	0x0500019Fu	/* indirect read, 9Fh */
#define CCR_READ_SR	0x05000105u	/* indirect read, 05h */
#define CCR_WREN	0x00000106u	/* indirect write, 06h */
#define CCR_PP		0x01002502u	/* indirect write, 24-bit addr, 1-line data, 02h */
#define CCR_READ	0x05002503u	/* indirect read, 24-bit addr, 03h */
#define CCR_SECTOR	0x00002520u	/* indirect write, 24-bit addr, 20h */
#define CCR_POLL_SR	0x09000105u	/* auto-polling, 05h */
#define CCR_MM_03	0x0D002503u	/* memory-mapped 1-1-1 03h */

struct fixture {
	uint8_t *array[2];
	struct nor_chip *chip[2];
	struct sim_qspi *qspi;
	struct sim_device dev;
	unsigned int log_count;
};

static bool clock_on(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	(void)ctx;
	(void)reg_offset;
	(void)bit;
	return true;
}

static void log_sink(void *ctx, const char *msg)
{
	(void)msg;
	((struct fixture *)ctx)->log_count++;
}

/* Die 1 holds 0x10 + (a & 0x3F) patterns, die 2 0x80 + ...: never equal. */
static uint8_t die_byte(unsigned int die, uint32_t a)
{
	return (uint8_t)((die == 0 ? 0x10 : 0x80) + ((a * 7 + (a >> 8)) & 0x3F));
}

static int setup_with(void **state, bool second_die)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct sim_qspi_config config = { 0 };

	for (unsigned int d = 0; d < 2; d++) {
		f->array[d] = malloc(DIE_SIZE);
		for (uint32_t a = 0; a < DIE_SIZE; a++)
			f->array[d][a] = die_byte(d, a);
		f->chip[d] = fake_nor_create(f->array[d], DIE_SIZE);
	}
	config.bus = (struct sim_bus *)0x1;	/* only passed to the fake window */
	config.chip[0] = f->chip[0];
	config.array[0] = f->array[0];
	if (second_die) {
		config.chip[1] = f->chip[1];
		config.array[1] = f->array[1];
	}
	config.gate.enabled = clock_on;
	config.log = log_sink;
	config.log_ctx = f;
	f->qspi = sim_qspi_create(&config);
	f->dev = sim_qspi_device(f->qspi);
	memset(&fake_window, 0, sizeof(fake_window));
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true);
}

static int setup_one_die(void **state)
{
	return setup_with(state, false);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_qspi_destroy(f->qspi);
	for (unsigned int d = 0; d < 2; d++) {
		fake_nor_destroy(f->chip[d]);
		free(f->array[d]);
	}
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

/* OpenOCD's stm32h7x_dual_qspi.cfg order: CR with DFM (EN=0), DCR, then EN. */
static void init_dual(struct fixture *f)
{
	wr(f, R_CR, 4, CR_DFM);
	wr(f, R_DCR, 4, FSIZE_BOTH << 16 | 2u << 8);
	wr(f, R_CR, 4, CR_DFM | CR_EN);
}

static void clear_tcf(struct fixture *f)
{
	wr(f, R_FCR, 4, SR_TCF);
}

static void wait_tcf(struct fixture *f)
{
	assert_true(rd(f, R_SR, 4) & SR_TCF);
	assert_false(rd(f, R_SR, 4) & SR_BUSY);
	clear_tcf(f);
}

static void write_enable(struct fixture *f)
{
	wr(f, R_CCR, 4, CCR_WREN);
	wait_tcf(f);
}

/* 2 status bytes: FLASH1's in bits 7:0, FLASH2's in 15:8. */
static uint32_t read_status_pair(struct fixture *f)
{
	uint32_t v;

	wr(f, R_DLR, 4, 1);
	wr(f, R_CCR, 4, CCR_READ_SR);
	v = rd(f, R_DR, 2);
	wait_tcf(f);
	return v;
}

static void read_bank(struct fixture *f, uint32_t address, uint8_t *out, uint32_t len)
{
	wr(f, R_DLR, 4, len - 1);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, address);
	for (uint32_t i = 0; i < len; i++)
		out[i] = (uint8_t)rd(f, R_DR, 1);
	wait_tcf(f);
}

/* AR bit 0 and DL[0] are forced while DFM = 1; not without it. */
static void test_dual_forces_ar0_and_dl0(void **state)
{
	struct fixture *f = *state;

	wr(f, R_CR, 4, 0);
	wr(f, R_DLR, 4, 4);
	assert_int_equal(rd(f, R_DLR, 4), 4);
	init_dual(f);
	wr(f, R_DLR, 4, 4);
	assert_int_equal(rd(f, R_DLR, 4), 5);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, 0x101);
	assert_int_equal(rd(f, R_AR, 4), 0x100);
	/* DLR 5: six bytes, three from each die at die address 0x80 */
	for (unsigned int i = 0; i < 6; i++)
		assert_int_equal(rd(f, R_DR, 1), die_byte(i & 1, 0x80 + i / 2));
	wait_tcf(f);
	assert_int_equal(f->log_count, 0);
}

/* One command and address AR / 2 to both dies; FLASH1 even, FLASH2 odd. */
static void test_dual_read_interleaved(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[70];
	uint8_t id[6];

	init_dual(f);
	/* 9Fh: each die's 3 ID bytes, interleaved */
	wr(f, R_DLR, 4, 5);
	wr(f, R_CCR, 4, CCR_READ_ID);
	for (unsigned int i = 0; i < 6; i++)
		id[i] = (uint8_t)rd(f, R_DR, 1);
	wait_tcf(f);
	assert_memory_equal(id, "\xEF\xEF\x40\x40\x18\x18", 6);
	/* 70 bytes at bank 0x1FFBA: die address 0xFFDD, both dies */
	read_bank(f, 0x1FFBA, buf, sizeof(buf));
	for (unsigned int i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], die_byte(i & 1, 0xFFDD + i / 2));
	assert_int_equal(fake_nor_commands(f->chip[0]), 2);
	assert_int_equal(fake_nor_commands(f->chip[1]), 2);
	/* each die clocked its own half: opcode, 3 address bytes, 35 data */
	assert_int_equal(fake_nor_bytes(f->chip[0], 1), 1 + 3 + 1 + 3 + 35);
	assert_int_equal(fake_nor_bytes(f->chip[1], 1), 1 + 3 + 1 + 3 + 35);
}

/* A page program and a sector erase reach both dies at AR / 2. */
static void test_dual_program_and_erase_both_dies(void **state)
{
	struct fixture *f = *state;
	const uint8_t data[8] = { 0x01, 0x02, 0x04, 0x08, 0x03, 0x05, 0x06, 0x00 };

	init_dual(f);
	/* erase bank 0x2000-0x3FFF: die sector 0x1000 in both */
	write_enable(f);
	wr(f, R_CCR, 4, CCR_SECTOR);
	wr(f, R_AR, 4, 0x2000);
	wait_tcf(f);
	assert_int_equal(read_status_pair(f) & 0x0101, 0x0101);	/* both busy */
	assert_int_equal(read_status_pair(f) & 0x0303, 0);	/* both done */
	for (unsigned int d = 0; d < 2; d++) {
		for (uint32_t a = 0x1000; a < 0x2000; a++)
			assert_int_equal(f->array[d][a], 0xFF);
		assert_int_equal(f->array[d][0xFFF], die_byte(d, 0xFFF));
		assert_int_equal(f->array[d][0x2000], die_byte(d, 0x2000));
	}
	/* 8 bytes at bank 0x2100: die 1 gets the even ones at 0x1080 */
	write_enable(f);
	wr(f, R_DLR, 4, sizeof(data) - 1);
	wr(f, R_CCR, 4, CCR_PP);
	wr(f, R_AR, 4, 0x2100);
	for (unsigned int i = 0; i < sizeof(data); i++)
		wr(f, R_DR, 1, data[i]);
	wait_tcf(f);
	(void)read_status_pair(f);
	for (unsigned int i = 0; i < sizeof(data); i++)
		assert_int_equal(f->array[i & 1][0x1080 + i / 2], data[i]);
	assert_int_equal(f->array[0][0x1084], 0xFF);
	assert_int_equal(f->array[1][0x107F], 0xFF);
	assert_int_equal(fake_nor_last_opcode(f->chip[0]), 0x05);
	assert_int_equal(f->log_count, 0);
}

/* Status reads show each die: FLASH1 in the low byte, FLASH2 in the high one. */
static void test_dual_status_per_die(void **state)
{
	struct fixture *f = *state;

	init_dual(f);
	fake_nor_set_busy_reads(f->chip[0], 1);
	fake_nor_set_busy_reads(f->chip[1], 3);
	write_enable(f);
	assert_int_equal(read_status_pair(f), 0x0202);	/* WEL in both */
	wr(f, R_CCR, 4, CCR_SECTOR);
	wr(f, R_AR, 4, 0);
	wait_tcf(f);
	assert_int_equal(read_status_pair(f), 0x0101);
	assert_int_equal(read_status_pair(f), 0x0100);	/* FLASH1 ready, FLASH2 busy */
	assert_int_equal(read_status_pair(f), 0x0100);
	assert_int_equal(read_status_pair(f), 0x0000);
}

/* Auto-polling compares both dies: one busy die keeps the pair busy. */
static void test_dual_poll_waits_for_both(void **state)
{
	struct fixture *f = *state;
	unsigned int reads = 0;
	uint32_t sr;

	init_dual(f);
	fake_nor_set_busy_reads(f->chip[0], 1);
	fake_nor_set_busy_reads(f->chip[1], 4);
	write_enable(f);
	wr(f, R_CCR, 4, CCR_SECTOR);
	wr(f, R_AR, 4, 0x10000);
	wait_tcf(f);
	/* ST's MT25TL01G driver: mask and match WIP in both bytes, 2 status bytes */
	wr(f, R_PSMKR, 4, 0x0101);
	wr(f, R_PSMAR, 4, 0x0000);
	wr(f, R_CR, 4, CR_DFM | CR_APMS | CR_EN);
	wr(f, R_DLR, 4, 0);		/* DL[0] forced: 2 bytes anyway */
	wr(f, R_CCR, 4, CCR_POLL_SR);
	do {
		sr = rd(f, R_SR, 4);
		reads++;
		assert_true(reads < 10);
	} while (!(sr & SR_SMF));
	/* FLASH2 showed WIP in 4 status reads; the 5th read matched */
	assert_int_equal(sim_qspi_counters(f->qspi)->polls, 5);
	assert_false(sr & SR_BUSY);
	assert_int_equal(rd(f, R_DR, 4) & 0xFFFF, 0x0000);
	assert_int_equal(f->array[0][0x8000], 0xFF);
	assert_int_equal(f->array[1][0x8000], 0xFF);
	assert_int_equal(f->array[0][0x9000], die_byte(0, 0x9000));
}

/* FSIZE covers both dies: the last bank byte is in range, the next is not. */
static void test_dual_fsize_is_both(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[2];

	init_dual(f);
	read_bank(f, 2 * DIE_SIZE - 2, buf, 2);
	assert_int_equal(buf[0], die_byte(0, DIE_SIZE - 1));
	assert_int_equal(buf[1], die_byte(1, DIE_SIZE - 1));
	wr(f, R_DLR, 4, 1);
	wr(f, R_CCR, 4, CCR_READ);
	wr(f, R_AR, 4, 2 * DIE_SIZE);
	assert_true(rd(f, R_SR, 4) & SR_TEF);
	assert_int_equal(sim_qspi_counters(f->qspi)->transfer_errors, 1);
}

/* Memory-mapped: the window interleaves the dies and is as large as both. */
static void test_dual_mmap_interleaved(void **state)
{
	struct fixture *f = *state;

	init_dual(f);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_true(sim_qspi_mmap_active(f->qspi));
	assert_int_equal(fake_window.size, 2 * DIE_SIZE);
	assert_non_null(fake_window.ptr);
	for (uint32_t a = 0; a < 2 * DIE_SIZE; a += 0x1001)
		assert_int_equal(fake_window.ptr[a], die_byte(a & 1, a / 2));
	assert_int_equal(fake_window.ptr[2 * DIE_SIZE - 1], die_byte(1, DIE_SIZE - 1));
	assert_int_equal(sim_qspi_counters(f->qspi)->mmap_slow, 0);
	/* a program through indirect mode shows at the next entry */
	wr(f, R_CR, 4, CR_DFM | CR_EN | 2u);	/* ABORT */
	assert_null(fake_window.ptr);
	clear_tcf(f);
	write_enable(f);
	wr(f, R_DLR, 4, 1);
	wr(f, R_CCR, 4, CCR_PP);
	wr(f, R_AR, 4, 0x40);
	wr(f, R_DR, 2, 0x0000);
	wait_tcf(f);
	(void)read_status_pair(f);
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_int_equal(fake_window.ptr[0x40], 0x00);
	assert_int_equal(fake_window.ptr[0x41], 0x00);
	assert_int_equal(fake_window.ptr[0x42], die_byte(0, 0x21));
}

/* FLASH2 not fitted: its bytes read 0xFF, and the window shows that too. */
static void test_dual_missing_die_reads_ff(void **state)
{
	struct fixture *f = *state;
	uint8_t buf[8];

	init_dual(f);
	read_bank(f, 0x100, buf, sizeof(buf));
	for (unsigned int i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], (i & 1) ? 0xFF : die_byte(0, 0x80 + i / 2));
	wr(f, R_CCR, 4, CCR_MM_03);
	assert_int_equal(fake_window.size, 2 * DIE_SIZE);
	assert_int_equal(fake_window.ptr[0x100], die_byte(0, 0x80));
	assert_int_equal(fake_window.ptr[0x101], 0xFF);
	assert_int_equal(sim_qspi_counters(f->qspi)->mmap_slow, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_dual_forces_ar0_and_dl0, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_read_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_program_and_erase_both_dies, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dual_status_per_die, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_poll_waits_for_both, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_fsize_is_both, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_mmap_interleaved, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dual_missing_die_reads_ff, setup_one_die,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
