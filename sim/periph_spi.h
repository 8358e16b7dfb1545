/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * SPI v1 model: STM32F1 SPIx / GD32F30x SPIx register layout (CR1, CR2, SR,
 * DR, CRCPR, RXCRCR, TXCRCR, I2SCFGR, I2SPR, and GD32 SPI0's QCTL at 0x80).
 *
 * Timing model (bus_hz != 0): a frame takes its bus time in real time
 * (CLOCK_MONOTONIC, or the config's clock hook).  SCK = bus_hz /
 * 2^(BR + 1); a frame is 8 or 16 (DFF) bits, on 1 line (4 with GD32 quad
 * mode).  In master mode with SPE=1 a DR write moves the frame into the
 * shift register when it is free (TXE returns to 1 at once) or leaves it in
 * the TX buffer (TXE=0) until the frame ahead has gone; BSY reads 1 while a
 * frame shifts or waits; the frame meets the chip, and RXNE is set (OVR
 * instead if RXNE was still set, the new frame lost as on silicon), when
 * its last bit has been clocked.  A DR read does not wait (an APB register):
 * read before RXNE it returns the previous frame, as on silicon.  So
 * firmware that waits for TXE, RXNE and !BSY in the documented order works,
 * and firmware that does not gets stale data or a chip select raised while
 * the chip still listens (the chip then misses the frame).  Progress is
 * computed when software touches a register.  bus_hz = 0 keeps the old
 * model: a DR write shifts the frame at once.
 *
 * The SPI does not drive the flash's chip select: the board wires a GPIO
 * pin to nor_chip_select() and tells this model, through chip_selected(),
 * whether the chip listens.  A frame clocked while it does not is still
 * shifted (RXNE set) but the chip sees nothing and MISO floats high
 * (reads 0xFF; UNVERIFIED choice: a pulled-up MISO).
 *
 * Frame format: DFF=1 sends two bytes MSB first; LSBFIRST mirrors the bits
 * of each byte on the wire (the chip is MSB-first, so data is garbled as on
 * silicon).  CPOL/CPHA modes 1 and 2 are logged as misuse (a NOR chip
 * samples on rising edges in modes 0 and 3 only) and transferred as mode 0.
 * GD32 quad mode (QCTL.QMOD) moves each byte on 4 lines.
 * NSS: with SSM=1 the internal NSS is SSI; with SSM=0 and SSOE=0 it is
 * the nss_level callback (high when absent).  NSS low in master mode sets
 * MODF and clears MSTR and SPE.
 * RXONLY / BIDIMODE receive: on enabling, and on each DR read, one frame
 * is clocked with 0xFF on MOSI (the clock runs continuously on silicon).
 *
 * Clock gate: registers read 0 and ignore writes while the RCC bit is 0.
 */

#ifndef SIM_PERIPH_SPI_H
#define SIM_PERIPH_SPI_H

#include <stdbool.h>
#include <stdint.h>

#include "nor_chip.h"
#include "periph_rcc.h"
#include "sim_bus.h"

#define SIM_SPI1_BASE	0x40013000u	/* STM32 SPI1 = GD32 SPI0 (APB2) */
#define SIM_SPI2_BASE	0x40003800u	/* STM32 SPI2 = GD32 SPI1 (APB1) */

struct sim_spi;

struct sim_spi_config {
	uint32_t base;
	const char *name;		/* device name on the bus, e.g. "spi1" */
	struct sim_clock_gate gate;	/* RCC enable bit */
	bool gd32_quad;			/* QCTL at 0x80 present (GD32 SPI0) */
	struct nor_chip *chip;		/* flash on MOSI/MISO/SCK, may be NULL */
	/* does the chip see SCK now (its CS# low)?  NULL: always */
	bool (*chip_selected)(void *ctx);
	/* level of the NSS input pin when SSM=0, SSOE=0; NULL: high */
	bool (*nss_level)(void *ctx);
	void *ctx;			/* for both callbacks */
	void (*log)(void *ctx, const char *msg);	/* NULL: stderr, "spi: " */
	void *log_ctx;
	uint32_t bus_hz;		/* APB clock of this SPI; 0 = no bus time */
	uint64_t (*now_ps)(void *ctx);	/* time source; NULL: CLOCK_MONOTONIC */
	void *clock_ctx;
};
/* F1 / GD32F30x APB2 clock after reset: HSI / IRC8M 8 MHz, no prescaler (RM0008) */
#define SIM_SPI_BUS_HZ_RESET	8000000u

struct sim_spi_counters {
	uint64_t frames;		/* frames shifted */
	uint64_t frames_to_chip;	/* of which the chip was selected */
	uint64_t overruns;		/* OVR events */
	uint64_t mode_faults;		/* MODF events */
	uint64_t misuse;		/* logged misuse */
	uint64_t wire_ps;		/* bus time of all frames */
};

struct sim_spi *sim_spi_create(const struct sim_spi_config *config);
void sim_spi_destroy(struct sim_spi *spi);
struct sim_device sim_spi_device(struct sim_spi *spi);
void sim_spi_reset(struct sim_spi *spi);
const struct sim_spi_counters *sim_spi_counters(const struct sim_spi *spi);

#endif /* SIM_PERIPH_SPI_H */
