/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * spiram_loader: the contract between the OpenOCD driver, the target stub
 * and the tests.
 *
 * This header is the only place where the numbers shared by the host and the
 * stub live: the image header and its magic, the parameter block, the op
 * codes, the status codes and the framing of the write stream.  It is plain
 * C99 with fixed-width types so that it compiles unchanged for the host
 * (driver, tests, simulator) and for arm-none-eabi (the stub).
 *
 * Invariants:
 *  - every structure is made of naturally aligned 32-bit words, so host and
 *    target agree on the layout without packing attributes;
 *  - all multi-byte values are little endian (every Cortex-M target the
 *    stub supports is little endian); the host converts with
 *    buf_get_u32()/target_buffer_get_u32();
 *  - 0 means success everywhere (SPIRAM_OK), as in CMSIS FlashOS;
 *  - adding a field or an op bumps SPIRAM_STUB_VERSION.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_CONTRACT_H
#define OPENOCD_FLASH_NOR_SPIRAM_CONTRACT_H

#include <stdint.h>

/*
 * BIT() as OpenOCD's helper/bits.h defines it, for the builds that do not
 * see that header: the stub, the simulator and the unit tests.  It is an
 * unsigned long, 32 bits in the stub and 64 on a 64-bit host; every flag
 * below fits in 32 bits and is used as one.  Inside OpenOCD the two
 * definitions are the same, so either may come first.
 */
#ifndef BIT
#define BIT(nr) (1UL << (nr))
#endif

/* "SPRL" little endian: the first word of every stub image. */
#define SPIRAM_STUB_MAGIC		0x4c525053u
#define SPIRAM_STUB_VERSION		5u

/* ------------------------------------------------------------------------
 * Stub image header: the first bytes of the image, at the load address.
 * Offsets are relative to the load address, so the image can run from any
 * work area (the stub is position independent, with no GOT).
 *
 * spiram_stub.inc holds one image per controller backend (each within the
 * 8 KiB budget), back to back, QUADSPI first: the next header starts
 * image_size bytes after this one.  Upload the image whose capabilities
 * contain the SPIRAM_CAP_CTRL_* bit of the bank's controller.
 * ------------------------------------------------------------------------ */
struct spiram_stub_header {
	uint32_t magic;			/* SPIRAM_STUB_MAGIC */
	uint32_t version;		/* SPIRAM_STUB_VERSION */
	uint32_t header_size;		/* sizeof(struct spiram_stub_header) */
	uint32_t image_size;		/* bytes to upload, header included */
	uint32_t entry_offset;		/* Thumb entry, bit 0 clear */
	uint32_t exit_offset;		/* address of the final BKPT */
	uint32_t capabilities;		/* SPIRAM_CAP_* */
	uint32_t stack_size;		/* bytes of stack the stub needs, >= measured */
	uint32_t min_arch;		/* SPIRAM_ARCH_*: lowest core that runs it */
	uint32_t image_crc32;		/* CRC-32 of the image with this field as 0, as OpenOCD's
				 * image_calculate_checksum (spiram_crc.h) */
	uint32_t reserved[2];
};

#define SPIRAM_ARCH_V6M			0u	/* Cortex-M0/M0+/M1 and up */
#define SPIRAM_ARCH_V7M			1u	/* Cortex-M3/M4/M7 and up */

/* Capability bits: what this build of the stub can do. */
#define SPIRAM_CAP_CTRL_STM32_QSPI	BIT(0)
#define SPIRAM_CAP_CTRL_STM32_SPI	BIT(1)
#define SPIRAM_CAP_CTRL_GPIO		BIT(2)
#define SPIRAM_CAP_CTRL_STM32_OSPI	BIT(3)
#define SPIRAM_CAP_WRITE_STREAM		BIT(8)
#define SPIRAM_CAP_READ_STREAM		BIT(9)
#define SPIRAM_CAP_CRC32		BIT(10)
#define SPIRAM_CAP_BLANK_CHECK		BIT(11)
#define SPIRAM_CAP_PAGE_VERIFY		BIT(12)
#define SPIRAM_CAP_RAW_CMD		BIT(13)
#define SPIRAM_CAP_MEMMAP		BIT(14)
#define SPIRAM_CAP_SECTOR_CRC		BIT(15)
#define SPIRAM_CAP_SPAN_CRC		BIT(16)
#define SPIRAM_CAP_BLANK_MAP		BIT(17)
#define SPIRAM_CAP_READ_LZ		BIT(18)
#define SPIRAM_CAP_WRITE_LZ		BIT(19)
#define SPIRAM_CAP_WRITE_CHECK		BIT(20)

