/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ADIv5 SW-DP and MEM-APs as OpenOCD drives them through vdebug (0.12.0's
 * client, protocol version 44, and later clients up to version 50), and
 * the vdebug protocol server.
 *
 * Threading contract: the server thread owns the socket.  For every
 * request it calls the machine's handler, which runs sim_dap_execute() (or
 * applies the reset signal with the CPU paused).  The DAP itself has no
 * threads and no locks.  Without a sync hook it must be called with the CPU
 * paused.  With one (sim_dap_set_sync), as the machine installs, a batch
 * starts with the CPU running: MEM-AP accesses to plain RAM are done at
 * once, word-atomic, as the AHB-AP shares the bus with the core; the first
 * access to anything else (a device, the core's debug registers, a window,
 * clock-gated RAM) calls the hook, which parks the CPU for the rest of the
 * batch; the caller resumes it afterwards.
 */

#ifndef SIM_DAP_H
#define SIM_DAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sim_bus;
struct sim_dap;
struct sim_device;

/*
 * Which access ports the DAP has besides AP 0 (adiv5-dap.md section 4,
 * vdebug-protocol.md section V.2).  The AP number reaches the simulator
 * only from vdebug clients of version 48 or later (DP SELECT bits 31:24);
 * 0.12.0's client always selects AP 0, so for it every layout behaves as
 * one AP 0 that reaches the whole bus.
 */
enum sim_dap_ap_layout {
	SIM_DAP_APS_SINGLE,	/* AP 0 only; other AP numbers read IDR 0 (no AP) */
	/*
	 * STM32H7 (single core): AP 0 = the Cortex-M7's AHB-AP, AP 1 = a
	 * second AHB-AP on the system bus (D3 domain in silicon; here the
	 * bus without the core's private PPB), AP 2 = APB-AP of the debug
	 * APB (APB-D: DBGMCU 0xE00E1000, SWO 0xE00E3000, SWTF 0xE00E4000,
	 * TPIU 0xE00F5000).  AP 3 (the M4 of dual-core parts) is absent.
	 */
	SIM_DAP_APS_STM32H7,
};

/* Number of AP numbers the model keeps state for; higher APSELs read as absent. */
#define SIM_DAP_AP_COUNT	4

struct sim_dap_config {
	uint32_t dpidr;			/* e.g. 0x6BA02477 (SW-DP v2) or 0x2BA01477 */
	uint32_t ap_idr;		/* AP 0: AHB-AP IDR, e.g. 0x84770001 (M7) / 0x24770011 (M4) */
	uint32_t ap_base;		/* AP 0: ROM table base for the BASE register */
	uint32_t ap_cfg;		/* AP 0: CFG, 0 for little endian, no large data */
	enum sim_dap_ap_layout ap_layout;	/* the APs besides AP 0 */
	/*
	 * TAR auto-increment block in bytes (power of two, >= 1024): an
	 * increment carries only within TAR[log2(block)-1:0], the upper bits
	 * stay.  0 selects 4096, which satisfies both OpenOCD rules (1 KiB for
	 * Cortex-M7, 4 KiB for Cortex-M3/M4; adiv5-dap.md section 5).
	 */
	uint32_t tar_wrap_bytes;
	/*
	 * Optional window [word_only_base, word_only_base + word_only_size)
	 * in which every DRW access is performed as an aligned 32-bit access
	 * whatever CSW.Size says (works around OpenOCD's per-AP CSW cache
	 * when a version-44 client's "AP 2" and "AP 0" share AP 0,
	 * adiv5-dap.md section 1).  Size 0 disables it.
	 */
	uint32_t word_only_base;
	uint32_t word_only_size;
};

/* vdebug status word for a failed batch (bus error, malformed request). */
#define SIM_DAP_STATUS_FAULT	0x0000DA01u

