// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub core: validates the parameter block, picks the controller
 * backend, runs one operation and puts the controller back.  Each image is
 * built with one backend (STUB_WITH_QSPI, _OSPI, _SPI or _GPIO) to stay within the
 * 4 KiB budget; its header's capabilities say which.
 *
 * Streams follow OpenOCD's async algorithm convention (target.c
 * target_run_flash_async_algorithm / target_run_read_async_algorithm): the
 * FIFO at params.fifo_start holds wp at +0, rp at +4 and data from +8 to
 * params.fifo_end; wp and rp are absolute addresses; wp == rp means empty.
 *  - write stream: the host fills and advances wp (or writes wp = 0 to
 *    abort); the stub consumes and advances rp, always 4-aligned relative to
 *    the data start; on any error, even one before the stream started, it
 *    writes rp = 0 and stops;
 *  - read stream: the stub fills and advances wp, keeping 4 bytes free so
 *    that it never reaches rp; the host advances rp (or writes rp = 0 to
 *    abort); on any error the stub writes wp = 0 and stops.  wp stays 4-aligned
 *    except after the final chunk: the host uses block size 1 (or 4 with a
 *    length that is a multiple of 4).
 *
 * Invariants: params.status is written once, at the end; params.fail_addr
 * always holds the flash address being worked on, so after a failure it is
 * where the stub stopped; params.progress counts bytes of flash done.
 */

#include <assert.h>

#include "spiram_stub.h"

struct stub_fifo {
	uint32_t wp_addr;		/* address of the write pointer word */
	uint32_t start;			/* first data byte */
	uint32_t end;			/* one past the last data byte */
	uint32_t ptr;			/* our pointer: wp (read stream) or rp (write stream) */
	uint32_t unpublished;		/* write stream: bytes taken since rp was last written;
					 * STUB_RP_AHEAD: the rp written is ahead of ours */
	uint32_t publish_step;		/* write rp once this many bytes were taken */
};

/* unpublished: ours replaces the rp written at the next take, not while
 * waiting for data (negative as an int32_t, above any publish_step). */
#define STUB_RP_AHEAD	0x80000000u

/* rp lives right after wp. */
#define STUB_RP(fifo)	((fifo)->wp_addr + SPIRAM_FIFO_RP_OFFSET)

/* Set up the FIFO; our pointer starts where the host put it (the data
 * start, as OpenOCD does).  The data area must hold 512 bytes or more. */
static int stub_fifo_init(const struct spiram_params *p, struct stub_fifo *fifo, uint32_t our_offset)
{
	fifo->wp_addr = p->fifo_start;
	fifo->start = p->fifo_start + SPIRAM_FIFO_DATA_OFFSET;
	fifo->end = p->fifo_end;
	fifo->ptr = spiram_read32(p->fifo_start + our_offset);
	fifo->unpublished = 0;
	fifo->publish_step = (fifo->end - fifo->start) / 4;
	if (fifo->publish_step > 4096)
		fifo->publish_step = 4096;
	return (((fifo->start | fifo->end | fifo->ptr) & 3) || fifo->end < fifo->start + 512) ?
		SPIRAM_ERR_BAD_PARAM : SPIRAM_OK;
}

static void stub_fifo_step(struct stub_fifo *fifo)
{
	if (++fifo->ptr == fifo->end)
		fifo->ptr = fifo->start;
}

/* Read the flash in chunks into FIFO space, publishing wp after each one. */
static __attribute__((noinline)) int stub_op_read_stream(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	struct stub_fifo fifo;
	int status = stub_fifo_init(p, &fifo, SPIRAM_FIFO_WP_OFFSET);
	uint32_t addr = p->addr, left = p->len;

	ctx->host_ptr = STUB_RP(&fifo);

	while (!status && left) {
		uint32_t rp = spiram_read32(STUB_RP(&fifo)), wp = fifo.ptr;
		if (!rp)
			return SPIRAM_ERR_ABORTED;
		/* Contiguous free space, always one 4-byte block short of rp. */
		uint32_t space = (rp > wp ? rp : fifo.end + (rp == fifo.start ? 0 : 4)) - wp - 4;
		if ((int32_t)space <= 0)
			continue;
		if (space > 1024)
			space = 1024;
		uint32_t n = left < space ? left : space & ~3u;	/* wp 4-aligned until the end */
		p->fail_addr = addr;
		status = spiram_nor_read(ctx, addr, (uint8_t *)wp, n);
		if (status)
			break;
		wp += n;
		spiram_write32(fifo.wp_addr, wp == fifo.end ? fifo.start : wp);
		fifo.ptr = wp == fifo.end ? fifo.start : wp;
		addr += n;
		left -= n;
		p->progress += n;
	}
	if (!status)
		p->fail_addr = addr;
	return status;
}

