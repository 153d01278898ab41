/* core.c - the core model: what each workload operation means, for both
 * engines; see core.h.
 *
 * Each core is a small state machine over its current operation (Step
 * below).  core_start() enters it, core_resume() moves it on after the
 * engine did what the last yield asked.  The whole of an operation's
 * meaning is in start_op() and resume_op(): one switch each, one case per
 * operation kind.
 *
 * Locks are the test-and-test-and-set loop of workload-format.md as real
 * accesses: a load (the test); if it saw 0, an exchange with 1 (the set);
 * if either saw the lock held, CORE_SPIN and the test again.  Kernel calls
 * are the allocator's own state machines (kernel.h), driven here: each
 * KSTEP_ACCESS becomes a CORE_ACCESS, KSTEP_SPIN a CORE_SPIN, KSTEP_BLOCKED
 * a CORE_SLEEP.
 */
#include <inttypes.h>

#include "core.h"
#include "kcall.h"
#include "regfile.h"

/* Where a core is within its current operation. */
typedef enum {
	STEP_IDLE,      /* no operation in progress */
	STEP_ACCESS,    /* ld, st, rmw or unlock: its one access is pending */
	STEP_COMPUTE,   /* compute: the time is passing */
	STEP_LOCK_TEST, /* lock: the test load is pending */
	STEP_LOCK_SET,  /* lock: the exchange is pending */
	STEP_LOCK_SPUN, /* lock: the test or the exchange saw it held; test again */
	STEP_KERNEL,    /* a kernel call: kernel_next() says what comes next */
} Step;

typedef struct {
	WlOp op;             /* the operation in progress */
	Step step;
	gboolean spinning;   /* the last lock test or exchange failed */
	/* The pending access: the workload's own (kind, addr, a, b) or, with
	 * is_kernel, the allocator's (kacc). */
	gboolean is_kernel;
	gboolean kernel_owed; /* kacc was asked for: kernel_complete() is owed */
	AccessKind kind;
	uint64_t addr, a, b;
	KAccess kacc;
	uint64_t value;      /* what the last performed access returned */
	uint64_t lock_addr;  /* lock: the lock word; lock_page: the page */
} Core;

struct CoreModel {
	CoreModelView view; /* first: core_view() */
	CorePending *pending; /* [core], view.pending */
	Machine *m;
	Kernel *k;        /* NULL when the workload makes no kernel calls */
	const char *path; /* the workload, for messages */
	RunResult *res;
	RegFile *regs;
	Core *cores;
	uint8_t *status; /* [core] CoreStatus */
	unsigned n;
	unsigned at_barrier, running, sleeping; /* cores in each status */
	GHashTable *lock_holder;       /* lock address -> holder core + 1 */
	GHashTable *lock_last;         /* lock address -> last core to acquire it + 1 */
	GHashTable *page_lock_holders; /* page address -> holder core + 1 */
	uint64_t lock_handoffs;
};

CoreModel *core_model_new(Machine *m, Kernel *k, const char *path, RunResult *res)
{
	CoreModel *cm = g_new0(CoreModel, 1);
	cm->m = m;
	cm->k = k;
	cm->path = path;
	cm->res = res;
	cm->n = machine_n_cores(m);
	g_assert(res->n_cores == cm->n);
	cm->regs = regfile_new(cm->n);
	cm->cores = g_new0(Core, cm->n);
	cm->status = g_new0(uint8_t, cm->n); /* CORE_RUNNING */
	cm->pending = g_new0(CorePending, cm->n);
	cm->view.status = cm->status;
	cm->view.pending = cm->pending;
	cm->running = cm->n;
	cm->lock_holder = g_hash_table_new(g_direct_hash, g_direct_equal);
	cm->lock_last = g_hash_table_new(g_direct_hash, g_direct_equal);
	cm->page_lock_holders = g_hash_table_new(g_direct_hash, g_direct_equal);
	return cm;
}

void core_model_free(CoreModel *cm)
{
	if (!cm)
		return;
	regfile_free(cm->regs);
	g_free(cm->cores);
	g_free(cm->status);
	g_free(cm->pending);
	g_hash_table_destroy(cm->lock_holder);
	g_hash_table_destroy(cm->lock_last);
	g_hash_table_destroy(cm->page_lock_holders);
	g_free(cm);
}

