/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Bit-level wiring of GPIO pins to a NOR chip model, for boards where
 * firmware bit-bangs SPI (the stm32f103 board's `--wiring gpio`).
 *
 * Protocol (SPI mode 0 or 3, MSB first, single line):
 *  - CS falling: nor_chip_select(true); the chip puts bit 7 of
 *    nor_chip_peek() on MISO;
 *  - CLK rising (CS low): MOSI is sampled (the level after the register
 *    write that raised CLK, so a write changing MOSI and CLK together
 *    samples the new MOSI); after 8 bits nor_chip_transfer(byte, 1);
 *  - CLK falling (CS low): MISO shows the next bit; after a whole byte it
 *    shows bit 7 of the next nor_chip_peek();
 *  - CS rising: nor_chip_select(false); a partial byte is dropped (logged).
 * MISO reads high while CS is high (UNVERIFIED choice: a pulled-up line,
 * the chip tri-states it).  IO2 (WP#) drives nor_chip_set_wp(); IO3
 * (HOLD#/RESET#) low is logged, since hold is not modelled.  Pins that are
 * not connected are given as pin number SIM_BITBANG_NC.
 *
 * Default pins for the stm32f103 board (plain GPIO on port A, no SPI
 * alternate function; firmware configures CRL itself):
 *   PA4 CS#, PA5 CLK, PA7 MOSI (outputs), PA6 MISO (input),
 *   PA2 IO2/WP#, PA3 IO3/HOLD# (outputs, firmware holds them high).
 */

#ifndef SIM_WIRING_BITBANG_H
#define SIM_WIRING_BITBANG_H

#include <stdbool.h>
#include <stdint.h>

#include "nor_chip.h"
#include "periph_gpio.h"

#define SIM_BITBANG_NC	0xFFu

/* One signal: a pin of a port, or not connected (pin == SIM_BITBANG_NC). */
struct sim_bitbang_pin {
	struct sim_gpio *port;
	unsigned int pin;	/* 0..15 */
};

struct sim_bitbang_config {
	struct nor_chip *chip;
	struct sim_bitbang_pin cs;	/* chip select, active low (output) */
	struct sim_bitbang_pin clk;	/* SPI clock (output) */
	struct sim_bitbang_pin mosi;	/* controller -> chip (output) */
	struct sim_bitbang_pin miso;	/* chip -> controller (input) */
	struct sim_bitbang_pin io2;	/* WP#, may be NC */
	struct sim_bitbang_pin io3;	/* HOLD#/RESET#, may be NC */
	void (*log)(void *ctx, const char *msg);	/* NULL: stderr, "bitbang: " */
	void *log_ctx;
};

struct sim_bitbang_counters {
	uint64_t bytes;		/* whole bytes clocked */
	uint64_t selects;	/* CS falling edges */
	uint64_t partial_bytes;	/* CS rose mid-byte */
	uint64_t misuse;	/* logged misuse */
};

#define SIM_BITBANG_F103_CS	4
#define SIM_BITBANG_F103_CLK	5
#define SIM_BITBANG_F103_MISO	6
#define SIM_BITBANG_F103_MOSI	7
#define SIM_BITBANG_F103_IO2	2
#define SIM_BITBANG_F103_IO3	3

struct sim_bitbang;

/* Installs output and input hooks on the ports named in config. */
struct sim_bitbang *sim_bitbang_create(const struct sim_bitbang_config *config);
/* The default stm32f103 wiring on port A (see above). */
struct sim_bitbang *sim_bitbang_create_f103(struct nor_chip *chip, struct sim_gpio *port_a);
/* Only after the ports' hooks are no longer called (ports destroyed). */
void sim_bitbang_destroy(struct sim_bitbang *bitbang);

const struct sim_bitbang_counters *sim_bitbang_counters(const struct sim_bitbang *bitbang);

#endif /* SIM_WIRING_BITBANG_H */
