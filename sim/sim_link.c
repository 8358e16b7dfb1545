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
 * Parameters (assumptions, quoted in docs/simulator.md):
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
 *                1.  DRW/BDx accesses are memory ops at the address the
 *                ADIv5 layer's TAR cache holds (followed here per AP,
 *                with CSW auto-increment); the TAR and CSW writes in
 *                front of each are taken off the queue, so they cost
 *                nothing.  The driver's queue is then cut as its
 *                stlink_dap_run_internal does: from each memory op, the
 *                longer of one memory command (same direction, size and
 *                AP, contiguous or all one address, up to 6144 bytes,
 *                STLINK_MAX_RW16_32; 64 bytes for 8-bit) plus one status
 *                command (GETLASTRWSTATUS2) after it, and one RW_MISC
 *                pair (32-bit ops of any address, 64 items: one per
 *                read, two per write, one per AP; two commands, no
 *                status), the memory command when they tie.  SELECT
 *                writes and RDBUFF reads do not exist in dapdirect (the
 *                AP number and register travel in each command, reads
 *                answer with their data).  Every dap_run ends with a
 *                CTRL/STAT read, preceded by an RDBUFF read when an AP
 *                register (not memory) was written since the last AP
 *                register read (stlink_flush_ap_write).  A vdebug batch
 *                is one dap_run, except one the client flushed because
 *                its 4024-byte buffer was full: its memory command then
 *                carries on into the next batch while the addresses
 *                continue it.
 *                A memory command takes the round trip plus its payload
 *                at 19 x 64 bytes per ms or its SWD time (one access per
 *                word, halfword or byte), whichever is longer (the probe
 *                streams packets as it clocks SWD).
 *                An RW_MISC pair takes two round trips plus its payload
 *                (OUT: item codes rounded up to 4 bytes and 4 bytes per
 *                item; IN: 8 bytes per item) or its SWD time, taken as
 *                a TAR write and the access per op (assumption).
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

/*
 * One entry of the st-link driver's DAP queue (struct dap_queue in its
 * stlink_usb.c), as far as the timing needs it.
 */
enum link_op_kind {
	LINK_OP_REG,		/* DP or AP register command */
	LINK_OP_SETUP,		/* CSW or TAR write a memory op may absorb */
	LINK_OP_MEM,		/* DRW/BDx access: a memory op */
};

struct link_op {
	uint8_t kind;
	bool write;
	bool ap_space;		/* LINK_OP_REG: an AP register, not a DP one */
	uint8_t size;		/* LINK_OP_MEM: bytes per access */
	uint8_t ap;		/* AP number (SELECT.APSEL) */
	uint32_t addr;		/* LINK_OP_MEM: target address */
};

/* the driver's queue holds 4096 entries; a vdebug batch of at most 4 KiB far fewer */
#define LINK_QUEUE_MAX		1024u
/* st-link driver: STLINK_MAX_RW8 (64-byte 8-bit commands on a V2), STLINK_V2_RW_MISC_SIZE */
#define LINK_MAX_RW8_BYTES	64u
#define LINK_V2_RW_MISC_ITEMS	64u

/*
 * How many queued ops from q[0] one RW_MISC pair would carry, and its item
 * count (stlink_usb_count_misc_rw_queue): 32-bit memory ops only, one item
 * per read, two per write, one more per change of AP, at most 64 items.
 */
static unsigned int link_count_misc(const struct link_op *q, unsigned int len,
				    unsigned int *items_out)
{
	unsigned int i, items = 0, ap = 0x100;

	for (i = 0; i < len; i++) {
		unsigned int n = 1;

		if (q[i].kind != LINK_OP_MEM || q[i].size != 4)
			break;
		if (q[i].ap != ap) {
			n++;
			ap = q[i].ap;
		}
		if (q[i].write)
			n++;
		if (items + n > LINK_V2_RW_MISC_ITEMS)
			break;
		items += n;
	}
	*items_out = items;
	return i;
}

/*
 * How many queued ops from q[0] one memory command would carry
 * (stlink_usb_count_buf_rw_queue): same direction, size and AP, contiguous
 * addresses (or, for 32-bit, all the same address), up to the command's
 * largest block.
 */
static unsigned int link_count_buf(const struct sim_link_model *link, const struct link_op *q,
				   unsigned int len)
{
	uint32_t incr = q[0].size;
	unsigned int len_max = incr == 1 ? LINK_MAX_RW8_BYTES : link->max_block_bytes / incr;

	if (len > 1 && incr == 4 && q[1].kind == LINK_OP_MEM && q[0].addr == q[1].addr)
		incr = 0;
	if (len > len_max)
		len = len_max;
	for (unsigned int i = 1; i < len; i++)
		if (q[i].kind != LINK_OP_MEM || q[i].write != q[0].write ||
		    q[i].size != q[0].size || q[i].ap != q[0].ap ||
		    q[i].addr != q[i - 1].addr + incr)
			return i;
	return len;
}