/* Stops the run with err about op's line: "FILE:LINE: ...".  Errors that
 * are not already the simulator's or the kernel's are bad input. */
static CoreYield fail_at_line(CoreModel *cm, const WlOp *op, GError *err, GError **error)
{
	g_prefix_error(&err, "%s:%" PRIu32 ": ", cm->path, op->line);
	if (err->domain != SIM_ERROR && err->domain != KERNEL_ERROR) {
		g_set_error_literal(error, SIM_ERROR, SIM_ERROR_INPUT, err->message);
		g_error_free(err);
	} else {
		g_propagate_error(error, err);
	}
	return CORE_ERROR;
}

/* The address op names: plain, or rN + offset inside rN's block. */
static inline gboolean op_addr(CoreModel *cm, unsigned c, const WlOp *op, uint64_t *addr,
			       GError **err)
{
	if (G_LIKELY(op->reg == WL_NO_REG)) {
		*addr = op->addr;
		return TRUE;
	}
	return regfile_resolve(cm->regs, c, op->reg, op->addr, addr, err);
}

static inline CoreYield ask_access(CoreModel *cm, unsigned c, AccessKind kind, uint64_t addr,
				   uint64_t a, uint64_t b)
{
	Core *core = &cm->cores[c];
	cm->pending[c] = (CorePending){ addr, kind != ACC_LOAD, 0 };
	core->is_kernel = FALSE;
	core->kind = kind;
	core->addr = addr;
	core->a = a;
	core->b = b;
	return CORE_ACCESS;
}

static void set_status(CoreModel *cm, unsigned c, CoreStatus to)
{
	unsigned *counts[] = { &cm->running, &cm->at_barrier, &cm->sleeping, NULL };
	if (counts[cm->status[c]])
		(*counts[cm->status[c]])--;
	if (counts[to])
		(*counts[to])++;
	cm->status[c] = (uint8_t)to;
}

static void set_spinning(CoreModel *cm, Core *core, gboolean on)
{
	if (core->spinning == on)
		return;
	core->spinning = on;
	if (on)
		cm->view.n_spinning++;
	else
		cm->view.n_spinning--;
}

/* The operation is complete. */
static CoreYield op_done(CoreModel *cm, unsigned c, CoreYield y)
{
	Core *core = &cm->cores[c];
	core->step = STEP_IDLE;
	set_spinning(cm, core, FALSE);
	cm->res->cores[c].operations++;
	cm->res->operations++;
	if (y == CORE_BARRIER)
		set_status(cm, c, CORE_AT_BARRIER);
	return y;
}

static CoreYield spin(CoreModel *cm, Core *core)
{
	set_spinning(cm, core, TRUE);
	core->step = STEP_LOCK_SPUN;
	return CORE_SPIN;
}

static void lock_acquired(CoreModel *cm, unsigned c)
{
	gpointer key = GSIZE_TO_POINTER(cm->cores[c].lock_addr);
	unsigned last = GPOINTER_TO_UINT(g_hash_table_lookup(cm->lock_last, key));
	if (last && last != c + 1)
		cm->lock_handoffs++;
	g_hash_table_insert(cm->lock_last, key, GUINT_TO_POINTER(c + 1));
	g_hash_table_insert(cm->lock_holder, key, GUINT_TO_POINTER(c + 1));
	cm->res->cores[c].lock_acquires++;
}

