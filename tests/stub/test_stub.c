// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Stub tests: the checked-in stub images (src/flash/nor/spiram_stub.inc)
 * run on Unicorn, each on the lowest core its header's min_arch allows
 * (Cortex-M0 for ARMv6-M, so that baseline is proven; Cortex-M3 for the
 * ARMv7-M QUADSPI and OCTOSPI images, since those only exist on M4/M7
 * parts), against the simulator's bus, QUADSPI / OCTOSPI / SPI v1 / GPIO
 * models and NOR chip models.
 * No OpenOCD: the test plays the host, including the async FIFO side of
 * target_run_flash_async_algorithm / target_run_read_async_algorithm,
 * from a read hook on the FIFO pointer words, so the host acts exactly
 * when the stub looks, deterministically.
 *
 * Compressed reads are decoded by the driver's own decoder (spiram_lz.c).
 *
 * Ground truth is the chip's array (the simulator's flash image), a CRC
 * computed here with OpenOCD's table algorithm, the JEDEC IDs and
 * datasheet protection ranges.  Every test builds a fresh engine.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unicorn/unicorn.h>

#include "spiram_contract.h"
#include "spiram_crc.h"
#include "spiram_lz.h"
#include "sim_bus.h"
#include "nor_chip.h"
#include "periph_ospi.h"
#include "periph_qspi.h"
#include "periph_spi.h"
#include "periph_gpio.h"
#include "wiring_bitbang.h"

static const uint8_t stub_images[] = {
#include "spiram_stub.inc"
};

#define RAM_BASE	0x20000000u
#define RAM_SIZE	0x40000u
#define LOAD_A		0x20000000u	/* first load address */
#define LOAD_B		0x20003204u	/* second: odd place, only 4-aligned */
#define PARAMS_ADDR	0x20008000u
#define BUFFER_ADDR	0x20009000u
#define BUFFER_SIZE	0x1000u
#define FIFO_ADDR	0x2000c000u
#define FIFO_SIZE	(8u + 0x800u)
#define STACK_TOP	0x20020000u
#define STACK_SIZE	SPIRAM_MIN_STACK_SIZE
#define PAINT		0xcdu
#define SCS_BASE	0xe000e000u
#define SCS_SIZE	0x1000u
#define SCB_CCR_OFFSET	0xd14u		/* CCR: bit 16 DC, data cache enabled */

enum backend { BK_QSPI, BK_SPI, BK_GPIO, BK_OSPI };
#define N_BACKENDS	4u

/* F1 port A pins of the SPI and bit-bang wirings (wiring_bitbang.h). */
#define GPIOA_BASE	SIM_GPIO_F1_BASE(0)
#define GPIO_BSRR	(GPIOA_BASE + 0x10)
#define GPIO_BRR	(GPIOA_BASE + 0x14)
#define GPIO_IDR	(GPIOA_BASE + 0x08)

struct rig {
	enum backend backend;
	uc_engine *uc;
	struct sim_bus *bus;
	uint8_t *ram;
	uint8_t *scs;			/* system control space: CCR (data cache) only */
	uint8_t *array;
	size_t size;
	struct nor_chip *chip;
	/* dual-flash QUADSPI (rig_dual set at creation): a second chip on BK2 */
	uint8_t *array2;
	struct nor_chip *chip2;
	struct sim_qspi *qspi;
	struct sim_ospi *ospi;		/* BK_OSPI: OCTOSPI1 of an H7B0 */
	struct sim_spi *spi;
	struct sim_gpio *gpio;
	struct sim_bitbang *bitbang;
	uint32_t load;
	const uint8_t *image;
	uint32_t image_size;

	/* the host side of a stream */
	bool write_stream, read_stream;
	const uint8_t *host_data;	/* write: frames to send */
	uint32_t host_len, host_done;
	uint8_t *host_out;		/* read: where data goes */
	uint32_t abort_after;		/* host aborts once this many bytes moved (0 = never) */
	bool host_saw_target_abort;	/* rp == 0 (write) / wp == 0 (read) seen */
	uint32_t host_rp, host_wp;
	/* write: FIFO pointer reads the host sleeps through before its first
	 * pass (OpenOCD reads rp a link transaction after the resume), and
	 * the size of its first write (0: none yet) */
	uint32_t host_quiet_reads, host_first_write;
	/* The host's wall-clock deadline, made deterministic: it clears
	 * params.keep_running once the stub has read it this often (0 = never). */
	uint32_t deadline_reads;
	uint32_t idle_giveup;		/* write: wp = 0 after this many idle polls (0 = never) */
	uint32_t idle_steps;
	uint32_t keep_running_reads;

	/* what the QUADSPI model logged (misuse, and notes such as a CCR
	 * written while memory-mapped): the stub must cause none */
	unsigned int qspi_logs;
	char qspi_last_log[256];

	bool stop_deferred;		/* the bus asked to stop: do it at the next block */
	uint64_t instructions;		/* counted when counting is on */
	uint32_t stack_used;
};

static uint32_t ram32(struct rig *r, uint32_t addr)
{
	uint32_t v;
	memcpy(&v, r->ram + (addr - RAM_BASE), 4);
	return v;
}

static void ram_set32(struct rig *r, uint32_t addr, uint32_t v)
{
	memcpy(r->ram + (addr - RAM_BASE), &v, 4);
}

static void nor_log_quiet(void *ctx, const char *msg)
{
	(void)ctx;
	(void)msg;
}

static void qspi_log_record(void *ctx, const char *msg)
{
	struct rig *r = ctx;
	r->qspi_logs++;
	snprintf(r->qspi_last_log, sizeof(r->qspi_last_log), "%s", msg);
}

/* CS of the SPI wiring is PA4, as in the simulator's F103 board. */
static void cs_hook(void *ctx, struct sim_gpio *gpio, unsigned int pin, bool level)
{
	struct rig *r = ctx;
	(void)gpio;
	if (pin == 4)
		nor_chip_select(r->chip, !level);
}

static bool cs_selected(void *ctx)
{
	struct rig *r = ctx;
	return !sim_gpio_line_level(r->gpio, 4);
}

/* Stopping inside a device callback would resume at the start of the
 * block (Unicorn 2.0.1 has no precise PC there): stop at the next block
 * boundary instead, as the simulator's core does. */
static void bus_stop_cb(void *ctx)
{
	((struct rig *)ctx)->stop_deferred = true;
}

static void block_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	struct rig *r = user;
	(void)addr;
	(void)size;
	if (r->stop_deferred) {
		r->stop_deferred = false;
		uc_emu_stop(uc);
	}
}

static const uint8_t *find_image(uint32_t cap, uint32_t *size)
{
	for (size_t off = 0; off + sizeof(struct spiram_stub_header) <= sizeof(stub_images); ) {
		struct spiram_stub_header h;
		memcpy(&h, stub_images + off, sizeof(h));
		assert_int_equal(h.magic, SPIRAM_STUB_MAGIC);
		if (h.capabilities & cap) {
			*size = h.image_size;
			return stub_images + off;
		}
		off += h.image_size;
	}
	fail_msg("no stub image with capability 0x%x", cap);
	return NULL;
}

/* The next BK_QSPI rig gets a second chip on BK2, with these faults
 * (NULL: none), and its parameters ask for dual-flash mode. */
static bool rig_dual;
static const struct nor_faults *rig_dual_faults2;

static struct rig *rig_create(enum backend backend, const char *part, const struct nor_faults *faults,
			      uint32_t load)
{
	struct rig *r = calloc(1, sizeof(*r));
	char err[128];
	struct sim_clock_gate always = { NULL, NULL, 0, 0 };

	r->backend = backend;
	r->size = nor_chip_part_size(part);
	assert_true(r->size > 0);
	r->array = malloc(r->size);
	/* a pattern with no 0xFF run, so "blank" can only come from an erase */
	for (uint32_t i = 0; i < r->size; i++)
		r->array[i] = (uint8_t)((i * 7 + (i >> 8) * 3 + (i >> 16)) | 0x01) & 0xfe;
	r->chip = nor_chip_create(part, r->array, r->size, NOR_TIMING_INSTANT, faults, err, sizeof(err));
	assert_non_null(r->chip);
	nor_chip_set_log(r->chip, nor_log_quiet, NULL);

	r->ram = calloc(1, RAM_SIZE);
	r->bus = sim_bus_create();
	assert_int_equal(sim_bus_add_ram(r->bus, "sram", RAM_BASE, RAM_SIZE, r->ram, true), 0);
	/* the scans read SCB CCR.DC: all 0, the data cache is off */
	r->scs = calloc(1, SCS_SIZE);
	assert_int_equal(sim_bus_add_ram(r->bus, "scs", SCS_BASE, SCS_SIZE, r->scs, true), 0);

	uint32_t cap = backend == BK_QSPI ? SPIRAM_CAP_CTRL_STM32_QSPI :
		backend == BK_OSPI ? SPIRAM_CAP_CTRL_STM32_OSPI :
		backend == BK_SPI ? SPIRAM_CAP_CTRL_STM32_SPI : SPIRAM_CAP_CTRL_GPIO;
	r->image = find_image(cap, &r->image_size);

	if (backend == BK_QSPI) {
		struct sim_qspi_config c = { 0 };
		c.base = SIM_QSPI_BASE;
		c.mmap_base = SIM_QSPI_MMAP_BASE;
		c.bus = r->bus;
		c.chip[0] = r->chip;
		c.array[0] = r->array;
		if (rig_dual) {
			/* another pattern, so that a byte from the wrong chip shows */
			r->array2 = malloc(r->size);
			for (uint32_t i = 0; i < r->size; i++)
				r->array2[i] = (uint8_t)((i * 11 + (i >> 8) * 5 + 0x40) | 0x01) & 0xfe;
			r->chip2 = nor_chip_create(part, r->array2, r->size, NOR_TIMING_INSTANT, rig_dual_faults2, err,
						   sizeof(err));
			assert_non_null(r->chip2);
			nor_chip_set_log(r->chip2, nor_log_quiet, NULL);
			c.chip[1] = r->chip2;
			c.array[1] = r->array2;
		}
		c.log = qspi_log_record;
		c.log_ctx = r;
		r->qspi = sim_qspi_create(&c);
		struct sim_device d = sim_qspi_device(r->qspi);
		assert_int_equal(sim_bus_add_device(r->bus, &d), 0);
	} else if (backend == BK_OSPI) {
		struct sim_ospi_config c = { 0 };
		c.base = SIM_OSPI1_BASE;
		c.mmap_base = SIM_OSPI1_MMAP_BASE;
		c.bus = r->bus;
		c.chip = r->chip;
		c.array = r->array;
		c.log = qspi_log_record;
		c.log_ctx = r;
		r->ospi = sim_ospi_create(&c);
		struct sim_device d = sim_ospi_device(r->ospi);
		assert_int_equal(sim_bus_add_device(r->bus, &d), 0);
	} else {
		r->gpio = sim_gpio_create(SIM_GPIO_F1, 0, GPIOA_BASE, always);
		struct sim_device g = sim_gpio_device(r->gpio);
		assert_int_equal(sim_bus_add_device(r->bus, &g), 0);
		if (backend == BK_SPI) {
			struct sim_spi_config c = { 0 };
			sim_gpio_add_output_hook(r->gpio, cs_hook, r);
			c.base = SIM_SPI1_BASE;
			c.name = "spi1";
			c.gate = always;
			c.chip = r->chip;
			c.chip_selected = cs_selected;
			c.ctx = r;
			r->spi = sim_spi_create(&c);
			struct sim_device d = sim_spi_device(r->spi);
			assert_int_equal(sim_bus_add_device(r->bus, &d), 0);
			/* what the board config does: CS high, then PA4 out, PA5/7 AF, PA6 in */
			sim_bus_write(r->bus, GPIO_BSRR, 4, 1u << 4);
			sim_bus_write(r->bus, GPIOA_BASE, 4, 0xb4b34444u);
		} else {
			r->bitbang = sim_bitbang_create_f103(r->chip, r->gpio);
			assert_non_null(r->bitbang);
			sim_bus_write(r->bus, GPIO_BSRR, 4, (1u << 4) | (1u << 3) | (1u << 2));
			sim_bus_write(r->bus, GPIOA_BASE, 4, 0x34333344u);
		}
	}

	assert_int_equal(uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &r->uc), UC_ERR_OK);
	/* the lowest core the image claims to run on (its header's min_arch) */
	struct spiram_stub_header h;
	memcpy(&h, r->image, sizeof(h));
	assert_true(h.min_arch == SPIRAM_ARCH_V6M || h.min_arch == SPIRAM_ARCH_V7M);
	assert_int_equal(uc_ctl_set_cpu_model(r->uc, h.min_arch == SPIRAM_ARCH_V7M ? UC_CPU_ARM_CORTEX_M3 :
					      UC_CPU_ARM_CORTEX_M0), UC_ERR_OK);
	assert_int_equal(sim_bus_attach_cpu(r->bus, r->uc), 0);
	sim_bus_set_cpu_stop(r->bus, bus_stop_cb, r);
	uc_hook hb;
	assert_int_equal(uc_hook_add(r->uc, &hb, UC_HOOK_BLOCK, block_hook, r, 1, 0), UC_ERR_OK);

	r->load = load;
	memcpy(r->ram + (load - RAM_BASE), r->image, r->image_size);
	return r;
}

static void rig_destroy(struct rig *r)
{
	uc_close(r->uc);
	if (r->bitbang)
		sim_bitbang_destroy(r->bitbang);
	if (r->spi)
		sim_spi_destroy(r->spi);
	if (r->qspi)
		sim_qspi_destroy(r->qspi);
	if (r->ospi)
		sim_ospi_destroy(r->ospi);
	if (r->gpio)
		sim_gpio_destroy(r->gpio);
	sim_bus_destroy(r->bus);
	free(r->scs);
	nor_chip_destroy(r->chip);
	free(r->array);
	if (r->chip2)
		nor_chip_destroy(r->chip2);
	free(r->array2);
	free(r->ram);
	free(r);
}

/* ------------------------------------------------------------ parameters */

