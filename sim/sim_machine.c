// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The machine run loop and the pause protocol (see sim_machine.h).
 *
 * State under `lock`: pause_count (how many threads want the CPU parked),
 * running (the run thread is inside sim_core_run), quit.  The run thread
 * only enters sim_core_run with pause_count == 0 and the core runnable; a
 * pauser raises pause_count and then repeats uc_emu_stop (through
 * sim_core_request_stop) every millisecond until running drops, because a
 * stop that arrives just before uc_emu_start begins is lost by Unicorn.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "sim_bus.h"
#include "sim_core.h"
#include "sim_dap.h"
#include "sim_machine.h"

struct sim_machine {
	struct sim_core *core;
	struct sim_bus *bus;
	struct sim_dap *dap;		/* for the vdebug handler */
	pthread_mutex_t lock;
	pthread_mutex_t exclusive;	/* held by the one pauser between pause and resume */
	pthread_cond_t parked;		/* signalled when running drops */
	pthread_cond_t wake;		/* signalled on resume / quit */
	unsigned int pause_count;
	bool running;
	volatile sig_atomic_t quit;
	volatile sig_atomic_t kicked;
	void (*poll)(void *ctx);
	void *poll_ctx;
	bool poll_every_ms;		/* the poll hook has periodic work (a fault) */
	void (*on_session)(void *ctx, bool connected);
	void *session_ctx;
	bool batch_paused;		/* the current DAP batch parked the CPU (server thread) */
	struct timespec last_kick;	/* last poll request from a batch that did not pause */
	struct sim_machine_counters counters;
};

static void deadline_in(struct timespec *ts, long ns)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += ns;
	while (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

static void machine_sysreset(void *ctx)
{
	sim_machine_system_reset(ctx);
}

struct sim_machine *sim_machine_create(struct sim_core *core, struct sim_bus *bus)
{
	struct sim_machine *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->core = core;
	m->bus = bus;
	pthread_mutex_init(&m->lock, NULL);
	pthread_mutex_init(&m->exclusive, NULL);
	pthread_condattr_t attr;
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&m->parked, &attr);
	pthread_cond_init(&m->wake, &attr);
	pthread_condattr_destroy(&attr);
	sim_core_set_sysreset(core, machine_sysreset, m);
	return m;
}

void sim_machine_destroy(struct sim_machine *m)
{
	if (!m)
		return;
	pthread_cond_destroy(&m->parked);
	pthread_cond_destroy(&m->wake);
	pthread_mutex_destroy(&m->lock);
	pthread_mutex_destroy(&m->exclusive);
	free(m);
}

void sim_machine_set_poll(struct sim_machine *m, void (*poll)(void *ctx), void *ctx, bool every_ms)
{
	m->poll = poll;
	m->poll_ctx = ctx;
	m->poll_every_ms = every_ms;
}

void sim_machine_run(struct sim_machine *m)
{
	pthread_mutex_lock(&m->lock);
	while (!m->quit) {
		if (m->kicked && m->poll) {
			m->kicked = 0;
			pthread_mutex_unlock(&m->lock);
			m->poll(m->poll_ctx);
			pthread_mutex_lock(&m->lock);
			continue;
		}
		if (m->pause_count > 0 || !sim_core_runnable(m->core)) {
			struct timespec ts;
			deadline_in(&ts, 100 * 1000000L);
			pthread_cond_timedwait(&m->wake, &m->lock, &ts);
			if (m->poll && m->pause_count == 0) {
				pthread_mutex_unlock(&m->lock);
				m->poll(m->poll_ctx);
				pthread_mutex_lock(&m->lock);
			}
			continue;
		}
		m->running = true;
		pthread_mutex_unlock(&m->lock);
		sim_core_run(m->core);
		pthread_mutex_lock(&m->lock);
		m->running = false;
		pthread_cond_broadcast(&m->parked);
	}
	pthread_mutex_unlock(&m->lock);
}

void sim_machine_quit(struct sim_machine *m)
{
	m->quit = 1;
	sim_core_request_stop(m->core);
}

void sim_machine_kick(struct sim_machine *m)
{
	m->kicked = 1;
	sim_core_request_stop(m->core);
}

void sim_machine_pause(struct sim_machine *m)
{
	pthread_mutex_lock(&m->exclusive);
	pthread_mutex_lock(&m->lock);
	m->pause_count++;
	m->counters.pauses++;
	while (m->running) {
		struct timespec ts;
		sim_core_request_stop(m->core);
		deadline_in(&ts, 1000000L);
		pthread_cond_timedwait(&m->parked, &m->lock, &ts);
	}
	pthread_mutex_unlock(&m->lock);
}

void sim_machine_resume(struct sim_machine *m)
{
	pthread_mutex_lock(&m->lock);
	if (m->pause_count > 0)
		m->pause_count--;
	pthread_cond_broadcast(&m->wake);
	pthread_mutex_unlock(&m->lock);
	pthread_mutex_unlock(&m->exclusive);
}

void sim_machine_system_reset(struct sim_machine *m)
{
	m->counters.system_resets++;
	sim_bus_reset_devices(m->bus);
	sim_core_reset(m->core);
}

