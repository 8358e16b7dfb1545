// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Datasheet checklist for the simulator's SPI NOR chip model
 * (sim/nor_chip.c).  Every expectation comes from a reference sheet
 * (nor-chips.md, sfdp.md) or a real SFDP dump in tests/data/sfdp/; values
 * that are the model's own documented choice say so.
 *
 * The chip is driven the way a controller would: CS low, opcode byte,
 * address bytes, dummy clocks, data bytes, CS high.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "nor_chip.h"
#include "nor_parts.h"

#define SR1_WIP 0x01
#define SR1_WEL 0x02

/* ---- harness ---------------------------------------------------------- */

struct bench {
	uint8_t *array;
	size_t size;
	struct nor_chip *chip;
	unsigned int log_lines;
	char last_log[256];
};

static unsigned int summary_parts;
static unsigned int summary_protection_rows;
static unsigned int summary_sfdp_bytes;

static void bench_log(void *ctx, const char *msg)
{
	struct bench *b = ctx;

	b->log_lines++;
	snprintf(b->last_log, sizeof(b->last_log), "%s", msg);
}

static struct bench *bench_new(const char *part, enum nor_timing timing,
			       const struct nor_faults *faults)
{
	struct bench *b = calloc(1, sizeof(*b));
	char err[256];

	assert_non_null(b);
	b->size = nor_chip_part_size(part);
	assert_true(b->size > 0);
	b->array = malloc(b->size);
	assert_non_null(b->array);
	memset(b->array, 0xff, b->size);
	b->chip = nor_chip_create(part, b->array, b->size, timing, faults, err, sizeof(err));
	if (!b->chip)
		fail_msg("nor_chip_create(%s): %s", part, err);
	nor_chip_set_log(b->chip, bench_log, b);
	return b;
}

static void bench_free(struct bench *b)
{
	nor_chip_destroy(b->chip);
	free(b->array);
	free(b);
}

/* One transaction on 1 line: opcode, tx bytes, then rx bytes. */
static void xfer(struct nor_chip *chip, uint8_t opcode, const uint8_t *tx, size_t ntx,
		 uint8_t *rx, size_t nrx)
{
	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 1);
	for (size_t i = 0; i < ntx; i++)
		nor_chip_transfer(chip, tx[i], 1);
	for (size_t i = 0; i < nrx; i++) {
		uint8_t peek = nor_chip_peek(chip);

		rx[i] = nor_chip_transfer(chip, 0xff, 1);
		assert_int_equal(peek, rx[i]);
	}
	nor_chip_select(chip, false);
}

static void cmd0(struct nor_chip *chip, uint8_t opcode)
{
	xfer(chip, opcode, NULL, 0, NULL, 0);
}

static uint8_t rdreg(struct nor_chip *chip, uint8_t opcode)
{
	uint8_t v;

	xfer(chip, opcode, NULL, 0, &v, 1);
	return v;
}

static void put_addr(struct nor_chip *chip, uint32_t addr, unsigned int nbytes, unsigned int lines)
{
	for (unsigned int i = 0; i < nbytes; i++)
		nor_chip_transfer(chip, (uint8_t)(addr >> (8 * (nbytes - 1 - i))), lines);
}

/* Poll 05h until WIP = 0 (bounded), returns the number of polls. */
static unsigned int wait_ready(struct nor_chip *chip)
{
	for (unsigned int n = 1; n < 100000; n++) {
		if (!(rdreg(chip, 0x05) & SR1_WIP))
			return n;
		struct timespec ts = { 0, 100000 };

		nanosleep(&ts, NULL);
	}
	fail_msg("WIP never cleared");
	return 0;
}

/* Micron QPI: an instruction-only command and a 1-byte register read, all on 4 lines. */
static void qpi_cmd0(struct nor_chip *chip, uint8_t opcode)
{
	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 4);
	nor_chip_select(chip, false);
}

static uint8_t qpi_rdreg(struct nor_chip *chip, uint8_t opcode)
{
	uint8_t v;

	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 4);
	v = nor_chip_transfer(chip, 0xff, 4);
	nor_chip_select(chip, false);
	return v;
}

static void wren(struct nor_chip *chip)
{
	cmd0(chip, 0x06);
}

static void program(struct nor_chip *chip, uint8_t opcode, uint32_t addr, unsigned int abytes,
		    const uint8_t *data, size_t len, unsigned int data_lines)
{
	wren(chip);
	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 1);
	put_addr(chip, addr, abytes, 1);
	for (size_t i = 0; i < len; i++)
		nor_chip_transfer(chip, data[i], data_lines);
	nor_chip_select(chip, false);
	wait_ready(chip);
}

static void program_byte(struct nor_chip *chip, uint32_t addr, uint8_t value)
{
	program(chip, 0x02, addr, 3, &value, 1, 1);
}

static void erase(struct nor_chip *chip, uint8_t opcode, uint32_t addr, unsigned int abytes)
{
	wren(chip);
	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 1);
	put_addr(chip, addr, abytes, 1);
	nor_chip_select(chip, false);
	wait_ready(chip);
}

static void read_data(struct nor_chip *chip, uint8_t opcode, uint32_t addr, unsigned int abytes,
		      unsigned int dummy_bytes, uint8_t *buf, size_t len)
{
	nor_chip_select(chip, true);
	nor_chip_transfer(chip, opcode, 1);
	put_addr(chip, addr, abytes, 1);
	for (unsigned int i = 0; i < dummy_bytes; i++)
		assert_int_equal(nor_chip_transfer(chip, 0x00, 1), 0xff);
	for (size_t i = 0; i < len; i++)
		buf[i] = nor_chip_transfer(chip, 0xff, 1);
	nor_chip_select(chip, false);
}

static void write_sr(struct nor_chip *chip, uint8_t opcode, const uint8_t *v, size_t n)
{
	wren(chip);
	xfer(chip, opcode, v, n, NULL, 0);
	wait_ready(chip);
}

static uint8_t *load_hex(const char *name, size_t *len)
{
	const char *srcdir = getenv("srcdir");
	char path[512];
	FILE *f;
	uint8_t *buf = malloc(4096);
	int c, hi = -1;

	snprintf(path, sizeof(path), "%s/tests/data/sfdp/%s", srcdir ? srcdir : ".", name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s: run from the source tree or set srcdir", path);
	*len = 0;
	while ((c = fgetc(f)) != EOF) {
		int v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v = c - 'A' + 10;
		else
			continue;
		if (hi < 0) {
			hi = v;
		} else {
			buf[(*len)++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	fclose(f);
	return buf;
}

static void read_sfdp(struct nor_chip *chip, uint32_t addr, uint8_t *buf, size_t len)
{
	read_data(chip, 0x5a, addr, 3, 1, buf, len);
}

/* ---- identification ---------------------------------------------------- */

static const struct {
	const char *part;
	uint8_t id[3];
	uint32_t size;
} id_table[] = {
	/* nor-chips.md section 1 */
	{ "w25q128jv", { 0xef, 0x40, 0x18 }, 16u << 20 },
	{ "w25q128fv", { 0xef, 0x40, 0x18 }, 16u << 20 },
	{ "w25q256jv", { 0xef, 0x40, 0x19 }, 32u << 20 },
	/* nor-chips.md section 9.1 */
	{ "w25q64jv", { 0xef, 0x40, 0x17 }, 8u << 20 },
	{ "is25lp064a", { 0x9d, 0x60, 0x17 }, 8u << 20 },
	{ "gd25q128c", { 0xc8, 0x40, 0x18 }, 16u << 20 },
	{ "mx25l12835f", { 0xc2, 0x20, 0x18 }, 16u << 20 },
	/* nor-chips.md section 9.1 */
	{ "n25q128a", { 0x20, 0xba, 0x18 }, 16u << 20 },
	{ "mt25ql512a", { 0x20, 0xba, 0x20 }, 64u << 20 },
	{ "mx25r6435f", { 0xc2, 0x28, 0x17 }, 8u << 20 },
	{ "mx25lm51245g", { 0xc2, 0x85, 0x3a }, 64u << 20 },
};

static void test_part_list(void **state)
{
	const char *const *names = nor_chip_part_names();
	size_t n = 0;
	char err[128];

	(void)state;
	for (; names[n]; n++) {
		assert_non_null(nor_part_find(names[n]));
		assert_string_equal(nor_parts[n].name, names[n]);
	}
	assert_int_equal(n, nor_parts_count);
	assert_int_equal(n, sizeof(id_table) / sizeof(id_table[0]));
	assert_int_equal(nor_chip_part_size("nonexistent"), 0);
	assert_null(nor_chip_create("nonexistent", NULL, 0, NOR_TIMING_INSTANT, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "w25q128jv"));
	summary_parts = n;
}

static void test_jedec_id_and_size(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(id_table) / sizeof(id_table[0]); i++) {
		struct bench *b = bench_new(id_table[i].part, NOR_TIMING_INSTANT, NULL);
		uint8_t id[3];

		xfer(b->chip, 0x9f, NULL, 0, id, 3);
		assert_memory_equal(id, id_table[i].id, 3);
		assert_int_equal(nor_chip_size(b->chip), id_table[i].size);
		assert_int_equal(nor_chip_part_size(id_table[i].part), id_table[i].size);
		assert_string_equal(nor_chip_name(b->chip), id_table[i].part);
		/* SR1 power-on: nothing protected, not busy, WEL = 0 */
		assert_int_equal(rdreg(b->chip, 0x05), 0x00);
		assert_int_equal(nor_chip_counters(b->chip)->misuse, 0);
		bench_free(b);
	}
}

/* ---- SFDP ---------------------------------------------------------------- */

static void check_sfdp_dump(const char *part, const char *hexfile)
{
	struct bench *b = bench_new(part, NOR_TIMING_INSTANT, NULL);
	size_t len;
	uint8_t *dump = load_hex(hexfile, &len);
	uint8_t got[0x100];

	assert_true(len >= 0xc0 && len <= 0xf0);
	read_sfdp(b->chip, 0, got, len + 0x10);
	assert_memory_equal(got, dump, len);
	for (size_t i = len; i < len + 0x10; i++)
		assert_int_equal(got[i], 0xff);		/* past the table: FFh (our choice) */
	summary_sfdp_bytes += len;
	free(dump);
	bench_free(b);
}

static void test_sfdp_dumps(void **state)
{
	(void)state;
	check_sfdp_dump("w25q128jv", "w25q128jv.hex");
	check_sfdp_dump("w25q128fv", "w25q128fv.hex");
	/* only those two come from dumps; every other table says it is synthesized */
	for (size_t i = 0; i < nor_parts_count; i++) {
		bool dumped = !strcmp(nor_parts[i].name, "w25q128jv") ||
			      !strcmp(nor_parts[i].name, "w25q128fv");

		assert_int_equal(nor_parts[i].sfdp_synthesized, !dumped);
	}
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/*
 * W25Q64JV has no public dump: its table is the real W25Q128JV dump with
 * the density (BFPT DW2, 80h+4..7) and the chip-erase typical (DW11 byte3,
 * 80h+43) changed, nothing else (sim/nor_parts.c says so at the array).
 */
static void test_sfdp_w25q64jv_from_jv_dump(void **state)
{
	struct bench *b = bench_new("w25q64jv", NOR_TIMING_INSTANT, NULL);
	size_t len;
	uint8_t *dump = load_hex("w25q128jv.hex", &len);
	uint8_t got[0xc0];

	(void)state;
	assert_int_equal(len, sizeof(got));
	read_sfdp(b->chip, 0, got, sizeof(got));
	for (size_t i = 0; i < len; i++) {
		if (i >= 0x84 && i < 0x88)
			continue;
		if (i == 0x80 + 43)
			continue;
		if (got[i] != dump[i])
			fail_msg("SFDP byte %02zxh: %02x, W25Q128JV dump %02x", i, got[i], dump[i]);
	}
	assert_int_equal(le32(got + 0x84), 64u * 1024 * 1024 - 1);	/* 64 Mbit */
	/* chip erase typical: units 4 s (bits 30:29 = 10b), count 5 -> 20 s */
	assert_int_equal(got[0x80 + 43] & 0x7f, (2u << 5) | (5 - 1));
	free(dump);
	bench_free(b);
}

/*
 * The Micron tables are the real N25Q256A family dump with only the
 * bytes named at their arrays patched: density (37h) for both, address
 * bytes (32h: 3-byte only) for the 16 MiB N25Q128A.
 */
static void test_sfdp_micron_family_dump(void **state)
{
	static const struct {
		const char *part;
		uint8_t dw1_byte2, dw2_byte3;
	} parts[] = {
		{ "n25q128a", 0xf9, 0x07 },
		{ "mt25ql512a", 0xfb, 0x1f },
	};
	size_t len;
	uint8_t *dump = load_hex("n25q256a_qemu.hex", &len);

	(void)state;
	assert_int_equal(len, 0x100);
	assert_int_equal(dump[0x32], 0xfb);
	assert_int_equal(dump[0x37], 0x0f);
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		struct bench *b = bench_new(parts[i].part, NOR_TIMING_INSTANT, NULL);
		uint8_t got[0x100];

		read_sfdp(b->chip, 0, got, sizeof(got));
		for (size_t a = 0; a < len; a++) {
			uint8_t want = a == 0x32 ? parts[i].dw1_byte2 :
				       a == 0x37 ? parts[i].dw2_byte3 : dump[a];

			if (got[a] != want)
				fail_msg("%s SFDP 0x%02zx: %02x, family dump (patched) %02x",
					 parts[i].part, a, got[a], want);
		}
		bench_free(b);
	}
	free(dump);
}

/* Every part: signature, BFPT pointer, density and address bytes agree with the part. */
static void test_sfdp_header_every_part(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(id_table) / sizeof(id_table[0]); i++) {
		struct bench *b = bench_new(id_table[i].part, NOR_TIMING_INSTANT, NULL);
		uint8_t hdr[16], bfpt[64];
		uint32_t ptr, dw2;
		unsigned int addr_bytes;

		read_sfdp(b->chip, 0, hdr, sizeof(hdr));
		assert_memory_equal(hdr, "SFDP", 4);
		assert_int_equal(hdr[5], 1);		/* major 1 */
		assert_int_equal(hdr[7], 0xff);		/* legacy access protocol */
		assert_int_equal(hdr[8], 0x00);		/* first header: BFPT */
		assert_int_equal(hdr[15], 0xff);
		assert_true(hdr[11] >= 9);
		ptr = hdr[12] | hdr[13] << 8 | hdr[14] << 16;
		read_sfdp(b->chip, ptr, bfpt, sizeof(bfpt));
		dw2 = le32(bfpt + 4);
		assert_int_equal(dw2 & 0x80000000u, 0);
		assert_int_equal((uint64_t)(dw2 + 1) / 8, id_table[i].size);
		addr_bytes = (le32(bfpt) >> 17) & 3;
		assert_int_equal(addr_bytes, id_table[i].size > (16u << 20) ? 1 : 0);
		/* page size 256 in DW11 where the table has 11+ DWORDs */
		if (hdr[11] >= 11)
			assert_int_equal((le32(bfpt + 40) >> 4) & 0xf, 8);
		bench_free(b);
	}
}

/* 5Ah takes 3 address bytes even in 4-byte mode and drives FFh during the dummy byte. */
static void test_sfdp_in_4byte_mode(void **state)
{
	struct bench *b = bench_new("w25q256jv", NOR_TIMING_INSTANT, NULL);
	uint8_t sig[4], dw16[4];

	(void)state;
	cmd0(b->chip, 0xb7);
	read_sfdp(b->chip, 0, sig, 4);
	assert_memory_equal(sig, "SFDP", 4);
	/* DW16: enter 4-byte by B7h (bit24), dedicated 4-byte opcodes (bit29) */
	read_sfdp(b->chip, 0x80 + 60, dw16, 4);
	assert_true(le32(dw16) & (1u << 24));
	assert_true(le32(dw16) & (1u << 29));
	assert_int_equal(nor_chip_counters(b->chip)->misuse, 0);
	bench_free(b);
}

/* ---- WEL, program, erase ------------------------------------------------- */

static void test_wel_rules(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t v = 0x00, sr[2];

	(void)state;
	cmd0(c, 0x06);
	assert_int_equal(rdreg(c, 0x05), SR1_WEL);
	cmd0(c, 0x04);
	assert_int_equal(rdreg(c, 0x05), 0);

	/* program without WREN: ignored, counted as misuse */
	xfer(c, 0x02, (const uint8_t[]){ 0x00, 0x10, 0x00, 0x00 }, 4, NULL, 0);
	assert_int_equal(b->array[0x1000], 0xff);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	assert_int_equal(nor_chip_counters(c)->page_programs, 0);

	/* program, erase and status write each clear WEL */
	program_byte(c, 0x1000, 0x00);
	assert_int_equal(b->array[0x1000], 0x00);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
	erase(c, 0x20, 0x1000, 3);
	assert_int_equal(b->array[0x1000], 0xff);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
	write_sr(c, 0x01, &v, 1);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);

	/* 50h: volatile write, no WEL, lost on power cycle */
	cmd0(c, 0x50);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
	cmd0(c, 0x50);
	xfer(c, 0x31, (const uint8_t[]){ 0x02 }, 1, NULL, 0);
	assert_int_equal(rdreg(c, 0x35) & 0x02, 0x02);
	assert_int_equal(rdreg(c, 0x05) & (SR1_WEL | SR1_WIP), 0);
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x35) & 0x02, 0);

	/* non-volatile: 01h with two bytes (SR1, SR2) survives a power cycle */
	sr[0] = 0x00;
	sr[1] = 0x02;
	write_sr(c, 0x01, sr, 2);
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x35) & 0x02, 0x02);
	/* a 1-byte 01h leaves SR2 alone (QER = 4) */
	write_sr(c, 0x01, sr, 1);
	assert_int_equal(rdreg(c, 0x35) & 0x02, 0x02);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	bench_free(b);
}

