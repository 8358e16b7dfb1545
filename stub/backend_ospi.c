// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub backend: STM32 OCTOSPI (H7A3/H7B0/H7B3, H72x/H73x layout)
 * driving a SPI NOR on 1, 2 or 4 lines.
 *
 * Indirect read/write for transactions, automatic status polling
 * (FMODE=10) for the busy bit, memory-mapped mode (FMODE=11) on request,
 * as the QUADSPI backend; the differences are where things live
 * (stm32-octospi.md section 2.7): FMODE in CR, opcode in IR, dummy cycles
 * in TCR, prescaler in DCR2, 3-bit line codes in CCR, and what starts a
 * command: the IR write when there is no address phase, else the AR write
 * (section 2.8).  The transaction format word (XF_*, QUADSPI layout) is
 * translated into CCR/TCR/IR here.
 *
 * Invariants:
 *  - init saves CR, DCR1, DCR2, CCR, TCR, IR, ABR, DLR, PSMKR, PSMAR and
 *    PIR (every register it writes; LPTR it never touches), aborts
 *    whatever runs and works with FMODE = 00 (nothing starts on a CR
 *    write); restore writes them back with EN = 0 (so the
 *    IR write starts nothing), CR last, so a controller found
 *    memory-mapped is memory-mapped again;
 *  - CCR, TCR and IR are never written while BUSY = 1;
 *  - every wait is bounded; a controller error (TEF) or a stuck flag leads
 *    to ABORT and SPIRAM_ERR_CONTROLLER / SPIRAM_ERR_TIMEOUT.
 * AR is not restored: writing it with an address phase configured would
 * start a command, and it only holds the last transfer's address.
 *
 * Octal DTR (8D-8D-8D, Macronix octaflash such as the MX25LM51245G): when
 * the controller was found set up for it (the saved CCR has an 8-line DTR
 * instruction: the board's reset-init put the chip in DTR OPI and left the
 * 8D-8D-8D read memory-mapped, as OpenOCD's stm32h735g-disco.cfg does),
 * every command is sent in that protocol (nor-chips.md 9.5): the opcode
 * and its inverse as a 16-bit DTR instruction, the 1-1-1 opcodes the NOR
 * layer uses mapped to their OPI forms (02h -> 12h, 20h -> 21h, D8h ->
 * DCh, 03h/0Bh/13h/0Ch -> EEh), addresses as 4 DTR bytes, data in DTR; the
 * array and SFDP reads with 20 dummy cycles (CR2 DC at its default) and
 * DQS capture; register and ID reads with address 0, 4 dummy cycles and
 * the data sampled single rate, which takes one byte of each DTR pair (as
 * OpenOCD's stmqspi does).
 */

#include "spiram_stub.h"

#define OSPI_CR		0x000
#define OSPI_DCR1	0x008
#define OSPI_DCR2	0x00c
#define OSPI_SR		0x020
#define OSPI_FCR	0x024
#define OSPI_DLR	0x040
#define OSPI_AR		0x048
#define OSPI_DR		0x050
#define OSPI_PSMKR	0x080
#define OSPI_PSMAR	0x088
#define OSPI_PIR	0x090
#define OSPI_CCR	0x100
#define OSPI_TCR	0x108
#define OSPI_IR		0x110
#define OSPI_ABR	0x120
#define OSPI_LPTR	0x130

#define OSPI_CR_EN		BIT(0)
#define OSPI_CR_ABORT		BIT(1)
#define OSPI_CR_FSEL		BIT(7)
#define OSPI_CR_APMS		BIT(22)
#define OSPI_CR_PMM		BIT(23)
#define OSPI_CR_FMODE_SHIFT	28
#define OSPI_CR_FMODE_MASK	(3u << 28)
#define OSPI_FMODE_READ		1u
#define OSPI_FMODE_POLL		2u
#define OSPI_FMODE_MEMMAP	3u

#define OSPI_DCR1_DEVSIZE_MASK	(0x1fu << 16)
#define OSPI_DCR2_PRESCALER_MASK	0xffu

#define OSPI_SR_TEF		BIT(0)
#define OSPI_SR_TCF		BIT(1)
#define OSPI_SR_BUSY		BIT(5)

#define OSPI_FCR_ALL		0x1bu	/* CTEF CTCF CSMF CTOF */
#define OSPI_FCR_CTCF		BIT(1)
#define OSPI_FCR_CSMF		BIT(3)

#define OSPI_CCR_ADSIZE(ccr)	(((ccr) >> 12) & 3u)
/* 8D-8D-8D: IMODE=100 IDTR ISIZE=16-bit; ADMODE=100 ADDTR ADSIZE=32-bit; DMODE=100 DDTR; DQSE */
#define OSPI_CCR_IMODE_IDTR_MASK	0xfu
#define OSPI_CCR_8D_INSTRUCTION	(4u | BIT(3) | 1u << 4)
#define OSPI_CCR_8D_ADDRESS	(4u << 8 | BIT(11) | 3u << 12)
#define OSPI_CCR_8_DATA		(4u << 24)
#define OSPI_CCR_DDTR		BIT(27)
#define OSPI_CCR_DQSE		BIT(29)
#define OSPI_8D_READ_DUMMY	20u	/* EEh and SFDP at CR2 DC = 000 */
#define OSPI_8D_REG_DUMMY	4u	/* register and ID reads */
#define OSPI_TCR_DCYC_MASK	0x1fu

/* Polling interval in CLK cycles between two automatic status reads. */
#define OSPI_POLL_INTERVAL	16u

static uint32_t ospi_reg(const struct spiram_ctx *ctx, uint32_t off)
{
	return spiram_read32(ctx->ctrl->regs + off);
}

static void ospi_set(const struct spiram_ctx *ctx, uint32_t off, uint32_t value)
{
	spiram_write32(ctx->ctrl->regs + off, value);
}

static const struct spiram_xspi_regs ospi_regs = {
	.cr = OSPI_CR, .sr = OSPI_SR, .fcr = OSPI_FCR, .dr = OSPI_DR,
};

static int ospi_wait_sr(const struct spiram_ctx *ctx, uint32_t mask, uint32_t want)
{
	return spiram_xspi_wait_sr(ctx, &ospi_regs, mask, want);
}

static int ospi_abort(const struct spiram_ctx *ctx)
{
	return spiram_xspi_abort(ctx, &ospi_regs);
}

/* The CR the backend works with: the flash select as found, FMODE = 00, EN. */
static uint32_t ospi_cr_work(const struct spiram_ctx *ctx)
{
	return (ctx->saved.ospi.cr & OSPI_CR_FSEL) | OSPI_CR_EN;
}

static int ospi_fail(const struct spiram_ctx *ctx, int status)
{
	ospi_abort(ctx);
	return status;
}

/* The controller was found in 8D-8D-8D (see the file header). */
static bool ospi_octal_dtr(const struct spiram_ctx *ctx)
{
	return (ctx->saved.ospi.ccr & OSPI_CCR_IMODE_IDTR_MASK) == (4u | BIT(3));
}

/* The OPI form of a 1-1-1 opcode the NOR layer sends. */
static uint8_t ospi_octal_opcode(uint8_t op)
{
	switch (op) {
	case 0x02:
		return 0x12;
	case 0x20:
		return 0x21;
	case 0xd8:
		return 0xdc;
	case 0x03:
	case 0x0b:
	case 0x13:
	case 0x0c:
		return 0xee;
	default:
		return op;
	}
}

/*
 * fmt in 8D-8D-8D.  A command with data and no address (register and ID
 * reads, status writes) gets address 0, written to AR here (it starts the
 * command; the caller writes AR only for its own address phase).  The
 * data direction comes from CR.FMODE, already set by the caller (the
 * array and SFDP reads are reads whatever it says).
 */
static void ospi_command_octal(struct spiram_ctx *ctx, uint32_t fmt)
{
	uint8_t op = ospi_octal_opcode(fmt & 0xff);
	/* the array read is set up with FMODE = 00 before memory-mapped mode */
	bool reading = op == 0xee || op == 0x5a || (ospi_reg(ctx, OSPI_CR) & OSPI_CR_FMODE_MASK);
	bool address = XF_FIELD(fmt, XF_ADDR_SHIFT);
	bool data = XF_FIELD(fmt, XF_DATA_SHIFT);
	uint32_t ccr = OSPI_CCR_8D_INSTRUCTION;
	uint32_t dummy = 0;

	if (address || data)
		ccr |= OSPI_CCR_8D_ADDRESS;
	if (data)
		ccr |= OSPI_CCR_8_DATA | (reading ? OSPI_CCR_DQSE : 0);
	if (data && (address || !reading))
		ccr |= OSPI_CCR_DDTR;
	if (data && reading)
		dummy = address ? OSPI_8D_READ_DUMMY : OSPI_8D_REG_DUMMY;
	ospi_set(ctx, OSPI_TCR, (ctx->saved.ospi.tcr & ~OSPI_TCR_DCYC_MASK) | dummy);
	ospi_set(ctx, OSPI_CCR, ccr);
	ospi_set(ctx, OSPI_IR, (uint32_t)op << 8 | (uint8_t)~op);
	if (data && !address)
		ospi_set(ctx, OSPI_AR, 0);
}

/*
 * Program CCR, TCR (DCYC) and IR for format word fmt: the XF line codes
 * 0..3 are OCTOSPI's 000..011; the mode byte is an 8-bit alternate-byte
 * phase.  IR goes last: without an address phase it starts the command.
 */
static void ospi_command(struct spiram_ctx *ctx, uint32_t fmt)
{
	if (ospi_octal_dtr(ctx)) {
		ospi_command_octal(ctx, fmt);
		return;
	}
	uint32_t ccr = XF_FIELD(fmt, 8) | XF_FIELD(fmt, XF_ADDR_SHIFT) << 8 |
		XF_FIELD(fmt, 12) << 12 | XF_FIELD(fmt, XF_MODE_SHIFT) << 16 |
		XF_FIELD(fmt, XF_DATA_SHIFT) << 24;

	ospi_set(ctx, OSPI_TCR, (ctx->saved.ospi.tcr & ~OSPI_TCR_DCYC_MASK) | XF_DUMMY_OF(fmt));
	ospi_set(ctx, OSPI_CCR, ccr);
	ospi_set(ctx, OSPI_IR, fmt & 0xff);
}

static int ospi_init(struct spiram_ctx *ctx)
{
	struct spiram_ospi_saved *s = &ctx->saved.ospi;

	if (!ctx->ctrl->regs)
		return SPIRAM_ERR_NO_CONTROLLER;
	s->cr = ospi_reg(ctx, OSPI_CR);
	s->dcr1 = ospi_reg(ctx, OSPI_DCR1);
	s->dcr2 = ospi_reg(ctx, OSPI_DCR2);
	s->ccr = ospi_reg(ctx, OSPI_CCR);
	s->tcr = ospi_reg(ctx, OSPI_TCR);
	s->ir = ospi_reg(ctx, OSPI_IR);
	s->abr = ospi_reg(ctx, OSPI_ABR);
	s->dlr = ospi_reg(ctx, OSPI_DLR);
	s->psmkr = ospi_reg(ctx, OSPI_PSMKR);
	s->psmar = ospi_reg(ctx, OSPI_PSMAR);
	s->pir = ospi_reg(ctx, OSPI_PIR);

	/* Found memory-mapped with 32-bit addresses: the chip is in 4-byte
	 * mode on purpose, leave it so. */
	ctx->keep_4b_mode = (s->cr & OSPI_CR_FMODE_MASK) == OSPI_FMODE_MEMMAP << OSPI_CR_FMODE_SHIFT
		&& OSPI_CCR_ADSIZE(s->ccr) == 3;

	int status = ospi_abort(ctx);
	if (status)
		return status;

	/* Keep the flash select; dual-quad (DQM), interrupts, polling modes
	 * and the memory-mapped timeout are off while we work; FMODE = 00
	 * (indirect write) starts nothing by itself. */
	uint32_t cr = s->cr & OSPI_CR_FSEL;
	ospi_set(ctx, OSPI_CR, cr);
	ospi_set(ctx, OSPI_DCR1, (s->dcr1 & ~OSPI_DCR1_DEVSIZE_MASK) | spiram_xspi_size_field(ctx));
	if (ctx->ctrl->prescaler)
		ospi_set(ctx, OSPI_DCR2, (s->dcr2 & ~OSPI_DCR2_PRESCALER_MASK) | (ctx->ctrl->prescaler - 1));
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx));
	return SPIRAM_OK;
}

