// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Unit tests of spiram_args.  GPIO register addresses are checked against
 * the reference sheets: STM32F1/GD32F30x GPIOx = 0x40010800 + 0x400 * n,
 * BSRR +0x10, BRR +0x14, IDR +0x08; STM32H7 GPIOx = 0x58020000 + 0x400 * n,
 * BSRR +0x18 (reset in bits 31:16), IDR +0x10.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "spiram_args.h"

#define ARGV(...) ((const char * const []){ __VA_ARGS__ })
#define ARGC(...) (sizeof((const char * const []){ __VA_ARGS__ }) / sizeof(const char *))
#define PARSE_BANK(out, ...) spiram_args_parse_bank(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), out, msg, sizeof(msg))
#define PARSE_SET(user, ...) spiram_args_parse_set(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), user, msg, sizeof(msg))

static char msg[512];

static void test_numbers(void **state)
{
	(void)state;
	uint32_t v;

	assert_true(spiram_args_parse_u32("0x90000000", &v));
	assert_int_equal(v, 0x90000000u);
	assert_true(spiram_args_parse_u32("4096", &v));
	assert_int_equal(v, 4096);
	assert_true(spiram_args_parse_u32("64k", &v));
	assert_int_equal(v, 65536);
	assert_true(spiram_args_parse_u32("16M", &v));
	assert_int_equal(v, 16u << 20);
	assert_true(spiram_args_parse_u32("0xffffffff", &v));
	assert_false(spiram_args_parse_u32("0x100000000", &v));
	assert_false(spiram_args_parse_u32("4096x", &v));
	assert_false(spiram_args_parse_u32("", &v));
	assert_false(spiram_args_parse_u32("-1", &v));
	assert_false(spiram_args_parse_u32("5G", &v));
}

