// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_lz: decoder of the compressed read stream and encoder of the
 * compressed write frames (spiram_lz.h).
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <lz4.h>
#include <lz4hc.h>

#include "spiram_contract.h"
#include "spiram_lz.h"

const char *spiram_lz_error_text(enum spiram_lz_error e)
{
	switch (e) {
	case SPIRAM_LZ_OK:
		return "no error";
	case SPIRAM_LZ_ERR_KIND:
		return "unknown frame kind";
	case SPIRAM_LZ_ERR_LENGTH:
		return "frame length impossible for its block";
	case SPIRAM_LZ_ERR_CORRUPT:
		return "LZ4 block does not expand to its block";
	case SPIRAM_LZ_ERR_PADDING:
		return "padding is not zero";
	}
	return "unknown error";
}

enum spiram_lz_error spiram_lz_decode(const uint8_t *in, size_t in_len, size_t *in_used,
		uint8_t *out, size_t out_len, size_t *out_done, uint32_t block, uint32_t hist)
{
	size_t pos = 0;

	while (*out_done < out_len && in_len - pos >= 4) {
		uint32_t word = in[pos] | in[pos + 1] << 8 | in[pos + 2] << 16 | (uint32_t)in[pos + 3] << 24;
		uint32_t kind = SPIRAM_LZ_FRAME_KIND(word), len = SPIRAM_LZ_FRAME_LEN(word);
		size_t want = out_len - *out_done < block ? out_len - *out_done : block;
		size_t padded = ((size_t)len + 3) & ~(size_t)3;

		if (kind != SPIRAM_LZ_KIND_STORED && kind != SPIRAM_LZ_KIND_LZ4) {
			*in_used = pos;
			return SPIRAM_LZ_ERR_KIND;
		}
		/* STORED: exactly the block; LZ4: at least a token, and never
		 * more than the block (the stub stores a block that would grow) */
		if ((kind == SPIRAM_LZ_KIND_STORED && len != want) || (kind == SPIRAM_LZ_KIND_LZ4 && (!len || len >= want))) {
			*in_used = pos;
			return SPIRAM_LZ_ERR_LENGTH;
		}
		if (in_len - pos - 4 < padded)
			break;	/* the rest of this frame has not arrived */
		const uint8_t *payload = in + pos + 4;
		for (size_t i = len; i < padded; i++) {
			if (payload[i]) {
				*in_used = pos;
				return SPIRAM_LZ_ERR_PADDING;
			}
		}
		if (kind == SPIRAM_LZ_KIND_STORED) {
			memcpy(out + *out_done, payload, want);
		} else {
			/* linked: the hist bytes before the block are its dictionary */
			size_t dict = *out_done < hist ? *out_done : hist;
			int n = LZ4_decompress_safe_usingDict((const char *)payload, (char *)out + *out_done, (int)len,
					(int)want, (const char *)out + *out_done - dict, (int)dict);
			if (n < 0 || (size_t)n != want) {
				*in_used = pos;
				return SPIRAM_LZ_ERR_CORRUPT;
			}
		}
		*out_done += want;
		pos += 4 + padded;
	}
	*in_used = pos;
	return SPIRAM_LZ_OK;
}

struct spiram_lz_writer {
	LZ4_streamHC_t *state;
	uint32_t window, keep;		/* the stub's window and what a slide keeps */
	uint32_t fill;			/* the stub's fill mark: bytes a block may reach */
	uint32_t hist_len;		/* valid bytes at the end of hist */
	uint8_t hist[0x10000];		/* the frames' last bytes: LZ4 reaches 64 KiB */
};

struct spiram_lz_writer *spiram_lz_writer_new(void)
{
	struct spiram_lz_writer *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->state = LZ4_createStreamHC();
	if (!w->state) {
		free(w);
		return NULL;
	}
	spiram_lz_writer_reset(w, SPIRAM_WRITE_LZ_SCRATCH);
	return w;
}

void spiram_lz_writer_free(struct spiram_lz_writer *w)
{
	if (!w)
		return;
	LZ4_freeStreamHC(w->state);
	free(w);
}

void spiram_lz_writer_reset(struct spiram_lz_writer *w, uint32_t buffer_size)
{
	if (buffer_size < SPIRAM_WRITE_LZ_SCRATCH)
		buffer_size = SPIRAM_WRITE_LZ_SCRATCH;
	w->window = SPIRAM_WRITE_LZ_WINDOW(buffer_size);
	w->keep = SPIRAM_WRITE_LZ_KEEP(w->window);
	w->fill = 0;
	w->hist_len = 0;
}

size_t spiram_lz_write_payload(struct spiram_lz_writer *w, const uint8_t *src, uint32_t n, uint8_t *payload)
{
	if (!n || n > SPIRAM_FRAME_MAX_DATA)
		return 0;
	/* worth it only below n - n / 8 in all, the 4-byte length included */
	int limit = (int)(n - n / 8) - 4;
	if (limit <= 0)
		return 0;
	/*
	 * The high-compression encoder: the same block format, so the same
	 * expander; about 8% fewer bytes than LZ4_compress_default on Thumb
	 * code in 4 KiB blocks, for about 13 ms of host time a MiB.  The
	 * history is its dictionary, as the stub's is the bytes before the
	 * block.
	 */
	/*
	 * A quick look first: data that LZ4's fast encoder cannot shrink at
	 * all (random or already compressed) does not reach n - n / 8 with the
	 * high-compression one either, which spent about 16 ms of host time a
	 * MiB finding that out while the target waited for the stream.
	 */
	if (LZ4_compress_default((const char *)src, (char *)payload + 4, (int)n, (int)n - 5) <= 0)
		return 0;
	/* the stub's window: a block that would pass its end slides it first */
	uint32_t fill = w->fill + n > w->window ? w->keep : w->fill;
	uint32_t dict = fill < w->hist_len ? fill : w->hist_len;
	LZ4_resetStreamHC_fast(w->state, LZ4HC_CLEVEL_DEFAULT);
	if (dict)
		LZ4_loadDictHC(w->state, (const char *)w->hist + sizeof(w->hist) - dict, (int)dict);
	int c = LZ4_compress_HC_continue(w->state, (const char *)src, (char *)payload + 4, (int)n, limit);
	if (c <= 0)
		return 0;
	payload[0] = n & 0xffu;
	payload[1] = (n >> 8) & 0xffu;
	payload[2] = (n >> 16) & 0xffu;
	payload[3] = (n >> 24) & 0xffu;
	spiram_lz_writer_took(w, src, n);
	return 4 + (size_t)c;
}

void spiram_lz_writer_took(struct spiram_lz_writer *w, const uint8_t *src, uint32_t n)
{
	if (!n || n > SPIRAM_FRAME_MAX_DATA)
		return;
	/* the stub's window: a block that would pass its end slides it first */
	w->fill = (w->fill + n > w->window ? w->keep : w->fill) + n;
	/* the history slides to end with src */
	uint32_t len = w->hist_len + n < sizeof(w->hist) ? w->hist_len + n : (uint32_t)sizeof(w->hist);
	uint32_t old = len - n;	/* history bytes that stay */
	memmove(w->hist + sizeof(w->hist) - len, w->hist + sizeof(w->hist) - old, old);
	memcpy(w->hist + sizeof(w->hist) - n, src, n);
	w->hist_len = len;
}
