/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * ADIv5 SW-DP and its MEM-APs (AHB-APs and the STM32H7's APB-AP),
 * executing vdebug REG batches.
 *
 * Owns: DP state (CTRL/STAT, SELECT, DLCR, RDBUFF), per-AP state (CSW,
 * TAR), the batch decoder and the DAP counters, and the CoreSight ROM
 * tables plus component ID blocks (adiv5-dap.md sections 7-8).  Memory
 * goes through sim_bus.
 * Facts: adiv5-dap.md sections 2-6, vdebug-protocol.md sections 6, 9
 * and V.2.
 *
 * Invariants:
 *  - requests run strictly in order, each finished before the next
 *    (vdebug has no WAIT/FAULT acknowledgement);
 *  - SELECT is kept whole across batches: an AP request goes to the AP
 *    numbered SELECT[31:24], register SELECT[7:4] << 4 | addr << 2; a DP
 *    read or write of addr 1 goes to the DP bank SELECT[3:0].  A version-44
 *    client (OpenOCD 0.12.0) leaves both fields 0, so it always reaches
 *    AP 0 and CTRL/STAT; AP 0 then reaches the whole bus, which merges
 *    what such a client means by "AP 2" into AP 0 (adiv5-dap.md section 1);
 *  - each AP keeps its own CSW and TAR, as OpenOCD's per-AP caches assume
 *    (vdebug-protocol.md section V.2: a shared TAR made a DHCSR poll on
 *    AP 0 read DBGMCU_IDCODE after an AP 2 access);
 *  - an AP number the layout does not have reads IDR 0 and all its
 *    registers as 0, and ignores writes; a memory access outside the
 *    address range an AP reaches is a bus error;
 *  - RDBUFF holds the result of the most recent AP read and survives
 *    across batches (a forced flush may separate the two requests);
 *  - a batch with count 0 executes nothing, whatever bytes it carries;
 *  - a failed batch reports a nonzero status only if it carries at most
 *    one result word (two or more make OpenOCD 0.12.0 abort); the fault
 *    is always recorded in CTRL/STAT.STICKYERR;
 *  - after a bus error the rest of the batch's AP accesses are skipped
 *    (a real SW-DP answers them with FAULT) and read as 0; DP accesses
 *    still run;
 *  - sticky flags are cleared only through ABORT (SWD semantics) and do
 *    not block later batches: OpenOCD never clears them over vdebug, so
 *    blocking would wedge the session after a single bus error;
 *  - TAR increments carry only inside the configured block
 *    (cfg.tar_wrap_bytes, default 4 KiB); packed accesses advance TAR by 4.
 *
 * Unaligned word/halfword DRW accesses (implementation defined in ADIv5)
 * are performed at the address rounded down to the access size; TAR still
 * advances by the access size.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_bus.h"
#include "sim_dap.h"

/* vdebug request header fields (vdebug-protocol.md section 6.1) */
#define REQ_SPACE(h)		((h) & 0x7u)
#define REQ_TLEN(h)		(((h) >> 16) & 0x7FFu)
#define REQ_CMD(h)		(((h) >> 30) & 0x3u)
#define REQ_SPACE_AP		1
#define REQ_SPACE_DP		2
#define REQ_SPACE_ABORT		4
#define REQ_CMD_WRITE		1
#define REQ_CMD_READ		2

/* DP registers by vdebug addr (bits [3:2] of the DP offset) */
#define DP_ADDR_DPIDR_ABORT	0
#define DP_ADDR_CTRL_STAT	1	/* banked by SELECT.DPBANKSEL */
#define DP_ADDR_RESEND_SELECT	2
#define DP_ADDR_RDBUFF		3

/* SELECT fields */
#define SELECT_APSEL(v)		((v) >> 24)
#define SELECT_APBANKSEL(v)	((v) & 0xF0u)
#define SELECT_DPBANKSEL(v)	((v) & 0xFu)

/* DP registers at addr 1 by DPBANKSEL (DPv2; OpenOCD's arm_adi_v5.h bank map) */
#define DP_BANK_CTRL_STAT	0
#define DP_BANK_DLCR		1
#define DP_BANK_TARGETID	2
#define DP_BANK_DLPIDR		3
#define DP_BANK_EVENTSTAT	4
/* DLPIDR: SWD protocol version 2 (PROTVSN = 1), instance 0 */
#define DLPIDR_VALUE		0x00000001u
/* DLCR: only TURNROUND (9:8) is writable; bit 6 reads as one */
#define DLCR_WRITABLE		0x00000300u
#define DLCR_RESET_VALUE	0x00000040u
/* DPIDR.VERSION (15:12): banked registers exist from DPv2 on */
#define DPIDR_VERSION(v)	(((v) >> 12) & 0xFu)

/* CTRL/STAT bits */
#define CS_ORUNDETECT		(1u << 0)
#define CS_STICKYORUN		(1u << 1)
#define CS_TRNMODE		(3u << 2)
#define CS_STICKYCMP		(1u << 4)
#define CS_STICKYERR		(1u << 5)
#define CS_WDATAERR		(1u << 7)
#define CS_MASKLANE		(0xFu << 8)
#define CS_TRNCNT		(0xFFFu << 12)
#define CS_CDBGRSTREQ		(1u << 26)
#define CS_CDBGRSTACK		(1u << 27)
#define CS_CDBGPWRUPREQ		(1u << 28)
#define CS_CDBGPWRUPACK		(1u << 29)
#define CS_CSYSPWRUPREQ		(1u << 30)
#define CS_CSYSPWRUPACK		(1u << 31)
/* Bits a CTRL/STAT write stores; sticky flags and ACKs are read-only in SWD. */
#define CS_WRITABLE		(CS_ORUNDETECT | CS_TRNMODE | CS_MASKLANE | CS_TRNCNT | \
				 CS_CDBGRSTREQ | CS_CDBGPWRUPREQ | CS_CSYSPWRUPREQ)

