// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Bus, core and machine tests: everything is driven the way OpenOCD drives
 * it, through debug registers on the bus (DHCSR, DCRSR/DCRDR, DEMCR, DFSR,
 * AIRCR, FP_CTRL/FP_COMPn), and checked against the ARMv7-M rules in
 * cortex-m-debug.md.  Thumb code is hand-assembled; each halfword carries
 * its mnemonic.  A fresh bus + core for every test.
 */

#include <pthread.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim_bus.h"
#include "sim_core.h"
#include "sim_dap.h"
#include "sim_machine.h"
#include "dap_batch.h"

#define DHCSR	0xE000EDF0u
#define DCRSR	0xE000EDF4u
#define DCRDR	0xE000EDF8u
#define DEMCR	0xE000EDFCu
#define DFSR	0xE000ED30u
#define AIRCR	0xE000ED0Cu
#define CFSR	0xE000ED28u
#define HFSR	0xE000ED2Cu
#define BFAR	0xE000ED38u
#define CPUID	0xE000ED00u
#define FP_CTRL	0xE0002000u
#define FP_COMP0 0xE0002008u
#define DWT_CTRL 0xE0001000u

#define S_REGRDY	(1u << 16)
#define S_HALT		(1u << 17)
#define S_SLEEP		(1u << 18)
#define S_RETIRE_ST	(1u << 24)
#define S_RESET_ST	(1u << 25)

#define RAM_BASE	0x20000000u
#define STACK_TOP	0x20008000u

struct fixture {
	struct sim_bus *bus;
	struct sim_core *core;
	enum sim_core_type type;
};

static uint32_t rd(struct fixture *f, uint32_t addr)
{
	uint32_t v = 0xDEADBEEF;
	assert_int_equal(sim_bus_read(f->bus, addr, 4, &v), 0);
	return v;
}

static void wr(struct fixture *f, uint32_t addr, uint32_t v)
{
	assert_int_equal(sim_bus_write(f->bus, addr, 4, v), 0);
}

static uint32_t core_reg(struct fixture *f, uint32_t regsel)
{
	wr(f, DCRSR, regsel);
	assert_true(rd(f, DHCSR) & S_REGRDY);
	return rd(f, DCRDR);
}

static void set_core_reg(struct fixture *f, uint32_t regsel, uint32_t v)
{
	wr(f, DCRDR, v);
	wr(f, DCRSR, regsel | 0x10000);
	assert_true(rd(f, DHCSR) & S_REGRDY);
}

static void put16(struct fixture *f, uint32_t addr, const uint16_t *code, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		assert_int_equal(sim_bus_write(f->bus, addr + 2 * i, 2, code[i]), 0);
}

/* Vector table at 0: SP, reset 0x100, HardFault 0x200 (b .), SVCall 0x300 (bx lr). */
static struct fixture *make(enum sim_core_type type)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[128];
	f->type = type;
	f->bus = sim_bus_create();
	assert_non_null(f->bus);
	assert_int_equal(sim_bus_add_ram(f->bus, "boot", 0, 0x10000, NULL, true), 0);
	assert_int_equal(sim_bus_add_ram(f->bus, "ram", RAM_BASE, 0x20000, NULL, true), 0);
	f->core = sim_core_create(type, f->bus, 0, err, sizeof(err));
	assert_non_null(f->core);
	wr(f, 0x00, STACK_TOP);
	wr(f, 0x04, 0x101);
	wr(f, 0x0C, 0x201);
	wr(f, 0x2C, 0x301);
	static const uint16_t hardfault[] = { 0xE7FE };	/* b . */
	static const uint16_t svc[] = { 0x4770 };	/* bx lr */
	put16(f, 0x200, hardfault, 1);
	put16(f, 0x300, svc, 1);
	return f;
}

static void destroy(struct fixture *f)
{
	sim_core_destroy(f->core);
	sim_bus_destroy(f->bus);
	free(f);
}

/* DHCSR C_DEBUGEN + DEMCR VC_CORERESET + AIRCR SYSRESETREQ: halted at reset. */
static void reset_halt(struct fixture *f)
{
	wr(f, DHCSR, 0xA05F0001);
	wr(f, DEMCR, 0x01000001);
	wr(f, AIRCR, 0x05FA0004);
}

static int setup_m7(void **state)
{
	*state = make(SIM_CORE_M7);
	return 0;
}

static int setup_m3(void **state)
{
	*state = make(SIM_CORE_M3);
	return 0;
}

static int setup_m4(void **state)
{
	*state = make(SIM_CORE_M4);
	return 0;
}

static int teardown(void **state)
{
	destroy(*state);
	return 0;
}

/* ---- bus ----------------------------------------------------------------- */

