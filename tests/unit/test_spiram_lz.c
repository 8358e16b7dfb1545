// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_lz.c, the host's decoder of the compressed read
 * stream: round trips of random, blank, repetitive and firmware-like data
 * (frames made here with liblz4's compressor and stored frames, as the
 * stub makes them), fed whole and a byte at a time; and corrupt and
 * truncated streams, which must give an error or wait for more, never
 * bytes that differ from the data.
 */

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <lz4.h>

#include "spiram_contract.h"
#include "spiram_lz.h"
#include "spiram_stream.h"

#define BLOCK	4096u

/* Frames of data as the stub sends them: LZ4 when smaller, else stored. */
static size_t make_stream(const uint8_t *data, size_t len, uint8_t *out)
{
	size_t pos = 0;
	for (size_t done = 0; done < len; done += BLOCK) {
		size_t n = len - done < BLOCK ? len - done : BLOCK;
		int c = LZ4_compress_default((const char *)data + done, (char *)out + pos + 4, (int)n, (int)n - 1);
		uint32_t word;
		if (c > 0) {
			word = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_LZ4, c);
		} else {
			memcpy(out + pos + 4, data + done, n);
			c = (int)n;
			word = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_STORED, n);
		}
		memcpy(out + pos, &word, 4);	/* the host running the tests is little endian */
		while (c & 3)
			out[pos + 4 + c++] = 0;
		pos += 4 + c;
	}
	return pos;
}

static void fill(uint8_t *d, size_t len, int kind)
{
	uint32_t x = 12345;
	for (size_t i = 0; i < len; i++) {
		x = x * 1103515245u + 12345u;
		switch (kind) {
		case 0:	/* random */
			d[i] = x >> 16;
			break;
		case 1:	/* blank */
			d[i] = 0xff;
			break;
		case 2:	/* repetitive */
			d[i] = "spiram_loader "[i % 14];
			break;
		default:	/* firmware-like: Thumb-ish words, tables, runs of zero */
			d[i] = (i % 512) < 64 ? 0 : (i & 1) ? (uint8_t)(0x40 + ((x >> 20) & 7)) : (uint8_t)(x >> 24);
			break;
		}
	}
}

static void round_trip(int kind, size_t len, bool bytewise)
{
	uint8_t *data = malloc(len), *stream = malloc(len + len / 8 + 64), *out = malloc(len);
	fill(data, len, kind);
	size_t slen = make_stream(data, len, stream), done = 0, used = 0, avail = bytewise ? 0 : slen;
	if (kind == 1 || kind == 2)
		assert_true(slen < len / 20);
	if (kind == 0)
		assert_true(slen <= len + 8 * ((len + BLOCK - 1) / BLOCK));	/* header and padding */
	while (done < len) {
		size_t u;
		assert_int_equal(spiram_lz_decode(stream + used, avail - used, &u, out, len, &done, BLOCK, 0), SPIRAM_LZ_OK);
		used += u;
		if (avail == slen)
			break;
		avail++;
	}
	assert_int_equal(done, len);
	assert_int_equal(used, slen);
	assert_memory_equal(out, data, len);
	free(data);
	free(stream);
	free(out);
}

static void test_round_trips(void **state)
{
	(void)state;
	for (int kind = 0; kind < 4; kind++) {
		round_trip(kind, 64 * 1024, false);
		round_trip(kind, 3 * BLOCK + 0x123, false);	/* a short last block */
		round_trip(kind, 2 * BLOCK + 5, true);		/* fed a byte at a time */
	}
}

/* Every corruption of a small stream: an error, or bytes equal to the data
 * (a flipped bit inside a literal cannot be seen by the format: the CRC
 * pass of a verify is what catches that), never a write past out. */
