/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The simulated system bus: an address map of RAM regions and device
 * (MMIO) regions.  Both the CPU (through Unicorn) and the debugger (through
 * the MEM-AP) reach memory here, so a register read has the same side
 * effects whoever performs it.
 *
 * Invariants:
 *  - regions never overlap; lookups are by address;
 *  - a device callback returns 0 on success or -1 for a bus error (which
 *    the CPU sees as a BusFault and the MEM-AP as a failed transfer);
 *  - sizes are 1, 2 or 4 bytes; offsets are relative to the region base.
 */

#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_bus;

struct sim_device_ops {
	int (*read)(void *opaque, uint32_t offset, unsigned int size, uint32_t *value);
	int (*write)(void *opaque, uint32_t offset, unsigned int size, uint32_t value);
};

/* A device model: registers + optional reset hook. */
struct sim_device {
	const char *name;
	uint32_t base;
	uint32_t size;
	const struct sim_device_ops *ops;
	void *opaque;
	void (*reset)(void *opaque);	/* system reset, may be NULL */
};

struct sim_bus *sim_bus_create(void);
void sim_bus_destroy(struct sim_bus *bus);

/* RAM region backed by memory (caller's if backing != NULL, else owned). */
int sim_bus_add_ram(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
		    uint8_t *backing, bool writable);
int sim_bus_add_device(struct sim_bus *bus, const struct sim_device *dev);

/*
 * A read-only window onto host memory that appears and disappears at run
 * time: the QUADSPI memory-mapped bank at 0x90000000 exists only while the
 * controller is in memory-mapped mode.  ptr == NULL removes the window, so
 * accesses there become bus errors (never stale data).  The CPU may execute
 * from a window.  Safe to call from a device callback while the CPU runs:
 * the bus applies the change to the CPU's view before the next instruction.
 */
int sim_bus_set_window(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
		       const uint8_t *ptr);

/* Debugger/test access; returns 0 or -1 on bus error. */
int sim_bus_read(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t *value);
int sim_bus_write(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t value);

#endif /* SIM_BUS_H */
