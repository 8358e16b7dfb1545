// SPDX-License-Identifier: GPL-2.0-or-later

/*
 * Cortex-M core on Unicorn plus its ARMv7-M debug registers (sim_core.h).
 *
 * Owns: the Unicorn engine, the SCS (0xE000E000), DWT (0xE0001000), FPB
 * (0xE0002000) and ITM (0xE0000000) register blocks as bus devices, the
 * Debug state machine behind DHCSR, fault exception entry / exception
 * return emulation, and core reset.
 *
 * Invariants:
 *  - debug registers are read and written only while Unicorn is not
 *    executing on another thread (the machine guarantees it); when the CPU
 *    itself writes one (AIRCR reset, FPB), the effect is deferred until
 *    uc_emu_start returns;
 *  - DCRSR transfers complete at once, so S_REGRDY always reads 1;
 *  - an enabled FPB code comparator is a UC_HOOK_CODE on exactly that
 *    address: it fires before the instruction executes, including the first
 *    instruction after a resume, as the ARMv7-M breakpoint debug event does;
 *  - faults are taken with the silicon's exception entry (8-word frame,
 *    EXC_RETURN, vector from VTOR); a fault while in HardFault locks up.
 *
 * Known approximations (documented in docs/simulator.md): the return
 * address stacked for a data-access fault is the start of the translation
 * block that faulted (Unicorn 2.0.1 does not give the precise PC); a device
 * bus error is reported as an imprecise BusFault; there is no NVIC, SysTick
 * exception or other interrupt source, so WFI sleeps until the debugger
 * halts the core; DWT comparators store values but never trigger; no FPU
 * context is stacked.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>

#include <unicorn/unicorn.h>

#include "sim_bus.h"
#include "sim_clock.h"
#include "sim_core.h"
#include "sim_dap.h"

/* DHCSR */
#define DHCSR_DBGKEY		0xA05F0000u
#define C_DEBUGEN		(1u << 0)
#define C_HALT			(1u << 1)
#define C_STEP			(1u << 2)
#define C_MASKINTS		(1u << 3)
#define C_SNAPSTALL		(1u << 5)
#define C_WRITABLE		(C_DEBUGEN | C_HALT | C_STEP | C_MASKINTS | C_SNAPSTALL)
#define S_REGRDY		(1u << 16)
#define S_HALT			(1u << 17)
#define S_SLEEP			(1u << 18)
#define S_LOCKUP		(1u << 19)
#define S_RETIRE_ST		(1u << 24)
#define S_RESET_ST		(1u << 25)

/* DFSR */
#define DFSR_HALTED		(1u << 0)
#define DFSR_BKPT		(1u << 1)
#define DFSR_DWTTRAP		(1u << 2)
#define DFSR_VCATCH		(1u << 3)
#define DFSR_EXTERNAL		(1u << 4)

/* DEMCR */
#define VC_CORERESET		(1u << 0)
#define VC_MMERR		(1u << 4)
#define VC_NOCPERR		(1u << 5)
#define VC_CHKERR		(1u << 6)
#define VC_STATERR		(1u << 7)
#define VC_BUSERR		(1u << 8)
#define VC_INTERR		(1u << 9)
#define VC_HARDERR		(1u << 10)

/* CFSR / HFSR / SHCSR */
#define CFSR_IBUSERR		(1u << 8)
#define CFSR_PRECISERR		(1u << 9)
#define CFSR_IMPRECISERR	(1u << 10)
#define CFSR_BFARVALID		(1u << 15)
#define CFSR_UNDEFINSTR		(1u << 16)
#define CFSR_INVSTATE		(1u << 17)
#define CFSR_NOCP		(1u << 19)
#define CFSR_UNALIGNED		(1u << 24)
#define HFSR_FORCED		(1u << 30)
#define HFSR_DEBUGEVT		(1u << 31)
#define SHCSR_BUSFAULTENA	(1u << 17)
#define SHCSR_USGFAULTENA	(1u << 18)

#define EXC_HARDFAULT		3
#define EXC_BUSFAULT		5
#define EXC_USAGEFAULT		6
#define EXC_SVCALL		11

#define LOCKUP_PC		0xEFFFFFFEu

/* Unicorn/QEMU exception numbers seen by UC_HOOK_INTR */
#define QEMU_EXCP_UDEF		1
#define QEMU_EXCP_SWI		2
#define QEMU_EXCP_BKPT		7
#define QEMU_EXCP_EXCEPTION_EXIT 8
#define QEMU_EXCP_NOCP		17
#define QEMU_EXCP_INVSTATE	18
#define QEMU_EXCP_UNALIGNED	22
#define QEMU_EXCP_HLT		0x10001
#define QEMU_EXCP_YIELD		0x10004

#define FPB_MAX_COMP		8
#define FPB_MAX_HOOKS		(2 * FPB_MAX_COMP)
#define DWT_NUM_COMP		4

enum core_event {
	EVENT_NONE,
	EVENT_EXC_RETURN,	/* BX to EXC_RETURN in Handler mode */
	EVENT_FAULT,		/* exception entry for a synchronous fault */
	EVENT_SVC,
	EVENT_SLEEP,		/* WFI */
	EVENT_LOCKUP,
};

enum reset_request {
	RESET_NONE,
	RESET_SYSTEM,		/* AIRCR.SYSRESETREQ */
	RESET_CORE,		/* AIRCR.VECTRESET */
};

struct sim_core {
	enum sim_core_type type;
	struct sim_bus *bus;
	uc_engine *uc;
	enum sim_rom_kind rom_kind;
	uint32_t cpuid;			/* CPUID 0xE000ED00 */
	uint32_t mvfr0, mvfr1, mvfr2;	/* MVFRx 0xE000EF40.. (0 without FPU) */
	bool has_fpu;

	enum sim_core_state state;
	bool executing;			/* inside uc_emu_start */
	bool in_intr_hook;		/* inside hook_intr: a stop there is precise */
	volatile bool stop_deferred;	/* stop at the next block boundary */
	volatile bool stop_requested;	/* another thread asked for a stop */

	/* debug state */
	uint32_t dhcsr_ctrl;		/* DHCSR C_* bits as written */
	bool s_reset_st;		/* DHCSR.S_RESET_ST, cleared by reading */
	bool s_retire_st;		/* DHCSR.S_RETIRE_ST, cleared by reading */
	bool step_pending;		/* C_STEP with C_HALT = 0: run one instruction */
	uint32_t dcrdr;			/* DCRDR 0xE000EDF8 */
	uint32_t demcr;			/* DEMCR 0xE000EDFC */
	uint32_t dfsr;			/* DFSR 0xE000ED30, write 1 to clear */

