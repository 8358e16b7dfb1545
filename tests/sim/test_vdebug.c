/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * vdebug server tests over a real TCP socket on an ephemeral loopback port:
 * the exact bytes of vdebug-protocol.md section 12 (dpreg 0, mww, mdw) and
 * their exact replies, the session commands, the stale empty batch,
 * reconnection with persistent target state, the link-drop fault, stopping
 * from a signal handler, the link timing model, a throughput figure, what
 * protocol versions 46-50 add (OPEN version check, DAP6 BFM type, AP
 * number in SELECT, periodic WAIT), and dropping a client whose message is
 * malformed or stalls so that the next client is served.
 * The handler runs batches on the DAP model over the fake bus, as the
 * machine does with the CPU paused.
 */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sim_dap.h"
#include "fake_bus.h"
#include "dap_batch.h"

struct machine {
	struct sim_dap *dap;
	atomic_int reset_asserts;	/* set_reset(true) calls */
	atomic_int reset_releases;	/* set_reset(false) calls */
	atomic_int sessions_open;
	atomic_int sessions_closed;
};

struct vdebug_test {
	struct sim_bus *bus;
	struct machine m;
	struct sim_vdebug_server *srv;
	pthread_t thread;
	int run_result;
};

static uint32_t machine_reg_batch(void *ctx, const uint8_t *req, size_t req_len, unsigned int count,
				  uint8_t *rdata, size_t rdata_cap, size_t *rdata_len)
{
	struct machine *m = ctx;

	return sim_dap_execute(m->dap, req, req_len, count, rdata, rdata_cap, rdata_len);
}

static void machine_set_reset(void *ctx, bool asserted)
{
	struct machine *m = ctx;

	if (asserted)
		atomic_fetch_add(&m->reset_asserts, 1);
	else
		atomic_fetch_add(&m->reset_releases, 1);
}

static void machine_session(void *ctx, bool connected)
{
	struct machine *m = ctx;

	atomic_fetch_add(connected ? &m->sessions_open : &m->sessions_closed, 1);
}

static void *server_thread(void *arg)
{
	struct vdebug_test *t = arg;

	t->run_result = sim_vdebug_server_run(t->srv);
	return NULL;
}

static struct vdebug_test *start_server_layout(const char *link, enum sim_dap_ap_layout layout)
{
	struct vdebug_test *t = calloc(1, sizeof(*t));
	struct sim_dap_config cfg = { .dpidr = 0x6BA02477, .ap_idr = 0x84770001,
				      .ap_base = 0xE00FE003, .ap_layout = layout };
	struct sim_vdebug_handler h = {
		.ctx = &t->m,
		.reg_batch = machine_reg_batch,
		.set_reset = machine_set_reset,
		.session = machine_session,
	};
	char err[200] = "";

	t->bus = fake_bus_create();
	t->m.dap = sim_dap_create(t->bus, &cfg);
	t->srv = sim_vdebug_server_create(0, sim_link_model_find(link), &h, err, sizeof(err));
	if (!t->srv)
		fail_msg("server: %s", err);
	assert_int_not_equal(sim_vdebug_server_port(t->srv), 0);
	assert_int_equal(pthread_create(&t->thread, NULL, server_thread, t), 0);
	return t;
}

static struct vdebug_test *start_server(const char *link)
{
	return start_server_layout(link, SIM_DAP_APS_SINGLE);
}

static void stop_server(struct vdebug_test *t)
{
	sim_vdebug_server_stop(t->srv);
	assert_int_equal(pthread_join(t->thread, NULL), 0);
	assert_int_equal(t->run_result, 0);
	sim_vdebug_server_destroy(t->srv);
	sim_dap_destroy(t->m.dap);
	fake_bus_destroy(t->bus);
	free(t);
}

static int client_connect(struct vdebug_test *t)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;

	assert_true(fd >= 0);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(sim_vdebug_server_port(t->srv));
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/* Receive exactly len bytes; returns bytes received before EOF/error. */
static size_t recv_full(int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		ssize_t r = recv(fd, buf + got, len - got, 0);

		if (r <= 0)
			break;
		got += r;
	}
	return got;
}

/* Nothing more than the reply may arrive (extra bytes corrupt OpenOCD's next reply). */
static void assert_no_extra_bytes(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	assert_int_equal(poll(&p, 1, 20), 0);
}

static void xfer(int fd, const uint8_t *req, size_t req_len, uint8_t *reply, size_t reply_len)
{
	assert_int_equal(send(fd, req, req_len, 0), (ssize_t)req_len);
	assert_int_equal(recv_full(fd, reply, reply_len), reply_len);
}

struct msg {
	uint8_t buf[24 + 4096];
	size_t len;
};

