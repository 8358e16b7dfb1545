// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of the GPIO, RCC and SPI v1 models and of the bit-bang
 * wiring, against the fake NOR chip.  Offsets, bit positions and reset
 * values are the ones of the reference sheets (stm32f1-gd32f30x-spi.md
 * §2, §3, §5; stm32h7-quadspi.md §2, §3); every access goes through the
 * models' bus ops as firmware would make it.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_nor.h"
#include "periph_gpio.h"
#include "periph_rcc.h"
#include "periph_spi.h"
#include "wiring_bitbang.h"

static uint32_t dev_rd(const struct sim_device *dev, uint32_t offset, unsigned int size)
{
	uint32_t value = 0xDEADBEEF;

	assert_int_equal(dev->ops->read(dev->opaque, offset, size, &value), 0);
	return value;
}

static void dev_wr(const struct sim_device *dev, uint32_t offset, unsigned int size,
		   uint32_t value)
{
	assert_int_equal(dev->ops->write(dev->opaque, offset, size, value), 0);
}

/* ------------------------------------------------------------------ RCC */

static void test_rcc_h7_ready_bits(void **state)
{
	struct sim_rcc *rcc = sim_rcc_create(SIM_RCC_H7, SIM_RCC_H7_BASE);
	struct sim_device dev = sim_rcc_device(rcc);
	struct sim_clock_gate gate = sim_rcc_gate(rcc, SIM_RCC_H7_AHB3ENR, SIM_RCC_H7_QSPIEN_BIT);

	(void)state;
	assert_int_equal(dev.base, 0x58024400u);
	/* HSI on and ready at reset, system clock = HSI */
	assert_int_equal(dev_rd(&dev, 0x000, 4) & 0x5u, 0x5u);
	assert_int_equal(dev_rd(&dev, 0x010, 4) & 0x3Fu, 0);
	/* stm32h750b-disco.cfg reset-init: PLL1ON, then SW = PLL1 */
	dev_wr(&dev, 0x000, 4, dev_rd(&dev, 0x000, 4) | 0x01000000u);
	assert_true(dev_rd(&dev, 0x000, 4) & 0x02000000u);	/* PLL1RDY */
	dev_wr(&dev, 0x010, 4, dev_rd(&dev, 0x010, 4) | 0x3u);
	assert_int_equal((dev_rd(&dev, 0x010, 4) >> 3) & 7u, 3);	/* SWS = PLL1 */
	dev_wr(&dev, 0x000, 4, dev_rd(&dev, 0x000, 4) & ~0x01000000u);
	assert_false(dev_rd(&dev, 0x000, 4) & 0x02000000u);
	/* HSEON -> HSERDY; a ready bit cannot be written on its own */
	dev_wr(&dev, 0x000, 4, 0x00020001u);	/* HSERDY alone + HSION */
	assert_false(dev_rd(&dev, 0x000, 4) & 0x00020000u);
	dev_wr(&dev, 0x000, 4, 0x00010001u);
	assert_true(dev_rd(&dev, 0x000, 4) & 0x00020000u);
	/* clock gates: QSPIEN (AHB3ENR bit 14), GPIOxEN (AHB4ENR) */
	assert_false(sim_clock_gate_on(&gate));
	dev_wr(&dev, 0x0D4, 4, 0x00004000u);
	assert_true(sim_clock_gate_on(&gate));
	dev_wr(&dev, 0x0E0, 4, 0x000007FFu);	/* stm32h7x_dual_qspi.cfg */
	assert_true(sim_rcc_enabled(rcc, SIM_RCC_H7_AHB4ENR, 10));
	assert_false(sim_rcc_enabled(rcc, SIM_RCC_H7_AHB4ENR, 11));
	assert_false(sim_rcc_enabled(rcc, SIM_RCC_H7_AHB2ENR, SIM_RCC_H7_SRAM1EN_BIT));
	sim_rcc_force_reset_bit(rcc, SIM_RCC_H7_AHB2ENR, SIM_RCC_H7_SRAM1EN_BIT, true);
	sim_rcc_reset(rcc);
	assert_true(sim_rcc_enabled(rcc, SIM_RCC_H7_AHB2ENR, SIM_RCC_H7_SRAM1EN_BIT));
	assert_false(sim_clock_gate_on(&gate));	/* reset cleared QSPIEN */
	sim_rcc_destroy(rcc);
}

/* The kernel clock computed afresh, which the cached query must agree with. */
static uint32_t rcc_qspi_hz(struct sim_rcc *rcc)
{
	uint32_t hz = sim_rcc_h7_qspi_kernel_hz(rcc);

	assert_int_equal(sim_rcc_h7_qspi_kernel_clock(rcc), hz);
	return hz;
}

/*
 * The H7 QUADSPI kernel clock from the clock tree (RM0433; encodings in
 * sim/periph_rcc.c): HSI 64 MHz at reset; the stock stm32h750b-disco.cfg
 * reset-init (PLL1 from HSI / 4 x 24: P = 192 MHz system clock, Q =
 * 48 MHz); HPRE; PLL2 R as the spiram boards set it (HSI / 4 x 15 / 2 =
 * 120 MHz); per_ck; and stopped clocks (PLL off, output not enabled, HSE).
 */
