// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * SPI NOR chip model: the command state machine behind sim/nor_chip.h.
 *
 * A transaction (CS low .. CS high) goes through phases: opcode, address,
 * post-address (mode bits + dummy clocks), data.  The command descriptor
 * (nor_commands[]) says how many address bytes, which line widths and how
 * many post-address clocks each phase takes; the part table (nor_parts.c)
 * says which commands a chip has.  Program, erase and register writes act
 * at CS rise, as the datasheets say.
 *
 * Modelling choices (datasheet-faithful where the datasheet says, ours
 * where it does not):
 *  - NOR_TIMING_INSTANT: the effect is applied at CS rise; SR1.WIP then
 *    reads 1 in the first SR1 byte clocked out by 05h and 0 afterwards
 *    (the header's "busy clears at the next status read").  Until that
 *    status read the chip is busy: other commands are ignored and logged,
 *    so a driver that does not poll is caught.
 *  - NOR_TIMING_TYPICAL: WIP stays 1 for the datasheet typical time
 *    (erase: per type; program: tPP x bytes / page, at least tPP / 16;
 *    register write: tW) in CLOCK_MONOTONIC time; the effect is applied
 *    when that time has passed and the chip is next touched.
 *  - Power cycle or software reset (66h/99h) during a TYPICAL operation:
 *    an erase leaves the first half of its block erased, a program leaves
 *    the lower half of its page programmed, a register write is lost.
 *  - busy_stuck: the first program/erase/register write never completes:
 *    WIP reads 1 forever (also across power cycles) and the effect is
 *    never applied.
 *  - A byte on the wrong number of lines for its phase is misuse: it is
 *    logged, an opcode is then ignored with the rest of the transaction,
 *    an address/data byte is taken inverted (~tx) and a read byte is
 *    returned inverted, so that the error shows in the data as it would
 *    on a real bus.
 *  - While busy only the register reads, suspend (accepted, not modelled)
 *    and the reset pair are accepted; a reset aborts the operation.
 *  - Program/erase/register write without WEL, commands while busy or
 *    powered down, QE-gated commands with QE = 0, unknown opcodes, more
 *    data than a command takes (a page program longer than the page or
 *    wrapping inside it included) are misuse: logged, counted, tolerated.
 *  - Reads run on past the end of the array to address 0.  On a 4-byte
 *    capable part, a read started with a 3-byte address wraps inside the
 *    16 MiB segment selected by the extended address register (UNVERIFIED).
 *  - Micron (nor-chips.md 9.4): no QE bit; FSR READY mirrors WIP (an
 *    INSTANT busy also clears at the first FSR read), a refused program or
 *    erase sets FSR bit1 until 50h; VCR/EVCR writes need WEL and take no
 *    time; NVCR loads its dummy clocks and 4-byte default at power-up;
 *    EVCR QPI/DPI, XIP and the 9Fh extended/unique ID beyond the part's
 *    bytes are not modelled; B7h/E9h without WEL are ignored, and WEL
 *    stays set after them (INFERRED: Linux sends 04h after).
 *  - Macronix octaflash (NOR_PART_OCTAL, nor-chips.md 9.4, 9.5): WRCR2
 *    (72h) at CR2 address 0 switches to STR OPI (01h) or DTR OPI (02h) at
 *    CS rise, and back to SPI (00h, sent in OPI form); a software reset
 *    (66h/99h, in OPI 6699h/9966h) or power cycle returns to SPI with the
 *    default dummy count.  In OPI every command is its opcode then the
 *    inverse byte on 8 lines, addresses are 4 bytes, data 8 lines, all at
 *    the protocol's rate (a byte at the wrong rate is misuse, garbled as a
 *    byte on the wrong lines).  In DTR OPI register and ID bytes come in
 *    duplicated pairs (A-A-B-B, Linux macronix.c); CR2 reads give address,
 *    address + 1.  With DQS capture (nor_chip_set_dqs) the dummy count is
 *    not checked in OPI.  No SPI DTR commands, no 2/4-line commands.
 *  - Block protection is checked per page (program) or per erase block:
 *    a program/erase touching a protected byte is ignored, WEL cleared,
 *    ignored_protected counted.  WPS = 1 (individual block locks) is
 *    modelled as everything locked, the power-on state of those locks.
 *
 * Invariants: the array is only written by nor_apply_*; nothing in the
 * transfer path depends on tx for the byte returned (it is latched in
 * next_out before the byte is clocked); an impossible state aborts.
 * Not thread-safe: the controller model in front serializes calls.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nor_chip.h"
#include "nor_parts.h"
#include "sim_clock.h"

#define NOR_SEGMENT_SIZE	0x1000000u	/* 16 MiB reached by a 3-byte address */
#define NOR_MAX_PAGE		256u
#define NOR_MAX_REG_BYTES	3u	/* 01h on MX25R: SR, CR1, CR2 */

#define FAM(f)		(1u << (f))
#define FAM_W		FAM(NOR_FAMILY_WINBOND)
#define FAM_G		FAM(NOR_FAMILY_GIGADEVICE)
#define FAM_I		FAM(NOR_FAMILY_ISSI)
#define FAM_M		FAM(NOR_FAMILY_MACRONIX)
#define FAM_MI		FAM(NOR_FAMILY_MICRON)
#define FAM_ALL		(FAM_W | FAM_G | FAM_I | FAM_M | FAM_MI)

/* Register indexes beyond the three family registers. */
#define NOR_REG_EAR	3
#define NOR_REG_FSR	4	/* Micron flag status register (70h) */
#define NOR_REG_NVCR	5	/* Micron non-volatile configuration register (B5h/B1h) */

/* Micron FSR bits (nor-chips.md section 9.4) */
#define MICRON_FSR_READY	0x80
#define MICRON_FSR_PROTECTION	0x02
#define MICRON_FSR_4BYTE	0x01
/* Macronix MX25R CR2: bit1 L/H switch is the only writable bit (section 9.4) */
#define MACRONIX_CR2_WRITABLE	0x02

enum nor_op {
	NOR_OP_READ,
	NOR_OP_READ_SFDP,
	NOR_OP_READ_JEDEC_ID,
	NOR_OP_READ_UID,
	NOR_OP_READ_MFR_DEVICE_ID,
	NOR_OP_READ_REG,
	NOR_OP_WRITE_REG,
	NOR_OP_PROGRAM,
	NOR_OP_ERASE,
	NOR_OP_CHIP_ERASE,
	NOR_OP_WRITE_ENABLE,
	NOR_OP_WRITE_DISABLE,
	NOR_OP_VOLATILE_WRITE_ENABLE,
	NOR_OP_ENTER_4BYTE,
	NOR_OP_EXIT_4BYTE,
	NOR_OP_RESET_ENABLE,
	NOR_OP_RESET,
	NOR_OP_POWER_DOWN,
	NOR_OP_RELEASE_POWER_DOWN,
	NOR_OP_SUSPEND,
	NOR_OP_RESUME,
	NOR_OP_CLEAR_FSR,
	NOR_OP_ENTER_QPI,
	NOR_OP_EXIT_QPI,
	NOR_OP_READ_CR2,	/* Macronix octal: 71h, register by 4-byte address */
	NOR_OP_WRITE_CR2,	/* Macronix octal: 72h */
};

enum nor_addr_kind {
	NOR_ADDR_NONE,
	NOR_ADDR_MODE,		/* 3 bytes, or 4 in 4-byte mode */
	NOR_ADDR_3,		/* always 3 (SFDP, 90h, ABh dummies) */
	NOR_ADDR_4,		/* dedicated 4-byte opcode */
};

enum nor_wait_kind {
	NOR_WAIT_NONE,
	NOR_WAIT_FAST,		/* 8 clocks (Macronix: CR DC) */
	NOR_WAIT_DUAL_IO,	/* BBh: mode + wait */
	NOR_WAIT_QUAD_IO,	/* EBh: mode + wait */
	NOR_WAIT_UID,		/* 4Bh dummies */
	NOR_WAIT_SFDP,		/* 8 clocks, always */
	NOR_WAIT_OCTAL_REG,	/* OPI register and ID reads: 4 clocks */
	NOR_WAIT_OCTAL_READ,	/* OPI array and SFDP reads: 20 - 2 x CR2 DC */
};

/* Octal protocol a Macronix octaflash is in (CR2 at address 0). */
enum nor_opi {
	NOR_OPI_OFF = 0,	/* SPI, 1-1-1 */
	NOR_OPI_STR = 1,	/* SOPI: 8S-8S-8S */
	NOR_OPI_DTR = 2,	/* DOPI: 8D-8D-8D */
};

struct nor_command {
	uint8_t opcode;
	const char *mnemonic;
	enum nor_op op;
	uint32_t families;		/* FAM_* that have it */
	uint32_t part_flags;		/* NOR_PART_* all required */
	uint32_t part_flags_absent;	/* NOR_PART_* none allowed */
	enum nor_addr_kind addr;
	uint8_t addr_lines;		/* lines of address and mode bits; 0 = 1 */
	enum nor_wait_kind wait;
	uint8_t data_lines;		/* lines of data; 0 = 1 */
	bool needs_qe;			/* ignored unless QE = 1 */
	uint32_t erase_size;		/* NOR_OP_ERASE: block size */
	int reg;			/* NOR_OP_*_REG: register index */
	bool volatile_write;		/* NOR_OP_WRITE_REG: no WEL, no busy */
	bool volatile_wel;		/* NOR_OP_WRITE_REG: no busy, but WEL first (Micron) */
	enum nor_opi opi_only;		/* OPI commands: only in this protocol (0: both) */
};

/* In QPI (Micron 4-4-4) every phase is on 4 lines. */
static unsigned int nor_addr_lines(bool qpi, const struct nor_command *cmd)
{
	if (qpi)
		return 4;
	return cmd->addr_lines ? cmd->addr_lines : 1;
}

static unsigned int nor_data_lines(bool qpi, const struct nor_command *cmd)
{
	if (qpi)
		return 4;
	return cmd->data_lines ? cmd->data_lines : 1;
}

#define CMD(opc, mn, o, fam, ...) \
	{ .opcode = (opc), .mnemonic = (mn), .op = (o), .families = (fam), \
	  __VA_ARGS__ }

