/* kpriv.h - the inside of the simulated kernel, shared by its files:
 * zone.c (boot, watermarks), list.c (list_head operations), buddy.c (free
 * lists, split and merge), pcp.c (per-CPU lists), spinlock.c (the zone
 * lock), alloc.c (the calls and the engine interface), kcheck.c (the
 * invariants) and kstats.c (statistics).  No one outside sim/kernel/
 * includes it.
 *
 * Resumable functions
 * -------------------
 * Every allocator function that touches simulated memory is a resumable
 * function ("coroutine", in the style of protothreads): it returns
 * KSTEP_ACCESS after describing one memory operation in kc->acc, and when
 * the engine has performed it, it is called again and resumes just after
 * that operation, with the loaded value in kc->val.  So the code reads top
 * to bottom like the kernel function it models, and every access goes
 * through the engine in program order.
 *
 * Each resumable function `fn` has its own frame type (KFnFrame, below),
 * one frame per core in KCore, and the signature
 *
 *     KStep fn(Kernel *k, KCore *kc, KFnFrame *f);
 *
 * (the macros use the names k, kc and f).  The frame holds `pc`, the
 * resume point, then the function's arguments ("in"), its results ("out")
 * and every variable that lives across a step, each field with one meaning.
 * Its body sits between KM_BEGIN(f) and KM_END(f); its steps are:
 *
 *     LOAD(addr, name) STORE(addr, v, name) RMW_ADD(addr, v, name)
 *     XCHG(addr, v, name) CAS(addr, old, new, name)   (KM_OP in general)
 *                                   one access; its value is then in kc->val
 *     KM_YIELD(f, KSTEP_SPIN)       hand the engine a SPIN or BLOCKED step
 *     KM_CALL(f, callee, &kc->callee_frame, .arg = value, ...)
 *                                   run a resumable callee to its end
 *
 * `name` is the step's name in event traces ("zone_lock.spin").  KM_CALL
 * fills the callee's frame from its designated initialisers when the call
 * starts (every other field zero) and passes the callee's ACCESS, SPIN and
 * BLOCKED steps up; the callee's out fields are read from its frame after.
 * A function may be called from several places, but never while it is
 * already running on that core (no recursion: one frame per function per
 * core is enough, and KM_CALL asserts it).
 *
 * THE RULE: every step returns from the C function and re-enters it at the
 * step, so a C local does not survive a step.  Anything used after a step
 * lives in the frame.  C locals are only for values recomputed on every
 * entry from what does not change (declare them before KM_BEGIN, as
 * `uint64_t pcp = kl_pcp(k, kc->id);`).
 *
 * What breaks the rule, or the macros' mechanics, fails loudly:
 *   - a local declared with an initialiser in the body, which a resume jumps
 *     over: a compile error (-Wjump-misses-init, enabled below for GCC);
 *   - two steps on one source line (resume points are line numbers): a
 *     duplicate case label, a compile error;
 *   - a step inside a `switch` of the body (its resume point would belong
 *     to the inner switch): the resume finds no such point and aborts
 *     naming the function and line;
 *   - a step in a function without KM_BEGIN: a compile error (case label
 *     outside a switch);
 *   - a callee started while it is still running: KM_CALL's assertion.
 *
 * Worked example: a test-and-set lock on a lock word, as issue 13's lock
 * algorithms would add it.
 *
 *   1. Its frame, beside the others below, each field saying what it is:
 *
 *          typedef struct {
 *                  int pc;           // resume point (KM_BEGIN/KM_END)
 *                  uint64_t word;    // in: the lock word's address
 *                  uint64_t t_start; // engine time of the first attempt
 *                  gboolean spun;    // an attempt found the lock held
 *          } KTasLockFrame;
 *
 *   2. Its frame in KCore:  KTasLockFrame tas_lock;
 *      and its prototype at the end of this file.
 *
 *   3. The function, in spinlock.c:
 *
 *          KStep kz_tas_lock(Kernel *k, KCore *kc, KTasLockFrame *f)
 *          {
 *                  KM_BEGIN(f);
 *                  f->t_start = kc->now;
 *                  for (;;) {
 *                          XCHG(f->word, 1, "tas_lock.xchg");
 *                          if (kc->val == 0) // the old value: it was free
 *                                  break;
 *                          f->spun = TRUE;
 *                          KM_YIELD(f, KSTEP_SPIN);
 *                  }
 *                  k->st.lock_contended += f->spun;
 *                  k->st.lock_wait_cycles += kc->now - f->t_start;
 *                  KM_END(f);
 *          }
 *
 *   4. A caller, inside its own KM_BEGIN/KM_END:
 *
 *          KM_CALL(f, kz_tas_lock, &kc->tas_lock, .word = k->l.lock);
 *
 *      f->spun needs no reset: KM_CALL starts the frame at zero.
 */
