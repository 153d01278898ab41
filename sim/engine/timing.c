/* timing.c - timing mode: cores, bus and memory as a discrete-event model.
 *
 * Cores are in-order and blocking: one memory operation outstanding each.
 * A hit costs the cache's hit latency.  A miss (or a hit that needs the
 * bus, an upgrade) asks for the bus after the tag check; when the arbiter
 * grants it, the whole access runs atomically on the machine (snoops, data,
 * write-backs), the bus is held for the cycles its transactions cost
 * (bus.c), and the core resumes when they end.  So coherence effects happen
 * in bus order, exactly as on an atomic bus, and stable states and counts
 * are those of protocols.md; only the interleaving differs from functional
 * mode.
 *
 * A lock is the spin loop of workload-format.md run as real accesses: test
 * loads hit in the spinner's cache until the holder's release invalidates
 * (or, under Dragon, updates) the line; then the exchange races for the bus.
 * Lock wait and hand-offs are measured from what happens.
 *
 * Events: EV_CORE (a core continues at this cycle) in phase 0 and EV_BUS
 * (arbitrate) in phase 1, so every request of a cycle is in before the
 * arbiter chooses.  Ties break by sequence number: deterministic.
 *
 * Deadlock: when every unfinished core is waiting at a barrier or spinning
 * on a word that nobody has changed since its last failed test, nothing can
 * ever change again; the run stops and names the cores and the locks.
 */
#include <glib.h>
#include <inttypes.h>

#include "bus.h"
#include "eventq.h"
#include "kcall.h"
#include "opstream.h"
#include "timing.h"
#include "util/histogram.h"
#include "util/progress.h"

enum { EV_CORE, EV_BUS };
enum { PHASE_CORE, PHASE_BUS };

typedef enum {
	CORE_RUN,      /* has an event scheduled or is in the bus queue */
	CORE_BARRIER,  /* waiting at a barrier */
	CORE_SLEEP,    /* a GFP_KERNEL alloc waits for a free */
	CORE_DONE,
} CoreStatus;

/* Where a core is within its current operation. */
typedef enum {
	STEP_START,     /* about to begin the operation */
	STEP_ACCESS,    /* the operation's (only) access is in flight */
	STEP_LOCK_TEST, /* a lock's test load is in flight */
	STEP_LOCK_SET,  /* a lock's exchange is in flight */
	STEP_COMPUTE,   /* computing */
	STEP_KERNEL,    /* a kernel call: kernel_next() says what to do */
} Step;

typedef struct {
	WlOp op;
	int has_op;
	CoreStatus status;
	Step step;
	/* the access in flight: the workload's own, or the kernel's */
	int is_kernel;
	KAccess kacc;
	AccessKind kind;
	uint64_t addr, a, b;
	uint64_t value;       /* what the access returned */
	uint64_t issued;      /* cycle the access was issued (before the tag check) */
	/* time accounting */
	uint64_t lock_start;  /* cycle the current lock operation began */
	uint64_t barrier_arrival;
	int spinning;         /* the last lock test or exchange failed */
	uint64_t spin_issued; /* when that failed test was issued */
	uint64_t sleep_gen;   /* kernel_free_generation() when it fell asleep */
	uint64_t sleep_start;
} Core;

typedef struct {
	Machine *m;
	Kernel *k;      /* NULL when the workload makes no kernel calls */
	RegFile *regs;
	GHashTable *page_lock_holders; /* page -> holder core + 1 */
	WlFile *wl;
	const Config *cfg;
	RunResult *res;
	TimingStats *ts;
	Core *cores;
	unsigned n;
	unsigned active; /* cores not done */
	OpStreams *ops;
	EventQueue *q;
	Bus *bus;
	uint64_t arb_at;    /* cycle of the pending arbitration event, or UINT64_MAX */
	uint64_t progress_at; /* last cycle a word changed or an operation completed */
	unsigned n_spinning;
	unsigned n_sleeping;
	GHashTable *lock_holder; /* lock address -> holder core + 1 */
	GHashTable *lock_last;   /* lock address -> last core to acquire it + 1 */
	GError *error;
} Timing;

static void schedule_core(Timing *t, unsigned c, uint64_t cycle)
{
	eventq_push(t->q, cycle, PHASE_CORE, EV_CORE, (uint16_t)c);
}