/* First entry matching the part's family and flags wins. */
static const struct nor_command nor_commands[] = {
	CMD(0x03, "READ", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE),
	CMD(0x0b, "FAST_READ", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE, .wait = NOR_WAIT_FAST),
	CMD(0x3b, "DOR", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE, .wait = NOR_WAIT_FAST,
	    .data_lines = 2),
	CMD(0x6b, "QOR", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE, .wait = NOR_WAIT_FAST,
	    .data_lines = 4, .needs_qe = true),
	CMD(0xbb, "DIOR", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE, .addr_lines = 2,
	    .wait = NOR_WAIT_DUAL_IO, .data_lines = 2),
	CMD(0xeb, "QIOR", NOR_OP_READ, FAM_ALL, .addr = NOR_ADDR_MODE, .addr_lines = 4,
	    .wait = NOR_WAIT_QUAD_IO, .data_lines = 4, .needs_qe = true),
	CMD(0x13, "4READ", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4),
	CMD(0x0c, "4FAST_READ", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE,
	    .addr = NOR_ADDR_4, .wait = NOR_WAIT_FAST),
	CMD(0x3c, "4DOR", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .wait = NOR_WAIT_FAST, .data_lines = 2),
	CMD(0x6c, "4QOR", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .wait = NOR_WAIT_FAST, .data_lines = 4, .needs_qe = true),
	CMD(0xbc, "4DIOR", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .addr_lines = 2, .wait = NOR_WAIT_DUAL_IO, .data_lines = 2),
	CMD(0xec, "4QIOR", NOR_OP_READ, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .addr_lines = 4, .wait = NOR_WAIT_QUAD_IO, .data_lines = 4, .needs_qe = true),

	CMD(0x02, "PP", NOR_OP_PROGRAM, FAM_ALL, .addr = NOR_ADDR_MODE),
	CMD(0x32, "QPP", NOR_OP_PROGRAM, FAM_ALL, .part_flags = NOR_PART_PP_32,
	    .addr = NOR_ADDR_MODE, .data_lines = 4, .needs_qe = true),
	CMD(0x38, "4PP", NOR_OP_PROGRAM, FAM_ALL, .part_flags = NOR_PART_PP_38,
	    .addr = NOR_ADDR_MODE, .addr_lines = 4, .data_lines = 4, .needs_qe = true),
	/* N25Q128A: 12h is the extended quad input fast program, 1-4-4 */
	CMD(0x12, "QIEFP", NOR_OP_PROGRAM, FAM_MI, .part_flags = NOR_PART_PP_12_QUAD,
	    .addr = NOR_ADDR_MODE, .addr_lines = 4, .data_lines = 4, .needs_qe = true),
	CMD(0x12, "PP4B", NOR_OP_PROGRAM, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4),
	CMD(0x34, "QPP4B", NOR_OP_PROGRAM, FAM_ALL, .part_flags = NOR_PART_4BYTE | NOR_PART_PP_32,
	    .addr = NOR_ADDR_4, .data_lines = 4, .needs_qe = true),

	CMD(0x20, "SE", NOR_OP_ERASE, FAM_ALL, .addr = NOR_ADDR_MODE, .erase_size = 4096),
	CMD(0xd7, "SE", NOR_OP_ERASE, FAM_I, .addr = NOR_ADDR_MODE, .erase_size = 4096),
	CMD(0x52, "BE32K", NOR_OP_ERASE, FAM_ALL, .part_flags_absent = NOR_PART_NO_ERASE_32K,
	    .addr = NOR_ADDR_MODE, .erase_size = 32768),
	CMD(0xd8, "BE", NOR_OP_ERASE, FAM_ALL, .addr = NOR_ADDR_MODE, .erase_size = 65536),
	CMD(0x21, "SE4B", NOR_OP_ERASE, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .erase_size = 4096),
	CMD(0x5c, "BE32K4B", NOR_OP_ERASE, FAM_ALL, .part_flags = NOR_PART_4BYTE | NOR_PART_ERASE_5C,
	    .addr = NOR_ADDR_4, .erase_size = 32768),
	CMD(0xdc, "BE4B", NOR_OP_ERASE, FAM_ALL, .part_flags = NOR_PART_4BYTE, .addr = NOR_ADDR_4,
	    .erase_size = 65536),
	CMD(0xc7, "CE", NOR_OP_CHIP_ERASE, FAM_ALL),
	CMD(0x60, "CE", NOR_OP_CHIP_ERASE, FAM_ALL),

	CMD(0x06, "WREN", NOR_OP_WRITE_ENABLE, FAM_ALL),
	CMD(0x04, "WRDI", NOR_OP_WRITE_DISABLE, FAM_ALL),
	CMD(0x50, "VWREN", NOR_OP_VOLATILE_WRITE_ENABLE, FAM_ALL, .part_flags = NOR_PART_VOLATILE_50),

	CMD(0x05, "RDSR", NOR_OP_READ_REG, FAM_ALL, .reg = 0),
	CMD(0x35, "RDSR2", NOR_OP_READ_REG, FAM_W | FAM_G, .reg = 1),
	CMD(0x15, "RDSR3", NOR_OP_READ_REG, FAM_W | FAM_G, .reg = 2),
	CMD(0x15, "RDCR", NOR_OP_READ_REG, FAM_M, .reg = 1),
	CMD(0x2b, "RDSCUR", NOR_OP_READ_REG, FAM_M, .reg = 2),
	CMD(0x48, "RDFR", NOR_OP_READ_REG, FAM_I, .reg = 1),
	CMD(0x61, "RDRP", NOR_OP_READ_REG, FAM_I, .reg = 2),
	CMD(0xc8, "RDEAR", NOR_OP_READ_REG, FAM_ALL, .part_flags = NOR_PART_4BYTE, .reg = NOR_REG_EAR),
	CMD(0x01, "WRSR", NOR_OP_WRITE_REG, FAM_ALL, .reg = 0),
	CMD(0x31, "WRSR2", NOR_OP_WRITE_REG, FAM_W | FAM_G, .reg = 1),
	CMD(0x11, "WRSR3", NOR_OP_WRITE_REG, FAM_W | FAM_G, .reg = 2),
	CMD(0x42, "WRFR", NOR_OP_WRITE_REG, FAM_I, .reg = 1),
	CMD(0xc0, "SRPV", NOR_OP_WRITE_REG, FAM_I, .reg = 2, .volatile_write = true),
	CMD(0x65, "SRPNV", NOR_OP_WRITE_REG, FAM_I, .reg = 2),
	CMD(0xc5, "WREAR", NOR_OP_WRITE_REG, FAM_ALL, .part_flags = NOR_PART_4BYTE,
	    .reg = NOR_REG_EAR),
	CMD(0xb7, "EN4B", NOR_OP_ENTER_4BYTE, FAM_ALL, .part_flags = NOR_PART_4BYTE),
	CMD(0xe9, "EX4B", NOR_OP_EXIT_4BYTE, FAM_ALL, .part_flags = NOR_PART_4BYTE),

	CMD(0x9f, "RDID", NOR_OP_READ_JEDEC_ID, FAM_ALL),
	CMD(0x5a, "RDSFDP", NOR_OP_READ_SFDP, FAM_ALL, .addr = NOR_ADDR_3, .wait = NOR_WAIT_SFDP),
	CMD(0x4b, "RUID", NOR_OP_READ_UID, FAM_W | FAM_G | FAM_I, .wait = NOR_WAIT_UID),
	CMD(0x90, "REMS", NOR_OP_READ_MFR_DEVICE_ID, FAM_ALL, .addr = NOR_ADDR_3),
	CMD(0x66, "RSTEN", NOR_OP_RESET_ENABLE, FAM_ALL),
	CMD(0x99, "RST", NOR_OP_RESET, FAM_ALL),
	CMD(0xb9, "DP", NOR_OP_POWER_DOWN, FAM_ALL),
	CMD(0xab, "RES", NOR_OP_RELEASE_POWER_DOWN, FAM_ALL, .addr = NOR_ADDR_3),
	CMD(0x75, "SUSPEND", NOR_OP_SUSPEND, FAM_W | FAM_G | FAM_I | FAM_MI),
	CMD(0x7a, "RESUME", NOR_OP_RESUME, FAM_W | FAM_G | FAM_I | FAM_MI),

	/* Micron registers (nor-chips.md section 9.4) */
	CMD(0x70, "RDFSR", NOR_OP_READ_REG, FAM_MI, .reg = NOR_REG_FSR),
	CMD(0x50, "CLFSR", NOR_OP_CLEAR_FSR, FAM_MI),
	CMD(0x85, "RDVCR", NOR_OP_READ_REG, FAM_MI, .reg = 1),
	CMD(0x81, "WRVCR", NOR_OP_WRITE_REG, FAM_MI, .reg = 1, .volatile_wel = true),
	CMD(0x65, "RDEVCR", NOR_OP_READ_REG, FAM_MI, .reg = 2),
	CMD(0x61, "WREVCR", NOR_OP_WRITE_REG, FAM_MI, .reg = 2, .volatile_wel = true),
	CMD(0xb5, "RDNVCR", NOR_OP_READ_REG, FAM_MI, .reg = NOR_REG_NVCR),
	CMD(0xb1, "WRNVCR", NOR_OP_WRITE_REG, FAM_MI, .reg = NOR_REG_NVCR),
	CMD(0x9e, "RDID", NOR_OP_READ_JEDEC_ID, FAM_MI),
	/*
	 * Micron QPI (4-4-4): 35h enters, F5h leaves, as does EVCR bit 7
	 * (active low); AFh reads the ID in QPI (OpenOCD's stmqspi sends it
	 * first, stm32h7x_dual_qspi.cfg enters with EVCR 3Fh then 35h and
	 * leaves with F5h on 4 lines; reference sheet nor-chips.md 9.4, 9.7
	 * DW15: "35h ... disable F5h").  AFh outside QPI is not modelled
	 * (unknown opcode, as before).
	 */
	CMD(0x35, "ENQD", NOR_OP_ENTER_QPI, FAM_MI),
	CMD(0xf5, "RSTQIO", NOR_OP_EXIT_QPI, FAM_MI),
	CMD(0xaf, "MIORDID", NOR_OP_READ_JEDEC_ID, FAM_MI),
	CMD(0xb0, "SUSPEND", NOR_OP_SUSPEND, FAM_M | FAM_I),
	CMD(0x30, "RESUME", NOR_OP_RESUME, FAM_M | FAM_I),

	/* Macronix octaflash CR2: 4-byte register address, then data (nor-chips.md 9.4) */
	CMD(0x71, "RDCR2", NOR_OP_READ_CR2, FAM_M, .part_flags = NOR_PART_OCTAL,
	    .addr = NOR_ADDR_4),
	CMD(0x72, "WRCR2", NOR_OP_WRITE_CR2, FAM_M, .part_flags = NOR_PART_OCTAL,
	    .addr = NOR_ADDR_4),
};

/*
 * Macronix octaflash in STR or DTR OPI (nor-chips.md 9.2, 9.5): every
 * command is 2 bytes on 8 lines, the opcode then its inverse (05FAh), and
 * everything after it goes on 8 lines too.  Opcodes: ST's mx25lm51245g.h
 * MX25LM51245G_OCTA_* (C738h: Zephyr); register and ID reads take a 4-byte
 * address and 4 dummy clocks (ST's STR figure; Linux reads the ID in
 * 8D-8D-8D with 4; ST's driver gives 5 for DTR with DQS on, where the
 * count does not matter: UNVERIFIED which the datasheet says); the array
 * read takes 20 - 2 x CR2@300h DC (ST, Linux) and so does SFDP (INFERRED:
 * Linux reads SFDP in 8D-8D-8D with the read's dummy count).  01FEh
 * writes SR (address 0) or CR (address 1), one byte (ST WriteStatusRegister,
 * WriteCfgRegister).
 */
#define OCMD(opc, mn, o, ...) \
	{ .opcode = (opc), .mnemonic = (mn), .op = (o), .families = FAM_M, \
	  .part_flags = NOR_PART_OCTAL, .addr_lines = 8, .data_lines = 8, __VA_ARGS__ }