#ifndef LABYRINTH_KERNEL_PRIV_H
#define LABYRINTH_KERNEL_PRIV_H

#include "kernel.h"
#include "util/histogram.h"

#if defined(__GNUC__) && !defined(__clang__)
/* A resume that jumps over a local's initialisation is THE RULE broken. */
#pragma GCC diagnostic error "-Wjump-misses-init"
#endif

#define KM_START 0 /* a frame's pc before its function runs and after it ends */

#define KM_BEGIN(f)                                                                                \
	switch ((f)->pc) {                                                                         \
	default:                                                                                   \
		g_error("kernel: %s resumed at line %d, which is none of its steps "               \
			"(a step inside a switch? see kpriv.h)",                                   \
			G_STRFUNC, (f)->pc);                                                       \
	case KM_START:
#define KM_END(f)                                                                                  \
	}                                                                                          \
	(f)->pc = KM_START;                                                                        \
	return KSTEP_DONE
/* Returns step to the engine; resumes after it on the next call. */
#define KM_YIELD(f, step)                                                                          \
	do {                                                                                       \
		(f)->pc = __LINE__;                                                                \
		return (step);                                                                     \
	case __LINE__:;                                                                            \
	} while (0)
/* Starts frame (a pointer to a frame not in use) with the given designated
 * initialisers, every other field zero. */
#define KM_INIT(frame, ...)                                                                        \
	do {                                                                                       \
		__typeof__(frame) km_frame_ = (frame);                                             \
		g_assert(km_frame_->pc == KM_START);                                               \
		*km_frame_ = (__typeof__(*km_frame_)){ .pc = KM_START, __VA_ARGS__ };              \
	} while (0)
/* Runs the resumable callee fn(k, kc, frame) to its end, its frame started
 * with the designated initialisers that follow (its in fields). */
#define KM_CALL(f, fn, frame, ...)                                                                 \
	do {                                                                                       \
		KM_INIT(frame, __VA_ARGS__);                                                       \
		(f)->pc = __LINE__;                                                                \
		G_GNUC_FALLTHROUGH;                                                                \
	case __LINE__: {                                                                           \
		KStep s_ = fn(k, kc, frame);                                                       \
		if (s_ != KSTEP_DONE)                                                              \
			return s_;                                                                 \
	}                                                                                          \
	} while (0)
/* One memory operation; its value is in kc->val afterwards. */
#define KM_OP(kind, addr, a, b, ctx, name)                                                         \
	do {                                                                                       \
		kcore_issue(kc, kind, addr, a, b, ctx, name);                                      \
		KM_YIELD(f, KSTEP_ACCESS);                                                         \
	} while (0)
