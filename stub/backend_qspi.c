// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub backend: STM32 QUADSPI (F7/H7/L4 register layout).
 *
 * Indirect read/write for transactions, automatic status polling
 * (FMODE=10) for the busy bit, memory-mapped mode (FMODE=11) on request.
 *
 * Invariants:
 *  - init saves CR, DCR, CCR, AR, ABR, DLR, PSMKR, PSMAR, PIR and LPTR
 *    (memory-mapped mode included: it is left with ABORT, then a CCR that
 *    starts nothing is written before EN is set again, so that EN does not
 *    re-enter memory-mapped mode); restore writes them back, CCR last, so
 *    a controller found memory-mapped is memory-mapped again;
 *  - CCR is never written while BUSY=1, and a register write that would
 *    start a command (see stm32h7-quadspi.md 4.9) is only done on purpose;
 *  - every wait is bounded; a controller error (TEF) or a stuck flag leads
 *    to ABORT and SPIRAM_ERR_CONTROLLER / SPIRAM_ERR_TIMEOUT.
 */

#include "spiram_stub.h"

#define QSPI_CR		0x00
#define QSPI_DCR	0x04
#define QSPI_SR		0x08
#define QSPI_FCR	0x0c
#define QSPI_DLR	0x10
#define QSPI_CCR	0x14
#define QSPI_AR		0x18
#define QSPI_ABR	0x1c
#define QSPI_DR		0x20
#define QSPI_PSMKR	0x24
#define QSPI_PSMAR	0x28
#define QSPI_PIR	0x2c
#define QSPI_LPTR	0x30

#define QSPI_CR_EN		BIT(0)
#define QSPI_CR_ABORT		BIT(1)
#define QSPI_CR_TCEN		BIT(3)
#define QSPI_CR_SSHIFT		BIT(4)
#define QSPI_CR_DFM		BIT(6)
#define QSPI_CR_FSEL		BIT(7)
#define QSPI_CR_FTHRES_MASK	(0x1fu << 8)
#define QSPI_CR_IRQ_MASK	(0x1fu << 16)	/* TEIE TCIE FTIE SMIE TOIE */
#define QSPI_CR_APMS		BIT(22)
#define QSPI_CR_PMM		BIT(23)
#define QSPI_CR_PRESCALER_SHIFT	24
#define QSPI_CR_PRESCALER_MASK	(0xffu << 24)

#define QSPI_DCR_FSIZE_MASK	(0x1fu << 16)

#define QSPI_SR_TEF		BIT(0)
#define QSPI_SR_TCF		BIT(1)
#define QSPI_SR_BUSY		BIT(5)

#define QSPI_FCR_ALL		0x1bu	/* CTEF CTCF CSMF CTOF */
#define QSPI_FCR_CTCF		BIT(1)
#define QSPI_FCR_CSMF		BIT(3)

#define QSPI_CCR_IMODE_SHIFT	8
#define QSPI_CCR_ADMODE_SHIFT	10
#define QSPI_CCR_ADSIZE_SHIFT	12
#define QSPI_CCR_ABMODE_SHIFT	14
#define QSPI_CCR_DCYC_SHIFT	18
#define QSPI_CCR_DMODE_SHIFT	24
#define QSPI_CCR_FMODE_SHIFT	26
#define QSPI_CCR_FIELD(ccr, shift)	(((ccr) >> (shift)) & 3)

/* Indirect write (FMODE=00) with a data phase and no instruction or
 * address phase: writing it starts nothing until DR is written
 * (stm32h7-quadspi.md 4.9), and it leaves memory-mapped mode. */
#define QSPI_CCR_IDLE		BIT(QSPI_CCR_DMODE_SHIFT)

#define QSPI_FMODE_WRITE	0u
#define QSPI_FMODE_READ		1u
#define QSPI_FMODE_POLL		2u
#define QSPI_FMODE_MEMMAP	3u

/* Polling interval in CLK cycles between two automatic status reads. */
#define QSPI_POLL_INTERVAL	16u

static uint32_t qspi_reg(const struct spiram_ctx *ctx, uint32_t off)
{
	return spiram_read32(ctx->ctrl->regs + off);
}

static void qspi_set(const struct spiram_ctx *ctx, uint32_t off, uint32_t value)
{
	spiram_write32(ctx->ctrl->regs + off, value);
}

static const struct spiram_xspi_regs qspi_regs = {
	.cr = QSPI_CR, .sr = QSPI_SR, .fcr = QSPI_FCR, .dr = QSPI_DR, .write_stalls = 1,
};

static int qspi_wait_sr(const struct spiram_ctx *ctx, uint32_t mask, uint32_t want)
{
	return spiram_xspi_wait_sr(ctx, &qspi_regs, mask, want);
}

static int qspi_abort(const struct spiram_ctx *ctx)
{
	return spiram_xspi_abort(ctx, &qspi_regs);
}

