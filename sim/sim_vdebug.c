/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * vdebug protocol server: the TCP end OpenOCD 0.12.0's `vdebug` adapter
 * (transport dapdirect_swd) talks to.  Wire format: vdebug-protocol.md.
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
	VDEBUG_CMD_MEMOPEN = 0x21,
	VDEBUG_CMD_MEMCLOSE = 0x22,
};

#define VDEBUG_REQ_HEADER	24
#define VDEBUG_REPLY_HEADER	16
#define VDEBUG_PAYLOAD_MAX	65535	/* wbytes/rbytes are 16-bit fields */
#define VDEBUG_SERVER_VERSION	44	/* rid in the OPEN reply; the client needs >= 44 */
#define VDEBUG_BUS_WIDTH	32	/* CONNECT rd8[0..3]: must be 32 (quirk Q8) */
#define VDEBUG_ADDR_BITS	32	/* CONNECT rd8[8..11]: stored, never used */
#define VDEBUG_SIG_RESET	0x0008u	/* SIGSET bit 3: 0 = reset asserted */

/* Reply status words for requests the server refuses. */
#define VDEBUG_STATUS_UNSUPPORTED	0x0000DA02u
#define VDEBUG_STATUS_UNKNOWN		0x0000DA03u

struct vdebug_request {
	uint8_t cmd;		/* command code */
	uint8_t type;		/* BFM type: 2 = SW-DP, 6 = JTAG */
	uint16_t waddr;		/* REG messages: number of requests */
	uint16_t wbytes;	/* payload bytes that follow the header */
	uint16_t rbytes;	/* payload bytes the reply must carry */
	uint32_t rwdata;	/* scalar argument (signals, cycles, divider) */
	uint16_t wid;		/* client's message id (44 in OPEN) */
};

struct sim_vdebug_server {
	int listen_fd;			/* bound to 127.0.0.1:port */
	int wake_pipe[2];		/* self-pipe; a byte in it means "stop" */
	volatile sig_atomic_t stopping;	/* set by sim_vdebug_server_stop() */
	uint16_t port;			/* bound port (after an ephemeral bind too) */
	const struct sim_link_model *link;	/* timing model, never NULL */
	struct sim_vdebug_handler handler;	/* the machine */
	_Atomic uint64_t drop_after;	/* fault injection: 1 + REG batches still served, 0 = off */
	_Atomic uint64_t round_trips;	/* replies sent */
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

/*
 * Wait until fd is readable.  Returns 1 when readable, 0 when the server
 * is stopping, -1 on error.
 */
static int server_wait_readable(struct sim_vdebug_server *srv, int fd)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = srv->wake_pipe[0], .events = POLLIN },
	};

	for (;;) {
		if (srv->stopping)
			return 0;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (p[1].revents || srv->stopping)
			return 0;
		if (p[0].revents)
			return 1;
	}
}

/* Read exactly len bytes.  Returns 1 on success, 0 on EOF or stop, -1 on error. */
static int server_read_full(struct sim_vdebug_server *srv, int fd, uint8_t *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		int w = server_wait_readable(srv, fd);
		ssize_t r;

		if (w <= 0)
			return w;
		r = recv(fd, buf + got, len - got, 0);
		if (r == 0)
			return 0;
		if (r < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return -1;
		}
		got += r;
	}
	return 1;
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

/*
 * Serve one client until it disconnects, the server stops or the injected
 * link drop fires.  Returns 1 if the link was dropped on purpose.
 */
static int server_serve_client(struct sim_vdebug_server *srv, int fd)
{
	for (;;) {
		struct vdebug_request rq;
		uint8_t *rdata = srv->tx + VDEBUG_REPLY_HEADER;
		size_t rdata_len = 0;
		uint32_t status = 0;
		uint16_t rid, awords = 0;
		struct timespec deadline;
		uint64_t delay_ns = 0;
		int r;

		r = server_read_full(srv, fd, srv->rx, VDEBUG_REQ_HEADER);
		if (r <= 0)
			return 0;
		rq.cmd = srv->rx[0];
		rq.type = srv->rx[1];
		rq.waddr = get_le16(srv->rx + 2);
		rq.wbytes = get_le16(srv->rx + 4);
		rq.rbytes = get_le16(srv->rx + 6);
		rq.rwdata = get_le32(srv->rx + 12);
		rq.wid = get_le16(srv->rx + 22);
		if (rq.wbytes) {
			r = server_read_full(srv, fd, srv->rx + VDEBUG_REQ_HEADER, rq.wbytes);
			if (r <= 0)
				return 0;
		}
		clock_gettime(CLOCK_MONOTONIC, &deadline);
		memset(rdata, 0, rq.rbytes);
		rid = rq.wid;

		switch (rq.cmd) {
		case VDEBUG_CMD_OPEN:
			rid = VDEBUG_SERVER_VERSION;
			break;
		case VDEBUG_CMD_CONNECT:
			if (rq.type != 2)
				fprintf(stderr, "spiram-sim: vdebug: CONNECT with BFM type %u (2 = SW-DP "
					"expected); put 'transport select dapdirect_swd' before "
					"'vdebug bfm_path' in the config. Serving DAP requests anyway.\n",
					rq.type);
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
				delay_ns = sim_link_delay_ns(srv->link, rq.waddr);
			break;
		default:
			fprintf(stderr, "spiram-sim: vdebug: unknown command 0x%02x (wbytes %u, "
				"rbytes %u) refused; the client is not OpenOCD 0.12.0's vdebug\n",
				rq.cmd, rq.wbytes, rq.rbytes);
			status = VDEBUG_STATUS_UNKNOWN;
			break;
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
		int w = server_wait_readable(srv, srv->listen_fd);
		int fd;

		if (w == 0)
			break;
		if (w < 0) {
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