static void msg_header(struct msg *m, uint8_t cmd, uint8_t type, uint16_t waddr, uint16_t wbytes,
		       uint16_t rbytes, uint32_t rwdata, uint16_t wid)
{
	memset(m->buf, 0, 24);
	m->buf[0] = cmd;
	m->buf[1] = type;
	m->buf[2] = waddr;
	m->buf[3] = waddr >> 8;
	m->buf[4] = wbytes;
	m->buf[5] = wbytes >> 8;
	m->buf[6] = rbytes;
	m->buf[7] = rbytes >> 8;
	m->buf[8] = wbytes / 4;
	m->buf[9] = (wbytes / 4) >> 8;
	m->buf[10] = rbytes / 4;
	m->buf[11] = (rbytes / 4) >> 8;
	batch_put32(m->buf + 12, rwdata);
	m->buf[22] = wid;
	m->buf[23] = wid >> 8;
	m->len = 24 + wbytes;
}

/* Send a simple command; return the reply status. */
static uint32_t simple_cmd(int fd, uint8_t cmd, uint32_t rwdata, const char *path,
			   uint16_t rbytes, uint8_t *rd8)
{
	struct msg m;
	uint8_t reply[16 + 64];
	uint16_t wbytes = path ? strlen(path) + 1 : 0;

	msg_header(&m, cmd, 2, 0, wbytes, rbytes, rwdata, cmd == 0x01 || cmd == 0x02 ? 44 : 0);
	if (path)
		memcpy(m.buf + 24, path, wbytes);
	xfer(fd, m.buf, m.len, reply, 16 + rbytes);
	if (rd8)
		memcpy(rd8, reply + 16, rbytes);
	if (cmd == 0x01)
		assert_true((reply[0] | reply[1] << 8) >= 44);
	return batch_get32(reply + 4);
}

/* A REG message from a batch; returns the status and fills words. */
static uint32_t reg_msg(int fd, const struct dap_batch *b, uint32_t *words)
{
	struct msg m;
	uint8_t reply[16 + 4096];
	size_t rlen = 16 + 4 * b->words;

	msg_header(&m, b->words ? 0x16 : 0x15, 2, b->count, b->len, 4 * b->words, 0x14, 1);
	memcpy(m.buf + 24, b->buf, b->len);
	xfer(fd, m.buf, m.len, reply, rlen);
	for (unsigned int i = 0; words && i < b->words; i++)
		words[i] = batch_get32(reply + 16 + 4 * i);
	return batch_get32(reply + 4);
}

/* vdebug-protocol.md section 12.2, byte for byte */
static const uint8_t mww_request[] = {
	0x15, 0x02, 0x03, 0x00, 0x24, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x09, 0x00, 0x44, 0x00,
	0x02, 0x00, 0x01, 0x50, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x50, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
	0x01, 0x00, 0x01, 0x50, 0x03, 0x00, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12,
};
static const uint8_t mww_reply[16] = { 0x44 };

/* Section 12.3 payload with a header composed the same way (wid 0x48). */
static const uint8_t mdw_request[] = {
	0x16, 0x02, 0x04, 0x00, 0x28, 0x00, 0x04, 0x00, 0x0a, 0x00, 0x01, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x48, 0x00,
	0x02, 0x00, 0x01, 0x50, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x01, 0x50, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20,
	0x01, 0x00, 0x00, 0x90, 0x03, 0x00, 0x00, 0x00,
	0x02, 0x00, 0x01, 0x90, 0x03, 0x00, 0x00, 0x00,
};
static const uint8_t mdw_reply[20] = { 0x48, 0x00, 0x01, 0x00, [16] = 0x78, 0x56, 0x34, 0x12 };

