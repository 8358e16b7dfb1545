// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_sfdp: JESD216 SFDP decoder (header, parameter headers, BFPT,
 * 4-byte address instruction table, sector map presence).
 *
 * Field positions follow JESD216D; DWn counts from 1.  Only the NPH + 1
 * announced parameter headers are read.  A BFPT shorter than
 * SPIRAM_SFDP_BFPT_MAX_DWORDS is padded with zeros and every field that
 * the short table lacks is reported through a has_* flag.
 */

#include <string.h>

#include "spiram_sfdp.h"

#define SFDP_HEADER_SIZE	8u
#define SFDP_PARAM_HEADER_SIZE	8u

static uint32_t sfdp_le32(const uint8_t *p)
{
	return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint32_t sfdp_bits(uint32_t word, unsigned int high, unsigned int low)
{
	return (word >> low) & ((2u << (high - low)) - 1u);
}

struct sfdp_param_header {
	uint16_t id;			/* MSB:LSB */
	uint8_t minor;
	uint8_t major;
	uint8_t dwords;
	uint32_t ptr;
};

static void sfdp_param_header(const uint8_t *p, struct sfdp_param_header *h)
{
	h->id = (uint16_t)((p[7] << 8) | p[0]);
	h->minor = p[1];
	h->major = p[2];
	h->dwords = p[3];
	h->ptr = p[4] | ((uint32_t)p[5] << 8) | ((uint32_t)p[6] << 16);
}

static bool sfdp_table_inside(const struct sfdp_param_header *h, size_t len)
{
	return (uint64_t)h->ptr + 4u * (uint64_t)h->dwords <= len;
}

/*
 * The tables this decoder reads, chosen from the NPH + 1 parameter headers
 * at buf + 8 (the caller has checked that they are inside the buffer).
 *
 * JESD216 bumps a table's major revision only for a change that an older
 * parser cannot read, so a table whose major revision is not 1 is treated
 * like an unknown table: skipped, by the decoder and by
 * spiram_sfdp_needed_len() alike.  Of several BFPTs the highest minor
 * revision wins; of several 4BAITs or sector maps the first one.
 */
struct sfdp_tables {
	bool have_bfpt, have_bait, have_smpt;
	struct sfdp_param_header bfpt, bait, smpt;
};

static void sfdp_select_tables(const uint8_t *buf, unsigned int headers, struct sfdp_tables *t)
{
	memset(t, 0, sizeof(*t));
	for (unsigned int i = 0; i < headers; i++) {
		struct sfdp_param_header h;
		sfdp_param_header(buf + SFDP_HEADER_SIZE + i * SFDP_PARAM_HEADER_SIZE, &h);
		if (h.major != 1)
			continue;
		switch (h.id) {
		case SPIRAM_SFDP_ID_BFPT:
			if (!t->have_bfpt || h.minor > t->bfpt.minor) {
				t->bfpt = h;
				t->have_bfpt = true;
			}
			break;
		case SPIRAM_SFDP_ID_4BAIT:
			if (!t->have_bait) {
				t->bait = h;
				t->have_bait = true;
			}
			break;
		case SPIRAM_SFDP_ID_SECTOR_MAP:
			if (!t->have_smpt) {
				t->smpt = h;
				t->have_smpt = true;
			}
			break;
		default:
			break;
		}
	}
}

static size_t sfdp_table_end(const struct sfdp_param_header *h)
{
	return h->ptr + 4u * (size_t)h->dwords;
}

enum spiram_sfdp_error spiram_sfdp_needed_len(const uint8_t *buf, size_t len, size_t *needed)
{
	*needed = SFDP_HEADER_SIZE;
	if (len < SFDP_HEADER_SIZE)
		return SPIRAM_SFDP_ERR_SHORT;
	if (sfdp_le32(buf) != SPIRAM_SFDP_SIGNATURE)
		return SPIRAM_SFDP_ERR_SIGNATURE;

	unsigned int headers = buf[6] + 1u;
	size_t end = SFDP_HEADER_SIZE + headers * SFDP_PARAM_HEADER_SIZE;
	*needed = end;
	if (len < end)
		return SPIRAM_SFDP_ERR_HEADERS;

	struct sfdp_tables t;
	sfdp_select_tables(buf, headers, &t);
	if (t.have_bfpt && sfdp_table_end(&t.bfpt) > *needed)
		*needed = sfdp_table_end(&t.bfpt);
	if (t.have_bait && sfdp_table_end(&t.bait) > *needed)
		*needed = sfdp_table_end(&t.bait);
	if (t.have_smpt && sfdp_table_end(&t.smpt) > *needed)
		*needed = sfdp_table_end(&t.smpt);
	return SPIRAM_SFDP_OK;
}

/* Erase time (DW10): count in 5 bits, unit in 2 bits, 1/16/128/1000 ms. */
static uint32_t sfdp_erase_time_us(uint32_t count, uint32_t unit)
{
	static const uint32_t unit_us[4] = { 1000, 16000, 128000, 1000000 };

	return (count + 1) * unit_us[unit];
}

static void sfdp_decode_read(struct spiram_sfdp_read *r, bool supported, uint32_t half)
{
	r->supported = supported;
	r->wait_states = (uint8_t)sfdp_bits(half, 4, 0);
	r->mode_clocks = (uint8_t)sfdp_bits(half, 7, 5);
	r->opcode = (uint8_t)sfdp_bits(half, 15, 8);
}

static void sfdp_decode_bfpt(struct spiram_sfdp_info *info)
{
	/* dw[n] is DWn, as the standard counts; dw[0] is unused */
	uint32_t dw[1 + SPIRAM_SFDP_BFPT_MAX_DWORDS];
	const uint32_t n = info->bfpt_dwords;

	dw[0] = 0;
	memcpy(dw + 1, info->bfpt, sizeof(info->bfpt));

	/* DW1 */
	info->erase_4k = sfdp_bits(dw[1], 1, 0) == 1;
	info->erase_4k_opcode = (uint8_t)sfdp_bits(dw[1], 15, 8);
	info->write_gran_64 = sfdp_bits(dw[1], 2, 2);
	info->vsr_volatile = sfdp_bits(dw[1], 3, 3);
	info->vsr_wren_opcode = sfdp_bits(dw[1], 4, 4) ? 0x06 : 0x50;
	uint32_t addr_bytes = sfdp_bits(dw[1], 18, 17);
	info->addr_bytes = (enum spiram_sfdp_addr_bytes)addr_bytes;
	info->dtr = sfdp_bits(dw[1], 19, 19);

	/* DW2 density */
	if (dw[2] & 0x80000000u) {
		uint32_t exponent = dw[2] & 0x7fffffffu;
		info->size = (exponent >= 3 && exponent < 67) ? (uint64_t)1 << (exponent - 3) : 0;
	} else {
		info->size = ((uint64_t)dw[2] + 1) / 8;
	}

	/* DW3-DW7 reads */
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_1_4_4], sfdp_bits(dw[1], 21, 21), dw[3] & 0xffff);
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_1_1_4], sfdp_bits(dw[1], 22, 22), dw[3] >> 16);
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_1_1_2], sfdp_bits(dw[1], 16, 16), dw[4] & 0xffff);
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_1_2_2], sfdp_bits(dw[1], 20, 20), dw[4] >> 16);
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_2_2_2], sfdp_bits(dw[5], 0, 0), dw[6] >> 16);
	sfdp_decode_read(&info->read[SPIRAM_SFDP_READ_4_4_4], sfdp_bits(dw[5], 4, 4), dw[7] >> 16);

	/* DW8-DW9 erase types */
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		uint32_t half = (i < 2 ? dw[8] : dw[9]) >> (16 * (i & 1));
		uint32_t exponent = sfdp_bits(half, 7, 0);
		struct spiram_sfdp_erase *e = &info->erase[i];
		memset(e, 0, sizeof(*e));
		if (exponent == 0 || exponent > 31)
			continue;
		e->size = 1u << exponent;
		e->opcode = (uint8_t)sfdp_bits(half, 15, 8);
	}

	/* DW10 erase times */
	if (n >= 10) {
		info->has_erase_times = true;
		info->erase_max_mult = 2 * (sfdp_bits(dw[10], 3, 0) + 1);
		static const unsigned int field_low[4] = { 4, 11, 18, 25 };
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			struct spiram_sfdp_erase *e = &info->erase[i];
			if (!e->size)
				continue;
			unsigned int low = field_low[i];
			e->typ_us = sfdp_erase_time_us(sfdp_bits(dw[10], low + 4, low), sfdp_bits(dw[10], low + 6,
					low + 5));
			e->max_us = e->typ_us * info->erase_max_mult;
		}
	}

	/* DW11 page size and program / chip erase times */
	info->page_size = 256;
	if (n >= 11) {
		static const uint32_t chip_unit_ms[4] = { 16, 256, 4000, 64000 };
		info->has_dw11 = true;
		info->program_max_mult = 2 * (sfdp_bits(dw[11], 3, 0) + 1);
		info->page_size = 1u << sfdp_bits(dw[11], 7, 4);
		info->pp_typ_us = (sfdp_bits(dw[11], 12, 8) + 1) * (sfdp_bits(dw[11], 13, 13) ? 64 : 8);
		info->pp_max_us = info->pp_typ_us * info->program_max_mult;
		info->chip_erase_typ_ms = (sfdp_bits(dw[11], 28, 24) + 1) * chip_unit_ms[sfdp_bits(dw[11], 30, 29)];
		info->chip_erase_max_ms = info->chip_erase_typ_ms * info->program_max_mult;
	}

	/* DW12-DW13 suspend */
	if (n >= 13) {
		info->has_suspend = !sfdp_bits(dw[12], 31, 31);
		info->suspend_opcode = (uint8_t)sfdp_bits(dw[13], 31, 24);
		info->resume_opcode = (uint8_t)sfdp_bits(dw[13], 23, 16);
	}

	/* DW14 deep power-down */
	if (n >= 14) {
		static const uint32_t dpd_unit_ns[4] = { 128, 1000, 8000, 64000 };
		info->has_dpd = !sfdp_bits(dw[14], 31, 31);
		info->dpd_enter_opcode = (uint8_t)sfdp_bits(dw[14], 30, 23);
		info->dpd_exit_opcode = (uint8_t)sfdp_bits(dw[14], 22, 15);
		info->dpd_exit_delay_ns = (sfdp_bits(dw[14], 12, 8) + 1) * dpd_unit_ns[sfdp_bits(dw[14], 14, 13)];
	}

	/* DW15 quad enable requirement */
	if (n >= 15) {
		info->has_dw15 = true;
		info->qer = (uint8_t)sfdp_bits(dw[15], 22, 20);
		info->qe_known = true;
		switch (info->qer) {
		case 0:
			info->qe_method = SPIRAM_QE_NONE;
			break;
		case 1:		/* SR2 bit1, 01h with 2 bytes (1 byte clears SR2) */
		case 4:		/* SR2 bit1, 01h with 2 bytes */
		case 5:		/* SR2 bit1, 35h read, 01h with 2 bytes */
			info->qe_method = SPIRAM_QE_SR2_BIT1_WRSR16;
			break;
		case 2:
			info->qe_method = SPIRAM_QE_SR1_BIT6;
			break;
		case 6:
			info->qe_method = SPIRAM_QE_SR2_BIT1_WRSR2;
			break;
		default:	/* 3: SR2 bit7 via 3Eh; 7: reserved */
			info->qe_known = false;
			info->qe_method = SPIRAM_QE_NONE;
			break;
		}
	}

	/* DW16 4-byte addressing, reset, SR1 write */
	if (n >= 16) {
		info->has_dw16 = true;
		info->enter_4b = (uint8_t)sfdp_bits(dw[16], 31, 24);
		info->exit_4b = (uint16_t)sfdp_bits(dw[16], 23, 14);
		info->soft_reset = (uint8_t)sfdp_bits(dw[16], 13, 8);
		info->sr1_write = (uint8_t)sfdp_bits(dw[16], 6, 0);
	}
}

