/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Unit tests of the SW-DP / MEM-AP model (sim/sim_dap.c) against the
 * values in adiv5-dap.md and vdebug-protocol.md: the connect handshake,
 * DPIDR, SELECT/RDBUFF across batches, CSW sizes and byte lanes, TAR
 * auto-increment at the 1 KiB and 4 KiB lines, packed transfers, BD0-3,
 * sticky errors and ABORT, the vdebug error-status rule, stale empty
 * batches, the CoreSight ROM tables `dap info` walks, and what version-48
 * clients add (vdebug-protocol.md section V.2): the AP number and DP bank
 * in SELECT, with CSW and TAR kept per AP (the STM32H7's AP 0, 1 and 2).
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sim_dap.h"
#include "fake_bus.h"
#include "dap_batch.h"

/* DP register indexes on the wire */
#define DP_ABORT		0
#define DP_DPIDR		0
#define DP_CTRL_STAT		1
#define DP_SELECT		2
#define DP_RDBUFF		3

/* MEM-AP registers */
#define AP_CSW			0x00
#define AP_TAR			0x04
#define AP_DRW			0x0C
#define AP_BD0			0x10
#define AP_BD2			0x18
#define AP_CFG			0xF4
#define AP_BASE			0xF8
#define AP_IDR			0xFC

/* CSW values OpenOCD sends (adiv5-dap.md section 4) */
#define CSW_WORD_PACKED		0xA2000022u
#define CSW_WORD_SINGLE		0xA2000012u
#define CSW_WORD_OFF		0xA2000002u
#define CSW_BYTE_SINGLE		0xA2000010u
#define CSW_HALF_SINGLE		0xA2000011u
#define CSW_BYTE_PACKED		0xA2000020u
#define CSW_HALF_PACKED		0xA2000021u
#define CSW_DEVICEEN		0x40u

#define STICKYERR		(1u << 5)

#define H7_DPIDR		0x6BA02477u
#define H7_AP_IDR		0x84770001u
#define H7_AP_BASE		0xE00FE003u

struct dap_test {
	struct sim_bus *bus;
	struct sim_dap *dap;
};

static struct sim_dap *make_dap(struct sim_bus *bus, uint32_t tar_wrap)
{
	struct sim_dap_config cfg = {
		.dpidr = H7_DPIDR,
		.ap_idr = H7_AP_IDR,
		.ap_base = H7_AP_BASE,
		.ap_cfg = 0,
		.tar_wrap_bytes = tar_wrap,
	};

	return sim_dap_create(bus, &cfg);
}

static int setup(void **state)
{
	struct dap_test *t = calloc(1, sizeof(*t));
	struct sim_device devs[8];
	unsigned int n;

	t->bus = fake_bus_create();
	n = sim_rom_devices(SIM_ROM_CORTEX_M7, SIM_CS_STUBS_TRACE, devs, 8);
	for (unsigned int i = 0; i < n; i++)
		fake_bus_add_device(t->bus, &devs[i]);
	t->dap = make_dap(t->bus, 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	struct dap_test *t = *state;

	sim_dap_destroy(t->dap);
	fake_bus_destroy(t->bus);
	free(t);
	return 0;
}

/* Run a batch; check the result size matches what OpenOCD would expect. */
static uint32_t run(struct sim_dap *dap, const struct dap_batch *b, uint32_t *words)
{
	uint8_t out[2048];
	size_t len = 99;
	uint32_t status = sim_dap_execute(dap, b->buf, b->len, b->count, out, b->words * 4, &len);

	assert_int_equal(len, b->words * 4);
	for (unsigned int i = 0; words && i < b->words; i++)
		words[i] = batch_get32(out + 4 * i);
	return status;
}

/* SELECT bank 0, CSW, TAR: the preamble of every memory access. */
static void mem_setup(struct dap_batch *b, uint32_t csw, uint32_t tar)
{
	batch_dp_write(b, DP_SELECT, 0);
	batch_ap_write(b, AP_CSW, csw);
	batch_ap_write(b, AP_TAR, tar);
}

static uint32_t ram32(struct dap_test *t, uint32_t addr)
{
	return batch_get32(t->bus->ram + (addr - FAKE_RAM_BASE));
}

/* dap_dp_init's three batches (adiv5-dap.md section 3). */
static void test_power_up_handshake(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[2];

	/* Before power-up the ACKs are clear. */
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0] & 0xF0000000u, 0);

	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000020);
	batch_dp_read(&b, DP_CTRL_STAT, false);
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000000);
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(b.words, 1);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xF0000000u);	/* CDBGPWRUPACK (29) and CSYSPWRUPACK (31) */

	memset(&b, 0, sizeof(b));
	batch_dp_read(&b, DP_CTRL_STAT, false);
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000001);
	batch_dp_read(&b, DP_CTRL_STAT, false);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(sim_dap_ctrl_stat(t->dap), 0xF0000001u);

	/* Dropping the debug power request drops its ACK, the system ACK stays. */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_CTRL_STAT, 0x40000000);
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xC0000000u);
}