static void test_bus_map_and_window(void **state)
{
	(void)state;
	struct sim_bus *bus = sim_bus_create();
	uint32_t v;
	static uint8_t image[0x2000] __attribute__((aligned(4096)));

	assert_int_equal(sim_bus_add_ram(bus, "a", 0x20000000, 0x1000, NULL, true), 0);
	/* overlap refused, unaligned RAM refused */
	assert_int_not_equal(sim_bus_add_ram(bus, "b", 0x20000000, 0x1000, NULL, true), 0);
	assert_int_not_equal(sim_bus_add_ram(bus, "c", 0x30000800, 0x1000, NULL, true), 0);
	assert_int_equal(sim_bus_write(bus, 0x20000FFC, 4, 0xA5A5F00D), 0);
	assert_int_equal(sim_bus_read(bus, 0x20000FFE, 2, &v), 0);
	assert_int_equal(v, 0xA5A5);
	/* the word past the end is unmapped */
	assert_int_not_equal(sim_bus_read(bus, 0x20001000, 4, &v), 0);
	assert_int_not_equal(sim_bus_read(bus, 0x20000FFE, 4, &v), 0);

	/* window: absent -> bus error, present -> the host bytes, removed -> error */
	memset(image, 0, sizeof(image));
	image[0x1FFF] = 0x5A;
	assert_int_equal(sim_bus_set_window(bus, "qspi", 0x90000000, sizeof(image), NULL), 0);
	assert_int_not_equal(sim_bus_read(bus, 0x90000000, 4, &v), 0);
	assert_int_equal(sim_bus_set_window(bus, "qspi", 0x90000000, sizeof(image), image), 0);
	assert_int_equal(sim_bus_read(bus, 0x90001FFF, 1, &v), 0);
	assert_int_equal(v, 0x5A);
	/* read-only */
	assert_int_not_equal(sim_bus_write(bus, 0x90000000, 4, 0), 0);
	assert_int_equal(sim_bus_set_window(bus, "qspi", 0x90000000, sizeof(image), NULL), 0);
	assert_int_not_equal(sim_bus_read(bus, 0x90001FFF, 1, &v), 0);
	sim_bus_destroy(bus);
}

/* The CPU executes from a window, and faults once the window is gone. */
static void test_cpu_window_fetch(void **state)
{
	struct fixture *f = *state;
	static uint8_t flash[0x1000] __attribute__((aligned(4096)));
	static const uint16_t code[] = { 0x3001, 0xBE00 };	/* adds r0,#1; bkpt */

	memcpy(flash, code, sizeof(code));
	assert_int_equal(sim_bus_set_window(f->bus, "xip", 0x90000000, sizeof(flash), flash), 0);
	reset_halt(f);
	wr(f, DEMCR, 0x01000400);	/* TRCENA | VC_HARDERR */
	set_core_reg(f, 15, 0x90000000);
	set_core_reg(f, 0, 41);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(core_reg(f, 0), 42);
	assert_int_equal(core_reg(f, 15), 0x90000002);

	/* window removed while halted: fetching there is a bus error */
	assert_int_equal(sim_bus_set_window(f->bus, "xip", 0x90000000, sizeof(flash), NULL), 0);
	set_core_reg(f, 15, 0x90000000);
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(rd(f, DFSR) & 0x8, 0x8);		/* VCATCH */
	assert_int_equal(core_reg(f, 15), 0x200);		/* HardFault handler */
	assert_int_equal(core_reg(f, 16) & 0x1FF, 3);
	assert_true(rd(f, CFSR) & (1u << 8));			/* IBUSERR */
	assert_true(rd(f, HFSR) & (1u << 30));			/* FORCED */

	/*
	 * As the QUADSPI model does it: shown, removed with size 0 (the
	 * bus hides the mapping it keeps), shown again: the fetch runs, then
	 * faults again once removed; shown at another size: runs.
	 */
	static const struct { uint32_t size; bool shown; } steps[] = {
		{ sizeof(flash), true }, { 0, false }, { sizeof(flash), true }, { 0, false },
		{ sizeof(flash) / 2, true },
	};
	for (unsigned int i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		assert_int_equal(sim_bus_set_window(f->bus, "xip", 0x90000000, steps[i].size,
						    steps[i].shown ? flash : NULL), 0);
		reset_halt(f);
		wr(f, DEMCR, 0x01000400);
		set_core_reg(f, 15, 0x90000000);
		set_core_reg(f, 0, 7);
		wr(f, DFSR, 0x1F);
		wr(f, DHCSR, 0xA05F0001);
		sim_core_run(f->core);
		assert_true(rd(f, DHCSR) & S_HALT);
		if (steps[i].shown) {
			assert_int_equal(core_reg(f, 0), 8);
			assert_int_equal(core_reg(f, 15), 0x90000002);
		} else {
			assert_int_equal(rd(f, DFSR) & 0x8, 0x8);
			assert_true(rd(f, CFSR) & (1u << 8));
		}
	}
}

/* ---- debug registers ------------------------------------------------------- */

static void test_ids(void **state)
{
	struct fixture *f = *state;
	switch (f->type) {
	case SIM_CORE_M7:
		assert_int_equal(rd(f, CPUID), 0x411FC271);
		assert_int_equal(rd(f, 0xE000EF40), 0x10110221);
		assert_int_equal(rd(f, 0xE000EF44), 0x12000011);
		assert_int_equal(rd(f, FP_CTRL), 0x10000080);
		break;
	case SIM_CORE_M4:
		assert_int_equal(rd(f, CPUID), 0x410FC241);
		assert_int_equal(rd(f, 0xE000EF40), 0x10110021);
		assert_int_equal(rd(f, FP_CTRL), 0x00000260);
		break;
	case SIM_CORE_M3:
		assert_int_equal(rd(f, CPUID), 0x411FC231);
		assert_int_equal(rd(f, FP_CTRL), 0x00000260);
		break;
	}
	assert_int_equal(rd(f, DWT_CTRL) >> 28, 4);
	assert_int_equal(rd(f, AIRCR) >> 16, 0xFA05);
	/* FP_CTRL enable needs KEY */
	wr(f, FP_CTRL, 1);
	assert_int_equal(rd(f, FP_CTRL) & 1, 0);
	wr(f, FP_CTRL, 3);
	assert_int_equal(rd(f, FP_CTRL) & 1, 1);
	/* SCS CoreSight CIDR: class 0xE, PIDR4 = 0x04 */
	assert_int_equal(rd(f, 0xE000EFF0), 0x0D);
	assert_int_equal(rd(f, 0xE000EFF4), 0xE0);
	assert_int_equal(rd(f, 0xE000EFD0), 0x04);
}