static void schedule_arbitration(Timing *t, uint64_t cycle)
{
	if (cycle < bus_free_at(t->bus))
		cycle = bus_free_at(t->bus);
	if (t->arb_at != UINT64_MAX && t->arb_at <= cycle)
		return;
	t->arb_at = cycle;
	eventq_push(t->q, cycle, PHASE_BUS, EV_BUS, 0);
}

static void set_spinning(Timing *t, Core *core, int spinning)
{
	if (core->spinning == spinning)
		return;
	core->spinning = spinning;
	if (spinning)
		t->n_spinning++;
	else
		t->n_spinning--;
}

/* Performs core c's access on the machine now.  While anyone spins, a
 * store that changes a word counts as progress for deadlock detection. */
static uint64_t perform(Timing *t, unsigned c, uint64_t now)
{
	Core *core = &t->cores[c];
	if (core->is_kernel) {
		t->res->where[c].kstep = core->kacc.step;
		int writes = core->kacc.kind != KOP_LOAD;
		uint64_t before = writes ? machine_peek_word(t->m, core->kacc.addr) : 0;
		uint64_t v = kernel_perform(t->m, c, &core->kacc);
		if (writes && machine_peek_word(t->m, core->kacc.addr) != before)
			t->progress_at = now;
		return v;
	}
	t->res->where[c].kstep = NULL;
	if (t->n_spinning && core->kind != ACC_LOAD) {
		uint64_t before = machine_peek_word(t->m, core->addr);
		uint64_t old = machine_access(t->m, c, core->kind, core->addr, core->a, core->b);
		if (machine_peek_word(t->m, core->addr) != before)
			t->progress_at = now;
		return old;
	}
	return machine_access(t->m, c, core->kind, core->addr, core->a, core->b);
}

/* Starts an access for core c at cycle now; the core continues (EV_CORE)
 * when it completes. */
static void issue(Timing *t, unsigned c, AccessKind kind, uint64_t addr, uint64_t a, uint64_t b,
		  uint64_t now)
{
	Core *core = &t->cores[c];
	core->is_kernel = 0;
	core->kind = kind;
	core->addr = addr;
	core->a = a;
	core->b = b;
	core->issued = now;
	t->res->where[c].cycle = now;
	uint64_t tag_checked = now + t->cfg->hit_latency;
	/* A hit without the bus never changes a word another core spins on
	 * unless it is a store, which perform() watches; loads go straight. */
	if (kind == ACC_LOAD || !t->n_spinning) {
		t->res->where[c].kstep = NULL;
		if (machine_access_if_hit(t->m, c, kind, addr, a, b, &core->value)) {
			schedule_core(t, c, tag_checked);
			return;
		}
	} else if (!machine_needs_bus(t->m, c, kind, addr)) {
		core->value = perform(t, c, now);
		schedule_core(t, c, tag_checked);
		return;
	}
	bus_request(t->bus, c, tag_checked);
	schedule_arbitration(t, tag_checked);
}

/* Starts one access of core c's kernel call.  A claim always goes through
 * the arbiter: even a line already held in M is checked at the bus. */
static void issue_kernel(Timing *t, unsigned c, const KAccess *acc, uint64_t now)
{
	static const AccessKind kinds[] = {
		[KOP_LOAD] = ACC_LOAD,         [KOP_STORE] = ACC_STORE,
		[KOP_RMW_ADD] = ACC_RMW_ADD,   [KOP_RMW_XCHG] = ACC_RMW_XCHG,
		[KOP_RMW_CAS] = ACC_RMW_CAS,
	};
	Core *core = &t->cores[c];
	core->is_kernel = 1;
	core->kacc = *acc;
	core->issued = now;
	t->res->where[c].cycle = now;
	uint64_t tag_checked = now + t->cfg->hit_latency;
	int claim = acc->kind == KOP_CLAIM_ZERO || acc->kind == KOP_CLAIM_RFO;
	if (!claim && !machine_needs_bus(t->m, c, kinds[acc->kind], acc->addr)) {
		core->value = perform(t, c, now);
		schedule_core(t, c, tag_checked);
		return;
	}
	bus_request(t->bus, c, tag_checked);
	schedule_arbitration(t, tag_checked);
}

