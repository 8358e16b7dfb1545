/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * GPIO port models, one instance per port:
 *  - F1 style (STM32F1 / GD32F30x): CRL, CRH, IDR, ODR, BSRR, BRR, LCKR
 *    (GD32 SPD at 0x3C is plain storage);
 *  - H7 style: MODER, OTYPER, OSPEEDR, PUPDR, IDR, ODR, BSRR, LCKR, AFRL,
 *    AFRH, with the port A/B reset values of the SWD/JTAG pins.
 *
 * Electrical model, per pin ("line level" is what the outside world sees):
 *  - general-purpose output, push-pull: the ODR bit;
 *  - general-purpose output, open-drain: 0 if ODR is 0, else undriven;
 *  - input / analog / alternate function (the peripheral drives an AF pin,
 *    not this model): undriven;
 *  - an undriven line is at the level an input hook reports, else at its
 *    pull (F1 input-pull: ODR; H7 PUPDR), else at the port's idle level
 *    (default all high: board pull-ups, so a chip select floats inactive).
 * IDR shows the line level of every pin (an output pin reads back its own
 * drive).  Output hooks watch the level this port puts on its lines (drive,
 * pull or idle level; input hooks are not consulted, so a hook that changes
 * what it drives into the port never re-enters it).  They run after every
 * register write that changes such a level, once per changed pin in
 * ascending order, after the whole new state is in place (so a hook may
 * query any pin and sees the new levels).
 *
 * Clock gate: while the port's RCC bit is 0, registers read 0 and writes
 * are ignored (lines keep their levels).
 */

#ifndef SIM_PERIPH_GPIO_H
#define SIM_PERIPH_GPIO_H

#include <stdbool.h>
#include <stdint.h>

#include "periph_rcc.h"
#include "sim_bus.h"

enum sim_gpio_style {
	SIM_GPIO_F1,	/* STM32F1 / GD32F30x CRL/CRH layout */
	SIM_GPIO_H7,	/* STM32H7 MODER layout */
};

#define SIM_GPIO_F1_BASE(port)	(0x40010800u + 0x400u * (port))	/* port 0 = A */
#define SIM_GPIO_H7_BASE(port)	(0x58020000u + 0x400u * (port))
/* STM32F7: the H7 register layout (RM0385 6.4) on AHB1 */
#define SIM_GPIO_F7_BASE(port)	(0x40020000u + 0x400u * (port))
/* STM32L4: the same layout (RM0351 8.5) on AHB2 */
#define SIM_GPIO_L4_BASE(port)	(0x48000000u + 0x400u * (port))

#define SIM_GPIO_MAX_HOOKS	4

struct sim_gpio;

/* Called when the line level of `pin` changed to `level`. */
typedef void (*sim_gpio_output_hook)(void *ctx, struct sim_gpio *gpio, unsigned int pin,
				     bool level);
/*
 * Asked for the level of an undriven pin in `mask` when IDR is read or a
 * level is queried; returns true and sets *level if something outside
 * drives the pin (e.g. MISO from a flash chip), false to let it float.
 */
typedef bool (*sim_gpio_input_hook)(void *ctx, struct sim_gpio *gpio, unsigned int pin,
				    bool *level);

/* port: 0 = A, 1 = B, ...; it selects the H7 reset values and the name. */
struct sim_gpio *sim_gpio_create(enum sim_gpio_style style, unsigned int port, uint32_t base,
				 struct sim_clock_gate gate);
void sim_gpio_destroy(struct sim_gpio *gpio);

/* The device to register on the bus (size 0x400). */
struct sim_device sim_gpio_device(struct sim_gpio *gpio);
void sim_gpio_reset(struct sim_gpio *gpio);

/* Up to SIM_GPIO_MAX_HOOKS of each; return 0 or -1 when full. */
int sim_gpio_add_output_hook(struct sim_gpio *gpio, sim_gpio_output_hook hook, void *ctx);
int sim_gpio_add_input_hook(struct sim_gpio *gpio, uint16_t mask, sim_gpio_input_hook hook,
			    void *ctx);

/* Level an undriven, unpulled, externally undriven line settles at. */
void sim_gpio_set_idle_levels(struct sim_gpio *gpio, uint16_t levels);

/* Current line level (as IDR shows it) of one pin / of all 16 (bit n = pin n). */
bool sim_gpio_line_level(struct sim_gpio *gpio, unsigned int pin);
uint16_t sim_gpio_line_levels(struct sim_gpio *gpio);
/* Is the pin a general-purpose output (push-pull or open-drain)? */
bool sim_gpio_is_output(const struct sim_gpio *gpio, unsigned int pin);
unsigned int sim_gpio_port(const struct sim_gpio *gpio);

#endif /* SIM_PERIPH_GPIO_H */