static void test_program_and_semantics_and_page_wrap(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t data[0x401], back[0x401];

	(void)state;
	/* AND: bits only go 1 -> 0 */
	program_byte(c, 0x2000, 0xf0);
	program_byte(c, 0x2000, 0x3c);
	assert_int_equal(b->array[0x2000], 0x30);
	program_byte(c, 0x2000, 0xff);
	assert_int_equal(b->array[0x2000], 0x30);

	/* 0x20 bytes from page offset 0xF0 wrap to the start of the same page */
	for (int i = 0; i < 0x20; i++)
		data[i] = (uint8_t)(0x80 + i);
	program(c, 0x02, 0x30f0, 3, data, 0x20, 1);
	assert_memory_equal(b->array + 0x30f0, data, 0x10);
	assert_memory_equal(b->array + 0x3000, data + 0x10, 0x10);
	assert_int_equal(b->array[0x3100], 0xff);	/* next page untouched */
	assert_int_equal(b->array[0x30ef], 0xff);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);	/* wrap is logged */

	/* 0x401 bytes written page by page from an odd start, read back with 03h and 0Bh */
	for (int i = 0; i < 0x401; i++)
		data[i] = (uint8_t)(i * 7 + 3);
	for (uint32_t off = 0; off < 0x401;) {
		uint32_t a = 0x40080 + off;
		uint32_t chunk = 256 - (a & 0xff);

		if (chunk > 0x401 - off)
			chunk = 0x401 - off;
		program(c, 0x02, a, 3, data + off, chunk, 1);
		off += chunk;
	}
	read_data(c, 0x03, 0x40080, 3, 0, back, 0x401);
	assert_memory_equal(back, data, 0x401);
	read_data(c, 0x0b, 0x40080, 3, 1, back, 0x401);
	assert_memory_equal(back, data, 0x401);
	assert_int_equal(b->array[0x40080 + 0x401], 0xff);
	assert_int_equal(b->array[0x4007f], 0xff);
	assert_int_equal(nor_chip_counters(c)->page_programs, 5 + 1 + 3);

	/* 0x401 bytes in ONE 02h: the last 256 win (datasheet), misuse logged */
	memset(b->array + 0x50000, 0xff, 0x1000);
	program(c, 0x02, 0x50000, 3, data, 0x401, 1);
	for (int i = 0; i < 256; i++)
		assert_int_equal(b->array[0x50000 + i], data[0x301 + ((i + 255) % 256)]);
	assert_int_equal(b->array[0x50100], 0xff);

	/* last byte of the chip, and reads wrap to address 0 */
	program_byte(c, 0xffffff, 0x5a);
	program_byte(c, 0x000000, 0xa5);
	read_data(c, 0x03, 0xffffff, 3, 0, back, 2);
	assert_int_equal(back[0], 0x5a);
	assert_int_equal(back[1], 0xa5);
	bench_free(b);
}

static void check_erase(struct nor_chip *c, uint8_t *array, uint8_t opcode, uint32_t addr,
			uint32_t block)
{
	uint32_t base = addr & ~(block - 1);
	const struct nor_sector_counters *sc = nor_chip_sector_counters(c);

	uint32_t lo = base ? base - 4096 : 0;
	uint32_t hi = base + block + 4096 > nor_chip_size(c) ? nor_chip_size(c) : base + block + 4096;

	memset(array + lo, 0x00, hi - lo);
	nor_chip_reset_counters(c);
	erase(c, opcode, addr, 3);
	for (uint32_t i = 0; i < block; i++)
		if (array[base + i] != 0xff)
			fail_msg("erase %02x at 0x%x: byte 0x%x not erased", opcode, addr, base + i);
	if (base)
		assert_int_equal(array[base - 1], 0x00);
	if (base + block < nor_chip_size(c))
		assert_int_equal(array[base + block], 0x00);
	assert_int_equal(nor_chip_counters(c)->erases, 1);
	for (uint32_t s = 0; s < nor_chip_size(c) / 4096; s++) {
		bool inside = s >= base / 4096 && s < (base + block) / 4096;

		assert_int_equal(sc[s].erases, inside ? 1 : 0);
		assert_int_equal(sc[s].programs, 0);
	}
}

static void test_erase_sizes_and_alignment(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);

	(void)state;
	check_erase(b->chip, b->array, 0x20, 0x1234, 4096);
	check_erase(b->chip, b->array, 0x20, 0xfff000, 4096);
	check_erase(b->chip, b->array, 0x52, 0x9abc, 32768);
	check_erase(b->chip, b->array, 0xd8, 0x12345, 65536);
	check_erase(b->chip, b->array, 0xd8, 0xff0001, 65536 - 1 + 1);

	/* chip erase, both opcodes */
	memset(b->array, 0x00, b->size);
	erase(b->chip, 0xc7, 0, 0);
	for (size_t i = 0; i < b->size; i += 4093)
		assert_int_equal(b->array[i], 0xff);
	assert_int_equal(b->array[b->size - 1], 0xff);
	memset(b->array, 0x00, 16);
	erase(b->chip, 0x60, 0, 0);
	assert_int_equal(b->array[15], 0xff);
	assert_int_equal(nor_chip_counters(b->chip)->misuse, 0);
	bench_free(b);
}

/* ---- protection -------------------------------------------------------- */

/*
 * W25Q128JV protection with CMP = 0, as listed in nor-chips.md section 6
 * (16 MiB part): [start, end] inclusive, len 0 = none.  CMP = 1 protects
 * the complement (the datasheet's second table).
 */
struct prot_row {
	unsigned int sec, tb, bp;
	uint32_t start, len;
};

static const struct prot_row w25q128jv_table[] = {
	{ 0, 0, 0, 0, 0 }, { 0, 1, 0, 0, 0 }, { 1, 0, 0, 0, 0 }, { 1, 1, 0, 0, 0 },
	{ 0, 0, 1, 0xfc0000, 0x40000 }, { 0, 0, 2, 0xf80000, 0x80000 },
	{ 0, 0, 3, 0xf00000, 0x100000 }, { 0, 0, 4, 0xe00000, 0x200000 },
	{ 0, 0, 5, 0xc00000, 0x400000 }, { 0, 0, 6, 0x800000, 0x800000 },
	{ 0, 1, 1, 0, 0x40000 }, { 0, 1, 2, 0, 0x80000 }, { 0, 1, 3, 0, 0x100000 },
	{ 0, 1, 4, 0, 0x200000 }, { 0, 1, 5, 0, 0x400000 }, { 0, 1, 6, 0, 0x800000 },
	{ 0, 0, 7, 0, 0x1000000 }, { 0, 1, 7, 0, 0x1000000 },
	{ 1, 0, 7, 0, 0x1000000 }, { 1, 1, 7, 0, 0x1000000 },
	{ 1, 0, 1, 0xfff000, 0x1000 }, { 1, 0, 2, 0xffe000, 0x2000 },
	{ 1, 0, 3, 0xffc000, 0x4000 }, { 1, 0, 4, 0xff8000, 0x8000 }, { 1, 0, 5, 0xff8000, 0x8000 },
	{ 1, 1, 1, 0, 0x1000 }, { 1, 1, 2, 0, 0x2000 }, { 1, 1, 3, 0, 0x4000 },
	{ 1, 1, 4, 0, 0x8000 }, { 1, 1, 5, 0, 0x8000 },
	/* SEC = 1, BP = 110: 32 KiB as flashrom decodes it (UNVERIFIED in the DS) */
	{ 1, 0, 6, 0xff8000, 0x8000 }, { 1, 1, 6, 0, 0x8000 },
};

/* Try to program 00h at addr; true if it took. */
static bool programmable(struct bench *b, uint32_t addr)
{
	uint8_t zero = 0x00;

	b->array[addr] = 0xff;
	if (b->size > (16u << 20))
		program(b->chip, 0x12, addr, 4, &zero, 1, 1);	/* 4-byte PP */
	else
		program_byte(b->chip, addr, zero);
	return b->array[addr] == 0x00;
}

static void check_protected_range(struct bench *b, uint32_t start, uint32_t len, bool complement,
				  const char *what)
{
	uint32_t size = (uint32_t)b->size;
	uint32_t probes[6];
	unsigned int n = 0;

	/* first/last byte inside, and the bytes just outside */
	if (len) {
		probes[n++] = start;
		probes[n++] = start + len - 1;
	}
	if (start > 0)
		probes[n++] = start - 1;
	if (start + len < size)
		probes[n++] = start + len;
	probes[n++] = 0;
	probes[n++] = size - 1;
	for (unsigned int i = 0; i < n; i++) {
		uint32_t a = probes[i];
		bool in_range = len && a >= start && a < start + len;
		bool prot = complement ? !in_range : in_range;
		uint64_t ignored = nor_chip_counters(b->chip)->ignored_protected;

		if (programmable(b, a) == prot)
			fail_msg("%s: address 0x%06x should be %s", what, a,
				 prot ? "protected" : "writable");
		assert_int_equal(nor_chip_counters(b->chip)->ignored_protected, ignored + (prot ? 1 : 0));
		/* a refused program clears WEL */
		assert_int_equal(rdreg(b->chip, 0x05) & SR1_WEL, 0);
	}
}

