// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * STM32H7 QUADSPI model.  See periph_qspi.h for the timing model and the
 * memory-mapped window rules.
 *
 * Invariants:
 *  - the chips are selected exactly while state is QSPI_READING,
 *    QSPI_WRITING (a transfer is mid-way on the wire); every other state
 *    has CS high;
 *  - BUSY = state is READING, WRITING, POLLING, or READ_DONE with bytes
 *    left in the FIFO (READ_DONE with an empty FIFO becomes IDLE); MMAP
 *    reads BUSY=0 because bank accesses are not seen by the model;
 *  - the bus window exists exactly while state == QSPI_MMAP;
 *  - fifo_count <= SIM_QSPI_FIFO_SIZE.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "periph_qspi.h"
#include "sim_clock.h"

#define QSPI_SIZE	0x400u

#define QSPI_CR		0x00u
#define QSPI_DCR	0x04u
#define QSPI_SR		0x08u
#define QSPI_FCR	0x0Cu
#define QSPI_DLR	0x10u
#define QSPI_CCR	0x14u
#define QSPI_AR		0x18u
#define QSPI_ABR	0x1Cu
#define QSPI_DR		0x20u
#define QSPI_PSMKR	0x24u
#define QSPI_PSMAR	0x28u
#define QSPI_PIR	0x2Cu
#define QSPI_LPTR	0x30u

#define CR_EN		(1u << 0)
#define CR_ABORT	(1u << 1)
#define CR_SSHIFT	(1u << 4)
#define CR_DFM		(1u << 6)
#define CR_FSEL		(1u << 7)
#define CR_FTHRES(cr)	(((cr) >> 8) & 0x1Fu)
#define CR_APMS		(1u << 22)
#define CR_PMM		(1u << 23)
#define CR_PRESCALER	(0xFFu << 24)
/* 0x...4 DMAEN (reserved on H7) is kept as storage; bit 5 and 15:13, 21 reserved */
#define CR_WRITABLE	0xFFDF1FDDu

#define DCR_FSIZE(dcr)	(((dcr) >> 16) & 0x1Fu)
#define DCR_CSHT(dcr)	(((dcr) >> 8) & 0x7u)
#define CR_PRESCALER_OF(cr)	(((cr) >> 24) & 0xFFu)
#define DCR_WRITABLE	0x001F0701u

#define SR_TEF		(1u << 0)
#define SR_TCF		(1u << 1)
#define SR_FTF		(1u << 2)
#define SR_SMF		(1u << 3)
#define SR_TOF		(1u << 4)
#define SR_BUSY		(1u << 5)

#define CCR_INSTRUCTION(c)	((c) & 0xFFu)
#define CCR_IMODE(c)		(((c) >> 8) & 3u)
#define CCR_ADMODE(c)		(((c) >> 10) & 3u)
#define CCR_ADSIZE(c)		(((c) >> 12) & 3u)
#define CCR_ABMODE(c)		(((c) >> 14) & 3u)
#define CCR_ABSIZE(c)		(((c) >> 16) & 3u)
#define CCR_DCYC(c)		(((c) >> 18) & 0x1Fu)
#define CCR_DMODE(c)		(((c) >> 24) & 3u)
#define CCR_FMODE(c)		(((c) >> 26) & 3u)
#define CCR_SIOO		(1u << 28)
#define CCR_DDRM		(1u << 31)
#define CCR_WRITABLE		0xDF7FFFFFu	/* bit 23 reserved, bit 29 treated as reserved */

#define FMODE_WRITE	0u
#define FMODE_READ	1u
#define FMODE_POLL	2u
#define FMODE_MMAP	3u

#define MMAP_LINE	32u	/* bytes per prefetch transaction in the slow path */
#define MMAP_SAMPLES	8u
#define MMAP_SAMPLE_LEN	32u

enum qspi_state {
	QSPI_IDLE,		/* nothing on the wire */
	QSPI_READING,		/* indirect read in progress, CS low */
	QSPI_READ_DONE,		/* all bytes received, FIFO still holds some */
	QSPI_WRITING,		/* indirect write in progress, CS low */
	QSPI_POLLING,		/* automatic status polling */
	QSPI_MMAP,		/* memory-mapped mode, window on the bus */
};

struct sim_qspi {
	struct sim_qspi_config config;
	/* registers */
	uint32_t cr;		/* CR without ABORT (hardware clears it at once) */
	uint32_t dcr;		/* FSIZE, CSHT, CKMODE */
	uint32_t sr_flags;	/* TEF, TCF, SMF, TOF (FTF/BUSY/FLEVEL computed) */
	uint32_t dlr;		/* data length - 1 */
	uint32_t ccr;		/* communication configuration */
	uint32_t ar;		/* address */
	uint32_t abr;		/* alternate bytes */
	uint32_t psmkr;		/* polling mask */
	uint32_t psmar;		/* polling match */
	uint32_t pir;		/* polling interval (not timed) */
	uint32_t lptr;		/* timeout period (no effect on data) */
	/* FIFO */
	uint8_t fifo[SIM_QSPI_FIFO_SIZE];
	unsigned int fifo_head;		/* index of the oldest byte */
	unsigned int fifo_count;	/* FLEVEL */
	/* command state */
	enum qspi_state state;
	bool addr_written;	/* AR written since the last CCR write */
	uint64_t remaining;	/* data bytes still to move on the wire */
	uint64_t data_index;	/* data bytes already moved (BK1/BK2 parity in DFM) */
	bool poll_ftf;		/* FTF in polling mode: status read, DR not read yet */
	uint32_t poll_status;	/* last status read in polling mode (DR) */
	bool instruction_sent;	/* SIOO: instruction already sent in this mmap session */
	uint8_t *mmap_buffer;	/* slow-path window contents, NULL if unused */
	struct nor_chip *fitted[2];	/* the chips as created; config.chip[] NULL while unwired */
	/* dual-flash window: both dies interleaved, kept between entries */
	uint8_t *dual_cache;
	uint64_t dual_cache_size;
	uint64_t *dual_gen;	/* per die sector: both dies' programs + erases when built */
	uint32_t mmap_size;	/* size of the current window */
	bool ddr_warned;
	bool kernel_clock_stopped_logged;	/* the RCC's kernel clock read 0 */
	struct sim_qspi_phases phases;	/* a front-end's octal/DTR override */
	/* bus time (kernel_hz != 0), picoseconds of the clock source */
	uint64_t wire_ps;	/* when the last clocked byte ended / the data phase begins */
	uint64_t cs_high_ps;	/* when CS last rose */
	uint64_t byte_ps;	/* one FIFO byte of the current data phase */
	uint64_t mmap_wire_ps;	/* memory-mapped: when the last debugger read's bytes were in */
	uint32_t mmap_next;	/* offset a sequential read continues from (CS still low) */
	bool mmap_open;		/* a memory-mapped read command is running */
	/* the time of the register access in progress (see qspi_now()) */
	bool in_access;
	bool now_valid;
	uint64_t now_ps;
	struct sim_qspi_counters counters;
};

static void qspi_vlog(struct sim_qspi *qspi, bool misuse, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (misuse)
		qspi->counters.misuse++;
	if (qspi->config.log)
		qspi->config.log(qspi->config.log_ctx, msg);
	else
		fprintf(stderr, "qspi: %s\n", msg);
}

/* Misuse by software: logged and counted. */
static void qspi_log(struct sim_qspi *qspi, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	qspi_vlog(qspi, true, fmt, ap);
	va_end(ap);
}

/* Something that may or may not be misuse on silicon: logged only. */
static void qspi_note(struct sim_qspi *qspi, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	qspi_vlog(qspi, false, fmt, ap);
	va_end(ap);
}

static unsigned int qspi_lines(unsigned int mode)
{
	return mode == 3 ? 4 : mode;	/* 00 none, 01 one, 10 two, 11 four */
}

/*
 * How a phase's bytes go on the wire: the line count, ORed with
 * QSPI_WIRE_DTR for double transfer rate.  The CCR's 2-bit code decides,
 * unless a front-end set phases (sim_qspi_set_phases), which then also
 * gives 8 lines and DTR.  0 = no such phase.
 */
