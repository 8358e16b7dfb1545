// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Miscellaneous SoC register blocks (see sim_soc.h).
 *
 * Invariants: register files keep a word array covering the whole block;
 * sub-word writes merge into it; fixed words never change.  The flash
 * controllers only ever change the array through erase, which fills with
 * 0xFF, and only while unlocked.
 */

#include <stdlib.h>
#include <string.h>

#include "sim_soc.h"

enum sim_soc_kind {
	SOC_REGFILE,
	SOC_H7_FLASH,
	SOC_F1_FLASH,
};

struct sim_soc_block {
	enum sim_soc_kind kind;
	struct sim_device dev;
	char name[32];
	uint32_t *words;		/* storage, size / 4 words */
	struct sim_soc_fixed *fixed;
	unsigned int fixed_count;
	/* flash controllers */
	uint8_t *array;			/* internal flash contents */
	uint32_t array_size;
	uint32_t erase_unit;		/* sector (H7) / page (F1) size */
	bool unlocked;			/* KEYR sequence accepted, LOCK clear */
	unsigned int key_step;		/* how many KEYR keys were accepted */
	uint32_t cr;			/* FLASH_CR */
	uint32_t sr;			/* FLASH_SR */
	uint32_t ar;			/* F1 FLASH_AR */
};

#define FLASH_KEY1	0x45670123u
#define FLASH_KEY2	0xCDEF89ABu

static bool fixed_value(const struct sim_soc_block *b, uint32_t off, uint32_t *value)
{
	for (unsigned int i = 0; i < b->fixed_count; i++) {
		if (b->fixed[i].offset == off) {
			*value = b->fixed[i].value;
			return true;
		}
	}
	return false;
}

static uint32_t extract(uint32_t word, uint32_t offset, unsigned int size)
{
	if (size == 4)
		return word;
	return (word >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
}

static uint32_t merge(uint32_t word, uint32_t offset, unsigned int size, uint32_t value)
{
	if (size == 4)
		return value;
	unsigned int shift = 8 * (offset & 3);
	uint32_t mask = ((1u << (8 * size)) - 1) << shift;
	return (word & ~mask) | ((value << shift) & mask);
}

/* ---- H7 flash (RM0433 FLASH chapter; offsets per OpenOCD stm32h7x.c) ---- */

#define H7_KEYR		0x04
#define H7_CR		0x0C
#define H7_SR		0x10
#define H7_CCR		0x14
#define H7_OPTCR	0x18
#define H7_OPTSR_CUR	0x1C
#define H7_WPSN_CUR	0x38
#define H7_CR_LOCK	(1u << 0)
#define H7_CR_SER	(1u << 2)
#define H7_CR_BER	(1u << 3)
#define H7_CR_START	(1u << 7)

static uint32_t h7_read(struct sim_soc_block *b, uint32_t off)
{
	switch (off) {
	case H7_CR: return b->cr | (b->unlocked ? 0 : H7_CR_LOCK);
	case H7_SR: return b->sr;	/* QW/BSY never set: operations finish at once */
	case H7_OPTCR: return 0x00000001;	/* OPTLOCK */
	case H7_WPSN_CUR: return 0x000000FF;
	default: return b->words[off / 4];
	}
}

static void h7_write(struct sim_soc_block *b, uint32_t off, uint32_t v)
{
	switch (off) {
	case H7_KEYR:
		if (b->key_step == 0 && v == FLASH_KEY1) {
			b->key_step = 1;
		} else if (b->key_step == 1 && v == FLASH_KEY2) {
			b->unlocked = true;
			b->key_step = 0;
		} else {
			b->key_step = 0;	/* wrong sequence: locked until reset */
		}
		return;
	case H7_CR:
		if (!b->unlocked)
			return;
		if (v & H7_CR_LOCK) {
			b->unlocked = false;
			b->cr = 0;
			return;
		}
		b->cr = v & ~H7_CR_START;
		if (v & H7_CR_START) {
			if (v & H7_CR_BER) {
				memset(b->array, 0xFF, b->array_size);
			} else if (v & H7_CR_SER) {
				uint32_t sector = (v >> 8) & 0x7;
				if ((uint64_t)(sector + 1) * b->erase_unit <= b->array_size)
					memset(b->array + sector * b->erase_unit, 0xFF, b->erase_unit);
			}
			b->sr |= 1u << 16;	/* EOP */
		}
		return;
	case H7_CCR:
		b->sr &= ~(v & 0x0FEF0000u);
		return;
	default:
		b->words[off / 4] = v;
	}
}

/* ---- F1 flash (RM0008 FPEC; offsets per OpenOCD stm32f1x.c) ---------------- */

#define F1_KEYR		0x04
#define F1_SR		0x0C
#define F1_CR		0x10
#define F1_AR		0x14
#define F1_OBR		0x1C
#define F1_WRPR		0x20
#define F1_CR_PER	(1u << 1)
#define F1_CR_MER	(1u << 2)
#define F1_CR_STRT	(1u << 6)
#define F1_CR_LOCK	(1u << 7)
#define F1_SR_EOP	(1u << 5)

static uint32_t f1_read(struct sim_soc_block *b, uint32_t off)
{
	switch (off) {
	case F1_SR: return b->sr;
	case F1_CR: return b->cr | (b->unlocked ? 0 : F1_CR_LOCK);
	case F1_AR: return b->ar;
	case F1_OBR: return 0x03FFFFFC;	/* RDPRT off, user bytes 0xFF */
	case F1_WRPR: return 0xFFFFFFFF;
	default: return b->words[off / 4];
	}
}

static void f1_write(struct sim_soc_block *b, uint32_t off, uint32_t v)
{
	switch (off) {
	case F1_KEYR:
		if (b->key_step == 0 && v == FLASH_KEY1) {
			b->key_step = 1;
		} else if (b->key_step == 1 && v == FLASH_KEY2) {
			b->unlocked = true;
			b->key_step = 0;
		} else {
			b->key_step = 0;
		}
		return;
	case F1_SR:
		b->sr &= ~(v & 0x34u);		/* EOP, WRPRTERR, PGERR: write 1 to clear */
		return;
	case F1_AR:
		b->ar = v;
		return;
	case F1_CR:
		if (!b->unlocked)
			return;
		if (v & F1_CR_LOCK) {
			b->unlocked = false;
			b->cr = 0;
			return;
		}
		b->cr = v & ~F1_CR_STRT;
		if (v & F1_CR_STRT) {
			if (v & F1_CR_MER) {
				memset(b->array, 0xFF, b->array_size);
			} else if (v & F1_CR_PER) {
				uint32_t off_in = (b->ar - 0x08000000u) & ~(b->erase_unit - 1);
				if (b->ar >= 0x08000000u && off_in < b->array_size)
					memset(b->array + off_in, 0xFF, b->erase_unit);
			}
			b->sr |= F1_SR_EOP;
		}
		return;
	default:
		b->words[off / 4] = v;
	}
}

/* ---- generic device glue ------------------------------------------------- */

static int soc_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_soc_block *b = opaque;
	uint32_t off = offset & ~3u, word;
	switch (b->kind) {
	case SOC_H7_FLASH:
		word = h7_read(b, off);
		break;
	case SOC_F1_FLASH:
		word = f1_read(b, off);
		break;
	default:
		if (!fixed_value(b, off, &word))
			word = b->words[off / 4];
		break;
	}
	*value = extract(word, offset, size);
	return 0;
}

