// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram_protect: block protection bits <-> protected byte range.
 *
 * Decoding follows the rules of the NOR chip reference (section 6):
 *  - 3 BP + TB + SEC + CMP (W25Q128JV, GD25Q128): BP = 0 protects nothing,
 *    BP = 7 everything; SEC = 0: size / 64 * 2^(BP - 1) from the top
 *    (TB = 0) or bottom (TB = 1); SEC = 1: 4 KiB * 2^(BP - 1), capped at
 *    32 KiB (BP = 6 with SEC = 1 is not in the datasheet table; flashrom
 *    also gives 32 KiB);
 *  - 4 BP (+ TB, + CMP on Winbond): BP = 0 nothing, else 64 KiB * 2^(BP - 1)
 *    from the top or bottom, the whole chip once that reaches its size
 *    (Micron the same, with BP3 apart from the others in SR bit 6:
 *    nor-chips.md 9.4, Linux spi-nor SPI_NOR_BP3_SR_BIT6);
 *  - CMP = 1 protects the complement.
 *
 * Encoding enumerates every setting of the scheme's bits (at most 64) and
 * picks an exact match, preferring the one closest to the current
 * registers.  A one-time TB bit is never changed.
 */

#include <stdio.h>
#include <string.h>

#include "spiram_protect.h"

#define KIB 1024u

struct protect_layout {
	const char *name;
	unsigned int bp_bits;		/* 3 or 4 */
	uint8_t bp_shift;		/* BP0 position in SR1 */
	uint8_t tb_reg;			/* register index of TB */
	uint8_t tb_bit;			/* TB bit mask in that register */
	bool tb_otp;			/* TB is one-time programmable */
	uint8_t sec_bit;		/* SEC mask in SR1, 0 = none */
	uint8_t cmp_bit;		/* CMP mask in SR2, 0 = none */
	uint8_t wps_bit;		/* WPS mask in SR3, 0 = none */
	uint8_t bp3_bit;		/* BP3's mask in SR1 when it is not next to BP2, 0 = next to it */
};

static const struct protect_layout protect_layouts[SPIRAM_PROTECT_SCHEME_COUNT] = {
	[SPIRAM_PROTECT_3BP_TB_SEC_CMP] = { "BP2-0/TB/SEC/CMP (W25Q128JV)", 3, 2, 0, 0x20, false, 0x40, 0x40, 0x04 },
	[SPIRAM_PROTECT_4BP_TB_CMP] = { "BP3-0/TB/CMP (W25Q256JV)", 4, 2, 0, 0x40, false, 0, 0x40, 0x04 },
	[SPIRAM_PROTECT_4BP_TB_CR] = { "BP3-0/TB in CR (Macronix)", 4, 2, 1, 0x08, true, 0, 0, 0 },
	[SPIRAM_PROTECT_4BP_TBS_FR] = { "BP3-0/TBS in FR (ISSI)", 4, 2, 1, 0x02, true, 0, 0, 0 },
	[SPIRAM_PROTECT_4BP_TB_MICRON] = { "BP3 (bit 6), BP2-0/TB (Micron)", 4, 2, 0, 0x20, false, 0, 0, 0, 0x40 },
};

struct protect_fields {
	unsigned int bp, tb, sec, cmp;
};

static const struct protect_layout *protect_layout(enum spiram_protect_scheme scheme)
{
	if (scheme <= SPIRAM_PROTECT_NONE || scheme >= SPIRAM_PROTECT_SCHEME_COUNT)
		return NULL;
	return &protect_layouts[scheme];
}

static bool protect_size_ok(uint64_t size)
{
	return size >= 64 * KIB && !(size & (size - 1));
}

/* The BP bits in SR1: contiguous from bp_shift, or BP2..0 there and BP3
 * at bp3_bit. */
static uint8_t protect_bp_mask(const struct protect_layout *l)
{
	if (l->bp3_bit)
		return (uint8_t)(7u << l->bp_shift) | l->bp3_bit;
	return (uint8_t)(((1u << l->bp_bits) - 1) << l->bp_shift);
}

const char *spiram_protect_scheme_name(enum spiram_protect_scheme scheme)
{
	const struct protect_layout *l = protect_layout(scheme);

	return l ? l->name : "none";
}

