// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_protect.  Ground truth: the W25Q128JV protection
 * table (NOR chip reference section 6), written out row by row below with
 * its absolute addresses, and the 4-BP rule for the 4-BP parts.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_protect.h"

#define KIB 1024ull
#define MIB (1024ull * 1024ull)
#define SIZE_16M (16 * MIB)

struct jv_row {
	unsigned int sec, tb, bp;
	uint64_t start, end;		/* CMP = 0, [start, end) */
};

/* W25Q128JV, CMP = 0: every SEC/TB/BP combination. */
static const struct jv_row jv_table[] = {
	/* BP = 000: none, whatever SEC and TB */
	{ 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0 }, { 1, 0, 0, 0, 0 }, { 1, 1, 0, 0, 0 },
	/* SEC = 0, TB = 0: upper 256K .. 8M */
	{ 0, 0, 1, 0xfc0000, 0x1000000 },
	{ 0, 0, 2, 0xf80000, 0x1000000 },
	{ 0, 0, 3, 0xf00000, 0x1000000 },
	{ 0, 0, 4, 0xe00000, 0x1000000 },
	{ 0, 0, 5, 0xc00000, 0x1000000 },
	{ 0, 0, 6, 0x800000, 0x1000000 },
	/* SEC = 0, TB = 1: lower 256K .. 8M */
	{ 0, 1, 1, 0x000000, 0x040000 },
	{ 0, 1, 2, 0x000000, 0x080000 },
	{ 0, 1, 3, 0x000000, 0x100000 },
	{ 0, 1, 4, 0x000000, 0x200000 },
	{ 0, 1, 5, 0x000000, 0x400000 },
	{ 0, 1, 6, 0x000000, 0x800000 },
	/* BP = 111: all */
	{ 0, 0, 7, 0, 0x1000000 }, { 0, 1, 7, 0, 0x1000000 }, { 1, 0, 7, 0, 0x1000000 }, { 1, 1, 7, 0, 0x1000000 },
	/* SEC = 1, TB = 0: upper 4K / 8K / 16K / 32K / 32K */
	{ 1, 0, 1, 0xfff000, 0x1000000 },
	{ 1, 0, 2, 0xffe000, 0x1000000 },
	{ 1, 0, 3, 0xffc000, 0x1000000 },
	{ 1, 0, 4, 0xff8000, 0x1000000 },
	{ 1, 0, 5, 0xff8000, 0x1000000 },
	/* SEC = 1, TB = 1: lower 4K .. 32K */
	{ 1, 1, 1, 0x000000, 0x001000 },
	{ 1, 1, 2, 0x000000, 0x002000 },
	{ 1, 1, 3, 0x000000, 0x004000 },
	{ 1, 1, 4, 0x000000, 0x008000 },
	{ 1, 1, 5, 0x000000, 0x008000 },
	/* SEC = 1, BP = 110: 32K (flashrom; UNVERIFIED in the datasheet) */
	{ 1, 0, 6, 0xff8000, 0x1000000 },
	{ 1, 1, 6, 0x000000, 0x008000 },
};

static uint8_t jv_sr1(const struct jv_row *r)
{
	/* plus BUSY/WEL/SRP set: they must not matter */
	return (uint8_t)(0x83 | r->bp << 2 | r->tb << 5 | r->sec << 6);
}

static void test_w25q128jv_table(void **state)
{
	(void)state;
	uint64_t start, end;

	assert_int_equal(sizeof(jv_table) / sizeof(jv_table[0]), 32);
	for (size_t i = 0; i < sizeof(jv_table) / sizeof(jv_table[0]); i++) {
		const struct jv_row *r = &jv_table[i];
		print_message("SEC=%u TB=%u BP=%u\n", r->sec, r->tb, r->bp);

		/* CMP = 0 (SR2 with QE and SRL set: must not matter) */
		assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, jv_sr1(r), 0x03, 0x00,
				&start, &end), SPIRAM_PROTECT_OK);
		assert_int_equal(start, r->start);
		assert_int_equal(end, r->end);

		/* CMP = 1: the complement */
		assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, jv_sr1(r), 0x43, 0x00,
				&start, &end), SPIRAM_PROTECT_OK);
		if (r->start == r->end) {
			assert_int_equal(start, 0);
			assert_int_equal(end, SIZE_16M);
		} else if (r->end - r->start == SIZE_16M) {
			assert_int_equal(start, end);
		} else if (r->start == 0) {
			assert_int_equal(start, r->end);
			assert_int_equal(end, SIZE_16M);
		} else {
			assert_int_equal(start, 0);
			assert_int_equal(end, r->start);
		}
	}

	/* examples spelled out in the reference */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0x04, 0x40, 0, &start, &end),
			SPIRAM_PROTECT_OK);
	assert_int_equal(start, 0);
	assert_int_equal(end, 0xfc0000);	/* 0x000000-0xFBFFFF */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0x44, 0x40, 0, &start, &end),
			SPIRAM_PROTECT_OK);
	assert_int_equal(end, 0xfff000);	/* SEC=1, TB=0, BP=001, CMP=1: 0x000000-0xFFEFFF */

	/* WPS = 1: individual block locks, not this scheme */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0x04, 0, 0x04, &start, &end),
			SPIRAM_PROTECT_ERR_WPS);
}

