// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * The simulator's SPI NOR part table: IDs, geometry, register layout,
 * protection scheme, timings and SFDP bytes of every modelled chip.
 *
 * Where a value comes from (see the reference sheets nor-chips.md and
 * sfdp.md for the sources named there):
 *  - SFDP: the real dumps in tests/data/sfdp/ for W25Q128JV and W25Q128FV
 *    (byte-identical, checked by the tests); every other table is
 *    SYNTHESIZED from a family dump, with the patched bytes named at the
 *    array;
 *  - timings: typical and maximum times of the part's own datasheet (its
 *    AC electrical characteristics table: tPP, tSE, tBE1, tBE2, tCE, tW),
 *    cited at each entry, never the SFDP: the JV's SFDP says 704 us
 *    typical for a page program where the datasheet says 0.4 ms, and a
 *    real chip is timed by its datasheet.  The SFDP bytes stay the real
 *    dump, so a driver that trusts SFDP sees what it would see on the
 *    board.  Where no datasheet was at hand the value is marked
 *    UNVERIFIED with the secondary source it comes from;
 *  - register defaults: SR1 = 0 (nothing protected, factory state).  QE
 *    powers up 0 and is writable on every part (our choice: the -IQ
 *    W25Q128JV may have QE fixed at 1, which would hide a driver that
 *    forgets to set QE);
 *  - ABh device IDs are UNVERIFIED (reference sheet section 1).
 *
 * Invariant: every name in nor_part_names_list has exactly one entry in
 * nor_parts[], in the same order.
 */

#include <string.h>

#include "nor_parts.h"

/* W25Q128JV: real dump, tests/data/sfdp/w25q128jv.hex (SFDP 1.5, BFPT 16 DWORDs). */
static const uint8_t sfdp_w25q128jv[0xc0] = {
	0x53, 0x46, 0x44, 0x50, 0x05, 0x01, 0x00, 0xff, 0x00, 0x05, 0x01, 0x10, 0x80, 0x00, 0x00, 0xff,
	[0x10 ... 0x7f] = 0xff,
	[0x80] =
	0xe5, 0x20, 0xf9, 0xff, 0xff, 0xff, 0xff, 0x07, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x42, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x40, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0x00, 0x36, 0x02, 0xa6, 0x00, 0x82, 0xea, 0x14, 0xc9, 0xe9, 0x63, 0x76, 0x33,
	0x7a, 0x75, 0x7a, 0x75, 0xf7, 0xa2, 0xd5, 0x5c, 0x19, 0xf7, 0x4d, 0xff, 0xe9, 0x30, 0xf8, 0x80,
};

/* W25Q128FV: real dump, tests/data/sfdp/w25q128fv.hex (SFDP 1.0, BFPT 9 DWORDs). */
static const uint8_t sfdp_w25q128fv[0xc0] = {
	0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x01, 0x09, 0x80, 0x00, 0x00, 0xff,
	[0x10 ... 0x7f] = 0xff,
	[0x80] =
	0xe5, 0x20, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x42, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x21, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	[0xb0 ... 0xbf] = 0xff,
};

/*
 * W25Q256JV: SYNTHESIZED, no public dump.  Built from the W25Q128JV dump
 * (same JV family, SFDP 1.5; Linux tells the 256JV by BFPT minor 5) with:
 *  - DW1 byte2 F9h -> FBh: address bytes 01b (3-byte default, 4-byte on command);
 *  - DW2 = 0FFFFFFFh: 256 Mbit;
 *  - DW11 byte3 C9h -> D3h: chip erase typical 20 x 4 s = 80 s (UNVERIFIED typ);
 *  - DW16 = A5F970E9h, copied from the W25Q512JV dump: enter 4-byte by B7h,
 *    EAR or the dedicated 4-byte opcodes; exit by E9h or EAR = 0.
 */
static const uint8_t sfdp_w25q256jv[0xc0] = {
	0x53, 0x46, 0x44, 0x50, 0x05, 0x01, 0x00, 0xff, 0x00, 0x05, 0x01, 0x10, 0x80, 0x00, 0x00, 0xff,
	[0x10 ... 0x7f] = 0xff,
	[0x80] =
	0xe5, 0x20, 0xfb, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x42, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x40, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0x00, 0x36, 0x02, 0xa6, 0x00, 0x82, 0xea, 0x14, 0xd3, 0xe9, 0x63, 0x76, 0x33,
	0x7a, 0x75, 0x7a, 0x75, 0xf7, 0xa2, 0xd5, 0x5c, 0x19, 0xf7, 0x4d, 0xff, 0xe9, 0x70, 0xf9, 0xa5,
};

/*
 * W25Q64JV: SYNTHESIZED, no public dump (reference sheet section 9.7).
 * Built from the W25Q128JV dump (same JV family, SFDP 1.5, 3-byte only) with:
 *  - DW2 = 03FFFFFFh: 64 Mbit;
 *  - DW11 byte3 C9h -> C4h: chip erase typical 5 x 4 s = 20 s (the
 *    datasheet figure of the timing entry below, UNVERIFIED).
 * Every other byte (erase types 20h/52h/D8h, EBh 2 mode + 4 wait, QER,
 * suspend, soft reset) is the W25Q128JV's.
 */
