// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Integration tests: the controller models driving the real W25Q128JV chip
 * model (sim/nor_chip.c) the way firmware does.  Ground truth: the JEDEC ID
 * EF 40 18, the real SFDP dump tests/data/sfdp/w25q128jv.hex, and the
 * flash array itself.
 *  - QUADSPI: ID, SFDP as OpenOCD's stmqspi reads it, 4 KiB erase and a
 *    0x401-byte program ending on the last byte of the chip (page split as
 *    firmware does it), WIP by auto-polling, read back indirect and through
 *    the memory-mapped window, quad (EBh) memory-mapped before and after QE;
 *  - SPI v1 with a GPIO chip select: ID and a read;
 *  - GPIO bit-bang wiring: ID and a read.
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
#include "periph_gpio.h"
#include "periph_qspi.h"
#include "periph_spi.h"
#include "wiring_bitbang.h"

#define CHIP_SIZE	(16u << 20)

struct fixture {
	uint8_t *array;
	struct nor_chip *chip;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[128];

	f->array = malloc(CHIP_SIZE);
	for (uint32_t i = 0; i < CHIP_SIZE; i++)
		f->array[i] = (uint8_t)(i ^ (i >> 8) ^ (i >> 16) ^ 0x5A);
	f->chip = nor_chip_create("w25q128jv", f->array, CHIP_SIZE, NOR_TIMING_INSTANT, NULL,
				  err, sizeof(err));
	assert_non_null(f->chip);
	memset(&fake_window, 0, sizeof(fake_window));
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	nor_chip_destroy(f->chip);
	free(f->array);
	free(f);
	return 0;
}

static uint32_t rd(const struct sim_device *dev, uint32_t offset, unsigned int size)
{
	uint32_t value = 0xDEADBEEF;

	assert_int_equal(dev->ops->read(dev->opaque, offset, size, &value), 0);
	return value;
}

static void wr(const struct sim_device *dev, uint32_t offset, unsigned int size, uint32_t value)
{
	assert_int_equal(dev->ops->write(dev->opaque, offset, size, value), 0);
}

/* The first 16 bytes of the real SFDP dump. */
static void load_sfdp_head(uint8_t out[16])
{
	const char *srcdir = getenv("srcdir");
	char path[512];
	FILE *file;
	char line[64];

	snprintf(path, sizeof(path), "%s/tests/data/sfdp/w25q128jv.hex", srcdir ? srcdir : ".");
	file = fopen(path, "r");
	assert_non_null(file);
	assert_non_null(fgets(line, sizeof(line), file));
	fclose(file);
	for (unsigned int i = 0; i < 16; i++) {
		unsigned int byte;

		assert_int_equal(sscanf(line + 2 * i, "%2x", &byte), 1);
		out[i] = (uint8_t)byte;
	}
}

/* ------------------------------------------------------------- QUADSPI */

#define Q_CR	0x00u
#define Q_DCR	0x04u
#define Q_SR	0x08u
#define Q_FCR	0x0Cu
#define Q_DLR	0x10u
#define Q_CCR	0x14u
#define Q_AR	0x18u
#define Q_ABR	0x1Cu
#define Q_DR	0x20u
#define Q_PSMKR	0x24u
#define Q_PSMAR	0x28u

#define QSR_TCF		0x02u
#define QSR_SMF		0x08u
#define QSR_BUSY	0x20u

static void q_wait_idle(const struct sim_device *dev)
{
	for (unsigned int i = 0; rd(dev, Q_SR, 4) & QSR_BUSY; i++)
		assert_true(i < 1000);
	wr(dev, Q_FCR, 4, QSR_TCF);
}

static void q_abort(const struct sim_device *dev)
{
	wr(dev, Q_CR, 4, rd(dev, Q_CR, 4) | 2u);
	q_wait_idle(dev);
}

static void q_instruction(const struct sim_device *dev, uint8_t opcode)
{
	wr(dev, Q_CCR, 4, 0x00000100u | opcode);
	q_wait_idle(dev);
}

