/* functional.c - functional mode: rounds of turns, or the file's order.
 *
 * Rounds (workload-format.md): in each round cores 0, 1, ... take one turn
 * each, skipping finished and waiting cores.  A turn runs one operation to
 * completion, bus traffic included; a lock takes one turn per attempt;
 * a barrier leaves the core waiting until every unfinished core waits, and
 * they are released at the end of that round.  Each core reads its own
 * lines through its own cursor, so no core's stream is buffered.
 *
 * Kernel calls (sim/kernel/kernel.h): alloc and free run the allocator's
 * whole operation in one turn, every access of it included.  lock_page
 * behaves like lock: one attempt (a test, and the test-and-set if the test
 * saw the page unlocked) per turn.  A GFP_KERNEL alloc that finds no page
 * sleeps: the core takes its turns without progress until a free, then
 * retries.  When no core makes progress in a round and at least one spins
 * on a lock or sleeps in alloc, nothing can ever change: a deadlock.
 * Registers r0..r15 of each core hold the pages alloc returned (regfile.h).
 *
 * File schedule: operations run one at a time in file order, whichever
 * core they belong to; workloads with lock, lock_page or barrier never get
 * here, and a GFP_KERNEL alloc that would sleep is a deadlock.
 *
 * Time is counted in turns: a round is one cycle of the whole machine, and
 * it is the time the allocator's statistics see.
 */
#include <glib.h>
#include <inttypes.h>

#include "functional.h"
#include "kcall.h"
#include "opstream.h"
#include "regfile.h"
#include "util/progress.h"

typedef enum { CORE_READY, CORE_WAITING, CORE_DONE } CoreStatus;

typedef enum {
	STEP_DONE,    /* the operation completed */
	STEP_RETRY,   /* a lock attempt failed: the same operation next turn */
	STEP_WAIT,    /* a barrier: completed, and the core now waits */
	STEP_BLOCKED, /* a GFP_KERNEL alloc sleeps: the same call next turn */
} StepResult;

typedef struct {
	WlOp op;       /* the next operation to run */
	int has_op;
	CoreStatus status;
	gboolean in_kernel; /* op is a kernel call that has begun */
	uint64_t addr;      /* op's address, registers resolved (lock, lock_page) */
} CoreCtx;

typedef struct {
	Machine *m;
	OpStreams *ops; /* rounds schedule only */
	Kernel *k; /* NULL when the workload does not use the allocator */
	RegFile *regs;
	WlFile *wl;
	RunResult *res;
	CoreCtx *cores;
	unsigned n;
	uint64_t now;                  /* turns: the round, or operations so far */
	GHashTable *lock_holders;      /* lock address -> holder core + 1 */
	GHashTable *page_lock_holders; /* page address -> holder core + 1 */
} Run;

static gboolean fetch(Run *r, unsigned c, GError **error)
{
	CoreCtx *cc = &r->cores[c];
	int got = opstreams_next(r->ops, c, &cc->op, error);
	if (got < 0)
		return FALSE;
	cc->has_op = got;
	return TRUE;
}

static gboolean at_line(Run *r, const WlOp *op, GError **error)
{
	g_prefix_error(error, "%s:%" PRIu32 ": ", wl_path(r->wl), op->line);
	return FALSE;
}

/* The address op names: plain, or rN + offset. */
/* rN + offset: the rare case, out of the way of plain addresses. */
static G_GNUC_NO_INLINE gboolean reg_addr(Run *r, const WlOp *op, uint64_t *addr, GError **error)
{
	if (regfile_resolve(r->regs, op->core, op->reg, op->addr, addr, error))
		return TRUE;
	return at_line(r, op, error);
}

static inline gboolean op_addr(Run *r, const WlOp *op, uint64_t *addr, GError **error)
{
	if (G_LIKELY(op->reg == WL_NO_REG)) {
		*addr = op->addr;
		return TRUE;
	}
	return reg_addr(r, op, addr, error);
}

