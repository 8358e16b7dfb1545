// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_chips: known SPI NOR chips as data, and the merge of table, SFDP,
 * fixups and user override into one flash configuration.
 *
 * Where the numbers come from (keys of the NOR chip reference sheet):
 *  - IDs, sizes, SFDP revisions: UFP, FR, LNX part tables;
 *  - dummy cycles: decoded SFDP dumps and STW/UFP DC tables (DC = 00);
 *  - Winbond max erase times 400 ms / 1600 ms / 2000 ms / 200 s: STW;
 *  - IS25LP064A 400 ms / 1000 ms / 460 s: LD;
 *  - page program 3 ms and SR write 15 ms (Winbond): datasheet values
 *    marked UNVERIFIED in the reference; W25Q64JV, IS25LP128 and the
 *    W25Q512JV/IS25WP256 protection schemes are from part lists only
 *    (UNVERIFIED).  A 0 in the table means "unknown": SFDP or a generous
 *    default (SPIRAM_DEFAULT_*) fills it.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "spiram_chips.h"

/* As OpenOCD's helper/types.h has it; this file is also built outside OpenOCD. */
#ifndef ARRAY_SIZE
#define ARRAY_SIZE(x) (sizeof(x) / sizeof((x)[0]))
#endif

#define KIB 1024u
#define MIB (1024u * 1024u)
#define SIXTEEN_MIB (16u * MIB)

/* Generous defaults when neither the table nor SFDP gives a max time. */
#define SPIRAM_DEFAULT_PP_MAX_US	10000u		/* 10 ms per page */
#define SPIRAM_DEFAULT_SR_WRITE_MAX_US	100000u		/* 100 ms */
#define SPIRAM_DEFAULT_ERASE_MAX_US	4000000u	/* 4 s per block, any size up to 64 KiB */
#define SPIRAM_DEFAULT_CHIP_ERASE_MS_PER_MIB	30000u	/* 30 s per MiB (W25Q128JV: 200 s / 16 MiB) */

#define READ(op, op4, c, a, d, dummy, mode) { op, op4, SPIRAM_PROTO(c, a, d), dummy, mode }
#define NO_READ { 0, 0, 0, 0, 0 }

/* Winbond W25Q..JV/FV and GigaDevice share the SR layout and read modes. */
#define WINBOND_SR	3, { 0x05, 0x35, 0x15 }, { 0x01, 0x31, 0x11 }
#define WINBOND_ERASE_3B \
	{ { 4 * KIB, 0x20, 0, 400000 }, { 32 * KIB, 0x52, 0, 1600000 }, { 64 * KIB, 0xd8, 0, 2000000 } }
#define WINBOND_ERASE_4B \
	{ { 4 * KIB, 0x20, 0x21, 400000 }, { 32 * KIB, 0x52, 0, 1600000 }, { 64 * KIB, 0xd8, 0xdc, 2000000 } }
#define GENERIC_ERASE_3B { { 4 * KIB, 0x20, 0, 0 }, { 32 * KIB, 0x52, 0, 0 }, { 64 * KIB, 0xd8, 0, 0 } }
#define MACRONIX_ERASE_4B { { 4 * KIB, 0x20, 0x21, 0 }, { 32 * KIB, 0x52, 0x5c, 0 }, { 64 * KIB, 0xd8, 0xdc, 0 } }
#define FAST_3B		READ(0x0b, 0, 1, 1, 1, 8, 0)
#define FAST_4B		READ(0x0b, 0x0c, 1, 1, 1, 8, 0)
#define DUAL_3B		READ(0xbb, 0, 1, 2, 2, 4, 2)
#define DUAL_4B		READ(0xbb, 0xbc, 1, 2, 2, 4, 2)
#define DUAL_MX_3B	READ(0xbb, 0, 1, 2, 2, 4, 0)
#define DUAL_MX_4B	READ(0xbb, 0xbc, 1, 2, 2, 4, 0)
#define QUAD_3B		READ(0xeb, 0, 1, 4, 4, 6, 2)
#define QUAD_4B		READ(0xeb, 0xec, 1, 4, 4, 6, 2)

static void spiram_fixup_winbond(const struct spiram_chip_info *chip, const struct spiram_sfdp_info *sfdp,
		struct spiram_chip_config *cfg);