/*
 * Take n bytes from the write-stream FIFO into dst (4-aligned), waiting for
 * the host (host-paced, as OpenOCD's loaders: the host times out, not us).
 * Words are copied while the FIFO pointer is 4-aligned (frame data always
 * starts so).  rp, rounded down to the 4-byte block, is published once a
 * quarter of the FIFO (at most 4 KiB) has been taken, and always before
 * waiting: OpenOCD's writer then refills in large blocks, and every host
 * access stops the core, so fewer, larger refills leave the core to the
 * chip.
 */
static int stub_fifo_take(struct stub_fifo *fifo, uint8_t *dst, uint32_t n)
{
	for (;;) {
		uint32_t wp = spiram_read32(fifo->wp_addr);
		if (!wp)
			return SPIRAM_ERR_ABORTED;
		if (wp < fifo->start || wp >= fifo->end)
			return SPIRAM_ERR_BAD_FRAME;
		uint32_t avail = wp - fifo->ptr;
		if (wp < fifo->ptr)
			avail += fifo->end - fifo->start;
		if (avail >= n)
			break;
		if ((int32_t)fifo->unpublished > 0) {
			spiram_write32(STUB_RP(fifo), fifo->ptr & ~3u);
			fifo->unpublished = 0;
		}
	}
	fifo->unpublished += n;
	for (; n >= 4 && !(fifo->ptr & 3); n -= 4, dst += 4) {
		*(uint32_t *)dst = spiram_read32(fifo->ptr);
		fifo->ptr += 4;
		if (fifo->ptr == fifo->end)
			fifo->ptr = fifo->start;
	}
	while (n--) {
		*dst++ = *(const uint8_t *)fifo->ptr;
		stub_fifo_step(fifo);
	}
	if (fifo->unpublished >= fifo->publish_step) {
		spiram_write32(STUB_RP(fifo), fifo->ptr & ~3u);
		fifo->unpublished = 0;
	}
	return SPIRAM_OK;
}

/*
 * Compare flash [addr, addr + len) with buf.  A chunk that reads back all
 * 0xFF although buf was not is a program the chip ignored: PROTECTED when
 * SPIRAM_FLASH_F_PROTECT_CHECK is set.
 */
static __attribute__((noinline)) int stub_verify(struct spiram_ctx *ctx, uint32_t addr, const uint8_t *buf,
						 uint32_t len)
{
	uint8_t back[64];	/* small: this is the deepest call path */
	uint32_t first_bad = len, erased = 1;
	for (uint32_t done = 0; done < len; done += sizeof(back)) {
		uint32_t n = len - done < sizeof(back) ? len - done : sizeof(back);
		int status = spiram_nor_read(ctx, addr + done, back, n);
		if (status)
			return status;
		for (uint32_t i = 0; i < n; i++) {
			erased &= back[i] == 0xff;
			if (back[i] != buf[done + i] && first_bad == len)
				first_bad = done + i;
		}
	}
	if (first_bad == len)
		return SPIRAM_OK;
	ctx->params->fail_addr = addr + first_bad;
	return (erased && (ctx->flash->flags & SPIRAM_FLASH_F_PROTECT_CHECK)) ?
		SPIRAM_ERR_PROTECTED : SPIRAM_ERR_VERIFY;
}

/*
 * Read [addr, addr + len) in chunks and check it is blank: the first
 * non-0xFF byte -> fail_addr and not_blank is returned.
 */
static __attribute__((noinline)) int stub_scan(struct spiram_ctx *ctx, uint32_t addr, uint32_t len,
						   int not_blank)
{
	struct spiram_params *p = ctx->params;
	uint8_t buf[SPIRAM_STUB_CHUNK] __attribute__((aligned(4)));

	while (len) {
		uint32_t n = len < sizeof(buf) ? len : sizeof(buf);
		p->fail_addr = addr;
		int status = spiram_nor_read(ctx, addr, buf, n);
		if (status)
			return status;
		for (uint32_t i = 0; i < n; i++) {
			if (buf[i] != 0xff) {
				p->fail_addr = addr + i;
				return not_blank;
			}
		}
		addr += n;
		len -= n;
		p->progress += n;
	}
	p->fail_addr = addr;
	return SPIRAM_OK;
}