/* Every range of the table (and of its complement) encodes back exactly. */
static void test_w25q128jv_roundtrip(void **state)
{
	(void)state;
	struct spiram_protect_regs cur = { { 0x00, 0x02, 0x60 } }, out, mask;
	uint64_t start, end;
	char msg[256];

	spiram_protect_mask(SPIRAM_PROTECT_3BP_TB_SEC_CMP, &mask);
	assert_int_equal(mask.sr[0], 0x7c);
	assert_int_equal(mask.sr[1], 0x40);
	assert_int_equal(mask.sr[2], 0x00);

	for (size_t i = 0; i < sizeof(jv_table) / sizeof(jv_table[0]); i++) {
		for (unsigned int cmp = 0; cmp < 2; cmp++) {
			uint8_t sr2 = cmp ? 0x40 : 0;
			assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M,
					jv_sr1(&jv_table[i]), sr2, 0, &start, &end), SPIRAM_PROTECT_OK);
			assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, start, end,
					&cur,
					&out, msg, sizeof(msg)), SPIRAM_PROTECT_OK);
			/* non-protection bits untouched: QE in SR2, drive strength in SR3 */
			assert_int_equal(out.sr[0] & ~mask.sr[0], cur.sr[0] & ~mask.sr[0]);
			assert_int_equal(out.sr[1] & ~mask.sr[1], 0x02);
			assert_int_equal(out.sr[2], 0x60);
			uint64_t s2, e2;
			assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, out.sr[0],
					out.sr[1], out.sr[2], &s2, &e2), SPIRAM_PROTECT_OK);
			assert_int_equal(s2, start);
			assert_int_equal(e2, end);
		}
	}

	/* unprotect when nothing is protected: registers unchanged */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0, 0, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_memory_equal(out.sr, cur.sr, 3);
}

static void test_inexact_message(void **state)
{
	(void)state;
	struct spiram_protect_regs out;
	uint64_t is, ie, os, oe;
	char msg[512];

	/* lower 12 KiB: between 8K and 16K bottom ranges */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0, 0x3000, NULL, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_ERR_INEXACT);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "0x00000000..0x00001fff (8 KiB)"));
	assert_non_null(strstr(msg, "0x00000000..0x00003fff (16 KiB)"));
	assert_int_equal(spiram_protect_nearest(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0, 0x3000, NULL, &is, &ie,
			&os, &oe), SPIRAM_PROTECT_OK);
	assert_int_equal(is, 0);
	assert_int_equal(ie, 0x2000);
	assert_int_equal(os, 0);
	assert_int_equal(oe, 0x4000);

	/* a range in the middle: nothing inside, the whole chip contains it */
	assert_int_equal(spiram_protect_nearest(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0x100000, 0x200000, NULL,
			&is, &ie, &os, &oe), SPIRAM_PROTECT_OK);
	assert_int_equal(ie - is, 0);
	assert_int_equal(os, 0);
	assert_int_equal(oe, 0x200000);	/* lower 2M */

	/* upper 0x30000: largest inside is the upper 4 KiB..32 KiB set -> 32K; smallest containing upper 256K */
	assert_int_equal(spiram_protect_nearest(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, SIZE_16M - 0x30000, SIZE_16M,
			NULL, &is, &ie, &os, &oe), SPIRAM_PROTECT_OK);
	assert_int_equal(is, SIZE_16M - 0x8000);
	assert_int_equal(ie, SIZE_16M);
	assert_int_equal(os, SIZE_16M - 0x40000);
	assert_int_equal(oe, SIZE_16M);

	/* out of range */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_3BP_TB_SEC_CMP, SIZE_16M, 0, SIZE_16M + 1, NULL, &out,
			msg, sizeof(msg)), SPIRAM_PROTECT_ERR_RANGE);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_NONE, SIZE_16M, 0, 0x1000, NULL, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_ERR_SCHEME);
}