static const struct nor_command nor_octal_commands[] = {
	OCMD(0xec, "8READ", NOR_OP_READ, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_READ,
	     .opi_only = NOR_OPI_STR),
	OCMD(0xee, "8DTRD", NOR_OP_READ, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_READ,
	     .opi_only = NOR_OPI_DTR),
	OCMD(0x5a, "RDSFDP", NOR_OP_READ_SFDP, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_READ),
	OCMD(0x9f, "RDID", NOR_OP_READ_JEDEC_ID, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_REG),
	OCMD(0x05, "RDSR", NOR_OP_READ_REG, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_REG, .reg = 0),
	OCMD(0x15, "RDCR", NOR_OP_READ_REG, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_REG, .reg = 1),
	OCMD(0x71, "RDCR2", NOR_OP_READ_CR2, .addr = NOR_ADDR_4, .wait = NOR_WAIT_OCTAL_REG),
	OCMD(0x72, "WRCR2", NOR_OP_WRITE_CR2, .addr = NOR_ADDR_4),
	OCMD(0x01, "WRSR", NOR_OP_WRITE_REG, .addr = NOR_ADDR_4, .reg = -1),
	OCMD(0x06, "WREN", NOR_OP_WRITE_ENABLE),
	OCMD(0x04, "WRDI", NOR_OP_WRITE_DISABLE),
	OCMD(0x12, "PP4B", NOR_OP_PROGRAM, .addr = NOR_ADDR_4),
	OCMD(0x21, "SE4B", NOR_OP_ERASE, .addr = NOR_ADDR_4, .erase_size = 4096),
	OCMD(0xdc, "BE4B", NOR_OP_ERASE, .addr = NOR_ADDR_4, .erase_size = 65536),
	OCMD(0x60, "CE", NOR_OP_CHIP_ERASE),
	OCMD(0xc7, "CE", NOR_OP_CHIP_ERASE),
	OCMD(0x66, "RSTEN", NOR_OP_RESET_ENABLE),
	OCMD(0x99, "RST", NOR_OP_RESET),
	OCMD(0xb9, "DP", NOR_OP_POWER_DOWN),
};

enum nor_phase {
	NOR_PHASE_IDLE,		/* CS high */
	NOR_PHASE_OPCODE,
	NOR_PHASE_ADDRESS,
	NOR_PHASE_POST_ADDRESS,	/* mode bits and dummy clocks */
	NOR_PHASE_DATA,
	NOR_PHASE_IGNORE,	/* rest of the transaction is not listened to */
};

enum nor_pending_kind {
	NOR_PENDING_NONE,
	NOR_PENDING_PROGRAM,
	NOR_PENDING_ERASE,
	NOR_PENDING_REG_WRITE,
};

/* An operation started at CS rise that has not completed yet. */
struct nor_pending {
	enum nor_pending_kind kind;
	uint32_t addr;			/* program: page base; erase: block base */
	uint32_t len;			/* erase: block size */
	uint8_t page[NOR_MAX_PAGE];	/* program: data by page offset */
	bool page_mask[NOR_MAX_PAGE];	/* program: offset received */
	int reg;			/* register write: first register index */
	uint8_t reg_values[NOR_MAX_REG_BYTES];
	unsigned int reg_count;
	uint64_t end_ns;		/* CLOCK_MONOTONIC completion time (TYPICAL) */
};

/* Misuse already logged in this transaction (one line each). */
#define NOR_LOGGED_LINES	(1u << 0)
#define NOR_LOGGED_DATA_PAST	(1u << 1)
#define NOR_LOGGED_DUMMY	(1u << 2)

struct nor_chip {
	const struct nor_part *part;
	uint32_t clock_hz;		/* SCK the controller drives, 0 = unknown */
	uint8_t *array;			/* the flash contents, caller's buffer */
	uint32_t size;
	enum nor_timing timing;
	struct nor_faults faults;

	/* registers (indexes per enum nor_family in nor_parts.h) */
	uint8_t reg_nv[3];		/* non-volatile value */
	uint8_t reg[3];			/* current (volatile) value, BUSY/WEL bits kept 0 */
	bool wel;			/* SR1 bit1: write enable latch */
	bool volatile_write_enabled;	/* 50h seen: next status write is volatile */
	bool four_byte;			/* 4-byte address mode (B7h), SR3.ADS */
	bool qpi;			/* Micron: 4-4-4 protocol (EVCR bit 7 = 0, 35h) */
	uint8_t ear;			/* extended address register, A31-A24 */
	uint16_t nvcr_nv;		/* Micron NVCR (B5h), non-volatile */
	uint8_t fsr_errors;		/* Micron FSR error bits, cleared by 50h */
	uint8_t cr2_nv;			/* Macronix CR2 (NOR_PART_CR2): non-volatile ... */
	uint8_t cr2;			/* ... and current value */
	bool powered_down;		/* B9h until ABh */
	bool reset_enabled;		/* 66h seen, 99h acts */
	bool wp_high;			/* level of the WP# pin */
	/* Macronix octaflash (NOR_PART_OCTAL), CR2 by register address */
	enum nor_opi opi;		/* CR2@0: SOPI bit0, DOPI bit1 */
	uint8_t cr2_dqs;		/* CR2@200h: DQSPRC bit0, DOS bit1 (stored) */
	uint8_t cr2_dc;			/* CR2@300h: DC 2:0, dummy = 20 - 2 x DC */
	uint8_t cr2_pptsel;		/* CR2@500h: PPTSEL bit0 (stored) */
	bool dqs;			/* controller captures read data with DQS */
	const struct nor_command *continuous;	/* continuous read mode: opcode skipped */

	/* busy state */
	struct nor_pending pending;	/* TYPICAL: operation in flight */
	bool instant_busy;		/* INSTANT: WIP shows until the next SR1 read */
	bool stuck;			/* busy_stuck fault has fired */

	/* transaction */
	bool selected;			/* CS low */
	enum nor_phase phase;
	const struct nor_command *cmd;
	unsigned int addr_bytes;	/* address bytes this command takes */
	unsigned int addr_got;
	uint32_t addr_raw;		/* address bytes as received */
	uint32_t addr;			/* current array / SFDP address */
	uint32_t wrap_base;		/* reads wrap inside [wrap_base, +wrap_size) */
	uint32_t wrap_size;
	unsigned int post_total;	/* post-address clocks */
	unsigned int post_mode;		/* of which mode-bit clocks */
	unsigned int post_got;
	bool mode_seen;
	uint8_t mode;			/* M7-0 */
	uint32_t data_count;		/* data bytes clocked */
	uint8_t reg_bytes[NOR_MAX_REG_BYTES];
	struct nor_pending program;	/* page buffer being filled by 02h/32h */
	unsigned int logged;		/* NOR_LOGGED_* */
	uint8_t next_out;		/* byte the chip drives in the next slot */
	bool next_out_clears_busy;	/* next_out carries the INSTANT WIP=1 */
	bool cur_dtr;			/* the byte being clocked is double rate */
	bool opcode_half;		/* OPI: first opcode byte received ... */
	uint8_t opcode_first;		/* ... this one */
	bool dtr_half;			/* DTR dummy phase: a half clock left over */

	struct nor_counters counters;
	struct nor_sector_counters *sectors;
	void (*log)(void *ctx, const char *msg);
	void *log_ctx;
};

static uint64_t nor_now_ns(void)
{
	return sim_clock_ns();
}

static void nor_impossible(const char *what)
{
	fprintf(stderr, "nor: internal error: %s\n", what);
	abort();
}

__attribute__((format(printf, 2, 3)))
static void nor_log(struct nor_chip *chip, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (chip->log)
		chip->log(chip->log_ctx, msg);
	else
		fprintf(stderr, "nor: %s: %s\n", chip->part->name, msg);
}

#define nor_misuse(chip, ...) \
	do { \
		(chip)->counters.misuse++; \
		nor_log((chip), __VA_ARGS__); \
	} while (0)

/* ---- registers ------------------------------------------------------- */

static bool nor_family_is_winbond_like(const struct nor_chip *chip)
{
	return chip->part->family == NOR_FAMILY_WINBOND ||
	       chip->part->family == NOR_FAMILY_GIGADEVICE;
}

static bool nor_qe(const struct nor_chip *chip)
{
	if (!chip->part->qe_mask)	/* Micron: no QE bit, quad commands always work */
		return true;
	return chip->reg[chip->part->qe_reg] & chip->part->qe_mask;
}

static bool nor_status_write_blocked(const struct nor_chip *chip)
{
	bool srp = chip->reg[0] & 0x80;		/* SRP0 / SRWD */
	bool srl = nor_family_is_winbond_like(chip) && (chip->reg[1] & 0x01);
	/* with QE = 1 the WP# pin is IO2 and cannot protect (UNVERIFIED) */
	bool wp_active = !chip->wp_high && !nor_qe(chip);

	return srl || (srp && wp_active);
}

static bool nor_busy_now(const struct nor_chip *chip)
{
	return chip->stuck || chip->instant_busy || chip->pending.kind != NOR_PENDING_NONE;
}

static uint8_t nor_read_register(const struct nor_chip *chip, int reg, bool *carries_instant_wip)
{
	uint8_t value;

	*carries_instant_wip = false;
	if (reg == NOR_REG_EAR)
		return chip->ear;
	if (reg == NOR_REG_FSR) {
		value = chip->fsr_errors;
		if ((chip->part->flags & NOR_PART_4BYTE) && chip->four_byte)
			value |= MICRON_FSR_4BYTE;
		if (!nor_busy_now(chip))
			return value | MICRON_FSR_READY;
		*carries_instant_wip = chip->instant_busy && !chip->stuck &&
				       chip->pending.kind == NOR_PENDING_NONE;
		return value;
	}
	if (reg < 0 || reg > 2)
		nor_impossible("register index out of range");
	value = chip->reg[reg];
	if (reg == 0) {
		value &= ~0x03;
		if (chip->wel)
			value |= 0x02;
		if (nor_busy_now(chip)) {
			value |= 0x01;
			*carries_instant_wip = chip->instant_busy && !chip->stuck &&
					       chip->pending.kind == NOR_PENDING_NONE;
		}
	} else if (reg == 1 && nor_family_is_winbond_like(chip)) {
		value &= ~0x80;			/* SUS: suspend not modelled */
	} else if (reg == 2 && nor_family_is_winbond_like(chip) &&
		   (chip->part->flags & NOR_PART_4BYTE)) {
		value = (value & ~0x01) | (chip->four_byte ? 0x01 : 0x00);	/* ADS */
	} else if (reg == 1 && chip->part->family == NOR_FAMILY_MACRONIX &&
		   (chip->part->flags & NOR_PART_4BYTE)) {
		value = (value & ~0x20) | (chip->four_byte ? 0x20 : 0x00);	/* 4BYTE */
	}
	return value;
}

/* Macronix octaflash CR2 at a register address (nor-chips.md 9.4); 0 where none. */
static uint8_t nor_cr2_read(const struct nor_chip *chip, uint32_t address)
{
	switch (address) {
	case 0x00000000:
		return (uint8_t)chip->opi;	/* SOPI bit0, DOPI bit1 */
	case 0x00000200:
		return chip->cr2_dqs;
	case 0x00000300:
		return chip->cr2_dc;
	case 0x00000500:
		return chip->cr2_pptsel;
	default:
		return 0x00;
	}
}

/* ---- protection ------------------------------------------------------ */

/*
 * The protected set is [lo, hi) or, with *complement, everything outside
 * it.  Schemes: nor-chips.md section 6.
 */
