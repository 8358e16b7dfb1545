// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_sfdp against every real SFDP dump in
 * tests/data/sfdp/.  Expected values are the decoded table of the SFDP
 * reference (section 2.1), written down independently of the decoder.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "spiram_sfdp.h"
#include "spiram_test_util.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

struct read_expect {
	uint8_t opcode, mode, wait;
};

struct dump_expect {
	const char *name;
	long len;
	uint8_t sfdp_minor, nph, bfpt_minor, bfpt_dwords;
	uint32_t bfpt_ptr;
	uint64_t size;
	enum spiram_sfdp_addr_bytes addr;
	struct read_expect r112, r122, r114, r144, r444;
	uint8_t erase4b[3];		/* 4K, 32K, 64K 4-byte opcodes, 0 = none */
	bool has_times;			/* DW10/DW11 present (rev A and later) */
	uint32_t erase_typ_ms[3], erase_mult;
	uint32_t pp_typ_us, prog_mult, chip_typ_s;
	uint8_t qer, enter_4b;
	bool has_4bait;
	uint32_t bait_low16;		/* trusted bits of 4BAIT DW1 */
	uint32_t dpd_exit_ns;
	uint8_t suspend, resume;
};

#define R(op, m, w) { op, m, w }
#define WINBOND_READS R(0x3b, 0, 8), R(0xbb, 2, 2), R(0x6b, 0, 8), R(0xeb, 2, 4)
#define MACRONIX_READS R(0x3b, 0, 8), R(0xbb, 0, 4), R(0x6b, 0, 8), R(0xeb, 2, 4)

static const struct dump_expect dumps[] = {
	{ "w25q128jv", 0xc0, 5, 0, 5, 16, 0x80, 16 * MIB, SPIRAM_SFDP_ADDR_3, WINBOND_READS, R(0xeb, 2, 0),
	  { 0, 0, 0 }, true, { 64, 128, 160 }, 14, 704, 6, 40, 4, 0x80, false, 0, 3000, 0x75, 0x7a },
	{ "w25q128fv", 0xc0, 0, 0, 0, 9, 0x80, 16 * MIB, SPIRAM_SFDP_ADDR_3, WINBOND_READS, R(0xeb, 1, 1),
	  { 0, 0, 0 }, false, { 0 }, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0 },
	{ "w25q256fv_qemu", 0x100, 0, 0, 0, 9, 0x80, 32 * MIB, SPIRAM_SFDP_ADDR_3_OR_4, WINBOND_READS, R(0xeb, 1, 1),
	  { 0, 0, 0 }, false, { 0 }, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0 },
	{ "w25q512jv_qemu", 0x100, 6, 1, 6, 16, 0x80, 64 * MIB, SPIRAM_SFDP_ADDR_3_OR_4, WINBOND_READS, R(0xeb, 2, 0),
	  { 0x21, 0, 0xdc }, true, { 64, 128, 160 }, 14, 704, 6, 192, 4, 0xa5, true, 0x0aff, 3000, 0x75, 0x7a },
	{ "mx25l25635f_qemu", 0x200, 0, 1, 0, 9, 0x30, 32 * MIB, SPIRAM_SFDP_ADDR_3_OR_4, MACRONIX_READS, R(0xeb, 2, 4),
	  { 0, 0, 0 }, false, { 0 }, 0, 0, 0, 0, 0, 0, false, 0, 0, 0, 0 },
	{ "mx25l25645g_c22019", 0x120, 6, 2, 6, 16, 0x30, 32 * MIB, SPIRAM_SFDP_ADDR_3_OR_4, MACRONIX_READS,
	  R(0xeb, 2, 4), { 0x21, 0x5c, 0xdc }, true, { 30, 192, 384 }, 14, 256, 6, 112, 2, 0x85, true, 0x8f7f,
	  30000, 0xb0, 0x30 },
	{ "macronix_c22018_sfdp16", 0x120, 6, 2, 6, 16, 0x30, 16 * MIB, SPIRAM_SFDP_ADDR_3, MACRONIX_READS,
	  R(0xeb, 2, 4), { 0, 0, 0 }, true, { 25, 144, 256 }, 6, 384, 4, 28, 2, 0xff, true, 0x0000, 0, 0, 0 },
	{ "is25wp256_qemu", 0x100, 6, 1, 6, 16, 0x30, 32 * MIB, SPIRAM_SFDP_ADDR_3, R(0x3b, 0, 8), R(0xbb, 4, 0),
	  R(0x6b, 0, 8), R(0xeb, 2, 4), R(0xeb, 2, 4), { 0, 0, 0 }, true, { 48, 160, 304 }, 8, 200, 6, 60, 2, 0xa9,
	  false, 0, 15000, 0, 0 },
};

