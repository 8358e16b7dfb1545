// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * RCC models (STM32H7 and STM32F1/GD32F30x).  See periph_rcc.h.
 *
 * Invariants:
 *  - regs[] holds the writable bits only; ready/status bits are computed
 *    on read from their enable bits, so they can never disagree;
 *  - reset_value[] is what sim_rcc_reset() loads; boards may change it
 *    through sim_rcc_force_reset_bit().
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "periph_rcc.h"

#define RCC_SIZE	0x400u
#define RCC_WORDS	(RCC_SIZE / 4)

/* An enable bit and the ready bit that follows it, in one register. */
struct rcc_ready_pair {
	uint32_t offset;
	unsigned int on_bit;
	unsigned int ready_bit;
};

struct sim_rcc {
	enum sim_rcc_family family;
	uint32_t base;
	uint32_t regs[RCC_WORDS];	/* writable state of every register */
	uint32_t reset_value[RCC_WORDS];
	/* the H7 QUADSPI kernel clock, computed once per change of regs[]
	 * (it is asked at every QUADSPI command) */
	uint32_t writes;		/* regs[] changes so far */
	uint32_t qspi_hz_writes;	/* writes when qspi_hz was computed */
	uint32_t qspi_hz;
	bool qspi_hz_valid;
};

/*
 * H7 RCC_CR: HSION 0 -> HSIRDY 2, CSION 7 -> CSIRDY 8, RC48ON 12 ->
 * RC48RDY 13, HSEON 16 -> HSERDY 17 (a crystal is assumed fitted),
 * PLL1ON 24 -> PLL1RDY 25, PLL2ON 26 -> 27, PLL3ON 28 -> 29.
 * BDCR LSEON 0 -> LSERDY 1, CSR LSION 0 -> LSIRDY 1.
 */
static const struct rcc_ready_pair rcc_h7_pairs[] = {
	{ SIM_RCC_H7_CR, 0, 2 },
	{ SIM_RCC_H7_CR, 7, 8 },
	{ SIM_RCC_H7_CR, 12, 13 },
	{ SIM_RCC_H7_CR, 16, 17 },
	{ SIM_RCC_H7_CR, 24, 25 },
	{ SIM_RCC_H7_CR, 26, 27 },
	{ SIM_RCC_H7_CR, 28, 29 },
	{ SIM_RCC_H7_BDCR, 0, 1 },
	{ SIM_RCC_H7_CSR, 0, 1 },
};

/*
 * F1 RCC_CR: HSION 0 -> HSIRDY 1, HSEON 16 -> HSERDY 17, PLLON 24 ->
 * PLLRDY 25; connectivity line / GD32F30x CL: PLL2ON 26 -> 27,
 * PLL3ON 28 -> 29.  BDCR LSEON 0 -> LSERDY 1, CSR LSION 0 -> LSIRDY 1.
 */
static const struct rcc_ready_pair rcc_f1_pairs[] = {
	{ SIM_RCC_F1_CR, 0, 1 },
	{ SIM_RCC_F1_CR, 16, 17 },
	{ SIM_RCC_F1_CR, 24, 25 },
	{ SIM_RCC_F1_CR, 26, 27 },
	{ SIM_RCC_F1_CR, 28, 29 },
	{ SIM_RCC_F1_BDCR, 0, 1 },
	{ SIM_RCC_F1_CSR, 0, 1 },
};

/*
 * F7 RCC_CR (RM0385): HSION 0 -> HSIRDY 1, HSEON 16 -> HSERDY 17, PLLON
 * 24 -> PLLRDY 25, PLLI2SON 26 -> 27, PLLSAION 28 -> 29.  BDCR LSEON 0 ->
 * LSERDY 1, CSR LSION 0 -> LSIRDY 1.
 */
static const struct rcc_ready_pair rcc_f7_pairs[] = {
	{ SIM_RCC_F7_CR, 0, 1 },
	{ SIM_RCC_F7_CR, 16, 17 },
	{ SIM_RCC_F7_CR, 24, 25 },
	{ SIM_RCC_F7_CR, 26, 27 },
	{ SIM_RCC_F7_CR, 28, 29 },
	{ SIM_RCC_F7_BDCR, 0, 1 },
	{ SIM_RCC_F7_CSR, 0, 1 },
};