#define LOAD(addr, name) KM_OP(KOP_LOAD, addr, 0, 0, CTX_KERNEL_META, name)
#define STORE(addr, v, name) KM_OP(KOP_STORE, addr, v, 0, CTX_KERNEL_META, name)
#define RMW_ADD(addr, v, name) KM_OP(KOP_RMW_ADD, addr, (uint64_t)(v), 0, CTX_KERNEL_META, name)
#define XCHG(addr, v, name) KM_OP(KOP_RMW_XCHG, addr, v, 0, CTX_KERNEL_META, name)
#define CAS(addr, old, new, name) KM_OP(KOP_RMW_CAS, addr, old, new, CTX_KERNEL_META, name)

#define KNO_PAGE UINT64_MAX /* a pfn that is no page */

/* struct page flags */
#define PG_LOCKED UINT64_C(1) /* bit 0, as Linux's PG_locked */
#define PG_BUDDY UINT64_C(2)  /* on a buddy free list; Linux keeps it in page_type */

/* Host-side shadow of a page frame, one byte each (pstate). */
#define PS_ALLOC 0x80  /* part of an allocated block */
#define PS_HEAD 0x40   /* first page of an allocated block; order in PS_ORDER */
#define PS_LOCKED 0x20 /* PG_locked is set (on the head) */
#define PS_ORDER 0x0f

typedef enum { KCALL_NONE, KCALL_ALLOC, KCALL_FREE, KCALL_LOCK_PAGE, KCALL_UNLOCK_PAGE } KCallKind;
typedef enum { KPATH_PCP, KPATH_REFILL, KPATH_BUDDY, KPATH_N } KPath; /* alloc: pcp hit/refill/buddy */
typedef enum { KFPATH_PCP, KFPATH_DRAIN, KFPATH_BUDDY, KFPATH_N } KFreePath;

/* Frames of the resumable functions, by file.  pc is always the resume
 * point (KM_START, or the line of the step the function stopped at); "in"
 * fields are set by the caller through KM_CALL, "out" fields read by it
 * after the call, and the rest live across the function's steps.  Page
 * counts are pages, orders are log2 of pages, times are the engine's unit
 * (cycles in timing mode, turns in functional mode). */

/* alloc.c: alloc, __alloc_pages(). */
typedef struct {
	int pc;
	uint32_t gfp;         /* in: the request's WL_GFP_* flags */
	unsigned order;       /* in: the block is 2^order pages */
	gboolean can_block;   /* GFP_KERNEL: sleeps for a free instead of failing */
	gboolean zero;        /* claim by zeroing (claim = zero, or __GFP_ZERO), else RFO */
	int reserve_dip;      /* 1 when this attempt passed only at or below the min watermark */
	uint64_t wmark_min;   /* the min watermark the slow path read, pages */
	uint64_t sleep_gen;   /* Kernel.free_gen when the sleep began: a free bumps it */
	gboolean use_buddy;   /* rmqueue from the buddy lists (not pcp, or its trylock failed) */
	KPath path;           /* how the block was found, for the latency statistics */
	uint64_t pfn;         /* the block's first pfn; KNO_PAGE while there is none */
	uint64_t claim_lines; /* cache lines in the block (0 under kernel_debug_break_claim) */
	uint64_t claim_next;  /* the claim loop: the next line to claim, 0 .. claim_lines */
} KAllocPagesFrame;

/* alloc.c: free, __free_pages(). */
typedef struct {
	int pc;
	uint64_t pfn;       /* in: the block's first pfn */
	unsigned order;     /* in: the block's order */
	gboolean use_buddy; /* free to the buddy lists (not pcp, or its trylock failed) */
	KFreePath path;     /* where the block went, for the latency statistics */
} KFreePagesFrame;

/* alloc.c: lock_page(). */
typedef struct {
	int pc;
	uint64_t pfn;   /* in: the page to lock */
	uint64_t flags; /* the struct page's flags word as the last test loaded it */
	gboolean spun;  /* some test found PG_locked set (a contended acquisition) */
} KLockPageFrame;

/* alloc.c: unlock_page(). */
typedef struct {
	int pc;
	uint64_t pfn; /* in: the page to unlock */
} KUnlockPageFrame;

