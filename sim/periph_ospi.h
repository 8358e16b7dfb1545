/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * STM32 OCTOSPI model (STM32H7A3/H7B0/H7B3 and H72x/H73x: OCTOSPI1
 * registers at 0x52005000, memory-mapped bank at 0x90000000), driving one
 * NOR chip model in single, dual, quad or octal line modes, STR or DTR.
 *
 * The OCTOSPI is a register front-end on the QUADSPI model's command
 * engine (periph_qspi.c): phases, FIFO, bus time, status polling and the
 * memory-mapped window are the same hardware behaviour (reference sheet
 * stm32-octospi.md section 2.7: same SR/FCR bits, same FIFO, same FTHRES,
 * DEVSIZE/CSHT at the QUADSPI DCR positions), so this file only
 * translates the OCTOSPI register layout into a QUADSPI-layout command
 * and decides when a command starts.  Everything periph_qspi.h says about
 * timing, FIFO, TEF and the window holds here.
 *
 * Registers (RM0455 / reference sheet section 2): CR (EN, ABORT, DMAEN,
 * TCEN, DQM, FSEL, FTHRES, interrupt enables, APMS, PMM, FMODE at 29:28),
 * DCR1 (CKMODE, FRCK, DLYBYP, CKCSHT, CSHT, DEVSIZE, MTYP: all stored,
 * CSHT and DEVSIZE used), DCR2 (PRESCALER used, WRAPSIZE stored), DCR3,
 * DCR4 (stored), SR, FCR, DLR, AR, DR (8/16/32-bit), PSMKR, PSMAR, PIR,
 * LPTR, CCR, TCR (DCYC, SSHIFT), IR, ABR, the wrap and write sets
 * WPCCR..WABR (stored only: wrapped reads and memory-mapped writes are
 * not modelled), HLCR (stored) and the magic ID word at 0x3FC
 * (0xA3C5DD01, what OpenOCD's stmqspi reads to tell an OCTOSPI from a
 * QUADSPI, after checking that 0x01C, QUADSPI's ABR, does not keep a
 * written value: reserved here, reads 0).
 *
 * When a command starts (reference sheet section 2.8, INFERRED there from
 * the HAL's call sequences and OpenOCD; RM0455's text was not read): in
 * indirect and polling modes a write to IR starts it when ADMODE = 000,
 * else the AR write that follows; an indirect write with a data phase then waits for
 * data in DR.  A CR write only changes the mode.  An AR write with
 * ADMODE = 000 is ignored (OpenOCD's loader writes AR = 0 after every IR,
 * stmoctospi_write.S).  Memory-mapped mode (FMODE = 11, EN = 1) maps the
 * window with the read configuration (CCR, TCR, IR, ABR) as it stands:
 *  - at the CR write that selects it, when IR was written since the last
 *    command started (the HAL's order: configure, then set FMODE);
 *  - otherwise at the next IR write (OpenOCD's order: CR, CCR, TCR, IR),
 *    or at the first access to any register other than CCR, TCR, ABR;
 *  - again after every later CCR, TCR, IR or ABR write (new command).
 *
 * Octal and DTR: every phase may use 1, 2, 4 or 8 lines, each at single
 * or double rate (IDTR, ADDTR, ABDTR, DDTR: two transfers per SCK cycle,
 * so half the bus time), the instruction is ISIZE + 1 bytes of IR, most
 * significant first (0x0000EE11 with ISIZE = 01 sends EEh, 11h), and
 * DQSE = 1 captures read data with the chip's DQS strobe, so that the
 * data is right whatever DCYC says (INFERRED, reference sheet section 5;
 * nor_chip_set_dqs).  This holds in indirect, polling and memory-mapped
 * mode alike (the engine's sim_qspi_set_phases).  The byte order of a
 * DTR 16-bit word (DCR1.MTYP Micron vs Macronix) is not modelled: bytes
 * go in address order (UNVERIFIED).  MTYP other than Micron/Macronix
 * (HyperBus, RAM) is logged at memory-mapped entry and otherwise
 * ignored.  Reset values are 0 for every register but the magic ID
 * (UNVERIFIED, reference sheet section 2.1).
 *
 * Clock gate (RCC_AHB3ENR.OSPI1EN, bit 14): registers read 0 and ignore
 * writes, as the QUADSPI model does.
 */

#ifndef SIM_PERIPH_OSPI_H
#define SIM_PERIPH_OSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "nor_chip.h"
#include "periph_qspi.h"
#include "periph_rcc.h"
#include "sim_bus.h"

#define SIM_OSPI1_BASE		0x52005000u
#define SIM_OSPI1_MMAP_BASE	0x90000000u
/* magic ID word at 0x3FC (OpenOCD stmqspi.h OCTO_MAGIC_ID) */
#define SIM_OSPI_MAGIC_ID	0xA3C5DD01u

struct sim_ospi;

struct sim_ospi_config {
	uint32_t base;			/* register block, normally SIM_OSPI1_BASE */
	uint32_t mmap_base;		/* bank, normally SIM_OSPI1_MMAP_BASE */
	struct sim_bus *bus;		/* where the memory-mapped window goes */
	struct nor_chip *chip;		/* the flash on this OCTOSPI's port */
	const uint8_t *array;		/* the array the chip was created over */
	struct sim_clock_gate gate;	/* RCC_AHB3ENR.OSPI1EN */
	uint32_t kernel_hz;		/* OCTOSPI kernel clock; 0 = no bus time */
	/* the kernel clock as the RCC selects it now, as struct
	 * sim_qspi_config's (NULL: kernel_hz all along) */
	uint32_t (*kernel_clock)(void *ctx);
	void *kernel_clock_ctx;
	/* time source and stall, as struct sim_qspi_config (NULL: real time) */
	uint64_t (*now_ps)(void *ctx);
	void (*wait_until_ps)(void *ctx, uint64_t t);
	void *clock_ctx;
	void (*idle)(void *ctx, uint64_t ns);	/* as struct sim_qspi_config's */
	void *idle_ctx;
	void (*log)(void *ctx, const char *msg);	/* NULL: stderr, "ospi: " */
	void *log_ctx;
};

struct sim_ospi *sim_ospi_create(const struct sim_ospi_config *config);
void sim_ospi_destroy(struct sim_ospi *ospi);
/* The device to register on the bus (size 0x400, reset hook included). */
struct sim_device sim_ospi_device(struct sim_ospi *ospi);
/* Reset: all registers 0 (magic ID kept), FIFO empty, window removed. */
void sim_ospi_reset(struct sim_ospi *ospi);

bool sim_ospi_mmap_active(const struct sim_ospi *ospi);
/* The engine's counters (struct sim_qspi_counters, same meaning); misuse
 * also counts what this front-end refuses. */
const struct sim_qspi_counters *sim_ospi_counters(struct sim_ospi *ospi);

/*
 * The OCTOSPI I/O manager (OCTOSPIM, stm32-octospi.md 3): CR at +0, P1CR at
 * +4, P2CR at +8, clocked by RCC_AHB3ENR.IOMNGREN (unclocked: reads 0,
 * writes ignored, the routing stays).  Reset values P1CR 0x03010111 and
 * P2CR 0x07050333, each OCTOSPI on its own port (UNVERIFIED; consistent
 * with ST's H735 BSP never writing OCTOSPIM).  The chip sits on port 1:
 * OCTOSPI1 reaches it when P1CR routes CLK, nCS and IO[3:0] from OCTOSPI1
 * and, for a chip that is driven on eight lines, IO[7:4] from OCTOSPI1's
 * IO[7:4] too; otherwise OCTOSPI1 sees no chip.
 */
struct sim_ospim_config {
	uint32_t base;			/* 0x5200B400 on the H7 */
	struct sim_clock_gate gate;	/* RCC_AHB3ENR.IOMNGREN */
	struct sim_ospi *ospi1;		/* OCTOSPI1, whose chip is on port 1 */
	bool octal;			/* the port-1 chip needs IO[7:4] */
};

struct sim_ospim;
struct sim_ospim *sim_ospim_create(const struct sim_ospim_config *config);
void sim_ospim_destroy(struct sim_ospim *ospim);
/* The device to register on the bus (size 0x400, reset hook included). */
struct sim_device sim_ospim_device(struct sim_ospim *ospim);
/* Whether OCTOSPI1 reaches the port-1 chip with the current routing. */
bool sim_ospim_routed(const struct sim_ospim *ospim);

#endif /* SIM_PERIPH_OSPI_H */