const struct spiram_chip_info spiram_chip_table[] = {
	{ "W25Q128JV", { 0xef, 0x40, 0x18 }, 3, 5, 0xff, true, 16 * MIB, 256, WINBOND_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_3BP_TB_SEC_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  3000, 200000, 15000, spiram_fixup_winbond, "UFP/LNX id; SFDP dump; STW max times; DS rev F tPP typ",
	  400 },
	{ "W25Q128FV", { 0xef, 0x40, 0x18 }, 3, 0, 4, false, 16 * MIB, 256, WINBOND_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_QUAD_PP_1_1_4,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_3BP_TB_SEC_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  3000, 200000, 15000, spiram_fixup_winbond, "UFP (FV: BFPT minor 0); SFDP dump; JV family max times", 0 },
	{ "W25Q128JV-DTR", { 0xef, 0x70, 0x18 }, 3, 0, 0xff, true, 16 * MIB, 256, WINBOND_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_3BP_TB_SEC_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  3000, 200000, 15000, spiram_fixup_winbond, "UFP/FR id; as W25Q128JV", 0 },
	{ "W25Q64JV", { 0xef, 0x40, 0x17 }, 3, 0, 0xff, true, 8 * MIB, 256, WINBOND_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_3BP_TB_SEC_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  3000, 100000, 15000, spiram_fixup_winbond, "LNX id (UNVERIFIED); JV family values", 0 },
	{ "W25Q256JV", { 0xef, 0x40, 0x19 }, 3, 5, 0xff, true, 32 * MIB, 256, WINBOND_ERASE_4B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4 |
	  SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_EAR,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_4BP_TB_CMP, FAST_4B, DUAL_4B, QUAD_4B, 0x32,
	  3000, 400000, 15000, spiram_fixup_winbond, "UFP/FR (4B opcodes 21h/DCh); secondary max times", 0 },
	{ "W25Q256FV", { 0xef, 0x40, 0x19 }, 3, 0, 4, false, 32 * MIB, 256, WINBOND_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_QUAD_PP_1_1_4 | SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_EAR,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_4BP_TB_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  3000, 400000, 15000, spiram_fixup_winbond, "UFP (B7h/E9h + EAR, no 4B opcodes); QEMU SFDP dump", 0 },
	{ "W25Q512JV", { 0xef, 0x40, 0x20 }, 3, 0, 0xff, true, 64 * MIB, 256, WINBOND_ERASE_4B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4 |
	  SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_EAR,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_4BP_TB_CMP, FAST_4B, DUAL_4B, QUAD_4B, 0x32,
	  3000, 0, 15000, spiram_fixup_winbond, "QEMU SFDP dump (4BAIT); protection scheme UNVERIFIED", 0 },
	{ "GD25Q128C/E", { 0xc8, 0x40, 0x18 }, 3, 0, 0xff, true, 16 * MIB, 256, GENERIC_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_VOLATILE_SR_50 | SPIRAM_CHIP_F_QUAD_PP_1_1_4,
	  SPIRAM_QE_SR2_BIT1_WRSR2, WINBOND_SR, SPIRAM_PROTECT_3BP_TB_SEC_CMP, FAST_3B, DUAL_3B, QUAD_3B, 0x32,
	  0, 0, 0, NULL, "UFP (W25Q register layout, QE via 31h UNVERIFIED); no public timings", 0 },
	{ "MX25L12835F", { 0xc2, 0x20, 0x18 }, 3, 0, 0xff, true, 16 * MIB, 256, GENERIC_ERASE_3B, 0xc7, 0,
	  SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x15, 0 }, { 0x01, 0, 0 }, SPIRAM_PROTECT_4BP_TB_CR,
	  FAST_3B, DUAL_MX_3B, QUAD_3B, 0, 0, 0, 0, NULL,
	  "UFP/FR; same ID as newer C2 20 18 parts, SFDP wins; no 32h (38h is 1-4-4); no public timings", 0 },
	{ "MX25L25645G", { 0xc2, 0x20, 0x19 }, 3, 6, 0xff, false, 32 * MIB, 256, MACRONIX_ERASE_4B, 0xc7,
	  SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_EAR,
	  SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x15, 0 }, { 0x01, 0, 0 }, SPIRAM_PROTECT_4BP_TB_CR,
	  FAST_4B, DUAL_MX_4B, QUAD_4B, 0, 0, 0, 0, NULL, "UFP (SFDP 1.6); c22019 SFDP dump (4BAIT)", 0 },
	{ "MX25L25635F", { 0xc2, 0x20, 0x19 }, 3, 0, 5, true, 32 * MIB, 256, MACRONIX_ERASE_4B, 0xc7,
	  SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_EAR,
	  SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x15, 0 }, { 0x01, 0, 0 }, SPIRAM_PROTECT_4BP_TB_CR,
	  FAST_4B, DUAL_MX_4B, QUAD_4B, 0, 0, 0, 0, NULL, "UFP (SFDP 1.0, EAR); QEMU SFDP dump", 0 },
	{ "IS25LP064A", { 0x9d, 0x60, 0x17 }, 3, 0, 0xff, true, 8 * MIB, 256,
	  { { 4 * KIB, 0x20, 0, 400000 }, { 32 * KIB, 0x52, 0, 0 }, { 64 * KIB, 0xd8, 0, 1000000 } }, 0xc7,
	  SPIRAM_CHIP_F_QUAD_PP_1_1_4, SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x48, 0 }, { 0x01, 0x42, 0 },
	  SPIRAM_PROTECT_4BP_TBS_FR, FAST_3B, READ(0xbb, 0, 1, 2, 2, 4, 4), QUAD_3B, 0x32, 0, 460000, 0, NULL,
	  "UFP/LD; LD max erase times", 0 },
	{ "IS25LP128", { 0x9d, 0x60, 0x18 }, 3, 0, 0xff, true, 16 * MIB, 256, GENERIC_ERASE_3B, 0xc7,
	  SPIRAM_CHIP_F_QUAD_PP_1_1_4, SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x48, 0 }, { 0x01, 0x42, 0 },
	  SPIRAM_PROTECT_4BP_TBS_FR, FAST_3B, READ(0xbb, 0, 1, 2, 2, 4, 4), QUAD_3B, 0x32, 0, 0, 0, NULL,
	  "LNX/UFP id (UNVERIFIED); ISSI family values", 0 },
	{ "IS25WP256", { 0x9d, 0x70, 0x19 }, 3, 0, 0xff, true, 32 * MIB, 256,
	  { { 4 * KIB, 0x20, 0x21, 0 }, { 32 * KIB, 0x52, 0x5c, 0 }, { 64 * KIB, 0xd8, 0xdc, 0 } }, 0xc7,
	  SPIRAM_CHIP_F_QUAD_PP_1_1_4 | SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7,
	  SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x48, 0 }, { 0x01, 0x42, 0 }, SPIRAM_PROTECT_4BP_TBS_FR,
	  FAST_4B, READ(0xbb, 0xbc, 1, 2, 2, 4, 4), QUAD_4B, 0x32, 0, 0, 0, NULL,
	  "QEMU SFDP dump (DW16 A9h: B7h, bank register, 4B opcodes); 4B erase opcodes UNVERIFIED", 0 },
	/* Micron: no QE bit, quad reads always work; EBh takes 10 dummy
	 * clocks and the others 8 at the power-on VCR (no mode bits); BP3 sits
	 * in SR bit 6 (SPIRAM_PROTECT_4BP_TB_MICRON, nor-chips.md 9.4) */
	{ "N25Q128A", { 0x20, 0xba, 0x18 }, 3, 0, 0xff, true, 16 * MIB, 256,
	  { { 4 * KIB, 0x20, 0, 800000 }, { 64 * KIB, 0xd8, 0, 3000000 } }, 0xc7,
	  SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4, SPIRAM_QE_NONE, 1, { 0x05, 0, 0 }, { 0x01, 0, 0 },
	  SPIRAM_PROTECT_4BP_TB_MICRON, FAST_3B, READ(0xbb, 0, 1, 2, 2, 8, 0), READ(0xeb, 0, 1, 4, 4, 10, 0), 0x32,
	  0, 250000, 0, NULL, "LNX id; ST n25q128a.h dummy counts and max erase times; MT25QL128ABA same ID", 0 },
	{ "MT25QL512A", { 0x20, 0xba, 0x20 }, 3, 0, 0xff, true, 64 * MIB, 256,
	  { { 4 * KIB, 0x20, 0x21, 400000 }, { 32 * KIB, 0x52, 0x5c, 1000000 }, { 64 * KIB, 0xd8, 0xdc, 1000000 } },
	  0xc7, SPIRAM_CHIP_F_NO_QPI | SPIRAM_CHIP_F_QUAD_PP_1_1_4 | SPIRAM_CHIP_F_QUAD_PP_34 | SPIRAM_CHIP_F_4B_OPCODES |
	  SPIRAM_CHIP_F_4B_B7 | SPIRAM_CHIP_F_4B_NEEDS_WREN | SPIRAM_CHIP_F_EAR, SPIRAM_QE_NONE, 1, { 0x05, 0, 0 },
	  { 0x01, 0, 0 }, SPIRAM_PROTECT_4BP_TB_MICRON, FAST_4B, READ(0xbb, 0xbc, 1, 2, 2, 8, 0),
	  READ(0xeb, 0xec, 1, 4, 4, 10, 0), 0x32, 0, 460000, 0, NULL,
	  "LNX id (WREN before B7h); ST mt25ql512abb.h 4-byte opcodes (34h 1-1-4) and max times; typical page "
	  "program 120 us: the MT25Q family's BFPT (MT25Q256ABA), INFERRED for this die", 120 },
	{ "MX25R6435F", { 0xc2, 0x28, 0x17 }, 3, 0, 0xff, true, 8 * MIB, 256,
	  { { 4 * KIB, 0x20, 0, 240000 }, { 32 * KIB, 0x52, 0, 3000000 }, { 64 * KIB, 0xd8, 0, 3500000 } }, 0xc7, 0,
	  SPIRAM_QE_SR1_BIT6, 2, { 0x05, 0x15, 0 }, { 0x01, 0, 0 }, SPIRAM_PROTECT_4BP_TB_CR,
	  FAST_3B, DUAL_MX_3B, QUAD_3B, 0, 0, 240000, 0, NULL,
	  "UBT id; Zephyr BFPT; ST mx25r6435f.h max times; no 32h (38h is 1-4-4)", 0 },
	/* Macronix octaflash: single I/O and octal only (no dual/quad read);
	 * in 8D-8D-8D the OCTOSPI backend maps these 1-1-1 opcodes to OPI */
	{ "MX25LM51245G", { 0xc2, 0x85, 0x3a }, 3, 0, 0xff, true, 64 * MIB, 256,
	  { { 4 * KIB, 0x20, 0x21, 400000 }, { 64 * KIB, 0xd8, 0xdc, 1000000 } }, 0xc7,
	  SPIRAM_CHIP_F_4B_OPCODES, SPIRAM_QE_NONE, 2, { 0x05, 0x15, 0 }, { 0x01, 0, 0 },
	  SPIRAM_PROTECT_4BP_TB_CR, FAST_4B, NO_READ, NO_READ, 0, 0, 460000, 40000, NULL,
	  "OpenOCD spi.c id; ST mx25lm51245g.h 4-byte opcodes and max times (4K 400 ms, 64K 1 s, chip 460 s, tW 40 ms)", 0 },
	{ .name = NULL }
};