static void flash_cfg_winbond(struct spiram_flash_cfg *f, uint32_t size, bool quad)
{
	memset(f, 0, sizeof(*f));
	f->size = size;
	f->page_size = 256;
	f->addr_mode = SPIRAM_ADDR_3B;
	f->read_opcode = quad ? 0x6b : 0x0b;
	f->read_opcode_4b = quad ? 0x6c : 0x0c;
	f->read_proto = quad ? SPIRAM_PROTO(1, 1, 4) : SPIRAM_PROTO(1, 1, 1);
	f->read_dummy = 8;
	f->read_mode_bits = 0xffffffffu;
	f->program_opcode = 0x02;
	f->program_opcode_4b = 0x12;
	f->program_proto = SPIRAM_PROTO(1, 1, 1);
	f->qe_method = quad ? SPIRAM_QE_SR2_BIT1_WRSR2 : SPIRAM_QE_NONE;
	f->sfdp_dummy = 8;
	f->erase[0] = (struct spiram_erase_type){ 4096, 0x20, 0x21, 400000 };
	f->erase[1] = (struct spiram_erase_type){ 32768, 0x52, 0, 1600000 };
	f->erase[2] = (struct spiram_erase_type){ 65536, 0xd8, 0xdc, 2000000 };
	f->chip_erase_opcode = 0xc7;
	f->page_program_max_us = 3000;
	f->chip_erase_max_us = 400000000;
	f->status_write_max_us = 15000;
}

/* GPIO pins cleared through BSRR's upper half (clr_shift 16) instead of
 * BRR: CLK and MOSI then share one register, the bit-bang send path's
 * one-write case. */
static bool gpio_bsrr_only;

static void params_init(struct rig *r, struct spiram_params *p, uint32_t op)
{
	memset(p, 0, sizeof(*p));
	p->magic = SPIRAM_STUB_MAGIC;
	p->op = op;
	p->status = 0xdeadbeef;
	p->buffer = BUFFER_ADDR;
	p->buffer_size = BUFFER_SIZE;
	p->fifo_start = FIFO_ADDR;
	p->fifo_end = FIFO_ADDR + FIFO_SIZE;
	p->keep_running = 1;
	flash_cfg_winbond(&p->flash, r->size, r->backend == BK_QSPI || r->backend == BK_OSPI);
	if (r->backend == BK_QSPI) {
		p->ctrl.type = SPIRAM_CTRL_STM32_QSPI;
		p->ctrl.regs = SIM_QSPI_BASE;
		p->ctrl.mmap_base = SIM_QSPI_MMAP_BASE;
		p->ctrl.prescaler = 2;
		if (r->chip2) {	/* both chips: sizes doubled, as the host gives them */
			p->ctrl.flags |= SPIRAM_CTRL_F_DUAL_FLASH;
			p->flash.size *= 2;
			p->flash.page_size *= 2;
			for (unsigned int i = 0; i < SPIRAM_MAX_ERASE_TYPES; i++)
				p->flash.erase[i].size *= 2;
		}
	} else if (r->backend == BK_OSPI) {
		p->ctrl.type = SPIRAM_CTRL_STM32_OSPI;
		p->ctrl.regs = SIM_OSPI1_BASE;
		p->ctrl.mmap_base = SIM_OSPI1_MMAP_BASE;
		p->ctrl.prescaler = 2;
	} else {
		struct spiram_pin pin = { GPIO_BSRR, GPIO_BRR, GPIO_IDR, 0, 0 };
		if (gpio_bsrr_only) {
			pin.clr_reg = GPIO_BSRR;
			pin.clr_shift = 16;
		}
		p->ctrl.type = r->backend == BK_SPI ? SPIRAM_CTRL_STM32_SPI : SPIRAM_CTRL_GPIO;
		p->ctrl.regs = r->backend == BK_SPI ? SIM_SPI1_BASE : 0;
		p->ctrl.prescaler = 8;
		const unsigned int bits[SPIRAM_PIN_COUNT] = {
			SIM_BITBANG_F103_CS, SIM_BITBANG_F103_CLK, SIM_BITBANG_F103_MOSI,
			SIM_BITBANG_F103_MISO, SIM_BITBANG_F103_IO2, SIM_BITBANG_F103_IO3,
		};
		for (int i = 0; i < SPIRAM_PIN_COUNT; i++) {
			p->ctrl.pins[i] = pin;
			p->ctrl.pins[i].bit = bits[i];
		}
	}
}

/* ------------------------------------------------------------ the host */

/* One pass of OpenOCD's writer loop (target_run_flash_async_algorithm). */
static void host_write_step(struct rig *r)
{
	const uint32_t wp_addr = FIFO_ADDR, rp_addr = FIFO_ADDR + 4;
	const uint32_t start = FIFO_ADDR + 8, end = FIFO_ADDR + FIFO_SIZE, block = 4;
	uint32_t rp = ram32(r, rp_addr), wp = r->host_wp;

	if (r->host_saw_target_abort)
		return;
	if (rp == 0) {
		r->host_saw_target_abort = true;
		return;
	}
	if (r->abort_after && r->host_done >= r->abort_after) {
		ram_set32(r, wp_addr, 0);
		return;
	}
	/* OpenOCD's loop gives up after so many polls without progress */
	if (r->host_done >= r->host_len) {
		if (r->idle_giveup && ++r->idle_steps >= r->idle_giveup)
			ram_set32(r, wp_addr, 0);
		return;
	}
	if (r->host_quiet_reads) {
		r->host_quiet_reads--;
		return;
	}
	uint32_t n;
	if (rp > wp)
		n = rp - wp - block;
	else if (rp > start)
		n = end - wp;
	else
		n = end - wp - block;
	if (!n)
		return;
	if (n > r->host_len - r->host_done)
		n = r->host_len - r->host_done;
	if (n >= 16)
		n -= (rp + n) & 3;
	memcpy(r->ram + (wp - RAM_BASE), r->host_data + r->host_done, n);
	if (!r->host_first_write)
		r->host_first_write = n;
	r->host_done += n;
	wp += n;
	if (wp >= end)
		wp = start;
	r->host_wp = wp;
	ram_set32(r, wp_addr, wp);
}

/* One pass of OpenOCD's reader loop (target_run_read_async_algorithm), block size 1. */
static void host_read_step(struct rig *r)
{
	const uint32_t rp_addr = FIFO_ADDR + 4, start = FIFO_ADDR + 8, end = FIFO_ADDR + FIFO_SIZE;
	uint32_t wp = ram32(r, FIFO_ADDR), rp = r->host_rp;

	if (r->host_saw_target_abort)
		return;
	if (wp == 0) {
		r->host_saw_target_abort = true;
		return;
	}
	if (r->abort_after && r->host_done >= r->abort_after) {
		ram_set32(r, rp_addr, 0);
		return;
	}
	uint32_t n = wp >= rp ? wp - rp : end - rp;
	if (n > r->host_len - r->host_done)
		n = r->host_len - r->host_done;
	if (!n)
		return;
	memcpy(r->host_out + r->host_done, r->ram + (rp - RAM_BASE), n);
	r->host_done += n;
	rp += n;
	if (rp >= end)
		rp = start;
	r->host_rp = rp;
	ram_set32(r, rp_addr, rp);
}

static void fifo_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value, void *user)
{
	struct rig *r = user;
	(void)uc;
	(void)type;
	(void)addr;
	(void)size;
	(void)value;
	if (r->write_stream)
		host_write_step(r);
	else if (r->read_stream)
		host_read_step(r);
}

static void keep_running_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
			      void *user)
{
	struct rig *r = user;
	(void)uc;
	(void)type;
	(void)addr;
	(void)size;
	(void)value;
	if (r->deadline_reads && ++r->keep_running_reads == r->deadline_reads)
		ram_set32(r, PARAMS_ADDR + offsetof(struct spiram_params, keep_running), 0);
}

static void count_hook(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
	(void)uc;
	(void)addr;
	(void)size;
	((struct rig *)user)->instructions++;
}

static void intr_hook(uc_engine *uc, uint32_t intno, void *user)
{
	(void)user;
	fprintf(stderr, "stub: exception %u\n", intno);
	uc_emu_stop(uc);
}

/* Run one op; returns params as the stub left them. */
static void run(struct rig *r, struct spiram_params *p, bool count)
{
	struct spiram_stub_header h;
	memcpy(&h, r->image, sizeof(h));
	memcpy(r->ram + (PARAMS_ADDR - RAM_BASE), p, sizeof(*p));

	/* paint the stack, canary at its bottom (the driver's job) */
	memset(r->ram + (STACK_TOP - 2 * STACK_SIZE - RAM_BASE), PAINT, 2 * STACK_SIZE);
	ram_set32(r, STACK_TOP - STACK_SIZE, SPIRAM_STACK_CANARY);

	/* FIFO as OpenOCD sets it up */
	ram_set32(r, FIFO_ADDR, FIFO_ADDR + 8);
	ram_set32(r, FIFO_ADDR + 4, FIFO_ADDR + 8);
	r->host_wp = r->host_rp = FIFO_ADDR + 8;
	r->host_done = 0;
	r->host_saw_target_abort = false;
	r->keep_running_reads = 0;
	r->idle_steps = 0;

	uc_hook hf, hk, hc = 0, hi;
	const uint32_t keep_running = PARAMS_ADDR + offsetof(struct spiram_params, keep_running);
	assert_int_equal(uc_hook_add(r->uc, &hf, UC_HOOK_MEM_READ, fifo_hook, r, FIFO_ADDR, FIFO_ADDR + 7),
			 UC_ERR_OK);
	assert_int_equal(uc_hook_add(r->uc, &hk, UC_HOOK_MEM_READ, keep_running_hook, r, keep_running,
				     keep_running + 3), UC_ERR_OK);
	assert_int_equal(uc_hook_add(r->uc, &hi, UC_HOOK_INTR, intr_hook, r, 1, 0), UC_ERR_OK);
	if (count) {
		/* code already translated would not call a new code hook */
		uc_ctl_remove_cache(r->uc, r->load, r->load + r->image_size);
		assert_int_equal(uc_hook_add(r->uc, &hc, UC_HOOK_CODE, count_hook, r, 1, 0), UC_ERR_OK);
	}

	uint32_t r0 = PARAMS_ADDR, sp = STACK_TOP, xpsr = 1u << 24;
	uc_reg_write(r->uc, UC_ARM_REG_R0, &r0);
	uc_reg_write(r->uc, UC_ARM_REG_SP, &sp);
	uc_reg_write(r->uc, UC_ARM_REG_XPSR, &xpsr);
	/* what the host's context holds in the registers the stub must give
	 * back (stub_entry.S), so that OpenOCD has none to restore */
	static const int kept_regs[] = { UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R12,
					 UC_ARM_REG_LR };
	for (unsigned int i = 0; i < sizeof(kept_regs) / sizeof(kept_regs[0]); i++) {
		uint32_t v = 0xC0DE0000u + 0x1111u * (i + 1);
		uc_reg_write(r->uc, kept_regs[i], &v);
	}
	uint32_t entry = r->load + h.entry_offset, exit_pc = r->load + h.exit_offset;
	uc_err e = uc_emu_start(r->uc, entry | 1, exit_pc, 60u * 1000000u, 0);
	uint32_t pc;
	uc_reg_read(r->uc, UC_ARM_REG_PC, &pc);
	/* the bus stops the CPU to remap (QUADSPI memory-mapped window) */
	while (e == UC_ERR_OK && pc != exit_pc && sim_bus_cpu_sync_pending(r->bus)
	       && !sim_bus_take_cpu_fault(r->bus, NULL, NULL)) {
		sim_bus_sync_cpu(r->bus);
		e = uc_emu_start(r->uc, pc | 1, exit_pc, 60u * 1000000u, 0);
		uc_reg_read(r->uc, UC_ARM_REG_PC, &pc);
	}
	uc_hook_del(r->uc, hf);
	uc_hook_del(r->uc, hk);
	uc_hook_del(r->uc, hi);
	if (count) {
		uc_hook_del(r->uc, hc);
		uc_ctl_remove_cache(r->uc, r->load, r->load + r->image_size);
	}
	uint32_t fault_addr = 0;
	bool fault_write = false;
	if (sim_bus_take_cpu_fault(r->bus, &fault_addr, &fault_write))
		fail_msg("stub: bus fault %s 0x%08x at pc 0x%08x", fault_write ? "writing" : "reading",
			 fault_addr, pc);
	assert_int_equal(e, UC_ERR_OK);
	assert_int_equal(pc, exit_pc);	/* reached the exit BKPT, not a fault or a timeout */
	for (unsigned int i = 0; i < sizeof(kept_regs) / sizeof(kept_regs[0]); i++) {
		uint32_t v;
		uc_reg_read(r->uc, kept_regs[i], &v);
		assert_int_equal(v, 0xC0DE0000u + 0x1111u * (i + 1));
	}
	uc_reg_read(r->uc, UC_ARM_REG_SP, &sp);
	assert_int_equal(sp, STACK_TOP);
	sim_bus_sync_cpu(r->bus);
	/* the controller was driven as on silicon: nothing logged by its model */
	if (r->qspi_logs)
		fail_msg("QUADSPI model: %u message(s), the last: %s", r->qspi_logs, r->qspi_last_log);
	/* the host keeps polling after the stub stopped (OpenOCD's loop runs
	 * until it has every byte) */
	if (r->read_stream) {
		uint32_t before;
		do {
			before = r->host_done;
			host_read_step(r);
		} while (r->host_done != before);
	}

	/* stack: canary intact, and how deep the paint was disturbed */
	assert_int_equal(ram32(r, STACK_TOP - STACK_SIZE), SPIRAM_STACK_CANARY);
	uint32_t low = STACK_TOP - STACK_SIZE + 4;	/* above the canary */
	while (low < STACK_TOP && r->ram[low - RAM_BASE] == PAINT)
		low++;
	r->stack_used = STACK_TOP - low;
	assert_true(r->stack_used <= h.stack_size);

	memcpy(p, r->ram + (PARAMS_ADDR - RAM_BASE), sizeof(*p));
}

