// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Fake NOR chip for the peripheral unit tests.  See fake_nor.h.  Only the functions the peripheral models call exist.
 *
 * Invariants: `phase` advances CMD -> ADDR -> MODE -> DUMMY -> DATA within
 * one CS-low period; the byte returned by a transfer is always what
 * fake_peek() reported before it.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fake_nor.h"

enum fake_phase { PH_CMD, PH_ADDR, PH_MODE, PH_DUMMY, PH_DATA, PH_IGNORE };

struct nor_chip {
	uint8_t *array;
	uint32_t size;
	bool selected;
	bool wp_high;
	enum fake_phase phase;
	uint8_t opcode;
	unsigned int addr_bytes_left;
	uint32_t addr;
	unsigned int dummy_needed;	/* clocks */
	unsigned int dummy_done;
	uint8_t status1;		/* WIP bit0, WEL bit1 */
	uint8_t status2;		/* QE bit1 */
	unsigned int busy_reads_left;
	unsigned int busy_reads;
	uint8_t page_buffer[256];
	unsigned int page_count;
	unsigned int wsr_index;
	uint64_t bytes[5];
	uint64_t commands;
	uint64_t dummy_cycles;
	uint8_t last_opcode;
	uint32_t clock_hz;		/* last nor_chip_set_clock */
};

static const uint8_t fake_sfdp[16] = {
	0x53, 0x46, 0x44, 0x50, 0x05, 0x01, 0x00, 0xFF,
	0x00, 0x05, 0x01, 0x10, 0x80, 0x00, 0x00, 0xFF,
};

struct nor_chip *fake_nor_create(uint8_t *array, uint32_t size)
{
	struct nor_chip *chip = calloc(1, sizeof(*chip));

	chip->array = array;
	chip->size = size;
	chip->wp_high = true;
	chip->busy_reads = 1;
	return chip;
}

void fake_nor_destroy(struct nor_chip *chip)
{
	free(chip);
}

void fake_nor_set_busy_reads(struct nor_chip *chip, unsigned int reads)
{
	chip->busy_reads = reads;
}

void fake_nor_set_qe(struct nor_chip *chip, bool qe)
{
	chip->status2 = qe ? (chip->status2 | 2u) : (chip->status2 & ~2u);
}

bool fake_nor_selected(const struct nor_chip *chip)
{
	return chip->selected;
}

bool fake_nor_wp(const struct nor_chip *chip)
{
	return chip->wp_high;
}

uint64_t fake_nor_bytes(const struct nor_chip *chip, unsigned int lines)
{
	return lines < 5 ? chip->bytes[lines] : 0;
}

uint64_t fake_nor_commands(const struct nor_chip *chip)
{
	return chip->commands;
}

uint64_t fake_nor_dummy_cycles(const struct nor_chip *chip)
{
	return chip->dummy_cycles;
}

uint8_t fake_nor_last_opcode(const struct nor_chip *chip)
{
	return chip->last_opcode;
}

uint32_t nor_chip_size(const struct nor_chip *chip)
{
	return chip->size;
}

bool nor_chip_busy(struct nor_chip *chip)
{
	return chip->status1 & 1u;
}

/* No timed operations here: busy is whatever status1 says, for no time. */
uint64_t nor_chip_busy_left_ns(struct nor_chip *chip)
{
	(void)chip;
	return 0;
}

/* No per-sector counts here: a dual-flash window is built whole each time. */
const struct nor_sector_counters *nor_chip_sector_counters(const struct nor_chip *chip)
{
	(void)chip;
	return NULL;
}

void nor_chip_set_wp(struct nor_chip *chip, bool level_high)
{
	chip->wp_high = level_high;
}

static void fake_execute(struct nor_chip *chip)
{
	if (chip->opcode == 0x02 && chip->phase == PH_DATA && (chip->status1 & 2u)) {
		uint32_t page = chip->addr & ~0xFFu;

		for (unsigned int i = 0; i < chip->page_count && i < 256; i++) {
			uint32_t a = page | ((chip->addr + i) & 0xFFu);

			chip->array[a % chip->size] &= chip->page_buffer[i];
		}
		chip->status1 = 1;
		chip->busy_reads_left = chip->busy_reads;
	} else if (chip->opcode == 0x20 && chip->phase != PH_ADDR && chip->phase != PH_CMD &&
		   (chip->status1 & 2u)) {
		memset(chip->array + (chip->addr & ~0xFFFu) % chip->size, 0xFF, 4096);
		chip->status1 = 1;
		chip->busy_reads_left = chip->busy_reads;
	} else if (chip->opcode == 0x06) {
		chip->status1 |= 2u;
	} else if (chip->opcode == 0x04) {
		chip->status1 &= ~2u;
	}
}

