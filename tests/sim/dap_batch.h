/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Builds vdebug REG batches the way OpenOCD 0.12.0 encodes them
 * (vdebug-protocol.md section 6.1): 8-byte request header
 * {space, tlen, asize 2, cmd} + register index, and the data word for writes.
 */

#ifndef DAP_BATCH_H
#define DAP_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BATCH_SPACE_AP		1u
#define BATCH_SPACE_DP		2u
#define BATCH_SPACE_ABORT	4u

struct dap_batch {
	uint8_t buf[4096];	/* requests packed back to back */
	size_t len;		/* bytes used (wbytes) */
	unsigned int count;	/* requests (waddr) */
	unsigned int words;	/* result words expected (rbytes / 4) */
};

static inline void batch_put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

static inline uint32_t batch_get32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void batch_req(struct dap_batch *b, unsigned int space, bool write,
			     unsigned int addr, bool want, uint32_t value)
{
	uint32_t hdr = space | (write || want ? 1u << 16 : 0) | 2u << 27 | (write ? 1u : 2u) << 30;

	batch_put32(b->buf + b->len, hdr);
	batch_put32(b->buf + b->len + 4, addr);
	b->len += 8;
	if (write) {
		batch_put32(b->buf + b->len, value);
		b->len += 4;
	}
	if (!write && want)
		b->words++;
	b->count++;
}

static inline void batch_dp_write(struct dap_batch *b, unsigned int addr, uint32_t v)
{
	batch_req(b, BATCH_SPACE_DP, true, addr, true, v);
}

static inline void batch_dp_read(struct dap_batch *b, unsigned int addr, bool want)
{
	batch_req(b, BATCH_SPACE_DP, false, addr, want, 0);
}

/* AP register by offset (0x00..0xFC): SELECT is the caller's business, as in OpenOCD. */
static inline void batch_ap_write(struct dap_batch *b, unsigned int reg, uint32_t v)
{
	batch_req(b, BATCH_SPACE_AP, true, (reg & 0xF) >> 2, true, v);
}

/* OpenOCD's queue_ap_read: AP read without data, then RDBUFF with data. */
static inline void batch_ap_read(struct dap_batch *b, unsigned int reg)
{
	batch_req(b, BATCH_SPACE_AP, false, (reg & 0xF) >> 2, false, 0);
	batch_dp_read(b, 3, true);
}

#endif /* DAP_BATCH_H */