void spiram_protect_mask(enum spiram_protect_scheme scheme, struct spiram_protect_regs *mask)
{
	const struct protect_layout *l = protect_layout(scheme);

	memset(mask, 0, sizeof(*mask));
	if (!l)
		return;
	mask->sr[0] = protect_bp_mask(l) | l->sec_bit;
	mask->sr[l->tb_reg] |= l->tb_bit;
	mask->sr[1] |= l->cmp_bit;
}

static void protect_fields_to_range(const struct protect_layout *l, uint64_t size, const struct protect_fields *f,
		uint64_t *start, uint64_t *end)
{
	uint64_t len;
	unsigned int bp_max = (1u << l->bp_bits) - 1;

	if (f->bp == 0) {
		len = 0;
	} else if (l->bp_bits == 3 && f->bp == bp_max) {
		len = size;
	} else if (l->sec_bit && f->sec) {
		len = (4 * KIB) << (f->bp - 1);
		if (len > 32 * KIB)
			len = 32 * KIB;
	} else if (l->bp_bits == 3) {
		len = (size / 64) << (f->bp - 1);
	} else {
		len = (uint64_t)(64 * KIB) << (f->bp - 1);
	}
	if (len > size)
		len = size;

	uint64_t s = f->tb ? 0 : size - len;
	uint64_t e = f->tb ? len : size;
	if (f->cmp) {
		/* complement of [s, e): one piece, since the range touches an end */
		if (len == 0) {
			s = 0;
			e = size;
		} else if (len == size) {
			s = 0;
			e = 0;
		} else if (f->tb) {
			s = len;
			e = size;
		} else {
			s = 0;
			e = size - len;
		}
	}
	if (s == e) {
		s = 0;
		e = 0;
	}
	*start = s;
	*end = e;
}

static void protect_regs_to_fields(const struct protect_layout *l, const uint8_t sr[3], struct protect_fields *f)
{
	if (l->bp3_bit)
		f->bp = ((sr[0] >> l->bp_shift) & 7) | ((sr[0] & l->bp3_bit) ? 8 : 0);
	else
		f->bp = (sr[0] >> l->bp_shift) & ((1u << l->bp_bits) - 1);
	f->tb = !!(sr[l->tb_reg] & l->tb_bit);
	f->sec = l->sec_bit ? !!(sr[0] & l->sec_bit) : 0;
	f->cmp = l->cmp_bit ? !!(sr[1] & l->cmp_bit) : 0;
}

static void protect_fields_to_regs(const struct protect_layout *l, const struct protect_fields *f,
		const uint8_t cur[3], uint8_t out[3])
{
	uint8_t bp_mask = protect_bp_mask(l);
	uint8_t bp = l->bp3_bit ? (uint8_t)(((f->bp & 7) << l->bp_shift) | ((f->bp & 8) ? l->bp3_bit : 0))
		: (uint8_t)(f->bp << l->bp_shift);

	memcpy(out, cur, 3);
	out[0] = (uint8_t)((out[0] & ~bp_mask) | bp);
	out[l->tb_reg] = (uint8_t)((out[l->tb_reg] & ~l->tb_bit) | (f->tb ? l->tb_bit : 0));
	if (l->sec_bit)
		out[0] = (uint8_t)((out[0] & ~l->sec_bit) | (f->sec ? l->sec_bit : 0));
	if (l->cmp_bit)
		out[1] = (uint8_t)((out[1] & ~l->cmp_bit) | (f->cmp ? l->cmp_bit : 0));
}

enum spiram_protect_error spiram_protect_decode(enum spiram_protect_scheme scheme, uint64_t size,
		uint8_t sr1, uint8_t sr2, uint8_t sr3, uint64_t *start, uint64_t *end)
{
	const struct protect_layout *l = protect_layout(scheme);
	const uint8_t sr[3] = { sr1, sr2, sr3 };
	struct protect_fields f;

	*start = *end = 0;
	if (!l)
		return SPIRAM_PROTECT_ERR_SCHEME;
	if (!protect_size_ok(size))
		return SPIRAM_PROTECT_ERR_SIZE;
	if (l->wps_bit && (sr3 & l->wps_bit))
		return SPIRAM_PROTECT_ERR_WPS;
	protect_regs_to_fields(l, sr, &f);
	protect_fields_to_range(l, size, &f, start, end);
	return SPIRAM_PROTECT_OK;
}

