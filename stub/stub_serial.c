// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub: transaction framing shared by the byte-serial backends
 * (SPI v1, GPIO bit-bang).  A transaction is chip select low, the opcode,
 * the address MSB first, the mode byte, dummy cycles as 0xFF bytes, the
 * data, chip select high.
 *
 * Invariants: single line only (the NOR layer keeps quad away from these
 * backends through ops.max_lines = 1); dummy cycles must be a multiple of
 * 8; chip select always rises again, also after a controller error.
 */

#include "spiram_stub.h"

int spiram_serial_xfer(struct spiram_ctx *ctx, const struct spiram_xfer *x)
{
	uint32_t fmt = x->fmt;
	uint32_t dummy = XF_DUMMY_OF(fmt);
	uint8_t header[9];
	uint32_t n = 0;

	if ((fmt & XF_MULTI_LINE_MASK) || (dummy & 7))
		return SPIRAM_ERR_BAD_PARAM;

	header[n++] = fmt;
	for (int i = xf_addr_bytes(fmt) - 1; i >= 0; i--)
		header[n++] = x->addr >> (8 * i);
	if (XF_FIELD(fmt, XF_MODE_SHIFT))
		header[n++] = x->mode_byte;
	for (dummy /= 8; dummy; dummy--)
		header[n++] = 0xff;

	int in = 0;
	ctx->ops.select(ctx, true);
	for (uint32_t i = 0; i < n && in >= 0; i++)
		in = ctx->ops.exchange(ctx, header[i]);
	const uint8_t *tx = x->tx;
	uint8_t *rx = x->rx;
	if (x->len && in >= 0 && ((tx && !rx && ctx->ops.send) || (!tx && rx && ctx->ops.recv))) {
		in = tx ? ctx->ops.send(ctx, tx, x->len) : ctx->ops.recv(ctx, rx, x->len);
		ctx->ops.select(ctx, false);
		return in < 0 ? SPIRAM_ERR_CONTROLLER : SPIRAM_OK;
	}
	for (uint32_t i = 0; i < x->len && in >= 0; i++) {
		in = ctx->ops.exchange(ctx, tx ? tx[i] : 0xff);
		if (rx)
			rx[i] = in;
	}
	ctx->ops.select(ctx, false);
	return in < 0 ? SPIRAM_ERR_CONTROLLER : SPIRAM_OK;
}