static int qspi_init(struct spiram_ctx *ctx)
{
	struct spiram_qspi_saved *s = &ctx->saved.qspi;

	if (!ctx->ctrl->regs)
		return SPIRAM_ERR_NO_CONTROLLER;
	s->cr = qspi_reg(ctx, QSPI_CR);
	s->dcr = qspi_reg(ctx, QSPI_DCR);
	s->ccr = qspi_reg(ctx, QSPI_CCR);
	s->ar = qspi_reg(ctx, QSPI_AR);
	s->abr = qspi_reg(ctx, QSPI_ABR);
	s->dlr = qspi_reg(ctx, QSPI_DLR);
	s->psmkr = qspi_reg(ctx, QSPI_PSMKR);
	s->psmar = qspi_reg(ctx, QSPI_PSMAR);
	s->pir = qspi_reg(ctx, QSPI_PIR);
	s->lptr = qspi_reg(ctx, QSPI_LPTR);

	/* Found memory-mapped with 32-bit addresses and 3-byte opcodes: the
	 * chip is in 4-byte mode on purpose, leave it so. */
	ctx->keep_4b_mode = QSPI_CCR_FIELD(s->ccr, QSPI_CCR_FMODE_SHIFT) == QSPI_FMODE_MEMMAP
		&& QSPI_CCR_FIELD(s->ccr, QSPI_CCR_ADSIZE_SHIFT) == 3;

	int status = qspi_abort(ctx);
	if (status)
		return status;

	/* Keep clock and flash select; dual-flash (DFM), interrupts and the
	 * memory-mapped timeout are off while we work.  APMS (automatic
	 * polling stops at the match) only acts in polling mode: set once,
	 * so that a status wait does not write CR twice. */
	uint32_t cr = (s->cr & (QSPI_CR_PRESCALER_MASK | QSPI_CR_SSHIFT | QSPI_CR_FSEL)) | QSPI_CR_APMS;
	/* Dual-flash mode on request: both chips, bytes interleaved. */
	ctx->dual = ctx->ctrl->flags & SPIRAM_CTRL_F_DUAL_FLASH;
	if (ctx->dual)
		cr |= QSPI_CR_DFM;
	if (ctx->ctrl->prescaler)
		cr = (cr & ~QSPI_CR_PRESCALER_MASK) | (ctx->ctrl->prescaler - 1) << QSPI_CR_PRESCALER_SHIFT;
	qspi_set(ctx, QSPI_CR, cr);
	/* A CCR that starts nothing: with the saved FMODE=11 still there,
	 * setting EN would go memory-mapped again, and the next CCR write
	 * would be ignored by silicon once the bank has been read. */
	qspi_set(ctx, QSPI_CCR, QSPI_CCR_IDLE);
	qspi_set(ctx, QSPI_DCR, (s->dcr & ~QSPI_DCR_FSIZE_MASK) | spiram_xspi_size_field(ctx));
	qspi_set(ctx, QSPI_CR, cr | QSPI_CR_EN);
	return SPIRAM_OK;
}

/* Stop after an error: ABORT, and report the first cause. */
static int qspi_fail(const struct spiram_ctx *ctx, int status)
{
	qspi_abort(ctx);
	return status;
}

static int qspi_xfer(struct spiram_ctx *ctx, const struct spiram_xfer *x)
{
	int status = qspi_wait_sr(ctx, QSPI_SR_BUSY, 0);
	if (status)
		return qspi_fail(ctx, status);
	qspi_set(ctx, QSPI_FCR, QSPI_FCR_ALL);

	/* The format word is the CCR (FMODE 00 = write, 01 = read). */
	uint32_t ccr = x->fmt;
	if (!x->len)
		ccr &= ~(3u << XF_DATA_SHIFT);
	if (x->rx)
		ccr |= QSPI_FMODE_READ << QSPI_CCR_FMODE_SHIFT;
	if (x->len)
		qspi_set(ctx, QSPI_DLR, x->len - 1);
	if (XF_FIELD(ccr, XF_MODE_SHIFT))
		qspi_set(ctx, QSPI_ABR, x->mode_byte);
	qspi_set(ctx, QSPI_CCR, ccr);
	if (XF_FIELD(ccr, XF_ADDR_SHIFT))
		qspi_set(ctx, QSPI_AR, x->addr);

	status = spiram_fifo_move(ctx, &qspi_regs, x);
	if (status)
		return qspi_fail(ctx, status);
	/* TCF ends the command, TEF fails it: one status read a turn
	 * (before a page program, WREN's end is on the chip's idle time). */
	for (uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;; ) {
		uint32_t sr = qspi_reg(ctx, QSPI_SR);
		if ((sr & QSPI_SR_TEF) || !--spins)
			return qspi_fail(ctx, SPIRAM_ERR_CONTROLLER);
		if (sr & QSPI_SR_TCF)
			break;
	}
	qspi_set(ctx, QSPI_FCR, QSPI_FCR_CTCF);
	return SPIRAM_OK;
}

/*
 * Automatic status polling: the controller reads SR1 every
 * QSPI_POLL_INTERVAL clocks and stops at the first match (APMS, set by
 * qspi_init()); the wait
 * is spiram_xspi_poll_wait's.  In dual-flash mode the read is two bytes,
 * FLASH1's low, and the mask covers both (AND match: both ready).
 */