static void test_w25q128jv_protection_table(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);

	(void)state;
	for (unsigned int cmp = 0; cmp < 2; cmp++) {
		for (size_t i = 0; i < sizeof(w25q128jv_table) / sizeof(w25q128jv_table[0]); i++) {
			const struct prot_row *r = &w25q128jv_table[i];
			uint8_t sr[2] = {
				(uint8_t)(r->sec << 6 | r->tb << 5 | r->bp << 2),
				(uint8_t)(cmp << 6),
			};
			char what[96];

			write_sr(b->chip, 0x01, sr, 2);
			assert_int_equal(rdreg(b->chip, 0x05), sr[0]);
			assert_int_equal(rdreg(b->chip, 0x35) & 0x40, sr[1]);
			snprintf(what, sizeof(what), "SEC=%u TB=%u BP=%u CMP=%u", r->sec, r->tb, r->bp, cmp);
			check_protected_range(b, r->start, r->len, cmp, what);
			summary_protection_rows++;
		}
	}
	/* chip erase refused while anything is protected */
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x04, 0x00 }, 2);
	memset(b->array, 0x00, 16);
	erase(b->chip, 0xc7, 0, 0);
	assert_int_equal(b->array[0], 0x00);
	/* a 4K erase inside a protected 256K top block is refused, outside it works */
	memset(b->array + 0xfc0000, 0x00, 16);
	erase(b->chip, 0x20, 0xfc0000, 3);
	assert_int_equal(b->array[0xfc0000], 0x00);
	erase(b->chip, 0x20, 0xfbf000, 3);
	assert_int_equal(b->array[0xfbf000], 0xff);
	/* 64K erase overlapping the 4K top protected sector (SEC=1) is refused */
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x44, 0x00 }, 2);
	memset(b->array + 0xff0000, 0x00, 16);
	erase(b->chip, 0xd8, 0xff0000, 3);
	assert_int_equal(b->array[0xff0000], 0x00);
	erase(b->chip, 0x20, 0xffe000, 3);
	assert_int_equal(b->array[0xffe000], 0xff);
	bench_free(b);
}

static void test_four_bp_protection(void **state)
{
	(void)state;
	/* W25Q256JV: 64 KiB x 2^(BP-1) from the top (TB=0) or bottom (TB=1), CMP */
	struct bench *b = bench_new("w25q256jv", NOR_TIMING_INSTANT, NULL);

	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x01 << 2, 0x00 }, 2);
	check_protected_range(b, 0x1ff0000, 0x10000, false, "256jv BP=1");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x09 << 2, 0x00 }, 2);
	check_protected_range(b, 0x1000000, 0x1000000, false, "256jv BP=9");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x0a << 2, 0x00 }, 2);
	check_protected_range(b, 0, 0x2000000, false, "256jv BP=10");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x40 | 0x03 << 2, 0x00 }, 2);
	check_protected_range(b, 0, 0x40000, false, "256jv TB=1 BP=3");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x40 | 0x03 << 2, 0x40 }, 2);
	check_protected_range(b, 0, 0x40000, true, "256jv TB=1 BP=3 CMP=1");
	bench_free(b);

	/* IS25LP064A: BP in SR bits 5:2, TBS in the Function Register (one-time) */
	b = bench_new("is25lp064a", NOR_TIMING_INSTANT, NULL);
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x02 << 2 }, 1);
	check_protected_range(b, 0x7e0000, 0x20000, false, "is25lp064a BP=2");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x07 << 2 }, 1);
	check_protected_range(b, 0x400000, 0x400000, false, "is25lp064a BP=7");
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x08 << 2 }, 1);
	check_protected_range(b, 0, 0x800000, false, "is25lp064a BP=8");
	write_sr(b->chip, 0x42, (const uint8_t[]){ 0x02 }, 1);
	assert_int_equal(rdreg(b->chip, 0x48) & 0x02, 0x02);
	write_sr(b->chip, 0x01, (const uint8_t[]){ 0x01 << 2 }, 1);
	check_protected_range(b, 0, 0x10000, false, "is25lp064a TBS=1 BP=1");
	/* TBS is one-time: writing 0 does not clear it */
	write_sr(b->chip, 0x42, (const uint8_t[]){ 0x00 }, 1);
	assert_int_equal(rdreg(b->chip, 0x48) & 0x02, 0x02);
	nor_chip_power_cycle(b->chip);
	assert_int_equal(rdreg(b->chip, 0x48) & 0x02, 0x02);
	bench_free(b);
}

static void test_status_register_protection(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;

	(void)state;
	write_sr(c, 0x01, (const uint8_t[]){ 0x80 }, 1);	/* SRP0 = 1 */
	nor_chip_set_wp(c, false);
	write_sr(c, 0x01, (const uint8_t[]){ 0x00 }, 1);
	assert_int_equal(rdreg(c, 0x05), 0x80);			/* hardware protected */
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
	nor_chip_set_wp(c, true);
	write_sr(c, 0x01, (const uint8_t[]){ 0x00 }, 1);
	assert_int_equal(rdreg(c, 0x05), 0x00);
	/* SRL (SR2 bit0) with SRP0 = 0: locked until the next power cycle */
	write_sr(c, 0x31, (const uint8_t[]){ 0x01 }, 1);
	write_sr(c, 0x01, (const uint8_t[]){ 0x04 }, 1);
	assert_int_equal(rdreg(c, 0x05), 0x00);
	nor_chip_power_cycle(c);
	write_sr(c, 0x01, (const uint8_t[]){ 0x04 }, 1);
	assert_int_equal(rdreg(c, 0x05), 0x04);
	/* LB1-3 are one-time */
	write_sr(c, 0x31, (const uint8_t[]){ 0x08 }, 1);
	write_sr(c, 0x31, (const uint8_t[]){ 0x00 }, 1);
	assert_int_equal(rdreg(c, 0x35) & 0x38, 0x08);
	bench_free(b);
}

/* ---- multi-line reads and QE ------------------------------------------- */

/* Read with explicit line widths: address lines, optional mode byte, dummy clocks, data lines. */
static void read_lines(struct nor_chip *c, uint8_t opcode, uint32_t addr, unsigned int abytes,
		       unsigned int alines, int mode, unsigned int dummy, unsigned int dlines,
		       uint8_t *buf, size_t len, bool with_opcode)
{
	nor_chip_select(c, true);
	if (with_opcode)
		nor_chip_transfer(c, opcode, 1);
	put_addr(c, addr, abytes, alines);
	if (mode >= 0)
		nor_chip_transfer(c, (uint8_t)mode, alines);
	nor_chip_dummy(c, dummy);
	for (size_t i = 0; i < len; i++)
		buf[i] = nor_chip_transfer(c, 0xff, dlines);
	nor_chip_select(c, false);
}

static void test_qe_gating(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[8];
	const uint8_t pattern[4] = { 0x11, 0x22, 0x33, 0x44 };

	(void)state;
	program(c, 0x02, 0x100, 3, pattern, 4, 1);
	assert_int_equal(rdreg(c, 0x35) & 0x02, 0);	/* QE = 0 (model default) */

	read_lines(c, 0x6b, 0x100, 3, 1, -1, 8, 4, buf, 4, true);
	assert_int_equal(buf[0], 0xff);
	read_lines(c, 0xeb, 0x100, 3, 4, 0x00, 4, 4, buf, 4, true);
	assert_int_equal(buf[0], 0xff);
	wren(c);
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x32, 1);
	put_addr(c, 0x200, 3, 1);
	nor_chip_transfer(c, 0x00, 4);
	nor_chip_select(c, false);
	assert_int_equal(b->array[0x200], 0xff);
	assert_int_equal(nor_chip_counters(c)->misuse, 3);
	assert_int_equal(nor_chip_counters(c)->page_programs, 1);

	/* 3Bh and BBh need no QE */
	read_lines(c, 0x3b, 0x100, 3, 1, -1, 8, 2, buf, 4, true);
	assert_memory_equal(buf, pattern, 4);
	read_lines(c, 0xbb, 0x100, 3, 2, 0x00, 0, 2, buf, 4, true);
	assert_memory_equal(buf, pattern, 4);

	/* QE via 31h */
	write_sr(c, 0x31, (const uint8_t[]){ 0x02 }, 1);
	read_lines(c, 0x6b, 0x100, 3, 1, -1, 8, 4, buf, 4, true);
	assert_memory_equal(buf, pattern, 4);
	read_lines(c, 0xeb, 0x100, 3, 4, 0x00, 4, 4, buf, 4, true);
	assert_memory_equal(buf, pattern, 4);
	/* EBh with the 6 clocks given as dummy only (mode bits undriven) */
	read_lines(c, 0xeb, 0x101, 3, 4, -1, 6, 4, buf, 3, true);
	assert_memory_equal(buf, pattern + 1, 3);
	program(c, 0x32, 0x200, 3, pattern, 4, 4);
	assert_memory_equal(b->array + 0x200, pattern, 4);
	assert_int_equal(nor_chip_counters(c)->misuse, 3);
	assert_int_equal(nor_chip_counters(c)->bytes_by_lines[2] > 0, true);
	/* 3Bh 8, BBh 0 (its 4 clocks are the mode byte), 6Bh 8, EBh 4 after the mode byte, EBh 6 */
	assert_int_equal(nor_chip_counters(c)->dummy_cycles, 8 + 0 + 8 + 4 + 6);
	bench_free(b);
}

static void test_continuous_read_mode(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[4], id[3];

	(void)state;
	b->array[0x1000] = 0xc3;
	b->array[0x2000] = 0x3c;
	write_sr(c, 0x31, (const uint8_t[]){ 0x02 }, 1);
	/* M5-4 = 10b: the next transaction starts with the address */
	read_lines(c, 0xeb, 0x1000, 3, 4, 0xa0, 4, 4, buf, 1, true);
	assert_int_equal(buf[0], 0xc3);
	read_lines(c, 0, 0x2000, 3, 4, 0xa0, 4, 4, buf, 1, false);
	assert_int_equal(buf[0], 0x3c);
	/* mode FFh ends it after this transaction */
	read_lines(c, 0, 0x1000, 3, 4, 0xff, 4, 4, buf, 1, false);
	assert_int_equal(buf[0], 0xc3);
	xfer(c, 0x9f, NULL, 0, id, 3);
	assert_int_equal(id[0], 0xef);
	assert_int_equal(nor_chip_counters(c)->misuse, 0);
	bench_free(b);
}

static void test_wrong_lines_is_misuse(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[2];

	(void)state;
	b->array[0x10] = 0x42;
	/* address of 0Bh sent on 4 lines: logged, address garbled */
	read_lines(c, 0x0b, 0x10, 3, 4, -1, 8, 1, buf, 1, true);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	assert_true(b->log_lines >= 1);
	assert_int_not_equal(buf[0], 0x42);
	/* data of 03h read on 2 lines: logged, data garbled */
	read_lines(c, 0x03, 0x10, 3, 1, -1, 0, 2, buf, 1, true);
	assert_int_equal(nor_chip_counters(c)->misuse, 2);
	assert_int_not_equal(buf[0], 0x42);
	/* opcode on 4 lines: transaction ignored */
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x9f, 4);
	assert_int_equal(nor_chip_transfer(c, 0xff, 1), 0xff);
	nor_chip_select(c, false);
	assert_int_equal(nor_chip_counters(c)->misuse, 3);
	/* bytes after 06h */
	xfer(c, 0x06, (const uint8_t[]){ 0x00, 0x00 }, 2, NULL, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, 4);
	/* correct use counts nothing */
	read_lines(c, 0x0b, 0x10, 3, 1, -1, 8, 1, buf, 1, true);
	assert_int_equal(buf[0], 0x42);
	assert_int_equal(nor_chip_counters(c)->misuse, 4);
	bench_free(b);
}

/* ---- 4-byte addressing --------------------------------------------------- */

