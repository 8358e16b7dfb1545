// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The simulated system bus (see sim_bus.h): one address map shared by the
 * CPU (Unicorn) and the debugger (MEM-AP, tests).
 *
 * Owns: the region list, the CPU's view of it (RAM through uc_mem_map_ptr so
 * both sides see the same bytes, devices through uc_mmio_map page spans that
 * dispatch by address), deferred window and clock-gate changes, and the
 * record of a device bus error seen by the CPU.
 *
 * Invariants:
 *  - the debugger view is always current; the CPU view is brought up to date
 *    by sim_bus_sync_cpu(), which the machine calls with the CPU stopped
 *    before every resume;
 *  - a change requested while the CPU is inside a device callback stops the
 *    CPU (uc_emu_stop) so that the change applies before the next
 *    translation block runs;
 *  - only one thread uses the bus at a time (the machine serialises the CPU
 *    and the debugger), with one exception: sim_bus_ram_access_running(),
 *    the debugger's word-atomic access to plain RAM while the CPU runs.  It
 *    reads the region table (published with release/acquire, regions are
 *    only added, and RAM regions never change) and records the range
 *    written under dirty_lock, which sim_bus_sync_cpu() takes too.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicorn/unicorn.h>

#include "sim_bus.h"

#define SIM_BUS_MAX_REGIONS	96
#define SIM_BUS_MAX_SPANS	128
#define SIM_BUS_PAGE		0x1000u

enum sim_region_kind {
	SIM_REGION_RAM,
	SIM_REGION_DEVICE,
	SIM_REGION_WINDOW,
	SIM_REGION_GATED_RAM,
};

struct sim_region {
	char name[32];
	enum sim_region_kind kind;
	uint32_t base;
	uint32_t size;
	uint8_t *mem;			/* RAM / gated RAM backing, window target (NULL = absent) */
	bool owned;			/* mem allocated by the bus */
	bool writable;			/* RAM: CPU and debugger may write */
	struct sim_device dev;		/* device regions */
	bool (*enabled)(void *ctx);	/* gated RAM: clock query */
	void *enabled_ctx;
	void (*read_cost)(void *ctx, uint32_t offset, unsigned int len);	/* window */
	void *read_cost_ctx;
	/* CPU view as last applied */
	bool cpu_mapped;		/* something is mapped in Unicorn for it */
	const uint8_t *cpu_ptr;		/* window: pointer mapped; gated: mem if clocked */
	uint32_t cpu_size;		/* window: size mapped (page rounded) */
	const uint8_t *uc_ptr;		/* window: what Unicorn maps, readable or hidden */
	uint32_t uc_base;		/* window: where */
};

/* A uc_mmio_map'ed run of pages; accesses dispatch by absolute address. */
struct sim_mmio_span {
	struct sim_bus *bus;
	uint32_t base;
	uint32_t size;
	struct sim_region *last;	/* the region its last access found */
};

struct sim_bus {
	struct sim_region regions[SIM_BUS_MAX_REGIONS];
	unsigned int region_count;
	struct sim_mmio_span *spans[SIM_BUS_MAX_SPANS];
	unsigned int span_count;
	uc_engine *uc;			/* attached CPU engine, or NULL */
	bool in_cpu_access;		/* inside a CPU device callback */
	void (*cpu_stop)(void *ctx);	/* how to stop the CPU from a callback */
	void *cpu_stop_ctx;
	bool sync_pending;		/* a window/gate change awaits sim_bus_sync_cpu */
	pthread_mutex_t dirty_lock;	/* code_dirty, dirty_lo, dirty_hi */
	bool code_dirty;		/* debugger wrote RAM: stale translations */
	uint32_t dirty_lo, dirty_hi;	/* range written by the debugger */
	uint8_t *code_map;		/* sim_bus_code_map(), allocated on demand */
	bool cpu_fault;			/* a device refused a CPU access */
	uint32_t cpu_fault_addr;
	bool cpu_fault_write;
};

