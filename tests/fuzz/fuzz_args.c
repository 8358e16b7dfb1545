// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * libFuzzer harness of the argument parsers (spiram_args): numbers, pins,
 * the bank line and `spiram_loader set`.
 *
 * Input: a selector byte, then words separated by NUL or newline bytes
 * (the argv a Tcl command would pass).
 *
 * Invariants besides memory safety:
 *  - numbers: an accepted number is what an independent 128-bit reading of
 *    the text gives (so a suffix can never wrap), and printing it in
 *    decimal, in hex and with a k/M suffix parses back to the same value;
 *  - pins: an accepted pin has a bit 0..31 that fits with its clr_shift,
 *    non-zero 4-byte aligned registers, and its explicit form
 *    <set>:<clr>:<in>:<bit>:<clr_shift> parses back to the same pin;
 *  - bank line: accepted values are in their documented ranges;
 *  - set: accepted values are in their ranges, and printing the override
 *    back as `set` arguments parses to the same override;
 *  - an error always leaves a message, the message is terminated.
 */

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "spiram_args.h"
#include "fuzz_util.h"

#define MAX_WORDS 24
#define WORD_MAX 160

static char msg[256];

/* The value of text as the documented syntax reads it, in 128 bits; false
 * if the syntax is not that of a number. */
static bool reference_number(const char *text, unsigned __int128 *out)
{
	unsigned __int128 v = 0;
	const char *p = text;
	unsigned int base = 10;

	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && isxdigit((unsigned char)p[2])) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	if (!isxdigit((unsigned char)*p))
		return false;
	for (; *p; p++) {
		int digit;
		if (isdigit((unsigned char)*p))
			digit = *p - '0';
		else if (base == 16 && isxdigit((unsigned char)*p))
			digit = tolower((unsigned char)*p) - 'a' + 10;
		else
			break;
		if (digit >= (int)base)
			return false;
		if (v >> 100)
			v = (unsigned __int128)1 << 100;	/* saturate: far beyond 32 bits anyway */
		else
			v = v * base + (unsigned int)digit;
	}
	if (*p == 'k' || *p == 'K') {
		v <<= 10;
		p++;
	} else if (*p == 'm' || *p == 'M') {
		v <<= 20;
		p++;
	}
	if (*p)
		return false;
	*out = v;
	return true;
}

static void check_number(const char *text)
{
	uint32_t v = 0xdeadbeef, back;
	char printed[32];
	unsigned __int128 want;

	bool ok = spiram_args_parse_u32(text, &v);
	bool ref = reference_number(text, &want);
	if (ok) {
		FUZZ_CHECK(ref && want == v, "'%s' read as %u", text, v);
	} else {
		FUZZ_CHECK(v == 0xdeadbeef, "'%s' refused but the value was written", text);
		/* refused: not the syntax, or above 32 bits (strtoull takes
		 * leading blanks and signs, the parser does not) */
		FUZZ_CHECK(!ref || want > 0xffffffffu, "'%s' refused, value %llu", text,
				(unsigned long long)want);
		return;
	}
	snprintf(printed, sizeof(printed), "%u", v);
	FUZZ_CHECK(spiram_args_parse_u32(printed, &back) && back == v, "decimal %s", printed);
	snprintf(printed, sizeof(printed), "0x%x", v);
	FUZZ_CHECK(spiram_args_parse_u32(printed, &back) && back == v, "hex %s", printed);
	if (v % (1024u * 1024u) == 0) {
		snprintf(printed, sizeof(printed), "%uM", v >> 20);
		FUZZ_CHECK(spiram_args_parse_u32(printed, &back) && back == v, "%s", printed);
	} else if (v % 1024u == 0) {
		snprintf(printed, sizeof(printed), "%uk", v >> 10);
		FUZZ_CHECK(spiram_args_parse_u32(printed, &back) && back == v, "%s", printed);
	}
}

static void check_pin(const struct spiram_pin *pin, const char *text)
{
	struct spiram_pin back;
	char printed[96];

	FUZZ_CHECK(pin->bit <= 31 && pin->bit + pin->clr_shift <= 31 && (pin->clr_shift == 0 || pin->clr_shift == 16),
			"pin '%s': bit %u clr_shift %u", text, pin->bit, pin->clr_shift);
	FUZZ_CHECK(pin->set_reg && pin->clr_reg && pin->in_reg && !((pin->set_reg | pin->clr_reg | pin->in_reg) & 3),
			"pin '%s': registers", text);
	snprintf(printed, sizeof(printed), "0x%x:0x%x:0x%x:%u:%u", pin->set_reg, pin->clr_reg, pin->in_reg, pin->bit,
			pin->clr_shift);
	FUZZ_CHECK(spiram_args_parse_pin(printed, &spiram_gpio_style_f1, &back, msg, sizeof(msg)) == SPIRAM_ARGS_OK,
			"'%s' printed as '%s': %s", text, printed, msg);
	FUZZ_CHECK(!memcmp(pin, &back, sizeof(back)), "'%s' printed as '%s' parses differently", text, printed);
}

