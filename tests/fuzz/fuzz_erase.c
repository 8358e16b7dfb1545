// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the erase planner (spiram_erase).
 *
 * Input: four erase types (a size exponent, or unused, or now and then a
 * size that is not a power of two), the chip size, the range and a default
 * max time.  Plans longer than 1 << 12 commands are not run (the planner
 * is linear in the count; that bound keeps each run fast).
 *
 * Invariants, as the unit tests define them:
 *  - errors exactly when they are due: no usable type, a size that is not
 *    a power of two, a range not aligned to the smallest type, a range
 *    past the chip;
 *  - a plan covers [offset, offset + len) exactly: ascending, contiguous,
 *    nothing outside, nothing twice, each command aligned to its size and
 *    of its type's size;
 *  - minimal count: each command uses the largest type that is aligned at
 *    its address and fits in what remains;
 *  - counting (cmds == NULL) gives the same count and worst time, and a
 *    command array one short gives SPIRAM_ERASE_ERR_SPACE without a write
 *    past it.
 */

#include <stdlib.h>
#include <string.h>

#include "spiram_erase.h"
#include "fuzz_util.h"

#define MAX_PLAN (1u << 12)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { data, size };
	struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES];

	memset(map, 0, sizeof(map));
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		uint8_t b = fuzz_u8(&r);
		if (b & 0x80)
			map[i].size = 0;
		else if (b & 0x40)
			map[i].size = fuzz_u32(&r);		/* anything, powers of two or not */
		else
			map[i].size = 1u << (b % 32);
		map[i].opcode = fuzz_u8(&r);
		map[i].max_time_us = fuzz_u8(&r) & 1 ? fuzz_u32(&r) : 0;
	}
	uint8_t chip_exp = fuzz_u8(&r);
	uint32_t chip_size = chip_exp & 0x80 ? fuzz_u32(&r) : 1u << (chip_exp % 32);
	uint32_t offset = fuzz_u32(&r);
	uint32_t len = fuzz_u32(&r);
	uint32_t default_max_us = fuzz_u32(&r);

	/* what the planner must say, worked out independently */
	bool any = false, bad = false;
	uint32_t smallest = 0;
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		if (!map[i].size)
			continue;
		any = true;
		bad |= !fuzz_is_pow2(map[i].size);
		if (!smallest || map[i].size < smallest)
			smallest = map[i].size;
	}
	enum spiram_erase_error want = !any ? SPIRAM_ERASE_ERR_NO_TYPES : bad ? SPIRAM_ERASE_ERR_BAD_TYPE :
			(offset % smallest || len % smallest) ? SPIRAM_ERASE_ERR_ALIGN :
			((uint64_t)offset + len > chip_size) ? SPIRAM_ERASE_ERR_RANGE : SPIRAM_ERASE_OK;
	FUZZ_CHECK(spiram_erase_min_size(map) == smallest, "min size");
	FUZZ_CHECK(spiram_erase_sector_count(map, chip_size) == (smallest ? chip_size / smallest : 0), "sectors");
	FUZZ_CHECK(strcmp(spiram_erase_strerror(want), "unknown erase planning error"), "text");
	if (want == SPIRAM_ERASE_OK && len / smallest > MAX_PLAN)
		return 0;

	size_t count = 99;
	uint64_t worst = 99;
	enum spiram_erase_error e = spiram_erase_plan(map, chip_size, offset, len, default_max_us, NULL, 0, &count,
			&worst);
	FUZZ_CHECK(e == want, "plan says %s, expected %s", spiram_erase_strerror(e), spiram_erase_strerror(want));
	if (e != SPIRAM_ERASE_OK) {
		FUZZ_CHECK(count == 0 && worst == 0, "count %zu worst %llu after an error", count,
				(unsigned long long)worst);
		return 0;
	}
	FUZZ_CHECK(count <= len / smallest, "%zu commands for %u bytes", count, len);

	struct spiram_erase_cmd *cmds = malloc((count ? count : 1) * sizeof(*cmds));
	size_t count2;
	uint64_t worst2;
	e = spiram_erase_plan(map, chip_size, offset, len, default_max_us, cmds, count, &count2, &worst2);
	FUZZ_CHECK(e == SPIRAM_ERASE_OK && count2 == count && worst2 == worst, "counting and planning differ");

	uint64_t addr = offset, end = (uint64_t)offset + len, want_worst = 0;
	for (size_t i = 0; i < count; i++) {
		const struct spiram_erase_cmd *c = &cmds[i];
		FUZZ_CHECK(c->type < SPIRAM_MAX_ERASE_TYPES && c->size == map[c->type].size, "command %zu type", i);
		FUZZ_CHECK(c->addr == addr, "command %zu at 0x%x, expected 0x%llx", i, c->addr,
				(unsigned long long)addr);
		FUZZ_CHECK(c->addr % c->size == 0, "command %zu unaligned", i);
		FUZZ_CHECK(addr + c->size <= end, "command %zu runs past the range", i);
		/* largest aligned type that fits: the minimal cover */
		for (unsigned int t = 0; t < SPIRAM_MAX_ERASE_TYPES; t++) {
			uint32_t s = map[t].size;
			FUZZ_CHECK(!s || s <= c->size || addr % s || addr + s > end,
					"command %zu uses 0x%x where 0x%x fits", i, c->size, s);
		}
		want_worst += map[c->type].max_time_us ? map[c->type].max_time_us : default_max_us;
		addr += c->size;
	}
	FUZZ_CHECK(addr == end, "plan ends at 0x%llx, range at 0x%llx", (unsigned long long)addr,
			(unsigned long long)end);
	FUZZ_CHECK(worst == want_worst, "worst time");
	free(cmds);

	if (count) {
		/* exactly count - 1 commands of room (plus a byte, so malloc(0) is avoided) */
		cmds = malloc((count - 1) * sizeof(*cmds) + 1);
		e = spiram_erase_plan(map, chip_size, offset, len, default_max_us, cmds, count - 1, &count2, NULL);
		FUZZ_CHECK(e == SPIRAM_ERASE_ERR_SPACE && count2 == count, "one command short: %s, count %zu",
				spiram_erase_strerror(e), count2);
		free(cmds);
	}
	return 0;
}
