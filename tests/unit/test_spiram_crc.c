// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_crc.  Reference: a bit-at-a-time CRC written here
 * from the definition (MSB first, polynomial 0x04C11DB7, init 0xffffffff,
 * no reflection, no final xor), plus the published check value of that
 * variant (CRC-32/MPEG-2: "123456789" -> 0x0376E6E7).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_crc.h"

static uint32_t bitwise_crc(uint32_t crc, const uint8_t *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		for (int bit = 7; bit >= 0; bit--) {
			uint32_t in = (buf[i] >> bit) & 1;
			uint32_t top = crc >> 31;
			crc <<= 1;
			if (top ^ in)
				crc ^= 0x04c11db7u;
		}
	}
	return crc;
}

static void test_known_vectors(void **state)
{
	(void)state;
	const uint8_t check[] = "123456789";

	assert_int_equal(spiram_crc32(check, 9), 0x0376e6e7u);
	assert_int_equal(bitwise_crc(0xffffffffu, check, 9), 0x0376e6e7u);
	/* empty buffer: the initial value */
	assert_int_equal(spiram_crc32(check, 0), 0xffffffffu);
	/* one byte 0x00 and 0xFF */
	const uint8_t zero = 0, ones = 0xff;
	assert_int_equal(spiram_crc32(&zero, 1), bitwise_crc(0xffffffffu, &zero, 1));
	assert_int_equal(spiram_crc32(&ones, 1), bitwise_crc(0xffffffffu, &ones, 1));
	assert_int_not_equal(spiram_crc32(&zero, 1), spiram_crc32(&ones, 1));
}

/*
 * The stub image's self-check hash: FNV-1a a word at a time.  A word below
 * 0x100 is one FNV-1a byte step, so the published FNV-1a 32-bit values
 * apply: "" -> 0x811c9dc5, "a" -> 0xe40c292c.  The other three bytes of a
 * word count too, in little-endian order.
 */
static void test_image_hash(void **state)
{
	(void)state;
	const uint8_t a[4] = { 'a', 0, 0, 0 };
	const uint8_t a_hi[4] = { 0, 0, 0, 'a' };
	const uint8_t words[8] = { 0x78, 0x56, 0x34, 0x12, 0xef, 0xbe, 0xad, 0xde };

	assert_int_equal(spiram_image_hash(a, 0), 0x811c9dc5u);
	assert_int_equal(spiram_image_hash(a, 4), 0xe40c292cu);
	assert_int_not_equal(spiram_image_hash(a_hi, 4), 0xe40c292cu);
	uint32_t h = 0x811c9dc5u;
	h = (h ^ 0x12345678u) * 0x01000193u;
	h = (h ^ 0xdeadbeefu) * 0x01000193u;
	assert_int_equal(spiram_image_hash(words, 8), h);
}

static void test_against_bitwise(void **state)
{
	(void)state;
	static uint8_t buf[5000];
	uint32_t x = 12345;

	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	/* an erased flash image (all FF) and random data, odd lengths */
	static uint8_t erased[0x401];
	memset(erased, 0xff, sizeof(erased));
	assert_int_equal(spiram_crc32(erased, sizeof(erased)), bitwise_crc(0xffffffffu, erased, sizeof(erased)));
	const size_t lens[] = { 1, 2, 3, 4, 255, 256, 257, 0x401, 4096, 5000 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		assert_int_equal(spiram_crc32(buf, lens[i]), bitwise_crc(0xffffffffu, buf, lens[i]));
	/* other initial value (the stub's arg[0]) */
	assert_int_equal(spiram_crc32_update(0, buf, 100), bitwise_crc(0, buf, 100));
}

static void test_chunked(void **state)
{
	(void)state;
	static uint8_t buf[4099];

	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(i ^ (i >> 8));
	uint32_t whole = spiram_crc32(buf, sizeof(buf));
	const size_t chunks[] = { 1, 3, 4, 256, 1000, 4096 };
	for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		uint32_t crc = SPIRAM_CRC32_INIT;
		for (size_t off = 0; off < sizeof(buf); off += chunks[c]) {
			size_t n = sizeof(buf) - off < chunks[c] ? sizeof(buf) - off : chunks[c];
			crc = spiram_crc32_update(crc, buf + off, n);
		}
		assert_int_equal(crc, whole);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_against_bitwise),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_image_hash),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
