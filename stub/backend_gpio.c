// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub backend: SPI bit-banged on memory-mapped GPIO.
 *
 * Each pin is a struct spiram_pin (set/clear/input register addresses and
 * a bit number), so any MCU whose GPIO can be driven through memory works.
 * The host configures the pins (CS, CLK, MOSI as push-pull outputs, MISO as
 * input, IO2/IO3 as outputs when given) before running the stub.
 *
 * Invariants:
 *  - SPI mode 0, MSB first: MOSI changes while CLK is low, the chip samples
 *    on the rising edge, MISO is read while CLK is high (the chip shifts on
 *    the falling edge), CLK idles low;
 *  - CS is high and CLK low between transactions and at exit; IO2 (WP#)
 *    and IO3 (HOLD#/RESET#) are driven high whenever given;
 *  - transactions are framed by stub_serial.c (single line, dummy cycles
 *    as 0xFF bytes).
 */

#include "spiram_stub.h"

static void gpio_pin_write(const struct spiram_pin *pin, bool high)
{
	if (high)
		spiram_write32(pin->set_reg, 1u << pin->bit);
	else
		spiram_write32(pin->clr_reg, 1u << (pin->bit + pin->clr_shift));
}

static int gpio_exchange(struct spiram_ctx *ctx, uint32_t tx)
{
	const struct spiram_gpio_bus *b = &ctx->saved.gpio;
	uint32_t rx = 0;
	for (int i = 0; i < 8; i++) {
		if (tx & 0x80)
			spiram_write32(b->mosi_set, b->mosi_set_mask);
		else
			spiram_write32(b->mosi_clr, b->mosi_clr_mask);
		tx <<= 1;
		spiram_write32(b->clk_set, b->clk_set_mask);
		rx = rx << 1 | ((spiram_read32(b->miso_in) >> b->miso_bit) & 1);
		spiram_write32(b->clk_clr, b->clk_clr_mask);
	}
	return rx;
}

/* Data out only: MISO is not read; with CLK and MOSI in one BSRR-style
 * register, CLK falls and MOSI changes in the same write (mode 0: the chip
 * samples on the rising edge). */
static int gpio_send(struct spiram_ctx *ctx, const uint8_t *tx, uint32_t len)
{
	const struct spiram_gpio_bus *b = &ctx->saved.gpio;

	for (uint32_t i = 0; i < len; i++) {
		uint32_t byte = tx[i];
		for (int bit = 0; bit < 8; bit++, byte <<= 1) {
			if (b->one_register) {
				spiram_write32(b->clk_clr, b->clk_clr_mask
						   | ((byte & 0x80) ? b->mosi_set_mask : b->mosi_clr_mask));
			} else {
				spiram_write32(b->clk_clr, b->clk_clr_mask);
				if (byte & 0x80)
					spiram_write32(b->mosi_set, b->mosi_set_mask);
				else
					spiram_write32(b->mosi_clr, b->mosi_clr_mask);
			}
			spiram_write32(b->clk_set, b->clk_set_mask);
		}
	}
	spiram_write32(b->clk_clr, b->clk_clr_mask);
	return 0;
}

/* Data in: MOSI held high (0xFF out) once, then per bit CLK high, sample
 * MISO, CLK low. */
static int gpio_recv(struct spiram_ctx *ctx, uint8_t *rx, uint32_t len)
{
	const struct spiram_gpio_bus *b = &ctx->saved.gpio;

	spiram_write32(b->mosi_set, b->mosi_set_mask);
	for (uint32_t i = 0; i < len; i++) {
		uint32_t byte = 0;
		for (int bit = 0; bit < 8; bit++) {
			spiram_write32(b->clk_set, b->clk_set_mask);
			byte = byte << 1 | ((spiram_read32(b->miso_in) >> b->miso_bit) & 1);
			spiram_write32(b->clk_clr, b->clk_clr_mask);
		}
		rx[i] = byte;
	}
	return 0;
}

static void gpio_select(struct spiram_ctx *ctx, bool active)
{
	gpio_pin_write(&ctx->ctrl->pins[SPIRAM_PIN_CS], !active);
}

static int gpio_init(struct spiram_ctx *ctx)
{
	const struct spiram_pin *pins = ctx->ctrl->pins;

	for (int i = SPIRAM_PIN_CS; i <= SPIRAM_PIN_MISO; i++) {
		if (!pins[i].set_reg || pins[i].bit + pins[i].clr_shift > 31)
			return SPIRAM_ERR_NO_CONTROLLER;
	}
	const struct spiram_pin *clk = &pins[SPIRAM_PIN_CLK], *mosi = &pins[SPIRAM_PIN_MOSI];
	const struct spiram_pin *miso = &pins[SPIRAM_PIN_MISO];
	ctx->saved.gpio = (struct spiram_gpio_bus){
		.clk_set = clk->set_reg, .clk_clr = clk->clr_reg,
		.clk_set_mask = 1u << clk->bit, .clk_clr_mask = 1u << (clk->bit + clk->clr_shift),
		.mosi_set = mosi->set_reg, .mosi_clr = mosi->clr_reg,
		.mosi_set_mask = 1u << mosi->bit, .mosi_clr_mask = 1u << (mosi->bit + mosi->clr_shift),
		.miso_in = miso->in_reg, .miso_bit = miso->bit,
		.one_register = clk->set_reg == clk->clr_reg && mosi->set_reg == clk->set_reg
			&& mosi->clr_reg == clk->set_reg,
	};
	gpio_pin_write(&pins[SPIRAM_PIN_CS], true);
	gpio_pin_write(clk, false);
	for (int i = SPIRAM_PIN_IO2; i <= SPIRAM_PIN_IO3; i++) {
		if (pins[i].set_reg)
			gpio_pin_write(&pins[i], true);
	}
	return SPIRAM_OK;
}

static void gpio_restore(struct spiram_ctx *ctx, enum spiram_restore_mode mode)
{
	gpio_pin_write(&ctx->ctrl->pins[SPIRAM_PIN_CS], true);
	gpio_pin_write(&ctx->ctrl->pins[SPIRAM_PIN_CLK], false);
}

void spiram_backend_gpio(struct spiram_backend_ops *ops)
{
	ops->max_lines = 1;
	ops->init = gpio_init;
	ops->restore = gpio_restore;
	ops->xfer = spiram_serial_xfer;
	ops->wait_ready = NULL;
	ops->memmap_enter = NULL;
	ops->select = gpio_select;
	ops->exchange = gpio_exchange;
	ops->send = gpio_send;
	ops->recv = gpio_recv;
}
