/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_stub internals: the context of one run, the transaction
 * description every controller backend executes, and the backend ops
 * table.
 *
 * Invariants:
 *  - the stub is position independent with no GOT and no data section:
 *    all state lives on the stack (struct spiram_ctx) or in the host's
 *    parameter block; the ops table is filled at run time by code, whose
 *    function addresses are computed PC-relatively;
 *  - a backend only moves bytes; it knows nothing of NOR commands.  The
 *    NOR layer (stub_nor.c) only builds transactions; it never touches a
 *    controller register;
 *  - every function that can fail returns an enum spiram_status, 0 = OK.
 */

#ifndef SPIRAM_STUB_H
#define SPIRAM_STUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"

#define STUB_HIDDEN	__attribute__((visibility("hidden")))
/* An op's entry point keeps its own frame: the image is compiled whole
 * (-flto), and inlined into stub_dispatch() its locals would sit under
 * every other op's stack as well (stub/build.sh checks the sum). */
#define STUB_OP_ENTRY	STUB_HIDDEN __attribute__((noinline))

/* Largest chunk the stub reads or programs in one transaction through its
 * stack buffer.  Pages larger than this are programmed in several chunks. */
#define SPIRAM_STUB_CHUNK		256u

/* Bound on spins waiting for a controller flag (FIFO, TXE, TCF...) that
 * should come within a few bus clocks; beyond it: SPIRAM_ERR_CONTROLLER. */
#define SPIRAM_STUB_CTRL_SPIN_LIMIT	0x400000u

/*
 * Transaction format word, laid out like the QUADSPI CCR (see
 * stm32h7-quadspi.md 4.7) so that backend writes it almost as is: opcode in
 * 7:0, then per phase a 2-bit line code (0 = absent, 1 = one line, 2 = two,
 * 3 = four): instruction 9:8, address 11:10 with its size in bytes - 1 in
 * 13:12, mode byte 15:14, dummy cycles 22:18, data 25:24.
 */
#define XF_OP(op)		((uint32_t)(op))
#define XF_CMD1			BIT(8)
#define XF_ADDR(code, bytes)	((uint32_t)(code) << 10 | ((uint32_t)(bytes) - 1) << 12)
#define XF_MODE(code)		((uint32_t)(code) << 14)
#define XF_DUMMY(cycles)	((uint32_t)(cycles) << 18)
#define XF_DATA(code)		((uint32_t)(code) << 24)
#define XF_FIELD(fmt, shift)	(((fmt) >> (shift)) & 3)
#define XF_ADDR_SHIFT		10
#define XF_MODE_SHIFT		14
#define XF_DATA_SHIFT		24
#define XF_DUMMY_OF(fmt)	(((fmt) >> 18) & 0x1f)
/* High bit of every line code: set when a phase uses 2 or 4 lines. */
#define XF_MULTI_LINE_MASK	(BIT(9) | BIT(11) | BIT(15) | BIT(25))

/* Address bytes of a format word: 0 when it has no address phase. */
static inline int xf_addr_bytes(uint32_t fmt)
{
	return XF_FIELD(fmt, XF_ADDR_SHIFT) ? (int)XF_FIELD(fmt, 12) + 1 : 0;
}

/* One CS-framed SPI transaction. */
struct spiram_xfer {
	uint32_t fmt;			/* XF_* format word */
	uint32_t addr;			/* address, sent MSB first */
	uint32_t mode_byte;		/* continuous-read mode byte, if XF_MODE */
	uint32_t len;			/* data bytes (0 when there is no data phase) */
	const uint8_t *tx;		/* data to send, or NULL */
	uint8_t *rx;			/* where received data goes, or NULL */
};

struct spiram_ctx;

/*
 * A controller backend.  init saves the controller state it will change and
 * configures it for indirect transfers; restore puts the saved state back
 * (or leaves the controller memory-mapped for SPIRAM_RESTORE_MEMMAP).
 * wait_ready and memmap_enter may be NULL: the NOR layer then polls the
 * status register with xfer, and memory-mapped mode is unsupported.
 */
enum spiram_restore_mode {
	SPIRAM_RESTORE_AS_FOUND = 0,	/* registers exactly as found */
	SPIRAM_RESTORE_MEMMAP = 1,	/* as found, but memory-mapped with our read command */
	SPIRAM_RESTORE_INDIRECT = 2,	/* as found, but never memory-mapped */
};

