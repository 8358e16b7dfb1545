// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * STM32 OCTOSPI model: the OCTOSPI register layout in front of the QUADSPI
 * model's command engine.  See periph_ospi.h for what starts a command and
 * what is not modelled.
 *
 * Invariants:
 *  - the engine (a struct sim_qspi) holds DLR, AR, ABR, PSMKR, PSMAR, PIR,
 *    LPTR, the FIFO and the flags; this file holds the registers whose
 *    layout differs (CR, DCR1..4, CCR, TCR, IR and the wrap/write sets)
 *    and keeps the engine's CR, DCR and CCR equal to their QUADSPI
 *    translation, except that the engine's CCR is only rewritten (and so
 *    a command only started) where an OCTOSPI command starts;
 *  - mmap_pending is true only while CR.EN = 1 and CR.FMODE = 11 and the
 *    engine is not in memory-mapped mode.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "periph_ospi.h"

#define OSPI_SIZE	0x400u

/* OCTOSPI register offsets (reference sheet section 2.1, CMSIS OCTOSPI_TypeDef) */
#define OSPI_CR		0x000u
#define OSPI_DCR1	0x008u
#define OSPI_DCR2	0x00Cu
#define OSPI_DCR3	0x010u
#define OSPI_DCR4	0x014u
#define OSPI_SR		0x020u
#define OSPI_FCR	0x024u
#define OSPI_DLR	0x040u
#define OSPI_AR		0x048u
#define OSPI_DR		0x050u
#define OSPI_PSMKR	0x080u
#define OSPI_PSMAR	0x088u
#define OSPI_PIR	0x090u
#define OSPI_CCR	0x100u
#define OSPI_TCR	0x108u
#define OSPI_IR		0x110u
#define OSPI_ABR	0x120u
#define OSPI_LPTR	0x130u
#define OSPI_WPCCR	0x140u
#define OSPI_WPTCR	0x148u
#define OSPI_WPIR	0x150u
#define OSPI_WPABR	0x160u
#define OSPI_WCCR	0x180u
#define OSPI_WTCR	0x188u
#define OSPI_WIR	0x190u
#define OSPI_WABR	0x1A0u
#define OSPI_HLCR	0x200u
#define OSPI_MAGIC	0x3FCu

/* The engine's (QUADSPI) register offsets this file drives */
#define Q_CR		0x00u
#define Q_DCR		0x04u
#define Q_SR		0x08u
#define Q_FCR		0x0Cu
#define Q_DLR		0x10u
#define Q_CCR		0x14u
#define Q_AR		0x18u
#define Q_ABR		0x1Cu
#define Q_DR		0x20u
#define Q_PSMKR		0x24u
#define Q_PSMAR		0x28u
#define Q_PIR		0x2Cu
#define Q_LPTR		0x30u

/* CR: EN 0, ABORT 1, DMAEN 2, TCEN 3, DQM 6, FSEL 7, FTHRES 12:8, TEIE..TOIE
 * 20:16, APMS 22, PMM 23 sit where QUADSPI has them; FMODE 29:28 is new */
#define CR_EN		(1u << 0)
#define CR_ABORT	(1u << 1)
#define CR_SHARED	0x00DF1FCFu
#define CR_FMODE(cr)	(((cr) >> 28) & 3u)
#define CR_WRITABLE	(CR_SHARED | (3u << 28))

#define DCR1_WRITABLE	0x071F077Bu	/* CKMODE FRCK DLYBYP CKCSHT CSHT DEVSIZE MTYP */
#define DCR1_TO_QSPI	0x001F0701u	/* DEVSIZE = FSIZE, CSHT, CKMODE */
#define DCR1_MTYP(d)	(((d) >> 24) & 7u)
#define DCR2_WRITABLE	0x000700FFu	/* PRESCALER, WRAPSIZE */
#define DCR2_PRESCALER(d)	((d) & 0xFFu)
#define DCR3_WRITABLE	0x001F00FFu	/* MAXTRAN, CSBOUND */

