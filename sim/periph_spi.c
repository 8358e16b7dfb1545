// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * SPI v1 model (STM32F1 / GD32F30x).  See periph_spi.h for the timing and
 * wiring model.
 *
 * Invariants:
 *  - tx_full is true only while no frame can be shifted (slave mode, SPE=0
 *    or a mode fault); in enabled master mode a DR write drains at once;
 *  - RXNE and rx_buf change only when a frame is shifted or DR is read;
 *  - the chip sees bytes only while chip_selected() says so.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "periph_spi.h"
#include "sim_clock.h"

#define SPI_SIZE	0x400u

#define SPI_CR1		0x00u
#define SPI_CR2		0x04u
#define SPI_SR		0x08u
#define SPI_DR		0x0Cu
#define SPI_CRCPR	0x10u
#define SPI_RXCRCR	0x14u
#define SPI_TXCRCR	0x18u
#define SPI_I2SCFGR	0x1Cu
#define SPI_I2SPR	0x20u
#define SPI_QCTL	0x80u	/* GD32 SPI0 only */

#define CR1_CPHA	(1u << 0)
#define CR1_CPOL	(1u << 1)
#define CR1_MSTR	(1u << 2)
#define CR1_SPE		(1u << 6)
#define CR1_LSBFIRST	(1u << 7)
#define CR1_SSI		(1u << 8)
#define CR1_SSM		(1u << 9)
#define CR1_RXONLY	(1u << 10)
#define CR1_DFF		(1u << 11)
#define CR1_BIDIOE	(1u << 14)
#define CR1_BIDIMODE	(1u << 15)

#define CR2_SSOE	(1u << 2)

#define SR_RXNE		(1u << 0)
#define SR_TXE		(1u << 1)
#define SR_CRCERR	(1u << 4)
#define SR_MODF		(1u << 5)
#define SR_OVR		(1u << 6)
#define SR_BSY		(1u << 7)

#define QCTL_QMOD	(1u << 0)

struct sim_spi {
	struct sim_spi_config config;
	uint32_t cr1;			/* CR1 / CTL0 */
	uint32_t cr2;			/* CR2 / CTL1 */
	uint32_t sr;			/* RXNE, TXE, CRCERR, MODF, OVR (BSY is always 0) */
	uint32_t crcpr;			/* CRC polynomial, reset 7 */
	uint32_t i2scfgr;		/* plain storage */
	uint32_t i2spr;			/* plain storage, reset 2 */
	uint32_t qctl;			/* GD32 quad control */
	uint16_t tx_buf;		/* TX buffer (valid while !TXE) */
	uint16_t rx_buf;		/* RX buffer (valid while RXNE) */
	bool ovr_dr_read;		/* DR read since OVR: next SR read clears OVR */
	bool modf_sr_read;		/* SR read since MODF: next CR1 write clears MODF */
	bool mode_warned;		/* modes 1/2 logged once */
	/* bus time (bus_hz != 0) */
	bool shifting;			/* a frame is in the shift register */
	uint16_t shift_out;		/* the frame being shifted out */
	uint64_t shift_end_ps;		/* when its last bit is clocked */
	struct sim_spi_counters counters;
};

static void spi_log(struct sim_spi *spi, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	spi->counters.misuse++;
	if (spi->config.log)
		spi->config.log(spi->config.log_ctx, msg);
	else
		fprintf(stderr, "spi: %s: %s\n", spi->config.name ? spi->config.name : "spi", msg);
}

static uint8_t spi_mirror(uint8_t b)
{
	b = (uint8_t)((b & 0xF0u) >> 4 | (b & 0x0Fu) << 4);
	b = (uint8_t)((b & 0xCCu) >> 2 | (b & 0x33u) << 2);
	b = (uint8_t)((b & 0xAAu) >> 1 | (b & 0x55u) << 1);
	return b;
}

static bool spi_nss_low(struct sim_spi *spi)
{
	if (spi->cr1 & CR1_SSM)
		return !(spi->cr1 & CR1_SSI);
	if (spi->cr2 & CR2_SSOE)
		return false;	/* master drives NSS itself */
	if (spi->config.nss_level)
		return !spi->config.nss_level(spi->config.ctx);
	return false;
}