	/* system control block state */
	uint32_t reset_vtor;		/* boot address (VTOR reset value) */
	uint32_t vtor;			/* VTOR 0xE000ED08 */
	uint32_t aircr_prigroup;	/* AIRCR.PRIGROUP */
	uint32_t shcsr, cfsr, hfsr, mmfar, bfar, cpacr, ccr, scr;
	uint32_t scs_plain[0x1000 / 4];	/* NVIC, SysTick, SHPR, MPU...: storage only */

	/* FPB */
	bool fpb_v2;			/* Cortex-M7: FP_CTRL.REV = 1, COMP = address | 1 */
	unsigned int fpb_code, fpb_lit;	/* comparator counts */
	bool fpb_enable;		/* FP_CTRL.ENABLE */
	uint32_t fp_comp[FPB_MAX_COMP];	/* FP_COMPn as written */
	bool fpb_dirty;			/* hooks need re-installing */
	unsigned int bp_count;
	uint32_t bp_addr[FPB_MAX_HOOKS];	/* active breakpoint addresses (Unicorn exits) */

	/* DWT */
	uint32_t dwt_ctrl;		/* writable low bits (CYCCNTENA...) */
	uint32_t dwt_cyccnt;
	uint32_t dwt_comp[DWT_NUM_COMP], dwt_mask[DWT_NUM_COMP], dwt_func[DWT_NUM_COMP];
	uint32_t itm_plain[0x1000 / 4];

	/* hook results, handled after uc_emu_start returns */
	enum core_event event;
	unsigned int event_exc;		/* exception number for EVENT_FAULT */
	uint32_t event_cfsr, event_hfsr;
	uint32_t event_return_pc;
	bool mem_invalid;		/* UC_HOOK_MEM_INVALID fired */
	uc_mem_type mem_invalid_type;
	uint32_t mem_invalid_addr;
	enum reset_request reset_request;

	sim_core_sysreset_fn sysreset;
	void *sysreset_ctx;

	uc_hook hook_intr, hook_invalid, hook_block;
	bool counting;
	struct sim_core_counters counters;
	uint8_t *code_map;		/* sim_bus_code_map() */
	uint64_t resumes;		/* sim_core_resumes() */
	uint64_t blocks_run;		/* sim_core_blocks_run(), written by the CPU thread */
	bool idling;			/* sim_core_idling(), written by the CPU thread */
};

/* ---- register helpers ------------------------------------------------- */

static uint32_t reg_get(struct sim_core *core, int reg)
{
	uint32_t v = 0;
	uc_reg_read(core->uc, reg, &v);
	return v;
}

static void reg_set(struct sim_core *core, int reg, uint32_t v)
{
	uc_reg_write(core->uc, reg, &v);
}

static bool mem_read32(struct sim_core *core, uint32_t addr, uint32_t *v)
{
	return sim_bus_read(core->bus, addr, 4, v) == 0;
}

static bool mem_write32(struct sim_core *core, uint32_t addr, uint32_t v)
{
	return sim_bus_write(core->bus, addr, 4, v) == 0;
}

/*
 * Stop the CPU as soon as that is exact.  Unicorn 2.0.1 abandons a
 * translation block that is stopped in its middle (uc_emu_stop from a device
 * callback or from another thread) and later runs it again from its start,
 * repeating the device accesses it had already made: measured, a loop of
 * MMIO loads and stores saw ~2.5 extra accesses per asynchronous stop.  A
 * QUADSPI DR read or write done twice is a corrupted transfer, so stops are
 * only ever taken at a block boundary (hook_block) or inside the interrupt
 * hook, where Unicorn's state is precise.
 */
static void core_stop(struct sim_core *core)
{
	if (!core->executing)
		return;
	if (core->in_intr_hook)
		uc_emu_stop(core->uc);
	else
		core->stop_deferred = true;
}

static void core_stop_cb(void *ctx)
{
	core_stop(ctx);
}

static void enter_debug(struct sim_core *core, uint32_t dfsr_bits)
{
	if (core->state == SIM_CORE_HALTED) {
		core->dfsr |= dfsr_bits;
		return;
	}
	if (core->state == SIM_CORE_LOCKUP)
		reg_set(core, UC_ARM_REG_PC, LOCKUP_PC);
	core->state = SIM_CORE_HALTED;
	core->dfsr |= dfsr_bits;
	core->dhcsr_ctrl |= C_HALT;
	core->step_pending = false;
	core->counters.halts++;
	core_stop(core);
}

static void lockup(struct sim_core *core)
{
	reg_set(core, UC_ARM_REG_PC, LOCKUP_PC);
	core->state = SIM_CORE_LOCKUP;
	core_stop(core);
}

/* ---- exceptions ------------------------------------------------------- */

static bool vector_catch(struct sim_core *core, unsigned int exc)
{
	if (!(core->dhcsr_ctrl & C_DEBUGEN))
		return false;
	switch (exc) {
	case EXC_HARDFAULT:
		return core->demcr & VC_HARDERR;
	case EXC_BUSFAULT:
		return core->demcr & VC_BUSERR;
	case 4:
		return core->demcr & VC_MMERR;
	case EXC_USAGEFAULT:
		return core->demcr & (VC_STATERR | VC_CHKERR | VC_NOCPERR);
	default:
		return false;
	}
}