/* zone.c: zone_watermark_ok(). */
typedef struct {
	int pc;
	unsigned order; /* in: the request's order */
	uint64_t mark;  /* in: the watermark to stay above, pages, already lowered for reserves */
	int ok;         /* out: 1 if the request may go ahead */
	int64_t free;   /* out: NR_FREE_PAGES less the 2^order - 1 pages this order cannot use */
	unsigned o;     /* the high-order scan: the free_area order being looked at */
} KWatermarkOkFrame;

/* spinlock.c: spin_lock() / spin_unlock() on the zone lock.  The ticket
 * held and the time of acquisition outlive the call: KCore.zone_ticket and
 * KCore.hold_from. */
typedef struct {
	int pc;
	uint64_t t_start; /* kc->now when the call began: the wait starts there */
	int spun;         /* 1 once a test found the lock held (a contended acquisition) */
} KSpinLockFrame;
typedef struct {
	int pc;
} KSpinUnlockFrame;

/* buddy.c: __rmqueue_smallest() with expand(). */
typedef struct {
	int pc;
	unsigned order; /* in: the order wanted */
	uint64_t pfn;   /* out: the block's first pfn, KNO_PAGE if every list was empty */
	unsigned o;     /* the order of the list being looked at, then being split down */
} KRmqueueSmallestFrame;

/* buddy.c: __free_one_page(). */
typedef struct {
	int pc;
	uint64_t pfn;   /* in: the block's first pfn; after each merge, the merged block's */
	unsigned order; /* in: the block's order; after each merge, the merged block's */
	uint64_t buddy; /* the first pfn of the buddy being tested for a merge */
} KFreeOnePageFrame;

/* list.c: list_del(). */
typedef struct {
	int pc;
	uint64_t entry; /* in: the address of the list_head to unlink */
	uint64_t next;  /* entry->next as loaded */
	uint64_t prev;  /* entry->prev as loaded */
} KListDelFrame;

/* list.c: list_add() / list_add_tail(). */
typedef struct {
	int pc;
	uint64_t entry; /* in: the address of the list_head to link */
	uint64_t head;  /* in: the address of the list's head */
	int tail;       /* in: 1 for list_add_tail() (before head), 0 for list_add() (after) */
	uint64_t other; /* the neighbour entry goes next to: head->next, or head->prev */
} KListAddFrame;

/* pcp.c: rmqueue_pcplist(). */
typedef struct {
	int pc;
	uint64_t pfn;       /* out: the page taken, KNO_PAGE if none */
	int trylock_failed; /* out: 1 if the pcp lock was busy (take from the buddy lists) */
	KPath path;         /* out, when the lock was taken: KPATH_PCP, or KPATH_REFILL */
	uint64_t count;     /* pages on the list (after the refill, if there was one) */
	uint64_t batch;     /* pcp->batch as loaded: pages to refill with */
} KRmqueuePcplistFrame;

/* pcp.c: free_unref_page(). */
typedef struct {
	int pc;
	uint64_t pfn;       /* in: the order-0 page to free */
	int trylock_failed; /* out: 1 if the pcp lock was busy (free to the buddy lists) */
	KFreePath path;     /* out, when the lock was taken: KFPATH_PCP, or KFPATH_DRAIN */
	uint64_t count;     /* pages on the list with this one */
	uint64_t high;      /* pcp->high as loaded: drain when count reaches it */
	uint64_t drain;     /* pages to drain: min(pcp->batch, count) */
} KFreeUnrefPageFrame;

/* pcp.c: rmqueue_bulk(). */
typedef struct {
	int pc;
	uint64_t batch; /* in: pages wanted */
	uint64_t moved; /* out: pages moved to the per-CPU list (also the loop's count) */
} KRmqueueBulkFrame;