/* Calls visit() for every setting of the scheme's fields. */
typedef void (*protect_visit_fn)(const struct protect_fields *f, uint64_t start, uint64_t end, void *ctx);

static void protect_enumerate(const struct protect_layout *l, uint64_t size, protect_visit_fn visit, void *ctx)
{
	struct protect_fields f;

	for (f.cmp = 0; f.cmp <= (l->cmp_bit ? 1u : 0u); f.cmp++) {
		for (f.tb = 0; f.tb <= 1; f.tb++) {
			for (f.sec = 0; f.sec <= (l->sec_bit ? 1u : 0u); f.sec++) {
				for (f.bp = 0; f.bp < (1u << l->bp_bits); f.bp++) {
					uint64_t s, e;
					protect_fields_to_range(l, size, &f, &s, &e);
					visit(&f, s, e, ctx);
				}
			}
		}
	}
}

struct protect_search {
	const struct protect_layout *l;
	uint64_t start, end;		/* request */
	const uint8_t *cur;		/* current registers */
	bool tb_fixed;			/* one-time TB already set: only tb = 1 allowed */
	unsigned int tb_allowed;	/* value TB must keep when tb_otp */
	/* exact matches */
	bool found;
	struct protect_fields best;
	unsigned int best_distance;
	bool found_other_tb;		/* exact only with a TB we may not write */
	/* nearest */
	uint64_t in_start, in_end, out_start, out_end;
	bool have_out;
};

static unsigned int protect_popcount(unsigned int v)
{
	unsigned int n = 0;

	for (; v; v &= v - 1)
		n++;
	return n;
}

static void protect_search_visit(const struct protect_fields *f, uint64_t s, uint64_t e, void *ctx)
{
	struct protect_search *ps = ctx;
	bool allowed = !ps->l->tb_otp || f->tb == ps->tb_allowed;
	bool empty_request = ps->start == ps->end;
	bool exact = (s == ps->start && e == ps->end) || (empty_request && s == e);

	if (exact && !allowed)
		ps->found_other_tb = true;
	if (!allowed)
		return;

	if (exact) {
		uint8_t regs[3];
		unsigned int distance = 0;
		protect_fields_to_regs(ps->l, f, ps->cur, regs);
		for (unsigned int i = 0; i < 3; i++)
			distance += protect_popcount(regs[i] ^ ps->cur[i]);
		if (!ps->found || distance < ps->best_distance) {
			ps->found = true;
			ps->best = *f;
			ps->best_distance = distance;
		}
	}
	/* largest inside the request (the empty range always is) */
	if (s == e || (s >= ps->start && e <= ps->end)) {
		if (e - s > ps->in_end - ps->in_start) {
			ps->in_start = s;
			ps->in_end = e;
		}
	}
	/* smallest containing the request */
	if (s == e ? empty_request : (s <= ps->start && e >= ps->end)) {
		if (!ps->have_out || e - s < ps->out_end - ps->out_start) {
			ps->have_out = true;
			ps->out_start = s;
			ps->out_end = e;
		}
	}
}

static enum spiram_protect_error protect_search(enum spiram_protect_scheme scheme, uint64_t size,
		uint64_t start, uint64_t end, const struct spiram_protect_regs *cur, struct protect_search *ps)
{
	const struct protect_layout *l = protect_layout(scheme);
	static const struct spiram_protect_regs zero;

	memset(ps, 0, sizeof(*ps));
	if (!l)
		return SPIRAM_PROTECT_ERR_SCHEME;
	if (!protect_size_ok(size))
		return SPIRAM_PROTECT_ERR_SIZE;
	if (start > end || end > size)
		return SPIRAM_PROTECT_ERR_RANGE;
	if (!cur)
		cur = &zero;
	if (l->wps_bit && (cur->sr[2] & l->wps_bit))
		return SPIRAM_PROTECT_ERR_WPS;

	ps->l = l;
	ps->start = start;
	ps->end = end;
	ps->cur = cur->sr;
	ps->tb_allowed = !!(cur->sr[l->tb_reg] & l->tb_bit);
	protect_enumerate(l, size, protect_search_visit, ps);
	return SPIRAM_PROTECT_OK;
}