static uint32_t page_up(uint32_t v)
{
	return (v + SIM_BUS_PAGE - 1) & ~(SIM_BUS_PAGE - 1);
}

static bool ranges_overlap(uint32_t a, uint32_t as, uint32_t b, uint32_t bs)
{
	uint64_t a_end = (uint64_t)a + as, b_end = (uint64_t)b + bs;
	return a < b_end && b < a_end;
}

static struct sim_region *bus_find(struct sim_bus *bus, uint32_t addr)
{
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (addr >= r->base && (uint64_t)addr < (uint64_t)r->base + r->size)
			return r;
	}
	return NULL;
}

static struct sim_region *bus_find_name(struct sim_bus *bus, const char *name)
{
	for (unsigned int i = 0; i < bus->region_count; i++)
		if (!strcmp(bus->regions[i].name, name))
			return &bus->regions[i];
	return NULL;
}

struct sim_bus *sim_bus_create(void)
{
	struct sim_bus *bus = calloc(1, sizeof(struct sim_bus));

	if (bus)
		pthread_mutex_init(&bus->dirty_lock, NULL);
	return bus;
}

void sim_bus_destroy(struct sim_bus *bus)
{
	if (!bus)
		return;
	free(bus->code_map);
	for (unsigned int i = 0; i < bus->region_count; i++)
		if (bus->regions[i].owned)
			free(bus->regions[i].mem);
	for (unsigned int i = 0; i < bus->span_count; i++)
		free(bus->spans[i]);
	pthread_mutex_destroy(&bus->dirty_lock);
	free(bus);
}

static struct sim_region *bus_new_region(struct sim_bus *bus, const char *name, uint32_t base,
					 uint32_t size, enum sim_region_kind kind)
{
	if (size == 0 || bus->region_count >= SIM_BUS_MAX_REGIONS) {
		fprintf(stderr, "sim_bus: cannot add region %s (size 0 or too many regions)\n", name);
		return NULL;
	}
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (ranges_overlap(base, size, r->base, r->size)) {
			fprintf(stderr, "sim_bus: region %s 0x%08x+0x%x overlaps %s 0x%08x+0x%x\n",
				name, base, size, r->name, r->base, r->size);
			return NULL;
		}
	}
	struct sim_region *r = &bus->regions[bus->region_count];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->kind = kind;
	r->base = base;
	r->size = size;
	/* published after it is filled: sim_bus_ram_access_running() reads it */
	__atomic_store_n(&bus->region_count, bus->region_count + 1, __ATOMIC_RELEASE);
	return r;
}

/* ---- CPU side: MMIO spans ---------------------------------------------- */

static void note_gate_changes(struct sim_bus *bus);

static int region_read(struct sim_bus *bus, struct sim_region *r, uint32_t addr,
		       unsigned int size, uint32_t *value)
{
	uint32_t off = addr - r->base;
	switch (r->kind) {
	case SIM_REGION_DEVICE:
		return r->dev.ops->read(r->dev.opaque, off, size, value);
	case SIM_REGION_GATED_RAM:
		if (!r->enabled(r->enabled_ctx)) {
			*value = 0;
			return 0;
		}
		/* fall through */
	case SIM_REGION_RAM:
	case SIM_REGION_WINDOW:
		if (!r->mem)
			return -1;
		if (r->read_cost && !bus->in_cpu_access)
			r->read_cost(r->read_cost_ctx, off, size);
		*value = 0;
		memcpy(value, r->mem + off, size);
		return 0;
	}
	return -1;
}

uint8_t *sim_bus_code_map(struct sim_bus *bus)
{
	/* 512 KiB, of which only the pages the CPU touches get backed */
	if (!bus->code_map)
		bus->code_map = calloc(1, (1ull << 32) >> (SIM_BUS_CODE_PAGE_SHIFT + 3));
	return bus->code_map;
}

/* Has the CPU run code from a page of [addr, addr + len)?  (Without a map,
 * which only a bus with no core lacks, every page counts.) */