/* Master with NSS low: mode fault, MSTR and SPE drop. */
static bool spi_check_modf(struct sim_spi *spi)
{
	if (!(spi->cr1 & CR1_MSTR) || !spi_nss_low(spi))
		return false;
	spi->sr |= SR_MODF;
	spi->cr1 &= ~(CR1_MSTR | CR1_SPE);
	spi->modf_sr_read = false;
	spi->counters.mode_faults++;
	spi_log(spi, "mode fault: NSS low in master mode (set SSM and SSI, or SSOE); MSTR and SPE cleared");
	return true;
}

static bool spi_master_running(struct sim_spi *spi)
{
	return (spi->cr1 & (CR1_MSTR | CR1_SPE)) == (CR1_MSTR | CR1_SPE);
}

static uint8_t spi_byte(struct sim_spi *spi, uint8_t out)
{
	unsigned int lines = 1;
	uint8_t wire = (spi->cr1 & CR1_LSBFIRST) ? spi_mirror(out) : out;
	uint8_t in = 0xFF;

	if (spi->config.gd32_quad && (spi->qctl & QCTL_QMOD))
		lines = 4;
	if (spi->config.chip &&
	    (!spi->config.chip_selected || spi->config.chip_selected(spi->config.ctx)))
		in = nor_chip_transfer(spi->config.chip, wire, lines);
	return (spi->cr1 & CR1_LSBFIRST) ? spi_mirror(in) : in;
}

/* Shift one frame through the chip and land it in the RX buffer. */
static void spi_shift(struct sim_spi *spi, uint16_t out)
{
	uint16_t in;
	bool selected = spi->config.chip &&
		(!spi->config.chip_selected || spi->config.chip_selected(spi->config.ctx));
	unsigned int mode = spi->cr1 & (CR1_CPOL | CR1_CPHA);

	if ((mode == CR1_CPHA || mode == CR1_CPOL) && !spi->mode_warned) {
		spi->mode_warned = true;
		spi_log(spi, "SPI mode %u (CPOL=%u CPHA=%u): flash chips need mode 0 or 3",
			mode == CR1_CPHA ? 1 : 2, !!(spi->cr1 & CR1_CPOL), !!(spi->cr1 & CR1_CPHA));
	}
	if (spi->cr1 & CR1_DFF) {
		uint8_t hi = spi_byte(spi, (uint8_t)(out >> 8));
		uint8_t lo = spi_byte(spi, (uint8_t)out);

		in = (uint16_t)(hi << 8 | lo);
	} else {
		in = spi_byte(spi, (uint8_t)out);
	}
	spi->counters.frames++;
	if (selected)
		spi->counters.frames_to_chip++;
	if (spi->sr & SR_RXNE) {
		spi->sr |= SR_OVR;
		spi->ovr_dr_read = false;
		spi->counters.overruns++;
	} else {
		spi->rx_buf = in;
		spi->sr |= SR_RXNE;
	}
}

static bool spi_receive_only(const struct sim_spi *spi)
{
	if (spi->cr1 & CR1_BIDIMODE)
		return !(spi->cr1 & CR1_BIDIOE);
	return spi->cr1 & CR1_RXONLY;
}

/* ---- bus time ---- */

static bool spi_timed(const struct sim_spi *spi)
{
	return spi->config.bus_hz != 0;
}

static uint64_t spi_now(const struct sim_spi *spi)
{
	if (spi->config.now_ps)
		return spi->config.now_ps(spi->config.clock_ctx);
	return sim_clock_ns() * 1000u;
}

/* One frame: 8 or 16 bits on 1 (or 4) lines at bus_hz / 2^(BR+1). */
static uint64_t spi_frame_ps(const struct sim_spi *spi)
{
	unsigned int br = (spi->cr1 >> 3) & 7u;
	unsigned int bits = (spi->cr1 & CR1_DFF) ? 16 : 8;
	unsigned int lines = (spi->config.gd32_quad && (spi->qctl & QCTL_QMOD)) ? 4 : 1;

	return 1000000000000ull * (2u << br) / spi->config.bus_hz * bits / lines;
}

/* Load a frame into the shift register at time start. */
static void spi_start_frame(struct sim_spi *spi, uint16_t out, uint64_t start)
{
	uint64_t frame = spi_frame_ps(spi);

	if (spi->config.chip)
		nor_chip_set_clock(spi->config.chip,
				   spi->config.bus_hz / (2u << ((spi->cr1 >> 3) & 7u)));
	spi->shifting = true;
	spi->shift_out = out;
	spi->shift_end_ps = start + frame;
	spi->counters.wire_ps += frame;
}

