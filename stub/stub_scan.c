// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub scans: whole-range checks that answer per sector in one run,
 * so that a verify or an erase check of a whole chip costs one stub run
 * and a few words over the debug link instead of the data itself.
 *
 *  - SPAN_CRC: OpenOCD's CRC (image_calculate_checksum) of each piece of
 *    [addr, addr + len) cut at multiples of arg[0]; the first and last
 *    pieces may be short, so a verify of any range is one run.  SECTOR_CRC,
 *    the pass before and after smart programming, is its aligned case, and
 *    CRC32 the case of one piece;
 *  - CHECK write frames: the same CRC of each sector a write stream just
 *    programmed, compared with the host's (spiram_stub_crc_*());
 *  - BLANK_MAP: one bit per sector, set when every byte is 0xFF.  A sector
 *    is read only up to its first byte that is not 0xFF, so dense data
 *    costs a read of the start of each sector, and blank flash a read of
 *    all of it.
 *
 * Invariants: nothing is written outside the results the contract names
 * (spiram_contract.h); params.fail_addr follows the read, so a failure
 * names the address being read; params.progress counts bytes examined
 * (skipped bytes of a non-blank sector included).
 */

#include "spiram_stub.h"

/* Cortex-M CCR: DC, the data cache is on (ARMv7-M; reserved, 0, on
 * cores without one). */
#define STUB_SCB_CCR		0xe000ed14u
#define STUB_SCB_CCR_DC		BIT(16)

/* Where a scan reads (struct stub_scan_src, spiram_stub.h). */
static int stub_scan_begin(struct spiram_ctx *ctx, struct stub_scan_src *src)
{
	src->window = NULL;
	if (!ctx->ops.memmap_enter || !ctx->ops.memmap_leave || !ctx->ctrl->mmap_base
		|| (spiram_read32(STUB_SCB_CCR) & STUB_SCB_CCR_DC))
		return SPIRAM_OK;
	int status = ctx->ops.memmap_enter(ctx);
	if (!status)
		src->window = (const uint8_t *)ctx->ctrl->mmap_base;
	return status;
}

int spiram_stub_scan_end(struct spiram_ctx *ctx, const struct stub_scan_src *src, int status)
{
	if (src->window) {
		int leave = ctx->ops.memmap_leave(ctx);
		if (!status)
			status = leave;
	}
	return status;
}

/* n bytes of flash at addr: in the window, or read into buf. */
static const uint32_t *stub_scan_read(struct spiram_ctx *ctx, const struct stub_scan_src *src, uint32_t addr,
					  uint32_t *buf, uint32_t n, int *status)
{
	if (src->window)
		return (const uint32_t *)(src->window + addr);
	*status = spiram_nor_read(ctx, addr, (uint8_t *)buf, n);
	return buf;
}

/* Pieces of [addr, addr + len) cut at multiples of 1 << shift. */
static uint32_t stub_pieces(uint32_t addr, uint32_t len, uint32_t shift)
{
	return len ? ((addr + len - 1) >> shift) - (addr >> shift) + 1 : 0;
}

/*
 * Is every word 0xFFFFFFFF?  Eight a step, ANDed, one branch: erased
 * flash, the common case before a write, is read whole, and a loop that
 * tests each word spends more on its branches than on its loads.
 */
static __attribute__((noinline)) bool stub_words_blank(const uint32_t *w, uint32_t count)
{
	const uint32_t *end = w + count;
	for (; end - w >= 8; w += 8)
		if ((w[0] & w[1] & w[2] & w[3] & w[4] & w[5] & w[6] & w[7]) != ~0u)
			return false;
	for (; w < end; w++)
		if (*w != ~0u)
			return false;
	return true;
}

/* Four bytes a step ("slicing by 4"): t0 the byte table, t1 T1, T2, T3 back
 * to back (T1[i] = T0[i] shifted through one more zero byte, and so on).
 * The bytes b0 b1 b2 b3 of a word go in b0 first (MSB first). */
static __attribute__((noinline)) uint32_t stub_crc32_sliced(uint32_t crc, const uint32_t *t0, const uint32_t *t1,
		const uint32_t *words, uint32_t count)
{
	const uint32_t *t2 = t1 + 256, *t3 = t1 + 512, *end = words + count;
	while (words < end) {
		uint32_t x = crc ^ __builtin_bswap32(*words++);
		crc = t3[x >> 24] ^ t2[(x >> 16) & 0xff] ^ t1[(x >> 8) & 0xff] ^ t0[x & 0xff];
	}
	return crc;
}