static int ospi_xfer(struct spiram_ctx *ctx, const struct spiram_xfer *x)
{
	int status = ospi_wait_sr(ctx, OSPI_SR_BUSY, 0);
	if (status)
		return ospi_fail(ctx, status);
	ospi_set(ctx, OSPI_FCR, OSPI_FCR_ALL);

	uint32_t fmt = x->fmt;
	if (!x->len)
		fmt &= ~(3u << XF_DATA_SHIFT);
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx) | (x->rx ? OSPI_FMODE_READ << OSPI_CR_FMODE_SHIFT : 0));
	if (x->len)
		ospi_set(ctx, OSPI_DLR, x->len - 1);
	if (XF_FIELD(fmt, XF_MODE_SHIFT))
		ospi_set(ctx, OSPI_ABR, x->mode_byte);
	ospi_command(ctx, fmt);
	if (XF_FIELD(fmt, XF_ADDR_SHIFT))
		ospi_set(ctx, OSPI_AR, x->addr);

	status = spiram_fifo_move(ctx, &ospi_regs, x);
	if (status)
		return ospi_fail(ctx, status);
	status = ospi_wait_sr(ctx, OSPI_SR_TCF, OSPI_SR_TCF);
	if (status || (ospi_reg(ctx, OSPI_SR) & OSPI_SR_TEF))
		return ospi_fail(ctx, SPIRAM_ERR_CONTROLLER);
	ospi_set(ctx, OSPI_FCR, OSPI_FCR_CTCF);
	return SPIRAM_OK;
}

