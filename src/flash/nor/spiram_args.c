// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_args: bank and `spiram_loader set` argument parsing (syntax in
 * spiram_args.h).  Pure string handling; every error message names the
 * argument and says what was expected.
 *
 * Pins given as port names are resolved after all options are read, so
 * -gpio-style may come after the pins.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spiram_args.h"

const struct spiram_gpio_style spiram_gpio_style_f1 = { 0x40010800u, 0x400u, 0x10u, 0x14u, 0x08u, 0 };
const struct spiram_gpio_style spiram_gpio_style_h7 = { 0x58020000u, 0x400u, 0x18u, 0x18u, 0x10u, 16 };

#define ARGS_MSG(...) do { if (msg && msg_size) snprintf(msg, msg_size, __VA_ARGS__); } while (0)

/*
 * Syntax of a number: decimal or 0x hex, then an optional k/K (x 1024) or
 * m/M (x 1024 * 1024) suffix.  The multiplication is checked before it is
 * done, so a huge number with a suffix cannot wrap into range.
 */
static enum args_number {
	ARGS_NUMBER_OK,
	ARGS_NUMBER_SYNTAX,		/* not a number at all */
	ARGS_NUMBER_TOO_BIG,		/* a number, above 0xffffffff */
} args_parse_number(const char *text, uint32_t *value)
{
	char *end;
	unsigned long long v, scale = 1;

	if (!text || !*text || *text == '-' || *text == '+' || isspace((unsigned char)*text))
		return ARGS_NUMBER_SYNTAX;
	errno = 0;
	v = strtoull(text, &end, 0);
	if (end == text)
		return ARGS_NUMBER_SYNTAX;
	bool saturated = errno == ERANGE;
	if (*end == 'k' || *end == 'K') {
		scale = 1024ull;
		end++;
	} else if (*end == 'm' || *end == 'M') {
		scale = 1024ull * 1024ull;
		end++;
	}
	if (*end)
		return ARGS_NUMBER_SYNTAX;
	if (saturated || v > 0xffffffffull / scale)
		return ARGS_NUMBER_TOO_BIG;
	*value = (uint32_t)(v * scale);
	return ARGS_NUMBER_OK;
}

bool spiram_args_parse_u32(const char *text, uint32_t *value)
{
	return args_parse_number(text, value) == ARGS_NUMBER_OK;
}

/*
 * A number in [min, max] for the argument named what; otherwise a message
 * that names the argument, the value given and the range allowed.
 */
static bool args_number_in_range(const char *what, const char *text, uint32_t min, uint32_t max,
		const char *range_text, uint32_t *value, char *msg, size_t msg_size)
{
	uint32_t v = 0;
	enum args_number e = args_parse_number(text, &v);

	if (e == ARGS_NUMBER_SYNTAX) {
		ARGS_MSG("%s '%s' is not a number: expected decimal or 0x hex, optionally with a k or M suffix, "
				"in %s", what, text, range_text);
		return false;
	}
	if (e == ARGS_NUMBER_TOO_BIG || v < min || v > max) {
		ARGS_MSG("%s '%s' is out of range: expected %s", what, text, range_text);
		return false;
	}
	*value = v;
	return true;
}

/*
 * Split text in place at sep into at most max fields. Returns the count,
 * or 0 when a field is empty or there are more than max: strtok would
 * merge "a::b" into two fields and shift every later one into the wrong
 * slot.
 */
static unsigned int args_split(char *text, char sep, char **field, unsigned int max)
{
	unsigned int n = 0;

	for (char *tok = text; tok; n++) {
		char *end = strchr(tok, sep);
		if (end)
			*end = '\0';
		if (n == max || !*tok)
			return 0;
		field[n] = tok;
		tok = end ? end + 1 : NULL;
	}
	return n;
}