/* ------------------------------------------------------------ helpers */

/* OpenOCD's image_calculate_checksum, table form, written independently,
 * continuing crc. */
static uint32_t openocd_crc_from(uint32_t crc, const uint8_t *buf, size_t len)
{
	uint32_t table[256];
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i << 24;
		for (int j = 0; j < 8; j++)
			c = (c & 0x80000000u) ? (c << 1) ^ 0x04c11db7u : c << 1;
		table[i] = c;
	}
	while (len--)
		crc = (crc << 8) ^ table[((crc >> 24) ^ *buf++) & 255];
	return crc;
}

static uint32_t openocd_crc(const uint8_t *buf, size_t len)
{
	return openocd_crc_from(0xffffffffu, buf, len);
}

struct frames {
	uint8_t data[0x20000];
	uint32_t len;
};

static void frame_add(struct frames *f, uint32_t type, uint32_t addr, uint32_t len, const uint8_t *payload)
{
	uint32_t hdr[3] = { type, addr, len };
	memcpy(f->data + f->len, hdr, 12);
	f->len += 12;
	if (payload) {
		memcpy(f->data + f->len, payload, len);
		memset(f->data + f->len + len, 0xff, spiram_frame_padded_len(len) - len);
		f->len += spiram_frame_padded_len(len);
	}
}

static void run_write_stream(struct rig *r, struct spiram_params *p, struct frames *f)
{
	r->host_first_write = 0;
	r->write_stream = true;
	r->host_data = f->data;
	r->host_len = f->len;
	run(r, p, false);
	r->write_stream = false;
}

static void run_read_stream_mode(struct rig *r, struct spiram_params *p, uint8_t *out, uint32_t addr,
				 uint32_t len, uint32_t addr_mode)
{
	params_init(r, p, SPIRAM_OP_READ_STREAM);
	p->flash.addr_mode = addr_mode;
	p->addr = addr;
	p->len = len;
	r->read_stream = true;
	r->host_out = out;
	r->host_len = len;
	run(r, p, false);
	r->read_stream = false;
}

static void run_read_stream(struct rig *r, struct spiram_params *p, uint8_t *out, uint32_t addr, uint32_t len)
{
	run_read_stream_mode(r, p, out, addr, len, SPIRAM_ADDR_3B);
}

static void data_pattern(uint8_t *buf, uint32_t len, uint32_t seed)
{
	for (uint32_t i = 0; i < len; i++)
		buf[i] = (uint8_t)((i * 131u + seed) ^ (i >> 5));
}

/* ------------------------------------------------------------ tests */

static const enum backend all_backends[N_BACKENDS] = { BK_QSPI, BK_SPI, BK_GPIO, BK_OSPI };

/* The QUADSPI or OCTOSPI model's counters, NULL for SPI and GPIO. */
static const struct sim_qspi_counters *xspi_counters(struct rig *r)
{
	if (r->qspi)
		return sim_qspi_counters(r->qspi);
	return r->ospi ? sim_ospi_counters(r->ospi) : NULL;
}

/*
 * Every image in the .inc: a header the driver accepts, within the 4 KiB
 * and 1 KiB budgets, its CRC as OpenOCD's image_calculate_checksum, BKPT
 * at the exit, and the core it needs: ARMv6-M for SPI and GPIO (their
 * controllers exist on Cortex-M0 parts), ARMv7-M for QUADSPI (only on
 * Cortex-M4/M7 parts; Thumb-2 keeps that image within budget).
 */
static void test_image_headers(void **state)
{
	(void)state;
	static const uint32_t caps[] = {
		SPIRAM_CAP_CTRL_STM32_QSPI, SPIRAM_CAP_CTRL_STM32_OSPI, SPIRAM_CAP_CTRL_STM32_SPI,
		SPIRAM_CAP_CTRL_GPIO,
	};
	static const uint32_t arch[] = { SPIRAM_ARCH_V7M, SPIRAM_ARCH_V7M, SPIRAM_ARCH_V6M, SPIRAM_ARCH_V6M };
	size_t off = 0;
	for (unsigned int i = 0; i < 4; i++) {
		struct spiram_stub_header h;
		assert_true(off + sizeof(h) <= sizeof(stub_images));
		memcpy(&h, stub_images + off, sizeof(h));
		assert_int_equal(h.magic, SPIRAM_STUB_MAGIC);
		assert_int_equal(h.version, SPIRAM_STUB_VERSION);
		assert_int_equal(h.header_size, sizeof(h));
		assert_true(h.image_size <= 8192 && h.image_size % 4 == 0);
		assert_true(off + h.image_size <= sizeof(stub_images));
		assert_true(h.stack_size <= 1024);
		assert_int_equal(h.capabilities & 0xff, caps[i]);
		assert_int_equal(h.min_arch, arch[i]);
		assert_true(h.entry_offset < h.image_size && h.exit_offset + 2 <= h.image_size);
		assert_int_equal(stub_images[off + h.exit_offset + 1], 0xbe);	/* BKPT */
		uint8_t *copy = malloc(h.image_size);
		memcpy(copy, stub_images + off, h.image_size);
		memset(copy + offsetof(struct spiram_stub_header, image_crc32), 0, 4);
		assert_int_equal(spiram_crc32(copy, h.image_size), h.image_crc32);
		free(copy);
		off += h.image_size;
	}
	assert_int_equal(off, sizeof(stub_images));
}

static void test_probe_every_backend(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		params_init(r, &p, SPIRAM_OP_PROBE);
		p.addr = 0;
		p.arg[0] = 16;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result, 0x001840ef);	/* EF 40 18, OpenOCD's device_id */
		assert_memory_equal(r->ram + (BUFFER_ADDR - RAM_BASE), "SFDP", 4);
		rig_destroy(r);
	}
}

static void test_absent_chip_is_no_chip(void **state)
{
	(void)state;
	struct nor_faults faults = { .absent = true };
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", &faults, LOAD_A);
		struct spiram_params p;
		params_init(r, &p, SPIRAM_OP_PROBE);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_NO_CHIP);
		assert_int_equal(p.result, 0xffffff);
		rig_destroy(r);
	}
}

static void test_wrong_id_reported(void **state)
{
	(void)state;
	struct nor_faults faults = { .id_override = true, .id = { 0xc2, 0x20, 0x18 } };
	struct rig *r = rig_create(BK_GPIO, "w25q128jv", &faults, LOAD_A);
	struct spiram_params p;
	params_init(r, &p, SPIRAM_OP_PROBE);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, 0x001820c2);	/* the host compares and refuses */
	rig_destroy(r);
}

/*
 * Erase + program (with verify) + read back + CRC + blank check, with odd
 * lengths: 0x401 bytes crossing pages, 1 byte, and the last byte of the
 * chip; on every backend and from two load addresses.
 */
static void check_write_read_cycle(enum backend backend, uint32_t load)
{
	struct rig *r = rig_create(backend, "w25q128jv", NULL, load);
	struct spiram_params p;
	static struct frames f;
	static uint8_t data[0x401], back[0x2000];
	const uint32_t a = 0x1f0f3;	/* odd, crosses pages, in a 4K sector */
	const uint32_t last = (uint32_t)r->size - 1;

	data_pattern(data, sizeof(data), backend * 3 + load);
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x1f000, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x20000, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, a, 0x401, data);
	frame_add(&f, SPIRAM_FRAME_ERASE, last & ~0xfffu, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM, last, 1, data + 7);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(r->host_done, f.len);
	assert_int_equal(p.progress, 3 * 4096 + 0x401 + 1);
	/* ground truth: the chip's array */
	assert_memory_equal(r->array + a, data, 0x401);
	for (uint32_t i = 0x1f000; i < a; i++)
		assert_int_equal(r->array[i], 0xff);
	for (uint32_t i = a + 0x401; i < 0x21000; i++)
		assert_int_equal(r->array[i], 0xff);
	assert_int_equal(r->array[last], data[7]);
	assert_int_equal(r->array[last - 1], 0xff);
	assert_int_not_equal(r->array[0x1effff], 0xff);	/* neighbours untouched */
	assert_int_not_equal(r->array[0x21000], 0xff);

	/* read stream of 0x401 bytes, then of the last byte */
	run_read_stream(r, &p, back, a, 0x401);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(back, data, 0x401);
	run_read_stream(r, &p, back, last, 1);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(back[0], data[7]);
	/* larger than the FIFO: wraps several times */
	run_read_stream(r, &p, back, 0x1e800, 0x2000);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(back, r->array + 0x1e800, 0x2000);

	/* CRC equals OpenOCD's over the same bytes, odd length */
	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = a - 5;
	p.len = 0x40b;
	p.arg[0] = 0xffffffffu;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, openocd_crc(r->array + a - 5, 0x40b));
	assert_int_equal(p.result, spiram_crc32(r->array + a - 5, 0x40b));

	/* blank check: first non-FF is the first programmed byte */
	params_init(r, &p, SPIRAM_OP_BLANK_CHECK);
	p.addr = 0x1f000;
	p.len = 0x2000;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_NOT_BLANK);
	assert_int_equal(p.fail_addr, a);
	params_init(r, &p, SPIRAM_OP_BLANK_CHECK);
	p.addr = a + 0x401;
	p.len = 0x21000 - (a + 0x401);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.fail_addr, 0x21000);

	/* beyond the end of the chip: refused */
	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = last;
	p.len = 2;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
	rig_destroy(r);
}

static void test_cycle_qspi(void **state)
{
	(void)state;
	check_write_read_cycle(BK_QSPI, LOAD_A);
	check_write_read_cycle(BK_QSPI, LOAD_B);
	check_write_read_cycle(BK_OSPI, LOAD_A);
	check_write_read_cycle(BK_OSPI, LOAD_B);
}

static void test_cycle_spi(void **state)
{
	(void)state;
	check_write_read_cycle(BK_SPI, LOAD_A);
	check_write_read_cycle(BK_SPI, LOAD_B);
}

static void test_cycle_gpio(void **state)
{
	(void)state;
	check_write_read_cycle(BK_GPIO, LOAD_A);
	check_write_read_cycle(BK_GPIO, LOAD_B);
	gpio_bsrr_only = true;
	check_write_read_cycle(BK_GPIO, LOAD_A);
	gpio_bsrr_only = false;
}

/* 32 MiB chip: program across the 16 MiB line, in both 4-byte modes. */
static void check_16mib_line(enum backend backend, uint32_t addr_mode)
{
	struct rig *r = rig_create(backend, "w25q256jv", NULL, LOAD_A);
	struct spiram_params p;
	static struct frames f;
	static uint8_t data[0x300], back[0x300];
	const uint32_t a = 0x1000000 - 0x180;

	data_pattern(data, sizeof(data), addr_mode);
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, 0xfff000, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x1000000, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, a, sizeof(data), data);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	p.flash.addr_mode = addr_mode;
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(r->array + a, data, sizeof(data));
	/* nothing landed at the 3-byte alias (address & 0xffffff) */
	assert_int_not_equal(r->array[0x80], 0xff);
	assert_int_not_equal(r->array[0], 0xff);

	run_read_stream_mode(r, &p, back, a, sizeof(back), addr_mode);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(back, data, sizeof(back));
	rig_destroy(r);
}

static void test_16mib_line(void **state)
{
	(void)state;
	check_16mib_line(BK_QSPI, SPIRAM_ADDR_4B_OPCODES);
	check_16mib_line(BK_QSPI, SPIRAM_ADDR_4B_MODE);
	check_16mib_line(BK_OSPI, SPIRAM_ADDR_4B_OPCODES);
	check_16mib_line(BK_SPI, SPIRAM_ADDR_4B_OPCODES);
	check_16mib_line(BK_GPIO, SPIRAM_ADDR_4B_MODE);
}

static void test_stuck_busy_times_out(void **state)
{
	(void)state;
	struct nor_faults faults = { .busy_stuck = true };
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", &faults, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x3000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		/* no quad enable: its status write would be the first to time out */
		p.flash.qe_method = SPIRAM_QE_NONE;
		/* the stub waits for as long as the host lets it: 5000 polls of
		 * keep_running, then the host's deadline clears it */
		r->deadline_reads = 5000;
		run_write_stream(r, &p, &f);
		assert_int_equal(r->keep_running_reads, 5000);
		assert_int_equal(p.status, SPIRAM_ERR_TIMEOUT);
		assert_int_equal(p.fail_addr, 0x3000);
		assert_int_equal(ram32(r, FIFO_ADDR + 4), 0);	/* rp = 0 tells OpenOCD */
		assert_int_equal(nor_chip_counters(r->chip)->erases, 1);
		rig_destroy(r);

		/* OpenOCD's writer loop giving up (wp = 0) while the chip is
		 * busy ends the wait the same way, without keep_running */
		r = rig_create(all_backends[b], "w25q128jv", &faults, LOAD_A);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.qe_method = SPIRAM_QE_NONE;
		r->idle_giveup = 2500;
		run_write_stream(r, &p, &f);
		r->idle_giveup = 0;
		assert_int_equal(r->idle_steps, 2500);
		assert_int_equal(p.status, SPIRAM_ERR_TIMEOUT);
		assert_int_equal(p.fail_addr, 0x3000);
		rig_destroy(r);
	}
}

/* W25Q128JV BP0 (SR1 bit 2), TB=0: the top 256 KiB are protected. */
static void test_protected_range_detected(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		static uint8_t data[0x100];

		params_init(r, &p, SPIRAM_OP_WRITE_STATUS);
		p.arg[0] = 1;
		p.arg[1] = 0x04;
		p.arg[2] = 0x01;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		params_init(r, &p, SPIRAM_OP_READ_STATUS);
		p.arg[0] = 0x05;
		p.arg[1] = 0x35;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result & 0xfc, 0x04);

		/* an erase the chip ignores: data stays, PROTECTED at its first byte */
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0xfc0000 - 0x1000, 4096, NULL);	/* unprotected */
		frame_add(&f, SPIRAM_FRAME_ERASE, 0xfc0000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_PROTECTED);
		assert_int_equal(p.fail_addr, 0xfc0000);
		assert_int_equal(r->array[0xfbf000], 0xff);
		assert_int_not_equal(r->array[0xfc0000], 0xff);

		/* a program the chip ignores on an erased page */
		memset(r->array + 0xfd0000, 0xff, 0x100);
		data_pattern(data, sizeof(data), 9);
		data[0] = 0xff;
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, 0xfd0000, sizeof(data), data);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_PROTECTED);
		assert_int_equal(p.fail_addr, 0xfd0001);
		/* without the flag it is a verify error at the same byte */
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_VERIFY);
		assert_int_equal(p.fail_addr, 0xfd0001);
		assert_true(nor_chip_counters(r->chip)->ignored_protected >= 3);
		rig_destroy(r);
	}
}