/* Section 12.1, byte for byte */
static const uint8_t dpreg0_request[] = {
	0x16, 0x02, 0x01, 0x00, 0x08, 0x00, 0x04, 0x00, 0x02, 0x00, 0x01, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x3f, 0x00,
	0x02, 0x00, 0x01, 0x90, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t dpreg0_reply[20] = {
	0x3f, 0x00, 0x01, 0x00, [16] = 0x77, 0x24, 0xa0, 0x6b,
};

/* OpenOCD's empty dap_run message: count 0, stale cmd 0x15 and a stale DRW write. */
static const uint8_t stale_empty_request[] = {
	0x15, 0x02, 0x00, 0x00, 0x0c, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00,
	0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x45, 0x00,
	0x01, 0x00, 0x01, 0x50, 0x03, 0x00, 0x00, 0x00, 0xef, 0xbe, 0xad, 0xde,
};

static void test_protocol_session(void **state)
{
	struct vdebug_test *t = start_server("none");
	uint8_t reply[64], rd8[12];
	int fd = client_connect(t);

	(void)state;
	assert_int_equal(simple_cmd(fd, 0x01, 0, NULL, 0, NULL), 0);		/* OPEN */
	assert_int_equal(simple_cmd(fd, 0x04, 0x10001008, "sim.swdp", 12, rd8), 0);	/* CONNECT */
	assert_int_equal(batch_get32(rd8), 32);		/* buffer width: must be 32 */
	assert_int_equal(batch_get32(rd8 + 8), 32);
	assert_int_not_equal(simple_cmd(fd, 0x21, 0, "sim.mem", 8, rd8), 0);	/* MEMOPEN refused */
	assert_int_equal(simple_cmd(fd, 0x0F, 27, NULL, 0, NULL), 0);		/* JTAGCLOCK */
	assert_int_equal(simple_cmd(fd, 0x0A, 0x0008FFFF, NULL, 0, NULL), 0);	/* SIGSET release */
	assert_int_equal(simple_cmd(fd, 0x09, 20, NULL, 0, NULL), 0);		/* WAIT */
	assert_int_equal(atomic_load(&t->m.reset_releases), 1);
	assert_int_equal(atomic_load(&t->m.reset_asserts), 0);

	xfer(fd, mww_request, sizeof(mww_request), reply, sizeof(mww_reply));
	assert_memory_equal(reply, mww_reply, sizeof(mww_reply));
	assert_no_extra_bytes(fd);
	assert_int_equal(batch_get32(t->bus->ram), 0x12345678);

	xfer(fd, mdw_request, sizeof(mdw_request), reply, sizeof(mdw_reply));
	assert_memory_equal(reply, mdw_reply, sizeof(mdw_reply));
	assert_no_extra_bytes(fd);

	xfer(fd, dpreg0_request, sizeof(dpreg0_request), reply, sizeof(dpreg0_reply));
	assert_memory_equal(reply, dpreg0_reply, sizeof(dpreg0_reply));
	assert_no_extra_bytes(fd);

	fake_bus_clear_log(t->bus);
	xfer(fd, stale_empty_request, sizeof(stale_empty_request), reply, 16);
	assert_int_equal(batch_get32(reply + 4), 0);
	assert_no_extra_bytes(fd);
	assert_int_equal(t->bus->log_count, 0);
	assert_int_equal(sim_dap_counters(t->m.dap)->empty_batches, 1);
	assert_int_equal(sim_dap_counters(t->m.dap)->batches, 4);

	assert_int_not_equal(simple_cmd(fd, 0x1A, 0, NULL, 0, NULL), 0);	/* JTAGSHTAP refused */
	assert_int_equal(simple_cmd(fd, 0x0A, 0x0008FFF7, NULL, 0, NULL), 0);	/* assert reset */
	assert_int_equal(atomic_load(&t->m.reset_asserts), 1);
	assert_int_equal(simple_cmd(fd, 0x0A, 0x0008FFFF, NULL, 0, NULL), 0);
	assert_int_equal(atomic_load(&t->m.reset_releases), 2);
	assert_int_equal(simple_cmd(fd, 0x22, 0, NULL, 0, NULL), 0);		/* MEMCLOSE */
	assert_int_equal(simple_cmd(fd, 0x05, 0, NULL, 0, NULL), 0);		/* DISCONNECT */
	assert_int_equal(simple_cmd(fd, 0x02, 0, NULL, 0, NULL), 0);		/* CLOSE */
	assert_no_extra_bytes(fd);
	close(fd);
	for (int i = 0; i < 200 && atomic_load(&t->m.sessions_closed) < 1; i++)
		usleep(5000);
	assert_int_equal(atomic_load(&t->m.sessions_open), 1);
	assert_int_equal(atomic_load(&t->m.sessions_closed), 1);
	assert_int_equal(sim_vdebug_server_round_trips(t->srv), 16);
	stop_server(t);
}

static void test_reconnect_keeps_state(void **state)
{
	struct vdebug_test *t = start_server("none");
	uint8_t reply[64];
	int fd = client_connect(t);

	(void)state;
	assert_int_equal(simple_cmd(fd, 0x01, 0, NULL, 0, NULL), 0);
	xfer(fd, mww_request, sizeof(mww_request), reply, sizeof(mww_reply));
	close(fd);		/* no CLOSE: the client just went away */

	fd = client_connect(t);
	assert_int_equal(simple_cmd(fd, 0x01, 0, NULL, 0, NULL), 0);
	xfer(fd, mdw_request, sizeof(mdw_request), reply, sizeof(mdw_reply));
	assert_memory_equal(reply, mdw_reply, sizeof(mdw_reply));
	close(fd);
	for (int i = 0; i < 200 && atomic_load(&t->m.sessions_closed) < 2; i++)
		usleep(5000);
	assert_int_equal(atomic_load(&t->m.sessions_open), 2);
	assert_int_equal(atomic_load(&t->m.sessions_closed), 2);
	stop_server(t);
}

/* Link drop after 2 REG batches: the third is not executed, the next client is served. */
static void test_link_drop(void **state)
{
	struct vdebug_test *t = start_server("none");
	struct dap_batch b = { 0 };
	struct msg m;
	uint8_t reply[64];
	int fd = client_connect(t);

	(void)state;
	sim_vdebug_server_drop_after(t->srv, 2);
	batch_dp_write(&b, 2, 0);
	batch_ap_write(&b, 0x00, 0xA2000002);
	batch_ap_write(&b, 0x04, 0x20000100);
	assert_int_equal(reg_msg(fd, &b, NULL), 0);
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x0C, 0x11111111);
	assert_int_equal(reg_msg(fd, &b, NULL), 0);
	assert_int_equal(batch_get32(t->bus->ram + 0x100), 0x11111111);

	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x0C, 0x22222222);
	msg_header(&m, 0x15, 2, b.count, b.len, 0, 0, 3);
	memcpy(m.buf + 24, b.buf, b.len);
	assert_int_equal(send(fd, m.buf, m.len, 0), (ssize_t)m.len);
	assert_int_equal(recv_full(fd, reply, 16), 0);		/* dropped, no reply */
	close(fd);
	assert_int_equal(batch_get32(t->bus->ram + 0x100), 0x11111111);

	fd = client_connect(t);			/* one-shot: the next client works */
	for (int i = 0; i < 3; i++)
		assert_int_equal(reg_msg(fd, &b, NULL), 0);
	assert_int_equal(batch_get32(t->bus->ram + 0x100), 0x22222222);
	close(fd);
	stop_server(t);
}

