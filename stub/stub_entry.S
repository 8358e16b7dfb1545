/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_stub image start: the struct spiram_stub_header (offset 0), the
 * entry point and the exit breakpoint.
 *
 * The host sets sp, puts the address of struct spiram_params in r0 and
 * starts at header + entry_offset; the stub returns to spiram_stub_exit,
 * whose BKPT halts the core at header + exit_offset.
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

.Lentry:
	.thumb_func
	.global spiram_stub_entry
spiram_stub_entry:
	bl	spiram_stub_main
.Lexit:
	bkpt	#0
	b	.Lexit