/* Auto-poll SR1 until WIP = 0 (§4.11). */
static void q_poll_wip(const struct sim_device *dev)
{
	unsigned int i;

	wr(dev, Q_PSMKR, 4, 0x01);
	wr(dev, Q_PSMAR, 4, 0x00);
	wr(dev, Q_DLR, 4, 0);
	wr(dev, Q_CR, 4, rd(dev, Q_CR, 4) | (1u << 22));
	wr(dev, Q_CCR, 4, 0x09000105u);
	for (i = 0; !(rd(dev, Q_SR, 4) & QSR_SMF); i++)
		assert_true(i < 1000);
	wr(dev, Q_FCR, 4, QSR_SMF);
	assert_false(rd(dev, Q_SR, 4) & QSR_BUSY);
	wr(dev, Q_CR, 4, rd(dev, Q_CR, 4) & ~(1u << 22));
}

static uint64_t idle_ns_max;
static unsigned int idle_calls;

static void record_idle(void *ctx, uint64_t ns)
{
	(void)ctx;
	idle_calls++;
	if (ns > idle_ns_max)
		idle_ns_max = ns;
}

/*
 * A status poll while the chip programs a page tells the reader how long
 * nothing can change: at most the W25Q128JV's typical tPP (0.4 ms,
 * datasheet), and more than its last 0.1 ms just after the program
 * started; once the chip is ready, and at instant timing, it does not.
 */
static void test_qspi_poll_idle(void **state)
{
	struct fixture *f = *state;
	char err[128];

	for (int typical = 1; typical >= 0; typical--) {
		memset(f->array, 0xFF, 256);	/* a blank page */
		struct nor_chip *chip = nor_chip_create("w25q128jv", f->array, CHIP_SIZE,
				typical ? NOR_TIMING_TYPICAL : NOR_TIMING_INSTANT, NULL, err, sizeof(err));
		struct sim_qspi_config config = { 0 };
		assert_non_null(chip);
		config.bus = (struct sim_bus *)0x1;
		config.chip[0] = chip;
		config.array[0] = f->array;
		config.idle = record_idle;
		struct sim_qspi *qspi = sim_qspi_create(&config);
		struct sim_device dev = sim_qspi_device(qspi);
		wr(&dev, Q_DCR, 4, 23u << 16);
		wr(&dev, Q_CR, 4, 1u);

		idle_calls = 0;
		idle_ns_max = 0;

		/* a whole page, then the auto-poll of WIP */
		q_instruction(&dev, 0x06);
		wr(&dev, Q_DLR, 4, 255);
		wr(&dev, Q_CCR, 4, 0x01002502u);
		wr(&dev, Q_AR, 4, 0);
		for (unsigned int i = 0; i < 64; i++)
			wr(&dev, Q_DR, 4, 0x12345678u);
		q_wait_idle(&dev);
		wr(&dev, Q_PSMKR, 4, 0x01);
		wr(&dev, Q_PSMAR, 4, 0x00);
		wr(&dev, Q_DLR, 4, 0);
		wr(&dev, Q_CR, 4, rd(&dev, Q_CR, 4) | (1u << 22));
		wr(&dev, Q_CCR, 4, 0x09000105u);
		unsigned int polls = 0;
		while (!(rd(&dev, Q_SR, 4) & QSR_SMF))
			polls++;
		if (typical) {
			assert_true(idle_calls >= 1);
			assert_true(idle_ns_max <= 400000);
			assert_true(idle_ns_max > 100000);
		} else {
			assert_int_equal(idle_calls, 0);
		}
		unsigned int calls = idle_calls;
		assert_true(rd(&dev, Q_SR, 4) & QSR_SMF);	/* ready: no idle hint */
		assert_int_equal(idle_calls, calls);
		assert_int_equal(f->array[0], 0x78);
		sim_qspi_destroy(qspi);
		nor_chip_destroy(chip);
		(void)polls;
	}
}

