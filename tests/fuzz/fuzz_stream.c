// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the write stream framing (spiram_stream).
 *
 * Mode 0 (first byte even), round trip: erase commands and a data range
 * from the input are built into a stream in a buffer of exactly
 * spiram_stream_build_size() bytes, then decoded frame by frame.  The
 * decoded frames must be the erases in order, then program frames whose
 * payloads concatenate to the input data at contiguous addresses, each
 * 1..SPIRAM_FRAME_MAX_DATA bytes and inside one SPIRAM_FRAME_MAX_DATA
 * block, then END exactly at the end.  A buffer one byte too small gives
 * SPIRAM_STREAM_ERR_SPACE without writing past it.
 *
 * Mode 1 (first byte odd): arbitrary bytes are decoded until an error or
 * END.  The decoder must never read past its input (the input sits in a
 * heap buffer of exactly its size), the position only moves forward and
 * stays inside, and a payload pointer lies inside the input.
 */

#include <stdlib.h>
#include <string.h>

#include "spiram_stream.h"
#include "fuzz_util.h"

static void round_trip(struct fuzz_reader *r)
{
	struct spiram_erase_cmd erases[8];
	size_t erase_count = fuzz_u8(r) % 9;
	for (size_t i = 0; i < erase_count; i++) {
		erases[i].addr = fuzz_u32(r);
		erases[i].size = fuzz_u32(r);
		erases[i].type = i % SPIRAM_MAX_ERASE_TYPES;
	}
	uint32_t data_addr = fuzz_u32(r);
	bool verify = fuzz_u8(r) & 1;
	const uint8_t *data = r->data;
	uint32_t data_len = (uint32_t)r->size;

	size_t need = spiram_stream_build_size(erase_count, data_addr, data_len);
	uint8_t *buf = malloc(need);
	size_t out_len = 12345;
	enum spiram_stream_error e = spiram_stream_build(erases, erase_count, data_addr, data_len ? data : NULL,
			data_len, verify, buf, need, &out_len);
	if ((uint64_t)data_addr + data_len > 0x100000000ull) {
		/* a range that wraps past 4 GiB has no frames */
		FUZZ_CHECK(e == SPIRAM_STREAM_ERR_RANGE, "wrapping range built: %s", spiram_stream_strerror(e));
		FUZZ_CHECK(out_len == 0, "out_len %zu after an error", out_len);
		free(buf);
		return;
	}
	FUZZ_CHECK(e == SPIRAM_STREAM_OK, "build into build_size bytes: %s", spiram_stream_strerror(e));
	FUZZ_CHECK(out_len == need, "built %zu bytes, build_size said %zu", out_len, need);

	size_t pos = 0;
	struct spiram_frame frame;
	const uint8_t *payload;
	for (size_t i = 0; i < erase_count; i++) {
		e = spiram_stream_decode(buf, out_len, &pos, &frame, &payload);
		FUZZ_CHECK(e == SPIRAM_STREAM_OK && frame.type == SPIRAM_FRAME_ERASE && !payload,
				"erase frame %zu: %s type 0x%x", i, spiram_stream_strerror(e), frame.type);
		FUZZ_CHECK(frame.addr == erases[i].addr && frame.len == erases[i].size, "erase frame %zu differs", i);
	}
	uint32_t done = 0;
	while (done < data_len) {
		e = spiram_stream_decode(buf, out_len, &pos, &frame, &payload);
		FUZZ_CHECK(e == SPIRAM_STREAM_OK, "program frame at %u: %s", done, spiram_stream_strerror(e));
		FUZZ_CHECK(frame.type == (verify ? SPIRAM_FRAME_PROGRAM_VERIFY : SPIRAM_FRAME_PROGRAM),
				"frame type 0x%x", frame.type);
		FUZZ_CHECK(frame.addr == data_addr + done, "frame at 0x%x, expected 0x%x", frame.addr,
				data_addr + done);
		FUZZ_CHECK(frame.len >= 1 && frame.len <= SPIRAM_FRAME_MAX_DATA && frame.len <= data_len - done,
				"frame length %u", frame.len);
		FUZZ_CHECK(frame.addr / SPIRAM_FRAME_MAX_DATA == (frame.addr + frame.len - 1) / SPIRAM_FRAME_MAX_DATA,
				"frame 0x%x+%u crosses a %u-byte block", frame.addr, frame.len, SPIRAM_FRAME_MAX_DATA);
		FUZZ_CHECK(!memcmp(payload, data + done, frame.len), "payload differs at %u", done);
		done += frame.len;
	}
	e = spiram_stream_decode(buf, out_len, &pos, &frame, &payload);
	FUZZ_CHECK(e == SPIRAM_STREAM_OK && frame.type == SPIRAM_FRAME_END, "no END frame");
	FUZZ_CHECK(pos == out_len, "END at %zu of %zu", pos, out_len);
	free(buf);

	/* one byte too small: refused, nothing written past the buffer */
	buf = malloc(need - 1 ? need - 1 : 1);
	e = spiram_stream_build(erases, erase_count, data_addr, data_len ? data : NULL, data_len, verify, buf,
			need - 1, &out_len);
	FUZZ_CHECK(e == SPIRAM_STREAM_ERR_SPACE && out_len == 0, "build into %zu of %zu bytes: %s", need - 1, need,
			spiram_stream_strerror(e));
	free(buf);
}

static void decode_any(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	size_t pos = 0;

	for (;;) {
		struct spiram_frame frame;
		const uint8_t *payload = (const uint8_t *)1;
		size_t before = pos;
		enum spiram_stream_error e = spiram_stream_decode(buf, size, &pos, &frame, &payload);
		FUZZ_CHECK(strcmp(spiram_stream_strerror(e), "unknown stream error"), "error %d has no text", e);
		if (e != SPIRAM_STREAM_OK) {
			FUZZ_CHECK(pos == before, "position moved on error %s", spiram_stream_strerror(e));
			break;
		}
		FUZZ_CHECK(pos > before && pos <= size, "position %zu -> %zu of %zu", before, pos, size);
		FUZZ_CHECK((pos - before) % SPIRAM_FRAME_ALIGN == 0, "frame of %zu bytes", pos - before);
		/* PROGRAM_LZ (length word and LZ4 block) and CHECK (piece size
		 * and CRCs) carry their payload as PROGRAM carries its data */
		if (frame.type == SPIRAM_FRAME_PROGRAM || frame.type == SPIRAM_FRAME_PROGRAM_VERIFY ||
		    frame.type == SPIRAM_FRAME_PROGRAM_LZ || frame.type == SPIRAM_FRAME_CHECK) {
			FUZZ_CHECK(payload && payload >= buf + before && payload + frame.len <= buf + pos,
					"payload outside its frame");
			FUZZ_CHECK(frame.len >= 1 && frame.len <= SPIRAM_FRAME_MAX_DATA, "length %u", frame.len);
		} else {
			FUZZ_CHECK(!payload, "payload on a frame without data");
		}
		if (frame.type == SPIRAM_FRAME_END)
			break;
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_reader r = { data, size };

	if (fuzz_u8(&r) & 1)
		decode_any(r.data, r.size);
	else
		round_trip(&r);
	return 0;
}