/* Exception entry as ARMv7-M does it (basic frame, no FP context). */
static void take_exception(struct sim_core *core, unsigned int exc, uint32_t return_pc)
{
	uint32_t xpsr = reg_get(core, UC_ARM_REG_XPSR);
	uint32_t ipsr = xpsr & 0x1FF;
	uint32_t control = reg_get(core, UC_ARM_REG_CONTROL);
	bool use_psp = ipsr == 0 && (control & 2);
	uint32_t sp = reg_get(core, use_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
	uint32_t frame = sp - 0x20;
	bool realign = frame & 4;
	frame &= ~7u;

	if (exc != EXC_SVCALL && (ipsr == EXC_HARDFAULT || ipsr == 2)) {
		lockup(core);
		return;
	}
	uint32_t words[8] = {
		reg_get(core, UC_ARM_REG_R0), reg_get(core, UC_ARM_REG_R1),
		reg_get(core, UC_ARM_REG_R2), reg_get(core, UC_ARM_REG_R3),
		reg_get(core, UC_ARM_REG_R12), reg_get(core, UC_ARM_REG_LR),
		return_pc & ~1u, (xpsr & ~(1u << 9)) | (realign ? 1u << 9 : 0) | (1u << 24),
	};
	for (unsigned int i = 0; i < 8; i++) {
		if (!mem_write32(core, frame + 4 * i, words[i])) {
			/* stacking error: model as lockup (no derived fault chain) */
			lockup(core);
			return;
		}
	}
	uint32_t vector;
	if (!mem_read32(core, core->vtor + 4 * exc, &vector)) {
		lockup(core);
		return;
	}
	core->counters.faults += exc != EXC_SVCALL;
	/* Handler mode uses MSP: switch CONTROL.SPSEL off, then set the SPs. */
	if (use_psp) {
		reg_set(core, UC_ARM_REG_CONTROL, control & ~2u);
		reg_set(core, UC_ARM_REG_PSP, frame);
	} else {
		reg_set(core, UC_ARM_REG_MSP, frame);
	}
	reg_set(core, UC_ARM_REG_LR, ipsr ? 0xFFFFFFF1u : (use_psp ? 0xFFFFFFFDu : 0xFFFFFFF9u));
	reg_set(core, UC_ARM_REG_XPSR, (xpsr & 0xF8000000u) | (1u << 24) | exc);
	reg_set(core, UC_ARM_REG_PC, vector | 1);
	if (!(vector & 1)) {
		/* handler address without the Thumb bit: INVSTATE on its first
		 * instruction, escalating; in HardFault that is a lockup */
		lockup(core);
		return;
	}
	if (vector_catch(core, exc))
		enter_debug(core, DFSR_VCATCH);
}

static void take_fault(struct sim_core *core, unsigned int local_exc, uint32_t cfsr_bits,
		       uint32_t return_pc)
{
	uint32_t ipsr = reg_get(core, UC_ARM_REG_XPSR) & 0x1FF;
	bool enabled = false;
	if (local_exc == EXC_BUSFAULT)
		enabled = core->shcsr & SHCSR_BUSFAULTENA;
	else if (local_exc == EXC_USAGEFAULT)
		enabled = core->shcsr & SHCSR_USGFAULTENA;
	core->cfsr |= cfsr_bits;
	if (!enabled || ipsr == local_exc || ipsr == EXC_HARDFAULT) {
		if (ipsr != EXC_HARDFAULT)
			core->hfsr |= HFSR_FORCED;
		take_exception(core, EXC_HARDFAULT, return_pc);
	} else {
		take_exception(core, local_exc, return_pc);
	}
}

static void exception_return(struct sim_core *core, uint32_t exc_return)
{
	bool to_thread = exc_return & 8;
	bool from_psp = exc_return & 4;
	bool fp_frame = !(exc_return & 0x10);
	uint32_t sp = reg_get(core, from_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP);
	uint32_t w[8];
	for (unsigned int i = 0; i < 8; i++) {
		if (!mem_read32(core, sp + 4 * i, &w[i])) {
			lockup(core);
			return;
		}
	}
	sp += fp_frame ? 0x68 : 0x20;
	if (w[7] & (1u << 9))
		sp += 4;
	reg_set(core, UC_ARM_REG_R0, w[0]);
	reg_set(core, UC_ARM_REG_R1, w[1]);
	reg_set(core, UC_ARM_REG_R2, w[2]);
	reg_set(core, UC_ARM_REG_R3, w[3]);
	reg_set(core, UC_ARM_REG_R12, w[4]);
	reg_set(core, UC_ARM_REG_LR, w[5]);
	uint32_t ipsr = to_thread ? 0 : (w[7] & 0x1FF);
	reg_set(core, UC_ARM_REG_XPSR, (w[7] & ~(0x1FFu | (1u << 9))) | ipsr | (1u << 24));
	if (from_psp) {
		reg_set(core, UC_ARM_REG_PSP, sp);
		if (to_thread)
			reg_set(core, UC_ARM_REG_CONTROL, reg_get(core, UC_ARM_REG_CONTROL) | 2);
	} else {
		reg_set(core, UC_ARM_REG_MSP, sp);
	}
	reg_set(core, UC_ARM_REG_PC, w[6] | 1);
}

/* ---- Unicorn hooks ---------------------------------------------------- */

static void hook_intr_body(uc_engine *uc, uint32_t intno, struct sim_core *core);

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
	struct sim_core *core = user;

	core->in_intr_hook = true;
	hook_intr_body(uc, intno, core);
	core->in_intr_hook = false;
}

static void hook_intr_body(uc_engine *uc, uint32_t intno, struct sim_core *core)
{
	uint32_t pc = reg_get(core, UC_ARM_REG_PC);

	if (getenv("SIM_CORE_TRACE_INTR"))
		fprintf(stderr, "sim_core: intr %u pc 0x%08x\n", intno, pc);
	switch (intno) {
	case QEMU_EXCP_BKPT:
		if (core->dhcsr_ctrl & C_DEBUGEN) {
			/* PC already points at the BKPT; writing PC from a hook
			 * would make Unicorn restart execution there */
			enter_debug(core, DFSR_BKPT);
		} else {
			/* no DebugMonitor: the debug event escalates to HardFault */
			core->event = EVENT_FAULT;
			core->event_exc = EXC_HARDFAULT;
			core->event_hfsr = HFSR_DEBUGEVT;
			core->event_cfsr = 0;
			core->event_return_pc = pc;
		}
		break;
	case QEMU_EXCP_EXCEPTION_EXIT:
		core->event = EVENT_EXC_RETURN;
		core->event_return_pc = pc | 1;	/* EXC_RETURN value */
		break;
	case QEMU_EXCP_SWI:
		core->event = EVENT_SVC;
		core->event_return_pc = pc;
		break;
	case QEMU_EXCP_HLT:
		core->event = EVENT_SLEEP;
		core->event_return_pc = pc;
		break;
	case QEMU_EXCP_YIELD:
		return;		/* WFE/YIELD: a hint, nothing to do */
	default:
		core->event = EVENT_FAULT;
		core->event_exc = EXC_USAGEFAULT;
		core->event_hfsr = 0;
		core->event_return_pc = pc;
		if (intno == QEMU_EXCP_UDEF)
			core->event_cfsr = CFSR_UNDEFINSTR;
		else if (intno == QEMU_EXCP_INVSTATE)
			core->event_cfsr = CFSR_INVSTATE;
		else if (intno == QEMU_EXCP_NOCP)
			core->event_cfsr = CFSR_NOCP;
		else if (intno == QEMU_EXCP_UNALIGNED)
			core->event_cfsr = CFSR_UNALIGNED;
		else
			core->event_cfsr = CFSR_UNDEFINSTR;
		break;
	}
	uc_emu_stop(uc);
}

static bool hook_mem_invalid(uc_engine *uc, uc_mem_type type, uint64_t address, int size,
			     int64_t value, void *user)
{
	struct sim_core *core = user;
	(void)uc; (void)size; (void)value;
	core->mem_invalid = true;
	core->mem_invalid_type = type;
	core->mem_invalid_addr = (uint32_t)address;
	return false;
}