struct sim_dap_counters {
	uint64_t batches;		/* vdebug REG messages */
	uint64_t empty_batches;		/* count 0 (OpenOCD's dap_run quirk) */
	uint64_t transactions;		/* DP/AP requests executed */
	uint64_t ap_reads, ap_writes;	/* AP register accesses */
	uint64_t mem_bytes_read, mem_bytes_written;
	uint64_t bus_errors;
	uint64_t ram_accesses_core_running;	/* MEM-AP RAM accesses done while the CPU ran */
	uint64_t reads_core_running;	/* other MEM-AP reads answered while the CPU ran
					 * (sim_dap_set_running_read: DHCSR) */
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
 * batch with two or more result words never reports an error.  A bus
 * error sets CTRL/STAT.STICKYERR; the batch's later AP accesses are then
 * skipped (read as 0), as a SW-DP would answer them with FAULT.  count = 0
 * executes nothing whatever req holds.
 */
uint32_t sim_dap_execute(struct sim_dap *dap, const uint8_t *req, size_t req_len,
			 unsigned int count, uint8_t *rdata, size_t rdata_cap,
			 size_t *rdata_len);

const struct sim_dap_counters *sim_dap_counters(const struct sim_dap *dap);

/*
 * Run batches with the CPU running: sync(ctx) is called at most once per
 * batch, before its first bus access that is not plain RAM, and must park
 * the CPU (the caller of sim_dap_execute resumes it).  NULL: every batch
 * is executed as the caller found the CPU (paused).
 */
void sim_dap_set_sync(struct sim_dap *dap, void (*sync)(void *ctx), void *ctx);

/*
 * With a sync hook: a 32-bit MEM-AP read that read(ctx, addr, &value)
 * answers (true) is done with the CPU running, as a RAM access is; false:
 * the usual way.  The machine answers DHCSR reads of a running core so
 * (OpenOCD polls it back to back while a flash algorithm ends).
 */
void sim_dap_set_running_read(struct sim_dap *dap, bool (*read)(void *ctx, uint32_t addr, uint32_t *value));

/* Debugger view of DP and AP state, for tests and logs. */
uint32_t sim_dap_ctrl_stat(const struct sim_dap *dap);
uint32_t sim_dap_select(const struct sim_dap *dap);
uint32_t sim_dap_tar(const struct sim_dap *dap);		/* AP 0's TAR */
uint32_t sim_dap_ap_tar(const struct sim_dap *dap, unsigned int apsel);	/* 0 if absent */
uint32_t sim_dap_ap_csw(const struct sim_dap *dap, unsigned int apsel);	/* 0 if absent */

/* ---------------------------------------------------------------------- */

/*
 * CoreSight ROM tables and component identification (adiv5-dap.md section 8).
 *
 * Split of ownership: the DAP module serves the ROM tables themselves and,
 * on request, "ID-only" stubs for trace components nobody models (ETM,
 * CTI, TPIU): 4 KiB read-as-zero blocks holding just the ID registers.
 * The SCS, DWT, FPB (and ITM, if modelled) register blocks belong to the
 * core model; it must answer offsets 0xFBC..0xFFC of its 4 KiB block with
 * sim_coresight_id_read() so that OpenOCD's `dap info` can walk the table.
 */
enum sim_rom_kind {
	SIM_ROM_CORTEX_M7,	/* STM32H7: tables at 0xE00FE000 + 0xE00FF000, CTI at 0xE0043000 */
	SIM_ROM_CORTEX_M4,	/* table at 0xE00FF000, TPIU + ETM present */
	SIM_ROM_CORTEX_M3,	/* STM32F103: table at 0xE00FF000, TPIU, no ETM */
};

enum sim_cs_component {
	SIM_CS_ROM_PROCESSOR,	/* Cortex-M7 processor ROM table, 0xE00FE000 */
	SIM_CS_ROM_PPB,		/* PPB ROM table, 0xE00FF000 (the only one on M3/M4) */
	SIM_CS_SCS,		/* 0xE000E000 */
	SIM_CS_DWT,		/* 0xE0001000 */
	SIM_CS_FPB,		/* 0xE0002000 */
	SIM_CS_ITM,		/* 0xE0000000 */
	SIM_CS_TPIU,		/* 0xE0040000 (M3/M4 only) */
	SIM_CS_ETM,		/* 0xE0041000 (M7, M4) */
	SIM_CS_CTI,		/* 0xE0043000 (M7 on STM32H7) */
	SIM_CS_COUNT
};

#define SIM_CS_STUB(c)		(1u << (c))
/* The stubs a board normally wants: trace components not modelled elsewhere. */
#define SIM_CS_STUBS_TRACE	(SIM_CS_STUB(SIM_CS_TPIU) | SIM_CS_STUB(SIM_CS_ETM) | \
				 SIM_CS_STUB(SIM_CS_CTI))