#define CCR_WRITABLE	0xAF3F3F3Fu
#define CCR_IMODE(c)	((c) & 7u)
#define CCR_IDTR	(1u << 3)
#define CCR_ISIZE(c)	(((c) >> 4) & 3u)
#define CCR_ADMODE(c)	(((c) >> 8) & 7u)
#define CCR_ADDTR	(1u << 11)
#define CCR_ADSIZE(c)	(((c) >> 12) & 3u)
#define CCR_ABMODE(c)	(((c) >> 16) & 7u)
#define CCR_ABDTR	(1u << 19)
#define CCR_ABSIZE(c)	(((c) >> 20) & 3u)
#define CCR_DMODE(c)	(((c) >> 24) & 7u)
#define CCR_DDTR	(1u << 27)
#define CCR_DQSE	(1u << 29)
#define CCR_SIOO	(1u << 31)

#define TCR_WRITABLE	0x5000001Fu	/* DCYC, DHQC, SSHIFT */
#define TCR_DCYC(t)	((t) & 0x1Fu)
#define TCR_SSHIFT	(1u << 30)

#define FMODE_MMAP	3u

struct sim_ospi {
	struct sim_ospi_config config;
	struct sim_qspi *engine;	/* phases, FIFO, bus time, polling, window */
	struct sim_device engine_dev;	/* its register interface */
	uint32_t cr;		/* CR without ABORT */
	uint32_t dcr1;		/* device configuration: DEVSIZE, CSHT, MTYP, ... */
	uint32_t dcr2;		/* PRESCALER, WRAPSIZE */
	uint32_t dcr3;		/* MAXTRAN, CSBOUND (stored) */
	uint32_t dcr4;		/* REFRESH (stored) */
	uint32_t ccr;		/* line modes, sizes, DTR bits of each phase */
	uint32_t tcr;		/* DCYC dummy cycles, SSHIFT */
	uint32_t ir;		/* instruction (opcode) */
	uint32_t wrap[4];	/* WPCCR, WPTCR, WPIR, WPABR (stored) */
	uint32_t write[4];	/* WCCR, WTCR, WIR, WABR (stored) */
	uint32_t hlcr;		/* HyperBus latency (stored) */
	bool ir_since_start;	/* IR written since the last command started */
	bool mmap_pending;	/* FMODE = 11 selected, window not mapped yet */
	struct sim_qspi_phases phases;	/* lines, DTR, instruction size of engine_ccr()'s command */
	uint64_t misuse;	/* refusals of this front-end */
	struct sim_qspi_counters counters;	/* engine's plus misuse, for the caller */
};

static void ospi_emit(struct sim_ospi *ospi, const char *msg)
{
	if (ospi->config.log)
		ospi->config.log(ospi->config.log_ctx, msg);
	else
		fprintf(stderr, "ospi: %s\n", msg);
}

/* Misuse by software: logged and counted. */
static void ospi_log(struct sim_ospi *ospi, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ospi->misuse++;
	ospi_emit(ospi, msg);
}

/* The engine's messages come out under this controller's name. */
static void ospi_engine_log(void *ctx, const char *msg)
{
	ospi_emit(ctx, msg);
}

static uint32_t engine_read(struct sim_ospi *ospi, uint32_t offset, unsigned int size)
{
	uint32_t value = 0;

	(void)ospi->engine_dev.ops->read(ospi->engine_dev.opaque, offset, size, &value);
	return value;
}

static void engine_write(struct sim_ospi *ospi, uint32_t offset, unsigned int size,
			 uint32_t value)
{
	(void)ospi->engine_dev.ops->write(ospi->engine_dev.opaque, offset, size, value);
}

/* Commands the engine has started so far (to see whether a write started one). */
static uint64_t engine_starts(const struct sim_ospi *ospi)
{
	const struct sim_qspi_counters *c = sim_qspi_counters(ospi->engine);

	return c->indirect_writes + c->indirect_reads + c->polls + c->transfer_errors;
}

/* The engine's CR: the shared bits, SSHIFT from TCR, PRESCALER from DCR2. */
static uint32_t engine_cr(const struct sim_ospi *ospi, uint32_t cr)
{
	uint32_t value = cr & (CR_SHARED | CR_ABORT);

	if (ospi->tcr & TCR_SSHIFT)
		value |= 1u << 4;
	return value | DCR2_PRESCALER(ospi->dcr2) << 24;
}