/* A k/M suffix must not wrap a value that is too large into range. */
static void test_number_suffix_overflow(void **state)
{
	(void)state;
	uint32_t v = 12345;
	struct spiram_bank_args a;
	struct spiram_user_override u;

	/* 2^44 MiB = 2^64 bytes: wrapped to 0 before the fix */
	assert_false(spiram_args_parse_u32("17592186044416M", &v));
	assert_false(spiram_args_parse_u32("17592186044417M", &v));
	assert_false(spiram_args_parse_u32("18014398509481984k", &v));
	assert_false(spiram_args_parse_u32("18446744073709551615", &v));	/* strtoull's maximum */
	assert_false(spiram_args_parse_u32("99999999999999999999999", &v));	/* strtoull saturates */
	assert_false(spiram_args_parse_u32("4096M", &v));	/* 4 GiB: one past 32 bits */
	assert_false(spiram_args_parse_u32("4194304k", &v));
	assert_int_equal(v, 12345);	/* untouched on failure */
	/* the largest values that fit */
	assert_true(spiram_args_parse_u32("4095M", &v));
	assert_int_equal(v, 4095u << 20);
	assert_true(spiram_args_parse_u32("4194303k", &v));
	assert_int_equal(v, 4194303u << 10);

	/* -prescaler: rejected, and the message names the value and the range */
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-prescaler", "17592186044416M"),
			SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "17592186044416M"));
	assert_non_null(strstr(msg, "1..256"));

	/* set size: was accepted as a 1 MiB chip */
	memset(&u, 0, sizeof(u));
	assert_int_equal(PARSE_SET(&u, "size", "17592186044417M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_false(u.has_size);
	assert_non_null(strstr(msg, "17592186044417M"));
	assert_non_null(strstr(msg, "2G"));
	assert_int_equal(PARSE_SET(&u, "page", "17592186044672M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_false(u.has_page_size);
	assert_int_equal(PARSE_SET(&u, "erase", "17592186044420M:0x20"), SPIRAM_ARGS_ERR_NUMBER);
	assert_false(u.has_erase);
	/* opcodes and dummy clocks name the range too */
	assert_int_equal(PARSE_SET(&u, "program", "17592186044418M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "0..0xff"));
	assert_int_equal(PARSE_SET(&u, "read", "0x0b", "17592186044424M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "0..31"));
	/* other numbers of the bank line */
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "17592186044416M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "17592186044416M"));
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-mmap", "17592186044416M"),
			SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-workarea-size", "17592186044417M"),
			SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(spiram_args_parse_pin("17592186044416M:0x40010814:0x40010808:4", &spiram_gpio_style_f1,
			&(struct spiram_pin){ 0 }, msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
}

static void test_pins(void **state)
{
	(void)state;
	struct spiram_pin pin;

	/* F1: PA4 -> GPIOA 0x40010800 */
	assert_int_equal(spiram_args_parse_pin("PA4", &spiram_gpio_style_f1, &pin, msg, sizeof(msg)), 0);
	assert_int_equal(pin.set_reg, 0x40010810u);
	assert_int_equal(pin.clr_reg, 0x40010814u);
	assert_int_equal(pin.in_reg, 0x40010808u);
	assert_int_equal(pin.bit, 4);
	assert_int_equal(pin.clr_shift, 0);
	/* F1: PB12 -> GPIOB 0x40010C00 */
	assert_int_equal(spiram_args_parse_pin("pb12", &spiram_gpio_style_f1, &pin, msg, sizeof(msg)), 0);
	assert_int_equal(pin.set_reg, 0x40010c10u);
	assert_int_equal(pin.bit, 12);
	/* H7: PG6 -> GPIOG 0x58021800, BSRR for both */
	assert_int_equal(spiram_args_parse_pin("PG6", &spiram_gpio_style_h7, &pin, msg, sizeof(msg)), 0);
	assert_int_equal(pin.set_reg, 0x58021818u);
	assert_int_equal(pin.clr_reg, 0x58021818u);
	assert_int_equal(pin.in_reg, 0x58021810u);
	assert_int_equal(pin.bit, 6);
	assert_int_equal(pin.clr_shift, 16);
	/* H7: PK15, last port and pin */
	assert_int_equal(spiram_args_parse_pin("PK15", &spiram_gpio_style_h7, &pin, msg, sizeof(msg)), 0);
	assert_int_equal(pin.set_reg, 0x58022818u);
	assert_int_equal(pin.bit, 15);
	/* explicit addresses */
	assert_int_equal(spiram_args_parse_pin("0x40010810:0x40010814:0x40010808:4", &spiram_gpio_style_h7, &pin,
			msg, sizeof(msg)), 0);
	assert_int_equal(pin.set_reg, 0x40010810u);
	assert_int_equal(pin.clr_reg, 0x40010814u);
	assert_int_equal(pin.in_reg, 0x40010808u);
	assert_int_equal(pin.clr_shift, 0);
	/* explicit, same set and clear register: BSRR style */
	assert_int_equal(spiram_args_parse_pin("0x58020018:0x58020018:0x58020010:3", &spiram_gpio_style_f1, &pin, msg,
			sizeof(msg)), 0);
	assert_int_equal(pin.clr_shift, 16);
	assert_int_equal(spiram_args_parse_pin("0x40010810:0x40010814:0x40010808:31:0", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), 0);
	assert_int_equal(pin.bit, 31);

	/* errors */
	assert_int_equal(spiram_args_parse_pin("PA16", &spiram_gpio_style_f1, &pin, msg, sizeof(msg)),
			SPIRAM_ARGS_ERR_PIN);
	assert_int_equal(spiram_args_parse_pin("PZ1", &spiram_gpio_style_f1, &pin, msg, sizeof(msg)),
			SPIRAM_ARGS_ERR_PIN);
	assert_non_null(strstr(msg, "port Z"));
	assert_int_equal(spiram_args_parse_pin("0x40010810:0x40010814:4", &spiram_gpio_style_f1, &pin, msg,
			sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	assert_non_null(strstr(msg, "PA4"));
	assert_int_equal(spiram_args_parse_pin("0x40010810:0x40010814:0x40010808:32", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	assert_int_equal(spiram_args_parse_pin("0x40010811:0x40010814:0x40010808:3", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	/* an empty field is refused, not skipped (which would shift the rest) */
	assert_int_equal(spiram_args_parse_pin("0x40010810::0x40010814:0x40010808:4", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	assert_non_null(strstr(msg, "<set_reg>"));
	assert_int_equal(spiram_args_parse_pin("0x40010810:0x40010814:0x40010808:4:", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	assert_int_equal(spiram_args_parse_pin(":0x40010810:0x40010814:0x40010808:4", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	/* bit 16 with a BSRR-style clear does not fit */
	assert_int_equal(spiram_args_parse_pin("0x58020018:0x58020018:0x58020010:16", &spiram_gpio_style_f1, &pin,
			msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
}

static void test_bank_controllers(void **state)
{
	(void)state;
	struct spiram_bank_args a;

	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000"), 0);
	assert_int_equal(a.ctrl.type, SPIRAM_CTRL_STM32_QSPI);
	assert_int_equal(a.ctrl.regs, 0x52005000u);
	assert_false(a.has_mmap);
	assert_int_equal(a.user.read_pref, SPIRAM_READ_PREF_AUTO);

	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-quad", "-4byte", "-workarea-size", "0x10000",
			"-mmap", "0x90000000", "-chip", "W25Q128JV"), 0);
	assert_int_equal(a.user.read_pref, SPIRAM_READ_PREF_QUAD);
	assert_int_equal(a.user.addr_pref, SPIRAM_ADDR_PREF_4B);
	assert_int_equal(a.workarea_size, 0x10000);
	assert_true(a.has_mmap);
	assert_int_equal(a.ctrl.mmap_base, 0x90000000u);
	assert_true(a.user.has_chip_name);
	assert_string_equal(a.user.chip_name, "W25Q128JV");

	/* OCTOSPI: the QUADSPI options (quad lines, window, divider 1..256) */
	assert_int_equal(PARSE_BANK(&a, "stm32_ospi", "0x52005000", "-quad", "-mmap", "0x90000000",
			"-prescaler", "1"), 0);
	assert_int_equal(a.ctrl.type, SPIRAM_CTRL_STM32_OSPI);
	assert_int_equal(a.ctrl.regs, 0x52005000u);
	assert_int_equal(a.user.read_pref, SPIRAM_READ_PREF_QUAD);
	assert_true(a.has_mmap);
	assert_int_equal(a.ctrl.mmap_base, 0x90000000u);
	assert_int_equal(a.ctrl.prescaler, 1);
	assert_int_equal(PARSE_BANK(&a, "stm32_ospi"), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_BANK(&a, "stm32_ospi", "0x52005000", "-prescaler", "257"), SPIRAM_ARGS_ERR_NUMBER);

	/* SPI with a port pin, F1 default */
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-single"), 0);
	assert_int_equal(a.ctrl.type, SPIRAM_CTRL_STM32_SPI);
	assert_int_equal(a.ctrl.regs, 0x40013000u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].set_reg, 0x40010810u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].bit, 4);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CLK].set_reg, 0);
	/* cs= prefix accepted, and -gpio-style after the pin applies to it */
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "cs=PA4", "-gpio-style", "h7"), 0);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].set_reg, 0x58020018u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].clr_shift, 16);

	/* GPIO bit-bang, copied from a schematic */
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "miso=PA6", "mosi=PA7", "io2=PB0"), 0);
	assert_int_equal(a.ctrl.type, SPIRAM_CTRL_GPIO);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CLK].bit, 5);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_MISO].bit, 6);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_MOSI].bit, 7);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_IO2].set_reg, 0x40010c10u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_IO3].set_reg, 0);
	/* custom style */
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PB1", "clk=PA5", "miso=PA6", "mosi=PA7", "-gpio-style",
			"custom:0x48000000,0x400,0x18,0x28,0x10"), 0);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].set_reg, 0x48000418u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].clr_reg, 0x48000428u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].in_reg, 0x48000410u);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].clr_shift, 0);
}

