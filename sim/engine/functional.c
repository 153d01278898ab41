/* functional.c - functional mode: the core model (core.c) under a clock of
 * turns, in rounds or in the file's order.
 *
 * Rounds (workload-format.md): in each round cores 0, 1, ... take one turn
 * each, skipping finished and waiting cores.  A turn runs one operation to
 * completion, bus traffic included (core_run_atomic); a lock takes one turn
 * per attempt (the core model yields CORE_SPIN after a failed test or
 * exchange, and the turn ends there); a barrier leaves the core waiting
 * until every unfinished core waits, and they are released at the end of
 * that round.
 *
 * Kernel calls: alloc and free run the allocator's whole operation in one
 * turn, every access of it included.  lock_page behaves like lock: one
 * attempt per turn.  A GFP_KERNEL alloc that finds no page sleeps: the
 * core takes its turns without progress (each turn asks the allocator
 * again, which answers at once while nothing was freed) until a free lets
 * it retry for real.  When no core makes progress in a round and at least
 * one spins on a lock or sleeps in alloc, nothing can ever change: a
 * deadlock.
 *
 * File schedule: operations run one at a time in file order, whichever
 * core they belong to; workloads with lock, lock_page or barrier never get
 * here, and a GFP_KERNEL alloc that would sleep is a deadlock.
 *
 * Time is counted in turns: a round is one cycle of the whole machine, and
 * it is the time the allocator's statistics see.  A core's stall cycles are
 * the rounds it waited at a barrier or failed to make progress; its lock
 * wait cycles are its failed lock attempts.
 */
#include <glib.h>
#include <inttypes.h>

#include "core.h"
#include "functional.h"
#include "opstream.h"
#include "util/progress.h"

typedef struct {
	WlOp *op;       /* the next operation to run (the core model's slot) */
	int has_op;
	gboolean in_op; /* op has begun and waits to be resumed */
} Turn;

typedef struct {
	Machine *m;
	Kernel *k; /* NULL when the workload does not use the allocator */
	CoreModel *cm;
	OpStreams *ops;
	WlFile *wl;
	RunResult *res;
	Turn *turns;
	unsigned n;
} Run;

static gboolean fetch(Run *r, unsigned c, GError **error)
{
	Turn *tn = &r->turns[c];
	int got = opstreams_next(r->ops, c, tn->op, error);
	if (got < 0)
		return FALSE;
	tn->has_op = got;
	return TRUE;
}

/* Core c has nothing left to run after round. */
static void finish(Run *r, unsigned c, uint64_t round, unsigned *active)
{
	core_finish(r->cm, c);
	r->res->cores[c].cycles = round;
	(*active)--;
}

static void report_deadlock(Run *r, GError **error)
{
	GString *msg = g_string_new("deadlock:");
	core_model_describe_waits(r->cm, msg);
	g_string_truncate(msg, msg->len - 1);
	g_set_error_literal(error, SIM_ERROR, SIM_ERROR_DEADLOCK, msg->str);
	g_string_free(msg, TRUE);
}

static gboolean run_rounds(Run *r, Progress *prog, GError **error)
{
	RunResult *res = r->res;
	CoreModel *cm = r->cm;
	unsigned active = r->n, waiting = 0; /* waiting: cores that arrived at a barrier */
	const uint8_t *status = core_view(cm)->status;
	if (!(r->ops = opstreams_new(r->wl, r->n, error)))
		return FALSE;
	for (unsigned c = 0; c < r->n; c++) {
		if (!fetch(r, c, error))
			return FALSE;
		if (!r->turns[c].has_op)
			finish(r, c, 0, &active);
	}

	uint64_t round = 0;
	while (active > 0) {
		round++;
		int progressed = 0, stuck = 0;
		for (unsigned c = 0; c < r->n; c++) {
			Turn *tn = &r->turns[c];
			CoreRunStats *cs = &res->cores[c];
			CoreStatus st = status[c];
			if (st == CORE_AT_BARRIER) {
				cs->stall_cycles++;
				continue;
			}
			if (st == CORE_FINISHED)
				continue;
			CoreYield y;
			if (tn->in_op) {
				if (st == CORE_SLEEPING)
					core_wake(cm, c); /* ask the allocator again */
				y = core_run_atomic(cm, c, NULL, round, error);
			} else {
				y = core_run_atomic(cm, c, tn->op, round, error);
			}
			switch (y) {
			case CORE_ERROR:
				res->cycles = round;
				return FALSE;
			case CORE_SPIN:
				cs->lock_wait_cycles++;
				/* fall through */
			case CORE_SLEEP:
				cs->stall_cycles++;
				tn->in_op = TRUE;
				stuck = 1;
				continue;
			default:
				break;
			}
			progressed = 1;
			tn->in_op = FALSE;
			if (!fetch(r, c, error))
				return FALSE;
			if (y == CORE_BARRIER) {
				waiting++;
				continue;
			}
			g_assert(y == CORE_DONE);
			if (!tn->has_op)
				finish(r, c, round, &active);
		}
		if (waiting && core_model_barrier_complete(cm)) {
			waiting = 0;
			/* Every unfinished core waits: release them all. */
			for (unsigned c = 0; c < r->n; c++) {
				if (core_status(cm, c) != CORE_AT_BARRIER)
					continue;
				core_release(cm, c);
				if (!r->turns[c].has_op)
					finish(r, c, round, &active);
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
		CoreYield y = core_run_atomic(r->cm, op.core, &op, res->operations + 1, error);
		if (y == CORE_ERROR)
			return FALSE;
		if (y == CORE_SLEEP) {
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
		g_assert(y == CORE_DONE); /* no lock or barrier under this schedule */
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
	};
	g_assert(result->n_cores == r.n && info->cores == r.n);
	r.cm = core_model_new(m, k, wl_path(wl), result);
	r.turns = g_new0(Turn, r.n);
	for (unsigned c = 0; c < r.n; c++)
		r.turns[c].op = core_op_slot(r.cm, c);
	Progress *prog = progress_new("operations", info->operations);
	gboolean ok = schedule == SCHED_FILE ? run_file_order(&r, prog, error)
					     : run_rounds(&r, prog, error);
	progress_free(prog);
	opstreams_free(r.ops);
	g_free(r.turns);
	core_model_free(r.cm);
	return ok;
}

gboolean functional_run(Machine *m, WlFile *wl, const WlInfo *info, SimSchedule schedule,
			RunResult *result, GError **error)
{
	return functional_run_kernel(m, NULL, wl, info, schedule, result, error);
}