static void test_reset_vector_catch(void **state)
{
	struct fixture *f = *state;
	reset_halt(f);
	uint32_t dhcsr = rd(f, DHCSR);
	assert_true(dhcsr & S_HALT);
	assert_true(dhcsr & S_RESET_ST);
	/* sticky bits clear on read */
	assert_false(rd(f, DHCSR) & S_RESET_ST);
	assert_int_equal(rd(f, DFSR) & 0x8, 0x8);		/* VCATCH */
	wr(f, DFSR, 0x8);
	assert_int_equal(rd(f, DFSR) & 0x8, 0);		/* write 1 to clear */
	assert_int_equal(core_reg(f, 15), 0x100);
	assert_int_equal(core_reg(f, 13), STACK_TOP);
	assert_int_equal(core_reg(f, 17), STACK_TOP);	/* MSP */
	assert_int_equal(core_reg(f, 16), 0x01000000);
	assert_int_equal(core_reg(f, 14), 0xFFFFFFFF);

	/* without VC_CORERESET the core runs after reset */
	wr(f, DEMCR, 0x01000000);
	wr(f, DHCSR, 0xA05F0001);
	wr(f, AIRCR, 0x05FA0004);
	dhcsr = rd(f, DHCSR);
	assert_false(dhcsr & S_HALT);
	assert_true(dhcsr & S_RESET_ST);
	/* wrong key: ignored */
	wr(f, AIRCR, 0x00000004);
	assert_false(rd(f, DHCSR) & S_RESET_ST);
}

static void test_halt_step_resume(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x3001,		/* 0x100 adds r0,#1 */
		0x3001,		/* 0x102 adds r0,#1 */
		0xE7FC,		/* 0x104 b 0x100 */
	};
	put16(f, 0x100, code, 3);
	reset_halt(f);
	/* DHCSR without the key is ignored */
	wr(f, DHCSR, 0x00000005);
	assert_true(rd(f, DHCSR) & S_HALT);

	wr(f, DHCSR, 0xA05F0005);	/* C_STEP, C_HALT clear */
	assert_false(rd(f, DHCSR) & S_HALT);
	sim_core_run(f->core);
	uint32_t dhcsr = rd(f, DHCSR);
	assert_true(dhcsr & S_HALT);
	assert_true(dhcsr & S_RETIRE_ST);
	assert_int_equal(core_reg(f, 15), 0x102);
	assert_int_equal(core_reg(f, 0), 1);
	assert_int_equal(rd(f, DFSR) & 1, 1);		/* HALTED */
	/* two more steps: through the branch */
	wr(f, DHCSR, 0xA05F0005);
	sim_core_run(f->core);
	wr(f, DHCSR, 0xA05F0005);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 15), 0x100);
	assert_int_equal(core_reg(f, 0), 2);

	/* C_HALT while running: sim_core_run then does nothing */
	wr(f, DHCSR, 0xA05F0001);
	assert_true(sim_core_runnable(f->core));
	wr(f, DHCSR, 0xA05F0003);
	assert_false(sim_core_runnable(f->core));
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 15), 0x100);
}

static void test_registers(void **state)
{
	struct fixture *f = *state;
	reset_halt(f);
	for (uint32_t r = 0; r <= 12; r++)
		set_core_reg(f, r, 0x11111111u * (r + 1) + r);
	for (uint32_t r = 0; r <= 12; r++)
		assert_int_equal(core_reg(f, r), 0x11111111u * (r + 1) + r);
	set_core_reg(f, 14, 0x08000123);
	assert_int_equal(core_reg(f, 14), 0x08000123);
	set_core_reg(f, 15, 0x20000101);		/* bit 0 ignored */
	assert_int_equal(core_reg(f, 15), 0x20000100);
	set_core_reg(f, 16, 0x81000000);		/* N flag, thread mode */
	assert_int_equal(core_reg(f, 16), 0x81000000);
	set_core_reg(f, 13, 0x20004000);
	assert_int_equal(core_reg(f, 17), 0x20004000);	/* SP is MSP in thread mode, SPSEL 0 */
	set_core_reg(f, 18, 0x20002000);
	assert_int_equal(core_reg(f, 18), 0x20002000);
	/* packed CONTROL | FAULTMASK | BASEPRI | PRIMASK */
	set_core_reg(f, 20, 0x00012001);
	assert_int_equal(core_reg(f, 20), 0x00012001);
	set_core_reg(f, 20, 0);
	assert_int_equal(core_reg(f, 20), 0);
	if (f->type != SIM_CORE_M3) {
		set_core_reg(f, 0x40, 0x3F800000);	/* S0 = 1.0f */
		set_core_reg(f, 0x5F, 0xC0000000);	/* S31 = -2.0f */
		assert_int_equal(core_reg(f, 0x40), 0x3F800000);
		assert_int_equal(core_reg(f, 0x5F), 0xC0000000);
		set_core_reg(f, 0x21, 0x03000000);
		assert_int_equal(core_reg(f, 0x21), 0x03000000);
	}
}

static void test_bkpt_halts_at_instruction(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = { 0xBF00, 0x2007, 0xBE00, 0x2009 };	/* nop; movs r0,#7; bkpt; movs r0,#9 */
	put16(f, 0x100, code, 4);
	reset_halt(f);
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(rd(f, DFSR), 0x2);		/* BKPT only */
	assert_int_equal(core_reg(f, 15), 0x104);
	assert_int_equal(core_reg(f, 0), 7);
}