/* Starts the kernel call of op on core c. */
static gboolean kernel_begin(Run *r, unsigned c, const WlOp *op, GError **error)
{
	if (op->kind == WL_OP_LOCK_PAGE)
		r->cores[c].addr = regfile_page(r->regs, c, op->reg);
	return kcall_begin(r->k, r->regs, c, op, r->now, error);
}

/* What a completed kernel call leaves in the registers and lock tables. */
static void kernel_finish(Run *r, unsigned c, const WlOp *op)
{
	if (op->kind == WL_OP_LOCK_PAGE)
		r->res->cores[c].lock_acquires++;
	kcall_finish(r->k, r->regs, r->page_lock_holders, c, op);
}

/* One turn of a kernel call: its accesses until it is done, spins on a
 * held lock, or sleeps. */
static G_GNUC_NO_INLINE gboolean kernel_turn(Run *r, unsigned c, const WlOp *op, StepResult *result,
			    GError **error)
{
	CoreCtx *cc = &r->cores[c];

	if (!r->k) {
		g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT, "%s needs the kernel allocator",
			    wl_op_name(op->kind));
		return at_line(r, op, error);
	}
	if (!cc->in_kernel) {
		if (!kernel_begin(r, c, op, error))
			return at_line(r, op, error);
		cc->in_kernel = TRUE;
	}
	for (;;) {
		KAccess acc;
		switch (kernel_next(r->k, c, &acc)) {
		case KSTEP_ACCESS: {
			r->res->where[c].kstep = acc.step;
			uint64_t v = kernel_perform(r->m, c, &acc);
			r->res->where[c].kstep = NULL;
			if (!kernel_complete(r->k, c, v, r->now, error))
				return at_line(r, op, error);
			break;
		}
		case KSTEP_SPIN:
			*result = STEP_RETRY;
			return TRUE;
		case KSTEP_BLOCKED:
			*result = STEP_BLOCKED;
			return TRUE;
		case KSTEP_DONE:
			cc->in_kernel = FALSE;
			kernel_finish(r, c, op);
			*result = STEP_DONE;
			return TRUE;
		}
	}
}

/* Runs one turn of op on core c. */
static gboolean step(Run *r, unsigned c, const WlOp *op, StepResult *result, GError **error)
{
	/* Observers (event trace, timeline) read where the core is. */
	CoreWhere *w = &r->res->where[c];
	w->cycle = r->now;
	w->op_index = r->res->cores[c].operations;
	w->line = op->line;
	w->op_kind = op->kind;
	w->kstep = NULL;

	Machine *m = r->m;
	uint64_t addr;
	*result = STEP_DONE;
	switch ((WlOpKind)op->kind) {
	case WL_OP_LD:
	case WL_OP_ST:
	case WL_OP_RMW: {
		if (!op_addr(r, op, &addr, error))
			return FALSE;
		OpAccess acc = engine_op_access(op);
		uint64_t v = machine_access(m, c, acc.kind, addr, acc.a, acc.b);
		return op->kind != WL_OP_LD ||
		       engine_check_load(wl_path(r->wl), op, c, addr, v, error);
	}
	case WL_OP_COMPUTE:
		return TRUE;
	case WL_OP_LOCK:
		if (!op_addr(r, op, &addr, error))
			return FALSE;
		r->cores[c].addr = addr;
		/* Test, then test-and-set: one load; the exchange only if the
		 * load saw the lock free. */
		if (machine_access(m, c, ACC_LOAD, addr, 0, 0) == 0 &&
		    machine_access(m, c, ACC_RMW_XCHG, addr, 1, 0) == 0) {
			r->res->cores[c].lock_acquires++;
			g_hash_table_insert(r->lock_holders, GSIZE_TO_POINTER(addr),
					    GUINT_TO_POINTER(c + 1));
			return TRUE;
		}
		*result = STEP_RETRY;
		return TRUE;
	case WL_OP_UNLOCK:
		if (!op_addr(r, op, &addr, error))
			return FALSE;
		machine_access(m, c, ACC_STORE, addr, 0, 0); /* unlock: store 0 */
		g_hash_table_remove(r->lock_holders, GSIZE_TO_POINTER(addr));
		return TRUE;
	case WL_OP_BARRIER:
		*result = STEP_WAIT;
		return TRUE;
	case WL_OP_ALLOC:
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		return kernel_turn(r, c, op, result, error);
	case WL_N_OPS:
		break;
	}
	g_assert_not_reached();
}