#define QSPI_WIRE_DTR		0x100u
#define QSPI_WIRE_LINES(w)	((w) & 0xFFu)
#define QSPI_PHASE_INSTRUCTION	0u
#define QSPI_PHASE_ADDRESS	1u
#define QSPI_PHASE_ALTERNATE	2u
#define QSPI_PHASE_DATA		3u

static unsigned int qspi_wire(const struct sim_qspi *qspi, unsigned int phase, unsigned int mode)
{
	if (!mode)
		return 0;
	if (!qspi->phases.active)
		return qspi_lines(mode);
	return qspi->phases.lines[phase] | (qspi->phases.dtr[phase] ? QSPI_WIRE_DTR : 0);
}

/* Half SCK cycles one byte takes on that wire (DTR: two transfers per cycle). */
static unsigned int qspi_wire_half_cycles(unsigned int wire)
{
	unsigned int lines = QSPI_WIRE_LINES(wire);

	if (!lines)
		return 0;
	return (wire & QSPI_WIRE_DTR) ? 8u / lines : 16u / lines;
}

static uint8_t qspi_wire_transfer(struct nor_chip *chip, uint8_t byte, unsigned int wire)
{
	return nor_chip_transfer_dtr(chip, byte, QSPI_WIRE_LINES(wire), wire & QSPI_WIRE_DTR);
}

static uint64_t qspi_flash_size(const struct sim_qspi *qspi)
{
	return 1ull << (DCR_FSIZE(qspi->dcr) + 1);
}

static bool qspi_dual(const struct sim_qspi *qspi)
{
	return qspi->cr & CR_DFM;
}

/*
 * DLR as the controller uses it: in dual-flash mode DL[0] is forced to 1,
 * so every length is even, one half per chip (RM0433 QUADSPI_DLR).
 */
static uint32_t qspi_dlr(const struct sim_qspi *qspi)
{
	return qspi_dual(qspi) ? qspi->dlr | 1u : qspi->dlr;
}

/* Chips taking part in the current command: bit 0 = BK1, bit 1 = BK2. */
static unsigned int qspi_banks(const struct sim_qspi *qspi)
{
	if (qspi_dual(qspi))
		return 3;
	return (qspi->cr & CR_FSEL) ? 2 : 1;
}

static void qspi_select(struct sim_qspi *qspi, bool selected)
{
	unsigned int banks = qspi_banks(qspi);

	for (unsigned int i = 0; i < 2; i++)
		if ((banks & (1u << i)) && qspi->config.chip[i])
			nor_chip_select(qspi->config.chip[i], selected);
}

/* ---- bus time ---- */

static uint64_t qspi_clock_ps(struct sim_qspi *qspi)
{
	if (qspi->config.now_ps)
		return qspi->config.now_ps(qspi->config.clock_ctx);
	return sim_clock_ns() * 1000u;
}

/*
 * Now.  A register access reads the clock once: its parts (catching up
 * the wire, the access itself, draining again) happen at one instant, as
 * the few bus cycles of an AHB access do.  A stall or an idle wait inside
 * the access reads it again.  (Three to four clock reads an access were
 * most of the 150 ns a DR write cost the emulated core on the build host.)
 */
static uint64_t qspi_now(struct sim_qspi *qspi)
{
	if (!qspi->now_valid) {
		qspi->now_ps = qspi_clock_ps(qspi);
		qspi->now_valid = qspi->in_access;
	}
	return qspi->now_ps;
}

/* A register access begins (the clock is read once, at its first need)
 * or ends. */
static void qspi_access(struct sim_qspi *qspi, bool begins)
{
	qspi->in_access = begins;
	qspi->now_valid = false;
}

/* Stall the accessing bus master until t (the AHB access waits). */
static void qspi_wait_until(struct sim_qspi *qspi, uint64_t t)
{
	qspi->counters.stalls++;
	qspi->now_valid = false;
	if (qspi->config.wait_until_ps) {
		qspi->config.wait_until_ps(qspi->config.clock_ctx, t);
		return;
	}
	while (qspi_clock_ps(qspi) < t)
		;
}

static bool qspi_timed(const struct sim_qspi *qspi)
{
	return qspi->config.kernel_hz != 0;
}

/* The kernel clock now: the RCC's choice, else the configured one. */
static uint32_t qspi_kernel_hz(struct sim_qspi *qspi)
{
	uint32_t hz;

	if (!qspi->config.kernel_clock)
		return qspi->config.kernel_hz;
	hz = qspi->config.kernel_clock(qspi->config.kernel_clock_ctx);
	if (hz) {
		qspi->kernel_clock_stopped_logged = false;
		return hz;
	}
	if (!qspi->kernel_clock_stopped_logged) {
		qspi->kernel_clock_stopped_logged = true;
		qspi_log(qspi, "the kernel clock RCC selects for QUADSPI is not running (QSPISEL, PLL off, "
			 "or HSE, whose frequency the model does not know): timed at %u Hz instead",
			 qspi->config.kernel_hz);
	}
	return qspi->config.kernel_hz;
}

/* One SCK period in picoseconds. */
static uint64_t qspi_cycle_ps(struct sim_qspi *qspi)
{
	return 1000000000000ull * (CR_PRESCALER_OF(qspi->cr) + 1) / qspi_kernel_hz(qspi);
}

/* Bytes of the instruction phase: 1, or what a front-end set. */
static unsigned int qspi_instruction_bytes(const struct sim_qspi *qspi)
{
	return qspi->phases.active ? qspi->phases.instruction_bytes : 1u;
}

/* Half cycles of one data byte. */
static unsigned int qspi_data_half_cycles(const struct sim_qspi *qspi)
{
	return qspi_wire_half_cycles(qspi_wire(qspi, QSPI_PHASE_DATA, CCR_DMODE(qspi->ccr)));
}

/* Half cycles of the instruction, address, alternate and dummy phases. */
static uint64_t qspi_phase_half_cycles(const struct sim_qspi *qspi, bool send_instruction)
{
	uint32_t ccr = qspi->ccr;
	uint64_t half = 2u * CCR_DCYC(ccr);

	if (send_instruction)
		half += (uint64_t)qspi_instruction_bytes(qspi) *
			qspi_wire_half_cycles(qspi_wire(qspi, QSPI_PHASE_INSTRUCTION, CCR_IMODE(ccr)));
	half += (uint64_t)(CCR_ADSIZE(ccr) + 1) *
		qspi_wire_half_cycles(qspi_wire(qspi, QSPI_PHASE_ADDRESS, CCR_ADMODE(ccr)));
	half += (uint64_t)(CCR_ABSIZE(ccr) + 1) *
		qspi_wire_half_cycles(qspi_wire(qspi, QSPI_PHASE_ALTERNATE, CCR_ABMODE(ccr)));
	return half;
}

/*
 * A command starts: not before CS has been high for CSHT + 1 cycles; its
 * data phase begins after the instruction/address/alternate/dummy phases.
 */
static void qspi_time_begin(struct sim_qspi *qspi, bool send_instruction)
{
	uint64_t cycle, start, min_start;
	uint32_t sck_hz;

	if (!qspi_timed(qspi))
		return;
	cycle = qspi_cycle_ps(qspi);
	sck_hz = qspi_kernel_hz(qspi) / (CR_PRESCALER_OF(qspi->cr) + 1);
	for (unsigned int i = 0; i < 2; i++)
		if (qspi->config.chip[i])
			nor_chip_set_clock(qspi->config.chip[i], sck_hz);
	start = qspi_now(qspi);
	min_start = qspi->cs_high_ps + (DCR_CSHT(qspi->dcr) + 1) * cycle;
	if (qspi->cs_high_ps && start < min_start)
		start = min_start;
	qspi->wire_ps = start + qspi_phase_half_cycles(qspi, send_instruction) * cycle / 2;
	qspi->byte_ps = qspi_data_half_cycles(qspi) * cycle / 2;
	if (qspi_dual(qspi))
		qspi->byte_ps /= 2;
	qspi->counters.wire_ps += qspi->wire_ps - start;
}