static void test_corrupt_and_truncated(void **state)
{
	(void)state;
	const size_t len = 2 * BLOCK;
	uint8_t data[2 * BLOCK], stream[3 * BLOCK], bad[3 * BLOCK], out[2 * BLOCK + 16];
	fill(data, len, 2);
	size_t slen = make_stream(data, len, stream);

	/* truncated: waits for more (OK, fewer bytes), never reports them done */
	for (size_t cut = 0; cut < slen; cut++) {
		size_t done = 0, used = 0;
		assert_int_equal(spiram_lz_decode(stream, cut, &used, out, len, &done, BLOCK, 0), SPIRAM_LZ_OK);
		assert_true(done < len);
		assert_true(used <= cut);
	}
	/* unknown kind, stored length that is not the block's, padding */
	memcpy(bad, stream, slen);
	bad[3] = 7;
	size_t done = 0, used;
	assert_int_equal(spiram_lz_decode(bad, slen, &used, out, len, &done, BLOCK, 0), SPIRAM_LZ_ERR_KIND);
	assert_int_equal(done, 0);
	uint32_t w = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_STORED, BLOCK - 4);
	memcpy(bad, &w, 4);
	assert_int_equal(spiram_lz_decode(bad, slen, &used, out, len, &done, BLOCK, 0), SPIRAM_LZ_ERR_LENGTH);
	w = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_LZ4, BLOCK);
	memcpy(bad, &w, 4);
	assert_int_equal(spiram_lz_decode(bad, slen, &used, out, len, &done, BLOCK, 0), SPIRAM_LZ_ERR_LENGTH);

	/* every byte of the first frame's payload flipped in turn */
	uint32_t first;
	memcpy(&first, stream, 4);
	size_t plen = SPIRAM_LZ_FRAME_LEN(first);
	for (size_t i = 4; i < 4 + ((plen + 3) & ~(size_t)3); i++) {
		memcpy(bad, stream, slen);
		bad[i] ^= 0xa5;
		memset(out, 0x5a, sizeof(out));
		done = 0;
		enum spiram_lz_error e = spiram_lz_decode(bad, slen, &used, out, len, &done, BLOCK, 0);
		if (e == SPIRAM_LZ_OK)
			assert_int_equal(done, len);
		else
			assert_int_equal(done, 0);
		for (size_t k = len; k < sizeof(out); k++)
			assert_int_equal(out[k], 0x5a);
	}
	assert_string_equal(spiram_lz_error_text(SPIRAM_LZ_ERR_CORRUPT), "LZ4 block does not expand to its block");
}

/* PROGRAM_LZ payloads (the write side): the word n, then a block that
 * liblz4's own decoder expands to exactly the data; the frame carrying it
 * decodes back to the same payload; data that does not save an eighth is
 * refused (0), as are lengths of 0 and above SPIRAM_FRAME_MAX_DATA. */
static void test_write_payload(void **state)
{
	(void)state;
	static uint8_t data[SPIRAM_FRAME_MAX_DATA + 1], pay[SPIRAM_LZ_WRITE_PAYLOAD_MAX], out[SPIRAM_FRAME_MAX_DATA];
	static uint8_t stream[2 * SPIRAM_FRAME_MAX_DATA];
	const size_t lens[] = { 1, 16, 100, 256, 1000, SPIRAM_FRAME_MAX_DATA };
	struct spiram_lz_writer *w = spiram_lz_writer_new();
	assert_non_null(w);
	for (int kind = 0; kind < 4; kind++) {
		fill(data, sizeof(data), kind);
		for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			uint32_t n = (uint32_t)lens[i];
			spiram_lz_writer_reset(w, SPIRAM_WRITE_LZ_SCRATCH);
			size_t c = spiram_lz_write_payload(w, data, n, pay);
			if (kind == 0 || n < 16) {	/* random, or too short to save */
				assert_int_equal(c, 0);
				continue;
			}
			/* blank data always saves, repetitive data once it repeats
			 * (the 14-byte pattern); the firmware-like pattern only
			 * where its runs of zeros outweigh its noise */
			if (kind == 1 || (kind == 2 && n >= 100))
				assert_true(c > 4 && c < 64);
			if (!c)
				continue;
			assert_true(c <= n - n / 8);
			assert_int_equal(pay[0] | pay[1] << 8 | pay[2] << 16 | (uint32_t)pay[3] << 24, n);
			assert_int_equal(LZ4_decompress_safe((const char *)pay + 4, (char *)out, (int)c - 4, (int)n), (int)n);
			assert_memory_equal(out, data, n);

			size_t pos = 0;
			assert_int_equal(spiram_stream_put_frame(stream, sizeof(stream), &pos, SPIRAM_FRAME_PROGRAM_LZ,
					0x1234, (uint32_t)c, pay), SPIRAM_STREAM_OK);
			assert_int_equal(pos, spiram_stream_frame_size(SPIRAM_FRAME_PROGRAM_LZ, (uint32_t)c));
			struct spiram_frame f;
			const uint8_t *payload;
			size_t at = 0;
			assert_int_equal(spiram_stream_decode(stream, pos, &at, &f, &payload), SPIRAM_STREAM_OK);
			assert_int_equal(f.type, SPIRAM_FRAME_PROGRAM_LZ);
			assert_int_equal(f.addr, 0x1234);
			assert_int_equal(f.len, c);
			assert_memory_equal(payload, pay, c);
		}
	}
	fill(data, sizeof(data), 1);
	assert_int_equal(spiram_lz_write_payload(w, data, 0, pay), 0);
	assert_int_equal(spiram_lz_write_payload(w, data, SPIRAM_FRAME_MAX_DATA + 1, pay), 0);

	/* linked blocks: frames of repetitive text, one after the other, each
	 * expanded by liblz4 with the bytes the stub's window holds before it
	 * as its dictionary (spiram_contract.h: the smallest buffer's window
	 * of 12 KiB slides to its last 6 KiB before the fourth 4 KiB frame;
	 * liblz4's safe decoder refuses a match that reaches before its
	 * dictionary); a random frame in between goes as it is and is no part
	 * of the history */
	static uint8_t text[6 * SPIRAM_FRAME_MAX_DATA], outbuf[SPIRAM_FRAME_MAX_DATA];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "erase, program and verify the external flash "[i % 45] ^ (uint8_t)(i / 3001);
	const uint32_t window = SPIRAM_WRITE_LZ_WINDOW(SPIRAM_WRITE_LZ_SCRATCH);
	assert_int_equal(window, 12 * 1024);
	assert_int_equal(SPIRAM_WRITE_LZ_KEEP(window), 6 * 1024);
	spiram_lz_writer_reset(w, SPIRAM_WRITE_LZ_SCRATCH);
	size_t hist = 0;	/* the history is text[f * 4096 - hist, f * 4096) */
	for (size_t f = 0; f < 6; f++) {
		const uint8_t *src = text + f * SPIRAM_FRAME_MAX_DATA;
		if (f == 3) {
			uint8_t noise[600];
			fill(noise, sizeof(noise), 0);
			assert_int_equal(spiram_lz_write_payload(w, noise, sizeof(noise), pay), 0);
		}
		size_t c = spiram_lz_write_payload(w, src, SPIRAM_FRAME_MAX_DATA, pay);
		assert_true(c > 4);
		if (hist + SPIRAM_FRAME_MAX_DATA > window)
			hist = SPIRAM_WRITE_LZ_KEEP(window);
		assert_int_equal(LZ4_decompress_safe_usingDict((const char *)pay + 4, (char *)outbuf, (int)c - 4,
				SPIRAM_FRAME_MAX_DATA, (const char *)src - hist, (int)hist), SPIRAM_FRAME_MAX_DATA);
		assert_memory_equal(outbuf, src, SPIRAM_FRAME_MAX_DATA);
		hist += SPIRAM_FRAME_MAX_DATA;
	}
	spiram_lz_writer_free(w);
}