/* Value written at the bottom of the stub's stack before each run; the
 * driver checks it afterwards to detect a stack overflow. */
#define SPIRAM_STACK_CANARY		0x5ca1ab1eu

/* ------------------------------------------------------------------------
 * Op codes: params.op selects what one run of the stub does.
 * ------------------------------------------------------------------------ */
enum spiram_op {
	SPIRAM_OP_NOP = 0,		/* init controller, restore, exit: a self test */
	SPIRAM_OP_PROBE = 1,		/* JEDEC ID -> result; SFDP [addr, len) -> buffer */
	SPIRAM_OP_READ_STREAM = 2,	/* [addr, len) to the host through the read FIFO */
	SPIRAM_OP_WRITE_STREAM = 3,	/* execute frames (erase, program...) from the write FIFO */
	SPIRAM_OP_CRC32 = 4,		/* CRC32 of [addr, len) -> result */
	SPIRAM_OP_BLANK_CHECK = 5,	/* first non-0xFF in [addr, len) -> fail_addr */
	SPIRAM_OP_READ_STATUS = 6,	/* SR1 | SR2 << 8 | SR3 << 16 -> result */
	SPIRAM_OP_WRITE_STATUS = 7,	/* write SR per params.sr_* */
	SPIRAM_OP_RAW = 8,		/* raw transaction, see struct spiram_raw */
	SPIRAM_OP_MEMMAP_ENTER = 9,	/* leave the controller memory-mapped */
	SPIRAM_OP_MEMMAP_LEAVE = 10,	/* leave the controller in indirect mode */
	SPIRAM_OP_ERASE_CHIP = 11,	/* whole-chip erase */
	SPIRAM_OP_RESET_CHIP = 12,	/* 0x66/0x99 software reset */
	SPIRAM_OP_SECTOR_CRC = 13,	/* CRC32 of each sector of [addr, len) -> buffer */
	SPIRAM_OP_SPAN_CRC = 14,	/* CRC32 of each piece of [addr, len) cut at sectors -> buffer */
	SPIRAM_OP_BLANK_MAP = 15,	/* one bit per sector of [addr, len), 1 = blank -> buffer */
	SPIRAM_OP_READ_LZ = 16,		/* [addr, len) to the host as compressed frames */
	SPIRAM_OP_COUNT
};

/* ------------------------------------------------------------------------
 * Status codes: params.status after a run.  0 is success.
 * ------------------------------------------------------------------------ */
enum spiram_status {
	SPIRAM_OK = 0,
	SPIRAM_ERR_BAD_OP = 1,		/* op or param block not understood */
	SPIRAM_ERR_BAD_PARAM = 2,	/* a parameter is out of range */
	SPIRAM_ERR_NO_CONTROLLER = 3,	/* backend not built in, or regs absent */
	SPIRAM_ERR_TIMEOUT = 4,		/* busy bit did not clear in time */
	SPIRAM_ERR_WEL = 5,		/* write enable latch did not set */
	SPIRAM_ERR_VERIFY = 6,		/* read-back differs: fail_addr is the first byte */
	SPIRAM_ERR_NOT_BLANK = 7,	/* blank check: fail_addr is the first non-0xFF */
	SPIRAM_ERR_BAD_FRAME = 8,	/* write stream framing broken */
	SPIRAM_ERR_ABORTED = 9,		/* host set wp/rp to 0 */
	SPIRAM_ERR_CONTROLLER = 10,	/* controller flagged an error (TEF...) */
	SPIRAM_ERR_NO_CHIP = 11,	/* JEDEC ID all 0x00 or all 0xFF */
	SPIRAM_ERR_PROTECTED = 12,	/* program/erase ignored: range protected */
	SPIRAM_ERR_CRC = 13,		/* a CHECK frame's piece differs: fail_addr is its start */
	SPIRAM_ERR_IMAGE = 14,		/* the image in RAM does not hash to params.image_hash */
	SPIRAM_ERR_COUNT
};