/* The error rule on the wire: status for one result word, none for two. */
static void test_error_status_on_wire(void **state)
{
	struct vdebug_test *t = start_server("none");
	struct dap_batch b = { 0 };
	uint32_t w[2];
	int fd = client_connect(t);

	(void)state;
	batch_dp_write(&b, 2, 0);
	batch_ap_write(&b, 0x00, 0xA2000012);
	batch_ap_write(&b, 0x04, 0x40000000);	/* unmapped on the fake bus */
	batch_ap_read(&b, 0x0C);
	assert_int_equal(b.words, 1);
	assert_int_equal(reg_msg(fd, &b, w), SIM_DAP_STATUS_FAULT);

	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, 0x2000FFFC);	/* last RAM word, then past the end */
	batch_ap_write(&b, 0x00, 0xA2000002);
	batch_ap_read(&b, 0x0C);
	batch_ap_write(&b, 0x04, 0x20010000);
	batch_ap_read(&b, 0x0C);
	batch_put32(t->bus->ram + 0xFFFC, 0xFEEDC0DE);
	assert_int_equal(b.words, 2);
	assert_int_equal(reg_msg(fd, &b, w), 0);
	assert_int_equal(w[0], 0xFEEDC0DE);
	assert_int_equal(w[1], 0);
	assert_true(sim_dap_ctrl_stat(t->m.dap) & (1u << 5));	/* STICKYERR */
	close(fd);
	stop_server(t);
}

static struct sim_vdebug_server *signal_target;

static void on_sigusr1(int sig)
{
	(void)sig;
	sim_vdebug_server_stop(signal_target);
}