/*
 * The CRC tables of SPAN_CRC and CHECK frames in the host's buffer of
 * room bytes (the image has no writable data): T0, the 256-entry byte
 * table, at table; when `after` leaves SPIRAM_SECTOR_CRC_SLICE_ROOM bytes,
 * T1..T3 go there and whole words take four bytes a step, about half the
 * instructions of a byte at a time.
 */
static void stub_crc_tables(struct spiram_stub_crc *c, uint32_t *table, uint32_t *t1, bool sliced)
{
	/* entry i: the CRC register after byte i went in from 0, bitwise
	 * (polynomial 0x04C11DB7, MSB first) */
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t v = i << 24;
		for (int bit = 0; bit < 8; bit++)
			v = (v << 1) ^ ((v & 0x80000000u) ? 0x04c11db7u : 0);
		table[i] = v;
	}
	for (uint32_t i = 0; sliced && i < 3 * 256; i++) {
		uint32_t prev = i < 256 ? table[i] : t1[i - 256];
		t1[i] = prev << 8 ^ table[prev >> 24];
	}
	c->t0 = table;
	c->t1 = sliced ? t1 : NULL;
	c->blank_len = 0;
}

/*
 * OpenOCD's CRC of the n bytes of flash at addr, continuing *crc.
 *
 * A piece that starts a CRC and reads all 0xFF in the window takes the CRC
 * of the last such piece of its length: checking a word costs a load and a
 * compare, a CRC step several table loads.  Erased flash is what smart
 * programming mostly finds before a write, and on silicon at the QUADSPI's
 * reset clock the CRC, not the bus, limits the pass.  Dense data costs a
 * check of its first eight words: the scan stops at the first eight that are
 * not all 0xFFFFFFFF.
 */
int spiram_stub_crc_piece(struct spiram_ctx *ctx, struct spiram_stub_crc *c, uint32_t addr, uint32_t n,
		uint32_t *crc_io)
{
	struct spiram_params *p = ctx->params;
	uint32_t buf[SPIRAM_STUB_CHUNK / 4];
	uint32_t crc = *crc_io, i;
	bool blank = false;

	if (c->src.window && crc == 0xffffffffu && !((addr | n) & 3)) {
		blank = stub_words_blank((const uint32_t *)(c->src.window + addr), n / 4);
		if (blank && n == c->blank_len) {
			p->progress += n;
			*crc_io = c->blank_crc;
			return SPIRAM_OK;
		}
	}
	for (uint32_t done = 0; done < n; ) {
		uint32_t chunk = n - done < sizeof(buf) ? n - done : sizeof(buf);
		int status = SPIRAM_OK;
		p->fail_addr = addr + done;
		const uint8_t *b = (const uint8_t *)stub_scan_read(ctx, &c->src, addr + done, buf, chunk, &status);
		if (status)
			return status;
		i = 0;
		/* whole words, when the window or buffer address is aligned */
		if (c->t1 && !((addr + done) & 3) && !((uint32_t)b & 3)) {
			i = chunk & ~3u;
			crc = stub_crc32_sliced(crc, c->t0, c->t1, (const uint32_t *)b, i / 4);
		}
		for (; i < chunk; i++)
			crc = (crc << 8) ^ c->t0[(crc >> 24) ^ b[i]];
		done += chunk;
		p->progress += chunk;
	}
	if (blank) {
		c->blank_len = n;
		c->blank_crc = crc;
	}
	*crc_io = crc;
	return SPIRAM_OK;
}

/* SPAN_CRC (and SECTOR_CRC, its aligned case): the results follow T0. */
static int stub_span_crc(struct spiram_ctx *ctx, struct spiram_stub_crc *c)
{
	struct spiram_params *p = ctx->params;
	uint32_t *table = (uint32_t *)p->buffer, *out = table + SPIRAM_SECTOR_CRC_TABLE / 4;
	uint32_t piece = p->arg[0], addr = p->addr, left = p->len;

	if (!piece || (piece & (piece - 1)) || (p->buffer & 3) || p->buffer_size < SPIRAM_SECTOR_CRC_TABLE
		|| stub_pieces(addr, left, spiram_log2(piece)) > (p->buffer_size - SPIRAM_SECTOR_CRC_TABLE) / 4)
		return SPIRAM_ERR_BAD_PARAM;
	uint32_t results = 4 * stub_pieces(addr, left, spiram_log2(piece));
	stub_crc_tables(c, table, out + results / 4,
			p->buffer_size - SPIRAM_SECTOR_CRC_TABLE - results >= SPIRAM_SECTOR_CRC_SLICE_ROOM);
	while (left) {
		uint32_t n = piece - (addr & (piece - 1));
		if (n > left)
			n = left;
		*out = 0xffffffffu;
		int status = spiram_stub_crc_piece(ctx, c, addr, n, out++);
		if (status)
			return status;
		addr += n;
		left -= n;
	}
	p->fail_addr = addr;
	return SPIRAM_OK;
}