/* True when the next data byte's time has come (always, untimed). */
static bool qspi_byte_due(struct sim_qspi *qspi, uint64_t now)
{
	return !qspi_timed(qspi) || qspi->wire_ps + qspi->byte_ps <= now;
}

static void qspi_byte_clocked(struct sim_qspi *qspi)
{
	qspi->wire_ps += qspi->byte_ps;
	qspi->counters.wire_ps += qspi->byte_ps;
}

/* One byte to every selected chip (instruction/address/alternate phases). */
static void qspi_send_common(struct sim_qspi *qspi, uint8_t byte, unsigned int wire)
{
	unsigned int banks = qspi_banks(qspi);

	for (unsigned int i = 0; i < 2; i++)
		if ((banks & (1u << i)) && qspi->config.chip[i])
			(void)qspi_wire_transfer(qspi->config.chip[i], byte, wire);
}

/* One data byte: to BK1/BK2 alternately in dual mode, else to the selected chip. */
static uint8_t qspi_data_byte(struct sim_qspi *qspi, uint8_t tx, unsigned int wire)
{
	unsigned int bank;
	struct nor_chip *chip;

	if (qspi_dual(qspi))
		bank = (unsigned int)(qspi->data_index & 1u);
	else
		bank = (qspi->cr & CR_FSEL) ? 1 : 0;
	qspi->data_index++;
	chip = qspi->config.chip[bank];
	if (!chip)
		return 0xFF;	/* no chip: IO lines float high */
	return qspi_wire_transfer(chip, tx, wire);
}

/*
 * CS low, then instruction, address, alternate bytes and dummy cycles of
 * the CCR command at `address` (before the dual-mode halving).
 */
static void qspi_begin(struct sim_qspi *qspi, uint32_t address, bool send_instruction)
{
	uint32_t ccr = qspi->ccr;

	if ((ccr & CCR_DDRM) && !qspi->phases.active && !qspi->ddr_warned) {
		qspi->ddr_warned = true;
		qspi_log(qspi, "DDR mode (CCR.DDRM) is transferred as SDR by this model");
	}
	qspi_time_begin(qspi, CCR_IMODE(ccr) && send_instruction);
	for (unsigned int i = 0; i < 2; i++)
		if (qspi->config.chip[i])
			nor_chip_set_dqs(qspi->config.chip[i],
					 qspi->phases.active && qspi->phases.dqs);
	qspi_select(qspi, true);
	if (CCR_IMODE(ccr) && send_instruction && qspi->phases.active) {
		/* a 1..4-byte instruction, most significant byte first */
		for (unsigned int i = qspi->phases.instruction_bytes; i > 0; i--)
			qspi_send_common(qspi, (uint8_t)(qspi->phases.instruction >> ((i - 1) * 8)),
					 qspi_wire(qspi, QSPI_PHASE_INSTRUCTION, CCR_IMODE(ccr)));
	} else if (CCR_IMODE(ccr) && send_instruction) {
		qspi_send_common(qspi, CCR_INSTRUCTION(ccr), qspi_lines(CCR_IMODE(ccr)));
	}
	if (CCR_ADMODE(ccr)) {
		unsigned int bytes = CCR_ADSIZE(ccr) + 1;
		uint32_t chip_address = qspi_dual(qspi) ? address >> 1 : address;

		for (unsigned int i = bytes; i > 0; i--)
			qspi_send_common(qspi, (uint8_t)(chip_address >> ((i - 1) * 8)),
					 qspi_wire(qspi, QSPI_PHASE_ADDRESS, CCR_ADMODE(ccr)));
	}
	if (CCR_ABMODE(ccr)) {
		unsigned int bytes = CCR_ABSIZE(ccr) + 1;

		for (unsigned int i = bytes; i > 0; i--)
			qspi_send_common(qspi, (uint8_t)(qspi->abr >> ((i - 1) * 8)),
					 qspi_wire(qspi, QSPI_PHASE_ALTERNATE, CCR_ABMODE(ccr)));
	}
	if (CCR_DCYC(ccr)) {
		unsigned int banks = qspi_banks(qspi);

		for (unsigned int i = 0; i < 2; i++)
			if ((banks & (1u << i)) && qspi->config.chip[i])
				nor_chip_dummy(qspi->config.chip[i], CCR_DCYC(ccr));
	}
	qspi->data_index = 0;
}

static void qspi_fifo_push(struct sim_qspi *qspi, uint8_t byte)
{
	qspi->fifo[(qspi->fifo_head + qspi->fifo_count) % SIM_QSPI_FIFO_SIZE] = byte;
	qspi->fifo_count++;
}

static uint8_t qspi_fifo_pop(struct sim_qspi *qspi)
{
	uint8_t byte = qspi->fifo[qspi->fifo_head];

	qspi->fifo_head = (qspi->fifo_head + 1) % SIM_QSPI_FIFO_SIZE;
	qspi->fifo_count--;
	return byte;
}

static void qspi_fifo_flush(struct sim_qspi *qspi)
{
	qspi->fifo_head = 0;
	qspi->fifo_count = 0;
}

/* ---- memory-mapped window ---- */

static void qspi_window_remove(struct sim_qspi *qspi)
{
	if (qspi->config.bus)
		sim_bus_set_window(qspi->config.bus, SIM_QSPI_WINDOW_NAME, qspi->config.mmap_base,
				   0, NULL);
	free(qspi->mmap_buffer);
	qspi->mmap_buffer = NULL;
	qspi->mmap_size = 0;
}

/* What the array holds at bank address `address` (dual: interleaved). */
static uint8_t qspi_array_byte(const struct sim_qspi *qspi, uint32_t address)
{
	unsigned int bank;
	uint32_t chip_address = address;

	if (qspi_dual(qspi)) {
		bank = address & 1u;
		chip_address = address >> 1;
	} else {
		bank = (qspi->cr & CR_FSEL) ? 1 : 0;
	}
	if (!qspi->config.chip[bank] || !qspi->config.array[bank] ||
	    chip_address >= nor_chip_size(qspi->config.chip[bank]))
		return 0xFF;
	return qspi->config.array[bank][chip_address];
}

/* One memory-mapped read transaction of `len` bytes at `address`. */
static void qspi_mmap_read(struct sim_qspi *qspi, uint32_t address, uint8_t *out, uint32_t len)
{
	bool instruction = !(qspi->ccr & CCR_SIOO) || !qspi->instruction_sent;

	qspi_begin(qspi, address, instruction);
	qspi->instruction_sent = true;
	/* dual mode, odd address: both dies start at address / 2, FLASH1's
	 * byte of that pair is clocked and dropped */
	if (qspi_dual(qspi) && (address & 1u) && CCR_DMODE(qspi->ccr))
		(void)qspi_data_byte(qspi, 0xFF, qspi_lines(CCR_DMODE(qspi->ccr)));
	for (uint32_t i = 0; i < len; i++)
		out[i] = CCR_DMODE(qspi->ccr) ?
			 qspi_data_byte(qspi, 0xFF,
					qspi_wire(qspi, QSPI_PHASE_DATA, CCR_DMODE(qspi->ccr))) : 0xFF;
	qspi_select(qspi, false);
}

/* Capacity behind the bank: one chip, or both in dual mode. */
static uint64_t qspi_capacity(const struct sim_qspi *qspi)
{
	uint64_t size = 0;

	if (qspi_dual(qspi)) {
		for (unsigned int i = 0; i < 2; i++)
			if (qspi->config.chip[i])
				size = 2ull * nor_chip_size(qspi->config.chip[i]);
	} else {
		struct nor_chip *chip = qspi->config.chip[(qspi->cr & CR_FSEL) ? 1 : 0];

		size = chip ? nor_chip_size(chip) : 0;
	}
	return size;
}

/*
 * First bank address >= from (below size, within 1 MiB of from) where the
 * array behind it is not 0xFF, else 0.  Dual-flash: the first such byte of
 * either die, as a bank address (die offset x 2, + 1 for FLASH2).
 */