static int qspi_wait_ready(struct spiram_ctx *ctx, uint32_t mask)
{
	int status = qspi_wait_sr(ctx, QSPI_SR_BUSY, 0);
	if (status)
		return qspi_fail(ctx, status);
	qspi_set(ctx, QSPI_FCR, QSPI_FCR_ALL);

	qspi_set(ctx, QSPI_PSMKR, ctx->dual ? mask | mask << 8 : mask);
	qspi_set(ctx, QSPI_PSMAR, 0);
	qspi_set(ctx, QSPI_PIR, QSPI_POLL_INTERVAL);
	qspi_set(ctx, QSPI_DLR, ctx->dual);
	qspi_set(ctx, QSPI_CCR, XF_OP(0x05) | XF_CMD1 | XF_DATA(1) | QSPI_FMODE_POLL << QSPI_CCR_FMODE_SHIFT);

	status = spiram_xspi_poll_wait(ctx, &qspi_regs);
	if (status)
		return qspi_fail(ctx, status);
	qspi_set(ctx, QSPI_FCR, QSPI_FCR_CSMF | QSPI_FCR_CTCF);
	/* APMS stops the session; make sure before CCR is written again. */
	status = qspi_wait_sr(ctx, QSPI_SR_BUSY, 0);
	return status ? qspi_fail(ctx, status) : SPIRAM_OK;
}

/* Would writing this CCR value start a command?  (stm32h7-quadspi.md 4.9) */
static bool qspi_ccr_starts_command(uint32_t ccr)
{
	uint32_t fmode = QSPI_CCR_FIELD(ccr, QSPI_CCR_FMODE_SHIFT);
	if (fmode == QSPI_FMODE_MEMMAP || QSPI_CCR_FIELD(ccr, QSPI_CCR_ADMODE_SHIFT))
		return false;
	if (fmode == QSPI_FMODE_WRITE && QSPI_CCR_FIELD(ccr, QSPI_CCR_DMODE_SHIFT))
		return false;
	return true;
}

static void qspi_restore(struct spiram_ctx *ctx, enum spiram_restore_mode mode)
{
	const struct spiram_qspi_saved *s = &ctx->saved.qspi;

	qspi_abort(ctx);
	/* A CCR that starts nothing, so that AR can be written back. */
	qspi_set(ctx, QSPI_CCR, QSPI_CCR_IDLE);
	qspi_set(ctx, QSPI_AR, s->ar);
	qspi_set(ctx, QSPI_ABR, s->abr);
	qspi_set(ctx, QSPI_DLR, s->dlr);
	qspi_set(ctx, QSPI_PSMKR, s->psmkr);
	qspi_set(ctx, QSPI_PSMAR, s->psmar);
	qspi_set(ctx, QSPI_PIR, s->pir);
	qspi_set(ctx, QSPI_LPTR, s->lptr);
	qspi_set(ctx, QSPI_DCR, s->dcr);
	qspi_set(ctx, QSPI_CR, s->cr & ~QSPI_CR_ABORT);

	uint32_t ccr = s->ccr;
	if (mode == SPIRAM_RESTORE_INDIRECT)
		ccr &= ~(3u << QSPI_CCR_FMODE_SHIFT);	/* memory-mapped -> indirect write */
	/* A saved CCR that would start a command (e.g. the reset value 0) is
	 * left at the harmless value above. */
	if (!qspi_ccr_starts_command(ccr))
		qspi_set(ctx, QSPI_CCR, ccr);
}

static int qspi_memmap_enter(struct spiram_ctx *ctx)
{
	int status = qspi_wait_sr(ctx, QSPI_SR_BUSY, 0);
	if (status)
		return status;
	qspi_set(ctx, QSPI_CR, qspi_reg(ctx, QSPI_CR) | QSPI_CR_EN);
	qspi_set(ctx, QSPI_DCR, (qspi_reg(ctx, QSPI_DCR) & ~QSPI_DCR_FSIZE_MASK) | spiram_xspi_size_field(ctx));
	if (XF_FIELD(ctx->read_fmt, XF_MODE_SHIFT))
		qspi_set(ctx, QSPI_ABR, ctx->flash->read_mode_bits);
	qspi_set(ctx, QSPI_CCR, ctx->read_fmt | spiram_nor_read_opcode(ctx)
		 | QSPI_FMODE_MEMMAP << QSPI_CCR_FMODE_SHIFT);
	return SPIRAM_OK;
}

/* ABORT the memory-mapped read, then a CCR that starts nothing: the next
 * transaction's CCR write starts it in indirect mode. */
static int qspi_memmap_leave(struct spiram_ctx *ctx)
{
	int status = qspi_abort(ctx);
	qspi_set(ctx, QSPI_CCR, QSPI_CCR_IDLE);
	return status;
}

void spiram_backend_qspi(struct spiram_backend_ops *ops)
{
	ops->max_lines = 4;
	ops->init = qspi_init;
	ops->restore = qspi_restore;
	ops->xfer = qspi_xfer;
	ops->wait_ready = qspi_wait_ready;
	ops->memmap_enter = qspi_memmap_enter;
	ops->memmap_leave = qspi_memmap_leave;
}