static void hook_block(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
	struct sim_core *core = user;
	__atomic_store_n(&core->blocks_run, core->blocks_run + 1, __ATOMIC_RELAXED);
	/* the pages this block came from now hold translated code */
	uint32_t first = (uint32_t)address >> SIM_BUS_CODE_PAGE_SHIFT;
	uint32_t last = (uint32_t)(address + (size ? size : 1) - 1) >> SIM_BUS_CODE_PAGE_SHIFT;
	for (uint32_t page = first; page <= last; page++) {
		uint8_t *byte = &core->code_map[page >> 3], bit = 1u << (page & 7);
		if (!(*byte & bit))
			__atomic_store_n(byte, *byte | bit, __ATOMIC_RELEASE);
	}
	if (core->counting) {
		core->counters.blocks++;
		core->counters.block_bytes += size;
	}
	if (core->stop_deferred || core->stop_requested) {
		core->stop_deferred = false;
		uc_emu_stop(uc);	/* before this block runs: exact */
	}
}

/* ---- FPB -------------------------------------------------------------- */

static void fpb_apply(struct sim_core *core)
{
	uint32_t want[FPB_MAX_HOOKS];
	unsigned int n = 0;

	core->fpb_dirty = false;
	if (core->fpb_enable) {
		for (unsigned int i = 0; i < core->fpb_code; i++) {
			uint32_t comp = core->fp_comp[i];
			if (!(comp & 1))
				continue;
			if (core->fpb_v2) {
				want[n++] = comp & ~1u;
				continue;
			}
			uint32_t base = comp & 0x1FFFFFFCu;
			uint32_t replace = comp >> 30;
			if (replace & 1)
				want[n++] = base;
			if (replace & 2)
				want[n++] = base + 2;
		}
	}
	for (unsigned int i = 0; i < core->bp_count; i++)
		uc_ctl_remove_cache(core->uc, core->bp_addr[i], core->bp_addr[i] + 4);
	/*
	 * Breakpoints are Unicorn exits: execution stops before the
	 * instruction at an exit address, also when it is the first one after
	 * uc_emu_start (a code hook cannot do that in Unicorn 2.0.1: the
	 * instruction still executes after uc_emu_stop).  Without C_DEBUGEN a
	 * comparator match does nothing, so no exits then.
	 */
	uint64_t exits[FPB_MAX_HOOKS + 1];
	core->bp_count = 0;
	if (core->dhcsr_ctrl & C_DEBUGEN) {
		for (unsigned int i = 0; i < n; i++) {
			core->bp_addr[core->bp_count++] = want[i];
			uc_ctl_remove_cache(core->uc, want[i], want[i] + 4);
		}
	}
	for (unsigned int i = 0; i < core->bp_count; i++)
		exits[i] = core->bp_addr[i];
	exits[core->bp_count] = 0xFFFFFFFFull;	/* never reached: keeps the list non-empty */
	uc_ctl_set_exits(core->uc, exits, core->bp_count + 1);
}

static bool fpb_match(const struct sim_core *core, uint32_t pc)
{
	for (unsigned int i = 0; i < core->bp_count; i++)
		if (core->bp_addr[i] == pc)
			return true;
	return false;
}

/* ---- DCRSR ------------------------------------------------------------ */

static int regsel_to_uc(struct sim_core *core, uint32_t regsel)
{
	if (regsel <= 12)
		return UC_ARM_REG_R0 + (int)regsel;
	switch (regsel) {
	case 13: return UC_ARM_REG_SP;
	case 14: return UC_ARM_REG_LR;
	case 15: return UC_ARM_REG_PC;
	case 16: return UC_ARM_REG_XPSR;
	case 17: return UC_ARM_REG_MSP;
	case 18: return UC_ARM_REG_PSP;
	}
	if (!core->has_fpu)
		return -1;
	if (regsel == 0x21)
		return UC_ARM_REG_FPSCR;
	if (regsel >= 0x40 && regsel < 0x60)
		return UC_ARM_REG_S0 + (int)(regsel - 0x40);
	return -1;
}

static void dcrsr_transfer(struct sim_core *core, uint32_t dcrsr)
{
	uint32_t regsel = dcrsr & 0x7F;
	bool write = dcrsr & (1u << 16);

	if (core->state != SIM_CORE_HALTED)
		return;		/* only valid in Debug state */
	if (regsel == 20) {
		if (write) {
			reg_set(core, UC_ARM_REG_PRIMASK, core->dcrdr & 1);
			reg_set(core, UC_ARM_REG_BASEPRI, (core->dcrdr >> 8) & 0xFF);
			reg_set(core, UC_ARM_REG_FAULTMASK, (core->dcrdr >> 16) & 1);
			reg_set(core, UC_ARM_REG_CONTROL, (core->dcrdr >> 24) & 7);
		} else {
			core->dcrdr = (reg_get(core, UC_ARM_REG_PRIMASK) & 1) |
				((reg_get(core, UC_ARM_REG_BASEPRI) & 0xFF) << 8) |
				((reg_get(core, UC_ARM_REG_FAULTMASK) & 1) << 16) |
				((reg_get(core, UC_ARM_REG_CONTROL) & 7) << 24);
		}
		return;
	}
	int reg = regsel_to_uc(core, regsel);
	if (reg < 0) {
		if (!write)
			core->dcrdr = 0;
		return;
	}
	if (!write) {
		core->dcrdr = reg_get(core, reg);
		if (regsel == 16 && reg_get(core, UC_ARM_REG_PC) == LOCKUP_PC)
			core->dcrdr |= 1u << 24;
		return;
	}
	uint32_t v = core->dcrdr;
	if (regsel == 15)
		v |= 1;			/* EPSR.T is kept; bit 0 of the PC is ignored */
	else if (regsel == 16)
		v |= 1u << 24;		/* a Thumb-only core: keep T */
	reg_set(core, reg, v);
}

/* ---- AIRCR / reset ----------------------------------------------------- */

static void do_reset_request(struct sim_core *core, enum reset_request req)
{
	if (req == RESET_SYSTEM) {
		if (core->sysreset) {
			core->sysreset(core->sysreset_ctx);
		} else {
			sim_bus_reset_devices(core->bus);
			sim_core_reset(core);
		}
	} else if (req == RESET_CORE) {
		sim_core_reset(core);
	}
}