static void test_rcc_h7_qspi_kernel_clock(void **state)
{
	struct sim_rcc *rcc = sim_rcc_create(SIM_RCC_H7, SIM_RCC_H7_BASE);
	struct sim_device dev = sim_rcc_device(rcc);

	(void)state;
	assert_int_equal(rcc_qspi_hz(rcc), 64000000u);
	dev_wr(&dev, 0x000, 4, 0x00000009u);			/* HSIDIV = /2 */
	assert_int_equal(rcc_qspi_hz(rcc), 32000000u);
	/* stm32h750b-disco.cfg, in its order */
	dev_wr(&dev, 0x000, 4, (dev_rd(&dev, 0x000, 4) & ~0x18u) | 0x1u);
	dev_wr(&dev, 0x018, 4, 0x00000040u);			/* D1CFGR: D1PPRE /2 */
	dev_wr(&dev, 0x028, 4, 0x00000040u);			/* PLLCKSELR: DIVM1 4, HSI */
	dev_wr(&dev, 0x02C, 4, (dev_rd(&dev, 0x02C, 4) & ~0x2u) | 0x0001000Cu);
	dev_wr(&dev, 0x030, 4, 0x01070217u);			/* PLL1DIVR */
	assert_int_equal(rcc_qspi_hz(rcc), 64000000u);	/* still on HSI */
	dev_wr(&dev, 0x000, 4, dev_rd(&dev, 0x000, 4) | 0x01000000u);	/* PLL1ON */
	dev_wr(&dev, 0x010, 4, dev_rd(&dev, 0x010, 4) | 0x3u);	/* SW = PLL1 */
	assert_int_equal(rcc_qspi_hz(rcc), 192000000u);
	dev_wr(&dev, 0x018, 4, 0x00000048u);			/* HPRE /2 */
	assert_int_equal(rcc_qspi_hz(rcc), 96000000u);
	dev_wr(&dev, 0x018, 4, 0x00000840u);			/* D1CPRE /2 */
	assert_int_equal(rcc_qspi_hz(rcc), 96000000u);
	dev_wr(&dev, 0x018, 4, 0x0000004Cu);			/* HPRE /64 */
	assert_int_equal(rcc_qspi_hz(rcc), 3000000u);
	dev_wr(&dev, 0x018, 4, 0x00000040u);
	/* QSPISEL = pll1_q (DIVQ1EN is on from reset), then DIVQ1EN off */
	dev_wr(&dev, 0x04C, 4, 0x00000010u);
	assert_int_equal(rcc_qspi_hz(rcc), 48000000u);
	dev_wr(&dev, 0x02C, 4, dev_rd(&dev, 0x02C, 4) & ~(1u << 17));
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	/* QSPISEL = pll2_r: PLL2 off, then HSI / 4 x 15 / 2 */
	dev_wr(&dev, 0x04C, 4, 0x00000020u);
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	dev_wr(&dev, 0x028, 4, (dev_rd(&dev, 0x028, 4) & ~(0x3Fu << 12)) | (4u << 12));
	dev_wr(&dev, 0x038, 4, (1u << 24) | (1u << 16) | (1u << 9) | 14u);
	dev_wr(&dev, 0x02C, 4, dev_rd(&dev, 0x02C, 4) | (1u << 21) | (3u << 6));
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	dev_wr(&dev, 0x000, 4, dev_rd(&dev, 0x000, 4) | 0x04000000u);	/* PLL2ON */
	assert_int_equal(rcc_qspi_hz(rcc), 120000000u);
	dev_wr(&dev, 0x02C, 4, dev_rd(&dev, 0x02C, 4) & ~(1u << 21));	/* DIVR2EN off */
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	/* per_ck: hsi_ker, then HSE (no frequency in the model) */
	dev_wr(&dev, 0x04C, 4, 0x00000030u);
	assert_int_equal(rcc_qspi_hz(rcc), 64000000u);
	dev_wr(&dev, 0x04C, 4, 0x20000030u);
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	/* the PLLs from HSE: stopped */
	dev_wr(&dev, 0x04C, 4, 0x00000000u);
	dev_wr(&dev, 0x028, 4, dev_rd(&dev, 0x028, 4) | 0x2u);
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	sim_rcc_reset(rcc);
	assert_int_equal(rcc_qspi_hz(rcc), 64000000u);
	sim_rcc_destroy(rcc);

	/* not an H7 RCC */
	rcc = sim_rcc_create(SIM_RCC_F1, SIM_RCC_F1_BASE);
	assert_int_equal(rcc_qspi_hz(rcc), 0);
	sim_rcc_destroy(rcc);
}

