/* core.h - one core model under two clocks: what every workload operation
 * means, written once for the functional and the timing engine.
 *
 * A core runs each operation as a small resumable machine.  core_start()
 * begins an operation and core_resume() continues it; both return what the
 * core needs from its engine next:
 *
 *   CORE_ACCESS   one memory operation is pending (a load, store or rmw of
 *                 the workload or of the kernel, or the allocator's claim
 *                 of a line).  The engine performs it when its clock says
 *                 so (core_perform(), or core_perform_if_hit() for a hit
 *                 that needs no interconnect), then resumes the core.
 *   CORE_COMPUTE  the core is busy for core_compute_cycles(); then resume.
 *   CORE_SPIN     a lock's test failed (a workload lock, lock_page, the
 *                 zone lock): resuming tests again.  Functional mode ends
 *                 the core's turn here; timing mode tests again at once.
 *   CORE_SLEEP    a GFP_KERNEL alloc waits for a free: resume (after
 *                 core_wake()) once kernel_free_generation() has changed.
 *   CORE_BARRIER  the core arrived at a barrier; the operation is complete
 *                 and the core waits until core_release().
 *   CORE_DONE     the operation is complete.
 *   CORE_ERROR    the run must stop; *error says why, FILE:LINE first.
 *
 * What is the same under both clocks lives here: register addressing,
 * what each operation accesses, the test-and-test-and-set lock, the lock
 * and page-lock holder tables, barrier arrival, kernel calls and their
 * register bookkeeping, `=V` checks, per-core operation and lock counts,
 * which core waits for what, and the description of a deadlock.  What
 * depends on the clock stays in the engines: when an access is performed
 * and what it costs, stall and lock-wait time, when a barrier releases,
 * when to call it a deadlock (functional.c, timing.c).
 */
#ifndef LABYRINTH_CORE_H
#define LABYRINTH_CORE_H

#include <glib.h>
#include <stdint.h>

#include "engine.h"
#include "input/workload.h"
#include "kernel/kernel.h"
#include "machine/machine.h"

typedef enum {
	CORE_ACCESS,
	CORE_COMPUTE,
	CORE_SPIN,
	CORE_SLEEP,
	CORE_BARRIER,
	CORE_DONE,
	CORE_ERROR,
} CoreYield;

/* Where a core stands, for barriers and deadlock descriptions. */
typedef enum {
	CORE_RUNNING,   /* has an operation in progress, or is between two */
	CORE_AT_BARRIER, /* arrived at a barrier, not yet released */
	CORE_SLEEPING,  /* a GFP_KERNEL alloc waits for a free */
	CORE_FINISHED,  /* has no operation left */
} CoreStatus;

typedef struct CoreModel CoreModel;

/* What an engine may read of a core's pending access without a call. */
typedef struct {
	uint64_t addr;     /* the word it touches (a claim: its line) */
	uint8_t writes;    /* a store, an rmw or a claim: it may change a word */
	uint8_t is_kernel; /* the allocator's, not the workload's */
} CorePending;

/* The part of the core model engines read on every access or turn; the
 * core model alone writes it.  A CoreModel starts with one. */
typedef struct {
	const uint8_t *status;      /* [core] CoreStatus */
	const CorePending *pending; /* [core] the access after CORE_ACCESS */
	unsigned n_spinning;        /* cores whose last lock test failed */
} CoreModelView;

static inline const CoreModelView *core_view(const CoreModel *cm)
{
	return (const CoreModelView *)(const void *)cm;
}

/* The cores of a run on m, with the simulated kernel k (NULL when the
 * workload makes no kernel calls).  path names the workload in messages;
 * res receives per-core operation and lock counts and, in where[], the
 * operation each core is in (for the machine's observers). */
CoreModel *core_model_new(Machine *m, Kernel *k, const char *path, RunResult *res);
void core_model_free(CoreModel *cm);

/* Where an engine may read core's next operation to, so that core_start()
 * need not copy it: the same place for the whole run, to be written only
 * between operations (after CORE_DONE or CORE_BARRIER). */
WlOp *core_op_slot(CoreModel *cm, unsigned core);
/* Begins op on core at now (op is copied unless it is core_op_slot()). */
CoreYield core_start(CoreModel *cm, unsigned core, const WlOp *op, uint64_t now, GError **error);
/* Continues core's operation after what it last asked for: the access was
 * performed, the compute time passed, the spin or sleep is to be retried. */
CoreYield core_resume(CoreModel *cm, unsigned core, uint64_t now, GError **error);
/* Runs op (or, with op NULL, resumes the one in progress) with every access
 * performed at once, until the operation completes or waits: what
 * functional mode's turn is.  Never returns CORE_ACCESS or CORE_COMPUTE. */
CoreYield core_run_atomic(CoreModel *cm, unsigned core, const WlOp *op, uint64_t now,
			  GError **error);

/* The pending access (after CORE_ACCESS). */
void core_perform(CoreModel *cm, unsigned core);
/* Performs it if it is a hit the protocol settles without the interconnect;
 * 1 if it did.  Claims always go to the interconnect. */
int core_perform_if_hit(CoreModel *cm, unsigned core);
/* Whether it needs the interconnect now (the answer can change before it
 * is performed). */
int core_needs_interconnect(const CoreModel *cm, unsigned core);
/* What it is: core_view(cm)->pending[core]. */

/* After CORE_COMPUTE: how long. */
uint64_t core_compute_cycles(const CoreModel *cm, unsigned core);
/* The operation in progress. */
const WlOp *core_op(const CoreModel *cm, unsigned core);

static inline CoreStatus core_status(const CoreModel *cm, unsigned core)
{
	return (CoreStatus)core_view(cm)->status[core];
}
/* The core's last lock test failed and it has not acquired since. */
int core_spinning(const CoreModel *cm, unsigned core);
/* core has no operation left. */
void core_finish(CoreModel *cm, unsigned core);
/* A sleeping core may try again (its engine saw the free generation move). */
void core_wake(CoreModel *cm, unsigned core);
/* Every unfinished core is at the barrier and at least one is: the
 * barrier may release (when is the engine's clock's business). */
int core_model_barrier_complete(const CoreModel *cm);
/* Releases core from the barrier. */
void core_release(CoreModel *cm, unsigned core);

/* Cores asleep in the allocator (spinning ones: core_view()->n_spinning). */
unsigned core_model_n_sleeping(const CoreModel *cm);
/* Lock acquisitions by another core than the lock's previous holder. */
uint64_t core_model_lock_handoffs(const CoreModel *cm);

/* Appends, for every running core that spins and every sleeping core,
 * "; lock 0x... (FILE:LINE) wanted by core C; held by core H, which ..."
 * and the like: what a deadlock message names.  Each item ends with ';'. */
void core_model_describe_waits(const CoreModel *cm, GString *msg);

#endif