enum spiram_sfdp_error spiram_sfdp_decode(const uint8_t *buf, size_t len, struct spiram_sfdp_info *info)
{
	memset(info, 0, sizeof(*info));

	if (len < SFDP_HEADER_SIZE)
		return SPIRAM_SFDP_ERR_SHORT;
	if (sfdp_le32(buf) != SPIRAM_SFDP_SIGNATURE)
		return SPIRAM_SFDP_ERR_SIGNATURE;
	info->sfdp_minor = buf[4];
	info->sfdp_major = buf[5];
	info->nph = buf[6];
	info->access_protocol = buf[7];
	if (info->sfdp_major != 1)
		return SPIRAM_SFDP_ERR_VERSION;

	unsigned int headers = info->nph + 1u;
	if (len < SFDP_HEADER_SIZE + headers * SFDP_PARAM_HEADER_SIZE)
		return SPIRAM_SFDP_ERR_HEADERS;

	struct sfdp_tables t;
	sfdp_select_tables(buf, headers, &t);
	const struct sfdp_param_header bfpt = t.bfpt, bait = t.bait, smpt = t.smpt;
	const bool have_bfpt = t.have_bfpt, have_bait = t.have_bait, have_smpt = t.have_smpt;

	if (!have_bfpt)
		return SPIRAM_SFDP_ERR_NO_BFPT;
	info->bfpt_minor = bfpt.minor;
	info->bfpt_major = bfpt.major;
	info->bfpt_ptr = bfpt.ptr;
	info->bfpt_dwords = bfpt.dwords;
	if (bfpt.dwords < SPIRAM_SFDP_BFPT_MIN_DWORDS)
		return SPIRAM_SFDP_ERR_BFPT_SHORT;
	if (!sfdp_table_inside(&bfpt, len))
		return SPIRAM_SFDP_ERR_TRUNCATED;

