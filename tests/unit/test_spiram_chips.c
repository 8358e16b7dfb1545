// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_chips: lookup by JEDEC ID (and SFDP revision for
 * parts sharing an ID), and the merge of table + real SFDP dumps + user
 * override into a complete flash configuration.  Expected values come
 * from the NOR chip reference and the decoded dumps.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_chips.h"
#include "spiram_test_util.h"

#define KIB 1024u
#define MIB (1024u * 1024u)

static void load(const char *name, struct spiram_sfdp_info *info)
{
	uint8_t buf[1024];
	long len = spiram_test_load_sfdp(name, buf, sizeof(buf));
	assert_true(len > 0);
	assert_int_equal(spiram_sfdp_decode(buf, len, info), SPIRAM_SFDP_OK);
}

static void test_lookup(void **state)
{
	(void)state;
	struct spiram_sfdp_info jv, fv, fv256, mx45, mx35;
	const uint8_t w128[3] = { 0xef, 0x40, 0x18 }, w256[3] = { 0xef, 0x40, 0x19 }, mx256[3] = { 0xc2, 0x20, 0x19 };

	load("w25q128jv", &jv);
	load("w25q128fv", &fv);
	load("w25q256fv_qemu", &fv256);
	load("mx25l25645g_c22019", &mx45);
	load("mx25l25635f_qemu", &mx35);

	/* same ID, told apart by the BFPT revision */
	assert_string_equal(spiram_chip_lookup(w128, 3, &jv)->name, "W25Q128JV");
	assert_string_equal(spiram_chip_lookup(w128, 3, &fv)->name, "W25Q128FV");
	assert_string_equal(spiram_chip_lookup(w128, 3, NULL)->name, "W25Q128JV");
	assert_string_equal(spiram_chip_lookup(w256, 3, &fv256)->name, "W25Q256FV");
	assert_string_equal(spiram_chip_lookup(mx256, 3, &mx45)->name, "MX25L25645G");
	assert_string_equal(spiram_chip_lookup(mx256, 3, &mx35)->name, "MX25L25635F");

	const struct { uint8_t id[3]; const char *name; uint32_t size; } ids[] = {
		{ { 0xef, 0x70, 0x18 }, "W25Q128JV-DTR", 16 * MIB },
		{ { 0xef, 0x40, 0x17 }, "W25Q64JV", 8 * MIB },
		{ { 0xef, 0x40, 0x19 }, "W25Q256JV", 32 * MIB },
		{ { 0xef, 0x40, 0x20 }, "W25Q512JV", 64 * MIB },
		{ { 0xc8, 0x40, 0x18 }, "GD25Q128C/E", 16 * MIB },
		{ { 0xc2, 0x20, 0x18 }, "MX25L12835F", 16 * MIB },
		{ { 0x9d, 0x60, 0x17 }, "IS25LP064A", 8 * MIB },
		{ { 0x9d, 0x60, 0x18 }, "IS25LP128", 16 * MIB },
		{ { 0x9d, 0x70, 0x19 }, "IS25WP256", 32 * MIB },
	};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		const struct spiram_chip_info *c = spiram_chip_lookup(ids[i].id, 3, NULL);
		assert_non_null(c);
		assert_string_equal(c->name, ids[i].name);
		assert_int_equal(c->size, ids[i].size);
		/* capacity byte agrees with the size: 2^cap bytes */
		assert_int_equal(c->size, 1u << (ids[i].id[2] == 0x20 ? 26 : ids[i].id[2]));
	}
	/* not in the table; a shorter ID does not match */
	const uint8_t unknown[3] = { 0x1f, 0x86, 0x01 };
	assert_null(spiram_chip_lookup(unknown, 3, NULL));
	assert_null(spiram_chip_lookup(w128, 2, NULL));
	assert_non_null(spiram_chip_find_name("w25q128jv"));
	assert_null(spiram_chip_find_name("W25Q999"));
	assert_true(spiram_chip_table_count() >= 14);

	/* every entry is internally sane */
	for (const struct spiram_chip_info *c = spiram_chip_table; c->name; c++) {
		assert_true(c->size && !(c->size & (c->size - 1)));
		assert_int_equal(c->page_size, 256);
		uint32_t smallest = 0;
		for (unsigned int t = 0; t < SPIRAM_MAX_ERASE_TYPES; t++) {
			uint32_t size = c->erase[t].size;
			if (size) {
				assert_true(!(size & (size - 1)));
				if (!smallest || size < smallest)
					smallest = size;
			}
		}
		assert_int_equal(smallest, 4 * KIB);
		assert_true(c->sr_count >= 1 && c->sr_count <= 3);
		assert_int_equal(c->sr_read_opcode[0], 0x05);
		if (c->size > 16 * MIB)
			assert_true(c->flags & (SPIRAM_CHIP_F_4B_OPCODES | SPIRAM_CHIP_F_4B_B7));
	}
}