/* ------------------------------------------------------------------------
 * Controllers (the stub's backends).
 * ------------------------------------------------------------------------ */
enum spiram_ctrl_type {
	SPIRAM_CTRL_STM32_QSPI = 1,	/* STM32 QUADSPI (F7/H7/L4 layout) */
	SPIRAM_CTRL_STM32_SPI = 2,	/* STM32F1/F4, GD32F30x SPI v1 + GPIO CS */
	SPIRAM_CTRL_GPIO = 3,		/* bit-bang on memory-mapped GPIO */
	SPIRAM_CTRL_STM32_OSPI = 4,	/* STM32 OCTOSPI (H7A3/H7B0/H72x/H73x layout), 1/2/4 lines */
};

/*
 * One GPIO pin, described only by addresses so that the stub works on any
 * MCU whose GPIO can be set, cleared and read through memory:
 * writing (1 << bit) to set_reg drives it high, to clr_reg drives it low,
 * and (*in_reg >> bit) & 1 reads it.  set_reg == 0 means "pin not used".
 * On STM32/GD32 F1: set_reg = BSRR, clr_reg = BRR (or BSRR with bit + 16
 * encoded by clr_shift = 16), in_reg = IDR.
 */
struct spiram_pin {
	uint32_t set_reg;		/* address written with 1 << bit to drive high */
	uint32_t clr_reg;		/* address written with 1 << (bit + clr_shift) to drive low */
	uint32_t in_reg;		/* address read for the input level */
	uint32_t bit;			/* pin number inside the port, 0..31 */
	uint32_t clr_shift;		/* 16 when clr_reg is a BSRR-style register, else 0 */
};

enum spiram_gpio_pin_index {
	SPIRAM_PIN_CS = 0,
	SPIRAM_PIN_CLK = 1,
	SPIRAM_PIN_MOSI = 2,	/* IO0 */
	SPIRAM_PIN_MISO = 3,	/* IO1 */
	SPIRAM_PIN_IO2 = 4,	/* held high (WP#) when set_reg != 0 */
	SPIRAM_PIN_IO3 = 5,	/* held high (HOLD#/RESET#) when set_reg != 0 */
	SPIRAM_PIN_COUNT
};

/* ------------------------------------------------------------------------
 * Flash description: everything the NOR layer needs, decided by the host
 * (chip table + SFDP + user), so the stub keeps no chip table.
 * ------------------------------------------------------------------------ */

/* Bus width of one phase, as "lines": 1, 2 or 4. */
#define SPIRAM_PROTO(cmd, addr, data)	(((cmd) << 8) | ((addr) << 4) | (data))
#define SPIRAM_PROTO_CMD(p)		(((p) >> 8) & 0xf)
#define SPIRAM_PROTO_ADDR(p)		(((p) >> 4) & 0xf)
#define SPIRAM_PROTO_DATA(p)		((p) & 0xf)

/* How the chip reaches addresses above 16 MiB. */
enum spiram_addr_mode {
	SPIRAM_ADDR_3B = 0,		/* 3-byte addresses only */
	SPIRAM_ADDR_4B_OPCODES = 1,	/* dedicated 4-byte opcodes (0x13, 0x12, 0x21...) */
	SPIRAM_ADDR_4B_MODE = 2,	/* enter 4-byte mode with 0xB7 (WREN first if flagged) */
};

/* How quad mode is enabled (JESD216 DW15 QER, simplified). */
enum spiram_qe_method {
	SPIRAM_QE_NONE = 0,		/* no QE bit, or quad not used */
	SPIRAM_QE_SR2_BIT1_WRSR2 = 1,	/* SR2 bit 1, written with 0x31 (Winbond JV) */
	SPIRAM_QE_SR2_BIT1_WRSR16 = 2,	/* SR2 bit 1, written as 2 bytes with 0x01 */
	SPIRAM_QE_SR1_BIT6 = 3,		/* SR1 bit 6, written with 0x01 (Macronix, ISSI) */
};

