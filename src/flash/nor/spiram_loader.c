// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_loader: external SPI/QSPI NOR flash on Cortex-M targets, driven by
 * a small position-independent stub that runs in target RAM.
 *
 * This file owns the OpenOCD side: bank registration, probing (JEDEC ID and
 * SFDP through the stub, merged with the chip table by spiram_chips), every
 * flash operation, and the `spiram_loader` command group.  The numbers it
 * shares with the stub live in spiram_contract.h; chip knowledge, SFDP
 * decoding, erase planning, protection encoding, argument parsing, stream
 * framing and CRC32 live in the pure spiram_* helper modules.
 *
 * Invariants:
 *  - every access to the flash goes through the stub; the driver never
 *    drives the controller itself, except to put its registers back as they
 *    were found when a stub run failed half-way (fault or timeout);
 *  - a session (struct spiram_session) brackets every operation: it checks
 *    that the target is halted, uploads and verifies the stub, arms vector
 *    catch, snapshots the controller; its end restores DEMCR, the controller
 *    and the core registers, frees the work area and keeps the first error;
 *  - a bank that failed to probe has no sectors and auto_probe keeps
 *    returning an error, so OpenOCD never matches addresses against it;
 *  - no stub run ever exceeds the timeouts of OpenOCD's async loops: write
 *    streams only carry program frames (at most one FIFO of page programs
 *    remains when the host has sent everything), erases and long checks run
 *    through spiram_run() with a timeout computed from the chip's maximum
 *    times scaled by the size.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "imp.h"
#include <helper/align.h>
#include <helper/binarybuffer.h>
#include <helper/bits.h>
#include <helper/fileio.h>
#include <helper/time_support.h>
#include <target/algorithm.h>
#include <target/armv7m.h>
#include <target/cortex_m.h>
#include <target/image.h>
#include <target/register.h>
#include <target/target.h>

#include "spiram_contract.h"
#include "spiram_args.h"
#include "spiram_chips.h"
#include "spiram_crc.h"
#include "spiram_compat.h"
#include "spiram_erase.h"
#include "spiram_lz.h"
#include "spiram_protect.h"
#include "spiram_sfdp.h"
#include "spiram_stream.h"

/* The stub image, generated from stub/ (see stub/stub.mk). */
static const uint8_t spiram_stub_image[] = {
#include "spiram_stub.inc"
};

/* Initial value of OpenOCD's image checksum (CRC32, MSB first). */
#define SPIRAM_CRC32_START		0xffffffffu

#define SPIRAM_PARAMS_WORDS		(sizeof(struct spiram_params) / 4)
/* Words at the start of the parameter block that the stub writes back. */
#define SPIRAM_PARAMS_OUT_WORDS		6

/* Bytes read back at each end of the stub after its upload; the stub
 * checks the rest itself (params.image_hash). */
#define SPIRAM_UPLOAD_CHECK_BYTES	64u

/* Scratch buffer in the work area for PROBE (SFDP) and RAW transactions. */
#define SPIRAM_SCRATCH_SIZE		1024u
/* Bytes of SFDP space read at probe; real tables sit far below this. */
#define SPIRAM_SFDP_READ_SIZE		SPIRAM_SCRATCH_SIZE
/* Largest raw transaction of `spiram_loader cmd` (tx + rx). */
#define SPIRAM_RAW_MAX			SPIRAM_SCRATCH_SIZE

/* FIFO (data part): with no -workarea-size the driver takes as much of
 * the free work area as it can, up to SPIRAM_FIFO_MAX.  A large FIFO lets
 * the link keep sending while the chip erases a block in the middle of a
 * write stream (64 KiB hold about 100 ms of a high-speed probe's data,
 * and a 64 KiB block erase takes 150 ms typical on a W25Q128JV), and a
 * compressed write shares it with the stub's LZ4 window, which reaches
 * 64 KiB back (SPIRAM_WRITE_LZ_SCRATCH_MAX): 128 KiB, an STM32H7's whole
 * DTCM, hold both.  The error for a work area that is too small suggests
 * room for SPIRAM_FIFO_SUGGEST. */
#define SPIRAM_FIFO_MAX			(128u * 1024u)
#define SPIRAM_FIFO_SUGGEST		(16u * 1024u)
/* A write stream's FIFO, at most: each run's end drains it while the link
 * idles, and beyond what covers a block erase it gains nothing (P1b, 1 MiB
 * of random data over the CMSIS-DAP model: 4225 ms with 54 KiB, 4259 to
 * 4373 ms with 115 KiB). */
#define SPIRAM_WRITE_FIFO_MAX		(64u * 1024u)
/* A compressed write over a link slower than the chip: the FIFO's share
 * of the area, at most (the LZ4 window takes the rest, up to its
 * 64 KiB).  OpenOCD's first write, half the FIFO, keeps the chip idle
 * (20 KiB: 70 ms over the ST-Link model); a longer window shrinks every
 * write after it.  Also any write stream's FIFO over a link only a little
 * slower than the chip (spiram_link_near_chip). */
#define SPIRAM_SLOW_LINK_FIFO		(40u * 1024u)

/* Over a link at most half as fast as the chip (spiram_link_far_slower),
 * a write stream checks what it programmed every this many bytes of
 * program data, while the chip waits for the link anyway, instead of all
 * at the stream's end, where the link would wait for the check. */
#define SPIRAM_CHECK_EVERY		(64u * 1024u)

/* Time margins: stub runs get the chip's maximum times, scaled by this
 * factor (in percent), plus a fixed allowance for the run itself. */
#define SPIRAM_TIMEOUT_SCALE_PERCENT	150u
#define SPIRAM_TIMEOUT_BASE_MS		2000u
/* Erase types whose maximum time is unknown count as this. */
#define SPIRAM_DEFAULT_ERASE_MAX_US	3000000u
/* A chip erase whose maximum time is unknown: the worst of common 16 MiB parts. */
#define SPIRAM_DEFAULT_CHIP_ERASE_MS	400000u

/* Slowest array read rate assumed per controller when a read-type operation
 * (CRC, blank check) is given a timeout: bytes per second. */
#define SPIRAM_MIN_RATE_QSPI		(512u * 1024u)
#define SPIRAM_MIN_RATE_SPI		(64u * 1024u)
#define SPIRAM_MIN_RATE_GPIO		(4u * 1024u)

/* Usual rate of the stub's CRC pass per controller, bytes per second
 * (about half the read rates in docs/driver.md), to decide whether looking
 * for blank sectors before an erase costs less than it can save. */
#define SPIRAM_SCAN_RATE_QSPI		(2048u * 1024u)
#define SPIRAM_SCAN_RATE_SPI		(400u * 1024u)
#define SPIRAM_SCAN_RATE_GPIO		(150u * 1024u)
/* Maximum erase times are 6 to 14 times the typical ones (JESD216 DW11
 * multipliers of the dumps in tests/data/sfdp): scan first when the scan
 * takes less than maximum / this. */
#define SPIRAM_SCAN_ERASE_RATIO		8u

/* Where QUADSPI's memory-mapped window starts (RM0433, RM0385, RM0351). */
#define SPIRAM_QSPI_WINDOW		0x90000000u
#define SPIRAM_OSPI2_WINDOW		0x70000000u	/* OCTOSPI2 bank (OCTOSPI1: as QUADSPI) */

/* Chunks: one stub run each.  Write/read chunks adapt to about one second
 * each. */
#define SPIRAM_STREAM_CHUNK_MIN		(16u * 1024u)
#define SPIRAM_STREAM_CHUNK_FIRST	(64u * 1024u)
#define SPIRAM_STREAM_CHUNK_MAX		(1024u * 1024u)

/* Write streams end each run with the FIFO drained at the chip's pace
 * while the link idles (about 100 ms for a 56 KiB FIFO at 0.4 ms a page),
 * so they take longer runs: about three seconds each, the first one sized
 * from a usual programming rate per controller (bytes per second of
 * smart programming over other data, measured on the simulated boards with
 * a high-speed probe: docs/driver.md), the next ones from the rate of the
 * run before.  A rest shorter than half a run goes with the run before it. */
#define SPIRAM_WRITE_RATE_QSPI		(350u * 1024u)
#define SPIRAM_WRITE_RATE_SPI		(90u * 1024u)
#define SPIRAM_WRITE_RATE_GPIO		(70u * 1024u)
#define SPIRAM_WRITE_CHUNK_MAX		(4096u * 1024u)
#define SPIRAM_WRITE_RUN_MS		3000

/* After its deadline, a run is asked to stop (params.keep_running = 0) and
 * given this long to end on its own before it is halted. */
#define SPIRAM_STOP_GRACE_MS		1000

#define SPIRAM_PROGRESS_INTERVAL_MS	1000
#define SPIRAM_PROGRESS_TIME_INTERVAL_MS	5000
#define SPIRAM_POLL_INTERVAL_MS		10
/* For its first SPIRAM_POLL_FAST_MS a run is polled every millisecond: the
 * scans before a write (a few to a few tens of milliseconds) end between
 * polls, and a late poll is time the chip waits. */
#define SPIRAM_POLL_FAST_MS		64

/* What the host writes into params.status and params.fail_addr before each
 * run.  The stub sets fail_addr when it starts and status as the last thing
 * before its exit point, so a run that never got there is told apart from
 * a successful one (SPIRAM_OK is 0). */
#define SPIRAM_STATUS_NOT_RUN		0xffffffffu
#define SPIRAM_FAIL_ADDR_NOT_RUN	0xffffffffu
/* How long a halt request may take before the link is declared lost. */
#define SPIRAM_HALT_TIMEOUT_MS		500

/* Cortex-M debug and fault registers (ARMv7-M ARM, B3.2 and C1.6). */
#define SPIRAM_REG_CFSR			0xE000ED28u	/* configurable fault status */
#define SPIRAM_REG_HFSR			0xE000ED2Cu	/* hard fault status */
#define SPIRAM_REG_DFSR			0xE000ED30u	/* debug fault status */
#define SPIRAM_REG_MMFAR		0xE000ED34u	/* memory management fault address */
#define SPIRAM_REG_BFAR			0xE000ED38u	/* bus fault address */
#define SPIRAM_REG_DEMCR		0xE000EDFCu	/* debug exception and monitor control */
/* DEMCR vector catch bits: halt on entry to these fault handlers. */
#define SPIRAM_DEMCR_VC_MASK		(BIT(10) | BIT(9) | BIT(8) | BIT(7) | BIT(6) | BIT(5) | BIT(4))
#define SPIRAM_DEMCR_VC_HARDERR		BIT(10)

/* STM32 QUADSPI registers (RM0433 23.5), offsets from regs. */
#define SPIRAM_QSPI_CR			0x00u	/* control: EN bit0, ABORT bit1 */
#define SPIRAM_QSPI_DCR			0x04u	/* device configuration */
#define SPIRAM_QSPI_SR			0x08u	/* status: BUSY bit5 */
#define SPIRAM_QSPI_DLR			0x10u	/* data length */
#define SPIRAM_QSPI_CCR			0x14u	/* communication configuration: FMODE 27:26 */
#define SPIRAM_QSPI_ABR			0x1Cu	/* alternate bytes */
#define SPIRAM_QSPI_PSMKR		0x24u	/* polling status mask */
#define SPIRAM_QSPI_PSMAR		0x28u	/* polling status match */
#define SPIRAM_QSPI_PIR			0x2Cu	/* polling interval */
#define SPIRAM_QSPI_LPTR		0x30u	/* low-power timeout */
#define SPIRAM_QSPI_DR			0x20u	/* data: a read takes bytes from the FIFO */
#define SPIRAM_QSPI_SNAP_WORDS		(SPIRAM_QSPI_LPTR / 4 + 1)	/* CR..LPTR */
#define SPIRAM_QSPI_CR_EN		BIT(0)
#define SPIRAM_QSPI_CR_ABORT		BIT(1)
#define SPIRAM_QSPI_CR_DFM		BIT(6)	/* dual-flash mode (RM0433) */
#define SPIRAM_QSPI_SR_BUSY		BIT(5)
#define SPIRAM_QSPI_FMODE(ccr)		(((ccr) >> 26) & 3u)
#define SPIRAM_QSPI_FMODE_MEMMAP	3u
#define SPIRAM_QSPI_ADSIZE(ccr)		(((ccr) >> 12) & 3u)	/* address bytes - 1 */
#define SPIRAM_QSPI_FSIZE(dcr)		(((dcr) >> 16) & 0x1fu)	/* window = 2^(FSIZE + 1) bytes */
/* Indirect write (FMODE 0) with a data phase (DMODE 1): starts nothing
 * until data is pushed, so it is a safe CCR to leave behind. */
#define SPIRAM_QSPI_CCR_IDLE		BIT(24)

/* STM32 OCTOSPI (RM0455; reference sheet stm32-octospi.md 2.1): the same
 * SR bits and DCR1.DEVSIZE / CCR.ADSIZE positions as QUADSPI's DCR.FSIZE /
 * CCR.ADSIZE, but FMODE in CR 29:28, dummy cycles in TCR, opcode in IR. */
#define SPIRAM_OSPI_FMODE(cr)		(((cr) >> 28) & 3u)

/* Register offsets of a QUADSPI-class controller, 0 where it has none. */
struct spiram_xspi_regs {
	uint32_t cr, dcr, sr, dlr, ccr, abr, psmkr, psmar, pir, lptr, tcr, ir;
};

static const struct spiram_xspi_regs spiram_qspi_regs = {
	.cr = SPIRAM_QSPI_CR, .dcr = SPIRAM_QSPI_DCR, .sr = SPIRAM_QSPI_SR, .dlr = SPIRAM_QSPI_DLR,
	.ccr = SPIRAM_QSPI_CCR, .abr = SPIRAM_QSPI_ABR, .psmkr = SPIRAM_QSPI_PSMKR,
	.psmar = SPIRAM_QSPI_PSMAR, .pir = SPIRAM_QSPI_PIR, .lptr = SPIRAM_QSPI_LPTR,
};

static const struct spiram_xspi_regs spiram_ospi_regs = {
	.cr = 0x000, .dcr = 0x008, .sr = 0x020, .dlr = 0x040, .ccr = 0x100, .abr = 0x120,
	.psmkr = 0x080, .psmar = 0x088, .pir = 0x090, .lptr = 0x130, .tcr = 0x108, .ir = 0x110,
};

static const struct spiram_xspi_regs *spiram_xspi_regs_of(uint32_t type)
{
	return type == SPIRAM_CTRL_STM32_OSPI ? &spiram_ospi_regs : &spiram_qspi_regs;
}

/* STM32F1/GD32F30x SPI v1 registers (RM0008 25.5). */
#define SPIRAM_SPI_CR1			0x00u	/* control 1: SPE bit6 */
#define SPIRAM_SPI_CR2			0x04u	/* control 2 */
#define SPIRAM_SPI_CR1_SPE		BIT(6)

/* Controller registers saved at the start of a session. */
struct spiram_ctrl_snapshot {
	bool valid;			/* registers could be read */
	/* QUADSPI registers, or the OCTOSPI ones of the same meaning (DCR1 for
	 * DCR; its FMODE is in CR, see spiram_snap_memmap) */
	uint32_t qspi_cr;		/* QUADSPI CR as found */
	uint32_t qspi_dcr;		/* QUADSPI DCR as found */
	uint32_t qspi_ccr;		/* QUADSPI CCR as found: FMODE = 3 is memory-mapped */
	uint32_t qspi_abr;		/* QUADSPI ABR: mode byte of continuous reads */
	uint32_t qspi_dlr;		/* QUADSPI DLR */
	uint32_t qspi_psmkr;		/* QUADSPI PSMKR */
	uint32_t qspi_psmar;		/* QUADSPI PSMAR */
	uint32_t qspi_pir;		/* QUADSPI PIR */
	uint32_t qspi_lptr;		/* QUADSPI LPTR: memory-mapped CS timeout */
	uint32_t ospi_tcr;		/* OCTOSPI TCR: dummy cycles of the memory-mapped read */
	uint32_t ospi_ir;		/* OCTOSPI IR: its opcode */
	uint32_t spi_cr1;		/* SPI CR1 as found (SPE, baud rate, mode) */
	uint32_t spi_cr2;		/* SPI CR2 as found */
};

/* The controller was found in memory-mapped mode (QUADSPI: CCR.FMODE, OCTOSPI: CR.FMODE). */
static bool spiram_snap_memmap(uint32_t type, const struct spiram_ctrl_snapshot *snap)
{
	if (!snap->valid)
		return false;
	if (type == SPIRAM_CTRL_STM32_OSPI)
		return SPIRAM_OSPI_FMODE(snap->qspi_cr) == SPIRAM_QSPI_FMODE_MEMMAP;
	return SPIRAM_QSPI_FMODE(snap->qspi_ccr) == SPIRAM_QSPI_FMODE_MEMMAP;
}

struct spiram_loader_bank {
	bool probed;
	uint32_t bank_size_arg;		/* size given on the bank line, 0 = detect */
	struct spiram_bank_args args;	/* controller and options from the bank line */
	struct spiram_user_override user;	/* options plus `spiram_loader set` */

	/* Probe results. */
	uint8_t id[SPIRAM_CHIP_ID_MAX];	/* JEDEC ID (9Fh) bytes */
	bool has_sfdp;			/* SFDP decoded */
	enum spiram_sfdp_error sfdp_error;	/* why not, when !has_sfdp */
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config chip;	/* merged configuration */
	uint32_t stub_caps;		/* SPIRAM_CAP_* of the embedded stub */
	/* The fastest stub upload of this bank so far (bytes/s): the link's
	 * rate, without the jitter of a single 8 KiB sample. */
	uint64_t link_bytes_per_s_best;
	/* The stub image this bank last uploaded, and where: a session that
	 * finds its ends there again runs it without a new upload. */
	const uint8_t *stub_image;
	target_addr_t stub_at;
	bool memmap_widened;		/* told the user the window was widened */

	/* Smart programming (see docs/driver.md, "Smart programming"). */
	bool erase_unwritten;		/* write: bytes of a sector the data does not cover become 0xFF */
	bool defer_erase;		/* erase() only records sectors (GDB's vFlashErase) */
	bool no_write_lz;		/* write: never send compressed program frames */
	uint8_t *pending_erase;		/* one flag per sector: erase asked for, not done yet */

	/* Dual-flash QUADSPI (CR.DFM = 1 when probed): two identical chips on
	 * BK1 and BK2, bank byte 2k in FLASH1 and 2k + 1 in FLASH2.  chip
	 * then describes the pair: size, page and erase sizes doubled. */
	bool dual;
};

/* One operation's hold on the target: work area, stub, saved state. */
struct spiram_session {
	struct flash_bank *bank;
	struct spiram_loader_bank *info;
	struct target *target;
	struct working_area *area;
	target_addr_t image_addr;	/* stub image, header first */
	target_addr_t params_addr;	/* struct spiram_params */
	target_addr_t buffer_addr;	/* scratch for PROBE and RAW */
	target_addr_t stack_bottom;	/* lowest stack word: the canary */
	target_addr_t stack_top;	/* initial SP, 8-byte aligned */
	target_addr_t fifo_addr;	/* async FIFO: wp, rp, data */
	uint32_t fifo_size;		/* bytes including the 8 pointer bytes */
	target_addr_t entry;		/* stub entry point */
	target_addr_t exit;		/* address of the stub's final BKPT */
	uint32_t demcr;			/* DEMCR as found */
	bool demcr_changed;		/* vector catch was armed by us */
	bool need_reset_advice;		/* a fault or timeout left the core in doubt */
	int64_t run_start_ms;		/* when the current stub run started */
	unsigned int run_limit_ms;	/* its deadline: the chip's maximum times, scaled */
	struct spiram_ctrl_snapshot snap;
	bool dual;			/* QUADSPI found in dual-flash mode */
	uint64_t link_bytes_per_s;	/* the stub upload's rate, 0 if too fast to time */
	const uint8_t *image;		/* the stub image for this controller */
	uint32_t image_size;		/* the stub image's bytes in the work area */
	uint32_t image_hash;		/* spiram_image_hash() of the image */
	bool image_unchecked;		/* no run has checked it yet (params.image_hash) */
	bool upload_skipped;		/* runs the image an earlier session left */
	struct armv7m_algorithm alg;
};

/* Where the stub stopped, taken before target_wait_algorithm() puts the
 * caller's registers back over the stub's. */
struct spiram_stop {
	bool halted_by_host;		/* still running at the deadline: the host halted it */
	uint32_t pc;			/* where the core stopped */
	uint32_t sp;
	uint32_t xpsr;			/* IPSR bits 8:0: exception number, 0 in thread mode */
};

/* Progress of one long operation, logged about once a second. */
struct spiram_progress {
	const char *what;
	uint32_t total;			/* bytes */
	int64_t start_ms;
	int64_t last_ms;
	bool logged;
	/* An operation with no byte count to show (chip erase): elapsed time
	 * against the chip's typical and maximum time, when these are set. */
	uint32_t typ_ms, max_ms;
};

/* Trees whose driver.h declares every driver already (see spiram_compat.h). */
#if !SPIRAM_DRIVER_H_DECLARES_DRIVERS
extern const struct flash_driver spiram_loader_flash;
#endif

static int spiram_loader_probe(struct flash_bank *bank);
static int spiram_widen_memmap(struct spiram_session *s);

/* ------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------ */

static void spiram_progress_start(struct spiram_progress *pg, const char *what, uint32_t total)
{
	pg->what = what;
	pg->total = total;
	pg->start_ms = timeval_ms();
	pg->last_ms = pg->start_ms;
	pg->logged = false;
	pg->typ_ms = 0;
	pg->max_ms = 0;
}

static uint32_t spiram_rate_kib(uint32_t done, int64_t elapsed_ms)
{
	if (elapsed_ms <= 0)
		return 0;
	return (uint32_t)((uint64_t)done * 1000 / 1024 / (uint64_t)elapsed_ms);
}

static void spiram_progress_update(struct spiram_progress *pg, uint32_t done)
{
	int64_t now = timeval_ms();
	if (pg->max_ms) {
		if (now - pg->last_ms < SPIRAM_PROGRESS_TIME_INTERVAL_MS)
			return;
		pg->last_ms = now;
		pg->logged = true;
		char typ[32] = "";
		if (pg->typ_ms)
			snprintf(typ, sizeof(typ), "typically %" PRIu32 " s, ", pg->typ_ms / 1000);
		LOG_INFO("spiram_loader: %s: %" PRId64 " s so far (%sat most %" PRIu32 " s)", pg->what,
			(now - pg->start_ms) / 1000, typ, pg->max_ms / 1000);
		return;
	}
	if (now - pg->last_ms < SPIRAM_PROGRESS_INTERVAL_MS)
		return;
	pg->last_ms = now;
	pg->logged = true;
	LOG_INFO("spiram_loader: %s %" PRIu32 " / %" PRIu32 " bytes (%u%%), %" PRIu32 " KiB/s",
		pg->what, done, pg->total,
		pg->total ? (unsigned int)((uint64_t)done * 100 / pg->total) : 100,
		spiram_rate_kib(done, now - pg->start_ms));
}

static void spiram_progress_done(struct spiram_progress *pg, uint32_t done)
{
	int64_t elapsed = timeval_ms() - pg->start_ms;
	if (pg->logged || elapsed >= SPIRAM_PROGRESS_INTERVAL_MS)
		LOG_INFO("spiram_loader: %s %" PRIu32 " bytes in %" PRId64 " ms (%" PRIu32 " KiB/s)",
			pg->what, done, elapsed, spiram_rate_kib(done, elapsed));
	else
		LOG_DEBUG("spiram_loader: %s %" PRIu32 " bytes in %" PRId64 " ms", pg->what, done, elapsed);
}

/* The stub's status as the contract names it, for messages. */
static const char *spiram_status_name(uint32_t status)
{
	switch (status) {
	case SPIRAM_OK:
		return "OK";
	case SPIRAM_ERR_BAD_OP:
		return "BAD_OP";
	case SPIRAM_ERR_BAD_PARAM:
		return "BAD_PARAM";
	case SPIRAM_ERR_NO_CONTROLLER:
		return "NO_CONTROLLER";
	case SPIRAM_ERR_TIMEOUT:
		return "TIMEOUT";
	case SPIRAM_ERR_WEL:
		return "WEL";
	case SPIRAM_ERR_VERIFY:
		return "VERIFY";
	case SPIRAM_ERR_NOT_BLANK:
		return "NOT_BLANK";
	case SPIRAM_ERR_BAD_FRAME:
		return "BAD_FRAME";
	case SPIRAM_ERR_ABORTED:
		return "ABORTED";
	case SPIRAM_ERR_CONTROLLER:
		return "CONTROLLER";
	case SPIRAM_ERR_NO_CHIP:
		return "NO_CHIP";
	case SPIRAM_ERR_PROTECTED:
		return "PROTECTED";
	case SPIRAM_ERR_CRC:
		return "CRC";
	case SPIRAM_ERR_IMAGE:
		return "IMAGE";
	case SPIRAM_STATUS_NOT_RUN:
		return "NOT_RUN";
	default:
		return "UNKNOWN";
	}
}

static const char *spiram_status_text(uint32_t status)
{
	switch (status) {
	case SPIRAM_OK:
		return "success";
	case SPIRAM_ERR_BAD_OP:
		return "operation not understood by the stub (stub and driver versions differ?)";
	case SPIRAM_ERR_BAD_PARAM:
		return "a parameter is out of range";
	case SPIRAM_ERR_NO_CONTROLLER:
		return "controller backend missing from the stub, or its registers do not answer";
	case SPIRAM_ERR_TIMEOUT:
		return "the flash stayed busy longer than its datasheet maximum";
	case SPIRAM_ERR_WEL:
		return "the write enable latch did not set (WP# low, or no chip answering)";
	case SPIRAM_ERR_VERIFY:
		return "read-back differs from the data programmed";
	case SPIRAM_ERR_NOT_BLANK:
		return "not blank";
	case SPIRAM_ERR_BAD_FRAME:
		return "write stream framing broken";
	case SPIRAM_ERR_ABORTED:
		return "aborted by the host";
	case SPIRAM_ERR_CONTROLLER:
		return "the controller flagged an error or did not complete a transfer";
	case SPIRAM_ERR_NO_CHIP:
		return "no chip answers (JEDEC ID all 0x00 or all 0xFF)";
	case SPIRAM_ERR_PROTECTED:
		return "the chip ignored program/erase: the range is write-protected";
	case SPIRAM_ERR_CRC:
		return "what was programmed has another CRC than the data";
	case SPIRAM_ERR_IMAGE:
		return "the stub image in RAM differs from the one uploaded";
	case SPIRAM_STATUS_NOT_RUN:
		return "the stub did not write its status (it never returned)";
	default:
		return "unknown status";
	}
}

static uint32_t spiram_min_rate(const struct spiram_loader_bank *info)
{
	switch (info->args.ctrl.type) {
	case SPIRAM_CTRL_STM32_QSPI:
	case SPIRAM_CTRL_STM32_OSPI:
		return SPIRAM_MIN_RATE_QSPI;
	case SPIRAM_CTRL_STM32_SPI:
		return SPIRAM_MIN_RATE_SPI;
	default:
		return SPIRAM_MIN_RATE_GPIO;
	}
}

/* Timeout for an operation that reads len bytes of the array. */
static unsigned int spiram_read_timeout_ms(const struct spiram_loader_bank *info, uint32_t len)
{
	uint64_t ms = (uint64_t)len * 1000 / spiram_min_rate(info);
	return (unsigned int)MIN(ms + SPIRAM_TIMEOUT_BASE_MS, (uint64_t)INT32_MAX);
}

static unsigned int spiram_scale_timeout_ms(uint64_t worst_us)
{
	uint64_t ms = worst_us / 1000 * SPIRAM_TIMEOUT_SCALE_PERCENT / 100;
	return (unsigned int)MIN(ms + SPIRAM_TIMEOUT_BASE_MS, (uint64_t)INT32_MAX);
}