/* pcp.c: free_pcppages_bulk(). */
typedef struct {
	int pc;
	uint64_t n;    /* in: pages to give back */
	uint64_t done; /* pages given back so far */
	uint64_t node; /* the list_head of the page being given back (the list's last) */
} KFreePcppagesBulkFrame;

/* One core's allocator context: the call in progress, its frames, and
 * the step it last returned. */
typedef struct {
	unsigned id;          /* the core */
	KCallKind kind;       /* the call in progress, or KCALL_NONE */
	uint64_t now;         /* the engine's time at the last completed access */
	uint64_t t_begin;     /* when the call began */
	uint64_t val;         /* the last access's value (a load's, an rmw's old value) */
	KAccess acc;          /* the access asked for */
	KStep pending;        /* the step the call stopped at */
	gboolean have_pending; /* pending is valid (kernel_next() may be asked twice) */
	uint64_t result;      /* alloc: the page address, or 0 */
	GError *error;        /* an invariant that broke */
	gboolean woke;        /* a sleep ended: charge its cycles at the next access */
	uint64_t sleep_from;  /* when the GFP_KERNEL sleep began */
	uint64_t zone_ticket; /* the ticket this core holds the zone lock with */
	uint64_t hold_from;   /* when it took the zone lock */

	/* One frame per resumable function (none is recursive). */
	KAllocPagesFrame alloc_pages;
	KFreePagesFrame free_pages;
	KLockPageFrame lock_page;
	KUnlockPageFrame unlock_page;
	KWatermarkOkFrame watermark_ok;
	KSpinLockFrame spin_lock;
	KSpinUnlockFrame spin_unlock;
	KRmqueueSmallestFrame rmqueue_smallest;
	KFreeOnePageFrame free_one_page;
	KListDelFrame list_del;
	KListAddFrame list_add;
	KRmqueuePcplistFrame rmqueue_pcplist;
	KFreeUnrefPageFrame free_unref_page;
	KRmqueueBulkFrame rmqueue_bulk;
	KFreePcppagesBulkFrame free_pcppages_bulk;
} KCore;

/* Inside rmqueue_pcplist() or free_unref_page(): its per-CPU count and list
 * may disagree for now (kcheck.c skips them). */
static inline gboolean kcore_in_pcp(const KCore *kc)
{
	return kc->rmqueue_pcplist.pc != KM_START || kc->free_unref_page.pc != KM_START;
}

/* A per-page lock's statistics (pages that were ever locked). */
typedef struct {
	uint64_t acquisitions, contended, wait_cycles;
} KPageLockStats;

#define KSERIES_MAX 64

struct Kernel {
	Machine *m;            /* the machine whose memory holds the zone */
	const Protocol *proto; /* its protocol (the claim check's writable state) */
	KLayout l;             /* where everything is (layout.h) */
	unsigned n_cores;
	unsigned line;         /* the caches' line size, bytes */
	AllocPolicy policy;    /* [allocator] policy: pcp or global */
	AllocLock lock_kind;   /* [allocator] lock: ticket or ttas */
	AllocClaim claim;      /* [allocator] claim: zero or rfo */
	uint64_t wmark_min, wmark_low, wmark_high; /* watermarks, pages (zone.c derives them) */
	unsigned batch, pcp_high; /* per-CPU refill/drain batch and drain threshold, pages */

	KCore *cores; /* [n_cores] */
	uint8_t *pstate; /* [n_pages] shadow: PS_* */
	uint64_t buddy_pages;  /* shadow: pages on the buddy lists */
	uint64_t *pcp_pages;   /* shadow: [n_cores] pages on each per-CPU list */
	uint64_t allocated;    /* shadow: pages handed out */
	uint64_t free_gen;     /* bumped by every free: sleeping GFP_KERNEL calls retry */
	int lock_holder;       /* last core to take the zone lock, -1 before any */
	int lock_owner;        /* the core holding the zone lock now, or -1 */
	uint64_t cache_bytes;  /* one cache's capacity (the claim check needs it) */
	gboolean break_claim;  /* kernel_debug_break_claim() */