struct spiram_backend_ops {
	uint32_t max_lines;		/* widest bus the backend drives: 1 or 4 */
	int (*init)(struct spiram_ctx *ctx);
	void (*restore)(struct spiram_ctx *ctx, enum spiram_restore_mode mode);
	int (*xfer)(struct spiram_ctx *ctx, const struct spiram_xfer *x);
	/* Poll SR1 (opcode 05h) until (SR1 & mask) == 0, or until the host
	 * asks to stop (spiram_host_stop(): SPIRAM_ERR_TIMEOUT). */
	int (*wait_ready)(struct spiram_ctx *ctx, uint32_t mask);
	/* Enter memory-mapped mode with the read command in ctx. */
	int (*memmap_enter)(struct spiram_ctx *ctx);
	/* Leave memory-mapped mode for indirect transactions (NULL when
	 * memmap_enter is). */
	int (*memmap_leave)(struct spiram_ctx *ctx);
	/* Byte-serial backends (xfer = spiram_serial_xfer): chip select, and
	 * one byte out/in on one line (-1 if the controller is stuck). */
	void (*select)(struct spiram_ctx *ctx, bool active);
	int (*exchange)(struct spiram_ctx *ctx, uint32_t tx);
	/* Optional: len bytes out on one line, nothing kept of what comes
	 * in (a page program's data); -1 if the controller is stuck. */
	int (*send)(struct spiram_ctx *ctx, const uint8_t *tx, uint32_t len);
	/* Optional: len bytes in, 0xFF going out (reads). */
	int (*recv)(struct spiram_ctx *ctx, uint8_t *rx, uint32_t len);
};

/* State saved by the QUADSPI backend at init (see backend_qspi.c). */
struct spiram_qspi_saved {
	uint32_t cr, dcr, ccr, ar, abr, dlr, psmkr, psmar, pir, lptr;
};

/* State saved by the OCTOSPI backend at init (see backend_ospi.c): the
 * registers it writes; no larger than the GPIO pins, the union's largest. */
struct spiram_ospi_saved {
	uint32_t cr, dcr1, dcr2, ccr, tcr, ir, abr, dlr, psmkr, psmar, pir;
};

/* State saved by the SPI v1 backend at init. */
struct spiram_spi_saved {
	uint32_t cr1, cr2;
};

/* Bit-bang pins resolved once at init (see backend_gpio.c). */
struct spiram_gpio_bus {
	uint32_t clk_set, clk_clr, clk_set_mask, clk_clr_mask;
	uint32_t mosi_set, mosi_clr, mosi_set_mask, mosi_clr_mask;
	uint32_t miso_in, miso_bit;
	/* CLK and MOSI set and cleared through one BSRR-style register: one
	 * write moves CLK low and MOSI to the next bit together */
	bool one_register;
};

struct spiram_ctx {
	struct spiram_params *params;	/* the host's block (r0 at entry) */
	const struct spiram_ctrl_cfg *ctrl;
	const struct spiram_flash_cfg *flash;
	struct spiram_backend_ops ops;
	union {
		struct spiram_qspi_saved qspi;
		struct spiram_ospi_saved ospi;
		struct spiram_spi_saved spi;
		struct spiram_gpio_bus gpio;
	} saved;
	uint32_t addr_bytes;		/* 3 or 4 for array commands */
	uint32_t read_fmt;		/* XF_* of the configured read, without opcode */
	uint32_t program_fmt;		/* XF_* of page program, without opcode */
	bool use_4b_opcodes;		/* use the *_4b opcodes */
	bool entered_4b_mode;		/* we sent B7h: send E9h before leaving */
	bool keep_4b_mode;		/* controller was found memory-mapped with 32-bit addresses */
	bool busy_pending;		/* a program/erase was started and not waited for yet */
	uint32_t busy_addr;		/* its address: fail_addr if that wait fails */
	uint32_t host_ptr;		/* in a stream: the FIFO pointer the host owns (0 = abort) */
#ifdef STUB_WITH_QSPI	/* (only there: the other images keep their stack) */
	bool dual;			/* QUADSPI dual-flash mode (SPIRAM_CTRL_F_DUAL_FLASH) */
	uint8_t reg2[4];		/* dual: FLASH2's bytes of the last register read */
	uint32_t idle_chips;		/* chips idle after the last program/erase start */
#endif
};