static void test_w25q256jv_4byte(void **state)
{
	struct bench *b = bench_new("w25q256jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	const uint8_t pat[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	uint8_t buf[4];

	(void)state;
	/* dedicated 4-byte opcodes across the 16 MiB line (two programs: page end) */
	program(c, 0x12, 0xfffffe, 4, pat, 2, 1);
	program(c, 0x12, 0x1000000, 4, pat + 2, 2, 1);
	assert_memory_equal(b->array + 0xfffffe, pat, 4);
	read_data(c, 0x13, 0xfffffe, 4, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	read_data(c, 0x0c, 0xfffffe, 4, 1, buf, 4);
	assert_memory_equal(buf, pat, 4);
	assert_int_equal(rdreg(c, 0x15) & 0x01, 0);	/* ADS: still 3-byte mode */

	/* 3-byte mode, EAR = 0: 0x000000 is address 0, reads wrap inside the 16 MiB segment */
	b->array[0] = 0x77;
	read_data(c, 0x03, 0xfffffe, 3, 0, buf, 4);
	assert_int_equal(buf[0], 0xa1);
	assert_int_equal(buf[1], 0xb2);
	assert_int_equal(buf[2], 0x77);
	program_byte(c, 0x000001, 0x00);
	assert_int_equal(b->array[1], 0x00);
	assert_int_equal(b->array[0x1000001], 0xd4);
	/* EAR = 1 (C5h needs WREN): 3-byte address 0x000000 reaches 0x1000000 */
	write_sr(c, 0xc5, (const uint8_t[]){ 0x01 }, 1);
	assert_int_equal(rdreg(c, 0xc8), 0x01);
	read_data(c, 0x03, 0x000000, 3, 0, buf, 2);
	assert_memory_equal(buf, pat + 2, 2);
	write_sr(c, 0xc5, (const uint8_t[]){ 0x00 }, 1);

	/* B7h: 03h/02h/20h take 4 address bytes */
	cmd0(c, 0xb7);
	assert_int_equal(rdreg(c, 0x15) & 0x01, 0x01);
	program(c, 0x02, 0x1fffffc, 4, pat, 4, 1);
	assert_memory_equal(b->array + 0x1fffffc, pat, 4);
	read_data(c, 0x03, 0xfffffe, 4, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	/* 4-byte erase of the sector above the line touches only that sector */
	nor_chip_reset_counters(c);
	erase(c, 0x21, 0x1000000, 4);
	assert_int_equal(b->array[0x1000000], 0xff);
	assert_int_equal(b->array[0xffffff], 0xb2);
	assert_int_equal(nor_chip_sector_counters(c)[0x1000].erases, 1);
	assert_int_equal(nor_chip_sector_counters(c)[0xfff].erases, 0);
	erase(c, 0xdc, 0x1ff0000, 4);
	assert_int_equal(b->array[0x1fffffc], 0xff);
	/* across the 16 MiB line in B7h mode with plain 02h/03h */
	erase(c, 0x20, 0xfff000, 4);
	program(c, 0x02, 0xfffffe, 4, pat, 2, 1);
	program(c, 0x02, 0x1000000, 4, pat + 2, 2, 1);
	read_data(c, 0x03, 0xfffffe, 4, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	read_data(c, 0x0c, 0xfffffe, 4, 1, buf, 4);
	assert_memory_equal(buf, pat, 4);
	cmd0(c, 0xe9);
	assert_int_equal(rdreg(c, 0x15) & 0x01, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, 0);

	/* no 5Ch on W25Q256JV (JV 4BAIT has no 4-byte 32K erase) */
	wren(c);
	xfer(c, 0x5c, (const uint8_t[]){ 0, 0, 0, 0 }, 4, NULL, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);

	/* 4-byte mode is volatile: lost on power cycle and on 66h/99h */
	cmd0(c, 0xb7);
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x15) & 0x01, 0);
	cmd0(c, 0xb7);
	wren(c);
	cmd0(c, 0x66);
	cmd0(c, 0x99);
	assert_int_equal(rdreg(c, 0x15) & 0x01, 0);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);

	/* ADP (SR3 bit1, non-volatile): power up in 4-byte mode */
	write_sr(c, 0x11, (const uint8_t[]){ 0x62 }, 1);
	assert_int_equal(rdreg(c, 0x15) & 0x03, 0x02);
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x15) & 0x03, 0x03);
	read_data(c, 0x03, 0xffffff, 4, 0, buf, 2);
	assert_int_equal(buf[0], 0xb2);
	assert_int_equal(buf[1], 0xc3);	/* 0x1000000, past the 16 MiB line */
	bench_free(b);
}

/* ---- reset, power-down, UID -------------------------------------------- */

static void test_reset_and_power_down(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t id[3], dev[2], uid[8];

	(void)state;
	wren(c);
	cmd0(c, 0x99);				/* 99h alone: ignored */
	assert_int_equal(rdreg(c, 0x05), SR1_WEL);
	cmd0(c, 0x66);
	cmd0(c, 0x99);
	assert_int_equal(rdreg(c, 0x05), 0);

	cmd0(c, 0xb9);
	xfer(c, 0x9f, NULL, 0, id, 3);
	assert_int_equal(id[0], 0xff);
	b->array[0] = 0x12;
	wren(c);
	assert_int_equal(rdreg(c, 0x05), 0xff);	/* nothing answers */
	/* ABh + 3 dummy bytes: device ID, and the chip wakes up */
	xfer(c, 0xab, (const uint8_t[]){ 0, 0, 0 }, 3, dev, 2);
	assert_int_equal(dev[0], 0x17);
	assert_int_equal(dev[1], 0x17);
	xfer(c, 0x9f, NULL, 0, id, 3);
	assert_int_equal(id[0], 0xef);
	assert_int_equal(rdreg(c, 0x05), 0);	/* the 06h during power-down was ignored */

	/* 90h: manufacturer then device */
	xfer(c, 0x90, (const uint8_t[]){ 0, 0, 0 }, 3, dev, 2);
	assert_int_equal(dev[0], 0xef);
	assert_int_equal(dev[1], 0x17);
	/* 4Bh: 4 dummy bytes then 8 bytes of unique ID */
	xfer(c, 0x4b, (const uint8_t[]){ 0, 0, 0, 0 }, 4, uid, 8);
	assert_memory_equal(uid, nor_part_find("w25q128jv")->uid, 8);
	assert_int_not_equal(uid[0], 0xff);
	bench_free(b);
}

/* ---- timing -------------------------------------------------------------- */

static void test_instant_wip_then_clear(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t id[3];

	(void)state;
	wren(c);
	xfer(c, 0x02, (const uint8_t[]){ 0, 0, 0x10, 0x00 }, 4, NULL, 0);
	assert_int_equal(b->array[0x10], 0x00);	/* applied at CS rise */
	assert_true(nor_chip_busy(c));
	/* a command before the status read is ignored */
	xfer(c, 0x9f, NULL, 0, id, 3);
	assert_int_equal(id[0], 0xff);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	assert_int_equal(rdreg(c, 0x05), SR1_WIP | SR1_WEL);
	assert_int_equal(rdreg(c, 0x05), 0);
	assert_false(nor_chip_busy(c));
	bench_free(b);
}

/*
 * Datasheet times per part (typical / maximum, microseconds), written
 * here independently of sim/nor_parts.c: W25Q128JV from Winbond's
 * datasheet AC table (tPP 0.4 / 3 ms, not the 704 us its SFDP says); the
 * others as cited next to their entries (several UNVERIFIED there).
 */
static const struct {
	const char *part;
	uint32_t pp[2], se[2], be32[2], be64[2], ce_s[2], w[2];
} datasheet_times[] = {
	{ "w25q128jv", { 400, 3000 }, { 45000, 400000 }, { 120000, 1600000 },
	  { 150000, 2000000 }, { 40, 200 }, { 10000, 15000 } },
	{ "w25q128fv", { 700, 3000 }, { 45000, 400000 }, { 120000, 1600000 },
	  { 150000, 2000000 }, { 40, 200 }, { 10000, 15000 } },
	{ "w25q256jv", { 400, 3000 }, { 45000, 400000 }, { 120000, 1600000 },
	  { 150000, 2000000 }, { 80, 400 }, { 10000, 15000 } },
	/* nor-chips.md section 9.6 (UNVERIFIED there) */
	{ "w25q64jv", { 400, 3000 }, { 45000, 400000 }, { 120000, 1600000 },
	  { 150000, 2000000 }, { 20, 100 }, { 10000, 15000 } },
	{ "is25lp064a", { 200, 1200 }, { 48000, 400000 }, { 160000, 1000000 },
	  { 304000, 1000000 }, { 16, 460 }, { 2000, 15000 } },
	{ "gd25q128c", { 700, 3000 }, { 45000, 400000 }, { 120000, 1600000 },
	  { 150000, 2000000 }, { 40, 200 }, { 10000, 15000 } },
	{ "mx25l12835f", { 384, 1536 }, { 25000, 150000 }, { 144000, 864000 },
	  { 256000, 1536000 }, { 28, 112 }, { 10000, 40000 } },
	/* section 9.6: MT25Q family BFPT typ, ST driver max */
	{ "n25q128a", { 120, 2880 }, { 48000, 800000 }, { 112000, 1120000 },
	  { 160000, 3000000 }, { 42, 250 }, { 2000, 8000 } },
	{ "mt25ql512a", { 120, 2880 }, { 48000, 400000 }, { 112000, 1000000 },
	  { 160000, 1000000 }, { 168, 460 }, { 2000, 8000 } },
	/* section 9.6: its BFPT typ, ST driver max */
	{ "mx25r6435f", { 896, 5376 }, { 48000, 240000 }, { 240000, 3000000 },
	  { 480000, 3500000 }, { 52, 240 }, { 10000, 40000 } },
	/* section 9.6: ST driver max; typ UNVERIFIED (Macronix stand-ins, nor_parts.c) */
	{ "mx25lm51245g", { 384, 1536 }, { 25000, 400000 }, { 144000, 864000 },
	  { 256000, 1000000 }, { 112, 460 }, { 10000, 40000 } },
};

static void check_time(const char *part, const char *what, const struct nor_part_time *t,
		       const uint32_t want[2], uint32_t scale)
{
	if (t->typ_us != want[0] * scale || t->max_us != want[1] * scale)
		fail_msg("%s %s: table %u / %u us, datasheet %u / %u us", part, what,
			 t->typ_us, t->max_us, want[0] * scale, want[1] * scale);
	assert_true(t->typ_us < t->max_us);
}

/*
 * Every part: the table holds its datasheet times, and the chip model at
 * --timing typical is busy for exactly those typical times: a whole page
 * program (tPP), a 4 KiB erase (tSE) and a non-volatile status write (tW),
 * measured by the busy_ns counter and against the wall clock.
 */
static void test_datasheet_timings_per_part(void **state)
{
	(void)state;
	assert_int_equal(sizeof(datasheet_times) / sizeof(datasheet_times[0]), nor_parts_count);
	for (size_t i = 0; i < nor_parts_count; i++) {
		const char *name = datasheet_times[i].part;
		const struct nor_part *p = nor_part_find(name);
		const struct nor_part_timings *t;

		assert_non_null(p);
		t = &p->timings;
		check_time(name, "tPP", &t->page_program, datasheet_times[i].pp, 1);
		check_time(name, "tSE", &t->erase_4k, datasheet_times[i].se, 1);
		check_time(name, "tBE1", &t->erase_32k, datasheet_times[i].be32, 1);
		check_time(name, "tBE2", &t->erase_64k, datasheet_times[i].be64, 1);
		check_time(name, "tCE", &t->chip_erase, datasheet_times[i].ce_s, 1000000);
		check_time(name, "tW", &t->status_write, datasheet_times[i].w, 1);

		struct bench *b = bench_new(name, NOR_TIMING_TYPICAL, NULL);
		struct nor_chip *c = b->chip;
		uint8_t page[3 + 256] = { 0, 0x10, 0x00 };
		struct timespec t0, t1;
		uint64_t busy0;
		double us;

		/* page program: busy for tPP typical */
		clock_gettime(CLOCK_MONOTONIC, &t0);
		wren(c);
		xfer(c, 0x02, page, sizeof(page), NULL, 0);
		wait_ready(c);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		us = (t1.tv_sec - t0.tv_sec) * 1e6 + (t1.tv_nsec - t0.tv_nsec) / 1e3;
		assert_int_equal(nor_chip_counters(c)->busy_ns,
				 (uint64_t)datasheet_times[i].pp[0] * 1000u);
		if (us < datasheet_times[i].pp[0])
			fail_msg("%s: page program done after %.0f us, tPP typ %u us", name, us,
				 datasheet_times[i].pp[0]);
		assert_int_equal(b->array[0x1000], 0x00);

		/* 4 KiB sector erase: busy for tSE typical */
		busy0 = nor_chip_counters(c)->busy_ns;
		wren(c);
		xfer(c, 0x20, (const uint8_t[]){ 0, 0x10, 0x00 }, 3, NULL, 0);
		assert_true(nor_chip_busy(c));
		wait_ready(c);
		assert_int_equal(nor_chip_counters(c)->busy_ns - busy0,
				 (uint64_t)datasheet_times[i].se[0] * 1000u);
		assert_int_equal(b->array[0x1000], 0xff);

		/* non-volatile status write (01h after 06h): busy for tW typical */
		busy0 = nor_chip_counters(c)->busy_ns;
		wren(c);
		xfer(c, 0x01, (const uint8_t[]){ 0x00 }, 1, NULL, 0);
		wait_ready(c);
		assert_int_equal(nor_chip_counters(c)->busy_ns - busy0,
				 (uint64_t)datasheet_times[i].w[0] * 1000u);
		bench_free(b);
	}
}

/*
 * Clock limits: the W25Q128JV datasheet allows 03h READ up to 50 MHz
 * (fR) and every other command up to 133 MHz (fC).  A command clocked
 * faster is logged and counted; the data still comes back.
 */
static void test_clock_above_datasheet_maximum(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t v;

	(void)state;
	nor_chip_set_clock(c, 50000000);
	read_data(c, 0x03, 0, 3, 0, &v, 1);
	assert_int_equal(nor_chip_counters(c)->overclocked, 0);
	nor_chip_set_clock(c, 100000000);
	read_data(c, 0x0b, 0, 3, 1, &v, 1);		/* FAST_READ: fC */
	assert_int_equal(nor_chip_counters(c)->overclocked, 0);
	b->log_lines = 0;
	read_data(c, 0x03, 0, 3, 0, &v, 1);
	assert_int_equal(v, 0xff);
	assert_int_equal(nor_chip_counters(c)->overclocked, 1);
	assert_int_equal(b->log_lines, 1);
	assert_non_null(strstr(b->last_log, "50 MHz"));
	nor_chip_set_clock(c, 134000000);
	cmd0(c, 0x06);					/* above fC */
	assert_int_equal(nor_chip_counters(c)->overclocked, 2);
	nor_chip_set_clock(c, 0);			/* unknown clock: not checked */
	read_data(c, 0x03, 0, 3, 0, &v, 1);
	assert_int_equal(nor_chip_counters(c)->overclocked, 2);
	bench_free(b);
}