static void test_dpidr(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[1];

	batch_dp_read(&b, DP_DPIDR, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], H7_DPIDR);
}

/* AP read in one batch, RDBUFF in the next (forced flush between them). */
static void test_select_rdbuff_across_batches(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[3];

	batch_dp_write(&b, DP_SELECT, 0xF0);
	batch_req(&b, BATCH_SPACE_AP, false, (AP_IDR & 0xF) >> 2, false, 0);
	assert_int_equal(b.words, 0);
	assert_int_equal(run(t->dap, &b, NULL), 0);

	memset(&b, 0, sizeof(b));
	batch_dp_read(&b, DP_RDBUFF, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], H7_AP_IDR);

	/* SELECT persists too: bank 0xF0 still selected for CFG and BASE. */
	memset(&b, 0, sizeof(b));
	batch_ap_read(&b, AP_CFG);
	batch_ap_read(&b, AP_BASE);
	batch_dp_read(&b, 2, true);	/* RESEND: last AP read value */
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0);
	assert_int_equal(w[1], H7_AP_BASE);
	assert_int_equal(w[2], H7_AP_BASE);
}

/* mwb/mwh/mdb/mdh byte lanes exactly as observed (adiv5-dap.md section 5). */
static void test_csw_sizes_byte_lanes(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[4];

	memset(t->bus->ram, 0x5A, 0x400);
	fake_bus_clear_log(t->bus);
	mem_setup(&b, CSW_BYTE_SINGLE, 0x20000101);
	batch_ap_write(&b, AP_DRW, 0x0000AB00);	/* mwb 0x20000101 0xAB */
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(t->bus->log_count, 1);
	assert_true(t->bus->log[0].write);
	assert_int_equal(t->bus->log[0].addr, 0x20000101);
	assert_int_equal(t->bus->log[0].size, 1);
	assert_int_equal(t->bus->log[0].value, 0xAB);
	assert_int_equal(ram32(t, 0x20000100), 0x5A5AAB5A);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000102);	/* single: +1 */

	memset(&b, 0, sizeof(b));
	fake_bus_clear_log(t->bus);
	mem_setup(&b, CSW_HALF_SINGLE, 0x20000102);
	batch_ap_write(&b, AP_DRW, 0x12340000);	/* mwh 0x20000102 0x1234 */
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(t->bus->log_count, 1);
	assert_int_equal(t->bus->log[0].size, 2);
	assert_int_equal(t->bus->log[0].value, 0x1234);
	assert_int_equal(ram32(t, 0x20000100), 0x1234AB5A);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000104);	/* single: +2 */

	/* Reads return data in the same lanes. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_BYTE_SINGLE, 0x20000103);
	batch_ap_read(&b, AP_DRW);
	batch_ap_write(&b, AP_CSW, CSW_HALF_SINGLE);
	batch_ap_write(&b, AP_TAR, 0x20000102);
	batch_ap_read(&b, AP_DRW);
	batch_ap_write(&b, AP_CSW, CSW_WORD_OFF);
	batch_ap_write(&b, AP_TAR, 0x20000100);
	batch_ap_read(&b, AP_DRW);
	batch_ap_read(&b, AP_CSW);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0x12000000);
	assert_int_equal(w[1], 0x12340000);
	assert_int_equal(w[2], 0x1234AB5A);
	assert_int_equal(w[3], CSW_WORD_OFF | CSW_DEVICEEN);	/* Prot and DbgSwEnable kept */
	assert_int_equal(sim_dap_tar(t->dap), 0x20000100);	/* increment off */
}