/*
 * L4 RCC_CR (RM0351): MSION 0 -> MSIRDY 1, HSION 8 -> HSIRDY 10, HSEON 16
 * -> HSERDY 17, PLLON 24 -> PLLRDY 25, PLLSAI1ON 26 -> 27, PLLSAI2ON 28 ->
 * 29.  BDCR LSEON 0 -> LSERDY 1, CSR LSION 0 -> LSIRDY 1.
 */
static const struct rcc_ready_pair rcc_l4_pairs[] = {
	{ SIM_RCC_L4_CR, 0, 1 },
	{ SIM_RCC_L4_CR, 8, 10 },
	{ SIM_RCC_L4_CR, 16, 17 },
	{ SIM_RCC_L4_CR, 24, 25 },
	{ SIM_RCC_L4_CR, 26, 27 },
	{ SIM_RCC_L4_CR, 28, 29 },
	{ SIM_RCC_L4_BDCR, 0, 1 },
	{ SIM_RCC_L4_CSR, 0, 1 },
};

/* H7: D1CKRDY (14), D2CKRDY (15) and HSIDIVF (5) read as 1 (UNVERIFIED:
 * the dividers and domains settle instantly in the model). */
#define RCC_H7_CR_ALWAYS_ONE	((1u << 5) | (1u << 14) | (1u << 15))

static void rcc_pairs(const struct sim_rcc *rcc, const struct rcc_ready_pair **pairs,
		      size_t *count)
{
	if (rcc->family == SIM_RCC_H7) {
		*pairs = rcc_h7_pairs;
		*count = sizeof(rcc_h7_pairs) / sizeof(rcc_h7_pairs[0]);
	} else if (rcc->family == SIM_RCC_F7) {
		*pairs = rcc_f7_pairs;
		*count = sizeof(rcc_f7_pairs) / sizeof(rcc_f7_pairs[0]);
	} else if (rcc->family == SIM_RCC_L4) {
		*pairs = rcc_l4_pairs;
		*count = sizeof(rcc_l4_pairs) / sizeof(rcc_l4_pairs[0]);
	} else {
		*pairs = rcc_f1_pairs;
		*count = sizeof(rcc_f1_pairs) / sizeof(rcc_f1_pairs[0]);
	}
}

/* Bits of a register that software cannot write (status bits). */
static uint32_t rcc_readonly_mask(const struct sim_rcc *rcc, uint32_t offset)
{
	const struct rcc_ready_pair *pairs;
	size_t count;
	uint32_t mask = 0;

	rcc_pairs(rcc, &pairs, &count);
	for (size_t i = 0; i < count; i++)
		if (pairs[i].offset == offset)
			mask |= 1u << pairs[i].ready_bit;
	if (rcc->family == SIM_RCC_H7 && offset == SIM_RCC_H7_CR)
		mask |= RCC_H7_CR_ALWAYS_ONE;
	if (rcc->family == SIM_RCC_H7 && offset == SIM_RCC_H7_CFGR)
		mask |= 0x7u << 3;	/* SWS */
	if (rcc->family == SIM_RCC_F1 && offset == SIM_RCC_F1_CFGR)
		mask |= 0x3u << 2;	/* SWS */
	if (rcc->family == SIM_RCC_F7 && offset == SIM_RCC_F7_CFGR)
		mask |= 0x3u << 2;	/* SWS */
	if (rcc->family == SIM_RCC_L4 && offset == SIM_RCC_L4_CFGR)
		mask |= 0x3u << 2;	/* SWS */
	return mask;
}

static uint32_t rcc_read_reg(const struct sim_rcc *rcc, uint32_t offset)
{
	const struct rcc_ready_pair *pairs;
	size_t count;
	uint32_t value = rcc->regs[offset / 4];

	rcc_pairs(rcc, &pairs, &count);
	for (size_t i = 0; i < count; i++)
		if (pairs[i].offset == offset && (value & (1u << pairs[i].on_bit)))
			value |= 1u << pairs[i].ready_bit;
	if (rcc->family == SIM_RCC_H7) {
		if (offset == SIM_RCC_H7_CR)
			value |= RCC_H7_CR_ALWAYS_ONE;
		if (offset == SIM_RCC_H7_CFGR)
			value = (value & ~(0x7u << 3)) | ((value & 0x7u) << 3);
	} else if (rcc->family == SIM_RCC_L4) {
		/* SW: 00 MSI, 01 HSI16, 10 HSE, 11 PLL, all valid: SWS follows */
		if (offset == SIM_RCC_L4_CFGR)
			value = (value & ~(0x3u << 2)) | ((value & 0x3u) << 2);
	} else if (rcc->family == SIM_RCC_F7) {
		if (offset == SIM_RCC_F7_CFGR) {
			uint32_t sw = value & 0x3u;
			/* SW = 11 is "not allowed": SWS keeps HSI */
			value = (value & ~(0x3u << 2)) | ((sw == 3 ? 0 : sw) << 2);
		}
	} else if (offset == SIM_RCC_F1_CFGR) {
		uint32_t sw = value & 0x3u;

		/* SW = 11 is "not allowed": the switch does not happen (SWS keeps HSI). */
		value = (value & ~(0x3u << 2)) | ((sw == 3 ? 0 : sw) << 2);
	}
	return value;
}

