/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * SPI NOR part table of the simulator: one entry per modelled chip, as
 * data (ID, geometry, register layout, protection scheme, timings, SFDP
 * bytes).  Only sim/nor_chip.c and its tests include this header.
 *
 * Invariants:
 *  - size is a power of two and a multiple of 64 KiB; page_size is 256;
 *  - sfdp points to sfdp_len bytes of SFDP space starting at address 0;
 *    bytes past sfdp_len read as FFh;
 *  - reg_* arrays are indexed by the family's register numbering given in
 *    enum nor_family.
 */

#ifndef SIM_NOR_PARTS_H
#define SIM_NOR_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Register numbering per family (index into reg_default and friends):
 *  WINBOND, GIGADEVICE: 0 = SR1 (05h/01h), 1 = SR2 (35h/31h), 2 = SR3 (15h/11h)
 *  ISSI:                0 = SR (05h/01h), 1 = Function Register (48h/42h),
 *                       2 = Read Register (61h/C0h/65h)
 *  MACRONIX:            0 = SR (05h/01h), 1 = CR (15h, 2nd byte of 01h),
 *                       2 = SCUR (2Bh)
 *  MICRON:              0 = SR (05h/01h), 1 = VCR (85h/81h),
 *                       2 = EVCR (65h/61h); the 16-bit NVCR (B5h/B1h) is
 *                       nvcr_default
 */
enum nor_family {
	NOR_FAMILY_WINBOND,
	NOR_FAMILY_GIGADEVICE,
	NOR_FAMILY_ISSI,
	NOR_FAMILY_MACRONIX,
	NOR_FAMILY_MICRON,
};

enum nor_protect_scheme {
	/* SR1 BP2..0 (bits 4:2), TB bit5, SEC bit6; SR2 CMP bit6; SR3 WPS bit2 */
	NOR_PROTECT_BP3_TB_SEC_CMP,
	/* SR1 BP3..0 (bits 5:2), TB bit6; SR2 CMP bit6 (W25Q256) */
	NOR_PROTECT_BP4_TB_CMP,
	/* SR BP3..0 (bits 5:2); TBS = Function Register bit1 (ISSI) */
	NOR_PROTECT_BP4_TBS_FR,
	/* SR BP3..0 (bits 5:2); TB = Configuration Register bit3 (Macronix) */
	NOR_PROTECT_BP4_TB_CR,
	/* SR BP2..0 (bits 4:2), TB bit5, BP3 bit6 (Micron N25Q/MT25Q) */
	NOR_PROTECT_BP4_TB_MICRON,
};

/* Capability flags of a part. */
#define NOR_PART_4BYTE		(1u << 0)	/* B7h/E9h, EAR C8h/C5h, 4-byte opcodes */
#define NOR_PART_ERASE_5C	(1u << 1)	/* 5Ch 4-byte 32 KiB erase */
#define NOR_PART_PP_32		(1u << 2)	/* 32h quad input page program 1-1-4 */
#define NOR_PART_PP_38		(1u << 3)	/* 38h quad page program 1-4-4 */
#define NOR_PART_VOLATILE_50	(1u << 4)	/* 50h volatile status register write enable */
#define NOR_PART_SR_01_2BYTES	(1u << 5)	/* 01h takes a second byte (SR2 / CR) */
#define NOR_PART_ADP		(1u << 6)	/* SR3 bit1 ADP: power up in 4-byte mode */
#define NOR_PART_4BYTE_WREN	(1u << 7)	/* B7h/E9h need WREN first (Micron) */
#define NOR_PART_NO_ERASE_32K	(1u << 8)	/* no 52h 32 KiB erase */
#define NOR_PART_PP_12_QUAD	(1u << 9)	/* 12h is 1-4-4 page program (N25Q), not PP4B */
#define NOR_PART_CR2		(1u << 10)	/* Macronix CR2: 3rd byte of 01h, 2nd of 15h */
/*
 * Macronix octaflash (MX25LM51245G): single-line SPI plus the octal
 * protocols STR OPI (8S-8S-8S) and DTR OPI (8D-8D-8D) selected by CR2 at
 * register address 0 (71h/72h + 4-byte register address); no 2- or
 * 4-line commands
 */
#define NOR_PART_OCTAL		(1u << 11)

/* Datasheet times in microseconds. */
struct nor_part_time {
	uint32_t typ_us;
	uint32_t max_us;
};

struct nor_part_timings {
	struct nor_part_time page_program;	/* tPP, one full page */
	struct nor_part_time erase_4k;		/* tSE */
	struct nor_part_time erase_32k;		/* tBE1 */
	struct nor_part_time erase_64k;		/* tBE2 */
	struct nor_part_time chip_erase;	/* tCE */
	struct nor_part_time status_write;	/* tW, non-volatile register write */
};

struct nor_part {
	const char *name;
	enum nor_family family;
	uint8_t jedec_id[3];		/* 9Fh: manufacturer, memory type, capacity */
	uint8_t device_id;		/* ABh / 90h device byte */
	uint32_t size;			/* bytes */
	uint32_t page_size;		/* page program buffer, bytes */
	uint32_t flags;			/* NOR_PART_* */
	enum nor_protect_scheme protect;
	uint8_t qe_reg;			/* register index holding QE (SR2 / SR) */
	uint8_t qe_mask;		/* QE bit in it: SR2 bit1 or SR bit6 */
	uint8_t reg_default[3];		/* power-on value of the non-volatile registers */
	uint8_t reg_writable[3];	/* bits a register write may change */
	uint8_t reg_otp[3];		/* one-time bits: once 1 they never return to 0 */
	uint8_t uid[16];		/* unique ID (4Bh) */
	uint8_t uid_len;		/* 8 Winbond, 16 ISSI/GigaDevice, 0 none;
					 * Micron: the bytes 9Fh sends after the ID */
	uint16_t nvcr_default;		/* Micron NVCR (B5h) power-on value, else 0 */
	struct nor_part_timings timings;
	/* datasheet clock limits (fC for every command, fR for 03h/13h READ), kHz */
	uint32_t max_clock_khz;
	uint32_t read_max_clock_khz;
	const uint8_t *sfdp;		/* SFDP space from address 0 */
	size_t sfdp_len;
	bool sfdp_synthesized;		/* true: built from datasheet facts, not a dump */
};

/* The table; NULL when the name is unknown. */
const struct nor_part *nor_part_find(const char *name);
/* NULL-terminated list of names, in table order. */
extern const char *const nor_part_names_list[];
extern const struct nor_part nor_parts[];
extern const size_t nor_parts_count;

/*
 * A package of identical dies, each on its own IO lines behind one CS,
 * meant for a dual-flash controller (die 1 on BK1, die 2 on BK2).  Its
 * image is die 1's array followed by die 2's.
 */
struct nor_package {
	const char *name;
	const char *die;		/* part name of every die (in nor_parts) */
	unsigned int dies;
};

extern const struct nor_package nor_packages[];
extern const size_t nor_packages_count;
const struct nor_package *nor_package_find(const char *name);

#endif /* SIM_NOR_PARTS_H */