static void nor_protected_range(const struct nor_chip *chip, uint32_t *lo, uint32_t *hi,
				bool *complement)
{
	uint32_t size = chip->size;
	uint32_t len = 0;
	unsigned int bp;
	bool bottom;

	*complement = false;
	switch (chip->part->protect) {
	case NOR_PROTECT_BP3_TB_SEC_CMP: {
		bool sec = chip->reg[0] & 0x40;

		if (chip->reg[2] & 0x04) {	/* WPS: individual locks, all set at power-on */
			*lo = 0;
			*hi = size;
			return;
		}
		bp = (chip->reg[0] >> 2) & 0x7;
		bottom = chip->reg[0] & 0x20;
		*complement = chip->reg[1] & 0x40;
		if (bp == 0)
			len = 0;
		else if (bp == 7)
			len = size;
		else if (sec)
			len = (4096u << (bp - 1)) > 32768u ? 32768u : (4096u << (bp - 1));
		else
			len = (size / 64) << (bp - 1);
		break;
	}
	case NOR_PROTECT_BP4_TB_CMP:
	case NOR_PROTECT_BP4_TBS_FR:
	case NOR_PROTECT_BP4_TB_CR:
	case NOR_PROTECT_BP4_TB_MICRON:
		bp = (chip->reg[0] >> 2) & 0xf;
		if (chip->part->protect == NOR_PROTECT_BP4_TB_MICRON) {
			bp = ((chip->reg[0] >> 2) & 0x7) | ((chip->reg[0] >> 3) & 0x8);
			bottom = chip->reg[0] & 0x20;
		} else if (chip->part->protect == NOR_PROTECT_BP4_TB_CMP) {
			bottom = chip->reg[0] & 0x40;
			*complement = chip->reg[1] & 0x40;
		} else if (chip->part->protect == NOR_PROTECT_BP4_TBS_FR) {
			bottom = chip->reg[1] & 0x02;
		} else {
			bottom = chip->reg[1] & 0x08;
		}
		if (bp == 0)
			len = 0;
		else if (bp - 1 >= 16 || (65536ull << (bp - 1)) >= size)
			len = size;
		else
			len = 65536u << (bp - 1);
		break;
	default:
		nor_impossible("unknown protection scheme");
		return;
	}
	if (bottom) {
		*lo = 0;
		*hi = len;
	} else {
		*lo = size - len;
		*hi = size;
	}
}

/* True if any byte of [addr, addr + len) is protected. */
static bool nor_range_protected(const struct nor_chip *chip, uint32_t addr, uint32_t len)
{
	uint32_t lo, hi;
	bool complement;
	uint64_t end = (uint64_t)addr + len;

	nor_protected_range(chip, &lo, &hi, &complement);
	if (!complement)
		return lo < hi && addr < hi && end > lo;
	return addr < lo || end > hi;
}

/* ---- operations ------------------------------------------------------ */

static void nor_apply_program(struct nor_chip *chip, const struct nor_pending *op, bool half)
{
	uint32_t page = chip->part->page_size;

	for (uint32_t i = 0; i < page; i++) {
		uint32_t a = op->addr + i;
		uint8_t data;

		if (!op->page_mask[i] || (half && i >= page / 2))
			continue;
		data = op->page[i];
		if (chip->faults.stuck_bits && a == chip->faults.stuck_addr)
			data |= chip->faults.stuck_mask;
		chip->array[a] &= data;
	}
}

static void nor_apply_erase(struct nor_chip *chip, const struct nor_pending *op, bool half)
{
	memset(chip->array + op->addr, 0xff, half ? op->len / 2 : op->len);
}

static void nor_apply_reg_write(struct nor_chip *chip, const struct nor_pending *op)
{
	if (op->reg == NOR_REG_NVCR) {	/* LSB first; takes effect at the next power-up */
		chip->nvcr_nv = op->reg_values[0] | op->reg_values[1] << 8;
		return;
	}
	for (unsigned int i = 0; i < op->reg_count; i++) {
		if (op->reg + i == 2 && (chip->part->flags & NOR_PART_CR2)) {
			chip->cr2_nv = op->reg_values[i];
			chip->cr2 = op->reg_values[i];
			continue;
		}
		chip->reg_nv[op->reg + i] = op->reg_values[i];
		chip->reg[op->reg + i] = op->reg_values[i];
	}
}

static void nor_apply(struct nor_chip *chip, const struct nor_pending *op, bool partial)
{
	switch (op->kind) {
	case NOR_PENDING_PROGRAM:
		nor_apply_program(chip, op, partial);
		break;
	case NOR_PENDING_ERASE:
		nor_apply_erase(chip, op, partial);
		break;
	case NOR_PENDING_REG_WRITE:
		if (!partial)
			nor_apply_reg_write(chip, op);
		break;
	case NOR_PENDING_NONE:
	default:
		nor_impossible("applying no operation");
	}
}

/* Complete a TYPICAL operation whose time has come. */
static void nor_poll(struct nor_chip *chip)
{
	if (chip->pending.kind == NOR_PENDING_NONE)
		return;
	if (nor_now_ns() < chip->pending.end_ns)
		return;
	nor_apply(chip, &chip->pending, false);
	chip->pending.kind = NOR_PENDING_NONE;
	chip->wel = false;
}

/* Abort an operation in flight (power loss, software reset). */
static void nor_abort_operation(struct nor_chip *chip)
{
	nor_poll(chip);
	if (chip->pending.kind != NOR_PENDING_NONE) {
		nor_log(chip, "operation at 0x%08x interrupted: left partially done",
			(unsigned int)chip->pending.addr);
		nor_apply(chip, &chip->pending, true);
		chip->pending.kind = NOR_PENDING_NONE;
	}
	if (chip->instant_busy)
		chip->wel = false;
	chip->instant_busy = false;
}

/*
 * Store into each host page of array[addr, addr + len) the byte it holds,
 * so that the op completing later (nor_apply) stores without a page fault.
 * The simulator maps the image file MAP_SHARED: the first store to each
 * host page of the file takes a write fault, about 15 to 25 us on ext4,
 * which fell between a page program's end and the next program (every
 * sixteenth gap of a 1 MiB write_bank, measured at the chip: 26 to 33 us
 * against 15 to 16 us for the others; with the image on tmpfs the
 * sixteenth was as short as the rest).  Taken when the op starts, the
 * fault runs while the chip is busy.
 */
static void nor_prefault(struct nor_chip *chip, uint32_t addr, uint32_t len)
{
	static uintptr_t host_page;

	if (!host_page) {
		long size = sysconf(_SC_PAGESIZE);
		host_page = size > 0 ? (uintptr_t)size : 4096u;
	}
	uint8_t *p = chip->array + addr, *end = p + len;
	while (p < end) {
		/* the same value: a reader sees no change */
		__atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED), __ATOMIC_RELAXED);
		p = (uint8_t *)(((uintptr_t)p | (host_page - 1)) + 1);
	}
}

/*
 * Start an accepted program/erase/register write.  The op has passed the
 * WEL and protection checks.
 */
static void nor_start(struct nor_chip *chip, const struct nor_pending *op, uint64_t duration_ns)
{
	chip->counters.busy_ns += duration_ns;
	if (chip->faults.busy_stuck) {
		chip->stuck = true;
		nor_log(chip, "busy_stuck fault: operation at 0x%08x never completes",
			(unsigned int)op->addr);
		return;
	}
	if (chip->stuck)
		nor_impossible("operation started while stuck busy");
	if (chip->timing == NOR_TIMING_TYPICAL) {
		chip->pending = *op;
		chip->pending.end_ns = nor_now_ns() + duration_ns;
		if (op->kind == NOR_PENDING_PROGRAM)
			nor_prefault(chip, op->addr, chip->part->page_size);
		else if (op->kind == NOR_PENDING_ERASE)
			nor_prefault(chip, op->addr, op->len);
		return;
	}
	/* INSTANT: done now; WIP and WEL read 1 until the next SR1 byte */
	nor_apply(chip, op, false);
	chip->instant_busy = true;
}

static void nor_count_sectors(struct nor_chip *chip, uint32_t addr, uint32_t len, bool erase)
{
	for (uint32_t s = addr / NOR_SECTOR_SIZE; s < (addr + len + NOR_SECTOR_SIZE - 1) / NOR_SECTOR_SIZE; s++) {
		if (erase)
			chip->sectors[s].erases++;
		else
			chip->sectors[s].programs++;
	}
}

static bool nor_need_wel(struct nor_chip *chip, const char *what)
{
	if (chip->wel)
		return true;
	nor_misuse(chip, "%s without WREN (WEL = 0): ignored; send 06h first", what);
	return false;
}

static void nor_execute_program(struct nor_chip *chip)
{
	struct nor_pending *op = &chip->program;
	uint32_t page = chip->part->page_size;
	uint64_t duration;

	if (chip->addr_got < chip->addr_bytes) {
		nor_misuse(chip, "%s: CS rose after %u of %u address bytes: ignored",
			   chip->cmd->mnemonic, chip->addr_got, chip->addr_bytes);
		return;
	}
	if (chip->data_count == 0)
		return;
	if (!nor_need_wel(chip, chip->cmd->mnemonic))
		return;
	if (nor_range_protected(chip, op->addr, page)) {
		nor_log(chip, "%s at 0x%08x: page is write protected (BP bits): ignored",
			chip->cmd->mnemonic, (unsigned int)op->addr);
		chip->counters.ignored_protected++;
		if (chip->part->family == NOR_FAMILY_MICRON)
			chip->fsr_errors |= MICRON_FSR_PROTECTION;
		chip->wel = false;
		return;
	}
	op->kind = NOR_PENDING_PROGRAM;
	chip->counters.page_programs++;
	nor_count_sectors(chip, op->addr, page, false);
	duration = (uint64_t)chip->part->timings.page_program.typ_us * 1000u *
		   (chip->data_count > page ? page : chip->data_count) / page;
	if (duration < (uint64_t)chip->part->timings.page_program.typ_us * 1000u / 16)
		duration = (uint64_t)chip->part->timings.page_program.typ_us * 1000u / 16;
	nor_start(chip, op, duration);
}

static void nor_execute_erase(struct nor_chip *chip, bool whole_chip)
{
	struct nor_pending op = { .kind = NOR_PENDING_ERASE };
	const struct nor_part_timings *t = &chip->part->timings;
	uint64_t duration_us;

	if (whole_chip) {
		op.addr = 0;
		op.len = chip->size;
		duration_us = t->chip_erase.typ_us;
	} else {
		if (chip->addr_got < chip->addr_bytes) {
			nor_misuse(chip, "%s: CS rose after %u of %u address bytes: ignored",
				   chip->cmd->mnemonic, chip->addr_got, chip->addr_bytes);
			return;
		}
		op.len = chip->cmd->erase_size;
		op.addr = chip->addr & ~(op.len - 1);
		duration_us = op.len == 4096 ? t->erase_4k.typ_us :
			      op.len == 32768 ? t->erase_32k.typ_us : t->erase_64k.typ_us;
	}
	if (!nor_need_wel(chip, chip->cmd->mnemonic))
		return;
	if (nor_range_protected(chip, op.addr, op.len)) {
		nor_log(chip, "%s at 0x%08x (+0x%x): protected by BP bits: ignored",
			chip->cmd->mnemonic, (unsigned int)op.addr, (unsigned int)op.len);
		chip->counters.ignored_protected++;
		if (chip->part->family == NOR_FAMILY_MICRON)
			chip->fsr_errors |= MICRON_FSR_PROTECTION;
		chip->wel = false;
		return;
	}
	chip->counters.erases++;
	nor_count_sectors(chip, op.addr, op.len, true);
	nor_start(chip, &op, duration_us * 1000u);
}