static int soc_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_soc_block *b = opaque;
	uint32_t off = offset & ~3u, dummy;
	uint32_t word = merge(b->words[off / 4], offset, size, value);
	switch (b->kind) {
	case SOC_H7_FLASH:
		h7_write(b, off, word);
		break;
	case SOC_F1_FLASH:
		f1_write(b, off, word);
		break;
	default:
		if (!fixed_value(b, off, &dummy))
			b->words[off / 4] = word;
		break;
	}
	return 0;
}

static void soc_reset(void *opaque)
{
	struct sim_soc_block *b = opaque;
	if (b->kind == SOC_REGFILE)
		return;		/* debug/ID registers: not reset by a system reset */
	memset(b->words, 0, b->dev.size);
	b->unlocked = false;
	b->key_step = 0;
	b->cr = b->sr = b->ar = 0;
}

static const struct sim_device_ops soc_ops = { soc_read, soc_write };

static struct sim_soc_block *block_new(enum sim_soc_kind kind, const char *name, uint32_t base,
				       uint32_t size)
{
	struct sim_soc_block *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->words = calloc(size / 4 + 1, 4);
	if (!b->words) {
		free(b);
		return NULL;
	}
	b->kind = kind;
	strncpy(b->name, name, sizeof(b->name) - 1);
	b->dev.name = b->name;
	b->dev.base = base;
	b->dev.size = size;
	b->dev.ops = &soc_ops;
	b->dev.opaque = b;
	b->dev.reset = soc_reset;
	return b;
}

struct sim_soc_block *sim_soc_regfile(const char *name, uint32_t base, uint32_t size,
				      const struct sim_soc_fixed *fixed, unsigned int count)
{
	struct sim_soc_block *b = block_new(SOC_REGFILE, name, base, size);
	if (!b)
		return NULL;
	if (count) {
		b->fixed = calloc(count, sizeof(*fixed));
		if (!b->fixed) {
			sim_soc_block_destroy(b);
			return NULL;
		}
		memcpy(b->fixed, fixed, count * sizeof(*fixed));
		b->fixed_count = count;
	}
	return b;
}

struct sim_soc_block *sim_soc_h7_flash(uint32_t base, uint8_t *array, uint32_t array_size,
				       uint32_t sector_size)
{
	struct sim_soc_block *b = block_new(SOC_H7_FLASH, "flash-if", base, 0x400);
	if (!b)
		return NULL;
	b->array = array;
	b->array_size = array_size;
	b->erase_unit = sector_size;
	return b;
}

struct sim_soc_block *sim_soc_f1_flash(uint32_t base, uint8_t *array, uint32_t array_size,
				       uint32_t page_size)
{
	struct sim_soc_block *b = block_new(SOC_F1_FLASH, "flash-if", base, 0x400);
	if (!b)
		return NULL;
	b->array = array;
	b->array_size = array_size;
	b->erase_unit = page_size;
	return b;
}

struct sim_device sim_soc_device(struct sim_soc_block *block)
{
	return block->dev;
}

void sim_soc_block_destroy(struct sim_soc_block *block)
{
	if (!block)
		return;
	free(block->fixed);
	free(block->words);
	free(block);
}
