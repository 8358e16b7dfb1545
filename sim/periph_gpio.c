// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * GPIO port models (F1 and H7 layouts).  See periph_gpio.h.
 *
 * Invariants:
 *  - regs[] holds every register word as software last wrote it (BSRR and
 *    BRR are not stored: they only act on ODR);
 *  - `levels` is the port's own view of its lines after the last write;
 *    output hooks fire exactly for the bits in which it changed;
 *  - once the lock sequence completed, the configuration fields of the
 *    locked pins never change until reset.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "periph_gpio.h"

#define GPIO_SIZE	0x400u

/* F1 offsets */
#define F1_CRL		0x00u
#define F1_CRH		0x04u
#define F1_IDR		0x08u
#define F1_ODR		0x0Cu
#define F1_BSRR		0x10u
#define F1_BRR		0x14u
#define F1_LCKR		0x18u
#define F1_SPD		0x3Cu	/* GD32F30x only: plain storage */

/* H7 offsets */
#define H7_MODER	0x00u
#define H7_OTYPER	0x04u
#define H7_OSPEEDR	0x08u
#define H7_PUPDR	0x0Cu
#define H7_IDR		0x10u
#define H7_ODR		0x14u
#define H7_BSRR		0x18u
#define H7_LCKR		0x1Cu
#define H7_AFRL		0x20u
#define H7_AFRH		0x24u

#define LCKR_LCKK	(1u << 16)

struct gpio_output_listener {
	sim_gpio_output_hook hook;
	void *ctx;
};

struct gpio_input_listener {
	sim_gpio_input_hook hook;
	void *ctx;
	uint16_t mask;		/* pins this source may drive */
};

struct sim_gpio {
	enum sim_gpio_style style;
	unsigned int port;		/* 0 = A */
	uint32_t base;
	struct sim_clock_gate gate;	/* RCC enable bit of this port */
	char name[16];
	uint32_t regs[16];		/* offsets 0x00..0x3C */
	uint16_t levels;		/* line levels this port produces (hooks' view) */
	uint16_t idle_levels;		/* level of a fully undriven line */
	uint16_t locked;		/* pins whose configuration is locked */
	unsigned int lock_step;		/* LCKR sequence progress 0..3 */
	uint16_t lock_mask;		/* pins named in the lock sequence */
	struct gpio_output_listener out[SIM_GPIO_MAX_HOOKS];
	unsigned int out_count;
	struct gpio_input_listener in[SIM_GPIO_MAX_HOOKS];
	unsigned int in_count;
};

static uint32_t gpio_odr_offset(const struct sim_gpio *gpio)
{
	return gpio->style == SIM_GPIO_F1 ? F1_ODR : H7_ODR;
}

static uint32_t gpio_odr(const struct sim_gpio *gpio)
{
	return gpio->regs[gpio_odr_offset(gpio) / 4] & 0xFFFFu;
}

/* F1 4-bit field of a pin: MODE[1:0] low, CNF[1:0] high. */
static unsigned int gpio_f1_field(const struct sim_gpio *gpio, unsigned int pin)
{
	uint32_t reg = gpio->regs[(pin < 8 ? F1_CRL : F1_CRH) / 4];

	return (reg >> ((pin & 7) * 4)) & 0xFu;
}

bool sim_gpio_is_output(const struct sim_gpio *gpio, unsigned int pin)
{
	if (pin > 15)
		return false;
	if (gpio->style == SIM_GPIO_F1) {
		unsigned int field = gpio_f1_field(gpio, pin);

		/* MODE != 00 and CNF = 0x (general purpose, not AF) */
		return (field & 0x3u) != 0 && (field & 0x8u) == 0;
	}
	return ((gpio->regs[H7_MODER / 4] >> (pin * 2)) & 0x3u) == 1;
}

static bool gpio_is_open_drain(const struct sim_gpio *gpio, unsigned int pin)
{
	if (gpio->style == SIM_GPIO_F1)
		return (gpio_f1_field(gpio, pin) & 0x4u) != 0;
	return (gpio->regs[H7_OTYPER / 4] >> pin) & 1u;
}

