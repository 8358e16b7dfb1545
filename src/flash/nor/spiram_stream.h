/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_stream: encoder and decoder of the write stream frames defined in
 * spiram_contract.h (struct spiram_frame).
 *
 * Frame layout in the buffer: type, addr, len as three little-endian
 * 32-bit words, then for PROGRAM/PROGRAM_VERIFY len data bytes padded with
 * 0xFF to a multiple of 4.  Invariants of an encoded stream: program frames
 * carry 1..SPIRAM_FRAME_MAX_DATA bytes and never cross a multiple of
 * SPIRAM_FRAME_MAX_DATA in flash (so a page never straddles two frames when
 * the page size divides it); the stream ends with exactly one END frame.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_STREAM_H
#define OPENOCD_FLASH_NOR_SPIRAM_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"
#include "spiram_erase.h"

enum spiram_stream_error {
	SPIRAM_STREAM_OK = 0,
	SPIRAM_STREAM_ERR_SPACE,	/* output buffer too small */
	SPIRAM_STREAM_ERR_TYPE,		/* unknown frame type */
	SPIRAM_STREAM_ERR_LEN,		/* program len 0 or > SPIRAM_FRAME_MAX_DATA */
	SPIRAM_STREAM_ERR_TRUNCATED,	/* decode: frame runs past the buffer */
	SPIRAM_STREAM_ERR_PADDING,	/* decode: padding bytes are not 0xFF */
	SPIRAM_STREAM_ERR_END,		/* decode: nothing after the END frame expected */
	SPIRAM_STREAM_ERR_RANGE,	/* build: data range wraps past 4 GiB */
};

/* Bytes one frame takes in the stream. */
size_t spiram_stream_frame_size(uint32_t type, uint32_t len);

/* Append one frame at buf + *pos; *pos advances. data is used for program frames. */
enum spiram_stream_error spiram_stream_put_frame(uint8_t *buf, size_t buf_size, size_t *pos,
		uint32_t type, uint32_t addr, uint32_t len, const uint8_t *data);

/* Bytes spiram_stream_build() needs for these inputs. */
size_t spiram_stream_build_size(size_t erase_count, uint32_t data_addr, uint32_t data_len);

/*
 * Build a stream: one ERASE frame per command, then PROGRAM (or
 * PROGRAM_VERIFY when verify) frames for [data_addr, data_addr + data_len),
 * split at multiples of SPIRAM_FRAME_MAX_DATA, then END.  The data range
 * must end at or below 4 GiB (else SPIRAM_STREAM_ERR_RANGE, no frame).
 * erases may be NULL when erase_count is 0, data may be NULL when data_len is 0.
 */
enum spiram_stream_error spiram_stream_build(const struct spiram_erase_cmd *erases, size_t erase_count,
		uint32_t data_addr, const uint8_t *data, uint32_t data_len, bool verify,
		uint8_t *buf, size_t buf_size, size_t *out_len);

/*
 * Decode the frame at buf + *pos; *pos advances past it (and its padding).
 * For program frames *data points at the payload inside buf, else NULL.
 */
enum spiram_stream_error spiram_stream_decode(const uint8_t *buf, size_t len, size_t *pos,
		struct spiram_frame *frame, const uint8_t **data);

const char *spiram_stream_strerror(enum spiram_stream_error err);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_STREAM_H */