/* 1 KiB line: no wrap with the default; 4 KiB line: wrap; 1 KiB wrap configurable. */
static void test_tar_autoincrement_wrap(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	struct sim_dap *dap1k;

	mem_setup(&b, CSW_WORD_SINGLE, 0x200003FC);
	batch_ap_write(&b, AP_DRW, 0x11111111);
	batch_ap_write(&b, AP_DRW, 0x22222222);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x200003FC), 0x11111111);
	assert_int_equal(ram32(t, 0x20000400), 0x22222222);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000404);

	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, AP_TAR, 0x20000FFC);
	batch_ap_write(&b, AP_DRW, 0x33333333);
	batch_ap_write(&b, AP_DRW, 0x44444444);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x20000FFC), 0x33333333);
	assert_int_equal(ram32(t, 0x20000000), 0x44444444);	/* wrapped inside the 4 KiB block */
	assert_int_equal(ram32(t, 0x20001000), 0);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000004);

	/* Byte accesses at the last byte of a block wrap too. */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, AP_CSW, CSW_BYTE_SINGLE);
	batch_ap_write(&b, AP_TAR, 0x20001FFF);
	batch_ap_write(&b, AP_DRW, 0xEE000000);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(t->bus->ram[0x1FFF], 0xEE);
	assert_int_equal(sim_dap_tar(t->dap), 0x20001000);

	dap1k = make_dap(t->bus, 1024);
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_WORD_SINGLE, 0x200027FC);
	batch_ap_write(&b, AP_DRW, 0x55555555);
	batch_ap_write(&b, AP_DRW, 0x66666666);
	assert_int_equal(run(dap1k, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x200027FC), 0x55555555);
	assert_int_equal(ram32(t, 0x20002400), 0x66666666);
	assert_int_equal(sim_dap_tar(dap1k), 0x20002404);
	sim_dap_destroy(dap1k);
}

/* write_memory 0x20000201 8 {1 2 3 4 5 6} as observed, then packed halfwords. */
static void test_packed_transfers(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[4];

	/* mem_ap_init's probe: CSW byte|packed reads back with AddrInc = packed. */
	mem_setup(&b, CSW_BYTE_PACKED, 0);
	batch_ap_read(&b, AP_CSW);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], CSW_BYTE_PACKED | CSW_DEVICEEN);

	memset(&b, 0, sizeof(b));
	fake_bus_clear_log(t->bus);
	mem_setup(&b, CSW_BYTE_PACKED, 0x20000201);
	batch_ap_write(&b, AP_DRW, 0x03020104);
	batch_ap_write(&b, AP_CSW, CSW_BYTE_SINGLE);
	batch_ap_write(&b, AP_DRW, 0x00000500);
	batch_ap_write(&b, AP_DRW, 0x00060000);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_memory_equal(t->bus->ram + 0x201, ((uint8_t []) { 1, 2, 3, 4, 5, 6 }), 6);
	assert_int_equal(t->bus->log_count, 6);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(t->bus->log[i].addr, 0x20000201 + i);
		assert_int_equal(t->bus->log[i].size, 1);
	}
	assert_int_equal(sim_dap_tar(t->dap), 0x20000207);

	/* Packed halfwords: 0x302 in lane 2, 0x304 in lane 0; TAR += 4. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_HALF_PACKED, 0x20000302);
	batch_ap_write(&b, AP_DRW, 0x11112222);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x20000300), 0x11110000);
	assert_int_equal(ram32(t, 0x20000304), 0x00002222);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000306);

	/* Packed reads: bytes 0x201..0x204 and the halfwords back. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_BYTE_PACKED, 0x20000201);
	batch_ap_read(&b, AP_DRW);
	batch_ap_write(&b, AP_CSW, CSW_HALF_PACKED);
	batch_ap_write(&b, AP_TAR, 0x20000302);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0x03020104);
	assert_int_equal(w[1], 0x11112222);

	/* Word size with packed behaves like single. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_WORD_PACKED, 0x20000400);
	batch_ap_write(&b, AP_DRW, 0xCAFEF00D);
	batch_ap_write(&b, AP_DRW, 0x0BADBEEF);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x20000400), 0xCAFEF00D);
	assert_int_equal(ram32(t, 0x20000404), 0x0BADBEEF);
}

static void test_banked_data(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[2];

	batch_put32(t->bus->ram + 0x18, 0xD00DFEED);
	mem_setup(&b, CSW_WORD_SINGLE, 0x20000017);	/* BD base = TAR[31:4] */
	batch_dp_write(&b, DP_SELECT, 0x10);
	batch_ap_read(&b, AP_BD2);
	batch_ap_write(&b, AP_BD0, 0x01020304);
	batch_dp_write(&b, DP_SELECT, 0x00);
	batch_ap_read(&b, AP_TAR);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xD00DFEED);
	assert_int_equal(ram32(t, 0x20000010), 0x01020304);
	assert_int_equal(w[1], 0x20000017);	/* BD accesses leave TAR alone */
}

