/* kpriv.h - the inside of the simulated kernel, shared by its files:
 * zone.c (boot, watermarks), list.c (list_head operations), buddy.c (free
 * lists, split and merge), pcp.c (per-CPU lists), spinlock.c (the zone
 * lock), alloc.c (the calls and the engine interface), kcheck.c (the
 * invariants) and kstats.c (statistics).  No one outside sim/kernel/
 * includes it.
 *
 * Every allocator function that touches simulated memory is a resumable
 * function ("coroutine", in the style of protothreads): it returns
 * KSTEP_ACCESS after describing one memory operation in kc->acc, and when
 * it is called again after the engine completed that operation it resumes
 * just after it, with the loaded value in kc->val.  Its position (pc) and
 * every variable that must survive an access live in its own frame in the
 * per-core KCore; plain C locals do not survive.  A function calls another
 * with KM_CALL(), which passes up ACCESS, SPIN and BLOCKED and goes on when
 * the callee returns KSTEP_DONE.  There is no recursion, so one frame per
 * function per core is enough.  The code then reads top to bottom like the
 * kernel function it models.
 */
#ifndef LABYRINTH_KERNEL_PRIV_H
#define LABYRINTH_KERNEL_PRIV_H

#include "kernel.h"
#include "util/histogram.h"

#define KM_BEGIN(f)                                                                                \
	switch ((f)->pc) {                                                                         \
	case 0:
#define KM_END(f)                                                                                  \
	}                                                                                          \
	(f)->pc = 0;                                                                               \
	return KSTEP_DONE
/* Returns step to the engine; resumes after it on the next call. */
#define KM_YIELD(f, step)                                                                          \
	do {                                                                                       \
		(f)->pc = __LINE__;                                                                \
		return (step);                                                                     \
	case __LINE__:;                                                                            \
	} while (0)
/* Runs a resumable callee to its end. */
#define KM_CALL(f, callee)                                                                         \
	do {                                                                                       \
		(f)->pc = __LINE__;                                                                \
		G_GNUC_FALLTHROUGH;                                                                \
	case __LINE__: {                                                                           \
		KStep s_ = (callee);                                                               \
		if (s_ != KSTEP_DONE)                                                              \
			return s_;                                                                 \
	}                                                                                          \
	} while (0)
/* One memory operation; its value is in kc->val afterwards.  Use these in
 * a function whose frame is `f` and core is `kc`. */
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

typedef struct {
	int pc;
} KFrame;

/* One core's allocator context: the call in progress, its frames, and
 * the step it last returned. */
typedef struct {
	unsigned id;
	KCallKind kind;    /* the call in progress, or KCALL_NONE */
	uint64_t now;      /* the engine's time at the last completed access */
	uint64_t t_begin;  /* when the call began */
	uint64_t val;      /* the last access's value */
	KAccess acc;       /* the access asked for */
	KStep pending;     /* the step the machine stopped at */
	gboolean have_pending;
	uint64_t result;   /* alloc: the page address, or 0 */
	GError *error;     /* an invariant that broke */
	gboolean woke;     /* a sleep ended: charge its cycles at the next access */
	uint64_t sleep_from;
	uint64_t zone_ticket; /* the ticket this core holds the zone lock with */
	uint64_t hold_from;   /* when it took the zone lock */

	/* Frames of the resumable functions. */
	struct { /* the call: alloc, free, lock_page, unlock_page */
		int pc;
		uint32_t gfp;
		unsigned order;
		uint64_t pfn;
		uint64_t min, gen;
		int path, dip, can_block, zero, use_buddy;
		uint64_t i, n;
		uint64_t spun, t_start;
	} call;
	struct { /* zone_watermark_ok */
		int pc;
		unsigned order, o;
		uint64_t mark;
		int64_t free;
		int ok;
	} wm;
	struct { /* spin_lock / spin_unlock on the zone lock */
		int pc;
		uint64_t t_start;
		int spun;
	} lock, unlock;
	struct { /* __rmqueue_smallest + expand */
		int pc;
		unsigned order, o;
		uint64_t pfn; /* out: KNO_PAGE if every list was empty */
	} rmq;
	struct { /* __free_one_page */
		int pc;
		unsigned order;
		uint64_t pfn, buddy;
	} fop;
	struct { /* list_del */
		int pc;
		uint64_t entry, next, prev;
	} ldel;
	struct { /* list_add / list_add_tail */
		int pc;
		uint64_t entry, head, other;
		int tail;
	} ladd;
	struct { /* rmqueue_pcplist / free_unref_page */
		int pc;
		uint64_t pfn, count, high, batch, n;
		int trylock_failed;
	} pcp;
	struct { /* rmqueue_bulk / free_pcppages_bulk */
		int pc;
		uint64_t i, n;
	} bulk;
} KCore;

/* A per-page lock's statistics (pages that were ever locked). */
typedef struct {
	uint64_t acquisitions, contended, wait_cycles;
} KPageLockStats;

#define KSERIES_MAX 64

struct Kernel {
	Machine *m;
	const Protocol *proto;
	KLayout l;
	unsigned n_cores;
	unsigned line; /* the caches' line size, bytes */
	AllocPolicy policy;
	AllocLock lock_kind;
	AllocClaim claim;
	uint64_t wmark_min, wmark_low, wmark_high;
	unsigned batch, pcp_high;

	KCore *cores; /* [n_cores] */
	uint8_t *pstate; /* [n_pages] shadow: PS_* */
	uint64_t buddy_pages;  /* shadow: pages on the buddy lists */
	uint64_t *pcp_pages;   /* shadow: [n_cores] pages on each per-CPU list */
	uint64_t allocated;    /* shadow: pages handed out */
	uint64_t free_gen;
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

/* zone.c */
KStep kz_watermark_ok(Kernel *k, KCore *kc);
/* spinlock.c */
KStep kz_lock(Kernel *k, KCore *kc);
KStep kz_unlock(Kernel *k, KCore *kc);
/* list.c: kc->ldel.entry; kc->ladd.entry, .head, .tail */
KStep kl_list_del(Kernel *k, KCore *kc);
KStep kl_list_add(Kernel *k, KCore *kc);
/* buddy.c: kc->rmq.order -> kc->rmq.pfn; kc->fop.pfn, .order */
KStep kb_rmqueue_smallest(Kernel *k, KCore *kc);
KStep kb_free_one_page(Kernel *k, KCore *kc);
/* pcp.c: kc->pcp.pfn out / in; trylock_failed when the pcp lock was busy */
KStep kp_rmqueue_pcplist(Kernel *k, KCore *kc);
KStep kp_free_unref_page(Kernel *k, KCore *kc);
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