/* Dual-flash QUADSPI (ctx->dual): only the QUADSPI image carries its code. */
#ifdef STUB_WITH_QSPI
#define STUB_DUAL(ctx)		((ctx)->dual)
#define STUB_REG2(ctx, i)	((ctx)->reg2[i])
#else
#define STUB_DUAL(ctx)		false
#define STUB_REG2(ctx, i)	0
#endif

/* Internal result of spiram_nor_program_start() / spiram_nor_erase(): the
 * first status read after the command showed WIP = 0 (see stub_nor.c).
 * Never reaches params.status. */
#define SPIRAM_STUB_NOT_STARTED	0x100

/* Backends: each fills ops (code computes the addresses, no data tables). */
void spiram_backend_qspi(struct spiram_backend_ops *ops) STUB_HIDDEN;
void spiram_backend_ospi(struct spiram_backend_ops *ops) STUB_HIDDEN;
/* Register offsets of a QUADSPI-class controller, for stub_xspi.c. */
struct spiram_xspi_regs {
	uint32_t cr, sr, fcr, dr;
	/* A DR write waits while the FIFO is full (QUADSPI: RM0433, DR),
	 * so a write's data goes in without FLEVEL reads. */
	uint32_t write_stalls;
};

/* QUADSPI / OCTOSPI helpers (stub_xspi.c); errors are returned, the caller aborts. */
/* Wait until (SR & mask) == want: 0 or SPIRAM_ERR_CONTROLLER. */
int spiram_xspi_wait_sr(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r, uint32_t mask,
			uint32_t want) STUB_HIDDEN;
/* ABORT whatever runs (memory-mapped, polling, a stuck transfer), clear the flags. */
int spiram_xspi_abort(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r) STUB_HIDDEN;
/* FSIZE / DEVSIZE field (bits 20:16) for the chip size: log2(size) - 1. */
uint32_t spiram_xspi_size_field(const struct spiram_ctx *ctx) STUB_HIDDEN;
/* Wait for the match of a started APMS polling session: 0, SPIRAM_ERR_CONTROLLER or _TIMEOUT. */
int spiram_xspi_poll_wait(struct spiram_ctx *ctx, const struct spiram_xspi_regs *r) STUB_HIDDEN;
/* Data phase through the FIFO: 0 or SPIRAM_ERR_CONTROLLER. */
int spiram_fifo_move(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r,
		const struct spiram_xfer *x) STUB_HIDDEN;
void spiram_backend_spi(struct spiram_backend_ops *ops) STUB_HIDDEN;
void spiram_backend_gpio(struct spiram_backend_ops *ops) STUB_HIDDEN;

/* Transaction framing for byte-serial backends (stub_serial.c). */
int spiram_serial_xfer(struct spiram_ctx *ctx, const struct spiram_xfer *x) STUB_HIDDEN;