static void test_rcc_f1_ready_bits(void **state)
{
	struct sim_rcc *rcc = sim_rcc_create(SIM_RCC_F1, SIM_RCC_F1_BASE);
	struct sim_device dev = sim_rcc_device(rcc);

	(void)state;
	assert_int_equal(dev.base, 0x40021000u);
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x00000083u);	/* HSION, HSIRDY, HSITRIM 16 */
	assert_int_equal(dev_rd(&dev, 0x14, 4), 0x00000014u);
	dev_wr(&dev, 0x00, 4, 0x00010081u);	/* HSEON */
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x00030083u);
	dev_wr(&dev, 0x00, 4, 0x01010081u);	/* PLLON */
	assert_true(dev_rd(&dev, 0x00, 4) & (1u << 25));
	dev_wr(&dev, 0x04, 4, 0x001D0402u);	/* PLLMUL 9, SW = PLL */
	assert_int_equal((dev_rd(&dev, 0x04, 4) >> 2) & 3u, 2);
	dev_wr(&dev, 0x04, 4, 0x3u);		/* SW = 11: not allowed, SWS stays HSI */
	assert_int_equal((dev_rd(&dev, 0x04, 4) >> 2) & 3u, 0);
	dev_wr(&dev, 0x24, 4, 0x1u);		/* LSION -> LSIRDY */
	assert_true(dev_rd(&dev, 0x24, 4) & 0x2u);
	dev_wr(&dev, 0x18, 4, (1u << 12) | (1u << 2));	/* SPI1EN, IOPAEN */
	assert_true(sim_rcc_enabled(rcc, SIM_RCC_F1_APB2ENR, SIM_RCC_F1_SPI1EN_BIT));
	assert_true(sim_rcc_enabled(rcc, SIM_RCC_F1_APB2ENR, SIM_RCC_F1_IOPAEN_BIT));
	assert_false(sim_rcc_enabled(rcc, SIM_RCC_F1_APB1ENR, SIM_RCC_F1_SPI2EN_BIT));
	/* byte write to the upper byte of CR leaves the rest alone */
	dev_wr(&dev, 0x03, 1, 0x00);		/* PLLON off */
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x00030083u);
	sim_rcc_destroy(rcc);
}

/* ----------------------------------------------------------------- GPIO */

struct hook_log {
	unsigned int count;
	unsigned int pin[16];
	bool level[16];
};

static void record_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool level)
{
	struct hook_log *log = ctx;

	(void)gpio;
	if (log->count < 16) {
		log->pin[log->count] = pin;
		log->level[log->count] = level;
	}
	log->count++;
}

static bool miso_low_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool *level)
{
	(void)ctx;
	(void)gpio;
	(void)pin;
	*level = false;
	return true;
}

static bool gpio_clock;

static bool gpio_clock_query(void *ctx, uint32_t reg_offset, unsigned int bit)
{
	(void)ctx;
	(void)reg_offset;
	(void)bit;
	return gpio_clock;
}

static void test_gpio_f1_set_reset_and_hooks(void **state)
{
	struct sim_clock_gate gate = { gpio_clock_query, NULL, SIM_RCC_F1_APB2ENR, 2 };
	struct sim_gpio *gpio = sim_gpio_create(SIM_GPIO_F1, 0, SIM_GPIO_F1_BASE(0), gate);
	struct sim_device dev = sim_gpio_device(gpio);
	struct hook_log log = { 0 };

	(void)state;
	gpio_clock = true;
	assert_int_equal(dev.base, 0x40010800u);
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x44444444u);
	assert_int_equal(dev_rd(&dev, 0x04, 4), 0x44444444u);
	assert_int_equal(dev_rd(&dev, 0x0C, 4), 0);
	assert_int_equal(dev_rd(&dev, 0x08, 4), 0xFFFFu);	/* floating: board idle level high */
	assert_int_equal(sim_gpio_add_output_hook(gpio, record_hook, &log), 0);

	/* PA4 general-purpose push-pull output (nibble 3): ODR=0 drives it low */
	dev_wr(&dev, 0x00, 4, 0x44434444u);
	assert_int_equal(log.count, 1);
	assert_int_equal(log.pin[0], 4);
	assert_false(log.level[0]);
	assert_int_equal(dev_rd(&dev, 0x08, 4), 0xFFEFu);
	/* BSRR set */
	dev_wr(&dev, 0x10, 4, 1u << 4);
	assert_int_equal(log.count, 2);
	assert_true(log.level[1]);
	assert_int_equal(dev_rd(&dev, 0x0C, 4), 0x10u);
	/* BSRR set and reset of the same pin: set wins, no change */
	dev_wr(&dev, 0x10, 4, (1u << 20) | (1u << 4));
	assert_int_equal(log.count, 2);
	assert_int_equal(dev_rd(&dev, 0x0C, 4), 0x10u);
	/* BSRR reset half */
	dev_wr(&dev, 0x10, 4, 1u << 20);
	assert_int_equal(log.count, 3);
	assert_false(log.level[2]);
	/* BRR */
	dev_wr(&dev, 0x10, 4, 1u << 4);
	dev_wr(&dev, 0x14, 4, 1u << 4);
	assert_int_equal(log.count, 5);
	assert_int_equal(dev_rd(&dev, 0x0C, 4), 0);
	assert_int_equal(dev_rd(&dev, 0x10, 4), 0);	/* BSRR reads 0 */
	/* ODR bits of input pins change no line, so no hook ... */
	dev_wr(&dev, 0x0C, 4, 0x0001u);
	assert_int_equal(log.count, 5);
	/* ... unless the pin is an input with pull: CNF=10, ODR chooses up/down */
	dev_wr(&dev, 0x00, 4, 0x44434448u);	/* PA0 input pull, ODR0 = 1: up */
	assert_int_equal(log.count, 5);
	dev_wr(&dev, 0x0C, 4, 0x0000u);		/* pull-down now */
	assert_int_equal(log.count, 6);
	assert_int_equal(log.pin[5], 0);
	assert_false(dev_rd(&dev, 0x08, 4) & 1u);
	/* an input hook drives PA6 */
	assert_int_equal(sim_gpio_add_input_hook(gpio, 1u << 6, miso_low_hook, NULL), 0);
	assert_false(dev_rd(&dev, 0x08, 4) & (1u << 6));
	assert_false(sim_gpio_line_level(gpio, 6));
	/* an AF output pin is driven by its peripheral, not by ODR */
	dev_wr(&dev, 0x00, 4, 0x44B34448u);	/* PA5 AF push-pull */
	assert_false(sim_gpio_is_output(gpio, 5));
	assert_true(sim_gpio_is_output(gpio, 4));
	/* clock off: reads 0, writes ignored */
	gpio_clock = false;
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0);
	dev_wr(&dev, 0x10, 4, 1u << 4);
	gpio_clock = true;
	assert_int_equal(dev_rd(&dev, 0x0C, 4), 0);
	sim_gpio_destroy(gpio);
}