/* Data bytes a register write command takes. */
static unsigned int nor_write_reg_bytes(const struct nor_chip *chip, const struct nor_command *cmd)
{
	/* octaflash CR2 and OPI status writes: one byte, a pair in DTR OPI */
	if (cmd->op == NOR_OP_WRITE_CR2 || cmd->reg < 0)
		return chip->opi == NOR_OPI_DTR ? 2 : 1;
	if (cmd->reg == NOR_REG_NVCR)
		return 2;
	if (cmd->opcode == 0x01 && (chip->part->flags & NOR_PART_CR2))
		return 3;
	if (cmd->opcode == 0x01 && (chip->part->flags & NOR_PART_SR_01_2BYTES))
		return 2;
	return 1;
}

static uint8_t nor_merge_register(const struct nor_chip *chip, int reg, uint8_t value)
{
	if (reg == NOR_REG_NVCR)
		return value;		/* every NVCR bit is writable */
	if (reg == 2 && (chip->part->flags & NOR_PART_CR2))
		return (chip->cr2 & ~MACRONIX_CR2_WRITABLE) | (value & MACRONIX_CR2_WRITABLE);
	uint8_t old = chip->reg[reg];
	uint8_t writable = chip->part->reg_writable[reg];
	uint8_t merged = (old & ~writable) | (value & writable);

	return merged | (old & chip->part->reg_otp[reg]);
}

static void nor_execute_write_register(struct nor_chip *chip)
{
	const struct nor_command *cmd = chip->cmd;
	struct nor_pending op = { .kind = NOR_PENDING_REG_WRITE, .reg = cmd->reg };
	/* Micron VCR/EVCR (volatile_wel): WEL first, then no busy time */
	bool volatile_write = cmd->volatile_write || cmd->volatile_wel ||
			      chip->volatile_write_enabled;

	if (chip->data_count == 0)
		return;
	if (cmd->reg == NOR_REG_EAR) {
		if (!nor_need_wel(chip, cmd->mnemonic))
			return;
		chip->ear = chip->reg_bytes[0];
		chip->wel = false;
		return;
	}
	if ((!volatile_write || cmd->volatile_wel) && !nor_need_wel(chip, cmd->mnemonic))
		return;
	if (nor_status_write_blocked(chip)) {
		nor_log(chip, "%s: status register protected (SRP/SRL with WP# low): ignored",
			cmd->mnemonic);
		chip->wel = false;
		return;
	}
	op.reg_count = chip->data_count;
	if (op.reg_count > nor_write_reg_bytes(chip, cmd))
		op.reg_count = nor_write_reg_bytes(chip, cmd);
	if (cmd->reg == NOR_REG_NVCR && op.reg_count < 2) {
		nor_misuse(chip, "%s: %u data byte(s), the NVCR takes 2: ignored", cmd->mnemonic,
			   op.reg_count);
		return;
	}
	for (unsigned int i = 0; i < op.reg_count; i++) {
		int reg = cmd->reg == NOR_REG_NVCR ? NOR_REG_NVCR : cmd->reg + (int)i;

		op.reg_values[i] = nor_merge_register(chip, reg, chip->reg_bytes[i]);
	}
	if (cmd->reg == 2 && chip->part->family == NOR_FAMILY_MICRON &&
	    (chip->reg_bytes[0] & 0xc0) == 0x80)
		nor_log(chip, "%s: EVCR DPI (bit 6 = 0 with bit 7 = 1) is not modelled: "
			"the chip stays in extended SPI", cmd->mnemonic);
	if (volatile_write) {
		for (unsigned int i = 0; i < op.reg_count; i++)
			chip->reg[cmd->reg + i] = op.reg_values[i];
		if (cmd->reg == 2 && chip->part->family == NOR_FAMILY_MICRON)
			chip->qpi = !(chip->reg[2] & 0x80);	/* EVCR bit 7 = 0: QPI */
		if (cmd->volatile_wel)
			chip->wel = false;
		return;
	}
	nor_start(chip, &op, (uint64_t)chip->part->timings.status_write.typ_us * 1000u);
}

/*
 * 72h WRCR2: WEL first; the volatile CR2 takes the value at CS rise, with
 * no busy time (INFERRED: OpenOCD's STM32H735G-DK set-up sends the next
 * command in the new protocol right after it, without polling).  In DTR
 * the pair's second byte belongs to address + 1, where no register is.
 */
static void nor_execute_write_cr2(struct nor_chip *chip)
{
	uint32_t address = chip->addr_raw;
	uint8_t value = chip->reg_bytes[0];

	if (chip->addr_got < chip->addr_bytes) {
		nor_misuse(chip, "WRCR2: CS rose after %u of 4 address bytes: ignored",
			   chip->addr_got);
		return;
	}
	if (chip->data_count == 0) {
		nor_misuse(chip, "WRCR2 at 0x%08x without a data byte: ignored",
			   (unsigned int)address);
		return;
	}
	if (!nor_need_wel(chip, "WRCR2"))
		return;
	chip->wel = false;
	switch (address) {
	case 0x00000000:
		if ((value & 3) == 3)
			nor_log(chip, "WRCR2: SOPI and DOPI both set: DTR OPI taken (UNVERIFIED)");
		chip->opi = (value & 2) ? NOR_OPI_DTR : (value & 1) ? NOR_OPI_STR : NOR_OPI_OFF;
		break;
	case 0x00000200:
		chip->cr2_dqs = value & 0x03;
		break;
	case 0x00000300:
		chip->cr2_dc = value & 0x07;
		break;
	case 0x00000500:
		chip->cr2_pptsel = value & 0x01;
		break;
	case 0x40000000:
		nor_log(chip, "WRCR2: the non-volatile power-on protocol (CR2@40000000h) is not "
			"modelled: ignored");
		break;
	default:
		nor_misuse(chip, "WRCR2: no CR2 register at address 0x%08x: ignored",
			   (unsigned int)address);
		break;
	}
}

/* OPI 01FEh: the 4-byte address says which register, 0 = SR, 1 = CR. */
static void nor_execute_octal_write_register(struct nor_chip *chip)
{
	struct nor_pending op = { .kind = NOR_PENDING_REG_WRITE, .reg_count = 1 };

	if (chip->addr_got < chip->addr_bytes || chip->data_count == 0) {
		nor_misuse(chip, "WRSR: incomplete (%u address bytes, %u data bytes): ignored",
			   chip->addr_got, (unsigned int)chip->data_count);
		return;
	}
	if (chip->addr_raw > 1) {
		nor_misuse(chip, "WRSR at register address 0x%08x: only 0 (SR) and 1 (CR) exist; "
			   "ignored", (unsigned int)chip->addr_raw);
		return;
	}
	if (!nor_need_wel(chip, "WRSR"))
		return;
	if (nor_status_write_blocked(chip)) {
		nor_log(chip, "WRSR: status register protected: ignored");
		chip->wel = false;
		return;
	}
	op.reg = (int)chip->addr_raw;
	op.reg_values[0] = nor_merge_register(chip, op.reg, chip->reg_bytes[0]);
	nor_start(chip, &op, (uint64_t)chip->part->timings.status_write.typ_us * 1000u);
}

/* Volatile state after power-up or software reset. */
static void nor_reset_volatile(struct nor_chip *chip)
{
	/* SRL with SRP0 = 0 is the power-supply lock-down: it ends here */
	if (nor_family_is_winbond_like(chip) && (chip->reg_nv[1] & 0x01) &&
	    !(chip->reg_nv[0] & 0x80))
		chip->reg_nv[1] &= ~0x01;
	memcpy(chip->reg, chip->reg_nv, sizeof(chip->reg));
	chip->wel = false;
	chip->volatile_write_enabled = false;
	chip->four_byte = (chip->part->flags & NOR_PART_ADP) && (chip->reg_nv[2] & 0x02);
	chip->cr2 = chip->cr2_nv;
	chip->fsr_errors = 0;
	if (chip->part->family == NOR_FAMILY_MICRON) {
		/* NVCR 15:12 dummy clocks load VCR 7:4; bit0 = 0: 4-byte addresses (512 Mb) */
		chip->reg[1] = (chip->reg[1] & 0x0f) | ((chip->nvcr_nv >> 8) & 0xf0);
		if ((chip->part->flags & NOR_PART_4BYTE) && !(chip->nvcr_nv & 0x0001))
			chip->four_byte = true;
	}
	chip->qpi = chip->part->family == NOR_FAMILY_MICRON && !(chip->reg[2] & 0x80);
	chip->ear = 0;
	chip->reset_enabled = false;
	chip->continuous = NULL;
	/* octaflash: back to SPI with the default dummy count (CR2 volatile) */
	chip->opi = NOR_OPI_OFF;
	chip->cr2_dqs = 0;
	chip->cr2_dc = 0;
	chip->cr2_pptsel = 0;
}

/* ---- transaction state machine --------------------------------------- */

static const struct nor_command *nor_find_command(const struct nor_chip *chip, uint8_t opcode)
{
	const struct nor_command *table = nor_commands;
	size_t n = sizeof(nor_commands) / sizeof(nor_commands[0]);

	if (chip->opi != NOR_OPI_OFF) {
		table = nor_octal_commands;
		n = sizeof(nor_octal_commands) / sizeof(nor_octal_commands[0]);
	}
	for (size_t i = 0; i < n; i++) {
		const struct nor_command *c = &table[i];

		if (c->opcode != opcode)
			continue;
		/* octaflash: single I/O and octal only, no 2- or 4-line command */
		if ((chip->part->flags & NOR_PART_OCTAL) && chip->opi == NOR_OPI_OFF &&
		    (nor_addr_lines(false, c) != 1 || nor_data_lines(false, c) != 1))
			continue;
		if (!(c->families & FAM(chip->part->family)))
			continue;
		if ((chip->part->flags & c->part_flags) != c->part_flags)
			continue;
		if (chip->part->flags & c->part_flags_absent)
			continue;
		return c;
	}
	return NULL;
}

/* Mode-bit and wait clocks after the address (nor-chips.md section 3). */
static void nor_post_address_clocks(const struct nor_chip *chip, const struct nor_command *cmd,
				    unsigned int *total, unsigned int *mode)
{
	static const uint8_t mx_fast[4] = { 8, 6, 8, 10 };
	static const uint8_t mx_dual[4] = { 4, 6, 8, 10 };
	static const uint8_t quad_dc[4] = { 6, 4, 8, 10 };	/* ISSI and Macronix EBh */
	static const uint8_t issi_dual[4] = { 4, 4, 8, 4 };
	enum nor_family fam = chip->part->family;
	unsigned int mx_dc = (chip->reg[1] >> 6) & 3;	/* Macronix CR DC */
	unsigned int issi_dc = (chip->reg[2] >> 3) & 3;	/* ISSI Read Register DC */

	*mode = 0;
	if (fam == NOR_FAMILY_MICRON && cmd->wait != NOR_WAIT_NONE && cmd->wait != NOR_WAIT_SFDP) {
		/*
		 * Micron: VCR 7:4 dummy clocks for every fast read; 0 and Fh
		 * mean the default, 8 (10 for 1-4-4).  No mode byte: the XIP
		 * confirmation bit is not modelled, so all of them are dummy.
		 */
		unsigned int vcr_dummy = (chip->reg[1] >> 4) & 0xf;

		if (vcr_dummy != 0 && vcr_dummy != 0xf)
			*total = vcr_dummy;
		else	/* in QPI every fast read is 4-4-4: the 1-4-4 default */
			*total = cmd->wait == NOR_WAIT_QUAD_IO || chip->qpi ? 10 : 8;
		return;
	}
	switch (cmd->wait) {
	case NOR_WAIT_NONE:
		*total = 0;
		break;
	case NOR_WAIT_SFDP:
		*total = 8;
		break;
	case NOR_WAIT_FAST:
		*total = fam == NOR_FAMILY_MACRONIX && cmd->data_lines != 2 ? mx_fast[mx_dc] : 8;
		break;
	case NOR_WAIT_DUAL_IO:
		*total = fam == NOR_FAMILY_MACRONIX ? mx_dual[mx_dc] :
			 fam == NOR_FAMILY_ISSI ? issi_dual[issi_dc] : 4;
		*mode = fam == NOR_FAMILY_MACRONIX ? 0 : 4;
		break;
	case NOR_WAIT_QUAD_IO:
		*total = fam == NOR_FAMILY_MACRONIX ? quad_dc[mx_dc] :
			 fam == NOR_FAMILY_ISSI ? quad_dc[issi_dc] : 6;
		*mode = 2;
		break;
	case NOR_WAIT_OCTAL_REG:
		*total = 4;
		break;
	case NOR_WAIT_OCTAL_READ:
		*total = 20 - 2 * (chip->cr2_dc & 7);
		break;
	case NOR_WAIT_UID:
		/* Winbond: 4 dummy bytes (5 in 4-byte mode); ISSI/GD: 3 address + 1 dummy byte */
		*total = (fam == NOR_FAMILY_WINBOND && chip->four_byte) ? 40 : 32;
		break;
	default:
		nor_impossible("unknown wait kind");
	}
}