/*
 * H7: RCC_C1_RSR .. RCC_C1_APB4LPENR (0x130..0x17C) are the core's view of
 * RSR .. APB4LPENR (0x0D0..0x11C), the same registers 0x60 lower (RM0433
 * register map).  OpenOCD's STM32H735G-DK and STM32H7B3I-DK set-ups write
 * the clock enables there (0x134, 0x140); on the H72x/H73x and H7A3/H7B0
 * the alias is INFERRED from those configs only (stm32-octospi.md 1).
 */
static uint32_t rcc_alias(const struct sim_rcc *rcc, uint32_t offset)
{
	if (rcc->family == SIM_RCC_H7 && offset >= 0x130u && offset <= 0x17Fu)
		return offset - 0x60u;
	return offset;
}

static int rcc_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_rcc *rcc = opaque;
	uint32_t word = rcc_read_reg(rcc, rcc_alias(rcc, offset) & ~3u);

	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return 0;
}

static int rcc_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_rcc *rcc = opaque;
	uint32_t aligned = rcc_alias(rcc, offset) & ~3u;
	unsigned int shift = (offset & 3u) * 8;
	uint32_t lane = size == 4 ? 0xFFFFFFFFu : ((1u << (size * 8)) - 1) << shift;
	uint32_t ro = rcc_readonly_mask(rcc, aligned);
	uint32_t *reg = &rcc->regs[aligned / 4];

	value <<= shift;
	*reg = (*reg & ~(lane & ~ro)) | (value & lane & ~ro);
	rcc->writes++;
	return 0;
}

void sim_rcc_reset(struct sim_rcc *rcc)
{
	memcpy(rcc->regs, rcc->reset_value, sizeof(rcc->regs));
	rcc->writes++;
}

static void rcc_reset_hook(void *opaque)
{
	sim_rcc_reset(opaque);
}

static const struct sim_device_ops rcc_ops = {
	.read = rcc_read,
	.write = rcc_write,
};

struct sim_rcc *sim_rcc_create(enum sim_rcc_family family, uint32_t base)
{
	struct sim_rcc *rcc = calloc(1, sizeof(*rcc));