size_t spiram_chip_table_count(void)
{
	size_t n = 0;

	while (spiram_chip_table[n].name)
		n++;
	return n;
}

static bool spiram_chip_id_matches(const struct spiram_chip_info *chip, const uint8_t *id, size_t id_len)
{
	return id_len >= chip->id_len && !memcmp(chip->id, id, chip->id_len);
}

const struct spiram_chip_info *spiram_chip_lookup(const uint8_t *id, size_t id_len,
		const struct spiram_sfdp_info *sfdp)
{
	for (const struct spiram_chip_info *chip = spiram_chip_table; chip->name; chip++) {
		if (!spiram_chip_id_matches(chip, id, id_len))
			continue;
		if (!sfdp) {
			if (chip->no_sfdp_ok)
				return chip;
			continue;
		}
		if (sfdp->bfpt_minor >= chip->bfpt_minor_min && sfdp->bfpt_minor <= chip->bfpt_minor_max)
			return chip;
	}
	return NULL;
}

const struct spiram_chip_info *spiram_chip_find_name(const char *name)
{
	for (const struct spiram_chip_info *chip = spiram_chip_table; chip->name; chip++) {
		if (!strcasecmp(chip->name, name))
			return chip;
	}
	return NULL;
}

/* ------------------------------------------------------------------------
 * Fixups: vendor quirks, run after SFDP and before the user override.
 * ------------------------------------------------------------------------ */