static bool nor_mode_is_continuous(const struct nor_chip *chip, uint8_t m)
{
	switch (chip->part->family) {
	case NOR_FAMILY_WINBOND:
	case NOR_FAMILY_GIGADEVICE:
		return (m & 0x30) == 0x20;		/* M5-4 = 10b */
	case NOR_FAMILY_ISSI:
		return (m & 0xf0) == 0xa0;		/* Axh */
	case NOR_FAMILY_MACRONIX:
		return (((m >> 4) ^ m) & 0x0f) == 0x0f;	/* P7-4 = ~P3-0 */
	case NOR_FAMILY_MICRON:
		return false;				/* XIP not modelled */
	}
	return false;
}

static uint8_t nor_sfdp_byte(const struct nor_chip *chip, uint32_t a)
{
	uint8_t b;

	if (chip->faults.no_sfdp)
		return 0xff;
	b = a < chip->part->sfdp_len ? chip->part->sfdp[a] : 0xff;
	if (chip->faults.sfdp_corrupt) {
		if (a == 2 || a == 3)
			b ^= 0xff;		/* signature "SF.." broken, 'S' kept */
		else if (a == 0x0b)
			b = 0x02;		/* BFPT length 2 DWORDs (< 9) */
	}
	return b;
}

/* The byte the chip will drive in the next slot of the data phase. */
static uint8_t nor_data_out(struct nor_chip *chip, bool *clears_busy)
{
	const struct nor_command *cmd = chip->cmd;
	uint32_t n = chip->data_count;
	uint8_t value;

	*clears_busy = false;
	/* DTR OPI: register and ID bytes come twice, A-A-B-B-C-C (Linux macronix.c) */
	if (chip->opi == NOR_OPI_DTR &&
	    (cmd->op == NOR_OP_READ_REG || cmd->op == NOR_OP_READ_JEDEC_ID))
		n /= 2;
	switch (cmd->op) {
	case NOR_OP_READ:
		return chip->array[chip->addr];
	case NOR_OP_READ_SFDP:
		return nor_sfdp_byte(chip, chip->addr);
	case NOR_OP_READ_JEDEC_ID:
		/* Micron: extended ID and unique ID follow the three ID bytes */
		if (n >= 3 && chip->part->family == NOR_FAMILY_MICRON && n - 3 < chip->part->uid_len)
			return chip->part->uid[n - 3];
		if (n >= 3)
			return 0xff;
		return chip->faults.id_override ? chip->faults.id[n] : chip->part->jedec_id[n];
	case NOR_OP_READ_UID:
		return n < chip->part->uid_len ? chip->part->uid[n] : 0xff;
	case NOR_OP_READ_MFR_DEVICE_ID:
		return ((chip->addr_raw + n) & 1) ? chip->part->device_id : chip->part->jedec_id[0];
	case NOR_OP_RELEASE_POWER_DOWN:
		return chip->part->device_id;
	case NOR_OP_READ_CR2:
		/* one byte per register address; in DTR the pair is addr, addr + 1 (Linux) */
		return nor_cr2_read(chip, chip->addr_raw + n);
	case NOR_OP_READ_REG:
		if (cmd->reg == NOR_REG_NVCR)	/* 2 bytes, LSB first, then repeats */
			return (uint8_t)(chip->nvcr_nv >> (8 * (n & 1)));
		if (cmd->reg == 1 && (chip->part->flags & NOR_PART_CR2) && (n & 1))
			return chip->cr2;	/* 15h: CR1, then CR2 */
		value = nor_read_register(chip, cmd->reg, clears_busy);
		/* DTR OPI: both bytes of the pair carry the same reading */
		if (chip->opi == NOR_OPI_DTR && !(chip->data_count & 1))
			*clears_busy = false;
		return value;
	default:
		return 0xff;
	}
}

static void nor_update_next_out(struct nor_chip *chip)
{
	chip->next_out_clears_busy = false;
	if (chip->faults.absent || !chip->selected || chip->phase != NOR_PHASE_DATA) {
		chip->next_out = 0xff;
		return;
	}
	chip->next_out = nor_data_out(chip, &chip->next_out_clears_busy);
}

static bool nor_allowed_while_busy(const struct nor_command *cmd)
{
	switch (cmd->op) {
	case NOR_OP_READ_CR2:
		return true;
	case NOR_OP_READ_REG:
		return cmd->reg != NOR_REG_EAR;
	case NOR_OP_SUSPEND:
	case NOR_OP_RESUME:
	case NOR_OP_RESET_ENABLE:
	case NOR_OP_RESET:
		return true;
	default:
		return false;
	}
}

static void nor_enter_data(struct nor_chip *chip)
{
	chip->phase = NOR_PHASE_DATA;
}

static void nor_address_done(struct nor_chip *chip)
{
	const struct nor_command *cmd = chip->cmd;
	uint32_t a = chip->addr_raw;

	chip->wrap_base = 0;
	chip->wrap_size = chip->size;
	if (cmd->op == NOR_OP_READ_SFDP || cmd->op == NOR_OP_READ_MFR_DEVICE_ID ||
	    cmd->op == NOR_OP_RELEASE_POWER_DOWN || cmd->op == NOR_OP_READ_CR2 ||
	    cmd->op == NOR_OP_WRITE_CR2) {
		chip->addr = a;
	} else {
		if (chip->addr_bytes == 3 && (chip->part->flags & NOR_PART_4BYTE)) {
			a |= (uint32_t)chip->ear << 24;
			if (chip->size > NOR_SEGMENT_SIZE) {
				chip->wrap_base = (a % chip->size) & ~(NOR_SEGMENT_SIZE - 1);
				chip->wrap_size = NOR_SEGMENT_SIZE;
			}
		}
		chip->addr = a % chip->size;
		if (cmd->op == NOR_OP_PROGRAM) {
			memset(&chip->program, 0, sizeof(chip->program));
			chip->program.addr = chip->addr & ~(chip->part->page_size - 1);
		}
	}
	nor_post_address_clocks(chip, cmd, &chip->post_total, &chip->post_mode);
	if (chip->post_total)
		chip->phase = NOR_PHASE_POST_ADDRESS;
	else
		nor_enter_data(chip);
}

void nor_chip_set_clock(struct nor_chip *chip, uint32_t hz)
{
	chip->clock_hz = hz;
}

/* The datasheet's clock limit for this command (fR for plain READ, else fC). */
static void nor_check_clock(struct nor_chip *chip, const struct nor_command *cmd)
{
	bool plain_read = cmd->op == NOR_OP_READ && cmd->wait == NOR_WAIT_NONE;
	uint32_t limit_khz = plain_read ? chip->part->read_max_clock_khz : chip->part->max_clock_khz;

	if (chip->clock_hz > chip->counters.max_clock_hz)
		chip->counters.max_clock_hz = chip->clock_hz;
	if (!chip->clock_hz || !limit_khz || chip->clock_hz <= (uint64_t)limit_khz * 1000u)
		return;
	chip->counters.overclocked++;
	nor_log(chip, "%s (%02Xh) clocked at %.1f MHz, above the datasheet maximum of %u MHz "
		"for it: a real chip may return wrong data", cmd->mnemonic, cmd->opcode,
		chip->clock_hz / 1e6, limit_khz / 1000u);
}

static void nor_start_command(struct nor_chip *chip, const struct nor_command *cmd)
{
	nor_check_clock(chip, cmd);
	chip->cmd = cmd;
	chip->addr_got = 0;
	chip->addr_raw = 0;
	switch (cmd->addr) {
	case NOR_ADDR_NONE:
		chip->addr_bytes = 0;
		break;
	case NOR_ADDR_MODE:
		chip->addr_bytes = chip->four_byte ? 4 : 3;
		break;
	case NOR_ADDR_3:
		chip->addr_bytes = 3;
		break;
	case NOR_ADDR_4:
		chip->addr_bytes = 4;
		break;
	}
	if (chip->addr_bytes) {
		chip->phase = NOR_PHASE_ADDRESS;
		return;
	}
	nor_post_address_clocks(chip, cmd, &chip->post_total, &chip->post_mode);
	chip->phase = chip->post_total ? NOR_PHASE_POST_ADDRESS : NOR_PHASE_DATA;
}

static void nor_accept_opcode(struct nor_chip *chip, uint8_t opcode);

static const char *const nor_opi_names[] = { "SPI", "STR OPI", "DTR OPI" };

/*
 * OPI: two bytes on 8 lines, at the protocol's rate, the second the
 * inverse of the first; the command is looked up when both are in.
 */
static void nor_octal_opcode(struct nor_chip *chip, uint8_t byte, unsigned int lines)
{
	bool dtr = chip->opi == NOR_OPI_DTR;

	if (lines != 8 || chip->cur_dtr != dtr) {
		chip->phase = NOR_PHASE_IGNORE;
		nor_misuse(chip, "opcode byte 0x%02x sent on %u lines %s; the chip is in %s and takes "
			   "2-byte opcodes on 8 lines %s: transaction ignored", byte, lines,
			   chip->cur_dtr ? "DTR" : "STR", nor_opi_names[chip->opi],
			   dtr ? "DTR" : "STR");
		return;
	}
	if (!chip->opcode_half) {
		chip->opcode_half = true;
		chip->opcode_first = byte;
		return;
	}
	chip->opcode_half = false;
	if ((byte ^ chip->opcode_first) != 0xff) {
		chip->phase = NOR_PHASE_IGNORE;
		nor_misuse(chip, "OPI opcode %02X%02Xh: the second byte must be the inverse of the "
			   "first (%02X%02Xh): transaction ignored", chip->opcode_first, byte,
			   chip->opcode_first, (uint8_t)~chip->opcode_first);
		return;
	}
	nor_accept_opcode(chip, chip->opcode_first);
}