static const uint8_t sfdp_w25q64jv[0xc0] = {
	0x53, 0x46, 0x44, 0x50, 0x05, 0x01, 0x00, 0xff, 0x00, 0x05, 0x01, 0x10, 0x80, 0x00, 0x00, 0xff,
	[0x10 ... 0x7f] = 0xff,
	[0x80] =
	0xe5, 0x20, 0xf9, 0xff, 0xff, 0xff, 0xff, 0x03, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x42, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x40, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0x00, 0x36, 0x02, 0xa6, 0x00, 0x82, 0xea, 0x14, 0xc4, 0xe9, 0x63, 0x76, 0x33,
	0x7a, 0x75, 0x7a, 0x75, 0xf7, 0xa2, 0xd5, 0x5c, 0x19, 0xf7, 0x4d, 0xff, 0xe9, 0x30, 0xf8, 0x80,
};

/*
 * IS25LP064A: SYNTHESIZED, no public dump.  Built from the IS25WP256 dump
 * (ISSI family, BFPT 16 DWORDs at 30h) with:
 *  - header minor 06h -> 05h (IS25LP064A is SFDP 1.5 per the reference
 *    sheet) and NPH 1 -> 0: the 1.8 V vendor table (029Dh) is dropped;
 *  - DW2 = 03FFFFFFh: 64 Mbit;
 *  - DW11 byte3 CEh -> C3h: chip erase typical 4 x 4 s = 16 s (scaled
 *    from 60 s for 32 MiB; UNVERIFIED);
 *  - DW16 = 000030F0h: no 4-byte addressing (3-byte-only part), soft
 *    reset 66h/99h kept.
 * Kept from the dump: QER = 2 (QE in SR bit6), 1-2-2 BBh 4 mode + 0 wait,
 * 1-4-4 EBh 2 mode + 4 wait, suspend 75h/7Ah, erase 20h/52h/D8h.
 */