static void test_qspi_with_w25q128jv(void **state)
{
	struct fixture *f = *state;
	struct sim_qspi_config config = { 0 };
	struct sim_qspi *qspi;
	struct sim_device dev;
	uint8_t sfdp[16], got[16];
	const uint32_t start = CHIP_SIZE - 0x401;
	uint8_t *data = malloc(0x401);
	uint8_t *back = malloc(0x401);
	unsigned int dummy = 0;

	config.bus = (struct sim_bus *)0x1;
	config.chip[0] = f->chip;
	config.array[0] = f->array;
	qspi = sim_qspi_create(&config);
	dev = sim_qspi_device(qspi);
	wr(&dev, Q_CR, 4, 1u << 24);		/* PRESCALER 1 */
	wr(&dev, Q_DCR, 4, 23u << 16);		/* 16 MiB */
	wr(&dev, Q_CR, 4, (1u << 24) | 1u);

	/* JEDEC ID */
	wr(&dev, Q_DLR, 4, 2);
	wr(&dev, Q_CCR, 4, 0x0500019Fu);
	assert_int_equal(rd(&dev, Q_DR, 1), 0xEF);
	assert_int_equal(rd(&dev, Q_DR, 1), 0x40);
	assert_int_equal(rd(&dev, Q_DR, 1), 0x18);
	q_wait_idle(&dev);

	/* SFDP, OpenOCD style: DCYC = 0, skip bytes until 53h */
	load_sfdp_head(sfdp);
	q_abort(&dev);
	wr(&dev, Q_DLR, 4, 63);
	wr(&dev, Q_CCR, 4, 0x0500255Au);
	wr(&dev, Q_AR, 4, 0);
	while ((got[0] = (uint8_t)rd(&dev, Q_DR, 1)) != 0x53) {
		dummy++;
		assert_true(dummy < 64);
	}
	assert_int_equal(dummy, 1);		/* 8 dummy clocks on one line */
	for (unsigned int i = 1; i < 16; i++)
		got[i] = (uint8_t)rd(&dev, Q_DR, 1);
	assert_memory_equal(got, sfdp, 16);
	q_abort(&dev);

	/* erase the last 4 KiB sector, poll WIP */
	q_instruction(&dev, 0x06);
	wr(&dev, Q_CCR, 4, 0x00002520u);
	wr(&dev, Q_AR, 4, CHIP_SIZE - 4096);
	q_wait_idle(&dev);
	q_poll_wip(&dev);
	assert_int_equal(f->array[CHIP_SIZE - 4096], 0xFF);
	assert_int_equal(f->array[CHIP_SIZE - 1], 0xFF);
	assert_int_not_equal(f->array[CHIP_SIZE - 4097], 0xFF);

	/* program 0x401 bytes ending on the last byte of the chip, page by page */
	for (uint32_t i = 0; i < 0x401; i++)
		data[i] = (uint8_t)(i * 37 + 11);
	for (uint32_t done = 0; done < 0x401; ) {
		uint32_t addr = start + done;
		uint32_t chunk = 256 - (addr & 0xFF);

		if (chunk > 0x401 - done)
			chunk = 0x401 - done;
		q_instruction(&dev, 0x06);
		wr(&dev, Q_DLR, 4, chunk - 1);
		wr(&dev, Q_CCR, 4, 0x01002502u);
		wr(&dev, Q_AR, 4, addr);
		for (uint32_t i = 0; i < chunk; i++)
			wr(&dev, Q_DR, 1, data[done + i]);
		assert_true(rd(&dev, Q_SR, 4) & QSR_TCF);
		q_wait_idle(&dev);
		q_poll_wip(&dev);
		done += chunk;
	}
	assert_memory_equal(f->array + start, data, 0x401);
	assert_int_equal(f->array[start - 1], 0xFF);

	/* indirect read back (03h) with word accesses and a 1-byte tail */
	wr(&dev, Q_DLR, 4, 0x400);
	wr(&dev, Q_CCR, 4, 0x05002503u);
	wr(&dev, Q_AR, 4, start);
	for (uint32_t i = 0; i < 0x400; i += 4) {
		uint32_t w = rd(&dev, Q_DR, 4);

		memcpy(back + i, &w, 4);
	}
	back[0x400] = (uint8_t)rd(&dev, Q_DR, 1);
	assert_memory_equal(back, data, 0x401);
	q_wait_idle(&dev);

	/* memory-mapped 03h: the window is the array */
	wr(&dev, Q_CCR, 4, 0x0D002503u);
	assert_ptr_equal(fake_window.ptr, f->array);
	assert_int_equal(fake_window.size, CHIP_SIZE);
	assert_memory_equal(fake_window.ptr + start, data, 0x401);
	q_abort(&dev);
	assert_null(fake_window.ptr);

	/* memory-mapped EBh 1-4-4, M = 00h, 4 dummy clocks: needs QE */
	{
		const uint32_t ccr_eb = 0x0C000000u | (3u << 24) | (4u << 18) | (3u << 14) |
					(2u << 12) | (3u << 10) | (1u << 8) | 0xEBu;

		wr(&dev, Q_CR, 4, 0);
		wr(&dev, Q_DCR, 4, 19u << 16);	/* 1 MiB window: short slow path */
		wr(&dev, Q_CR, 4, (1u << 24) | 1u);
		wr(&dev, Q_ABR, 4, 0x00);
		wr(&dev, Q_CCR, 4, ccr_eb);
		assert_non_null(fake_window.ptr);
		assert_ptr_not_equal(fake_window.ptr, f->array);
		assert_int_equal(fake_window.ptr[0x1234], 0xFF);	/* the chip ignored EBh */
		assert_int_not_equal(f->array[0x1234], 0xFF);
		q_abort(&dev);
		/* QE = SR2 bit 1 via 31h */
		q_instruction(&dev, 0x06);
		wr(&dev, Q_DLR, 4, 0);
		wr(&dev, Q_CCR, 4, 0x01000131u);
		wr(&dev, Q_DR, 1, 0x02);
		q_wait_idle(&dev);
		q_poll_wip(&dev);
		wr(&dev, Q_CCR, 4, ccr_eb);
		assert_ptr_equal(fake_window.ptr, f->array);
		assert_int_equal(fake_window.size, 1u << 20);
		q_abort(&dev);
	}
	assert_int_equal(sim_qspi_counters(qspi)->misuse, 1);	/* EBh without QE */
	sim_qspi_destroy(qspi);
	free(data);
	free(back);
}

