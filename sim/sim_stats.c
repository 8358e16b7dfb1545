// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Counter dump (sim_stats.h).  Reads counters that other threads may be
 * updating; each value is a plain 64-bit load, so a dump can mix values
 * from just before and just after a batch, never torn values.
 *
 * core.instructions_estimate: the core counts executed translation blocks
 * and their bytes only when block counting is on (--stats turns it on); the
 * estimate is block bytes / 2.5 (the mean Thumb-2 instruction length of
 * typical mixed 16/32-bit code), not an exact count.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nor_chip.h"
#include "sim_board.h"
#include "sim_core.h"
#include "sim_dap.h"
#include "sim_machine.h"
#include "sim_stats.h"

void sim_stats_write(FILE *out, const struct sim_stats_sources *src)
{
	fprintf(out, "board=%s\n", sim_board_name(src->board));
	fprintf(out, "sessions=%lu\n", src->sessions);
	fprintf(out, "connected=%d\n", src->connected);
	if (src->dap) {
		const struct sim_dap_counters *d = sim_dap_counters(src->dap);
		fprintf(out, "dap.batches=%" PRIu64 "\n", d->batches);
		fprintf(out, "dap.empty_batches=%" PRIu64 "\n", d->empty_batches);
		fprintf(out, "dap.transactions=%" PRIu64 "\n", d->transactions);
		fprintf(out, "dap.ap_reads=%" PRIu64 "\n", d->ap_reads);
		fprintf(out, "dap.ap_writes=%" PRIu64 "\n", d->ap_writes);
		fprintf(out, "dap.mem_bytes_read=%" PRIu64 "\n", d->mem_bytes_read);
		fprintf(out, "dap.mem_bytes_written=%" PRIu64 "\n", d->mem_bytes_written);
		fprintf(out, "dap.bus_errors=%" PRIu64 "\n", d->bus_errors);
		fprintf(out, "dap.ram_accesses_core_running=%" PRIu64 "\n",
			d->ram_accesses_core_running);
		fprintf(out, "dap.reads_core_running=%" PRIu64 "\n", d->reads_core_running);
	}
	if (src->server)
		fprintf(out, "link.round_trips=%" PRIu64 "\n",
			sim_vdebug_server_round_trips(src->server));
	const struct sim_core_counters *c = sim_core_counters(sim_board_core(src->board));
	fprintf(out, "core.halts=%" PRIu64 "\n", c->halts);
	fprintf(out, "core.steps=%" PRIu64 "\n", c->steps);
	fprintf(out, "core.runs=%" PRIu64 "\n", c->runs);
	fprintf(out, "core.faults=%" PRIu64 "\n", c->faults);
	fprintf(out, "core.resets=%" PRIu64 "\n", c->resets);
	fprintf(out, "core.blocks=%" PRIu64 "\n", c->blocks);
	fprintf(out, "core.block_bytes=%" PRIu64 "\n", c->block_bytes);
	fprintf(out, "core.instructions_estimate=%" PRIu64 "\n", c->block_bytes * 2 / 5);
	fprintf(out, "core.idles=%" PRIu64 "\n", c->idles);
	if (src->machine) {
		const struct sim_machine_counters *m = sim_machine_counters(src->machine);
		fprintf(out, "machine.pauses=%" PRIu64 "\n", m->pauses);
		fprintf(out, "machine.system_resets=%" PRIu64 "\n", m->system_resets);
		fprintf(out, "machine.reset_assertions=%" PRIu64 "\n", m->reset_assertions);
	}
	struct nor_chip *chip = sim_board_chip(src->board);
	const struct nor_counters *n = nor_chip_counters(chip);
	fprintf(out, "chip.name=%s\n", nor_chip_name(chip));
	fprintf(out, "spi.bytes_1line=%" PRIu64 "\n", n->bytes_by_lines[1]);
	fprintf(out, "spi.bytes_2line=%" PRIu64 "\n", n->bytes_by_lines[2]);
	fprintf(out, "spi.bytes_4line=%" PRIu64 "\n", n->bytes_by_lines[4]);
	fprintf(out, "spi.bytes_8line=%" PRIu64 "\n", n->bytes_by_lines[8]);
	fprintf(out, "spi.bytes_dtr=%" PRIu64 "\n", n->bytes_dtr);
	fprintf(out, "spi.dummy_cycles=%" PRIu64 "\n", n->dummy_cycles);
	fprintf(out, "chip.commands=%" PRIu64 "\n", n->commands);
	fprintf(out, "chip.page_programs=%" PRIu64 "\n", n->page_programs);
	fprintf(out, "chip.erases=%" PRIu64 "\n", n->erases);
	fprintf(out, "chip.ignored_protected=%" PRIu64 "\n", n->ignored_protected);
	fprintf(out, "chip.busy_ns=%" PRIu64 "\n", n->busy_ns);
	fprintf(out, "chip.misuse=%" PRIu64 "\n", n->misuse);
	fprintf(out, "chip.overclocked=%" PRIu64 "\n", n->overclocked);
	fprintf(out, "chip.max_clock_hz=%" PRIu64 "\n", n->max_clock_hz);
	uint8_t reg[3], reg_nv[3];
	nor_chip_registers(chip, reg, reg_nv);
	for (int i = 0; i < 3; i++) {
		fprintf(out, "chip.reg%d=0x%02x\n", i + 1, reg[i]);
		fprintf(out, "chip.reg%d_nv=0x%02x\n", i + 1, reg_nv[i]);
	}
	const struct nor_sector_counters *s = nor_chip_sector_counters(chip);
	uint32_t sectors = nor_chip_size(chip) / 4096;
	for (uint32_t i = 0; s && i < sectors; i++) {
		if (s[i].programs)
			fprintf(out, "sector.0x%06x.programs=%u\n", i * 4096, s[i].programs);
		if (s[i].erases)
			fprintf(out, "sector.0x%06x.erases=%u\n", i * 4096, s[i].erases);
	}
	/* die 2 (FLASH2, BK2) of a two-die package: the same keys, "chip2." / "sector2." */
	struct nor_chip *die2 = sim_board_chip_die(src->board, 2);
	if (!die2)
		return;
	n = nor_chip_counters(die2);
	fprintf(out, "chip2.commands=%" PRIu64 "\n", n->commands);
	fprintf(out, "chip2.page_programs=%" PRIu64 "\n", n->page_programs);
	fprintf(out, "chip2.erases=%" PRIu64 "\n", n->erases);
	fprintf(out, "chip2.ignored_protected=%" PRIu64 "\n", n->ignored_protected);
	fprintf(out, "chip2.busy_ns=%" PRIu64 "\n", n->busy_ns);
	fprintf(out, "chip2.misuse=%" PRIu64 "\n", n->misuse);
	nor_chip_registers(die2, reg, reg_nv);
	for (int i = 0; i < 3; i++) {
		fprintf(out, "chip2.reg%d=0x%02x\n", i + 1, reg[i]);
		fprintf(out, "chip2.reg%d_nv=0x%02x\n", i + 1, reg_nv[i]);
	}
	s = nor_chip_sector_counters(die2);
	for (uint32_t i = 0; s && i < sectors; i++) {
		if (s[i].programs)
			fprintf(out, "sector2.0x%06x.programs=%u\n", i * 4096, s[i].programs);
		if (s[i].erases)
			fprintf(out, "sector2.0x%06x.erases=%u\n", i * 4096, s[i].erases);
	}
}

int sim_stats_write_file(const char *path, const struct sim_stats_sources *src)
{
	size_t len = strlen(path) + 8;
	char *tmp = malloc(len);
	if (!tmp)
		return -1;
	snprintf(tmp, len, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		free(tmp);
		return -1;
	}
	sim_stats_write(f, src);
	int rc = fclose(f) == 0 && rename(tmp, path) == 0 ? 0 : -1;
	free(tmp);
	return rc;
}
