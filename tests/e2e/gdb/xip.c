/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * A tiny Cortex-M7 program that runs in place from the QUADSPI flash at
 * 0x90000000 (memory-mapped), for tests/e2e/test_usedby_gdb.sh.
 *
 * GDB loads it, sets SP and PC to xip_entry and a hardware breakpoint on
 * xip_done.  xip_entry hashes a constant table that lives in the flash
 * too (so both instruction fetches and data reads go through the
 * memory-mapped window), records the PC it ran at, and calls xip_done.
 * The test recomputes the hash on the host:
 *     acc = 0; for i in 0..63: acc = (acc * 33) ^ (0x9E3779B9 * (i + 1))
 * and checks xip_result == { acc, 0x600DF00D, pc in [0x90000000, ...) }.
 * xip_pad makes the image span several 4 KiB sectors.
 */

#include <stdint.h>

#define T(i)	(0x9E3779B9u * ((i) + 1u))
#define T8(i)	T(i), T(i + 1), T(i + 2), T(i + 3), T(i + 4), T(i + 5), T(i + 6), T(i + 7)

const uint32_t xip_table[64] = {
	T8(0), T8(8), T8(16), T8(24), T8(32), T8(40), T8(48), T8(56),
};

/* 9 KiB of a known pattern: the image crosses two sector lines */
#define P(i)	(0xA5000000u | (i))
#define P8(i)	P(i), P(i + 1), P(i + 2), P(i + 3), P(i + 4), P(i + 5), P(i + 6), P(i + 7)
#define P64(i)	P8(i), P8(i + 8), P8(i + 16), P8(i + 24), P8(i + 32), P8(i + 40), P8(i + 48), P8(i + 56)
__attribute__((used)) const uint32_t xip_pad[2304] = {
	P64(0), P64(64), P64(128), P64(192), P64(256), P64(320), P64(384), P64(448),
	P64(512), P64(576), P64(640), P64(704), P64(768), P64(832), P64(896), P64(960),
	P64(1024), P64(1088), P64(1152), P64(1216), P64(1280), P64(1344), P64(1408), P64(1472),
	P64(1536), P64(1600), P64(1664), P64(1728), P64(1792), P64(1856), P64(1920), P64(1984),
	P64(2048), P64(2112), P64(2176), P64(2240),
};

/* in RAM (NOLOAD): { hash, 0x600DF00D, PC seen while running } */
volatile uint32_t xip_result[3];

__attribute__((noinline)) void xip_done(void)
{
	__asm__ volatile ("" ::: "memory");
	for (;;)
		;
}

__attribute__((section(".text.xip_entry"), noreturn)) void xip_entry(void)
{
	uint32_t acc = 0;
	uint32_t pc;

	for (unsigned int i = 0; i < 64; i++)
		acc = (acc * 33u) ^ xip_table[i];
	__asm__ volatile ("mov %0, pc" : "=r" (pc));
	xip_result[0] = acc;
	xip_result[1] = 0x600DF00Du;
	xip_result[2] = pc;
	xip_done();
	for (;;)
		;
}
