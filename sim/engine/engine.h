/* engine.h - what both engines (functional and timing) report and how a
 * run can end.  The machine counts cache, bus and memory traffic; the
 * engine counts time and operations per core. */
#ifndef LABYRINTH_ENGINE_H
#define LABYRINTH_ENGINE_H

#include <glib.h>
#include <stdint.h>

#include "input/workload.h"
#include "machine/machine.h"

typedef struct {
	uint64_t cycles;       /* when the core finished (turns in functional mode) */
	uint64_t operations;   /* workload lines completed */
	uint64_t stall_cycles; /* waiting: memory, bus, locks, barriers */
	uint64_t lock_acquires;
	uint64_t lock_wait_cycles; /* from a lock's first attempt to its acquisition */
} CoreRunStats;

/* Where each core is, kept current by the engine so that observers of the
 * machine (the event trace, the timeline) can say which operation an access
 * belongs to.  Updated before every access the engine performs. */
typedef struct {
	uint64_t cycle;    /* now (turn in functional mode) */
	uint64_t op_index; /* index of the operation in this core's stream, from 0 */
	uint32_t line;     /* its workload line */
	uint8_t op_kind;   /* its WlOpKind */
	const char *kstep; /* the allocator step when the access is the kernel's, else NULL */
} CoreWhere;

/* What only timing mode measures; NULL in functional mode. */
typedef struct {
	uint64_t bus_busy_cycles;
	struct Histogram *bus_queue_delay;  /* request to grant, cycles */
	struct Histogram *miss_latency_mem; /* issue to completion, line from memory */
	struct Histogram *miss_latency_c2c; /* issue to completion, line from a cache */
	uint64_t lock_handoffs; /* lock acquisitions by another core than the last holder */
} TimingStats;

typedef struct {
	uint64_t cycles;       /* the whole run (turns in functional mode) */
	uint64_t operations;   /* all cores */
	CoreRunStats *cores;   /* [n_cores] */
	unsigned n_cores;
	TimingStats *timing;   /* timing mode only */
	CoreWhere *where;      /* [n_cores] */
	const struct TimingProbe *probe; /* NULL, or who timing mode tells when the
					  * bus is held and how many pages are
					  * free (report/timeline.c); not owned */
} RunResult;

/* What timing mode reports over time to whoever listens (the timeline):
 * the interconnect was held over [from, to), and the allocator had `pages`
 * free pages at `cycle` (after each alloc and free, and at the start). */
typedef struct TimingProbe {
	void (*bus_busy)(void *data, uint64_t from, uint64_t to);
	void (*free_pages)(void *data, uint64_t cycle, uint64_t pages);
	void *data;
} TimingProbe;

/* The one access of an ld, st, rmw or unlock, as machine_access() takes
 * it.  A st without a value stores its own line number: unique to that
 * store, so later =V checks stay meaningful (docs/design.md). */
typedef struct {
	AccessKind kind;
	uint64_t a, b;
} OpAccess;
static inline OpAccess engine_op_access(const WlOp *op)
{
	switch (op->kind) {
	case WL_OP_LD:
		return (OpAccess){ ACC_LOAD, 0, 0 };
	case WL_OP_ST:
		return (OpAccess){ ACC_STORE, op->has_value ? op->value : op->line, 0 };
	case WL_OP_RMW:
		return (OpAccess){ op->rmw == WL_RMW_ADD    ? ACC_RMW_ADD
				   : op->rmw == WL_RMW_XCHG ? ACC_RMW_XCHG
							    : ACC_RMW_CAS,
				   op->value, op->value2 };
	default: /* unlock */
		g_assert(op->kind == WL_OP_UNLOCK);
		return (OpAccess){ ACC_STORE, 0, 0 };
	}
}

/* An ld's =V check: FALSE with SIM_ERROR_CHECK and the message of
 * workload-format.md, "PATH:LINE: core C ld ADDR expected V, loaded W". */
gboolean engine_load_mismatch(const char *path, const WlOp *op, unsigned core, uint64_t addr,
			      uint64_t loaded, GError **error);
static inline gboolean engine_check_load(const char *path, const WlOp *op, unsigned core,
					 uint64_t addr, uint64_t loaded, GError **error)
{
	if (G_LIKELY(!op->has_expect || loaded == op->expect))
		return TRUE;
	return engine_load_mismatch(path, op, core, addr, loaded, error);
}

void run_result_init(RunResult *r, unsigned n_cores);
void run_result_clear(RunResult *r);

/* Errors a run can end with; each maps to an exit status of cli.md. */
#define SIM_ERROR (sim_error_quark())
GQuark sim_error_quark(void);
typedef enum {
	SIM_ERROR_CHECK = 1,    /* an `=V` check failed */
	SIM_ERROR_INPUT = 2,    /* bad input found while running (a register with no page) */
	SIM_ERROR_DEADLOCK = 4, /* no core can make progress */
} SimError;

#endif