static void test_fpb_breakpoint(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x3001,		/* 0x100 adds r0,#1 */
		0x3001,		/* 0x102 adds r0,#1 */
		0x3001,		/* 0x104 adds r0,#1 */
		0xE7FB,		/* 0x106 b 0x100 */
	};
	bool v2 = f->type == SIM_CORE_M7;
	put16(f, 0x100, code, 4);
	reset_halt(f);
	wr(f, FP_CTRL, 3);
	/* breakpoint on 0x104: v2 = address | 1, v1 = REPLACE lower halfword */
	wr(f, FP_COMP0 + 4, v2 ? (0x104 | 1) : (0x40000000u | 0x104 | 1));
	assert_int_equal(rd(f, FP_COMP0 + 4) & 1, 1);
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(rd(f, DFSR), 0x2);
	assert_int_equal(core_reg(f, 15), 0x104);
	assert_int_equal(core_reg(f, 0), 2);		/* instruction at 0x104 not executed */

	/* resuming at a matching address halts at once (OpenOCD's step relies on it) */
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 15), 0x104);
	assert_int_equal(core_reg(f, 0), 2);

	/* comparator off: runs on; move it to 0x102 (v1: upper halfword of 0x100) */
	wr(f, FP_COMP0 + 4, 0);
	wr(f, FP_COMP0, v2 ? (0x102 | 1) : (0x80000000u | 0x100 | 1));
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 15), 0x102);
	assert_int_equal(core_reg(f, 0), 4);		/* 0x104, then 0x100 after the branch */

	/* FPB disabled: comparators ignored; halt the runaway via the machine */
	wr(f, FP_CTRL, 2);
	assert_int_equal(rd(f, FP_CTRL) & 1, 0);
	wr(f, FP_COMP0, 0);
	static const uint16_t stop[] = { 0xBE00 };	/* bkpt at 0x108 reached via ... */
	(void)stop;
}

static void test_fault_vector_catch(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x4801,		/* 0x100 ldr r0,[pc,#4] -> 0x108 */
		0x6801,		/* 0x102 ldr r1,[r0] */
		0xE7FE,		/* 0x104 b . */
		0xBF00,		/* 0x106 nop */
		0x0000, 0x6000,	/* 0x108 .word 0x60000000 (unmapped) */
	};
	put16(f, 0x100, code, 6);
	reset_halt(f);
	wr(f, DEMCR, 0x01000400);	/* VC_HARDERR */
	set_core_reg(f, 2, 0x22222222);
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(rd(f, DFSR), 0x8);		/* VCATCH */
	assert_int_equal(core_reg(f, 15), 0x200);
	assert_int_equal(core_reg(f, 16) & 0x1FF, 3);	/* IPSR HardFault */
	assert_int_equal(core_reg(f, 14), 0xFFFFFFF9);
	assert_int_equal(rd(f, CFSR), (1u << 9) | (1u << 15));	/* PRECISERR | BFARVALID */
	assert_int_equal(rd(f, BFAR), 0x60000000);
	assert_int_equal(rd(f, HFSR), 1u << 30);	/* FORCED */
	uint32_t sp = core_reg(f, 13);
	assert_int_equal(sp, STACK_TOP - 0x20);
	assert_int_equal(rd(f, sp + 8), 0x22222222);	/* stacked R2 */
	uint32_t stacked_pc = rd(f, sp + 24);
	assert_in_range(stacked_pc, 0x100, 0x102);	/* translation-block precision */
	assert_int_equal(rd(f, sp + 28) & 0x01000000, 0x01000000);
	/* CFSR is write-1-to-clear */
	wr(f, CFSR, 1u << 9);
	assert_int_equal(rd(f, CFSR), 1u << 15);
}

static void test_svc_and_exception_return(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x2005,		/* 0x100 movs r0,#5 */
		0xDF00,		/* 0x102 svc 0 */
		0x3001,		/* 0x104 adds r0,#1 */
		0xBE00,		/* 0x106 bkpt */
	};
	put16(f, 0x100, code, 4);
	reset_halt(f);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	for (int i = 0; i < 8 && !(rd(f, DHCSR) & S_HALT); i++)
		sim_core_run(f->core);		/* exception entry/return are separate stops */
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(core_reg(f, 15), 0x106);
	assert_int_equal(core_reg(f, 0), 6);
	assert_int_equal(core_reg(f, 16) & 0x1FF, 0);	/* back in thread mode */
	assert_int_equal(core_reg(f, 13), STACK_TOP);
}

static void test_wfi_sleeps_until_halt(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = { 0x2003, 0xBF30, 0x2004, 0xE7FE };	/* movs; wfi; movs; b . */
	put16(f, 0x100, code, 4);
	reset_halt(f);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(sim_core_state(f->core), SIM_CORE_SLEEPING);
	uint32_t dhcsr = rd(f, DHCSR);
	assert_true(dhcsr & S_SLEEP);
	assert_false(dhcsr & S_HALT);
	wr(f, DHCSR, 0xA05F0003);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(core_reg(f, 15), 0x104);	/* after the WFI */
	assert_int_equal(core_reg(f, 0), 3);
}

/* Debugger rewrites code while halted; the CPU must run the new code. */
static void test_debugger_code_patch(void **state)
{
	struct fixture *f = *state;
	static const uint16_t a[] = { 0x2001, 0xBE00 };	/* movs r0,#1; bkpt */
	static const uint16_t b[] = { 0x2002, 0xBE00 };	/* movs r0,#2; bkpt */
	put16(f, 0x20000100, a, 2);
	reset_halt(f);
	set_core_reg(f, 15, 0x20000100);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 0), 1);
	put16(f, 0x20000100, b, 2);
	set_core_reg(f, 15, 0x20000100);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 0), 2);
}

/*
 * The bus knows which pages the CPU ran code from: a debugger write there
 * (while the CPU runs, as OpenOCD writes a FIFO) leaves translations to
 * drop, one to a page without code does not, so the CPU need not stop for
 * it.  A page holding both keeps working: patched code runs.
 */