/* ABORT bits */
#define ABORT_DAPABORT		(1u << 0)
#define ABORT_STKCMPCLR		(1u << 1)
#define ABORT_STKERRCLR		(1u << 2)
#define ABORT_WDERRCLR		(1u << 3)
#define ABORT_ORUNERRCLR	(1u << 4)

/* MEM-AP register offsets */
#define AP_CSW			0x00
#define AP_TAR			0x04
#define AP_TAR64		0x08
#define AP_DRW			0x0C
#define AP_BD0			0x10
#define AP_BD3			0x1C
#define AP_BASE64		0xF0
#define AP_CFG			0xF4
#define AP_BASE			0xF8
#define AP_IDR			0xFC

/* CSW fields */
#define CSW_SIZE_MASK		0x7u
#define CSW_SIZE_8		0u
#define CSW_SIZE_16		1u
#define CSW_SIZE_32		2u
#define CSW_ADDRINC_SHIFT	4
#define CSW_ADDRINC_MASK	(3u << CSW_ADDRINC_SHIFT)
#define CSW_ADDRINC_OFF		0u
#define CSW_ADDRINC_SINGLE	1u
#define CSW_ADDRINC_PACKED	2u
#define CSW_DEVICEEN		(1u << 6)
#define CSW_TRINPROG		(1u << 7)
#define CSW_MODE_MASK		(0xFu << 8)
/* Prot (HPROT/master type, 30:24) and DbgSwEnable (31): kept as written */
#define CSW_KEPT_MASK		0xFF000000u
/* Power-on CSW: word size, no increment (assumption; no OpenOCD flow reads it first) */
#define CSW_RESET_VALUE		(CSW_SIZE_32)

#define DEFAULT_TAR_WRAP	4096u

/* One access port: identity, the bus range it reaches, and its registers. */
struct dap_ap {
	bool present;			/* false: IDR 0, registers RAZ/WI */
	bool apb;			/* APB-AP: 32-bit accesses only, no packed transfers */
	uint32_t idr;			/* IDR (0xFC) */
	uint32_t base;			/* BASE (0xF8) */
	uint32_t cfg;			/* CFG (0xF4) */
	uint32_t bus_first;		/* lowest bus address this AP reaches */
	uint32_t bus_last;		/* highest bus address this AP reaches */
	uint32_t csw;			/* CSW: Size, AddrInc, Prot/DbgSwEnable as stored */
	uint32_t tar;			/* TAR: current transfer address */
};

struct sim_dap {
	struct sim_bus *bus;		/* system bus the MEM-APs master */
	struct sim_dap_config cfg;	/* identity registers and options */
	uint32_t tar_wrap;		/* auto-increment block size in bytes (power of two) */

	uint32_t ctrl_stat;		/* stored CTRL/STAT bits (ACKs computed on read) */
	uint32_t select;		/* SELECT: APSEL 31:24, APBANKSEL 7:4, DPBANKSEL 3:0 */
	uint32_t dlcr;			/* DLCR (DP bank 1) */
	uint32_t rdbuff;		/* last AP read result, kept across batches */

	struct dap_ap aps[SIM_DAP_AP_COUNT];	/* indexed by APSEL */

	/*
	 * Synchronisation with the running core (sim_dap_set_sync): while
	 * synced is false, MEM-AP accesses to plain RAM go straight to memory
	 * (word-atomic, the core keeps running); the first other access calls
	 * sync() once, and the rest of the batch runs with the core parked.
	 */
	void (*sync)(void *ctx);
	bool (*running_read)(void *ctx, uint32_t addr, uint32_t *value);
	void *sync_ctx;
	bool synced;

	struct sim_dap_counters counters;
};

/*
 * STM32H7 APs 1 and 2 (adiv5-dap.md section 4 IDR table).  AP 1's reach is
 * UNVERIFIED (the D3 domain in silicon): modelled as the system bus below
 * the core's private PPB.  AP 2's BASE has its present bit clear: the
 * APB-D ROM table is not modelled.
 */