static int stub_check_range(const struct spiram_ctx *ctx, uint32_t addr, uint32_t len)
{
	uint32_t size = ctx->flash->size;
	/* Dual-flash: AR[0] and DL[0] are forced, so only even ranges are real. */
	if (STUB_DUAL(ctx) && ((addr | len) & 1))
		return SPIRAM_ERR_BAD_PARAM;
	return (addr >= size || len > size - addr) ? SPIRAM_ERR_BAD_PARAM : SPIRAM_OK;
}

/*
 * A program the chip did not start (WIP = 0 at the first status read):
 * either it already finished (a few bytes on a fast chip), or the chip
 * ignored it.  The read-back tells; an ignored program is then named: no
 * WEL (SPIRAM_ERR_WEL) or, as stub_verify() says, a protected or wrong page.
 */
static __attribute__((noinline)) int stub_program_not_started(struct spiram_ctx *ctx, uint32_t addr,
								  const uint8_t *buf, uint32_t len)
{
	int status = stub_verify(ctx, addr, buf, len);
	if (status != SPIRAM_ERR_VERIFY && status != SPIRAM_ERR_PROTECTED)
		return status;
	uint32_t fail_addr = ctx->params->fail_addr;
	int why = spiram_nor_why_not_started(ctx);
	ctx->params->fail_addr = fail_addr;
	return why == SPIRAM_ERR_PROTECTED ? status : why;
}

/*
 * One PROGRAM / PROGRAM_VERIFY frame: its data follows in the FIFO.  Each
 * page is started and left programming while the next chunk is taken from
 * the FIFO; its wait is the first thing the next program does
 * (spiram_nor_settle()), so the data is ready when the chip is.
 */
/* Program n bytes (at most a page) of buf at addr; an ignored program is
 * named (stub_program_not_started), and with verify the page is read back. */
static __attribute__((noinline)) int stub_program_piece(struct spiram_ctx *ctx, uint32_t addr, const uint8_t *buf,
							uint32_t n, bool verify)
{
	ctx->params->fail_addr = addr;
	int status = spiram_nor_program_start(ctx, addr, buf, n);
	if (status == SPIRAM_STUB_NOT_STARTED)
		status = stub_program_not_started(ctx, addr, buf, n);
	else if (!status && verify)
		status = stub_verify(ctx, addr, buf, n);
	return status;
}

/* Bytes of the program piece at addr: up to the page's end (a whole
 * page: a dual-flash page is both chips' pages, 512 bytes), at most
 * SPIRAM_PROGRAM_PIECE_MAX and at most len. */
static uint32_t stub_piece_len(const struct spiram_ctx *ctx, uint32_t addr, uint32_t len)
{
	uint32_t page = ctx->flash->page_size;
	uint32_t n = page - (addr & (page - 1));
	if (n > SPIRAM_PROGRAM_PIECE_MAX)
		n = SPIRAM_PROGRAM_PIECE_MAX;
	return n < len ? n : len;
}

/* PROGRAM frames go a piece at a time through params.buffer (the
 * contract: at least SPIRAM_PROGRAM_PIECE_MAX bytes, word-aligned), not
 * through the stack. */
static __attribute__((noinline)) int stub_frame_program(struct spiram_ctx *ctx, struct stub_fifo *fifo,
							uint32_t addr, uint32_t len, bool verify)
{
	uint8_t *buf = (uint8_t *)ctx->params->buffer;

	if (!len || len > SPIRAM_FRAME_MAX_DATA || stub_check_range(ctx, addr, len))
		return SPIRAM_ERR_BAD_FRAME;
	uint32_t pad = spiram_frame_padded_len(len) - len;
	while (len) {
		uint32_t n = stub_piece_len(ctx, addr, len);
		/* Taking the chunk before programming it frees its FIFO space
		 * early; the padding goes with the last chunk. */
		int status = stub_fifo_take(fifo, (uint8_t *)buf, n == len ? n + pad : n);
		if (!status)
			status = stub_program_piece(ctx, addr, (const uint8_t *)buf, n, verify);
		if (status)
			return status;
		addr += n;
		len -= n;
		ctx->params->progress += n;
	}
	return SPIRAM_OK;
}

/*
 * PROGRAM_LZ: the stream's buffer holds the payload (SPIRAM_FRAME_MAX_DATA),
 * then the window (spiram_contract.h), whose first *fill bytes are the
 * history; the block expands right after them so that matches reach into
 * them.  Only a block that expands to exactly its length is programmed (a
 * walk that writes nothing checks it first).  It expands a page at a time,
 * while the chip programs the page before.  A window slide, when one is
 * due, also runs while the chip still programs the frame before's last
 * page.
 */