static bool ran_code(const struct sim_bus *bus, uint32_t addr, unsigned int len)
{
	const uint8_t *map = __atomic_load_n(&bus->code_map, __ATOMIC_ACQUIRE);
	if (!map)
		return true;
	uint64_t last = ((uint64_t)addr + (len ? len : 1) - 1) >> SIM_BUS_CODE_PAGE_SHIFT;
	for (uint64_t page = addr >> SIM_BUS_CODE_PAGE_SHIFT; page <= last; page++)
		if (__atomic_load_n(&map[page >> 3], __ATOMIC_RELAXED) & (1u << (page & 7)))
			return true;
	return false;
}

/*
 * Drop the translations of the pages of [base, base + size) the CPU has run
 * code from (the code map; without one, all of them).  A window the CPU
 * only read holds none, and Unicorn's invalidation of a whole 16 MiB
 * window (16 K pages collected one by one) took 100 us.
 */
static void remove_ran_code(struct sim_bus *bus, uint32_t base, uint64_t size)
{
	const uint8_t *map = __atomic_load_n(&bus->code_map, __ATOMIC_ACQUIRE);
	const uint64_t step = 1ull << SIM_BUS_CODE_PAGE_SHIFT;
	uint64_t end = (uint64_t)base + size, from = 0;
	bool in_run = false;

	if (!map) {
		uc_ctl_remove_cache(bus->uc, base, end);
		return;
	}
	for (uint64_t a = base & ~(step - 1); a < end; a += step) {
		uint64_t page = a >> SIM_BUS_CODE_PAGE_SHIFT;
		bool ran = __atomic_load_n(&map[page >> 3], __ATOMIC_RELAXED) & (1u << (page & 7));
		if (ran && !in_run)
			from = a < base ? base : a;
		else if (!ran && in_run)
			uc_ctl_remove_cache(bus->uc, from, a);
		in_run = ran;
	}
	if (in_run)
		uc_ctl_remove_cache(bus->uc, from, end);
}

static void mark_code_dirty(struct sim_bus *bus, uint32_t addr, unsigned int len)
{
	if (!ran_code(bus, addr, len))
		return;
	pthread_mutex_lock(&bus->dirty_lock);
	if (!bus->code_dirty) {
		bus->code_dirty = true;
		bus->dirty_lo = addr;
		bus->dirty_hi = addr + len;
	} else {
		if (addr < bus->dirty_lo)
			bus->dirty_lo = addr;
		if (addr + len > bus->dirty_hi)
			bus->dirty_hi = addr + len;
	}
	pthread_mutex_unlock(&bus->dirty_lock);
}

static int region_write(struct sim_bus *bus, struct sim_region *r, uint32_t addr,
			unsigned int size, uint32_t value)
{
	uint32_t off = addr - r->base;
	switch (r->kind) {
	case SIM_REGION_DEVICE:
		return r->dev.ops->write(r->dev.opaque, off, size, value);
	case SIM_REGION_GATED_RAM:
		if (!r->enabled(r->enabled_ctx))
			return 0;	/* unclocked: the write is lost */
		memcpy(r->mem + off, &value, size);
		if (!bus->in_cpu_access)
			mark_code_dirty(bus, addr, size);
		return 0;
	case SIM_REGION_RAM:
		if (!r->writable)
			return -1;
		memcpy(r->mem + off, &value, size);
		if (!bus->in_cpu_access)
			mark_code_dirty(bus, addr, size);
		return 0;
	case SIM_REGION_WINDOW:
		return -1;	/* read-only */
	}
	return -1;
}

static void stop_cpu(struct sim_bus *bus)
{
	if (bus->cpu_stop)
		bus->cpu_stop(bus->cpu_stop_ctx);
	else
		uc_emu_stop(bus->uc);
}

void sim_bus_set_cpu_stop(struct sim_bus *bus, void (*stop)(void *ctx), void *ctx)
{
	bus->cpu_stop = stop;
	bus->cpu_stop_ctx = ctx;
}

