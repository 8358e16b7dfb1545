/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Helpers shared by the helper-module unit tests: loading the SFDP hex
 * dumps of tests/data/sfdp/ from the source tree ($srcdir, default ".").
 */

#ifndef SPIRAM_TEST_UTIL_H
#define SPIRAM_TEST_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Read tests/data/sfdp/<name>.hex (hex digits, any whitespace) into buf.
 * Returns the byte count, or -1 (with a message on stderr) on failure.
 */
static inline long spiram_test_load_sfdp(const char *name, uint8_t *buf, size_t size)
{
	const char *srcdir = getenv("srcdir");
	char path[1024];

	if (!srcdir || !*srcdir)
		srcdir = ".";
	snprintf(path, sizeof(path), "%s/tests/data/sfdp/%s.hex", srcdir, name);
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "cannot open %s (set srcdir to the source tree)\n", path);
		return -1;
	}

	long count = 0;
	int high = -1;
	int c;
	while ((c = fgetc(f)) != EOF) {
		int nibble;
		if (c >= '0' && c <= '9')
			nibble = c - '0';
		else if (c >= 'a' && c <= 'f')
			nibble = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			nibble = c - 'A' + 10;
		else
			continue;
		if (high < 0) {
			high = nibble;
			continue;
		}
		if ((size_t)count >= size) {
			fclose(f);
			fprintf(stderr, "%s larger than %zu bytes\n", path, size);
			return -1;
		}
		buf[count++] = (uint8_t)(high << 4 | nibble);
		high = -1;
	}
	fclose(f);
	return count;
}

#endif /* SPIRAM_TEST_UTIL_H */