static void test_gpio_f1_lock(void **state)
{
	struct sim_clock_gate gate = { NULL, NULL, 0, 0 };
	struct sim_gpio *gpio = sim_gpio_create(SIM_GPIO_F1, 1, SIM_GPIO_F1_BASE(1), gate);
	struct sim_device dev = sim_gpio_device(gpio);

	(void)state;
	assert_int_equal(dev.base, 0x40010C00u);
	dev_wr(&dev, 0x00, 4, 0x44434444u);
	/* LCKK=1, LCKK=0, LCKK=1 with mask pin 4, then two reads */
	dev_wr(&dev, 0x18, 4, 0x10010u);
	dev_wr(&dev, 0x18, 4, 0x00010u);
	dev_wr(&dev, 0x18, 4, 0x10010u);
	assert_int_equal(dev_rd(&dev, 0x18, 4), 0x10010u);
	assert_true(dev_rd(&dev, 0x18, 4) & 0x10000u);
	/* pin 4's nibble is frozen, pin 3's is not */
	dev_wr(&dev, 0x00, 4, 0x44443334u);
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x44433334u);
	/* a broken sequence does not lock */
	sim_gpio_reset(gpio);
	dev_wr(&dev, 0x18, 4, 0x10010u);
	dev_wr(&dev, 0x18, 4, 0x10010u);
	dev_wr(&dev, 0x18, 4, 0x00010u);
	dev_wr(&dev, 0x00, 4, 0x44434444u);
	assert_int_equal(dev_rd(&dev, 0x00, 4), 0x44434444u);
	assert_false(dev_rd(&dev, 0x18, 4) & 0x10000u);
	sim_gpio_destroy(gpio);
}

static void test_gpio_h7_reset_and_modes(void **state)
{
	struct sim_clock_gate gate = { NULL, NULL, 0, 0 };
	struct sim_gpio *a = sim_gpio_create(SIM_GPIO_H7, 0, SIM_GPIO_H7_BASE(0), gate);
	struct sim_gpio *b = sim_gpio_create(SIM_GPIO_H7, 1, SIM_GPIO_H7_BASE(1), gate);
	struct sim_gpio *f = sim_gpio_create(SIM_GPIO_H7, 5, SIM_GPIO_H7_BASE(5), gate);
	struct sim_device da = sim_gpio_device(a);
	struct sim_device db = sim_gpio_device(b);
	struct sim_device df = sim_gpio_device(f);
	struct hook_log log = { 0 };

	(void)state;
	assert_int_equal(df.base, 0x58021400u);
	assert_int_equal(dev_rd(&da, 0x00, 4), 0xABFFFFFFu);
	assert_int_equal(dev_rd(&db, 0x00, 4), 0xFFFFFEBFu);
	assert_int_equal(dev_rd(&df, 0x00, 4), 0xFFFFFFFFu);
	assert_int_equal(dev_rd(&da, 0x08, 4), 0x0C000000u);
	assert_int_equal(dev_rd(&db, 0x08, 4), 0x000000C0u);
	assert_int_equal(dev_rd(&da, 0x0C, 4), 0x64000000u);
	assert_int_equal(dev_rd(&db, 0x0C, 4), 0x00000100u);
	assert_int_equal(dev_rd(&df, 0x0C, 4), 0);
	/* stm32h7x_dual_qspi.cfg style read-modify-writes of port F */
	dev_wr(&df, 0x00, 4, (dev_rd(&df, 0x00, 4) & ~0x00145000u) | 0x0028A000u);
	assert_int_equal(dev_rd(&df, 0x00, 4), 0xFFEBAFFFu);
	dev_wr(&df, 0x20, 4, 0x99000000u);
	assert_int_equal(dev_rd(&df, 0x20, 4), 0x99000000u);
	/* PF0 output push-pull */
	sim_gpio_add_output_hook(f, record_hook, &log);
	dev_wr(&df, 0x00, 4, (dev_rd(&df, 0x00, 4) & ~3u) | 1u);
	assert_int_equal(log.count, 1);	/* analog (idle high) -> driven low */
	dev_wr(&df, 0x18, 4, 1u);	/* BSRR set */
	assert_int_equal(dev_rd(&df, 0x14, 4), 1u);
	assert_true(dev_rd(&df, 0x10, 4) & 1u);
	/* open-drain with ODR=1 releases the line: idle level decides */
	sim_gpio_set_idle_levels(f, 0x0000);
	dev_wr(&df, 0x04, 4, 1u);
	assert_false(dev_rd(&df, 0x10, 4) & 1u);
	dev_wr(&df, 0x0C, 4, 1u);	/* pull-up */
	assert_true(dev_rd(&df, 0x10, 4) & 1u);
	/* BSRR: reset half, and a byte write of the upper half */
	dev_wr(&df, 0x1A, 2, 1u);
	assert_int_equal(dev_rd(&df, 0x14, 4), 0);
	sim_gpio_destroy(a);
	sim_gpio_destroy(b);
	sim_gpio_destroy(f);
}