static void test_code_pages(void **state)
{
	struct fixture *f = *state;
	static const uint16_t a[] = { 0x2001, 0xBE00 };	/* movs r0,#1; bkpt */
	static const uint16_t b[] = { 0x2002, 0xBE00 };	/* movs r0,#2; bkpt */
	const uint8_t *map = sim_bus_code_map(f->bus);
	const uint32_t code = 0x20000500, data = 0x20001800;
	put16(f, code, a, 2);
	reset_halt(f);
	sim_bus_sync_cpu(f->bus);
	assert_false(sim_bus_cpu_sync_pending(f->bus));
	set_core_reg(f, 15, code);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);
	assert_int_equal(core_reg(f, 0), 1);
	uint32_t page = code >> SIM_BUS_CODE_PAGE_SHIFT;
	assert_true(map[page >> 3] & (1u << (page & 7)));
	page = data >> SIM_BUS_CODE_PAGE_SHIFT;
	assert_false(map[page >> 3] & (1u << (page & 7)));

	uint32_t v = 0x11223344;
	assert_true(sim_bus_ram_access_running(f->bus, data, 4, true, &v));
	assert_false(sim_bus_cpu_sync_pending(f->bus));
	assert_int_equal(rd(f, data), 0x11223344);
	v = b[0] | (uint32_t)b[1] << 16;
	assert_true(sim_bus_ram_access_running(f->bus, code, 4, true, &v));
	assert_true(sim_bus_cpu_sync_pending(f->bus));
	set_core_reg(f, 15, code);
	wr(f, DHCSR, 0xA05F0001);
	sim_core_run(f->core);		/* syncs first */
	assert_false(sim_bus_cpu_sync_pending(f->bus));
	assert_int_equal(core_reg(f, 0), 2);
}

/* ---- machine ------------------------------------------------------------------ */

static void *run_thread(void *arg)
{
	sim_machine_run(arg);
	return NULL;
}

static void test_machine_runs_between_pauses(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x4802,		/* 0x100 ldr r0,[pc,#8] -> 0x10C */
		0x6801,		/* 0x102 ldr r1,[r0] */
		0x3101,		/* 0x104 adds r1,#1 */
		0x6001,		/* 0x106 str r1,[r0] */
		0xE7FB,		/* 0x108 b 0x102 */
		0xBF00,		/* 0x10A nop */
		0x0000, 0x2000,	/* 0x10C .word 0x20000000 */
	};
	put16(f, 0x100, code, 8);
	reset_halt(f);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	pthread_t th;
	wr(f, DHCSR, 0xA05F0001);
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);

	uint32_t prev = 0;
	for (int i = 0; i < 5; i++) {
		usleep(20000);
		sim_machine_pause(m);
		uint32_t now = rd(f, RAM_BASE);
		assert_true(rd(f, DHCSR) & S_RETIRE_ST);
		sim_machine_resume(m);
		assert_true(now > prev);	/* it ran while we were not looking */
		prev = now;
	}
	/* halt through DHCSR inside a pause: the counter freezes */
	sim_machine_pause(m);
	wr(f, DHCSR, 0xA05F0003);
	uint32_t frozen = rd(f, RAM_BASE);
	sim_machine_resume(m);
	usleep(20000);
	sim_machine_pause(m);
	assert_int_equal(rd(f, RAM_BASE), frozen);
	assert_false(rd(f, DHCSR) & S_RETIRE_ST);
	sim_machine_resume(m);

	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_machine_destroy(m);
}

/*
 * The core keeps running while the debugger reads RAM through the MEM-AP,
 * as on silicon where the AHB-AP shares the bus: the counter loop's word,
 * read 253 times in one DAP batch (AddrInc off), changes inside the batch,
 * every value read is a whole counter value (word-atomic, never
 * decreasing), and such batches pause the CPU zero times.  A batch that
 * touches a debug register (DHCSR) parks it: exactly one pause, and the
 * counter cannot move between two reads after that register access.
 */