/*
 * Level of a pin that this port does not drive: pull, then idle level.
 * Returns -1 when neither applies (never: idle level always applies).
 */
static bool gpio_pull_level(const struct sim_gpio *gpio, unsigned int pin)
{
	if (gpio->style == SIM_GPIO_F1) {
		unsigned int field = gpio_f1_field(gpio, pin);

		/* input (MODE 00) with CNF 10: pull-up/down chosen by ODR */
		if ((field & 0x3u) == 0 && (field >> 2) == 2)
			return (gpio_odr(gpio) >> pin) & 1u;
	} else {
		unsigned int mode = (gpio->regs[H7_MODER / 4] >> (pin * 2)) & 0x3u;
		unsigned int pupd = (gpio->regs[H7_PUPDR / 4] >> (pin * 2)) & 0x3u;

		/* pulls are disconnected in analog mode */
		if (mode != 3 && pupd == 1)
			return true;
		if (mode != 3 && pupd == 2)
			return false;
	}
	return (gpio->idle_levels >> pin) & 1u;
}

/* Does this port drive the pin, and to which level? */
static bool gpio_drive(const struct sim_gpio *gpio, unsigned int pin, bool *level)
{
	bool odr = (gpio_odr(gpio) >> pin) & 1u;

	if (!sim_gpio_is_output(gpio, pin))
		return false;
	if (gpio_is_open_drain(gpio, pin) && odr)
		return false;
	*level = odr;
	return true;
}

static uint16_t gpio_own_levels(const struct sim_gpio *gpio)
{
	uint16_t levels = 0;

	for (unsigned int pin = 0; pin < 16; pin++) {
		bool level;

		if (!gpio_drive(gpio, pin, &level))
			level = gpio_pull_level(gpio, pin);
		if (level)
			levels |= 1u << pin;
	}
	return levels;
}

bool sim_gpio_line_level(struct sim_gpio *gpio, unsigned int pin)
{
	bool level;

	if (pin > 15)
		return false;
	if (gpio_drive(gpio, pin, &level))
		return level;
	for (unsigned int i = 0; i < gpio->in_count; i++) {
		if (!(gpio->in[i].mask & (1u << pin)))
			continue;
		if (gpio->in[i].hook(gpio->in[i].ctx, gpio, pin, &level))
			return level;
	}
	return gpio_pull_level(gpio, pin);
}

uint16_t sim_gpio_line_levels(struct sim_gpio *gpio)
{
	uint16_t levels = 0;

	for (unsigned int pin = 0; pin < 16; pin++)
		if (sim_gpio_line_level(gpio, pin))
			levels |= 1u << pin;
	return levels;
}

/* Recompute the port's own levels and tell the hooks what changed. */
static void gpio_update(struct sim_gpio *gpio)
{
	uint16_t now = gpio_own_levels(gpio);
	uint16_t changed = now ^ gpio->levels;

	gpio->levels = now;
	for (unsigned int pin = 0; pin < 16 && changed; pin++) {
		if (!(changed & (1u << pin)))
			continue;
		for (unsigned int i = 0; i < gpio->out_count; i++)
			gpio->out[i].hook(gpio->out[i].ctx, gpio, pin, (now >> pin) & 1u);
	}
}

/* Mask of configuration bits that the lock protects in a register. */
static uint32_t gpio_locked_bits(const struct sim_gpio *gpio, uint32_t offset)
{
	uint32_t mask = 0;

	for (unsigned int pin = 0; pin < 16; pin++) {
		if (!(gpio->locked & (1u << pin)))
			continue;
		if (gpio->style == SIM_GPIO_F1) {
			if (offset == F1_CRL && pin < 8)
				mask |= 0xFu << (pin * 4);
			if (offset == F1_CRH && pin >= 8)
				mask |= 0xFu << ((pin - 8) * 4);
		} else {
			if (offset == H7_MODER || offset == H7_OSPEEDR || offset == H7_PUPDR)
				mask |= 0x3u << (pin * 2);
			if (offset == H7_OTYPER)
				mask |= 1u << pin;
			if (offset == H7_AFRL && pin < 8)
				mask |= 0xFu << (pin * 4);
			if (offset == H7_AFRH && pin >= 8)
				mask |= 0xFu << ((pin - 8) * 4);
		}
	}
	return mask;
}