static void check_read(const struct spiram_sfdp_read *got, const struct read_expect *want, bool supported)
{
	assert_int_equal(got->supported, supported);
	assert_int_equal(got->opcode, want->opcode);
	assert_int_equal(got->mode_clocks, want->mode);
	assert_int_equal(got->wait_states, want->wait);
}

static void test_every_dump(void **state)
{
	(void)state;
	uint8_t buf[1024];

	for (size_t d = 0; d < sizeof(dumps) / sizeof(dumps[0]); d++) {
		const struct dump_expect *e = &dumps[d];
		struct spiram_sfdp_info info;
		print_message("dump %s\n", e->name);

		long len = spiram_test_load_sfdp(e->name, buf, sizeof(buf));
		assert_int_equal(len, e->len);
		assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);

		size_t needed;
		assert_int_equal(spiram_sfdp_needed_len(buf, len, &needed), SPIRAM_SFDP_OK);
		assert_true(needed <= (size_t)len);

		assert_int_equal(info.sfdp_major, 1);
		assert_int_equal(info.sfdp_minor, e->sfdp_minor);
		assert_int_equal(info.nph, e->nph);
		assert_int_equal(info.access_protocol, 0xff);
		assert_int_equal(info.bfpt_minor, e->bfpt_minor);
		assert_int_equal(info.bfpt_dwords, e->bfpt_dwords);
		assert_int_equal(info.bfpt_ptr, e->bfpt_ptr);
		assert_int_equal(info.size, e->size);
		assert_int_equal(info.addr_bytes, e->addr);

		/* every dump: 4 KiB erase 20h everywhere, volatile SR write enable 50h */
		assert_true(info.erase_4k);
		assert_int_equal(info.erase_4k_opcode, 0x20);
		assert_int_equal(info.vsr_wren_opcode, 0x50);

		check_read(&info.read[SPIRAM_SFDP_READ_1_1_2], &e->r112, true);
		check_read(&info.read[SPIRAM_SFDP_READ_1_2_2], &e->r122, true);
		check_read(&info.read[SPIRAM_SFDP_READ_1_1_4], &e->r114, true);
		check_read(&info.read[SPIRAM_SFDP_READ_1_4_4], &e->r144, true);
		/* 4-4-4 is flagged by every dump, W25Q128JV included (the quirk) */
		check_read(&info.read[SPIRAM_SFDP_READ_4_4_4], &e->r444, true);
		assert_false(info.read[SPIRAM_SFDP_READ_2_2_2].supported);

		static const uint32_t sizes[3] = { 4 * KIB, 32 * KIB, 64 * KIB };
		static const uint8_t opcodes[3] = { 0x20, 0x52, 0xd8 };
		for (unsigned int i = 0; i < 3; i++) {
			assert_int_equal(info.erase[i].size, sizes[i]);
			assert_int_equal(info.erase[i].opcode, opcodes[i]);
			assert_int_equal(info.erase[i].opcode_4b, e->erase4b[i]);
			assert_int_equal(info.erase[i].typ_us, e->erase_typ_ms[i] * 1000u);
			assert_int_equal(info.erase[i].max_us, e->erase_typ_ms[i] * 1000u * e->erase_mult);
		}
		assert_int_equal(info.erase[3].size, 0);

		assert_int_equal(info.has_erase_times, e->has_times);
		assert_int_equal(info.has_dw11, e->has_times);
		assert_int_equal(info.has_dw15, e->has_times);
		assert_int_equal(info.has_dw16, e->has_times);
		assert_int_equal(info.page_size, 256);
		if (e->has_times) {
			assert_int_equal(info.erase_max_mult, e->erase_mult);
			assert_int_equal(info.program_max_mult, e->prog_mult);
			assert_int_equal(info.pp_typ_us, e->pp_typ_us);
			assert_int_equal(info.pp_max_us, e->pp_typ_us * e->prog_mult);
			assert_int_equal(info.chip_erase_typ_ms, e->chip_typ_s * 1000u);
			assert_int_equal(info.chip_erase_max_ms, e->chip_typ_s * 1000u * e->prog_mult);
			assert_int_equal(info.qer, e->qer);
			assert_true(info.qe_known);
			assert_int_equal(info.qe_method, e->qer == 2 ? SPIRAM_QE_SR1_BIT6 : SPIRAM_QE_SR2_BIT1_WRSR16);
			assert_int_equal(info.enter_4b, e->enter_4b);
			assert_int_equal(info.dpd_exit_delay_ns,
					e->dpd_exit_ns ? e->dpd_exit_ns : info.dpd_exit_delay_ns);
			if (e->suspend) {
				assert_true(info.has_suspend);
				assert_int_equal(info.suspend_opcode, e->suspend);
				assert_int_equal(info.resume_opcode, e->resume);
			}
		} else {
			assert_int_equal(info.pp_max_us, 0);
			assert_int_equal(info.chip_erase_max_ms, 0);
			assert_false(info.qe_known);
		}
		assert_int_equal(info.has_4bait, e->has_4bait);
		assert_int_equal(info.bait_dw1 & 0xffff, e->bait_low16);
		assert_false(info.has_sector_map);
	}
}