static __attribute__((noinline)) int stub_frame_program_lz(struct spiram_ctx *ctx, struct stub_fifo *fifo,
		uint32_t addr, uint32_t len, uint32_t *fill)
{
	struct spiram_params *p = ctx->params;
	uint8_t *in = (uint8_t *)p->buffer, *win = in + SPIRAM_FRAME_MAX_DATA;

	if (len <= 4 || len > SPIRAM_FRAME_MAX_DATA || (p->buffer & 3) || p->buffer_size < SPIRAM_WRITE_LZ_SCRATCH)
		return SPIRAM_ERR_BAD_FRAME;
	/* in pieces: the frame may be larger than the FIFO */
	for (uint32_t got = 0, want = spiram_frame_padded_len(len); got < want; ) {
		uint32_t piece = want - got < SPIRAM_STUB_CHUNK ? want - got : SPIRAM_STUB_CHUNK;
		int status = stub_fifo_take(fifo, in + got, piece);
		if (status)
			return status;
		got += piece;
	}
	uint32_t n = *(const uint32_t *)in;
	if (!n || n > SPIRAM_FRAME_MAX_DATA || stub_check_range(ctx, addr, n))
		return SPIRAM_ERR_BAD_FRAME;
	uint32_t window = SPIRAM_WRITE_LZ_WINDOW(p->buffer_size);
	if (*fill + n > window) {
		/* forward: the window's last keep bytes move to its start
		 * (words when both ends allow) */
		uint32_t keep = SPIRAM_WRITE_LZ_KEEP(window);
		const uint8_t *from = win + *fill - keep;
		uint32_t i = 0;
		if (!((uint32_t)from & 3))
			for (; i + 4 <= keep; i += 4)
				*(uint32_t *)(win + i) = *(const uint32_t *)(from + i);
		for (; i < keep; i++)
			win[i] = from[i];
		*fill = keep;
	}
	uint8_t *out = win + *fill;
	if (spiram_stub_lz4_check(in + 4, len - 4, n, *fill))
		return SPIRAM_ERR_BAD_FRAME;
	struct spiram_stub_lz4 z;
	spiram_stub_lz4_begin(&z, in + 4, len - 4, out, n, *fill);
	for (uint32_t done = 0; done < n; ) {
		uint32_t piece = stub_piece_len(ctx, addr + done, n - done);
		if (spiram_stub_lz4_run(&z, done + piece))
			return SPIRAM_ERR_BAD_FRAME;	/* not after the check */
		int status = stub_program_piece(ctx, addr + done, out + done, piece, false);
		if (status)
			return status;
		done += piece;
		p->progress += piece;
	}
	*fill += n;
	return SPIRAM_OK;
}

/*
 * CHECK: the payload is the piece size, then the CRC that each piece from
 * addr on must have, taken a word at a time as the pieces are read.  The
 * first piece whose CRC differs ends the stream with SPIRAM_ERR_CRC at its
 * start.  progress keeps counting what was programmed and erased.
 */
static __attribute__((noinline)) int stub_frame_check(struct spiram_ctx *ctx, struct stub_fifo *fifo,
		uint32_t addr, uint32_t len)
{
	struct spiram_params *p = ctx->params;
	uint32_t piece, progress = p->progress;

	if (len < 8 || (len & 3) || len > SPIRAM_FRAME_MAX_DATA)
		return SPIRAM_ERR_BAD_FRAME;
	int status = stub_fifo_take(fifo, (uint8_t *)&piece, 4);
	if (status)
		return status;
	uint32_t count = len / 4 - 1;
	if (!piece || (piece & (piece - 1)) || (addr & (piece - 1)) || count > ctx->flash->size / piece
		|| stub_check_range(ctx, addr, count * piece))
		return SPIRAM_ERR_BAD_FRAME;
	struct spiram_stub_crc c;
	status = spiram_stub_crc_begin(ctx, &c, p->arg[0], p->arg[1]);
	if (status)
		return status;
	for (uint32_t i = 0; i < count && !status; i++, addr += piece) {
		uint32_t want, crc = 0xffffffffu;
		status = stub_fifo_take(fifo, (uint8_t *)&want, 4);
		if (!status)
			status = spiram_stub_crc_piece(ctx, &c, addr, piece, &crc);
		if (!status && crc != want) {
			p->fail_addr = addr;
			status = SPIRAM_ERR_CRC;
		}
	}
	p->progress = progress;
	return spiram_stub_scan_end(ctx, &c.src, status);
}

