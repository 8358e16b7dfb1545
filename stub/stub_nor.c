// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub NOR layer: SPI NOR commands built as struct spiram_xfer and
 * executed by the controller backend.  Everything chip specific (opcodes,
 * dummy cycles, address mode, page size, erase types, timings, quad enable
 * method) comes from struct spiram_flash_cfg: the stub has no chip table.
 *
 * Invariants:
 *  - every status write (and the chip erase, and B7h where it needs it) is
 *    preceded by WREN and a WEL check (unless SPIRAM_FLASH_F_NO_WEL_CHECK)
 *    and followed by a busy wait that ends when the chip is ready or when
 *    the host, whose clock knows the chip's maximum time, asks it to
 *    (spiram_host_stop());
 *  - page program and block erase, the fast path, send WREN and the command
 *    back to back, then one status read must show WIP = 1 (the command was
 *    taken: a chip without WEL, or a protected range, ignores it and reads
 *    WIP = 0 at once); their busy wait is left pending (ctx->busy_pending)
 *    and done by the next transaction (spiram_nor_xfer() settles first), so
 *    the caller prepares the next page while the chip programs this one;
 *  - page program never crosses a page boundary (callers split, this layer
 *    rejects a crossing request with SPIRAM_ERR_BAD_PARAM);
 *  - a 4-byte mode entered here (B7h) is left again (E9h) in teardown,
 *    unless the controller was found memory-mapped with 32-bit addresses;
 *  - dual-flash QUADSPI (ctx->dual): every register byte is read from both
 *    chips; busy while either chip is, WEL and "started" only when both
 *    show it, a register write sends each byte to both; a failure names
 *    the chips at fault in params.result (bit 0 FLASH1, bit 1 FLASH2).
 */

#include "spiram_stub.h"

#define NOR_OP_WREN		0x06
#define NOR_OP_WRDI		0x04
#define NOR_OP_RDSR1		0x05
#define NOR_OP_RDSR2		0x35
#define NOR_OP_WRSR		0x01
#define NOR_OP_WRSR2		0x31
#define NOR_OP_VOLATILE_WREN	0x50
#define NOR_OP_EN4B		0xb7
#define NOR_OP_EX4B		0xe9
#define NOR_OP_RSTEN		0x66
#define NOR_OP_RST		0x99

#define NOR_SR1_WIP		0x01
#define NOR_SR1_WEL		0x02

#define NOR_16MIB		0x01000000u

/* Helpers that dual-flash mode calls from more places: inlined in the
 * images without it, so that their stack stays as it was. */
#ifdef STUB_WITH_QSPI
#define NOR_ONE_CHIP_INLINE	__attribute__((noinline))
#else
#define NOR_ONE_CHIP_INLINE	inline __attribute__((always_inline))
#endif

/* One transaction; the mode byte, when fmt has one, is the read's.  A
 * program or erase still pending is waited for first. */
int spiram_nor_xfer(struct spiram_ctx *ctx, uint32_t fmt, uint32_t addr, const uint8_t *tx, uint8_t *rx,
			uint32_t len)
{
	if (ctx->busy_pending) {
		int status = spiram_nor_settle(ctx);
		if (status)
			return status;
	}
	struct spiram_xfer x = {
		.fmt = fmt, .addr = addr, .mode_byte = ctx->flash->read_mode_bits,
		.len = len, .tx = tx, .rx = rx,
	};
	return ctx->ops.xfer(ctx, &x);
}

int spiram_nor_cmd(struct spiram_ctx *ctx, uint8_t opcode)
{
	return spiram_nor_xfer(ctx, XF_CMD1 | opcode, 0, NULL, NULL, 0);
}

/* Register bytes.  Dual-flash: each byte comes from both chips, FLASH1's
 * into buf and FLASH2's into ctx->reg2 (len at most 4). */
#ifdef STUB_WITH_QSPI
static int nor_read_reg_dual(struct spiram_ctx *ctx, uint32_t fmt, uint8_t *buf, uint32_t len)
{
	uint8_t both[8];
	if (len > 4)
		return SPIRAM_ERR_BAD_PARAM;
	int status = spiram_nor_xfer(ctx, fmt, 0, NULL, both, 2 * len);
	for (uint32_t i = 0; i < len; i++) {
		buf[i] = both[2 * i];
		ctx->reg2[i] = both[2 * i + 1];
	}
	return status;
}
#endif

