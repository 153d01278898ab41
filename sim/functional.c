/* functional.c - functional mode: rounds of turns, or the file's order.
 *
 * Rounds (workload-format.md): in each round cores 0, 1, ... take one turn
 * each, skipping finished and waiting cores.  A turn runs one operation to
 * completion, bus traffic included; a lock takes one turn per attempt;
 * a barrier leaves the core waiting until every unfinished core waits, and
 * they are released at the end of that round.  Each core reads its own
 * lines through its own cursor, so no core's stream is buffered.
 *
 * File schedule: operations run one at a time in file order, whichever
 * core they belong to; workloads with lock or barrier never get here.
 *
 * Time is counted in turns: a round is one cycle of the whole machine.
 */
#include <glib.h>
#include <inttypes.h>

#include "functional.h"
#include "progress.h"

typedef enum { CORE_READY, CORE_WAITING, CORE_DONE } CoreStatus;

typedef enum {
	STEP_DONE,    /* the operation completed */
	STEP_RETRY,   /* a lock attempt failed: the same operation next turn */
	STEP_WAIT,    /* a barrier: completed, and the core now waits */
} StepResult;

typedef struct {
	WlCursor *cur; /* rounds schedule only */
	WlOp op;       /* the next operation to run */
	int has_op;
	CoreStatus status;
} CoreCtx;

typedef struct {
	Machine *m;
	WlFile *wl;
	RunResult *res;
	CoreCtx *cores;
	unsigned n;
	GHashTable *lock_holders; /* lock address -> holder core + 1 */
} Run;

static gboolean fetch(Run *r, unsigned c, GError **error)
{
	CoreCtx *cc = &r->cores[c];
	int got = wl_cursor_next(cc->cur, &cc->op, error);
	if (got < 0)
		return FALSE;
	cc->has_op = got;
	return TRUE;
}

static gboolean check_load(Run *r, const WlOp *op, uint64_t loaded, GError **error)
{
	if (!op->has_expect || loaded == op->expect)
		return TRUE;
	g_set_error(error, SIM_ERROR, SIM_ERROR_CHECK,
		    "%s:%" PRIu32 ": core %u ld 0x%" PRIx64 " expected %" PRIu64 ", loaded %" PRIu64,
		    wl_path(r->wl), op->line, op->core, op->addr, op->expect, loaded);
	return FALSE;
}

/* Runs one turn of op on core c.  Functional mode has no allocator yet:
 * the caller refuses workloads that need it before anything runs. */