	if (!rcc)
		return NULL;
	rcc->family = family;
	rcc->base = base;
	if (family == SIM_RCC_H7) {
		/* RM0433 reset values (UNVERIFIED except CR/CFGR, which the
		 * reference sheet implies: HSI on at reset, SW = HSI). */
		rcc->reset_value[SIM_RCC_H7_CR / 4] = 0x00000001u;	/* HSION; HSIRDY computed */
		rcc->reset_value[SIM_RCC_H7_PLLCKSELR / 4] = 0x02020200u;
		rcc->reset_value[SIM_RCC_H7_PLLCFGR / 4] = 0x01FF0000u;
		rcc->reset_value[SIM_RCC_H7_PLL1DIVR / 4] = 0x01010280u;
		rcc->reset_value[SIM_RCC_H7_PLL2DIVR / 4] = 0x01010280u;
		rcc->reset_value[SIM_RCC_H7_PLL3DIVR / 4] = 0x01010280u;
	} else if (family == SIM_RCC_L4) {
		/* RM0351 reset values: CR MSION, MSIRANGE 6 (4 MHz), 0x63 with
		 * MSIRDY; PLLCFGR 00001000h; AHB1ENR FLASHEN; CSR MSISRANGE 6,
		 * PINRSTF, PORRSTF (UNVERIFIED) */
		rcc->reset_value[SIM_RCC_L4_CR / 4] = 0x00000061u;
		rcc->reset_value[SIM_RCC_L4_PLLCFGR / 4] = 0x00001000u;
		rcc->reset_value[SIM_RCC_L4_AHB1ENR / 4] = 0x00000100u;
		rcc->reset_value[SIM_RCC_L4_CSR / 4] = 0x0C000600u;
	} else if (family == SIM_RCC_F7) {
		/* RM0385 reset values: CR HSION + HSITRIM 16 (0x83 with
		 * HSIRDY); PLLCFGR 24003010h; AHB1ENR DTCMRAMEN (bit 20);
		 * CSR PINRSTF, PORRSTF (UNVERIFIED) */
		rcc->reset_value[SIM_RCC_F7_CR / 4] = 0x00000081u;
		rcc->reset_value[SIM_RCC_F7_PLLCFGR / 4] = 0x24003010u;
		rcc->reset_value[SIM_RCC_F7_AHB1ENR / 4] = 0x00100000u;
		rcc->reset_value[SIM_RCC_F7_CSR / 4] = 0x0C000000u;
	} else {
		/* CR: HSION, HSITRIM = 16 (0x83 with HSIRDY); AHBENR: SRAMEN,
		 * FLITFEN; CSR: PINRSTF, PORRSTF (RM0008, UNVERIFIED). */
		rcc->reset_value[SIM_RCC_F1_CR / 4] = 0x00000081u;
		rcc->reset_value[SIM_RCC_F1_AHBENR / 4] = 0x00000014u;
		rcc->reset_value[SIM_RCC_F1_CSR / 4] = 0x0C000000u;
	}
	sim_rcc_reset(rcc);
	return rcc;
}

void sim_rcc_destroy(struct sim_rcc *rcc)
{
	free(rcc);
}

struct sim_device sim_rcc_device(struct sim_rcc *rcc)
{
	struct sim_device dev = {
		.name = rcc->family == SIM_RCC_H7 ? "rcc-h7" :
			rcc->family == SIM_RCC_F7 ? "rcc-f7" :
			rcc->family == SIM_RCC_L4 ? "rcc-l4" : "rcc-f1",
		.base = rcc->base,
		.size = RCC_SIZE,
		.ops = &rcc_ops,
		.opaque = rcc,
		.reset = rcc_reset_hook,
		.gates_ram = true,
	};
	return dev;
}

bool sim_rcc_enabled(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit)
{
	if (reg_offset >= RCC_SIZE || bit > 31)
		return false;
	return (rcc_read_reg(rcc, reg_offset & ~3u) >> bit) & 1u;
}

static bool rcc_gate_query(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	return sim_rcc_enabled(ctx, reg_offset, bit);
}

struct sim_clock_gate sim_rcc_gate(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit)
{
	struct sim_clock_gate gate = {
		.enabled = rcc_gate_query,
		.ctx = rcc,
		.reg_offset = reg_offset,
		.bit = bit,
	};
	return gate;
}

void sim_rcc_force_reset_bit(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit, bool on)
{
	uint32_t mask = 1u << bit;

	if (reg_offset >= RCC_SIZE || bit > 31)
		return;
	if (on) {
		rcc->reset_value[reg_offset / 4] |= mask;
		rcc->regs[reg_offset / 4] |= mask;
	} else {
		rcc->reset_value[reg_offset / 4] &= ~mask;
		rcc->regs[reg_offset / 4] &= ~mask;
	}
	rcc->writes++;
}

/*
 * H7 clock tree, the part the QUADSPI kernel clock depends on.  Field
 * positions from CMSIS stm32h750xx.h: RCC_CR HSIDIV 4:3, PLLxON 24/26/28;
 * CFGR SW 2:0 (000 HSI, 001 CSI, 010 HSE, 011 PLL1); D1CFGR HPRE 3:0,
 * D1CPRE 11:8 (0xxx /1, 1000 /2 ... 1011 /16, 1100 /64 ... 1111 /512);
 * PLLCKSELR PLLSRC 1:0 (HSI, CSI, HSE, none), DIVM1/2/3 at 4/12/20 (6
 * bits, 0 = off); PLLCFGR DIVP1EN 16 ... DIVR3EN 24 (three a PLL);
 * PLLxDIVR N 8:0, P 15:9, Q 22:16, R 30:24 (each the factor - 1);
 * D1CCIPR QSPISEL 5:4 (hclk3, pll1_q, pll2_r, per_ck), CKPERSEL 29:28
 * (hsi_ker, csi_ker, hse, off).
 */