/*
 * Erase one block, started and left erasing: the host keeps filling the
 * FIFO meanwhile.  An erase the chip ignored is named: no WEL, or
 * protected at the first byte that is not blank (a block blank already
 * counts as done).
 */
static int stub_erase_block(struct spiram_ctx *ctx, uint32_t addr, uint32_t len)
{
	int status = stub_check_range(ctx, addr, len);
	if (!status)
		status = spiram_nor_erase(ctx, addr, len);
	if (status == SPIRAM_STUB_NOT_STARTED) {
		status = spiram_nor_why_not_started(ctx);
		if (status == SPIRAM_ERR_PROTECTED)
			status = stub_scan(ctx, addr, len, SPIRAM_ERR_PROTECTED);
	} else if (!status) {
		ctx->params->progress += len;
	}
	return status;
}

static __attribute__((noinline)) int stub_op_write_stream(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	struct stub_fifo fifo;
	struct spiram_frame frame;
	uint32_t lz_fill = 0;	/* PROGRAM_LZ window: empty at the start of a run */
	int status = stub_fifo_init(p, &fifo, SPIRAM_FIFO_RP_OFFSET);

	ctx->host_ptr = fifo.wp_addr;
	/* rp ahead of ours (spiram_stub_main()): ours is the data start, and
	 * it replaces the one written at the first take. */
	if (p->len) {
		fifo.ptr -= p->len;
		fifo.unpublished = STUB_RP_AHEAD;
	}
	/* The run's first erase, from the parameters: the chip erases while
	 * OpenOCD's first write fills the FIFO. */
	if (!status && p->arg[2]) {
		p->fail_addr = p->arg[3];
		status = stub_erase_block(ctx, p->arg[3], p->arg[2]);
	}
	while (!status) {
		status = stub_fifo_take(&fifo, (uint8_t *)&frame, SPIRAM_FRAME_HEADER_SIZE);
		if (status)
			break;
		p->fail_addr = frame.addr;
		if (frame.type == SPIRAM_FRAME_END)
			return SPIRAM_OK;
		if (frame.type == SPIRAM_FRAME_ERASE) {
			status = stub_erase_block(ctx, frame.addr, frame.len);
		} else if (frame.type == SPIRAM_FRAME_PROGRAM || frame.type == SPIRAM_FRAME_PROGRAM_VERIFY) {
			status = stub_frame_program(ctx, &fifo, frame.addr, frame.len,
							frame.type == SPIRAM_FRAME_PROGRAM_VERIFY);
		} else if (frame.type == SPIRAM_FRAME_PROGRAM_LZ) {
			status = stub_frame_program_lz(ctx, &fifo, frame.addr, frame.len, &lz_fill);
		} else if (frame.type == SPIRAM_FRAME_CHECK) {
			status = stub_frame_check(ctx, &fifo, frame.addr, frame.len);
		} else {
			status = SPIRAM_ERR_BAD_FRAME;
		}
	}
	return status;	/* rp = 0 at the common exit */
}

static __attribute__((noinline)) int stub_op_probe(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	uint8_t id[3];

	int status = spiram_nor_read_reg(ctx, 0x9f, id, 3);
	if (status)
		return status;
	p->result = id[0] | id[1] << 8 | id[2] << 16;
	/* Dual-flash: FLASH2's ID for the host to compare. */
	if (STUB_DUAL(ctx))
		p->arg[3] = STUB_REG2(ctx, 0) | STUB_REG2(ctx, 1) << 8 | STUB_REG2(ctx, 2) << 16;
	if (p->result == 0 || p->result == 0xffffff)
		return SPIRAM_ERR_NO_CHIP;

	/* Dual-flash: SFDP of both chips interleaved, so an even length. */
	uint32_t len = p->arg[0];
	if (!len)
		return SPIRAM_OK;
	if (len > p->buffer_size || (STUB_DUAL(ctx) && (len & 1)))
		return SPIRAM_ERR_BAD_PARAM;
	/* SFDP: 5Ah, always a 3-byte address, 8 dummy cycles by JESD216. */
	uint32_t dummy = ctx->flash->sfdp_dummy ? ctx->flash->sfdp_dummy & 31 : 8;
	return spiram_nor_xfer(ctx, XF_OP(0x5a) | XF_CMD1 | XF_ADDR(1, 3) | XF_DUMMY(dummy) | XF_DATA(1),
				   p->addr, NULL, (uint8_t *)p->buffer, len);
}