/*
 * The engine's CCR for the current CCR/TCR/IR/CR: QUADSPI keeps the
 * 1/2/4-line codes 01/10/11 of OCTOSPI's 001/010/011, the sizes at the
 * same width, DCYC from TCR and FMODE from CR.  What the QUADSPI layout
 * cannot say goes into ospi->phases for the engine (sim_qspi_set_phases):
 * 8 lines (OCTOSPI 100, given to the engine as "4 lines" so that the
 * phase exists), per-phase DTR (IDTR, ADDTR, ABDTR, DDTR), the 1..4-byte
 * instruction (ISIZE) and DQS capture (DQSE).  DDTR on a phase-less data
 * field (the HAL sets it with DHQC) is harmless.  False (why in *reason)
 * for a reserved line code.
 */
static bool engine_ccr(struct sim_ospi *ospi, uint32_t *out, const char **reason)
{
	uint32_t c = ospi->ccr;
	unsigned int modes[4] = { CCR_IMODE(c), CCR_ADMODE(c), CCR_ABMODE(c), CCR_DMODE(c) };
	const uint32_t dtr_bits[4] = { CCR_IDTR, CCR_ADDTR, CCR_ABDTR, CCR_DDTR };
	struct sim_qspi_phases *ph = &ospi->phases;

	memset(ph, 0, sizeof(*ph));
	ph->active = true;
	for (unsigned int i = 0; i < 4; i++) {
		if (modes[i] > 4) {
			*reason = "reserved line mode (101..111)";
			return false;
		}
		ph->lines[i] = modes[i] == 4 ? 8 : modes[i] == 3 ? 4 : (uint8_t)modes[i];
		ph->dtr[i] = (c & dtr_bits[i]) != 0;
		if (modes[i] == 4)
			modes[i] = 3;
	}
	ph->instruction_bytes = (uint8_t)(CCR_ISIZE(c) + 1);
	ph->instruction = ospi->ir;
	ph->dqs = (c & CCR_DQSE) != 0;
	*out = (ospi->ir & 0xFFu) | modes[0] << 8 | modes[1] << 10 | CCR_ADSIZE(c) << 12 |
	       modes[2] << 14 | CCR_ABSIZE(c) << 16 | TCR_DCYC(ospi->tcr) << 18 |
	       modes[3] << 24 | CR_FMODE(ospi->cr) << 26 | ((c & CCR_SIOO) ? 1u << 28 : 0) |
	       ((c & (CCR_IDTR | CCR_ADDTR | CCR_ABDTR | CCR_DDTR)) ? 1u << 31 : 0);
	return true;
}

static bool ospi_mmap_selected(const struct sim_ospi *ospi)
{
	return (ospi->cr & CR_EN) && CR_FMODE(ospi->cr) == FMODE_MMAP;
}

/* Map the window with the read configuration as it stands now. */
static void ospi_mmap_enter(struct sim_ospi *ospi)
{
	const char *reason;
	uint32_t ccr;

	ospi->mmap_pending = false;
	if (!engine_ccr(ospi, &ccr, &reason)) {
		ospi_log(ospi, "memory-mapped read command (CCR 0x%08X IR 0x%08X) refused: %s; bank left unmapped",
			 ospi->ccr, ospi->ir, reason);
		return;
	}
	if (DCR1_MTYP(ospi->dcr1) > 1)
		ospi_log(ospi, "DCR1.MTYP=%u (HyperBus/RAM) is not modelled: read as a Micron-type SPI memory",
			 DCR1_MTYP(ospi->dcr1));
	/* leave the old session quietly, then the CCR write maps the new one */
	sim_qspi_set_ccr_idle(ospi->engine, ccr & ~(3u << 26));
	sim_qspi_set_phases(ospi->engine, &ospi->phases);
	engine_write(ospi, Q_CCR, 4, ccr);
}

static void ospi_resolve_pending(struct sim_ospi *ospi)
{
	if (ospi->mmap_pending)
		ospi_mmap_enter(ospi);
}

static void ospi_write_cr(struct sim_ospi *ospi, uint32_t value)
{
	uint32_t old = ospi->cr;

	ospi->cr = value & CR_WRITABLE;
	engine_write(ospi, Q_CR, 4, engine_cr(ospi, value));
	if (ospi_mmap_selected(ospi)) {
		if (ospi->ir_since_start)
			ospi_mmap_enter(ospi);
		else if (!sim_qspi_mmap_active(ospi->engine))
			ospi->mmap_pending = true;
		return;
	}
	ospi->mmap_pending = false;
	if (((old ^ ospi->cr) & (3u << 28)) || sim_qspi_mmap_active(ospi->engine)) {
		const char *reason;
		uint32_t ccr = 0;

		if (!engine_ccr(ospi, &ccr, &reason))
			ccr = CR_FMODE(ospi->cr) << 26;	/* the mode only; IR refuses later */
		if (!sim_qspi_busy(ospi->engine)) {
			sim_qspi_set_ccr_idle(ospi->engine, ccr);
			sim_qspi_set_phases(ospi->engine, &ospi->phases);
		}
	}
}

