/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * A tiny stand-in for sim_bus used by the DAP and vdebug unit tests: one
 * RAM region, a few devices, bus errors everywhere else, and a log of the
 * accesses the DAP made (address, size, value), so tests can check byte
 * lanes and access sizes exactly.
 */

#ifndef FAKE_BUS_H
#define FAKE_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_bus.h"

#define FAKE_RAM_BASE		0x20000000u
#define FAKE_RAM_SIZE		0x10000u
#define FAKE_LOG_MAX		64

struct fake_access {
	bool write;
	uint32_t addr;
	unsigned int size;
	uint32_t value;
};

struct sim_bus {
	uint8_t ram[FAKE_RAM_SIZE];		/* at FAKE_RAM_BASE */
	struct sim_device devices[8];		/* registered devices */
	unsigned int device_count;
	struct fake_access log[FAKE_LOG_MAX];	/* first FAKE_LOG_MAX accesses since clear */
	unsigned int log_count;			/* accesses since clear (may exceed the log) */
};

struct sim_bus *fake_bus_create(void);
void fake_bus_destroy(struct sim_bus *bus);
void fake_bus_add_device(struct sim_bus *bus, const struct sim_device *dev);
void fake_bus_clear_log(struct sim_bus *bus);
/*
 * A register block at base backed by the caller's words[count] (32-bit
 * accesses only; others fail), e.g. a DBGMCU seen through one AP only.
 */
void fake_bus_add_words(struct sim_bus *bus, uint32_t base, uint32_t *words, unsigned int count);

#endif /* FAKE_BUS_H */