static __attribute__((noinline)) int stub_op_status(struct spiram_ctx *ctx, bool write)
{
	struct spiram_params *p = ctx->params;
	uint8_t buf[2];

	if (write) {
		/* Register 1 with a value above 0xff: SR1 and SR2 in one 01h write. */
		uint32_t value = p->arg[1];
		buf[0] = value;
		buf[1] = value >> 8;
		uint32_t n = (p->arg[0] == 1 && value > 0xff) ? 2 : 1;
		return spiram_nor_write_reg(ctx, p->arg[2], buf, n, p->arg[3] != 0);
	}
	return spiram_stub_read_status_regs(ctx, p->arg);
}

/* The status registers whose read opcodes are in op[0..2] (0: skip) into
 * params.result, SR1 in its low byte. */
int spiram_stub_read_status_regs(struct spiram_ctx *ctx, const uint32_t *op)
{
	struct spiram_params *p = ctx->params;
	uint8_t buf[1];
	int status = SPIRAM_OK;

	uint32_t regs2 = 0;

	p->result = 0;
	for (unsigned int i = 0; i < 3 && !status; i++) {
		if (!op[i])
			continue;
		status = spiram_nor_read_reg(ctx, op[i], buf, 1);
		p->result |= (uint32_t)buf[0] << (8 * i);
		regs2 |= (uint32_t)STUB_REG2(ctx, 0) << (8 * i);
	}
	/* Dual-flash: FLASH2's registers in arg[3], once the opcodes are used. */
	if (STUB_DUAL(ctx))
		p->arg[3] = regs2;
	return status;
}

/*
 * RAW: buffer holds arg[0] tx bytes: the first is the opcode, and when rx
 * bytes are wanted the next (at most 4) are sent as an address phase, then
 * arg[2] dummy cycles, then arg[1] bytes are read over buffer.  Without rx,
 * everything after the opcode is a data phase.  All on one line.
 */
static __attribute__((noinline)) int stub_op_raw(struct spiram_ctx *ctx)
{
	struct spiram_params *p = ctx->params;
	uint8_t *buf = (uint8_t *)p->buffer;
	uint32_t tx = p->arg[0], rx = p->arg[1];

	if (!tx || (tx | rx) > p->buffer_size || p->arg[2] > 31 || (rx && tx > 5))
		return SPIRAM_ERR_BAD_PARAM;
	/* Dual-flash: the data phase, read or written, is an even length. */
	if (STUB_DUAL(ctx) && ((rx ? rx : tx - 1) & 1))
		return SPIRAM_ERR_BAD_PARAM;
	uint32_t fmt = XF_OP(buf[0]) | XF_CMD1 | XF_DUMMY(p->arg[2]);
	if (rx) {
		uint32_t addr = 0;
		for (uint32_t i = 1; i < tx; i++)
			addr = addr << 8 | buf[i];
		if (tx > 1)
			fmt |= XF_ADDR(1, tx - 1);
		return spiram_nor_xfer(ctx, fmt | XF_DATA(1), addr, NULL, buf, rx);
	}
	return spiram_nor_xfer(ctx, fmt | XF_DATA(1), 0, buf + 1, NULL, tx - 1);
}

/* Ops that address the array: the NOR setup (4-byte mode, QE) runs first. */
#define STUB_ARRAY_OPS	(BIT(SPIRAM_OP_READ_STREAM) | BIT(SPIRAM_OP_WRITE_STREAM) | BIT(SPIRAM_OP_CRC32) \
			 | BIT(SPIRAM_OP_BLANK_CHECK) | BIT(SPIRAM_OP_MEMMAP_ENTER) | BIT(SPIRAM_OP_ERASE_CHIP) \
			 | BIT(SPIRAM_OP_SECTOR_CRC) | BIT(SPIRAM_OP_SPAN_CRC) | BIT(SPIRAM_OP_BLANK_MAP) \
			 | BIT(SPIRAM_OP_READ_LZ))
/* Ops on [addr, addr + len), which must lie inside the chip. */
#define STUB_RANGE_OPS	(BIT(SPIRAM_OP_READ_STREAM) | BIT(SPIRAM_OP_CRC32) | BIT(SPIRAM_OP_BLANK_CHECK) \
			 | BIT(SPIRAM_OP_SECTOR_CRC) | BIT(SPIRAM_OP_SPAN_CRC) | BIT(SPIRAM_OP_BLANK_MAP) \
			 | BIT(SPIRAM_OP_READ_LZ))

static int stub_dispatch(struct spiram_ctx *ctx, uint32_t op);