static void test_stuck_bit_is_verify_error(void **state)
{
	(void)state;
	struct nor_faults faults = { .stuck_bits = true, .stuck_addr = 0x5123, .stuck_mask = 0x10 };
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", &faults, LOAD_A);
	struct spiram_params p;
	static struct frames f;
	static uint8_t data[0x200];
	memset(data, 0x00, sizeof(data));
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x5000, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, 0x5080, sizeof(data), data);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_ERR_VERIFY);
	assert_int_equal(p.fail_addr, 0x5123);
	rig_destroy(r);
}

static void test_host_aborts(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < 3; b += 2) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		static uint8_t data[0x1000], back[0x4000];
		data_pattern(data, sizeof(data), 1);
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x8000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x8000, sizeof(data), data);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		r->abort_after = 0x600;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_ABORTED);
		assert_true(p.progress < 4096 + sizeof(data));

		r->abort_after = 0x1000;
		run_read_stream(r, &p, back, 0, sizeof(back));
		assert_int_equal(p.status, SPIRAM_ERR_ABORTED);
		assert_true(p.progress < sizeof(back));
		r->abort_after = 0;
		rig_destroy(r);
	}
}

/*
 * A stream that fails before its loop starts (no controller, init, NOR
 * setup, range check) still tells the host at once, as OpenOCD's async
 * convention wants: wp = 0 for a read stream, rp = 0 for a write stream.
 * Otherwise OpenOCD polls the pointer until its own timeout.
 */
static void check_stream_refused(struct rig *r, struct spiram_params *p, uint32_t want)
{
	static struct frames f;
	bool write = p->op == SPIRAM_OP_WRITE_STREAM;
	static uint8_t back[0x100];

	if (write) {
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x3000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		r->write_stream = true;
		r->host_data = f.data;
		r->host_len = f.len;
	} else {
		r->read_stream = true;
		r->host_out = back;
		r->host_len = sizeof(back);
	}
	run(r, p, false);
	r->write_stream = r->read_stream = false;
	assert_int_equal(p->status, want);
	assert_int_equal(ram32(r, FIFO_ADDR + (write ? 4 : 0)), 0);
	/* the host side saw it on its next poll */
	if (write)
		host_write_step(r);
	else
		host_read_step(r);
	assert_true(r->host_saw_target_abort);
	/* and nothing reached the chip */
	assert_int_not_equal(r->array[0x3000], 0xff);
}

static void test_stream_refused_before_loop(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		for (uint32_t op = SPIRAM_OP_READ_STREAM; op <= SPIRAM_OP_WRITE_STREAM; op++) {
			/* the range check: one byte past the last byte of the chip */
			params_init(r, &p, op);
			p.addr = (uint32_t)r->size - 0x80;
			p.len = 0x81;
			if (op == SPIRAM_OP_READ_STREAM)
				check_stream_refused(r, &p, SPIRAM_ERR_BAD_PARAM);
			/* NOR setup refuses the parameters: page size 0 */
			params_init(r, &p, op);
			p.flash.page_size = 0;
			check_stream_refused(r, &p, SPIRAM_ERR_BAD_PARAM);
			/* a controller this image does not carry */
			params_init(r, &p, op);
			p.ctrl.type = 0;
			check_stream_refused(r, &p, SPIRAM_ERR_NO_CONTROLLER);
			/* the backend's init refuses: no register base, no CLK pin */
			params_init(r, &p, op);
			p.ctrl.regs = 0;
			p.ctrl.pins[SPIRAM_PIN_CLK].set_reg = 0;
			check_stream_refused(r, &p, SPIRAM_ERR_NO_CONTROLLER);
		}
		rig_destroy(r);
	}
	/* the NOR setup times out: quad enable on a chip stuck busy */
	struct nor_faults faults = { .busy_stuck = true };
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", &faults, LOAD_A);
	struct spiram_params p;
	for (uint32_t op = SPIRAM_OP_READ_STREAM; op <= SPIRAM_OP_WRITE_STREAM; op++) {
		params_init(r, &p, op);
		p.len = 0x10;
		r->deadline_reads = 50;
		check_stream_refused(r, &p, SPIRAM_ERR_TIMEOUT);
		r->deadline_reads = 0;
	}
	rig_destroy(r);
}

static void test_bad_frame_and_magic(void **state)
{
	(void)state;
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", NULL, LOAD_A);
	struct spiram_params p;
	static struct frames f;
	f.len = 0;
	frame_add(&f, 0x1234, 0, 4, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_FRAME);
	assert_int_equal(ram32(r, FIFO_ADDR + 4), 0);
	/* erase size that is no erase type */
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x2000, 8192, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
	params_init(r, &p, SPIRAM_OP_NOP);
	p.magic = 0;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_OP);
	params_init(r, &p, SPIRAM_OP_COUNT);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_OP);
	rig_destroy(r);
}

/*
 * The stub's self-check of its image (params.image_hash, the host's
 * spiram_image_hash() of what it uploaded), on every image: the right hash
 * runs the op; one byte changed in the middle of the image in RAM (as a
 * RAM that lost part of the upload would have it) ends with
 * SPIRAM_ERR_IMAGE before the chip sees a command, even for a chip erase,
 * and a stream's rp is zeroed so the host's loop ends at once; 0 = no
 * check.
 */
static void test_image_self_check(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		uint32_t hash = spiram_image_hash(r->image, r->image_size);

		params_init(r, &p, SPIRAM_OP_PROBE);
		p.image_hash = hash;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result, 0x001840ef);

		/* a byte of the middle of the image differs in RAM */
		uint64_t commands = nor_chip_counters(r->chip)->commands;
		r->ram[r->load - RAM_BASE + r->image_size / 2] ^= 0x10;
		params_init(r, &p, SPIRAM_OP_ERASE_CHIP);
		p.image_hash = hash;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_IMAGE);
		assert_int_equal(nor_chip_counters(r->chip)->commands, commands);
		assert_int_equal(nor_chip_counters(r->chip)->erases, 0);

		static struct frames f;
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0, 4096, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.image_hash = hash;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_IMAGE);
		assert_int_equal(ram32(r, FIFO_ADDR + 4), 0);
		assert_int_equal(nor_chip_counters(r->chip)->commands, commands);

		/* Everything after the image's first SPIRAM_STUB_GATE_BYTES
		 * overwritten with UDF instructions, and the translations of
		 * earlier runs dropped: the check ends the run before any of it
		 * executes (the host reads back only those bytes and the last
		 * ones before it runs an image a session left in RAM). */
		uint8_t *img = r->ram + (r->load - RAM_BASE);
		memset(img + SPIRAM_STUB_GATE_BYTES, 0xde, r->image_size - SPIRAM_STUB_GATE_BYTES);
		uc_ctl_remove_cache(r->uc, r->load, r->load + r->image_size);
		params_init(r, &p, SPIRAM_OP_ERASE_CHIP);
		p.image_hash = hash;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_IMAGE);
		assert_int_equal(nor_chip_counters(r->chip)->commands, commands);
		memcpy(img, r->image, r->image_size);
		uc_ctl_remove_cache(r->uc, r->load, r->load + r->image_size);

		/* the image restored: 0 asks for no check, another hash fails */
		params_init(r, &p, SPIRAM_OP_NOP);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		params_init(r, &p, SPIRAM_OP_NOP);
		p.image_hash = hash ^ 1;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_IMAGE);
		rig_destroy(r);
	}
}

/*
 * WRITE_STREAM's first erase in the parameters (arg[2] bytes at arg[3]):
 * the block is erased before the frames, exactly it (the bytes either side
 * keep the chip's pattern), then programmed by a frame; one erase on the
 * chip's counters.  A size that is no erase type is BAD_PARAM at that
 * address, nothing erased, and rp is zeroed for the host's loop.
 */
static void test_stream_first_erase(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		uint8_t data[256], before[2];

		data_pattern(data, sizeof(data), 7 + b);
		before[0] = r->array[0x0fff];
		before[1] = r->array[0x2000];
		assert_int_not_equal(r->array[0x1800], 0xff);
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x1000, sizeof(data), data);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.arg[2] = 4096;
		p.arg[3] = 0x1000;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(r->array + 0x1000, data, sizeof(data));
		for (uint32_t i = 0x1000 + sizeof(data); i < 0x2000; i++)
			assert_int_equal(r->array[i], 0xff);
		assert_int_equal(r->array[0x0fff], before[0]);
		assert_int_equal(r->array[0x2000], before[1]);
		assert_int_equal(nor_chip_counters(r->chip)->erases, 1);

		uint8_t keep[256];
		memcpy(keep, r->array + 0x3000, sizeof(keep));
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x3000, sizeof(data), data);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.arg[2] = 8192;	/* no erase type of the W25Q128JV */
		p.arg[3] = 0x4000;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		assert_int_equal(p.fail_addr, 0x4000);
		assert_int_equal(ram32(r, FIFO_ADDR + 4), 0);
		assert_int_equal(nor_chip_counters(r->chip)->erases, 1);
		assert_memory_equal(r->array + 0x3000, keep, sizeof(keep));	/* the frame never ran */
		rig_destroy(r);
	}
}

static void test_raw_status_reset_chip_erase(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		uint8_t *buf = r->ram + (BUFFER_ADDR - RAM_BASE);

		/* RAW: 9Fh, 3 bytes back */
		params_init(r, &p, SPIRAM_OP_RAW);
		buf[0] = 0x9f;
		p.arg[0] = 1;
		p.arg[1] = 3;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(buf[0], 0xef);
		assert_int_equal(buf[1], 0x40);
		assert_int_equal(buf[2], 0x18);
		/* RAW: 5Ah + 3 address bytes + 8 dummy cycles = SFDP */
		params_init(r, &p, SPIRAM_OP_RAW);
		memcpy(buf, "\x5a\x00\x00\x00", 4);
		p.arg[0] = 4;
		p.arg[1] = 4;
		p.arg[2] = 8;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(buf, "SFDP", 4);
		/* volatile SR write with 50h, then reset brings the default back */
		params_init(r, &p, SPIRAM_OP_WRITE_STATUS);
		p.arg[0] = 1;
		p.arg[1] = 0x08;
		p.arg[2] = 0x01;
		p.arg[3] = 1;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		params_init(r, &p, SPIRAM_OP_READ_STATUS);
		p.arg[0] = 0x05;
		run(r, &p, false);
		assert_int_equal(p.result, 0x08);
		params_init(r, &p, SPIRAM_OP_RESET_CHIP);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		params_init(r, &p, SPIRAM_OP_READ_STATUS);
		p.arg[0] = 0x05;
		run(r, &p, false);
		assert_int_equal(p.result, 0x00);
		if (b == 0) {
			params_init(r, &p, SPIRAM_OP_ERASE_CHIP);
			run(r, &p, false);
			assert_int_equal(p.status, SPIRAM_OK);
			for (size_t i = 0; i < r->size; i += 4093)
				assert_int_equal(r->array[i], 0xff);
		}
		rig_destroy(r);
	}
}

static uint32_t qspi_reg(struct rig *r, uint32_t off)
{
	uint32_t v = 0;
	assert_int_equal(sim_bus_read(r->bus, SIM_QSPI_BASE + off, 4, &v), 0);
	return v;
}

/* Memory-mapped mode: entered on request, left on request, and a controller
 * found memory-mapped is memory-mapped again after any op. */
static void test_qspi_memmap_and_restore(void **state)
{
	(void)state;
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", NULL, LOAD_A);
	struct spiram_params p;
	uint32_t v;

	params_init(r, &p, SPIRAM_OP_MEMMAP_ENTER);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_true(sim_qspi_mmap_active(r->qspi) || (qspi_reg(r, 0x14) >> 26) == 3);
	assert_int_equal(sim_bus_read(r->bus, SIM_QSPI_MMAP_BASE + 0x123456, 4, &v), 0);
	assert_int_equal(v, r->array[0x123456] | r->array[0x123457] << 8 | r->array[0x123458] << 16
			 | (uint32_t)r->array[0x123459] << 24);
	uint32_t ccr = qspi_reg(r, 0x14), cr = qspi_reg(r, 0x00), dcr = qspi_reg(r, 0x04);
	assert_int_equal((ccr >> 26) & 3, 3);
	assert_int_equal(ccr & 0xff, 0x6b);

	/* any op restores exactly that: memory-mapped again */
	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = 0x100;
	p.len = 0x100;
	p.arg[0] = 0xffffffffu;
	p.ctrl.prescaler = 4;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, openocd_crc(r->array + 0x100, 0x100));
	assert_int_equal(qspi_reg(r, 0x14), ccr);
	assert_int_equal(qspi_reg(r, 0x00), cr);
	assert_int_equal(qspi_reg(r, 0x04), dcr);
	assert_int_equal(sim_bus_read(r->bus, SIM_QSPI_MMAP_BASE, 4, &v), 0);

	params_init(r, &p, SPIRAM_OP_MEMMAP_LEAVE);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_not_equal((qspi_reg(r, 0x14) >> 26) & 3, 3);
	assert_int_not_equal(sim_bus_read(r->bus, SIM_QSPI_MMAP_BASE, 4, &v), 0);

	/* memory-mapped mode is not something SPI v1 can do */
	rig_destroy(r);
	r = rig_create(BK_SPI, "w25q128jv", NULL, LOAD_A);
	params_init(r, &p, SPIRAM_OP_MEMMAP_ENTER);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_OP);
	rig_destroy(r);
}