static uint32_t qspi_find_data(const struct sim_qspi *qspi, uint64_t from, uint64_t size)
{
	unsigned int bank = (qspi->cr & CR_FSEL) ? 1 : 0;
	const uint8_t *array = qspi->config.array[bank];

	/* at every memory-mapped entry: no further than 1 MiB (an erased
	 * 64 MiB chip took 10 ms), eight bytes a step where aligned */
	if (size > from + 0x100000u)
		size = from + 0x100000u;
	if (qspi_dual(qspi)) {
		uint64_t best = 0;

		for (unsigned int i = 0; i < 2; i++) {
			const uint8_t *die = qspi->config.array[i];
			uint64_t die_size;

			if (!die || !qspi->config.chip[i])
				continue;
			die_size = nor_chip_size(qspi->config.chip[i]);
			/* the first a with 2a + i in [from, size) and die[a] not
			 * 0xFF; eight bytes a step where aligned, as below */
			uint64_t a = from > i ? (from - i + 1) / 2 : 0;
			uint64_t die_end = (size - i + 1) / 2;
			bool found = false;
			if (die_end > die_size)
				die_end = die_size;
			for (; a < die_end && (a & 7) && !found; a++)
				found = die[a] != 0xFF;
			for (; !found && a + 8 <= die_end; a += 8) {
				uint64_t w;
				memcpy(&w, die + a, 8);
				if (w != UINT64_MAX)
					break;
			}
			for (; !found && a < die_end; a++)
				found = die[a] != 0xFF;
			if (found && (!best || 2 * (a - 1) + i < best))
				best = 2 * (a - 1) + i;
		}
		return (uint32_t)best;
	}
	if (!array || !qspi->config.chip[bank])
		return 0;
	uint64_t a = from;
	for (; a < size && (a & 7); a++)
		if (array[a] != 0xFF)
			return (uint32_t)a;
	for (; a + 8 <= size; a += 8) {
		uint64_t w;
		memcpy(&w, array + a, 8);
		if (w != UINT64_MAX)
			break;
	}
	for (; a < size; a++)
		if (array[a] != 0xFF)
			return (uint32_t)a;
	return 0;
}

/*
 * Dual-flash window filled straight from the two dies' arrays, byte 2k
 * from FLASH1 and 2k+1 from FLASH2 (RM0433 dual-flash mode).  Only used
 * once the sampled reads through the chips returned exactly these bytes.
 */
/*
 * The dual-flash window's contents: the dies interleaved, byte 2k from die
 * 1 and 2k + 1 from die 2.  Kept from one memory-mapped entry to the next
 * and rebuilt only where a die's sector was programmed or erased since, as
 * the dies' per-sector counters tell: building 128 MiB at every entry cost
 * about 0.5 s, once per stub run.  With a die busy (an operation counted
 * but not yet applied) everything is built again at the next entry.
 */
static uint8_t *qspi_dual_interleave(struct sim_qspi *qspi, uint64_t size)
{
	const uint8_t *die1 = qspi->config.array[0];
	const uint8_t *die2 = qspi->config.array[1];
	const struct nor_sector_counters *c1 = nor_chip_sector_counters(qspi->config.chip[0]);
	const struct nor_sector_counters *c2 = nor_chip_sector_counters(qspi->config.chip[1]);
	uint64_t sectors = (size / 2 + NOR_SECTOR_SIZE - 1) / NOR_SECTOR_SIZE;
	bool busy = nor_chip_busy(qspi->config.chip[0]) || nor_chip_busy(qspi->config.chip[1]);

	if (qspi->dual_cache_size != size) {
		free(qspi->dual_cache);
		free(qspi->dual_gen);
		qspi->dual_cache = malloc(size);
		qspi->dual_gen = malloc(sectors * sizeof(*qspi->dual_gen));
		qspi->dual_cache_size = qspi->dual_cache && qspi->dual_gen ? size : 0;
		if (!qspi->dual_cache_size)
			return NULL;
		memset(qspi->dual_gen, 0xff, sectors * sizeof(*qspi->dual_gen));
	}
	for (uint64_t s = 0; s < sectors; s++) {
		uint64_t gen = busy || !c1 || !c2 ? UINT64_MAX : (uint64_t)c1[s].programs + c1[s].erases +
			       c2[s].programs + c2[s].erases;
		if (gen == qspi->dual_gen[s] && gen != UINT64_MAX)
			continue;
		qspi->dual_gen[s] = gen;
		uint64_t end = (s + 1) * NOR_SECTOR_SIZE;
		if (2 * end > size)
			end = size / 2;
		for (uint64_t k = s * NOR_SECTOR_SIZE; k < end; k++) {
			qspi->dual_cache[2 * k] = die1[k];
			qspi->dual_cache[2 * k + 1] = die2[k];
		}
	}
	return qspi->dual_cache;
}

/*
 * Bus time of a debugger read through the memory-mapped bank: a read that
 * continues the previous one (next address, CS still low) costs its bytes,
 * less what the prefetcher fetched into the 32-byte FIFO meanwhile; any
 * other read is a new command (CS high time, instruction, address,
 * alternate, dummy phases, then its bytes).  The reader stalls until then.
 */
static void qspi_mmap_read_cost(void *ctx, uint32_t offset, unsigned int len)
{
	struct sim_qspi *qspi = ctx;
	uint64_t cycle, byte, now, start, done;

	if (!qspi_timed(qspi) || qspi->state != QSPI_MMAP)
		return;
	cycle = qspi_cycle_ps(qspi);
	byte = qspi_data_half_cycles(qspi) * cycle / 2;
	if (qspi_dual(qspi))
		byte /= 2;
	now = qspi_now(qspi);
	if (qspi->mmap_open && offset == qspi->mmap_next) {
		start = qspi->mmap_wire_ps;
		if (now > start + SIM_QSPI_FIFO_SIZE * byte)
			start = now - SIM_QSPI_FIFO_SIZE * byte;	/* prefetched */
	} else {
		start = now;
		if (qspi->cs_high_ps && start < qspi->cs_high_ps + (DCR_CSHT(qspi->dcr) + 1) * cycle)
			start = qspi->cs_high_ps + (DCR_CSHT(qspi->dcr) + 1) * cycle;
		start += qspi_phase_half_cycles(qspi, !(qspi->ccr & CCR_SIOO)) * cycle / 2;
	}
	done = start + len * byte;
	qspi->counters.wire_ps += done > now ? done - now : 0;
	if (done > now)
		qspi_wait_until(qspi, done);
	qspi->mmap_open = true;
	qspi->mmap_wire_ps = done;
	qspi->mmap_next = offset + len;
	qspi->cs_high_ps = done;
}

static void qspi_window_timing(struct sim_qspi *qspi)
{
	sim_bus_set_window_read_cost(qspi->config.bus, SIM_QSPI_WINDOW_NAME,
				     qspi_mmap_read_cost, qspi);
}

