/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * STM32H7 QUADSPI model (registers at 0x52005000, bank at 0x90000000),
 * driving one or two NOR chip models (BK1, BK2).
 *
 * Timing model (kernel_hz != 0): every phase takes its bus time in real
 * time (CLOCK_MONOTONIC, or the config's clock hook).  SCK = kernel_hz /
 * (PRESCALER + 1); the instruction takes 8 / lines cycles, the address
 * (ADSIZE + 1) x 8 / lines, the alternate bytes likewise, then DCYC dummy
 * cycles, then 8 / lines cycles per data byte (half that per FIFO byte in
 * dual-flash mode, both chips clocking at once); CS stays high for at
 * least CSHT + 1 cycles between two commands.  Progress is computed when
 * software touches a register: an indirect read moves into the FIFO only
 * the bytes whose time has come, and stops clocking while the FIFO is
 * full (RM0433: the clock stops until there is room), so FLEVEL, FTF, TCF
 * and BUSY follow the wire; a DR read with an empty FIFO stalls (spins)
 * until the next byte arrives, as the AHB access does.  An indirect write
 * clocks out one pushed byte per byte time, FLEVEL shows what is still
 * waiting, a DR write to a full FIFO stalls until a byte has left, and TCF
 * (and CS high, which starts a program) comes when the last byte is out.
 * A command without data completes when its phases are over.  The chip is
 * told the SCK at every command start (nor_chip_set_clock), so it logs a
 * command clocked above its datasheet maximum.  Debugger reads of the
 * memory-mapped bank are timed too (sim_bus_set_window_read_cost): a read
 * continuing the previous one costs its bytes less what the prefetcher
 * fetched meanwhile, any other one a new command.  Not timed: status
 * polling (PIR), DDR (counted as SDR) and the core's accesses to the bank.
 * kernel_hz = 0 keeps the old model, the flash side infinitely fast:
 * reads fill the FIFO at once, writes drain at once, commands complete at
 * the CCR/AR write (the register-level tests use it).
 *
 * Automatic status polling (FMODE=10) is lazy: one status read is done
 * when the command starts and one more on every SR read and on
 * sim_qspi_poll_step(), so the chip's own busy time (real time in
 * NOR_TIMING_TYPICAL) decides when SMF rises.  PIR is stored, not timed.
 *
 * Memory-mapped mode (FMODE=11 with EN=1): entering it puts a read-only
 * window on the bus (sim_bus_set_window "qspi-mmap", 0x90000000, size
 * min(2^(FSIZE+1), chip capacity)); ABORT, EN=0 or a new non-memory-mapped
 * command removes it, so the bank then gives bus errors.  The chip
 * protocol is respected this way: on entry the model reads the array
 * through the chip with the CCR command (instruction unless SIOO already
 * sent it, address, alternate bytes, dummy cycles, data) at eight sample
 * addresses.  If every byte equals the array, the window is the array
 * itself (zero-copy and always current: the array can only change through
 * commands, which need leaving memory-mapped mode).  Otherwise the window
 * is a buffer filled by reading the whole window through the chip, one
 * 32-byte line per transaction as the prefetcher does, so it shows what
 * the chip really returns (shifted data for a wrong dummy count, a wrapped
 * image for 3-byte addressing above 16 MiB).  When every sample read 0xFF
 * where the array holds data, the chip ignores the command (e.g. EBh with
 * QE=0) and the buffer is simply all 0xFF, with no per-line transactions.
 * These reads count in the chip's counters.  The model cannot see bank
 * accesses, so BUSY reads 0 in memory-mapped mode (silicon sets it at the
 * first access) and a CCR write is accepted there: it leaves memory-mapped
 * mode and is logged, since silicon ignores it once the bank was read.
 * TCEN/LPTR only release CS on silicon, which changes no data here; TOF is
 * never set.
 *
 * Dual-flash mode (DFM=1, RM0433 QUADSPI dual-flash mode): instruction,
 * address AR/2 and alternate bytes go to both chips (one CS), data bytes
 * alternate BK1 (even) / BK2 (odd); AR bit 0 is forced to 0 and DL[0] to 1
 * when written (and DL[0] reads as 1 wherever the length is used), so a
 * status read or poll returns 2 bytes per status byte, FLASH1 in the lower
 * one, and PSMKR/PSMAR compare both.  FSIZE covers both chips.  The
 * memory-mapped window interleaves the two dies: after the same sampled
 * reads through the chips as above, a buffer filled from the two arrays
 * when they agree, else the per-line reads.  A missing chip reads 0xFF.
 * DDR mode is transferred as SDR (logged once).
 *
 * Misuse (CCR/DLR/AR written while BUSY, DR overflow or underflow,
 * upper-lane DR access) is logged with a "qspi: " prefix and tolerated:
 * the write is ignored as on silicon, or the byte lost / read as 0.
 * TEF: an indirect or polling command whose address (or address + length)
 * lies beyond 2^(FSIZE+1) does not start and sets TEF.
 *
 * Clock gate (RCC_AHB3ENR.QSPIEN): registers read 0 and ignore writes.
 */

#ifndef SIM_PERIPH_QSPI_H
#define SIM_PERIPH_QSPI_H

#include <stdbool.h>
#include <stdint.h>

#include "nor_chip.h"
#include "periph_rcc.h"
#include "sim_bus.h"

#define SIM_QSPI_BASE		0x52005000u
#define SIM_QSPI_MMAP_BASE	0x90000000u
#define SIM_QSPI_FIFO_SIZE	32u
#define SIM_QSPI_WINDOW_NAME	"qspi-mmap"
/* QUADSPI kernel clock after reset: rcc_hclk3 = HSI 64 MHz (RM0433) */
#define SIM_QSPI_KERNEL_HZ_RESET	64000000u