static const char *status_name(const Run *r, unsigned c)
{
	switch (r->cores[c].status) {
	case CORE_DONE:
		return "has finished";
	case CORE_WAITING:
		return "is waiting at a barrier";
	case CORE_READY:
		break;
	}
	return "is running";
}

static void append_holder(Run *r, GString *msg, GHashTable *holders, uint64_t addr,
			  const char *otherwise)
{
	gpointer v = g_hash_table_lookup(holders, GSIZE_TO_POINTER(addr));
	if (v) {
		unsigned h = GPOINTER_TO_UINT(v) - 1;
		g_string_append_printf(msg, " held by core %u, which %s;", h, status_name(r, h));
	} else {
		g_string_append_printf(msg, " %s;", otherwise);
	}
}

/* No core made progress this round, and each unfinished one spun on a
 * lock, spun on a page lock, slept in alloc or waited at a barrier:
 * nothing can ever change. */
static void report_deadlock(Run *r, GError **error)
{
	GString *msg = g_string_new("deadlock:");
	for (unsigned c = 0; c < r->n; c++) {
		const CoreCtx *cc = &r->cores[c];
		if (cc->status != CORE_READY)
			continue;
		const char *path = wl_path(r->wl);
		switch (cc->op.kind) {
		case WL_OP_LOCK:
			g_string_append_printf(msg, " lock 0x%" PRIx64 " (%s:%" PRIu32 ") wanted by core %u;",
					       cc->addr, path, cc->op.line, c);
			append_holder(r, msg, r->lock_holders, cc->addr, "set by a store, not by a lock");
			break;
		case WL_OP_LOCK_PAGE:
			g_string_append_printf(msg,
					       " page lock of 0x%" PRIx64 " (%s:%" PRIu32
					       ") wanted by core %u;",
					       cc->addr, path, cc->op.line, c);
			append_holder(r, msg, r->page_lock_holders, cc->addr, "held by no one known");
			break;
		case WL_OP_ALLOC: {
			KZoneInfo zi;
			kernel_zone_info(r->k, &zi);
			g_string_append_printf(msg,
					       " GFP_KERNEL alloc (%s:%" PRIu32 ") by core %u sleeps: "
					       "%" PRIu64 " free pages (min watermark %" PRIu64
					       ") and no core left to free one;",
					       path, cc->op.line, c, zi.buddy_pages + zi.pcp_pages,
					       zi.min);
			break;
		}
		default:
			g_assert_not_reached();
		}
	}
	g_string_truncate(msg, msg->len - 1);
	g_set_error_literal(error, SIM_ERROR, SIM_ERROR_DEADLOCK, msg->str);
	g_string_free(msg, TRUE);
}