/* "PA4", "pb12": port letter and pin number. */
static bool args_parse_port_pin(const char *text, unsigned int *port, unsigned int *bit)
{
	if ((text[0] != 'P' && text[0] != 'p') || !isalpha((unsigned char)text[1]) || !isdigit((unsigned char)text[2]))
		return false;
	char *end;
	unsigned long n = strtoul(text + 2, &end, 10);
	if (*end || n > 15)
		return false;
	*port = (unsigned int)(toupper((unsigned char)text[1]) - 'A');
	*bit = (unsigned int)n;
	return true;
}

enum spiram_args_error spiram_args_parse_pin(const char *text, const struct spiram_gpio_style *style,
		struct spiram_pin *pin, char *msg, size_t msg_size)
{
	unsigned int port, bit;

	memset(pin, 0, sizeof(*pin));
	if (args_parse_port_pin(text, &port, &bit)) {
		if (port > 10) {
			ARGS_MSG("pin '%s': port %c does not exist (A..K)", text, 'A' + port);
			return SPIRAM_ARGS_ERR_PIN;
		}
		/* 64-bit, so that a custom style cannot wrap an address past 4 GiB */
		uint64_t base = style->port_a + (uint64_t)port * style->stride;
		uint64_t set = base + style->set_off, clr = base + style->clr_off, in = base + style->in_off;
		if (!set || !clr || !in || set > 0xffffffffu || clr > 0xffffffffu || in > 0xffffffffu ||
				(set | clr | in) & 3) {
			ARGS_MSG("pin '%s': the GPIO style gives registers 0x%llx, 0x%llx, 0x%llx; they must be "
					"non-zero, 4-byte aligned and below 4 GiB", text, (unsigned long long)set,
					(unsigned long long)clr, (unsigned long long)in);
			return SPIRAM_ARGS_ERR_PIN;
		}
		pin->set_reg = (uint32_t)set;
		pin->clr_reg = (uint32_t)clr;
		pin->in_reg = (uint32_t)in;
		pin->bit = bit;
		pin->clr_shift = style->clr_shift;
		return SPIRAM_ARGS_OK;
	}

	/* <set>:<clr>:<in>:<bit>[:<clr_shift>] */
	char copy[128];
	uint32_t field[5];
	unsigned int count = 0;
	if (strlen(text) >= sizeof(copy)) {
		ARGS_MSG("pin '%.40s...': too long", text);
		return SPIRAM_ARGS_ERR_PIN;
	}
	strcpy(copy, text);
	char *tok[5];
	count = args_split(copy, ':', tok, 5);
	for (unsigned int i = 0; i < count; i++) {
		if (!spiram_args_parse_u32(tok[i], &field[i])) {
			count = 0;
			break;
		}
	}
	if (count != 4 && count != 5) {
		ARGS_MSG("pin '%s': expected a port pin such as PA4, or "
				"<set_reg>:<clr_reg>:<in_reg>:<bit>[:<clr_shift>] "
				"such as 0x40010810:0x40010814:0x40010808:4", text);
		return SPIRAM_ARGS_ERR_PIN;
	}
	if (field[3] > 31 || (count == 5 && field[4] != 0 && field[4] != 16)) {
		ARGS_MSG("pin '%s': bit must be 0..31 and clr_shift 0 or 16", text);
		return SPIRAM_ARGS_ERR_PIN;
	}
	if (!field[0] || !field[1] || !field[2] || (field[0] | field[1] | field[2]) & 3) {
		ARGS_MSG("pin '%s': register addresses must be non-zero and 4-byte aligned", text);
		return SPIRAM_ARGS_ERR_PIN;
	}
	pin->set_reg = field[0];
	pin->clr_reg = field[1];
	pin->in_reg = field[2];
	pin->bit = field[3];
	pin->clr_shift = count == 5 ? field[4] : (field[0] == field[1] ? 16 : 0);
	if (pin->bit + pin->clr_shift > 31) {
		ARGS_MSG("pin '%s': bit %u with clr_shift 16 does not fit a 32-bit register", text, pin->bit);
		return SPIRAM_ARGS_ERR_PIN;
	}
	return SPIRAM_ARGS_OK;
}