static void nor_opcode(struct nor_chip *chip, uint8_t opcode, unsigned int lines)
{
	if (chip->opi != NOR_OPI_OFF) {
		nor_octal_opcode(chip, opcode, lines);
		return;
	}
	chip->phase = NOR_PHASE_IGNORE;
	if (chip->qpi && (lines != 4 || chip->cur_dtr)) {
		nor_misuse(chip, "opcode 0x%02x sent on %u lines%s; this chip is in QPI and takes "
			   "opcodes on 4 lines: transaction ignored", opcode, lines,
			   chip->cur_dtr ? " DTR" : "");
		return;
	}
	if (!chip->qpi && (lines != 1 || chip->cur_dtr)) {
		nor_misuse(chip, "opcode 0x%02x sent on %u lines%s; this chip takes opcodes on 1 line "
			   "(no QPI): transaction ignored", opcode, lines,
			   chip->cur_dtr ? " DTR" : "");
		return;
	}
	nor_accept_opcode(chip, opcode);
}

static void nor_accept_opcode(struct nor_chip *chip, uint8_t opcode)
{
	const struct nor_command *cmd;

	chip->phase = NOR_PHASE_IGNORE;
	if (chip->powered_down && opcode != 0xab) {
		nor_misuse(chip, "opcode 0x%02x while in deep power-down: ignored; send ABh first",
			   opcode);
		return;
	}
	cmd = nor_find_command(chip, opcode);
	if (cmd && cmd->op == NOR_OP_READ_JEDEC_ID && opcode == 0xaf && !chip->qpi)
		cmd = NULL;	/* MIORDID: QPI only in this model */
	if (!cmd) {
		nor_misuse(chip, "unknown opcode 0x%02x: ignored", opcode);
		return;
	}
	if (cmd->op != NOR_OP_RESET)
		chip->reset_enabled = false;
	if (cmd->op != NOR_OP_WRITE_REG)
		chip->volatile_write_enabled = false;
	if (nor_busy_now(chip) && !nor_allowed_while_busy(cmd)) {
		nor_misuse(chip, "%s (0x%02x) while busy (WIP = 1): ignored; poll 05h until WIP = 0",
			   cmd->mnemonic, opcode);
		return;
	}
	if (cmd->needs_qe && !nor_qe(chip)) {
		nor_misuse(chip, "%s (0x%02x) needs QE = 1: ignored; set the quad enable bit first",
			   cmd->mnemonic, opcode);
		return;
	}
	if (cmd->opi_only && cmd->opi_only != chip->opi) {
		nor_misuse(chip, "%s (%02Xh) is a %s command; the chip is in %s: ignored",
			   cmd->mnemonic, opcode, nor_opi_names[cmd->opi_only],
			   nor_opi_names[chip->opi]);
		return;
	}
	nor_start_command(chip, cmd);
}

static void nor_check_lines(struct nor_chip *chip, unsigned int lines, unsigned int expected,
			    const char *phase, uint8_t *byte)
{
	/* the rate is the protocol's: DTR in DTR OPI, single rate otherwise */
	bool rate_ok = chip->cur_dtr == (chip->opi == NOR_OPI_DTR);

	if (lines == expected && rate_ok)
		return;
	if (!(chip->logged & NOR_LOGGED_LINES)) {
		chip->logged |= NOR_LOGGED_LINES;
		if (!rate_ok)
			nor_misuse(chip, "%s: %s sent %s in %s: data garbled", chip->cmd->mnemonic,
				   phase, chip->cur_dtr ? "DTR" : "single rate",
				   nor_opi_names[chip->opi]);
		else
			nor_misuse(chip, "%s: %s sent on %u lines, the command takes %u: data garbled",
				   chip->cmd->mnemonic, phase, lines, expected);
	}
	*byte = (uint8_t)~*byte;
}

static void nor_data_past(struct nor_chip *chip, const char *why)
{
	if (chip->logged & NOR_LOGGED_DATA_PAST)
		return;
	chip->logged |= NOR_LOGGED_DATA_PAST;
	nor_misuse(chip, "%s: %s", chip->cmd->mnemonic, why);
}

static void nor_post_address_done_check(struct nor_chip *chip)
{
	if (chip->post_got < chip->post_total)
		return;
	if (chip->post_got > chip->post_total && !(chip->dqs && chip->opi != NOR_OPI_OFF))
		nor_misuse(chip, "%s: %u dummy clocks given, the command takes %u",
			   chip->cmd->mnemonic, chip->post_got, chip->post_total);
	nor_enter_data(chip);
}

static void nor_data_in(struct nor_chip *chip, uint8_t tx, unsigned int lines)
{
	const struct nor_command *cmd = chip->cmd;
	uint32_t page = chip->part->page_size;

	switch (cmd->op) {
	case NOR_OP_PROGRAM: {
		uint32_t offset = ((chip->addr - chip->program.addr) + chip->data_count) % page;

		nor_check_lines(chip, lines, nor_data_lines(chip->qpi, cmd), "data", &tx);
		if (chip->data_count == page)
			nor_data_past(chip, "more than one page of data: the page buffer wraps, "
				      "the last 256 bytes win");
		else if (offset == 0 && chip->data_count > 0)
			nor_data_past(chip, "data crossed the page end and wrapped to the start "
				      "of the same page");
		chip->program.page[offset] = tx;
		chip->program.page_mask[offset] = true;
		break;
	}
	case NOR_OP_WRITE_REG:
	case NOR_OP_WRITE_CR2: {
		unsigned int max = nor_write_reg_bytes(chip, cmd);

		nor_check_lines(chip, lines, nor_data_lines(chip->qpi, cmd), "data", &tx);
		if (chip->data_count >= max) {
			nor_data_past(chip, "more register bytes than the command takes: ignored");
			break;
		}
		chip->reg_bytes[chip->data_count] = tx;
		break;
	}
	case NOR_OP_READ:
	case NOR_OP_READ_SFDP:
	case NOR_OP_READ_JEDEC_ID:
	case NOR_OP_READ_UID:
	case NOR_OP_READ_MFR_DEVICE_ID:
	case NOR_OP_READ_REG:
	case NOR_OP_READ_CR2:
	case NOR_OP_RELEASE_POWER_DOWN:
		break;
	default:
		nor_data_past(chip, "bytes after a command that takes no data: ignored");
		break;
	}
}

/* Advance the output side after a data byte was clocked. */
static void nor_data_advance(struct nor_chip *chip)
{
	switch (chip->cmd->op) {
	case NOR_OP_READ:
		chip->addr = chip->wrap_base +
			     (chip->addr - chip->wrap_base + 1) % chip->wrap_size;
		break;
	case NOR_OP_READ_SFDP:
		chip->addr = (chip->addr + 1) & 0xffffff;
		break;
	default:
		break;
	}
	chip->data_count++;
}

/* CS rise: execute what the transaction asked for. */
static void nor_end_transaction(struct nor_chip *chip)
{
	const struct nor_command *cmd = chip->cmd;
	bool complete = chip->phase == NOR_PHASE_DATA;

	chip->counters.commands++;
	/* continuous read: kept only if this transaction carried M5-4 = 10 */
	if (chip->continuous || (cmd && (cmd->wait == NOR_WAIT_DUAL_IO ||
					 cmd->wait == NOR_WAIT_QUAD_IO))) {
		if (chip->phase == NOR_PHASE_DATA && chip->mode_seen && chip->post_mode &&
		    nor_mode_is_continuous(chip, chip->mode))
			chip->continuous = cmd;
		else
			chip->continuous = NULL;
	}
	if (chip->phase == NOR_PHASE_IGNORE || !cmd)
		return;

	switch (cmd->op) {
	case NOR_OP_WRITE_ENABLE:
		chip->wel = true;
		break;
	case NOR_OP_WRITE_DISABLE:
		chip->wel = false;
		break;
	case NOR_OP_VOLATILE_WRITE_ENABLE:
		chip->volatile_write_enabled = true;
		break;
	case NOR_OP_ENTER_4BYTE:
	case NOR_OP_EXIT_4BYTE:
		/* Micron: WREN first; WEL stays set (Linux sends 04h after) */
		if ((chip->part->flags & NOR_PART_4BYTE_WREN) && !nor_need_wel(chip, cmd->mnemonic))
			break;
		chip->four_byte = cmd->op == NOR_OP_ENTER_4BYTE;
		break;
	case NOR_OP_CLEAR_FSR:
		chip->fsr_errors = 0;
		break;
	case NOR_OP_ENTER_QPI:
	case NOR_OP_EXIT_QPI:
		/* EVCR bit 7 follows (INFERRED: it is the same QPI switch) */
		chip->qpi = cmd->op == NOR_OP_ENTER_QPI;
		chip->reg[2] = chip->qpi ? chip->reg[2] & ~0x80 : chip->reg[2] | 0x80;
		break;
	case NOR_OP_RESET_ENABLE:
		chip->reset_enabled = true;
		break;
	case NOR_OP_RESET:
		if (!chip->reset_enabled) {
			nor_misuse(chip, "RST (99h) not directly after RSTEN (66h): ignored");
			break;
		}
		nor_abort_operation(chip);
		nor_reset_volatile(chip);
		break;
	case NOR_OP_POWER_DOWN:
		chip->powered_down = true;
		break;
	case NOR_OP_RELEASE_POWER_DOWN:
		chip->powered_down = false;
		break;
	case NOR_OP_SUSPEND:
	case NOR_OP_RESUME:
		nor_log(chip, "%s: suspend/resume is not modelled: ignored", cmd->mnemonic);
		break;
	case NOR_OP_PROGRAM:
		nor_execute_program(chip);
		break;
	case NOR_OP_ERASE:
		nor_execute_erase(chip, false);
		break;
	case NOR_OP_CHIP_ERASE:
		nor_execute_erase(chip, true);
		break;
	case NOR_OP_WRITE_REG:
		if (cmd->reg < 0)
			nor_execute_octal_write_register(chip);
		else if (complete)
			nor_execute_write_register(chip);
		chip->volatile_write_enabled = false;
		break;
	case NOR_OP_WRITE_CR2:
		nor_execute_write_cr2(chip);
		break;
	case NOR_OP_READ_CR2:
		break;
	case NOR_OP_READ:
	case NOR_OP_READ_SFDP:
	case NOR_OP_READ_JEDEC_ID:
	case NOR_OP_READ_UID:
	case NOR_OP_READ_MFR_DEVICE_ID:
	case NOR_OP_READ_REG:
		break;
	}
}

/* ---- public interface ------------------------------------------------ */

struct nor_chip *nor_chip_create(const char *part_name, uint8_t *array, size_t array_size,
				 enum nor_timing timing, const struct nor_faults *faults,
				 char *err, size_t err_len)
{
	const struct nor_part *part = nor_part_find(part_name);
	struct nor_chip *chip;

	if (!part && nor_package_find(part_name)) {
		const struct nor_package *pkg = nor_package_find(part_name);

		snprintf(err, err_len, "NOR part %s is a package of %u %s dies: create each die "
			 "(a board wires them to its controller's banks)", pkg->name, pkg->dies,
			 pkg->die);
		return NULL;
	}
	if (!part) {
		char known[256] = "";

		for (const char *const *n = nor_part_names_list; *n; n++) {
			strncat(known, " ", sizeof(known) - strlen(known) - 1);
			strncat(known, *n, sizeof(known) - strlen(known) - 1);
		}
		snprintf(err, err_len, "unknown NOR part '%s'; use one of:%s",
			 part_name ? part_name : "(null)", known);
		return NULL;
	}
	if (!array || array_size < part->size) {
		snprintf(err, err_len, "NOR part %s needs a %u-byte array, got %zu bytes; "
			 "size the image with nor_chip_part_size()", part->name,
			 (unsigned int)part->size, array ? array_size : 0);
		return NULL;
	}
	if (part->page_size > NOR_MAX_PAGE) {
		snprintf(err, err_len, "NOR part %s: page size %u exceeds the model's %u",
			 part->name, (unsigned int)part->page_size, NOR_MAX_PAGE);
		return NULL;
	}
	chip = calloc(1, sizeof(*chip));
	if (chip)
		chip->sectors = calloc(part->size / NOR_SECTOR_SIZE, sizeof(*chip->sectors));
	if (!chip || !chip->sectors) {
		free(chip);
		snprintf(err, err_len, "out of memory creating NOR part %s", part->name);
		return NULL;
	}
	chip->part = part;
	chip->array = array;
	chip->size = part->size;
	chip->timing = timing;
	if (faults)
		chip->faults = *faults;
	chip->wp_high = true;
	memcpy(chip->reg_nv, part->reg_default, sizeof(chip->reg_nv));
	chip->nvcr_nv = part->nvcr_default;
	nor_reset_volatile(chip);
	chip->phase = NOR_PHASE_IDLE;
	chip->next_out = 0xff;
	return chip;
}