#define H7_HSI_HZ	64000000u
#define H7_CSI_HZ	4000000u

static uint32_t rcc_h7_hsi_hz(const struct sim_rcc *rcc)
{
	uint32_t cr = rcc_read_reg(rcc, SIM_RCC_H7_CR);

	return (cr & 1u) ? H7_HSI_HZ >> ((cr >> 3) & 3u) : 0;
}

static uint32_t rcc_h7_csi_hz(const struct sim_rcc *rcc)
{
	return (rcc_read_reg(rcc, SIM_RCC_H7_CR) & (1u << 7)) ? H7_CSI_HZ : 0;
}

/* A 2-bit oscillator choice as PLLSRC, CKPERSEL and SW's low values code
 * it: 0 HSI, 1 CSI, 2 HSE (no frequency in the model), 3 none. */
static uint32_t rcc_h7_osc_hz(const struct sim_rcc *rcc, uint32_t sel)
{
	if (sel == 0)
		return rcc_h7_hsi_hz(rcc);
	return sel == 1 ? rcc_h7_csi_hz(rcc) : 0;
}

/* PLL n (1..3), output out (0 = P, 1 = Q, 2 = R), or 0 if it is off. */
static uint32_t rcc_h7_pll_hz(const struct sim_rcc *rcc, unsigned int n, unsigned int out)
{
	uint32_t cksel = rcc_read_reg(rcc, SIM_RCC_H7_PLLCKSELR);
	uint32_t cfgr = rcc_read_reg(rcc, SIM_RCC_H7_PLLCFGR);
	uint32_t divr = rcc_read_reg(rcc, SIM_RCC_H7_PLL1DIVR + 8 * (n - 1));
	uint32_t divm = (cksel >> (4 + 8 * (n - 1))) & 0x3Fu;

	if (!(rcc_read_reg(rcc, SIM_RCC_H7_CR) & (1u << (24 + 2 * (n - 1)))) ||
	    !(cfgr & (1u << (16 + 3 * (n - 1) + out))) || !divm)
		return 0;
	uint64_t vco = (uint64_t)rcc_h7_osc_hz(rcc, cksel & 3u) / divm * ((divr & 0x1FFu) + 1);
	static const unsigned int shift[3] = { 9, 16, 24 };	/* P, Q, R */
	uint32_t div = ((divr >> shift[out]) & 0x7Fu) + 1;

	return (uint32_t)(vco / div);
}

static uint32_t rcc_h7_prescaler(uint32_t field)
{
	static const uint16_t div[8] = { 2, 4, 8, 16, 64, 128, 256, 512 };

	return (field & 8u) ? div[field & 7u] : 1;
}

uint32_t sim_rcc_h7_qspi_kernel_hz(const struct sim_rcc *rcc)
{
	uint32_t d1cfgr, sys, ccipr;

	if (rcc->family != SIM_RCC_H7)
		return 0;
	ccipr = rcc_read_reg(rcc, SIM_RCC_H7_D1CCIPR);
	switch ((ccipr >> 4) & 3u) {
	case 1:
		return rcc_h7_pll_hz(rcc, 1, 1);
	case 2:
		return rcc_h7_pll_hz(rcc, 2, 2);
	case 3:
		return rcc_h7_osc_hz(rcc, (ccipr >> 28) & 3u);
	default:
		break;
	}
	uint32_t sw = rcc_read_reg(rcc, SIM_RCC_H7_CFGR) & 7u;
	if (sw == 3)
		sys = rcc_h7_pll_hz(rcc, 1, 0);
	else
		sys = sw < 3 ? rcc_h7_osc_hz(rcc, sw) : 0;	/* 4-7 reserved */
	d1cfgr = rcc_read_reg(rcc, SIM_RCC_H7_D1CFGR);
	return sys / rcc_h7_prescaler(d1cfgr >> 8) / rcc_h7_prescaler(d1cfgr);
}

uint32_t sim_rcc_h7_qspi_kernel_clock(void *ctx)
{
	struct sim_rcc *rcc = ctx;

	if (!rcc->qspi_hz_valid || rcc->qspi_hz_writes != rcc->writes) {
		rcc->qspi_hz_writes = rcc->writes;
		rcc->qspi_hz = sim_rcc_h7_qspi_kernel_hz(rcc);
		rcc->qspi_hz_valid = true;
	}
	return rcc->qspi_hz;
}
