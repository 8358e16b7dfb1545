// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Teardown of the simulated boards in every state a session can leave them
 * in, above all the H750 with QUADSPI memory-mapped (what OpenOCD's
 * reset-init leaves behind when the simulator is stopped).  Leaving
 * memory-mapped mode removes the QUADSPI window from the bus, so the bus
 * must outlive the QUADSPI model: sim_board_destroy() used to free the bus
 * first.  Without a sanitizer the use after free is silent; the sanitized
 * build (make check-sanitize) fails on it.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "nor_chip.h"
#include "periph_qspi.h"
#include "sim_board.h"
#include "sim_bus.h"

#define RCC_AHB3ENR	(0x58024400u + 0xD4u)
#define RCC_QSPIEN	(1u << 14)
#define QSPI_CR		(SIM_QSPI_BASE + 0x00u)
#define QSPI_DCR	(SIM_QSPI_BASE + 0x04u)
#define QSPI_CCR	(SIM_QSPI_BASE + 0x14u)
#define CCR_MM_03	0x0D002503u	/* memory-mapped 1-1-1 READ 03h, 24-bit address */

static struct sim_board *make_board(const char *name, enum sim_wiring wiring, uint8_t **image)
{
	struct sim_board_options opt = { 0 };
	char err[256] = "";
	const char *part = sim_board_default_chip(name);
	size_t size = nor_chip_part_size(part);

	assert_true(size > 0);
	*image = aligned_alloc(4096, size);
	assert_non_null(*image);
	memset(*image, 0xFF, size);
	(*image)[0] = 0xA5;
	(*image)[size - 1] = 0x5A;	/* last byte of the chip */
	opt.board = name;
	opt.image = *image;
	opt.image_size = size;
	opt.timing = NOR_TIMING_INSTANT;
	opt.wiring = wiring;
	struct sim_board *b = sim_board_create(&opt, err, sizeof(err));
	if (!b)
		fail_msg("%s: %s", name, err);
	return b;
}

static void wr(struct sim_bus *bus, uint32_t addr, uint32_t value)
{
	assert_int_equal(sim_bus_write(bus, addr, 4, value), 0);
}

/* QUADSPI memory-mapped at exit: the window is removed while the bus lives. */
static void test_h750_destroy_while_memory_mapped(void **state)
{
	(void)state;
	uint8_t *image;
	struct sim_board *b = make_board("stm32h750", SIM_WIRING_SPI, &image);
	struct sim_bus *bus = sim_board_bus(b);
	uint32_t v = 0;

	/* OpenOCD's stm32h7x QUADSPI setup, reduced: clock, 16 MiB, EN, then CCR */
	wr(bus, RCC_AHB3ENR, RCC_QSPIEN);
	wr(bus, QSPI_CR, 0);
	wr(bus, QSPI_DCR, 23u << 16 | 2u << 8);
	wr(bus, QSPI_CR, 1);
	wr(bus, QSPI_CCR, CCR_MM_03);
	assert_int_equal(sim_bus_read(bus, SIM_QSPI_MMAP_BASE, 1, &v), 0);
	assert_int_equal(v, 0xA5);
	assert_int_equal(sim_bus_read(bus, SIM_QSPI_MMAP_BASE + 0xFFFFFF, 1, &v), 0);
	assert_int_equal(v, 0x5A);

	sim_board_destroy(b);
	free(image);
}

/* Every board straight after creation, and the bit-banged wiring. */
static void test_destroy_fresh_boards(void **state)
{
	(void)state;
	static const struct { const char *name; enum sim_wiring wiring; } boards[] = {
		{ "stm32h750", SIM_WIRING_SPI },
		{ "gd32f307", SIM_WIRING_SPI },
		{ "stm32f103", SIM_WIRING_SPI },
		{ "gd32f307", SIM_WIRING_GPIO },
		{ "stm32f103", SIM_WIRING_GPIO },
	};

	for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++) {
		uint8_t *image;
		struct sim_board *b = make_board(boards[i].name, boards[i].wiring, &image);
		sim_board_destroy(b);
		free(image);
	}
	sim_board_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h750_destroy_while_memory_mapped),
		cmocka_unit_test(test_destroy_fresh_boards),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
