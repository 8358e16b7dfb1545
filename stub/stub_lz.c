// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub compressed read (READ_LZ): the flash is read in blocks, and
 * each block crosses the read FIFO as one frame (spiram_contract.h,
 * "Compressed read stream"): LZ4 block format when that is smaller, the
 * bytes as they are otherwise, so random data costs a 4-byte header per
 * block and nothing more.
 *
 * The compressor is a plain greedy LZ4 block encoder (format: a token with
 * literal and match lengths, lengths of 15 and more continued in bytes of
 * 255, literals, a 2-byte little-endian offset; the last 5 bytes are
 * literals and no match starts in the last 12), with a hash table of
 * 16-bit block offsets in the host's scratch.  After 64 misses in a row it
 * steps further each time, so data that does not compress is given up
 * quickly.  Linked (arg[1]): a block's matches may also reach into the
 * block before it, as LZ4's linked blocks (about a seventh fewer bytes on
 * Thumb code than blocks on their own).
 *
 * Invariants: a frame is written to the FIFO only whole; wp stays
 * 4-aligned; the scratch is the host's (params.buffer).
 */

#include "spiram_stub.h"

#define LZ_MIN_MATCH		4u
#define LZ_LAST_LITERALS	5u
#define LZ_MATCH_SAFE		12u	/* no match starts in the last 12 bytes */

static uint32_t lz_read32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint32_t lz_hash(uint32_t v)
{
	return (v * 2654435761u) >> (32 - SPIRAM_LZ_HASH_LOG);
}

/* A length of 15 or more: the rest in bytes of 255, then the remainder. */
static uint8_t *lz_put_length(uint8_t *op, uint32_t len)
{
	for (; len >= 255; len -= 255)
		*op++ = 255;
	*op++ = len;
	return op;
}

/*
 * LZ4 block of src[0, n) into dst; returns its size, or 0 when it would
 * take cap bytes or more (the caller then sends the block as it is).  The
 * table holds stream positions (pos = src's, counted from the run's start)
 * modulo 64 Ki, so it needs no update when the window moves; a match may
 * start as far back as src - hist (the previous block, in a linked read).
 * A stale entry costs only a miss: every match is checked against the
 * bytes themselves.
 */
static uint32_t lz_compress(const uint8_t *src, uint32_t n, uint8_t *dst, uint32_t cap, uint16_t *table,
			    uint32_t pos, uint32_t hist)
{
	const uint8_t *ip = src, *anchor = src, *end = src + n;
	uint8_t *op = dst, *oend = dst + cap;
	uint32_t misses = 0;

	if (n > LZ_MATCH_SAFE) {
		const uint8_t *mflimit = end - LZ_MATCH_SAFE, *matchlimit = end - LZ_LAST_LITERALS;
		while (ip < mflimit) {
			uint32_t seq = lz_read32(ip), h = lz_hash(seq);
			uint32_t here = pos + (ip - src), back = (here - table[h]) & 0xffffu;
			const uint8_t *ref = ip - back;
			table[h] = here;
			if (!back || back > (uint32_t)(ip - src) + hist || lz_read32(ref) != seq) {
				ip += 1 + (misses++ >> 6);
				continue;
			}
			misses = 0;
			const uint8_t *m = ip + LZ_MIN_MATCH;
			ref += LZ_MIN_MATCH;
			while (m < matchlimit && *m == *ref) {
				m++;
				ref++;
			}
			uint32_t lit = ip - anchor, ml = m - ip - LZ_MIN_MATCH, off = m - ref;
			/* token, literal length bytes, literals, offset, match length bytes */
			if (op + 1 + lit / 255 + 1 + lit + 2 + ml / 255 + 1 >= oend)
				return 0;
			uint8_t *token = op++;
			*token = (lit < 15 ? lit : 15) << 4 | (ml < 15 ? ml : 15);
			if (lit >= 15)
				op = lz_put_length(op, lit - 15);
			spiram_copy(op, anchor, lit);
			op += lit;
			*op++ = off;
			*op++ = off >> 8;
			if (ml >= 15)
				op = lz_put_length(op, ml - 15);
			anchor = m;
			ip = m;
		}
	}
	uint32_t lit = end - anchor;
	if (op + 1 + lit / 255 + 1 + lit >= oend)
		return 0;
	*op++ = (lit < 15 ? lit : 15) << 4;
	if (lit >= 15)
		op = lz_put_length(op, lit - 15);
	spiram_copy(op, anchor, lit);
	return op + lit - dst;
}