/*
 * Turn the queued ops into probe commands as stlink_dap_run_internal does.
 * An open run from the previous batch (the client split a long transfer)
 * takes the ops that continue it first.  Returns true when the last ops
 * formed a memory command that a following op could still extend.
 */
static bool link_run_queue(const struct sim_link_model *link, const struct link_op *q,
			   unsigned int n, struct sim_link_state *st,
			   struct sim_link_commands *out)
{
	unsigned int i = 0;
	bool open = false;

	if (st->run_open) {
		while (i < n && q[i].kind == LINK_OP_MEM && q[i].write == st->run_write &&
		       q[i].size == st->run_size && q[i].ap == st->run_ap &&
		       q[i].addr == st->run_next &&
		       st->run_bytes + q[i].size <= (q[i].size == 1 ? LINK_MAX_RW8_BYTES :
						      link->max_block_bytes)) {
			st->run_bytes += q[i].size;
			st->run_next += q[i].size;
			out->memory_bytes += q[i].size;
			out->memory_ops++;
			i++;
		}
		open = i == n && i > 0;
		st->run_open = false;
	}
	while (i < n) {
		unsigned int items, c_misc, c_buf;

		if (q[i].kind != LINK_OP_MEM) {
			out->register_commands++;
			if (q[i].ap_space)
				/* only an AP register write leaves a write to flush */
				st->flush_ap_write = q[i].write;
			i++;
			open = false;
			continue;
		}
		c_misc = link_count_misc(q + i, n - i, &items);
		c_buf = link_count_buf(link, q + i, n - i);
		if (c_misc > c_buf) {
			/* RW_MISC_OUT (command, item codes, values) then RW_MISC_IN */
			out->misc_pairs++;
			out->misc_out_bytes += (items + 3) / 4 * 4 + 4 * items;
			out->misc_in_bytes += 8 * items;
			out->misc_ops += c_misc;
			i += c_misc;
			open = false;
			continue;
		}
		out->memory_commands++;
		out->status_commands++;
		out->memory_bytes += c_buf * q[i].size;
		out->memory_ops += c_buf;
		st->run_write = q[i].write;
		st->run_size = q[i].size;
		st->run_ap = q[i].ap;
		st->run_bytes = c_buf * q[i].size;
		st->run_next = q[i + c_buf - 1].addr + q[i].size;
		i += c_buf;
		/* a run of one repeated address is not continued across batches */
		open = !(c_buf > 1 && q[i - c_buf].addr == q[i - c_buf + 1].addr);
	}
	return open;
}

static void link_push_mem(struct link_op *q, unsigned int *n, bool write, uint8_t ap,
			  unsigned int size, uint32_t addr)
{
	struct link_op *op = &q[(*n)++];

	memset(op, 0, sizeof(*op));
	op->kind = LINK_OP_MEM;
	op->write = write;
	op->ap = ap;
	op->size = size;
	op->addr = addr;
}