/* ------------------------------------------------------------------ SPI */

struct spi_fixture {
	uint8_t array[65536];
	struct nor_chip *chip;
	struct sim_spi *spi;
	struct sim_device dev;
	bool cs_low;
	bool nss;
	unsigned int logs;
	uint64_t now_ps;	/* fake clock of the timed fixture */
};

static bool spi_selected(void *ctx)
{
	return ((struct spi_fixture *)ctx)->cs_low;
}

static bool spi_nss(void *ctx)
{
	return ((struct spi_fixture *)ctx)->nss;
}

static void spi_log_sink(void *ctx, const char *msg)
{
	(void)msg;
	((struct spi_fixture *)ctx)->logs++;
}

static int spi_setup(void **state)
{
	struct spi_fixture *f = calloc(1, sizeof(*f));
	struct sim_spi_config config = { 0 };

	memset(f->array, 0xA5, sizeof(f->array));
	f->chip = fake_nor_create(f->array, sizeof(f->array));
	f->nss = true;
	config.base = SIM_SPI1_BASE;
	config.name = "spi1";
	config.gd32_quad = true;
	config.chip = f->chip;
	config.chip_selected = spi_selected;
	config.nss_level = spi_nss;
	config.ctx = f;
	config.log = spi_log_sink;
	config.log_ctx = f;
	f->spi = sim_spi_create(&config);
	f->dev = sim_spi_device(f->spi);
	*state = f;
	return 0;
}

static uint64_t spi_fake_now(void *ctx)
{
	return ((struct spi_fixture *)ctx)->now_ps;
}

/* As spi_setup, with bus time: APB clock 8 MHz (the F1 reset clock), fake clock. */
static int spi_setup_timed(void **state)
{
	struct spi_fixture *f;
	struct sim_spi_config config = { 0 };

	spi_setup(state);
	f = *state;
	sim_spi_destroy(f->spi);
	f->now_ps = 1000000000000ull;
	config.base = SIM_SPI1_BASE;
	config.name = "spi1";
	config.gd32_quad = true;
	config.chip = f->chip;
	config.chip_selected = spi_selected;
	config.nss_level = spi_nss;
	config.ctx = f;
	config.log = spi_log_sink;
	config.log_ctx = f;
	config.bus_hz = SIM_SPI_BUS_HZ_RESET;
	config.now_ps = spi_fake_now;
	config.clock_ctx = f;
	f->spi = sim_spi_create(&config);
	f->dev = sim_spi_device(f->spi);
	return 0;
}

static int spi_teardown(void **state)
{
	struct spi_fixture *f = *state;

	sim_spi_destroy(f->spi);
	fake_nor_destroy(f->chip);
	free(f);
	return 0;
}

static void spi_cs(struct spi_fixture *f, bool low)
{
	f->cs_low = low;
	nor_chip_select(f->chip, low);
}

/* Per-byte sequence of §5: wait TXE, write DR, wait RXNE, read DR. */
static uint8_t spi_xfer(struct spi_fixture *f, uint8_t out)
{
	assert_true(dev_rd(&f->dev, 0x08, 4) & 0x2u);
	dev_wr(&f->dev, 0x0C, 4, out);
	assert_true(dev_rd(&f->dev, 0x08, 4) & 0x1u);
	return (uint8_t)dev_rd(&f->dev, 0x0C, 4);
}

#define CR1_MASTER	(0x4u | (3u << 3) | 0x200u | 0x100u)	/* MSTR, BR=/16, SSM, SSI */
#define CR1_SPE		0x40u