static const char *spiram_ctrl_name(uint32_t type)
{
	switch (type) {
	case SPIRAM_CTRL_STM32_QSPI:
		return "stm32_qspi";
	case SPIRAM_CTRL_STM32_OSPI:
		return "stm32_ospi";
	case SPIRAM_CTRL_STM32_SPI:
		return "stm32_spi";
	case SPIRAM_CTRL_GPIO:
		return "gpio";
	default:
		return "?";
	}
}

/* The controller as `flash info` shows it: its registers, or the GPIO pins
 * of a bit-banged bus as <register>:<bit> (set register for outputs, input
 * register for MISO), since a GPIO controller has no base address. */
static const char *spiram_ctrl_describe(const struct spiram_ctrl_cfg *ctrl, char *buf, size_t size)
{
	static const char * const pin_names[SPIRAM_PIN_COUNT] = { "cs", "clk", "mosi", "miso", "io2", "io3" };
	const struct spiram_pin *cs = &ctrl->pins[SPIRAM_PIN_CS];

	if (spiram_ctrl_is_stm32_xspi(ctrl->type)) {
		snprintf(buf, size, "%s at 0x%08" PRIx32, spiram_ctrl_name(ctrl->type), ctrl->regs);
	} else if (ctrl->type == SPIRAM_CTRL_STM32_SPI) {
		snprintf(buf, size, "stm32_spi at 0x%08" PRIx32 ", cs 0x%08" PRIx32 ":%" PRIu32, ctrl->regs,
			cs->set_reg, cs->bit);
	} else {
		size_t used = snprintf(buf, size, "%s, pins", spiram_ctrl_name(ctrl->type));
		for (unsigned int i = 0; i < SPIRAM_PIN_COUNT && used < size; i++) {
			const struct spiram_pin *pin = &ctrl->pins[i];
			uint32_t reg = i == SPIRAM_PIN_MISO ? pin->in_reg : pin->set_reg;
			if (reg)
				used += snprintf(buf + used, size - used, " %s 0x%08" PRIx32 ":%" PRIu32,
					pin_names[i], reg, pin->bit);
		}
	}
	return buf;
}

static uint32_t spiram_ctrl_cap(uint32_t type)
{
	switch (type) {
	case SPIRAM_CTRL_STM32_QSPI:
		return SPIRAM_CAP_CTRL_STM32_QSPI;
	case SPIRAM_CTRL_STM32_OSPI:
		return SPIRAM_CAP_CTRL_STM32_OSPI;
	case SPIRAM_CTRL_STM32_SPI:
		return SPIRAM_CAP_CTRL_STM32_SPI;
	case SPIRAM_CTRL_GPIO:
		return SPIRAM_CAP_CTRL_GPIO;
	default:
		return 0;
	}
}

static void spiram_format_id(const uint8_t *id, char *out, size_t out_size)
{
	snprintf(out, out_size, "%02" PRIx8 " %02" PRIx8 " %02" PRIx8, id[0], id[1], id[2]);
}

/* ------------------------------------------------------------------------
 * The embedded stub image
 * ------------------------------------------------------------------------ */

static void spiram_stub_header_get(const uint8_t *image, struct spiram_stub_header *hdr)
{
	hdr->magic = le_to_h_u32(image + 0);
	hdr->version = le_to_h_u32(image + 4);
	hdr->header_size = le_to_h_u32(image + 8);
	hdr->image_size = le_to_h_u32(image + 12);
	hdr->entry_offset = le_to_h_u32(image + 16);
	hdr->exit_offset = le_to_h_u32(image + 20);
	hdr->capabilities = le_to_h_u32(image + 24);
	hdr->stack_size = le_to_h_u32(image + 28);
	hdr->min_arch = le_to_h_u32(image + 32);
	hdr->image_crc32 = le_to_h_u32(image + 36);
}

/*
 * Find the embedded image built for this controller: spiram_stub.inc holds
 * one image per backend back to back, each starting with its header.
 * Checks the header and the image CRC (OpenOCD's image checksum with the
 * crc field read as zero).
 */
static int spiram_stub_find_image(uint32_t ctrl_type, const uint8_t **image, struct spiram_stub_header *hdr)
{
	const size_t total = sizeof(spiram_stub_image);
	const uint32_t cap = spiram_ctrl_cap(ctrl_type);
	size_t pos = 0;

	if (total < sizeof(*hdr)) {
		LOG_ERROR("spiram_loader: this OpenOCD was built without the target stub "
			"(spiram_stub.inc is empty); rebuild it with the stub generated from stub/");
		return ERROR_FAIL;
	}
	while (pos + sizeof(*hdr) <= total) {
		const uint8_t *img = spiram_stub_image + pos;
		spiram_stub_header_get(img, hdr);
		if (hdr->magic != SPIRAM_STUB_MAGIC || hdr->version != SPIRAM_STUB_VERSION
				|| hdr->header_size != sizeof(*hdr) || hdr->image_size > total - pos
				|| hdr->image_size < sizeof(*hdr) || hdr->entry_offset >= hdr->image_size
				|| hdr->exit_offset >= hdr->image_size) {
			LOG_ERROR("spiram_loader: the embedded stub image at offset %zu does not match this driver "
				"(magic 0x%08" PRIx32 " version %" PRIu32 ", expected 0x%08" PRIx32 " version %u); "
				"rebuild OpenOCD with the stub from the same source tree",
				pos, hdr->magic, hdr->version, (uint32_t)SPIRAM_STUB_MAGIC, SPIRAM_STUB_VERSION);
			return ERROR_FAIL;
		}
		if (hdr->capabilities & cap)
			break;
		pos += hdr->image_size;
	}
	if (pos + sizeof(*hdr) > total) {
		LOG_ERROR("spiram_loader: no embedded stub image has the %s backend; rebuild the stub with it",
			spiram_ctrl_name(ctrl_type));
		return ERROR_FAIL;
	}

	uint8_t *copy = malloc(hdr->image_size);
	if (!copy) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	memcpy(copy, spiram_stub_image + pos, hdr->image_size);
	memset(copy + offsetof(struct spiram_stub_header, image_crc32), 0, 4);
	uint32_t crc;
	int retval = image_calculate_checksum(copy, hdr->image_size, &crc);
	free(copy);
	if (retval != ERROR_OK)
		return retval;
	if (crc != hdr->image_crc32) {
		LOG_ERROR("spiram_loader: the embedded %s stub image is corrupt (CRC32 0x%08" PRIx32
			", header says 0x%08" PRIx32 "); rebuild OpenOCD", spiram_ctrl_name(ctrl_type), crc,
			hdr->image_crc32);
		return ERROR_FAIL;
	}
	*image = spiram_stub_image + pos;
	return ERROR_OK;
}

/* ------------------------------------------------------------------------
 * Parameter block
 * ------------------------------------------------------------------------ */

/* Flash description used before the chip is known: 1-1-1, 3-byte, 03h. */
static void spiram_probe_flash_cfg(struct spiram_flash_cfg *f)
{
	memset(f, 0, sizeof(*f));
	f->page_size = 256;
	f->addr_mode = SPIRAM_ADDR_3B;
	f->read_opcode = 0x03;
	f->read_proto = SPIRAM_PROTO(1, 1, 1);
	f->read_mode_bits = 0xff;
	f->program_opcode = 0x02;
	f->program_proto = SPIRAM_PROTO(1, 1, 1);
	f->qe_method = SPIRAM_QE_NONE;
	f->sfdp_dummy = 8;
	f->chip_erase_opcode = 0xc7;
	f->page_program_max_us = 5000;
	f->chip_erase_max_us = UINT32_MAX;
	f->status_write_max_us = 100000;
}

static void spiram_params_init(struct spiram_session *s, struct spiram_params *p, uint32_t op)
{
	memset(p, 0, sizeof(*p));
	p->magic = SPIRAM_STUB_MAGIC;
	p->op = op;
	p->buffer = (uint32_t)s->buffer_addr;
	p->buffer_size = SPIRAM_SCRATCH_SIZE;
	p->fifo_start = (uint32_t)s->fifo_addr;
	p->fifo_end = (uint32_t)(s->fifo_addr + s->fifo_size);
	p->ctrl = s->info->args.ctrl;
	p->ctrl.flags |= SPIRAM_CTRL_F_KEEP_STATE;
	if (s->dual)
		p->ctrl.flags |= SPIRAM_CTRL_F_DUAL_FLASH;
	if (s->info->probed)
		p->flash = s->info->chip.flash;
	else
		spiram_probe_flash_cfg(&p->flash);
	p->flash.polls_per_us = 0;
	p->keep_running = 1;
}

/* The parameter block's room in the work area (the stack's canary follows
 * it), and the bytes from the block to the end of the canary. */
#define SPIRAM_PARAMS_ROOM		((sizeof(struct spiram_params) + 7) / 8 * 8)
#define SPIRAM_PARAMS_SPAN		(SPIRAM_PARAMS_ROOM + 4)

/* Write the parameter block for one run, its outputs set to "not run", and
 * the stack canary after it. */
static int spiram_params_write(struct spiram_session *s, const struct spiram_params *p)
{
	struct spiram_params in = *p;
	uint8_t buf[SPIRAM_PARAMS_SPAN] = { 0 };

	in.status = SPIRAM_STATUS_NOT_RUN;
	in.fail_addr = SPIRAM_FAIL_ADDR_NOT_RUN;
	/* The session's first run checks the image it runs from. */
	in.image_hash = s->image_unchecked ? s->image_hash : 0;
	target_buffer_set_u32_array(s->target, buf, SPIRAM_PARAMS_WORDS, (const uint32_t *)&in);
	target_buffer_set_u32(s->target, buf + SPIRAM_PARAMS_ROOM, SPIRAM_STACK_CANARY);
	return target_write_buffer(s->target, s->params_addr, sizeof(buf), buf);
}

/* Read back status, fail_addr, result and progress; dual-flash: arg[3]
 * too (FLASH2's ID or status registers). */
#define SPIRAM_PARAMS_ARG3_WORD		(offsetof(struct spiram_params, arg[3]) / 4)

static int spiram_check_canary(struct spiram_session *s, const char *what, const uint8_t *word);

/*
 * Over a link slower than a full-speed USB probe's (an ST-Link/V2 moves
 * about 290 KB/s and answers a command in 1 to 3 ms), reading the whole
 * block and the canary after it costs less than a second command for the
 * canary; over a faster one, the other way round.
 */
#define SPIRAM_SLOW_LINK_BYTES_PER_S	500000u

/*
 * An upload shorter than this is not timed (link rate unknown: a probe
 * that fast sets no pace).  The upload is timed to the microsecond: the
 * stub's 8 KiB take 12 to 13 ms over the J-Link model, and counted in
 * whole milliseconds that read as 669 or 618 KB/s from run to run, on
 * either side of the W25Q128JV's 640 KB/s (spiram_chip_outpaces_link).
 */
#define SPIRAM_UPLOAD_TIMED_MIN_S	0.001f

static bool spiram_read_canary_along(const struct spiram_session *s)
{
	return s->link_bytes_per_s && s->link_bytes_per_s < SPIRAM_SLOW_LINK_BYTES_PER_S;
}

/* The outputs, and the stack canary when what is not NULL (what the run
 * was, for its message), after a run. */
static int spiram_params_read_out(struct spiram_session *s, struct spiram_params *p, const char *what)
{
	uint8_t buf[SPIRAM_PARAMS_SPAN];
	uint32_t words = s->dual ? SPIRAM_PARAMS_ARG3_WORD + 1 : SPIRAM_PARAMS_OUT_WORDS;
	bool along = what && spiram_read_canary_along(s);
	int retval = target_read_buffer(s->target, s->params_addr, along ? sizeof(buf) : 4 * words, buf);
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: cannot read the stub's results at " TARGET_ADDR_FMT " (debug link "
			"lost?); the operation may have stopped half-way: reconnect, run 'reset init' and "
			"repeat it", s->params_addr);
		return retval;
	}
	uint32_t w[SPIRAM_PARAMS_ARG3_WORD + 1];
	target_buffer_get_u32_array(s->target, buf, words, w);
	if (w[0] != SPIRAM_STUB_MAGIC) {
		LOG_ERROR("spiram_loader: parameter block at " TARGET_ADDR_FMT " was overwritten "
			"(magic 0x%08" PRIx32 "); is the work area shared with running code or DMA?",
			s->params_addr, w[0]);
		return ERROR_FAIL;
	}
	p->status = w[2];
	p->fail_addr = w[3];
	p->result = w[4];
	p->progress = w[5];
	if (p->status != SPIRAM_STATUS_NOT_RUN && p->status != SPIRAM_ERR_IMAGE)
		s->image_unchecked = false;
	if (s->dual)
		p->arg[3] = w[SPIRAM_PARAMS_ARG3_WORD];
	return what ? spiram_check_canary(s, what, along ? buf + SPIRAM_PARAMS_ROOM : NULL) : ERROR_OK;
}

/* ------------------------------------------------------------------------
 * Controller snapshot and restore
 * ------------------------------------------------------------------------ */

static int spiram_ctrl_snapshot(struct spiram_session *s)
{
	const struct spiram_ctrl_cfg *c = &s->info->args.ctrl;
	struct spiram_ctrl_snapshot *snap = &s->snap;
	struct target *t = s->target;
	int retval = ERROR_OK;

	memset(snap, 0, sizeof(*snap));
	if (c->type == SPIRAM_CTRL_STM32_QSPI) {
		/*
		 * Two block reads instead of nine single ones (each its own
		 * probe command on an ST-Link): CR..ABR and PSMKR..LPTR, around
		 * DR (0x20), a read of which would take bytes from the FIFO.
		 * SR, FCR (write-only, reads 0) and AR come along; reading them
		 * changes nothing (RM0433 QUADSPI registers).
		 */
		uint8_t buf[4 * SPIRAM_QSPI_SNAP_WORDS];
		uint32_t w[SPIRAM_QSPI_SNAP_WORDS];
		const uint32_t after_dr = SPIRAM_QSPI_PSMKR;
		retval = target_read_memory(t, c->regs, 4, SPIRAM_QSPI_DR / 4, buf);
		if (retval == ERROR_OK)
			retval = target_read_memory(t, c->regs + after_dr, 4, SPIRAM_QSPI_SNAP_WORDS - after_dr / 4,
					buf + after_dr);
		if (retval == ERROR_OK) {
			target_buffer_get_u32_array(t, buf, SPIRAM_QSPI_DR / 4, w);
			target_buffer_get_u32_array(t, buf + after_dr, SPIRAM_QSPI_SNAP_WORDS - after_dr / 4,
					w + after_dr / 4);
			snap->qspi_cr = w[SPIRAM_QSPI_CR / 4];
			snap->qspi_dcr = w[SPIRAM_QSPI_DCR / 4];
			snap->qspi_ccr = w[SPIRAM_QSPI_CCR / 4];
			snap->qspi_abr = w[SPIRAM_QSPI_ABR / 4];
			snap->qspi_dlr = w[SPIRAM_QSPI_DLR / 4];
			snap->qspi_psmkr = w[SPIRAM_QSPI_PSMKR / 4];
			snap->qspi_psmar = w[SPIRAM_QSPI_PSMAR / 4];
			snap->qspi_pir = w[SPIRAM_QSPI_PIR / 4];
			snap->qspi_lptr = w[SPIRAM_QSPI_LPTR / 4];
		}
	} else if (spiram_ctrl_is_stm32_xspi(c->type)) {
		const struct spiram_xspi_regs *r = spiram_xspi_regs_of(c->type);
		retval = target_read_u32(t, c->regs + r->cr, &snap->qspi_cr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->dcr, &snap->qspi_dcr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->ccr, &snap->qspi_ccr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->abr, &snap->qspi_abr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->dlr, &snap->qspi_dlr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->psmkr, &snap->qspi_psmkr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->psmar, &snap->qspi_psmar);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->pir, &snap->qspi_pir);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->lptr, &snap->qspi_lptr);
		if (retval == ERROR_OK && r->tcr)
			retval = target_read_u32(t, c->regs + r->tcr, &snap->ospi_tcr);
		if (retval == ERROR_OK && r->ir)
			retval = target_read_u32(t, c->regs + r->ir, &snap->ospi_ir);
	} else if (c->type == SPIRAM_CTRL_STM32_SPI) {
		retval = target_read_u32(t, c->regs + SPIRAM_SPI_CR1, &snap->spi_cr1);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + SPIRAM_SPI_CR2, &snap->spi_cr2);
	}
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: cannot read the %s registers at 0x%08" PRIx32
			"; is the controller's clock enabled (RCC) in reset-init, and the address right?",
			spiram_ctrl_name(c->type), c->regs);
		return retval;
	}
	snap->valid = true;
	return ERROR_OK;
}

/*
 * Put the controller back as found.  The stub normally does this itself;
 * this runs after every operation and writes registers only when the stub
 * could not (fault, timeout) and left them changed.
 */
static int spiram_ctrl_restore(struct spiram_session *s, bool failed)
{
	const struct spiram_ctrl_cfg *c = &s->info->args.ctrl;
	const struct spiram_ctrl_snapshot *snap = &s->snap;
	struct target *t = s->target;
	int retval = ERROR_OK;

	if (!snap->valid)
		return ERROR_OK;

	if (spiram_ctrl_is_stm32_xspi(c->type)) {
		const struct spiram_xspi_regs *r = spiram_xspi_regs_of(c->type);
		bool ospi = c->type == SPIRAM_CTRL_STM32_OSPI;
		uint32_t cr, dcr, ccr, tcr = 0, ir = 0;
		retval = target_read_u32(t, c->regs + r->cr, &cr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->dcr, &dcr);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + r->ccr, &ccr);
		if (retval == ERROR_OK && ospi)
			retval = target_read_u32(t, c->regs + r->tcr, &tcr);
		if (retval == ERROR_OK && ospi)
			retval = target_read_u32(t, c->regs + r->ir, &ir);
		if (retval != ERROR_OK)
			return retval;
		/* QUADSPI: a CCR that would start a command is left idle by the
		 * stub; OCTOSPI: CCR, TCR and IR start nothing and come back as found */
		bool ccr_matters = ospi || SPIRAM_QSPI_FMODE(snap->qspi_ccr) == SPIRAM_QSPI_FMODE_MEMMAP;
		bool ccr_same = ccr_matters ? ccr == snap->qspi_ccr
			: SPIRAM_QSPI_FMODE(ccr) != SPIRAM_QSPI_FMODE_MEMMAP;
		if (ospi)
			ccr_same = ccr_same && tcr == snap->ospi_tcr && ir == snap->ospi_ir;
		if (cr == snap->qspi_cr && dcr == snap->qspi_dcr && ccr_same)
			return ERROR_OK;
		if (!failed)
			LOG_WARNING("spiram_loader: the stub left %s changed (CR 0x%08" PRIx32
				" CCR 0x%08" PRIx32 ", found CR 0x%08" PRIx32 " CCR 0x%08" PRIx32 "); restoring it",
				ospi ? "OCTOSPI" : "QUADSPI", cr, ccr, snap->qspi_cr, snap->qspi_ccr);
		else
			LOG_INFO("spiram_loader: restoring %s to the state it was found in",
				ospi ? "OCTOSPI" : "QUADSPI");

		/* Abort whatever is under way, then rewrite the registers with the
		 * controller disabled.  CCR goes in while EN=0: written in
		 * memory-mapped mode it would be ignored once the bank was read
		 * (BUSY=1), and written with EN=1 an indirect CCR could start a
		 * command.  Setting EN last re-enters memory-mapped mode when the
		 * saved CCR has FMODE=3; otherwise CCR gets a value that starts
		 * nothing (indirect write with data, FIFO empty). */
		retval = target_write_u32(t, c->regs + r->cr, cr | SPIRAM_QSPI_CR_ABORT);
		int64_t start = timeval_ms();
		while (retval == ERROR_OK) {
			uint32_t sr;
			retval = target_read_u32(t, c->regs + r->cr, &cr);
			if (retval == ERROR_OK)
				retval = target_read_u32(t, c->regs + r->sr, &sr);
			if (retval != ERROR_OK || (!(cr & SPIRAM_QSPI_CR_ABORT) && !(sr & SPIRAM_QSPI_SR_BUSY)))
				break;
			if (timeval_ms() - start > 100) {
				LOG_ERROR("spiram_loader: %s stays busy after abort (SR 0x%08" PRIx32
					"); reset the target with 'reset init'", ospi ? "OCTOSPI" : "QUADSPI", sr);
				return ERROR_FAIL;
			}
		}
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->cr, snap->qspi_cr & ~SPIRAM_QSPI_CR_EN);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->dcr, snap->qspi_dcr);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->dlr, snap->qspi_dlr);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->abr, snap->qspi_abr);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->psmkr, snap->qspi_psmkr);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->psmar, snap->qspi_psmar);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->pir, snap->qspi_pir);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->lptr, snap->qspi_lptr);
		/* OCTOSPI: TCR and IR too; with EN=0 the IR write starts nothing */
		if (retval == ERROR_OK && ospi)
			retval = target_write_u32(t, c->regs + r->tcr, snap->ospi_tcr);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->ccr,
					ccr_matters ? snap->qspi_ccr : SPIRAM_QSPI_CCR_IDLE);
		if (retval == ERROR_OK && ospi)
			retval = target_write_u32(t, c->regs + r->ir, snap->ospi_ir);
		if (retval == ERROR_OK)
			retval = target_write_u32(t, c->regs + r->cr, snap->qspi_cr);
	} else if (c->type == SPIRAM_CTRL_STM32_SPI) {
		uint32_t cr1, cr2;
		retval = target_read_u32(t, c->regs + SPIRAM_SPI_CR1, &cr1);
		if (retval == ERROR_OK)
			retval = target_read_u32(t, c->regs + SPIRAM_SPI_CR2, &cr2);
		if (retval != ERROR_OK)
			return retval;
		if (cr1 != snap->spi_cr1 || cr2 != snap->spi_cr2) {
			if (!failed)
				LOG_WARNING("spiram_loader: the stub left SPI CR1/CR2 changed; restoring them");
			retval = target_write_u32(t, c->regs + SPIRAM_SPI_CR1, cr1 & ~SPIRAM_SPI_CR1_SPE);
			if (retval == ERROR_OK)
				retval = target_write_u32(t, c->regs + SPIRAM_SPI_CR2, snap->spi_cr2);
			if (retval == ERROR_OK)
				retval = target_write_u32(t, c->regs + SPIRAM_SPI_CR1, snap->spi_cr1);
		}
	}

	/* After a failed run, make sure the chip is deselected. */
	if (failed && retval == ERROR_OK && !spiram_ctrl_is_stm32_xspi(c->type)) {
		const struct spiram_pin *cs = &c->pins[SPIRAM_PIN_CS];
		if (cs->set_reg)
			retval = target_write_u32(t, cs->set_reg, BIT(cs->bit));
	}
	if (retval != ERROR_OK)
		LOG_ERROR("spiram_loader: could not restore the %s controller; run 'reset init'",
			spiram_ctrl_name(c->type));
	return retval;
}

/* ------------------------------------------------------------------------
 * Session: work area, stub upload, vector catch
 * ------------------------------------------------------------------------ */

static int spiram_check_target(struct flash_bank *bank)
{
	struct target *target = bank->target;

	if (target->state != TARGET_HALTED) {
		LOG_ERROR("spiram_loader: target %s is not halted; run 'halt' or 'reset init' first",
			target_name(target));
		return ERROR_TARGET_NOT_HALTED;
	}
	struct armv7m_common *armv7m = target_to_armv7m_safe(target);
	if (!armv7m || !is_armv7m(armv7m)) {
		LOG_ERROR("spiram_loader: target %s is not a Cortex-M; the stub runs on Cortex-M cores only",
			target_name(target));
		return ERROR_TARGET_INVALID;
	}
	return ERROR_OK;
}

/* The causes and the fix of a stub that did not load correctly. */
static void spiram_report_upload_causes(struct spiram_session *s)
{
	LOG_ERROR("spiram_loader: likely cause: that RAM is not clocked (for example STM32H7 SRAM1-3 at "
		"0x30000000 stay off after reset), the address is wrong for this MCU, or the RAM is "
		"write-protected (MPU, TCM/ECC settings).");
	LOG_ERROR("spiram_loader: fix: give the target another work area ('%s configure -work-area-phys "
		"<addr> -work-area-size <size>', e.g. DTCM or AXI SRAM), or enable that RAM's clock in "
		"the reset-init event handler.", target_name(s->target));
}

static void spiram_report_upload_mismatch(struct spiram_session *s, uint32_t offset, uint8_t got,
		uint8_t want)
{
	LOG_ERROR("spiram_loader: the stub did not load correctly into the work area at " TARGET_ADDR_FMT
		" (%" PRIu32 " bytes): at " TARGET_ADDR_FMT " read 0x%02" PRIx8 ", wrote 0x%02" PRIx8 ".",
		s->area->address, s->area->size, s->image_addr + offset, got, want);
	spiram_report_upload_causes(s);
}

/* Host work a stub run can overlap: it runs between the run's start and
 * its end, and must not touch the target. */
struct spiram_host_work {
	int (*fn)(void *ctx);
	void *ctx;
};

static int spiram_session_end(struct spiram_session *s, int retval);
static int spiram_run(struct spiram_session *s, struct spiram_params *p, unsigned int timeout_ms,
		const char *what, struct spiram_progress *pg, uint32_t progress_base);

/*
 * Compare the image's first SPIRAM_STUB_GATE_BYTES (everything a run
 * executes before the stub's own check of the rest, params.image_hash)
 * and its last SPIRAM_UPLOAD_CHECK_BYTES with what the work area holds.
 * *at: the first byte that differs, or image_size when none does.
 */
static int spiram_stub_compare_ends(struct spiram_session *s, uint32_t *at, uint8_t *found)
{
	const uint32_t size = s->image_size;
	const uint32_t ends[2] = { 0, size - MIN(size, SPIRAM_UPLOAD_CHECK_BYTES) };
	const uint32_t lens[2] = { MIN(size, SPIRAM_STUB_GATE_BYTES), MIN(size, SPIRAM_UPLOAD_CHECK_BYTES) };

	*at = size;
	for (unsigned int e = 0; e < ARRAY_SIZE(ends); e++) {
		uint8_t check[MAX(SPIRAM_STUB_GATE_BYTES, SPIRAM_UPLOAD_CHECK_BYTES)];
		int retval = target_read_buffer(s->target, s->image_addr + ends[e], lens[e], check);
		if (retval != ERROR_OK)
			return retval;
		for (uint32_t i = 0; i < lens[e]; i++) {
			if (check[i] != s->image[ends[e] + i]) {
				*at = ends[e] + i;
				*found = check[i];
				return ERROR_OK;
			}
		}
	}
	return ERROR_OK;
}

/*
 * Is the image this bank uploaded last still where this session would put
 * it?  Its ends are read back (SPIRAM_STUB_GATE_BYTES and
 * SPIRAM_UPLOAD_CHECK_BYTES); the stub checks the rest itself before any
 * of it runs, and a run that finds it changed (SPIRAM_ERR_IMAGE) uploads
 * it and runs again (spiram_run_with).  Not with a work area that OpenOCD
 * saves and restores around each use: it is overwritten in between.
 * Saves the upload, about 8 KiB, at every command after the first.
 */
static bool spiram_stub_in_place(struct spiram_session *s)
{
	const struct spiram_loader_bank *info = s->info;
	uint32_t at;
	uint8_t found;

	if (info->stub_image != s->image || info->stub_at != s->image_addr || s->target->backup_working_area)
		return false;
	return spiram_stub_compare_ends(s, &at, &found) == ERROR_OK && at == s->image_size;
}

/*
 * Upload the stub; the upload times the link.  Its ends are read back
 * (RAM that is not there or not clocked fails here, with the address);
 * the whole image is checked by the stub itself at its first run
 * (params.image_hash), which costs no link time: a full read-back took
 * longer than the upload.
 */
