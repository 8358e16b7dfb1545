// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_stream: frame layout byte by byte (little-endian
 * header, 0xFF padding to 4), splitting at SPIRAM_FRAME_MAX_DATA, END,
 * odd lengths 1 and 0x401, offsets crossing page lines, and decode of
 * everything encode produces.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_stream.h"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void test_single_byte_frame(void **state)
{
	(void)state;
	uint8_t buf[64];
	size_t pos = 0;
	const uint8_t data = 0x5a;

	memset(buf, 0xcc, sizeof(buf));
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0x123456, 1, &data), 0);
	assert_int_equal(pos, 16);
	const uint8_t want[16] = { 0x50, 0, 0, 0, 0x56, 0x34, 0x12, 0, 1, 0, 0, 0, 0x5a, 0xff, 0xff, 0xff };
	assert_memory_equal(buf, want, 16);
	assert_int_equal(buf[16], 0xcc);	/* nothing written past the frame */

	/* END is "!DNE" as a LE word: bytes 21 44 4E 45 */
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_END, 0, 0, NULL), 0);
	assert_int_equal(pos, 28);
	assert_memory_equal(buf + 16, "!DNE", 4);

	/* ERASE carries no data */
	assert_int_equal(spiram_stream_frame_size(SPIRAM_FRAME_ERASE, 65536), 12);
	assert_int_equal(spiram_stream_frame_size(SPIRAM_FRAME_PROGRAM, 4), 16);
	assert_int_equal(spiram_stream_frame_size(SPIRAM_FRAME_PROGRAM, 5), 20);
	assert_int_equal(spiram_stream_frame_size(SPIRAM_FRAME_PROGRAM_VERIFY, 0x401), 12 + 0x404);
}

static void test_put_errors(void **state)
{
	(void)state;
	uint8_t buf[64], data[8] = { 0 };
	size_t pos = 0;

	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0, 0, data),
			SPIRAM_STREAM_ERR_LEN);
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0,
			SPIRAM_FRAME_MAX_DATA + 1, data), SPIRAM_STREAM_ERR_LEN);
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, 0x99, 0, 0, NULL), SPIRAM_STREAM_ERR_TYPE);
	/* exactly fitting, then one byte short */
	pos = 64 - 16;
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0, 4, data), 0);
	assert_int_equal(pos, 64);
	pos = 64 - 15;
	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0, 4, data),
			SPIRAM_STREAM_ERR_SPACE);
	assert_int_equal(pos, 64 - 15);
}

/* Decode a built stream and check it reproduces the input. */
static void check_stream(const struct spiram_erase_cmd *erases, size_t ne, uint32_t addr, uint32_t len, bool verify)
{
	uint8_t *data = malloc(len ? len : 1);
	size_t size = spiram_stream_build_size(ne, addr, len);
	uint8_t *buf = malloc(size);
	size_t out_len;

	for (uint32_t i = 0; i < len; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	assert_int_equal(spiram_stream_build(erases, ne, addr, data, len, verify, buf, size, &out_len), 0);
	assert_int_equal(out_len, size);
	/* one byte less does not fit */
	assert_int_equal(spiram_stream_build(erases, ne, addr, data, len, verify, buf, size - 1, &out_len),
			SPIRAM_STREAM_ERR_SPACE);
	assert_int_equal(spiram_stream_build(erases, ne, addr, data, len, verify, buf, size, &out_len), 0);

	size_t pos = 0, erase_seen = 0;
	uint32_t next = addr;
	struct spiram_frame f;
	const uint8_t *payload;
	for (;;) {
		assert_int_equal(spiram_stream_decode(buf, out_len, &pos, &f, &payload), 0);
		assert_int_equal(pos % 4, 0);
		if (f.type == SPIRAM_FRAME_END)
			break;
		if (f.type == SPIRAM_FRAME_ERASE) {
			assert_int_equal(next, addr);	/* erases come first */
			assert_int_equal(f.addr, erases[erase_seen].addr);
			assert_int_equal(f.len, erases[erase_seen].size);
			assert_null(payload);
			erase_seen++;
			continue;
		}
		assert_int_equal(f.type, verify ? SPIRAM_FRAME_PROGRAM_VERIFY : SPIRAM_FRAME_PROGRAM);
		assert_int_equal(f.addr, next);
		assert_true(f.len >= 1 && f.len <= SPIRAM_FRAME_MAX_DATA);
		/* no frame crosses a SPIRAM_FRAME_MAX_DATA line, so no page straddles frames */
		assert_int_equal(f.addr / SPIRAM_FRAME_MAX_DATA, (f.addr + f.len - 1) / SPIRAM_FRAME_MAX_DATA);
		assert_memory_equal(payload, data + (f.addr - addr), f.len);
		next += f.len;
	}
	assert_int_equal(pos, out_len);	/* END is the last frame */
	assert_int_equal(erase_seen, ne);
	assert_int_equal(next, addr + len);
	free(buf);
	free(data);
}

static void test_build_and_decode(void **state)
{
	(void)state;
	const struct spiram_erase_cmd erases[] = { { 0x0000, 0x1000, 0 }, { 0x10000, 0x10000, 2 } };

	check_stream(NULL, 0, 0, 0, false);		/* only END */
	check_stream(NULL, 0, 0, 1, false);		/* one byte */
	check_stream(NULL, 0, 0xff, 1, true);		/* last byte of page 0 */
	check_stream(NULL, 0, 0xff, 2, false);		/* crossing a page line */
	check_stream(NULL, 0, 0, 0x401, false);		/* 1 KiB + 1 */
	check_stream(NULL, 0, 0xfff, 0x401, true);	/* 0x401 crossing a 4 KiB line: 1 + 0x400 */
	check_stream(erases, 2, 0x80, 3 * SPIRAM_FRAME_MAX_DATA + 5, false);
	check_stream(erases, 2, 0xffff00, 0x200, true);	/* crossing the 16 MiB line */
	check_stream(NULL, 0, 0x1fffffc, 4, false);	/* last word of a 32 MiB chip */
	for (uint32_t off = 0; off < 8; off++)
		for (uint32_t len = 1; len < 9; len++)
			check_stream(NULL, 0, 0x1000 - off, len, false);
}

static void test_split_exact(void **state)
{
	(void)state;
	static uint8_t data[0x2002], buf[0x3000];
	size_t out_len, pos = 0;
	struct spiram_frame f;
	const uint8_t *payload;

	/* 0x2002 bytes from 0xFFF: frames of 1, 0x1000, 0x1000, 1 */
	memset(data, 0xa5, sizeof(data));
	assert_int_equal(spiram_stream_build(NULL, 0, 0xfff, data, sizeof(data), false, buf, sizeof(buf), &out_len), 0);
	const uint32_t want_addr[4] = { 0xfff, 0x1000, 0x2000, 0x3000 };
	const uint32_t want_len[4] = { 1, 0x1000, 0x1000, 1 };
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(spiram_stream_decode(buf, out_len, &pos, &f, &payload), 0);
		assert_int_equal(f.addr, want_addr[i]);
		assert_int_equal(f.len, want_len[i]);
	}
	assert_int_equal(spiram_stream_decode(buf, out_len, &pos, &f, &payload), 0);
	assert_int_equal(f.type, SPIRAM_FRAME_END);
	assert_int_equal(out_len, 5 * 12 + 4 + 0x1000 + 0x1000 + 4);
	/* header words straight from the bytes */
	assert_int_equal(le32(buf + 16), SPIRAM_FRAME_PROGRAM);
	assert_int_equal(le32(buf + 20), 0x1000);
}