static void qspi_mmap_enter(struct sim_qspi *qspi)
{
	uint64_t size = qspi_flash_size(qspi);
	uint64_t capacity = qspi_capacity(qspi);
	uint32_t samples[MMAP_SAMPLES];
	uint8_t got[MMAP_SAMPLE_LEN];
	uint32_t sample_len;
	unsigned int sampled = 0;
	bool all_ff = true;	/* every sampled byte read 0xFF */
	bool direct, dual_direct;
	unsigned int bank = (qspi->cr & CR_FSEL) ? 1 : 0;

	if (capacity && size > capacity)
		size = capacity;
	if (!capacity)
		size = qspi_flash_size(qspi) > 0x1000000u ? 0x1000000u : qspi_flash_size(qspi);
	if (size > 0x10000000u)
		size = 0x10000000u;	/* the bank is 256 MiB */
	qspi->state = QSPI_MMAP;
	qspi->instruction_sent = false;
	qspi->mmap_size = (uint32_t)size;
	qspi->counters.mmap_entries++;
	if (!CCR_DMODE(qspi->ccr))
		qspi_log(qspi, "memory-mapped mode with DMODE=00: reads return no data");
	for (unsigned int i = 0; i < 2; i++)
		if ((qspi_banks(qspi) & (1u << i)) && qspi->config.chip[i] &&
		    nor_chip_busy(qspi->config.chip[i]))
			qspi_log(qspi, "memory-mapped mode entered while the flash is busy");

	/* sample addresses: ends, middle, and where the array holds data */
	sample_len = size < MMAP_SAMPLE_LEN ? (uint32_t)size : MMAP_SAMPLE_LEN;
	samples[0] = 0;
	samples[1] = (uint32_t)(size - sample_len);
	samples[2] = (uint32_t)(size / 2);
	samples[3] = (uint32_t)(size / 2 - size / 64);
	samples[4] = (uint32_t)(size / 4 + 0x123u);
	samples[5] = (uint32_t)(size * 3 / 4 + size / 16 + 0x45u);
	samples[6] = qspi_find_data(qspi, 0, size);
	samples[7] = qspi_find_data(qspi, samples[6] + (uint32_t)(size / 8), size);
	direct = !qspi_dual(qspi) && qspi->config.chip[bank] && qspi->config.array[bank] &&
		 CCR_DMODE(qspi->ccr);
	/* dual-flash: both dies fitted, the same size, reading their arrays */
	dual_direct = qspi_dual(qspi) && CCR_DMODE(qspi->ccr) && qspi->config.chip[0] &&
		      qspi->config.chip[1] && qspi->config.array[0] && qspi->config.array[1] &&
		      nor_chip_size(qspi->config.chip[0]) == nor_chip_size(qspi->config.chip[1]) &&
		      !(size & 1u);
	for (unsigned int s = 0; s < MMAP_SAMPLES && (direct || dual_direct || all_ff); s++) {
		uint32_t at = samples[s] > size - sample_len ? (uint32_t)(size - sample_len) :
			      samples[s];

		qspi_mmap_read(qspi, at, got, sample_len);
		for (uint32_t i = 0; i < sample_len; i++) {
			if (got[i] != qspi_array_byte(qspi, at + i)) {
				direct = false;
				dual_direct = false;
			}
			if (got[i] != 0xFF)
				all_ff = false;
		}
		sampled = s + 1;
	}
	qspi->mmap_open = false;
	if (direct) {
		if (qspi->config.bus) {
			sim_bus_set_window(qspi->config.bus, SIM_QSPI_WINDOW_NAME,
					   qspi->config.mmap_base, (uint32_t)size,
					   qspi->config.array[bank]);
			qspi_window_timing(qspi);
		}
		return;
	}
	if (dual_direct) {
		uint8_t *window = qspi_dual_interleave(qspi, size);
		if (!window) {
			qspi_log(qspi, "out of memory for a %u-byte window; bank left unmapped",
				 (unsigned int)size);
			return;
		}
		if (qspi->config.bus) {
			sim_bus_set_window(qspi->config.bus, SIM_QSPI_WINDOW_NAME,
					   qspi->config.mmap_base, (uint32_t)size, window);
			qspi_window_timing(qspi);
		}
		return;
	}
	qspi->counters.mmap_slow++;
	if (!qspi_dual(qspi))
		qspi_log(qspi, "memory-mapped read command %02Xh (CCR 0x%08X) does not return the flash array as the chip is set up; the window shows what the chip returns",
			 CCR_INSTRUCTION(qspi->ccr), qspi->ccr);
	qspi->mmap_buffer = malloc(size);
	if (!qspi->mmap_buffer) {
		qspi_log(qspi, "out of memory for a %u-byte window; bank left unmapped",
			 (unsigned int)size);
		return;
	}
	if (all_ff && sampled == MMAP_SAMPLES) {
		/*
		 * Not one sample returned data, although the array holds some
		 * there: the chip ignores the command (e.g. EBh with QE=0).
		 * An ignored opcode is ignored at every address, so the whole
		 * window reads as the floating bus, without a transaction per
		 * line (and without one chip misuse message per line).
		 */
		memset(qspi->mmap_buffer, 0xFF, size);
	} else {
		for (uint64_t a = 0; a < size; a += MMAP_LINE)
			qspi_mmap_read(qspi, (uint32_t)a, qspi->mmap_buffer + a,
				       (uint32_t)(size - a < MMAP_LINE ? size - a : MMAP_LINE));
	}
	if (qspi->config.bus) {
		sim_bus_set_window(qspi->config.bus, SIM_QSPI_WINDOW_NAME, qspi->config.mmap_base,
				   (uint32_t)size, qspi->mmap_buffer);
		qspi_window_timing(qspi);
	}
}

/* Leave whatever is running: CS high, FIFO flushed, window removed. */
static void qspi_stop(struct sim_qspi *qspi)
{
	if (qspi->state == QSPI_READING || qspi->state == QSPI_WRITING)
		qspi_select(qspi, false);
	if (qspi->state == QSPI_MMAP)
		qspi_window_remove(qspi);
	qspi->state = QSPI_IDLE;
	qspi->remaining = 0;
	qspi->poll_ftf = false;
	qspi_fifo_flush(qspi);
}

/* ---- indirect and polling commands ---- */

static bool qspi_enabled(struct sim_qspi *qspi, const char *what)
{
	if (qspi->cr & CR_EN)
		return true;
	qspi_log(qspi, "%s while CR.EN=0: no command runs (set EN first)", what);
	return false;
}

/* Address range check; false (and TEF) if the command must not start. */
static bool qspi_check_range(struct sim_qspi *qspi, bool has_data)
{
	uint64_t size = qspi_flash_size(qspi);
	uint64_t length = (uint64_t)qspi_dlr(qspi) + 1;

	if (!CCR_ADMODE(qspi->ccr))
		return true;
	if (qspi->ar < size && (!has_data || qspi_dlr(qspi) == 0xFFFFFFFFu ||
				(uint64_t)qspi->ar + length <= size))
		return true;
	qspi->sr_flags |= SR_TEF;
	qspi->counters.transfer_errors++;
	qspi_log(qspi, "transfer error: address 0x%08X length %llu beyond FSIZE range 0x%llx (DCR.FSIZE=%u)",
		 qspi->ar, (unsigned long long)length, (unsigned long long)size,
		 DCR_FSIZE(qspi->dcr));
	return false;
}

/* Data length of an indirect command. */
static uint64_t qspi_length(const struct sim_qspi *qspi)
{
	if (qspi_dlr(qspi) != 0xFFFFFFFFu)
		return (uint64_t)qspi_dlr(qspi) + 1;
	/* "until the end of memory" */
	return qspi_flash_size(qspi) - (CCR_ADMODE(qspi->ccr) ? qspi->ar : 0);
}

static void qspi_complete(struct sim_qspi *qspi)
{
	qspi_select(qspi, false);
	qspi->sr_flags |= SR_TCF;
	qspi->cs_high_ps = qspi->wire_ps;
}

/* Clock received bytes into the FIFO while there is room and their time has come. */
static void qspi_read_fill(struct sim_qspi *qspi)
{
	unsigned int lines = qspi_wire(qspi, QSPI_PHASE_DATA, CCR_DMODE(qspi->ccr));
	uint64_t now;

	if (qspi->state != QSPI_READING)
		return;
	now = qspi_timed(qspi) ? qspi_now(qspi) : 0;
	while (qspi->remaining > 0 && qspi->fifo_count < SIM_QSPI_FIFO_SIZE &&
	       qspi_byte_due(qspi, now)) {
		qspi_fifo_push(qspi, qspi_data_byte(qspi, 0xFF, lines));
		qspi->remaining--;
		if (qspi_timed(qspi))
			qspi_byte_clocked(qspi);
	}
	/* FIFO full: the controller stops the clock until there is room */
	if (qspi_timed(qspi) && qspi->fifo_count == SIM_QSPI_FIFO_SIZE && qspi->wire_ps < now)
		qspi->wire_ps = now;
	if (qspi->remaining == 0 && (!qspi_timed(qspi) || qspi->wire_ps <= now)) {
		qspi_complete(qspi);
		qspi->state = qspi->fifo_count ? QSPI_READ_DONE : QSPI_IDLE;
	}
}

