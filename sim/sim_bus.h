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
	bool gates_ram;			/* a write may open or close a gated RAM
					 * (the RCC's clock enables) */
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

/*
 * Debugger access to plain RAM while the CPU runs on another thread: when
 * [addr, addr + size) is an aligned access inside a RAM region (writable
 * for a write), performs it as one atomic access on the shared memory and
 * returns true (a write also marks the range's translated code stale for
 * the next sim_bus_sync_cpu).  Returns false, touching nothing, for
 * anything else (devices, windows, clock-gated RAM, unaligned): the caller
 * must then stop the CPU and use sim_bus_read/sim_bus_write.
 */
bool sim_bus_ram_access_running(struct sim_bus *bus, uint32_t addr, unsigned int size,
				bool write, uint32_t *value);

/*
 * Time a debugger read through window `name` costs: read_cost(ctx, offset,
 * len) is called before each debugger/test read of the window (offset from
 * its base) and may stall the caller (the QUADSPI bank takes its bus time).
 * CPU fetches and loads through the window are not seen (Unicorn reads the
 * mapped memory directly).  NULL removes it; kept across window changes.
 */
int sim_bus_set_window_read_cost(struct sim_bus *bus, const char *name,
				 void (*read_cost)(void *ctx, uint32_t offset, unsigned int len),
				 void *ctx);

/* Debugger/test access; returns 0 or -1 on bus error. */
int sim_bus_read(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t *value);
int sim_bus_write(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t value);

/* ---------------------------------------------------------------------- */
/* Added by the core/machine (sim_bus.c): the CPU side of the bus.        */

struct uc_struct;

/*
 * RAM whose clock can be gated (STM32H7 SRAM1-3): while enabled(ctx) is
 * false, reads return 0 and writes are lost, for the CPU and the debugger
 * alike.  The bus re-evaluates the gate after every CPU device write and
 * on sim_bus_sync_cpu().
 */
int sim_bus_add_gated_ram(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
			  bool (*enabled)(void *ctx), void *ctx);

/* Map every region into the CPU's engine (now and when added later). */
int sim_bus_attach_cpu(struct sim_bus *bus, struct uc_struct *uc);
/*
 * How the bus asks the CPU to stop from inside a CPU device access (to
 * apply a window change, or to take a fault).  The core installs a handler
 * that stops at the next block boundary; without one the bus calls
 * uc_emu_stop() directly.
 */
void sim_bus_set_cpu_stop(struct sim_bus *bus, void (*stop)(void *ctx), void *ctx);
/* With the CPU stopped: apply deferred window/gate changes and drop
 * translated code that the debugger or a window change made stale. */
void sim_bus_sync_cpu(struct sim_bus *bus);
/*
 * Which 1 KiB pages the CPU has run code from: one bit a page over the
 * 32-bit address space (bit (addr >> 10) & 7 of byte addr >> 13), set by
 * the core's block hook on the CPU thread.  A debugger write makes
 * translations stale only in such a page; a write anywhere else (a FIFO, a
 * parameter block) costs the CPU no stop to drop code.
 */
#define SIM_BUS_CODE_PAGE_SHIFT	10
uint8_t *sim_bus_code_map(struct sim_bus *bus);
/* Drop every translated block of every RAM/window region (code may have
 * changed behind the CPU's back, e.g. an internal-flash erase). */
void sim_bus_invalidate_code(struct sim_bus *bus);
/* True when a change is waiting for sim_bus_sync_cpu(). */
bool sim_bus_cpu_sync_pending(const struct sim_bus *bus);
/* A device answered a CPU access with a bus error: address and direction
 * (the CPU was stopped; the core turns this into a BusFault).  Clears it. */
bool sim_bus_take_cpu_fault(struct sim_bus *bus, uint32_t *addr, bool *is_write);
/* Call every device's reset hook (system reset). */
void sim_bus_reset_devices(struct sim_bus *bus);
/* Host pointer to len bytes of RAM/window at addr, or NULL. */
uint8_t *sim_bus_ram_pointer(struct sim_bus *bus, uint32_t addr, uint32_t len);
/* Block access for the debugger/tests (byte granular, device regions
 * accessed with the widest aligned size). */
int sim_bus_read_block(struct sim_bus *bus, uint32_t addr, uint8_t *buf, uint32_t len);
int sim_bus_write_block(struct sim_bus *bus, uint32_t addr, const uint8_t *buf, uint32_t len);

#endif /* SIM_BUS_H */