struct merge_expect {
	const char *dump;
	uint8_t id[3];
	const char *name;
	uint32_t size;
	uint32_t addr_mode;
	uint8_t read_opcode, read_opcode_4b, read_dummy;
	uint32_t read_proto;
	uint32_t qe;
	uint32_t erase_max_4k_us, pp_max_us, chip_max_ms;
	uint8_t erase_4b_4k;
	/* page program: 32h/34h (1-1-4) where the table entry has 32h, the
	 * read in use is quad and, with 4-byte opcodes, the 4BAIT lists 34h */
	uint8_t program_opcode, program_opcode_4b;
};

/*
 * The typical page-program time the driver weighs against the link: the
 * table's datasheet figure wins over SFDP's (W25Q128JV: 400 us, its SFDP
 * says 704), SFDP's where the table has none (W25Q512JV), none without
 * either (W25Q128FV: SFDP 1.0 has no DW11).
 */
static void test_merge_pp_typ(void **state)
{
	(void)state;
	const struct {
		const char *dump;
		uint8_t id[3];
		uint32_t sfdp_pp_typ_us, pp_typ_us;
	} cases[] = {
		{ "w25q128jv", { 0xef, 0x40, 0x18 }, 704, 400 },
		{ "w25q512jv_qemu", { 0xef, 0x40, 0x20 }, 704, 704 },
		{ "w25q128fv", { 0xef, 0x40, 0x18 }, 0, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct spiram_sfdp_info sfdp;
		struct spiram_chip_config cfg;
		char msg[256];

		load(cases[i].dump, &sfdp);
		assert_int_equal(sfdp.pp_typ_us, cases[i].sfdp_pp_typ_us);
		assert_int_equal(spiram_chip_merge(cases[i].id, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
		assert_int_equal(cfg.pp_typ_us, cases[i].pp_typ_us);
	}

	/* no SFDP (the H750B-DK's MT25QL512 dies): the table's 120 us */
	static const uint8_t mt25ql512[] = { 0x20, 0xba, 0x20 };
	struct spiram_chip_config cfg;
	char msg[256];
	assert_int_equal(spiram_chip_merge(mt25ql512, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_string_equal(cfg.name, "MT25QL512A");
	assert_int_equal(cfg.pp_typ_us, 120);
}

static void test_merge_every_dump(void **state)
{
	(void)state;
	const struct merge_expect cases[] = {
		/* JV: SFDP max 64 ms x 14 wins over table 400 ms; QE fixed up to 31h */
		{ "w25q128jv", { 0xef, 0x40, 0x18 }, "W25Q128JV", 16 * MIB, SPIRAM_ADDR_3B, 0xeb, 0, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR2_BIT1_WRSR2, 64000 * 14, 704 * 6, 40000 * 6, 0, 0x32, 0 },
		/* FV: SFDP 1.0 has no times: table values */
		{ "w25q128fv", { 0xef, 0x40, 0x18 }, "W25Q128FV", 16 * MIB, SPIRAM_ADDR_3B, 0xeb, 0, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR2_BIT1_WRSR2, 400000, 3000, 200000, 0, 0x32, 0 },
		/* 256FV: B7h mode (no 4B opcodes) */
		{ "w25q256fv_qemu", { 0xef, 0x40, 0x19 }, "W25Q256FV", 32 * MIB, SPIRAM_ADDR_4B_MODE, 0xeb, 0, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR2_BIT1_WRSR2, 400000, 3000, 400000, 0, 0x32, 0 },
		{ "w25q512jv_qemu", { 0xef, 0x40, 0x20 }, "W25Q512JV", 64 * MIB, SPIRAM_ADDR_4B_OPCODES, 0xeb, 0xec, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR2_BIT1_WRSR2, 64000 * 14, 704 * 6, 192000 * 6, 0x21, 0x32, 0x34 },
		{ "mx25l25635f_qemu", { 0xc2, 0x20, 0x19 }, "MX25L25635F", 32 * MIB, SPIRAM_ADDR_4B_OPCODES, 0xeb, 0xec,
		  6, SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR1_BIT6, 4000000, 10000, 32 * 30000, 0x21, 0x02, 0x12 },
		{ "mx25l25645g_c22019", { 0xc2, 0x20, 0x19 }, "MX25L25645G", 32 * MIB, SPIRAM_ADDR_4B_OPCODES, 0xeb,
		  0xec, 6, SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR1_BIT6, 30000 * 14, 256 * 6, 112000 * 6, 0x21, 0x02, 0x12 },
		{ "macronix_c22018_sfdp16", { 0xc2, 0x20, 0x18 }, "MX25L12835F", 16 * MIB, SPIRAM_ADDR_3B, 0xeb, 0, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR1_BIT6, 25000 * 6, 384 * 4, 28000 * 4, 0, 0x02, 0 },
		/* IS25WP256: SFDP has no 4BAIT; the table's 4B opcodes are used */
		{ "is25wp256_qemu", { 0x9d, 0x70, 0x19 }, "IS25WP256", 32 * MIB, SPIRAM_ADDR_4B_OPCODES, 0xeb, 0xec, 6,
		  SPIRAM_PROTO(1, 4, 4), SPIRAM_QE_SR1_BIT6, 48000 * 8, 200 * 6, 60000 * 6, 0x21, 0x02, 0x12 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct merge_expect *e = &cases[i];
		struct spiram_sfdp_info sfdp;
		struct spiram_chip_config cfg;
		char msg[256];
		print_message("merge %s\n", e->dump);

		load(e->dump, &sfdp);
		assert_int_equal(spiram_chip_merge(e->id, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
		assert_string_equal(cfg.name, e->name);
		assert_true(cfg.used_sfdp);
		assert_false(cfg.used_user);
		assert_int_equal(cfg.flash.size, e->size);
		assert_int_equal(cfg.flash.page_size, 256);
		assert_int_equal(cfg.flash.addr_mode, e->addr_mode);
		assert_int_equal(cfg.flash.read_opcode, e->read_opcode);
		assert_int_equal(cfg.flash.read_opcode_4b, e->read_opcode_4b);
		assert_int_equal(cfg.flash.read_dummy, e->read_dummy);
		assert_int_equal(cfg.flash.read_proto, e->read_proto);
		assert_int_equal(cfg.flash.qe_method, e->qe);
		assert_int_equal(cfg.flash.erase[0].size, 4 * KIB);
		assert_int_equal(cfg.flash.erase[0].opcode, 0x20);
		assert_int_equal(cfg.flash.erase[0].opcode_4b, e->erase_4b_4k);
		assert_int_equal(cfg.flash.erase[0].max_time_us, e->erase_max_4k_us);
		assert_int_equal(cfg.flash.page_program_max_us, e->pp_max_us);
		assert_int_equal(cfg.chip_erase_max_ms, e->chip_max_ms);
		assert_int_equal(cfg.flash.chip_erase_max_us, e->chip_max_ms * 1000u);
		assert_int_equal(cfg.sector_size, 4 * KIB);
		assert_int_equal(cfg.flash.program_opcode, e->program_opcode);
		assert_int_equal(cfg.flash.program_opcode_4b, e->program_opcode_4b);
		assert_int_equal(cfg.flash.program_proto, e->program_opcode == 0x02 ? SPIRAM_PROTO(1, 1, 1) :
				 SPIRAM_PROTO(1, 1, 4));
		assert_int_equal(cfg.flash.chip_erase_opcode, 0xc7);
		assert_int_equal(cfg.flash.sfdp_dummy, 8);
		assert_true(cfg.flash.status_write_max_us > 0);
		/* in 4-byte opcode mode every erase type left has a 4-byte opcode */
		for (unsigned int t = 0; t < SPIRAM_MAX_ERASE_TYPES; t++) {
			if (cfg.flash.erase[t].size && e->addr_mode == SPIRAM_ADDR_4B_OPCODES)
				assert_int_not_equal(cfg.flash.erase[t].opcode_4b, 0);
			if (cfg.flash.erase[t].size)
				assert_int_not_equal(cfg.flash.erase[t].max_time_us, 0);
		}
	}
}

/* `spiram_loader info` prints the fixups in words, not as a mask. */
static void test_fixups_describe(void **state)
{
	char buf[256];

	(void)state;
	assert_string_equal(spiram_fixups_describe(0, buf, sizeof(buf)), "none");
	/* W25Q128JV: 0x9, the mask `info` used to print */
	assert_string_equal(spiram_fixups_describe(SPIRAM_FIXUP_NO_QPI | SPIRAM_FIXUP_W25Q_QE_31, buf, sizeof(buf)),
		"4-4-4 (QPI) read listed in SFDP but absent: ignored; "
		"quad enable bit written with 31h (status register 2 alone)");
	assert_string_equal(spiram_fixups_describe(SPIRAM_FIXUP_EMPTY_4BAIT | (1u << 31), buf, sizeof(buf)),
		"empty 4-byte address table in SFDP: ignored; bit 31");
	/* truncation keeps a terminated prefix */
	char small[12];
	memset(small, 'x', sizeof(small));
	spiram_fixups_describe(SPIRAM_FIXUP_DW16_ALL_ONES, small, sizeof(small));
	assert_true(memchr(small, '\0', sizeof(small)) != NULL);
}

static void test_fixups(void **state)
{
	(void)state;
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config cfg;
	char msg[256];
	const uint8_t jv[3] = { 0xef, 0x40, 0x18 }, c22018[3] = { 0xc2, 0x20, 0x18 }, w512[3] = { 0xef, 0x40, 0x20 };

	/* JV flags 4-4-4 but has no QPI: recorded, and 4-4-4 never chosen */
	load("w25q128jv", &sfdp);
	assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), 0);
	assert_true(cfg.fixups & SPIRAM_FIXUP_NO_QPI);
	assert_true(cfg.fixups & SPIRAM_FIXUP_W25Q_QE_31);
	assert_int_equal(SPIRAM_PROTO_CMD(cfg.flash.read_proto), 1);
	assert_int_equal(cfg.protect_scheme, SPIRAM_PROTECT_3BP_TB_SEC_CMP);
	assert_int_equal(cfg.sr_count, 3);

	/* c22018: empty 4BAIT and DW16 all ones */
	load("macronix_c22018_sfdp16", &sfdp);
	assert_int_equal(spiram_chip_merge(c22018, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), 0);
	assert_true(cfg.fixups & SPIRAM_FIXUP_EMPTY_4BAIT);
	assert_true(cfg.fixups & SPIRAM_FIXUP_DW16_ALL_ONES);
	assert_int_equal(cfg.flash.addr_mode, SPIRAM_ADDR_3B);
	assert_int_equal(cfg.protect_scheme, SPIRAM_PROTECT_4BP_TB_CR);

	/* W25Q512JV: the 32K type has no 4-byte opcode (4BAIT) and is dropped */
	load("w25q512jv_qemu", &sfdp);
	assert_int_equal(spiram_chip_merge(w512, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.flash.erase[1].size, 0);
	assert_int_equal(cfg.flash.erase[2].size, 64 * KIB);
	assert_int_equal(cfg.flash.erase[2].opcode_4b, 0xdc);
}

static void test_unknown_chips(void **state)
{
	(void)state;
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config cfg;
	char msg[512];
	const uint8_t unknown[3] = { 0x1f, 0x86, 0x01 };

	/* not in the table, valid SFDP: complete config from SFDP alone */
	load("w25q512jv_qemu", &sfdp);
	assert_int_equal(spiram_chip_merge(unknown, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_null(cfg.chip);
	assert_string_equal(cfg.name, "sfdp-1f8601");
	assert_int_equal(cfg.flash.size, 64 * MIB);
	assert_int_equal(cfg.flash.addr_mode, SPIRAM_ADDR_4B_OPCODES);
	assert_int_equal(cfg.flash.read_opcode_4b, 0xec);
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_SR2_BIT1_WRSR16);	/* QER 4, no Winbond fixup */
	assert_int_equal(cfg.flash.erase[0].max_time_us, 64000 * 14);
	assert_int_equal(cfg.protect_scheme, SPIRAM_PROTECT_NONE);

	/* SFDP 1.0, not in the table: no QER, so no quad; dual read instead; B7h above 16 MiB */
	load("w25q256fv_qemu", &sfdp);
	assert_int_equal(spiram_chip_merge(unknown, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_int_equal(cfg.flash.read_opcode, 0xbb);
	assert_int_equal(cfg.flash.read_dummy, 4);
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_NONE);
	assert_int_equal(cfg.flash.addr_mode, SPIRAM_ADDR_4B_MODE);
	assert_int_equal(cfg.flash.page_program_max_us, 10000);	/* default */

	/* not in the table, no SFDP: error with the ID and the fix */
	assert_int_equal(spiram_chip_merge(unknown, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_UNKNOWN);
	print_message("%s\n", msg);
	assert_non_null(strstr(msg, "1f 86 01"));
	assert_non_null(strstr(msg, "spiram_loader set"));

	/* ... which the user override then makes work */
	struct spiram_user_override user = { 0 };
	user.has_size = true;
	user.size = 4 * MIB;
	user.has_erase = true;
	user.erase[0] = (struct spiram_erase_type){ 4 * KIB, 0x20, 0, 0 };
	assert_int_equal(spiram_chip_merge(unknown, 3, NULL, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_true(cfg.used_user);
	assert_int_equal(cfg.flash.size, 4 * MIB);
	assert_int_equal(cfg.flash.read_opcode, 0x0b);
	assert_int_equal(cfg.flash.read_dummy, 8);
	assert_int_equal(cfg.flash.erase[0].max_time_us, 4000000);

	/* no chip at all */
	const uint8_t ones[3] = { 0xff, 0xff, 0xff }, zeros[3] = { 0, 0, 0 };
	assert_int_equal(spiram_chip_merge(ones, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_NO_CHIP);
	assert_non_null(strstr(msg, "ff ff ff"));
	assert_int_equal(spiram_chip_merge(zeros, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_NO_CHIP);
}

static void test_user_override(void **state)
{
	(void)state;
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config cfg;
	struct spiram_user_override user;
	char msg[512];
	const uint8_t mx[3] = { 0xc2, 0x20, 0x19 }, jv[3] = { 0xef, 0x40, 0x18 };

	load("mx25l25645g_c22019", &sfdp);

	/* -single */
	memset(&user, 0, sizeof(user));
	user.read_pref = SPIRAM_READ_PREF_SINGLE;
	assert_int_equal(spiram_chip_merge(mx, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.flash.read_opcode, 0x0b);
	assert_int_equal(cfg.flash.read_opcode_4b, 0x0c);
	assert_int_equal(cfg.flash.read_dummy, 8);
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_NONE);	/* quad not used: QE left alone */

	/* -dual: Macronix 1-2-2 is 0 mode + 4 wait */
	user.read_pref = SPIRAM_READ_PREF_DUAL;
	assert_int_equal(spiram_chip_merge(mx, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.flash.read_opcode, 0xbb);
	assert_int_equal(cfg.flash.read_opcode_4b, 0xbc);
	assert_int_equal(cfg.flash.read_dummy, 4);

	/* -3byte on a 32 MiB chip: low 16 MiB only */
	memset(&user, 0, sizeof(user));
	user.addr_pref = SPIRAM_ADDR_PREF_3B;
	assert_int_equal(spiram_chip_merge(mx, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.flash.addr_mode, SPIRAM_ADDR_3B);
	assert_int_equal(cfg.flash.size, 16 * MIB);
	assert_int_equal(cfg.flash.program_opcode_4b, 0);

	/* W25Q128JV: 32h 1-1-4 page program only with a quad read (-single,
	 * and every single-line controller, keep 02h 1-1-1; -dual too) */
	load("w25q128jv", &sfdp);
	const uint32_t prefs[3] = { SPIRAM_READ_PREF_AUTO, SPIRAM_READ_PREF_SINGLE, SPIRAM_READ_PREF_DUAL };
	for (unsigned int i = 0; i < 3; i++) {
		memset(&user, 0, sizeof(user));
		user.read_pref = prefs[i];
		assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), 0);
		assert_int_equal(cfg.flash.program_opcode, i ? 0x02 : 0x32);
		assert_int_equal(cfg.flash.program_proto, i ? SPIRAM_PROTO(1, 1, 1) : SPIRAM_PROTO(1, 1, 4));
		assert_int_equal(cfg.flash.qe_method, i ? SPIRAM_QE_NONE : SPIRAM_QE_SR2_BIT1_WRSR2);
	}

	/* -4byte on a 16 MiB 3-byte-only chip: impossible, says so */
	memset(&user, 0, sizeof(user));
	user.addr_pref = SPIRAM_ADDR_PREF_4B;
	assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_UNSUPPORTED);
	assert_non_null(strstr(msg, "-3byte"));

	/* set: size, page, erase map, read, chip erase override SFDP */
	memset(&user, 0, sizeof(user));
	user.has_size = true;
	user.size = 8 * MIB;
	user.has_page_size = true;
	user.page_size = 512;
	user.has_erase = true;
	user.erase[0] = (struct spiram_erase_type){ 64 * KIB, 0xd8, 0, 1000 };
	user.has_read = true;
	user.read_opcode = 0x03;
	user.read_dummy = 0;
	user.has_chip_erase = true;
	user.chip_erase_opcode = 0x60;
	assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), 0);
	assert_int_equal(cfg.flash.size, 8 * MIB);
	assert_int_equal(cfg.flash.page_size, 512);
	assert_int_equal(cfg.sector_size, 64 * KIB);
	assert_int_equal(cfg.flash.erase[0].max_time_us, 1000);
	assert_int_equal(cfg.flash.erase[1].size, 0);
	assert_int_equal(cfg.flash.read_opcode, 0x03);
	assert_int_equal(cfg.flash.read_dummy, 0);
	assert_int_equal(cfg.flash.read_proto, SPIRAM_PROTO(1, 1, 1));
	assert_int_equal(cfg.flash.chip_erase_opcode, 0x60);

	/* bad override: size not a power of two */
	user.size = 3 * MIB;
	assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_BAD_OVERRIDE);
	assert_non_null(strstr(msg, "size"));

	/* -chip NAME beats the ID */
	memset(&user, 0, sizeof(user));
	user.has_chip_name = true;
	strcpy(user.chip_name, "IS25LP064A");
	assert_int_equal(spiram_chip_merge(jv, 3, NULL, &user, &cfg, msg, sizeof(msg)), 0);
	assert_string_equal(cfg.name, "IS25LP064A");
	assert_int_equal(cfg.flash.size, 8 * MIB);
	assert_int_equal(cfg.chip_erase_max_ms, 460000);
	strcpy(user.chip_name, "NOPE");
	assert_int_equal(spiram_chip_merge(jv, 3, NULL, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_NO_SUCH_NAME);
}

/*
 * Found by the chip merge fuzzer (tests/fuzz/fuzz_chips.c), each an
 * invariant of a merged configuration that did not hold.
 */
/* Micron has no QE bit: its quad lines always work, so a quad read brings
 * the 1-1-4 page program with it (32h; 34h in 4-byte opcode mode, from
 * the table since the MT25QL512A's SFDP 1.0 has no 4BAIT); -single and
 * -dual keep 02h / 12h */
static void test_micron_quad_program(void **state)
{
	(void)state;
	struct spiram_chip_config cfg;
	struct spiram_user_override user;
	char msg[512];
	const uint8_t n25q[3] = { 0x20, 0xba, 0x18 }, mt25q[3] = { 0x20, 0xba, 0x20 };

	assert_int_equal(spiram_chip_merge(n25q, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_string_equal(cfg.name, "N25Q128A");
	assert_int_equal(cfg.flash.read_proto, SPIRAM_PROTO(1, 4, 4));
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_NONE);
	assert_int_equal(cfg.flash.program_opcode, 0x32);
	assert_int_equal(cfg.flash.program_proto, SPIRAM_PROTO(1, 1, 4));

	assert_int_equal(spiram_chip_merge(mt25q, 3, NULL, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_int_equal(cfg.flash.addr_mode, SPIRAM_ADDR_4B_OPCODES);
	assert_int_equal(cfg.flash.program_opcode, 0x32);
	assert_int_equal(cfg.flash.program_opcode_4b, 0x34);
	assert_int_equal(cfg.flash.program_proto, SPIRAM_PROTO(1, 1, 4));

	for (int pref = SPIRAM_READ_PREF_SINGLE; pref <= SPIRAM_READ_PREF_DUAL; pref++) {
		memset(&user, 0, sizeof(user));
		user.read_pref = pref;
		assert_int_equal(spiram_chip_merge(mt25q, 3, NULL, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
		assert_int_equal(cfg.flash.program_opcode_4b, 0x12);
		assert_int_equal(cfg.flash.program_proto, SPIRAM_PROTO(1, 1, 1));
	}
}

static void test_fuzz_findings(void **state)
{
	(void)state;
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config cfg;
	struct spiram_user_override user;
	char msg[512];
	const uint8_t jv[3] = { 0xef, 0x40, 0x18 }, mx[3] = { 0xc2, 0x20, 0x19 };

	/* QE follows the read in use, the user's `set read` included: a user
	 * 1-4-4 read with -single kept QE off (quad reads of garbage) ... */
	memset(&user, 0, sizeof(user));
	user.read_pref = SPIRAM_READ_PREF_SINGLE;
	user.has_read = true;
	user.read_opcode = 0xeb;
	user.read_dummy = 6;
	user.read_proto = SPIRAM_PROTO(1, 4, 4);
	assert_int_equal(spiram_chip_merge(jv, 3, NULL, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_int_equal(cfg.flash.read_proto, SPIRAM_PROTO(1, 4, 4));
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_SR2_BIT1_WRSR2);
	/* ... and a user 1-1-1 read over the automatic quad one left QE on
	 * (a needless write of a non-volatile status register) */
	user.read_pref = SPIRAM_READ_PREF_AUTO;
	user.read_opcode = 0x0b;
	user.read_dummy = 8;
	user.read_proto = SPIRAM_PROTO(1, 1, 1);
	assert_int_equal(spiram_chip_merge(jv, 3, NULL, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_int_equal(cfg.flash.read_proto, SPIRAM_PROTO(1, 1, 1));
	assert_int_equal(cfg.flash.qe_method, SPIRAM_QE_NONE);

	/* -3byte on a 32 MiB chip with a 32 MiB erase type: the type is larger
	 * than the 16 MiB that stay reachable, so it is dropped (it used to
	 * stay, erasing past the bank) */
	load("mx25l25645g_c22019", &sfdp);
	memset(&user, 0, sizeof(user));
	user.addr_pref = SPIRAM_ADDR_PREF_3B;
	user.has_erase = true;
	user.erase[0] = (struct spiram_erase_type){ 4 * KIB, 0x20, 0x21, 0 };
	user.erase[1] = (struct spiram_erase_type){ 32 * MIB, 0xc7, 0, 0 };
	assert_int_equal(spiram_chip_merge(mx, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_int_equal(cfg.flash.size, 16 * MIB);
	assert_int_equal(cfg.flash.erase[0].size, 4 * KIB);
	assert_int_equal(cfg.flash.erase[1].size, 0);
	assert_int_equal(cfg.sector_size, 4 * KIB);
	/* with nothing else left, the merge says what is missing */
	user.erase[0].size = 0;
	assert_int_equal(spiram_chip_merge(mx, 3, &sfdp, &user, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_ERR_INCOMPLETE);
	assert_non_null(strstr(msg, "erase"));

	/* an SFDP read mode of 7 mode + 31 wait clocks: more than the QUADSPI
	 * DCYC field (5 bits) holds, so the mode is not used */
	load("w25q128jv", &sfdp);
	sfdp.read[SPIRAM_SFDP_READ_1_4_4].mode_clocks = 7;
	sfdp.read[SPIRAM_SFDP_READ_1_4_4].wait_states = 31;
	sfdp.read[SPIRAM_SFDP_READ_1_1_4].wait_states = 31;	/* 0 + 31: still fine */
	assert_int_equal(spiram_chip_merge(jv, 3, &sfdp, NULL, &cfg, msg, sizeof(msg)), SPIRAM_CHIP_OK);
	assert_true(cfg.flash.read_dummy <= 31);
	assert_int_equal(cfg.flash.read_opcode, 0x6b);
	assert_int_equal(cfg.flash.read_proto, SPIRAM_PROTO(1, 1, 4));
	assert_int_equal(cfg.flash.read_dummy, 31);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_merge_every_dump),
		cmocka_unit_test(test_merge_pp_typ),
		cmocka_unit_test(test_fixups),
		cmocka_unit_test(test_fixups_describe),
		cmocka_unit_test(test_unknown_chips),
		cmocka_unit_test(test_user_override),
		cmocka_unit_test(test_micron_quad_program),
		cmocka_unit_test(test_fuzz_findings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
