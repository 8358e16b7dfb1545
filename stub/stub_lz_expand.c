// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub: expansion of the LZ4 blocks of PROGRAM_LZ write frames
 * (spiram_contract.h), which the host makes with liblz4.  LZ4 block
 * format: sequences of a token (high nibble: literal count; low nibble:
 * match length - 4; 15 = more length bytes follow, each added, until one
 * below 255), the literals, a 2-byte little-endian offset back into the
 * output, then the match's length bytes; the last sequence ends after its
 * literals.
 *
 * A block is walked twice by the stub: once without writing, to check it
 * whole before any of its bytes is programmed, then page by page while the
 * chip programs the page before (spiram_stub_lz4_run()).
 */

#include <stdbool.h>
#include <stddef.h>

#include "stub_lz_expand.h"

/* A length nibble of 15 goes on in bytes, each added, until one below 255.
 * Returns false when the input ends first. */
static bool lz_get_length(const uint8_t **ip, const uint8_t *end, uint32_t *len)
{
	uint32_t b;

	if (*len != 15)
		return true;
	do {
		if (*ip >= end)
			return false;
		b = *(*ip)++;
		*len += b;
	} while (b == 255);
	return true;
}

void spiram_stub_lz4_begin(struct spiram_stub_lz4 *z, const uint8_t *in, uint32_t in_len, uint8_t *out,
		uint32_t out_len, uint32_t hist)
{
	z->ip = in;
	z->iend = in + in_len;
	z->out = out;
	z->pos = 0;
	z->out_len = out_len;
	z->hist = hist;
}

/*
 * Whole sequences until pos reaches want or the input ends; with out NULL
 * nothing is written.  Every length and offset is checked against both
 * buffers.
 */
int spiram_stub_lz4_run(struct spiram_stub_lz4 *z, uint32_t want)
{
	const uint8_t *ip = z->ip, *iend = z->iend;
	uint32_t pos = z->pos, room = z->out_len;
	uint8_t *out = z->out;
	int ret = -1;

	while (ip < iend && pos < want) {
		uint32_t token = *ip++;
		uint32_t lit = token >> 4, match = token & 15;
		if (!lz_get_length(&ip, iend, &lit) || lit > (uint32_t)(iend - ip) || lit > room - pos)
			goto out;
		if (out) {
			uint8_t *op = out + pos;
			for (uint32_t i = 0; i < lit; i++)
				op[i] = ip[i];
		}
		ip += lit;
		pos += lit;
		if (ip == iend)
			break;		/* the last sequence: literals only */
		if (iend - ip < 2)
			goto out;
		uint32_t offset = ip[0] | ip[1] << 8;
		ip += 2;
		if (!offset || offset > pos + z->hist || !lz_get_length(&ip, iend, &match))
			goto out;
		match += 4;	/* LZ4's shortest match */
		if (match > room - pos)
			goto out;
		if (out) {
			/* byte by byte: a match may overlap what it copies */
			uint8_t *op = out + pos;
			const uint8_t *from = op - offset;
			for (uint32_t i = 0; i < match; i++)
				op[i] = from[i];
		}
		pos += match;
	}
	ret = 0;
out:
	z->ip = ip;
	z->pos = pos;
	return ret;
}

int spiram_stub_lz4_check(const uint8_t *in, uint32_t in_len, uint32_t out_len, uint32_t hist)
{
	struct spiram_stub_lz4 z;

	spiram_stub_lz4_begin(&z, in, in_len, NULL, out_len, hist);
	if (spiram_stub_lz4_run(&z, UINT32_MAX))
		return -1;
	return z.pos == out_len ? 0 : -1;
}

int spiram_stub_lz4_expand(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len, uint32_t hist)
{
	struct spiram_stub_lz4 z;

	spiram_stub_lz4_begin(&z, in, in_len, out, out_len, hist);
	if (spiram_stub_lz4_run(&z, UINT32_MAX))
		return -1;
	return z.pos == out_len ? 0 : -1;
}
