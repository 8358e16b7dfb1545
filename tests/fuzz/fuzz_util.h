/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Helpers shared by the libFuzzer harnesses of tests/fuzz: a reader that
 * takes fixed-size fields off the front of the fuzzer's input (zeros once
 * it runs out, so every input is valid), and FUZZ_CHECK, which reports a
 * broken invariant and aborts so that libFuzzer records the input.
 */

#ifndef SPIRAM_FUZZ_UTIL_H
#define SPIRAM_FUZZ_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond, ...) do { \
		if (!(cond)) { \
			fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__, #cond); \
			fprintf(stderr, __VA_ARGS__); \
			fputc('\n', stderr); \
			abort(); \
		} \
	} while (0)

struct fuzz_reader {
	const uint8_t *data;
	size_t size;
};

static inline uint8_t fuzz_u8(struct fuzz_reader *r)
{
	if (!r->size)
		return 0;
	r->size--;
	return *r->data++;
}

static inline uint32_t fuzz_u32(struct fuzz_reader *r)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < 4; i++)
		v |= (uint32_t)fuzz_u8(r) << (8 * i);
	return v;
}

static inline uint64_t fuzz_u64(struct fuzz_reader *r)
{
	uint64_t low = fuzz_u32(r);

	return low | (uint64_t)fuzz_u32(r) << 32;
}

static inline bool fuzz_is_pow2(uint64_t v)
{
	return v && !(v & (v - 1));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* SPIRAM_FUZZ_UTIL_H */
