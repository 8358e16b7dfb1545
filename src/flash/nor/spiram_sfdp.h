/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_sfdp: decoder for the Serial Flash Discoverable Parameters
 * (JESD216 and revisions A/B/D) of a SPI NOR chip.
 *
 * Pure functions on a byte buffer holding the SFDP address space read from
 * address 0 (opcode 5Ah).  No I/O, no logging, no OpenOCD headers, so the
 * module is unit-tested on its own against real dumps.
 *
 * Invariants:
 *  - only the NPH + 1 parameter headers announced by the SFDP header are
 *    looked at; anything after them is ignored;
 *  - a table of a major revision other than 1 is skipped like an unknown
 *    table (JESD216 changes the major revision only when older parsers can
 *    no longer read the table), by the decoder and by
 *    spiram_sfdp_needed_len() alike;
 *  - the BFPT used is the FF00 table of major revision 1 with the highest
 *    minor revision; a BFPT shorter than the decoder knows is padded with
 *    zero DWORDs (absent fields read as "not provided");
 *  - every field that a short table does not provide has a has_* flag or
 *    a documented default, never a silently invented value.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_SFDP_H
#define OPENOCD_FLASH_NOR_SPIRAM_SFDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"

#define SPIRAM_SFDP_SIGNATURE		0x50444653u	/* "SFDP" read as a LE DWORD */
#define SPIRAM_SFDP_ID_BFPT		0xff00u
#define SPIRAM_SFDP_ID_SECTOR_MAP	0xff81u
#define SPIRAM_SFDP_ID_4BAIT		0xff84u
#define SPIRAM_SFDP_BFPT_MIN_DWORDS	9u	/* JESD216 v1.0 length */
#define SPIRAM_SFDP_BFPT_MAX_DWORDS	20u	/* DWORDs the decoder knows (JESD216D) */
#define SPIRAM_SFDP_MAX_HEADERS		256u	/* NPH is one byte */

enum spiram_sfdp_error {
	SPIRAM_SFDP_OK = 0,
	SPIRAM_SFDP_ERR_SHORT,		/* buffer shorter than the SFDP header */
	SPIRAM_SFDP_ERR_SIGNATURE,	/* first DWORD is not "SFDP" */
	SPIRAM_SFDP_ERR_VERSION,	/* SFDP major revision is not 1 */
	SPIRAM_SFDP_ERR_HEADERS,	/* parameter headers run past the buffer */
	SPIRAM_SFDP_ERR_NO_BFPT,	/* no FF00 table of major revision 1 */
	SPIRAM_SFDP_ERR_BFPT_SHORT,	/* BFPT has fewer than 9 DWORDs */
	SPIRAM_SFDP_ERR_TRUNCATED,	/* a table we parse points beyond the buffer */
	SPIRAM_SFDP_ERR_DENSITY,	/* density field is zero or absurd */
};

/* Address bytes the chip accepts (BFPT DW1 bits 18:17). */
enum spiram_sfdp_addr_bytes {
	SPIRAM_SFDP_ADDR_3 = 0,		/* 3-byte only */
	SPIRAM_SFDP_ADDR_3_OR_4 = 1,	/* 3-byte default, 4-byte on command */
	SPIRAM_SFDP_ADDR_4 = 2,		/* 4-byte only */
	SPIRAM_SFDP_ADDR_RESERVED = 3,
};

/* Fast read modes described by the BFPT (command-address-data lines). */
enum spiram_sfdp_read_mode {
	SPIRAM_SFDP_READ_1_1_2 = 0,
	SPIRAM_SFDP_READ_1_2_2,
	SPIRAM_SFDP_READ_1_1_4,
	SPIRAM_SFDP_READ_1_4_4,
	SPIRAM_SFDP_READ_2_2_2,
	SPIRAM_SFDP_READ_4_4_4,		/* decoded and flagged only: never used */
	SPIRAM_SFDP_READ_COUNT
};

