/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * SPI NOR chip model: a command state machine driven by chip select and
 * byte transfers.  It knows nothing about the controller in front of it, so
 * the same chip serves the QUADSPI model, the SPI v1 model and the GPIO
 * bit-bang wiring.
 *
 * Transfer model (as in QEMU's m25p80, extended with line widths):
 *  - nor_chip_select(chip, true) starts a transaction, false ends it; the
 *    command executes (program, erase, status write) when CS rises, as the
 *    datasheets say;
 *  - nor_chip_transfer(chip, tx, lines) clocks one byte over 1, 2 or 4
 *    lines (8, 4 or 2 clocks) and returns the byte the chip drove during
 *    that slot.  The returned byte depends only on earlier bytes, never on
 *    tx, which is what lets a bit-level wiring call nor_chip_peek() first;
 *  - nor_chip_dummy(chip, cycles) clocks dummy cycles with no data; a byte
 *    clocked with nor_chip_transfer() during the dummy phase counts as its
 *    8 / lines clocks;
 *  - a byte sent on the wrong number of lines for the current phase is
 *    logged as misuse and tolerated the way the chip would (data is
 *    garbage), never an abort;
 *  - octal parts (MX25LM51245G) also take bytes on 8 lines, single rate
 *    (one clock) or double rate (half a clock, nor_chip_transfer_dtr);
 *    in DTR OPI a read byte sampled single rate takes a whole clock, in
 *    which the chip drives two bytes: the first is returned, the second
 *    is lost (the controller samples one edge).
 *
 * The flash array is the caller's buffer (the simulator maps the --image
 * file), so what the chip stores is always what the file holds.
 */

#ifndef SIM_NOR_CHIP_H
#define SIM_NOR_CHIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nor_chip;

enum nor_timing {
	NOR_TIMING_INSTANT = 0,		/* busy clears at the next status read */
	NOR_TIMING_TYPICAL = 1,		/* datasheet typical times, in real time */
};

/* Fault injection, set from --fault. */
struct nor_faults {
	bool absent;			/* no chip: MISO floats high, reads 0xFF */
	bool busy_stuck;		/* WIP never clears once set */
	bool sfdp_corrupt;		/* SFDP signature/tables damaged */
	bool id_override;		/* report id[] instead of the real JEDEC ID */
	uint8_t id[3];
	bool no_sfdp;			/* 0x5A answers 0xFF (as a pre-SFDP chip) */
	/* bits that will not program (stay 1) at one byte address */
	bool stuck_bits;
	uint32_t stuck_addr;
	uint8_t stuck_mask;
};

/* Counters, for tests to prove what was touched. */
struct nor_counters {
	uint64_t bytes_by_lines[9];	/* index 1, 2, 4, 8: bytes clocked on that many lines */
	uint64_t bytes_dtr;		/* of those, bytes clocked double transfer rate */
	uint64_t dummy_cycles;
	uint64_t commands;		/* transactions (CS low..high) */
	uint64_t page_programs;
	uint64_t erases;		/* sector/block/chip erase commands executed */
	uint64_t ignored_protected;	/* program/erase refused by block protection */
	uint64_t busy_ns;		/* modelled busy time */
	uint64_t misuse;		/* protocol misuse events logged */
	uint64_t overclocked;		/* commands clocked above the datasheet maximum */
	uint64_t max_clock_hz;		/* the fastest SCK a command was clocked at */
};

/* Per 4 KiB sector: how often it was programmed / erased. */
#define NOR_SECTOR_SIZE		4096u
struct nor_sector_counters {
	uint32_t programs;
	uint32_t erases;
};

/*
 * Create a chip by part name ("w25q128jv", "w25q256jv", "is25lp064a",
 * "gd25q128c", "mx25l12835f", ...) over the caller's array of
 * nor_chip_size(name) bytes.  Returns NULL and fills err for an unknown
 * part.  The array is not copied; it must outlive the chip.
 */
struct nor_chip *nor_chip_create(const char *part, uint8_t *array, size_t array_size,
				 enum nor_timing timing, const struct nor_faults *faults,
				 char *err, size_t err_len);