/*
 * Winbond: QE is SR2 bit 1 and 31h writes SR2 alone, which every W25Q..JV/FV
 * accepts; SFDP QER 4 would make us write SR1+SR2 with 01h, also correct but
 * it rewrites the protection bits.  W25Q128JV flags 4-4-4 in SFDP but has
 * no QPI: we never use 4-4-4, the fixup only records it.
 */
static void spiram_fixup_winbond(const struct spiram_chip_info *chip, const struct spiram_sfdp_info *sfdp,
		struct spiram_chip_config *cfg)
{
	if (cfg->flash.qe_method == SPIRAM_QE_SR2_BIT1_WRSR16) {
		cfg->flash.qe_method = SPIRAM_QE_SR2_BIT1_WRSR2;
		cfg->fixups |= SPIRAM_FIXUP_W25Q_QE_31;
	}
	if ((chip->flags & SPIRAM_CHIP_F_NO_QPI) && sfdp && sfdp->read[SPIRAM_SFDP_READ_4_4_4].supported)
		cfg->fixups |= SPIRAM_FIXUP_NO_QPI;
}

/* Generic quirks of SFDP data seen in real dumps. */
static void spiram_fixup_generic(const struct spiram_sfdp_info *sfdp, struct spiram_chip_config *cfg)
{
	if (!sfdp)
		return;
	/* c22018: 4BAIT present, DW1 = 0xFFFF0000, nothing supported */
	if (sfdp->has_4bait && !(sfdp->bait_dw1 & 0xffff))
		cfg->fixups |= SPIRAM_FIXUP_EMPTY_4BAIT;
	/* c22018: DW16 enter-4B byte all ones on a 3-byte part: not provided */
	if (sfdp->has_dw16 && sfdp->enter_4b == 0xff)
		cfg->fixups |= SPIRAM_FIXUP_DW16_ALL_ONES;
}

const char *spiram_fixups_describe(uint32_t fixups, char *buf, size_t size)
{
	/* indexed by bit number: SPIRAM_FIXUP_NO_QPI is bit 0, ... */
	static const char * const names[] = {
		[0] = "4-4-4 (QPI) read listed in SFDP but absent: ignored",
		[1] = "empty 4-byte address table in SFDP: ignored",
		[2] = "SFDP enter-4-byte-mode field all ones: taken as not provided",
		[3] = "quad enable bit written with 31h (status register 2 alone)",
	};
	size_t used = 0;

	if (!size)
		return buf;
	buf[0] = '\0';
	if (!fixups) {
		snprintf(buf, size, "none");
		return buf;
	}
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(fixups & (1u << bit)))
			continue;
		int n;
		if (bit < ARRAY_SIZE(names) && names[bit])
			n = snprintf(buf + used, size - used, "%s%s", used ? "; " : "", names[bit]);
		else
			n = snprintf(buf + used, size - used, "%sbit %u", used ? "; " : "", bit);
		if (n < 0 || (size_t)n >= size - used)
			break;		/* truncated: buf stays terminated */
		used += n;
	}
	return buf;
}

/* ------------------------------------------------------------------------
 * Merge.
 * ------------------------------------------------------------------------ */

/* Read mode the merge works with before it becomes flash cfg fields. */
struct merge_read {
	uint8_t opcode;
	uint8_t opcode_4b;
	uint32_t proto;
	uint8_t dummy;
};

struct merge_state {
	struct merge_read fast, dual, quad;
	bool has_4b_opcodes;		/* dedicated 4-byte read/program/erase opcodes */
	bool has_b7;			/* B7h enters 4-byte mode */
	bool b7_needs_wren;
	uint8_t program_4b;
	bool quad_ok;			/* QE method known (or none needed) */
};

static void merge_read_from_table(struct merge_read *r, const struct spiram_chip_read *t)
{
	if (!t->opcode)
		return;
	r->opcode = t->opcode;
	r->opcode_4b = t->opcode_4b;
	r->proto = t->proto;
	r->dummy = t->dummy;
}

static void merge_read_from_sfdp(struct merge_read *r, const struct spiram_sfdp_info *sfdp,
		enum spiram_sfdp_read_mode mode, uint32_t proto, uint32_t bait_bit)
{
	const struct spiram_sfdp_read *s = &sfdp->read[mode];

	/* a mode that needs more dummy clocks than the controllers can send is
	 * not used (mode + wait can reach 7 + 31 in SFDP) */
	if (!s->supported || !s->opcode || spiram_sfdp_read_dummy(s) > SPIRAM_CHIP_MAX_READ_DUMMY)
		return;
	r->opcode = s->opcode;
	r->proto = proto;
	r->dummy = (uint8_t)spiram_sfdp_read_dummy(s);
	uint8_t op4 = spiram_sfdp_4b_opcode(sfdp, bait_bit);
	if (op4)
		r->opcode_4b = op4;
}