/* Stop from a signal handler while a client is connected and idle. */
static void test_stop_from_signal(void **state)
{
	struct vdebug_test *t = start_server("none");
	struct sigaction sa = { .sa_handler = on_sigusr1 };
	int fd = client_connect(t);

	(void)state;
	assert_int_equal(simple_cmd(fd, 0x01, 0, NULL, 0, NULL), 0);
	signal_target = t->srv;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	assert_int_equal(pthread_join(t->thread, NULL), 0);
	assert_int_equal(t->run_result, 0);
	close(fd);
	signal(SIGUSR1, SIG_DFL);
	sim_vdebug_server_destroy(t->srv);
	sim_dap_destroy(t->m.dap);
	fake_bus_destroy(t->bus);
	free(t);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

static void write_batch_100(struct dap_batch *b)
{
	memset(b, 0, sizeof(*b));
	batch_ap_write(b, 0x04, 0x20000000);
	for (unsigned int i = 0; i < 99; i++)
		batch_ap_write(b, 0x0C, i);
}

static void test_link_model(void **state)
{
	const struct sim_link_model *const *models = sim_link_models();
	const struct sim_link_model *hs = sim_link_model_find("cmsis-dap-hs");
	const struct sim_link_model *jl = sim_link_model_find("jlink");
	struct vdebug_test *t;
	struct dap_batch b;
	uint64_t t0, elapsed, expected;
	int fd;

	(void)state;
	assert_non_null(models[0]);
	assert_non_null(models[1]);
	assert_non_null(models[2]);
	assert_non_null(models[3]);
	assert_null(models[4]);
	assert_null(sim_link_model_find("stlink"));
	assert_non_null(sim_link_model_find("stlink-v2"));
	assert_int_equal(sim_link_delay_ns(sim_link_model_find("none"), 502), 0);
	/* 125 us + 100 x 46 bits at 10 MHz = 125 + 460 us */
	assert_int_equal(sim_link_delay_ns(hs, 100), 585000);
	/* 502 requests: 2 round trips of 250 us + 502 x 54 bits at 12 MHz */
	assert_int_equal(sim_link_delay_ns(jl, 502), 2 * 250000 + 502 * 54 * 1000000ull / 12000);
	assert_int_equal(sim_link_delay_ns(hs, 0), 125000);

	t = start_server("cmsis-dap-hs");
	fd = client_connect(t);
	write_batch_100(&b);
	batch_dp_write(&b, 2, 0);	/* nothing else selected anyway */
	reg_msg(fd, &b, NULL);		/* warm-up */
	write_batch_100(&b);
	t0 = now_ns();
	for (int i = 0; i < 20; i++)
		assert_int_equal(reg_msg(fd, &b, NULL), 0);
	elapsed = now_ns() - t0;
	expected = 20 * sim_link_delay_ns(hs, 100);
	printf("link cmsis-dap-hs: 20 batches of 100 requests took %.2f ms (model %.2f ms)\n",
	       elapsed / 1e6, expected / 1e6);
	assert_true(elapsed >= expected);
	assert_true(elapsed < 3 * expected + 50000000u);
	close(fd);
	stop_server(t);
}

/*
 * ST-Link/V2 model: batches decoded into the commands OpenOCD's st-link
 * driver sends (probe-link-stlink.md sections 2-4), each a 1 ms USB
 * full-speed round trip, 6144-byte memory commands, 4 MHz SWD.
 */
static void test_link_stlink(void **state)
{
	const struct sim_link_model *st = sim_link_model_find("stlink-v2");
	struct sim_link_state ls = { 0 };
	struct sim_link_commands c;
	struct dap_batch b;
	struct vdebug_test *t;
	uint64_t t0, elapsed, expected;
	int fd;

	(void)state;
	assert_non_null(st);
	assert_int_equal(st->usb_frame_ns, 1000000);
	assert_int_equal(st->usb_packet_bytes, 64);
	assert_int_equal(st->max_block_bytes, 6144);
	assert_int_equal(st->swd_clock_khz, 4000);

	/* one DHCSR poll: CSW + TAR (dropped), DRW read + RDBUFF: memory
	 * command, status, CTRL/STAT = 3 commands of 1 ms; the word's one
	 * USB packet (1/19 ms) outlasts its 46 SWD bits at 4 MHz */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x00, 0x23000002);
	batch_ap_write(&b, 0x04, 0xE000EDF0);
	batch_ap_read(&b, 0x0C);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 1);
	assert_int_equal(c.status_commands, 1);
	assert_int_equal(c.register_commands, 1);
	assert_int_equal(c.memory_bytes, 4);
	assert_int_equal(sim_link_batch_delay_ns(st, b.buf, b.len, b.count, &ls),
			 3 * 1000000 + 1000000 / 19 + 46 * 1000 / 4);

	/* an IDR read: register command + CTRL/STAT; SELECT costs nothing */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, 2, 0xF0);
	batch_ap_read(&b, 0xFC);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.register_commands, 2);
	assert_int_equal(c.memory_commands, 0);
	assert_int_equal(ls.select, 0xF0);	/* cached, as the ADIv5 layer does */
	memset(&ls, 0, sizeof(ls));

	/* 99 words written: one memory command (396 bytes = 7 packets, SWD
	 * 99 x 46 bits at 4 MHz = 1.14 ms is longer), status, CTRL/STAT.  No
	 * RDBUFF: the driver flushes only AP register writes, and a memory
	 * command is none (stlink_usb.c sets stlink_flush_ap_write only in
	 * stlink_dap_ap_write) */
	write_batch_100(&b);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 1);
	assert_int_equal(c.memory_bytes, 396);
	assert_int_equal(c.register_commands, 1);
	assert_int_equal(c.misc_pairs, 0);
	assert_int_equal(sim_link_batch_delay_ns(st, b.buf, b.len, b.count, &ls),
			 3 * 1000000ull + 99 * 46 * 1000 / 4 + 1 * 46 * 1000 / 4);
	/* an AP register write (CSW, then an IDR read would clear it) left
	 * last: RDBUFF before CTRL/STAT */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x00, 0x23000012);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.register_commands, 3);
	memset(&ls, 0, sizeof(ls));

	/* a buffer-full batch (333 words, 4008 bytes) leaves its run open: no
	 * dap_run tail; the next batch's words join the same memory command
	 * while they continue its addresses, until 6144 bytes, then a second
	 * one starts */
	for (unsigned int n = 0; n < 5; n++) {
		memset(&b, 0, sizeof(b));
		batch_ap_write(&b, 0x04, 0x24000000 + n * 333 * 4);
		for (unsigned int i = 0; i < 333; i++)
			batch_ap_write(&b, 0x0C, i);
		assert_true(b.len > 4004);
		sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
		assert_int_equal(c.register_commands, 0);
		assert_true(ls.run_open);
		/* words 0..1535 fit the first 1536-word command; the 5th batch
		 * (words 1332..1664) crosses into a second one */
		assert_int_equal(c.memory_commands, n == 0 || n == 4 ? 1 : 0);
	}
	/* a short batch that continues the run ends the dap_run: CTRL/STAT */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, 0x24000000 + 5 * 333 * 4);
	for (unsigned int i = 0; i < 99; i++)
		batch_ap_write(&b, 0x0C, i);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 0);
	assert_int_equal(c.register_commands, 1);
	assert_false(ls.run_open);
	/* one that does not continue it starts a new command */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x04, 0x24000000 + 5 * 333 * 4);
	for (unsigned int i = 0; i < 333; i++)
		batch_ap_write(&b, 0x0C, i);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_true(ls.run_open);
	write_batch_100(&b);		/* TAR 0x20000000: elsewhere */
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 1);
	memset(&ls, 0, sizeof(ls));

	/*
	 * The halt's register read, as cortex_m_fast_read_all_regs queues it:
	 * per register a DCRSR write, a DHCSR read and a DCRDR read, none
	 * contiguous with the one before.  The driver packs them into RW_MISC
	 * pairs (stlink_usb_count_misc_rw_queue): 64 items, one per read, two
	 * per write, one for the AP: 1 + 4 x 15 = 61 items, 15 registers a
	 * pair.  20 registers: two pairs, 4 commands, then CTRL/STAT.
	 */
	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, 2, 0);
	batch_ap_write(&b, 0x00, 0x23000012);
	for (unsigned int r = 0; r < 20; r++) {
		batch_ap_write(&b, 0x04, 0xE000EDF4);
		batch_ap_write(&b, 0x0C, r);
		batch_ap_write(&b, 0x04, 0xE000EDF0);
		batch_ap_read(&b, 0x0C);
		batch_ap_write(&b, 0x04, 0xE000EDF8);
		batch_ap_read(&b, 0x0C);
	}
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.misc_pairs, 2);
	assert_int_equal(c.misc_ops, 60);
	assert_int_equal(c.memory_commands, 0);
	assert_int_equal(c.status_commands, 0);
	assert_int_equal(c.register_commands, 1);
	/* 61 items: OUT 64 + 244 bytes (5 packets), IN 488 bytes (8 packets);
	 * SWD 2 x 45 accesses x 46 bits at 4 MHz = 1.035 ms is longer */
	assert_int_equal(sim_link_batch_delay_ns(st, b.buf, b.len, b.count, NULL),
			 5 * 1000000ull + 2 * 60 * 46 * 1000 / 4 + 46 * 1000 / 4);
	memset(&ls, 0, sizeof(ls));

	/* packed 8-bit writes (CSW Size 8, AddrInc packed): each DRW word
	 * carries four bytes; the st-link driver strips packing, so OpenOCD
	 * queues them byte by byte, and 8-bit memory commands hold 64 bytes
	 * (STLINK_MAX_RW8): 16 words are one command, 17 are two */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x00, 0x23000020);
	batch_ap_write(&b, 0x04, 0x24000000);
	for (unsigned int i = 0; i < 16; i++)
		batch_ap_write(&b, 0x0C, i);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 1);
	assert_int_equal(c.memory_bytes, 64);
	assert_int_equal(c.memory_ops, 64);	/* 64 SWD accesses of a byte */
	assert_int_equal(c.misc_pairs, 0);
	/* memory command, status, CTRL/STAT; 1 packet of 64 bytes (1/19 ms)
	 * is shorter than 64 x 46 bits at 4 MHz */
	assert_int_equal(sim_link_batch_delay_ns(st, b.buf, b.len, b.count, NULL),
			 3 * 1000000ull + 64 * 46 * 1000 / 4 + 46 * 1000 / 4);
	batch_ap_write(&b, 0x0C, 16);
	memset(&ls, 0, sizeof(ls));
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 2);
	assert_int_equal(c.memory_bytes, 68);
	memset(&ls, 0, sizeof(ls));

	/* the same reads of one address (a no-increment run, e.g. a FIFO
	 * register) are one memory command, not RW_MISC */
	memset(&b, 0, sizeof(b));
	batch_ap_write(&b, 0x00, 0x23000002);	/* AddrInc off */
	batch_ap_write(&b, 0x04, 0x52005020);
	for (unsigned int i = 0; i < 40; i++)
		batch_ap_read(&b, 0x0C);
	sim_link_batch_commands(st, b.buf, b.len, b.count, &ls, &c);
	assert_int_equal(c.memory_commands, 1);
	assert_int_equal(c.memory_bytes, 160);
	assert_int_equal(c.misc_pairs, 0);
	memset(&ls, 0, sizeof(ls));

	/* through the server: 10 such 99-word batches take 10 x 5.2 ms */
	t = start_server("stlink-v2");
	fd = client_connect(t);
	write_batch_100(&b);
	reg_msg(fd, &b, NULL);		/* warm-up */
	t0 = now_ns();
	for (int i = 0; i < 10; i++)
		assert_int_equal(reg_msg(fd, &b, NULL), 0);
	elapsed = now_ns() - t0;
	expected = 10 * sim_link_batch_delay_ns(st, b.buf, b.len, b.count, NULL);
	printf("link stlink-v2: 10 batches of 99 word writes took %.2f ms (model %.2f ms)\n",
	       elapsed / 1e6, expected / 1e6);
	assert_true(elapsed >= expected);
	assert_true(elapsed < 3 * expected + 50000000u);
	close(fd);
	stop_server(t);
}

