// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub: what the STM32 QUADSPI and OCTOSPI backends share.  Both
 * controllers have the same CR.EN/ABORT bits, the same SR and FCR bits
 * (TEF, TCF, FTF, SMF, BUSY, FLEVEL 13:8), the same 32-byte FIFO behind
 * DR, the same automatic polling and the size field at bits 20:16 of
 * DCR / DCR1 (stm32-octospi.md section 2.7); only the register offsets
 * differ, so each function takes them from struct spiram_xspi_regs.
 *
 * Invariants: every wait is bounded (SPIRAM_STUB_CTRL_SPIN_LIMIT SR reads
 * without progress, or the host's stop request); an error is returned,
 * never acted on: the caller aborts.
 */

#include "spiram_stub.h"

#define XSPI_CR_EN		BIT(0)
#define XSPI_CR_ABORT		BIT(1)
#define XSPI_SR_TEF		BIT(0)
#define XSPI_SR_FTF		BIT(2)
#define XSPI_SR_SMF		BIT(3)
#define XSPI_SR_BUSY		BIT(5)
#define XSPI_SR_FLEVEL(sr)	(((sr) >> 8) & 0x3f)
#define XSPI_FCR_ALL		0x1bu	/* CTEF CTCF CSMF CTOF */
#define XSPI_SIZE_SHIFT		16	/* QUADSPI DCR.FSIZE, OCTOSPI DCR1.DEVSIZE */
#define FIFO_SIZE		32u

int spiram_xspi_wait_sr(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r, uint32_t mask,
			uint32_t want)
{
	for (uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT; spins; spins--) {
		if ((spiram_read32(ctx->ctrl->regs + r->sr) & mask) == want)
			return SPIRAM_OK;
	}
	return SPIRAM_ERR_CONTROLLER;
}

int spiram_xspi_abort(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r)
{
	uint32_t cr = spiram_read32(ctx->ctrl->regs + r->cr);
	int status = SPIRAM_OK;

	if (cr & XSPI_CR_EN) {
		/* The abort is over when BUSY falls (ABORT clears itself). */
		spiram_write32(ctx->ctrl->regs + r->cr, cr | XSPI_CR_ABORT);
		status = spiram_xspi_wait_sr(ctx, r, XSPI_SR_BUSY, 0);
	}
	spiram_write32(ctx->ctrl->regs + r->fcr, XSPI_FCR_ALL);
	return status;
}

uint32_t spiram_xspi_size_field(const struct spiram_ctx *ctx)
{
	uint32_t size = ctx->flash->size;
	uint32_t field = 31;
	if (size >= 2 && !(size & (size - 1)))
		field = spiram_log2(size) - 1;
	return field << XSPI_SIZE_SHIFT;
}

/*
 * The wait of an automatic polling session (APMS) the caller started: each
 * status read sets FTF, cleared by reading DR.  The wait has no limit of
 * its own: it ends at the match, on a controller error, when the host asks
 * (spiram_host_stop(), after the chip's maximum time), or when no status
 * read comes for SPIRAM_STUB_CTRL_SPIN_LIMIT spins (the controller stopped
 * polling).
 */
int spiram_xspi_poll_wait(struct spiram_ctx *ctx, const struct spiram_xspi_regs *r)
{
	uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;
	for (;;) {
		uint32_t sr = spiram_read32(ctx->ctrl->regs + r->sr);
		if (sr & XSPI_SR_TEF)
			return SPIRAM_ERR_CONTROLLER;
		if (sr & XSPI_SR_SMF)
			return SPIRAM_OK;
		if (spiram_host_stop(ctx))
			return SPIRAM_ERR_TIMEOUT;
		if (sr & XSPI_SR_FTF) {
			(void)*(volatile uint8_t *)(ctx->ctrl->regs + r->dr);
			spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;
		} else if (!--spins) {
			return SPIRAM_ERR_CONTROLLER;
		}
	}
}

int spiram_fifo_move(const struct spiram_ctx *ctx, const struct spiram_xspi_regs *r,
		const struct spiram_xfer *x)
{
	uint32_t sr_addr = ctx->ctrl->regs + r->sr;
	uint32_t dr_addr = ctx->ctrl->regs + r->dr;
	/* The FIFO moves a word per DR access when 4 bytes (or 4 free
	 * places) are there, else a byte: one SR read serves every access
	 * its FLEVEL allows. */
	volatile uint8_t *dr = (volatile uint8_t *)dr_addr;
	uint8_t *rx = x->rx;
	const uint8_t *tx = x->tx;
	uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;
	/*
	 * A write on a controller whose DR waits for room: once the command
	 * runs (no TEF), the FIFO drains at the bus rate until DL + 1 bytes
	 * went out, so every word can go in at once; a status read between
	 * words only costs time (a page program's critical path: the chip is
	 * idle until its last byte).
	 */
	if (!rx && r->write_stalls && x->len >= 4 && tx && !((uint32_t)tx & 3)) {
		if (spiram_read32(sr_addr) & XSPI_SR_TEF)
			return SPIRAM_ERR_CONTROLLER;
		const uint32_t *w = (const uint32_t *)tx, *end = w + x->len / 4;
		while (w < end)
			spiram_write32(dr_addr, *w++);
		for (const uint8_t *b = (const uint8_t *)end; b < tx + x->len; b++)
			*dr = *b;
		return SPIRAM_OK;
	}
	for (uint32_t left = x->len; left; ) {
		uint32_t sr = spiram_read32(sr_addr);
		uint32_t room = rx ? XSPI_SR_FLEVEL(sr) : FIFO_SIZE - XSPI_SR_FLEVEL(sr);
		if (sr & XSPI_SR_TEF)
			return SPIRAM_ERR_CONTROLLER;
		if (!room) {
			if (!--spins)
				return SPIRAM_ERR_CONTROLLER;
			continue;
		}
		for (; room >= 4 && left >= 4; room -= 4, left -= 4) {
			if (rx) {
				uint32_t w = spiram_read32(dr_addr);
				if (!((uint32_t)rx & 3)) {
					*(uint32_t *)rx = w;
				} else {
					rx[0] = w;
					rx[1] = w >> 8;
					rx[2] = w >> 16;
					rx[3] = w >> 24;
				}
				rx += 4;
			} else {
				uint32_t w = 0xffffffffu;
				if (tx && !((uint32_t)tx & 3))
					w = *(const uint32_t *)tx;
				else if (tx)
					w = tx[0] | tx[1] << 8 | tx[2] << 16 | (uint32_t)tx[3] << 24;
				if (tx)
					tx += 4;
				spiram_write32(dr_addr, w);
			}
		}
		if (left && left < 4) {
			if (rx)
				*rx++ = *dr;
			else
				*dr = tx ? *tx++ : 0xff;
			left--;
		}
	}
	return SPIRAM_OK;
}