static void test_4bait_opcodes(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct spiram_sfdp_info info;

	long len = spiram_test_load_sfdp("w25q512jv_qemu", buf, sizeof(buf));
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	/* 4BAIT: 13 0C 3C BC 6C EC 12 34, erase 21h/DCh */
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_READ), 0x13);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_FAST_READ), 0x0c);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_READ_1_4_4), 0xec);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_READ_1_1_4), 0x6c);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_PP), 0x12);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_PP_1_1_4), 0x34);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_PP_1_4_4), 0);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_ERASE(0)), 0x21);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_ERASE(1)), 0);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_ERASE(2)), 0xdc);
	/* EN4B byte 0xA5: B7h, EAR, dedicated opcodes */
	assert_int_equal(info.enter_4b, SPIRAM_SFDP_EN4B_B7 | SPIRAM_SFDP_EN4B_EAR | SPIRAM_SFDP_EN4B_OPCODES |
			(1u << 7));

	len = spiram_test_load_sfdp("mx25l25645g_c22019", buf, sizeof(buf));
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_PP_1_1_4), 0);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_PP_1_4_4), 0x3e);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_ERASE(1)), 0x5c);

	/* c22018: 4BAIT present but DW1 = 0xFFFF0000, nothing supported */
	len = spiram_test_load_sfdp("macronix_c22018_sfdp16", buf, sizeof(buf));
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_true(info.has_4bait);
	assert_int_equal(info.bait_dw1, 0xffff0000u);
	for (uint32_t bit = 0; bit < 13; bit++)
		assert_int_equal(spiram_sfdp_4b_opcode(&info, 1u << bit), 0);

	/* no 4BAIT at all */
	len = spiram_test_load_sfdp("w25q128jv", buf, sizeof(buf));
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(spiram_sfdp_4b_opcode(&info, SPIRAM_SFDP_4B_READ), 0);
}

/* W25Q512JV: a third header at 0x18 lies beyond NPH + 1 = 2 and is ignored,
 * even when patched into a BFPT of higher revision. */
static void test_header_beyond_nph_ignored(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct spiram_sfdp_info info;

	long len = spiram_test_load_sfdp("w25q512jv_qemu", buf, sizeof(buf));
	assert_int_equal(buf[0x18], 0x03);
	assert_int_equal(buf[0x1c], 0xf0);
	buf[0x18] = 0x00;	/* id LSB -> FF00 */
	buf[0x19] = 0x09;	/* minor 9: newer than 6 */
	buf[0x1b] = 0x10;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.bfpt_ptr, 0x80);
	assert_int_equal(info.bfpt_minor, 6);

	/* the same header inside NPH + 1 wins: highest supported revision */
	buf[6] = 2;
	/* 16 DWORDs at 0xF0 end at 0x130, past the 0x100-byte dump */
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_ERR_TRUNCATED);
	assert_int_equal(info.bfpt_ptr, 0xf0);
	assert_int_equal(info.bfpt_minor, 9);
	buf[0x1b] = 0x04;	/* 4 DWORDs: shorter than the minimum */
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_ERR_BFPT_SHORT);
	/* a BFPT of major revision 2 is not supported: back to the 0x80 table */
	buf[0x1b] = 0x04;
	buf[0x1a] = 0x02;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.bfpt_ptr, 0x80);
}