#define H7_AHB_AP_IDR		0x84770001u
#define H7_APB_AP_IDR		0x54770002u
#define H7_APBD_FIRST		0xE00E0000u	/* debug APB as AP 2 sees it */
#define H7_APBD_LAST		0xE00FFFFFu
#define PPB_FIRST		0xE0000000u
#define BASE_NO_ROM_TABLE	0x00000002u	/* ADIv5 format, no entry present */

static void dap_layout_aps(struct sim_dap *dap)
{
	memset(dap->aps, 0, sizeof(dap->aps));
	dap->aps[0] = (struct dap_ap) {
		.present = true, .idr = dap->cfg.ap_idr, .base = dap->cfg.ap_base,
		.cfg = dap->cfg.ap_cfg, .bus_first = 0, .bus_last = 0xFFFFFFFFu,
	};
	switch (dap->cfg.ap_layout) {
	case SIM_DAP_APS_SINGLE:
		break;
	case SIM_DAP_APS_STM32H7:
		dap->aps[1] = (struct dap_ap) {
			.present = true, .idr = H7_AHB_AP_IDR, .base = BASE_NO_ROM_TABLE,
			.bus_first = 0, .bus_last = PPB_FIRST - 1,
		};
		dap->aps[2] = (struct dap_ap) {
			.present = true, .apb = true, .idr = H7_APB_AP_IDR, .base = BASE_NO_ROM_TABLE,
			.bus_first = H7_APBD_FIRST, .bus_last = H7_APBD_LAST,
		};
		break;
	}
}

struct sim_dap *sim_dap_create(struct sim_bus *bus, const struct sim_dap_config *cfg)
{
	struct sim_dap *dap = calloc(1, sizeof(*dap));

	if (!dap)
		return NULL;
	dap->bus = bus;
	dap->cfg = *cfg;
	dap->tar_wrap = cfg->tar_wrap_bytes ? cfg->tar_wrap_bytes : DEFAULT_TAR_WRAP;
	if (dap->tar_wrap < 1024 || (dap->tar_wrap & (dap->tar_wrap - 1))) {
		fprintf(stderr, "sim_dap: tar_wrap_bytes %u is not a power of two >= 1024; "
			"using %u\n", dap->tar_wrap, DEFAULT_TAR_WRAP);
		dap->tar_wrap = DEFAULT_TAR_WRAP;
	}
	sim_dap_reset(dap);
	return dap;
}

void sim_dap_destroy(struct sim_dap *dap)
{
	free(dap);
}

void sim_dap_reset(struct sim_dap *dap)
{
	dap->ctrl_stat = 0;
	dap->select = 0;
	dap->dlcr = DLCR_RESET_VALUE;
	dap->rdbuff = 0;
	dap_layout_aps(dap);
	for (unsigned int i = 0; i < SIM_DAP_AP_COUNT; i++)
		if (dap->aps[i].present)
			dap->aps[i].csw = CSW_RESET_VALUE;
}

const struct sim_dap_counters *sim_dap_counters(const struct sim_dap *dap)
{
	return &dap->counters;
}

static uint32_t dap_ctrl_stat_read(const struct sim_dap *dap)
{
	uint32_t v = dap->ctrl_stat;

	/* Power domains answer at once: each ACK mirrors its REQ. */
	if (v & CS_CSYSPWRUPREQ)
		v |= CS_CSYSPWRUPACK;
	if (v & CS_CDBGPWRUPREQ)
		v |= CS_CDBGPWRUPACK;
	if (v & CS_CDBGRSTREQ)
		v |= CS_CDBGRSTACK;
	return v;
}

uint32_t sim_dap_ctrl_stat(const struct sim_dap *dap)
{
	return dap_ctrl_stat_read(dap);
}

uint32_t sim_dap_select(const struct sim_dap *dap)
{
	return dap->select;
}

uint32_t sim_dap_ap_tar(const struct sim_dap *dap, unsigned int apsel)
{
	return apsel < SIM_DAP_AP_COUNT ? dap->aps[apsel].tar : 0;
}

uint32_t sim_dap_ap_csw(const struct sim_dap *dap, unsigned int apsel)
{
	return apsel < SIM_DAP_AP_COUNT && dap->aps[apsel].present ?
		dap->aps[apsel].csw | CSW_DEVICEEN : 0;
}

uint32_t sim_dap_tar(const struct sim_dap *dap)
{
	return sim_dap_ap_tar(dap, 0);
}

/* Address n bytes after base, carrying only inside the auto-increment block. */
static uint32_t dap_tar_add(const struct sim_dap *dap, uint32_t base, uint32_t n)
{
	uint32_t mask = dap->tar_wrap - 1;

	return (base & ~mask) | ((base + n) & mask);
}

static void dap_bus_fault(struct sim_dap *dap)
{
	dap->ctrl_stat |= CS_STICKYERR;
	dap->counters.bus_errors++;
}

static bool dap_word_only(const struct sim_dap *dap, uint32_t addr)
{
	return dap->cfg.word_only_size &&
		addr - dap->cfg.word_only_base < dap->cfg.word_only_size;
}

