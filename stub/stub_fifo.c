// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub: the data phase of an indirect transfer through the 32-byte
 * FIFO of an STM32 QUADSPI or OCTOSPI.  Both have the same SR bits (TEF
 * bit 0, FLEVEL 13:8) and the same FIFO behind DR (stm32-octospi.md
 * section 2.7), so the QUADSPI and OCTOSPI backends share this loop; only
 * the register addresses differ.
 *
 * Invariant: returns with every one of x->len bytes moved, or with
 * SPIRAM_ERR_CONTROLLER (TEF, or no FIFO progress for
 * SPIRAM_STUB_CTRL_SPIN_LIMIT SR reads); the caller aborts on an error.
 */

#include "spiram_stub.h"

#define FIFO_SR_TEF		(1u << 0)
#define FIFO_SR_FLEVEL(sr)	(((sr) >> 8) & 0x3f)
#define FIFO_SIZE		32u

int spiram_fifo_move(const struct spiram_ctx *ctx, uint32_t sr_addr, uint32_t dr_addr,
		     const struct spiram_xfer *x)
{
	/* The FIFO moves a word per DR access when 4 bytes (or 4 free
	 * places) are there, else a byte: one SR read serves every access
	 * its FLEVEL allows. */
	volatile uint8_t *dr = (volatile uint8_t *)dr_addr;
	uint8_t *rx = x->rx;
	const uint8_t *tx = x->tx;
	uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;
	(void)ctx;
	for (uint32_t left = x->len; left; ) {
		uint32_t sr = spiram_read32(sr_addr);
		uint32_t room = rx ? FIFO_SR_FLEVEL(sr) : FIFO_SIZE - FIFO_SR_FLEVEL(sr);
		if (sr & FIFO_SR_TEF)
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