int spiram_stub_crc_begin(struct spiram_ctx *ctx, struct spiram_stub_crc *c, uint32_t table, uint32_t room)
{
	c->src.window = NULL;
	if (!table || (table & 3) || room < SPIRAM_SECTOR_CRC_TABLE)
		return SPIRAM_ERR_BAD_FRAME;
	/* the window shows the array only once the chip is ready */
	int status = spiram_nor_settle(ctx);
	if (!status)
		status = stub_scan_begin(ctx, &c->src);
	if (!status)
		stub_crc_tables(c, (uint32_t *)table, (uint32_t *)(table + SPIRAM_SECTOR_CRC_TABLE),
				room >= SPIRAM_SECTOR_CRC_TABLE + SPIRAM_SECTOR_CRC_SLICE_ROOM);
	return status;
}


/* CRC32: [addr, addr + len) as one piece, from arg[0]; the byte table in
 * the scratch buffer (SPIRAM_SECTOR_CRC_TABLE bytes, the three more for
 * four bytes a step when it has room). */
int spiram_stub_crc32(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	struct spiram_stub_crc c;

	p->result = p->arg[0];
	int status = spiram_stub_crc_begin(ctx, &c, p->buffer, p->buffer_size);
	if (!status)
		status = spiram_stub_crc_piece(ctx, &c, p->addr, p->len, &p->result);
	return spiram_stub_scan_end(ctx, &c.src, status);
}

static int stub_blank_map(struct spiram_ctx *ctx, const struct stub_scan_src *src)
{
	struct spiram_params *p = ctx->params;
	uint32_t *map = (uint32_t *)p->buffer;
	uint32_t sector = p->arg[0], addr = p->addr, left = p->len;
	uint32_t buf[SPIRAM_STUB_CHUNK / 4];

	if (sector < 4 || (sector & (sector - 1)) || ((addr | left) & (sector - 1)) || (p->buffer & 3)
		|| ((left >> spiram_log2(sector)) + 31) / 32 > p->buffer_size / 4)
		return SPIRAM_ERR_BAD_PARAM;
	for (uint32_t k = 0; left; k++) {
		bool blank = true;
		for (uint32_t done = 0; done < sector && blank; ) {
			uint32_t chunk = sector - done < sizeof(buf) ? sector - done : sizeof(buf);
			int status = SPIRAM_OK;
			p->fail_addr = addr + done;
			const uint32_t *w = stub_scan_read(ctx, src, addr + done, buf, chunk, &status);
			if (status)
				return status;
			/* chunk is a multiple of 4 (sector and chunk sizes are
			 * powers of two, sector >= 4) */
			blank = stub_words_blank(w, chunk / 4);
			done += chunk;
		}
		if (!(k & 31))
			map[k / 32] = 0;
		map[k / 32] |= (blank ? 1u : 0) << (k & 31);
		p->progress += sector;
		addr += sector;
		left -= sector;
	}
	p->fail_addr = addr;
	return SPIRAM_OK;
}

int spiram_stub_span_crc(struct spiram_ctx *ctx)
{
	struct spiram_stub_crc c;
	/* the status registers first, when asked (smart programming's
	 * protection check rides on its CRC pass) */
	int status = spiram_stub_read_status_regs(ctx, ctx->params->arg + 1);
	if (status)
		return status;
	status = stub_scan_begin(ctx, &c.src);
	if (!status)
		status = stub_span_crc(ctx, &c);
	return spiram_stub_scan_end(ctx, &c.src, status);
}

int spiram_stub_blank_map(struct spiram_ctx *ctx)
{
	struct stub_scan_src src;
	int status = stub_scan_begin(ctx, &src);
	if (!status)
		status = stub_blank_map(ctx, &src);
	return spiram_stub_scan_end(ctx, &src, status);
}