static __attribute__((noinline)) int stub_run_op(struct spiram_ctx *ctx, uint32_t op)
{
	struct spiram_params *p = ctx->params;
	uint32_t bit = op < 32 ? 1u << op : 0;

	int status = spiram_nor_setup(ctx, bit & STUB_ARRAY_OPS);
	if (!status && (bit & STUB_RANGE_OPS))
		status = stub_check_range(ctx, p->addr, p->len);
	if (status)
		return status;

	status = stub_dispatch(ctx, op);
	/* A program or erase left pending is waited for before the end. */
	int settled = spiram_nor_settle(ctx);
	return status ? status : settled;
}

static __attribute__((noinline)) int stub_dispatch(struct spiram_ctx *ctx, uint32_t op)
{
	struct spiram_params *p = ctx->params;
	int status;

	switch (op) {
	case SPIRAM_OP_NOP:
	case SPIRAM_OP_MEMMAP_LEAVE:
		return SPIRAM_OK;
	case SPIRAM_OP_PROBE:
		return stub_op_probe(ctx);
	case SPIRAM_OP_READ_STREAM:
		return stub_op_read_stream(ctx);
	case SPIRAM_OP_WRITE_STREAM:
		return stub_op_write_stream(ctx);
	case SPIRAM_OP_CRC32:
		return spiram_stub_crc32(ctx);
	case SPIRAM_OP_BLANK_CHECK:
		return stub_scan(ctx, p->addr, p->len, SPIRAM_ERR_NOT_BLANK);
	case SPIRAM_OP_READ_STATUS:
	case SPIRAM_OP_WRITE_STATUS:
		return stub_op_status(ctx, op == SPIRAM_OP_WRITE_STATUS);
	case SPIRAM_OP_RAW:
		return stub_op_raw(ctx);
	case SPIRAM_OP_MEMMAP_ENTER:
		return ctx->ops.memmap_enter ? SPIRAM_OK : SPIRAM_ERR_BAD_OP;
	case SPIRAM_OP_ERASE_CHIP:
		p->fail_addr = 0;
		status = spiram_nor_erase_chip(ctx);
		if (!status)
			p->progress = ctx->flash->size;
		return status;
	case SPIRAM_OP_RESET_CHIP:
		return spiram_nor_reset(ctx);
	case SPIRAM_OP_SECTOR_CRC:
		/* SPAN_CRC with whole sectors */
		if (!p->arg[0] || (p->arg[0] & (p->arg[0] - 1)) || ((p->addr | p->len) & (p->arg[0] - 1)))
			return SPIRAM_ERR_BAD_PARAM;
		return spiram_stub_span_crc(ctx);
	case SPIRAM_OP_SPAN_CRC:
		return spiram_stub_span_crc(ctx);
	case SPIRAM_OP_BLANK_MAP:
		return spiram_stub_blank_map(ctx);
	case SPIRAM_OP_READ_LZ:
		return spiram_stub_read_lz(ctx);
	default:
		return SPIRAM_ERR_BAD_OP;
	}
}

/* The image's bounds (stub.ld); hidden, so reached PC-relative. */
extern const uint32_t __stub_image_start[] __attribute__((visibility("hidden")));
extern const uint32_t __stub_image_end[] __attribute__((visibility("hidden")));

/* The image's hash as it sits in RAM (spiram_contract.h, image_hash). */
static inline __attribute__((always_inline)) uint32_t stub_image_hash(void)
{
	uint32_t h = SPIRAM_IMAGE_HASH_INIT;
	for (const uint32_t *w = __stub_image_start; w < __stub_image_end; w++)
		h = (h ^ *w) * SPIRAM_IMAGE_HASH_PRIME;
	return h;
}

/* The status, and for a failed stream, whether or not its loop ever
 * started, the pointer the host polls zeroed (OpenOCD's
 * target_run_*_async_algorithm convention): wp for the read stream, rp
 * for the write stream. */
static inline __attribute__((always_inline)) void stub_finish(struct spiram_params *p, int status)
{
	uint32_t op = p->op;

	static_assert(SPIRAM_OP_READ_STREAM + 1 == SPIRAM_OP_WRITE_STREAM, "stream ops are adjacent");
	if (status && (op - SPIRAM_OP_READ_STREAM < 2u || op == SPIRAM_OP_READ_LZ))
		spiram_write32(p->fifo_start + (op == SPIRAM_OP_WRITE_STREAM ? SPIRAM_FIFO_RP_OFFSET :
							SPIRAM_FIFO_WP_OFFSET), 0);
	p->status = status;
}

