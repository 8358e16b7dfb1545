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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