/* Bus error: STICKYERR, status for a one-word batch, ABORT clears it. */
static void test_sticky_error_and_abort(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[2];
	uint64_t errors = sim_dap_counters(t->dap)->bus_errors;

	mem_setup(&b, CSW_WORD_SINGLE, 0x40000000);	/* nothing mapped there */
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(t->dap, &b, w), SIM_DAP_STATUS_FAULT);
	assert_int_equal(w[0], 0);
	assert_true(sim_dap_ctrl_stat(t->dap) & STICKYERR);
	assert_int_equal(sim_dap_counters(t->dap)->bus_errors, errors + 1);
	assert_int_equal(sim_dap_tar(t->dap), 0x40000004);	/* incremented, as on Cortex-M4 */

	/* Writing STICKYERR through CTRL/STAT does not clear it on SW-DP. */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000020);
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xF0000020u);

	/* Sticky does not block the next batch. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_WORD_SINGLE, 0x20000000);
	batch_ap_write(&b, AP_DRW, 0x600DF00D);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(ram32(t, 0x20000000), 0x600DF00D);

	/* ABORT.STKERRCLR (DP addr 0 write) clears it. */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_ABORT, 0x4);
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xF0000000u);

	/* Write fault; the ABORT address space (4) clears it as well. */
	memset(&b, 0, sizeof(b));
	mem_setup(&b, CSW_WORD_SINGLE, 0x40000000);
	batch_ap_write(&b, AP_DRW, 0x12345678);
	assert_int_equal(run(t->dap, &b, NULL), SIM_DAP_STATUS_FAULT);
	assert_true(sim_dap_ctrl_stat(t->dap) & STICKYERR);
	memset(&b, 0, sizeof(b));
	batch_req(&b, BATCH_SPACE_ABORT, true, 0, true, 0x1E);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_false(sim_dap_ctrl_stat(t->dap) & STICKYERR);
}

/* Two or more result words: no status (OpenOCD 0.12.0 would abort), zeros returned. */
static void test_error_status_rule(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	uint32_t w[3];

	batch_put32(t->bus->ram + 0xFFF8, 0xAAAAAAAA);
	batch_put32(t->bus->ram + 0xFFFC, 0xBBBBBBBB);
	mem_setup(&b, CSW_WORD_SINGLE, 0x2000FFF8);
	batch_ap_read(&b, AP_DRW);
	batch_ap_read(&b, AP_DRW);
	batch_ap_write(&b, AP_TAR, 0x20010000);	/* one past the end of RAM */
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(b.words, 3);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0xAAAAAAAA);
	assert_int_equal(w[1], 0xBBBBBBBB);
	assert_int_equal(w[2], 0);
	assert_true(sim_dap_ctrl_stat(t->dap) & STICKYERR);

	/* The same fault in a one-word batch reports a status. */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, AP_TAR, 0x20010000);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(t->dap, &b, w), SIM_DAP_STATUS_FAULT);

	/* After a fault, later AP accesses of the batch are not performed. */
	memset(&b, 0, sizeof(b));
	fake_bus_clear_log(t->bus);
	batch_ap_write(&b, AP_TAR, 0x20010000);
	batch_ap_write(&b, AP_DRW, 1);
	batch_ap_write(&b, AP_TAR, 0x20000000);
	batch_ap_write(&b, AP_DRW, 2);
	assert_int_equal(run(t->dap, &b, NULL), SIM_DAP_STATUS_FAULT);
	assert_int_equal(t->bus->log_count, 1);
}

/* OpenOCD's empty dap_run message carries a stale DRW write: execute nothing. */
static void test_empty_stale_batch(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	const struct sim_dap_counters *c = sim_dap_counters(t->dap);
	uint64_t empty = c->empty_batches, batches = c->batches, tr = c->transactions;
	uint8_t out[4];
	size_t len = 99;

	mem_setup(&b, CSW_WORD_SINGLE, 0x20000100);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, AP_DRW, 0xDEADBEEF);
	fake_bus_clear_log(t->bus);
	assert_int_equal(sim_dap_execute(t->dap, b.buf, b.len, 0, out, 0, &len), 0);
	assert_int_equal(len, 0);
	assert_int_equal(t->bus->log_count, 0);
	assert_int_equal(sim_dap_tar(t->dap), 0x20000100);
	assert_int_equal(c->empty_batches, empty + 1);
	assert_int_equal(c->batches, batches + 2);
	assert_int_equal(c->transactions, tr + 3);
}

static void test_counters(void **state)
{
	struct dap_test *t = *state;
	struct dap_batch b = { 0 };
	const struct sim_dap_counters *c = sim_dap_counters(t->dap);
	struct sim_dap_counters before = *c;

	mem_setup(&b, CSW_BYTE_PACKED, 0x20000000);
	batch_ap_write(&b, AP_DRW, 0);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(t->dap, &b, NULL), 0);
	assert_int_equal(c->transactions - before.transactions, 6);
	assert_int_equal(c->ap_writes - before.ap_writes, 3);
	assert_int_equal(c->ap_reads - before.ap_reads, 1);
	assert_int_equal(c->mem_bytes_written - before.mem_bytes_written, 4);
	assert_int_equal(c->mem_bytes_read - before.mem_bytes_read, 4);
}