static void test_errors(void **state)
{
	(void)state;
	uint8_t buf[1024], copy[1024];
	struct spiram_sfdp_info info;
	size_t needed;

	long len = spiram_test_load_sfdp("w25q128jv", buf, sizeof(buf));
	assert_int_equal(len, 0xc0);

	assert_int_equal(spiram_sfdp_decode(buf, 7, &info), SPIRAM_SFDP_ERR_SHORT);
	/* header complete, parameter header not */
	assert_int_equal(spiram_sfdp_decode(buf, 15, &info), SPIRAM_SFDP_ERR_HEADERS);
	assert_int_equal(spiram_sfdp_needed_len(buf, 15, &needed), SPIRAM_SFDP_ERR_HEADERS);
	assert_int_equal(needed, 16);
	assert_int_equal(spiram_sfdp_needed_len(buf, 16, &needed), SPIRAM_SFDP_OK);
	assert_int_equal(needed, 0xc0);
	/* BFPT ends at 0xC0 exactly: one byte less is truncated */
	assert_int_equal(spiram_sfdp_decode(buf, 0xbf, &info), SPIRAM_SFDP_ERR_TRUNCATED);
	assert_int_equal(spiram_sfdp_decode(buf, 0xc0, &info), SPIRAM_SFDP_OK);

	memcpy(copy, buf, len);
	copy[0] = 0xff;
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_SIGNATURE);
	memset(copy, 0xff, len);
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_SIGNATURE);

	memcpy(copy, buf, len);
	copy[5] = 2;
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_VERSION);

	memcpy(copy, buf, len);
	copy[8] = 0x84;	/* the only header is no BFPT */
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_NO_BFPT);

	memcpy(copy, buf, len);
	copy[0x0b] = 8;	/* 8 DWORDs */
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_BFPT_SHORT);
	copy[0x0b] = 9;	/* JESD216 minimum: decodes, later DWORDs absent */
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_OK);
	assert_false(info.has_dw11);
	assert_int_equal(info.page_size, 256);

	memcpy(copy, buf, len);
	copy[0x0c] = 0xc0;	/* pointer beyond the buffer */
	assert_int_equal(spiram_sfdp_decode(copy, len, &info), SPIRAM_SFDP_ERR_TRUNCATED);

	/* 4BAIT beyond the buffer */
	len = spiram_test_load_sfdp("w25q512jv_qemu", buf, sizeof(buf));
	assert_int_equal(spiram_sfdp_decode(buf, 0xd7, &info), SPIRAM_SFDP_ERR_TRUNCATED);
	assert_int_equal(spiram_sfdp_decode(buf, 0xd8, &info), SPIRAM_SFDP_OK);
	assert_int_equal(spiram_sfdp_needed_len(buf, 0x20, &needed), SPIRAM_SFDP_OK);
	assert_int_equal(needed, 0xd8);
	assert_string_not_equal(spiram_sfdp_strerror(SPIRAM_SFDP_ERR_TRUNCATED), "unknown SFDP error");
}

static void test_density_encodings(void **state)
{
	(void)state;
	uint8_t buf[1024];
	struct spiram_sfdp_info info;
	long len = spiram_test_load_sfdp("w25q128jv", buf, sizeof(buf));
	uint8_t *dw2 = buf + 0x84;

	/* N+1 bits form: 0x07FFFFFF = 2^27 bits = 16 MiB (the dump) */
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.size, 16 * MIB);
	/* largest N+1 form: 0x7FFFFFFF = 2^31 bits = 256 MiB */
	dw2[0] = dw2[1] = dw2[2] = 0xff;
	dw2[3] = 0x7f;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.size, 256 * MIB);
	/* 2^N form, 4 Gbit: N = 32 -> 512 MiB */
	dw2[0] = 32;
	dw2[1] = dw2[2] = 0;
	dw2[3] = 0x80;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.size, 512 * MIB);
	/* 32 Gbit: 4 GiB, beyond 32 bits */
	dw2[0] = 35;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.size, (uint64_t)4 * 1024 * MIB);
	/* 2^0 bits: invalid */
	dw2[0] = 0;
	assert_int_equal(spiram_sfdp_decode(buf, len, &info), SPIRAM_SFDP_ERR_DENSITY);
}