/* A kernel call goes on until it needs an access, spins, sleeps or is done. */
static CoreYield kernel_continue(CoreModel *cm, unsigned c, uint64_t now, GError **error)
{
	Core *core = &cm->cores[c];
	if (core->kernel_owed) {
		GError *err = NULL;
		core->kernel_owed = FALSE;
		if (!kernel_complete(cm->k, c, core->value, now, &err))
			return fail_at_line(cm, &core->op, err, error);
	}
	switch (kernel_next(cm->k, c, &core->kacc)) {
	case KSTEP_ACCESS:
		cm->pending[c] = (CorePending){ core->kacc.addr, core->kacc.kind != KOP_LOAD, 1 };
		core->is_kernel = TRUE;
		core->kernel_owed = TRUE;
		return CORE_ACCESS;
	case KSTEP_SPIN:
		set_spinning(cm, core, TRUE);
		return CORE_SPIN;
	case KSTEP_BLOCKED:
		set_status(cm, c, CORE_SLEEPING);
		return CORE_SLEEP;
	case KSTEP_DONE:
		kcall_finish(cm->k, cm->regs, cm->page_lock_holders, c, &core->op);
		if (core->op.kind == WL_OP_LOCK_PAGE)
			cm->res->cores[c].lock_acquires++;
		return op_done(cm, c, CORE_DONE);
	}
	g_assert_not_reached();
}

/* Begins core->op. */
static inline G_ALWAYS_INLINE CoreYield start_op(CoreModel *cm, unsigned c, uint64_t now, GError **error)
{
	Core *core = &cm->cores[c];
	const WlOp *op = &core->op;
	GError *err = NULL;
	uint64_t addr;

	switch ((WlOpKind)op->kind) {
	case WL_OP_LD:
	case WL_OP_ST:
	case WL_OP_RMW: {
		if (!op_addr(cm, c, op, &addr, &err))
			return fail_at_line(cm, op, err, error);
		OpAccess acc = engine_op_access(op);
		core->step = STEP_ACCESS;
		return ask_access(cm, c, acc.kind, addr, acc.a, acc.b);
	}
	case WL_OP_COMPUTE:
		core->step = STEP_COMPUTE;
		return CORE_COMPUTE;
	case WL_OP_LOCK:
		if (!op_addr(cm, c, op, &addr, &err))
			return fail_at_line(cm, op, err, error);
		core->lock_addr = addr;
		core->step = STEP_LOCK_TEST;
		return ask_access(cm, c, ACC_LOAD, addr, 0, 0);
	case WL_OP_UNLOCK:
		if (!op_addr(cm, c, op, &addr, &err))
			return fail_at_line(cm, op, err, error);
		g_hash_table_remove(cm->lock_holder, GSIZE_TO_POINTER(addr));
		core->step = STEP_ACCESS;
		return ask_access(cm, c, ACC_STORE, addr, 0, 0); /* unlock: store 0 */
	case WL_OP_BARRIER:
		return op_done(cm, c, CORE_BARRIER);
	case WL_OP_ALLOC:
	case WL_OP_FREE:
	case WL_OP_LOCK_PAGE:
	case WL_OP_UNLOCK_PAGE:
		if (!cm->k) {
			err = g_error_new(SIM_ERROR, SIM_ERROR_INPUT, "%s needs the kernel allocator",
					  wl_op_name(op->kind));
			return fail_at_line(cm, op, err, error);
		}
		if (op->kind == WL_OP_LOCK_PAGE)
			core->lock_addr = regfile_page(cm->regs, c, op->reg);
		if (!kcall_begin(cm->k, cm->regs, c, op, now, &err))
			return fail_at_line(cm, op, err, error);
		core->step = STEP_KERNEL;
		core->kernel_owed = FALSE;
		return kernel_continue(cm, c, now, error);
	case WL_N_OPS:
		break;
	}
	g_assert_not_reached();
}

/* Moves core->op on after its last yield. */
static inline G_ALWAYS_INLINE CoreYield resume_op(CoreModel *cm, unsigned c, uint64_t now, GError **error)
{
	Core *core = &cm->cores[c];
	const WlOp *op = &core->op;

	switch (core->step) {
	case STEP_ACCESS:
		if (op->kind == WL_OP_LD &&
		    !engine_check_load(cm->path, op, c, core->addr, core->value, error))
			return CORE_ERROR;
		return op_done(cm, c, CORE_DONE);
	case STEP_COMPUTE:
		return op_done(cm, c, CORE_DONE);
	case STEP_LOCK_TEST:
		if (core->value != 0)
			return spin(cm, core);
		core->step = STEP_LOCK_SET;
		return ask_access(cm, c, ACC_RMW_XCHG, core->lock_addr, 1, 0);
	case STEP_LOCK_SET:
		if (core->value != 0)
			return spin(cm, core);
		lock_acquired(cm, c);
		return op_done(cm, c, CORE_DONE);
	case STEP_LOCK_SPUN:
		core->step = STEP_LOCK_TEST;
		return ask_access(cm, c, ACC_LOAD, core->lock_addr, 0, 0);
	case STEP_KERNEL:
		return kernel_continue(cm, c, now, error);
	case STEP_IDLE:
		break;
	}
	g_assert_not_reached();
}