#define SPIRAM_MAX_ERASE_TYPES		4

struct spiram_erase_type {
	uint32_t size;			/* bytes, power of two; 0 = unused slot */
	uint32_t opcode;		/* 3-byte-address opcode */
	uint32_t opcode_4b;		/* 4-byte-address opcode, 0 if none */
	uint32_t max_time_us;		/* datasheet maximum for one erase */
};

struct spiram_flash_cfg {
	uint32_t size;			/* bytes; 0 while probing */
	uint32_t page_size;		/* program page, bytes (usually 256) */
	uint32_t addr_mode;		/* enum spiram_addr_mode */
	uint32_t flags;			/* SPIRAM_FLASH_F_* */

	uint32_t read_opcode;		/* e.g. 0x03, 0x0B, 0x6B, 0xEB */
	uint32_t read_opcode_4b;	/* 4-byte variant, 0 if none */
	uint32_t read_proto;		/* SPIRAM_PROTO(cmd, addr, data) */
	uint32_t read_dummy;		/* dummy clock cycles (mode bits included) */
	uint32_t read_mode_bits;	/* value for the mode/alternate byte, 0xff if none */

	uint32_t program_opcode;	/* 0x02 (or 0x32 quad) */
	uint32_t program_opcode_4b;	/* 0x12 (or 0x34), 0 if none */
	uint32_t program_proto;

	uint32_t qe_method;		/* enum spiram_qe_method */

	uint32_t sfdp_dummy;		/* dummy cycles for 0x5A (8 by JESD216) */

	struct spiram_erase_type erase[SPIRAM_MAX_ERASE_TYPES];
	uint32_t chip_erase_opcode;	/* 0xC7 or 0x60 */

	uint32_t page_program_max_us;	/* tPP max */
	uint32_t chip_erase_max_us;	/* tCE max */
	uint32_t status_write_max_us;	/* tW max */
	/* Unused, 0.  (Version 1 bounded busy waits by a poll count; the
	 * host now ends them by wall-clock time, see params.keep_running.) */
	uint32_t polls_per_us;
};

#define SPIRAM_FLASH_F_4B_NEEDS_WREN	BIT(0)	/* 0xB7 needs WREN first */
#define SPIRAM_FLASH_F_VOLATILE_SR_WREN	BIT(1)	/* use 0x50 before volatile SR writes */
#define SPIRAM_FLASH_F_NO_WEL_CHECK	BIT(2)	/* chip does not report WEL */
#define SPIRAM_FLASH_F_PROTECT_CHECK	BIT(3)	/* after program/erase, detect ignored op */

/* ------------------------------------------------------------------------
 * Controller description.
 * ------------------------------------------------------------------------ */
struct spiram_ctrl_cfg {
	uint32_t type;			/* enum spiram_ctrl_type */
	uint32_t regs;			/* controller register base (QSPI, SPI) */
	uint32_t mmap_base;		/* memory-mapped window, 0 if none */
	uint32_t prescaler;		/* controller clock divider, 0 = keep current */
	uint32_t flags;			/* SPIRAM_CTRL_F_* */
	struct spiram_pin pins[SPIRAM_PIN_COUNT];	/* CS for SPI; all for GPIO */
};

#define SPIRAM_CTRL_F_LEAVE_MEMMAP	BIT(0)	/* restore: end in memory-mapped mode */
#define SPIRAM_CTRL_F_KEEP_STATE	BIT(1)	/* restore: registers as found (default) */
/* QUADSPI dual-flash mode (CR.DFM = 1): two chips on BK1 and BK2, bank byte
 * 2k in FLASH1 and 2k + 1 in FLASH2, each chip addressed with AR / 2
 * (RM0433; stm32h7-quadspi.md 4.12).  The stub sets DFM and works in bank
 * addresses: flash.size, page_size and erase sizes are those of both chips
 * together, and every address and length of an array op must be even
 * (SPIRAM_ERR_BAD_PARAM otherwise).  Each status byte is read from both
 * chips: busy while either is, WEL needed in both, a status write goes to
 * both.  On SPIRAM_ERR_WEL, _TIMEOUT and _PROTECTED, result names the chips
 * at fault: bit 0 FLASH1 (BK1), bit 1 FLASH2 (BK2).  PROBE (the JEDEC ID),
 * READ_STATUS and SPAN_CRC (the status registers) give FLASH1's values in
 * result and FLASH2's in arg[3]; PROBE's SFDP is both chips' interleaved
 * (an even arg[0]). */