int spiram_nor_read_reg(struct spiram_ctx *ctx, uint8_t opcode, uint8_t *buf, uint32_t len)
{
	uint32_t fmt = XF_CMD1 | XF_DATA(1) | opcode;
#ifdef STUB_WITH_QSPI
	if (ctx->dual)
		return nor_read_reg_dual(ctx, fmt, buf, len);
#endif
	return spiram_nor_xfer(ctx, fmt, 0, NULL, buf, len);
}

/* The chips: bit 0 FLASH1, bit 1 FLASH2 when dual. */
static uint32_t nor_all_chips(const struct spiram_ctx *ctx)
{
	return STUB_DUAL(ctx) ? 3 : 1;
}

/* SR1 of every chip: the mask of the chips in which `bit` is set. */
static NOR_ONE_CHIP_INLINE int nor_sr1_chips(struct spiram_ctx *ctx, uint8_t bit, uint32_t *chips)
{
	uint8_t sr;
	int status = spiram_nor_read_reg(ctx, NOR_OP_RDSR1, &sr, 1);
	*chips = ((sr & bit) ? 1 : 0) | ((STUB_DUAL(ctx) && (STUB_REG2(ctx, 0) & bit)) ? 2 : 0);
	return status;
}

int spiram_nor_wait_ready(struct spiram_ctx *ctx)
{
	/* Straight to the backend: spiram_nor_xfer() would settle first.
	 * Field by field: an initializer would pull in the C library's
	 * memset (160 bytes of image).  Dual-flash: two bytes, FLASH1's first. */
	uint8_t sr[2];
	struct spiram_xfer x;
	x.fmt = XF_CMD1 | XF_DATA(1) | NOR_OP_RDSR1;
	x.addr = 0;
	x.mode_byte = 0;
	x.len = 1 + STUB_DUAL(ctx);
	x.tx = NULL;
	x.rx = sr;
#if defined(STUB_WITH_QSPI) || defined(STUB_WITH_OSPI)
	/* These images' one backend polls by itself (automatic polling). */
	int status = ctx->ops.wait_ready(ctx, NOR_SR1_WIP);
	/* Name the chip still busy (the poll only says "not both"). */
	if (status == SPIRAM_ERR_TIMEOUT && STUB_DUAL(ctx) && !ctx->ops.xfer(ctx, &x))
		ctx->params->result = (sr[0] & NOR_SR1_WIP) | (sr[1] & NOR_SR1_WIP) << 1;
	return status;
#else
	for (;;) {
		int status = ctx->ops.xfer(ctx, &x);
		if (status)
			return status;
		if (!(sr[0] & NOR_SR1_WIP))
			return SPIRAM_OK;
		if (spiram_host_stop(ctx))
			return SPIRAM_ERR_TIMEOUT;
	}
#endif
}

/* Wait for the program or erase left pending by nor_start(); a failed
 * wait names its address. */
int spiram_nor_settle(struct spiram_ctx *ctx)
{
	if (!ctx->busy_pending)
		return SPIRAM_OK;
	ctx->busy_pending = false;
	int status = spiram_nor_wait_ready(ctx);
	if (status)
		ctx->params->fail_addr = ctx->busy_addr;
	return status;
}

int spiram_nor_write_enable(struct spiram_ctx *ctx)
{
	int status = spiram_nor_cmd(ctx, NOR_OP_WREN);
	if (status || (ctx->flash->flags & SPIRAM_FLASH_F_NO_WEL_CHECK))
		return status;

	uint32_t wel;
	status = nor_sr1_chips(ctx, NOR_SR1_WEL, &wel);
	if (status)
		return status;
	if (wel == nor_all_chips(ctx))
		return SPIRAM_OK;
	ctx->params->result = nor_all_chips(ctx) & ~wel;
	return SPIRAM_ERR_WEL;
}

