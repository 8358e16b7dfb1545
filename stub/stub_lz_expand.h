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