/* 4-BP parts: 64 KiB * 2^(BP-1), whole chip once it reaches the size. */
static void test_four_bp(void **state)
{
	(void)state;
	uint64_t start, end;
	const uint64_t size = 32 * MIB;	/* W25Q256JV */

	for (unsigned int bp = 0; bp < 16; bp++) {
		uint64_t len = bp ? (64 * KIB) << (bp - 1) : 0;
		if (len > size)
			len = size;
		/* TB = 0: top */
		assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CMP, size, (uint8_t)(bp << 2), 0, 0,
				&start, &end), SPIRAM_PROTECT_OK);
		assert_int_equal(end - start, len);
		if (len)
			assert_int_equal(end, size);
		/* TB = 1 (SR1 bit 6): bottom */
		assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CMP, size, (uint8_t)(bp << 2 | 0x40), 0, 0,
				&start, &end), SPIRAM_PROTECT_OK);
		assert_int_equal(start, 0);
		assert_int_equal(end, len);
	}
	/* BP = 1001 on 32 MiB: upper 16 MiB; BP = 1010: all */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CMP, size, 9 << 2, 0, 0, &start, &end), 0);
	assert_int_equal(start, 16 * MIB);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CMP, size, 10 << 2, 0, 0, &start, &end), 0);
	assert_int_equal(end - start, size);
	/* CMP on W25Q256: BP = 1, TB = 0, CMP = 1 -> all but the top 64K */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CMP, size, 1 << 2, 0x40, 0, &start, &end), 0);
	assert_int_equal(start, 0);
	assert_int_equal(end, size - 64 * KIB);

	/* Macronix: TB in CR bit 3, no CMP (SR2 bit 6 ignored) */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 2 << 2, 0x40, 0, &start, &end), 0);
	assert_int_equal(start, 16 * MIB - 128 * KIB);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 2 << 2, 0x08, 0, &start, &end), 0);
	assert_int_equal(start, 0);
	assert_int_equal(end, 128 * KIB);
	/* IS25LP064A: TBS in function register bit 1, 8 MiB, BP = 8 -> all */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TBS_FR, 8 * MIB, 3 << 2, 0x02, 0, &start, &end), 0);
	assert_int_equal(end, 256 * KIB);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TBS_FR, 8 * MIB, 8 << 2, 0, 0, &start, &end), 0);
	assert_int_equal(end - start, 8 * MIB);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TBS_FR, 8 * MIB, 7 << 2, 0, 0, &start, &end), 0);
	assert_int_equal(start, 4 * MIB);
}

/*
 * Micron N25Q/MT25Q (nor-chips.md 9.4; Linux spi-nor SPI_NOR_BP3_SR_BIT6):
 * BP2..0 in SR bits 4:2, TB in bit 5, BP3 in bit 6; 64 KiB * 2^(BP-1).
 * On the 64 MiB MT25QL512A: BP = 1011 (SR 0x4c) protects all of it, BP =
 * 1010 (0x48) the upper 32 MiB, and TB = 1 (0x20) the bottom; encode puts
 * BP3 back in bit 6 and keeps SRWD (bit 7) and WEL/WIP as they were.
 */
static void test_micron(void **state)
{
	(void)state;
	uint64_t start, end;
	const uint64_t size = 64 * MIB;
	struct spiram_protect_regs cur = { { 0x80, 0, 0 } }, out;
	char msg[256];

	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0x4c, 0, 0, &start, &end), 0);
	assert_int_equal(end - start, size);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0x48, 0, 0, &start, &end), 0);
	assert_int_equal(start, 32 * MIB);
	assert_int_equal(end, size);
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0x04 | 0x20, 0, 0, &start, &end), 0);
	assert_int_equal(start, 0);
	assert_int_equal(end, 64 * KIB);
	/* BP3 alone (1000): 64 KiB * 128 = 8 MiB at the top */
	assert_int_equal(spiram_protect_decode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0x40, 0, 0, &start, &end), 0);
	assert_int_equal(start, size - 8 * MIB);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0, 16 * MIB, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	/* 16 MiB = 64 KiB * 2^8: BP = 1001, bottom */
	assert_int_equal(out.sr[0], 0x80 | 0x40 | 0x20 | 0x04);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_MICRON, size, 0, 0, &out, &cur, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_int_equal(cur.sr[0] & 0x5c, 0);
	assert_int_equal(cur.sr[0] & 0x80, 0x80);
	struct spiram_protect_regs mask;
	spiram_protect_mask(SPIRAM_PROTECT_4BP_TB_MICRON, &mask);
	assert_int_equal(mask.sr[0], 0x7c);
}