static gboolean run_rounds(Run *r, Progress *prog, GError **error)
{
	RunResult *res = r->res;
	unsigned active = 0;
	if (!(r->ops = opstreams_new(r->wl, r->n, error)))
		return FALSE;
	for (unsigned c = 0; c < r->n; c++) {
		if (!fetch(r, c, error))
			return FALSE;
		r->cores[c].status = r->cores[c].has_op ? CORE_READY : CORE_DONE;
		active += r->cores[c].has_op;
	}

	uint64_t round = 0;
	while (active > 0) {
		round++;
		r->now = round;
		int progressed = 0, stuck = 0;
		unsigned ready = 0, waiting = 0;
		for (unsigned c = 0; c < r->n; c++) {
			CoreCtx *cc = &r->cores[c];
			CoreRunStats *cs = &res->cores[c];
			if (cc->status == CORE_WAITING) {
				cs->stall_cycles++;
				continue;
			}
			if (cc->status != CORE_READY)
				continue;
			StepResult sr;
			if (!step(r, c, &cc->op, &sr, error)) {
				res->cycles = round;
				return FALSE;
			}
			if (sr == STEP_RETRY || sr == STEP_BLOCKED) {
				cs->stall_cycles++;
				if (sr == STEP_RETRY)
					cs->lock_wait_cycles++;
				stuck = 1;
				continue;
			}
			progressed = 1;
			cs->operations++;
			res->operations++;
			if (!fetch(r, c, error))
				return FALSE;
			if (sr == STEP_WAIT) {
				cc->status = CORE_WAITING;
			} else if (!cc->has_op) {
				cc->status = CORE_DONE;
				cs->cycles = round;
				active--;
			}
		}
		for (unsigned c = 0; c < r->n; c++) {
			ready += r->cores[c].status == CORE_READY;
			waiting += r->cores[c].status == CORE_WAITING;
		}
		if (waiting > 0 && ready == 0) {
			/* Every unfinished core waits: release them all. */
			for (unsigned c = 0; c < r->n; c++) {
				CoreCtx *cc = &r->cores[c];
				if (cc->status != CORE_WAITING)
					continue;
				if (cc->has_op) {
					cc->status = CORE_READY;
				} else {
					cc->status = CORE_DONE;
					res->cores[c].cycles = round;
					active--;
				}
			}
		} else if (!progressed && stuck) {
			res->cycles = round;
			report_deadlock(r, error);
			return FALSE;
		}
		if ((round & 0xffff) == 0)
			progress_update(prog, res->operations);
	}
	res->cycles = round;
	return TRUE;
}

static gboolean run_file_order(Run *r, Progress *prog, GError **error)
{
	if (!(r->ops = opstreams_new(r->wl, r->n, error)))
		return FALSE;
	RunResult *res = r->res;
	WlOp op;
	int got;
	while ((got = opstreams_next_any(r->ops, &op, error)) > 0) {
		StepResult sr;
		r->now = res->operations + 1;
		if (!step(r, op.core, &op, &sr, error))
			return FALSE;
		if (sr == STEP_BLOCKED) {
			/* Nothing else runs until this line is done. */
			KZoneInfo zi;
			kernel_zone_info(r->k, &zi);
			g_set_error(error, SIM_ERROR, SIM_ERROR_DEADLOCK,
				    "deadlock: GFP_KERNEL alloc (%s:%" PRIu32 ") by core %u sleeps "
				    "with %" PRIu64 " free pages (min watermark %" PRIu64 "), and "
				    "under --schedule file no other line runs before it is done",
				    wl_path(r->wl), op.line, op.core, zi.buddy_pages + zi.pcp_pages,
				    zi.min);
			return FALSE;
		}
		g_assert(sr == STEP_DONE); /* no lock or barrier under this schedule */
		res->operations++;
		res->cores[op.core].operations++;
		res->cores[op.core].cycles = res->operations;
		if ((res->operations & 0xfffff) == 0)
			progress_update(prog, res->operations);
	}
	res->cycles = res->operations;
	return got == 0;
}

gboolean functional_run_kernel(Machine *m, Kernel *k, WlFile *wl, const WlInfo *info,
			       SimSchedule schedule, RunResult *result, GError **error)
{
	Run r = {
		.m = m,
		.k = k,
		.wl = wl,
		.res = result,
		.n = machine_n_cores(m),
		.lock_holders = g_hash_table_new(g_direct_hash, g_direct_equal),
		.page_lock_holders = g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	g_assert(result->n_cores == r.n && info->cores == r.n);
	r.cores = g_new0(CoreCtx, r.n);
	r.regs = regfile_new(r.n);
	Progress *prog = progress_new("operations", info->operations);
	gboolean ok = schedule == SCHED_FILE ? run_file_order(&r, prog, error)
					     : run_rounds(&r, prog, error);
	progress_free(prog);
	opstreams_free(r.ops);
	g_free(r.cores);
	regfile_free(r.regs);
	g_hash_table_destroy(r.lock_holders);
	g_hash_table_destroy(r.page_lock_holders);
	return ok;
}

gboolean functional_run(Machine *m, WlFile *wl, const WlInfo *info, SimSchedule schedule,
			RunResult *result, GError **error)
{
	return functional_run_kernel(m, NULL, wl, info, schedule, result, error);
}
