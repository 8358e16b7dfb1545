/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * vdebug protocol server: the TCP end OpenOCD's `vdebug` adapter (SWD
 * through dapdirect) talks to.  Wire format: vdebug-protocol.md; the
 * server speaks protocol version 50 and serves every client from version
 * 44 (OpenOCD 0.12.0) on:
 *  - 46 changed only the client's JTAG TAP-state bookkeeping: nothing on
 *    the wire; JTAG-only commands (JTAGSHTAP) are refused with a status;
 *  - 48 sends the AP number and the DP bank in DP SELECT (handled by the
 *    DAP model, sim_dap.c) and calls BFM type 1 "DAP6" (accepted like
 *    type 2, SW-DP);
 *  - 50 sends a periodic WAIT while idle: answered at once (the simulated
 *    core runs in real time, so there is nothing to advance) and counted.
 *
 * Owns: the listening socket, the one client connection, message framing
 * and the link timing delay.  Target state lives in the machine (reached
 * through the handler), so it persists across client connections.
 *
 * Invariants:
 *  - one client at a time; after a disconnect the next client is accepted;
 *  - each request is read as exactly 24 + wbytes bytes and answered with
 *    exactly 16 + rbytes bytes (rbytes from the request header) in one
 *    send, with TCP_NODELAY;
 *  - the request count of a REG batch comes from waddr only (never from
 *    wbytes/wwords, which are stale in OpenOCD's empty batches);
 *  - a client whose byte stream cannot be a vdebug client's is dropped
 *    with a log line, so that it cannot hold the one session slot: an
 *    unknown command code (the framing is lost), a payload larger than the
 *    client's 4 KiB buffer, or a message that stalls part-way for longer
 *    than the message timeout.  Pauses between messages are never limited;
 *  - sim_vdebug_server_stop() only sets a flag and writes to a self-pipe,
 *    so it is async-signal-safe; every blocking wait polls that pipe.
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "sim_dap.h"

/* Command codes (vdebug-protocol.md section 5) */
enum vdebug_cmd {
	VDEBUG_CMD_OPEN = 0x01,
	VDEBUG_CMD_CLOSE = 0x02,
	VDEBUG_CMD_CONNECT = 0x04,
	VDEBUG_CMD_DISCONNECT = 0x05,
	VDEBUG_CMD_WAIT = 0x09,
	VDEBUG_CMD_SIGSET = 0x0A,
	VDEBUG_CMD_SIGGET = 0x0B,
	VDEBUG_CMD_JTAGCLOCK = 0x0F,
	VDEBUG_CMD_REGWRITE = 0x15,
	VDEBUG_CMD_REGREAD = 0x16,
	VDEBUG_CMD_JTAGSHTAP = 0x1A,
	VDEBUG_CMD_MEMOPEN = 0x21,
	VDEBUG_CMD_MEMCLOSE = 0x22,
	VDEBUG_CMD_MEMWRITE = 0x23,
};

/* BFM types in CONNECT (vdebug-protocol.md sections 3 and V.1) */
#define VDEBUG_BFM_DAP6		1	/* version >= 48: dapdirect_swd with "dap6" in bfm_path */
#define VDEBUG_BFM_SWDP		2

#define VDEBUG_REQ_HEADER	24
#define VDEBUG_REPLY_HEADER	16
/*
 * Largest payload a client can send or ask for: its buffers hold 4024
 * bytes, and a forced flush can overshoot them by 4 (vdebug-protocol.md
 * section 6.2); anything beyond 4 KiB means the framing is lost.
 */
#define VDEBUG_PAYLOAD_MAX	4096
/*
 * rid in the OPEN reply.  A client accepts the server if rid >= its own
 * version (44 for OpenOCD 0.12.0, 50 for master), so 50 serves both.
 */
#define VDEBUG_SERVER_VERSION	50
#define VDEBUG_BUS_WIDTH	32	/* CONNECT rd8[0..3]: must be 32 (quirk Q8) */
#define VDEBUG_ADDR_BITS	32	/* CONNECT rd8[8..11]: stored, never used */
#define VDEBUG_SIG_RESET	0x0008u	/* SIGSET bit 3: 0 = reset asserted */

/* Reply status words for requests the server refuses. */
#define VDEBUG_STATUS_UNSUPPORTED	0x0000DA02u

struct vdebug_request {
	uint8_t cmd;		/* command code */
	uint8_t type;		/* BFM type: 2 = SW-DP, 6 = JTAG */
	uint16_t waddr;		/* REG messages: number of requests */
	uint16_t wbytes;	/* payload bytes that follow the header */
	uint16_t rbytes;	/* payload bytes the reply must carry */
	uint32_t rwdata;	/* scalar argument (signals, cycles, divider) */
	uint16_t wid;		/* client's message id (its protocol version in OPEN) */
};

struct sim_vdebug_server {
	int listen_fd;			/* bound to 127.0.0.1:port */
	int wake_pipe[2];		/* self-pipe; a byte in it means "stop" */
	volatile sig_atomic_t stopping;	/* set by sim_vdebug_server_stop() */
	uint16_t port;			/* bound port (after an ephemeral bind too) */
	const struct sim_link_model *link;	/* timing model, never NULL */
	struct sim_link_state link_state;	/* probe-command model state, per client */
	struct sim_vdebug_handler handler;	/* the machine */
	_Atomic uint64_t drop_after;	/* fault injection: 1 + REG batches still served, 0 = off */
	_Atomic uint64_t round_trips;	/* replies sent */
	_Atomic uint64_t waits;		/* WAIT messages answered */
	_Atomic uint64_t dropped_clients;	/* clients dropped for a malformed message */
	_Atomic unsigned int message_timeout_ms;	/* longest stall inside one message */
	uint8_t rx[VDEBUG_REQ_HEADER + VDEBUG_PAYLOAD_MAX];
	uint8_t tx[VDEBUG_REPLY_HEADER + VDEBUG_PAYLOAD_MAX];
};

static uint16_t get_le16(const uint8_t *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t get_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, v);
	put_le16(p + 2, v >> 16);
}

