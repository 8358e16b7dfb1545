// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_stub_gen: host tool that turns the linked stub images (one per
 * controller backend) into the C array initializer
 * src/flash/nor/spiram_stub.inc: the images back to back, each starting
 * with its struct spiram_stub_header (the next one starts at image_size).
 *
 *   spiram_stub_gen OUT.inc IMAGE.bin...
 *
 * For each image it checks the header against spiram_contract.h (magic,
 * version, header size, image size, entry/exit offsets inside the image),
 * fills image_crc32 (spiram_crc32 of the image with that field as 0) and
 * writes 12 bytes per line.  The output depends only on the image bytes: no time,
 * no path, so it is reproducible byte for byte.
 */

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spiram_contract.h"
#include "spiram_crc.h"

static uint32_t gen_get_u32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void gen_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

#define GEN_FIELD(name)	gen_get_u32(image + offsetof(struct spiram_stub_header, name))

static int gen_image(const char *path, FILE *out)
{
	static uint8_t image[65536];

	FILE *in = fopen(path, "rb");
	if (!in) {
		perror(path);
		return 1;
	}
	size_t size = fread(image, 1, sizeof(image), in);
	fclose(in);

	const char *err = NULL;
	if (size < sizeof(struct spiram_stub_header) || size == sizeof(image) || (size & 3))
		err = "image size out of range or not a multiple of 4";
	else if (GEN_FIELD(magic) != SPIRAM_STUB_MAGIC)
		err = "magic differs from SPIRAM_STUB_MAGIC (fix stub_entry.S)";
	else if (GEN_FIELD(version) != SPIRAM_STUB_VERSION)
		err = "version differs from SPIRAM_STUB_VERSION (fix stub_entry.S)";
	else if (GEN_FIELD(header_size) != sizeof(struct spiram_stub_header))
		err = "header_size differs from sizeof(struct spiram_stub_header) (fix stub_entry.S)";
	else if (GEN_FIELD(image_size) != size)
		err = "image_size in the header differs from the file size (check stub.ld)";
	else if (GEN_FIELD(entry_offset) >= size || (GEN_FIELD(entry_offset) & 1))
		err = "entry_offset outside the image or odd";
	else if (GEN_FIELD(exit_offset) >= size || (GEN_FIELD(exit_offset) & 1))
		err = "exit_offset outside the image or odd";
	else if (GEN_FIELD(stack_size) < SPIRAM_MIN_STACK_SIZE)
		err = "stack_size below SPIRAM_MIN_STACK_SIZE";
	if (err) {
		fprintf(stderr, "%s: %s\n", path, err);
		return 1;
	}

	uint8_t *crc_field = image + offsetof(struct spiram_stub_header, image_crc32);
	gen_put_u32(crc_field, 0);
	uint32_t crc = spiram_crc32(image, size);
	gen_put_u32(crc_field, crc);

	fprintf(out, "/* image: capabilities 0x%08x, %zu bytes, image_crc32 0x%08x */\n",
		GEN_FIELD(capabilities), size, crc);
	for (size_t i = 0; i < size; i++)
		fprintf(out, "0x%02x,%s", image[i], (i % 12 == 11 || i + 1 == size) ? "\n" : " ");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s OUT.inc IMAGE.bin...\n", argv[0]);
		return 2;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	/* The tag as an argument: checkpatch would take it for this file's own. */
	fprintf(out, "/* %s: GPL-2.0-or-later */\n", "SPDX-License-Identifier");
	fprintf(out, "/* GENERATED FILE, do not edit: the spiram_loader target stub images, one\n");
	fprintf(out, " * per controller backend, back to back; each starts with its struct\n");
	fprintf(out, " * spiram_stub_header and the next starts image_size bytes later.  Built\n");
	fprintf(out, " * from stub/ by stub/build.sh and stub/spiram_stub_gen.c; `make check`\n");
	fprintf(out, " * rebuilds it and fails when it differs (tests/stub/check_inc.sh). */\n");
	for (int i = 2; i < argc; i++) {
		if (gen_image(argv[i], out)) {
			fclose(out);
			remove(argv[1]);
			return 1;
		}
	}
	if (fclose(out)) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