/* Status register write: WREN (or 50h for a volatile write), data, wait tW. */
static NOR_ONE_CHIP_INLINE int nor_write_reg_one(struct spiram_ctx *ctx, uint8_t opcode, const uint8_t *buf,
		uint32_t len, bool volatile_write)
{
	int status;
	if (volatile_write)
		status = spiram_nor_cmd(ctx, NOR_OP_VOLATILE_WREN);
	else
		status = spiram_nor_write_enable(ctx);
	if (!status)
		status = spiram_nor_xfer(ctx, XF_CMD1 | XF_DATA(1) | opcode, 0, buf, NULL, len);
	if (!status)
		status = spiram_nor_wait_ready(ctx);
	return status;
}

#ifdef STUB_WITH_QSPI
/* Dual-flash: each byte to both chips. */
static int nor_write_reg_dual(struct spiram_ctx *ctx, uint8_t opcode, const uint8_t *buf,
		uint32_t len, bool volatile_write)
{
	uint8_t both[8];
	if (len > 4)
		return SPIRAM_ERR_BAD_PARAM;
	for (uint32_t i = 0; i < len; i++) {
		both[2 * i] = buf[i];
		both[2 * i + 1] = buf[i];
	}
	return nor_write_reg_one(ctx, opcode, both, 2 * len, volatile_write);
}
#endif

int spiram_nor_write_reg(struct spiram_ctx *ctx, uint8_t opcode, const uint8_t *buf, uint32_t len,
			 bool volatile_write)
{
#ifdef STUB_WITH_QSPI
	if (ctx->dual)
		return nor_write_reg_dual(ctx, opcode, buf, len, volatile_write);
#endif
	return nor_write_reg_one(ctx, opcode, buf, len, volatile_write);
}

/* Line count (0 taken as 1) -> 2-bit line code of the format word. */
static uint32_t nor_line_code(uint32_t lines)
{
	return lines == 4 ? 3 : lines ? lines : 1;
}

/* SPIRAM_PROTO(cmd, addr, data) -> instruction, address and data phases. */
static __attribute__((noinline)) uint32_t nor_proto_fmt(uint32_t proto, uint32_t addr_bytes)
{
	return nor_line_code(SPIRAM_PROTO_CMD(proto)) << 8
		| XF_ADDR(nor_line_code(SPIRAM_PROTO_ADDR(proto)), addr_bytes)
		| XF_DATA(nor_line_code(SPIRAM_PROTO_DATA(proto)));
}

static uint32_t nor_pick(const struct spiram_ctx *ctx, uint32_t opcode, uint32_t opcode_4b)
{
	return (ctx->use_4b_opcodes && opcode_4b) ? opcode_4b : opcode;
}

uint32_t spiram_nor_read_opcode(const struct spiram_ctx *ctx)
{
	return nor_pick(ctx, ctx->flash->read_opcode, ctx->flash->read_opcode_4b);
}

int spiram_nor_read(struct spiram_ctx *ctx, uint32_t addr, uint8_t *buf, uint32_t len)
{
	return spiram_nor_xfer(ctx, ctx->read_fmt | spiram_nor_read_opcode(ctx), addr, NULL, buf, len);
}

/*
 * The fast path of page program and block erase: WREN and the command back
 * to back (no WEL read between them), then one status read, which costs
 * nothing since the chip is busy by then.  WIP = 1: the command was taken,
 * its wait is left to the next transaction.  WIP = 0: the chip ignored it
 * (no WEL, protected range) or, for a tiny program, already finished it:
 * SPIRAM_STUB_NOT_STARTED, and the caller finds out which.  Dual-flash:
 * started only when both chips are busy (the idle ones are kept to name).
 */
static int nor_start(struct spiram_ctx *ctx, uint32_t fmt, uint32_t addr, const uint8_t *buf, uint32_t len)
{
	int status = spiram_nor_cmd(ctx, NOR_OP_WREN);
	if (!status)
		status = spiram_nor_xfer(ctx, fmt, addr, buf, NULL, len);
	if (!status && !(ctx->flash->flags & SPIRAM_FLASH_F_NO_WEL_CHECK)) {
		uint32_t busy;
		status = nor_sr1_chips(ctx, NOR_SR1_WIP, &busy);
		uint32_t idle = nor_all_chips(ctx) & ~busy;
#ifdef STUB_WITH_QSPI
		ctx->idle_chips = idle;
#endif
		if (!status && idle)
			return SPIRAM_STUB_NOT_STARTED;
	}
	if (status)
		return status;
	ctx->busy_pending = true;
	ctx->busy_addr = addr;
	return SPIRAM_OK;
}

