/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_erase: erase planning over an erase map (up to four erase types,
 * each a power-of-two size and an opcode), and the sector list OpenOCD sees.
 *
 * Pure functions.  Invariants of a plan: the commands are in ascending
 * address order, cover [offset, offset + len) exactly (no byte outside, no
 * byte twice), and each uses the largest erase type that is aligned at its
 * address and fits in what remains, which gives the fewest commands.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_ERASE_H
#define OPENOCD_FLASH_NOR_SPIRAM_ERASE_H

#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"

enum spiram_erase_error {
	SPIRAM_ERASE_OK = 0,
	SPIRAM_ERASE_ERR_NO_TYPES,	/* erase map has no usable type */
	SPIRAM_ERASE_ERR_BAD_TYPE,	/* a type's size is not a power of two */
	SPIRAM_ERASE_ERR_ALIGN,		/* offset or len not a multiple of the smallest type */
	SPIRAM_ERASE_ERR_RANGE,		/* range goes past the chip end */
	SPIRAM_ERASE_ERR_SPACE,		/* command array too small */
};

struct spiram_erase_cmd {
	uint32_t addr;			/* flash offset, aligned to size */
	uint32_t size;			/* one of the map's erase sizes */
	uint32_t type;			/* index into the erase map, 0..3 */
};

/* Smallest erase size of the map: the OpenOCD sector size.  0 if none. */
uint32_t spiram_erase_min_size(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES]);

/* Check the map: at least one type, all sizes powers of two. */
enum spiram_erase_error spiram_erase_check_map(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES]);

/*
 * Plan the erase of [offset, offset + len) on a chip of chip_size bytes.
 * cmds may be NULL (count only); *count gets the number of commands needed
 * even when SPIRAM_ERASE_ERR_SPACE is returned.  worst_us (may be NULL)
 * gets the sum of the max times of the commands (types whose max_time_us is
 * 0 count as default_max_us).
 */
enum spiram_erase_error spiram_erase_plan(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES],
		uint32_t chip_size, uint32_t offset, uint32_t len, uint32_t default_max_us,
		struct spiram_erase_cmd *cmds, size_t max_cmds, size_t *count, uint64_t *worst_us);

/* Sector list: number of sectors of spiram_erase_min_size() bytes. */
uint32_t spiram_erase_sector_count(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES], uint32_t chip_size);

const char *spiram_erase_strerror(enum spiram_erase_error err);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_ERASE_H */