static long minor_faults(void)
{
	struct rusage ru;

	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_minflt;
}

/*
 * At typical timing a program or an erase touches the host pages it will
 * store into when it starts, so that its completion, at a status read
 * that may sit between one page program and the next, takes no page
 * fault (the simulator maps its image file MAP_SHARED: a first store to a
 * file page costs some 20 us).  The array here is a shared mapping of an
 * erased memory file that this process has not touched yet.
 */
static void test_typical_completion_without_page_fault(void **state)
{
	size_t size = nor_chip_part_size("w25q128jv");
	uint8_t fill[65536];
	char err[256];
	long before;

	(void)state;
	/* erased, but for the block at 0x0A0000, which holds zeros */
	int fd = memfd_create("nor-image", 0);
	assert_true(fd >= 0);
	for (size_t done = 0; done < size; done += sizeof(fill)) {
		memset(fill, done == 0x0A0000 ? 0x00 : 0xff, sizeof(fill));
		assert_int_equal(pwrite(fd, fill, sizeof(fill), (off_t)done), (ssize_t)sizeof(fill));
	}
	uint8_t *array = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	assert_true(array != MAP_FAILED);
	close(fd);
	struct nor_chip *c = nor_chip_create("w25q128jv", array, size, NOR_TIMING_TYPICAL, NULL, err, sizeof(err));
	assert_non_null(c);

	/* a page program into a page nothing has touched */
	uint8_t cmd[3 + 256];
	cmd[0] = 0x05;
	cmd[1] = 0x30;
	cmd[2] = 0x00;
	for (unsigned int i = 0; i < 256; i++)
		cmd[3 + i] = (uint8_t)i;
	wren(c);
	xfer(c, 0x02, cmd, sizeof(cmd), NULL, 0);
	assert_true(nor_chip_busy(c));
	before = minor_faults();
	wait_ready(c);
	assert_int_equal(minor_faults(), before);
	for (unsigned int i = 0; i < 256; i++)
		assert_int_equal(array[0x053000 + i], i);

	/* a 64 KiB block erase over sixteen untouched pages */
	wren(c);
	xfer(c, 0xD8, (const uint8_t[]){ 0x0A, 0x00, 0x00 }, 3, NULL, 0);
	assert_true(nor_chip_busy(c));
	before = minor_faults();
	wait_ready(c);
	assert_int_equal(minor_faults(), before);
	for (uint32_t a = 0x0A0000; a < 0x0B0000; a += 0x400)
		assert_int_equal(array[a], 0xff);

	nor_chip_destroy(c);
	munmap(array, size);
}

static void test_typical_timing_and_power_cut(void **state)
{
	struct bench *b = bench_new("w25q128jv", NOR_TIMING_TYPICAL, NULL);
	struct nor_chip *c = b->chip;
	struct timespec t0, t1;
	uint8_t v;
	unsigned int polls;
	double ms;

	(void)state;
	/* A whole page (tPP, 0.4 ms typical per the W25Q128JV datasheet), so
	 * that the read below lands while the chip is busy even on a loaded
	 * machine or under a sanitizer (one byte is only tPP / 16 = 25 us). */
	uint8_t page[3 + 256] = { 0 };
	clock_gettime(CLOCK_MONOTONIC, &t0);
	wren(c);
	xfer(c, 0x02, page, sizeof(page), NULL, 0);
	read_data(c, 0x03, 0, 3, 0, &v, 1);
	assert_int_equal(v, 0xff);		/* read while busy: ignored */
	polls = wait_ready(c);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	assert_true(polls >= 1);
	assert_true(ms >= 0.4);			/* a page: tPP */
	assert_int_equal(b->array[0], 0x00);
	assert_int_equal(b->array[255], 0x00);
	read_data(c, 0x03, 0, 3, 0, &v, 1);
	assert_int_equal(v, 0x00);
	assert_int_equal(nor_chip_counters(c)->busy_ns, 400000);

	/* a 4K erase cut by power loss: first half erased, second half not */
	memset(b->array + 0x3000, 0x00, 0x1000);
	wren(c);
	xfer(c, 0x20, (const uint8_t[]){ 0, 0x30, 0x00 }, 3, NULL, 0);
	assert_true(nor_chip_busy(c));
	assert_int_equal(rdreg(c, 0x05), SR1_WIP | SR1_WEL);
	nor_chip_power_cycle(c);
	assert_false(nor_chip_busy(c));
	assert_int_equal(b->array[0x3000], 0xff);
	assert_int_equal(b->array[0x37ff], 0xff);
	assert_int_equal(b->array[0x3800], 0x00);
	assert_int_equal(b->array[0x3fff], 0x00);
	assert_int_equal(rdreg(c, 0x05), 0);
	bench_free(b);
}

/* ---- faults -------------------------------------------------------------- */

static void test_faults(void **state)
{
	struct nor_faults f;
	struct bench *b;
	uint8_t buf[8];

	(void)state;
	memset(&f, 0, sizeof(f));
	f.absent = true;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	xfer(b->chip, 0x9f, NULL, 0, buf, 3);
	assert_int_equal(buf[0] & buf[1] & buf[2], 0xff);
	b->array[0] = 0x12;
	cmd0(b->chip, 0x06);
	xfer(b->chip, 0x02, (const uint8_t[]){ 0, 0, 0, 0x00 }, 4, NULL, 0);
	assert_int_equal(b->array[0], 0x12);
	assert_false(nor_chip_busy(b->chip));
	read_data(b->chip, 0x03, 0, 3, 0, buf, 1);
	assert_int_equal(buf[0], 0xff);
	bench_free(b);

	memset(&f, 0, sizeof(f));
	f.busy_stuck = true;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	wren(b->chip);
	xfer(b->chip, 0x02, (const uint8_t[]){ 0, 0, 0, 0x00 }, 4, NULL, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(rdreg(b->chip, 0x05) & SR1_WIP, SR1_WIP);
	assert_int_equal(b->array[0], 0xff);
	xfer(b->chip, 0x9f, NULL, 0, buf, 3);
	assert_int_equal(buf[0], 0xff);
	nor_chip_power_cycle(b->chip);
	assert_int_equal(rdreg(b->chip, 0x05) & SR1_WIP, SR1_WIP);
	bench_free(b);

	memset(&f, 0, sizeof(f));
	f.stuck_bits = true;
	f.stuck_addr = 0x1234;
	f.stuck_mask = 0x81;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	program(b->chip, 0x02, 0x1233, 3, (const uint8_t[]){ 0x00, 0x00, 0x00 }, 3, 1);
	assert_int_equal(b->array[0x1233], 0x00);
	assert_int_equal(b->array[0x1234], 0x81);
	assert_int_equal(b->array[0x1235], 0x00);
	bench_free(b);

	memset(&f, 0, sizeof(f));
	f.id_override = true;
	f.id[0] = 0x20;
	f.id[1] = 0xba;
	f.id[2] = 0x20;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	xfer(b->chip, 0x9f, NULL, 0, buf, 3);
	assert_memory_equal(buf, f.id, 3);
	bench_free(b);

	memset(&f, 0, sizeof(f));
	f.no_sfdp = true;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	read_sfdp(b->chip, 0, buf, 8);
	for (int i = 0; i < 8; i++)
		assert_int_equal(buf[i], 0xff);
	bench_free(b);

	memset(&f, 0, sizeof(f));
	f.sfdp_corrupt = true;
	b = bench_new("w25q128jv", NOR_TIMING_INSTANT, &f);
	read_sfdp(b->chip, 0, buf, 8);
	assert_int_equal(buf[0], 'S');		/* a dummy-counting reader still syncs */
	assert_memory_not_equal(buf, "SFDP", 4);
	bench_free(b);
}

/* ---- other families ------------------------------------------------------ */

static void test_issi_qe_and_dummy_config(void **state)
{
	struct bench *b = bench_new("is25lp064a", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[2], uid[16];

	(void)state;
	b->array[0x40] = 0x5e;
	read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 4, 4, buf, 1, true);
	assert_int_equal(buf[0], 0xff);			/* QE = 0 */
	write_sr(c, 0x01, (const uint8_t[]){ 0x40 }, 1);	/* as libDaisy: QE in SR bit6 */
	assert_int_equal(rdreg(c, 0x05), 0x40);
	read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 4, 4, buf, 1, true);
	assert_int_equal(buf[0], 0x5e);
	/* Read Register F0h (libDaisy): DC = 10b, EBh takes 8 clocks (2 mode + 6) */
	xfer(c, 0xc0, (const uint8_t[]){ 0xf0 }, 1, NULL, 0);
	assert_int_equal(rdreg(c, 0x61), 0xf0);
	read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 6, 4, buf, 1, true);
	assert_int_equal(buf[0], 0x5e);
	/* ISSI 4Bh: 3 address bytes + 1 dummy, 16 bytes */
	xfer(c, 0x4b, (const uint8_t[]){ 0, 0, 0, 0 }, 4, uid, 16);
	assert_memory_equal(uid, nor_part_find("is25lp064a")->uid, 16);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	bench_free(b);
}