static uint64_t read_pidr(struct dap_test *t, uint32_t base, uint32_t *cidr)
{
	uint64_t pidr = 0;
	uint32_t v;

	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(sim_bus_read(t->bus, base + 0xFE0 + 4 * i, 4, &v), 0);
		pidr |= (uint64_t)(v & 0xFF) << (8 * i);
	}
	assert_int_equal(sim_bus_read(t->bus, base + 0xFD0, 4, &v), 0);
	pidr |= (uint64_t)(v & 0xFF) << 32;
	*cidr = 0;
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(sim_bus_read(t->bus, base + 0xFF0 + 4 * i, 4, &v), 0);
		*cidr |= (v & 0xFF) << (8 * i);
	}
	return pidr;
}

/* Cortex-M7 tables of adiv5-dap.md section 8.1, read as `dap info` does. */
static void test_rom_tables_m7(void **state)
{
	struct dap_test *t = *state;
	static const uint32_t processor[] = { 0x00001003, 0xFFF43003, 0xFFF45003, 0x1FF02002, 0 };
	static const uint32_t ppb[] = { 0xFFF0F003, 0xFFF02003, 0xFFF03003, 0xFFF01003,
					0xFFF41002, 0xFFF42002, 0 };
	struct dap_batch b = { 0 };
	uint32_t w[8], cidr, v;

	/* Processor table entries through the AP, via BD0-3 as dap info does. */
	mem_setup(&b, CSW_WORD_SINGLE, 0xE00FE000);
	batch_dp_write(&b, DP_SELECT, 0x10);
	for (unsigned int i = 0; i < 4; i++)
		batch_ap_read(&b, AP_BD0 + 4 * i);
	batch_dp_write(&b, DP_SELECT, 0x00);
	batch_ap_write(&b, AP_TAR, 0xE00FE010);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_memory_equal(w, processor, sizeof(processor));

	for (unsigned int i = 0; i < sizeof(ppb) / 4; i++) {
		assert_int_equal(sim_bus_read(t->bus, 0xE00FF000 + 4 * i, 4, &v), 0);
		assert_int_equal(v, ppb[i]);
	}
	assert_int_equal(sim_bus_read(t->bus, 0xE00FF0FC, 4, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(sim_bus_read(t->bus, 0xE00FFFCC, 4, &v), 0);
	assert_int_equal(v, 1);		/* MEMTYPE: system memory present */

	assert_true(read_pidr(t, 0xE00FE000, &cidr) == 0x04000BB4C8ull);
	assert_int_equal(cidr, 0xB105100D);
	assert_true(read_pidr(t, 0xE00FF000, &cidr) == 0x04000BB4C7ull);
	assert_int_equal(cidr, 0xB105100D);
	assert_true(read_pidr(t, 0xE0041000, &cidr) == 0x04001BB975ull);	/* ETM stub */
	assert_int_equal(cidr, 0xB105900D);
	assert_true(read_pidr(t, 0xE0043000, &cidr) == 0x04004BB906ull);	/* CTI stub */
	assert_int_equal(sim_bus_read(t->bus, 0xE0042000, 4, &v), -1);	/* TRM's CTI slot: empty */

	/* Byte reads of a ROM table word (CIDR1 low byte, PIDR0). */
	assert_int_equal(sim_bus_read(t->bus, 0xE00FFFF4, 1, &v), 0);
	assert_int_equal(v, 0x10);
	assert_int_equal(sim_bus_read(t->bus, 0xE00FF001, 1, &v), 0);
	assert_int_equal(v, 0xF0);

	/* The ID block the core model serves from its own SCS/DWT/FPB. */
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M7, SIM_CS_SCS, 0xFE0, &v));
	assert_int_equal(v, 0x0C);
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M7, SIM_CS_FPB, 0xFE0, &v));
	assert_int_equal(v, 0x0E);
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M7, SIM_CS_DWT, 0xFF8, &v));
	assert_int_equal(v, 0x05);
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M7, SIM_CS_DWT, 0xFF4, &v));
	assert_int_equal(v, 0xE0);	/* class 0xE */
	assert_false(sim_coresight_id_read(SIM_ROM_CORTEX_M7, SIM_CS_SCS, 0xD00, &v));
	assert_int_equal(sim_coresight_base(SIM_ROM_CORTEX_M7, SIM_CS_TPIU), 0);
}