static double elapsed_s(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_machine_debugger_ram_access_core_runs(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x4802,		/* 0x100 ldr r0,[pc,#8] -> 0x10C */
		0x6801,		/* 0x102 ldr r1,[r0] */
		0x3101,		/* 0x104 adds r1,#1 */
		0x6001,		/* 0x106 str r1,[r0] */
		0xE7FB,		/* 0x108 b 0x102 */
		0xBF00,		/* 0x10A nop */
		0x0000, 0x2000,	/* 0x10C .word 0x20000000 */
	};
	const struct sim_dap_config cfg = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001 };
	struct sim_vdebug_handler h;
	struct sim_dap *dap;
	struct dap_batch b;
	uint8_t rdata[4096];
	size_t rlen;
	pthread_t th;
	unsigned int batches, moved = 0;
	uint32_t first, last = 0;
	struct timespec t0;
	uint64_t pauses0;

	put16(f, 0x100, code, 8);
	reset_halt(f);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	dap = sim_dap_create(f->bus, &cfg);
	assert_non_null(dap);
	sim_machine_vdebug_handler(m, dap, NULL, NULL, &h);
	wr(f, DHCSR, 0xA05F0001);
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);
	usleep(20000);

	pauses0 = sim_machine_counters(m)->pauses;
	first = rd(f, RAM_BASE);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* both threads must be on a CPU at once: bounded by time, not count,
	 * for a loaded machine */
	for (batches = 0; moved < 3 && elapsed_s(&t0) < 5.0; batches++) {
		memset(&b, 0, sizeof(b));
		batch_dp_write(&b, 2, 0);		/* SELECT AP 0 bank 0 */
		batch_ap_write(&b, 0x00, 0x23000002);	/* CSW: word, no increment */
		batch_ap_write(&b, 0x04, RAM_BASE);	/* TAR */
		while (b.len + 16 <= sizeof(b.buf))
			batch_ap_read(&b, 0x0C);
		assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata),
					     &rlen), 0);
		assert_int_equal(rlen, 4 * b.words);
		for (unsigned int i = 1; i < b.words; i++)
			assert_true(batch_get32(rdata + 4 * i) >= batch_get32(rdata + 4 * (i - 1)));
		if (batch_get32(rdata + 4 * (b.words - 1)) != batch_get32(rdata))
			moved++;
		last = batch_get32(rdata + 4 * (b.words - 1));
	}
	printf("core running during debugger RAM reads: the counter moved inside %u of %u "
	       "batches of %u reads; %llu pauses, %llu RAM accesses with the core running\n",
	       moved, batches, b.words,
	       (unsigned long long)(sim_machine_counters(m)->pauses - pauses0),
	       (unsigned long long)sim_dap_counters(dap)->ram_accesses_core_running);
	assert_true(moved >= 3);
	assert_true(last > first);
	assert_int_equal(sim_machine_counters(m)->pauses, pauses0);
	assert_true(sim_dap_counters(dap)->ram_accesses_core_running >= (uint64_t)batches * b.words);

	/* RAM, then DHCSR, then RAM twice: one pause, from DHCSR to the end */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, DHCSR);
	batch_ap_read(&b, 0x0C);
	for (int i = 0; i < 2; i++) {
		batch_ap_write(&b, 0x04, RAM_BASE);
		batch_ap_read(&b, 0x0C);
	}
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
	assert_int_equal(sim_machine_counters(m)->pauses, pauses0 + 1);
	assert_true(batch_get32(rdata) & S_RETIRE_ST);
	assert_int_equal(batch_get32(rdata + 4), batch_get32(rdata + 8));

	/* a debugger write lands in RAM the core is using, without a pause */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, RAM_BASE + 0x40);
	batch_ap_write(&b, 0x0C, 0x12345678);
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
	assert_int_equal(sim_machine_counters(m)->pauses, pauses0 + 1);

	/*
	 * DHCSR of the running core (its reset reported by the read above):
	 * read without a pause, running, instructions retired; after a halt
	 * request (a pause), read with the core parked: halted.
	 */
	uint64_t fast0 = sim_dap_counters(dap)->reads_core_running;
	for (int i = 0; i < 3; i++) {
		memset(&b, 0, sizeof(b));
		batch_ap_write(&b, 0x04, DHCSR);
		batch_ap_read(&b, 0x0C);
		assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
		uint32_t dhcsr = batch_get32(rdata);
		assert_int_equal(dhcsr & (S_HALT | S_RETIRE_ST | 1u), S_RETIRE_ST | 1u);
	}
	assert_int_equal(sim_machine_counters(m)->pauses, pauses0 + 1);
	assert_int_equal(sim_dap_counters(dap)->reads_core_running, fast0 + 3);
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, DHCSR);
	batch_ap_write(&b, 0x0C, 0xA05F0003);	/* C_HALT */
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, DHCSR);
	batch_ap_read(&b, 0x0C);
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
	assert_true(batch_get32(rdata) & S_HALT);
	assert_int_equal(sim_machine_counters(m)->pauses, pauses0 + 3);
	assert_int_equal(sim_dap_counters(dap)->reads_core_running, fast0 + 3);
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, DHCSR);
	batch_ap_write(&b, 0x0C, 0xA05F0001);	/* run again */
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);

	sim_machine_pause(m);
	assert_int_equal(rd(f, RAM_BASE + 0x40), 0x12345678);
	sim_machine_resume(m);
	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_dap_destroy(dap);
	sim_machine_destroy(m);
}

/*
 * Regression: a stop in the middle of a translation block must not repeat
 * the block's device accesses.  Unicorn 2.0.1 abandons a block stopped in
 * its middle (uc_emu_stop from another thread or from a device callback)
 * and runs it again from its start, so each such stop used to repeat the
 * MMIO loads/stores already made (a QUADSPI DR access done twice is a
 * corrupted transfer).  The core now stops only at block boundaries
 * (core_stop in sim/sim_core.c).
 *
 * A loop of two device loads and two device stores per iteration runs
 * LOOPS times while this thread pauses and resumes the machine as often as
 * it can (each pause stops the CPU the way every debugger batch does); the
 * device's access counts must equal the loop count exactly.
 */
#define MMIO_COUNTER_BASE	0x40000000u
#define MMIO_LOOPS		300000u

struct mmio_counter {
	uint32_t reads0;	/* loads of offset 0 */
	uint32_t reads8;	/* loads of offset 8 */
	uint32_t writes4;	/* stores to offset 4 */
	uint32_t last_write;	/* value of the last store */
};

static int mmio_counter_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct mmio_counter *c = opaque;
	(void)size;
	if (offset == 0)
		c->reads0++;
	else if (offset == 8)
		c->reads8++;
	*value = 0;
	return 0;
}

static int mmio_counter_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct mmio_counter *c = opaque;
	(void)size;
	if (offset == 4) {
		c->writes4++;
		c->last_write = value;
	}
	return 0;
}