struct sim_vdebug_server *sim_vdebug_server_create(uint16_t port,
						   const struct sim_link_model *link,
						   const struct sim_vdebug_handler *handler,
						   char *err, size_t err_len)
{
	struct sim_vdebug_server *srv = calloc(1, sizeof(*srv));
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sa_len = sizeof(sa);
	int one = 1;

	if (!srv) {
		snprintf(err, err_len, "out of memory for the vdebug server");
		return NULL;
	}
	srv->listen_fd = -1;
	srv->wake_pipe[0] = srv->wake_pipe[1] = -1;
	srv->link = link ? link : sim_link_model_find("none");
	srv->handler = *handler;
	srv->message_timeout_ms = SIM_VDEBUG_MESSAGE_TIMEOUT_MS;

	if (pipe2(srv->wake_pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		snprintf(err, err_len, "cannot create the vdebug stop pipe: %s", strerror(errno));
		goto fail;
	}
	srv->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv->listen_fd < 0) {
		snprintf(err, err_len, "cannot create the vdebug socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(srv->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sa.sin_port = htons(port);
	if (bind(srv->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, err_len, "cannot bind the vdebug server to 127.0.0.1:%u: %s "
			 "(another simulator running? pick another --port)", port, strerror(errno));
		goto fail;
	}
	if (listen(srv->listen_fd, 1) < 0 ||
	    getsockname(srv->listen_fd, (struct sockaddr *)&sa, &sa_len) < 0) {
		snprintf(err, err_len, "cannot listen on 127.0.0.1:%u: %s", port, strerror(errno));
		goto fail;
	}
	srv->port = ntohs(sa.sin_port);
	return srv;

fail:
	sim_vdebug_server_destroy(srv);
	return NULL;
}

void sim_vdebug_server_destroy(struct sim_vdebug_server *srv)
{
	if (!srv)
		return;
	if (srv->listen_fd >= 0)
		close(srv->listen_fd);
	if (srv->wake_pipe[0] >= 0)
		close(srv->wake_pipe[0]);
	if (srv->wake_pipe[1] >= 0)
		close(srv->wake_pipe[1]);
	free(srv);
}

void sim_vdebug_server_stop(struct sim_vdebug_server *srv)
{
	int saved_errno = errno;
	ssize_t r;

	srv->stopping = 1;
	r = write(srv->wake_pipe[1], "", 1);	/* may fail with EAGAIN: a byte is there already */
	(void)r;
	errno = saved_errno;
}

void sim_vdebug_server_drop_after(struct sim_vdebug_server *srv, uint64_t batches)
{
	/* Counts down to 1 over the n batches served; the next one is dropped. */
	atomic_store(&srv->drop_after, batches ? batches + 1 : 0);
}

uint64_t sim_vdebug_server_round_trips(const struct sim_vdebug_server *srv)
{
	return atomic_load(&srv->round_trips);
}

uint16_t sim_vdebug_server_port(const struct sim_vdebug_server *srv)
{
	return srv->port;
}

uint64_t sim_vdebug_server_waits(const struct sim_vdebug_server *srv)
{
	return atomic_load(&srv->waits);
}

uint64_t sim_vdebug_server_dropped_clients(const struct sim_vdebug_server *srv)
{
	return atomic_load(&srv->dropped_clients);
}

void sim_vdebug_server_set_message_timeout(struct sim_vdebug_server *srv, unsigned int ms)
{
	atomic_store(&srv->message_timeout_ms, ms);
}

static uint64_t monotonic_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000u + t.tv_nsec / 1000000u;
}

/* What server_wait_readable and server_read_full report. */
enum server_io {
	SERVER_IO_OK = 1,
	SERVER_IO_CLOSED = 0,		/* EOF, or the server is stopping */
	SERVER_IO_ERROR = -1,
	SERVER_IO_TIMEOUT = -2,		/* the deadline passed */
};

/*
 * Wait until fd is readable, at most until deadline_ms (monotonic; 0 =
 * no deadline).
 */
static enum server_io server_wait_readable(struct sim_vdebug_server *srv, int fd,
					   uint64_t deadline_ms)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = srv->wake_pipe[0], .events = POLLIN },
	};

	for (;;) {
		int timeout = -1;
		int n;

		if (srv->stopping)
			return SERVER_IO_CLOSED;
		if (deadline_ms) {
			uint64_t now = monotonic_ms();

			if (now >= deadline_ms)
				return SERVER_IO_TIMEOUT;
			timeout = deadline_ms - now;
		}
		n = poll(p, 2, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return SERVER_IO_ERROR;
		}
		if (p[1].revents || srv->stopping)
			return SERVER_IO_CLOSED;
		if (p[0].revents)
			return SERVER_IO_OK;
	}
}