void nor_chip_select(struct nor_chip *chip, bool selected)
{
	if (selected && !chip->selected) {
		chip->phase = PH_CMD;
		chip->opcode = 0;
		chip->page_count = 0;
		chip->dummy_done = 0;
		chip->wsr_index = 0;
		chip->commands++;
	} else if (!selected && chip->selected && chip->opcode) {
		fake_execute(chip);
	}
	chip->selected = selected;
}

static uint8_t fake_peek(const struct nor_chip *chip)
{
	if (!chip->selected || chip->phase != PH_DATA)
		return 0xFF;
	switch (chip->opcode) {
	case 0x9F: {
		static const uint8_t id[3] = { 0xEF, 0x40, 0x18 };

		return chip->wsr_index < 3 ? id[chip->wsr_index] : 0x00;
	}
	case 0x05:
		return chip->status1;
	case 0x35:
		return chip->status2;
	case 0x03:
	case 0x0B:
	case 0xEB:
		return chip->array[chip->addr % chip->size];
	case 0x5A:
		return (chip->addr & 0xFFu) < sizeof(fake_sfdp) && chip->addr < 0x100 ?
		       fake_sfdp[chip->addr] : 0xFF;
	default:
		return 0xFF;
	}
}

uint8_t nor_chip_peek(const struct nor_chip *chip)
{
	return fake_peek(chip);
}

static void fake_begin(struct nor_chip *chip, uint8_t opcode)
{
	chip->opcode = opcode;
	chip->last_opcode = opcode;
	chip->addr = 0;
	switch (opcode) {
	case 0x03:
	case 0x02:
	case 0x20:
		chip->addr_bytes_left = 3;
		chip->dummy_needed = 0;
		chip->phase = PH_ADDR;
		break;
	case 0x0B:
	case 0x5A:
		chip->addr_bytes_left = 3;
		chip->dummy_needed = 8;
		chip->phase = PH_ADDR;
		break;
	case 0xEB:
		chip->addr_bytes_left = 3;
		chip->dummy_needed = 4;
		chip->phase = (chip->status2 & 2u) ? PH_ADDR : PH_IGNORE;
		break;
	case 0x31:
		chip->phase = PH_DATA;
		break;
	default:
		chip->phase = PH_DATA;
		break;
	}
}

uint8_t nor_chip_transfer(struct nor_chip *chip, uint8_t tx, unsigned int lines)
{
	uint8_t rx = fake_peek(chip);

	if (lines < 5)
		chip->bytes[lines]++;
	if (!chip->selected)
		return 0xFF;
	switch (chip->phase) {
	case PH_CMD:
		fake_begin(chip, tx);
		break;
	case PH_ADDR:
		chip->addr = chip->addr << 8 | tx;
		if (--chip->addr_bytes_left == 0)
			chip->phase = chip->opcode == 0xEB ? PH_MODE :
				      chip->dummy_needed ? PH_DUMMY : PH_DATA;
		break;
	case PH_MODE:
		chip->phase = PH_DUMMY;
		break;
	case PH_DUMMY:
		chip->dummy_done += 8 / (lines ? lines : 1);
		chip->dummy_cycles += 8 / (lines ? lines : 1);
		if (chip->dummy_done >= chip->dummy_needed)
			chip->phase = PH_DATA;
		break;
	case PH_DATA:
		switch (chip->opcode) {
		case 0x02:
			if (chip->page_count < 256)
				chip->page_buffer[chip->page_count++] = tx;
			break;
		case 0x05:
			if (chip->busy_reads_left && --chip->busy_reads_left == 0)
				chip->status1 &= ~3u;
			break;
		case 0x31:
			chip->status2 = tx;
			break;
		case 0x9F:
			chip->wsr_index++;
			break;
		default:
			chip->addr++;
			break;
		}
		break;
	case PH_IGNORE:
		break;
	}
	return rx;
}

/* The QUADSPI model passes its wire rate; the fake has no DTR: single rate. */
uint8_t nor_chip_transfer_dtr(struct nor_chip *chip, uint8_t tx, unsigned int lines, bool dtr)
{
	(void)dtr;
	return nor_chip_transfer(chip, tx, lines);
}

void nor_chip_set_dqs(struct nor_chip *chip, bool dqs)
{
	(void)chip;
	(void)dqs;
}

void nor_chip_set_clock(struct nor_chip *chip, uint32_t hz)
{
	chip->clock_hz = hz;
}

uint32_t fake_nor_clock(const struct nor_chip *chip)
{
	return chip->clock_hz;
}

void nor_chip_dummy(struct nor_chip *chip, unsigned int cycles)
{
	chip->dummy_cycles += cycles;
	if (chip->phase == PH_DUMMY) {
		chip->dummy_done += cycles;
		if (chip->dummy_done >= chip->dummy_needed)
			chip->phase = PH_DATA;
	}
}
