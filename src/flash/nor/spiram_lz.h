/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_lz: the host's side of the compressed read stream (READ_LZ,
 * spiram_contract.h "Compressed read stream"): frames in, flash bytes out;
 * and of the compressed write frames (PROGRAM_LZ): flash bytes in, frame
 * payload out, compressed by liblz4.
 * LZ4 blocks are expanded by liblz4 (LZ4_decompress_safe, which never
 * writes outside the output it is given).
 *
 * Pure: no I/O.  The stream may arrive in pieces; a frame is decoded only
 * once all of it is there, and each one must expand to exactly its
 * block's size, so a corrupt or truncated stream is an error, never wrong
 * data.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_LZ_H
#define OPENOCD_FLASH_NOR_SPIRAM_LZ_H

#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"

enum spiram_lz_error {
	SPIRAM_LZ_OK = 0,
	SPIRAM_LZ_ERR_KIND,		/* a frame kind that is neither STORED nor LZ4 */
	SPIRAM_LZ_ERR_LENGTH,		/* payload length impossible for the block */
	SPIRAM_LZ_ERR_CORRUPT,		/* the LZ4 block does not expand to the block */
	SPIRAM_LZ_ERR_PADDING,		/* padding bytes not zero */
};

/* What went wrong, for the log. */
const char *spiram_lz_error_text(enum spiram_lz_error e);

/*
 * Decode the whole frames at the start of in[0, in_len) into out, which
 * holds out_done bytes already of out_len wanted; blocks are `block`
 * bytes (the last one may be short).  Stops at the first frame not
 * complete in `in`, or when out is full.  *in_used gets the bytes of `in`
 * consumed, *out_done the new total.  On error *out_done is where the bad
 * frame's block starts.  hist: the bytes before a block (at most) that its
 * LZ4 matches may reach, the block size for a linked read, else 0.
 */
enum spiram_lz_error spiram_lz_decode(const uint8_t *in, size_t in_len, size_t *in_used,
		uint8_t *out, size_t out_len, size_t *out_done, uint32_t block, uint32_t hist);

/* Largest PROGRAM_LZ payload spiram_lz_write_payload() makes. */
#define SPIRAM_LZ_WRITE_PAYLOAD_MAX	SPIRAM_FRAME_MAX_DATA

/* The PROGRAM_LZ frames of one stub run: liblz4's state and the stub's
 * window as spiram_contract.h accounts it (the frames' data, the last
 * `fill` bytes of which the next block may reach). */
struct spiram_lz_writer;

/* A writer with an empty history, for the stub's smallest buffer
 * (SPIRAM_WRITE_LZ_SCRATCH); NULL when out of memory. */
struct spiram_lz_writer *spiram_lz_writer_new(void);
void spiram_lz_writer_free(struct spiram_lz_writer *w);
/* Forget the history, at the start of each stub run, whose stream buffer
 * has buffer_size bytes (SPIRAM_WRITE_LZ_SCRATCH..SPIRAM_WRITE_LZ_SCRATCH_MAX). */
void spiram_lz_writer_reset(struct spiram_lz_writer *w, uint32_t buffer_size);

/*
 * The payload of a PROGRAM_LZ write frame (spiram_contract.h) for the n
 * bytes at src (1..SPIRAM_FRAME_MAX_DATA): the word n, little endian, then
 * liblz4's block (LZ4_compress_HC at its default level, with the writer's
 * history as its dictionary), and src joins the history.  Returns the
 * payload's length, or 0 when the block would not save an eighth of n
 * (send the bytes in a PROGRAM frame then; the history stays as it was,
 * as the stub's does).  payload holds SPIRAM_LZ_WRITE_PAYLOAD_MAX bytes.
 */
size_t spiram_lz_write_payload(struct spiram_lz_writer *w, const uint8_t *src, uint32_t n, uint8_t *payload);
/*
 * What spiram_lz_write_payload does to the history when it returns a
 * payload, without compressing: for a payload made earlier by another
 * writer that had the same history (a block compressed ahead of time).
 */
void spiram_lz_writer_took(struct spiram_lz_writer *w, const uint8_t *src, uint32_t n);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_LZ_H */