	KStats st;
	Histogram *lat_alloc, *lat_alloc_path[KPATH_N];
	Histogram *lat_free, *lat_free_path[KFPATH_N];
	GHashTable *page_locks; /* pfn -> KPageLockStats */
	/* Free pages (buddy + pcp) sampled after every series_every-th
	 * allocation; when 64 samples are full, every other one is dropped and
	 * the interval doubles, so memory stays fixed. */
	uint64_t series[KSERIES_MAX];
	unsigned n_series;
	uint64_t series_every;
	/* Machine counters already attributed (kstats.c's observer). */
	uint64_t seen_inv[CTX_N], seen_c2c[CTX_N];
};

/* Addresses (layout.h). */
static inline uint64_t kl_page_struct(const Kernel *k, uint64_t pfn)
{
	return k->l.mem_map + pfn * KERNEL_STRUCT_PAGE;
}
static inline uint64_t kl_page_node(const Kernel *k, uint64_t pfn)
{
	return kl_page_struct(k, pfn) + KL_PAGE_LRU;
}
static inline uint64_t kl_frame(const Kernel *k, uint64_t pfn)
{
	return k->l.frames + pfn * KERNEL_PAGE_SIZE;
}
static inline uint64_t kl_free_area(const Kernel *k, unsigned order)
{
	return k->l.free_area + (uint64_t)order * KERNEL_FREE_AREA_STRIDE;
}
static inline uint64_t kl_pcp(const Kernel *k, unsigned core)
{
	return k->l.pcp + (uint64_t)core * k->l.kline;
}
/* The pfn whose struct page's list node is at node (a list pointer read
 * from simulated memory; it must be one). */
uint64_t kl_node_pfn(const Kernel *k, uint64_t node);

static inline void kcore_issue(KCore *kc, KOpKind kind, uint64_t addr, uint64_t a, uint64_t b,
			       AccessContext ctx, const char *name)
{
	kc->acc = (KAccess){ .kind = kind, .addr = addr, .a = a, .b = b, .ctx = ctx, .step = name };
}

/* The resumable functions other files call (in and out: their frames). */
/* zone.c */
KStep kz_watermark_ok(Kernel *k, KCore *kc, KWatermarkOkFrame *f);
/* spinlock.c */
KStep kz_lock(Kernel *k, KCore *kc, KSpinLockFrame *f);
KStep kz_unlock(Kernel *k, KCore *kc, KSpinUnlockFrame *f);
/* list.c */
KStep kl_list_del(Kernel *k, KCore *kc, KListDelFrame *f);
KStep kl_list_add(Kernel *k, KCore *kc, KListAddFrame *f);
/* buddy.c */
KStep kb_rmqueue_smallest(Kernel *k, KCore *kc, KRmqueueSmallestFrame *f);
KStep kb_free_one_page(Kernel *k, KCore *kc, KFreeOnePageFrame *f);
/* pcp.c */
KStep kp_rmqueue_pcplist(Kernel *k, KCore *kc, KRmqueuePcplistFrame *f);
KStep kp_free_unref_page(Kernel *k, KCore *kc, KFreeUnrefPageFrame *f);
/* kcheck.c */
gboolean kcheck_after_alloc(Kernel *k, KCore *kc, uint64_t pfn, unsigned order, gboolean zeroed,
			    GError **error);
/* kstats.c */
void kstats_init(Kernel *k);
void kstats_clear(Kernel *k);
void kstats_alloc_done(Kernel *k, KCore *kc, KPath path, uint64_t latency);
void kstats_free_done(Kernel *k, KCore *kc, KFreePath path, uint64_t latency);
void kstats_page_lock(Kernel *k, uint64_t pfn, int contended, uint64_t wait);

#endif