static void cpu_fault(struct sim_bus *bus, uint32_t addr, bool is_write)
{
	if (!bus->cpu_fault) {
		bus->cpu_fault = true;
		bus->cpu_fault_addr = addr;
		bus->cpu_fault_write = is_write;
	}
	stop_cpu(bus);
}

/* The region at addr, trying the span's last one first: a driver's
 * accesses come in runs to one device (a page program's 64 data words),
 * and the bus has some twenty regions to walk. */
static struct sim_region *span_find(struct sim_mmio_span *span, uint32_t addr)
{
	struct sim_region *r = span->last;
	if (r && addr >= r->base && (uint64_t)addr < (uint64_t)r->base + r->size)
		return r;
	r = bus_find(span->bus, addr);
	span->last = r;
	return r;
}

static uint64_t span_read(uc_engine *uc, uint64_t offset, unsigned int size, void *user)
{
	struct sim_mmio_span *span = user;
	struct sim_bus *bus = span->bus;
	uint32_t addr = span->base + (uint32_t)offset;
	uint64_t result = 0;
	(void)uc;

	bus->in_cpu_access = true;
	for (unsigned int done = 0; done < size; done += 4) {
		unsigned int chunk = size - done > 4 ? 4 : size - done;
		struct sim_region *r = span_find(span, addr + done);
		uint32_t v = 0;
		if (!r || region_read(bus, r, addr + done, chunk, &v) != 0) {
			cpu_fault(bus, addr + done, false);
			v = 0;
		}
		result |= (uint64_t)v << (8 * done);
	}
	bus->in_cpu_access = false;
	return result;
}

static void span_write(uc_engine *uc, uint64_t offset, unsigned int size, uint64_t value,
		       void *user)
{
	struct sim_mmio_span *span = user;
	struct sim_bus *bus = span->bus;
	uint32_t addr = span->base + (uint32_t)offset;
	bool gates = false;
	(void)uc;

	bus->in_cpu_access = true;
	for (unsigned int done = 0; done < size; done += 4) {
		unsigned int chunk = size - done > 4 ? 4 : size - done;
		struct sim_region *r = span_find(span, addr + done);
		uint32_t v = (uint32_t)(value >> (8 * done));
		if (!r || region_write(bus, r, addr + done, chunk, v) != 0)
			cpu_fault(bus, addr + done, true);
		else if (r->kind == SIM_REGION_DEVICE && r->dev.gates_ram)
			gates = true;
	}
	/* Only the clock enables open or close a gated RAM: asking every
	 * gate after every register write (a QUADSPI DR write among them)
	 * cost each write a walk of the regions and an RCC read per gate. */
	if (gates)
		note_gate_changes(bus);
	bus->in_cpu_access = false;
}

static bool page_in_span(struct sim_bus *bus, uint32_t page)
{
	for (unsigned int i = 0; i < bus->span_count; i++) {
		struct sim_mmio_span *s = bus->spans[i];
		if (page >= s->base && (uint64_t)page < (uint64_t)s->base + s->size)
			return true;
	}
	return false;
}

static int map_span(struct sim_bus *bus, uint32_t base, uint32_t size)
{
	if (bus->span_count >= SIM_BUS_MAX_SPANS)
		return -1;
	struct sim_mmio_span *s = calloc(1, sizeof(*s));
	if (!s)
		return -1;
	s->bus = bus;
	s->base = base;
	s->size = size;
	uc_err err = uc_mmio_map(bus->uc, base, size, span_read, s, span_write, s);
	if (err != UC_ERR_OK) {
		fprintf(stderr, "sim_bus: uc_mmio_map 0x%08x+0x%x failed: %s\n", base, size,
			uc_strerror(err));
		free(s);
		return -1;
	}
	bus->spans[bus->span_count++] = s;
	return 0;
}

static void unmap_span(struct sim_bus *bus, uint32_t base)
{
	for (unsigned int i = 0; i < bus->span_count; i++) {
		if (bus->spans[i]->base == base) {
			uc_mem_unmap(bus->uc, base, bus->spans[i]->size);
			free(bus->spans[i]);
			bus->spans[i] = bus->spans[--bus->span_count];
			return;
		}
	}
}