/* For the timeline: the allocator's free pages (buddy and per-CPU lists). */
static void note_free_pages(Timing *t, uint64_t now)
{
	KZoneInfo zi;
	kernel_zone_info(t->k, &zi);
	t->res->probe->free_pages(t->res->probe->data, now, zi.buddy_pages + zi.pcp_pages);
}

/* The arbiter at cycle now: grant the bus, run the access, hold the bus. */
static void arbitrate(Timing *t, uint64_t now)
{
	t->arb_at = UINT64_MAX;
	int c = bus_grant(t->bus, now);
	if (c >= 0) {
		Core *core = &t->cores[c];
		t->res->where[c].cycle = now;
		core->value = perform(t, (unsigned)c, now);
		const AccessOutcome *out = machine_last_outcome(t->m);
		uint64_t held = bus_occupy(t->bus, out, now);
		uint64_t done = now + held;
		if (t->res->probe)
			t->res->probe->bus_busy(t->res->probe->data, now, done);
		if (out->source != SRC_NONE)
			hist_add(out->source == SRC_CACHE ? t->ts->miss_latency_c2c
							  : t->ts->miss_latency_mem,
				 done - core->issued);
		t->res->cores[c].stall_cycles += done - core->issued - t->cfg->hit_latency;
		schedule_core(t, (unsigned)c, done);
	}
	if (bus_has_requests(t->bus))
		schedule_arbitration(t, c >= 0 ? bus_free_at(t->bus) : now + 1);
}

static const char *holder_status(const Timing *t, unsigned h)
{
	switch (t->cores[h].status) {
	case CORE_DONE:
		return "has finished";
	case CORE_BARRIER:
		return "is waiting at a barrier";
	case CORE_SLEEP:
		return "sleeps in the allocator";
	case CORE_RUN:
		break;
	}
	return t->cores[h].spinning ? "is spinning on another lock" : "is running";
}

/* Nothing can change if every unfinished core waits at a barrier or spins
 * on a word no one has written since its last failed test. */
static void check_deadlock(Timing *t, uint64_t now)
{
	if (t->error || (t->n_spinning == 0 && t->n_sleeping == 0))
		return;
	for (unsigned c = 0; c < t->n; c++) {
		const Core *core = &t->cores[c];
		if (core->status != CORE_RUN)
			continue;
		if (!core->spinning || core->spin_issued <= t->progress_at)
			return;
	}
	GString *msg = g_string_new(NULL);
	g_string_printf(msg, "deadlock at cycle %" PRIu64 ":", now);
	for (unsigned c = 0; c < t->n; c++) {
		const Core *core = &t->cores[c];
		if (core->status == CORE_SLEEP) {
			g_string_append_printf(msg,
					       " core %u sleeps in alloc (%s:%" PRIu32 ") waiting for a "
					       "page nobody will free;",
					       c, wl_path(t->wl), core->op.line);
			continue;
		}
		if (!core->spinning)
			continue;
		if (core->op.kind == WL_OP_LOCK_PAGE) {
			uint64_t page = regfile_page(t->regs, c, core->op.reg);
			gpointer h = g_hash_table_lookup(t->page_lock_holders, GSIZE_TO_POINTER(page));
			g_string_append_printf(msg, " page lock of 0x%" PRIx64 " (%s:%" PRIu32
						    ") wanted by core %u;",
					       page, wl_path(t->wl), core->op.line, c);
			if (h)
				g_string_append_printf(msg, " held by core %u, which %s;",
						       GPOINTER_TO_UINT(h) - 1,
						       holder_status(t, GPOINTER_TO_UINT(h) - 1));
			continue;
		}
		if (core->op.kind != WL_OP_LOCK) {
			g_string_append_printf(msg, " core %u spins in the allocator (%s:%" PRIu32 ");",
					       c, wl_path(t->wl), core->op.line);
			continue;
		}
		gpointer v = g_hash_table_lookup(t->lock_holder, GSIZE_TO_POINTER(core->addr));
		g_string_append_printf(msg, " lock 0x%" PRIx64 " (%s:%" PRIu32 ") wanted by core %u;",
				       core->addr, wl_path(t->wl), core->op.line, c);
		if (v) {
			unsigned h = GPOINTER_TO_UINT(v) - 1;
			g_string_append_printf(msg, " held by core %u, which %s;", h,
					       holder_status(t, h));
		} else {
			g_string_append(msg, " set by a store, not by a lock;");
		}
	}
	g_string_truncate(msg, msg->len - 1);
	g_set_error_literal(&t->error, SIM_ERROR, SIM_ERROR_DEADLOCK, msg->str);
	g_string_free(msg, TRUE);
}