/* IR written: the command starts now (ADMODE = 000) or at the AR write. */
static void ospi_write_ir(struct sim_ospi *ospi, uint32_t value)
{
	const char *reason;
	uint64_t starts;
	uint32_t ccr;

	ospi->ir = value;
	ospi->ir_since_start = true;
	if (!(ospi->cr & CR_EN))
		return;		/* nothing starts while the controller is disabled */
	if (ospi_mmap_selected(ospi)) {
		ospi_mmap_enter(ospi);
		return;
	}
	if (!engine_ccr(ospi, &ccr, &reason)) {
		ospi_log(ospi, "command IR 0x%08X (CCR 0x%08X) refused: %s", value, ospi->ccr, reason);
		return;
	}
	starts = engine_starts(ospi);
	sim_qspi_set_phases(ospi->engine, &ospi->phases);
	engine_write(ospi, Q_CCR, 4, ccr);
	if (engine_starts(ospi) != starts)
		ospi->ir_since_start = false;
}

/* A write that may start the waiting command (AR, DR). */
static void ospi_write_trigger(struct sim_ospi *ospi, uint32_t offset, unsigned int size,
			       uint32_t value)
{
	uint64_t starts = engine_starts(ospi);

	engine_write(ospi, offset, size, value);
	if (engine_starts(ospi) != starts)
		ospi->ir_since_start = false;
}

static bool ospi_refuse_busy(struct sim_ospi *ospi, const char *reg, uint32_t value)
{
	if (!sim_qspi_busy(ospi->engine))
		return false;
	ospi_log(ospi, "%s written while BUSY (0x%08X): ignored (abort or wait for BUSY=0)",
		 reg, value);
	return true;
}

static uint32_t ospi_read_reg(struct sim_ospi *ospi, uint32_t offset)
{
	switch (offset) {
	case OSPI_CR:
		return ospi->cr;
	case OSPI_DCR1:
		return ospi->dcr1;
	case OSPI_DCR2:
		return ospi->dcr2;
	case OSPI_DCR3:
		return ospi->dcr3;
	case OSPI_DCR4:
		return ospi->dcr4;
	case OSPI_SR:
		return engine_read(ospi, Q_SR, 4);
	case OSPI_DLR:
		return engine_read(ospi, Q_DLR, 4);
	case OSPI_AR:
		return engine_read(ospi, Q_AR, 4);
	case OSPI_PSMKR:
		return engine_read(ospi, Q_PSMKR, 4);
	case OSPI_PSMAR:
		return engine_read(ospi, Q_PSMAR, 4);
	case OSPI_PIR:
		return engine_read(ospi, Q_PIR, 4);
	case OSPI_CCR:
		return ospi->ccr;
	case OSPI_TCR:
		return ospi->tcr;
	case OSPI_IR:
		return ospi->ir;
	case OSPI_ABR:
		return engine_read(ospi, Q_ABR, 4);
	case OSPI_LPTR:
		return engine_read(ospi, Q_LPTR, 4);
	case OSPI_WPCCR:
	case OSPI_WPTCR:
	case OSPI_WPIR:
	case OSPI_WPABR:
		return ospi->wrap[(offset - OSPI_WPCCR) / 8 - (offset == OSPI_WPABR)];
	case OSPI_WCCR:
	case OSPI_WTCR:
	case OSPI_WIR:
	case OSPI_WABR:
		return ospi->write[(offset - OSPI_WCCR) / 8 - (offset == OSPI_WABR)];
	case OSPI_HLCR:
		return ospi->hlcr;
	case OSPI_MAGIC:
		return SIM_OSPI_MAGIC_ID;
	default:
		return 0;	/* FCR is write-only; reserved space (0x01C too) reads 0 */
	}
}

