/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Cortex-M3/M4/M7 core on Unicorn, with the ARMv7-M debug registers OpenOCD
 * drives (SCS incl. DHCSR/DCRSR/DCRDR/DEMCR/DFSR/AIRCR, DWT, FPB, ITM) as
 * bus devices, fault exception entry, exception return, and reset.
 *
 * The core is passive: sim_core_run() executes until something stops it
 * (halt, breakpoint, fault handled, sleep, or an external pause through
 * sim_core_request_stop()).  The machine decides when to call it and
 * guarantees that the debug registers (bus devices) are only accessed while
 * sim_core_run() is not executing on another thread.
 */

#ifndef SIM_CORE_H
#define SIM_CORE_H

#include <stdbool.h>
#include <stdint.h>

struct sim_bus;
struct sim_core;

enum sim_core_type {
	SIM_CORE_M3,	/* CPUID 0x411FC231, FPB v1 6+2, no FPU */
	SIM_CORE_M4,	/* CPUID 0x410FC241, FPB v1 6+2, FPv4-SP */
	SIM_CORE_M7,	/* CPUID 0x411FC271, FPB v2 8+0, FPv5-DP */
};

/* Why the core is not executing. */
enum sim_core_state {
	SIM_CORE_RUNNING,
	SIM_CORE_HALTED,	/* Debug state (S_HALT) */
	SIM_CORE_SLEEPING,	/* WFI with no wake-up source (S_SLEEP) */
	SIM_CORE_LOCKUP,	/* fault in HardFault / bad vector (S_LOCKUP) */
	SIM_CORE_RESET_HELD,	/* system reset line asserted */
};

struct sim_core_counters {
	uint64_t halts;			/* entries into Debug state */
	uint64_t steps;			/* single steps executed */
	uint64_t runs;			/* uc_emu_start calls */
	uint64_t faults;		/* exception entries for faults */
	uint64_t resets;		/* core resets */
	uint64_t blocks;		/* translation blocks executed (only with counting on) */
	uint64_t block_bytes;		/* bytes of code in those blocks */
	uint64_t idles;			/* sim_core_idle() sleeps */
};

/* Called for AIRCR.SYSRESETREQ: the machine resets the peripherals, then
 * calls sim_core_reset(). */
typedef void (*sim_core_sysreset_fn)(void *ctx);

struct sim_core *sim_core_create(enum sim_core_type type, struct sim_bus *bus,
				 uint32_t reset_vtor, char *err, size_t err_len);
void sim_core_destroy(struct sim_core *core);
void sim_core_set_sysreset(struct sim_core *core, sim_core_sysreset_fn fn, void *ctx);
/* Count executed blocks (a block hook; costs speed).  Off by default. */
void sim_core_count_blocks(struct sim_core *core, bool on);

/* Core (local) reset: registers from the vector table at VTOR's reset
 * value, S_RESET_ST, vector catch.  Debug registers survive. */
void sim_core_reset(struct sim_core *core);
/* Reset line: while held the core does nothing; release resets it. */
void sim_core_hold_reset(struct sim_core *core, bool held);

enum sim_core_state sim_core_state(const struct sim_core *core);
bool sim_core_runnable(const struct sim_core *core);
/* Execute until halted/stopped.  Returns after at most one stop cause. */
void sim_core_run(struct sim_core *core);
/* From another thread, while sim_core_run() executes: stop soon. */
void sim_core_request_stop(struct sim_core *core);
/*
 * Called from a device access: the running CPU waits on something that
 * will not change for ns nanoseconds.  Its host thread sleeps until a
 * margin before that (at most SIM_CORE_IDLE_MAX_NS a call, woken early by
 * a stop request), leaving the host's CPUs to the debugger's threads: a
 * real core does not share a CPU with them.  No effect unless the CPU is
 * executing, so a debugger access never sleeps.
 */
void sim_core_idle(struct sim_core *core, uint64_t ns);

/* Debugger-style helpers (the same paths as DHCSR writes through the bus). */
void sim_core_halt(struct sim_core *core);
uint32_t sim_core_pc(struct sim_core *core);

const struct sim_core_counters *sim_core_counters(const struct sim_core *core);
/*
 * For the machine's "a resumed core runs at once" rule: how many times the
 * debugger let the core run (DHCSR C_HALT cleared, or C_DEBUGEN dropped,
 * while halted), and how many blocks it has executed in all (always
 * counted; safe to read from another thread while it runs).
 */
uint64_t sim_core_resumes(const struct sim_core *core);
uint64_t sim_core_blocks_run(const struct sim_core *core);
/* The CPU thread sleeps in sim_core_idle(): the core waits on a device. */
bool sim_core_idling(const struct sim_core *core);

/*
 * DHCSR (SIM_CORE_DHCSR) as a debugger read finds it while the core runs,
 * without stopping the core: silicon answers those reads without
 * disturbing it.  false when the core is not simply running (halted,
 * asleep, locked up, held in reset, or a reset to report): then read it
 * with the CPU parked.  The sticky S_RETIRE_ST reads 1 and stays set.
 */
#define SIM_CORE_DHCSR		0xE000EDF0u
bool sim_core_dhcsr_read_running(const struct sim_core *core, uint32_t *value);
struct uc_struct *sim_core_engine(struct sim_core *core);

#endif /* SIM_CORE_H */