#define SPIRAM_CTRL_F_DUAL_FLASH	BIT(2)

/* ------------------------------------------------------------------------
 * Parameter block.  The host writes it to the work area and passes its
 * address in r0; the stub writes back status, fail_addr and result.
 * ------------------------------------------------------------------------ */
struct spiram_params {
	uint32_t magic;			/* SPIRAM_STUB_MAGIC: catches a wrong r0 */
	uint32_t op;			/* enum spiram_op */
	uint32_t status;		/* out: enum spiram_status */
	uint32_t fail_addr;		/* out: flash address where it failed */
	uint32_t result;		/* out: CRC32, JEDEC ID, status registers... */
	uint32_t progress;		/* out: bytes of flash done so far */

	uint32_t addr;			/* flash offset of the operation */
	uint32_t len;			/* bytes */
	uint32_t buffer;		/* RAM buffer for PROBE/RAW data */
	uint32_t buffer_size;		/* its size */
	uint32_t fifo_start;		/* async FIFO: wp at +0, rp at +4, data from +8 */
	uint32_t fifo_end;		/* one past the last FIFO byte */
	uint32_t keep_running;		/* in: non-zero; the host writes 0 to end a busy wait */
	uint32_t arg[4];		/* op-specific, see below */

	struct spiram_ctrl_cfg ctrl;
	struct spiram_flash_cfg flash;
	uint32_t image_hash;		/* in: 0, or spiram_image_hash() of the image as
					 * uploaded: the stub checks its own copy in RAM
					 * first and ends with SPIRAM_ERR_IMAGE if it
					 * differs, before it touches the controller */
};

/*
 * The stub image's self-check (params.image_hash): FNV-1a, a 32-bit word
 * at a time, over the image's little-endian words (its size is a multiple
 * of 4): h = SPIRAM_IMAGE_HASH_INIT, then h = (h ^ word) * PRIME for each
 * word.  Constants: the FNV-1a 32-bit offset basis and prime.  It is no
 * CRC: it only has to catch an upload that RAM dropped or changed, at a
 * few instructions a word on the target.
 */
#define SPIRAM_IMAGE_HASH_INIT		0x811c9dc5u
#define SPIRAM_IMAGE_HASH_PRIME		0x01000193u

/*
 * Everything a run executes before the image check (the header, the entry
 * and spiram_stub_gate) lies in the image's first SPIRAM_STUB_GATE_BYTES
 * (stub/stub.ld asserts it).  A host that finds those bytes, and the
 * image's last ones, as it uploaded them may run the image left in RAM by
 * an earlier session with params.image_hash set: the check then covers
 * every other byte before any of them runs.
 */
#define SPIRAM_STUB_GATE_BYTES		256u