static void test_spi_full_duplex_id(void **state)
{
	struct spi_fixture *f = *state;
	uint32_t sr;

	assert_int_equal(f->dev.base, 0x40013000u);
	assert_int_equal(dev_rd(&f->dev, 0x08, 4), 0x0002u);	/* SR reset: TXE */
	assert_int_equal(dev_rd(&f->dev, 0x10, 4), 0x0007u);	/* CRCPR reset */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER);
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | CR1_SPE);
	spi_cs(f, true);
	assert_int_equal(spi_xfer(f, 0x9F), 0xFF);
	assert_int_equal(spi_xfer(f, 0x00), 0xEF);
	assert_int_equal(spi_xfer(f, 0x00), 0x40);
	assert_int_equal(spi_xfer(f, 0x00), 0x18);
	/* end of command: TXE=1, BSY=0, no RXNE left */
	sr = dev_rd(&f->dev, 0x08, 4);
	assert_int_equal(sr & 0x83u, 0x02u);
	spi_cs(f, false);
	assert_int_equal(sim_spi_counters(f->spi)->frames_to_chip, 4);
	assert_int_equal(fake_nor_bytes(f->chip, 1), 4);
	assert_int_equal(f->logs, 0);
}

static void test_spi_overrun(void **state)
{
	struct spi_fixture *f = *state;
	uint32_t sr;

	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | CR1_SPE);
	spi_cs(f, true);
	assert_int_equal(spi_xfer(f, 0x9F), 0xFF);
	dev_wr(&f->dev, 0x0C, 4, 0);		/* 0xEF lands in DR */
	dev_wr(&f->dev, 0x0C, 4, 0);		/* 0x40 arrives with RXNE set: lost */
	sr = dev_rd(&f->dev, 0x08, 4);
	assert_true(sr & 0x40u);		/* OVR */
	assert_true(sr & 0x01u);
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4), 0xEF);
	sr = dev_rd(&f->dev, 0x08, 4);		/* DR then SR read clears OVR */
	assert_true(sr & 0x40u);
	assert_false(dev_rd(&f->dev, 0x08, 4) & 0x40u);
	assert_int_equal(spi_xfer(f, 0x00), 0x18);	/* the chip moved on anyway */
	assert_int_equal(sim_spi_counters(f->spi)->overruns, 1);
	spi_cs(f, false);
}

static void test_spi_deselected_and_disabled(void **state)
{
	struct spi_fixture *f = *state;

	/* SPE=0: the frame waits in the TX buffer, TXE=0 */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER);
	dev_wr(&f->dev, 0x0C, 4, 0x9F);
	assert_int_equal(dev_rd(&f->dev, 0x08, 4) & 0x3u, 0x0u);
	/* chip not selected when SPE rises: clocked into nothing, MISO high */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | CR1_SPE);
	assert_int_equal(dev_rd(&f->dev, 0x08, 4) & 0x3u, 0x3u);
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4), 0xFF);
	assert_int_equal(fake_nor_bytes(f->chip, 1), 0);
	assert_int_equal(sim_spi_counters(f->spi)->frames, 1);
	assert_int_equal(sim_spi_counters(f->spi)->frames_to_chip, 0);
}

static void test_spi_mode_fault(void **state)
{
	struct spi_fixture *f = *state;

	/* SSM=0, SSOE=0 and the NSS pin low: MODF, MSTR and SPE drop */
	f->nss = false;
	dev_wr(&f->dev, 0x00, 4, 0x4u | CR1_SPE);
	assert_true(dev_rd(&f->dev, 0x08, 4) & 0x20u);	/* the SR read of the clear sequence */
	assert_int_equal(dev_rd(&f->dev, 0x00, 4) & (0x4u | CR1_SPE), 0);
	assert_int_equal(sim_spi_counters(f->spi)->mode_faults, 1);
	f->nss = true;
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | CR1_SPE);	/* CR1 write clears MODF */
	assert_false(dev_rd(&f->dev, 0x08, 4) & 0x20u);
	assert_int_equal(dev_rd(&f->dev, 0x00, 4), CR1_MASTER | CR1_SPE);
}

static void test_spi_frame_formats(void **state)
{
	struct spi_fixture *f = *state;

	/* 16-bit frames: two bytes MSB first */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | 0x800u | CR1_SPE);
	spi_cs(f, true);
	dev_wr(&f->dev, 0x0C, 4, 0x9F00);
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4), 0xFFEF);
	spi_cs(f, false);
	/* LSBFIRST mirrors every byte on the wire */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER);
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | 0x80u | CR1_SPE);
	spi_cs(f, true);
	assert_int_equal(spi_xfer(f, 0xF9), 0xFF);	/* 0xF9 mirrored = 0x9F */
	assert_int_equal(spi_xfer(f, 0x00), 0xF7);	/* 0xEF mirrored */
	spi_cs(f, false);
	/* GD32 SPI0 quad mode: bytes on 4 lines */
	dev_wr(&f->dev, 0x00, 4, CR1_MASTER | CR1_SPE);
	dev_wr(&f->dev, 0x80, 4, 0x1u);
	assert_int_equal(dev_rd(&f->dev, 0x80, 4), 0x1u);
	spi_cs(f, true);
	(void)spi_xfer(f, 0x00);
	spi_cs(f, false);
	assert_int_equal(fake_nor_bytes(f->chip, 4), 1);
}

/* -------------------------------------------------------------- bit-bang */

#define PA_CS	(1u << 4)
#define PA_CLK	(1u << 5)
#define PA_MISO	(1u << 6)
#define PA_MOSI	(1u << 7)