struct sim_qspi;

struct sim_qspi_config {
	uint32_t base;			/* register block, normally SIM_QSPI_BASE */
	uint32_t mmap_base;		/* bank, normally SIM_QSPI_MMAP_BASE */
	struct sim_bus *bus;		/* where the memory-mapped window goes */
	struct nor_chip *chip[2];	/* BK1, BK2; NULL = not fitted */
	/* the arrays the chips were created over (nor_chip_size() bytes) */
	const uint8_t *array[2];
	struct sim_clock_gate gate;	/* RCC_AHB3ENR.QSPIEN */
	uint32_t kernel_hz;		/* QUADSPI kernel clock; 0 = no bus time */
	/* With bus time: the kernel clock as the RCC selects it now, asked
	 * at every command (NULL: kernel_hz all along).  An answer of 0 (the
	 * selected clock is stopped, or comes from a crystal the model has
	 * no frequency for) is logged once and kernel_hz used instead. */
	uint32_t (*kernel_clock)(void *ctx);
	void *kernel_clock_ctx;
	/* time source in picoseconds and a stall until a time (NULL: the
	 * real CLOCK_MONOTONIC and a spin on it); tests use a fake clock */
	uint64_t (*now_ps)(void *ctx);
	void (*wait_until_ps)(void *ctx, uint64_t t);
	void *clock_ctx;
	/* An SR read in status-polling mode whose answer cannot change for
	 * ns nanoseconds (every fitted chip that could change it is busy that
	 * much longer): the reader may idle its host thread (NULL: nothing).
	 * Register values and timing stay as they are. */
	void (*idle)(void *ctx, uint64_t ns);
	void *idle_ctx;
	void (*log)(void *ctx, const char *msg);	/* NULL: stderr, "qspi: " */
	void *log_ctx;
};

struct sim_qspi_counters {
	uint64_t indirect_writes;	/* FMODE=00 commands started */
	uint64_t indirect_reads;	/* FMODE=01 commands started */
	uint64_t polls;			/* status reads done in FMODE=10 */
	uint64_t poll_matches;		/* SMF events */
	uint64_t mmap_entries;		/* memory-mapped sessions begun */
	uint64_t mmap_slow;		/* of which needed the filled buffer */
	uint64_t aborts;		/* ABORT requests */
	uint64_t transfer_errors;	/* TEF events */
	uint64_t fifo_bytes_in;		/* bytes software pushed into DR */
	uint64_t fifo_bytes_out;	/* bytes software popped from DR */
	uint64_t misuse;		/* logged misuse */
	uint64_t stalls;		/* DR accesses that waited for the wire */
	uint64_t wire_ps;		/* bus time of all commands (phases and data) */
};

struct sim_qspi *sim_qspi_create(const struct sim_qspi_config *config);
void sim_qspi_destroy(struct sim_qspi *qspi);
/* The device to register on the bus (size 0x400, reset hook included). */
struct sim_device sim_qspi_device(struct sim_qspi *qspi);
/* Reset: all registers 0, FIFO empty, window removed, chips deselected. */
void sim_qspi_reset(struct sim_qspi *qspi);

/* One more status read if auto-polling is running (e.g. from a timer). */
void sim_qspi_poll_step(struct sim_qspi *qspi);

/*
 * For a front-end whose commands start on another register than CCR
 * (periph_ospi.c: OCTOSPI starts them on IR or AR): store a QUADSPI-layout
 * CCR value without starting anything.  Ignored and logged while BUSY;
 * leaves memory-mapped mode.  A later CCR write through the device starts
 * the command as usual.
 */
void sim_qspi_set_ccr_idle(struct sim_qspi *qspi, uint32_t ccr);
/*
 * For a front-end with wider phases (periph_ospi.c: OCTOSPI's 8 lines,
 * DTR and 16/24/32-bit instructions): while active, each phase that the
 * CCR has (its 2-bit mode not 00) goes on lines[phase] lines (1, 2, 4 or
 * 8), double rate when dtr[phase] (two transfers per SCK cycle, so half
 * the bus time), and the instruction is the instruction_bytes low bytes
 * of `instruction`, most significant first, instead of CCR[7:0].  dqs:
 * read data is captured with the chip's DQS strobe (nor_chip_set_dqs).
 * Applies to the commands started after it; ignored and logged while
 * BUSY.  NULL clears it.
 */
struct sim_qspi_phases {
	bool active;
	uint8_t lines[4];		/* instruction, address, alternate bytes, data */
	bool dtr[4];			/* same order */
	uint8_t instruction_bytes;	/* 1..4 */
	uint32_t instruction;
	bool dqs;
};
void sim_qspi_set_phases(struct sim_qspi *qspi, const struct sim_qspi_phases *phases);
/* SR.BUSY as software sees it (a transfer or polling running). */
bool sim_qspi_busy(const struct sim_qspi *qspi);

bool sim_qspi_mmap_active(const struct sim_qspi *qspi);
const struct sim_qspi_counters *sim_qspi_counters(const struct sim_qspi *qspi);

/*
 * Wire or unwire the chip of a bank (an I/O manager's routing, e.g.
 * OCTOSPIM): unwired, the bank is as if no chip were fitted.  A change
 * while a command or memory-mapped mode runs stops it and counts as
 * misuse (HAL_OSPIM_Config disables the controllers first).
 */
void sim_qspi_connect(struct sim_qspi *qspi, unsigned int bank, bool connected);

#endif /* SIM_PERIPH_QSPI_H */