/* Map the pages of [base, base+size) not yet covered by a span. */
static int map_device_pages(struct sim_bus *bus, uint32_t base, uint32_t size)
{
	uint32_t start = base & ~(SIM_BUS_PAGE - 1);
	uint64_t end = ((uint64_t)base + size + SIM_BUS_PAGE - 1) & ~(uint64_t)(SIM_BUS_PAGE - 1);
	uint64_t run_start = 0;
	bool in_run = false;
	for (uint64_t page = start; page < end; page += SIM_BUS_PAGE) {
		bool covered = page_in_span(bus, (uint32_t)page);
		if (!covered && !in_run) {
			in_run = true;
			run_start = page;
		}
		if (covered && in_run) {
			if (map_span(bus, (uint32_t)run_start, (uint32_t)(page - run_start)))
				return -1;
			in_run = false;
		}
	}
	if (in_run && map_span(bus, (uint32_t)run_start, (uint32_t)(end - run_start)))
		return -1;
	return 0;
}

static int cpu_map_region(struct sim_bus *bus, struct sim_region *r)
{
	uc_err err = UC_ERR_OK;
	switch (r->kind) {
	case SIM_REGION_RAM:
		err = uc_mem_map_ptr(bus->uc, r->base, page_up(r->size),
				     r->writable ? UC_PROT_ALL : (UC_PROT_READ | UC_PROT_EXEC), r->mem);
		r->cpu_mapped = err == UC_ERR_OK;
		break;
	case SIM_REGION_DEVICE:
		return map_device_pages(bus, r->base, r->size);
	case SIM_REGION_WINDOW:
		if (r->mem) {
			r->cpu_size = page_up(r->size);
			err = uc_mem_map_ptr(bus->uc, r->base, r->cpu_size,
					     UC_PROT_READ | UC_PROT_EXEC, r->mem);
			r->cpu_mapped = err == UC_ERR_OK;
			r->cpu_ptr = r->mem;
			r->uc_ptr = r->mem;
			r->uc_base = r->base;
		}
		break;
	case SIM_REGION_GATED_RAM:
		if (r->enabled(r->enabled_ctx)) {
			err = uc_mem_map_ptr(bus->uc, r->base, r->size, UC_PROT_ALL, r->mem);
			r->cpu_ptr = r->mem;
		} else {
			if (map_span(bus, r->base, r->size))
				return -1;
			r->cpu_ptr = NULL;
		}
		r->cpu_mapped = err == UC_ERR_OK;
		break;
	}
	if (err != UC_ERR_OK) {
		fprintf(stderr, "sim_bus: mapping %s at 0x%08x failed: %s\n", r->name, r->base,
			uc_strerror(err));
		return -1;
	}
	return 0;
}

static void cpu_unmap_region(struct sim_bus *bus, struct sim_region *r)
{
	if (r->kind == SIM_REGION_GATED_RAM && !r->cpu_ptr) {
		unmap_span(bus, r->base);
	} else if (r->cpu_mapped) {
		if (r->kind == SIM_REGION_WINDOW)
			uc_mem_unmap(bus->uc, r->uc_base, r->cpu_size);
		else
			uc_mem_unmap(bus->uc, r->base, page_up(r->size));
	}
	r->cpu_mapped = false;
	r->cpu_ptr = NULL;
}

/*
 * A window that leaves and enters again over the same memory (memory-mapped
 * mode off and on, the same chip) is hidden and shown by its protection:
 * unmapping and mapping 16 MiB again cost Unicorn 2.3 ms at every exit
 * from memory-mapped mode (a stub run has two to four).  A CPU access to
 * a hidden window faults as one to an unmapped one (a BusFault either
 * way, see sim_core.c).  false: not that case, remap.
 */
