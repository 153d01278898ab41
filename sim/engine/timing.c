/* timing.c - timing mode: the core model (core.c) under a cycle clock, with
 * an event queue and an interconnect (interconnect.h; the bus by default).
 *
 * Cores are in-order and blocking: one memory operation outstanding each.
 * A hit costs the cache's hit latency.  A miss (or a hit that needs the
 * bus, an upgrade) goes to the interconnect after the tag check; the bus
 * arbitrates, runs the whole access atomically on the machine at the grant
 * (snoops, data, write-backs), holds the bus for the cycles its
 * transactions cost, and the core resumes when they end.  So coherence
 * effects happen in bus order, exactly as on an atomic bus, and stable
 * states and counts are those of protocols.md; only the interleaving
 * differs from functional mode.
 *
 * What an operation means is the core model's; this file only keeps time:
 * when each core goes on, stall cycles (memory, barriers, sleeps), lock
 * wait (from a lock operation's start to its acquisition), barrier
 * release (as soon as no running core is left to arrive), and deadlock.
 *
 * Events: CORE_EVENT (a core goes on at this cycle) in phase 0 and the
 * interconnect's in phase 1, so every request of a cycle is in before the
 * arbiter chooses.  Ties break by sequence number: deterministic.
 *
 * Deadlock: when every unfinished core is waiting at a barrier, sleeping
 * in the allocator or spinning on a word that nobody has changed since its
 * last failed test, nothing can ever change again; the run stops and the
 * core model names the cores and the locks.
 */
#include <glib.h>
#include <inttypes.h>

#include "core.h"
#include "eventq.h"
#include "interconnect.h"
#include "opstream.h"
#include "timing.h"
#include "util/histogram.h"
#include "util/progress.h"

/* The clock's view of one core. */
typedef struct {
	WlOp *next;           /* where its next operation is read to (core_op_slot) */
	gboolean in_op;       /* an operation is in progress in the core model */
	uint64_t issued;      /* cycle its pending access was issued (before the tag check) */
	uint64_t op_start;    /* cycle the current operation began (lock wait) */
	uint64_t spin_issued; /* when the last failed lock test was issued */
	uint64_t barrier_arrival;
	uint64_t sleep_gen;   /* kernel_free_generation() when it fell asleep */
	uint64_t sleep_start;
} Clock;

typedef struct {
	Machine *m;
	Kernel *k; /* NULL when the workload makes no kernel calls */
	CoreModel *cm;
	WlFile *wl;
	const Config *cfg;
	RunResult *res;
	TimingStats *ts;
	Clock *clocks;
	unsigned n;
	OpStreams *ops;
	EventQueue *q;
	Interconnect *ic;
	uint64_t progress_at; /* last cycle a word changed or an operation completed */
	GError *error;
} Timing;

static void schedule_core(Timing *t, unsigned c, uint64_t cycle)
{
	eventq_push(t->q, cycle, CORE_PHASE, CORE_EVENT, (uint16_t)c);
}

/* Whether performing core c's access must watch the word it writes: a
 * change is progress for deadlock detection.  The kernel's writes always
 * are; the workload's only while someone spins. */
static inline int watch_write(const Timing *t, unsigned c, uint64_t *addr)
{
	const CoreModelView *v = core_view(t->cm);
	const CorePending *p = &v->pending[c];
	*addr = p->addr;
	return p->writes && (p->is_kernel || v->n_spinning > 0);
}

/* Performs core c's access on the machine now. */
static void perform(Timing *t, unsigned c, uint64_t now)
{
	uint64_t addr;
	if (!watch_write(t, c, &addr)) {
		core_perform(t->cm, c);
		return;
	}
	uint64_t before = machine_peek_word(t->m, addr);
	core_perform(t->cm, c);
	if (machine_peek_word(t->m, addr) != before)
		t->progress_at = now;
}

/* The interconnect's callbacks (InterconnectHost). */
static void host_perform(void *host, unsigned c, uint64_t now)
{
	Timing *t = host;
	t->res->where[c].cycle = now;
	perform(t, c, now);
}

static void host_complete(void *host, unsigned c, uint64_t done)
{
	Timing *t = host;
	t->res->cores[c].stall_cycles += done - t->clocks[c].issued - t->cfg->hit_latency;
	schedule_core(t, c, done);
}