/* Cortex-M3 (STM32F103) and M4: one table at 0xE00FF000 (section 8.2). */
static void test_rom_tables_m3_m4(void **state)
{
	struct sim_device devs[8];
	struct sim_bus *bus = fake_bus_create();
	unsigned int n = sim_rom_devices(SIM_ROM_CORTEX_M3, SIM_CS_STUBS_TRACE, devs, 8);
	uint32_t v;

	(void)state;
	assert_int_equal(n, 2);		/* ROM table + TPIU stub; no ETM, no CTI */
	for (unsigned int i = 0; i < n; i++)
		fake_bus_add_device(bus, &devs[i]);
	assert_int_equal(sim_bus_read(bus, 0xE00FF010, 4, &v), 0);
	assert_int_equal(v, 0xFFF41003);
	assert_int_equal(sim_bus_read(bus, 0xE00FF014, 4, &v), 0);
	assert_int_equal(v, 0xFFF42002);
	assert_int_equal(sim_bus_read(bus, 0xE00FFFE0, 4, &v), 0);
	assert_int_equal(v, 0xC3);
	assert_int_equal(sim_bus_read(bus, 0xE0040FE0, 4, &v), 0);
	assert_int_equal(v, 0x23);	/* TPIU-Lite 0x923 */
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M3, SIM_CS_SCS, 0xFE8, &v));
	assert_int_equal(v, 0x1B);	/* PIDR 0x001BB000 */
	fake_bus_destroy(bus);

	n = sim_rom_devices(SIM_ROM_CORTEX_M4, SIM_CS_STUBS_TRACE, devs, 8);
	assert_int_equal(n, 3);
	assert_int_equal(sim_coresight_base(SIM_ROM_CORTEX_M4, SIM_CS_ETM), 0xE0041000);
	assert_true(sim_coresight_id_read(SIM_ROM_CORTEX_M4, SIM_CS_DWT, 0xFE8, &v));
	assert_int_equal(v, 0x3B);	/* PIDR 0x003BB002 */
	/* Only ROM tables when no stubs are asked for. */
	assert_int_equal(sim_rom_devices(SIM_ROM_CORTEX_M7, 0, devs, 8), 2);
}

/* Optional word-only window for the shared "AP 2" DBGMCU path. */
static void test_word_only_window(void **state)
{
	struct dap_test *t = *state;
	struct sim_dap_config cfg = { .dpidr = H7_DPIDR, .ap_idr = H7_AP_IDR,
				      .word_only_base = 0x20008000, .word_only_size = 0x1000 };
	struct sim_dap *dap = sim_dap_create(t->bus, &cfg);
	struct dap_batch b = { 0 };

	fake_bus_clear_log(t->bus);
	mem_setup(&b, 0xAA000020, 0x20008004);	/* AP 0's byte|packed CSW left behind */
	batch_ap_write(&b, AP_DRW, 0x00000007);
	assert_int_equal(run(dap, &b, NULL), 0);
	assert_int_equal(t->bus->log_count, 1);
	assert_int_equal(t->bus->log[0].size, 4);
	assert_int_equal(ram32(t, 0x20008004), 7);
	sim_dap_destroy(dap);
}

/* ---- SELECT with AP number and DP bank (clients of version 48 and later) ---- */

#define SELECT_AP(n, bank)	((uint32_t)(n) << 24 | (bank))
#define H7_APB_AP_IDR		0x54770002u
#define DBGMCU_IDCODE_H7	0x20036450u
#define APBD_DBGMCU		0xE00E1000u	/* DBGMCU as AP 2 reaches it */

struct h7_dap {
	struct sim_bus *bus;
	struct sim_dap *dap;
	uint32_t dbgmcu[4];		/* IDCODE, CR, ... at APBD_DBGMCU */
};

static void h7_dap_create(struct h7_dap *h)
{
	struct sim_dap_config cfg = {
		.dpidr = H7_DPIDR, .ap_idr = H7_AP_IDR, .ap_base = H7_AP_BASE,
		.ap_layout = SIM_DAP_APS_STM32H7,
	};

	memset(h, 0, sizeof(*h));
	h->bus = fake_bus_create();
	h->dbgmcu[0] = DBGMCU_IDCODE_H7;
	fake_bus_add_words(h->bus, APBD_DBGMCU, h->dbgmcu, 4);
	h->dap = sim_dap_create(h->bus, &cfg);
}

static void h7_dap_destroy(struct h7_dap *h)
{
	sim_dap_destroy(h->dap);
	fake_bus_destroy(h->bus);
}

/* AP identification as `dap info N` / dap_find_get_ap read it. */
static uint32_t ap_idr(struct sim_dap *dap, unsigned int ap)
{
	struct dap_batch b = { 0 };
	uint32_t w[1];

	batch_dp_write(&b, DP_SELECT, SELECT_AP(ap, 0xF0));
	batch_ap_read(&b, AP_IDR);
	assert_int_equal(run(dap, &b, w), 0);
	return w[0];
}