void sim_dap_set_sync(struct sim_dap *dap, void (*sync)(void *ctx), void *ctx)
{
	dap->sync = sync;
	dap->sync_ctx = ctx;
}

void sim_dap_set_running_read(struct sim_dap *dap, bool (*read)(void *ctx, uint32_t addr, uint32_t *value))
{
	dap->running_read = read;
}

/*
 * Before a bus access: true when it was done on RAM with the core running;
 * otherwise the core is parked (once per batch) and the caller goes on.
 */
static bool dap_ram_access_running(struct sim_dap *dap, uint32_t addr, unsigned int size,
				   bool write, uint32_t *value)
{
	if (dap->synced)
		return false;
	if (sim_bus_ram_access_running(dap->bus, addr, size, write, value)) {
		dap->counters.ram_accesses_core_running++;
		return true;
	}
	dap->sync(dap->sync_ctx);
	dap->synced = true;
	return false;
}

/* One bus access of an AP: a bus error outside the range the AP reaches. */
static int dap_ap_bus_read(struct sim_dap *dap, const struct dap_ap *ap, uint32_t addr,
			   unsigned int size, uint32_t *value)
{
	if (addr < ap->bus_first || addr > ap->bus_last)
		return -1;
	if (!dap->synced && size == 4 && dap->running_read && dap->running_read(dap->sync_ctx, addr, value)) {
		dap->counters.reads_core_running++;
		return 0;
	}
	if (dap_ram_access_running(dap, addr, size, false, value))
		return 0;
	return sim_bus_read(dap->bus, addr, size, value);
}

static int dap_ap_bus_write(struct sim_dap *dap, const struct dap_ap *ap, uint32_t addr,
			    unsigned int size, uint32_t value)
{
	if (addr < ap->bus_first || addr > ap->bus_last)
		return -1;
	if (dap_ram_access_running(dap, addr, size, true, &value))
		return 0;
	return sim_bus_write(dap->bus, addr, size, value);
}

/*
 * One DRW access.  For a write, *value is the DRW word; for a read it
 * receives the DRW word.  Returns 0 or -1 (bus error).
 */
static int dap_drw_access(struct sim_dap *dap, struct dap_ap *ap, bool write, uint32_t *value)
{
	unsigned int size = ap->csw & CSW_SIZE_MASK;
	unsigned int inc = (ap->csw & CSW_ADDRINC_MASK) >> CSW_ADDRINC_SHIFT;
	unsigned int nbytes = 1u << size;	/* bytes per bus access */
	unsigned int accesses = 1;
	uint32_t addr = ap->tar;
	uint32_t word = write ? *value : 0;
	int ret = 0;

	if (dap_word_only(dap, addr & ~3u)) {
		size = CSW_SIZE_32;
		nbytes = 4;
	}
	/* Packed with 8/16-bit size moves a whole word per DRW access. */
	if (inc == CSW_ADDRINC_PACKED && size < CSW_SIZE_32)
		accesses = 4 / nbytes;

	for (unsigned int i = 0; i < accesses; i++) {
		uint32_t a = dap_tar_add(dap, addr, i * nbytes) & ~(nbytes - 1);
		unsigned int shift = 8 * (a & 3);	/* byte lane of this access */
		uint32_t lane_mask = nbytes == 4 ? 0xFFFFFFFFu : ((1u << (8 * nbytes)) - 1);
		uint32_t v;

		if (write) {
			v = (word >> shift) & lane_mask;
			if (dap_ap_bus_write(dap, ap, a, nbytes, v) < 0) {
				ret = -1;
				break;
			}
			dap->counters.mem_bytes_written += nbytes;
		} else {
			if (dap_ap_bus_read(dap, ap, a, nbytes, &v) < 0) {
				ret = -1;
				break;
			}
			word |= (v & lane_mask) << shift;
			dap->counters.mem_bytes_read += nbytes;
		}
	}

	/*
	 * TAR advances even when the access faulted, as on Cortex-M4 AHB-APs
	 * (OpenOCD's mem_ap_read comment); OpenOCD only uses it for its log.
	 */
	if (inc == CSW_ADDRINC_SINGLE)
		ap->tar = dap_tar_add(dap, ap->tar, nbytes);
	else if (inc == CSW_ADDRINC_PACKED)
		ap->tar = dap_tar_add(dap, ap->tar, 4);

	if (!write)
		*value = word;
	return ret;
}

static void dap_csw_write(struct dap_ap *ap, uint32_t v)
{
	uint32_t size = v & CSW_SIZE_MASK;
	uint32_t inc = (v & CSW_ADDRINC_MASK) >> CSW_ADDRINC_SHIFT;

	/* Unsupported sizes (64/128/256-bit) and AddrInc 3 leave the field as it was. */
	if (size > CSW_SIZE_32)
		size = ap->csw & CSW_SIZE_MASK;
	if (inc > CSW_ADDRINC_PACKED)
		inc = (ap->csw & CSW_ADDRINC_MASK) >> CSW_ADDRINC_SHIFT;
	/* An APB-AP moves whole words only: Size reads as 32-bit, packed as off. */
	if (ap->apb) {
		size = CSW_SIZE_32;
		if (inc == CSW_ADDRINC_PACKED)
			inc = CSW_ADDRINC_OFF;
	}
	ap->csw = (v & CSW_KEPT_MASK) | (inc << CSW_ADDRINC_SHIFT) | size;
}