/* Starts core c's pending access at cycle now; the core goes on (a core
 * event) when it completes. */
static void issue(Timing *t, unsigned c, uint64_t now)
{
	uint64_t tag_checked = now + t->cfg->hit_latency, addr;
	t->clocks[c].issued = now;
	if (!watch_write(t, c, &addr)) {
		/* The hit path: one tag lookup, no word to watch. */
		if (core_perform_if_hit(t->cm, c)) {
			schedule_core(t, c, tag_checked);
			return;
		}
	} else if (!core_needs_interconnect(t->cm, c)) {
		perform(t, c, now);
		schedule_core(t, c, tag_checked);
		return;
	}
	t->ic->ops->request(t->ic, c, now, tag_checked);
}

/* For the timeline: the allocator's free pages (buddy and per-CPU lists). */
static void note_free_pages(Timing *t, uint64_t now)
{
	KZoneInfo zi;
	kernel_zone_info(t->k, &zi);
	t->res->probe->free_pages(t->res->probe->data, now, zi.buddy_pages + zi.pcp_pages);
}

/* Nothing can change if every unfinished core waits at a barrier, sleeps,
 * or spins on a word no one has written since its last failed test. */
static void check_deadlock(Timing *t, uint64_t now)
{
	if (t->error || (core_view(t->cm)->n_spinning == 0 && core_model_n_sleeping(t->cm) == 0))
		return;
	for (unsigned c = 0; c < t->n; c++) {
		if (core_status(t->cm, c) != CORE_RUNNING)
			continue;
		if (!core_spinning(t->cm, c) || t->clocks[c].spin_issued <= t->progress_at)
			return;
	}
	GString *msg = g_string_new(NULL);
	g_string_printf(msg, "deadlock at cycle %" PRIu64 ":", now);
	core_model_describe_waits(t->cm, msg);
	g_string_truncate(msg, msg->len - 1);
	g_set_error_literal(&t->error, SIM_ERROR, SIM_ERROR_DEADLOCK, msg->str);
	g_string_free(msg, TRUE);
}

/* Releases every waiting core once no running core is left to arrive. */
static void maybe_release_barrier(Timing *t, uint64_t now)
{
	if (!core_model_barrier_complete(t->cm))
		return;
	t->progress_at = now;
	for (unsigned c = 0; c < t->n; c++) {
		if (core_status(t->cm, c) != CORE_AT_BARRIER)
			continue;
		t->res->cores[c].stall_cycles += now - t->clocks[c].barrier_arrival;
		core_release(t->cm, c);
		schedule_core(t, c, now);
	}
}

static void finish_core(Timing *t, unsigned c, uint64_t now)
{
	core_finish(t->cm, c);
	t->res->cores[c].cycles = now;
	t->progress_at = now;
	maybe_release_barrier(t, now);
	check_deadlock(t, now);
}

static void wake_sleepers(Timing *t, uint64_t now)
{
	uint64_t gen = kernel_free_generation(t->k);
	for (unsigned c = 0; c < t->n; c++) {
		Clock *clk = &t->clocks[c];
		if (core_status(t->cm, c) != CORE_SLEEPING || clk->sleep_gen == gen)
			continue;
		core_wake(t->cm, c);
		t->res->cores[c].stall_cycles += now - clk->sleep_start;
		schedule_core(t, c, now);
	}
}

/* What the clock does when core c's operation completed at now. */
static void op_completed(Timing *t, unsigned c, uint64_t now)
{
	const WlOp *op = core_op(t->cm, c);
	switch (op->kind) {
	case WL_OP_LOCK:
	case WL_OP_LOCK_PAGE:
		t->res->cores[c].lock_wait_cycles += now - t->clocks[c].op_start;
		break;
	case WL_OP_ALLOC:
		if (t->res->probe)
			note_free_pages(t, now);
		break;
	case WL_OP_FREE:
		if (t->res->probe)
			note_free_pages(t, now);
		wake_sleepers(t, now);
		break;
	default:
		break;
	}
	t->progress_at = now;
}

/* Core c goes on at cycle now until it waits for something.  Returns FALSE
 * when the run must stop (t->error says why). */