enum spiram_protect_error spiram_protect_nearest(enum spiram_protect_scheme scheme, uint64_t size,
		uint64_t start, uint64_t end, const struct spiram_protect_regs *cur,
		uint64_t *in_start, uint64_t *in_end, uint64_t *out_start, uint64_t *out_end)
{
	struct protect_search ps;
	enum spiram_protect_error err = protect_search(scheme, size, start, end, cur, &ps);

	if (err != SPIRAM_PROTECT_OK)
		return err;
	*in_start = ps.in_start;
	*in_end = ps.in_end;
	*out_start = ps.out_start;
	*out_end = ps.out_end;
	return SPIRAM_PROTECT_OK;
}

static void protect_format_range(char *buf, size_t size, uint64_t start, uint64_t end)
{
	if (start == end)
		snprintf(buf, size, "nothing");
	else
		snprintf(buf, size, "0x%08llx..0x%08llx (%llu KiB)", (unsigned long long)start,
				(unsigned long long)(end - 1), (unsigned long long)((end - start) / KIB));
}

enum spiram_protect_error spiram_protect_encode(enum spiram_protect_scheme scheme, uint64_t size,
		uint64_t start, uint64_t end, const struct spiram_protect_regs *cur, struct spiram_protect_regs *out,
		char *msg, size_t msg_size)
{
	static const struct spiram_protect_regs zero;
	struct protect_search ps;
	char req[64], in[64], outer[64];

	if (msg && msg_size)
		msg[0] = '\0';
	if (!cur)
		cur = &zero;
	*out = *cur;

	enum spiram_protect_error err = protect_search(scheme, size, start, end, cur, &ps);
	if (err != SPIRAM_PROTECT_OK) {
		if (msg && msg_size) {
			if (err == SPIRAM_PROTECT_ERR_WPS)
				snprintf(msg, msg_size, "SR3 WPS=1: the chip uses individual block locks, not BP bits; "
						"clear WPS to use the protect command");
			else if (err == SPIRAM_PROTECT_ERR_RANGE)
				snprintf(msg, msg_size, "range 0x%llx..0x%llx is outside the chip (size 0x%llx)",
						(unsigned long long)start, (unsigned long long)end,
						(unsigned long long)size);
			else if (err == SPIRAM_PROTECT_ERR_SIZE)
				snprintf(msg, msg_size, "chip size 0x%llx is not a power of two of at least 64 KiB",
						(unsigned long long)size);
			else
				snprintf(msg, msg_size, "no block protection scheme known for this chip");
		}
		return err;
	}

	if (ps.found) {
		protect_fields_to_regs(ps.l, &ps.best, cur->sr, out->sr);
		return SPIRAM_PROTECT_OK;
	}

	protect_format_range(req, sizeof(req), start, end);
	protect_format_range(in, sizeof(in), ps.in_start, ps.in_end);
	if (ps.have_out)
		protect_format_range(outer, sizeof(outer), ps.out_start, ps.out_end);
	else
		snprintf(outer, sizeof(outer), "none");
	if (ps.found_other_tb) {
		if (msg && msg_size)
			snprintf(msg, msg_size, "protecting %s needs the other top/bottom setting, and the TB bit of "
					"this chip is one-time programmable; nearest with the current TB: %s (largest "
					"inside) or %s (smallest containing)", req, in, outer);
		return SPIRAM_PROTECT_ERR_OTP;
	}
	if (msg && msg_size)
		snprintf(msg, msg_size, "%s cannot express exactly %s; nearest are %s (largest inside) and %s "
				"(smallest containing)", ps.l->name, req, in, outer);
	return SPIRAM_PROTECT_ERR_INEXACT;
}

int spiram_protect_sector_state(uint64_t start, uint64_t end, uint64_t offset, uint64_t sector_size)
{
	if (start >= end || sector_size == 0)
		return 0;
	/* offset + sector_size > start, without a sum that could wrap */
	return offset < end && (offset >= start || start - offset < sector_size);
}

void spiram_protect_sector_flags(uint64_t start, uint64_t end, const uint64_t *offsets, const uint64_t *sizes,
		size_t count, int *flags)
{
	for (size_t i = 0; i < count; i++)
		flags[i] = spiram_protect_sector_state(start, end, offsets[i], sizes[i]);
}