/* Finish the frames whose time has come; the TX buffer follows at once. */
static void spi_advance(struct sim_spi *spi)
{
	uint64_t now;

	if (!spi_timed(spi) || !spi->shifting)
		return;
	now = spi_now(spi);
	while (spi->shifting && spi->shift_end_ps <= now) {
		spi->shifting = false;
		spi_shift(spi, spi->shift_out);
		if (!(spi->sr & SR_TXE) && spi_master_running(spi)) {
			spi->sr |= SR_TXE;
			spi_start_frame(spi, spi->tx_buf, spi->shift_end_ps);
		}
	}
}

/* Move a pending TX frame if the master can clock now. */
static void spi_try_shift(struct sim_spi *spi)
{
	if (!spi_master_running(spi) || (spi->sr & SR_TXE))
		return;
	if (spi_check_modf(spi))
		return;
	if (spi_timed(spi)) {
		if (spi->shifting)
			return;		/* waits in the TX buffer (TXE=0) */
		spi->sr |= SR_TXE;
		spi_start_frame(spi, spi->tx_buf, spi_now(spi));
		return;
	}
	spi->sr |= SR_TXE;
	spi_shift(spi, spi->tx_buf);
}

/* Receive-only modes clock a frame of 0xFF by themselves. */
static void spi_receive_frame(struct sim_spi *spi)
{
	if (!spi_timed(spi)) {
		spi_shift(spi, 0xFFFF);
		return;
	}
	if (!spi->shifting)
		spi_start_frame(spi, 0xFFFF, spi_now(spi));
}

static uint32_t spi_read_reg(struct sim_spi *spi, uint32_t offset)
{
	uint32_t value;

	switch (offset) {
	case SPI_CR1:
		return spi->cr1;
	case SPI_CR2:
		return spi->cr2;
	case SPI_SR:
		value = spi->sr & ~SR_BSY;
		if (spi->shifting || (!(spi->sr & SR_TXE) && spi_master_running(spi)))
			value |= SR_BSY;	/* a frame shifts or waits */
		if ((spi->sr & SR_OVR) && spi->ovr_dr_read) {
			spi->sr &= ~SR_OVR;
			spi->ovr_dr_read = false;
		}
		if (spi->sr & SR_MODF)
			spi->modf_sr_read = true;
		return value;
	case SPI_DR:
		value = spi->rx_buf;
		if (!(spi->sr & SR_RXNE) && !(spi->sr & SR_OVR))
			spi_log(spi, "DR read with RXNE=0 returns the previous frame 0x%04x", value);
		spi->sr &= ~SR_RXNE;
		if (spi->sr & SR_OVR)
			spi->ovr_dr_read = true;
		if (spi_master_running(spi) && spi_receive_only(spi))
			spi_receive_frame(spi);
		return spi->cr1 & CR1_DFF ? value : (value & 0xFFu);
	case SPI_CRCPR:
		return spi->crcpr;
	case SPI_RXCRCR:
	case SPI_TXCRCR:
		return 0;	/* CRC not computed (UNVERIFIED use: none by flash code) */
	case SPI_I2SCFGR:
		return spi->i2scfgr;
	case SPI_I2SPR:
		return spi->i2spr;
	case SPI_QCTL:
		return spi->config.gd32_quad ? spi->qctl : 0;
	default:
		return 0;
	}
}