static bool window_flip(struct sim_bus *bus, struct sim_region *r)
{
	if (!r->cpu_mapped || r->uc_base != r->base)
		return false;
	/* Hidden: the mapping stays as it was shown, whatever size the
	 * window is given meanwhile (the QUADSPI model gives 0). */
	if (!r->mem) {
		if (uc_mem_protect(bus->uc, r->uc_base, r->cpu_size, UC_PROT_NONE) != UC_ERR_OK)
			return false;
		r->cpu_ptr = NULL;
		return true;
	}
	if (r->mem != r->uc_ptr || r->cpu_size != page_up(r->size) ||
	    uc_mem_protect(bus->uc, r->base, r->cpu_size, UC_PROT_READ | UC_PROT_EXEC) != UC_ERR_OK)
		return false;
	r->cpu_ptr = r->mem;
	return true;
}

static void request_sync(struct sim_bus *bus)
{
	bus->sync_pending = true;
	if (bus->uc && bus->in_cpu_access)
		stop_cpu(bus);
}

static void note_gate_changes(struct sim_bus *bus)
{
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (r->kind != SIM_REGION_GATED_RAM)
			continue;
		bool on = r->enabled(r->enabled_ctx);
		if (on != (r->cpu_ptr != NULL)) {
			request_sync(bus);
			return;
		}
	}
}

/* ---- public API --------------------------------------------------------- */

int sim_bus_add_ram(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
		    uint8_t *backing, bool writable)
{
	if ((base | size) & (SIM_BUS_PAGE - 1)) {
		fprintf(stderr, "sim_bus: RAM %s must be 4 KiB aligned\n", name);
		return -1;
	}
	struct sim_region *r = bus_new_region(bus, name, base, size, SIM_REGION_RAM);
	if (!r)
		return -1;
	if (backing) {
		r->mem = backing;
	} else {
		r->mem = aligned_alloc(SIM_BUS_PAGE, page_up(size));
		if (!r->mem) {
			bus->region_count--;
			return -1;
		}
		memset(r->mem, 0, page_up(size));
		r->owned = true;
	}
	r->writable = writable;
	if (bus->uc)
		return cpu_map_region(bus, r);
	return 0;
}

int sim_bus_add_gated_ram(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
			  bool (*enabled)(void *ctx), void *ctx)
{
	if ((base | size) & (SIM_BUS_PAGE - 1) || !enabled)
		return -1;
	struct sim_region *r = bus_new_region(bus, name, base, size, SIM_REGION_GATED_RAM);
	if (!r)
		return -1;
	r->mem = aligned_alloc(SIM_BUS_PAGE, size);
	if (!r->mem) {
		bus->region_count--;
		return -1;
	}
	memset(r->mem, 0, size);
	r->owned = true;
	r->writable = true;
	r->enabled = enabled;
	r->enabled_ctx = ctx;
	if (bus->uc)
		return cpu_map_region(bus, r);
	return 0;
}

int sim_bus_add_device(struct sim_bus *bus, const struct sim_device *dev)
{
	if (!dev || !dev->ops || !dev->ops->read || !dev->ops->write)
		return -1;
	struct sim_region *r = bus_new_region(bus, dev->name ? dev->name : "device", dev->base,
					      dev->size, SIM_REGION_DEVICE);
	if (!r)
		return -1;
	r->dev = *dev;
	if (bus->uc)
		return cpu_map_region(bus, r);
	return 0;
}

int sim_bus_set_window(struct sim_bus *bus, const char *name, uint32_t base, uint32_t size,
		       const uint8_t *ptr)
{
	struct sim_region *r = bus_find_name(bus, name);
	if (r && r->kind != SIM_REGION_WINDOW)
		return -1;
	if (!r) {
		r = bus_new_region(bus, name, base, size, SIM_REGION_WINDOW);
		if (!r)
			return -1;
	} else if (r->base != base || r->size != size) {
		for (unsigned int i = 0; i < bus->region_count; i++) {
			struct sim_region *o = &bus->regions[i];
			if (o != r && ranges_overlap(base, size, o->base, o->size))
				return -1;
		}
		r->base = base;
		r->size = size;
	}
	r->mem = (uint8_t *)ptr;
	if (bus->uc)
		request_sync(bus);
	return 0;
}