/*
 * Append len bytes to the read FIFO, waiting for room (the host paces);
 * wp is published once, after the last byte.  SPIRAM_ERR_ABORTED when the
 * host wrote rp = 0.
 */
static int lz_fifo_put(const struct spiram_params *p, uint32_t *wp, const uint8_t *src, uint32_t len)
{
	uint32_t start = p->fifo_start + SPIRAM_FIFO_DATA_OFFSET, end = p->fifo_end;
	uint32_t rp_addr = p->fifo_start + SPIRAM_FIFO_RP_OFFSET;

	while (len) {
		uint32_t rp = spiram_read32(rp_addr);
		if (!rp)
			return SPIRAM_ERR_ABORTED;
		/* free space up to rp (or the end), one 4-byte block short of rp */
		uint32_t limit = rp > *wp ? rp - 4 : (rp == start ? end - 4 : end);
		if (limit <= *wp)
			continue;
		uint32_t n = limit - *wp < len ? limit - *wp : len;
		spiram_copy((uint8_t *)*wp, src, n);
		*wp += n;
		if (*wp == end)
			*wp = start;
		src += n;
		len -= n;
	}
	return SPIRAM_OK;
}

int spiram_stub_read_lz(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	uint32_t block = p->arg[0], addr = p->addr, left = p->len;
	bool linked = p->arg[1] != 0;
	uint32_t start = p->fifo_start + SPIRAM_FIFO_DATA_OFFSET;
	uint32_t wp = spiram_read32(p->fifo_start + SPIRAM_FIFO_WP_OFFSET);

	ctx->host_ptr = p->fifo_start + SPIRAM_FIFO_RP_OFFSET;
	/* scratch: hash table, (linked: the previous block,) the block, then
	 * its compressed form (a word of frame header first) */
	uint16_t *table = (uint16_t *)p->buffer;
	uint8_t *base = (uint8_t *)(p->buffer + SPIRAM_LZ_TABLE_SIZE);
	uint8_t *in = base + (linked ? block : 0);
	uint32_t *frame = (uint32_t *)(in + block);
	if (!block || block > SPIRAM_LZ_MAX_BLOCK || (block & 3) || (p->buffer & 3)
		|| p->buffer_size < (linked ? SPIRAM_LZ_SCRATCH_LINKED(block) : SPIRAM_LZ_SCRATCH(block))
		|| ((start | p->fifo_end | wp) & 3) || wp < start || wp >= p->fifo_end || p->fifo_end < start + 512)
		return SPIRAM_ERR_BAD_PARAM;
	for (uint32_t i = 0; i < (1u << SPIRAM_LZ_HASH_LOG); i++)
		table[i] = 0;

	for (uint32_t hist = 0, pos = 0; left; pos += block) {
		uint32_t n = left < block ? left : block;
		p->fail_addr = addr;
		int status = spiram_nor_read(ctx, addr, in, n);
		if (status)
			return status;
		uint32_t size = lz_compress(in, n, (uint8_t *)(frame + 1), n, table, pos, hist);
		const uint8_t *payload = (const uint8_t *)(frame + 1);
		if (size) {
			frame[0] = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_LZ4, size);
		} else {
			frame[0] = SPIRAM_LZ_FRAME(SPIRAM_LZ_KIND_STORED, n);
			size = n;
			payload = in;
		}
		status = lz_fifo_put(p, &wp, (const uint8_t *)frame, 4);
		if (!status)
			status = lz_fifo_put(p, &wp, payload, size);
		/* the payload padded to a word */
		static const uint8_t pad[4] = { 0, 0, 0, 0 };
		if (!status && (size & 3))
			status = lz_fifo_put(p, &wp, pad, 4 - (size & 3));
		if (status)
			return status;
		spiram_write32(p->fifo_start + SPIRAM_FIFO_WP_OFFSET, wp);
		addr += n;
		left -= n;
		p->progress += n;
		if (linked && left) {
			/* the block becomes the next one's history (a full block:
			 * only the last is short) */
			uint32_t *to = (uint32_t *)base;
			const uint32_t *from = (const uint32_t *)in;
			for (uint32_t i = 0; i < block / 4; i++)
				to[i] = from[i];
			hist = block;
		}
	}
	p->fail_addr = addr;
	return SPIRAM_OK;
}