/* Base address of component c for this core, or 0 if the core has none. */
uint32_t sim_coresight_base(enum sim_rom_kind kind, enum sim_cs_component c);

/*
 * ID block of component c: offset is relative to the component's 4 KiB
 * block.  Returns true and the register value for offsets 0xFBC (DEVARCH),
 * 0xFC8 (DEVID), 0xFCC (DEVTYPE/MEMTYPE), 0xFD0..0xFFC (PIDR4-7, PIDR0-3,
 * CIDR0-3); false for any other offset (the caller serves it).
 */
bool sim_coresight_id_read(enum sim_rom_kind kind, enum sim_cs_component c,
			   uint32_t offset, uint32_t *value);

/*
 * Fill out[] with the bus devices for this core's ROM table(s) plus an
 * ID-only stub for every component in stub_mask (SIM_CS_STUB bits) the core
 * has.  Devices are read-only (writes are ignored), accept 1/2/4-byte
 * reads, and need no opaque state.  Returns how many entries were written
 * (at most max; 2 + 3 is always enough).
 */
unsigned int sim_rom_devices(enum sim_rom_kind kind, uint32_t stub_mask,
			     struct sim_device *out, unsigned int max);

/* ---------------------------------------------------------------------- */

/* Link timing model (--link). */
struct sim_link_model {
	const char *name;		/* "none", "cmsis-dap-hs", "jlink", "stlink-v2" */
	uint32_t round_trip_ns;		/* per vdebug message (per probe command: see below) */
	uint32_t swd_clock_khz;		/* SWD clock */
	uint32_t bits_per_transaction;	/* SWD bits per DP/AP access incl. turnaround/idle */
	uint32_t transactions_per_round_trip;	/* probe packet capacity; 0 = unlimited */
	/*
	 * Probe-command models (ST-Link): max_block_bytes != 0 means the
	 * batch is turned into the probe commands OpenOCD's driver would
	 * send (sim_link_batch_delay_ns), each costing round_trip_ns plus
	 * its USB payload time or its SWD time, whichever is longer.
	 */
	uint32_t max_block_bytes;	/* largest memory command (32-bit), bytes */
	uint32_t usb_packet_bytes;	/* bulk packet size */
	uint32_t usb_packets_per_frame;	/* bulk packets per USB frame */
	uint32_t usb_frame_ns;		/* USB frame */
};
/*
 * Time the model charges for one probe exchange carrying n DAP transactions
 * (n = 0: a command without transfers, e.g. a reset pin change).  0 for "none".
 * For a probe-command model: one register command.
 */
uint64_t sim_link_delay_ns(const struct sim_link_model *link, unsigned int transactions);