int sim_bus_set_window_read_cost(struct sim_bus *bus, const char *name,
				 void (*read_cost)(void *ctx, uint32_t offset, unsigned int len),
				 void *ctx)
{
	struct sim_region *r = bus_find_name(bus, name);

	if (!r || r->kind != SIM_REGION_WINDOW)
		return -1;
	r->read_cost = read_cost;
	r->read_cost_ctx = ctx;
	return 0;
}

int sim_bus_attach_cpu(struct sim_bus *bus, struct uc_struct *uc)
{
	bus->uc = uc;
	for (unsigned int i = 0; i < bus->region_count; i++)
		if (cpu_map_region(bus, &bus->regions[i]))
			return -1;
	return 0;
}

bool sim_bus_cpu_sync_pending(const struct sim_bus *bus)
{
	return bus->sync_pending || __atomic_load_n(&bus->code_dirty, __ATOMIC_ACQUIRE);
}

void sim_bus_sync_cpu(struct sim_bus *bus)
{
	if (!bus->uc)
		return;
	/* the debugger may have flipped a clock gate */
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (r->kind == SIM_REGION_GATED_RAM &&
		    r->enabled(r->enabled_ctx) != (r->cpu_ptr != NULL))
			bus->sync_pending = true;
	}
	if (bus->sync_pending) {
		bus->sync_pending = false;
		for (unsigned int i = 0; i < bus->region_count; i++) {
			struct sim_region *r = &bus->regions[i];
			bool stale = false;
			if (r->kind == SIM_REGION_WINDOW)
				stale = r->cpu_ptr != r->mem ||
					(r->mem && r->cpu_size != page_up(r->size));
			else if (r->kind == SIM_REGION_GATED_RAM)
				stale = r->enabled(r->enabled_ctx) != (r->cpu_ptr != NULL);
			if (!stale)
				continue;
			uint32_t old_base = r->base;
			uint32_t old_size = r->cpu_mapped ? r->cpu_size : 0;
			if (r->kind == SIM_REGION_WINDOW && window_flip(bus, r)) {
				remove_ran_code(bus, r->base, r->cpu_size);
				continue;
			}
			cpu_unmap_region(bus, r);
			cpu_map_region(bus, r);
			if (old_size)
				remove_ran_code(bus, old_base, old_size);
			remove_ran_code(bus, r->base, r->size);
		}
	}
	pthread_mutex_lock(&bus->dirty_lock);
	bool dirty = bus->code_dirty;
	uint32_t lo = bus->dirty_lo, hi = bus->dirty_hi;
	bus->code_dirty = false;
	pthread_mutex_unlock(&bus->dirty_lock);
	if (dirty)
		uc_ctl_remove_cache(bus->uc, lo, hi);
}

bool sim_bus_take_cpu_fault(struct sim_bus *bus, uint32_t *addr, bool *is_write)
{
	if (!bus->cpu_fault)
		return false;
	bus->cpu_fault = false;
	if (addr)
		*addr = bus->cpu_fault_addr;
	if (is_write)
		*is_write = bus->cpu_fault_write;
	return true;
}

void sim_bus_reset_devices(struct sim_bus *bus)
{
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (r->kind == SIM_REGION_DEVICE && r->dev.reset)
			r->dev.reset(r->dev.opaque);
	}
}

uint8_t *sim_bus_ram_pointer(struct sim_bus *bus, uint32_t addr, uint32_t len)
{
	struct sim_region *r = bus_find(bus, addr);
	if (!r || r->kind == SIM_REGION_DEVICE || !r->mem)
		return NULL;
	if ((uint64_t)addr + len > (uint64_t)r->base + r->size)
		return NULL;
	if (r->kind == SIM_REGION_GATED_RAM && !r->enabled(r->enabled_ctx))
		return NULL;
	return r->mem + (addr - r->base);
}