/* Releases every waiting core once no running core is left to arrive. */
static void maybe_release_barrier(Timing *t, uint64_t now)
{
	unsigned waiting = 0;
	for (unsigned c = 0; c < t->n; c++) {
		if (t->cores[c].status == CORE_RUN || t->cores[c].status == CORE_SLEEP)
			return;
		waiting += t->cores[c].status == CORE_BARRIER;
	}
	if (waiting == 0)
		return;
	t->progress_at = now;
	for (unsigned c = 0; c < t->n; c++) {
		Core *core = &t->cores[c];
		if (core->status != CORE_BARRIER)
			continue;
		t->res->cores[c].stall_cycles += now - core->barrier_arrival;
		core->status = CORE_RUN;
		schedule_core(t, c, now);
	}
}

static void finish_core(Timing *t, unsigned c, uint64_t now)
{
	t->cores[c].status = CORE_DONE;
	t->res->cores[c].cycles = now;
	t->active--;
	t->progress_at = now;
	maybe_release_barrier(t, now);
	check_deadlock(t, now);
}

static gboolean fetch(Timing *t, unsigned c)
{
	Core *core = &t->cores[c];
	int got = opstreams_next(t->ops, c, &core->op, &t->error);
	if (got < 0)
		return FALSE;
	core->has_op = got;
	core->step = STEP_START;
	if (got) {
		CoreWhere *w = &t->res->where[c];
		w->op_index = t->res->cores[c].operations;
		w->line = core->op.line;
		w->op_kind = core->op.kind;
		w->kstep = NULL;
	}
	return TRUE;
}

static void lock_acquired(Timing *t, unsigned c, uint64_t now)
{
	Core *core = &t->cores[c];
	gpointer key = GSIZE_TO_POINTER(core->addr);
	unsigned last = GPOINTER_TO_UINT(g_hash_table_lookup(t->lock_last, key));
	if (last && last != c + 1)
		t->ts->lock_handoffs++;
	g_hash_table_insert(t->lock_last, key, GUINT_TO_POINTER(c + 1));
	g_hash_table_insert(t->lock_holder, key, GUINT_TO_POINTER(c + 1));
	t->res->cores[c].lock_acquires++;
	t->res->cores[c].lock_wait_cycles += now - core->lock_start;
	set_spinning(t, core, 0);
}

/* Prefixes a message about op's line with FILE:LINE and stops the run. */
static gboolean fail_at_line(Timing *t, const WlOp *op, GError *err)
{
	g_prefix_error(&err, "%s:%" PRIu32 ": ", wl_path(t->wl), op->line);
	if (err->domain != SIM_ERROR && err->domain != KERNEL_ERROR) {
		t->error = g_error_new_literal(SIM_ERROR, SIM_ERROR_INPUT, err->message);
		g_error_free(err);
	} else {
		t->error = err;
	}
	return FALSE;
}

/* The address op names: plain, or rN + offset. */
static gboolean op_addr(Timing *t, unsigned c, const WlOp *op, uint64_t *addr)
{
	GError *err = NULL;
	if (G_LIKELY(op->reg == WL_NO_REG)) {
		*addr = op->addr;
		return TRUE;
	}
	if (regfile_resolve(t->regs, c, op->reg, op->addr, addr, &err))
		return TRUE;
	return fail_at_line(t, op, err);
}

static void wake_sleepers(Timing *t, uint64_t now)
{
	uint64_t gen = kernel_free_generation(t->k);
	for (unsigned c = 0; c < t->n; c++) {
		Core *core = &t->cores[c];
		if (core->status != CORE_SLEEP || core->sleep_gen == gen)
			continue;
		core->status = CORE_RUN;
		t->n_sleeping--;
		t->res->cores[c].stall_cycles += now - core->sleep_start;
		schedule_core(t, c, now);
	}
}