/* The AP that SELECT names, or NULL when that AP number is absent. */
static struct dap_ap *dap_selected_ap(struct sim_dap *dap)
{
	unsigned int apsel = SELECT_APSEL(dap->select);

	if (apsel >= SIM_DAP_AP_COUNT || !dap->aps[apsel].present)
		return NULL;
	return &dap->aps[apsel];
}

static int dap_ap_read(struct sim_dap *dap, unsigned int addr, uint32_t *value)
{
	struct dap_ap *ap = dap_selected_ap(dap);
	uint32_t reg = SELECT_APBANKSEL(dap->select) | (addr << 2);
	int ret = 0;

	dap->counters.ap_reads++;
	*value = 0;
	if (!ap)		/* no AP at this number: IDR 0, everything RAZ */
		return 0;
	switch (reg) {
	case AP_CSW:
		*value = ap->csw | CSW_DEVICEEN;
		break;
	case AP_TAR:
		*value = ap->tar;
		break;
	case AP_DRW:
		ret = dap_drw_access(dap, ap, false, value);
		break;
	case AP_BD0 ... AP_BD3:
		ret = dap_ap_bus_read(dap, ap, (ap->tar & ~0xFu) + (reg - AP_BD0), 4, value);
		if (ret == 0)
			dap->counters.mem_bytes_read += 4;
		break;
	case AP_CFG:
		*value = ap->cfg;
		break;
	case AP_BASE:
		*value = ap->base;
		break;
	case AP_IDR:
		*value = ap->idr;
		break;
	default:		/* TAR64, BASE64, reserved: RAZ */
		break;
	}
	if (ret < 0) {
		dap_bus_fault(dap);
		*value = 0;
	}
	return ret;
}

static int dap_ap_write(struct sim_dap *dap, unsigned int addr, uint32_t value)
{
	struct dap_ap *ap = dap_selected_ap(dap);
	uint32_t reg = SELECT_APBANKSEL(dap->select) | (addr << 2);
	int ret = 0;

	dap->counters.ap_writes++;
	if (!ap)		/* no AP at this number: writes ignored */
		return 0;
	switch (reg) {
	case AP_CSW:
		dap_csw_write(ap, value);
		break;
	case AP_TAR:
		ap->tar = value;
		break;
	case AP_DRW:
		ret = dap_drw_access(dap, ap, true, &value);
		break;
	case AP_BD0 ... AP_BD3:
		ret = dap_ap_bus_write(dap, ap, (ap->tar & ~0xFu) + (reg - AP_BD0), 4, value);
		if (ret == 0)
			dap->counters.mem_bytes_written += 4;
		break;
	default:		/* read-only or reserved: ignored */
		break;
	}
	if (ret < 0)
		dap_bus_fault(dap);
	return ret;
}

static void dap_abort(struct sim_dap *dap, uint32_t v)
{
	if (v & ABORT_STKCMPCLR)
		dap->ctrl_stat &= ~CS_STICKYCMP;
	if (v & ABORT_STKERRCLR)
		dap->ctrl_stat &= ~CS_STICKYERR;
	if (v & ABORT_WDERRCLR)
		dap->ctrl_stat &= ~CS_WDATAERR;
	if (v & ABORT_ORUNERRCLR)
		dap->ctrl_stat &= ~CS_STICKYORUN;
	/* DAPABORT: every access completes synchronously, nothing to abort. */
}

/*
 * DP bank of addr 1: SELECT.DPBANKSEL on a DPv2 (sent by clients of
 * version 48 or later); a DPv1 has CTRL/STAT only.
 */
static unsigned int dap_dp_bank(const struct sim_dap *dap)
{
	if (DPIDR_VERSION(dap->cfg.dpidr) < 2)
		return DP_BANK_CTRL_STAT;
	return SELECT_DPBANKSEL(dap->select);
}

static uint32_t dap_dp_read(struct sim_dap *dap, unsigned int addr)
{
	switch (addr) {
	case DP_ADDR_DPIDR_ABORT:
		return dap->cfg.dpidr;
	case DP_ADDR_CTRL_STAT:
		switch (dap_dp_bank(dap)) {
		case DP_BANK_CTRL_STAT:
			return dap_ctrl_stat_read(dap);
		case DP_BANK_DLCR:
			return dap->dlcr;
		case DP_BANK_DLPIDR:
			return DLPIDR_VALUE;
		default:	/* TARGETID (not modelled), EVENTSTAT, reserved: 0 */
			return 0;
		}
	default:		/* RESEND and RDBUFF: the last AP read result */
		return dap->rdbuff;
	}
}