/* Synthetic SFDP: two BFPT headers, a sector map, QER values, 2-2-2, page size. */
static void test_synthetic(void **state)
{
	(void)state;
	uint8_t buf[0x200];
	struct spiram_sfdp_info info;

	memset(buf, 0xff, sizeof(buf));
	memcpy(buf, "SFDP", 4);
	buf[4] = 6;
	buf[5] = 1;
	buf[6] = 2;	/* 3 headers */
	buf[7] = 0xff;
	/* header 0: BFPT 1.0 at 0x100 (9 DWORDs) */
	const uint8_t h0[8] = { 0x00, 0x00, 0x01, 9, 0x00, 0x01, 0x00, 0xff };
	/* header 1: sector map at 0x180 (2 DWORDs) */
	const uint8_t h1[8] = { 0x81, 0x00, 0x01, 2, 0x80, 0x01, 0x00, 0xff };
	/* header 2: BFPT 1.6 at 0x40 (16 DWORDs) */
	const uint8_t h2[8] = { 0x00, 0x06, 0x01, 16, 0x40, 0x00, 0x00, 0xff };
	memcpy(buf + 8, h0, 8);
	memcpy(buf + 16, h1, 8);
	memcpy(buf + 24, h2, 8);
	/* BFPT 1.0 copy of the W25Q128FV table, density 8 MiB */
	const uint8_t fv[36] = { 0xe5, 0x20, 0xf1, 0xff, 0xff, 0xff, 0x3f, 0x00, 0x44, 0xeb, 0x08, 0x6b, 0x08,
		0x3b, 0x42, 0xbb, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x21, 0xeb, 0x0c, 0x20,
		0x0f, 0x52, 0x10, 0xd8, 0x00, 0x00 };
	memcpy(buf + 0x100, fv, sizeof(fv));
	/* BFPT 1.6 at 0x40: same first 9 DWORDs but 32 MiB, 3-or-4 bytes, 2-2-2 */
	memcpy(buf + 0x40, fv, sizeof(fv));
	buf[0x42] = 0xf3;
	buf[0x44 + 2] = 0xff;
	buf[0x44 + 3] = 0x01;	/* 0x01ffffff: 2^25 bits = 4 MiB */
	buf[0x50] = 0xff;	/* DW5 bit0: 2-2-2 */
	buf[0x54 + 2] = 0x44;	/* DW6: 2-2-2 BBh-like 2+4 wait, opcode 0xBB */
	buf[0x54 + 3] = 0xbb;
	uint32_t dw11 = 0x00000091;	/* M = 1, page 2^9 = 512 */
	memcpy(buf + 0x40 + 40, &dw11, 4);
	uint32_t dw15 = 6u << 20;	/* QER 6 */
	memcpy(buf + 0x40 + 56, &dw15, 4);
	uint32_t dw16 = 0x20u << 24;	/* dedicated 4-byte opcodes */
	memcpy(buf + 0x40 + 60, &dw16, 4);

	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.bfpt_ptr, 0x40);
	assert_int_equal(info.bfpt_minor, 6);
	assert_int_equal(info.size, 4 * MIB);
	assert_int_equal(info.addr_bytes, SPIRAM_SFDP_ADDR_3_OR_4);
	assert_true(info.read[SPIRAM_SFDP_READ_2_2_2].supported);
	assert_int_equal(info.read[SPIRAM_SFDP_READ_2_2_2].opcode, 0xbb);
	assert_int_equal(info.read[SPIRAM_SFDP_READ_2_2_2].mode_clocks, 2);
	assert_int_equal(info.read[SPIRAM_SFDP_READ_2_2_2].wait_states, 4);
	assert_int_equal(spiram_sfdp_read_dummy(&info.read[SPIRAM_SFDP_READ_2_2_2]), 6);
	assert_int_equal(info.page_size, 512);
	assert_int_equal(info.program_max_mult, 4);
	assert_int_equal(info.qer, 6);
	assert_int_equal(info.qe_method, SPIRAM_QE_SR2_BIT1_WRSR2);
	assert_int_equal(info.enter_4b, SPIRAM_SFDP_EN4B_OPCODES);
	assert_true(info.has_sector_map);
	assert_int_equal(info.sector_map_ptr, 0x180);
	assert_false(info.has_4bait);

	/* QER 3 (SR2 bit7 via 3Eh) has no matching method: flagged unknown */
	dw15 = 3u << 20;
	memcpy(buf + 0x40 + 56, &dw15, 4);
	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_OK);
	assert_false(info.qe_known);
	/* QER 0: no QE bit */
	dw15 = 0;
	memcpy(buf + 0x40 + 56, &dw15, 4);
	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_OK);
	assert_true(info.qe_known);
	assert_int_equal(info.qe_method, SPIRAM_QE_NONE);
	/* QER 1 */
	dw15 = 1u << 20;
	memcpy(buf + 0x40 + 56, &dw15, 4);
	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.qe_method, SPIRAM_QE_SR2_BIT1_WRSR16);

	/* sector map pointing beyond the buffer */
	assert_int_equal(spiram_sfdp_decode(buf, 0x187, &info), SPIRAM_SFDP_ERR_TRUNCATED);
	assert_int_equal(spiram_sfdp_decode(buf, 0x188, &info), SPIRAM_SFDP_OK);
}