static enum spiram_args_error args_parse_style(const char *text, struct spiram_gpio_style *style,
		char *msg, size_t msg_size)
{
	if (!strcasecmp(text, "f1") || !strcasecmp(text, "gd32")) {
		*style = spiram_gpio_style_f1;
		return SPIRAM_ARGS_OK;
	}
	if (!strcasecmp(text, "h7")) {
		*style = spiram_gpio_style_h7;
		return SPIRAM_ARGS_OK;
	}
	if (!strncasecmp(text, "custom:", 7)) {
		uint32_t v[5];
		unsigned int n = 0;
		char copy[128], *tok[5];
		snprintf(copy, sizeof(copy), "%s", text + 7);
		n = args_split(copy, ',', tok, 5);
		for (unsigned int i = 0; i < n; i++) {
			if (!spiram_args_parse_u32(tok[i], &v[i])) {
				n = 0;
				break;
			}
		}
		/* 32-bit GPIO registers: every address the style forms is 4-byte aligned */
		if (n == 5 && v[0] && !((v[0] | v[1] | v[2] | v[3] | v[4]) & 3)) {
			*style = (struct spiram_gpio_style){ v[0], v[1], v[2], v[3], v[4], v[2] == v[3] ? 16 : 0 };
			return SPIRAM_ARGS_OK;
		}
	}
	ARGS_MSG("-gpio-style '%s': expected f1, h7 or custom:<gpioa_base>,<port_stride>,<set_off>,<clr_off>,<in_off>"
			" (non-zero base, all five multiples of 4)", text);
	return SPIRAM_ARGS_ERR_OPTION;
}

static const char * const args_gpio_pin_names[SPIRAM_PIN_COUNT] = { "cs", "clk", "mosi", "miso", "io2", "io3" };

enum spiram_args_error spiram_args_parse_bank(unsigned int argc, const char * const *argv,
		struct spiram_bank_args *out, char *msg, size_t msg_size)
{
	const char *pin_text[SPIRAM_PIN_COUNT] = { NULL };
	struct spiram_gpio_style style = spiram_gpio_style_f1;
	unsigned int i = 0;

	memset(out, 0, sizeof(*out));
	if (msg && msg_size)
		msg[0] = '\0';
	if (argc < 1) {
		ARGS_MSG("missing controller: expected stm32_qspi, stm32_ospi, stm32_spi or gpio after the target");
		return SPIRAM_ARGS_ERR_MISSING;
	}