struct spiram_sfdp_read {
	bool supported;			/* DW1/DW5 support bit */
	uint8_t opcode;			/* instruction, 0 if not described */
	uint8_t mode_clocks;		/* clocks carrying mode bits */
	uint8_t wait_states;		/* dummy clocks after the mode clocks */
};

struct spiram_sfdp_erase {
	uint32_t size;			/* bytes (2^N from DW8/DW9), 0 = type unused */
	uint8_t opcode;			/* 3-byte-address opcode */
	uint8_t opcode_4b;		/* 4-byte opcode from the 4BAIT, 0 if none */
	uint32_t typ_us;		/* DW10 typical time, 0 if not provided */
	uint32_t max_us;		/* typ * 2 * (M + 1), 0 if not provided */
};

/* DW16 bits 31:24, methods to enter 4-byte addressing. */
#define SPIRAM_SFDP_EN4B_B7		BIT(0)	/* B7h, no write enable */
#define SPIRAM_SFDP_EN4B_WREN_B7	BIT(1)	/* 06h then B7h */
#define SPIRAM_SFDP_EN4B_EAR		BIT(2)	/* extended address register C8h/C5h */
#define SPIRAM_SFDP_EN4B_BANK		BIT(3)	/* bank register 16h/17h, bit7 */
#define SPIRAM_SFDP_EN4B_NVCR		BIT(4)	/* 16-bit NV config register B5h/B1h */
#define SPIRAM_SFDP_EN4B_OPCODES	BIT(5)	/* dedicated 4-byte instruction set */
#define SPIRAM_SFDP_EN4B_ALWAYS		BIT(6)	/* always in 4-byte mode */

/* 4BAIT DW1 bits (subset we trust: bits 0-15). */
#define SPIRAM_SFDP_4B_READ		BIT(0)	/* 13h */
#define SPIRAM_SFDP_4B_FAST_READ	BIT(1)	/* 0Ch */
#define SPIRAM_SFDP_4B_READ_1_1_2	BIT(2)	/* 3Ch */
#define SPIRAM_SFDP_4B_READ_1_2_2	BIT(3)	/* BCh */
#define SPIRAM_SFDP_4B_READ_1_1_4	BIT(4)	/* 6Ch */
#define SPIRAM_SFDP_4B_READ_1_4_4	BIT(5)	/* ECh */
#define SPIRAM_SFDP_4B_PP		BIT(6)	/* 12h */
#define SPIRAM_SFDP_4B_PP_1_1_4		BIT(7)	/* 34h */
#define SPIRAM_SFDP_4B_PP_1_4_4		BIT(8)	/* 3Eh */
#define SPIRAM_SFDP_4B_ERASE(i)		BIT(9 + (i))	/* erase type i (0..3) */

struct spiram_sfdp_info {
	/* SFDP header */
	uint8_t sfdp_minor;		/* 0 = JESD216, 5 = A, 6 = B, 7 = C, 8 = D */
	uint8_t sfdp_major;		/* always 1 once decoded */
	uint8_t nph;			/* parameter headers minus one */
	uint8_t access_protocol;	/* FFh = legacy 1-1-1, 3-byte, 8 dummy */

	/* BFPT location */
	uint8_t bfpt_minor;		/* minor revision of the chosen BFPT */
	uint8_t bfpt_major;
	uint32_t bfpt_ptr;		/* byte address in SFDP space */
	uint32_t bfpt_dwords;		/* DWORDs the header announces */
	uint32_t bfpt[SPIRAM_SFDP_BFPT_MAX_DWORDS];	/* raw DWORDs, zero-padded */

	/* other tables */
	bool has_4bait;			/* FF84 present (and inside the buffer) */
	uint32_t bait_ptr;
	uint32_t bait_dw1;		/* raw 4BAIT DW1: SPIRAM_SFDP_4B_* support bits */
	uint32_t bait_dw2;		/* raw 4BAIT DW2: erase type 4-byte opcodes */
	bool has_sector_map;		/* FF81 present: non-uniform sectors possible */
	uint32_t sector_map_ptr;
	uint32_t sector_map_dwords;