static int spiram_stub_upload(struct spiram_session *s)
{
	struct spiram_loader_bank *info = s->info;
	struct duration upload;

	info->stub_image = NULL;
	duration_start(&upload);
	int retval = target_write_buffer(s->target, s->image_addr, s->image_size, s->image);
	duration_measure(&upload);
	float upload_s = duration_elapsed(&upload);
	LOG_DEBUG("spiram_loader: stub upload %" PRIu32 " bytes in %.3f ms", s->image_size, upload_s * 1000);
	if (retval == ERROR_OK && upload_s >= SPIRAM_UPLOAD_TIMED_MIN_S)
		info->link_bytes_per_s_best = MAX(info->link_bytes_per_s_best,
			(uint64_t)(s->image_size / upload_s));
	s->link_bytes_per_s = info->link_bytes_per_s_best;
	s->image_unchecked = true;
	s->upload_skipped = false;

	uint32_t at;
	uint8_t found;
	if (retval == ERROR_OK)
		retval = spiram_stub_compare_ends(s, &at, &found);
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: bus error while loading the stub at " TARGET_ADDR_FMT, s->image_addr);
		spiram_report_upload_mismatch(s, 0, 0, s->image[0]);
		return ERROR_TARGET_FAILURE;
	}
	if (at != s->image_size) {
		spiram_report_upload_mismatch(s, at, found, s->image[at]);
		return ERROR_TARGET_FAILURE;
	}
	info->stub_image = s->image;
	info->stub_at = s->image_addr;
	return ERROR_OK;
}

static int spiram_session_begin(struct spiram_session *s, struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	struct target *target = bank->target;
	struct spiram_stub_header hdr;
	const uint8_t *image;
	int retval;

	memset(s, 0, sizeof(*s));
	s->bank = bank;
	s->info = info;
	s->target = target;

	retval = spiram_check_target(bank);
	if (retval != ERROR_OK)
		return retval;

	retval = spiram_stub_find_image(info->args.ctrl.type, &image, &hdr);
	if (retval != ERROR_OK)
		return retval;
	info->stub_caps = hdr.capabilities;
	struct armv7m_common *armv7m = target_to_armv7m(target);
	/* ARMv8-M Baseline (Cortex-M23) has no full Thumb-2 either. */
	bool baseline = armv7m->arm.arch == ARM_ARCH_V6M ||
		spiram_target_is_cortex_m23(target);
	if (hdr.min_arch == SPIRAM_ARCH_V7M && baseline) {
		LOG_ERROR("spiram_loader: the %s stub is built for ARMv7-M (Cortex-M3 and later), but target %s is "
			"an ARMv6-M or ARMv8-M Baseline core; STM32 QUADSPI exists only on Cortex-M4/M7 parts, "
			"so check the bank's target and controller", spiram_ctrl_name(info->args.ctrl.type),
			target_name(target));
		return ERROR_FAIL;
	}

	/* Work area layout: image | params | stack | scratch | FIFO (the
	 * stack's canary right after the parameters: one write and, over a
	 * slow link, one read for both). */
	uint32_t image_size = ALIGN_UP(hdr.image_size, 8);
	uint32_t params_size = SPIRAM_PARAMS_ROOM;
	uint32_t stack_size = ALIGN_UP(MAX(hdr.stack_size, SPIRAM_MIN_STACK_SIZE), 8);
	uint32_t fixed = image_size + params_size + SPIRAM_SCRATCH_SIZE + stack_size;
	uint32_t min_size = fixed + SPIRAM_MIN_FIFO_SIZE;
	uint32_t want = info->args.workarea_size ? info->args.workarea_size
		: fixed + SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_MAX;
	want = MIN(want, fixed + SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_MAX);
	/* A work area saved and restored around each use (-work-area-backup 1,
	 * as the boards' GDB attach in halt mode sets) costs a read and a write
	 * of every byte taken: then the FIFO is SPIRAM_FIFO_SUGGEST. */
	if (!info->args.workarea_size && target->backup_working_area)
		want = MIN(want, fixed + SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_SUGGEST);
	uint32_t avail = target_get_working_area_avail(target);

	if (want < min_size || avail < min_size) {
		LOG_ERROR("spiram_loader: the work area is too small: the stub needs at least %" PRIu32
			" bytes (image %" PRIu32 ", parameters and buffer %" PRIu32 ", stack %" PRIu32
			", FIFO %u), %" PRIu32 " available%s; enlarge it with '%s configure -work-area-size %" PRIu32 "'",
			min_size, image_size, params_size + SPIRAM_SCRATCH_SIZE, stack_size, SPIRAM_MIN_FIFO_SIZE,
			avail, want < min_size ? " (and -workarea-size asks for less)" : "",
			target_name(target), fixed + SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_SUGGEST);
		return ERROR_TARGET_RESOURCE_NOT_AVAILABLE;
	}
	uint32_t size = ALIGN_DOWN(MIN(want, avail), 8);
	retval = target_alloc_working_area(target, size, &s->area);
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: could not allocate %" PRIu32 " bytes of work area; "
			"free some or enlarge it with '%s configure -work-area-size'", size, target_name(target));
		return retval;
	}

	s->image_addr = s->area->address;
	s->params_addr = s->image_addr + image_size;
	s->stack_bottom = s->params_addr + params_size;
	s->stack_top = s->stack_bottom + stack_size;
	s->buffer_addr = s->stack_top;
	s->fifo_addr = s->buffer_addr + SPIRAM_SCRATCH_SIZE;
	s->fifo_size = ALIGN_DOWN(size - fixed, 4);
	s->entry = s->image_addr + hdr.entry_offset;
	s->exit = s->image_addr + hdr.exit_offset;
	s->alg.common_magic = ARMV7M_COMMON_MAGIC;
	s->alg.core_mode = ARM_MODE_THREAD;
	LOG_DEBUG("spiram_loader: work area " TARGET_ADDR_FMT " size %" PRIu32 ", stack top " TARGET_ADDR_FMT
		", FIFO " TARGET_ADDR_FMT " size %" PRIu32, s->area->address, size, s->stack_top,
		s->fifo_addr, s->fifo_size);

	s->image = image;
	s->image_size = hdr.image_size;
	s->image_hash = spiram_image_hash(image, hdr.image_size);
	s->image_unchecked = true;
	s->link_bytes_per_s = info->link_bytes_per_s_best;
	if (spiram_stub_in_place(s)) {
		LOG_DEBUG("spiram_loader: the stub is still in the work area at " TARGET_ADDR_FMT, s->image_addr);
		s->upload_skipped = true;
	} else {
		retval = spiram_stub_upload(s);
		if (retval != ERROR_OK)
			return spiram_session_end(s, retval);
	}

	/* Halt on entry to any fault handler while the stub runs, so a fault
	 * stops at once with the fault registers intact. */
	retval = target_read_u32(target, SPIRAM_REG_DEMCR, &s->demcr);
	if (retval == ERROR_OK && (s->demcr & SPIRAM_DEMCR_VC_MASK) != SPIRAM_DEMCR_VC_MASK) {
		retval = target_write_u32(target, SPIRAM_REG_DEMCR, s->demcr | SPIRAM_DEMCR_VC_MASK);
		s->demcr_changed = retval == ERROR_OK;
	}
	if (retval != ERROR_OK)
		return spiram_session_end(s, retval);

	retval = spiram_ctrl_snapshot(s);
	if (retval != ERROR_OK)
		return spiram_session_end(s, retval);
	/*
	 * Dual-flash QUADSPI (CR.DFM = 1): two chips on BK1 and BK2, bank
	 * bytes interleaved between them; the stub then sends every command
	 * to both and reads both chips' status.  A bank probed in the other
	 * mode describes other geometry: probe again.
	 */
	s->dual = info->args.ctrl.type == SPIRAM_CTRL_STM32_QSPI && (s->snap.qspi_cr & SPIRAM_QSPI_CR_DFM);
	if (info->probed && s->dual != info->dual) {
		LOG_ERROR("spiram_loader: QUADSPI at 0x%08" PRIx32 " is now in %s mode (CR 0x%08" PRIx32 ") but bank %u "
			"was probed in %s mode; run 'flash probe %u' again", info->args.ctrl.regs,
			s->dual ? "dual-flash" : "single-flash", s->snap.qspi_cr, bank->bank_number,
			info->dual ? "dual-flash" : "single-flash", bank->bank_number);
		return spiram_session_end(s, ERROR_FLASH_BANK_NOT_PROBED);
	}
	return ERROR_OK;
}

/*
 * Dual-flash QUADSPI: both chips' JEDEC IDs, as PROBE returns them
 * (FLASH1's in result, FLASH2's in arg[3]).  A chip that is missing (all
 * 00 or all FF) or differs from the other is named; dual-flash mode needs
 * two identical chips.
 */
static int spiram_dual_compare_ids(uint32_t id1, uint32_t id2)
{
	static const char *const chip_name[2] = { "FLASH1 (BK1)", "FLASH2 (BK2)" };
	const uint32_t word[2] = { id1 & 0xffffff, id2 & 0xffffff };
	uint8_t id[2][3];
	char text[2][16];
	bool missing[2];

	for (unsigned int c = 0; c < 2; c++) {
		for (unsigned int i = 0; i < 3; i++)
			id[c][i] = (word[c] >> (8 * i)) & 0xff;
		spiram_format_id(id[c], text[c], sizeof(text[c]));
		missing[c] = word[c] == 0 || word[c] == 0xffffff;
	}
	for (unsigned int c = 0; c < 2; c++) {
		if (missing[c])
			LOG_ERROR("spiram_loader: dual-flash QUADSPI: %s answers JEDEC ID %s: no chip there (%s "
				"answers %s); check that chip's power and its pins' alternate functions in "
				"reset-init", chip_name[c], text[c], chip_name[1 - c], text[1 - c]);
	}
	if (missing[0] || missing[1])
		return ERROR_FLASH_OPERATION_FAILED;
	if (word[0] != word[1]) {
		LOG_ERROR("spiram_loader: dual-flash QUADSPI: %s answers JEDEC ID %s but %s answers %s: "
			"dual-flash mode needs two identical chips", chip_name[0], text[0], chip_name[1], text[1]);
		return ERROR_FLASH_OPERATION_FAILED;
	}
	LOG_INFO("spiram_loader: dual-flash QUADSPI: both chips answer JEDEC ID %s", text[0]);
	return ERROR_OK;
}

/* End a session; keeps and returns the first error. */
static int spiram_session_end(struct spiram_session *s, int retval)
{
	int r;

	r = spiram_ctrl_restore(s, retval != ERROR_OK);
	if (retval == ERROR_OK)
		retval = r;
	if (s->demcr_changed) {
		r = target_write_u32(s->target, SPIRAM_REG_DEMCR, s->demcr);
		if (retval == ERROR_OK)
			retval = r;
		s->demcr_changed = false;
	}
	if (s->area) {
		target_free_working_area(s->target, s->area);
		s->area = NULL;
	}
	if (s->need_reset_advice)
		LOG_ERROR("spiram_loader: the core may be left in a fault handler; run 'reset init' "
			"before the next operation");
	return retval;
}

/* ------------------------------------------------------------------------
 * Running the stub
 * ------------------------------------------------------------------------ */

/* Put the core registers back as they were before the run: the core's
 * wait_algorithm skips this when the stub did not stop at its exit point. */
static void spiram_restore_core(struct spiram_session *s)
{
	struct armv7m_common *armv7m = target_to_armv7m(s->target);
	struct reg_cache *cache = armv7m->arm.core_cache;

	for (unsigned int i = 0; i < cache->num_regs; i++) {
		struct reg *reg = &cache->reg_list[i];
		if (!reg->exist)
			continue;
		if (buf_get_u32(reg->value, 0, 32) != s->alg.context[i]) {
			buf_set_u32(reg->value, 0, 32, s->alg.context[i]);
			reg->valid = true;
			reg->dirty = true;
		}
	}
	if (s->alg.core_mode != armv7m->arm.core_mode) {
		buf_set_u32(cache->reg_list[ARMV7M_CONTROL].value, 0, 1, s->alg.core_mode);
		cache->reg_list[ARMV7M_CONTROL].dirty = true;
		cache->reg_list[ARMV7M_CONTROL].valid = true;
		armv7m->arm.core_mode = s->alg.core_mode;
	}
}

/*
 * The stub did not come back through its exit point: report where it
 * stopped and why, what it had reported in params (the status is written
 * last, so one that is no longer "not run" names the cause), then restore
 * the core registers.
 */
static void spiram_report_fault(struct spiram_session *s, const struct spiram_stop *stop, const char *what)
{
	struct target *t = s->target;
	uint32_t cfsr = 0, hfsr = 0, dfsr = 0, bfar = 0, mmfar = 0, stacked_pc = 0, stacked_lr = 0;

	target_read_u32(t, SPIRAM_REG_CFSR, &cfsr);
	target_read_u32(t, SPIRAM_REG_HFSR, &hfsr);
	target_read_u32(t, SPIRAM_REG_DFSR, &dfsr);
	target_read_u32(t, SPIRAM_REG_BFAR, &bfar);
	target_read_u32(t, SPIRAM_REG_MMFAR, &mmfar);

	uint32_t exception = stop->xpsr & 0x1ff;
	if (stop->halted_by_host && !exception) {
		LOG_ERROR("spiram_loader: %s: the stub did not finish in time and was halted at PC 0x%08" PRIx32
			" (stub offset 0x%" PRIx64 ", exit point " TARGET_ADDR_FMT ")", what, stop->pc,
			(uint64_t)(stop->pc - s->image_addr), s->exit);
	} else if (exception) {
		/* Stopped by vector catch on a fault handler (or halted there):
		 * the frame on the stack holds the faulting instruction. */
		target_read_u32(t, stop->sp + 24, &stacked_pc);
		target_read_u32(t, stop->sp + 20, &stacked_lr);
		LOG_ERROR("spiram_loader: %s: the stub faulted (exception %" PRIu32 ") at PC 0x%08" PRIx32
			" (LR 0x%08" PRIx32 "), stub loaded at " TARGET_ADDR_FMT, what, exception, stacked_pc,
			stacked_lr, s->image_addr);
	} else {
		LOG_ERROR("spiram_loader: %s: the stub stopped at PC 0x%08" PRIx32 ", not at its exit point "
			TARGET_ADDR_FMT, what, stop->pc, s->exit);
	}
	LOG_ERROR("spiram_loader: fault registers: CFSR 0x%08" PRIx32 " HFSR 0x%08" PRIx32 " DFSR 0x%08" PRIx32
		" BFAR 0x%08" PRIx32 " MMFAR 0x%08" PRIx32 " xPSR 0x%08" PRIx32 " SP 0x%08" PRIx32,
		cfsr, hfsr, dfsr, bfar, mmfar, stop->xpsr, stop->sp);
	if (cfsr & BIT(15))
		LOG_ERROR("spiram_loader: precise bus fault at 0x%08" PRIx32 ": check the controller base "
			"address and that its clock is enabled", bfar);

	struct spiram_params out;
	if (spiram_params_read_out(s, &out, NULL) == ERROR_OK) {
		if (out.status != SPIRAM_STATUS_NOT_RUN)
			LOG_ERROR("spiram_loader: %s: the stub had reported status %" PRIu32 " %s (%s) at flash "
				"offset 0x%08" PRIx32, what, out.status, spiram_status_name(out.status),
				spiram_status_text(out.status), out.fail_addr);
		else if (out.fail_addr != SPIRAM_FAIL_ADDR_NOT_RUN)
			LOG_ERROR("spiram_loader: %s: the stub had not written a status; it was working at flash "
				"offset 0x%08" PRIx32 ", %" PRIu32 " bytes done", what, out.fail_addr, out.progress);
		else
			LOG_ERROR("spiram_loader: %s: the stub had not started its operation (parameter "
				"block untouched)", what);
	}
	if (exception)
		s->need_reset_advice = true;

	spiram_restore_core(s);
}

/*
 * End a run: halt the stub if it still runs, note where it stopped, and
 * put the caller's registers back.  halted_by_host says that the core
 * was already halted by OpenOCD at a deadline.  ERROR_OK means the stub
 * came back through its exit point (params then hold its results);
 * anything else has been reported here.
 */
static int spiram_end_run(struct spiram_session *s, struct reg_param *reg_params, int num_reg_params,
		bool halted_by_host, const char *what)
{
	struct target *t = s->target;
	struct armv7m_common *armv7m = target_to_armv7m(t);
	struct spiram_stop stop = { .halted_by_host = halted_by_host };

	int retval = target_poll(t);
	if (retval == ERROR_OK && t->state != TARGET_HALTED) {
		stop.halted_by_host = true;
		retval = target_halt(t);
		if (retval == ERROR_OK)
			retval = target_wait_state(t, TARGET_HALTED, SPIRAM_HALT_TIMEOUT_MS);
	}
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: %s: cannot halt the stub (debug link lost?); run 'reset init' and "
			"repeat the operation", what);
		s->need_reset_advice = true;
		return retval;
	}

	/* Valid: the core's debug entry read every register when it halted. */
	stop.pc = buf_get_u32(armv7m->arm.pc->value, 0, 32);
	stop.sp = buf_get_u32(armv7m->arm.core_cache->reg_list[ARMV7M_R13].value, 0, 32);
	stop.xpsr = buf_get_u32(armv7m->arm.core_cache->reg_list[ARMV7M_XPSR].value, 0, 32);

	if (stop.pc == s->exit) {
		/* It returned (perhaps just at the deadline): collect as usual. */
		retval = target_wait_algorithm(t, 0, NULL, num_reg_params, reg_params, s->exit, 0, &s->alg);
		if (retval != ERROR_OK)
			LOG_ERROR("spiram_loader: %s: error collecting the stub's registers", what);
		return retval;
	}
	spiram_report_fault(s, &stop, what);
	return ERROR_FLASH_OPERATION_FAILED;
}

/* The stack canary: as read along with the parameters (word), or read now. */
static int spiram_check_canary(struct spiram_session *s, const char *what, const uint8_t *word)
{
	uint32_t v;
	if (word) {
		v = target_buffer_get_u32(s->target, word);
	} else {
		int retval = target_read_u32(s->target, s->stack_bottom, &v);
		if (retval != ERROR_OK)
			return retval;
	}
	if (v != SPIRAM_STACK_CANARY) {
		LOG_ERROR("spiram_loader: %s: the stub overflowed its stack (canary at " TARGET_ADDR_FMT
			" is 0x%08" PRIx32 "); the stub's header understates its stack size", what,
			s->stack_bottom, v);
		return ERROR_FAIL;
	}
	return ERROR_OK;
}

/* Turn the stub's status into an OpenOCD error, logging it once. */
static int spiram_check_status(struct spiram_session *s, const struct spiram_params *p, const char *what)
{
	if (p->status == SPIRAM_OK)
		return ERROR_OK;

	target_addr_t at = s->bank->base + p->fail_addr;
	switch (p->status) {
	case SPIRAM_STATUS_NOT_RUN:
		LOG_ERROR("spiram_loader: %s: the stub returned without writing its status; the stub "
			"image and the driver may not match: rebuild both", what);
		return ERROR_FLASH_OPERATION_FAILED;
	case SPIRAM_ERR_IMAGE:
		s->info->stub_image = NULL;
		LOG_ERROR("spiram_loader: %s: the stub did not load correctly into the work area at " TARGET_ADDR_FMT
			": its %" PRIu32 " bytes in RAM differ from those uploaded (the stub's own check, before "
			"it touched the controller or the chip)", what, s->image_addr, s->image_size);
		spiram_report_upload_causes(s);
		return ERROR_TARGET_FAILURE;
	case SPIRAM_ERR_NOT_BLANK:
	case SPIRAM_ERR_CRC:
		/* An answer, not a failure: the caller reads fail_addr (and
		 * names the first wrong byte of a CRC mismatch). */
		return ERROR_FLASH_OPERATION_FAILED;
	case SPIRAM_ERR_VERIFY:
		LOG_ERROR("spiram_loader: %s: flash at " TARGET_ADDR_FMT " (offset 0x%08" PRIx32 ") does not hold the "
			"programmed data: a bit that will not program (worn or damaged cell), or the sector "
			"was not erased first", what, at, p->fail_addr);
		return ERROR_FLASH_OPERATION_FAILED;
	case SPIRAM_ERR_PROTECTED:
		LOG_ERROR("spiram_loader: %s: the chip ignored the operation at " TARGET_ADDR_FMT
			" (offset 0x%08" PRIx32 "): that range is write-protected by the status register; "
			"see 'flash info %u' and unprotect with 'flash protect %u <first> <last> off'",
			what, at, p->fail_addr, s->bank->bank_number, s->bank->bank_number);
		return ERROR_FLASH_PROTECTED;
	case SPIRAM_ERR_TIMEOUT: {
		char allowed[64] = "";
		if (s->run_limit_ms)
			snprintf(allowed, sizeof(allowed), " (deadline %u ms, from the chip's maximum times)",
				s->run_limit_ms);
		LOG_ERROR("spiram_loader: %s: the flash stayed busy at " TARGET_ADDR_FMT " for %" PRId64 " ms, "
			"longer than its datasheet maximum%s; the chip may be stuck: power-cycle the board, "
			"check the chip type with 'spiram_loader info %u'", what, at, timeval_ms() - s->run_start_ms,
			allowed, s->bank->bank_number);
		return ERROR_FLASH_OPERATION_FAILED;
	}
	case SPIRAM_ERR_NO_CHIP:
		LOG_ERROR("spiram_loader: %s: no flash chip answers (JEDEC ID 0x%06" PRIx32 "); check the "
			"wiring, the pins and the chip-select on the bank line, the chip's power, and that "
			"reset-init enables the controller's and GPIO clocks", what, p->result & 0xffffff);
		return ERROR_FLASH_OPERATION_FAILED;
	case SPIRAM_ERR_WEL:
		LOG_ERROR("spiram_loader: %s: the chip did not set its write enable latch at " TARGET_ADDR_FMT
			"; check WP#/IO2 and that the chip answers ('spiram_loader status %u')", what, at,
			s->bank->bank_number);
		return ERROR_FLASH_OPERATION_FAILED;
	default:
		LOG_ERROR("spiram_loader: %s failed at " TARGET_ADDR_FMT " (offset 0x%08" PRIx32 "): %s "
			"(stub status %" PRIu32 " %s)", what, at, p->fail_addr, spiram_status_text(p->status),
			p->status, spiram_status_name(p->status));
		return ERROR_FLASH_OPERATION_FAILED;
	}
}

/*
 * What every stub run starts with: the parameter block and the stack canary
 * in the work area, r0 = the parameter block, sp = the top of the stub's
 * stack.  reg_params must hold two entries; the caller destroys them.
 */
static int spiram_run_prepare(struct spiram_session *s, const struct spiram_params *p,
		struct reg_param *reg_params)
{
	int retval = spiram_params_write(s, p);
	if (retval != ERROR_OK)
		return retval;

	init_reg_param(&reg_params[0], "r0", 32, PARAM_OUT);
	init_reg_param(&reg_params[1], "sp", 32, PARAM_OUT);
	buf_set_u32(reg_params[0].value, 0, 32, (uint32_t)s->params_addr);
	buf_set_u32(reg_params[1].value, 0, 32, (uint32_t)s->stack_top);
	return ERROR_OK;
}

/*
 * Run one stub operation to completion, polling the target so that long
 * runs log their progress (params.progress, bytes) and time out at
 * timeout_ms.  On return p holds the stub's outputs.
 */
static int spiram_run_with(struct spiram_session *s, struct spiram_params *p, unsigned int timeout_ms,
		const char *what, struct spiram_progress *pg, uint32_t progress_base,
		const struct spiram_host_work *meanwhile)
{
	struct target *t = s->target;
	struct reg_param reg_params[2];
	int retval, host_retval = ERROR_OK;
	const struct spiram_params in = *p;

	retval = spiram_run_prepare(s, p, reg_params);
	if (retval != ERROR_OK)
		return retval;

	retval = target_start_algorithm(t, 0, NULL, ARRAY_SIZE(reg_params), reg_params, s->entry, s->exit, &s->alg);
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: %s: could not start the stub", what);
		goto out;
	}
	/* host work that does not need the run's results overlaps it */
	if (meanwhile)
		host_retval = meanwhile->fn(meanwhile->ctx);

	/* Most runs (status reads, one erase command, a short CRC) end within
	 * milliseconds: poll at once, every millisecond for the first
	 * SPIRAM_POLL_FAST_MS, then back off to the poll interval.  At
	 * the deadline the stub is asked to stop waiting for the chip; it then
	 * ends on its own with SPIRAM_ERR_TIMEOUT, leaving the controller as
	 * it should, and is only halted if it does not. */
	int64_t start = timeval_ms();
	unsigned int sleep_ms = 0;
	bool stop_asked = false;
	s->run_start_ms = start;
	s->run_limit_ms = timeout_ms;
	while (true) {
		retval = target_poll(t);
		if (retval != ERROR_OK || t->state == TARGET_HALTED)
			break;
		int64_t elapsed = timeval_ms() - start;
		if (stop_asked && elapsed > (int64_t)timeout_ms + SPIRAM_STOP_GRACE_MS)
			break;
		if (!stop_asked && elapsed > (int64_t)timeout_ms) {
			LOG_DEBUG("spiram_loader: %s: deadline of %u ms passed, asking the stub to stop", what,
				timeout_ms);
			retval = target_write_u32(t, s->params_addr + offsetof(struct spiram_params, keep_running), 0);
			if (retval != ERROR_OK)
				break;
			stop_asked = true;
		}
		if (pg && elapsed >= SPIRAM_PROGRESS_INTERVAL_MS) {
			uint32_t done;
			if (target_read_u32(t, s->params_addr + offsetof(struct spiram_params, progress), &done) == ERROR_OK)
				spiram_progress_update(pg, progress_base + done);
		}
		if (sleep_ms)
			alive_sleep(sleep_ms);
		else
			keep_alive();
		if (elapsed < SPIRAM_POLL_FAST_MS)
			sleep_ms = 1;
		else
			sleep_ms = MIN(MAX(2 * sleep_ms, 1u), (unsigned int)SPIRAM_POLL_INTERVAL_MS);
	}

	/* Halted: collects the results.  Still running: halts it (timeout). */
	retval = spiram_end_run(s, reg_params, ARRAY_SIZE(reg_params), false, what);
	if (retval != ERROR_OK)
		goto out;

	retval = spiram_params_read_out(s, p, what);
	if (retval == ERROR_OK && p->status == SPIRAM_ERR_IMAGE && s->upload_skipped) {
		/* the image an earlier session left was changed since */
		LOG_DEBUG("spiram_loader: the stub left in the work area was changed: loading it again");
		destroy_reg_param(&reg_params[0]);
		destroy_reg_param(&reg_params[1]);
		retval = spiram_stub_upload(s);
		if (retval != ERROR_OK)
			return retval;
		*p = in;
		retval = spiram_run_with(s, p, timeout_ms, what, pg, progress_base, NULL);
		return retval == ERROR_OK ? host_retval : retval;
	}
	if (retval == ERROR_OK)
		retval = spiram_check_status(s, p, what);
	if (retval == ERROR_OK)
		retval = host_retval;

out:
	destroy_reg_param(&reg_params[0]);
	destroy_reg_param(&reg_params[1]);
	return retval;
}

static int spiram_run(struct spiram_session *s, struct spiram_params *p, unsigned int timeout_ms,
		const char *what, struct spiram_progress *pg, uint32_t progress_base)
{
	return spiram_run_with(s, p, timeout_ms, what, pg, progress_base, NULL);
}

static int spiram_async_finish(struct spiram_session *s, struct spiram_params *p, struct reg_param *reg_params,
		int retval, const char *what);

/*
 * Run a streaming operation (READ_STREAM or WRITE_STREAM) through
 * OpenOCD's async FIFO loops.  count is in bytes, a multiple of 4.
 */
