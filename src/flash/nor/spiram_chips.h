/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_chips: the table of known SPI NOR chips, kept as data (one entry
 * per part, like Linux spi-nor's flash_info), and the merge that turns
 * "table + SFDP + fixups + user override" into the struct spiram_flash_cfg
 * the stub receives.
 *
 * Pure: no I/O, no logging, no OpenOCD headers.  Messages for the user are
 * written into a caller's buffer.
 *
 * Invariants:
 *  - a successful merge yields a complete configuration: size, page size,
 *    at least one erase type, read/program opcodes and every max time
 *    non-zero;
 *  - the order in which a value can be overridden is documented once,
 *    above spiram_chip_merge() in spiram_chips.c.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_CHIPS_H
#define OPENOCD_FLASH_NOR_SPIRAM_CHIPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"
#include "spiram_sfdp.h"
#include "spiram_protect.h"

#define SPIRAM_CHIP_ID_MAX		6	/* bytes of JEDEC ID compared */
#define SPIRAM_CHIP_NAME_MAX		32
/* Dummy clocks a read may need: the QUADSPI DCYC field holds 0..31. */
#define SPIRAM_CHIP_MAX_READ_DUMMY	31u

/* Chip flags. */
#define SPIRAM_CHIP_F_4B_OPCODES	BIT(0)	/* 13h/12h/21h/DCh... exist */
#define SPIRAM_CHIP_F_4B_B7		BIT(1)	/* enter 4-byte mode with B7h */
#define SPIRAM_CHIP_F_4B_NEEDS_WREN	BIT(2)	/* B7h needs 06h first */
#define SPIRAM_CHIP_F_VOLATILE_SR_50	BIT(3)	/* 50h write enable for volatile SR */
#define SPIRAM_CHIP_F_NO_QPI		BIT(4)	/* never use 4-4-4, whatever SFDP says */
#define SPIRAM_CHIP_F_QUAD_PP_1_1_4	BIT(5)	/* 32h 1-1-4 page program exists */
#define SPIRAM_CHIP_F_EAR		BIT(6)	/* extended address register C8h/C5h */
#define SPIRAM_CHIP_F_QUAD_PP_34	BIT(7)	/* 34h 1-1-4 page program, 4-byte address */

/* One read mode as the table knows it. */
struct spiram_chip_read {
	uint8_t opcode;			/* 3-byte-address opcode, 0 = not in the table */
	uint8_t opcode_4b;		/* 4-byte opcode, 0 if none */
	uint16_t proto;			/* SPIRAM_PROTO(cmd, addr, data) */
	uint8_t dummy;			/* total dummy clocks, mode bits included */
	uint8_t mode_clocks;		/* of those, clocks carrying mode bits */
};

/* One erase type of the table. */
struct spiram_chip_erase {
	uint32_t size;			/* bytes, power of two, 0 = unused */
	uint8_t opcode;
	uint8_t opcode_4b;		/* 0 if none */
	uint32_t max_us;		/* datasheet max for one erase, 0 = unknown */
};

struct spiram_chip_info;
struct spiram_chip_config;

/*
 * Vendor quirk hook.  Runs after SFDP has been applied and before the user
 * override; may change anything in *cfg.  sfdp is NULL when the chip has
 * none.
 */
typedef void (*spiram_chip_fixup_fn)(const struct spiram_chip_info *chip, const struct spiram_sfdp_info *sfdp,
		struct spiram_chip_config *cfg);

struct spiram_chip_info {
	const char *name;
	uint8_t id[SPIRAM_CHIP_ID_MAX];	/* 9Fh bytes: manufacturer, type, capacity... */
	uint8_t id_len;			/* bytes of id to compare */
	/* SFDP discrimination between parts sharing an ID:
	 * bfpt_minor_min/max bound the BFPT minor revision (0xff = any);
	 * no_sfdp_ok: also match when the chip has no SFDP. */
	uint8_t bfpt_minor_min;
	uint8_t bfpt_minor_max;
	bool no_sfdp_ok;
	uint32_t size;			/* bytes */
	uint32_t page_size;		/* bytes */
	struct spiram_chip_erase erase[SPIRAM_MAX_ERASE_TYPES];
	uint8_t chip_erase_opcode;	/* C7h */
	uint32_t flags;			/* SPIRAM_CHIP_F_* */
	enum spiram_qe_method qe_method;
	uint8_t sr_count;		/* status registers: 1..3 */
	uint8_t sr_read_opcode[3];	/* SR1, SR2 (or CR / function reg), SR3 */
	uint8_t sr_write_opcode[3];	/* 0 = written together with SR1 by 01h */
	enum spiram_protect_scheme protect_scheme;
	struct spiram_chip_read read_fast;	/* 1-1-1 0Bh */
	struct spiram_chip_read read_dual;	/* best dual mode */
	struct spiram_chip_read read_quad;	/* best quad mode (needs QE) */
	uint8_t program_quad_opcode;	/* 32h (1-1-4), 0 if none */
	uint32_t pp_max_us;		/* page program max */
	uint32_t chip_erase_max_ms;	/* chip erase max */
	uint32_t sr_write_max_us;	/* tW max */
	spiram_chip_fixup_fn fixup;	/* NULL = none */
	const char *source;		/* where the numbers come from */
	/* datasheet typical page program, 0 = not known (SFDP's is used):
	 * SFDP's typical can be far from it (W25Q128JV: 704 us, datasheet
	 * 0.4 ms) */
	uint32_t pp_typ_us;
};

/* Which data lines the user wants for reads. */
enum spiram_read_pref {
	SPIRAM_READ_PREF_AUTO = 0,	/* fastest the chip and the controller allow */
	SPIRAM_READ_PREF_SINGLE,	/* 1-1-1 only (0Bh) */
	SPIRAM_READ_PREF_DUAL,		/* at most 2 lines */
	SPIRAM_READ_PREF_QUAD,		/* 4 lines: fail if the chip cannot */
};

/* Addressing the user wants. */
enum spiram_addr_pref {
	SPIRAM_ADDR_PREF_AUTO = 0,
	SPIRAM_ADDR_PREF_3B,		/* force 3-byte (only the low 16 MiB) */
	SPIRAM_ADDR_PREF_4B,		/* force 4-byte (opcodes if any, else B7h) */
};

/*
 * User override: bank options and `spiram_loader set`.  Each value is used
 * only when its has_ flag is true.
 */
struct spiram_user_override {
	bool has_size;
	uint32_t size;
	bool has_page_size;
	uint32_t page_size;
	bool has_erase;			/* erase[] replaces the whole erase map */
	struct spiram_erase_type erase[SPIRAM_MAX_ERASE_TYPES];
	bool has_read;
	uint32_t read_opcode;
	uint32_t read_dummy;
	uint32_t read_proto;		/* SPIRAM_PROTO(), 0 = 1-1-1 */
	bool has_program;
	uint32_t program_opcode;
	bool has_chip_erase;
	uint32_t chip_erase_opcode;
	bool has_qe;
	enum spiram_qe_method qe_method;
	enum spiram_read_pref read_pref;
	enum spiram_addr_pref addr_pref;
	bool has_chip_name;		/* -chip NAME: use this table entry */
	char chip_name[SPIRAM_CHIP_NAME_MAX];
};

/* Result of the merge: the stub's flash config plus what only the host needs. */
struct spiram_chip_config {
	struct spiram_flash_cfg flash;	/* goes to the stub as is */
	char name[SPIRAM_CHIP_NAME_MAX];	/* table name, or "sfdp-<id>" */
	uint8_t id[SPIRAM_CHIP_ID_MAX];
	uint8_t id_len;
	const struct spiram_chip_info *chip;	/* table entry, NULL if SFDP only */
	bool used_sfdp;			/* SFDP contributed */
	bool used_user;			/* the user override changed something */
	uint32_t sector_size;		/* OpenOCD sector: smallest erase type */
	uint32_t enter_4b;		/* SPIRAM_SFDP_EN4B_* in use when addr_mode is 4B_MODE */
	enum spiram_protect_scheme protect_scheme;
	uint8_t sr_count;
	uint8_t sr_read_opcode[3];
	uint8_t sr_write_opcode[3];
	uint32_t chip_erase_max_ms;	/* full value (flash.chip_erase_max_us saturates) */
	/* typical page program: the table's datasheet figure, else SFDP's,
	 * 0 = not known */
	uint32_t pp_typ_us;
	uint32_t fixups;		/* bit mask of SPIRAM_FIXUP_* that ran */
};

/* Fixups, recorded in spiram_chip_config.fixups so `info` can show them. */
#define SPIRAM_FIXUP_NO_QPI		BIT(0)	/* 4-4-4 flagged in SFDP, ignored */
#define SPIRAM_FIXUP_EMPTY_4BAIT	BIT(1)	/* 4BAIT present but empty */
#define SPIRAM_FIXUP_DW16_ALL_ONES	BIT(2)	/* DW16 enter-4B FFh: not provided */
#define SPIRAM_FIXUP_W25Q_QE_31		BIT(3)	/* Winbond: QE via 31h */

enum spiram_chip_error {
	SPIRAM_CHIP_OK = 0,
	SPIRAM_CHIP_ERR_NO_CHIP,	/* ID all 00h or all FFh */
	SPIRAM_CHIP_ERR_UNKNOWN,	/* not in the table and no usable SFDP */
	SPIRAM_CHIP_ERR_INCOMPLETE,	/* some value is still missing after the merge */
	SPIRAM_CHIP_ERR_BAD_OVERRIDE,	/* user override inconsistent (e.g. size not power of two) */
	SPIRAM_CHIP_ERR_NO_SUCH_NAME,	/* -chip NAME is not in the table */
	SPIRAM_CHIP_ERR_UNSUPPORTED,	/* e.g. quad forced on a chip without quad */
};

/* The table itself, terminated by an entry with name == NULL. */
extern const struct spiram_chip_info spiram_chip_table[];
size_t spiram_chip_table_count(void);

/*
 * Find the entry for a JEDEC ID.  sfdp (may be NULL) tells apart parts with
 * the same ID.  Returns NULL if none.
 */
const struct spiram_chip_info *spiram_chip_lookup(const uint8_t *id, size_t id_len,
		const struct spiram_sfdp_info *sfdp);
const struct spiram_chip_info *spiram_chip_find_name(const char *name);

/*
 * Merge table entry (found by ID, or by user->chip_name), SFDP (NULL if the
 * chip has none or it failed to decode) and the user override (NULL = none)
 * into *out.  On error, msg holds a sentence naming the cause and the fix.
 */
enum spiram_chip_error spiram_chip_merge(const uint8_t *id, size_t id_len, const struct spiram_sfdp_info *sfdp,
		const struct spiram_user_override *user, struct spiram_chip_config *out, char *msg, size_t msg_size);

/*
 * The fixups of a SPIRAM_FIXUP_* mask in words, separated by "; " (an
 * unknown bit as "bit N"), into buf; "none" for 0.  Returns buf.
 */
const char *spiram_fixups_describe(uint32_t fixups, char *buf, size_t size);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_CHIPS_H */
