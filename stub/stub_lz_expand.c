// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub: expansion of the LZ4 blocks of PROGRAM_LZ write frames
 * (spiram_contract.h), which the host makes with liblz4.  LZ4 block
 * format: sequences of a token (high nibble: literal count; low nibble:
 * match length - 4; 15 = more length bytes follow, each added, until one
 * below 255), the literals, a 2-byte little-endian offset back into the
 * output, then the match's length bytes; the last sequence ends after its
 * literals.
 */

#include <stdbool.h>

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

/* Every length and offset is checked against both buffers. */
int spiram_stub_lz4_expand(const uint8_t *in, uint32_t in_len, uint8_t *out, uint32_t out_len, uint32_t hist)
{
	const uint8_t *ip = in, *iend = in + in_len;
	uint8_t *op = out, *oend = out + out_len;

	while (ip < iend) {
		uint32_t token = *ip++;
		uint32_t lit = token >> 4, match = token & 15;
		if (!lz_get_length(&ip, iend, &lit) || lit > (uint32_t)(iend - ip) || lit > (uint32_t)(oend - op))
			return -1;
		while (lit--)
			*op++ = *ip++;
		if (ip == iend)
			break;		/* the last sequence: literals only */
		if (iend - ip < 2)
			return -1;
		uint32_t offset = ip[0] | ip[1] << 8;
		ip += 2;
		if (!offset || offset > (uint32_t)(op - out) + hist || !lz_get_length(&ip, iend, &match))
			return -1;
		match += 4;	/* LZ4's shortest match */
		if (match > (uint32_t)(oend - op))
			return -1;
		/* byte by byte: a match may overlap what it copies */
		const uint8_t *from = op - offset;
		while (match--)
			*op++ = *from++;
	}
	return op == oend ? 0 : -1;
}