/* Mode 0, MSB first, exactly as firmware toggles the registers. */
static uint8_t bb_byte(const struct sim_device *dev, uint8_t out, bool combined)
{
	uint8_t in = 0;

	for (int bit = 7; bit >= 0; bit--) {
		uint32_t mosi = (out >> bit) & 1u ? PA_MOSI : PA_MOSI << 16;

		in = (uint8_t)(in << 1 | ((dev_rd(dev, 0x08, 4) & PA_MISO) ? 1 : 0));
		if (combined) {
			/* MOSI and CLK rise in one BSRR write */
			dev_wr(dev, 0x10, 4, mosi | PA_CLK);
		} else {
			dev_wr(dev, 0x10, 4, mosi);
			dev_wr(dev, 0x10, 4, PA_CLK);
		}
		dev_wr(dev, 0x14, 4, PA_CLK);	/* BRR: CLK low */
	}
	return in;
}

static void test_bitbang_jedec_id(void **state)
{
	uint8_t array[4096];
	struct nor_chip *chip = fake_nor_create(array, sizeof(array));
	struct sim_clock_gate gate = { NULL, NULL, 0, 0 };
	struct sim_gpio *pa = sim_gpio_create(SIM_GPIO_F1, 0, SIM_GPIO_F1_BASE(0), gate);
	struct sim_device dev = sim_gpio_device(pa);
	struct sim_bitbang *bb = sim_bitbang_create_f103(chip, pa);

	(void)state;
	assert_non_null(bb);
	memset(array, 0x3C, sizeof(array));
	/* idle levels first (CS, IO2, IO3 high), then CRL: PA2-5,7 outputs
	 * push-pull 50 MHz, PA6 floating input */
	dev_wr(&dev, 0x10, 4, PA_CS | (1u << 2) | (1u << 3));
	dev_wr(&dev, 0x00, 4, 0x34333344u);
	assert_false(fake_nor_selected(chip));
	assert_true(fake_nor_wp(chip));
	for (int pass = 0; pass < 2; pass++) {
		dev_wr(&dev, 0x14, 4, PA_CS);	/* BRR: CS low */
		assert_true(fake_nor_selected(chip));
		assert_int_equal(bb_byte(&dev, 0x9F, pass), 0xFF);
		assert_int_equal(bb_byte(&dev, 0x00, pass), 0xEF);
		assert_int_equal(bb_byte(&dev, 0x00, pass), 0x40);
		assert_int_equal(bb_byte(&dev, 0x00, pass), 0x18);
		dev_wr(&dev, 0x10, 4, PA_CS);
		assert_false(fake_nor_selected(chip));
	}
	/* a read command through the same wiring */
	array[0xFFF] = 0x81;
	dev_wr(&dev, 0x14, 4, PA_CS);
	bb_byte(&dev, 0x03, false);
	bb_byte(&dev, 0x00, false);
	bb_byte(&dev, 0x0F, false);
	bb_byte(&dev, 0xFF, false);
	assert_int_equal(bb_byte(&dev, 0x00, false), 0x81);	/* last byte of the array */
	dev_wr(&dev, 0x10, 4, PA_CS);
	assert_int_equal(sim_bitbang_counters(bb)->selects, 3);
	assert_int_equal(sim_bitbang_counters(bb)->bytes, 13);
	assert_int_equal(sim_bitbang_counters(bb)->partial_bytes, 0);
	assert_int_equal(fake_nor_bytes(chip, 1), 13);
	/* MISO reads high while deselected */
	assert_true(dev_rd(&dev, 0x08, 4) & PA_MISO);
	/* WP# follows IO2; CS raised mid-byte drops the partial byte */
	dev_wr(&dev, 0x14, 4, 1u << 2);
	assert_false(fake_nor_wp(chip));
	dev_wr(&dev, 0x14, 4, PA_CS);
	dev_wr(&dev, 0x10, 4, PA_CLK);
	dev_wr(&dev, 0x14, 4, PA_CLK);
	dev_wr(&dev, 0x10, 4, PA_CS);
	assert_int_equal(sim_bitbang_counters(bb)->partial_bytes, 1);
	assert_int_equal(fake_nor_bytes(chip, 1), 13);
	sim_gpio_destroy(pa);
	sim_bitbang_destroy(bb);
	fake_nor_destroy(chip);
}

/*
 * SPI bus time per BR divider and line count: a frame of 8 bits takes
 * 8 x 2^(BR+1) APB cycles (8 MHz: 250 ns per cycle of the 4 MHz SCK at BR 0),
 * 16 bits with DFF, a quarter on 4 lines (GD32 QMOD).  RXNE comes when the
 * last bit is in, not before; the chip is told SCK.
 */
