// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_erase: sweeps over offsets and lengths compare the
 * union of each plan with the requested range (no byte outside, each byte
 * inside exactly once), and examples check the minimal command count.
 * Max times are the W25Q128JV vendor maxima (400 ms / 1600 ms / 2000 ms).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_erase.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

/* W25Q128JV: 4K 20h, 32K 52h, 64K D8h, listed out of order on purpose */
static const struct spiram_erase_type jv_map[SPIRAM_MAX_ERASE_TYPES] = {
	{ 64 * KIB, 0xd8, 0, 2000000 },
	{ 0, 0, 0, 0 },
	{ 4 * KIB, 0x20, 0, 400000 },
	{ 32 * KIB, 0x52, 0, 1600000 },
};

/* Independent count of the minimal cover: greedy by alignment, computed
 * the slow way (try 64K, then 32K, then 4K). */
static size_t reference_count(uint32_t offset, uint32_t len)
{
	size_t n = 0;
	uint32_t addr = offset, end = offset + len;

	while (addr < end) {
		if (addr % (64 * KIB) == 0 && end - addr >= 64 * KIB)
			addr += 64 * KIB;
		else if (addr % (32 * KIB) == 0 && end - addr >= 32 * KIB)
			addr += 32 * KIB;
		else
			addr += 4 * KIB;
		n++;
	}
	return n;
}

static void check_plan(uint32_t chip_size, uint32_t offset, uint32_t len)
{
	static struct spiram_erase_cmd cmds[4096];
	static uint8_t covered[1024];	/* per 4 KiB unit, up to 4 MiB */
	size_t count;
	uint64_t worst;

	assert_int_equal(spiram_erase_plan(jv_map, chip_size, offset, len, 0, cmds, 4096, &count, &worst),
			SPIRAM_ERASE_OK);
	assert_int_equal(count, reference_count(offset, len));

	memset(covered, 0, sizeof(covered));
	uint64_t want_worst = 0;
	uint32_t prev_end = offset;
	for (size_t i = 0; i < count; i++) {
		assert_int_equal(cmds[i].addr % cmds[i].size, 0);
		assert_int_equal(cmds[i].size, jv_map[cmds[i].type].size);
		assert_int_equal(cmds[i].addr, prev_end);	/* ascending, contiguous */
		prev_end = cmds[i].addr + cmds[i].size;
		for (uint32_t a = cmds[i].addr; a < cmds[i].addr + cmds[i].size; a += 4 * KIB)
			covered[a / (4 * KIB)]++;
		want_worst += jv_map[cmds[i].type].max_time_us;
	}
	assert_int_equal(worst, want_worst);
	for (uint32_t unit = 0; unit < chip_size / (4 * KIB); unit++) {
		uint32_t a = unit * 4 * KIB;
		bool inside = a >= offset && a < offset + len;
		assert_int_equal(covered[unit], inside ? 1 : 0);
	}
}

static void test_sweep(void **state)
{
	(void)state;
	const uint32_t chip = 1 * MIB;

	/* every 4K-aligned offset in the first 256 KiB, lengths 4K..320K */
	for (uint32_t offset = 0; offset < 256 * KIB; offset += 4 * KIB) {
		for (uint32_t len = 0; len <= 320 * KIB; len += 4 * KIB)
			check_plan(chip, offset, len);
	}
	/* ranges ending at the chip end */
	for (uint32_t offset = 0; offset < chip; offset += 28 * KIB)
		check_plan(chip, offset, chip - offset);
	check_plan(chip, 0, chip);
}