static void test_ap_layout_stm32h7(void **state)
{
	struct h7_dap h;
	struct dap_batch b = { 0 };
	uint32_t w[2];

	(void)state;
	h7_dap_create(&h);
	assert_int_equal(ap_idr(h.dap, 0), H7_AP_IDR);
	assert_int_equal(ap_idr(h.dap, 1), 0x84770001u);	/* second AHB-AP */
	assert_int_equal(ap_idr(h.dap, 2), H7_APB_AP_IDR);
	assert_int_equal(ap_idr(h.dap, 3), 0);			/* no M4 on single-core parts */
	assert_int_equal(ap_idr(h.dap, 255), 0);

	/* An absent AP ignores writes and reads 0. */
	batch_dp_write(&b, DP_SELECT, SELECT_AP(3, 0));
	batch_ap_write(&b, AP_TAR, 0x20000000);
	batch_ap_write(&b, AP_DRW, 0xDEADBEEF);
	batch_ap_read(&b, AP_TAR);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0], 0);
	assert_int_equal(batch_get32(h.bus->ram), 0);

	/* AP 2 is an APB-AP: mem_ap_init's byte|packed probe reads back word, no packing. */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_SELECT, SELECT_AP(2, 0));
	batch_ap_write(&b, AP_CSW, CSW_BYTE_PACKED);
	batch_ap_read(&b, AP_CSW);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0] & 0x37, 0x02);

	/* AP 2 reaches the debug APB only; AP 1 not the core's PPB. */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, AP_TAR, FAKE_RAM_BASE);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(h.dap, &b, w), SIM_DAP_STATUS_FAULT);
	assert_true(sim_dap_ctrl_stat(h.dap) & STICKYERR);
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_ABORT, 0x4);		/* STKERRCLR */
	batch_dp_write(&b, DP_SELECT, SELECT_AP(1, 0));
	batch_ap_write(&b, AP_CSW, CSW_WORD_SINGLE);
	batch_ap_write(&b, AP_TAR, APBD_DBGMCU);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(h.dap, &b, w), SIM_DAP_STATUS_FAULT);
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_ABORT, 0x4);
	batch_ap_write(&b, AP_TAR, FAKE_RAM_BASE);	/* ...but the system bus */
	batch_ap_write(&b, AP_DRW, 0x5A5A5A5A);
	assert_int_equal(run(h.dap, &b, NULL), 0);
	assert_int_equal(batch_get32(h.bus->ram), 0x5A5A5A5A);
	h7_dap_destroy(&h);
}

/*
 * The false halt master's client saw against a shared TAR (vdebug-protocol.md
 * section V.2): DHCSR polled through AP 0's BD0, an AP 2 read of DBGMCU,
 * then the next poll without a TAR write (OpenOCD's AP 0 cache still holds
 * it).  Per-AP TAR answers DHCSR, not DBGMCU_IDCODE.
 */
static void test_per_ap_csw_tar(void **state)
{
	struct h7_dap h;
	struct dap_batch b = { 0 };
	const uint32_t dhcsr_block = FAKE_RAM_BASE + 0x100;	/* stands in for 0xE000EDF0 */
	const uint32_t dhcsr = 0x01010001;			/* running, not halted */
	uint32_t w[2];

	(void)state;
	h7_dap_create(&h);
	batch_put32(h.bus->ram + 0x100, dhcsr);

	batch_dp_write(&b, DP_SELECT, SELECT_AP(0, 0));
	batch_ap_write(&b, AP_CSW, CSW_WORD_OFF);
	batch_ap_write(&b, AP_TAR, dhcsr_block);
	batch_dp_write(&b, DP_SELECT, SELECT_AP(0, 0x10));
	batch_ap_read(&b, AP_BD0);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0], dhcsr);

	memset(&b, 0, sizeof(b));			/* stm32h7x.ap2 mdw 0xE00E1000 */
	batch_dp_write(&b, DP_SELECT, SELECT_AP(2, 0));
	batch_ap_write(&b, AP_CSW, CSW_WORD_SINGLE);
	batch_ap_write(&b, AP_TAR, APBD_DBGMCU);
	batch_ap_read(&b, AP_DRW);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0], DBGMCU_IDCODE_H7);
	assert_int_equal(sim_dap_ap_tar(h.dap, 2), APBD_DBGMCU + 4);

	memset(&b, 0, sizeof(b));			/* next poll: SELECT + BD0 only */
	batch_dp_write(&b, DP_SELECT, SELECT_AP(0, 0x10));
	batch_ap_read(&b, AP_BD0);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0], dhcsr);
	assert_int_equal(sim_dap_ap_tar(h.dap, 0), dhcsr_block);
	assert_int_equal(sim_dap_ap_csw(h.dap, 0) & 0x3F, 0x02);	/* word, no increment */
	assert_int_equal(sim_dap_ap_csw(h.dap, 2) & 0x3F, 0x12);	/* word, single */
	h7_dap_destroy(&h);
}

