/* kernel.h - the simulated kernel: an atomic page allocator modelled on
 * Linux mm/page_alloc.c whose data structures live in simulated physical
 * memory (layout.h).  It is not a C function that returns a page: each
 * call (alloc, free, lock_page, unlock_page) is a per-core state machine
 * that asks the engine to perform one memory operation at a time, so its
 * cost, lock contention and invalidations come out of the coherence model
 * and it runs the same way under the functional and the timing engine.
 *
 * The engine's loop, for a core with a call in progress:
 *
 *     KAccess acc;
 *     switch (kernel_next(k, core, &acc)) {
 *     case KSTEP_ACCESS:  perform acc on the machine (machine_set_context(m, acc.ctx);
 *                         machine_access() or machine_claim_line()), then
 *                         kernel_complete(k, core, value, now);
 *     case KSTEP_SPIN:    the call just saw a lock held and will test again:
 *                         functional mode ends the core's turn here;
 *                         timing mode simply asks kernel_next() again.
 *     case KSTEP_BLOCKED: the call sleeps (GFP_KERNEL with no free page):
 *                         retry after kernel_free_generation() changes.
 *     case KSTEP_DONE:    the call is over; kernel_result() is its value.
 *     }
 */
#ifndef LABYRINTH_KERNEL_H
#define LABYRINTH_KERNEL_H

#include <glib.h>
#include <stdint.h>

#include "config.h"
#include "machine.h"

typedef enum {
	KOP_LOAD,
	KOP_STORE,
	KOP_RMW_ADD,
	KOP_RMW_XCHG,
	KOP_RMW_CAS,
	KOP_CLAIM_ZERO, /* machine_claim_line(zero = 1) on addr (a line address) */
	KOP_CLAIM_RFO,  /* machine_claim_line(zero = 0) */
} KOpKind;

typedef struct {
	KOpKind kind;
	uint64_t addr;
	uint64_t a, b;     /* store value / rmw operands, as machine_access() takes them */
	AccessContext ctx; /* CTX_KERNEL_META or CTX_KERNEL_CLAIM */
	const char *step;  /* the allocator step, for event traces ("zone_lock", "claim", ...) */
} KAccess;

typedef enum { KSTEP_ACCESS, KSTEP_SPIN, KSTEP_BLOCKED, KSTEP_DONE } KStep;

typedef struct Kernel Kernel;

#define KERNEL_ERROR (kernel_error_quark())
GQuark kernel_error_quark(void);
typedef enum {
	KERNEL_ERROR_CONFIG,    /* impossible allocator settings */
	KERNEL_ERROR_BAD_FREE,  /* free of no page, or of a page twice */
	KERNEL_ERROR_INVARIANT, /* an allocator invariant broke (see kernel_check) */
} KernelError;

/* Boots the allocator: lays out the zone in m's memory (directly, not as
 * simulated traffic) with every page free.  Fails for impossible settings. */
Kernel *kernel_new(const Config *cfg, Machine *m, GError **error);
void kernel_free(Kernel *k);

/* Starting a call on a core with none in progress.  now is the current
 * cycle (turn) for latency statistics.  line is the workload line, for
 * messages.  free/unlock_page take the page address a register holds. */
void kernel_begin_alloc(Kernel *k, unsigned core, uint32_t gfp, unsigned order, uint64_t now);
gboolean kernel_begin_free(Kernel *k, unsigned core, uint64_t page, uint64_t now, GError **error);
gboolean kernel_begin_lock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				GError **error);
gboolean kernel_begin_unlock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				  GError **error);

KStep kernel_next(Kernel *k, unsigned core, KAccess *acc);
/* The value of the access kernel_next() asked for (a load's value, an rmw's
 * old value; 0 for stores and claims).  FALSE if an invariant broke. */
gboolean kernel_complete(Kernel *k, unsigned core, uint64_t value, uint64_t now, GError **error);
/* After KSTEP_DONE: alloc's page address (0 on failure); 0 otherwise. */
uint64_t kernel_result(const Kernel *k, unsigned core);
/* The order of the block starting at page (for register bounds checks). */
unsigned kernel_page_order(const Kernel *k, uint64_t page);
/* Bumped whenever pages are freed: a sleeping GFP_KERNEL call retries then. */
uint64_t kernel_free_generation(const Kernel *k);

/* Statistics: adds the "allocator" member to a JSON object being built,
 * and prints the allocator section of the report. */
void kernel_stats_json(const Kernel *k, JsonBuilder *b);
void kernel_stats_report(const Kernel *k, FILE *out);

#endif