static void test_examples(void **state)
{
	(void)state;
	struct spiram_erase_cmd cmds[64];
	size_t count;
	uint64_t worst;

	/* [0x1000, 0x21000): 4K x7, 32K, 64K, 32K... spelled out */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0x1000, 0x20000, 0, cmds, 64, &count, &worst), 0);
	const struct spiram_erase_cmd want[] = {
		{ 0x01000, 4 * KIB, 2 }, { 0x02000, 4 * KIB, 2 }, { 0x03000, 4 * KIB, 2 }, { 0x04000, 4 * KIB, 2 },
		{ 0x05000, 4 * KIB, 2 }, { 0x06000, 4 * KIB, 2 }, { 0x07000, 4 * KIB, 2 }, { 0x08000, 32 * KIB, 3 },
		{ 0x10000, 64 * KIB, 0 }, { 0x20000, 4 * KIB, 2 },
	};
	assert_int_equal(count, sizeof(want) / sizeof(want[0]));
	assert_memory_equal(cmds, want, sizeof(want));
	assert_int_equal(worst, 8 * 400000ull + 1600000 + 2000000);

	/* whole 16 MiB chip: 256 x 64K */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0, 16 * MIB, 0, NULL, 0, &count, &worst), 0);
	assert_int_equal(count, 256);
	assert_int_equal(worst, 256 * 2000000ull);

	/* last 4 KiB of the chip */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 16 * MIB - 4 * KIB, 4 * KIB, 0, cmds, 64, &count, NULL),
			0);
	assert_int_equal(count, 1);
	assert_int_equal(cmds[0].addr, 0xfff000);
	/* last 32 KiB + 4 KiB crossing a 32K line to the chip end: 4K + 32K */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 16 * MIB - 36 * KIB, 36 * KIB, 0, cmds, 64, &count,
			NULL), 0);
	assert_int_equal(count, 2);
	assert_int_equal(cmds[1].size, 32 * KIB);
	/* crossing the 16 MiB line on a 32 MiB chip */
	assert_int_equal(spiram_erase_plan(jv_map, 32 * MIB, 16 * MIB - 64 * KIB, 128 * KIB, 0, cmds, 64, &count,
			NULL), 0);
	assert_int_equal(count, 2);
	assert_int_equal(cmds[1].addr, 16 * MIB);
	/* a range ending exactly at 4 GiB does not wrap */
	assert_int_equal(spiram_erase_plan(jv_map, 0xfffff000u, 0xffff0000u, 0xf000, 0, cmds, 64, &count, NULL), 0);
	assert_int_equal(count, 8);	/* 32K, then 28K as 7 x 4K */
	assert_int_equal(cmds[0].size, 32 * KIB);

	/* empty range: no command */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0x4000, 0, 0, cmds, 64, &count, &worst), 0);
	assert_int_equal(count, 0);
	assert_int_equal(worst, 0);
}

static void test_errors(void **state)
{
	(void)state;
	struct spiram_erase_cmd cmds[4];
	size_t count;
	struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES] = { 0 };

	assert_int_equal(spiram_erase_plan(map, 16 * MIB, 0, 4096, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_NO_TYPES);
	map[0].size = 3 * KIB;
	assert_int_equal(spiram_erase_check_map(map), SPIRAM_ERASE_ERR_BAD_TYPE);
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0x800, 4096, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_ALIGN);
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0, 4095, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_ALIGN);
	/* one unit past the chip end */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 16 * MIB - 4096, 8192, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_RANGE);
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 16 * MIB, 4096, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_RANGE);
	/* too few slots: count still reported */
	assert_int_equal(spiram_erase_plan(jv_map, 16 * MIB, 0x1000, 0x5000, 0, cmds, 4, &count, NULL),
			SPIRAM_ERASE_ERR_SPACE);
	assert_int_equal(count, 5);
}

static void test_sectors_and_defaults(void **state)
{
	(void)state;
	struct spiram_erase_type map[SPIRAM_MAX_ERASE_TYPES] = { { 64 * KIB, 0xd8, 0, 0 } };
	size_t count;
	uint64_t worst;

	assert_int_equal(spiram_erase_min_size(jv_map), 4 * KIB);
	assert_int_equal(spiram_erase_sector_count(jv_map, 16 * MIB), 4096);
	/* a chip with only 64K erase: 64K sectors */
	assert_int_equal(spiram_erase_min_size(map), 64 * KIB);
	assert_int_equal(spiram_erase_sector_count(map, 8 * MIB), 128);
	/* unknown max time falls back to the default */
	assert_int_equal(spiram_erase_plan(map, 8 * MIB, 0, 128 * KIB, 3000000, NULL, 0, &count, &worst), 0);
	assert_int_equal(count, 2);
	assert_int_equal(worst, 6000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep),
		cmocka_unit_test(test_examples),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sectors_and_defaults),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