static void test_macronix_registers(void **state)
{
	struct bench *b = bench_new("mx25l12835f", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	const uint8_t pat[2] = { 0x12, 0x34 };

	(void)state;
	/* 01h with SR and CR; 15h reads CR */
	write_sr(c, 0x01, (const uint8_t[]){ 0x40, 0x07 }, 2);
	assert_int_equal(rdreg(c, 0x05), 0x40);
	assert_int_equal(rdreg(c, 0x15), 0x07);
	/* 32h does not exist on Macronix; 38h is 1-4-4 */
	wren(c);
	xfer(c, 0x32, (const uint8_t[]){ 0, 0, 0, 0 }, 4, NULL, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	cmd0(c, 0x04);
	wren(c);
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x38, 1);
	put_addr(c, 0x80, 3, 4);
	nor_chip_transfer(c, pat[0], 4);
	nor_chip_transfer(c, pat[1], 4);
	nor_chip_select(c, false);
	wait_ready(c);
	assert_memory_equal(b->array + 0x80, pat, 2);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	bench_free(b);
}

static void test_gigadevice_uid(void **state)
{
	struct bench *b = bench_new("gd25q128c", NOR_TIMING_INSTANT, NULL);
	uint8_t uid[16];

	(void)state;
	xfer(b->chip, 0x4b, (const uint8_t[]){ 0, 0, 0, 0 }, 4, uid, 16);
	assert_memory_equal(uid, nor_part_find("gd25q128c")->uid, 16);
	bench_free(b);
}

/*
 * Micron N25Q128A (nor-chips.md section 9.4): FSR 70h with READY and the
 * protection error, 50h clears it; BP3 in SR bit6, TB bit5; VCR dummy
 * clocks (85h/81h, WREN first); NVCR (B5h/B1h, 2 bytes LSB first) loads
 * them at power-up; 9Fh continues with the extended and unique ID; 12h is
 * the 1-4-4 program; no 52h.
 */
static void test_micron_n25q128a(void **state)
{
	struct bench *b = bench_new("n25q128a", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	const struct nor_part *part = nor_part_find("n25q128a");
	uint8_t id[19], nvcr[2], buf[4];
	const uint8_t pat[4] = { 0x3c, 0xc3, 0x69, 0x96 };

	(void)state;
	/* 9Fh: 20 BA 18, then the bytes after the ID */
	xfer(c, 0x9f, NULL, 0, id, sizeof(id));
	assert_memory_equal(id, "\x20\xba\x18", 3);
	assert_memory_equal(id + 3, part->uid, 16);
	assert_int_equal(id[3], 0x10);
	xfer(c, 0x9e, NULL, 0, id, 3);
	assert_memory_equal(id, "\x20\xba\x18", 3);

	/* FSR: ready; busy (bit7 = 0) after a program until polled */
	assert_int_equal(rdreg(c, 0x70), 0x80);
	wren(c);
	xfer(c, 0x02, (const uint8_t[]){ 0x00, 0x01, 0x00, 0xa5 }, 4, NULL, 0);
	assert_int_equal(rdreg(c, 0x70) & 0x80, 0x00);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	assert_int_equal(rdreg(c, 0x05), 0x00);
	assert_int_equal(b->array[0x100], 0xa5);

	/* BP3 = SR bit6 alone: BP = 1000b, the top 8 MiB; TB (bit5) bottom */
	write_sr(c, 0x01, (const uint8_t[]){ 0x40 }, 1);
	assert_int_equal(rdreg(c, 0x05), 0x40);
	check_protected_range(b, 0x800000, 0x800000, false, "n25q128a BP=8");
	assert_int_equal(rdreg(c, 0x70), 0x80 | 0x02);	/* protection error seen */
	cmd0(c, 0x50);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	write_sr(c, 0x01, (const uint8_t[]){ 0x24 }, 1);	/* TB, BP0: first 64 KiB */
	check_protected_range(b, 0, 0x10000, false, "n25q128a TB BP=1");
	write_sr(c, 0x01, (const uint8_t[]){ 0x00 }, 1);
	cmd0(c, 0x50);

	/* VCR: FBh at power-up; 81h needs WREN; dummy 6 for 0Bh, 6Bh and EBh */
	assert_int_equal(rdreg(c, 0x85), 0xfb);
	xfer(c, 0x81, (const uint8_t[]){ 0x6b }, 1, NULL, 0);
	assert_int_equal(rdreg(c, 0x85), 0xfb);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	write_sr(c, 0x81, (const uint8_t[]){ 0x6b }, 1);
	assert_int_equal(rdreg(c, 0x85), 0x6b);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
	program(c, 0x02, 0x200, 3, pat, 4, 1);
	read_lines(c, 0x0b, 0x200, 3, 1, -1, 6, 1, buf, 4, true);
	assert_memory_equal(buf, pat, 4);
	read_lines(c, 0xeb, 0x200, 3, 4, -1, 6, 4, buf, 4, true);
	assert_memory_equal(buf, pat, 4);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	/* volatile: power-up takes the NVCR's dummy (Fh: default 8 / 10) */
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x85), 0xfb);

	/* NVCR: FFFFh; B1h with 2 bytes, LSB first, dummy 15:12 = 8h */
	xfer(c, 0xb5, NULL, 0, nvcr, 2);
	assert_int_equal(nvcr[0], 0xff);
	assert_int_equal(nvcr[1], 0xff);
	write_sr(c, 0xb1, (const uint8_t[]){ 0xff, 0x8f }, 2);
	xfer(c, 0xb5, NULL, 0, nvcr, 2);
	assert_int_equal(nvcr[1], 0x8f);
	assert_int_equal(rdreg(c, 0x85), 0xfb);		/* only at the next power-up */
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x85), 0x8b);
	read_lines(c, 0xeb, 0x200, 3, 4, -1, 8, 4, buf, 4, true);
	assert_memory_equal(buf, pat, 4);

	/* EVCR: DFh; bit 7 = 0 enters QPI (4-4-4), DPI (bit 6) stays 1 */
	assert_int_equal(rdreg(c, 0x65), 0xdf);
	wren(c);
	xfer(c, 0x61, (const uint8_t[]){ 0x1f }, 1, NULL, 0);	/* no busy time, no poll */
	assert_int_equal(qpi_rdreg(c, 0x65), 0x5f);
	/* in QPI a 1-line opcode is ignored (misuse) and reads nothing */
	assert_int_equal(rdreg(c, 0x05), 0xff);
	/* 0Bh in QPI: opcode, address and data on 4 lines, the VCR's 8 dummy clocks */
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x0b, 4);
	put_addr(c, 0x200, 3, 4);
	nor_chip_dummy(c, 8);
	for (int i = 0; i < 4; i++)
		buf[i] = nor_chip_transfer(c, 0xff, 4);
	nor_chip_select(c, false);
	assert_memory_equal(buf, pat, 4);
	/* AFh reads the ID in QPI; F5h on 4 lines leaves it, EVCR bit 7 back to 1 */
	assert_int_equal(qpi_rdreg(c, 0xaf), 0x20);
	qpi_cmd0(c, 0xf5);
	assert_int_equal(rdreg(c, 0x65), 0xdf);
	/* 35h enters QPI and clears EVCR bit 7 */
	cmd0(c, 0x35);
	assert_int_equal(qpi_rdreg(c, 0x65), 0x5f);
	qpi_cmd0(c, 0xf5);
	assert_int_equal(rdreg(c, 0x05) & SR1_WIP, 0);

	/* 12h on the N25Q: 1-4-4 program (3-byte address on 4 lines) */
	wren(c);
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x12, 1);
	put_addr(c, 0x300, 3, 4);
	for (int i = 0; i < 4; i++)
		nor_chip_transfer(c, pat[i], 4);
	nor_chip_select(c, false);
	wait_ready(c);
	assert_memory_equal(b->array + 0x300, pat, 4);
	/* no 4-byte mode on this part */
	wren(c);
	cmd0(c, 0xb7);
	/* 2 earlier and the 1-line 05h in QPI */
	assert_int_equal(nor_chip_counters(c)->misuse, 3);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	bench_free(b);
}

/*
 * MT25QL512A: 64 MiB, 4-byte addressing (section 9.1/9.4): B7h/E9h only
 * after WREN, FSR bit0 shows the mode; dedicated 4-byte opcodes; EAR
 * selects the 16 MiB segment of 3-byte commands; NVCR bit0 = 0 powers up
 * in 4-byte mode.  The top of the chip is reachable every way.
 */
/* A 4-byte-address erase of [base, base + block) and nothing else. */
static void check_erase4(struct nor_chip *c, uint8_t *array, uint8_t opcode, uint32_t addr,
			 uint32_t block)
{
	uint32_t base = addr & ~(block - 1);

	memset(array + base - 4096, 0x00, block + 4096);
	if (base + block < nor_chip_size(c))
		array[base + block] = 0x00;
	nor_chip_reset_counters(c);
	erase(c, opcode, addr, 4);
	for (uint32_t i = 0; i < block; i++)
		if (array[base + i] != 0xff)
			fail_msg("erase %02x at 0x%x: byte 0x%x not erased", opcode, addr, base + i);
	assert_int_equal(array[base - 1], 0x00);
	if (base + block < nor_chip_size(c))
		assert_int_equal(array[base + block], 0x00);
	assert_int_equal(nor_chip_counters(c)->erases, 1);
}

