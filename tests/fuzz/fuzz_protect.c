// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the block protection planner and encoder
 * (spiram_protect).
 *
 * Input: scheme, chip size, current register values and a requested range
 * (raw, or rounded to 4 KiB / 64 KiB so that exact matches are common).
 *
 * Invariants:
 *  - decode of any register values gives a range inside the chip, and that
 *    range can be encoded again with those values as the current ones,
 *    decoding to the same range;
 *  - decode(encode(range)) == range for every range encode accepts, and
 *    encode changes no bit outside spiram_protect_mask() nor a one-time TB
 *    bit that is already set;
 *  - encode refuses with SPIRAM_PROTECT_ERR_INEXACT exactly when the
 *    nearest ranges are not the request itself, and those nearest ranges
 *    are inside / around the request and can themselves be encoded;
 *  - sector_state says 1 exactly for sectors that overlap the range;
 *  - messages are terminated, errors have one.
 */

#include <string.h>

#include "spiram_protect.h"
#include "fuzz_util.h"

#define KIB 1024u

static char msg[512];

static void check_same_empty(uint64_t s1, uint64_t e1, uint64_t s2, uint64_t e2, const char *what)
{
	bool same = (s1 == e1 && s2 == e2) || (s1 == s2 && e1 == e2);
	FUZZ_CHECK(same, "%s: 0x%llx..0x%llx vs 0x%llx..0x%llx", what, (unsigned long long)s1, (unsigned long long)e1,
			(unsigned long long)s2, (unsigned long long)e2);
}

/* Encode [start, end) against cur; if accepted, check what it wrote. */
static enum spiram_protect_error encode_and_check(enum spiram_protect_scheme scheme, uint64_t size, uint64_t start,
		uint64_t end, const struct spiram_protect_regs *cur)
{
	struct spiram_protect_regs out, mask;

	memset(msg, 0x55, sizeof(msg));
	enum spiram_protect_error e = spiram_protect_encode(scheme, size, start, end, cur, &out, msg, sizeof(msg));
	FUZZ_CHECK(memchr(msg, 0, sizeof(msg)), "message not terminated");
	if (e != SPIRAM_PROTECT_OK) {
		FUZZ_CHECK(msg[0] && msg[0] != 0x55, "error %d without a message", e);
		FUZZ_CHECK(!memcmp(&out, cur, sizeof(out)), "registers changed on error");
		return e;
	}
	spiram_protect_mask(scheme, &mask);
	for (unsigned int i = 0; i < 3; i++)
		FUZZ_CHECK(!((out.sr[i] ^ cur->sr[i]) & ~mask.sr[i]), "SR%u bit outside the mask changed", i + 1);

	uint64_t s, t;
	e = spiram_protect_decode(scheme, size, out.sr[0], out.sr[1], out.sr[2], &s, &t);
	FUZZ_CHECK(e == SPIRAM_PROTECT_OK, "decode of encoded registers: %d", e);
	check_same_empty(start, end, s, t, "decode(encode(range))");
	return SPIRAM_PROTECT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { data, size };
	enum spiram_protect_scheme scheme = (enum spiram_protect_scheme)(fuzz_u8(&r) % (SPIRAM_PROTECT_SCHEME_COUNT + 1));
	uint8_t size_sel = fuzz_u8(&r);
	uint64_t chip = size_sel & 0x80 ? fuzz_u64(&r) : (uint64_t)1 << (size_sel % 33);
	struct spiram_protect_regs cur = { { fuzz_u8(&r), fuzz_u8(&r), fuzz_u8(&r) } };
	uint8_t range_sel = fuzz_u8(&r);
	uint64_t start = fuzz_u64(&r), end = fuzz_u64(&r);
	if (range_sel & 1) {
		/* on a 4 KiB or 64 KiB grid inside the chip, where exact ranges live */
		uint64_t unit = range_sel & 2 ? 64 * KIB : 4 * KIB;
		uint64_t units = chip / unit + 1;
		start = start % units * unit;
		end = end % units * unit;
		if (start > end) {
			uint64_t t = start;
			start = end;
			end = t;
		}
	}

	/* decode -> encode -> decode */
	uint64_t ds, de;
	enum spiram_protect_error e = spiram_protect_decode(scheme, chip, cur.sr[0], cur.sr[1], cur.sr[2], &ds, &de);
	if (e == SPIRAM_PROTECT_OK) {
		FUZZ_CHECK(ds <= de && de <= chip && (ds < de || (ds == 0 && de == 0)), "decoded 0x%llx..0x%llx",
				(unsigned long long)ds, (unsigned long long)de);
		FUZZ_CHECK(ds == 0 || de == chip, "decoded range touches neither end");
		e = encode_and_check(scheme, chip, ds, de, &cur);
		FUZZ_CHECK(e == SPIRAM_PROTECT_OK, "decoded range cannot be encoded again: %s", msg);
	} else {
		FUZZ_CHECK(ds == 0 && de == 0, "range written on error");
	}

	/* the request */
	e = encode_and_check(scheme, chip, start, end, &cur);
	uint64_t in_s, in_e, out_s, out_e;
	enum spiram_protect_error ne = spiram_protect_nearest(scheme, chip, start, end, &cur, &in_s, &in_e, &out_s,
			&out_e);
	if (ne == SPIRAM_PROTECT_OK) {
		bool empty = start == end;
		FUZZ_CHECK(in_s == in_e || (in_s >= start && in_e <= end), "nearest inside is not inside");
		/* around: empty when nothing expressible contains the request (a
		 * 4-BP scheme without CMP cannot protect more than 1 GiB) */
		FUZZ_CHECK(out_s == out_e || (!empty && out_s <= start && out_e >= end), "nearest around is not around");
		bool exact = empty ? in_s == in_e : (in_s == start && in_e == end);
		FUZZ_CHECK(exact == (e == SPIRAM_PROTECT_OK), "exact %d but encode %d", exact, e);
		FUZZ_CHECK(e == SPIRAM_PROTECT_OK || e == SPIRAM_PROTECT_ERR_INEXACT || e == SPIRAM_PROTECT_ERR_OTP,
				"encode %d where nearest works", e);
		FUZZ_CHECK(encode_and_check(scheme, chip, in_s, in_e, &cur) == SPIRAM_PROTECT_OK, "inside: %s", msg);
		if (out_s != out_e)
			FUZZ_CHECK(encode_and_check(scheme, chip, out_s, out_e, &cur) == SPIRAM_PROTECT_OK, "around: %s",
					msg);
	} else {
		FUZZ_CHECK(e == ne, "nearest %d, encode %d", ne, e);
	}

	/* sector flags */
	uint64_t sector = (uint64_t)4 * KIB << (range_sel >> 4);
	uint64_t offset = fuzz_u64(&r);
	if (chip < UINT64_MAX)
		offset %= chip + 1;
	int state = spiram_protect_sector_state(start, end, offset, sector);
	FUZZ_CHECK(state == (start < end && offset < end && (unsigned __int128)offset + sector > start),
			"sector state");
	FUZZ_CHECK(strlen(spiram_protect_scheme_name(scheme)) > 0, "scheme name");
	return 0;
}