static gboolean step(Run *r, unsigned c, const WlOp *op, StepResult *result, GError **error)
{
	Machine *m = r->m;
	*result = STEP_DONE;
	switch ((WlOpKind)op->kind) {
	case WL_OP_LD:
		return check_load(r, op, machine_access(m, c, ACC_LOAD, op->addr, 0, 0), error);
	case WL_OP_ST:
		/* Without a value, a store writes its own line number: unique to
		 * that store, so later =V checks stay meaningful. */
		machine_access(m, c, ACC_STORE, op->addr, op->has_value ? op->value : op->line, 0);
		return TRUE;
	case WL_OP_RMW: {
		static const AccessKind kinds[] = {
			[WL_RMW_ADD] = ACC_RMW_ADD, [WL_RMW_XCHG] = ACC_RMW_XCHG,
			[WL_RMW_CAS] = ACC_RMW_CAS,
		};
		machine_access(m, c, kinds[op->rmw], op->addr, op->value, op->value2);
		return TRUE;
	}
	case WL_OP_COMPUTE:
		return TRUE;
	case WL_OP_LOCK:
		/* Test, then test-and-set: one load; the exchange only if the
		 * load saw the lock free. */
		if (machine_access(m, c, ACC_LOAD, op->addr, 0, 0) == 0 &&
		    machine_access(m, c, ACC_RMW_XCHG, op->addr, 1, 0) == 0) {
			r->res->cores[c].lock_acquires++;
			g_hash_table_insert(r->lock_holders, GSIZE_TO_POINTER(op->addr),
					    GUINT_TO_POINTER(c + 1));
			return TRUE;
		}
		*result = STEP_RETRY;
		return TRUE;
	case WL_OP_UNLOCK:
		machine_access(m, c, ACC_STORE, op->addr, 0, 0);
		g_hash_table_remove(r->lock_holders, GSIZE_TO_POINTER(op->addr));
		return TRUE;
	case WL_OP_BARRIER:
		*result = STEP_WAIT;
		return TRUE;
	case WL_OP_ALLOC:
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
	case WL_N_OPS:
		break;
	}
	g_set_error(error, SIM_ERROR, SIM_ERROR_INPUT, "%s:%" PRIu32 ": %s needs the kernel allocator",
		    wl_path(r->wl), op->line, wl_op_name(op->kind));
	return FALSE;
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

/* Every unfinished core spun on a lock or waited this round, and at least
 * one spun: nothing can ever write the lock words again. */
static void report_deadlock(Run *r, GError **error)
{
	GString *msg = g_string_new("deadlock:");
	for (unsigned c = 0; c < r->n; c++) {
		const CoreCtx *cc = &r->cores[c];
		if (cc->status != CORE_READY)
			continue;
		gpointer v = g_hash_table_lookup(r->lock_holders, GSIZE_TO_POINTER(cc->op.addr));
		g_string_append_printf(msg, " lock 0x%" PRIx64 " (%s:%" PRIu32 ") wanted by core %u;",
				       cc->op.addr, wl_path(r->wl), cc->op.line, c);
		if (v) {
			unsigned h = GPOINTER_TO_UINT(v) - 1;
			g_string_append_printf(msg, " held by core %u, which %s;", h,
					       status_name(r, h));
		} else {
			g_string_append(msg, " set by a store, not by a lock;");
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
	for (unsigned c = 0; c < r->n; c++) {
		if (!(r->cores[c].cur = wl_cursor_new(r->wl, (int)c, error)) || !fetch(r, c, error))
			return FALSE;
		r->cores[c].status = r->cores[c].has_op ? CORE_READY : CORE_DONE;
		active += r->cores[c].has_op;
	}

	uint64_t round = 0;
	while (active > 0) {
		round++;
		int progressed = 0, spinning = 0;
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
			if (!step(r, c, &cc->op, &sr, error))
				return FALSE;
			if (sr == STEP_RETRY) {
				cs->stall_cycles++;
				cs->lock_wait_cycles++;
				spinning = 1;
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
		} else if (!progressed && spinning) {
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
	g_autoptr(WlCursor) cur = wl_cursor_new(r->wl, -1, error);
	if (!cur)
		return FALSE;
	RunResult *res = r->res;
	WlOp op;
	int got;
	while ((got = wl_cursor_next(cur, &op, error)) > 0) {
		StepResult sr;
		if (!step(r, op.core, &op, &sr, error))
			return FALSE;
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

gboolean functional_run(Machine *m, WlFile *wl, const WlInfo *info, SimSchedule schedule,
			RunResult *result, GError **error)
{
	Run r = {
		.m = m,
		.wl = wl,
		.res = result,
		.n = machine_n_cores(m),
		.lock_holders = g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	g_assert(result->n_cores == r.n && info->cores == r.n);
	r.cores = g_new0(CoreCtx, r.n);
	Progress *prog = progress_new("operations", info->operations);
	gboolean ok = schedule == SCHED_FILE ? run_file_order(&r, prog, error)
					     : run_rounds(&r, prog, error);
	progress_free(prog);
	for (unsigned c = 0; c < r.n; c++)
		wl_cursor_free(r.cores[c].cur);
	g_free(r.cores);
	g_hash_table_destroy(r.lock_holders);
	return ok;
}