static void test_bank_errors(void **state)
{
	(void)state;
	struct spiram_bank_args a;

	assert_int_equal(spiram_args_parse_bank(0, NULL, &a, msg, sizeof(msg)), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_BANK(&a, "octospi", "0x52005000"), SPIRAM_ARGS_ERR_CONTROLLER);
	assert_non_null(strstr(msg, "octospi"));
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi"), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "-quad"), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "qspi"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "'qspi'"));
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000"), SPIRAM_ARGS_ERR_MISSING);
	assert_non_null(strstr(msg, "cs pin"));
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PX4"), SPIRAM_ARGS_ERR_PIN);
	assert_non_null(strstr(msg, "cs"));
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-quad"), SPIRAM_ARGS_ERR_CONFLICT);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-quad", "-single"), SPIRAM_ARGS_ERR_CONFLICT);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-3byte", "-4byte"), SPIRAM_ARGS_ERR_CONFLICT);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-fast"), SPIRAM_ARGS_ERR_OPTION);
	assert_non_null(strstr(msg, "'-fast'"));
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-workarea-size"), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-workarea-size", "100"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-mmap", "0x90000000"),
			SPIRAM_ARGS_ERR_CONFLICT);
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "mosi=PA7"), SPIRAM_ARGS_ERR_MISSING);
	assert_non_null(strstr(msg, "miso"));
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "cs=PA5"), SPIRAM_ARGS_ERR_CONFLICT);
	assert_int_equal(PARSE_BANK(&a, "gpio", "sck=PA5"), SPIRAM_ARGS_ERR_PIN);
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "miso=PA6", "mosi=PA7", "-gpio-style", "f4"),
			SPIRAM_ARGS_ERR_OPTION);
	assert_non_null(strstr(msg, "f4"));

	/* -prescaler: QUADSPI divides by 1..256, SPI v1 by a power of two 2..256 */
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-prescaler", "256"), SPIRAM_ARGS_OK);
	assert_int_equal(a.ctrl.prescaler, 256);
	assert_int_equal(PARSE_BANK(&a, "stm32_qspi", "0x52005000", "-prescaler", "257"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "1..256"));
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-prescaler", "8"), SPIRAM_ARGS_OK);
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-prescaler", "6"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-prescaler", "1"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-prescaler", "512"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "512"));
	assert_int_equal(PARSE_BANK(&a, "stm32_spi", "0x40013000", "PA4", "-prescaler", "0"), SPIRAM_ARGS_OK);
}