static void test_micron_mt25ql512a_4byte(void **state)
{
	struct bench *b = bench_new("mt25ql512a", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	const uint8_t pat[4] = { 0x12, 0x34, 0x56, 0x78 };
	const uint32_t top = 0x3fffffc;
	uint8_t buf[4];

	(void)state;
	/* B7h without WREN: ignored, still 3-byte */
	cmd0(c, 0xb7);
	assert_int_equal(nor_chip_counters(c)->misuse, 1);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	/* dedicated 4-byte opcodes in 3-byte mode, at the last 4 bytes */
	program(c, 0x12, top, 4, pat, 4, 1);
	assert_memory_equal(b->array + top, pat, 4);
	read_data(c, 0x13, top, 4, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	read_data(c, 0x0c, top, 4, 1, buf, 4);
	assert_memory_equal(buf, pat, 4);
	read_lines(c, 0xec, top, 4, 4, -1, 10, 4, buf, 4, true);
	assert_memory_equal(buf, pat, 4);
	read_lines(c, 0x6c, top, 4, 1, -1, 8, 4, buf, 4, true);
	assert_memory_equal(buf, pat, 4);
	/* 3-byte 03h with EAR = 3 reaches the last segment */
	write_sr(c, 0xc5, (const uint8_t[]){ 0x03 }, 1);
	read_data(c, 0x03, top & 0xffffff, 3, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	write_sr(c, 0xc5, (const uint8_t[]){ 0x00 }, 1);
	/* 4-byte erases touch only their block */
	check_erase4(c, b->array, 0x21, 0x3fff123, 4096);

	/* WREN + B7h: 4-byte mode, FSR bit0; WEL is left set */
	wren(c);
	cmd0(c, 0xb7);
	assert_int_equal(rdreg(c, 0x70), 0x81);
	assert_int_equal(rdreg(c, 0x05) & SR1_WEL, SR1_WEL);
	cmd0(c, 0x04);
	memset(b->array + 0x3ff0000, 0xff, 0x10000);
	program(c, 0x02, top, 4, pat, 4, 1);
	read_data(c, 0x03, top, 4, 0, buf, 4);
	assert_memory_equal(buf, pat, 4);
	/* 38h 1-4-4 program with a 4-byte address */
	wren(c);
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x38, 1);
	put_addr(c, 0x2000000, 4, 4);
	for (int i = 0; i < 4; i++)
		nor_chip_transfer(c, pat[i], 4);
	nor_chip_select(c, false);
	wait_ready(c);
	assert_memory_equal(b->array + 0x2000000, pat, 4);
	assert_int_equal(b->array[0], 0xff);
	wren(c);
	cmd0(c, 0xe9);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	cmd0(c, 0x04);
	/* 5Ch and DCh with 4 address bytes */
	check_erase4(c, b->array, 0x5c, 0x3ff8001, 32768);
	check_erase4(c, b->array, 0xdc, 0x1ffffff, 65536);

	/* NVCR bit0 = 0: 4-byte addressing from power-up */
	write_sr(c, 0xb1, (const uint8_t[]){ 0xfe, 0xff }, 2);
	assert_int_equal(rdreg(c, 0x70), 0x80);
	nor_chip_power_cycle(c);
	assert_int_equal(rdreg(c, 0x70), 0x81);
	b->array[0x1000000] = 0x5a;
	read_data(c, 0x03, 0x1000000, 4, 0, buf, 1);
	assert_int_equal(buf[0], 0x5a);
	assert_int_equal(nor_chip_counters(c)->misuse, 0);	/* since check_erase4's reset */
	bench_free(b);
}

/*
 * MX25R6435F (section 9.4): 01h takes SR, CR1 and CR2; 15h reads CR1 then
 * CR2; QE is SR bit6; 38h is the only quad program; CR2 (L/H switch) is
 * non-volatile.
 */
static void test_mx25r6435f_registers(void **state)
{
	struct bench *b = bench_new("mx25r6435f", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t cr[2];

	(void)state;
	xfer(c, 0x15, NULL, 0, cr, 2);
	assert_int_equal(cr[0], 0x00);
	assert_int_equal(cr[1], 0x00);
	write_sr(c, 0x01, (const uint8_t[]){ 0x40, 0x00, 0x02 }, 3);
	assert_int_equal(rdreg(c, 0x05), 0x40);
	xfer(c, 0x15, NULL, 0, cr, 2);
	assert_int_equal(cr[1], 0x02);
	nor_chip_power_cycle(c);
	xfer(c, 0x15, NULL, 0, cr, 2);
	assert_int_equal(cr[1], 0x02);
	/* a 2-byte 01h leaves CR2 alone */
	write_sr(c, 0x01, (const uint8_t[]){ 0x40, 0x00 }, 2);
	xfer(c, 0x15, NULL, 0, cr, 2);
	assert_int_equal(cr[1], 0x02);
	/* no 32h; 4-byte commands absent (3-byte part) */
	wren(c);
	xfer(c, 0x32, (const uint8_t[]){ 0, 0, 0, 0 }, 4, NULL, 0);
	cmd0(c, 0x04);
	cmd0(c, 0xb7);
	assert_int_equal(nor_chip_counters(c)->misuse, 2);
	bench_free(b);
}

/* ---- MX25LM51245G: SPI, STR OPI and DTR OPI (nor-chips.md 9.1-9.5) ----- */

/* OPI command start: CS low, opcode, inverted opcode, 8 lines at the protocol's rate. */
static void o_begin(struct nor_chip *c, uint8_t opcode, bool dtr)
{
	nor_chip_select(c, true);
	nor_chip_transfer_dtr(c, opcode, 8, dtr);
	nor_chip_transfer_dtr(c, (uint8_t)~opcode, 8, dtr);
}

static void o_addr(struct nor_chip *c, uint32_t addr, bool dtr)
{
	for (int i = 3; i >= 0; i--)
		nor_chip_transfer_dtr(c, (uint8_t)(addr >> (8 * i)), 8, dtr);
}

static void o_cmd(struct nor_chip *c, uint8_t opcode, bool dtr)
{
	o_begin(c, opcode, dtr);
	nor_chip_select(c, false);
}

/* Command, 4-byte address, dummy clocks, len bytes read (data rate data_dtr). */
static void o_read(struct nor_chip *c, uint8_t opcode, uint32_t addr, unsigned int dummy,
		   uint8_t *buf, size_t len, bool dtr, bool data_dtr)
{
	o_begin(c, opcode, dtr);
	o_addr(c, addr, dtr);
	nor_chip_dummy(c, dummy);
	for (size_t i = 0; i < len; i++)
		buf[i] = nor_chip_transfer_dtr(c, 0xff, 8, data_dtr);
	nor_chip_select(c, false);
}

static void o_write(struct nor_chip *c, uint8_t opcode, uint32_t addr, const uint8_t *data,
		    size_t len, bool dtr)
{
	o_begin(c, opcode, dtr);
	o_addr(c, addr, dtr);
	for (size_t i = 0; i < len; i++)
		nor_chip_transfer_dtr(c, data[i], 8, dtr);
	nor_chip_select(c, false);
}

/* RDSR in OPI: 4-byte address, 4 dummy clocks; DTR gives the byte twice. */
static uint8_t o_rdsr(struct nor_chip *c, bool dtr)
{
	uint8_t sr[2];

	o_read(c, 0x05, 0, 4, sr, dtr ? 2 : 1, dtr, dtr);
	if (dtr)
		assert_int_equal(sr[0], sr[1]);
	return sr[0];
}

static void o_wait_ready(struct nor_chip *c, bool dtr)
{
	for (unsigned int n = 0; n < 100000; n++)
		if (!(o_rdsr(c, dtr) & SR1_WIP))
			return;
	fail_msg("WIP never cleared (OPI)");
}

/* WREN then WRCR2 at a register address, in SPI (1 byte) or OPI. */
static void wrcr2(struct nor_chip *c, unsigned int opi, uint32_t addr, uint8_t value)
{
	bool dtr = opi == 2;

	if (opi == 0) {
		wren(c);
		xfer(c, 0x72, (const uint8_t[]){ addr >> 24, addr >> 16, addr >> 8, addr, value },
		     5, NULL, 0);
		return;
	}
	o_cmd(c, 0x06, dtr);
	o_write(c, 0x72, addr, (const uint8_t[]){ value, 0x00 }, dtr ? 2 : 1, dtr);
}

static void test_mx25lm51245g_spi(void **state)
{
	struct bench *b = bench_new("mx25lm51245g", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[16], cr2;
	const uint8_t data[4] = { 0x12, 0x34, 0x56, 0x78 };
	uint64_t misuse;

	(void)state;
	assert_int_equal(nor_chip_octal_mode(c), 0);	/* power-on: SPI */
	/* 71h RDCR2 with a 4-byte register address, no dummy: SOPI = DOPI = 0 */
	xfer(c, 0x71, (const uint8_t[]){ 0, 0, 0, 0 }, 4, &cr2, 1);
	assert_int_equal(cr2, 0x00);
	/* 12h PP4B / 13h READ4B across the 16 MiB line and at the chip's last bytes */
	program(c, 0x12, 0x00fffffc, 4, data, 4, 1);
	program(c, 0x12, 0x01000000, 4, data, 4, 1);
	assert_memory_equal(b->array + 0x00fffffc, data, 4);
	assert_memory_equal(b->array + 0x01000000, data, 4);
	read_data(c, 0x13, 0x00fffffc, 4, 0, buf, 8);
	assert_memory_equal(buf, data, 4);
	assert_memory_equal(buf + 4, data, 4);
	program(c, 0x12, 0x03fffffc, 4, data, 4, 1);
	assert_memory_equal(b->array + 0x03fffffc, data, 4);
	read_data(c, 0x0c, 0x03fffffc, 4, 1, buf, 4);	/* 0Ch: 8 dummy clocks */
	assert_memory_equal(buf, data, 4);
	/* 21h and DCh 4-byte erases inside their blocks */
	memset(b->array, 0x00, 0x3000);
	erase(c, 0x21, 0x1234, 4);
	assert_int_equal(b->array[0x0fff], 0x00);
	assert_int_equal(b->array[0x1000], 0xff);
	assert_int_equal(b->array[0x1fff], 0xff);
	assert_int_equal(b->array[0x2000], 0x00);
	wren(c);
	xfer(c, 0xdc, (const uint8_t[]){ 0x03, 0xff, 0x00, 0x01 }, 4, NULL, 0);
	wait_ready(c);
	assert_int_equal(b->array[0x03fffffc], 0xff);
	/* no 32K erase, no dual/quad command */
	misuse = nor_chip_counters(c)->misuse;
	wren(c);
	xfer(c, 0x52, (const uint8_t[]){ 0, 0, 0 }, 3, NULL, 0);
	xfer(c, 0x3b, (const uint8_t[]){ 0, 0, 0 }, 3, NULL, 0);
	xfer(c, 0x32, (const uint8_t[]){ 0, 0, 0 }, 3, NULL, 0);
	xfer(c, 0x38, (const uint8_t[]){ 0, 0, 0 }, 3, NULL, 0);
	cmd0(c, 0x04);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 4);
	/* SFDP in SPI: 5Ah, 3-byte address, 8 dummy clocks; 512 Mbit, 3- or 4-byte */
	read_sfdp(c, 0, buf, 16);
	assert_memory_equal(buf, "SFDP", 4);
	read_sfdp(c, 0x30, buf, 8);
	assert_int_equal((le32(buf) >> 17) & 3, 1);
	assert_int_equal(le32(buf + 4), 512u * 1024 * 1024 - 1);
	/* CR2@300h DC: volatile, read back; WRCR2 needs WEL */
	xfer(c, 0x72, (const uint8_t[]){ 0, 0, 3, 0, 0x07 }, 5, NULL, 0);
	xfer(c, 0x71, (const uint8_t[]){ 0, 0, 3, 0 }, 4, &cr2, 1);
	assert_int_equal(cr2, 0x00);
	wrcr2(c, 0, 0x300, 0x07);
	xfer(c, 0x71, (const uint8_t[]){ 0, 0, 3, 0 }, 4, &cr2, 1);
	assert_int_equal(cr2, 0x07);
	nor_chip_power_cycle(c);
	xfer(c, 0x71, (const uint8_t[]){ 0, 0, 3, 0 }, 4, &cr2, 1);
	assert_int_equal(cr2, 0x00);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 5);
	bench_free(b);
}

static void test_mx25lm51245g_dtr_opi(void **state)
{
	struct bench *b = bench_new("mx25lm51245g", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[40], page[256];
	uint64_t misuse;

	(void)state;
	for (int i = 0; i < 256; i++)
		page[i] = (uint8_t)(i * 7 + 1);
	/* OpenOCD's STM32H735G-DK sequence: 06h, then 72h + address 0 + 02h */
	wrcr2(c, 0, 0, 0x02);
	assert_int_equal(nor_chip_octal_mode(c), 2);
	misuse = nor_chip_counters(c)->misuse;

	/* 9F60h: 4-byte address, 4 dummy, ID bytes in pairs (Linux macronix.c) */
	o_read(c, 0x9f, 0, 4, buf, 6, true, true);
	assert_memory_equal(buf, ((const uint8_t[]){ 0xc2, 0xc2, 0x85, 0x85, 0x3a, 0x3a }), 6);
	/* the same sampled single rate (OpenOCD clears DDTR for ID reads): one per pair */
	o_read(c, 0x9f, 0, 4, buf, 3, true, false);
	assert_memory_equal(buf, ((const uint8_t[]){ 0xc2, 0x85, 0x3a }), 3);
	/* 05FAh, 06F9h, 04FBh */
	assert_int_equal(o_rdsr(c, true), 0x00);
	o_cmd(c, 0x06, true);
	assert_int_equal(o_rdsr(c, true), SR1_WEL);
	o_cmd(c, 0x04, true);
	assert_int_equal(o_rdsr(c, true), 0x00);
	/* 718Eh at CR2 address 0: DOPI, then address 1 (none: 0) */
	o_read(c, 0x71, 0, 4, buf, 2, true, true);
	assert_int_equal(buf[0], 0x02);
	assert_int_equal(buf[1], 0x00);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse);

	/* 12EDh page program just below the chip end and across the 16 MiB line */
	o_cmd(c, 0x06, true);
	o_write(c, 0x12, 0x03ffff00, page, 256, true);
	o_wait_ready(c, true);
	assert_memory_equal(b->array + 0x03ffff00, page, 256);
	o_cmd(c, 0x06, true);
	o_write(c, 0x12, 0x00ffff80, page, 128, true);
	o_wait_ready(c, true);
	assert_memory_equal(b->array + 0x00ffff80, page, 128);
	assert_int_equal(b->array[0x01000000], 0xff);
	/* EE11h 8DTRD: 20 dummy clocks at CR2 DC = 0, reads past the 16 MiB line */
	o_read(c, 0xee, 0x00ffffe0, 20, buf, 40, true, true);
	assert_memory_equal(buf, page + 0x60, 32);
	assert_int_equal(buf[32], 0xff);
	/* 6 dummy clocks without DQS: the first 14 clocks of latency read as data */
	o_read(c, 0xee, 0x03ffff00, 6, buf, 32, true, true);
	assert_int_not_equal(memcmp(buf, page, 32), 0);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse);
	/* with DQS capture (OpenOCD's board set-up: DCYC 6, DQSE 1) the data is right */
	nor_chip_set_dqs(c, true);
	o_read(c, 0xee, 0x03ffff00, 6, buf, 32, true, true);
	assert_memory_equal(buf, page, 32);
	nor_chip_set_dqs(c, false);
	/* CR2@300h DC = 7: 6 dummy clocks */
	wrcr2(c, 2, 0x300, 0x07);
	o_read(c, 0xee, 0x03ffff00, 6, buf, 32, true, true);
	assert_memory_equal(buf, page, 32);
	/* SFDP 5AA5h in octal DTR: the read's dummy count */
	o_read(c, 0x5a, 0, 6, buf, 8, true, true);
	assert_memory_equal(buf, "SFDP", 4);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse);

	/* 21DEh 4K and DC23h 64K erase, 609Fh chip erase */
	memset(b->array + 0x10000, 0x00, 0x20000);
	o_cmd(c, 0x06, true);
	o_write(c, 0x21, 0x10fff, NULL, 0, true);
	o_wait_ready(c, true);
	assert_int_equal(b->array[0x10000], 0xff);
	assert_int_equal(b->array[0x10fff], 0xff);
	assert_int_equal(b->array[0x11000], 0x00);
	o_cmd(c, 0x06, true);
	o_write(c, 0xdc, 0x2ffff, NULL, 0, true);
	o_wait_ready(c, true);
	assert_int_equal(b->array[0x20000], 0xff);
	assert_int_equal(b->array[0x2ffff], 0xff);
	assert_int_equal(b->array[0x1ffff], 0x00);
	assert_int_equal(nor_chip_counters(c)->erases, 2);
	o_cmd(c, 0x06, true);
	o_cmd(c, 0x60, true);
	o_wait_ready(c, true);
	assert_int_equal(b->array[0x11000], 0xff);
	assert_int_equal(b->array[0x03ffff00], 0xff);

	/* 01FEh writes SR (address 0): BP3..0 = 1111 protects everything */
	o_cmd(c, 0x06, true);
	o_write(c, 0x01, 0, (const uint8_t[]){ 0x3c, 0x3c }, 2, true);
	o_wait_ready(c, true);
	assert_int_equal(o_rdsr(c, true), 0x3c);
	o_cmd(c, 0x06, true);
	o_write(c, 0x12, 0x1000, page, 4, true);
	o_wait_ready(c, true);
	assert_int_equal(b->array[0x1000], 0xff);
	assert_int_equal(nor_chip_counters(c)->ignored_protected, 1);
	o_cmd(c, 0x06, true);
	o_write(c, 0x01, 0, (const uint8_t[]){ 0x00, 0x00 }, 2, true);
	o_wait_ready(c, true);
	assert_int_equal(o_rdsr(c, true), 0x00);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse);

	/* misuse: a 1-byte SPI opcode, a wrong inverse, STR bytes, the STR read */
	nor_chip_select(c, true);
	nor_chip_transfer(c, 0x9f, 1);
	nor_chip_select(c, false);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 1);
	nor_chip_select(c, true);
	nor_chip_transfer_dtr(c, 0x06, 8, true);
	nor_chip_transfer_dtr(c, 0x06, 8, true);
	nor_chip_select(c, false);
	assert_int_equal(o_rdsr(c, true) & SR1_WEL, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 2);
	o_cmd(c, 0x06, false);
	assert_int_equal(o_rdsr(c, true) & SR1_WEL, 0);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 3);
	o_read(c, 0xec, 0, 20, buf, 4, true, true);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 4);
	/* page program data sent single rate in DTR OPI: garbled, logged once */
	o_cmd(c, 0x06, true);
	o_begin(c, 0x12, true);
	o_addr(c, 0x2000, true);
	nor_chip_transfer_dtr(c, 0x55, 8, false);
	nor_chip_select(c, false);
	o_wait_ready(c, true);
	assert_int_equal(b->array[0x2000], (uint8_t)~0x55);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 5);

	/* back to SPI: WRCR2@0 = 00h (a DTR pair) */
	wrcr2(c, 2, 0, 0x00);
	assert_int_equal(nor_chip_octal_mode(c), 0);
	xfer(c, 0x9f, NULL, 0, buf, 3);
	assert_memory_equal(buf, ((const uint8_t[]){ 0xc2, 0x85, 0x3a }), 3);
	/* and back by reset: 6699h, 9966h */
	wrcr2(c, 0, 0, 0x02);
	o_cmd(c, 0x66, true);
	o_cmd(c, 0x99, true);
	assert_int_equal(nor_chip_octal_mode(c), 0);
	assert_int_equal(rdreg(c, 0x05), 0x00);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 5);
	assert_true(nor_chip_counters(c)->bytes_dtr > 0);
	assert_true(nor_chip_counters(c)->bytes_by_lines[8] >= nor_chip_counters(c)->bytes_dtr);
	bench_free(b);
}

static void test_mx25lm51245g_str_opi(void **state)
{
	struct bench *b = bench_new("mx25lm51245g", NOR_TIMING_INSTANT, NULL);
	struct nor_chip *c = b->chip;
	uint8_t buf[8], sr;
	const uint8_t data[4] = { 0xa1, 0xb2, 0xc3, 0xd4 };
	uint64_t misuse;

	(void)state;
	wrcr2(c, 0, 0, 0x01);
	assert_int_equal(nor_chip_octal_mode(c), 1);
	misuse = nor_chip_counters(c)->misuse;
	o_read(c, 0x9f, 0, 4, buf, 3, false, false);	/* STR: no pairs */
	assert_memory_equal(buf, ((const uint8_t[]){ 0xc2, 0x85, 0x3a }), 3);
	o_cmd(c, 0x06, false);
	o_read(c, 0x05, 0, 4, &sr, 1, false, false);
	assert_int_equal(sr, SR1_WEL);
	o_write(c, 0x12, 0x02000000, data, 4, false);
	o_wait_ready(c, false);
	assert_memory_equal(b->array + 0x02000000, data, 4);
	/* EC13h 8READ: 20 dummy clocks */
	o_read(c, 0xec, 0x02000000, 20, buf, 4, false, false);
	assert_memory_equal(buf, data, 4);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse);
	/* EE11h is the DTR read: refused here; DTR bytes are misuse */
	o_read(c, 0xee, 0x02000000, 20, buf, 4, false, false);
	assert_int_equal(buf[0], 0xff);
	o_cmd(c, 0x06, true);
	assert_int_equal(nor_chip_counters(c)->misuse, misuse + 2);
	wrcr2(c, 1, 0, 0x00);
	assert_int_equal(nor_chip_octal_mode(c), 0);
	bench_free(b);
}