static void dap_dp_write(struct sim_dap *dap, unsigned int addr, uint32_t v)
{
	switch (addr) {
	case DP_ADDR_DPIDR_ABORT:
		dap_abort(dap, v);
		break;
	case DP_ADDR_CTRL_STAT:
		switch (dap_dp_bank(dap)) {
		case DP_BANK_CTRL_STAT:
			dap->ctrl_stat = (dap->ctrl_stat & ~CS_WRITABLE) | (v & CS_WRITABLE);
			break;
		case DP_BANK_DLCR:
			dap->dlcr = (dap->dlcr & ~DLCR_WRITABLE) | (v & DLCR_WRITABLE);
			break;
		default:	/* the other banks are read-only */
			break;
		}
		break;
	case DP_ADDR_RESEND_SELECT:
		dap->select = v;
		break;
	default:		/* TARGETSEL: never sent over vdebug, ignored */
		break;
	}
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

uint32_t sim_dap_execute(struct sim_dap *dap, const uint8_t *req, size_t req_len,
			 unsigned int count, uint8_t *rdata, size_t rdata_cap,
			 size_t *rdata_len)
{
	size_t pos = 0, out = 0;
	unsigned int result_words = 0;
	bool failed = false;	/* malformed batch: stop decoding */
	bool faulted = false;	/* bus error: later AP accesses of this batch are skipped */

	dap->counters.batches++;
	dap->synced = !dap->sync;
	*rdata_len = 0;
	if (count == 0) {
		dap->counters.empty_batches++;
		return 0;
	}

	for (unsigned int i = 0; i < count; i++) {
		uint32_t hdr, addr, value = 0;
		unsigned int space, cmd;
		bool want;

		if (pos + 8 > req_len) {
			fprintf(stderr, "sim_dap: batch truncated: request %u of %u starts at byte "
				"%zu of %zu; the client's count and wbytes disagree\n",
				i + 1, count, pos, req_len);
			failed = true;
			break;
		}
		hdr = get_le32(req + pos);
		addr = get_le32(req + pos + 4) & 3;
		space = REQ_SPACE(hdr);
		cmd = REQ_CMD(hdr);
		pos += 8;
		dap->counters.transactions++;

		if (cmd == REQ_CMD_WRITE) {
			if (pos + 4 > req_len) {
				fprintf(stderr, "sim_dap: write request %u of %u lacks its data word\n",
					i + 1, count);
				failed = true;
				break;
			}
			value = get_le32(req + pos);
			pos += 4;
			if (space == REQ_SPACE_DP)
				dap_dp_write(dap, addr, value);
			else if (space == REQ_SPACE_AP)
				faulted = faulted || dap_ap_write(dap, addr, value) < 0;
			else if (space == REQ_SPACE_ABORT)
				dap_abort(dap, value);
			else
				fprintf(stderr, "sim_dap: write to unknown space %u ignored\n", space);
			continue;
		}
		if (cmd != REQ_CMD_READ) {
			fprintf(stderr, "sim_dap: request %u has cmd %u (neither read nor write); "
				"batch abandoned\n", i + 1, cmd);
			failed = true;
			break;
		}

		want = REQ_TLEN(hdr) != 0;
		if (space == REQ_SPACE_AP) {
			if (!faulted)
				faulted = dap_ap_read(dap, addr, &value) < 0;
			dap->rdbuff = value;
		} else if (space == REQ_SPACE_DP) {
			value = dap_dp_read(dap, addr);
		}
		if (want) {
			result_words++;
			if (out + 4 <= rdata_cap) {
				put_le32(rdata + out, value);
				out += 4;
			}
		}
	}

	*rdata_len = out;

	if ((failed || faulted) && result_words <= 1)
		return SIM_DAP_STATUS_FAULT;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* CoreSight ROM tables and component ID blocks (adiv5-dap.md section 8)  */

#define CS_BLOCK_SIZE		0x1000u
#define CS_OFF_DEVARCH		0xFBC
#define CS_OFF_DEVID		0xFC8
#define CS_OFF_DEVTYPE		0xFCC
#define CS_OFF_PIDR4		0xFD0
#define CS_OFF_PIDR0		0xFE0
#define CS_OFF_CIDR0		0xFF0

#define CIDR_ROM_TABLE		0xB105100Du	/* class 0x1 */
#define CIDR_CORESIGHT		0xB105900Du	/* class 0x9 */
#define CIDR_GENERIC_IP		0xB105E00Du	/* class 0xE */
#define PIDR4_ARM		0x04ull		/* JEP106 continuation 4 (ARM), one 4 KiB block */
#define MEMTYPE_SYSMEM		0x1u		/* ROM table MEMTYPE: system memory present */

/*
 * CoreSight DEVTYPE of the class-9 trace components (major:sub from the
 * CoreSight architecture: 0x11 trace sink/port, 0x13 trace source/processor,
 * 0x14 debug control/trigger matrix).  Not observed on the real parts;
 * OpenOCD only prints it.
 */
#define DEVTYPE_TPIU		0x11u
#define DEVTYPE_ETM		0x13u
#define DEVTYPE_CTI		0x14u

struct cs_component_id {
	uint32_t base;		/* 4 KiB block address; 0 = not on this core */
	uint64_t pidr;		/* PIDR4:PIDR3:PIDR2:PIDR1:PIDR0, one byte each */
	uint32_t cidr;		/* CIDR3..0 as a word; bits 15:12 = component class */
	uint32_t devtype;	/* DEVTYPE (class 9) or MEMTYPE (ROM table) at 0xFCC */
	const uint32_t *table;	/* ROM table entries ending with 0, or NULL */
};

/* Processor ROM table of the Cortex-M7 (DDI 0489F table 9.1; CTI at STM32H7's 0xE0043000). */
static const uint32_t rom_m7_processor[] = {
	0x00001003,	/* PPB ROM table at 0xE00FF000 */
	0xFFF43003,	/* ETM at 0xE0041000 */
	0xFFF45003,	/* CTI at 0xE0043000 (STM32H7 placement; derived, see sheet) */
	0x1FF02002,	/* reserved, not present */
	0x00000000,
};

/* PPB ROM table of the Cortex-M7 (DDI 0489F table 9.3). */
static const uint32_t rom_m7_ppb[] = {
	0xFFF0F003,	/* SCS 0xE000E000 */
	0xFFF02003,	/* DWT 0xE0001000 */
	0xFFF03003,	/* FPB 0xE0002000 */
	0xFFF01003,	/* ITM 0xE0000000 */
	0xFFF41002,	/* TPIU: not inside the core */
	0xFFF42002,	/* ETM: listed in the processor table instead */
	0x00000000,
};

/* Cortex-M4 ROM table (DDI 0337I table 7.1 layout, TPIU and ETM present). */
static const uint32_t rom_m4[] = {
	0xFFF0F003, 0xFFF02003, 0xFFF03003, 0xFFF01003,
	0xFFF41003,	/* TPIU 0xE0040000 */
	0xFFF42003,	/* ETM 0xE0041000 */
	0x00000000,
};

/* Cortex-M3 ROM table as on STM32F103: TPIU present, no ETM. */
static const uint32_t rom_m3[] = {
	0xFFF0F003, 0xFFF02003, 0xFFF03003, 0xFFF01003,
	0xFFF41003,	/* TPIU 0xE0040000 */
	0xFFF42002,	/* ETM absent */
	0x00000000,
};

/* PIDR given as the 32-bit PIDR3..0 word J-Link prints, plus PIDR4 = 0x04. */
#define PIDR(w)		((PIDR4_ARM << 32) | (uint64_t)(w))

static const struct cs_component_id cs_ids[][SIM_CS_COUNT] = {
	[SIM_ROM_CORTEX_M7] = {	/* STM32H753 values (J-Link log) and DDI 0489F */
		[SIM_CS_ROM_PROCESSOR] = { 0xE00FE000, PIDR(0x000BB4C8), CIDR_ROM_TABLE,
					   MEMTYPE_SYSMEM, rom_m7_processor },
		[SIM_CS_ROM_PPB] = { 0xE00FF000, PIDR(0x000BB4C7), CIDR_ROM_TABLE,
				     MEMTYPE_SYSMEM, rom_m7_ppb },
		[SIM_CS_SCS] = { 0xE000E000, PIDR(0x000BB00C), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_DWT] = { 0xE0001000, PIDR(0x000BB002), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_FPB] = { 0xE0002000, PIDR(0x000BB00E), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_ITM] = { 0xE0000000, PIDR(0x000BB001), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_ETM] = { 0xE0041000, PIDR(0x001BB975), CIDR_CORESIGHT, DEVTYPE_ETM, NULL },
		[SIM_CS_CTI] = { 0xE0043000, PIDR(0x004BB906), CIDR_CORESIGHT, DEVTYPE_CTI, NULL },
	},
	[SIM_ROM_CORTEX_M4] = {	/* Cortex-M4 r0p1 values (nRF52 J-Link log) */
		[SIM_CS_ROM_PPB] = { 0xE00FF000, PIDR(0x000BB4C4), CIDR_ROM_TABLE,
				     MEMTYPE_SYSMEM, rom_m4 },
		[SIM_CS_SCS] = { 0xE000E000, PIDR(0x000BB00C), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_DWT] = { 0xE0001000, PIDR(0x003BB002), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_FPB] = { 0xE0002000, PIDR(0x002BB003), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_ITM] = { 0xE0000000, PIDR(0x003BB001), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_TPIU] = { 0xE0040000, PIDR(0x000BB9A1), CIDR_CORESIGHT, DEVTYPE_TPIU, NULL },
		[SIM_CS_ETM] = { 0xE0041000, PIDR(0x000BB925), CIDR_CORESIGHT, DEVTYPE_ETM, NULL },
	},
	[SIM_ROM_CORTEX_M3] = {	/* Cortex-M3 r1p1 values (STM32F103 J-Link log) */
		[SIM_CS_ROM_PPB] = { 0xE00FF000, PIDR(0x000BB4C3), CIDR_ROM_TABLE,
				     MEMTYPE_SYSMEM, rom_m3 },
		[SIM_CS_SCS] = { 0xE000E000, PIDR(0x001BB000), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_DWT] = { 0xE0001000, PIDR(0x001BB002), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_FPB] = { 0xE0002000, PIDR(0x000BB003), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_ITM] = { 0xE0000000, PIDR(0x001BB001), CIDR_GENERIC_IP, 0, NULL },
		[SIM_CS_TPIU] = { 0xE0040000, PIDR(0x001BB923), CIDR_CORESIGHT, DEVTYPE_TPIU, NULL },
	},
};

#define ROM_KIND_COUNT	(sizeof(cs_ids) / sizeof(cs_ids[0]))

static const struct cs_component_id *cs_lookup(enum sim_rom_kind kind, enum sim_cs_component c)
{
	if ((unsigned int)kind >= ROM_KIND_COUNT || (unsigned int)c >= SIM_CS_COUNT)
		return NULL;
	if (!cs_ids[kind][c].base)
		return NULL;
	return &cs_ids[kind][c];
}

uint32_t sim_coresight_base(enum sim_rom_kind kind, enum sim_cs_component c)
{
	const struct cs_component_id *id = cs_lookup(kind, c);

	return id ? id->base : 0;
}

static bool cs_id_word(const struct cs_component_id *id, uint32_t offset, uint32_t *value)
{
	switch (offset) {
	case CS_OFF_DEVARCH:
	case CS_OFF_DEVID:
		*value = 0;
		return true;
	case CS_OFF_DEVTYPE:
		*value = id->devtype;
		return true;
	case CS_OFF_PIDR4:
		*value = (id->pidr >> 32) & 0xFF;
		return true;
	case CS_OFF_PIDR4 + 4 ... CS_OFF_PIDR0 - 4:	/* PIDR5-7 */
		*value = 0;
		return true;
	case CS_OFF_PIDR0 ... CS_OFF_PIDR0 + 12:
		*value = (id->pidr >> (2 * (offset - CS_OFF_PIDR0))) & 0xFF;
		return true;
	case CS_OFF_CIDR0 ... CS_OFF_CIDR0 + 12:
		*value = (id->cidr >> (2 * (offset - CS_OFF_CIDR0))) & 0xFF;
		return true;
	default:
		return false;
	}
}

bool sim_coresight_id_read(enum sim_rom_kind kind, enum sim_cs_component c,
			   uint32_t offset, uint32_t *value)
{
	const struct cs_component_id *id = cs_lookup(kind, c);

	if (!id || (offset & 3))
		return false;
	return cs_id_word(id, offset, value);
}

/* ROM table or ID-only stub: read-only, every unlisted word reads 0. */
static int cs_device_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	const struct cs_component_id *id = opaque;
	uint32_t word_offset = offset & ~3u;
	uint32_t word = 0;

	if (!cs_id_word(id, word_offset, &word) && id->table) {
		/* Entries up to the terminating zero; everything after reads 0. */
		for (unsigned int i = 0; id->table[i]; i++)
			if (i * 4 == word_offset)
				word = id->table[i];
	}
	word >>= 8 * (offset & 3);
	*value = size >= 4 ? word : word & ((1u << (8 * size)) - 1);
	return 0;
}

static int cs_device_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	(void)opaque;
	(void)offset;
	(void)size;
	(void)value;
	return 0;	/* read-only registers: writes are ignored */
}