/*
 * After SPIRAM_STUB_NOT_STARTED: a WREN whose WEL does not set is
 * SPIRAM_ERR_WEL (WP#, no chip); otherwise the chip takes WREN but ignored
 * the command: SPIRAM_ERR_PROTECTED (WEL is cleared again with WRDI).
 */
int spiram_nor_why_not_started(struct spiram_ctx *ctx)
{
	int status = spiram_nor_write_enable(ctx);
	if (status)
		return status;
	status = spiram_nor_cmd(ctx, NOR_OP_WRDI);
	if (status)
		return status;
#ifdef STUB_WITH_QSPI
	ctx->params->result = ctx->idle_chips;
#endif
	return SPIRAM_ERR_PROTECTED;
}

/* Start a page program (see nor_start()); the wait is pending on return. */
int spiram_nor_program_start(struct spiram_ctx *ctx, uint32_t addr, const uint8_t *buf, uint32_t len)
{
	const struct spiram_flash_cfg *f = ctx->flash;

	if (!len || ((addr ^ (addr + len - 1)) & ~(f->page_size - 1)))
		return SPIRAM_ERR_BAD_PARAM;
	return nor_start(ctx, ctx->program_fmt | nor_pick(ctx, f->program_opcode, f->program_opcode_4b), addr, buf,
			 len);
}

/* Start a block erase of one of the chip's erase types (see nor_start()). */
int spiram_nor_erase(struct spiram_ctx *ctx, uint32_t addr, uint32_t size)
{
	const struct spiram_erase_type *e = ctx->flash->erase;

	for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++, e++) {
		if (!e->size || e->size != size)
			continue;
		if ((addr & (size - 1)) || (ctx->use_4b_opcodes && !e->opcode_4b))
			return SPIRAM_ERR_BAD_PARAM;
		return nor_start(ctx, XF_CMD1 | XF_ADDR(1, ctx->addr_bytes) | nor_pick(ctx, e->opcode, e->opcode_4b),
				 addr, NULL, 0);
	}
	return SPIRAM_ERR_BAD_PARAM;
}

int spiram_nor_erase_chip(struct spiram_ctx *ctx)
{
	int status = spiram_nor_write_enable(ctx);
	if (!status)
		status = spiram_nor_cmd(ctx, ctx->flash->chip_erase_opcode);
	if (!status)
		status = spiram_nor_wait_ready(ctx);
	return status;
}

int spiram_nor_reset(struct spiram_ctx *ctx)
{
	int status = spiram_nor_cmd(ctx, NOR_OP_RSTEN);
	if (!status)
		status = spiram_nor_cmd(ctx, NOR_OP_RST);
	if (!status)
		status = spiram_nor_wait_ready(ctx);
	return status;
}

/*
 * Set the QE bit by the configured method: SR1 bit 6 written with 01h, or
 * SR2 bit 1 written with 31h or as the second byte of a 01h write.  A
 * write the chip ignores (status register protected) is
 * SPIRAM_ERR_PROTECTED.  35h is only sent for SR2 methods (on Macronix it
 * would enter QPI).
 */