static uint32_t default_erase_max_us(uint32_t size)
{
	(void)size;
	return SPIRAM_DEFAULT_ERASE_MAX_US;
}

static void merge_table(const struct spiram_chip_info *chip, struct spiram_chip_config *out, struct merge_state *st)
{
	struct spiram_flash_cfg *f = &out->flash;

	snprintf(out->name, sizeof(out->name), "%s", chip->name);
	out->chip = chip;
	f->size = chip->size;
	f->page_size = chip->page_size;
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		f->erase[i].size = chip->erase[i].size;
		f->erase[i].opcode = chip->erase[i].opcode;
		f->erase[i].opcode_4b = chip->erase[i].opcode_4b;
		f->erase[i].max_time_us = chip->erase[i].max_us;
	}
	f->chip_erase_opcode = chip->chip_erase_opcode;
	f->qe_method = chip->qe_method;
	f->page_program_max_us = chip->pp_max_us;
	f->status_write_max_us = chip->sr_write_max_us;
	out->chip_erase_max_ms = chip->chip_erase_max_ms;
	out->pp_typ_us = chip->pp_typ_us;
	out->protect_scheme = chip->protect_scheme;
	out->sr_count = chip->sr_count;
	memcpy(out->sr_read_opcode, chip->sr_read_opcode, 3);
	memcpy(out->sr_write_opcode, chip->sr_write_opcode, 3);
	merge_read_from_table(&st->fast, &chip->read_fast);
	merge_read_from_table(&st->dual, &chip->read_dual);
	merge_read_from_table(&st->quad, &chip->read_quad);
	st->has_4b_opcodes = chip->flags & SPIRAM_CHIP_F_4B_OPCODES;
	st->has_b7 = chip->flags & SPIRAM_CHIP_F_4B_B7;
	st->b7_needs_wren = chip->flags & SPIRAM_CHIP_F_4B_NEEDS_WREN;
	if (st->has_4b_opcodes)
		st->program_4b = 0x12;
	st->quad_ok = true;
}

static void merge_sfdp(const struct spiram_sfdp_info *sfdp, struct spiram_chip_config *out, struct merge_state *st)
{
	struct spiram_flash_cfg *f = &out->flash;

	out->used_sfdp = true;
	f->size = sfdp->size > 0xffffffffull ? 0xffffffffu : (uint32_t)sfdp->size;
	if (sfdp->has_dw11 || !f->page_size)
		f->page_size = sfdp->page_size;

	/* the erase map: SFDP's types replace the table's, keeping a table max
	 * time for a type of the same size when SFDP has none */
	struct spiram_erase_type erase[SPIRAM_MAX_ERASE_TYPES];
	memset(erase, 0, sizeof(erase));
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		const struct spiram_sfdp_erase *e = &sfdp->erase[i];
		if (!e->size)
			continue;
		erase[i].size = e->size;
		erase[i].opcode = e->opcode;
		erase[i].opcode_4b = e->opcode_4b;
		erase[i].max_time_us = e->max_us;
		for (unsigned int j = 0; j < SPIRAM_MAX_ERASE_TYPES; j++) {
			if (f->erase[j].size != e->size)
				continue;
			if (!erase[i].max_time_us)
				erase[i].max_time_us = f->erase[j].max_time_us;
			if (!erase[i].opcode_4b && !sfdp->has_4bait)
				erase[i].opcode_4b = f->erase[j].opcode_4b;
		}
	}
	memcpy(f->erase, erase, sizeof(erase));

	if (sfdp->has_dw11) {
		if (sfdp->pp_max_us)
			f->page_program_max_us = sfdp->pp_max_us;
		if (!out->pp_typ_us)
			out->pp_typ_us = sfdp->pp_typ_us;
		if (sfdp->chip_erase_max_ms)
			out->chip_erase_max_ms = sfdp->chip_erase_max_ms;
	}
	if (sfdp->has_dw15) {
		st->quad_ok = sfdp->qe_known;
		if (sfdp->qe_known)
			f->qe_method = sfdp->qe_method;
	} else if (!out->chip) {
		/* JESD216 v1.0 has no QER: without the table we cannot set QE */
		st->quad_ok = false;
	}

	merge_read_from_sfdp(&st->dual, sfdp, SPIRAM_SFDP_READ_1_1_2, SPIRAM_PROTO(1, 1, 2), SPIRAM_SFDP_4B_READ_1_1_2);
	merge_read_from_sfdp(&st->dual, sfdp, SPIRAM_SFDP_READ_1_2_2, SPIRAM_PROTO(1, 2, 2), SPIRAM_SFDP_4B_READ_1_2_2);
	merge_read_from_sfdp(&st->quad, sfdp, SPIRAM_SFDP_READ_1_1_4, SPIRAM_PROTO(1, 1, 4), SPIRAM_SFDP_4B_READ_1_1_4);
	merge_read_from_sfdp(&st->quad, sfdp, SPIRAM_SFDP_READ_1_4_4, SPIRAM_PROTO(1, 4, 4), SPIRAM_SFDP_4B_READ_1_4_4);
	/* 4-4-4 and 2-2-2 are never used: the stub talks 1-x-x only */
	if (spiram_sfdp_4b_opcode(sfdp, SPIRAM_SFDP_4B_FAST_READ))
		st->fast.opcode_4b = 0x0c;

	/* 4-byte addressing */
	if (sfdp->has_4bait) {
		st->has_4b_opcodes = (sfdp->bait_dw1 & SPIRAM_SFDP_4B_PP) &&
				(sfdp->bait_dw1 & SPIRAM_SFDP_4B_FAST_READ);
		st->program_4b = st->has_4b_opcodes ? 0x12 : 0;
		if (!st->has_4b_opcodes) {
			st->fast.opcode_4b = 0;
			st->dual.opcode_4b = 0;
			st->quad.opcode_4b = 0;
			for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++)
				f->erase[i].opcode_4b = 0;
		}
	}
	if (sfdp->has_dw16 && sfdp->enter_4b != 0xff) {
		if (sfdp->enter_4b & SPIRAM_SFDP_EN4B_B7)
			st->has_b7 = true;
		if (!(sfdp->enter_4b & SPIRAM_SFDP_EN4B_B7) && (sfdp->enter_4b & SPIRAM_SFDP_EN4B_WREN_B7)) {
			st->has_b7 = true;
			st->b7_needs_wren = true;
		}
		out->enter_4b = sfdp->enter_4b;
	} else if (!out->chip && sfdp->addr_bytes == SPIRAM_SFDP_ADDR_3_OR_4) {
		/* JESD216 v1.0 part above 16 MiB: B7h is the common method */
		st->has_b7 = true;
	}
	if (!out->chip)
		snprintf(out->name, sizeof(out->name), "sfdp-%02x%02x%02x", out->id[0], out->id[1], out->id[2]);
}

