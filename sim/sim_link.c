/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Link timing models for --link: how long a real debug probe would need for
 * what OpenOCD sends in one vdebug message.  The vdebug server sleeps until
 * (arrival of the request + sim_link_delay_ns()) before replying, to an
 * absolute CLOCK_MONOTONIC deadline, so timings are deterministic and do not
 * drift with the time the simulator itself spends.
 *
 * Model: delay = round_trips * round_trip_ns
 *              + transactions * bits_per_transaction / swd_clock
 * with round_trips = ceil(transactions / transactions_per_round_trip)
 * (1 when there are no transactions, or when the capacity is unlimited).
 * "transactions" counts vdebug requests; a vdebug AP read always comes with
 * an RDBUFF read, whereas a real SW-DP posts AP reads, so block reads are
 * charged up to twice the SWD traffic of a real probe (writes are exact).
 *
 * Parameters (assumptions, quoted in the README):
 *
 *  none          no delay at all (default).
 *
 *  cmsis-dap-hs  CMSIS-DAP v2 over USB 2.0 high-speed bulk endpoints.
 *                round trip 125 us: one bulk OUT + IN pair assumed to
 *                complete within one USB 2.0 high-speed microframe
 *                (125 us, USB 2.0 spec); probe firmware time folded in.
 *                SWD 10 MHz: a common CMSIS-DAP probe clock.
 *                46 bits per transaction: 8 request + 1 turnaround + 3 ACK
 *                + 1 turnaround + 32 data + 1 parity; OpenOCD 0.12.0
 *                configures 0 idle cycles (cmsis_dap.c,
 *                cmsis_dap_cmd_dap_tfer_configure(0, 64, 0)).
 *                300 transactions per round trip: a 512-byte packet holds
 *                (512 - 3) / 5 = 101 DAP_Transfer writes (fewer for reads:
 *                the reply holds (512 - 3) / 4 = 127 words), and OpenOCD
 *                keeps up to 3 packets in flight (MAX_PENDING_REQUESTS).
 *
 *  jlink         SEGGER J-Link class probe through libjaylink.
 *                round trip 250 us: each jaylink_swd_io() is a bulk OUT
 *                followed by a separate bulk IN, assumed one 125 us
 *                microframe each (assumption, not measured).
 *                SWD 12 MHz: OpenOCD's JLINK_MAX_SPEED (12000 kHz).
 *                54 bits per transaction: the 46 above plus the 8 idle
 *                cycles OpenOCD's jlink driver inserts after AP accesses
 *                (cortex_m sets memaccess_tck = 8); DP accesses get none,
 *                so this slightly overcharges DP-heavy batches.
 *                256 transactions per round trip: the jlink driver flushes
 *                at 256 pending results (MAX_PENDING_SCAN_RESULTS); its
 *                2048-byte buffer (16384 bits / 54 = 303) is not the limit.
 */

#include <stddef.h>
#include <string.h>

#include "sim_dap.h"

static const struct sim_link_model link_none = {
	.name = "none",
	.round_trip_ns = 0,
	.swd_clock_khz = 0,
	.bits_per_transaction = 0,
	.transactions_per_round_trip = 0,
};

static const struct sim_link_model link_cmsis_dap_hs = {
	.name = "cmsis-dap-hs",
	.round_trip_ns = 125000,
	.swd_clock_khz = 10000,
	.bits_per_transaction = 46,
	.transactions_per_round_trip = 300,
};

static const struct sim_link_model link_jlink = {
	.name = "jlink",
	.round_trip_ns = 250000,
	.swd_clock_khz = 12000,
	.bits_per_transaction = 54,
	.transactions_per_round_trip = 256,
};

static const struct sim_link_model *const link_models[] = {
	&link_none,
	&link_cmsis_dap_hs,
	&link_jlink,
	NULL,
};

const struct sim_link_model *const *sim_link_models(void)
{
	return link_models;
}

const struct sim_link_model *sim_link_model_find(const char *name)
{
	for (unsigned int i = 0; link_models[i]; i++)
		if (!strcmp(link_models[i]->name, name))
			return link_models[i];
	return NULL;
}

uint64_t sim_link_delay_ns(const struct sim_link_model *link, unsigned int transactions)
{
	uint64_t round_trips = 1, wire_ns = 0;

	if (!link || (!link->round_trip_ns && !link->swd_clock_khz))
		return 0;
	if (link->transactions_per_round_trip && transactions)
		round_trips = (transactions + link->transactions_per_round_trip - 1) /
			link->transactions_per_round_trip;
	if (link->swd_clock_khz)
		/* bits / (kHz * 1000) seconds = bits * 10^6 / kHz nanoseconds */
		wire_ns = (uint64_t)transactions * link->bits_per_transaction * 1000000u /
			link->swd_clock_khz;
	return round_trips * link->round_trip_ns + wire_ns;
}