/* Loopback throughput with --link none; prints the figure. */
static void test_throughput(void **state)
{
	struct vdebug_test *t = start_server("none");
	struct dap_batch wb, rb;
	uint32_t words[50];
	uint64_t t0, elapsed, tr0;
	const unsigned int batches = 10000;
	int fd = client_connect(t);
	double rate;

	(void)state;
	memset(&rb, 0, sizeof(rb));
	batch_dp_write(&rb, 2, 0);
	batch_ap_write(&rb, 0x00, 0xA2000012);
	assert_int_equal(reg_msg(fd, &rb, NULL), 0);
	write_batch_100(&wb);
	memset(&rb, 0, sizeof(rb));
	for (unsigned int i = 0; i < 50; i++)
		batch_ap_read(&rb, 0x0C);	/* AP read + RDBUFF: 100 requests, 50 words */
	tr0 = sim_dap_counters(t->m.dap)->transactions;
	t0 = now_ns();
	for (unsigned int i = 0; i < batches; i++)
		assert_int_equal(reg_msg(fd, i & 1 ? &rb : &wb, i & 1 ? words : NULL), 0);
	elapsed = now_ns() - t0;
	assert_int_equal(sim_dap_counters(t->m.dap)->transactions - tr0, 100ull * batches);
	rate = 100.0 * batches / (elapsed / 1e9);
	printf("link none: %u batches x 100 requests (half writes, half reads) in %.3f s: "
	       "%.0f DAP transactions/s, %.1f us per round trip\n",
	       batches, elapsed / 1e9, rate, elapsed / 1e3 / batches);
	assert_true(rate > 100000);
	close(fd);
	stop_server(t);
}

