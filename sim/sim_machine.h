/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The machine: who runs the CPU and when.
 *
 * The CPU runs on the thread that calls sim_machine_run() (the main
 * thread), unbounded, until something stops it.  Any other thread that
 * needs the simulated system quiet (the vdebug server for a DAP batch or
 * the reset line, a test) calls sim_machine_pause(), which stops the CPU
 * and waits until it is parked, and sim_machine_resume() afterwards.
 * Between pauses the CPU keeps executing, which is what OpenOCD's
 * asynchronous flash algorithms rely on.  While the core is halted (or
 * sleeping, locked up, held in reset) the main thread sleeps on a
 * condition variable.
 *
 * DAP batches (the vdebug handler) start without a pause: the DAP reaches
 * plain RAM while the CPU runs, word-atomic, as an AHB-AP shares the bus
 * with the core, and pauses the CPU only at the batch's first access to
 * anything else (devices, the core's debug registers), until the batch ends.
 *
 * Invariant: Unicorn, the bus and every device are touched by one thread
 * at a time: the main thread inside sim_core_run(), or a pausing thread
 * between sim_machine_pause() and sim_machine_resume().  The one exception
 * is that debugger access to plain RAM (sim_bus_ram_access_running).
 */

#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_core;
struct sim_bus;
struct sim_dap;
struct sim_vdebug_handler;
struct sim_machine;

struct sim_machine *sim_machine_create(struct sim_core *core, struct sim_bus *bus);
void sim_machine_destroy(struct sim_machine *m);

/* Run the CPU on the calling thread until sim_machine_quit(). */
void sim_machine_run(struct sim_machine *m);
/* Ask sim_machine_run() to return; async-signal-safe. */
void sim_machine_quit(struct sim_machine *m);
/* Wake the run loop so it calls the poll hook soon; async-signal-safe. */
void sim_machine_kick(struct sim_machine *m);
/* Called on the run thread after every stop of the CPU and at least every
 * 100 ms while it idles (for signal-driven work such as stats dumps);
 * every_ms: also about every millisecond while the debugger is active
 * (work that must not wait for the CPU to stop, such as a fault that
 * counts the chip's programs). */
void sim_machine_set_poll(struct sim_machine *m, void (*poll)(void *ctx), void *ctx, bool every_ms);

/* Park the CPU and take exclusive use of the system until resume (one
 * pauser at a time; the run thread may pause only from its poll hook). */
void sim_machine_pause(struct sim_machine *m);
void sim_machine_resume(struct sim_machine *m);

/* System reset (AIRCR.SYSRESETREQ, reset line release): every device's
 * reset hook, then the core.  Call with the CPU parked. */
void sim_machine_system_reset(struct sim_machine *m);
/* Reset line (vdebug SIGSET).  Call with the CPU parked. */
void sim_machine_set_reset_line(struct sim_machine *m, bool asserted);

/* Fill a vdebug handler whose callbacks pause the CPU around each DAP batch
 * and drive the reset line; session(...) is forwarded to on_session. */
void sim_machine_vdebug_handler(struct sim_machine *m, struct sim_dap *dap,
				void (*on_session)(void *ctx, bool connected), void *session_ctx,
				struct sim_vdebug_handler *out);

/* Counters kept by the machine. */
struct sim_machine_counters {
	uint64_t pauses;		/* sim_machine_pause calls (DAP batches that
					 * reached a device or debug register, resets) */
	uint64_t reset_assertions;	/* reset line asserted */
	uint64_t system_resets;		/* SYSRESETREQ + line releases */
};
const struct sim_machine_counters *sim_machine_counters(const struct sim_machine *m);

#endif /* SIM_MACHINE_H */