/*
 * JESD216: a new major revision of a table is not readable by an older
 * parser, so a table of a major revision the decoder does not know is
 * skipped like an unknown table: not decoded, and not counted by
 * spiram_sfdp_needed_len() either (it used to ask for a BFPT of major
 * revision 68 at 0xF000, 255 DWORDs long).
 */
static void test_unknown_major_revision(void **state)
{
	(void)state;
	uint8_t buf[0x200];
	struct spiram_sfdp_info info;
	size_t needed;

	memset(buf, 0xff, sizeof(buf));
	assert_int_equal(spiram_test_load_sfdp("w25q128jv", buf, sizeof(buf)), 0xc0);
	buf[6] = 2;	/* 3 parameter headers */
	/* header 1: BFPT of major revision 68, 255 DWORDs at 0x00F000 */
	const uint8_t h1[8] = { 0x00, 0x00, 68, 255, 0x00, 0xf0, 0x00, 0xff };
	/* header 2: 4BAIT of major revision 2 at 0x100 */
	const uint8_t h2[8] = { 0x84, 0x00, 0x02, 2, 0x00, 0x01, 0x00, 0xff };
	memcpy(buf + 0x10, h1, 8);
	memcpy(buf + 0x18, h2, 8);
	memset(buf + 0x100, 0, 8);	/* 4BAIT DWORDs that would offer nothing */

	assert_int_equal(spiram_sfdp_needed_len(buf, 0x20, &needed), SPIRAM_SFDP_OK);
	assert_int_equal(needed, 0xc0);
	assert_int_equal(spiram_sfdp_decode(buf, needed, &info), SPIRAM_SFDP_OK);
	assert_int_equal(info.bfpt_ptr, 0x80);
	assert_int_equal(info.bfpt_major, 1);
	assert_int_equal(info.bfpt_minor, 5);
	assert_int_equal(info.size, 16 * MIB);
	assert_false(info.has_4bait);
	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_OK);
	assert_false(info.has_4bait);

	/* the same 4BAIT with major revision 1 is read, and counted */
	buf[0x1a] = 1;
	assert_int_equal(spiram_sfdp_needed_len(buf, 0x20, &needed), SPIRAM_SFDP_OK);
	assert_int_equal(needed, 0x108);
	assert_int_equal(spiram_sfdp_decode(buf, needed, &info), SPIRAM_SFDP_OK);
	assert_true(info.has_4bait);

	/* with only the major-68 BFPT there is no BFPT this decoder can read */
	buf[0x0a] = 68;
	assert_int_equal(spiram_sfdp_decode(buf, sizeof(buf), &info), SPIRAM_SFDP_ERR_NO_BFPT);
	assert_int_equal(spiram_sfdp_needed_len(buf, 0x20, &needed), SPIRAM_SFDP_OK);
	assert_int_equal(needed, 0x108);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_dump),
		cmocka_unit_test(test_4bait_opcodes),
		cmocka_unit_test(test_header_beyond_nph_ignored),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_density_encodings),
		cmocka_unit_test(test_synthetic),
		cmocka_unit_test(test_unknown_major_revision),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