static void ospi_write_reg(struct sim_ospi *ospi, uint32_t offset, uint32_t value)
{
	switch (offset) {
	case OSPI_CR:
		ospi_write_cr(ospi, value);
		break;
	case OSPI_DCR1:
		if (ospi_refuse_busy(ospi, "DCR1", value))
			break;
		ospi->dcr1 = value & DCR1_WRITABLE;
		engine_write(ospi, Q_DCR, 4, ospi->dcr1 & DCR1_TO_QSPI);
		break;
	case OSPI_DCR2:
		if (ospi_refuse_busy(ospi, "DCR2", value))
			break;
		ospi->dcr2 = value & DCR2_WRITABLE;
		engine_write(ospi, Q_CR, 4, engine_cr(ospi, ospi->cr));
		break;
	case OSPI_DCR3:
		ospi->dcr3 = value & DCR3_WRITABLE;
		break;
	case OSPI_DCR4:
		ospi->dcr4 = value;
		break;
	case OSPI_FCR:
		engine_write(ospi, Q_FCR, 4, value);
		break;
	case OSPI_DLR:
		engine_write(ospi, Q_DLR, 4, value);
		break;
	case OSPI_AR:
		/* no address phase: ignored (OpenOCD's loader writes AR = 0 after IR) */
		if (CCR_ADMODE(ospi->ccr) && !ospi_mmap_selected(ospi))
			ospi_write_trigger(ospi, Q_AR, 4, value);
		break;
	case OSPI_PSMKR:
		engine_write(ospi, Q_PSMKR, 4, value);
		break;
	case OSPI_PSMAR:
		engine_write(ospi, Q_PSMAR, 4, value);
		break;
	case OSPI_PIR:
		engine_write(ospi, Q_PIR, 4, value);
		break;
	case OSPI_CCR:
		if (ospi_refuse_busy(ospi, "CCR", value))
			break;
		ospi->ccr = value & CCR_WRITABLE;
		if (ospi_mmap_selected(ospi))
			ospi->mmap_pending = true;
		break;
	case OSPI_TCR:
		if (ospi_refuse_busy(ospi, "TCR", value))
			break;
		ospi->tcr = value & TCR_WRITABLE;
		engine_write(ospi, Q_CR, 4, engine_cr(ospi, ospi->cr));	/* SSHIFT */
		if (ospi_mmap_selected(ospi))
			ospi->mmap_pending = true;
		break;
	case OSPI_IR:
		if (ospi_refuse_busy(ospi, "IR", value))
			break;
		ospi_write_ir(ospi, value);
		break;
	case OSPI_ABR:
		engine_write(ospi, Q_ABR, 4, value);
		if (ospi_mmap_selected(ospi))
			ospi->mmap_pending = true;
		break;
	case OSPI_LPTR:
		engine_write(ospi, Q_LPTR, 4, value);
		break;
	case OSPI_WPCCR:
	case OSPI_WPTCR:
	case OSPI_WPIR:
	case OSPI_WPABR:
		ospi->wrap[(offset - OSPI_WPCCR) / 8 - (offset == OSPI_WPABR)] = value;
		break;
	case OSPI_WCCR:
	case OSPI_WTCR:
	case OSPI_WIR:
	case OSPI_WABR:
		ospi->write[(offset - OSPI_WCCR) / 8 - (offset == OSPI_WABR)] = value;
		break;
	case OSPI_HLCR:
		ospi->hlcr = value;
		break;
	default:
		break;	/* SR, magic ID and reserved space (0x01C too) ignore writes */
	}
}

/* Writes that only prepare the read configuration keep a mapping pending. */
static bool ospi_keeps_pending(uint32_t offset, bool write)
{
	return write && (offset == OSPI_CCR || offset == OSPI_TCR || offset == OSPI_ABR ||
			 offset == OSPI_IR);
}

static int ospi_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_ospi *ospi = opaque;
	uint32_t aligned = offset & ~3u;
	uint32_t word;

	if (!sim_clock_gate_on(&ospi->config.gate)) {
		*value = 0;
		return 0;
	}
	ospi_resolve_pending(ospi);
	if (aligned == OSPI_DR) {
		*value = engine_read(ospi, Q_DR + (offset & 3u), size);
		return 0;
	}
	word = ospi_read_reg(ospi, aligned);
	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return 0;
}