static int spiram_run_async(struct spiram_session *s, struct spiram_params *p, bool is_write,
		const uint8_t *tx, uint8_t *rx, uint32_t count, const char *what)
{
	struct target *t = s->target;
	struct reg_param reg_params[2];
	int retval;

	/* A stream cannot simply run again: a session's first run, if it is
	 * one, runs a freshly loaded image. */
	if (s->upload_skipped && s->image_unchecked) {
		retval = spiram_stub_upload(s);
		if (retval != ERROR_OK)
			return retval;
	}
	/* The stub checks an image it has not checked yet before anything
	 * else, which would come before rp ahead of the data is written
	 * (WRITE_STREAM len, spiram_contract.h): not at such a run. */
	if (is_write && s->image_unchecked)
		p->len = 0;

	retval = spiram_run_prepare(s, p, reg_params);
	if (retval != ERROR_OK)
		return retval;

	/* OpenOCD's loops give up after seconds without progress: the stub
	 * then sees its FIFO pointer at 0 (see spiram_contract.h). */
	s->run_start_ms = timeval_ms();
	s->run_limit_ms = 0;
	/* A write stream's FIFO may end early, to leave the stub a buffer. */
	if (is_write)
		retval = target_run_flash_async_algorithm(t, tx, count / 4, 4, 0, NULL, ARRAY_SIZE(reg_params),
				reg_params, s->fifo_addr, p->fifo_end - (uint32_t)s->fifo_addr, s->entry, s->exit,
				&s->alg);
	else
		retval = target_run_read_async_algorithm(t, rx, count / 4, 4, 0, NULL, ARRAY_SIZE(reg_params),
				reg_params, s->fifo_addr, s->fifo_size, s->entry, s->exit, &s->alg);

	return spiram_async_finish(s, p, reg_params, retval, what);
}

/*
 * After a stream, whatever its loop said: collect the stub, read its
 * results into p, and let its own status name the cause of a failure.
 * Destroys reg_params.
 */
static int spiram_async_finish(struct spiram_session *s, struct spiram_params *p, struct reg_param *reg_params,
		int retval, const char *what)
{
	struct target *t = s->target;

	/*
	 * The async loops return without collecting the stub when it made no
	 * progress for about 5 s: it may still run, or have returned through
	 * its exit point without clearing rp/wp (its status then says why).
	 * On ERROR_TARGET_TIMEOUT / ALGO_EXIT the loop's own wait halted it
	 * and left its registers in place.  Either way, stop it and look.
	 */
	if (t->state != TARGET_HALTED || retval == ERROR_TARGET_TIMEOUT || retval == ERROR_TARGET_ALGO_EXIT) {
		/* reg_params is the callers' array of two (r0, r1) */
		int r = spiram_end_run(s, reg_params, 2, retval == ERROR_TARGET_TIMEOUT, what);
		if (r != ERROR_OK) {
			retval = r;
			goto out;
		}
		if (retval == ERROR_OK)
			retval = ERROR_FLASH_OPERATION_FAILED;
	}

	/* Whatever the loop said, the stub's own status names the cause. */
	struct spiram_params out = *p;
	int r = spiram_params_read_out(s, &out, what);
	if (r == ERROR_OK && out.status != SPIRAM_OK)
		r = spiram_check_status(s, &out, what);
	else if (r == ERROR_OK && retval != ERROR_OK)
		LOG_ERROR("spiram_loader: %s: the FIFO transfer failed (stub status OK, %" PRIu32
			" bytes done)", what, out.progress);
	if (r != ERROR_OK)
		retval = r;
	*p = out;

out:
	destroy_reg_param(&reg_params[0]);
	destroy_reg_param(&reg_params[1]);
	return retval;
}

/* The compressed read: no data for this long means the stub is stuck. */
#define SPIRAM_LZ_IDLE_MS		5000
/* After a chunk that did not compress, this many go uncompressed. */
#define SPIRAM_LZ_SKIP_CHUNKS		8u
/* Smallest block worth compressing (and the FIFO it needs besides). */
#define SPIRAM_LZ_MIN_BLOCK		1024u

/*
 * The block size of a compressed read with this session's FIFO area: its
 * tail becomes the stub's scratch (SPIRAM_LZ_SCRATCH), the rest the FIFO,
 * which must hold more than one frame.  0 when the area is too small, or
 * the stub cannot.
 */
static uint32_t spiram_lz_block(const struct spiram_session *s)
{
	uint32_t area = s->fifo_size - SPIRAM_FIFO_DATA_OFFSET;
	if (!(s->info->stub_caps & SPIRAM_CAP_READ_LZ) || area < SPIRAM_LZ_SCRATCH(0) + 16)
		return 0;
	/* scratch (table + 3 blocks + 4: linked blocks) and a FIFO of four
	 * frames (4 x (block + 8)), so the stub fills one while the host reads
	 * others */
	uint32_t block = ALIGN_DOWN((area - SPIRAM_LZ_SCRATCH(0) - 32) / 7, 1024);
	block = MIN(block, SPIRAM_LZ_MAX_BLOCK);
	return block >= SPIRAM_LZ_MIN_BLOCK ? block : 0;
}

/*
 * Read [addr, addr + count) with READ_LZ: the stub's frames come through
 * the FIFO (as in OpenOCD's target_run_read_async_algorithm, but their
 * total length is not known in advance) and are expanded as they arrive.
 */
static int spiram_read_lz(struct spiram_session *s, uint8_t *out, uint32_t addr, uint32_t count, uint32_t block,
		uint32_t *stream_bytes)
{
	struct target *t = s->target;
	struct reg_param reg_params[2];
	struct spiram_params p;
	uint32_t scratch = SPIRAM_LZ_SCRATCH_LINKED(block);

	spiram_params_init(s, &p, SPIRAM_OP_READ_LZ);
	p.addr = addr;
	p.len = count;
	p.arg[0] = block;
	p.arg[1] = 1;	/* linked blocks */
	p.fifo_end = (uint32_t)(s->fifo_addr + s->fifo_size - scratch);
	p.buffer = p.fifo_end;
	p.buffer_size = scratch;

	const uint32_t wp_addr = p.fifo_start + SPIRAM_FIFO_WP_OFFSET, rp_addr = p.fifo_start + SPIRAM_FIFO_RP_OFFSET;
	const uint32_t start = p.fifo_start + SPIRAM_FIFO_DATA_OFFSET, end = p.fifo_end;
	const size_t cap = end - start;
	uint8_t *stage = malloc(cap);
	if (!stage) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	int retval = target_write_u32(t, wp_addr, start);
	if (retval == ERROR_OK)
		retval = target_write_u32(t, rp_addr, start);
	if (retval == ERROR_OK)
		retval = spiram_run_prepare(s, &p, reg_params);
	if (retval != ERROR_OK) {
		free(stage);
		return retval;
	}
	s->run_start_ms = timeval_ms();
	s->run_limit_ms = 0;
	retval = target_start_algorithm(t, 0, NULL, 2, reg_params, s->entry, s->exit, &s->alg);
	if (retval != ERROR_OK) {
		LOG_ERROR("spiram_loader: read: cannot start the stub");
		free(stage);
		destroy_reg_param(&reg_params[0]);
		destroy_reg_param(&reg_params[1]);
		return retval;
	}

	uint32_t rp = start;
	size_t have = 0, done = 0;
	int64_t last = timeval_ms();
	while (retval == ERROR_OK && done < count) {
		uint32_t wp;
		retval = target_read_u32(t, wp_addr, &wp);
		if (retval != ERROR_OK)
			break;
		if (!wp) {
			retval = ERROR_FLASH_OPERATION_FAILED;	/* the stub stopped: its status says why */
			break;
		}
		if ((wp & 3) || wp < start || wp >= end) {
			LOG_ERROR("spiram_loader: read: the stub's FIFO write pointer 0x%08" PRIx32 " is outside its FIFO "
				"0x%08" PRIx32 "-0x%08" PRIx32 " (work area overwritten?)", wp, start, end);
			retval = ERROR_FLASH_OPERATION_FAILED;
			break;
		}
		uint32_t n = MIN(wp >= rp ? wp - rp : end - rp, cap - have);
		if (!n) {
			/* the stub reads or compresses: poll the link less often */
			alive_sleep(1);
			if (timeval_ms() - last > SPIRAM_LZ_IDLE_MS) {
				LOG_ERROR("spiram_loader: read: no data from the stub for %d ms at flash offset 0x%08" PRIx32,
					SPIRAM_LZ_IDLE_MS, (uint32_t)(addr + done));
				retval = ERROR_FLASH_OPERATION_FAILED;
			}
			continue;
		}
		last = timeval_ms();
		retval = target_read_buffer(t, rp, n, stage + have);
		if (retval != ERROR_OK)
			break;
		have += n;
		rp += n;
		if (rp == end)
			rp = start;
		retval = target_write_u32(t, rp_addr, rp);
		if (retval != ERROR_OK)
			break;
		size_t used;
		*stream_bytes += n;
		enum spiram_lz_error e = spiram_lz_decode(stage, have, &used, out, count, &done, block, block);
		if (e != SPIRAM_LZ_OK || (have - used == cap)) {
			LOG_ERROR("spiram_loader: read: the stub's compressed stream is broken at flash offset 0x%08" PRIx32
				" (%s); read again, and if it persists, report it with the log",
				(uint32_t)(addr + done), e != SPIRAM_LZ_OK ? spiram_lz_error_text(e) : "frame larger than the FIFO");
			retval = ERROR_FLASH_OPERATION_FAILED;
			break;
		}
		memmove(stage, stage + used, have - used);
		have -= used;
		keep_alive();
	}
	free(stage);
	if (retval != ERROR_OK)
		target_write_u32(t, rp_addr, 0);	/* the stub then stops with ABORTED */
	int r = target_wait_algorithm(t, 0, NULL, 2, reg_params, s->exit, SPIRAM_LZ_IDLE_MS, &s->alg);
	if (retval == ERROR_OK)
		retval = r;
	return spiram_async_finish(s, &p, reg_params, retval, "read");
}

/* ------------------------------------------------------------------------
 * Operations used by several callbacks
 * ------------------------------------------------------------------------ */

/* Read the status registers: SR1 | SR2 << 8 | SR3 << 16. */
/* The read opcodes of the chip's status registers, as READ_STATUS (and
 * SPAN_CRC, in arg[1..3]) take them. */
static void spiram_status_opcodes(const struct spiram_chip_config *chip, uint32_t *op)
{
	for (unsigned int i = 0; i < 3; i++)
		op[i] = i < chip->sr_count ? chip->sr_read_opcode[i] : 0;
	if (!op[0])
		op[0] = 0x05;
}

/* Dual-flash: FLASH2's registers came in arg[3]; else a copy of FLASH1's. */
static void spiram_status_unpack(const struct spiram_session *s, const struct spiram_params *p,
		struct spiram_protect_regs *regs)
{
	uint32_t flash2 = s->dual ? p->arg[3] : p->result;
	for (unsigned int i = 0; i < 3; i++) {
		regs->sr[i] = (p->result >> (8 * i)) & 0xff;
		regs->sr_flash2[i] = (flash2 >> (8 * i)) & 0xff;
	}
}

static int spiram_read_status(struct spiram_session *s, struct spiram_protect_regs *regs)
{
	struct spiram_params p;

	spiram_params_init(s, &p, SPIRAM_OP_READ_STATUS);
	spiram_status_opcodes(&s->info->chip, p.arg);
	int retval = spiram_run(s, &p, SPIRAM_TIMEOUT_BASE_MS, "read status", NULL, 0);
	if (retval != ERROR_OK)
		return retval;
	spiram_status_unpack(s, &p, regs);
	return ERROR_OK;
}

/* Protected range [*start, *end) from the chip's status registers. */
static int spiram_decode_protection(struct spiram_session *s, uint64_t *start, uint64_t *end,
		const struct spiram_protect_regs *regs);

static int spiram_get_protection(struct spiram_session *s, uint64_t *start, uint64_t *end,
		struct spiram_protect_regs *regs)
{
	*start = 0;
	*end = 0;
	if (s->info->chip.protect_scheme == SPIRAM_PROTECT_NONE)
		return ERROR_OK;
	int retval = spiram_read_status(s, regs);
	if (retval != ERROR_OK)
		return retval;
	return spiram_decode_protection(s, start, end, regs);
}

/* Protected range [*start, *end) from status registers already read. */
static int spiram_decode_protection(struct spiram_session *s, uint64_t *start, uint64_t *end,
		const struct spiram_protect_regs *regs)
{
	const struct spiram_chip_config *chip = &s->info->chip;

	*start = 0;
	*end = 0;
	if (chip->protect_scheme == SPIRAM_PROTECT_NONE)
		return ERROR_OK;
	/* Dual-flash: each chip's range, in its own addresses, then in the
	 * bank's (twice as far); the union when the two differ. */
	unsigned int shift = s->dual ? 1 : 0;
	for (unsigned int c = 0; c <= shift; c++) {
		const uint8_t *sr = c ? regs->sr_flash2 : regs->sr;
		uint64_t cs, ce;
		if (spiram_protect_decode(chip->protect_scheme, chip->flash.size >> shift, sr[0], sr[1], sr[2],
				&cs, &ce) != SPIRAM_PROTECT_OK) {
			LOG_WARNING("spiram_loader: protection bits %sSR1 0x%02" PRIx8 " SR2 0x%02" PRIx8
				" not understood; assuming nothing is protected", c ? "of FLASH2 (BK2): " :
				shift ? "of FLASH1 (BK1): " : "", sr[0], sr[1]);
			cs = 0;
			ce = 0;
		}
		cs <<= shift;
		ce <<= shift;
		if (c && (cs != *start || ce != *end)) {
			LOG_WARNING("spiram_loader: dual-flash QUADSPI: FLASH1 (BK1) protects bank offsets 0x%08" PRIx64
				"+0x%" PRIx64 " but FLASH2 (BK2) 0x%08" PRIx64 "+0x%" PRIx64 "; both are taken as "
				"protected ('flash protect' sets both chips alike)", *start, *end - *start, cs, ce - cs);
			if (*start == *end) {
				*start = cs;
				*end = ce;
			} else if (cs < ce) {
				*start = MIN(*start, cs);
				*end = MAX(*end, ce);
			}
			continue;
		}
		*start = cs;
		*end = ce;
	}
	return ERROR_OK;
}

/* Refuse to program or erase [offset, offset + len) when part of it is
 * protected; known: the status registers when this session has just read
 * them, else NULL (read them now). */
static int spiram_check_unprotected_regs(struct spiram_session *s, uint32_t offset, uint32_t len, const char *what,
		const struct spiram_protect_regs *known)
{
	struct spiram_protect_regs regs;
	uint64_t start, end;
	int retval = known ? spiram_decode_protection(s, &start, &end, known)
		: spiram_get_protection(s, &start, &end, &regs);
	if (retval != ERROR_OK)
		return retval;
	if (start < end && offset < end && (uint64_t)offset + len > start) {
		struct flash_bank *bank = s->bank;
		uint32_t ss = s->info->chip.sector_size;
		uint32_t first = (uint32_t)(start / ss);
		uint32_t last = (uint32_t)(MIN(end, (uint64_t)bank->size) / ss) - 1;
		LOG_ERROR("spiram_loader: cannot %s " TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ": the chip protects "
			TARGET_ADDR_FMT "-" TARGET_ADDR_FMT " (sectors %" PRIu32 "-%" PRIu32 ", status register "
			"BP bits); unprotect first with 'flash protect %u %" PRIu32 " %" PRIu32 " off'",
			what, bank->base + offset, bank->base + offset + len - 1, bank->base + (target_addr_t)start,
			bank->base + (target_addr_t)end - 1, first, last, bank->bank_number, first, last);
		return ERROR_FLASH_PROTECTED;
	}
	return ERROR_OK;
}

static int spiram_check_unprotected(struct spiram_session *s, uint32_t offset, uint32_t len, const char *what)
{
	return spiram_check_unprotected_regs(s, offset, len, what, NULL);
}

/* Read [offset, offset + count) into buffer through the read FIFO, compressed
 * by the stub (READ_LZ) when the work area leaves room for its scratch. */
static int spiram_read_range(struct spiram_session *s, uint8_t *buffer, uint32_t offset, uint32_t count,
		struct spiram_progress *pg, uint32_t progress_base)
{
	uint32_t chunk = SPIRAM_STREAM_CHUNK_FIRST;
	uint32_t done = 0;
	int retval = ERROR_OK;
	/* compressed by the stub, unless the work area is too small */
	uint32_t lz_block = spiram_lz_block(s), lz_skip = 0;
	bool plain = false;
	if (lz_block)
		chunk = SPIRAM_STREAM_CHUNK_MIN;	/* a small first probe of how the data compresses */

	/* The FIFO moves whole words: read an aligned window, copy what was asked. */
	uint32_t win_start = ALIGN_DOWN(offset, 4);
	uint32_t win_end = ALIGN_UP(offset + count, 4);
	uint8_t *tmp = malloc(MIN(win_end - win_start, SPIRAM_STREAM_CHUNK_MAX));
	if (!tmp) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}

	uint32_t addr = win_start;
	while (addr < win_end) {
		uint32_t n = MIN(chunk, win_end - addr);
		struct spiram_params p;
		int64_t t0 = timeval_ms();

		plain = !lz_block || lz_skip;
		if (!plain) {
			uint32_t sent = 0;
			retval = spiram_read_lz(s, tmp, addr, n, lz_block, &sent);
			/* data that does not compress goes as it is for the next
			 * chunks (the stub's frames would only cost time) */
			if ((uint64_t)sent * 16 > (uint64_t)n * 15)
				lz_skip = SPIRAM_LZ_SKIP_CHUNKS;
			LOG_DEBUG("spiram_loader: read: 0x%08" PRIx32 "+0x%" PRIx32 " crossed the link in %" PRIu32
				" bytes", addr, n, sent);
		} else {
			if (lz_skip)
				lz_skip--;
			spiram_params_init(s, &p, SPIRAM_OP_READ_STREAM);
			p.addr = addr;
			p.len = n;
			retval = spiram_run_async(s, &p, false, NULL, tmp, n, "read");
		}
		if (retval != ERROR_OK)
			break;

		/* Copy the part of [addr, addr + n) inside [offset, offset + count). */
		uint32_t from = MAX(addr, offset);
		uint32_t to = MIN(addr + n, offset + count);
		memcpy(buffer + (from - offset), tmp + (from - addr), to - from);
		done += to - from;
		addr += n;
		if (pg)
			spiram_progress_update(pg, progress_base + done);

		/* Aim at about one second per run, so progress stays regular. */
		int64_t dt = timeval_ms() - t0;
		if (dt > 0) {
			uint64_t next = (uint64_t)n * SPIRAM_PROGRESS_INTERVAL_MS / (uint64_t)dt;
			chunk = (uint32_t)MIN(MAX(next, (uint64_t)SPIRAM_STREAM_CHUNK_MIN), (uint64_t)SPIRAM_STREAM_CHUNK_MAX);
			chunk = ALIGN_DOWN(chunk, 4);
			/* a compression retry after data that did not compress: small */
			if (lz_block && !lz_skip && plain)
				chunk = SPIRAM_STREAM_CHUNK_MIN;
		} else {
			chunk = SPIRAM_STREAM_CHUNK_MAX;
		}
	}
	free(tmp);
	return retval;
}

/*
 * Dual-flash: the bytes of [offset, offset + len) that the controller
 * cannot start or end at (odd bank addresses: AR[0] and DL[0] are
 * forced).  The first (odd offset) and the last (odd end) are read into
 * head and tail; *inner gets the even range between them.
 */
static int spiram_dual_edges(struct spiram_session *s, uint32_t offset, uint32_t len, uint8_t *head,
		uint8_t *tail, uint32_t *inner_offset, uint32_t *inner_len)
{
	int retval = ERROR_OK;

	*inner_offset = offset;
	*inner_len = len;
	if ((offset & 1) && len) {
		retval = spiram_read_range(s, head, offset, 1, NULL, 0);
		(*inner_offset)++;
		(*inner_len)--;
	}
	if (retval == ERROR_OK && (*inner_len & 1)) {
		retval = spiram_read_range(s, tail, *inner_offset + *inner_len - 1, 1, NULL, 0);
		(*inner_len)--;
	}
	return retval;
}

/* CRC32 of [offset, offset + len) computed by the stub; dual-flash: an odd
 * first or last byte is read and added here. */
static int spiram_crc_range(struct spiram_session *s, uint32_t offset, uint32_t len, uint32_t crc_in,
		uint32_t *crc_out, struct spiram_progress *pg, uint32_t progress_base)
{
	struct spiram_params p;

	if (s->dual && ((offset | len) & 1)) {
		uint8_t head, tail;
		uint32_t in_off, in_len, crc = crc_in;
		int retval = spiram_dual_edges(s, offset, len, &head, &tail, &in_off, &in_len);
		if (retval == ERROR_OK && (offset & 1))
			crc = spiram_crc32_update(crc, &head, 1);
		if (retval == ERROR_OK && in_len)
			retval = spiram_crc_range(s, in_off, in_len, crc, &crc, pg, progress_base);
		if (retval == ERROR_OK && in_off + in_len < offset + len)
			crc = spiram_crc32_update(crc, &tail, 1);
		*crc_out = crc;
		return retval;
	}
	spiram_params_init(s, &p, SPIRAM_OP_CRC32);
	p.addr = offset;
	p.len = len;
	p.arg[0] = crc_in;
	int retval = spiram_run(s, &p, spiram_read_timeout_ms(s->info, len), "crc", pg, progress_base);
	if (retval == ERROR_OK)
		*crc_out = p.result;
	return retval;
}

/*
 * OpenOCD's CRC of each piece of [offset, offset + count) cut at sector
 * boundaries, computed by the stub (SPAN_CRC): as many pieces per run as
 * the FIFO area holds (256 with the smallest work area, 4 KiB each: 1 MiB
 * per run), so a verify or smart programming's comparison costs a few words
 * per sector over the link.  With room for the stub's three more tables
 * (SPIRAM_SECTOR_CRC_SLICE_ROOM) it takes four bytes a step.  out gets one
 * word per piece; progress counts from progress_base.
 */