static void qspi_start_read(struct sim_qspi *qspi)
{
	if (!qspi_enabled(qspi, "indirect read trigger") || !qspi_check_range(qspi, true))
		return;
	qspi->counters.indirect_reads++;
	qspi_fifo_flush(qspi);
	qspi_begin(qspi, qspi->ar, true);
	qspi->remaining = CCR_DMODE(qspi->ccr) ? qspi_length(qspi) : 0;
	qspi->state = QSPI_READING;
	qspi_read_fill(qspi);
}

/* Send pushed bytes to the chip; finish after the last one. */
static void qspi_write_drain(struct sim_qspi *qspi)
{
	unsigned int lines = qspi_wire(qspi, QSPI_PHASE_DATA, CCR_DMODE(qspi->ccr));
	uint64_t now = qspi_timed(qspi) ? qspi_now(qspi) : 0;

	while (qspi->state == QSPI_WRITING && qspi->fifo_count > 0 && qspi->remaining > 0 &&
	       qspi_byte_due(qspi, now)) {
		(void)qspi_data_byte(qspi, qspi_fifo_pop(qspi), lines);
		qspi->remaining--;
		if (qspi_timed(qspi))
			qspi_byte_clocked(qspi);
	}
	/* FIFO empty with bytes to go: the clock waits for software */
	if (qspi_timed(qspi) && qspi->state == QSPI_WRITING && qspi->fifo_count == 0 &&
	    qspi->remaining > 0 && qspi->wire_ps < now)
		qspi->wire_ps = now;
	if (qspi->state == QSPI_WRITING && qspi->remaining == 0 &&
	    (!qspi_timed(qspi) || qspi->wire_ps <= now)) {
		if (qspi->fifo_count)
			qspi_log(qspi, "%u bytes pushed beyond DLR+1 are flushed", qspi->fifo_count);
		qspi_fifo_flush(qspi);
		qspi_complete(qspi);
		qspi->state = QSPI_IDLE;
	}
}

/* Indirect write: starts now if no data phase, else once data is pushed. */
static void qspi_try_start_write(struct sim_qspi *qspi)
{
	bool has_data = CCR_DMODE(qspi->ccr) != 0;

	if (qspi->state != QSPI_IDLE || CCR_FMODE(qspi->ccr) != FMODE_WRITE)
		return;
	if (CCR_ADMODE(qspi->ccr) && !qspi->addr_written)
		return;
	if (has_data && qspi->fifo_count == 0)
		return;
	if (!qspi_enabled(qspi, "indirect write trigger"))
		return;
	qspi->addr_written = false;	/* one command per trigger */
	if (!qspi_check_range(qspi, has_data)) {
		qspi_fifo_flush(qspi);
		return;
	}
	qspi->counters.indirect_writes++;
	qspi_begin(qspi, qspi->ar, true);
	if (!has_data && !qspi_timed(qspi)) {
		qspi_complete(qspi);
		return;
	}
	/* untimed, or the phases (and data) still to go on the wire */
	qspi->remaining = has_data ? qspi_length(qspi) : 0;
	qspi->state = QSPI_WRITING;
	qspi_write_drain(qspi);
}

/* One status read of the polling command; SMF / stop on a match. */
static void qspi_poll_once(struct sim_qspi *qspi)
{
	/* dual-flash: DL+1 is even, byte 2k from FLASH1, 2k+1 from FLASH2 */
	unsigned int bytes = (qspi_dlr(qspi) & 3u) + 1;
	unsigned int lines = qspi_wire(qspi, QSPI_PHASE_DATA, CCR_DMODE(qspi->ccr));
	uint32_t status = 0;
	uint32_t mask, diff;
	bool match;

	if (qspi->state != QSPI_POLLING)
		return;
	qspi_begin(qspi, qspi->ar, true);
	for (unsigned int i = 0; i < bytes; i++)
		status |= (uint32_t)(lines ? qspi_data_byte(qspi, 0xFF, lines) : 0xFF) << (8 * i);
	qspi_select(qspi, false);
	qspi->counters.polls++;
	qspi->poll_status = status;
	qspi->poll_ftf = true;

	mask = qspi->psmkr & (bytes == 4 ? 0xFFFFFFFFu : ((1u << (8 * bytes)) - 1));
	diff = (status ^ qspi->psmar) & mask;
	if (qspi->cr & CR_PMM)
		match = (~(status ^ qspi->psmar) & mask) != 0;	/* OR: any bit matches */
	else
		match = diff == 0;				/* AND: all bits match */
	if (!match)
		return;
	qspi->sr_flags |= SR_SMF;
	qspi->counters.poll_matches++;
	if (qspi->cr & CR_APMS)
		qspi->state = QSPI_IDLE;
}

static void qspi_start_poll(struct sim_qspi *qspi)
{
	if (!qspi_enabled(qspi, "status polling trigger") || !qspi_check_range(qspi, false))
		return;
	if (!CCR_DMODE(qspi->ccr))
		qspi_log(qspi, "status polling with DMODE=00 reads no status");
	if (qspi_dlr(qspi) > 3)
		qspi_log(qspi, "status polling with DLR=%u: at most 4 status bytes are compared",
			 qspi_dlr(qspi));
	qspi_fifo_flush(qspi);
	qspi->state = QSPI_POLLING;
	qspi_poll_once(qspi);
}

void sim_qspi_poll_step(struct sim_qspi *qspi)
{
	qspi_poll_once(qspi);
}

static bool qspi_busy(const struct sim_qspi *qspi)
{
	return qspi->state != QSPI_IDLE && qspi->state != QSPI_MMAP;
}

/* CCR written (while not busy): start whatever starts on a CCR write. */
static void qspi_ccr_written(struct sim_qspi *qspi)
{
	qspi->addr_written = false;
	switch (CCR_FMODE(qspi->ccr)) {
	case FMODE_WRITE:
		qspi_try_start_write(qspi);
		break;
	case FMODE_READ:
		if (!CCR_ADMODE(qspi->ccr))
			qspi_start_read(qspi);
		break;
	case FMODE_POLL:
		if (!CCR_ADMODE(qspi->ccr))
			qspi_start_poll(qspi);
		break;
	case FMODE_MMAP:
		if (qspi->cr & CR_EN)
			qspi_mmap_enter(qspi);
		break;
	}
}

void sim_qspi_set_ccr_idle(struct sim_qspi *qspi, uint32_t ccr)
{
	if (qspi_busy(qspi)) {
		qspi_log(qspi, "communication configuration changed while BUSY (0x%08X): ignored", ccr);
		return;
	}
	if (qspi->state == QSPI_MMAP)
		qspi_stop(qspi);
	qspi->ccr = ccr & CCR_WRITABLE;
	qspi->addr_written = false;
}

void sim_qspi_set_phases(struct sim_qspi *qspi, const struct sim_qspi_phases *phases)
{
	static const struct sim_qspi_phases none;

	if (qspi_busy(qspi)) {
		qspi_log(qspi, "phase configuration changed while BUSY: ignored");
		return;
	}
	qspi->phases = phases ? *phases : none;
	if (qspi->phases.active && (qspi->phases.instruction_bytes < 1 ||
				    qspi->phases.instruction_bytes > 4))
		qspi->phases.instruction_bytes = 1;
}

bool sim_qspi_busy(const struct sim_qspi *qspi)
{
	return qspi_busy(qspi);
}

static void qspi_ar_written(struct sim_qspi *qspi)
{
	qspi->addr_written = true;
	if (!CCR_ADMODE(qspi->ccr))
		return;
	switch (CCR_FMODE(qspi->ccr)) {
	case FMODE_WRITE:
		qspi_try_start_write(qspi);
		break;
	case FMODE_READ:
		qspi_start_read(qspi);
		break;
	case FMODE_POLL:
		qspi_start_poll(qspi);
		break;
	default:
		break;
	}
}

static void qspi_abort(struct sim_qspi *qspi)
{
	qspi->counters.aborts++;
	qspi_stop(qspi);
	qspi->addr_written = false;
	qspi->sr_flags |= SR_TCF;
}

