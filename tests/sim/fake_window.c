// SPDX-License-Identifier: GPL-2.0-or-later

/* Recording sim_bus_set_window() for the QUADSPI tests; see fake_window.h. */

#include <stdio.h>

#include "fake_window.h"

struct fake_window fake_window;

int sim_bus_set_window(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
		       const uint8_t *ptr)
{
	(void)bus;
	fake_window.calls++;
	snprintf(fake_window.name, sizeof(fake_window.name), "%s", name);
	fake_window.base = base;
	fake_window.size = ptr ? size : 0;
	fake_window.ptr = ptr;
	return 0;
}

int sim_bus_set_window_read_cost(struct sim_bus *bus, const char *name,
				 void (*read_cost)(void *ctx, uint32_t offset, unsigned int len),
				 void *ctx)
{
	(void)bus;
	(void)name;
	fake_window.read_cost = read_cost;
	fake_window.read_cost_ctx = ctx;
	return 0;
}