	const char *ctrl = argv[i++];
	if (!strcmp(ctrl, "stm32_qspi") || !strcmp(ctrl, "stm32_ospi") || !strcmp(ctrl, "stm32_spi")) {
		bool spi = !strcmp(ctrl, "stm32_spi");
		out->ctrl.type = spi ? SPIRAM_CTRL_STM32_SPI : !strcmp(ctrl, "stm32_ospi") ?
				SPIRAM_CTRL_STM32_OSPI : SPIRAM_CTRL_STM32_QSPI;
		if (i >= argc || argv[i][0] == '-') {
			ARGS_MSG("%s: missing <regs_base>, the controller's register address (e.g. %s)", ctrl,
					spi ? "0x40013000" : "0x52005000");
			return SPIRAM_ARGS_ERR_MISSING;
		}
		char what[32];
		snprintf(what, sizeof(what), "%s regs_base", ctrl);
		if (!args_number_in_range(what, argv[i], 1, 0xffffffffu, "1..0xffffffff", &out->ctrl.regs, msg,
				msg_size))
			return SPIRAM_ARGS_ERR_NUMBER;
		i++;
		if (spi) {
			if (i >= argc || argv[i][0] == '-') {
				ARGS_MSG("stm32_spi: missing <cs pin> after the register base (e.g. PA4)");
				return SPIRAM_ARGS_ERR_MISSING;
			}
			pin_text[SPIRAM_PIN_CS] = !strncmp(argv[i], "cs=", 3) ? argv[i] + 3 : argv[i];
			i++;
		}
	} else if (!strcmp(ctrl, "gpio")) {
		out->ctrl.type = SPIRAM_CTRL_GPIO;
		for (; i < argc && argv[i][0] != '-'; i++) {
			const char *eq = strchr(argv[i], '=');
			unsigned int p;
			for (p = 0; p < SPIRAM_PIN_COUNT; p++) {
				size_t n = strlen(args_gpio_pin_names[p]);
				if (eq && (size_t)(eq - argv[i]) == n &&
						!strncasecmp(argv[i], args_gpio_pin_names[p], n))
					break;
			}
			if (p == SPIRAM_PIN_COUNT) {
				ARGS_MSG("gpio: '%s' is not <name>=<pin> with name cs, clk, mosi, miso, io2 or io3",
						argv[i]);
				return SPIRAM_ARGS_ERR_PIN;
			}
			if (pin_text[p]) {
				ARGS_MSG("gpio: pin %s given twice", args_gpio_pin_names[p]);
				return SPIRAM_ARGS_ERR_CONFLICT;
			}
			pin_text[p] = eq + 1;
		}
		for (unsigned int p = SPIRAM_PIN_CS; p <= SPIRAM_PIN_MISO; p++) {
			if (!pin_text[p]) {
				ARGS_MSG("gpio: missing %s=<pin>; cs, clk, mosi and miso are required",
						args_gpio_pin_names[p]);
				return SPIRAM_ARGS_ERR_MISSING;
			}
		}
	} else {
		ARGS_MSG("unknown controller '%s': expected stm32_qspi, stm32_ospi, stm32_spi or gpio", ctrl);
		return SPIRAM_ARGS_ERR_CONTROLLER;
	}