static void spi_write_reg(struct sim_spi *spi, uint32_t offset, uint32_t value)
{
	switch (offset) {
	case SPI_CR1: {
		bool was_on = spi->cr1 & CR1_SPE;

		if ((spi->sr & SR_MODF) && spi->modf_sr_read) {
			spi->sr &= ~SR_MODF;
			spi->modf_sr_read = false;
		}
		if (spi->sr & SR_MODF) {
			/* MSTR and SPE cannot be set while MODF is set */
			value &= ~(CR1_MSTR | CR1_SPE);
		}
		if (was_on && (value & CR1_SPE) &&
		    ((value ^ spi->cr1) & (CR1_DFF | CR1_LSBFIRST | CR1_CPOL | CR1_CPHA | (7u << 3))))
			spi_log(spi, "CR1 frame format changed while SPE=1 (clear SPE first)");
		spi->cr1 = value & 0xFFFFu;
		if (spi_check_modf(spi))
			return;
		if (!was_on && spi_master_running(spi) && spi_receive_only(spi))
			spi_receive_frame(spi);
		spi_try_shift(spi);
		return;
	}
	case SPI_CR2:
		spi->cr2 = value & 0xFFu;
		return;
	case SPI_SR:
		/* CRCERR is rc_w0; the rest is read-only */
		if (!(value & SR_CRCERR))
			spi->sr &= ~SR_CRCERR;
		return;
	case SPI_DR:
		if (!(spi->sr & SR_TXE))
			spi_log(spi, "DR written with TXE=0: frame 0x%04x overwrites 0x%04x",
				value & 0xFFFFu, spi->tx_buf);
		spi->tx_buf = (uint16_t)(spi->cr1 & CR1_DFF ? value : (value & 0xFFu));
		spi->sr &= ~SR_TXE;
		if (spi_master_running(spi) && spi_receive_only(spi)) {
			spi_log(spi, "DR written in receive-only mode: frame not sent");
			spi->sr |= SR_TXE;
			return;
		}
		spi_try_shift(spi);
		return;
	case SPI_CRCPR:
		spi->crcpr = value & 0xFFFFu;
		return;
	case SPI_I2SCFGR:
		spi->i2scfgr = value & 0xFFFu;
		if (value & (1u << 11))
			spi_log(spi, "I2S mode selected: not modelled");
		return;
	case SPI_I2SPR:
		spi->i2spr = value & 0x3FFu;
		return;
	case SPI_QCTL:
		if (spi->config.gd32_quad)
			spi->qctl = value & 0x7u;
		return;
	default:
		return;
	}
}

static int spi_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_spi *spi = opaque;
	uint32_t word;

	if (!sim_clock_gate_on(&spi->config.gate)) {
		*value = 0;
		return 0;
	}
	spi_advance(spi);
	/* a narrow read of the upper half of a 16-bit register reads 0 */
	if ((offset & 3u) >= 2) {
		*value = 0;
		return 0;
	}
	word = spi_read_reg(spi, offset & ~3u);
	*value = word >> ((offset & 3u) * 8);
	if (size < 4)
		*value &= (1u << (size * 8)) - 1;
	return 0;
}

static int spi_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_spi *spi = opaque;

	if (!sim_clock_gate_on(&spi->config.gate))
		return 0;
	spi_advance(spi);
	if ((offset & 3u) != 0) {
		spi_log(spi, "unaligned %u-byte write at +0x%02x ignored", size, offset);
		return 0;
	}
	if (size == 1 && (offset == SPI_DR) && (spi->cr1 & CR1_DFF))
		spi_log(spi, "byte write to DR in 16-bit frame mode");
	if (size == 1)
		value &= 0xFFu;
	spi_write_reg(spi, offset, value);
	return 0;
}

void sim_spi_reset(struct sim_spi *spi)
{
	spi->cr1 = 0;
	spi->cr2 = 0;
	spi->sr = SR_TXE;
	spi->crcpr = 7;
	spi->i2scfgr = 0;
	spi->i2spr = 2;
	spi->qctl = 0;
	spi->tx_buf = 0;
	spi->rx_buf = 0;
	spi->ovr_dr_read = false;
	spi->modf_sr_read = false;
	spi->shifting = false;
}

static void spi_reset_hook(void *opaque)
{
	sim_spi_reset(opaque);
}

static const struct sim_device_ops spi_ops = {
	.read = spi_read,
	.write = spi_write,
};

struct sim_spi *sim_spi_create(const struct sim_spi_config *config)
{
	struct sim_spi *spi = calloc(1, sizeof(*spi));

	if (!spi)
		return NULL;
	spi->config = *config;
	if (!spi->config.name)
		spi->config.name = "spi";
	sim_spi_reset(spi);
	return spi;
}

void sim_spi_destroy(struct sim_spi *spi)
{
	free(spi);
}

struct sim_device sim_spi_device(struct sim_spi *spi)
{
	struct sim_device dev = {
		.name = spi->config.name,
		.base = spi->config.base,
		.size = SPI_SIZE,
		.ops = &spi_ops,
		.opaque = spi,
		.reset = spi_reset_hook,
	};
	return dev;
}

const struct sim_spi_counters *sim_spi_counters(const struct sim_spi *spi)
{
	return &spi->counters;
}