static int spiram_span_crcs_sr(struct spiram_session *s, uint32_t offset, uint32_t count, uint32_t *out,
		struct spiram_progress *pg, uint32_t progress_base, struct spiram_protect_regs *regs,
		const struct spiram_host_work *meanwhile)
{
	uint32_t ss = s->info->chip.sector_size;
	uint32_t area = s->fifo_size - SPIRAM_FIFO_DATA_OFFSET;
	uint32_t per_run = (area - SPIRAM_SECTOR_CRC_TABLE) / 4;
	if (area >= SPIRAM_SECTOR_CRC_TABLE + SPIRAM_SECTOR_CRC_SLICE_ROOM + 1024)
		per_run = (area - SPIRAM_SECTOR_CRC_TABLE - SPIRAM_SECTOR_CRC_SLICE_ROOM) / 4;
	target_addr_t buf = s->fifo_addr + SPIRAM_FIFO_DATA_OFFSET;
	uint8_t *words = malloc(4 * per_run);
	int retval = ERROR_OK;

	if (!words) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	for (uint32_t done = 0, piece = 0; done < count && retval == ERROR_OK; ) {
		/* per_run pieces from offset + done: up to a sector boundary */
		uint32_t addr = offset + done;
		uint64_t end = ALIGN_DOWN((uint64_t)addr, ss) + (uint64_t)per_run * ss;
		uint32_t n = (uint32_t)MIN(end - addr, (uint64_t)(count - done));
		uint32_t pieces = (addr + n - 1) / ss - addr / ss + 1;
		struct spiram_params p;

		spiram_params_init(s, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = addr;
		p.len = n;
		p.arg[0] = ss;
		p.buffer = (uint32_t)buf;
		p.buffer_size = area;
		/* the first run reads the status registers too, when asked */
		if (regs && !done)
			spiram_status_opcodes(&s->info->chip, p.arg + 1);
		retval = spiram_run_with(s, &p, spiram_read_timeout_ms(s->info, n), "sector crc", pg,
				progress_base + done, done ? NULL : meanwhile);
		if (retval == ERROR_OK && regs && !done)
			spiram_status_unpack(s, &p, regs);
		if (retval == ERROR_OK)
			retval = target_read_memory(s->target, buf + SPIRAM_SECTOR_CRC_TABLE, 4, pieces, words);
		for (uint32_t k = 0; retval == ERROR_OK && k < pieces; k++)
			out[piece + k] = target_buffer_get_u32(s->target, words + 4 * k);
		piece += pieces;
		done += n;
	}
	free(words);
	return retval;
}

static int spiram_span_crcs(struct spiram_session *s, uint32_t offset, uint32_t count, uint32_t *out,
		struct spiram_progress *pg, uint32_t progress_base)
{
	return spiram_span_crcs_sr(s, offset, count, out, pg, progress_base, NULL, NULL);
}

/* OpenOCD's CRC of an erased sector (all 0xFF). */
static int spiram_blank_sector_crc(struct spiram_session *s, uint32_t *crc)
{
	uint32_t ss = s->info->chip.sector_size;
	uint8_t *ff = malloc(ss);
	if (!ff) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	memset(ff, 0xff, ss);
	int retval = image_calculate_checksum(ff, ss, crc);
	free(ff);
	return retval;
}

/* Erase [offset, offset + len), which is aligned to the smallest erase size. */
static int spiram_erase_range(struct spiram_session *s, uint32_t offset, uint32_t len)
{
	const struct spiram_chip_config *chip = &s->info->chip;
	size_t count = 0;
	uint64_t worst_us = 0;
	enum spiram_erase_error e;

	e = spiram_erase_plan(chip->flash.erase, chip->flash.size, offset, len, SPIRAM_DEFAULT_ERASE_MAX_US,
			NULL, 0, &count, NULL);
	if (e != SPIRAM_ERASE_OK && e != SPIRAM_ERASE_ERR_SPACE) {
		LOG_ERROR("spiram_loader: cannot plan the erase of 0x%08" PRIx32 "+0x%" PRIx32 ": %s",
			offset, len, spiram_erase_strerror(e));
		return ERROR_FLASH_DST_OUT_OF_BANK;
	}
	struct spiram_erase_cmd *cmds = calloc(count ? count : 1, sizeof(*cmds));
	if (!cmds) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	e = spiram_erase_plan(chip->flash.erase, chip->flash.size, offset, len, SPIRAM_DEFAULT_ERASE_MAX_US,
			cmds, count, &count, &worst_us);
	if (e != SPIRAM_ERASE_OK) {
		LOG_ERROR("spiram_loader: erase planning failed: %s", spiram_erase_strerror(e));
		free(cmds);
		return ERROR_FAIL;
	}
	LOG_DEBUG("spiram_loader: erase 0x%08" PRIx32 "+0x%" PRIx32 " in %zu commands, worst %" PRIu64 " us",
		offset, len, count, worst_us);

	/* Frames go into the FIFO before the run (the stub finds wp already
	 * past them): as many per run as fit, each run with its own timeout. */
	uint32_t fifo_data = s->fifo_size - SPIRAM_FIFO_DATA_OFFSET;
	size_t frame = spiram_stream_frame_size(SPIRAM_FRAME_ERASE, 0);
	size_t end_frame = spiram_stream_frame_size(SPIRAM_FRAME_END, 0);
	size_t per_run = (fifo_data - end_frame - SPIRAM_FRAME_ALIGN) / frame;
	uint8_t *stream = malloc(fifo_data);
	struct spiram_progress pg;
	int retval = ERROR_OK;

	if (!stream) {
		free(cmds);
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	spiram_progress_start(&pg, "erased", len);
	for (size_t i = 0; i < count && retval == ERROR_OK; i += per_run) {
		size_t n = MIN(per_run, count - i);
		size_t stream_len = 0;
		uint64_t run_worst_us = 0;
		enum spiram_stream_error se = SPIRAM_STREAM_OK;

		for (size_t k = 0; k < n && se == SPIRAM_STREAM_OK; k++) {
			const struct spiram_erase_cmd *c = &cmds[i + k];
			uint32_t max_us = chip->flash.erase[c->type].max_time_us;
			run_worst_us += max_us ? max_us : SPIRAM_DEFAULT_ERASE_MAX_US;
			se = spiram_stream_put_frame(stream, fifo_data, &stream_len, SPIRAM_FRAME_ERASE, c->addr,
					c->size, NULL);
		}
		if (se == SPIRAM_STREAM_OK)
			se = spiram_stream_put_frame(stream, fifo_data, &stream_len, SPIRAM_FRAME_END, 0, 0, NULL);
		if (se != SPIRAM_STREAM_OK) {
			LOG_ERROR("spiram_loader: erase stream: %s", spiram_stream_strerror(se));
			retval = ERROR_FAIL;
			break;
		}

		target_addr_t data = s->fifo_addr + SPIRAM_FIFO_DATA_OFFSET;
		retval = target_write_buffer(s->target, data, stream_len, stream);
		if (retval == ERROR_OK)
			retval = target_write_u32(s->target, s->fifo_addr + SPIRAM_FIFO_WP_OFFSET,
					(uint32_t)(data + stream_len));
		if (retval == ERROR_OK)
			retval = target_write_u32(s->target, s->fifo_addr + SPIRAM_FIFO_RP_OFFSET, (uint32_t)data);
		if (retval != ERROR_OK)
			break;

		struct spiram_params p;
		spiram_params_init(s, &p, SPIRAM_OP_WRITE_STREAM);
		p.addr = cmds[i].addr;
		retval = spiram_run(s, &p, spiram_scale_timeout_ms(run_worst_us), "erase", &pg,
				cmds[i].addr - offset);
		spiram_progress_update(&pg, cmds[i + n - 1].addr + cmds[i + n - 1].size - offset);
	}
	if (retval == ERROR_OK)
		spiram_progress_done(&pg, len);
	free(stream);
	free(cmds);
	return retval;
}

/*
 * Erase the sectors of [offset, offset + len) that are not blank, never
 * the blank ones: the stub's CRC of each sector first, then the runs of
 * non-blank sectors with the largest aligned erase types, or a chip erase
 * when the range is the whole chip and most of it holds data.
 */
static int spiram_erase_chip(struct spiram_session *s);

static uint64_t spiram_scan_ms(const struct spiram_loader_bank *info, uint32_t len)
{
	uint32_t rate = spiram_ctrl_is_stm32_xspi(info->args.ctrl.type) ? SPIRAM_SCAN_RATE_QSPI
		: info->args.ctrl.type == SPIRAM_CTRL_STM32_SPI ? SPIRAM_SCAN_RATE_SPI : SPIRAM_SCAN_RATE_GPIO;
	return (uint64_t)len * 1000 / rate;
}

static int spiram_erase_nonblank(struct spiram_session *s, uint32_t offset, uint32_t len)
{
	const struct spiram_chip_config *chip = &s->info->chip;
	uint32_t ss = chip->sector_size, n = len / ss, blank_crc, nonblank = 0;
	bool whole_chip = offset == 0 && len == chip->flash.size && chip->flash.chip_erase_opcode;

	/* Is a scan for blank sectors worth it?  Not when reading the range
	 * takes longer than erasing it would (a slow bit-banged bus). */
	uint64_t erase_max_ms = !whole_chip ? 0 : chip->chip_erase_max_ms ? chip->chip_erase_max_ms
		: SPIRAM_DEFAULT_CHIP_ERASE_MS;
	if (!whole_chip) {
		size_t count = 0;
		uint64_t worst_us = 0;
		spiram_erase_plan(chip->flash.erase, chip->flash.size, offset, len, SPIRAM_DEFAULT_ERASE_MAX_US,
				NULL, 0, &count, &worst_us);
		erase_max_ms = worst_us / 1000;
	}
	if (spiram_scan_ms(s->info, len) * SPIRAM_SCAN_ERASE_RATIO > erase_max_ms) {
		LOG_DEBUG("spiram_loader: erase without looking for blank sectors first (scan %" PRIu64 " ms, "
			"erase at most %" PRIu64 " ms)", spiram_scan_ms(s->info, len), erase_max_ms);
		return whole_chip ? spiram_erase_chip(s) : spiram_erase_range(s, offset, len);
	}

	uint32_t *crcs = calloc(n, sizeof(uint32_t));
	struct spiram_progress pg;

	if (!crcs) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	spiram_progress_start(&pg, "blank-checked", len);
	int retval = spiram_blank_sector_crc(s, &blank_crc);
	if (retval == ERROR_OK)
		retval = spiram_span_crcs(s, offset, len, crcs, &pg, 0);
	for (uint32_t k = 0; k < n && retval == ERROR_OK; k++)
		nonblank += crcs[k] != blank_crc;
	if (retval == ERROR_OK && !nonblank) {
		LOG_INFO("spiram_loader: all %" PRIu32 " sectors are blank already: nothing erased", n);
	} else if (retval == ERROR_OK && whole_chip && nonblank > n / 2) {
		retval = spiram_erase_chip(s);
	} else if (retval == ERROR_OK) {
		LOG_INFO("spiram_loader: erasing %" PRIu32 " of %" PRIu32 " sectors (the others are blank)", nonblank, n);
		for (uint32_t k = 0; k < n && retval == ERROR_OK; ) {
			if (crcs[k] == blank_crc) {
				k++;
				continue;
			}
			uint32_t run = k;
			while (run < n && crcs[run] != blank_crc)
				run++;
			retval = spiram_erase_range(s, offset + k * ss, (run - k) * ss);
			k = run;
		}
	}
	free(crcs);
	return retval;
}

static int spiram_erase_chip(struct spiram_session *s)
{
	const struct spiram_chip_config *chip = &s->info->chip;
	uint64_t max_ms = chip->chip_erase_max_ms ? chip->chip_erase_max_ms : SPIRAM_DEFAULT_CHIP_ERASE_MS;
	struct spiram_params p;
	struct spiram_progress pg;

	LOG_INFO("spiram_loader: erasing the whole chip (%" PRIu32 " KiB), this can take up to %" PRIu64 " s",
		chip->flash.size / 1024, max_ms / 1000);
	spiram_progress_start(&pg, "chip erase", chip->flash.size);
	pg.max_ms = (uint32_t)MIN(max_ms, (uint64_t)UINT32_MAX);
	if (s->info->has_sfdp)
		pg.typ_ms = s->info->sfdp.chip_erase_typ_ms;
	spiram_params_init(s, &p, SPIRAM_OP_ERASE_CHIP);
	p.addr = 0;
	p.len = chip->flash.size;
	int retval = spiram_run(s, &p, spiram_scale_timeout_ms(max_ms * 1000), "chip erase", &pg, 0);
	if (retval == ERROR_OK)
		spiram_progress_done(&pg, chip->flash.size);
	return retval;
}

/* ------------------------------------------------------------------------
 * flash_driver callbacks
 * ------------------------------------------------------------------------ */

/*
 * OpenOCD accepts banks whose address ranges overlap and sends an address
 * in the overlap to the bank declared first, silently: say so.  Banks of
 * size 0 (not probed yet) are checked when they are probed.
 */
static void spiram_warn_overlaps(const struct flash_bank *bank)
{
	if (!bank->size)
		return;
	for (struct flash_bank *other = flash_bank_list(); other; other = other->next) {
		if (other == bank || other->target != bank->target || !other->size)
			continue;
		if (other->base < bank->base + bank->size && bank->base < other->base + other->size)
			LOG_WARNING("spiram_loader: bank %s (" TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ") overlaps "
				"bank %u %s (%s, " TARGET_ADDR_FMT "-" TARGET_ADDR_FMT "): an address in both "
				"goes to whichever was declared first; give the banks distinct address ranges",
				bank->name, bank->base, bank->base + bank->size - 1, other->bank_number, other->name,
				other->driver->name, other->base, other->base + other->size - 1);
	}
}

/*
 * flash bank <name> spiram_loader <base> <size|0> 0 0 <target>
 *	<controller> <controller args> [options]
 */
FLASH_BANK_COMMAND_HANDLER(spiram_loader_flash_bank_command)
{
	char msg[256] = "";

	if (CMD_ARGC < 7) {
		LOG_ERROR("spiram_loader: missing the controller (stm32_qspi, stm32_ospi, stm32_spi or gpio) after the target");
		return ERROR_COMMAND_SYNTAX_ERROR;
	}

	struct spiram_loader_bank *info = calloc(1, sizeof(*info));
	if (!info) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}

	enum spiram_args_error e = spiram_args_parse_bank(CMD_ARGC - 6, CMD_ARGV + 6, &info->args, msg, sizeof(msg));
	if (e != SPIRAM_ARGS_OK) {
		LOG_ERROR("spiram_loader: %s", msg[0] ? msg : "bad controller arguments");
		free(info);
		return ERROR_COMMAND_SYNTAX_ERROR;
	}
	/*
	 * QUADSPI maps chip offset 0 at 0x90000000 on every STM32 that has one
	 * (RM0433 H7, RM0385 F7, RM0351 L4), and so does OCTOSPI1 (OCTOSPI2 at
	 * 0x70000000, stm32-octospi.md section 1): a bank based there is the
	 * window, and the stub's scans read through it.  A bank based elsewhere
	 * (a second bank on a part of the chip) is not: its scans use indirect
	 * reads, unless -mmap names the window.
	 */
	if (spiram_ctrl_is_stm32_xspi(info->args.ctrl.type) && !info->args.has_mmap) {
		bool window = bank->base == SPIRAM_QSPI_WINDOW || (info->args.ctrl.type == SPIRAM_CTRL_STM32_OSPI
				&& bank->base == SPIRAM_OSPI2_WINDOW);
		info->args.ctrl.mmap_base = window ? (uint32_t)bank->base : 0;
	}
	if (bank->size && !IS_PWR_OF_2(bank->size)) {
		LOG_ERROR("spiram_loader: bank size 0x%" PRIx32 " is not a power of two; give the chip size, "
			"or 0 to detect it", bank->size);
		free(info);
		return ERROR_COMMAND_SYNTAX_ERROR;
	}

	info->user = info->args.user;
	info->bank_size_arg = bank->size;
	info->probed = false;
	spiram_warn_overlaps(bank);
	bank->driver_priv = info;
	bank->erased_value = 0xff;
	bank->default_padded_value = 0xff;
	/* Until the probe succeeds, the bank has no sectors. */
	bank->size = 0;
	bank->num_sectors = 0;
	bank->sectors = NULL;
	return ERROR_OK;
}

static void spiram_loader_free_driver_priv(struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;

	if (info && info->pending_erase)
		for (unsigned int i = 0; i < bank->num_sectors; i++)
			if (info->pending_erase[i]) {
				LOG_WARNING("spiram_loader: bank %u: erases asked for by GDB were never done "
					"(no write followed, and no 'spiram_loader flush %u')", bank->bank_number,
					bank->bank_number);
				break;
			}
	if (info)
		free(info->pending_erase);
	free(bank->driver_priv);
	bank->driver_priv = NULL;
}

/* Forget the probe: the bank goes back to having no sectors. */
static void spiram_invalidate(struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;

	info->probed = false;
	free(info->pending_erase);
	info->pending_erase = NULL;
	free(bank->sectors);
	bank->sectors = NULL;
	bank->num_sectors = 0;
	bank->size = 0;
}

static int spiram_probe_in_session(struct spiram_session *s)
{
	struct flash_bank *bank = s->bank;
	struct spiram_loader_bank *info = s->info;
	char idtext[16];
	char msg[512] = "";
	struct spiram_params p;
	int retval;

	/* Dual-flash: FLASH1's SFDP, then FLASH2's, then a run's raw bytes. */
	uint8_t *sfdp = malloc(3 * SPIRAM_SFDP_READ_SIZE);
	if (!sfdp) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	/*
	 * The ID and the first SFDP bytes.  Dual-flash: both chips answer at
	 * once, bytes interleaved (FLASH1's at even places) and each at half
	 * the address, so two runs give each chip's first
	 * SPIRAM_SFDP_READ_SIZE bytes.
	 */
	info->dual = s->dual;
	uint32_t id2 = 0;
	for (unsigned int run = 0; run <= (unsigned int)s->dual; run++) {
		uint8_t *raw = s->dual ? sfdp + 2 * SPIRAM_SFDP_READ_SIZE : sfdp;
		spiram_params_init(s, &p, SPIRAM_OP_PROBE);
		p.addr = run * SPIRAM_SFDP_READ_SIZE;
		p.arg[0] = SPIRAM_SFDP_READ_SIZE;
		retval = spiram_run(s, &p, SPIRAM_TIMEOUT_BASE_MS, "probe", NULL, 0);
		if (retval == ERROR_OK)
			retval = target_read_buffer(s->target, s->buffer_addr, SPIRAM_SFDP_READ_SIZE, raw);
		if (retval != ERROR_OK) {
			free(sfdp);
			return retval;
		}
		if (!run)
			id2 = p.arg[3];
		for (uint32_t i = 0; s->dual && i < SPIRAM_SFDP_READ_SIZE / 2; i++) {
			uint32_t at = run * SPIRAM_SFDP_READ_SIZE / 2 + i;
			sfdp[at] = raw[2 * i];
			sfdp[SPIRAM_SFDP_READ_SIZE + at] = raw[2 * i + 1];
		}
	}

	memset(info->id, 0, sizeof(info->id));
	info->id[0] = p.result & 0xff;
	info->id[1] = (p.result >> 8) & 0xff;
	info->id[2] = (p.result >> 16) & 0xff;
	spiram_format_id(info->id, idtext, sizeof(idtext));
	if (s->dual) {
		retval = spiram_dual_compare_ids(p.result, id2);
		if (retval != ERROR_OK) {
			free(sfdp);
			return retval;
		}
		if (memcmp(sfdp, sfdp + SPIRAM_SFDP_READ_SIZE, SPIRAM_SFDP_READ_SIZE))
			LOG_WARNING("spiram_loader: dual-flash QUADSPI: the two chips' SFDP differ; using FLASH1's");
	}
	info->sfdp_error = spiram_sfdp_decode(sfdp, SPIRAM_SFDP_READ_SIZE, &info->sfdp);
	info->has_sfdp = info->sfdp_error == SPIRAM_SFDP_OK;
	/* A chip without SFDP answers 5Ah with a floating or driven-idle bus:
	 * all 0xFF or all 0x00.  Anything else is an SFDP area gone wrong. */
	bool sfdp_corrupt = false;
	char sfdp_head[40] = "";
	if (!info->has_sfdp) {
		for (unsigned int i = 1; i < 16; i++)
			sfdp_corrupt |= sfdp[i] != sfdp[0];
		sfdp_corrupt |= sfdp[0] != 0xff && sfdp[0] != 0x00;
		snprintf(sfdp_head, sizeof(sfdp_head), "%02x %02x %02x %02x %02x %02x %02x %02x", sfdp[0], sfdp[1],
			sfdp[2], sfdp[3], sfdp[4], sfdp[5], sfdp[6], sfdp[7]);
		LOG_DEBUG("spiram_loader: no usable SFDP: %s (starts %s)", spiram_sfdp_strerror(info->sfdp_error),
			sfdp_head);
	}
	free(sfdp);

	/* Only QUADSPI drives more than one data line: the byte-serial backends
	 * (SPI v1, GPIO) reject any 2- or 4-line phase, so the fastest read a
	 * chip offers must not be chosen for them. */
	struct spiram_user_override user = info->user;
	bool single_line = !spiram_ctrl_is_stm32_xspi(info->args.ctrl.type);
	if (single_line)
		user.read_pref = SPIRAM_READ_PREF_SINGLE;

	/* Table, then SFDP, then fixups, then user: see spiram_chip_merge(). */
	enum spiram_chip_error ce = spiram_chip_merge(info->id, 3, info->has_sfdp ? &info->sfdp : NULL,
			&user, &info->chip, msg, sizeof(msg));
	if (ce != SPIRAM_CHIP_OK) {
		if (ce == SPIRAM_CHIP_ERR_UNKNOWN)
			LOG_ERROR("spiram_loader: unknown flash chip, JEDEC ID %s, and %s SFDP (%s%s%s); "
				"describe it with 'spiram_loader set %u size <bytes> page <bytes> erase "
				"<size>:<opcode>' and 'flash probe %u', or add it to the chip table",
				idtext, sfdp_corrupt ? "corrupt" : "no", spiram_sfdp_strerror(info->sfdp_error),
				sfdp_corrupt ? "; it starts " : "", sfdp_corrupt ? sfdp_head : "",
				bank->bank_number, bank->bank_number);
		else if (ce == SPIRAM_CHIP_ERR_NO_CHIP)
			LOG_ERROR("spiram_loader: no flash chip answers (JEDEC ID %s); check the wiring, the pins "
				"and chip-select on the bank line, the chip's power, and that reset-init enables "
				"the controller's and GPIO clocks", idtext);
		if (msg[0])
			LOG_ERROR("spiram_loader: %s", msg);
		return ERROR_FLASH_OPERATION_FAILED;
	}

	if (sfdp_corrupt && info->chip.chip)
		LOG_WARNING("spiram_loader: the SFDP of %s (ID %s) is corrupt (%s; it starts %s); using the "
			"chip table entry instead", info->chip.name, idtext, spiram_sfdp_strerror(info->sfdp_error),
			sfdp_head);

	/* The read width forced above is the controller's, not the user's. */
	const struct spiram_user_override *u = &info->user;
	if (single_line && !u->has_size && !u->has_page_size && !u->has_erase && !u->has_read && !u->has_program
			&& !u->has_chip_erase && !u->has_qe && u->read_pref == SPIRAM_READ_PREF_AUTO
			&& u->addr_pref == SPIRAM_ADDR_PREF_AUTO)
		info->chip.used_user = false;

	const struct spiram_flash_cfg *f = &info->chip.flash;
	if (single_line && ((f->read_proto | f->program_proto) & SPIRAM_PROTO(6, 6, 6))) {
		LOG_ERROR("spiram_loader: the %s controller drives one data line, but the read (%u-%u-%u) or "
			"program (%u-%u-%u) mode uses more; give a single-line read with 'spiram_loader set %u "
			"read 0x0b 8 1-1-1'", spiram_ctrl_name(info->args.ctrl.type),
			SPIRAM_PROTO_CMD(f->read_proto), SPIRAM_PROTO_ADDR(f->read_proto), SPIRAM_PROTO_DATA(f->read_proto),
			SPIRAM_PROTO_CMD(f->program_proto), SPIRAM_PROTO_ADDR(f->program_proto),
			SPIRAM_PROTO_DATA(f->program_proto), bank->bank_number);
		return ERROR_FLASH_OPERATION_FAILED;
	}

	/*
	 * Dual-flash: the bank is the two chips side by side, byte by byte.
	 * One command reaches both, each at half the bank address, so every
	 * size the stub and OpenOCD see doubles (RM0433 dual-flash mode;
	 * OpenOCD's stmqspi does the same).  Protection stays per chip: see
	 * spiram_decode_protection().
	 */
	if (s->dual) {
		struct spiram_flash_cfg *df = &info->chip.flash;
		if (df->size > UINT32_MAX / 2) {
			LOG_ERROR("spiram_loader: dual-flash QUADSPI: two chips of 0x%" PRIx32 " bytes pass the "
				"4 GiB of a bank", df->size);
			return ERROR_FLASH_BANK_INVALID;
		}
		df->size *= 2;
		df->page_size *= 2;
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++)
			df->erase[i].size *= 2;
		info->chip.sector_size *= 2;
	}

	uint32_t size = info->chip.flash.size;
	if (info->bank_size_arg) {
		if (info->bank_size_arg > size) {
			LOG_ERROR("spiram_loader: the bank line gives size 0x%" PRIx32 " but the chip (%s, ID %s) "
				"holds 0x%" PRIx32 " bytes; give 0 to detect the size", info->bank_size_arg,
				info->chip.name, idtext, size);
			return ERROR_FLASH_BANK_INVALID;
		}
		if (info->bank_size_arg < size)
			LOG_INFO("spiram_loader: bank limited to 0x%" PRIx32 " of the chip's 0x%" PRIx32 " bytes",
				info->bank_size_arg, size);
		size = info->bank_size_arg;
	}

	uint32_t sector = info->chip.sector_size ? info->chip.sector_size : spiram_erase_min_size(info->chip.flash.erase);
	if (!sector || size % sector) {
		LOG_ERROR("spiram_loader: chip %s has no usable erase size (sector 0x%" PRIx32 "); "
			"give one with 'spiram_loader set %u erase <size>:<opcode>'", info->chip.name, sector,
			bank->bank_number);
		return ERROR_FLASH_BANK_INVALID;
	}
	info->chip.sector_size = sector;

	free(bank->sectors);
	bank->sectors = alloc_block_array(0, sector, size / sector);
	if (!bank->sectors) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	bank->num_sectors = size / sector;
	bank->size = size;
	free(info->pending_erase);
	info->pending_erase = calloc(bank->num_sectors, 1);
	if (!info->pending_erase) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	info->probed = true;
	spiram_warn_overlaps(bank);

	LOG_INFO("spiram_loader: bank %u: %s (ID %s%s), %" PRIu32 " KiB at " TARGET_ADDR_FMT
		", %" PRIu32 " sectors of %" PRIu32 " bytes, %s", bank->bank_number, info->chip.name, idtext,
		info->chip.used_sfdp ? ", SFDP" : "", size / 1024, bank->base, bank->num_sectors, sector,
		spiram_ctrl_name(info->args.ctrl.type));
	return ERROR_OK;
}

static int spiram_loader_probe(struct flash_bank *bank)
{
	struct spiram_session s;

	spiram_invalidate(bank);
	int retval = spiram_session_begin(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_probe_in_session(&s);
	if (retval == ERROR_OK)
		retval = spiram_widen_memmap(&s);
	retval = spiram_session_end(&s, retval);
	if (retval != ERROR_OK)
		spiram_invalidate(bank);
	return retval;
}

static int spiram_loader_auto_probe(struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;

	if (info->probed)
		return ERROR_OK;
	return spiram_loader_probe(bank);
}

/* Begin a session on a probed bank. */
/*
 * Found memory-mapped, but the window or its address width cannot reach
 * the whole chip (a board's reset-init that maps 16 MiB with a 3-byte read
 * in front of a 32 MiB chip): map it again with the driver's own read over
 * the whole chip, so that verify_image, GDB and code running in place see
 * every byte of the bank; the session then keeps that state as found.
 */
static int spiram_widen_memmap(struct spiram_session *s)
{
	const struct spiram_ctrl_snapshot *snap = &s->snap;
	struct spiram_loader_bank *info = s->info;
	uint32_t size = info->chip.flash.size;

	if (!spiram_ctrl_is_stm32_xspi(info->args.ctrl.type) || !info->probed
			|| !spiram_snap_memmap(info->args.ctrl.type, snap))
		return ERROR_OK;
	uint64_t window = 2ull << SPIRAM_QSPI_FSIZE(snap->qspi_dcr);
	bool small = window < size || (SPIRAM_QSPI_ADSIZE(snap->qspi_ccr) < 3 && size > 0x1000000u);
	if (!small)
		return ERROR_OK;
	if (!info->memmap_widened) {
		LOG_INFO("spiram_loader: %s was memory-mapped over 0x%" PRIx64 " bytes with %u-byte addresses; "
			"mapping the whole chip (0x%" PRIx32 " bytes) with the driver's read",
			info->args.ctrl.type == SPIRAM_CTRL_STM32_OSPI ? "OCTOSPI" : "QUADSPI", MIN(window,
			(uint64_t)1 << (8 * (SPIRAM_QSPI_ADSIZE(snap->qspi_ccr) + 1))),
			SPIRAM_QSPI_ADSIZE(snap->qspi_ccr) + 1, size);
		info->memmap_widened = true;
	}
	struct spiram_params p;
	spiram_params_init(s, &p, SPIRAM_OP_MEMMAP_ENTER);
	int retval = spiram_run(s, &p, SPIRAM_TIMEOUT_BASE_MS, "memory-mapped mode", NULL, 0);
	if (retval == ERROR_OK)
		retval = spiram_ctrl_snapshot(s);
	return retval;
}

static int spiram_begin_probed(struct spiram_session *s, struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;

	if (!info->probed) {
		LOG_ERROR("spiram_loader: bank %u is not probed; run 'flash probe %u'", bank->bank_number,
			bank->bank_number);
		return ERROR_FLASH_BANK_NOT_PROBED;
	}
	int retval = spiram_session_begin(s, bank);
	if (retval == ERROR_OK) {
		retval = spiram_widen_memmap(s);
		if (retval != ERROR_OK)
			return spiram_session_end(s, retval);
	}
	return retval;
}

static int spiram_loader_erase(struct flash_bank *bank, unsigned int first, unsigned int last)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	struct spiram_session s;

	if (!info->probed || last >= bank->num_sectors || first > last) {
		LOG_ERROR("spiram_loader: sectors %u-%u are not in bank %u (%u sectors)", first, last,
			bank->bank_number, bank->num_sectors);
		return ERROR_FLASH_SECTOR_INVALID;
	}
	uint32_t offset = bank->sectors[first].offset;
	uint32_t len = bank->sectors[last].offset + bank->sectors[last].size - offset;

	/* GDB's vFlashErase: the writes that follow decide (see
	 * spiram_flush_pending()). */
	if (info->defer_erase && info->pending_erase) {
		for (unsigned int i = first; i <= last; i++)
			info->pending_erase[i] = 1;
		LOG_DEBUG("spiram_loader: erase of sectors %u-%u deferred to the writes that follow", first, last);
		return ERROR_OK;
	}

	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_check_unprotected(&s, offset, len, "erase");
	if (retval == ERROR_OK)
		retval = spiram_erase_nonblank(&s, offset, len);
	if (retval == ERROR_OK)
		for (unsigned int i = first; i <= last; i++)
			bank->sectors[i].is_erased = 1;
	return spiram_session_end(&s, retval);
}

/* True when [offset, offset + count) lies inside the bank; else logs why. */
static bool spiram_range_in_bank(const struct flash_bank *bank, const char *what, uint32_t offset, uint32_t count)
{
	if (offset < bank->size && count <= bank->size - offset)
		return true;
	LOG_ERROR("spiram_loader: %s of 0x%" PRIx32 " bytes at offset 0x%" PRIx32 " goes past the end "
		"of bank %u (0x%" PRIx32 " bytes)", what, count, offset, bank->bank_number, bank->size);
	return false;
}

/* What one sector needs to go from what it holds to what is wanted. */
enum spiram_sector_plan {
	SPIRAM_SECTOR_SAME = 0,		/* holds the wanted bytes already: untouched */
	SPIRAM_SECTOR_PROGRAM,		/* bits only go from 1 to 0 (a blank sector): program */
	SPIRAM_SECTOR_ERASE,		/* erase, then program */
};

/* An erase type slower than this stays out of the async write stream:
 * OpenOCD's loop gives up after about 5 s without FIFO progress. */
#define SPIRAM_STREAM_ERASE_MAX_US	3000000u

/* Everything one smart write works with; sector k is first + k * ss. */
struct spiram_smart {
	uint32_t first, end, ss, nsec;
	uint8_t *want;			/* [first, end): what each sector must hold */
	uint32_t *have_crc;		/* CRC of each sector as the chip holds it */
	uint32_t *want_crc;		/* CRC of each sector of want */
	uint8_t *plan;			/* enum spiram_sector_plan per sector */
	struct spiram_erase_cmd *cmds;	/* erases, ascending */
	size_t ncmds;
	struct spiram_protect_regs sr;	/* status registers, read with have_crc */
	/*
	 * PROGRAM_LZ payloads made ahead (while the stub takes the chip's
	 * CRCs) for the first stream run, in the order it sends its blocks
	 * when it skips no sector.
	 */
	struct spiram_lz_writer *ahead_lzw;	/* NULL: nothing made ahead */
	uint32_t ahead_sectors;		/* sectors [0, ahead_sectors) to do */
	uint32_t ahead_n, ahead_max;	/* blocks made, room */
	struct spiram_ahead_block {
		uint32_t at, len;	/* the block: want[at, at + len) */
		uint32_t off, size;	/* its payload in ahead_payload (size 0: sent as it is) */
	} *ahead;
	uint8_t *ahead_payload;
	size_t ahead_used, ahead_room;
};

