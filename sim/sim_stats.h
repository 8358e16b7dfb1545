/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Simulator counters as `key=value` lines: DAP traffic, core halts and
 * executed code, SPI bytes by line mode, busy time, and per-4-KiB-sector
 * program/erase counts for the sectors that have any.
 */

#ifndef SIM_STATS_H
#define SIM_STATS_H

#include <stdio.h>

struct sim_board;
struct sim_dap;
struct sim_machine;
struct sim_vdebug_server;

struct sim_stats_sources {
	struct sim_board *board;
	struct sim_dap *dap;
	struct sim_machine *machine;
	struct sim_vdebug_server *server;
	unsigned long sessions;		/* vdebug clients seen */
	int connected;			/* a client is connected now */
};

void sim_stats_write(FILE *out, const struct sim_stats_sources *src);
/* Write to path atomically (temp file + rename); 0 or -1. */
int sim_stats_write_file(const char *path, const struct sim_stats_sources *src);

#endif /* SIM_STATS_H */