/* Observers of the machine read which operation an access is part of. */
static inline void note_where(CoreModel *cm, unsigned c, const WlOp *op, uint64_t now)
{
	CoreWhere *w = &cm->res->where[c];
	w->cycle = now;
	w->op_index = cm->res->cores[c].operations;
	w->line = op->line;
	w->op_kind = op->kind;
	w->kstep = NULL;
}

CoreYield core_start(CoreModel *cm, unsigned c, const WlOp *op, uint64_t now, GError **error)
{
	Core *core = &cm->cores[c];
	g_assert(core->step == STEP_IDLE);
	if (op != &core->op)
		core->op = *op;
	note_where(cm, c, op, now);
	return start_op(cm, c, now, error);
}

CoreYield core_resume(CoreModel *cm, unsigned c, uint64_t now, GError **error)
{
	cm->res->where[c].cycle = now;
	return resume_op(cm, c, now, error);
}

/* core_run_atomic() of a plain ld, st or rmw: the common case, without
 * entering the state machine (the same access and check as start_op() and
 * resume_op() make). */
static inline CoreYield plain_atomic(CoreModel *cm, unsigned c, const WlOp *op, uint64_t now,
				     GError **error)
{
	note_where(cm, c, op, now);
	OpAccess acc = engine_op_access(op);
	uint64_t v = machine_access(cm->m, c, acc.kind, op->addr, acc.a, acc.b);
	if (op->kind == WL_OP_LD && !engine_check_load(cm->path, op, c, op->addr, v, error))
		return CORE_ERROR;
	cm->res->cores[c].operations++;
	cm->res->operations++;
	return CORE_DONE;
}

CoreYield core_run_atomic(CoreModel *cm, unsigned c, const WlOp *op, uint64_t now,
			  GError **error)
{
	if (op && G_LIKELY(op->kind <= WL_OP_RMW && op->reg == WL_NO_REG))
		return plain_atomic(cm, c, op, now, error);
	CoreYield y = op ? core_start(cm, c, op, now, error) : core_resume(cm, c, now, error);
	for (;;) {
		switch (y) {
		case CORE_ACCESS:
			core_perform(cm, c);
			break;
		case CORE_COMPUTE:
			break;
		default:
			return y;
		}
		y = resume_op(cm, c, now, error);
	}
}

void core_perform(CoreModel *cm, unsigned c)
{
	Core *core = &cm->cores[c];
	if (core->is_kernel) {
		cm->res->where[c].kstep = core->kacc.step;
		core->value = kernel_perform(cm->m, c, &core->kacc);
		cm->res->where[c].kstep = NULL;
		return;
	}
	core->value = machine_access(cm->m, c, core->kind, core->addr, core->a, core->b);
}

int core_perform_if_hit(CoreModel *cm, unsigned c)
{
	Core *core = &cm->cores[c];
	if (core->is_kernel) {
		cm->res->where[c].kstep = core->kacc.step;
		int hit = kernel_perform_if_hit(cm->m, c, &core->kacc, &core->value);
		cm->res->where[c].kstep = NULL;
		return hit;
	}
	return machine_access_if_hit(cm->m, c, core->kind, core->addr, core->a, core->b,
				     &core->value);
}

int core_needs_interconnect(const CoreModel *cm, unsigned c)
{
	const Core *core = &cm->cores[c];
	if (core->is_kernel)
		return kernel_access_needs_bus(cm->m, c, &core->kacc);
	return machine_needs_bus(cm->m, c, core->kind, core->addr);
}

uint64_t core_compute_cycles(const CoreModel *cm, unsigned c)
{
	g_assert(cm->cores[c].step == STEP_COMPUTE);
	return cm->cores[c].op.value;
}