void sim_core_reset(struct sim_core *core)
{
	static const int zero_regs[] = {
		UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3, UC_ARM_REG_R4,
		UC_ARM_REG_R5, UC_ARM_REG_R6, UC_ARM_REG_R7, UC_ARM_REG_R8, UC_ARM_REG_R9,
		UC_ARM_REG_R10, UC_ARM_REG_R11, UC_ARM_REG_R12,
	};
	for (unsigned int i = 0; i < sizeof(zero_regs) / sizeof(zero_regs[0]); i++)
		reg_set(core, zero_regs[i], 0);
	reg_set(core, UC_ARM_REG_XPSR, 1u << 24);
	reg_set(core, UC_ARM_REG_CONTROL, 0);
	reg_set(core, UC_ARM_REG_PRIMASK, 0);
	reg_set(core, UC_ARM_REG_FAULTMASK, 0);
	reg_set(core, UC_ARM_REG_BASEPRI, 0);
	reg_set(core, UC_ARM_REG_LR, 0xFFFFFFFF);
	reg_set(core, UC_ARM_REG_PSP, 0);

	core->vtor = core->reset_vtor;
	core->shcsr = core->cfsr = core->hfsr = core->mmfar = core->bfar = 0;
	core->cpacr = 0;
	core->scr = 0;
	core->aircr_prigroup = 0;
	core->ccr = core->type == SIM_CORE_M3 ? 0x200 : 0x200;
	memset(core->scs_plain, 0, sizeof(core->scs_plain));
	core->event = EVENT_NONE;
	core->mem_invalid = false;
	core->reset_request = RESET_NONE;
	core->step_pending = false;
	core->s_reset_st = true;
	core->counters.resets++;
	sim_bus_invalidate_code(core->bus);

	if (core->state == SIM_CORE_RESET_HELD)
		return;
	uint32_t sp, pc;
	core->state = SIM_CORE_RUNNING;
	if (!mem_read32(core, core->vtor, &sp) || !mem_read32(core, core->vtor + 4, &pc)) {
		lockup(core);
		return;
	}
	reg_set(core, UC_ARM_REG_MSP, sp & ~3u);
	reg_set(core, UC_ARM_REG_PC, pc | 1);
	if (!(pc & 1)) {
		/* reset vector without the Thumb bit: INVSTATE escalates to a
		 * HardFault taken before the first instruction */
		core->hfsr |= HFSR_FORCED;
		core->cfsr |= CFSR_INVSTATE;
		take_exception(core, EXC_HARDFAULT, pc & ~1u);
		if (core->state != SIM_CORE_RUNNING)
			return;
	}
	if ((core->dhcsr_ctrl & C_DEBUGEN) && (core->demcr & VC_CORERESET))
		enter_debug(core, DFSR_VCATCH);
	else if ((core->dhcsr_ctrl & C_DEBUGEN) && (core->dhcsr_ctrl & C_HALT))
		enter_debug(core, DFSR_HALTED);
}

void sim_core_hold_reset(struct sim_core *core, bool held)
{
	if (held) {
		core->state = SIM_CORE_RESET_HELD;
		core->s_reset_st = true;
		return;
	}
	if (core->state != SIM_CORE_RESET_HELD)
		return;
	core->state = SIM_CORE_RUNNING;
	sim_core_reset(core);
}

/* ---- SCS device -------------------------------------------------------- */

static void dhcsr_write(struct sim_core *core, uint32_t value)
{
	if ((value & 0xFFFF0000u) != DHCSR_DBGKEY)
		return;
	uint32_t ctrl = value & C_WRITABLE;
	if (!(ctrl & C_DEBUGEN))
		ctrl &= ~(C_HALT | C_STEP | C_MASKINTS);
	if ((ctrl ^ core->dhcsr_ctrl) & C_DEBUGEN)
		core->fpb_dirty = true;	/* breakpoints only act with C_DEBUGEN */
	core->dhcsr_ctrl = ctrl;
	if (!(ctrl & C_DEBUGEN)) {
		if (core->state == SIM_CORE_HALTED) {
			core->state = SIM_CORE_RUNNING;
			core->resumes++;
		}
		return;
	}
	switch (core->state) {
	case SIM_CORE_RUNNING:
	case SIM_CORE_SLEEPING:
	case SIM_CORE_LOCKUP:
		if (ctrl & C_HALT)
			enter_debug(core, DFSR_HALTED);
		break;
	case SIM_CORE_HALTED:
		if (!(ctrl & C_HALT)) {
			core->state = SIM_CORE_RUNNING;
			core->step_pending = ctrl & C_STEP;
			core->resumes++;
		}
		break;
	case SIM_CORE_RESET_HELD:
		break;
	}
}

static uint32_t dhcsr_read(struct sim_core *core)
{
	uint32_t v = core->dhcsr_ctrl | S_REGRDY;
	if (core->state == SIM_CORE_HALTED)
		v |= S_HALT;
	if (core->state == SIM_CORE_SLEEPING)
		v |= S_SLEEP;
	if (core->state == SIM_CORE_LOCKUP)
		v |= S_LOCKUP;
	if (core->s_retire_st)
		v |= S_RETIRE_ST;
	if (core->s_reset_st || core->state == SIM_CORE_RESET_HELD)
		v |= S_RESET_ST;
	core->s_retire_st = false;
	core->s_reset_st = false;
	return v;
}

static uint32_t scs_read32(struct sim_core *core, uint32_t off)
{
	uint32_t v;
	if (off >= 0xFBC && sim_coresight_id_read(core->rom_kind, SIM_CS_SCS, off, &v))
		return v;
	switch (off) {
	case 0xD00: return core->cpuid;
	case 0xD04: return reg_get(core, UC_ARM_REG_XPSR) & 0x1FF;	/* ICSR.VECTACTIVE */
	case 0xD08: return core->vtor;
	case 0xD0C: return 0xFA050000u | (core->aircr_prigroup << 8);
	case 0xD10: return core->scr;
	case 0xD14: return core->ccr;
	case 0xD24: return core->shcsr;
	case 0xD28: return core->cfsr;
	case 0xD2C: return core->hfsr;
	case 0xD30: return core->dfsr;
	case 0xD34: return core->mmfar;
	case 0xD38: return core->bfar;
	case 0xD88: return core->cpacr;
	case 0xDF0: return dhcsr_read(core);
	case 0xDF4: return 0;		/* DCRSR is write-only */
	case 0xDF8: return core->dcrdr;
	case 0xDFC: return core->demcr;
	case 0xF40: return core->mvfr0;
	case 0xF44: return core->mvfr1;
	case 0xF48: return core->mvfr2;
	default: return core->scs_plain[off / 4];
	}
}