static void qspi_write_cr(struct sim_qspi *qspi, uint32_t value)
{
	uint32_t locked = CR_DFM | CR_FSEL | CR_SSHIFT | CR_PRESCALER;
	bool was_enabled = qspi->cr & CR_EN;

	if (value & CR_ABORT)
		qspi_abort(qspi);
	value &= CR_WRITABLE;
	if (qspi_busy(qspi) && ((value ^ qspi->cr) & locked)) {
		qspi_log(qspi, "CR DFM/FSEL/SSHIFT/PRESCALER changed while BUSY: change ignored (abort first)");
		value = (value & ~locked) | (qspi->cr & locked);
	}
	qspi->cr = value;
	if (was_enabled && !(value & CR_EN)) {
		if (qspi->state == QSPI_READING || qspi->state == QSPI_WRITING)
			qspi_log(qspi, "CR.EN cleared during an indirect transfer: transfer stopped");
		qspi_stop(qspi);
	} else if (!was_enabled && (value & CR_EN) && qspi->state == QSPI_IDLE &&
		   CCR_FMODE(qspi->ccr) == FMODE_MMAP) {
		qspi_mmap_enter(qspi);
	}
}

/* ---- DR ---- */

static uint32_t qspi_read_dr(struct sim_qspi *qspi, unsigned int size)
{
	uint32_t value = 0;

	switch (qspi->state) {
	case QSPI_POLLING:
		qspi->poll_ftf = false;
		return qspi->poll_status;
	case QSPI_MMAP:
		return 0;
	default:
		break;
	}
	if (CCR_FMODE(qspi->ccr) == FMODE_POLL && qspi->state == QSPI_IDLE) {
		/* polling stopped (APMS): DR still holds the last status */
		qspi->poll_ftf = false;
		return qspi->poll_status;
	}
	for (unsigned int i = 0; i < size; i++) {
		qspi_read_fill(qspi);
		while (qspi->fifo_count == 0 && qspi->state == QSPI_READING && qspi->remaining) {
			qspi_wait_until(qspi, qspi->wire_ps + qspi->byte_ps);
			qspi_read_fill(qspi);
		}
		if (qspi->fifo_count == 0) {
			qspi_log(qspi, "DR read with an empty FIFO and no transfer running (reads 0)");
			break;
		}
		if (qspi_timed(qspi) && qspi->fifo_count == SIM_QSPI_FIFO_SIZE &&
		    qspi->state == QSPI_READING) {
			/* room again: the clock restarts now */
			uint64_t now = qspi_now(qspi);

			if (qspi->wire_ps < now)
				qspi->wire_ps = now;
		}
		value |= (uint32_t)qspi_fifo_pop(qspi) << (8 * i);
		qspi->counters.fifo_bytes_out++;
	}
	qspi_read_fill(qspi);
	if (qspi->state == QSPI_READ_DONE && qspi->fifo_count == 0)
		qspi->state = QSPI_IDLE;
	return value;
}

static void qspi_write_dr(struct sim_qspi *qspi, unsigned int size, uint32_t value)
{
	if (CCR_FMODE(qspi->ccr) != FMODE_WRITE) {
		qspi_log(qspi, "DR written in FMODE=%u (only indirect write takes data): ignored",
			 CCR_FMODE(qspi->ccr));
		return;
	}
	for (unsigned int i = 0; i < size; i++) {
		while (qspi->fifo_count == SIM_QSPI_FIFO_SIZE && qspi->state == QSPI_WRITING &&
		       qspi->remaining) {
			qspi_wait_until(qspi, qspi->wire_ps + qspi->byte_ps);
			qspi_write_drain(qspi);
		}
		if (qspi->fifo_count == SIM_QSPI_FIFO_SIZE) {
			qspi_log(qspi, "DR write with a full FIFO before the command started: byte lost");
			break;
		}
		if (qspi_timed(qspi) && qspi->fifo_count == 0 && qspi->state == QSPI_WRITING) {
			/* the wire waited for this byte */
			uint64_t now = qspi_now(qspi);

			if (qspi->wire_ps < now)
				qspi->wire_ps = now;
		}
		qspi_fifo_push(qspi, (uint8_t)(value >> (8 * i)));
		qspi->counters.fifo_bytes_in++;
	}
	/* the whole access lands in the FIFO first, so bytes beyond DL+1 are
	 * in it at TCF and get flushed, as on silicon */
	if (qspi->state == QSPI_WRITING)
		qspi_write_drain(qspi);
	else
		qspi_try_start_write(qspi);
}

/* ---- register access ---- */

/*
 * A status poll that did not match while chips are busy: nothing it reads
 * changes before the first busy chip finishes (a NOR chip's status bits
 * are frozen while it programs or erases), so the reader is told it may
 * idle until then.
 */
static void qspi_poll_idle(struct sim_qspi *qspi)
{
	uint64_t left = 0;

	if (!qspi->config.idle || qspi->state != QSPI_POLLING)
		return;
	for (unsigned int i = 0; i < 2; i++) {
		uint64_t chip_left = qspi->config.chip[i] ? nor_chip_busy_left_ns(qspi->config.chip[i]) : 0;
		if (chip_left && (!left || chip_left < left))
			left = chip_left;
	}
	if (left) {
		qspi->config.idle(qspi->config.idle_ctx, left);
		qspi->now_valid = false;
	}
}

static uint32_t qspi_read_sr(struct sim_qspi *qspi)
{
	uint32_t sr = qspi->sr_flags;
	unsigned int threshold = CR_FTHRES(qspi->cr) + 1;

	if (qspi->state == QSPI_POLLING) {
		qspi_poll_once(qspi);
		if (!(qspi->sr_flags & SR_SMF))
			qspi_poll_idle(qspi);
	}
	sr = qspi->sr_flags;
	if (qspi_busy(qspi))
		sr |= SR_BUSY;
	switch (qspi->state) {
	case QSPI_POLLING:
		if (qspi->poll_ftf)
			sr |= SR_FTF;
		break;
	case QSPI_MMAP:
		break;
	default:
		if (CCR_FMODE(qspi->ccr) == FMODE_WRITE) {
			if (SIM_QSPI_FIFO_SIZE - qspi->fifo_count >= threshold)
				sr |= SR_FTF;
		} else if (CCR_FMODE(qspi->ccr) == FMODE_READ) {
			if (qspi->fifo_count >= threshold ||
			    (qspi->fifo_count > 0 && qspi->state != QSPI_READING))
				sr |= SR_FTF;
		} else if (CCR_FMODE(qspi->ccr) == FMODE_POLL && qspi->poll_ftf) {
			sr |= SR_FTF;
		}
		break;
	}
	if (qspi->state != QSPI_MMAP && qspi->state != QSPI_POLLING)
		sr |= qspi->fifo_count << 8;
	return sr;
}

static uint32_t qspi_read_reg(struct sim_qspi *qspi, uint32_t offset, unsigned int size)
{
	switch (offset) {
	case QSPI_CR:
		return qspi->cr;
	case QSPI_DCR:
		return qspi->dcr;
	case QSPI_SR:
		return qspi_read_sr(qspi);
	case QSPI_DLR:
		return qspi->dlr;
	case QSPI_CCR:
		return qspi->ccr;
	case QSPI_AR:
		return qspi->ar;
	case QSPI_ABR:
		return qspi->abr;
	case QSPI_DR:
		return qspi_read_dr(qspi, size);
	case QSPI_PSMKR:
		return qspi->psmkr;
	case QSPI_PSMAR:
		return qspi->psmar;
	case QSPI_PIR:
		return qspi->pir;
	case QSPI_LPTR:
		return qspi->lptr;
	default:
		return 0;	/* FCR is write-only; reserved space reads 0 */
	}
}

