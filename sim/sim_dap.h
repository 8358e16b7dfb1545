/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ADIv5 SW-DP and MEM-AP as OpenOCD 0.12.0 drives them through vdebug,
 * and the vdebug protocol server.
 *
 * Threading contract: the server thread owns the socket.  For every
 * request it calls the machine's handler, which pauses the CPU, runs
 * sim_dap_execute() (or applies the reset signal) and resumes it.  The DAP
 * itself has no threads and no locks: it is only ever called with the CPU
 * paused.
 */

#ifndef SIM_DAP_H
#define SIM_DAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_bus;
struct sim_dap;

struct sim_dap_config {
	uint32_t dpidr;			/* e.g. 0x6BA02477 (SW-DP v2) or 0x2BA01477 */
	uint32_t ap_idr;		/* AHB-AP IDR, e.g. 0x84770001 (M7) / 0x24770011 (M4) */
	uint32_t ap_base;		/* ROM table base for the AP's BASE register */
	uint32_t ap_cfg;		/* AP CFG, 0 for little endian, no large data */
};

struct sim_dap_counters {
	uint64_t batches;		/* vdebug REG messages */
	uint64_t empty_batches;		/* count 0 (OpenOCD's dap_run quirk) */
	uint64_t transactions;		/* DP/AP requests executed */
	uint64_t ap_reads, ap_writes;	/* AP register accesses */
	uint64_t mem_bytes_read, mem_bytes_written;
	uint64_t bus_errors;
};

struct sim_dap *sim_dap_create(struct sim_bus *bus, const struct sim_dap_config *cfg);
void sim_dap_destroy(struct sim_dap *dap);
/* Power-on / debugger-visible reset state of DP and AP (not a system reset). */
void sim_dap_reset(struct sim_dap *dap);

/*
 * Execute one vdebug REGREAD/REGWRITE batch of `count` requests packed in
 * req (req_len bytes).  Read results (tlen = 1) are packed into rdata
 * (rdata_cap bytes); *rdata_len receives their size.  Returns the vdebug
 * status word to put in the reply (0 = OK), following the rule that a
 * batch with two or more result words never reports an error.
 */
uint32_t sim_dap_execute(struct sim_dap *dap, const uint8_t *req, size_t req_len,
			 unsigned int count, uint8_t *rdata, size_t rdata_cap,
			 size_t *rdata_len);

const struct sim_dap_counters *sim_dap_counters(const struct sim_dap *dap);

/* ---------------------------------------------------------------------- */

/* Link timing model (--link). */
struct sim_link_model {
	const char *name;		/* "none", "cmsis-dap-hs", "jlink" */
	uint32_t round_trip_ns;		/* per vdebug message */
	uint32_t swd_clock_khz;		/* SWD clock */
	uint32_t bits_per_transaction;	/* SWD bits per DP/AP access incl. turnaround/idle */
};
const struct sim_link_model *sim_link_model_find(const char *name);
const struct sim_link_model *const *sim_link_models(void);

/* What the machine does for the server. All callbacks run on the server thread. */
struct sim_vdebug_handler {
	void *ctx;
	/* Execute a DAP batch with the CPU paused; same contract as sim_dap_execute. */
	uint32_t (*reg_batch)(void *ctx, const uint8_t *req, size_t req_len, unsigned int count,
			      uint8_t *rdata, size_t rdata_cap, size_t *rdata_len);
	/* SIGSET: reset line; asserted == true holds the system in reset. */
	void (*set_reset)(void *ctx, bool asserted);
	/* Client connected / disconnected (for logs and counters). */
	void (*session)(void *ctx, bool connected);
};

struct sim_vdebug_server;

struct sim_vdebug_server *sim_vdebug_server_create(uint16_t port,
						   const struct sim_link_model *link,
						   const struct sim_vdebug_handler *handler,
						   char *err, size_t err_len);
/* Serve clients one after another until sim_vdebug_server_stop(). Blocks. */
int sim_vdebug_server_run(struct sim_vdebug_server *srv);
void sim_vdebug_server_stop(struct sim_vdebug_server *srv);	/* async-signal-safe */
void sim_vdebug_server_destroy(struct sim_vdebug_server *srv);
/* Fault injection: drop the link after n REG batches (0 = never). */
void sim_vdebug_server_drop_after(struct sim_vdebug_server *srv, uint64_t batches);
uint64_t sim_vdebug_server_round_trips(const struct sim_vdebug_server *srv);

#endif /* SIM_DAP_H */