/* NOR layer (stub_nor.c). */
int spiram_nor_setup(struct spiram_ctx *ctx, bool need_array) STUB_HIDDEN;
void spiram_nor_teardown(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_cmd(struct spiram_ctx *ctx, uint8_t opcode) STUB_HIDDEN;
int spiram_nor_read_reg(struct spiram_ctx *ctx, uint8_t opcode, uint8_t *buf, uint32_t len) STUB_HIDDEN;
int spiram_nor_write_reg(struct spiram_ctx *ctx, uint8_t opcode, const uint8_t *buf, uint32_t len,
			 bool volatile_write) STUB_HIDDEN;
int spiram_nor_wait_ready(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_write_enable(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_read(struct spiram_ctx *ctx, uint32_t addr, uint8_t *buf, uint32_t len) STUB_HIDDEN;
int spiram_nor_program_start(struct spiram_ctx *ctx, uint32_t addr, const uint8_t *buf, uint32_t len) STUB_HIDDEN;
int spiram_nor_erase(struct spiram_ctx *ctx, uint32_t addr, uint32_t size) STUB_HIDDEN;
int spiram_nor_settle(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_why_not_started(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_erase_chip(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_reset(struct spiram_ctx *ctx) STUB_HIDDEN;
int spiram_nor_xfer(struct spiram_ctx *ctx, uint32_t fmt, uint32_t addr, const uint8_t *tx, uint8_t *rx,
			uint32_t len) STUB_HIDDEN;
uint32_t spiram_nor_read_opcode(const struct spiram_ctx *ctx) STUB_HIDDEN;

/* Status registers by read opcode into params.result (stub_main.c). */
int spiram_stub_read_status_regs(struct spiram_ctx *ctx, const uint32_t *op) STUB_HIDDEN;

/* Scans (stub_scan.c): CRC32, SPAN_CRC and BLANK_MAP. */
int spiram_stub_crc32(struct spiram_ctx *ctx) STUB_OP_ENTRY;
int spiram_stub_span_crc(struct spiram_ctx *ctx) STUB_OP_ENTRY;
int spiram_stub_blank_map(struct spiram_ctx *ctx) STUB_OP_ENTRY;

/*
 * Where a scan reads: through the controller's memory-mapped window when
 * it has one (no command per chunk, no status polling: the fastest read a
 * QUADSPI has) and the data cache is off (a cache could hold lines from
 * before the last program or erase); else by indirect reads into a buffer.
 */
struct stub_scan_src {
	const uint8_t *window;		/* flash offset 0 in the window, or NULL */
};

/* CRCs of pieces of flash, as SPAN_CRC computes them, for CHECK frames and
 * CRC32: begin (tables in the host's buffer at table, room bytes; the chip
 * is waited for first), a piece (*crc in: the CRC so far, 0xffffffff to
 * start; out: with the piece), end (status: the first error so far). */
struct spiram_stub_crc {
	struct stub_scan_src src;
	const uint32_t *t0, *t1;	/* t1 NULL: a byte at a time */
	uint32_t blank_len;		/* the last all-0xFF piece: its length */
	uint32_t blank_crc;		/* and its CRC (blank_len 0: none yet) */
};
int spiram_stub_crc_begin(struct spiram_ctx *ctx, struct spiram_stub_crc *c, uint32_t table, uint32_t room)
	STUB_HIDDEN;
int spiram_stub_crc_piece(struct spiram_ctx *ctx, struct spiram_stub_crc *c, uint32_t addr, uint32_t n,
		uint32_t *crc) STUB_HIDDEN;
/* The end of a scan or of CRCs (c->src): leaves the window, if entered. */
int spiram_stub_scan_end(struct spiram_ctx *ctx, const struct stub_scan_src *src, int status) STUB_HIDDEN;

/* Compressed read stream (stub_lz.c): READ_LZ; and the expansion of the
 * LZ4 blocks of PROGRAM_LZ write frames. */
int spiram_stub_read_lz(struct spiram_ctx *ctx) STUB_OP_ENTRY;
#include "stub_lz_expand.h"	/* spiram_stub_lz4_expand() */

/* Called by stub_entry.S: the image check, then spiram_stub_main(). */
void spiram_stub_gate(struct spiram_params *params) STUB_HIDDEN;
void spiram_stub_main(struct spiram_params *params) STUB_HIDDEN;

/* Small helpers, so newlib's memcpy/memset are not needed. */
static inline void spiram_copy(uint8_t *dst, const uint8_t *src, uint32_t len)
{
	while (len--)
		*dst++ = *src++;
}

/* floor(log2(v)) for v > 0, without libgcc's __clzsi2. */
static inline uint32_t spiram_log2(uint32_t v)
{
	uint32_t n = 0;
	while (v >>= 1)
		n++;
	return n;
}

static inline uint32_t spiram_read32(uint32_t addr)
{
	return *(volatile uint32_t *)addr;
}

/* The host wants a busy wait to end: params.keep_running cleared, or (in a
 * stream) the FIFO pointer it owns set to 0.  See spiram_contract.h. */
static inline bool spiram_host_stop(const struct spiram_ctx *ctx)
{
	return !*(volatile uint32_t *)&ctx->params->keep_running
		|| (ctx->host_ptr && !spiram_read32(ctx->host_ptr));
}

static inline void spiram_write32(uint32_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

#endif /* SPIRAM_STUB_H */