/* LCKR write: LCKK=1, LCKK=0, LCKK=1 with the same mask locks the pins. */
static void gpio_lock_write(struct sim_gpio *gpio, uint32_t value)
{
	uint16_t mask = value & 0xFFFFu;
	bool lckk = value & LCKR_LCKK;

	if (gpio->regs[(gpio->style == SIM_GPIO_F1 ? F1_LCKR : H7_LCKR) / 4] & LCKR_LCKK)
		return;		/* already locked: LCKR is frozen until reset */
	if (gpio->lock_step > 0 && mask != gpio->lock_mask)
		gpio->lock_step = 0;
	switch (gpio->lock_step) {
	case 0:
		gpio->lock_step = lckk ? 1 : 0;
		break;
	case 1:
		gpio->lock_step = lckk ? 1 : 2;
		break;
	case 2:
		gpio->lock_step = lckk ? 3 : 0;
		break;
	default:
		gpio->lock_step = 0;
		break;
	}
	gpio->lock_mask = mask;
	if (gpio->lock_step == 3) {
		gpio->locked = mask;
		gpio->regs[(gpio->style == SIM_GPIO_F1 ? F1_LCKR : H7_LCKR) / 4] =
			LCKR_LCKK | mask;
		gpio->lock_step = 0;
	} else {
		gpio->regs[(gpio->style == SIM_GPIO_F1 ? F1_LCKR : H7_LCKR) / 4] = mask;
	}
}

static int gpio_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_gpio *gpio = opaque;
	uint32_t aligned = offset & ~3u;
	uint32_t word;

	if (!sim_clock_gate_on(&gpio->gate)) {
		*value = 0;
		return 0;
	}
	if (aligned >= 0x40u) {
		word = 0;
	} else if ((gpio->style == SIM_GPIO_F1 && aligned == F1_IDR) ||
		   (gpio->style == SIM_GPIO_H7 && aligned == H7_IDR)) {
		word = sim_gpio_line_levels(gpio);
	} else if ((gpio->style == SIM_GPIO_F1 && (aligned == F1_BSRR || aligned == F1_BRR)) ||
		   (gpio->style == SIM_GPIO_H7 && aligned == H7_BSRR)) {
		word = 0;	/* write-only */
	} else {
		word = gpio->regs[aligned / 4];
	}
	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return 0;
}

static int gpio_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_gpio *gpio = opaque;
	uint32_t aligned = offset & ~3u;
	unsigned int shift = (offset & 3u) * 8;
	uint32_t lane = size == 4 ? 0xFFFFFFFFu : ((1u << (size * 8)) - 1) << shift;
	uint32_t odr_off = gpio_odr_offset(gpio);
	uint32_t *odr = &gpio->regs[odr_off / 4];

	if (!sim_clock_gate_on(&gpio->gate))
		return 0;
	if (aligned >= 0x40u)
		return 0;
	value = (value << shift) & lane;

	if ((gpio->style == SIM_GPIO_F1 && aligned == F1_BSRR) ||
	    (gpio->style == SIM_GPIO_H7 && aligned == H7_BSRR)) {
		/* reset first, then set: set wins when both bits are written */
		*odr &= ~(value >> 16);
		*odr |= value & 0xFFFFu;
	} else if (gpio->style == SIM_GPIO_F1 && aligned == F1_BRR) {
		*odr &= ~(value & 0xFFFFu);
	} else if ((gpio->style == SIM_GPIO_F1 && aligned == F1_IDR) ||
		   (gpio->style == SIM_GPIO_H7 && aligned == H7_IDR)) {
		return 0;	/* read-only */
	} else if ((gpio->style == SIM_GPIO_F1 && aligned == F1_LCKR) ||
		   (gpio->style == SIM_GPIO_H7 && aligned == H7_LCKR)) {
		if (size != 4) {
			/* RM: the lock sequence needs word writes */
			return 0;
		}
		gpio_lock_write(gpio, value);
	} else if (aligned == odr_off) {
		*odr = (*odr & ~lane) | value;
		*odr &= 0xFFFFu;
	} else {
		uint32_t keep = lane & ~gpio_locked_bits(gpio, aligned);
		uint32_t *reg = &gpio->regs[aligned / 4];

		if (gpio->style == SIM_GPIO_H7 && aligned == H7_OTYPER)
			keep &= 0xFFFFu;
		*reg = (*reg & ~keep) | (value & keep);
	}
	gpio_update(gpio);
	return 0;
}

