// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the chip merge (spiram_chips): JEDEC ID + SFDP +
 * user override -> the flash configuration the stub receives.
 *
 * Input: a selector byte, the ID (3 bytes, or a chip table index), a user
 * override shaped like what `spiram_loader set` and the bank options can
 * produce (sizes sometimes arbitrary, to reach the merge's own checks),
 * then SFDP bytes given to the real decoder.
 *
 * Invariants of a successful merge (the stub relies on each of them):
 *  - size, page size and every used erase size are powers of two, page and
 *    erase sizes fit the chip, at least one erase type, the sector size is
 *    the smallest erase size and divides the chip size;
 *  - 3-byte addressing only up to 16 MiB; with dedicated 4-byte opcodes,
 *    every used erase type, the read and the program have one;
 *  - read: 1-x-x lines only, x in {1, 2, 4}, dummy clocks 0..31 (the
 *    QUADSPI DCYC field is 5 bits); opcodes non-zero unless the user set
 *    them; a single-line preference gives a 1-1-1 read;
 *  - every max time non-zero; a name; the same inputs give the same result.
 * A failed merge always explains itself in msg.
 */

#include <string.h>

#include "spiram_chips.h"
#include "spiram_sfdp.h"
#include "fuzz_util.h"

#define SIXTEEN_MIB (16u * 1024u * 1024u)

static uint32_t fuzz_size(struct fuzz_reader *r, bool raw)
{
	uint32_t v = fuzz_u32(r);

	return raw ? v : 1u << (v % 32);
}

static void read_user(struct fuzz_reader *r, struct spiram_user_override *u)
{
	static const uint32_t protos[] = {
		SPIRAM_PROTO(1, 1, 1), SPIRAM_PROTO(1, 1, 2), SPIRAM_PROTO(1, 2, 2),
		SPIRAM_PROTO(1, 1, 4), SPIRAM_PROTO(1, 4, 4),
	};
	uint32_t which = fuzz_u32(r);
	bool raw = which & (1u << 31);

	memset(u, 0, sizeof(*u));
	u->has_size = which & 1;
	u->size = fuzz_size(r, raw);
	u->has_page_size = which & 2;
	u->page_size = fuzz_size(r, raw);
	u->has_erase = which & 4;
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		uint8_t b = fuzz_u8(r);
		u->erase[i].size = b & 0x80 ? 0 : raw ? fuzz_u32(r) : 1u << (b % 32);
		u->erase[i].opcode = fuzz_u8(r);
		u->erase[i].opcode_4b = fuzz_u8(r);
	}
	u->has_read = which & 8;
	u->read_opcode = fuzz_u8(r);
	u->read_dummy = fuzz_u8(r) % 32;
	u->read_proto = protos[fuzz_u8(r) % 5];
	u->has_program = which & 16;
	u->program_opcode = fuzz_u8(r);
	u->has_chip_erase = which & 32;
	u->chip_erase_opcode = fuzz_u8(r);
	u->has_qe = which & 64;
	u->qe_method = (enum spiram_qe_method)(fuzz_u8(r) % 4);
	u->read_pref = (enum spiram_read_pref)((which >> 8) % 4);
	u->addr_pref = (enum spiram_addr_pref)((which >> 10) % 3);
	if (which & 128) {
		size_t n = spiram_chip_table_count();
		uint8_t pick = fuzz_u8(r);
		u->has_chip_name = true;
		snprintf(u->chip_name, sizeof(u->chip_name), "%s", pick < n ? spiram_chip_table[pick].name : "no-such");
	}
}

static bool proto_lines_ok(uint32_t proto)
{
	unsigned int c = SPIRAM_PROTO_CMD(proto), a = SPIRAM_PROTO_ADDR(proto), d = SPIRAM_PROTO_DATA(proto);

	return c == 1 && (a == 1 || a == 2 || a == 4) && (d == 1 || d == 2 || d == 4) && d >= a;
}