/* -------------------------------------------------------- SPI v1 + GPIO */

struct cs_wiring {
	struct nor_chip *chip;
	struct sim_gpio *port;
};

static void cs_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool level)
{
	struct cs_wiring *w = ctx;

	(void)gpio;
	if (pin == 4)
		nor_chip_select(w->chip, !level);
}

static bool cs_selected(void *ctx)
{
	struct cs_wiring *w = ctx;

	return !sim_gpio_line_level(w->port, 4);
}

static uint8_t spi_xfer(const struct sim_device *dev, uint8_t out)
{
	while (!(rd(dev, 0x08, 4) & 0x2u))
		;
	wr(dev, 0x0C, 4, out);
	while (!(rd(dev, 0x08, 4) & 0x1u))
		;
	return (uint8_t)rd(dev, 0x0C, 4);
}

static void test_spi_gpio_with_w25q128jv(void **state)
{
	struct fixture *f = *state;
	struct sim_clock_gate always = { NULL, NULL, 0, 0 };
	struct sim_gpio *pa = sim_gpio_create(SIM_GPIO_F1, 0, SIM_GPIO_F1_BASE(0), always);
	struct sim_device gpio = sim_gpio_device(pa);
	struct cs_wiring wiring = { f->chip, pa };
	struct sim_spi_config config = { 0 };
	struct sim_spi *spi;
	struct sim_device dev;

	sim_gpio_add_output_hook(pa, cs_hook, &wiring);
	config.base = SIM_SPI1_BASE;
	config.gate = always;
	config.chip = f->chip;
	config.chip_selected = cs_selected;
	config.ctx = &wiring;
	spi = sim_spi_create(&config);
	dev = sim_spi_device(spi);
	/* firmware init: CS high first, then CRL = 0xB4B3 in [31:16] (§3 example) */
	wr(&gpio, 0x10, 4, 1u << 4);
	wr(&gpio, 0x00, 4, 0xB4B34444u);
	wr(&dev, 0x00, 4, 0x0304u | (2u << 3));	/* SSM, SSI, MSTR, BR /8 */
	wr(&dev, 0x00, 4, 0x0344u | (2u << 3));	/* + SPE */

	wr(&gpio, 0x14, 4, 1u << 4);		/* CS low (BRR) */
	assert_int_equal(spi_xfer(&dev, 0x9F), 0xFF);
	assert_int_equal(spi_xfer(&dev, 0xFF), 0xEF);
	assert_int_equal(spi_xfer(&dev, 0xFF), 0x40);
	assert_int_equal(spi_xfer(&dev, 0xFF), 0x18);
	wr(&gpio, 0x10, 4, 1u << 4);		/* CS high */

	/* 03h read of the last 3 bytes of the chip */
	wr(&gpio, 0x14, 4, 1u << 4);
	spi_xfer(&dev, 0x03);
	spi_xfer(&dev, 0xFF);
	spi_xfer(&dev, 0xFF);
	spi_xfer(&dev, 0xFD);
	for (uint32_t a = CHIP_SIZE - 3; a < CHIP_SIZE; a++)
		assert_int_equal(spi_xfer(&dev, 0xFF), f->array[a]);
	wr(&gpio, 0x10, 4, 1u << 4);
	assert_int_equal(nor_chip_counters(f->chip)->commands, 2);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, 0);
	sim_spi_destroy(spi);
	sim_gpio_destroy(pa);
}

