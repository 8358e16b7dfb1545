// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub backend: STM32F1/F4 and GD32F30x "SPI v1" in master mode,
 * 8-bit frames, full duplex, SPI mode 0, software NSS, chip select on a
 * GPIO pin (ctrl.pins[SPIRAM_PIN_CS]).
 *
 * Invariants:
 *  - init saves CR1 and CR2; restore waits for BSY=0 and writes them back
 *    (SPE last), so the peripheral is left as found;
 *  - every byte of a command, address or read is one TXE -> DR write ->
 *    RXNE -> DR read exchange; data that is only sent (page program) is
 *    written whenever TXE=1 and what comes in is dropped, then, once BSY=0,
 *    DR and SR are read (the reference manual's sequence that clears RXNE
 *    and OVR); CS rises only after TXE=1 and BSY=0;
 *  - transactions are framed by stub_serial.c (single line, dummy cycles
 *    as 0xFF bytes).
 */

#include "spiram_stub.h"

#define SPI_CR1		0x00
#define SPI_CR2		0x04
#define SPI_SR		0x08
#define SPI_DR		0x0c

#define SPI_CR1_MSTR		BIT(2)
#define SPI_CR1_BR_SHIFT	3
#define SPI_CR1_BR_MASK		(7u << 3)
#define SPI_CR1_SPE		BIT(6)
#define SPI_CR1_SSI		BIT(8)
#define SPI_CR1_SSM		BIT(9)

#define SPI_SR_RXNE		BIT(0)
#define SPI_SR_TXE		BIT(1)
#define SPI_SR_BSY		BIT(7)

static void spi_pin_write(const struct spiram_pin *pin, bool high)
{
	if (high)
		spiram_write32(pin->set_reg, 1u << pin->bit);
	else
		spiram_write32(pin->clr_reg, 1u << (pin->bit + pin->clr_shift));
}

static bool spi_wait(const struct spiram_ctx *ctx, uint32_t mask, uint32_t want)
{
	for (uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT; spins; spins--) {
		if ((spiram_read32(ctx->ctrl->regs + SPI_SR) & mask) == want)
			return true;
	}
	return false;
}

/* One full-duplex byte: TXE, write DR, RXNE, read DR; -1 if stuck. */
static int spi_exchange(struct spiram_ctx *ctx, uint32_t tx)
{
	uint32_t dr = ctx->ctrl->regs + SPI_DR;
	if (!spi_wait(ctx, SPI_SR_TXE, SPI_SR_TXE))
		return -1;
	*(volatile uint8_t *)dr = tx;
	if (!spi_wait(ctx, SPI_SR_RXNE, SPI_SR_RXNE))
		return -1;
	return *(volatile uint8_t *)dr;
}

/* Data out only: DR whenever TXE; received frames dropped, OVR cleared. */
static int spi_send(struct spiram_ctx *ctx, const uint8_t *tx, uint32_t len)
{
	uint32_t regs = ctx->ctrl->regs;
	volatile uint8_t *dr = (volatile uint8_t *)(regs + SPI_DR);

	if (!len)
		return 0;
	for (uint32_t i = 0; i < len; i++) {
		if (!spi_wait(ctx, SPI_SR_TXE, SPI_SR_TXE))
			return -1;
		*dr = tx[i];
	}
	if (!spi_wait(ctx, SPI_SR_TXE, SPI_SR_TXE) || !spi_wait(ctx, SPI_SR_BSY, 0))
		return -1;
	(void)*dr;
	(void)spiram_read32(regs + SPI_SR);
	return 0;
}

/* Data in (0xFF out): one frame at a time, as spi_exchange, in one loop. */
static int spi_recv(struct spiram_ctx *ctx, uint8_t *rx, uint32_t len)
{
	uint32_t regs = ctx->ctrl->regs;
	volatile uint8_t *dr = (volatile uint8_t *)(regs + SPI_DR);

	for (uint32_t i = 0; i < len; i++) {
		uint32_t spins = SPIRAM_STUB_CTRL_SPIN_LIMIT;
		while (!(spiram_read32(regs + SPI_SR) & SPI_SR_TXE))
			if (!--spins)
				return -1;
		*dr = 0xff;
		while (!(spiram_read32(regs + SPI_SR) & SPI_SR_RXNE))
			if (!--spins)
				return -1;
		rx[i] = *dr;
	}
	return 0;
}

/* CS rises only once the last frame has left: TXE=1 and BSY=0. */
static void spi_select(struct spiram_ctx *ctx, bool active)
{
	if (!active) {
		spi_wait(ctx, SPI_SR_TXE, SPI_SR_TXE);
		spi_wait(ctx, SPI_SR_BSY, 0);
	}
	spi_pin_write(&ctx->ctrl->pins[SPIRAM_PIN_CS], !active);
}

static int spi_init(struct spiram_ctx *ctx)
{
	const struct spiram_ctrl_cfg *c = ctx->ctrl;
	uint32_t regs = c->regs;

	if (!regs || !c->pins[SPIRAM_PIN_CS].set_reg)
		return SPIRAM_ERR_NO_CONTROLLER;
	ctx->saved.spi.cr1 = spiram_read32(regs + SPI_CR1);
	ctx->saved.spi.cr2 = spiram_read32(regs + SPI_CR2);

	uint32_t br = ctx->saved.spi.cr1 & SPI_CR1_BR_MASK;
	if (c->prescaler) {
		/* divider 2, 4 ... 256 -> BR 0 ... 7 */
		uint32_t div = c->prescaler < 2 ? 2 : c->prescaler;
		if (div > 256)
			return SPIRAM_ERR_BAD_PARAM;
		br = (spiram_log2(div) - 1) << SPI_CR1_BR_SHIFT;
	}
	spi_pin_write(&c->pins[SPIRAM_PIN_CS], true);
	spiram_write32(regs + SPI_CR1, 0);
	spiram_write32(regs + SPI_CR2, 0);
	uint32_t cr1 = SPI_CR1_MSTR | SPI_CR1_SSM | SPI_CR1_SSI | br;
	spiram_write32(regs + SPI_CR1, cr1);
	spiram_write32(regs + SPI_CR1, cr1 | SPI_CR1_SPE);
	/* Drop a stale received byte. */
	if (spiram_read32(regs + SPI_SR) & SPI_SR_RXNE)
		(void)spiram_read32(regs + SPI_DR);
	return SPIRAM_OK;
}

static void spi_restore(struct spiram_ctx *ctx, enum spiram_restore_mode mode)
{
	uint32_t regs = ctx->ctrl->regs;
	spi_wait(ctx, SPI_SR_BSY, 0);
	if (spiram_read32(regs + SPI_SR) & SPI_SR_RXNE)
		(void)spiram_read32(regs + SPI_DR);
	spiram_write32(regs + SPI_CR1, ctx->saved.spi.cr1 & ~SPI_CR1_SPE);
	spiram_write32(regs + SPI_CR2, ctx->saved.spi.cr2);
	spiram_write32(regs + SPI_CR1, ctx->saved.spi.cr1);
}

void spiram_backend_spi(struct spiram_backend_ops *ops)
{
	ops->max_lines = 1;
	ops->init = spi_init;
	ops->restore = spi_restore;
	ops->xfer = spiram_serial_xfer;
	ops->wait_ready = NULL;
	ops->memmap_enter = NULL;
	ops->select = spi_select;
	ops->exchange = spi_exchange;
	ops->send = spi_send;
	ops->recv = spi_recv;
}