static void spiram_smart_free(struct spiram_smart *w)
{
	free(w->want);
	free(w->have_crc);
	free(w->want_crc);
	free(w->plan);
	free(w->cmds);
	spiram_lz_writer_free(w->ahead_lzw);
	free(w->ahead);
	free(w->ahead_payload);
}

static bool spiram_all_ff(const uint8_t *p, uint32_t n);

/*
 * The next block a write run sends of the sector at data (ss bytes): from
 * *pos on, whole pages up to the next all-0xFF page, at most
 * SPIRAM_FRAME_MAX_DATA; all-0xFF pages are not sent.  Sets [*pos, *end);
 * false when the sector has no more.
 */
static bool spiram_next_block(const uint8_t *data, uint32_t ss, uint32_t page, uint32_t *pos, uint32_t *end)
{
	while (*pos < ss && spiram_all_ff(data + *pos, page))
		*pos += page;
	if (*pos >= ss)
		return false;
	uint32_t run = *pos + page;
	while (run < ss && run - *pos < SPIRAM_FRAME_MAX_DATA && !spiram_all_ff(data + run, page))
		run += page;
	*end = run;
	return true;
}

/* Room for the blocks of the first stream run's sectors, made ahead; none
 * (quietly) when there is not the memory. */
static void spiram_smart_ahead_alloc(struct spiram_smart *w, uint32_t sectors, uint32_t page, uint32_t lz_buffer)
{
	w->ahead_lzw = spiram_lz_writer_new();
	w->ahead_max = sectors * (w->ss / page);
	w->ahead_room = (size_t)sectors * w->ss + 8 * (size_t)w->ahead_max;
	w->ahead = calloc(w->ahead_max, sizeof(*w->ahead));
	w->ahead_payload = malloc(w->ahead_room);
	if (!w->ahead_lzw || !w->ahead || !w->ahead_payload) {
		spiram_lz_writer_free(w->ahead_lzw);
		w->ahead_lzw = NULL;
		return;
	}
	spiram_lz_writer_reset(w->ahead_lzw, lz_buffer);
	w->ahead_sectors = sectors;
}

/* The sectors of a successful write hold what was wanted: any erase
 * pending on them is done. */
static void spiram_smart_done(struct spiram_loader_bank *info, const struct spiram_smart *w)
{
	if (info->pending_erase)
		memset(info->pending_erase + w->first / w->ss, 0, w->nsec);
}

static bool spiram_all_ff(const uint8_t *p, uint32_t n)
{
	while (n--)
		if (*p++ != 0xff)
			return false;
	return true;
}

static bool spiram_sector_pending(const struct spiram_loader_bank *info, uint32_t sector_index)
{
	return info->pending_erase && info->pending_erase[sector_index];
}

/*
 * The bytes of an edge sector that the data does not cover: its old
 * content (kept, the default), or 0xFF (erase_unwritten, or a sector whose
 * erase is pending: GDB asked for it).  old gets what the chip holds, for
 * the 1-to-0 test.
 */
static int spiram_smart_edge(struct spiram_session *s, struct spiram_smart *w, uint32_t k, uint32_t blank_crc,
		uint8_t *old)
{
	uint8_t *dst = w->want + k * w->ss;
	uint32_t addr = w->first + k * w->ss;

	if (w->have_crc[k] == blank_crc) {
		memset(dst, 0xff, w->ss);
		memset(old, 0xff, w->ss);
		return ERROR_OK;
	}
	int retval = spiram_read_range(s, old, addr, w->ss, NULL, 0);
	if (retval != ERROR_OK)
		return retval;
	if (s->info->erase_unwritten || spiram_sector_pending(s->info, addr / w->ss))
		memset(dst, 0xff, w->ss);
	else
		memcpy(dst, old, w->ss);
	return ERROR_OK;
}

/* The sectors [from, to) that the data covers whole: their wanted bytes
 * and CRCs need nothing from the chip. */
struct spiram_smart_want {
	struct spiram_smart *w;
	const uint8_t *buffer;
	uint32_t offset, count;
	uint32_t from, to;
	uint32_t page;
};

static int spiram_smart_want_whole(void *ctx)
{
	struct spiram_smart_want *e = ctx;
	struct spiram_smart *w = e->w;
	int retval = ERROR_OK;

	if (e->from >= e->to)
		return ERROR_OK;
	uint32_t a = w->first + e->from * w->ss;
	memcpy(w->want + (a - w->first), e->buffer + (a - e->offset), (e->to - e->from) * w->ss);
	for (uint32_t k = e->from; k < e->to && retval == ERROR_OK; k++)
		retval = image_calculate_checksum(w->want + k * w->ss, w->ss, &w->want_crc[k]);

	/* the first stream run's blocks, as it compresses them when it
	 * skips no sector: only from sector 0, and not into an edge sector */
	if (retval != ERROR_OK || !w->ahead_lzw || e->from)
		return retval;
	uint32_t sectors = MIN(w->ahead_sectors, e->to);
	for (uint32_t k = 0; k < sectors; k++) {
		const uint8_t *data = w->want + k * w->ss;
		for (uint32_t pos = 0, end; spiram_next_block(data, w->ss, e->page, &pos, &end); pos = end) {
			if (w->ahead_n == w->ahead_max || w->ahead_room - w->ahead_used < SPIRAM_LZ_WRITE_PAYLOAD_MAX)
				return ERROR_OK;
			size_t c = spiram_lz_write_payload(w->ahead_lzw, data + pos, end - pos,
					w->ahead_payload + w->ahead_used);
			w->ahead[w->ahead_n++] = (struct spiram_ahead_block){
				.at = k * w->ss + pos, .len = end - pos, .off = (uint32_t)w->ahead_used, .size = (uint32_t)c,
			};
			w->ahead_used += c;
		}
	}
	return ERROR_OK;
}

/* Plan: the wanted content, each sector's fate, the erases. */
static int spiram_smart_plan(struct spiram_session *s, struct spiram_smart *w, const uint8_t *buffer,
		uint32_t offset, uint32_t count, uint32_t ahead_buffer, uint32_t first_chunk)
{
	const struct spiram_chip_config *chip = &s->info->chip;
	uint32_t blank_crc;
	uint8_t *old[2] = { NULL, NULL };
	uint32_t edge[2];
	unsigned int edges = 0;

	w->ss = chip->sector_size;
	w->first = ALIGN_DOWN(offset, w->ss);
	w->end = ALIGN_UP(offset + count, w->ss);
	w->nsec = (w->end - w->first) / w->ss;
	w->want = malloc(w->end - w->first);
	w->have_crc = calloc(w->nsec, sizeof(uint32_t));
	w->want_crc = calloc(w->nsec, sizeof(uint32_t));
	w->plan = calloc(w->nsec, 1);
	w->cmds = calloc(w->nsec, sizeof(*w->cmds));
	if (!w->want || !w->have_crc || !w->want_crc || !w->plan || !w->cmds) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	/* the first stream run's sectors when none is skipped (as
	 * spiram_smart_write cuts its runs) */
	if (ahead_buffer) {
		uint32_t sectors = (uint64_t)w->nsec * w->ss <= (uint64_t)first_chunk + first_chunk / 2 ?
			w->nsec : MIN(w->nsec, DIV_ROUND_UP(first_chunk, w->ss));
		spiram_smart_ahead_alloc(w, sectors, chip->flash.page_size ? chip->flash.page_size : 256,
				ahead_buffer);
	}

	if (offset > w->first)
		edge[edges++] = 0;
	if (offset + count < w->end && (!edges || w->nsec > 1))
		edge[edges++] = w->nsec - 1;

	/* the wanted bytes and CRCs of the sectors the data covers whole,
	 * while the stub takes the chip's CRCs */
	struct spiram_smart_want early = {
		.w = w, .buffer = buffer, .offset = offset, .count = count,
		.from = offset > w->first ? 1 : 0,
		.to = w->nsec - (offset + count < w->end ? 1 : 0),
		.page = chip->flash.page_size ? chip->flash.page_size : 256,
	};
	const struct spiram_host_work meanwhile = { .fn = spiram_smart_want_whole, .ctx = &early };
	int retval = spiram_blank_sector_crc(s, &blank_crc);
	if (retval == ERROR_OK)
		retval = spiram_span_crcs_sr(s, w->first, w->end - w->first, w->have_crc, NULL, 0, &w->sr,
				&meanwhile);
	if (retval != ERROR_OK)
		return retval;

	for (unsigned int i = 0; i < edges && retval == ERROR_OK; i++) {
		old[i] = malloc(w->ss);
		if (!old[i]) {
			LOG_ERROR("spiram_loader: out of memory");
			retval = ERROR_FAIL;
			break;
		}
		/* the sector's old bytes (or 0xFF), then the data over them */
		retval = spiram_smart_edge(s, w, edge[i], blank_crc, old[i]);
		uint32_t k = edge[i], a = MAX(offset, w->first + k * w->ss);
		uint32_t b = MIN(offset + count, w->first + (k + 1) * w->ss);
		if (retval == ERROR_OK) {
			memcpy(w->want + (a - w->first), buffer + (a - offset), b - a);
			retval = image_calculate_checksum(w->want + k * w->ss, w->ss, &w->want_crc[k]);
		}
	}
	if (retval == ERROR_OK) {
		for (uint32_t k = 0; k < w->nsec && retval == ERROR_OK; k++) {
			const uint8_t *want = w->want + k * w->ss;
			if (w->want_crc[k] == w->have_crc[k])
				w->plan[k] = SPIRAM_SECTOR_SAME;
			else if (w->have_crc[k] == blank_crc)
				w->plan[k] = SPIRAM_SECTOR_PROGRAM;
			else
				w->plan[k] = SPIRAM_SECTOR_ERASE;
			/* An edge sector whose old bytes are known: 1 -> 0 only? */
			for (unsigned int i = 0; i < edges; i++) {
				if (edge[i] != k || w->plan[k] != SPIRAM_SECTOR_ERASE)
					continue;
				uint32_t j = 0;
				while (j < w->ss && (old[i][j] & want[j]) == want[j])
					j++;
				if (j == w->ss)
					w->plan[k] = SPIRAM_SECTOR_PROGRAM;
			}
		}
	}
	free(old[0]);
	free(old[1]);

	/* Runs of sectors to erase, each with the largest aligned erase
	 * types that fit it exactly (never outside the run). */
	for (uint32_t k = 0; k < w->nsec && retval == ERROR_OK; ) {
		if (w->plan[k] != SPIRAM_SECTOR_ERASE) {
			k++;
			continue;
		}
		uint32_t run = k;
		while (run < w->nsec && w->plan[run] == SPIRAM_SECTOR_ERASE)
			run++;
		size_t n = 0;
		uint64_t worst_us;
		enum spiram_erase_error e = spiram_erase_plan(chip->flash.erase, chip->flash.size, w->first + k * w->ss,
				(run - k) * w->ss, SPIRAM_DEFAULT_ERASE_MAX_US, w->cmds + w->ncmds, w->nsec - w->ncmds,
				&n, &worst_us);
		if (e != SPIRAM_ERASE_OK) {
			LOG_ERROR("spiram_loader: erase planning failed: %s", spiram_erase_strerror(e));
			retval = ERROR_FAIL;
		}
		w->ncmds += n;
		k = run;
	}
	return retval;
}

/*
 * A range whose CRC on the target is not the CRC of want: read it back and
 * name the first wrong byte.  after_program: we just programmed want there,
 * so a byte with bits still set is a cell that will not program, and a range
 * that reads back erased is one the chip ignored.
 */
static int spiram_report_mismatch(struct spiram_session *s, uint32_t addr, const uint8_t *want, uint32_t len,
		bool after_program)
{
	struct flash_bank *bank = s->bank;
	uint8_t *back = malloc(len);
	if (!back) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	int retval = spiram_read_range(s, back, addr, len, NULL, 0);
	if (retval == ERROR_OK) {
		uint32_t first = len, wrong = 0;
		for (uint32_t i = 0; i < len; i++) {
			if (back[i] != want[i]) {
				if (first == len)
					first = i;
				wrong++;
			}
		}
		if (first == len)
			LOG_ERROR("spiram_loader: verify: CRC of " TARGET_ADDR_FMT "+0x%" PRIx32 " differs but the "
				"read-back matches; the flash reads unstable (signal integrity, too fast a clock: "
				"try -prescaler or -single)", bank->base + addr, len);
		else if (after_program && spiram_all_ff(back, len))
			LOG_ERROR("spiram_loader: the chip ignored the program of " TARGET_ADDR_FMT "+0x%" PRIx32
				" (it reads back erased): the range is write-protected; see 'flash info %u'",
				bank->base + addr, len, bank->bank_number);
		else if (after_program && (back[first] & ~want[first]))
			LOG_ERROR("spiram_loader: program: flash at " TARGET_ADDR_FMT " (offset 0x%08" PRIx32 ") does not "
				"hold the programmed data: a bit that will not program (worn or damaged cell): it reads "
				"0x%02" PRIx8 ", 0x%02" PRIx8 " was programmed; %" PRIu32 " of %" PRIu32 " bytes differ from "
				"there to " TARGET_ADDR_FMT, bank->base + addr + first, addr + first, back[first], want[first],
				wrong, len - first, bank->base + addr + len - 1);
		else
			LOG_ERROR("spiram_loader: verify failed at " TARGET_ADDR_FMT " (offset 0x%08" PRIx32 "): flash has "
				"0x%02" PRIx8 ", expected 0x%02" PRIx8 "; %" PRIu32 " of %" PRIu32 " bytes differ from there "
				"to " TARGET_ADDR_FMT, bank->base + addr + first, addr + first, back[first], want[first],
				wrong, len - first, bank->base + addr + len - 1);
		retval = ERROR_FLASH_OPERATION_FAILED;
	}
	free(back);
	return retval;
}

/* After a failure in sectors [from, to) of a write: say what they may hold. */
static void spiram_report_torn(struct spiram_session *s, const struct spiram_smart *w, uint32_t from, uint32_t to)
{
	while (from < to && w->plan[from] == SPIRAM_SECTOR_SAME)
		from++;
	while (to > from && w->plan[to - 1] == SPIRAM_SECTOR_SAME)
		to--;
	if (from >= to)
		return;
	uint32_t a = w->first + from * w->ss, b = w->first + to * w->ss;
	LOG_ERROR("spiram_loader: sectors %" PRIu32 "-%" PRIu32 " (" TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ") may hold "
		"neither their old nor their new content; the rest is as it was or as wanted.  Run the same "
		"command again to finish: sectors that already hold the data are skipped", a / w->ss,
		b / w->ss - 1, s->bank->base + a, s->bank->base + b - 1);
}

/*
 * CHECK frames for the changed sectors of [from, to): the CRC each must
 * hold once programmed, a frame per run of them (at most
 * SPIRAM_FRAME_MAX_DATA / 4 - 1 sectors a frame).
 */
static enum spiram_stream_error spiram_put_check_frames(uint8_t *stream, size_t stream_max, size_t *len,
		const struct spiram_smart *w, uint32_t from, uint32_t to)
{
	uint32_t payload[SPIRAM_FRAME_MAX_DATA / 4];
	enum spiram_stream_error se = SPIRAM_STREAM_OK;

	for (uint32_t k = from; k < to && se == SPIRAM_STREAM_OK; ) {
		if (w->plan[k] == SPIRAM_SECTOR_SAME) {
			k++;
			continue;
		}
		uint32_t n = 0, start = k;
		h_u32_to_le((uint8_t *)&payload[0], w->ss);
		while (k < to && w->plan[k] != SPIRAM_SECTOR_SAME && n + 1 < ARRAY_SIZE(payload)) {
			h_u32_to_le((uint8_t *)&payload[1 + n], w->want_crc[k]);
			n++;
			k++;
		}
		se = spiram_stream_put_frame(stream, stream_max, len, SPIRAM_FRAME_CHECK, w->first + start * w->ss,
				4 * (n + 1), (const uint8_t *)payload);
	}
	return se;
}

/*
 * Smart programming of [offset, offset + count): per sector, the stub's
 * CRC of what the chip holds against the host's CRC of what is wanted;
 * sectors that already match are neither erased nor programmed, blank
 * ones (and edge sectors that only need bits cleared) are programmed
 * without an erase, the rest are erased with the largest aligned erase
 * types, and all-0xFF pages are not sent.  Erase frames go into the
 * stream just before the data of their block, so the host keeps filling
 * the FIFO while the chip erases.  Programmed sectors are then checked by
 * CRC instead of a read-back of every page: by CHECK frames at the end of
 * each stream run, or by one more SECTOR_CRC pass.
 */
/*
 * Does the chip program data faster than the debug link brings it (its
 * typical page-program time, the datasheet's where the chip table has it,
 * else SFDP's, against the bank's fastest stub upload: one 8 KiB sample
 * slowed by a busy host once flipped the choice)?
 * Then a write stream is bound by the link, and the whole FIFO saves
 * OpenOCD's loop turns: `flash write_bank` of 1 MiB of random data onto
 * an erased W25Q128JV over the ST-Link model took 6.1 to 6.3 s with a
 * 16 KiB FIFO and 4.9 s with 56 KiB.  Unknown (no time): no.  SFDP's
 * typical can be far off: 704 us on the W25Q128JV, whose datasheet says
 * 0.4 ms; with it the J-Link model's link (about 618 KB/s) looked faster
 * than the chip, and `flash write_image erase` of 1 MiB onto an erased
 * chip took 1887 ms (median of 4) against 1859 ms with the datasheet's.
 */
static uint64_t spiram_chip_program_rate(const struct spiram_session *s)
{
	const struct spiram_loader_bank *info = s->info;
	uint32_t pp_us = info->chip.pp_typ_us;

	return pp_us ? (uint64_t)info->chip.flash.page_size * 1000000 / pp_us : 0;
}

static bool spiram_chip_outpaces_link(const struct spiram_session *s)
{
	uint64_t chip_bytes_per_s = spiram_chip_program_rate(s);

	if (!chip_bytes_per_s || !s->link_bytes_per_s)
		return false;
	LOG_DEBUG("spiram_loader: the chip programs %" PRIu64 " bytes/s, the link moves %" PRIu64 " bytes/s",
		chip_bytes_per_s, s->link_bytes_per_s);
	return chip_bytes_per_s > s->link_bytes_per_s;
}

/*
 * A link slower than the chip, but by less than a quarter: the chip soon
 * becomes the slower side after all (its time between pages, and the
 * link's rate in large writes), so the time it idles through OpenOCD's
 * first write, half the FIFO, is lost for good, and a FIFO of
 * SPIRAM_SLOW_LINK_FIFO does better than SPIRAM_WRITE_FIFO_MAX.  Far
 * slower links keep the larger FIFO, which saves loop turns.  Interleaved
 * runs, 1 MiB of random data onto an erased W25Q128JV: over the J-Link
 * model (about 630 KB/s against 640) `flash write_image erase` 1857
 * against 1889 ms (medians of 5) and `flash write_bank` 1847 against 1900
 * (of 3); over the ST-Link model (about 290 KB/s) `flash write_bank` 4376
 * against 4136 ms (of 3).
 */
static bool spiram_link_near_chip(const struct spiram_session *s)
{
	return spiram_chip_outpaces_link(s) && s->link_bytes_per_s * 4 >= spiram_chip_program_rate(s) * 3;
}

/*
 * A link at most half as fast as the chip: the chip waits for data most of
 * a write stream's time, so checking what it programmed along the way
 * costs nothing, and the stream's end then checks only the last
 * SPIRAM_CHECK_EVERY bytes.  Over a link near the chip's rate the checks
 * would take the chip's time: CHECK frames every 64 KiB over the J-Link
 * model, `flash write_image erase` of 1 MiB onto an erased W25Q128JV,
 * 1910 against 1882 ms (medians of 4).
 */
static bool spiram_link_far_slower(const struct spiram_session *s)
{
	uint64_t chip_bytes_per_s = spiram_chip_program_rate(s);

	return chip_bytes_per_s && s->link_bytes_per_s && chip_bytes_per_s >= 2 * s->link_bytes_per_s;
}