static void test_spi_bus_time_per_divider(void **state)
{
	struct spi_fixture *f = *state;
	static const struct {
		unsigned int br;
		bool dff, quad;
		uint64_t frame_ps;
	} cases[] = {
		{ 0, false, false, 8 * 250000ull },	/* SCK 4 MHz */
		{ 3, false, false, 8 * 2000000ull },	/* SCK 500 kHz */
		{ 0, true, false, 16 * 250000ull },
		{ 0, false, true, 2 * 250000ull },	/* 4 lines */
		{ 7, false, false, 8 * 32000000ull },	/* /256 */
	};

	spi_cs(f, true);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t t0, wire0 = sim_spi_counters(f->spi)->wire_ps;
		uint32_t cr1 = 0x4u | (cases[i].br << 3) | 0x300u | (cases[i].dff ? 0x800u : 0);

		dev_wr(&f->dev, 0x00, 4, cr1);
		dev_wr(&f->dev, 0x80, 4, cases[i].quad ? 1u : 0u);
		dev_wr(&f->dev, 0x00, 4, cr1 | CR1_SPE);
		t0 = f->now_ps;
		dev_wr(&f->dev, 0x0C, 4, 0x05);
		assert_true(dev_rd(&f->dev, 0x08, 4) & 0x80u);		/* BSY */
		assert_int_equal(fake_nor_clock(f->chip), 8000000u >> (cases[i].br + 1));
		f->now_ps = t0 + cases[i].frame_ps - 1;
		assert_false(dev_rd(&f->dev, 0x08, 4) & 0x1u);		/* no RXNE yet */
		f->now_ps = t0 + cases[i].frame_ps;
		assert_int_equal(dev_rd(&f->dev, 0x08, 4) & 0x83u, 0x03u);	/* RXNE, TXE, !BSY */
		(void)dev_rd(&f->dev, 0x0C, 4);
		assert_int_equal(sim_spi_counters(f->spi)->wire_ps - wire0, cases[i].frame_ps);
		dev_wr(&f->dev, 0x00, 4, cr1);
	}
	spi_cs(f, false);
	assert_int_equal(f->logs, 0);
}

/*
 * TXE, RXNE and BSY under load: a second frame written while the first
 * shifts waits in the TX buffer (TXE=0, BSY=1) and starts when the first
 * ends; a third written then (TXE=0) overwrites it (logged); reading DR
 * before RXNE returns the previous frame; a chip select raised while a
 * frame is still on the wire means the chip misses it.
 */
static void test_spi_flags_under_load(void **state)
{
	struct spi_fixture *f = *state;
	uint64_t frame = 8 * 250000ull, t0;
	uint32_t sr;

	dev_wr(&f->dev, 0x00, 4, 0x4u | 0x300u);
	dev_wr(&f->dev, 0x00, 4, 0x4u | 0x300u | CR1_SPE);
	spi_cs(f, true);
	t0 = f->now_ps;
	dev_wr(&f->dev, 0x0C, 4, 0x9F);
	assert_true(dev_rd(&f->dev, 0x08, 4) & 0x2u);		/* TXE: moved to the shift register */
	dev_wr(&f->dev, 0x0C, 4, 0x00);
	sr = dev_rd(&f->dev, 0x08, 4);
	assert_int_equal(sr & 0x83u, 0x80u);			/* TXE=0, BSY, no RXNE */
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4) & 0xFFu, 0x00);	/* stale: nothing yet */
	f->now_ps = t0 + frame;
	sr = dev_rd(&f->dev, 0x08, 4);
	assert_int_equal(sr & 0x83u, 0x83u);			/* RXNE, TXE again, BSY (frame 2) */
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4) & 0xFFu, 0xFF);	/* answer to 9Fh's opcode */
	f->now_ps = t0 + 2 * frame - 1;
	assert_false(dev_rd(&f->dev, 0x08, 4) & 0x1u);
	f->now_ps = t0 + 2 * frame;
	assert_int_equal(dev_rd(&f->dev, 0x08, 4) & 0x83u, 0x03u);
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4) & 0xFFu, 0xEF);
	assert_int_equal(sim_spi_counters(f->spi)->frames_to_chip, 2);

	/* CS raised before the frame is out: the chip never sees it */
	dev_wr(&f->dev, 0x0C, 4, 0x00);
	spi_cs(f, false);
	f->now_ps += frame;
	assert_true(dev_rd(&f->dev, 0x08, 4) & 0x1u);
	assert_int_equal(dev_rd(&f->dev, 0x0C, 4) & 0xFFu, 0xFF);	/* MISO floats */
	assert_int_equal(sim_spi_counters(f->spi)->frames_to_chip, 2);
	assert_int_equal(fake_nor_bytes(f->chip, 1), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rcc_h7_ready_bits),
		cmocka_unit_test(test_rcc_h7_qspi_kernel_clock),
		cmocka_unit_test(test_rcc_f1_ready_bits),
		cmocka_unit_test(test_gpio_f1_set_reset_and_hooks),
		cmocka_unit_test(test_gpio_f1_lock),
		cmocka_unit_test(test_gpio_h7_reset_and_modes),
		cmocka_unit_test_setup_teardown(test_spi_full_duplex_id, spi_setup, spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_overrun, spi_setup, spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_deselected_and_disabled, spi_setup,
						spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_mode_fault, spi_setup, spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_frame_formats, spi_setup, spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_bus_time_per_divider, spi_setup_timed,
						spi_teardown),
		cmocka_unit_test_setup_teardown(test_spi_flags_under_load, spi_setup_timed,
						spi_teardown),
		cmocka_unit_test(test_bitbang_jedec_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
