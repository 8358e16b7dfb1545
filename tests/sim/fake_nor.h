/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Test double for the peripheral unit tests: a small SPI NOR chip behind
 * the nor_chip.h interface (W25Q128JV-like subset: 9Fh, 05h, 35h, 31h,
 * 06h, 04h, 03h, 0Bh, EBh (needs QE), 02h, 20h, 5Ah).  It lets the peripheral models be tested without
 * the real chip and bus, which other modules own.
 *
 * Busy model: after a program or erase, WIP reads 1 for `busy_reads`
 * status bytes, then 0.
 */

#ifndef TESTS_SIM_FAKE_NOR_H
#define TESTS_SIM_FAKE_NOR_H

#include <stdbool.h>
#include <stdint.h>

#include "nor_chip.h"

struct nor_chip *fake_nor_create(uint8_t *array, uint32_t size);
void fake_nor_destroy(struct nor_chip *chip);

/* Status-byte reads that still show WIP=1 after a program/erase. */
void fake_nor_set_busy_reads(struct nor_chip *chip, unsigned int reads);
void fake_nor_set_qe(struct nor_chip *chip, bool qe);
bool fake_nor_selected(const struct nor_chip *chip);
bool fake_nor_wp(const struct nor_chip *chip);
/* Bytes seen on each line count, commands (CS low..high), dummy cycles. */
uint64_t fake_nor_bytes(const struct nor_chip *chip, unsigned int lines);
uint64_t fake_nor_commands(const struct nor_chip *chip);
uint64_t fake_nor_dummy_cycles(const struct nor_chip *chip);
/* Opcode and address of the last command that had an address. */
uint8_t fake_nor_last_opcode(const struct nor_chip *chip);
/* SCK the controller announced last (nor_chip_set_clock), Hz. */
uint32_t fake_nor_clock(const struct nor_chip *chip);

#endif /* TESTS_SIM_FAKE_NOR_H */