static int ospi_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_ospi *ospi = opaque;
	uint32_t aligned = offset & ~3u;

	if (!sim_clock_gate_on(&ospi->config.gate))
		return 0;
	if (!ospi_keeps_pending(aligned, true))
		ospi_resolve_pending(ospi);
	if (aligned == OSPI_DR) {
		if (size < 4)
			value &= (1u << (size * 8)) - 1;
		ospi_write_trigger(ospi, Q_DR + (offset & 3u), size, value);
		return 0;
	}
	if (size != 4) {
		/* narrow write to a control register: merge into the word */
		uint32_t shift = (offset & 3u) * 8;
		uint32_t lane = ((1u << (size * 8)) - 1) << shift;
		uint32_t old = aligned == OSPI_FCR || aligned == OSPI_SR ? 0 :
			       ospi_read_reg(ospi, aligned);

		value = (old & ~lane) | ((value << shift) & lane);
	}
	ospi_write_reg(ospi, aligned, value);
	return 0;
}

void sim_ospi_reset(struct sim_ospi *ospi)
{
	sim_qspi_reset(ospi->engine);
	ospi->cr = 0;
	ospi->dcr1 = 0;
	ospi->dcr2 = 0;
	ospi->dcr3 = 0;
	ospi->dcr4 = 0;
	ospi->ccr = 0;
	ospi->tcr = 0;
	ospi->ir = 0;
	memset(ospi->wrap, 0, sizeof(ospi->wrap));
	memset(ospi->write, 0, sizeof(ospi->write));
	ospi->hlcr = 0;
	ospi->ir_since_start = false;
	ospi->mmap_pending = false;
}

static void ospi_reset_hook(void *opaque)
{
	sim_ospi_reset(opaque);
}

static const struct sim_device_ops ospi_ops = {
	.read = ospi_read,
	.write = ospi_write,
};

struct sim_ospi *sim_ospi_create(const struct sim_ospi_config *config)
{
	struct sim_ospi *ospi = calloc(1, sizeof(*ospi));
	struct sim_qspi_config qc = { 0 };

	if (!ospi)
		return NULL;
	ospi->config = *config;
	if (!ospi->config.base)
		ospi->config.base = SIM_OSPI1_BASE;
	if (!ospi->config.mmap_base)
		ospi->config.mmap_base = SIM_OSPI1_MMAP_BASE;
	qc.base = ospi->config.base;
	qc.mmap_base = ospi->config.mmap_base;
	qc.bus = config->bus;
	qc.chip[0] = config->chip;
	qc.array[0] = config->array;
	/* no gate: this front-end gates every access before the engine sees it */
	qc.kernel_hz = config->kernel_hz;
	qc.kernel_clock = config->kernel_clock;
	qc.kernel_clock_ctx = config->kernel_clock_ctx;
	qc.now_ps = config->now_ps;
	qc.wait_until_ps = config->wait_until_ps;
	qc.clock_ctx = config->clock_ctx;
	qc.idle = config->idle;
	qc.idle_ctx = config->idle_ctx;
	qc.log = ospi_engine_log;
	qc.log_ctx = ospi;
	ospi->engine = sim_qspi_create(&qc);
	if (!ospi->engine) {
		free(ospi);
		return NULL;
	}
	ospi->engine_dev = sim_qspi_device(ospi->engine);
	return ospi;
}

void sim_ospi_destroy(struct sim_ospi *ospi)
{
	if (!ospi)
		return;
	sim_qspi_destroy(ospi->engine);
	free(ospi);
}

struct sim_device sim_ospi_device(struct sim_ospi *ospi)
{
	struct sim_device dev = {
		.name = "octospi1",
		.base = ospi->config.base,
		.size = OSPI_SIZE,
		.ops = &ospi_ops,
		.opaque = ospi,
		.reset = ospi_reset_hook,
	};
	return dev;
}

bool sim_ospi_mmap_active(const struct sim_ospi *ospi)
{
	return sim_qspi_mmap_active(ospi->engine);
}

const struct sim_qspi_counters *sim_ospi_counters(struct sim_ospi *ospi)
{
	ospi->counters = *sim_qspi_counters(ospi->engine);
	ospi->counters.misuse += ospi->misuse;
	return &ospi->counters;
}

/* ---- OCTOSPI I/O manager ------------------------------------------------ */

