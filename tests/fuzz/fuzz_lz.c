// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the compressed read stream decoder (spiram_lz),
 * which parses what the stub sends over the debug link.
 *
 * Mode 0 (first byte even), round trip: the rest of the input is cut in
 * blocks and made into frames as the stub makes them (LZ4 with liblz4's
 * compressor when smaller, else stored), then fed to the decoder in pieces
 * of sizes taken from the input.  The output must be the input data, every
 * byte of the stream consumed.
 *
 * Mode 1 (first byte odd): arbitrary bytes are decoded, whole and then in
 * two pieces.  The decoder must never read past its input nor write past
 * its output (both in heap buffers of exactly their size), consume only
 * whole frames (a multiple of 4 bytes), never report more output than
 * asked, and on an error leave the output count at a block boundary.
 */

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <lz4.h>

#include "spiram_contract.h"
#include "spiram_lz.h"
#include "fuzz_util.h"

static void round_trip(struct fuzz_reader *r)
{
	uint8_t flags = fuzz_u8(r);
	uint32_t block = 4 * (1 + (flags >> 1) % 64);
	bool linked = flags & 1;	/* each block's matches may reach into the one before */
	uint32_t piece = 1 + fuzz_u8(r) % 97;
	const uint8_t *data = r->data;
	size_t len = r->size;
	size_t blocks = (len + block - 1) / block;
	uint8_t *stream = malloc(len + 8 * blocks + 1), *out = malloc(len ? len : 1);
	size_t slen = 0;
	LZ4_stream_t *st = LZ4_createStream();

	for (size_t done = 0; done < len; done += block) {
		size_t n = len - done < block ? len - done : block;
		LZ4_resetStream_fast(st);
		if (linked && done)
			LZ4_loadDict(st, (const char *)data + done - block, (int)block);
		int c = LZ4_compress_fast_continue(st, (const char *)data + done, (char *)stream + slen + 4, (int)n,
				(int)n - 1, 1);
		uint32_t word = c > 0 ? SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_LZ4, c) : SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_STORED, n);
		if (c <= 0) {
			memcpy(stream + slen + 4, data + done, n);
			c = (int)n;
		}
		for (int i = 0; i < 4; i++)
			stream[slen + i] = word >> (8 * i);
		while (c & 3)
			stream[slen + 4 + c++] = 0;
		slen += 4 + c;
	}
	size_t used_total = 0, avail = 0, done = 0;
	while (done < len) {
		avail = avail + piece < slen ? avail + piece : slen;
		size_t used;
		enum spiram_lz_error e = spiram_lz_decode(stream + used_total, avail - used_total, &used, out, len,
				&done, block, linked ? block : 0);
		FUZZ_CHECK(e == SPIRAM_LZ_OK, "round trip: %s at %zu", spiram_lz_error_text(e), done);
		used_total += used;
		FUZZ_CHECK(avail < slen || done == len, "whole stream decoded to %zu of %zu bytes", done, len);
	}
	FUZZ_CHECK(used_total == slen, "consumed %zu of %zu stream bytes", used_total, slen);
	FUZZ_CHECK(!len || !memcmp(out, data, len), "round trip differs");
	LZ4_freeStream(st);
	free(stream);
	free(out);
}

static void decode_any(struct fuzz_reader *r)
{
	uint32_t block = 4 * (1 + fuzz_u8(r) % 64);
	size_t out_len = 1 + fuzz_u8(r) * 16u + fuzz_u8(r);
	size_t cut = fuzz_u8(r);
	uint8_t *in = malloc(r->size ? r->size : 1), *out = malloc(out_len);
	memcpy(in, r->data, r->size);

	size_t done = 0, used = 0;
	enum spiram_lz_error e = spiram_lz_decode(in, r->size, &used, out, out_len, &done, block, 0);
	FUZZ_CHECK(strcmp(spiram_lz_error_text(e), "unknown error"), "error %d has no text", e);
	FUZZ_CHECK(used <= r->size && used % 4 == 0, "consumed %zu of %zu", used, r->size);
	FUZZ_CHECK(done <= out_len && (done == out_len || done % block == 0), "output %zu of %zu, block %u", done,
			out_len, block);

	/* in two pieces: the same result */
	size_t done2 = 0, used2 = 0, first = cut < r->size ? cut : r->size;
	enum spiram_lz_error e2 = spiram_lz_decode(in, first, &used2, out, out_len, &done2, block, 0);
	if (e2 == SPIRAM_LZ_OK) {
		size_t more;
		e2 = spiram_lz_decode(in + used2, r->size - used2, &more, out, out_len, &done2, block, 0);
		used2 += more;
	}
	FUZZ_CHECK(e2 == e && done2 == done && used2 == used, "in two pieces: %s %zu %zu, whole: %s %zu %zu",
			spiram_lz_error_text(e2), done2, used2, spiram_lz_error_text(e), done, used);
	free(in);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { data, size };

	if (fuzz_u8(&r) & 1)
		decode_any(&r);
	else
		round_trip(&r);
	return 0;
}