static void scs_write32(struct sim_core *core, uint32_t off, uint32_t v)
{
	switch (off) {
	case 0xD00: case 0xD04: case 0xF40: case 0xF44: case 0xF48:
		return;		/* read-only / pend bits not modelled */
	case 0xD08: core->vtor = v & 0xFFFFFF80u; return;
	case 0xD0C:
		if ((v >> 16) != 0x05FA)
			return;
		core->aircr_prigroup = (v >> 8) & 7;
		if (v & 4)
			core->reset_request = RESET_SYSTEM;
		else if (v & 1)
			core->reset_request = RESET_CORE;
		else
			return;
		if (core->executing) {
			core_stop(core);	/* applied when the CPU is stopped */
		} else {
			enum reset_request req = core->reset_request;
			core->reset_request = RESET_NONE;
			do_reset_request(core, req);
		}
		return;
	case 0xD10: core->scr = v & 0x16; return;
	case 0xD14: core->ccr = v; return;
	case 0xD24: core->shcsr = v; return;
	case 0xD28: core->cfsr &= ~v; return;
	case 0xD2C: core->hfsr &= ~v; return;
	case 0xD30: core->dfsr &= ~v; return;
	case 0xD34: core->mmfar = v; return;
	case 0xD38: core->bfar = v; return;
	case 0xD88: core->cpacr = v & 0x00F00000u; return;
	case 0xDF0: dhcsr_write(core, v); return;
	case 0xDF4: dcrsr_transfer(core, v); return;
	case 0xDF8: core->dcrdr = v; return;
	case 0xDFC: core->demcr = v & 0x010F07F1u; return;
	default:
		if (off >= 0xFBC)
			return;
		core->scs_plain[off / 4] = v;
		return;
	}
}

/* Sub-word accesses: read the word and extract; writes merge into storage
 * for plain registers and act as word writes for the others. */
static int scs_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_core *core = opaque;
	uint32_t word = scs_read32(core, offset & ~3u);
	unsigned int shift = 8 * (offset & 3);
	*value = size == 4 ? word : (word >> shift) & ((1u << (8 * size)) - 1);
	return 0;
}

static int scs_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_core *core = opaque;
	uint32_t off = offset & ~3u;
	if (size != 4) {
		unsigned int shift = 8 * (offset & 3);
		uint32_t mask = ((1u << (8 * size)) - 1) << shift;
		uint32_t cur = (off < 0xD00 || (off >= 0xD18 && off < 0xD24) ||
				(off >= 0xD90 && off < 0xDF0)) ? core->scs_plain[off / 4] : 0;
		value = (cur & ~mask) | ((value << shift) & mask);
	}
	scs_write32(core, off, value);
	return 0;
}

static const struct sim_device_ops scs_ops = { scs_read, scs_write };

/* ---- DWT ---------------------------------------------------------------- */

static uint32_t dwt_read32(struct sim_core *core, uint32_t off)
{
	uint32_t v;
	if (off >= 0xFBC && sim_coresight_id_read(core->rom_kind, SIM_CS_DWT, off, &v))
		return v;
	if (off == 0x000)
		return ((uint32_t)DWT_NUM_COMP << 28) | (core->dwt_ctrl & 0x0FFFFFFFu);
	if (off == 0x004)
		return core->dwt_cyccnt;
	if (off >= 0x020 && off < 0x020 + 16 * DWT_NUM_COMP) {
		unsigned int n = (off - 0x20) / 16;
		switch (off & 0xF) {
		case 0x0: return core->dwt_comp[n];
		case 0x4: return core->dwt_mask[n];
		case 0x8: return core->dwt_func[n] & ~(1u << 24);	/* MATCHED never set */
		}
	}
	return 0;
}

static int dwt_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	uint32_t word = dwt_read32(opaque, offset & ~3u);
	*value = size == 4 ? word : (word >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
	return 0;
}

static int dwt_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_core *core = opaque;
	uint32_t off = offset & ~3u;
	if (size != 4)
		value <<= 8 * (offset & 3);
	if (off == 0x000) {
		core->dwt_ctrl = value & 0x0FFFFFFFu;
	} else if (off == 0x004) {
		core->dwt_cyccnt = value;
	} else if (off >= 0x020 && off < 0x020 + 16 * DWT_NUM_COMP) {
		unsigned int n = (off - 0x20) / 16;
		switch (off & 0xF) {
		case 0x0: core->dwt_comp[n] = value; break;
		case 0x4: core->dwt_mask[n] = value & 0x1F; break;
		case 0x8: core->dwt_func[n] = value & 0x000FFFFFu; break;
		}
	}
	return 0;
}

static const struct sim_device_ops dwt_ops = { dwt_read, dwt_write };

/* ---- FPB ---------------------------------------------------------------- */

static uint32_t fpb_read32(struct sim_core *core, uint32_t off)
{
	uint32_t v;
	if (off >= 0xFBC && sim_coresight_id_read(core->rom_kind, SIM_CS_FPB, off, &v))
		return v;
	if (off == 0x000)
		return ((core->fpb_v2 ? 1u : 0u) << 28) | ((core->fpb_code >> 4) << 12) |
		       (core->fpb_lit << 8) | ((core->fpb_code & 0xF) << 4) |
		       (core->fpb_enable ? 1u : 0u);
	if (off == 0x004)
		return 0;	/* FP_REMAP: remapping not supported */
	if (off >= 0x008 && off < 0x008 + 4 * (core->fpb_code + core->fpb_lit))
		return core->fp_comp[(off - 8) / 4];
	return 0;
}

static int fpb_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	uint32_t word = fpb_read32(opaque, offset & ~3u);
	*value = size == 4 ? word : (word >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
	return 0;
}

static int fpb_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_core *core = opaque;
	uint32_t off = offset & ~3u;
	if (size != 4)
		value <<= 8 * (offset & 3);
	if (off == 0x000) {
		if (value & 2) {	/* KEY */
			core->fpb_enable = value & 1;
			core->fpb_dirty = true;
		}
	} else if (off >= 0x008 && off < 0x008 + 4 * (core->fpb_code + core->fpb_lit)) {
		unsigned int n = (off - 8) / 4;
		if (n < FPB_MAX_COMP)
			core->fp_comp[n] = value;
		core->fpb_dirty = true;
	}
	if (core->fpb_dirty && !core->executing)
		fpb_apply(core);
	else if (core->fpb_dirty)
		core_stop(core);
	return 0;
}

static const struct sim_device_ops fpb_ops = { fpb_read, fpb_write };

/* ---- ITM (storage + ID block) -------------------------------------------- */

static int itm_read(void *opaque, uint32_t offset, unsigned int size, uint32_t *value)
{
	struct sim_core *core = opaque;
	uint32_t off = offset & ~3u, word;
	if (!(off >= 0xFBC && sim_coresight_id_read(core->rom_kind, SIM_CS_ITM, off, &word)))
		word = core->itm_plain[off / 4];
	*value = size == 4 ? word : (word >> (8 * (offset & 3))) & ((1u << (8 * size)) - 1);
	return 0;
}

