// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * spiram-sim: a simulated Cortex-M board reachable by stock OpenOCD through
 * its vdebug adapter.  Parses the command line, maps the flash image,
 * builds the board, runs the vdebug server on a thread and the CPU on the
 * main thread, and reports counters.
 *
 * Image file policy: a missing file is created filled with 0xFF at the
 * chip size (an erased chip); an existing file of another size is refused
 * (no silent truncation or extension of someone's data).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nor_chip.h"
#include "sim_board.h"
#include "sim_core.h"
#include "sim_dap.h"
#include "sim_machine.h"
#include "sim_stats.h"

struct sim_main {
	struct sim_board *board;
	struct sim_dap *dap;
	struct sim_machine *machine;
	struct sim_vdebug_server *server;
	struct sim_stats_sources stats;
	const char *stats_path;
	uint64_t power_loss_after;	/* program/erase commands; 0 = off */
	bool power_lost;
	pthread_mutex_t stats_lock;
};

static struct sim_main *g_main;
static volatile sig_atomic_t g_dump_requested;
static volatile sig_atomic_t g_quit_requested;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: spiram-sim --board BOARD --image FILE [options]\n"
		"\n"
		"  --board NAME     stm32h750 | stm32h750b-dk | stm32h7b0 | gd32f307 |\n                   stm32f103 | stm32f746g | stm32l476g | stm32h735g-dk\n"
		"  --image FILE     flash image (created 0xFF-filled if missing; must be the chip size)\n"
		"  --chip NAME      NOR part (default: w25q128jv); see --list-chips\n"
		"  --port N         vdebug TCP port on 127.0.0.1 (default 8192; 0 = any free port)\n"
		"  --timing MODE    instant | typical (datasheet busy times in real time)\n"
		"  --bus-time on|off  QUADSPI/SPI bus time in real time (default: on with\n"
		"                   --timing typical, off with instant)\n"
		"  --link MODEL     none | cmsis-dap-hs | jlink | stlink-v2 (probe timing model)\n"
		"  --wiring MODE    spi | gpio (gpio: flash on bit-banged pins, F1 boards only)\n"
		"  --fault SPEC     no-chip | jedec=EF4099 | no-sfdp | sfdp-corrupt | busy-stuck |\n"
		"                   stuck-bits=ADDR:MASK | link-drop=N | power-loss=N (repeatable);\n"
		"                   flash1:SPEC / flash2:SPEC: one die of a two-die package\n"
		"  --stats FILE     write counters as key=value lines on session change,\n"
		"                   SIGUSR1 and exit\n"
		"  --list-chips     print the known NOR parts and exit\n"
		"  --help           this text\n"
		"\n"
		"Counters are printed on SIGUSR1 and on exit (SIGINT/SIGTERM).\n");
}

static int fail_arg(const char *option, const char *value, const char *allowed)
{
	fprintf(stderr, "spiram-sim: invalid %s '%s'; allowed: %s\n", option, value ? value : "",
		allowed);
	return 2;
}

static bool parse_u64(const char *s, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s || *end)
		return false;
	*out = v;
	return true;
}

