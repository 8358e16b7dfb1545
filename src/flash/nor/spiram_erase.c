// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_erase: erase planning over an erase map.
 *
 * Greedy choice: at each address take the largest erase type whose size
 * divides the address and fits in what remains.  Because all sizes are
 * powers of two, this gives the fewest commands for the range: any cover
 * must use blocks no larger than the alignment of the address allows.
 */

#include <stdbool.h>

#include "spiram_erase.h"

static bool spiram_is_pow2(uint32_t value)
{
	return value && !(value & (value - 1));
}

uint32_t spiram_erase_min_size(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES])
{
	uint32_t smallest = 0;

	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		if (map[i].size && (!smallest || map[i].size < smallest))
			smallest = map[i].size;
	}
	return smallest;
}

enum spiram_erase_error spiram_erase_check_map(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES])
{
	bool any = false;

	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		if (!map[i].size)
			continue;
		if (!spiram_is_pow2(map[i].size))
			return SPIRAM_ERASE_ERR_BAD_TYPE;
		any = true;
	}
	return any ? SPIRAM_ERASE_OK : SPIRAM_ERASE_ERR_NO_TYPES;
}

enum spiram_erase_error spiram_erase_plan(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES],
		uint32_t chip_size, uint32_t offset, uint32_t len, uint32_t default_max_us,
		struct spiram_erase_cmd *cmds, size_t max_cmds, size_t *count, uint64_t *worst_us)
{
	enum spiram_erase_error err = spiram_erase_check_map(map);
	size_t n = 0;
	uint64_t worst = 0;

	if (count)
		*count = 0;
	if (worst_us)
		*worst_us = 0;
	if (err != SPIRAM_ERASE_OK)
		return err;

	uint32_t smallest = spiram_erase_min_size(map);
	if ((offset % smallest) || (len % smallest))
		return SPIRAM_ERASE_ERR_ALIGN;
	if (offset > chip_size || len > chip_size - offset)
		return SPIRAM_ERASE_ERR_RANGE;

	/* 64-bit so that a range ending at 4 GiB does not wrap */
	uint64_t addr = offset;
	const uint64_t end = (uint64_t)offset + len;
	while (addr < end) {
		unsigned int best = SPIRAM_MAX_ERASE_TYPES;
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
			uint32_t size = map[i].size;
			if (!size || (addr % size) || size > end - addr)
				continue;
			if (best == SPIRAM_MAX_ERASE_TYPES || size > map[best].size)
				best = i;
		}
		/* the smallest type always fits: addr and end are multiples of it */
		if (cmds && n < max_cmds) {
			cmds[n].addr = (uint32_t)addr;
			cmds[n].size = map[best].size;
			cmds[n].type = best;
		}
		n++;
		worst += map[best].max_time_us ? map[best].max_time_us : default_max_us;
		addr += map[best].size;
	}

	if (count)
		*count = n;
	if (worst_us)
		*worst_us = worst;
	if (cmds && n > max_cmds)
		return SPIRAM_ERASE_ERR_SPACE;
	return SPIRAM_ERASE_OK;
}

uint32_t spiram_erase_sector_count(const struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES], uint32_t chip_size)
{
	uint32_t smallest = spiram_erase_min_size(map);

	return smallest ? chip_size / smallest : 0;
}

const char *spiram_erase_strerror(enum spiram_erase_error err)
{
	switch (err) {
	case SPIRAM_ERASE_OK:
		return "no error";
	case SPIRAM_ERASE_ERR_NO_TYPES:
		return "the erase map has no erase type; give one with 'spiram_loader set <bank> erase "
				"<size>:<opcode>'";
	case SPIRAM_ERASE_ERR_BAD_TYPE:
		return "an erase type size is not a power of two";
	case SPIRAM_ERASE_ERR_ALIGN:
		return "range not aligned to the smallest erase size";
	case SPIRAM_ERASE_ERR_RANGE:
		return "range goes past the end of the chip";
	case SPIRAM_ERASE_ERR_SPACE:
		return "too many erase commands for the buffer";
	}
	return "unknown erase planning error";
}