static void test_machine_pause_repeats_no_mmio(void **state)
{
	struct fixture *f = *state;
	static const struct sim_device_ops ops = {
		.read = mmio_counter_read,
		.write = mmio_counter_write,
	};
	struct mmio_counter counter = { 0 };
	const struct sim_device dev = {
		.name = "counter",
		.base = MMIO_COUNTER_BASE,
		.size = 0x100,
		.ops = &ops,
		.opaque = &counter,
	};
	static const uint16_t code[] = {
		0x4805,		/* 0x100 ldr r0,[pc,#20] -> 0x118 (device base) */
		0x4B06,		/* 0x102 ldr r3,[pc,#24] -> 0x11C (loop count) */
		0x2200,		/* 0x104 movs r2,#0 */
		0x6801,		/* 0x106 loop: ldr r1,[r0]     device read, offset 0 */
		0x6041,		/* 0x108 str r1,[r0,#4]        device write */
		0x6881,		/* 0x10A ldr r1,[r0,#8]        device read, offset 8 */
		0x6042,		/* 0x10C str r2,[r0,#4]        device write (the index) */
		0x3201,		/* 0x10E adds r2,#1 */
		0x429A,		/* 0x110 cmp r2,r3 */
		0xD1F8,		/* 0x112 bne loop */
		0xBE00,		/* 0x114 bkpt #0 */
		0xBF00,		/* 0x116 nop */
		(uint16_t)MMIO_COUNTER_BASE, (uint16_t)(MMIO_COUNTER_BASE >> 16),	/* 0x118 */
		(uint16_t)MMIO_LOOPS, (uint16_t)(MMIO_LOOPS >> 16),			/* 0x11C */
	};
	assert_int_equal(sim_bus_add_device(f->bus, &dev), 0);
	put16(f, 0x100, code, sizeof(code) / sizeof(code[0]));
	reset_halt(f);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	pthread_t th;
	wr(f, DHCSR, 0xA05F0001);
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);

	unsigned int pauses = 0, mid_loop = 0;
	struct timespec t0, now;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		sim_machine_pause(m);
		bool halted = rd(f, DHCSR) & S_HALT;
		uint32_t r0 = counter.reads0;
		sim_machine_resume(m);
		pauses++;
		if (r0 > 0 && r0 < MMIO_LOOPS)
			mid_loop++;
		if (halted)
			break;
		clock_gettime(CLOCK_MONOTONIC, &now);
		assert_true(now.tv_sec - t0.tv_sec < 60);	/* the loop must end */
		if (pauses % 16 == 0)
			usleep(20);	/* let the CPU run a little between bursts */
	}
	sim_machine_pause(m);
	assert_int_equal(core_reg(f, 15), 0x114);
	assert_int_equal(core_reg(f, 2), MMIO_LOOPS);
	sim_machine_resume(m);
	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_machine_destroy(m);

	print_message("%u pauses, %u of them in the middle of the loop\n", pauses, mid_loop);
	assert_true(mid_loop >= 100);		/* the stops really hit the running loop */
	assert_int_equal(counter.reads0, MMIO_LOOPS);
	assert_int_equal(counter.reads8, MMIO_LOOPS);
	assert_int_equal(counter.writes4, 2 * MMIO_LOOPS);
	assert_int_equal(counter.last_write, MMIO_LOOPS - 1);
}

/*
 * A resume's reply does not wait for a core that waits on a device.  The
 * core polls a device whose every read idles a millisecond
 * (sim_core_idle(), as a status poll of a busy chip does), a read per
 * block; the batch that clears C_HALT comes back once the core idles, not
 * after SIM_MACHINE_RESUME_BLOCKS (64) blocks, and the core goes on.
 */
struct idle_device {
	struct sim_core *core;
	uint32_t reads;
};

static int idle_device_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct idle_device *d = opaque;
	(void)offset;
	(void)size;
	__atomic_add_fetch(&d->reads, 1, __ATOMIC_RELAXED);
	sim_core_idle(d->core, 1000000);
	*value = 0;
	return 0;
}

static void test_machine_resume_reply_core_idle(void **state)
{
	struct fixture *f = *state;
	static const struct sim_device_ops ops = { .read = idle_device_read, .write = mmio_counter_write };
	struct idle_device idle = { .core = f->core };
	const struct sim_device dev = {
		.name = "idle", .base = MMIO_COUNTER_BASE, .size = 0x100, .ops = &ops, .opaque = &idle,
	};
	static const uint16_t code[] = {
		0x4801,		/* 0x100 ldr r0,[pc,#4] -> 0x108 (device base) */
		0x6801,		/* 0x102 loop: ldr r1,[r0] */
		0xE7FD,		/* 0x104 b loop */
		0xBF00,		/* 0x106 nop */
		(uint16_t)MMIO_COUNTER_BASE, (uint16_t)(MMIO_COUNTER_BASE >> 16),	/* 0x108 */
	};
	const struct sim_dap_config cfg = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001 };
	struct sim_vdebug_handler h;
	struct dap_batch b;
	uint8_t rdata[64];
	size_t rlen;
	pthread_t th;

	assert_int_equal(sim_bus_add_device(f->bus, &dev), 0);
	put16(f, 0x100, code, sizeof(code) / sizeof(code[0]));
	reset_halt(f);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	struct sim_dap *dap = sim_dap_create(f->bus, &cfg);
	assert_non_null(dap);
	sim_machine_vdebug_handler(m, dap, NULL, NULL, &h);
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);

	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, 2, 0);		/* SELECT AP 0 bank 0 */
	batch_ap_write(&b, 0x00, 0x23000002);	/* CSW: word, no increment */
	batch_ap_write(&b, 0x04, DHCSR);	/* TAR */
	batch_ap_write(&b, 0x0C, 0xA05F0001);	/* C_DEBUGEN, C_HALT cleared */
	assert_int_equal(h.reg_batch(h.ctx, b.buf, b.len, b.count, rdata, sizeof(rdata), &rlen), 0);
	uint32_t at_reply = __atomic_load_n(&idle.reads, __ATOMIC_RELAXED);
	usleep(30000);
	uint32_t later = __atomic_load_n(&idle.reads, __ATOMIC_RELAXED);
	print_message("device reads when the resume's reply went back: %u; 30 ms later: %u\n", at_reply, later);
	assert_true(at_reply >= 1);	/* the core had started */
	assert_true(at_reply < 16);	/* ... and the reply did not wait for 64 blocks */
	assert_true(later > at_reply);	/* it goes on polling */

	sim_machine_pause(m);
	sim_machine_resume(m);
	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_dap_destroy(dap);
	sim_machine_destroy(m);
}