	/* DW1 / DW2 */
	uint64_t size;			/* bytes */
	enum spiram_sfdp_addr_bytes addr_bytes;
	bool erase_4k;			/* DW1 1:0 = 01: 4 KiB erase everywhere */
	uint8_t erase_4k_opcode;	/* DW1 15:8, FFh if none */
	bool write_gran_64;		/* DW1 bit2: page buffer >= 64 bytes */
	bool vsr_volatile;		/* DW1 bit3: status bits are volatile */
	uint8_t vsr_wren_opcode;	/* DW1 bit4: 50h (0) or 06h (1) */
	bool dtr;			/* DW1 bit19 */

	/* DW3-DW7 */
	struct spiram_sfdp_read read[SPIRAM_SFDP_READ_COUNT];

	/* DW8-DW10 */
	struct spiram_sfdp_erase erase[SPIRAM_MAX_ERASE_TYPES];
	bool has_erase_times;		/* DW10 present */
	uint32_t erase_max_mult;	/* 2 * (M + 1) */

	/* DW11 */
	bool has_dw11;
	uint32_t page_size;		/* 2^N from DW11, 256 if the BFPT is too short */
	uint32_t program_max_mult;	/* 2 * (M + 1), applies to PP and chip erase */
	uint32_t pp_typ_us;
	uint32_t pp_max_us;
	uint32_t chip_erase_typ_ms;
	uint32_t chip_erase_max_ms;

	/* DW13 / DW14 */
	bool has_suspend;		/* DW12 bit31 == 0 */
	uint8_t suspend_opcode;		/* DW13 31:24 (erase/program suspend) */
	uint8_t resume_opcode;		/* DW13 23:16 */
	bool has_dpd;			/* DW14 bit31 == 0 */
	uint8_t dpd_enter_opcode;
	uint8_t dpd_exit_opcode;
	uint32_t dpd_exit_delay_ns;

	/* DW15 */
	bool has_dw15;
	uint8_t qer;			/* raw QER, DW15 22:20 */
	bool qe_known;			/* qer maps onto enum spiram_qe_method */
	enum spiram_qe_method qe_method;

	/* DW16 */
	bool has_dw16;
	uint8_t enter_4b;		/* DW16 31:24: SPIRAM_SFDP_EN4B_* */
	uint16_t exit_4b;		/* DW16 23:14 */
	uint8_t soft_reset;		/* DW16 13:8 */
	uint8_t sr1_write;		/* DW16 6:0 */
};

/*
 * Decode the SFDP space in buf[0, len).  On error, *info is zeroed apart
 * from the fields decoded so far.
 */
enum spiram_sfdp_error spiram_sfdp_decode(const uint8_t *buf, size_t len, struct spiram_sfdp_info *info);

/*
 * From the SFDP header and the parameter headers in buf[0, len), the number
 * of bytes from address 0 that cover every table this decoder reads.  Lets
 * the driver read the headers first, then exactly what it needs.
 * Returns SPIRAM_SFDP_ERR_HEADERS if len does not cover the headers
 * themselves (*needed then says how much does).
 */
enum spiram_sfdp_error spiram_sfdp_needed_len(const uint8_t *buf, size_t len, size_t *needed);

/* Total dummy clocks (mode + wait) of a read mode. */
static inline unsigned int spiram_sfdp_read_dummy(const struct spiram_sfdp_read *r)
{
	return (unsigned int)r->mode_clocks + r->wait_states;
}

/* 4-byte opcode for a trusted 4BAIT bit, 0 if the table lacks it. */
uint8_t spiram_sfdp_4b_opcode(const struct spiram_sfdp_info *info, uint32_t bait_bit);

/* Human-readable text of an error, for log messages. */
const char *spiram_sfdp_strerror(enum spiram_sfdp_error err);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_SFDP_H */