static uint32_t ospi_reg(struct rig *r, uint32_t off)
{
	uint32_t v = 0;
	assert_int_equal(sim_bus_read(r->bus, SIM_OSPI1_BASE + off, 4, &v), 0);
	return v;
}

/*
 * OCTOSPI: memory-mapped mode entered on request (CR.FMODE = 11, opcode in
 * IR, dummy cycles in TCR), every op puts back exactly the registers it
 * found (CR, DCR1, DCR2, CCR, TCR, IR), memory-mapped again, and leaving
 * removes the window.  A controller found in its reset state is left in it.
 */
static void test_ospi_memmap_and_restore(void **state)
{
	(void)state;
	struct rig *r = rig_create(BK_OSPI, "w25q128jv", NULL, LOAD_A);
	struct spiram_params p;
	uint32_t v;

	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = 0;
	p.len = 0x10;
	p.arg[0] = 0xffffffffu;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	for (uint32_t off = 0; off <= 0x130; off += 4)
		if (off != 0x20 && off != 0x48 && off != 0x50)	/* SR, AR, DR */
			assert_int_equal(ospi_reg(r, off), 0);

	params_init(r, &p, SPIRAM_OP_MEMMAP_ENTER);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_true(sim_ospi_mmap_active(r->ospi));
	assert_int_equal(sim_bus_read(r->bus, SIM_OSPI1_MMAP_BASE + 0x123456, 4, &v), 0);
	assert_int_equal(v, r->array[0x123456] | r->array[0x123457] << 8 | r->array[0x123458] << 16
			 | (uint32_t)r->array[0x123459] << 24);
	uint32_t cr = ospi_reg(r, 0x000), dcr1 = ospi_reg(r, 0x008), dcr2 = ospi_reg(r, 0x00c);
	uint32_t ccr = ospi_reg(r, 0x100), tcr = ospi_reg(r, 0x108), ir = ospi_reg(r, 0x110);
	assert_int_equal((cr >> 28) & 3, 3);
	assert_int_equal(ir, 0x6b);			/* 1-1-4 fast read quad output */
	assert_int_equal(tcr & 0x1f, 8);
	assert_int_equal(ccr, 0x03002101);		/* IMODE 1, ADMODE 1, ADSIZE 24-bit, DMODE 4 */
	assert_int_equal((dcr1 >> 16) & 0x1f, 23);	/* 16 MiB */
	assert_int_equal(dcr2, 0);			/* prescaler as found */

	/* any op restores exactly that: memory-mapped again */
	uint64_t entries = sim_ospi_counters(r->ospi)->mmap_entries;
	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = 0x100;
	p.len = 0x100;
	p.arg[0] = 0xffffffffu;
	p.ctrl.prescaler = 4;
	p.ctrl.flags = 0;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, openocd_crc(r->array + 0x100, 0x100));
	assert_int_equal(ospi_reg(r, 0x000), cr);
	assert_int_equal(ospi_reg(r, 0x008), dcr1);
	assert_int_equal(ospi_reg(r, 0x00c), dcr2);
	assert_int_equal(ospi_reg(r, 0x100), ccr);
	assert_int_equal(ospi_reg(r, 0x108), tcr);
	assert_int_equal(ospi_reg(r, 0x110), ir);
	assert_true(sim_ospi_mmap_active(r->ospi));
	assert_true(sim_ospi_counters(r->ospi)->mmap_entries > entries);
	assert_int_equal(sim_bus_read(r->bus, SIM_OSPI1_MMAP_BASE, 4, &v), 0);

	params_init(r, &p, SPIRAM_OP_MEMMAP_LEAVE);
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_not_equal((ospi_reg(r, 0x000) >> 28) & 3, 3);
	assert_false(sim_ospi_mmap_active(r->ospi));
	assert_int_not_equal(sim_bus_read(r->bus, SIM_OSPI1_MMAP_BASE, 4, &v), 0);
	assert_int_equal(sim_ospi_counters(r->ospi)->misuse, 0);
	assert_int_equal(nor_chip_counters(r->chip)->misuse, 0);
	rig_destroy(r);
}

/*
 * OCTOSPI in octal DTR (MX25LM51245G, nor-chips.md 9.5): the board put the
 * chip in DTR OPI and left the 8D-8D-8D read EE11h memory-mapped (CCR
 * 0x2C003C1C, TCR 20 dummy cycles, IR EE11h: spiram_h7_ospi_octal_dtr_enter).
 * The stub then sends every command in 8D-8D-8D: the probe reads the ID
 * (C2 85 3A, single-rate sampled pairs) and SFDP, a write stream erases
 * (21DEh) and programs (12EDh) 0x401 bytes over pages, the last byte of the
 * chip included, a read stream and the CRC see them, and the controller is
 * put back memory-mapped with the board's registers.  Ground truth: the
 * chip's array, its octal mode, its 8-line and DTR byte counters (nothing
 * went out on one line) and its misuse counter (every command valid).
 */
/* What the driver gives the stub for the MX25LM51245G: 1-1-1, 4-byte opcodes, no QE. */
static void octal_params(struct rig *r, struct spiram_params *p, uint32_t op)
{
	params_init(r, p, op);
	flash_cfg_winbond(&p->flash, r->size, false);
	p->flash.addr_mode = SPIRAM_ADDR_4B_OPCODES;
	p->flash.erase[1] = (struct spiram_erase_type){ 0 };	/* no 32K erase */
}

static void test_ospi_octal_dtr(void **state)
{
	(void)state;
	struct rig *r = rig_create(BK_OSPI, "mx25lm51245g", NULL, LOAD_A);
	struct spiram_params p;
	static struct frames f;
	static uint8_t data[0x401], back[0x401];
	const uint32_t base = 0x00ffff03;	/* odd, crosses pages and the 16 MiB line */
	const uint32_t last = (uint32_t)r->size - 1;
	uint64_t one_line;

	/* the board's reset-init, as spiram_h7_ospi_octal_dtr_enter does it */
	const uint8_t wrcr2[] = { 0x72, 0, 0, 0, 0, 0x02 };
	nor_chip_select(r->chip, true);
	nor_chip_transfer(r->chip, 0x06, 1);
	nor_chip_select(r->chip, false);
	nor_chip_select(r->chip, true);
	for (size_t i = 0; i < sizeof(wrcr2); i++)
		nor_chip_transfer(r->chip, wrcr2[i], 1);
	nor_chip_select(r->chip, false);
	assert_int_equal(nor_chip_octal_mode(r->chip), 2);
	one_line = nor_chip_counters(r->chip)->bytes_by_lines[1];
	sim_bus_write(r->bus, SIM_OSPI1_BASE + 0x008, 4, 0x01190100);	/* DCR1: Macronix, 64 MiB */
	sim_bus_write(r->bus, SIM_OSPI1_BASE + 0x000, 4, 0x30000001);	/* CR: FMODE=11, EN */
	sim_bus_write(r->bus, SIM_OSPI1_BASE + 0x108, 4, 0x10000014);	/* TCR: DHQC, 20 dummy */
	sim_bus_write(r->bus, SIM_OSPI1_BASE + 0x100, 4, 0x2C003C1C);	/* CCR: 8D-8D-8D, DQSE */
	sim_bus_write(r->bus, SIM_OSPI1_BASE + 0x110, 4, 0x0000EE11);	/* IR: EE11h */
	assert_true(sim_ospi_mmap_active(r->ospi));

	octal_params(r, &p, SPIRAM_OP_PROBE);
	p.addr = 0;
	p.arg[0] = 16;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, 0x003a85c2);
	assert_memory_equal(r->ram + (BUFFER_ADDR - RAM_BASE), "SFDP", 4);

	data_pattern(data, sizeof(data), 11);
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, base & ~0xfffu, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_ERASE, (base & ~0xfffu) + 4096, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, base, 0x401, data);
	frame_add(&f, SPIRAM_FRAME_ERASE, last & ~0xfffu, 4096, NULL);
	frame_add(&f, SPIRAM_FRAME_PROGRAM, last, 1, data + 7);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	octal_params(r, &p, SPIRAM_OP_WRITE_STREAM);
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(r->array + base, data, 0x401);
	for (uint32_t i = base & ~0xfffu; i < base; i++)
		assert_int_equal(r->array[i], 0xff);
	assert_int_equal(r->array[last], data[7]);
	assert_int_equal(r->array[last - 1], 0xff);
	assert_int_not_equal(r->array[(base & ~0xfffu) - 1], 0xff);	/* neighbours untouched */

	octal_params(r, &p, SPIRAM_OP_CRC32);
	p.addr = base;
	p.len = 0x401;
	p.arg[0] = 0xffffffffu;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, openocd_crc(data, 0x401));
	octal_params(r, &p, SPIRAM_OP_READ_STREAM);
	p.addr = base;
	p.len = 0x401;
	r->read_stream = true;
	r->host_out = back;
	r->host_len = 0x401;
	run(r, &p, false);
	r->read_stream = false;
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(back, data, 0x401);

	/* put back as found: the 8D-8D-8D read, memory-mapped */
	assert_int_equal(ospi_reg(r, 0x100), 0x2C003C1C);
	assert_int_equal(ospi_reg(r, 0x110), 0x0000EE11);
	assert_int_equal(ospi_reg(r, 0x108), 0x10000014);
	assert_true(sim_ospi_mmap_active(r->ospi));
	assert_int_equal(nor_chip_octal_mode(r->chip), 2);
	assert_int_equal(nor_chip_counters(r->chip)->bytes_by_lines[1], one_line);
	assert_true(nor_chip_counters(r->chip)->bytes_dtr > 3 * 0x401);
	assert_int_equal(nor_chip_counters(r->chip)->misuse, 0);
	assert_int_equal(sim_ospi_counters(r->ospi)->misuse, 0);
	rig_destroy(r);
}

/* The CRC over every byte value, in every backend, from an initial value
 * other than OpenOCD's too: equal to the host's spiram_crc32. */
/* Bank byte 2k is FLASH1's byte k, 2k + 1 FLASH2's (RM0433 dual-flash). */
static uint8_t dual_byte(const struct rig *r, uint32_t bank_addr)
{
	return (bank_addr & 1 ? r->array2 : r->array)[bank_addr / 2];
}

static struct rig *dual_rig(const struct nor_faults *faults1, const struct nor_faults *faults2)
{
	rig_dual = true;
	rig_dual_faults2 = faults2;
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", faults1, LOAD_A);
	rig_dual = false;
	rig_dual_faults2 = NULL;
	return r;
}

/*
 * Dual-flash QUADSPI (SPIRAM_CTRL_F_DUAL_FLASH): two W25Q128JV on BK1 and
 * BK2, the stub in bank addresses with the sizes doubled.  Checked against
 * both chips' arrays: the ID and SFDP of both, an erase of 2 x 4 KiB, a
 * program of 0x402 bytes crossing 512-byte dual pages (a program command
 * per dual page), read stream and
 * CRC, a status write reaching both chips and read from both, odd ranges
 * refused; and the chip at fault named: FLASH2 missing (reads 0xFF, so
 * busy for ever) times out naming FLASH2, FLASH2 stuck busy the same,
 * FLASH1 stuck busy names FLASH1.
 */
static void test_dual_flash(void **state)
{
	(void)state;
	struct rig *r = dual_rig(NULL, NULL);
	struct spiram_params p;
	static struct frames f;
	static uint8_t data[0x402], back[0x402];
	const uint32_t a = 0x21f0;	/* even, crosses a 512-byte dual page */
	uint8_t *buf = r->ram + (BUFFER_ADDR - RAM_BASE);

	params_init(r, &p, SPIRAM_OP_PROBE);
	p.arg[0] = 16;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result, 0x001840ef);
	assert_int_equal(p.arg[3], 0x001840ef);
	assert_memory_equal(buf, "SSFFDDPP", 8);	/* both chips' SFDP, interleaved */

	data_pattern(data, sizeof(data), 21);
	f.len = 0;
	frame_add(&f, SPIRAM_FRAME_ERASE, 0x2000, 0x2000, NULL);	/* 4 KiB in each chip */
	frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, a, sizeof(data), data);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
	run_write_stream(r, &p, &f);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(r->qspi_logs, 0);
	for (uint32_t i = 0; i < sizeof(data); i++)
		assert_int_equal(dual_byte(r, a + i), data[i]);
	for (uint32_t i = 0x2000; i < a; i++)
		assert_int_equal(dual_byte(r, i), 0xff);
	for (uint32_t i = a + sizeof(data); i < 0x4000; i++)
		assert_int_equal(dual_byte(r, i), 0xff);
	/* each chip: its 0x1000-0x1FFF erased, its neighbours not */
	assert_int_not_equal(r->array[0xfff], 0xff);
	assert_int_not_equal(r->array2[0xfff], 0xff);
	assert_int_not_equal(r->array[0x2000], 0xff);
	assert_int_not_equal(r->array2[0x2000], 0xff);
	assert_int_equal(nor_chip_counters(r->chip)->erases, 1);
	assert_int_equal(nor_chip_counters(r->chip2)->erases, 1);
	/* whole dual pages: 0x21f0-0x21ff, 0x2200-0x23ff, 0x2400-0x25f1 are
	 * one program each in each chip (halves would make five) */
	assert_int_equal(nor_chip_counters(r->chip)->page_programs, 3);
	assert_int_equal(nor_chip_counters(r->chip2)->page_programs, 3);

	run_read_stream(r, &p, back, a, sizeof(back));
	assert_int_equal(p.status, SPIRAM_OK);
	assert_memory_equal(back, data, sizeof(back));
	params_init(r, &p, SPIRAM_OP_CRC32);
	p.addr = a - 0x10;
	p.len = 0x420;
	p.arg[0] = 0xffffffffu;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	uint8_t view[0x420];
	for (uint32_t i = 0; i < sizeof(view); i++)
		view[i] = dual_byte(r, a - 0x10 + i);
	assert_int_equal(p.result, openocd_crc(view, sizeof(view)));
	/* odd address or length: refused, nothing read */
	p.addr = a + 1;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
	p.addr = a;
	p.len = 0x41f;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);

	/* SR1 BP0 written to both chips, read from both */
	params_init(r, &p, SPIRAM_OP_WRITE_STATUS);
	p.arg[0] = 1;
	p.arg[1] = 0x04;
	p.arg[2] = 0x01;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	params_init(r, &p, SPIRAM_OP_READ_STATUS);
	p.arg[0] = 0x05;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_int_equal(p.result & 0xfc, 0x04);
	assert_int_equal(p.arg[3] & 0xfc, 0x04);
	rig_destroy(r);

	/* one chip missing, or stuck busy: the erase times out naming it */
	const struct nor_faults absent = { .absent = true }, stuck = { .busy_stuck = true };
	const struct { const struct nor_faults *f1, *f2; uint32_t named; } cases[] = {
		{ NULL, &absent, 2 }, { NULL, &stuck, 2 }, { &stuck, NULL, 1 },
	};
	for (unsigned int c = 0; c < 3; c++) {
		r = dual_rig(cases[c].f1, cases[c].f2);
		if (c == 0) {
			params_init(r, &p, SPIRAM_OP_PROBE);
			run(r, &p, false);
			assert_int_equal(p.status, SPIRAM_OK);	/* the host compares the IDs */
			assert_int_equal(p.result, 0x001840ef);
			assert_int_equal(p.arg[3], 0xffffff);
		}
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x6000, 0x2000, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.qe_method = SPIRAM_QE_NONE;
		r->deadline_reads = 2000;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_TIMEOUT);
		assert_int_equal(p.fail_addr, 0x6000);
		assert_int_equal(p.result, cases[c].named);
		rig_destroy(r);
	}
}