/*
 * A version-44 client (OpenOCD 0.12.0) never sends the AP number: all its
 * traffic, "AP 2" included, reaches AP 0, which sees the whole bus.  The
 * same poll sequence then does read DBGMCU_IDCODE: that is why the
 * interface hook sends DBGMCU accesses through AP 0 at 0x5C001000 there.
 */
static void test_version44_merged_ap(void **state)
{
	struct h7_dap h;
	struct dap_batch b = { 0 };
	uint32_t w[1];

	(void)state;
	h7_dap_create(&h);
	batch_dp_write(&b, DP_SELECT, 0);
	batch_ap_write(&b, AP_CSW, CSW_WORD_OFF);
	batch_ap_write(&b, AP_TAR, FAKE_RAM_BASE + 0x100);
	batch_dp_write(&b, DP_SELECT, 0x10);
	batch_ap_read(&b, AP_BD0);
	batch_dp_write(&b, DP_SELECT, 0);		/* "AP 2" access, no APSEL */
	batch_ap_write(&b, AP_CSW, CSW_WORD_SINGLE);
	batch_ap_write(&b, AP_TAR, APBD_DBGMCU);
	batch_ap_read(&b, AP_DRW);
	batch_dp_write(&b, DP_SELECT, 0x10);
	batch_ap_read(&b, AP_BD0);
	assert_int_equal(b.words, 3);
	fake_bus_clear_log(h.bus);
	assert_int_equal(run(h.dap, &b, NULL), 0);
	assert_int_equal(h.bus->log_count, 3);
	assert_int_equal(h.bus->log[2].addr, APBD_DBGMCU);	/* BD0 at the block of the moved TAR */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_SELECT, 0xF0);
	batch_ap_read(&b, AP_IDR);
	assert_int_equal(run(h.dap, &b, w), 0);
	assert_int_equal(w[0], H7_AP_IDR);
	h7_dap_destroy(&h);
}

/* DP registers behind addr 1 by SELECT.DPBANKSEL (DPv2); a DPv1 ignores the bank. */
static void test_dp_banks(void **state)
{
	struct dap_test *t = *state;
	struct sim_dap_config v1 = { .dpidr = 0x1BA01477, .ap_idr = 0x14770011 };
	struct sim_dap *dap1 = sim_dap_create(t->bus, &v1);
	struct dap_batch b = { 0 };
	uint32_t w[4];

	batch_dp_write(&b, DP_SELECT, 0);
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000000);
	batch_dp_write(&b, DP_SELECT, 0x1);		/* DLCR */
	batch_dp_write(&b, DP_CTRL_STAT, 0xFFFFFFFF);	/* must not reach CTRL/STAT */
	batch_dp_read(&b, DP_CTRL_STAT, true);
	batch_dp_write(&b, DP_SELECT, 0x3);		/* DLPIDR */
	batch_dp_read(&b, DP_CTRL_STAT, true);
	batch_dp_write(&b, DP_SELECT, 0x2);		/* TARGETID (dpreg 0x24) */
	batch_dp_read(&b, DP_CTRL_STAT, true);
	batch_dp_write(&b, DP_SELECT, 0x10);		/* an AP access: bank 0 again */
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(t->dap, &b, w), 0);
	assert_int_equal(w[0], 0x00000340u);		/* TURNROUND written, bit 6 */
	assert_int_equal(w[1], 0x00000001u);		/* SWD protocol version 2 */
	assert_int_equal(w[2], 0);
	assert_int_equal(w[3], 0xF0000000u);
	assert_int_equal(sim_dap_select(t->dap), 0x10);

	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, DP_SELECT, 0x1);
	batch_dp_write(&b, DP_CTRL_STAT, 0x50000000);
	batch_dp_read(&b, DP_CTRL_STAT, true);
	assert_int_equal(run(dap1, &b, w), 0);
	assert_int_equal(w[0], 0xF0000000u);
	sim_dap_destroy(dap1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_power_up_handshake, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dpidr, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select_rdbuff_across_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_csw_sizes_byte_lanes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tar_autoincrement_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packed_transfers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_banked_data, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sticky_error_and_abort, setup, teardown),
		cmocka_unit_test_setup_teardown(test_error_status_rule, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_stale_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_counters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rom_tables_m7, setup, teardown),
		cmocka_unit_test(test_rom_tables_m3_m4),
		cmocka_unit_test_setup_teardown(test_word_only_window, setup, teardown),
		cmocka_unit_test(test_ap_layout_stm32h7),
		cmocka_unit_test(test_per_ap_csw_tar),
		cmocka_unit_test(test_version44_merged_ap),
		cmocka_unit_test_setup_teardown(test_dp_banks, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
