/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The stub's LZ4 block expander (stub_lz_expand.c), on its own so that the
 * host's fuzzer can build it too (tests/fuzz/fuzz_stubexp.c): it includes
 * nothing of the stub but the C library's integer types.
 */

#ifndef SPIRAM_STUB_LZ_EXPAND_H
#define SPIRAM_STUB_LZ_EXPAND_H

#include <stdint.h>

#ifndef STUB_HIDDEN
#define STUB_HIDDEN
#endif

/* An expansion in steps: the input left, and the bytes written so far. */
struct spiram_stub_lz4 {
	const uint8_t *ip, *iend;
	uint8_t *out;		/* NULL: check only, write nothing */
	uint32_t pos;		/* output bytes so far */
	uint32_t out_len;
	uint32_t hist;		/* bytes before out that matches may reach */
};

void spiram_stub_lz4_begin(struct spiram_stub_lz4 *z, const uint8_t *in, uint32_t in_len, uint8_t *out,
		uint32_t out_len, uint32_t hist) STUB_HIDDEN;

/*
 * Expand whole sequences until z->pos reaches want (it may pass it by the
 * rest of a sequence, never out_len) or the block ends: 0, or non-zero for
 * a block that is cut short, reaches before the history or runs past
 * out_len.
 */
int spiram_stub_lz4_run(struct spiram_stub_lz4 *z, uint32_t want) STUB_HIDDEN;

/* 0 when the block would expand to exactly out_len bytes (nothing is
 * written), else non-zero as spiram_stub_lz4_expand(). */
int spiram_stub_lz4_check(const uint8_t *in, uint32_t in_len, uint32_t out_len, uint32_t hist) STUB_HIDDEN;

/*
 * Expand an LZ4 block (LZ4's block format) of in_len bytes into exactly
 * out_len bytes at out, whose hist bytes before it are the history its
 * matches may reach into (the earlier blocks' bytes): 0, or non-zero when
 * the block is cut short, reaches before the history, runs past out_len or
 * ends before it (out then partly written, never beyond out_len).
 */
int spiram_stub_lz4_expand(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len,
		uint32_t hist) STUB_HIDDEN;

#endif /* SPIRAM_STUB_LZ_EXPAND_H */
