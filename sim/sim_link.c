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
 *
 *  stlink-v2     ST-Link/V2 or V2-1 through OpenOCD's `st-link` adapter
 *                driver in dapdirect mode (facts: the reference sheet
 *                probe-link-stlink.md, from OpenOCD's stlink_usb.c).  A
 *                probe-command model: the batch is decoded into the
 *                commands that driver sends, and nothing overlaps.
 *                USB full speed: 1 ms frames, 64-byte bulk packets, at
 *                most 19 full packets per frame (USB 2.0 specification).
 *                round trip 1 ms per command: a 16-byte command block OUT
 *                and its reply IN; OpenOCD waits for each reply before
 *                the next command, and the reply is assumed to go out in
 *                the frame after the command (assumption: whether both
 *                share one frame depends on the host controller, not
 *                measured).
 *                Commands: DP/AP register access (CTRL/STAT, IDR, ...) =
 *                1; consecutive DRW/BDx words of one direction = one
 *                memory command per 6144 bytes (STLINK_MAX_RW16_32) plus
 *                one status command (GETLASTRWSTATUS2) after each; the
 *                TAR and CSW writes in front of a memory run are dropped
 *                by the driver, so they cost nothing; SELECT writes and
 *                RDBUFF reads do not exist in dapdirect (the AP number
 *                and register travel in each command, reads answer with
 *                their data); every dap_run ends with a CTRL/STAT read,
 *                preceded by an RDBUFF read when its last op was an AP
 *                write.  A vdebug batch is one dap_run, except one the
 *                client flushed because its 4024-byte buffer was full:
 *                its memory run then carries on into the next batch.
 *                A memory command takes the round trip plus its payload
 *                at 19 x 64 bytes per ms or its SWD time, whichever is
 *                longer (the probe streams packets as it clocks SWD).
 *                SWD 4 MHz: the fastest SWD clock of a V2 (the driver's
 *                table), what stm32h7x.cfg asks for; 46 bits per access.
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

static const struct sim_link_model link_stlink_v2 = {
	.name = "stlink-v2",
	.round_trip_ns = 1000000,
	.swd_clock_khz = 4000,
	.bits_per_transaction = 46,
	.transactions_per_round_trip = 0,
	.max_block_bytes = 6144,
	.usb_packet_bytes = 64,
	.usb_packets_per_frame = 19,
	.usb_frame_ns = 1000000,
};

static const struct sim_link_model *const link_models[] = {
	&link_none,
	&link_cmsis_dap_hs,
	&link_jlink,
	&link_stlink_v2,
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

static uint64_t swd_ns(const struct sim_link_model *link, uint64_t transactions)
{
	/* bits / (kHz * 1000) seconds = bits * 10^6 / kHz nanoseconds */
	return link->swd_clock_khz ?
		transactions * link->bits_per_transaction * 1000000u / link->swd_clock_khz : 0;
}

uint64_t sim_link_delay_ns(const struct sim_link_model *link, unsigned int transactions)
{
	uint64_t round_trips = 1, wire_ns = 0;

	if (!link || (!link->round_trip_ns && !link->swd_clock_khz))
		return 0;
	if (link->max_block_bytes)	/* one register command */
		return link->round_trip_ns + swd_ns(link, 1);
	if (link->transactions_per_round_trip && transactions)
		round_trips = (transactions + link->transactions_per_round_trip - 1) /
			link->transactions_per_round_trip;
	if (link->swd_clock_khz)
		/* bits / (kHz * 1000) seconds = bits * 10^6 / kHz nanoseconds */
		wire_ns = (uint64_t)transactions * link->bits_per_transaction * 1000000u /
			link->swd_clock_khz;
	return round_trips * link->round_trip_ns + wire_ns;
}

/* vdebug request encoding (vdebug-protocol.md section 6.1, as sim_dap.c) */
#define LINK_REQ_SPACE(h)	((h) & 0x7u)
#define LINK_REQ_CMD(h)		(((h) >> 30) & 0x3u)
#define LINK_SPACE_AP		1u
#define LINK_SPACE_DP		2u
#define LINK_CMD_WRITE		1u
#define LINK_DP_SELECT		2u
#define LINK_DP_RDBUFF		3u
#define LINK_AP_CSW		0u
#define LINK_AP_TAR		1u
#define LINK_AP_DRW		3u
/* OpenOCD 0.12.0's vdebug client flushes when 4 * waddr + 20 > VD_BUFFER_LEN (4024) */
#define LINK_CLIENT_FULL_BYTES	(4024u - 20u)

static uint32_t link_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void sim_link_batch_commands(const struct sim_link_model *link, const uint8_t *req,
			     size_t req_len, unsigned int count, struct sim_link_state *state,
			     struct sim_link_commands *out)
{
	struct sim_link_state local = { 0 };
	struct sim_link_state *st = state ? state : &local;
	unsigned int apbank = 0;	/* SELECT.APBANKSEL seen in this batch */
	unsigned int pending_setup = 0;	/* TAR/CSW writes a memory run would absorb */
	bool last_ap_write = false;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	if (!link || !link->max_block_bytes)
		return;
	for (unsigned int i = 0; i < count && pos + 8 <= req_len; i++) {
		uint32_t hdr = link_le32(req + pos);
		unsigned int addr = link_le32(req + pos + 4) & 3;
		unsigned int space = LINK_REQ_SPACE(hdr);
		bool write = LINK_REQ_CMD(hdr) == LINK_CMD_WRITE;
		uint32_t value = 0;

		pos += 8;
		if (write) {
			if (pos + 4 > req_len)
				break;
			value = link_le32(req + pos);
			pos += 4;
		}
		if (space == LINK_SPACE_DP && write && addr == LINK_DP_SELECT) {
			apbank = (value >> 4) & 0xF;
			continue;	/* carried inside each dapdirect command */
		}
		if (space == LINK_SPACE_DP && !write && addr == LINK_DP_RDBUFF)
			continue;	/* reads answer with their data */
		if (space == LINK_SPACE_AP && ((apbank == 0 && addr == LINK_AP_DRW) || apbank == 1)) {
			pending_setup = 0;
			if (!st->run_open || st->run_write != write ||
			    st->run_bytes + 4 > link->max_block_bytes) {
				out->memory_commands++;
				out->status_commands++;
				st->run_open = true;
				st->run_write = write;
				st->run_bytes = 0;
			}
			st->run_bytes += 4;
			out->memory_bytes += 4;
			last_ap_write = write;
			continue;
		}
		if (space == LINK_SPACE_AP && write && apbank == 0 &&
		    (addr == LINK_AP_CSW || addr == LINK_AP_TAR)) {
			/* dropped in front of a memory op, which merges with the
			 * run before it when contiguous (assumed) */
			pending_setup++;
			last_ap_write = true;
			continue;
		}
		st->run_open = false;
		out->register_commands += pending_setup + 1;
		pending_setup = 0;
		last_ap_write = space == LINK_SPACE_AP && write;
	}
	if (st->run_open && !pending_setup && req_len > LINK_CLIENT_FULL_BYTES)
		return;		/* the client split a longer dap_run here */
	out->register_commands += pending_setup;
	st->run_open = false;
	/* the end of a dap_run: CTRL/STAT, after an RDBUFF read if the last op wrote an AP */
	out->register_commands += 1 + (last_ap_write ? 1 : 0);
}

uint64_t sim_link_batch_delay_ns(const struct sim_link_model *link, const uint8_t *req,
				 size_t req_len, unsigned int count, struct sim_link_state *state)
{
	struct sim_link_commands c;
	uint64_t commands, usb_ns, wire_ns, packets;

	if (!link || !link->max_block_bytes)
		return sim_link_delay_ns(link, count);
	sim_link_batch_commands(link, req, req_len, count, state, &c);
	commands = (uint64_t)c.register_commands + c.memory_commands + c.status_commands;
	packets = (c.memory_bytes + link->usb_packet_bytes - 1) / link->usb_packet_bytes;
	usb_ns = packets * link->usb_frame_ns / link->usb_packets_per_frame;
	wire_ns = swd_ns(link, c.memory_bytes / 4);
	return commands * link->round_trip_ns + (usb_ns > wire_ns ? usb_ns : wire_ns) +
		swd_ns(link, c.register_commands);
}