static int spiram_smart_write(struct spiram_session *s, const uint8_t *buffer, uint32_t offset, uint32_t count)
{
	struct spiram_loader_bank *info = s->info;
	const struct spiram_chip_config *chip = &info->chip;
	struct spiram_smart w = { 0 };
	struct spiram_progress pg;

	/*
	 * Compressed program frames, when the stub expands them and the FIFO
	 * area leaves it SPIRAM_WRITE_LZ_SCRATCH of buffer besides a FIFO of
	 * 4 KiB or more: data that compresses crosses the link in fewer bytes,
	 * and the rest goes as it is (spiram_lz_write_payload).  A run whose
	 * frames all go as they are keeps the whole FIFO.
	 */
	uint32_t fifo_area = s->fifo_size - SPIRAM_FIFO_DATA_OFFSET;
	uint8_t *lz = NULL;
	struct spiram_lz_writer *lzw = NULL;
	if ((s->info->stub_caps & SPIRAM_CAP_WRITE_LZ) && !info->no_write_lz &&
			fifo_area >= SPIRAM_WRITE_LZ_SCRATCH + 4 * 1024) {
		lz = malloc(SPIRAM_LZ_WRITE_PAYLOAD_MAX);
		lzw = spiram_lz_writer_new();
		if (!lz || !lzw) {
			free(lz);
			spiram_lz_writer_free(lzw);
			lz = NULL;
			lzw = NULL;
		}
	}
	uint64_t stream_bytes = 0, data_bytes = 0;

	/*
	 * Programmed sectors are checked in the run that programmed them:
	 * CHECK frames at its end, CRC tables cut from the end of the FIFO
	 * area (4 KiB, or the 1 KiB byte table), from what the compressed
	 * writes' buffer and a 4 KiB FIFO leave; else by a SECTOR_CRC run
	 * after each stream run.
	 */
	uint32_t crc_room = 0;
	if (s->info->stub_caps & SPIRAM_CAP_WRITE_CHECK) {
		uint32_t spare = fifo_area - (lzw ? SPIRAM_WRITE_LZ_SCRATCH : 0);
		if (spare >= SPIRAM_SECTOR_CRC_TABLE + SPIRAM_SECTOR_CRC_SLICE_ROOM + 4 * 1024)
			crc_room = SPIRAM_SECTOR_CRC_TABLE + SPIRAM_SECTOR_CRC_SLICE_ROOM;
		else if (spare >= SPIRAM_SECTOR_CRC_TABLE + 4 * 1024)
			crc_room = SPIRAM_SECTOR_CRC_TABLE;
		fifo_area -= crc_room;
	}

	uint32_t rate;
	switch (info->args.ctrl.type) {
	case SPIRAM_CTRL_STM32_QSPI:
	case SPIRAM_CTRL_STM32_OSPI:
		rate = SPIRAM_WRITE_RATE_QSPI;
		break;
	case SPIRAM_CTRL_STM32_SPI:
		rate = SPIRAM_WRITE_RATE_SPI;
		break;
	default:
		rate = SPIRAM_WRITE_RATE_GPIO;
		break;
	}
	uint32_t chunk = (uint32_t)((uint64_t)rate * SPIRAM_WRITE_RUN_MS / 1000), done = 0;
	const bool slow_link = spiram_chip_outpaces_link(s);
	const uint32_t check_every = crc_room && spiram_link_far_slower(s) ? SPIRAM_CHECK_EVERY : 0;
	/*
	 * The stub's LZ buffer (for a history of up to 64 KiB) and the
	 * FIFO share the FIFO area.  A run with LZ frames is mostly
	 * limited by the chip, and a FIFO of SPIRAM_FIFO_SUGGEST leaves
	 * the most history.  On a link slower than the chip, the link
	 * sets the pace wherever the data compresses less than their
	 * ratio, and a larger FIFO carries the chip across those
	 * stretches: the area is then halved between the two, the FIFO
	 * taking at most SPIRAM_SLOW_LINK_FIFO.  P5 (1 MiB of firmware
	 * over the ST-Link model, 128 KiB of DTCM): 25 KiB each, 2211 ms
	 * (median of 5); a 64 KiB window and a 40 KiB FIFO, 2134 ms.
	 */
	uint32_t lz_fifo = slow_link ? MIN(fifo_area / 2, SPIRAM_SLOW_LINK_FIFO) : SPIRAM_FIFO_SUGGEST;
	uint32_t lz_buffer = fifo_area > lz_fifo + SPIRAM_WRITE_LZ_SCRATCH ?
		fifo_area - lz_fifo : SPIRAM_WRITE_LZ_SCRATCH;
	lz_buffer = MIN(lz_buffer, SPIRAM_WRITE_LZ_SCRATCH_MAX) & ~3u;

	/* the first run's blocks are compressed while the stub takes the
	 * chip's CRCs */
	int retval = spiram_smart_plan(s, &w, buffer, offset, count, lz ? lz_buffer : 0, chunk);
	uint32_t work = 0, skipped = 0, erased = 0;
	for (uint32_t k = 0; k < w.nsec; k++) {
		if (w.plan[k] == SPIRAM_SECTOR_SAME)
			skipped++;
		else
			work++;
		if (w.plan[k] == SPIRAM_SECTOR_ERASE)
			erased++;
	}
	if (retval != ERROR_OK || !work) {
		if (retval == ERROR_OK) {
			LOG_INFO("spiram_loader: all %" PRIu32 " sectors already hold the data: nothing erased or "
				"programmed", w.nsec);
			spiram_smart_done(info, &w);
		}
		spiram_smart_free(&w);
		return retval;
	}
	LOG_DEBUG("spiram_loader: %" PRIu32 " sectors unchanged, %" PRIu32 " to program, %" PRIu32 " of them erased "
		"first with %zu commands", skipped, work, erased, w.ncmds);
	/* with the status registers the CRC pass read: no run of its own */
	retval = spiram_check_unprotected_regs(s, offset, count, "program", &w.sr);

	/* Slow erase types go first, in their own runs. */
	bool erase_in_stream = true;
	for (size_t i = 0; i < w.ncmds; i++) {
		uint32_t max_us = chip->flash.erase[w.cmds[i].type].max_time_us;
		if (!max_us || max_us > SPIRAM_STREAM_ERASE_MAX_US)
			erase_in_stream = false;
	}
	for (size_t i = 0; !erase_in_stream && i < w.ncmds && retval == ERROR_OK; i++)
		retval = spiram_erase_range(s, w.cmds[i].addr, w.cmds[i].size);

	uint32_t page = chip->flash.page_size ? chip->flash.page_size : 256;
	size_t stream_max = SPIRAM_WRITE_CHUNK_MAX + SPIRAM_WRITE_CHUNK_MAX / 16 + 4096;
	uint8_t *stream = retval == ERROR_OK ? malloc(stream_max) : NULL;
	if (retval == ERROR_OK && !stream) {
		LOG_ERROR("spiram_loader: out of memory");
		retval = ERROR_FAIL;
	}

	spiram_progress_start(&pg, "programmed", work * w.ss);
	size_t ci = 0;
	uint32_t ahead_i = 0;	/* the next block made ahead, while they match */
	bool ahead_on = w.ahead_lzw && w.ahead_n;
	for (uint32_t k = 0; k < w.nsec && retval == ERROR_OK; ) {
		uint32_t from = k, bytes = 0, lz_frames = 0, erases = 0;
		/* a first erase goes in the parameters (the chip starts it
		 * before OpenOCD's first write of the FIFO is over) */
		uint32_t first_erase_addr = 0, first_erase_size = 0;
		size_t len = 0;
		enum spiram_stream_error se = SPIRAM_STREAM_OK;
		int64_t t0 = timeval_ms();

		if ((uint64_t)work * w.ss - done <= (uint64_t)chunk + chunk / 2)
			chunk = SPIRAM_WRITE_CHUNK_MAX;
		if (lzw)
			spiram_lz_writer_reset(lzw, lz_buffer);	/* each stub run starts without history */
		if (k)
			ahead_on = false;	/* made ahead for the first run only */

		uint32_t check_from = from, checked = 0;
		for (; k < w.nsec && bytes < chunk && se == SPIRAM_STREAM_OK; k++) {
			uint32_t addr = w.first + k * w.ss;
			if (check_every && bytes - checked >= check_every) {
				se = spiram_put_check_frames(stream, stream_max, &len, &w, check_from, k);
				check_from = k;
				checked = bytes;
			}
			for (; erase_in_stream && ci < w.ncmds && w.cmds[ci].addr <= addr && se == SPIRAM_STREAM_OK; ci++) {
				if (!len && !first_erase_size) {
					first_erase_addr = w.cmds[ci].addr;
					first_erase_size = w.cmds[ci].size;
				} else {
					se = spiram_stream_put_frame(stream, stream_max, &len, SPIRAM_FRAME_ERASE,
							w.cmds[ci].addr, w.cmds[ci].size, NULL);
				}
				erases++;
			}
			if (w.plan[k] == SPIRAM_SECTOR_SAME) {
				ahead_on = false;	/* the history differs from here on */
				continue;
			}
			bytes += w.ss;
			/* Runs of pages that are not all 0xFF, one frame each,
			 * compressed when that saves. */
			const uint8_t *data = w.want + k * w.ss;
			for (uint32_t pos = 0, run; se == SPIRAM_STREAM_OK &&
					spiram_next_block(data, w.ss, page, &pos, &run); ) {
				size_t c = 0;
				const struct spiram_ahead_block *ab = ahead_on && ahead_i < w.ahead_n ?
					&w.ahead[ahead_i] : NULL;
				if (ab && ab->at == k * w.ss + pos && ab->len == run - pos) {
					/* compressed ahead with the same history */
					c = ab->size;
					if (c) {
						memcpy(lz, w.ahead_payload + ab->off, c);
						spiram_lz_writer_took(lzw, data + pos, run - pos);
					}
					ahead_i++;
				} else {
					ahead_on = false;
					c = lz ? spiram_lz_write_payload(lzw, data + pos, run - pos, lz) : 0;
				}
				size_t before = len;
				lz_frames += c != 0;
				if (c)
					se = spiram_stream_put_frame(stream, stream_max, &len, SPIRAM_FRAME_PROGRAM_LZ,
							addr + pos, (uint32_t)c, lz);
				else
					se = spiram_stream_put_frame(stream, stream_max, &len, SPIRAM_FRAME_PROGRAM,
							addr + pos, run - pos, data + pos);
				stream_bytes += len - before;
				data_bytes += run - pos;
				pos = run;
			}
		}
		if (crc_room && se == SPIRAM_STREAM_OK)
			se = spiram_put_check_frames(stream, stream_max, &len, &w, check_from, k);
		if (se == SPIRAM_STREAM_OK)
			se = spiram_stream_put_frame(stream, stream_max, &len, SPIRAM_FRAME_END, 0, 0, NULL);
		if (se != SPIRAM_STREAM_OK) {
			LOG_ERROR("spiram_loader: write stream: %s", spiram_stream_strerror(se));
			retval = ERROR_FAIL;
			break;
		}

		struct spiram_params p;
		spiram_params_init(s, &p, SPIRAM_OP_WRITE_STREAM);
		p.addr = w.first + from * w.ss;
		p.arg[2] = first_erase_size;
		p.arg[3] = first_erase_addr;
		if (crc_room) {
			p.fifo_end -= crc_room;
			p.arg[0] = p.fifo_end;
			p.arg[1] = crc_room;
		}
		if (lz_frames) {
			/* the stub's buffer for PROGRAM_LZ: the end of the FIFO area */
			p.fifo_end -= lz_buffer;
			p.buffer = p.fifo_end;
			p.buffer_size = lz_buffer;
		}
		uint32_t fifo_max = slow_link && (lz_frames || spiram_link_near_chip(s)) ?
			SPIRAM_SLOW_LINK_FIFO : SPIRAM_WRITE_FIFO_MAX;
		p.fifo_end = MIN(p.fifo_end, p.fifo_start + SPIRAM_FIFO_DATA_OFFSET + fifo_max);
		/*
		 * Without an erase to cover, a large FIFO only costs when the
		 * chip sets the pace: the chip idles until OpenOCD's first
		 * write of the whole free FIFO is done, and the link idles
		 * while the run's end drains it (about 90 ms each for 56 KiB at
		 * 0.4 ms a page).  When the link sets it, it keeps the FIFO.
		 */
		if (!erases && !slow_link &&
				p.fifo_end - p.fifo_start > SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_SUGGEST)
			p.fifo_end = p.fifo_start + SPIRAM_FIFO_DATA_OFFSET + SPIRAM_FIFO_SUGGEST;
		/*
		 * Nor does the chip have to wait for all of OpenOCD's first
		 * write: unless it starts with an erase, the stub tells
		 * OpenOCD that half the FIFO is free (its rp ahead of the
		 * data, true while nothing was written), so the first write is
		 * half the FIFO and the chip programs it while the other half
		 * crosses the link.  Over the ST-Link model that first write
		 * was 25 KiB, 85 ms in which the chip did nothing.
		 */
		if (!first_erase_size)
			p.len = ALIGN_DOWN((p.fifo_end - p.fifo_start - SPIRAM_FIFO_DATA_OFFSET) / 2, 4);
		/* An erase the chip ignored is reported as protected. */
		p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
		retval = spiram_run_async(s, &p, true, stream, NULL, (uint32_t)len, "program");
		if (retval != ERROR_OK && p.status == SPIRAM_ERR_CRC && p.fail_addr >= w.first &&
				p.fail_addr < w.first + w.nsec * w.ss) {
			/* a CHECK frame's sector: name its first wrong byte */
			uint32_t j = (p.fail_addr - w.first) / w.ss;
			retval = spiram_report_mismatch(s, w.first + j * w.ss, w.want + j * w.ss, w.ss, true);
			break;
		}
		if (retval != ERROR_OK) {
			spiram_report_torn(s, &w, from, k);
			break;
		}
		done += bytes;
		spiram_progress_update(&pg, done);

		int64_t dt = timeval_ms() - t0;
		if (dt > 0) {
			uint64_t next = (uint64_t)MAX(bytes, w.ss) * SPIRAM_WRITE_RUN_MS / (uint64_t)dt;
			chunk = (uint32_t)MIN(MAX(next, (uint64_t)SPIRAM_STREAM_CHUNK_MIN), (uint64_t)SPIRAM_WRITE_CHUNK_MAX);
		} else {
			chunk = SPIRAM_WRITE_CHUNK_MAX;
		}
	}
	free(stream);
	free(lz);
	spiram_lz_writer_free(lzw);
	if (lz && data_bytes)
		LOG_DEBUG("spiram_loader: %" PRIu64 " bytes of program data crossed the link as %" PRIu64
			" bytes of frames; %" PRIu32 " of %" PRIu32 " blocks compressed ahead were used",
			data_bytes, stream_bytes, ahead_i, w.ahead_n);

	/* Check what was programmed, unless its runs did: runs of changed
	 * sectors, one CRC each. */
	for (uint32_t k = 0; !crc_room && k < w.nsec && retval == ERROR_OK; ) {
		if (w.plan[k] == SPIRAM_SECTOR_SAME) {
			k++;
			continue;
		}
		uint32_t run = k;
		while (run < w.nsec && w.plan[run] != SPIRAM_SECTOR_SAME)
			run++;
		retval = spiram_span_crcs(s, w.first + k * w.ss, (run - k) * w.ss, w.have_crc + k, NULL, 0);
		for (uint32_t j = k; j < run && retval == ERROR_OK; j++)
			if (w.have_crc[j] != w.want_crc[j])
				retval = spiram_report_mismatch(s, w.first + j * w.ss, w.want + j * w.ss, w.ss, true);
		k = run;
	}
	if (retval == ERROR_OK) {
		spiram_progress_done(&pg, work * w.ss);
		LOG_INFO("spiram_loader: %" PRIu32 " sectors written (%" PRIu32 " erased first), %" PRIu32
			" already held the data", work, erased, skipped);
	}
	if (retval == ERROR_OK)
		spiram_smart_done(info, &w);
	spiram_smart_free(&w);
	return retval;
}

static int spiram_loader_write(struct flash_bank *bank, const uint8_t *buffer, uint32_t offset, uint32_t count)
{
	struct spiram_session s;

	if (!count)
		return ERROR_OK;
	if (!spiram_range_in_bank(bank, "write", offset, count))
		return ERROR_FLASH_DST_OUT_OF_BANK;
	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_smart_write(&s, buffer, offset, count);
	return spiram_session_end(&s, retval);
}

static int spiram_blank_map(struct spiram_session *s, uint32_t first, uint32_t n, uint8_t *blank,
		struct spiram_progress *pg, uint32_t progress_base);

/*
 * Read [offset, offset + count) with its erased sectors skipped, where the
 * stub scans through a memory-mapped window (QUADSPI): one BLANK_MAP run
 * first, then only the runs of sectors that hold data cross the debug
 * link; blank ones are filled in here.  Elsewhere the scan would read the
 * chip about as slowly as the stream does: a plain read.
 */
static int spiram_read_skip_blank(struct spiram_session *s, uint8_t *buffer, uint32_t offset, uint32_t count,
		struct spiram_progress *pg)
{
	const struct spiram_loader_bank *info = s->info;
	uint32_t ss = info->chip.sector_size;
	uint32_t first = offset / ss, n = (offset + count - 1) / ss - first + 1;

	if (!spiram_ctrl_is_stm32_xspi(info->args.ctrl.type) || !info->args.ctrl.mmap_base || n < 2)
		return spiram_read_range(s, buffer, offset, count, pg, 0);
	uint8_t *blank = malloc(n);
	if (!blank) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	int retval = spiram_blank_map(s, first, n, blank, NULL, 0);
	uint32_t skipped = 0;
	for (uint32_t k = 0; retval == ERROR_OK && k < n; ) {
		uint32_t run = k;
		while (run < n && blank[run] == blank[k])
			run++;
		uint32_t from = MAX((first + k) * ss, offset);
		uint32_t to = MIN((first + run) * ss, offset + count);
		if (blank[k]) {
			memset(buffer + (from - offset), 0xff, to - from);
			skipped += to - from;
			if (pg)
				spiram_progress_update(pg, to - offset);
		} else {
			retval = spiram_read_range(s, buffer + (from - offset), from, to - from, pg, from - offset);
		}
		k = run;
	}
	if (retval == ERROR_OK && skipped)
		LOG_DEBUG("spiram_loader: read: %" PRIu32 " of %" PRIu32 " bytes are in blank sectors, not transferred",
			skipped, count);
	free(blank);
	return retval;
}

static int spiram_loader_read(struct flash_bank *bank, uint8_t *buffer, uint32_t offset, uint32_t count)
{
	struct spiram_session s;
	struct spiram_progress pg;

	if (!count)
		return ERROR_OK;
	if (!spiram_range_in_bank(bank, "read", offset, count))
		return ERROR_FLASH_DST_OUT_OF_BANK;
	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	spiram_progress_start(&pg, "read", count);
	retval = spiram_read_skip_blank(&s, buffer, offset, count, &pg);
	if (retval == ERROR_OK)
		spiram_progress_done(&pg, count);
	return spiram_session_end(&s, retval);
}

/* What a verify found: the pieces (sector-cut) whose CRCs differ. */
struct spiram_verify_result {
	uint32_t bad;			/* pieces that differ */
	uint32_t first_addr;		/* the first of them: offset in the bank */
	uint32_t first_len;		/* and its length */
	uint32_t first_sector;		/* its sector number */
	uint32_t last_sector;		/* the last sector that differs */
};

/*
 * Compare [offset, offset + count) with buffer: one SPAN_CRC pass on the
 * target against the host's CRC of each piece.  Nothing is read back here.
 */
static int spiram_verify_range(struct spiram_session *s, const uint8_t *buffer, uint32_t offset, uint32_t count,
		struct spiram_progress *pg, struct spiram_verify_result *r)
{
	uint32_t ss = s->info->chip.sector_size;
	uint32_t pieces = (offset + count - 1) / ss - offset / ss + 1;

	memset(r, 0, sizeof(*r));
	/* Dual-flash: an odd edge is widened by the byte the chip holds next
	 * to it, so that the stub's ranges are even. */
	if (s->dual && ((offset | count) & 1)) {
		uint32_t wo = offset & ~1u, we = ALIGN_UP(offset + count, 2);
		uint8_t *wide = malloc(we - wo);
		if (!wide) {
			LOG_ERROR("spiram_loader: out of memory");
			return ERROR_FAIL;
		}
		int retval = ERROR_OK;
		if (offset & 1)
			retval = spiram_read_range(s, wide, wo, 1, NULL, 0);
		if (retval == ERROR_OK && ((offset + count) & 1))
			retval = spiram_read_range(s, wide + (we - wo) - 1, we - 1, 1, NULL, 0);
		memcpy(wide + (offset - wo), buffer, count);
		if (retval == ERROR_OK)
			retval = spiram_verify_range(s, wide, wo, we - wo, pg, r);
		free(wide);
		if (retval == ERROR_OK && r->bad) {
			uint32_t end = MIN(r->first_addr + r->first_len, offset + count);
			r->first_addr = MAX(r->first_addr, offset);
			r->first_len = end - r->first_addr;
		}
		return retval;
	}
	uint32_t *crcs = malloc(4 * (size_t)pieces);
	if (!crcs) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	int retval = spiram_span_crcs(s, offset, count, crcs, pg, 0);
	for (uint32_t k = 0, addr = offset; retval == ERROR_OK && k < pieces; k++) {
		uint32_t n = MIN(ss - addr % ss, offset + count - addr);
		uint32_t want;
		retval = image_calculate_checksum(buffer + (addr - offset), n, &want);
		if (retval == ERROR_OK && want != crcs[k]) {
			if (!r->bad++) {
				r->first_addr = addr;
				r->first_len = n;
				r->first_sector = addr / ss;
			}
			r->last_sector = addr / ss;
		}
		addr += n;
	}
	free(crcs);
	return retval;
}

/* "sector 5 (0x90005000-0x90005fff)", or the first of several. */
static void spiram_verify_log_sectors(struct spiram_session *s, const struct spiram_verify_result *r)
{
	uint32_t ss = s->info->chip.sector_size;
	target_addr_t base = s->bank->base + (target_addr_t)r->first_sector * ss;

	if (r->bad == 1)
		LOG_ERROR("spiram_loader: verify: sector %" PRIu32 " (" TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ") differs "
			"(its CRC computed on the target is not the file's); only that sector is read back",
			r->first_sector, base, base + ss - 1);
	else
		LOG_ERROR("spiram_loader: verify: %" PRIu32 " sectors differ, from sector %" PRIu32 " (" TARGET_ADDR_FMT
			"-" TARGET_ADDR_FMT ") to sector %" PRIu32 "; only the first is read back", r->bad,
			r->first_sector, base, base + ss - 1, r->last_sector);
}

static int spiram_loader_verify(struct flash_bank *bank, const uint8_t *buffer, uint32_t offset, uint32_t count)
{
	struct spiram_session s;
	struct spiram_progress pg;
	struct spiram_verify_result r;

	if (!count)
		return ERROR_OK;
	if (!spiram_range_in_bank(bank, "verify", offset, count))
		return ERROR_FLASH_DST_OUT_OF_BANK;
	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;

	spiram_progress_start(&pg, "verified", count);
	retval = spiram_verify_range(&s, buffer, offset, count, &pg, &r);
	if (retval == ERROR_OK && r.bad) {
		spiram_verify_log_sectors(&s, &r);
		retval = spiram_report_mismatch(&s, r.first_addr, buffer + (r.first_addr - offset), r.first_len, false);
	}
	if (retval == ERROR_OK)
		spiram_progress_done(&pg, count);
	return spiram_session_end(&s, retval);
}

/*
 * Which sectors of [first * ss, (first + n) * ss) are blank (all 0xFF):
 * one BLANK_MAP run per bitmap the FIFO area holds (16384 sectors with the
 * smallest work area: 64 MiB of 4 KiB sectors), each sector read on the
 * target up to its first byte that is not 0xFF.  blank[k] gets 1 or 0.
 */
static int spiram_blank_map(struct spiram_session *s, uint32_t first, uint32_t n, uint8_t *blank,
		struct spiram_progress *pg, uint32_t progress_base)
{
	uint32_t ss = s->info->chip.sector_size;
	uint32_t area = s->fifo_size - SPIRAM_FIFO_DATA_OFFSET;
	uint32_t per_run = ALIGN_DOWN(area, 4) * 8;
	target_addr_t buf = s->fifo_addr + SPIRAM_FIFO_DATA_OFFSET;
	uint8_t *map = malloc(area);
	int retval = ERROR_OK;

	if (!map) {
		LOG_ERROR("spiram_loader: out of memory");
		return ERROR_FAIL;
	}
	for (uint32_t done = 0; done < n && retval == ERROR_OK; ) {
		uint32_t k = MIN(per_run, n - done);
		struct spiram_params p;

		spiram_params_init(s, &p, SPIRAM_OP_BLANK_MAP);
		p.addr = (first + done) * ss;
		p.len = k * ss;
		p.arg[0] = ss;
		p.buffer = (uint32_t)buf;
		p.buffer_size = area;
		retval = spiram_run(s, &p, spiram_read_timeout_ms(s->info, p.len), "blank check", pg,
				progress_base + done * ss);
		if (retval == ERROR_OK)
			retval = target_read_memory(s->target, buf, 4, DIV_ROUND_UP(k, 32), map);
		for (uint32_t i = 0; retval == ERROR_OK && i < k; i++)
			blank[done + i] = (target_buffer_get_u32(s->target, map + 4 * (i / 32)) >> (i % 32)) & 1;
		done += k;
	}
	free(map);
	return retval;
}

/* erase_check: the blank map of the whole bank, in one run. */
static int spiram_loader_erase_check(struct flash_bank *bank)
{
	struct spiram_session s;
	struct spiram_progress pg;

	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	uint8_t *blank = malloc(bank->num_sectors);
	if (!blank) {
		LOG_ERROR("spiram_loader: out of memory");
		return spiram_session_end(&s, ERROR_FAIL);
	}
	spiram_progress_start(&pg, "blank-checked", bank->size);
	retval = spiram_blank_map(&s, bank->sectors[0].offset / s.info->chip.sector_size, bank->num_sectors, blank,
			&pg, 0);
	if (retval == ERROR_OK) {
		unsigned int n = 0;
		for (unsigned int k = 0; k < bank->num_sectors; k++) {
			bank->sectors[k].is_erased = blank[k];
			n += blank[k];
		}
		spiram_progress_done(&pg, bank->size);
		LOG_DEBUG("spiram_loader: erase_check: %u of %u sectors blank", n, bank->num_sectors);
	}
	free(blank);
	return spiram_session_end(&s, retval);
}

static void spiram_mark_protection(struct flash_bank *bank, uint64_t start, uint64_t end)
{
	for (unsigned int i = 0; i < bank->num_sectors; i++)
		bank->sectors[i].is_protected = spiram_protect_sector_state(start, end, bank->sectors[i].offset,
				bank->sectors[i].size);
}

static int spiram_loader_protect_check(struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	struct spiram_session s;
	struct spiram_protect_regs regs;
	uint64_t start, end;

	if (info->chip.protect_scheme == SPIRAM_PROTECT_NONE) {
		for (unsigned int i = 0; i < bank->num_sectors; i++)
			bank->sectors[i].is_protected = 0;
		return ERROR_OK;
	}
	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_get_protection(&s, &start, &end, &regs);
	if (retval == ERROR_OK)
		spiram_mark_protection(bank, start, end);
	return spiram_session_end(&s, retval);
}

/* Write the status registers that differ between cur and want, then check. */
static int spiram_write_protect_regs(struct spiram_session *s, const struct spiram_protect_regs *cur,
		const struct spiram_protect_regs *want)
{
	const struct spiram_chip_config *chip = &s->info->chip;
	int retval = ERROR_OK;

	for (unsigned int i = 0; i < 3 && retval == ERROR_OK; i++) {
		/* dual-flash: the stub writes the value to both chips */
		if (cur->sr[i] == want->sr[i] && (!s->dual || cur->sr_flash2[i] == want->sr[i]))
			continue;
		struct spiram_params p;
		spiram_params_init(s, &p, SPIRAM_OP_WRITE_STATUS);
		uint8_t opcode = i < chip->sr_count ? chip->sr_write_opcode[i] : 0;
		if (i == 0 || opcode) {
			p.arg[0] = i + 1;
			p.arg[1] = want->sr[i];
			p.arg[2] = opcode ? opcode : 0x01;
		} else {
			/* Written together with SR1 by 01h: two data bytes. */
			p.arg[0] = 1;
			p.arg[1] = want->sr[0] | (want->sr[i] << 8);
			p.arg[2] = 0x01;
		}
		p.arg[3] = 0;	/* non-volatile: protection survives a power cycle */
		uint32_t tw = chip->flash.status_write_max_us ? chip->flash.status_write_max_us : 100000;
		retval = spiram_run(s, &p, spiram_scale_timeout_ms(tw), "write status", NULL, 0);
	}
	if (retval != ERROR_OK)
		return retval;

	struct spiram_protect_regs now, mask;
	retval = spiram_read_status(s, &now);
	if (retval != ERROR_OK)
		return retval;
	spiram_protect_mask(chip->protect_scheme, &mask);
	for (unsigned int c = 0; c <= (unsigned int)s->dual; c++) {
		const uint8_t *sr = c ? now.sr_flash2 : now.sr;
		for (unsigned int i = 0; i < 3; i++) {
			if ((sr[i] ^ want->sr[i]) & mask.sr[i]) {
				LOG_ERROR("spiram_loader: %sstatus register %u reads 0x%02" PRIx8 " after writing 0x%02"
					PRIx8 ": the chip refused the change (status register protect SRP/SRL set with "
					"WP# low, or a one-time bit); check 'spiram_loader status %u'",
					c ? "FLASH2 (BK2): " : s->dual ? "FLASH1 (BK1): " : "", i + 1, sr[i],
					want->sr[i], s->bank->bank_number);
				return ERROR_FLASH_OPERATION_FAILED;
			}
		}
	}
	return ERROR_OK;
}

static int spiram_loader_protect(struct flash_bank *bank, int set, unsigned int first, unsigned int last)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	const struct spiram_chip_config *chip = &info->chip;
	struct spiram_session s;
	struct spiram_protect_regs cur, want;
	uint64_t start, end;
	char msg[256] = "";

	if (chip->protect_scheme == SPIRAM_PROTECT_NONE) {
		LOG_ERROR("spiram_loader: chip %s has no block protection this driver knows", chip->name);
		return ERROR_FLASH_OPER_UNSUPPORTED;
	}
	if (last >= bank->num_sectors || first > last)
		return ERROR_FLASH_SECTOR_INVALID;

	int retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_get_protection(&s, &start, &end, &cur);
	if (retval != ERROR_OK)
		return spiram_session_end(&s, retval);

	uint64_t req_start = bank->sectors[first].offset;
	uint64_t req_end = (uint64_t)bank->sectors[last].offset + bank->sectors[last].size;
	uint64_t new_start, new_end;
	if (set) {
		/* The BP bits describe one range: the union must stay one. */
		if (start == end) {
			new_start = req_start;
			new_end = req_end;
		} else if (req_start <= end && req_end >= start) {
			new_start = MIN(start, req_start);
			new_end = MAX(end, req_end);
		} else {
			LOG_ERROR("spiram_loader: cannot protect sectors %u-%u apart from the protected range "
				TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ": the chip protects one range from the top or "
				"the bottom; protect the sectors in between too", first, last,
				bank->base + (target_addr_t)start, bank->base + (target_addr_t)end - 1);
			return spiram_session_end(&s, ERROR_FLASH_OPER_UNSUPPORTED);
		}
	} else {
		new_start = start;
		new_end = end;
		if (req_start <= start && req_end >= end) {
			new_start = 0;
			new_end = 0;
		} else if (req_start <= start && req_end > start) {
			new_start = req_end;
		} else if (req_start < end && req_end >= end) {
			new_end = req_start;
		} else if (req_start > start && req_end < end) {
			/* A hole in the middle: keep the whole range; encode reports it. */
			new_start = start;
			new_end = end;
			LOG_ERROR("spiram_loader: cannot unprotect sectors %u-%u inside the protected range "
				TARGET_ADDR_FMT "-" TARGET_ADDR_FMT ": the chip protects one range from the top "
				"or the bottom; unprotect up to one end of it", first, last,
				bank->base + (target_addr_t)start, bank->base + (target_addr_t)end - 1);
			return spiram_session_end(&s, ERROR_FLASH_OPER_UNSUPPORTED);
		}
	}
	if (new_start == new_end) {
		new_start = 0;
		new_end = 0;
	}

	/* dual-flash: each chip protects its half of the range */
	unsigned int shift = s.dual ? 1 : 0;
	enum spiram_protect_error pe = spiram_protect_encode(chip->protect_scheme, chip->flash.size >> shift,
			new_start >> shift, new_end >> shift, &cur, &want, msg, sizeof(msg));
	if (pe != SPIRAM_PROTECT_OK) {
		LOG_ERROR("spiram_loader: cannot %s " TARGET_ADDR_FMT "-" TARGET_ADDR_FMT " on %s: the chip can "
			"protect " TARGET_ADDR_FMT "-" TARGET_ADDR_FMT " only in the steps of its BP bits",
			set ? "protect" : "unprotect", bank->base + (target_addr_t)req_start,
			bank->base + (target_addr_t)req_end - 1, chip->name, bank->base + (target_addr_t)new_start,
			bank->base + (target_addr_t)new_end - 1);
		if (msg[0])
			LOG_ERROR("spiram_loader: %s", msg);
		return spiram_session_end(&s, ERROR_FLASH_OPER_UNSUPPORTED);
	}
	retval = spiram_write_protect_regs(&s, &cur, &want);
	if (retval == ERROR_OK)
		retval = spiram_get_protection(&s, &start, &end, &cur);
	if (retval == ERROR_OK)
		spiram_mark_protection(bank, start, end);
	return spiram_session_end(&s, retval);
}

static void spiram_print_erase_types(struct command_invocation *cmd, const struct spiram_flash_cfg *f)
{
	command_print_sameline(cmd, "erase types:");
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		if (!f->erase[i].size)
			continue;
		command_print_sameline(cmd, " %" PRIu32 " KiB (0x%02" PRIx32, f->erase[i].size / 1024, f->erase[i].opcode);
		if (f->erase[i].opcode_4b)
			command_print_sameline(cmd, "/0x%02" PRIx32, f->erase[i].opcode_4b);
		command_print_sameline(cmd, ", max %" PRIu32 " ms)", f->erase[i].max_time_us / 1000);
	}
	command_print(cmd, " ");
}

static const char *spiram_addr_mode_name(uint32_t mode)
{
	switch (mode) {
	case SPIRAM_ADDR_3B:
		return "3-byte";
	case SPIRAM_ADDR_4B_OPCODES:
		return "4-byte opcodes";
	case SPIRAM_ADDR_4B_MODE:
		return "4-byte mode (B7h)";
	default:
		return "?";
	}
}

