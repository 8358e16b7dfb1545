/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * Miscellaneous SoC registers the debugger and OpenOCD's stock target
 * scripts touch: DBGMCU (IDCODE + freeze/config registers), the system
 * memory words holding the flash size and unique ID, the internal-flash
 * controllers of the STM32H7 (stm32h7x driver) and STM32F1 (stm32f1x
 * driver), and plain register files for trace blocks nobody models.
 *
 * Every device is a struct sim_device to add to the bus; the state lives
 * in a struct sim_soc_block the caller frees with sim_soc_block_destroy().
 */

#ifndef SIM_SOC_H
#define SIM_SOC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim_bus.h"

struct sim_soc_block;

/* A register file: reads return what was written (reset: 0), except the
 * read-only words listed in fixed[] (offset, value pairs). */
struct sim_soc_fixed {
	uint32_t offset;
	uint32_t value;
};
struct sim_soc_block *sim_soc_regfile(const char *name, uint32_t base, uint32_t size,
				      const struct sim_soc_fixed *fixed, unsigned int count);

/*
 * STM32H7 flash interface (bank 1 registers at 0x52002000): KEYR unlock,
 * CR.LOCK, SR.QW/error bits, CCR, sector erase (one 128 KiB sector on the
 * H750) and bank erase on the array; WPSN_CUR reads 0xFF (unprotected).
 * Programming (CR.PG + 256-bit flash-word writes) is not modelled: the
 * array is read-only to the CPU and the debugger.
 */
struct sim_soc_block *sim_soc_h7_flash(uint32_t base, uint8_t *array, uint32_t array_size,
				       uint32_t sector_size);

/*
 * STM32F1 / GD32F30x flash interface (0x40022000): KEYR unlock, CR.LOCK,
 * SR.BSY/EOP/PGERR, page erase (CR.PER + AR + STRT), mass erase (MER).
 * WRPR reads 0xFFFFFFFF (no write protection).  Programming is not
 * modelled.
 */
struct sim_soc_block *sim_soc_f1_flash(uint32_t base, uint8_t *array, uint32_t array_size,
				       uint32_t page_size);

struct sim_device sim_soc_device(struct sim_soc_block *block);
void sim_soc_block_destroy(struct sim_soc_block *block);

#endif /* SIM_SOC_H */
