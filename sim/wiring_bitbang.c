// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Bit-bang SPI wiring between GPIO pins and a NOR chip.  See
 * wiring_bitbang.h for the protocol.
 *
 * Invariants:
 *  - the chip is selected exactly while `selected` is true, which follows
 *    the CS line (low = selected);
 *  - bits_done counts the MOSI bits sampled of the current byte (0..7);
 *  - miso_byte is the byte the chip drives during the current byte slot
 *    and miso_level is the bit of it shown now.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "wiring_bitbang.h"

struct sim_bitbang {
	struct sim_bitbang_config config;
	bool selected;		/* CS low */
	bool clk_level;		/* last CLK level seen */
	unsigned int bits_done;	/* bits of the current byte sampled */
	uint8_t shift_in;	/* MOSI bits collected, MSB first */
	uint8_t miso_byte;	/* byte on MISO during this slot */
	bool byte_finished;	/* 8th bit sampled: next falling edge loads the next byte */
	bool miso_level;	/* what MISO shows now */
	struct sim_bitbang_counters counters;
};

static void bitbang_log(struct sim_bitbang *bb, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	bb->counters.misuse++;
	if (bb->config.log)
		bb->config.log(bb->config.log_ctx, msg);
	else
		fprintf(stderr, "bitbang: %s\n", msg);
}

static bool bitbang_is(const struct sim_bitbang_pin *signal, struct sim_gpio *gpio,
		       unsigned int pin)
{
	return signal->pin != SIM_BITBANG_NC && signal->port == gpio && signal->pin == pin;
}

static bool bitbang_level(const struct sim_bitbang_pin *signal, bool absent_level)
{
	if (signal->pin == SIM_BITBANG_NC || !signal->port)
		return absent_level;
	return sim_gpio_line_level(signal->port, signal->pin);
}

static void bitbang_cs(struct sim_bitbang *bb, bool level)
{
	if (!level && !bb->selected) {
		bb->selected = true;
		bb->counters.selects++;
		bb->bits_done = 0;
		bb->shift_in = 0;
		bb->byte_finished = false;
		nor_chip_select(bb->config.chip, true);
		bb->miso_byte = nor_chip_peek(bb->config.chip);
		bb->miso_level = (bb->miso_byte >> 7) & 1u;
	} else if (level && bb->selected) {
		if (bb->bits_done != 0) {
			bb->counters.partial_bytes++;
			bitbang_log(bb, "CS raised after %u bits of a byte: partial byte dropped",
				    bb->bits_done);
		}
		bb->selected = false;
		nor_chip_select(bb->config.chip, false);
		bb->miso_level = true;
	}
}

static void bitbang_clk(struct sim_bitbang *bb, bool level)
{
	bool was = bb->clk_level;

	bb->clk_level = level;
	if (!bb->selected || was == level)
		return;
	if (level) {
		/* rising edge: sample MOSI */
		bool mosi = bitbang_level(&bb->config.mosi, true);

		bb->shift_in = (uint8_t)(bb->shift_in << 1 | (mosi ? 1 : 0));
		if (++bb->bits_done == 8) {
			(void)nor_chip_transfer(bb->config.chip, bb->shift_in, 1);
			bb->counters.bytes++;
			bb->bits_done = 0;
			bb->shift_in = 0;
			bb->byte_finished = true;
		}
		return;
	}
	/* falling edge: the chip shifts out its next bit */
	if (bb->byte_finished) {
		bb->byte_finished = false;
		bb->miso_byte = nor_chip_peek(bb->config.chip);
	}
	bb->miso_level = (bb->miso_byte >> (7 - bb->bits_done)) & 1u;
}

static void bitbang_output_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool level)
{
	struct sim_bitbang *bb = ctx;

	if (bitbang_is(&bb->config.cs, gpio, pin))
		bitbang_cs(bb, level);
	else if (bitbang_is(&bb->config.clk, gpio, pin))
		bitbang_clk(bb, level);
	else if (bitbang_is(&bb->config.io2, gpio, pin))
		nor_chip_set_wp(bb->config.chip, level);
	else if (bitbang_is(&bb->config.io3, gpio, pin) && !level)
		bitbang_log(bb, "IO3 (HOLD#/RESET#) driven low: hold is not modelled, keep it high");
}

static bool bitbang_input_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool *level)
{
	struct sim_bitbang *bb = ctx;

	if (!bitbang_is(&bb->config.miso, gpio, pin))
		return false;
	*level = bb->selected ? bb->miso_level : true;
	return true;
}

struct sim_bitbang *sim_bitbang_create(const struct sim_bitbang_config *config)
{
	struct sim_bitbang *bb = calloc(1, sizeof(*bb));
	const struct sim_bitbang_pin *outputs[] = {
		&config->cs, &config->clk, &config->mosi, &config->io2, &config->io3,
	};
	struct sim_gpio *hooked[5] = { NULL };
	unsigned int hooked_count = 0;

	if (!bb)
		return NULL;
	bb->config = *config;
	for (unsigned int i = 0; i < 5; i++) {
		bool seen = false;

		if (outputs[i]->pin == SIM_BITBANG_NC || !outputs[i]->port)
			continue;
		for (unsigned int j = 0; j < hooked_count; j++)
			if (hooked[j] == outputs[i]->port)
				seen = true;
		if (seen)
			continue;
		if (sim_gpio_add_output_hook(outputs[i]->port, bitbang_output_hook, bb) != 0) {
			free(bb);
			return NULL;
		}
		hooked[hooked_count++] = outputs[i]->port;
	}
	if (config->miso.pin != SIM_BITBANG_NC && config->miso.port &&
	    sim_gpio_add_input_hook(config->miso.port, (uint16_t)(1u << config->miso.pin),
				    bitbang_input_hook, bb) != 0) {
		free(bb);
		return NULL;
	}
	bb->clk_level = bitbang_level(&config->clk, false);
	bb->miso_level = true;
	nor_chip_set_wp(config->chip, bitbang_level(&config->io2, true));
	if (!bitbang_level(&config->cs, true))
		bitbang_cs(bb, false);
	return bb;
}

struct sim_bitbang *sim_bitbang_create_f103(struct nor_chip *chip, struct sim_gpio *port_a)
{
	struct sim_bitbang_config config = {
		.chip = chip,
		.cs = { port_a, SIM_BITBANG_F103_CS },
		.clk = { port_a, SIM_BITBANG_F103_CLK },
		.mosi = { port_a, SIM_BITBANG_F103_MOSI },
		.miso = { port_a, SIM_BITBANG_F103_MISO },
		.io2 = { port_a, SIM_BITBANG_F103_IO2 },
		.io3 = { port_a, SIM_BITBANG_F103_IO3 },
	};

	return sim_bitbang_create(&config);
}

void sim_bitbang_destroy(struct sim_bitbang *bitbang)
{
	free(bitbang);
}

const struct sim_bitbang_counters *sim_bitbang_counters(const struct sim_bitbang *bitbang)
{
	return &bitbang->counters;
}
