/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Test double for sim_bus_set_window(): records the last call so the
 * QUADSPI tests can check that the memory-mapped window appears and
 * disappears, without the real bus.
 */

#ifndef TESTS_SIM_FAKE_WINDOW_H
#define TESTS_SIM_FAKE_WINDOW_H

#include <stdint.h>

#include "sim_bus.h"

struct fake_window {
	unsigned int calls;	/* sim_bus_set_window() calls so far */
	char name[32];
	uint32_t base;
	uint32_t size;		/* 0 while removed */
	const uint8_t *ptr;	/* NULL while removed */
	/* sim_bus_set_window_read_cost() */
	void (*read_cost)(void *ctx, uint32_t offset, unsigned int len);
	void *read_cost_ctx;
};

extern struct fake_window fake_window;

#endif /* TESTS_SIM_FAKE_WINDOW_H */