static void check_bank(const struct spiram_bank_args *a)
{
	/* QUADSPI and OCTOSPI take the same bank options */
	bool xspi = a->ctrl.type == SPIRAM_CTRL_STM32_QSPI || a->ctrl.type == SPIRAM_CTRL_STM32_OSPI;
	FUZZ_CHECK(xspi || a->ctrl.type == SPIRAM_CTRL_STM32_SPI || a->ctrl.type == SPIRAM_CTRL_GPIO,
			"controller %u", a->ctrl.type);
	FUZZ_CHECK(a->ctrl.prescaler <= 256, "prescaler %u", a->ctrl.prescaler);
	if (!xspi)
		FUZZ_CHECK(a->ctrl.prescaler == 0 || (a->ctrl.prescaler >= 2 && fuzz_is_pow2(a->ctrl.prescaler)),
				"SPI prescaler %u", a->ctrl.prescaler);
	else
		FUZZ_CHECK(a->ctrl.regs, "QUADSPI/OCTOSPI without registers");
	FUZZ_CHECK(!a->has_mmap || xspi, "-mmap on %u", a->ctrl.type);
	FUZZ_CHECK(!a->workarea_size || a->workarea_size >= SPIRAM_MIN_FIFO_SIZE + SPIRAM_MIN_STACK_SIZE,
			"work area %u", a->workarea_size);
	FUZZ_CHECK(a->user.read_pref != SPIRAM_READ_PREF_QUAD || xspi, "-quad without QUADSPI/OCTOSPI");
	FUZZ_CHECK(!a->user.has_chip_name || memchr(a->user.chip_name, 0, sizeof(a->user.chip_name)), "chip name");
	unsigned int first = a->ctrl.type == SPIRAM_CTRL_GPIO ? SPIRAM_PIN_MISO + 1 : 0;
	if (!xspi) {
		for (unsigned int p = 0; p < first || p == SPIRAM_PIN_CS; p++)
			check_pin(&a->ctrl.pins[p], "bank pin");
	}
}

/* Print an override as `set` arguments (the harness's own printer). */
static unsigned int print_set(const struct spiram_user_override *u, char words[][WORD_MAX], const char **argv)
{
	static const char * const qe_names[] = { "none", "sr2-31h", "sr2-01h", "sr1-6" };
	static const char * const addr_names[] = { "auto", "3", "4" };
	static const char * const width_names[] = { "auto", "single", "dual", "quad" };
	unsigned int n = 0;

#define WORD(...) do { snprintf(words[n], WORD_MAX, __VA_ARGS__); argv[n] = words[n]; n++; } while (0)
	if (u->has_size) {
		WORD("size");
		WORD("%u", u->size);
	}
	if (u->has_page_size) {
		WORD("page");
		WORD("0x%x", u->page_size);
	}
	if (u->has_erase) {
		char list[WORD_MAX] = "";
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES && u->erase[i].size; i++) {
			size_t used = strlen(list);
			snprintf(list + used, sizeof(list) - used, "%s%u:0x%x", i ? "," : "", u->erase[i].size,
					u->erase[i].opcode);
			used = strlen(list);
			if (u->erase[i].opcode_4b)
				snprintf(list + used, sizeof(list) - used, ":0x%x", u->erase[i].opcode_4b);
		}
		WORD("erase");
		WORD("%s", list);
	}
	if (u->has_read) {
		WORD("read");
		WORD("0x%x", u->read_opcode);
		WORD("%u", u->read_dummy);
		WORD("%u-%u-%u", SPIRAM_PROTO_CMD(u->read_proto), SPIRAM_PROTO_ADDR(u->read_proto),
				SPIRAM_PROTO_DATA(u->read_proto));
	}
	if (u->has_program) {
		WORD("program");
		WORD("%u", u->program_opcode);
	}
	if (u->has_chip_erase) {
		WORD("chip_erase");
		WORD("0x%x", u->chip_erase_opcode);
	}
	if (u->has_qe) {
		WORD("qe");
		WORD("%s", qe_names[u->qe_method]);
	}
	WORD("addr");
	WORD("%s", addr_names[u->addr_pref]);
	WORD("read_width");
	WORD("%s", width_names[u->read_pref]);
