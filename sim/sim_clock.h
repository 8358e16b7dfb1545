/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The simulator's wall clock: CLOCK_MONOTONIC in nanoseconds, read on
 * every timed register access and chip status check.  A clock_gettime()
 * costs 100-130 ns under a hypervisor's clock source (kvm-clock, measured
 * on the 2-core CI machine), several per access, which made the
 * simulator's own clock a large part of a register access.  On x86-64
 * with an invariant TSC (CPUID 80000007h EDX bit 8), the TSC extrapolates
 * from a CLOCK_MONOTONIC reading at most about 1 ms of ticks old, at the
 * rate measured between the last two readings; values never go back.
 * Elsewhere, and until a rate is known, it is clock_gettime() itself.
 * State is per thread (each thread anchors its own readings).
 */

#ifndef SIM_CLOCK_H
#define SIM_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <x86intrin.h>
#endif

static inline uint64_t sim_clock_gettime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#if defined(__x86_64__)
struct sim_clock_state {
	int tsc_ok;			/* 0 unknown, 1 invariant TSC, -1 none */
	uint64_t anchor_tsc, anchor_ns;	/* the last real reading */
	uint64_t ticks;			/* re-anchor after this many ticks (~1 ms) */
	double ns_per_tick;		/* 0 until two readings were far enough apart */
	uint64_t last_ns;		/* never go back */
};

static inline uint64_t sim_clock_reanchor(struct sim_clock_state *c, uint64_t tsc)
{
	uint64_t ns = sim_clock_gettime_ns();
	uint64_t dn = ns - c->anchor_ns;
	if (tsc <= c->anchor_tsc) {
		/* a TSC that went back (another CPU's): start again */
		c->ns_per_tick = 0;
		c->anchor_tsc = 0;
	} else if (c->anchor_tsc && dn >= 500000u) {
		double rate = (double)dn / (double)(tsc - c->anchor_tsc);
		/* 50 MHz to 20 GHz of ticks, else no rate */
		c->ns_per_tick = rate >= 0.05 && rate <= 20.0 ? rate : 0;
		c->ticks = c->ns_per_tick ? (uint64_t)(1000000.0 / c->ns_per_tick) : 0;
	}
	if (!c->anchor_tsc || dn >= 500000u) {
		c->anchor_tsc = tsc;
		c->anchor_ns = ns;
	}
	return ns;
}
#endif

static inline uint64_t sim_clock_ns(void)
{
#if defined(__x86_64__)
	static __thread struct sim_clock_state c;
	if (!c.tsc_ok) {
		unsigned int a, b, cx, d;
		c.tsc_ok = (__get_cpuid(0x80000007u, &a, &b, &cx, &d) && (d & (1u << 8))) ? 1 : -1;
	}
	if (c.tsc_ok > 0) {
		uint64_t tsc = __rdtsc(), ns;
		if (!c.ns_per_tick || tsc - c.anchor_tsc >= c.ticks)
			ns = sim_clock_reanchor(&c, tsc);
		else
			ns = c.anchor_ns + (uint64_t)((double)(tsc - c.anchor_tsc) * c.ns_per_tick);
		if (ns < c.last_ns)
			ns = c.last_ns;
		c.last_ns = ns;
		return ns;
	}
#endif
	return sim_clock_gettime_ns();
}

#endif /* SIM_CLOCK_H */