/* One-time TB: never changed by encode. */
static void test_otp_tb(void **state)
{
	(void)state;
	struct spiram_protect_regs cur = { { 0x40, 0x00, 0 } }, out;	/* QE set, TB = 0 (top) */
	char msg[512];

	/* top 128K: fine, QE kept */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 16 * MIB - 128 * KIB, 16 * MIB,
			&cur, &out, msg, sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_int_equal(out.sr[0], 0x40 | 2 << 2);
	assert_int_equal(out.sr[1], 0x00);
	/* bottom 128K would need TB = 1: refused */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 0, 128 * KIB, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_ERR_OTP);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "one-time"));
	/* with TB already 1, bottom works and top does not */
	cur.sr[1] = 0x08;
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 0, 128 * KIB, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_int_equal(out.sr[1], 0x08);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 16 * MIB - 128 * KIB, 16 * MIB,
			&cur, &out, msg, sizeof(msg)), SPIRAM_PROTECT_ERR_OTP);
	/* whole chip and nothing are expressible either way */
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 0, 16 * MIB, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, 16 * MIB, 0, 0, &cur, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_OK);
	assert_int_equal(out.sr[0] & 0x3c, 0);
}

static void test_sector_flags(void **state)
{
	(void)state;
	uint64_t offsets[6], sizes[6];
	int flags[6];

	for (unsigned int i = 0; i < 6; i++) {
		offsets[i] = i * 4 * KIB;
		sizes[i] = 4 * KIB;
	}
	/* protect [0x1000, 0x3000): sectors 1 and 2 */
	spiram_protect_sector_flags(0x1000, 0x3000, offsets, sizes, 6, flags);
	const int want[6] = { 0, 1, 1, 0, 0, 0 };
	assert_memory_equal(flags, want, sizeof(want));
	/* partial overlap of the last byte marks the sector */
	assert_int_equal(spiram_protect_sector_state(0x1fff, 0x2000, 0x1000, 0x1000), 1);
	assert_int_equal(spiram_protect_sector_state(0x2000, 0x3000, 0x1000, 0x1000), 0);
	assert_int_equal(spiram_protect_sector_state(0x0000, 0x1000, 0x1000, 0x1000), 0);
	/* empty range protects nothing */
	assert_int_equal(spiram_protect_sector_state(0, 0, 0, 0x1000), 0);
	/* last sector of the chip with the top 4K protected */
	assert_int_equal(spiram_protect_sector_state(SIZE_16M - 0x1000, SIZE_16M, SIZE_16M - 0x1000, 0x1000), 1);
}

/* Found by the protection fuzzer (tests/fuzz/fuzz_protect.c). */
static void test_fuzz_findings(void **state)
{
	(void)state;
	struct spiram_protect_regs out;
	uint64_t is, ie, os, oe;
	char msg[512];
	const uint64_t two_gib = 2ull << 30;

	/* a sector at the top of the 64-bit space: offset + size wrapped to a
	 * small number and the overlap was missed */
	assert_int_equal(spiram_protect_sector_state(0xfffffffffffff000ull, UINT64_MAX, 0xffffffffffffe000ull,
			0x4000), 1);
	assert_int_equal(spiram_protect_sector_state(0x1000, 0x2000, 0xfffffffffffff000ull, 0x2000), 0);

	/* 4 BP bits without CMP reach 1 GiB at most: on a 2 GiB chip nothing
	 * contains the whole chip, and the message says so instead of
	 * offering "nothing" as the smallest range containing it */
	assert_int_equal(spiram_protect_nearest(SPIRAM_PROTECT_4BP_TB_CR, two_gib, 0, two_gib, NULL, &is, &ie, &os,
			&oe), SPIRAM_PROTECT_OK);
	assert_true(is == 1ull << 30 || ie == 1ull << 30 || ie - is == 1ull << 30);
	assert_int_equal(os, 0);
	assert_int_equal(oe, 0);
	assert_int_equal(spiram_protect_encode(SPIRAM_PROTECT_4BP_TB_CR, two_gib, 0, two_gib, NULL, &out, msg,
			sizeof(msg)), SPIRAM_PROTECT_ERR_INEXACT);
	assert_non_null(strstr(msg, "none (smallest containing)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_w25q128jv_table),
		cmocka_unit_test(test_w25q128jv_roundtrip),
		cmocka_unit_test(test_inexact_message),
		cmocka_unit_test(test_four_bp),
		cmocka_unit_test(test_micron),
		cmocka_unit_test(test_otp_tb),
		cmocka_unit_test(test_sector_flags),
		cmocka_unit_test(test_fuzz_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