void sim_machine_set_reset_line(struct sim_machine *m, bool asserted)
{
	if (asserted) {
		m->counters.reset_assertions++;
		sim_bus_reset_devices(m->bus);
		sim_core_hold_reset(m->core, true);
	} else if (sim_core_state(m->core) == SIM_CORE_RESET_HELD) {
		m->counters.system_resets++;
		sim_bus_reset_devices(m->bus);
		sim_core_hold_reset(m->core, false);
	}
}

/* DAP sync hook: the batch reached something other than plain RAM. */
static void machine_batch_sync(void *ctx)
{
	struct sim_machine *m = ctx;

	sim_machine_pause(m);
	m->batch_paused = true;
}

/* DAP hook: DHCSR of a running core without parking it.  OpenOCD polls
 * DHCSR back to back while it waits for a flash algorithm's end; each
 * park cost the emulated core tens of microseconds, a stub's final CRC
 * pass hundreds of them. */
static bool machine_running_read(void *ctx, uint32_t addr, uint32_t *value)
{
	struct sim_machine *m = ctx;

	return addr == SIM_CORE_DHCSR && sim_core_dhcsr_read_running(m->core, value);
}

/*
 * A core the batch let run has run before the batch's reply goes back: on
 * silicon it executes from the DHCSR write on, and the debugger's next
 * access is a link transaction later (tens of microseconds at the least,
 * hundreds of instructions even at a 4 MHz reset clock).  Here the CPU
 * thread may not even be scheduled yet.  So the reply waits until the
 * core has run SIM_MACHINE_RESUME_BLOCKS translation blocks, or stopped,
 * or waits on a device (sim_core_idle(): a status poll of a busy chip,
 * where it may sleep for a millisecond a block: a stub's non-volatile
 * status write held the reply of its run's resume 10 ms, while OpenOCD
 * had host work to do), or (a host that does not schedule it) 100 ms
 * went by.
 */
#define SIM_MACHINE_RESUME_BLOCKS	64u

static void machine_let_run(struct sim_machine *m)
{
	uint64_t start = sim_core_blocks_run(m->core);
	for (unsigned int i = 0; i < 10000; i++) {
		if (sim_core_blocks_run(m->core) - start >= SIM_MACHINE_RESUME_BLOCKS ||
		    !sim_core_runnable(m->core) || sim_core_idling(m->core))
			return;
		struct timespec ts = { 0, 10000 };
		nanosleep(&ts, NULL);
	}
}

/*
 * A DAP batch starts with the CPU running; the DAP parks it (through
 * machine_batch_sync) at its first access to a device, a debug register
 * or anything but plain RAM, and it is resumed at the end of the batch.
 * A batch that never parks it stops the CPU only when it has to: when the
 * debugger wrote RAM the CPU has run code from (its translations are
 * stale until sim_bus_sync_cpu()), and at most every millisecond for a
 * poll hook with periodic work (the power-loss fault).  Each such stop
 * costs the CPU tens of microseconds on this host (leaving and re-entering
 * Unicorn, two thread wake-ups), which a write stream's FIFO refills, a
 * batch every millisecond or so, used to pay whether or not anything was
 * pending.
 */
static uint32_t handler_reg_batch(void *ctx, const uint8_t *req, size_t req_len,
				  unsigned int count, uint8_t *rdata, size_t rdata_cap,
				  size_t *rdata_len)
{
	struct sim_machine *m = ctx;
	struct timespec now;
	uint32_t status;

	uint64_t resumes = sim_core_resumes(m->core);
	m->batch_paused = false;
	status = sim_dap_execute(m->dap, req, req_len, count, rdata, rdata_cap, rdata_len);
	if (m->batch_paused) {
		sim_machine_resume(m);
		if (sim_core_resumes(m->core) != resumes)
			machine_let_run(m);
		return status;
	}
	if (count && sim_bus_cpu_sync_pending(m->bus)) {
		sim_machine_kick(m);
	} else if (count && m->poll && m->poll_every_ms) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((now.tv_sec - m->last_kick.tv_sec) * 1000000000LL +
		    (now.tv_nsec - m->last_kick.tv_nsec) >= 1000000LL) {
			m->last_kick = now;
			sim_machine_kick(m);
		}
	}
	return status;
}

static void handler_set_reset(void *ctx, bool asserted)
{
	struct sim_machine *m = ctx;
	sim_machine_pause(m);
	sim_machine_set_reset_line(m, asserted);
	sim_machine_resume(m);
}

static void handler_session(void *ctx, bool connected)
{
	struct sim_machine *m = ctx;
	if (m->on_session)
		m->on_session(m->session_ctx, connected);
}

void sim_machine_vdebug_handler(struct sim_machine *m, struct sim_dap *dap,
				void (*on_session)(void *ctx, bool connected), void *session_ctx,
				struct sim_vdebug_handler *out)
{
	m->dap = dap;
	sim_dap_set_sync(dap, machine_batch_sync, m);
	sim_dap_set_running_read(dap, machine_running_read);
	m->on_session = on_session;
	m->session_ctx = session_ctx;
	out->ctx = m;
	out->reg_batch = handler_reg_batch;
	out->set_reset = handler_set_reset;
	out->session = handler_session;
}

const struct sim_machine_counters *sim_machine_counters(const struct sim_machine *m)
{
	return &m->counters;
}