/*
 * op-specific arguments:
 *  PROBE:        arg[0] = SFDP bytes to read into buffer (from addr)
 *  WRITE_STATUS: arg[0] = register (1, 2, 3), arg[1] = value,
 *                arg[2] = opcode (0x01, 0x31, 0x11), arg[3] = 1 for volatile;
 *                register 1 with a value above 0xff sends two bytes
 *                (SR1 = value & 0xff, SR2 = value >> 8) with that opcode
 *  READ_STATUS:  arg[0..2] = opcodes of SR1..SR3 (0 = skip)
 *  RAW:          buffer holds tx bytes (arg[0] of them), then arg[1] rx
 *                bytes are written over buffer.  With rx, tx is the opcode
 *                and at most 4 more bytes (sent as an address phase), and
 *                arg[2] dummy cycles (0..31; a multiple of 8 on SPI) come
 *                between tx and rx.  All phases on one line.
 *  CRC32:        arg[0] = initial CRC value (0xffffffff for OpenOCD's);
 *                buffer holds SPIRAM_SECTOR_CRC_TABLE bytes of scratch
 *                (the table, as SPAN_CRC's)
 *  SECTOR_CRC:   arg[0] = sector size (a power of two, addr and len
 *                multiples of it); buffer holds SPIRAM_SECTOR_CRC_TABLE
 *                bytes of scratch (a CRC table the stub builds), then one
 *                word per sector: the CRC32 of the sector as OpenOCD's
 *                image_calculate_checksum computes it (start 0xffffffff);
 *                SPIRAM_SECTOR_CRC_SLICE_ROOM more bytes of scratch after
 *                the results make it faster
 *  SPAN_CRC:     the same for any [addr, len): the range is cut at
 *                multiples of arg[0] (a power of two), so the first and
 *                last pieces may be short; one word per piece after the
 *                SPIRAM_SECTOR_CRC_TABLE bytes of scratch.  Both read the
 *                status registers whose opcodes are in arg[1..3] (0 =
 *                skip) into result first, as READ_STATUS does
 *  BLANK_MAP:    arg[0] = sector size (a power of two, 4 or more; addr and
 *                len multiples of it); buffer gets bit (k % 32) of word
 *                k / 32 set when sector k of the range is all 0xFF.  A
 *                sector is read up to its first byte that is not 0xFF
 *  READ_LZ:      arg[0] = block size (a multiple of 4, at most
 *                SPIRAM_LZ_MAX_BLOCK); arg[1] = 1: linked blocks (see
 *                "Compressed read stream"); buffer holds
 *                SPIRAM_LZ_SCRATCH(block) bytes of scratch
 *                (SPIRAM_LZ_SCRATCH_LINKED(block) when linked); the FIFO
 *                data area must hold 512 bytes and more than a frame
 *  READ_STREAM:  exactly len bytes are streamed; wp stays 4-aligned except
 *                after the final chunk, so use block size 1 (or 4 with len a
 *                multiple of 4) in target_run_read_async_algorithm
 *  WRITE_STREAM: block size 4; the FIFO data area (fifo_end - fifo_start
 *                - 8) must be at least 512 bytes, for both streams;
 *                buffer (word-aligned, SPIRAM_PROGRAM_PIECE_MAX + 4 bytes
 *                or more) takes PROGRAM frames a piece at a time;
 *                arg[0] = address, arg[1] = bytes of the CRC tables of
 *                CHECK frames (as SPAN_CRC's: SPIRAM_SECTOR_CRC_TABLE, and
 *                SPIRAM_SECTOR_CRC_SLICE_ROOM more for the faster CRC; 0:
 *                a CHECK frame is BAD_FRAME); arg[2] != 0: the run first
 *                erases the block of arg[2] bytes at arg[3], as an ERASE
 *                frame would (0: none), so that the chip erases while
 *                OpenOCD's first write fills the FIFO, which the stub
 *                sees only once that write is complete; len != 0 (and
 *                below the FIFO data area): at the start, if the FIFO is
 *                empty (wp equals the host's rp), the stub writes rp =
 *                data start + len, ahead of its own read pointer, so that
 *                OpenOCD's writer (which sizes each write from rp) makes
 *                its first write at most len - 4 bytes; the stub's own rp
 *                replaces it at its first take of data (0: the first
 *                write fills the FIFO)
 *
 * Results: fail_addr is the flash address the stub was working on when it
 * stopped (the first bad byte for VERIFY/NOT_BLANK/PROTECTED), progress the
 * bytes of flash done.  A program or erase the chip does not start (WIP = 0
 * at the status read right after it) is named: WEL when the write enable
 * latch will not set, else an erase is PROTECTED at the first non-0xFF
 * byte of its block (a blank block counts as done) and a program is read
 * back like PROGRAM_VERIFY.  With SPIRAM_FLASH_F_PROTECT_CHECK, a chunk that
 * reads back all 0xFF although the data was not is PROTECTED rather than
 * VERIFY.
 *
 * Busy waits: the stub polls the chip's busy bit with no limit of its own;
 * time is the host's job, since only the host has a clock.  When the chip
 * stays busy past its datasheet maximum (the host's deadline, scaled by the
 * work of the run), the host writes keep_running = 0, or, in a stream, sets
 * the FIFO pointer it owns to 0 (as OpenOCD's async loops do when they give
 * up); a stub waiting for the chip then ends with SPIRAM_ERR_TIMEOUT at the
 * address it was working on.  Outside a busy wait the same signals end a
 * stream with SPIRAM_ERR_ABORTED.
 *
 * ctrl.prescaler is the clock divider: QUADSPI PRESCALER = prescaler - 1
 * (1..256); SPI v1 BR = log2(prescaler) - 1 (2..256); ignored by GPIO.
 */