/* OPEN as a client of the given version; returns the server's rid. */
static unsigned int open_as(int fd, uint16_t version)
{
	struct msg m;
	uint8_t reply[16];

	msg_header(&m, 0x01, 0, 0, 0, 0, 0, version);
	xfer(fd, m.buf, m.len, reply, sizeof(reply));
	assert_int_equal(batch_get32(reply + 4), 0);
	return reply[0] | reply[1] << 8;
}

/* Version check: 0.12.0's client (44) and master's (50) both accept the server. */
static void test_open_versions(void **state)
{
	struct vdebug_test *t = start_server("none");
	uint8_t rd8[12];
	int fd;

	(void)state;
	fd = client_connect(t);
	assert_true(open_as(fd, 44) >= 44);
	close(fd);
	fd = client_connect(t);
	assert_true(open_as(fd, 50) >= 50);
	/* Version 48 calls a BFM path with "dap6" in it type 1: served as SW-DP. */
	{
		struct msg m;
		uint8_t reply[16 + 12];

		msg_header(&m, 0x04, 1, 0, 10, 12, 0x10001008, 0);
		memcpy(m.buf + 24, "sim.dap6.", 10);
		xfer(fd, m.buf, m.len, reply, sizeof(reply));
		assert_int_equal(batch_get32(reply + 4), 0);
		memcpy(rd8, reply + 16, 12);
		assert_int_equal(batch_get32(rd8), 32);
	}
	assert_no_extra_bytes(fd);
	close(fd);
	stop_server(t);
}

/*
 * Version 50's periodic WAIT: answered at once whatever the cycle count
 * (from 500 the count doubles 30 times before it wraps to 0), and counted.
 */
static void test_periodic_wait(void **state)
{
	struct vdebug_test *t = start_server("none");
	int fd = client_connect(t);
	uint64_t t0;

	(void)state;
	assert_true(open_as(fd, 50) >= 50);
	t0 = now_ns();
	for (uint32_t cycles = 500; cycles; cycles <<= 1)
		assert_int_equal(simple_cmd(fd, 0x09, cycles, NULL, 0, NULL), 0);
	assert_true(now_ns() - t0 < 1000000000u);
	/* 500 << 0 .. 500 << 29: the 30 doublings before the count wraps to 0 */
	assert_int_equal(sim_vdebug_server_waits(t->srv), 30);
	assert_no_extra_bytes(fd);
	close(fd);
	stop_server(t);
}

/*
 * Version 48: the AP number in SELECT reaches the DAP, whose APs keep their
 * own TAR.  The sequence of vdebug-protocol.md section V.2 (DHCSR poll on
 * AP 0, `stm32h7x.ap2 mdw 0xE00E1000`, next poll without a TAR write)
 * reads DHCSR again, not DBGMCU_IDCODE.
 */