const WlOp *core_op(const CoreModel *cm, unsigned c)
{
	return &cm->cores[c].op;
}

WlOp *core_op_slot(CoreModel *cm, unsigned c)
{
	return &cm->cores[c].op;
}

int core_spinning(const CoreModel *cm, unsigned c)
{
	return cm->cores[c].spinning;
}

void core_finish(CoreModel *cm, unsigned c)
{
	set_status(cm, c, CORE_FINISHED);
}

void core_wake(CoreModel *cm, unsigned c)
{
	g_assert(cm->status[c] == CORE_SLEEPING);
	set_status(cm, c, CORE_RUNNING);
}

int core_model_barrier_complete(const CoreModel *cm)
{
	return cm->at_barrier > 0 && cm->running == 0 && cm->sleeping == 0;
}

void core_release(CoreModel *cm, unsigned c)
{
	g_assert(cm->status[c] == CORE_AT_BARRIER);
	set_status(cm, c, CORE_RUNNING);
}

unsigned core_model_n_sleeping(const CoreModel *cm)
{
	return cm->sleeping;
}

uint64_t core_model_lock_handoffs(const CoreModel *cm)
{
	return cm->lock_handoffs;
}

static const char *status_text(const CoreModel *cm, unsigned h)
{
	switch ((CoreStatus)cm->status[h]) {
	case CORE_FINISHED:
		return "has finished";
	case CORE_AT_BARRIER:
		return "is waiting at a barrier";
	case CORE_SLEEPING:
		return "sleeps in the allocator";
	case CORE_RUNNING:
		break;
	}
	return cm->cores[h].spinning ? "is spinning on another lock" : "is running";
}

/* " held by core H, which ...;" for the lock at addr in holders, or the
 * recursive case, or `otherwise` when nobody holds it. */
static void describe_holder(const CoreModel *cm, GString *msg, GHashTable *holders, unsigned c,
			    uint64_t addr, const char *otherwise)
{
	gpointer v = g_hash_table_lookup(holders, GSIZE_TO_POINTER(addr));
	if (!v) {
		g_string_append_printf(msg, " %s;", otherwise);
		return;
	}
	unsigned h = GPOINTER_TO_UINT(v) - 1;
	if (h == c)
		g_string_append_printf(msg, " core %u already holds it (recursive lock);", c);
	else
		g_string_append_printf(msg, " held by core %u, which %s;", h, status_text(cm, h));
}

void core_model_describe_waits(const CoreModel *cm, GString *msg)
{
	for (unsigned c = 0; c < cm->n; c++) {
		const Core *core = &cm->cores[c];
		const WlOp *op = &core->op;
		if (cm->status[c] == CORE_SLEEPING) {
			KZoneInfo zi;
			kernel_zone_info(cm->k, &zi);
			g_string_append_printf(msg,
					       " GFP_KERNEL alloc (%s:%" PRIu32 ") by core %u sleeps: "
					       "%" PRIu64 " free pages (min watermark %" PRIu64
					       ") and no core left to free one;",
					       cm->path, op->line, c, zi.buddy_pages + zi.pcp_pages,
					       zi.min);
			continue;
		}
		if (cm->status[c] != CORE_RUNNING || !core->spinning)
			continue;
		switch (op->kind) {
		case WL_OP_LOCK:
			g_string_append_printf(msg,
					       " lock 0x%" PRIx64 " (%s:%" PRIu32 ") wanted by core %u;",
					       core->lock_addr, cm->path, op->line, c);
			describe_holder(cm, msg, cm->lock_holder, c, core->lock_addr,
					"set by a store, not by a lock");
			break;
		case WL_OP_LOCK_PAGE:
			g_string_append_printf(msg,
					       " page lock of 0x%" PRIx64 " (%s:%" PRIu32
					       ") wanted by core %u;",
					       core->lock_addr, cm->path, op->line, c);
			describe_holder(cm, msg, cm->page_lock_holders, c, core->lock_addr,
					"held by no one known");
			break;
		default:
			g_string_append_printf(msg, " core %u spins in the allocator (%s:%" PRIu32 ");",
					       c, cm->path, op->line);
			break;
		}
	}
}