static int parse_fault(const char *spec, struct nor_faults *f, uint64_t *link_drop,
		       uint64_t *power_loss)
{
	uint64_t v;
	if (!strcmp(spec, "no-chip")) {
		f->absent = true;
	} else if (!strcmp(spec, "no-sfdp")) {
		f->no_sfdp = true;
	} else if (!strcmp(spec, "sfdp-corrupt")) {
		f->sfdp_corrupt = true;
	} else if (!strcmp(spec, "busy-stuck")) {
		f->busy_stuck = true;
	} else if (!strncmp(spec, "jedec=", 6)) {
		const char *hex = spec + 6;
		char *end;
		unsigned long id = strtoul(hex, &end, 16);
		if (strlen(hex) != 6 || *end)
			return fail_arg("--fault jedec", hex, "six hex digits, e.g. jedec=EF4099");
		f->id_override = true;
		f->id[0] = (uint8_t)(id >> 16);
		f->id[1] = (uint8_t)(id >> 8);
		f->id[2] = (uint8_t)id;
	} else if (!strncmp(spec, "stuck-bits=", 11)) {
		char buf[64];
		snprintf(buf, sizeof(buf), "%s", spec + 11);
		char *colon = strchr(buf, ':');
		uint64_t addr, mask;
		if (!colon)
			return fail_arg("--fault stuck-bits", spec + 11, "ADDR:MASK, e.g. 0x1000:0x01");
		*colon = 0;
		if (!parse_u64(buf, &addr) || !parse_u64(colon + 1, &mask) || mask > 0xFF ||
		    addr > 0xFFFFFFFFu)
			return fail_arg("--fault stuck-bits", spec + 11, "ADDR:MASK, MASK <= 0xFF");
		f->stuck_bits = true;
		f->stuck_addr = (uint32_t)addr;
		f->stuck_mask = (uint8_t)mask;
	} else if (!strncmp(spec, "link-drop=", 10)) {
		if (!parse_u64(spec + 10, &v) || v == 0)
			return fail_arg("--fault link-drop", spec + 10, "a batch count >= 1");
		*link_drop = v;
	} else if (!strncmp(spec, "power-loss=", 11)) {
		if (!parse_u64(spec + 11, &v) || v == 0)
			return fail_arg("--fault power-loss", spec + 11,
					"a program/erase command count >= 1");
		*power_loss = v;
	} else {
		return fail_arg("--fault", spec,
				"no-chip, jedec=XXXXXX, no-sfdp, sfdp-corrupt, busy-stuck, "
				"stuck-bits=ADDR:MASK, link-drop=N, power-loss=N");
	}
	return 0;
}

/* Map the image MAP_SHARED so that what the chip stores is the file. */
static uint8_t *map_image(const char *path, size_t size, const char *part)
{
	int fd = open(path, O_RDWR);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (fd >= 0) {
			uint8_t buf[65536];
			memset(buf, 0xFF, sizeof(buf));
			for (size_t done = 0; done < size;) {
				size_t n = size - done < sizeof(buf) ? size - done : sizeof(buf);
				if (write(fd, buf, n) != (ssize_t)n) {
					fprintf(stderr, "spiram-sim: cannot fill %s: %s\n", path,
						strerror(errno));
					close(fd);
					return NULL;
				}
				done += n;
			}
		}
	}
	if (fd < 0) {
		fprintf(stderr, "spiram-sim: cannot open image %s: %s\n", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) || (size_t)st.st_size != size) {
		fprintf(stderr,
			"spiram-sim: image %s is %lld bytes but %s holds %zu bytes; "
			"use a file of exactly that size or remove it to start from an erased chip\n",
			path, (long long)st.st_size, part, size);
		close(fd);
		return NULL;
	}
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "spiram-sim: cannot map %s: %s\n", path, strerror(errno));
		return NULL;
	}
	return p;
}

static void dump_stats(struct sim_main *m, bool to_stderr)
{
	pthread_mutex_lock(&m->stats_lock);
	if (to_stderr) {
		fprintf(stderr, "spiram-sim: counters\n");
		sim_stats_write(stderr, &m->stats);
	}
	if (m->stats_path && sim_stats_write_file(m->stats_path, &m->stats))
		fprintf(stderr, "spiram-sim: cannot write stats file %s\n", m->stats_path);
	pthread_mutex_unlock(&m->stats_lock);
}

static void on_session(void *ctx, bool connected)
{
	struct sim_main *m = ctx;
	if (connected)
		m->stats.sessions++;
	m->stats.connected = connected;
	fprintf(stderr, "spiram-sim: debugger %s\n", connected ? "connected" : "disconnected");
	dump_stats(m, false);
}

/* Run thread hook: signals, and the power-loss fault. */
static void on_poll(void *ctx)
{
	struct sim_main *m = ctx;
	if (g_dump_requested) {
		g_dump_requested = 0;
		dump_stats(m, true);
	}
	if (m->power_loss_after && !m->power_lost) {
		struct nor_chip *chip = sim_board_chip(m->board);
		const struct nor_counters *n = nor_chip_counters(chip);
		if (n->page_programs + n->erases >= m->power_loss_after) {
			m->power_lost = true;
			sim_machine_pause(m->machine);
			fprintf(stderr, "spiram-sim: fault power-loss: chip power cycled after %llu "
				"program/erase commands\n", (unsigned long long)m->power_loss_after);
			nor_chip_power_cycle(chip);
			if (sim_board_chip_die(m->board, 2))
				nor_chip_power_cycle(sim_board_chip_die(m->board, 2));
			sim_machine_resume(m->machine);
		}
	}
}