static const struct sim_device_ops cs_device_ops = {
	.read = cs_device_read,
	.write = cs_device_write,
};

static const char *const cs_device_names[SIM_CS_COUNT] = {
	[SIM_CS_ROM_PROCESSOR] = "coresight-rom-processor",
	[SIM_CS_ROM_PPB] = "coresight-rom-ppb",
	[SIM_CS_SCS] = "scs-id",
	[SIM_CS_DWT] = "dwt-id",
	[SIM_CS_FPB] = "fpb-id",
	[SIM_CS_ITM] = "itm-id",
	[SIM_CS_TPIU] = "tpiu-id",
	[SIM_CS_ETM] = "etm-id",
	[SIM_CS_CTI] = "cti-id",
};

unsigned int sim_rom_devices(enum sim_rom_kind kind, uint32_t stub_mask,
			     struct sim_device *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int c = 0; c < SIM_CS_COUNT && n < max; c++) {
		const struct cs_component_id *id = cs_lookup(kind, c);

		if (!id)
			continue;
		if (!id->table && !(stub_mask & SIM_CS_STUB(c)))
			continue;
		out[n++] = (struct sim_device) {
			.name = cs_device_names[c],
			.base = id->base,
			.size = CS_BLOCK_SIZE,
			.ops = &cs_device_ops,
			.opaque = (void *)id,
			.reset = NULL,
		};
	}
	return n;
}