static void test_ap_number_on_wire(void **state)
{
	struct vdebug_test *t = start_server_layout("none", SIM_DAP_APS_STM32H7);
	uint32_t dbgmcu[4] = { 0x20036450 };
	struct dap_batch b = { 0 };
	uint32_t w[2];
	int fd;

	(void)state;
	fake_bus_add_words(t->bus, 0xE00E1000, dbgmcu, 4);
	batch_put32(t->bus->ram + 0x100, 0x01010001);		/* "DHCSR": running */
	fd = client_connect(t);
	assert_true(open_as(fd, 50) >= 50);

	batch_dp_write(&b, 2, 0x00000000);
	batch_ap_write(&b, 0x00, 0xA2000002);
	batch_ap_write(&b, 0x04, 0x20000100);
	batch_dp_write(&b, 2, 0x00000010);
	batch_ap_read(&b, 0x10);
	assert_int_equal(reg_msg(fd, &b, w), 0);
	assert_int_equal(w[0], 0x01010001);

	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, 2, 0x02000000);
	batch_ap_write(&b, 0x00, 0xA2000012);
	batch_ap_write(&b, 0x04, 0xE00E1000);
	batch_ap_read(&b, 0x0C);
	assert_int_equal(reg_msg(fd, &b, w), 0);
	assert_int_equal(w[0], 0x20036450);

	memset(&b, 0, sizeof(b));
	batch_dp_write(&b, 2, 0x00000010);
	batch_ap_read(&b, 0x10);
	assert_int_equal(reg_msg(fd, &b, w), 0);
	assert_int_equal(w[0], 0x01010001);
	close(fd);
	stop_server(t);
}

/* True once the server has closed its end (EOF or reset) within ms. */
static bool peer_closed_within(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	uint8_t c;

	if (poll(&p, 1, ms) != 1)
		return false;
	return recv(fd, &c, 1, 0) <= 0;
}

/*
 * A client that sends a malformed message and stays connected must not hold
 * the session: a message that stalls part-way, an unknown command code and
 * an oversized payload each drop their client (and only it); a client idle
 * between messages is kept.
 */
static void test_malformed_client_dropped(void **state)
{
	struct vdebug_test *t = start_server("none");
	struct msg m;
	int bad, good;

	(void)state;
	sim_vdebug_server_set_message_timeout(t->srv, 200);

	/* Header announces 100 payload bytes, 10 arrive, the client waits. */
	bad = client_connect(t);
	msg_header(&m, 0x15, 2, 1, 100, 0, 0, 1);
	assert_int_equal(send(bad, m.buf, 24 + 10, 0), 34);
	good = client_connect(t);		/* queued behind the bad one */
	assert_true(peer_closed_within(bad, 2000));
	assert_true(open_as(good, 50) >= 50);
	assert_int_equal(sim_vdebug_server_dropped_clients(t->srv), 1);
	close(bad);

	/* The kept client idles longer than the message timeout: still served. */
	usleep(400000);
	assert_int_equal(simple_cmd(good, 0x09, 20, NULL, 0, NULL), 0);
	close(good);

	/* Half a header, then silence. */
	bad = client_connect(t);
	assert_int_equal(send(bad, m.buf, 12, 0), 12);
	assert_true(peer_closed_within(bad, 2000));
	close(bad);

	/* Unknown command code: the framing is lost, no reply, dropped. */
	bad = client_connect(t);
	msg_header(&m, 0x7E, 2, 0, 0, 0, 0, 1);
	assert_int_equal(send(bad, m.buf, m.len, 0), (ssize_t)m.len);
	assert_true(peer_closed_within(bad, 2000));
	close(bad);

	/* wbytes beyond any client's 4 KiB buffer. */
	bad = client_connect(t);
	msg_header(&m, 0x15, 2, 1, 0x8000, 0, 0, 1);
	assert_int_equal(send(bad, m.buf, 24, 0), 24);
	assert_true(peer_closed_within(bad, 2000));
	close(bad);

	assert_int_equal(sim_vdebug_server_dropped_clients(t->srv), 4);
	good = client_connect(t);
	assert_true(open_as(good, 44) >= 44);
	close(good);
	stop_server(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_protocol_session),
		cmocka_unit_test(test_reconnect_keeps_state),
		cmocka_unit_test(test_link_drop),
		cmocka_unit_test(test_error_status_on_wire),
		cmocka_unit_test(test_stop_from_signal),
		cmocka_unit_test(test_link_model),
		cmocka_unit_test(test_link_stlink),
		cmocka_unit_test(test_throughput),
		cmocka_unit_test(test_open_versions),
		cmocka_unit_test(test_periodic_wait),
		cmocka_unit_test(test_ap_number_on_wire),
		cmocka_unit_test(test_malformed_client_dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