static const uint8_t sfdp_is25lp064a[0x70] = {
	0x53, 0x46, 0x44, 0x50, 0x05, 0x01, 0x00, 0xff, 0x00, 0x05, 0x01, 0x10, 0x30, 0x00, 0x00, 0xff,
	[0x10 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0xf9, 0xff, 0xff, 0xff, 0xff, 0x03, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x80, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0x44, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0xff, 0x23, 0x4a, 0xc9, 0x00, 0x82, 0xd8, 0x11, 0xc3, 0xcc, 0xcd, 0x68, 0x46,
	0x7a, 0x75, 0x7a, 0x75, 0xf7, 0xae, 0xd5, 0x5c, 0x4a, 0x42, 0x2c, 0xff, 0xf0, 0x30, 0x00, 0x00,
};

/*
 * GD25Q128C: SYNTHESIZED, no public dump.  GD25Q128C is an SFDP 1.0 part
 * with the Winbond W25Q128 command set and geometry (reference sheet
 * sections 1, 3 and 4), so its table here is the W25Q128FV dump unchanged
 * (9 DWORDs: 16 MiB, 20h/52h/D8h, 3B/6B 8 dummies, BB 2+2, EB 2+4).
 */
#define sfdp_gd25q128c sfdp_w25q128fv

/*
 * MX25L12835F: SYNTHESIZED, no public dump.  Built from the MX25L25635F
 * dump (same generation, SFDP 1.0, BFPT 9 DWORDs at 30h plus the Macronix
 * vendor table C2h at 60h) with:
 *  - DW1 byte2 F3h -> F1h: 3-byte addressing only;
 *  - DW2 = 07FFFFFFh: 128 Mbit;
 *  - the stray bytes at 8Ch-98h of the QEMU array (outside every table) dropped.
 */
static const uint8_t sfdp_mx25l12835f[0x70] = {
	0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x01, 0xff, 0x00, 0x00, 0x01, 0x09, 0x30, 0x00, 0x00, 0xff,
	0xc2, 0x00, 0x01, 0x04, 0x60, 0x00, 0x00, 0xff,
	[0x18 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x07, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x04, 0xbb,
	0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0x44, 0xeb, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0x00, 0x36, 0x00, 0x27, 0x9d, 0xf9, 0xc0, 0x64, 0x85, 0xcb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/*
 * N25Q128A: SYNTHESIZED, no public dump.  Built from the family reference
 * tests/data/sfdp/n25q256a_qemu.hex (QEMU's N25Q256A table: SFDP 1.0,
 * BFPT 9 DWORDs at 30h) with:
 *  - DW1 byte2 FBh -> F9h: 3-byte addressing only;
 *  - DW2 = 07FFFFFFh: 128 Mbit.
 * Kept: EBh 1 + 9, 6Bh 1 + 7, 3Bh 0 + 8, BBh 1 + 7 clocks (mode + wait),
 * 2-2-2 / 4-4-4 listed, erase 20h (4K) and D8h (64K) only.
 */
static const uint8_t sfdp_n25q128a[0x60] = {
	0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x01, 0x09, 0x30, 0x00, 0x00, 0xff,
	[0x10 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0xf9, 0xff, 0xff, 0xff, 0xff, 0x07, 0x29, 0xeb, 0x27, 0x6b, 0x08, 0x3b, 0x27, 0xbb,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x27, 0xbb, 0xff, 0xff, 0x29, 0xeb, 0x0c, 0x20, 0x10, 0xd8,
	0x00, 0x00, 0x00, 0x00,
	[0x54 ... 0x5f] = 0xff,
};

/*
 * MT25QL512A: SYNTHESIZED, no public dump.  The same N25Q256A family
 * table with DW2 = 1FFFFFFFh (512 Mbit); DW1 keeps "3- or 4-byte
 * addressing".
 */
static const uint8_t sfdp_mt25ql512a[0x60] = {
	0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x01, 0x09, 0x30, 0x00, 0x00, 0xff,
	[0x10 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0xfb, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x29, 0xeb, 0x27, 0x6b, 0x08, 0x3b, 0x27, 0xbb,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x27, 0xbb, 0xff, 0xff, 0x29, 0xeb, 0x0c, 0x20, 0x10, 0xd8,
	0x00, 0x00, 0x00, 0x00,
	[0x54 ... 0x5f] = 0xff,
};

/*
 * MX25R6435F: header SYNTHESIZED around a real BFPT.  The 16-DWORD BFPT is
 * the one Zephyr's nrf52840dk board file gives as sfdp-bfp for this chip
 * (reference sheet 9.7, byte 46 = 68h as there); the dump has no header,
 * so ours says SFDP 1.6 (JESD216B, 16 DWORDs), one parameter header, BFPT
 * at 30h, no vendor table.
 */
static const uint8_t sfdp_mx25r6435f[0x70] = {
	0x53, 0x46, 0x44, 0x50, 0x06, 0x01, 0x00, 0xff, 0x00, 0x06, 0x01, 0x10, 0x30, 0x00, 0x00, 0xff,
	[0x10 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0xf1, 0xff, 0xff, 0xff, 0xff, 0x03, 0x44, 0xeb, 0x08, 0x6b, 0x08, 0x3b, 0x04, 0xbb,
	0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0x00, 0xff, 0x0c, 0x20, 0x0f, 0x52,
	0x10, 0xd8, 0x00, 0xff, 0x23, 0x72, 0xf5, 0x00, 0x82, 0xed, 0x04, 0xcc, 0x44, 0x83, 0x68, 0x44,
	0x30, 0xb0, 0x30, 0xb0, 0xf7, 0xc4, 0xd5, 0x5c, 0x00, 0xbe, 0x29, 0xff, 0xf0, 0xd0, 0xff, 0xff,
};

/*
 * MX25LM51245G: SYNTHESIZED, no public dump (reference sheet section 9.7).
 * Built from the MX25L12835F table above (Macronix, SFDP 1.0, BFPT 9
 * DWORDs at 30h) with:
 *  - no vendor table (NPH 0);
 *  - DW1 byte2 F1h -> 82h: 3- or 4-byte addressing, and none of the
 *    1-1-2, 1-2-2, 1-4-4, 1-1-4 reads (the part has single and octal I/O
 *    only, reference sheet 9.2);
 *  - DW2 = 1FFFFFFFh: 512 Mbit;
 *  - DW3, DW4, DW6, DW7: no dual/quad read parameters; DW5 EEh: no 2-2-2
 *    or 4-4-4;
 *  - DW8/DW9 erase types 4K 20h and 64K D8h only (no 32K, ST's
 *    mx25lm51245g.h).
 * The octal-mode tables of the real part (xSPI profile, command sequences
 * to octal) are not reproduced: their contents were not at hand.
 */
static const uint8_t sfdp_mx25lm51245g[0x60] = {
	0x53, 0x46, 0x44, 0x50, 0x00, 0x01, 0x00, 0xff, 0x00, 0x00, 0x01, 0x09, 0x30, 0x00, 0x00, 0xff,
	[0x10 ... 0x2f] = 0xff,
	[0x30] =
	0xe5, 0x20, 0x82, 0xff, 0xff, 0xff, 0xff, 0x1f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0xee, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, 0x0c, 0x20, 0x10, 0xd8,
	0x00, 0xff, 0x00, 0xff,
	[0x54 ... 0x5f] = 0xff,
};

#define KIB(x)	((uint32_t)(x) * 1024u)
#define MIB(x)	((uint32_t)(x) * 1024u * 1024u)
#define MS(x)	((uint32_t)(x) * 1000u)
#define S(x)	((uint32_t)(x) * 1000000u)

/*
 * Winbond W25Q128 register masks (nor-chips.md section 4):
 *  SR1 writable: BP0-2, TB, SEC, SRP (bits 7:2);
 *  SR2 writable: SRL, QE, LB1-3, CMP (0x7b), LB1-3 one-time (0x38);
 *  SR3 writable: WPS, DRV1-0, HOLD/RST (0xe4).
 * SR3 power-on 0x60 (DRV = 11b) is UNVERIFIED.
 */
#define WINBOND_128_WRITABLE	{ 0xfc, 0x7b, 0xe4 }
#define WINBOND_OTP		{ 0x00, 0x38, 0x00 }

const struct nor_part nor_parts[] = {
	{
		.name = "w25q128jv",
		.family = NOR_FAMILY_WINBOND,
		.jedec_id = { 0xef, 0x40, 0x18 },
		.device_id = 0x17,
		.size = MIB(16),
		.page_size = 256,
		.flags = NOR_PART_PP_32 | NOR_PART_VOLATILE_50 | NOR_PART_SR_01_2BYTES,
		.protect = NOR_PROTECT_BP3_TB_SEC_CMP,
		.qe_reg = 1, .qe_mask = 0x02,	/* SR2 bit1 */
		.reg_default = { 0x00, 0x00, 0x60 },
		.reg_writable = WINBOND_128_WRITABLE,
		.reg_otp = WINBOND_OTP,
		.uid = { 0xd2, 0x63, 0x48, 0x21, 0x17, 0x4a, 0x35, 0x2c },
		.uid_len = 8,
		/*
		 * Winbond W25Q128JV datasheet (rev. F, 2018), AC electrical
		 * characteristics: tPP 0.4 / 3 ms, tSE 45 / 400 ms, tBE1
		 * 120 / 1600 ms, tBE2 150 / 2000 ms, tCE 40 / 200 s, tW
		 * 10 / 15 ms (typ / max).  The max erase times agree with ST's
		 * w25q128j BSP timeouts (reference sheet, STW).  The SFDP dump
		 * says 704 us / 64 ms / 128 ms / 160 ms typical instead.
		 */
		.timings = {
			.page_program = { 400, 3000 },
			.erase_4k = { MS(45), MS(400) },
			.erase_32k = { MS(120), MS(1600) },
			.erase_64k = { MS(150), MS(2000) },
			.chip_erase = { S(40), S(200) },
			.status_write = { MS(10), MS(15) },
		},
		/* W25Q128JV datasheet: fR 50 MHz for 03h, fC 133 MHz otherwise */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_w25q128jv,
		.sfdp_len = sizeof(sfdp_w25q128jv),
		.sfdp_synthesized = false,
	},
	{
		.name = "w25q128fv",
		.family = NOR_FAMILY_WINBOND,
		.jedec_id = { 0xef, 0x40, 0x18 },
		.device_id = 0x17,
		.size = MIB(16),
		.page_size = 256,
		.flags = NOR_PART_PP_32 | NOR_PART_VOLATILE_50 | NOR_PART_SR_01_2BYTES,
		.protect = NOR_PROTECT_BP3_TB_SEC_CMP,
		.qe_reg = 1, .qe_mask = 0x02,	/* SR2 bit1 */
		.reg_default = { 0x00, 0x00, 0x60 },
		.reg_writable = WINBOND_128_WRITABLE,
		.reg_otp = WINBOND_OTP,
		.uid = { 0xd1, 0x5e, 0x07, 0x33, 0x2f, 0x11, 0x40, 0x9a },
		.uid_len = 8,
		/*
		 * Winbond W25Q128FV datasheet (rev. L, 2015), AC electrical
		 * characteristics: tPP 0.7 / 3 ms, tSE 45 / 400 ms, tBE1
		 * 120 / 1600 ms, tBE2 150 / 2000 ms, tCE 40 / 200 s, tW
		 * 10 / 15 ms.  UNVERIFIED: not re-read (reference sheet: "DS
		 * typ, UNVERIFIED"); its SFDP 1.0 has no timing DWORDs.  The
		 * AC table was searched for again (stored copies of revisions
		 * D, L and M reach only their contents pages; driver headers
		 * carry the N25Q128A timeouts under this part's name): not
		 * found, so the figures stay as they were.
		 */
		.timings = {
			.page_program = { 700, 3000 },
			.erase_4k = { MS(45), MS(400) },
			.erase_32k = { MS(120), MS(1600) },
			.erase_64k = { MS(150), MS(2000) },
			.chip_erase = { S(40), S(200) },
			.status_write = { MS(10), MS(15) },
		},
		/* W25Q128FV datasheet: 104 MHz, 03h 50 MHz (UNVERIFIED, not re-read) */
		.max_clock_khz = 104000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_w25q128fv,
		.sfdp_len = sizeof(sfdp_w25q128fv),
		.sfdp_synthesized = false,
	},
	{
		.name = "w25q256jv",
		.family = NOR_FAMILY_WINBOND,
		.jedec_id = { 0xef, 0x40, 0x19 },
		.device_id = 0x18,
		.size = MIB(32),
		.page_size = 256,
		/* 4-byte opcodes 13/0C/3C/6C/BC/EC/12/34/21/DC; no 5Ch (JV 4BAIT, flashrom) */
		.flags = NOR_PART_4BYTE | NOR_PART_PP_32 | NOR_PART_VOLATILE_50 |
			 NOR_PART_SR_01_2BYTES | NOR_PART_ADP,
		.protect = NOR_PROTECT_BP4_TB_CMP,
		.qe_reg = 1, .qe_mask = 0x02,	/* SR2 bit1 */
		.reg_default = { 0x00, 0x00, 0x60 },
		/* SR1: BP0-3, TB, SRP; SR3 adds ADP (bit1) */
		.reg_writable = { 0xfc, 0x7b, 0xe6 },
		.reg_otp = WINBOND_OTP,
		.uid = { 0xd3, 0x71, 0x5c, 0x0e, 0x28, 0x61, 0x19, 0x4b },
		.uid_len = 8,
		/*
		 * JV family: the W25Q128JV datasheet figures above for program
		 * and erase (the W25Q64JV's are the same, reference sheet
		 * section 9.6), chip erase 80 / 400 s for twice the array
		 * (secondary W25Qxx driver table).  UNVERIFIED against the
		 * W25Q256JV datasheet: its AC table was searched for (stored
		 * copies of revisions B, E, G, I and L reach only their first
		 * pages; no vendor header or model with its timings found).
		 */
		.timings = {
			.page_program = { 400, 3000 },
			.erase_4k = { MS(45), MS(400) },
			.erase_32k = { MS(120), MS(1600) },
			.erase_64k = { MS(150), MS(2000) },
			.chip_erase = { S(80), S(400) },
			.status_write = { MS(10), MS(15) },
		},
		/* JV family as W25Q128JV (UNVERIFIED for W25Q256JV) */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_w25q256jv,
		.sfdp_len = sizeof(sfdp_w25q256jv),
		.sfdp_synthesized = true,
	},
	{
		.name = "w25q64jv",
		.family = NOR_FAMILY_WINBOND,
		.jedec_id = { 0xef, 0x40, 0x17 },
		/* ABh/90h: 16h, as a W25Q64 driver's 90h ID EF16h (secondary, UNVERIFIED) */
		.device_id = 0x16,
		.size = MIB(8),
		.page_size = 256,
		.flags = NOR_PART_PP_32 | NOR_PART_VOLATILE_50 | NOR_PART_SR_01_2BYTES,
		/* same SR layout as W25Q128JV (reference sheet section 9.4, flashrom) */
		.protect = NOR_PROTECT_BP3_TB_SEC_CMP,
		.qe_reg = 1, .qe_mask = 0x02,	/* SR2 bit1 */
		.reg_default = { 0x00, 0x00, 0x60 },
		.reg_writable = WINBOND_128_WRITABLE,
		.reg_otp = WINBOND_OTP,
		.uid = { 0xd4, 0x28, 0x6b, 0x13, 0x0c, 0x55, 0x3e, 0x71 },
		.uid_len = 8,
		/*
		 * Reference sheet section 9.6: tPP 0.4 / 3 ms, tSE 45 / 400 ms,
		 * tBE1 120 / 1600 ms, tBE2 150 / 2000 ms, tCE 20 / 100 s (datasheet
		 * values from memory, UNVERIFIED: not found in a readable
		 * datasheet); tW as the JV family (W25Q128JV), UNVERIFIED.
		 */
		.timings = {
			.page_program = { 400, 3000 },
			.erase_4k = { MS(45), MS(400) },
			.erase_32k = { MS(120), MS(1600) },
			.erase_64k = { MS(150), MS(2000) },
			.chip_erase = { S(20), S(100) },
			.status_write = { MS(10), MS(15) },
		},
		/* reference sheet section 9.6: 133 MHz, 03h 50 MHz (UNVERIFIED) */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_w25q64jv,
		.sfdp_len = sizeof(sfdp_w25q64jv),
		.sfdp_synthesized = true,
	},
	{
		.name = "is25lp064a",
		.family = NOR_FAMILY_ISSI,
		.jedec_id = { 0x9d, 0x60, 0x17 },
		.device_id = 0x16,
		.size = MIB(8),
		.page_size = 256,
		.flags = NOR_PART_PP_32 | NOR_PART_PP_38 | NOR_PART_VOLATILE_50,
		.protect = NOR_PROTECT_BP4_TBS_FR,
		.qe_reg = 0, .qe_mask = 0x40,	/* SR bit6 */
		/* SR: all 0; Function Register: TBS = 0 (top); Read Register 0 (DC = 00) */
		.reg_default = { 0x00, 0x00, 0x00 },
		/* SR: BP0-3, QE, SRWD; FR: TBS (bit1), IRL0-3 (7:4), all one-time; RR: all */
		.reg_writable = { 0xfc, 0xf2, 0xff },
		.reg_otp = { 0x00, 0xf2, 0x00 },
		.uid = { 0x49, 0x53, 0x53, 0x49, 0x06, 0x4a, 0x17, 0x20,
			 0x5d, 0x31, 0x7c, 0x08, 0x92, 0xe4, 0x15, 0x6b },
		.uid_len = 16,
		/*
		 * No IS25LP064A datasheet at hand.  typ: the ISSI family SFDP
		 * (IS25WP256 dump: tPP 200 us, tSE 48 ms, tBE 160 / 304 ms);
		 * max: tPP x6 of that SFDP, erase maxima from libDaisy's
		 * IS25LP064A header (400 / 1000 / 1000 ms, chip 460 s), chip
		 * typical scaled from the 256 Mbit part, tW 2 / 15 ms.  All
		 * UNVERIFIED: the IS25LP064A AC table was searched for (only
		 * other ISSI datasheets' first pages are stored; no header
		 * beyond libDaisy's gives its times).
		 */
		.timings = {
			.page_program = { 200, 1200 },
			.erase_4k = { MS(48), MS(400) },
			.erase_32k = { MS(160), MS(1000) },
			.erase_64k = { MS(304), MS(1000) },
			.chip_erase = { S(16), S(460) },
			.status_write = { MS(2), MS(15) },
		},
		/* UNVERIFIED: 133 MHz class part, 03h at the usual 50 MHz */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_is25lp064a,
		.sfdp_len = sizeof(sfdp_is25lp064a),
		.sfdp_synthesized = true,
	},
	{
		.name = "gd25q128c",
		.family = NOR_FAMILY_GIGADEVICE,
		.jedec_id = { 0xc8, 0x40, 0x18 },
		.device_id = 0x17,
		.size = MIB(16),
		.page_size = 256,
		.flags = NOR_PART_PP_32 | NOR_PART_VOLATILE_50 | NOR_PART_SR_01_2BYTES,
		.protect = NOR_PROTECT_BP3_TB_SEC_CMP,
		.qe_reg = 1, .qe_mask = 0x02,	/* SR2 bit1 */
		.reg_default = { 0x00, 0x00, 0x00 },
		.reg_writable = WINBOND_128_WRITABLE,
		.reg_otp = WINBOND_OTP,
		.uid = { 0xc8, 0x17, 0x42, 0x9e, 0x03, 0x51, 0x6a, 0x2d,
			 0x77, 0x10, 0xb8, 0x24, 0x5f, 0x09, 0xe1, 0x3c },
		.uid_len = 16,
		/*
		 * No public GD25Q128C timing source was found (reference
		 * sheet section 7): the W25Q128FV datasheet figures, the part
		 * it is command- and geometry-compatible with.  UNVERIFIED: the
		 * GD25Q128C AC table was searched for (stored copies of
		 * revisions 1.0, 1.1 and 2.5 reach only their contents pages;
		 * no GigaDevice header or issue quotes its times).
		 */
		.timings = {
			.page_program = { 700, 3000 },
			.erase_4k = { MS(45), MS(400) },
			.erase_32k = { MS(120), MS(1600) },
			.erase_64k = { MS(150), MS(2000) },
			.chip_erase = { S(40), S(200) },
			.status_write = { MS(10), MS(15) },
		},
		/* UNVERIFIED: as W25Q128FV */
		.max_clock_khz = 104000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_gd25q128c,
		.sfdp_len = sizeof(sfdp_gd25q128c),
		.sfdp_synthesized = true,
	},
	{
		.name = "mx25l12835f",
		.family = NOR_FAMILY_MACRONIX,
		.jedec_id = { 0xc2, 0x20, 0x18 },
		.device_id = 0x17,
		.size = MIB(16),
		.page_size = 256,
		/* quad page program is 38h (1-4-4), not 32h */
		.flags = NOR_PART_PP_38 | NOR_PART_SR_01_2BYTES,
		.protect = NOR_PROTECT_BP4_TB_CR,
		.qe_reg = 0, .qe_mask = 0x40,	/* SR bit6 */
		/* CR power-on ODS = 111b (UNVERIFIED), TB = 0, DC = 00 */
		.reg_default = { 0x00, 0x07, 0x00 },
		/* SR: BP0-3, QE, SRWD; CR: ODS, TB (one-time), DC; SCUR read-only here */
		.reg_writable = { 0xfc, 0xcf, 0x00 },
		.reg_otp = { 0x00, 0x08, 0x00 },
		.uid_len = 0,
		/*
		 * No MX25L12835F datasheet at hand: typ from the SFDP of the
		 * newer Macronix C2 20 18 part (384 us, 25 / 144 / 256 ms,
		 * 28 s), max = typ x its SFDP multipliers (x4 program and
		 * chip, x6 erase), tW 10 / 40 ms (Macronix register-write
		 * maximum of the ST MX25LM driver).  UNVERIFIED: the
		 * MX25L12835F AC table was searched for (no stored copy of its
		 * datasheet; Macronix's Verilog models and ST headers found
		 * cover other parts only).
		 */
		.timings = {
			.page_program = { 384, 1536 },
			.erase_4k = { MS(25), MS(150) },
			.erase_32k = { MS(144), MS(864) },
			.erase_64k = { MS(256), MS(1536) },
			.chip_erase = { S(28), S(112) },
			.status_write = { MS(10), MS(40) },
		},
		/* UNVERIFIED: 133 MHz class part, 03h at the usual 50 MHz */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_mx25l12835f,
		.sfdp_len = sizeof(sfdp_mx25l12835f),
		.sfdp_synthesized = true,
	},
	{
		/* N25Q128A13 (3 V); MT25QL128ABA answers the same ID */
		.name = "n25q128a",
		.family = NOR_FAMILY_MICRON,
		.jedec_id = { 0x20, 0xba, 0x18 },
		.device_id = 0x17,		/* ABh: UNVERIFIED */
		.size = MIB(16),
		.page_size = 256,
		/*
		 * 02h, 32h (1-1-4), 12h (1-4-4, ST n25q128a.h); no 52h: ST's
		 * n25q128a.h lists erases 20h, D8h, C7h only and the family
		 * SFDP 4K and 64K only (no datasheet at hand)
		 */
		.flags = NOR_PART_PP_32 | NOR_PART_PP_12_QUAD | NOR_PART_NO_ERASE_32K,
		.protect = NOR_PROTECT_BP4_TB_MICRON,
		.qe_reg = 0, .qe_mask = 0,	/* no QE bit */
		/* SR 0; VCR FBh (dummy Fh = default, XIP off, wrap off); EVCR DFh
		 * (QPI/DPI off, HOLD on); power-on values UNVERIFIED */
		.reg_default = { 0x00, 0xfb, 0xdf },
		/* SR: BP0-2, TB, BP3, SRWD; VCR: dummy, XIP, wrap; EVCR: all but QPI/DPI */
		.reg_writable = { 0xfc, 0xfb, 0xbf },	/* EVCR bit 7: QPI */
		.reg_otp = { 0x00, 0x00, 0x00 },
		/* 9Fh after the ID: length 10h, extended ID, then the unique ID (UNVERIFIED) */
		.uid = { 0x10, 0x00, 0x00, 0x6e, 0x31, 0x28, 0x0a, 0x53,
			 0x44, 0x19, 0x7c, 0x02, 0xb5, 0x60, 0x3d, 0x81 },
		.uid_len = 16,
		.nvcr_default = 0xffff,
		/*
		 * typ: the MT25Q family BFPT (Cerberus MT25Q256ABA table,
		 * reference sheet 9.6: tPP 120 us, 4K 48 ms, 32K 112 ms, 64K
		 * 160 ms, chip 84 s for 256 Mb, halved here); max: ST's
		 * n25q128a.h timeouts (4K 800 ms, 64K 3 s, chip 250 s), tPP x24
		 * and 32K x10 of the BFPT.  tW 2 / 8 ms UNVERIFIED.  The N25Q
		 * datasheet itself was not at hand: all UNVERIFIED for it.
		 */
		.timings = {
			.page_program = { 120, 2880 },
			.erase_4k = { MS(48), MS(800) },
			.erase_32k = { MS(112), MS(1120) },
			.erase_64k = { MS(160), MS(3000) },
			.chip_erase = { S(42), S(250) },
			.status_write = { MS(2), MS(8) },
		},
		/* UNVERIFIED: 108 MHz, 03h READ 54 MHz */
		.max_clock_khz = 108000,
		.read_max_clock_khz = 54000,
		.sfdp = sfdp_n25q128a,
		.sfdp_len = sizeof(sfdp_n25q128a),
		.sfdp_synthesized = true,
	},
	{
		.name = "mt25ql512a",
		.family = NOR_FAMILY_MICRON,
		.jedec_id = { 0x20, 0xba, 0x20 },
		.device_id = 0x19,		/* ABh: UNVERIFIED */
		.size = MIB(64),
		.page_size = 256,
		/*
		 * 4-byte: B7h/E9h after WREN (Linux core), EAR C8h/C5h, 4-byte
		 * opcodes 13/0C/3C/6C/BC/EC/12/34/21/5C/DC (ST mt25ql512abb.h);
		 * 38h is 1-4-4 program.
		 */
		.flags = NOR_PART_4BYTE | NOR_PART_4BYTE_WREN | NOR_PART_ERASE_5C |
			 NOR_PART_PP_32 | NOR_PART_PP_38,
		.protect = NOR_PROTECT_BP4_TB_MICRON,
		.qe_reg = 0, .qe_mask = 0,	/* no QE bit */
		.reg_default = { 0x00, 0xfb, 0xdf },	/* as N25Q128A, UNVERIFIED */
		.reg_writable = { 0xfc, 0xfb, 0xbf },	/* EVCR bit 7: QPI */
		.reg_otp = { 0x00, 0x00, 0x00 },
		/* 9Fh after the ID: 10h, extended ID 44h 00h (Linux, QEMU), unique ID */
		.uid = { 0x10, 0x44, 0x00, 0x91, 0x0b, 0x57, 0xe2, 0x3a,
			 0x06, 0xc4, 0x72, 0x18, 0x9d, 0x2f, 0x63, 0x40 },
		.uid_len = 16,
		/* NVCR bit0 = 1: 3-byte addresses at power-up */
		.nvcr_default = 0xffff,
		/*
		 * typ: the MT25Q family BFPT (reference sheet 9.6; chip erase
		 * 84 s for 256 Mb, doubled); max: ST's mt25ql512abb.h (4K
		 * 400 ms, 32K and 64K 1 s, chip 460 s), tPP x24 of the BFPT.
		 * tW 2 / 8 ms UNVERIFIED.
		 */
		.timings = {
			.page_program = { 120, 2880 },
			.erase_4k = { MS(48), MS(400) },
			.erase_32k = { MS(112), MS(1000) },
			.erase_64k = { MS(160), MS(1000) },
			.chip_erase = { S(168), S(460) },
			.status_write = { MS(2), MS(8) },
		},
		/* UNVERIFIED: 133 MHz, 03h READ 66 MHz */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 66000,
		.sfdp = sfdp_mt25ql512a,
		.sfdp_len = sizeof(sfdp_mt25ql512a),
		.sfdp_synthesized = true,
	},
	{
		.name = "mx25r6435f",
		.family = NOR_FAMILY_MACRONIX,
		.jedec_id = { 0xc2, 0x28, 0x17 },
		.device_id = 0x17,		/* ABh: UNVERIFIED */
		.size = MIB(8),
		.page_size = 256,
		/*
		 * 38h 1-4-4 only, no 32h (ST mx25r6435f.h); 01h takes SR, CR1,
		 * CR2 and 15h reads CR1, CR2: ST's STM32L476G-DISCO BSP switches
		 * to high-performance mode with a 2-byte 15h and a 3-byte 01h
		 */
		.flags = NOR_PART_PP_38 | NOR_PART_SR_01_2BYTES | NOR_PART_CR2,
		.protect = NOR_PROTECT_BP4_TB_CR,
		.qe_reg = 0, .qe_mask = 0x40,	/* SR bit6 (BFPT QER = 2) */
		/* CR1: TB = 0, no DC bits (dummy fixed: EBh 2 + 4, BBh 4); CR2 (L/H) 0 */
		.reg_default = { 0x00, 0x00, 0x00 },
		/* SR: BP0-3, QE, SRWD; CR1: TB (one-time); SCUR read-only here */
		.reg_writable = { 0xfc, 0x08, 0x00 },
		.reg_otp = { 0x00, 0x08, 0x00 },
		.uid_len = 0,
		/*
		 * typ: its BFPT (Zephyr dump above, reference sheet 9.6: tPP
		 * 896 us, 4K 48 ms, 32K 240 ms, 64K 480 ms, chip 52 s); max: ST's
		 * mx25r6435f.h (4K 240 ms, 32K 3 s, 64K 3.5 s, chip 240 s),
		 * tPP x6 of the BFPT.  tW 10 / 40 ms as the other Macronix part
		 * (UNVERIFIED).
		 */
		.timings = {
			.page_program = { 896, 5376 },
			.erase_4k = { MS(48), MS(240) },
			.erase_32k = { MS(240), MS(3000) },
			.erase_64k = { MS(480), MS(3500) },
			.chip_erase = { S(52), S(240) },
			.status_write = { MS(10), MS(40) },
		},
		/* UNVERIFIED: 80 MHz in high-performance mode, 03h 33 MHz */
		.max_clock_khz = 80000,
		.read_max_clock_khz = 33000,
		.sfdp = sfdp_mx25r6435f,
		.sfdp_len = sizeof(sfdp_mx25r6435f),
		.sfdp_synthesized = true,
	},
	{
		.name = "mx25lm51245g",
		.family = NOR_FAMILY_MACRONIX,
		.jedec_id = { 0xc2, 0x85, 0x3a },	/* OpenOCD spi.c, Linux, U-Boot */
		.device_id = 0x39,		/* ABh: UNVERIFIED */
		.size = MIB(64),
		.page_size = 256,
		/*
		 * SPI: 03/0B/02/20/D8 and the 4-byte 13/0C/12/21/DC (OpenOCD
		 * spi.c "mac 25lm51245", ST mx25lm51245g.h), no 32K erase, no
		 * dual/quad; 01h takes SR then CR (ST WriteStatusRegister).
		 * Octal: reference sheet 9.5 and sim/nor_chip.c.
		 */
		.flags = NOR_PART_4BYTE | NOR_PART_OCTAL | NOR_PART_NO_ERASE_32K |
			 NOR_PART_SR_01_2BYTES,
		.protect = NOR_PROTECT_BP4_TB_CR,
		.qe_reg = 0, .qe_mask = 0,	/* no QE bit: no quad mode */
		/* SR 0; CR: ODS 111b (UNVERIFIED, as MX25L12835F), TB 0, PBE 0 */
		.reg_default = { 0x00, 0x07, 0x00 },
		/* SR: BP0-3 (ST MX25LM51245G_SR_BP); CR: ODS, TB (one-time), PBE */
		.reg_writable = { 0x3c, 0x1f, 0x00 },
		.reg_otp = { 0x00, 0x08, 0x00 },
		.uid_len = 0,
		/*
		 * max: ST's mx25lm51245g.h timeouts (4K 400 ms, 64K 1 s, chip
		 * 460 s, register write 40 ms).  typ and tPP: not found (the
		 * datasheet's AC table was searched for: stored copies reach its
		 * contents page only); the Macronix figures of the MX25L12835F
		 * entry above stand in, chip erase scaled to 512 Mbit, 32K
		 * (no such erase here) kept from it.  UNVERIFIED.
		 */
		.timings = {
			.page_program = { 384, 1536 },
			.erase_4k = { MS(25), MS(400) },
			.erase_32k = { MS(144), MS(864) },
			.erase_64k = { MS(256), MS(1000) },
			.chip_erase = { S(112), S(460) },
			.status_write = { MS(10), MS(40) },
		},
		/* datasheet rev 1.1 key features: up to 133 MHz; 03h 50 MHz UNVERIFIED */
		.max_clock_khz = 133000,
		.read_max_clock_khz = 50000,
		.sfdp = sfdp_mx25lm51245g,
		.sfdp_len = sizeof(sfdp_mx25lm51245g),
		.sfdp_synthesized = true,
	},
};

const size_t nor_parts_count = sizeof(nor_parts) / sizeof(nor_parts[0]);

const char *const nor_part_names_list[] = {
	"w25q128jv",
	"w25q128fv",
	"w25q256jv",
	"w25q64jv",
	"is25lp064a",
	"gd25q128c",
	"mx25l12835f",
	"n25q128a",
	"mt25ql512a",
	"mx25r6435f",
	"mx25lm51245g",
	NULL,
};

const struct nor_part *nor_part_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < nor_parts_count; i++)
		if (strcmp(nor_parts[i].name, name) == 0)
			return &nor_parts[i];
	return NULL;
}

/*
 * MT25TL01G (STM32H750B-DK): 1 Gbit as 2 x 512 Mbit dies, one per QUADSPI
 * bank, shared nCS, ST's BSP drives it in dual-flash mode (ST
 * stm32-mt25tl01g, stm32h750b-dk-bsp; reference sheet nor-chips.md 9.1).
 * Each die as an MT25QL512A is INFERRED: OpenOCD probes the board as two
 * "mt25ql512" (tcl/board/stm32h750b-disco.cfg comment), and a public
 * external-loader note describes the part as a pair of MT25QL512 dies; the
 * 9Fh bytes of a die are UNVERIFIED.
 */
const struct nor_package nor_packages[] = {
	{ .name = "mt25tl01g", .die = "mt25ql512a", .dies = 2 },
};

const size_t nor_packages_count = sizeof(nor_packages) / sizeof(nor_packages[0]);

const struct nor_package *nor_package_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < nor_packages_count; i++)
		if (strcmp(nor_packages[i].name, name) == 0)
			return &nor_packages[i];
	return NULL;
}