	uint32_t used = bfpt.dwords < SPIRAM_SFDP_BFPT_MAX_DWORDS ? bfpt.dwords : SPIRAM_SFDP_BFPT_MAX_DWORDS;
	for (uint32_t i = 0; i < used; i++)
		info->bfpt[i] = sfdp_le32(buf + bfpt.ptr + 4 * i);
	if (info->bfpt_dwords > SPIRAM_SFDP_BFPT_MAX_DWORDS)
		info->bfpt_dwords = SPIRAM_SFDP_BFPT_MAX_DWORDS;

	sfdp_decode_bfpt(info);
	if (info->size == 0)
		return SPIRAM_SFDP_ERR_DENSITY;

	if (have_bait) {
		if (bait.dwords < 2 || !sfdp_table_inside(&bait, len))
			return SPIRAM_SFDP_ERR_TRUNCATED;
		info->has_4bait = true;
		info->bait_ptr = bait.ptr;
		info->bait_dw1 = sfdp_le32(buf + bait.ptr);
		info->bait_dw2 = sfdp_le32(buf + bait.ptr + 4);
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			uint8_t opcode = (uint8_t)(info->bait_dw2 >> (8 * i));
			if (info->erase[i].size && (info->bait_dw1 & SPIRAM_SFDP_4B_ERASE(i)) && opcode != 0xff)
				info->erase[i].opcode_4b = opcode;
		}
	}

	if (have_smpt) {
		if (!sfdp_table_inside(&smpt, len))
			return SPIRAM_SFDP_ERR_TRUNCATED;
		info->has_sector_map = true;
		info->sector_map_ptr = smpt.ptr;
		info->sector_map_dwords = smpt.dwords;
	}
	return SPIRAM_SFDP_OK;
}