static void merge_user(const struct spiram_user_override *user, struct spiram_chip_config *out,
		struct merge_state *st)
{
	struct spiram_flash_cfg *f = &out->flash;

	if (user->has_size) {
		f->size = user->size;
		out->used_user = true;
	}
	if (user->has_page_size) {
		f->page_size = user->page_size;
		out->used_user = true;
	}
	if (user->has_erase) {
		memcpy(f->erase, user->erase, sizeof(f->erase));
		out->used_user = true;
	}
	if (user->has_program)
		out->used_user = true;
	if (user->has_chip_erase) {
		f->chip_erase_opcode = user->chip_erase_opcode;
		out->used_user = true;
	}
	if (user->has_qe) {
		f->qe_method = user->qe_method;
		st->quad_ok = true;
		out->used_user = true;
	}
	if (user->read_pref != SPIRAM_READ_PREF_AUTO || user->addr_pref != SPIRAM_ADDR_PREF_AUTO)
		out->used_user = true;
}

static bool is_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

/*
 * Override order, lowest to highest priority (each step overwrites what
 * the previous one set, for the values it knows):
 *   1. the chip table entry (by JEDEC ID, or by -chip NAME), or generic
 *      defaults (256-byte page, 0Bh fast read, 02h program, C7h chip erase)
 *      for a chip not in the table;
 *   2. SFDP: size, page size, the whole erase map (opcodes, 4-byte opcodes,
 *      max times), read modes and dummy cycles, quad enable method, page
 *      program and chip erase max times, 4-byte addressing method;
 *   3. fixups: generic SFDP quirks, then the chip's vendor hook;
 *   4. the user override (bank options, then `spiram_loader set`).
 * Values still unknown after step 4 get generous defaults (max times) or
 * make the merge fail (size, erase map).
 */
