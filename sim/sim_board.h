/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The simulated boards: STM32H750 (Cortex-M7, QUADSPI flash), STM32H750B-DK
 * (the same SoC, an MT25TL01G's two dies on QUADSPI BK1/BK2), STM32H7B0
 * (Cortex-M7, OCTOSPI1 flash in quad mode),
 * GD32F307 (Cortex-M4, SPI0 flash, CS on PA4) and STM32F103 (Cortex-M3,
 * SPI1 flash, CS on PA4, or the flash on plain GPIO pins).  A board owns
 * its bus, memories, peripherals, NOR chip and core; the caller owns the
 * flash image array.
 */

#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nor_chip.h"
#include "sim_dap.h"

struct sim_bus;
struct sim_core;

enum sim_wiring {
	SIM_WIRING_SPI,		/* the SoC's SPI controller (QUADSPI on the H750) */
	SIM_WIRING_GPIO,	/* F1 boards: bit-banged on PA4..PA7 (+PA2/PA3) */
};

struct sim_board_options {
	const char *board;		/* "stm32h750", "stm32h750b-dk", "stm32h7b0", ... */
	const char *chip;		/* NULL: the board's default part */
	uint8_t *image;			/* chip array, nor_chip_part_size(chip) bytes */
	size_t image_size;
	enum nor_timing timing;
	/*
	 * Serial bus time (QUADSPI / SPI clocked from the reset clocks):
	 * BUS_TIME_DEFAULT = on with NOR_TIMING_TYPICAL, off with INSTANT.
	 */
	enum { SIM_BUS_TIME_DEFAULT, SIM_BUS_TIME_ON, SIM_BUS_TIME_OFF } bus_time;
	struct nor_faults faults;
	/*
	 * Two-die packages (mt25tl01g): die_faults_set[i] gives die i + 1
	 * (FLASH1 on BK1, FLASH2 on BK2) die_faults[i] instead of faults.
	 */
	struct nor_faults die_faults[2];
	bool die_faults_set[2];
	enum sim_wiring wiring;
};

struct sim_board;

/* NULL-terminated list of board names. */
const char *const *sim_board_names(void);
/* Default chip part of a board, NULL for an unknown board. */
const char *sim_board_default_chip(const char *board);
bool sim_board_supports_gpio_wiring(const char *board);

struct sim_board *sim_board_create(const struct sim_board_options *opt, char *err,
				   size_t err_len);
void sim_board_destroy(struct sim_board *board);

const char *sim_board_name(const struct sim_board *board);
struct sim_bus *sim_board_bus(struct sim_board *board);
struct sim_core *sim_board_core(struct sim_board *board);
struct nor_chip *sim_board_chip(struct sim_board *board);
/* Die 1 or 2 of a two-die package (die 1 = sim_board_chip), else NULL. */
struct nor_chip *sim_board_chip_die(struct sim_board *board, unsigned int die);
const struct sim_dap_config *sim_board_dap_config(const struct sim_board *board);
/* Address of DBGMCU_IDCODE and its value (for configs and tests). */
uint32_t sim_board_idcode_address(const struct sim_board *board);
uint32_t sim_board_idcode(const struct sim_board *board);

#endif /* SIM_BOARD_H */