/* A kernel call goes on until it needs the machine (an access is issued),
 * sleeps, or is done.  Returns 1 when the operation completed, 0 when the
 * core waits, -1 on error. */
static int kernel_continue(Timing *t, unsigned c, uint64_t now)
{
	Core *core = &t->cores[c];
	KAccess acc;
	for (;;) {
		switch (kernel_next(t->k, c, &acc)) {
		case KSTEP_ACCESS:
			issue_kernel(t, c, &acc, now);
			return 0;
		case KSTEP_SPIN:
			/* The test just issued found the lock held: test again. */
			set_spinning(t, core, 1);
			core->spin_issued = core->issued;
			check_deadlock(t, now);
			if (t->error)
				return -1;
			continue;
		case KSTEP_BLOCKED:
			core->status = CORE_SLEEP;
			core->sleep_gen = kernel_free_generation(t->k);
			core->sleep_start = now;
			t->n_sleeping++;
			check_deadlock(t, now);
			return t->error ? -1 : 0;
		case KSTEP_DONE:
			set_spinning(t, core, 0);
			kcall_finish(t->k, t->regs, t->page_lock_holders, c, &core->op);
			if (t->res->probe &&
			    (core->op.kind == WL_OP_ALLOC || core->op.kind == WL_OP_FREE))
				note_free_pages(t, now);
			if (core->op.kind == WL_OP_LOCK_PAGE) {
				t->res->cores[c].lock_acquires++;
				t->res->cores[c].lock_wait_cycles += now - core->lock_start;
			}
			if (core->op.kind == WL_OP_FREE)
				wake_sleepers(t, now);
			return 1;
		}
	}
}

/* Core c runs at cycle now until it waits for something.  Returns FALSE
 * when the run must stop (t->error says why). */
