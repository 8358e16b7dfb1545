/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Reset and clock control models, enough for clock gating and for the
 * clock-setup loops of stock OpenOCD configs and ordinary firmware:
 *  - STM32H7 RCC at 0x58024400;
 *  - STM32F1 RCC / GD32F30x RCU at 0x40021000 (same offsets);
 *  - STM32F7 RCC at 0x40023800 (RM0385);
 *  - STM32L4 RCC at 0x40021000 (RM0351).
 *
 * Every register is plain storage with its reset value, except the
 * ready/status bits, which follow their enable bits at once (an oscillator
 * or PLL locks instantly): HSIRDY follows HSION, PLL1RDY follows PLL1ON,
 * CFGR.SWS follows CFGR.SW, and so on.  One frequency is computed, for the
 * bus time of the H7 QUADSPI: its kernel clock, from the clock tree the
 * registers describe (sim_rcc_h7_qspi_kernel_hz()).
 *
 * Other models ask "is my clock on?" through a struct sim_clock_gate,
 * which names one enable bit of one RCC register.  A gate with a NULL
 * query is always on (for boards without an RCC model).
 */

#ifndef SIM_PERIPH_RCC_H
#define SIM_PERIPH_RCC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_bus.h"

/* One clock enable bit, queried on every register access of a model. */
struct sim_clock_gate {
	bool (*enabled)(void *ctx, uint32_t reg_offset, unsigned int bit);
	void *ctx;
	uint32_t reg_offset;	/* offset of the enable register in the RCC */
	unsigned int bit;	/* enable bit in that register */
};

static inline bool sim_clock_gate_on(const struct sim_clock_gate *gate)
{
	return !gate->enabled || gate->enabled(gate->ctx, gate->reg_offset, gate->bit);
}

enum sim_rcc_family {
	SIM_RCC_H7,		/* STM32H74x/H75x RCC */
	SIM_RCC_F1,		/* STM32F1 RCC, GD32F30x RCU */
	SIM_RCC_F7,		/* STM32F74x/F75x RCC */
	SIM_RCC_L4,		/* STM32L47x/L48x RCC */
};

#define SIM_RCC_H7_BASE		0x58024400u
#define SIM_RCC_F1_BASE		0x40021000u
#define SIM_RCC_F7_BASE		0x40023800u
#define SIM_RCC_L4_BASE		0x40021000u

/* STM32H7 register offsets (CMSIS RCC_TypeDef). */
#define SIM_RCC_H7_CR		0x000u
#define SIM_RCC_H7_CFGR		0x010u
#define SIM_RCC_H7_D1CFGR	0x018u
#define SIM_RCC_H7_D2CFGR	0x01Cu
#define SIM_RCC_H7_D3CFGR	0x020u
#define SIM_RCC_H7_PLLCKSELR	0x028u
#define SIM_RCC_H7_PLLCFGR	0x02Cu
#define SIM_RCC_H7_PLL1DIVR	0x030u
#define SIM_RCC_H7_PLL2DIVR	0x038u
#define SIM_RCC_H7_PLL3DIVR	0x040u
#define SIM_RCC_H7_D1CCIPR	0x04Cu
#define SIM_RCC_H7_BDCR		0x070u
#define SIM_RCC_H7_CSR		0x074u
#define SIM_RCC_H7_AHB3RSTR	0x07Cu
#define SIM_RCC_H7_AHB3ENR	0x0D4u	/* QSPIEN bit 14, FMCEN bit 12 */
#define SIM_RCC_H7_AHB1ENR	0x0D8u
#define SIM_RCC_H7_AHB2ENR	0x0DCu	/* SRAM1EN 29, SRAM2EN 30, SRAM3EN 31 */
#define SIM_RCC_H7_AHB4ENR	0x0E0u	/* GPIOAEN..GPIOKEN 0..10, BKPRAMEN 28 */
#define SIM_RCC_H7_APB3ENR	0x0E4u
#define SIM_RCC_H7_APB1LENR	0x0E8u
#define SIM_RCC_H7_APB1HENR	0x0ECu
#define SIM_RCC_H7_APB2ENR	0x0F0u
#define SIM_RCC_H7_APB4ENR	0x0F4u

#define SIM_RCC_H7_QSPIEN_BIT	14
#define SIM_RCC_H7_SRAM1EN_BIT	29	/* SRAM2EN 30, SRAM3EN 31 */
#define SIM_RCC_H7_BKPRAMEN_BIT	28
/* GPIOxEN: bit = port index (A = 0 ... K = 10) in AHB4ENR */

