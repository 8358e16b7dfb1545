/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_protect: block protection of SPI NOR chips, as the status register
 * bits (BP0-3, TB, SEC, CMP) and the byte range they protect.
 *
 * Pure functions: decode bits to a range, find bits for a range (or say
 * which ranges the scheme can express instead), and map a range onto the
 * bank's sectors.
 *
 * Register convention: sr[0] = SR1 (05h), sr[1] = second register, sr[2] =
 * third register, where "second" is SR2 (35h) on Winbond/GigaDevice, the
 * configuration register (15h) on Macronix and the function register (48h)
 * on ISSI.  See enum spiram_protect_scheme for the bit positions.
 *
 * Invariants: ranges are half-open [start, end) with start <= end <= size;
 * an empty range is start == end == 0; encode never changes a bit outside
 * the scheme's protection bits.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_PROTECT_H
#define OPENOCD_FLASH_NOR_SPIRAM_PROTECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum spiram_protect_scheme {
	SPIRAM_PROTECT_NONE = 0,	/* no block protection known */
	/* W25Q128JV/FV, GD25Q128C/E: SR1 BP2..0 = bits 4:2, TB = bit5,
	 * SEC = bit6; SR2 CMP = bit6 (WPS = SR3 bit2 must be 0). */
	SPIRAM_PROTECT_3BP_TB_SEC_CMP,
	/* W25Q256JV/FV: SR1 BP3..0 = bits 5:2, TB = bit6; SR2 CMP = bit6. */
	SPIRAM_PROTECT_4BP_TB_CMP,
	/* Macronix MX25L: SR1 BP3..0 = bits 5:2; CR TB = bit3, one-time. */
	SPIRAM_PROTECT_4BP_TB_CR,
	/* ISSI IS25LP: SR1 BP3..0 = bits 5:2; function register TBS = bit1, one-time. */
	SPIRAM_PROTECT_4BP_TBS_FR,
	/* Micron N25Q, MT25Q: SR BP2..0 = bits 4:2, TB = bit5, BP3 = bit6. */
	SPIRAM_PROTECT_4BP_TB_MICRON,
	SPIRAM_PROTECT_SCHEME_COUNT
};

enum spiram_protect_error {
	SPIRAM_PROTECT_OK = 0,
	SPIRAM_PROTECT_ERR_SCHEME,	/* unknown scheme or no protection */
	SPIRAM_PROTECT_ERR_RANGE,	/* start/end outside [0, size] or start > end */
	SPIRAM_PROTECT_ERR_INEXACT,	/* the scheme cannot express the range exactly */
	SPIRAM_PROTECT_ERR_SIZE,	/* chip size not a supported power of two */
	SPIRAM_PROTECT_ERR_OTP,		/* would need to change a one-time bit (TB) */
	SPIRAM_PROTECT_ERR_WPS,		/* Winbond SR3 WPS = 1: individual block locks, not BP bits */
};

/* Status register values, see the register convention above. */
struct spiram_protect_regs {
	uint8_t sr[3];
	/* Dual-flash QUADSPI: the second chip's registers, as read.  Only the
	 * driver uses them; the functions below look at sr[] alone. */
	uint8_t sr_flash2[3];
};

/* Bits of sr[0..2] that belong to the scheme's protection (BP, TB, SEC, CMP). */
void spiram_protect_mask(enum spiram_protect_scheme scheme, struct spiram_protect_regs *mask);

/* Range protected by the given register values. */
enum spiram_protect_error spiram_protect_decode(enum spiram_protect_scheme scheme, uint64_t size,
		uint8_t sr1, uint8_t sr2, uint8_t sr3, uint64_t *start, uint64_t *end);

/*
 * Register values that protect exactly [start, end) and nothing else.
 * cur holds the current values: bits outside the protection mask are
 * copied to *out unchanged, and a one-time TB bit that is already set is
 * honoured.  When no setting is exact, returns SPIRAM_PROTECT_ERR_INEXACT
 * and msg lists the largest expressible range inside the request and the
 * smallest one containing it.
 */
enum spiram_protect_error spiram_protect_encode(enum spiram_protect_scheme scheme, uint64_t size,
		uint64_t start, uint64_t end, const struct spiram_protect_regs *cur, struct spiram_protect_regs *out,
		char *msg, size_t msg_size);

/*
 * The nearest expressible ranges around [start, end): *in_* is the largest
 * inside it (may be empty), *out_* the smallest containing it (may be the
 * whole chip; empty when no expressible range contains a non-empty
 * request, e.g. more than 1 GiB with 4 BP bits and no CMP).  Honours cur's
 * one-time bits like encode.
 */
enum spiram_protect_error spiram_protect_nearest(enum spiram_protect_scheme scheme, uint64_t size,
		uint64_t start, uint64_t end, const struct spiram_protect_regs *cur,
		uint64_t *in_start, uint64_t *in_end, uint64_t *out_start, uint64_t *out_end);

/*
 * Protection state of one sector [offset, offset + sector_size) under the
 * protected range [start, end): 1 if any byte of it is protected (it cannot
 * be fully erased), else 0.
 */
int spiram_protect_sector_state(uint64_t start, uint64_t end, uint64_t offset, uint64_t sector_size);

/* Same for a list of count sectors; flags[i] gets 0 or 1. */
void spiram_protect_sector_flags(uint64_t start, uint64_t end, const uint64_t *offsets, const uint64_t *sizes,
		size_t count, int *flags);

const char *spiram_protect_scheme_name(enum spiram_protect_scheme scheme);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_PROTECT_H */