/*
 * Read exactly len bytes of a message.  *deadline_ms is 0 until the
 * message's first byte arrives, and from then on the time by which the
 * whole message must be in (the message timeout).
 */
static enum server_io server_read_full(struct sim_vdebug_server *srv, int fd, uint8_t *buf,
				       size_t len, uint64_t *deadline_ms)
{
	size_t got = 0;

	while (got < len) {
		enum server_io w = server_wait_readable(srv, fd, *deadline_ms);
		ssize_t r;

		if (w != SERVER_IO_OK)
			return w;
		r = recv(fd, buf + got, len - got, 0);
		if (r == 0)
			return SERVER_IO_CLOSED;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return SERVER_IO_ERROR;
		}
		if (!*deadline_ms)
			*deadline_ms = monotonic_ms() + atomic_load(&srv->message_timeout_ms);
		got += r;
	}
	return SERVER_IO_OK;
}

static int server_send_full(int fd, const uint8_t *buf, size_t len)
{
	size_t sent = 0;

	while (sent < len) {
		ssize_t r = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		sent += r;
	}
	return 0;
}

static void server_sleep_until(const struct timespec *deadline)
{
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, deadline, NULL) == EINTR)
		;
}

static void timespec_add_ns(struct timespec *t, uint64_t ns)
{
	ns += t->tv_nsec;
	t->tv_sec += ns / 1000000000u;
	t->tv_nsec = ns % 1000000000u;
}

/* Close so that the peer sees a reset rather than an orderly shutdown. */
static void server_drop_link(int fd)
{
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
}

/* Drop a client that is not speaking the protocol, saying why. */
static void server_drop_client(struct sim_vdebug_server *srv, int fd, const char *why)
{
	fprintf(stderr, "spiram-sim: vdebug: dropping the client: %s; serving the next one\n", why);
	atomic_fetch_add(&srv->dropped_clients, 1);
	server_drop_link(fd);
}

/*
 * Serve one client until it disconnects, the server stops, the client is
 * dropped for a malformed message or the injected link drop fires.
 * Returns 1 if the link was dropped on purpose.
 */
