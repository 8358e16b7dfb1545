/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_args: parsing of the spiram_loader flash bank's controller
 * arguments and options, and of `spiram_loader set` arguments.
 * Pure: works on argc/argv strings, fills structs, writes one sentence
 * naming the wrong argument and why into a caller's buffer.
 *
 * Bank syntax (argv starts at the controller word):
 *   stm32_qspi <regs_base> [options]
 *   stm32_ospi <regs_base> [options]     (OCTOSPI, used on 1/2/4 lines)
 *   stm32_spi <regs_base> <cs pin> [options]
 *   gpio cs=<pin> clk=<pin> mosi=<pin> miso=<pin> [io2=<pin>] [io3=<pin>] [options]
 *
 * Pins, as printed on a schematic:
 *   PA4, PB12, PC0 ...      port letter and pin number; register addresses
 *                           come from -gpio-style (default f1)
 *   <set>:<clr>:<in>:<bit>[:<clr_shift>]
 *                           explicit addresses, e.g. 0x40010810:0x40010814:0x40010808:4;
 *                           clr_shift defaults to 16 when clr == set (BSRR), else 0
 *
 * Options:
 *   -quad | -dual | -single       read lines (default: fastest available)
 *   -3byte | -4byte               addressing (default: from the chip)
 *   -workarea-size <bytes>        work area to ask for
 *   -chip <name>                  use this chip table entry, skip the ID match
 *   -gpio-style f1|h7|custom:<porta>,<stride>,<set>,<clr>,<in>
 *     f1: STM32F1/GD32F30x, GPIOx = 0x40010800 + 0x400 * n, BSRR +0x10, BRR +0x14, IDR +0x08
 *     h7: STM32H7, GPIOx = 0x58020000 + 0x400 * n, BSRR +0x18 (reset in bits 31:16), IDR +0x10
 *   -mmap <address>               memory-mapped window (stm32_qspi/ospi; default: bank base)
 *   -prescaler <n>                controller clock divider (0 = keep)
 *
 * `spiram_loader set <bank>` arguments (argv starts after the bank):
 *   size <bytes> | page <bytes> | erase <size>:<opcode>[:<opcode_4b>][,...] |
 *   read <opcode> <dummy> [<c-a-d lines, e.g. 1-1-4>] | program <opcode> |
 *   chip_erase <opcode> | addr 3|4|b7|auto | qe none|sr2-31h|sr2-01h|sr1-6 |
 *   read_width single|dual|quad|auto
 *   (with 4-byte opcodes in use, a `read`/`program` opcode is used for both
 *   address widths, so give the 4-byte opcode there)
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_ARGS_H
#define OPENOCD_FLASH_NOR_SPIRAM_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spiram_contract.h"
#include "spiram_chips.h"

/* STM32 QUADSPI and OCTOSPI: quad lines, memory-mapped window, divider 1..256. */
static inline bool spiram_ctrl_is_stm32_xspi(uint32_t type)
{
	return type == SPIRAM_CTRL_STM32_QSPI || type == SPIRAM_CTRL_STM32_OSPI;
}

enum spiram_args_error {
	SPIRAM_ARGS_OK = 0,
	SPIRAM_ARGS_ERR_MISSING,	/* a required argument is absent */
	SPIRAM_ARGS_ERR_CONTROLLER,	/* unknown controller word */
	SPIRAM_ARGS_ERR_NUMBER,		/* not a number, or out of range */
	SPIRAM_ARGS_ERR_PIN,		/* pin description not understood */
	SPIRAM_ARGS_ERR_OPTION,		/* unknown option or key */
	SPIRAM_ARGS_ERR_CONFLICT,	/* two options contradict each other */
};

/* Register layout used to turn "PA4" into addresses. */
struct spiram_gpio_style {
	uint32_t port_a;		/* GPIOA base */
	uint32_t stride;		/* distance between ports */
	uint32_t set_off;		/* offset of the set register (BSRR) */
	uint32_t clr_off;		/* offset of the clear register (BRR or BSRR) */
	uint32_t in_off;		/* offset of the input register (IDR) */
	uint32_t clr_shift;		/* 16 when clr_off is BSRR-style, else 0 */
};

extern const struct spiram_gpio_style spiram_gpio_style_f1;
extern const struct spiram_gpio_style spiram_gpio_style_h7;

struct spiram_bank_args {
	struct spiram_ctrl_cfg ctrl;	/* type, regs, mmap_base, prescaler, pins */
	bool has_mmap;			/* -mmap given (else the driver uses the bank base) */
	uint32_t workarea_size;		/* -workarea-size, 0 = driver default */
	struct spiram_user_override user;	/* -quad/-single/-3byte/-4byte/-chip */
};

/* Parse "PA4" (with style) or an explicit address form into *pin. */
enum spiram_args_error spiram_args_parse_pin(const char *text, const struct spiram_gpio_style *style,
		struct spiram_pin *pin, char *msg, size_t msg_size);

/* Parse the bank's controller arguments and options. */
enum spiram_args_error spiram_args_parse_bank(unsigned int argc, const char * const *argv,
		struct spiram_bank_args *out, char *msg, size_t msg_size);

/*
 * Parse `spiram_loader set` arguments into *user.  Fields not mentioned
 * keep their value, so repeated `set` commands accumulate.
 */
enum spiram_args_error spiram_args_parse_set(unsigned int argc, const char * const *argv,
		struct spiram_user_override *user, char *msg, size_t msg_size);

/* Parse an unsigned number (decimal, 0x hex, optional k/K/m/M suffix). */
bool spiram_args_parse_u32(const char *text, uint32_t *value);

#endif /* OPENOCD_FLASH_NOR_SPIRAM_ARGS_H */