static int itm_write(void *opaque, uint32_t offset, unsigned int size, uint32_t value)
{
	struct sim_core *core = opaque;
	uint32_t off = offset & ~3u;
	if (off >= 0xFBC)
		return 0;
	if (size != 4) {
		unsigned int shift = 8 * (offset & 3);
		uint32_t mask = ((1u << (8 * size)) - 1) << shift;
		value = (core->itm_plain[off / 4] & ~mask) | ((value << shift) & mask);
	}
	core->itm_plain[off / 4] = value;
	return 0;
}

static const struct sim_device_ops itm_ops = { itm_read, itm_write };

/* ---- life cycle ----------------------------------------------------------- */

struct sim_core *sim_core_create(enum sim_core_type type, struct sim_bus *bus,
				 uint32_t reset_vtor, char *err, size_t err_len)
{
	struct sim_core *core = calloc(1, sizeof(*core));
	if (!core) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	core->type = type;
	core->bus = bus;
	core->reset_vtor = reset_vtor;
	/* The CPU runs on this thread: its idle sleeps (sim_core_idle) end
	 * when asked, not up to 50 us later (the default timer slack). */
	prctl(PR_SET_TIMERSLACK, 1000UL, 0, 0, 0);
	int model;
	switch (type) {
	case SIM_CORE_M3:
		model = UC_CPU_ARM_CORTEX_M3;
		core->cpuid = 0x411FC231;
		core->rom_kind = SIM_ROM_CORTEX_M3;
		core->fpb_code = 6;
		core->fpb_lit = 2;
		break;
	case SIM_CORE_M4:
		model = UC_CPU_ARM_CORTEX_M4;
		core->cpuid = 0x410FC241;
		core->rom_kind = SIM_ROM_CORTEX_M4;
		core->fpb_code = 6;
		core->fpb_lit = 2;
		core->has_fpu = true;
		core->mvfr0 = 0x10110021;
		core->mvfr1 = 0x11000011;
		break;
	case SIM_CORE_M7:
	default:
		model = UC_CPU_ARM_CORTEX_M7;
		core->cpuid = 0x411FC271;
		core->rom_kind = SIM_ROM_CORTEX_M7;
		core->fpb_code = 8;
		core->fpb_lit = 0;
		core->fpb_v2 = true;
		core->has_fpu = true;
		core->mvfr0 = 0x10110221;
		core->mvfr1 = 0x12000011;
		core->mvfr2 = 0x00000040;
		break;
	}
	uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &core->uc);
	if (e == UC_ERR_OK)
		e = uc_ctl_set_cpu_model(core->uc, model);
	if (e != UC_ERR_OK) {
		snprintf(err, err_len, "Unicorn: %s", uc_strerror(e));
		if (core->uc)
			uc_close(core->uc);
		free(core);
		return NULL;
	}
	uc_ctl_exits_enable(core->uc);
	fpb_apply(core);
	uc_hook_add(core->uc, &core->hook_intr, UC_HOOK_INTR, hook_intr, core, 1, 0);
	uc_hook_add(core->uc, &core->hook_block, UC_HOOK_BLOCK, hook_block, core, 1, 0);
	uc_hook_add(core->uc, &core->hook_invalid, UC_HOOK_MEM_INVALID, hook_mem_invalid, core,
		    1, 0);

	const struct sim_device devs[] = {
		{ "itm", 0xE0000000, 0x1000, &itm_ops, core, NULL, false },
		{ "dwt", 0xE0001000, 0x1000, &dwt_ops, core, NULL, false },
		{ "fpb", 0xE0002000, 0x1000, &fpb_ops, core, NULL, false },
		{ "scs", 0xE000E000, 0x1000, &scs_ops, core, NULL, false },
	};
	for (unsigned int i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		if (sim_bus_add_device(bus, &devs[i])) {
			snprintf(err, err_len, "cannot add %s to the bus (overlap?)", devs[i].name);
			uc_close(core->uc);
			free(core);
			return NULL;
		}
	}
	sim_bus_set_cpu_stop(bus, core_stop_cb, core);
	core->code_map = sim_bus_code_map(bus);
	if (!core->code_map) {
		snprintf(err, err_len, "out of memory");
		uc_close(core->uc);
		free(core);
		return NULL;
	}
	if (sim_bus_attach_cpu(bus, core->uc)) {
		snprintf(err, err_len, "cannot map the bus into the CPU");
		uc_close(core->uc);
		free(core);
		return NULL;
	}
	return core;
}

void sim_core_destroy(struct sim_core *core)
{
	if (!core)
		return;
	uc_close(core->uc);
	free(core);
}

void sim_core_set_sysreset(struct sim_core *core, sim_core_sysreset_fn fn, void *ctx)
{
	core->sysreset = fn;
	core->sysreset_ctx = ctx;
}

void sim_core_count_blocks(struct sim_core *core, bool on)
{
	core->counting = on;	/* hook_block is always installed */
}

enum sim_core_state sim_core_state(const struct sim_core *core)
{
	return core->state;
}

bool sim_core_runnable(const struct sim_core *core)
{
	return core->state == SIM_CORE_RUNNING;
}

/* From another thread: honoured at the next block boundary (see core_stop). */
void sim_core_request_stop(struct sim_core *core)
{
	core->stop_requested = true;
}

/* sim_core_idle(): waits shorter than this spin; the wake-up comes this
 * long before the end (the host's wake-up latency), then the CPU spins. */
#define SIM_CORE_IDLE_MIN_NS	60000u
#define SIM_CORE_IDLE_MARGIN_NS	40000u
#define SIM_CORE_IDLE_STEP_NS	50000u
#define SIM_CORE_IDLE_MAX_NS	1000000u

void sim_core_idle(struct sim_core *core, uint64_t ns)
{
	if (!core->executing || ns < SIM_CORE_IDLE_MIN_NS)
		return;
	if (ns > SIM_CORE_IDLE_MAX_NS + SIM_CORE_IDLE_MARGIN_NS)
		ns = SIM_CORE_IDLE_MAX_NS + SIM_CORE_IDLE_MARGIN_NS;
	uint64_t end = sim_clock_ns() + ns - SIM_CORE_IDLE_MARGIN_NS;
	core->counters.idles++;
	__atomic_store_n(&core->idling, true, __ATOMIC_RELAXED);
	while (!core->stop_requested && !core->stop_deferred) {
		uint64_t now = sim_clock_ns();
		if (now >= end)
			break;
		uint64_t step = end - now < SIM_CORE_IDLE_STEP_NS ? end - now : SIM_CORE_IDLE_STEP_NS;
		struct timespec ts = { 0, (long)step };
		nanosleep(&ts, NULL);
	}
	__atomic_store_n(&core->idling, false, __ATOMIC_RELAXED);
}