static int nor_quad_enable(struct spiram_ctx *ctx)
{
	uint32_t method = ctx->flash->qe_method;
	uint8_t sr[2];

	if (method == SPIRAM_QE_NONE)
		return SPIRAM_OK;
	if (method > SPIRAM_QE_SR1_BIT6)
		return SPIRAM_ERR_BAD_PARAM;
	bool in_sr2 = method != SPIRAM_QE_SR1_BIT6;
	uint8_t bit = in_sr2 ? 0x02 : 0x40;
	uint8_t *reg = &sr[in_sr2];
	uint8_t read_op = in_sr2 ? NOR_OP_RDSR2 : NOR_OP_RDSR1;

	int status = spiram_nor_read_reg(ctx, NOR_OP_RDSR1, &sr[0], 1);
	if (!status && in_sr2)
		status = spiram_nor_read_reg(ctx, NOR_OP_RDSR2, &sr[1], 1);
	/* Dual: both chips' bytes (FLASH2's of the last read in reg2). */
	uint8_t reg2 = STUB_DUAL(ctx) ? STUB_REG2(ctx, 0) : *reg;
	if (status || (*reg & reg2 & bit))
		return status;
	*reg |= bit;
	if (method == SPIRAM_QE_SR2_BIT1_WRSR2)
		status = spiram_nor_write_reg(ctx, NOR_OP_WRSR2, reg, 1, false);
	else
		status = spiram_nor_write_reg(ctx, NOR_OP_WRSR, sr, 1 + in_sr2, false);
	if (!status)
		status = spiram_nor_read_reg(ctx, read_op, reg, 1);
	reg2 = STUB_DUAL(ctx) ? STUB_REG2(ctx, 0) : *reg;
	if (!status && !(*reg & reg2 & bit))
		status = SPIRAM_ERR_PROTECTED;
	return status;
}

/*
 * Prepare the chip for array commands: check the configuration against
 * what the backend can drive, choose the address width, enter 4-byte mode
 * and set QE when asked.
 */
int spiram_nor_setup(struct spiram_ctx *ctx, bool need_array)
{
	const struct spiram_flash_cfg *f = ctx->flash;
	uint32_t max_lines = ctx->ops.max_lines;
	uint32_t rp = f->read_proto, pp = f->program_proto;
	int status;

	ctx->addr_bytes = 3;
	if (!need_array)
		return SPIRAM_OK;

	uint32_t page = f->page_size;
	if (!page || (page & (page - 1)))
		return SPIRAM_ERR_BAD_PARAM;
	/* Line counts are 0 (= 1), 1, 2 or 4: any 2 or 4 needs a quad backend. */
	if (max_lines < 4 && ((rp | pp) & 0x666))
		return SPIRAM_ERR_BAD_PARAM;

	switch (f->addr_mode) {
	case SPIRAM_ADDR_3B:
		/* dual-flash: each chip sees AR / 2, so the bank may hold 32 MiB */
		if (f->size >> STUB_DUAL(ctx) > NOR_16MIB)
			return SPIRAM_ERR_BAD_PARAM;
		break;
	case SPIRAM_ADDR_4B_OPCODES:
		ctx->addr_bytes = 4;
		ctx->use_4b_opcodes = true;
		break;
	case SPIRAM_ADDR_4B_MODE:
		if (f->flags & SPIRAM_FLASH_F_4B_NEEDS_WREN) {
			status = spiram_nor_write_enable(ctx);
			if (status)
				return status;
		}
		status = spiram_nor_cmd(ctx, NOR_OP_EN4B);
		if (status)
			return status;
		ctx->entered_4b_mode = true;
		ctx->addr_bytes = 4;
		break;
	default:
		return SPIRAM_ERR_BAD_PARAM;
	}

	/* The read: the mode byte takes 8 / lines of the dummy clocks. */
	uint32_t fmt = nor_proto_fmt(rp, ctx->addr_bytes);
	uint32_t addr_code = XF_FIELD(fmt, XF_ADDR_SHIFT);
	uint32_t dummy = f->read_dummy;
	if (f->read_mode_bits <= 0xff) {
		uint32_t mode_clocks = 8 >> (addr_code - 1);
		fmt |= XF_MODE(addr_code);
		dummy = dummy > mode_clocks ? dummy - mode_clocks : 0;
	}
	if (dummy > 31)
		return SPIRAM_ERR_BAD_PARAM;
	ctx->read_fmt = fmt | XF_DUMMY(dummy);
	ctx->program_fmt = nor_proto_fmt(pp, ctx->addr_bytes);

	bool quad = (rp | pp) & 0x044;	/* data or address on four lines */
	return quad ? nor_quad_enable(ctx) : SPIRAM_OK;
}

void spiram_nor_teardown(struct spiram_ctx *ctx)
{
	if (ctx->entered_4b_mode && !ctx->keep_4b_mode)
		spiram_nor_cmd(ctx, NOR_OP_EX4B);
	ctx->entered_4b_mode = false;
}