static void test_crc_every_byte_value(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_B);
		struct spiram_params p;
		const uint32_t a = 0x7ff83;	/* odd, crosses a 256-byte chunk */
		for (uint32_t i = 0; i < 0x203; i++)
			r->array[a + i] = (uint8_t)(i < 0x100 ? i : 0x1ff - i);

		params_init(r, &p, SPIRAM_OP_CRC32);
		p.addr = a;
		p.len = 0x203;
		p.arg[0] = SPIRAM_CRC32_INIT;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result, spiram_crc32(r->array + a, 0x203));
		assert_int_equal(p.result, openocd_crc(r->array + a, 0x203));

		/* chained: CRC of the first 0x100 bytes as the start of the rest */
		uint32_t head = spiram_crc32(r->array + a, 0x100);
		params_init(r, &p, SPIRAM_OP_CRC32);
		p.addr = a + 0x100;
		p.len = 0x103;
		p.arg[0] = head;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result, spiram_crc32_update(head, r->array + a + 0x100, 0x103));
		assert_int_equal(p.result, spiram_crc32(r->array + a, 0x203));
		rig_destroy(r);
	}
}

/* Measured figures: instructions per byte and stack use (printed). */
/* SECTOR_CRC: one CRC per sector, each OpenOCD's CRC of the sector as the
 * chip holds it (random, blank and all-zero sectors), and the sectors
 * outside [addr, addr + len) are not touched in the output. */
static void test_sector_crc(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		const uint32_t first = 0x3000, sectors = 5;
		memset(r->array + first + 0x1000, 0xff, 0x1000);	/* blank */
		memset(r->array + first + 0x2000, 0x00, 0x1000);	/* all zero */
		params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
		p.addr = first;
		p.len = sectors * 0x1000;
		p.arg[0] = 0x1000;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * sectors;
		ram_set32(r, BUFFER_ADDR + p.buffer_size, 0x5a5a5a5a);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.fail_addr, first + sectors * 0x1000);
		for (uint32_t k = 0; k < sectors; k++)
			assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
					 openocd_crc(r->array + first + k * 0x1000, 0x1000));
		assert_int_equal(ram32(r, BUFFER_ADDR + p.buffer_size), 0x5a5a5a5a);

		/* with SPIRAM_SECTOR_CRC_SLICE_ROOM more scratch: four bytes a
		 * step, the same CRCs, nothing written past the buffer, and on
		 * QUADSPI (where reading costs least) fewer instructions */
		uint64_t count[2];
		for (unsigned int sliced = 0; sliced < 2; sliced++) {
			params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
			p.addr = first;
			p.len = sectors * 0x1000;
			p.arg[0] = 0x1000;
			p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * sectors + (sliced ? SPIRAM_SECTOR_CRC_SLICE_ROOM : 0);
			ram_set32(r, BUFFER_ADDR + p.buffer_size, 0x5a5a5a5a);
			r->instructions = 0;
			run(r, &p, true);
			count[sliced] = r->instructions;
			assert_int_equal(p.status, SPIRAM_OK);
			for (uint32_t k = 0; k < sectors; k++)
				assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
						 openocd_crc(r->array + first + k * 0x1000, 0x1000));
			assert_int_equal(ram32(r, BUFFER_ADDR + p.buffer_size), 0x5a5a5a5a);
		}
		if (all_backends[b] == BK_QSPI && count[1] * 10 > count[0] * 9)
			fail_msg("QUADSPI: sliced CRC took %u instructions, byte-wise %u (want 10%% fewer)",
				 (unsigned int)count[1], (unsigned int)count[0]);

		/* refused: misaligned range, sector not a power of two, results
		 * that would not fit the buffer */
		params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
		p.addr = first + 0x800;
		p.len = 0x1000;
		p.arg[0] = 0x1000;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		p.addr = first;
		p.arg[0] = 0x1800;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		p.arg[0] = 0x1000;
		p.len = 0x3000;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 8;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		rig_destroy(r);
	}
}

/*
 * SECTOR_CRC on erased flash: a sector that reads all 0xFF in the window
 * takes the CRC of the last blank sector of its length, after a scan that
 * costs a load and a compare a word.  The CRCs stay OpenOCD's for blank
 * sectors back to back, a sector blank but for its last byte (the scan
 * runs to its end, then the CRC is computed), a blank sector after it,
 * and a range whose last piece is blank and shorter (SPAN_CRC); and on
 * QUADSPI eight blank sectors cost under half the instructions of
 * eight sectors of data.  CRC32 (one piece, any start value) gives the
 * same CRCs as before, on blank and non-blank ranges.
 */
static void test_crc_blank_sectors(void **state)
{
	(void)state;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		const uint32_t first = 0x20000, sectors = 6;
		memset(r->array + first, 0xff, sectors * 0x1000);
		r->array[first + 0x2fff] = 0x7f;	/* sector 2: blank but its last byte */
		r->array[first + 0x5000] = 0x00;	/* sector 5: its first byte */
		params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
		p.addr = first;
		p.len = sectors * 0x1000;
		p.arg[0] = 0x1000;
		p.buffer_size = BUFFER_SIZE;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		for (uint32_t k = 0; k < sectors; k++)
			assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
					 openocd_crc(r->array + first + k * 0x1000, 0x1000));

		/* SPAN_CRC: a blank piece of 0x800 after blank sectors of 0x1000 */
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = first + 0x3000;
		p.len = 0x1800;
		p.arg[0] = 0x1000;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE),
				 openocd_crc(r->array + first + 0x3000, 0x1000));
		assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4),
				 openocd_crc(r->array + first + 0x4000, 0x800));

		/* CRC32: blank, not blank, and continued from another value */
		const uint32_t crc_ranges[][2] = { { first, 0x2000 }, { first + 0x2000, 0x1001 },
						   { first + 0x3000, 0x3000 } };
		for (unsigned int i = 0; i < 3; i++) {
			params_init(r, &p, SPIRAM_OP_CRC32);
			p.addr = crc_ranges[i][0];
			p.len = crc_ranges[i][1];
			p.arg[0] = i == 2 ? 0x12345678u : 0xffffffffu;
			run(r, &p, false);
			assert_int_equal(p.status, SPIRAM_OK);
			assert_int_equal(p.result, openocd_crc_from(p.arg[0], r->array + p.addr, p.len));
		}

		if (all_backends[b] == BK_QSPI) {
			uint64_t count[2];
			for (unsigned int blank = 0; blank < 2; blank++) {
				if (blank)
					memset(r->array + 0x40000, 0xff, 0x8000);
				else
					data_pattern(r->array + 0x40000, 0x8000, 7);
				params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
				p.addr = 0x40000;
				p.len = 0x8000;
				p.arg[0] = 0x1000;
				p.buffer_size = BUFFER_SIZE;
				r->instructions = 0;
				run(r, &p, true);
				count[blank] = r->instructions;
				assert_int_equal(p.status, SPIRAM_OK);
				for (uint32_t k = 0; k < 8; k++)
					assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
							 openocd_crc(r->array + 0x40000 + k * 0x1000, 0x1000));
			}
			print_message("QUADSPI SECTOR_CRC of 8 sectors: %u instructions with data, %u blank\n",
				      (unsigned int)count[0], (unsigned int)count[1]);
			if (count[1] * 2 > count[0])
				fail_msg("blank sectors took %u instructions, data %u (want under half)",
					 (unsigned int)count[1], (unsigned int)count[0]);
		}
		rig_destroy(r);
	}
}

/* Program pages [addr, addr + len) from data in one write stream. */
static void program_pages(struct rig *r, struct spiram_params *p, uint32_t addr, const uint8_t *data, uint32_t len)
{
	static struct frames f;
	f.len = 0;
	for (uint32_t off = 0; off < len; off += 0x1000)
		frame_add(&f, SPIRAM_FRAME_PROGRAM, addr + off, len - off < 0x1000 ? len - off : 0x1000, data + off);
	frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
	run_write_stream(r, p, &f);
}

/*
 * WRITE_STREAM's len: with an empty FIFO at the start, the stub's first
 * instructions write rp len bytes ahead, so OpenOCD's first write is len -
 * 4 bytes (the chip starts on it while the rest crosses the link), and the
 * stub's own rp replaces it at the first take: 8 KiB through a 2 KiB FIFO
 * land exactly.  When the host has written before the stub looked (its
 * first pass at the stub's first pointer read, as if OpenOCD had read rp
 * before the resume took effect), nothing is faked: the first write fills
 * the FIFO and the data still lands.
 */
static void test_write_stream_first_write(void **state)
{
	(void)state;
	static uint8_t data[0x2000];
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		for (unsigned int quiet = 0; quiet < 3; quiet += 2) {
			uint32_t addr = 0x70000 + quiet * 0x4000;
			data_pattern(data, sizeof(data), 21 + quiet);
			memset(r->array + addr, 0xff, sizeof(data));
			params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
			p.len = 0x400;
			r->host_quiet_reads = quiet;
			program_pages(r, &p, addr, data, sizeof(data));
			assert_int_equal(p.status, SPIRAM_OK);
			assert_memory_equal(r->array + addr, data, sizeof(data));
			if (quiet)
				assert_int_equal(r->host_first_write, 0x400 - 4);
			else
				assert_int_equal(r->host_first_write, FIFO_SIZE - 8 - 4);
		}
		r->host_quiet_reads = 0;
		rig_destroy(r);
	}
}

/*
 * The page program fast path: WREN and the program back to back, one
 * status read that must show WIP, the wait left to the next page.  On the
 * chip model (WIP reads 1 once after each program, then 0) a page costs
 * exactly 4 transactions on QUADSPI: WREN, program, the status read, one
 * automatic poll (the separate WEL read is gone); on the serial backends
 * the wait is a status read too, so also 4.  Counted as the difference
 * between 16 and 8 pages, so the per-run setup cancels out.
 */
static void test_program_fast_path(void **state)
{
	(void)state;
	static uint8_t data[0x1000];
	data_pattern(data, sizeof(data), 11);
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		uint64_t used[2];
		const uint32_t pages[2] = { 8, 16 };
		/* a first run sets QE (QUADSPI reads quad here), which costs
		 * transactions of its own */
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		program_pages(r, &p, 0x5f000, data, 256);
		assert_int_equal(p.status, SPIRAM_OK);
		for (unsigned int i = 0; i < 2; i++) {
			uint32_t addr = 0x60000 + i * 0x1000;
			memset(r->array + addr, 0xff, 0x1000);
			uint64_t before = nor_chip_counters(r->chip)->commands;
			params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
			program_pages(r, &p, addr, data, pages[i] * 256);
			assert_int_equal(p.status, SPIRAM_OK);
			assert_int_equal(p.progress, pages[i] * 256);
			assert_memory_equal(r->array + addr, data, pages[i] * 256);
			used[i] = nor_chip_counters(r->chip)->commands - before;
		}
		if (used[1] - used[0] != 8 * 4)
			fail_msg("backend %u: %u transactions for 8 more pages, want 32 (4 a page)", b,
				 (unsigned int)(used[1] - used[0]));
		assert_int_equal(nor_chip_counters(r->chip)->misuse, 0);
		rig_destroy(r);
	}
}

/*
 * Quad page program: 32h (1-1-4) when the host asks for it puts every
 * data byte on four lines (the chip model counts bytes per line width) and
 * sets QE first; 02h keeps them on one.  The serial backends drive one line
 * and refuse a 1-1-4 program before touching the chip.
 */
static void test_quad_program(void **state)
{
	(void)state;
	static uint8_t data[0x800];
	data_pattern(data, sizeof(data), 12);
	struct rig *r = rig_create(BK_QSPI, "w25q128jv", NULL, LOAD_A);
	struct spiram_params p;
	for (unsigned int quad = 0; quad < 2; quad++) {
		uint32_t addr = 0x70000 + quad * 0x1000;
		memset(r->array + addr, 0xff, 0x1000);
		uint64_t four = nor_chip_counters(r->chip)->bytes_by_lines[4];
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		/* a single-line read, so that only the program can use four lines */
		p.flash.read_opcode = 0x0b;
		p.flash.read_proto = SPIRAM_PROTO(1, 1, 1);
		p.flash.qe_method = SPIRAM_QE_SR2_BIT1_WRSR2;
		if (quad) {
			p.flash.program_opcode = 0x32;
			p.flash.program_proto = SPIRAM_PROTO(1, 1, 4);
		}
		program_pages(r, &p, addr, data, sizeof(data));
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(r->array + addr, data, sizeof(data));
		assert_int_equal(nor_chip_counters(r->chip)->bytes_by_lines[4] - four, quad ? sizeof(data) : 0);
	}
	/* QE (SR2 bit 1) was set for the quad program */
	params_init(r, &p, SPIRAM_OP_READ_STATUS);
	p.arg[1] = 0x35;
	run(r, &p, false);
	assert_int_equal(p.status, SPIRAM_OK);
	assert_true(p.result & 0x0200);
	assert_int_equal(nor_chip_counters(r->chip)->misuse, 0);
	rig_destroy(r);

	for (unsigned int b = 1; b < 3; b++) {
		r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.program_opcode = 0x32;
		p.flash.program_proto = SPIRAM_PROTO(1, 1, 4);
		uint64_t commands = nor_chip_counters(r->chip)->commands;
		program_pages(r, &p, 0x70000, data, 256);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		assert_int_equal(nor_chip_counters(r->chip)->commands, commands);
		rig_destroy(r);
	}
}