void sim_link_batch_commands(const struct sim_link_model *link, const uint8_t *req,
			     size_t req_len, unsigned int count, struct sim_link_state *state,
			     struct sim_link_commands *out)
{
	struct sim_link_state local = { 0 };
	struct sim_link_state *st = state ? state : &local;
	struct link_op q[LINK_QUEUE_MAX];
	unsigned int n = 0;
	bool open = false;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	memset(q, 0, sizeof(q[0]));
	if (!link || !link->max_block_bytes)
		return;
	if (!st->csw_known) {
		/* OpenOCD sets CSW before its first memory access; until
		 * then 32-bit words with auto-increment */
		for (unsigned int a = 0; a < SIM_LINK_APS; a++)
			st->csw[a] = 0x12;
		st->csw_known = true;
	}
	for (unsigned int i = 0; i < count && pos + 8 <= req_len; i++) {
		uint32_t hdr = link_le32(req + pos);
		unsigned int addr = link_le32(req + pos + 4) & 3;
		unsigned int space = LINK_REQ_SPACE(hdr);
		bool write = LINK_REQ_CMD(hdr) == LINK_CMD_WRITE;
		unsigned int apbank = (st->select >> 4) & 0xF;
		uint8_t ap = st->select >> 24;
		uint32_t value = 0;
		struct link_op *op;

		pos += 8;
		if (write) {
			if (pos + 4 > req_len)
				break;
			value = link_le32(req + pos);
			pos += 4;
		}
		if (space == LINK_SPACE_DP && write && addr == LINK_DP_SELECT) {
			st->select = value;
			continue;	/* carried inside each dapdirect command */
		}
		if (space == LINK_SPACE_DP && !write && addr == LINK_DP_RDBUFF)
			continue;	/* reads answer with their data */
		if (n == LINK_QUEUE_MAX) {
			/* queue full: the driver runs it, without the dap_run tail */
			link_run_queue(link, q, n, st, out);
			n = 0;
		}
		op = &q[n];
		memset(op, 0, sizeof(*op));
		op->write = write;
		op->ap = ap;
		op->ap_space = space == LINK_SPACE_AP;
		if (space == LINK_SPACE_AP && ((apbank == 0 && addr == LINK_AP_DRW) || apbank == 1)) {
			uint32_t csw = st->csw[ap % SIM_LINK_APS];
			unsigned int size = (csw & 7) == 0 ? 1 : (csw & 7) == 1 ? 2 : 4;
			unsigned int addrinc = (csw >> 4) & 3;
			uint32_t *tar = &st->tar[ap % SIM_LINK_APS];

			/* the TAR write, then an unchanged CSW write, just before
			 * are taken off the queue (stlink_dap_op_queue_ap_read/write) */
			if (n && q[n - 1].kind == LINK_OP_SETUP && q[n - 1].addr == LINK_AP_TAR)
				n--;
			if (n && q[n - 1].kind == LINK_OP_SETUP && q[n - 1].addr == LINK_AP_CSW)
				n--;
			if (apbank == 1) {
				link_push_mem(q, &n, write, ap, size, (*tar & ~0xFu) | addr << 2);
				continue;
			}
			/*
			 * A packed 8/16-bit DRW access carries a whole word.  The
			 * st-link driver strips packing (OpenOCD then finds no
			 * packed support and queues each byte or halfword), so
			 * the word counts as that many ops.
			 */
			unsigned int per = addrinc == 2 ? 4 / size : 1;

			if (n + per > LINK_QUEUE_MAX) {
				link_run_queue(link, q, n, st, out);
				n = 0;
			}
			for (unsigned int k = 0; k < per; k++)
				link_push_mem(q, &n, write, ap, size, *tar + k * size);
			/* CSW.AddrInc single or packed: the ADIv5 layer's TAR cache advances */
			if (addrinc)
				*tar += per * size;
			continue;
		}
		if (space == LINK_SPACE_AP && write && apbank == 0 &&
		    (addr == LINK_AP_CSW || addr == LINK_AP_TAR)) {
			if (addr == LINK_AP_TAR)
				st->tar[ap % SIM_LINK_APS] = value;
			else
				st->csw[ap % SIM_LINK_APS] = value;
			op->kind = LINK_OP_SETUP;
			op->addr = addr;
			n++;
			continue;
		}
		op->kind = LINK_OP_REG;
		n++;
	}
	open = link_run_queue(link, q, n, st, out);
	if (open && req_len > LINK_CLIENT_FULL_BYTES) {
		st->run_open = true;	/* the client split a longer dap_run here */
		return;
	}
	st->run_open = false;
	/* the end of a dap_run: CTRL/STAT, after an RDBUFF read if an AP register was written */
	out->register_commands += 1 + (st->flush_ap_write ? 1 : 0);
	st->flush_ap_write = false;
}

uint64_t sim_link_batch_delay_ns(const struct sim_link_model *link, const uint8_t *req,
				 size_t req_len, unsigned int count, struct sim_link_state *state)
{
	struct sim_link_commands c;
	uint64_t commands, usb_ns, wire_ns, misc_ns, packets;

	if (!link || !link->max_block_bytes)
		return sim_link_delay_ns(link, count);
	sim_link_batch_commands(link, req, req_len, count, state, &c);
	commands = (uint64_t)c.register_commands + c.memory_commands + c.status_commands +
		2 * c.misc_pairs;
	packets = (c.memory_bytes + link->usb_packet_bytes - 1) / link->usb_packet_bytes;
	usb_ns = packets * link->usb_frame_ns / link->usb_packets_per_frame;
	wire_ns = swd_ns(link, c.memory_ops);	/* one SWD access per op, whatever its size */
	misc_ns = 0;
	if (c.misc_pairs) {
		uint64_t misc_usb, misc_wire;

		packets = (c.misc_out_bytes + link->usb_packet_bytes - 1) / link->usb_packet_bytes +
			(c.misc_in_bytes + link->usb_packet_bytes - 1) / link->usb_packet_bytes;
		misc_usb = packets * link->usb_frame_ns / link->usb_packets_per_frame;
		/* each op: a TAR write and the DRW access on the wire (assumed) */
		misc_wire = swd_ns(link, 2 * c.misc_ops);
		misc_ns = misc_usb > misc_wire ? misc_usb : misc_wire;
	}
	return commands * link->round_trip_ns + (usb_ns > wire_ns ? usb_ns : wire_ns) +
		misc_ns + swd_ns(link, c.register_commands);
}