#define OSPIM_CR		0x00
#define OSPIM_P1CR		0x04
#define OSPIM_P2CR		0x08
#define OSPIM_P1CR_RESET	0x03010111u	/* UNVERIFIED, stm32-octospi.md 3 */
#define OSPIM_P2CR_RESET	0x07050333u
#define OSPIM_PCR_CLKEN		(1u << 0)
#define OSPIM_PCR_CLKSRC	(1u << 1)
#define OSPIM_PCR_NCSEN		(1u << 8)
#define OSPIM_PCR_NCSSRC	(1u << 9)
#define OSPIM_PCR_IOLEN		(1u << 16)
#define OSPIM_PCR_IOLSRC(v)	(((v) >> 17) & 3u)
#define OSPIM_PCR_IOHEN		(1u << 24)
#define OSPIM_PCR_IOHSRC(v)	(((v) >> 25) & 3u)

struct sim_ospim {
	struct sim_ospim_config config;
	uint32_t cr, pcr[2];
};

bool sim_ospim_routed(const struct sim_ospim *ospim)
{
	uint32_t p1 = ospim->pcr[0];
	/* IOxSRC: bit 1 the instance (0 = OCTOSPI1), bit 0 its high nibble */
	bool low = (p1 & OSPIM_PCR_CLKEN) && !(p1 & OSPIM_PCR_CLKSRC) && (p1 & OSPIM_PCR_NCSEN) &&
		   !(p1 & OSPIM_PCR_NCSSRC) && (p1 & OSPIM_PCR_IOLEN) && OSPIM_PCR_IOLSRC(p1) == 0;
	bool high = (p1 & OSPIM_PCR_IOHEN) && OSPIM_PCR_IOHSRC(p1) == 1;

	return low && (high || !ospim->config.octal);
}

static void ospim_apply(struct sim_ospim *ospim)
{
	if (ospim->config.ospi1)
		sim_qspi_connect(ospim->config.ospi1->engine, 0, sim_ospim_routed(ospim));
}

static int ospim_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_ospim *ospim = opaque;
	uint32_t word = 0;

	if (sim_clock_gate_on(&ospim->config.gate)) {
		switch (offset & ~3u) {
		case OSPIM_CR:
			word = ospim->cr;
			break;
		case OSPIM_P1CR:
			word = ospim->pcr[0];
			break;
		case OSPIM_P2CR:
			word = ospim->pcr[1];
			break;
		default:
			break;
		}
	}
	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return 0;
}

static int ospim_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_ospim *ospim = opaque;
	uint32_t *reg;

	if (!sim_clock_gate_on(&ospim->config.gate))
		return 0;
	switch (offset & ~3u) {
	case OSPIM_CR:
		reg = &ospim->cr;
		break;
	case OSPIM_P1CR:
		reg = &ospim->pcr[0];
		break;
	case OSPIM_P2CR:
		reg = &ospim->pcr[1];
		break;
	default:
		return 0;
	}
	if (size != 4) {
		uint32_t shift = (offset & 3u) * 8;
		uint32_t lane = ((1u << (size * 8)) - 1) << shift;

		value = (*reg & ~lane) | ((value << shift) & lane);
	}
	*reg = value;
	ospim_apply(ospim);
	return 0;
}

static void ospim_reset(void *opaque)
{
	struct sim_ospim *ospim = opaque;

	ospim->cr = 0;
	ospim->pcr[0] = OSPIM_P1CR_RESET;
	ospim->pcr[1] = OSPIM_P2CR_RESET;
	ospim_apply(ospim);
}

static const struct sim_device_ops ospim_ops = {
	.read = ospim_read,
	.write = ospim_write,
};

struct sim_ospim *sim_ospim_create(const struct sim_ospim_config *config)
{
	struct sim_ospim *ospim = calloc(1, sizeof(*ospim));

	if (!ospim)
		return NULL;
	ospim->config = *config;
	ospim_reset(ospim);
	return ospim;
}

void sim_ospim_destroy(struct sim_ospim *ospim)
{
	free(ospim);
}

struct sim_device sim_ospim_device(struct sim_ospim *ospim)
{
	struct sim_device dev = {
		.name = "octospim",
		.base = ospim->config.base,
		.size = 0x400,
		.ops = &ospim_ops,
		.opaque = ospim,
		.reset = ospim_reset,
	};
	return dev;
}