/*
 * A PROGRAM frame (no read-back asked) into a protected page: the status
 * read after the command shows WIP = 0, so the stub finds out at once,
 * reads the page back and, finding it blank, names its first byte that
 * differs as PROTECTED (SPIRAM_FLASH_F_PROTECT_CHECK, as the driver sets
 * it); the pages before it were programmed.  An erase the chip ignores is named
 * the same way, also without SPIRAM_FLASH_F_PROTECT_CHECK.
 */
static void test_ignored_program_named(void **state)
{
	(void)state;
	static uint8_t data[0x300];
	data_pattern(data, sizeof(data), 13);
	data[0x200] = 0xff;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		/* BP0: the top 256 KiB (0xfc0000...) are protected */
		params_init(r, &p, SPIRAM_OP_WRITE_STATUS);
		p.arg[0] = 1;
		p.arg[1] = 0x04;
		p.arg[2] = 0x01;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		const uint32_t a = 0xfc0000 - 0x200;
		memset(r->array + a, 0xff, 0x300);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
		program_pages(r, &p, a, data, sizeof(data));
		assert_int_equal(p.status, SPIRAM_ERR_PROTECTED);
		assert_int_equal(p.fail_addr, 0xfc0001);	/* data[0x200] is 0xff: blank reads right */
		assert_memory_equal(r->array + a, data, 0x200);
		assert_int_equal(r->array[0xfc0001], 0xff);
		assert_int_equal(ram32(r, FIFO_ADDR + 4), 0);

		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0xfd0000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_ERR_PROTECTED);
		assert_int_equal(p.fail_addr, 0xfd0000);
		assert_int_not_equal(r->array[0xfd0000], 0xff);
		rig_destroy(r);
	}
}

/* SPAN_CRC: a CRC per piece of any range cut at sector boundaries (short
 * first and last pieces), each OpenOCD's CRC of the piece as the chip
 * holds it; the word after the last piece is not touched. */
static void test_span_crc(void **state)
{
	(void)state;
	/* QUADSPI twice: through the memory-mapped window (data cache off),
	 * then by indirect reads (data cache on) */
	for (unsigned int b = 0; b <= N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b % N_BACKENDS], "w25q128jv", NULL, LOAD_B);
		uint64_t indirect = 0;
		if (b == N_BACKENDS)
			r->scs[SCB_CCR_OFFSET + 2] = 1;
		if (xspi_counters(r))
			indirect = xspi_counters(r)->indirect_reads;
		struct spiram_params p;
		const uint32_t addr = 0x3ffd, len = 0x2401;	/* 3 bytes, 2 sectors, 0x3fe bytes */
		const uint32_t cut[] = { 0x3ffd, 0x4000, 0x5000, 0x6000, 0x63fe };
		memset(r->array + 0x5000, 0xff, 0x1000);
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = addr;
		p.len = len;
		p.arg[0] = 0x1000;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * 4;
		ram_set32(r, BUFFER_ADDR + p.buffer_size, 0x5a5a5a5a);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.fail_addr, addr + len);
		assert_int_equal(p.progress, len);
		for (uint32_t k = 0; k < 4; k++)
			assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
					 openocd_crc(r->array + cut[k], cut[k + 1] - cut[k]));
		assert_int_equal(ram32(r, BUFFER_ADDR + p.buffer_size), 0x5a5a5a5a);
		if (xspi_counters(r) && b < N_BACKENDS)	/* the window: no read command per chunk */
			assert_true(xspi_counters(r)->indirect_reads - indirect < 8);
		if (b == N_BACKENDS)
			assert_true(xspi_counters(r)->indirect_reads - indirect >= len / 256);

		/* with SPIRAM_SECTOR_CRC_SLICE_ROOM more scratch after the
		 * results: whole aligned words four bytes a step, the unaligned
		 * first piece a byte at a time; the same CRCs, and the word after
		 * the tables is not touched */
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = addr;
		p.len = len;
		p.arg[0] = 0x1000;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * 4 + SPIRAM_SECTOR_CRC_SLICE_ROOM;
		ram_set32(r, BUFFER_ADDR + p.buffer_size, 0xa5a5a5a5);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		for (uint32_t k = 0; k < 4; k++)
			assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
					 openocd_crc(r->array + cut[k], cut[k + 1] - cut[k]));
		assert_int_equal(ram32(r, BUFFER_ADDR + p.buffer_size), 0xa5a5a5a5);

		/* with status-register opcodes in arg[1..3]: the same registers
		 * in result as READ_STATUS gives, and the same CRCs */
		params_init(r, &p, SPIRAM_OP_READ_STATUS);
		p.arg[0] = 0x05;
		p.arg[1] = 0x35;
		p.arg[2] = 0x15;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		uint32_t sr = p.result;
		assert_int_not_equal(sr, 0);	/* QE or another bit set on this chip model */
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = addr;
		p.len = len;
		p.arg[0] = 0x1000;
		p.arg[1] = 0x05;
		p.arg[2] = 0x35;
		p.arg[3] = 0x15;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * 4;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.result, sr);
		for (uint32_t k = 0; k < 4; k++)
			assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE + 4 * k),
					 openocd_crc(r->array + cut[k], cut[k + 1] - cut[k]));

		/* the last byte of the chip: one piece of one byte */
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = 0xffffff;
		p.len = 1;
		p.arg[0] = 0x1000;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE), openocd_crc(r->array + 0xffffff, 1));

		/* refused: one piece more than the buffer holds, a piece size
		 * that is not a power of two */
		params_init(r, &p, SPIRAM_OP_SPAN_CRC);
		p.addr = addr;
		p.len = len;
		p.arg[0] = 0x1000;
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * 3;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		p.buffer_size = SPIRAM_SECTOR_CRC_TABLE + 4 * 4;
		p.arg[0] = 0x1800;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		rig_destroy(r);
	}
}

/* BLANK_MAP: bit k set exactly when sector k is all 0xFF, whatever the
 * position of the one byte that is not (first, last, middle), across a
 * 32-sector word boundary; the word after the map is not touched. */
static void test_blank_map(void **state)
{
	(void)state;
	for (unsigned int b = 0; b <= N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b % N_BACKENDS], "w25q128jv", NULL, LOAD_A);
		if (b == N_BACKENDS)	/* QUADSPI with the data cache on: indirect reads */
			r->scs[SCB_CCR_OFFSET + 2] = 1;
		struct spiram_params p;
		const uint32_t first = 0x100000, sectors = 40;
		uint64_t want = 0;
		memset(r->array + first, 0xff, sectors * 0x1000);
		for (uint32_t k = 0; k < sectors; k++) {
			/* every third sector holds one byte that is not 0xFF */
			if (k % 3 == 1)
				r->array[first + k * 0x1000 + (k * 0x3f1) % 0x1000] = 0xfe;
			else if (k % 3 == 2 && k > 30)
				r->array[first + k * 0x1000 + 0xfff] = 0x7f;
			else
				want |= 1ull << k;
		}
		params_init(r, &p, SPIRAM_OP_BLANK_MAP);
		p.addr = first;
		p.len = sectors * 0x1000;
		p.arg[0] = 0x1000;
		p.buffer_size = 8;
		ram_set32(r, BUFFER_ADDR, 0xa5a5a5a5);
		ram_set32(r, BUFFER_ADDR + 4, 0xa5a5a5a5);
		ram_set32(r, BUFFER_ADDR + 8, 0x5a5a5a5a);
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(p.fail_addr, first + sectors * 0x1000);
		assert_int_equal(ram32(r, BUFFER_ADDR), (uint32_t)want);
		assert_int_equal(ram32(r, BUFFER_ADDR + 4), (uint32_t)(want >> 32));
		assert_int_equal(ram32(r, BUFFER_ADDR + 8), 0x5a5a5a5a);

		/* refused: a map that does not fit, a misaligned range */
		p.buffer_size = 4;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		p.buffer_size = 8;
		p.addr = first + 0x800;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		rig_destroy(r);
	}
}

/* READ_LZ: the frames the stub streams decode (spiram_lz.c, liblz4) to
 * exactly the chip's bytes, for random, blank, repetitive and code-like
 * data from an odd address with a short last block, each block alone and
 * linked; compressible data crosses the FIFO in a fraction of its size
 * (linked in less), random data costs no more than a header and padding
 * per block. */
static void test_read_lz(void **state)
{
	(void)state;
	const uint32_t block = 1000;
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_B);
		struct spiram_params p;
		const uint32_t a = 0x40003, len = 4 * 0x1000 + 0x123;
		uint32_t x = 99;
		for (uint32_t i = 0; i < len; i++) {
			x = x * 1103515245u + 12345u;
			uint32_t part = i / 0x1000;
			r->array[a + i] = part == 0 ? (uint8_t)(x >> 16) : part == 1 ? 0xff
				: part == 2 ? (uint8_t)"erase sector "[i % 13]
				: (i % 256) < 40 ? 0 : (i & 1) ? (uint8_t)(0x40 + ((x >> 20) & 7)) : (uint8_t)(x >> 24);
		}
		/* each block alone, then linked (arg[1]: a block's matches may
		 * reach into the one before, in a scratch of three blocks) */
		size_t alone = 0;
		for (int k = 0; k < 4; k++) {
			int random_only = k & 1, linked = k >> 1;
			uint32_t n = random_only ? 0x1000 : len;
			uint8_t *stream = calloc(1, n + 64 * 8), *out = calloc(1, n);
			params_init(r, &p, SPIRAM_OP_READ_LZ);
			p.addr = a;
			p.len = n;
			p.arg[0] = block;
			p.arg[1] = linked;
			p.buffer = 0x20014000u;
			p.buffer_size = linked ? SPIRAM_LZ_SCRATCH_LINKED(block) : SPIRAM_LZ_SCRATCH(block);
			r->read_stream = true;
			r->host_out = stream;
			r->host_len = n + 64 * 8;
			run(r, &p, false);
			r->read_stream = false;
			assert_int_equal(p.status, SPIRAM_OK);
			assert_int_equal(p.fail_addr, a + n);
			size_t used = 0, done = 0;
			assert_int_equal(spiram_lz_decode(stream, r->host_done, &used, out, n, &done, block,
					linked ? block : 0), SPIRAM_LZ_OK);
			assert_int_equal(done, n);
			assert_int_equal(used, r->host_done);
			assert_memory_equal(out, r->array + a, n);
			if (random_only)
				assert_true(r->host_done <= n + 8 * ((n + block - 1) / block));
			else	/* a quarter random, the rest compresses */
				assert_true(r->host_done < n / 2);
			if (!random_only && !linked)
				alone = r->host_done;
			if (!random_only && linked)
				assert_true(r->host_done < alone);	/* the blocks before help */
			free(stream);
			free(out);
		}
		/* linked without the room for the block before: refused */
		params_init(r, &p, SPIRAM_OP_READ_LZ);
		p.addr = a;
		p.len = len;
		p.arg[0] = block;
		p.arg[1] = 1;
		p.buffer = 0x20014000u;
		p.buffer_size = SPIRAM_LZ_SCRATCH_LINKED(block) - 4;
		r->read_stream = true;
		r->host_out = malloc(64);
		r->host_len = 64;
		run(r, &p, false);
		r->read_stream = false;
		free(r->host_out);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);

		/* refused: a block too large for the scratch, one not a multiple of 4 */
		params_init(r, &p, SPIRAM_OP_READ_LZ);
		p.addr = a;
		p.len = len;
		p.arg[0] = 4096;
		r->read_stream = true;
		r->host_out = malloc(64);
		r->host_len = 64;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		assert_true(r->host_saw_target_abort);
		p.arg[0] = 998;
		run(r, &p, false);
		assert_int_equal(p.status, SPIRAM_ERR_BAD_PARAM);
		r->read_stream = false;
		free(r->host_out);
		rig_destroy(r);
	}
}

/* PROGRAM_LZ write frames: a block made by the host's encoder (spiram_lz.c,
 * liblz4) expands in the stream's buffer and lands exactly as the data
 * (a whole sector, and a short run across pages); a block that is cut
 * short, reaches before its start or expands to fewer bytes than its word
 * says, or a buffer too small for it, ends the stream with BAD_FRAME and
 * nothing of that frame programmed. */