static void test_set(void **state)
{
	(void)state;
	struct spiram_user_override u;

	memset(&u, 0, sizeof(u));
	assert_int_equal(PARSE_SET(&u, "size", "16M", "page", "256", "erase", "4096:0x20,32k:0x52,64k:0xd8:0xdc",
			"read", "0xeb", "6", "1-4-4", "program", "0x02", "chip_erase", "0x60", "addr", "b7", "qe",
					"sr1-6"),
			0);
	assert_true(u.has_size);
	assert_int_equal(u.size, 16u << 20);
	assert_int_equal(u.page_size, 256);
	assert_true(u.has_erase);
	assert_int_equal(u.erase[0].size, 4096);
	assert_int_equal(u.erase[0].opcode, 0x20);
	assert_int_equal(u.erase[1].size, 32768);
	assert_int_equal(u.erase[2].opcode_4b, 0xdc);
	assert_int_equal(u.erase[3].size, 0);
	assert_int_equal(u.read_opcode, 0xeb);
	assert_int_equal(u.read_dummy, 6);
	assert_int_equal(u.read_proto, SPIRAM_PROTO(1, 4, 4));
	assert_int_equal(u.program_opcode, 0x02);
	assert_int_equal(u.chip_erase_opcode, 0x60);
	assert_int_equal(u.addr_pref, SPIRAM_ADDR_PREF_4B);
	assert_int_equal(u.qe_method, SPIRAM_QE_SR1_BIT6);

	/* accumulates: a second set keeps earlier fields */
	assert_int_equal(PARSE_SET(&u, "read", "0x0b", "8", "read_width", "single"), 0);
	assert_true(u.has_size);
	assert_int_equal(u.read_proto, SPIRAM_PROTO(1, 1, 1));
	assert_int_equal(u.read_pref, SPIRAM_READ_PREF_SINGLE);

	/* errors name the key */
	assert_int_equal(spiram_args_parse_set(0, NULL, &u, msg, sizeof(msg)), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_SET(&u, "size", "3M"), SPIRAM_ARGS_ERR_NUMBER);
	assert_non_null(strstr(msg, "power of two"));
	assert_int_equal(PARSE_SET(&u, "size"), SPIRAM_ARGS_ERR_MISSING);
	assert_int_equal(PARSE_SET(&u, "erase", "4096"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", "3000:0x20"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", "4k:0x20,8k:0x21,16k:0x22,32k:0x52,64k:0xd8"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", "4k:0x120"), SPIRAM_ARGS_ERR_NUMBER);
	/* empty fields are refused, not merged ("4k::0x21" is no 4 KiB erase by 0x21) */
	assert_int_equal(PARSE_SET(&u, "erase", "4k::0x21"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", "4k:0x20,,64k:0xd8"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", "4k:0x20,"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "erase", ""), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "read", "0xeb"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "read", "0xeb", "6", "4-4-4"), SPIRAM_ARGS_ERR_NUMBER);
	assert_int_equal(PARSE_SET(&u, "addr", "5"), SPIRAM_ARGS_ERR_OPTION);
	assert_int_equal(PARSE_SET(&u, "qe", "sr3"), SPIRAM_ARGS_ERR_OPTION);
	assert_int_equal(PARSE_SET(&u, "speed", "50M"), SPIRAM_ARGS_ERR_OPTION);
	assert_non_null(strstr(msg, "'speed'"));
	/* a failed set leaves the earlier values in place for fields not reached */
	assert_int_equal(u.size, 16u << 20);
}

/* Found by the argument fuzzer (tests/fuzz/fuzz_args.c): a custom GPIO
 * style gave unaligned (or wrapped) register addresses to port pins, which
 * the explicit pin form refuses; the stub would fault on them. */
static void test_gpio_style_addresses(void **state)
{
	(void)state;
	struct spiram_bank_args a;
	struct spiram_pin pin;

	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style",
			"custom:0x40010801,0x400,0x10,0x14,0x8"), SPIRAM_ARGS_ERR_OPTION);
	assert_non_null(strstr(msg, "multiples of 4"));
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style",
			"custom:0x40010800,0x400,0x12,0x14,0x8"), SPIRAM_ARGS_ERR_OPTION);
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style",
			"custom:0,0x400,0x10,0x14,0x8"), SPIRAM_ARGS_ERR_OPTION);
	/* an empty field is refused, not merged into a four-field style */
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PA4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style",
			"custom:0x40010800,,0x400,0x10,0x14,0x8"), SPIRAM_ARGS_ERR_OPTION);
	/* a well-formed custom style still works */
	assert_int_equal(PARSE_BANK(&a, "gpio", "cs=PB4", "clk=PA5", "mosi=PA7", "miso=PA6", "-gpio-style",
			"custom:0x40010800,0x400,0x10,0x14,0x8"), SPIRAM_ARGS_OK);
	assert_int_equal(a.ctrl.pins[SPIRAM_PIN_CS].set_reg, 0x40010c10u);
	/* addresses past 4 GiB wrapped to low ones */
	const struct spiram_gpio_style high = { 0xfffff000u, 0x400u, 0x10u, 0x14u, 0x08u, 0 };
	assert_int_equal(spiram_args_parse_pin("PA4", &high, &pin, msg, sizeof(msg)), SPIRAM_ARGS_OK);
	assert_int_equal(pin.set_reg, 0xfffff010u);
	assert_int_equal(spiram_args_parse_pin("PK4", &high, &pin, msg, sizeof(msg)), SPIRAM_ARGS_ERR_PIN);
	assert_non_null(strstr(msg, "below 4 GiB"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_number_suffix_overflow),
		cmocka_unit_test(test_pins),
		cmocka_unit_test(test_bank_controllers),
		cmocka_unit_test(test_bank_errors),
		cmocka_unit_test(test_set),
		cmocka_unit_test(test_gpio_style_addresses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