static int server_serve_client(struct sim_vdebug_server *srv, int fd)
{
	unsigned int client_version = 0;	/* wid of its OPEN; 0 before OPEN */
	char why[160];

	memset(&srv->link_state, 0, sizeof(srv->link_state));
	for (;;) {
		struct vdebug_request rq;
		uint8_t *rdata = srv->tx + VDEBUG_REPLY_HEADER;
		size_t rdata_len = 0;
		uint32_t status = 0;
		uint16_t rid, awords = 0;
		struct timespec deadline;
		uint64_t delay_ns = 0;
		uint64_t message_deadline_ms = 0;
		enum server_io r;

		r = server_read_full(srv, fd, srv->rx, VDEBUG_REQ_HEADER, &message_deadline_ms);
		if (r == SERVER_IO_TIMEOUT) {
			snprintf(why, sizeof(why), "a message header stalled for %u ms",
				 atomic_load(&srv->message_timeout_ms));
			server_drop_client(srv, fd, why);
			return 0;
		}
		if (r != SERVER_IO_OK)
			return 0;
		rq.cmd = srv->rx[0];
		rq.type = srv->rx[1];
		rq.waddr = get_le16(srv->rx + 2);
		rq.wbytes = get_le16(srv->rx + 4);
		rq.rbytes = get_le16(srv->rx + 6);
		rq.rwdata = get_le32(srv->rx + 12);
		rq.wid = get_le16(srv->rx + 22);
		if (rq.wbytes > VDEBUG_PAYLOAD_MAX || rq.rbytes > VDEBUG_PAYLOAD_MAX) {
			snprintf(why, sizeof(why), "command 0x%02x announces wbytes %u / rbytes %u, "
				 "more than a client's %u-byte buffer", rq.cmd, rq.wbytes, rq.rbytes,
				 VDEBUG_PAYLOAD_MAX);
			server_drop_client(srv, fd, why);
			return 0;
		}
		if (rq.wbytes) {
			r = server_read_full(srv, fd, srv->rx + VDEBUG_REQ_HEADER, rq.wbytes,
					     &message_deadline_ms);
			if (r == SERVER_IO_TIMEOUT) {
				snprintf(why, sizeof(why), "command 0x%02x announced %u payload bytes "
					 "that did not arrive within %u ms", rq.cmd, rq.wbytes,
					 atomic_load(&srv->message_timeout_ms));
				server_drop_client(srv, fd, why);
				return 0;
			}
			if (r != SERVER_IO_OK)
				return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		memset(rdata, 0, rq.rbytes);
		rid = rq.wid;

		switch (rq.cmd) {
		case VDEBUG_CMD_OPEN:
			/* the client checks rid >= its version (wid), then goes on or CLOSEs */
			client_version = rq.wid;
			if (client_version > VDEBUG_SERVER_VERSION)
				fprintf(stderr, "spiram-sim: vdebug: client protocol version %u is newer "
					"than this server's %u; the client will refuse it\n",
					client_version, VDEBUG_SERVER_VERSION);
			rid = VDEBUG_SERVER_VERSION;
			break;
		case VDEBUG_CMD_CONNECT:
			if (rq.type != VDEBUG_BFM_SWDP && rq.type != VDEBUG_BFM_DAP6)
				fprintf(stderr, "spiram-sim: vdebug: CONNECT with BFM type %u (2 = SW-DP "
					"expected); select the SWD transport before 'vdebug bfm_path' "
					"in the config. Serving DAP requests anyway.\n", rq.type);
			if (rq.rbytes >= 4)
				put_le32(rdata, VDEBUG_BUS_WIDTH);
			if (rq.rbytes >= 12)
				put_le32(rdata + 8, VDEBUG_ADDR_BITS);
			break;
		case VDEBUG_CMD_MEMOPEN:
			fprintf(stderr, "spiram-sim: vdebug: MEMOPEN refused: the simulator has no "
				"memory backdoor; remove 'vdebug mem_path' from the config\n");
			status = VDEBUG_STATUS_UNSUPPORTED;
			break;
		case VDEBUG_CMD_SIGSET:
			if ((rq.rwdata >> 16) & VDEBUG_SIG_RESET) {
				if (srv->handler.set_reset)
					srv->handler.set_reset(srv->handler.ctx,
							       !(rq.rwdata & VDEBUG_SIG_RESET));
				delay_ns = sim_link_delay_ns(srv->link, 0);
			}
			break;
		case VDEBUG_CMD_WAIT:
			/*
			 * rwdata = BFM cycles the client lets the target advance
			 * (periodic from version 50).  The core runs in real time,
			 * so the reply goes out at once, whatever the count.
			 */
			atomic_fetch_add(&srv->waits, 1);
			break;
		case VDEBUG_CMD_JTAGSHTAP:
		case VDEBUG_CMD_SIGGET:
		case VDEBUG_CMD_MEMWRITE:
			fprintf(stderr, "spiram-sim: vdebug: command 0x%02x refused: the simulator "
				"serves SWD DAP requests only (no JTAG shifts, signal reads or memory "
				"backdoor)\n", rq.cmd);
			status = VDEBUG_STATUS_UNSUPPORTED;
			break;
		case VDEBUG_CMD_JTAGCLOCK:
		case VDEBUG_CMD_MEMCLOSE:
		case VDEBUG_CMD_DISCONNECT:
		case VDEBUG_CMD_CLOSE:
			break;
		case VDEBUG_CMD_REGREAD:
		case VDEBUG_CMD_REGWRITE:
			if (atomic_load(&srv->drop_after) &&
			    atomic_fetch_sub(&srv->drop_after, 1) == 1) {
				fprintf(stderr, "spiram-sim: vdebug: fault injection: dropping the link "
					"before executing a %u-request batch\n", rq.waddr);
				server_drop_link(fd);
				return 1;
			}
			status = srv->handler.reg_batch(srv->handler.ctx,
							srv->rx + VDEBUG_REQ_HEADER, rq.wbytes,
							rq.waddr, rdata, rq.rbytes, &rdata_len);
			if (rq.waddr && rdata_len != rq.rbytes)
				fprintf(stderr, "spiram-sim: vdebug: batch of %u requests produced %zu "
					"result bytes but the client asked for %u; replying %u\n",
					rq.waddr, rdata_len, rq.rbytes, rq.rbytes);
			if (status && rq.rbytes > 4) {
				/* Two or more result words with an error abort OpenOCD 0.12.0. */
				fprintf(stderr, "spiram-sim: vdebug: handler returned status 0x%x for a "
					"batch with %u result words; replying 0 so OpenOCD does not "
					"abort (the fault stays in CTRL/STAT.STICKYERR)\n",
					status, rq.rbytes / 4);
				status = 0;
			}
			awords = rdata_len / 4;
			if (rq.waddr)
				delay_ns = sim_link_batch_delay_ns(srv->link,
								   srv->rx + VDEBUG_REQ_HEADER,
								   rq.wbytes, rq.waddr,
								   &srv->link_state);
			break;
		default:
			/* Not a vdebug command: the stream is not (or no longer) framed. */
			snprintf(why, sizeof(why), "unknown command 0x%02x (wbytes %u, rbytes %u, "
				 "client version %u)", rq.cmd, rq.wbytes, rq.rbytes, client_version);
			server_drop_client(srv, fd, why);
			return 0;
		}

		put_le16(srv->tx, rid);
		put_le16(srv->tx + 2, awords);
		put_le32(srv->tx + 4, status);
		memset(srv->tx + 8, 0, 8);	/* duttime: never read by the client */
		if (delay_ns) {
			timespec_add_ns(&deadline, delay_ns);
			server_sleep_until(&deadline);
		}
		if (server_send_full(fd, srv->tx, VDEBUG_REPLY_HEADER + rq.rbytes) < 0)
			return 0;
		atomic_fetch_add(&srv->round_trips, 1);
	}
}

int sim_vdebug_server_run(struct sim_vdebug_server *srv)
{
	int one = 1;

	while (!srv->stopping) {
		enum server_io w = server_wait_readable(srv, srv->listen_fd, 0);
		int fd;

		if (w == SERVER_IO_CLOSED)
			break;
		if (w != SERVER_IO_OK) {
			fprintf(stderr, "spiram-sim: vdebug: poll failed: %s\n", strerror(errno));
			return -1;
		}
		fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED || errno == EAGAIN)
				continue;
			fprintf(stderr, "spiram-sim: vdebug: accept failed: %s\n", strerror(errno));
			return -1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		if (srv->handler.session)
			srv->handler.session(srv->handler.ctx, true);
		server_serve_client(srv, fd);
		close(fd);
		if (srv->handler.session)
			srv->handler.session(srv->handler.ctx, false);
	}
	return 0;
}