static void test_decode_errors(void **state)
{
	(void)state;
	uint8_t buf[32];
	size_t pos = 0;
	struct spiram_frame f;
	const uint8_t *payload;
	const uint8_t data[3] = { 1, 2, 3 };

	assert_int_equal(spiram_stream_put_frame(buf, sizeof(buf), &pos, SPIRAM_FRAME_PROGRAM, 0, 3, data), 0);
	/* header cut */
	pos = 0;
	assert_int_equal(spiram_stream_decode(buf, 11, &pos, &f, &payload), SPIRAM_STREAM_ERR_TRUNCATED);
	/* data cut */
	assert_int_equal(spiram_stream_decode(buf, 15, &pos, &f, &payload), SPIRAM_STREAM_ERR_TRUNCATED);
	/* padding not FF */
	buf[15] = 0x00;
	assert_int_equal(spiram_stream_decode(buf, 16, &pos, &f, &payload), SPIRAM_STREAM_ERR_PADDING);
	buf[15] = 0xff;
	assert_int_equal(spiram_stream_decode(buf, 16, &pos, &f, &payload), 0);
	assert_int_equal(pos, 16);
	/* unknown type */
	pos = 0;
	buf[0] = 0x51;
	assert_int_equal(spiram_stream_decode(buf, 16, &pos, &f, &payload), SPIRAM_STREAM_ERR_TYPE);
	/* program length 0 */
	buf[0] = 0x50;
	buf[8] = 0;
	assert_int_equal(spiram_stream_decode(buf, 16, &pos, &f, &payload), SPIRAM_STREAM_ERR_LEN);
	assert_int_equal(pos, 0);
}

/* A data range past 4 GiB would wrap to address 0: refused, found by the
 * stream fuzzer (tests/fuzz/fuzz_stream.c). */
static void test_build_range_wraps(void **state)
{
	(void)state;
	static uint8_t data[8192], buf[8192 + 64];
	size_t out_len = 99;

	/* ends exactly at 4 GiB: fine, the last frame holds the last byte */
	assert_int_equal(spiram_stream_build(NULL, 0, 0xfffff000u, data, 0x1000, false, buf, sizeof(buf), &out_len),
			SPIRAM_STREAM_OK);
	assert_int_equal(out_len, spiram_stream_build_size(0, 0xfffff000u, 0x1000));
	/* one byte more wraps */
	assert_int_equal(spiram_stream_build(NULL, 0, 0xfffff000u, data, 0x1001, false, buf, sizeof(buf), &out_len),
			SPIRAM_STREAM_ERR_RANGE);
	assert_int_equal(out_len, 0);
	assert_int_equal(spiram_stream_build(NULL, 0, 0xffffffffu, data, 2, true, buf, sizeof(buf), &out_len),
			SPIRAM_STREAM_ERR_RANGE);
	assert_string_not_equal(spiram_stream_strerror(SPIRAM_STREAM_ERR_RANGE), "unknown stream error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_byte_frame),
		cmocka_unit_test(test_put_errors),
		cmocka_unit_test(test_build_and_decode),
		cmocka_unit_test(test_split_exact),
		cmocka_unit_test(test_decode_errors),
		cmocka_unit_test(test_build_range_wraps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