/* ---- the same checklist on every part ---------------------------------- */

/* Set QE the way the part's family documents it (nor-chips.md section 4). */
static void set_qe(struct bench *b)
{
	enum nor_family fam = nor_part_find(nor_chip_name(b->chip))->family;

	if (fam == NOR_FAMILY_MICRON)
		return;		/* no QE bit */
	if (fam == NOR_FAMILY_WINBOND || fam == NOR_FAMILY_GIGADEVICE)
		write_sr(b->chip, 0x31, (const uint8_t[]){ 0x02 }, 1);
	else
		write_sr(b->chip, 0x01, (const uint8_t[]){ 0x40 }, 1);
}

static bool qe_is_set(struct bench *b)
{
	enum nor_family fam = nor_part_find(nor_chip_name(b->chip))->family;

	if (fam == NOR_FAMILY_MICRON)
		return true;	/* quad commands always work */

	if (fam == NOR_FAMILY_WINBOND || fam == NOR_FAMILY_GIGADEVICE)
		return rdreg(b->chip, 0x35) & 0x02;
	return rdreg(b->chip, 0x05) & 0x40;
}

static void test_generic_every_part(void **state)
{
	(void)state;
	for (size_t p = 0; p < sizeof(id_table) / sizeof(id_table[0]); p++) {
		const char *name = id_table[p].part;
		const struct nor_part *part = nor_part_find(name);
		struct bench *b = bench_new(name, NOR_TIMING_INSTANT, NULL);
		struct nor_chip *c = b->chip;
		uint8_t data[0x20], buf[4];
		uint64_t misuse;

		/* WEL set / clear */
		cmd0(c, 0x06);
		assert_int_equal(rdreg(c, 0x05), SR1_WEL);
		cmd0(c, 0x04);
		assert_int_equal(rdreg(c, 0x05), 0);
		/* program without WEL is ignored */
		xfer(c, 0x02, (const uint8_t[]){ 0, 0x10, 0, 0 }, 4, NULL, 0);
		assert_int_equal(b->array[0x1000], 0xff);
		/* AND semantics */
		program_byte(c, 0x1000, 0xf0);
		program_byte(c, 0x1000, 0x3c);
		assert_int_equal(b->array[0x1000], 0x30);
		assert_int_equal(rdreg(c, 0x05) & SR1_WEL, 0);
		/* page wrap */
		for (int i = 0; i < 0x20; i++)
			data[i] = (uint8_t)(i + 1);
		program(c, 0x02, 0x20f8, 3, data, 0x10, 1);
		assert_memory_equal(b->array + 0x20f8, data, 8);
		assert_memory_equal(b->array + 0x2000, data + 8, 8);
		assert_int_equal(b->array[0x2100], 0xff);
		/* erase sizes, address inside the block */
		check_erase(c, b->array, 0x20, 0x7ff, 4096);
		if (part->flags & NOR_PART_NO_ERASE_32K) {
			misuse = nor_chip_counters(c)->misuse;
			b->array[0x18000] = 0x00;
			wren(c);
			xfer(c, 0x52, (const uint8_t[]){ 0x01, 0x80, 0x00 }, 3, NULL, 0);
			cmd0(c, 0x04);
			assert_int_equal(b->array[0x18000], 0x00);
			assert_int_equal(nor_chip_counters(c)->misuse, misuse + 1);
		} else {
			check_erase(c, b->array, 0x52, 0x18001, 32768);
		}
		check_erase(c, b->array, 0xd8, 0x3ffff, 65536);
		if (part->family == NOR_FAMILY_ISSI)
			check_erase(c, b->array, 0xd7, 0x5555, 4096);
		/* QE gating of 6Bh, EBh and the quad page program */
		b->array[0x40] = 0x99;
		misuse = nor_chip_counters(c)->misuse;
		if (part->flags & NOR_PART_OCTAL) {
			/* single and octal I/O only: 6Bh and EBh are unknown opcodes */
			read_lines(c, 0x6b, 0x40, 3, 1, -1, 8, 4, buf, 1, true);
			assert_int_equal(buf[0], 0xff);
			read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 4, 4, buf, 1, true);
			assert_int_equal(buf[0], 0xff);
			assert_int_equal(nor_chip_counters(c)->misuse, misuse + 2);
			erase(c, 0xc7, 0, 0);
			assert_int_equal(b->array[0x40], 0xff);
			assert_int_equal(b->array[0x1000], 0xff);
			bench_free(b);
			continue;
		}
		if (part->qe_mask) {
			assert_false(qe_is_set(b));
			read_lines(c, 0x6b, 0x40, 3, 1, -1, 8, 4, buf, 1, true);
			assert_int_equal(buf[0], 0xff);
			read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 4, 4, buf, 1, true);
			assert_int_equal(buf[0], 0xff);
			assert_int_equal(nor_chip_counters(c)->misuse, misuse + 2);
			set_qe(b);
			assert_true(qe_is_set(b));
		}
		read_lines(c, 0x6b, 0x40, 3, 1, -1, 8, 4, buf, 1, true);
		assert_int_equal(buf[0], 0x99);
		if (part->family == NOR_FAMILY_MICRON)	/* 10 dummy clocks, no mode byte */
			read_lines(c, 0xeb, 0x40, 3, 4, -1, 10, 4, buf, 1, true);
		else
			read_lines(c, 0xeb, 0x40, 3, 4, 0x00, 4, 4, buf, 1, true);
		assert_int_equal(buf[0], 0x99);
		wren(c);
		nor_chip_select(c, true);
		if (part->flags & NOR_PART_PP_32) {
			nor_chip_transfer(c, 0x32, 1);
			put_addr(c, 0x300, 3, 1);
		} else {
			nor_chip_transfer(c, 0x38, 1);
			put_addr(c, 0x300, 3, 4);
		}
		nor_chip_transfer(c, 0x5a, 4);
		nor_chip_select(c, false);
		wait_ready(c);
		assert_int_equal(b->array[0x300], 0x5a);
		/* the two refused quad reads; Micron has no QE and refuses none */
		assert_int_equal(nor_chip_counters(c)->misuse, misuse + (part->qe_mask ? 2 : 0));
		/* chip erase */
		erase(c, 0xc7, 0, 0);
		assert_int_equal(b->array[0x300], 0xff);
		assert_int_equal(b->array[0x1000], 0xff);
		bench_free(b);
	}
}

/*
 * The part's SFDP describes what the model does: every fast read the BFPT
 * lists works with exactly the clocks it gives (mode + wait), every erase
 * type erases its aligned block, and QER names the QE bit the chip uses.
 */
static void test_sfdp_matches_behaviour(void **state)
{
	(void)state;
	for (size_t p = 0; p < sizeof(id_table) / sizeof(id_table[0]); p++) {
		const char *name = id_table[p].part;
		struct bench *b = bench_new(name, NOR_TIMING_INSTANT, NULL);
		struct nor_chip *c = b->chip;
		uint8_t hdr[16], bfpt[64], buf[4];
		const uint8_t pat[4] = { 0x0f, 0xf0, 0x5a, 0xa5 };
		uint32_t ptr, dw1, dw3, dw4;
		unsigned int ndw;
		struct {
			unsigned int bit;	/* DW1 support bit */
			uint32_t dw;		/* DW3 or DW4 */
			unsigned int shift;	/* 0 or 16 */
			unsigned int alines, dlines;
		} reads[4];

		read_sfdp(c, 0, hdr, sizeof(hdr));
		ndw = hdr[11];
		ptr = hdr[12] | hdr[13] << 8 | hdr[14] << 16;
		read_sfdp(c, ptr, bfpt, sizeof(bfpt));
		dw1 = le32(bfpt);
		dw3 = le32(bfpt + 8);
		dw4 = le32(bfpt + 12);

		/* QE: QER (DW15) where present, else the family rule */
		if (ndw >= 15) {
			unsigned int qer = (le32(bfpt + 56) >> 20) & 7;

			if (qer == 2) {
				write_sr(c, 0x01, (const uint8_t[]){ 0x40 }, 1);
			} else {
				assert_true(qer == 1 || qer == 4 || qer == 5);
				write_sr(c, 0x01, (const uint8_t[]){ 0x00, 0x02 }, 2);
			}
			assert_true(qe_is_set(b));
		} else {
			set_qe(b);
		}
		program(c, 0x02, 0x1230, 3, pat, 4, 1);

		reads[0].bit = 16; reads[0].dw = dw4; reads[0].shift = 0;  reads[0].alines = 1; reads[0].dlines = 2;
		reads[1].bit = 20; reads[1].dw = dw4; reads[1].shift = 16; reads[1].alines = 2; reads[1].dlines = 2;
		reads[2].bit = 21; reads[2].dw = dw3; reads[2].shift = 0;  reads[2].alines = 4; reads[2].dlines = 4;
		reads[3].bit = 22; reads[3].dw = dw3; reads[3].shift = 16; reads[3].alines = 1; reads[3].dlines = 4;
		for (int r = 0; r < 4; r++) {
			uint32_t f = reads[r].dw >> reads[r].shift;
			unsigned int clocks = (f & 0x1f) + ((f >> 5) & 7);
			uint8_t opcode = (uint8_t)(f >> 8);

			if (nor_part_find(name)->flags & NOR_PART_OCTAL) {
				/* no dual/quad reads: the BFPT must not list any */
				assert_false(dw1 & (1u << reads[r].bit));
				continue;
			}
			assert_true(dw1 & (1u << reads[r].bit));
			memset(buf, 0, sizeof(buf));
			read_lines(c, opcode, 0x1230, 3, reads[r].alines, -1, clocks,
				   reads[r].dlines, buf, 4, true);
			if (memcmp(buf, pat, 4) != 0)
				fail_msg("%s: SFDP read %02xh with %u clocks returned %02x %02x %02x %02x",
					 name, opcode, clocks, buf[0], buf[1], buf[2], buf[3]);
		}
		/* erase types (DW8, DW9) */
		for (int t = 0; t < 4; t++) {
			const uint8_t *e = bfpt + 28 + 2 * t;

			if (e[0] == 0)
				continue;
			check_erase(c, b->array, e[1], 0x120000 + 0x777, 1u << e[0]);
		}
		assert_int_equal(dw1 & 3, 1);			/* 4K erase everywhere ... */
		assert_int_equal((dw1 >> 8) & 0xff, 0x20);	/* ... by 20h */
		assert_int_equal(nor_chip_counters(c)->misuse, 0);
		bench_free(b);
	}
}

static int print_summary(void **state)
{
	(void)state;
	printf("nor chip checklist: %u parts, %u W25Q128JV protection rows (SEC/TB/BP x CMP), "
	       "%u SFDP bytes compared with real dumps\n",
	       summary_parts, summary_protection_rows, summary_sfdp_bytes);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_part_list),
		cmocka_unit_test(test_jedec_id_and_size),
		cmocka_unit_test(test_sfdp_dumps),
		cmocka_unit_test(test_sfdp_header_every_part),
		cmocka_unit_test(test_sfdp_micron_family_dump),
		cmocka_unit_test(test_sfdp_in_4byte_mode),
		cmocka_unit_test(test_wel_rules),
		cmocka_unit_test(test_program_and_semantics_and_page_wrap),
		cmocka_unit_test(test_erase_sizes_and_alignment),
		cmocka_unit_test(test_w25q128jv_protection_table),
		cmocka_unit_test(test_four_bp_protection),
		cmocka_unit_test(test_status_register_protection),
		cmocka_unit_test(test_qe_gating),
		cmocka_unit_test(test_continuous_read_mode),
		cmocka_unit_test(test_wrong_lines_is_misuse),
		cmocka_unit_test(test_w25q256jv_4byte),
		cmocka_unit_test(test_sfdp_w25q64jv_from_jv_dump),
		cmocka_unit_test(test_reset_and_power_down),
		cmocka_unit_test(test_instant_wip_then_clear),
		cmocka_unit_test(test_typical_timing_and_power_cut),
		cmocka_unit_test(test_typical_completion_without_page_fault),
		cmocka_unit_test(test_datasheet_timings_per_part),
		cmocka_unit_test(test_clock_above_datasheet_maximum),
		cmocka_unit_test(test_faults),
		cmocka_unit_test(test_issi_qe_and_dummy_config),
		cmocka_unit_test(test_macronix_registers),
		cmocka_unit_test(test_gigadevice_uid),
		cmocka_unit_test(test_micron_n25q128a),
		cmocka_unit_test(test_micron_mt25ql512a_4byte),
		cmocka_unit_test(test_mx25r6435f_registers),
		cmocka_unit_test(test_mx25lm51245g_spi),
		cmocka_unit_test(test_mx25lm51245g_dtr_opi),
		cmocka_unit_test(test_mx25lm51245g_str_opi),
		cmocka_unit_test(test_generic_every_part),
		cmocka_unit_test(test_sfdp_matches_behaviour),
	};

	return cmocka_run_group_tests(tests, NULL, print_summary);
}
