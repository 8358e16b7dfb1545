/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_stub image start: the struct spiram_stub_header (offset 0), the
 * entry point and the exit breakpoint.
 *
 * The host sets sp, puts the address of struct spiram_params in r0 and
 * starts at header + entry_offset; the stub returns to the exit, whose
 * BKPT halts the core at header + exit_offset, with r1-r3, r12, lr and sp
 * as the host left them.
 *
 * Invariants: the numbers below mirror spiram_contract.h (which is C only);
 * the generator (spiram_stub_gen.c) checks magic, version and header size
 * against the contract and fails the build when they drift.  Offsets are
 * differences inside this section, so they do not depend on the link
 * address.
 */

	.syntax unified
	.thumb

	.section .text.header, "ax", %progbits
	.balign 4
	.global spiram_stub_header
spiram_stub_header:
	.word 0x4c525053			/* magic: SPIRAM_STUB_MAGIC "SPRL" */
	.word 5					/* version: SPIRAM_STUB_VERSION */
	.word 48				/* header_size */
	.word __stub_image_size			/* image_size (linker script) */
	.word .Lentry - spiram_stub_header	/* entry_offset (plain labels: bit 0 clear) */
	.word .Lexit - spiram_stub_header	/* exit_offset */
	/* capabilities: the backend of this image (STUB_CAPS from build.sh:
	 * SPIRAM_CAP_CTRL_*, plus MEMMAP for QUADSPI) | WRITE_STREAM |
	 * READ_STREAM | CRC32 | BLANK_CHECK | PAGE_VERIFY | RAW_CMD | SECTOR_CRC |
	 * SPAN_CRC | BLANK_MAP | READ_LZ | WRITE_LZ | WRITE_CHECK */
	.word STUB_CAPS | 0x001fbf00
	.word 1024				/* stack_size: >= the measured worst case */
	.word STUB_MIN_ARCH			/* min_arch: SPIRAM_ARCH_V6M or _V7M (build.sh) */
	.word 0					/* image_crc32: filled by the generator */
	.word 0, 0				/* reserved */

/*
 * r1-r3, r12 and lr come back as the host left them, so that OpenOCD
 * finds them unchanged at the halt and has no register to restore before
 * the next run (each restore is a probe round trip or more: 3 ms on an
 * ST-Link).  r4-r11 and sp are kept by the C code (AAPCS); r0 and sp are
 * the host's parameters, and OpenOCD rewrites pc and xPSR itself.
 */
.Lentry:
	.thumb_func
	.global spiram_stub_entry
spiram_stub_entry:
#if __ARM_ARCH_ISA_THUMB >= 2
	push.w	{r1, r2, r3, r12, lr}
	bl	spiram_stub_gate
	pop.w	{r1, r2, r3, r12, lr}
#else
	push	{r1, r2, r3, lr}
	mov	r1, r12
	push	{r1}
	bl	spiram_stub_gate
	pop	{r1}
	mov	r12, r1
	pop	{r1, r2, r3}
	pop	{r0}
	mov	lr, r0
#endif
.Lexit:
	bkpt	#0
	b	.Lexit