enum spiram_chip_error spiram_chip_merge(const uint8_t *id, size_t id_len, const struct spiram_sfdp_info *sfdp,
		const struct spiram_user_override *user, struct spiram_chip_config *out, char *msg, size_t msg_size)
{
	static const struct spiram_user_override no_user;
	struct merge_state st;
	struct spiram_flash_cfg *f = &out->flash;
	char id_text[3 * SPIRAM_CHIP_ID_MAX + 1] = "";

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	if (msg && msg_size)
		msg[0] = '\0';
	if (!user)
		user = &no_user;
	if (id_len > SPIRAM_CHIP_ID_MAX)
		id_len = SPIRAM_CHIP_ID_MAX;
	memcpy(out->id, id, id_len);
	out->id_len = (uint8_t)id_len;
	for (size_t i = 0; i < id_len && i < 3; i++) {
		size_t used = strlen(id_text);
		snprintf(id_text + used, sizeof(id_text) - used, "%s%02x", i ? " " : "", id[i]);
	}

	bool all_zero = true, all_ones = true;
	for (size_t i = 0; i < id_len && i < 3; i++) {
		all_zero &= id[i] == 0x00;
		all_ones &= id[i] == 0xff;
	}
	if (id_len == 0 || ((all_zero || all_ones) && !sfdp && !user->has_size && !user->has_chip_name)) {
		snprintf(msg, msg_size, "no SPI NOR chip answers: JEDEC ID reads %s; check wiring, chip select and "
				"power, or that the chip is not in deep power-down", id_len ? id_text : "nothing");
		return SPIRAM_CHIP_ERR_NO_CHIP;
	}

	/* 1. table, or generic defaults */
	const struct spiram_chip_info *chip;
	if (user->has_chip_name) {
		chip = spiram_chip_find_name(user->chip_name);
		if (!chip) {
			snprintf(msg, msg_size, "-chip %s: no such chip in the table; use a name from "
					"'spiram_loader info' or describe it with 'spiram_loader set'",
					user->chip_name);
			return SPIRAM_CHIP_ERR_NO_SUCH_NAME;
		}
	} else {
		chip = spiram_chip_lookup(id, id_len, sfdp);
		if (!chip && !sfdp)
			chip = spiram_chip_lookup(id, id_len, NULL);
	}
	st.fast = (struct merge_read){ 0x0b, 0, SPIRAM_PROTO(1, 1, 1), 8 };
	f->page_size = 256;
	f->chip_erase_opcode = 0xc7;
	f->qe_method = SPIRAM_QE_NONE;
	out->sr_count = 1;
	out->sr_read_opcode[0] = 0x05;
	out->sr_write_opcode[0] = 0x01;
	if (chip)
		merge_table(chip, out, &st);
	else
		snprintf(out->name, sizeof(out->name), "unknown-%02x%02x%02x", id[0], id_len > 1 ? id[1] : 0,
				id_len > 2 ? id[2] : 0);

	/* 2. SFDP */
	if (sfdp)
		merge_sfdp(sfdp, out, &st);

	/* 3. fixups */
	spiram_fixup_generic(sfdp, out);
	if (chip && chip->fixup)
		chip->fixup(chip, sfdp, out);

	/* 4. user */
	merge_user(user, out, &st);

	if (!chip && !sfdp && !(user->has_size && user->has_erase)) {
		snprintf(msg, msg_size, "unknown SPI NOR chip: JEDEC ID %s is not in the chip table and the chip has "
				"no SFDP; describe it with 'spiram_loader set <bank> size <bytes> page 256 "
				"erase 4096:0x20,65536:0xd8' (values from its datasheet), then probe again", id_text);
		return SPIRAM_CHIP_ERR_UNKNOWN;
	}

	/* -3byte: only the low 16 MiB is reachable, and an erase type larger
	 * than that can never be used there */
	if (user->addr_pref == SPIRAM_ADDR_PREF_3B && f->size > SIXTEEN_MIB) {
		f->size = SIXTEEN_MIB;
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			if (f->erase[i].size > SIXTEEN_MIB)
				memset(&f->erase[i], 0, sizeof(f->erase[i]));
		}
	}

	/* checks of what the user may have broken */
	if (!f->size || !is_pow2(f->size)) {
		snprintf(msg, msg_size, "chip size 0x%x is not a power of two; fix it with "
				"'spiram_loader set <bank> size <bytes>'", (unsigned int)f->size);
		return user->has_size ? SPIRAM_CHIP_ERR_BAD_OVERRIDE : SPIRAM_CHIP_ERR_INCOMPLETE;
	}
	if (!f->page_size || !is_pow2(f->page_size) || f->page_size > f->size) {
		snprintf(msg, msg_size, "page size %u is not a power of two up to the chip size; fix it with "
				"'spiram_loader set <bank> page <bytes>'", (unsigned int)f->page_size);
		return user->has_page_size ? SPIRAM_CHIP_ERR_BAD_OVERRIDE : SPIRAM_CHIP_ERR_INCOMPLETE;
	}
	out->sector_size = 0;
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		uint32_t size = f->erase[i].size;
		if (!size)
			continue;
		if (!is_pow2(size) || size > f->size) {
			snprintf(msg, msg_size,
					"erase type %u size 0x%x is not a power of two up to the chip size; fix "
					"it with 'spiram_loader set <bank> erase <size>:<opcode>'", i + 1,
					(unsigned int)size);
			return user->has_erase ? SPIRAM_CHIP_ERR_BAD_OVERRIDE : SPIRAM_CHIP_ERR_INCOMPLETE;
		}
		if (!out->sector_size || size < out->sector_size)
			out->sector_size = size;
		if (!f->erase[i].max_time_us)
			f->erase[i].max_time_us = default_erase_max_us(size);
	}
	if (!out->sector_size) {
		snprintf(msg, msg_size, "no erase type known for %s; give one with "
				"'spiram_loader set <bank> erase <size>:<opcode>'", out->name);
		return SPIRAM_CHIP_ERR_INCOMPLETE;
	}

	/* addressing */
	bool need_4b = f->size > SIXTEEN_MIB;
	if (user->addr_pref == SPIRAM_ADDR_PREF_3B)
		need_4b = false;	/* size already limited to 16 MiB above */
	else if (user->addr_pref == SPIRAM_ADDR_PREF_4B)
		need_4b = true;
	if (!need_4b) {
		f->addr_mode = SPIRAM_ADDR_3B;
	} else if (st.has_4b_opcodes) {
		f->addr_mode = SPIRAM_ADDR_4B_OPCODES;
	} else if (st.has_b7) {
		f->addr_mode = SPIRAM_ADDR_4B_MODE;
		if (st.b7_needs_wren)
			f->flags |= SPIRAM_FLASH_F_4B_NEEDS_WREN;
	} else {
		snprintf(msg, msg_size, "%s: 4-byte addressing needed but neither 4-byte opcodes nor B7h are known; "
				"use '-3byte' (low 16 MiB only) or 'spiram_loader set <bank> addr b7'", out->name);
		return SPIRAM_CHIP_ERR_UNSUPPORTED;
	}
	if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES) {
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			/* a type without a 4-byte opcode cannot be used */
			if (f->erase[i].size && !f->erase[i].opcode_4b)
				f->erase[i].size = 0;
		}
		out->sector_size = 0;
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			if (f->erase[i].size && (!out->sector_size || f->erase[i].size < out->sector_size))
				out->sector_size = f->erase[i].size;
		}
		if (!out->sector_size) {
			snprintf(msg, msg_size, "%s: no erase type has a 4-byte opcode; use "
					"'spiram_loader set <bank> erase <size>:<opcode>:<opcode_4b>'", out->name);
			return SPIRAM_CHIP_ERR_INCOMPLETE;
		}
	}
	out->enter_4b = f->addr_mode == SPIRAM_ADDR_4B_MODE ? (st.b7_needs_wren ? SPIRAM_SFDP_EN4B_WREN_B7 :
			SPIRAM_SFDP_EN4B_B7) : out->enter_4b;

	/* read mode */
	const struct merge_read *r = &st.fast;
	bool quad_usable = st.quad.opcode && st.quad_ok;
	switch (user->read_pref) {
	case SPIRAM_READ_PREF_SINGLE:
		break;
	case SPIRAM_READ_PREF_DUAL:
		if (st.dual.opcode)
			r = &st.dual;
		break;
	case SPIRAM_READ_PREF_QUAD:
		if (!quad_usable) {
			snprintf(msg, msg_size, "%s: -quad requested but the chip's quad read or quad-enable method is "
					"unknown; give it with 'spiram_loader set <bank> read <opcode> <dummy> 1-4-4' "
					"and "
					"'qe ...', or use -single", out->name);
			return SPIRAM_CHIP_ERR_UNSUPPORTED;
		}
		r = &st.quad;
		break;
	case SPIRAM_READ_PREF_AUTO:
	default:
		r = quad_usable ? &st.quad : st.dual.opcode ? &st.dual : &st.fast;
		break;
	}
	if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES && !r->opcode_4b)
		r = &st.fast;
	f->read_opcode = r->opcode;
	f->read_opcode_4b = f->addr_mode == SPIRAM_ADDR_4B_OPCODES ? r->opcode_4b : 0;
	f->read_proto = r->proto;
	f->read_dummy = r->dummy;
	f->read_mode_bits = 0xff;
	/* 4-byte fast read, present whenever 4B opcodes are */
	if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES && !f->read_opcode_4b)
		f->read_opcode_4b = 0x0c;
	if (user->has_read) {
		f->read_opcode = user->read_opcode;
		f->read_opcode_4b = f->addr_mode == SPIRAM_ADDR_4B_OPCODES ? user->read_opcode : 0;
		f->read_dummy = user->read_dummy;
		f->read_proto = user->read_proto ? user->read_proto : SPIRAM_PROTO(1, 1, 1);
		out->used_user = true;
	}
	/* QE is not touched unless the read in use, the user's included, has
	 * four data lines (or the user asked for a QE method) */
	if (SPIRAM_PROTO_DATA(f->read_proto) != 4 && f->qe_method != SPIRAM_QE_NONE && !user->has_qe)
		f->qe_method = SPIRAM_QE_NONE;

	/* program: 1-1-4 (32h, or 34h with 4-byte opcodes) where the chip has it
	 * (its table entry; 34h from the 4BAIT) and the read in use already has
	 * four data lines, so the four lines work (QE is set, or the chip needs
	 * none: Micron) and the controller drives them (the driver asks
	 * single-line controllers for 1-1-1 reads); else 1-1-1 */
	f->program_opcode = 0x02;
	f->program_opcode_4b = f->addr_mode == SPIRAM_ADDR_4B_OPCODES ? (st.program_4b ? st.program_4b : 0x12) : 0;
	f->program_proto = SPIRAM_PROTO(1, 1, 1);
	const struct spiram_chip_info *tc = out->chip;
	bool quad_pp_3b = tc && (tc->flags & SPIRAM_CHIP_F_QUAD_PP_1_1_4) && tc->program_quad_opcode;
	uint8_t quad_pp_4b = sfdp ? spiram_sfdp_4b_opcode(sfdp, SPIRAM_SFDP_4B_PP_1_1_4) : 0;
	/* no 4BAIT to say: the table's 34h (4BAIT's 1-1-4 4-byte opcode) */
	if (!(sfdp && sfdp->has_4bait) && quad_pp_3b && (tc->flags & SPIRAM_CHIP_F_QUAD_PP_34))
		quad_pp_4b = 0x34;
	bool quad_pp = f->addr_mode == SPIRAM_ADDR_4B_OPCODES ? quad_pp_4b && quad_pp_3b : quad_pp_3b;
	if (quad_pp && SPIRAM_PROTO_DATA(f->read_proto) == 4
			&& (user->read_pref == SPIRAM_READ_PREF_AUTO || user->read_pref == SPIRAM_READ_PREF_QUAD)) {
		f->program_opcode = tc->program_quad_opcode;
		if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES)
			f->program_opcode_4b = quad_pp_4b;
		f->program_proto = SPIRAM_PROTO(1, 1, 4);
	}
	if (user->has_program) {
		f->program_proto = SPIRAM_PROTO(1, 1, 1);
		f->program_opcode = user->program_opcode;
		if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES)
			f->program_opcode_4b = user->program_opcode;
	}

	/* remaining max times */
	if (!f->page_program_max_us)
		f->page_program_max_us = SPIRAM_DEFAULT_PP_MAX_US;
	if (!f->status_write_max_us)
		f->status_write_max_us = SPIRAM_DEFAULT_SR_WRITE_MAX_US;
	if (!out->chip_erase_max_ms) {
		uint64_t ms = (uint64_t)(f->size / MIB ? f->size / MIB : 1) * SPIRAM_DEFAULT_CHIP_ERASE_MS_PER_MIB;
		out->chip_erase_max_ms = ms > 0xffffffffu ? 0xffffffffu : (uint32_t)ms;
	}
	uint64_t chip_us = (uint64_t)out->chip_erase_max_ms * 1000u;
	f->chip_erase_max_us = chip_us > 0xffffffffu ? 0xffffffffu : (uint32_t)chip_us;
	f->sfdp_dummy = 8;
	f->polls_per_us = 0;	/* the driver sets it from the stub it loads */
	return SPIRAM_CHIP_OK;
}