static void test_write_lz(void **state)
{
	(void)state;
	const uint32_t lz_buf = 0x20014000u;
	static uint8_t data[0x1000 + 1000];
	static uint8_t pay1[SPIRAM_LZ_WRITE_PAYLOAD_MAX], pay2[SPIRAM_LZ_WRITE_PAYLOAD_MAX];
	static struct frames f;
	uint32_t x = 7;
	for (uint32_t i = 0; i < sizeof(data); i++) {
		x = x * 1103515245u + 12345u;
		data[i] = (i % 64) < 24 ? (uint8_t)"ldr r0, [pc, #8]; bl memcpy "[i % 29] : (uint8_t)(x >> 24);
	}
	/* the second frame's block may use the first's bytes (the history) */
	struct spiram_lz_writer *lzw = spiram_lz_writer_new();
	assert_non_null(lzw);
	size_t c1 = spiram_lz_write_payload(lzw, data, 0x1000, pay1);
	size_t c2 = spiram_lz_write_payload(lzw, data + 0x1000, 1000, pay2);
	assert_true(c1 > 4 && c1 < 0x1000 - 0x1000 / 8);
	assert_true(c2 > 4 && c2 < 1000 - 1000 / 8);
	/* ... and is smaller for it than on its own */
	static uint8_t alone[SPIRAM_LZ_WRITE_PAYLOAD_MAX];
	spiram_lz_writer_reset(lzw, SPIRAM_WRITE_LZ_SCRATCH);
	size_t c2_alone = spiram_lz_write_payload(lzw, data + 0x1000, 1000, alone);
	assert_true(c2 < c2_alone);
	/* random data is left to PROGRAM frames */
	uint8_t noise[512], junk[SPIRAM_LZ_WRITE_PAYLOAD_MAX];
	for (uint32_t i = 0; i < sizeof(noise); i++) {
		x = x * 1103515245u + 12345u;
		noise[i] = (uint8_t)(x >> 24);
	}
	assert_int_equal(spiram_lz_write_payload(lzw, noise, sizeof(noise), junk), 0);
	spiram_lz_writer_free(lzw);

	for (unsigned int b = 0; b < 3; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_B);
		struct spiram_params p;
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x3000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x4000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_PROGRAM_LZ, 0x3000, (uint32_t)c1, pay1);
		frame_add(&f, SPIRAM_FRAME_PROGRAM_LZ, 0x40a1, (uint32_t)c2, pay2);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.buffer = lz_buf;
		p.buffer_size = SPIRAM_WRITE_LZ_SCRATCH;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(r->array + 0x3000, data, 0x1000);
		assert_memory_equal(r->array + 0x40a1, data + 0x1000, 1000);
		assert_int_equal(r->array[0x40a0], 0xff);
		assert_int_equal(r->array[0x40a1 + 1000], 0xff);
		assert_int_equal(p.progress, 2 * 4096 + 0x1000 + 1000);

		/* refused, each after an erase of 0x5000 and before any byte of
		 * its frame is programmed */
		uint8_t bad[SPIRAM_LZ_WRITE_PAYLOAD_MAX];
		for (int k = 0; k < 5; k++) {
			uint32_t blen = (uint32_t)c2, bsize = SPIRAM_WRITE_LZ_SCRATCH;
			memcpy(bad, pay2, c2);
			if (k == 0) {
				blen = (uint32_t)c2 - 3;	/* cut short */
			} else if (k == 1) {
				bad[0] = 0xe9;		/* says 1001 bytes: one more than it expands to */
			} else if (k == 2) {
				/* one literal, then a match 5 bytes back */
				const uint8_t before[] = { 8, 0, 0, 0, 0x10, 'A', 5, 0 };
				memcpy(bad, before, sizeof(before));
				blen = sizeof(before);
			} else if (k == 3) {
				bsize = SPIRAM_WRITE_LZ_SCRATCH - 4;
			} else {
				/* pay2 needs the first frame's bytes, which this
				 * stream run has not seen: its matches reach before
				 * the (empty) history */
			}
			f.len = 0;
			frame_add(&f, SPIRAM_FRAME_ERASE, 0x5000, 4096, NULL);
			frame_add(&f, SPIRAM_FRAME_PROGRAM_LZ, 0x5000, blen, bad);
			frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
			params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
			p.buffer = lz_buf;
			p.buffer_size = bsize;
			run_write_stream(r, &p, &f);
			assert_int_equal(p.status, SPIRAM_ERR_BAD_FRAME);
			assert_int_equal(p.fail_addr, 0x5000);
			for (uint32_t i = 0; i < 0x1000; i++)
				assert_int_equal(r->array[0x5000 + i], 0xff);
		}
		rig_destroy(r);
	}
}

/* CHECK write frames: after the sectors a stream programs, the CRC each
 * must hold; the stub ends the stream at the first that differs with
 * SPIRAM_ERR_CRC at its start (what was programmed stays); with the CRC
 * tables too small or a piece that is not a power of two, BAD_FRAME; with
 * the 1 KiB byte table only (no room to slice), the same answers. */
static void test_write_check(void **state)
{
	(void)state;
	const uint32_t table = 0x20014000u;
	static uint8_t data[0x2000];
	static struct frames f;
	data_pattern(data, sizeof(data), 9);
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		for (int k = 0; k < 6; k++) {
			uint32_t pay[3] = { 0x1000, openocd_crc(data, 0x1000), openocd_crc(data + 0x1000, 0x1000) };
			uint32_t room = SPIRAM_SECTOR_CRC_TABLE + SPIRAM_SECTOR_CRC_SLICE_ROOM;
			int want = SPIRAM_OK;
			if (k == 1 || k == 4) {
				pay[2] ^= 1;		/* the second sector's CRC is wrong */
				want = SPIRAM_ERR_CRC;
			}
			if (k == 2) {
				room = SPIRAM_SECTOR_CRC_TABLE - 4;
				want = SPIRAM_ERR_BAD_FRAME;
			}
			if (k == 3) {
				pay[0] = 0x1800;	/* not a power of two */
				want = SPIRAM_ERR_BAD_FRAME;
			}
			if (k >= 4)
				room = SPIRAM_SECTOR_CRC_TABLE;	/* a byte at a time */
			f.len = 0;
			frame_add(&f, SPIRAM_FRAME_ERASE, 0x70000, 0x10000, NULL);
			frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x70000, 0x1000, data);
			frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x71000, 0x1000, data + 0x1000);
			frame_add(&f, SPIRAM_FRAME_CHECK, 0x70000, sizeof(pay), (const uint8_t *)pay);
			frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
			params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
			p.arg[0] = table;
			p.arg[1] = room;
			run_write_stream(r, &p, &f);
			assert_int_equal(p.status, want);
			if (want != SPIRAM_ERR_BAD_FRAME)
				assert_memory_equal(r->array + 0x70000, data, sizeof(data));
			if (want == SPIRAM_ERR_CRC)
				assert_int_equal(p.fail_addr, 0x71000);
			if (want == SPIRAM_OK)
				assert_int_equal(p.progress, 0x10000 + sizeof(data));	/* the CRC pass is not progress */
		}
		rig_destroy(r);
	}
}

static void test_benchmark(void **state)
{
	(void)state;
	static const char *const names[] = { "qspi", "spi", "gpio", "ospi" };
	for (unsigned int b = 0; b < N_BACKENDS; b++) {
		struct rig *r = rig_create(all_backends[b], "w25q128jv", NULL, LOAD_A);
		struct spiram_params p;
		static struct frames f;
		static uint8_t data[0x2000], back[0x2000];
		uint32_t max_stack = 0;

		data_pattern(data, sizeof(data), 5);
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x40000, 0x10000, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_OK);

		f.len = 0;
		for (uint32_t off = 0; off < sizeof(data); off += 0x1000)
			frame_add(&f, SPIRAM_FRAME_PROGRAM, 0x40000 + off, 0x1000, data + off);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		r->write_stream = true;
		r->host_data = f.data;
		r->host_len = f.len;
		r->instructions = 0;
		run(r, &p, true);
		r->write_stream = false;
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(r->array + 0x40000, data, sizeof(data));
		double program = (double)r->instructions / sizeof(data);
		max_stack = r->stack_used;

		/* firmware-like bytes (repeated text among noise) as linked
		 * LZ4 blocks (PROGRAM_LZ) */
		static uint8_t pay[2][SPIRAM_LZ_WRITE_PAYLOAD_MAX], fw[0x2000];
		uint32_t x = 11;
		for (uint32_t i = 0; i < sizeof(fw); i++) {
			x = x * 1103515245u + 12345u;
			fw[i] = (i % 64) < 40 ? (uint8_t)"push {r4, lr}; ldr r3, [r0, #4]; bl memcpy; "[i % 43] :
				(uint8_t)(x >> 24);
		}
		struct spiram_lz_writer *lzw = spiram_lz_writer_new();
		assert_non_null(lzw);
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x60000, 0x10000, NULL);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_OK);
		f.len = 0;
		for (uint32_t off = 0; off < sizeof(data); off += 0x1000) {
			size_t c = spiram_lz_write_payload(lzw, fw + off, 0x1000, pay[off / 0x1000]);
			assert_true(c > 4);
			frame_add(&f, SPIRAM_FRAME_PROGRAM_LZ, 0x60000 + off, (uint32_t)c, pay[off / 0x1000]);
		}
		spiram_lz_writer_free(lzw);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.buffer = 0x20014000u;
		p.buffer_size = SPIRAM_WRITE_LZ_SCRATCH;
		r->write_stream = true;
		r->host_data = f.data;
		r->host_len = f.len;
		r->instructions = 0;
		run(r, &p, true);
		r->write_stream = false;
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(r->array + 0x60000, fw, sizeof(fw));
		double program_lz = (double)r->instructions / sizeof(fw);
		max_stack = r->stack_used > max_stack ? r->stack_used : max_stack;

		params_init(r, &p, SPIRAM_OP_READ_STREAM);
		p.addr = 0x40000;
		p.len = sizeof(back);
		r->read_stream = true;
		r->host_out = back;
		r->host_len = sizeof(back);
		r->instructions = 0;
		run(r, &p, true);
		r->read_stream = false;
		assert_int_equal(p.status, SPIRAM_OK);
		assert_memory_equal(back, data, sizeof(back));
		double read = (double)r->instructions / sizeof(back);
		max_stack = r->stack_used > max_stack ? r->stack_used : max_stack;

		params_init(r, &p, SPIRAM_OP_CRC32);
		p.addr = 0x40000;
		p.len = sizeof(data);
		p.arg[0] = 0xffffffffu;
		r->instructions = 0;
		run(r, &p, true);
		assert_int_equal(p.result, openocd_crc(data, sizeof(data)));
		double crc = (double)r->instructions / sizeof(data);
		max_stack = r->stack_used > max_stack ? r->stack_used : max_stack;

		params_init(r, &p, SPIRAM_OP_SECTOR_CRC);
		p.addr = 0x40000;
		p.len = sizeof(data);
		p.arg[0] = 0x1000;
		r->instructions = 0;
		run(r, &p, true);
		assert_int_equal(p.status, SPIRAM_OK);
		assert_int_equal(ram32(r, BUFFER_ADDR + SPIRAM_SECTOR_CRC_TABLE), openocd_crc(data, 0x1000));
		double sector_crc = (double)r->instructions / sizeof(data);
		max_stack = r->stack_used > max_stack ? r->stack_used : max_stack;

		/* the deepest path: program with verify */
		f.len = 0;
		frame_add(&f, SPIRAM_FRAME_ERASE, 0x50000, 4096, NULL);
		frame_add(&f, SPIRAM_FRAME_PROGRAM_VERIFY, 0x50000, 0x1000, data);
		frame_add(&f, SPIRAM_FRAME_END, 0, 0, NULL);
		params_init(r, &p, SPIRAM_OP_WRITE_STREAM);
		p.flash.flags |= SPIRAM_FLASH_F_PROTECT_CHECK;
		run_write_stream(r, &p, &f);
		assert_int_equal(p.status, SPIRAM_OK);
		max_stack = r->stack_used > max_stack ? r->stack_used : max_stack;

		printf("stub %-4s: image %u bytes, stack used %u bytes (painted), instructions/byte: "
		       "program %.1f (compressed %.1f), read %.1f, crc %.1f, sector crc %.1f\n", names[b], r->image_size,
		       max_stack, program, program_lz, read, crc, sector_crc);
		assert_true(max_stack <= STACK_SIZE);
		/* The CRC itself, beyond reading the bytes: a bitwise CRC needs at
		 * least 4 instructions per bit (shift, test, branch, xor), 32 per
		 * byte; a nibble table about 16 (two shift-index-load-xor steps).
		 * Verify must not cost much more than a plain read. */
		if (crc - read >= 24.0)
			fail_msg("stub %s: CRC costs %.1f instructions/byte more than a read (want < 24)",
				 names[b], crc - read);
		rig_destroy(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_image_headers),
		cmocka_unit_test(test_probe_every_backend),
		cmocka_unit_test(test_absent_chip_is_no_chip),
		cmocka_unit_test(test_wrong_id_reported),
		cmocka_unit_test(test_cycle_qspi),
		cmocka_unit_test(test_cycle_spi),
		cmocka_unit_test(test_cycle_gpio),
		cmocka_unit_test(test_16mib_line),
		cmocka_unit_test(test_stuck_busy_times_out),
		cmocka_unit_test(test_protected_range_detected),
		cmocka_unit_test(test_stuck_bit_is_verify_error),
		cmocka_unit_test(test_host_aborts),
		cmocka_unit_test(test_stream_refused_before_loop),
		cmocka_unit_test(test_bad_frame_and_magic),
		cmocka_unit_test(test_image_self_check),
		cmocka_unit_test(test_stream_first_erase),
		cmocka_unit_test(test_raw_status_reset_chip_erase),
		cmocka_unit_test(test_qspi_memmap_and_restore),
		cmocka_unit_test(test_ospi_memmap_and_restore),
		cmocka_unit_test(test_dual_flash),
		cmocka_unit_test(test_ospi_octal_dtr),
		cmocka_unit_test(test_crc_every_byte_value),
		cmocka_unit_test(test_sector_crc),
		cmocka_unit_test(test_crc_blank_sectors),
		cmocka_unit_test(test_program_fast_path),
		cmocka_unit_test(test_write_stream_first_write),
		cmocka_unit_test(test_quad_program),
		cmocka_unit_test(test_ignored_program_named),
		cmocka_unit_test(test_span_crc),
		cmocka_unit_test(test_write_lz),
		cmocka_unit_test(test_write_check),
		cmocka_unit_test(test_blank_map),
		cmocka_unit_test(test_read_lz),
		cmocka_unit_test(test_benchmark),
	};
	/* STUB_TEST_FILTER=pattern runs a subset while debugging */
	if (getenv("STUB_TEST_FILTER"))
		cmocka_set_test_filter(getenv("STUB_TEST_FILTER"));
	return cmocka_run_group_tests(tests, NULL, NULL);
}