static gboolean advance(Timing *t, unsigned c, uint64_t now)
{
	Core *core = &t->cores[c];
	WlOp *op = &core->op;
	uint64_t addr;
	for (;;) {
		if (!core->has_op) {
			finish_core(t, c, now);
			return t->error == NULL;
		}
		switch (core->step) {
		case STEP_START:
			switch ((WlOpKind)op->kind) {
			case WL_OP_LD:
			case WL_OP_ST:
			case WL_OP_RMW: {
				if (!op_addr(t, c, op, &addr))
					return FALSE;
				OpAccess acc = engine_op_access(op);
				core->step = STEP_ACCESS;
				issue(t, c, acc.kind, addr, acc.a, acc.b, now);
				return TRUE;
			}
			case WL_OP_COMPUTE:
				core->step = STEP_COMPUTE;
				schedule_core(t, c, now + op->value);
				return TRUE;
			case WL_OP_LOCK:
				if (!op_addr(t, c, op, &addr))
					return FALSE;
				core->lock_start = now;
				core->step = STEP_LOCK_TEST;
				issue(t, c, ACC_LOAD, addr, 0, 0, now);
				return TRUE;
			case WL_OP_UNLOCK:
				if (!op_addr(t, c, op, &addr))
					return FALSE;
				g_hash_table_remove(t->lock_holder, GSIZE_TO_POINTER(addr));
				core->step = STEP_ACCESS;
				issue(t, c, ACC_STORE, addr, 0, 0, now);
				return TRUE;
			case WL_OP_BARRIER:
				t->res->cores[c].operations++;
				t->res->operations++;
				t->progress_at = now;
				if (!fetch(t, c))
					return FALSE;
				core->status = CORE_BARRIER;
				core->barrier_arrival = now;
				maybe_release_barrier(t, now);
				check_deadlock(t, now);
				return t->error == NULL;
			case WL_OP_ALLOC:
			case WL_OP_FREE:
			case WL_OP_LOCK_PAGE:
			case WL_OP_UNLOCK_PAGE: {
				GError *err = NULL;
				if (!t->k)
					err = g_error_new(SIM_ERROR, SIM_ERROR_INPUT,
							  "%s needs the kernel allocator",
							  wl_op_name(op->kind));
				else if (!kcall_begin(t->k, t->regs, c, op, now, &err))
					g_assert(err);
				if (err)
					return fail_at_line(t, op, err);
				core->lock_start = now;
				core->step = STEP_KERNEL;
				core->is_kernel = 0; /* no access in flight yet */
				int r = kernel_continue(t, c, now);
				if (r < 0)
					return FALSE;
				if (r == 0)
					return TRUE;
				goto completed;
			}
			case WL_N_OPS:
				g_assert_not_reached();
			}
			break;
		case STEP_ACCESS:
			if (op->kind == WL_OP_LD &&
			    !engine_check_load(wl_path(t->wl), op, c, core->addr, core->value, &t->error))
				return FALSE;
			goto completed;
		case STEP_COMPUTE:
			goto completed;
		case STEP_LOCK_TEST:
			if (core->value == 0) {
				core->step = STEP_LOCK_SET;
				issue(t, c, ACC_RMW_XCHG, core->addr, 1, 0, now);
				return TRUE;
			}
			goto spin;
		case STEP_LOCK_SET:
			if (core->value == 0) {
				lock_acquired(t, c, now);
				goto completed;
			}
			goto spin;
		case STEP_KERNEL: {
			/* Woken from sleep (no access in flight), or an access done. */
			GError *err = NULL;
			if (core->is_kernel) {
				core->is_kernel = 0;
				if (!kernel_complete(t->k, c, core->value, now, &err))
					return fail_at_line(t, op, err);
			}
			int r = kernel_continue(t, c, now);
			if (r < 0)
				return FALSE;
			if (r == 0)
				return TRUE;
			goto completed;
		}
		}
		g_assert_not_reached();
	spin:
		/* The test failed: record it, then test again. */
		set_spinning(t, core, 1);
		core->spin_issued = core->issued;
		check_deadlock(t, now);
		if (t->error)
			return FALSE;
		core->step = STEP_LOCK_TEST;
		issue(t, c, ACC_LOAD, core->addr, 0, 0, now);
		return TRUE;
	completed:
		t->res->cores[c].operations++;
		t->res->operations++;
		t->progress_at = now;
		if (!fetch(t, c))
			return FALSE;
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
		.regs = regfile_new(machine_n_cores(m)),
		.page_lock_holders = g_hash_table_new(g_direct_hash, g_direct_equal),
		.wl = wl,
		.cfg = cfg,
		.res = result,
		.n = machine_n_cores(m),
		.q = eventq_new(),
		.bus = bus_new(cfg, machine_n_cores(m)),
		.arb_at = UINT64_MAX,
		.lock_holder = g_hash_table_new(g_direct_hash, g_direct_equal),
		.lock_last = g_hash_table_new(g_direct_hash, g_direct_equal),
	};
	g_assert(result->n_cores == t.n && info->cores == t.n);
	result->timing = t.ts = timing_stats_new();
	if (k && result->probe)
		note_free_pages(&t, 0);
	t.cores = g_new0(Core, t.n);
	Progress *prog = progress_new("operations", info->operations);

	t.ops = opstreams_new(wl, t.n, &t.error);
	for (unsigned c = 0; c < t.n && t.ops && !t.error; c++) {
		if (fetch(&t, c)) {
			t.cores[c].status = CORE_RUN;
			t.active++;
			schedule_core(&t, c, 0);
		}
	}

	Event ev;
	uint64_t now = 0, events = 0;
	while (!t.error && eventq_pop(t.q, &ev)) {
		now = ev.cycle;
		if (ev.type == EV_BUS) {
			if (ev.cycle == t.arb_at)
				arbitrate(&t, now);
		} else {
			advance(&t, ev.core, now);
		}
		if ((++events & 0xffff) == 0)
			progress_update(prog, result->operations);
	}
	g_assert(t.error || t.active == 0);
	result->cycles = now;
	t.ts->bus_busy_cycles = bus_busy_cycles(t.bus);
	/* The queueing-delay histogram moves into the result. */
	hist_free(t.ts->bus_queue_delay);
	t.ts->bus_queue_delay = hist_copy(bus_queue_delay(t.bus));

	progress_free(prog);
	opstreams_free(t.ops);
	g_free(t.cores);
	eventq_free(t.q);
	bus_free(t.bus);
	g_hash_table_destroy(t.lock_holder);
	g_hash_table_destroy(t.lock_last);
	g_hash_table_destroy(t.page_lock_holders);
	regfile_free(t.regs);
	if (t.error) {
		g_propagate_error(error, t.error);
		return FALSE;
	}
	return TRUE;
}