/* STM32F1 / GD32F30x register offsets. */
#define SIM_RCC_F1_CR		0x00u
#define SIM_RCC_F1_CFGR		0x04u
#define SIM_RCC_F1_CIR		0x08u
#define SIM_RCC_F1_APB2RSTR	0x0Cu
#define SIM_RCC_F1_APB1RSTR	0x10u
#define SIM_RCC_F1_AHBENR	0x14u
#define SIM_RCC_F1_APB2ENR	0x18u	/* AFIOEN 0, IOPAEN 2 .. IOPGEN 8, SPI1EN 12 */
#define SIM_RCC_F1_APB1ENR	0x1Cu	/* SPI2EN 14, SPI3EN 15 */
#define SIM_RCC_F1_BDCR		0x20u
#define SIM_RCC_F1_CSR		0x24u

#define SIM_RCC_F1_AFIOEN_BIT	0
#define SIM_RCC_F1_IOPAEN_BIT	2	/* IOPxEN = 2 + port index */
#define SIM_RCC_F1_SPI1EN_BIT	12
#define SIM_RCC_F1_SPI2EN_BIT	14
#define SIM_RCC_F1_SPI3EN_BIT	15

/* STM32F7 register offsets (RM0385 section 5.3). */
#define SIM_RCC_F7_CR		0x00u
#define SIM_RCC_F7_PLLCFGR	0x04u
#define SIM_RCC_F7_CFGR		0x08u
#define SIM_RCC_F7_AHB1ENR	0x30u	/* GPIOAEN..GPIOKEN 0..10, DTCMRAMEN 20 */
#define SIM_RCC_F7_AHB3ENR	0x38u	/* FMCEN 0, QSPIEN 1 */
#define SIM_RCC_F7_BDCR		0x70u
#define SIM_RCC_F7_CSR		0x74u

#define SIM_RCC_F7_QSPIEN_BIT	1
/* GPIOxEN: bit = port index (A = 0 ... K = 10) in AHB1ENR */

/* STM32L4 register offsets (RM0351 section 6.4). */
#define SIM_RCC_L4_CR		0x00u
#define SIM_RCC_L4_CFGR		0x08u
#define SIM_RCC_L4_PLLCFGR	0x0Cu
#define SIM_RCC_L4_AHB1ENR	0x48u	/* FLASHEN 8 */
#define SIM_RCC_L4_AHB2ENR	0x4Cu	/* GPIOAEN..GPIOHEN 0..7 */
#define SIM_RCC_L4_AHB3ENR	0x50u	/* FMCEN 0, QSPIEN 8 */
#define SIM_RCC_L4_BDCR		0x90u
#define SIM_RCC_L4_CSR		0x94u

#define SIM_RCC_L4_QSPIEN_BIT	8

struct sim_rcc;

struct sim_rcc *sim_rcc_create(enum sim_rcc_family family, uint32_t base);
void sim_rcc_destroy(struct sim_rcc *rcc);

/* The device to register on the bus (size 0x400). */
struct sim_device sim_rcc_device(struct sim_rcc *rcc);

/* Back to reset values (also the device's reset hook). */
void sim_rcc_reset(struct sim_rcc *rcc);

/* Is bit `bit` of the register at `reg_offset` set? */
bool sim_rcc_enabled(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit);

/* A gate on one enable bit of this RCC, for the other models' constructors. */
struct sim_clock_gate sim_rcc_gate(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit);

/*
 * Force an enable bit, as a board option does (e.g. "D2 SRAM clocked at
 * reset"): the bit is also part of the register's reset value from now on.
 */
void sim_rcc_force_reset_bit(struct sim_rcc *rcc, uint32_t reg_offset, unsigned int bit, bool on);

/*
 * STM32H7: the QUADSPI kernel clock in Hz as the registers select it now
 * (RM0433 clock tree): D1CCIPR.QSPISEL picks rcc_hclk3 (system clock /
 * D1CPRE / HPRE), pll1_q_ck, pll2_r_ck or per_ck (CKPERSEL).  HSI is
 * 64 MHz / HSIDIV, CSI 4 MHz; PLLs are integer (FRACN is ignored), their
 * outputs count only with PLLxON and DIVxyEN set.  The boards fit no HSE
 * crystal frequency, so a clock from HSE counts as stopped.  0: the
 * selected clock is not running (or the family is not H7).
 */
uint32_t sim_rcc_h7_qspi_kernel_hz(const struct sim_rcc *rcc);

/* The same as a clock query for a device model's config (ctx = the RCC),
 * recomputed only after an RCC register changed. */
uint32_t sim_rcc_h7_qspi_kernel_clock(void *ctx);

#endif /* SIM_PERIPH_RCC_H */