static void check_config(const struct spiram_chip_config *c, const struct spiram_user_override *u)
{
	const struct spiram_flash_cfg *f = &c->flash;

	FUZZ_CHECK(fuzz_is_pow2(f->size), "size 0x%x", f->size);
	FUZZ_CHECK(fuzz_is_pow2(f->page_size) && f->page_size <= f->size, "page 0x%x size 0x%x", f->page_size,
			f->size);
	uint32_t smallest = 0;
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		const struct spiram_erase_type *e = &f->erase[i];
		if (!e->size)
			continue;
		FUZZ_CHECK(fuzz_is_pow2(e->size) && e->size <= f->size, "erase %u size 0x%x chip 0x%x", i, e->size,
				f->size);
		FUZZ_CHECK(e->max_time_us, "erase %u without max time", i);
		if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES)
			FUZZ_CHECK(e->opcode_4b, "erase %u without a 4-byte opcode in 4-byte opcode mode", i);
		if (!smallest || e->size < smallest)
			smallest = e->size;
	}
	FUZZ_CHECK(smallest, "no erase type");
	FUZZ_CHECK(c->sector_size == smallest, "sector 0x%x, smallest erase 0x%x", c->sector_size, smallest);
	FUZZ_CHECK(f->size % c->sector_size == 0, "sector 0x%x does not divide 0x%x", c->sector_size, f->size);

	FUZZ_CHECK(f->addr_mode <= SPIRAM_ADDR_4B_MODE, "addr mode %u", f->addr_mode);
	FUZZ_CHECK(f->addr_mode != SPIRAM_ADDR_3B || f->size <= SIXTEEN_MIB, "3-byte addressing for 0x%x bytes",
			f->size);
	if (f->addr_mode == SPIRAM_ADDR_4B_OPCODES) {
		FUZZ_CHECK(f->read_opcode_4b || u->has_read, "no 4-byte read opcode");
		FUZZ_CHECK(f->program_opcode_4b || u->has_program, "no 4-byte program opcode");
	}

	FUZZ_CHECK(proto_lines_ok(f->read_proto), "read lines 0x%x", f->read_proto);
	/* quad page program only with a quad read in use (so the four lines
	 * work: QE set, or a chip that needs none), and never over a user's
	 * own program opcode */
	FUZZ_CHECK(f->program_proto == SPIRAM_PROTO(1, 1, 1) || f->program_proto == SPIRAM_PROTO(1, 1, 4),
			"program lines 0x%x", f->program_proto);
	if (f->program_proto == SPIRAM_PROTO(1, 1, 4)) {
		FUZZ_CHECK(SPIRAM_PROTO_DATA(f->read_proto) == 4, "quad program with read 0x%x", f->read_proto);
		FUZZ_CHECK(!u->has_program, "quad program over the user's program opcode");
		FUZZ_CHECK(u->read_pref == SPIRAM_READ_PREF_AUTO || u->read_pref == SPIRAM_READ_PREF_QUAD,
				"quad program with read preference %u", u->read_pref);
	}
	FUZZ_CHECK(f->read_dummy <= 31, "read dummy %u clocks: more than QUADSPI DCYC holds", f->read_dummy);
	FUZZ_CHECK(f->read_opcode || u->has_read, "no read opcode");
	FUZZ_CHECK(f->program_opcode || u->has_program, "no program opcode");
	if (u->read_pref == SPIRAM_READ_PREF_SINGLE && !u->has_read)
		FUZZ_CHECK(f->read_proto == SPIRAM_PROTO(1, 1, 1), "single-line preference, read 0x%x", f->read_proto);
	FUZZ_CHECK(f->qe_method <= SPIRAM_QE_SR1_BIT6, "qe %u", f->qe_method);
	if (SPIRAM_PROTO_DATA(f->read_proto) != 4 && !u->has_qe)
		FUZZ_CHECK(f->qe_method == SPIRAM_QE_NONE, "QE set for a read without 4 data lines");

	FUZZ_CHECK(f->page_program_max_us && f->status_write_max_us && f->chip_erase_max_us && c->chip_erase_max_ms,
			"a max time is 0");
	FUZZ_CHECK(c->name[0] && memchr(c->name, 0, sizeof(c->name)), "name");
	FUZZ_CHECK(c->protect_scheme < SPIRAM_PROTECT_SCHEME_COUNT, "protect scheme %d", c->protect_scheme);
	FUZZ_CHECK(c->sr_count >= 1 && c->sr_count <= 3, "sr_count %u", c->sr_count);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { data, size };
	uint8_t sel = fuzz_u8(&r);
	uint8_t id[3] = { fuzz_u8(&r), fuzz_u8(&r), fuzz_u8(&r) };
	struct spiram_user_override user;
	struct spiram_sfdp_info sfdp;
	struct spiram_chip_config cfg, again;
	char msg[512], msg2[512];

	if (sel & 1) {
		/* an ID from the table, so the table entries meet odd SFDP */
		const struct spiram_chip_info *chip = &spiram_chip_table[id[0] % spiram_chip_table_count()];
		memcpy(id, chip->id, 3);
	}
	read_user(&r, &user);
	bool has_sfdp = (sel & 2) && spiram_sfdp_decode(r.data, r.size, &sfdp) == SPIRAM_SFDP_OK;

	enum spiram_chip_error e = spiram_chip_merge(id, 3, has_sfdp ? &sfdp : NULL, (sel & 4) ? &user : NULL, &cfg,
			msg, sizeof(msg));
	FUZZ_CHECK(memchr(msg, 0, sizeof(msg)), "message not terminated");
	if (e != SPIRAM_CHIP_OK) {
		FUZZ_CHECK(msg[0], "error %d without a message", e);
		return 0;
	}
	check_config(&cfg, (sel & 4) ? &user : &(struct spiram_user_override){ 0 });

	/* deterministic: no state kept between merges */
	e = spiram_chip_merge(id, 3, has_sfdp ? &sfdp : NULL, (sel & 4) ? &user : NULL, &again, msg2, sizeof(msg2));
	FUZZ_CHECK(e == SPIRAM_CHIP_OK && !memcmp(&cfg, &again, sizeof(cfg)), "second merge differs");
	return 0;
}