/*
 * Blocks compressed ahead of time by one writer, then taken over by a
 * second one that only accounts for them (spiram_lz_writer_took): what the
 * second compresses next is byte for byte what the first one would, on
 * either side of a window slide, and a block the first refused (0) is no
 * part of either history.
 */
static void test_writer_took(void **state)
{
	(void)state;
	static uint8_t text[8 * SPIRAM_FRAME_MAX_DATA], noise[SPIRAM_FRAME_MAX_DATA];
	static uint8_t pay_a[SPIRAM_LZ_WRITE_PAYLOAD_MAX], pay_b[SPIRAM_LZ_WRITE_PAYLOAD_MAX];
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "keep what was not written, skip what is unchanged "[i % 50] ^ (uint8_t)(i / 2999);
	fill(noise, sizeof(noise), 0);
	struct spiram_lz_writer *a = spiram_lz_writer_new(), *b = spiram_lz_writer_new();
	assert_non_null(a);
	assert_non_null(b);
	for (uint32_t handover = 1; handover < 8; handover++) {
		spiram_lz_writer_reset(a, SPIRAM_WRITE_LZ_SCRATCH);
		spiram_lz_writer_reset(b, SPIRAM_WRITE_LZ_SCRATCH);
		for (uint32_t f = 0; f < 8; f++) {
			const uint8_t *src = text + f * SPIRAM_FRAME_MAX_DATA;
			if (f == 2) {
				assert_int_equal(spiram_lz_write_payload(a, noise, sizeof(noise), pay_a), 0);
				if (f >= handover)
					assert_int_equal(spiram_lz_write_payload(b, noise, sizeof(noise), pay_b), 0);
			}
			size_t ca = spiram_lz_write_payload(a, src, SPIRAM_FRAME_MAX_DATA, pay_a);
			assert_true(ca > 4);
			if (f < handover) {
				spiram_lz_writer_took(b, src, SPIRAM_FRAME_MAX_DATA);
				continue;
			}
			size_t cb = spiram_lz_write_payload(b, src, SPIRAM_FRAME_MAX_DATA, pay_b);
			assert_int_equal(cb, ca);
			assert_memory_equal(pay_b, pay_a, ca);
		}
	}
	/* without the accounting the history differs: so does the block */
	spiram_lz_writer_reset(a, SPIRAM_WRITE_LZ_SCRATCH);
	spiram_lz_writer_reset(b, SPIRAM_WRITE_LZ_SCRATCH);
	assert_true(spiram_lz_write_payload(a, text, SPIRAM_FRAME_MAX_DATA, pay_a) > 4);
	size_t ca = spiram_lz_write_payload(a, text + SPIRAM_FRAME_MAX_DATA, SPIRAM_FRAME_MAX_DATA, pay_a);
	size_t cb = spiram_lz_write_payload(b, text + SPIRAM_FRAME_MAX_DATA, SPIRAM_FRAME_MAX_DATA, pay_b);
	assert_true(ca < cb);
	spiram_lz_writer_free(a);
	spiram_lz_writer_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_corrupt_and_truncated),
		cmocka_unit_test(test_write_payload),
		cmocka_unit_test(test_writer_took),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