void nor_chip_destroy(struct nor_chip *chip);

/* Size in bytes of a known part or package (all its dies), 0 if unknown. */
size_t nor_chip_part_size(const char *part);
/*
 * Dies of a part name: 1 and the part itself for a single chip; for a
 * multi-die package ("mt25tl01g") its die count and the die's part name,
 * which nor_chip_create() takes.  0 for an unknown name.
 */
unsigned int nor_chip_part_dies(const char *part, const char **die_part);
/* NULL-terminated list of the known packages (see nor_chip_part_dies). */
const char *const *nor_chip_package_names(void);
/* NULL-terminated list of the known part names. */
const char *const *nor_chip_part_names(void);

void nor_chip_select(struct nor_chip *chip, bool selected);
uint8_t nor_chip_transfer(struct nor_chip *chip, uint8_t tx, unsigned int lines);
uint8_t nor_chip_peek(const struct nor_chip *chip);	/* next byte the chip will drive */
/* As nor_chip_transfer, on 1, 2, 4 or 8 lines, double transfer rate when dtr. */
uint8_t nor_chip_transfer_dtr(struct nor_chip *chip, uint8_t tx, unsigned int lines, bool dtr);
/*
 * The controller captures read data with the chip's DQS strobe (octal
 * parts in OPI): the data then arrives right whatever dummy count the
 * controller used, since the strobe, not the count, marks the first data
 * edge (INFERRED from OpenOCD's stmqspi.c comment on DQS and from its
 * STM32H735G-DK set-up, which reads the array with 6 dummy cycles where
 * the chip's default is 20).  Without DQS a wrong count shifts the data.
 */
void nor_chip_set_dqs(struct nor_chip *chip, bool dqs);
/* Octal parts: 0 = SPI, 1 = STR OPI (8S-8S-8S), 2 = DTR OPI (8D-8D-8D); others 0. */
unsigned int nor_chip_octal_mode(const struct nor_chip *chip);
void nor_chip_dummy(struct nor_chip *chip, unsigned int cycles);
/*
 * Serial clock the controller drives, in Hz (0: unknown, not checked).
 * A command whose opcode arrives at a clock above the part's datasheet
 * maximum for it (fR for 03h/13h READ, fC for the others) is logged and
 * counted in overclocked; the chip still answers (the model keeps going).
 */
void nor_chip_set_clock(struct nor_chip *chip, uint32_t hz);

/* Hardware pins: WP# low blocks status writes when SRP says so; RESET#/HOLD#. */
void nor_chip_set_wp(struct nor_chip *chip, bool level_high);
/* Power loss or hardware reset: volatile state lost, an operation in flight
 * leaves its target region partially done (as a real power cut does). */
void nor_chip_power_cycle(struct nor_chip *chip);

bool nor_chip_busy(struct nor_chip *chip);
/* Real time until the program/erase/register write in flight ends (its
 * status bits cannot change before): 0 when none is (or at instant timing,
 * where it ends at the next status read), UINT64_MAX when stuck busy. */
uint64_t nor_chip_busy_left_ns(struct nor_chip *chip);
uint32_t nor_chip_size(const struct nor_chip *chip);
const char *nor_chip_name(const struct nor_chip *chip);
/*
 * The three status/configuration registers, as a 05h/35h/15h (Winbond,
 * GigaDevice), 05h/15h (Macronix CR) or 05h/48h (ISSI FR) read would give
 * them now (cur, with WEL; BUSY always 0 here) and their non-volatile
 * values (nv).  For counters and tests; no side effect.
 */
void nor_chip_registers(const struct nor_chip *chip, uint8_t cur[3], uint8_t nv[3]);

const struct nor_counters *nor_chip_counters(const struct nor_chip *chip);
/* Array of size / 4096 entries. */
const struct nor_sector_counters *nor_chip_sector_counters(const struct nor_chip *chip);
void nor_chip_reset_counters(struct nor_chip *chip);

/* Log sink for misuse messages; default prints to stderr with "nor: ". */
void nor_chip_set_log(struct nor_chip *chip, void (*log)(void *ctx, const char *msg), void *ctx);

#endif /* SIM_NOR_CHIP_H */