/*
 * OpenOCD's `resume` onto a breakpoint at a `b .` the core has been
 * running: it halts the core, clears the comparator, steps (the core stays
 * at the same address), sets the comparator again and resumes.  The core
 * must halt there at once (DFSR.BKPT) by itself: Unicorn, started on an
 * exit inside code it had translated and chained without one, spun there
 * until the debugger's next register access stopped it (OpenOCD's DHCSR
 * polls did; a poll that does not park the core never would).
 */
static void test_machine_resume_onto_breakpoint(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = { 0xE7FE };	/* 0x100 b . */
	uint32_t comp = f->type == SIM_CORE_M7 ? (0x100 | 1) : (0x40000000u | 0x100 | 1);
	pthread_t th;

	put16(f, 0x100, code, 1);
	reset_halt(f);
	wr(f, FP_CTRL, 3);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	wr(f, DHCSR, 0xA05F0001);			/* run the loop for a while */
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);
	usleep(20000);
	sim_machine_pause(m);
	wr(f, DHCSR, 0xA05F0003);			/* halt */
	assert_int_equal(core_reg(f, 15), 0x100);
	wr(f, FP_COMP0, comp);				/* bp set, then cleared for the step */
	wr(f, FP_COMP0, 0);
	wr(f, DHCSR, 0xA05F0005);			/* step */
	sim_machine_resume(m);
	for (int i = 0; i < 500 && sim_core_state(f->core) != SIM_CORE_HALTED; i++)
		usleep(1000);
	sim_machine_pause(m);
	assert_true(rd(f, DHCSR) & S_HALT);
	assert_int_equal(core_reg(f, 15), 0x100);
	wr(f, FP_COMP0, comp);				/* bp set again */
	wr(f, DFSR, 0x1F);
	wr(f, DHCSR, 0xA05F0001);			/* resume */
	sim_machine_resume(m);
	/* no debugger access meanwhile: the core halts on its own */
	int waited;
	for (waited = 0; waited < 500 && sim_core_state(f->core) != SIM_CORE_HALTED; waited++)
		usleep(1000);
	enum sim_core_state st = sim_core_state(f->core);
	sim_machine_pause(m);
	print_message("halted %d ms after the resume\n", waited);
	assert_int_equal(st, SIM_CORE_HALTED);
	assert_int_equal(rd(f, DFSR), 0x2);		/* BKPT */
	assert_int_equal(core_reg(f, 15), 0x100);
	sim_machine_resume(m);
	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_machine_destroy(m);
}

/*
 * Free-running speed of the core under the machine: a 4-instruction loop
 * that loads, increments and stores a RAM word (ldr, adds, str, b) runs for
 * 300 ms; instructions = 4 x the stored count.  Printed for the docs; the
 * check only guards against a stalled machine.
 */
static void test_machine_speed(void **state)
{
	struct fixture *f = *state;
	static const uint16_t code[] = {
		0x4802,		/* 0x100 ldr r0,[pc,#8] -> 0x10C */
		0x6801,		/* 0x102 ldr r1,[r0] */
		0x3101,		/* 0x104 adds r1,#1 */
		0x6001,		/* 0x106 str r1,[r0] */
		0xE7FB,		/* 0x108 b 0x102 */
		0xBF00,		/* 0x10A nop */
		0x0000, 0x2000,	/* 0x10C .word 0x20000000 */
	};
	put16(f, 0x100, code, 8);
	reset_halt(f);
	struct sim_machine *m = sim_machine_create(f->core, f->bus);
	pthread_t th;
	struct timespec t0, t1;
	wr(f, DHCSR, 0xA05F0001);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(pthread_create(&th, NULL, run_thread, m), 0);
	usleep(300000);
	sim_machine_pause(m);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uint32_t count = rd(f, RAM_BASE);
	sim_machine_resume(m);
	sim_machine_quit(m);
	pthread_join(th, NULL);
	sim_machine_destroy(m);
	double s = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	double mips = 4.0 * count / s / 1e6;
	print_message("free-running: %u loop iterations in %.3f s = %.0f MIPS (ldr/adds/str/b)\n",
		      count, s, mips);
	assert_true(mips > 1.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_map_and_window),
		cmocka_unit_test_setup_teardown(test_cpu_window_fetch, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup_m4, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_reset_vector_catch, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_reset_vector_catch, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_halt_step_resume, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_halt_step_resume, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_registers, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_registers, setup_m4, teardown),
		cmocka_unit_test_setup_teardown(test_registers, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_bkpt_halts_at_instruction, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_fpb_breakpoint, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_fpb_breakpoint, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_fault_vector_catch, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_fault_vector_catch, setup_m4, teardown),
		cmocka_unit_test_setup_teardown(test_svc_and_exception_return, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_wfi_sleeps_until_halt, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_debugger_code_patch, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_code_pages, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_machine_runs_between_pauses, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_machine_pause_repeats_no_mmio, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_machine_debugger_ram_access_core_runs, setup_m7,
						teardown),
		cmocka_unit_test_setup_teardown(test_machine_resume_reply_core_idle, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_machine_resume_onto_breakpoint, setup_m7, teardown),
		cmocka_unit_test_setup_teardown(test_machine_resume_onto_breakpoint, setup_m3, teardown),
		cmocka_unit_test_setup_teardown(test_machine_speed, setup_m7, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
