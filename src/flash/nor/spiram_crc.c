// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_crc: CRC32, MSB first, polynomial 0x04C11DB7, the variant used by
 * OpenOCD's verify_image and by the stub.  Byte-wise table built on first
 * use; the table is a pure function of the polynomial, so a concurrent
 * first use at worst builds it twice with identical values.  Also the stub
 * image's self-check hash (spiram_contract.h).
 */

#include <stdbool.h>

#include "spiram_contract.h"
#include "spiram_crc.h"

static uint32_t spiram_crc32_table[256];
static bool spiram_crc32_table_ready;

static void spiram_crc32_build_table(void)
{
	for (uint32_t byte = 0; byte < 256; byte++) {
		uint32_t value = byte << 24;
		for (unsigned int bit = 0; bit < 8; bit++) {
			if (value & 0x80000000u)
				value = (value << 1) ^ SPIRAM_CRC32_POLY;
			else
				value <<= 1;
		}
		spiram_crc32_table[byte] = value;
	}
	spiram_crc32_table_ready = true;
}

uint32_t spiram_crc32_update(uint32_t crc, const uint8_t *buf, size_t len)
{
	if (!spiram_crc32_table_ready)
		spiram_crc32_build_table();

	for (size_t i = 0; i < len; i++)
		crc = (crc << 8) ^ spiram_crc32_table[((crc >> 24) ^ buf[i]) & 0xffu];
	return crc;
}

uint32_t spiram_crc32(const uint8_t *buf, size_t len)
{
	return spiram_crc32_update(SPIRAM_CRC32_INIT, buf, len);
}

uint32_t spiram_image_hash(const uint8_t *image, size_t len)
{
	uint32_t h = SPIRAM_IMAGE_HASH_INIT;

	for (size_t i = 0; i + 4 <= len; i += 4) {
		uint32_t word = image[i] | image[i + 1] << 8 | image[i + 2] << 16 | (uint32_t)image[i + 3] << 24;
		h = (h ^ word) * SPIRAM_IMAGE_HASH_PRIME;
	}
	return h;
}