static void on_signal(int sig)
{
	if (sig == SIGUSR1) {
		g_dump_requested = 1;
		if (g_main)
			sim_machine_kick(g_main->machine);
		return;
	}
	g_quit_requested = 1;
	if (g_main) {
		sim_vdebug_server_stop(g_main->server);
		sim_machine_quit(g_main->machine);
	}
}

static void *server_thread(void *arg)
{
	struct sim_main *m = arg;
	sim_vdebug_server_run(m->server);
	sim_machine_quit(m->machine);
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "board", required_argument, NULL, 'b' },
		{ "image", required_argument, NULL, 'i' },
		{ "chip", required_argument, NULL, 'c' },
		{ "port", required_argument, NULL, 'p' },
		{ "timing", required_argument, NULL, 't' },
		{ "bus-time", required_argument, NULL, 'T' },
		{ "link", required_argument, NULL, 'l' },
		{ "fault", required_argument, NULL, 'f' },
		{ "wiring", required_argument, NULL, 'w' },
		{ "stats", required_argument, NULL, 's' },
		{ "list-chips", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct sim_board_options bopt = { 0 };
	const char *image_path = NULL, *link_name = "none";
	uint64_t port = 8192, link_drop = 0, power_loss = 0;
	struct sim_main m = { 0 };
	int opt, rc;

	bopt.timing = NOR_TIMING_INSTANT;
	bopt.wiring = SIM_WIRING_SPI;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case 'b':
			bopt.board = optarg;
			if (!sim_board_default_chip(optarg))
				return fail_arg("--board", optarg, "stm32h750, stm32h750b-dk, stm32h7b0, gd32f307, stm32f103, "
						"stm32f746g, stm32l476g, stm32h735g-dk");
			break;
		case 'i':
			image_path = optarg;
			break;
		case 'c':
			if (!nor_chip_part_size(optarg)) {
				char list[512] = "";
				for (const char *const *p = nor_chip_part_names(); *p; p++) {
					strncat(list, *p, sizeof(list) - strlen(list) - 3);
					if (p[1])
						strcat(list, ", ");
				}
				return fail_arg("--chip", optarg, list);
			}
			bopt.chip = optarg;
			break;
		case 'p':
			if (!parse_u64(optarg, &port) || port > 65535)
				return fail_arg("--port", optarg, "0..65535");
			break;
		case 't':
			if (!strcmp(optarg, "instant"))
				bopt.timing = NOR_TIMING_INSTANT;
			else if (!strcmp(optarg, "typical"))
				bopt.timing = NOR_TIMING_TYPICAL;
			else
				return fail_arg("--timing", optarg, "instant, typical");
			break;
		case 'T':
			if (!strcmp(optarg, "on"))
				bopt.bus_time = SIM_BUS_TIME_ON;
			else if (!strcmp(optarg, "off"))
				bopt.bus_time = SIM_BUS_TIME_OFF;
			else
				return fail_arg("--bus-time", optarg, "on, off");
			break;
		case 'l':
			if (!sim_link_model_find(optarg)) {
				char list[256] = "";
				for (const struct sim_link_model *const *l = sim_link_models(); *l; l++) {
					strncat(list, (*l)->name, sizeof(list) - strlen(list) - 3);
					if (l[1])
						strcat(list, ", ");
				}
				return fail_arg("--link", optarg, list);
			}
			link_name = optarg;
			break;
		case 'f': {
			/* flash1:SPEC / flash2:SPEC: one die of a two-die package */
			unsigned int die = !strncmp(optarg, "flash1:", 7) ? 1 :
					   !strncmp(optarg, "flash2:", 7) ? 2 : 0;

			if (die) {
				if (!bopt.die_faults_set[die - 1])
					bopt.die_faults[die - 1] = bopt.faults;
				bopt.die_faults_set[die - 1] = true;
				rc = parse_fault(optarg + 7, &bopt.die_faults[die - 1], &link_drop,
						 &power_loss);
				if (rc)
					return rc;
				break;
			}
			rc = parse_fault(optarg, &bopt.faults, &link_drop, &power_loss);
			for (unsigned int i = 0; i < 2 && !rc; i++)
				if (bopt.die_faults_set[i])
					rc = parse_fault(optarg, &bopt.die_faults[i], &link_drop,
							 &power_loss);
			if (rc)
				return rc;
			break;
		}
		case 'w':
			if (!strcmp(optarg, "spi"))
				bopt.wiring = SIM_WIRING_SPI;
			else if (!strcmp(optarg, "gpio"))
				bopt.wiring = SIM_WIRING_GPIO;
			else
				return fail_arg("--wiring", optarg, "spi, gpio");
			break;
		case 's':
			m.stats_path = optarg;
			break;
		case 'L':
			for (const char *const *p = nor_chip_part_names(); *p; p++)
				printf("%s %zu\n", *p, nor_chip_part_size(*p));
			for (const char *const *p = nor_chip_package_names(); *p; p++)
				printf("%s %zu\n", *p, nor_chip_part_size(*p));
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "spiram-sim: unexpected argument '%s' (see --help)\n", argv[optind]);
		return 2;
	}
	if (!bopt.board) {
		fprintf(stderr, "spiram-sim: --board is required (stm32h750, stm32h7b0, gd32f307, stm32f103, stm32f746g, "
			"stm32l476g, stm32h735g-dk)\n");
		return 2;
	}
	if (!image_path) {
		fprintf(stderr, "spiram-sim: --image FILE is required (created 0xFF-filled if missing)\n");
		return 2;
	}
	if (bopt.wiring == SIM_WIRING_GPIO && !sim_board_supports_gpio_wiring(bopt.board)) {
		fprintf(stderr, "spiram-sim: --wiring gpio is only available on gd32f307 and "
			"stm32f103\n");
		return 2;
	}
	const char *part = bopt.chip ? bopt.chip : sim_board_default_chip(bopt.board);
	size_t size = nor_chip_part_size(part);
	bopt.image = map_image(image_path, size, part);
	if (!bopt.image)
		return 1;
	bopt.image_size = size;

	char err[256];
	m.board = sim_board_create(&bopt, err, sizeof(err));
	if (!m.board) {
		fprintf(stderr, "spiram-sim: %s\n", err);
		return 1;
	}
	m.dap = sim_dap_create(sim_board_bus(m.board), sim_board_dap_config(m.board));
	m.machine = sim_machine_create(sim_board_core(m.board), sim_board_bus(m.board));
	if (!m.dap || !m.machine) {
		fprintf(stderr, "spiram-sim: out of memory\n");
		return 1;
	}
	pthread_mutex_init(&m.stats_lock, NULL);
	m.power_loss_after = power_loss;
	m.stats.board = m.board;
	m.stats.dap = m.dap;
	m.stats.machine = m.machine;
	if (m.stats_path)
		sim_core_count_blocks(sim_board_core(m.board), true);

	struct sim_vdebug_handler handler;
	sim_machine_vdebug_handler(m.machine, m.dap, on_session, &m, &handler);
	m.server = sim_vdebug_server_create((uint16_t)port, sim_link_model_find(link_name),
					    &handler, err, sizeof(err));
	if (!m.server) {
		fprintf(stderr, "spiram-sim: %s\n", err);
		return 1;
	}
	m.stats.server = m.server;
	if (link_drop)
		sim_vdebug_server_drop_after(m.server, link_drop);
	sim_machine_set_poll(m.machine, on_poll, &m, m.power_loss_after != 0);

	g_main = &m;
	struct sigaction sa = { 0 };
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* signals go to the main (CPU) thread: block them in the server thread */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_t th;
	if (pthread_create(&th, NULL, server_thread, &m)) {
		fprintf(stderr, "spiram-sim: cannot start the server thread\n");
		return 1;
	}
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	fprintf(stderr, "spiram-sim: board %s, chip %s (%zu bytes), image %s, "
		"listening on 127.0.0.1:%u\n", sim_board_name(m.board), part, size, image_path,
		(unsigned int)sim_vdebug_server_port(m.server));
	dump_stats(&m, false);

	sim_machine_run(m.machine);

	sim_vdebug_server_stop(m.server);
	pthread_join(th, NULL);
	m.stats.connected = 0;
	dump_stats(&m, true);
	msync(bopt.image, size, MS_SYNC);

	sim_vdebug_server_destroy(m.server);
	sim_machine_destroy(m.machine);
	sim_dap_destroy(m.dap);
	sim_board_destroy(m.board);
	munmap(bopt.image, size);
	return 0;
}