	/* options */
	bool read_set = false, addr_set = false;
	for (; i < argc; i++) {
		const char *opt = argv[i];
		enum spiram_read_pref read = SPIRAM_READ_PREF_AUTO;
		enum spiram_addr_pref addr = SPIRAM_ADDR_PREF_AUTO;
		if (!strcmp(opt, "-quad"))
			read = SPIRAM_READ_PREF_QUAD;
		else if (!strcmp(opt, "-dual"))
			read = SPIRAM_READ_PREF_DUAL;
		else if (!strcmp(opt, "-single"))
			read = SPIRAM_READ_PREF_SINGLE;
		else if (!strcmp(opt, "-3byte"))
			addr = SPIRAM_ADDR_PREF_3B;
		else if (!strcmp(opt, "-4byte"))
			addr = SPIRAM_ADDR_PREF_4B;
		if (read != SPIRAM_READ_PREF_AUTO) {
			if (read_set && out->user.read_pref != read) {
				ARGS_MSG("%s conflicts with an earlier read-width option", opt);
				return SPIRAM_ARGS_ERR_CONFLICT;
			}
			if (read == SPIRAM_READ_PREF_QUAD && !spiram_ctrl_is_stm32_xspi(out->ctrl.type)) {
				ARGS_MSG("-quad needs the stm32_qspi or stm32_ospi controller; %s drives one data line per direction",
						ctrl);
				return SPIRAM_ARGS_ERR_CONFLICT;
			}
			out->user.read_pref = read;
			read_set = true;
			continue;
		}
		if (addr != SPIRAM_ADDR_PREF_AUTO) {
			if (addr_set && out->user.addr_pref != addr) {
				ARGS_MSG("%s conflicts with an earlier addressing option", opt);
				return SPIRAM_ARGS_ERR_CONFLICT;
			}
			out->user.addr_pref = addr;
			addr_set = true;
			continue;
		}

		bool takes_value = !strcmp(opt, "-workarea-size") || !strcmp(opt, "-chip") ||
				!strcmp(opt, "-gpio-style") || !strcmp(opt, "-mmap") || !strcmp(opt, "-prescaler");
		if (!takes_value) {
			ARGS_MSG("unknown option '%s': expected -quad, -dual, -single, -3byte, -4byte, "
					"-workarea-size N, -chip NAME, -gpio-style STYLE, -mmap ADDR or -prescaler N",
					opt);
			return SPIRAM_ARGS_ERR_OPTION;
		}
		if (i + 1 >= argc) {
			ARGS_MSG("%s needs a value", opt);
			return SPIRAM_ARGS_ERR_MISSING;
		}
		const char *val = argv[++i];
		if (!strcmp(opt, "-chip")) {
			if (strlen(val) >= sizeof(out->user.chip_name)) {
				ARGS_MSG("-chip '%s': name too long", val);
				return SPIRAM_ARGS_ERR_OPTION;
			}
			strcpy(out->user.chip_name, val);
			out->user.has_chip_name = true;
		} else if (!strcmp(opt, "-gpio-style")) {
			enum spiram_args_error e = args_parse_style(val, &style, msg, msg_size);
			if (e != SPIRAM_ARGS_OK)
				return e;
		} else {
			uint32_t v;
			if (!strcmp(opt, "-workarea-size")) {
				char range[64];
				snprintf(range, sizeof(range), "%u..0xffffffff bytes (the FIFO and stack alone need %u)",
						SPIRAM_MIN_FIFO_SIZE + SPIRAM_MIN_STACK_SIZE,
						SPIRAM_MIN_FIFO_SIZE + SPIRAM_MIN_STACK_SIZE);
				if (!args_number_in_range(opt, val, SPIRAM_MIN_FIFO_SIZE + SPIRAM_MIN_STACK_SIZE,
						0xffffffffu, range, &v, msg, msg_size))
					return SPIRAM_ARGS_ERR_NUMBER;
				out->workarea_size = v;
			} else if (!strcmp(opt, "-mmap")) {
				if (!args_number_in_range(opt, val, 0, 0xffffffffu, "0..0xffffffff", &v, msg, msg_size))
					return SPIRAM_ARGS_ERR_NUMBER;
				if (!spiram_ctrl_is_stm32_xspi(out->ctrl.type)) {
					ARGS_MSG("-mmap only applies to stm32_qspi and stm32_ospi");
					return SPIRAM_ARGS_ERR_CONFLICT;
				}
				out->ctrl.mmap_base = v;
				out->has_mmap = true;
			} else {
				/* QUADSPI/OCTOSPI divide by 1..256; SPI v1 by a power of two, 2..256; 0 keeps it */
				const char *range = spiram_ctrl_is_stm32_xspi(out->ctrl.type) ?
						"0 (keep) or a divider of 1..256" :
						"0 (keep) or a divider of 2, 4, 8 ... 256";
				if (!args_number_in_range(opt, val, 0, 256, range, &v, msg, msg_size))
					return SPIRAM_ARGS_ERR_NUMBER;
				bool pow2 = v && !(v & (v - 1));
				if (v && !spiram_ctrl_is_stm32_xspi(out->ctrl.type) && (v < 2 || !pow2)) {
					ARGS_MSG("-prescaler '%s' is out of range: expected %s", val, range);
					return SPIRAM_ARGS_ERR_NUMBER;
				}
				out->ctrl.prescaler = v;
			}
		}
	}

	for (unsigned int p = 0; p < SPIRAM_PIN_COUNT; p++) {
		if (!pin_text[p])
			continue;
		char pin_msg[200];
		enum spiram_args_error e = spiram_args_parse_pin(pin_text[p], &style, &out->ctrl.pins[p], pin_msg,
				sizeof(pin_msg));
		if (e != SPIRAM_ARGS_OK) {
			ARGS_MSG("%s %s: %s", ctrl, args_gpio_pin_names[p], pin_msg);
			return e;
		}
	}
	out->ctrl.flags = SPIRAM_CTRL_F_KEEP_STATE;
	return SPIRAM_ARGS_OK;
}