static void qspi_write_reg(struct sim_qspi *qspi, uint32_t offset, unsigned int size,
			   uint32_t value)
{
	switch (offset) {
	case QSPI_CR:
		qspi_write_cr(qspi, value);
		break;
	case QSPI_DCR:
		if (qspi_busy(qspi)) {
			qspi_log(qspi, "DCR written while BUSY: ignored");
			break;
		}
		qspi->dcr = value & DCR_WRITABLE;
		if (qspi->state == QSPI_MMAP) {
			/* new FSIZE: the window changes size */
			qspi_stop(qspi);
			qspi_mmap_enter(qspi);
		}
		break;
	case QSPI_FCR:
		qspi->sr_flags &= ~(value & (SR_TEF | SR_TCF | SR_SMF | SR_TOF));
		break;
	case QSPI_DLR:
		if (qspi_busy(qspi)) {
			qspi_log(qspi, "DLR written while BUSY: ignored");
			break;
		}
		/* dual-flash mode forces DL[0] to 1 (RM0433 QUADSPI_DLR) */
		qspi->dlr = qspi_dual(qspi) ? value | 1u : value;
		break;
	case QSPI_CCR:
		if (qspi_busy(qspi)) {
			qspi_log(qspi, "CCR written while BUSY (0x%08X): ignored (abort or wait for BUSY=0)",
				 value);
			break;
		}
		if (qspi->state == QSPI_MMAP) {
			qspi_note(qspi, "CCR written in memory-mapped mode without ABORT: silicon ignores it if the bank was read since (BUSY=1); the model leaves memory-mapped mode");
			qspi_stop(qspi);
		}
		qspi->ccr = value & CCR_WRITABLE;
		qspi_ccr_written(qspi);
		break;
	case QSPI_AR:
		if (qspi_busy(qspi) || CCR_FMODE(qspi->ccr) == FMODE_MMAP) {
			if (qspi_busy(qspi))
				qspi_log(qspi, "AR written while BUSY: ignored");
			break;
		}
		/* dual-flash mode forces bit 0 to 0 (RM0433 QUADSPI_AR) */
		qspi->ar = qspi_dual(qspi) ? value & ~1u : value;
		qspi_ar_written(qspi);
		break;
	case QSPI_ABR:
		qspi->abr = value;
		break;
	case QSPI_DR:
		qspi_write_dr(qspi, size, value);
		break;
	case QSPI_PSMKR:
		if (qspi_busy(qspi))
			qspi_log(qspi, "PSMKR written while BUSY: ignored");
		else
			qspi->psmkr = value;
		break;
	case QSPI_PSMAR:
		if (qspi_busy(qspi))
			qspi_log(qspi, "PSMAR written while BUSY: ignored");
		else
			qspi->psmar = value;
		break;
	case QSPI_PIR:
		if (qspi_busy(qspi))
			qspi_log(qspi, "PIR written while BUSY: ignored");
		else
			qspi->pir = value & 0xFFFFu;
		break;
	case QSPI_LPTR:
		if (qspi_busy(qspi))
			qspi_log(qspi, "LPTR written while BUSY: ignored");
		else
			qspi->lptr = value & 0xFFFFu;
		break;
	default:
		break;
	}
}

/* Bring the wire up to now before software looks at or changes anything. */
static void qspi_advance(struct sim_qspi *qspi)
{
	if (!qspi_timed(qspi))
		return;
	qspi_read_fill(qspi);
	if (qspi->state == QSPI_READ_DONE && qspi->fifo_count == 0)
		qspi->state = QSPI_IDLE;
	qspi_write_drain(qspi);
}

static void qspi_read_access(struct sim_qspi *qspi, uint32_t offset, unsigned int size, uint32_t *value)
{
	uint32_t aligned = offset & ~3u;
	uint32_t word;

	qspi_advance(qspi);
	if (aligned == QSPI_DR) {
		if (offset & 3u)
			qspi_log(qspi, "DR read at lane %u: use the low lane (0x20)", offset & 3u);
		*value = qspi_read_dr(qspi, size);
		return;
	}
	word = qspi_read_reg(qspi, aligned, 4);
	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
}

static int qspi_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_qspi *qspi = opaque;

	if (!sim_clock_gate_on(&qspi->config.gate)) {
		*value = 0;
		return 0;
	}
	qspi_access(qspi, true);
	qspi_read_access(qspi, offset, size, value);
	qspi_access(qspi, false);
	return 0;
}

static void qspi_write_access(struct sim_qspi *qspi, uint32_t offset, unsigned int size, uint32_t value)
{
	uint32_t aligned = offset & ~3u;

	qspi_advance(qspi);
	if (aligned == QSPI_DR) {
		if (offset & 3u)
			qspi_log(qspi, "DR write at lane %u: use the low lane (0x20)", offset & 3u);
		if (size < 4)
			value &= (1u << (size * 8)) - 1;
		qspi_write_dr(qspi, size, value);
		return;
	}
	if (size != 4) {
		/* narrow write to a control register: merge into the word */
		uint32_t shift = (offset & 3u) * 8;
		uint32_t lane = ((1u << (size * 8)) - 1) << shift;
		uint32_t old = aligned == QSPI_FCR || aligned == QSPI_SR ? 0 :
			       qspi_read_reg(qspi, aligned, 4);

		value = (old & ~lane) | ((value << shift) & lane);
	}
	qspi_write_reg(qspi, aligned, 4, value);
}

static int qspi_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_qspi *qspi = opaque;

	if (!sim_clock_gate_on(&qspi->config.gate))
		return 0;
	qspi_access(qspi, true);
	qspi_write_access(qspi, offset, size, value);
	qspi_access(qspi, false);
	return 0;
}

void sim_qspi_reset(struct sim_qspi *qspi)
{
	qspi_stop(qspi);
	qspi->cr = 0;
	qspi->dcr = 0;
	qspi->sr_flags = 0;
	qspi->dlr = 0;
	qspi->ccr = 0;
	qspi->ar = 0;
	qspi->abr = 0;
	qspi->psmkr = 0;
	qspi->psmar = 0;
	qspi->pir = 0;
	qspi->lptr = 0;
	qspi->addr_written = false;
	qspi->poll_status = 0;
	qspi->instruction_sent = false;
}

static void qspi_reset_hook(void *opaque)
{
	sim_qspi_reset(opaque);
}

static const struct sim_device_ops qspi_ops = {
	.read = qspi_read,
	.write = qspi_write,
};

struct sim_qspi *sim_qspi_create(const struct sim_qspi_config *config)
{
	struct sim_qspi *qspi = calloc(1, sizeof(*qspi));

	if (!qspi)
		return NULL;
	qspi->config = *config;
	qspi->fitted[0] = config->chip[0];
	qspi->fitted[1] = config->chip[1];
	if (!qspi->config.base)
		qspi->config.base = SIM_QSPI_BASE;
	if (!qspi->config.mmap_base)
		qspi->config.mmap_base = SIM_QSPI_MMAP_BASE;
	qspi->state = QSPI_IDLE;
	return qspi;
}

void sim_qspi_destroy(struct sim_qspi *qspi)
{
	if (!qspi)
		return;
	if (qspi->state == QSPI_MMAP)
		qspi_window_remove(qspi);
	free(qspi->mmap_buffer);
	free(qspi->dual_cache);
	free(qspi->dual_gen);
	free(qspi);
}

struct sim_device sim_qspi_device(struct sim_qspi *qspi)
{
	struct sim_device dev = {
		.name = "quadspi",
		.base = qspi->config.base,
		.size = QSPI_SIZE,
		.ops = &qspi_ops,
		.opaque = qspi,
		.reset = qspi_reset_hook,
	};
	return dev;
}

void sim_qspi_connect(struct sim_qspi *qspi, unsigned int bank, bool connected)
{
	struct nor_chip *want = connected ? qspi->fitted[bank & 1] : NULL;

	if (qspi->config.chip[bank & 1] == want)
		return;
	if (qspi->state != QSPI_IDLE) {
		qspi_log(qspi, "I/O routing changed while a command or memory-mapped mode was running: stopped");
		qspi_stop(qspi);
	}
	qspi->config.chip[bank & 1] = want;
}

bool sim_qspi_mmap_active(const struct sim_qspi *qspi)
{
	return qspi->state == QSPI_MMAP;
}

const struct sim_qspi_counters *sim_qspi_counters(const struct sim_qspi *qspi)
{
	return &qspi->counters;
}