/* ------------------------------------------------------------ bit-bang */

static uint8_t bb_byte(const struct sim_device *dev, uint8_t out)
{
	uint8_t in = 0;

	for (int bit = 7; bit >= 0; bit--) {
		wr(dev, 0x10, 4, (out >> bit) & 1u ? (1u << 7) : (1u << 23));
		in = (uint8_t)(in << 1 | ((rd(dev, 0x08, 4) >> 6) & 1u));
		wr(dev, 0x10, 4, 1u << 5);	/* CLK up */
		wr(dev, 0x14, 4, 1u << 5);	/* CLK down */
	}
	return in;
}

static void test_bitbang_with_w25q128jv(void **state)
{
	struct fixture *f = *state;
	struct sim_clock_gate always = { NULL, NULL, 0, 0 };
	struct sim_gpio *pa = sim_gpio_create(SIM_GPIO_F1, 0, SIM_GPIO_F1_BASE(0), always);
	struct sim_device gpio = sim_gpio_device(pa);
	struct sim_bitbang *bb = sim_bitbang_create_f103(f->chip, pa);

	assert_non_null(bb);
	wr(&gpio, 0x10, 4, (1u << 4) | (1u << 3) | (1u << 2));
	wr(&gpio, 0x00, 4, 0x34333344u);
	wr(&gpio, 0x14, 4, 1u << 4);
	assert_int_equal(bb_byte(&gpio, 0x9F), 0xFF);
	assert_int_equal(bb_byte(&gpio, 0x00), 0xEF);
	assert_int_equal(bb_byte(&gpio, 0x00), 0x40);
	assert_int_equal(bb_byte(&gpio, 0x00), 0x18);
	wr(&gpio, 0x10, 4, 1u << 4);
	/* 0Bh fast read across the 8 MiB line, one dummy byte */
	wr(&gpio, 0x14, 4, 1u << 4);
	bb_byte(&gpio, 0x0B);
	bb_byte(&gpio, 0x7F);
	bb_byte(&gpio, 0xFF);
	bb_byte(&gpio, 0xFE);
	bb_byte(&gpio, 0x00);
	for (uint32_t a = 0x7FFFFE; a < 0x800002; a++)
		assert_int_equal(bb_byte(&gpio, 0x00), f->array[a]);
	wr(&gpio, 0x10, 4, 1u << 4);
	assert_int_equal(sim_bitbang_counters(bb)->bytes, 4 + 5 + 4);
	assert_int_equal(nor_chip_counters(f->chip)->misuse, 0);
	sim_gpio_destroy(pa);
	sim_bitbang_destroy(bb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_qspi_with_w25q128jv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_qspi_poll_idle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spi_gpio_with_w25q128jv, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bitbang_with_w25q128jv, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
