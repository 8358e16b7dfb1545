// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the stub's LZ4 block expander (stub/stub_lz_expand.c,
 * built here for the host), checked against liblz4's own decoder.
 *
 * The first two input bytes give out_len (0..4096, as a PROGRAM_LZ frame's
 * length word allows), the rest is the block.  Mode by the third byte:
 *  - even: the rest is compressed first with liblz4 (a valid block of that
 *    data, out_len = its length), so the expander must accept it and give
 *    the data back;
 *  - odd: arbitrary bytes.  Whenever LZ4_decompress_safe expands them to
 *    exactly out_len bytes, the stub's expander must accept them and give
 *    the same bytes.  It may accept more (blocks ending in a match, which
 *    liblz4 refuses), but never reads past the block nor writes past
 *    out_len (both in heap buffers of exactly their size).
 *  - odd with bit 1 set: the same with a history (a PROGRAM_LZ frame after
 *    others): the next byte times 16 bytes of the input are the history,
 *    right before the output in one heap buffer, against liblz4's
 *    LZ4_decompress_safe_usingDict; the history itself is never written.
 */

#include <stdlib.h>
#include <string.h>
#include <lz4.h>

#include "stub_lz_expand.h"
#include "fuzz_util.h"

#define MAX_OUT	4096

/*
 * Does the block hold a match with offset 0?  The LZ4 block format makes
 * that invalid and the stub refuses it, while liblz4's safe decoder may
 * still expand such a block (found by this harness: 00 00 00 ... expanded
 * to 16 bytes), so liblz4's acceptance says nothing there.
 */
static int has_zero_offset(const uint8_t *ip, uint32_t len)
{
	const uint8_t *end = ip + len;

	while (ip < end) {
		unsigned int token = *ip++;
		uint32_t lit = token >> 4;
		if (lit == 15) {
			uint8_t b;
			do {
				if (ip >= end)
					return 0;
				b = *ip++;
				lit += b;
			} while (b == 255);
		}
		if ((uint32_t)(end - ip) <= lit)
			return 0;	/* the last literals: no match follows */
		ip += lit;
		if (end - ip < 2)
			return 0;
		if (!(ip[0] | ip[1] << 8))
			return 1;
		ip += 2;
		if ((token & 15) == 15) {
			uint8_t b;
			do {
				if (ip >= end)
					return 0;
				b = *ip++;
			} while (b == 255);
		}
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	uint32_t out_len = (data[0] | data[1] << 8) % (MAX_OUT + 1);
	int valid = !(data[2] & 1), with_hist = (data[2] & 3) == 3;
	data += 3;
	size -= 3;
	uint32_t hist = 0;
	const uint8_t *hist_data = NULL;
	if (with_hist && size) {
		hist = (uint32_t)data[0] * 16;
		data++;
		size--;
		if (hist > size)
			hist = (uint32_t)size;
		hist_data = data;
		data += hist;
		size -= hist;
	}

	uint8_t *block, *out, *ref;
	uint32_t in_len;
	if (valid) {
		out_len = size < MAX_OUT ? (uint32_t)size : MAX_OUT;
		int cap = LZ4_compressBound((int)out_len);
		block = malloc(cap ? cap : 1);
		int c = LZ4_compress_default((const char *)data, (char *)block, (int)out_len, cap);
		FUZZ_CHECK(c > 0 || out_len == 0, "liblz4 could not compress %u bytes", out_len);
		in_len = c > 0 ? (uint32_t)c : 0;
	} else {
		in_len = (uint32_t)size;
		block = malloc(in_len ? in_len : 1);
		memcpy(block, data, in_len);
	}
	uint8_t *whole = malloc(hist + out_len ? hist + out_len : 1);
	if (hist)
		memcpy(whole, hist_data, hist);
	out = whole + hist;
	ref = malloc(out_len ? out_len : 1);

	int got = spiram_stub_lz4_expand(block, in_len, out, out_len, hist);
	FUZZ_CHECK(!hist || !memcmp(whole, hist_data, hist), "the history was written");
	/* the stub's way: a check that writes nothing, then steps of a page
	 * (256 bytes, the program loop's) that agree with the whole expansion */
	int checked = spiram_stub_lz4_check(block, in_len, out_len, hist);
	FUZZ_CHECK(!checked == !got, "the check (%d) and the expansion (%d) disagree", checked, got);
	if (!got) {
		uint8_t *steps = malloc(hist + out_len ? hist + out_len : 1);
		struct spiram_stub_lz4 z;
		memcpy(steps, whole, hist);
		spiram_stub_lz4_begin(&z, block, in_len, steps + hist, out_len, hist);
		for (uint32_t want = 256; ; want += 256) {
			uint32_t goal = want < out_len ? want : out_len;
			FUZZ_CHECK(!spiram_stub_lz4_run(&z, goal), "a step to %u refused a checked block", goal);
			FUZZ_CHECK(z.pos >= goal && z.pos <= out_len, "a step to %u ended at %u", goal, z.pos);
			if (goal == out_len)
				break;
		}
		FUZZ_CHECK(!memcmp(steps + hist, out, out_len), "the steps expand to other bytes");
		free(steps);
	}
	if (valid) {
		FUZZ_CHECK(got == 0, "a block liblz4 made (%u bytes) was refused", in_len);
		FUZZ_CHECK(!out_len || !memcmp(out, data, out_len), "a valid block expanded to other bytes");
	} else if (in_len) {
		int n = hist ? LZ4_decompress_safe_usingDict((const char *)block, (char *)ref, (int)in_len, (int)out_len,
				(const char *)hist_data, (int)hist)
			: LZ4_decompress_safe((const char *)block, (char *)ref, (int)in_len, (int)out_len);
		if (n >= 0 && (uint32_t)n == out_len && !has_zero_offset(block, in_len)) {
			FUZZ_CHECK(got == 0, "liblz4 expands the block to %u bytes, the stub refused it", out_len);
			FUZZ_CHECK(!out_len || !memcmp(out, ref, out_len), "the stub and liblz4 expand to other bytes");
		}
	}
	free(block);
	free(whole);
	free(ref);
	return 0;
}