void sim_gpio_reset(struct sim_gpio *gpio)
{
	memset(gpio->regs, 0, sizeof(gpio->regs));
	gpio->locked = 0;
	gpio->lock_step = 0;
	gpio->lock_mask = 0;
	if (gpio->style == SIM_GPIO_F1) {
		/* all pins floating inputs */
		gpio->regs[F1_CRL / 4] = 0x44444444u;
		gpio->regs[F1_CRH / 4] = 0x44444444u;
	} else {
		/* RM0433 reset values (UNVERIFIED in the reference sheet):
		 * analog everywhere except the SWD/JTAG pins of ports A and B. */
		gpio->regs[H7_MODER / 4] = gpio->port == 0 ? 0xABFFFFFFu :
					   gpio->port == 1 ? 0xFFFFFEBFu : 0xFFFFFFFFu;
		gpio->regs[H7_OSPEEDR / 4] = gpio->port == 0 ? 0x0C000000u :
					     gpio->port == 1 ? 0x000000C0u : 0;
		gpio->regs[H7_PUPDR / 4] = gpio->port == 0 ? 0x64000000u :
					   gpio->port == 1 ? 0x00000100u : 0;
	}
	gpio_update(gpio);
}

static void gpio_reset_hook(void *opaque)
{
	sim_gpio_reset(opaque);
}

static const struct sim_device_ops gpio_ops = {
	.read = gpio_read,
	.write = gpio_write,
};

struct sim_gpio *sim_gpio_create(enum sim_gpio_style style, unsigned int port, uint32_t base,
				 struct sim_clock_gate gate)
{
	struct sim_gpio *gpio = calloc(1, sizeof(*gpio));

	if (!gpio)
		return NULL;
	gpio->style = style;
	gpio->port = port;
	gpio->base = base;
	gpio->gate = gate;
	gpio->idle_levels = 0xFFFFu;
	snprintf(gpio->name, sizeof(gpio->name), "gpio%c", 'a' + (int)(port % 26));
	sim_gpio_reset(gpio);
	gpio->levels = gpio_own_levels(gpio);
	return gpio;
}

void sim_gpio_destroy(struct sim_gpio *gpio)
{
	free(gpio);
}

struct sim_device sim_gpio_device(struct sim_gpio *gpio)
{
	struct sim_device dev = {
		.name = gpio->name,
		.base = gpio->base,
		.size = GPIO_SIZE,
		.ops = &gpio_ops,
		.opaque = gpio,
		.reset = gpio_reset_hook,
	};
	return dev;
}

int sim_gpio_add_output_hook(struct sim_gpio *gpio, sim_gpio_output_hook hook, void *ctx)
{
	if (gpio->out_count >= SIM_GPIO_MAX_HOOKS || !hook)
		return -1;
	gpio->out[gpio->out_count].hook = hook;
	gpio->out[gpio->out_count].ctx = ctx;
	gpio->out_count++;
	return 0;
}

int sim_gpio_add_input_hook(struct sim_gpio *gpio, uint16_t mask, sim_gpio_input_hook hook,
			    void *ctx)
{
	if (gpio->in_count >= SIM_GPIO_MAX_HOOKS || !hook)
		return -1;
	gpio->in[gpio->in_count].hook = hook;
	gpio->in[gpio->in_count].ctx = ctx;
	gpio->in[gpio->in_count].mask = mask;
	gpio->in_count++;
	return 0;
}

void sim_gpio_set_idle_levels(struct sim_gpio *gpio, uint16_t levels)
{
	gpio->idle_levels = levels;
	gpio_update(gpio);
}

unsigned int sim_gpio_port(const struct sim_gpio *gpio)
{
	return gpio->port;
}