void nor_chip_destroy(struct nor_chip *chip)
{
	if (!chip)
		return;
	free(chip->sectors);
	free(chip);
}

size_t nor_chip_part_size(const char *part)
{
	const struct nor_part *p = nor_part_find(part);
	const struct nor_package *pkg = nor_package_find(part);

	if (pkg) {
		p = nor_part_find(pkg->die);
		return p ? (size_t)p->size * pkg->dies : 0;
	}
	return p ? p->size : 0;
}

unsigned int nor_chip_part_dies(const char *part, const char **die_part)
{
	const struct nor_package *pkg = nor_package_find(part);

	if (pkg && nor_part_find(pkg->die)) {
		*die_part = pkg->die;
		return pkg->dies;
	}
	if (nor_part_find(part)) {
		*die_part = part;
		return 1;
	}
	return 0;
}

const char *const *nor_chip_package_names(void)
{
	static const char *names[8];

	if (!names[0])
		for (size_t i = 0; i < nor_packages_count && i < 7; i++)
			names[i] = nor_packages[i].name;
	return names;
}

const char *const *nor_chip_part_names(void)
{
	return nor_part_names_list;
}

void nor_chip_select(struct nor_chip *chip, bool selected)
{
	if (chip->faults.absent)
		return;
	nor_poll(chip);
	if (selected == chip->selected) {
		if (selected)
			nor_misuse(chip, "CS driven low while already low: ignored");
		return;
	}
	chip->selected = selected;
	if (!selected) {
		nor_end_transaction(chip);
		chip->phase = NOR_PHASE_IDLE;
		chip->cmd = NULL;
		nor_update_next_out(chip);
		return;
	}
	chip->cmd = NULL;
	chip->data_count = 0;
	chip->post_got = 0;
	chip->post_total = 0;
	chip->post_mode = 0;
	chip->mode_seen = false;
	chip->mode = 0xff;
	chip->logged = 0;
	chip->opcode_half = false;
	chip->dtr_half = false;
	chip->phase = NOR_PHASE_OPCODE;
	if (chip->continuous) {
		/* continuous read mode: the transaction starts with the address */
		if (nor_busy_now(chip)) {
			nor_misuse(chip, "continuous read while busy: ignored");
			chip->phase = NOR_PHASE_IGNORE;
		} else {
			nor_start_command(chip, chip->continuous);
		}
	}
	nor_update_next_out(chip);
}

static bool nor_op_reads(enum nor_op op)
{
	switch (op) {
	case NOR_OP_READ:
	case NOR_OP_READ_SFDP:
	case NOR_OP_READ_JEDEC_ID:
	case NOR_OP_READ_UID:
	case NOR_OP_READ_MFR_DEVICE_ID:
	case NOR_OP_READ_REG:
	case NOR_OP_READ_CR2:
	case NOR_OP_RELEASE_POWER_DOWN:
		return true;
	default:
		return false;
	}
}

/* One byte slot of the data phase; returns the byte the chip drove. */
static uint8_t nor_data_slot(struct nor_chip *chip, uint8_t tx, unsigned int lines, uint8_t out)
{
	bool reads = nor_op_reads(chip->cmd->op);

	/* in DTR OPI a read byte may be sampled single rate (a whole clock) */
	if (nor_data_lines(chip->qpi, chip->cmd) != lines ||
	    (chip->cur_dtr && chip->opi != NOR_OPI_DTR) ||
	    (!reads && chip->cur_dtr != (chip->opi == NOR_OPI_DTR))) {
		uint8_t o = out;

		nor_check_lines(chip, lines, nor_data_lines(chip->qpi, chip->cmd), "data", &o);
		out = o;
	}
	nor_data_in(chip, tx, lines);
	if (chip->next_out_clears_busy) {
		chip->instant_busy = false;
		chip->wel = false;
	}
	nor_data_advance(chip);
	if (reads && chip->opi == NOR_OPI_DTR && !chip->cur_dtr) {
		/* the clock's falling edge carried the pair's second byte, not sampled */
		nor_update_next_out(chip);
		if (chip->next_out_clears_busy) {
			chip->instant_busy = false;
			chip->wel = false;
		}
		nor_data_advance(chip);
	}
	return out;
}

uint8_t nor_chip_transfer(struct nor_chip *chip, uint8_t tx, unsigned int lines)
{
	return nor_chip_transfer_dtr(chip, tx, lines, false);
}

uint8_t nor_chip_transfer_dtr(struct nor_chip *chip, uint8_t tx, unsigned int lines, bool dtr)
{
	uint8_t out;
	unsigned int clocks;

	if (lines != 1 && lines != 2 && lines != 4 && lines != 8)
		nor_impossible("nor_chip_transfer: lines must be 1, 2, 4 or 8");
	if (chip->faults.absent)
		return 0xff;
	if (!chip->selected) {
		nor_misuse(chip, "byte 0x%02x clocked with CS high: ignored", tx);
		return 0xff;
	}
	chip->counters.bytes_by_lines[lines]++;
	if (dtr)
		chip->counters.bytes_dtr++;
	chip->cur_dtr = dtr;
	clocks = 8 / lines;
	if (dtr) {
		/* two bytes per clock on 8 lines: a clock every second byte */
		clocks /= 2;
		if (clocks == 0) {
			clocks = chip->dtr_half ? 1 : 0;
			chip->dtr_half = !chip->dtr_half;
		}
	}
	out = chip->next_out;

	switch (chip->phase) {
	case NOR_PHASE_OPCODE:
		nor_opcode(chip, tx, lines);
		break;
	case NOR_PHASE_ADDRESS:
		nor_check_lines(chip, lines, nor_addr_lines(chip->qpi, chip->cmd), "address", &tx);
		chip->addr_raw = (chip->addr_raw << 8) | tx;
		if (++chip->addr_got == chip->addr_bytes)
			nor_address_done(chip);
		break;
	case NOR_PHASE_POST_ADDRESS:
		if (chip->dqs && chip->opi != NOR_OPI_OFF) {
			/* the controller waits for the DQS edges: this byte is data */
			nor_enter_data(chip);
			nor_update_next_out(chip);
			out = nor_data_slot(chip, tx, lines, chip->next_out);
			break;
		}
		if (chip->post_mode && chip->post_got == 0) {
			nor_check_lines(chip, lines, nor_addr_lines(chip->qpi, chip->cmd), "mode bits", &tx);
			chip->mode = tx;
			chip->mode_seen = true;
		} else {
			chip->counters.dummy_cycles += clocks;
		}
		chip->post_got += clocks;
		nor_post_address_done_check(chip);
		break;
	case NOR_PHASE_DATA:
		out = nor_data_slot(chip, tx, lines, out);
		break;
	case NOR_PHASE_IGNORE:
		break;
	case NOR_PHASE_IDLE:
	default:
		nor_impossible("transfer in idle phase while selected");
	}
	nor_poll(chip);
	nor_update_next_out(chip);
	return out;
}

uint8_t nor_chip_peek(const struct nor_chip *chip)
{
	return chip->next_out;
}

void nor_chip_dummy(struct nor_chip *chip, unsigned int cycles)
{
	if (chip->faults.absent || cycles == 0)
		return;
	if (!chip->selected) {
		nor_misuse(chip, "%u dummy clocks with CS high: ignored", cycles);
		return;
	}
	if (chip->phase == NOR_PHASE_IGNORE)
		return;
	if (chip->phase != NOR_PHASE_POST_ADDRESS) {
		if (!(chip->logged & NOR_LOGGED_DUMMY)) {
			chip->logged |= NOR_LOGGED_DUMMY;
			nor_misuse(chip, "%s: %u dummy clocks outside the dummy phase: ignored",
				   chip->cmd ? chip->cmd->mnemonic : "opcode", cycles);
		}
		return;
	}
	if (chip->post_mode && chip->post_got == 0) {
		/* mode bits not driven: whatever floats there is not 'continuous' */
		chip->mode_seen = true;
		chip->mode = 0xff;
	}
	chip->counters.dummy_cycles += cycles;
	chip->post_got += cycles;
	nor_post_address_done_check(chip);
	nor_poll(chip);
	nor_update_next_out(chip);
}

void nor_chip_set_dqs(struct nor_chip *chip, bool dqs)
{
	chip->dqs = dqs;
}

unsigned int nor_chip_octal_mode(const struct nor_chip *chip)
{
	return (unsigned int)chip->opi;
}

void nor_chip_set_wp(struct nor_chip *chip, bool level_high)
{
	chip->wp_high = level_high;
}

void nor_chip_power_cycle(struct nor_chip *chip)
{
	nor_abort_operation(chip);
	chip->selected = false;
	chip->phase = NOR_PHASE_IDLE;
	chip->cmd = NULL;
	chip->powered_down = false;
	nor_reset_volatile(chip);
	nor_update_next_out(chip);
}

bool nor_chip_busy(struct nor_chip *chip)
{
	nor_poll(chip);
	return nor_busy_now(chip);
}

uint64_t nor_chip_busy_left_ns(struct nor_chip *chip)
{
	nor_poll(chip);
	if (chip->stuck)
		return UINT64_MAX;
	if (chip->pending.kind == NOR_PENDING_NONE)
		return 0;
	uint64_t now = nor_now_ns();
	return chip->pending.end_ns > now ? chip->pending.end_ns - now : 0;
}

void nor_chip_registers(const struct nor_chip *chip, uint8_t cur[3], uint8_t nv[3])
{
	for (int i = 0; i < 3; i++) {
		cur[i] = chip->reg[i];
		nv[i] = chip->reg_nv[i];
	}
	cur[0] |= chip->wel ? 0x02 : 0;	/* BUSY left out: reading it would advance time */
}

uint32_t nor_chip_size(const struct nor_chip *chip)
{
	return chip->size;
}

const char *nor_chip_name(const struct nor_chip *chip)
{
	return chip->part->name;
}

const struct nor_counters *nor_chip_counters(const struct nor_chip *chip)
{
	return &chip->counters;
}

const struct nor_sector_counters *nor_chip_sector_counters(const struct nor_chip *chip)
{
	return chip->sectors;
}

void nor_chip_reset_counters(struct nor_chip *chip)
{
	memset(&chip->counters, 0, sizeof(chip->counters));
	memset(chip->sectors, 0, (chip->size / NOR_SECTOR_SIZE) * sizeof(*chip->sectors));
}

void nor_chip_set_log(struct nor_chip *chip, void (*log)(void *ctx, const char *msg), void *ctx)
{
	chip->log = log;
	chip->log_ctx = ctx;
}