uint8_t spiram_sfdp_4b_opcode(const struct spiram_sfdp_info *info, uint32_t bait_bit)
{
	static const uint8_t opcodes[9] = { 0x13, 0x0c, 0x3c, 0xbc, 0x6c, 0xec, 0x12, 0x34, 0x3e };

	if (!info->has_4bait || !(info->bait_dw1 & bait_bit))
		return 0;
	for (unsigned int i = 0; i < 9; i++) {
		if (bait_bit == (1u << i))
			return opcodes[i];
	}
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		if (bait_bit == SPIRAM_SFDP_4B_ERASE(i))
			return info->erase[i].opcode_4b;
	}
	return 0;
}

const char *spiram_sfdp_strerror(enum spiram_sfdp_error err)
{
	switch (err) {
	case SPIRAM_SFDP_OK:
		return "no error";
	case SPIRAM_SFDP_ERR_SHORT:
		return "SFDP data shorter than its 8-byte header";
	case SPIRAM_SFDP_ERR_SIGNATURE:
		return "no SFDP signature (chip without SFDP, or 5Ah read with wrong dummy cycles)";
	case SPIRAM_SFDP_ERR_VERSION:
		return "SFDP major revision is not 1";
	case SPIRAM_SFDP_ERR_HEADERS:
		return "SFDP parameter headers run past the data read";
	case SPIRAM_SFDP_ERR_NO_BFPT:
		return "SFDP has no Basic Flash Parameter Table of major revision 1";
	case SPIRAM_SFDP_ERR_BFPT_SHORT:
		return "SFDP Basic Flash Parameter Table shorter than 9 DWORDs";
	case SPIRAM_SFDP_ERR_TRUNCATED:
		return "an SFDP table points beyond the data read";
	case SPIRAM_SFDP_ERR_DENSITY:
		return "SFDP density field is invalid";
	}
	return "unknown SFDP error";
}