/*
 * Automatic status polling of 05h until (SR1 & mask) == 0, stopping at the
 * first match (APMS); the wait is spiram_xspi_poll_wait's.
 */
static int ospi_wait_ready(struct spiram_ctx *ctx, uint32_t mask)
{
	int status = ospi_wait_sr(ctx, OSPI_SR_BUSY, 0);
	if (status)
		return ospi_fail(ctx, status);
	ospi_set(ctx, OSPI_FCR, OSPI_FCR_ALL);

	ospi_set(ctx, OSPI_CR, (ospi_cr_work(ctx) & ~OSPI_CR_PMM) | OSPI_CR_APMS
		 | OSPI_FMODE_POLL << OSPI_CR_FMODE_SHIFT);
	ospi_set(ctx, OSPI_PSMKR, mask);
	ospi_set(ctx, OSPI_PSMAR, 0);
	ospi_set(ctx, OSPI_PIR, OSPI_POLL_INTERVAL);
	ospi_set(ctx, OSPI_DLR, 0);
	ospi_command(ctx, XF_OP(0x05) | XF_CMD1 | XF_DATA(1));

	status = spiram_xspi_poll_wait(ctx, &ospi_regs);
	if (status)
		return ospi_fail(ctx, status);
	ospi_set(ctx, OSPI_FCR, OSPI_FCR_CSMF | OSPI_FCR_CTCF);
	/* APMS stops the session; make sure before IR is written again. */
	status = ospi_wait_sr(ctx, OSPI_SR_BUSY, 0);
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx));
	return status ? ospi_fail(ctx, status) : SPIRAM_OK;
}

