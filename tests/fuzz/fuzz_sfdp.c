// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the SFDP decoder (spiram_sfdp).  The input is the
 * SFDP address space as read from address 0.
 *
 * Invariants checked besides memory safety:
 *  - a successful decode describes a usable chip: SFDP major revision 1,
 *    a BFPT of major revision 1 with 9..20 DWORDs inside the buffer, a
 *    non-zero density, a power-of-two page size, erase types that are
 *    powers of two or unused, max times >= typical times;
 *  - spiram_sfdp_needed_len() agrees with the decoder: it never asks for
 *    more than a buffer that decodes holds, and the decoder gives the very
 *    same result from just the bytes it asked for (copied into a buffer of
 *    exactly that size, so a read past them is caught by ASan);
 *  - a decode from any prefix of the buffer fails or gives the same result;
 *  - every error has a message.
 */

#include <stdlib.h>
#include <string.h>

#include "spiram_sfdp.h"
#include "fuzz_util.h"

static void check_decoded(const struct spiram_sfdp_info *info, size_t len)
{
	FUZZ_CHECK(info->sfdp_major == 1, "major %u", info->sfdp_major);
	FUZZ_CHECK(info->bfpt_major == 1, "BFPT major %u", info->bfpt_major);
	FUZZ_CHECK(info->bfpt_dwords >= SPIRAM_SFDP_BFPT_MIN_DWORDS &&
			info->bfpt_dwords <= SPIRAM_SFDP_BFPT_MAX_DWORDS, "BFPT DWORDs %u", info->bfpt_dwords);
	FUZZ_CHECK((uint64_t)info->bfpt_ptr + 4u * info->bfpt_dwords <= len, "BFPT at 0x%x outside %zu bytes",
			info->bfpt_ptr, len);
	FUZZ_CHECK(info->size > 0, "zero density decoded as OK");
	FUZZ_CHECK(fuzz_is_pow2(info->page_size) && info->page_size <= 32768, "page size %u", info->page_size);
	FUZZ_CHECK(info->addr_bytes <= SPIRAM_SFDP_ADDR_RESERVED, "addr bytes %d", info->addr_bytes);
	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++) {
		const struct spiram_sfdp_erase *e = &info->erase[i];
		FUZZ_CHECK(!e->size || (fuzz_is_pow2(e->size) && e->size >= 2), "erase type %u size %u", i, e->size);
		FUZZ_CHECK(e->size || (!e->opcode && !e->opcode_4b && !e->typ_us && !e->max_us),
				"unused erase type %u has values", i);
		FUZZ_CHECK(e->max_us >= e->typ_us, "erase type %u max %u < typ %u", i, e->max_us, e->typ_us);
		FUZZ_CHECK(!e->opcode_4b || info->has_4bait, "4-byte erase opcode without a 4BAIT");
	}
	FUZZ_CHECK(info->pp_max_us >= info->pp_typ_us, "page program max < typ");
	FUZZ_CHECK(info->chip_erase_max_ms >= info->chip_erase_typ_ms, "chip erase max < typ");
	if (info->has_4bait)
		FUZZ_CHECK((uint64_t)info->bait_ptr + 8 <= len, "4BAIT outside the buffer");
	for (unsigned int i = 0; i < SPIRAM_SFDP_READ_COUNT; i++)
		FUZZ_CHECK(spiram_sfdp_read_dummy(&info->read[i]) <= 7 + 31, "read %u dummy", i);
	for (unsigned int bit = 0; bit < 13; bit++) {
		uint8_t op = spiram_sfdp_4b_opcode(info, 1u << bit);
		FUZZ_CHECK(!op || (info->has_4bait && (info->bait_dw1 & (1u << bit))), "4B opcode without its bit");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spiram_sfdp_info info, again;
	size_t needed = 0;

	enum spiram_sfdp_error err = spiram_sfdp_decode(data, size, &info);
	FUZZ_CHECK(strcmp(spiram_sfdp_strerror(err), "unknown SFDP error"), "error %d has no text", err);
	enum spiram_sfdp_error nerr = spiram_sfdp_needed_len(data, size, &needed);

	if (err != SPIRAM_SFDP_OK) {
		/* the decoder never gets further from a prefix */
		if (size > 0) {
			size_t cut = data[0] % size;
			uint8_t *prefix = malloc(cut ? cut : 1);
			memcpy(prefix, data, cut);
			FUZZ_CHECK(spiram_sfdp_decode(prefix, cut, &again) != SPIRAM_SFDP_OK,
					"prefix of %zu bytes decodes, the whole %zu bytes do not", cut, size);
			free(prefix);
		}
		return 0;
	}

	check_decoded(&info, size);
	FUZZ_CHECK(nerr == SPIRAM_SFDP_OK, "needed_len %d on a buffer that decodes", nerr);
	FUZZ_CHECK(needed <= size, "needed %zu > %zu bytes that decode", needed, size);

	/* exactly the bytes needed_len asks for decode to the same result */
	uint8_t *copy = malloc(needed);
	memcpy(copy, data, needed);
	err = spiram_sfdp_decode(copy, needed, &again);
	FUZZ_CHECK(err == SPIRAM_SFDP_OK, "decode of the %zu needed bytes: %s", needed, spiram_sfdp_strerror(err));
	FUZZ_CHECK(!memcmp(&info, &again, sizeof(info)), "decode of the needed bytes differs");
	/* and one byte less than the tables it reads is refused */
	if (needed > 8) {
		err = spiram_sfdp_decode(copy, needed - 1, &again);
		FUZZ_CHECK(err != SPIRAM_SFDP_OK, "decode OK with %zu of %zu needed bytes", needed - 1, needed);
	}
	free(copy);
	return 0;
}