/* ------------------------------------------------------------------------
 * Write stream framing.  The FIFO of target_run_flash_async_algorithm
 * carries frames; each starts with this header, followed by len data bytes
 * for PROGRAM, padded with 0xFF to a multiple of 4.  Block size is 4.
 * ------------------------------------------------------------------------ */
enum spiram_frame_type {
	SPIRAM_FRAME_END = 0x454e4421u,	/* "!DNE": no more frames, exit */
	SPIRAM_FRAME_ERASE = 0x45u,	/* erase one block: addr aligned, len = an erase size */
	SPIRAM_FRAME_PROGRAM = 0x50u,	/* program len bytes at addr, split at pages */
	SPIRAM_FRAME_PROGRAM_VERIFY = 0x56u,	/* program, then read back each page */
	SPIRAM_FRAME_PROGRAM_LZ = 0x5au,	/* program an LZ4 block's bytes: see below */
	SPIRAM_FRAME_CHECK = 0x43u,	/* CRC of what was programmed against the host's: see below */
};

struct spiram_frame {
	uint32_t type;			/* enum spiram_frame_type */
	uint32_t addr;			/* flash offset */
	uint32_t len;			/* ERASE: block size; PROGRAM: data bytes */
};

#define SPIRAM_FRAME_HEADER_SIZE	12u
#define SPIRAM_FRAME_ALIGN		4u
#define SPIRAM_FRAME_MAX_DATA		4096u	/* one frame carries at most this */

/* The largest piece of a PROGRAM frame the stub programs in one command:
 * a dual-flash QUADSPI page (two chips' 256-byte pages, interleaved). */
#define SPIRAM_PROGRAM_PIECE_MAX	512u

/*
 * PROGRAM_LZ (stubs with SPIRAM_CAP_WRITE_LZ): len payload bytes, a word
 * n, then an LZ4 block (LZ4's block format, without frame) of len - 4
 * bytes that expands to exactly n bytes (1..SPIRAM_FRAME_MAX_DATA), which
 * are programmed at addr as by PROGRAM.  A block's matches may reach back
 * into the expanded bytes of the PROGRAM_LZ frames before it in the same
 * stub run (LZ4's linked blocks; other frames do not count), as many as
 * the stub's window holds then.  The stub expands in the write stream's
 * buffer (params.buffer, params.buffer_size bytes, outside the FIFO, at
 * least SPIRAM_WRITE_LZ_SCRATCH): the payload (SPIRAM_FRAME_MAX_DATA),
 * then a window of SPIRAM_WRITE_LZ_WINDOW(buffer_size) bytes.  Each block
 * expands at the window's fill mark (0 at the start of a run), and its
 * history is the fill bytes before it; a block that would pass the
 * window's end first moves the window's last SPIRAM_WRITE_LZ_KEEP(window)
 * bytes to its start (fill = keep).  The host keeps the same account.  A
 * block that does not expand to exactly n bytes ends the stream with
 * SPIRAM_ERR_BAD_FRAME and nothing of that frame programmed.
 *
 * CHECK (stubs with SPIRAM_CAP_WRITE_CHECK): len payload bytes (8 or more,
 * a multiple of 4): a word piece (a power of two; addr a multiple of it),
 * then one word per piece from addr on, the CRC32 it must hold (OpenOCD's
 * image_calculate_checksum, as SPAN_CRC).  The stub waits for the chip,
 * computes each piece's CRC as SPAN_CRC does, and ends the stream at the
 * first piece that differs with SPIRAM_ERR_CRC, fail_addr its start; so a
 * write checks what it programmed in the run that programmed it.
 */