static int spiram_loader_info(struct flash_bank *bank, struct command_invocation *cmd)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	const struct spiram_chip_config *chip = &info->chip;
	const struct spiram_flash_cfg *f = &chip->flash;
	char idtext[16];
	char ctrl_text[160];

	if (!info->probed) {
		command_print(cmd, "spiram_loader: %s controller, not probed", spiram_ctrl_name(info->args.ctrl.type));
		return ERROR_OK;
	}
	spiram_format_id(info->id, idtext, sizeof(idtext));
	command_print(cmd, "spiram_loader: %s, JEDEC ID %s, %" PRIu32 " KiB, page %" PRIu32 " bytes, "
		"sectors of %" PRIu32 " bytes (%s%s%s)", chip->name, idtext, f->size / 1024, f->page_size,
		chip->sector_size, chip->chip ? "chip table" : "no table entry",
		chip->used_sfdp ? ", SFDP" : "", chip->used_user ? ", user override" : "");
	spiram_print_erase_types(cmd, f);
	command_print(cmd, "addressing %s; read 0x%02" PRIx32 " %u-%u-%u, %" PRIu32 " dummy clocks; "
		"program 0x%02" PRIx32 " %u-%u-%u; controller %s",
		spiram_addr_mode_name(f->addr_mode), f->read_opcode,
		SPIRAM_PROTO_CMD(f->read_proto), SPIRAM_PROTO_ADDR(f->read_proto), SPIRAM_PROTO_DATA(f->read_proto),
		f->read_dummy, f->program_opcode, SPIRAM_PROTO_CMD(f->program_proto),
		SPIRAM_PROTO_ADDR(f->program_proto), SPIRAM_PROTO_DATA(f->program_proto),
		spiram_ctrl_describe(&info->args.ctrl, ctrl_text, sizeof(ctrl_text)));
	command_print(cmd, "protection scheme: %s", spiram_protect_scheme_name(chip->protect_scheme));
	if (info->dual)
		command_print(cmd, "dual-flash QUADSPI: two %s, bytes interleaved (FLASH1 on BK1 at even "
			"offsets, FLASH2 on BK2 at odd); sizes above are both chips together", chip->name);
	return ERROR_OK;
}

/* ------------------------------------------------------------------------
 * spiram_loader commands
 * ------------------------------------------------------------------------ */

/* Find a spiram_loader bank by name or number without probing it. */
static int spiram_get_bank(struct command_invocation *cmd, const char *name, struct flash_bank **bank)
{
	struct flash_bank *b = get_flash_bank_by_name_noprobe(name);
	if (!b) {
		unsigned int num;
		if (parse_uint(name, &num) == ERROR_OK)
			b = get_flash_bank_by_num_noprobe(num);
	}
	if (!b) {
		LOG_ERROR("spiram_loader: no flash bank '%s'; 'flash banks' lists them", name);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	if (b->driver != &spiram_loader_flash) {
		LOG_ERROR("spiram_loader: bank '%s' is a %s bank, not spiram_loader", name, b->driver->name);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	*bank = b;
	return ERROR_OK;
}

static int spiram_get_probed_bank(struct command_invocation *cmd, const char *name, struct flash_bank **bank)
{
	int retval = spiram_get_bank(cmd, name, bank);
	if (retval != ERROR_OK)
		return retval;
	return spiram_loader_auto_probe(*bank);
}

COMMAND_HANDLER(spiram_handle_info_command)
{
	struct flash_bank *bank;
	struct spiram_session s;
	struct spiram_protect_regs regs;
	uint64_t start, end;

	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_probed_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;

	spiram_loader_info(bank, CMD);
	command_print(CMD, "driver: spiram_loader %s", SPIRAM_LOADER_VERSION);
	if (info->has_sfdp)
		command_print(CMD, "SFDP: JESD216 rev 1.%u, BFPT 1.%u with %" PRIu32 " DWORDs%s%s; quad enable %s",
			info->sfdp.sfdp_minor, info->sfdp.bfpt_minor, info->sfdp.bfpt_dwords,
			info->sfdp.has_4bait ? ", 4-byte address table" : "",
			info->sfdp.has_sector_map ? ", sector map" : "",
			info->sfdp.qe_known ? "known" : "not described");
	else
		command_print(CMD, "SFDP: none (%s)", spiram_sfdp_strerror(info->sfdp_error));
	if (info->chip.fixups) {
		char fixups[256];
		command_print(CMD, "fixups applied: %s",
			spiram_fixups_describe(info->chip.fixups, fixups, sizeof(fixups)));
	}

	retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	bool memmap = spiram_ctrl_is_stm32_xspi(info->args.ctrl.type)
		&& spiram_snap_memmap(info->args.ctrl.type, &s.snap);
	if (info->args.ctrl.type == SPIRAM_CTRL_STM32_QSPI)
		command_print(CMD, "controller: QUADSPI CR 0x%08" PRIx32 " DCR 0x%08" PRIx32 " CCR 0x%08" PRIx32
			", %s", s.snap.qspi_cr, s.snap.qspi_dcr, s.snap.qspi_ccr,
			memmap ? "memory-mapped" : "indirect mode");
	else if (info->args.ctrl.type == SPIRAM_CTRL_STM32_OSPI)
		command_print(CMD, "controller: OCTOSPI CR 0x%08" PRIx32 " DCR1 0x%08" PRIx32 " CCR 0x%08" PRIx32
			" TCR 0x%08" PRIx32 " IR 0x%08" PRIx32 ", %s", s.snap.qspi_cr, s.snap.qspi_dcr,
			s.snap.qspi_ccr, s.snap.ospi_tcr, s.snap.ospi_ir, memmap ? "memory-mapped" : "indirect mode");
	else if (info->args.ctrl.type == SPIRAM_CTRL_STM32_SPI)
		command_print(CMD, "controller: SPI CR1 0x%08" PRIx32 " CR2 0x%08" PRIx32, s.snap.spi_cr1,
			s.snap.spi_cr2);
	retval = spiram_get_protection(&s, &start, &end, &regs);
	if (retval == ERROR_OK) {
		if (start == end)
			command_print(CMD, "protection: none");
		else
			command_print(CMD, "protection: " TARGET_ADDR_FMT "-" TARGET_ADDR_FMT " (%" PRIu64 " KiB)",
				bank->base + (target_addr_t)start, bank->base + (target_addr_t)end - 1,
				(end - start) / 1024);
	}
	return spiram_session_end(&s, retval);
}

COMMAND_HANDLER(spiram_handle_cmd_command)
{
	struct flash_bank *bank;
	struct spiram_session s;
	uint32_t read_count;
	uint8_t tx[SPIRAM_RAW_MAX];

	if (CMD_ARGC < 3)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], read_count);
	unsigned int tx_count = CMD_ARGC - 2;
	/* Two comparisons: the sum could wrap at 32 bits. */
	if (read_count > SPIRAM_RAW_MAX || tx_count > SPIRAM_RAW_MAX - read_count) {
		LOG_ERROR("spiram_loader: cmd: %u bytes to send and %" PRIu32 " to read; at most %u in all "
			"in one command", tx_count, read_count, SPIRAM_RAW_MAX);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	if (read_count && tx_count > 5) {
		LOG_ERROR("spiram_loader: a command that reads sends at most 5 bytes (opcode and a "
			"4-byte address); send the rest with read_count 0");
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	for (unsigned int i = 0; i < tx_count; i++)
		COMMAND_PARSE_NUMBER(u8, CMD_ARGV[2 + i], tx[i]);

	retval = spiram_session_begin(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	if (s.dual && tx_count && ((read_count ? read_count : tx_count - 1) & 1)) {
		LOG_ERROR("spiram_loader: cmd: the QUADSPI is in dual-flash mode, where both chips take part in "
			"every byte: read an even number of bytes (FLASH1's at even places, FLASH2's at odd), and "
			"send an even number of data bytes after the opcode (each chip gets every other one)");
		return spiram_session_end(&s, ERROR_COMMAND_ARGUMENT_INVALID);
	}
	struct spiram_params p;
	spiram_params_init(&s, &p, SPIRAM_OP_RAW);
	p.arg[0] = tx_count;
	p.arg[1] = read_count;
	retval = target_write_buffer(s.target, s.buffer_addr, tx_count, tx);
	if (retval == ERROR_OK)
		retval = spiram_run(&s, &p, SPIRAM_TIMEOUT_BASE_MS, "raw command", NULL, 0);
	if (retval == ERROR_OK && read_count) {
		uint8_t rx[SPIRAM_RAW_MAX];
		retval = target_read_buffer(s.target, s.buffer_addr, read_count, rx);
		if (retval == ERROR_OK) {
			for (uint32_t i = 0; i < read_count; i++)
				command_print_sameline(CMD, "%s0x%02" PRIx8, i ? " " : "", rx[i]);
			command_print(CMD, " ");
		}
	}
	return spiram_session_end(&s, retval);
}

/*
 * Values of `spiram_loader set` that no SPI NOR chip has (an erase size of
 * 1 byte gave 16 M sectors and 268 MB of OpenOCD sector records): refused
 * with the range that makes sense.  Sizes are powers of two: chip 64 KiB
 * (512 Kbit) to 2 GiB, page 16 bytes to 4 KiB, erase 256 bytes to 256 KiB
 * and no larger than the chip (JESD216 erase types; S25FL512S-class parts
 * have 256 KiB sectors).
 */
static bool spiram_override_plausible(const struct spiram_user_override *u, char *msg, size_t msg_size)
{
	if (u->has_size && (!IS_PWR_OF_2(u->size) || u->size < 64 * 1024 || u->size > 0x80000000u)) {
		snprintf(msg, msg_size, "set: size %" PRIu32 " is not a NOR chip size: give a power of two from "
			"64k (512 Kbit) to 2048M, e.g. 'size 16M'", u->size);
		return false;
	}
	if (u->has_page_size && (!IS_PWR_OF_2(u->page_size) || u->page_size < 16 || u->page_size > 4096)) {
		snprintf(msg, msg_size, "set: page %" PRIu32 " is not a NOR page size: give a power of two from 16 "
			"to 4096 (256 on most chips)", u->page_size);
		return false;
	}
	for (unsigned int i = 0; u->has_erase && i < SPIRAM_MAX_ERASE_TYPES; i++) {
		uint32_t es = u->erase[i].size;
		if (!es)
			continue;
		if (!IS_PWR_OF_2(es) || es < 256 || es > 256 * 1024 || (u->has_size && es > u->size)) {
			snprintf(msg, msg_size, "set: erase size %" PRIu32 " is not an erase size a NOR chip has: give "
				"powers of two from 256 to 256k, no larger than the chip (4k and 64k on most chips)", es);
			return false;
		}
	}
	if (u->has_read && u->read_dummy > 31) {
		snprintf(msg, msg_size, "set: %" PRIu32 " dummy clocks: at most 31", u->read_dummy);
		return false;
	}
	return true;
}

COMMAND_HANDLER(spiram_handle_set_command)
{
	struct flash_bank *bank;
	char msg[256] = "";

	if (CMD_ARGC < 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;

	struct spiram_user_override user = info->user;
	enum spiram_args_error e = spiram_args_parse_set(CMD_ARGC - 1, CMD_ARGV + 1, &user, msg, sizeof(msg));
	if (e == SPIRAM_ARGS_OK && !spiram_override_plausible(&user, msg, sizeof(msg)))
		e = SPIRAM_ARGS_ERR_NUMBER;
	if (e != SPIRAM_ARGS_OK) {
		/* One message: a syntax error would print the usage too. */
		LOG_ERROR("spiram_loader: %s", msg[0] ? msg : "bad argument");
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	info->user = user;
	if (info->probed)
		spiram_invalidate(bank);
	command_print(CMD, "spiram_loader: bank %u override updated; it applies at the next probe "
		"('flash probe %u', or any flash command)", bank->bank_number, bank->bank_number);
	return ERROR_OK;
}

COMMAND_HANDLER(spiram_handle_mass_erase_command)
{
	struct flash_bank *bank;
	struct spiram_session s;

	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_probed_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;

	retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	/* A bank limited to part of the chip (a size on the bank line) owns
	 * only that part: erase it block by block, never the whole chip. */
	if (bank->size != info->chip.flash.size)
		LOG_INFO("spiram_loader: bank %u covers 0x%" PRIx32 " of the chip's 0x%" PRIx32 " bytes: erasing "
			"that range with block erases, not the whole chip", bank->bank_number, bank->size,
			info->chip.flash.size);
	retval = spiram_check_unprotected(&s, 0, bank->size, "erase");
	if (retval == ERROR_OK)
		retval = spiram_erase_nonblank(&s, 0, bank->size);
	if (retval == ERROR_OK) {
		for (unsigned int i = 0; i < bank->num_sectors; i++)
			bank->sectors[i].is_erased = 1;
		command_print(CMD, "spiram_loader: bank %u erased", bank->bank_number);
	}
	return spiram_session_end(&s, retval);
}

/*
 * Do the erases recorded while erases were deferred: every pending sector
 * that is not blank is erased (blank ones need nothing).
 */
static int spiram_flush_pending(struct flash_bank *bank)
{
	struct spiram_loader_bank *info = bank->driver_priv;
	struct spiram_session s;
	bool in_session = false;
	int retval = ERROR_OK;

	if (!info->probed || !info->pending_erase)
		return ERROR_OK;
	for (unsigned int i = 0; i < bank->num_sectors && retval == ERROR_OK; ) {
		if (!info->pending_erase[i]) {
			i++;
			continue;
		}
		unsigned int run = i;
		while (run < bank->num_sectors && info->pending_erase[run])
			run++;
		if (!in_session) {
			retval = spiram_begin_probed(&s, bank);
			if (retval != ERROR_OK)
				return retval;
			in_session = true;
		}
		uint32_t offset = bank->sectors[i].offset;
		uint32_t len = bank->sectors[run - 1].offset + bank->sectors[run - 1].size - offset;
		retval = spiram_check_unprotected(&s, offset, len, "erase");
		if (retval == ERROR_OK)
			retval = spiram_erase_nonblank(&s, offset, len);
		if (retval == ERROR_OK)
			memset(info->pending_erase + i, 0, run - i);
		i = run;
	}
	if (in_session)
		retval = spiram_session_end(&s, retval);
	return retval;
}

COMMAND_HANDLER(spiram_handle_flush_command)
{
	struct flash_bank *bank;

	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	return spiram_flush_pending(bank);
}

/* spiram_loader defer_erase <bank> on|off: off also does what is pending. */
COMMAND_HANDLER(spiram_handle_defer_erase_command)
{
	struct flash_bank *bank;
	bool on;

	if (CMD_ARGC != 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	COMMAND_PARSE_ON_OFF(CMD_ARGV[1], on);
	struct spiram_loader_bank *info = bank->driver_priv;
	info->defer_erase = on;
	return on ? ERROR_OK : spiram_flush_pending(bank);
}

/* spiram_loader unwritten <bank> [keep|erase] */
COMMAND_HANDLER(spiram_handle_unwritten_command)
{
	struct flash_bank *bank;

	if (CMD_ARGC < 1 || CMD_ARGC > 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;
	if (CMD_ARGC == 2) {
		if (!strcmp(CMD_ARGV[1], "keep"))
			info->erase_unwritten = false;
		else if (!strcmp(CMD_ARGV[1], "erase"))
			info->erase_unwritten = true;
		else
			return ERROR_COMMAND_SYNTAX_ERROR;
	}
	command_print(CMD, "%s", info->erase_unwritten ? "erase" : "keep");
	return ERROR_OK;
}

/* spiram_loader compress <bank> [on|off] */
COMMAND_HANDLER(spiram_handle_compress_command)
{
	struct flash_bank *bank;

	if (CMD_ARGC < 1 || CMD_ARGC > 2)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;
	if (CMD_ARGC == 2) {
		bool on;
		COMMAND_PARSE_ON_OFF(CMD_ARGV[1], on);
		info->no_write_lz = !on;
	}
	command_print(CMD, "%s", info->no_write_lz ? "off" : "on");
	return ERROR_OK;
}

COMMAND_HANDLER(spiram_handle_status_command)
{
	struct flash_bank *bank;
	struct spiram_session s;
	struct spiram_protect_regs regs;

	if (CMD_ARGC != 1)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_probed_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	struct spiram_loader_bank *info = bank->driver_priv;
	const struct spiram_chip_config *chip = &info->chip;

	retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	retval = spiram_read_status(&s, &regs);
	/* Dual-flash: each chip's registers, FLASH1's first. */
	for (unsigned int c = 0; retval == ERROR_OK && c <= (unsigned int)s.dual; c++) {
		const uint8_t *sr = c ? regs.sr_flash2 : regs.sr;
		if (s.dual)
			command_print(CMD, "%s:", c ? "FLASH2 (BK2)" : "FLASH1 (BK1)");
		uint8_t sr1 = sr[0];
		command_print(CMD, "SR1 0x%02" PRIx8 ": BUSY %u WEL %u, bits 7:2 0x%02x", sr1, sr1 & 1u,
			(sr1 >> 1) & 1u, sr1 >> 2);
		for (unsigned int i = 1; i < chip->sr_count && i < 3; i++)
			command_print(CMD, "SR%u 0x%02" PRIx8 " (read with 0x%02" PRIx8 ")", i + 1, sr[i],
				chip->sr_read_opcode[i]);
		switch (chip->flash.qe_method) {
		case SPIRAM_QE_SR2_BIT1_WRSR2:
		case SPIRAM_QE_SR2_BIT1_WRSR16:
			command_print(CMD, "quad enable (SR2 bit 1): %u", (sr[1] >> 1) & 1u);
			break;
		case SPIRAM_QE_SR1_BIT6:
			command_print(CMD, "quad enable (SR1 bit 6): %u", (sr1 >> 6) & 1u);
			break;
		default:
			break;
		}
	}
	if (retval == ERROR_OK) {
		uint64_t start, end;
		if (chip->protect_scheme != SPIRAM_PROTECT_NONE &&
				spiram_decode_protection(&s, &start, &end, &regs) == ERROR_OK) {
			if (start == end)
				command_print(CMD, "protected: nothing (%s)", spiram_protect_scheme_name(chip->protect_scheme));
			else
				command_print(CMD, "protected: offsets 0x%08" PRIx64 "-0x%08" PRIx64 " (%s)", start, end - 1,
					spiram_protect_scheme_name(chip->protect_scheme));
		}
	}
	return spiram_session_end(&s, retval);
}

COMMAND_HANDLER(spiram_handle_crc_command)
{
	struct flash_bank *bank;
	struct spiram_session s;
	struct spiram_progress pg;
	uint32_t offset, length, crc = 0;

	if (CMD_ARGC != 3)
		return ERROR_COMMAND_SYNTAX_ERROR;
	int retval = spiram_get_probed_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[1], offset);
	COMMAND_PARSE_NUMBER(u32, CMD_ARGV[2], length);
	if (!length || offset >= bank->size || length > bank->size - offset) {
		LOG_ERROR("spiram_loader: range 0x%" PRIx32 "+0x%" PRIx32 " is not inside bank %u "
			"(0x%" PRIx32 " bytes)", offset, length, bank->bank_number, bank->size);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK)
		return retval;
	spiram_progress_start(&pg, "CRC", length);
	retval = spiram_crc_range(&s, offset, length, SPIRAM_CRC32_START, &crc, &pg, 0);
	if (retval == ERROR_OK)
		command_print(CMD, "0x%08" PRIx32, crc);
	return spiram_session_end(&s, retval);
}

/*
 * spiram_loader verify_bank <bank> <file> [offset]: what `flash
 * verify_bank` does (the Tcl layer routes it here for spiram_loader
 * banks), with OpenOCD's messages and exit status, but without reading the
 * bank: one CRC pass on the target, then only the first sector that
 * differs is read back for its "diff" lines.
 */
COMMAND_HANDLER(spiram_handle_verify_bank_command)
{
	struct flash_bank *bank;
	struct spiram_session s;
	struct spiram_progress pg;
	struct spiram_verify_result r;
	struct duration bench;
	struct fileio *fileio;
	uint32_t offset = 0;
	size_t filesize, read_cnt;

	if (CMD_ARGC < 2 || CMD_ARGC > 3)
		return ERROR_COMMAND_SYNTAX_ERROR;
	duration_start(&bench);
	int retval = spiram_get_probed_bank(CMD, CMD_ARGV[0], &bank);
	if (retval != ERROR_OK)
		return retval;
	if (CMD_ARGC > 2)
		COMMAND_PARSE_NUMBER(u32, CMD_ARGV[2], offset);
	if (offset > bank->size) {
		LOG_ERROR("Offset 0x%8.8" PRIx32 " is out of range of the flash bank", offset);
		return ERROR_COMMAND_ARGUMENT_INVALID;
	}
	retval = fileio_open(&fileio, CMD_ARGV[1], FILEIO_READ, FILEIO_BINARY);
	if (retval != ERROR_OK) {
		LOG_ERROR("Could not open file");
		return retval;
	}
	retval = fileio_size(fileio, &filesize);
	if (retval != ERROR_OK) {
		fileio_close(fileio);
		return retval;
	}
	size_t length = MIN(filesize, bank->size - offset);
	if (!length) {
		LOG_INFO("Nothing to compare with flash bank");
		fileio_close(fileio);
		return ERROR_OK;
	}
	if (length != filesize)
		LOG_INFO("File content exceeds flash bank size. Only comparing the first %zu bytes of the file", length);
	uint8_t *want = malloc(length);
	if (!want) {
		LOG_ERROR("Out of memory");
		fileio_close(fileio);
		return ERROR_FAIL;
	}
	retval = fileio_read(fileio, length, want, &read_cnt);
	fileio_close(fileio);
	if (retval == ERROR_OK && read_cnt != length) {
		LOG_ERROR("Short read");
		retval = ERROR_FAIL;
	}
	if (retval == ERROR_OK)
		retval = spiram_begin_probed(&s, bank);
	if (retval != ERROR_OK) {
		free(want);
		return retval;
	}

	spiram_progress_start(&pg, "verified", length);
	retval = spiram_verify_range(&s, want, offset, length, &pg, &r);
	uint8_t *back = NULL;
	if (retval == ERROR_OK && r.bad) {
		back = malloc(r.first_len);
		if (!back) {
			LOG_ERROR("Out of memory");
			retval = ERROR_FAIL;
		} else {
			retval = spiram_read_range(&s, back, r.first_addr, r.first_len, NULL, 0);
		}
	}
	retval = spiram_session_end(&s, retval);
	if (retval == ERROR_OK && duration_measure(&bench) == ERROR_OK)
		command_print(CMD, "read %zu bytes from file %s and flash bank %u at offset 0x%8.8" PRIx32
			" in %fs (%0.3f KiB/s)", length, CMD_ARGV[1], bank->bank_number, offset,
			duration_elapsed(&bench), duration_kbps(&bench, length));
	if (retval == ERROR_OK) {
		command_print(CMD, "contents %s", r.bad ? "differ" : "match");
		if (r.bad) {
			spiram_verify_log_sectors(&s, &r);
			const uint8_t *w = want + (r.first_addr - offset);
			unsigned int diffs = 0;
			for (uint32_t i = 0; i < r.first_len; i++) {
				if (back[i] == w[i])
					continue;
				command_print(CMD, "diff %u address 0x%08" PRIx32 ". Was 0x%02x instead of 0x%02x", diffs,
					r.first_addr + i, back[i], w[i]);
				if (diffs++ >= 127) {
					command_print(CMD, "More than 128 errors, the rest are not printed.");
					break;
				}
			}
			if (!diffs)
				LOG_ERROR("spiram_loader: verify: the CRC of sector %" PRIu32 " differs but its read-back "
					"matches; the flash reads unstable (signal integrity, too fast a clock: try "
					"-prescaler or -single)", r.first_sector);
			retval = ERROR_FAIL;
		}
	}
	free(back);
	free(want);
	return retval;
}

static const struct command_registration spiram_loader_exec_command_handlers[] = {
	{
		.name = "info",
		.handler = spiram_handle_info_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id",
		.help = "Show the chip (name, JEDEC ID, SFDP summary, erase types, addressing, read mode), "
			"the controller state and the protected range.",
	},
	{
		.name = "cmd",
		.handler = spiram_handle_cmd_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id read_count cmd_byte [data_byte ...]",
		.help = "Send a raw SPI transaction (1-1-1, chip selected for its whole length) and print "
			"read_count bytes read after the sent bytes.",
	},
	{
		.name = "set",
		.handler = spiram_handle_set_command,
		.mode = COMMAND_ANY,
		.usage = "bank_id (size bytes | page bytes | erase size:opcode[:opcode_4b][,...] | "
			"read opcode dummy [c-a-d] | program opcode | chip_erase opcode | addr 3|4|b7 | "
			"qe none|sr2-31h|sr2-01h|sr1-6) ...",
		.help = "Override the chip's geometry and opcodes (applied last, after the chip table, "
			"SFDP and fixups); takes effect at the next probe.",
	},
	{
		.name = "mass_erase",
		.handler = spiram_handle_mass_erase_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id",
		.help = "Erase the bank: the chip's chip-erase command when most of it holds data, else its "
			"non-blank sectors; a bank limited to part of the chip erases only that part.",
	},
	{
		.name = "status",
		.handler = spiram_handle_status_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id",
		.help = "Read and decode the chip's status registers.",
	},
	{
		.name = "unwritten",
		.handler = spiram_handle_unwritten_command,
		.mode = COMMAND_ANY,
		.usage = "bank_id [keep|erase]",
		.help = "What a write does with the bytes of a sector that the data does not cover: keep "
			"their content (the default) or leave them erased (0xFF, OpenOCD's usual result).",
	},
	{
		.name = "compress",
		.handler = spiram_handle_compress_command,
		.mode = COMMAND_ANY,
		.usage = "bank_id [on|off]",
		.help = "Whether a write sends the data that compresses as LZ4 blocks, which the stub expands "
			"(on, the default, when the work area has room for its buffer) or always as it is.",
	},
	{
		.name = "defer_erase",
		.handler = spiram_handle_defer_erase_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id on|off",
		.help = "While on, erases only record their sectors and the writes that follow decide what "
			"to erase; off erases what is still pending (used by the GDB flash events).",
	},
	{
		.name = "flush",
		.handler = spiram_handle_flush_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id",
		.help = "Erase the sectors whose deferred erase no write has taken over.",
	},
	{
		.name = "crc",
		.handler = spiram_handle_crc_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id offset length",
		.help = "Print the CRC32 of a flash range computed on the target "
			"(the same CRC as verify_image's checksum).",
	},
	{
		.name = "verify_bank",
		.handler = spiram_handle_verify_bank_command,
		.mode = COMMAND_EXEC,
		.usage = "bank_id filename [offset]",
		.help = "'flash verify_bank' without reading the bank: a CRC per sector computed on the target; "
			"only the first sector that differs is read back.",
	},
	COMMAND_REGISTRATION_DONE
};

static const struct command_registration spiram_loader_command_handlers[] = {
	{
		.name = "spiram_loader",
		.mode = COMMAND_ANY,
		.help = "spiram_loader external SPI/QSPI NOR flash commands",
		.usage = "",
		.chain = spiram_loader_exec_command_handlers,
	},
	COMMAND_REGISTRATION_DONE
};

const struct flash_driver spiram_loader_flash = {
	.name = "spiram_loader",
	.usage = "<controller> <controller args> [options]; controllers: stm32_qspi <regs_base> | "
		"stm32_ospi <regs_base> | "
		"stm32_spi <regs_base> <cs_pin> | gpio cs=<pin> clk=<pin> mosi=<pin> miso=<pin> [io2=<pin>] "
		"[io3=<pin>]; options: -quad|-dual|-single -3byte|-4byte -workarea-size <bytes> -chip <name> "
		"-gpio-style f1|h7|custom:... -mmap <addr> -prescaler <n>",
	.commands = spiram_loader_command_handlers,
	.flash_bank_command = spiram_loader_flash_bank_command,
	.erase = spiram_loader_erase,
	.protect = spiram_loader_protect,
	.write = spiram_loader_write,
	.read = spiram_loader_read,
	.verify = spiram_loader_verify,
	.probe = spiram_loader_probe,
	.auto_probe = spiram_loader_auto_probe,
	.erase_check = spiram_loader_erase_check,
	.protect_check = spiram_loader_protect_check,
	.info = spiram_loader_info,
	.free_driver_priv = spiram_loader_free_driver_priv,
};