static void ospi_restore(struct spiram_ctx *ctx, enum spiram_restore_mode mode)
{
	const struct spiram_ospi_saved *s = &ctx->saved.ospi;
	uint32_t cr = s->cr & ~OSPI_CR_ABORT;

	ospi_abort(ctx);
	/* EN = 0 and FMODE = 00 while the command registers go back: an IR
	 * write then starts nothing. */
	ospi_set(ctx, OSPI_CR, cr & ~(OSPI_CR_EN | OSPI_CR_FMODE_MASK));
	ospi_set(ctx, OSPI_DLR, s->dlr);
	ospi_set(ctx, OSPI_ABR, s->abr);
	ospi_set(ctx, OSPI_PSMKR, s->psmkr);
	ospi_set(ctx, OSPI_PSMAR, s->psmar);
	ospi_set(ctx, OSPI_PIR, s->pir);
	ospi_set(ctx, OSPI_DCR1, s->dcr1);
	ospi_set(ctx, OSPI_DCR2, s->dcr2);
	ospi_set(ctx, OSPI_TCR, s->tcr);
	ospi_set(ctx, OSPI_CCR, s->ccr);
	ospi_set(ctx, OSPI_IR, s->ir);
	if (mode == SPIRAM_RESTORE_INDIRECT)
		cr &= ~OSPI_CR_FMODE_MASK;	/* memory-mapped -> indirect write */
	ospi_set(ctx, OSPI_CR, cr);
}

/* The configured read, memory-mapped: command registers first, FMODE last. */
static int ospi_memmap_enter(struct spiram_ctx *ctx)
{
	int status = ospi_wait_sr(ctx, OSPI_SR_BUSY, 0);
	if (status)
		return status;
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx));
	ospi_set(ctx, OSPI_DCR1, (ospi_reg(ctx, OSPI_DCR1) & ~OSPI_DCR1_DEVSIZE_MASK) | spiram_xspi_size_field(ctx));
	if (XF_FIELD(ctx->read_fmt, XF_MODE_SHIFT))
		ospi_set(ctx, OSPI_ABR, ctx->flash->read_mode_bits);
	/* FMODE = 00 with an address phase: the IR write waits for AR */
	ospi_command(ctx, ctx->read_fmt | spiram_nor_read_opcode(ctx));
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx) | OSPI_FMODE_MEMMAP << OSPI_CR_FMODE_SHIFT);
	return SPIRAM_OK;
}

/* ABORT the memory-mapped read and go back to FMODE = 00. */
static int ospi_memmap_leave(struct spiram_ctx *ctx)
{
	int status = ospi_abort(ctx);
	ospi_set(ctx, OSPI_CR, ospi_cr_work(ctx));
	return status;
}

void spiram_backend_ospi(struct spiram_backend_ops *ops)
{
	ops->max_lines = 4;
	ops->init = ospi_init;
	ops->restore = ospi_restore;
	ops->xfer = ospi_xfer;
	ops->wait_ready = ospi_wait_ready;
	ops->memmap_enter = ospi_memmap_enter;
	ops->memmap_leave = ospi_memmap_leave;
}