/* What a probe-command model carries from one vdebug batch to the next. */
#define SIM_LINK_APS	16	/* APs whose TAR/CSW it follows (AP number mod 16) */
struct sim_link_state {
	bool run_open;		/* the last batch ended inside a memory run the client split */
	bool run_write;		/* direction of that run */
	uint8_t run_size;	/* its access size, bytes */
	uint8_t run_ap;		/* its AP */
	uint32_t run_bytes;	/* bytes of its current memory command so far */
	uint32_t run_next;	/* the address that would continue it */
	/* what the ADIv5 layer caches, so later batches need not write it again */
	uint32_t select;	/* DP SELECT */
	uint32_t tar[SIM_LINK_APS];	/* per MEM-AP: TAR, advanced by auto-increment */
	uint32_t csw[SIM_LINK_APS];	/* per MEM-AP: CSW (size, AddrInc) */
	bool csw_known;
	bool flush_ap_write;	/* an AP register write since the last AP register read */
};
/*
 * Time for one vdebug REG batch (count requests packed in req, as for
 * sim_dap_execute).  Count-based models ignore req and state; probe-command
 * models decode the batch into probe commands (state may be NULL).
 */
uint64_t sim_link_batch_delay_ns(const struct sim_link_model *link, const uint8_t *req,
				 size_t req_len, unsigned int count, struct sim_link_state *state);
/* Probe commands the last sim_link_batch_delay_ns call charged (tests, logs). */
struct sim_link_commands {
	unsigned int register_commands;	/* DP/AP register commands incl. the dap_run tail */
	unsigned int memory_commands;	/* memory read/write commands */
	unsigned int status_commands;	/* status read after each memory command */
	uint32_t memory_bytes;		/* data moved by memory commands */
	uint32_t memory_ops;		/* their accesses (SWD transfers) */
	unsigned int misc_pairs;	/* RW_MISC_OUT + RW_MISC_IN pairs (2 commands each) */
	unsigned int misc_ops;		/* memory ops they carried */
	uint32_t misc_out_bytes;	/* their OUT payload after the command blocks */
	uint32_t misc_in_bytes;		/* their IN payload */
};
void sim_link_batch_commands(const struct sim_link_model *link, const uint8_t *req,
			     size_t req_len, unsigned int count, struct sim_link_state *state,
			     struct sim_link_commands *out);
const struct sim_link_model *sim_link_model_find(const char *name);
const struct sim_link_model *const *sim_link_models(void);

/* What the machine does for the server. All callbacks run on the server thread. */
struct sim_vdebug_handler {
	void *ctx;
	/*
	 * Execute a DAP batch with the CPU paused; same contract as
	 * sim_dap_execute.  count may be 0 (OpenOCD's stale empty batch): the
	 * DAP then executes nothing and only counts it, so a machine may skip
	 * pausing the CPU for count == 0 as long as it still calls the DAP.
	 */
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
/*
 * Fault injection: serve n more REG batches, then, when the next one
 * arrives, close the connection with a TCP reset without executing or
 * answering it.  One-shot (the next client is served normally); 0 disarms.
 */
void sim_vdebug_server_drop_after(struct sim_vdebug_server *srv, uint64_t batches);
uint64_t sim_vdebug_server_round_trips(const struct sim_vdebug_server *srv);
/* WAIT messages answered (periodic from version-50 clients, after SIGSET from all). */
uint64_t sim_vdebug_server_waits(const struct sim_vdebug_server *srv);
/* Clients dropped for a malformed or stalled message. */
uint64_t sim_vdebug_server_dropped_clients(const struct sim_vdebug_server *srv);
/*
 * Longest pause allowed inside one message (between its first and last
 * byte) before the client is dropped; default SIM_VDEBUG_MESSAGE_TIMEOUT_MS.
 * Pauses between messages are not limited (an idle OpenOCD is legitimate).
 */
#define SIM_VDEBUG_MESSAGE_TIMEOUT_MS	5000u
void sim_vdebug_server_set_message_timeout(struct sim_vdebug_server *srv, unsigned int ms);
/* The bound TCP port (useful when created with port 0 = ephemeral). */
uint16_t sim_vdebug_server_port(const struct sim_vdebug_server *srv);

#endif /* SIM_DAP_H */
