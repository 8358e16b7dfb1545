/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_crc: CRC32 exactly as OpenOCD's image_calculate_checksum() and
 * the stub compute it: polynomial 0x04C11DB7, MSB first, no reflection,
 * initial value 0xffffffff, no final xor.
 *
 * Incremental: crc = spiram_crc32_update(crc, chunk) over the chunks in
 * order gives the same value as one call over the whole buffer.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_CRC_H
#define OPENOCD_FLASH_NOR_SPIRAM_CRC_H

#include <stddef.h>
#include <stdint.h>

#define SPIRAM_CRC32_INIT		0xffffffffu
#define SPIRAM_CRC32_POLY		0x04c11db7u

/* Continue a CRC over len bytes. */
uint32_t spiram_crc32_update(uint32_t crc, const uint8_t *buf, size_t len);

/* One shot: spiram_crc32_update(SPIRAM_CRC32_INIT, buf, len). */
uint32_t spiram_crc32(const uint8_t *buf, size_t len);

/*
 * The stub image's self-check value (spiram_contract.h, params.image_hash)
 * of the len bytes (a multiple of 4) uploaded: FNV-1a over little-endian
 * words.
 */
uint32_t spiram_image_hash(const uint8_t *image, size_t len);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_CRC_H */