bool sim_core_idling(const struct sim_core *core)
{
	return __atomic_load_n(&core->idling, __ATOMIC_RELAXED);
}

bool sim_core_dhcsr_read_running(const struct sim_core *core, uint32_t *value)
{
	if (__atomic_load_n(&core->state, __ATOMIC_ACQUIRE) != SIM_CORE_RUNNING ||
	    __atomic_load_n(&core->s_reset_st, __ATOMIC_RELAXED))
		return false;
	*value = __atomic_load_n(&core->dhcsr_ctrl, __ATOMIC_RELAXED) | S_REGRDY | S_RETIRE_ST;
	return true;
}

/*
 * Unicorn 2.0.1 ends uc_emu_start at WFI without telling a hook (QEMU halts
 * the vCPU); recognise it by the instruction just before the PC.
 */
static bool after_wfi(struct sim_core *core, uint32_t pc)
{
	uint32_t a = 0, b = 0;
	if (sim_bus_read(core->bus, pc - 2, 2, &a) == 0 && a == 0xBF30)
		return true;		/* WFI */
	if (sim_bus_read(core->bus, pc - 4, 2, &a) == 0 &&
	    sim_bus_read(core->bus, pc - 2, 2, &b) == 0 && a == 0xF3AF && b == 0x8003)
		return true;		/* WFI.W */
	return false;
}

/* Turn what the hooks recorded into architectural effects. */
static void handle_stop(struct sim_core *core, uc_err err, bool external_stop)
{
	uint32_t fault_addr;
	bool fault_write;

	if (core->reset_request != RESET_NONE) {
		enum reset_request req = core->reset_request;
		core->reset_request = RESET_NONE;
		core->event = EVENT_NONE;
		core->mem_invalid = false;
		sim_bus_take_cpu_fault(core->bus, NULL, NULL);
		do_reset_request(core, req);
		return;
	}
	if (core->mem_invalid && err != UC_ERR_OK) {
		uc_mem_type t = core->mem_invalid_type;
		uint32_t a = core->mem_invalid_addr;
		uint32_t pc = reg_get(core, UC_ARM_REG_PC);
		core->mem_invalid = false;
		if (t == UC_MEM_FETCH_UNMAPPED || t == UC_MEM_FETCH_PROT) {
			take_fault(core, EXC_BUSFAULT, CFSR_IBUSERR, a);
		} else {
			core->bfar = a;
			take_fault(core, EXC_BUSFAULT, CFSR_PRECISERR | CFSR_BFARVALID, pc);
		}
		return;
	}
	core->mem_invalid = false;
	if (err != UC_ERR_OK) {
		fprintf(stderr, "sim_core: execution stopped at 0x%08x: %s; core locked up\n",
			reg_get(core, UC_ARM_REG_PC), uc_strerror(err));
		lockup(core);
		return;
	}
	if (sim_bus_take_cpu_fault(core->bus, &fault_addr, &fault_write)) {
		(void)fault_addr; (void)fault_write;
		take_fault(core, EXC_BUSFAULT, CFSR_IMPRECISERR, reg_get(core, UC_ARM_REG_PC));
		return;
	}
	enum core_event ev = core->event;
	core->event = EVENT_NONE;
	switch (ev) {
	case EVENT_NONE: {
		uint32_t pc = reg_get(core, UC_ARM_REG_PC);
		if ((core->dhcsr_ctrl & C_DEBUGEN) && fpb_match(core, pc))
			enter_debug(core, DFSR_BKPT);
		else if (!external_stop && after_wfi(core, pc))
			core->state = SIM_CORE_SLEEPING;
		break;
	}
	case EVENT_EXC_RETURN:
		exception_return(core, core->event_return_pc);
		break;
	case EVENT_SVC:
		take_exception(core, EXC_SVCALL, core->event_return_pc);
		break;
	case EVENT_FAULT:
		core->hfsr |= core->event_hfsr;
		if (core->event_exc == EXC_HARDFAULT) {
			core->cfsr |= core->event_cfsr;
			take_exception(core, EXC_HARDFAULT, core->event_return_pc);
		} else {
			take_fault(core, core->event_exc, core->event_cfsr, core->event_return_pc);
		}
		break;
	case EVENT_SLEEP:
		reg_set(core, UC_ARM_REG_PC, core->event_return_pc | 1);
		if (core->state == SIM_CORE_RUNNING)
			core->state = SIM_CORE_SLEEPING;
		break;
	case EVENT_LOCKUP:
		lockup(core);
		break;
	}
}

void sim_core_run(struct sim_core *core)
{
	if (core->state != SIM_CORE_RUNNING)
		return;
	if (core->fpb_dirty)
		fpb_apply(core);
	sim_bus_sync_cpu(core->bus);

	bool step = core->step_pending;
	uint32_t pc = reg_get(core, UC_ARM_REG_PC);
	/*
	 * A breakpoint at the resume address halts the core before anything
	 * runs, as the FPB matches the first fetch.  Started on one of its
	 * exits, Unicorn 2.0.1 spins without running a block until it is
	 * stopped from outside: the halt came only with the debugger's next
	 * register access (OpenOCD's `resume` at a `b .` with a breakpoint on
	 * it, after it stepped over that breakpoint).
	 */
	if (!step && (core->dhcsr_ctrl & C_DEBUGEN) && fpb_match(core, pc)) {
		enter_debug(core, DFSR_BKPT);
		return;
	}
	core->executing = true;
	core->s_retire_st = true;
	core->counters.runs++;
	uc_err err = uc_emu_start(core->uc, pc | 1, 0xFFFFFFFFull, 0, step ? 1 : 0);
	core->executing = false;
	bool external_stop = core->stop_requested;
	core->stop_requested = false;
	handle_stop(core, err, external_stop);
	if (step) {
		core->counters.steps++;
		core->step_pending = false;
		if (core->state == SIM_CORE_RUNNING || core->state == SIM_CORE_SLEEPING)
			enter_debug(core, DFSR_HALTED);
	}
}

void sim_core_halt(struct sim_core *core)
{
	dhcsr_write(core, DHCSR_DBGKEY | C_DEBUGEN | C_HALT);
}

uint32_t sim_core_pc(struct sim_core *core)
{
	return reg_get(core, UC_ARM_REG_PC);
}

const struct sim_core_counters *sim_core_counters(const struct sim_core *core)
{
	return &core->counters;
}

uint64_t sim_core_resumes(const struct sim_core *core)
{
	return core->resumes;
}

uint64_t sim_core_blocks_run(const struct sim_core *core)
{
	return __atomic_load_n(&core->blocks_run, __ATOMIC_RELAXED);
}

struct uc_struct *sim_core_engine(struct sim_core *core)
{
	return core->uc;
}