/* "1-4-4" -> SPIRAM_PROTO(1, 4, 4) */
static bool args_parse_proto(const char *text, uint32_t *proto)
{
	unsigned int c, a, d;
	char tail;

	if (sscanf(text, "%u-%u-%u%c", &c, &a, &d, &tail) != 3)
		return false;
	if ((c != 1 && c != 2 && c != 4) || (a != 1 && a != 2 && a != 4) || (d != 1 && d != 2 && d != 4))
		return false;
	*proto = SPIRAM_PROTO(c, a, d);
	return true;
}

static bool args_opcode(const char *text, uint32_t *op)
{
	return spiram_args_parse_u32(text, op) && *op <= 0xff;
}

static bool args_pow2(uint32_t v)
{
	return v && !(v & (v - 1));
}

enum spiram_args_error spiram_args_parse_set(unsigned int argc, const char * const *argv,
		struct spiram_user_override *user, char *msg, size_t msg_size)
{
	if (msg && msg_size)
		msg[0] = '\0';
	if (argc == 0) {
		ARGS_MSG("nothing to set: expected size, page, erase, read, program, chip_erase, addr or qe");
		return SPIRAM_ARGS_ERR_MISSING;
	}

	for (unsigned int i = 0; i < argc; i++) {
		const char *key = argv[i];
		if (i + 1 >= argc) {
			ARGS_MSG("'%s' needs a value", key);
			return SPIRAM_ARGS_ERR_MISSING;
		}
		const char *val = argv[++i];
		uint32_t v;

		if (!strcmp(key, "size") || !strcmp(key, "page")) {
			/* 2 GiB is the largest power of two a 32-bit size holds */
			const char *range = "a power of two in bytes from 1 to 2G (e.g. 16M, 256)";
			if (!args_number_in_range(key, val, 1, 0x80000000u, range, &v, msg, msg_size))
				return SPIRAM_ARGS_ERR_NUMBER;
			if (!args_pow2(v)) {
				ARGS_MSG("%s '%s': expected %s", key, val, range);
				return SPIRAM_ARGS_ERR_NUMBER;
			}
			if (key[0] == 's') {
				user->has_size = true;
				user->size = v;
			} else {
				user->has_page_size = true;
				user->page_size = v;
			}
		} else if (!strcmp(key, "erase")) {
			struct spiram_erase_type erase[SPIRAM_MAX_ERASE_TYPES];
			char copy[256], *type[SPIRAM_MAX_ERASE_TYPES];
			memset(erase, 0, sizeof(erase));
			if (strlen(val) >= sizeof(copy)) {
				ARGS_MSG("erase: list too long");
				return SPIRAM_ARGS_ERR_NUMBER;
			}
			strcpy(copy, val);
			unsigned int types = args_split(copy, ',', type, SPIRAM_MAX_ERASE_TYPES);
			bool bad = !types;
			for (unsigned int t = 0; !bad && t < types; t++) {
				char *f[3];
				unsigned int nf = args_split(type[t], ':', f, 3);
				uint32_t size, op, op4 = 0;
				bad = nf < 2 || !spiram_args_parse_u32(f[0], &size) || !args_pow2(size);
				bad = bad || !args_opcode(f[1], &op) || (nf == 3 && !args_opcode(f[2], &op4));
				if (!bad)
					erase[t] = (struct spiram_erase_type){ size, op, op4, 0 };
			}
			if (bad) {
				ARGS_MSG("erase '%s': expected up to 4 <size>:<opcode>[:<opcode_4b>] "
						"separated by commas, sizes powers of two from 1 to 2G, opcodes 0..0xff "
						"(e.g. 4096:0x20,65536:0xd8)", val);
				return SPIRAM_ARGS_ERR_NUMBER;
			}
			memcpy(user->erase, erase, sizeof(erase));
			user->has_erase = true;
		} else if (!strcmp(key, "read")) {
			uint32_t op, dummy, proto = SPIRAM_PROTO(1, 1, 1);
			if (!args_number_in_range("read opcode", val, 0, 0xff, "an opcode 0..0xff", &op, msg, msg_size))
				return SPIRAM_ARGS_ERR_NUMBER;
			if (i + 1 >= argc) {
				ARGS_MSG("read %s: expected <dummy clocks> 0..31 after the opcode", val);
				return SPIRAM_ARGS_ERR_NUMBER;
			}
			if (!args_number_in_range("read dummy clocks", argv[i + 1], 0, 31, "0..31", &dummy, msg,
					msg_size))
				return SPIRAM_ARGS_ERR_NUMBER;
			i++;
			if (i + 1 < argc && strchr(argv[i + 1], '-') && isdigit((unsigned char)argv[i + 1][0])) {
				if (!args_parse_proto(argv[i + 1], &proto) || SPIRAM_PROTO_CMD(proto) != 1) {
					ARGS_MSG("read: lines '%s' not supported: expected 1-1-1, 1-1-2, 1-2-2, "
							"1-1-4 or 1-4-4", argv[i + 1]);
					return SPIRAM_ARGS_ERR_NUMBER;
				}
				i++;
			}
			user->has_read = true;
			user->read_opcode = op;
			user->read_dummy = dummy;
			user->read_proto = proto;
		} else if (!strcmp(key, "program") || !strcmp(key, "chip_erase")) {
			if (!args_number_in_range(key, val, 0, 0xff, "an opcode 0..0xff", &v, msg, msg_size))
				return SPIRAM_ARGS_ERR_NUMBER;
			if (key[0] == 'p') {
				user->has_program = true;
				user->program_opcode = v;
			} else {
				user->has_chip_erase = true;
				user->chip_erase_opcode = v;
			}
		} else if (!strcmp(key, "addr")) {
			if (!strcmp(val, "3")) {
				user->addr_pref = SPIRAM_ADDR_PREF_3B;
			} else if (!strcmp(val, "4") || !strcmp(val, "b7")) {
				user->addr_pref = SPIRAM_ADDR_PREF_4B;
			} else if (!strcmp(val, "auto")) {
				user->addr_pref = SPIRAM_ADDR_PREF_AUTO;
			} else {
				ARGS_MSG("addr '%s': expected 3, 4, b7 or auto", val);
				return SPIRAM_ARGS_ERR_OPTION;
			}
		} else if (!strcmp(key, "qe")) {
			static const struct { const char *name; enum spiram_qe_method qe; } qe_names[] = {
				{ "none", SPIRAM_QE_NONE }, { "sr2-31h", SPIRAM_QE_SR2_BIT1_WRSR2 },
				{ "sr2-01h", SPIRAM_QE_SR2_BIT1_WRSR16 }, { "sr1-6", SPIRAM_QE_SR1_BIT6 },
			};
			unsigned int q;
			for (q = 0; q < 4 && strcasecmp(val, qe_names[q].name); q++)
				;
			if (q == 4) {
				ARGS_MSG("qe '%s': expected none, sr2-31h, sr2-01h or sr1-6", val);
				return SPIRAM_ARGS_ERR_OPTION;
			}
			user->has_qe = true;
			user->qe_method = qe_names[q].qe;
		} else if (!strcmp(key, "read_width")) {
			if (!strcmp(val, "single")) {
				user->read_pref = SPIRAM_READ_PREF_SINGLE;
			} else if (!strcmp(val, "dual")) {
				user->read_pref = SPIRAM_READ_PREF_DUAL;
			} else if (!strcmp(val, "quad")) {
				user->read_pref = SPIRAM_READ_PREF_QUAD;
			} else if (!strcmp(val, "auto")) {
				user->read_pref = SPIRAM_READ_PREF_AUTO;
			} else {
				ARGS_MSG("read_width '%s': expected single, dual, quad or auto", val);
				return SPIRAM_ARGS_ERR_OPTION;
			}
		} else {
			ARGS_MSG("unknown key '%s': expected size, page, erase, read, program, chip_erase, addr, qe or "
					"read_width", key);
			return SPIRAM_ARGS_ERR_OPTION;
		}
	}
	return SPIRAM_ARGS_OK;
}
