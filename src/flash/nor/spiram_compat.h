/* SPDX-License-Identifier: GPL-2.0-or-later */

/*
 * The OpenOCD APIs that differ between the trees spiram_loader is built
 * into (0.12.0 and current master), each behind one call, so that one
 * driver source serves them all.
 *
 * Which API a tree has is found by probing it, never from its version
 * number: contrib/openocd-prepare.sh looks into the prepared copy and
 * writes spiram_compat_probed.h next to this file (its header comment
 * lists the SPIRAM_HAVE_* defines).  That header also carries
 * SPIRAM_LOADER_VERSION, our own version from configure.ac.
 */

#ifndef OPENOCD_FLASH_NOR_SPIRAM_COMPAT_H
#define OPENOCD_FLASH_NOR_SPIRAM_COMPAT_H

#include <stdbool.h>
#include <target/cortex_m.h>

#include "spiram_compat_probed.h"

#ifndef SPIRAM_LOADER_VERSION
#define SPIRAM_LOADER_VERSION "unknown"
#endif

/*
 * True if target is a Cortex-M23 (ARMv8-M Baseline: no full Thumb-2).
 * Newer trees replaced cortex_m_get_partno_safe() by
 * cortex_m_get_impl_part(), whose part numbers (CORTEX_M23_PARTNO
 * included) carry the implementer code; each tree's constant matches its
 * own function.
 */
static inline bool spiram_target_is_cortex_m23(struct target *target)
{
#if SPIRAM_HAVE_CORTEX_M_GET_IMPL_PART
	return cortex_m_get_impl_part(target) == CORTEX_M23_PARTNO;
#else
	return cortex_m_get_partno_safe(target) == CORTEX_M23_PARTNO;
#endif
}

#endif /* OPENOCD_FLASH_NOR_SPIRAM_COMPAT_H */