__attribute__((noinline)) void spiram_stub_main(struct spiram_params *p)
{
	uint32_t op = p->op;

	if (p->magic != SPIRAM_STUB_MAGIC) {
		p->status = SPIRAM_ERR_BAD_OP;
		return;
	}
	/*
	 * WRITE_STREAM's len, first thing after the gate (which only hashes
	 * the image at a session's first run, never a write stream with len:
	 * the host sees to that): the most OpenOCD's first write may take.
	 * While the FIFO is empty (wp and rp at the data start, as OpenOCD
	 * leaves them before it resumes the core), an rp that far
	 * ahead is true of free space, and OpenOCD's writer sizes each write
	 * from rp.  Its first read of rp comes a debug-link transaction after
	 * the resume (tens of microseconds at the least); these few
	 * instructions, before anything else the stub does, come first.  (Had
	 * OpenOCD read rp before them, it would fill the FIFO and then take
	 * this rp for free space: the stub's own rp replaces it at the first
	 * take, but the stream could break, BAD_FRAME, or a CHECK frame's CRC
	 * would fail.  Never silently: see docs/driver.md.)
	 */
	if (op == SPIRAM_OP_WRITE_STREAM && p->len) {
		uint32_t rp = spiram_read32(p->fifo_start + SPIRAM_FIFO_RP_OFFSET);
		if (spiram_read32(p->fifo_start + SPIRAM_FIFO_WP_OFFSET) == rp)
			spiram_write32(p->fifo_start + SPIRAM_FIFO_RP_OFFSET, rp + p->len);
		else
			p->len = 0;	/* OpenOCD has written already */
	}

	struct spiram_ctx ctx;
	/* Zeroed by hand: the image carries no memset. */
	for (uint32_t *w = (uint32_t *)&ctx; w < (uint32_t *)(&ctx + 1); w++)
		*w = 0;
	ctx.params = p;
	ctx.ctrl = &p->ctrl;
	ctx.flash = &p->flash;
	int status;

	p->fail_addr = p->addr;
	p->result = 0;
	p->progress = 0;
	status = SPIRAM_ERR_NO_CONTROLLER;

	/* Each image carries one backend (see stub/build.sh). */
	uint32_t type = p->ctrl.type;
	switch (type) {
#ifdef STUB_WITH_QSPI
	case SPIRAM_CTRL_STM32_QSPI:
		spiram_backend_qspi(&ctx.ops);
		break;
#endif
#ifdef STUB_WITH_OSPI
	case SPIRAM_CTRL_STM32_OSPI:
		spiram_backend_ospi(&ctx.ops);
		break;
#endif
#ifdef STUB_WITH_SPI
	case SPIRAM_CTRL_STM32_SPI:
		spiram_backend_spi(&ctx.ops);
		break;
#endif
#ifdef STUB_WITH_GPIO
	case SPIRAM_CTRL_GPIO:
		spiram_backend_gpio(&ctx.ops);
		break;
#endif
	default:
		goto out;
	}

	status = ctx.ops.init(&ctx);
	if (status)
		goto out;
	status = stub_run_op(&ctx, op);

	/* End memory-mapped when asked to (the read uses the address width
	 * chosen by the setup, so a 4-byte mode then stays on). */
	bool memmap = ctx.ops.memmap_enter && ((op == SPIRAM_OP_MEMMAP_ENTER && !status)
		|| (op != SPIRAM_OP_MEMMAP_LEAVE && (p->ctrl.flags & SPIRAM_CTRL_F_LEAVE_MEMMAP)));
	ctx.keep_4b_mode |= memmap;
	spiram_nor_teardown(&ctx);
	ctx.ops.restore(&ctx, (memmap || op == SPIRAM_OP_MEMMAP_LEAVE) ?
			SPIRAM_RESTORE_INDIRECT : SPIRAM_RESTORE_AS_FOUND);
	if (memmap) {
		int mm_status = ctx.ops.memmap_enter(&ctx);
		if (!status)
			status = mm_status;
	}
out:
	stub_finish(p, status);
}

/*
 * The entry's call (stub_entry.S), placed right after it (.text.header.gate,
 * within the image's first SPIRAM_STUB_GATE_BYTES): an image that RAM
 * dropped or changed, or one an earlier session left that something has
 * overwritten since, ends here with SPIRAM_ERR_IMAGE before any other code
 * of it runs, and before the controller or the chip is touched.
 */
__attribute__((section(".text.header.gate"), used))
void spiram_stub_gate(struct spiram_params *p)
{
	if (p->magic == SPIRAM_STUB_MAGIC && p->image_hash && stub_image_hash() != p->image_hash)
		stub_finish(p, SPIRAM_ERR_IMAGE);
	else
		spiram_stub_main(p);
}