static gboolean advance(Timing *t, unsigned c, uint64_t now)
{
	Clock *clk = &t->clocks[c];
	CoreYield y;
	if (!clk->in_op)
		goto next;
	y = core_resume(t->cm, c, now, &t->error);
	for (;;) {
		switch (y) {
		case CORE_ACCESS:
			issue(t, c, now);
			return TRUE;
		case CORE_COMPUTE:
			schedule_core(t, c, now + core_compute_cycles(t->cm, c));
			return TRUE;
		case CORE_SPIN:
			/* The test just issued found the lock held: test again. */
			clk->spin_issued = clk->issued;
			check_deadlock(t, now);
			if (t->error)
				return FALSE;
			y = core_resume(t->cm, c, now, &t->error);
			continue;
		case CORE_SLEEP:
			clk->sleep_gen = kernel_free_generation(t->k);
			clk->sleep_start = now;
			check_deadlock(t, now);
			return t->error == NULL;
		case CORE_BARRIER:
			clk->in_op = FALSE;
			clk->barrier_arrival = now;
			t->progress_at = now;
			maybe_release_barrier(t, now);
			check_deadlock(t, now);
			return t->error == NULL;
		case CORE_DONE:
			clk->in_op = FALSE;
			op_completed(t, c, now);
			break;
		case CORE_ERROR:
			return FALSE;
		}
	next:;
		WlOp *op = clk->next;
		int got = opstreams_next(t->ops, c, op, &t->error);
		if (got < 0)
			return FALSE;
		if (!got) {
			finish_core(t, c, now);
			return t->error == NULL;
		}
		clk->in_op = TRUE;
		clk->op_start = now;
		y = core_start(t->cm, c, op, now, &t->error);
	}
}

static TimingStats *timing_stats_new(void)
{
	TimingStats *ts = g_new0(TimingStats, 1);
	ts->miss_latency_mem = hist_new();
	ts->miss_latency_c2c = hist_new();
	ts->bus_queue_delay = hist_new();
	return ts;
}

gboolean timing_run(Machine *m, WlFile *wl, const WlInfo *info, const Config *cfg,
		    RunResult *result, GError **error)
{
	return timing_run_kernel(m, NULL, wl, info, cfg, result, error);
}

gboolean timing_run_kernel(Machine *m, Kernel *k, WlFile *wl, const WlInfo *info,
			   const Config *cfg, RunResult *result, GError **error)
{
	Timing t = {
		.m = m,
		.k = k,
		.wl = wl,
		.cfg = cfg,
		.res = result,
		.n = machine_n_cores(m),
		.q = eventq_new(),
	};
	g_assert(result->n_cores == t.n && info->cores == t.n);
	t.cm = core_model_new(m, k, wl_path(wl), result);
	result->timing = t.ts = timing_stats_new();
	InterconnectHost host = {
		.m = m,
		.q = t.q,
		.perform = host_perform,
		.complete = host_complete,
		.host = &t,
		.ts = t.ts,
		.probe = result->probe,
	};
	t.ic = interconnect_new(cfg, t.n, &host);
	if (k && result->probe)
		note_free_pages(&t, 0);
	t.clocks = g_new0(Clock, t.n);
	for (unsigned c = 0; c < t.n; c++)
		t.clocks[c].next = core_op_slot(t.cm, c);
	Progress *prog = progress_new("operations", info->operations);

	t.ops = opstreams_new(wl, t.n, &t.error);
	for (unsigned c = 0; c < t.n && t.ops; c++)
		schedule_core(&t, c, 0);

	Event ev;
	uint64_t now = 0, events = 0;
	while (!t.error && eventq_pop(t.q, &ev)) {
		now = ev.cycle;
		if (ev.type == CORE_EVENT)
			advance(&t, ev.core, now);
		else
			t.ic->ops->fire(t.ic, &ev);
		if ((++events & 0xffff) == 0)
			progress_update(prog, result->operations);
	}
	for (unsigned c = 0; c < t.n && !t.error; c++)
		g_assert(core_status(t.cm, c) == CORE_FINISHED);
	result->cycles = now;
	t.ic->ops->finish(t.ic);
	t.ts->lock_handoffs = core_model_lock_handoffs(t.cm);

	progress_free(prog);
	opstreams_free(t.ops);
	g_free(t.clocks);
	eventq_free(t.q);
	interconnect_free(t.ic);
	core_model_free(t.cm);
	if (t.error) {
		g_propagate_error(error, t.error);
		return FALSE;
	}
	return TRUE;
}