#define SPIRAM_WRITE_LZ_SCRATCH		(4u * SPIRAM_FRAME_MAX_DATA)
#define SPIRAM_WRITE_LZ_SCRATCH_MAX	(SPIRAM_FRAME_MAX_DATA + 0x10000u)	/* LZ4 reaches 64 KiB back */
#define SPIRAM_WRITE_LZ_WINDOW(size)	(((size) - SPIRAM_FRAME_MAX_DATA) & ~3u)
#define SPIRAM_WRITE_LZ_KEEP(window)	(((window) / 2) & ~3u)

static inline uint32_t spiram_frame_padded_len(uint32_t len)
{
	return (len + SPIRAM_FRAME_ALIGN - 1) & ~(SPIRAM_FRAME_ALIGN - 1);
}

/* Async FIFO layout, as OpenOCD's target_run_*_async_algorithm use it. */
#define SPIRAM_FIFO_WP_OFFSET		0u
#define SPIRAM_FIFO_RP_OFFSET		4u
#define SPIRAM_FIFO_DATA_OFFSET		8u

/* Scratch at the start of the SECTOR_CRC buffer: a 256-entry CRC table. */
#define SPIRAM_SECTOR_CRC_TABLE		1024u
/* Room after the SECTOR_CRC results for three more tables: given it, the
 * stub's CRC takes four bytes a step (about twice as fast). */
#define SPIRAM_SECTOR_CRC_SLICE_ROOM	3072u

/* ------------------------------------------------------------------------
 * Compressed read stream (READ_LZ).  [addr, addr + len) is cut in blocks of
 * arg[0] bytes (the last may be short); each block crosses the read FIFO as
 * one frame: a header word SPIRAM_LZ_FRAME(kind, payload bytes), then the
 * payload, padded with zeros to a multiple of 4.  The stub publishes wp
 * after whole frames only.  Kinds:
 *  STORED: the block's bytes as they are (payload bytes = block bytes);
 *  LZ4:    an LZ4 block (LZ4's block format, without frame) that expands
 *          to exactly the block's bytes; in a linked read (arg[1] = 1) its
 *          matches may reach into the block before it in the same run (a
 *          dictionary of one block), as in LZ4's linked blocks.
 * ------------------------------------------------------------------------ */
#define SPIRAM_LZ_KIND_STORED		1u
#define SPIRAM_LZ_KIND_LZ4		2u
#define SPIRAM_LZ_FRAME(kind, len)	((uint32_t)(kind) << 24 | (uint32_t)(len))
#define SPIRAM_LZ_FRAME_KIND(word)	((word) >> 24)
#define SPIRAM_LZ_FRAME_LEN(word)	((word) & 0xffffffu)
#define SPIRAM_LZ_MAX_BLOCK		16384u
/* Hash table of the stub's compressor: 1 << SPIRAM_LZ_HASH_LOG 16-bit entries. */
#define SPIRAM_LZ_HASH_LOG		11u
#define SPIRAM_LZ_TABLE_SIZE		(2u << SPIRAM_LZ_HASH_LOG)
/* Scratch: the table, the block, a frame header and the compressed block. */
#define SPIRAM_LZ_SCRATCH(block)	(SPIRAM_LZ_TABLE_SIZE + 2u * (block) + 4u)
/* Linked: the previous block besides. */
#define SPIRAM_LZ_SCRATCH_LINKED(block)	(SPIRAM_LZ_TABLE_SIZE + 3u * (block) + 4u)

/* Minimum sizes the driver needs in the work area, besides the image. */
#define SPIRAM_MIN_FIFO_SIZE		(SPIRAM_FIFO_DATA_OFFSET + 2u * 1024u)
#define SPIRAM_MIN_STACK_SIZE		1024u

#endif /* OPENOCD_FLASH_NOR_SPIRAM_CONTRACT_H */