int sim_bus_read(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t *value)
{
	if (size != 1 && size != 2 && size != 4)
		return -1;
	struct sim_region *r = bus_find(bus, addr);
	*value = 0;
	if (!r || (uint64_t)addr + size > (uint64_t)r->base + r->size)
		return -1;
	return region_read(bus, r, addr, size, value);
}

int sim_bus_write(struct sim_bus *bus, uint32_t addr, unsigned int size, uint32_t value)
{
	if (size != 1 && size != 2 && size != 4)
		return -1;
	struct sim_region *r = bus_find(bus, addr);
	if (!r || (uint64_t)addr + size > (uint64_t)r->base + r->size)
		return -1;
	if (size < 4)
		value &= (1u << (8 * size)) - 1;
	return region_write(bus, r, addr, size, value);
}

static unsigned int block_chunk(uint32_t addr, uint32_t left)
{
	if (!(addr & 3) && left >= 4)
		return 4;
	if (!(addr & 1) && left >= 2)
		return 2;
	return 1;
}

int sim_bus_read_block(struct sim_bus *bus, uint32_t addr, uint8_t *buf, uint32_t len)
{
	while (len) {
		unsigned int n = block_chunk(addr, len);
		uint32_t v;
		if (sim_bus_read(bus, addr, n, &v))
			return -1;
		memcpy(buf, &v, n);
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int sim_bus_write_block(struct sim_bus *bus, uint32_t addr, const uint8_t *buf, uint32_t len)
{
	while (len) {
		unsigned int n = block_chunk(addr, len);
		uint32_t v = 0;
		memcpy(&v, buf, n);
		if (sim_bus_write(bus, addr, n, v))
			return -1;
		addr += n;
		buf += n;
		len -= n;
	}
	return 0;
}

void sim_bus_invalidate_code(struct sim_bus *bus)
{
	if (!bus->uc)
		return;
	/* per region: Unicorn's range invalidation needs a mapped start page,
	 * and a full TB flush (UC_CTL_TB_FLUSH) costs seconds in 2.0.1 */
	for (unsigned int i = 0; i < bus->region_count; i++) {
		struct sim_region *r = &bus->regions[i];
		if (r->kind != SIM_REGION_DEVICE && r->cpu_mapped)
			uc_ctl_remove_cache(bus->uc, r->base, (uint64_t)r->base + r->size);
	}
	pthread_mutex_lock(&bus->dirty_lock);
	bus->code_dirty = false;
	pthread_mutex_unlock(&bus->dirty_lock);
}

bool sim_bus_ram_access_running(struct sim_bus *bus, uint32_t addr, unsigned int size,
				bool write, uint32_t *value)
{
	unsigned int count = __atomic_load_n(&bus->region_count, __ATOMIC_ACQUIRE);
	const struct sim_region *r = NULL;
	uint8_t *p;

	if ((size != 1 && size != 2 && size != 4) || (addr & (size - 1)))
		return false;
	for (unsigned int i = 0; i < count; i++) {
		const struct sim_region *c = &bus->regions[i];
		if (addr >= c->base && (uint64_t)addr + size <= (uint64_t)c->base + c->size) {
			r = c;
			break;
		}
	}
	if (!r || r->kind != SIM_REGION_RAM || (write && !r->writable))
		return false;
	p = r->mem + (addr - r->base);
	/* one access of its size, ordered as the debugger issues them */
	if (write) {
		if (size == 4)
			__atomic_store_n((uint32_t *)p, *value, __ATOMIC_RELEASE);
		else if (size == 2)
			__atomic_store_n((uint16_t *)p, (uint16_t)*value, __ATOMIC_RELEASE);
		else
			__atomic_store_n(p, (uint8_t)*value, __ATOMIC_RELEASE);
		mark_code_dirty(bus, addr, size);
	} else {
		if (size == 4)
			*value = __atomic_load_n((uint32_t *)p, __ATOMIC_ACQUIRE);
		else if (size == 2)
			*value = __atomic_load_n((uint16_t *)p, __ATOMIC_ACQUIRE);
		else
			*value = __atomic_load_n(p, __ATOMIC_ACQUIRE);
	}
	return true;
}
