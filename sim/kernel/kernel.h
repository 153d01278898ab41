/* kernel.h - the simulated kernel: an atomic page allocator modelled on
 * Linux mm/page_alloc.c whose data structures live in simulated physical
 * memory (layout.h).  It is not a C function that returns a page: each
 * call (alloc, free, lock_page, unlock_page) is a per-core state machine
 * that asks the engine to perform one memory operation at a time, so its
 * cost, lock contention and invalidations come out of the coherence model
 * and it runs the same way under the functional and the timing engine.
 * docs/allocator.md explains the model and what it takes from Linux.
 *
 * The engine's loop, for a core with a call in progress:
 *
 *     KAccess acc;
 *     switch (kernel_next(k, core, &acc)) {
 *     case KSTEP_ACCESS:  perform acc on the machine (kernel_perform() does
 *                         it: machine_set_context(m, acc.ctx), then
 *                         machine_access() or machine_claim_line()), then
 *                         kernel_complete(k, core, value, now);
 *     case KSTEP_SPIN:    the call just saw a lock held and will test again:
 *                         functional mode ends the core's turn here;
 *                         timing mode simply asks kernel_next() again.
 *     case KSTEP_BLOCKED: the call sleeps (GFP_KERNEL with no free page):
 *                         retry after kernel_free_generation() changes
 *                         (asking earlier is harmless: it answers BLOCKED
 *                         again without touching memory).
 *     case KSTEP_DONE:    the call is over; kernel_result() is its value.
 *     }
 *
 * kernel_next() may be asked again before kernel_complete(): it returns the
 * same access.  Time ("now") is whatever the engine counts: cycles in
 * timing mode, turns in functional mode.
 */
#ifndef LABYRINTH_KERNEL_H
#define LABYRINTH_KERNEL_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdio.h>

#include "layout.h"
#include "input/config.h"
#include "machine/machine.h"

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
	KERNEL_ERROR_BAD_FREE,  /* free of no page, of a page twice, or of a locked page */
	KERNEL_ERROR_INVARIANT, /* an allocator invariant broke (see kcheck.c) */
	KERNEL_ERROR_BAD_PAGE_LOCK, /* unlock_page of a page that is not locked */
} KernelError;

/* Boots the allocator: lays out the zone in m's memory (directly, not as
 * simulated traffic) with every page free, and watches m's accesses to
 * split its traffic by call.  Fails for impossible settings. */
Kernel *kernel_new(const Config *cfg, Machine *m, GError **error);
void kernel_free(Kernel *k);

/* Starting a call on a core with none in progress.  now is the current
 * cycle (turn) for latency statistics.  free/lock_page/unlock_page take the
 * page address a register holds (the first page of its block); they fail
 * with KERNEL_ERROR_BAD_FREE / _BAD_PAGE_LOCK for a page that is not an
 * allocated block (0 included), and the engine adds FILE:LINE. */
void kernel_begin_alloc(Kernel *k, unsigned core, uint32_t gfp, unsigned order, uint64_t now);
gboolean kernel_begin_free(Kernel *k, unsigned core, uint64_t page, uint64_t now, GError **error);
gboolean kernel_begin_lock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				GError **error);
gboolean kernel_begin_unlock_page(Kernel *k, unsigned core, uint64_t page, uint64_t now,
				  GError **error);

KStep kernel_next(Kernel *k, unsigned core, KAccess *acc);
/* The value of the access kernel_next() asked for (a load's value, an rmw's
 * old value; 0 for stores and claims).  FALSE with KERNEL_ERROR_INVARIANT
 * if an invariant broke; the run must stop then. */
gboolean kernel_complete(Kernel *k, unsigned core, uint64_t value, uint64_t now, GError **error);
/* Performs acc for core on m under acc's context and returns the value to
 * hand to kernel_complete(); the context is CTX_USER again afterwards. */
uint64_t kernel_perform(Machine *m, unsigned core, const KAccess *acc);
/* The same only if acc is a hit the protocol settles without the bus (1,
 * and *value); claims never are.  Timing mode's hit path. */
int kernel_perform_if_hit(Machine *m, unsigned core, const KAccess *acc, uint64_t *value);
/* Whether acc needs the bus now: claims always do. */
int kernel_access_needs_bus(const Machine *m, unsigned core, const KAccess *acc);
/* After KSTEP_DONE: alloc's page address (0 on failure); 0 otherwise. */
uint64_t kernel_result(const Kernel *k, unsigned core);
/* The order of the allocated block starting at page (for register bounds
 * checks); page must be the first page of an allocated block. */
unsigned kernel_page_order(const Kernel *k, uint64_t page);
/* Bumped whenever pages are freed: a sleeping GFP_KERNEL call retries then. */
uint64_t kernel_free_generation(const Kernel *k);
/* An alloc into a register that still held this block: it stays allocated
 * and nobody can free it any more (counted as a leak). */
void kernel_note_leak(Kernel *k, unsigned core, uint64_t page);

/* Where everything is, and the zone's settings after derivation. */
const KLayout *kernel_get_layout(const Kernel *k);
typedef struct {
	uint64_t min, low, high; /* watermarks, pages */
	unsigned batch, pcp_high;
	uint64_t buddy_pages;    /* pages on the buddy free lists (host-side shadow) */
	uint64_t pcp_pages;      /* pages on all per-CPU lists */
	uint64_t allocated;      /* pages handed out and not freed */
} KZoneInfo;
void kernel_zone_info(const Kernel *k, KZoneInfo *zi);
/* pages on core's per-CPU list */
uint64_t kernel_pcp_count(const Kernel *k, unsigned core);

/* The statistics kept by the allocator (all times in the engine's unit). */
typedef struct {
	uint64_t allocs;   /* successful allocations */
	uint64_t frees;
	uint64_t failures; /* alloc calls that returned 0 */
	uint64_t pcp_hits, refills_on_alloc, buddy_allocs; /* successful allocs by path */
	uint64_t slowpath; /* allocs that failed the low watermark */
	uint64_t reserve_dips; /* allocs that succeeded only below the min watermark */
	uint64_t sleeps, sleep_cycles; /* GFP_KERNEL waits for a free */
	uint64_t lock_acquisitions, lock_contended, lock_wait_cycles, lock_hold_cycles,
		lock_handoffs;
	uint64_t refills, drains, pages_refilled, pages_drained;
	uint64_t page_lock_acquisitions, page_lock_contended, page_lock_wait_cycles;
	uint64_t leaked_blocks, leaked_pages; /* lost by alloc into a full register */
	/* Invalidations and cache-to-cache transfers caused by allocator
	 * traffic, by the call that caused them: [call][0 = metadata, 1 = claim],
	 * call 0 alloc, 1 free, 2 lock_page/unlock_page. */
	uint64_t inv[3][2], c2c[3][2];
} KStats;
const KStats *kernel_stats(const Kernel *k);

/* Test hook: the next allocation skips its exclusive claim, so a test can
 * show that the invariant check catches a claim that did not happen. */
void kernel_debug_break_claim(Kernel *k);

/* Statistics: adds the "allocator" member to a JSON object being built,
 * and prints the allocator section of the report. */
void kernel_stats_json(const Kernel *k, JsonBuilder *b);
void kernel_stats_report(const Kernel *k, FILE *out);

#endif
