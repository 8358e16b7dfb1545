// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stream: write stream frames (spiram_contract.h) to and from bytes.
 * Words are stored little endian byte by byte, so the code does not depend
 * on the host's byte order.
 */

#include <string.h>

#include "spiram_stream.h"

static void spiram_put_le32(uint8_t *p, uint32_t value)
{
	p[0] = value & 0xffu;
	p[1] = (value >> 8) & 0xffu;
	p[2] = (value >> 16) & 0xffu;
	p[3] = (value >> 24) & 0xffu;
}

static uint32_t spiram_get_le32(const uint8_t *p)
{
	return p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int spiram_frame_has_data(uint32_t type)
{
	return type == SPIRAM_FRAME_PROGRAM || type == SPIRAM_FRAME_PROGRAM_VERIFY || type == SPIRAM_FRAME_PROGRAM_LZ ||
		type == SPIRAM_FRAME_CHECK;
}

size_t spiram_stream_frame_size(uint32_t type, uint32_t len)
{
	if (spiram_frame_has_data(type))
		return SPIRAM_FRAME_HEADER_SIZE + spiram_frame_padded_len(len);
	return SPIRAM_FRAME_HEADER_SIZE;
}

enum spiram_stream_error spiram_stream_put_frame(uint8_t *buf, size_t buf_size, size_t *pos,
		uint32_t type, uint32_t addr, uint32_t len, const uint8_t *data)
{
	if (type != SPIRAM_FRAME_END && type != SPIRAM_FRAME_ERASE && !spiram_frame_has_data(type))
		return SPIRAM_STREAM_ERR_TYPE;
	if (spiram_frame_has_data(type) && (len == 0 || len > SPIRAM_FRAME_MAX_DATA))
		return SPIRAM_STREAM_ERR_LEN;

	size_t size = spiram_stream_frame_size(type, len);
	if (*pos > buf_size || size > buf_size - *pos)
		return SPIRAM_STREAM_ERR_SPACE;

	uint8_t *p = buf + *pos;
	spiram_put_le32(p, type);
	spiram_put_le32(p + 4, addr);
	spiram_put_le32(p + 8, len);
	if (spiram_frame_has_data(type)) {
		memcpy(p + SPIRAM_FRAME_HEADER_SIZE, data, len);
		memset(p + SPIRAM_FRAME_HEADER_SIZE + len, 0xff, spiram_frame_padded_len(len) - len);
	}
	*pos += size;
	return SPIRAM_STREAM_OK;
}

/* Bytes of the program frame starting at addr, at most remaining. */
static uint32_t spiram_stream_chunk(uint32_t addr, uint32_t remaining)
{
	uint32_t to_boundary = SPIRAM_FRAME_MAX_DATA - (addr % SPIRAM_FRAME_MAX_DATA);

	return remaining < to_boundary ? remaining : to_boundary;
}

size_t spiram_stream_build_size(size_t erase_count, uint32_t data_addr, uint32_t data_len)
{
	size_t size = erase_count * SPIRAM_FRAME_HEADER_SIZE;
	uint32_t addr = data_addr;
	uint32_t remaining = data_len;

	while (remaining) {
		uint32_t chunk = spiram_stream_chunk(addr, remaining);
		size += spiram_stream_frame_size(SPIRAM_FRAME_PROGRAM, chunk);
		addr += chunk;
		remaining -= chunk;
	}
	return size + SPIRAM_FRAME_HEADER_SIZE;	/* END */
}

enum spiram_stream_error spiram_stream_build(const struct spiram_erase_cmd *erases, size_t erase_count,
		uint32_t data_addr, const uint8_t *data, uint32_t data_len, bool verify,
		uint8_t *buf, size_t buf_size, size_t *out_len)
{
	enum spiram_stream_error err;
	size_t pos = 0;

	*out_len = 0;
	/* addresses would wrap to 0 and program the start of the chip */
	if ((uint64_t)data_addr + data_len > 0x100000000ull)
		return SPIRAM_STREAM_ERR_RANGE;
	for (size_t i = 0; i < erase_count; i++) {
		err = spiram_stream_put_frame(buf, buf_size, &pos, SPIRAM_FRAME_ERASE, erases[i].addr, erases[i].size,
				NULL);
		if (err != SPIRAM_STREAM_OK)
			return err;
	}

	uint32_t type = verify ? SPIRAM_FRAME_PROGRAM_VERIFY : SPIRAM_FRAME_PROGRAM;
	uint32_t done = 0;
	while (done < data_len) {
		uint32_t chunk = spiram_stream_chunk(data_addr + done, data_len - done);
		err = spiram_stream_put_frame(buf, buf_size, &pos, type, data_addr + done, chunk, data + done);
		if (err != SPIRAM_STREAM_OK)
			return err;
		done += chunk;
	}

	err = spiram_stream_put_frame(buf, buf_size, &pos, SPIRAM_FRAME_END, 0, 0, NULL);
	if (err != SPIRAM_STREAM_OK)
		return err;
	*out_len = pos;
	return SPIRAM_STREAM_OK;
}

enum spiram_stream_error spiram_stream_decode(const uint8_t *buf, size_t len, size_t *pos,
		struct spiram_frame *frame, const uint8_t **data)
{
	*data = NULL;
	if (*pos > len || len - *pos < SPIRAM_FRAME_HEADER_SIZE)
		return SPIRAM_STREAM_ERR_TRUNCATED;

	const uint8_t *p = buf + *pos;
	frame->type = spiram_get_le32(p);
	frame->addr = spiram_get_le32(p + 4);
	frame->len = spiram_get_le32(p + 8);

	if (frame->type != SPIRAM_FRAME_END && frame->type != SPIRAM_FRAME_ERASE && !spiram_frame_has_data(frame->type))
		return SPIRAM_STREAM_ERR_TYPE;
	if (!spiram_frame_has_data(frame->type)) {
		*pos += SPIRAM_FRAME_HEADER_SIZE;
		return SPIRAM_STREAM_OK;
	}
	if (frame->len == 0 || frame->len > SPIRAM_FRAME_MAX_DATA)
		return SPIRAM_STREAM_ERR_LEN;

	size_t padded = spiram_frame_padded_len(frame->len);
	if (len - *pos - SPIRAM_FRAME_HEADER_SIZE < padded)
		return SPIRAM_STREAM_ERR_TRUNCATED;
	for (size_t i = frame->len; i < padded; i++) {
		if (p[SPIRAM_FRAME_HEADER_SIZE + i] != 0xff)
			return SPIRAM_STREAM_ERR_PADDING;
	}
	*data = p + SPIRAM_FRAME_HEADER_SIZE;
	*pos += SPIRAM_FRAME_HEADER_SIZE + padded;
	return SPIRAM_STREAM_OK;
}

const char *spiram_stream_strerror(enum spiram_stream_error err)
{
	switch (err) {
	case SPIRAM_STREAM_OK:
		return "no error";
	case SPIRAM_STREAM_ERR_SPACE:
		return "stream buffer too small";
	case SPIRAM_STREAM_ERR_TYPE:
		return "unknown frame type";
	case SPIRAM_STREAM_ERR_LEN:
		return "program frame length is 0 or above SPIRAM_FRAME_MAX_DATA";
	case SPIRAM_STREAM_ERR_TRUNCATED:
		return "frame runs past the end of the stream";
	case SPIRAM_STREAM_ERR_PADDING:
		return "frame padding is not 0xFF";
	case SPIRAM_STREAM_ERR_END:
		return "data after the END frame";
	case SPIRAM_STREAM_ERR_RANGE:
		return "data range wraps past the 4 GiB address space";
	}
	return "unknown stream error";
}
