/* SPDX-License-Identifier: GPL-2.0-or-later */

/* Fake sim_bus for unit tests: see fake_bus.h. Little-endian RAM. */

#include <stdlib.h>
#include <string.h>

#include "fake_bus.h"

struct sim_bus *fake_bus_create(void)
{
	return calloc(1, sizeof(struct sim_bus));
}

void fake_bus_destroy(struct sim_bus *bus)
{
	free(bus);
}

void fake_bus_add_device(struct sim_bus *bus, const struct sim_device *dev)
{
	if (bus->device_count < sizeof(bus->devices) / sizeof(bus->devices[0]))
		bus->devices[bus->device_count++] = *dev;
}

/* Word block: opaque is the words array, followed by nothing (size gives the count). */
static int fake_words_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	uint32_t *words = opaque;

	if (size != 4 || (offset & 3))
		return -1;
	*value = words[offset / 4];
	return 0;
}

static int fake_words_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	uint32_t *words = opaque;

	if (size != 4 || (offset & 3))
		return -1;
	words[offset / 4] = value;
	return 0;
}

static const struct sim_device_ops fake_words_ops = {
	.read = fake_words_read,
	.write = fake_words_write,
};

void fake_bus_add_words(struct sim_bus *bus, uint32_t base, uint32_t *words, unsigned int count)
{
	struct sim_device d = {
		.name = "fake-words", .base = base, .size = 4 * count,
		.ops = &fake_words_ops, .opaque = words,
	};

	fake_bus_add_device(bus, &d);
}

void fake_bus_clear_log(struct sim_bus *bus)
{
	bus->log_count = 0;
}

static void fake_log(struct sim_bus *bus, bool write, uint32_t addr, unsigned int size,
		     uint32_t value)
{
	if (bus->log_count < FAKE_LOG_MAX)
		bus->log[bus->log_count] = (struct fake_access) { write, addr, size, value };
	bus->log_count++;
}

static int fake_access(struct sim_bus *bus, bool write, uint32_t addr, unsigned int size,
		       uint32_t *value)
{
	if (size != 1 && size != 2 && size != 4)
		return -1;
	if (addr - FAKE_RAM_BASE < FAKE_RAM_SIZE && addr - FAKE_RAM_BASE + size <= FAKE_RAM_SIZE) {
		uint8_t *p = bus->ram + (addr - FAKE_RAM_BASE);

		if (write) {
			for (unsigned int i = 0; i < size; i++)
				p[i] = *value >> (8 * i);
		} else {
			*value = 0;
			for (unsigned int i = 0; i < size; i++)
				*value |= (uint32_t)p[i] << (8 * i);
		}
		return 0;
	}
	for (unsigned int i = 0; i < bus->device_count; i++) {
		const struct sim_device *d = &bus->devices[i];

		if (addr - d->base < d->size)
			return write ? d->ops->write(d->opaque, addr - d->base, size, *value)
				     : d->ops->read(d->opaque, addr - d->base, size, value);
	}
	return -1;
}

/* The fake bus has no core running beside it: every access takes the paused path. */
bool sim_bus_ram_access_running(struct sim_bus *bus, uint32_t addr, unsigned int size,
				bool write, uint32_t *value)
{
	(void)bus; (void)addr; (void)size; (void)write; (void)value;
	return false;
}

int sim_bus_read(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t *value)
{
	int r = fake_access(bus, false, addr, size, value);

	fake_log(bus, false, addr, size, r == 0 ? *value : 0);
	return r;
}

int sim_bus_write(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t value)
{
	fake_log(bus, true, addr, size, value);
	return fake_access(bus, true, addr, size, &value);
}