#undef WORD
	return n;
}

static void check_set(const struct spiram_user_override *u)
{
	FUZZ_CHECK(!u->has_size || (fuzz_is_pow2(u->size) && u->size <= 0x80000000u), "size 0x%x", u->size);
	FUZZ_CHECK(!u->has_page_size || fuzz_is_pow2(u->page_size), "page 0x%x", u->page_size);
	if (u->has_erase) {
		FUZZ_CHECK(u->erase[0].size, "erase list without a first type");
		for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++)
			FUZZ_CHECK(!u->erase[i].size || (fuzz_is_pow2(u->erase[i].size) && u->erase[i].opcode <= 0xff &&
					u->erase[i].opcode_4b <= 0xff), "erase type %u", i);
	}
	if (u->has_read) {
		unsigned int a = SPIRAM_PROTO_ADDR(u->read_proto), d = SPIRAM_PROTO_DATA(u->read_proto);
		FUZZ_CHECK(u->read_opcode <= 0xff && u->read_dummy <= 31, "read 0x%x %u", u->read_opcode,
				u->read_dummy);
		FUZZ_CHECK(SPIRAM_PROTO_CMD(u->read_proto) == 1 && (a == 1 || a == 2 || a == 4) &&
				(d == 1 || d == 2 || d == 4), "read lines 0x%x", u->read_proto);
	}
	FUZZ_CHECK(!u->has_program || u->program_opcode <= 0xff, "program 0x%x", u->program_opcode);
	FUZZ_CHECK(!u->has_chip_erase || u->chip_erase_opcode <= 0xff, "chip erase 0x%x", u->chip_erase_opcode);
	FUZZ_CHECK(u->qe_method <= SPIRAM_QE_SR1_BIT6 && u->read_pref <= SPIRAM_READ_PREF_QUAD &&
			u->addr_pref <= SPIRAM_ADDR_PREF_4B, "enums");

	/* parse(print(x)) == x */
	static char words[2 * 16][WORD_MAX];
	const char *argv[2 * 16];
	unsigned int n = print_set(u, words, argv);
	struct spiram_user_override back;
	memset(&back, 0, sizeof(back));
	back.has_chip_name = u->has_chip_name;
	memcpy(back.chip_name, u->chip_name, sizeof(back.chip_name));
	enum spiram_args_error e = spiram_args_parse_set(n, argv, &back, msg, sizeof(msg));
	FUZZ_CHECK(e == SPIRAM_ARGS_OK, "printed set arguments refused: %s", msg);
	FUZZ_CHECK(!memcmp(u, &back, sizeof(back)), "printed set arguments parse differently");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char words[MAX_WORDS][WORD_MAX];
	const char *argv[MAX_WORDS];
	unsigned int argc = 0;
	size_t len = 0;

	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	for (size_t i = 1; i <= size && argc < MAX_WORDS; i++) {
		if (i == size || data[i] == 0 || data[i] == '\n') {
			words[argc][len] = '\0';
			argv[argc] = words[argc];
			argc++;
			len = 0;
		} else if (len < WORD_MAX - 1) {
			words[argc][len++] = (char)data[i];
		}
	}

	memset(msg, 0x55, sizeof(msg));
	enum spiram_args_error e = SPIRAM_ARGS_OK;
	switch (sel % 4) {
	case 0:
		check_number(argv[0]);
		return 0;
	case 1: {
		struct spiram_pin pin;
		e = spiram_args_parse_pin(argv[0], sel & 4 ? &spiram_gpio_style_h7 : &spiram_gpio_style_f1, &pin, msg,
				sizeof(msg));
		if (e == SPIRAM_ARGS_OK)
			check_pin(&pin, argv[0]);
		break;
	}
	case 2: {
		struct spiram_bank_args a;
		e = spiram_args_parse_bank(argc, argv, &a, msg, sizeof(msg));
		if (e == SPIRAM_ARGS_OK)
			check_bank(&a);
		break;
	}
	default: {
		struct spiram_user_override u;
		memset(&u, 0, sizeof(u));
		e = spiram_args_parse_set(argc, argv, &u, msg, sizeof(msg));
		if (e == SPIRAM_ARGS_OK)
			check_set(&u);
		break;
	}
	}
	FUZZ_CHECK(e <= SPIRAM_ARGS_ERR_CONFLICT, "error %d", e);
	if (e != SPIRAM_ARGS_OK) {
		FUZZ_CHECK(memchr(msg, 0, sizeof(msg)), "message not terminated");
		FUZZ_CHECK(msg[0] && msg[0] != 0x55, "error %d without a message", e);
	}
	return 0;
}
